"""Passages as vectors: TF-IDF over lower-cased words, their Snowball stems and word pairs
(scikit-learn's TfidfVectorizer, sublinear term frequency, L2-normalised rows), so that
"supervisor", "supervisors" and "supervising" meet. Deterministic: the same texts give the
same vectors. scikit-learn and the stemmer are imported here only, when the assistant runs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

FEATURE_VERSION = 1
WORD = re.compile(r"\w+(?:['’]\w+)?")
STOP = frozenset("""a an and are as at be but by for from had has have he her his i if in is it its me my of on or
our so than that the their them then there they this to uh um was we were what when which who will with
would yeah you your just like""".split())
PARAMETERS = {"sublinear_tf": True, "min_df": 1, "norm": "l2", "ngrams": "words, stems, word pairs"}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def analyse(text: str) -> list[str]:
    """The features of one text: its words, the `~stem` of each (so inflections meet), and word pairs."""
    words = [w for w in WORD.findall(unicodedata.normalize("NFKC", text).casefold()) if w not in STOP]
    features = list(words)
    features += ["~" + s for s in map(stem, words)]
    features += [f"{a} {b}" for a, b in zip(words, words[1:])]
    return features


def vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    import numpy as np

    return TfidfVectorizer(analyzer=analyse, sublinear_tf=True, min_df=1, norm="l2", dtype=np.float32)


def fingerprint(*parts) -> str:
    """A hash of what a result depends on, recorded so a suggestion can be reproduced."""
    digest = hashlib.sha256(repr((FEATURE_VERSION, PARAMETERS, parts)).encode("utf-8"))
    return digest.hexdigest()


class PassageVectors:
    """The TF-IDF matrix of a list of passages, and the fitted vectorizer for new texts."""

    def __init__(self, passages):
        self.passages = passages
        self.vectorizer = vectorizer()
        self.matrix = self.vectorizer.fit_transform([p.text for p in passages]) if passages else None

    def transform(self, texts: list[str]):
        return self.vectorizer.transform(texts)
