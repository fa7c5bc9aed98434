"""Where each table lies in a compacted TinyDB JSON file, so opening it parses only what is needed.

Compaction writes the file table by table (`{"name":{...},"name":{...}}`, still one plain
JSON object) and, beside it, `<file>.index`: the byte span of every table, and the file's
size, mtime and inode at that moment. Opening a file whose index still matches parses the
eager tables one by one and keeps the others (for a coder file, its history) as
`LazyTable`s: their bytes, parsed on first use.

The file's owner may also have each table summarised (`summarise`: a table's name and
documents to a small JSON value, or None), for a reader that needs only that much of a
table it leaves lazy: a coder file's coding tables as the spans of each code, which is all
`workbench stats` reads of them. The summaries are the index's second line, parsed only
when a reader first asks for one. A summary is as current as the index: a table the
journal has changed since is a plain table again, and has none.

A file changed by anything else (TinyDB's own storage, an editor) no longer matches its
index and is parsed whole: the index must name the file's size and mtime, and its spans
with the glue between them (`{`, `,"name":`, `}`) must cover the file's bytes exactly. The
inode is not compared, so a copy that keeps the mtime (`cp -a`) keeps its index.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import orjson

from workbench.errors import DamagedFile
from workbench.securefs import atomic_write


Summarise = Callable[[str, Mapping], object]  # (table name, its documents) -> a JSON value, or None


class LazyTable(Mapping):
    """A table kept as its JSON bytes until something reads it (TinyDB only reads tables
    through the Mapping methods, and replaces a table with a new dict when it writes one)."""

    __slots__ = ("name", "raw", "_summaries", "_docs")

    def __init__(self, name: str, raw: bytes | memoryview, summaries: "Summaries | None" = None):
        self.name, self.raw, self._summaries, self._docs = name, raw, summaries, None

    @property
    def summary(self):
        """What the index's summaries say of this table, or None."""
        return None if self._summaries is None else self._summaries.get(self.name)

    @property
    def docs(self) -> dict:
        if self._docs is None:
            try:
                docs = orjson.loads(self.raw)
            except orjson.JSONDecodeError as err:
                raise DamagedFile(f"table {self.name!r} is not valid JSON ({err})") from None
            if not isinstance(docs, dict):
                raise DamagedFile(f"table {self.name!r} is not a table (expected an object)")
            self._docs = docs
        return self._docs

    def __getitem__(self, key):
        return self.docs[key]

    def __iter__(self):
        return iter(self.docs)

    def __len__(self):
        return len(self.docs)

    def json(self) -> bytes:
        return self.raw if self._docs is None else orjson.dumps(self._docs)


class Summaries:
    """The summaries line of an index, parsed on the first `get` (most readers never ask)."""

    __slots__ = ("raw", "_by_table")

    def __init__(self, raw: bytes):
        self.raw, self._by_table = raw, None

    def get(self, name: str):
        if self._by_table is None:
            try:
                parsed = orjson.loads(self.raw)
            except orjson.JSONDecodeError:
                parsed = None
            self._by_table = parsed if type(parsed) is dict else {}  # unreadable: no summaries, tables are parsed
        return self._by_table.get(name)


def index_path(path: Path) -> Path:
    return path.with_name(path.name + ".index")


def serialise_tables(data: dict) -> tuple[bytearray, list[tuple[str, int, int]]]:
    """The JSON of `data`, written table by table, and the byte span of each table's value.

    Built up table by table (never one join of the whole file), so that a fold running in
    a background thread holds the interpreter only briefly at a time."""
    blob, spans = bytearray(b"{"), []
    for i, (name, table) in enumerate(data.items()):
        blob += (b"," if i else b"") + orjson.dumps(name) + b":"
        start = len(blob)
        blob += table.json() if isinstance(table, LazyTable) else orjson.dumps(table)
        spans.append((name, start, len(blob)))
    blob += b"}"
    return blob, spans


def summarise_tables(data: dict, summarise: Summarise) -> dict:
    """Each table's summary, by name, for the tables that have one."""
    found = {}
    for name, table in data.items():
        summary = summarise(name, table)
        if summary is not None:
            found[name] = summary
    return found


def write_with_index(path: Path, data: dict, flush_every: int = 0, summarise: Summarise | None = None) -> None:
    """Replace `path` atomically with `data`, then record where its tables lie (and, with
    `summarise`, what each table sums up to, on the index's second line)."""
    blob, spans = serialise_tables(data)
    summaries = b"\n" + orjson.dumps(summarise_tables(data, summarise)) if summarise is not None else b""
    index_path(path).unlink(missing_ok=True)  # never let an old index describe the new file
    atomic_write(path, blob, flush_every=flush_every)
    stat = os.stat(path)
    head = orjson.dumps({"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "tables": spans})
    atomic_write(index_path(path), head + summaries)


def read_with_index(path: Path, raw: bytes, lazy_prefixes: tuple[str, ...]) -> dict | None:
    """The tables of `raw` (the bytes of `path`) through its index; None when there is no
    index, it describes another version of the file, or its spans do not fit the bytes."""
    try:
        head, _, summaries = index_path(path).read_bytes().partition(b"\n")  # JSON as orjson writes it: one line
        index = orjson.loads(head)
        stat = os.stat(path)
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(index, dict) or (index.get("size"), index.get("mtime_ns")) != (len(raw), stat.st_mtime_ns):
        return None
    shared = Summaries(summaries) if summaries else None
    # A lazy table is a slice of a memoryview: it shares the file's bytes, never copied.
    view, dumps, loads, glued = memoryview(raw), orjson.dumps, orjson.loads, raw.startswith
    data, covered = {}, 0
    try:
        for name, start, end in index["tables"]:
            glue = (b"," if covered else b"{") + dumps(name) + b":"
            if start - covered != len(glue) or not glued(glue, covered) or not start <= end:
                return None
            covered = end
            if name.startswith(lazy_prefixes):
                data[name] = LazyTable(name, view[start:end], shared)
                continue
            table = loads(raw[start:end])  # bytes: orjson parses them faster than a view
            if type(table) is not dict:
                return None
            data[name] = table
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return data if raw[covered:] == (b"}" if covered else b"{}") else None
