"""`workbench stats`, `matrix` and `report` as a researcher runs them."""

import json

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli

ROW_KEYS = {"code", "kind", "path", "codings", "transcripts", "participants", "primacy", "salience"}


@pytest.fixture(scope="module")
def demo(copy_demo, tmp_path_factory):
    return copy_demo(tmp_path_factory.mktemp("demo") / "demo").root


def run(demo, *args, coder="alex", color=False):
    return CliRunner().invoke(cli, ["-p", str(demo), "--coder", coder, *args], color=color)


def test_stats_json_rows_carry_the_counts_and_the_formula(demo):
    result = run(demo, "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(ROW_KEYS <= row.keys() for row in rows)
    by_path = {row["path"]: row for row in rows}
    barriers = by_path["barriers"]
    assert barriers["kind"] == "category"
    assert barriers["codings"] == sum(r["codings"] for p, r in by_path.items()
                                      if p.startswith("barriers/") and r["kind"] == "code")
    assert all(row["formula"].startswith("salience = 0.5 × primacy + 0.5 × participants/N") for row in rows)


def test_stats_levels_and_weight(demo):
    codes = json.loads(run(demo, "stats", "--level", "code", "--format", "json").stdout)
    themes = json.loads(run(demo, "stats", "--level", "theme", "--format", "json").stdout)
    assert {r["kind"] for r in codes} == {"code"}
    assert {r["kind"] for r in themes} <= {"category", "theme", "subtheme"} and themes
    weighted = json.loads(run(demo, "stats", "--weight", "1", "--format", "json").stdout)
    assert all(r["salience"] == (r["primacy"] or 0) for r in weighted)
    assert run(demo, "stats", "--weight", "2").exit_code == 2


def test_stats_table_prints_the_formula(demo):
    result = run(demo, "stats")
    assert result.exit_code == 0
    assert "  hostility from staff" in result.stdout
    assert "salience = 0.5 × primacy + 0.5 × participants/N (N = 10 participants)" in result.stdout


def test_matrix_json_and_shaded_table(demo):
    data = json.loads(run(demo, "matrix", "--rows", "gender", "--format", "json").stdout)
    assert [r["row"] for r in data["rows"]] == ["female", "male"]
    assert data["level"] == "subtheme"
    total = sum(v for r in data["rows"] for v in r["values"].values())
    stats = {r["path"]: r for r in json.loads(run(demo, "stats", "--format", "json").stdout)}
    assert total == stats["barriers"]["codings"] + stats["facilitators"]["codings"]
    shaded = run(demo, "matrix", color=True).stdout
    assert "\x1b[48;5;" in shaded  # background shading by intensity
    presence = json.loads(run(demo, "matrix", "--presence", "--format", "json").stdout)
    assert {v for r in presence["rows"] for v in r["values"].values()} <= {0, 1}


def test_errors_are_one_line(demo):
    result = run(demo, "stats", coder="nobody")
    assert result.exit_code == 2 and "no coder 'nobody'" in result.stderr
    result = run(demo, "matrix", "--rows", "religion")
    assert result.exit_code == 2 and "no participant has an attribute 'religion'" in result.stderr
    result = run(demo, "report", "--format", "docx")
    assert result.exit_code == 2 and "-o FILE.docx" in result.stderr


def test_report_format_follows_the_file_suffix(demo, tmp_path):
    out = tmp_path / "results.html"
    result = run(demo, "report", "-o", str(out), coder="sam")
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert "Coder: sam" in out.read_text()
