"""Codes that look like one: pairs an analyst may want to merge, with the reason.

Three kinds of evidence, each scored 0-1: names alike (rapidfuzz's token-sort ratio of the
names, or the same words once stemmed: "peer supports" and "peer support"), definitions
alike (TF-IDF cosine of the two definitions), and codings that overlap heavily (the share of
the smaller code's coded sentences that the other code also covers). A pair is listed when
any score reaches its threshold; the pair's score is the highest of the three.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

NAME_THRESHOLD = 0.85
DEFINITION_THRESHOLD = 0.6
OVERLAP_THRESHOLD = 0.8


@dataclass
class CodePair:
    a: str
    b: str
    score: float
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "score": round(self.score, 4), "reasons": self.reasons}


def stemmed_words(name: str) -> frozenset[str]:
    from workbench.assistant.features import WORD, stem

    return frozenset(stem(w) for w in WORD.findall(name.casefold()))


def similar_codes(project, coder) -> list[CodePair]:
    from rapidfuzz import fuzz

    from workbench.assistant.passages import CoverageIndex, project_passages

    book = coder.codebook
    codes = [c for c in book.walk() if c.codable]
    paths = {c.id: book.path(c.id) for c in codes}
    coverage = CoverageIndex(project_passages(project))
    covered: dict[str, set[int]] = {c.id: set() for c in codes}
    for coding in coder.codings():
        if coding.code in covered:
            covered[coding.code].update(coverage.covered(coding.transcript, coding.start, coding.end))
    definitions = definition_similarity([c.description for c in codes])
    pairs = []
    for (i, a), (j, b) in combinations(enumerate(codes), 2):
        scores, reasons = [], []
        name = fuzz.token_sort_ratio(a.name.casefold(), b.name.casefold()) / 100
        if stemmed_words(a.name) == stemmed_words(b.name):
            name = max(name, 0.95)
        if name >= NAME_THRESHOLD:
            scores.append(name)
            reasons.append(f"names alike ({name:.2f})")
        if definitions is not None and definitions[i][j] >= DEFINITION_THRESHOLD:
            scores.append(definitions[i][j])
            reasons.append(f"definitions alike ({definitions[i][j]:.2f})")
        smaller = min(len(covered[a.id]), len(covered[b.id]))
        if smaller:
            overlap = len(covered[a.id] & covered[b.id]) / smaller
            if overlap >= OVERLAP_THRESHOLD:
                scores.append(overlap)
                reasons.append(f"codings overlap ({overlap:.0%} of the smaller code's sentences)")
        if scores:
            pairs.append(CodePair(paths[a.id], paths[b.id], max(scores), reasons))
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs


def definition_similarity(texts: list[str]):
    """Cosine similarity of the definitions (a dense matrix), or None when fewer than two are written."""
    if sum(1 for t in texts if t.strip()) < 2:
        return None
    from workbench.assistant.features import vectorizer

    matrix = vectorizer().fit_transform([t or "" for t in texts])
    similarity = (matrix @ matrix.T).toarray()
    empty = [i for i, t in enumerate(texts) if not t.strip()]
    similarity[empty, :] = 0
    similarity[:, empty] = 0
    return similarity
