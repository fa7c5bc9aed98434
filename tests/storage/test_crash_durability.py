"""A writer killed with SIGKILL at random moments, compacting as it writes, loses nothing
whose write had returned; the file always opens; after a clean close TinyDB itself reads it."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tinydb

WRITER = Path(__file__).with_name("coding_writer.py")
COMPACT_AFTER = 40_000  # bytes of journal: a compaction every few dozen codings


def run_writer_and_kill(project, rng: random.Random) -> set[str]:
    """Start a writer, SIGKILL it at a random moment; the ids it printed (writes that returned)."""
    writer = subprocess.Popen([sys.executable, str(WRITER), str(project.root), "alex", str(COMPACT_AFTER)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if rng.random() < 0.8:  # most kills land while it writes; the others anywhere, start-up included
        writer.stdout.readline()
    time.sleep(rng.uniform(0, 0.25))
    writer.send_signal(signal.SIGKILL)
    out, err = writer.communicate()
    assert b"Traceback" not in err, err.decode()
    return {line for line in out.decode().split("\n") if len(line) == 32}


def codings_on_disk(project) -> set[str]:
    with project.open_coder("alex", readonly=True) as coder:
        return {c.id for c in coder.codings()}


def kill_rounds(study, rounds: int) -> set[str]:
    rng = random.Random(20240301)
    acknowledged: set[str] = set()
    for round_number in range(rounds):
        acknowledged |= run_writer_and_kill(study, rng)
        missing = acknowledged - codings_on_disk(study)
        assert not missing, f"round {round_number}: {len(missing)} acknowledged codings lost"
    return acknowledged


def test_sigkill_at_random_moments_loses_no_returned_write(study):
    acknowledged = kill_rounds(study, 20)
    assert len(acknowledged) > 100  # the writers got real work done, compactions included
    check_clean_close_leaves_plain_tinydb(study, acknowledged)


@pytest.mark.slow
def test_sigkill_two_hundred_times(study):
    acknowledged = kill_rounds(study, 200)
    check_clean_close_leaves_plain_tinydb(study, acknowledged)


def check_clean_close_leaves_plain_tinydb(study, acknowledged: set[str]) -> None:
    path = study.coder_path("alex")
    with study.open_coder("alex") as coder:  # the killed writer's lock is taken over
        coder.add_code("after the crashes")
    assert not Path(f"{path}.journal").exists()
    db = tinydb.TinyDB(path, access_mode="r")  # TinyDB's default JSONStorage
    try:
        stored = {doc["id"] for name in db.tables() if name.startswith("codings:") for doc in db.table(name).all()}
        assert {doc["name"] for doc in db.table("codes").all()} == {"barriers", "after the crashes"}
    finally:
        db.close()
    assert acknowledged <= stored
