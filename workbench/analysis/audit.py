"""The audit trail: how the themes were derived, read from every coder's history (COREQ
item 26, "Derivation of themes").

Each codebook change (a code created, renamed, moved, merged, deleted, its kind changed, its
definition written), each memo on a code, each settled disagreement and each import becomes
one event, with its date, its coder and the code's memo as it stood then. Codings are too
many to list: they are counted per coder and day. Events are grouped by the phase of Braun
and Clarke (2006) that their kinds show: the phases are read from what was done, not from
the calendar, so a code created late still counts under "generating initial codes".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

PHASES = (
    ("familiarisation", "1. Familiarising with the data (field notes, transcript memos, journal)"),
    ("codes", "2. Generating initial codes"),
    ("themes", "3. Searching for themes"),
    ("review", "4. Reviewing themes (merges, moves between themes, deletions, disagreements settled)"),
    ("naming", "5. Defining and naming themes"),
)
THEME_KINDS = {"theme", "subtheme", "category"}


@dataclass
class Event:
    time: str
    coder: str
    action: str
    summary: str
    phase: str
    code: str | None = None  # the code's path when the event is about one code
    memo: str | None = None  # the code's memo as it stood after the event

    def as_dict(self) -> dict:
        return {"time": self.time, "coder": self.coder, "action": self.action, "summary": self.summary,
                "phase": self.phase, "code": self.code, "memo": self.memo}


@dataclass
class Audit:
    events: list[Event]
    codings_by_day: list[dict] = field(default_factory=list)  # {"coder", "day", "added", "removed"}

    def as_dict(self) -> dict:
        return {"phases": [{"phase": key, "title": title, "events": [e.as_dict() for e in self.events if e.phase == key]}
                           for key, title in PHASES],
                "codings_by_day": self.codings_by_day}


def code_change(entry) -> tuple[dict | None, dict | None]:
    for change in entry.changes:
        if change.get("kind") == "code":
            return change.get("before"), change.get("after")
    return None, None


def phase_of(entry, before: dict | None, after: dict | None) -> str | None:
    """The Braun and Clarke phase an entry shows, or None for entries the audit counts instead."""
    action = entry.action
    kind = (after or before or {}).get("kind")
    if action.startswith("coding.") or action == "codings.update":
        return None
    if action in ("code.merge", "code.delete", "agreement.resolve") or action.startswith("merge."):
        return "review"
    if action == "memo.edit" or action == "memo.remove" or action == "journal.add":
        target = next((c.get("after") or c.get("before") for c in entry.changes if c.get("kind") == "memo"), {}) or {}
        if target.get("target_type") in ("transcript", "project"):
            return "familiarisation"
        return "naming" if target.get("target_type") == "code" else None
    if action == "code.add":
        return "themes" if kind in THEME_KINDS else "codes"
    if action == "code.set":
        if before and after and before.get("kind") != after.get("kind"):
            return "themes"
        return "naming"  # a definition or a colour written
    if action == "code.rename":
        return "naming" if kind in THEME_KINDS else "codes"
    if action == "code.move":
        return "themes" if before and before.get("parent") is None else "review"
    return "codes" if action.endswith(".import") or action == "codebook.copy" else None


def count_codings(days: Counter, coder: str, entry) -> None:
    """Count the entry's coding changes under (coder, day, added|removed|changed)."""
    day = entry.time[:10]
    for change in entry.changes:
        if change.get("kind") == "coding":
            before, after = change.get("before"), change.get("after")
            days[(coder, day, "added" if after and not before else "removed" if before and not after else "changed")] += 1


def build_audit(project, coders: list[str] | None = None) -> Audit:
    events: list[Event] = []
    days: Counter = Counter()
    for name in coders or project.coders(assistants=False):
        with project.open_coder(name, readonly=True, must_exist=True, with_codings=False) as coder:
            book = coder.codebook
            memo_of: dict[str, str] = {}  # code id -> its memo as the history has it so far
            for entry in coder.history():
                if entry.state != "done":
                    continue
                if entry.action.startswith("coding.") or entry.action == "codings.update":
                    count_codings(days, name, entry)  # the bulk of any history: counted, not listed
                    continue
                for change in entry.changes:
                    record = change.get("after") or change.get("before") or {}
                    if change.get("kind") == "memo" and record.get("target_type") == "code":
                        memo_of[record.get("target")] = (change.get("after") or {}).get("text", "")
                count_codings(days, name, entry)
                before, after = code_change(entry)
                phase = phase_of(entry, before, after)
                if phase is None:
                    continue
                code_id = (after or before or {}).get("id")
                if code_id is None:
                    memo = next((c.get("after") or c.get("before") for c in entry.changes if c.get("kind") == "memo"), None)
                    code_id = memo.get("target") if memo and memo.get("target_type") == "code" else None
                path = book.path(code_id) if code_id in book else (after or before or {}).get("name")
                events.append(Event(entry.time, name, entry.action, entry.summary, phase, path,
                                    memo_of.get(code_id) or None))
    events.sort(key=lambda e: (e.time, e.coder))
    per_day: dict[tuple, dict] = {}
    for (name, day, what), count in sorted(days.items()):
        row = per_day.setdefault((name, day), {"coder": name, "day": day, "added": 0, "removed": 0, "changed": 0})
        row[what] += count
    return Audit(events, list(per_day.values()))


def audit_markdown(audit: Audit) -> str:
    from workbench.terminal_safety import inert

    lines = ["# Audit trail: how the themes were derived", "",
             "From every coder's history (COREQ item 26). Phases after Braun and Clarke (2006), "
             "read from the kind of each change.", ""]
    for key, title in PHASES:
        chosen = [e for e in audit.events if e.phase == key]
        lines += [f"## {title}", ""]
        if not chosen:
            lines += ["Nothing recorded.", ""]
            continue
        for e in chosen:
            lines.append(f"- {e.time[:16].replace('T', ' ')} · {inert(e.coder)} · {inert(e.summary)}")
            if e.memo:
                lines.append(f"  - memo then: {inert(' '.join(e.memo.split()))}")
        lines.append("")
    if audit.codings_by_day:
        lines += ["## Coding, by coder and day", "", "| coder | day | added | removed | changed |",
                  "| --- | --- | --- | --- | --- |"]
        lines += [f"| {inert(r['coder'])} | {r['day']} | {r['added']} | {r['removed']} | {r['changed']} |"
                  for r in audit.codings_by_day]
        lines.append("")
    return "\n".join(lines)
