import re
from collections import Counter

import pytest

from workbench.transcripts.normalise import normalise
from workbench.transcripts.segment import segment


def speakers(text, **kw):
    seg = segment(text, **kw)
    return [(t.speaker, t.role, text[t.start:t.end]) for t in seg.turns]


def test_interviewer_and_participant_turns():
    text = "Interviewer: How are you?\n\nParticipant: Fine. Thanks.\n"
    assert speakers(text) == [("Interviewer", "interviewer", "How are you?"), ("Participant", "participant", "Fine. Thanks.")]


def test_hard_wrapped_line_continues_the_turn():
    text = "Dan: Do you use plots?\nParticipant: Yes, we use them for the\nfirst look at the data.\nDan: Why?\nParticipant: Habit.\n"
    turns = speakers(text)
    assert turns[1] == ("Participant", "participant", "Yes, we use them for the\nfirst look at the data.")
    assert turns[0][1] == "interviewer"  # Dan, beside a labelled participant, is the interviewer


@pytest.mark.parametrize("line, name", [
    ("[00:01:23] Interviewer: So.", "Interviewer"),
    ("00:01:23 Interviewer: So.", "Interviewer"),
    ("Interviewer (00:01:23): So.", "Interviewer"),
    ("Interviewer [00:01:23]: So.", "Interviewer"),
    ("**Interviewer:** So.", "Interviewer"),
    ("P1: So.", "P1"),
    ("[id1] So.", "id1"),
    ("Max Bigman:    So.", "Max Bigman"),
])
def test_label_forms_keep_timestamps_out_of_the_name(line, name):
    text = f"{line}\n\n{line}\n"
    seg = segment(text)
    assert seg.turns[0].speaker == name
    assert text[seg.turns[0].start:seg.turns[0].end] == "So."


def test_a_colon_inside_wrapped_text_is_not_a_speaker():
    text = "Interviewer: Tell me.\nParticipant: There was one rule\nabout it: never alone. And\nInterviewer: Right.\nParticipant: Yes.\n"
    assert [s for s, _, _ in speakers(text)] == ["Interviewer", "Participant", "Interviewer", "Participant"]


def test_sentences_split_but_not_after_abbreviations():
    text = "Participant: I saw Dr. Smith today. It went well! Did it? Yes.\n"
    seg = segment(text)
    assert [text[s.start:s.end] for s in seg.sentences] == ["I saw Dr. Smith today.", "It went well!", "Did it?", "Yes."]


def test_no_labels_gives_paragraph_turns():
    seg = segment("First paragraph. Two sentences.\n\nSecond one.\n")
    assert len(seg.turns) == 2
    assert len(seg.sentences) == 3


def test_turn_and_sentence_at_offset():
    text = "Interviewer: Hi there.\n\nParticipant: One. Two.\n"
    seg = segment(text)
    offset = text.index("Two")
    assert text[seg.sentence_at(offset).start:seg.sentence_at(offset).end] == "Two."
    assert seg.turn_at(offset).speaker == "Participant"


def real_transcripts(shared):
    files = sorted((shared / "corpora").glob("*/*.txt")) + [shared / "interop/samples/qualcoder-focus-group.txt"]
    return [f for f in files if f.name not in ("LICENSE", "code-system.txt")]


def test_real_corpora_split_into_plausible_turns(shared):
    for path in real_transcripts(shared):
        text = normalise(path.read_text(encoding="utf-8"))
        seg = segment(text, participant=path.stem)
        assert len(seg.turns) >= 5, path
        assert all(0 <= t.start <= t.end <= len(text) for t in seg.turns)
        assert all(a.end <= b.label_start for a, b in zip(seg.turns, seg.turns[1:]))
        assert not [t.speaker for t in seg.turns if re.search(r"[\[\]:]|\d:\d", t.speaker or "")], path


def test_pdpilot_interviews_have_dan_as_interviewer(shared):
    for path in sorted((shared / "corpora/pdpilot-user-study").glob("P*.txt")):
        seg = segment(normalise(path.read_text(encoding="utf-8")))
        roles = Counter((t.speaker, t.role) for t in seg.turns)
        assert roles[("Dan", "interviewer")] > 20, path
        assert roles[("Participant", "participant")] > 20, path


def test_qc_admin_interview_roles(shared):
    text = normalise((shared / "corpora/qc-demo/admin-1.txt").read_text(encoding="utf-8"))
    seg = segment(text, participant="admin-1")
    roles = {t.speaker: t.role for t in seg.turns}
    assert roles["Max Bigman"] == "interviewer"
    assert roles["admin-1"] == "participant"


def test_focus_group_tags(shared):
    text = (shared / "interop/samples/qualcoder-focus-group.txt").read_text(encoding="utf-8")
    seg = segment(normalise(text))
    assert {t.speaker for t in seg.turns} == {"id1", "id2", "id3"}


def test_cjk_full_stops_end_sentences_without_a_space():
    text = "Participant: 我很好。你呢？谢谢！\n"
    seg = segment(text)
    assert [text[s.start:s.end] for s in seg.sentences] == ["我很好。", "你呢？", "谢谢！"]


@pytest.mark.parametrize("label", ["Jane Doe  0:03", "[Jane Doe] 10:03:15", "Jane Doe (00:00:03)"])
def test_a_name_and_timestamp_alone_on_a_line_opens_a_turn(label):
    other = label.replace("Jane Doe", "John Smith")
    text = f"{label}\nWhat happened next?\n\n{other}\nI left the ward.\n\n{label}\nWhy?\n\n{other}\nTired.\n"
    seg = segment(text)
    assert [(t.speaker, text[t.start:t.end]) for t in seg.turns][:2] == [
        ("Jane Doe", "What happened next?"), ("John Smith", "I left the ward.")]
    assert seg.turns[0].role == "interviewer"
