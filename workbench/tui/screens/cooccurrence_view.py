"""Code co-occurrence on screen: codes (or themes) by codes, each cell the number of units
holding both, shaded; Enter on a cell lists those passages, and Enter on a passage opens it
in its transcript with the passage selected.

`n` cycles the unit (sentence, turn, transcript, overlap), `l` switches codes and themes.
Opened from the palette ("Open co-occurrence") with the coding screen's project and coder.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from workbench.analysis.cooccurrence import UNITS, cooccurrence, passages_holding_both
from workbench.terminal_safety import inert
from workbench.wording import plural
from workbench.tui.navigation import Jump
from workbench.tui.screens.level_screen import LevelScreen
from workbench.tui.screens.matrix_view import shade_style
from workbench.tui.widgets.key_bar import KeyBar


def spoken_text(project, transcript: str, start: int, end: int) -> str:
    """The words of a passage, without the speaker label a turn unit starts with."""
    turn = next((t for t in project.segments(transcript).turns if t.label_start == start), None)
    if turn is not None:
        start = min(turn.start, end)
    return project.text(transcript)[start:end]


class CooccurrenceScreen(LevelScreen):
    BINDINGS = [
        Binding("n", "cycle_unit", "next unit", id="cooccurrence.unit"),
        Binding("enter", "passages", "passages", id="cooccurrence.passages", show=True),
    ]

    def __init__(self):
        super().__init__()
        self.unit = "sentence"
        self.result = None
        self.nodes: list[str] = []  # the grid's rows and columns: the nodes with codings

    def compose(self) -> ComposeResult:
        yield Static(id="cooccurrence-title")
        yield DataTable(id="cooccurrence-table", cursor_type="cell", fixed_columns=1)
        yield Static(id="cooccurrence-detail")
        yield KeyBar()

    def show(self) -> None:
        app = self.app
        with app.writes.lock:
            result = cooccurrence(app.project, app.coder, unit=self.unit, level=self.level)
        self.result = result
        peak = max((p.both for p in result.pairs), default=0)
        self.query_one("#cooccurrence-title", Static).update(Text(
            f"{self.level}s by {self.level}s: {self.unit}s holding both (darker = more; Enter lists them)", style="bold"))
        grid = self.query_one("#cooccurrence-table", DataTable)
        grid.clear(columns=True)
        grid.add_column(self.level, key="row")
        self.nodes = [path for path in result.nodes if result.totals[path]]  # the grid skips unused nodes
        names = [path.rpartition("/")[2] for path in self.nodes]
        for index, name in enumerate(names):
            grid.add_column(inert(name), key=str(index))
        for a, path in enumerate(self.nodes):
            cells = []
            for b, other in enumerate(self.nodes):
                if a == b:
                    cells.append(Text(f" ({result.totals[path]})", style="dim italic", justify="right"))
                    continue
                count = result.count(path, other)
                cells.append(Text(f" {count}", style=shade_style(count / peak if peak else 0), justify="right"))
            grid.add_row(Text(inert(names[a]), style="bold"), *cells, key=path)
        self.show_detail()
        grid.focus()  # the arrows move over the cells at once

    def current_pair(self) -> tuple[str, str] | None:
        if self.result is None or not self.nodes:
            return None
        row, column = self.query_one("#cooccurrence-table", DataTable).cursor_coordinate
        if column == 0 or column - 1 == row or row >= len(self.nodes):
            return None
        return self.nodes[row], self.nodes[column - 1]

    def show_detail(self) -> None:
        line = self.query_one("#cooccurrence-detail", Static)
        pair = self.current_pair()
        if pair is None:
            line.update(Text("Move onto a cell off the diagonal (the diagonal shows each one's total).", style="dim"))
            return
        a, b = pair
        found = self.result.pair(a, b)
        jaccard = "—" if found is None or found.jaccard is None else f"{found.jaccard:.2f}"
        both = found.both if found else 0
        line.update(Text(f"{inert(a)} + {inert(b)}: {plural(both, self.unit)}, Jaccard {jaccard}"))

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.show_detail()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_passages()

    def action_passages(self) -> None:
        pair = self.current_pair()
        if pair is None:
            return
        app = self.app
        with app.writes.lock:
            found = passages_holding_both(app.project, app.coder, *pair, unit=self.unit, level=self.level)
        if not found:
            self.notify("No passage holds both", timeout=3)
            return
        passages = [(t, s, e, spoken_text(app.project, t, s, e)) for t, s, e in found]
        self.app.push_screen(PassagesScreen(f"{pair[0]} + {pair[1]}", passages), self.follow)

    def follow(self, jump: Jump | None) -> None:
        if jump is not None:
            self.dismiss(jump)

    def action_cycle_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.show()



class PassagesScreen(ModalScreen[Jump | None]):
    """The passages that hold both codes; Enter opens one in its transcript."""

    BINDINGS = [Binding("escape", "cancel", "back", id="passages.cancel")]

    def __init__(self, title: str, passages: list[tuple[str, int, int, str]]):
        super().__init__()
        self.heading, self.passages = title, passages

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        with Vertical(classes="dialog"):
            yield Static(f"{inert(self.heading)}: {plural(len(self.passages), 'passage')}", classes="dialog-title")
            yield OptionList(*(Option(f"{inert(t)} · “{inert(' '.join(text.split()))}”", id=str(i))
                               for i, (t, _, _, text) in enumerate(self.passages)), id="passages")
            yield Static("Enter opens the passage in its transcript · escape goes back", classes="dialog-hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        transcript, start, end, _ = self.passages[int(event.option.id)]
        self.dismiss(Jump(transcript, start, end))

    def action_cancel(self) -> None:
        self.dismiss(None)
