"""Nothing stored in a project may act on the terminal it is shown in: an escape sequence inside a
transcript, memo, code name, definition, attribute, coder name or history summary (OSC 52 writes
the user's clipboard, others move the cursor or retitle the window) is shown as visible, inert
text instead of being sent raw. `inert` is the one sanitiser every path from stored text to the
terminal uses: the command line where it prints stored text, errors and warnings; the screen in
its widgets and notifications, and beneath them all in every line it draws
(`workbench.tui.terminal_guard`)."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and the C1 controls (0x80-0x9f, which include CSI and OSC).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# Every control character, tab and newline too: what is left of a drawn line must only print.
ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def has_controls(text: str) -> bool:
    return ANY_CONTROL.search(text) is not None


def inert(text: str) -> str:
    """`text` with every control character replaced by a visible stand-in of the same length
    (one character each), so offsets into the text still hold."""
    return CONTROL.sub(_stand_in, text)


def _stand_in(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␛ for ESC
    return "\u2421" if code == 0x7F else "\ufffd"
