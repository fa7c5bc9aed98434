"""No duplicate codings: a coding of a code over a span that overlaps or touches one of the
same code in the same transcript extends that one to the union (workbench.coding.union,
applied by CoderFile to every change), in one undoable history entry."""

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.coderfile import CoderFile
from workbench.coding.union import clusters, joined_text
from workbench.model import Coding, new_id

TEXT = "".join(chr(ord("a") + i % 26) for i in range(200))


@pytest.fixture
def coder(tmp_path):
    with CoderFile.open(tmp_path / "alex.json", "alex") as cf:
        cf.add_code("x")
        cf.add_code("y")
        yield cf


def spans(coder, code="x", transcript="t"):
    return [(c.start, c.end) for c in coder.codings(transcript=transcript, codes={coder.code(code).id})]


def union(intervals):
    covered = set()
    for start, end in intervals:
        covered.update(range(start, end))
    return covered


def covered(coder, code="x", transcript="t"):
    return union(spans(coder, code, transcript))


def add(coder, start, end, code="x", transcript="t"):
    return coder.add_coding(transcript, start, end, code, TEXT[start:end])


def test_an_overlapping_coding_of_the_same_code_extends_the_one_there(coder):
    first = add(coder, 10, 20)
    entries = len(coder.history())
    second = add(coder, 15, 30)
    assert second.id == first.id and (second.start, second.end, second.text) == (10, 30, TEXT[10:30])
    assert spans(coder) == [(10, 30)]
    assert len(coder.history()) == entries + 1
    assert "joined with 1 overlapping coding" in coder.history()[-1].summary
    coder.undo()
    assert spans(coder) == [(10, 20)]
    coder.redo()
    assert spans(coder) == [(10, 30)]


def test_touching_spans_join_and_a_gap_or_another_code_does_not(coder):
    add(coder, 10, 20)
    add(coder, 20, 25)
    add(coder, 26, 30)
    add(coder, 0, 40, code="y")
    assert spans(coder) == [(10, 25), (26, 30)]
    assert spans(coder, "y") == [(0, 40)]
    add(coder, 10, 25, transcript="other")
    assert spans(coder, transcript="other") == [(10, 25)]


def test_a_coding_bridging_two_joins_all_three_and_keeps_both_comments(coder):
    a, b = add(coder, 0, 10), add(coder, 20, 30)
    coder.set_memo("coding", a.id, "first thought")
    coder.set_memo("coding", b.id, "second thought")
    bridged = add(coder, 5, 25)
    assert spans(coder) == [(0, 30)] and bridged.id == a.id
    memos = [m for m in coder.memos() if m.target_type == "coding"]
    assert [(m.target, m.text) for m in memos] == [(a.id, "first thought\n\nsecond thought")]
    coder.undo()
    assert spans(coder) == [(0, 10), (20, 30)]
    assert {m.target: m.text for m in coder.memos()} == {a.id: "first thought", b.id: "second thought"}


def test_the_same_span_again_changes_nothing(coder):
    first = add(coder, 10, 20)
    entries = len(coder.history())
    again = add(coder, 12, 18)
    assert again.id == first.id and spans(coder) == [(10, 20)]
    assert len(coder.history()) == entries


def test_a_correction_of_the_shorter_quote_is_kept_and_flagged_for_review(coder):
    first = coder.add_coding("t", 10, 20, "x", TEXT[10:20], corrected="klmnopq rst")
    coder.update_coding(first.id, exemplar=True)
    grown = add(coder, 15, 40)
    assert (grown.corrected, grown.exemplar) == ("klmnopq rst", True)
    assert "corrected text covers only 10-20" in grown.review


def test_merging_two_codes_joins_their_overlapping_codings(coder):
    add(coder, 0, 10)
    add(coder, 5, 15, code="y")
    coder.merge_code("y", into="x")
    assert spans(coder) == [(0, 15)]


def test_moving_a_coding_onto_another_joins_them(coder):
    add(coder, 0, 10)
    other = add(coder, 30, 40)
    coder.update_coding(other.id, start=8, end=12, text=TEXT[8:12])
    assert spans(coder) == [(0, 12)]


def old_style_duplicates(coder, pairs):
    """Codings as a file written before the joining rule may hold them."""
    code = coder.code("x").id
    records = [Coding(id=new_id(), code=code, transcript="t", start=s, end=e, text=TEXT[s:e]) for s, e in pairs]
    coder._commit("codings.import", "old", [("coding", None, r) for r in records], join=False)
    return records


