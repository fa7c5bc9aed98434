"""The framework matrix on screen: participants (or waves, or the values of an attribute) by
themes (or another level), each cell the number of codings, shaded by intensity.

`r` cycles the rows (participant, wave, then each participant attribute), `l` the level of
the columns, `p` switches between counts and presence. The arrows move over the cells; `e`
(or Enter) writes the cell's framework summary with the cell's quotes beside the editor
(Ritchie and Spencer's charting; `workbench matrix --summaries` prints them). Like the theme
review, it takes (project, coder file) or, built with no arguments, the main app's.
"""

from __future__ import annotations

from contextlib import nullcontext

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, OptionList, Static, TextArea

from workbench.analysis.framework import CELL, cell_codings, cell_target
from workbench.analysis.matrix import build_matrix, default_level
from workbench.errors import WorkbenchError
from workbench.terminal_safety import inert
from workbench.tui.widgets.key_bar import KeyBar

LEVELS = ("category", "theme", "subtheme", "code")
# Light to dark blue backgrounds; the text turns white on the darker ones.
SHADES = ("#dbe9f9", "#b3cff0", "#80ade3", "#4f86cc", "#2a62ad", "#123f80")


def shade_style(intensity: float) -> str:
    if intensity <= 0:
        return "dim"
    step = SHADES[min(len(SHADES) - 1, int(intensity * (len(SHADES) - 1) + 0.999))]
    return f"{'white' if intensity > 0.5 else 'black'} on {step}"


class MatrixScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "close", "back", id="matrix.close"),
        Binding("r", "cycle_rows", "rows", id="matrix.rows"),
        Binding("l", "cycle_level", "level", id="matrix.level"),
        Binding("p", "toggle_presence", "presence", id="matrix.presence"),
        Binding("e,enter", "summarise", "summary", id="matrix.summary"),
    ]

    def __init__(self, project=None, coder=None, *, lock=None):
        super().__init__()
        self.project, self.coder, self.lock = project, coder, lock or nullcontext()
        self.by, self.level, self.presence = "participant", None, False
        self.matrix = None  # what is shown

    def compose(self) -> ComposeResult:
        yield Static(id="matrix-title")
        yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=False, fixed_columns=1)
        yield Static(id="matrix-summary")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.project is None:
            self.project, self.coder, self.lock = self.app.project, self.app.coder, self.app.writes.lock
        self.show()
        self.query_one("#matrix-table", DataTable).focus()  # the arrows move over the cells at once

    def row_choices(self) -> list[str]:
        names = {}
        for attributes in self.project.participants().values():
            for name in attributes:
                names.setdefault(name.strip().casefold(), name.strip())
        return ["participant", "wave", *sorted(names.values(), key=str.casefold)]

    def show(self) -> None:
        title = self.query_one("#matrix-title", Static)
        grid = self.query_one("#matrix-table", DataTable)
        try:
            with self.lock:
                matrix = build_matrix(self.project, self.coder, by=self.by, level=self.level, presence=self.presence)
                summaries = {m.target for m in self.coder.memos() if m.target_type == CELL}
        except WorkbenchError as err:
            title.update(Text(str(err), style="bold red"))
            grid.clear(columns=True)
            return
        self.level, self.matrix = matrix.level, matrix
        what = "presence" if matrix.presence else "codings"
        title.update(Text(f"{inert(matrix.by)} by {matrix.level}: {what} (darker = more; ✎ a summary is written)",
                          style="bold"))
        keep = grid.cursor_coordinate
        grid.clear(columns=True)
        grid.add_column(inert(matrix.by), key="row")
        for column in matrix.columns:
            grid.add_column(inert(column["code"]), key=column["id"])
        for row, size, values in zip(matrix.rows, matrix.row_sizes, matrix.cells):
            label = inert(row) if matrix.by == "participant" else f"{inert(row)} (n={size})"
            cells = []
            for column, v in zip(matrix.columns, values):
                mark = "✎" if cell_target(matrix.by, row, column["id"]) in summaries else " "
                cells.append(Text(f" {v}{mark}", style=shade_style(matrix.intensity(v)), justify="right"))
            grid.add_row(Text(label, style="bold"), *cells, key=row)
        if matrix.rows:
            grid.cursor_coordinate = keep  # clamped to the new table by DataTable
        self.show_summary()

    def current_cell(self) -> tuple[str, dict] | None:
        """(row label, column) under the cursor, or None on the row labels."""
        grid = self.query_one("#matrix-table", DataTable)
        if self.matrix is None or not self.matrix.rows:
            return None
        row, column = grid.cursor_coordinate
        if column == 0 or row >= len(self.matrix.rows):
            return None
        return self.matrix.rows[row], self.matrix.columns[column - 1]

    def show_summary(self) -> None:
        cell = self.current_cell()
        line = self.query_one("#matrix-summary", Static)
        if cell is None:
            line.update(Text("Move onto a cell; e writes its summary.", style="dim"))
            return
        row, column = cell
        with self.lock:
            memo = self.coder.memo(CELL, cell_target(self.matrix.by, row, column["id"]))
        text = " ".join(memo.text.split()) if memo else "no summary yet: e writes one"
        line.update(Text(f"{inert(row)} × {inert(column['path'])}: {inert(text)}"))

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.show_summary()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_summarise()

    def action_summarise(self) -> None:
        cell = self.current_cell()
        if cell is None:
            self.notify("Move onto a cell of a theme first", timeout=3)
            return
        row, column = cell
        target = cell_target(self.matrix.by, row, column["id"])
        with self.lock:
            memo = self.coder.memo(CELL, target)
            quotes = cell_codings(self.project, self.coder, self.matrix, row, column)
        title = f"{row} × {column['path']}"

        def save(text: str | None) -> None:
            if text is None or text == (memo.text if memo else ""):
                return
            self.write_change(f"summary of {title}", lambda coder: coder.set_memo(CELL, target, text))

        self.app.push_screen(CellSummaryEditor(title, memo.text if memo else "", quotes), save)

    def write_change(self, summary: str, apply) -> None:
        """Through the coding screen's write queue when there is one, else directly."""
        from workbench.tui.writes import write_from_screen

        through_app = hasattr(self.app, "submit") and getattr(self.app, "coder", None) is self.coder
        write_from_screen(self, through_app, self.coder, self.lock, summary, apply, lambda _result: self.show())

    def action_cycle_rows(self) -> None:
        choices = self.row_choices()
        self.by = choices[(choices.index(self.by) + 1) % len(choices)] if self.by in choices else choices[0]
        self.show()

    def action_cycle_level(self) -> None:
        with self.lock:
            present = {c.kind for c in self.coder.codebook.walk()}
        levels = [k for k in LEVELS if k in present] or [default_level(self.coder.codebook)]
        self.level = levels[(levels.index(self.level) + 1) % len(levels)] if self.level in levels else levels[0]
        self.show()

    def action_toggle_presence(self) -> None:
        self.presence = not self.presence
        self.show()

    def action_close(self) -> None:
        self.dismiss(None)


class CellSummaryEditor(ModalScreen[str | None]):
    """The summary of one matrix cell, written beside the quotes it summarises."""

    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="summary.cancel"),
        Binding("ctrl+s", "save", "save", id="summary.save"),
    ]

    def __init__(self, title: str, text: str, quotes: list):
        super().__init__()
        self.heading, self.text, self.quotes = title, text, quotes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog summary-dialog"):
            yield Static(f"Summary: {inert(self.heading)}", classes="dialog-title")
            with Horizontal():
                yield TextArea(self.text, id="summary-text")
                quotes = OptionList(id="summary-quotes")
                for coding in self.quotes:
                    quotes.add_option(f"“{inert(' '.join(coding.quote.split()))}” ({inert(coding.transcript)})")
                if not self.quotes:
                    quotes.add_option("no coding in this cell")
                yield quotes
            yield Static("ctrl+s saves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        editor = self.query_one("#summary-text", TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#summary-text", TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
