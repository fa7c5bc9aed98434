"""The framework matrix: participants (or waves, or the values of any participant attribute)
by themes (or the nodes of another level), each cell the number of codings under that node
attributed to that row's participants, or whether there is any (presence). A focus-group
coding counts in the row of each participant speaking in it (once per row)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from workbench.errors import WorkbenchError
from workbench.model import KINDS
from workbench.project import natural_key

MISSING = "(not recorded)"


@dataclass(frozen=True)
class Matrix:
    by: str  # "participant", "wave" or an attribute name
    level: str  # a node kind
    presence: bool
    rows: list[str]
    row_sizes: list[int]  # participants in each row
    columns: list[dict]  # {"id", "code", "path"}
    cells: list[list[int]]
    # The fullest cell, found once: shading asks for it once per cell (issue 19: recomputing it
    # there walked 6,060 cells 6,060 times). The matrix is frozen, so it cannot go stale.
    peak: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "peak", max((v for row in self.cells for v in row), default=0))

    def intensity(self, value: int) -> float:
        """0 for an empty cell, up to 1 for the fullest cell of the matrix (for shading)."""
        return value / self.peak if self.peak else 0.0

    def to_dict(self) -> dict:
        return {"rows_by": self.by, "level": self.level, "cells": "presence" if self.presence else "codings",
                "columns": self.columns,
                "rows": [{"row": name, "participants": size,
                          "values": {col["path"]: value for col, value in zip(self.columns, values)}}
                         for name, size, values in zip(self.rows, self.row_sizes, self.cells)]}


def default_level(book) -> str:
    """The most abstract level below the macro-categories that the codebook has."""
    kinds = {c.kind for c in book.walk()}
    return next((k for k in ("theme", "subtheme", "code") if k in kinds), "code")


def attribute_value(attributes: dict, name: str) -> str | None:
    """An attribute looked up ignoring case and spacing ('Gender', 'gender ')."""
    wanted = name.strip().casefold()
    for key, value in attributes.items():
        if key.strip().casefold() == wanted and str(value).strip():
            return str(value).strip()
    return None


def row_key_for(project, by: str):
    """A function from (participant id, TranscriptInfo) to the label of its matrix row."""
    if by == "participant":
        return lambda pid, info: pid
    if by == "wave":
        return lambda pid, info: f"wave {info.wave}"
    people = project.participants()
    if not any(attribute_value(a, by) is not None for a in people.values()):
        known = sorted({k for a in people.values() for k in a}, key=str.casefold)
        raise WorkbenchError(f"no participant has an attribute '{by}'; rows can be participant, wave"
                             + (f" or one of: {', '.join(known)}" if known else ""))
    return lambda pid, info: attribute_value(people.get(pid, {}), by) or MISSING


class MatrixRows:
    """Which rows a coding counts in: the rows of the participant(s) it is attributed to
    (workbench.sources.attribution), each row once; and which participants make up a row."""

    def __init__(self, project, by: str):
        from workbench.sources.attribution import Attribution

        self.attribution = Attribution(project)
        key_of = row_key_for(project, by)
        self.infos = self.attribution.infos
        self.members: dict[str, set] = defaultdict(set)
        self._row: dict[tuple[str, str], str] = {}  # (transcript, participant) -> row
        self.fixed: dict[str, str] = {}  # transcript -> the one row all its codings count in
        for tid, info in self.infos.items():
            for pid in self.attribution.transcript(tid):
                row = self._row[(tid, pid)] = key_of(pid, info)
                self.members[row].add(pid)
            pid = self.attribution.fixed(tid)
            if pid is not None:
                self.fixed[tid] = self._row[(tid, pid)]

    def of(self, coding) -> tuple[str, ...]:
        tid = coding.transcript
        if tid in self.fixed:
            return (self.fixed[tid],)
        return tuple(dict.fromkeys(self._row[(tid, pid)] for pid in self.attribution.of(coding)))


def column_index(book, column_ids: list[str]) -> dict[str, int]:
    """code id -> the index of the column whose codings it counts for: the first column, in
    tree order, whose subtree holds it (so a column nested in another counts under the outer)."""
    column_of: dict[str, int] = {}
    for index, column_id in enumerate(column_ids):
        for code_id in book.subtree_ids(column_id):
            column_of.setdefault(code_id, index)
    return column_of


def build_matrix(project, coder, by: str = "participant", level: str | None = None,
                 presence: bool = False, codings: list | None = None) -> Matrix:
    book = coder.codebook
    level = level or default_level(book)
    if level not in KINDS:
        raise WorkbenchError(f"unknown level '{level}': use one of {', '.join(KINDS)}")
    columns = [c for c in book.walk() if c.kind == level]
    if not columns:
        raise WorkbenchError(f"the codebook has no node of kind '{level}'; try --level {default_level(book)}")
    rows_of = MatrixRows(project, by)
    members, fixed = rows_of.members, rows_of.fixed
    column_of = column_index(book, [c.id for c in columns])
    counts: dict[str, list[int]] = {row: [0] * len(columns) for row in members}
    for coding in coder.codings() if codings is None else codings:
        index = column_of.get(coding.code)
        if index is None:
            continue
        row = fixed.get(coding.transcript)
        if row is not None:  # an interview: no span to look at (50,000 codings)
            counts[row][index] += 1
        else:
            for row in rows_of.of(coding):
                counts[row][index] += 1
    rows = sorted(counts, key=lambda r: (r == MISSING, natural_key(r)))
    cells = [[min(v, 1) if presence else v for v in counts[r]] for r in rows]
    return Matrix(by=by, level=level, presence=presence, rows=rows, row_sizes=[len(members[r]) for r in rows],
                  columns=[{"id": c.id, "code": c.name, "path": book.path(c.id)} for c in columns], cells=cells)
