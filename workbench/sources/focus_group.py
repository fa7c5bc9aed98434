"""Focus groups: one transcript, every speaker but the moderator a participant of it.

`workbench import FG1.txt --focus-group` (or `focus_group` = yes in interviews.csv) records
each non-interviewer speaker label of the transcript as a participant: by default the label
itself (`Anna`, `Speaker 3`, `id1`); a speakers file (`transcript,label,participant`) gives
other ids, for pseudonyms or for one person who speaks in several groups. Labels are matched
ignoring case. A default id that is already another transcript's participant is refused (two
groups' `Speaker 1` are not one person unless a speakers file says so).
"""

from __future__ import annotations

from pathlib import Path

from workbench.sources import refused

TRUE_WORDS = {"yes", "y", "true", "1", "x", "focus group", "focus_group", "group", "fg"}
FALSE_WORDS = {"", "no", "n", "false", "0", "interview"}


def is_yes(value: str, where: str) -> bool:
    word = value.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise refused(f"{where}: focus_group '{value}' is neither yes nor no")


def read_speakers(path: Path) -> dict[str, dict[str, str]]:
    """A speakers file: transcript id -> {label: participant id}."""
    from workbench.importing import read_table

    found: dict[str, dict[str, str]] = {}
    for number, row in enumerate(read_table(path), start=2):
        keys = {k.casefold().strip(): v.strip() for k, v in row.items()}
        missing = [c for c in ("transcript", "label", "participant") if c not in keys]
        if missing:
            raise refused(f"{path}: needs the columns transcript, label, participant (no {', '.join(missing)})")
        transcript, label, participant = keys["transcript"], keys["label"], keys["participant"]
        if not (transcript and label and participant):
            raise refused(f"{path}: row {number} leaves transcript, label or participant empty")
        labels = found.setdefault(Path(transcript).stem, {})
        earlier = next((pid for known, pid in labels.items() if known.casefold() == label.casefold()), None)
        if earlier is not None and earlier != participant:
            raise refused(f"{path}: row {number} gives '{label}' of {transcript} a second participant "
                                f"({earlier}, then {participant})")
        labels[label] = participant
    return found


def group_speakers(info, turns, mapping: dict[str, str] | None, where: str) -> dict[str, str]:
    """The label -> participant map of a focus group from its turns, checked against the
    speakers file's rows for it (each of its labels must be a participant's label)."""
    mapping = mapping or {}
    wanted = {label.casefold(): pid for label, pid in mapping.items()}
    labels = {t.speaker: t.role for t in turns if t.speaker is not None}
    folded = {label.casefold(): role for label, role in labels.items()}
    for label in mapping:
        role = folded.get(label.casefold())
        if role is None:
            said = ", ".join(sorted(labels, key=str.casefold)) or "none"
            raise refused(f"{where}: the speakers file names '{label}', who does not speak in it (speakers: {said})")
        if role == "interviewer":
            raise refused(f"{where}: the speakers file names '{label}', who speaks as the moderator "
                                "(interviewer); give the moderator with --interviewer or in interviews.csv")
    speakers = {label: wanted.get(label.casefold(), label) for label, role in labels.items() if role != "interviewer"}
    if not speakers:
        raise refused(f"{where}: no speaker labels besides the moderator's, so no participant can be told "
                            "apart; a focus group needs labelled turns (Name:, [id1], Speaker 3:)")
    return speakers


def check_participant_ids(project, infos, explicit: dict[str, dict[str, str]]) -> None:
    """Refuse a focus group whose default (label) participant ids are other transcripts'
    participants, in the project or among the files imported together (an id the speakers
    file gives, or the replaced transcript already had, is taken as meant)."""
    owners: dict[str, str] = {}
    batch = {info.id for info in infos}
    for other in project.transcripts():
        if other.id not in batch:
            for pid in project.transcript_participants(other):
                owners.setdefault(pid, other.id)
    for info in infos:
        if not info.is_focus_group:  # an interview's participant may well speak in a group too
            for pid in project.transcript_participants(info):
                owners.setdefault(pid, info.id)
            continue
        people = list(info.speakers.values())
        named = set((explicit.get(info.id) or {}).values())
        named |= set((project.manifest["transcripts"].get(info.id, {}).get("speakers") or {}).values())  # --replace
        for pid in dict.fromkeys(people):
            owner = owners.get(pid)
            if owner is not None and owner != info.id and pid not in named:
                raise refused(
                    f"{info.id}: speaker '{pid}' would be the same participant as '{pid}' of {owner}; give a "
                    f"speakers file (--speakers: transcript,label,participant) saying who is who")
        for pid in people:
            owners.setdefault(pid, info.id)
