"""How a program counted the positions of its selections in a source's text.

REFI-QDA counts Unicode code points of the plain text, the first being 0, with no byte-order
mark (specification 1.5, section 10.2). Programs that write the format do not all do so:

    QualCoder 4    writes each .txt with a BOM that its positions do not count; positions
                   made in its coding screen count UTF-16 code units (Qt's), so every
                   character beyond U+FFFF (most emoji) counts two
    qc             reads sources with Python's universal newlines: a CRLF counts one, and a
                   BOM, when the file has one, counts one
    ATLAS.ti       counts a CRLF as one character (QualCoder's importer notes it)
    NVivo          counts a line end as the CRLF it writes on Windows, also where the text the
                   file gives (a .docx) has plain line ends (QualCoder's importer pads them)
    others         some count UTF-8 bytes, so every non-ASCII character counts 2 to 4

A `Reading` is one such way of counting; `CountedText` maps a position counted that way to
a code-point position of the raw source (which `positions.MappedText` then maps onto the
stored text).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

CODE_POINTS, UTF16, UTF8 = "code points", "UTF-16 units", "UTF-8 bytes"
ASTRAL = re.compile("[\U00010000-\U0010ffff]")
NON_ASCII = re.compile("[^\x00-\x7f]")
CRLF = re.compile("\r\n")
LONE_LF = re.compile("(?<!\r)\n")


@dataclass(frozen=True)
class Reading:
    bom: bool = False  # the byte-order mark is position 0
    units: str = CODE_POINTS
    crlf_as_one: bool = False
    lf_as_two: bool = False  # a line end counted as CRLF where the text has LF

    def describe(self, has_bom: bool = False) -> str:
        parts = [self.units]
        if self.crlf_as_one:
            parts.append("CRLF as one")
        if self.lf_as_two:
            parts.append("a line end as two")
        if self.bom:
            parts.append("the byte-order mark counted")
        elif has_bom:
            parts.append("from after the byte-order mark")
        return ", ".join(parts)

    def canonical(self, raw: str) -> "Reading":
        """The same reading with the choices that make no difference for `raw` set to the
        default, so two readings that count `raw` alike compare equal."""
        units = self.units
        if units == UTF16 and not ASTRAL.search(raw):
            units = CODE_POINTS
        if units == UTF8 and not NON_ASCII.search(raw[1:] if raw.startswith("\ufeff") else raw):
            units = CODE_POINTS
        return Reading(bom=self.bom and raw.startswith("\ufeff"), units=units,
                       crlf_as_one=self.crlf_as_one and "\r\n" in raw,
                       lf_as_two=self.lf_as_two and LONE_LF.search(raw) is not None)


DEFAULT = Reading()


def candidate_readings(raw: str, first: list[Reading]) -> list[Reading]:
    """Every reading that counts `raw` differently, `first` (the producing program's habits)
    leading, then the REFI-QDA rule, then the rest."""
    boms = (False, True) if raw.startswith("\ufeff") else (False,)
    units = [CODE_POINTS] + ([UTF16] if ASTRAL.search(raw) else []) + ([UTF8] if NON_ASCII.search(raw) else [])
    lines = [(False, False)] + ([(True, False)] if "\r\n" in raw else []) + \
        ([(False, True)] if LONE_LF.search(raw) else [])
    found: list[Reading] = []
    for reading in [*first, DEFAULT] + [Reading(b, u, c, t) for u in units for c, t in lines for b in boms]:
        reading = reading.canonical(raw)
        if reading not in found:
            found.append(reading)
    return found


class CountedText:
    """Positions in `raw` as `reading` counts them, mapped to code-point positions of `raw`.

    Only the characters that do not count one are listed (a BOM not counted, the CR of a
    CRLF counted as one, a character of two UTF-16 units or several UTF-8 bytes), so the
    map costs nothing for plain text. A position inside a character (between the two
    halves of a surrogate pair) maps to the character's edge and is flagged `split`."""

    def __init__(self, raw: str, reading: Reading):
        widths: dict[int, int] = {}
        has_bom = raw.startswith("\ufeff")
        if reading.units == UTF16:
            widths.update((m.start(), 2) for m in ASTRAL.finditer(raw))
        elif reading.units == UTF8:
            widths.update((m.start(), len(m.group().encode("utf-8", "surrogatepass"))) for m in NON_ASCII.finditer(raw))
        if reading.crlf_as_one:
            widths.update((m.start(), 0) for m in CRLF.finditer(raw))
        if reading.lf_as_two:
            widths.update((m.start(), 2) for m in LONE_LF.finditer(raw))
        if has_bom:
            widths[0] = (3 if reading.units == UTF8 else 1) if reading.bom else 0
        self.index = sorted(i for i, w in widths.items() if w != 1)
        self.width = [widths[i] for i in self.index]
        self.counted: list[int] = []  # the counted position at which each listed character starts
        extra = 0
        for i, w in zip(self.index, self.width):
            self.counted.append(i + extra)
            extra += w - 1
        self.length = len(raw) + extra
        self.split = False

    def raw(self, position: int, end: bool) -> int | None:
        """The raw position of a counted start (or end) position; None when outside the text.
        A start skips characters that count nothing; an end stops before them."""
        if not 0 <= position <= self.length:
            return None
        k = (bisect_left(self.counted, position) if end else bisect_right(self.counted, position)) - 1
        if k < 0:
            return position
        offset = position - self.counted[k]
        if offset >= self.width[k]:
            return self.index[k] + 1 + offset - self.width[k]
        if offset == 0:
            return self.index[k]
        self.split = True
        return self.index[k] + (1 if end else 0)
