"""Agreement between two coders of a project: per code and transcript, pooled per code, overall.

The unit is a character (NVivo's coding comparison), a sentence or a speaker turn (coded
when a coding overlaps it), or a whole transcript (coded when the code appears in it). Every
compared transcript is a population of units for every code, so a transcript neither coder
coded with a code adds only 'neither' units; `agreement` compares the transcripts both
coders worked on unless told otherwise (`transcript_selection`). A code's pooled table is
the sum of its per-transcript tables; the overall table is the sum of the pooled ones. The figures come
from `agreement_stats.figures`; `docs/agreement.md` gives the formulas and their sources.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from pathlib import Path

from workbench.analysis.agreement_stats import (
    AgreementFigures,
    Table2x2,
    UnitIndex,
    character_table,
    figures,
    presence_table,
    union_spans,
)
from workbench.analysis.code_matching import ComparedCode, match_codes, read_mapping
from workbench.analysis.transcript_selection import TranscriptSelection, select_transcripts
from workbench.coderfile import CoderFile
from workbench.errors import WorkbenchError
from workbench.project import Project

UNITS = ("character", "sentence", "turn", "transcript")
FIGURE_FIELDS = [f.name for f in fields(AgreementFigures)]

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class TranscriptUnits:
    """One transcript's units, prepared once for every code."""

    id: str
    length: int  # characters
    index: UnitIndex | None  # sentences or turns; None for the character and transcript units
    unit: str

    @property
    def count(self) -> int:
        if self.unit == "character":
            return self.length
        return 1 if self.unit == "transcript" else len(self.index)

    def table(self, spans_a: Spans, spans_b: Spans) -> Table2x2:
        if self.unit == "character":
            return character_table(self.length, spans_a, spans_b)
        if self.unit == "transcript":
            return presence_table(bool(union_spans(spans_a)), bool(union_spans(spans_b)))
        return self.index.table(spans_a, spans_b)

    def unit_ranges(self, spans: Spans) -> Spans:
        """The units the spans cover, as ranges in unit space (characters, unit indices, or [0, 1))."""
        if self.unit == "character":
            return union_spans(spans)
        if self.unit == "transcript":
            return [(0, 1)] if union_spans(spans) else []
        return self.index.ranges(spans)


def unit_spans(project: Project, transcript: str, unit: str) -> Spans:
    """The sentences, or the turns, of a transcript as (start, end) spans. A turn runs from its
    speaker label to its end: coding the label codes the turn."""
    segments = project.segments(transcript)
    if unit == "sentence":
        return [(s.start, s.end) for s in segments.sentences]
    return [(t.label_start, t.end) for t in segments.turns]


def transcript_units(project: Project, unit: str, transcripts: list[str] | None = None) -> list[TranscriptUnits]:
    """The units of every transcript, or of `transcripts` only."""
    if unit not in UNITS:
        raise WorkbenchError(f"unknown unit '{unit}': use one of {', '.join(UNITS)}")
    prepared = []
    wanted = None if transcripts is None else set(transcripts)
    for info in project.transcripts():
        if wanted is not None and info.id not in wanted:
            continue
        index = UnitIndex(unit_spans(project, info.id, unit)) if unit in ("sentence", "turn") else None
        prepared.append(TranscriptUnits(info.id, info.chars, index, unit))
    return prepared


def spans_by_code(coder: CoderFile, lengths: dict[str, int]) -> dict[str, dict[str, Spans]]:
    """code id -> transcript -> the coder's spans, clipped to the text; codings of transcripts
    the project no longer holds are left out."""
    grouped: dict[str, dict[str, Spans]] = {}
    for coding in coder.codings():
        transcript = coding.transcript
        length = lengths.get(transcript)
        if length is None:
            continue
        start, end = coding.start, coding.end
        if start < 0 or end > length:
            start, end = max(0, start), min(end, length)
        if start < end:
            by_transcript = grouped.get(coding.code)
            if by_transcript is None:
                by_transcript = grouped[coding.code] = {}
            spans = by_transcript.get(transcript)
            if spans is None:
                by_transcript[transcript] = [(start, end)]
            else:
                spans.append((start, end))
    return grouped


def spans_of(grouped: dict[str, dict[str, Spans]], code_ids) -> dict[str, Spans]:
    """transcript -> spans of every code in `code_ids` (a theme's codes pooled)."""
    if len(code_ids) == 1:
        return grouped.get(next(iter(code_ids)), {})
    pooled: dict[str, Spans] = defaultdict(list)
    for code_id in code_ids:
        for transcript, spans in grouped.get(code_id, {}).items():
            pooled[transcript].extend(spans)
    return pooled


