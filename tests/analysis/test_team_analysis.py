"""Co-occurrence, saturation, three or more coders and the audit trail (issue 16), each checked
against an independent computation: brute force over units, a hand-made sequence, the
`krippendorff` package, a hand-computed Fleiss' kappa."""

import itertools
import math
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.analysis.test_agreement import CODES, TEXTS, coded_vector, make_coder, study  # noqa: F401 (a fixture)
from workbench.analysis.audit import build_audit
from workbench.analysis.cooccurrence import cooccurrence, passages_holding_both
from workbench.analysis.multi_coder import (
    Tally,
    agreement_among,
    fleiss_kappa,
    krippendorff_alpha,
    tally_transcript,
)
from workbench.analysis.saturation import Step, saturation, saturation_point
from workbench.errors import WorkbenchError
from workbench.importing import import_transcript

def spans_strategy(length):
    return st.lists(st.tuples(st.integers(0, length), st.integers(0, length))
                    .map(lambda p: (min(p), max(p))).filter(lambda p: p[1] > p[0]), max_size=3)


def disjoint(spans):
    """Keeps the spans that neither overlap nor touch an earlier one (one code's codings)."""
    kept = []
    for s, e in spans:
        if all(e < ks or s > ke for ks, ke in kept):
            kept.append((s, e))
    return kept


@st.composite
def codings_strategy(draw):
    out = []
    for code in CODES:
        for tid, text in TEXTS.items():
            out += [(code, tid, s, e) for s, e in disjoint(draw(spans_strategy(len(text))))]
    return out


# -- co-occurrence -------------------------------------------------------------------


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(codings=codings_strategy(), unit=st.sampled_from(["sentence", "turn", "transcript"]))
def test_cooccurrence_equals_a_brute_force_count(study, codings, unit):
    name = make_coder(study, codings)
    with study.open_coder(name, readonly=True) as coder:
        result = cooccurrence(study, coder, unit=unit)
    held = {}  # code -> set of (transcript, unit index)
    for code in CODES:
        for tid in TEXTS:
            spans = [(s, e) for c, t, s, e in codings if c == code and t == tid]
            vector = coded_vector(study, unit, tid, spans)
            held.setdefault(code, set()).update((tid, i) for i, v in enumerate(vector) if v)
    for a, b in itertools.combinations(CODES, 2):
        both = len(held[a] & held[b])
        assert result.count(a, b) == both
        pair = next(p for p in result.pairs if {p.a, p.b} == {a, b})
        assert (pair.a_total, pair.b_total) == ((len(held[a]), len(held[b])) if pair.a == a
                                                else (len(held[b]), len(held[a])))
        either = len(held[a] | held[b])
        assert pair.jaccard == (both / either if either else None)


def test_overlap_counts_overlapping_codings_and_lists_the_passages(study):
    text = TEXTS["50001"]
    hard = text.index("It was hard")
    name = make_coder(study, [("barriers/alone", "50001", hard, hard + 11),
                              ("barriers/unclear role", "50001", hard + 3, hard + 30),
                              ("facilitators/supervision", "50001", hard + 40, hard + 45)])
    with study.open_coder(name, readonly=True) as coder:
        result = cooccurrence(study, coder, unit="overlap")
        assert result.count("barriers/alone", "barriers/unclear role") == 1
        assert result.count("barriers/alone", "facilitators/supervision") == 0
        assert result.totals["barriers/alone"] == 1
        passages = passages_holding_both(study, coder, "barriers/alone", "barriers/unclear role", unit="overlap")
        assert passages == [("50001", hard, hard + 30)]
        sentences = passages_holding_both(study, coder, "barriers/alone", "barriers/unclear role")
        assert [text[s:e] for _, s, e in sentences] == ["It was hard.", "Nobody knew what I did."][:len(sentences)]
        themes = cooccurrence(study, coder, unit="transcript", level="theme")
        assert themes.count("barriers", "facilitators") == 1
    with pytest.raises(WorkbenchError):
        cooccurrence(study, coder, unit="paragraph")


# -- saturation ----------------------------------------------------------------------


def test_saturation_on_a_hand_made_sequence(study, tmp_path):
    from workbench.project import Project

    project = Project.init(tmp_path / "sat", "saturation")
    sequence = {"t1": ["barriers/alone", "barriers/unclear role"], "t2": ["facilitators/supervision"],
                "t3": ["barriers/alone"], "t4": [], "t5": ["facilitators/supervision"], "t6": ["barriers/unclear role"]}
    for tid in sequence:
        (tmp_path / f"{tid}.txt").write_text(f"Interviewer: Hello {tid}?\n\nParticipant: Something to say.\n", encoding="utf-8")
        import_transcript(project, tmp_path / f"{tid}.txt")
    start = project.text("t1").index("Something")
    name = make_coder(project, [(code, tid, start, start + 9) for tid, codes in sequence.items() for code in codes])
    with project.open_coder(name, readonly=True) as coder:
        result = saturation(project, coder, order="import")
        assert [(s.transcript, s.new, s.total) for s in result.steps] == [
            ("t1", 2, 2), ("t2", 1, 3), ("t3", 0, 3), ("t4", 0, 3), ("t5", 0, 3), ("t6", 0, 3)]
        assert result.steps[0].new_codes == ["barriers/alone", "barriers/unclear role"]
        assert result.saturated_after == "t2"
        assert "Guest, Namey & Chen (2020)" in result.criterion and "run length 3" in result.criterion
        assert saturation(project, coder, order="import", run=5).saturated_after is None
        reordered = saturation(project, coder, order=["t3", "t4", "t5", "t1", "t2", "t6"])
        assert [s.new for s in reordered.steps] == [1, 0, 1, 1, 0, 0]
        assert reordered.saturated_after is None
        with pytest.raises(WorkbenchError):
            saturation(project, coder, order=["t1", "nope"])


