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


WRITES = 400  # timed codings per run (after 5 not timed)
ROUNDS = 4  # the writes, their floor and their peer take turns, so a busy machine weighs on all three alike


def timed_codings(coder: CoderFile, picks: list, journal: Path) -> tuple[list[float], list[int]]:
    """(ms per `add_coding`, journal bytes each appended) of these new codings. The storage
    folds its journal in the background as usual (every COMPACT_AFTER_BYTES), so the
    timings include the codings made while a fold runs."""
    timings, sizes = [], []
    for transcript, start, end, code, text in picks:
        before = journal.stat().st_size if journal.exists() else 0
        began = time.perf_counter()
        coder.add_coding(transcript, start, end, code, text)
        timings.append((time.perf_counter() - began) * 1000)
        after = journal.stat().st_size if journal.exists() else 0
        sizes.append(after - before if after >= before else after)  # a fold began: a fresh journal
    return timings, sizes


def coding_session(ctx: Context, name: str, seed: int, before=None, beside=None) -> dict[str, list]:
    """WRITES codings into a copy of a coder file (after `before(coder)` and 5 untimed ones),
    in ROUNDS; after each round, `beside(count)` takes as many samples of a floor or peer
    (once the round's fold, if any, has finished: the floor never pays for our fold)."""
    path = coder_copy(ctx, CODERS[0], name)
    found: dict[str, list] = {"timings": [], "sizes": [], "beside": []}
    with CoderFile.open(path, CODERS[0]) as coder:
        if before is not None:
            before(coder)
        journal = Path(f"{coder.path}.journal")
        codes = [c.id for c in coder.codes() if c.kind == "code"]
        repeats = ctx.repeats(WRITES, 24)
        picks = new_codings(ctx, codes, 5 + repeats, seed=seed)
        timed_codings(coder, picks[:5], journal)
        rounds = ctx.repeats(ROUNDS, 2)
        for r in range(rounds):
            part = picks[5 + r * repeats // rounds:5 + (r + 1) * repeats // rounds]
            timings, sizes = timed_codings(coder, part, journal)
            found["timings"] += timings
            found["sizes"] += sizes
            if beside is not None:
                coder.storage.wait_for_fold()
                found["beside"] += beside(len(part))
    return found


def coding_writes(ctx: Context) -> dict[str, list]:
    """The writes, with the fsync floor and QualCoder's SQLite insert taking turns with them."""
    if "coding_writes" not in ctx.shared:
        peer = SqlitePeer(ctx)
        floor_fd = os.open(ctx.scratch / "fsync-floor", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            session = coding_session(ctx, "write", seed=1, beside=lambda count: [
                sample for _ in range(count) for sample in [("floor", fsync_append(floor_fd)), ("peer", peer.insert())]])
        finally:
            os.close(floor_fd)
            peer.close()
        session["floor"] = [ms for kind, ms in session["beside"] if kind == "floor"]
        session["peer"] = [ms for kind, ms in session["beside"] if kind == "peer"]
        ctx.shared["coding_writes"] = session
    return ctx.shared["coding_writes"]


@measure("coding_write_p95_ms")
def coding_write_p95_ms(ctx: Context) -> Figure:
    figure = Figure.of(coding_writes(ctx)["timings"], pick="p95")
    ctx.shared["coding_write_p95_ms"] = figure.value
    return figure


@measure("coding_write_max_ms", unit="ms", target=50)
def coding_write_max_ms(ctx: Context) -> Figure:
    """The slowest of the same writes: no coding waits for a fold."""
    timings = coding_writes(ctx)["timings"]
    return Figure(value=max(timings), median=statistics.median(timings), p95=max(timings), samples=len(timings))


@measure("journal_bytes_per_coding", unit="B", target=4096)
def journal_bytes_per_coding(ctx: Context) -> Figure:
    """What one coding appends to the journal (the coding and its history entry), median."""
    return Figure.of([float(size) for size in coding_writes(ctx)["sizes"]])


@measure("fsync_floor_p95_ms", unit="ms", target=0, at_most=False)  # a floor: no target of its own
def fsync_floor_p95_ms(ctx: Context) -> Figure:
    """The floor: a small append (a record's size) and fsync, to a file in the same folder,
    as often as the writes and taking turns with them."""
    return Figure.of(coding_writes(ctx)["floor"], pick="p95")


def fsync_append(fd: int) -> float:
    began = time.perf_counter()
    os.write(fd, b"x" * 1100 + b"\n")
    os.fsync(fd)
    return (time.perf_counter() - began) * 1000


# QualCoder's own table of codings, as its 3.x/4.x projects create it.
QUALCODER_CODE_TEXT = ("CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer, seltext text, "
                       "pos0 integer, pos1 integer, owner text, date text, memo text, avid integer, "
                       "important integer, unique(cid, fid, pos0, pos1, owner))")


@measure("sqlite_write_p95_ms", unit="ms", target=0, at_most=False)  # the peer: no target of its own
def sqlite_write_p95_ms(ctx: Context) -> Figure:
    """The peer: QualCoder's statement for one coding (INSERT and commit, synchronous=FULL)
    into a SQLite file holding as many codings as the study, in the same folder, taking
    turns with the writes."""
    return Figure.of(coding_writes(ctx)["peer"], pick="p95")


class SqlitePeer:
    """A SQLite file with QualCoder's `code_text` table holding every coding of the study."""

    def __init__(self, ctx: Context):
        import sqlite3

        project = Project(ctx.project)
        self.fids = {info.id: n for n, info in enumerate(project.transcripts(), 1)}
        self.db = sqlite3.connect(ctx.scratch / "qualcoder.qda", isolation_level=None)
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(QUALCODER_CODE_TEXT)
        rows = []
        for coder in CODERS:
            with CoderFile.open(ctx.project / "coders" / f"{coder}.json", coder, readonly=True) as file:
                cids = {code.id: n for n, code in enumerate(file.codes(), 1)}
                rows += [(cids[c.code], self.fids[c.transcript], c.text, c.start, c.end, coder, c.created, "", None, 0)
                         for c in file.codings()]
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR IGNORE INTO code_text (cid, fid, seltext, pos0, pos1, owner, date, memo, "
                            "avid, important) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self.db.execute("COMMIT")
        self.picks = iter(new_codings(ctx, ["c"], ctx.repeats(WRITES, 24), seed=1))
        self.count = 0

    def insert(self) -> float:
        transcript, start, end, _, text = next(self.picks)
        self.count += 1
        began = time.perf_counter()
        self.db.execute("INSERT INTO code_text (cid, fid, seltext, pos0, pos1, owner, date, memo, avid, important) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (1000 + self.count, self.fids[transcript], text, start, end, "bench", "2024-03-01 10:00:00",
                         "", None, 0))
        self.db.commit()  # isolation_level=None: the INSERT committed on its own; this is QualCoder's call
        return (time.perf_counter() - began) * 1000

    def close(self) -> None:
        self.db.close()


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
    def delete_theme(coder: CoderFile) -> None:
        themes = [c for c in coder.codes() if c.parent is None]
        counts = {t.id: len(coder.codings(codes=coder.codebook.subtree_ids(t.id))) for t in themes}
        coder.delete_code(min(themes, key=lambda t: abs(counts[t.id] - 1700)).id)

    return Figure.of(coding_session(ctx, "theme-delete", seed=3, before=delete_theme)["timings"], pick="p95")


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
