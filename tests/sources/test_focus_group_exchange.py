"""Focus groups through REFI-QDA: each speaker a Case of the group's source, and back."""

from lxml import etree

from workbench.exchange.qde_writer import export_qdpx
from workbench.importing import import_transcript
from workbench.project import Project
from workbench.exchange.importer import import_exchange_file

NS = {"q": "urn:QDA-XML:project:1.0"}


def test_speakers_are_cases_of_the_group_source_and_come_back_as_a_focus_group(project, tmp_path):
    (tmp_path / "FG1.txt").write_text("Moderator: Why?\n\nAnna: Because.\n\nBen: Yes.\n", encoding="utf-8")
    (tmp_path / "50002.txt").write_text("Interviewer: Hello?\n\nParticipant: Hi.\n", encoding="utf-8")
    import_transcript(project, tmp_path / "FG1.txt", focus_group=True)
    import_transcript(project, tmp_path / "50002.txt")
    project.set_attributes({"Anna": {"gender": "F"}, "Ben": {"gender": "M"}})
    text = project.text("FG1")
    with project.open_coder("alex") as coder:
        coder.add_code("reasons")
        start = text.index("Because.")
        coder.add_coding("FG1", start, start + 8, "reasons", "Because.")
    export_qdpx(project, tmp_path / "study.qdpx")

    import zipfile

    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        root = etree.fromstring(archive.read("project.qde"))
    sources = {s.get("guid"): s.get("name") for s in root.iterfind(".//q:TextSource", NS)}
    cases = {c.get("name"): sorted(sources[r.get("targetGUID")] for r in c.iterfind("q:SourceRef", NS))
             for c in root.iterfind(".//q:Case", NS)}
    assert {name: [s.split(".")[0] for s in refs] for name, refs in cases.items()} == {
        "Anna": ["FG1"], "Ben": ["FG1"], "50002": ["50002"]}

    back = Project.init(tmp_path / "back")
    import_exchange_file(back, tmp_path / "study.qdpx", coder="alex")
    back = Project(back.root)
    group = back.transcript("FG1")
    assert group.kind == "focus_group" and back.transcript_participants(group) == ["Anna", "Ben"]
    assert back.transcript("50002").kind == "interview"
    assert back.participants()["Anna"] == {"gender": "F"}


def test_survey_answers_travel_as_sources_with_their_question(project, tmp_path):
    from workbench.sources.survey import plan_survey, store_survey

    (tmp_path / "answers.csv").write_text("respondent,gender,q7,q9\nR1,F,Cost: too high,Kind staff\nR2,M,Nothing,\n")
    store_survey(project, plan_survey(project, tmp_path / "answers.csv", "respondent", "q7,q9"))
    with project.open_coder("alex") as coder:
        coder.add_code("cost")
        coder.add_coding("R1.q7", 0, 14, "cost", "Cost: too high")
    export_qdpx(project, tmp_path / "survey.qdpx")
    back = Project.init(tmp_path / "back")
    import_exchange_file(back, tmp_path / "survey.qdpx", coder="alex")
    back = Project(back.root)
    answers = {t.id: (t.kind, t.participant, t.question) for t in back.transcripts()}
    assert answers == {"R1.q7": ("survey", "R1", "q7"), "R1.q9": ("survey", "R1", "q9"), "R2.q7": ("survey", "R2", "q7")}
    assert back.participants()["R1"] == {"gender": "F"}
    assert [(t.speaker, t.start, t.end) for t in back.segments("R1.q7").turns] == [(None, 0, 14)]
    with back.open_coder("alex", readonly=True) as coder:
        assert [(c.transcript, c.start, c.end) for c in coder.codings()] == [("R1.q7", 0, 14)]


# -- a pseudonymised group: the label -> participant map travels as each Case's turn selections -------

GROUP_1 = ("Moderator: What brought you here?\n\nAnna Smith: My sister told me.\n\nBen: The coffee, honestly.\n\n"
           "Moderator: And then?\n\nAnna Smith: I stayed. Ben stayed too.\n\nBen: We both did.\n")
GROUP_2 = ("Moderator: When did it get easier?\n\nANNA SMITH: After a month.\n\nDev: Never, for me.\n")
SPEAKERS = "transcript,label,participant\nFG1,Anna Smith,P1\nFG1,Ben,P2\nFG2,anna smith,P1\n"


