"""A coder's codebook and codings as they stood at an earlier moment, rebuilt from the history,
for intra-coder agreement (`workbench agreement A --at DATE`: the coder against their own
earlier coding).

The current records are taken and every change made after the moment is reverted, newest
first: a change's `before` comes back and its `after` goes. Undone changes are already out of
the current records; one undone after the moment was in effect then, but the history keeps
no time for the undo, so it is counted as never made.
"""

from __future__ import annotations

from datetime import datetime, timezone

from workbench.codebook import Codebook
from workbench.errors import WorkbenchError
from workbench.model import Code, Coding, DoneMark


def parse_moment(text: str) -> tuple[datetime, bool]:
    """A date (`2026-11-03`: the end of that day) or a date and time, in UTC unless it says."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise WorkbenchError(f"'{text}' is not a date: give YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    date_only = len(text.strip()) == 10
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)), date_only


def after_moment(entry_time: str, moment: datetime, date_only: bool) -> bool:
    when = datetime.fromisoformat(entry_time)
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    if date_only:
        return when.astimezone(timezone.utc).date() > moment.date()
    return when > moment


class PastCoding:
    """What `agreement.compare_coders` reads of a coder file, as it stood at the moment."""

    def __init__(self, coder, moment_text: str):
        moment, date_only = parse_moment(moment_text)
        codes = {c.id: c for c in coder.codebook.by_id.values()}
        codings = {c.id: c for c in coder.codings()}
        done = {t: DoneMark(id=t) for t in coder.done_transcripts()}
        tables = {"code": (codes, Code), "coding": (codings, Coding), "done": (done, DoneMark)}
        for entry in reversed(coder.history()):
            if entry.state != "done" or not after_moment(entry.time, moment, date_only):
                continue
            for change in reversed(entry.changes):
                table = tables.get(change.get("kind"))
                if table is None:
                    continue
                records, cls = table
                after, before = change.get("after"), change.get("before")
                if after:
                    records.pop(after["id"], None)
                if before:
                    records[before["id"]] = cls.from_dict(before)
        self.coder = f"{coder.coder}@{moment_text.strip()}"
        self.codebook = Codebook(codes.values())
        self._codings = list(codings.values())
        self._done = set(done)

    def codings(self, transcript: str | None = None, codes: set[str] | None = None) -> list[Coding]:
        return [c for c in self._codings
                if (transcript is None or c.transcript == transcript) and (codes is None or c.code in codes)]

    def done_transcripts(self) -> set[str]:
        return set(self._done)


def intra_coder(project, coder_name: str, moment: str, unit: str = "character", level: str = "code",
                every_transcript: bool = False, transcripts: list[str] | None = None):
    """Agreement between a coder's coding at `moment` (A) and now (B), on the transcripts the
    coder had worked on then and has now (or every one, or those named)."""
    from workbench.analysis.agreement import compare_coders
    from workbench.analysis.transcript_selection import select_transcripts

    with project.open_coder(coder_name, readonly=True, must_exist=True) as coder:
        past = PastCoding(coder, moment)
        selection = select_transcripts(project, past, coder, every_transcript, transcripts)
        return compare_coders(project, past, coder, unit, level, selection=selection)
