"""Answers to the interviewer's questions, as (start, end) spans of each transcript.

An interviewer turn opens a question; the answer is the run of participant turns up to the
next interviewer turn (participant turns before the first question answer nothing). The
spans come from the cached segmentation and are kept in one small file,
`cache/answers.json`, keyed like the segmentation cache (the transcript's hash, the
segmentation version, the interviewer), so reading every transcript's answers costs one
file read instead of loading every turn and sentence.
"""

from __future__ import annotations

import orjson

from workbench.project import segmentation_key
from workbench.securefs import atomic_write, make_private_dir

CACHE_NAME = "answers.json"
CACHE_VERSION = 1


def answer_spans(turns) -> list[tuple[int, int]]:
    """(start, end) of each answer: the participant turns between one interviewer turn and the next."""
    spans: list[tuple[int, int]] = []
    asked, start, end = False, None, None
    for turn in turns:
        if turn.role == "interviewer":
            if start is not None:
                spans.append((start, end))
            asked, start, end = True, None, None
        elif asked and turn.end > turn.start:
            start = turn.start if start is None else start
            end = turn.end
    if start is not None:
        spans.append((start, end))
    return spans


def cache_key(info) -> str:
    return segmentation_key(info)


def answers_by_transcript(project, transcript_ids, infos: dict | None = None) -> dict[str, list[tuple[int, int]]]:
    """Answer spans of each transcript, from the cache where it is fresh (`infos`: the
    transcripts' TranscriptInfo by id, when the caller has them)."""
    if not transcript_ids:  # a survey asks nothing: its cache is not read either
        return {}
    path = project.root / "cache" / CACHE_NAME
    try:
        cached = orjson.loads(path.read_bytes())
        entries = cached["transcripts"] if cached.get("version") == CACHE_VERSION else {}
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        entries = {}
    found, changed = {}, False
    for tid in transcript_ids:
        key = cache_key(infos[tid] if infos and tid in infos else project.transcript(tid))
        entry = entries.get(tid)
        if not isinstance(entry, dict) or entry.get("key") != key:
            entry = {"key": key, "spans": answer_spans(project.segments(tid).turns)}
            entries[tid] = entry
            changed = True
        found[tid] = [(s, e) for s, e in entry["spans"]]
    if changed:
        try:
            make_private_dir(path.parent)
            atomic_write(path, orjson.dumps({"version": CACHE_VERSION, "transcripts": entries}))
        except OSError:
            pass  # a cache that cannot be written is only slower
    return found
