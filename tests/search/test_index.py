"""Tests for workbench.search: typo-tolerant phrase search, spans, ranking, filters, the cache file."""

from __future__ import annotations

import os
import random
import stat

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workbench.errors import DamagedFile
from workbench.search import SearchIndex, SearchIndexError, Subset, fold
from workbench.search.folding import query_grams, words

CABINET = "Honestly, she would not give me the cabinet key, so I sat there and waited for an hour."
PASSAGES = [
    "We talked about recovery and what it means to have hope.",
    CABINET,
    "The key thing for me was being listened to.",
    "I keep my files in a cabinet in the office.",
    "Café Noël was where we met, every Tuesday 😀 after group.",
    "He said \u201cI don\u2019t know\u201d and walked off.",
    "I didn't know what to say to the nurse.",
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(PASSAGES, fingerprint="v1")


def matched(index: SearchIndex, hit) -> str:
    return index.text(hit.key)[hit.start:hit.end]


def filler(count: int, seed: int = 5) -> list[str]:
    """Interview-like sentences that never mention cabinets or keys."""
    rng = random.Random(seed)
    vocabulary = ("i you we they the a and to of was it that so just like really people staff ward "
                  "meeting felt think know time work support nurse manager group week said told "
                  "lived experience help talk shift team day home family money care plan").split()
    return [" ".join(rng.choices(vocabulary, k=rng.randint(5, 25))).capitalize() + "." for _ in range(count)]


# Finding -------------------------------------------------------------------------------


def test_a_query_with_typos_finds_its_passage_and_the_phrase(index):
    hits = index.query("cabnet key")
    assert hits[0].key == PASSAGES.index(CABINET)
    assert matched(index, hits[0]) == "cabinet key"
    assert 80 <= hits[0].score < 100


@pytest.mark.parametrize("query, phrase", [
    ("cabinet key", "cabinet key"),
    ("wouldnt give me", "would not give me"),
    ("sat ther and waitd", "sat there and waited"),
    ("GIVE ME THE CABINET", "give me the cabinet"),
])
def test_the_span_is_the_matched_phrase(index, query, phrase):
    hit = index.query(query)[0]
    assert hit.key == PASSAGES.index(CABINET)
    assert matched(index, hit) == phrase


def test_an_exact_phrase_ranks_above_a_fuzzy_one():
    passages = ["then the cabnet kee went missing", "the cabinet key was gone", "a cabinet and a key"]
    index = SearchIndex.build(passages)
    hits = index.query("cabinet key")
    assert [hit.key for hit in hits[:2]] == [1, 0]
    assert hits[0].score == 100 and hits[1].score < 100
    assert matched(index, hits[0]) == "cabinet key"


def test_among_exact_matches_whole_words_then_shorter_passages_come_first():
    passages = ["the keyboard was broken", "a long sentence that ends with the key", "the key", "key"]
    index = SearchIndex.build(passages)
    hits = index.query("key")
    assert [hit.key for hit in hits] == [3, 2, 1, 0]
    assert all(hit.score == 100 for hit in hits)
    assert [matched(index, hit) for hit in hits] == ["key"] * 4


def test_a_passage_shorter_than_the_query_is_not_an_exact_match():
    index = SearchIndex.build(["key", "she gave me the cabinet key"])
    hits = index.query("the cabinet key")
    assert hits[0].key == 1 and hits[0].score == 100
    assert hits[1].key == 0 and hits[1].score < 100 and (hits[1].start, hits[1].end) == (0, 3)


def test_nothing_to_look_for(index):
    assert index.query("   ") == [] and index.query("key", limit=0) == []
    assert index.query("key", allowed=[]) == []
    assert all(hit.score >= 50 for hit in index.query("cabinet", min_score=50))
    assert SearchIndex.build([]).query("key") == []


def test_large_index_finds_the_phrase_through_the_shortlist():
    passages = filler(3000)
    passages[1234] = CABINET
    index = SearchIndex.build(passages)
    index.shortlist = 200  # well under the 3000 passages: the shortlist path, not a full scan
    hit = index.query("cabnet kye")[0]
    assert hit.key == 1234 and matched(index, hit) == "cabinet key"


def test_an_exact_match_is_found_even_when_the_shortlist_cannot_hold_it():
    # 3000 near-copies compete for a 100-passage shortlist; only one holds the query verbatim.
    passages = [f"the cab inet key {n}" for n in range(3000)] + ["the cabinet key"]
    index = SearchIndex.build(passages)
    index.shortlist = 50
    hit = index.query("cabinet key")[0]
    assert (hit.key, hit.score) == (3000, 100)
    hit = index.query("binet ke")[0]  # cut out of the middle of words
    assert (hit.key, hit.score) == (3000, 100)


def test_a_verbatim_match_no_indexed_gram_points_to_is_found_by_a_plain_search():
    # "b c" has no trigram or pair gram "ab cd" is indexed under: only reading the text finds it.
    passages = ["bb dd"] * 300 + ["ab cd", "xq", "r y"]
    index = SearchIndex.build(passages)
    index.shortlist = 1
    hits = index.query("B C", limit=1)
    assert [(hit.key, hit.score, hit.start, hit.end) for hit in hits] == [(300, 100, 1, 4)]
    # "qr" only occurs across the end of one passage and the start of the next: no match.
    assert not [hit for hit in index.query("qr", limit=3) if hit.score == 100]


def test_recall_of_the_shortlist_against_scoring_everything():
    passages = filler(4000, seed=9)
    rng = random.Random(3)
    index = SearchIndex.build(passages)
    index.shortlist = 600
    recalls = []
    for _ in range(30):
        sequence = passages[rng.randrange(len(passages))].rstrip(".").split()
        start = rng.randrange(max(1, len(sequence) - 4))
        phrase = list(" ".join(sequence[start:start + 4]))
        del phrase[rng.randrange(len(phrase))]  # a typo
        query = "".join(phrase)
        reference = index.scan(query)
        tenth = reference[-1].score
        recalls.append(sum(hit.score >= tenth for hit in index.query(query)) / len(reference))
    assert sum(recalls) / len(recalls) >= 0.95


# Filters -------------------------------------------------------------------------------


def test_filters_keep_hits_within_the_allowed_passages(index):
    cabinet = PASSAGES.index(CABINET)
    others = [key for key in range(len(PASSAGES)) if key != cabinet]
    for allowed in (set(others), lambda key: key != cabinet, index.subset(others)):
        hits = index.query("cabinet key", allowed=allowed)
        assert hits and all(hit.key in others for hit in hits)
        assert hits[0].key == PASSAGES.index("I keep my files in a cabinet in the office.")


def test_a_filter_does_not_lose_the_best_allowed_passage_to_the_shortlist():
    # 2000 better matches outside the filter must not crowd out the one inside it.
    passages = ["she would not give me the cabinet key"] * 2000 + filler(2000) + ["the cabnet kee, again"]
    index = SearchIndex.build(passages)
    index.shortlist = 100
    allowed = set(range(2000, len(passages)))
    hit = index.query("cabinet key", allowed=allowed)[0]
    assert hit.key == len(passages) - 1 and matched(index, hit) == "cabnet kee"


def test_subset_is_reusable_and_belongs_to_its_index(index):
    subset = index.subset([1, 3, 99, -1])
    assert isinstance(subset, Subset) and len(subset) == 2
    assert {hit.key for hit in index.query("cabinet", allowed=subset)} == {1, 3}
    with pytest.raises(ValueError):
        SearchIndex.build(["one passage"]).query("one", allowed=subset)


# Text beyond ASCII ---------------------------------------------------------------------


@pytest.mark.parametrize("query, phrase", [
    ("cafe noel", "Café Noël"),
    ("CAFÉ NOËL", "Café Noël"),
    ("tuesday after group", "Tuesday 😀 after group"),
    ('"i don\'t know"', "\u201cI don\u2019t know\u201d"),
    ("dont know", "don\u2019t know"),
])
def test_offsets_index_the_original_text(index, query, phrase):
    hit = index.query(query)[0]
    assert matched(index, hit) == phrase


def test_fold_keeps_every_offset():
    text = "İstanbul, Ærø, ﬁne Straße — “quoted” ‘word’ e\u0301 😀\u00a0end"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.startswith("istanbul, ærø, ﬁne straße - \"quoted\" 'word'")
    assert all(fold(text[i:j]) == folded[i:j] for i in range(len(text)) for j in range(i, len(text) + 1))
    assert words(fold("Don’t — stop")) == ["dont", "stop"]


# Keeping the index ---------------------------------------------------------------------


def test_save_and_load_give_the_same_index(index, tmp_path):
    path = tmp_path / "cache" / "search.idx"
    index.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not [name for name in os.listdir(path.parent) if name != "search.idx"]  # no temporary left
    loaded = SearchIndex.load(path, "v1")
    assert loaded.fingerprint == "v1" and len(loaded) == len(PASSAGES)
    assert [loaded.text(key) for key in range(len(loaded))] == PASSAGES
    for query in ("cabnet key", "cafe noel", "dont know", "key"):
        assert loaded.query(query) == index.query(query)
    loaded.save(tmp_path / "again.idx")  # a loaded index saves too, byte for byte
    assert (tmp_path / "again.idx").read_bytes() == path.read_bytes()


def test_a_large_index_round_trips(tmp_path):
    passages = filler(3000)
    index = SearchIndex.build(passages, "big")
    index.save(tmp_path / "big.idx")
    loaded = SearchIndex.load(tmp_path / "big.idx", "big")
    index.shortlist = loaded.shortlist = 300
    for query in ("the nurse manager said", "staff meting", "lived expereince of care"):
        assert loaded.query(query) == index.query(query)


def test_load_wants_the_same_fingerprint(index, tmp_path):
    path = tmp_path / "search.idx"
    index.save(path)
    assert SearchIndex.load(path, "transcripts changed") is None
    assert SearchIndex.load(path) is not None  # no fingerprint given: whatever it was built from
    assert SearchIndex.load(tmp_path / "missing.idx", "v1") is None


def test_load_or_build_builds_once(tmp_path):
    path = tmp_path / "search.idx"
    calls = []

    def texts():
        calls.append(1)
        return PASSAGES

    first = SearchIndex.load_or_build(path, "v1", texts)
    second = SearchIndex.load_or_build(path, "v1", texts)
    third = SearchIndex.load_or_build(path, "v2", texts)
    assert len(calls) == 2 and second.query("cabnet key") == first.query("cabnet key")
    assert third.fingerprint == "v2" and SearchIndex.load(path, "v2") is not None


@pytest.mark.parametrize("damage", ["garbage", "truncated", "description", "version"])
def test_a_damaged_or_foreign_file_is_refused_clearly(index, tmp_path, damage):
    path = tmp_path / "search.idx"
    index.save(path)
    data = path.read_bytes()
    if damage == "garbage":
        data = b"not an index at all"
    elif damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "description":
        data = data[:16] + b"x" + data[17:]
    else:  # another format version: stale, so rebuilt rather than refused
        data = data[:8] + (999).to_bytes(4, "little") + data[12:]
    path.write_bytes(data)
    if damage == "version":
        assert SearchIndex.load(path, "v1") is None
        return
    with pytest.raises(SearchIndexError) as caught:
        SearchIndex.load(path, "v1")
    assert str(path) in str(caught.value) and isinstance(caught.value, DamagedFile)


def test_the_file_format_holds_no_pickle(index, tmp_path):
    path = tmp_path / "search.idx"
    index.save(path)
    data = path.read_bytes()
    assert data.startswith(b"WBSEARCH") and b"\x80\x04\x95" not in data[:64]


# Properties ----------------------------------------------------------------------------

passage_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60)
some_passages = st.lists(passage_text, min_size=1, max_size=12)


