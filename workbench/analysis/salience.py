"""Salience of codes and themes: frequency and primacy, combined with an adjustable weight.

The study this serves (seed paper, Methods) "relied on principles of primacy and frequency to
assign importance to codes": what surfaced immediately when people were asked about something
weighed more than what came up later, and what came up often weighed more than what was rare.

Frequency
    codings, transcripts and participants: for a code its own codings; for a theme,
    subtheme or category the union of its descendants' codings.

Primacy
    An interviewer turn opens a question. The participant's *answer* is the run of
    participant turns up to the next interviewer turn (participant turns before the first
    question answer nothing). A coding belongs to the first answer its span overlaps, at the
    offset where that overlap begins. Within an answer, each code's position is its first
    appearance, and codes are ranked by position: rank 1 is the first code to appear. Codes
    at the same offset share the best rank and the next one skips ("1, 1, 3": competition
    ranking). A theme's position is the first appearance of any code below it and its rank
    is counted among the codes (1 + the number of codes that appeared strictly before it),
    so a theme ranks as its first-mentioned code. Primacy = mean of 1/rank over the answers
    the code appears in. Codings outside every answer (in an interviewer turn, before the
    first question, in a transcript with no interviewer) count for frequency but not for
    primacy; a code with no coding in any answer has no primacy (None, 0 in the salience).

Salience
    salience = w * primacy + (1 - w) * participants / N, where N is the number of
    participants with a transcript; w defaults to 0.5. Both terms lie in [0, 1].
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from workbench.codebook import Codebook
from workbench.errors import WorkbenchError
from workbench.model import Code, Coding

DEFAULT_WEIGHT = 0.5


def check_weight(weight: float) -> float:
    if not 0.0 <= weight <= 1.0:
        raise WorkbenchError(f"the salience weight must lie between 0 and 1 (got {weight})")
    return float(weight)


def formula(weight: float = DEFAULT_WEIGHT, participants: int | None = None) -> str:
    """The formula, as every output that shows salience prints it."""
    n = f"N = {participants} participants" if participants is not None else "N = participants with a transcript"
    return (f"salience = {weight:g} × primacy + {1 - weight:g} × participants/N ({n}); "
            "primacy = mean over answers of 1/rank of the code's first appearance after the "
            "interviewer's question (rank 1 = first code to appear; ties share the best rank)")


@dataclass(slots=True)
class NodeSalience:
    """One code or theme: its frequency, primacy and salience."""

    code: Code
    path: str
    depth: int
    codings: int = 0
    transcripts: int = 0
    participants: int = 0
    answers: int = 0  # answers it appears in (the primacy's denominator)
    primacy: float | None = None
    salience: float = 0.0

    def to_row(self) -> dict:
        return {"code": self.code.name, "id": self.code.id, "kind": self.code.kind, "path": self.path,
                "depth": self.depth, "codings": self.codings, "transcripts": self.transcripts,
                "participants": self.participants, "answers": self.answers,
                "primacy": None if self.primacy is None else round(self.primacy, 4),
                "salience": round(self.salience, 4)}


@dataclass
class SalienceTable:
    nodes: dict[str, NodeSalience]  # by code id, in tree order
    weight: float
    total_participants: int
    total_transcripts: int
    coding_primacy: dict[str, float] = field(default_factory=dict)  # coding id -> 1/rank (0 outside answers)

    @property
    def formula(self) -> str:
        return formula(self.weight, self.total_participants)

    def rows(self, kinds: tuple[str, ...] | None = None) -> list[dict]:
        return [n.to_row() for n in self.nodes.values() if kinds is None or n.code.kind in kinds]

    def coding_score(self, coding: Coding) -> float:
        """How quotable a coding is: its own primacy weighed against its code's spread."""
        node = self.nodes.get(coding.code)
        spread = node.participants / self.total_participants if node and self.total_participants else 0.0
        return self.weight * self.coding_primacy.get(coding.id, 0.0) + (1 - self.weight) * spread


def answer_spans(turns) -> list[tuple[int, int]]:
    """(start, end) of each answer: the participant turns between one interviewer turn and the next."""
    spans: list[tuple[int, int]] = []
    asked, start, end = False, None, None
    for turn in turns:
        if turn.role == "interviewer":
            if start is not None:
                spans.append((start, end))
            asked, start, end = True, None, None
        elif asked and turn.end > turn.start:
            start = turn.start if start is None else start
            end = turn.end
    if start is not None:
        spans.append((start, end))
    return spans


def first_positions(codings: list[Coding], spans: list[tuple[int, int]]) -> tuple[list[dict[str, int]], dict[str, int]]:
    """For each answer, code id -> offset of its first appearance; and coding id -> its answer."""
    starts = [s for s, _ in spans]
    per_answer: list[dict[str, int]] = [dict() for _ in spans]
    answer_of: dict[str, int] = {}
    for coding in codings:
        i = max(0, bisect_right(starts, coding.start) - 1)
        # the first answer the span overlaps: the one holding its start, else the next one
        while i < len(spans) and spans[i][1] <= coding.start:
            i += 1
        if i >= len(spans) or spans[i][0] >= coding.end:
            continue
        position = max(coding.start, spans[i][0])
        seen = per_answer[i]
        if coding.code not in seen or position < seen[coding.code]:
            seen[coding.code] = position
        answer_of[coding.id] = i
    return per_answer, answer_of


def compute_salience(project, coder, weight: float = DEFAULT_WEIGHT) -> SalienceTable:
    """Frequency, primacy and salience of every node of the coder's codebook."""
    weight = check_weight(weight)
    book: Codebook = coder.codebook
    infos = {t.id: t for t in project.transcripts()}
    chains = {c.id: [c.id, *(a.id for a in book.ancestors(c.id))] for c in book.walk()}
    by_transcript: dict[str, list[Coding]] = defaultdict(list)
    for coding in coder.codings():
        if coding.code in chains and coding.transcript in infos:
            by_transcript[coding.transcript].append(coding)

    count: dict[str, int] = defaultdict(int)
    transcripts: dict[str, set] = defaultdict(set)
    participants: dict[str, set] = defaultdict(set)
    reciprocal_sum: dict[str, float] = defaultdict(float)
    answers_in: dict[str, int] = defaultdict(int)
    coding_primacy: dict[str, float] = {}
    for tid, codings in by_transcript.items():
        participant = infos[tid].participant
        for coding in codings:
            for node in chains[coding.code]:
                count[node] += 1
        for node in {n for coding in codings for n in chains[coding.code]}:
            transcripts[node].add(tid)
            participants[node].add(participant)
        spans = answer_spans(project.segments(tid).turns)
        per_answer, answer_of = first_positions(codings, spans)
        orders = [sorted(seen.values()) for seen in per_answer]
        for seen, order in zip(per_answer, orders):
            if not seen:
                continue
            node_first: dict[str, int] = {}
            for code_id, position in seen.items():
                for node in chains[code_id]:
                    if node not in node_first or position < node_first[node]:
                        node_first[node] = position
            for node, position in node_first.items():
                reciprocal_sum[node] += 1.0 / (bisect_left(order, position) + 1)
                answers_in[node] += 1
        for coding in codings:
            i = answer_of.get(coding.id)
            if i is not None:
                position = max(coding.start, spans[i][0])
                coding_primacy[coding.id] = 1.0 / (bisect_left(orders[i], position) + 1)

    total_participants = len({t.participant for t in infos.values()})
    nodes: dict[str, NodeSalience] = {}
    for code in book.walk():
        node = NodeSalience(code=code, path=book.path(code.id), depth=len(chains[code.id]) - 1,
                            codings=count[code.id], transcripts=len(transcripts[code.id]),
                            participants=len(participants[code.id]), answers=answers_in[code.id])
        if node.answers:
            node.primacy = reciprocal_sum[code.id] / node.answers
        spread = node.participants / total_participants if total_participants else 0.0
        node.salience = weight * (node.primacy or 0.0) + (1 - weight) * spread
        nodes[code.id] = node
    return SalienceTable(nodes, weight, total_participants, len(infos), coding_primacy)
