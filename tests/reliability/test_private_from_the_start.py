"""Issue 14.6: private means private from the first moment. `init` into an existing folder makes
it 0700 (or refuses one that is not ours); atomic writes never follow a planted link and use names
nobody can guess; a killed export's temporary file (outside the project, full of quotes) is found
by `doctor` and removed by `doctor --fix`."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.doctor import examine, mend
from workbench.securefs import atomic_write

REPO = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_into_an_existing_open_folder_makes_it_private(tmp_path):
    folder = tmp_path / "shared-study"
    folder.mkdir()
    os.chmod(folder, 0o777)
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    assert mode(folder) == 0o700


def test_init_refuses_a_folder_that_belongs_to_someone_else(tmp_path, monkeypatch):
    folder = tmp_path / "theirs"
    folder.mkdir()
    os.chmod(folder, 0o777)
    monkeypatch.setattr(os, "geteuid", lambda: folder.stat().st_uid + 1)
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 2 and "belongs to another user" in result.stderr
    assert mode(folder) == 0o777 and not list(folder.iterdir())


def test_a_link_planted_at_the_old_temporary_name_is_never_written_through(coded, run, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    for pid in range(os.getpid() - 50, os.getpid() + 50):  # the name atomic_write used to choose
        os.symlink(victim, shared / f".codings.csv.{pid}.tmp")
    assert run("export", "csv", shared / "codings.csv").exit_code == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert "not real staff" in (shared / "codings.csv").read_text(encoding="utf-8")


def test_atomic_write_never_follows_a_link_even_at_its_own_temporary_name(tmp_path, monkeypatch):
    import secrets

    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    monkeypatch.setattr(secrets, "token_hex", lambda n: "ab" * n)  # as if the name had been guessed
    os.symlink(victim, tmp_path / f".out.txt.{os.getpid()}.{'ab' * 8}.tmp")
    with pytest.raises(OSError):
        atomic_write(tmp_path / "out.txt", b"quotes")
    assert victim.read_text(encoding="utf-8") == "precious" and not (tmp_path / "out.txt").exists()


def test_temporary_names_are_unpredictable(tmp_path, monkeypatch):
    seen = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (seen.append(Path(a).name), real(a, b)))
    for _ in range(3):
        atomic_write(tmp_path / "out.txt", b"x")
    assert len(set(seen)) == 3 and all(str(os.getpid()) in name for name in seen)


KILLED_EXPORT = """
import os, signal, sys
real_replace = os.replace
def replace(source, target, **kw):  # killed once the export's data is written, before its rename
    if str(target) == sys.argv[-1]:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(source, target, **kw)
os.replace = replace
from workbench.cli.main import cli
cli(sys.argv[1:])
"""


@pytest.mark.parametrize("export", [("export", "csv"), ("export", "qdpx"), ("export", "qdc"), ("report", "-o")])
def test_a_killed_exports_temporary_file_is_reported_and_removed_by_doctor(coded, run, tmp_path, export):
    out = tmp_path / "exports" / {"csv": "c.csv", "qdpx": "p.qdpx", "qdc": "b.qdc", "-o": "r.md"}[export[1]]
    out.parent.mkdir()
    child = subprocess.run([sys.executable, "-c", KILLED_EXPORT, "-p", str(coded.root), "--coder", "alex",
                            *export, str(out)], cwd=REPO, capture_output=True)
    assert child.returncode == -signal.SIGKILL, child.stderr
    left = list(out.parent.iterdir())
    assert len(left) == 1 and left[0].name.startswith(f".{out.name}.") and not out.exists()
    findings = [f for f in examine(coded.root) if f.serious]
    assert [f.where for f in findings] == [str(left[0])] and "export" in findings[0].problem
    assert run("doctor").exit_code == 1
    mend(findings)
    assert not list(out.parent.iterdir())
    assert not [f for f in examine(coded.root) if f.serious]
    assert run("doctor").exit_code == 0
