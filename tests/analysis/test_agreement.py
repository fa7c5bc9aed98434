"""Agreement between two coders of a real project, checked against independent implementations
(scikit-learn's cohen_kappa_score, the krippendorff package) on unit vectors built by brute force."""

import itertools
import math
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.analysis.agreement import agreement
from workbench.errors import WorkbenchError
from workbench.importing import import_transcript
from workbench.model import Coding, new_id

TEXTS = {
    "50001": ("Interviewer: How did the first week go?\n\n"
              "Participant: It was hard. Nobody knew what I did. I felt alone on the ward.\n\n"
              "Interviewer: And later?\n\n"
              "Participant: Later it got better. My supervisor helped. We met every Friday.\n"),
    "50001_2": ("Interviewer: What changed?\n\n"
                "Participant: The nurses asked me to join the meetings. That felt good! Really good.\n"),
    "50002": "Interviewer: Anything else?\n\nParticipant: No. That's all.\n",
}
CODES = ("barriers/alone", "barriers/unclear role", "facilitators/supervision")


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from workbench.project import Project

    root = tmp_path_factory.mktemp("agreement")
    project = Project.init(root / "study", "agreement tests")
    for tid, text in TEXTS.items():
        path = root / f"{tid}.txt"
        path.write_text(text, encoding="utf-8")
        import_transcript(project, path)
    return project


names = itertools.count()


def make_coder(project, codings, name=None, codebook=CODES):
    """A coder file with `codebook` and `codings` [(code path, transcript, start, end)]."""
    name = name or f"coder{next(names)}"
    with project.open_coder(name) as coder:
        for path in codebook:
            parent, _, leaf = path.rpartition("/")
            if parent and coder.codebook.sibling_named(None, parent) is None:
                coder.add_code(parent, kind="category")
            coder.add_code(leaf, parent=parent or None)
        records = [Coding(id=new_id(), code=coder.code(path).id, transcript=t, start=s, end=e,
                          text=project.text(t)[s:e]) for path, t, s, e in codings]
        if records:
            coder.add_many("codings.import", "test codings", records)
    return name


def coded_vector(project, unit, transcript, spans):
    """Per-unit booleans by brute force: a character inside a span, or a unit a span overlaps."""
    text = project.text(transcript)
    if unit == "character":
        return [any(s <= i < e for s, e in spans) for i in range(len(text))]
    if unit == "transcript":
        return [bool(spans)]
    seg = project.segments(transcript)
    units = ([(x.start, x.end) for x in seg.sentences] if unit == "sentence"
             else [(t.label_start, t.end) for t in seg.turns])
    return [any(s < ue and us < e for s, e in spans) for us, ue in units]


def sklearn_kappa(a, b):
    from sklearn.metrics import cohen_kappa_score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k = cohen_kappa_score([int(x) for x in a], [int(x) for x in b], labels=[0, 1])
    return None if math.isnan(k) else k


def package_alpha(a, b):
    import krippendorff

    try:
        return krippendorff.alpha(reliability_data=[[int(x) for x in a], [int(x) for x in b]],
                                  level_of_measurement="nominal")
    except ValueError:  # no variation: undefined
        return None


def assert_figures_match(fig, a, b):
    assert (fig["both"], fig["a_only"], fig["b_only"], fig["neither"]) == (
        sum(x and y for x, y in zip(a, b)), sum(x and not y for x, y in zip(a, b)),
        sum(y and not x for x, y in zip(a, b)), sum(not x and not y for x, y in zip(a, b)))
    for ours, theirs in ((fig["kappa"], sklearn_kappa(a, b)), (fig["alpha"], package_alpha(a, b))):
        if theirs is None:
            assert ours is None and fig["note"]
        else:
            assert ours == pytest.approx(theirs, abs=1e-9)
    if a:
        assert fig["percent_agreement"] == pytest.approx(sum(x == y for x, y in zip(a, b)) / len(a), abs=1e-12)


