"""Tests for workbench.analysis.agreement_stats: tables from spans and the agreement figures."""

import ast
import math
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analysis import agreement_stats
from workbench.analysis.agreement_stats import (
    AgreementFigures,
    Table2x2,
    character_table,
    figures,
    kappa_band,
    presence_table,
    unit_table,
)

FIGURE_KEYS = ["both", "a_only", "b_only", "neither", "percent_agreement", "kappa",
               "positive_agreement", "alpha", "note"]


def table_from_pairs(pairs):
    return Table2x2(
        both=sum(1 for a, b in pairs if a and b),
        a_only=sum(1 for a, b in pairs if a and not b),
        b_only=sum(1 for a, b in pairs if b and not a),
        neither=sum(1 for a, b in pairs if not a and not b),
    )


unit_vectors = st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=60)


# --- figures against reference implementations -------------------------------------------
# The reference packages are imported in module-scoped fixtures: only their tests skip when
# they are missing, and their slow first import stays outside hypothesis's deadline.

@pytest.fixture(scope="module")
def sklearn_metrics():
    return pytest.importorskip("sklearn.metrics")


@pytest.fixture(scope="module")
def krippendorff():
    return pytest.importorskip("krippendorff")


@settings(max_examples=300)
@given(unit_vectors)
def test_kappa_matches_scikit_learn(sklearn_metrics, pairs):
    ours = figures(table_from_pairs(pairs)).kappa
    a = [int(x) for x, _ in pairs]
    b = [int(y) for _, y in pairs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns, then returns NaN, when undefined
        theirs = sklearn_metrics.cohen_kappa_score(a, b, labels=[0, 1])
    if math.isnan(theirs):
        assert ours is None
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=300)
@given(unit_vectors)
def test_alpha_matches_krippendorff_package(krippendorff, pairs):
    ours = figures(table_from_pairs(pairs)).alpha
    data = [[int(x) for x, _ in pairs], [int(y) for _, y in pairs]]
    try:
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except ValueError:  # the package refuses data with a single value ("no variation")
        assert ours is None
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=300)
@given(unit_vectors)
def test_percent_and_positive_agreement_by_formula(pairs):
    f = figures(table_from_pairs(pairs))
    agree = sum(1 for a, b in pairs if a == b)
    assert f.percent_agreement == pytest.approx(agree / len(pairs), abs=1e-12)
    coded_a = sum(1 for a, _ in pairs if a)
    coded_b = sum(1 for _, b in pairs if b)
    both = sum(1 for a, b in pairs if a and b)
    if coded_a + coded_b == 0:
        assert f.positive_agreement is None
    else:
        assert f.positive_agreement == pytest.approx(2 * both / (coded_a + coded_b), abs=1e-12)


@settings(max_examples=300)
@given(unit_vectors)
def test_figures_never_nan_and_note_explains_every_none(pairs):
    d = figures(table_from_pairs(pairs)).as_dict()
    assert list(d) == FIGURE_KEYS
    stats = [d[k] for k in FIGURE_KEYS[4:8]]
    assert all(v is None or (isinstance(v, float) and math.isfinite(v)) for v in stats)
    assert (None in stats) == (d["note"] is not None)


def test_presence_tables_pool_to_the_unit_counts():
    pairs = [(True, True), (True, False), (False, True), (False, False), (True, True)]
    assert sum(presence_table(a, b) for a, b in pairs) == Table2x2(2, 1, 1, 1)
    assert presence_table(True, False) + presence_table(False, False) == Table2x2(0, 1, 0, 1)
    assert Table2x2(1, 2, 3, 4).total == 10


# --- tables from spans against brute force ------------------------------------------------

@st.composite
def text_and_spans(draw):
    length = draw(st.integers(0, 80))
    span = st.tuples(st.integers(0, length), st.integers(0, length)).map(lambda p: tuple(sorted(p)))
    return length, draw(st.lists(span, max_size=8)), draw(st.lists(span, max_size=8))


