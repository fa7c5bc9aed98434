"""A grid of many short rows (survey answers): only the rows on screen are drawn (Textual's
Line API over a `ScrollView`), so 20,000 answers open as fast as 20. The screen gives the
column titles and widths and a function from a row number to its cells; the grid keeps a
cursor row and posts `AnswerGrid.Chosen` on Enter or a click on the cursor's row."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.shorten import shorten
from workbench.terminal_safety import inert

GAP = "  "


class AnswerGrid(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("up", "move(-1)", "up", show=False),
        Binding("down", "move(1)", "down", show=False),
        Binding("pageup", "page(-1)", "page up", show=False),
        Binding("pagedown", "page(1)", "page down", show=False),
        Binding("home", "move(-1000000000)", "first", show=False),
        Binding("end", "move(1000000000)", "last", show=False),
        Binding("enter", "choose", "open", show=False),
    ]
    DEFAULT_CSS = "AnswerGrid { height: 1fr; }"
    cursor: reactive[int] = reactive(0, always_update=True)

    class Chosen(Message):
        def __init__(self, index: int):
            super().__init__()
            self.index = index

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.count = 0
        self.widths: list[int] = []
        self.titles: list[str] = []
        self.cells_of: Callable[[int], list[str]] = lambda index: []

    def show_rows(self, titles: list[str], widths: list[int], count: int, cells_of, cursor: int = 0) -> None:
        """Rows 0..count-1; `cells_of(i)` gives row i's cells (computed only when it is drawn)."""
        self.titles, self.widths, self.count, self.cells_of = titles, widths, count, cells_of
        self.virtual_size = Size(sum(widths) + len(GAP) * len(widths), count + 1)  # the header row too
        self.cursor = max(0, min(cursor, count - 1))
        self.refresh()

    def line(self, cells: list[str]) -> str:
        """The cells side by side, each cut to its width at a word with "…" (workbench.shorten)."""
        return GAP.join(set_cell_size(shorten(inert(" ".join(str(c).split())), w), w) for c, w in zip(cells, self.widths))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = self.scroll_offset.x
        if y == 0:
            strip = Strip([Segment(self.line(self.titles), Style(bold=True, underline=True))])
            return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width)
        index = y - 1 + self.scroll_offset.y
        if index >= self.count:
            return Strip.blank(width, self.rich_style)
        style = Style(reverse=True) if index == self.cursor else (Style(dim=True) if index % 2 else Style())
        strip = Strip([Segment(self.line(self.cells_of(index)), style)])
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, style if index == self.cursor else None)

    def watch_cursor(self, cursor: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if cursor < top:
            self.scroll_to(y=cursor, animate=False, immediate=True)
        elif cursor >= top + height:
            self.scroll_to(y=cursor - height + 1, animate=False, immediate=True)
        self.refresh()

    def action_move(self, step: int) -> None:
        if self.count:
            self.cursor = max(0, min(self.count - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.scrollable_content_region.height - 1))

    def action_choose(self) -> None:
        if self.count:
            self.post_message(self.Chosen(self.cursor))

    def on_click(self, event) -> None:
        index = event.y - 1 + self.scroll_offset.y
        if 0 <= index < self.count and event.y >= 1:
            if index == self.cursor:
                self.post_message(self.Chosen(index))
            self.cursor = index
