"""Bringing transcripts and participant attributes into a project.

Everything is checked before anything is written, so a refused file changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import ImportRefused
from workbench.project import Project, TranscriptInfo
from workbench.transcripts.naming import check_transcript_id, participant_and_wave, transcript_id_for
from workbench.transcripts.normalise import NotText, decode, normalise
from workbench.transcripts.readers import MAX_BYTES, TEXT_FORMATS, read_text
from workbench.transcripts.segment import segment

EXCHANGE_FORMATS = (".qdpx", ".qdc")


@dataclass
class ImportResult:
    transcript: TranscriptInfo
    warnings: list[str]
    replaced: bool = False


def prepare_transcript(project: Project, path: Path, *, transcript_id: str | None = None,
                       participant: str | None = None, wave: int | None = None,
                       replace: bool = False, interviewer: str | None = None, focus_group: bool = False,
                       speakers: dict[str, str] | None = None) -> tuple[TranscriptInfo, str, list[str]]:
    """Read, normalise and check one file; returns what would be stored, writing nothing.
    `focus_group`: every non-interviewer speaker is a participant (`speakers`: label -> id)."""
    path = Path(path)
    refuse = lambda reason: ImportRefused(f"{path}: {reason}")  # noqa: E731
    if transcript_id is not None:
        check_transcript_id(transcript_id, str(path))  # --id names a file inside the project: never a path
    suffix = path.suffix.lower()
    if suffix not in TEXT_FORMATS:
        known = ", ".join(TEXT_FORMATS + EXCHANGE_FORMATS)
        raise refuse(f"unknown file type '{suffix or '(none)'}'; Workbench imports {known}")
    if not path.is_file():
        raise refuse("no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise refuse(f"{size / 1024 / 1024:.1f} MB is over the 20 MB limit for one transcript; split it")
    try:
        raw_text, note = read_text(path)
    except NotText as err:
        raise refuse(str(err)) from None
    text = normalise(raw_text)
    if not text.strip():
        raise refuse("is empty (no text to code)")
    transcript_id = transcript_id or transcript_id_for(path)
    named_participant, named_wave = participant_and_wave(transcript_id)
    participant = participant or named_participant
    wave = wave or named_wave
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = project.manifest["transcripts"]
    if not replace:
        if transcript_id in existing:
            raise refuse(f"a transcript '{transcript_id}' is already imported; use --replace to replace it")
        same = next((t for t in existing.values() if t["sha256"] == sha), None)
        if same:
            raise refuse(f"the same text is already imported as '{same['id']}'; use --replace to import it again")
    old = existing.get(transcript_id, {})
    interviewer = interviewer or old.get("interviewer")
    seg = segment(text, participant=participant, interviewer=interviewer)
    info = TranscriptInfo(
        id=transcript_id, participant=participant, wave=int(wave), sha256=sha, chars=len(text),
        turns=len(seg.turns), sentences=len(seg.sentences), source=path.name,
        date=old.get("date"), duration=old.get("duration"), interviewer=interviewer, note=note,
    )
    if old.get("kind") == "focus_group" and speakers is None:  # a corrected group stays a group, its ids kept
        labels = {t.speaker.casefold() for t in seg.turns if t.speaker is not None}
        focus_group, speakers = True, {k: v for k, v in (old.get("speakers") or {}).items() if k.casefold() in labels}
    if focus_group:
        from workbench.sources.focus_group import group_speakers

        info.kind, info.speakers = "focus_group", group_speakers(info, seg.turns, speakers, str(path))
    return info, text, [f"{path}: {note}"] if note else []


def import_transcript(project: Project, path: Path, **options) -> ImportResult:
    return store_transcript(project, *prepare_transcript(project, path, **options))


def store_transcript(project: Project, info: TranscriptInfo, text: str, warnings: list[str]) -> ImportResult:
    """Store what `prepare_transcript` made; a replaced transcript's codings move onto the new text."""
    replaced = info.id in project.manifest["transcripts"]
    warnings = list(warnings)
    if replaced and project.transcript_path(info.id).exists() and project.text(info.id) != text:
        from workbench.replacing import replace_transcript  # moves every coder's codings onto the new text

        warnings += replace_transcript(project, info, text)
    else:
        project.put_transcript(info, text)
    return ImportResult(info, warnings, replaced=replaced)


