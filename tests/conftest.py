"""Shared fixtures, and `--slow` for the thorough variants of the reliability tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Timings are never asserted in tests: no per-example deadline (a loaded CI machine would
# otherwise fail a correct property now and then).
settings.register_profile("workbench", deadline=None)
settings.load_profile("workbench")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "sample_transcripts"


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", default=False, help="run the thorough (slow) tests too")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="thorough variant: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def shared() -> Path:
    """The shared folder beside the repository (real corpora, interop files); skips when absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not here")
    return SHARED


@pytest.fixture(scope="session")
def copy_demo(tmp_path_factory):
    """`copy_demo(folder) -> Project`: a copy of the demo project, which is built once per run."""
    import shutil

    from workbench.demo import build_demo
    from workbench.project import Project

    master = build_demo(tmp_path_factory.mktemp("demo-master") / "demo").root

    def copy(folder: Path) -> Project:
        shutil.copytree(master, folder)  # copy2 keeps modes and mtimes, so table indexes stay valid
        return Project(folder)

    return copy


@pytest.fixture
def demo(copy_demo, tmp_path):
    """A fresh copy of the demo project for one test."""
    return copy_demo(tmp_path / "demo")


@pytest.fixture
def project(tmp_path):
    from workbench.project import Project

    return Project.init(tmp_path / "study", title="Test study")


def write_transcript(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def interview_file(tmp_path) -> Path:
    """A short interview with non-ASCII text, as a researcher would type it."""
    return write_transcript(tmp_path, "50007_3.txt", (
        "Interviewer: How was your first week on the ward?\n\n"
        "Participant: Honestly? Hard. The nurses didn’t know what a peer worker does. "
        "One of them asked me for the cabinet key and then said I wasn’t “real staff”.\n\n"
        "Interviewer: What helped you?\n\n"
        "Participant: My supervisor, Zoë. She sat down with me every Friday — that made a difference.\n"
    ))
