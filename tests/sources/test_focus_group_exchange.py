"""Focus groups through REFI-QDA: each speaker a Case of the group's source and of their turns
(selections without coding), and back, pseudonyms and all."""

import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from lxml import etree

from tests.exchange.exchange_helpers import write_zip
from tests.sources.test_focus_group import run
from workbench.cli.main import cli
from workbench.exchange.importer import import_exchange_file
from workbench.exchange.qde_writer import export_qdpx
from workbench.exchange.refi import label
from workbench.importing import import_transcript
from workbench.project import Project
from workbench.sources.attribution import Attribution
from workbench.transcripts.normalise import normalise
from workbench.transcripts.segment import segment

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


@pytest.mark.parametrize("sample", ["interop/samples/qualcoder-focus-group.txt", "corpora/qc-demo/board_2017.txt"])
def test_real_groups_pseudonymised_come_back_the_same(project, shared, tmp_path, sample):
    (tmp_path / "FG1.txt").write_bytes((shared / sample).read_bytes())
    import_transcript(project, tmp_path / "FG1.txt", focus_group=True)
    labels = list(project.speakers("FG1"))
    import_transcript(project, tmp_path / "FG1.txt", focus_group=True, replace=True,
                      speakers={label: f"P{i}" for i, label in enumerate(labels) if i % 3})  # some keep their label
    text = project.text("FG1")
    turns = project.segments("FG1").turns
    with project.open_coder("alex") as coder:
        coder.add_code("across")
        for before, after in zip(turns, turns[1:]):  # each coding across a change of speaker
            start, end = max(before.end - 3, before.start), min(after.start + 3, after.end)
            if start < end:
                coder.add_code(f"at {start}")
                coder.add_coding("FG1", start, end, f"at {start}", text[start:end])
    before = attributed(project)
    export_qdpx(project, tmp_path / "study.qdpx")
    back = Project.init(tmp_path / "back")
    result = import_exchange_file(back, tmp_path / "study.qdpx", coder="alex")
    back = Project(back.root)
    assert back.transcript("FG1").kind == "focus_group" and back.speakers("FG1") == project.speakers("FG1")
    assert attributed(back) == before and len(before) > 5
    assert back.participants() == project.participants()
    assert not result.report.doubtful and not result.report.case_notes


CRAFTED_TEXT = "Moderator: Why did you come?\r\n\r\nAnna: My sister.\r\n\r\nBen: The coffee.\r\n\r\nAnna: And I stayed.\r\n"
G = "{:08x}-0000-4000-8000-{:012x}".format


def crafted_group(tmp_path, refs: dict[str, list[str]], selections: list[tuple[str, int, int, bool]],
                  names=("P1", "P2")):
    """A .qdpx as another program might write a focus group: a CRLF source (positions count
    each CRLF as two), Cases (`names`) linked to it, `selections` (guid, start, end, coded)
    in it, one more in a second source and one inside a note; `refs`: case -> selection guids."""
    body = []
    for guid, start, end, coded in selections:
        coding = (f'<Coding guid="{G(9, start)}"><CodeRef targetGUID="{G(3, 1)}"/></Coding>' if coded else "")
        body.append(f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}">{coding}'
                    "</PlainTextSelection>")
    cases = "".join(
        f'<Case guid="{G(5, i)}" name="{name}"><SourceRef targetGUID="{G(1, 1)}"/>'
        + "".join(f'<SelectionRef targetGUID="{r}"/>' for r in refs.get(name, ())) + "</Case>"
        for i, name in enumerate(names))
    qde = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="crafted" origin="SomeQDA 1.0">
  <CodeBook><Codes><Code guid="{G(3, 1)}" name="reasons" isCodable="true"/></Codes></CodeBook>
  <Cases>{cases}</Cases>
  <Sources>
    <TextSource guid="{G(1, 1)}" name="FG1" plainTextPath="internal://{G(1, 1)}.txt">{''.join(body)}</TextSource>
    <TextSource guid="{G(1, 2)}" name="50009" plainTextPath="internal://{G(1, 2)}.txt">
      <PlainTextSelection guid="{G(7, 2)}" startPosition="0" endPosition="5"/></TextSource>
  </Sources>
  <Notes><Note guid="{G(8, 1)}" name="a note"><PlainTextContent>see</PlainTextContent>
    <PlainTextSelection guid="{G(7, 3)}" startPosition="0" endPosition="3"/></Note></Notes>
