"""Rotating daily backups of each coder file, and restoring the last good one.

The first time a day a coder file is opened for writing and reads cleanly, its state (the
JSON file with its journal folded in) is copied to `coders/backups/<name>-YYYYMMDD.json`
(0600, folder 0700); the newest `KEEP` are kept. A damaged coder file is never deleted:
`restore` moves it (and its journal) aside as `<file>.damaged-<time>` before putting the
backup in its place.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from workbench.errors import DamagedFile, NotFound
from workbench.model import CODER_FORMAT, CODER_SCHEMA
from workbench.securefs import atomic_write, make_private_dir
from workbench.storage.journal import journal_paths, load_json_file
from workbench.storage.lock import CoderLock
from workbench.storage.table_index import index_path, serialise_tables

KEEP = 7
FOLDER = "backups"
BACKUP_NAME = re.compile(r"^(?P<name>.+)-(?P<date>\d{8})\.json$")


@dataclass(frozen=True)
class Backup:
    path: Path
    coder: str
    date: str  # YYYYMMDD

    @property
    def day(self) -> str:
        return f"{self.date[:4]}-{self.date[4:6]}-{self.date[6:]}"


def backup_folder(coder_path: Path) -> Path:
    return Path(coder_path).parent / FOLDER


def backups_of(coder_path: Path) -> list[Backup]:
    """The backups of one coder file, newest first."""
    coder = Path(coder_path).stem
    folder = backup_folder(coder_path)
    found = []
    for path in folder.glob(f"{glob.escape(coder)}-*.json") if folder.is_dir() else ():
        match = BACKUP_NAME.match(path.name)
        if match and match["name"] == coder:
            found.append(Backup(path, coder, match["date"]))
    return sorted(found, key=lambda b: b.date, reverse=True)


def today() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d")


def keep_daily_backup(coder_path: Path, data: dict, keep: int = KEEP) -> Path | None:
    """Back up `data` (a coder file's state that read cleanly) unless today's backup exists.

    A backup that cannot be written (full disk) never stops the coder from working: the
    error is swallowed and `doctor` reports how old the newest backup is."""
    target = backup_folder(coder_path) / f"{Path(coder_path).stem}-{today()}.json"
    if target.exists() or not set(data or {}) - {"meta"}:  # a new, empty file has nothing to lose
        return None
    try:
        make_private_dir(target.parent)
        atomic_write(target, serialise_tables(data)[0])  # tables not read yet are copied as their bytes
    except OSError:
        return None
    for old in backups_of(coder_path)[keep:]:
        old.path.unlink(missing_ok=True)
    return target


def check_coder_data(path: Path) -> dict:
    """The tables of a coder file or backup that reads as one; DamagedFile otherwise."""
    data = load_json_file(path)
    if not data:
        raise DamagedFile(f"{path}: missing")
    meta = data.get("meta", {}).get("1")
    if not isinstance(meta, dict) or meta.get("format") != CODER_FORMAT:
        raise DamagedFile(f"{path}: not a Workbench coder file")
    if not isinstance(meta.get("schema"), int) or meta["schema"] > CODER_SCHEMA:
        raise DamagedFile(f"{path}: schema {meta.get('schema')!r} is not one this Workbench reads")
    return data


def last_good_backup(coder_path: Path, date: str | None = None) -> Backup:
    """The newest backup that reads cleanly (or the one of `date`, YYYY-MM-DD or YYYYMMDD)."""
    candidates = backups_of(coder_path)
    if date is not None:
        wanted = date.replace("-", "")
        candidates = [b for b in candidates if b.date == wanted]
        if not candidates:
            days = ", ".join(b.day for b in backups_of(coder_path)) or "none"
            raise NotFound(f"no backup of {Path(coder_path).stem} from {date} (backups: {days})")
    problems = []
    for backup in candidates:
        try:
            check_coder_data(backup.path)
            return backup
        except DamagedFile as err:
            problems.append(str(err))
    if not candidates:
        raise NotFound(f"no backups of {Path(coder_path).stem} in {backup_folder(coder_path)}")
    raise DamagedFile(f"no usable backup of {Path(coder_path).stem}: {'; '.join(problems)}")


def restore_backup(coder_path: Path, date: str | None = None) -> tuple[Backup, list[Path]]:
    """Put the last good backup in place of the coder file; returns it and where the
    replaced files were moved (nothing is deleted). Refused while a session holds the file."""
    coder_path = Path(coder_path)
    backup = last_good_backup(coder_path, date)
    lock = CoderLock(coder_path)
    lock.acquire()
    try:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        moved = []
        journals = journal_paths(coder_path)
        suffix = next(f"damaged-{stamp}" + (f"-{n}" if n else "") for n in range(1000)
                      if not any(p.with_name(f"{p.name}.damaged-{stamp}" + (f"-{n}" if n else "")).exists()
                                 for p in (coder_path, *journals)))
        asides = {path: path.with_name(f"{path.name}.{suffix}") for path in (coder_path, *journals)}
        if coder_path.exists():
            keep_aside(coder_path, asides[coder_path])  # a second name: the file stays until the backup replaces it
            moved.append(asides[coder_path])
        for journal in journals:
            if journal.exists():
                os.replace(journal, asides[journal])  # else it would be replayed over the backup
                moved.append(asides[journal])
        index_path(coder_path).unlink(missing_ok=True)  # derived from the file being replaced
        atomic_write(coder_path, backup.path.read_bytes())
    finally:
        lock.release()
    return backup, moved


def keep_aside(path: Path, aside: Path) -> None:
    try:
        os.link(path, aside)
    except OSError:  # a file system without hard links
        atomic_write(aside, path.read_bytes())
