"""Fuzzy, phrase-aware quote search over many short passages (sentences), fast at 150,000.

A query is scored against a passage with rapidfuzz's `partial_ratio`: the best window of
the passage as long as the query, so a short query finds its phrase inside a long sentence;
a passage shorter than the query is scored with `ratio`. Both sides are compared folded
(`folding.fold`: case, accents, curly quotes), and since folding keeps every offset, the
span returned (the matched window, moved to word boundaries where that reads more like the
query) is an offset pair into the original passage. Hits are ranked by score (an
exact substring scores 100, so it always beats a fuzzy match), then, among exact matches,
whole-word occurrences first, then the shorter passage, then the smaller key.

Scoring every passage costs about 300 ms at 150,000, so a query first shortlists them.
Each passage is indexed by the trigrams of its words (" ke", "key", "ey ": a typo spoils
only a few) and by its pair grams ("ot of" for "lot of", "ot  th" across one word: which
words stand together, what makes a phrase). A query adds up, for each passage, the weights
of the query's grams it holds (rarer grams weigh more, pairs of neighbours twice),
bit-sliced over sets of passages held as Python integers (`bitsets`). The best
`shortlist` passages by that sum are scored: the top few hundred first, which sets the
score to beat, then the rest with rapidfuzz's score cutoff. The passages that can hold the
query verbatim (they hold every gram a verbatim occurrence implies) are scored as well, so an
exact match is never lost to the shortlist. `scan` scores every passage: it is what `query`
approximates, and the reference its recall is measured against.
"""

from __future__ import annotations

import math
import mmap
import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from rapidfuzz import fuzz, process

from workbench.search import bitsets, indexfile
from workbench.search.postings import build_postings
from workbench.search.folding import (
    fold,
    is_neighbour_gram,
    query_grams,
)
from workbench.search.indexfile import SearchIndexError, Stale
from workbench.gc_pause import collector_paused

DEFAULT_SHORTLIST = 10_000  # passages scored per query: at 150,000, recall@10 0.98-0.99 against `scan`
_FIRST_ROUND = 400  # passages scored before the score to beat is known (at least 20 x limit)
_MAX_WEIGHT = 63
_NEIGHBOURS_FACTOR = 2  # two words side by side say more about a phrase than a trigram
_BITS_CACHE = 512  # trigram sets kept decoded between queries (as-you-type repeats them)
_TOKEN = re.compile(r"\w+(?:'\w+)*")


@dataclass(frozen=True, slots=True)
class Hit:
    """One passage found: its key, score (0-100, 100 for an exact match) and the matched
    span, as code point offsets into the original passage (end exclusive)."""

    key: int
    score: float
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Subset:
    """A prepared filter (`SearchIndex.subset`), to reuse across queries."""

    bits: int
    size: int

    def __len__(self) -> int:
        return self.bits.bit_count()


Allowed = Subset | Collection[int] | Callable[[int], bool] | None


