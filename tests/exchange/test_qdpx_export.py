"""`workbench export qdpx`: a zip with project.qde valid against Project.xsd and one UTF-8
text source per transcript, everything the study holds, and the same GUIDs every time."""

from __future__ import annotations

import re
import zipfile

from click.testing import CliRunner
from lxml import etree

from exchange_helpers import NS
from workbench.cli.main import cli
from workbench.exchange.qde_writer import export_qdpx


def read_qde(path):
    with zipfile.ZipFile(path) as archive:
        return archive.namelist(), etree.fromstring(archive.read("project.qde")), archive


def test_export_validates_and_has_flat_sources(study, tmp_path, schema):
    out = tmp_path / "study.qdpx"
    assert export_qdpx(study, out) == []
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        root = etree.fromstring(archive.read("project.qde"))
        schema("Project.xsd").assertValid(root)
        sources = root.findall("q:Sources/q:TextSource", NS)
        assert [s.get("name") for s in sources] == ["50002", "50007_3"]
        for source in sources:
            path = source.get("plainTextPath")
            assert re.fullmatch(r"internal://[0-9a-f-]{36}\.txt", path)
            assert path == f"internal://{source.get('guid')}.txt"
            data = archive.read(f"sources/{source.get('guid')}.txt")
            assert data.decode("utf-8") == study.text(source.get("name"))
    assert all(n == "project.qde" or re.fullmatch(r"sources/[^/]+\.txt", n) for n in names)


def test_selections_use_code_point_positions(study, tmp_path):
    out = tmp_path / "study.qdpx"
    export_qdpx(study, out)
    _, root, _ = read_qde(out)
    text = study.text("50002")
    source = root.find("q:Sources/q:TextSource[@name='50002']", NS)
    spans = [(int(s.get("startPosition")), int(s.get("endPosition")), s.get("name"))
             for s in source.findall("q:PlainTextSelection", NS)]
    assert len(spans) == 2
    for start, end, name in spans:
        assert text[start:end] == name  # code points: the smart quotes and the emoji count one each
    assert any("😕" in name for _, _, name in spans)


def test_users_codes_notes_cases(study, tmp_path):
    out = tmp_path / "study.qdpx"
    export_qdpx(study, out)
    _, root, _ = read_qde(out)
    users = {u.get("name"): u.get("guid") for u in root.findall("q:Users/q:User", NS)}
    assert set(users) == {"alex", "sam"}
    codes = {c.get("name"): c for c in root.iter(f"{{{NS['q']}}}Code")}
    # a code both coders have is one Code; categories and themes without codings are not codable
    assert sorted(codes) == ["barriers", "belonging", "boundaries", "facilitators", "trusted with keys", "unclear role"]
    assert codes["facilitators"].get("isCodable") == "false"
    assert codes["belonging"].get("isCodable") == "false"
    assert codes["belonging"].get("color") == "#123456"
    assert codes["trusted with keys"].get("isCodable") == "true"
    assert codes["trusted with keys"].findtext("q:Description", namespaces=NS) == "being trusted"
    assert [c.get("name") for c in codes["facilitators"].findall("q:Code", NS)] == ["belonging"]
    codings = root.findall(".//q:PlainTextSelection/q:Coding", NS)
    assert {c.get("creatingUser") for c in codings} == {users["alex"], users["sam"]}
    notes = {n.get("guid"): n for n in root.findall("q:Notes/q:Note", NS)}
    texts = {n.findtext("q:PlainTextContent", namespaces=NS) for n in notes.values()}
    assert {"Field notes: quiet room, good rapport.", "Role confusion at the start.",
            "they gave me a key to the cabinet on day one."} <= texts
    # memos hang where they belong, where QualCoder, NVivo and MAXQDA read them
    source = root.find("q:Sources/q:TextSource[@name='50002']", NS)
    assert source.findtext("q:Description", namespaces=NS) == "Field notes: quiet room, good rapport."
    transcript_refs = source.findall("q:NoteRef", NS)
    assert notes[transcript_refs[0].get("targetGUID")].findtext("q:PlainTextContent", namespaces=NS).startswith("Field")
    memos = [s.findtext("q:Description", namespaces=NS) for s in source.findall("q:PlainTextSelection", NS)]
    assert "the emoji is the participant's own" in memos
    code_refs = codes["unclear role"].findall("q:NoteRef", NS)
    assert notes[code_refs[0].get("targetGUID")].findtext("q:PlainTextContent", namespaces=NS).startswith("Role")
    project_refs = root.findall("q:NoteRef", NS)
    journal = notes[project_refs[0].get("targetGUID")]
    assert journal.get("name") == "Week 1" and journal.find("q:PlainTextContent", NS) is None
    with zipfile.ZipFile(out) as archive:
        assert archive.read("sources/" + journal.get("plainTextPath").split("://")[1]) == \
            b"Decided to keep the macro-categories."
    stamps = [v for e in root.iter() for k, v in e.attrib.items() if k.endswith("DateTime")]
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v) for v in stamps)
    cases = {c.get("name"): c for c in root.findall("q:Cases/q:Case", NS)}
    assert set(cases) == {"50002", "50007"}
    variables = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    values = {variables[v.find("q:VariableRef", NS).get("targetGUID")]: v.findtext("q:TextValue", namespaces=NS)
              for v in cases["50002"].findall("q:VariableValue", NS)}
    assert values == {"age": "41", "gender": "woman"}
    assert len(cases["50007"].findall("q:SourceRef", NS)) == 1


def test_guids_are_stable(study, tmp_path):
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    export_qdpx(study, first)
    export_qdpx(study, second)
    guids = []
    for path in (first, second):
        _, root, _ = read_qde(path)
        guids.append(sorted(v for e in root.iter() for k, v in e.attrib.items() if k in ("guid", "targetGUID")))
    assert guids[0] == guids[1]
    assert len(set(guids[0])) > 20


def test_xml_forbidden_characters_still_validate(study, tmp_path, schema):
    with study.open_coder("alex") as alex:
        alex.set_memo("transcript", "50007_3", "a form feed \x0c and an escape \x1b in a memo")
    out = tmp_path / "study.qdpx"
    export_qdpx(study, out)
    with zipfile.ZipFile(out) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        schema("Project.xsd").assertValid(root)
        note = [n for n in root.findall("q:Notes/q:Note", NS) if n.get("name") == "Memo: 50007_3"][0]
        member = "sources/" + note.get("plainTextPath").split("://")[1]
        assert archive.read(member).decode() == "a form feed \x0c and an escape \x1b in a memo"


def test_cli_export_qdpx_and_only_some_coders(study, tmp_path, schema):
    out = tmp_path / "sam.qdpx"
    result = CliRunner().invoke(cli, ["-p", str(study.root), "export", "qdpx", str(out), "--coders", "sam"])
    assert result.exit_code == 0, result.output
    _, root, _ = read_qde(out)
    schema("Project.xsd").assertValid(root)
    assert [u.get("name") for u in root.findall("q:Users/q:User", NS)] == ["sam"]
    assert len(root.findall(".//q:PlainTextSelection", NS)) == 1
    missing = CliRunner().invoke(cli, ["-p", str(study.root), "export", "qdpx", str(out), "--coders", "nobody"])
    assert missing.exit_code == 2 and "no coder nobody" in missing.output


def test_empty_project_exports_valid_file(tmp_path, schema):
    from workbench.project import Project

    project = Project.init(tmp_path / "empty")
    export_qdpx(project, tmp_path / "empty.qdpx")
    _, root, _ = read_qde(tmp_path / "empty.qdpx")
    schema("Project.xsd").assertValid(root)
