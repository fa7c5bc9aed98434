"""Every key of the transcript pane, checked on the screen and in the coder file on disk."""

from tui_support import offset_of, on_disk, running, settle
from workbench.tui.screens.picker import PickerScreen


def sentence(project, fragment, transcript="50002"):
    seg = project.segments(transcript)
    return seg.sentence_at(offset_of(project, transcript, fragment))


async def put_cursor(app, pilot, project, fragment, transcript="50002"):
    """Walk the cursor with the arrow keys to the first code point of `fragment`."""
    target = offset_of(project, transcript, fragment)
    view = app.transcript_view
    while view.cursor < target:
        await pilot.press("right")
    assert view.cursor == target


async def test_s_then_c_codes_the_sentence_with_an_existing_code(project):
    async with running(project) as (app, pilot):
        await put_cursor(app, pilot, project, "The cabinet")
        await pilot.press("s")
        expected = sentence(project, "The cabinet")
        assert app.transcript_view.selection == (expected.start, expected.end)
        await pilot.press("c")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"unclear role", "enter")
        await settle(pilot, app)
        marks = [m for m in app.transcript_view.marks if not m.pending]
        assert [(m.start, m.end, m.name) for m in marks] == [(expected.start, expected.end, "unclear role")]
    with on_disk(project) as coder:
        [coding] = coder.codings()
        assert (coding.start, coding.end) == (expected.start, expected.end)
        assert coding.text == "The cabinet key 🔑 was kept from me."
        assert coder.codebook.path(coding.code) == "barriers/unclear role"


async def test_the_picker_shows_path_count_and_definition(project):
    async with running(project) as (app, pilot):
        await pilot.press("s", "c")
        picker = app.screen
        titles = {item.title: item.detail for item in picker.items}
        assert titles["barriers/stigma"] == "0 codings · being treated as a patient"
        assert "barriers" not in titles  # a category receives no codings


async def test_enter_on_no_match_creates_the_code_at_the_root_by_default(project):
    async with running(project) as (app, pilot):
        await pilot.press("s", "c", *"loneliness", "enter")
        assert "Where does “loneliness” go?" in app.screen.dialog_title
        await pilot.press("enter")
        await settle(pilot, app)
        assert [m.name for m in app.transcript_view.marks] == ["loneliness"]
    with on_disk(project) as coder:
        code = coder.code("loneliness")
        assert code.parent is None
        assert coder.codings()[0].code == code.id


async def test_a_new_code_can_go_under_a_chosen_parent(project):
    async with running(project) as (app, pilot):
        await pilot.press("s", "c", *"peer network", "enter", *"facilitators", "enter")
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.codebook.path(coder.code("peer network").id) == "facilitators/peer network"


async def test_shift_arrows_select_code_points_through_accents_cjk_and_emoji(project):
    async with running(project) as (app, pilot):
        await put_cursor(app, pilot, project, "🔑")
        await pilot.press("shift+right", "c", *"unclear role", "enter")
        await settle(pilot, app)
        await put_cursor(app, pilot, project, "José")
        await pilot.press(*["shift+right"] * 4, "c", *"supervisor support", "enter")
        await settle(pilot, app)
        await put_cursor(app, pilot, project, "我们")
        await pilot.press(*["shift+right"] * 7)
        await pilot.press("c", *"stigma", "enter")
        await settle(pilot, app)
    with on_disk(project) as coder:
        texts = sorted(c.text for c in coder.codings())
        assert texts == ["José", "我们一起工作。", "🔑"]
        text = project.text("50002")
        for coding in coder.codings():
            assert text[coding.start:coding.end] == coding.text


async def test_v_then_word_motions_select_and_escape_clears(project):
    async with running(project) as (app, pilot):
        await put_cursor(app, pilot, project, "Café")
        await pilot.press("v", "w")
        start = offset_of(project, "50002", "Café")
        assert app.transcript_view.selection == (start, start + len("Café"))
        await pilot.press("b")
        assert app.transcript_view.selection is None
        await pilot.press("w", "w")
        assert app.transcript_view.selection == (start, start + len("Café first,"))
        await pilot.press("escape")
        assert app.transcript_view.selection is None and not app.transcript_view.selecting


