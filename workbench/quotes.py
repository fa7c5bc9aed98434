"""Finding a quoted passage in a transcript: exactly, then ignoring case and spacing, then
fuzzily (rapidfuzz). A quote that is absent or found in several places is refused with the
candidates listed, never guessed."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from workbench.errors import Ambiguous, NotFound

FUZZY_MIN_SCORE = 85.0


def locate_quote(text: str, quote: str, where: str = "the transcript") -> tuple[int, int]:
    quote = quote.strip()
    if not quote:
        raise NotFound("the quote is empty")
    exact = [m.start() for m in re.finditer(re.escape(quote), text)]
    if len(exact) == 1:
        return exact[0], exact[0] + len(quote)
    if len(exact) > 1:
        raise Ambiguous(f"the quote occurs {len(exact)} times in {where}: "
                        + "; ".join(_context(text, s, s + len(quote)) for s in exact[:5]) + "; give START END instead")
    loose = re.compile(r"\s+".join(re.escape(w) for w in quote.split()), re.IGNORECASE)
    spaced = [(m.start(), m.end()) for m in loose.finditer(text)]
    if len(spaced) == 1:
        return spaced[0]
    if len(spaced) > 1:
        raise Ambiguous(f"the quote occurs {len(spaced)} times in {where}: "
                        + "; ".join(_context(text, s, e) for s, e in spaced[:5]) + "; give START END instead")
    return _fuzzy(text, quote, where)


def _fuzzy(text: str, quote: str, where: str) -> tuple[int, int]:
    window = max(len(quote) * 3, 200)
    step = max(len(quote), 100)
    found: list[tuple[float, int, int]] = []
    for base in range(0, max(1, len(text) - len(quote) + step), step):
        chunk = text[base: base + window]
        if not chunk:
            break
        hit = fuzz.partial_ratio_alignment(quote, chunk, processor=str.casefold, score_cutoff=FUZZY_MIN_SCORE)
        if hit is not None:
            found.append((hit.score, base + hit.dest_start, base + hit.dest_end))
    distinct: list[tuple[float, int, int]] = []
    for score, start, end in sorted(found, key=lambda f: -f[0]):
        if all(end <= s or start >= e for _, s, e in distinct):
            distinct.append((score, start, end))
    if not distinct:
        raise NotFound(f"the quote is not in {where} (not even approximately)")
    best = distinct[0]
    rivals = [d for d in distinct[1:] if d[0] >= best[0] - 2]
    if rivals:
        raise Ambiguous(f"the quote matches several places in {where} about equally well: "
                        + "; ".join(f"{_context(text, s, e)} ({score:.0f}%)" for score, s, e in [best, *rivals][:5])
                        + "; give START END instead")
    return snap_to_words(text, *refine(text, quote, best[1], best[2]))


def refine(text: str, quote: str, start: int, end: int) -> tuple[int, int]:
    """Nudge the ends of a fuzzy alignment to where the span reads most like the quote
    (partial_ratio's alignment can be off by a character or two at either end)."""
    reach = min(8, max(2, len(quote) // 4))
    best = (fuzz.ratio(quote, text[start:end], processor=str.casefold), end - start, start, end)
    for s in range(max(0, start - reach), min(end, start + reach + 1)):
        for e in range(max(s + 1, end - reach), min(len(text), end + reach) + 1):
            candidate = (fuzz.ratio(quote, text[s:e], processor=str.casefold), e - s, s, e)
            if candidate[:2] > best[:2]:
                best = candidate
    start, end = best[2], best[3]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy match that begins or ends inside a word to the whole word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def _context(text: str, start: int, end: int) -> str:
    snippet = text[start:end].replace("\n", " ")
    if len(snippet) > 60:
        snippet = snippet[:57] + "..."
    return f"{start}-{end} \"{snippet}\""