FILLER = filler(300, seed=21)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(passages=some_passages, data=st.data())
def test_an_exact_substring_is_found_at_score_100_with_valid_offsets(passages, data):
    key = data.draw(st.integers(0, len(passages) - 1))
    text = passages[key]
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    query = text[start:end]
    assume(fold(query).strip())
    index = SearchIndex.build(passages + FILLER)
    index.shortlist = data.draw(st.sampled_from([1, 10_000]))  # through the shortlist, or a full scan
    hits = index.query(query, limit=3)
    exact = [hit.key for hit in hits if hit.score == 100]
    assert key in exact or len(exact) == 3  # found, or outranked only by other exact matches
    for hit in hits:
        original = index.text(hit.key)
        assert 0 <= hit.start <= hit.end <= len(original)
        if hit.score == 100:
            assert fold(original[hit.start:hit.end]) == fold(query).strip()


@settings(max_examples=100, deadline=None)
@given(passages=some_passages, query=passage_text)
def test_any_query_gives_valid_offsets_and_agrees_with_a_full_scan(passages, query):
    index = SearchIndex.build(passages)
    hits = index.query(query, limit=5)
    assert all(0 <= hit.start <= hit.end <= len(passages[hit.key]) and 0 < hit.score <= 100 for hit in hits)
    assert hits == index.scan(query, limit=5)  # an index this small is scored in full


@settings(max_examples=300, deadline=None)
@given(text=passage_text, data=st.data())
def test_grams_a_verbatim_query_implies_are_the_passages(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    index = SearchIndex.build([text])
    _, sure = query_grams(fold(text[start:end]).strip())
    assert sure <= set(index._grams)
