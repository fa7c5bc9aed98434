"""What every command does alike: options before or after the subcommand, whole quotes,
singular counts, short ids, a quiet end when the reader of a pipe goes away."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.model import Coding, new_id


@pytest.fixture
def demo(copy_demo, tmp_path):
    return copy_demo(tmp_path / "d")


def run(*args, columns: str = "100"):
    return CliRunner(env={"COLUMNS": columns}).invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("before, after", [
    (["--coder", "sam", "codings", "--format", "json"], ["codings", "--coder", "sam", "--format", "json"]),
    (["--format", "json", "--coder", "sam", "codings"], ["codings", "--format", "json", "--coder", "sam"]),
    (["--coder", "sam", "--format", "json", "codes"], ["codes", "--coder", "sam", "--format", "json"]),
    (["--coder", "sam", "--format", "json", "memos"], ["memos", "--format", "json", "--coder", "sam"]),
    (["--coder", "sam", "--format", "json", "stats"], ["stats", "--coder", "sam", "--format", "json"]),
])
def test_coder_project_and_format_work_before_or_after_the_subcommand(demo, before, after):
    first = run("-p", demo.root, *before)
    second = run(*after, "-p", demo.root)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert first.stdout == second.stdout
    rows = json.loads(first.stdout)
    if before[-1] == "codings":
        assert rows and {r["coder"] for r in rows} == {"sam"}


def test_the_option_after_the_subcommand_wins_and_groups_take_it_too(demo):
    result = run("-p", demo.root, "--coder", "alex", "codings", "--coder", "sam", "--format", "json")
    assert {r["coder"] for r in json.loads(result.stdout)} == {"sam"}
    added = run("code", "add", "50001", "0", "9", "barriers", "--new", "--coder", "kim", "-p", demo.root)
    assert added.exit_code == 0, added.output
    assert "kim" in demo.coders()
    memo = run("memos", "add", "--journal", "a first entry", "--coder", "kim", "-p", demo.root)
    assert memo.exit_code == 0, memo.output
    with demo.open_coder("kim", readonly=True) as kim:
        assert [m.text for m in kim.journal()] == ["a first entry"]


def test_a_format_the_command_does_not_write_is_refused(demo):
    result = run("-p", demo.root, "--format", "json", "report")
    assert result.exit_code == 2 and "md, html, docx" in result.output
    html = run("-p", demo.root, "--coder", "alex", "--format", "html", "report")
    assert html.exit_code == 0 and html.stdout.lstrip().lower().startswith("<!doctype html")


def test_codings_shows_each_quote_whole_wrapped_and_width_cuts_it(demo):
    with demo.open_coder("alex", readonly=True) as alex:
        longest = max(alex.codings(), key=lambda c: len(c.text))
    result = run("-p", demo.root, "--coder", "alex", "codings", "--transcript", longest.transcript, columns="80")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    quote_at = lines[0].index("quote")
    start = next(i for i, line in enumerate(lines) if line.startswith(longest.id[:8]))
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1].strip()), len(lines))
    shown = " ".join(line[quote_at:].strip() for line in lines[start:end])
    assert shown == " ".join(longest.text.split())
    assert "…" not in result.stdout
    cut = run("-p", demo.root, "--coder", "alex", "codings", "--transcript", longest.transcript, "--width", "30")
    row = next(line for line in cut.stdout.splitlines() if line.startswith(longest.id[:8]))
    quote = row[cut.stdout.splitlines()[0].index("quote"):]
    assert quote.endswith("…") and len(quote) <= 30
    assert longest.text.startswith(quote[:-1].rstrip())


def test_counts_are_singular_where_one(demo, tmp_path):
    result = run("-p", demo.root, "--coder", "kim", "code", "add", "50001", "0", "9", "lonely", "--new")
    assert result.exit_code == 0
    deleted = run("-p", demo.root, "--coder", "kim", "codes", "delete", "lonely", "--yes")
    assert deleted.exit_code == 0, deleted.output
    assert "1 coding with it" in deleted.output
    os.chmod(demo.root / "project.json", 0o644)
    doctor = run("-p", demo.root, "doctor")
    assert "1 problem in" in doctor.output and "1 problems" not in doctor.output
    assert "1 file or folder others could read" in doctor.output


def test_memos_name_codings_by_the_short_id_codings_shows(demo):
    listed = run("-p", demo.root, "--coder", "alex", "codings", "--format", "json")
    coding_id = json.loads(listed.stdout)[0]["id"]
    assert run("-p", demo.root, "--coder", "alex", "memos", "add", "--coding", coding_id[:8], "check this").exit_code == 0
    memos = run("-p", demo.root, "--coder", "alex", "memos")
    row = next(line for line in memos.stdout.splitlines() if "check this" in line)
    assert coding_id[:8] in row.split() and coding_id not in row
    codings = run("-p", demo.root, "--coder", "alex", "codings")
    assert any(line.startswith(coding_id[:8] + " ") for line in codings.stdout.splitlines())


def test_search_header_names_its_columns(demo):
    result = run("-p", demo.root, "--coder", "alex", "search", "tea trolly", "--limit", "2")
    header = result.stdout.splitlines()[0]
    assert header.split()[:3] == ["score", "cited", "as"] and header.count("quote") == 0


def many_codings(project, n: int = 3000) -> None:
    with project.open_coder("alex") as alex:
        code = alex.codes()[-1].id
        text = project.text("50001")
        alex.add_many("codings.import", "many", [
            Coding(id=new_id(), code=code, transcript="50001", start=i, end=i + 40, text=text[i:i + 40])
            for i in range(n)])


@pytest.mark.parametrize("command", [["codings"], ["codings", "--format", "json"]])
def test_a_closed_pipe_ends_quietly(demo, tmp_path, command):
    many_codings(demo)
    err = tmp_path / "stderr"
    program = [sys.executable, "-c", "from workbench.cli.main import main; main()",
               "-p", str(demo.root), "--coder", "alex", *command]
    with open(err, "wb") as stderr:
        writer = subprocess.Popen(program, stdout=subprocess.PIPE, stderr=stderr)
        first = writer.stdout.readline()
        writer.stdout.close()  # `| head -1`: the reader has what it wanted and goes
        code = writer.wait(timeout=120)
    assert first.strip()
    assert err.read_text() == "", err.read_text()
    assert code in (0, 141)
