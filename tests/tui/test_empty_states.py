"""An empty codebook and a project without transcripts say what to do next."""

import pytest

from tui_support import on_disk, running, screen_lines, settle
from workbench.project import Project

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def empty_project(tmp_path):
    return Project.init(tmp_path / "empty", title="Nothing yet")


@pytest.mark.parametrize("size", SIZES)
async def test_an_empty_codebook_says_A_adds_a_top_level_code_and_A_does(project, size):
    with project.open_coder("sam"):
        pass
    async with running(project, coder="sam", size=size) as (app, pilot):
        shown = "\n".join(screen_lines(app))
        assert "No codes yet:" in shown and "A adds a top-level code" in shown
        await pilot.press("tab")
        assert app.focused is app.codebook_tree
        await pilot.press("A", *"first code", "enter")
        await settle(pilot, app)
        shown = "\n".join(screen_lines(app))
        assert "first code" in shown and "No codes yet" not in shown
    with on_disk(project, "sam") as coder:
        assert [c.name for c in coder.codebook.walk()] == ["first code"]


@pytest.mark.parametrize("size", SIZES)
async def test_a_project_without_transcripts_names_workbench_import(empty_project, size):
    async with running(empty_project, size=size) as (app, pilot):
        lines = screen_lines(app)
        assert any("workbench import FILE" in line for line in lines)
        assert any("No transcripts in this project yet." in line for line in lines)
        await pilot.pause()
        assert app.focused is app.codebook_tree
        await pilot.press("A", *"stigma", "enter")  # the codebook can be built before the transcripts
        await settle(pilot, app)
    with on_disk(empty_project) as coder:
        assert [c.name for c in coder.codebook.walk()] == ["stigma"]
