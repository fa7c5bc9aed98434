"""Which transcripts two coders are compared on: those both worked on (a coding there, or
marked done), every one, or the ones named; each one left out with its reason."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analysis.agreement import agreement
from workbench.analysis.merge import merge_coders
from workbench.analysis.transcript_selection import select_transcripts
from workbench.errors import WorkbenchError
from workbench.importing import import_transcript
from workbench.model import Coding, new_id

TEXT = "Interviewer: How was it?\n\nParticipant: Hard at first. Then the team took me in.\n"
IDS = ["50001", "50002", "50003", "50004"]


@pytest.fixture
def study(project, tmp_path):
    for tid in IDS:
        path = tmp_path / f"{tid}.txt"
        path.write_text(TEXT + f"\nInterviewer: Thank you ({tid}).\n", encoding="utf-8")
        import_transcript(project, path)
    return project


def coder_with(project, name, coded=(), done=()):
    start = TEXT.index("Hard")
    with project.open_coder(name) as coder:
        code = coder.add_code("hard start")
        coder.add_many("codings.import", "t", [Coding(id=new_id(), code=code.id, transcript=t, start=start,
                                                      end=start + 4, text="Hard") for t in coded])
        for t in done:
            coder.set_done(t)
    return name


def test_only_transcripts_both_coders_worked_on_are_compared(study):
    coder_with(study, "alex", coded=["50001", "50002"], done=["50003"])
    coder_with(study, "sam", coded=["50001"], done=["50003"])
    report = agreement(study, "alex", "sam", unit="sentence").as_dict()
    assert report["transcripts_compared"] == ["50001", "50003"]
    excluded = {e["transcript"]: e["reason"] for e in report["transcripts_excluded"]}
    assert set(excluded) == {"50002", "50004"}
    assert "only alex" in excluded["50002"] and "sam" in excluded["50002"]
    assert "neither coder" in excluded["50004"]
    (row,) = report["codes"]
    # 50002, which sam has not reached, would otherwise count alex's coding there as a disagreement
    assert (row["both"], row["a_only"], row["b_only"]) == (1, 0, 0)
    assert [t["transcript"] for t in row["transcripts"]] == ["50001", "50003"]


def test_all_transcripts_and_a_named_list(study):
    coder_with(study, "alex", coded=["50001", "50002"])
    coder_with(study, "sam", coded=["50001"])
    every = agreement(study, "alex", "sam", unit="sentence", every_transcript=True).as_dict()
    assert every["transcripts_compared"] == IDS and every["transcripts_excluded"] == []
    assert every["codes"][0]["a_only"] == 1
    named = agreement(study, "alex", "sam", unit="sentence", transcripts=["50002"]).as_dict()
    assert named["transcripts_compared"] == ["50002"]
    assert {e["transcript"] for e in named["transcripts_excluded"]} == {"50001", "50003", "50004"}
    with pytest.raises(WorkbenchError, match="no transcript 'nope'"):
        agreement(study, "alex", "sam", transcripts=["nope"])


def test_done_marks_are_the_coders_own_undoable_and_survive_reopening(study):
    with study.open_coder("alex") as alex:
        assert alex.set_done("50004") is True
        assert alex.set_done("50004") is False  # already done: nothing written
    with study.open_coder("alex", readonly=True) as alex:
        assert alex.done_transcripts() == {"50004"}
        assert alex.history()[-1].action == "transcript.done"
    with study.open_coder("sam", readonly=True) as sam:
        assert sam.done_transcripts() == set()
    with study.open_coder("alex") as alex:
        alex.undo()
        assert alex.done_transcripts() == set()
        alex.redo()
        alex.set_done("50004", False)
    with study.open_coder("alex", readonly=True) as alex:
        assert alex.done_transcripts() == set()


def test_merge_takes_the_same_transcripts(study):
    coder_with(study, "alex", coded=["50001", "50002"])
    coder_with(study, "sam", coded=["50001"])
    result = merge_coders(study, "alex", "sam", into="consensus")
    assert result.selection.compared == ["50001"]
    with study.open_coder("consensus", readonly=True) as consensus:
        assert {c.transcript for c in consensus.codings()} == {"50001"}
    merge_coders(study, "alex", "sam", into="everything", every_transcript=True)
    with study.open_coder("everything", readonly=True) as everything:
        assert {c.transcript for c in everything.codings()} == {"50001", "50002"}


class FakeProject:
    def __init__(self, ids):
        self.ids = ids

    def transcripts(self):
        return [type("Info", (), {"id": t}) for t in self.ids]

    def transcript(self, ref):
        if ref not in self.ids:
            raise WorkbenchError(f"no transcript '{ref}'")
        return type("Info", (), {"id": ref})


class FakeCoder:
    def __init__(self, name, coded, done):
        self.coder, self._coded, self._done = name, coded, done

    def codings(self):
        return [type("C", (), {"transcript": t}) for t in self._coded]

    def done_transcripts(self):
        return set(self._done)


names = st.sampled_from([f"t{i}" for i in range(8)])


@settings(max_examples=200)
@given(ids=st.lists(names, unique=True, max_size=8), a_coded=st.lists(names), a_done=st.lists(names),
       b_coded=st.lists(names), b_done=st.lists(names))
def test_selection_is_exactly_the_transcripts_both_worked_on(ids, a_coded, a_done, b_coded, b_done):
    # Codings and marks may name transcripts the project no longer holds: they never count.
    selection = select_transcripts(FakeProject(ids), FakeCoder("a", a_coded, a_done), FakeCoder("b", b_coded, b_done))
    worked_a, worked_b = set(a_coded) | set(a_done), set(b_coded) | set(b_done)
    assert selection.compared == [t for t in ids if t in worked_a and t in worked_b]
    excluded = [t for t, _ in selection.excluded]
    assert sorted(excluded + selection.compared) == sorted(ids) and not set(excluded) & set(selection.compared)
    for t, why in selection.excluded:
        assert why
