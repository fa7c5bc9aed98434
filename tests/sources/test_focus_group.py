"""Focus groups: every speaker but the moderator is a participant of the transcript."""

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.project import Project


def run(project, *args):
    return CliRunner().invoke(cli, ["-p", str(project.root), "--coder", "alex", *args])


def participants(project) -> dict[str, list[str]]:
    result = run(project, "participants", "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["participant"]: row["transcripts"] for row in json.loads(result.stdout)}


def folder_hash(root: Path) -> str:
    """Everything a project stores but its cache (derived data, safe to delete)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if "cache" not in p.relative_to(root).parts):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


STYLES = {
    "names": ("Moderator: What brought you here?\n\nAnna: My sister told me.\n\nBen Okafor: The coffee.\n\n"
              "Moderator: And then?\n\nChitra: I stayed.\n\nAnna: So did I.\n", {"Anna", "Ben Okafor", "Chitra"}),
    "tags": ("[id1] hello, I like the course.\n\n[id2] I struggle with the slides.\n\n[id3] Too many assignments.\n\n"
             "[id1] I am learning a lot.\n", {"id1", "id2", "id3"}),
    "numbered": ("Facilitator: How was the year?\n\nSpeaker 3: Hard at first.\n\nSpeaker 7: Better later.\n\n"
                 "Facilitator: Why?\n\nSpeaker 3: The mentors.\n", {"Speaker 3", "Speaker 7"}),
    "otter": ("Interviewer  0:01\nWhat do you remember?\n\nJane Doe  0:05\nThe first meeting.\n\n"
              "Raj Patel  0:12\nThe tea, mostly.\n\nInterviewer  0:20\nAnything else?\n\nJane Doe  0:24\nNo.\n",
              {"Jane Doe", "Raj Patel"}),
    "zoom": ("[Moderator] 10:03:15\nWelcome. What helped?\n\n[Li Wei] 10:03:40\nTalking.\n\n[Sam] 10:04:02\nListening.\n",
             {"Li Wei", "Sam"}),
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_speaker_but_the_moderator_is_a_participant(project, tmp_path, style):
    text, expected = STYLES[style]
    (tmp_path / "FG1.txt").write_text(text, encoding="utf-8")
    result = run(project, "import", str(tmp_path / "FG1.txt"), "--focus-group")
    assert result.exit_code == 0, result.output
    assert participants(project) == {p: ["FG1"] for p in expected}
    assert Project(project.root).transcript("FG1").kind == "focus_group"


@pytest.mark.parametrize("sample, speakers", [
    ("interop/samples/qualcoder-focus-group.txt", {"id1", "id2", "id3"}),
    ("corpora/qc-demo/board_2017.txt", None),
])
def test_real_multi_speaker_texts(project, shared, tmp_path, sample, speakers):
    source = tmp_path / "FG1.txt"
    source.write_bytes((shared / sample).read_bytes())
    assert run(project, "import", str(source), "--focus-group").exit_code == 0
    found = participants(project)
    if speakers is not None:
        assert set(found) == speakers
    else:  # the school-board meeting: the moderator asks, dozens of speakers answer
        assert "Moderator" not in found and {"Speaker 12", "Mr. Tyeri", "Alfeck"} <= set(found)
        assert len(found) > 30


def test_a_speakers_file_gives_pseudonyms_and_the_same_person_in_two_groups(project, tmp_path):
    (tmp_path / "FG1.txt").write_text("Moderator: Why?\n\nAnna Smith: Because.\n\nBen: Yes.\n", encoding="utf-8")
    (tmp_path / "FG2.txt").write_text("Moderator: When?\n\nANNA SMITH: Later.\n\nChitra: Now.\n", encoding="utf-8")
    (tmp_path / "speakers.csv").write_text(
        "transcript,label,participant\nFG1,Anna Smith,P1\nFG1,Ben,P2\nFG2,anna smith,P1\nFG2,Chitra,P3\n")
    result = run(project, "import", str(tmp_path / "FG1.txt"), str(tmp_path / "FG2.txt"),
                 "--speakers", str(tmp_path / "speakers.csv"))
    assert result.exit_code == 0, result.output
    assert participants(project) == {"P1": ["FG1", "FG2"], "P2": ["FG1"], "P3": ["FG2"]}


def test_a_speakers_file_naming_someone_who_does_not_speak_is_refused(project, tmp_path):
    (tmp_path / "FG1.txt").write_text("Moderator: Why?\n\nAnna: Because.\n\nBen: Yes.\n", encoding="utf-8")
    (tmp_path / "speakers.csv").write_text("transcript,label,participant\nFG1,Anne,P1\n")
    before = folder_hash(project.root)
    result = run(project, "import", str(tmp_path / "FG1.txt"), "--speakers", str(tmp_path / "speakers.csv"))
    assert result.exit_code == 2
    assert "'Anne', who does not speak in it (speakers: Anna, Ben, Moderator)" in result.stderr
    assert folder_hash(project.root) == before


@pytest.mark.parametrize("content, message", [
    ("", "speakers.csv: no header row (transcript,label,participant)"),
    ("transcript,label,participant\n", "speakers.csv: no speakers in it (rows of transcript,label,participant)"),
    ("label,participant\n", "speakers.csv: no speakers in it (rows of transcript,label,participant)"),
])
def test_a_speakers_file_without_speakers_is_refused_and_the_names_are_not_stored(project, tmp_path, content,
                                                                                  message):
    # a speakers file is given to keep names out: one that names nobody must not import the names
    (tmp_path / "FG1.txt").write_text("Moderator: Why?\n\nAnna Smith: Because.\n\nBen: Yes.\n", encoding="utf-8")
    (tmp_path / "speakers.csv").write_text(content)
    before = folder_hash(project.root)
    result = run(project, "import", str(tmp_path / "FG1.txt"), "--focus-group", "--speakers",
                 str(tmp_path / "speakers.csv"))
    assert result.exit_code == 2
    assert message in result.stderr and "participant id" not in result.stderr
    assert folder_hash(project.root) == before


def test_the_same_default_label_in_two_groups_is_refused_until_a_speakers_file_says_who_is_who(project, tmp_path):
    (tmp_path / "FG1.txt").write_text("Moderator: Why?\n\nSpeaker 1: Because.\n\nSpeaker 2: Yes.\n", encoding="utf-8")
    (tmp_path / "FG2.txt").write_text("Moderator: When?\n\nSpeaker 1: Later.\n\nSpeaker 2: Now.\n", encoding="utf-8")
    assert run(project, "import", str(tmp_path / "FG1.txt"), "--focus-group").exit_code == 0
    before = folder_hash(project.root)
    result = run(project, "import", str(tmp_path / "FG2.txt"), "--focus-group")
    assert result.exit_code == 2
    assert "speaker 'Speaker 1' would be the same participant as 'Speaker 1' of FG1" in result.stderr
    assert folder_hash(project.root) == before
    (tmp_path / "speakers.csv").write_text("transcript,label,participant\nFG2,Speaker 1,FG2-S1\nFG2,Speaker 2,Speaker 2\n")
    result = run(project, "import", str(tmp_path / "FG2.txt"), "--speakers", str(tmp_path / "speakers.csv"))
    assert result.exit_code == 0, result.output
    assert participants(project) == {"FG2-S1": ["FG2"], "Speaker 1": ["FG1"], "Speaker 2": ["FG1", "FG2"]}


def test_a_focus_group_column_in_interviews_csv(project, tmp_path):
    (tmp_path / "FG1.txt").write_text("Dana: Why?\n\nAnna: Because.\n\nBen: Yes.\n\nDana: Really?\n\nBen: No.\n",
                                      encoding="utf-8")
    (tmp_path / "50002.txt").write_text("Interviewer: Hello?\n\nParticipant: Hi.\n", encoding="utf-8")
    (tmp_path / "interviews.csv").write_text("transcript,interviewer,focus_group\nFG1,Dana,yes\n50002,Sam,no\n")
    result = run(project, "import", str(tmp_path / "FG1.txt"), str(tmp_path / "50002.txt"),
                 "--interviews", str(tmp_path / "interviews.csv"))
    assert result.exit_code == 0, result.output
    assert participants(project) == {"50002": ["50002"], "Anna": ["FG1"], "Ben": ["FG1"]}


def test_an_interview_is_stored_as_before(project, tmp_path):
    (tmp_path / "50002_2.txt").write_text("Interviewer: Hello?\n\nParticipant: Hi.\n", encoding="utf-8")
    assert run(project, "import", str(tmp_path / "50002_2.txt")).exit_code == 0
    entry = json.loads((project.root / "project.json").read_text())["transcripts"]["50002_2"]
    assert not {"kind", "speakers", "question"} & set(entry)
    assert participants(project) == {"50002": ["50002_2"]}


def test_a_group_with_no_labels_is_refused(project, tmp_path):
    (tmp_path / "FG1.txt").write_text("We talked for an hour about the group.\n", encoding="utf-8")
    result = run(project, "import", str(tmp_path / "FG1.txt"), "--focus-group")
    assert result.exit_code == 2 and "no speaker labels" in result.stderr


def test_search_by_participant_finds_a_speakers_words_in_a_group(project, tmp_path):
    (tmp_path / "FG1.txt").write_text("Moderator: What helped?\n\nAnna: The kettle in the kitchen.\n\n"
                                      "Ben: The kettle was broken.\n", encoding="utf-8")
    (tmp_path / "people.csv").write_text("participant,gender\nAnna,F\nBen,M\n")
    assert run(project, "import", str(tmp_path / "FG1.txt"), "--focus-group",
               "--attributes", str(tmp_path / "people.csv")).exit_code == 0
    for option in (["--participant", "Ben"], ["--where", "gender=M"]):
        result = run(project, "search", "kettle", *option, "--format", "json")
        assert result.exit_code == 0, result.output
        hits = json.loads(result.stdout)
        assert hits and {(h["participant"], h["quote_id"]) for h in hits} == {("Ben", "FG1, Ben")}
        assert all("broken" in h["text"] or "broken" in h["context"] for h in hits)


def test_a_corrected_group_stays_a_group_with_its_pseudonyms(project, tmp_path):
    (tmp_path / "FG1.txt").write_text("Moderator: Why?\n\nAnna: Becuase.\n\nBen: Yes.\n", encoding="utf-8")
    (tmp_path / "FG2.txt").write_text("Moderator: When?\n\nAnna: Later.\n", encoding="utf-8")
    (tmp_path / "speakers.csv").write_text("transcript,label,participant\nFG1,Anna,P1\nFG1,Ben,P2\nFG2,Anna,P1\n")
    assert run(project, "import", str(tmp_path / "FG1.txt"), str(tmp_path / "FG2.txt"),
               "--speakers", str(tmp_path / "speakers.csv")).exit_code == 0
    (tmp_path / "FG1.txt").write_text("Moderator: Why?\n\nAnna: Because.\n\nBen: Yes.\n", encoding="utf-8")
    result = run(project, "import", str(tmp_path / "FG1.txt"), "--replace")
    assert result.exit_code == 0, result.output
    assert participants(project) == {"P1": ["FG1", "FG2"], "P2": ["FG1"]}


def test_labels_with_escape_sequences_reach_the_terminal_inert(project, tmp_path):
    def run(project, *args):  # color=True: the runner would otherwise strip escape sequences itself
        return CliRunner().invoke(cli, ["-p", str(project.root), "--coder", "alex", *args], color=True)

    (tmp_path / "FG1.txt").write_text("[Moderator] Why?\n\n[\x1b[31mEve] Because.\n\n[Bob] Yes.\n\n"
                                      "[\x1b[31mEve] Again.\n", encoding="utf-8")
    (tmp_path / "speakers.csv").write_text("transcript,label,participant\nFG1,\x1b[2JZed,P1\n")
    result = run(project, "import", str(tmp_path / "FG1.txt"), "--speakers", str(tmp_path / "speakers.csv"))
    assert result.exit_code == 2 and "\x1b[2J" not in result.stderr and "␛[2JZed" in result.stderr
    result = run(project, "import", str(tmp_path / "FG1.txt"), "--focus-group")
    assert result.exit_code == 0 and "\x1b[31m" not in result.stderr and "␛[31mEve" in result.stderr
    listing = run(project, "participants")
    assert "\x1b[31m" not in listing.stdout and "␛[31mEve" in listing.stdout


def test_a_large_groups_speakers_wrap_to_the_terminal_and_codings_name_the_speaker(project, tmp_path):
    speakers = [f"Speaker {n}" for n in range(1, 31)]
    text = "Moderator: Why did you come?\n\n" + "".join(f"{s}: Reason {n} was mine.\n\n"
                                                      for n, s in enumerate(speakers, start=1))
    (tmp_path / "board.txt").write_text(text, encoding="utf-8")
    assert run(project, "import", str(tmp_path / "board.txt"), "--focus-group").exit_code == 0
    assert run(project, "codes", "add", "reasons").exit_code == 0
    assert run(project, "code", "add", "board", "--quote", "Reason 7 was mine", "reasons").exit_code == 0
    narrow = CliRunner(env={"COLUMNS": "100"})
    listed = narrow.invoke(cli, ["-p", str(project.root), "--coder", "alex", "transcripts"])
    assert listed.exit_code == 0, listed.output
    assert max(len(line) for line in listed.stdout.splitlines()) <= 100
    assert all(s in " ".join(listed.stdout.split()) for s in speakers)  # every speaker, wrapped, none cut
    coded = narrow.invoke(cli, ["-p", str(project.root), "--coder", "alex", "codings"])
    header, row = coded.stdout.splitlines()[:2]
    assert "participant" in header.split() and "Speaker 7" in row


def test_a_label_typed_in_two_cases_is_one_participant_everywhere(project, tmp_path):
    # labels are matched ignoring case (README): the import's count and ids, the listings and
    # the codings' attribution must agree on who 'ANNA' and 'Anna' are
    (tmp_path / "FG1.txt").write_text("Moderator: Why?\n\nANNA: Same for me.\n\nBen: Yes.\n\n"
                                      "Anna: Mostly the language.\n", encoding="utf-8")
    result = run(project, "import", str(tmp_path / "FG1.txt"), "--focus-group")
    assert result.exit_code == 0, result.output
    assert "focus group of 2: ANNA, Ben," in result.stderr
    assert participants(project) == {"ANNA": ["FG1"], "Ben": ["FG1"]}
    run(project, "codes", "add", "language")
    for quote in ("Same for me", "Mostly the language"):
        assert run(project, "code", "add", "FG1", "--quote", quote, "language").exit_code == 0
    listed = json.loads(run(project, "codings", "--format", "json").stdout)
    assert [c["participant"] for c in listed] == ["ANNA", "ANNA"]


def test_a_focus_group_report_says_how_its_quotes_are_cited(project, tmp_path):
    (tmp_path / "FG1.txt").write_text("Moderator: Why?\n\nAnna: Because of my sister.\n\nBen: Yes.\n", encoding="utf-8")
    assert run(project, "import", str(tmp_path / "FG1.txt"), "--focus-group").exit_code == 0
    run(project, "codes", "add", "family")
    assert run(project, "code", "add", "FG1", "--quote", "Because of my sister", "family").exit_code == 0
    themes = run(project, "report", "--format", "md").stdout.split("## Themes")[1].split("## Matrix")[0]
    assert "Each quote is followed by where it was said: a focus group's by the group and the speaker." in themes
    assert "1 of 2 participants; 1 of 1 focus group;" in themes and "(FG1, Anna)" in themes
    assert "interview" not in themes


def test_coreq_counts_repeat_interviews_among_interviews_and_cites_group_quotes(project, tmp_path):
    (tmp_path / "FG1.txt").write_text("Moderator: Why?\n\nAnna: Because of my sister.\n\nBen: Yes.\n", encoding="utf-8")
    (tmp_path / "FG2.txt").write_text("Moderator: Why?\n\nCleo: The bus.\n\nDan: The tea.\n", encoding="utf-8")
    assert run(project, "import", str(tmp_path / "FG1.txt"), str(tmp_path / "FG2.txt"), "--focus-group").exit_code == 0
    run(project, "codes", "add", "family")
    report = run(project, "report", "--format", "md").stdout
    assert "| 18 | Repeat interviews | no: no interviews, 2 focus groups |" in report
    assert ("| 29 | Quotations presented | yes: each quote is followed by where it was said: a focus group's by the "
            "group and the speaker;") in report
