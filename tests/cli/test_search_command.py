"""`workbench search`: the table a person reads and the JSON a script reads."""

from __future__ import annotations

import orjson
import pytest
from click.testing import CliRunner

from workbench.cli.main import cli


@pytest.fixture(scope="module")
def demo(copy_demo, tmp_path_factory):
    return copy_demo(tmp_path_factory.mktemp("demo") / "d")


def run(demo, *args):
    result = CliRunner().invoke(cli, ["-p", str(demo.root), "--coder", "alex", "search", *args])
    return result


def test_json_hits_carry_place_text_score_and_codes(demo):
    result = run(demo, "holiday suitcse", "--format", "json", "--limit", "3")
    assert result.exit_code == 0, result.output
    hits = orjson.loads(result.stdout)
    assert 1 <= len(hits) <= 3
    for key in ("transcript", "participant", "wave", "start", "end", "text", "score", "codes"):
        assert key in hits[0]
    best = hits[0]
    assert best["text"] == "holiday suitcase"
    assert demo.text(best["transcript"])[best["start"]:best["end"]] == "holiday suitcase"


def test_table_shows_quote_id_the_sentence_and_codes(demo):
    result = run(demo, "tea trolly", "--limit", "5")
    assert result.exit_code == 0, result.output
    assert "tea trolley" in result.output and "50005" in result.output and "codes:" in result.output


def test_filters_from_the_shell(demo):
    hits = orjson.loads(run(demo, "key", "--where", "gender=female", "--wave", "2", "--participant", "50006",
                            "--format", "json").stdout)
    assert hits and {(h["participant"], h["wave"]) for h in hits} == {("50006", 2)}
    asked = orjson.loads(run(demo, "you", "--role", "interviewer", "--format", "json").stdout)
    assert asked and {h["role"] for h in asked} == {"interviewer"}


def test_bad_filters_are_one_line_errors(demo):
    assert run(demo, "key", "--where", "gender").exit_code == 2
    assert run(demo, "key", "--code", "nothing like it").exit_code == 2
    assert run(demo, "key", "--code", "barriers", "--uncoded").exit_code == 2


def test_a_participant_the_project_does_not_have_is_refused_not_searched(demo):
    for asked in (["--participant", "P9"], ["--participant", "50006", "--participant", "P9"]):
        result = run(demo, "key", *asked)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and "'P9'" in result.stderr and "workbench participants" in result.stderr
    assert run(demo, "key", "--participant", "50006").exit_code == 0


def test_an_attribute_no_participant_has_is_refused_not_searched(demo):
    result = run(demo, "key", "--where", "shoe_size=42")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "'shoe_size'" in result.stderr and "gender" in result.stderr
    assert run(demo, "key", "--where", "GENDER=female").exit_code == 0  # names match ignoring case


def test_transcript_text_cannot_reach_the_terminal_raw(tmp_path):
    from workbench.importing import import_transcript
    from workbench.project import Project

    project = Project.init(tmp_path / "p")
    source = tmp_path / "50001.txt"
    source.write_text("Interviewer: Hi?\n\nParticipant: The secret \x1b]52;c;aGk=\x07 word is here.\n", encoding="utf-8")
    import_transcript(project, source)
    result = CliRunner().invoke(cli, ["-p", str(project.root), "--coder", "alex", "search", "secret word"])
    assert result.exit_code == 0 and "\x1b]" not in result.output
