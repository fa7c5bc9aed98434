"""The framework matrix on screen: participants (or waves, or the values of an attribute) by
themes (or another level), each cell the number of codings, shaded by intensity.

`r` cycles the rows (participant, wave, then each participant attribute), `l` the level of
the columns, `p` switches between counts and presence. Like the theme review, it takes
(project, coder file) or, built with no arguments, the main app's.
"""

from __future__ import annotations

from contextlib import nullcontext

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

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
    ]

    def __init__(self, project=None, coder=None, *, lock=None):
        super().__init__()
        self.project, self.coder, self.lock = project, coder, lock or nullcontext()
        self.by, self.level, self.presence = "participant", None, False
        self.matrix = None  # what is shown

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="matrix-table")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.project is None:
            self.project, self.coder, self.lock = self.app.project, self.app.coder, self.app.writes.lock
        self.show()

    def row_choices(self) -> list[str]:
        names = {}
        for attributes in self.project.participants().values():
            for name in attributes:
                names.setdefault(name.strip().casefold(), name.strip())
        return ["participant", "wave", *sorted(names.values(), key=str.casefold)]

    def show(self) -> None:
        try:
            with self.lock:
                matrix = build_matrix(self.project, self.coder, by=self.by, level=self.level, presence=self.presence)
        except WorkbenchError as err:
            self.query_one("#matrix-table", Static).update(Text(str(err), style="bold red"))
            return
        self.level, self.matrix = matrix.level, matrix
        what = "presence" if matrix.presence else "codings"
        table = Table(title=f"{inert(matrix.by)} by {matrix.level}: {what} (darker = more)", show_lines=False)
        table.add_column(inert(matrix.by), style="bold")
        for column in matrix.columns:
            table.add_column(inert(column["code"]), justify="right", max_width=18)
        for row, size, values in zip(matrix.rows, matrix.row_sizes, matrix.cells):
            label = inert(row) if matrix.by == "participant" else f"{inert(row)} (n={size})"
            table.add_row(label, *(Text(f" {v} ", style=shade_style(matrix.intensity(v))) for v in values))
        self.query_one("#matrix-table", Static).update(table)

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
