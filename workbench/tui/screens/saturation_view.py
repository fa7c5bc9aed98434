"""Saturation on screen: transcripts in interview order, each with a bar for the running total
of codes (the part it brought new in a brighter block), and the point after which a run of
transcripts brought no new code.

`o` switches the order (interview date, import), `l` codes and themes. Opened from the
palette ("Open saturation").
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.analysis.saturation import ORDERS, saturation
from workbench.terminal_safety import inert
from workbench.tui.screens.level_screen import LevelScreen
from workbench.tui.widgets.key_bar import KeyBar

BAR = 40  # cells for the largest running total


def curve_rows(result, width: int = BAR) -> list[tuple[str, Text, str]]:
    """(transcript, bar, counts) per step: the running total in blocks, the new part brighter."""
    peak = max((s.total for s in result.steps), default=0) or 1
    rows = []
    for step in result.steps:
        length = round(width * step.total / peak)
        new = step.new and max(1, length - round(width * (step.total - step.new) / peak))
        old = length - new
        bar = Text("█" * old, style="blue") + Text("█" * new, style="bold bright_green")
        if step.transcript == result.saturated_after:
            bar += Text(" ◀ saturated", style="bold")
        rows.append((step.transcript, bar, f"{step.total} (+{step.new})"))
    return rows


class SaturationScreen(LevelScreen):
    BINDINGS = [Binding("o", "cycle_order", "order", id="saturation.order")]

    def __init__(self):
        super().__init__()
        self.order = "date"
        self.result = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="saturation-curve")
        yield KeyBar()

    def show(self) -> None:
        app = self.app
        with app.writes.lock:
            self.result = result = saturation(app.project, app.coder, order=self.order, level=self.level)
        table = Table(title=f"New {self.level}s per transcript, in {self.order} order", show_edge=False, box=None)
        table.add_column("transcript", style="bold")
        table.add_column(f"{self.level}s so far (new in green)")
        table.add_column("total (+new)", justify="right")
        for transcript, bar, counts in curve_rows(result):
            table.add_row(inert(transcript), bar, counts)
        verdict = (f"Saturated after {inert(result.saturated_after)}" if result.saturated_after
                   else "Not saturated yet")
        later = sum(s.new for s in result.steps[result.order.index(result.saturated_after) + 1:]) \
            if result.saturated_after else 0
        after = (f" {later} more code{'s' if later != 1 else ''} came later: the criterion stops at its first run."
                 if later else "")
        table.caption = f"{verdict}. {result.criterion}.{after}"
        self.query_one("#saturation-curve", Static).update(table)

    def action_cycle_order(self) -> None:
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self.show()

