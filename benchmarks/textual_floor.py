"""The floor the coding screen's launch is measured against: a one-widget Textual app,
launched the way `benchmarks.tui_first_frame` launches the screen.

    python -m benchmarks.textual_floor READY_FD

Once its first frame is displayed it writes a line to READY_FD and quits.
"""

from __future__ import annotations

import os
import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class FloorApp(App):
    def __init__(self, ready_fd: int):
        super().__init__()
        self.ready_fd = ready_fd

    def compose(self) -> ComposeResult:
        yield Static("one widget")

    def on_ready(self) -> None:
        os.write(self.ready_fd, b"ready\n")
        self.exit()


if __name__ == "__main__":
    FloorApp(int(sys.argv[1])).run()
