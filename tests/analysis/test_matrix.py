"""The framework matrix: counts, presence, rows by participant, wave or attribute."""

import pytest

from workbench.analysis.matrix import MISSING, build_matrix
from workbench.errors import WorkbenchError
from workbench.importing import import_transcript

INTERVIEW = "Interviewer: How is work?\n\nParticipant: Good days and bad days, mostly good.\n"


@pytest.fixture
def study(project, tmp_path):
    for name in ("p1.txt", "p1_2.txt", "p2.txt", "p3.txt"):
        (tmp_path / name).write_text(INTERVIEW.replace("work", f"work {name}"), encoding="utf-8")
        import_transcript(project, tmp_path / name)
    project.set_attributes({"p1": {"Gender": "female"}, "p2": {"gender": "male"}})
    with project.open_coder("alex") as coder:
        coder.add_code("barriers", kind="theme")
        coder.add_code("bad days", parent="barriers")
        coder.add_code("facilitators", kind="theme")
        coder.add_code("good days", parent="facilitators")
        for transcript, code, times in (("p1", "bad days", 2), ("p1_2", "bad days", 1), ("p1_2", "good days", 1),
                                        ("p2", "good days", 3)):
            text = project.text(transcript)
            for i in range(times):  # apart: codings of one code that overlap or touch are one coding
                coder.add_coding(transcript, 6 * i, 6 * i + 5, code, text[6 * i:6 * i + 5])
    return project


def matrix_of(project, **options):
    with project.open_coder("alex", readonly=True) as coder:
        return build_matrix(project, coder, **options)


def test_participants_by_themes_count_codings(study):
    matrix = matrix_of(study)
    assert matrix.level == "theme"
    assert [c["code"] for c in matrix.columns] == ["barriers", "facilitators"]
    assert dict(zip(matrix.rows, matrix.cells)) == {"p1": [3, 1], "p2": [0, 3], "p3": [0, 0]}
    assert matrix.intensity(3) == 1.0 and matrix.intensity(0) == 0.0


def test_presence_and_waves(study):
    matrix = matrix_of(study, by="wave", presence=True)
    assert dict(zip(matrix.rows, matrix.cells)) == {"wave 1": [1, 1], "wave 2": [1, 1]}
    assert matrix.row_sizes == [3, 1]


def test_rows_by_an_attribute_ignore_its_case(study):
    matrix = matrix_of(study, by="GENDER", level="code")
    assert dict(zip(matrix.rows, matrix.cells)) == {"female": [3, 1], "male": [0, 3], MISSING: [0, 0]}


def test_unknown_attribute_or_level_is_a_clear_error(study):
    with pytest.raises(WorkbenchError, match="no participant has an attribute 'religion'"):
        matrix_of(study, by="religion")
    with pytest.raises(WorkbenchError, match="no node of kind 'subtheme'"):
        matrix_of(study, level="subtheme")
