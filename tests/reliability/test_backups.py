"""Guarantee: each coder file is backed up daily (a few kept), and `workbench doctor
--restore` puts the last good backup in place of a damaged file, keeping the damaged one."""

from __future__ import annotations

import stat

import orjson
import pytest

from workbench.backups import KEEP, backups_of, today
from workbench.errors import CoderFileLocked


def backup_dir(project):
    return project.root / "coders" / "backups"


@pytest.fixture
def backed_up(coded):
    """The backed_up project after a second session: its first backup holds the fixture's codings."""
    assert not backups_of(coded.root / "coders" / "alex.json")  # a new file has nothing to back up
    with coded.open_coder("alex"):
        pass
    return coded


def codings_of(project, coder="alex"):
    with project.open_coder(coder, readonly=True) as coder_file:
        return {c.id for c in coder_file.codings()}


def test_opening_to_write_backs_up_the_file_once_a_day(backed_up):
    (backup,) = backups_of(backed_up.root / "coders" / "alex.json")
    assert backup.path == backup_dir(backed_up) / f"alex-{today()}.json"
    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup_dir(backed_up).stat().st_mode) == 0o700
    first = backup.path.read_bytes()
    with backed_up.open_coder("alex") as coder:
        coder.add_coding("50001_2", 0, 11, "barriers", backed_up.text("50001_2")[:11])
    with backed_up.open_coder("alex"):
        pass
    assert backup.path.read_bytes() == first  # one a day: the morning's state stays
    with backed_up.open_coder("alex", readonly=True):
        pass
    assert len(backups_of(backed_up.root / "coders" / "alex.json")) == 1


def test_only_the_newest_backups_are_kept(backed_up):
    (todays,) = backups_of(backed_up.root / "coders" / "alex.json")
    old = todays.path.read_bytes()
    todays.path.unlink()
    for day in range(1, 13):
        (backup_dir(backed_up) / f"alex-202401{day:02d}.json").write_bytes(old)
    (backup_dir(backed_up) / "alexandra-20240101.json").write_bytes(old)  # another coder's: not counted
    with backed_up.open_coder("alex"):
        pass
    kept = [b.date for b in backups_of(backed_up.root / "coders" / "alex.json")]
    assert kept == [today()] + [f"202401{d:02d}" for d in range(12, 12 - KEEP + 1, -1)]
    assert (backup_dir(backed_up) / "alexandra-20240101.json").exists()


def damage(project) -> bytes:
    path = project.root / "coders" / "alex.json"
    damaged = path.read_bytes()[:40]
    path.write_bytes(damaged)
    return damaged


def test_doctor_names_the_damage_and_restores_the_last_good_backup(backed_up, run):
    expected = codings_of(backed_up)
    damaged = damage(backed_up)
    report = run("doctor", "--format", "json")
    assert report.exit_code == 1
    finding = next(f for f in orjson.loads(report.stdout) if f["where"].endswith("alex.json"))
    assert "not valid JSON" in finding["problem"] and "workbench doctor --restore alex" in finding["mend"]
    restored = run("doctor", "--restore", "alex")
    assert restored.exit_code == 0, restored.output
    assert "restored alex from the backup of" in restored.stderr
    assert codings_of(backed_up) == expected
    (aside,) = (backed_up.root / "coders").glob("alex.json.damaged-*")
    assert aside.read_bytes() == damaged  # never deleted
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert run("code", "add", "50001_2", 0, 11, "barriers").exit_code == 0


def test_restore_skips_a_damaged_backup_and_takes_a_chosen_day(backed_up, run):
    (todays,) = backups_of(backed_up.root / "coders" / "alex.json")
    good = todays.path.read_bytes()
    (backup_dir(backed_up) / "alex-20240105.json").write_bytes(good)
    todays.path.write_bytes(b"{not json")
    damage(backed_up)
    restored = run("doctor", "--restore", "alex")
    assert "restored alex from the backup of 2024-01-05" in restored.stderr  # (exit 1: the files made here are 0644)
    assert len(codings_of(backed_up)) == 2  # from the older, good backup
    missing_day = run("doctor", "--restore", "alex", "--from", "2023-02-02")
    assert missing_day.exit_code == 2 and "no backup of alex from 2023-02-02" in missing_day.stderr
    assert "restored" in run("doctor", "--restore", "alex", "--from", "2024-01-05").stderr


def test_restore_is_refused_while_a_session_holds_the_file(backed_up, run):
    with backed_up.open_coder("alex"):
        result = run("doctor", "--restore", "alex")
        assert result.exit_code == 2 and "already open in another session" in result.stderr
    assert not list((backed_up.root / "coders").glob("*.damaged-*"))


def test_restore_without_any_backup_says_so(backed_up, run):
    for backup in backups_of(backed_up.root / "coders" / "alex.json"):
        backup.path.unlink()
    damage(backed_up)
    result = run("doctor", "--restore", "alex")
    assert result.exit_code == 2 and "no backups of alex" in result.stderr


def test_a_locked_session_cannot_be_restored_under_in_process(backed_up):
    from workbench.backups import restore_backup

    with backed_up.open_coder("alex"):
        with pytest.raises(CoderFileLocked):
            restore_backup(backed_up.root / "coders" / "alex.json")
