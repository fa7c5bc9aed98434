"""A source's text as the workbench stores it, with positions mapped from the source.

REFI-QDA counts positions in Unicode code points of the source file, the first being 0
(specification 1.5, section 10.2). The workbench stores text without a byte-order mark, with
LF line ends and in NFC, so a CRLF, a BOM or a decomposed accent in the source moves every
later position; `MappedText` maps a source position onto the stored text. A position that
falls inside a CRLF pair or a composed character snaps outward: a start to the start of the
stored character, an end to its end.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from workbench.transcripts.normalise import normalise

CRLF = re.compile("\r\n")


@dataclass
class MappedText:
    text: str
    raw_length: int
    # the source spans whose length changed: raw start, raw end, and (raw - stored) after each
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    shifts: list[int] = field(default_factory=list)
    approximate: bool = False

    def _map(self, position: int, end: bool) -> int:
        i = bisect_right(self.ends, position) - 1
        shift = self.shifts[i] if i >= 0 else 0
        j = i + 1
        if j < len(self.starts) and self.starts[j] < position < self.ends[j]:
            return self.ends[j] - self.shifts[j] if end else self.starts[j] - shift
        return min(max(position - shift, 0), len(self.text))

    def start(self, position: int) -> int:
        return self._map(position, end=False)

    def end(self, position: int) -> int:
        return self._map(position, end=True)


def normalise_mapped(raw: str) -> MappedText:
    """The stored form of `raw` (exactly `normalise(raw)`) and the map from raw positions."""
    text = normalise(raw)
    spans: list[tuple[int, int, int]] = []  # raw start, raw end, stored length
    offset = 0
    if raw.startswith("\ufeff"):
        spans.append((0, 1, 0))
        offset = 1
    if unicodedata.is_normalized("NFC", raw):
        spans.extend((m.start(), m.end(), 1) for m in CRLF.finditer(raw))
    else:
        spans.extend(_composing_spans(raw, offset))
    mapped = MappedText(text=text, raw_length=len(raw))
    shift = 0
    for start, end, length in spans:
        shift += (end - start) - length
        mapped.starts.append(start)
        mapped.ends.append(end)
        mapped.shifts.append(shift)
    mapped.approximate = len(raw) - shift != len(text)
    return mapped


def _composing_spans(raw: str, i: int):
    """CRLF pairs and the character clusters that NFC shortens (a letter and its combining marks)."""
    n = len(raw)
    while i < n:
        if raw[i] == "\r" and i + 1 < n and raw[i + 1] == "\n":
            yield i, i + 2, 1
            i += 2
            continue
        j = i + 1
        while j < n and (unicodedata.combining(raw[j]) or "\u1160" <= raw[j] <= "\u11ff"):
            j += 1
        if j - i > 1:
            length = len(unicodedata.normalize("NFC", raw[i:j]))
            if length != j - i:
                yield i, j, length
        i = j
