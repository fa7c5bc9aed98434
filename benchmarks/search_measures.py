"""Quote search over every sentence of the large study: time per query, and recall@10.

Queries are 3-6 word phrases of random sentences with one or two typos, made as the search
engine's own benchmark makes them (`benchmarks.search_engine`); recall@10 compares each
query's hits with scoring every sentence (`SearchIndex.scan`), as that benchmark does.
"""

from __future__ import annotations

import statistics
import sys
import time

from benchmarks.analysis_measures import run_process, run_workbench
from benchmarks.registry import Context, Figure, measure, percentile
from benchmarks.large_project import CODERS
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
    """Through the project's search (workbench.search.project_search): sentences and
    codings, participant turns (the default filter), codes of the hits, duplicates merged."""
    from workbench.search.project_search import ProjectSearch

    _, sentences = study_index(ctx)
    finder = ProjectSearch.open(Project(ctx.project), coder=CODERS[0])
    timings = []
    for _, phrase in queries(sentences, ctx.repeats(200, 20), seed=11):
        began = time.perf_counter()
        finder.search(phrase, limit=10)
        timings.append((time.perf_counter() - began) * 1000)
    return Figure.of(timings, pick="p95")


CLI_QUERY = "the cabinet key was kept from me"


@measure("search_cli_s", requires="workbench.search.project_search")
def search_cli_s(ctx: Context) -> Figure:
    """The whole `workbench search` process; the first run leaves the index cached."""
    return Figure.of(search_processes(ctx)["workbench"])


@measure("search_exhaustive_cli_s", unit="s", target=0, at_most=False)  # a floor: no target of its own
def search_exhaustive_cli_s(ctx: Context) -> Figure:
    """The floor: a fresh process scoring every sentence with rapidfuzz (benchmarks.exhaustive_search),
    taking turns with `workbench search`."""
    return Figure.of(search_processes(ctx)["exhaustive"])


def search_processes(ctx: Context) -> dict[str, list[float]]:
    if "search_processes" not in ctx.shared:
        exhaustive = [sys.executable, "-m", "benchmarks.exhaustive_search", str(ctx.project), CLI_QUERY]
        search = ("search", CLI_QUERY, "--format", "json")
        run_workbench(ctx, *search)
        run_process(exhaustive)
        found: dict[str, list[float]] = {"workbench": [], "exhaustive": []}
        for _ in range(ctx.repeats(5, 1)):
            found["workbench"].append(run_workbench(ctx, *search))
            found["exhaustive"].append(run_process(exhaustive))
        ctx.shared["search_processes"] = found
    return ctx.shared["search_processes"]


@measure("search_cli_vs_exhaustive_ratio", unit="ratio", target=round(1 / 3, 3),
         requires="workbench.search.project_search")
def search_cli_vs_exhaustive_ratio(ctx: Context) -> Figure:
    """search_cli_s / search_exhaustive_cli_s (medians of the same run; target: at most 1/3)."""
    return Figure.single(search_cli_s(ctx).median / search_exhaustive_cli_s(ctx).median)


@measure("search_recall_at_10", requires="workbench.search")
def search_recall_at_10(ctx: Context) -> Figure:
    index, sentences = study_index(ctx)
    recalls = [recall_at_10(index.query(phrase, limit=10), index.scan(phrase, limit=10))
               for _, phrase in queries(sentences, ctx.repeats(120, 5), seed=12)]
    return Figure(value=statistics.mean(recalls), median=statistics.median(recalls),
                  p95=percentile(recalls, 95), samples=len(recalls))
