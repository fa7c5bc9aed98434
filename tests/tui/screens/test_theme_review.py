"""The theme review screen, driven with Pilot inside a minimal app."""

import asyncio
import functools

from textual.app import App
from textual.widgets import Input, OptionList, Static, Tree

from workbench.tui.screens.theme_review import ThemeReviewScreen

SIZE = (140, 45)


def pilot_test(scenario):
    """Run an async Pilot scenario as a plain test (no async plugin needed)."""
    @functools.wraps(scenario)
    def run(*args, **kwargs):
        asyncio.run(scenario(*args, **kwargs))
    return run


class ReviewApp(App):
    def __init__(self, project):
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(ThemeReviewScreen(self.project, "alex"))


def on_disk(project):
    with project.open_coder("alex", readonly=True) as coder:
        return coder


async def select_node(pilot, path: str):
    screen = pilot.app.screen
    tree = screen.query_one(Tree)
    with screen.lock:
        code_id = screen.coder.code(path).id
    node = next(n for n in walk(tree.root) if n.data == code_id)
    tree.move_cursor(node)
    await pilot.pause()
    return code_id


def walk(node):
    for child in node.children:
        yield child
        yield from walk(child)


async def first_quote(pilot):
    quotes = pilot.app.screen.query_one(OptionList)
    await pilot.press("tab")
    await pilot.pause()
    assert quotes.has_focus
    quotes.highlighted = next(i for i in range(quotes.option_count) if quotes.get_option_at_index(i).id)
    await pilot.pause()
    return quotes.highlighted_option.id


@pilot_test
async def test_a_subtheme_shows_its_quotes_by_participant_and_wave_with_coverage(demo):
    app = ReviewApp(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ThemeReviewScreen)
        labels = [str(n.label) for n in walk(screen.query_one(Tree).root)]
        assert any(label.startswith("■ barriers category  37·10") for label in labels)
        await select_node(pilot, "barriers/hostility from staff")
        summary = str(screen.query_one("#review-summary", Static).render())
        assert "participants 8 of 10" in summary and "transcripts 12 of 23" in summary
        assert "salience = 0.5 × primacy" in summary
        options = screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(s.startswith("Participant 50002 · ") for s in shown)
        assert any(s.strip().startswith("wave 2 ·") for s in shown)
        quotes = [s for s in shown if "“" in s]
        assert len(quotes) == 16 and all(s.rstrip().endswith(")") or "dismissive" in s or "stigma" in s
                                         or "exclusion" in s for s in quotes)


