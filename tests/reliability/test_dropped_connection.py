"""Guarantee: a dropped SSH connection (SIGHUP to the running screen) finishes pending
writes, releases the lock, and reopening shows everything."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time

import pytest

pytest.importorskip("workbench.tui.app")


def read_until(fd: int, wanted: bytes, timeout: float = 20.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def test_sighup_saves_the_memo_being_typed_and_releases_the_lock(coded):
    workbench = os.path.join(os.path.dirname(sys.executable), "workbench")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the screen
        os.environ.update(TERM="xterm-256color", COLUMNS="120", LINES="40")
        os.execv(workbench, [workbench, "-p", str(coded.root), "--coder", "alex", "open"])
    try:
        assert b"Codebook" in read_until(fd, b"Codebook")
        time.sleep(0.5)
        os.write(fd, b"m")  # the memo of the transcript
        time.sleep(0.5)
        os.write(fd, b"seen on the ward")
        time.sleep(0.5)
        os.kill(pid, signal.SIGHUP)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            read_until(fd, b"\x00", timeout=0.2)  # keep the pty drained
        else:
            os.kill(pid, signal.SIGKILL)
            pytest.fail("the screen did not exit after SIGHUP")
    finally:
        os.close(fd)
    assert not (coded.root / "coders" / "alex.json.lock").exists()
    with coded.open_coder("alex") as coder:  # the lock is free and everything is there
        assert len(coder.codings()) == 2
        memo = coder.memo("transcript", "50001_2")
    assert memo is not None and "seen on the ward" in memo.text
