"""Open-ended survey answers: each answer to each chosen question a short document of its own.

`workbench import answers.csv --id-column respondent --text-columns q7,q9` (or an .xlsx,
its first sheet): the respondent of a row is the participant of its answers, the row's
other columns become the respondent's attributes, and each non-empty answer becomes a
transcript with the id `<respondent>.<question>` (`17.q7`: transcript ids hold only letters,
digits, `.`, `_` and `-`, so other characters of either part become `_`) whose `question`
is the column's header. Empty answers are skipped and counted. A missing column, a row
without a respondent id, a respondent given twice or two answers that would share an id is
refused by name, and nothing is stored unless all of it can be.

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

TABLE_FORMATS = (".csv", ".tsv", ".txt", ".xlsx")
MAX_ID = 120
MAX_QUESTION_PART = 40


@dataclass
class SurveyPlan:
    """What an import of a survey table would store, checked, before anything is written."""

    path: Path
    answers: list = field(default_factory=list)  # [(TranscriptInfo, text)]
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    respondents: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # question header -> empty answers

    @property
    def summary(self) -> str:
        skipped = sum(self.skipped.values())
        per = ", ".join(f"{n} for {q}" for q, n in self.skipped.items() if n)
        return (f"imported {len(self.answers)} answer{'s' * (len(self.answers) != 1)} of {self.respondents} "
                f"respondent{'s' * (self.respondents != 1)} from {self.path.name}; "
                f"{skipped} empty answer{'s' * (skipped != 1)} skipped" + (f" ({per})" if per else ""))


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


def plan_survey(project, path: Path, id_column: str | None, text_columns: str | list[str] | None) -> SurveyPlan:
    """Read and check a survey table; returns what would be stored, writing nothing."""
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
            if tid in existing:
                raise refused(f"{path}: the answer '{tid}' is already imported (from "
                                    f"{existing[tid].get('source') or 'another file'}); nothing was imported")
            seg = answer_segments(answer)
            info = TranscriptInfo(id=tid, participant=respondent, wave=1,
                                  sha256=hashlib.sha256(answer.encode("utf-8")).hexdigest(), chars=len(answer),
                                  turns=len(seg.turns), sentences=len(seg.sentences), source=path.name,
                                  kind="survey", question=header[i])
            plan.answers.append((info, answer))
    twice = {r: n for r, n in rows_of.items() if len(n) > 1}
    if twice:
        named = "; ".join(f"'{r}' (rows {', '.join(map(str, n))})" for r, n in list(twice.items())[:10])
        more = f" and {len(twice) - 10} more" if len(twice) > 10 else ""
        raise refused(f"{path}: respondent ids given more than once: {named}{more}; nothing was imported")
    plan.respondents = len(rows_of)
    if not plan.answers:
        raise refused(f"{path}: every answer in {', '.join(header[i] for i in text_at)} is empty")
    return plan


def survey_answers(project) -> list[tuple[str, str, str]]:
    """(transcript id, respondent, question) of every survey answer, in the order imported;
    read from the manifest as it is (a grid of 20,000 rows needs no more)."""
    return [(tid, entry["participant"], entry.get("question") or "")
            for tid, entry in project.manifest["transcripts"].items() if entry.get("kind") == "survey"]


def store_survey(project, plan: SurveyPlan) -> None:
    """Store every answer and the respondents' attributes, or nothing (see Project.put_transcripts)."""
    project.put_transcripts(plan.answers, attributes=plan.attributes)
