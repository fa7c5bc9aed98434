"""A picker over a list (codes with path, count and definition; parents; kinds; colours;
codings), ranked as `workbench.picking` ranks (exact, prefix, substring of the leaf name,
then fuzzy, then a parent's path, then the definition). With `create_label`, a query that
names nothing listed exactly offers to create it, as the first and highlighted row (the
matches follow, to be chosen with the arrows): choosing that dismisses the screen with
`NewEntry(query)`. An exact match comes first and is highlighted instead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text

from workbench.picking import EXACT, rank
from workbench.tui.screens.filter_list import FilterListScreen

LIMIT = 200


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

    def ranked(self, query: str) -> list[tuple[PickItem, bool]]:
        """(item, whether it is an exact match) for the items matching `query`, best first."""
        found = rank(query, [(item.search or item.title, item.extra) for item in self.items], LIMIT)
        exact = bool(query.strip())
        return [(self.items[r.index], exact and r.tier == EXACT) for r in found]

    def matching(self, query: str) -> list[PickItem]:
        return [item for item, _ in self.ranked(query)]

    def entries(self, query: str) -> list[tuple[Any, Text]]:
        ranked = self.ranked(query)
        found = [(item.value, self._prompt_for(item)) for item, _ in ranked]
        name = " ".join(query.split())
        if self.create_label and name and not any(exact for _, exact in ranked):
            found.insert(0, (NewEntry(name), Text(f"+ {self.create_label} “{name}”", style="bold")))
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
