"""Issue 14.7: exports are safe to open. A CSV cell that a spreadsheet would run as a formula
(one beginning with =, +, -, @, tab or carriage return) gets a leading ' as OWASP advises."""

from __future__ import annotations

import csv
import io

import pytest

FORMULAS = ["=HYPERLINK(\"https:x.invalid\",\"click\")", "+1+cmd|' -C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\tTAB", "\rCR"]


@pytest.mark.parametrize("formula", FORMULAS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_csv_cells_that_would_run_as_formulas_are_neutralised(coded, run, tmp_path, formula):
    with coded.open_coder("alex") as coder:
        code = coder.add_code(f"{formula}code", description=formula)  # a code name loses its leading tab or CR
        coding = coder.codings()[0]
        coder.update_coding(coding.id, code=code.id)
        coder.set_memo("coding", coding.id, formula)
    for what, columns in (("codings", ("code", "memo")), ("codebook", ("code", "description"))):
        out = tmp_path / f"{what}.csv"
        result = run("export", "csv", out, "--what", what)
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
        row = next(r for r in rows if r["code"].endswith("code") and r["code"] != "barriers")
        assert row[columns[1]] in ("'" + formula, "'" + formula.replace("\r", "\n"))  # memos keep LF line ends
        assert row["code"] in ("'" + formula.strip() + "code", formula.strip() + "code")
        assert all(not (value or "x")[0] in "=+-@\t\r" for r in rows for value in r.values())


def test_numbers_and_ordinary_text_are_left_alone(coded, run, tmp_path):
    out = tmp_path / "codings.csv"
    assert run("export", "csv", out).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert {r["text"] for r in rows} == {"not real staff", "every Friday"}
    assert all(r["start"].isdigit() for r in rows)
