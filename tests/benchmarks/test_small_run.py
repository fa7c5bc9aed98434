"""`python -m benchmarks --small --json` runs and prints every measure whose feature exists,
each with a value, a unit and a target (its times are never judged: CI machines vary)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def benchmarks(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def ready_measures() -> set[str]:
    listing = json.loads(benchmarks("--list", "--json").stdout)
    return {name for name, item in listing.items() if item["ready"]}


def test_small_run_prints_every_available_measure():
    figures = json.loads(benchmarks("--small", "--json").stdout)  # exactly one JSON object on stdout
    expected = ready_measures()
    assert {"coding_write_p95_ms", "coder_file_load_ms", "tinydb_default_write_p95_ms"} <= expected
    assert set(figures) == expected
    for name, figure in figures.items():
        assert set(figure) == {"value", "unit", "target"}, name
        assert isinstance(figure["value"], (int, float)) and figure["value"] >= 0, name
        assert figure["unit"] in {"ms", "s", "MB", "ratio"}, name
        assert isinstance(figure["target"], (int, float)), name


def test_the_table_names_measures_not_landed_yet():
    done = benchmarks("--small", "--only", "coder_file_load_ms", "--only", "search_p95_ms")
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.strip()}
    assert lines["coder_file_load_ms"].split()[-1] in {"yes", "no"}
    assert ("not yet" in lines["search_p95_ms"]) != ("search_p95_ms" in ready_measures())
