"""What the analysis screens opened from the palette share: `l` switches codes and themes,
`escape` (or `q`) goes back; each screen's `show()` draws it again."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen


class LevelScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "close", "back", id="analysis.close"),
        Binding("l", "toggle_level", "codes/themes", id="analysis.level"),
    ]

    def __init__(self):
        super().__init__()
        self.level = "code"

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        raise NotImplementedError

    def action_toggle_level(self) -> None:
        self.level = "theme" if self.level == "code" else "code"
        self.show()

    def action_close(self) -> None:
        self.dismiss(None)