def brute_table(coded_a, coded_b):
    """2x2 table from two equally long lists of per-unit booleans."""
    return table_from_pairs(list(zip(coded_a, coded_b)))


@settings(max_examples=500)
@given(text_and_spans())
def test_character_table_matches_per_character_count(case):
    length, spans_a, spans_b = case
    coded_a = [any(s <= i < e for s, e in spans_a) for i in range(length)]
    coded_b = [any(s <= i < e for s, e in spans_b) for i in range(length)]
    assert character_table(length, spans_a, spans_b) == brute_table(coded_a, coded_b)


@st.composite
def units_and_spans(draw):
    # An even number of sorted boundaries paired up: sorted, non-overlapping units with
    # gaps, touching neighbours and zero-length units all possible.
    bounds = sorted(draw(st.lists(st.integers(0, 100), max_size=24)))
    bounds = bounds[: len(bounds) // 2 * 2]
    units = list(zip(bounds[::2], bounds[1::2]))
    span = st.tuples(st.integers(0, 110), st.integers(0, 110)).map(lambda p: tuple(sorted(p)))
    return units, draw(st.lists(span, max_size=8)), draw(st.lists(span, max_size=8))


@settings(max_examples=500)
@given(units_and_spans())
def test_unit_table_matches_brute_force_overlap(case):
    units, spans_a, spans_b = case

    def coded(spans):
        # The overlap test alone would let a zero-length span inside a unit, such as (1, 1)
        # in (0, 2), count as coding it; the rule says a zero-length span overlaps nothing.
        return [any(s < e and s < ue and us < e for s, e in spans) for us, ue in units]

    assert unit_table(units, spans_a, spans_b) == brute_table(coded(spans_a), coded(spans_b))


# --- documented and hand-worked examples --------------------------------------------------

def test_nvivo_documented_example():
    # NVivo's coding comparison help: a 1,000-character source, 800 characters coded by
    # neither user and 50 by both, gives (800 + 50) / 1000 = 85% agreement.
    table = character_table(1000, [(0, 150)], [(100, 200)])
    assert table == Table2x2(both=50, a_only=100, b_only=50, neither=800)
    f = figures(table)
    assert f.percent_agreement == pytest.approx(0.85)
    # pA = 0.15, pB = 0.10, Pe = 0.015 + 0.765 = 0.78, kappa = 0.07 / 0.22
    assert f.kappa == pytest.approx(7 / 22)
    assert f.positive_agreement == pytest.approx(100 / 250)
    # n = 2000, n1 = 250, n0 = 1750, o01 = 150: alpha = 1 - 1999 * 150 / (1750 * 250)
    assert f.alpha == pytest.approx(1 - 1999 * 150 / 437500)
    assert f.note is None
    assert kappa_band(f.kappa) == "fair"


def test_only_one_coder_coded():
    f = figures(character_table(100, [(10, 30)], []))
    assert (f.both, f.a_only, f.b_only, f.neither) == (0, 20, 0, 80)
    assert f.percent_agreement == pytest.approx(0.8)
    assert f.kappa == 0.0  # defined: Po = Pe = 0.8, chance-level agreement
    assert f.positive_agreement == 0.0
    assert f.alpha == pytest.approx(1 - 199 * 20 / (180 * 20))
    assert f.note is None


def test_neither_coder_coded_anything():
    f = figures(character_table(100, [], [(7, 7)]))
    assert f.as_dict() == {"both": 0, "a_only": 0, "b_only": 0, "neither": 100,
                           "percent_agreement": 1.0, "kappa": None, "positive_agreement": None,
                           "alpha": None, "note": "neither coder coded anything"}


def test_both_coders_coded_everything():
    f = figures(character_table(10, [(0, 10)], [(5, 10), (0, 5)]))
    assert f.as_dict() == {"both": 10, "a_only": 0, "b_only": 0, "neither": 0,
                           "percent_agreement": 1.0, "kappa": None, "positive_agreement": 1.0,
                           "alpha": None, "note": "both coders coded every unit"}


def test_no_units():
    assert unit_table([], [(0, 5)], [(2, 9)]) == Table2x2(0, 0, 0, 0)
    assert character_table(0, [], []) == Table2x2()
    f = figures(Table2x2())
    assert isinstance(f, AgreementFigures)
    assert (f.percent_agreement, f.kappa, f.positive_agreement, f.alpha) == (None,) * 4
    assert f.note == "no units"


def test_one_coders_overlapping_codings_count_once():
    table = character_table(20, [(0, 10), (5, 15), (5, 15), (2, 3)], [(0, 15)])
    assert table == Table2x2(both=15, a_only=0, b_only=0, neither=5)
    units = [(0, 5), (5, 10), (10, 20)]
    assert unit_table(units, [(0, 3), (1, 4), (2, 3)], [(0, 1)]) == Table2x2(1, 0, 0, 2)


def test_zero_length_spans_and_touching_boundaries():
    units = [(0, 5), (5, 10), (10, 10), (12, 20)]
    # (5, 5), (10, 10) and (7, 7) overlap nothing; (0, 5) ends where unit 2 starts.
    assert unit_table(units, [(5, 5), (10, 10), (7, 7)], [(0, 5)]) == Table2x2(0, 0, 1, 3)
    # (9, 11) covers the zero-length unit (10, 10): 9 < 10 and 10 < 11.
    assert unit_table(units, [(9, 11)], []) == Table2x2(0, 2, 0, 2)
    assert character_table(10, [(3, 3)], [(3, 4)]) == Table2x2(0, 0, 1, 9)


def test_unsorted_spans_and_units_beyond_the_text_edges():
    units = [(0, 10), (10, 20), (20, 30)]
    assert unit_table(units, [(25, 40), (0, 1)], [(15, 16), (-5, 0)]) == Table2x2(0, 2, 1, 0)


def test_invalid_input_is_refused():
    with pytest.raises(ValueError):
        character_table(10, [(0, 11)], [])
    with pytest.raises(ValueError):
        character_table(10, [(-1, 3)], [])
    with pytest.raises(ValueError):
        character_table(10, [(5, 2)], [])
    with pytest.raises(ValueError):
        unit_table([(5, 10), (0, 5)], [], [])
    with pytest.raises(ValueError):
        unit_table([(0, 6), (5, 10)], [], [])
    with pytest.raises(ValueError):
        Table2x2(-1, 0, 0, 0)


def test_character_table_uses_interval_arithmetic():
    # A trillion characters: any per-character array would never finish.
    n = 10**12
    table = character_table(n, [(0, n // 10)], [(n // 20, n // 5)])
    assert table == Table2x2(n // 20, n // 20, n // 10, n - n // 5)


def test_unit_table_scales():
    units = [(i * 100, i * 100 + 90) for i in range(1000)]
    spans_a = [(i * 311 % 99_000, i * 311 % 99_000 + 150) for i in range(300)]
    spans_b = [(i * 277 % 99_000, i * 277 % 99_000 + 40) for i in range(300)]
    table = unit_table(units, spans_a, spans_b)
    assert table.total == 1000
    assert table.both + table.a_only == sum(
        any(s < ue and us < e for s, e in spans_a) for us, ue in units)


@pytest.mark.parametrize("kappa, band", [
    (-0.01, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"), (0.4, "fair"),
    (0.41, "moderate"), (0.6, "moderate"), (0.61, "substantial"), (0.8, "substantial"),
    (0.81, "almost perfect"), (1.0, "almost perfect"), (None, None),
])
def test_kappa_band_landis_koch(kappa, band):
    assert kappa_band(kappa) == band


def test_module_imports_only_the_standard_library():
    tree = ast.parse(Path(agreement_stats.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add(node.module.split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}
