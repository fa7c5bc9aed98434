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
    assert list(report) == ["unit", "coders", "transcripts_compared", "transcripts_excluded", "codes", "overall"]
    assert report["transcripts_compared"] == ["50007_3"] and report["transcripts_excluded"] == []
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


LONG = "barriers/a very long code name that will not fit in the table"
SECOND = ("Interviewer: And the second week?\n\n"
          "Participant: Better. The ward manager introduced me at the morning meeting.\n")


@pytest.fixture
def one_sided(study, tmp_path):
    """A second transcript that only alex has coded: sam has not reached it."""
    path = tmp_path / "50008.txt"
    path.write_text(SECOND, encoding="utf-8")
    import_transcript(study, path)
    phrase = "The ward manager introduced me"
    with study.open_coder("alex") as alex:
        alex.add_coding("50008", SECOND.index(phrase), SECOND.index(phrase) + len(phrase), LONG, phrase)
    return study


def test_agreement_leaves_out_a_transcript_one_coder_has_not_worked_on_and_says_why(one_sided):
    result = run(one_sided, "agreement", "alex", "sam")
    assert result.exit_code == 0, result.output
    assert "in 1 transcript;" in result.output
    assert "1 transcript left out" in result.output
    assert "50008: only alex worked on it (sam has no coding there and has not marked it done)" in result.output
    report = json.loads(run(one_sided, "agreement", "alex", "sam", "--format", "json").stdout)
    assert report["transcripts_compared"] == ["50007_3"]
    assert report["transcripts_excluded"] == [
        {"transcript": "50008", "reason": "only alex worked on it (sam has no coding there and has not marked it done)"}]
    every = json.loads(run(one_sided, "agreement", "alex", "sam", "--all-transcripts", "--format", "json").stdout)
    assert every["transcripts_compared"] == ["50007_3", "50008"] and every["transcripts_excluded"] == []
    named = json.loads(run(one_sided, "agreement", "alex", "sam", "--transcripts", "50008", "--format", "json").stdout)
    assert named["transcripts_compared"] == ["50008"]


def test_marking_done_brings_a_transcript_into_the_comparison(one_sided):
    result = run(one_sided, "--coder", "sam", "transcripts", "done", "50008")
    assert result.exit_code == 0 and "marked 50008 done (sam)" in result.output
    listed = json.loads(run(one_sided, "transcripts", "--coder", "sam", "--format", "json").stdout)
    assert {r["id"]: r["done"] for r in listed} == {"50007_3": False, "50008": True}
    assert "done" in run(one_sided, "transcripts", "--coder", "sam").output.splitlines()[0]
    report = json.loads(run(one_sided, "agreement", "alex", "sam", "--format", "json").stdout)
    assert report["transcripts_compared"] == ["50007_3", "50008"]
    cleared = run(one_sided, "transcripts", "done", "50008", "--clear", "--coder", "sam")
    assert cleared.exit_code == 0 and "took the done mark off 50008" in cleared.output
    assert json.loads(run(one_sided, "agreement", "alex", "sam", "--format", "json").stdout)[
        "transcripts_compared"] == ["50007_3"]
    refused = run(one_sided, "transcripts", "done", "50008", "nope", "--coder", "sam")
    assert refused.exit_code == 2 and "no transcript 'nope'" in refused.output
    with one_sided.open_coder("sam", readonly=True) as sam:
        assert sam.done_transcripts() == set()  # nothing marked when one id of several is wrong


def code_column(lines: list[str]) -> str:
    """The code names of the table, their wrapped pieces joined again."""
    at = next(i for i, line in enumerate(lines) if line.startswith("code"))
    header = lines[at] if "both" in lines[at] else lines[at + 1]
    width = header.index("both") - 2 if header.startswith("code") else None  # None: names on lines of their own
    names = []
    for line in lines[at + 1:]:
        if line.startswith("overall"):
            break
        if line.startswith(" "):
            continue  # figures under a name
        names.append((line[:width] if width else line).strip())
    return " ".join(names).replace("/ ", "/")


