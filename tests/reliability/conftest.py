"""Shared pieces of the reliability suite: a project with one coded transcript, the command
line run in-process, and fingerprints of what lies on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli.main import cli

INTERVIEW = (
    "Interviewer: How did the first weeks on the ward go?\n\n"
    "Participant: Honestly, it was hard. Nobody knew what a peer worker does. One nurse asked me "
    "for the cabinet key and then said I was not real staff.\n\n"
    "Interviewer: What helped you through it?\n\n"
    "Participant: My supervisor. She sat down with me every Friday and that made a difference. "
    "Later the team started to ask me to join the handover.\n"
)


@pytest.fixture
def thorough(request) -> bool:
    """True with --slow: run the many-iteration variants."""
    return bool(request.config.getoption("--slow"))


@pytest.fixture
def kill_rounds(thorough) -> int:
    return 200 if thorough else 20


@pytest.fixture
def run(project):
    """`workbench -p PROJECT --coder CODER ARGS...` in this process."""
    def invoke(*args, coder="alex"):
        return CliRunner().invoke(cli, ["-p", str(project.root), "--coder", coder, *map(str, args)])
    return invoke


@pytest.fixture
def coded(project, tmp_path):
    """The project with one interview imported and coder alex holding a code and two codings."""
    from workbench.importing import import_transcript

    source = tmp_path / "50001_2.txt"
    source.write_text(INTERVIEW, encoding="utf-8")
    import_transcript(project, source)
    text = project.text("50001_2")
    with project.open_coder("alex") as coder:
        coder.add_code("barriers")
        for words in ("not real staff", "every Friday"):
            start = text.index(words)
            coder.add_coding("50001_2", start, start + len(words), "barriers", words)
    return project


@pytest.fixture
def fingerprint():
    return files_and_hashes


def files_and_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder` (lock files aside: they come and go with sessions)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file() and not p.name.endswith(".lock")}
