"""The files other programs wrote (interop/samples) import with their codes, sources and
codings. Counts were taken from the files themselves (elements in project.qde)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from exchange_helpers import SAMPLES, needs_interop

from workbench.cli.main import cli
from workbench.exchange.importer import import_exchange_file
from workbench.project import Project

# sample: ({coder: codings}, codes, transcripts) — from <User>, <Coding>, <Code> and <TextSource> in project.qde
EXPECTED = {
    "atlasti-23-codebook-only.qdpx": ({"Enric_Llagostera": 0, "ATLAS.ti": 0}, 3, 0),
    "nvivo-mac-15.qdpx": ({"chrisp": 0, "cp": 0}, 262, 2),
    "qc-1.3.2-demo.qdpx": ({"cp": 205}, 262, 2),
}


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_sample_imports_with_exact_counts(sample, tmp_path):
    needs_interop()
    coders, codes, transcripts = EXPECTED[sample]
    project = Project.init(tmp_path / "p")
    result = import_exchange_file(project, SAMPLES / sample, coder="importer")
    assert set(project.coders()) == set(coders)
    assert len(project.transcripts()) == transcripts
    for name, codings in coders.items():
        with project.open_coder(name, readonly=True) as coder:
            assert len(coder.codebook) == codes
            assert len(coder.codings()) == codings
    assert "imported" in result.summary


def test_qc_codings_land_on_the_text_they_coded(tmp_path):
    needs_interop()
    project = Project.init(tmp_path / "p")
    import_exchange_file(project, SAMPLES / "qc-1.3.2-demo.qdpx", coder="importer")
    assert {t.id for t in project.transcripts()} == {"board_2017", "admin-1"}
    with project.open_coder("cp", readonly=True) as cp:
        codings = cp.codings()
        first = min((c for c in codings if c.transcript == "board_2017"), key=lambda c: c.start)
        assert (first.start, first.end) == (320, 400)
        assert first.text.startswith("This district goal is engage every student")
        assert cp.codebook.path(first.code) == "rq2_curriculum_and_instruction/pedagogy/fun"
        for c in codings:
            assert c.text == project.text(c.transcript)[c.start:c.end]
        # the same name under two parents stays two codes
        assert len([c for c in cp.codes() if c.name == "programming"]) == 2


def test_nvivo_sources_without_text_are_imported_with_a_warning(tmp_path):
    needs_interop()
    project = Project.init(tmp_path / "p")
    warnings = import_exchange_file(project, SAMPLES / "nvivo-mac-15.qdpx", coder="importer")
    assert sum("has no text" in w for w in warnings) == 2
    with project.open_coder("chrisp", readonly=True) as chrisp:
        assert chrisp.codebook.path(chrisp.code("rq1_definition/competencies/programming").id) == \
            "rq1_definition/competencies/programming"


def test_cli_import_of_a_sample(tmp_path):
    needs_interop()
    project = Project.init(tmp_path / "p")
    result = CliRunner().invoke(cli, ["-p", str(project.root), "--coder", "me", "import",
                                      str(SAMPLES / "qc-1.3.2-demo.qdpx")])
    assert result.exit_code == 0, result.output
    assert "205 codings" in result.output
    listing = CliRunner().invoke(cli, ["-p", str(project.root), "--coder", "cp", "codings", "--format", "json"])
    assert listing.output.count('"coding_id"') == 0 and listing.output.count('"id"') == 205


def test_importing_the_same_file_twice_adds_nothing_new(tmp_path):
    needs_interop()
    project = Project.init(tmp_path / "p")
    import_exchange_file(project, SAMPLES / "qc-1.3.2-demo.qdpx", coder="importer")
    warnings = import_exchange_file(project, SAMPLES / "qc-1.3.2-demo.qdpx", coder="importer")
    assert any("205 codings of cp were already in their file" in w for w in warnings)
    with project.open_coder("cp", readonly=True) as cp:
        assert len(cp.codings()) == 205 and len(cp.codebook) == 262


def selections_in(sample: str):
    """(source name, user guid, text) of every PlainTextSelection, read here from the XML and the
    source files: positions in code points after the byte-order mark, as REFI-QDA says."""
    import unicodedata
    import zipfile

    from lxml import etree

    ns = {"q": "urn:QDA-XML:project:1.0"}
    with zipfile.ZipFile(SAMPLES / sample) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        found = []
        for source in root.iterfind(".//q:TextSource", ns):
            member = "sources/" + source.get("plainTextPath").split("://")[-1]
            raw = archive.read(member).decode("utf-8").removeprefix("\ufeff")
            for selection in source.iterfind("q:PlainTextSelection", ns):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                text = unicodedata.normalize("NFC", raw[start:end].replace("\r\n", "\n"))
                found.append((source.get("name"), selection.get("creatingUser"), text, selection.get("name")))
    return found, {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", ns)}


def test_qualcoder_reexport_imports_every_selection_exactly(tmp_path):
    needs_interop()
    project = Project.init(tmp_path / "p")
    result = import_exchange_file(project, SAMPLES / "qualcoder-4.0b-reexport.qdpx", coder="importer")
    expected, users = selections_in("qualcoder-4.0b-reexport.qdpx")
    assert len(expected) == 21
    report = result.report
    assert (report.count("exact"), len(report.outcomes)) == (21, 21) and not report.doubtful
    assert all(" ".join(text.split()) == " ".join(name.split()) for _, _, text, name in expected)
    got = []
    for coder in project.coders():
        with project.open_coder(coder, readonly=True) as c:
            got += [(x.transcript, coder, x.text) for x in c.codings()]
    assert sorted(got) == sorted((source, users[user], text) for source, user, text, _ in expected)
    with project.open_coder("sam", readonly=True) as sam:
        matcha = [c for c in sam.codings() if c.transcript == "U1"][0]
        assert (matcha.text, project.text("U1")[matcha.start:matcha.end]) == ("抹茶", "抹茶")


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_report_counts_add_up_to_the_selections_in_the_file(sample, tmp_path):
    needs_interop()
    project = Project.init(tmp_path / "p")
    report = import_exchange_file(project, SAMPLES / sample, coder="importer").report
    expected, _ = selections_in(sample)
    assert len(report.outcomes) == len(expected) == sum(s.selections for s in report.sources)
    assert sum(report.count(o) for o in ("exact", "unchecked", "moved", "left out")) == len(expected)
    assert report.saved.is_file() and report.summary() in report.saved.read_text(encoding="utf-8")


FILES = Path(__file__).parent / "files"


def test_qc_1_7_8_crlf_lines_land_on_their_lines(tmp_path):
    # read by hand: line:1 is 48-102, line:2 102-126, line:3 126-164, counted with each CRLF as one
    project = Project.init(tmp_path / "p")
    report = import_exchange_file(project, FILES / "qc-1.7.8-crlf.qdpx", coder="importer").report
    assert (report.count("exact"), len(report.outcomes)) == (3, 3)
    assert "CRLF as one" in report.sources[0].reading
    text = project.text("interview")
    lines = text.splitlines(keepends=True)
    with project.open_coder("chris", readonly=True) as chris:
        got = sorted((chris.codebook.path(c.code), c.text) for c in chris.codings())
        assert all(text[c.start:c.end] == c.text for c in chris.codings())
    assert got == sorted([("cafe", lines[1]), ("cafe", lines[3]), ("mentor", lines[1]), ("thanks", lines[2])])
    assert lines[2] == "Interviewer: Thank you.\n"
