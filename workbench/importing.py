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
from workbench.terminal_safety import inert
from workbench.transcripts.naming import check_transcript_id, participant_and_wave, transcript_id_for
from workbench.transcripts.normalise import NotText, decode, normalise
from workbench.transcripts.readers import MAX_BYTES, TEXT_FORMATS, read_text
from workbench.transcripts.segment import segment
from workbench.wording import plural

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
    old = project.manifest["transcripts"].get(transcript_id, {}) if replace else {}
    participant = participant or old.get("participant") or named_participant  # a corrected text: the same interview
    wave = wave or old.get("wave") or named_wave
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = project.manifest["transcripts"]
    if not replace:
        if transcript_id in existing:
            raise refuse(f"a transcript '{transcript_id}' is already imported; use --replace to replace it")
        same = next((t for t in existing.values() if t["sha256"] == sha), None)
        if same:
            raise refuse(f"the same text is already imported as '{same['id']}'; use --replace to import it again")
    interviewer = interviewer or old.get("interviewer")
    seg = segment(text, participant=participant, interviewer=interviewer)
    info = TranscriptInfo(
        id=transcript_id, participant=participant, wave=int(wave), sha256=sha, chars=len(text),
        turns=len(seg.turns), sentences=len(seg.sentences), source=path.name,
        date=old.get("date"), duration=old.get("duration"), interviewer=interviewer, note=note,
    )
    from workbench.sources.focus_group import group_speakers, kept_speakers

    if speakers is None and old.get("speakers"):  # a corrected text keeps its speakers' ids
        speakers = kept_speakers(old["speakers"], seg.turns)
    if focus_group or old.get("kind") == "focus_group":  # a corrected group stays a group
        info.kind, info.speakers = "focus_group", group_speakers(info, seg.turns, speakers, str(path))
    elif speakers:  # an interview that was a group keeps its speakers' ids for when it is one again
        info.speakers = speakers
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
    if len(text) > csv.field_size_limit():  # a long survey answer is one cell: the text bounds every cell
        csv.field_size_limit(len(text))
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter_of(text)))
    return [r for r in rows if any(cell.strip() for cell in r)]


def delimiter_of(text: str) -> str:
    """The separator the header line uses most (outside quotes): ',', ';' or a tab."""
    header = QUOTED.sub("", text.lstrip("\n").split("\n", 1)[0])
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


QUOTED = re.compile(r'"(?:[^"]|"")*"')


def read_table(path: Path, header: str = "the first column names the participant id") -> list[dict[str, str]]:
    """A CSV (comma, semicolon or tab separated; UTF-8 with or without BOM, or cp1252) as rows;
    `header` says, in a refusal, what its header row should be."""
    rows = read_rows(path)
    if len(rows) < 1 or not rows[0] or not rows[0][0].strip():
        raise ImportRefused(f"{path}: no header row ({header})")
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
    """Interview details by transcript id: date, duration (minutes), interviewer, focus_group
    (yes/no; an empty cell leaves the transcript as it is). A transcript given twice with
    other details is refused."""
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
                raise ImportRefused(inert(f"{path}: duration '{duration}' of {transcript} "
                                          "is not a number of minutes")) from None
        if keys.get("interviewer"):
            entry["interviewer"] = keys["interviewer"]
        if keys.get("focus_group", "").strip():
            from workbench.sources.focus_group import is_yes

            entry["focus_group"] = is_yes(keys["focus_group"], f"{path}: {transcript}")
        tid = Path(transcript).stem
        if details.get(tid, entry) != entry:
            raise ImportRefused(inert(f"{path}: {transcript} is given twice, with other details; keep one row"))
        details[tid] = entry
    return details


def is_interviews_table(path: Path) -> bool:
    """A .csv whose header names a `transcript` column (and is no speakers file): interviews.csv."""
    if Path(path).suffix.lower() != ".csv" or not Path(path).is_file():
        return False
    rows = read_rows(path)
    header = {h.strip().casefold() for h in rows[0]} if rows else set()
    return "transcript" in header and not {"label", "participant"} <= header


@dataclass
class DetailsPlan:
    """What interviews.csv and a speakers file change in transcripts already imported, checked
    and nothing written: each changed transcript's new entry and what to tell the user."""

    infos: dict[str, TranscriptInfo]
    said: list[str]
    unknown: list[str]  # transcripts the details name that the project does not hold
    unknown_speakers: list[str]  # the same for the speakers file
    imported: set[str]  # transcripts imported now: their details are applied as they are


