"""Disagreements of a code listed for discussion, resolved into the consensus file, and the walk
resuming where it stopped; merging two coders without review."""

import pytest

from workbench.analysis.code_matching import match_codes
from workbench.analysis.disagreements import DisagreementWalk, find_disagreements
from workbench.analysis.merge import merge_coders
from workbench.errors import WorkbenchError
from workbench.importing import import_transcript
from workbench.model import Coding, new_id

TEXT = ("Interviewer: How was it?\n\n"
        "Participant: It was hard at first. Nobody knew my role. Later the team asked me in. "
        "My supervisor helped a lot.\n")


@pytest.fixture
def study(project, tmp_path):
    path = tmp_path / "50002.txt"
    path.write_text(TEXT, encoding="utf-8")
    import_transcript(project, path)
    return project


def code_as(project, name, spans, code="unclear role"):
    with project.open_coder(name) as coder:
        if not coder.codes():
            coder.add_code("barriers", kind="category")
            coder.add_code("unclear role", parent="barriers")
            coder.add_code("support", parent="barriers")
        coder.add_many("codings.import", "test", [
            Coding(id=new_id(), code=coder.code(code).id, transcript="50002", start=s, end=e, text=TEXT[s:e])
            for s, e in spans])


def at(phrase):
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def open_walk(project, unit="character", code="barriers/unclear role"):
    a = project.open_coder("alex", readonly=True)
    b = project.open_coder("sam", readonly=True)
    consensus = project.open_coder("consensus")
    row = next(c for c in match_codes(a.codebook, b.codebook) if c.label == code)
    return DisagreementWalk(project, a, b, consensus, row, unit), (a, b, consensus)


def close(files):
    for f in files:
        f.close()


def test_overlapping_codings_form_one_item_with_both_sides(study):
    code_as(study, "alex", [at("It was hard at first. Nobody knew my role."), at("My supervisor")])
    code_as(study, "sam", [at("Nobody knew my role. Later the team"), at("My supervisor")])
    walk, files = open_walk(study)
    try:
        (item,) = walk.items  # "My supervisor" is coded alike by both: no item
        assert [TEXT[c.start:c.end] for c in item.a_codings] == ["It was hard at first. Nobody knew my role."]
        assert [TEXT[c.start:c.end] for c in item.b_codings] == ["Nobody knew my role. Later the team"]
        assert [TEXT[s:e] for s, e in item.regions] == ["It was hard at first. ", " Later the team"]
    finally:
        close(files)


def test_sentence_unit_ignores_differences_inside_one_sentence(study):
    code_as(study, "alex", [at("Nobody knew")])
    code_as(study, "sam", [at("my role")])
    a, b = study.open_coder("alex", readonly=True), study.open_coder("sam", readonly=True)
    try:
        row = match_codes(a.codebook, b.codebook)[1]
        assert find_disagreements(study, a, b, row, "sentence") == []
        assert len(find_disagreements(study, a, b, row, "character")) == 2
    finally:
        close([a, b])


def test_resolutions_land_in_consensus_with_history_and_notes(study):
    code_as(study, "alex", [at("It was hard at first."), at("Later the team asked me in.")])
    code_as(study, "sam", [at("Nobody knew my role."), at("Later the team")])
    walk, files = open_walk(study)
    try:
        first, second, third = walk.items
        walk.resolve(first, "take_a", note="hardship counts")
        walk.resolve(second, "neither")
        walk.resolve(third, "take_b", note="only the team")
        consensus = files[2]
        assert [TEXT[c.start:c.end] for c in consensus.codings()] == ["It was hard at first.", "Later the team"]
        assert {consensus.codebook.path(c.code) for c in consensus.codings()} == {"barriers/unclear role"}
        memos = {m.target: m.text for m in consensus.memos() if m.target_type == "coding"}
        assert sorted(memos.values()) == ["hardship counts", "only the team"]
        assert [e.action for e in consensus.history()][-3:] == ["agreement.resolve"] * 3
        assert walk.pending() == []
    finally:
        close(files)
    with study.open_coder("consensus", readonly=True) as reread:
        assert {r.decision for r in reread.resolutions().values()} == {"take_a", "neither", "take_b"}


