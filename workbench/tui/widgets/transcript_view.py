"""The transcript pane: the text wrapped to the pane (a hard-wrapped turn flows as one
paragraph), each speaker turn starting a row with its coloured label, coded spans
in their code's colour, a stripe and a margin naming the codes on each row, a cursor and a
selection, all by code-point offset.

Only the rows on screen are drawn (Textual's Line API over a `ScrollView`), each row's
strip is cached until the codings change, so a transcript of many megabytes scrolls as
fast as a short one; the idea follows Textualize/toolong's log view.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.shorten import cells, shorten
from workbench.tui.focus import KeysFollowFocus
from workbench.transcripts.segment import Segmentation
from workbench.tui.widgets.transcript_layout import TEXT, TranscriptLayout, char_width

STRIPE = 2  # cells left of the text: one coloured bar per code (two at most) on the row
PENDING = "*"  # in front of a code's name in the margin while its coding is not yet on disk


@dataclass(frozen=True, slots=True)
class Mark:
    """A coded span as the pane shows it; `pending` until the coder file holds it."""

    start: int
    end: int
    code_id: str
    name: str
    color: str
    coding_id: str | None = None
    pending: bool = False


class TranscriptView(KeysFollowFocus, ScrollView, can_focus=True):
    pane_name = "Transcript"
    COMPONENT_CLASSES = {
        "transcript--interviewer", "transcript--interviewer-label", "transcript--participant-label",
        "transcript--selection", "transcript--cursor", "transcript--pending",
        "transcript--margin",
    }
    BINDINGS = [
        Binding("left,h", "move('left')", "left", show=False),
        Binding("right,l", "move('right')", "right", show=False),
        Binding("up,k", "move('up')", "up", show=False),
        Binding("down,j", "move('down')", "down", show=False),
        Binding("w", "move('word')", "next word", show=False),
        Binding("b", "move('back')", "previous word", show=False),
        Binding("pageup", "move('pageup')", "page up", show=False),
        Binding("pagedown", "move('pagedown')", "page down", show=False),
        Binding("home", "move('home')", "row start", show=False),
        Binding("end", "move('end')", "row end", show=False),
        Binding("g", "move('top')", "start of transcript", show=False),
        Binding("G", "move('bottom')", "end of transcript", show=False),
        Binding("shift+left", "extend('left')", "select left", show=False),
        Binding("shift+right", "extend('right')", "select right", show=False),
        Binding("shift+up", "extend('up')", "select up", show=False),
        Binding("shift+down", "extend('down')", "select down", show=False),
        Binding("v", "toggle_select", "select", id="transcript.select"),
        Binding("s", "select_sentence", "sentence", id="transcript.sentence"),
        Binding("t", "select_turn", "turn", id="transcript.turn"),
        Binding("escape", "clear_selection", "clear selection", show=False),
        Binding("c", "app.code_selection", "code", id="transcript.code"),
        Binding("i", "app.in_vivo", "in vivo", id="transcript.in_vivo"),
        Binding("x", "app.uncode", "uncode", id="transcript.uncode"),
        Binding("L", "app.more_like_coding", "more like this", show=False, id="transcript.more_like"),
        Binding("m", "app.edit_memo('transcript')", "memo", id="transcript.memo"),
        Binding("M", "app.edit_memo('coding')", "comment on coding", show=False, id="transcript.coding_memo"),
        Binding("D", "app.toggle_done", "done", id="transcript.done"),
        Binding("[", "app.change_transcript(-1)", "prev", id="transcript.previous"),
        Binding("]", "app.change_transcript(1)", "next", id="transcript.next"),
    ]

    FOOTER_ORDER = (  # the footer's left to right: select, code, then the rest
        "transcript.sentence", "transcript.turn", "transcript.select", "transcript.code", "transcript.uncode",
        "transcript.memo", "app.undo", "app.search", "transcript.in_vivo", "app.quit", "app.palette",
        ("transcripts", "transcript.previous", "transcript.next"), "app.redo", "app.memos", "app.themes",
    )
    survey_answer = False  # the transcript shown is a survey answer (the app says, as it loads one)

    @property
    def footer_order(self) -> tuple:
        """On a survey answer the grid's key follows coding's: the grid is where answers are coded."""
        if not self.survey_answer:
            return self.FOOTER_ORDER
        after = self.FOOTER_ORDER.index("transcript.code") + 1
        return (*self.FOOTER_ORDER[:after], "app.survey", *self.FOOTER_ORDER[after:])

    class Moved(Message):
        """The cursor or the selection changed."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.text = ""
        self.segmentation = Segmentation([], [])
        self.wrapped: TranscriptLayout | None = None
        self.marks: list[Mark] = []
        self._mark_starts: list[int] = []
        self.cursor = 0
        self.sel_anchor: int | None = None
        self.selecting = False
        self._goal_column: int | None = None
        self._labels: list[tuple[int, int, str]] = []
        self._interviewer_turns: list[tuple[int, int]] = []
        self._cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._version = 0
        self._centre_cursor = False

    # -- content ---------------------------------------------------------------
    def load_transcript(self, text: str, segmentation: Segmentation, marks: list[Mark], cursor: int = 0) -> None:
        self.text, self.segmentation = text, segmentation
        self._labels = [(t.label_start, t.start, t.role) for t in segmentation.turns if t.start > t.label_start]
        self._interviewer_turns = [(t.start, t.end) for t in segmentation.turns if t.role == "interviewer"]
        self.cursor, self.sel_anchor, self.selecting, self._goal_column = min(cursor, len(text)), None, False, None
        self.wrapped = None
        self.set_marks(marks)
        self._relayout()
        self.scroll_to(y=0, animate=False)
        self._centre_cursor = True  # a place reopened shows the text around it, not below it
        self.reveal_cursor()

    def set_marks(self, marks: list[Mark]) -> None:
        self.marks = sorted(marks, key=lambda m: (m.start, -m.end, m.name))
        self._mark_starts = [m.start for m in self.marks]
        self._invalidate()

    def _invalidate(self) -> None:
        self._version += 1
        self._cache.clear()
        self.refresh()

    def _text_width(self, width: int) -> int:
        return max(8, width - STRIPE - self._margin_width(width))

    @staticmethod
    def _margin_width(width: int) -> int:
        return 0 if width < 40 else min(24, max(10, width // 5))

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        if width <= 0:
            return
        text_width = self._text_width(width)
        if self.wrapped is None or self.wrapped.width != text_width:
            self.wrapped = TranscriptLayout(self.text, text_width, [t.label_start for t in self.segmentation.turns])
            self._cache.clear()
        self.virtual_size = Size(width, len(self.wrapped))
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()
        self.reveal_cursor()

    # -- what is selected --------------------------------------------------------
    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected span without the spaces at its ends, or None."""
        if self.sel_anchor is None or self.sel_anchor == self.cursor:
            return None
        start, end = sorted((self.sel_anchor, self.cursor))
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def marks_at(self, offset: int) -> list[Mark]:
        return [m for m in self.marks if m.start <= offset < m.end and not m.pending]

    def select(self, start: int, end: int) -> None:
        self.sel_anchor, self.cursor = start, min(end, len(self.text))
        self._moved()

    # -- keys --------------------------------------------------------------------
    def action_move(self, motion: str) -> None:
        if not self.selecting:
            self.sel_anchor = None
        self._apply_motion(motion)

    def action_extend(self, direction: str) -> None:
        if self.sel_anchor is None:
            self.sel_anchor = self.cursor
        self._apply_motion(direction)

    def action_toggle_select(self) -> None:
        self.selecting = not self.selecting
        self.sel_anchor = self.cursor if self.selecting else None
        self._moved()

    def action_clear_selection(self) -> None:
        self.selecting, self.sel_anchor = False, None
        self._moved()

    def action_select_sentence(self) -> None:
        sentences = self.segmentation.sentences
        sentence = self.segmentation.sentence_at(self.cursor)
        if sentence is not None and sentence.end < self.cursor:
            # the cursor is between sentences (on a speaker label, a blank line): take the next one
            following = bisect_right(sentences, self.cursor, key=lambda s: s.start)
            sentence = sentences[following] if following < len(sentences) else sentence
        if sentence is not None:
            self.selecting = False
            self.select(sentence.start, sentence.end)

    def action_select_turn(self) -> None:
        turns = self.segmentation.turns
        turn = self.segmentation.turn_at(self.cursor)
        if turn is not None and turn.end < self.cursor and turn.index + 1 < len(turns):
            turn = turns[turn.index + 1]
        if turn is not None and turn.end > turn.start:
            self.selecting = False
            self.select(turn.start, turn.end)

    def _apply_motion(self, motion: str) -> None:
        layout, text, size = self.wrapped, self.text, len(self.text)
        if layout is None:
            return
        row = layout.row_of(self.cursor)
        vertical = {"up": -1, "down": 1, "pageup": -max(1, self.size.height - 1),
                    "pagedown": max(1, self.size.height - 1)}
        if motion in vertical:
            if self._goal_column is None:
                self._goal_column = layout.column_of(self.cursor)
            target = min(max(0, row + vertical[motion]), len(layout) - 1)
            self.cursor = min(layout.offset_at(target, self._goal_column), layout.row_end(target))
            self._moved(keep_goal=True)
            return
        cursor = self.cursor
        if motion == "left":
            cursor = max(0, cursor - 1)
            while cursor > 0 and cursor < size and char_width(text[cursor]) == 0:
                cursor -= 1
        elif motion == "right":
            cursor = min(size, cursor + 1)
            while cursor < size and char_width(text[cursor]) == 0:
                cursor += 1
        elif motion == "word":
            while cursor < size and not text[cursor].isspace():
                cursor += 1
            while cursor < size and text[cursor].isspace():
                cursor += 1
        elif motion == "back":
            while cursor > 0 and text[cursor - 1].isspace():
                cursor -= 1
            while cursor > 0 and not text[cursor - 1].isspace():
                cursor -= 1
        elif motion == "home":
            cursor = layout.starts[row]
        elif motion == "end":
            cursor = layout.row_end(row)
        elif motion == "top":
            cursor = 0
        elif motion == "bottom":
            cursor = size
        self.cursor = cursor
        self._moved()

    def _moved(self, keep_goal: bool = False) -> None:
        if not keep_goal:
            self._goal_column = None
        self.reveal_cursor()
        self.refresh()
        self.post_message(self.Moved())

    def reveal_cursor(self) -> None:
        if self.wrapped is None or self.size.height <= 0:
            return
        row, top, height = self.wrapped.row_of(self.cursor), self.scroll_offset.y, self.size.height
        if self._centre_cursor:
            self._centre_cursor = False
            if row >= height:
                self.scroll_to(y=row - height // 3, animate=False, immediate=True)
        elif row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def _offset_under(self, event) -> int | None:
        """The code-point offset under the mouse, or None outside the text."""
        offset = event.get_content_offset(self)
        if offset is None or self.wrapped is None:
            return None
        row = offset.y + self.scroll_offset.y
        if row >= len(self.wrapped):
            return None
        return min(self.wrapped.offset_at(row, max(0, offset.x - STRIPE)), self.wrapped.row_end(row))

    def on_mouse_down(self, event) -> None:
        at = self._offset_under(event)
        if at is not None and not event.shift:
            self._drag = [at, False]  # where the drag began, and whether the mouse has moved since
            self.capture_mouse()

    def on_mouse_move(self, event) -> None:
        drag = getattr(self, "_drag", None)
        at = self._offset_under(event) if drag else None
        if at is None or (at == drag[0] and not drag[1]):
            return
        drag[1] = True
        self.sel_anchor, self.cursor = drag[0], at
        self._moved()

    def on_mouse_up(self, event) -> None:
        if getattr(self, "_drag", None) is not None:
            self.release_mouse()
            self._dragged, self._drag = self._drag[1], None

    def on_click(self, event) -> None:
        if getattr(self, "_dragged", False):  # the click that ends a drag keeps its selection
            self._dragged = False
            return
        at = self._offset_under(event)
        if at is None:
            return
        if event.shift and self.sel_anchor is None:
            self.sel_anchor = self.cursor
        elif not event.shift and not self.selecting:
            self.sel_anchor = None
        self.cursor = at
        self._moved()

    # -- drawing -----------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + self.scroll_offset.y
        if self.wrapped is None or row >= len(self.wrapped):
            return Strip.blank(width, self.rich_style)
        start, end = self.wrapped.starts[row], self.wrapped.ends[row]
        selection = self._selection_range()
        clipped = None if selection is None else (max(start, selection[0]), min(end + 1, selection[1]))
        if clipped is not None and clipped[0] >= clipped[1]:
            clipped = None
        cursor_here = self.has_focus and self.wrapped.row_of(self.cursor) == row
        key = (row, width, self._version, clipped, self.cursor if cursor_here else None)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, clipped, self.cursor if cursor_here else None)
            self._cache[key] = strip
        return strip

    def _selection_range(self) -> tuple[int, int] | None:
        if self.sel_anchor is None or self.sel_anchor == self.cursor:
            return None
        return tuple(sorted((self.sel_anchor, self.cursor)))

    def _row_marks(self, start: int, end: int) -> list[Mark]:
        upto = bisect_right(self._mark_starts, max(start, end - 1) if end > start else start)
        return [m for m in self.marks[:upto] if m.end > start and (m.start < end or m.start == start)]

    def _render_row(self, row: int, width: int, selection, cursor: int | None) -> Strip:
        layout = self.wrapped
        base = self.rich_style
        start, end, kind = layout.starts[row], layout.ends[row], layout.kinds[row]
        text_width = self._text_width(width)
        margin_width = self._margin_width(width)
        marks = self._row_marks(start, end) if kind == TEXT else []
        segments = self._stripe(marks, base)
        text_segments, used = self._text_segments(start, end, marks, selection, cursor, base)
        segments.extend(text_segments)
        if used < text_width:
            segments.append(Segment(" " * (text_width - used), base))
        segments.extend(self._margin(marks, margin_width, base))
        return Strip(segments).crop_extend(0, width, base)

    def _stripe(self, marks: list[Mark], base: Style) -> list[Segment]:
        colours = list(dict.fromkeys(m.color for m in marks))[:STRIPE]
        cells = [Segment("▌", base + Style(color=Color.parse(c).rich_color)) for c in colours]
        return cells + [Segment(" " * (STRIPE - len(cells)), base)]

    def _margin(self, marks: list[Mark], margin_width: int, base: Style) -> list[Segment]:
        """The codes on the row by name, each cut at a word with "…" when the room ends; a
        coding not yet on disk is marked `PENDING` (and underlined), never with "…"."""
        if margin_width <= 0:
            return []
        names = list(dict.fromkeys((m.name, m.color, m.pending) for m in marks))
        room = margin_width - 1
        segments = [Segment(" ", base)]
        margin_style = base + self.get_component_rich_style("transcript--margin")
        pending_style = self.get_component_rich_style("transcript--pending")
        for i, (name, colour, pending) in enumerate(names):
            style = margin_style + Style(color=Color.parse(colour).rich_color) + (pending_style if pending else Style())
            whole = ("·" if i else "") + (PENDING if pending else "") + name
            if cells(whole) <= room:
                segments.append(Segment(whole, style))
                room -= cells(whole)
                continue
            # the rest does not fit: as much of this name as makes sense, then how many more codes
            more = f" +{len(names) - i - 1}" if i + 1 < len(names) else ""
            piece = shorten(whole, room - cells(more))
            if i and len(piece) < 5:  # "·ab…" says nothing: count this code among the rest
                piece, more = "", f" +{len(names) - i}"
            if len(piece) > 1:
                segments.append(Segment(piece, style))
                room -= cells(piece)
            if more and cells(more) <= room:
                segments.append(Segment(more, margin_style))
                room -= cells(more)
            break
        if room > 0:
            segments.append(Segment(" " * room, base))
        return segments

    def _text_segments(self, start: int, end: int, marks: list[Mark], selection, cursor, base: Style):
        points = {start, end}
        for m in marks:
            points.update(p for p in (m.start, m.end) if start < p < end)
        for a, b, _ in self._spans_near(self._labels, start, end):
            points.update(p for p in (a, b) if start < p < end)
        for a, b in self._spans_near(self._interviewer_turns, start, end):
            points.update(p for p in (a, b) if start < p < end)
        if selection:
            points.update(p for p in selection if start < p < end)
        if cursor is not None and start <= cursor < end:
            points.update(p for p in (cursor, cursor + 1) if start < p < end)
        cuts = sorted(points)
        segments, used = [], 0
        text = self.wrapped.text
        for a, b in zip(cuts, cuts[1:]):
            piece = text[a:b]
            style = self._style_at(a, marks, selection, cursor, base)
            segments.append(Segment(piece, style))
            used += sum(char_width(c) for c in piece) if not piece.isascii() else len(piece)
        if cursor is not None and cursor == end and cursor == self.wrapped.row_end(self.wrapped.row_of(cursor)):
            segments.append(Segment(" ", base + self.get_component_rich_style("transcript--cursor")))
            used += 1
        return segments, used

    @staticmethod
    def _spans_near(spans: list[tuple], start: int, end: int) -> list[tuple]:
        i = bisect_right(spans, (end,)) - 1
        found = []
        while i >= 0 and spans[i][1] > start:
            if spans[i][0] < end:
                found.append(spans[i])
            i -= 1
            if len(found) > 1:
                break
        return found

    def _style_at(self, offset: int, marks: list[Mark], selection, cursor, base: Style) -> Style:
        style = base
        if any(a <= offset < b for a, b in self._spans_near(self._interviewer_turns, offset, offset + 1)):
            style += self.get_component_rich_style("transcript--interviewer")
        for a, b, role in self._spans_near(self._labels, offset, offset + 1):
            if a <= offset < b:
                style += self.get_component_rich_style(f"transcript--{role}-label")
        covering = [m for m in marks if m.start <= offset < m.end]
        if covering:
            inner = min(covering, key=lambda m: m.end - m.start)
            style += self._mark_style(inner.color, len(covering) > 1)
            if any(m.pending for m in covering):
                style += self.get_component_rich_style("transcript--pending")
        if selection and selection[0] <= offset < selection[1]:
            style += self.get_component_rich_style("transcript--selection")
        if cursor is not None and offset == cursor:
            style += self.get_component_rich_style("transcript--cursor")
        return style

    def _mark_style(self, colour: str, overlapped: bool) -> Style:
        background = self.background_colors[1]
        tint = background.blend(Color.parse(colour), 0.45)
        return Style(bgcolor=tint.rich_color, color=tint.get_contrast_text(0.95).rich_color, underline=overlapped)

    def on_focus(self) -> None:
        self._invalidate()

    def on_blur(self) -> None:
        self._invalidate()
