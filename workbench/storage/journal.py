"""A TinyDB storage that stays fast and durable at tens of thousands of records.

TinyDB's own JSONStorage rewrites the whole file on every change. Here a change appends
what it changed, document by document, to a journal beside the file (`<file>.journal`)
and fsyncs it: a coding costs one record of a few hundred bytes, however large its table,
the file or the history. The full JSON file is rewritten ("folded") atomically when the
journal grows past `compact_after` (in a background thread, off the writer's path) and
when the storage closes, so after a clean close the file is a plain TinyDB JSON file.

A record is one line, `<crc32 hex> <json>\n`, holding a list of operations, each an
assignment: put a document, delete one, merge fields into one, replace or drop a whole
table. Replaying a record twice therefore changes nothing, which makes every crash point
of a fold harmless. A record without its newline, or whose checksum fails, is a torn write
(a write that never returned): it is skipped, and cut off before the next append, so every
record starts on a fresh line.

Folding in the background: the writer renames the journal to `<file>.journal.folding`
(later appends go to a new journal), hands a shallow copy of its tables to a thread, and
goes on; a table is copied before its first change while the thread may still read it.
The thread writes the file and its index, then deletes the `.folding` journal. Loading
replays the file, then `.folding` (if a fold was cut short), then the journal.
Compaction also writes an index of where each table lies (see table_index.py), so that
opening the file can leave tables named by `lazy_prefixes` unparsed until they are read,
and of what `summarise` makes of each table (for a reader that needs only that much).
"""

from __future__ import annotations

import os
import sys
import threading
import zlib
from contextlib import contextmanager
from pathlib import Path

import orjson
from tinydb.storages import Storage

from workbench.errors import CompactionFailed, DamagedFile, StorageFailure
from workbench.securefs import fsync_dir, open_private_append, write_all
from workbench.storage.table_index import LazyTable, Summarise, read_with_index, write_with_index
from workbench.gc_pause import collector_paused

COMPACT_AFTER_BYTES = 4 * 1024 * 1024  # about 3,700 codings between folds (each rewrites the whole file); opening replays at most this much
FOLD_SWITCH_INTERVAL_S = 0.0005
FOLD_FLUSH_BYTES = 512 * 1024


def journal_paths(path: Path) -> tuple[Path, Path]:
    """The journals of a coder file, in the order they are replayed: a fold's, then the live one."""
    path = Path(path)
    return path.with_name(path.name + ".journal.folding"), path.with_name(path.name + ".journal")


def encode_record(tables: dict, dropped: list[str]) -> bytes:
    """A record replacing whole tables (and dropping others): what a plain TinyDB write changes."""
    return encode_ops([["x", name] for name in dropped] + [["t", name, table] for name, table in tables.items()])


def encode_ops(ops: list) -> bytes:
    payload = orjson.dumps({"ops": ops})
    return b"%08x " % zlib.crc32(payload) + payload + b"\n"


def decode_record(line: bytes) -> dict | None:
    """The record on one journal line (without its newline), or None when it is torn or garbled."""
    crc, _, payload = line.partition(b" ")
    try:
        if int(crc, 16) != zlib.crc32(payload):
            return None
        record = orjson.loads(payload)
    except (ValueError, orjson.JSONDecodeError):
        return None
    return record if isinstance(record, dict) else None


def record_ops(record: dict) -> list:
    """A record's operations; records of the first format held whole tables."""
    if "ops" in record:
        return record["ops"]
    return ([["t", name, table] for name, table in record.get("tables", {}).items()]
            + [["x", name] for name in record.get("dropped", [])])


def writable_table(data: dict, name: str) -> dict:
    table = data.get(name)
    if table is None:
        table = data[name] = {}
    elif isinstance(table, LazyTable):
        table = data[name] = dict(table.docs)
    return table


def apply_ops(data: dict, ops: list, writable=writable_table) -> None:
    """Apply a record's operations to `data` (tables by name)."""
    for op in ops:
        kind, name = op[0], op[1]
        if kind == "p":
            writable(data, name)[op[2]] = op[3]
        elif kind == "d":
            writable(data, name).pop(op[2], None)
        elif kind == "m":
            table = writable(data, name)
            if op[2] in table:
                table[op[2]] = {**table[op[2]], **op[3]}
        elif kind == "t":
            data[name] = op[2]
        elif kind == "x":
            data.pop(name, None)
        else:
            raise ValueError(f"unknown journal operation {kind!r}")


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


