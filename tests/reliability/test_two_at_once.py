"""Guarantee: one session per coder file. A second one is refused with the holder's pid and
host; a lock left by a dead process on this host is stale and taken over; two different
coders write at the same time without harm."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import orjson
import pytest

from workbench.errors import CoderFileLocked
from workbench.storage.lock import stale_lock

HOLD = (
    "import sys, time\n"
    "from workbench.project import Project\n"
    "coder = Project(sys.argv[1]).open_coder(sys.argv[2])\n"
    "print('ready', flush=True)\n"
    "time.sleep(60)\n"
)


@pytest.fixture
def holder(coded):
    """A separate process holding alex's coder file open."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(coded.root), "alex"], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    yield process
    process.kill()
    process.wait()


def test_a_second_session_is_refused_naming_the_holder(coded, run, holder, fingerprint):
    before = fingerprint(coded.root / "coders")
    result = run("code", "add", "50001_2", 0, 11, "barriers")
    assert result.exit_code == 2
    assert f"pid {holder.pid} on {socket.gethostname()}" in result.stderr
    assert "already open in another session" in result.stderr
    with pytest.raises(CoderFileLocked, match=f"pid {holder.pid}"):
        coded.open_coder("alex")
    assert fingerprint(coded.root / "coders") == before
    assert run("codings", "--format", "json").exit_code == 0  # reading needs no lock


def test_a_dead_holders_lock_is_stale_and_taken_over(coded, run, holder):
    lock_path = coded.root / "coders" / "alex.json.lock"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert lock_path.exists()  # a killed process cannot clean up
    assert stale_lock(lock_path)["pid"] == holder.pid
    doctor = run("doctor", "--format", "json")
    assert any("stale lock" in f["problem"] and str(holder.pid) in f["problem"] for f in orjson.loads(doctor.stdout))
    with coded.open_coder("alex") as coder:
        assert orjson.loads(lock_path.read_bytes())["pid"] == os.getpid()
        coder.add_coding("50001_2", 0, 11, "barriers", coded.text("50001_2")[:11])
    assert not lock_path.exists()
    assert run("code", "add", "50001_2", 0, 11, "barriers").exit_code == 0


def test_a_live_lock_on_another_host_is_never_taken(coded):
    lock_path = coded.root / "coders" / "alex.json.lock"
    lock_path.write_bytes(orjson.dumps({"pid": 4242, "host": "elsewhere.example", "since": "2024-01-01T00:00:00+00:00"}))
    with pytest.raises(CoderFileLocked, match="elsewhere.example"):
        coded.open_coder("alex")


def write_codings(root: str, coder_name: str, count: int) -> None:
    from workbench.project import Project

    project = Project(root)
    text = project.text("50001_2")
    with project.open_coder(coder_name) as coder:
        if "apart" not in {c.name for c in coder.codes()}:
            coder.add_code("apart")
        for i in range(count):  # spans apart: codings of one code that overlap or touch become one
            coder.add_coding("50001_2", 6 * i, 6 * i + 5, "apart", text[6 * i:6 * i + 5])


def test_two_coders_write_at_the_same_time_without_harm(coded):
    count = 60
    children = []
    for name in ("alex", "sam"):
        pid = os.fork()
        if pid == 0:  # pragma: no cover
            code = 1
            try:
                write_codings(str(coded.root), name, count)
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    assert all(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 for pid in children)
    with coded.open_coder("alex", readonly=True) as alex, coded.open_coder("sam", readonly=True) as sam:
        assert len(alex.codings()) == count + 2  # the two of the fixture and the new ones
        assert len(sam.codings()) == count
        assert {c.coder for c in (alex, sam)} == {"alex", "sam"}