def test_deciding_again_replaces_the_earlier_decision_and_undo_reopens(study):
    code_as(study, "alex", [at("It was hard at first.")])
    code_as(study, "sam", [at("It was hard")])
    walk, files = open_walk(study)
    try:
        (item,) = walk.items
        walk.resolve(item, "take_a")
        walk.resolve(item, "take_b", note="shorter is enough")
        consensus = files[2]
        assert [TEXT[c.start:c.end] for c in consensus.codings()] == ["It was hard"]
        consensus.undo()
        assert [TEXT[c.start:c.end] for c in consensus.codings()] == ["It was hard at first."]
        consensus.undo()
        assert consensus.codings() == [] and walk.pending() == [item]
    finally:
        close(files)


def test_walk_resumes_after_the_last_decision_and_skipped_items_come_last(study):
    code_as(study, "alex", [at("It was hard"), at("my role"), at("the team")])
    code_as(study, "sam", [])
    walk, files = open_walk(study)
    first, second, third = walk.items
    walk.resolve(first, "skip")
    walk.resolve(second, "both", note="a journal entry: nothing of B's to add")
    close(files)
    walk, files = open_walk(study)
    try:
        assert [i.key for i in walk.pending()] == [third.key, first.key]
        assert any(m.target_type == "coding" for m in files[2].memos())
    finally:
        close(files)


def test_note_without_codings_becomes_a_journal_entry(study):
    code_as(study, "alex", [at("It was hard")])
    code_as(study, "sam", [])
    walk, files = open_walk(study)
    try:
        walk.resolve(walk.items[0], "neither", note="not about the role")
        (entry,) = files[2].journal()
        assert entry.text == "not about the role" and "barriers/unclear role" in entry.title
    finally:
        close(files)


def test_merge_union_and_intersection_on_disk(study):
    code_as(study, "alex", [at("It was hard at first."), at("My supervisor")])
    code_as(study, "sam", [at("hard at first. Nobody knew"), at("My supervisor")])
    code_as(study, "sam", [at("helped")], code="support")
    result = merge_coders(study, "alex", "sam", into="union")
    assert (result.codings_added, result.already_there, result.joined) == (3, 1, 1)
    with study.open_coder("union", readonly=True) as union:
        spans = sorted((union.codebook.path(c.code), TEXT[c.start:c.end]) for c in union.codings())
        assert spans == [("barriers/support", "helped"),
                         ("barriers/unclear role", "It was hard at first. Nobody knew"),
                         ("barriers/unclear role", "My supervisor")]
        assert len(union.history()) == 1
    merge_coders(study, "alex", "sam", into="shared", strategy="intersection")
    with study.open_coder("shared", readonly=True) as shared:
        assert sorted(TEXT[c.start:c.end] for c in shared.codings()) == ["My supervisor", "hard at first."]
    with pytest.raises(WorkbenchError, match="already holds 2 codings"):
        merge_coders(study, "alex", "sam", into="shared", strategy="union")
    result = merge_coders(study, "alex", "sam", into="shared", strategy="union", force=True)
    assert (result.codings_added, result.already_there, result.joined) == (1, 2, 2)
    with study.open_coder("shared", readonly=True) as shared:
        assert sorted(TEXT[c.start:c.end] for c in shared.codings()) == [
            "It was hard at first. Nobody knew", "My supervisor", "helped"]


def test_keep_both_of_two_overlapping_spans_keeps_one_coding_over_their_union(study):
    code_as(study, "alex", [at("It was hard at first.")])
    code_as(study, "sam", [at("hard at first. Nobody knew")])
    walk, files = open_walk(study)
    try:
        (item,) = walk.items
        entries = len(files[2].history())
        walk.resolve(item, "both", note="both readings hold")
        consensus = files[2]
        [coding] = consensus.codings()
        assert TEXT[coding.start:coding.end] == coding.text == "It was hard at first. Nobody knew"
        assert consensus.memo("coding", coding.id).text == "both readings hold"
        assert len(consensus.history()) == entries + 1
        walk.resolve(item, "take_b")  # deciding again replaces the union too
        assert [c.text for c in consensus.codings()] == ["hard at first. Nobody knew"]
        consensus.undo()
        assert [c.text for c in consensus.codings()] == ["It was hard at first. Nobody knew"]
    finally:
        close(files)
