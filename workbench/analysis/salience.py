"""Salience of codes and themes: frequency and primacy, combined with an adjustable weight.

The study this serves (seed paper, Methods) "relied on principles of primacy and frequency to
assign importance to codes": what surfaced immediately when people were asked about something
weighed more than what came up later, and what came up often weighed more than what was rare.

Frequency
    codings, transcripts and participants: for a code its own codings; for a theme,
    subtheme or category the union of its descendants' codings. A coding counts for the
    participant(s) it is attributed to (workbench.sources.attribution: in a focus group, the
    speakers of the turns it covers).

Primacy
    An interviewer turn opens a question. The participant's *answer* is the run of
    participant turns up to the next interviewer turn (participant turns before the first
    question answer nothing); in a focus group it holds every speaker's turns up to the
    moderator's next question, so codes are ranked across speakers. A coding belongs to
    the first answer its span overlaps, at the offset where that overlap begins. Within an
    answer, each code's position is its first appearance, and codes are ranked by position:
    rank 1 is the first code to appear. Codes
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

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from workbench.analysis.answers import answers_by_transcript
from workbench.codebook import Codebook
from workbench.coding.spans import CodingSpan, spans_by_transcript
from workbench.errors import WorkbenchError
from workbench.model import Code, Coding
from workbench.gc_pause import collector_paused
from workbench.sources.attribution import Attribution

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


def place_codings(codings: list[Coding], spans: list[tuple[int, int]]):
    """Each coding's answer and position: the first answer its span overlaps, and the offset
    where that overlap begins. Returns (answer -> {code: first position}, [(coding id, answer,
    position)]); codings outside every answer are left out."""
    per_answer: dict[int, dict[str, int]] = {}
    placed: list[tuple[str, int, int]] = []
    i, count = 0, len(spans)
    for coding in sorted(codings, key=by_start):
        start = coding.start
        while i < count and spans[i][1] <= start:  # answers that end before it (starts only grow)
            i += 1
        if i == count:
            break
        answer_start = spans[i][0]
        if answer_start >= coding.end:
            continue
        position = start if start > answer_start else answer_start
        seen = per_answer.get(i)
        if seen is None:
            per_answer[i] = {coding.code: position}
        elif position < seen.get(coding.code, position + 1):
            seen[coding.code] = position
        placed.append((coding.id, i, position))
    return per_answer, placed


def by_start(coding: Coding) -> int:
    return coding.start


def compute_salience(project, coder, weight: float = DEFAULT_WEIGHT, codings: list[Coding] | None = None,
                     quote_scores: bool = False) -> SalienceTable:
    """Frequency, primacy and salience of every node of the coder's codebook. `codings`: the
    coder's codings when the caller already has them; `quote_scores`: also each coding's own
    primacy, for `SalienceTable.coding_score` (choosing quotes)."""
    with collector_paused():
        return _compute_salience(project, coder, check_weight(weight), codings, quote_scores)


def _compute_salience(project, coder, weight: float, codings: list[Coding] | None,
                      quote_scores: bool) -> SalienceTable:
    book: Codebook = coder.codebook
    attribution = Attribution(project)
    chains = {c.id: [c.id, *(a.id for a in book.ancestors(c.id))] for c in book.walk()}

    # Counted from each transcript's spans by code (workbench.coding.spans): a coder file opened
    # without its codings gives them from its index, unparsed. Then carried up to every
    # ancestor once at the end.
    quoted = codings if codings is not None else (coder.codings() if quote_scores else None)
    kinds = attribution.kinds()
    fixed = attribution.fixed_participants()  # one participant whatever the span (not a focus group)
    code_count: dict[str, int] = {}
    code_transcripts: dict[str, set] = defaultdict(set)
    code_people: dict[str, set] = defaultdict(set)
    asked: dict[str, list] = defaultdict(list)  # codings of transcripts where a question may be asked
    for tid, by_code in (coder.coding_spans() if quoted is None else spans_by_transcript(quoted)).items():
        if tid not in kinds:  # (subscripts: a read-only view's get() is a slow method call)
            continue
        kind = kinds[tid]
        person = fixed[tid] if tid in fixed else None
        for code_id, offsets in by_code.items():
            if code_id not in chains:
                continue
            code_count[code_id] = code_count.get(code_id, 0) + len(offsets) // 2
            code_transcripts[code_id].add(tid)
            if person is not None:
                code_people[code_id].add(person)
            elif kind == "focus_group":
                for i in range(0, len(offsets), 2):
                    code_people[code_id].update(attribution.span(tid, offsets[i], offsets[i + 1]))
            if kind != "survey" and quoted is None:  # a survey answer asks nothing: nothing to rank
                asked[tid] += [CodingSpan(code_id, tid, offsets[i], offsets[i + 1]) for i in range(0, len(offsets), 2)]
    for coding in quoted or ():  # their ids are wanted: each coding's own primacy
        if coding.transcript in kinds and kinds[coding.transcript] != "survey" and coding.code in chains:
            asked[coding.transcript].append(coding)

    alone_in: Counter = Counter()  # answers where the code is the only one: rank 1
    reciprocal_sum: dict[str, float] = defaultdict(float)
    answers_in: dict[str, int] = defaultdict(int)
    coding_primacy: dict[str, float] = {}
    answers = answers_by_transcript(project, list(asked), {tid: attribution.info(tid) for tid in asked})
    for tid, codings in asked.items():
        if not answers[tid]:  # no question asked: nothing to rank
            continue
        per_answer, placed = place_codings(codings, answers[tid])
        orders: dict[int, list[int]] = {}
        for i, seen in per_answer.items():
            if len(seen) == 1:
                alone_in[next(iter(seen))] += 1
                continue
            order = orders[i] = sorted(seen.values())
            node_first: dict[str, int] = {}
            for code_id, position in seen.items():
                for node in chains[code_id]:
                    if position < node_first.get(node, position + 1):
                        node_first[node] = position
            for node, position in node_first.items():
                reciprocal_sum[node] += 1.0 / (bisect_left(order, position) + 1)
                answers_in[node] += 1
        for coding_id, i, position in placed if quote_scores else ():
            order = orders.get(i)
            coding_primacy[coding_id] = 1.0 if order is None else 1.0 / (bisect_left(order, position) + 1)

    count: Counter = Counter()
    transcripts: dict[str, set] = defaultdict(set)
    participants: dict[str, set] = defaultdict(set)
    for code_id, chain in chains.items():
        if code_id not in code_count:
            continue  # no coding of it to carry up
        for node in chain:
            count[node] += code_count[code_id]
            transcripts[node] |= code_transcripts[code_id]
            participants[node] |= code_people[code_id]
            reciprocal_sum[node] += alone_in[code_id]
            answers_in[node] += alone_in[code_id]

    total_participants = len(attribution.everyone())
    nodes: dict[str, NodeSalience] = {}
    for code in book.walk():
        node = NodeSalience(code=code, path=book.path(code.id), depth=len(chains[code.id]) - 1,
                            codings=count[code.id], transcripts=len(transcripts[code.id]),
                            participants=len(participants.get(code.id, ())), answers=answers_in[code.id])
        if node.answers:
            node.primacy = reciprocal_sum[code.id] / node.answers
        spread = node.participants / total_participants if total_participants else 0.0
        node.salience = weight * (node.primacy or 0.0) + (1 - weight) * spread
        nodes[code.id] = node
    return SalienceTable(nodes, weight, total_participants, len(attribution.kinds()), coding_primacy)
