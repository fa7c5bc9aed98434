"""`workbench stats`, `workbench matrix` and `workbench report` over the large study.

Each sample is a whole process (start-up, opening the coder file, the computation and the
output), as a researcher runs it. A first run warms the segmentation and answer caches, as
any earlier use of the project has. `stats_s` is the design's figure; the matrix and report
targets are ours (the design sets none): the matrix as fast as stats, the report within the
2 s the design allows the other whole-study commands.
"""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks.large_project import CODERS
from benchmarks.registry import Context, Figure, measure, process_env


def run_workbench(ctx: Context, *args: str) -> float:
    return run_process([sys.executable, "-c", "from workbench.cli.main import main; main()", "-p", str(ctx.project),
                        "--coder", CODERS[0], *args])


def run_process(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=process_env())
    return time.perf_counter() - started


def timed(ctx: Context, *args: str) -> Figure:
    run_workbench(ctx, *args)
    return Figure.of([run_workbench(ctx, *args) for _ in range(ctx.repeats(5, 1))])


@measure("stats_s", requires="workbench.analysis.salience")
def stats_s(ctx: Context) -> Figure:
    return timed(ctx, "stats", "--format", "json")


# Whole-process figures of one command each: (name, target in s, the command's arguments, what).
COMMANDS = (
    ("matrix_s", 0.5, ("matrix", "--format", "json"), "the matrix as JSON"),
    ("matrix_table_code_s", 0.5, ("matrix", "--level", "code"),
     "the shaded table at code level (issue 19: 5.45 s against 1.07 s for JSON)"),
    ("matrix_table_s", 0.5, ("matrix", "--level", "theme"), "the shaded table at theme level, the default"),
    ("cooccurrence_s", 2.0, ("cooccurrence", "--format", "json"), "every pair of codes, on sentences (issue 16)"),
    ("saturation_s", 0.5, ("saturation", "--format", "json"), "new codes per transcript (issue 16)"),
    ("audit_s", 1.0, ("audit", "--format", "json"), "every coder's history by phase (issue 16)"),
)

for _name, _target, _args, _what in COMMANDS:
    measure(_name, unit="s", target=_target, requires="workbench.analysis")(lambda ctx, args=_args: timed(ctx, *args))


@measure("report_html_s", unit="s", target=2.0, requires="workbench.report")
def report_html_s(ctx: Context) -> Figure:
    return timed(ctx, "report", "--format", "html", "-o", str(ctx.scratch / "report.html"))


@measure("report_docx_s", unit="s", target=2.0, requires="workbench.report")
def report_docx_s(ctx: Context) -> Figure:
    return timed(ctx, "report", "--format", "docx", "-o", str(ctx.scratch / "report.docx"))
