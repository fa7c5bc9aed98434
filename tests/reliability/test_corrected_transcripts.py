"""Guarantee: `workbench import --replace` of a corrected transcript moves every coding onto
the new text; a coding whose text survived moves exactly, one whose text changed is flagged
for review with its old and new text, and none is ever dropped or silently misplaced."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench.project as project_module
from workbench.importing import import_transcript
from workbench.model import Coding, new_id
from workbench.project import Project
from workbench.replacing import replace_transcript

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_transcripts" / "50001.txt"
WORD = re.compile(r"\S+")


def word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in WORD.finditer(text)]


def code_phrases(project: Project, tid: str, coder: str = "alex", every: int = 9, length: int = 4) -> dict:
    """Codings over runs of `length` words, one starting at every `every`-th word: id -> (start, end)."""
    text = project.text(tid)
    words = word_spans(text)
    with project.open_coder(coder) as coder_file:
        theme = coder_file.add_code("theme")
        codings = [Coding(id=new_id(), code=theme.id, transcript=tid, start=words[i][0], end=words[i + length - 1][1],
                          text=text[words[i][0]:words[i + length - 1][1]]) for i in range(0, len(words) - length, every)]
        coder_file.add_many("coding.add", f"code {len(codings)} phrases", codings)  # one write: fast
    return {c.id: (c.start, c.end) for c in codings}


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`edits`: (position, characters deleted, text inserted), not overlapping, any order."""
    for position, deleted, inserted in sorted(edits, reverse=True):
        text = text[:position] + inserted + text[position + deleted:]
    return text


def expected_moves(codings: dict, edits) -> dict:
    """Where each coding no edit touches must land: shifted by the edits wholly before it."""
    expected = {}
    for cid, (start, end) in codings.items():
        if any(p <= end and p + d >= start for p, d, _ in edits):
            continue
        shift = sum(len(ins) - d for p, d, ins in edits if p + d < start)
        expected[cid] = (start + shift, end + shift)
    return expected


def check_carried_over(project: Project, tid: str, old_text: str, codings: dict, edits, coder="alex") -> list:
    project = Project(project.root)  # what the disk holds now (a Project caches texts it read)
    new_text = project.text(tid)
    with project.open_coder(coder, readonly=True) as coder_file:
        now = {c.id: c for c in coder_file.codings(transcript=tid)}
    assert set(now) == set(codings)  # none dropped
    for cid, coding in now.items():
        assert new_text[coding.start:coding.end] == coding.text  # the stored text is what the span holds
        old = old_text[slice(*codings[cid])]
        if coding.review is None:
            assert coding.text == old  # unflagged means its words survived...
        else:
            assert old in coding.review and coding.text in coding.review  # ...flagged shows old and new
    for cid, (start, end) in expected_moves(codings, edits).items():
        assert (now[cid].start, now[cid].end) == (start, end), f"{cid} misplaced"  # ...at the right place
        assert now[cid].review is None
    return [c for c in now.values() if c.review]


@pytest.fixture
def interview(project) -> str:
    import_transcript(project, SAMPLE)
    return SAMPLE.stem


def corrected_file(tmp_path, name: str, text: str) -> Path:
    folder = tmp_path / "corrected"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_corrected_transcript_moves_codings_and_flags_the_changed(project, interview, run, tmp_path):
    old_text = project.text(interview)
    codings = code_phrases(project, interview)
    words = word_spans(old_text)
    spans = sorted(codings.values())
    inside = spans[3]  # a word changed inside this coding
    changed_word = next(w for w in words if inside[0] < w[0] and w[1] <= inside[1])
    deleted = spans[6]  # this coding's words are deleted outright
    edits = [
        (0, 0, "[Transcript checked by R. Okafor] "),  # before everything
        (spans[1][0], 0, "erm, "),  # just before a coding
        (changed_word[0], changed_word[1] - changed_word[0], "CORRECTED"),
        (deleted[0], deleted[1] - deleted[0], ""),
        (words[-1][1], 0, " [end of recording]"),  # after everything
    ]
    new_text = apply_edits(old_text, edits)
    result = run("import", "--replace", corrected_file(tmp_path, SAMPLE.name, new_text))
    assert result.exit_code == 0, result.output
    assert "flagged for review" in result.stderr
    flagged = check_carried_over(project, interview, old_text, codings, edits)
    assert {c.id for c in flagged} >= {cid for cid, span in codings.items() if span in (inside, deleted)}
    listed = json.loads(run("codings", "--review", "--format", "json").stdout)
    assert {row["id"] for row in listed} == {c.id for c in flagged}
    assert all("it was “" in row["review"] for row in listed)


