"""Cutting text to fit: whole words, "…" where cut, never wider than the room."""

from hypothesis import given, strategies as st

from workbench.shorten import cells, one_line, shorten, shorten_start

WORDS = st.lists(st.text(alphabet=st.sampled_from("abcdéf我🔑-/,"), min_size=1, max_size=12), min_size=1, max_size=12)


def test_a_cut_ends_at_a_word_with_an_ellipsis():
    assert shorten("peer support specialists in a psychiatric hospital", 20) == "peer support…"
    assert shorten("dropped out of the study, later", 26) == "dropped out of the study…"
    assert shorten("barriers/unclear role of peer workers", 18) == "barriers/unclear…"
    assert shorten_start("and then the nurse on duty gave me a lanyard", 20) == "…gave me a lanyard"
    assert shorten("fits as it is", 13) == "fits as it is"
    assert shorten("line\nbreaks   and  spaces", 40) == "line breaks and spaces"


def test_one_long_word_is_cut_inside_it_rather_than_leaving_nothing():
    assert shorten("I supercalifragilisticexpialidocious", 12) == "I supercali…"
    assert shorten("supercalifragilistic", 6) == "super…"


def test_wide_characters_count_two_cells():
    assert shorten("我们一起工作。他打印了数字。", 9) == "我们一起…"
    assert cells(shorten("The cabinet key 🔑 was kept from me.", 17)) <= 17


@given(WORDS, st.integers(min_value=0, max_value=60))
def test_never_wider_than_the_room_and_always_a_piece_of_the_text(words, width):
    text = " ".join(words)
    line = one_line(text)
    for cut, keep_end in ((shorten(text, width), False), (shorten_start(text, width), True)):
        assert cells(cut) <= width
        if cells(line) <= width:
            assert cut == line
            continue
        if width == 0:
            assert cut == ""
            continue
        kept = cut[1:] if keep_end else cut[:-1]
        assert cut.endswith("…") if not keep_end else cut.startswith("…")
        assert (line.endswith(kept) if keep_end else line.startswith(kept))


@given(WORDS, st.integers(min_value=8, max_value=60))
def test_a_cut_inside_a_word_only_when_a_word_cut_would_keep_under_a_third(words, width):
    text = " ".join(w.replace("-", "").replace("/", "") for w in words)
    line = one_line(text)
    cut = shorten(text, width)
    if cells(line) <= width or not cut[:-1]:
        return
    kept = cut[:-1]
    at_word = line[len(kept):len(kept) + 1] in (" ", "") or line[len(kept.rstrip(",")):][:1] in (" ", ",")
    if not at_word:
        before = line[:len(kept)]
        space = before.rfind(" ")
        assert space <= 0 or cells(before[:space]) * 3 < width - 1
