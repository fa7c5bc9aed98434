"""Folding the journal into the file runs in the background: codings made while a fold is
held up all return (none waits for it), none is lost, and readers see every one of them
before, during and after the fold."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import tinydb

from workbench.storage import journal as journal_module


def test_a_fold_running_while_codings_are_made_loses_none_and_blocks_none(study, add_codings, monkeypatch):
    started, release = threading.Event(), threading.Event()
    real_write = journal_module.write_with_index

    def held_fold(path, data, **options):
        if threading.current_thread() is not threading.main_thread():
            started.set()
            release.wait(60)
        real_write(path, data, **options)

    monkeypatch.setattr(journal_module, "write_with_index", held_fold)
    coder = study.open_coder("alex")
    coder.storage.compact_after = 3000
    made = add_codings(coder, 5)  # past 3,000 bytes of journal: a fold starts
    assert started.wait(60)
    made += add_codings(coder, 60)  # each returns while the fold is held
    assert coder.storage.folding  # so none of them waited for it
    with study.open_coder("alex", readonly=True) as reader:
        assert {c.id for c in reader.codings()} == set(made)
    release.set()
    coder.storage.wait_for_fold()
    assert not Path(f"{coder.path}.journal.folding").exists()  # the folded journal is gone
    os.close(coder.storage._journal_fd)  # killed: only the file and the live journal remain
    coder.lock.release()
    coder.db = None
    with study.open_coder("alex") as again:
        assert {c.id for c in again.codings()} == set(made)
        assert again.undo() is not None and again.redo() is not None
    db = tinydb.TinyDB(study.coder_path("alex"), access_mode="r")
    try:
        assert {doc["id"] for doc in db.table("codings:50001").all()} == set(made)
    finally:
        db.close()



def test_a_fold_that_fails_loses_nothing_and_a_later_one_folds_everything(study, add_codings, monkeypatch):
    real_write = journal_module.write_with_index
    calls = []

    def failing_once(path, data, **options):
        calls.append(path)
        if len(calls) == 1:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_write(path, data, **options)

    monkeypatch.setattr(journal_module, "write_with_index", failing_once)
    path = study.coder_path("alex")
    with study.open_coder("alex") as coder:
        coder.storage.compact_after = 3000
        made = add_codings(coder, 5)
        coder.storage.wait_for_fold()
        assert isinstance(coder.storage.fold_error, OSError)
        assert Path(f"{path}.journal.folding").exists()  # what the failed fold was folding is still there
        made += add_codings(coder, 10)
        with study.open_coder("alex", readonly=True) as reader:
            assert {c.id for c in reader.codings()} == set(made)
    assert not Path(f"{path}.journal.folding").exists() and not Path(f"{path}.journal").exists()
    with study.open_coder("alex", readonly=True) as again:
        assert {c.id for c in again.codings()} == set(made)
