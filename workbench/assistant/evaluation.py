"""How good the assistant is, measured on a coder's real coding (by cross-validation), beside
a baseline that knows nothing of the text. `python -m benchmarks` prints these figures.

- Suggested codes, top 3: the coded passages are split into folds (every fifth passage, in
  transcript order); for each fold a model is trained on the rest of the coder's coding (the
  fold's passages left out entirely) and asked to rank the coder's codes for each passage of
  the fold; a hit is a passage one of whose codes is among the model's first
  three. Baseline: always the three codes most frequent in the training folds.
- More like this, recall at 20: for each code with at least 4 coded passages, every other
  passage is held out; the rest is the evidence; recall is the share of the held-out
  passages found in the 20 best-ranked. Baseline: the share a random ranking finds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

FOLDS = 5


@dataclass(frozen=True)
class Evaluation:
    top3: float | None
    top3_baseline: float | None
    recall_at_20: float | None
    recall_baseline: float | None
    passages: int  # coded passages evaluated
    codes: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def coded_passages(finder, coder) -> dict[int, set[str]]:
    book = coder.codebook
    labels: dict[int, set[str]] = {}
    for coding in coder.codings():
        if coding.code in book and book[coding.code].codable:
            for i in finder.coverage.covered(coding.transcript, coding.start, coding.end):
                labels.setdefault(i, set()).add(coding.code)
    return labels


def top3_accuracy(finder, coder, folds: int = FOLDS) -> tuple[float | None, float | None, int]:
    import numpy as np

    from workbench.assistant.model import CodeModel

    labels = coded_passages(finder, coder)
    if len(labels) < folds:
        return None, None, 0
    coded_transcripts = {finder.passages[i].transcript for i in labels}
    ordered = sorted(labels)
    hits = baseline_hits = total = 0
    for k in range(folds):
        test = ordered[k::folds]
        held = set(test)
        train = [i for i, p in enumerate(finder.passages) if p.transcript in coded_transcripts and i not in held]
        counts = Counter(code for i in train for code in labels.get(i, ()))
        common = {code for code, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:3]}
        matrix = finder.vectors.matrix[train]
        codes, scores = [], []
        for code in sorted(counts):
            y = np.array([code in labels.get(i, ()) for i in train], dtype=bool)
            if y.all():
                continue
            codes.append(code)
            scores.append(CodeModel(matrix, y).raw(finder.vectors.matrix[test]))
        if not codes:
            continue
        scores = np.vstack(scores)
        for column, i in enumerate(test):
            best = {codes[r] for r in np.argsort(-scores[:, column], kind="stable")[:3]}
            total += 1
            hits += bool(labels[i] & best)
            baseline_hits += bool(labels[i] & common)
    if not total:
        return None, None, 0
    return hits / total, baseline_hits / total, total


def recall_at(finder, coder, k: int = 20) -> tuple[float | None, float | None, int]:
    labels = coded_passages(finder, coder)
    by_code: dict[str, list[int]] = {}
    for i, codes in sorted(labels.items()):
        for code in codes:
            by_code.setdefault(code, []).append(i)
    found = held_total = 0
    expected = 0.0
    for code, passages in sorted(by_code.items()):
        if len(passages) < 4:
            continue
        evidence, held = passages[0::2], set(passages[1::2])
        ranked = finder.rank([finder.passages[i].text for i in evidence], exclude=set(evidence), limit=k)
        index = {p.key: i for i, p in enumerate(finder.passages)}
        found += sum(1 for s in ranked if index[s.passage.key] in held)
        held_total += len(held)
        candidates = len(finder.passages) - len(evidence)
        expected += len(held) * min(1.0, k / candidates) if candidates else 0
    if not held_total:
        return None, None, 0
    return found / held_total, expected / held_total, len(by_code)


def evaluate(finder, coder) -> Evaluation:
    top3, top3_base, passages = top3_accuracy(finder, coder)
    recall, recall_base, codes = recall_at(finder, coder)
    return Evaluation(top3, top3_base, recall, recall_base, passages, codes)
