"""The COREQ items a project can answer from what it holds, filled in.

COREQ: Tong A, Sainsbury P, Craig J. Consolidated criteria for reporting qualitative research:
a 32-item checklist for interviews and focus groups. Int J Qual Health Care 2007;19(6):349-57.
Item numbers and names follow that checklist; the others are the authors' to answer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from workbench import __version__
from workbench.report.sample import describe_sample, plural
from workbench.sources.attribution import interviewer_labels
from workbench.transcripts.segment import INTERVIEWER_LABELS, PARTICIPANT_LABELS

CONSENSUS_NAMES = {"consensus"}
HISTORY_EVENTS_SHOWN = 40
# Labels that name a role or a voice, not a person: `Speaker 2:`, `Host:`.
ROLE_LABELS = re.compile(r"^(speaker|spk|voice|person|unknown|host|interviewers?|researchers?|moderators?|"
                         r"facilitators?|staff|team)( ?\d+)?$")
KIND_NAMES = {"category": ("category", "categories"), "theme": ("theme", "themes"),
              "subtheme": ("subtheme", "subthemes"), "code": ("code", "codes")}


@dataclass
class CoreqItem:
    number: int
    item: str
    answer: str
    details: list[str] | None = None


def coreq_items(project, coder, table) -> list[CoreqItem]:
    transcripts = project.transcripts()
    sample = describe_sample(project)
    per_participant = Counter(t.participant for t in transcripts if t.kind == "interview")  # repeat interviews
    repeated = sum(1 for n in per_participant.values() if n > 1)
    noted = transcripts_with_field_notes(project, coder)
    coders = project.coders(assistants=False)
    independent = [c for c in coders if c.casefold() not in CONSENSUS_NAMES]
    book = coder.codebook
    kinds = Counter(c.kind for c in book.walk())
    quotes_note = sample.citation()
    interviews = sum(per_participant.values())
    others = [plural(n, kind) for kind, n in (("focus group", len(sample.focus_groups)),
                                              ("survey answer", sample.survey[2] if sample.survey else 0)) if n]
    once = f"one interview per participant ({interviews} in all)" if interviews else "no interviews"
    items = [
        interviewer_item(project, transcripts),
        CoreqItem(12, "Sample size", plural(sample.participants, "participant")),
        CoreqItem(16, "Description of sample", "; ".join(f"{label}: {text}" for label, text in sample.lines())),
        CoreqItem(18, "Repeat interviews",
                  (f"yes: {repeated} of {plural(sample.participants, 'participant')} interviewed more than once, "
                   f"{plural(interviews, 'interview')} in {plural(len(sample.waves), 'wave')}")
                  if repeated else f"no: {', '.join([once, *others])}"),
        CoreqItem(20, "Field notes",
                  f"field notes for {noted} of {plural(len(transcripts), 'interview')} (transcript memos)"
                  if noted else "no field notes recorded in the project"),
        CoreqItem(21, "Duration", sample.duration.text(" min") if sample.duration else "not recorded"),
        CoreqItem(24, "Number of data coders",
                  f"{plural(len(independent), 'coder')} ({', '.join(independent)})"
                  + (f", and a consensus file ({', '.join(sorted(set(coders) - set(independent)))})"
                     if len(independent) < len(coders) else "") + f"; this report is from '{coder.coder}'"),
        CoreqItem(25, "Description of the coding tree",
                  ", ".join(f"{kinds[k]} {KIND_NAMES[k][kinds[k] != 1]}" for k in KIND_NAMES if kinds[k])
                  + " (the thematic map shows the tree)" if len(book) else "no codes yet"),
        derivation_of_themes(coder),
        CoreqItem(27, "Software", f"Workbench {__version__} (coding, salience, matrix and this report)"),
        CoreqItem(29, "Quotations presented",
                  f"yes: {quotes_note}; grammar-corrected quotes keep their verbatim text in the project"),
        CoreqItem(31, "Clarity of major themes",
                  "themes are reported under their macro-categories, ordered by salience: " + table.formula),
    ]
    return items


def interviewer_item(project, transcripts) -> CoreqItem:
    """COREQ 1: the interviewers recorded at import; for interviews without one, the names
    their interviewer turns are labelled with (`Dan:`), when those are names and not roles."""
    recorded = sorted({t.interviewer.strip() for t in transcripts if t.interviewer and t.interviewer.strip()})
    unrecorded = [t for t in transcripts if not (t.interviewer and t.interviewer.strip())]
    named: Counter = Counter()  # name -> interviews in which it labels the interviewer's turns
    unnamed = 0
    for info in unrecorded:
        speakers = interviewer_names(project, info.id)
        named.update(speakers)
        unnamed += not speakers
    from_turns = [name for name, _ in sorted(named.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
                  if name not in recorded]
    parts = recorded + [f"{name} (named in the interviewer's turns)" for name in from_turns]
    if not parts:
        return CoreqItem(1, "Interviewer/facilitator", "not recorded")
    answer = ", ".join(parts)
    if unnamed:
        answer += f" ({unnamed} of {plural(len(transcripts), 'interview')} without an interviewer recorded or named)"
    return CoreqItem(1, "Interviewer/facilitator", answer)


def interviewer_names(project, transcript_id: str) -> set[str]:
    """The speaker labels of a transcript's interviewer turns that are a person's name."""
    return {label for label in interviewer_labels(project, transcript_id) if is_a_name(label)}


def is_a_name(label: str) -> bool:
    key = " ".join(label.casefold().split())
    return (any(ch.isalpha() for ch in key) and not INTERVIEWER_LABELS.match(key)
            and not PARTICIPANT_LABELS.match(key) and not ROLE_LABELS.match(key))


def transcripts_with_field_notes(project, coder) -> int:
    """Transcripts that carry a memo in any coder's file (field notes and reflections)."""
    noted = {m.target for m in coder.memos() if m.target_type == "transcript" and m.text.strip()}
    for name in project.coders(assistants=False):
        if name == coder.coder:
            continue
        try:
            with project.open_coder(name, readonly=True) as other:
                noted |= {m.target for m in other.memos() if m.target_type == "transcript" and m.text.strip()}
        except Exception:  # noqa: BLE001  another coder's damaged file must not stop the report
            continue
    known = {t.id for t in project.transcripts()}
    return len(noted & known)


