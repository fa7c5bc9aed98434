"""Open-ended survey answers: each answer to each chosen question a short document of its own.

`workbench import answers.csv --id-column respondent --text-columns q7,q9` (or an .xlsx,
its first sheet): the respondent of a row is the participant of its answers, the row's
other columns become the respondent's attributes, and each non-empty answer becomes a
transcript with the id `<respondent>.<question>` (`17.q7`: transcript ids hold only letters,
digits, `.`, `_` and `-`, so other characters of either part become `_`) whose `question`
is the column's header. Empty answers are skipped and counted. A missing column, a row
without a respondent id, a respondent given twice or two answers that would share an id is
refused by name, and nothing is stored unless all of it can be.

The same table may be imported again as it grows (a survey still collecting): an answer
imported with the same text is counted and left alone, new answers are imported, attributes
are updated, and an answer imported earlier that the table no longer holds is kept. An answer
whose text changed is refused by name unless `replace`: then it is replaced as a corrected
transcript is (`workbench.replacing`: its codings move onto the new text).

An answer has no speaker labels: it is one turn of its respondent, however it begins
("Cost: too high" is an answer, not a speaker called Cost).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from workbench.sources import refused
from workbench.transcripts.naming import UNSAFE
from workbench.transcripts.normalise import normalise
from workbench.transcripts.segment import Segmentation, Turn, split_sentences
from workbench.wording import plural

TABLE_FORMATS = (".csv", ".tsv", ".txt", ".xlsx")
MAX_ID = 120
MAX_QUESTION_PART = 40


@dataclass
class SurveyPlan:
    """What an import of a survey table would store, checked, before anything is written."""

    path: Path
    answers: list = field(default_factory=list)  # [(TranscriptInfo, text)]: answers not imported yet
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    respondents: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # question header -> empty answers
    # imported again: answers already imported with the same text; answers whose text changed
    # (stored only with `replace`); ids of earlier answers to these questions the table lacks
    unchanged: int = 0
    changed: list = field(default_factory=list)  # [(TranscriptInfo, new text)]
    kept: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        skipped = sum(self.skipped.values())
        per = ", ".join(f"{n} for {q}" for q, n in self.skipped.items() if n)
        skips = f"{plural(skipped, 'empty answer')} skipped" + (f" ({per})" if per else "")
        if self.unchanged or self.changed:  # imported again: what is new
            return (f"imported {plural(len(self.answers), 'new answer')} from {self.path.name} "
                    f"({plural(self.respondents, 'respondent')} in it); {skips}")
        return (f"imported {plural(len(self.answers), 'answer')} of {plural(self.respondents, 'respondent')} "
                f"from {self.path.name}; {skips}")


def answer_segments(text: str) -> Segmentation:
    """One turn of the respondent, whatever its first words look like, split into sentences."""
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    turn = Turn(0, None, "participant", start, end, start)
    return Segmentation([turn], split_sentences(text, turn))


def read_table_rows(path: Path) -> list[list[str]]:
    """The records of a .csv (any separator, see importing.read_rows) or of an .xlsx's first sheet."""
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path)
    from workbench.importing import read_rows

    return read_rows(path)


def read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # heavy: only a survey import needs it
    from openpyxl.utils.exceptions import InvalidFileException
    from zipfile import BadZipFile

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as err:
        raise refused(f"{path}: not a readable .xlsx workbook ({err})") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise refused(f"{path}: the workbook has no sheet")
        rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return [r for r in rows if any(c.strip() for c in r)]