@pilot_test
async def test_marking_an_exemplar_and_correcting_a_quote_reach_the_disk(demo):
    app = ReviewApp(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select_node(pilot, "barriers/unclear role")
        coding_id = await first_quote(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert on_disk(demo).coding(coding_id).exemplar is True
        await pilot.press("g")
        await pilot.pause()
        editor_input = app.screen.query_one("#correction-input", Input)
        verbatim = on_disk(demo).coding(coding_id).text
        assert editor_input.value == " ".join(verbatim.split())
        tidier = "[Indeed,] " + " ".join(verbatim.split())
        editor_input.value = tidier
        await pilot.press("enter")
        await pilot.pause()
        saved = on_disk(demo).coding(coding_id)
        assert (saved.corrected, saved.text) == (tidier, verbatim)
        options = app.screen.query_one(OptionList)
        shown = str(options.highlighted_option.prompt)
        assert "★" in shown and f"“{tidier}”" in shown and "verbatim:" in shown


@pilot_test
async def test_rename_kind_move_and_merge_from_the_review_screen(demo):
    app = ReviewApp(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select_node(pilot, "barriers/personal strain")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "strain on self"
        await pilot.press("enter")
        await pilot.pause()
        assert on_disk(demo).code("barriers/strain on self").kind == "subtheme"
        await pilot.press("K")
        await pilot.pause()
        await pilot.press(*"theme", "enter")
        await pilot.pause()
        assert on_disk(demo).code("barriers/strain on self").kind == "theme"
        await select_node(pilot, "barriers/strain on self/workload")
        await pilot.press("M")
        await pilot.pause()
        await pilot.press(*"barriers/unsupportive environment", "enter")
        await pilot.pause()
        assert on_disk(demo).code("workload").parent == on_disk(demo).code("barriers/unsupportive environment").id
        await select_node(pilot, "barriers/unsupportive environment/workload")
        await pilot.press("J")
        await pilot.pause()
        await pilot.press(*"barriers/unsupportive environment/bureaucracy", "enter")
        await pilot.pause()
        book = on_disk(demo).codebook
        assert "workload" not in {c.name for c in book.walk()}
        assert len(on_disk(demo).codings(codes={on_disk(demo).code("bureaucracy").id})) == 4
        labels = [str(n.label) for n in walk(app.screen.query_one(Tree).root)]
        assert any("bureaucracy" in label and "4·" in label for label in labels)


@pilot_test
async def test_themes_only_map_and_closing_releases_the_coder_file(demo):
    app = ReviewApp(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        labels = [str(n.label) for n in walk(app.screen.query_one(Tree).root)]
        assert labels and all(" category" in label or " subtheme" in label or " theme" in label for label in labels)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ThemeReviewScreen)
    with demo.open_coder("alex"):
        pass  # the lock was released


@pilot_test
async def test_the_main_app_opens_it_with_T_and_writes_through_its_queue(demo):
    from workbench.tui.app import WorkbenchApp

    coder = demo.open_coder("alex")
    app = WorkbenchApp(demo, coder)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.codebook_tree.focus()
            await pilot.press("T")
            await pilot.pause()
            assert isinstance(app.screen, ThemeReviewScreen)
            await select_node(pilot, "facilitators/supportive figures")
            coding_id = await first_quote(pilot)
            await pilot.press("e")
            for _ in range(20):
                await pilot.pause(0.05)
                if coder.coding(coding_id).exemplar:
                    break
            assert coder.coding(coding_id).exemplar is True
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ThemeReviewScreen)
    finally:
        app.writes.finish()
        coder.close()
    assert on_disk(demo).coding(coding_id).exemplar is True


@pilot_test
async def test_the_matrix_view_counts_and_cycles_rows_and_levels(demo):
    app = ReviewApp(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        from workbench.tui.screens.matrix_view import MatrixScreen

        assert isinstance(app.screen, MatrixScreen)
        matrix = app.screen.matrix
        assert matrix.level == "subtheme" and matrix.rows[0] == "50001" and len(matrix.rows) == 10
        with demo.open_coder("alex", readonly=True) as coder:
            assert sum(map(sum, matrix.cells)) == len(coder.codings())
        await pilot.press("r")  # wave
        await pilot.pause()
        assert app.screen.by == "wave"
        await pilot.press("r")  # the first attribute
        await pilot.pause()
        assert app.screen.by == "age"
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.level == "code" and app.screen.matrix.by == "age"
        await pilot.press("p")
        await pilot.pause()
        assert {v for row in app.screen.matrix.cells for v in row} <= {0, 1}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ThemeReviewScreen)


@pilot_test
async def test_opening_shows_the_highlighted_first_theme_at_once(demo):
    app = ReviewApp(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        tree = screen.query_one(Tree)
        first = tree.root.children[0]
        assert tree.cursor_node is first
        with screen.lock:
            path = screen.coder.codebook.path(first.data)
        summary = str(screen.query_one("#review-summary", Static).render())
        assert summary.startswith(path) and "Pick a category" not in summary
        options = screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(s.startswith("Participant ") for s in shown) and sum("“" in s for s in shown) > 0
        # themes only, from a code: the map's cursor and the quotes move to its theme together
        code_id = await select_node(pilot, "barriers/unclear role/extra pair of hands")
        with screen.lock:
            parent = screen.coder.codebook[code_id].parent
        await pilot.press("t")
        await pilot.pause()
        assert tree.cursor_node.data == parent == screen.selected