async def test_the_position_bar_quotes_the_end_of_the_selection(project):
    """The cursor's character is not in the selection: the bar shows where it ends, before c."""
    async with running(project) as (app, pilot):
        await put_cursor(app, pilot, project, "Café")
        await pilot.press("v", "right", "right", "right")
        assert "selected “Caf”" in app.transcript_view.border_subtitle
        await pilot.press("right", "w", "w")
        assert "selected “Café first,”" in app.transcript_view.border_subtitle


async def test_t_selects_the_speaker_turn(project):
    async with running(project) as (app, pilot):
        await put_cursor(app, pilot, project, "naïve")
        await pilot.press("t")
        turn = project.segments("50002").turn_at(offset_of(project, "50002", "naïve"))
        assert app.transcript_view.selection == (turn.start, turn.end)
        assert project.text("50002")[turn.start:turn.end].startswith("Café first")


async def test_line_and_page_motions(project):
    async with running(project, size=(80, 24)) as (app, pilot):
        view = app.transcript_view
        await pilot.press("j", "j")
        assert view.wrapped.row_of(view.cursor) == 2
        await pilot.press("k")
        assert view.wrapped.row_of(view.cursor) == 1
        await pilot.press("end")
        row = view.wrapped.row_of(view.cursor)
        await pilot.press("home")
        assert view.cursor == view.wrapped.starts[row]
        await pilot.press("pagedown")
        assert view.cursor == len(project.text("50002"))
        await pilot.press("pageup")
        assert view.cursor == 0
        await pilot.press("down", "up", "left", "right")
        assert view.cursor == 1


async def test_i_makes_an_in_vivo_code_named_after_the_words(project):
    async with running(project) as (app, pilot):
        await put_cursor(app, pilot, project, "It hurt")
        await pilot.press("s", "i")
        await settle(pilot, app)
        assert [m.name for m in app.transcript_view.marks] == ["It hurt"]
    with on_disk(project) as coder:
        assert coder.codings()[0].text == "It hurt."
        assert coder.code("It hurt").parent is None


async def test_an_in_vivo_code_from_a_selection_begun_mid_word_quotes_whole_words(project):
    start = offset_of(project, "50002", "naïve questions")
    async with running(project) as (app, pilot):
        app.transcript_view.select(start + 2, start + 12)  # "ïve questi"
        await pilot.press("i")
        await settle(pilot, app)
    with on_disk(project) as coder:
        [coding] = coder.codings()
        assert coding.text == "naïve questions"
        assert coder.codebook.path(coding.code) == "naïve questions"


async def test_x_removes_the_coding_under_the_cursor_with_a_picker_when_several(project):
    with project.open_coder("alex") as coder:
        text = project.text("50002")
        start = text.index("The cabinet")
        coder.add_coding("50002", start, start + 20, "stigma", text[start:start + 20])
        coder.add_coding("50002", start, start + 10, "unclear role", text[start:start + 10])
        coder.add_coding("50002", text.index("It hurt"), text.index("It hurt") + 7, "stigma", "It hurt")
    async with running(project) as (app, pilot):
        await put_cursor(app, pilot, project, "It hurt")
        await pilot.press("x")
        await settle(pilot, app)
        assert len(app.transcript_view.marks) == 2
        await put_cursor_back(app, pilot, start + 2)
        await pilot.press("x")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"unclear", "enter")
        await settle(pilot, app)
        assert [m.name for m in app.transcript_view.marks] == ["stigma"]
    with on_disk(project) as coder:
        assert [(c.start, c.end) for c in coder.codings()] == [(start, start + 20)]


async def put_cursor_back(app, pilot, target):
    while app.transcript_view.cursor > target:
        await pilot.press("left")


