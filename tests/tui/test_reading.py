"""Reading a transcript: hard-wrapped turns flow as paragraphs at 80x24 and code exactly what
the stored text holds; the screen reopens where the coder left it, and `[` `]` return to
each transcript's last place; the memo list opens a coding's comment on its transcript."""

from __future__ import annotations

import pytest

from tui_support import offset_of, on_disk, running, settle
from workbench.importing import import_transcript

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
