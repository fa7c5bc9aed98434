"""A small project written here: accents, CJK, emoji, two transcripts of one participant."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

from workbench.importing import import_transcript
from workbench.project import Project

FIRST = (
    "Interviewer: How did the team take it?\n\n"
    "Participant: Café first, then naïve questions. The cabinet key 🔑 was kept from me. It hurt.\n\n"
    "Interviewer: And then?\n\n"
    "Participant: Then José trusted me. 我们一起工作。 He printed the figures.\n"
)
SECOND = (
    "Interviewer: What helped?\n\n"
    "Participant: My supervisor believed in me. That changed everything.\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """Two transcripts of participant 50002 and a coder 'alex' with a small codebook."""
    project = Project.init(tmp_path / "study", title="Small study")
    for name, text in (("50002.txt", FIRST), ("50002_2.txt", SECOND)):
        source = tmp_path / name
        source.write_text(text, encoding="utf-8")
        import_transcript(project, source)
    with project.open_coder("alex") as coder:
        coder.add_code("barriers", kind="category", color="#e6194b")
        coder.add_code("stigma", parent="barriers", color="#4363d8", description="being treated as a patient")
        coder.add_code("unclear role", parent="barriers", color="#f58231")
        coder.add_code("facilitators", kind="category", color="#3cb44b")
        coder.add_code("supervisor support", parent="facilitators", color="#911eb4")
    return project


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests in a fresh event loop (Textual's Pilot is async)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**arguments))
        return True
    return None
