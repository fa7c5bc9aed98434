"""`workbench export qdpx` and `workbench import FILE.qdpx` over the large study, each a whole
process as a researcher runs it. `export_qdpx_s` is the design's figure; the import target
is ours (the design sets none): a fresh project receiving 200 transcripts and 100,000
codings, most of it spent storing the codings, in well under a minute."""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks.analysis_measures import run_workbench
from benchmarks.registry import Context, Figure, measure, process_env


@measure("export_qdpx_s", requires="workbench.exchange.qde_writer")
def export_qdpx_s(ctx: Context) -> Figure:
    out = ctx.scratch / "study.qdpx"
    run_workbench(ctx, "export", "qdpx", str(out))  # warm the page cache, as any earlier use has
    return Figure.of([run_workbench(ctx, "export", "qdpx", str(out)) for _ in range(ctx.repeats(3, 1))])


@measure("import_qdpx_s", unit="s", target=20.0, requires="workbench.exchange.importer")
def import_qdpx_s(ctx: Context) -> Figure:
    exported = ctx.scratch / "for-import.qdpx"
    run_workbench(ctx, "export", "qdpx", str(exported))
    samples = []
    for i in range(ctx.repeats(2, 1)):
        fresh = ctx.scratch / f"imported-{i}"
        workbench = [sys.executable, "-c", "from workbench.cli.main import main; main()"]
        subprocess.run([*workbench, "init", str(fresh)], check=True, stderr=subprocess.DEVNULL, env=process_env())
        started = time.perf_counter()
        subprocess.run([*workbench, "-p", str(fresh), "--coder", "importer", "import", str(exported)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=process_env())
        samples.append(time.perf_counter() - started)
    return Figure.of(samples)
