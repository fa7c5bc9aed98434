"""One writing session per coder file: a second is refused naming the holder; the lock of a
process that died is taken over."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import pytest

from workbench.errors import CoderFileLocked
from workbench.storage.lock import read_holder, stale_lock

HOLD = "import sys, time\nfrom workbench.project import Project\n" \
       "coder = Project(sys.argv[1]).open_coder('alex')\nprint('holding', flush=True)\ntime.sleep(60)\n"


def test_a_second_writer_is_refused_with_pid_and_host(study):
    with study.open_coder("alex"):
        with pytest.raises(CoderFileLocked) as refused:
            study.open_coder("alex")
    message = str(refused.value)
    assert f"pid {os.getpid()}" in message and socket.gethostname() in message
    with study.open_coder("alex", readonly=True) as reader:  # reading never needs the lock
        assert reader.codes()


def test_the_lock_of_a_killed_writer_is_stale_and_taken_over(study):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(study.root)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == b"holding\n"
        lock_path = study.coder_path("alex").with_name("alex.json.lock")
        with pytest.raises(CoderFileLocked, match=f"pid {holder.pid} on {socket.gethostname()}"):
            study.open_coder("alex")
        assert stale_lock(lock_path) is None  # held, so not stale
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert stale_lock(lock_path)["pid"] == holder.pid  # the dead holder's record is left behind
    with study.open_coder("alex") as coder:
        coder.add_code("after the takeover")
        assert read_holder(lock_path)["pid"] == os.getpid()
    assert not lock_path.exists()
