"""Focus groups: one transcript, every speaker but the moderator a participant of it.

`workbench import FG1.txt --focus-group` (or `focus_group` = yes in interviews.csv) records
each non-interviewer speaker label of the transcript as a participant: by default the label
itself (`Anna`, `Speaker 3`, `id1`); a speakers file (`transcript,label,participant`) gives
other ids, for pseudonyms or for one person who speaks in several groups. Labels are matched
ignoring case. A default id that is already another transcript's participant is refused (two
groups' `Speaker 1` are not one person unless a speakers file says so).

A transcript already imported becomes a group, or an interview again, the same way
(`converted`: interviews.csv's focus_group column, a speakers file, `workbench transcripts
focus-group ID`): its text and its codings' offsets stay as they are, and its codings are
counted by speaker from then on (workbench.sources.attribution).
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


COLUMNS = "transcript,label,participant"


def read_speakers(path: Path) -> dict[str, dict[str, str]]:
    """A speakers file: transcript id -> {label: participant id}."""
    from workbench.importing import read_table

    found: dict[str, dict[str, str]] = {}
    rows = read_table(path, COLUMNS)
    if not rows:  # given to keep names out: naming nobody would store the names in the text
        raise refused(f"{path}: no speakers in it (rows of {COLUMNS})")
    for number, row in enumerate(rows, start=2):
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
    speakers = speaker_map(turns, mapping)
    if not speakers:
        raise refused(f"{where}: no speaker labels besides the moderator's, so no participant can be told "
                            "apart; a focus group needs labelled turns (Name:, [id1], Speaker 3:)")
    return speakers


def speaker_map(turns, mapping: dict[str, str] | None) -> dict[str, str]:
    """Label -> participant id of the non-interviewer speakers of `turns`, in the order they
    first speak: the id `mapping` gives the label (matched ignoring case), else the label as
    first written (`ANNA` and later `Anna` are one speaker, as labels are matched everywhere)."""
    wanted = {label.casefold(): pid for label, pid in (mapping or {}).items()}
    found: dict[str, str] = {}
    for turn in turns:
        if turn.speaker is not None and turn.role != "interviewer" and turn.speaker not in found:
            found[turn.speaker] = wanted.setdefault(turn.speaker.casefold(), turn.speaker)
    return found


def kept_speakers(recorded: dict[str, str] | None, turns) -> dict[str, str]:
    """The entries of a group's recorded label map whose labels still speak as participants in
    `turns` (a corrected text, another moderator): the ids it gave are kept, the rest dropped."""
    speaking = {t.speaker.casefold() for t in turns if t.speaker is not None and t.role != "interviewer"}
    return {label: pid for label, pid in (recorded or {}).items() if label.casefold() in speaking}


def converted(project, info, *, focus_group: bool | None, interviewer: str | None = None,
              mapping: dict[str, str] | None = None):
    """What an imported transcript becomes, nothing written: a focus group (`focus_group`
    True, or a speakers file's `mapping` given), an interview of its one participant again
    (False) or what it is (None), its moderator told by `interviewer` (None: as recorded).
    Its text, and so every coding's offsets, stays as it is; only who speaks where changes.
    A group's ids are the speakers file's, else those it had (an interview that was a group
    keeps its label map), else the labels."""
    from workbench.project import TranscriptInfo, segmentation_key
    from workbench.transcripts.segment import segment

    after = TranscriptInfo.from_dict(info.to_dict())
    if interviewer:
        after.interviewer = interviewer
    group = (info.is_focus_group or mapping is not None) if focus_group is None else focus_group
    if mapping is not None and not group and not info.is_focus_group:
        raise refused(f"{info.id}: the speakers file gives its speakers, but it is an interview and is to stay "
                      "one (focus_group no); leave one of them out")
    if info.kind == "survey":
        if group:
            raise refused(f"{info.id}: a survey answer cannot be a focus group (it has one respondent)")
        return after
    if not group and not info.is_focus_group:
        return after
    if segmentation_key(after) == segmentation_key(info):
        turns = project.segments(info.id).turns
    else:  # another moderator: the turns' roles as the project will segment them from now on
        turns = segment(project.text(info.id), participant=after.participant, interviewer=after.interviewer).turns
    if group:
        if mapping is None:
            mapping = kept_speakers(info.speakers, turns)
        after.kind, after.speakers = "focus_group", group_speakers(after, turns, mapping, info.id)
        return after
    speakers = (speaker_map(turns, kept_speakers(info.speakers, turns)) if mapping is None
                else group_speakers(after, turns, mapping, info.id))
    people = list(dict.fromkeys(speakers.values()))
    if len(people) > 1:
        raise refused(f"{info.id}: {len(people)} participants speak in it ({', '.join(people)}), and an "
                      "interview has one: keep it a focus group, or give every speaker but the moderator "
                      "one participant id in a speakers file (transcript,label,participant)")
    after.kind, after.speakers = "interview", speakers or None  # kept: the same ids should it be a group again
    if people:
        after.participant = people[0]
    return after


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
