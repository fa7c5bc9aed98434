"""The co-occurrence view, the matrix's framework summaries and the saturation curve (issue 16),
driven with Pilot in the coding screen on the demo project."""

from textual.widgets import DataTable, OptionList, Static, TextArea

from tests.tui.tui_support import on_disk, running, settle
from workbench.analysis.cooccurrence import cooccurrence
from workbench.analysis.framework import CELL, cell_target


async def open_screen(app, pilot, screen_id):
    app.open_screen(screen_id)
    await pilot.pause()
    await pilot.pause()


def test_cooccurrence_view_counts_and_lists_the_passages(demo):
    import asyncio

    async def scenario():
        async with running(demo, size=(120, 40)) as (app, pilot):
            await open_screen(app, pilot, "cooccurrence")
            screen = app.screen
            with demo.open_coder("alex", readonly=True) as coder:
                expected = cooccurrence(demo, coder, unit="turn")
            await pilot.press("n")  # sentence -> turn
            await pilot.pause()
            assert screen.unit == "turn"
            best = expected.pairs[0]
            assert best.both > 0
            a, b = screen.nodes.index(best.a), screen.nodes.index(best.b)
            grid = screen.query_one(DataTable)
            grid.cursor_coordinate = (a, b + 1)
            await pilot.pause()
            assert str(grid.get_cell_at((a, b + 1))).strip() == str(best.both)
            from workbench.wording import plural

            assert plural(best.both, "turn") in str(screen.query_one("#cooccurrence-detail", Static).render())
            await pilot.press("enter")
            await pilot.pause()
            options = app.screen.query_one(OptionList)
            assert options.option_count == best.both
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            view = app.transcript_view
            assert view.selection is not None and app.transcript_id is not None

    asyncio.run(scenario())


def test_matrix_summary_editor_writes_the_cells_summary_beside_its_quotes(demo):
    import asyncio

    async def scenario():
        async with running(demo, size=(120, 40)) as (app, pilot):
            await open_screen(app, pilot, "matrix")
            screen = app.screen
            matrix = screen.matrix
            r, c = next((r, c) for r, row in enumerate(matrix.cells) for c, v in enumerate(row) if v)
            grid = screen.query_one(DataTable)
            grid.cursor_coordinate = (r, c + 1)
            await pilot.pause()
            await pilot.press("e")
            await pilot.pause()
            editor = app.screen.query_one(TextArea)
            assert editor.has_focus
            assert app.screen.query_one(OptionList).option_count == matrix.cells[r][c]
            await pilot.press(*"Hostile ward, isolated")
            await pilot.press("ctrl+s")
            await pilot.pause()
            await settle(pilot, app)
            row, column = matrix.rows[r], matrix.columns[c]
            with on_disk(demo) as coder:
                memo = coder.memo(CELL, cell_target(matrix.by, row, column["id"]))
            assert memo is not None and memo.text == "Hostile ward, isolated"
            await pilot.pause()
            assert "Hostile ward, isolated" in str(screen.query_one("#matrix-summary", Static).render())
            assert "✎" in str(grid.get_cell_at((r, c + 1)))

    asyncio.run(scenario())


def test_saturation_curve_shows_every_transcript_in_order(demo):
    import asyncio

    async def scenario():
        async with running(demo, size=(80, 24)) as (app, pilot):
            await open_screen(app, pilot, "saturation")
            screen = app.screen
            result = screen.result
            assert [s.transcript for s in result.steps] == result.order and len(result.order) == len(demo.transcripts())
            curve = screen.query_one("#saturation-curve", Static)
            text = "\n".join(line.text for line in curve.render_lines(curve.content_region.reset_offset))
            assert result.order[0] in text and "█" in text and "Guest, Namey & Chen" in text
            await pilot.press("o")
            await pilot.pause()
            assert screen.order == "import" and screen.result.order == [t.id for t in demo.transcripts()]

    asyncio.run(scenario())
