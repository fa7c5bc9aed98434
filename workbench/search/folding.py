"""What search compares: text folded one code point for one code point, and the words of it.

`fold` lowercases, strips accents (é → e, Å → a), makes curly quotes straight and every
space character a plain space, and never changes the length: the folded text's code point
i is the original's code point i folded, so an offset found in the folded text is an offset
into the original. A character whose fold would take more or fewer than one code point
(ß → ss, ﬁ → fi, … → ...) is kept as it is, lowercased where that keeps one code point.

`words` splits folded text into the words the shortlist indexes: letters and digits, with
apostrophes dropped so "don't" and "dont" are the same word.
"""

from __future__ import annotations

import unicodedata

_PUNCTUATION = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2015": "-", "\u2212": "-",
}


def _fold_char(char: str) -> str:
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    if char.isspace():
        return " "
    base = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
    if len(base) != 1:
        base = char
    lower = base.lower()
    return lower if len(lower) == 1 else base


class _FoldTable(dict):
    """A `str.translate` table filled on first sight of each code point."""

    def __missing__(self, code_point: int) -> str:
        folded = self[code_point] = _fold_char(chr(code_point))
        return folded


class _WordTable(dict):
    """Folded text to words: letters and digits stay, apostrophes go, the rest is a space."""

    def __missing__(self, code_point: int) -> str | None:
        char = chr(code_point)
        mapped = self[code_point] = None if char == "'" else char if char.isalnum() else " "
        return mapped


_FOLD = _FoldTable()
_WORDS = _WordTable()


def fold(text: str) -> str:
    """`text` lowercased, unaccented, quotes straightened; same length, offset for offset."""
    return text.translate(_FOLD)


def words(folded: str) -> list[str]:
    """The indexed words of already folded text."""
    return folded.translate(_WORDS).split()


def word_grams(word: str) -> tuple[str, ...]:
    """The trigrams of a word padded with a space each side: "key" → " ke", "key", "ey "."""
    padded = f" {word} "
    return tuple(padded[i:i + 3] for i in range(len(padded) - 2))


def join_grams(sequence: list[str]) -> set[str]:
    """The trigram across each gap between neighbouring words: "cabinet key" → "t k"."""
    return {f"{left[-1]} {right[0]}" for left, right in zip(sequence, sequence[1:])}


def query_grams(folded: str) -> set[str]:
    """Every trigram of a folded query, as the index holds them for a passage."""
    sequence = words(folded)
    grams = join_grams(sequence)
    for word in sequence:
        grams.update(word_grams(word))
    return grams
