"""The codings kept in order and the counts kept by difference must always equal what a
fresh sort and a fresh count of the coder file give, whatever sequence of changes came."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings, strategies as st

from workbench.codebook import Codebook
from workbench.coderfile import CoderFile
from workbench.coding.order import CODING_ORDER
from workbench.coding.tally import CodingTally
from workbench.model import Code, Coding

TRANSCRIPTS = ("T1", "T2", "T3")


def fresh_counts(book: Codebook, codings, participants_of) -> dict[str, tuple[int, int]]:
    """Counted the slow, obvious way: every coding on its code and each ancestor."""
    codings_under, people_under = defaultdict(int), defaultdict(set)
    for coding in codings:
        if coding.code not in book:
            continue
        for code_id in [coding.code, *(c.id for c in book.ancestors(coding.code))]:
            codings_under[code_id] += 1
            people_under[code_id].update(participants_of(coding))
    return {code_id: (codings_under[code_id], len(people_under[code_id])) for code_id in book.by_id}


changes = st.lists(st.tuples(st.sampled_from(["add", "remove", "move", "undo", "redo"]), st.integers(0, 2),
                             st.integers(0, 40), st.integers(1, 15), st.integers(0, 2)), max_size=25)


@settings(max_examples=40, deadline=None)
@given(steps=changes)
def test_the_coder_files_order_is_a_fresh_sort_after_any_changes(tmp_path_factory, steps):
    path = tmp_path_factory.mktemp("order") / "alex.json"
    with CoderFile.open(path, "alex") as coder:
        codes = [coder.add_code(name).id for name in ("cost", "travel", "time")]
        coder.codings()  # the order is made now, then kept up to date change by change
        for kind, t, start, length, code in steps:
            mine = coder.codings()
            if kind == "add" and codes[code] in coder.codebook:  # undo may have taken the code away
                coder.add_coding(TRANSCRIPTS[t], start, start + length, codes[code], "x" * length)
            elif kind == "remove" and mine:
                coder.remove_coding(mine[start % len(mine)].id)
            elif kind == "move" and mine:  # a coding changed in place: same id, another span
                coder.update_coding(mine[start % len(mine)].id, start=length, end=length + 3)
            elif kind == "undo":
                coder.undo()
            elif kind == "redo":
                coder.redo()
            everything = sorted(coder.codings_by_id().values(), key=CODING_ORDER)
            assert [c.id for c in coder.codings()] == [c.id for c in everything]
            for tid in TRANSCRIPTS:
                assert [c.id for c in coder.codings(transcript=tid)] == [c.id for c in everything if c.transcript == tid]


speakers = {"T1": ("P1",), "T2": ("P2",), "T3": ("P1", "P3")}


def participants_of(coding: Coding) -> tuple[str, ...]:
    return speakers[coding.transcript]


coding_sets = st.lists(st.tuples(st.integers(0, 9), st.sampled_from(TRANSCRIPTS), st.sampled_from(["a", "b", "c", "z"])),
                       max_size=12)


@settings(max_examples=80, deadline=None)
@given(states=st.lists(coding_sets, min_size=1, max_size=6))
def test_the_tally_kept_by_difference_is_a_fresh_count(states):
    book = Codebook([Code(id="a", name="a"), Code(id="b", name="b", parent="a"), Code(id="c", name="c", parent="b")])
    tally = CodingTally(participants_of)
    made: dict[tuple, Coding] = {}
    for state in states:  # each state: the codings the coder has now (some kept, some new, some gone)
        now = {}
        for n, tid, code in state:
            key = (n, tid, code)
            coding = made.setdefault(key, Coding(id=f"{n}", code=code, transcript=tid, start=n, end=n + 1, text="x"))
            now[coding.id] = coding  # one id may come back with another code: a changed coding
        tally.update(now)
        assert tally.counts(book) == fresh_counts(book, now.values(), participants_of)