class SearchIndex:
    """Passages `0 .. n-1` (passage i is `texts[i]`), searchable by `query`.

    Build with `SearchIndex.build(texts, fingerprint)`, keep with `save(path)`, reopen with
    `SearchIndex.load(path, fingerprint)`. An index never changes once built.
    """

    def __init__(self, description: dict, buffer: bytearray | mmap.mmap, base: int,
                 folded: list[str | None] | None = None, origin: str = "the search index"):
        self._buffer = buffer  # the file's body: built in memory, or mapped read-only from the file
        self._base = base
        self._origin = origin  # for messages: the file it was loaded from
        self.fingerprint: str = description["fingerprint"]
        self._count: int = description["passages"]
        self._dense_min: int = description["dense_min"]
        sections = {name: (base + start, length) for name, (start, length) in description["sections"].items()}
        self._sections = sections
        self._grams = {gram: number for number, gram in enumerate(description["grams"])}
        self._gram_df = indexfile.array_from("I", self._section("gram_df"))
        self._gram_at = indexfile.array_from("Q", self._section("gram_at"))
        self._text_at = indexfile.array_from("Q", self._section("text_at"))
        self._folded_at = indexfile.array_from("Q", self._section("folded_at"))
        self._chars = indexfile.array_from("I", self._section("chars"))
        self._folded = folded if folded is not None else [None] * self._count
        self._all = (1 << self._count) - 1
        self._bits_cache: dict[int, int] = {}
        self.shortlist = DEFAULT_SHORTLIST

    def _section(self, name: str) -> bytes:
        start, length = self._sections[name]
        return self._buffer[start:start + length]

    def __len__(self) -> int:
        return self._count

    # Building and keeping -------------------------------------------------------------

    @classmethod
    def build(cls, texts: Iterable[str], fingerprint: str = "") -> SearchIndex:
        """Index `texts` (passage i is the i-th); `fingerprint` names what they came from."""
        texts = list(texts)
        count = len(texts)
        body = bytearray()  # every section, as the file will hold them; each freed once copied in
        sections: dict[str, list[int]] = {}

        def put(name: str, data: Iterable[bytes]) -> None:
            start = len(body)
            for piece in data:
                body.extend(piece)
            sections[name] = [start, len(body) - start]

        with collector_paused():
            folded = [fold(text) for text in texts]
            grams, gram_at, gram_df, dense_min = build_postings(folded, count, body)
            sections["postings"] = [0, len(body)]
            put("gram_df", [indexfile.array_bytes(array("I", gram_df))])
            put("gram_at", [indexfile.array_bytes(array("Q", gram_at))])
            put("chars", [indexfile.array_bytes(array("I", map(len, texts)))])
            for name, strings in (("text", texts), ("folded", folded)):
                encoded = [string.encode("utf-8", "surrogatepass") for string in strings]
                put(f"{name}_at", [indexfile.array_bytes(array("Q", accumulate(map(len, encoded), initial=0)))])
                put(name, encoded)
                del encoded
        description = {"fingerprint": fingerprint, "passages": count, "dense_min": dense_min,
                       "grams": grams, "sections": sections}
        return cls(description, body, 0, folded=folded)

    def save(self, path: str | Path) -> None:
        """Write the index to `path` atomically, readable by its owner only."""
        description = {"fingerprint": self.fingerprint, "passages": self._count, "dense_min": self._dense_min,
                       "grams": list(self._grams),
                       "sections": {name: [start - self._base, length]
                                    for name, (start, length) in self._sections.items()}}
        end = max(start + length for start, length in self._sections.values())
        with memoryview(self._buffer) as view:
            indexfile.write(Path(path), description, view[self._base:end])

    @classmethod
    def load(cls, path: str | Path, fingerprint: str | None = None) -> SearchIndex | None:
        """The index saved at `path`, or None if there is none, or it was built with another
        `fingerprint` (when one is given) or by another format version: build it anew then.

        Raises `SearchIndexError` (a `DamagedFile`) for a file that is not a readable index.
        """
        try:
            found = indexfile.read(Path(path), fingerprint)
        except Stale:
            return None
        if found is None:
            return None
        description, mapped, base = found
        try:
            return cls(description, mapped, base, origin=str(path))
        except (KeyError, TypeError, ValueError) as error:
            raise SearchIndexError(f"{path}: the search index is damaged ({error})") from error

    @classmethod
    def load_or_build(cls, path: str | Path, fingerprint: str, texts: Callable[[], Iterable[str]]) -> SearchIndex:
        """The index cached at `path` if it matches `fingerprint`, else one built from
        `texts()` and saved there."""
        index = cls.load(path, fingerprint)
        if index is None:
            index = cls.build(texts(), fingerprint)
            index.save(path)
        return index

    # Reading ----------------------------------------------------------------------------

    def text(self, key: int) -> str:
        """Passage `key` as it was given."""
        start, end = self._text_at[key], self._text_at[key + 1]
        base = self._sections["text"][0]
        return self._decode(self._buffer[base + start:base + end])

    def _folded_texts(self, keys: list[int]) -> list[str]:
        cache = self._folded
        texts = [cache[key] for key in keys]
        if None in texts:  # decoded on first use, then kept
            buffer, base, at = self._buffer, self._sections["folded"][0], self._folded_at
            for number, key in enumerate(keys):
                if texts[number] is None:
                    texts[number] = cache[key] = self._decode(buffer[base + at[key]:base + at[key + 1]])
        return texts

    def _decode(self, data: bytes) -> str:
        try:
            return data.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            raise self._damaged("a passage is not UTF-8") from None

    def _damaged(self, what: str) -> SearchIndexError:
        return SearchIndexError(f"{self._origin}: the search index is damaged ({what}); delete it to rebuild it")

    def subset(self, allowed: Collection[int] | Callable[[int], bool]) -> Subset:
        """A filter to pass as `allowed`, prepared once: keys, or a predicate on keys."""
        return Subset(self._allowed_bits(allowed), self._count)

    def _allowed_bits(self, allowed: Allowed) -> int:
        if allowed is None:
            return self._all
        if isinstance(allowed, Subset):
            if allowed.size != self._count:
                raise ValueError("that subset was made for another search index")
            return allowed.bits
        if callable(allowed):
            keys = [key for key in range(self._count) if allowed(key)]
        else:
            keys = [key for key in allowed if 0 <= key < self._count]
        return bitsets.from_positions(keys, self._count)

    # Searching --------------------------------------------------------------------------

    def query(self, text: str, limit: int = 10, allowed: Allowed = None, min_score: float = 0) -> list[Hit]:
        """The best `limit` passages for `text` scoring `min_score` or more, best first,
        among `allowed` (keys, a predicate on keys, or a `Subset`; None for all).

        An exact (folded) occurrence is never lost to the shortlist: the passages that may
        hold one are scored too, or if they are too many and fewer than `limit` exact
        matches turned up, the folded text itself is searched.
        """
        query = fold(text).strip()
        within = self._allowed_bits(allowed)
        if not query or limit <= 0 or not within:
            return []
        budget = max(self.shortlist, 10 * limit)
        if within.bit_count() <= budget:
            return self._rank(query, bitsets.positions(within, self._count), limit, min_score)
        planes, holding = self._sums(query, within)
        first = bitsets.best(planes, within, max(_FIRST_ROUND, 20 * limit), self._count)
        rest = bitsets.best(planes, within, budget, self._count)
        exact_all_in = holding.bit_count() <= budget // 4
        if exact_all_in:  # the passages that can hold the query verbatim go first
            first |= holding
        scored = self._score(query, bitsets.positions(first, self._count), min_score)
        if len(scored) >= limit:
            min_score = max(min_score, sorted((score for score, _ in scored), reverse=True)[limit - 1])
        if min_score < 100:  # else the rest could only tie
            scored += self._score(query, bitsets.positions(rest & ~first, self._count), min_score)
        if not exact_all_in and sum(1 for score, _ in scored if score == 100) < limit:
            seen = {key for _, key in scored}
            scored += [(100.0, key) for key in self._verbatim(query, within, budget) if key not in seen]
        return self._hits(query, scored, limit)

    def scan(self, text: str, limit: int = 10, allowed: Allowed = None, min_score: float = 0) -> list[Hit]:
        """What `query` approximates: every allowed passage scored (slow; for reference)."""
        query = fold(text).strip()
        within = self._allowed_bits(allowed)
        if not query or limit <= 0 or not within:
            return []
        return self._rank(query, bitsets.positions(within, self._count), limit, min_score)

    def _rank(self, query: str, keys: list[int], limit: int, min_score: float) -> list[Hit]:
        return self._hits(query, self._score(query, keys, min_score), limit)

    def _sums(self, query: str, within: int) -> tuple[list[int], int]:
        """(the weighted count of the query's grams each passage holds, bit-sliced; the
        passages holding every gram a verbatim occurrence implies)."""
        planes: list[int] = []
        holding = within
        count, df = self._count, self._gram_df
        every, sure = query_grams(query)
        for gram in every:
            number = self._grams.get(gram)
            if number is None:
                if gram in sure:
                    holding = 0
                continue
            bits = self._gram_bits(number)
            weight = max(1, round(2 * math.log(count / df[number])))
            if is_neighbour_gram(gram):
                weight *= _NEIGHBOURS_FACTOR
            bitsets.add(planes, bits, min(_MAX_WEIGHT, weight))
            if gram in sure:
                holding &= bits
        return planes, holding

    def _verbatim(self, query: str, within: int, most: int) -> list[int]:
        """Up to `most` allowed passages holding the folded query verbatim, by a plain
        search of the folded text (a few milliseconds for 17 MB)."""
        needle = query.encode("utf-8", "surrogatepass")
        start, length = self._sections["folded"]
        end, at, buffer = start + length, self._folded_at, self._buffer
        allowed = within.to_bytes(bitsets.byte_size(self._count), "little")
        found: list[int] = []
        position = buffer.find(needle, start, end)
        while position >= 0 and len(found) < most:
            key = bisect_right(at, position - start) - 1
            passage_end = start + at[key + 1]
            if position + len(needle) <= passage_end:
                if allowed[key >> 3] >> (key & 7) & 1:
                    found.append(key)
                position = buffer.find(needle, passage_end, end)
            else:  # it runs on into the next passage
                position = buffer.find(needle, position + 1, end)
        return found

    def _gram_bits(self, number: int) -> int:
        bits = self._bits_cache.get(number)
        if bits is None:
            df = self._gram_df[number]
            start = self._sections["postings"][0] + self._gram_at[number]
            if df >= self._dense_min:
                data = self._buffer[start:start + bitsets.byte_size(self._count)]
                bits = int.from_bytes(data, "little") & self._all
            else:
                try:
                    keys = indexfile.array_from("I", self._buffer[start:start + 4 * df])
                    bits = bitsets.from_positions(keys, self._count) & self._all
                except (IndexError, ValueError):
                    raise self._damaged("a trigram's passages") from None
            if len(self._bits_cache) >= _BITS_CACHE:
                self._bits_cache.clear()
            self._bits_cache[number] = bits
        return bits

    def _score(self, query: str, keys: list[int], cutoff: float) -> list[tuple[float, int]]:
        """(score, key) for each of `keys` scoring `cutoff` or more."""
        if not keys:
            return []
        length, chars = len(query), self._chars
        longer = [key for key in keys if chars[key] >= length]
        shorter = [key for key in keys if chars[key] < length] if len(longer) < len(keys) else []
        scored = []
        for group, scorer in ((longer, fuzz.partial_ratio), (shorter, fuzz.ratio)):
            if group:
                found = process.extract(query, self._folded_texts(group), scorer=scorer, processor=None,
                                        limit=None, score_cutoff=cutoff)
                scored.extend((score, group[at]) for _, score, at in found)
        return scored

    def _hits(self, query: str, scored: list[tuple[float, int]], limit: int) -> list[Hit]:
        """The best `limit` of (score, key), ranked, with their spans."""
        floor = sorted((score for score, _ in scored), reverse=True)[limit - 1] if len(scored) > limit else 0
        scored = [item for item in scored if item[0] >= floor and item[0] > 0]
        whole_word = re.compile(r"(?<!\w)" + re.escape(query) + r"(?!\w)")
        exact = [key for score, key in scored if score == 100]
        whole = {key for key, text in zip(exact, self._folded_texts(exact)) if whole_word.search(text)}
        chars = self._chars
        scored.sort(key=lambda item: (-item[0], item[1] not in whole, chars[item[1]], item[1]))
        top = scored[:limit]
        hits = []
        for (score, key), folded in zip(top, self._folded_texts([key for _, key in top])):
            start, end = _span(query, folded, score, whole_word if key in whole else None)
            hits.append(Hit(key, score, start, end))
        return hits


