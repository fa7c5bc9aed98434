"""The records a coder file holds: codes, codings, memos and history entries."""

from __future__ import annotations

import functools
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone

KINDS = ("code", "subtheme", "theme", "category")
CODABLE_KINDS = ("code", "subtheme")
MEMO_TARGETS = ("project", "transcript", "code", "coding", "cell")  # cell: a framework matrix cell
CODER_FORMAT = "workbench-coder-file"  # what a coder file's meta record says it is
CODER_SCHEMA = 1

# Distinct colours that stay readable on dark and light terminals.
PALETTE = (
    "#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6",
    "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000", "#aaffc3",
)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_id() -> str:
    return uuid.uuid4().hex


@functools.cache
def _field_names(cls) -> frozenset[str]:
    # Computed once per class: loading 50,000 codings would otherwise spend most of its time here.
    return frozenset(f.name for f in fields(cls))


class Record:
    """Shared conversion of the dataclass records to and from stored dicts."""

    @classmethod
    def from_dict(cls, data: dict):
        known = _field_names(cls)
        return cls(**{k: v for k, v in data.items() if k in known})

    def to_dict(self) -> dict:
        return asdict(self)


class FlatRecord(Record):
    """A record whose fields are all plain values (str, int, bool, None): its dict is a shallow
    copy, several times cheaper than `asdict`'s deep one, on the path of every coding."""

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in _field_order(type(self))}


@functools.cache
def _field_order(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@dataclass(slots=True)
class Code(FlatRecord):
    id: str
    name: str
    parent: str | None = None
    kind: str = "code"
    color: str = PALETTE[0]
    description: str = ""
    created: str = field(default_factory=now)
    modified: str = field(default_factory=now)

    @property
    def codable(self) -> bool:
        return self.kind in CODABLE_KINDS


@dataclass(slots=True)
class Coding(FlatRecord):
    id: str
    code: str
    transcript: str
    start: int
    end: int
    text: str
    corrected: str | None = None
    exemplar: bool = False
    review: str | None = None  # why a corrected transcript left this coding for a person to check
    created: str = field(default_factory=now)
    modified: str = field(default_factory=now)

    @property
    def quote(self) -> str:
        """The text to publish: the corrected text when there is one, else the verbatim."""
        return self.corrected if self.corrected is not None else self.text


@dataclass(slots=True)
class Memo(FlatRecord):
    id: str
    target_type: str
    target: str | None
    text: str
    title: str = ""
    created: str = field(default_factory=now)
    modified: str = field(default_factory=now)


@dataclass(slots=True)
class Resolution(Record):
    """How two coders' disagreement on one item was settled in the consensus file.

    `id` is the item's key (`workbench.analysis.disagreements`); `decision` is one of
    take_a, take_b, both, neither, skip."""

    id: str
    code: str
    transcript: str
    unit: str
    decision: str
    a_spans: list = field(default_factory=list)
    b_spans: list = field(default_factory=list)
    note: str = ""
    created: str = field(default_factory=now)
    modified: str = field(default_factory=now)


@dataclass(slots=True)
class DoneMark(FlatRecord):
    """A coder's mark that they have finished coding a transcript (one with nothing to code
    is still coded); `id` is the transcript's id."""

    id: str
    created: str = field(default_factory=now)


@dataclass(slots=True)
class HistoryEntry(Record):
    seq: int
    time: str
    action: str
    summary: str
    changes: list
    state: str = "done"  # done | undone | dropped (undone, then superseded by a new change)
