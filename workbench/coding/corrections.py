"""A coding's corrected text: the quote with its grammar fixed for publication, never another
quote. The verbatim text always stays; a correction must keep at least half of its words
(a word counts as kept when it appears again, or respelled: "recieved" -> "received").
"""

from __future__ import annotations

import re
from collections import Counter

from workbench.errors import WorkbenchError

KEPT_AT_LEAST = 0.5
RESPELLED = 80  # rapidfuzz ratio at which a word of 5 letters or more counts as the same word respelled
WORD = re.compile(r"\w+(?:['’]\w+)*")


class NotACorrection(WorkbenchError):
    """A 'correction' that would replace the quote rather than fix its grammar."""


def words(text: str) -> list[str]:
    return [w.casefold().replace("’", "").replace("'", "") for w in WORD.findall(text)]


def kept_words(verbatim: str, corrected: str) -> tuple[int, int]:
    """(how many of the verbatim words the correction keeps, how many there are)."""
    from rapidfuzz import fuzz  # lazily: every coder file imports this module, few correct quotes

    said = words(verbatim)
    written = Counter(words(corrected))
    kept = 0
    for word in said:
        if written[word] > 0:
            written[word] -= 1
            kept += 1
            continue
        near = next((w for w, n in written.items() if n > 0 and len(word) > 4 and fuzz.ratio(word, w) >= RESPELLED), None)
        if near is not None:
            written[near] -= 1
            kept += 1
    return kept, len(said)


def clean_correction(verbatim: str, corrected: str | None) -> str | None:
    """The correction to store: spacing tidied; None (no correction) for an empty one or one
    that is the verbatim text again. Raises NotACorrection for one that keeps less than half
    of the verbatim words."""
    if corrected is None:
        return None
    text = " ".join(corrected.split())
    if not text or text == " ".join(verbatim.split()):
        return None
    kept, total = kept_words(verbatim, text)
    if total and kept < KEPT_AT_LEAST * total:
        raise NotACorrection(
            f"“{shorten(text)}” keeps {kept} of the quote's {total} words: a correction fixes grammar and cannot "
            f"replace the quote (keep at least half of its words; to quote other words, code them instead)")
    return text


def shorten(text: str, room: int = 60) -> str:
    if len(text) <= room:
        return text
    cut = text[:room].rsplit(" ", 1)[0] or text[:room]
    return cut + "…"
