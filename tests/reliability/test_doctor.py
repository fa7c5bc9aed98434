"""Guarantee: `workbench doctor` finds what is wrong, says how to mend it, mends with --fix
only what is safe (never content), and exits non-zero while problems remain."""

from __future__ import annotations

import json
import os
import socket

import orjson

from workbench.backups import today


def findings(run, *extra):
    result = run("doctor", "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)


def problems(rows):
    return [r for r in rows if r["status"] == "problem"]


def test_a_healthy_project_passes(coded, run):
    code, rows = findings(run)
    assert code == 0 and not problems(rows)


def test_a_transcript_changed_outside_workbench_is_named(coded, run):
    path = coded.root / "transcripts" / "50001_2.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("not real staff", "not proper staff"), encoding="utf-8")
    os.chmod(path, 0o600)
    code, rows = findings(run, "--fix")
    assert code == 1
    found = {r["problem"].split(":")[0] for r in problems(rows)}
    assert any("SHA-256 differs" in r["problem"] and "import --replace" in r["mend"] for r in rows)
    assert any("no longer matches its verbatim text" in r["problem"] for r in rows), found
    assert "not proper staff" in path.read_text(encoding="utf-8")  # --fix never touches content


def test_missing_and_orphan_transcripts(coded, run):
    (coded.root / "transcripts" / "50001_2.txt").rename(coded.root / "transcripts" / "stray.txt")
    code, rows = findings(run)
    assert code == 1
    assert any("is missing" in r["problem"] and "--replace --id 50001_2" in r["mend"] for r in rows)
    assert any(r["where"].endswith("stray.txt") and "does not list" in r["problem"] for r in rows)


def test_codings_pointing_at_missing_codes_or_out_of_range(coded, run):
    with coded.open_coder("alex") as coder:
        coding = coder.codings()[0]
        coder.update_coding(coding.id, end=10_000)
        coder.update_coding(coder.codings()[1].id, code="0" * 32)
    code, rows = findings(run)
    assert code == 1
    assert any("lies outside the transcript" in r["problem"] and coding.id[:8] in r["problem"] for r in rows)
    assert any("not in the codebook" in r["problem"] for r in rows)


def test_fix_mends_permissions_stale_locks_torn_journals_and_dead_temp_files(coded, run):
    root = coded.root
    os.chmod(root / "project.json", 0o644)
    os.chmod(root / "cache", 0o755)
    (root / "coders" / "alex.json.lock").write_bytes(orjson.dumps({"pid": 999_999_999, "host": socket.gethostname(), "since": "x"}))
    with open(root / "coders" / "alex.json.journal", "ab") as journal:
        journal.write(b"0badc0de {torn")
    temp = root / "transcripts" / f".50001_2.txt.{999_999_999}.tmp"
    temp.write_bytes(b"half")
    code, rows = findings(run)
    assert code == 1
    fixable = {r["problem"].split(" (")[0].split(":")[0] for r in problems(rows) if r["fixable"]}
    assert len(problems(rows)) == 4 and len(fixable) == 4, rows
    code, rows = findings(run, "--fix")
    assert code == 0 and not problems(rows), problems(rows)
    assert sum(r["status"] == "fixed" for r in rows) == 4
    assert not temp.exists() and not (root / "coders" / "alex.json.lock").exists()
    assert not (root / "coders" / "alex.json.journal").exists()
    assert oct(os.stat(root / "project.json").st_mode & 0o777) == "0o600"
    with coded.open_coder("alex", readonly=True) as coder:
        assert len(coder.codings()) == 2


def test_a_live_session_is_noted_not_broken(coded, run):
    with coded.open_coder("alex"):
        code, rows = findings(run, "--fix")
        assert code == 0
        assert any("open in a session" in r["problem"] and r["status"] == "ok" for r in rows)
        assert (coded.root / "coders" / "alex.json.lock").exists()


def test_doctor_reports_a_damaged_manifest_instead_of_failing(coded, run):
    (coded.root / "project.json").write_bytes(b"{broken")
    os.chmod(coded.root / "project.json", 0o600)
    code, rows = findings(run)
    assert code == 1
    assert any(r["where"].endswith("project.json") and "not valid JSON" in r["problem"] for r in rows)


def test_doctor_lists_the_backups(coded, run):
    coded.open_coder("alex").close()
    _, rows = findings(run)
    day = f"{today()[:4]}-{today()[4:6]}-{today()[6:]}"
    assert any(r["problem"] == f"alex: 1 backup ({day})" for r in rows)


def test_the_table_for_people_says_what_and_how(coded, run):
    os.chmod(coded.root / "project.json", 0o644)
    result = run("doctor")
    assert result.exit_code == 1
    assert "others could read" in result.output and "mend: make files 0600" in result.output
    assert "1 problem in" in result.stderr and "--fix" in result.stderr


STUCK = ("import sys, time\nfrom workbench.project import Project\n"
         "coder = Project(sys.argv[1]).open_coder('alex')\nprint('holding', flush=True)\ntime.sleep(120)\n")


def test_a_live_session_that_made_no_progress_for_long_is_named_with_its_pid_and_age(coded, run):
    import subprocess
    import sys
    import time

    holder = subprocess.Popen([sys.executable, "-c", STUCK, str(coded.root)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == b"holding\n"
        lock = coded.root / "coders" / "alex.json.lock"
        code, rows = findings(run)
        assert code == 0 and not problems(rows)  # a session that has just marked its progress is fine
        stuck_since = time.time() - 3 * 3600 - 5 * 60
        os.utime(lock, (stuck_since, stuck_since))  # its last progress mark: 3 h 5 min ago
        code, rows = findings(run, "--fix")
        [stuck] = problems(rows)
        assert code == 1 and stuck["where"] == str(lock)
        assert f"pid {holder.pid}" in stuck["problem"] and "no progress for 3 h 5 min" in stuck["problem"]
        assert "open for" in stuck["problem"] and f"kill {holder.pid}" in stuck["mend"]
        assert holder.poll() is None and lock.exists()  # --fix never ends a process or breaks a held lock
    finally:
        holder.kill()
        holder.wait()
