"""Coder-file storage: one durable coding, opening a file, and TinyDB's default storage beside ours.

The timed call is `CoderFile.add_coding`, which returns once its journal record is
fsync'd, so a sample is the whole cost of one key press reaching the disk. Files are
copied into the scratch folder first, so the cached project is never changed. Beside the
writes, in the same run and folder: their floor (a small append and fsync) and their peer
(QualCoder's INSERT and commit into a SQLite file of the study's size), and the ratios of
the p95s the targets are set in.
"""

from __future__ import annotations

import gc
import os
import random
import shutil
import statistics
import time
from pathlib import Path

from tinydb import TinyDB

from benchmarks.large_project import CODERS, candidate_spans
from benchmarks.registry import Context, Figure, measure, shared_figure
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


WRITES = 400  # timed codings per run (after 5 not timed)


def timed_codings(ctx: Context, coder: CoderFile, seed: int) -> tuple[list[float], list[int]]:
    """(ms per `add_coding`, journal bytes each appended) of WRITES new codings. The storage
    folds its journal in the background as usual (every COMPACT_AFTER_BYTES), so the
    timings include the codings made while a fold runs."""
    journal = Path(f"{coder.path}.journal")
    codes = [c.id for c in coder.codes() if c.kind == "code"]
    warmup, repeats = 5, ctx.repeats(WRITES, 25)
    timings, sizes = [], []
    for i, (transcript, start, end, code, text) in enumerate(new_codings(ctx, codes, warmup + repeats, seed=seed)):
        before = journal.stat().st_size if journal.exists() else 0
        began = time.perf_counter()
        coder.add_coding(transcript, start, end, code, text)
        elapsed = (time.perf_counter() - began) * 1000
        after = journal.stat().st_size if journal.exists() else 0
        if i >= warmup:
            timings.append(elapsed)
            sizes.append(after - before if after >= before else after)  # a fold began: a fresh journal
    return timings, sizes


def coding_writes(ctx: Context) -> tuple[list[float], list[int]]:
    if "coding_writes" not in ctx.shared:
        path = coder_copy(ctx, CODERS[0], "write")
        with CoderFile.open(path, CODERS[0]) as coder:
            ctx.shared["coding_writes"] = timed_codings(ctx, coder, seed=1)
    return ctx.shared["coding_writes"]


@measure("coding_write_p95_ms")
def coding_write_p95_ms(ctx: Context) -> Figure:
    figure = Figure.of(coding_writes(ctx)[0], pick="p95")
    ctx.shared["coding_write_p95_ms"] = figure.value
    return figure


@measure("coding_write_max_ms", unit="ms", target=50)
def coding_write_max_ms(ctx: Context) -> Figure:
    """The slowest of the same writes: no coding waits for a fold."""
    timings = coding_writes(ctx)[0]
    return Figure(value=max(timings), median=statistics.median(timings), p95=max(timings), samples=len(timings))


@measure("journal_bytes_per_coding", unit="B", target=4096)
def journal_bytes_per_coding(ctx: Context) -> Figure:
    """What one coding appends to the journal (the coding and its history entry), median."""
    return Figure.of([float(size) for size in coding_writes(ctx)[1]])


@measure("fsync_floor_p95_ms", unit="ms", target=0, at_most=False)  # a floor: no target of its own
def fsync_floor_p95_ms(ctx: Context) -> Figure:
    """The floor: a small append (a record's size) and fsync, to a file in the same folder, as often."""
    return shared_figure(ctx, "fsync_floor", lambda: Figure.of(fsync_appends(ctx), pick="p95"))


