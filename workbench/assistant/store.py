"""The suggestions file: the assistant's proposals for one coder, kept as a coder file of its
own, `assistant-<coder>`, never in the coder's file.

A suggestion is a coding there (the code copied by path from the coder's codebook), with a
comment giving its score, the coder's codings it resembles and the model's fingerprint.
Accepting one adds the coding to the coder's own file (its history entry says it came from
the assistant) and settles the suggestion; rejecting it settles it too, and a settled
proposal (same passage, same code) is never made again. Settled proposals are kept as
resolution records of the assistant file (decision `accept` or `reject`).
"""

from __future__ import annotations

from workbench.errors import WorkbenchError
from workbench.model import Coding, Memo, Resolution, new_id, now

from workbench.project import ASSISTANT_PREFIX as PREFIX


def assistant_name(coder: str) -> str:
    return PREFIX + coder


def is_assistant(coder: str) -> bool:
    return coder.startswith(PREFIX)


def proposal_key(transcript: str, start: int, end: int, path: str) -> str:
    return f"suggestion|{transcript}|{start}|{end}|{path}"


def settled_proposals(assistant) -> set[tuple]:
    """(transcript, start, end, code path) of every accepted or rejected proposal."""
    found = set()
    for key, resolution in assistant.resolutions().items():
        if key.startswith("suggestion|") and resolution.decision in ("accept", "reject"):
            _, transcript, start, end, path = key.split("|", 4)
            found.add((transcript, int(start), int(end), path))
    return found


def write_suggestions(project, coder, suggestions, fingerprint: str, transcripts: set[str] | None = None) -> int:
    """Replace the open suggestions (of `transcripts`, or all) with these; one history entry."""
    with project.open_coder(assistant_name(coder.coder)) as assistant:
        new_codes, ids = assistant.codes_to_copy(coder)
        known = {**{c.id: c for c in assistant.codebook.by_id.values()}, **{c.id: c for c in new_codes}}
        by_path = {}
        for source_id, target_id in ids.items():
            by_path[coder.codebook.path(source_id)] = target_id
        stale = [c for c in assistant.codings() if transcripts is None or c.transcript in transcripts]
        stale_ids = {c.id for c in stale}
        stale_memos = [m for m in assistant.memos() if m.target_type == "coding" and m.target in stale_ids]
        add: list = list(new_codes)
        for s in suggestions:
            code_id = by_path.get(s.code)
            if code_id is None or code_id not in known:
                continue
            coding = Coding(id=new_id(), code=code_id, transcript=s.transcript, start=s.start, end=s.end, text=s.text)
            add.append(coding)
            add.append(Memo(id=new_id(), target_type="coding", target=coding.id,
                            text=f"score {s.score:.3f}; because {', '.join(b[:8] for b in s.because)}; "
                                 f"model {fingerprint[:16]}"))
        assistant.change_records("assistant.suggest", f"{len(suggestions)} suggestions for {coder.coder} "
                                 f"(model {fingerprint[:16]})", add=add, remove=[*stale, *stale_memos])
    return len(suggestions)


def open_suggestions(project, coder_name: str) -> list[dict]:
    """The open suggestions of a coder, in transcript order, each with an id to accept or reject."""
    name = assistant_name(coder_name)
    if name not in project.coders():
        return []
    with project.open_coder(name, readonly=True) as assistant:
        book = assistant.codebook
        comments = {m.target: m.text for m in assistant.memos() if m.target_type == "coding"}
        return [{"id": c.id, "transcript": c.transcript, "start": c.start, "end": c.end,
                 "code": book.path(c.code) if c.code in book else c.code, "text": c.text,
                 "why": comments.get(c.id, "")} for c in assistant.codings()]


def settle(project, coder_file, suggestion_ref: str, decision: str):
    """Accept (into `coder_file`, which the caller holds open and locked) or reject one."""
    if decision not in ("accept", "reject"):
        raise WorkbenchError("a suggestion is accepted or rejected")
    with project.open_coder(assistant_name(coder_file.coder), must_exist=True) as assistant:
        suggestion = assistant.coding(suggestion_ref)
        path = assistant.codebook.path(suggestion.code)
        made = None
        if decision == "accept":
            code = coder_file.code(path)
            made = next((c for c in coder_file.codings(transcript=suggestion.transcript) if c.code == code.id
                         and (c.start, c.end) == (suggestion.start, suggestion.end)), None)
        if decision == "accept" and made is None:  # not already accepted (a crash between the two files)
            made = Coding(id=new_id(), code=code.id, transcript=suggestion.transcript, start=suggestion.start,
                          end=suggestion.end, text=suggestion.text)
            coder_file.change_records("assistant.accept", f"accept the assistant's suggestion: code "
                                      f"{suggestion.transcript} {suggestion.start}-{suggestion.end} as {path}",
                                      add=[made])
        memos = [m for m in assistant.memos() if m.target_type == "coding" and m.target == suggestion.id]
        key = proposal_key(suggestion.transcript, suggestion.start, suggestion.end, path)
        resolution = Resolution(id=key, code=path, transcript=suggestion.transcript, unit="suggestion",
                                decision=decision, a_spans=[[suggestion.start, suggestion.end]], created=now())
        assistant.change_records(f"assistant.{decision}", f"{decision} {suggestion.transcript} "
                                 f"{suggestion.start}-{suggestion.end} as {path}",
                                 add=[resolution], remove=[suggestion, *memos])
    return made
