"""The journalled storage on its own terms: torn and garbled journal tails, compaction while
writing, the table index (and a file changed behind its back), history read lazily."""

from __future__ import annotations

from pathlib import Path

import orjson
import tinydb

from workbench.coderfile import HISTORY_CHUNK
from workbench.storage.journal import JournalStorage, encode_record, load_json_file
from workbench.storage.table_index import LazyTable, index_path


def journal_of(path: Path) -> Path:
    return Path(f"{path}.journal")


def ids_on_disk(project) -> set[str]:
    with project.open_coder("alex", readonly=True) as coder:
        return {c.id for c in coder.codings()}


def test_a_torn_journal_tail_is_skipped_and_cut_before_the_next_write(study, add_codings):
    coder = study.open_coder("alex")
    kept = add_codings(coder, 3)
    coder.lock.release()  # as if killed: no compaction, the journal holds the codings
    whole = encode_record({"codings:50001": {"1": {"id": "x" * 32}}}, [])
    with open(journal_of(coder.path), "ab") as journal:
        journal.write(whole[: len(whole) // 2])  # the append a crash cut short
    with study.open_coder("alex") as again:
        assert again.storage.skipped_records == 1
        assert {c.id for c in again.codings()} == set(kept)
        later = add_codings(again, 1)
        again.lock.release()
        again.db = None  # killed again, before any compaction: only the journal holds `later`
    assert ids_on_disk(study) == set(kept) | set(later)


def test_a_garbled_last_record_is_skipped(study, add_codings):
    with study.open_coder("alex") as coder:
        kept = add_codings(coder, 2)
        coder.lock.release()
        coder.db = None
    record = bytearray(encode_record({"codings:50001": {}}, []))
    record[12] ^= 0xFF  # its checksum no longer matches
    with open(journal_of(study.coder_path("alex")), "ab") as journal:
        journal.write(bytes(record))
    with study.open_coder("alex", readonly=True) as coder:
        assert coder.storage.skipped_records == 1
        assert {c.id for c in coder.codings()} == set(kept)


def test_compaction_while_writing_keeps_everything_and_empties_the_journal(study, add_codings):
    with study.open_coder("alex") as coder:
        coder.storage.compact_after = 20_000
        ids = add_codings(coder, 150)
        coder.storage.wait_for_fold()
        live = journal_of(coder.path)
        assert not live.exists() or live.stat().st_size < 20_000 + 10_000  # it was folded in along the way
        folded = load_json_file(coder.path).get("codings:50001", {})
        assert len(folded) >= 150 - 20_000 // 300  # the file itself holds all but the last journal's
    assert ids_on_disk(study) == set(ids)
    assert not journal_of(study.coder_path("alex")).exists()
    db = tinydb.TinyDB(study.coder_path("alex"), access_mode="r")  # TinyDB's own storage reads it
    try:
        assert len(db.table("codings:50001")) == 150
    finally:
        db.close()


def test_the_index_lets_history_stay_unread_until_needed(study, add_codings):
    with study.open_coder("alex") as coder:
        add_codings(coder, HISTORY_CHUNK + 20)  # history spans two chunks
    path = study.coder_path("alex")
    assert index_path(path).exists()
    storage = JournalStorage(path, readonly=True, lazy_prefixes=("history:",))
    assert all(isinstance(t, LazyTable) for name, t in storage.read().items() if name.startswith("history:"))
    assert all(isinstance(t, dict) for name, t in storage.read().items() if not name.startswith("history:"))
    with study.open_coder("alex", readonly=True) as coder:
        history = coder.history()
        assert [e.seq for e in history] == list(range(HISTORY_CHUNK + 21))  # the code, then each coding


def test_undo_reaches_back_past_the_chunks_read_at_opening(study, add_codings):
    with study.open_coder("alex") as coder:
        ids = add_codings(coder, HISTORY_CHUNK + 5)
    with study.open_coder("alex") as coder:
        for _ in range(10):  # the last chunk holds 6 codings: undo must read the chunk before it
            assert coder.undo() is not None
        assert {c.id for c in coder.codings()} == set(ids[:-10])
        assert coder.redo() is not None
        add_codings(coder, 1)  # a new change drops the 9 entries still undone
        states = [e.state for e in coder.history()]
    assert states.count("dropped") == 9 and states.count("undone") == 0
    assert len(ids_on_disk(study)) == len(ids) - 10 + 1 + 1


def test_a_file_changed_by_tinydb_itself_is_read_whole_not_through_a_stale_index(study, add_codings):
    with study.open_coder("alex") as coder:
        add_codings(coder, 5)
    path = study.coder_path("alex")
    db = tinydb.TinyDB(path)  # the default storage rewrites the file in place
    db.table("codings:50001").insert({"id": "f" * 32, "code": "c", "transcript": "50001", "start": 0,
                                      "end": 5, "text": "Inter"})
    db.close()
    assert index_path(path).exists()
    assert "f" * 32 in ids_on_disk(study)


def test_a_damaged_index_is_ignored(study, add_codings):
    with study.open_coder("alex") as coder:
        ids = add_codings(coder, 5)
    path = study.coder_path("alex")
    head, newline, summaries = index_path(path).read_bytes().partition(b"\n")
    index = orjson.loads(head)
    index["tables"] = [[name, start + 3, end] for name, start, end in index["tables"]]
    index_path(path).write_bytes(orjson.dumps(index) + newline + summaries)
    assert ids_on_disk(study) == set(ids)
    index_path(path).write_bytes(b"not json")
    assert ids_on_disk(study) == set(ids)


def test_a_reader_never_misses_changes_when_a_writer_compacts_meanwhile(tmp_path, monkeypatch):
    """The writer folds its journal into the file between the reader's two reads."""
    from workbench.storage import journal as journal_module

    path = tmp_path / "c.json"
    writer = journal_module.JournalStorage(path)
    writer.write({"t": {"1": {"v": 1}}})
    writer.write({"t": {"1": {"v": 2}}})
    real_load = journal_module.load_tables
    compacted = []

    def load_then_compact(*args, **kwargs):
        data = real_load(*args, **kwargs)
        if not compacted:
            compacted.append(True)
            writer.compact()  # the file is replaced and the journal emptied after our read of the file
        return data

    monkeypatch.setattr(journal_module, "load_tables", load_then_compact)
    reader = journal_module.JournalStorage(path, readonly=True)
    assert reader.read() == {"t": {"1": {"v": 2}}}
    writer.close()
