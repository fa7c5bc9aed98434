"""SVG snapshots of the coding screen at 80x24 and 160x48 (Textual pinned in pyproject).
Update them after a deliberate change with `pytest tests/tui/test_snapshots.py --snapshot-update`."""

import pytest

from tui_support import offset_of
from workbench.tui.app import WorkbenchApp


@pytest.fixture
def coded_app(project):
    with project.open_coder("alex") as coder:
        for fragment, length, code in (("The cabinet", 35, "stigma"), ("cabinet key", 11, "unclear role"),
                                        ("It hurt", 8, "stigma")):
            start = offset_of(project, "50002", fragment)
            coder.add_coding("50002", start, start + length, code, project.text("50002")[start:start + length])
        coder.set_memo("transcript", "50002", "# After the interview\nQuiet room, **tired** participant.")
    coder = project.open_coder("alex")
    app = WorkbenchApp(project, coder)
    yield app
    app.writes.finish()
    coder.close()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_coding_screen(snap_compare, coded_app, size):
    async def select_a_sentence(pilot):
        await pilot.press("j", "j", "w", "w", "w", "w", "w", "s")
        await pilot.pause()

    assert snap_compare(coded_app, terminal_size=size, run_before=select_a_sentence)


def test_code_picker(snap_compare, coded_app):
    async def open_picker(pilot):
        await pilot.press("j", "j", "s", "c", *"sup")
        await pilot.pause()

    assert snap_compare(coded_app, terminal_size=(80, 24), run_before=open_picker)
