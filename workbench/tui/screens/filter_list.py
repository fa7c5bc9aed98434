"""The shape shared by the picker, memos and search screens: a line to type in above a
list that follows it; arrows choose, Enter takes (the screen is dismissed with the chosen
value), escape cancels (dismissed with None)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option


class FilterListScreen(ModalScreen[Any]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "cancel"),
        Binding("up", "move(-1)", "up", show=False, priority=True),
        Binding("down", "move(1)", "down", show=False, priority=True),
        Binding("pageup", "move(-10)", "page up", show=False),
        Binding("pagedown", "move(10)", "page down", show=False),
    ]
    placeholder = "type to filter"
    min_query = 0  # fewer characters than this show nothing

    def __init__(self, title: str, highlight: Any = None):
        super().__init__()
        self.dialog_title, self.initial = title, highlight
        self.shown: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes=f"dialog {type(self).__name__}"):
            yield Static(self.dialog_title, classes="dialog-title")
            yield Input(placeholder=self.placeholder)
            yield OptionList()

    def on_mount(self) -> None:
        self.refill("")
        if self.initial is not None and self.initial in self.shown:
            self.query_one(OptionList).highlighted = self.shown.index(self.initial)
        self.query_one(Input).focus()

    def entries(self, query: str) -> list[tuple[Any, Text]]:
        """(value, how it is shown) for each entry matching `query`, best first."""
        raise NotImplementedError

    def refill(self, query: str) -> None:
        found = self.entries(query) if len(query.strip()) >= self.min_query else []
        options = self.query_one(OptionList)
        options.clear_options()
        self.shown = [value for value, _ in found]
        options.add_options([Option(prompt) for _, prompt in found])
        if self.shown:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and highlighted < len(self.shown):
            self.dismiss(self.shown[highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index])

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            current = options.highlighted if options.highlighted is not None else 0
            options.highlighted = min(max(0, current + step), len(self.shown) - 1)
