"""The survey grid: one row per answer, coded with a sticky code one key per row."""

import asyncio
import functools

from workbench.sources.survey import plan_survey, store_survey
from workbench.tui.screens.picker import PickerScreen
from workbench.tui.screens.survey_grid import SurveyGridScreen

from tests.tui.tui_support import on_disk, running, screen_lines, settle


def pilot_test(scenario):
    @functools.wraps(scenario)
    def run(*args, **kwargs):
        asyncio.run(scenario(*args, **kwargs))
    return run


def import_table(project, tmp_path, lines: list[str], questions: str) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(lines) + "\n")
    store_survey(project, plan_survey(project, path, "respondent", questions))


def survey(project, tmp_path, respondents: int = 12):
    lines = ["respondent,gender,q7,q9"]
    for n in range(1, respondents + 1):
        lines.append(f"R{n},{'F' if n % 2 else 'M'},Answer {n} about the staff,{'Other ' + str(n) if n % 3 else ''}")
    import_table(project, tmp_path, lines, "q7,q9")
    with project.open_coder("alex") as coder:
        coder.add_code("staff")
        coder.add_code("cost")
    return project


async def open_grid(app, pilot) -> SurveyGridScreen:
    app.open_screen("survey")
    await pilot.pause()
    assert isinstance(app.screen, SurveyGridScreen)
    return app.screen


@pilot_test
async def test_ten_rows_coded_with_the_sticky_code_are_ten_codings_on_disk(project, tmp_path):
    survey(project, tmp_path)
    async with running(project) as (app, pilot):
        grid = await open_grid(app, pilot)
        assert grid.grid.count == 12  # every answer to q7, one row each
        await pilot.press("k")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"staff", "enter")
        await pilot.pause()
        assert app.screen is grid and "sticky: staff" in str(grid.query_one("#grid-title").render())
        for _ in range(10):
            await pilot.press("space")
        await settle(pilot, app)
        titles = str(grid.query_one("#grid-title").render())
    with on_disk(project) as coder:
        codings = coder.codings()
        staff = coder.code("staff").id
    assert len(codings) == 10 and {c.code for c in codings} == {staff}
    assert sorted(c.transcript for c in codings) == sorted(f"R{n}.q7" for n in range(1, 11))
    assert all(c.start == 0 and c.end == len(project.text(c.transcript)) for c in codings)
    assert "10 coded" in titles


@pilot_test
async def test_repeat_last_code_filter_and_next_question(project, tmp_path):
    survey(project, tmp_path, respondents=6)
    async with running(project) as (app, pilot):
        grid = await open_grid(app, pilot)
        await pilot.press("c", *"cost", "enter")  # R1 with the picker
        await settle(pilot, app)
        await pilot.press("full_stop", "full_stop")  # R2 and R3 with the last code
        await settle(pilot, app)
        await pilot.press("f", *"uncoded, gender=M", "enter")
        await pilot.pause()
        assert [grid.rows[t].respondent for t in grid.shown] == ["R4", "R6"]
        await pilot.press("Q")
        await pilot.pause()
        assert grid.question == "q9"
        await pilot.press("enter")  # the filter holds: R2 (M, uncoded) opens in the coding screen, all selected
        await pilot.pause()
        assert app.screen is not grid and app.transcript_id == "R2.q9"
        assert app.transcript_view.selection == (0, len(project.text("R2.q9")))
    with on_disk(project) as coder:
        assert sorted(c.transcript for c in coder.codings()) == ["R1.q7", "R2.q7", "R3.q7"]


@pilot_test
async def test_at_80_columns_every_column_is_in_view_and_a_long_answer_ends_with_an_ellipsis(project, tmp_path):
    lines = ["respondent,gender,age,region,q7"]
    for n in range(1, 6):
        lines.append(f"R{n},F,{30 + n},north,{'The staff were kind and the group helped me feel less alone ' * 3}")
    import_table(project, tmp_path, lines, "q7")
    with project.open_coder("alex") as coder:
        coder.add_code("belonging")
        coder.add_coding("R1.q7", 0, len(project.text("R1.q7")), "belonging", project.text("R1.q7"))
    async with running(project, size=(80, 24)) as (app, pilot):
        await open_grid(app, pilot)
        await pilot.pause()
        screen = screen_lines(app)
        header = next(line for line in screen if line.startswith("respondent"))
        first = next(line for line in screen if line.startswith("R1 "))
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        wide = next(line for line in screen_lines(app) if line.startswith("R1 "))
    for title in ("gender", "age", "region", "codes", "answer"):
        assert title in header, header  # nothing off to the right at 80 columns
    assert "belonging" in first and first.rstrip().endswith("…") and "The staff" in first
    assert len(wide.rstrip()) > len(first.rstrip())  # a wider screen gives the answer the room


@pilot_test
async def test_the_grid_reopens_where_the_coder_left_it(project, tmp_path):
    survey(project, tmp_path, respondents=9)
    async with running(project) as (app, pilot):
        grid = await open_grid(app, pilot)
        await pilot.press("Q")  # the second question
        await pilot.press("f", *"gender=M", "enter")
        await pilot.press("k", *"staff", "enter")
        await pilot.pause()
        await pilot.press("down", "enter")  # the second man's answer opens in the coding screen
        await pilot.pause()
        assert app.transcript_id == "R4.q9"
        await pilot.press("v", "escape")  # some work on the answer there, then back to the grid
        again = await open_grid(app, pilot)
        assert again is not grid
        title = str(again.query_one("#grid-title").render())
        assert again.question == "q9" and "filter gender=M" in title and "sticky: staff" in title
        assert again.shown[again.grid.cursor] == "R4.q9"
        await pilot.press("f")  # the filter prompt holds the filter, ready for one more term
        await pilot.press(*"uncoded", "enter")
        await pilot.pause()
        assert again.filter_terms == ["gender=M", "uncoded"]


@pilot_test
async def test_a_survey_answers_footer_names_the_grid_key_and_an_interviews_does_not(project, tmp_path, interview_file):
    from workbench.importing import import_transcript

    survey(project, tmp_path)
    import_transcript(project, interview_file)
    async with running(project, size=(80, 24)) as (app, pilot):
        app.open_transcript("R1.q7")
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "c code  R survey grid" in footer and footer.rstrip().endswith("? keys"), footer
        app.open_transcript(interview_file.stem)
        await pilot.pause()
        assert "survey grid" not in screen_lines(app)[-1]