def fsync_appends(ctx: Context) -> list[float]:
    record = b"x" * 700 + b"\n"
    fd = os.open(ctx.scratch / "fsync-floor", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    timings = []
    try:
        for _ in range(ctx.repeats(WRITES, 25)):
            began = time.perf_counter()
            os.write(fd, record)
            os.fsync(fd)
            timings.append((time.perf_counter() - began) * 1000)
    finally:
        os.close(fd)
    return timings


# QualCoder's own table of codings, as its 3.x/4.x projects create it.
QUALCODER_CODE_TEXT = ("CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer, seltext text, "
                       "pos0 integer, pos1 integer, owner text, date text, memo text, avid integer, "
                       "important integer, unique(cid, fid, pos0, pos1, owner))")


@measure("sqlite_write_p95_ms", unit="ms", target=0, at_most=False)  # the peer: no target of its own
def sqlite_write_p95_ms(ctx: Context) -> Figure:
    """The peer: QualCoder's statement for one coding (INSERT and commit, synchronous=FULL)
    into a SQLite file holding as many codings as the study, in the same folder."""
    return shared_figure(ctx, "sqlite_write", lambda: Figure.of(sqlite_inserts(ctx), pick="p95"))


def sqlite_inserts(ctx: Context) -> list[float]:
    import sqlite3

    project = Project(ctx.project)
    fids = {info.id: n for n, info in enumerate(project.transcripts(), 1)}
    db = sqlite3.connect(ctx.scratch / "qualcoder.qda", isolation_level=None)
    try:
        db.execute("PRAGMA synchronous=FULL")
        db.execute(QUALCODER_CODE_TEXT)
        rows = []
        for coder in CODERS:
            with CoderFile.open(ctx.project / "coders" / f"{coder}.json", coder, readonly=True) as file:
                cids = {code.id: n for n, code in enumerate(file.codes(), 1)}
                rows += [(cids[c.code], fids[c.transcript], c.text, c.start, c.end, coder, c.created, "", None, 0)
                         for c in file.codings()]
        db.execute("BEGIN")
        db.executemany("INSERT OR IGNORE INTO code_text (cid, fid, seltext, pos0, pos1, owner, date, memo, avid, "
                       "important) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("COMMIT")
        timings = []
        for n, (transcript, start, end, _, text) in enumerate(new_codings(ctx, ["c"], ctx.repeats(WRITES, 25), seed=1)):
            began = time.perf_counter()
            db.execute("INSERT INTO code_text (cid, fid, seltext, pos0, pos1, owner, date, memo, avid, important) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (1000 + n, fids[transcript], text, start, end, "bench", "2024-03-01 10:00:00", "", None, 0))
            db.commit()  # isolation_level=None: the INSERT committed on its own; this is QualCoder's call
            timings.append((time.perf_counter() - began) * 1000)
    finally:
        db.close()
    return timings


@measure("coding_write_vs_fsync_ratio", unit="ratio", target=3.0)
def coding_write_vs_fsync_ratio(ctx: Context) -> Figure:
    """coding_write_p95_ms / fsync_floor_p95_ms (same run; target: at most 3)."""
    return Figure.single(coding_write_p95_ms(ctx).value / fsync_floor_p95_ms(ctx).value)


@measure("coding_write_vs_sqlite_ratio", unit="ratio", target=1.0)
def coding_write_vs_sqlite_ratio(ctx: Context) -> Figure:
    """coding_write_p95_ms / sqlite_write_p95_ms (same run; target: at most 1)."""
    return Figure.single(coding_write_p95_ms(ctx).value / sqlite_write_p95_ms(ctx).value)


@measure("coding_write_after_theme_delete_p95_ms", unit="ms", target=15)
def coding_write_after_theme_delete_p95_ms(ctx: Context) -> Figure:
    """Codings made after deleting the theme whose codings number closest to 1,700 (one
    history entry holding all of them): a large change must not make later writes pay."""
    path = coder_copy(ctx, CODERS[0], "theme-delete")
    with CoderFile.open(path, CODERS[0]) as coder:
        themes = [c for c in coder.codes() if c.parent is None]
        counts = {t.id: len(coder.codings(codes=coder.codebook.subtree_ids(t.id))) for t in themes}
        coder.delete_code(min(themes, key=lambda t: abs(counts[t.id] - 1700)).id)
        timings, _ = timed_codings(ctx, coder, seed=3)
    return Figure.of(timings, pick="p95")


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
