"""A survey table imported again as it grows: what is new is imported, what is the same is
counted and left alone, a changed answer is refused unless --replace (then replaced as a
corrected transcript is), and an answer the table no longer holds is kept."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli.main import cli
from workbench.model import Coding, new_id
from workbench.project import Project

from tests.sources.test_survey import folder_hash

FIRST = "respondent,age,site,q7,q9\nR1,34,North,Kind staff,Too far\nR2,50,South,Nothing,\nR3,22,North,Tea,Cost\n"


def run(root: Path, *args, coder="alex"):
    return CliRunner().invoke(cli, ["-p", str(root), "--coder", coder, *map(str, args)])


def import_table(root: Path, path: Path, *extra, questions="q7,q9"):
    return run(root, "import", path, "--id-column", "respondent", "--text-columns", questions, *extra)


def table(tmp_path: Path, text: str, name="answers.csv") -> Path:
    folder = tmp_path / "tables"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def manifest(project) -> dict:
    return json.loads((project.root / "project.json").read_text())


def stored_text(project, tid: str) -> str:
    return (project.root / "transcripts" / f"{tid}.txt").read_text(encoding="utf-8")


@pytest.fixture
def imported(project, tmp_path):
    result = import_table(project.root, table(tmp_path, FIRST))
    assert result.exit_code == 0, result.output
    return project


def code_whole(project, tid: str, words: str, coder="alex") -> str:
    """A coding of `words` inside the answer `tid`; returns its id."""
    text = Project(project.root).text(tid)
    start = text.index(words)
    with project.open_coder(coder) as coder_file:
        code = next((c for c in coder_file.codes() if c.name == "theme"), None) or coder_file.add_code("theme")
        coding = Coding(id=new_id(), code=code.id, transcript=tid, start=start, end=start + len(words), text=words)
        coder_file.add_many("coding.add", "code", [coding])
    return coding.id


def codings(project, coder="alex") -> dict:
    with project.open_coder(coder, readonly=True) as coder_file:
        return {c.id: c for c in coder_file.codings()}


def places(project, coder="alex") -> dict:
    return {cid: (c.start, c.end, c.text, c.review) for cid, c in codings(project, coder).items()}


def project_files(project) -> dict:
    """Every file but the coder files and caches, with its content."""
    return {str(p.relative_to(project.root)): p.read_bytes() for p in sorted(project.root.rglob("*"))
            if p.is_file() and not {"coders", "cache"} & set(p.relative_to(project.root).parts)}


def test_a_grown_table_imports_only_what_is_new(imported, tmp_path):
    project = imported
    grown = table(tmp_path, FIRST.replace("R2,50,South,Nothing,", "R2,51,South,Nothing,Bus")
                  + "R4,40,East,Calm,\nR5,,,,\n", name="answers (2).csv")
    first_entry = manifest(project)["transcripts"]["R1.q7"]
    result = import_table(project.root, grown)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == ("imported 2 new answers from answers (2).csv (5 respondents in it); "
                        "3 empty answers skipped (1 for q7, 2 for q9)")
    assert "5 answers already imported, unchanged" in lines
    assert "attributes changed for 1 respondent: R2 (age: 50 → 51)" in lines
    assert not any("not in this table" in line for line in lines)
    data = manifest(project)
    assert sorted(data["transcripts"]) == ["R1.q7", "R1.q9", "R2.q7", "R2.q9", "R3.q7", "R3.q9", "R4.q7"]
    assert data["transcripts"]["R1.q7"] == first_entry  # an unchanged answer is left as it was
    assert data["transcripts"]["R2.q9"]["question"] == "q9" and data["transcripts"]["R2.q9"]["participant"] == "R2"
    assert stored_text(project, "R2.q9") == "Bus" and stored_text(project, "R4.q7") == "Calm"
    assert data["participants"]["R2"] == {"age": "51", "site": "South"}
    assert data["participants"]["R4"] == {"age": "40", "site": "East"}


def test_a_newly_chosen_question_is_imported_beside_the_old(imported, tmp_path):
    project = imported
    path = table(tmp_path, FIRST.replace("site,", "site,q11,").replace("North,", "North,Often,")
                 .replace("South,", "South,,"))
    result = import_table(project.root, path, questions="q7,q9,q11")
    assert result.exit_code == 0, result.output
    assert "imported 2 new answers from answers.csv (3 respondents in it)" in result.stderr
    assert "5 answers already imported, unchanged" in result.stderr
    data = manifest(project)
    assert data["transcripts"]["R1.q11"]["question"] == "q11" and stored_text(project, "R3.q11") == "Often"
    assert "R2.q11" not in data["transcripts"]


def test_the_same_table_again_changes_nothing_and_says_so(imported, tmp_path):
    before = folder_hash(imported.root)
    result = import_table(imported.root, table(tmp_path, FIRST))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "5 answers already imported, unchanged",
        "nothing changed: every answer and attribute in answers.csv is imported as it is"]
    assert folder_hash(imported.root) == before


def test_a_changed_answer_is_refused_by_name_and_nothing_is_stored(imported, tmp_path):
    before = folder_hash(imported.root)
    path = table(tmp_path, FIRST.replace("Kind staff", "Kind staff mostly").replace("Tea,Cost", "Tea,Costs")
                 + "R4,40,East,Calm,\n")
    result = import_table(imported.root, path)
    assert result.exit_code == 2
    assert ("answers.csv: 2 answers differ from the text imported earlier: respondent 'R1', question 'q7'; "
            "respondent 'R3', question 'q9'; nothing was imported. To store the new text, run the same import "
            "with --replace") in result.stderr
    assert folder_hash(imported.root) == before  # R4's answer neither


def test_replace_stores_the_new_text_and_moves_the_codings(imported, tmp_path):
    project = imported
    kept = code_whole(project, "R1.q7", "staff")
    changed = code_whole(project, "R3.q9", "Cost")
    untouched = code_whole(project, "R2.q7", "Nothing")
    path = table(tmp_path, FIRST.replace("Kind staff", "Very kind staff").replace("Tea,Cost", "Tea,Price")
                 + "R4,40,East,Calm,\n")
    result = import_table(project.root, path, "--replace")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "imported 1 new answer from answers.csv (4 respondents in it); 2 empty answers skipped (2 for q9)" in lines
    assert "3 answers already imported, unchanged" in lines
    assert "replaced 2 answers whose text changed: R1.q7, R3.q9" in lines
    assert ("warning: alex: 1 codings of R3.q9 changed text and are flagged for review "
            "('workbench codings --review')") in lines
    assert stored_text(project, "R1.q7") == "Very kind staff" and stored_text(project, "R4.q7") == "Calm"
    data = manifest(project)
    assert data["transcripts"]["R1.q7"]["chars"] == len("Very kind staff")
    assert data["transcripts"]["R1.q7"]["kind"] == "survey" and data["transcripts"]["R1.q7"]["participant"] == "R1"
    now = codings(project)
    assert (now[kept].start, now[kept].end, now[kept].text, now[kept].review) == (10, 15, "staff", None)
    assert now[changed].text == "Price" and "“Cost”" in now[changed].review
    assert (now[untouched].start, now[untouched].end, now[untouched].review) == (0, 7, None)
    assert not (project.root / "replacing").exists()  # every replace finished
    again = import_table(project.root, path, "--replace")
    assert again.exit_code == 0 and "nothing changed" in again.stderr


def test_a_replace_is_refused_while_a_coder_works_and_nothing_is_stored(imported, tmp_path):
    project = imported
    code_whole(project, "R1.q7", "staff")
    code_whole(project, "R1.q7", "Kind", coder="sam")
    for name in ("alex", "sam"):
        project.open_coder(name).close()  # the day's backups, made by any session that opens to write
    before = folder_hash(project.root)
    path = table(tmp_path, FIRST.replace("Kind staff", "Kind staff!") + "R4,40,East,Calm,\n")
    with project.open_coder("sam"):
        result = import_table(project.root, path, "--replace")
    assert result.exit_code == 2 and "sam.json: already open in another session" in result.stderr
    assert folder_hash(project.root) == before  # not even R4's new answer


def test_a_replace_that_fails_half_way_leaves_everything_as_it_was(imported, tmp_path, monkeypatch):
    import workbench.replacing as replacing_module

    project = imported
    first, second = code_whole(project, "R1.q7", "staff"), code_whole(project, "R3.q9", "Cost")
    before, held = project_files(project), places(project)
    path = table(tmp_path, FIRST.replace("Kind staff", "Very kind staff").replace("Tea,Cost", "Tea,Cost!")
                 + "R4,40,East,Calm,\n")
    real, calls = replacing_module.atomic_write, []

    def full_disk_on_the_second_text(target, data, **kwargs):
        if Path(target).parent.name == "transcripts":
            calls.append(target)
            if len(calls) == 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        return real(target, data, **kwargs)

    monkeypatch.setattr(replacing_module, "atomic_write", full_disk_on_the_second_text)
    result = import_table(project.root, path, "--replace")
    monkeypatch.undo()
    assert calls[1].name == "R3.q9.txt" and result.exit_code == 2 and "No space left on device" in result.stderr
    assert project_files(project) == before  # the first answer's text put back, R4 not stored
    assert places(project) == held  # the first answer's codings moved back (its coder file holds the undo)
    assert not (project.root / "replacing").exists()
    again = import_table(project.root, path, "--replace")
    assert again.exit_code == 0, again.output
    assert "replaced 2 answers whose text changed: R1.q7, R3.q9" in again.stderr
    assert stored_text(project, "R1.q7") == "Very kind staff" and stored_text(project, "R4.q7") == "Calm"
    now = places(project)
    assert now[first] == (held[first][0] + 5, held[first][1] + 5, "staff", None) and now[second][2] == "Cost"


def test_answers_missing_from_the_table_are_kept_and_counted(imported, tmp_path):
    project = imported
    path = table(tmp_path, "respondent,age,site,q7,q9\nR1,34,North,Kind staff,\nR2,50,South,Nothing,\n")
    result = import_table(project.root, path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "2 answers already imported, unchanged",
        "nothing changed: every answer and attribute in answers.csv is imported as it is",
        "3 answers imported earlier are not in this table; they were kept"]
    data = manifest(project)
    assert {"R1.q9", "R3.q7", "R3.q9"} <= set(data["transcripts"])
    assert stored_text(project, "R3.q9") == "Cost" and stored_text(project, "R1.q9") == "Too far"
    assert data["participants"]["R3"] == {"age": "22", "site": "North"}


def test_participants_csv_beside_a_reimport_is_one_manifest_write(imported, tmp_path, monkeypatch):
    project = imported
    people = tmp_path / "participants.csv"
    people.write_text("participant,cohort\nR1,2024\nR4,2025\n")
    writes = []
    real = Project.save_manifest
    monkeypatch.setattr(Project, "save_manifest", lambda self: (writes.append(1), real(self)))
    result = import_table(project.root, table(tmp_path, FIRST + "R4,40,East,Calm,\n"), "--attributes", people)
    assert result.exit_code == 0, result.output
    assert len(writes) == 1
    assert "attributes changed for 1 respondent: R1 (cohort: 2024, new)" in result.stderr
    assert manifest(project)["participants"]["R4"] == {"age": "40", "site": "East", "cohort": "2025"}


@pytest.mark.parametrize("first, again, message", [
    ("respondent,Q7\nR1,a\n", "respondent,q7\nR1,a\n",
     "the answer id 'R1.q7' differs only in case from 'R1.Q7', imported earlier"),
    ("respondent,q7\nR 1,a\n", "respondent,q7\nR_1,a\n",
     "the answer 'R_1.q7' was imported as respondent 'R 1's, not 'R_1's"),
])
def test_an_answer_id_taken_another_way_is_refused(project, tmp_path, first, again, message):
    assert import_table(project.root, table(tmp_path, first), questions="q7").exit_code == 0
    before = folder_hash(project.root)
    result = import_table(project.root, table(tmp_path, again, name="again.csv"), "--replace", questions="q7")
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert folder_hash(project.root) == before


def test_an_answer_id_that_is_an_interview_is_refused(project, tmp_path):
    interview = tmp_path / "R1.q7.txt"
    interview.write_text("Interviewer: Hello?\n\nR1: Hi.\n")
    assert run(project.root, "import", interview).exit_code == 0
    before = folder_hash(project.root)
    result = import_table(project.root, table(tmp_path, "respondent,q7\nR1,a\n"), "--replace", questions="q7")
    assert result.exit_code == 2 and "the id of a transcript already imported (not a survey answer)" in result.stderr
    assert folder_hash(project.root) == before


# -- merging an earlier table and a later one, whatever they hold ---------------------------------
ANSWERS = st.sampled_from(["", "yes", "no", "Kind staff", "Kind staff!", "  ", "Too\nfar"])
ROWS = st.dictionaries(st.sampled_from([f"R{i}" for i in range(1, 7)]),
                       st.tuples(st.sampled_from(["", "30", "40"]), ANSWERS, ANSWERS), max_size=6)


def csv_of(rows: dict) -> str:
    quoted = lambda text: '"' + text.replace('"', '""') + '"'  # noqa: E731
    return "respondent,age,q7,q9\n" + "".join(f"{r},{a},{quoted(x)},{quoted(y)}\n" for r, (a, x, y) in rows.items())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=ROWS, new=ROWS, replace=st.booleans())
def test_merging_an_earlier_and_a_later_table(old, new, replace):
    answers = lambda rows: {f"{r}.{q}": text.strip() for r, (_, *texts) in rows.items()  # noqa: E731
                            for q, text in zip(("q7", "q9"), texts) if text.strip()}
    before, after = answers(old), answers(new)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "study"
        Project.init(root)
        first = import_table(root, table(Path(folder), csv_of(old), name="old.csv"))
        if not before:
            assert first.exit_code == 2
            return
        assert first.exit_code == 0, first.output
        hashed = folder_hash(root)
        result = import_table(root, table(Path(folder), csv_of(new), name="new.csv"), *(["--replace"] * replace))
        changed = sorted(t for t in after if t in before and after[t] != before[t])
        if not after:
            assert result.exit_code == 2 and "is empty" in result.stderr
            assert folder_hash(root) == hashed
            return
        if changed and not replace:
            assert result.exit_code == 2 and "differ" in result.stderr
            assert folder_hash(root) == hashed
            return
        assert result.exit_code == 0, result.output
        expected = {**before, **after}  # nothing earlier is dropped; the later text wins
        data = json.loads((root / "project.json").read_text())
        assert sorted(data["transcripts"]) == sorted(expected)
        for tid, text in expected.items():
            assert (root / "transcripts" / f"{tid}.txt").read_text(encoding="utf-8") == text
            assert data["transcripts"][tid]["participant"] == tid.split(".")[0]
        ages = {r: a for rows in (old, new) for r, (a, _, _) in rows.items() if a}
        assert {r: p.get("age") for r, p in data["participants"].items() if p.get("age")} == ages
        unchanged = sum(1 for t in after if before.get(t) == after[t])
        kept = sum(1 for t in before if t not in after)
        said = result.stderr
        assert (f"{unchanged} answer{'s' * (unchanged != 1)} already imported, unchanged" in said) == bool(unchanged)
        assert (f"{kept} answer{'s' * (kept != 1)} imported earlier" in said) == bool(kept)
        if unchanged == len(after) and ages == {r: a for r, (a, _, _) in old.items() if a}:
            assert "nothing changed" in said and folder_hash(root) == hashed
