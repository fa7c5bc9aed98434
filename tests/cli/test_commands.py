import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli


@pytest.fixture
def run(project):
    def invoke(*args, coder="alex", input=None):
        return CliRunner().invoke(cli, ["-p", str(project.root), "--coder", coder, *args], input=input)
    return invoke


@pytest.fixture
def imported(run, interview_file):
    assert run("import", str(interview_file)).exit_code == 0
    return interview_file


def test_transcripts_json(run, imported):
    (row,) = json.loads(run("transcripts", "--format", "json").stdout)
    assert {k: row[k] for k in ("id", "participant", "wave", "turns")} == {
        "id": "50007_3", "participant": "50007", "wave": 3, "turns": 4}
    assert len(row["sha256"]) == 64 and row["chars"] > 100


def test_transcripts_show_the_interviewer_their_turns_name_when_none_was_given(run, tmp_path):
    group = tmp_path / "FG1.txt"
    group.write_text("Moderator: What helped?\n\nAnna: My supervisor.\n\nBen: The team.\n\n"
                     "Moderator: Anything else?\n\nAnna: No.\n", encoding="utf-8")
    interview = tmp_path / "50008.txt"
    interview.write_text("Dan: How was it?\n\nParticipant: Hard at first.\n", encoding="utf-8")
    given = tmp_path / "50009.txt"
    given.write_text("Interviewer: How was it?\n\nParticipant: Fine.\n", encoding="utf-8")
    assert run("import", str(group), "--focus-group").exit_code == 0
    assert run("import", str(interview), "--interviewer", "").exit_code == 0
    assert run("import", str(given), "--interviewer", "Hannah Okafor").exit_code == 0
    table = run("transcripts").stdout.splitlines()
    row = {line.split()[0]: line for line in table[1:]}
    assert "Moderator (label)" in row["FG1"] and "Hannah Okafor" in row["50009"]
    assert "(label)" not in row["50009"]
    rows = {r["id"]: r for r in json.loads(run("transcripts", "--format", "json").stdout)}
    assert (rows["FG1"]["interviewer"], rows["FG1"]["interviewer_from_turns"]) == (None, ["Moderator"])
    assert rows["50009"]["interviewer_from_turns"] == []
    assert rows["50008"]["interviewer_from_turns"] == ["Dan"] and "Dan (label)" in row["50008"]


def test_code_by_offsets_and_by_quote(run, project, imported):
    assert run("codes", "add", "barriers", "--kind", "category").exit_code == 0
    assert run("codes", "add", "hostile remarks", "--parent", "barriers", "--definition", "Staff belittling").exit_code == 0
    text = project.text("50007_3")
    start = text.index("the cabinet key")
    result = run("code", "add", "50007_3", str(start), str(start + 15), "hostile remarks")
    assert result.exit_code == 0, result.output
    result = run("code", "add", "50007_3", "--quote", "I wasnt real staff", "barriers/hostile remarks")
    assert result.exit_code == 0, result.output
    rows = json.loads(run("codings", "--format", "json").stdout)
    assert [r["text"] for r in rows] == ["the cabinet key", "I wasn’t “real staff"]
    assert {r["code_path"] for r in rows} == {"barriers/hostile remarks"}
    assert set(rows[0]) >= {"id", "coder", "code", "code_path", "transcript", "participant", "wave", "start", "end", "text"}
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)


def test_quote_absent_or_ambiguous_is_refused_with_candidates(run, imported):
    run("codes", "add", "x")
    result = run("code", "add", "50007_3", "--quote", "completely unrelated words about gardening", "x")
    assert result.exit_code == 2 and "not in 50007_3" in result.stderr
    result = run("code", "add", "50007_3", "--quote", "Participant", "x")
    assert result.exit_code == 2 and "occurs 2 times" in result.stderr


def test_code_remove_undo_redo(run, imported):
    run("codes", "add", "x")
    coding_id = run("code", "add", "50007_3", "0", "5", "x").stdout.strip()
    assert run("code", "remove", coding_id[:8]).exit_code == 0
    assert json.loads(run("codings", "--format", "json").stdout) == []
    assert "undid" in run("undo").stderr
    assert len(json.loads(run("codings", "--format", "json").stdout)) == 1
    assert "redid" in run("redo").stderr
    assert json.loads(run("codings", "--format", "json").stdout) == []


