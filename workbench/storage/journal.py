"""A TinyDB storage that stays fast and durable at tens of thousands of records.

TinyDB's own JSONStorage rewrites the whole file on every change. Here a change appends
the tables it touched to a journal beside the file (`<file>.journal`) and fsyncs it; the
full JSON file is rewritten atomically only when the journal grows large and when the
storage closes, so after a clean close the file is a plain TinyDB JSON file.

Journal records hold whole tables, so replaying one twice changes nothing: a crash
between rewriting the file and emptying the journal is harmless. Each record is one line,
`<crc32 hex> <json>`; a torn or garbled record (a write that never returned) is skipped.
Callers split their data into many small tables (codings per transcript, history in
chunks) so a record stays small. Compaction also writes an index of where each table lies
(see table_index.py), so that opening the file can leave tables named by `lazy_prefixes`
unparsed until they are read.
"""

from __future__ import annotations

import os
import zlib
from contextlib import contextmanager
from pathlib import Path

import orjson
from tinydb.storages import Storage

from workbench.errors import CompactionFailed, DamagedFile, StorageFailure
from workbench.securefs import fsync_dir, open_private_append, write_all
from workbench.storage.table_index import read_with_index, write_with_index
from workbench.gc_pause import collector_paused

COMPACT_AFTER_BYTES = 16 * 1024 * 1024


def encode_record(tables: dict, dropped: list[str]) -> bytes:
    payload = orjson.dumps({"tables": tables, "dropped": dropped})
    return b"%08x " % zlib.crc32(payload) + payload + b"\n"


def decode_record(line: bytes) -> dict | None:
    """The record on one journal line, or None when the line is torn or garbled."""
    crc, _, payload = line.rstrip(b"\n").partition(b" ")
    try:
        if int(crc, 16) != zlib.crc32(payload):
            return None
        record = orjson.loads(payload)
    except (ValueError, orjson.JSONDecodeError):
        return None
    return record if isinstance(record, dict) else None


