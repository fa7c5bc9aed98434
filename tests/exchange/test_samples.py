"""The files other programs wrote (interop/samples) import with their codes, sources and
codings. Counts were taken from the files themselves (elements in project.qde)."""

from __future__ import annotations

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
