"""Editing a quote's corrected text for publication: the verbatim text stays above, read-only.
The field opens with the cursor after the text and nothing selected, so a stray key adds a
letter instead of replacing the quote; a text that would replace the quote rather than fix
its grammar (workbench.coding.corrections) is refused in place, with the reason."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from workbench.coding.corrections import NotACorrection, clean_correction
from workbench.terminal_safety import inert

HINT = "Enter to save (an empty line or the verbatim text clears the correction), escape to cancel"


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
            start = inert(" ".join((self.corrected if self.corrected is not None else self.verbatim).split()))
            yield Input(start, id="correction-input", select_on_focus=False)
            yield Static(HINT, classes="dialog-hint", id="correction-hint")

    def on_mount(self) -> None:
        field = self.query_one("#correction-input", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            self.dismiss((clean_correction(self.verbatim, event.value),))
        except NotACorrection as refused:
            self.query_one("#correction-hint", Static).update(Text(str(refused), style="bold red"))
