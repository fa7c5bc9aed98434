"""Placing a source's selections on the stored text as the writing program meant them.

The evidence is in the file: most programs name a selection by the text it covers
(QualCoder, Workbench, ATLAS.ti's quotations), qc names it `line:N` (the N-th line, from 0),
and the project's `origin` names the program. For each source, every way of counting that
would give a different answer (`readings.candidate_readings`) is tried, and the one under
which the most selections cover their own text (or their line) is chosen; the producing
program's habit, then the REFI-QDA rule, win a tie.

Then each selection is, in this order:
    exact      it covers its text (or line) under the source's reading, or under another
               reading (a QualCoder source holds both: imported positions count code
               points, those coded in QualCoder UTF-16 units)
    unchecked  it carries no text to check (no name, or the source's names are labels);
               placed where the source's reading puts it
    moved      its text is found once near where it should be (or its `line:N` exists);
               placed there
    left out   none of these
Names are compared normalised: U+2029 and U+2028 as newlines, NFC, runs of white space as
one space, characters that XML cannot carry ignored; a name ending in "…" or "..." is the
start of its text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from workbench.exchange.positions import MappedText
from workbench.exchange.readings import DEFAULT, UTF16, CountedText, Reading, candidate_readings

LINE_NAME = re.compile(r"^line:(\d+)$")
IGNORED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2400-\u2421\ufffd\ud800-\udfff\ufffe\uffff]")
ELLIPSIS = re.compile(r"(…|\.\.\.)$")
MIN_PREFIX = 4  # a name that is only the start of the text (ATLAS.ti names a quotation so) must be this long
SAMPLE = 400  # selections that decide a source's reading (spread over the source)
FULL_SEARCHES = 200  # searches of a whole source for a text not found near its position


@dataclass
class Selection:
    guid: str
    name: str
    start: int
    end: int


@dataclass
class Placement:
    outcome: str  # exact | unchecked | moved | left out
    start: int | None = None  # on the stored text
    end: int | None = None
    why: str = ""


@dataclass
class SourceDecision:
    reading: Reading
    evidence: str
    placements: list[Placement] = field(default_factory=list)


def comparable(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\u2029", "\n").replace("\u2028", "\n"))
    return " ".join(IGNORED.sub("", text).split())


def strict_form(text: str) -> str:
    text = text.replace("\u2029", "\n").replace("\u2028", "\n").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


class SourcePlacer:
    def __init__(self, raw: str, mapped: MappedText, selections: list[Selection], first: list[Reading],
                 text_names: bool):
        self.raw, self.mapped, self.text = raw, mapped, mapped.text
        self.selections = selections
        self.readings = candidate_readings(raw, first)
        self.counters: dict[Reading, CountedText] = {}
        self.program_names_text = text_names
        self._line_starts: list[int] | None = None
        self.full_searches = 0
        self.names = [s.name or "" for s in selections]
        self.lines = [int(m.group(1)) if (m := LINE_NAME.match(n.strip())) else None for n in self.names]
        self.comparables = [comparable(n) if self.lines[i] is None else "" for i, n in enumerate(self.names)]

    # -- one selection under one reading ---------------------------------------------------
    def span(self, i: int, reading: Reading) -> tuple[int, int] | None:
        counter = self.counters.get(reading)
        if counter is None:
            counter = self.counters[reading] = CountedText(self.raw, reading)
        sel = self.selections[i]
        counter.split = False
        start, end = counter.raw(sel.start, end=False), counter.raw(sel.end, end=True)
        if start is None or end is None or start > end or counter.split:
            return None
        return self.mapped.start(start), self.mapped.end(end)

    def strength(self, i: int, span: tuple[int, int] | None) -> int:
        """2: the span covers exactly the selection's text (or line); 1: the same but for
        white space, or the name is the start of the span's text; 0: no match."""
        if span is None:
            return 0
        start, end = span
        if self.lines[i] is not None:
            return self.line_strength(self.lines[i], start, end)
        name, wanted = self.names[i], self.comparables[i]
        if not wanted:
            return 0
        covered = self.text[start:end]
        if name == covered:
            return 2
        if name.endswith("…") and len(name) > 1 and covered.startswith(name[:-1]):
            return 1  # Workbench's own shortened names: no need to normalise
        if strict_form(name) == covered:
            return 2
        got = comparable(covered)
        if got == wanted:
            return 1
        shortened = ELLIPSIS.search(wanted)
        if shortened:
            head = wanted[:shortened.start()].rstrip()
            return 1 if head and got.startswith(head) else 0
        return 1 if len(wanted) >= MIN_PREFIX and got.startswith(wanted) else 0

    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return self._line_starts

    def line_span(self, n: int) -> tuple[int, int] | None:
        starts = self.line_starts()
        if n >= len(starts) or (n == len(starts) - 1 and starts[n] == len(self.text)):
            return None
        return starts[n], starts[n + 1] if n + 1 < len(starts) else len(self.text)

    def line_strength(self, n: int, start: int, end: int) -> int:
        line = self.line_span(n)
        if line is None or start != line[0]:
            return 0
        return 2 if end == line[1] or (end == line[1] - 1 and end >= start) else 1

    # -- the source ------------------------------------------------------------------------
    def checkable(self, i: int) -> bool:
        return self.lines[i] is not None or bool(self.comparables[i])

    def decide(self) -> SourceDecision:
        checkable = [i for i in range(len(self.selections)) if self.checkable(i)]
        sample = checkable[::-(-len(checkable) // SAMPLE)] if checkable else []
        # a name shortened with an ellipsis matches at best loosely, under any reading
        ceiling = sum(1 if ELLIPSIS.search(self.comparables[i]) else 2 for i in sample)
        best, best_score = self.readings[0], -1
        for reading in self.readings:
            score = sum(self.strength(i, self.span(i, reading)) for i in sample)
            if score > best_score:
                best, best_score = reading, score
            if score == ceiling:
                break  # every selection matches as well as it can: no reading does better
        text_named = self.program_names_text or self.names_are_text(sample)
        placements = [self.place(i, best, text_named) for i in range(len(self.selections))]
        rule = "the REFI-QDA rule" if best == DEFAULT else "the producing program's habit"
        counted = [i for i in checkable if text_named or self.lines[i] is not None]
        if counted:
            matched = sum(1 for i in counted if placements[i].outcome == "exact" and not placements[i].why)
            what = "text" if text_named else "line"
            evidence = (f"{matched} of {len(counted)} selections cover their own {what} so" if len(counted) > 1
                        else f"the selection covers its own {what} so" if matched else f"the selection's {what} is not there")
        else:
            evidence = f"no selection names its text, so {rule}"
        return SourceDecision(best, evidence, placements)

    def names_are_text(self, checkable: list[int]) -> bool:
        """Whether this source's names (other than `line:N`) hold the selected text: at
        least half of them match under some reading or are found in the text."""
        named = [i for i in checkable if self.lines[i] is None]
        if not named:
            return False
        found = 0
        for i in named:
            if any(self.strength(i, self.span(i, r)) for r in self.readings) or self.occurrences(i):
                found += 1
        return 2 * found >= len(named)

    def place(self, i: int, best: Reading, text_named: bool) -> Placement:
        sel = self.selections[i]
        span = self.span(i, best)
        if sel.start >= sel.end:
            return Placement("left out", why="it is empty (its start is not before its end)")
        checkable = self.checkable(i) and (text_named or self.lines[i] is not None)
        if checkable:
            # the best match wins: a name that is only the start of the span (a loose match)
            # gives way to a reading under which it is the whole span
            strength, top = (self.strength(i, span), 2 if not ELLIPSIS.search(self.comparables[i]) else 1)
            chosen, chosen_span = best, span
            if strength < top:
                for reading in self.readings:
                    other = self.span(i, reading) if reading != best else None
                    other_strength = self.strength(i, other)
                    if other_strength > strength:
                        strength, chosen, chosen_span = other_strength, reading, other
                        if strength == top:
                            break
            if strength:
                why = "" if chosen == best else f"counted in {chosen.describe()}, unlike the rest of its source"
                return Placement("exact", *chosen_span, why=why)
            return self.search(i, span)
        if span is None:
            return Placement("left out", why=f"positions {sel.start}-{sel.end} are outside the source "
                                             f"({len(self.raw)} characters)")
        why = "no name to check it against" if not self.names[i].strip() else "its name is a label, not its text"
        return Placement("unchecked", *span, why=why)

    def occurrences(self, i: int, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Where selection i's text is in the stored text (between start and end)."""
        wanted = self.comparables[i]
        shortened = ELLIPSIS.search(wanted)
        if shortened:
            wanted = wanted[:shortened.start()].rstrip()
        if not wanted:
            return []
        pattern = re.compile(r"\s+".join(re.escape(word) for word in wanted.split(" ")))
        stop = len(self.text) if end is None else min(end, len(self.text))
        return [(m.start(), m.end()) for m in pattern.finditer(self.text, start, stop)]

    def search(self, i: int, span: tuple[int, int] | None) -> Placement:
        sel = self.selections[i]
        if self.lines[i] is not None:
            line = self.line_span(self.lines[i])
            if line is None:
                return Placement("left out", why=f"its name says line {self.lines[i]}, which the source does not have")
            return Placement("moved", *line, why=f"its name says line {self.lines[i]}")
        expected = span[0] if span else min(self.mapped.start(min(sel.start, self.mapped.raw_length)), len(self.text))
        window = max(1000, len(self.text) // 10)
        near = self.occurrences(i, max(0, expected - window), expected + window + len(self.comparables[i]))
        near = [f for f in near if abs(f[0] - expected) <= window]
        searched_all = not near and self.full_searches < FULL_SEARCHES
        if searched_all:
            self.full_searches += 1
        found = self.occurrences(i) if searched_all else near
        if len(near) == 1:
            start, end = near[0]
            if ELLIPSIS.search(self.comparables[i]) and span:
                end = max(end, min(start + span[1] - span[0], len(self.text)))
            distance = start - expected
            where = f"{abs(distance)} characters {'later' if distance > 0 else 'earlier'}" if distance else "there"
            return Placement("moved", start, end, why=f"its text is {where}, and nowhere else near")
        if near:
            return Placement("left out", why=f"its text occurs {len(near)} times near its position")
        if found:
            return Placement("left out", why=f"its text is only found far from its position "
                                             f"(at {', '.join(str(f[0]) for f in found[:3])})")
        if not searched_all:
            return Placement("left out", why="its text is not found near its position")
        if span is None:
            return Placement("left out", why=f"positions {sel.start}-{sel.end} are outside the source "
                                             f"({len(self.raw)} characters) and its text is not in it")
        return Placement("left out", why="its text is not in the source")


# The producing program's habits, by its `origin`: the readings to try first, and whether its
# selection names are the selected text.
PROGRAMS = (
    (re.compile(r"^\s*qualcoder", re.I), [DEFAULT, Reading(units=UTF16)], True),
    (re.compile(r"^\s*workbench", re.I), [DEFAULT], True),
    (re.compile(r"^\s*qc\b", re.I), [Reading(bom=True, crlf_as_one=True)], False),
    (re.compile(r"atlas\.?ti", re.I), [Reading(crlf_as_one=True)], False),
)


def program_habits(origin: str) -> tuple[list[Reading], bool]:
    for pattern, first, text_names in PROGRAMS:
        if pattern.search(origin or ""):
            return first, text_names
    return [DEFAULT], False


def place_selections(raw: str, mapped: MappedText, selections: list[Selection], origin: str) -> SourceDecision:
    first, text_names = program_habits(origin)
    return SourcePlacer(raw, mapped, selections, first, text_names).decide()

