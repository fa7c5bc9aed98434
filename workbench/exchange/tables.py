"""CSV for R, pandas and spreadsheets: one row a coding, or one row a code of a coder.

Plain RFC 4180: comma separated, a header row, fields quoted only when they hold a comma,
a quote or a line break (quotes doubled), CRLF between records, UTF-8 *without* a byte-order
mark, so `read.csv("codings.csv")` in R and `pandas.read_csv("codings.csv")` read it as it
is (a BOM would turn R's first column name into `X.U.FEFF.coder`). Excel on Windows guesses
a legacy encoding for files without a BOM: `--bom` adds one for it. Empty cells are missing
values (NA in R, NaN in pandas); true/false are TRUE/FALSE, which both read as logical.
A text cell that begins with =, +, -, @, a tab or a carriage return gets a leading ' (as OWASP
advises against CSV injection), so a spreadsheet never runs a quote or a memo as a formula.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from workbench.exchange.coder_files import open_coders

CODING_COLUMNS = ["coder", "code", "code_path", "participant", "wave", "transcript", "start", "end", "text",
                  "corrected", "exemplar", "memo", "created", "modified", "coding_id", "question"]
# `path` (and no `tag` or `name` column) is what Taguette's codebook import looks for (its
# import_codebook.list_tags_csv: exactly one of tag, name, path; description if present).
CODEBOOK_COLUMNS = ["coder", "path", "code", "parent_path", "kind", "codable", "color", "description",
                    "codings", "created", "modified", "code_id"]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return inert_for_spreadsheets(value)
    return str(value)


def inert_for_spreadsheets(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(columns: list[str], rows, bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return ("\ufeff" if bom else "").encode("utf-8") + out.getvalue().encode("utf-8")


def coding_rows(project, coder_files):
    """One row a coding; `participant` is whom it is attributed to (in a focus group the
    speakers of the turns it covers, joined by '; '; empty when only the moderator speaks)."""
    from workbench.sources.attribution import Attribution

    attribution = Attribution(project)
    infos = attribution.infos
    for coder in coder_files:
        book = coder.codebook
        memos = {m.target: m.text for m in coder.memos() if m.target_type == "coding"}
        for c in coder.codings():
            info = infos.get(c.transcript)
            known = c.code in book
            yield {
                "coder": coder.coder, "code": book[c.code].name if known else c.code,
                "code_path": book.path(c.code) if known else c.code,
                "participant": "; ".join(attribution.of(c)) if info else None, "wave": info.wave if info else None,
                "transcript": c.transcript, "start": c.start, "end": c.end, "text": c.text,
                "corrected": c.corrected, "exemplar": c.exemplar, "memo": memos.get(c.id),
                "created": c.created, "modified": c.modified, "coding_id": c.id,
                "question": info.question if info else None,  # a survey answer's question; last, for old scripts
            }


def codebook_rows(coder_files):
    for coder in coder_files:
        book = coder.codebook
        counts: dict[str, int] = {}
        for c in coder.codings():
            counts[c.code] = counts.get(c.code, 0) + 1
        for code in book.walk():
            yield {
                "coder": coder.coder, "path": book.path(code.id), "code": code.name,
                "parent_path": book.path(code.parent) if code.parent in book else None, "kind": code.kind,
                "codable": code.codable, "color": code.color, "description": code.description,
                "codings": counts.get(code.id, 0), "created": code.created, "modified": code.modified,
                "code_id": code.id,
            }


def export_csv(project, path: Path, what: str = "codings", coders: list[str] | None = None,
               bom: bool = False) -> int:
    """Write the codings (or the codebook) of `coders` (default: all) as CSV; returns the rows."""
    with open_coders(project, coders) as coder_files:
        if what == "codings":
            rows, columns = list(coding_rows(project, coder_files)), CODING_COLUMNS
        elif what == "codebook":
            rows, columns = list(codebook_rows(coder_files)), CODEBOOK_COLUMNS
        else:
            raise ValueError(f"unknown table {what!r}")
    project.write_export(Path(path), csv_bytes(columns, rows, bom=bom))
    return len(rows)
