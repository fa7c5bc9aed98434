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
