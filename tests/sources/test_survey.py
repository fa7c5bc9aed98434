"""Survey answers: one short document per answer, the respondent its participant."""

import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.project import Project


def run(project, *args):
    return CliRunner().invoke(cli, ["-p", str(project.root), "--coder", "alex", *args])


def folder_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if "cache" not in p.relative_to(root).parts):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def import_survey(project, path, *extra):
    return run(project, "import", str(path), "--id-column", "respondent", "--text-columns", "q7,q9", *extra)


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_each_answer_is_a_document_of_its_respondent(project, tmp_path, separator):
    rows = [["respondent", "age", "q7", "q9"],
            ["17", "34", '"I liked\nthe staff, truly"', '"Cost: too high"'],
            ["18", "50", "Nothing", ""],
            ["19", "22", "", "  "]]
    table = "\r\n".join(separator.join(r) for r in rows) + "\r\n"
    path = tmp_path / "answers.csv"
    path.write_bytes(b"\xef\xbb\xbf" + table.encode("utf-8"))
    result = import_survey(project, path)
    assert result.exit_code == 0, result.output
    assert "imported 3 answers of 3 respondents from answers.csv; 3 empty answers skipped (1 for q7, 2 for q9)" in result.stderr
    project = Project(project.root)
    assert sorted(t.id for t in project.transcripts()) == ["17.q7", "17.q9", "18.q7"]
    answer = project.transcript("17.q7")
    assert (answer.kind, answer.participant, answer.question) == ("survey", "17", "q7")
    assert project.text("17.q7") == "I liked\nthe staff, truly"
    assert project.participants()["17"] == {"age": "34"} and project.participants()["19"] == {"age": "22"}
    # an answer that opens like a speaker label is all answer: one turn, its words in a sentence
    seg = project.segments("17.q9")
    assert [(t.speaker, project.text("17.q9")[t.start:t.end]) for t in seg.turns] == [(None, "Cost: too high")]


