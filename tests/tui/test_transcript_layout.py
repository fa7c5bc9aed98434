"""Wrapping and the mapping between screen cells and code-point offsets."""


from workbench.tui.widgets.transcript_layout import BLANK, RULE, TEXT, TranscriptLayout


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


def test_a_rule_separates_turns_that_follow_each_other_without_a_blank_line():
    text = "Interviewer: hi\nParticipant: hello"
    layout = TranscriptLayout(text, 40, turn_starts=[0, 16])
    assert layout.kinds == [TEXT, RULE, TEXT]
    assert layout.row_of(16) == 2


def test_five_megabytes_wrap_into_rows_that_map_back_to_every_offset():
    # How fast is measured by the benchmarks (tui_launch_s), never asserted here.
    paragraph = ("Participant: the cabinet key was kept from me, and I felt like a visitor on the ward. " * 12) + "\n\n"
    text = paragraph * (5_000_000 // len(paragraph))
    layout = TranscriptLayout(text, 100)
    assert len(layout) > 50_000
    for offset in (0, 1234, len(text) // 2, len(text) - 3):
        row = layout.row_of(offset)
        assert layout.offset_at(row, layout.column_of(offset)) == offset