def _span(query: str, folded: str, score: float, whole_word: re.Pattern | None) -> tuple[int, int]:
    """Where `query` matched in `folded` (the passage folded, so offsets are the original's)."""
    if score == 100 and len(folded) >= len(query):
        if whole_word is not None:
            found = whole_word.search(folded)
            return found.start(), found.end()
        start = folded.find(query)
        if start >= 0:
            return start, start + len(query)
    if len(folded) <= len(query):
        return 0, len(folded)
    alignment = fuzz.partial_ratio_alignment(query, folded, processor=None)
    start, end = alignment.dest_start, alignment.dest_end
    # The window has the query's length, so it may cut words or stop a word short: begin and
    # end it on word boundaries, a word either way, whichever reads most like the query.
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(folded)]
    inside = [at for at, (s, e) in enumerate(tokens) if e > start and s < end]
    if not inside:
        return start, end
    first, last = inside[0], inside[-1]
    starts = {tokens[at][0] for at in (first - 1, first, first + 1) if 0 <= at <= last}
    ends = {tokens[at][1] for at in (last - 1, last, last + 1) if first <= at < len(tokens)}
    options = [(fuzz.ratio(query, folded[s:e]), -abs(s - start) - abs(e - end), s, e)
               for s in starts for e in ends if s < e]
    _, _, start, end = max(options)
    return start, end
