"""Primacy, frequency and salience on hand-built transcripts whose ranks are known."""

import pytest

from workbench.analysis.answers import answer_spans
from workbench.analysis.salience import compute_salience, formula
from workbench.errors import WorkbenchError
from workbench.importing import import_transcript

# Two questions. Answer 1: supervisor, then peers, then (in a second participant turn)
# training. Answer 2: stigma, then supervisor. A participant turn before the first question
# and the interviewer's own words carry codings that count for frequency only.
FIRST = (
    "Participant: Before we start, my supervisor said hello.\n\n"
    "Interviewer: What helps you at work?\n\n"
    "Participant: My supervisor helps. Also my peers help.\n\n"
    "Participant: And the training.\n\n"
    "Interviewer: What is hard? Is stigma hard?\n\n"
    "Participant: Stigma is hard. My supervisor too.\n"
)
# One question; supervisor and peers coded on the very same span (a tie), training after.
SECOND = (
    "Interviewer: Tell me about your team.\n\n"
    "Participant: Supervisor and peers carry me. Training came later.\n"
)


def nth(text: str, quote: str, n: int = 0) -> int:
    at = -1
    for _ in range(n + 1):
        at = text.index(quote, at + 1)
    return at


@pytest.fixture
def coded(project, tmp_path):
    for name, text in (("50001.txt", FIRST), ("50002_2.txt", SECOND)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        import_transcript(project, tmp_path / name)
    with project.open_coder("alex") as coder:
        coder.add_code("facilitators", kind="category")
        coder.add_code("support", parent="facilitators", kind="theme")
        coder.add_code("supervisor", parent="support")
        coder.add_code("peers", parent="support")
        coder.add_code("training", parent="facilitators")
        coder.add_code("barriers", kind="category")
        coder.add_code("stigma", parent="barriers")

        def code(transcript, quote, name, n=0):
            text = project.text(transcript)
            start = nth(text, quote, n)
            return coder.add_coding(transcript, start, start + len(quote), name, quote)

        code("50001", "my supervisor said hello", "supervisor")  # before the first question
        code("50001", "My supervisor helps", "supervisor")
        code("50001", "my peers help", "peers")
        code("50001", "the training", "training")
        code("50001", "Is stigma hard?", "stigma")  # inside the interviewer's turn
        code("50001", "Stigma is hard", "stigma")
        code("50001", "My supervisor too", "supervisor")
        code("50002_2", "Supervisor and peers carry me", "supervisor")
        code("50002_2", "Supervisor and peers carry me", "peers")
        code("50002_2", "Training came later", "training")
    return project


def salience_rows(project, weight=0.5):
    with project.open_coder("alex", readonly=True) as coder:
        table = compute_salience(project, coder, weight)
    return {row["code"]: row for row in table.rows()}, table


def test_answers_are_the_participant_turns_between_questions(coded):
    text = coded.text("50001")
    spans = answer_spans(coded.segments("50001").turns)
    assert [text[s:e] for s, e in spans] == [
        "My supervisor helps. Also my peers help.\n\nParticipant: And the training.",
        "Stigma is hard. My supervisor too.",
    ]


def test_primacy_is_the_mean_of_reciprocal_ranks(coded):
    rows, _ = salience_rows(coded)
    # supervisor: rank 1 and 2 in 50001, rank 1 (tied) in 50002_2
    assert rows["supervisor"]["primacy"] == pytest.approx(round((1 + 1 / 2 + 1) / 3, 4))
    # peers: rank 2 in 50001, tied first in 50002_2 (ties share the best rank)
    assert rows["peers"]["primacy"] == pytest.approx(round((1 / 2 + 1) / 2, 4))
    # training: third in 50001; third in 50002_2, since the two tied codes both rank 1 (1, 1, 3)
    assert rows["training"]["primacy"] == pytest.approx(round(1 / 3, 4))
    # stigma: first in the second answer; its coding in the interviewer's question does not count
    assert rows["stigma"]["primacy"] == 1.0
    assert rows["stigma"]["answers"] == 1


def test_themes_rank_as_their_first_code_and_gather_every_descendant(coded):
    rows, _ = salience_rows(coded)
    # support appears first in every answer it is in: 50001 q1 (supervisor), q2 (supervisor, rank 2), 50002_2
    assert rows["support"]["primacy"] == pytest.approx(round((1 + 1 / 2 + 1) / 3, 4))
    assert rows["support"]["codings"] == 6  # 4 supervisor + 2 peers, the one before the question included
    assert rows["facilitators"]["codings"] == 8
    assert (rows["support"]["transcripts"], rows["support"]["participants"]) == (2, 2)
    assert rows["barriers"]["codings"] == 2 and rows["barriers"]["transcripts"] == 1


def test_frequency_counts_codings_outside_any_answer(coded):
    rows, _ = salience_rows(coded)
    assert rows["supervisor"]["codings"] == 4
    assert rows["stigma"]["codings"] == 2


def test_salience_weighs_primacy_against_participant_spread(coded):
    rows, table = salience_rows(coded, weight=0.5)
    assert table.total_participants == 2
    stigma = rows["stigma"]
    assert stigma["salience"] == pytest.approx(0.5 * 1.0 + 0.5 * 1 / 2)
    rows_w1, _ = salience_rows(coded, weight=1.0)
    assert rows_w1["training"]["salience"] == pytest.approx(1 / 3, abs=1e-4)
    rows_w0, _ = salience_rows(coded, weight=0.0)
    assert rows_w0["training"]["salience"] == 1.0  # both participants
    assert "0.5 × primacy + 0.5 × participants/N (N = 2 participants)" in table.formula


def test_a_code_never_in_an_answer_has_no_primacy(project, tmp_path):
    (tmp_path / "7.txt").write_text("Interviewer: Hello there?\n\nParticipant: Hi.\n", encoding="utf-8")
    import_transcript(project, tmp_path / "7.txt")
    with project.open_coder("alex") as coder:
        coder.add_code("greeting")
        coder.add_coding("7", 0, 5, "greeting", "Inter")
        table = compute_salience(project, coder)
    (row,) = table.rows()
    assert row["primacy"] is None and row["codings"] == 1
    assert row["salience"] == pytest.approx(0.5)


def test_weight_outside_zero_to_one_is_refused():
    from workbench.analysis.salience import check_weight

    with pytest.raises(WorkbenchError):
        check_weight(1.5)
    assert "0.3 × primacy + 0.7 ×" in formula(0.3)


def test_codings_land_in_the_first_answer_they_overlap():
    """place_codings against the definition, on random answers and spans."""
    from hypothesis import given
    from hypothesis import strategies as st

    from workbench.analysis.salience import place_codings
    from workbench.model import Coding

    @given(st.lists(st.integers(1, 20), min_size=0, max_size=8),
           st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40), st.sampled_from("abc")), max_size=25))
    def check(gaps, raw):
        spans, at = [], 0
        for gap in gaps:  # answers separated by questions, in text order
            spans.append((at + gap, at + 2 * gap))
            at += 2 * gap
        codings = [Coding(id=str(n), code=code, transcript="t", start=s, end=s + length, text="")
                   for n, (s, length, code) in enumerate(raw)]
        per_answer, placed = place_codings(codings, spans)
        expected = {}
        for coding in codings:
            hit = next((i for i, (s, e) in enumerate(spans) if s < coding.end and e > coding.start), None)
            if hit is not None:
                expected[coding.id] = (hit, max(coding.start, spans[hit][0]))
        assert {cid: (i, pos) for cid, i, pos in placed} == expected
        for i, seen in per_answer.items():
            for code, first in seen.items():
                assert first == min(pos for cid, (j, pos) in expected.items()
                                    if j == i and codings[int(cid)].code == code)

    check()