def test_duplicate_respondents_are_refused_by_name_and_nothing_is_stored(project, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("respondent,q7,q9\nR1,a,b\nR2,c,d\nR1,e,f\nR3,g,h\nR3,i,j\n")
    before = folder_hash(project.root)
    result = import_survey(project, path)
    assert result.exit_code == 2
    assert "respondent ids given more than once: 'R1' (rows 2, 4); 'R3' (rows 5, 6)" in result.stderr
    assert folder_hash(project.root) == before


@pytest.mark.parametrize("table, message", [
    ("respondent,q7\nR1,a\n", "no text column 'q9' (columns: respondent, q7)"),
    ("id,q7,q9\nR1,a,b\n", "no id column 'respondent'"),
    ("respondent,q7,q9\nR1,a,b\n,c,d\n", "row 3 has no respondent id"),
    ("respondent,q7,q9\nR 1,a,b\nR_1,c,d\n", "respondents 'R 1' and 'R_1' would both give the answer id 'R_1.q7'"),
    ("respondent,q7,q9\nR1,,\n", "every answer in q7, q9 is empty"),
])
def test_tables_that_cannot_be_imported_whole_are_refused(project, tmp_path, table, message):
    path = tmp_path / "answers.csv"
    path.write_text(table)
    before = folder_hash(project.root)
    result = import_survey(project, path)
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert folder_hash(project.root) == before


def test_the_same_table_twice_changes_nothing(project, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("respondent,q7,q9\nR1,a,b\n")
    assert import_survey(project, path).exit_code == 0
    before = folder_hash(project.root)
    result = import_survey(project, path)
    assert result.exit_code == 0 and "2 answers already imported, unchanged" in result.stderr
    assert folder_hash(project.root) == before  # more in tests/sources/test_survey_reimport.py


def test_a_failed_write_leaves_nothing(project, tmp_path, monkeypatch):
    path = tmp_path / "answers.csv"
    path.write_text("respondent,q7,q9\nR1,a,b\nR2,c,d\n")
    before = folder_hash(project.root)
    import workbench.project as project_module

    calls = []

    def failing(target, data):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(target, data)

    real = project_module.write_private
    monkeypatch.setattr(project_module, "write_private", failing)
    result = import_survey(project, path)
    assert result.exit_code != 0
    assert folder_hash(project.root) == before


def test_xlsx_answers(project, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["respondent", "joined", "score", "q7", "q9"])
    sheet.append([1017.0, datetime(2024, 3, 5), 4.5, "Kind people\nand tea", None])
    sheet.append(["A-2", datetime(2024, 3, 6, 14, 30), 3, "", "Too far away"])
    sheet.append([None, None, None, None, None])  # an empty row is no row
    path = tmp_path / "answers.xlsx"
    book.save(path)
    result = import_survey(project, path)
    assert result.exit_code == 0, result.output
    project = Project(project.root)
    assert sorted(t.id for t in project.transcripts()) == ["1017.q7", "A-2.q9"]
    assert project.text("1017.q7") == "Kind people\nand tea"
    people = project.participants()
    assert people["1017"] == {"joined": "2024-03-05", "score": "4.5"}
    assert people["A-2"] == {"joined": "2024-03-06 14:30:00", "score": "3"}


def test_a_broken_xlsx_is_refused(project, tmp_path):
    path = tmp_path / "answers.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = import_survey(project, path)
    assert result.exit_code == 2 and "not a readable .xlsx workbook" in result.stderr


def test_survey_answers_count_by_respondent(project, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("respondent,group,q7,q9\nR1,a,Friendly staff,Friendly again\nR2,b,Friendly,\n")
    assert import_survey(project, path).exit_code == 0
    with project.open_coder("alex") as coder:
        coder.add_code("friendly")
        for tid in ("R1.q7", "R1.q9", "R2.q7"):
            text = project.text(tid)
            coder.add_coding(tid, 0, len(text), "friendly", text)
    result = run(project, "matrix", "--rows", "group", "--level", "code", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["row"]: (r["participants"], r["values"]["friendly"]) for r in json.loads(result.stdout)["rows"]}
    assert rows == {"a": (1, 2), "b": (1, 1)}


def test_an_answer_longer_than_the_csv_modules_field_limit_is_imported_whole(project, tmp_path):
    # Python's csv reader stops at 131,072 characters a cell by default; a long answer pasted
    # into a survey is still an answer, not a traceback
    long_answer = "word " * 40_000 + "end"
    path = tmp_path / "answers.csv"
    path.write_text(f'respondent,q7,q9\nR1,"{long_answer}",short\n', encoding="utf-8")
    result = import_survey(project, path)
    assert result.exit_code == 0, result.output
    assert Project(project.root).text("R1.q7") == long_answer


def test_a_survey_reports_counts_answers_not_interviews(project, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("respondent,group,q7,q9\nR1,a,Friendly staff,Friendly again\nR2,b,Friendly,\n")
    assert import_survey(project, path).exit_code == 0
    with project.open_coder("alex") as coder:
        coder.add_code("friendly")
        for tid in ("R1.q7", "R2.q7"):
            coder.add_coding(tid, 0, len(project.text(tid)), "friendly", project.text(tid))
    result = run(project, "report", "--format", "md")
    assert result.exit_code == 0, result.output
    assert "2 codings; 2 of 2 participants; 2 of 3 answers;" in result.stdout
    assert "interview" not in result.stdout.split("## Themes")[1].split("## Matrix")[0]


@pytest.mark.parametrize("given", ["What, if anything, helped?,q9", '"What, if anything, helped?", q9',
                                   "q9,what, if anything, helped?"])
def test_a_question_whose_header_holds_commas_can_be_chosen(project, tmp_path, given):
    # survey tools head a column with the question itself, commas and all
    path = tmp_path / "answers.csv"
    path.write_text('respondent,"What, if anything, helped?",q9,"Age, in years"\nR1,The staff,Fine,34\n')
    result = run(project, "import", str(path), "--id-column", "respondent", "--text-columns", given)
    assert result.exit_code == 0, result.output
    project = Project(project.root)
    assert project.transcript("R1.What_if_anything_helped").question == "What, if anything, helped?"
    assert project.text("R1.q9") == "Fine" and project.participants()["R1"] == {"Age, in years": "34"}


def test_quoted_column_names_come_back_whole_whatever_commas_they_hold():
    from hypothesis import given, strategies as st

    from workbench.sources.survey import column_names

    name = st.text(st.sampled_from('ab ,?'), min_size=1, max_size=8).map(str.strip).filter(bool)

    @given(st.lists(name, min_size=1, max_size=6, unique_by=str.casefold), st.data())
    def check(header, data):
        chosen = data.draw(st.lists(st.sampled_from(header), min_size=1, max_size=4))
        assert column_names(", ".join(f'"{n}"' for n in chosen), header) == chosen

    check()


@pytest.mark.parametrize("respondent", ['"R\n1"', '"R\x1b[31m2"', '"R\t3"'])
def test_a_respondent_id_with_a_control_character_is_refused_and_nothing_stored(project, tmp_path, respondent):
    # an id is matched against participants.csv and written as a REFI-QDA Case name, where
    # XML cannot carry most control characters: one that holds them is a broken cell
    path = tmp_path / "answers.csv"
    path.write_text(f"respondent,q7,q9\nR0,fine,ok\n{respondent},hello,world\n")
    before = folder_hash(project.root)
    result = import_survey(project, path)
    assert result.exit_code == 2
    assert "row 3: the respondent id holds a line break or control character" in result.stderr
    assert folder_hash(project.root) == before


def test_the_codings_csv_says_which_question_each_answer_answers(project, tmp_path):
    import csv as csv_module

    from workbench.exchange.tables import export_csv

    path = tmp_path / "answers.csv"
    path.write_text("respondent,q7,q9\nR1,The staff,Too far\n")
    assert import_survey(project, path).exit_code == 0
    project = Project(project.root)
    with project.open_coder("alex") as coder:
        coder.add_code("staff")
        coder.add_code("travel")
        coder.add_coding("R1.q7", 0, 9, "staff", "The staff")
        coder.add_coding("R1.q9", 0, 7, "travel", "Too far")
    out = tmp_path / "codings.csv"
    export_csv(project, out)
    rows = list(csv_module.DictReader(out.open(encoding="utf-8")))
    assert {(r["participant"], r["question"], r["code"]) for r in rows} == {("R1", "q7", "staff"), ("R1", "q9", "travel")}