@st.composite
def random_codings(draw):
    def one_coder():
        rows = []
        for _ in range(draw(st.integers(0, 7))):
            tid = draw(st.sampled_from(sorted(TEXTS)))
            start = draw(st.integers(0, len(TEXTS[tid]) - 1))
            end = draw(st.integers(start + 1, min(len(TEXTS[tid]), start + 60)))
            rows.append((draw(st.sampled_from(CODES)), tid, start, end))
        return rows
    return one_coder(), one_coder()


@pytest.mark.parametrize("unit", ["character", "sentence", "turn", "transcript"])
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=random_codings())
def test_pipeline_matches_sklearn_and_krippendorff(study, unit, case):
    codings_a, codings_b = case
    a, b = make_coder(study, codings_a), make_coder(study, codings_b)
    report = agreement(study, a, b, unit=unit, every_transcript=True).as_dict()
    assert [c["code"] for c in report["codes"]] == list(CODES)
    all_a, all_b = [], []
    for code_row in report["codes"]:
        pooled_a, pooled_b = [], []
        for row in code_row["transcripts"]:
            t = row["transcript"]
            va = coded_vector(study, unit, t, [(s, e) for c, tt, s, e in codings_a if c == code_row["code"] and tt == t])
            vb = coded_vector(study, unit, t, [(s, e) for c, tt, s, e in codings_b if c == code_row["code"] and tt == t])
            assert_figures_match(row, va, vb)
            pooled_a += va
            pooled_b += vb
        assert_figures_match(code_row, pooled_a, pooled_b)
        all_a += pooled_a
        all_b += pooled_b
    assert_figures_match(report["overall"], all_a, all_b)


def test_nvivo_example_85_percent(study):
    # NVivo's coding comparison help: a 1,000-character source, 800 characters coded by
    # neither user and 50 by both, gives (800 + 50) / 1000 = 85% agreement.
    from workbench.project import Project

    project = Project.init(study.root.parent / "nvivo", "nvivo")
    path = study.root.parent / "source.txt"
    path.write_text(("word " * 200)[:999] + "\n", encoding="utf-8")
    import_transcript(project, path)
    a = make_coder(project, [("barriers/alone", "source", 0, 150)])
    b = make_coder(project, [("barriers/alone", "source", 100, 200)])
    row = agreement(project, a, b, unit="character").as_dict()["codes"][0]
    assert (row["both"], row["a_only"], row["b_only"], row["neither"]) == (50, 100, 50, 800)
    assert row["percent_agreement"] == pytest.approx(0.85)


def test_one_coder_only(study):
    a = make_coder(study, [("barriers/alone", "50001", 40, 80)])
    b = make_coder(study, [])
    row = agreement(study, a, b, unit="sentence", every_transcript=True).as_dict()["codes"][0]
    assert row["both"] == 0 and row["b_only"] == 0 and row["a_only"] >= 1
    assert row["kappa"] == 0.0 and row["positive_agreement"] == 0.0
    assert row["alpha"] is not None and row["alpha"] < 0.1


def test_no_codings_gives_nulls_with_a_note(study):
    report = agreement(study, make_coder(study, []), make_coder(study, []), unit="character",
                       every_transcript=True).as_dict()
    for row in report["codes"] + [report["overall"]]:
        assert row["kappa"] is None and row["positive_agreement"] is None and row["alpha"] is None
        assert row["percent_agreement"] == 1.0
        assert "neither coder" in row["note"]


def test_both_coded_everything(study):
    everything = [("barriers/alone", t, 0, len(text)) for t, text in TEXTS.items()]
    row = agreement(study, make_coder(study, everything), make_coder(study, everything)).as_dict()["codes"][0]
    assert row["a_only"] == row["b_only"] == row["neither"] == 0
    assert row["both"] == sum(len(t) for t in TEXTS.values())
    assert row["kappa"] is None and row["alpha"] is None and row["positive_agreement"] == 1.0
    assert row["note"] == "both coders coded every unit"


def test_overlapping_codings_by_one_coder_count_once(study):
    a = make_coder(study, [("barriers/alone", "50001", 10, 50), ("barriers/alone", "50001", 30, 70),
                           ("barriers/alone", "50001", 10, 50)])
    b = make_coder(study, [("barriers/alone", "50001", 10, 70)])
    row = agreement(study, a, b).as_dict()["codes"][0]
    assert (row["both"], row["a_only"], row["b_only"]) == (60, 0, 0)
    assert row["kappa"] == 1.0


