"""Guarantee (issue 14.2): a journal cut anywhere in its last two records, just before the
final newline included, loses nothing that was saved, and the next change is kept too:
a record without its newline is a write that never returned, and every append starts on
a fresh line whatever the file ends with."""

from __future__ import annotations

import os

import pytest

from workbench.coderfile import CoderFile

TRANSCRIPT = "50001_2"


def abandon(coder: CoderFile) -> None:
    """Leave a session as a SIGKILL would: no compaction, the journal holds its changes."""
    os.close(coder.storage._journal_fd)
    coder.storage._journal_fd = None
    coder.lock.release()
    coder.db = None


def add(coder: CoderFile, project, n: int) -> str:
    text = project.text(TRANSCRIPT)
    return coder.add_coding(TRANSCRIPT, n, n + 12, "barriers", text[n:n + 12]).id


def ids(project) -> set[str]:
    with project.open_coder("alex", readonly=True) as coder:
        return {c.id for c in coder.codings()}


def cuts_of_the_last_two_records(journal: bytes, every_byte: bool) -> list[int]:
    ends = [at + 1 for at, byte in enumerate(journal) if byte == ord("\n")]
    first = ends[-3]
    cuts = range(first, len(journal))
    return list(cuts) if every_byte else sorted({*cuts[::37], *range(len(journal) - 3, len(journal)), ends[-2] - 1, ends[-2]})


@pytest.fixture
def killed_session(coded):
    """alex's file after a session that made three codings and was killed: (journal bytes,
    the ids each record's end makes durable)."""
    before = ids(coded)
    coder = coded.open_coder("alex")
    made = [add(coder, coded, n) for n in (3, 20, 40)]
    journal_path = coder.storage.journal_path
    abandon(coder)
    journal = journal_path.read_bytes()
    ends = [at + 1 for at, byte in enumerate(journal) if byte == ord("\n")]
    assert len(ends) == 3 and ends[-1] == len(journal)
    return journal, [(end, before | set(made[:i + 1])) for i, end in enumerate(ends)], before


def check_cuts(coded, killed_session, every_byte: bool) -> None:
    journal, durable, before = killed_session
    path = coded.coder_path("alex")
    journal_path = path.with_name(path.name + ".journal")
    for cut in cuts_of_the_last_two_records(journal, every_byte):
        journal_path.write_bytes(journal[:cut])
        expected = next((saved for end, saved in reversed(durable) if end <= cut), before)
        coder = coded.open_coder("alex")
        assert {c.id for c in coder.codings()} == expected, f"cut at byte {cut} of {len(journal)}"
        later = add(coder, coded, 60)
        abandon(coder)
        assert ids(coded) == expected | {later}, f"cut at byte {cut} of {len(journal)}: the next change was lost"


def test_a_journal_cut_in_its_last_two_records_loses_nothing(coded, killed_session):
    check_cuts(coded, killed_session, every_byte=False)


def test_a_journal_cut_just_before_its_final_newline_keeps_the_next_change(coded, killed_session, run):
    journal, durable, _ = killed_session
    path = coded.coder_path("alex")
    path.with_name(path.name + ".journal").write_bytes(journal[:-1])
    coder = coded.open_coder("alex")
    later = add(coder, coded, 60)
    abandon(coder)
    assert ids(coded) == durable[1][1] | {later}
    doctor = run("doctor")
    assert "garbled" not in doctor.output
    assert ids(coded) == durable[1][1] | {later}


@pytest.mark.slow
def test_a_journal_cut_at_every_byte_of_its_last_two_records_loses_nothing(coded, killed_session):
    check_cuts(coded, killed_session, every_byte=True)
