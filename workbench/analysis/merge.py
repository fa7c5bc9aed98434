"""Merging two coders' codings into a third coder file (the consensus), without review.

    union         every coding of both; a span coded identically by both (same code path,
                  transcript, start and end) is kept once, and spans of one code that overlap
                  or touch become one coding over their union (as everywhere in a coder file)
    intersection  for each code and transcript, the parts both coders coded (a coder's
                  overlapping codings merged first), one coding per shared stretch

Codes are matched by path, each level's name compared ignoring case and spacing (as
`CoderFile.copy_codebook_from` does); the target receives both codebooks. A target that
already holds codings is refused unless `force`: then the merge adds to what is there and
removes nothing. A union carries each coding's comment (its memo) over, prefixed with the
coder's name. The whole merge is one history entry in the target, so one `undo` takes it back.
Like `agreement`, a merge takes only the transcripts both coders worked on unless told
otherwise (`transcript_selection`); the result says which it left out.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from workbench.analysis.agreement_stats import intersect_spans, union_spans
from workbench.analysis.transcript_selection import TranscriptSelection, select_transcripts
from workbench.coderfile import CoderFile
from workbench.errors import WorkbenchError
from workbench.model import Coding, Memo, new_id
from workbench.project import Project
from workbench.wording import plural

STRATEGIES = ("union", "intersection")


@dataclass(frozen=True)
class MergeResult:
    codes_added: int
    codings_added: int
    already_there: int  # codings the target held already (or that both coders made identically)
    joined: int = 0  # codings joined into an overlapping one of the same code (not counted as added)
    selection: TranscriptSelection | None = None


def merge_coders(project: Project, coder_a: str, coder_b: str, into: str = "consensus",
                 strategy: str = "union", force: bool = False, every_transcript: bool = False,
                 transcripts: list[str] | None = None) -> MergeResult:
    if strategy not in STRATEGIES:
        raise WorkbenchError(f"unknown strategy '{strategy}': use one of {', '.join(STRATEGIES)}")
    if len({coder_a, coder_b, into}) < 3:
        raise WorkbenchError("merge needs two different coders and a third coder file to merge into")
    with project.open_coder(coder_a, readonly=True, must_exist=True) as a, \
            project.open_coder(coder_b, readonly=True, must_exist=True) as b, \
            project.open_coder(into) as target:
        held = len(target.codings())
        if held and not force:
            raise WorkbenchError(f"coder file '{into}' already holds {plural(held, 'coding')}; add --force to add "
                                 f"the merge to them (nothing in it is removed), or merge into another name")
        selection = select_transcripts(project, a, b, every_transcript, transcripts)
        result = merge_into(project, a, b, target, strategy, set(selection.compared))
        return dataclasses.replace(result, selection=selection)


def merge_into(project: Project, a: CoderFile, b: CoderFile, target: CoderFile, strategy: str,
               only: set[str] | None = None) -> MergeResult:
    """Merge into `target`; `only` limits it to those transcripts."""
    codes_a, ids_a = target.codes_to_copy(a)
    codes_b, ids_b = target.codes_to_copy(b, pending=codes_a)
    present = {(c.code, c.transcript, c.start, c.end) for c in target.codings()}
    comments: dict[str, list[str]] = {}  # new coding id -> the comments (coding memos) it carries over
    if strategy == "union":
        new = []
        for coder, ids in ((a, ids_a), (b, ids_b)):
            for c in coder.codings():
                if c.code in ids and (only is None or c.transcript in only):
                    new.append(Coding(id=new_id(), code=ids[c.code], transcript=c.transcript, start=c.start,
                                      end=c.end, text=c.text, corrected=c.corrected))
                    memo = coder.memo("coding", c.id)
                    if memo is not None:
                        comments[new[-1].id] = [f"{coder.coder}: {memo.text}"]
    else:
        new = shared_codings(project, spans_by_target(a, ids_a, only), spans_by_target(b, ids_b, only))
    added, repeated, kept = [], 0, {}
    for coding in new:
        key = (coding.code, coding.transcript, coding.start, coding.end)
        if key in kept:  # both coders made it: one coding, with both coders' comments
            comments.setdefault(kept[key], []).extend(comments.pop(coding.id, []))
        if key in present:
            repeated += 1
            continue
        present.add(key)
        kept[key] = coding.id
        added.append(coding)
    memos = [Memo(id=new_id(), target_type="coding", target=coding_id, text="\n\n".join(texts))
             for coding_id, texts in comments.items() if texts and coding_id in {c.id for c in added}]
    joined: dict[str, str] = {}
    if codes_a or codes_b or added:
        joined = target.change_records(f"merge.{strategy}", f"merge {a.coder} and {b.coder} ({strategy}): "
                                       f"{plural(len(added), 'coding')}, {plural(len(codes_a) + len(codes_b), 'code')}",
                                       add=[*codes_a, *codes_b, *added, *memos])
    new_ids = {c.id for c in added}
    return MergeResult(len(codes_a) + len(codes_b), len(added) - len(new_ids & joined.keys()), repeated,
                       len(joined))


def spans_by_target(coder: CoderFile, ids: dict[str, str],
                    only: set[str] | None = None) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(target code, transcript) -> the coder's spans."""
    grouped = defaultdict(list)
    for c in coder.codings():
        if c.code in ids and (only is None or c.transcript in only):
            grouped[(ids[c.code], c.transcript)].append((c.start, c.end))
    return grouped


def shared_codings(project: Project, spans_a: dict, spans_b: dict) -> list[Coding]:
    shared = []
    known = {t.id for t in project.transcripts()}
    for (code, transcript), spans in sorted(spans_a.items()):
        if (code, transcript) not in spans_b or transcript not in known:
            continue
        text = project.text(transcript)
        for start, end in intersect_spans(union_spans(spans), union_spans(spans_b[(code, transcript)])):
            shared.append(Coding(id=new_id(), code=code, transcript=transcript, start=start, end=end,
                                 text=text[start:end]))
    return shared
