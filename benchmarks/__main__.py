"""`python -m benchmarks`: build (or reuse) the large study and print every performance figure.

    python -m benchmarks              the design's large project; a table
    python -m benchmarks --json       one JSON object {measure: {"value", "unit", "target"}}
    python -m benchmarks --small      a small project, for CI: checks that everything runs (never judge its times)
    python -m benchmarks --rebuild    build the project afresh instead of reusing benchmarks/out/
    python -m benchmarks --only coding_write_p95_ms --only coder_file_load_ms
    python -m benchmarks --list       the measures, their targets, and which have landed (builds nothing)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.large_project import LARGE, OUT, SMALL, ensure_project
from benchmarks.registry import DESIGN_TARGETS, MEASURES, Context, Figure, Measure, Target, load_measure_modules, planned


@dataclass
class Outcome:
    name: str
    measure: Measure | None
    figure: Figure | None = None
    note: str = ""

    @property
    def target(self) -> Target:
        return self.measure.target if self.measure else DESIGN_TARGETS[self.name]

    @property
    def met(self) -> bool | None:
        if self.figure is None:
            return None
        target = self.target
        return self.figure.value <= target.target if target.at_most else self.figure.value >= target.target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="small project, for CI correctness only")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--rebuild", action="store_true", help="build the project afresh")
    parser.add_argument("--only", action="append", metavar="MEASURE", help="run only this measure (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the measures without running them")
    args = parser.parse_args(argv)

    load_measure_modules()
    if args.list:
        print_list(args.json)
        return 0
    params = SMALL if args.small else LARGE
    began = time.perf_counter()
    project = ensure_project(params, rebuild=args.rebuild)
    say(f"project {project} ready in {time.perf_counter() - began:.1f} s")
    scratch = Path(tempfile.mkdtemp(prefix=f"scratch-{params.key}-", dir=OUT))  # one per run: runs may overlap
    ctx = Context(project=project, small=args.small, scratch=scratch)
    try:
        with stdout_to_stderr():  # whatever a measure or its subprocesses print, stdout stays ours
            outcomes = [run_one(name, ctx) for name in planned() if not args.only or name in args.only]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        print(json.dumps({o.name: {"value": round(o.figure.value, 3), "unit": o.target.unit,
                                   "target": o.target.target} for o in outcomes if o.figure}))
    else:
        print_table(outcomes, small=args.small)
    return 1 if any(o.note.startswith("failed") for o in outcomes) else 0


def run_one(name: str, ctx: Context) -> Outcome:
    measure = MEASURES.get(name)
    if measure is None or not measure.available():
        say(f"{name}: not yet")
        return Outcome(name, measure, note="not yet")
    say(f"{name} ...")
    began = time.perf_counter()
    try:
        figure = measure.run(ctx)
    except Exception as err:  # one broken measure must not hide the others
        say(f"{name}: failed: {type(err).__name__}: {err}")
        return Outcome(name, measure, note=f"failed: {type(err).__name__}: {err}")
    say(f"{name}: {figure.value:.3f} ({time.perf_counter() - began:.1f} s)")
    return Outcome(name, measure, figure)


def print_table(outcomes: list[Outcome], small: bool) -> None:
    rows = [("measure", "median", "p95", "target", "met")]
    for o in outcomes:
        t = o.target
        target = f"{'≤' if t.at_most else '≥'} {t.target:g} {t.unit}"
        if o.figure is None:
            rows.append((o.name, o.note if len(o.note) <= 60 else o.note[:57] + "...", "", target, ""))
        else:
            rows.append((o.name, f"{o.figure.median:.4g} {t.unit}", f"{o.figure.p95:.4g} {t.unit}", target,
                         "yes" if o.met else "no"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * width for width in widths))
    if small:
        print("\n(--small: a correctness run; these times say nothing about the large study)")


def print_list(as_json: bool) -> None:
    listing = {}
    for name in planned():
        measure = MEASURES.get(name)
        target = measure.target if measure else DESIGN_TARGETS[name]
        listing[name] = {"unit": target.unit, "target": target.target,
                         "ready": bool(measure and measure.available()), "what": target.what}
    if as_json:
        print(json.dumps(listing))
        return
    for name, item in listing.items():
        target = f"{item['target']:g} {item['unit']}"
        print(f"{name:30} {'ready' if item['ready'] else 'not yet':8} {target:10} {item['what']}")


@contextmanager
def stdout_to_stderr():
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
