import docx

from workbench.transcripts.naming import participant_and_wave, quote_id, transcript_id_for
from workbench.transcripts.readers import read_text


def test_docx_paragraphs_and_speaker_tables(tmp_path):
    document = docx.Document()
    document.add_paragraph("Interviewer: How did it start?")
    document.add_paragraph("Participant: With a long induction week.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Interviewer", "And then?"
    table.cell(1, 0).text, table.cell(1, 1).text = "Participant", "Then the ward."
    path = tmp_path / "50001.docx"
    document.save(path)
    text, note = read_text(path)
    assert note is None
    assert "Interviewer: How did it start?\nParticipant: With a long induction week." in text
    assert "Interviewer: And then?" in text and "Participant: Then the ward." in text


def test_vtt_voices_become_turns(tmp_path):
    path = tmp_path / "a.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Interviewer>Ready?</v>\n\n"
                    "00:00:03.500 --> 00:00:05.000\n<v Participant>Yes &amp; no.\n\n"
                    "00:00:05.000 --> 00:00:06.000\n<v Participant>Mostly yes.\n", encoding="utf-8")
    text, _ = read_text(path)
    assert text == "[00:00:01] Interviewer: Ready?\n\n[00:00:03] Participant: Yes & no. Mostly yes.\n"


def test_srt_cues_and_speaker_prefixes(tmp_path):
    path = tmp_path / "a.srt"
    path.write_bytes("1\r\n00:00:01,000 --> 00:00:02,000\r\nInterviewer: Hello.\r\n\r\n"
                     "2\r\n00:00:02,500 --> 00:00:04,000\r\nParticipant: <i>Hi</i> there.\r\n".encode())
    text, _ = read_text(path)
    assert text == "[00:00:01] Interviewer: Hello.\n\n[00:00:02] Participant: Hi there.\n"


def test_names_from_file_names():
    assert participant_and_wave("50007_3") == ("50007", 3)
    assert participant_and_wave("50007") == ("50007", 1)
    assert participant_and_wave("admin-1") == ("admin-1", 1)
    assert participant_and_wave("board_2017") == ("board_2017", 1)
    assert transcript_id_for("/x/P1 interview (final).docx") == "P1_interview_final"
    assert quote_id("50002", 1) == "50002" and quote_id("50002", 2) == "50002_2"
