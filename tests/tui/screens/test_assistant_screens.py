"""The assistant on screen: more like this from a code (c codes a passage), and the
suggestions walk (accept, reject, skip), driven with Pilot; what lands on disk is checked."""

import asyncio

from textual.widgets import OptionList

from tests.tui.tui_support import on_disk, running, settle
from workbench.assistant.store import assistant_name, open_suggestions
from workbench.assistant.model import Suggestion
from workbench.assistant.passages import project_passages
from workbench.assistant.store import write_suggestions


def planted_suggestions(project, coder_name: str, count: int) -> list:
    """Suggestions written to the assistant's file as `suggest` writes them (the walk is tested
    apart from how good the model is): uncoded passages, each with the coder's first code."""
    with project.open_coder(coder_name, readonly=True) as coder:
        code = next(c for c in coder.codebook.walk() if c.codable)
        coded = {(c.transcript, c.start) for c in coder.codings()}
        passages = [p for p in project_passages(project) if (p.transcript, p.start) not in coded][:count]
        found = [Suggestion(p.transcript, p.start, p.end, coder.codebook.path(code.id), 0.9, [], p.text) for p in passages]
        write_suggestions(project, coder, found, "0" * 64)
    return found


async def wait_for(pilot, condition, timeout=60.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the assistant did not answer"
        await pilot.pause(0.1)


def test_more_like_this_from_a_code_codes_a_passage_with_one_key(demo):
    async def scenario():
        async with running(demo, size=(120, 40)) as (app, pilot):
            with app.writes.lock:
                stigma = app.coder.code("stigma")
                before = len(app.coder.codings(codes={stigma.id}))
            app.select_code(stigma.id, True)
            await pilot.pause()
            await pilot.press("L")
            await wait_for(pilot, lambda: getattr(app.screen, "found", None))
            screen = app.screen
            first = screen.found[0].passage
            await pilot.press("c")
            await settle(pilot, app)
            with on_disk(demo) as coder:
                coded = coder.codings(codes={stigma.id})
                assert len(coded) == before + 1
                assert any((c.transcript, c.start, c.end) == (first.transcript, first.start, first.end) for c in coded)
            assert first not in [s.passage for s in screen.found]
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            assert app.transcript_id is not None and app.transcript_view.selection is not None

    asyncio.run(scenario())


def test_the_suggestions_walk_accepts_rejects_and_skips(demo):
    found = planted_suggestions(demo, "alex", 4)
    async def scenario():
        async with running(demo, size=(120, 40)) as (app, pilot):
            with app.writes.lock:
                before = len(app.coder.codings())
            app.open_screen("suggestions")
            await pilot.pause()
            screen = app.screen
            rows = list(screen.rows)
            assert len(rows) == len(found)
            assert "◇" in str(screen.query_one(OptionList).get_option_at_index(0).prompt)
            await pilot.press("a")  # the first becomes a coding
            await settle(pilot, app)
            await wait_for(pilot, lambda: len(screen.rows) == len(rows) - 1)
            await pilot.press("s")  # skip the next
            await pilot.pause()
            skipped = screen.rows[screen.query_one(OptionList).highlighted - 1]
            await pilot.press("r")  # reject the one after it
            await settle(pilot, app)
            await wait_for(pilot, lambda: len(screen.rows) == len(rows) - 2)
            assert skipped in screen.rows
        with on_disk(demo) as coder:
            assert len(coder.codings()) == before + 1
            assert coder.history()[-1].action == "assistant.accept"
        left = open_suggestions(demo, "alex")
        assert len(left) == len(rows) - 2 and rows[0]["id"] not in {r["id"] for r in left}
        assert assistant_name("alex") not in demo.coders(assistants=False)

    asyncio.run(scenario())
