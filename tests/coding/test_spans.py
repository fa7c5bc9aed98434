"""The compact form of a coder's codings (each transcript's spans by code): a file opened
without its codings gives exactly what its codings say, whether they were folded into the
file (read from its index, unparsed), still in the journal, changed since the last fold, or
written by a version whose index has no summaries."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.coderfile import CoderFile
from workbench.coding.spans import spans_by_transcript
from workbench.storage.table_index import LazyTable, index_path

TRANSCRIPTS = ("R1.q7", "R2.q7", "FG1")
STEPS = st.lists(st.one_of(
    st.tuples(st.just("add"), st.sampled_from(TRANSCRIPTS), st.integers(0, 50), st.integers(1, 30),
              st.sampled_from(["a", "b", "c"])),
    st.tuples(st.just("remove"), st.integers(0, 1000)),
    st.tuples(st.just("merge"), st.sampled_from([("b", "a"), ("c", "b")])),
    st.tuples(st.just("delete code"), st.sampled_from(["a", "b", "c"])),
    st.tuples(st.just("undo"),),
    st.tuples(st.just("reopen"),),  # a clean close: folded into the file and its index
), max_size=25)


def as_sets(spans: dict) -> dict:
    """Spans by transcript and code as sets of (start, end), empty entries left out."""
    found = {}
    for tid, by_code in spans.items():
        for code, offsets in by_code.items():
            pairs = list(zip(offsets[::2], offsets[1::2]))
            if pairs:
                found.setdefault(tid, {}).setdefault(code, []).extend(pairs)
    return {tid: {code: sorted(pairs) for code, pairs in by_code.items()} for tid, by_code in found.items()}


def light(path):
    with CoderFile.open(path, "alex", readonly=True, with_codings=False) as reader:
        return as_sets(reader.coding_spans())


def apply(coder: CoderFile, path, step) -> CoderFile:
    kind = step[0]
    if kind == "add":
        _, tid, start, length, code = step
        if code in {c.name for c in coder.codes()}:
            coder.add_coding(tid, start, start + length, code, "x" * length)
    elif kind == "remove" and coder.codings():
        coder.remove_coding(coder.codings()[step[1] % len(coder.codings())].id)
    elif kind == "merge":
        source, into = step[1]
        names = {c.name for c in coder.codes()}
        if source in names and into in names:
            coder.merge_code(source, into)
    elif kind == "delete code" and step[1] in {c.name for c in coder.codes()}:
        coder.delete_code(step[1])
    elif kind == "undo":
        coder.undo()
    elif kind == "reopen":
        coder.close()
        coder = CoderFile.open(path, "alex")
    return coder


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(STEPS)
def test_a_file_opened_without_its_codings_gives_the_spans_its_codings_have(tmp_path_factory, steps):
    path = tmp_path_factory.mktemp("spans") / "alex.json"
    coder = CoderFile.open(path, "alex")
    coder.storage.compact_after = 600  # folds in the background along the way, too
    try:
        for name in ("a", "b", "c"):
            coder.add_code(name)
        expected = {}
        for step in steps:
            coder = apply(coder, path, step)
            coder.storage.wait_for_fold()
            by_id = {c.id: c for c in coder.codes()}
            expected = as_sets(spans_by_transcript(coder.codings()))
            assert as_sets(coder.coding_spans()) == expected
            assert light(path) == expected, step  # the journal as it stands, replayed over the file
            assert {code for by_code in expected.values() for code in by_code} <= set(by_id)
    finally:
        coder.close()
    assert light(path) == expected  # after the last fold: every table from the index


def folded_survey(tmp_path):
    path = tmp_path / "alex.json"
    with CoderFile.open(path, "alex") as coder:
        coder.add_code("a")
        coder.add_code("b")
        for n in range(20):
            coder.add_coding(f"R{n}.q7", 0, 10 + n, "a" if n % 3 else "b", "x")
    return path


def test_unchanged_tables_are_read_from_the_index_without_being_parsed(tmp_path):
    path = folded_survey(tmp_path)
    with CoderFile.open(path, "alex", readonly=True, with_codings=False) as reader:
        tables = {n: t for n, t in reader.storage.read().items() if n.startswith("codings:")}
        spans = reader.coding_spans()
        assert len(tables) == 20 and all(isinstance(t, LazyTable) and t._docs is None for t in tables.values())
    with CoderFile.open(path, "alex", readonly=True) as full:
        assert as_sets(spans) == as_sets(spans_by_transcript(full.codings()))


@pytest.mark.parametrize("summaries", [b"", b"\nnot json", b'\n{"codings:R1.q7": "?", "codings:R2.q7": [1, 2]}'],
                         ids=["none (an older Workbench)", "unreadable", "no tables"])
def test_an_index_without_usable_summaries_still_gives_every_span(tmp_path, summaries):
    path = folded_survey(tmp_path)
    head = index_path(path).read_bytes().partition(b"\n")[0]
    index_path(path).write_bytes(head + summaries)
    with CoderFile.open(path, "alex", readonly=True) as full:
        expected = as_sets(spans_by_transcript(full.codings()))
    assert light(path) == expected and len(expected) == 20


def test_a_reader_of_every_coding_leaves_the_summaries_unparsed(tmp_path):
    path = folded_survey(tmp_path)
    assert index_path(path).read_bytes().count(b"\n") == 1  # the spans, on the index's second line
    with CoderFile.open(path, "alex", readonly=True) as full:
        lazy = [t for t in full.storage.read().values() if isinstance(t, LazyTable)]
        assert lazy and all(t._summaries is not None and t._summaries._by_table is None for t in lazy)
        assert len(full.codings()) == 20
