"""Ranking a picker's entries (codes by path, parents, kinds, colours) against what was typed.

Every picker ranks the same way, best first:

    exact       the leaf name, or the whole path, is the typed text (ignoring case and spacing;
                in a path "a/b", "a / b" and "a b" are the same)
    prefix      the leaf name starts with it
    substring   the leaf name contains it
    words       each typed word starts a word of the path, the last one a word of the leaf name
                ("hostility stigma" finds ".../hostility from staff/stigma")
    fuzzy       the leaf name is close to it (rapidfuzz)
    path        a parent's name matches (substring or fuzzy): the children of what was typed
    definition  the definition (an entry's extra text) contains it, or a word starting with
                each typed word

so a code is never preferred over its own exact match, and a fuzzy hit never outranks a
real one. Within a tier, the closer leaf name comes first, then the entries' own order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from rapidfuzz import fuzz

EXACT, PREFIX, SUBSTRING, WORDS, FUZZY, PATH, DEFINITION = range(7)
FUZZY_CUTOFF = 70  # rapidfuzz WRatio (0-100) below which a leaf name does not match
PATH_CUTOFF = 80  # the same for a parent's name
SEPARATOR = "/"
WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Case and spacing ignored: 'Unclear  Role ' -> 'unclear role'."""
    return " ".join(text.casefold().split())


def path_words(path: str) -> list[str]:
    return normalise(path.replace(SEPARATOR, " ")).split()


def same_name(typed: str, path: str) -> bool:
    """Whether `typed` names the entry at `path` exactly: its leaf name or its whole path."""
    wanted = normalise(typed)
    if not wanted:
        return False
    leaf = normalise(path.rsplit(SEPARATOR, 1)[-1])
    return wanted == leaf or wanted.replace(SEPARATOR, " ").split() == path_words(path)


@dataclass(frozen=True)
class Ranked:
    index: int  # into the entries given
    tier: int
    score: float


def rank_one(query: str, path: str, extra: str = "") -> tuple[int, float] | None:
    """(tier, score) of one entry, or None when it does not match `query` at all."""
    wanted = normalise(query)
    leaf = normalise(path.rsplit(SEPARATOR, 1)[-1])
    closeness = fuzz.ratio(wanted, leaf)
    if same_name(query, path):
        return EXACT, 100.0
    if leaf.startswith(wanted):
        return PREFIX, closeness
    if wanted in leaf:
        return SUBSTRING, closeness
    typed = wanted.replace(SEPARATOR, " ").split()
    words = path_words(path)
    leaf_words = leaf.split()
    if len(typed) > 1 and typed_words_in(typed, words) and any(w.startswith(typed[-1]) for w in leaf_words):
        return WORDS, closeness
    fuzzy = fuzz.WRatio(wanted, leaf)
    if fuzzy >= FUZZY_CUTOFF:
        return FUZZY, fuzzy
    parents = normalise(path.rsplit(SEPARATOR, 1)[0]) if SEPARATOR in path else ""
    if parents and (wanted in parents or typed_words_in(typed, words)
                    or fuzz.partial_ratio(wanted, parents) >= PATH_CUTOFF):
        return PATH, fuzz.partial_ratio(wanted, parents)
    if extra and len(wanted) >= 3:
        said = normalise(extra)
        if wanted in said or all(any(w.startswith(t) for w in WORD.findall(said)) for t in typed):
            return DEFINITION, fuzz.partial_ratio(wanted, said)
    return None


def typed_words_in(typed: list[str], words: list[str]) -> bool:
    """Each typed word starts some word of `words`, in order."""
    at = 0
    for word in typed:
        while at < len(words) and not words[at].startswith(word):
            at += 1
        if at == len(words):
            return False
        at += 1
    return True


def rank(query: str, entries: Sequence[tuple[str, str]], limit: int | None = None) -> list[Ranked]:
    """The entries (path, extra text) matching `query`, best first; all of them, in their own
    order, for an empty query."""
    if not normalise(query):
        found = [Ranked(i, EXACT, 0.0) for i in range(len(entries))]
    else:
        found = []
        for index, (path, extra) in enumerate(entries):
            hit = rank_one(query, path, extra)
            if hit is not None:
                found.append(Ranked(index, *hit))
        found.sort(key=lambda r: (r.tier, -r.score, r.index))
    return found if limit is None else found[:limit]
