"""Coding a span that overlaps or touches a coding of the same code extends that coding:
one coding on the screen and on disk, and one `u` takes the extension back."""

from tui_support import offset_of, on_disk, running, settle


async def test_coding_the_turn_around_a_coded_sentence_extends_that_coding(project):
    async with running(project) as (app, pilot):
        view = app.transcript_view
        target = offset_of(project, "50002", "The cabinet")
        while view.cursor < target:
            await pilot.press("right")
        await pilot.press("s", "c", *"stigma", "enter")
        await settle(pilot, app)
        await pilot.press("t", "c", *"stigma", "enter")
        await settle(pilot, app)
        turn = project.segments("50002").turn_at(target)
        [mark] = view.marks
        assert mark.name == "stigma" and mark.start <= target and mark.end >= turn.end - 1
        with on_disk(project) as coder:
            [coding] = coder.codings()
            assert coding.text == project.text("50002")[coding.start:coding.end]
            assert "joined with 1 overlapping coding" in coder.history()[-1].summary
        await pilot.press("u")
        await settle(pilot, app)
        [mark] = view.marks
        assert project.text("50002")[mark.start:mark.end] == "The cabinet key 🔑 was kept from me."
