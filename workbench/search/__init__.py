"""Quote search: typo-tolerant, phrase-aware lookup of passages, with the matched span.

    from workbench.search import SearchIndex
    index = SearchIndex.build(sentences, fingerprint)      # or SearchIndex.load(path, fingerprint)
    for hit in index.query("cabnet key", limit=10, allowed=keys_of_wave_2):
        print(hit.key, hit.score, index.text(hit.key)[hit.start:hit.end])

Nothing here knows about projects: passages are numbered 0..n-1 and the caller maps those
numbers to transcripts, sentences, participants and codes.
"""

from workbench.search.folding import fold
from workbench.search.index import DEFAULT_SHORTLIST, Hit, SearchIndex, Subset
from workbench.search.indexfile import SearchIndexError

__all__ = ["DEFAULT_SHORTLIST", "Hit", "SearchIndex", "SearchIndexError", "Subset", "fold"]
