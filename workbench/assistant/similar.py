"""More like this: the passages most like the evidence gathered so far (a code's codings, one
coding, or a text), not yet coded with that code.

The evidence's TF-IDF rows are averaged into one query; every passage is scored by cosine
similarity with it. The best candidates are then re-scored with the fuzzy search's measure
(rapidfuzz's token-sort ratio against the closest piece of evidence), which rewards passages
that share whole phrases and are of a like length: score = 0.8 × cosine + 0.2 × fuzzy / 100.
Passages of fewer than MIN_WORDS words ("The room.") are not proposed. Ties go to the earlier
passage, so the same project gives the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.assistant.passages import CoverageIndex, Passage, project_passages
from workbench.errors import WorkbenchError

RESCORE = 100  # candidates re-scored with the fuzzy measure
EVIDENCE_FOR_FUZZY = 20  # pieces of evidence each candidate is compared with
COSINE_WEIGHT = 0.8
MIN_WORDS = 4


@dataclass(frozen=True)
class SimilarPassage:
    passage: Passage
    score: float
    cosine: float
    fuzzy: float
    participant: str | None = None

    def as_dict(self) -> dict:
        p = self.passage
        return {"transcript": p.transcript, "start": p.start, "end": p.end, "text": p.text,
                "participant": self.participant, "score": round(self.score, 6), "cosine": round(self.cosine, 6),
                "fuzzy": round(self.fuzzy, 2)}


class SimilarFinder:
    """The passages of a project as vectors, built once and asked many times (the screen keeps one)."""

    def __init__(self, project, unit: str = "sentence"):
        from workbench.assistant.features import PassageVectors

        self.project, self.unit = project, unit
        self.passages = project_passages(project, unit)
        self.vectors = PassageVectors(self.passages)
        self.coverage = CoverageIndex(self.passages)
        self.participant = {t.id: t.participant for t in project.transcripts()}

    def evidence_of(self, coder, code_ref: str | None = None, coding_ref: str | None = None):
        """(texts, passage indices to leave out, code ids whose passages to leave out)."""
        if coding_ref:
            coding = coder.coding(coding_ref)
            covered = set(self.coverage.covered(coding.transcript, coding.start, coding.end))
            return [coding.text], covered, {coding.code}
        code = coder.code(code_ref)
        ids = coder.codebook.subtree_ids(code.id)
        codings = coder.codings(codes=ids)
        if not codings:
            raise WorkbenchError(f"'{coder.codebook.path(code.id)}' has no coding yet to learn from")
        return [c.text for c in codings], set(), ids

    def rank(self, texts: list[str], coder=None, exclude_codes: set[str] = frozenset(),
             exclude: set[int] = frozenset(), limit: int = 20) -> list[SimilarPassage]:
        import numpy as np
        from rapidfuzz import fuzz

        if not self.passages or not any(t.strip() for t in texts):
            return []
        query = np.asarray(self.vectors.transform(texts).mean(axis=0)).ravel()
        norm = float(np.linalg.norm(query))
        if norm == 0:
            return []
        cosine = self.vectors.matrix @ (query / norm)
        skip = set(exclude)
        if coder is not None and exclude_codes:
            for c in coder.codings(codes=set(exclude_codes)):
                skip.update(self.coverage.covered(c.transcript, c.start, c.end))
        if skip:
            cosine[list(skip)] = -1.0
        candidates = np.argsort(-cosine, kind="stable")[:RESCORE]
        found = []
        for i in candidates:
            if cosine[i] <= 0:
                break
            passage = self.passages[i]
            if len(passage.text.split()) < MIN_WORDS:
                continue
            fuzzy = max(fuzz.token_sort_ratio(passage.text, t) for t in texts[:EVIDENCE_FOR_FUZZY])
            score = COSINE_WEIGHT * float(cosine[i]) + (1 - COSINE_WEIGHT) * fuzzy / 100
            found.append(SimilarPassage(passage, score, float(cosine[i]), fuzzy,
                                        self.participant.get(passage.transcript)))
        found.sort(key=lambda s: (-round(s.score, 9), s.passage.transcript, s.passage.start))
        return found[:limit]

    def like(self, coder, code_ref: str | None = None, coding_ref: str | None = None, text: str | None = None,
             limit: int = 20) -> list[SimilarPassage]:
        if text is not None:
            return self.rank([text], limit=limit)
        texts, exclude, codes = self.evidence_of(coder, code_ref, coding_ref)
        return self.rank(texts, coder, codes, exclude, limit)
