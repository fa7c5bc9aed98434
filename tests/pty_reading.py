"""Reading what a program in a pseudo-terminal writes, for the hang-up and escape tests."""

from __future__ import annotations

import os
import select
import time


def read_until(fd: int, wanted: bytes, timeout: float = 20.0) -> bytes:
    """Everything the terminal received until `wanted` appears (or the time runs out, or the
    program is gone)."""
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


def read_for(fd: int, seconds: float) -> bytes:
    """Everything the terminal receives during `seconds`."""
    return read_until(fd, b"\x00never\x00", timeout=seconds)
