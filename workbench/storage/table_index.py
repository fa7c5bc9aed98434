"""Where each table lies in a compacted TinyDB JSON file, so opening it parses only what is needed.

Compaction writes the file table by table (`{"name":{...},"name":{...}}`, still one plain
JSON object) and, beside it, `<file>.index`: the byte span of every table, and the file's
size, mtime and inode at that moment. Opening a file whose index still matches parses the
eager tables one by one and keeps the others (for a coder file, its history) as
`LazyTable`s: their bytes, parsed on first use. A file changed by anything else (TinyDB's
own storage, an editor) no longer matches its index and is parsed whole: the index must
name the file's size and mtime, and its spans with the glue between them (`{`, `,"name":`,
`}`) must cover the file's bytes exactly. The inode is not compared, so a copy that keeps
the mtime (`cp -a`) keeps its index.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import orjson

from workbench.errors import DamagedFile
from workbench.securefs import atomic_write


class LazyTable(Mapping):
    """A table kept as its JSON bytes until something reads it (TinyDB only reads tables
    through the Mapping methods, and replaces a table with a new dict when it writes one)."""

    __slots__ = ("name", "raw", "_docs")

    def __init__(self, name: str, raw: bytes | memoryview):
        self.name, self.raw, self._docs = name, raw, None

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


def write_with_index(path: Path, data: dict, flush_every: int = 0) -> None:
    """Replace `path` atomically with `data`, then record where its tables lie."""
    blob, spans = serialise_tables(data)
    index_path(path).unlink(missing_ok=True)  # never let an old index describe the new file
    atomic_write(path, blob, flush_every=flush_every)
    stat = os.stat(path)
    atomic_write(index_path(path), orjson.dumps({"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "tables": spans}))


def read_with_index(path: Path, raw: bytes, lazy_prefixes: tuple[str, ...]) -> dict | None:
    """The tables of `raw` (the bytes of `path`) through its index; None when there is no
    index, it describes another version of the file, or its spans do not fit the bytes."""
    try:
        index = orjson.loads(index_path(path).read_bytes())
        stat = os.stat(path)
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(index, dict) or (index.get("size"), index.get("mtime_ns")) != (len(raw), stat.st_mtime_ns):
        return None
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
                data[name] = LazyTable(name, view[start:end])
                continue
            table = loads(raw[start:end])  # bytes: orjson parses them faster than a view
            if type(table) is not dict:
                return None
            data[name] = table
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return data if raw[covered:] == (b"}" if covered else b"{}") else None
