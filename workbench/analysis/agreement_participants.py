"""Agreement between two coders per participant (NVivo's coding comparison by case).

A participant's units are their part of the text: every unit of their interviews and survey
answers, and in a focus group the turns they speak (from a turn's label to its end), with the
characters, sentences or turns inside them; at the transcript unit, a group counts once for
each speaker, coded when a coding touches that speaker's turns. A participant's table is the
sum, over every compared code, of their units' tables, pooled over their transcripts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.analysis.agreement import (UNITS, AgreementFigures, Spans, TranscriptUnits, figures_dict,
                                          spans_by_code, spans_of, transcript_units)
from workbench.analysis.agreement_stats import Table2x2, UnitIndex, character_table, figures, presence_table
from workbench.analysis.code_matching import match_codes, read_mapping
from workbench.analysis.transcript_selection import TranscriptSelection, select_transcripts
from workbench.errors import WorkbenchError
from workbench.project import natural_key


@dataclass(frozen=True)
class SpeakerUnits:
    """One focus-group speaker's part of a transcript: `ranges`, their turns; `index`, their
    sentences or turns as units (None for characters and the transcript unit)."""

    id: str
    ranges: Spans
    index: UnitIndex | None
    unit: str

    def clip(self, spans: Spans) -> Spans:
        """The spans' parts inside the speaker's turns, in a text of only those turns."""
        clipped, before = [], 0
        for start, end in self.ranges:
            for s, e in spans:
                s, e = max(s, start), min(e, end)
                if s < e:
                    clipped.append((before + s - start, before + e - start))
            before += end - start
        return clipped

    @property
    def count(self) -> int:
        if self.unit == "character":
            return sum(e - s for s, e in self.ranges)
        return 1 if self.unit == "transcript" else len(self.index)

    def table(self, spans_a: Spans, spans_b: Spans) -> Table2x2:
        if self.unit == "character":
            return character_table(self.count, self.clip(spans_a), self.clip(spans_b))
        if self.unit == "transcript":
            return presence_table(bool(self.clip(spans_a)), bool(self.clip(spans_b)))
        return self.index.table(spans_a, spans_b)


@dataclass(frozen=True)
class ParticipantAgreement:
    participant: str
    transcripts: list[str]
    figures: AgreementFigures

    def as_dict(self) -> dict:
        return {"participant": self.participant, "transcripts": self.transcripts, **figures_dict(self.figures)}


def participant_units(project, unit: str) -> list[tuple[str, TranscriptUnits | SpeakerUnits]]:
    """(participant, their units of one transcript) for every participant of every transcript."""
    from workbench.sources.attribution import turn_owners

    found = []
    for units in transcript_units(project, unit):
        info = project.transcript(units.id)
        if not info.is_focus_group:
            found.append((info.participant, units))
            continue
        seg = project.segments(info.id)
        owner = turn_owners(info, project)
        for pid in dict.fromkeys(p for p in owner if p is not None):
            turns = [t for t, p in zip(seg.turns, owner) if p == pid]
            index = None
            if unit == "sentence":
                mine = {t.index for t in turns}
                index = UnitIndex([(s.start, s.end) for s in seg.sentences if s.turn in mine])
            elif unit == "turn":
                index = UnitIndex([(t.label_start, t.end) for t in turns])
            found.append((pid, SpeakerUnits(info.id, [(t.label_start, t.end) for t in turns], index, unit)))
    return found


@dataclass(frozen=True)
class ParticipantsReport:
    rows: list[ParticipantAgreement]  # the participants of the compared transcripts, in natural order
    selection: TranscriptSelection


def agreement_by_participant(project, coder_a: str, coder_b: str, unit: str = "character", level: str = "code",
                             mapping_file: Path | None = None, every_transcript: bool = False,
                             transcripts: list[str] | None = None) -> ParticipantsReport:
    """Each participant's agreement between two coders, pooled over every compared code, on
    the transcripts compared as the per-code agreement compares them (both coders worked on
    them, unless `every_transcript` or `transcripts` say otherwise)."""
    if coder_a == coder_b:
        raise WorkbenchError("give two different coders to compare")
    if unit not in UNITS:
        raise WorkbenchError(f"unknown unit '{unit}': use one of {', '.join(UNITS)}")
    mapping = read_mapping(mapping_file, coder_a, coder_b) if mapping_file else None
    lengths = {t.id: t.chars for t in project.transcripts()}
    with project.open_coder(coder_a, readonly=True, must_exist=True) as a, \
            project.open_coder(coder_b, readonly=True, must_exist=True) as b:
        selection = select_transcripts(project, a, b, every_transcript, transcripts)
        grouped_a, grouped_b = spans_by_code(a, lengths), spans_by_code(b, lengths)
        compared = match_codes(a.codebook, b.codebook, level, set(grouped_a), set(grouped_b), mapping)
    compared_ids = set(selection.compared)
    units = [(pid, part) for pid, part in participant_units(project, unit) if part.id in compared_ids]
    tables: dict[str, Table2x2] = {}
    owned: dict[str, list[str]] = {}
    for code in compared:
        by_a, by_b = spans_of(grouped_a, code.a_codes), spans_of(grouped_b, code.b_codes)
        for pid, part in units:
            spans_a, spans_b = by_a.get(part.id, []), by_b.get(part.id, [])
            table = part.table(spans_a, spans_b) if spans_a or spans_b else Table2x2(neither=part.count)
            tables[pid] = tables.get(pid, Table2x2()) + table
    for pid, part in units:
        owned.setdefault(pid, []).append(part.id)
    return ParticipantsReport([ParticipantAgreement(pid, owned[pid], figures(tables.get(pid, Table2x2())))
                               for pid in sorted(owned, key=natural_key)], selection)
