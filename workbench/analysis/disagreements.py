"""The disagreements of one compared code, one discussion item each, and their resolution
into the consensus coder file.

An item is a cluster of codings (both coders') whose unit ranges overlap one another:
A's codings and B's overlapping codings side by side. A cluster is a disagreement when the
units A covers in it differ from the units B covers (on the character unit: some character
is coded by exactly one coder; those characters are the item's `regions`). For
sentences, turns and transcripts the codings are first mapped to the units they touch, so
two codings in the same sentence agree on the sentence unit even when their characters differ.

Resolving an item writes into the consensus file, as one history entry: the codings the
decision keeps (take_a, take_b, both; none for neither), the codes they need (both
codebooks are copied in by path on the first resolution), the note (a memo on each coding
added, else a journal entry), and a `Resolution` record under the item's key. Deciding an
item again replaces the earlier decision: the consensus codings with the spans of this
item's codings that the new decision does not keep are removed. `skip` records the item
as seen, so the walk resumes after it; skipped items come back at the end of the walk.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from workbench.analysis.agreement import TranscriptUnits, transcript_units
from workbench.analysis.agreement_stats import subtract_spans, union_spans
from workbench.analysis.code_matching import ComparedCode
from workbench.codebook import name_key
from workbench.coderfile import CoderFile
from workbench.errors import WorkbenchError
from workbench.model import Coding, Memo, Resolution, new_id, now
from workbench.project import Project

DECISIONS = {"take_a": "take A", "take_b": "take B", "both": "keep both", "neither": "drop both", "skip": "skip"}


@dataclass(frozen=True)
class Disagreement:
    key: str
    code: ComparedCode
    transcript: str
    unit: str
    a_codings: tuple[Coding, ...]
    b_codings: tuple[Coding, ...]
    regions: tuple[tuple[int, int], ...]  # characters coded by exactly one coder

    @property
    def start(self) -> int:
        return min(c.start for c in self.a_codings + self.b_codings)

    @property
    def end(self) -> int:
        return max(c.end for c in self.a_codings + self.b_codings)

    @property
    def a_spans(self) -> list[tuple[int, int]]:
        return union_spans((c.start, c.end) for c in self.a_codings)

    @property
    def b_spans(self) -> list[tuple[int, int]]:
        return union_spans((c.start, c.end) for c in self.b_codings)


def item_key(unit: str, code: ComparedCode, transcript: str, a: list, b: list) -> str:
    blob = f"{unit}|{name_key(code.label)}|{transcript}|{a}|{b}"
    return hashlib.sha1(blob.encode()).hexdigest()[:16]


def find_disagreements(project: Project, a: CoderFile, b: CoderFile, code: ComparedCode, unit: str = "character",
                       units: list[TranscriptUnits] | None = None) -> list[Disagreement]:
    """The code's disagreements in transcript order, then by position."""
    units = units if units is not None else transcript_units(project, unit)
    codings_a = _codings_by_transcript(a, code.a_codes)
    codings_b = _codings_by_transcript(b, code.b_codes)
    items = []
    for u in units:
        tagged = [("a", c) for c in codings_a.get(u.id, ())] + [("b", c) for c in codings_b.get(u.id, ())]
        for cluster in _clusters(u, tagged):
            a_side = tuple(c for side, c in cluster if side == "a")
            b_side = tuple(c for side, c in cluster if side == "b")
            a_units = u.unit_ranges([(c.start, c.end) for c in a_side])
            b_units = u.unit_ranges([(c.start, c.end) for c in b_side])
            if a_units == b_units:
                continue
            a_chars = union_spans((c.start, c.end) for c in a_side)
            b_chars = union_spans((c.start, c.end) for c in b_side)
            regions = tuple(sorted(subtract_spans(a_chars, b_chars) + subtract_spans(b_chars, a_chars)))
            items.append(Disagreement(item_key(unit, code, u.id, a_chars, b_chars), code, u.id, unit,
                                      a_side, b_side, regions))
    return items


def _codings_by_transcript(coder: CoderFile, code_ids) -> dict[str, list[Coding]]:
    grouped: dict[str, list[Coding]] = {}
    for coding in coder.codings(codes=set(code_ids)):
        grouped.setdefault(coding.transcript, []).append(coding)
    return grouped


def _clusters(u: TranscriptUnits, tagged: list[tuple[str, Coding]]) -> list[list[tuple[str, Coding]]]:
    """Codings grouped by overlap of the units they touch (a coding touching no unit is left out)."""
    ranged = []
    for side, coding in tagged:
        ranges = u.unit_ranges([(coding.start, coding.end)])
        if ranges:
            ranged.append((ranges[0][0], ranges[-1][1], side, coding))
    ranged.sort(key=lambda r: (r[0], r[1]))
    clusters, reach = [], None
    for first, last, side, coding in ranged:
        if reach is None or first >= reach:
            clusters.append([])
            reach = last
        clusters[-1].append((side, coding))
        reach = max(reach, last)
    return clusters