async def test_u_and_ctrl_r_undo_and_redo_a_coding(project):
    async with running(project) as (app, pilot):
        await pilot.press("s", "c", *"stigma", "enter")
        await settle(pilot, app)
        await pilot.press("u")
        await settle(pilot, app)
        assert app.transcript_view.marks == []
        with on_disk(project) as coder:
            assert coder.codings() == []
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert len(app.transcript_view.marks) == 1
    with on_disk(project) as coder:
        assert len(coder.codings()) == 1


async def test_undo_survives_a_restart(project):
    async with running(project) as (app, pilot):
        await pilot.press("s", "c", *"stigma", "enter")
        await settle(pilot, app)
    async with running(project) as (app, pilot):
        assert len(app.transcript_view.marks) == 1
        await pilot.press("u")
        await settle(pilot, app)
    with on_disk(project) as coder:
        assert coder.codings() == []


async def test_brackets_change_transcript_and_the_title_names_participant_and_wave(project):
    async with running(project) as (app, pilot):
        view = app.transcript_view
        assert view.border_title == "50002 · participant 50002 · wave 1"
        await pilot.press("]")
        assert app.transcript_id == "50002_2"
        assert view.border_title == "50002_2 · participant 50002 · wave 2"
        await pilot.press("]")
        assert app.transcript_id == "50002"
        await pilot.press("[")
        assert app.transcript_id == "50002_2"


async def test_slash_searches_and_enter_jumps_with_the_hit_selected(project):
    async with running(project) as (app, pilot):
        await pilot.press("slash", *"believed", "enter")
        assert app.transcript_id == "50002_2"
        start = offset_of(project, "50002_2", "believed")
        assert app.transcript_view.selection == (start, start + len("believed"))
        assert app.focused is app.transcript_view


async def test_tab_and_shift_tab_move_between_panes(project):
    async with running(project) as (app, pilot):
        assert app.focused is app.transcript_view
        await pilot.press("tab")
        assert app.focused is app.codebook_tree
        await pilot.press("tab")
        assert app.focused is app.memo_panel.editor
        await pilot.press("shift+tab")
        assert app.focused is app.codebook_tree


async def test_question_mark_lists_every_key(project):
    async with running(project) as (app, pilot):
        await pilot.press("question_mark")
        shown = str(app.screen.query_one("Static.dialog-title").render())
        assert "Keys" in shown
        table = app.screen.groups
        keys = {b.key for _, bindings in table for b in bindings}
        for key in ("c", "i", "x", "s", "t", "v", "[", "]", "u", "ctrl+r", "slash", "q", "a", "r", "M", "J", "K", "C", "d"):
            assert any(key in k.split(",") for k in keys), key
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]


async def test_q_quits_and_single_letters_type_inside_a_text_field(project):
    async with running(project) as (app, pilot):
        await pilot.press("m", *"quiet", "escape")
        await settle(pilot, app)
        assert app.is_running
        assert app.focused is app.transcript_view
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    with on_disk(project) as coder:
        assert coder.memo("transcript", "50002").text == "quiet"


async def test_dragging_the_mouse_selects_a_span_that_c_then_codes(project):
    from workbench.tui.widgets.transcript_view import STRIPE

    async with running(project) as (app, pilot):
        view = app.transcript_view
        region = view.content_region
        await pilot.mouse_down(offset=(region.x + STRIPE + 2, region.y))
        await pilot.hover(offset=(region.x + STRIPE + 20, region.y))
        await pilot.mouse_up(offset=(region.x + STRIPE + 20, region.y))
        expected = (view.wrapped.offset_at(0, 2), view.wrapped.offset_at(0, 20))
        assert view.selection == expected
        await pilot.press("c")
        await pilot.press(*"unclear role", "enter")
        await settle(pilot, app)
    text = project.text("50002")
    with on_disk(project) as coder:
        [coding] = coder.codings()
        assert (coding.start, coding.end) == expected and coding.text == text[expected[0]:expected[1]]