def pseudonymised_study(project, tmp_path):
    from tests.sources.test_focus_group import run

    (tmp_path / "FG1.txt").write_text(GROUP_1, encoding="utf-8")
    (tmp_path / "FG2.txt").write_text(GROUP_2, encoding="utf-8")
    (tmp_path / "50002.txt").write_text("Interviewer: Hello?\n\nParticipant: Hi there.\n", encoding="utf-8")
    (tmp_path / "speakers.csv").write_text(SPEAKERS, encoding="utf-8")
    result = run(project, "import", str(tmp_path / "FG1.txt"), str(tmp_path / "FG2.txt"),
                 "--speakers", str(tmp_path / "speakers.csv"))
    assert result.exit_code == 0, result.output
    assert run(project, "import", str(tmp_path / "50002.txt")).exit_code == 0
    project = Project(project.root)
    project.set_attributes({"P1": {"gender": "F", "site": "north"}, "P2": {"gender": "M"}, "Dev": {"site": "south"},
                            "50002": {"gender": "F"}})
    spans = {  # (transcript, quote): what each coding covers
        "sister": ("FG1", "My sister told me."),
        "coffee to stayed": ("FG1", "The coffee, honestly.\n\nModerator: And then?\n\nAnna Smith: I stayed."),
        "moderator only": ("FG1", "And then?"),
        "both did": ("FG1", "We both did."),
        "month": ("FG2", "After a month."),
        "never": ("FG2", "Never, for me."),
        "hi": ("50002", "Hi there."),
    }
    with project.open_coder("alex") as coder:
        for name, (transcript, quote) in spans.items():
            coder.add_code(name)
            start = project.text(transcript).index(quote)
            coder.add_coding(transcript, start, start + len(quote), name, quote)
    return project


def attributed(project) -> dict[tuple, tuple]:
    from workbench.sources.attribution import Attribution

    who = Attribution(project)
    with project.open_coder("alex", readonly=True) as coder:
        return {(c.transcript, c.start, c.end, coder.codebook.path(c.code)): who.of(c) for c in coder.codings()}


def test_a_pseudonymised_focus_group_comes_back_with_its_speakers_and_attributions(project, tmp_path):
    project = pseudonymised_study(project, tmp_path)
    before = attributed(project)
    assert before[("FG1", GROUP_1.index("My sister"), GROUP_1.index("My sister") + 18, "sister")] == ("P1",)
    assert ("P2", "P1") in before.values() and ("P1", "P2") not in before.values()
    export_qdpx(project, tmp_path / "study.qdpx")

    back = Project.init(tmp_path / "back")
    result = import_exchange_file(back, tmp_path / "study.qdpx", coder="alex")
    back = Project(back.root)
    for tid in ("FG1", "FG2"):
        assert back.transcript(tid).kind == "focus_group"
        assert back.speakers(tid) == project.speakers(tid)
    assert back.speakers("FG1") == {"Anna Smith": "P1", "Ben": "P2"}
    assert back.speakers("FG2") == {"ANNA SMITH": "P1", "Dev": "Dev"}
    assert back.transcript("50002").kind == "interview" and back.transcript("50002").participant == "50002"
    assert attributed(back) == before
    assert back.participants() == project.participants()
    assert {p: back.transcript_participants(back.transcript(p)) for p in ("FG1", "FG2")} == {
        "FG1": ["P1", "P2"], "FG2": ["P1", "Dev"]}
    # the turn selections are neither codings nor "left out"
    report = result.report
    assert report.count("left out") == 0 and len(report.outcomes) == len(before)
    assert report.case_selections == 6
    assert "6 selections only mark where a case speaks" in report.text()


def test_the_exported_cases_link_their_turn_selections_and_validate(project, tmp_path, shared):
    import zipfile

    project = pseudonymised_study(project, tmp_path)
    export_qdpx(project, tmp_path / "study.qdpx")
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        root = etree.fromstring(archive.read("project.qde"))
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.startswith("sources/")}
    etree.XMLSchema(etree.parse(str(shared / "interop" / "Project.xsd"))).assertValid(root)
    selections = {}
    for source in root.iterfind(".//q:TextSource", NS):
        text = files["sources/" + source.get("plainTextPath").removeprefix("internal://")]
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            selections[selection.get("guid")] = (source.get("name"), text[start:end], selection)
    turns = {}
    for case in root.iterfind(".//q:Case", NS):
        for ref in case.iterfind("q:SelectionRef", NS):
            name, covered, selection = selections[ref.get("targetGUID")]
            assert selection.find("q:Coding", NS) is None and selection.get("name") == covered
            turns.setdefault(case.get("name"), []).append((name, covered))
    assert turns == {
        "P1": [("FG1", "Anna Smith: My sister told me."), ("FG1", "Anna Smith: I stayed. Ben stayed too."),
               ("FG2", "ANNA SMITH: After a month.")],
        "P2": [("FG1", "Ben: The coffee, honestly."), ("FG1", "Ben: We both did.")],
        "Dev": [("FG2", "Dev: Never, for me.")]}