@dataclass(frozen=True)
class CodeAgreement:
    code: ComparedCode
    figures: AgreementFigures
    note: str | None
    transcripts: list[tuple[str, AgreementFigures]]

    def as_dict(self) -> dict:
        return {"code": self.code.label, **figures_dict(self.figures, self.note),
                "transcripts": [{"transcript": t, **figures_dict(f)} for t, f in self.transcripts]}


@dataclass(frozen=True)
class AgreementReport:
    unit: str
    level: str
    coders: tuple[str, str]
    codes: list[CodeAgreement]
    overall: AgreementFigures
    selection: TranscriptSelection

    def as_dict(self) -> dict:
        """The JSON shape of `workbench agreement --format json` (docs/agreement.md)."""
        return {"unit": self.unit, "coders": list(self.coders), **self.selection.as_dict(),
                "codes": [c.as_dict() for c in self.codes], "overall": figures_dict(self.overall)}

    def code(self, label: str) -> CodeAgreement:
        return next(c for c in self.codes if c.code.label == label)


def figures_dict(f: AgreementFigures, note: str | None = None) -> dict:
    out = {name: getattr(f, name) for name in FIGURE_FIELDS}
    if note is not None:
        out["note"] = note
    return out


class _FigureCache(dict):
    """Many (code, transcript) tables repeat (all 'neither', say): compute each once."""

    def __missing__(self, table: Table2x2) -> AgreementFigures:
        self[table] = figures(table)
        return self[table]


def compare_coders(project: Project, coder_a: CoderFile, coder_b: CoderFile, unit: str = "character",
                   level: str = "code", mapping: list[tuple[str, str]] | None = None,
                   units: list[TranscriptUnits] | None = None,
                   selection: TranscriptSelection | None = None) -> AgreementReport:
    """Agreement between two open coder files, on the transcripts of `selection` (default:
    every transcript). `units` may be passed in to reuse them across calls."""
    if selection is None:
        selection = TranscriptSelection([t.id for t in project.transcripts()], [])
    if units is None:
        units = transcript_units(project, unit, selection.compared)
    else:
        wanted = set(selection.compared)
        units = [u for u in units if u.id in wanted]
    lengths = {u.id: u.length for u in units}
    grouped_a, grouped_b = spans_by_code(coder_a, lengths), spans_by_code(coder_b, lengths)
    compared = match_codes(coder_a.codebook, coder_b.codebook, level, set(grouped_a), set(grouped_b), mapping)
    cache = _FigureCache()
    empty = {u.id: Table2x2(neither=u.count) for u in units}
    rows, overall = [], Table2x2()
    for code in compared:
        by_a, by_b = spans_of(grouped_a, code.a_codes), spans_of(grouped_b, code.b_codes)
        per_transcript, pooled = [], Table2x2()
        for u in units:
            a, b = by_a.get(u.id), by_b.get(u.id)
            table = u.table(a or [], b or []) if a or b else empty[u.id]
            pooled += table
            per_transcript.append((u.id, cache[table]))
        overall += pooled
        pooled_figures = cache[pooled]
        note = "; ".join(n for n in (code.one_sided_note, pooled_figures.note) if n) or None
        rows.append(CodeAgreement(code, pooled_figures, note, per_transcript))
    return AgreementReport(unit, level, (coder_a.coder, coder_b.coder), rows, figures(overall), selection)


def agreement(project: Project, coder_a: str, coder_b: str, unit: str = "character", level: str = "code",
              mapping_file: Path | None = None, every_transcript: bool = False,
              transcripts: list[str] | None = None) -> AgreementReport:
    """Agreement between two coders of the project, by name (their files are read, not locked),
    on the transcripts both worked on, every transcript, or the ones named."""
    if coder_a == coder_b:
        raise WorkbenchError("give two different coders to compare")
    mapping = read_mapping(mapping_file, coder_a, coder_b) if mapping_file else None
    with project.open_coder(coder_a, readonly=True, must_exist=True) as a, \
            project.open_coder(coder_b, readonly=True, must_exist=True) as b:
        selection = select_transcripts(project, a, b, every_transcript, transcripts)
        return compare_coders(project, a, b, unit, level, mapping, selection=selection)
