"""What search compares: text folded one code point for one code point, and the words of it.

`fold` lowercases, strips accents (é → e, Å → a), makes curly quotes straight and every
space character a plain space, and never changes the length: the folded text's code point
i is the original's code point i folded, so an offset found in the folded text is an offset
into the original. A character whose fold would take more or fewer than one code point
(ß → ss, ﬁ → fi, … → ...) is kept as it is, lowercased where that keeps one code point.

`words` splits folded text into the words the shortlist indexes: letters and digits, with
apostrophes dropped so "don't" and "dont" are the same word; `word_grams` and `pair_grams`
are what it indexes of them.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise

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


def pair_grams(sequence: list[str]) -> set[str]:
    """What says which words stand together: the last two letters of each word, a space and
    the first two of the next ("a lot of" → "a lo", "ot of"), and the same with two spaces
    across one word ("a  of"), which a typo in the middle word leaves intact."""
    grams = {f"{left[-2:]} {right[:2]}" for left, right in pairwise(sequence)}
    grams.update(f"{left[-2:]}  {right[:2]}" for left, right in zip(sequence, sequence[2:]))
    return grams


def query_grams(folded: str) -> tuple[set[str], set[str]]:
    """(every indexed gram of a folded query, the grams of it every passage holding the query
    verbatim must have).

    A query cut out of a passage may begin inside a word and end inside one: its first
    word's leading trigram (" bi" of "binet key" in "cabinet key") and its last word's
    trailing one need not be the passage's, nor a pair gram taking a single letter from a
    cut word ("t ke" where the passage has "et ke"). Every other gram is the passage's too.
    """
    sequence = words(folded)
    every = pair_grams(sequence)
    sure = set()
    last = len(sequence) - 1
    for at, word in enumerate(sequence):
        grams = word_grams(word)
        every.update(grams)
        sure.update(grams[1 if at == 0 else 0:len(grams) - 1 if at == last else len(grams)])

    def whole_edge(at: int) -> bool:
        return 0 < at < last or len(sequence[at]) >= 2

    for gap, separator in ((1, " "), (2, "  ")):
        sure.update(f"{sequence[at][-2:]}{separator}{sequence[at + gap][:2]}" for at in range(len(sequence) - gap)
                    if whole_edge(at) and whole_edge(at + gap))
    return every, sure


def is_neighbour_gram(gram: str) -> bool:
    """A pair gram of two neighbouring words ("ot of"), not across one ("ot  of")."""
    return " " in gram.strip(" ") and "  " not in gram
