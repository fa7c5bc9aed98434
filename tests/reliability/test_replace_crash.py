"""Issue 14.1: a crash during `import --replace` never misplaces a coding. The replace is killed
(SIGKILL) before every durable step it takes (each fsync and each rename), with two coders; then
any command runs: every coding is either on the old text at its old place or on the new text at
its moved place, never moved twice, and `doctor` finds nothing wrong."""

from __future__ import annotations

import shutil
from hashlib import sha256
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from workbench.cli.main import cli
from workbench.doctor import examine
from workbench.importing import import_transcript
from workbench.project import Project

REPO = Path(__file__).resolve().parents[2]
OLD = (
    "Interviewer: How did the first weeks on the ward go?\n\n"
    "Participant: Honestly, it was hard. Nobody knew what a peer worker does. One nurse asked me "
    "for the cabinet key and then said I was not real staff.\n\n"
    "Interviewer: What helped you through it?\n\n"
    "Participant: My supervisor. She sat down with me every Friday and that made a difference. "
    "Later the team started to ask me to join the handover.\n"
)
NEW = ("Interviewer: [recording starts] Thank you for coming.\n\n" + OLD)\
    .replace("it was hard", "it was really hard").replace("every Friday", "each Friday")
PHRASES = {"alex": ["it was hard", "not real staff", "every Friday"],
           "sam": ["Nobody knew what a peer worker does", "join the handover", "My supervisor"]}

KILL_AT = """
import os, signal, sys
limit, calls = int(sys.argv[1]), [0]
def counted(real):
    def call(*args, **kwargs):
        calls[0] += 1
        if calls[0] == limit:
            os.kill(os.getpid(), signal.SIGKILL)  # before this durable step: every step before it is on disk
        return real(*args, **kwargs)
    return call
os.fsync, os.replace = counted(os.fsync), counted(os.replace)
from workbench.cli.main import cli
cli(sys.argv[2:])
"""


def positions(root: Path) -> dict[str, dict[str, tuple[int, int, str]]]:
    project = Project(root)
    found = {}
    for name in project.coders():
        with project.open_coder(name, readonly=True) as coder:
            found[name] = {c.id: (c.start, c.end, c.text) for c in coder.codings()}
    return found


@pytest.fixture(scope="module")
def before_and_after(tmp_path_factory):
    """The project before the replace, its codings then, and the codings after a replace that
    ran to its end."""
    folder = tmp_path_factory.mktemp("replace")
    project = Project.init(folder / "study", "Crash")
    (folder / "50001.txt").write_text(OLD, encoding="utf-8")
    import_transcript(project, folder / "50001.txt")
    for name, phrases in PHRASES.items():
        with project.open_coder(name) as coder:
            coder.add_code("theme")
            for phrase in phrases:
                start = OLD.index(phrase)
                coder.add_coding("50001", start, start + len(phrase), "theme", phrase)
    corrected = folder / "corrected" / "50001.txt"
    corrected.parent.mkdir()
    corrected.write_text(NEW, encoding="utf-8")
    clean = folder / "clean"
    shutil.copytree(project.root, clean)
    assert workbench(clean, "import", "--replace", corrected).exit_code == 0
    old, new = positions(project.root), positions(clean)
    assert old != new and all(text == NEW[s:e] for coder in new.values() for s, e, text in coder.values()
                              if text in ("not real staff", "join the handover"))
    return project.root, corrected, old, new


def workbench(root: Path, *args):
    return CliRunner().invoke(cli, ["-p", str(root), "--coder", "alex", *map(str, args)])


def sha_in_manifest(root: Path) -> str:
    return orjson.loads((root / "project.json").read_bytes())["transcripts"]["50001"]["sha256"]


def killed_replaces(before_and_after, tmp_path, every: int = 1):
    """(kill point, project folder) of a replace killed before each of its durable steps in turn
    (or every `every`th step)."""
    origin, corrected, _, _ = before_and_after
    for point in range(1, 500):
        if point % every and point > 1:
            continue
        root = tmp_path / f"k{point}"
        shutil.copytree(origin, root)
        child = subprocess.run([sys.executable, "-c", KILL_AT, str(point), "-p", str(root), "--coder", "alex",
                                "import", "--replace", str(corrected)], cwd=REPO, capture_output=True, text=True)
        if child.returncode == 0:
            assert point > 10  # the replace takes many durable steps: the counting worked
            return
        assert child.returncode == -signal.SIGKILL, child.stderr
        yield point, root


def assert_consistent(root: Path, old, new, point) -> None:
    shown = Project(root)
    now = positions(root)
    if sha_in_manifest(root) == sha256(NEW.encode()).hexdigest():
        assert shown.text("50001") == NEW
        assert now == new, f"killed before step {point}: codings not on their moved places"
    else:
        assert sha_in_manifest(root) == sha256(OLD.encode()).hexdigest() and shown.text("50001") == OLD
        assert now == old, f"killed before step {point}: codings moved while the old text stayed"
    leftovers = ("stale lock", "temporary file")  # what any kill leaves, mended by doctor --fix
    problems = [f"{f.where}: {f.problem}" for f in examine(root)
                if f.serious and not any(word in f.problem for word in leftovers)]
    assert not problems, f"killed before step {point}: {problems}"


def test_a_replace_killed_at_any_step_then_any_command_leaves_every_coding_in_place(before_and_after, tmp_path):
    _, _, old, new = before_and_after
    points = 0
    for point, root in killed_replaces(before_and_after, tmp_path):
        result = workbench(root, "transcripts")  # any command
        assert result.exit_code == 0, (point, result.output)
        assert_consistent(root, old, new, point)
        points += 1
    assert points > 10


def test_a_killed_replace_run_again_moves_every_coding_once(before_and_after, tmp_path, thorough):
    _, corrected, old, new = before_and_after
    for point, root in killed_replaces(before_and_after, tmp_path, every=1 if thorough else 3):
        result = workbench(root, "import", "--replace", corrected)
        assert result.exit_code == 0, (point, result.output)
        assert positions(root) == new, f"killed before step {point}, then imported again"
        assert Project(root).text("50001") == NEW


def test_doctor_fix_finishes_a_killed_replace(before_and_after, tmp_path, thorough):
    _, _, old, new = before_and_after
    seen = set()
    for point, root in killed_replaces(before_and_after, tmp_path, every=1 if thorough else 3):
        before_doctor = positions(root)
        report = CliRunner().invoke(cli, ["-p", str(root), "doctor"])
        if (root / "replacing").is_dir() and list((root / "replacing").glob("*.json")):
            assert report.exit_code == 1 and "interrupted" in report.output
            assert positions(root) == before_doctor  # without --fix, doctor changes nothing
            seen.add(point)
        CliRunner().invoke(cli, ["-p", str(root), "doctor", "--fix"])
        assert_consistent(root, old, new, point)
    assert seen
