"""Text cut to fit the screen ends at a word with "…" (the margin, the pickers, the removal
picker, the agreement walk's context), and a coding not yet on disk is marked "*" in the
margin, never "…". At 80x24 and at 120x40."""

import re

import pytest
from hypothesis import given, strategies as st

from tui_support import offset_of, on_disk, running, settle
from workbench.analysis.disagreements import context_window
from workbench.tui.screens.picker import PickerScreen
from workbench.tui.widgets.transcript_view import PENDING

SIZES = [(80, 24), (120, 40)]
LONG_NAME = "staff treat peer workers as former patients"
LONG_DEFINITION = ("the participant tells of a moment when staff on the ward treated them as a patient again, "
                   "by what they said, what they withheld or where they asked them to wait")


def whole_words_of(shown: str, full: str) -> bool:
    """`shown` is `full` whole, or a beginning of it that ends at a word, then "…"."""
    if shown == full:
        return True
    kept = shown.removesuffix("…")
    rest = full[len(kept):]
    return shown.endswith("…") and full.startswith(kept) and re.match(r"[,;:–—]*( |$)", rest) is not None


def margin_of(view, row: int) -> str:
    width = view.scrollable_content_region.width
    line = "".join(segment.text for segment in view.render_line(row - view.scroll_offset.y))
    return line[width - view._margin_width(width):].strip()


def add_long_code(project):
    with project.open_coder("alex") as coder:
        coder.add_code(LONG_NAME, parent="barriers", description=LONG_DEFINITION)
        start = offset_of(project, "50002", "The cabinet")
        coder.add_coding("50002", start, start + 35, LONG_NAME, project.text("50002")[start:start + 35])
        coder.add_coding("50002", start, start + 15, "stigma", project.text("50002")[start:start + 15])
    return start


@pytest.mark.parametrize("size", SIZES)
async def test_a_long_code_name_in_the_margin_ends_at_a_word(project, size):
    start = add_long_code(project)
    async with running(project, size=size) as (app, pilot):
        view = app.transcript_view
        shown = margin_of(view, view.wrapped.row_of(start))
        first = shown.split("·")[0].removesuffix(" +1")  # "+1": one more code whose name has no room
        assert first != LONG_NAME and whole_words_of(first, LONG_NAME), shown
        assert "stigma" in shown or shown.endswith(" +1"), shown


@pytest.mark.parametrize("size", SIZES)
async def test_a_coding_not_yet_on_disk_is_marked_with_a_star_not_an_ellipsis(project, size):
    async with running(project, size=size) as (app, pilot):
        view = app.transcript_view
        start = offset_of(project, "50002", "It hurt")
        view.select(start, start + 7)
        with app.writes.lock:  # the writer waits: the coding stays on its way to the disk
            await pilot.press("c", *"stigma", "enter")
            await pilot.pause()
            assert [m.pending for m in view.marks] == [True]
            assert margin_of(view, view.wrapped.row_of(start)) == PENDING + "stigma"
        await settle(pilot, app)
        assert margin_of(view, view.wrapped.row_of(start)) == "stigma"


@pytest.mark.parametrize("size", SIZES)
async def test_the_code_picker_cuts_a_long_definition_at_a_word(project, size):
    add_long_code(project)
    async with running(project, size=size) as (app, pilot):
        await pilot.press("s", "c", *"former patients")
        assert isinstance(app.screen, PickerScreen)
        options = app.screen.query_one("OptionList")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        prompt = next(p for p in prompts if "\n" in p and " · " in p.split("\n")[1])  # below the create row
        detail = prompt.split("\n")[1].strip().split(" · ", 1)[1]
        assert detail != LONG_DEFINITION and whole_words_of(detail, LONG_DEFINITION), detail


@pytest.mark.parametrize("size", SIZES)
async def test_the_removal_picker_cuts_each_coded_text_at_a_word(project, size):
    text = project.text("50002")
    start = offset_of(project, "50002", "Café first")
    end = text.index("It hurt.") + len("It hurt.")
    with project.open_coder("alex") as coder:
        coder.add_coding("50002", start, end, "stigma", text[start:end])
        coder.add_coding("50002", start, start + 10, "unclear role", text[start:start + 10])
    async with running(project, size=size) as (app, pilot):
        app.transcript_view.select(start, start)
        await pilot.press("x")
        assert isinstance(app.screen, PickerScreen)
        prompts = [str(app.screen.query_one("OptionList").get_option_at_index(i).prompt) for i in range(2)]
        quoted = [p.split("“", 1)[1].rsplit("”", 1)[0] for p in prompts]
        full = " ".join(text[start:end].split())
        long_one = next(q for q in quoted if q != "Café first")
        assert long_one != full and whole_words_of(long_one, full), long_one
        await pilot.press("escape")


WORD = st.text(alphabet="abcdefgh", min_size=1, max_size=9)


@given(st.lists(WORD, min_size=5, max_size=120), st.data())
def test_the_agreement_walk_context_starts_and_ends_between_words(words, data):
    text = " ".join(words)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    lo, hi = context_window(text, start, end, around=40)
    assert lo <= start and end <= hi
    assert lo == 0 or text[lo - 1] == " " or lo == max(0, start - 40)
    assert hi == len(text) or text[hi] == " " or hi == min(len(text), end + 40)
    if " " in text[max(0, start - 40):start]:
        assert lo == 0 or text[lo - 1] == " "
    if " " in text[end:end + 40]:
        assert hi == len(text) or text[hi] == " "
