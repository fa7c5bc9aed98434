"""Counts as people write them: `1 coding`, `2 codings`, `1 category`, `3 categories`."""

from __future__ import annotations

IRREGULAR = {"category": "categories", "subcategory": "subcategories", "entry": "entries", "child": "children"}


def plural_of(word: str) -> str:
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def plural(n: int, noun: str, many: str | None = None) -> str:
    """`n noun`, the noun in its plural form unless n is 1 (`many` gives an irregular one)."""
    return f"{n} {noun}" if n == 1 else f"{n} {many or plural_of(noun)}"


def agree(n: int, one: str, many: str) -> str:
    """The word that agrees with a count: agree(n, "goes", "go")."""
    return one if n == 1 else many
