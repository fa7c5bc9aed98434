"""Wrapping and the mapping between screen cells and code-point offsets."""


from hypothesis import given, settings, strategies as st

from workbench.tui.widgets.transcript_layout import BLANK, TEXT, TranscriptLayout, char_width


def test_rows_wrap_at_spaces_and_cover_every_code_point():
    text = "one two three four five six\n\nseven"
    layout = TranscriptLayout(text, 10)
    rows = [text[s:e] for s, e in zip(layout.starts, layout.ends)]
    assert rows == ["one two ", "three ", "four five ", "six", "", "seven"]
    assert layout.kinds[4] == BLANK


def test_wide_characters_take_two_cells_and_map_back_to_their_offset():
    text = "ab我们c🔑d"
    layout = TranscriptLayout(text, 40)
    assert layout.column_of(text.index("们")) == 4
    assert layout.column_of(text.index("c")) == 6
    assert layout.column_of(text.index("d")) == 9
    # both cells of a wide character point at it
    assert layout.offset_at(0, 2) == text.index("我")
    assert layout.offset_at(0, 3) == text.index("我")
    assert layout.offset_at(0, 7) == text.index("🔑")
    assert layout.offset_at(0, 8) == text.index("🔑")


def test_wide_characters_never_straddle_a_row_end():
    text = "我" * 7
    layout = TranscriptLayout(text, 5)
    assert [layout.ends[i] - layout.starts[i] for i in range(len(layout))] == [2, 2, 2, 1]


def test_combining_accent_takes_no_cell():
    text = "e\u0301te"  # an e with a combining acute accent (not composed)
    layout = TranscriptLayout(text, 10)
    assert layout.column_of(2) == 1
    assert layout.offset_at(0, 1) == 2


def test_control_characters_are_shown_inert_at_the_same_offsets():
    text = "a\x1b]52;c;aGk=\x07b"
    layout = TranscriptLayout(text, 80)
    assert "\x1b" not in layout.text and "\x07" not in layout.text
    assert len(layout.text) == len(text)
    assert layout.text[-1] == "b"


def test_turns_that_follow_each_other_start_rows_of_their_own_without_a_rule():
    text = "Interviewer: hi\nParticipant: hello"
    layout = TranscriptLayout(text, 40, turn_starts=[0, 16])
    assert [text[s:e] for s, e in zip(layout.starts, layout.ends)] == ["Interviewer: hi", "Participant: hello"]
    assert layout.kinds == [TEXT, TEXT]


def test_a_hard_wrapped_turn_flows_as_one_paragraph_and_keeps_its_offsets():
    text = ("Dan: Do you use them?\nParticipant: Ah, yeah. Not all the time, but we tend to use\nICE plots.\n"
            "They help.\n\nDan: Why?")
    starts = [0, text.index("Participant"), text.index("Dan: Why")]
    layout = TranscriptLayout(text, 44, turn_starts=starts)
    rows = [layout.text[s:e] for s, e in zip(layout.starts, layout.ends)]
    assert rows == ["Dan: Do you use them?", "Participant: Ah, yeah. Not all the time, ", "but we tend to use ICE plots. They help.",
                    "", "Dan: Why?"]
    assert len(layout.text) == len(text)
    assert [i for i, (a, b) in enumerate(zip(text, layout.text)) if a != b] == [
        text.index("\nICE"), text.index("\nThey")]  # only the soft line breaks, shown as spaces
    ice = text.index("ICE")
    assert layout.offset_at(layout.row_of(ice), layout.column_of(ice)) == ice


LINES = st.lists(st.one_of(st.just(""), st.just("   "), st.text(st.sampled_from("ab 我é\u0301"), min_size=1, max_size=30)),
                 min_size=1, max_size=12)


@given(LINES, st.integers(4, 30), st.data())
@settings(max_examples=300)
def test_flowing_keeps_every_offset_and_every_hard_line_break(lines, width, data):
    text = "\n".join(lines)
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    turn_starts = data.draw(st.lists(st.sampled_from(line_starts), unique=True))
    layout = TranscriptLayout(text, width, turn_starts=turn_starts)
    assert len(layout.text) == len(text)
    for i, (a, b) in enumerate(zip(text, layout.text)):
        if a == "\n" and b != "\n":
            before, after = text[:i].rsplit("\n", 1)[-1], text[i + 1:].split("\n", 1)[0]
            assert b == " " and before.strip() and after.strip() and i + 1 not in turn_starts
    covered = [o for s, e in zip(layout.starts, layout.ends) for o in range(s, e)]
    assert covered == [i for i, c in enumerate(layout.text) if c != "\n"]  # every code point once, in order
    for start, end in zip(layout.starts, layout.ends):  # no row wider than the pane (a lone wide character aside)
        row = layout.text[start:end]
        assert sum(char_width(c) for c in row.rstrip(" ")) <= width or len(row) == 1
    for offset in covered:
        assert layout.offset_at(layout.row_of(offset), layout.column_of(offset)) == offset or not char_width(text[offset])


def test_five_megabytes_wrap_into_rows_that_map_back_to_every_offset():
    # How fast is measured by the benchmarks (tui_launch_s), never asserted here.
    paragraph = ("Participant: the cabinet key was kept from me, and I felt like a visitor on the ward. " * 12) + "\n\n"
    text = paragraph * (5_000_000 // len(paragraph))
    layout = TranscriptLayout(text, 100)
    assert len(layout) > 50_000
    for offset in (0, 1234, len(text) // 2, len(text) - 3):
        row = layout.row_of(offset)
        assert layout.offset_at(row, layout.column_of(offset)) == offset
