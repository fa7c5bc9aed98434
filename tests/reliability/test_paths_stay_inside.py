"""Issue 14.5: no path leaves the project. A transcript id is one plain file name, checked by one
rule wherever it enters: `import --id`, file names, .qdpx source names and the manifest on load."""

from __future__ import annotations

import orjson
import pytest

from workbench.doctor import examine

CLIMBING = ["../../escaped", "../escaped", "/tmp/escaped", "a/b", "..", ".hidden", "-rf", "x\x00y", "", "escaped\n"]


@pytest.mark.parametrize("bad_id", CLIMBING)
def test_import_refuses_an_id_that_is_not_one_plain_name(coded, run, tmp_path, fingerprint, interview_file, bad_id):
    before = fingerprint(coded.root)
    result = run("import", interview_file, "--id", bad_id)
    assert result.exit_code == 2
    assert "not a usable transcript id" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert fingerprint(coded.root) == before
    assert not list(tmp_path.rglob("escaped*")) and not (tmp_path / "escaped.txt").exists()


@pytest.mark.parametrize("bad_name", ["alex\n", "alex\n\n", "\nalex"])
def test_a_coder_name_with_a_newline_is_refused_and_no_file_made(coded, run, fingerprint, bad_name):
    before = fingerprint(coded.root)
    result = run("code", "add", "50001_2", 20, 31, "barriers", coder=bad_name)
    assert result.exit_code == 2 and "not a usable coder name" in result.stderr
    assert fingerprint(coded.root) == before


def plant(project, bad_id: str, victim) -> None:
    manifest = orjson.loads(project.manifest_path.read_bytes())
    entry = dict(next(iter(manifest["transcripts"].values())), id=bad_id)
    manifest["transcripts"][bad_id] = entry
    project.manifest_path.write_bytes(orjson.dumps(manifest))


def test_a_planted_manifest_id_is_never_followed_and_doctor_reports_it(coded, run, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("the victim's private notes", encoding="utf-8")
    relative = "../../victim"  # transcripts/../../victim.txt is tmp_path/victim.txt
    assert (coded.root / "transcripts" / f"{relative}.txt").resolve() == victim.resolve()
    plant(coded, relative, victim)
    out = tmp_path / "out.qdpx"
    result = run("export", "qdpx", out)
    assert result.exit_code == 2 and "not a usable transcript id" in result.stderr
    assert not out.exists()
    findings = [f for f in examine(coded.root) if f.serious]
    assert any("../../victim" in f.problem for f in findings)
    doctor = run("doctor")
    assert doctor.exit_code != 0 and "../../victim" in doctor.output


def test_a_qdpx_source_name_cannot_climb(tmp_path, run, project):
    from tests.exchange.exchange_helpers import write_zip

    qde = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="t">'
           '<Sources><TextSource guid="11111111-1111-1111-1111-111111111111" name="../../../escaped">'
           '<PlainTextContent>Interviewer: hello?\nParticipant: hi there.\n</PlainTextContent></TextSource>'
           '</Sources></Project>')
    result = run("import", write_zip(tmp_path / "names.qdpx", {"project.qde": qde}))
    assert result.exit_code == 0, result.output
    assert not list(tmp_path.rglob("escaped.txt")) or all(
        p.parent == project.root / "transcripts" for p in tmp_path.rglob("escaped.txt"))
    ids = [t.id for t in type(project)(project.root).transcripts()]
    assert ids == ["escaped"]
