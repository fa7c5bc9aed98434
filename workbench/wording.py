"""Counts as people write them: `1 coding`, `2 codings`, `1 category`, `3 categories`."""

from __future__ import annotations

IRREGULAR = {"category": "categories", "subcategory": "subcategories", "entry": "entries", "child": "children",
             "this": "these", "is": "are", "was": "were"}


def plural_of(word: str) -> str:
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def plural(n: int, noun: str, many: str | None = None) -> str:
    """`n noun`, the noun in its plural form unless n is 1 (`many` gives an irregular one)."""
    return f"{n} {noun}" if n == 1 else f"{n} {many or plural_of(noun)}"


def agree(n: int, word: str) -> str:
    """A word agreeing with a count: agree(1, 'is') -> 'is', agree(2, 'is') -> 'are'."""
    return word if n == 1 else plural_of(word)
