"""The quote search screen: type (with a typo), see the hit, jump to it selected, code
hits from search (one, then several marked), and the codings on disk."""

from __future__ import annotations

import asyncio

import pytest

from tui_support import offset_of, on_disk, running, settle
from workbench.tui.screens.picker import PickerScreen
from workbench.tui.screens.search import SearchScreen


async def hits_for(pilot, screen, query: str, timeout: float = 5.0):
    """Wait until the hits listed are those of `query` (the search runs in a worker)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.05)
        if screen._shown == query and screen.hits:
            return screen.hits
    raise AssertionError(f"no hits for {query!r}")


async def test_typing_shows_hits_and_enter_jumps_with_the_span_selected(project):
    async with running(project) as (app, pilot):
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"supervisor beleived")
        hits = await hits_for(pilot, screen, "supervisor beleived")
        assert hits[0].quote_id == "50002_2" and hits[0].text == "supervisor believed"
        shown = str(screen.query_one("OptionList").get_option_at_index(0).prompt)
        assert "50002_2" in shown and "supervisor believed" in shown
        await pilot.press("enter")
        start = offset_of(project, "50002_2", "supervisor believed")
        assert app.transcript_id == "50002_2"
        assert app.transcript_view.selection == (start, start + len("supervisor believed"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_c_codes_the_sentence_a_hit_lies_in_without_leaving_search(project, size):
    async with running(project, size=size) as (app, pilot):
        await pilot.press("slash", *"cabinet key")
        screen = app.screen
        await hits_for(pilot, screen, "cabinet key")
        await pilot.press("down")
        assert "c code sentence" in screen.query_one(".dialog-hint").shown_text()
        await pilot.press("c")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"unclear role", "enter")
        await settle(pilot, app)
        assert app.screen is screen  # still searching
        assert screen.hits[0].codes == ["barriers/unclear role"]
        assert "barriers/unclear role" in str(screen.query_one("OptionList").get_option_at_index(0).prompt)
    sentence = "The cabinet key 🔑 was kept from me."
    start = offset_of(project, "50002", sentence)
    with on_disk(project) as coder:
        [coding] = coder.codings()
        assert (coding.transcript, coding.start, coding.end, coding.text) == ("50002", start, start + len(sentence), sentence)
        assert coder.codebook.path(coding.code) == "barriers/unclear role"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_w_codes_only_the_matched_words_and_the_footer_names_it(project, size):
    async with running(project, size=size) as (app, pilot):
        await pilot.press("slash", *"cabinet key")
        screen = app.screen
        await hits_for(pilot, screen, "cabinet key")
        await pilot.press("down")
        assert "w code words" in screen.query_one(".dialog-hint").shown_text()
        await pilot.press("w", *"unclear", "enter")
        await settle(pilot, app)
    start = offset_of(project, "50002", "cabinet key")
    with on_disk(project) as coder:
        [coding] = coder.codings()
        assert (coding.transcript, coding.start, coding.end, coding.text) == ("50002", start, start + 11, "cabinet key")


async def test_a_hit_across_two_sentences_codes_both_and_hits_in_one_sentence_code_it_once(project):
    text = project.text("50002")
    first, second = "Café first, then naïve questions.", "The cabinet key 🔑 was kept from me."
    across = (text.index("questions"), text.index("cabinet") + len("cabinet"))
    same = [(text.index("cabinet"), text.index("cabinet") + 7), (text.index("kept"), text.index("kept") + 4)]
    from workbench.tui.screens.search import spans_to_code
    assert spans_to_code(project, [("50002", *across)], True) == [
        ("50002", text.index(first), text.index(second) + len(second))]
    assert spans_to_code(project, [("50002", *span) for span in same], True) == [
        ("50002", text.index(second), text.index(second) + len(second))]
    assert spans_to_code(project, [("50002", *span) for span in same], False) == [("50002", *span) for span in same]


async def test_marked_hits_are_coded_together_in_one_pass(project):
    async with running(project) as (app, pilot):
        await pilot.press("slash", *"me")
        screen = app.screen
        hits = await hits_for(pilot, screen, "me")
        assert len(hits) >= 2
        await pilot.press("down", "space", "down", "space")
        assert len(screen.marked) == 2
        await pilot.press("w", *"supervisor support", "enter")
        await settle(pilot, app)
        assert screen.marked == set()
        marked = hits[:2]
    with on_disk(project) as coder:
        codings = {(c.transcript, c.start, c.end) for c in coder.codings()}
        assert codings == {(h.transcript, h.start, h.end) for h in marked}
        assert {coder.codebook.path(c.code) for c in coder.codings()} == {"facilitators/supervisor support"}
