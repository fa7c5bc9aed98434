"""The review screen of codings a corrected transcript changed, driven with Pilot in the coding app."""

import pytest
from rich.console import Console
from textual.widgets import OptionList, Static

from tui_support import offset_of, on_disk, running, settle
from workbench.importing import import_transcript
from workbench.tui.screens.review import ReviewScreen

CODED = (("50002", "The cabinet key 🔑 was kept from me.", "stigma"),
         ("50002", "It hurt.", "unclear role"),
         ("50002", "He printed the figures.", "supervisor support"),
         ("50002_2", "My supervisor believed in me.", "supervisor support"))
CORRECTIONS = {"50002": [("was kept from me", "was kept away from me"), ("It hurt.", "It really hurt.")],
               "50002_2": [("My supervisor believed", "My supervisor truly believed")]}


@pytest.fixture
def corrected(project, tmp_path):
    """Alex's four codings, then corrected transcripts: three codings change their words."""
    ids = {}
    with project.open_coder("alex") as coder:
        for transcript, fragment, code in CODED:
            start = offset_of(project, transcript, fragment)
            ids[fragment] = coder.add_coding(transcript, start, start + len(fragment), code, fragment).id
    (tmp_path / "fixed").mkdir()
    for transcript, edits in CORRECTIONS.items():
        text = project.text(transcript)
        for old, new in edits:
            text = text.replace(old, new)
        path = tmp_path / "fixed" / f"{transcript}.txt"
        path.write_text(text, encoding="utf-8")
        import_transcript(project, path, replace=True)
    return ids


def shown(screen: ReviewScreen) -> list[str]:
    """Each row of the list as the terminal shows it."""
    console = Console(width=140, record=True, file=open("/dev/null", "w"))
    rows = []
    options = screen.query_one(OptionList)
    for index in range(options.option_count):
        console.print(options.get_option_at_index(index).prompt)
        rows.append(" ".join(console.export_text().split()))
    return rows


async def open_review(app, pilot) -> ReviewScreen:
    app.open_screen("review")
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def test_lists_each_changed_coding_with_its_text_before_and_now(project, corrected):
    async with running(project) as (app, pilot):
        rows = shown(await open_review(app, pilot))
    assert len(rows) == 3
    assert "50002 (50002)" in rows[0] and "barriers/stigma" in rows[0]
    assert "was “The cabinet key 🔑 was kept from me.”" in rows[0]
    assert "now “The cabinet key 🔑 was kept away from me.”" in rows[0]
    assert "was “It hurt.”" in rows[1] and "now “It really hurt.”" in rows[1]
    assert "50002_2 (50002_2)" in rows[2] and "facilitators/supervisor support" in rows[2]
    assert not any("He printed" in row for row in rows)


async def test_accept_clears_the_flag_and_remove_deletes_the_coding(project, corrected):
    async with running(project) as (app, pilot):
        screen = await open_review(app, pilot)
        await pilot.press("a")
        await settle(pilot, app)
        rows = shown(screen)
        assert len(rows) == 2 and "It hurt." in rows[0]
        await pilot.press("x")
        await settle(pilot, app)
        assert len(shown(screen)) == 1
        await pilot.press("x")
        await settle(pilot, app)
        assert shown(screen) == []
        assert "Nothing to review" in str(screen.query_one("#review-title", Static).render())
    with on_disk(project) as coder:
        accepted = coder.coding(corrected["The cabinet key 🔑 was kept from me."])
        assert accepted.review is None and accepted.text == "The cabinet key 🔑 was kept away from me."
        remaining = {c.text for c in coder.codings()}
        assert remaining == {"The cabinet key 🔑 was kept away from me.", "He printed the figures."}
        assert not [c for c in coder.codings() if c.review]


async def test_enter_goes_to_the_coding_with_its_span_selected(project, corrected):
    async with running(project) as (app, pilot):
        await open_review(app, pilot)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
        with app.writes.lock:
            coding = app.coder.coding(corrected["My supervisor believed in me."])
        assert app.transcript_id == "50002_2"
        assert app.transcript_view.selection == (coding.start, coding.end)
        assert project.text("50002_2")[coding.start:coding.end] == "My supervisor truly believed in me."


async def test_escape_closes_and_nothing_flagged_says_so(project):
    async with running(project) as (app, pilot):
        screen = await open_review(app, pilot)
        assert "Nothing to review" in str(screen.query_one("#review-title", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_startup_says_when_codings_wait_for_review(project, corrected):
    async with running(project) as (app, pilot):
        messages = [n.message for n in app._notifications]
    assert any(m.startswith("3 of your codings changed") for m in messages)
