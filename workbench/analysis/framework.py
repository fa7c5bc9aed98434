"""Framework summaries: a written summary in each cell of the participants-by-themes matrix,
tied to the quotes behind it (Ritchie and Spencer's charting in the Framework method).

A summary is a memo of the coder's whose target is the cell: the matrix's row grouping
(participant, wave or an attribute), the row's label and the column's code id. The cell's
quotes are the codings counted in it, so the summary can always be read beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.errors import WorkbenchError

CELL = "cell"


def cell_target(by: str, row: str, code_id: str) -> str:
    """The memo target of one cell: `<code id>|<rows by>=<row label>` (code ids hold no `|`)."""
    return f"{code_id}|{by}={row}"


def parse_cell_target(target: str) -> tuple[str, str, str]:
    """(rows by, row label, code id) of a cell memo's target."""
    code_id, _, rest = target.partition("|")
    by, _, row = rest.partition("=")
    return by, row, code_id


def cell_label(book, target: str) -> str:
    """'50002 × barriers/stigma' (or 'gender female × …' for other rows) for a cell's memo."""
    by, row, code_id = parse_cell_target(target)
    column = book.path(code_id) if code_id in book else code_id
    return f"{row} × {column}" if by == "participant" else f"{by} {row} × {column}"


@dataclass(frozen=True)
class Cell:
    row: str
    column: dict  # {"id", "code", "path"}
    count: int
    summary: str | None
    codings: list  # the Coding records counted in the cell

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column["path"], "count": self.count, "summary": self.summary,
                "codings": [c.id for c in self.codings]}


def resolve_cell(project, coder, matrix, row: str, column: str) -> tuple[str, dict]:
    """The row label and column of a matrix named as a person types them (row as shown, column
    by path or unique name)."""
    if row not in matrix.rows:
        shown = ", ".join(matrix.rows[:8]) + (" …" if len(matrix.rows) > 8 else "")
        raise WorkbenchError(f"no row '{row}' in the matrix by {matrix.by} (rows: {shown})")
    code = coder.code(column)
    wanted = next((c for c in matrix.columns if c["id"] == code.id), None)
    if wanted is None:
        raise WorkbenchError(f"'{coder.codebook.path(code.id)}' is not a column of the matrix at level "
                             f"{matrix.level}; give --level {code.kind}")
    return row, wanted


def cell_codings(project, coder, matrix, row: str, column: dict) -> list:
    """The codings counted in one cell, in transcript order."""
    from workbench.analysis.matrix import MatrixRows, column_index

    rows_of = MatrixRows(project, matrix.by)
    column_of = column_index(coder.codebook, [c["id"] for c in matrix.columns])
    index = next(i for i, c in enumerate(matrix.columns) if c["id"] == column["id"])
    mine = {code for code, i in column_of.items() if i == index}  # the matrix's own rule for the cell
    return [c for c in coder.codings(codes=mine) if row in rows_of.of(c)]


def framework_cells(project, coder, matrix) -> list[Cell]:
    """Every cell of the matrix that has codings or a summary, row by row."""
    from collections import defaultdict

    from workbench.analysis.matrix import MatrixRows, column_index

    rows_of = MatrixRows(project, matrix.by)
    column_of = column_index(coder.codebook, [c["id"] for c in matrix.columns])
    grouped: dict[tuple[str, int], list] = defaultdict(list)
    for coding in coder.codings():
        index = column_of.get(coding.code)
        if index is not None:
            for row in rows_of.of(coding):
                grouped[(row, index)].append(coding)
    summaries = {m.target: m for m in coder.memos() if m.target_type == CELL}  # once, not once per cell
    cells = []
    for r, row in enumerate(matrix.rows):
        for index, column in enumerate(matrix.columns):
            memo = summaries.get(cell_target(matrix.by, row, column["id"]))
            codings = grouped.get((row, index), [])
            if codings or memo is not None:
                cells.append(Cell(row, column, matrix.cells[r][index], memo.text if memo else None, codings))
    return cells
