"""A transcript imported as an interview, made a focus group afterwards (interviews.csv's
focus_group column, a speakers file, `transcripts focus-group`), and back: its codings stay
where they are on disk and count by speaker from then on."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sources.test_attribution import FG1
from tests.sources.test_focus_group import STYLES, folder_hash, participants, run
from workbench.project import Project
from workbench.sources.attribution import Attribution

QUOTES = [("I was lonely.", "isolation"), ("The coffee, honestly.", "practical"),
          ("The people.\n\nAnna: Feeling understood.\n\nCleo: Same for me.", "belonging"),
          ("What brought you here?", "practical")]  # the moderator's words


def write(folder: Path, name: str, text: str) -> Path:
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def coded_interview(project, tmp_path, text=FG1, quotes=QUOTES, name="FG1.txt"):
    """`name` imported as an interview and coded with `quotes`, as a researcher would have."""
    ok(run(project, "import", str(write(tmp_path, name, text))))
    for code in dict.fromkeys(code for _, code in quotes):
        ok(run(project, "codes", "add", code))
    for quote, code in quotes:
        ok(run(project, "code", "add", Path(name).stem, "--quote", quote, code))


def coders_on_disk(project) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project.root / "coders").iterdir()) if p.is_file()}


def stats(project) -> dict[str, dict]:
    return {row["code"]: row for row in json.loads(ok(run(project, "stats", "--format", "json")).stdout)}


def codings(project) -> list[tuple[str, str, int, int]]:
    rows = json.loads(ok(run(project, "codings", "--format", "json")).stdout)
    return sorted((r["text"], r["participant"], r["start"], r["end"]) for r in rows)


def test_interviews_csv_makes_an_imported_coded_interview_a_focus_group(project, tmp_path):
    coded_interview(project, tmp_path)
    assert participants(project) == {"FG1": ["FG1"]}
    assert {c: r["participants"] for c, r in stats(project).items()} == {"isolation": 1, "practical": 1, "belonging": 1}
    spans = [(text, start, end) for text, _, start, end in codings(project)]
    on_disk = coders_on_disk(project)

    csv = write(tmp_path, "interviews.csv", "transcript,date,focus_group\nFG1,2025-03-04,yes\n")
    result = ok(run(project, "import", str(csv)))
    assert result.stderr.strip() == ("FG1: now a focus group of 3 participants: Anna, Ben, Cleo; "
                                     "date 2025-03-04")

    entry = json.loads((project.root / "project.json").read_text())["transcripts"]["FG1"]
    assert (entry["kind"], entry["speakers"], entry["date"]) == (
        "focus_group", {"Anna": "Anna", "Ben": "Ben", "Cleo": "Cleo"}, "2025-03-04")
    assert participants(project) == {"Anna": ["FG1"], "Ben": ["FG1"], "Cleo": ["FG1"]}
    listing = ok(run(project, "transcripts")).stdout
    assert "Anna, Ben, Cleo" in listing
    # by hand: isolation is Anna's; practical is Ben's coffee (the moderator's question counts
    # for nobody); belonging covers Ben's, Anna's and Cleo's turns; N is now 3, not 1
    rows = stats(project)
    assert {c: r["participants"] for c, r in rows.items()} == {"isolation": 1, "practical": 1, "belonging": 3}
    assert {c: r["codings"] for c, r in rows.items()} == {"isolation": 1, "practical": 2, "belonging": 1}
    assert "N = 3 participants" in rows["belonging"]["formula"]
    assert rows["belonging"]["salience"] == pytest.approx(1.0)
    assert codings(project) == sorted([
        ("I was lonely.", "Anna", *spans_of(spans, "I was lonely.")),
        ("The coffee, honestly.", "Ben", *spans_of(spans, "The coffee, honestly.")),
        (QUOTES[2][0], "Ben; Anna; Cleo", *spans_of(spans, QUOTES[2][0])),
        ("What brought you here?", "", *spans_of(spans, "What brought you here?"))])
    assert coders_on_disk(project) == on_disk  # every coding where it was, the file not even rewritten


def spans_of(spans, text):
    return next((start, end) for quoted, start, end in spans if quoted == text)


def test_a_rerun_changes_nothing_and_says_so(project, tmp_path):
    coded_interview(project, tmp_path)
    csv = write(tmp_path, "interviews.csv", "transcript,interviewer,focus_group\nFG1,Moderator,yes\n")
    ok(run(project, "import", "--interviews", str(csv)))
    manifest = project.root / "project.json"
    before, inode = manifest.read_bytes(), manifest.stat().st_ino
    for args in (["import", str(csv)], ["import", "--interviews", str(csv)], ["transcripts", "focus-group", "FG1"]):
        result = ok(run(project, *args))
        assert result.stderr.startswith("nothing changed"), result.stderr
    assert manifest.read_bytes() == before and manifest.stat().st_ino == inode  # not even written again


def test_a_row_for_a_transcript_imported_earlier_counts_when_importing_others(project, tmp_path):
    coded_interview(project, tmp_path)
    csv = write(tmp_path, "interviews.csv", "transcript,focus_group,interviewer\nFG1,yes,\n50002,no,Sam\n")
    result = ok(run(project, "import", str(write(tmp_path, "50002.txt", "Interviewer: Hi?\n\nParticipant: Hello.\n")),
                    "--interviews", str(csv)))
    assert "FG1: now a focus group of 3 participants: Anna, Ben, Cleo" in result.stderr
    assert participants(project) == {"50002": ["50002"], "Anna": ["FG1"], "Ben": ["FG1"], "Cleo": ["FG1"]}
    assert Project(project.root).transcript("50002").interviewer == "Sam"


def test_a_speakers_file_gives_the_new_participants_their_ids(project, tmp_path):
    coded_interview(project, tmp_path)
    csv = write(tmp_path, "interviews.csv", "transcript,focus_group\nFG1,yes\n")
    speakers = write(tmp_path, "speakers.csv", "transcript,label,participant\nFG1,anna,P1\nFG1,Ben,P2\nFG1,Cleo,P3\n")
    result = ok(run(project, "import", str(csv), "--speakers", str(speakers)))
    assert "FG1: now a focus group of 3 participants: P1, P2, P3" in result.stderr
    assert participants(project) == {"P1": ["FG1"], "P2": ["FG1"], "P3": ["FG1"]}
    assert {t: p for t, p, _, _ in codings(project)} == {
        "I was lonely.": "P1", "The coffee, honestly.": "P2", QUOTES[2][0]: "P2; P1; P3", "What brought you here?": ""}


def test_the_interviewer_in_the_row_decides_who_moderates(project, tmp_path):
    text = ("Dana: I brought biscuits.\n\nAnna: Thank you. I came for the company.\n\n"
            "Ben: Me too. The biscuits help.\n\nDana: They always do.\n\nAnna: The company most of all.\n")
    coded_interview(project, tmp_path, text, [("I brought biscuits.", "food"), ("I came for the company.", "company")])
    csv = write(tmp_path, "interviews.csv", "transcript,interviewer,focus_group\nFG1,Dana,yes\n")
    result = ok(run(project, "import", str(csv)))
    assert result.stderr.strip() == "FG1: now a focus group of 2 participants: Anna, Ben; interviewer Dana"
    assert participants(project) == {"Anna": ["FG1"], "Ben": ["FG1"]}
    assert {t: p for t, p, _, _ in codings(project)} == {"I brought biscuits.": "", "I came for the company.": "Anna"}
    fresh = Project(project.root)
    assert {t.speaker: t.role for t in fresh.segments("FG1").turns}["Dana"] == "interviewer"


def refusal_cases(tmp_path):
    return {
        "unknown transcript": ("transcript,focus_group\nFG1,yes\nFG9,yes\n", None, "no transcript FG9 in the project"),
        "not yes or no": ("transcript,focus_group\nFG1,maybe\n", None, "focus_group 'maybe' is neither yes nor no"),
        "a label it does not have": ("transcript,focus_group\nFG1,yes\n", "transcript,label,participant\nFG1,Anne,P1\n",
                                     "'Anne', who does not speak in it (speakers: Anna, Ben, Cleo, Moderator)"),
        "the moderator in the speakers file": ("transcript,focus_group\nFG1,yes\n",
                                               "transcript,label,participant\nFG1,Moderator,P1\n",
                                               "'Moderator', who speaks as the moderator"),
        "two rows that disagree": ("transcript,focus_group\nFG1,yes\nFG1.txt,no\n", None, "FG1.txt is given twice"),
        "a speakers file for a transcript not there": ("transcript,focus_group\nFG1,yes\n",
                                                       "transcript,label,participant\nFG7,Anna,P1\n",
                                                       "no transcript FG7 in the project"),
    }


@pytest.mark.parametrize("case", sorted(refusal_cases(Path("."))))
def test_what_cannot_be_applied_is_refused_and_nothing_is_written(project, tmp_path, case):
    coded_interview(project, tmp_path)
    rows, speakers, message = refusal_cases(tmp_path)[case]
    args = ["import", str(write(tmp_path, "interviews.csv", rows))]
    if speakers:
        args += ["--speakers", str(write(tmp_path, "speakers.csv", speakers))]
    manifest, before = project.root / "project.json", (project.root / "project.json").read_bytes()
    stored = folder_hash(project.root)
    result = run(project, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert manifest.read_bytes() == before and folder_hash(project.root) == stored


def test_a_default_id_another_group_has_is_refused(project, tmp_path):
    ok(run(project, "import", str(write(tmp_path, "FG2.txt", "Moderator: Why?\n\nSpeaker 1: Because.\n")),
           "--focus-group"))
    ok(run(project, "import", str(write(tmp_path, "FG1.txt", "Moderator: When?\n\nSpeaker 1: Later.\n\nSpeaker 2: Now.\n"))))
    before = (project.root / "project.json").read_bytes()
    result = run(project, "transcripts", "focus-group", "FG1")
    assert result.exit_code == 2
    assert "speaker 'Speaker 1' would be the same participant as 'Speaker 1' of FG2" in result.stderr
    assert (project.root / "project.json").read_bytes() == before


def test_back_to_an_interview_of_its_one_participant_keeping_the_pseudonym(project, tmp_path):
    coded_interview(project, tmp_path)
    speakers = write(tmp_path, "speakers.csv", "transcript,label,participant\nFG1,Anna,P7\nFG1,Ben,P7\nFG1,Cleo,P7\n")
    ok(run(project, "transcripts", "focus-group", "FG1", "--speakers", str(speakers)))
    assert participants(project) == {"P7": ["FG1"]}
    result = ok(run(project, "import", str(write(tmp_path, "interviews.csv", "transcript,focus_group\nFG1,no\n"))))
    assert result.stderr.startswith("FG1: now an interview of P7, no longer a focus group")
    fresh = Project(project.root)
    info = fresh.transcript("FG1")
    assert (info.kind, info.participant, info.quote_id) == ("interview", "P7", "P7")
    assert participants(project) == {"P7": ["FG1"]}
    assert [p for _, p, _, _ in codings(project)] == ["P7"] * 4  # an interview's codings are all its participant's
    ok(run(project, "import", str(write(tmp_path, "FG1.txt", FG1.replace("honestly", "honestly!"))), "--replace"))
    assert Project(project.root).transcript("FG1").participant == "P7"  # a corrected text is the same interview
    # a group again, with no speakers file (and a corrected text): the pseudonym, not the names in the text
    result = ok(run(project, "transcripts", "focus-group", "FG1"))
    assert result.stderr.strip() == "FG1: now a focus group of 1 participant: P7"
    assert participants(project) == {"P7": ["FG1"]}
    ok(run(project, "transcripts", "focus-group", "FG1", "--clear"))
    ok(run(project, "import", str(write(tmp_path, "FG1.txt", FG1)), "--replace", "--focus-group"))
    assert participants(project) == {"P7": ["FG1"]}


def test_back_to_an_interview_is_refused_while_several_speak(project, tmp_path):
    coded_interview(project, tmp_path)
    ok(run(project, "transcripts", "focus-group", "FG1"))
    before = (project.root / "project.json").read_bytes()
    for args in (["transcripts", "focus-group", "FG1", "--clear"],
                 ["import", str(write(tmp_path, "interviews.csv", "transcript,focus_group\nFG1,no\n"))]):
        result = run(project, *args)
        assert result.exit_code == 2
        assert "FG1: 3 participants speak in it (Anna, Ben, Cleo), and an interview has one" in result.stderr
    assert (project.root / "project.json").read_bytes() == before


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_converted_interview_is_the_group_an_import_with_focus_group_makes(project, tmp_path, style):
    text, expected = STYLES[style]
    ok(run(project, "import", str(write(tmp_path, "FG1.txt", text))))
    ok(run(project, "transcripts", "focus-group", "FG1"))
    other = Project.init(tmp_path / "other")
    ok(run(other, "import", str(write(tmp_path, "FG1.txt", text)), "--focus-group"))
    converted, imported = Project(project.root), Project(other.root)
    assert converted.transcript("FG1").speakers == imported.transcript("FG1").speakers
    assert set(converted.transcript("FG1").speakers.values()) == expected
    seg = imported.segments("FG1")
    a, b = Attribution(converted), Attribution(imported)
    for start in range(0, len(text), 7):
        for end in (start, start + 5, start + 40):
            assert a.span("FG1", start, end) == b.span("FG1", start, end)
    assert seg.turns == converted.segments("FG1").turns


@pytest.mark.parametrize("sample, speaker, quote", [
    ("interop/samples/qualcoder-focus-group.txt", "id2", "I am struggling with the lecture slides."),
    ("corpora/qc-demo/board_2017.txt", "Speaker 2", "this is refreshing to see that we are addressing a district goal"),
])
def test_real_multi_speaker_texts_made_groups_afterwards(project, shared, tmp_path, sample, speaker, quote):
    text = (shared / sample).read_bytes().decode("utf-8")
    coded_interview(project, tmp_path, text, [(quote, "noted")])
    on_disk = coders_on_disk(project)
    result = ok(run(project, "import", str(write(tmp_path, "interviews.csv", "transcript,focus_group\nFG1,yes\n"))))
    found = participants(project)
    assert result.stderr.startswith(f"FG1: now a focus group of {len(found)} participants: ")
    assert speaker in found and "FG1" not in found and "Moderator" not in found
    assert [p for _, p, _, _ in codings(project)] == [speaker]
    assert stats(project)["noted"]["participants"] == 1
    assert coders_on_disk(project) == on_disk


def test_import_without_files_describes_what_is_there_or_says_what_it_needs(project, tmp_path):
    coded_interview(project, tmp_path)
    result = run(project, "import")
    assert result.exit_code == 2 and "give the files to import, or --interviews" in result.stderr
    csv = write(tmp_path, "interviews.csv", "transcript,focus_group\nFG1,yes\n")
    result = run(project, "import", "--interviews", str(csv), "--interviewer", "Dana")
    assert result.exit_code == 2 and "--interviewer describes a file being imported" in result.stderr
    speakers = write(tmp_path, "speakers.csv", "transcript,label,participant\nFG1,Anna,P1\n")
    result = ok(run(project, "import", "--speakers", str(speakers)))  # a speakers file alone makes a group
    assert result.stderr.strip() == "FG1: now a focus group of 3 participants: P1, Ben, Cleo"
    people = write(tmp_path, "people.csv", "participant,gender\nP1,F\nBen,M\n")
    assert ok(run(project, "import", "--attributes", str(people))).stderr.strip() == "attributes of 2 participants"
    assert ok(run(project, "import", "--attributes", str(people))).stderr.startswith("nothing changed")
    rows = json.loads(ok(run(project, "participants", "--format", "json")).stdout)
    assert {r["participant"]: (r.get("gender"), r["transcripts"]) for r in rows} == {
        "P1": ("F", ["FG1"]), "Ben": ("M", ["FG1"]), "Cleo": (None, ["FG1"])}


NAMES = ["Anna", "Ben Okafor", "Chitra", "Speaker 3", "Li Wei", "P2"]
LINES = ["What helped?", "The tea.", "I came for the company, mostly.", "Why did you stay?", "No idea!",
         "We met on Tuesdays and it rained."]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns=st.lists(st.tuples(st.sampled_from(["Moderator", *NAMES]), st.sampled_from(LINES)), min_size=2, max_size=9),
       bracket=st.booleans(), spans=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 60)), max_size=6))
def test_converting_is_importing_as_a_group_whatever_the_speakers(tmp_path_factory, turns, bracket, spans):
    from workbench.errors import ImportRefused
    from workbench.importing import import_transcript, update_transcripts

    text = "".join((f"[{who}] {line}\n\n" if bracket else f"{who}: {line}\n\n") for who, line in turns)
    folder = tmp_path_factory.mktemp("many")
    source = write(folder, "FG1.txt", text)
    converted, fresh = Project.init(folder / "converted"), Project.init(folder / "fresh")
    import_transcript(converted, source)
    stored = converted.text("FG1")
    with converted.open_coder("alex") as coder:
        coder.add_code("c")
        for start, length in spans:
            start = min(start, len(stored) - 1)
            coder.add_coding("FG1", start, min(len(stored), start + length + 1), "c", stored[start:start + length + 1])
    on_disk = coders_on_disk(converted)
    try:
        import_transcript(fresh, source, focus_group=True)
    except ImportRefused as refusal:
        with pytest.raises(ImportRefused, match="no speaker labels besides"):
            update_transcripts(converted, {"FG1": {"focus_group": True}})
        assert "no speaker labels besides" in str(refusal)
        return
    said = update_transcripts(converted, {"FG1": {"focus_group": True}})
    assert said and said[0].startswith("FG1: now a focus group of")
    assert update_transcripts(Project(converted.root), {"FG1": {"focus_group": True}}) == []  # a rerun: nothing
    converted = Project(converted.root)
    assert converted.transcript("FG1").speakers == fresh.transcript("FG1").speakers
    a, b = Attribution(converted), Attribution(fresh)
    with converted.open_coder("alex", readonly=True) as coder:
        for coding in coder.codings():
            assert a.of(coding) == b.span("FG1", coding.start, coding.end)
    assert coders_on_disk(converted) == on_disk


def test_the_cached_turns_follow_a_new_participant(project, tmp_path):
    """Who the participant is decides who interviews (`Eve` known, the one other voice asks):
    a transcript whose participant changes (a group made an interview of one of its speakers,
    --replace --participant) is segmented again, not read from the cache made before."""
    source = write(tmp_path, "50001.txt", "Dan: We met on Tuesdays.\n\nEve: It rained a lot.\n")
    ok(run(project, "import", str(source), "--participant", "X"))

    def found(role):
        hits = json.loads(ok(run(project, "search", "We met on Tuesdays", "--role", role, "--format", "json")).stdout)
        return [h["context"] for h in hits if "Tuesdays" in h["context"]]

    assert found("participant") == ["We met on Tuesdays."]  # nobody is told apart as the interviewer
    ok(run(project, "import", str(source), "--replace", "--participant", "Eve"))
    assert found("participant") == [] and found("interviewer") == ["We met on Tuesdays."]
    assert {t.speaker: t.role for t in Project(project.root).segments("50001").turns} == {
        "Dan": "interviewer", "Eve": "participant"}


def test_interview_details_reach_the_sources_of_a_qdpx_imported_with_them(project, tmp_path):
    other = Project.init(tmp_path / "other")
    ok(run(other, "import", str(write(tmp_path, "50002.txt", "Interviewer: Hi?\n\nParticipant: Hello.\n"))))
    ok(run(other, "export", "qdpx", str(tmp_path / "study.qdpx")))
    ok(run(project, "import", str(write(tmp_path, "50001.txt", "Interviewer: Why?\n\nParticipant: Because.\n"))))
    csv = write(tmp_path, "interviews.csv", "transcript,date,interviewer\n50002,2025-05-06,Sam\n")
    result = ok(run(project, "import", str(tmp_path / "study.qdpx"), "--interviews", str(csv)))
    assert "no transcript" not in result.stderr
    info = Project(project.root).transcript("50002")
    assert (info.date, info.interviewer) == ("2025-05-06", "Sam")
