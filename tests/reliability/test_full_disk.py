"""Guarantee: a write that fails with ENOSPC (full disk) or EIO leaves the previous state
intact, the command exits non-zero with one clear line, memory matches the disk, and a
retry once the disk is fine succeeds."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

import workbench.securefs as securefs
import workbench.storage.journal as journal
from workbench.backups import today
from workbench.errors import StorageFailure

FAILURES = [(errno.ENOSPC, "No space left on device"), (errno.EIO, "Input/output error")]


class FailingOS:
    """The `os` module as one module sees it, with some calls failing like a full or broken disk."""

    def __init__(self, code: int, *failing: str):
        self.code, self.failing = code, set(failing)

    def __getattr__(self, name):
        if name in self.failing:
            def fail(*args, **kwargs):
                raise OSError(self.code, os.strerror(self.code))
            return fail
        return getattr(os, name)


def codings_on_disk(project, coder="alex"):
    with project.open_coder(coder, readonly=True) as coder_file:
        return {c.id: c for c in coder_file.codings()}


@pytest.mark.parametrize("code,message", FAILURES)
@pytest.mark.parametrize("module,call", [(journal, "fsync"), (securefs, "write")])
def test_a_failed_save_keeps_the_last_state_and_can_be_retried(coded, fingerprint, monkeypatch, code, message, module, call):
    before_disk = fingerprint(coded.root / "coders")
    with coded.open_coder("alex") as coder:
        before = {c.id: c for c in coder.codings()}
        monkeypatch.setattr(module, "os", FailingOS(code, call))
        with pytest.raises(StorageFailure) as failure:
            coder.add_coding("50001_2", 0, 11, "barriers", coded.text("50001_2")[:11])
        assert str(coder.path) in str(failure.value) and message in str(failure.value)
        assert "last saved state is intact" in str(failure.value)
        assert {c.id: c for c in coder.codings()} == before  # memory went back to the disk
        assert codings_on_disk(coded) == before
        monkeypatch.undo()
        retried = coder.add_coding("50001_2", 0, 11, "barriers", coded.text("50001_2")[:11])
    assert set(codings_on_disk(coded)) == set(before) | {retried.id}
    assert before_disk != fingerprint(coded.root / "coders")  # the retry did reach the disk


def test_a_failed_compaction_on_close_loses_nothing(coded, monkeypatch):
    coder = coded.open_coder("alex")
    added = coder.add_coding("50001_2", 0, 11, "barriers", coded.text("50001_2")[:11])
    monkeypatch.setattr(securefs, "os", FailingOS(errno.EIO, "replace"))
    with pytest.raises(StorageFailure, match="journal still holds every change"):
        coder.close()
    monkeypatch.undo()
    assert added.id in codings_on_disk(coded)
    assert not coder.lock.held
    with coded.open_coder("alex") as again:  # the lock was released: work goes on
        assert added.id in {c.id for c in again.codings()}


@pytest.mark.parametrize("code,message", FAILURES)
def test_code_add_on_a_full_disk_exits_with_one_clear_line(coded, run, fingerprint, monkeypatch, code, message):
    before = fingerprint(coded.root)
    monkeypatch.setattr(journal, "os", FailingOS(code, "write", "fsync"))
    monkeypatch.setattr(securefs, "os", FailingOS(code, "write", "fsync"))
    result = run("code", "add", "50001_2", 0, 11, "barriers")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.output
    assert fingerprint(coded.root) == before
    monkeypatch.undo()
    assert run("code", "add", "50001_2", 0, 11, "barriers").exit_code == 0
    assert len(codings_on_disk(coded)) == 3


def test_import_on_a_full_disk_changes_nothing(coded, run, fingerprint, monkeypatch, tmp_path):
    source = tmp_path / "50002.txt"
    source.write_text("Interviewer: Hello?\n\nParticipant: Hello, yes.\n", encoding="utf-8")
    before = fingerprint(coded.root)
    monkeypatch.setattr(securefs, "os", FailingOS(errno.ENOSPC, "write"))
    result = run("import", source)
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr and "Traceback" not in result.output
    monkeypatch.undo()
    assert fingerprint(coded.root) == before  # no half-written transcript, no temporary file
    assert run("import", source).exit_code == 0


def test_a_separate_process_with_a_failing_disk_exits_cleanly(coded, fingerprint):
    """The real `workbench` entry point in its own process, its disk failing from the start."""
    script = (
        "import errno, os, sys\n"
        "import workbench.storage.journal as journal\n"
        "real_fsync = os.fsync\n"
        "def fsync(fd):\n"
        "    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "class Patched: __getattr__ = lambda self, name: fsync if name == 'fsync' else getattr(os, name)\n"
        "journal.os = Patched()\n"
        "from workbench.cli.main import main\n"
        "sys.argv = ['workbench'] + sys.argv[1:]\n"
        "main()\n"
    )
    before = fingerprint(coded.root)
    done = subprocess.run([sys.executable, "-c", script, "-p", str(coded.root), "--coder", "alex",
                           "code", "add", "50001_2", "0", "11", "barriers"], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("workbench: ") and done.stderr.count("\n") == 1
    assert "No space left on device" in done.stderr and "alex.json" in done.stderr
    after = fingerprint(coded.root)
    assert after.pop(f"coders/backups/alex-{today()}.json")  # opening to write made the day's backup
    assert after == before


# -- a refused change and a saved one never look alike (issue 14, items 3 and 10) --------------
CRASH_AFTER_A_CODING = (  # a session that saved a coding in the journal, then died before compacting
    "import os, sys\nfrom workbench.project import Project\n"
    "project = Project(sys.argv[1])\ncoder = project.open_coder('alex')\n"
    "coder.add_coding('50001_2', 0, 11, 'barriers', project.text('50001_2')[:11])\nos._exit(0)\n"
)


@pytest.mark.parametrize("code,message", FAILURES)
def test_a_refused_change_says_not_saved_even_when_the_close_cannot_compact(coded, run, monkeypatch, code, message):
    subprocess.run([sys.executable, "-c", CRASH_AFTER_A_CODING, str(coded.root)], check=True)
    assert (coded.root / "coders" / "alex.json.journal").stat().st_size > 0  # closing will try to fold it
    before = codings_on_disk(coded)
    monkeypatch.setattr(journal, "os", FailingOS(code, "write", "fsync"))
    monkeypatch.setattr(securefs, "os", FailingOS(code, "write", "fsync"))
    result = run("code", "add", "50001_2", 20, 31, "barriers")
    assert result.exit_code == 2 and result.stdout == ""
    assert "not saved" in result.stderr and message in result.stderr and result.stderr.count("\n") == 1
    assert "journal still holds" not in result.stderr
    monkeypatch.undo()
    assert codings_on_disk(coded) == before


@pytest.mark.parametrize("code,message", FAILURES)
def test_a_saved_change_whose_compaction_failed_succeeds_with_a_warning(coded, run, monkeypatch, code, message):
    monkeypatch.setattr(securefs, "os", FailingOS(code, "replace"))  # the journal takes it; the fold cannot
    result = run("code", "add", "50001_2", 20, 31, "barriers")
    assert result.exit_code == 0
    coding_id = result.stdout.strip()
    assert "coded 50001_2 20-31 as barriers" in result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warning.startswith("workbench: warning: ") and "saved" in warning and message in warning
    assert "not saved" not in result.stderr
    monkeypatch.undo()
    assert coding_id in codings_on_disk(coded)


def test_a_lock_that_cannot_be_written_leaves_no_empty_lock_file(coded, run, fingerprint, monkeypatch):
    before = fingerprint(coded.root)
    monkeypatch.setattr(securefs, "os", FailingOS(errno.ENOSPC, "write"))
    result = run("code", "add", "50001_2", 20, 31, "barriers")
    assert result.exit_code == 2 and "not saved" in result.stderr and "No space left on device" in result.stderr
    monkeypatch.undo()
    assert not (coded.root / "coders" / "alex.json.lock").exists()
    assert fingerprint(coded.root) == before
    assert run("doctor").exit_code == 0  # nothing left for doctor to call a stale lock
    assert run("code", "add", "50001_2", 20, 31, "barriers").exit_code == 0


def test_an_empty_coder_name_is_refused_like_any_bad_one(coded, run, fingerprint):
    before = fingerprint(coded.root)
    result = run("code", "add", "50001_2", 20, 31, "barriers", coder="")
    assert result.exit_code == 2 and "not a usable coder name" in result.stderr
    assert fingerprint(coded.root) == before  # no file for the login name appeared


SCREEN_ON_A_DISK_THAT_CANNOT_FOLD = (  # the screen, its file's compaction failing (replace) from the start
    "import errno, os, sys\nimport workbench.securefs as securefs\n"
    "def replace(*args):\n    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
    "class Patched: __getattr__ = lambda self, name: replace if name == 'replace' else getattr(os, name)\n"
    "securefs.os = Patched()\nfrom workbench.cli.main import main\nsys.argv = ['workbench'] + sys.argv[1:]\nmain()\n"
)


def test_quitting_the_screen_when_the_journal_cannot_be_folded_is_a_warning(coded):
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the screen
        os.environ.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
        os.execv(sys.executable, [sys.executable, "-c", SCREEN_ON_A_DISK_THAT_CANNOT_FOLD,
                                  "-p", str(coded.root), "--coder", "alex", "open"])
    seen = bytearray()

    def read_for(seconds: float, until: bytes = b"\x00") -> None:
        deadline = time.monotonic() + seconds
        while until not in seen and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    seen.extend(os.read(fd, 65536))
                except OSError:
                    return

    try:
        read_for(20, b"Codebook")
        read_for(0.5)
        os.write(fd, b"mkept in the journal")
        read_for(5, b"journal")
        os.write(fd, b"\x1b")  # leave the memo: it is saved
        read_for(1)
        os.write(fd, b"q")
        deadline = time.monotonic() + 20
        while not (done := os.waitpid(pid, os.WNOHANG))[0] and time.monotonic() < deadline:
            read_for(0.1)
        if not done[0]:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the screen did not quit")
        read_for(0.3)
    finally:
        os.close(fd)
    status = done[1]
    output = bytes(seen).decode("utf-8", "replace")
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, output[-500:]
    assert "workbench: warning: " in output and "saved, but" in output and "No space left on device" in output
    assert "not saved" not in output
    with coded.open_coder("alex", readonly=True) as coder:
        assert coder.memo("transcript", "50001_2").text == "kept in the journal"