@pytest.mark.parametrize("name", ["pdpilot-user-study/P3.txt", "qc-demo/admin-1.txt"])
def test_a_real_corpus_transcript_with_scattered_corrections(shared, project, run, tmp_path, name):
    source = shared / "corpora" / name
    transcript = corrected_file(tmp_path, "T1.txt", source.read_text(encoding="utf-8"))
    import_transcript(project, transcript)
    old_text = project.text("T1")
    codings = code_phrases(project, "T1", every=13, length=6)
    words = word_spans(old_text)
    edits = [(words[i][0], words[i][1] - words[i][0], "QQFIXED") for i in range(5, len(words), 97)]
    edits += [(words[i][0], 0, "um, ") for i in range(50, len(words), 89) if all(abs(words[i][0] - p) > 12 for p, _, _ in edits)]
    result = run("import", "--replace", corrected_file(tmp_path, "T1.txt", apply_edits(old_text, edits)))
    assert result.exit_code == 0, result.output
    flagged = check_carried_over(project, "T1", old_text, codings, edits)
    assert flagged and len(flagged) < len(codings)


MARKERS = st.sampled_from(["ZQX ", "Qwv, ", "(inaudible) ", "XYZZY", "", "KJ."])


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_hypothesis_edits_never_lose_or_misplace_a_coding(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("hyp")
    project = Project.init(folder / "study")
    import_transcript(project, SAMPLE)
    tid, old_text = SAMPLE.stem, project.text(SAMPLE.stem)
    length = data.draw(st.integers(1, 8))
    # phrases of one code a word apart at least: overlapping or touching codings of one code are
    # joined into one (coding.union), and an edit that deletes the only space between two
    # phrases would make them touch
    codings = code_phrases(project, tid, every=data.draw(st.integers(max(5, length + 1), 30)), length=length)
    words = word_spans(old_text)
    chosen = sorted(data.draw(st.sets(st.integers(0, len(words) - 1), min_size=1, max_size=12)))
    edits = []
    for i in chosen:
        kind = data.draw(st.sampled_from(["insert", "delete", "replace", "split"]))
        start, end = words[i]
        if kind == "insert":
            edits.append((start, 0, data.draw(MARKERS) or "ZQX "))
        elif kind == "delete":
            edits.append((start, min(len(old_text), end + 1) - start, ""))
        elif kind == "replace":
            edits.append((start, end - start, data.draw(MARKERS) or "KJ"))
        else:
            edits.append((start + 1, 0, "-QV-") if end - start > 1 else (start, 0, "ZQX "))
    edits = [e for k, e in enumerate(edits) if all(e[0] > p + d + 1 for p, d, _ in edits[:k])]  # none overlapping
    new_text = apply_edits(old_text, edits)
    if not new_text.strip() or new_text == old_text:
        return
    replace_transcript(project, project.transcript(tid), new_text)
    check_carried_over(project, tid, old_text, codings, edits)


def test_a_replace_is_refused_while_another_coder_works(project, interview, run, tmp_path, fingerprint):
    code_phrases(project, interview, coder="alex")
    code_phrases(project, interview, coder="sam")
    for name in ("alex", "sam"):
        project.open_coder(name).close()  # the day's backups, made by any session that opens to write
    before = fingerprint(project.root)
    with project.open_coder("sam"):
        result = run("import", "--replace", corrected_file(tmp_path, SAMPLE.name, "Interviewer: Changed.\n\n" + project.text(interview)))
        assert result.exit_code == 2 and "sam.json: already open in another session" in result.stderr
    assert fingerprint(project.root) == before  # alex's file, the text and the manifest: nothing changed
    assert not (project.root / "coders" / "alex.json.lock").exists()


def test_a_replace_that_fails_half_way_puts_the_codings_back(project, interview, run, tmp_path, monkeypatch):
    codings = code_phrases(project, interview)
    old_text = project.text(interview)

    def full_disk(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(project_module, "atomic_write", full_disk)
    result = run("import", "--replace", corrected_file(tmp_path, SAMPLE.name, "Interviewer: Checked.\n\n" + old_text))
    monkeypatch.undo()
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert Project(project.root).text(interview) == old_text
    with project.open_coder("alex", readonly=True) as coder:
        assert {c.id: (c.start, c.end) for c in coder.codings()} == codings
        assert not any(c.review for c in coder.codings())
