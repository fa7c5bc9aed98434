"""Where each code point of a transcript sits on screen: the text wrapped to a width.

Kept free of Textual so it can be tested on its own. A *row* is one screen line of the
transcript pane; it shows the code points `starts[row]:ends[row]` of the display text, or
nothing (a blank line). Inside a paragraph a single line break shows as a space (it keeps
its offset), so hard-wrapped text flows to the pane; each turn starts a row of its own. Offsets are code
points into the normalised text (the REFI-QDA rule), columns are terminal cells: a CJK
character or an emoji takes two cells, a combining accent none.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

from rich.cells import get_character_cell_size

from workbench.terminal_safety import inert

TEXT, BLANK = 0, 1


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    return get_character_cell_size(char)


def display_text(text: str) -> str:
    """The text as shown: control characters made inert and tabs shown as one space, so
    that every code point keeps its offset."""
    return inert(text).replace("\t", " ")


class TranscriptLayout:
    def __init__(self, text: str, width: int, turn_starts: list[int] = ()):
        self.text = display_text(text)
        self.width = max(4, width)
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.kinds: list[int] = []
        self._wrap(set(turn_starts))

    def __len__(self) -> int:
        return len(self.starts)

    # -- building ----------------------------------------------------------------
    def _wrap(self, turn_starts: set[int]) -> None:
        """Wrap each paragraph as one: the lines of a turn up to a blank line, the single
        line breaks inside it shown as spaces (most transcripts keep their source's hard
        wrapping), each turn starting on a row of its own."""
        text, size = self.text, len(self.text)
        turn_lines = {text.rfind("\n", 0, start) + 1 for start in turn_starts}
        shown: list[str] = []  # the display text, soft line breaks made spaces
        copied = 0
        paragraph = None  # where the paragraph being gathered starts

        def flush(end: int) -> None:
            nonlocal copied
            flowed = text[paragraph:end].replace("\n", " ")
            shown.append(text[copied:paragraph])
            shown.append(flowed)
            copied = end
            self._wrap_line(flowed, paragraph)

        pos = 0
        while True:
            newline = text.find("\n", pos)
            line_end = size if newline < 0 else newline
            blank = line_end == pos or text[pos:line_end].isspace()
            if paragraph is not None and (blank or pos in turn_lines):
                flush(pos - 1)
                paragraph = None
            if line_end == pos:
                self._add(pos, pos, BLANK)
            elif blank:
                self._wrap_line(text[pos:line_end], pos)
            elif paragraph is None:
                paragraph = pos
            if newline < 0:
                break
            pos = newline + 1
        if paragraph is not None:
            flush(size)
        shown.append(text[copied:])
        self.text = "".join(shown)
        if not self.starts:
            self._add(0, 0, BLANK)

    def _wrap_line(self, line: str, base: int) -> None:
        if line.isascii():
            self._wrap_ascii(line, base)
        else:
            self._wrap_wide(line, base)

    def _add(self, start: int, end: int, kind: int) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.kinds.append(kind)

    def _wrap_ascii(self, line: str, base: int) -> None:
        width, pos, size = self.width, 0, len(line)
        while size - pos > width:
            cut = line.rfind(" ", pos, pos + width)
            cut = pos + width if cut <= pos else cut + 1
            self._add(base + pos, base + cut, TEXT)
            pos = cut
        self._add(base + pos, base + size, TEXT)

    def _wrap_wide(self, line: str, base: int) -> None:
        width = self.width
        start, used, last_space = 0, 0, -1
        for i, char in enumerate(line):
            w = char_width(char)
            if used + w > width and i > start:
                cut = last_space + 1 if last_space >= start else i
                self._add(base + start, base + cut, TEXT)
                used = sum(char_width(c) for c in line[cut:i])
                start, last_space = cut, -1
            used += w
            if char == " ":
                last_space = i
        self._add(base + start, base + len(line), TEXT)

    # -- mapping -----------------------------------------------------------------
    def row_of(self, offset: int) -> int:
        """The row showing `offset` (the end of a line shows on that line)."""
        row = bisect_right(self.starts, offset) - 1
        return max(0, row)

    def column_of(self, offset: int) -> int:
        row = self.row_of(offset)
        start = self.starts[row]
        return sum(char_width(c) for c in self.text[start:min(offset, self.ends[row])])

    def offset_at(self, row: int, column: int) -> int:
        """The code point at a cell (the nearest one left of it inside a wide character),
        or the end of the row when the cell is past the text."""
        row = min(max(0, row), len(self.starts) - 1)
        start, end = self.starts[row], self.ends[row]
        used = 0
        for offset in range(start, end):
            w = char_width(self.text[offset])
            if w and used + w > column:
                return offset
            used += w
        return end

    def row_end(self, row: int) -> int:
        """The last place a cursor can stand on a row: after its last character when the
        row ends a line, else on its last character (the next row starts after it)."""
        end = self.ends[row]
        if row + 1 < len(self.starts) and self.starts[row + 1] == end and self.kinds[row + 1] == TEXT and end > self.starts[row]:
            return end - 1
        return end
