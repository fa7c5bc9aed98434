"""Each transcript's kind of source and participant, kept beside the manifest for what
needs no more of it.

A survey's `project.json` holds 40,000 answers (20 MB, a fifth of a second to parse and
check); `workbench stats` reads of them only whose each one is. `cache/sources.json` keeps
that much, stamped with the manifest's inode, size and mtime when Workbench last wrote or
checked it: it stands for the manifest only while all three still match (the manifest is
then the one that was checked). Otherwise the manifest is parsed and checked as always,
and the roster written anew. It is derived data: deleting it costs one parse.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import orjson

from workbench.securefs import atomic_write, make_private_dir

ROSTER = Path("cache") / "sources.json"
VERSION = 1

Identity = tuple[int, int, int]  # storage.journal.file_identity: inode, mtime, size


def sources_of(transcripts: Mapping[str, Mapping]) -> Iterator[tuple[str, tuple[str, str | None]]]:
    """(transcript id, (kind of source, participant)) of each of the manifest's entries."""
    for tid, entry in transcripts.items():
        yield tid, (entry.get("kind", "interview"), entry.get("participant"))


def read_roster(root: Path, manifest: Identity | None, schema: int) -> dict[str, list] | None:
    """The roster, if it was made from the manifest as it is now (`manifest`: its identity),
    of a schema this Workbench reads (up to `schema`: a newer manifest is read, and refused)."""
    if manifest is None:
        return None
    try:
        kept = orjson.loads((root / ROSTER).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(kept, dict) or kept.get("version") != VERSION or kept.get("manifest") != list(manifest):
        return None
    if not isinstance(kept.get("schema"), int) or kept["schema"] > schema:
        return None
    sources = kept.get("sources")
    if type(sources) is not dict or not all(type(s) is list and len(s) == 2 for s in sources.values()):
        return None
    return sources


def write_roster(root: Path, manifest: Identity | None, schema: int, transcripts: Mapping[str, Mapping]) -> None:
    """Keep the roster of these entries, read from (or written as) the manifest of that identity
    and schema."""
    if manifest is None:
        return
    try:
        make_private_dir(root / ROSTER.parent)
        atomic_write(root / ROSTER, orjson.dumps({"version": VERSION, "manifest": list(manifest), "schema": schema,
                                                  "sources": dict(sources_of(transcripts))}))
    except OSError:
        pass  # a roster that cannot be written is only slower: the manifest is read instead
