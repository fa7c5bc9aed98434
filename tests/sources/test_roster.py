"""The sources' roster (each transcript's kind and participant, beside the manifest): a count
over a survey reads it instead of the 40,000-entry manifest, and only while the manifest is
the one Workbench last wrote or checked; a manifest changed behind its back is read."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.project import Project
from workbench.sources.attribution import Attribution
from workbench.sources.roster import ROSTER
from workbench.storage.journal import file_identity


def run(project, *args):
    return CliRunner().invoke(cli, ["-p", str(project.root), "--coder", "alex", *args])


@pytest.fixture
def survey(project, tmp_path):
    table = tmp_path / "answers.csv"
    table.write_text("respondent,age,q7\n17,34,The staff were kind\n18,50,Too far to travel\n19,22,The leaflets\n",
                     encoding="utf-8")
    assert run(project, "import", str(table), "--id-column", "respondent", "--text-columns", "q7").exit_code == 0
    run(project, "codes", "add", "staff")
    for tid in ("17.q7", "18.q7"):
        assert run(project, "code", "add", tid, "0", "3", "staff").exit_code == 0
    return Project(project.root)


def stats(project) -> list:
    result = run(project, "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_count_over_a_survey_leaves_the_manifest_unread(survey):
    assert (survey.root / ROSTER).is_file()
    fresh = Project(survey.root)
    assert fresh._manifest is None
    assert Attribution(fresh).fixed_participants() == {"17.q7": "17", "18.q7": "18", "19.q7": "19"}
    assert fresh._manifest is None  # the roster stood for it
    counted = stats(survey)
    (survey.root / ROSTER).unlink()
    assert stats(survey) == counted  # read from the manifest itself: the same
    assert counted[0]["participants"] == 2 and counted[0]["transcripts"] == 2


def rewrite_manifest(project, change, in_place: bool, keep_mtime: bool) -> None:
    path = project.manifest_path
    before = os.stat(path)
    data = path.read_bytes()
    changed = change(data)
    assert len(changed) == len(data)  # the same size: only the inode or the mtime can tell
    if in_place:
        with open(path, "r+b") as out:
            out.write(changed)
    else:
        path.with_name("new.json").write_bytes(changed)
        os.replace(path.with_name("new.json"), path)
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("in_place,keep_mtime", [(True, False), (False, True)],
                         ids=["edited in place", "replaced, its mtime kept"])
def test_a_manifest_changed_behind_workbench_is_read_not_the_roster(survey, in_place, keep_mtime):
    rewrite_manifest(survey, lambda data: data.replace(b'"participant": "18"', b'"participant": "17"'),
                     in_place, keep_mtime)
    fresh = Project(survey.root)
    assert fresh._manifest is not None  # read now, and checked
    assert Attribution(fresh).fixed_participants()["18.q7"] == "17"
    assert stats(survey)[0]["participants"] == 1
    assert Project(survey.root)._manifest is None  # the roster was made anew from what was read


@pytest.mark.parametrize("roster", [b"not json", b'{"version": 1, "manifest": [1, 2, 3], "sources": {}}',
                                    b"{}", None], ids=["garbled", "of another manifest", "empty", "stamped, no sources"])
def test_a_damaged_roster_is_passed_over(survey, roster):
    path = survey.root / ROSTER
    if roster is None:  # the right stamp, sources that are no roster
        kept = json.loads(path.read_bytes())
        roster = json.dumps({**kept, "sources": {"17.q7": "17"}}).encode()
    path.write_bytes(roster)
    assert Project(survey.root)._manifest is not None
    assert stats(survey)[0]["participants"] == 2


def test_a_damaged_manifest_is_refused_even_where_a_roster_is_kept(survey):
    survey.manifest_path.write_bytes(survey.manifest_path.read_bytes()[:40])
    result = run(survey, "stats")
    assert result.exit_code != 0 and "not valid JSON" in result.output


def test_a_roster_of_a_newer_workbench_is_passed_over_and_its_manifest_refused(survey):
    path = survey.root / ROSTER
    path.write_bytes(path.read_bytes().replace(b'"schema":1', b'"schema":99'))
    result = run(survey, "stats")
    assert result.exit_code == 0  # the manifest itself is of this Workbench: read, and the roster made anew
    assert Project(survey.root)._manifest is None
    manifest = json.loads(survey.manifest_path.read_bytes())
    survey.manifest_path.write_text(json.dumps({**manifest, "schema": 99}))
    fresh = json.loads(path.read_bytes())
    path.write_text(json.dumps({**fresh, "schema": 99, "manifest": list(file_identity(survey.manifest_path))}))
    result = run(survey, "stats")
    assert result.exit_code != 0 and "newer Workbench" in result.output
