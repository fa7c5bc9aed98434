"""Agreement among any number of coders: Krippendorff's alpha (nominal) with missing data,
Fleiss' kappa where every unit has every coder, and Cohen's kappa for every pair.

A unit (a character, sentence, turn or whole transcript, as in `agreement.py`) takes the
value 1 from a coder whose codings of the code cover it and 0 from a coder who worked on the
transcript but did not cover it. A coder who did not work on a transcript (no coding there,
and no "done" mark) is *missing* on its units, not "uncoded": alpha pairs only the values a
unit has, so a missing coder neither agrees nor disagrees.

Nothing here enumerates units one by one. For each transcript and code the coders' covered
ranges (in unit space) are cut at every boundary into segments, and each segment adds its
length to a tally keyed by (which coders are present, which of them cover it). Every figure
is computed from that tally, so a 100,000-character transcript costs as many steps as it
has coding boundaries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Optional

from workbench.analysis.agreement_stats import Table2x2, figures

# (present coders as a bit mask, coders covering the unit as a bit mask) -> number of units
Tally = Counter


def tally_transcript(tally: Tally, count: int, present: int, covered: dict[int, list[tuple[int, int]]]) -> None:
    """Add one transcript's `count` units to the tally. `covered` maps a coder's bit to the
    sorted, disjoint ranges (unit space) that coder covers; coders outside `present` are ignored."""
    events: list[tuple[int, int]] = []
    for bit, ranges in covered.items():
        if bit & present:
            for start, end in ranges:
                events.append((start, bit))
                events.append((end, -bit))
    events.sort()
    position, mask = 0, 0
    for at, change in events:
        if at > position:
            tally[(present, mask)] += at - position
            position = at
        mask = mask | change if change > 0 else mask & ~(-change)
    if count > position:
        tally[(present, mask)] += count - position


def bits(mask: int) -> int:
    return bin(mask).count("1")


def krippendorff_alpha(tally: Tally) -> Optional[float]:
    """Nominal alpha over binary values with missing data (Krippendorff 2011, "Computing
    Krippendorff's Alpha-Reliability", sections B-C): each unit with m >= 2 values adds its
    pairs to the coincidence matrix with weight 1/(m - 1); alpha = 1 - (n - 1) * o01 / (n0 * n1),
    where n0, n1 are the pairable values of each kind and o01 the off-diagonal coincidences."""
    o01, n1, n0 = Fraction(0), 0, 0
    for (present, covered), units in tally.items():
        m = bits(present)
        if m < 2:
            continue  # a unit with one value has nothing to pair with
        ones = bits(covered)
        zeros = m - ones
        n1 += units * ones
        n0 += units * zeros
        o01 += Fraction(units * ones * zeros, m - 1)  # o01 = o10; the pair counted once here
    if n0 * n1 == 0:
        return None
    n = n0 + n1
    return float(1 - (n - 1) * 2 * o01 / (2 * n0 * n1))


def fleiss_kappa(tally: Tally, everyone: int) -> tuple[Optional[float], Optional[str]]:
    """Fleiss (1971) kappa for two categories (coded, not coded), defined only when every
    unit was rated by every coder (`everyone`, the mask of all coders)."""
    if any(present != everyone for present, _ in tally):
        return None, "not every coder worked on every transcript: Fleiss' kappa needs all coders on every unit"
    m = bits(everyone)
    units = sum(tally.values())
    if units == 0 or m < 2:
        return None, "no units"
    agreement_sum, ones_total = Fraction(0), 0
    for (_, covered), count in tally.items():
        ones = bits(covered)
        zeros = m - ones
        agreement_sum += count * Fraction(ones * (ones - 1) + zeros * (zeros - 1), m * (m - 1))
        ones_total += count * ones
    p_bar = agreement_sum / units
    p1 = Fraction(ones_total, units * m)
    expected = p1 * p1 + (1 - p1) * (1 - p1)
    if expected == 1:
        return None, "no variation: every unit has the same value from every coder"
    return float((p_bar - expected) / (1 - expected)), None


def pair_table(tally: Tally, a: int, b: int) -> Table2x2:
    """The 2x2 table of two coders over the units both are present on."""
    both = a_only = b_only = neither = 0
    for (present, covered), count in tally.items():
        if present & a and present & b:
            in_a, in_b = bool(covered & a), bool(covered & b)
            if in_a and in_b:
                both += count
            elif in_a:
                a_only += count
            elif in_b:
                b_only += count
            else:
                neither += count
    return Table2x2(both, a_only, b_only, neither)


@dataclass(frozen=True)
class PairKappa:
    a: str
    b: str
    kappa: Optional[float]


@dataclass(frozen=True)
class ManyCoderFigures:
    alpha: Optional[float]
    fleiss_kappa: Optional[float]
    note: Optional[str]
    pairs: list[PairKappa]

    def as_dict(self) -> dict:
        return {"alpha": self.alpha, "fleiss_kappa": self.fleiss_kappa, "note": self.note,
                "pairs": [{"a": p.a, "b": p.b, "kappa": p.kappa} for p in self.pairs]}


def many_coder_figures(tally: Tally, coders: list[str]) -> ManyCoderFigures:
    everyone = (1 << len(coders)) - 1
    alpha = krippendorff_alpha(tally)
    fleiss, note = fleiss_kappa(tally, everyone)
    pairs = [PairKappa(coders[i], coders[j], figures(pair_table(tally, 1 << i, 1 << j)).kappa)
             for i, j in combinations(range(len(coders)), 2)]
    if alpha is None:
        note = "no variation in the values (alpha undefined)" + (f"; {note}" if note else "")
    return ManyCoderFigures(alpha, fleiss, note, pairs)


def match_many(books: list, level: str, coded: list[set[str]]) -> list[tuple[str, list[frozenset[str]]]]:
    """Rows of (label, each coder's code ids counted for it): nodes matched by path (names
    compared ignoring case and spacing), then leftovers by a name unique on every side."""
    from workbench.analysis.code_matching import compared_nodes, path_key, theme_kinds

    kinds = theme_kinds(*books)
    rows: dict[tuple, list] = {}
    labels: dict[tuple, str] = {}
    for i, (book, used) in enumerate(zip(books, coded)):
        for node, ids in compared_nodes(book, level, used, kinds).items():
            key = path_key(book, node)
            row = rows.setdefault(key, [frozenset()] * len(books))
            row[i] = row[i] | ids
            labels.setdefault(key, book.path(node))
    by_name: dict[str, list[tuple]] = {}
    for key, row in rows.items():
        if sum(1 for ids in row if ids) < len(books):
            by_name.setdefault(key[-1], []).append(key)
    for keys in by_name.values():
        # one code filed under different parents by different coders: one row, when no
        # coder has two of them (then the name alone cannot say which is meant)
        if len(keys) > 1 and all(sum(1 for k in keys if rows[k][i]) <= 1 for i in range(len(books))):
            first, *others = keys
            for other in others:
                rows[first] = [a | b for a, b in zip(rows[first], rows.pop(other))]
    return [(labels[key], row) for key, row in rows.items()]


@dataclass(frozen=True)
class ManyCoderReport:
    unit: str
    level: str
    coders: list[str]
    codes: list[tuple[str, ManyCoderFigures]]
    overall: ManyCoderFigures
    worked_on: dict[str, list[str]]  # coder -> transcripts they count on (elsewhere they are missing)

    def as_dict(self) -> dict:
        """The JSON of `workbench agreement A B C ...` (docs/agreement.md)."""
        return {"unit": self.unit, "coders": self.coders,
                "codes": [{"code": label, **f.as_dict()} for label, f in self.codes],
                "overall": self.overall.as_dict(), "worked_on": self.worked_on}


def compare_many(project, coder_files: list, unit: str = "character", level: str = "code",
                 transcripts: set[str] | None = None, every: bool = False) -> ManyCoderReport:
    """Agreement among open coder files. `transcripts` limits the comparison; within it a
    coder is missing on the transcripts they have not worked on (no coding, no done mark),
    unless `every`: then every coder counts on every transcript."""
    from workbench.analysis.agreement import spans_by_code, spans_of, transcript_units
    from workbench.analysis.transcript_selection import worked_on

    names = [c.coder for c in coder_files]
    units = [u for u in transcript_units(project, unit) if transcripts is None or u.id in transcripts]
    lengths = {u.id: u.length for u in units}
    grouped = [spans_by_code(c, lengths) for c in coder_files]
    worked = [set(lengths) if every else worked_on(c, set(lengths)) for c in coder_files]
    present_of = {u.id: sum(1 << i for i, w in enumerate(worked) if u.id in w) for u in units}
    rows = match_many([c.codebook for c in coder_files], level, [set(g) for g in grouped])
    results, overall = [], Tally()
    for label, ids_per_coder in rows:
        spans = [spans_of(g, ids) if ids else {} for g, ids in zip(grouped, ids_per_coder)]
        tally = Tally()
        for u in units:
            present = present_of[u.id]
            if not present:
                continue
            covered = {1 << i: u.unit_ranges(s[u.id]) for i, s in enumerate(spans) if s.get(u.id)}
            tally_transcript(tally, u.count, present, covered)
        overall.update(tally)
        results.append((label, many_coder_figures(tally, names)))
    report_worked = {name: sorted(w) for name, w in zip(names, worked)}
    return ManyCoderReport(unit, level, names, results, many_coder_figures(overall, names), report_worked)


def agreement_among(project, coders: list[str], unit: str = "character", level: str = "code",
                    transcripts: list[str] | None = None, every: bool = False) -> ManyCoderReport:
    """Agreement among the named coders (files read, not locked)."""
    from contextlib import ExitStack

    from workbench.errors import WorkbenchError

    if len(set(coders)) != len(coders):
        raise WorkbenchError("each coder may be named once")
    if len(coders) < 2:
        raise WorkbenchError("give two coders or more to compare")
    with ExitStack() as stack:
        files = [stack.enter_context(project.open_coder(c, readonly=True, must_exist=True)) for c in coders]
        wanted = {project.transcript(t).id for t in transcripts} if transcripts else None
        return compare_many(project, files, unit, level, wanted, every)
