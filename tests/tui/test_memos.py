"""The memo panel, the journal, the memos screen, the palette, and a write that fails."""

from datetime import date

from tui_support import offset_of, on_disk, running, settle
from workbench.errors import StorageFailure
from workbench.tui.screens.memos import MemosScreen
from workbench.tui.widgets.memo_panel import SAVE_AFTER


async def test_the_memo_saves_by_itself_after_a_pause(project):
    async with running(project) as (app, pilot):
        await pilot.press("m", *"# Field notes", "enter", *"**tired** today")
        assert app.memo_panel.editor.language == "markdown"
        await pilot.pause(SAVE_AFTER + 0.3)
        await settle(pilot, app)
        with on_disk(project) as coder:
            assert coder.memo("transcript", "50002").text == "# Field notes\n**tired** today"
        assert app.focused is app.memo_panel.editor  # saving did not take the focus away


async def test_leaving_the_panel_saves_at_once(project):
    async with running(project) as (app, pilot):
        await pilot.press("m", *"quick note", "tab")
        await settle(pilot, app)
        with on_disk(project) as coder:
            assert coder.memo("transcript", "50002").text == "quick note"


async def test_a_comment_on_the_coding_under_the_cursor(project):
    with project.open_coder("alex") as coder:
        start = offset_of(project, "50002", "It hurt")
        coding = coder.add_coding("50002", start, start + 7, "stigma", "It hurt")
    async with running(project) as (app, pilot):
        while app.transcript_view.cursor < start:
            await pilot.press("right")
        await pilot.press("M")
        assert app.memo_panel.subject.title == "Comment · “It hurt”"
        await pilot.press(*"said quietly", "escape")
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.memo("coding", coding.id).text == "said quietly"


async def test_n_starts_a_dated_journal_entry(project):
    async with running(project) as (app, pilot):
        await pilot.press("n")
        today = date.today().isoformat()
        assert app.memo_panel.subject.title == f"Journal · {today}"
        await pilot.press(*"first", "escape")
        await settle(pilot, app)
        await pilot.press("tab", "tab")  # back in the editor: the same entry, edited
        await pilot.press(*" thoughts", "escape")
        await settle(pilot, app)
    with on_disk(project) as coder:
        [entry] = coder.journal()
        assert entry.text == "first thoughts" and entry.title == today


async def test_the_memos_screen_filters_as_you_type_and_opens_a_memo(project):
    with project.open_coder("alex") as coder:
        coder.set_memo("transcript", "50002_2", "second interview, noisy room")
        coder.set_memo("code", coder.code("stigma").id, "how staff see peers")
    async with running(project) as (app, pilot):
        await pilot.press("o")
        assert isinstance(app.screen, MemosScreen)
        assert len(app.screen.shown) == 2
        await pilot.press(*"noisy")
        assert len(app.screen.shown) == 1
        await pilot.press("enter")
        assert app.memo_panel.subject.title == "Field notes · 50002_2"
        assert app.memo_panel.editor.text == "second interview, noisy room"


async def test_a_failed_write_is_shown_kept_and_retried(project):
    async with running(project) as (app, pilot):
        real = app.coder.add_coding
        calls = []

        def failing_once(*args, **kwargs):
            calls.append(args)
            if len(calls) == 1:
                raise StorageFailure("disk full")
            return real(*args, **kwargs)

        app.coder.add_coding = failing_once
        await pilot.press("s", "c", *"stigma", "enter")
        await settle(pilot, app)
        assert len(app.failed) == 1
        assert [m.pending for m in app.transcript_view.marks] == [True]  # still shown, as not yet saved
        assert any("disk full" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.failed == []
        assert [m.pending for m in app.transcript_view.marks] == [False]
    with on_disk(project) as coder:
        assert len(coder.codings()) == 1


async def test_the_palette_offers_commands_for_the_focus_codes_and_transcripts(project):
    async with running(project) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"50002_2")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.transcript_id == "50002_2"
        await pilot.press("ctrl+p", *"stigma")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is app.codebook_tree
        with app.writes.lock:
            assert app.codebook_tree.code_id == app.coder.code("stigma").id
        from workbench.tui.commands import WorkbenchCommands

        provider = WorkbenchCommands(app.screen, None)
        app.transcript_view.focus()
        await pilot.pause()
        names = [name for name, _, _ in provider.commands(everything=False)]
        assert "Transcript: code (c)" in names and "Open search" in names