class DisagreementWalk:
    """One code's disagreements between A and B, resolved one by one into the consensus file."""

    def __init__(self, project: Project, a: CoderFile, b: CoderFile, consensus: CoderFile,
                 code: ComparedCode, unit: str = "character", units: list[TranscriptUnits] | None = None):
        if consensus.coder in (a.coder, b.coder):
            raise WorkbenchError("resolve into a third coder file, not into one of the two compared")
        self.project, self.a, self.b, self.consensus = project, a, b, consensus
        self.code, self.unit = code, unit
        self.items = find_disagreements(project, a, b, code, unit, units)

    def decision(self, item: Disagreement) -> Resolution | None:
        return self.consensus.resolutions().get(item.key)

    def pending(self) -> list[Disagreement]:
        """Where the walk resumes: the undecided items in order, then the skipped ones."""
        resolved = self.consensus.resolutions()
        undecided = [i for i in self.items if i.key not in resolved]
        skipped = [i for i in self.items if i.key in resolved and resolved[i.key].decision == "skip"]
        return undecided + skipped

    def resolve(self, item: Disagreement, decision: str, note: str = "") -> Resolution:
        if decision not in DECISIONS:
            raise WorkbenchError(f"unknown decision '{decision}': use one of {', '.join(DECISIONS)}")
        target = self.consensus
        codes_a, ids_a = target.codes_to_copy(self.a)
        codes_b, ids_b = target.codes_to_copy(self.b, pending=codes_a)
        candidates = {("a", c.id): (ids_a[c.code], c) for c in item.a_codings}
        candidates.update({("b", c.id): (ids_b[c.code], c) for c in item.b_codings})
        keep_sides = {"take_a": {"a"}, "take_b": {"b"}, "both": {"a", "b"}}.get(decision, set())
        kept = {(code, c.transcript, c.start, c.end): c for (side, _), (code, c) in candidates.items() if side in keep_sides}
        dropped = {(code, c.transcript, c.start, c.end) for code, c in candidates.values()} - kept.keys()
        present = {(c.code, c.transcript, c.start, c.end): c for c in target.codings(transcript=item.transcript)}

        remove, add = [], [*codes_a, *codes_b]
        if decision != "skip":
            remove += [present[k] for k in dropped if k in present]
            # an earlier decision's codings joined into one over their union (coding.union) match no
            # span of the item: those lying within the item go too, and what is kept is added again
            codes = {code for code, _ in candidates.values()}
            remove += [c for k, c in present.items() if k not in kept and k not in dropped and c.code in codes
                       and item.start <= c.start and c.end <= item.end]
            remove += [m for m in target.memos() if m.target_type == "coding" and m.target in {c.id for c in remove}]
        new_codings = [Coding(id=new_id(), code=k[0], transcript=k[1], start=k[2], end=k[3], text=c.text,
                              corrected=c.corrected) for k, c in kept.items() if k not in present]
        add += new_codings
        if note.strip():
            add += [Memo(id=new_id(), target_type="coding", target=c.id, text=note) for c in new_codings] or [
                Memo(id=new_id(), target_type="project", target=None, text=note,
                     title=f"Agreement: {self.code.label}, {item.transcript} {item.start}-{item.end}")]
        earlier = target.resolutions().get(item.key)
        if earlier is not None:
            remove.append(earlier)
        resolution = Resolution(id=item.key, code=self.code.label, transcript=item.transcript, unit=self.unit,
                                decision=decision, a_spans=[list(s) for s in item.a_spans],
                                b_spans=[list(s) for s in item.b_spans], note=note,
                                created=earlier.created if earlier else now())
        add.append(resolution)
        target.change_records("agreement.resolve", f"{DECISIONS[decision]}: {self.code.label} in {item.transcript} "
                              f"{item.start}-{item.end}", add=add, remove=remove)
        return resolution


def context_window(text: str, start: int, end: int, around: int = 160) -> tuple[int, int]:
    """A window around [start, end) widened by `around` characters, cut at line breaks when
    near, else between words (never inside one)."""
    lo, hi = max(0, start - around), min(len(text), end + around)
    line_start = text.rfind("\n", lo, start)
    line_end = text.find("\n", end, hi)
    if line_start >= 0:
        lo = line_start + 1
    elif lo > 0 and not text[lo - 1].isspace():
        gap = re.compile(r"\s").search(text, lo, start)
        lo = gap.end() if gap else lo
    if line_end >= 0:
        hi = line_end
    elif hi < len(text) and not text[hi].isspace():
        gaps = [m.start() for m in re.finditer(r"\s", text[end:hi])]
        hi = end + gaps[-1] if gaps else hi
    return lo, hi

