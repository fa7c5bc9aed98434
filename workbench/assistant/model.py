"""Suggested codes: a model per coder, trained on that coder's codings only.

Each passage a coding covers is an example of that coding's code (a passage may carry several
codes); passages the coder has read but left uncoded (in transcripts they have coded) are
examples of no code (at most MAX_UNCODED of them, every k-th in transcript order). One
linear classifier per code, code against not-code, is trained on the TF-IDF features:
scikit-learn's ComplementNB (Rennie et al. 2003, "Tackling the poor assumptions of naive
Bayes text classifiers"), a linear model in log space fitted in one pass over the data, with
no random state at all. By the benchmark's cross-validation it put the right code in the top
three for 0.48 of qc's demo passages and 0.42 of the demo's (a logistic regression fitted by
SGD with 30 epochs: 0.51 and 0.42), and trains a 50,000-coding coder in seconds rather than
minutes. A passage of MIN_WORDS words or more is proposed a code when its calibrated score
(`CodeModel`: the share of the coder's own passages of the code rated no higher) reaches
THRESHOLD, among its three best codes, and it is closer to the code's passages than
CLOSER_THAN of the passages the coder read and left uncoded; the reason
given is the coder's own codings of that code whose passages are most like it. The same
coding gives the same model, whose fingerprint is recorded with each suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.assistant.passages import CoverageIndex

THRESHOLD = 0.4  # proposed when rated as high as 40% of the coder's own passages of the code
CLOSER_THAN = 0.9  # ... and closer to the code's passages than 90% of the passages left uncoded
MAX_CODES_PER_PASSAGE = 3
BECAUSE = 3  # codings given as the reason
CLASSIFIER = {"model": "ComplementNB", "alpha": 0.3}
MAX_UNCODED = 20_000
MIN_WORDS = 4  # "It is." is no passage to code


@dataclass(frozen=True)
class Suggestion:
    transcript: str
    start: int
    end: int
    code: str  # path
    score: float
    because: list[str]  # coding ids
    text: str

    def as_dict(self) -> dict:
        return {"transcript": self.transcript, "start": self.start, "end": self.end, "code": self.code,
                "score": round(self.score, 6), "because": self.because}


def make_classifier():
    from sklearn.naive_bayes import ComplementNB

    return ComplementNB(alpha=CLASSIFIER["alpha"])


class CodeModel:
    """One code's classifier and what its score means: the score of a passage is the share of
    the coder's own passages of that code that the classifier rates no higher (an empirical
    calibration, so 0.5 reads "as typical as the coder's median coding of it", whatever the
    classifier's raw probabilities crowd around)."""

    def __init__(self, matrix, y, uncoded=None):
        import numpy as np

        self.classifier = make_classifier().fit(matrix, y)
        own = matrix[np.flatnonzero(y)]
        self.positives = np.sort(self.classifier.predict_proba(own)[:, 1])
        # A passage sharing few words with the code's passages is rated by the priors, which can
        # beat the coder's own passages: it must also be closer to their centroid than
        # CLOSER_THAN of the passages the coder read and left uncoded (`uncoded`, rows of matrix).
        centroid = np.asarray(own.mean(axis=0)).ravel()
        self.centroid = centroid / (np.linalg.norm(centroid) or 1.0)
        others = matrix[uncoded] if uncoded is not None and len(uncoded) else matrix[np.flatnonzero(~y)]
        self.closeness = float(np.quantile(others @ self.centroid, CLOSER_THAN)) if others.shape[0] else 0.0

    def close_enough(self, matrix):
        return (matrix @ self.centroid) >= self.closeness

    def raw(self, matrix):
        """The classifier's probabilities: what ranks one passage's codes against each other."""
        return self.classifier.predict_proba(matrix)[:, 1]

    def calibrated(self, raw):
        """Each raw probability as the share of the coder's own passages of the code rated no higher."""
        import numpy as np

        return np.searchsorted(self.positives, raw, side="right") / len(self.positives)


