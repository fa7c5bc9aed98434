"""One coding per stretch of a code: codings of the same code in the same transcript whose
spans overlap or touch ([a, b) and [b, c)) are one coding over their union.

`CoderFile` applies this to every change that adds or moves a coding (the screen, `code add`,
imports, merges, the disagreement walk), and `CoderFile.join_duplicates` to what an older
file holds. Joining keeps the oldest coding's id (so its comment and history stay with it),
the union of the spans with the transcript's text over it, an exemplar mark if any had one,
and every review reason. A corrected text written for a shorter quote is kept but flagged
for review, since it no longer covers the whole quote.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from workbench.model import Coding, now

CORRECTION_REVIEW = "joined with an overlapping coding of the same code: its corrected text covers only {span}"


def clusters(codings: Iterable[Coding]) -> list[list[Coding]]:
    """The groups of two or more codings of one code and transcript whose spans overlap or
    touch one another (transitively), each sorted by start."""
    grouped: dict[tuple[str, str], list[Coding]] = defaultdict(list)
    for coding in codings:
        grouped[(coding.code, coding.transcript)].append(coding)
    found = []
    for group in grouped.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda c: (c.start, c.end))
        current, reach = [group[0]], group[0].end
        for coding in group[1:]:
            if coding.start <= reach:
                current.append(coding)
                reach = max(reach, coding.end)
            else:
                if len(current) > 1:
                    found.append(current)
                current, reach = [coding], coding.end
        if len(current) > 1:
            found.append(current)
    return found


def joined_text(cluster: list[Coding]) -> str | None:
    """The verbatim text over the union of the cluster's spans, pieced together from the
    codings' own texts; None when a text does not fit its span (the transcript changed
    under it: that is for `doctor` to report, not for a join to guess at)."""
    if any(len(c.text) != c.end - c.start for c in cluster):
        return None
    start = min(c.start for c in cluster)
    chars: list[str | None] = [None] * (max(c.end for c in cluster) - start)
    for coding in cluster:
        for at, char in enumerate(coding.text, coding.start - start):
            if chars[at] is None:
                chars[at] = char
            elif chars[at] != char:
                return None  # two codings disagree about the same character
    if any(char is None for char in chars):
        return None
    return "".join(chars)


def keeper(cluster: list[Coding], existing: set[str]) -> Coding:
    """The coding whose id the join keeps: the oldest of those already in the file."""
    return min(cluster, key=lambda c: (c.id not in existing, c.created, c.start, c.id))


def join(cluster: list[Coding], keep: Coding, text: str) -> Coding:
    start, end = min(c.start for c in cluster), max(c.end for c in cluster)
    corrected, reviews = None, [c.review for c in cluster if c.review]
    whole = [c for c in cluster if c.corrected is not None and (c.start, c.end) == (start, end)]
    partial = [c for c in cluster if c.corrected is not None and (c.start, c.end) != (start, end)]
    if whole:
        corrected = (keep if keep in whole else whole[0]).corrected
    elif partial:
        chosen = keep if keep in partial else partial[0]
        corrected = chosen.corrected
        reviews.append(CORRECTION_REVIEW.format(span=f"{chosen.start}-{chosen.end}"))
    review = "; ".join(dict.fromkeys(reviews)) or None
    return Coding.from_dict({**keep.to_dict(), "start": start, "end": end, "text": text, "corrected": corrected,
                             "exemplar": any(c.exemplar for c in cluster), "review": review, "modified": now()})


def joined_memo_text(texts: list[str]) -> str:
    """The comments of joined codings, each once, in order."""
    return "\n\n".join(dict.fromkeys(t for t in texts if t.strip()))