def test_join_duplicates_mends_an_older_file_in_one_undoable_step(coder):
    old = old_style_duplicates(coder, [(0, 10), (5, 15), (15, 20), (40, 50), (40, 50), (60, 70)])
    coder.set_memo("coding", old[1].id, "a comment")
    assert [[(c.start, c.end) for c in group] for group in coder.duplicates()] == [
        [(0, 10), (5, 15), (15, 20)], [(40, 50), (40, 50)]]
    assert coder.join_duplicates() == 3
    assert spans(coder) == [(0, 20), (40, 50), (60, 70)] and coder.duplicates() == []
    assert [m.target for m in coder.memos() if m.target_type == "coding"] == [old[0].id]
    assert coder.history()[-1].action == "codings.join"
    coder.undo()
    assert len(coder.duplicates()) == 2 and len(coder.codings()) == 6
    assert coder.join_duplicates() == 3
    coder.close()
    with CoderFile.open(coder.path, "alex", readonly=True) as reread:
        assert [(c.start, c.end) for c in reread.codings()] == [(0, 20), (40, 50), (60, 70)]


def test_a_text_that_no_longer_fits_its_span_is_left_for_doctor():
    a = Coding(id="a", code="x", transcript="t", start=0, end=10, text=TEXT[0:10])
    b = Coding(id="b", code="x", transcript="t", start=5, end=15, text="changed!!!")
    assert joined_text([a, b]) is None
    assert joined_text([a, Coding(id="c", code="x", transcript="t", start=5, end=15, text=TEXT[5:15])]) == TEXT[:15]


SPAN = st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda p: (p[0], p[0] + p[1]))
STEP = st.tuples(SPAN, st.sampled_from(["x", "y"]), st.sampled_from(["t", "u"]))


def check_invariants(coder, added):
    assert coder.duplicates() == []
    for code in ("x", "y"):
        for transcript in ("t", "u"):
            wanted = union(s for s, c, t in added if (c, t) == (code, transcript))
            assert covered(coder, code, transcript) == wanted
    for coding in coder.codings():
        assert coding.text == TEXT[coding.start:coding.end]


@settings(max_examples=40)
@given(st.lists(STEP, min_size=1, max_size=12))
def test_coding_one_span_at_a_time_never_leaves_an_overlap_and_undo_steps_back(steps):
    with tempfile.TemporaryDirectory() as folder, CoderFile.open(Path(folder) / "a.json", "a") as coder:
        coder.add_code("x")
        coder.add_code("y")
        states, added = [], []
        for span, code, transcript in steps:
            state, entries = sorted((c.code, c.transcript, c.start, c.end) for c in coder.codings()), len(coder.history())
            coder.add_coding(transcript, span[0], span[1], code, TEXT[span[0]:span[1]])
            if len(coder.history()) > entries:  # a span already covered writes nothing
                states.append(state)
            added.append((span, code, transcript))
            check_invariants(coder, added)
        for state in reversed(states):
            coder.undo()
            assert sorted((c.code, c.transcript, c.start, c.end) for c in coder.codings()) == state


@settings(max_examples=40)
@given(st.lists(STEP, max_size=6), st.lists(STEP, min_size=1, max_size=12))
def test_adding_many_at_once_joins_them_with_each_other_and_with_what_is_there(before, batch):
    with tempfile.TemporaryDirectory() as folder, CoderFile.open(Path(folder) / "a.json", "a") as coder:
        coder.add_code("x")
        coder.add_code("y")
        for span, code, transcript in before:
            coder.add_coding(transcript, span[0], span[1], code, TEXT[span[0]:span[1]])
        entries = len(coder.history())
        records = [Coding(id=new_id(), code=coder.code(c).id, transcript=t, start=s, end=e, text=TEXT[s:e])
                   for (s, e), c, t in batch]
        joined = coder.add_many("codings.import", "batch", records)
        check_invariants(coder, before + batch)
        assert len(coder.history()) <= entries + 1
        ids = {c.id for c in coder.codings()}
        assert all(kept in ids for kept in joined.values()) and not ids & joined.keys()


@given(st.lists(SPAN, max_size=10))
def test_clusters_are_exactly_the_groups_that_overlap_or_touch(intervals):
    codings = [Coding(id=str(i), code="x", transcript="t", start=s, end=e, text=TEXT[s:e])
               for i, (s, e) in enumerate(intervals)]
    found = clusters(codings)
    grouped = {c.id for group in found for c in group}
    for group in found:
        assert len(group) > 1
        reach = group[0].end
        for coding in group[1:]:
            assert coding.start <= reach
            reach = max(reach, coding.end)
    lone = [c for c in codings if c.id not in grouped]
    for c in lone:
        assert not any(o is not c and o.start <= c.end and c.start <= o.end for o in codings)