class CoderModel:
    """The classifiers of one coder, on the passages of a `SimilarFinder` (shared vectors)."""

    def __init__(self, finder, coder):
        from workbench.assistant.features import fingerprint

        self.finder, self.coder = finder, coder
        book = coder.codebook
        coverage: CoverageIndex = finder.coverage
        labels: dict[int, set[str]] = {}
        self.examples: dict[str, list[tuple[int, str]]] = {}  # code id -> (passage, coding id)
        coded_transcripts = set()
        for coding in coder.codings():
            if coding.code not in book or not book[coding.code].codable:
                continue
            coded_transcripts.add(coding.transcript)
            for i in coverage.covered(coding.transcript, coding.start, coding.end):
                labels.setdefault(i, set()).add(coding.code)
                self.examples.setdefault(coding.code, []).append((i, coding.id))
        self.codes = sorted(self.examples, key=lambda c: book.path(c))
        self.labels = labels
        uncoded = [i for i, p in enumerate(finder.passages) if p.transcript in coded_transcripts and i not in labels]
        step = max(1, -(-len(uncoded) // MAX_UNCODED))
        self.read = sorted([*labels, *uncoded[::step]])
        self.fingerprint = fingerprint(CLASSIFIER, sorted(
            (finder.passages[i].key, book.path(code)) for i, codes in labels.items() for code in codes))
        self.classifiers = {}
        self._train()

    def _train(self) -> None:
        import numpy as np

        if not self.read or len(self.codes) == 0:
            return
        matrix = self.finder.vectors.matrix[self.read]
        uncoded = np.array([k for k, i in enumerate(self.read) if i not in self.labels], dtype=int)
        for code in self.codes:
            y = np.array([code in self.labels.get(i, ()) for i in self.read], dtype=bool)
            if y.all() or not y.any():
                continue
            self.classifiers[code] = CodeModel(matrix, y, uncoded)

    def suggest(self, transcripts: set[str] | None = None, limit: int | None = None,
                skip: set[tuple] = frozenset()) -> list[Suggestion]:
        """Codes for the passages the coder has not coded (in `transcripts`, or all), best first.
        `skip` holds (transcript, start, end, code path) proposals never to make again."""
        book = self.coder.codebook
        todo = [i for i, p in enumerate(self.finder.passages)
                if i not in self.labels and (transcripts is None or p.transcript in transcripts)
                and len(p.text.split()) >= MIN_WORDS]
        if not todo or not self.classifiers:
            return []
        matrix = self.finder.vectors.matrix[todo]
        raw = {code: model.raw(matrix) for code, model in self.classifiers.items()}
        typical = {code: self.classifiers[code].calibrated(r) * self.classifiers[code].close_enough(matrix)
                   for code, r in raw.items()}
        chosen: dict[str, list[tuple[int, float]]] = {}  # code -> (row in todo, score)
        for row, i in enumerate(todo):
            # the passage's codes in the classifiers' order; proposed, those as typical as THRESHOLD
            ranked = sorted(((float(raw[code][row]), code) for code in raw), key=lambda x: (-x[0], book.path(x[1])))
            passage = self.finder.passages[i]
            for _, code in ranked[:MAX_CODES_PER_PASSAGE]:
                score = float(typical[code][row])
                if score >= THRESHOLD and (*passage.key, book.path(code)) not in skip:
                    chosen.setdefault(code, []).append((row, score))
        found = []
        for code, rows in chosen.items():  # the reasons, one product per code for all its passages
            path = book.path(code)
            reasons = self.because([todo[row] for row, _ in rows], code)
            for (row, score), because in zip(rows, reasons):
                passage = self.finder.passages[todo[row]]
                found.append(Suggestion(passage.transcript, passage.start, passage.end, path, score, because,
                                        passage.text))
        found.sort(key=lambda s: (-round(s.score, 9), s.transcript, s.start, s.code))
        return found[:limit] if limit else found

    def because(self, passages: list[int], code: str) -> list[list[str]]:
        """For each passage, the coder's codings of `code` whose passages are most like it."""
        import numpy as np

        examples = self.examples.get(code, [])
        if not examples:
            return [[] for _ in passages]
        matrix = self.finder.vectors.matrix
        similarity = (matrix[[i for i, _ in examples]] @ matrix[passages].T).toarray()  # examples x passages
        reasons = []
        for column in range(len(passages)):
            order = np.lexsort((np.arange(len(examples)), -similarity[:, column]))
            chosen: list[str] = []
            for k in order:
                coding_id = examples[k][1]
                if coding_id not in chosen:
                    chosen.append(coding_id)
                if len(chosen) == BECAUSE:
                    break
            reasons.append(chosen)
        return reasons
