"""Measure the quote search engine alone, on a synthetic study of 150,000 sentences.

    python -m benchmarks.search_engine                 (from the repository root)
    python benchmarks/search_engine.py --passages 20000 --queries 40

Builds a seeded corpus of interview-like sentences (5-40 words drawn from a few thousand
words with Zipf-like frequencies, commas, curly apostrophes, accented names, filler
phrases), takes 3-6 word phrases from random sentences and puts 1-2 typos in each, then
prints: build time, save and load times, the index size on disk, a whole `python` process
that loads the index and answers one query, p50/p95 query time, and recall@10 against
scoring every sentence (`SearchIndex.scan`), unfiltered and with a filter.

recall@10 of a query = (hits of `query` scoring at least the 10th best score of `scan`) / 10:
the passages tied at the 10th place are interchangeable, so a hit among them counts.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.interview_text import InterviewWriter
from benchmarks.registry import percentile
from workbench.search import SearchIndex

FILLERS = ("you know", "I don't know", "at the end of the day", "kind of", "sort of", "to be honest",
           "I mean", "a lot of", "I think", "in terms of", "you know what I mean", "it's like")
NAMES = ("José", "Zoë", "Müller", "Renée", "Björn", "Siobhán", "Chloé", "Noël", "Ana", "Dan")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def corpus(count: int, seed: int = 20240501, vocabulary: int = 4000) -> list[str]:
    writer = InterviewWriter(seed, vocabulary)
    rng, words, weights = writer.rng, writer.words, writer.cum_weights
    sentences = []
    for _ in range(count):
        sequence = rng.choices(words, cum_weights=weights, k=min(40, max(5, int(rng.triangular(5, 41, 11)))))
        if rng.random() < 0.35:
            sequence.insert(rng.randrange(len(sequence)), rng.choice(FILLERS))
        if rng.random() < 0.03:
            sequence.insert(rng.randrange(len(sequence)), rng.choice(NAMES))
        for i in range(1, len(sequence) - 1):
            if rng.random() < 0.06:
                sequence[i] += ","
        sentence = " ".join(sequence)
        if rng.random() < 0.25:  # transcribed in a word processor
            sentence = sentence.replace("'", "\u2019")
        sentences.append(sentence[:1].upper() + sentence[1:] + rng.choice((".", ".", ".", "?", "...", "!")))
    return sentences


def typo(rng: random.Random, phrase: str) -> str:
    """`phrase` with one letter dropped, added, replaced, or swapped with its neighbour."""
    while True:
        chars = list(phrase)
        at = rng.choice([i for i, char in enumerate(chars) if char.isalpha()])
        kind = rng.randrange(4)
        if kind == 0:
            del chars[at]
        elif kind == 1:
            chars.insert(at, rng.choice(LETTERS))
        elif kind == 2:
            chars[at] = rng.choice(LETTERS.replace(chars[at].lower(), ""))
        else:
            other = at + 1 if at + 1 < len(chars) else at - 1
            chars[at], chars[other] = chars[other], chars[at]
        changed = "".join(chars)
        if changed != phrase:
            return changed


def queries(sentences: list[str], count: int, seed: int = 7) -> list[tuple[int, str]]:
    """(the sentence it came from, a 3-6 word phrase of it with 1-2 typos)."""
    rng = random.Random(seed)
    found = []
    while len(found) < count:
        key = rng.randrange(len(sentences))
        sequence = sentences[key].split()
        size = rng.randint(3, 6)
        if len(sequence) < size:
            continue
        start = rng.randrange(len(sequence) - size + 1)
        phrase = " ".join(sequence[start:start + size]).strip(",.?!")
        for _ in range(rng.randint(1, 2)):
            phrase = typo(rng, phrase)
        found.append((key, phrase))
    return found


def recall_at_10(hits, reference) -> float:
    if not reference:
        return 1.0
    tenth = reference[min(10, len(reference)) - 1].score
    return min(1.0, sum(1 for hit in hits if hit.score >= tenth) / min(10, len(reference)))


def whole_process(path: Path, fingerprint: str, query: str) -> float:
    """Seconds for a fresh interpreter to import the engine, load the index and answer once."""
    code = ("from workbench.search import SearchIndex\n"
            f"index = SearchIndex.load({str(path)!r}, {fingerprint!r})\n"
            f"print(len(index.query({query!r})))\n")
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=150_000)
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--shortlist", type=int, default=None, help="passages scored per query (default: the engine's)")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    sentences = corpus(args.passages)
    asked = queries(sentences, args.queries)
    megabytes = sum(len(sentence.encode()) for sentence in sentences) / 1e6
    print(f"corpus: {len(sentences):,} sentences, {megabytes:.1f} MB of text, "
          f"made in {time.perf_counter() - began:.1f} s; {len(asked)} queries with typos")

    began = time.perf_counter()
    index = SearchIndex.build(sentences, fingerprint="benchmark")
    print(f"build: {time.perf_counter() - began:.2f} s")

    folder = Path(tempfile.mkdtemp(prefix="search-engine-"))
    try:
        path = folder / "search.idx"
        began = time.perf_counter()
        index.save(path)
        print(f"save: {(time.perf_counter() - began) * 1000:.0f} ms, "
              f"{path.stat().st_size / 1e6:.1f} MB on disk (mode {path.stat().st_mode & 0o777:o})")
        loads = []
        for _ in range(5):
            began = time.perf_counter()
            loaded = SearchIndex.load(path, "benchmark")
            loads.append((time.perf_counter() - began) * 1000)
        print(f"load: {statistics.median(loads):.1f} ms (median of 5)")
        process_s = min(whole_process(path, "benchmark", asked[0][1]) for _ in range(3))
        print(f"python process: import, load, one query: {process_s:.2f} s (best of 3)")

        if args.shortlist:
            loaded.shortlist = args.shortlist
        timings, cpu, results = [], [], []
        for _, text in asked:
            began, began_cpu = time.perf_counter(), time.process_time()
            results.append(loaded.query(text, 10))
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        print(f"query: p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
              f"max {max(timings):.1f} ms (shortlist {loaded.shortlist:,}, first run of each query); "
              f"CPU time p50 {percentile(cpu, 50):.1f} ms, p95 {percentile(cpu, 95):.1f} ms")

        rng = random.Random(11)
        subset = loaded.subset(set(rng.sample(range(len(sentences)), len(sentences) // 3)))
        filtered_timings, filtered = [], []
        for _, text in asked:
            began = time.perf_counter()
            filtered.append(loaded.query(text, 10, allowed=subset))
            filtered_timings.append((time.perf_counter() - began) * 1000)
        print(f"query within a third of the sentences: p50 {percentile(filtered_timings, 50):.1f} ms, "
              f"p95 {percentile(filtered_timings, 95):.1f} ms")

        began = time.perf_counter()
        recalls, filtered_recalls, found, found_by_scan = [], [], 0, 0
        for (key, text), hits, hits_within in zip(asked, results, filtered):
            reference = loaded.scan(text, 10)
            recalls.append(recall_at_10(hits, reference))
            filtered_recalls.append(recall_at_10(hits_within, loaded.scan(text, 10, allowed=subset)))
            found += any(hit.key == key for hit in hits)
            found_by_scan += any(hit.key == key for hit in reference)
        print(f"recall@10 against scoring every sentence: {statistics.mean(recalls):.4f} "
              f"(worst query {min(recalls):.1f}); within the filter: {statistics.mean(filtered_recalls):.4f}; "
              f"{time.perf_counter() - began:.0f} s to score exhaustively")
        print(f"the query's own sentence in the top 10: {found}/{len(asked)} "
              f"(scoring every sentence: {found_by_scan}/{len(asked)})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
