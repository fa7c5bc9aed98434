"""A fuzzy picker over a list (codes with path, count and definition; parents; kinds;
colours; codings). With `create_label`, a query that names nothing listed offers to
create it: choosing that dismisses the screen with `NewEntry(query)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rich.text import Text

from workbench.tui.screens.filter_list import FilterListScreen

LIMIT = 200
CUTOFF = 55  # rapidfuzz WRatio score (0-100) below which an entry is not shown
EXTRA_WEIGHT = 0.8


@dataclass(frozen=True)
class PickItem:
    value: Any
    title: str
    detail: str = ""
    colour: str | None = None
    search: str | None = None  # what the query is matched against (default: the title)
    extra: str = ""  # matched too, at a lower weight (a code's definition)


@dataclass(frozen=True)
class NewEntry:
    name: str


class PickerScreen(FilterListScreen):
    def __init__(self, title: str, items: list[PickItem], create_label: str | None = None, highlight: Any = None):
        super().__init__(title, highlight)
        self.items, self.create_label = items, create_label

    def matching(self, query: str) -> list[PickItem]:
        """Best first: the title (a code's path) counts fully, the extra text (a definition)
        at `EXTRA_WEIGHT`, and a name that starts with the query comes before the rest."""
        if not query.strip():
            return self.items
        wanted = query.strip().casefold()
        scored = []
        for index, item in enumerate(self.items):
            score = fuzz.WRatio(query, item.search or item.title)
            if item.extra:
                score = max(score, EXTRA_WEIGHT * fuzz.partial_ratio(wanted, item.extra.casefold()))
            if item.title.rsplit("/", 1)[-1].casefold().startswith(wanted):
                score += 100
            if score >= CUTOFF:
                scored.append((-score, index))
        return [self.items[i] for _, i in sorted(scored)[:LIMIT]]

    def entries(self, query: str) -> list[tuple[Any, Text]]:
        items = self.matching(query)
        found = [(item.value, self._prompt_for(item)) for item in items]
        name = " ".join(query.split())
        taken = {item.title.rsplit("/", 1)[-1].casefold() for item in items} | {item.title.casefold() for item in items}
        if self.create_label and name and name.casefold() not in taken:
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