def read_rows(path: Path) -> list[list[str]]:
    """A CSV's records, cells as written (comma, semicolon or tab separated, told by the header
    line; UTF-8 with or without BOM, or cp1252; quoted line breaks kept), blank records left out."""
    path = Path(path)
    try:
        raw_text, _ = decode(path.read_bytes())
    except NotText as err:
        raise ImportRefused(f"{path}: {err}") from None
    except OSError as err:
        raise ImportRefused(f"{path}: cannot read ({err.strerror})") from None
    text = normalise(raw_text)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter_of(text)))
    return [r for r in rows if any(cell.strip() for cell in r)]


def delimiter_of(text: str) -> str:
    """The separator the header line uses most (outside quotes): ',', ';' or a tab."""
    header = QUOTED.sub("", text.lstrip("\n").split("\n", 1)[0])
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


QUOTED = re.compile(r'"(?:[^"]|"")*"')


def read_table(path: Path) -> list[dict[str, str]]:
    """A CSV (comma, semicolon or tab separated; UTF-8 with or without BOM, or cp1252) as rows."""
    rows = read_rows(path)
    if len(rows) < 1 or not rows[0] or not rows[0][0].strip():
        raise ImportRefused(f"{path}: no header row (the first column names the participant id)")
    header = [h.strip() for h in rows[0]]
    return [{h: cell.strip() for h, cell in zip(header, row) if h} for row in rows[1:]]


def read_attributes(path: Path) -> dict[str, dict[str, str]]:
    """Participant attributes: the first column is the participant id, the others attributes."""
    rows = read_table(path)
    if not rows:
        return {}
    id_column = next(iter(rows[0]))
    people = {}
    for row in rows:
        pid = row.get(id_column, "")
        if not pid:
            raise ImportRefused(f"{path}: a row has no participant id in its first column")
        people[pid] = {k: v for k, v in row.items() if k != id_column and v != ""}
    return people


def read_interviews(path: Path) -> dict[str, dict]:
    """Interview details by transcript id: date, duration (minutes), interviewer."""
    details = {}
    for row in read_table(path):
        keys = {k.casefold().replace(" ", "_"): v for k, v in row.items()}
        transcript = keys.get("transcript") or keys.get("id")
        if not transcript:
            raise ImportRefused(f"{path}: needs a 'transcript' column")
        entry = {}
        if keys.get("date"):
            entry["date"] = keys["date"]
        duration = keys.get("duration_minutes") or keys.get("duration")
        if duration:
            try:
                entry["duration"] = float(duration)
            except ValueError:
                raise ImportRefused(f"{path}: duration '{duration}' of {transcript} is not a number of minutes") from None
        if keys.get("interviewer"):
            entry["interviewer"] = keys["interviewer"]
        if keys.get("focus_group", "").strip():
            from workbench.sources.focus_group import is_yes

            entry["focus_group"] = is_yes(keys["focus_group"], f"{path}: {transcript}")
        details[Path(transcript).stem] = entry
    return details


def apply_interview_details(project: Project, details: dict[str, dict]) -> list[str]:
    """Set date, duration and interviewer of imported transcripts; returns ids not found."""
    missing = []
    for transcript_id, entry in details.items():
        stored = project.manifest["transcripts"].get(transcript_id)
        if stored is None:
            missing.append(transcript_id)
            continue
        stored.update({k: v for k, v in entry.items() if k != "focus_group"})
    project.save_manifest()
    return missing
