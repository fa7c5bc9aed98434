"""From the shell: overlapping codings of one code become one; `doctor` names duplicates an
older file holds and `code join-duplicates` joins them, undoably."""

import json

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.model import Coding, new_id


@pytest.fixture
def run(project):
    def invoke(*args, coder="alex"):
        return CliRunner().invoke(cli, ["-p", str(project.root), "--coder", coder, *map(str, args)])
    return invoke


@pytest.fixture
def coded(run, project, interview_file):
    assert run("import", str(interview_file)).exit_code == 0
    assert run("codes", "add", "hostile remarks").exit_code == 0
    return project


def spans(run):
    return [(r["start"], r["end"]) for r in json.loads(run("codings", "--format", "json").stdout)]


def test_code_add_over_an_overlapping_coding_extends_it(run, coded):
    text = coded.text("50007_3")
    start = text.index("asked me for the cabinet key")
    assert run("code", "add", "50007_3", start, start + 16, "hostile remarks").exit_code == 0
    result = run("code", "add", "50007_3", "--quote", "the cabinet key and then said", "hostile remarks")
    assert result.exit_code == 0, result.output
    end = text.index("and then said") + len("and then said")
    assert f"now {start}-{end}" in result.stderr
    assert spans(run) == [(start, end)]
    assert "joined with 1 overlapping coding" in json.loads(run("history", "--format", "json").stdout)[-1]["summary"]
    assert run("undo").exit_code == 0
    assert spans(run) == [(start, start + 16)]


def make_duplicates(project):
    """Codings as a file written before overlapping ones were joined may hold them."""
    text = project.text("50007_3")
    with project.open_coder("alex") as coder:
        code = coder.code("hostile remarks").id
        pairs = [(10, 30), (25, 40), (40, 50), (60, 70)]
        records = [Coding(id=new_id(), code=code, transcript="50007_3", start=s, end=e, text=text[s:e])
                   for s, e in pairs]
        coder._commit("codings.import", "an older import", [("coding", None, r) for r in records], join=False)


def test_doctor_names_duplicates_and_join_duplicates_mends_them_undoably(run, coded):
    make_duplicates(coded)
    result = run("doctor", "--format", "json")
    assert result.exit_code == 1
    [row] = [r for r in json.loads(result.stdout) if "duplicate" in r["problem"]]
    assert "3 codings duplicate one another" in row["problem"] and "50007_3 10-50" in row["problem"]
    assert "code join-duplicates" in row["mend"]
    result = run("code", "join-duplicates")
    assert result.exit_code == 0 and "joined 2 duplicate codings into 1 coding" in result.stderr
    assert spans(run) == [(10, 50), (60, 70)]
    assert run("doctor").exit_code == 0
    assert run("undo").exit_code == 0
    assert spans(run) == [(10, 30), (25, 40), (40, 50), (60, 70)]
    assert "no duplicate codings" in run("code", "join-duplicates", coder="sam").stderr


@pytest.fixture
def one_coding(run, coded):
    result = run("code", "add", "50007_3", "--quote", "asked me for the cabinet key and then said", "hostile remarks")
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_code_correct_sets_and_clears_a_correction_and_the_report_says_so(run, coded, one_coding):
    result = run("code", "correct", one_coding[:8], "asked me for the cabinet key, and then she said")
    assert result.exit_code == 0, result.output
    [row] = json.loads(run("codings", "--format", "json").stdout)
    assert (row["corrected"], row["text"]) == ("asked me for the cabinet key, and then she said",
                                               "asked me for the cabinet key and then said")
    report = run("report").stdout
    assert "“asked me for the cabinet key, and then she said”" in report
    assert "Grammatical corrections were made to some of the quotes presented below" in report
    verbatim = run("report", "--verbatim").stdout
    assert "“asked me for the cabinet key and then said”" in verbatim and "she said" not in verbatim
    assert "Grammatical corrections" not in verbatim
    assert run("code", "correct", one_coding, "--clear").exit_code == 0
    assert json.loads(run("codings", "--format", "json").stdout)[0]["corrected"] is None
    assert "Grammatical corrections" not in run("report").stdout


def test_a_correction_that_replaces_the_quote_is_refused_and_changes_nothing(run, coded, one_coding):
    coder_file = coded.root / "coders" / "alex.json"
    history = run("history", "--format", "json").stdout
    for replacement in ("g", "a completely different sentence about gardening", ""):
        result = run("code", "correct", one_coding, replacement) if replacement else run("code", "correct", one_coding)
        assert result.exit_code == 2, result.output
    assert "cannot replace the quote" in run("code", "correct", one_coding, "g").stderr
    assert len(run("code", "correct", one_coding, "g").stderr.strip().splitlines()) == 1
    assert run("history", "--format", "json").stdout == history
    assert json.loads(run("codings", "--format", "json").stdout)[0]["corrected"] is None
    assert coder_file.exists()
    result = run("code", "add", "50007_3", "--quote", "My supervisor", "hostile remarks", "--corrected", "g")
    assert result.exit_code == 2 and "cannot replace the quote" in result.stderr