def load_json_file(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    return parse_json_file(path, raw)


def load_tables(path: Path, lazy_prefixes: tuple[str, ...] = ()) -> dict:
    """The tables of a TinyDB JSON file, through its index when it has a current one."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    indexed = read_with_index(path, raw, lazy_prefixes) if raw.strip() else None
    return indexed if indexed is not None else parse_json_file(path, raw)


def file_identity(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def parse_json_file(path: Path, raw: bytes) -> dict:
    if not raw.strip():
        raise DamagedFile(f"{path}: the file is empty (a coder file holds at least its header); it was left untouched")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise DamagedFile(f"{path}: not valid JSON ({err}); it was left untouched") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DamagedFile(f"{path}: not a TinyDB file (expected an object of tables); it was left untouched")
    return data


class JournalStorage(Storage):
    """TinyDB storage: `TinyDB(path, storage=JournalStorage, readonly=False)`."""

    def __init__(self, path, readonly: bool = False, compact_after: int = COMPACT_AFTER_BYTES,
                 lazy_prefixes: tuple[str, ...] = ()):
        self.path = Path(path)
        self.lazy_prefixes = tuple(lazy_prefixes)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.readonly = readonly
        self.compact_after = compact_after
        self.skipped_records = 0
        self._journal_fd: int | None = None
        self._journal_size = 0
        self._batch: dict | None = None
        self._data = self._load()

    # -- reading -------------------------------------------------------------
    def _load(self) -> dict:
        # A writer in another process may compact (replace the file, then empty the journal)
        # while we read: a file that changed under us is read again.
        with collector_paused():
            for _ in range(5):
                before = file_identity(self.path)
                data = self._load_file_and_journal()
                if file_identity(self.path) == before:
                    break
            return data

    def _load_file_and_journal(self) -> dict:
        data = load_tables(self.path, self.lazy_prefixes)
        self.skipped_records = 0
        try:
            lines = self.journal_path.read_bytes().splitlines(keepends=True)
        except FileNotFoundError:
            lines = []
        for number, line in enumerate(lines, 1):
            record = decode_record(line)
            if record is None:
                if number < len(lines):  # only the last record can be torn by a crash
                    raise DamagedFile(f"{self.journal_path}: record {number} of {len(lines)} is garbled, so later "
                                      f"changes cannot be trusted; it was left untouched ('workbench doctor' restores a backup)")
                self.skipped_records += 1
                continue
            data.update(record.get("tables", {}))
            for name in record.get("dropped", []):
                data.pop(name, None)
        # A torn last record is cut off before the next append, so it never swallows a good one.
        self._journal_size = sum(len(line) for line in lines[:len(lines) - self.skipped_records])
        return data

    def read(self):
        # A fresh top-level dict: TinyDB swaps in new table objects on write, and
        # comparing them with ours tells which tables changed.
        return dict(self._data) if self._data else None

    @property
    def has_pending_journal(self) -> bool:
        return self._journal_size > 0

    # -- writing -------------------------------------------------------------
    def write(self, data: dict) -> None:
        if self.readonly:
            raise StorageFailure(f"{self.path}: opened read-only")
        changed = {name: table for name, table in data.items() if self._data.get(name) is not table}
        dropped = [name for name in self._data if name not in data]
        self._data = dict(data)
        if self._batch is not None:
            self._batch["tables"].update(changed)
            self._batch["dropped"].extend(dropped)
            for name in changed:
                if name in self._batch["dropped"]:
                    self._batch["dropped"].remove(name)
            return
        self._append(changed, dropped)

    @contextmanager
    def batch(self):
        """Group several TinyDB operations into one journal record and one fsync."""
        if self._batch is not None:
            yield
            return
        self._batch = {"tables": {}, "dropped": []}
        try:
            yield
        except BaseException:
            self._batch = None
            self._data = self._load()
            raise
        pending, self._batch = self._batch, None
        if pending["tables"] or pending["dropped"]:
            self._append(pending["tables"], pending["dropped"])

    def _append(self, tables: dict, dropped: list[str]) -> None:
        record = encode_record(tables, dropped)
        try:
            if self._journal_fd is None:
                self._journal_fd = open_private_append(self.journal_path)
                os.ftruncate(self._journal_fd, self._journal_size)
                fsync_dir(self.journal_path.parent)  # a new journal's name must survive a crash too
            try:
                write_all(self._journal_fd, record)
                os.fsync(self._journal_fd)
            except OSError:
                os.ftruncate(self._journal_fd, self._journal_size)
                raise
        except OSError as err:
            # Memory now runs ahead of the disk: go back to what the disk holds.
            self._data = self._load()
            raise StorageFailure(f"{self.path}: not saved ({err.strerror or err}); the last saved state is intact") from err
        self._journal_size += len(record)
        if self._journal_size > self.compact_after:
            try:
                self.compact()
            except StorageFailure:
                pass  # the change is safe in the journal; compaction is tried again later

    def compact(self) -> None:
        """Fold the journal into the JSON file (atomically), then empty the journal."""
        if self.readonly:
            return
        try:
            write_with_index(self.path, self._data)
            if self._journal_fd is not None:
                os.ftruncate(self._journal_fd, 0)
                os.fsync(self._journal_fd)
            elif self.journal_path.exists():
                self.journal_path.unlink()
        except OSError as err:
            raise CompactionFailed(f"{self.path}: could not compact ({err.strerror or err}); the journal still holds every change") from err
        self._journal_size = 0

    def close(self) -> None:
        if not self.readonly and (self._journal_size or not self.path.exists()):
            self.compact()
        if self._journal_fd is not None:
            os.close(self._journal_fd)
            self._journal_fd = None
        if not self.readonly and self.journal_path.exists() and self.journal_path.stat().st_size == 0:
            self.journal_path.unlink()
