"""Transcript ids: many checked at once (a manifest's) agree with each checked alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbench.transcripts.naming import MAX_ID, are_transcript_ids, is_transcript_id

PIECES = st.sampled_from(["R1", "q7", ".", "_", "-", "\n", "a" * (MAX_ID - 2), "é", "/", " ", "", "..", "0"])
IDS = st.lists(st.lists(PIECES, max_size=4).map("".join), max_size=6)


@given(IDS)
def test_many_ids_checked_at_once_agree_with_each_checked_alone(ids):
    assert are_transcript_ids(ids) == all(map(is_transcript_id, ids))


def test_an_id_holding_a_newline_is_not_taken_for_two():
    assert not are_transcript_ids(["R1.q7\nR2.q7"])
    assert not are_transcript_ids(["R1.q7", "R2.q7\n"])
    assert not are_transcript_ids(["R1", 7])
    assert are_transcript_ids(["R1.q7", "R2.q9"]) and are_transcript_ids([])
