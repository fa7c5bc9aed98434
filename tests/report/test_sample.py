"""The sample description survives oddly named, missing and unreadable attributes."""

import statistics

import pytest

from workbench.importing import import_transcript
from workbench.report.sample import describe_sample


@pytest.fixture
def odd_study(project, tmp_path):
    for name in ("a1.txt", "a1_2.txt", "a2.txt", "a3.txt"):
        (tmp_path / name).write_text(f"Interviewer: Hello {name}?\n\nParticipant: Hi.\n", encoding="utf-8")
        import_transcript(project, tmp_path / name)
    project.manifest["transcripts"]["a1"]["duration"] = 40.0
    project.manifest["transcripts"]["a2"]["duration"] = 60.0
    project.save_manifest()
    project.set_attributes({
        "a1": {"SEX": "Female", "Age (years)": "30", "Diagnoses": "depression; anxiety", "Ethnic group": "Malay",
               "Site": "North"},
        "a2": {"sex": "female", "Age (years)": "unknown", "Diagnoses": "Depression", "Site": "North"},
        "a3": {"Age (years)": "40", "Site": "South"},
        "nobody": {"SEX": "male"},  # attributes but no interview: not in the sample
    })
    return project


def test_odd_attribute_names_are_found_and_gaps_counted(odd_study):
    sample = describe_sample(odd_study)
    assert (sample.participants, sample.transcripts) == (3, 4)
    assert dict(sample.gender) == {"Female": 2}
    assert sample.age.n == 2 and sample.age.missing == 1
    assert sample.age.mean == 35 and sample.age.sd == pytest.approx(statistics.stdev([30, 40]))
    assert dict(sample.diagnoses) == {"depression": 2, "anxiety": 1}
    assert dict(sample.ethnicities) == {"Malay": 1}
    assert dict(sample.interviews_per_participant) == {2: 1, 1: 2}
    assert sample.duration.mean == 50 and sample.duration.missing == 2
    assert dict(sample.other["Site"]) == {"North": 2, "South": 1}
    lines = dict(sample.lines())
    assert lines["Age (years)"] == "mean (SD) 35.0 (7.1), range 30–40; 1 not recorded"


def test_a_project_without_attributes_still_describes_its_interviews(project, tmp_path):
    (tmp_path / "x.txt").write_text("Interviewer: Hi?\n\nParticipant: Hello.\n", encoding="utf-8")
    import_transcript(project, tmp_path / "x.txt")
    lines = dict(describe_sample(project).lines())
    assert lines["Participants"] == "1" and lines["Interview duration (min)"] == "not recorded"
    assert "Gender" not in lines and "Age (years)" not in lines
