"""Private, durable file writes: everything a project holds is its owner's alone (0600 / 0700),
whatever the umask, and a file is replaced atomically or not at all."""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
from pathlib import Path

from workbench.errors import WorkbenchError

FILE_MODE = 0o600
DIR_MODE = 0o700
# `.<name>.<pid>.<random>.tmp`: the pid tells `doctor` whether its writer still runs; the random
# part makes the name unguessable, so nobody can plant a link there beforehand.
TEMP_FILE = re.compile(r"^\..+\.(?P<pid>\d+)(?:\.[0-9a-f]{16})?\.tmp$")
PENDING = ".pending"  # a note (in the project) of an export's temporary file outside it
CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def claim_private_dir(path: Path) -> Path:
    """An existing folder made 0700 if it is ours; refused (unchanged) if it belongs to someone else
    or is a symbolic link. A missing one is created 0700."""
    path = Path(path)
    try:
        info = path.lstat()
    except FileNotFoundError:
        return make_private_dir(path)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise WorkbenchError(f"{path} is {'a symbolic link' if stat.S_ISLNK(info.st_mode) else 'not a folder'}; "
                             "give a folder of your own")
    if info.st_uid != os.geteuid():
        raise WorkbenchError(f"{path} belongs to another user (uid {info.st_uid}); a project must be in a folder "
                             "of your own, which only you can read")
    os.chmod(path, DIR_MODE)
    return path


def make_private_dir(path: Path) -> Path:
    """Create `path` (and missing parents inside it) as 0700; tighten an existing one we created."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE)
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, note_in: Path | None = None, flush_every: int = 0) -> None:
    """Write `data` to `path` so that a crash leaves either the old file or the new one.

    Temporary file in the same folder (created new, never through a link, under a name nobody
    can guess), fsync, rename over the target, fsync the folder. On failure (ENOSPC, EIO) the
    temporary file is removed and the old file is untouched. `note_in` (a folder of the project)
    keeps a note of the temporary file while it exists, so that `doctor` finds what a killed
    export left outside the project.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}.tmp")
    note = _note_pending(note_in, tmp) if note_in is not None else None
    try:
        fd = os.open(tmp, CREATE_NEW, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
            write_all(fd, data, flush_every)
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        os.close(fd)
        try:
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_dir(path.parent)
    finally:
        if note is not None:
            note.unlink(missing_ok=True)


def _note_pending(folder: Path, tmp: Path) -> Path:
    make_private_dir(folder)
    note = Path(folder) / f"{os.getpid()}.{secrets.token_hex(8)}{PENDING}"
    fd = os.open(note, CREATE_NEW, FILE_MODE)
    try:
        write_all(fd, os.fsencode(os.path.abspath(tmp)))
    finally:
        os.close(fd)
    return note


def pending_temp_files(folder: Path) -> list[tuple[Path, int, Path]]:
    """(note, pid, temporary file) of every write noted in `folder` by `atomic_write`."""
    found = []
    for note in sorted(Path(folder).glob(f"*{PENDING}")) if Path(folder).is_dir() else ():
        try:
            pid = int(note.name.split(".", 1)[0])
            found.append((note, pid, Path(os.fsdecode(note.read_bytes()))))
        except (ValueError, OSError):
            found.append((note, 0, Path()))
    return found


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` (0600) in place, unsynced: for new files that nothing names yet,
    which the caller flushes together before naming them."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        write_all(fd, data)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes, flush_every: int = 0) -> None:
    """Write all of `data`. With `flush_every`, it is flushed to the disk (fdatasync) every so
    many bytes and each flush is followed by a pause as long as it took: a large background
    write then never queues much ahead of a small fsync elsewhere, and leaves the disk free
    half the time."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:flush_every] if flush_every else view)
        view = view[written:]
        if flush_every and view:
            began = time.monotonic()
            os.fdatasync(fd)
            time.sleep(time.monotonic() - began)


def open_private_append(path: Path) -> int:
    """A file descriptor for appending to `path`, created 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd
