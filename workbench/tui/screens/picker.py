"""A fuzzy picker over a list (codes with path, count and definition; parents; kinds;
colours; codings). With `create_label`, a query that names nothing listed offers to
create it: choosing that dismisses the screen with `NewEntry(query)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from rich.text import Text

from workbench.tui.screens.filter_list import FilterListScreen

LIMIT = 200
CUTOFF = 55  # rapidfuzz WRatio score (0-100) below which an entry is not shown


@dataclass(frozen=True)
class PickItem:
    value: Any
    title: str
    detail: str = ""
    colour: str | None = None
    search: str | None = None  # what the query is matched against (default: the title)


@dataclass(frozen=True)
class NewEntry:
    name: str


class PickerScreen(FilterListScreen):
    def __init__(self, title: str, items: list[PickItem], create_label: str | None = None, highlight: Any = None):
        super().__init__(title, highlight)
        self.items, self.create_label = items, create_label

    def matching(self, query: str) -> list[PickItem]:
        if not query.strip():
            return self.items
        choices = {i: item.search or item.title for i, item in enumerate(self.items)}
        found = process.extract(query, choices, scorer=fuzz.WRatio, limit=LIMIT, score_cutoff=CUTOFF)
        return [self.items[i] for _, _, i in found]

    def entries(self, query: str) -> list[tuple[Any, Text]]:
        items = self.matching(query)
        found = [(item.value, self._prompt_for(item)) for item in items]
        name = " ".join(query.split())
        if self.create_label and name and not any(item.title.casefold() == name.casefold() for item in items):
            found.append((NewEntry(name), Text(f"+ {self.create_label} “{name}”", style="bold")))
        return found

    @staticmethod
    def _prompt_for(item: PickItem) -> Text:
        text = Text()
        if item.colour:
            text.append("■ ", style=item.colour)
        text.append(item.title, style="bold")
        if item.detail:
            text.append("\n  " + item.detail, style="dim")
        return text
