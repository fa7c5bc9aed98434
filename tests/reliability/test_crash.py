"""Guarantee: a process killed with SIGKILL at any moment loses no coding whose write had
returned, and leaves a coder file that opens. 20 kills per test by default, 200 with --slow."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

TRANSCRIPT = "50001_2"


def write_codings_forever(root, coder_name: str, out_fd: int) -> None:
    """The child: open the coder file, add a few codings (reporting each id once add_coding
    has returned), close it (which compacts the journal), and again."""
    from workbench.project import Project

    project = Project(root)
    text = project.text(TRANSCRIPT)
    rnd = random.Random(os.getpid())
    while True:
        with project.open_coder(coder_name) as coder:
            for _ in range(rnd.randint(1, 4)):
                # slots 7 apart: codings of one code that overlap or touch would become one
                start = rnd.randrange(len(text) // 7) * 7
                coding = coder.add_coding(TRANSCRIPT, start, start + 5, "barriers", text[start:start + 5])
                os.write(out_fd, coding.id.encode() + b"\n")


def fork_writer(root, coder_name: str) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_fd)
        try:
            write_codings_forever(root, coder_name, write_fd)
        finally:
            os._exit(1)
    os.close(write_fd)
    return pid, read_fd


def read_all(fd: int) -> list[str]:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return [line for line in b"".join(chunks).decode().split("\n") if len(line) == 32]


def assert_all_there(project, acknowledged: set[str], coder_name: str) -> None:
    with project.open_coder(coder_name, readonly=True) as coder:
        on_disk = {c.id for c in coder.codings()}
    missing = acknowledged - on_disk
    assert not missing, f"{len(missing)} acknowledged codings lost, e.g. {sorted(missing)[:3]}"


def test_sigkill_while_coding_through_coderfile(coded, kill_rounds):
    rnd = random.Random(9)
    acknowledged: set[str] = set()
    with coded.open_coder("alex", readonly=True) as coder:
        acknowledged |= {c.id for c in coder.codings()}
    for _ in range(kill_rounds):
        pid, fd = fork_writer(coded.root, "alex")
        time.sleep(rnd.uniform(0.0, 0.08))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        acknowledged |= set(read_all(fd))
        assert_all_there(coded, acknowledged, "alex")
    assert len(acknowledged) > kill_rounds  # the writers did get work done between kills
    with coded.open_coder("alex") as coder:  # the lock of the killed writer is taken over
        assert len(coder.codings()) >= len(acknowledged)


def test_sigkill_while_coding_through_the_command_line(coded, kill_rounds):
    """`workbench code add` in a loop, the whole process group killed at a random moment."""
    rnd = random.Random(4)
    text = coded.text(TRANSCRIPT)
    start = text.index("made a difference")
    workbench = os.path.join(os.path.dirname(sys.executable), "workbench")
    loop = (f'while true; do "{workbench}" -p "{coded.root}" --coder sam code add {TRANSCRIPT} '
            f'{start} {start + 17} barriers --new || exit 1; done')
    acknowledged: set[str] = set()
    for _ in range(kill_rounds):
        writer = subprocess.Popen(["sh", "-c", loop], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        time.sleep(rnd.uniform(0.05, 0.5))
        os.killpg(writer.pid, signal.SIGKILL)
        out, _ = writer.communicate()
        acknowledged |= {line for line in out.decode().split("\n") if len(line) == 32}
        if (coded.root / "coders" / "sam.json").exists() or acknowledged:
            assert_all_there(coded, acknowledged, "sam")
    assert acknowledged


def test_a_torn_record_never_swallows_the_next_write(coded):
    """A crash mid-append leaves a torn last line; the next session's writes must still count
    if that session is killed too (before closing, so only the journal holds them)."""
    journal = coded.root / "coders" / "alex.json.journal"
    with open(journal, "ab") as torn:
        torn.write(b'0badc0de {"tables": {"codes": {"1": ')  # no newline: cut off mid-write
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover
        try:
            with coded.open_coder("alex") as coder:
                coding = coder.add_coding(TRANSCRIPT, 0, 11, "barriers", coded.text(TRANSCRIPT)[:11])
                os.write(write_fd, coding.id.encode() + b"\n")
                os.kill(os.getpid(), signal.SIGKILL)
        finally:
            os._exit(1)
    os.close(write_fd)
    os.waitpid(pid, 0)
    acknowledged = set(read_all(read_fd))
    assert len(acknowledged) == 1
    assert_all_there(coded, acknowledged, "alex")
