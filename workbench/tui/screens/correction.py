"""Editing a quote's corrected text for publication: the verbatim text stays above, read-only."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from workbench.terminal_safety import inert


class CorrectionEditor(ModalScreen[tuple[str | None] | None]):
    """Dismissed with (corrected,) on Enter, where None clears the correction (an empty line,
    or the verbatim text unchanged), or with None on escape."""

    BINDINGS = [Binding("escape", "dismiss(None)", "cancel")]

    def __init__(self, verbatim: str, corrected: str | None):
        super().__init__()
        self.verbatim, self.corrected = verbatim, corrected

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Corrected text for quoting (grammar only)", classes="dialog-title")
            yield Static(Text("Verbatim: ", style="bold") + Text(inert(self.verbatim), style="italic"),
                         id="correction-verbatim")
            yield Input(inert(self.corrected if self.corrected is not None else self.verbatim), id="correction-input")
            yield Static("Enter to save (an empty line or the verbatim text clears the correction), escape to cancel",
                         classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = " ".join(event.value.split())
        self.dismiss((None if not text or text == " ".join(self.verbatim.split()) else text,))
