"""The search index on disk: a short header, an orjson description, then raw sections.

    0   8 bytes   b"WBSEARCH"
    8   u32 LE    format version
    12  u32 LE    length H of the description
    16  H bytes   orjson: {"fingerprint", "passages", "dense_min", "grams", "sections"}
    16+H          the body: every section, where "sections" says ({name: [start, length]})

Numbers in sections are little-endian arrays. Nothing is executed or unpickled: a file
from elsewhere can at worst be refused or give wrong hits. The body is memory-mapped,
so opening costs the description only; pages are read as queries touch them.
"""

from __future__ import annotations

import mmap
import os
import struct
import sys
from array import array
from pathlib import Path
from typing import BinaryIO

import orjson

from workbench.errors import DamagedFile
from workbench.securefs import atomic_write, make_private_dir

MAGIC = b"WBSEARCH"
VERSION = 1
_PREFIX = struct.Struct("<8sII")

if array("I").itemsize != 4 or array("Q").itemsize != 8:  # pragma: no cover - exotic platforms
    raise ImportError("workbench.search needs 4-byte 'I' and 8-byte 'Q' arrays")


class SearchIndexError(DamagedFile):
    """A search index file that cannot be read as one: its path and what is wrong."""


class Stale(Exception):
    """The file is a search index, but for other transcripts or another format version."""


def array_bytes(values: array) -> bytes:
    if sys.byteorder == "big":  # pragma: no cover
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def array_from(typecode: str, data: bytes) -> array:
    values = array(typecode)
    values.frombytes(data)
    if sys.byteorder == "big":  # pragma: no cover
        values.byteswap()
    return values


def write(path: Path, description: dict, body: bytes | memoryview) -> None:
    """Atomically replace `path` (0600; a missing folder is made 0700)."""
    path = Path(path)
    make_private_dir(path.parent)
    encoded = orjson.dumps(description)
    atomic_write(path, b"".join((_PREFIX.pack(MAGIC, VERSION, len(encoded)), encoded, body)))


def read(path: Path, fingerprint: str | None) -> tuple[dict, mmap.mmap, int] | None:
    """(description, mapped file, where the body starts); None if there is no file.

    Raises `Stale` for another fingerprint or format version, `SearchIndexError` for a
    file that is not a search index or is cut short.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            return _read(path, handle, fingerprint)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SearchIndexError(f"{path}: cannot read the search index ({error.strerror})") from error


def _read(path: Path, handle: BinaryIO, fingerprint: str | None) -> tuple[dict, mmap.mmap, int]:
    prefix = handle.read(_PREFIX.size)
    if len(prefix) < _PREFIX.size or prefix[:8] != MAGIC:
        raise SearchIndexError(f"{path}: not a workbench search index")
    _, version, length = _PREFIX.unpack(prefix)
    if version != VERSION:
        raise Stale(f"{path}: search index format {version}, this workbench reads {VERSION}")
    encoded = handle.read(length)
    try:
        description = orjson.loads(encoded) if len(encoded) == length else None
    except orjson.JSONDecodeError:
        description = None
    if not isinstance(description, dict):
        raise SearchIndexError(f"{path}: the search index description is damaged")
    if fingerprint is not None and description.get("fingerprint") != fingerprint:
        raise Stale(f"{path}: the search index was built from other transcripts")
    body = _PREFIX.size + length
    _check(path, description, os.fstat(handle.fileno()).st_size - body)
    return description, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), body


def _check(path: Path, description: dict, body_size: int) -> None:
    def damaged(what: str) -> SearchIndexError:
        return SearchIndexError(f"{path}: the search index is damaged ({what})")

    passages, dense_min = description.get("passages"), description.get("dense_min")
    grams, sections = description.get("grams"), description.get("sections")
    if not (isinstance(passages, int) and passages >= 0 and isinstance(dense_min, int) and dense_min >= 1):
        raise damaged("counts")
    if not (isinstance(grams, list) and all(isinstance(gram, str) for gram in grams)):
        raise damaged("trigram list")
    if not isinstance(description.get("fingerprint"), str) or not isinstance(sections, dict):
        raise damaged("description")
    expected = {"gram_df": 4 * len(grams), "gram_at": 8 * len(grams), "text_at": 8 * (passages + 1),
                "folded_at": 8 * (passages + 1), "chars": 4 * passages, "postings": None, "text": None, "folded": None}
    for name, length in expected.items():
        where = sections.get(name)
        if not (isinstance(where, list) and len(where) == 2 and all(isinstance(n, int) and n >= 0 for n in where)):
            raise damaged(f"no section {name}")
        if where[0] + where[1] > body_size:
            raise damaged(f"section {name} is cut short")
        if length is not None and where[1] != length:
            raise damaged(f"section {name} has the wrong size")
