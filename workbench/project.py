"""A project folder: its manifest, the normalised transcripts, participants and coder files.

    project.json            title, transcripts (participant, wave, SHA-256, ...), participants
    transcripts/<id>.txt    normalised text, never modified after import
    coders/<name>.json      one TinyDB file per coder
    places/<name>.json      where each coder left off in the screen (workbench.places)
    cache/                  derived data (segmentation, search index, the sources' roster); safe to delete
    imports/                the report of each .qdpx import (exchange/import_report.py); kept
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from pathlib import Path

import orjson

from workbench.coderfile import CoderFile, check_coder_name
from workbench.errors import DamagedFile, NotFound, ProjectNotFound, WorkbenchError
from workbench.gc_pause import collector_paused
from workbench.model import now
from workbench.securefs import atomic_write, claim_private_dir, fsync_dir, make_private_dir, write_private
from workbench.sources.roster import read_roster, sources_of, write_roster
from workbench.storage.journal import file_identity
from workbench.transcripts.naming import are_transcript_ids, check_transcript_id, is_transcript_id, quote_id
from workbench.transcripts.segment import Segmentation, segment

MANIFEST = "project.json"
FORMAT = "workbench-project"
SCHEMA = 1
TITLE_MAX = 300
SEGMENTATION_VERSION = 6  # 4: one-off speakers of the same label shape (issue 12); 5: CJK labels, caseless names; 6: Host, Co-host


ASSISTANT_PREFIX = "assistant-"  # the suggestion file of coder X is coder "assistant-X"


@dataclass(slots=True)
class TranscriptInfo:
    id: str
    participant: str
    wave: int
    sha256: str
    chars: int
    turns: int = 0
    sentences: int = 0
    source: str = ""
    date: str | None = None
    duration: float | None = None  # minutes
    interviewer: str | None = None
    imported: str = field(default_factory=now)
    note: str | None = None
    # Many voices (workbench.sources): "interview" (one participant), "focus_group" (each
    # non-interviewer speaker a participant; `speakers` maps each label to its participant id,
    # the label itself unless a speakers file said otherwise; an interview that was a group
    # keeps it for when it is one again) or "survey" (one answer; `question` is its column's header).
    kind: str = "interview"
    speakers: dict[str, str] | None = None
    question: str | None = None

    @property
    def quote_id(self) -> str:
        return quote_id(self.participant, self.wave)

    @property
    def is_focus_group(self) -> bool:
        return self.kind == "focus_group"

    @classmethod
    def from_dict(cls, data: dict) -> "TranscriptInfo":
        try:
            return cls(**data)  # what to_dict wrote (a survey's manifest has 40,000 of these)
        except TypeError:  # a key from another version: keep the fields we know
            known = {f.name for f in fields(cls)}
            return cls(**{k: v for k, v in data.items() if k in known})

    def to_dict(self) -> dict:
        data = asdict(self)
        for name, default in NEW_FIELD_DEFAULTS.items():  # an interview's entry stays as it was
            if data[name] == default:
                del data[name]
        return data


NEW_FIELD_DEFAULTS = {"kind": "interview", "speakers": None, "question": None}


class Project:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.manifest_path = self.root / MANIFEST
        if not self.manifest_path.is_file():
            raise ProjectNotFound(f"{self.root} is not a Workbench project (no {MANIFEST})")
        # The manifest is read now, unless the roster says it is still the one last checked:
        # then only when first asked for (a count over a survey needs no more than the roster).
        self._roster = read_roster(self.root, file_identity(self.manifest_path), SCHEMA)
        self._manifest: dict | None = None if self._roster is not None else self._read_manifest()
        self._texts: dict[str, str] = {}
        self._segments: dict[str, Segmentation] = {}

    # -- finding, creating ---------------------------------------------------------
    @classmethod
    def init(cls, root: Path, title: str | None = None) -> "Project":
        root = Path(root)
        if (root / MANIFEST).exists():
            raise WorkbenchError(f"{root} already holds a project")
        if root.exists() and any(root.iterdir()):
            raise WorkbenchError(f"{root} is not empty; give a new or empty folder")
        claim_private_dir(root)  # an existing folder becomes 0700 too (or is refused if it is not ours)
        for sub in ("transcripts", "coders", "cache"):
            make_private_dir(root / sub)
        manifest = {"format": FORMAT, "schema": SCHEMA, "title": title or root.resolve().name,
                    "created": now(), "transcripts": {}, "participants": {}}
        atomic_write(root / MANIFEST, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        return cls(root)

    @classmethod
    def find(cls, start: Path | None = None) -> "Project":
        """The project at `start`, else the nearest folder upward that holds one."""
        here = Path(start or os.getcwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / MANIFEST).is_file():
                return cls(folder)
        raise ProjectNotFound(
            f"no Workbench project in {here} or above it; give one with -p DIR or $WORKBENCH_PROJECT, or make one with 'workbench init DIR'"
        )

    @property
    def manifest(self) -> dict:
        if self._manifest is None:
            self._manifest = self._read_manifest()
        return self._manifest

    @manifest.setter
    def manifest(self, manifest: dict) -> None:  # a failed change puts the manifest back as it was
        self._manifest = manifest

    def sources(self) -> Iterable[tuple[str, Sequence]]:
        """(transcript id, (kind of source, participant)) of every transcript: from the roster
        while the manifest is unread (workbench.sources.roster), else from the manifest."""
        return self._roster.items() if self._manifest is None else sources_of(self._manifest["transcripts"])

    def _read_manifest(self) -> dict:
        identity = file_identity(self.manifest_path)
        try:
            with collector_paused():  # a survey's manifest holds 40,000 entries
                manifest = orjson.loads(self.manifest_path.read_bytes())
        except orjson.JSONDecodeError as err:
            raise DamagedFile(f"{self.manifest_path}: not valid JSON ({err}); it was left untouched") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise DamagedFile(f"{self.manifest_path}: not a Workbench project manifest; it was left untouched")
        if not isinstance(manifest.get("schema"), int) or manifest["schema"] > SCHEMA:
            raise DamagedFile(f"{self.manifest_path}: written by a newer Workbench (schema {manifest.get('schema')}); upgrade Workbench")
        manifest.setdefault("transcripts", {})
        manifest.setdefault("participants", {})
        self._check_transcript_ids(manifest["transcripts"])
        if self._roster is None and identity == file_identity(self.manifest_path):  # checked, and unchanged meanwhile
            write_roster(self.root, identity, manifest["schema"], manifest["transcripts"])
        return manifest

    def _check_transcript_ids(self, transcripts) -> None:
        """A manifest (edited by hand, or planted) whose transcript ids could name a file outside
        `transcripts/` is refused before any path is made from it."""
        if not isinstance(transcripts, dict):
            raise DamagedFile(f"{self.manifest_path}: 'transcripts' is not a table of transcripts; it was left untouched")
        if are_transcript_ids(list(transcripts)) and all(type(entry) is dict and entry.get("id") == key
                                                         for key, entry in transcripts.items()):
            return
        for key, entry in transcripts.items():  # name the first that is not
            if not is_transcript_id(key) or not isinstance(entry, dict) or entry.get("id") != key:
                raise DamagedFile(f"{self.manifest_path}: transcript id {key!r} is not a usable transcript id (letters, "
                                  "digits, '.', '_' or '-', starting with a letter or digit) or does not match its "
                                  "entry; correct project.json by hand (nothing was read through it)")

    def write_export(self, path: Path, data: bytes) -> None:
        """Write an export of this project atomically; a temporary file a kill leaves behind is
        found by `doctor` (it holds the project's quotes)."""
        atomic_write(Path(path), data, note_in=pending_writes(self.root))

    def save_manifest(self) -> None:
        atomic_write(self.manifest_path, orjson.dumps(self.manifest, option=orjson.OPT_INDENT_2))
        write_roster(self.root, file_identity(self.manifest_path), self.manifest["schema"], self.manifest["transcripts"])

    @property
    def title(self) -> str:
        return self.manifest.get("title", self.root.name)

    def set_title(self, title: str) -> None:
        title = " ".join(title.split())[:TITLE_MAX]
        if not title:
            raise WorkbenchError("a project's title cannot be empty")
        self.manifest["title"] = title
        self.save_manifest()

    # -- transcripts ---------------------------------------------------------------
    def transcripts(self) -> list[TranscriptInfo]:
        infos = [TranscriptInfo.from_dict(t) for t in self.manifest["transcripts"].values()]
        return sorted(infos, key=lambda t: (natural_key(t.participant), t.wave, t.id))

    def transcript(self, ref: str) -> TranscriptInfo:
        if ref in self.manifest["transcripts"]:
            return TranscriptInfo.from_dict(self.manifest["transcripts"][ref])
        stem = Path(ref).stem
        if stem in self.manifest["transcripts"]:
            return TranscriptInfo.from_dict(self.manifest["transcripts"][stem])
        raise NotFound(f"no transcript '{ref}' in {self.root}; 'workbench transcripts' lists them")

    def transcript_path(self, transcript_id: str) -> Path:
        return self.root / "transcripts" / f"{check_transcript_id(transcript_id)}.txt"

    def text(self, transcript_id: str) -> str:
        if transcript_id not in self._texts:
            try:
                self._texts[transcript_id] = self.transcript_path(transcript_id).read_bytes().decode("utf-8")
            except FileNotFoundError:
                raise DamagedFile(f"{self.transcript_path(transcript_id)}: missing; 'workbench doctor' says how to mend it") from None
        return self._texts[transcript_id]

    def segments(self, transcript_id: str) -> Segmentation:
        """Turns and sentences, cached on disk by the transcript's hash."""
        if transcript_id in self._segments:
            return self._segments[transcript_id]
        info = self.transcript(transcript_id)
        cache = self.root / "cache" / "segments" / f"{transcript_id}.json"
        key = segmentation_key(info)
        seg = None
        try:
            cached = orjson.loads(cache.read_bytes())
            if cached.get("key") == key:
                seg = Segmentation.from_dict(cached)
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
            seg = None
        if seg is None and info.kind == "survey":
            from workbench.sources.survey import answer_segments

            seg = answer_segments(self.text(transcript_id))
        elif seg is None:
            seg = segment(self.text(transcript_id), participant=info.participant, interviewer=info.interviewer)
            try:
                make_private_dir(cache.parent)
                atomic_write(cache, orjson.dumps({"key": key, **seg.to_dict()}))
            except OSError:
                pass  # a cache that cannot be written is only slower
        self._segments[transcript_id] = seg
        return seg

    def put_transcript(self, info: TranscriptInfo, text: str) -> None:
        """Store a transcript's text and its manifest entry (the text first: a crash between
        leaves an orphan file for `doctor`, never a manifest entry without its text)."""
        atomic_write(self.transcript_path(info.id), text.encode("utf-8"))
        self.manifest["transcripts"][info.id] = info.to_dict()
        self.save_manifest()
        self._texts.pop(info.id, None)
        self._segments.pop(info.id, None)

    def forget_cached(self, transcript_id: str) -> None:
        """Drop what this object read of a transcript whose text another module replaced."""
        self._texts.pop(transcript_id, None)
        self._segments.pop(transcript_id, None)

    def set_transcript_infos(self, infos: list[TranscriptInfo], attributes: dict[str, dict] | None = None) -> None:
        """Change imported transcripts' entries (details, kind, speakers; never their text) and
        participants' attributes with one manifest write, or none of them."""
        before = orjson.loads(orjson.dumps(self.manifest))
        try:
            known = {f.name for f in fields(TranscriptInfo)}
            for info in infos:  # a key another version wrote is kept
                old = self.manifest["transcripts"].get(info.id, {})
                self.manifest["transcripts"][info.id] = {**{k: v for k, v in old.items() if k not in known},
                                                         **info.to_dict()}
            for pid, values in (attributes or {}).items():
                self.manifest["participants"].setdefault(pid, {}).update(values)
            self.save_manifest()
        except BaseException:
            self.manifest = before
            raise
        for info in infos:
            self._segments.pop(info.id, None)

    def put_transcripts(self, items: list[tuple[TranscriptInfo, str]], attributes: dict[str, dict] | None = None) -> None:
        """Store many new transcripts (and participants' attributes) with one manifest write, or
        none of them: texts written before a failure are removed and the manifest is left as it was.
        The texts are new files no manifest names yet, so they are written in place and flushed
        together (one sync, not one per file: a survey holds thousands) before the manifest
        names them."""
        written: list[Path] = []
        before = orjson.loads(orjson.dumps(self.manifest))
        try:
            for info, text in items:
                path = self.transcript_path(info.id)
                written.append(path)
                write_private(path, text.encode("utf-8"))
                self.manifest["transcripts"][info.id] = info.to_dict()
            os.sync()
            fsync_dir(self.transcript_path("x").parent)
            for pid, values in (attributes or {}).items():
                self.manifest["participants"].setdefault(pid, {}).update(values)
            self.save_manifest()
        except BaseException:
            self.manifest = before
            for path in written:
                path.unlink(missing_ok=True)
            raise
        for info, _ in items:
            self._texts.pop(info.id, None)
            self._segments.pop(info.id, None)

    # -- participants ---------------------------------------------------------------
    def speakers(self, transcript_id: str) -> dict[str, str]:
        """A transcript's speaking participants: speaker label -> participant id (for an interview
        or a survey answer, its one participant whatever the labels)."""
        from workbench.sources.attribution import speaker_participants

        return speaker_participants(self.transcript(transcript_id), self)

    def transcript_participants(self, info: TranscriptInfo) -> list[str]:
        """The participants of a transcript: its one participant, or a focus group's speakers."""
        if not info.is_focus_group:
            return [info.participant]
        return list(dict.fromkeys(self.speakers(info.id).values()))

    def participants(self) -> dict[str, dict]:
        """Every participant with a transcript or attributes: id -> attributes."""
        people = {p: {} for t in self.transcripts() for p in self.transcript_participants(t)}
        for pid, attributes in self.manifest["participants"].items():
            people[pid] = dict(attributes)
        return dict(sorted(people.items(), key=lambda kv: natural_key(kv[0])))

    def set_attributes(self, rows: dict[str, dict]) -> None:
        for pid, attributes in rows.items():
            self.manifest["participants"].setdefault(pid, {}).update(attributes)
        self.save_manifest()

    # -- coders -------------------------------------------------------------------
    def coder_path(self, coder: str) -> Path:
        return self.root / "coders" / f"{check_coder_name(coder)}.json"

    def coders(self, assistants: bool = True) -> list[str]:
        """The coder files' names; `assistants=False` leaves out the assistant's suggestion files
        (`assistant-<coder>`), which hold proposals nobody has accepted."""
        names = sorted(p.stem for p in (self.root / "coders").glob("*.json"))
        return names if assistants else [n for n in names if not n.startswith(ASSISTANT_PREFIX)]

    def open_coder(self, coder: str, readonly: bool = False, must_exist: bool = False,
                   with_codings: bool = True) -> CoderFile:
        """A coder's file; a coder without one yet starts empty (read-only: nothing is created)."""
        path = self.coder_path(coder)
        if must_exist and not path.exists():
            raise NotFound(f"no coder '{coder}' in {self.root} (coders: {', '.join(self.coders()) or 'none yet'})")
        return CoderFile.open(path, coder, readonly=readonly, with_codings=with_codings)


def segmentation_key(info: TranscriptInfo) -> str:
    """What a transcript's cached turns and roles were made from: its text, the segmenter's
    version, who interviews and who its participant is (both decide who is the interviewer)."""
    return f"{info.sha256}:{SEGMENTATION_VERSION}:{info.interviewer or ''}:{info.participant}"


def pending_writes(root: Path) -> Path:
    """Where notes of exports being written (outside the project) are kept, for `doctor`."""
    return Path(root) / "cache" / "exports"


DIGIT_RUNS = re.compile(r"(\d+)")


@lru_cache(maxsize=1 << 16)  # a survey sorts 40,000 answers by 20,000 respondents' ids
def natural_key(text: str) -> tuple:
    """'P2' before 'P10'."""
    return tuple(int(part) if part.isdecimal() else part.casefold() for part in DIGIT_RUNS.split(text))
