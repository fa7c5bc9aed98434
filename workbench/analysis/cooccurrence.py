"""Code co-occurrence: for every pair of codes (or themes), how many units hold both.

A unit is a sentence or a speaker turn (it holds a code when one of the code's codings
overlaps it), a whole transcript, or, with `overlap`, a coding itself: two codings of
different codes in one transcript that share a character are one co-occurrence, and a code's
total is its number of codings (ATLAS.ti's code co-occurrence table counts the same way).
The Jaccard index of a pair is both / (a_total + b_total - both); for `overlap` that is
ATLAS.ti's c-coefficient, which can exceed 1 when one long coding overlaps several others.
A theme holds the codings of the codes under it (`code_matching.compared_nodes`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from workbench.analysis.agreement import unit_spans
from workbench.errors import WorkbenchError

UNITS = ("sentence", "turn", "transcript", "overlap")


@dataclass(frozen=True)
class Pair:
    a: str  # path
    b: str
    both: int
    a_total: int
    b_total: int

    @property
    def jaccard(self) -> float | None:
        either = self.a_total + self.b_total - self.both
        return self.both / either if either > 0 else None

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "both": self.both, "a_total": self.a_total,
                "b_total": self.b_total, "jaccard": self.jaccard}


@dataclass(frozen=True)
class Cooccurrence:
    unit: str
    level: str
    nodes: list[str]  # paths, in tree order
    totals: dict[str, int]
    pairs: list[Pair]  # every pair of nodes, most co-occurring first
    # pair lookup, built once: a grid asks for every cell (a search of `pairs` per cell is n^4)
    by_pair: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_pair", {frozenset((p.a, p.b)): p for p in self.pairs})

    def as_dict(self) -> dict:
        return {"unit": self.unit, "level": self.level, "pairs": [p.as_dict() for p in self.pairs]}

    def pair(self, a: str, b: str) -> Pair | None:
        return self.by_pair.get(frozenset((a, b)))

    def count(self, a: str, b: str) -> int:
        if a == b:
            return self.totals.get(a, 0)
        found = self.pair(a, b)
        return found.both if found else 0


def node_of_code(book, level: str, coded: set[str] = frozenset()) -> tuple[dict[str, str], list[str]]:
    """code id -> the id of the node it counts for at `level`, and the nodes in tree order.
    At code level the nodes are the codable ones and any other that has codings (`coded`); at
    theme level the themes, else (a codebook not yet grouped so far) the subthemes, else the
    categories."""
    from workbench.analysis.code_matching import compared_nodes

    present = {c.kind for c in book.walk()}
    kinds = next(((k,) for k in ("theme", "subtheme", "category") if k in present), ("theme",))
    nodes = compared_nodes(book, level, coded, kinds)
    owner = {}
    for node, ids in nodes.items():
        for code_id in ids:
            owner.setdefault(code_id, node)
    return owner, list(nodes)


def unit_keys(project, transcript: str, unit: str):
    """A function from a (start, end) span to the keys of the units of `unit` it overlaps."""
    if unit == "transcript":
        return lambda start, end: (transcript,)
    spans = unit_spans(project, transcript, unit)
    ends = [e for _, e in spans]

    def keys(start: int, end: int):
        i = bisect_left(ends, start + 1)  # the first unit ending after `start`
        found = []
        while i < len(spans) and spans[i][0] < end:
            if spans[i][1] > spans[i][0] and start < end:
                found.append((transcript, i))
            i += 1
        return found

    return keys


def overlap_counts(by_transcript: dict[str, list[tuple[int, int, str]]]) -> dict[tuple[str, str], int]:
    """Pairs of overlapping codings of different nodes, counted per node pair (a sweep per transcript)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for spans in by_transcript.values():
        spans.sort()
        open_spans: list[tuple[int, str]] = []  # (end, node) of codings still open
        for start, end, node in spans:
            open_spans = [(e, n) for e, n in open_spans if e > start]
            for _, other in open_spans:
                if other != node:
                    counts[tuple(sorted((node, other)))] += 1
            if end > start:
                open_spans.append((end, node))
    return counts


def cooccurrence(project, coder, unit: str = "sentence", level: str = "code") -> Cooccurrence:
    if unit not in UNITS:
        raise WorkbenchError(f"unknown unit '{unit}': use one of {', '.join(UNITS)}")
    book = coder.codebook
    known = {t.id for t in project.transcripts()}
    codings = [c for c in coder.codings() if c.transcript in known]
    owner, order = node_of_code(book, level, {c.code for c in codings})
    codings = [c for c in codings if c.code in owner]
    totals: dict[str, int] = defaultdict(int)
    both: dict[tuple[str, str], int] = defaultdict(int)
    if unit == "overlap":
        by_transcript: dict[str, list] = defaultdict(list)
        for c in codings:
            totals[owner[c.code]] += 1
            by_transcript[c.transcript].append((c.start, c.end, owner[c.code]))
        both.update(overlap_counts(by_transcript))
    else:
        holders: dict[object, set[str]] = defaultdict(set)  # unit key -> nodes it holds
        keys_of = {}
        for c in codings:
            if c.transcript not in keys_of:
                keys_of[c.transcript] = unit_keys(project, c.transcript, unit)
            for key in keys_of[c.transcript](c.start, c.end):
                holders[key].add(owner[c.code])
        for nodes in holders.values():
            for node in nodes:
                totals[node] += 1
            for a, b in combinations(sorted(nodes), 2):
                both[(a, b)] += 1
    path = {node: book.path(node) for node in order}
    pairs = []
    for a, b in combinations(order, 2):
        key = (a, b) if a < b else (b, a)
        pairs.append(Pair(path[a], path[b], both.get(key, 0), totals.get(a, 0), totals.get(b, 0)))
    pairs.sort(key=lambda p: (-p.both, -(p.jaccard or 0.0)))
    return Cooccurrence(unit, level, [path[n] for n in order], {path[n]: totals.get(n, 0) for n in order}, pairs)


def passages_holding_both(project, coder, a: str, b: str, unit: str = "sentence",
                          level: str = "code") -> list[tuple[str, int, int]]:
    """The units (transcript, start, end) that hold both nodes (by path), for reading them."""
    book = coder.codebook
    owner, _ = node_of_code(book, level, {c.code for c in coder.codings()})
    node_a, node_b = book.find(a).id, book.find(b).id
    ids_a = {code for code, node in owner.items() if node == node_a}
    ids_b = {code for code, node in owner.items() if node == node_b}
    found = []
    for transcript in sorted({c.transcript for c in coder.codings(codes=ids_a)}):
        codings = coder.codings(transcript=transcript)
        spans_a = [(c.start, c.end) for c in codings if c.code in ids_a]
        spans_b = [(c.start, c.end) for c in codings if c.code in ids_b]
        if unit == "overlap":
            for sa, ea in spans_a:
                for sb, eb in spans_b:
                    if max(sa, sb) < min(ea, eb):
                        found.append((transcript, min(sa, sb), max(ea, eb)))
            continue
        if unit == "transcript":
            if spans_b:
                found.append((transcript, 0, len(project.text(transcript))))
            continue
        keys = unit_keys(project, transcript, unit)
        bounds = unit_spans(project, transcript, unit)
        held_a = {k for s, e in spans_a for k in keys(s, e)}
        held_b = {k for s, e in spans_b for k in keys(s, e)}
        found += [(transcript, *bounds[i]) for _, i in sorted(held_a & held_b)]
    return found