def test_codes_match_by_name_ignoring_case_spacing_and_parent(study):
    a = make_coder(study, [("barriers/alone", "50001", 40, 80)], codebook=("barriers/alone", "moved/Unclear Role"))
    b = make_coder(study, [("Barriers/ALONE", "50001", 40, 80)], codebook=("Barriers/ALONE", "barriers/unclear  role",
                                                                         "barriers/only b"))
    codes = agreement(study, a, b).as_dict()["codes"]
    assert [c["code"] for c in codes] == ["barriers/alone", "moved/Unclear Role", "Barriers/only b"]
    assert codes[0]["both"] == 40 and codes[0]["kappa"] == 1.0
    assert "only coder B" in codes[2]["note"]


def test_same_name_at_two_paths_matches_by_path(study):
    book = ("barriers/support", "facilitators/support")
    a = make_coder(study, [("barriers/support", "50001", 0, 20), ("facilitators/support", "50001", 100, 120)], codebook=book)
    b = make_coder(study, [("facilitators/support", "50001", 100, 120), ("barriers/support", "50001", 0, 20)], codebook=book)
    codes = agreement(study, a, b).as_dict()["codes"]
    assert [(c["code"], c["both"], c["a_only"]) for c in codes] == [("barriers/support", 20, 0), ("facilitators/support", 20, 0)]


def test_mapping_file_pairs_differently_named_codes(study, tmp_path):
    make_coder(study, [("barriers/alone", "50001", 40, 80)], name="ann")
    make_coder(study, [("barriers/isolation", "50001", 50, 80)], name="ben", codebook=("barriers/isolation",))
    mapping = tmp_path / "map.csv"
    mapping.write_text("ann,ben\nbarriers/alone,isolation\n", encoding="utf-8")
    codes = agreement(study, "ann", "ben", mapping_file=mapping).as_dict()["codes"]
    assert codes[0]["code"] == "barriers/alone" and (codes[0]["both"], codes[0]["a_only"]) == (30, 10)
    mapping.write_text("ann,ben\nbarriers/nothing,isolation\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="no code"):
        agreement(study, "ann", "ben", mapping_file=mapping)


def test_theme_level_rolls_codings_up_to_their_theme(study):
    def themed(name, codings):
        with study.open_coder(name) as coder:
            theme = coder.add_code("Feeling alone", kind="theme")
            for leaf in ("unseen", "isolated"):
                coder.add_code(leaf, parent=theme.id)
            coder.add_code("loose code")
            coder.add_many("codings.import", "t", [Coding(id=new_id(), code=coder.code(p).id, transcript="50001", start=s,
                                                          end=e, text="") for p, s, e in codings])
        return name
    a = themed("theme_a", [("unseen", 0, 30), ("loose code", 40, 60)])
    b = themed("theme_b", [("isolated", 10, 30)])
    report = agreement(study, a, b, level="theme").as_dict()
    assert [c["code"] for c in report["codes"]] == ["Feeling alone"]
    assert (report["codes"][0]["both"], report["codes"][0]["a_only"]) == (20, 10)


def test_json_shape_is_exactly_the_documented_one(study):
    report = agreement(study, make_coder(study, [("barriers/alone", "50001", 0, 10)]), make_coder(study, []),
                       unit="turn", every_transcript=True).as_dict()
    figures = ["both", "a_only", "b_only", "neither", "percent_agreement", "kappa", "positive_agreement", "alpha", "note"]
    assert list(report) == ["unit", "coders", "transcripts_compared", "transcripts_excluded", "codes", "overall"]
    assert report["unit"] == "turn" and len(report["coders"]) == 2
    assert list(report["codes"][0]) == ["code", *figures, "transcripts"]
    assert list(report["codes"][0]["transcripts"][0]) == ["transcript", *figures]
    assert [t["transcript"] for t in report["codes"][0]["transcripts"]] == ["50001", "50001_2", "50002"]
    assert list(report["overall"]) == figures
