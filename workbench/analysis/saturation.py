"""Saturation: transcripts in interview order, the codes each brought for the first time,
and the point after which a run of transcripts brought (almost) nothing new.

The criterion follows Guest, Namey & Chen (2020), "A simple method to assess and report
thematic saturation in qualitative research", PLoS ONE 15(5): e0232076. It has three parts:
a *base size* (the first transcripts, whose codes are the base of comparison), a *run
length* (how many consecutive transcripts are examined after a point) and a *new-information
threshold* (the run's new codes as a share of the codes found in the base). Saturation is
reached after the first transcript, at or past the base, whose following run brought new
codes at or under the threshold. The defaults here are a base of 1, runs of 3 and a
threshold of 0: "three transcripts in a row brought no new code". Guest et al. used a base
of 4, runs of 2 or 3 and thresholds of 5% or 0%.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.errors import WorkbenchError
from workbench.project import natural_key

ORDERS = ("date", "import")


@dataclass(frozen=True)
class Step:
    transcript: str
    new: int
    total: int
    new_codes: list[str]

    def as_dict(self) -> dict:
        return {"transcript": self.transcript, "new": self.new, "total": self.total, "new_codes": self.new_codes}


@dataclass(frozen=True)
class Saturation:
    order: list[str]
    steps: list[Step]
    saturated_after: str | None
    criterion: str
    level: str

    def as_dict(self) -> dict:
        return {"order": self.order, "steps": [s.as_dict() for s in self.steps],
                "saturated_after": self.saturated_after, "criterion": self.criterion, "level": self.level}


def interview_order(project, order: str | list[str]) -> list[str]:
    """Transcript ids by interview date (undated ones after, by id), in import order, or as given."""
    infos = project.transcripts()
    if isinstance(order, list):
        known = {t.id for t in infos}
        unknown = [t for t in order if t not in known]
        if unknown:
            raise WorkbenchError(f"no transcript '{unknown[0]}' in this project")
        if len(set(order)) != len(order):
            raise WorkbenchError("each transcript may be named once in the order")
        return order
    if order == "import":
        return [t.id for t in infos]
    if order == "date":
        return [t.id for t in sorted(infos, key=lambda t: (t.date is None, t.date or "", natural_key(t.id)))]
    raise WorkbenchError(f"unknown order '{order}': use date, import, or a comma-separated list of transcripts")


def criterion_text(base: int, run: int, threshold: float) -> str:
    what = "no new code" if threshold == 0 else f"new codes at most {threshold:.0%} of the base's codes"
    return (f"Guest, Namey & Chen (2020): base size {base}, run length {run}, new-information threshold "
            f"{threshold:.0%} ({run} transcript{'s' if run != 1 else ''} in a row with {what})")


def saturation(project, coder, order: str | list[str] = "date", level: str = "code", base: int = 1,
               run: int = 3, threshold: float = 0.0) -> Saturation:
    from workbench.analysis.cooccurrence import node_of_code

    if base < 1 or run < 1:
        raise WorkbenchError("the base size and the run length must be at least 1")
    if not 0 <= threshold < 1:
        raise WorkbenchError("the new-information threshold is a share between 0 and 1 (0.05 for 5%)")
    ids = interview_order(project, order)
    book = coder.codebook
    codings = coder.codings()
    owner, tree_order = node_of_code(book, level, {c.code for c in codings})
    rank = {node: i for i, node in enumerate(tree_order)}
    nodes_in: dict[str, set[str]] = {t: set() for t in ids}
    for c in codings:
        if c.transcript in nodes_in and c.code in owner:
            nodes_in[c.transcript].add(owner[c.code])
    seen: set[str] = set()
    steps = []
    for transcript in ids:
        new = sorted(nodes_in[transcript] - seen, key=rank.get)
        seen |= set(new)
        steps.append(Step(transcript, len(new), len(seen), [book.path(n) for n in new]))
    return Saturation(ids, steps, saturation_point(steps, base, run, threshold),
                      criterion_text(base, run, threshold), level)


def saturation_point(steps: list[Step], base: int, run: int, threshold: float) -> str | None:
    """The transcript after which the run's new codes stayed at or under the threshold."""
    if len(steps) < base:
        return None
    base_codes = steps[base - 1].total
    for i in range(base - 1, len(steps) - run):
        brought = sum(s.new for s in steps[i + 1:i + 1 + run])
        if brought == 0 or (base_codes and brought / base_codes <= threshold):
            return steps[i].transcript
    return None
