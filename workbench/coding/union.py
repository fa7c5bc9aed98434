"""One coding per stretch of a code: codings of the same code in the same transcript whose
spans overlap or touch ([a, b) and [b, c)) are one coding over their union.

`CodingJoins`, a mixin of `CoderFile`, applies this to every change that adds or moves a
coding (the screen, `code add`, imports, merges, the disagreement walk: `CoderFile._commit`
calls `_joined`), and `join_duplicates` to what an older file holds. Joining keeps the
oldest coding's id (so its comment and history stay with it), the union of the spans with
the transcript's text over it, an exemplar mark if any had one, and every review reason. A corrected text written for a shorter quote is kept but flagged
for review, since it no longer covers the whole quote.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from workbench.gc_pause import collector_paused
from workbench.model import Coding, Memo, now
from workbench.wording import plural

CORRECTION_REVIEW = "joined with an overlapping coding of the same code: its corrected text covers only {span}"


def clusters(codings: Iterable[Coding]) -> list[list[Coding]]:
    """The groups of two or more codings of one code and transcript whose spans overlap or
    touch one another (transitively), each sorted by start."""
    grouped: dict[tuple[str, str], list[Coding]] = defaultdict(list)
    for coding in codings:
        grouped[(coding.code, coding.transcript)].append(coding)
    found = []
    for group in grouped.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda c: (c.start, c.end))
        current, reach = [group[0]], group[0].end
        for coding in group[1:]:
            if coding.start <= reach:
                current.append(coding)
                reach = max(reach, coding.end)
            else:
                if len(current) > 1:
                    found.append(current)
                current, reach = [coding], coding.end
        if len(current) > 1:
            found.append(current)
    return found


def joined_text(cluster: list[Coding]) -> str | None:
    """The verbatim text over the union of the cluster's spans, pieced together from the
    codings' own texts; None when a text does not fit its span (the transcript changed
    under it: that is for `doctor` to report, not for a join to guess at)."""
    if any(len(c.text) != c.end - c.start for c in cluster):
        return None
    start = min(c.start for c in cluster)
    chars: list[str | None] = [None] * (max(c.end for c in cluster) - start)
    for coding in cluster:
        for at, char in enumerate(coding.text, coding.start - start):
            if chars[at] is None:
                chars[at] = char
            elif chars[at] != char:
                return None  # two codings disagree about the same character
    if any(char is None for char in chars):
        return None
    return "".join(chars)


def keeper(cluster: list[Coding], existing: set[str]) -> Coding:
    """The coding whose id the join keeps: the oldest of those already in the file."""
    return min(cluster, key=lambda c: (c.id not in existing, c.created, c.start, c.id))


def join(cluster: list[Coding], keep: Coding, text: str) -> Coding:
    start, end = min(c.start for c in cluster), max(c.end for c in cluster)
    corrected, reviews = None, [c.review for c in cluster if c.review]
    whole = [c for c in cluster if c.corrected is not None and (c.start, c.end) == (start, end)]
    partial = [c for c in cluster if c.corrected is not None and (c.start, c.end) != (start, end)]
    if whole:
        corrected = (keep if keep in whole else whole[0]).corrected
    elif partial:
        chosen = keep if keep in partial else partial[0]
        corrected = chosen.corrected
        reviews.append(CORRECTION_REVIEW.format(span=f"{chosen.start}-{chosen.end}"))
    review = "; ".join(dict.fromkeys(reviews)) or None
    return Coding.from_dict({**keep.to_dict(), "start": start, "end": end, "text": text, "corrected": corrected,
                             "exemplar": any(c.exemplar for c in cluster), "review": review, "modified": now()})


def joined_memo_text(texts: list[str]) -> str:
    """The comments of joined codings, each once, in order."""
    return "\n\n".join(dict.fromkeys(t for t in texts if t.strip()))


def record_id(record) -> str:
    return record["id"] if isinstance(record, dict) else record.id


def same_but_modified(before, after) -> bool:
    before, after = (r if isinstance(r, dict) else r.to_dict() for r in (before, after))
    return {**before, "modified": None} == {**after, "modified": None}


class CodingJoins:
    """The joining of a `CoderFile` (which holds `_codings`, `_memos`, `_stretches` and `_commit`)."""

    def duplicates(self) -> list[list[Coding]]:
        """The groups of codings of one code and transcript that overlap or touch (files
        written before codings were joined may hold them)."""
        return clusters(self._codings.values())

    def join_duplicates(self) -> int:
        """Join every group `duplicates` finds into one coding each, as one undoable change;
        returns how many codings were joined into others."""
        changes, joined = self._joined([], everywhere=True)
        if joined:
            self._commit("codings.join", f"join {plural(len(joined), 'duplicate coding')} into the overlapping "
                         f"codings of the same code", changes, join=False)
        return len(joined)

    def _codings_of(self, keys: set[tuple[str, str]]) -> list[Coding]:
        """The codings of these (code, transcript) pairs, through an index built on first use."""
        if self._stretches is None:
            stretches: dict[tuple[str, str], set[str]] = {}
            with collector_paused():  # 60,000 codings: 120,000 new objects, no cycles
                for coding in self._codings.values():
                    stretches.setdefault((coding.code, coding.transcript), set()).add(coding.id)
            self._stretches = stretches
        return [self._codings[i] for key in keys for i in self._stretches.get(key, ())]

    def _joined(self, changes: list[tuple], everywhere: bool = False) -> tuple[list[tuple], dict[str, str]]:
        """`changes`, with each coding they add or move joined with the codings of the same code
        and transcript it overlaps or touches (with `everywhere`, every such group in the file),
        the comments of joined codings carried onto the one kept; and {joined id: kept id}."""
        moved = {}
        gone = set()
        for kind, before, after in changes:
            if kind == "coding":
                if before is not None:
                    gone.add(record_id(before))
                if after is not None:
                    after = after if isinstance(after, Coding) else Coding.from_dict(after)
                    moved[after.id] = after
        if not moved and not everywhere:
            return changes, {}
        there = self._codings.values() if everywhere else self._codings_of({(c.code, c.transcript) for c in moved.values()})
        state = [c for c in there if c.id not in gone and c.id not in moved] + list(moved.values())
        final: dict[tuple[str, str], object] = {}  # (kind, id) -> the record after the joins (None: removed)
        joined: dict[str, str] = {}
        existing = self._codings.keys()
        for cluster in clusters(state):
            if not everywhere and not any(c.id in moved for c in cluster):
                continue
            text = joined_text(cluster)
            if text is None:
                continue
            keep = keeper(cluster, existing)
            final[("coding", keep.id)] = join(cluster, keep, text)
            for coding in cluster:
                if coding is not keep:
                    final[("coding", coding.id)] = None
                    joined[coding.id] = keep.id
        if not joined:
            return changes, {}
        memos = {m.id: m for m in self._memos.values() if m.target_type == "coding"}
        for kind, before, after in changes:
            if kind == "memo":
                if before is not None:
                    memos.pop(record_id(before), None)
                if after is not None:
                    after = after if isinstance(after, Memo) else Memo.from_dict(after)
                    memos[after.id] = after
        comments: dict[str, list[Memo]] = {}
        for memo in memos.values():
            if memo.target_type == "coding" and (memo.target in joined or memo.target in joined.values()):
                comments.setdefault(joined.get(memo.target, memo.target), []).append(memo)
        for keep_id, found in comments.items():
            if len(found) == 1 and found[0].target == keep_id:
                continue
            found.sort(key=lambda m: (m.target != keep_id, m.created))
            final[("memo", found[0].id)] = Memo.from_dict({
                **found[0].to_dict(), "target": keep_id, "modified": now(),
                "text": joined_memo_text([m.text for m in found])})
            for memo in found[1:]:
                final[("memo", memo.id)] = None
        stores = {"coding": self._codings, "memo": self._memos}
        result = [(kind, before, after) for kind, before, after in changes
                  if (kind, record_id(after if after is not None else before)) not in final]
        for (kind, changed), after in final.items():
            before = stores[kind].get(changed)
            if before is None and after is None:
                continue  # added by this change and joined into another
            if before is not None and after is not None and same_but_modified(before, after):
                continue
            result.append((kind, before, after))
        return result, joined
