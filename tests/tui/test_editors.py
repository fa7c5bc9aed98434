"""The memo, definition and comment editors: they open with the cursor after what is
already written, ctrl+home / ctrl+end go to either end, and escape goes back to the pane
the editor was opened from. At 80x24 and at 120x40."""

import pytest
from textual.widgets import Input

from tui_support import offset_of, on_disk, running, settle
from workbench.tui.screens.prompt import TextPrompt

SIZES = [(80, 24), (120, 40)]


async def focus_code(app, pilot, path):
    with app.writes.lock:
        code_id = app.coder.code(path).id
    app.select_code(code_id, focus=True)
    await pilot.pause()
    return code_id


@pytest.mark.parametrize("size", SIZES)
async def test_field_notes_open_with_the_cursor_after_them(project, size):
    with project.open_coder("alex") as coder:
        coder.set_memo("transcript", "50002", "Quiet room.\nTired participant.")
    async with running(project, size=size) as (app, pilot):
        await pilot.press("m")
        editor = app.memo_panel.editor
        assert app.focused is editor
        assert editor.cursor_location == (1, len("Tired participant.")) and not editor.selected_text
        await pilot.press(*" Left early.", "escape")
        await settle(pilot, app)
        assert app.focused is app.transcript_view
    with on_disk(project) as coder:
        assert coder.memo("transcript", "50002").text == "Quiet room.\nTired participant. Left early."


@pytest.mark.parametrize("size", SIZES)
async def test_d_in_the_codebook_types_after_the_definition_and_escape_returns_to_the_codebook(project, size):
    async with running(project, size=size) as (app, pilot):
        await focus_code(app, pilot, "stigma")
        await pilot.press("d")
        assert app.focused is app.memo_panel.editor
        assert app.memo_panel.editor.cursor_location == (0, len("being treated as a patient"))
        await pilot.press(*" by staff", "escape")
        assert app.focused is app.codebook_tree
        await pilot.press("m")  # the next memo is the code's, not the transcript's
        assert app.memo_panel.subject.title == "Memo · barriers/stigma"
        await pilot.press(*"seen in wave 2", "escape")
        assert app.focused is app.codebook_tree
        await settle(pilot, app)
    with on_disk(project) as coder:
        stigma = coder.code("stigma")
        assert stigma.description == "being treated as a patient by staff"
        assert coder.memo("code", stigma.id).text == "seen in wave 2"
        assert coder.memo("transcript", "50002") is None


@pytest.mark.parametrize("size", SIZES)
async def test_a_comment_opens_after_its_text_and_escape_returns_to_the_transcript(project, size):
    with project.open_coder("alex") as coder:
        start = offset_of(project, "50002", "It hurt")
        coding = coder.add_coding("50002", start, start + 7, "stigma", "It hurt")
        coder.set_memo("coding", coding.id, "said quietly")
    async with running(project, size=size) as (app, pilot):
        app.transcript_view.select(start, start)
        await pilot.press("M")
        assert app.memo_panel.editor.cursor_location == (0, len("said quietly"))
        await pilot.press(*", then smiled", "escape")
        assert app.focused is app.transcript_view
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.memo("coding", coding.id).text == "said quietly, then smiled"


@pytest.mark.parametrize("size", SIZES)
async def test_ctrl_home_and_ctrl_end_go_to_either_end_of_the_memo(project, size):
    with project.open_coder("alex") as coder:
        coder.set_memo("transcript", "50002", "one\ntwo\nthree")
    async with running(project, size=size) as (app, pilot):
        await pilot.press("m", "ctrl+home")
        editor = app.memo_panel.editor
        assert editor.cursor_location == (0, 0)
        await pilot.press(*"zero ", "ctrl+end")
        assert editor.cursor_location == (2, len("three"))
        await pilot.press(*" four", "escape")
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.memo("transcript", "50002").text == "zero one\ntwo\nthree four"


@pytest.mark.parametrize("size", SIZES)
async def test_a_prompt_with_text_opens_with_the_cursor_after_it_and_nothing_selected(project, size):
    async with running(project, size=size) as (app, pilot):
        await focus_code(app, pilot, "stigma")
        await pilot.press("r")
        assert isinstance(app.screen, TextPrompt)
        field = app.screen.query_one(Input)
        assert field.cursor_position == len("stigma") and field.selection.is_empty
        await pilot.press(*" at work", "enter")
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.code("stigma at work")


@pytest.mark.parametrize("size", SIZES)
async def test_tab_into_the_codebook_then_d_edits_the_first_codes_definition(project, size):
    async with running(project, size=size) as (app, pilot):
        await pilot.press("tab", "d")
        assert app.focused is app.memo_panel.editor
        assert app.memo_panel.subject.title == "Definition · barriers"
        await pilot.press(*"what gets in the way", "escape")
        assert app.focused is app.codebook_tree
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.code("barriers").description == "what gets in the way"
