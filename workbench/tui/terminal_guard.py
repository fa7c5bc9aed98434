"""The screen's last line of defence against escape sequences: every line Textual draws passes
through `Strip.render` on its way to the terminal, and there any control character still left in
its text is made inert (the widgets already show stored text through `terminal_safety.inert`;
this catches whatever a widget or a library forgot). Textual's own sequences (colours, cursor
moves) are made from styles and controls outside the text, and pass untouched."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip

from workbench.terminal_safety import has_controls, inert

_installed = False


def install() -> None:
    """Guard `Strip.render` (once per process)."""
    global _installed
    if _installed:
        return
    original = Strip.render

    def render(self: Strip, console) -> str:
        if self._render_cache is None and any(has_controls(text) for text, _, control in self._segments if not control):
            # One visible stand-in for each control character: a control has no width, its stand-in one, so the
            # line is cut back to its width (the stand-ins show where something was taken out).
            clean = Strip([Segment(shown(text) if not control else text, style, control)
                           for text, style, control in self._segments]).crop(0, self.cell_length)
            self._render_cache = original(clean, console)
        return original(self, console)

    Strip.render = render
    _installed = True


def shown(text: str) -> str:
    return inert(text).replace("\t", " ").replace("\n", " ")
