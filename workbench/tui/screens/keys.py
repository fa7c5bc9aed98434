"""`?`: every key of the coding screen, pane by pane."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.tui.widgets.key_bar import typed_key


def key_table(groups: list[tuple[str, list[Binding]]], name=lambda key: key) -> Table:
    """One row per binding: its keys as `name` spells them, then what it does."""
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for title, bindings in groups:
        table.add_row(f"[reverse] {title} [/]", "")
        for binding in bindings:
            if isinstance(binding, tuple):
                binding = Binding(*binding)
            keys = " ".join(name(k.strip()) for k in binding.key.split(","))
            table.add_row(keys, binding.description or binding.action)
        table.add_row("", "")
    return table


class KeysScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss(None)", "close")]

    def __init__(self, groups: list[tuple[str, list[Binding]]]):
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog keys"):
            yield Static("Keys  (escape closes)", classes="dialog-title")
            yield Static(key_table(self.groups, lambda key: typed_key(self.app, key)))
