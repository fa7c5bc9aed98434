"""The codebook as .qdc (export valid against Codebook.xsd, import into a coder's codebook,
and `codes copy` to start every coder from it), and CSV of codings and of the codebook."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from exchange_helpers import SAMPLES, needs_interop
from lxml import etree

from workbench.cli.main import cli
from workbench.exchange.codebook_xml import export_qdc
from workbench.exchange.importer import import_exchange_file
from workbench.exchange.tables import CODING_COLUMNS, export_csv
from workbench.project import Project

CB = {"c": "urn:QDA-XML:codebook:1.0"}


def run(project, *args):
    result = CliRunner().invoke(cli, ["-p", str(project.root), *args])
    assert result.exit_code == 0, result.output
    return result


def test_qdc_export_is_valid_and_merged(study, tmp_path, schema):
    out = tmp_path / "codebook.qdc"
    assert export_qdc(study, out) == 6
    root = etree.parse(str(out)).getroot()
    schema("Codebook.xsd").assertValid(root)
    codes = {c.get("name"): c for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")}
    assert codes["facilitators"].get("isCodable") == "false"
    assert codes["unclear role"].get("isCodable") == "true"
    assert codes["facilitators"].findtext("c:Description", namespaces=CB) == "what helped"


def test_qdc_round_trip_into_a_new_coder_then_codes_copy(study, tmp_path):
    out = tmp_path / "codebook.qdc"
    run(study, "export", "qdc", str(out))
    fresh = Project.init(tmp_path / "fresh")
    run(fresh, "--coder", "lead", "import", str(out))
    with fresh.open_coder("lead", readonly=True) as lead:
        paths = {lead.codebook.path(c.id): c for c in lead.codes()}
    assert set(paths) == {"facilitators", "facilitators/belonging", "facilitators/belonging/trusted with keys",
                          "barriers", "barriers/unclear role", "boundaries"}
    assert paths["facilitators"].kind == "category"
    assert paths["facilitators/belonging"].kind == "theme" and paths["facilitators/belonging"].color == "#123456"
    assert paths["barriers/unclear role"].kind == "subtheme"
    assert paths["facilitators/belonging/trusted with keys"].description == "being trusted"
    run(fresh, "codes", "copy", "--from", "lead", "--to", "second")
    with fresh.open_coder("second", readonly=True) as second:
        assert len(second.codebook) == 6
    # importing it again adds nothing
    result = run(fresh, "--coder", "lead", "import", str(out))
    assert "0 of 6 codes were new" in result.output


def test_qdc_import_keeps_existing_codes(study, tmp_path):
    out = tmp_path / "codebook.qdc"
    export_qdc(study, out, coders=["sam"])
    with study.open_coder("alex") as alex:
        before = {c.id for c in alex.codes()}
    result = import_exchange_file(study, out, coder="alex")
    with study.open_coder("alex", readonly=True) as alex:
        assert before <= {c.id for c in alex.codes()}
        assert alex.code("boundaries").kind == "code"
    assert "1 of 4 codes were new" in result.summary


def test_a_project_file_is_accepted_as_a_codebook(tmp_path):
    needs_interop()
    import zipfile

    qde = tmp_path / "atlas.qdc"
    qde.write_bytes(zipfile.ZipFile(SAMPLES / "atlasti-23-codebook-only.qdpx").read("project.qde"))
    project = Project.init(tmp_path / "p")
    import_exchange_file(project, qde, coder="me")
    with project.open_coder("me", readonly=True) as me:
        assert sorted(me.codebook.path(c.id) for c in me.codes())[0] == "Commits"
        assert len(me.codebook) == 3


def read_rows(path):
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # no BOM: R's read.csv would mangle the first name
    assert b"\r\n" in data
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_codings_csv(study, tmp_path):
    out = tmp_path / "codings.csv"
    assert export_csv(study, out) == 3
    rows = read_rows(out)
    assert list(rows[0]) == CODING_COLUMNS
    by_text = {r["text"]: r for r in rows}
    emoji = next(r for r in rows if "😕" in r["text"])
    assert emoji["coder"] == "alex" and emoji["code_path"] == "barriers/unclear role"
    assert emoji["participant"] == "50002" and emoji["wave"] == "1" and emoji["transcript"] == "50002"
    assert study.text("50002")[int(emoji["start"]):int(emoji["end"])] == emoji["text"]
    assert emoji["memo"] == "the emoji is the participant's own"
    keys = next(r for r in rows if r["corrected"])
    assert keys["corrected"] == "they gave me a key to the cabinet on day one." and keys["exemplar"] == "TRUE"
    assert by_text["I set boundaries."]["transcript"] == "50007_3" and by_text["I set boundaries."]["wave"] == "3"


def test_codebook_csv_and_bom_option(study, tmp_path):
    out = tmp_path / "codebook.csv"
    run(study, "export", "csv", str(out), "--what", "codebook")
    rows = read_rows(out)
    alex = [r for r in rows if r["coder"] == "alex"]
    assert [r["path"] for r in alex][:3] == ["barriers", "barriers/unclear role", "facilitators"]
    role = next(r for r in alex if r["code"] == "unclear role")
    assert (role["kind"], role["codable"], role["codings"], role["parent_path"]) == ("subtheme", "TRUE", "1", "barriers")
    excel = tmp_path / "excel.csv"
    run(study, "export", "csv", str(excel), "--bom")
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")


def test_codings_csv_reads_in_pandas(study, tmp_path):
    pandas = pytest.importorskip("pandas")
    out = tmp_path / "codings.csv"
    export_csv(study, out)
    frame = pandas.read_csv(out)
    assert list(frame.columns) == CODING_COLUMNS
    assert len(frame) == 3
    assert frame["exemplar"].dtype == bool
    assert "😕" in "".join(frame["text"])


TAGUETTE_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.5.2"><Codes>
<Code guid="5E5B8A4F-1B1A-5A8F-9E0C-1C3E8B0F2A11" name="interesting" isCodable="true"></Code>
<Code guid="6F6C9B50-2C2B-5B90-8F1D-2D4F9C103B22" name="people.family" isCodable="true"></Code>
</Codes><Sets></Sets></CodeBook>"""


