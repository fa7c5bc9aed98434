"""The measures of the design's performance table, and how a module adds one.

A measure is one function in a `*_measures.py` module of this package, decorated with
`@measure`; it receives a `Context` (the built project, whether the run is small) and
returns a `Figure` (its samples). The design's names, units and targets are listed once
in `DESIGN_TARGETS`; a measure whose feature has not landed yet (its `requires` module
is missing, or no function is registered under a design name) is reported as "not yet".

    @measure("search_p95_ms", requires="workbench.search")
    def search_p95_ms(ctx: Context) -> Figure:
        return Figure.of(timings_ms, pick="p95")
"""

from __future__ import annotations

import importlib.util
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Target:
    unit: str  # "ms" | "s" | "MB" | "ratio"
    target: float
    at_most: bool = True  # False: the figure should reach at least the target
    what: str = ""


# The figures of DESIGN.md, "Fast at real size", under the names everyone reads the same way.
DESIGN_TARGETS: dict[str, Target] = {
    "coding_write_p95_ms": Target("ms", 15, what="one coding, call to durable on disk, at 50,000 codings (p95)"),
    "coder_file_load_ms": Target("ms", 300, what="open a 50,000-coding coder file"),
    "tinydb_default_write_p95_ms": Target("ms", 100, at_most=False,
                                          what="the same insert with TinyDB's default JSONStorage (p95; design: over 100 ms)"),
    "tinydb_default_write_ratio": Target("ratio", round(100 / 15, 1), at_most=False,
                                         what="TinyDB default p95 / ours p95 (design: over 100 ms against 15 ms)"),
    "tui_launch_s": Target("s", 1.0, what="TUI launch to first frame, large project"),
    "tui_peak_rss_mb": Target("MB", 400, what="peak memory of the TUI on the large project"),
    "search_p95_ms": Target("ms", 50, what="quote search as you type, over all sentences (p95 per query)"),
    "search_recall_at_10": Target("ratio", 0.98, at_most=False, what="quote search: recall@10 against scoring every sentence (issue 5)"),
    "search_cli_s": Target("s", 0.5, what="`workbench search` from the shell, whole process"),
    "stats_s": Target("s", 0.5, what="`workbench stats`, whole process"),
    "agreement_s": Target("s", 2.0, what="`workbench agreement`, all codes, characters and sentences"),
    "export_qdpx_s": Target("s", 2.0, what="`workbench export qdpx`, whole process"),
}


@dataclass
class Context:
    project: Path
    small: bool
    scratch: Path  # a folder the measures may write in; emptied before the run
    shared: dict = field(default_factory=dict)  # figures a later measure reuses (e.g. a ratio)

    def repeats(self, full: int, small: int) -> int:
        return small if self.small else full


@dataclass
class Figure:
    value: float
    median: float
    p95: float
    samples: int

    @classmethod
    def of(cls, samples: list[float], pick: str = "median") -> "Figure":
        median, p95 = statistics.median(samples), percentile(samples, 95)
        return cls(value={"median": median, "p95": p95}[pick], median=median, p95=p95, samples=len(samples))

    @classmethod
    def single(cls, value: float) -> "Figure":
        return cls(value=value, median=value, p95=value, samples=1)


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a measured process: as an installed Workbench runs, its bytecode
    cached (a PYTHONDONTWRITEBYTECODE in the benchmark's own environment would make every
    process compile each module from source, which no user's installed copy does)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (the smallest sample with at least q% of samples at or below it)."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


@dataclass
class Measure:
    name: str
    target: Target
    run: Callable[[Context], Figure]
    requires: tuple[str, ...] = ()

    def available(self) -> bool:
        return all(module_exists(name) for name in self.requires)


MEASURES: dict[str, Measure] = {}


def measure(name: str, unit: str | None = None, target: float | None = None,
            at_most: bool = True, requires: str | tuple[str, ...] = ()):
    """Register a measure; unit and target default to the design's for a design name."""
    design = DESIGN_TARGETS.get(name)
    if design is None and (unit is None or target is None):
        raise ValueError(f"{name}: not a design figure, so give unit= and target=")
    spec = Target(unit or design.unit, design.target if target is None else target,
                  design.at_most if design and target is None else at_most, design.what if design else "")

    def register(func: Callable[[Context], Figure]) -> Callable[[Context], Figure]:
        if name in MEASURES:
            raise ValueError(f"measure {name!r} is registered twice ({MEASURES[name].run.__module__} and {func.__module__})")
        MEASURES[name] = Measure(name, spec, func, (requires,) if isinstance(requires, str) else tuple(requires))
        return func

    return register


def module_exists(dotted: str) -> bool:
    try:
        return importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:
        return False


def load_measure_modules() -> None:
    """Import every `*_measures.py` of this package, so their measures register."""
    for path in sorted(Path(__file__).parent.glob("*_measures.py")):
        importlib.import_module(f"benchmarks.{path.stem}")


def planned() -> list[str]:
    """Every name to report: the design's, then any others registered."""
    return list(DESIGN_TARGETS) + [name for name in MEASURES if name not in DESIGN_TARGETS]
