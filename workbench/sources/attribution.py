"""Who speaks in a coding: the one function every count by participant goes through.

An interview's or a survey answer's coding belongs to its transcript's participant, wherever
it lies (as before focus groups existed). A focus-group coding belongs to the participants
who speak in the turns it covers (a turn runs from its label to its last character), in the
order they first speak; a coding that covers only the moderator's (interviewer's) turns, or
text before the first label, belongs to nobody: it counts as a coding, not for a participant.
"""

from __future__ import annotations

import string
from bisect import bisect_right
from collections.abc import Mapping
from types import MappingProxyType

from workbench.errors import WorkbenchError

DEFAULT_QUOTE_FORMATS = {"interview": "{quote_id}", "focus_group": "{transcript}, {participant}",
                         "survey": "{quote_id}"}
QUOTE_FIELDS = ("transcript", "participant", "wave", "quote_id", "question")


def speaker_participants(info, project) -> dict[str, str]:
    """Speaker label -> participant id of a transcript's non-interviewer speakers. A focus
    group's labels become participant ids as written unless its speakers file maps them
    (`info.speakers`, matched ignoring case); an interview's speakers are all its participant."""
    mapped = {label.casefold(): pid for label, pid in (info.speakers or {}).items()}
    found: dict[str, str] = {}
    for turn in project.segments(info.id).turns:
        if turn.role == "interviewer" or turn.speaker is None or turn.speaker in found:
            continue
        found[turn.speaker] = (mapped.get(turn.speaker.casefold(), turn.speaker)
                               if info.is_focus_group else info.participant)
    return found


def turn_owners(info, project) -> list[str | None]:
    """The participant who speaks each turn of a transcript, in turn order; None for the
    interviewer's (moderator's) turns and text before the first label."""
    by_label = speaker_participants(info, project)
    return [None if t.role == "interviewer" or t.speaker is None else by_label.get(t.speaker)
            for t in project.segments(info.id).turns]


def interviewer_labels(project, transcript_id: str) -> list[str]:
    """The speaker labels of a transcript's interviewer (moderator) turns, in the order they
    first speak: who its turns say asked the questions (none for a transcript that cannot be
    read: doctor reports it)."""
    try:
        turns = project.segments(transcript_id).turns
    except WorkbenchError:
        return []
    return list(dict.fromkeys(t.speaker.strip() for t in turns
                              if t.role == "interviewer" and t.speaker and t.speaker.strip()))


def first_turn(project, transcript_id: str, participant: str) -> tuple[int, int] | None:
    """Where a participant first speaks in a transcript (their turn, label and all), or None."""
    info = project.transcript(transcript_id)
    for turn, owner in zip(project.segments(info.id).turns, turn_owners(info, project)):
        if owner == participant:
            return turn.label_start, turn.end
    return None


def quote_formats(project) -> dict[str, str]:
    """The project's quote formats by source kind (`quote_format` in project.json), checked."""
    given = project.manifest.get("quote_format") or {}
    if isinstance(given, str):
        given = {"focus_group": given}
    if not isinstance(given, dict):
        raise WorkbenchError(f"{project.manifest_path}: 'quote_format' must map a source kind to a format")
    formats = dict(DEFAULT_QUOTE_FORMATS)
    for kind, fmt in given.items():
        if kind not in DEFAULT_QUOTE_FORMATS or not isinstance(fmt, str):
            raise WorkbenchError(f"{project.manifest_path}: quote_format '{kind}' is not one of "
                                 f"{', '.join(DEFAULT_QUOTE_FORMATS)} with a text format")
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(fmt) if name is not None}
        except ValueError as err:
            raise WorkbenchError(f"{project.manifest_path}: quote_format '{kind}': {err}") from None
        unknown = names - set(QUOTE_FIELDS)
        if unknown:
            raise WorkbenchError(f"{project.manifest_path}: quote_format '{kind}' names "
                                 f"{', '.join(sorted(n or '{}' for n in unknown))}; "
                                 f"use {', '.join('{' + f + '}' for f in QUOTE_FIELDS)}")
        try:  # a format spec Python rejects ({participant:%}) is told here, not as a traceback mid-report
            fmt.format(transcript="FG1", participant="P3", wave=1, quote_id="50002_2", question="q7")
        except (ValueError, TypeError) as err:
            raise WorkbenchError(f"{project.manifest_path}: quote_format '{kind}': {err}") from None
        formats[kind] = fmt
    return formats