def plan_interview_details(project: Project, details: dict[str, dict],
                           speaker_ids: dict[str, dict[str, str]] | None = None, *,
                           imported=frozenset()) -> DetailsPlan:
    """The changes `details` (read_interviews) and `speaker_ids` (read_speakers) make to the
    project's transcripts other than those `imported` now: date, duration, interviewer, and a
    transcript turned into a focus group or back (sources.focus_group.converted). Refuses,
    writing nothing, what cannot be applied; the caller checks the groups' participant ids
    (check_participant_ids) with the transcripts it imports."""
    from workbench.sources.focus_group import converted

    speaker_ids = speaker_ids or {}
    stored = project.manifest["transcripts"]
    plan = DetailsPlan({}, [], [], [], set(imported))
    for tid in dict.fromkeys([*details, *speaker_ids]):
        if tid in imported:
            continue
        if tid not in stored:
            (plan.unknown if tid in details else plan.unknown_speakers).append(tid)
            continue
        entry = details.get(tid, {})
        before = TranscriptInfo.from_dict(stored[tid])
        after = converted(project, before, focus_group=entry.get("focus_group"),
                          interviewer=entry.get("interviewer"), mapping=speaker_ids.get(tid))
        after.date, after.duration = entry.get("date", after.date), entry.get("duration", after.duration)
        if after.to_dict() != before.to_dict():
            plan.infos[tid] = after
            plan.said.append(f"{tid}: " + "; ".join(what_changed(project, before, after)))
    return plan


def what_changed(project: Project, before: TranscriptInfo, after: TranscriptInfo) -> list[str]:
    people = list(dict.fromkeys(after.speakers.values())) if after.is_focus_group else [after.participant]
    were = project.transcript_participants(before)
    said = []
    if after.is_focus_group and not before.is_focus_group:
        said.append(f"now a focus group of {plural(len(people), 'participant')}: {', '.join(people)}")
    elif before.is_focus_group and not after.is_focus_group:
        said.append(f"now an interview of {after.participant}, no longer a focus group (the speakers' ids are "
                    "kept in project.json should it be one again)")
    elif people != were:
        said.append(f"its participants are now {', '.join(people)} (were {', '.join(were)})")
    for name, label in (("interviewer", "interviewer"), ("date", "date"), ("duration", "duration")):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            shown = (lambda v: f"{v:g} minutes") if name == "duration" else str  # noqa: E731
            said.append(f"{label} {shown(new)}" + (f" (was {shown(old)})" if old is not None else ""))
    return said or ["its speakers' participant ids changed"]


def apply_interview_details(project: Project, details: dict[str, dict], plan: DetailsPlan | None = None,
                            attributes: dict[str, dict] | None = None) -> list[str]:
    """Set date, duration and interviewer of the transcripts imported now (`plan.imported`)
    and what `plan` changes in the others (planned here when not given), with one manifest
    write (none when nothing changes); returns ids not found."""
    plan = plan if plan is not None else plan_interview_details(project, details)
    stored = project.manifest["transcripts"]
    infos = dict(plan.infos)
    arrived = {tid for tid in plan.unknown if tid in stored}  # the sources of a .qdpx imported meanwhile
    for tid in sorted((plan.imported | arrived) & set(details) & set(stored)):
        info = TranscriptInfo.from_dict(stored[tid])
        for key, value in details[tid].items():
            if key != "focus_group":  # a transcript imported now was made a group, or not, as it was read
                setattr(info, key, value)
        infos[tid] = info
    if infos or attributes:
        project.set_transcript_infos(list(infos.values()), attributes)
    return [tid for tid in plan.unknown if tid not in arrived]


def update_transcripts(project: Project, details: dict[str, dict], speaker_ids: dict[str, dict[str, str]] | None = None,
                       attributes: dict[str, dict] | None = None, *, interviews: Path | None = None,
                       speakers: Path | None = None) -> list[str]:
    """interviews.csv's `details`, a speakers file's `speaker_ids` and participants' attributes
    applied to transcripts already imported, all of it checked first (a transcript the project
    does not hold is refused, named), then one manifest write. Returns what changed, a line
    per transcript (none: nothing changed)."""
    from workbench.sources import refused
    from workbench.sources.focus_group import check_participant_ids

    plan = plan_interview_details(project, details, speaker_ids)
    for path, ids in ((interviews, plan.unknown), (speakers, plan.unknown_speakers)):
        if ids:
            raise refused(f"{path or 'transcripts'}: no transcript {', '.join(ids)} in the project ('workbench "
                          "transcripts' lists them); nothing was changed")
    check_participant_ids(project, list(plan.infos.values()), speaker_ids or {})
    known = project.manifest["participants"]
    attributes = {pid: values for pid, values in (attributes or {}).items()
                  if {**known.get(pid, {}), **values} != known.get(pid)}
    apply_interview_details(project, details, plan, attributes)
    return plan.said + ([f"attributes of {plural(len(attributes), 'participant')}"] if attributes else [])
