"""`workbench agreement` over the whole large study: every code, on characters and on sentences.

Each sample is a whole process (start-up, opening both coder files, the comparison and the
JSON output), as a researcher runs it; the figure is the slower unit's median, since the
design's 2 s holds for each.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from benchmarks.large_project import CODERS
from benchmarks.registry import Context, Figure, measure, process_env

UNITS = ("character", "sentence")


def run_agreement(ctx: Context, unit: str) -> float:
    command = [sys.executable, "-c", "from workbench.cli.main import main; main()", "-p", str(ctx.project),
               "agreement", CODERS[0], CODERS[1], "--unit", unit, "--format", "json"]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=process_env())
    return time.perf_counter() - started


@measure("agreement_s", requires="workbench.analysis.agreement")
def agreement_s(ctx: Context) -> Figure:
    run_agreement(ctx, "sentence")  # warms the segmentation cache, as any earlier use of the project has
    samples = {unit: [run_agreement(ctx, unit) for _ in range(ctx.repeats(3, 1))] for unit in UNITS}
    slower = max(UNITS, key=lambda unit: statistics.median(samples[unit]))
    return Figure.of(samples[slower])


THIRD_CODER = "kim"


def three_coder_project(ctx: Context):
    """A copy of the study with a third coder, who agrees with the first as the second does
    and has not reached the last tenth of the transcripts (missing there, for alpha)."""
    import random
    import shutil

    from benchmarks.large_project import LARGE, SMALL, candidate_spans, make_codings, write_coder_file
    from workbench.project import Project

    folder = ctx.scratch / "three-coders"
    if (folder / "coders" / f"{THIRD_CODER}.json").exists():
        return folder
    shutil.copytree(ctx.project, folder, ignore=shutil.ignore_patterns("search", "*.lock"))
    project = Project(folder)
    params = SMALL if ctx.small else LARGE
    with project.open_coder(CODERS[0], readonly=True) as first:
        codes, codings = first.codes(), first.codings()
    reached = {t.id for t in project.transcripts()[: int(len(project.transcripts()) * 0.9)]}
    spans = [s for s in candidate_spans(project) if s[0] in reached]
    third = [c for c in make_codings(params, random.Random(3), codes, spans, project, codings) if c.transcript in reached]
    write_coder_file(project.coder_path(THIRD_CODER), THIRD_CODER, codes, third)
    return folder


@measure("agreement_three_coders_s", unit="s", target=3.0, requires="workbench.analysis.multi_coder")
def agreement_three_coders_s(ctx: Context) -> Figure:
    """`workbench agreement A B C` on sentences: alpha with a missing coder, Fleiss, pairwise kappas (issue 16)."""
    folder = three_coder_project(ctx)
    command = [sys.executable, "-c", "from workbench.cli.main import main; main()", "-p", str(folder),
               "agreement", *CODERS, THIRD_CODER, "--unit", "sentence", "--format", "json"]

    def once() -> float:
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=process_env())
        return time.perf_counter() - started

    once()
    return Figure.of([once() for _ in range(ctx.repeats(3, 1))])
