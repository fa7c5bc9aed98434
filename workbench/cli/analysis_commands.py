"""Salience and the framework matrix from the shell: `workbench stats`, `workbench matrix`."""

from __future__ import annotations

import click

from workbench.analysis.salience import DEFAULT_WEIGHT
from workbench.cli.main import Session, pass_session
from workbench.cli.output import emit_json, emit_table, format_option
from workbench.terminal_safety import inert

LEVELS = {
    "all": None,
    "code": ("code",),
    "theme": ("category", "theme", "subtheme"),
    "subtheme": ("subtheme",),
    "category": ("category",),
}
# Light to dark: 256-colour backgrounds, readable on dark and light terminals.
SHADES = ((195, "black"), (153, "black"), (111, "black"), (68, "white"), (25, "white"), (18, "white"))
HEADER_WIDTH = 14

weight_option = click.option(
    "--weight", "-w", type=click.FloatRange(0.0, 1.0), default=DEFAULT_WEIGHT, show_default=True,
    help="weight of primacy in the salience (frequency gets 1 - W)",
)


def open_for_analysis(session: Session, with_codings: bool = True):
    project = session.project()
    return project, project.open_coder(session.coder, readonly=True, must_exist=True, with_codings=with_codings)


@click.command()
@click.option("--level", type=click.Choice(list(LEVELS)), default="all", show_default=True,
              help="code: codes only; theme: categories, themes and subthemes; all: the whole tree")
@weight_option
@format_option
@pass_session
def stats(session: Session, level, weight, fmt):
    """Per code and theme: codings, transcripts, participants, primacy and salience."""
    from workbench.analysis.salience import compute_salience

    project, coder = open_for_analysis(session, with_codings=False)  # counted from its spans alone
    with coder:
        table = compute_salience(project, coder, weight)
    rows = table.rows(LEVELS[level])
    if fmt == "json":
        emit_json([{**row, "formula": table.formula} for row in rows])
        return
    for row in rows:
        row["node"] = "  " * row["depth"] + row["code"] if level == "all" else row["path"]
    emit_table(rows, ["node", "kind", "codings", "transcripts", "participants", "primacy", "salience"],
               ["code", "kind", "codings", "transcripts", "participants", "primacy", "salience"],
               empty=f"no codes in {coder.coder}'s codebook")
    click.echo(f"\n{table.formula}")


def shade(text: str, intensity: float, value: int) -> str:
    if value == 0:
        return click.style(text, dim=True)
    bg, fg = SHADES[min(len(SHADES) - 1, int(intensity * (len(SHADES) - 1) + 0.999))]
    return click.style(text, bg=bg, fg=fg)


def short(text: str, width: int = HEADER_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@click.command()
@click.option("--rows", "by", default="participant", show_default=True, metavar="participant|wave|ATTRIBUTE",
              help="one row per participant, per wave, or per value of a participant attribute (e.g. gender)")
@click.option("--level", type=click.Choice(["category", "theme", "subtheme", "code"]), default=None,
              help="the columns (default: themes, else subthemes, else codes)")
@click.option("--presence", is_flag=True, help="1 where there is any coding, instead of the number of codings")
@click.option("--summaries", is_flag=True, help="the framework: each cell's summary (memos add --cell ROW THEME TEXT)")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table for people, json for scripts, csv (one row a cell, with its summary) for spreadsheets")
@pass_session
def matrix(session: Session, by, level, presence, summaries, fmt):
    """Participants (or waves, or an attribute) by themes: codings in each cell, shaded."""
    from workbench.analysis.matrix import build_matrix

    project, coder = open_for_analysis(session)
    with coder:
        result = build_matrix(project, coder, by=by, level=level, presence=presence)
        framework = None
        if summaries or fmt == "csv":
            from workbench.analysis.framework import framework_cells

            framework = framework_cells(project, coder, result)
    if fmt == "json":
        data = result.to_dict()
        if framework is not None:
            data["summaries"] = [c.as_dict() for c in framework if c.summary is not None]
        emit_json(data)
        return
    if fmt == "csv":
        emit_framework_csv(result, framework)
        return
    labels = [inert(r) for r in result.rows]
    first = max(len(by), *(len(r) for r in labels))
    names = [inert(short(c["code"])) for c in result.columns]
    widths = [max(3, len(n)) for n in names]
    click.echo(click.style("  ".join([by.ljust(first), *(n.rjust(w) for n, w in zip(names, widths))]), bold=True))
    for label, values in zip(labels, result.cells):
        cells = [shade(str(v).rjust(w), result.intensity(v), v) for v, w in zip(values, widths)]
        click.echo("  ".join([label.ljust(first), *cells]))
    what = "presence (1 = coded at least once)" if presence else "number of codings"
    groups = any(entry.get("kind") == "focus_group" for entry in project.manifest["transcripts"].values())
    where = ("in the row's interviews and, in focus groups, in the turns of the row's speakers" if groups
             else "in the row's transcripts")  # a group's coding counts in the rows of the speakers it covers
    click.echo(f"\ncells: {what} under each {result.level} {where}; darker = more")
    for column, name in zip(result.columns, names):
        if name != column["path"]:
            click.echo(f"  {name}: {inert(column['path'])}")
    if framework is not None:
        written = [c for c in framework if c.summary is not None]
        click.echo(f"\nframework summaries ({len(written)} of {len(framework)} cells with codings or a summary):")
        for cell in written:
            click.echo(f"\n{inert(cell.row)} × {inert(cell.column['path'])} ({cell.count}):")
            click.echo("  " + inert(" ".join(cell.summary.split())))
        if not written:
            click.echo("  none yet: workbench memos add --cell ROW THEME TEXT")


def emit_framework_csv(result, cells) -> None:
    """One row per cell with codings or a summary, as the codings CSV is written (exchange.tables)."""
    import sys

    from workbench.exchange.tables import csv_bytes

    sizes = dict(zip(result.rows, result.row_sizes))
    columns = [result.by, "participants", result.level, "codings", "summary", "coding_ids"]
    rows = [dict(zip(columns, (cell.row, sizes[cell.row], cell.column["path"], cell.count, cell.summary,
                               " ".join(c.id[:8] for c in cell.codings)))) for cell in cells]
    sys.stdout.buffer.write(csv_bytes(columns, rows))
    sys.stdout.flush()


def register(cli: click.Group) -> None:
    for command in (stats, matrix):
        cli.add_command(command)