def test_saturation_threshold_and_base_follow_guest_et_al():
    steps = [Step("a", 10, 10, []), Step("b", 5, 15, []), Step("c", 2, 17, []), Step("d", 1, 18, []),
             Step("e", 0, 18, []), Step("f", 1, 19, [])]
    # base 2 (15 codes): the run after c (d, e: 1 new) is 6.7% of the base; after d (e, f: 1) too
    assert saturation_point(steps, base=2, run=2, threshold=0.0) is None
    assert saturation_point(steps, base=2, run=2, threshold=0.07) == "c"
    assert saturation_point(steps, base=2, run=2, threshold=0.05) is None
    assert saturation_point(steps, base=4, run=2, threshold=0.07) == "d"


# -- three or more coders ------------------------------------------------------------


def reference_alpha(rows):
    import krippendorff
    import numpy as np

    data = np.array(rows, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        except ValueError:  # "more than one value in the domain": alpha is undefined
            return None
    return None if math.isnan(value) else float(value)


@settings(max_examples=200)
@given(st.data())
def test_alpha_with_missing_values_matches_the_krippendorff_package(data):
    coders = data.draw(st.integers(2, 5))
    tally, rows = Tally(), [[] for _ in range(coders)]
    for _ in range(data.draw(st.integers(1, 4))):  # transcripts, each with its own coders present
        count = data.draw(st.integers(1, 12))
        present = data.draw(st.integers(1, (1 << coders) - 1))
        covered = {}
        for i in range(coders):
            values = data.draw(st.lists(st.booleans(), min_size=count, max_size=count))
            if present >> i & 1:
                covered[1 << i] = [(j, j + 1) for j, v in enumerate(values) if v]
                rows[i] += [float(v) for v in values]
            else:
                rows[i] += [math.nan] * count
        tally_transcript(tally, count, present, covered)
    reference, mine = reference_alpha(rows), krippendorff_alpha(tally)
    if reference is None or mine is None:
        # the package returns NaN (or raises) where no pair varies; so must we
        assert mine is None or reference is None
        return
    assert mine == pytest.approx(reference, abs=1e-9)


def test_fleiss_kappa_against_a_hand_computed_example():
    # 3 coders, 5 units: covered by 3, 2, 1, 0, 3 coders.
    # P_i = (n1(n1-1) + n0(n0-1)) / 6: 1, 1/3, 1/3, 1, 1 -> P_bar = 11/15
    # p1 = 9/15 = 0.6, Pe = 0.36 + 0.16 = 0.52 -> kappa = (11/15 - 0.52) / 0.48 = 4/9
    tally = Tally()
    tally_transcript(tally, 5, 0b111, {1: [(0, 3), (4, 5)], 2: [(0, 2), (4, 5)], 4: [(0, 1), (4, 5)]})
    kappa, note = fleiss_kappa(tally, 0b111)
    assert kappa == pytest.approx(4 / 9, abs=1e-12) and note is None
    missing = Tally()
    tally_transcript(missing, 5, 0b011, {1: [(0, 3)], 2: [(0, 2)]})
    assert fleiss_kappa(missing, 0b111)[0] is None


def test_three_coders_with_a_missing_one(study):
    text = TEXTS["50001"]
    hard = text.index("It was hard")
    friday = text.index("We met every Friday")
    a = make_coder(study, [("barriers/alone", "50001", hard, hard + 12), ("barriers/alone", "50001_2", 30, 40)])
    b = make_coder(study, [("barriers/alone", "50001", hard, hard + 12), ("facilitators/supervision", "50001", friday, friday + 5)])
    c = make_coder(study, [("barriers/alone", "50001", hard, hard + 20)])
    report = agreement_among(study, [a, b, c], unit="sentence")
    assert report.coders == [a, b, c]
    assert report.worked_on[c] == ["50001"] and "50001_2" in report.worked_on[a]
    row = dict(report.codes)["barriers/alone"]
    # sentence units: on 50001 all three present; on 50001_2 only A (alone: nothing to pair)
    seg = study.segments("50001").sentences
    rows = [[], [], []]
    for i, spans in enumerate(([(hard, hard + 12)], [(hard, hard + 12)], [(hard, hard + 20)])):
        rows[i] += [float(v) for v in coded_vector(study, "sentence", "50001", spans)]
    n2 = len(study.segments("50001_2").sentences)
    rows[0] += [float(v) for v in coded_vector(study, "sentence", "50001_2", [(30, 40)])]
    rows[1] += [math.nan] * n2
    rows[2] += [math.nan] * n2
    assert row.alpha == pytest.approx(reference_alpha(rows), abs=1e-9)
    assert row.fleiss_kappa is None and "every" in row.note
    assert {(p.a, p.b) for p in row.pairs} == {(a, b), (a, c), (b, c)}
    assert next(p for p in row.pairs if (p.a, p.b) == (a, b)).kappa == pytest.approx(1.0)
    assert len(seg) > 2
    as_json = report.as_dict()
    assert set(as_json) >= {"unit", "coders", "codes", "overall"}
    assert set(as_json["codes"][0]) >= {"code", "alpha", "fleiss_kappa", "note", "pairs"}
    with pytest.raises(WorkbenchError):
        agreement_among(study, [a, a, b])


# -- audit ---------------------------------------------------------------------------


def test_audit_groups_the_derivation_by_phase(study):
    with study.open_coder("auditor") as coder:
        coder.set_memo("transcript", "50001", "Field notes: tired after the ward round.")
        coder.add_code("alone")
        coder.add_code("isolation", kind="code")
        coder.set_memo("code", coder.code("alone").id, "Feeling alone on the ward")
        coder.add_code("barriers", kind="theme")
        coder.move_code("alone", "barriers")
        coder.merge_code("isolation", "barriers/alone")
        coder.rename_code("barriers", "barriers to belonging")
        coder.set_code("barriers to belonging", description="What keeps a peer worker outside the team")
    audit = build_audit(study, ["auditor"])
    phases = {p["phase"]: p["events"] for p in audit.as_dict()["phases"]}
    assert [e["summary"] for e in phases["familiarisation"]] == ["edit the memo of transcript 50001"]
    assert any(e["action"] == "code.add" and e["code"] == "barriers to belonging/alone" for e in phases["codes"])
    assert any(e["action"] == "code.add" for e in phases["themes"])
    assert any(e["action"] == "code.move" for e in phases["themes"])
    assert any(e["action"] == "code.merge" for e in phases["review"])
    naming = [e["action"] for e in phases["naming"]]
    assert "code.rename" in naming and "code.set" in naming
    moved = next(e for e in phases["themes"] if e["action"] == "code.move")
    assert moved["memo"] == "Feeling alone on the ward"


# -- intra-coder ---------------------------------------------------------------------


def test_a_coder_against_their_own_earlier_coding(study):
    from workbench.analysis.as_of import PastCoding, intra_coder

    text = TEXTS["50001"]
    hard = text.index("It was hard")
    name = make_coder(study, [("barriers/alone", "50001", hard, hard + 12)])
    with study.open_coder(name) as coder:
        history = coder.history()
        early = history[-1].time  # the moment the first codings were made
        coder.add_coding("50001", hard + 13, hard + 36, "barriers/unclear role", text[hard + 13:hard + 36])
        coder.remove_coding(next(c.id for c in coder.codings() if c.start == hard))
        # entries made "later": push the last two into the future so the moment lies between
        for entry in coder.history()[-2:]:
            entry.time = "2999-01-01T00:00:00+00:00"
        past = PastCoding(coder, early)
        assert [(c.start, c.end) for c in past.codings()] == [(hard, hard + 12)]
        assert {c.start for c in coder.codings()} == {hard + 13}
    report = intra_coder(study, name, "2026-01-01", unit="sentence")
    assert report.coders[0] == f"{name}@2026-01-01"


def test_a_cells_quotes_are_the_codings_the_matrix_counts_there(study):
    """A column nested in another (codes under codes) counts under the outer one, in the
    matrix and in the quotes shown beside the cell's summary alike."""
    from workbench.analysis.framework import cell_codings, framework_cells
    from workbench.analysis.matrix import build_matrix

    text = TEXTS["50001"]
    hard = text.index("It was hard")
    with study.open_coder("nester") as coder:
        coder.add_code("alone")
        coder.add_code("on the ward", parent="alone")
        coder.add_coding("50001", hard, hard + 12, "alone/on the ward", text[hard:hard + 12])
        matrix = build_matrix(study, coder, level="code")
        outer, inner = (next(c for c in matrix.columns if c["path"] == p) for p in ("alone", "alone/on the ward"))
        row = matrix.rows.index("50001")
        counted = {c["path"]: matrix.cells[row][matrix.columns.index(c)] for c in (outer, inner)}
        assert counted == {"alone": 1, "alone/on the ward": 0}
        assert len(cell_codings(study, coder, matrix, "50001", outer)) == 1
        assert cell_codings(study, coder, matrix, "50001", inner) == []
        assert [(c.column["path"], c.count, len(c.codings)) for c in framework_cells(study, coder, matrix)] == [
            ("alone", 1, 1)]
