"""`workbench agreement` and `workbench merge` as a user runs them."""

import json

import click
import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.importing import import_transcript
from workbench.model import Coding, new_id

TEXT = ("Interviewer: How was the first week?\n\n"
        "Participant: Hard. The nurses did not know what a peer worker does. One asked me for the key.\n\n"
        "Interviewer: What helped?\n\n"
        "Participant: My supervisor. She sat down with me every Friday.\n")
FIGURES = ["both", "a_only", "b_only", "neither", "percent_agreement", "kappa", "positive_agreement", "alpha", "note"]


@pytest.fixture
def study(project, tmp_path):
    path = tmp_path / "50007_3.txt"
    path.write_text(TEXT, encoding="utf-8")
    import_transcript(project, path)
    for name, phrases in {"alex": ["The nurses did not know", "My supervisor"],
                          "sam": ["The nurses did not know what a peer worker does.", "every Friday"]}.items():
        with project.open_coder(name) as coder:
            coder.add_code("barriers", kind="category")
            coder.add_code("a very long code name that will not fit in the table", parent="barriers")
            coder.add_code("unused", parent="barriers")
            code = coder.code("a very long code name that will not fit in the table").id
            coder.add_many("codings.import", "t", [Coding(id=new_id(), code=code, transcript="50007_3",
                                                          start=TEXT.index(p), end=TEXT.index(p) + len(p), text=p)
                                                   for p in phrases])
    return project


def run(project, *args):
    return CliRunner().invoke(cli, ["-p", str(project.root), *args])


def test_agreement_json_shape(study):
    result = run(study, "agreement", "alex", "sam", "--unit", "sentence", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == ["unit", "coders", "codes", "overall"]
    assert report["unit"] == "sentence" and report["coders"] == ["alex", "sam"]
    assert [c["code"] for c in report["codes"]] == [
        "barriers/a very long code name that will not fit in the table", "barriers/unused"]
    first = report["codes"][0]
    assert list(first) == ["code", *FIGURES, "transcripts"]
    assert list(first["transcripts"][0]) == ["transcript", *FIGURES]
    assert first["transcripts"][0]["transcript"] == "50007_3"
    assert list(report["overall"]) == FIGURES
    # sentences: "The nurses ..." both; "My supervisor." A only; "She sat ... Friday." B only
    assert (first["both"], first["a_only"], first["b_only"]) == (1, 1, 1)
    assert report["codes"][1]["kappa"] is None and report["codes"][1]["note"] == "neither coder coded anything"


def test_agreement_table_fits_80_columns_with_percentages_and_coloured_kappa(study):
    result = CliRunner().invoke(cli, ["-p", str(study.root), "agreement", "alex", "sam"], color=True)
    assert result.exit_code == 0, result.output
    plain = click.unstyle(result.output)
    assert all(len(line) <= 80 for line in plain.splitlines())
    assert "%" in plain and "overall" in plain
    assert "\x1b[" in result.output  # kappa in its Landis & Koch colour
    assert "unused" not in plain.split("overall")[0]  # codes neither coder used are left out of the table
    assert "left out" in plain


def test_agreement_errors_are_one_line(study):
    result = run(study, "agreement", "alex", "nobody")
    assert result.exit_code == 2 and "no coder 'nobody'" in result.output


def test_merge_command_writes_consensus_and_refuses_to_overwrite(study):
    result = run(study, "merge", "alex", "sam", "--into", "consensus", "--strategy", "intersection")
    assert result.exit_code == 0, result.output
    with study.open_coder("consensus", readonly=True) as consensus:
        assert [c.text for c in consensus.codings()] == ["The nurses did not know"]
        assert len(consensus.history()) == 1
    again = run(study, "merge", "alex", "sam")
    assert again.exit_code == 2 and "--force" in again.output
    forced = run(study, "merge", "alex", "sam", "--force")
    assert forced.exit_code == 0 and "1 joined with overlapping codings of the same code" in forced.output
    with study.open_coder("consensus", readonly=True) as consensus:  # sam's longer span extends the shared one
        assert [c.text for c in consensus.codings()] == [
            "The nurses did not know what a peer worker does.", "My supervisor", "every Friday"]
