"""Which speaker label of an imported source is which Case: a source whose speakers are the
Cases linked to it is a focus group.

Two kinds of evidence, the first winning:
    selections   the Case references selections (`SelectionRef`) in a label's turns
                 (Workbench writes each speaker's turns so; a pseudonymised group's labels,
                 `Anna`, name no Case, `P3`): a label whose turns hold the selections of
                 one Case only is that Case. A selection counts where it overlaps the
                 spoken text of one speaker's turns (the whole turn, or part of it; the
                 moderator's turns and the labels aside); one over several speakers' turns
                 (a Case over the whole text) says nothing of who speaks.
    names        a label that is a Case's name, ignoring case (when several Cases are linked
                 to the source: the one Case of an interview may be named like its speaker)
Any other label is a participant under its own name, as `--focus-group` makes it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass
class CasePlan:
    name: str
    attributes: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)  # source guids (SourceRef)
    selections: list[tuple[str, int, int]] = field(default_factory=list)  # (source guid, start, end), stored text


def overlapped_labels(spoken, ends: list[int], start: int, end: int) -> set[str]:
    """The labels of the turns whose spoken text (after the label) start..end overlaps."""
    found = set()
    i = bisect_right(ends, start)  # the first turn that ends after `start`
    while i < len(spoken) and spoken[i].start < end:
        if spoken[i].start < spoken[i].end:
            found.add(spoken[i].speaker)
        i += 1
    return found


def focus_group_speakers(turns, cases: list[CasePlan], source: str,
                         by_names: bool = True) -> tuple[dict[str, str] | None, list[str]]:
    """label -> participant of a source the `cases` are linked to, and notes on what was
    doubtful. None when it is not a focus group: no label names a Case and no Case's
    selection lies in one speaker's turns (Cases of a site, a group; a Case over the whole
    text), so the source stays one participant's, as before. `by_names=False`: a label
    naming a Case is not enough (a source of one Case, named like its one speaker, is an
    interview)."""
    spoken = [t for t in turns if t.speaker is not None and t.role != "interviewer"]
    ends = [t.end for t in spoken]
    labels = dict.fromkeys(t.speaker for t in spoken)
    covering: dict[str, list[str]] = {}  # label -> the Cases whose selections lie in its turns
    for case in cases:
        for where, start, end in case.selections:
            found = overlapped_labels(spoken, ends, start, end) if where == source else set()
            if len(found) != 1:  # several speakers' turns: not where one of them speaks
                continue
            names = covering.setdefault(found.pop(), [])
            if case.name not in names:
                names.append(case.name)
    by_name = {case.name.casefold(): case.name for case in cases}
    named = by_names and any(label.casefold() in by_name for label in labels)
    if not (named or covering):
        return None, []
    speakers, notes = {}, []
    for label in labels:
        found = covering.get(label, [])
        speakers[label] = found[0] if len(found) == 1 else by_name.get(label.casefold(), label)
        if len(found) > 1:
            notes.append(f"the turns of '{label}' are selections of several cases ({', '.join(found)}); "
                         f"'{label}' is participant {speakers[label]}")
    return speakers, notes