</Project>"""
    return write_zip(tmp_path / "crafted.qdpx", {
        "project.qde": qde, f"sources/{G(1, 1)}.txt": CRAFTED_TEXT.encode("utf-8"),
        f"sources/{G(1, 2)}.txt": "Participant: Hello there.\n".encode("utf-8")})


def test_a_case_link_that_cannot_be_used_is_named_in_the_report_never_a_crash(tmp_path):
    first = CRAFTED_TEXT.index("Anna: My sister.")
    ben = CRAFTED_TEXT.index("Ben: The coffee.")
    last = CRAFTED_TEXT.index("Anna: And I stayed.")
    path = crafted_group(tmp_path, refs={
        "P1": [G(6, 1), G(6, 3), G(7, 99), G(7, 3), "not-a-guid"],
        "P2": [G(6, 2), G(7, 2), G(6, 4)]}, selections=[
        (G(6, 1), first, first + 16, False), (G(6, 2), ben, ben + 16, True), (G(6, 3), last, last + 19, False),
        (G(6, 4), 5000, 5010, False)])
    new = tmp_path / "back"
    result = CliRunner().invoke(cli, ["-p", str(new), "--coder", "me", "import", "--strict", str(path)])
    assert result.exit_code == 0, result.output
    project = Project(new)
    group = project.transcript("FG1")
    assert group.kind == "focus_group" and project.speakers("FG1") == {"Anna": "P1", "Ben": "P2"}
    assert project.transcript("50009").kind == "interview"
    with project.open_coder("me", readonly=True) as coder:  # the coded selection P2 also references
        assert [project.text("FG1")[c.start:c.end] for c in coder.codings()] == ["Ben: The coffee."]
    assert "4 selections only mark where a case speaks" in result.output
    assert "case links not used (5):" in result.output
    for why in (f"case 'P1': selection '{G(7, 99)}' was ignored: the file holds no such selection",
                f"case 'P1': selection '{G(7, 3)}' was ignored: it is a selection of a Note, which Workbench does "
                "not import",
                "case 'P1': selection 'not-a-guid' was ignored: its target is not a GUID",
                f"case 'P2': selection '{G(7, 2)}' was ignored: it is in source '50009', which the case is not linked "
                "to (no SourceRef)",
                f"case 'P2': selection '{G(6, 4)}' was ignored: it could not be placed in 'FG1': positions 5000-5010 "
                "are outside the source"):
        assert why in result.output


def test_a_selection_that_holds_several_speakers_says_nothing_of_who_speaks(tmp_path):
    whole = (G(6, 1), 0, len(CRAFTED_TEXT), False)
    path = crafted_group(tmp_path, refs={"P1": [G(6, 1)], "P2": [G(6, 1)]}, selections=[whole])
    back = Project.init(tmp_path / "back")
    result = import_exchange_file(back, path, coder="me")
    back = Project(back.root)
    assert back.transcript("FG1").kind == "interview"  # as before: one participant's, the last Case's
    assert result.report.case_selections == 1  # and not among the outcomes (the other source's one is)
    assert [o.source for o in result.report.outcomes] == ["50009"]
    assert any("did not tell its speakers apart" in note for note in result.report.case_notes)


def test_a_selection_over_part_of_a_turn_is_where_its_case_speaks(tmp_path):
    # another program's case selections: a few words of a turn, one reaching into the next label
    anna = CRAFTED_TEXT.index("sister")
    ben = CRAFTED_TEXT.index("coffee")
    path = crafted_group(tmp_path, refs={"P1": [G(6, 1)], "P2": [G(6, 2)]}, selections=[
        (G(6, 1), anna, anna + 6, False), (G(6, 2), ben, CRAFTED_TEXT.index("And I"), False)])
    back = Project.init(tmp_path / "back")
    result = import_exchange_file(back, path, coder="me")
    back = Project(back.root)
    assert back.transcript("FG1").kind == "focus_group" and back.speakers("FG1") == {"Anna": "P1", "Ben": "P2"}
    assert result.report.case_selections == 2 and not result.report.case_notes


def test_cases_named_like_the_labels_still_make_a_group_without_selections(tmp_path):
    path = crafted_group(tmp_path, refs={}, selections=[], names=("anna", "Ben"))
    back = Project.init(tmp_path / "back")
    result = import_exchange_file(back, path, coder="me")
    back = Project(back.root)
    assert back.transcript("FG1").kind == "focus_group" and back.speakers("FG1") == {"Anna": "anna", "Ben": "Ben"}
    assert not result.report.case_notes and result.report.case_selections == 0


# -- any group, any text: the turn selections count positions as the codings do ---------------------

WORDS = st.lists(st.sampled_from(list("abc xyz.,é") + ["e\u0301", "😕", "漢", "ß", "\u00a0"]),
                 min_size=1, max_size=12).map("".join).filter(lambda s: s.strip(" \u00a0"))
LABELS = ["Anna", "Ben Okafor", "chitra", "Speaker 7"]


@st.composite
def groups(draw):
    turns = draw(st.lists(st.tuples(st.sampled_from(["Moderator"] + LABELS), WORDS), min_size=2, max_size=8))
    spoken = {label for label, _ in turns if label != "Moderator"}
    if not spoken:
        turns.append((LABELS[0], "yes"))
        spoken = {LABELS[0]}
    mapping = {label: draw(st.sampled_from(["P1", "P2", "P3", None])) for label in sorted(spoken)}
    line_end = draw(st.sampled_from(["\n\n", "\r\n\r\n", "\n"]))
    bom = draw(st.booleans())
    raw = ("\ufeff" if bom else "") + line_end.join(f"{label}: {words}" for label, words in turns) + line_end
    codings = draw(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), max_size=4))
    return raw, {k: v for k, v in mapping.items() if v}, codings


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=groups())
def test_turn_selections_cover_each_turn_of_the_exported_text_and_bring_the_group_back(tmp_path_factory, case):
    raw, mapping, spans = case
    folder = tmp_path_factory.mktemp("group")
    project = Project.init(folder / "study")
    (folder / "FG1.txt").write_bytes(raw.encode("utf-8"))
    turns = segment(normalise(raw), participant="FG1").turns
    spoken = {t.speaker for t in turns if t.speaker is not None and t.role != "interviewer"}
    assume(spoken)  # a group (of one speaker, too), with the labels the segmenter finds
    import_transcript(project, folder / "FG1.txt", focus_group=True,
                      speakers={k: v for k, v in mapping.items() if k in spoken})
    text = project.text("FG1")
    with project.open_coder("alex") as coder:
        coder.add_code("c")
        for a, b in spans:
            start, end = sorted((int(a * len(text)), int(b * len(text))))
            if start < end:
                coder.add_coding("FG1", start, end, "c", text[start:end])
    before = attributed(project)
    export_qdpx(project, folder / "study.qdpx")
    with zipfile.ZipFile(folder / "study.qdpx") as archive:
        root = etree.fromstring(archive.read("project.qde"))
        source = root.find(".//q:TextSource", NS)
        exported = archive.read("sources/" + source.get("plainTextPath").removeprefix("internal://")).decode("utf-8")
    selections = {s.get("guid"): s for s in source.iterfind("q:PlainTextSelection", NS)}
    speaks = {}
    for case_element in root.iterfind(".//q:Case", NS):
        for ref in case_element.iterfind("q:SelectionRef", NS):
            selection = selections[ref.get("targetGUID")]
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert selection.get("name") == label(exported[start:end])  # code points of the file, as the codings
            speaks[(start, end)] = case_element.get("name")
    turns = [t for t in project.segments("FG1").turns if t.role != "interviewer" and t.speaker is not None]
    assert speaks == {(t.label_start, t.end): project.speakers("FG1")[t.speaker] for t in turns}

    back = Project.init(folder / "back")
    result = import_exchange_file(back, folder / "study.qdpx", coder="alex")
    back = Project(back.root)
    assert back.transcript("FG1").kind == "focus_group"
    assert back.speakers("FG1") == project.speakers("FG1")
    assert attributed(back) == before
    assert not result.report.doubtful and not result.report.case_notes


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=groups())
def test_turn_selections_cover_each_turn_of_the_exported_text_and_bring_the_group_back_thoroughly(tmp_path_factory, case):
    test_turn_selections_cover_each_turn_of_the_exported_text_and_bring_the_group_back.hypothesis.inner_test(
        tmp_path_factory, case)
