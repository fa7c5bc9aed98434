"""Merging two coders into a consensus file: union keeps identical spans once and carries the
coders' comments (coding memos) over; intersection keeps what both coded."""

from workbench.analysis.merge import merge_coders
from workbench.importing import import_transcript


def code(project, coder_name, phrase, comment=None):
    text = project.text("50007_3")
    start = text.index(phrase)
    with project.open_coder(coder_name) as coder:
        if "hostile remarks" not in {c.name for c in coder.codes()}:
            coder.add_code("hostile remarks")
        coding = coder.add_coding("50007_3", start, start + len(phrase), "hostile remarks", phrase)
        if comment:
            coder.set_memo("coding", coding.id, comment)


def test_union_keeps_identical_spans_once_with_both_comments(project, interview_file):
    import_transcript(project, interview_file)
    code(project, "alex", "the cabinet key", comment="a clear refusal")
    code(project, "sam", "the cabinet key", comment="about trust")
    code(project, "sam", "real staff", comment="status")
    result = merge_coders(project, "alex", "sam", into="consensus")
    assert (result.codings_added, result.already_there) == (2, 1)
    with project.open_coder("consensus", readonly=True) as consensus:
        codings = {c.text: c for c in consensus.codings()}
        assert set(codings) == {"the cabinet key", "real staff"}
        assert consensus.memo("coding", codings["the cabinet key"].id).text == "alex: a clear refusal\n\nsam: about trust"
        assert consensus.memo("coding", codings["real staff"].id).text == "sam: status"
        assert len(consensus.history()) == 1


def test_intersection_keeps_the_shared_part(project, interview_file):
    import_transcript(project, interview_file)
    code(project, "alex", "asked me for the cabinet key")
    code(project, "sam", "the cabinet key and then said")
    merge_coders(project, "alex", "sam", into="consensus", strategy="intersection")
    with project.open_coder("consensus", readonly=True) as consensus:
        assert [c.text for c in consensus.codings()] == ["the cabinet key"]
