"""Which transcripts two coders are compared (or merged) on.

By default only the transcripts both coders have worked on: each has at least one coding
there, or has marked the transcript done (a transcript with nothing to code is still a
transcript coded). A transcript one coder has not reached yet would otherwise count all
the other's codings as disagreements. `every=True` compares every transcript of the
project; `chosen` names the transcripts to compare. Each transcript left out has a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.coderfile import CoderFile
from workbench.errors import WorkbenchError
from workbench.project import Project


@dataclass(frozen=True)
class TranscriptSelection:
    compared: list[str]  # in the project's order
    excluded: list[tuple[str, str]]  # (transcript, why it was left out)

    def as_dict(self) -> dict:
        return {"transcripts_compared": list(self.compared),
                "transcripts_excluded": [{"transcript": t, "reason": why} for t, why in self.excluded]}


def worked_on(coder: CoderFile, known: set[str]) -> set[str]:
    """The transcripts of the project this coder has coded something in or marked done."""
    return ({c.transcript for c in coder.codings()} | coder.done_transcripts()) & known


def select_transcripts(project: Project, a: CoderFile, b: CoderFile, every: bool = False,
                       chosen: list[str] | None = None) -> TranscriptSelection:
    ids = [t.id for t in project.transcripts()]
    if every and chosen:
        raise WorkbenchError("give --all-transcripts or --transcripts, not both")
    if every:
        return TranscriptSelection(ids, [])
    if chosen is not None:
        wanted = {project.transcript(ref).id for ref in chosen}  # an unknown id is refused here
        if not wanted:
            raise WorkbenchError("--transcripts names no transcript: give ids separated by commas")
        return TranscriptSelection([t for t in ids if t in wanted],
                                   [(t, "not among the transcripts asked for") for t in ids if t not in wanted])
    known = set(ids)
    by_a, by_b = worked_on(a, known), worked_on(b, known)
    compared, excluded = [], []
    for t in ids:
        if t in by_a and t in by_b:
            compared.append(t)
        elif t in by_a or t in by_b:
            did, not_yet = (a.coder, b.coder) if t in by_a else (b.coder, a.coder)
            excluded.append((t, f"only {did} worked on it ({not_yet} has no coding there and has not marked it done)"))
        else:
            excluded.append((t, "neither coder has coded it or marked it done"))
    return TranscriptSelection(compared, excluded)


def excluded_summary(selection: TranscriptSelection, limit: int = 6) -> list[str]:
    """Lines saying which transcripts were left out and why, grouped by reason."""
    by_reason: dict[str, list[str]] = {}
    for transcript, why in selection.excluded:
        by_reason.setdefault(why, []).append(transcript)
    lines = []
    for why, transcripts in by_reason.items():
        shown = ", ".join(transcripts[:limit]) + (f" and {len(transcripts) - limit} more" if len(transcripts) > limit else "")
        lines.append(f"{shown}: {why}")
    return lines
