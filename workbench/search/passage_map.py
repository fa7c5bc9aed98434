"""Where each passage of a search index came from, kept on disk beside the index.

    0   8 bytes   b"WBPASMAP"
    8   u32 LE    length H of the description
    12  H bytes   orjson: {"fingerprint", "count", "columns": {name: typecode}, "extra": {...}}
    12+H          each column in turn: `count` little-endian numbers of its typecode

A column is one number per passage (a transcript's position in a list, an offset, a
role); `extra` holds the lists those numbers point into. Loading reads the arrays whole
(a few MB at 190,000 passages, a few milliseconds), nothing is executed or unpickled.
"""

from __future__ import annotations

import struct
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from workbench.search.indexfile import SearchIndexError, array_bytes, array_from
from workbench.securefs import atomic_write, make_private_dir

MAGIC = b"WBPASMAP"
_PREFIX = struct.Struct("<8sI")


@dataclass
class PassageMap:
    fingerprint: str
    columns: dict[str, array]
    extra: dict = field(default_factory=dict)

    def __len__(self) -> int:
        first = next(iter(self.columns.values()), None)
        return len(first) if first is not None else 0

    def save(self, path: Path) -> None:
        """Write atomically, readable by the owner only (a missing folder is made 0700)."""
        path = Path(path)
        make_private_dir(path.parent)
        description = orjson.dumps({"fingerprint": self.fingerprint, "count": len(self),
                                    "columns": {name: values.typecode for name, values in self.columns.items()},
                                    "extra": self.extra})
        body = b"".join(array_bytes(values) for values in self.columns.values())
        atomic_write(path, _PREFIX.pack(MAGIC, len(description)) + description + body)

    @classmethod
    def load(cls, path: Path, fingerprint: str) -> PassageMap | None:
        """The map at `path`, or None when there is none or it was made for another fingerprint."""
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise SearchIndexError(f"{path}: cannot read the passage map ({error.strerror})") from error
        if len(data) < _PREFIX.size or data[:8] != MAGIC:
            raise SearchIndexError(f"{path}: not a workbench passage map")
        _, length = _PREFIX.unpack_from(data)
        try:
            description = orjson.loads(data[_PREFIX.size:_PREFIX.size + length])
            if description.get("fingerprint") != fingerprint:
                return None
            count, at, columns = description["count"], _PREFIX.size + length, {}
            for name, typecode in description["columns"].items():
                size = array(typecode).itemsize * count
                columns[name] = array_from(typecode, data[at:at + size])
                if len(columns[name]) != count:
                    raise ValueError(f"column {name} is cut short")
                at += size
            return cls(fingerprint, columns, description.get("extra", {}))
        except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError) as error:
            raise SearchIndexError(f"{path}: the passage map is damaged ({error})") from None
