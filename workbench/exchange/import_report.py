"""The import report of a .qdpx: how each source's positions were read, and every selection
placed exactly, placed unchecked, moved (from where to where, and why) or left out, with its
text. The counts add up to the selections in the file, but for those that hold no coding
and only mark where a Case speaks (a focus group's turns), which are counted apart; a
Case's link to a selection that cannot be used is named with the reason.

`workbench import study.qdpx` prints it and saves it in the project's `imports/` folder
(kept with the project, unlike `cache/`), named after the file and the time of the import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from workbench.securefs import atomic_write, make_private_dir
from workbench.terminal_safety import inert

OUTCOMES = ("exact", "unchecked", "moved", "left out")
REPORTS_FOLDER = "imports"


@dataclass
class SelectionOutcome:
    source: str
    guid: str
    outcome: str
    given: tuple[int, int]  # as the file gives them
    placed: tuple[int, int] | None  # on the stored text
    text: str  # the name the file gives, else the text placed
    why: str = ""


@dataclass
class SourceReading:
    name: str
    reading: str
    evidence: str
    selections: int


@dataclass
class ImportReport:
    file: str
    origin: str = ""
    sources: list[SourceReading] = field(default_factory=list)
    codes: int = 0
    outcomes: list[SelectionOutcome] = field(default_factory=list)
    case_selections: int = 0  # selections with no coding that mark where a Case speaks
    case_notes: list[str] = field(default_factory=list)  # a Case's selection links ignored, and why
    saved: Path | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def doubtful(self) -> list[SelectionOutcome]:
        return [o for o in self.outcomes if o.outcome in ("moved", "left out")]

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(o)} {o}" for o in OUTCOMES)
        marks = (f"; {plural(self.case_selections, 'selection')} only mark{'s' if self.case_selections == 1 else ''} "
                 "where a case speaks" if self.case_selections else "")
        return f"{plural(len(self.outcomes), 'selection')}: {counts}{marks}"

    def lines(self, room: int | None = None) -> list[str]:
        """The report; with `room`, each list is cut after that many entries."""
        out = [f"Import report: {self.file}" + (f" (written by {inert(self.origin)})" if self.origin else ""),
               f"{plural(len(self.sources), 'text source')}, {plural(self.codes, 'code')}, {self.summary()}"]
        out += cut([f"  source '{inert(s.name)}': {plural(s.selections, 'selection')}, positions read as {s.reading} "
                    f"({s.evidence})" for s in self.sources], room)
        other = [o for o in self.outcomes if o.outcome == "exact" and o.why]
        if other:
            out.append(f"exact under another reading than their source's ({len(other)}):")
            out += cut([self.line(o) for o in other], room)
        for outcome in ("unchecked", "moved", "left out"):
            chosen = [o for o in self.outcomes if o.outcome == outcome]
            if chosen:
                out.append(f"{outcome} ({len(chosen)}):")
                out += cut([self.line(o) for o in chosen], room)
        if self.case_notes:
            out.append(f"case links not used ({len(self.case_notes)}):")
            out += cut([f"  {inert(note)}" for note in self.case_notes], room)
        return out

    @staticmethod
    def line(o: SelectionOutcome) -> str:
        given = f"{o.given[0]}-{o.given[1]}"
        where = f"{given} -> {o.placed[0]}-{o.placed[1]}" if o.placed and o.placed != o.given else given
        return f"  '{inert(o.source)}' {where} {quoted(o.text)}: {o.why or o.outcome}"

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"

    def save(self, project_root: Path) -> Path:
        folder = Path(project_root) / REPORTS_FOLDER
        make_private_dir(folder)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(self.file).stem)[:60] or "import"
        path = folder / f"{stem}-{stamp}.txt"
        n = 1
        while path.exists():
            n += 1
            path = folder / f"{stem}-{stamp}-{n}.txt"
        atomic_write(path, self.text().encode("utf-8"))
        self.saved = path
        return path


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def cut(lines: list[str], room: int | None) -> list[str]:
    if room is None or len(lines) <= room:
        return lines
    return lines[:room] + [f"  ... and {len(lines) - room} more (in the saved report)"]


def quoted(text: str, room: int = 70) -> str:
    text = " ".join(inert(text).split())
    return repr(text if len(text) <= room else text[:room - 1] + "…")
