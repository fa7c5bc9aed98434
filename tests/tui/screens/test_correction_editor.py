"""A correction can only correct: in theme review the editor opens only with `g` (named in the
footer), with the cursor after the text and nothing selected; one that would replace the
quote is refused in place and nothing reaches the disk."""

from textual.widgets import Input

from workbench.tui.widgets.key_bar import KeyBar

from test_theme_review import ReviewApp, SIZE, first_quote, on_disk, pilot_test, select_node
from workbench.tui.screens.correction import CorrectionEditor
from workbench.tui.screens.theme_review import ThemeReviewScreen


@pilot_test
async def test_enter_on_a_quote_opens_nothing_and_g_is_in_the_footer(demo):
    app = ReviewApp(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await select_node(pilot, "barriers/unclear role")
        coding_id = await first_quote(pilot)
        before = on_disk(demo).coding(coding_id)
        await pilot.press("enter", "g", "enter")
        await pilot.pause()
        assert app.screen is screen  # Enter opened no editor; g, typed then, opened one only now
        shown = {key: active.binding.description for key, active in screen.active_bindings.items()
                 if active.binding.show}
        assert shown.get("g") == "correct" and screen.query_one(KeyBar).display
        assert on_disk(demo).coding(coding_id).corrected == before.corrected


@pilot_test
async def test_the_editor_opens_with_the_cursor_at_the_end_and_nothing_selected(demo):
    app = ReviewApp(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select_node(pilot, "barriers/unclear role")
        coding_id = await first_quote(pilot)
        verbatim = " ".join(on_disk(demo).coding(coding_id).text.split())
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, CorrectionEditor)
        field = app.screen.query_one("#correction-input", Input)
        assert field.has_focus and field.cursor_position == len(verbatim)
        assert field.selection.is_empty
        await pilot.press("g", "enter")  # the stray letter lands after the quote, never instead of it
        await pilot.pause()
        assert isinstance(app.screen, ThemeReviewScreen)
        assert on_disk(demo).coding(coding_id).corrected == verbatim + "g"


@pilot_test
async def test_a_correction_replacing_the_quote_is_refused_in_place(demo):
    app = ReviewApp(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select_node(pilot, "barriers/unclear role")
        coding_id = await first_quote(pilot)
        await pilot.press("g")
        await pilot.pause()
        editor = app.screen
        editor.query_one("#correction-input", Input).value = "g"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is editor
        assert "cannot replace the quote" in str(editor.query_one("#correction-hint").render())
        assert on_disk(demo).coding(coding_id).corrected is None
