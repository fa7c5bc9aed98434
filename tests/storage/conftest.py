"""A project with one interview and a coder holding one code, for the storage tests."""

from __future__ import annotations

import pytest

from workbench.importing import import_transcript

TRANSCRIPT = "50001"
INTERVIEW = (
    "Interviewer: How did the first weeks on the ward go?\n\n"
    "Participant: Honestly, it was hard. Nobody knew what a peer worker does. One nurse asked me "
    "for the cabinet key and then said I was not real staff. My supervisor sat down with me every "
    "Friday and that made a difference. Later the team started to ask me to join the handover.\n"
) + "".join(f"\nInterviewer: And in week {n}?\n\nParticipant: Week {n} was calmer; the team asked me in.\n"
            for n in range(2, 200))
SLOT = 12  # the n-th test coding covers 10 characters at n * SLOT: codings of one code that overlap
# or touch become one, so these stay apart


@pytest.fixture
def study(project, tmp_path):
    source = tmp_path / f"{TRANSCRIPT}.txt"
    source.write_text(INTERVIEW, encoding="utf-8")
    import_transcript(project, source)
    with project.open_coder("alex") as coder:
        coder.add_code("barriers")
    return project


@pytest.fixture
def add_codings(study):
    """add_codings(coder, n): n new codings on the interview, after those there; returns their ids."""
    text = study.text(TRANSCRIPT)

    def add(coder, count: int) -> list[str]:
        first = len(coder.codings())
        spans = [(n * SLOT, n * SLOT + 10) for n in range(first, first + count)]
        return [coder.add_coding(TRANSCRIPT, s, e, "barriers", text[s:e]).id for s, e in spans]

    return add
