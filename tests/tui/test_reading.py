"""Reading a transcript: hard-wrapped turns flow as paragraphs at 80x24 and code exactly what
the stored text holds; the screen reopens where the coder left it, and `[` `]` return to
each transcript's last place; the memo list opens a coding's comment on its transcript."""

from __future__ import annotations

import pytest

from tui_support import offset_of, on_disk, running, settle
from workbench.importing import import_transcript
from workbench.places import Places

HARD = (
    "Interview\n"
    "Dan: Okay. So my first question is if you currently use ICE plots in your\nwork?\n"
    "Participant: Ah, yeah. Not all the time, so it's not the main thing we do, but in our\n"
    "initial data explorations, we tend to use\nICE plots.\n"
    "Dan: And do you use both PDP and ICE plots?\n"
    "Participant: Yeah, we use PDP and\nICE plots.\n"
)


@pytest.fixture
def hard_wrapped(project, tmp_path):
    source = tmp_path / "P1.txt"
    source.write_text(HARD, encoding="utf-8")
    import_transcript(project, source)
    return project


def screen_rows(view) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


async def open_p1(app, pilot):
    while app.transcript_id != "P1":
        await pilot.press("]")


async def test_a_hard_wrapped_turn_reads_as_one_paragraph_at_80x24(hard_wrapped):
    async with running(hard_wrapped, size=(80, 24)) as (app, pilot):
        await open_p1(app, pilot)
        rows = screen_rows(app.transcript_view)
        shown = " ".join(row.strip() for row in rows)
        assert "we tend to use ICE plots." in shown  # the source's line break shows as a space
        assert "Yeah, we use PDP and ICE plots." in shown
        assert not any("───" in row for row in rows)  # turns are set apart by their labels, not a rule
        assert "ICE plots in your work?" in shown and "in our initial data" in shown
        assert all(row.rstrip() for row in rows[:10])  # no row lost to a separator
        starts = [r.strip() for r in rows]
        assert sum(s.startswith(("Dan:", "Participant:")) for s in starts) == 4  # each turn starts a row


async def test_coding_across_a_reflowed_line_break_stores_the_verbatim_text(hard_wrapped):
    async with running(hard_wrapped, size=(80, 24)) as (app, pilot):
        await open_p1(app, pilot)
        view = app.transcript_view
        start, end = offset_of(hard_wrapped, "P1", "we tend"), offset_of(hard_wrapped, "P1", " plots.\nDan: And")
        while view.cursor < start:
            await pilot.press("right")
        while view.cursor < end:
            await pilot.press("shift+right")
        assert view.selection == (start, end)
        await pilot.press("c", *"method", "enter", "enter")
        await settle(pilot, app)
    with on_disk(hard_wrapped) as coder:
        [coding] = coder.codings()
        assert (coding.start, coding.end) == (start, end)
        assert coding.text == "we tend to use\nICE" == hard_wrapped.text("P1")[start:end]


async def test_a_click_on_a_reflowed_row_lands_on_the_code_point_shown(hard_wrapped):
    from workbench.tui.widgets.transcript_view import STRIPE

    async with running(hard_wrapped, size=(80, 24)) as (app, pilot):
        await open_p1(app, pilot)
        view = app.transcript_view
        rows = screen_rows(view)
        y = next(i for i, r in enumerate(rows) if "ICE plots. " in r and "tend" in r or r.lstrip().startswith("ICE plots."))
        x = rows[y].index("ICE plots.")
        await pilot.click(offset=(view.content_region.x + x, view.content_region.y + y))
        assert hard_wrapped.text("P1")[view.cursor:view.cursor + 10] == "ICE plots."
        assert x >= STRIPE


# -- reopening where the coder left off (issue 12 item 11) ---------------------------------

async def test_reopening_returns_to_the_transcript_and_place_left(hard_wrapped):
    async with running(hard_wrapped, size=(80, 24)) as (app, pilot):
        await open_p1(app, pilot)
        for _ in range(9):
            await pilot.press("down")
        left_at = app.transcript_view.cursor
        assert left_at > 0
        await pilot.press("q")
        await pilot.pause()
    async with running(hard_wrapped, size=(80, 24)) as (app, pilot):
        assert app.transcript_id == "P1"
        assert app.transcript_view.cursor == left_at
        row = app.transcript_view.wrapped.row_of(left_at)
        assert app.transcript_view.scroll_offset.y <= row < app.transcript_view.scroll_offset.y + 22  # on screen
    stored = (hard_wrapped.root / "places" / "alex.json")
    assert stored.stat().st_mode & 0o777 == 0o600
    assert "places" not in (hard_wrapped.root / "project.json").read_text()


async def test_brackets_return_to_each_transcripts_last_place(project):
    async with running(project) as (app, pilot):
        view = app.transcript_view
        here = offset_of(project, "50002", "José")
        while view.cursor < here:
            await pilot.press("right")
        await pilot.press("]")
        assert app.transcript_id == "50002_2" and view.cursor == 0
        there = offset_of(project, "50002_2", "believed")
        while view.cursor < there:
            await pilot.press("right")
        await pilot.press("[")
        assert (app.transcript_id, view.cursor) == ("50002", here)
        await pilot.press("]")
        assert (app.transcript_id, view.cursor) == ("50002_2", there)


async def test_places_are_each_coders_own(project):
    async with running(project, coder="alex") as (app, pilot):
        await pilot.press("]", "q")
        await pilot.pause()
    async with running(project, coder="sam") as (app, pilot):
        assert app.transcript_id == "50002"  # sam has not been anywhere yet
    async with running(project, coder="alex") as (app, pilot):
        assert app.transcript_id == "50002_2"


@pytest.mark.parametrize("content", [b"", b"{not json", b"[1, 2]", b'{"last": 7, "positions": {"50002": "x"}}',
                                     b'{"last": "gone", "positions": {"50002": -4}}'])
async def test_a_damaged_places_file_only_means_starting_at_the_top(project, content):
    folder = project.root / "places"
    folder.mkdir()
    (folder / "alex.json").write_bytes(content)
    async with running(project) as (app, pilot):
        assert (app.transcript_id, app.transcript_view.cursor) == ("50002", 0)


def test_places_round_trip_and_refuse_a_bad_coder_name(project):
    from workbench.errors import WorkbenchError

    places = Places.load(project, "alex")
    places.remember("50002_2", 42)
    assert places.save()
    again = Places.load(project, "alex")
    assert (again.last, again.position("50002_2"), again.position("50002")) == ("50002_2", 42, None)
    with pytest.raises(WorkbenchError):
        Places.load(project, "../alex")


# -- the memo list opens a coding (issue 12 item 12) ----------------------------------------

async def test_opening_a_codings_comment_from_the_memo_list_selects_the_coding(project):
    text = project.text("50002_2")
    start = text.index("My supervisor")
    end = start + len("My supervisor believed in me.")
    with project.open_coder("alex") as coder:
        coding = coder.add_coding("50002_2", start, end, "facilitators/supervisor support", text[start:end])
        coder.set_memo("coding", coding.id, "the turning point")
    async with running(project) as (app, pilot):
        assert app.transcript_id == "50002"
        await pilot.press("o", *"turning", "enter")
        await pilot.pause()
        assert app.transcript_id == "50002_2"
        assert app.transcript_view.selection == (start, end)
        assert app.memo_panel.subject.kind == "coding" and app.memo_panel.subject.target == coding.id
        assert app.memo_panel.editor.text == "the turning point"
