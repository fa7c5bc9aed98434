"""`/`: find text across every transcript of the project, live as you type; Enter opens
the hit in its transcript with the hit selected (the screen dismisses with a `Jump`).

This is the plain search (case-insensitive, exact substring). The quote search of
workbench/search replaces this module; a replacement keeps the contract: a screen class
`SearchScreen()` taking no arguments, reading `self.app.project`, and dismissing with a
`workbench.tui.navigation.Jump` or None.
"""

from __future__ import annotations

import re

from rich.text import Text

from workbench.terminal_safety import inert
from workbench.tui.navigation import Jump
from workbench.tui.screens.filter_list import FilterListScreen

MAX_HITS = 100
CONTEXT = 30  # characters shown either side of a hit


def find_text(project, query: str, limit: int = MAX_HITS) -> list[tuple[str, int, int]]:
    """(transcript, start, end) of each place `query` occurs, ignoring case."""
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    hits = []
    for info in project.transcripts():
        for match in pattern.finditer(project.text(info.id)):
            hits.append((info.id, match.start(), match.end()))
            if len(hits) >= limit:
                return hits
    return hits


def one_line(text: str) -> str:
    return inert(text).replace("\n", " ")


class SearchScreen(FilterListScreen):
    placeholder = "words to find"
    min_query = 2

    def __init__(self):
        super().__init__("Search the transcripts")

    def entries(self, query: str) -> list[tuple[Jump, Text]]:
        project = self.app.project
        found = []
        for transcript, start, end in find_text(project, query.strip()):
            text = project.text(transcript)
            line = Text(f"{transcript}  ", style="bold")
            line.append(one_line(text[max(0, start - CONTEXT):start]), style="dim")
            line.append(one_line(text[start:end]), style="reverse")
            line.append(one_line(text[end:end + CONTEXT]), style="dim")
            found.append((Jump(transcript, start, end), line))
        return found
