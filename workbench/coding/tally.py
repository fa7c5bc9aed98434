"""How many codings, and how many participants, sit under each code (a theme counts the
union of its descendants'), kept up to date by difference.

The screen shows these counts beside every code and refreshes them after each saved
change. Counting 60,000 codings again each time took 0.13 s (a survey coded row by row);
`update` instead compares the coder's codings with the ones already counted (the same
objects, unless a coding changed) and counts only what differs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping

from workbench.codebook import Codebook
from workbench.model import Coding


class CodingTally:
    def __init__(self, participants_of: Callable[[Coding], tuple[str, ...]]):
        """`participants_of(coding)`: whom a coding is attributed to (`Attribution.of`)."""
        self.participants_of = participants_of
        self._counted: dict[str, Coding] = {}  # coding id -> the coding as counted
        self._on_code: Counter = Counter()  # code id -> its own codings
        self._people_on_code: dict[str, Counter] = defaultdict(Counter)  # code id -> participant -> codings

    def update(self, codings: Mapping[str, Coding]) -> None:
        """Count `codings` (coding id -> coding: all of the coder's, as they are now)."""
        counted = self._counted
        for coding_id, coding in codings.items():
            seen = counted.get(coding_id)
            if seen is not coding:
                if seen is not None:
                    self._count(seen, -1)
                self._count(coding, 1)
                counted[coding_id] = coding
        if len(counted) != len(codings):  # some counted codings are gone
            for coding_id in [i for i in counted if i not in codings]:
                self._count(counted.pop(coding_id), -1)

    def _count(self, coding: Coding, step: int) -> None:
        code = coding.code
        self._on_code[code] += step
        people = self._people_on_code[code]
        for person in self.participants_of(coding):
            people[person] += step
            if not people[person]:
                del people[person]
        if not self._on_code[code]:
            del self._on_code[code], self._people_on_code[code]

    def counts(self, book: Codebook) -> dict[str, tuple[int, int]]:
        """code id -> (codings, participants), each coding counted on its code and every ancestor."""
        codings_under: dict[str, int] = defaultdict(int)
        people_under: dict[str, set] = defaultdict(set)
        for code, count in self._on_code.items():
            if code not in book:
                continue
            for code_id in [code, *(c.id for c in book.ancestors(code))]:
                codings_under[code_id] += count
                people_under[code_id].update(self._people_on_code[code].keys())
        return {code_id: (codings_under[code_id], len(people_under[code_id])) for code_id in book.by_id}

