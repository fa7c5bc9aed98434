"""The description of the sample, computed from participant attributes and transcripts, in the
paper's terms: n, gender counts, age mean (SD), diagnoses, ethnicities, interviews per
participant, interview duration mean (SD). Attribute names are matched loosely ('Gender',
'sex', 'Age (years)', 'Diagnoses', 'Ethnicity'), and missing or unreadable values are counted
as not recorded, never guessed."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from workbench.wording import plural

ROLES = {
    "gender": re.compile(r"^(gender|sex)"),
    "age": re.compile(r"^age(years|atinterview|inyears|yrs)?$"),
    "diagnosis": re.compile(r"^(diagnos|condition|primarydiagnos)"),
    "ethnicity": re.compile(r"^(ethnic|race)"),
}
LIST_SEPARATOR = re.compile(r"\s*[;,/]\s*")
OTHER_ATTRIBUTE_MAX_VALUES = 12


def attribute_role(name: str) -> str | None:
    key = re.sub(r"[^a-z]", "", name.casefold())
    return next((role for role, pattern in ROLES.items() if pattern.match(key)), None)


@dataclass
class Spread:
    """Mean and sample standard deviation (n - 1) of the values that could be read."""

    n: int
    mean: float | None
    sd: float | None
    low: float | None = None
    high: float | None = None
    missing: int = 0

    @classmethod
    def of(cls, values: list, total: int) -> "Spread":
        numbers = [v for v in (as_number(x) for x in values) if v is not None]
        if not numbers:
            return cls(0, None, None, missing=total)
        sd = statistics.stdev(numbers) if len(numbers) > 1 else None
        return cls(len(numbers), statistics.fmean(numbers), sd, min(numbers), max(numbers), total - len(numbers))

    def text(self, unit: str = "") -> str:
        if self.mean is None:
            return "not recorded"
        sd = f" ({self.sd:.1f})" if self.sd is not None else ""
        spread = f"mean (SD) {self.mean:.1f}{sd}{unit}, range {self.low:g}–{self.high:g}"
        return spread + (f"; {self.missing} not recorded" if self.missing else "")


SOURCE_NOTES = {"interview": "an interview's by its participant id (_2 and _3 mark a second and third interview)",
                "focus group": "a focus group's by the group and the speaker",
                "answer": "a survey answer's by its respondent"}


@dataclass
class SampleDescription:
    participants: int
    transcripts: int
    gender: Counter = field(default_factory=Counter)
    age: Spread | None = None
    diagnoses: Counter = field(default_factory=Counter)
    ethnicities: Counter = field(default_factory=Counter)
    interviews_per_participant: Counter = field(default_factory=Counter)  # interviews -> participants
    waves: list[int] = field(default_factory=list)
    duration: Spread | None = None
    other: dict[str, Counter] = field(default_factory=dict)
    interviews: int | None = None  # None: every transcript is an interview
    focus_groups: dict[str, int] = field(default_factory=dict)  # group -> its participants
    survey: tuple[int, int, int] | None = None  # (questions, respondents who answered, answers)

    @property
    def kinds(self) -> list[str]:
        """The kinds of transcript in the sample: interview, focus group, answer."""
        if self.interviews is None:
            return ["interview"]
        return [name for name, count in (("interview", self.interviews), ("focus group", len(self.focus_groups)),
                                         ("answer", self.survey[2] if self.survey else 0)) if count]

    def citation(self) -> str:
        """How the report cites a quote, for the kinds of transcript the sample holds."""
        if self.kinds in ([], ["interview"]):
            return "each quote is followed by its participant id; _2 and _3 mark a second and third interview"
        return "each quote is followed by where it was said: " + "; ".join(SOURCE_NOTES[k] for k in self.kinds)

    @property
    def document(self) -> str:
        """What one transcript of this sample is called: its one kind, else a transcript."""
        return self.kinds[0] if len(self.kinds) == 1 else "transcript"

    def lines(self) -> list[tuple[str, str]]:
        """(label, text) pairs, the same in every format."""
        rows = [("Participants", str(self.participants))]
        if self.interviews is None or self.interviews:
            rows.append(("Interviews", str(self.transcripts if self.interviews is None else self.interviews)))
        if self.focus_groups:
            groups = ", ".join(f"{g}: {plural(n, 'participant')}" for g, n in self.focus_groups.items())
            rows.append(("Focus groups", f"{len(self.focus_groups)} ({groups})"))
        if self.survey is not None:
            questions, respondents, answers = self.survey
            rows.append(("Survey", f"{plural(answers, 'answer')} to {plural(questions, 'open question')} "
                                   f"from {plural(respondents, 'respondent')}"))
        if self.gender:
            rows.append(("Gender", counts_text(self.gender)))
        if self.age is not None:
            rows.append(("Age (years)", self.age.text()))
        if self.diagnoses:
            rows.append(("Diagnoses", counts_text(self.diagnoses)))
        if self.ethnicities:
            rows.append(("Ethnicity", counts_text(self.ethnicities)))
        if self.interviews_per_participant:
            per = ", ".join(f"{plural(n, 'participant')} with {plural(i, 'interview')}"
                            for i, n in sorted(self.interviews_per_participant.items(), reverse=True))
            rows.append(("Interviews per participant", per))
        if self.waves:
            rows.append(("Waves", ", ".join(str(w) for w in self.waves)))
        if self.interviews is None or self.interviews or self.focus_groups:
            rows.append(("Interview duration (min)", self.duration.text() if self.duration else "not recorded"))
        for name, counts in self.other.items():
            rows.append((name, counts_text(counts)))
        return rows


def counts_text(counts: Counter) -> str:
    return ", ".join(f"{value} {n}" for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold())))


def as_number(value) -> float | None:
    if isinstance(value, (int, float)):
        return float(value)
    match = re.search(r"-?\d+(?:[.,]\d+)?", str(value or ""))
    return float(match.group().replace(",", ".")) if match else None


def tally(values: list[str], split: bool = False) -> Counter:
    """Counts of values, grouped ignoring case; shown as first written."""
    shown: dict[str, str] = {}
    counts: Counter = Counter()
    for value in values:
        parts = [p for p in LIST_SEPARATOR.split(value) if p.strip()] if split else [value]
        for part in {p.strip().casefold(): p.strip() for p in parts}.values():
            key = part.casefold()
            shown.setdefault(key, part)
            counts[shown[key]] += 1
    return counts


def describe_sample(project) -> SampleDescription:
    transcripts = project.transcripts()
    interviewed = {p for t in transcripts for p in project.transcript_participants(t)}
    people = {pid: attrs for pid, attrs in project.participants().items() if pid in interviewed or not interviewed}
    by_role: dict[str, dict[str, str]] = {role: {} for role in ROLES}
    other: dict[str, dict[str, str]] = {}
    for pid, attributes in people.items():
        for name, value in attributes.items():
            value = str(value).strip()
            if not value:
                continue
            role = attribute_role(name)
            if role is not None:
                by_role[role].setdefault(pid, value)
            else:
                other.setdefault(name.strip(), {})[pid] = value
    interviews = [t for t in transcripts if t.kind == "interview"]
    per_participant = Counter(t.participant for t in interviews)
    description = SampleDescription(
        participants=len(people), transcripts=len(transcripts),
        gender=tally(list(by_role["gender"].values())),
        diagnoses=tally(list(by_role["diagnosis"].values()), split=True),
        ethnicities=tally(list(by_role["ethnicity"].values()), split=True),
        interviews_per_participant=Counter(per_participant.values()),
        waves=sorted({t.wave for t in interviews}),
    )
    if len(interviews) != len(transcripts):  # focus groups or survey answers beside the interviews
        description.interviews = len(interviews)
        description.focus_groups = {t.id: len(project.transcript_participants(t)) for t in transcripts
                                    if t.is_focus_group}
        answers = [t for t in transcripts if t.kind == "survey"]
        if answers:
            description.survey = (len({t.question for t in answers}), len({t.participant for t in answers}),
                                  len(answers))
    if by_role["age"]:
        description.age = Spread.of(list(by_role["age"].values()), len(people))
    spoken = [t for t in transcripts if t.kind != "survey"]  # a survey answer has no duration
    durations = [t.duration for t in spoken if t.duration is not None]
    if durations:
        description.duration = Spread.of(durations, len(spoken))
    for name, values in sorted(other.items(), key=lambda kv: kv[0].casefold()):
        counts = tally(list(values.values()))
        if len(counts) <= OTHER_ATTRIBUTE_MAX_VALUES and len(counts) < max(2, len(values)):
            description.other[name] = counts
    return description
