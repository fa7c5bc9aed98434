"""Inter-coder agreement statistics for two coders: 2x2 tables and the figures computed from them.

Pure standard library; nothing here knows about coder files or transcripts. A span is a
``(start, end)`` pair of code-point offsets, end exclusive. Spans may be unsorted and may
overlap; a coder's overlapping spans count once.
"""

from __future__ import annotations

import dataclasses
import operator
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Optional

Span = tuple[int, int]


@dataclass(frozen=True)
class Table2x2:
    """Counts of units coded by both coders, by A only, by B only, and by neither."""

    both: int = 0
    a_only: int = 0
    b_only: int = 0
    neither: int = 0

    def __post_init__(self) -> None:
        if min(self.both, self.a_only, self.b_only, self.neither) < 0:
            raise ValueError(f"negative count in {self!r}")

    @property
    def total(self) -> int:
        return self.both + self.a_only + self.b_only + self.neither

    def __add__(self, other: Table2x2) -> Table2x2:
        if not isinstance(other, Table2x2):
            return NotImplemented
        return Table2x2(self.both + other.both, self.a_only + other.a_only,
                        self.b_only + other.b_only, self.neither + other.neither)

    def __radd__(self, other: object) -> Table2x2:
        # Lets sum(tables) pool tables without an explicit start value.
        if other == 0:
            return self
        return NotImplemented