def cell_text(value) -> str:
    """A spreadsheet cell as the text a reader sees: 17, not 17.0; a date without a midnight."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return normalise(str(value))


def find_column(header: list[str], name: str, path: Path, what: str) -> int:
    wanted = name.strip().casefold()
    matches = [i for i, h in enumerate(header) if h.strip().casefold() == wanted]
    if not matches:
        known = ", ".join(h for h in header if h.strip())
        raise refused(f"{path}: no {what} column '{name}' (columns: {known})")
    if len(matches) > 1:
        raise refused(f"{path}: {len(matches)} columns are called '{name}'; rename all but one")
    return matches[0]


def id_part(text: str, limit: int) -> str:
    return UNSAFE.sub("_", text).strip("._-")[:limit].rstrip("._-")


def column_names(given: str, header: list[str]) -> list[str]:
    """The headers a comma-separated --text-columns names. A header holding commas (survey
    tools head a column with its question) is given as written, or in double quotes: the
    longest run of comma-separated pieces that is a header is taken as one."""
    known = {h.casefold() for h in header}
    pieces, names, i = given.split(","), [], 0

    def unquoted(text: str) -> str:
        text = text.strip()
        return text[1:-1].strip() if len(text) > 1 and text[0] == text[-1] == '"' else text

    while i < len(pieces):
        j = next((j for j in range(len(pieces), i + 1, -1) if unquoted(",".join(pieces[i:j])).casefold() in known),
                 i + 1)
        names.append(unquoted(",".join(pieces[i:j])))
        i = j
    return names


def plan_survey(project, path: Path, id_column: str | None, text_columns: str | list[str] | None,
                replace: bool = False) -> SurveyPlan:
    """Read and check a survey table; returns what would be stored, writing nothing. An answer
    already imported is compared with the table's: the same text is counted as unchanged, a
    changed one is refused by name unless `replace`."""
    from workbench.project import TranscriptInfo

    path = Path(path)
    if path.suffix.lower() not in TABLE_FORMATS:
        raise refused(f"{path}: a survey table is a .csv or .xlsx file")
    if not path.is_file():
        raise refused(f"{path}: no such file")
    if not id_column or not text_columns:
        raise refused(f"{path}: a survey import needs --id-column (the respondent) and --text-columns "
                            "(the open answers, comma separated)")
    rows = read_table_rows(path)
    if not rows:
        raise refused(f"{path}: no header row")
    header = [h.strip() for h in rows[0]]
    names = [c.strip() for c in (column_names(text_columns, header) if isinstance(text_columns, str)
                                 else text_columns)]
    names = [c for c in names if c]
    id_at = find_column(header, id_column, path, "id")
    text_at = [find_column(header, name, path, "text") for name in dict.fromkeys(names)]
    if id_at in text_at:
        raise refused(f"{path}: '{header[id_at]}' cannot be both the id column and a text column")
    attribute_at = [i for i, h in enumerate(header) if h and i != id_at and i not in text_at]
    question_parts = {}
    for i in text_at:
        part = id_part(header[i], MAX_QUESTION_PART) or f"q{i + 1}"
        clash = next((header[j] for j, p in question_parts.items() if p.casefold() == part.casefold()), None)
        if clash is not None:
            raise refused(f"{path}: the questions '{clash}' and '{header[i]}' would both be named '{part}' "
                                "in answer ids; rename one")
        question_parts[i] = part

    plan = SurveyPlan(path=path, skipped={header[i]: 0 for i in text_at})
    rows_of: dict[str, list[int]] = defaultdict(list)
    id_owner: dict[str, str] = {}
    existing = project.manifest["transcripts"]
    existing_folded = {tid.casefold(): tid for tid in existing}
    for number, row in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in row] + [""] * (len(header) - len(row))
        respondent = cells[id_at]
        if not respondent:
            raise refused(f"{path}: row {number} has no respondent id in column '{header[id_at]}'")
        if any(c < " " or "\x7f" <= c <= "\x9f" for c in respondent):  # a broken cell, not an id
            raise refused(f"{path}: row {number}: the respondent id holds a line break or control character")
        rows_of[respondent].append(number)
        if len(rows_of[respondent]) > 1:
            continue
        attributes = {header[i]: cells[i] for i in attribute_at if cells[i]}
        if attributes:
            plan.attributes[respondent] = attributes
        for i in text_at:
            answer = normalise(cells[i]).strip()
            if not answer:
                plan.skipped[header[i]] += 1
                continue
            part = question_parts[i]
            tid = f"{id_part(respondent, MAX_ID - len(part) - 1) or 'respondent'}.{part}"
            if tid.casefold() in id_owner:
                raise refused(f"{path}: respondents '{id_owner[tid.casefold()]}' and '{respondent}' would both "
                                    f"give the answer id '{tid}'; make their ids differ in letters or digits")
            id_owner[tid.casefold()] = respondent
            sha = hashlib.sha256(answer.encode("utf-8")).hexdigest()
            key = existing_folded.get(tid.casefold())
            earlier = existing[key] if key is not None else None
            if earlier is not None:
                check_answered_before(path, tid, key, respondent, earlier)
                if earlier["sha256"] == sha:
                    plan.unchanged += 1
                    continue
            seg = answer_segments(answer)
            info = TranscriptInfo(id=tid, participant=respondent, wave=1, sha256=sha, chars=len(answer),
                                  turns=len(seg.turns), sentences=len(seg.sentences), source=path.name,
                                  kind="survey", question=header[i])
            (plan.answers if earlier is None else plan.changed).append((info, answer))
    twice = {r: n for r, n in rows_of.items() if len(n) > 1}
    if twice:
        named = "; ".join(f"'{r}' (rows {', '.join(map(str, n))})" for r, n in list(twice.items())[:10])
        more = f" and {len(twice) - 10} more" if len(twice) > 10 else ""
        raise refused(f"{path}: respondent ids given more than once: {named}{more}; nothing was imported")
    plan.respondents = len(rows_of)
    if not (plan.answers or plan.changed or plan.unchanged):
        raise refused(f"{path}: every answer in {', '.join(header[i] for i in text_at)} is empty")
    if plan.changed and not replace:
        raise refused(changed_refusal(path, plan.changed))
    questions = {header[i].casefold() for i in text_at}
    in_table = set(id_owner)
    plan.kept = [tid for tid, entry in existing.items()
                 if entry.get("kind") == "survey" and (entry.get("question") or "").casefold() in questions
                 and tid.casefold() not in in_table]
    return plan


def check_answered_before(path: Path, tid: str, key: str, respondent: str, earlier: dict) -> None:
    """An answer id already in the project (as `key`) must be this respondent's answer, spelt the same."""
    if earlier.get("kind") != "survey":
        raise refused(f"{path}: respondent '{respondent}'s answer would be '{tid}', the id of a transcript "
                      "already imported (not a survey answer); nothing was imported")
    if key != tid:
        raise refused(f"{path}: the answer id '{tid}' differs only in case from '{key}', imported "
                      "earlier (was a header or respondent id re-spelt?); spell it as before; nothing was imported")
    if earlier["participant"] != respondent:
        raise refused(f"{path}: the answer '{tid}' was imported as respondent '{earlier['participant']}'s, "
                      f"not '{respondent}'s; make their ids differ in letters or digits; nothing was imported")


