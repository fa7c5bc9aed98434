"""Guarantee: whatever bytes a transcript file holds, importing it ends in a clean import
or a clear refusal (a WorkbenchError naming the file), never a traceback; after a clean
import every turn and sentence lies inside the text, in order."""

from __future__ import annotations

import io
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError
from workbench.importing import import_transcript
from workbench.project import Project

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
counter = itertools.count()


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    return Project.init(tmp_path_factory.mktemp("fuzz") / "study")


def import_or_refuse(project: Project, folder, suffix: str, data: bytes) -> None:
    path = folder / f"T{next(counter)}{suffix}"
    path.write_bytes(data)
    try:
        result = import_transcript(project, path)
    except WorkbenchError as err:
        assert str(path) in str(err)  # the refusal names the file
        return
    check_offsets(project, result.transcript.id)


def check_offsets(project: Project, transcript_id: str) -> None:
    text = project.text(transcript_id)
    seg = project.segments(transcript_id)
    previous_end = 0
    for turn in seg.turns:
        assert previous_end <= turn.start <= turn.end <= len(text)
        previous_end = turn.end
    for sentence in seg.sentences:
        assert 0 <= sentence.start < sentence.end <= len(text)
        assert 0 <= sentence.turn < len(seg.turns)
    assert [s.start for s in seg.sentences] == sorted(s.start for s in seg.sentences)


@SETTINGS
@given(suffix=st.sampled_from([".txt", ".md", ".vtt", ".srt", ".docx"]), data=st.binary(max_size=3000))
def test_random_bytes_import_cleanly_or_are_refused(fuzz_project, tmp_path_factory, suffix, data):
    import_or_refuse(fuzz_project, tmp_path_factory.mktemp("in"), suffix, data)


SPEAKERS = st.sampled_from(["Interviewer", "I", "Participant", "P", "P1", "Dr Smith", "INT", "Resp", "Zoë",
                            "Interviewer (R.O.)", "Q", "A"])
STYLES = st.sampled_from(["{s}: {t}", "{s}:\t{t}", "**{s}:** {t}", "{s} - {t}", "[00:01:02] {s}: {t}",
                          "{s}:\n{t}", "{t}", "{s.upper()}: {t}"])
WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=80)


@st.composite
def transcripts(draw) -> str:
    turns = []
    for _ in range(draw(st.integers(1, 12))):
        style, speaker, words = draw(STYLES), draw(SPEAKERS), draw(WORDS)
        turns.append(style.replace("{s.upper()}", speaker.upper()).format(s=speaker, t=words))
    return draw(st.sampled_from(["\n\n", "\n", "\r\n", "\r\n\r\n"])).join(turns)


@SETTINGS
@given(text=transcripts(), suffix=st.sampled_from([".txt", ".md"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_random_well_formed_transcripts_keep_their_offsets(fuzz_project, tmp_path_factory, text, suffix, encoding):
    import_or_refuse(fuzz_project, tmp_path_factory.mktemp("in"), suffix, text.encode(encoding))


@SETTINGS
@given(text=transcripts())
def test_random_subtitles_and_word_files(fuzz_project, tmp_path_factory, text):
    import docx

    folder = tmp_path_factory.mktemp("in")
    cues = "WEBVTT\n\n" + "\n\n".join(f"00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000\n{line}"
                                      for i, line in enumerate(text.splitlines()[:50]))
    import_or_refuse(fuzz_project, folder, ".vtt", cues.encode("utf-8"))
    document = docx.Document()
    for line in text.splitlines():
        try:
            document.add_paragraph(line)
        except ValueError:  # python-docx refuses XML-incompatible characters itself
            return
    buffer = io.BytesIO()
    document.save(buffer)
    import_or_refuse(fuzz_project, folder, ".docx", buffer.getvalue())
