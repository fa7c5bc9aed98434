"""The passages the assistant ranks: the sentences (or speaker turns) of every transcript
that a participant speaks, with their text, and which of them a coder's codings cover."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

UNITS = ("sentence", "turn")


@dataclass(frozen=True, slots=True)
class Passage:
    transcript: str
    start: int
    end: int
    text: str

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.transcript, self.start, self.end)


def project_passages(project, unit: str = "sentence", transcripts: set[str] | None = None) -> list[Passage]:
    """Every participant sentence (or turn) with words in it, in transcript order. What
    interviewers say is left out: it is a question, not data to code."""
    if unit not in UNITS:
        from workbench.errors import WorkbenchError

        raise WorkbenchError(f"unknown unit '{unit}': use sentence or turn")
    found = []
    for info in project.transcripts():
        if transcripts is not None and info.id not in transcripts:
            continue
        text = project.text(info.id)
        segments = project.segments(info.id)
        spoken = [t for t in segments.turns if t.role != "interviewer"]
        if unit == "turn":
            spans = [(t.start, t.end) for t in spoken]
        else:
            participant_turns = {t.index for t in spoken}
            spans = [(s.start, s.end) for s in segments.sentences if s.turn in participant_turns]
        for start, end in spans:
            words = text[start:end].strip()
            if any(ch.isalnum() for ch in words):
                found.append(Passage(info.id, start, end, text[start:end]))
    return found


class CoverageIndex:
    """Which passages a set of codings covers (a coding overlapping a passage covers it)."""

    def __init__(self, passages: list[Passage]):
        self.by_transcript: dict[str, tuple[list[int], list[int]]] = {}
        for i, p in enumerate(passages):
            ends, indices = self.by_transcript.setdefault(p.transcript, ([], []))
            ends.append(p.end)
            indices.append(i)
        self.passages = passages

    def covered(self, transcript: str, start: int, end: int) -> list[int]:
        """Indices of the passages the span overlaps."""
        found = self.by_transcript.get(transcript)
        if found is None:
            return []
        ends, indices = found
        i = bisect_left(ends, start + 1)
        hits = []
        while i < len(ends) and self.passages[indices[i]].start < end:
            hits.append(indices[i])
            i += 1
        return hits
