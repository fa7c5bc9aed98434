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
from benchmarks.registry import Context, Figure, measure

UNITS = ("character", "sentence")


def run_agreement(ctx: Context, unit: str) -> float:
    command = [sys.executable, "-c", "from workbench.cli.main import main; main()", "-p", str(ctx.project),
               "agreement", CODERS[0], CODERS[1], "--unit", unit, "--format", "json"]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


@measure("agreement_s", requires="workbench.analysis.agreement")
def agreement_s(ctx: Context) -> Figure:
    run_agreement(ctx, "sentence")  # warms the segmentation cache, as any earlier use of the project has
    samples = {unit: [run_agreement(ctx, unit) for _ in range(ctx.repeats(3, 1))] for unit in UNITS}
    slower = max(UNITS, key=lambda unit: statistics.median(samples[unit]))
    return Figure.of(samples[slower])