class Attribution:
    """Participants of codings and transcripts for one project, as it stands now."""

    def __init__(self, project):
        self.project = project
        # From the roster or the manifest's entries, never TranscriptInfo objects: a survey has 40,000.
        self._kinds: dict[str, str] = {}
        self._fixed: dict[str, str | None] = {}  # transcript -> its one participant, unless a focus group
        self._focus_groups: list[str] = []
        for tid, (kind, participant) in project.sources():
            self._kinds[tid] = kind
            if kind != "focus_group":
                self._fixed[tid] = participant
            else:
                self._focus_groups.append(tid)
        self._infos: dict | None = None
        self._groups: dict[str, tuple[list[int], list[int], list[str | None]]] = {}
        self._formats: dict[str, str] | None = None

    @property
    def infos(self) -> dict:
        """Every transcript's TranscriptInfo by id, in the project's order."""
        if self._infos is None:
            self._infos = {t.id: t for t in self.project.transcripts()}
        return self._infos

    def info(self, transcript_id: str):
        if self._infos is not None:
            return self._infos.get(transcript_id)
        return self.project.transcript(transcript_id) if transcript_id in self._kinds else None

    def kinds(self) -> Mapping[str, str]:
        """Each transcript's kind of source ("interview", "focus_group", "survey") by id (read-only:
        a survey's 40,000 are not copied for each count)."""
        return MappingProxyType(self._kinds)

    def of(self, coding) -> tuple[str, ...]:
        """The participant(s) a coding is attributed to."""
        tid = coding.transcript
        return (self._fixed[tid],) if tid in self._fixed else self.span(tid, coding.start, coding.end)

    def fixed(self, transcript_id: str) -> str | None:
        """The participant every coding of the transcript belongs to, wherever it lies (an
        interview, a survey answer); None when it depends on the span (a focus group) or the
        transcript is unknown. Lets a count over 50,000 codings go per transcript."""
        return self._fixed.get(transcript_id)

    def fixed_participants(self) -> Mapping[str, str | None]:
        """`fixed` for every transcript at once (read-only): transcript id -> its one
        participant, for each transcript that is not a focus group."""
        return MappingProxyType(self._fixed)

    def span(self, transcript_id: str, start: int, end: int) -> tuple[str, ...]:
        if transcript_id in self._fixed:
            return (self._fixed[transcript_id],)
        if transcript_id not in self._kinds:
            return ()
        starts, ends, people = self._turns(transcript_id)
        i = bisect_right(ends, start)  # the first turn that ends after the span starts
        found: list[str] = []
        while i < len(starts) and (starts[i] < end or (start >= end and starts[i] <= start)):
            if people[i] is not None and people[i] not in found:
                found.append(people[i])
            i += 1
        return tuple(found)

    def transcript(self, transcript_id: str) -> list[str]:
        """Every participant of a transcript."""
        if transcript_id in self._fixed:
            return [self._fixed[transcript_id]]
        info = self.info(transcript_id)
        return [] if info is None else self.project.transcript_participants(info)

    def everyone(self) -> set[str]:
        """The participants with a transcript (the N of 'participants / N')."""
        people = set(self._fixed.values())
        for tid in self._focus_groups:
            people.update(self.transcript(tid))
        return people

    def quote_id(self, coding) -> str:
        """How a quote from this coding is cited: the project's format for its kind of source."""
        return self.quote_id_of(coding.transcript, coding.start, coding.end)

    def quote_id_of(self, transcript_id: str, start: int, end: int) -> str:
        info = self.info(transcript_id)
        if info is None:
            return transcript_id
        people = self.span(transcript_id, start, end)
        if not people:  # only the moderator speaks in it
            return info.id
        if self._formats is None:
            self._formats = quote_formats(self.project)
        return self._formats.get(info.kind, "{quote_id}").format(
            transcript=info.id, participant=", ".join(people), wave=info.wave,
            quote_id=info.quote_id if not info.is_focus_group else ", ".join(people), question=info.question or "")

    def _turns(self, transcript_id: str):
        if transcript_id not in self._groups:
            info = self.info(transcript_id)
            turns = self.project.segments(transcript_id).turns
            self._groups[transcript_id] = ([t.label_start for t in turns], [t.end for t in turns],
                                           turn_owners(info, self.project))
        return self._groups[transcript_id]
