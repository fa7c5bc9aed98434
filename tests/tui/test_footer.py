"""The footer at 80 and 120 columns: each label whole (no half words, no stray letters),
the focused pane's most important keys first, `? keys` always there; `?` names keys as
they are typed; theme review shows its footer from the start."""

import re

import pytest
from rich.console import Console
from textual import events

from tui_support import running, screen_lines
from workbench.tui.screens.keys import KeysScreen
from workbench.tui.screens.theme_review import ThemeReviewScreen

SIZES = [(80, 24), (120, 40)]


def footer(app) -> str:
    return screen_lines(app)[-1]


def known_labels(app) -> set[str]:
    """Every "key description" the footer may show where the focus is now."""
    labels = {"[ ] transcripts", "^p palette"}
    for key, active in app.screen.active_bindings.items():
        labels.add(f"{app.get_key_display(active.binding)} {active.binding.description}")
    return labels


def assert_whole_labels(app) -> list[str]:
    line = footer(app)
    assert len(line) == app.size.width
    chunks = [c for c in re.split(r"\s{2,}", line.strip()) if c]
    known = known_labels(app)
    for chunk in chunks:
        assert chunk in known, f"{chunk!r} is not a whole label: {line!r}"
    return chunks


@pytest.mark.parametrize("size", SIZES)
async def test_the_transcript_footer_starts_with_selecting_and_coding_and_keeps_labels_whole(project, size):
    async with running(project, size=size) as (app, pilot):
        chunks = assert_whole_labels(app)
        assert chunks[:6] == ["s sentence", "t turn", "v select", "c code", "x uncode", "m memo"]
        assert chunks[-1] == "? keys"
        if size[0] >= 120:
            assert {"u undo", "/ search", "q quit", "^p palette"} <= set(chunks)


@pytest.mark.parametrize("size", SIZES)
async def test_the_codebook_footer_names_a_and_A_first(project, size):
    async with running(project, size=size) as (app, pilot):
        await pilot.press("tab")
        assert app.focused is app.codebook_tree
        chunks = assert_whole_labels(app)
        assert chunks[:4] == ["a add child", "A add top-level", "r rename", "d definition"]
        assert chunks[-1] == "? keys"


@pytest.mark.parametrize("size", SIZES)
async def test_the_memo_editor_footer_names_its_own_keys_not_ones_that_would_type(project, size):
    async with running(project, size=size) as (app, pilot):
        await pilot.press("m")
        chunks = assert_whole_labels(app)
        assert chunks[:3] == ["esc done", "^home start", "^end end"]
        assert not {"/ search", "u undo", "? keys", "q quit"} & set(chunks)  # these letters type here


@pytest.mark.parametrize("size", SIZES)
async def test_theme_review_shows_its_footer_from_the_start_for_the_map_then_the_quotes(project, size):
    async with running(project, size=size) as (app, pilot):
        app.post_message(events.AppBlur())  # the terminal says it lost the focus (another window, tmux)
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, ThemeReviewScreen)
        chunks = assert_whole_labels(app)
        assert chunks[:2] == ["r rename", "d definition"] and chunks[-1] == "? keys"
        await pilot.press("tab")
        await pilot.pause()
        chunks = assert_whole_labels(app)
        assert chunks[0] == "e exemplar"


@pytest.mark.parametrize("size", SIZES)
async def test_question_mark_names_keys_as_they_are_typed(project, size):
    async with running(project, size=size) as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        console = Console(width=100, record=True)
        console.print(app.screen.query_one(".keys Static:last-of-type").content)
        rows = {line.split("  ")[0].strip(): line for line in console.export_text().splitlines() if line.strip()}
        for typed in ("?", "/", "[", "]", "ctrl+r", "A", "D delete"):
            assert typed in rows, typed
        text = console.export_text()
        assert "question_mark" not in text and "slash" not in text and "^r" not in text
