"""Quote search over a whole project: typo'd and paraphrased queries, every filter, the
cache on disk, and hits in transcript offsets with the codes already on them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from workbench.errors import NotFound
from workbench.importing import import_transcript
from workbench.project import Project
from workbench.search import project_index
from workbench.search.project_search import Filters, ProjectSearch

CORPORA = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora"


@pytest.fixture(scope="module")
def demo(copy_demo, tmp_path_factory) -> Project:
    return copy_demo(tmp_path_factory.mktemp("demo") / "d")


@pytest.fixture(scope="module")
def finder(demo) -> ProjectSearch:
    return ProjectSearch.open(demo, "alex")


def place_of(project: Project, fragment: str) -> tuple[str, int]:
    for info in project.transcripts():
        at = project.text(info.id).find(fragment)
        if at >= 0:
            return info.id, at
    raise AssertionError(f"{fragment!r} is in no transcript")


@pytest.mark.parametrize("query, quote", [
    ("holiday suitcse", "holiday suitcase"),  # a letter dropped
    ("vistor lanyard", "visitor lanyard"),
    ("tea trolly", "tea trolley"),
    ("the key to the activity cabinet", "a key to the activity cabinet"),  # paraphrased
    ("I sayed a key to the activty cabinet", "I said a key to the activity cabinet"),
])
def test_typod_and_paraphrased_queries_find_their_quote_in_the_top_three(demo, finder, query, quote):
    transcript, at = place_of(demo, quote)
    hits = finder.search(query, limit=3)
    assert any(h.transcript == transcript and h.start < at + len(quote) and at < h.end for h in hits), hits


def test_a_hit_is_a_span_of_its_transcript_inside_its_context(demo, finder):
    for hit in finder.search("orange lanyard", limit=10):
        text = demo.text(hit.transcript)
        assert text[hit.start:hit.end] == hit.text
        assert text[hit.context_start:hit.context_start + len(hit.context)] == hit.context
        info = demo.transcript(hit.transcript)
        assert (hit.participant, hit.wave, hit.quote_id) == (info.participant, info.wave, info.quote_id)


def test_exact_phrase_ranks_first_with_score_100(demo, finder):
    [best, *_] = finder.search("holiday suitcase", limit=5)
    assert best.score == 100 and best.text.lower() == "holiday suitcase"


def test_hits_carry_the_codes_already_on_them(demo):
    with demo.open_coder("alex", readonly=True) as coder:
        coding = coder.codings()[0]
        path = coder.codebook.path(coding.code)
    finder = ProjectSearch.open(demo, "alex")
    hits = finder.search(coding.text[:60], limit=5, filters=Filters(role="any"))
    on_it = [h for h in hits if h.transcript == coding.transcript and h.start < coding.end and coding.start < h.end]
    assert on_it and path in on_it[0].codes
    every = ProjectSearch.open(demo, "alex", every_coder=True)
    labelled = every.search(coding.text[:60], limit=5, filters=Filters(role="any"))[0].codes
    assert f"alex: {path}" in labelled


def test_a_sentence_and_a_coding_on_the_same_words_give_one_hit(demo, finder):
    with demo.open_coder("alex", readonly=True) as coder:
        coding = max(coder.codings(), key=lambda c: len(c.text))
    hits = finder.search(coding.text, limit=10, filters=Filters(role="any"))
    spans = [(h.transcript, h.start, h.end) for h in hits]
    for i, (t, s, e) in enumerate(spans):
        assert not any(t == t2 and s < e2 and s2 < e for t2, s2, e2 in spans[i + 1:])


def test_participant_wave_and_attribute_filters(demo, finder):
    hits = finder.search("key", limit=20, filters=Filters(participants=frozenset({"50006"})))
    assert hits and {h.participant for h in hits} == {"50006"}
    hits = finder.search("key", limit=20, filters=Filters(waves=frozenset({2})))
    assert hits and {h.wave for h in hits} == {2}
    people = demo.participants()
    women = {p for p, a in people.items() if a.get("gender") == "female"}
    hits = finder.search("key", limit=30, filters=Filters(where=(("gender", "Female"),)))
    assert hits and {h.participant for h in hits} <= women
    both = finder.search("key", limit=30, filters=Filters(where=(("gender", "female"), ("ethnicity", "Eurasian"))))
    assert both and {h.participant for h in both} == {p for p in women if people[p]["ethnicity"] == "Eurasian"}
    assert finder.search("key", filters=Filters(where=(("gender", "nobody"),))) == []


def test_role_filter_participant_by_default_interviewer_on_request(demo, finder):
    assert {h.role for h in finder.search("you", limit=30)} == {"participant"}
    asked = finder.search("you", limit=30, filters=Filters(role="interviewer"))
    assert asked and {h.role for h in asked} == {"interviewer"}
    assert {h.role for h in finder.search("you", limit=60, filters=Filters(role="any"))} == {"participant", "interviewer"}


def test_code_filter_keeps_only_text_coded_under_it_and_uncoded_only_the_rest(demo, finder):
    with demo.open_coder("alex", readonly=True) as coder:
        book = coder.codebook
        theme = next(c for c in book.walk() if book.descendants(c.id) and any(
            x.code in book.subtree_ids(c.id) for x in coder.codings()))
        coded = [(x.transcript, x.start, x.end) for x in coder.codings(codes=book.subtree_ids(theme.id))]
        every = [(x.transcript, x.start, x.end) for x in coder.codings()]
    hits = finder.search("key", limit=20, filters=Filters(code=book.path(theme.id), role="any"))
    assert hits
    for h in hits:
        assert any(t == h.transcript and s < h.end and h.start < e for t, s, e in coded)
        assert any(c.startswith(book.path(theme.id)) for c in h.codes)
    bare = finder.search("key", limit=20, filters=Filters(uncoded=True, role="any"))
    assert bare
    for h in bare:
        assert not any(t == h.transcript and s < h.end and h.start < e for t, s, e in every)
        assert h.codes == []
    with pytest.raises(NotFound):
        finder.search("key", filters=Filters(code="no such code"))


def test_the_cache_is_private_reused_and_rebuilt_when_a_transcript_is_replaced(copy_demo, tmp_path, monkeypatch):
    project = copy_demo(tmp_path / "d")
    ProjectSearch.open(project, "alex")
    folder = project_index.cache_folder(project)
    for name in ("sentences.index", "sentences.map", "codings.index", "codings.map"):
        assert stat.S_IMODE(os.stat(folder / name).st_mode) == 0o600
    built = []
    original = project_index._build_sentences
    monkeypatch.setattr(project_index, "_build_sentences", lambda *a: built.append(1) or original(*a))
    again = ProjectSearch.open(Project(project.root), "alex")  # a second start
    assert built == [] and again.search("holiday suitcase")[0].score == 100

    transcript, _ = place_of(project, "holiday suitcase")
    info = project.transcript(transcript)
    replaced = project.text(transcript).replace("holiday suitcase", "weekend rucksack")
    source = tmp_path / f"{transcript}.txt"
    source.write_text(replaced, encoding="utf-8")
    info.sha256 = "0" * 64  # what a replaced transcript changes in the manifest
    project.put_transcript(info, replaced)
    fresh = ProjectSearch.open(Project(project.root), "alex")
    assert built == [1]
    [hit] = fresh.search("weekend rucksack", limit=1)
    assert hit.transcript == transcript and hit.text == "weekend rucksack"


def test_a_new_coding_rebuilds_the_coding_layer(copy_demo, tmp_path):
    project = copy_demo(tmp_path / "d")
    ProjectSearch.open(project, "alex")
    transcript, at = place_of(project, "holiday suitcase")
    with project.open_coder("alex") as coder:
        code = coder.add_code("luggage")
        coder.add_coding(transcript, at, at + len("holiday suitcase"), code.id, "holiday suitcase")
    [hit] = ProjectSearch.open(Project(project.root), "alex").search("holiday suitcase", limit=1)
    assert hit.codes == ["luggage"]


def test_a_damaged_cache_is_rebuilt(copy_demo, tmp_path):
    project = copy_demo(tmp_path / "d")
    ProjectSearch.open(project, "alex")
    (project_index.cache_folder(project) / "sentences.map").write_bytes(b"WBPASMAP\xff\xff\x00\x00junk")
    assert ProjectSearch.open(Project(project.root), "alex").search("tea trolley")[0].score == 100


@pytest.mark.skipif(not CORPORA.is_dir(), reason="no shared corpora")
def test_typod_phrases_of_real_transcripts_are_found(tmp_path):
    sources = sorted(p for p in CORPORA.rglob("*") if p.suffix in (".txt", ".md") and p.stat().st_size > 2000)[:4]
    if not sources:
        pytest.skip("no plain-text transcripts in the shared corpora")
    project = Project.init(tmp_path / "p", title="corpora")
    for number, source in enumerate(sources):
        copy = tmp_path / f"{60001 + number}.txt"
        copy.write_bytes(source.read_bytes())
        import_transcript(project, copy)
    finder = ProjectSearch.open(project, "alex")
    found = tried = 0
    for info in project.transcripts():
        text, seg = project.text(info.id), project.segments(info.id)
        long = [s for s in seg.sentences if len(text[s.start:s.end].split()) >= 10][:5]
        for sentence in long:
            words = text[sentence.start:sentence.end].split()[2:8]
            phrase = " ".join(words)
            typo = phrase[:5] + phrase[6:]  # one letter dropped
            hits = finder.search(typo, limit=10, filters=Filters(role="any"))
            tried += 1
            found += any(h.transcript == info.id and h.start < sentence.end and sentence.start < h.end for h in hits)
    assert tried and found / tried >= 0.9


def test_taking_the_coder_lock_keeps_the_coding_cache(copy_demo, tmp_path):
    from workbench.search.project_index import codings_fingerprint

    project = copy_demo(tmp_path / "d")
    before = codings_fingerprint(project)
    with project.open_coder("alex"):  # a session starts: its lock file appears beside the coder file
        assert codings_fingerprint(project) == before