def derivation_of_themes(coder) -> CoreqItem:
    """COREQ 26 from the coder's history: how codes were created, renamed, moved, merged and re-kinded."""
    done = [e for e in coder.history() if e.state == "done"]
    counts = Counter()
    events = []
    for entry in done:
        label = theme_event(entry)
        if label is None:
            continue
        counts[label] += 1
        if label != "codes created":  # the themes' story; plain codes are too many to list
            events.append(f"{entry.time[:10]} ({label}): {entry.summary}")
    if not counts:
        return CoreqItem(26, "Derivation of themes", "no changes to the codebook recorded")
    order = ["codes created", "themes created", "renamed", "moved", "merged", "kind changed"]
    answer = ("derived from the data; codebook history: "
              + ", ".join(f"{label} {counts[label]}" for label in order if counts[label])
              + "; the full audit trail by Braun and Clarke's phases: workbench audit")
    shown = events[:HISTORY_EVENTS_SHOWN]
    if len(events) > len(shown):
        shown.append(f"… and {len(events) - len(shown)} more (workbench history)")
    return CoreqItem(26, "Derivation of themes", answer, shown)


def theme_event(entry) -> str | None:
    if entry.action == "code.add":
        after = (entry.changes or [{}])[0].get("after") or {}
        return "codes created" if after.get("kind", "code") == "code" else "themes created"
    if entry.action == "code.set":
        if any((c.get("before") or {}).get("kind") != (c.get("after") or {}).get("kind") for c in entry.changes):
            return "kind changed"
        return None
    return {"code.rename": "renamed", "code.move": "moved", "code.merge": "merged"}.get(entry.action)
