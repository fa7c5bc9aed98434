"""One session per coder file: an exclusive lock beside it that names its holder.

The lock is an `flock` on `<coder file>.lock`; the kernel drops it when the holder dies,
so a lock file left by a dead process on this host is stale and is taken over. The file
also records pid, host and start time so that a refused session can name the holder.

A long session (the screen) marks its progress by touching the lock file every
`HEARTBEAT_EVERY` seconds (`beat`); a held lock whose mark is older than `STALLED_AFTER`
belongs to a session that is alive but stuck, which `doctor` reports (`stalled_lock`).
"""

from __future__ import annotations

import fcntl
import os
import time
import weakref
from datetime import datetime, timezone
from pathlib import Path

import orjson

from workbench.errors import CoderFileLocked, StorageFailure
from workbench.securefs import FILE_MODE, write_all

HEARTBEAT_EVERY = 30.0  # seconds
STALLED_AFTER = 10 * 60.0  # seconds without a heartbeat before doctor calls a live session stuck
_HELD: "weakref.WeakSet[CoderLock]" = weakref.WeakSet()  # the locks this process holds


def read_holder(lock_path: Path) -> dict | None:
    """What the lock file says about its holder, or None when it says nothing usable."""
    try:
        holder = orjson.loads(Path(lock_path).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return holder if isinstance(holder, dict) else None


def describe_holder(holder: dict | None) -> str:
    if not holder:
        return "another process"
    return f"pid {holder.get('pid')} on {holder.get('host')} since {holder.get('since')}"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class CoderLock:
    def __init__(self, target: Path):
        self.target = Path(target)
        self.path = self.target.with_name(self.target.name + ".lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise CoderFileLocked(
                    f"{self.target}: already open in another session "
                    f"({describe_holder(read_holder(self.path))}); close that session first"
                ) from None
            # The holder may have unlinked the file between our open and our flock.
            try:
                same_file = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same_file = False
            if same_file:
                break
            os.close(fd)
        previous = read_holder(self.path)
        here = host_name()
        if previous and previous.get("host") not in (None, here) and previous.get("pid"):
            os.close(fd)
            raise CoderFileLocked(
                f"{self.target}: locked by a session on another host ({describe_holder(previous)}); "
                f"if no session runs there any more, delete {self.path}"
            )
        holder = {
            "pid": os.getpid(),
            "host": here,
            "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.fchmod(fd, FILE_MODE)
            write_all(fd, orjson.dumps(holder))
            os.fsync(fd)
        except OSError as err:
            # We hold it, so removing it is the ordinary release: no empty lock file is left
            # behind for the next session or doctor to puzzle over.
            self.path.unlink(missing_ok=True)
            os.close(fd)
            raise StorageFailure(f"{self.path}: could not write the lock ({err.strerror or err}); "
                                 f"not saved: nothing was changed") from err
        self._fd = fd
        _HELD.add(self)

    def beat(self) -> None:
        """Mark the session as making progress (the lock file's modification time)."""
        if self._fd is None:
            return
        try:
            os.utime(self._fd)
        except OSError:  # a mark missed is a mark missed; the next one may land
            pass

    def release(self) -> None:
        if self._fd is None:
            return
        _HELD.discard(self)
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)
            self._fd = None


def stale_lock(lock_path: Path) -> dict | None:
    """The holder recorded in a lock file that nobody holds any more, else None."""
    lock_path = Path(lock_path)
    if not lock_path.exists():
        return None
    fd = os.open(lock_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return None
    finally:
        os.close(fd)
    return read_holder(lock_path) or {}


def beat_held_locks() -> None:
    """`beat` every lock this process holds (the screen's coder file, and the consensus or
    other coder's file a screen of it opened)."""
    for lock in list(_HELD):
        lock.beat()


def stalled_lock(lock_path: Path, now: float | None = None) -> dict | None:
    """The holder of a held lock whose session has made no progress for `STALLED_AFTER`
    seconds while its process is still alive here (a session stuck for good), else None.
    The holder dict gains `idle` (seconds since the last progress mark)."""
    lock_path = Path(lock_path)
    try:
        marked = lock_path.stat().st_mtime
    except FileNotFoundError:
        return None
    if stale_lock(lock_path) is not None:
        return None  # nobody holds it: stale, not stalled
    idle = (time.time() if now is None else now) - marked
    holder = read_holder(lock_path)
    if idle < STALLED_AFTER or not holder or not isinstance(holder.get("pid"), int):
        return None
    if holder.get("host") == host_name() and not pid_alive(holder["pid"]):
        return None
    return {**holder, "idle": idle}


def host_name() -> str:
    import socket  # only when a lock is taken or judged: a read-only command never loads it

    return socket.gethostname()
