"""One coder's file: their codebook, codings, memos and history, in TinyDB.

Every change goes through `_commit`, which writes the changed records and a history entry
in one journal record (one fsync), so a change is either wholly on disk or not at all, and
undo/redo replay the recorded before/after states. The records are also held in memory,
so reads never touch the disk.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import warnings
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from tinydb import TinyDB

from workbench.codebook import Codebook
from workbench.codebook_edits import CodebookEdits
from workbench.coding.order import CodingOrder
from workbench.coding.spans import CODINGS_PREFIX, SpansByCode, spans_by_transcript, spans_of_tables, summarise_coding_table
from workbench.coding.union import CodingJoins
from workbench.coding.corrections import clean_correction
from workbench.errors import Ambiguous, CompactionFailed, DamagedFile, NotFound, SavedWithWarning, WorkbenchError
from workbench.model import CODER_FORMAT, CODER_SCHEMA, MEMO_TARGETS, Code, Coding, DoneMark, HistoryEntry, Memo, Resolution, new_id, now
from workbench.gc_pause import collector_paused
from workbench.storage.journal import JournalStorage
from workbench.storage.lock import CoderLock
from workbench.wording import plural

FORMAT, SCHEMA = CODER_FORMAT, CODER_SCHEMA
HISTORY_CHUNK = 200
CODER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # whole: fullmatch, never "$" (it allows a final newline)

RECORD_CLASSES = {"code": Code, "coding": Coding, "memo": Memo, "resolution": Resolution, "done": DoneMark}


def check_coder_name(name: str) -> str:
    if not CODER_NAME.fullmatch(name or ""):
        raise WorkbenchError(
            f"{name!r} is not a usable coder name: use letters, digits, '.', '_' or '-' (at most 64)"
        )
    return name


def history_table(seq: int) -> str:
    return f"history:{seq // HISTORY_CHUNK:06d}"


def table_for(kind: str, record: dict) -> str:
    if kind == "coding":
        return f"{CODINGS_PREFIX}{record['transcript']}"
    return {"code": "codes", "memo": "memos", "resolution": "resolutions", "done": "done"}[kind]


class CoderFile(CodebookEdits, CodingJoins):
    def __init__(self, path: Path, coder: str, readonly: bool = False, lock: CoderLock | None = None,
                 with_codings: bool = True):
        """`lock`: this file's lock, already held (the screen takes it before it starts and
        reads the file after its first frame); it is released like one taken here.
        `with_codings=False` (read-only only) leaves the codings unread, for what reads only the
        codebook, memos and history (the audit trail), or counts from `coding_spans()` alone:
        `codings()` is then empty."""
        if not with_codings and not readonly:
            raise ValueError("a coder file opened to write must read its codings")
        self.path = Path(path)
        self.coder = coder
        self.readonly = readonly
        self.with_codings = with_codings
        self.lock = lock if lock is not None else CoderLock(self.path)
        if not readonly and not self.lock.held:
            self.lock.acquire()
        try:
            # History is read only when needed (undo reads the last chunks; history() all of it).
            lazy = ("history:",) if with_codings else ("history:", CODINGS_PREFIX)
            self.db = TinyDB(self.path, storage=JournalStorage, readonly=readonly, lazy_prefixes=lazy,
                             summarise=summarise_coding_table)
            with collector_paused():
                self._load()
            if not readonly:
                from workbench.backups import keep_daily_backup  # a reader neither backs up nor loads it

                keep_daily_backup(self.path, self.storage.read())  # it read cleanly: a good state to keep
        except BaseException:
            self.lock.release()
            raise

    # -- opening and closing -----------------------------------------------------
    @classmethod
    def open(cls, path: Path, coder: str, readonly: bool = False, lock: CoderLock | None = None,
             with_codings: bool = True) -> "CoderFile":
        return cls(path, check_coder_name(coder), readonly=readonly, lock=lock, with_codings=with_codings)

    def close(self) -> None:
        try:
            if getattr(self, "db", None) is not None:
                self.db.close()
                self.db = None
        finally:
            self.lock.release()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            self.close()
        except CompactionFailed as err:
            if exc is None:  # every change of the block is saved: a warning, not a failure
                warnings.warn(SavedWithWarning(self.saved_but(err)), stacklevel=2)
            # else the block's own error (a change not saved) is the one to hear about

    def saved_but(self, err: CompactionFailed) -> str:
        why = getattr(err.__cause__, "strerror", None) or str(err)
        return (f"{self.path}: saved, but folding its journal into the file failed ({why}); "
                f"the journal keeps every change and the next session folds it")

    @property
    def storage(self) -> JournalStorage:
        return self.db.storage

    def _load(self) -> None:
        raw = self.storage.read() or {}
        meta = raw.get("meta", {}).get("1")
        if meta is None:
            if raw:
                raise DamagedFile(f"{self.path}: not a Workbench coder file (it has no 'meta' table); it was left untouched")
            if not self.readonly:
                self.db.table("meta").insert(
                    {"format": FORMAT, "schema": SCHEMA, "coder": self.coder, "created": now()}
                )
                self.storage.compact()
            meta = {"format": FORMAT, "schema": SCHEMA, "coder": self.coder}
        if meta.get("format") != FORMAT:
            raise DamagedFile(f"{self.path}: not a Workbench coder file (format {meta.get('format')!r}); it was left untouched")
        if not isinstance(meta.get("schema"), int) or meta["schema"] > SCHEMA:
            raise DamagedFile(
                f"{self.path}: written by a newer Workbench (schema {meta.get('schema')}, this one reads {SCHEMA}); upgrade Workbench"
            )
        self.meta = meta
        self._doc_ids: dict[str, str] = {}  # record id -> its document's id in its table
        self._codes: dict[str, Code] = {}
        self._codings: dict[str, Coding] = {}
        self._order: CodingOrder | None = None  # the codings in reading order, made when first asked
        self._memos: dict[str, Memo] = {}
        self._resolutions: dict[str, Resolution] = {}  # settled disagreements (consensus files only)
        self._done: dict[str, DoneMark] = {}  # transcripts the coder marked done
        history_tables = []
        try:
            coding_tables = []  # a table per transcript: a survey has 40,000, read in one pass
            for table, docs in raw.items():
                if table == "codes":
                    self._index([docs], Code, self._codes)
                elif table == "memos":
                    self._index([docs], Memo, self._memos)
                elif table == "resolutions":
                    self._index([docs], Resolution, self._resolutions)
                elif table == "done":
                    self._index([docs], DoneMark, self._done)
                elif table.startswith(CODINGS_PREFIX):
                    coding_tables.append(docs)
                elif table.startswith("history:"):
                    history_tables.append(table)
            if self.with_codings:
                self._index(coding_tables, Coding, self._codings)
        except (TypeError, KeyError, AttributeError) as err:
            raise DamagedFile(f"{self.path}: a record is malformed ({err}); it was left untouched") from None
        self._history_tables = sorted(history_tables)  # chunk names sort in the order of their entries
        self._history = self._read_history_tail(raw)
        self._codebook: Codebook | None = None
        self._stretches: dict[tuple[str, str], set[str]] | None = None  # (code, transcript) -> coding ids

    def _read_history_tail(self, raw: dict) -> list[HistoryEntry]:
        """The last history chunks, back to the one holding the last entry still done.

        Undone entries only ever follow the last done one (undo undoes the last done entry,
        redo redoes the first undone after it, a new change drops every undone one), so
        these chunks hold all that undo, redo and the next change look at."""
        tail: list[HistoryEntry] = []
        read = 0
        for table in reversed(self._history_tables):
            chunk = self._history_entries(raw[table])
            tail, read = chunk + tail, read + 1
            if any(e.state == "done" for e in chunk):
                break
        self._history_complete = read == len(self._history_tables)
        return sorted(tail, key=lambda e: e.seq)

    def _recent_history(self) -> list[HistoryEntry]:
        """The loaded history, made to reach back to the last done entry (after many undos
        in one session it may lie in a chunk not read yet)."""
        if not self._history_complete and not any(e.state == "done" for e in self._history):
            self.history()
        return self._history

    def _history_entries(self, docs) -> list[HistoryEntry]:
        try:
            try:
                return [HistoryEntry(**d) for d in docs.values()]  # the fast path, as in _index
            except TypeError:  # a field from a newer version: from_dict keeps the known ones
                return [HistoryEntry.from_dict(d) for d in docs.values()]
        except (TypeError, KeyError, AttributeError) as err:
            raise DamagedFile(f"{self.path}: a history entry is malformed ({err}); it was left untouched") from None

    def _index(self, tables: list[dict], cls, into: dict) -> None:
        doc_ids = self._doc_ids
        order = field_order(cls)
        for docs in tables:
            for doc_id, doc in docs.items():
                if tuple(doc) == order:  # as this version writes it: the fields in order, passed by position
                    record = cls(*doc.values())
                else:
                    try:
                        record = cls(**doc)
                    except TypeError:  # a field from a newer version: from_dict keeps the known ones
                        record = cls.from_dict(doc)
                into[record.id] = record
                doc_ids[record.id] = doc_id

    def reload(self) -> None:
        """Re-read what the disk holds (after a failed write, memory goes back to it)."""
        self.storage.reload()
        self.db._tables.clear()  # TinyDB's table objects cache ids that may be gone
        self._load()

    # -- reading -----------------------------------------------------------------
    @property
    def codebook(self) -> Codebook:
        if self._codebook is None:
            self._codebook = Codebook(self._codes.values())
        return self._codebook

    def codes(self) -> list[Code]:
        return list(self.codebook.walk())

    def code(self, ref: str) -> Code:
        return self.codebook.find(ref)

    def codings(self, transcript: str | None = None, codes: set[str] | None = None) -> list[Coding]:
        if self._order is None:
            self._order = CodingOrder(self._codings.values())
        found = self._order.all if transcript is None else self._order.by_transcript(transcript)
        return list(found) if codes is None else [c for c in found if c.code in codes]

    def coding_spans(self) -> dict[str, SpansByCode]:
        """Each transcript's codings as the spans of each code (workbench.coding.spans). Opened
        without its codings, the file gives them from its index for every table unchanged
        since the last fold, and parses only the tables the journal changed."""
        if self.with_codings:
            return spans_by_transcript(self._codings.values())
        try:
            return spans_of_tables(self.storage.read() or {})
        except (TypeError, KeyError, AttributeError) as err:
            raise DamagedFile(f"{self.path}: a record is malformed ({err}); it was left untouched") from None

    def codings_by_id(self) -> Mapping[str, Coding]:
        """Every coding by its id, as it is now (read-only, and live: it follows each change)."""
        return MappingProxyType(self._codings)

    def coding(self, ref: str) -> Coding:
        """A coding by id or by a unique prefix of its id."""
        if ref in self._codings:
            return self._codings[ref]
        matches = [c for cid, c in self._codings.items() if cid.startswith(ref)] if len(ref) >= 4 else []
        if not matches:
            raise NotFound(f"no coding with id '{ref}'")
        if len(matches) > 1:
            raise Ambiguous(f"'{ref}' starts several coding ids; give more of it")
        return matches[0]

    def memos(self) -> list[Memo]:
        return sorted(self._memos.values(), key=lambda m: m.modified, reverse=True)

    def memo(self, target_type: str, target: str | None) -> Memo | None:
        return next((m for m in self._memos.values() if m.target_type == target_type and m.target == target), None)

    def resolutions(self) -> dict[str, Resolution]:
        """Settled disagreements by item key (see workbench.analysis.disagreements)."""
        return dict(self._resolutions)

    def done_transcripts(self) -> set[str]:
        """The transcripts this coder has marked done."""
        return set(self._done)

    def journal(self) -> list[Memo]:
        """The project journal: dated entries, oldest first."""
        return sorted((m for m in self._memos.values() if m.target_type == "project"), key=lambda m: m.created)

    def last_change(self) -> HistoryEntry | None:
        """The newest history entry (done, undone or dropped), None for a file never changed."""
        return self._history[-1] if self._history else None

    def history(self) -> list[HistoryEntry]:
        if not self._history_complete:
            raw = self.storage.read() or {}
            with collector_paused():
                entries = [e for table in self._history_tables for e in self._history_entries(raw[table])]
            loaded = {e.seq for e in self._history}  # entries changed since opening are newer in memory
            self._history = sorted([e for e in entries if e.seq not in loaded] + self._history, key=lambda e: e.seq)
            self._history_complete = True
        return list(self._history)

    # -- codings ---------------------------------------------------------------------
    def add_coding(self, transcript: str, start: int, end: int, code_ref: str, text: str,
                   corrected: str | None = None) -> Coding:
        code = self.code(code_ref)
        if not code.codable:
            raise WorkbenchError(f"'{self.codebook.path(code.id)}' is a {code.kind}: it gathers the codings of the "
                                 f"codes below it; code with one of those (or change its kind)")
        if not 0 <= start < end:
            raise WorkbenchError(f"a coding needs 0 <= start < end (got {start}..{end})")
        corrected = clean_correction(text, corrected)
        coding = Coding(id=new_id(), code=code.id, transcript=transcript, start=start, end=end,
                        text=text, corrected=corrected)
        joined = self._commit("coding.add", f"code {transcript} {start}-{end} as {self.codebook.path(code.id)}",
                              [("coding", None, coding)])
        return self._codings.get(joined.get(coding.id, coding.id), coding)

    def remove_coding(self, ref: str) -> Coding:
        coding = self.coding(ref)
        changes = [("coding", coding, None)]
        memo = self.memo("coding", coding.id)
        if memo is not None:
            changes.append(("memo", memo, None))
        self._commit("coding.remove", f"uncode {coding.transcript} {coding.start}-{coding.end} "
                     f"from {self.codebook.path(coding.code) if coding.code in self.codebook else coding.code}", changes)
        return coding

    def update_coding(self, ref: str, **changes) -> Coding:
        """Change a coding's corrected text (refused when it would replace the quote rather
        than correct it: workbench.coding.corrections), exemplar mark, code or span."""
        coding = self.coding(ref)
        allowed = {"corrected", "exemplar", "code", "start", "end", "text", "review"}
        if not changes.keys() <= allowed:
            raise WorkbenchError(f"cannot change {sorted(changes.keys() - allowed)} of a coding")
        if "corrected" in changes:
            changes["corrected"] = clean_correction(changes.get("text", coding.text), changes["corrected"])
        after = Coding.from_dict({**coding.to_dict(), **changes, "modified": now()})
        joined = self._commit("coding.update", f"change {', '.join(sorted(changes))} of coding {coding.id[:8]}",
                              [("coding", coding, after)])
        return self._codings.get(joined.get(coding.id, coding.id), after)

    def update_codings(self, changes: list[tuple[Coding, dict]], summary: str,
                       action: str = "codings.update") -> dict[str, str]:
        """Change several codings as one history entry."""
        return self._commit(action, summary, [
            ("coding", coding, Coding.from_dict({**coding.to_dict(), **fields, "modified": now()}))
            for coding, fields in changes
        ])

    def add_many(self, action: str, summary: str, records: list) -> dict[str, str]:
        """Add several new records as one change (imports, merges): one history entry.
        Returns {id of a coding joined into another: the id it was joined into}."""
        return self.change_records(action, summary, add=records)

    def change_records(self, action: str, summary: str, add: list = (), remove: list = ()) -> dict[str, str]:
        """Remove and add records (codes, codings, memos, resolutions) as one change: one history entry.
        Returns {id of a coding joined into another: the id it was joined into}."""
        kinds = {Code: "code", Coding: "coding", Memo: "memo", Resolution: "resolution"}
        return self._commit(action, summary, [(kinds[type(r)], r, None) for r in remove]
                            + [(kinds[type(r)], None, r) for r in add])

    # -- memos -----------------------------------------------------------------------
    def set_memo(self, target_type: str, target: str | None, text: str) -> Memo | None:
        """Set the memo of a transcript, code or coding (empty text removes it)."""
        if target_type not in MEMO_TARGETS or target_type == "project":
            raise WorkbenchError(f"memos attach to {', '.join(MEMO_TARGETS)}; use the journal for the project")
        memo = self.memo(target_type, target)
        if memo is not None and memo.text == text:
            return memo
        if not text.strip():
            if memo is not None:
                self._commit("memo.remove", f"clear the memo of {target_type} {target}", [("memo", memo, None)])
            return None
        after = Memo(id=memo.id if memo else new_id(), target_type=target_type, target=target, text=text,
                     created=memo.created if memo else now())
        self._commit("memo.edit", f"edit the memo of {target_type} {target}", [("memo", memo, after)])
        return after

    def add_journal_entry(self, text: str, title: str = "") -> Memo:
        memo = Memo(id=new_id(), target_type="project", target=None, text=text, title=title)
        self._commit("journal.add", f"journal entry {title or memo.created}", [("memo", None, memo)])
        return memo

    def edit_journal_entry(self, ref: str, text: str) -> Memo:
        memo = self._memos[ref]
        after = Memo.from_dict({**memo.to_dict(), "text": text, "modified": now()})
        self._commit("memo.edit", f"edit journal entry {memo.title or memo.created}", [("memo", memo, after)])
        return after

    # -- transcripts marked done ---------------------------------------------------------
    def set_done(self, transcript: str, done: bool = True) -> bool:
        """Mark a transcript done (or not); False when it already was so (nothing written)."""
        mark = self._done.get(transcript)
        if (mark is not None) == done:
            return False
        if done:
            self._commit("transcript.done", f"mark {transcript} done", [("done", None, DoneMark(id=transcript))])
        else:
            self._commit("transcript.undone", f"mark {transcript} not done", [("done", mark, None)])
        return True

    # -- undo and redo ---------------------------------------------------------------
    def undo(self) -> HistoryEntry | None:
        entry = next((e for e in reversed(self._recent_history()) if e.state == "done"), None)
        if entry is None:
            return None
        changes = [(c["kind"], c["after"], c["before"]) for c in reversed(entry.changes)]
        self._write(changes, states=[(entry, "undone")])
        return entry

    def redo(self) -> HistoryEntry | None:
        done_seq = max((e.seq for e in self._recent_history() if e.state == "done"), default=-1)
        entry = next((e for e in self._history if e.state == "undone" and e.seq > done_seq), None)
        if entry is None:
            return None
        changes = [(c["kind"], c["before"], c["after"]) for c in entry.changes]
        self._write(changes, states=[(entry, "done")])
        return entry

    # -- the one way to change anything -------------------------------------------------
    def _commit(self, action: str, summary: str, changes: list[tuple], join: bool = True) -> dict[str, str]:
        """Write `changes` as one history entry; a coding they add or move that overlaps or
        touches one of the same code is joined with it first. Returns {joined id: kept id}."""
        if self.readonly:
            raise WorkbenchError(f"{self.path}: opened read-only")
        joined: dict[str, str] = {}
        if join:
            wanted = bool(changes)
            changes, joined = self._joined(changes)
            if joined:
                summary += f" (joined with {plural(len(joined), 'overlapping coding')} of the same code)"
            if wanted and not changes:
                return joined  # it was there already: nothing to write
        as_dicts = [(kind, _as_dict(before), _as_dict(after)) for kind, before, after in changes]
        dropped = [(e, "dropped") for e in self._recent_history() if e.state == "undone"]
        entry = HistoryEntry(
            seq=(self._history[-1].seq + 1) if self._history else 0, time=now(), action=action, summary=summary,
            changes=[{"kind": k, "before": b, "after": a} for k, b, a in as_dicts],
        )
        self._write(as_dicts, new=entry, states=dropped)
        return joined

    def _write(self, changes: list[tuple], new: HistoryEntry | None = None,
               states: list[tuple[HistoryEntry, str]] = ()) -> None:
        """Apply record changes, a new history entry and changes of entries' states in one
        durable journal record. Only what changed is written: an entry whose state changes
        gets its new state, not its (possibly large) changes again."""
        storage = self.storage
        try:
            with storage.batch():
                for kind, before, after in changes:
                    self._apply_one(kind, before, after)
                if new is not None:
                    storage.put(history_table(new.seq), str(new.seq + 1), new.to_dict())
                for entry, state in states:
                    storage.merge(history_table(entry.seq), str(entry.seq + 1), {"state": state})
        except BaseException:
            self.reload()
            raise
        for entry, state in states:
            at = bisect.bisect_left(self._history, entry.seq, key=lambda e: e.seq)
            if at < len(self._history) and self._history[at].seq == entry.seq:
                self._history[at] = dataclasses.replace(self._history[at], state=state)
        if new is not None:
            self._history.append(new)  # the newest: its seq follows every other
            if history_table(new.seq) not in self._history_tables:
                self._history_tables.append(history_table(new.seq))

    def _apply_one(self, kind: str, before: dict | None, after: dict | None) -> None:
        cls = RECORD_CLASSES[kind]
        store = {"code": self._codes, "coding": self._codings, "memo": self._memos,
                 "resolution": self._resolutions, "done": self._done}[kind]
        order = self._order if kind == "coding" else None
        if before is not None:
            doc_id = self._doc_ids.pop(before["id"], None)
            if doc_id is not None:
                self.storage.delete(table_for(kind, before), doc_id)
            gone = store.pop(before["id"], None)
            if order is not None and gone is not None:
                order.remove(gone)
        if after is not None:
            table = table_for(kind, after)
            doc_id = str(self.storage.next_doc_id(table))
            self.storage.put(table, doc_id, dict(after))
            self._doc_ids[after["id"]] = doc_id
            record = store[after["id"]] = cls.from_dict(after)
            if order is not None:
                order.add(record)
        if kind == "code":
            self._codebook = None
        elif kind == "coding" and self._stretches is not None:
            if before is not None:
                self._stretches.get((before["code"], before["transcript"]), set()).discard(before["id"])
            if after is not None:
                self._stretches.setdefault((after["code"], after["transcript"]), set()).add(after["id"])


@cache
def field_order(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _as_dict(record) -> dict | None:
    if record is None or isinstance(record, dict):
        return record
    return record.to_dict()
