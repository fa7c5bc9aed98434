"""A coder's codings in their most compact form: per transcript, the spans of each code
(`{code id: [start, end, start, end, ...]}`), which is all a count by code, transcript or
speaker reads of them.

The coder file's index keeps this form of every coding table (`summarise_coding_table`), so
`workbench stats` on a survey of 60,000 codings reads its 40,000 tables without parsing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from workbench.model import Coding
from workbench.storage.table_index import LazyTable

CODINGS_PREFIX = "codings:"

SpansByCode = dict[str, list[int]]


def spans_by_code(docs: Mapping[str, Mapping]) -> SpansByCode:
    """The spans of each code in one coding table (its documents by id)."""
    spans: SpansByCode = {}
    for doc in docs.values():
        spans.setdefault(doc["code"], []).extend((doc["start"], doc["end"]))
    return spans


def summarise_coding_table(name: str, docs: Mapping[str, Mapping]) -> SpansByCode | None:
    """What the coder file's index keeps of a table: a coding table's spans by code (none for
    a table with a malformed coding: a reader then parses the table, and says what is wrong)."""
    if not name.startswith(CODINGS_PREFIX):
        return None
    try:
        return spans_by_code(docs)
    except (KeyError, TypeError, AttributeError):
        return None


def spans_of_tables(tables: Mapping[str, Mapping]) -> dict[str, SpansByCode]:
    """The form of every coding table among a coder file's tables, as its storage holds them:
    a table left unread gives what the index kept of it; any other table is read."""
    found: dict[str, SpansByCode] = {}
    for name, table in tables.items():
        if name.startswith(CODINGS_PREFIX):
            summary = table.summary if isinstance(table, LazyTable) else None
            found[name[len(CODINGS_PREFIX):]] = summary if type(summary) is dict else spans_by_code(table)
    return found


def spans_by_transcript(codings: Iterable[Coding]) -> dict[str, SpansByCode]:
    """The same form, made from coding records."""
    found: dict[str, SpansByCode] = {}
    for coding in codings:
        found.setdefault(coding.transcript, {}).setdefault(coding.code, []).extend((coding.start, coding.end))
    return found


class CodingSpan(NamedTuple):
    """A coding known by its code and span alone (no id: counts and ranks need none)."""

    code: str
    transcript: str
    start: int
    end: int
    id: str | None = None