def test_taguette_qdc_with_an_empty_sets_imports_with_a_warning(tmp_path):
    project = Project.init(tmp_path / "p")
    path = tmp_path / "taguette.qdc"
    path.write_text(TAGUETTE_QDC, encoding="utf-8")
    warnings = import_exchange_file(project, path, coder="me")
    assert any("empty <Sets/>" in w for w in warnings)
    with project.open_coder("me", readonly=True) as me:
        assert sorted(c.name for c in me.codes()) == ["interesting", "people.family"]


def test_codebook_csv_is_what_taguette_imports(study, tmp_path):
    # Taguette's import_codebook.list_tags_csv: the header lowercased holds exactly one of tag, name,
    # path (the tag's path), and description if there is one; every path is 1 to 200 characters
    out = tmp_path / "codebook.csv"
    export_csv(study, out, what="codebook")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    header = [cell.lower() for cell in rows[0]]
    assert [c for c in header if c in ("tag", "name", "path")] == ["path"] and "description" in header
    paths = [row[header.index("path")] for row in rows[1:]]
    assert "facilitators/belonging/trusted with keys" in paths and all(0 < len(p) <= 200 for p in paths)
    descriptions = {row[header.index("path")]: row[header.index("description")] for row in rows[1:]}
    assert descriptions["facilitators"] == "what helped"


def test_control_characters_in_definitions_are_kept_visible(study, tmp_path, schema):
    with study.open_coder("alex") as alex:
        alex.set_code("barriers", description="bell \x07 and escape \x1b[31m here")
    out = tmp_path / "codebook.qdc"
    result = run(study, "export", "qdc", str(out))
    assert "control characters" in result.output
    root = etree.parse(str(out)).getroot()
    schema("Codebook.xsd").assertValid(root)
    barriers = next(c for c in root.iter("{urn:QDA-XML:codebook:1.0}Code") if c.get("name") == "barriers")
    assert barriers.findtext("c:Description", namespaces=CB) == "bell ␇ and escape ␛[31m here"
    # and C1 controls, which XML can carry, arrive as visible symbols, with a warning
    qdc = tmp_path / "c1.qdc"
    qdc.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="11111111-1111-1111-1111-'
                   '111111111111" name="csi\x9b31m" isCodable="true"><Description>a\x85b</Description></Code>'
                   "</Codes></CodeBook>", encoding="utf-8")
    project = Project.init(tmp_path / "c1")
    warnings = import_exchange_file(project, qdc, coder="me")
    assert any("visible symbols" in w for w in warnings)
    with project.open_coder("me", readonly=True) as me:
        code = me.codes()[0]
        assert "\x9b" not in code.name and "\x85" not in code.description and "31m" in code.name


@pytest.mark.parametrize("namespace", ["urn:QDA-XML:codebook:1:0", "urn:QDA-XML:codebook:0:4"])
def test_codebooks_in_the_namespaces_nvivo_and_atlas_ti_write(tmp_path, namespace):
    # NVivo 12 for Mac writes urn:QDA-XML:codebook:1:0, ATLAS.ti has written ...:0:4
    qdc = tmp_path / "nvivo.qdc"
    qdc.write_text(f'<?xml version="1.0" encoding="UTF-8" standalone="no" ?><CodeBook origin="NVivo 12 For Mac" '
                   f'xmlns="{namespace}"><Codes><Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" '
                   'isCodable="false" name="Barriers"><Code guid="2FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" '
                   'isCodable="true" name="Role"><Description>unclear roles</Description></Code></Code>'
                   "</Codes></CodeBook>", encoding="utf-8")
    project = Project.init(tmp_path / "p")
    import_exchange_file(project, qdc, coder="me")
    with project.open_coder("me", readonly=True) as me:
        role = me.code("Barriers/Role")
        assert role.description == "unclear roles"