def read_journal(path: Path) -> tuple[list[list], int, int]:
    """The operations of each good record of a journal, the bytes they take (a torn last
    record excluded) and the number of torn records (0 or 1)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], 0, 0
    lines = raw.split(b"\n")
    tail = lines.pop()  # what follows the last newline: nothing, or a record cut before its newline
    records, good = [], 0
    for number, line in enumerate(lines, 1):
        ops = ops_of(line)
        if ops is None:
            if number < len(lines) or tail:  # a later record was written after it: it had returned
                raise DamagedFile(f"{path}: record {number} of {len(lines) + bool(tail)} is garbled, so later "
                                  f"changes cannot be trusted; it was left untouched ('workbench doctor' restores a backup)")
            return records, good, 1
        records.append(ops)
        good += len(line) + 1
    return records, good, int(bool(tail))


def ops_of(line: bytes) -> list | None:
    record = decode_record(line)
    if record is None:
        return None
    try:
        ops = record_ops(record)
    except (AttributeError, TypeError):
        return None
    return ops if isinstance(ops, list) and all(isinstance(op, list) and len(op) >= 2 for op in ops) else None


class JournalStorage(Storage):
    """TinyDB storage: `TinyDB(path, storage=JournalStorage, readonly=False)`.

    Besides TinyDB's whole-data `write`, it takes changes document by document (`put`,
    `delete`, `merge`, grouped by `batch`), which is what keeps a record small."""

    def __init__(self, path, readonly: bool = False, compact_after: int = COMPACT_AFTER_BYTES,
                 lazy_prefixes: tuple[str, ...] = (), summarise: Summarise | None = None):
        self.path = Path(path)
        self.lazy_prefixes = tuple(lazy_prefixes)
        self.summarise = summarise
        self.folding_path, self.journal_path = journal_paths(self.path)
        self.readonly = readonly
        self.compact_after = compact_after
        self.skipped_records = 0
        self._journal_fd: int | None = None
        self._journal_size = 0
        self._batch: list | None = None
        self._next_ids: dict[str, int] = {}
        self._fold: threading.Thread | None = None
        self._named: threading.Event | None = None  # set once a fold has made the new journal's name durable
        self._shared: set[str] = set()  # tables a running fold may still be reading
        self.fold_error: OSError | None = None
        self._fold_backoff = 0  # after a failed fold, the journal grows this much more before the next try
        self._data = self._load()

    # -- reading -------------------------------------------------------------
    def _load(self) -> dict:
        # A writer in another process may fold (replace the file, then delete the journal
        # it folded) while we read: a file that changed under us is read again.
        with collector_paused():
            for _ in range(5):
                before = file_identity(self.path)
                data = self._load_file_and_journal()
                if file_identity(self.path) == before:
                    break
            return data

    def _load_file_and_journal(self) -> dict:
        data = load_tables(self.path, self.lazy_prefixes)
        # The live journal is read before the folding one: a writer renames the live one
        # to the folding name, so this order never misses a record that was already there.
        live, self._journal_size, torn_live = read_journal(self.journal_path)
        folding, _, torn_folding = read_journal(self.folding_path)
        self.skipped_records = torn_live + torn_folding
        for ops in folding + live:
            try:
                apply_ops(data, ops)
            except (TypeError, ValueError, IndexError, AttributeError) as err:
                raise DamagedFile(f"{self.journal_path}: a record is malformed ({err}); it was left untouched") from None
        self._next_ids = {}
        self._shared = set()
        return data

    def read(self):
        # A fresh top-level dict: TinyDB swaps in new table objects on write, and
        # comparing them with ours tells which tables changed.
        return dict(self._data) if self._data else None

    def reload(self) -> None:
        """Go back to what the disk holds."""
        self._data = self._load()

    @property
    def has_pending_journal(self) -> bool:
        return self._journal_size > 0

    # -- writing, document by document -----------------------------------------
    def next_doc_id(self, table: str) -> int:
        if table not in self._next_ids:
            self._next_ids[table] = max(map(int, self._data.get(table, ())), default=0) + 1
        return self._next_ids[table]

    def put(self, table: str, doc_id: str, doc: dict) -> None:
        self._change(["p", table, doc_id, doc])
        number = int(doc_id)
        if table in self._next_ids and number >= self._next_ids[table]:
            self._next_ids[table] = number + 1

    def delete(self, table: str, doc_id: str) -> None:
        self._change(["d", table, doc_id])

    def merge(self, table: str, doc_id: str, fields: dict) -> None:
        """Set some fields of a document (the rest of it is not written again)."""
        self._change(["m", table, doc_id, fields])

    def _change(self, op: list) -> None:
        if self.readonly:
            raise StorageFailure(f"{self.path}: opened read-only")
        apply_ops(self._data, [op], self._writable)
        if self._batch is not None:
            self._batch.append(op)
        else:
            self._append([op])

    def _writable(self, data: dict, name: str) -> dict:
        if name in self._shared:
            self._shared.discard(name)
            if self._fold is not None and self._fold.is_alive():  # copy on write: the fold keeps its copy
                table = data.get(name)
                data[name] = dict(table.docs if isinstance(table, LazyTable) else table)
        return writable_table(data, name)

    # -- writing, as TinyDB does ---------------------------------------------
    def write(self, data: dict) -> None:
        if self.readonly:
            raise StorageFailure(f"{self.path}: opened read-only")
        ops = [["x", name] for name in self._data if name not in data]
        ops += [["t", name, table] for name, table in data.items() if self._data.get(name) is not table]
        self._data = dict(data)
        for op in ops:
            self._next_ids.pop(op[1], None)
        if self._batch is not None:
            self._batch.extend(ops)
        else:
            self._append(ops)

    @contextmanager
    def batch(self):
        """Group several changes into one journal record and one fsync."""
        if self._batch is not None:
            yield
            return
        self._batch = []
        try:
            yield
        except BaseException:
            self._batch = None
            self.reload()
            raise
        pending, self._batch = self._batch, None
        if pending:
            self._append(pending)

    def _append(self, ops: list) -> None:
        record = encode_ops(ops)
        try:
            if self._journal_fd is None:
                self._journal_fd = open_private_append(self.journal_path)
                os.ftruncate(self._journal_fd, self._journal_size)  # a torn tail goes: this record starts a line
                fsync_dir(self.journal_path.parent)  # a new journal's name must survive a crash too
            try:
                write_all(self._journal_fd, record)
                os.fsync(self._journal_fd)
                if self._named is not None:  # the journal a fold began: its name is made durable by the fold
                    self._named.wait()
                    if not getattr(self._named, "ok", False):
                        fsync_dir(self.journal_path.parent)
                    self._named = None
            except OSError:
                os.ftruncate(self._journal_fd, self._journal_size)
                raise
        except OSError as err:
            # Memory now runs ahead of the disk: go back to what the disk holds.
            self.reload()
            raise StorageFailure(f"{self.path}: not saved ({err.strerror or err}); the last saved state is intact") from err
        self._journal_size += len(record)
        if self._journal_size > self.compact_after + self._fold_backoff and not self.folding:
            self._start_fold()

    # -- folding -------------------------------------------------------------
    @property
    def folding(self) -> bool:
        """True while a fold runs in the background."""
        return self._fold is not None and self._fold.is_alive()

    def _start_fold(self) -> None:
        """Hand the current tables to a background fold; costs the writer a rename and an open."""
        named = None
        if not self.folding_path.exists():  # else an earlier fold did not finish: fold over it
            try:
                os.replace(self.journal_path, self.folding_path)
            except OSError as err:
                self.fold_error = err
                return
            os.close(self._journal_fd)
            self._journal_fd, self._journal_size = None, 0
            try:
                self._journal_fd = open_private_append(self.journal_path)
                named = self._named = threading.Event()
            except OSError:
                pass  # the next append opens it, and makes its name durable itself
        snapshot = dict(self._data)
        self._shared = set(snapshot)
        self._fold = threading.Thread(target=self._fold_in_background, args=(snapshot, named), name="journal-fold")
        self._fold.start()

    def _fold_in_background(self, snapshot: dict, named: threading.Event | None) -> None:
        # The writer's thread waits for the interpreter after each system call of a write;
        # a short switch interval while the fold runs bounds that wait (5 ms by default).
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(switch_interval, FOLD_SWITCH_INTERVAL_S))
        if named is not None:
            # The new journal's name (and the old one's rename) made durable here, between
            # key presses: the first append to it waits only if it comes sooner.
            try:
                fsync_dir(self.path.parent)
                named.ok = True
            except OSError:
                named.ok = False
            finally:
                named.set()
        try:
            # Written in steps: the writer's journal fsync then never queues behind the whole file.
            write_with_index(self.path, snapshot, flush_every=FOLD_FLUSH_BYTES, summarise=self.summarise)
            self.folding_path.unlink(missing_ok=True)
            self.fold_error, self._fold_backoff = None, 0
        except Exception as err:  # every change is still in the journals; a later fold tries again
            self.fold_error, self._fold_backoff = err, self._journal_size
        finally:
            sys.setswitchinterval(switch_interval)

    def wait_for_fold(self) -> None:
        if self._fold is not None:
            self._fold.join()
            self._fold = None
        self._shared = set()

    def compact(self) -> None:
        """Fold the journals into the JSON file (atomically), then delete them."""
        if self.readonly:
            return
        self.wait_for_fold()
        try:
            write_with_index(self.path, self._data, summarise=self.summarise)
            self.folding_path.unlink(missing_ok=True)
            if self._journal_fd is not None:
                os.ftruncate(self._journal_fd, 0)
                os.fsync(self._journal_fd)
            elif self.journal_path.exists():
                self.journal_path.unlink()
        except OSError as err:
            raise CompactionFailed(f"{self.path}: could not compact ({err.strerror or err}); the journal still holds every change") from err
        self._journal_size = 0

    def close(self) -> None:
        try:
            self.wait_for_fold()
            if not self.readonly and (self._journal_size or self.folding_path.exists() or not self.path.exists()):
                self.compact()
        finally:
            self.wait_for_fold()
            if self._journal_fd is not None:
                os.close(self._journal_fd)
                self._journal_fd = None
        if not self.readonly and self.journal_path.exists() and self.journal_path.stat().st_size == 0:
            self.journal_path.unlink()
