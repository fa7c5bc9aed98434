"""Text cut to fit a width, for every place that shows text in a fixed room (pickers, the
margin of the transcript, the agreement walk's context, titles): on one line, cut after a
whole word, with "…" where it was cut.

Widths are terminal cells: a CJK character or an emoji takes two, a combining accent none.
A cut falls after a space, a hyphen or a slash; only when that would keep less than a third of
the room (one long word, text without spaces) does it fall inside a word.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ELLIPSIS = "…"
_BREAK_AFTER = "-/"
_TRAILING = " ,;:–—"  # not worth keeping in front of "…"


@lru_cache(maxsize=4096)
def char_cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cells(text: str) -> int:
    """How many terminal cells `text` takes."""
    return len(text) if text.isascii() else sum(char_cells(c) for c in text)


def one_line(text: str) -> str:
    """Runs of white space (line breaks too) as one space, none at the ends."""
    return " ".join(text.split())


def shorten(text: str, width: int) -> str:
    """`text` on one line in at most `width` cells: whole when it fits, else its beginning
    up to the end of a word, then "…"."""
    line = one_line(text)
    if cells(line) <= width:
        return line
    return _cut(line, width, from_end=False)


def shorten_start(text: str, width: int) -> str:
    """Like `shorten`, keeping the end: "…" then the text from the start of a word."""
    line = one_line(text)
    if cells(line) <= width:
        return line
    return _cut(line, width, from_end=True)


def _cut(line: str, width: int, from_end: bool) -> str:
    if width <= 1:
        return ELLIPSIS if width == 1 else ""
    room = width - 1
    if from_end:
        start = _fits_from(line, room, reverse=True)
        cut = next((q for q in range(start, len(line)) if _may_cut(line, q)), start)
        if cells(line[cut:]) * 3 < room:
            cut = start
        return ELLIPSIS + line[cut:].lstrip(_TRAILING)
    end = _fits_from(line, room, reverse=False)
    cut = next((p for p in range(end, 0, -1) if _may_cut(line, p)), end)
    if cells(line[:cut]) * 3 < room:
        cut = end
    return line[:cut].rstrip(_TRAILING) + ELLIPSIS


def _fits_from(line: str, room: int, reverse: bool) -> int:
    """How much of `line` fits in `room` cells: the end of its beginning, or (`reverse`)
    the start of its end."""
    used = 0
    indices = range(len(line) - 1, -1, -1) if reverse else range(len(line))
    for i in indices:
        used += char_cells(line[i])
        if used > room:
            return i + 1 if reverse else i
    return 0 if reverse else len(line)


def _may_cut(line: str, at: int) -> bool:
    """Whether `line` may be cut between `at - 1` and `at` without halving a word."""
    return 0 < at < len(line) and (line[at].isspace() or line[at - 1].isspace() or line[at - 1] in _BREAK_AFTER)