def test_codes_tree_edits(run):
    run("codes", "add", "themes", "--kind", "theme")
    run("codes", "add", "a")
    assert run("codes", "move", "a", "--to", "themes").exit_code == 0
    assert run("codes", "rename", "themes/a", "b").exit_code == 0
    assert run("codes", "set", "b", "--kind", "subtheme", "--color", "#112233").exit_code == 0
    rows = json.loads(run("codes", "--format", "json").stdout)
    assert [(r["path"], r["kind"]) for r in rows] == [("themes", "theme"), ("themes/b", "subtheme")]
    assert run("codes", "delete", "themes", "--yes").exit_code == 0
    assert json.loads(run("codes", "--format", "json").stdout) == []


def test_memos_add_show_list(run, imported):
    assert run("memos", "add", "--transcript", "50007_3", "Quiet room, participant tired.").exit_code == 0
    assert run("memos", "add", "--journal", "-", input="Decided to split the role code.").exit_code == 0
    assert "Quiet room" in run("memos", "show", "--transcript", "50007_3").stdout
    rows = json.loads(run("memos", "--format", "json").stdout)
    assert {r["target_type"] for r in rows} == {"transcript", "project"}


def test_copy_codebook_between_coders(run):
    run("codes", "add", "cat", "--kind", "category")
    run("codes", "add", "leaf", "--parent", "cat")
    assert run("codes", "copy", "--from", "alex", "--to", "sam").exit_code == 0
    rows = json.loads(run("codes", "--format", "json", coder="sam").stdout)
    assert [r["path"] for r in rows] == ["cat", "cat/leaf"]


def test_errors_are_one_line_on_stderr(tmp_path):
    result = CliRunner().invoke(cli, ["-p", str(tmp_path), "transcripts"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "not a Workbench project" in result.stderr


def test_project_found_upward_and_from_environment(project, interview_file, monkeypatch):
    sub = project.root / "transcripts"
    monkeypatch.chdir(sub)
    result = CliRunner().invoke(cli, ["--coder", "alex", "transcripts", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    monkeypatch.chdir("/")
    result = CliRunner().invoke(cli, ["transcripts", "--format", "json"], env={"WORKBENCH_PROJECT": str(project.root)})
    assert result.exit_code == 0


def test_commands_without_a_screen_never_import_textual(project, interview_file):
    code = (
        "import sys\n"
        "from workbench.cli.main import cli\n"
        f"args = ['-p', {str(project.root)!r}, '--coder', 'alex']\n"
        f"for command in (['import', {str(interview_file)!r}], ['transcripts'], ['codes'], ['codings'], ['memos']):\n"
        "    try:\n"
        "        cli(args + command, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "import workbench.project, workbench.coderfile, workbench.importing\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
        "heavy = [m for m in ('sklearn', 'scipy', 'snowballstemmer', 'openpyxl') if m in sys.modules]\n"
        "assert not heavy, f'the shell commands loaded {heavy}'\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_every_command_is_found_through_the_module_that_registers_it():
    import click
    from importlib import import_module

    from workbench.cli.main import COMMAND_MODULES

    registered: dict[str, str] = {}
    for module_name in sorted(set().union(*COMMAND_MODULES.values())):
        group = click.Group()
        import_module(f"workbench.cli.{module_name}").register(group)
        registered.update(dict.fromkeys(group.commands, module_name))
    assert {name: modules[0] for name, modules in COMMAND_MODULES.items()} == registered
    helped = CliRunner().invoke(cli, ["--help"]).output
    assert all(f"  {name} " in helped for name in COMMAND_MODULES)
    assert "similar" in CliRunner().invoke(cli, ["codes", "--help"]).output  # added by the assistant's module


def test_a_command_loads_only_its_own_module(project):
    code = (
        "import sys\n"
        "from workbench.cli.main import main\n"
        f"sys.argv = ['workbench', '-p', {str(project.root)!r}, '--coder', 'alex', 'stats']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('workbench.cli.') and m.endswith('_commands'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "['workbench.cli.analysis_commands']", result.stderr
