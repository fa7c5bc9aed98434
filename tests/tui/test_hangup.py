"""A dropped SSH connection: the app runs in a pseudo-terminal, codes a sentence and types
a memo, then gets SIGHUP. It must exit by itself with the coding and the memo on disk and
the coder file's lock released."""

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

from workbench.storage.lock import CoderLock

LAUNCH = "from workbench.cli.main import main; main()"


def read_until(fd: int, wanted: bytes, seen: bytearray, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"never saw {wanted!r}; output: {bytes(seen)!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                seen.extend(os.read(fd, 65536))
            except OSError:
                raise AssertionError(f"the app ended before showing {wanted!r}") from None


def drain(fd: int, seen: bytearray, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen.extend(os.read(fd, 65536))
            except OSError:
                return


def wait_for_exit(pid: int, fd: int, seen: bytearray, timeout: float = 20.0) -> int:
    """Wait for the app to end, reading what it writes meanwhile (a full terminal would block it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        drain(fd, seen, 0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("the app did not exit after SIGHUP")


def test_sighup_finishes_the_writes_and_releases_the_lock(project):
    pid, master = pty.fork()
    if pid == 0:  # the child: the workbench, as a user would start it
        os.environ.update(TERM="xterm-256color", COLUMNS="120", LINES="36")
        os.execv(sys.executable, [sys.executable, "-c", LAUNCH, "-p", str(project.root), "--coder", "alex", "open"])
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
    seen = bytearray()
    try:
        read_until(master, b"Codebook", seen)
        drain(master, seen, 0.5)
        os.write(master, b"jjs")
        drain(master, seen, 0.3)
        os.write(master, b"c")
        drain(master, seen, 0.5)
        os.write(master, b"stigma\r")
        read_until(master, b"Coded as stigma", seen)
        os.write(master, b"mtyped just before the line dropped")
        read_until(master, b"dropped", seen)  # on screen, and likely not yet saved by its own timer
        os.kill(pid, signal.SIGHUP)
        status = wait_for_exit(pid, master, seen)
    finally:
        os.close(master)
    assert os.WIFEXITED(status), f"killed by a signal: {status}"
    with project.open_coder("alex", readonly=True) as coder:
        [coding] = coder.codings()
        assert coder.codebook.path(coding.code) == "barriers/stigma"
        assert coding.text == project.text("50002")[coding.start:coding.end]
        assert coder.memo("transcript", "50002").text == "typed just before the line dropped"
    lock = CoderLock(project.coder_path("alex"))
    lock.acquire()  # raises CoderFileLocked if anyone still held it
    lock.release()


async def test_the_screen_marks_its_progress_on_the_lock(project, monkeypatch):
    """The heartbeat `doctor` reads to tell a live session from a stuck one."""
    import time

    import workbench.tui.app as app_module
    from workbench.storage.lock import stalled_lock
    from workbench.tui.app import WorkbenchApp

    monkeypatch.setattr(app_module, "HEARTBEAT_EVERY", 0.05)
    with project.open_coder("alex") as coder:
        long_ago = time.time() - 3600
        os.utime(coder.lock.path, (long_ago, long_ago))
        assert stalled_lock(coder.lock.path)["pid"] == os.getpid()
        app = WorkbenchApp(project, coder)
        async with app.run_test() as pilot:
            await pilot.pause(0.3)
            assert stalled_lock(coder.lock.path) is None
            assert time.time() - coder.lock.path.stat().st_mtime < 60
            app.writes.finish()


SLOW_LOAD = """
import os, sys, time
import workbench.tui.opening as opening
read = opening.CoderOpening.load
def load(self):
    open(os.environ["LOAD_BEGUN"], "w").close()
    time.sleep(1.5)  # a large coder file being read when the line drops
    return read(self)
opening.CoderOpening.load = load
from workbench.cli.main import main
main()
"""


def test_sighup_while_the_coder_file_is_read_releases_the_lock(project, tmp_path):
    """The first frame is drawn before the coder file is read; a hang-up then (keys typed
    meanwhile) lets the reading end, closes the file unchanged and frees the lock."""
    with project.open_coder("alex") as coder:
        start = project.text("50002").index("It hurt")
        coder.add_coding("50002", start, start + 7, "barriers/stigma", "It hurt")
        coder.set_memo("transcript", "50002", "before the drop")
    begun = tmp_path / "load-begun"
    pid, master = pty.fork()
    if pid == 0:
        os.environ.update(TERM="xterm-256color", COLUMNS="120", LINES="36", LOAD_BEGUN=str(begun))
        os.execv(sys.executable, [sys.executable, "-c", SLOW_LOAD, "-p", str(project.root), "--coder", "alex", "open"])
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
    seen = bytearray()
    try:
        read_until(master, b"coder file", seen)  # the first frame says the file is being read
        while not begun.exists():
            drain(master, seen, 0.05)
        os.write(master, b"jjsc")  # not acted on: the file is not read yet
        os.kill(pid, signal.SIGHUP)
        status = wait_for_exit(pid, master, seen)
    finally:
        os.close(master)
    assert os.WIFEXITED(status), f"killed by a signal: {status}"
    assert not CoderLock(project.coder_path("alex")).path.exists(), "the lock file outlived the session"
    lock = CoderLock(project.coder_path("alex"))
    lock.acquire()  # raises CoderFileLocked if anyone still held it
    lock.release()
    with project.open_coder("alex", readonly=True) as coder:
        [coding] = coder.codings()
        assert (coding.start, coding.text) == (start, "It hurt")
        assert coder.memo("transcript", "50002").text == "before the drop"
