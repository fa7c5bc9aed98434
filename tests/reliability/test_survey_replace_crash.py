"""A survey table's changed answers replaced with --replace, killed (SIGKILL) before each durable
step it takes, with two coders: then any command runs and each answer is whole, either its old
text with its codings where they were or its new text with its codings moved, and `doctor` finds
nothing wrong; the same import run again ends where an uninterrupted one does."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from tests.reliability.test_replace_crash import KILL_AT, REPO, positions
from workbench.cli.main import cli
from workbench.doctor import examine
from workbench.project import Project

OLD = "respondent,age,q7,q9\nR1,34,Kind staff and tea,Too far away\nR2,50,Nothing at all,\n"
NEW = ("respondent,age,q7,q9\nR1,35,Very kind staff and tea,Too far away by bus\nR2,50,Nothing at all,Cost\n"
       "R3,22,Calm,\n")
PHRASES = {"alex": [("R1.q7", "staff"), ("R1.q9", "far away")], "sam": [("R1.q7", "tea"), ("R2.q7", "Nothing")]}
ARGS = ("--id-column", "respondent", "--text-columns", "q7,q9", "--replace")


def workbench(root: Path, *args):
    return CliRunner().invoke(cli, ["-p", str(root), "--coder", "alex", *map(str, args)])


def answers(root: Path) -> dict[str, str]:
    """Each answer the manifest names: its text on disk, checked against the manifest's hash."""
    entries = orjson.loads((root / "project.json").read_bytes())["transcripts"]
    texts = {}
    for tid, entry in entries.items():
        text = (root / "transcripts" / f"{tid}.txt").read_text(encoding="utf-8")
        assert hashlib.sha256(text.encode()).hexdigest() == entry["sha256"], f"{tid}: text and manifest differ"
        texts[tid] = text
    return texts


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    folder = tmp_path_factory.mktemp("survey-replace")
    (folder / "old.csv").write_text(OLD)
    (folder / "answers.csv").write_text(NEW)
    root = folder / "study"
    Project.init(root, "Crash")
    assert workbench(root, "import", folder / "old.csv", *ARGS[:-1]).exit_code == 0
    project = Project(root)
    for name, phrases in PHRASES.items():
        with project.open_coder(name) as coder:
            coder.add_code("theme")
            for tid, phrase in phrases:
                start = project.text(tid).index(phrase)
                coder.add_coding(tid, start, start + len(phrase), "theme", phrase)
    clean = folder / "clean"
    shutil.copytree(root, clean)
    assert workbench(clean, "import", folder / "answers.csv", *ARGS).exit_code == 0
    return root, folder / "answers.csv", (answers(root), positions(root)), (answers(clean), positions(clean))


def problems(root: Path, *leftovers: str) -> list[str]:
    return [f"{f.where}: {f.problem}" for f in examine(root)
            if f.serious and not any(word in f.problem for word in leftovers)]


def killed(study, tmp_path):
    origin, table, _, _ = study
    for point in range(1, 500):
        root = tmp_path / f"k{point}"
        shutil.copytree(origin, root)
        child = subprocess.run([sys.executable, "-c", KILL_AT, str(point), "-p", str(root), "--coder", "alex",
                                "import", str(table), *ARGS], cwd=REPO, capture_output=True, text=True)
        if child.returncode == 0:
            assert point > 10
            return
        assert child.returncode == -signal.SIGKILL, child.stderr
        yield point, root


def test_a_survey_replace_killed_at_any_step_leaves_every_answer_whole(study, tmp_path):
    _, table, (old_texts, old_places), (new_texts, new_places) = study
    points = 0
    for point, root in killed(study, tmp_path):
        assert workbench(root, "transcripts").exit_code == 0, point  # any command: finishes what was begun
        texts = answers(root)
        assert set(old_texts) <= set(texts) <= set(new_texts), point
        now = positions(root)
        for coder, places in now.items():
            assert set(places) == set(old_places[coder]), point  # none dropped
            for cid, place in places.items():
                tid = next(t for t, p in PHRASES[coder] if p == place[2])
                expected = new_places if texts[tid] == new_texts[tid] else old_places
                assert place == expected[coder][cid], f"killed before step {point}: {cid} misplaced"
        # what any kill leaves (mended by doctor --fix), and a new answer's text written before
        # the manifest named it (as a first import killed leaves it; the import run again names it)
        assert not problems(root, "stale lock", "temporary file", "project.json does not list"), point
        again = workbench(root, "import", table, *ARGS)
        assert again.exit_code == 0, (point, again.output)
        assert answers(root) == new_texts and positions(root) == new_places, point
        assert not problems(root, "stale lock", "temporary file"), point
        points += 1
    assert points > 10