def changed_refusal(path: Path, changed: list) -> str:
    named = "; ".join(f"respondent '{info.participant}', question '{info.question}'" for info, _ in changed[:10])
    more = f" and {len(changed) - 10} more" if len(changed) > 10 else ""
    return (f"{path}: {plural(len(changed), 'answer')} {'differs' if len(changed) == 1 else 'differ'} from the "
            f"text imported earlier: {named}{more}; nothing was imported. To store the new text, run the same "
            "import with --replace: codings move onto it, and those whose words changed are flagged for review "
            "('workbench codings --review')")


def survey_answers(project) -> list[tuple[str, str, str]]:
    """(transcript id, respondent, question) of every survey answer, in the order imported;
    read from the manifest as it is (a grid of 20,000 rows needs no more)."""
    return [(tid, entry["participant"], entry.get("question") or "")
            for tid, entry in project.manifest["transcripts"].items() if entry.get("kind") == "survey"]


def attribute_changes(project, attributes: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The attributes that would change the project: respondent -> {attribute: new value}."""
    known = project.manifest["participants"]
    changes = {}
    for pid, values in attributes.items():
        old = known.get(pid, {})
        changed = {k: v for k, v in values.items() if old.get(k) != v}
        if changed:
            changes[pid] = changed
    return changes


def store_survey(project, plan: SurveyPlan, more_attributes: dict[str, dict] | None = None) -> list[str]:
    """Store the new answers, the attributes that change and the changed answers (replaced as
    a corrected transcript is) with one manifest write, or nothing; write nothing at all when
    the table holds nothing new. `more_attributes` (participants.csv) are set after the
    table's. Returns what to tell, one line each."""
    attributes = {pid: dict(values) for pid, values in plan.attributes.items()}
    for pid, values in (more_attributes or {}).items():
        attributes.setdefault(pid, {}).update(values)
    changes = attribute_changes(project, attributes)
    lines = [plan.summary] if plan.answers else []
    if plan.unchanged:
        lines.append(f"{plan.unchanged:,} answer{'s' * (plan.unchanged != 1)} already imported, unchanged")
    said = said_attribute_changes(project, changes)
    if plan.answers or plan.changed or changes:
        warnings = write_survey(project, plan, changes)
        lines += said
        if plan.changed:
            ids = ", ".join(info.id for info, _ in plan.changed[:10])
            lines.append(f"replaced {plural(len(plan.changed), 'answer')} whose text changed: {ids}"
                         + (f" and {len(plan.changed) - 10} more" if len(plan.changed) > 10 else ""))
        lines += [f"warning: {w}" for w in warnings[:10]]
        if len(warnings) > 10:
            lines.append(f"warning: and {len(warnings) - 10} more such warnings "
                         "('workbench codings --review' lists every coding flagged)")
    else:
        lines.append(f"nothing changed: every answer and attribute in {plan.path.name} is imported as it is")
    if plan.kept:
        lines.append(f"{plural(len(plan.kept), 'answer')} imported earlier "
                     f"{'is' if len(plan.kept) == 1 else 'are'} not in this table; "
                     f"{'it was' if len(plan.kept) == 1 else 'they were'} kept")
    return lines


def said_attribute_changes(project, changes: dict[str, dict[str, str]]) -> list[str]:
    """Which respondents already in the project get changed attributes, and how."""
    known = project.manifest["participants"]
    answered = {entry["participant"] for entry in project.manifest["transcripts"].values()}
    before = {pid: values for pid, values in changes.items() if pid in known or pid in answered}
    if not before:
        return []

    def told(pid: str, values: dict[str, str]) -> str:
        old = known.get(pid, {})
        return f"{pid} (" + ", ".join(f"{k}: {old[k]} → {v}" if k in old else f"{k}: {v}, new"
                                      for k, v in values.items()) + ")"

    named = "; ".join(told(pid, values) for pid, values in list(before.items())[:10])
    more = f" and {len(before) - 10} more" if len(before) > 10 else ""
    return [f"attributes changed for {plural(len(before), 'respondent')}: {named}{more}"]


def write_survey(project, plan: SurveyPlan, attributes: dict[str, dict[str, str]]) -> list[str]:
    """New answers, attributes and changed answers in one manifest write, or nothing; a changed
    answer's codings move onto its new text (`workbench.replacing`). Returns the warnings."""
    store = lambda: project.put_transcripts(plan.answers, attributes=attributes)  # noqa: E731
    if not plan.changed:
        store()
        return []
    from workbench.realign import open_every_coder
    from workbench.replacing import replace_transcripts

    coders = open_every_coder(project)  # refused here, before any write, if a session holds one
    try:
        return replace_transcripts(project, coders, plan.changed, write_manifest=store)
    finally:
        for coder in coders:
            coder.close()