@pytest.mark.parametrize("columns", ["80", "120", "200"])  # own lines; wrapped in its column; on one line
def test_code_names_are_shown_whole_and_bands_as_words(study, columns):
    result = CliRunner(env={"COLUMNS": columns}).invoke(cli, ["-p", str(study.root), "agreement", "alex", "sam"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= int(columns) for line in lines)
    assert "…" not in result.output
    assert LONG in code_column(lines)
    assert any(band in result.output for band in ("slight", "fair", "moderate", "substantial", "almost perfect"))
    assert "band" in result.output


def test_undefined_figures_print_a_dash(study):
    result = run(study, "agreement", "alex", "sam", "--unit", "transcript")
    assert result.exit_code == 0, result.output
    # one transcript, both coders applied the code there: kappa and alpha are undefined
    figures_line = next(line for line in result.output.splitlines() if line.strip().startswith("1 "))
    assert figures_line.split()[4:6] == ["—", "—"] and "100.0%" in figures_line
    assert " - " not in result.output


def test_merge_leaves_out_the_same_transcripts(one_sided):
    result = run(one_sided, "merge", "alex", "sam", "--into", "consensus")
    assert result.exit_code == 0, result.output
    assert "in 1 transcript:" in result.output and "50008: only alex worked on it" in result.output
    with one_sided.open_coder("consensus", readonly=True) as consensus:
        assert {c.transcript for c in consensus.codings()} == {"50007_3"}


def test_short_code_names_stay_beside_their_figures_at_80_columns(project, tmp_path):
    path = tmp_path / "50007_3.txt"
    path.write_text(TEXT, encoding="utf-8")
    import_transcript(project, path)
    for name in ("alex", "sam"):
        with project.open_coder(name) as coder:
            coder.add_coding("50007_3", 0, 30, coder.add_code("first week").id, TEXT[:30])
    result = CliRunner(env={"COLUMNS": "80"}).invoke(cli, ["-p", str(project.root), "agreement", "alex", "sam"])
    rows = result.output.splitlines()
    assert any(line.startswith("first week ") and "almost perfect" in line for line in rows), result.output


def test_three_coders_give_alpha_fleiss_and_pairwise_kappa(copy_demo, tmp_path):
    import shutil

    demo = copy_demo(tmp_path / "demo")
    for suffix in (".json", ".json.index"):
        source = demo.root / "coders" / f"sam{suffix}"
        if source.exists():
            shutil.copy(source, demo.root / "coders" / f"kim{suffix}")
    result = CliRunner().invoke(cli, ["-p", str(demo.root), "--coder", "alex", "agreement", "alex", "sam", "kim",
                                      "--unit", "sentence", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["coders"] == ["alex", "sam", "kim"] and data["unit"] == "sentence"
    overall = data["overall"]
    assert set(overall) >= {"alpha", "fleiss_kappa", "note", "pairs"}
    kappas = {(p["a"], p["b"]): p["kappa"] for p in overall["pairs"]}
    assert kappas[("sam", "kim")] == 1.0 and kappas[("alex", "sam")] == kappas[("alex", "kim")]
    table = CliRunner().invoke(cli, ["-p", str(demo.root), "agreement", "alex", "sam", "kim", "--unit", "sentence"])
    assert table.exit_code == 0 and "Fleiss" in table.output and "alex~sam" in table.output


def test_a_coder_against_their_own_earlier_coding_from_the_shell(demo):
    demo_root = demo.root
    result = CliRunner().invoke(cli, ["-p", str(demo_root), "agreement", "alex", "--at", "2999-01-01",
                                      "--unit", "sentence", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["coders"] == ["alex@2999-01-01", "alex"]
    assert data["overall"]["a_only"] == data["overall"]["b_only"] == 0  # nothing has changed since
    refused = CliRunner().invoke(cli, ["-p", str(demo_root), "agreement", "alex"])
    assert refused.exit_code == 2
