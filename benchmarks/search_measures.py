"""Quote search over every sentence of the large study: time per query, and recall@10.

Queries are 3-6 word phrases of random sentences with one or two typos, made as the search
engine's own benchmark makes them (`benchmarks.search_engine`); recall@10 compares each
query's hits with scoring every sentence (`SearchIndex.scan`), as that benchmark does.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.registry import Context, Figure, measure, percentile
from benchmarks.search_engine import queries, recall_at_10
from workbench.project import Project


def study_index(ctx: Context):
    """The search index of every sentence of the study, built once per run."""
    if "search_index" not in ctx.shared:
        from workbench.search import SearchIndex

        project = Project(ctx.project)
        sentences = []
        for info in project.transcripts():
            text = project.text(info.id)
            sentences += [text[s.start:s.end] for s in project.segments(info.id).sentences]
        ctx.shared["search_sentences"] = sentences
        ctx.shared["search_index"] = SearchIndex.build(sentences, fingerprint="benchmark")
    return ctx.shared["search_index"], ctx.shared["search_sentences"]


@measure("search_p95_ms", requires="workbench.search")
def search_p95_ms(ctx: Context) -> Figure:
    index, sentences = study_index(ctx)
    timings = []
    for _, phrase in queries(sentences, ctx.repeats(200, 20), seed=11):
        began = time.perf_counter()
        index.query(phrase, limit=10)
        timings.append((time.perf_counter() - began) * 1000)
    return Figure.of(timings, pick="p95")


@measure("search_recall_at_10", requires="workbench.search")
def search_recall_at_10(ctx: Context) -> Figure:
    index, sentences = study_index(ctx)
    recalls = [recall_at_10(index.query(phrase, limit=10), index.scan(phrase, limit=10))
               for _, phrase in queries(sentences, ctx.repeats(40, 5), seed=12)]
    return Figure(value=statistics.mean(recalls), median=statistics.median(recalls),
                  p95=percentile(recalls, 95), samples=len(recalls))