def _union(spans: Iterable[Span], join_touching: bool = True) -> list[Span]:
    """Sorted, disjoint, non-empty intervals covering exactly the given spans. Without
    `join_touching`, spans that only touch stay apart: (0, 1) and (1, 2) do not cover a unit
    of no characters at 1, though (0, 2) would."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if start > end:
            raise ValueError(f"span ({start}, {end}) ends before it starts")
        if start == end:
            continue
        if merged and (start <= merged[-1][1] if join_touching else start < merged[-1][1]):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _intersection_length(xs: list[Span], ys: list[Span]) -> int:
    """Total length shared by two sorted lists of disjoint intervals (two-pointer sweep)."""
    i = j = shared = 0
    while i < len(xs) and j < len(ys):
        (xs_start, xs_end), (ys_start, ys_end) = xs[i], ys[j]
        shared += max(0, min(xs_end, ys_end) - max(xs_start, ys_start))
        if xs_end <= ys_end:
            i += 1
        else:
            j += 1
    return shared


def _table_from_unions(length: int, a: list[Span], b: list[Span]) -> Table2x2:
    covered_a = sum(e - s for s, e in a)
    covered_b = sum(e - s for s, e in b)
    both = _intersection_length(a, b)
    return Table2x2(both, covered_a - both, covered_b - both, length - covered_a - covered_b + both)


def character_table(length: int, spans_a: Iterable[Span], spans_b: Iterable[Span]) -> Table2x2:
    """NVivo-style comparison: every character of a ``length``-character text is one unit."""
    a, b = _union(spans_a), _union(spans_b)
    for s, e in a + b:
        if s < 0 or e > length:
            raise ValueError(f"span ({s}, {e}) lies outside a text of {length} characters")
    return _table_from_unions(length, a, b)


class UnitIndex:
    """Sorted, non-overlapping units (sentences or turns of one text), checked once so that
    many codes can be compared on them without checking again."""

    def __init__(self, units: Sequence[Span]):
        self.starts = [u[0] for u in units]
        self.ends = [u[1] for u in units]
        starts, ends = self.starts, self.ends
        if not (all(map(operator.le, starts, ends)) and all(map(operator.le, ends[:-1], starts[1:]))):
            raise ValueError("units must be sorted, non-overlapping (start, end) pairs")

    def __len__(self) -> int:
        return len(self.starts)

    def ranges(self, spans: Iterable[Span]) -> list[Span]:
        """The units the spans overlap, as sorted, disjoint ranges of unit indices."""
        # Units with end > s form a suffix of the list, units with start < e a prefix. The
        # spans are merged and sorted, so their index ranges come out sorted: merge in one pass.
        starts, ends = self.starts, self.ends
        merged: list[list[int]] = []
        for s, e in _union(spans, join_touching=False):
            first, last = bisect_right(ends, s), bisect_left(starts, e)
            if first >= last:
                continue
            if merged and first <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        return [(first, last) for first, last in merged]

    def table(self, spans_a: Iterable[Span], spans_b: Iterable[Span]) -> Table2x2:
        return _table_from_unions(len(self.starts), self.ranges(spans_a), self.ranges(spans_b))


def unit_table(units: Sequence[Span], spans_a: Iterable[Span], spans_b: Iterable[Span]) -> Table2x2:
    """Sentences or turns as units: a unit is coded by a coder when one of the coder's spans
    overlaps it (``s < unit_end and unit_start < e``; a zero-length span overlaps nothing).

    ``units`` must be sorted and non-overlapping. Each coder's merged spans are turned into
    ranges of unit indices by bisection, and those ranges are compared like characters.
    For many comparisons on the same units, build a ``UnitIndex`` once and call its ``table``.
    """
    return UnitIndex(units).table(spans_a, spans_b)


def presence_table(a_coded: bool, b_coded: bool) -> Table2x2:
    """The whole transcript as one unit: did each coder apply the code anywhere in it?"""
    return Table2x2(int(a_coded and b_coded), int(a_coded and not b_coded),
                    int(b_coded and not a_coded), int(not a_coded and not b_coded))


@dataclass(frozen=True)
class AgreementFigures:
    """The 2x2 counts and the statistics computed from them; ``None`` marks an undefined
    statistic and ``note`` says why. ``percent_agreement`` is a proportion (0.85 for 85%)."""

    both: int
    a_only: int
    b_only: int
    neither: int
    percent_agreement: Optional[float]
    kappa: Optional[float]
    positive_agreement: Optional[float]
    alpha: Optional[float]
    note: Optional[str]

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    @property
    def coded(self) -> bool:
        """Whether either coder coded anything these figures count."""
        return bool(self.both + self.a_only + self.b_only)


def figures(table: Table2x2) -> AgreementFigures:
    """Percent agreement, Cohen's kappa, positive agreement and Krippendorff's alpha.

    Each figure is a ratio of exact integers, divided once at the end (Python's int / int is
    correctly rounded, so this equals the exact fraction rounded to a float), and the
    undefined cases are detected exactly: never NaN, never a made-up 0.
    """
    a, b, c, d, n = table.both, table.a_only, table.b_only, table.neither, table.total
    note = None
    if n == 0:
        note = "no units"
    elif a + b + c == 0:
        note = "neither coder coded anything"
    elif b + c + d == 0:
        note = "both coders coded every unit"
    percent = kappa = positive = alpha = None
    if n:
        percent = (a + d) / n
        # Cohen's kappa (po - pe) / (1 - pe) with po = (a + d) / n and
        # pe = pA * pB + (1 - pA) * (1 - pB), pA = (a + b) / n, pB = (a + c) / n; times n * n
        # throughout: (n * (a + d) - E) / (n * n - E) with E = n * n * pe.
        expected = (a + b) * (a + c) + (c + d) * (b + d)
        kappa = (n * (a + d) - expected) / (n * n - expected) if expected != n * n else None
        positive = 2 * a / (2 * a + b + c) if a + b + c else None
        # Krippendorff's alpha, nominal, two coders, no missing values, after K. Krippendorff,
        # "Computing Krippendorff's Alpha-Reliability" (2011), the binary two-observer case
        # (section A) and the general nominal form (sections B-C). Every unit has two
        # pairable values (m_u = 2), so it adds its ordered pairs (A,B) and (B,A) with weight
        # 1/(m_u - 1) = 1 to the coincidence matrix over the values 1 (coded) and 0 (not):
        #   o11 = 2a, o00 = 2d, o10 = o01 = b + c,
        #   n1 = 2a + b + c, n0 = 2d + b + c, n = n0 + n1 = 2N.
        # Nominal alpha = 1 - (n - 1) * sum_{c!=k} o_ck / sum_{c!=k} n_c * n_k, which for two
        # values is 1 - (n - 1) * o01 / (n0 * n1); undefined when n0 * n1 = 0 (no variation).
        n1, n0, o01 = 2 * a + b + c, 2 * d + b + c, b + c
        alpha = (n0 * n1 - (n0 + n1 - 1) * o01) / (n0 * n1) if n0 * n1 else None
    return AgreementFigures(a, b, c, d, percent, kappa, positive, alpha, note)


def kappa_band(kappa: Optional[float]) -> Optional[str]:
    """Landis & Koch's label for a kappa value (None for an undefined kappa).

    Source: Landis JR, Koch GG. "The measurement of observer agreement for categorical
    data". Biometrics 1977;33(1):159-174. Their bands are written <0.00, 0.00-0.20,
    0.21-0.40, ...; here each band includes its upper bound (0.20 is "slight", 0.2001 "fair").
    """
    if kappa is None:
        return None
    if kappa < 0:
        return "poor"
    for upper, label in ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial")):
        if kappa <= upper:
            return label
    return "almost perfect"


def union_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted, disjoint, non-empty intervals covering exactly the given spans (a coder's
    overlapping spans merged, so that they count once)."""
    return _union(spans)


def intersect_spans(xs: Sequence[Span], ys: Sequence[Span]) -> list[Span]:
    """The parts shared by two sorted lists of disjoint spans (as `union_spans` gives them)."""
    i = j = 0
    shared: list[Span] = []
    while i < len(xs) and j < len(ys):
        start, end = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        if start < end:
            shared.append((start, end))
        if xs[i][1] <= ys[j][1]:
            i += 1
        else:
            j += 1
    return shared


def subtract_spans(xs: Sequence[Span], ys: Sequence[Span]) -> list[Span]:
    """The parts of `xs` outside `ys` (both sorted lists of disjoint spans)."""
    left: list[Span] = []
    j = 0
    for start, end in xs:
        while j < len(ys) and ys[j][1] <= start:
            j += 1
        k = j
        while k < len(ys) and ys[k][0] < end:
            if ys[k][0] > start:
                left.append((start, ys[k][0]))
            start = max(start, ys[k][1])
            k += 1
        if start < end:
            left.append((start, end))
    return left
