"""Coder-file storage: one durable coding, opening a file, and TinyDB's default storage beside ours.

The timed call is `CoderFile.add_coding`, which returns once its journal record is
fsync'd, so a sample is the whole cost of one key press reaching the disk. Files are
copied into the scratch folder first, so the cached project is never changed.
"""

from __future__ import annotations

import gc
import os
import random
import shutil
import time
from pathlib import Path

from tinydb import TinyDB

from benchmarks.large_project import CODERS, candidate_spans
from benchmarks.registry import Context, Figure, measure
from workbench.coderfile import CoderFile
from workbench.model import Coding, new_id
from workbench.project import Project
from workbench.storage.table_index import index_path


def new_codings(ctx: Context, codes: list[str], count: int, seed: int) -> list[tuple[str, int, int, str, str]]:
    """`count` (transcript, start, end, code, text) a coder might add next."""
    project = Project(ctx.project)
    spans = ctx.shared.get("spans") or ctx.shared.setdefault("spans", candidate_spans(project))
    rng = random.Random(seed)
    picks = []
    for transcript, start, end in rng.sample(spans, count):
        picks.append((transcript, start, end, rng.choice(codes), project.text(transcript)[start:end]))
    return picks


def coder_copy(ctx: Context, coder: str, name: str, with_index: bool = True) -> Path:
    """A copy of a coder file as a clean close leaves it (with its table index, unless told not to)."""
    source, target = ctx.project / "coders" / f"{coder}.json", ctx.scratch / f"{name}.json"
    shutil.copyfile(source, target)
    if with_index and index_path(source).exists():
        shutil.copyfile(index_path(source), index_path(target))
        os.utime(target, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns))  # the index records the mtime
    return target


@measure("coding_write_p95_ms")
def coding_write_p95_ms(ctx: Context) -> Figure:
    path = coder_copy(ctx, CODERS[0], "write")
    timings = []
    with CoderFile.open(path, CODERS[0]) as coder:
        codes = [c.id for c in coder.codes() if c.kind == "code"]
        warmup, repeats = 5, ctx.repeats(400, 25)
        for i, (transcript, start, end, code, text) in enumerate(new_codings(ctx, codes, warmup + repeats, seed=1)):
            began = time.perf_counter()
            coder.add_coding(transcript, start, end, code, text)
            if i >= warmup:
                timings.append((time.perf_counter() - began) * 1000)
    figure = Figure.of(timings, pick="p95")
    ctx.shared["coding_write_p95_ms"] = figure.value
    return figure


@measure("coder_file_load_ms")
def coder_file_load_ms(ctx: Context) -> Figure:
    """Open after a clean close (a plain JSON file, no journal), read-only, file in the page cache."""
    path = ctx.project / "coders" / f"{CODERS[1]}.json"
    timings = []
    for _ in range(ctx.repeats(15, 3)):
        began = time.perf_counter()
        coder = CoderFile.open(path, CODERS[1], readonly=True)
        timings.append((time.perf_counter() - began) * 1000)
        coder.close()
        del coder  # freeing the previous file's records must not count against the next load
        gc.collect()
    return Figure.of(timings, pick="median")


@measure("tinydb_default_write_p95_ms")
def tinydb_default_write_p95_ms(ctx: Context) -> Figure:
    """One insert of a coding into the same file through TinyDB's default JSONStorage.

    Only the coding is inserted (no history entry, which would cost a second rewrite),
    so this is the least a design on the default storage pays per coding."""
    path = coder_copy(ctx, CODERS[0], "tinydb-default", with_index=False)
    with CoderFile.open(path, CODERS[0], readonly=True) as coder:
        codes = [c.id for c in coder.codes() if c.kind == "code"]
    timings = []
    db = TinyDB(path)  # the default storage: JSONStorage
    try:
        for transcript, start, end, code, text in new_codings(ctx, codes, ctx.repeats(10, 2), seed=2):
            record = Coding(id=new_id(), code=code, transcript=transcript, start=start, end=end, text=text)
            began = time.perf_counter()
            db.table(f"codings:{transcript}").insert(record.to_dict())
            timings.append((time.perf_counter() - began) * 1000)
    finally:
        db.close()
    figure = Figure.of(timings, pick="p95")
    ctx.shared["tinydb_default_write_p95_ms"] = figure.value
    return figure


@measure("tinydb_default_write_ratio")
def tinydb_default_write_ratio(ctx: Context) -> Figure:
    ours, theirs = ctx.shared.get("coding_write_p95_ms"), ctx.shared.get("tinydb_default_write_p95_ms")
    if ours is None or theirs is None:
        raise RuntimeError("needs coding_write_p95_ms and tinydb_default_write_p95_ms in the same run")
    return Figure.single(theirs / ours)
