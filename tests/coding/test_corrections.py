"""A correction fixes grammar; it cannot replace the quote (workbench.coding.corrections)."""

import pytest
from hypothesis import given, strategies as st

from workbench.coding.corrections import NotACorrection, clean_correction, kept_words

QUOTE = "they was telling me I weren't real staff, you know, and it recieved no answer"


def test_grammar_fixes_and_respellings_are_corrections():
    fixed = "they were telling me I wasn't real staff, and it received no answer"
    assert clean_correction(QUOTE, fixed) == fixed
    assert kept_words(QUOTE, fixed)[0] >= len(QUOTE.split()) // 2


@pytest.mark.parametrize("replacement", ["g", "A tidier sentence.", "nurses were kind to me on the ward"])
def test_a_text_keeping_less_than_half_the_words_is_refused(replacement):
    with pytest.raises(NotACorrection, match="cannot replace the quote"):
        clean_correction(QUOTE, replacement)


def test_empty_or_unchanged_means_no_correction():
    assert clean_correction(QUOTE, "   ") is None
    assert clean_correction(QUOTE, "  " + QUOTE.replace(" ", "\n ")) is None
    assert clean_correction(QUOTE, None) is None


@given(st.lists(st.sampled_from("alpha beta gamma delta epsilon eta theta".split()), min_size=1, max_size=12),
       st.data())
def test_keeping_at_least_half_the_words_is_accepted_and_fewer_refused(said, data):
    verbatim = " ".join(said)
    keep = data.draw(st.integers(0, len(said)))
    corrected = " ".join(said[:keep] + ["zzz"])
    if 2 * keep >= len(said):
        assert clean_correction(verbatim, corrected) == corrected
    else:
        with pytest.raises(NotACorrection):
            clean_correction(verbatim, corrected)
