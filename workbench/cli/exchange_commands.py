"""`workbench export qdpx|qdc|csv FILE`: the project for NVivo, ATLAS.ti, MAXQDA, QualCoder,
R, pandas and spreadsheets. (Importing .qdpx and .qdc is `workbench import FILE`.)"""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.main import Session, pass_session
from workbench.terminal_safety import inert
from workbench.cli.output import plural

coders_option = click.option(
    "--coders", "coders", metavar="NAME[,NAME...]",
    help="only these coders (comma separated; default: every coder of the project)")


def coder_list(value: str | None) -> list[str] | None:
    names = [n.strip() for n in (value or "").split(",") if n.strip()]
    return names or None


def echo_warnings(warnings) -> None:
    for warning in warnings:
        click.echo(f"warning: {inert(warning)}", err=True)


@click.group()
def export():
    """Export for other programs: REFI-QDA project (.qdpx) or codebook (.qdc), or CSV."""


@export.command("qdpx")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@coders_option
@pass_session
def export_qdpx_command(session: Session, file, coders):
    """The whole project as a REFI-QDA .qdpx for NVivo, ATLAS.ti, MAXQDA or QualCoder.

    Transcripts become plain-text sources, coders users, codings selections (code-point
    positions), memos notes, participants cases with their attributes as variables; a
    corrected text or an exemplar mark is a note on its coding. GUIDs are stable: exporting
    again gives the same ids. FILE is replaced if it exists."""
    from workbench.exchange.qde_writer import export_qdpx

    project = session.project()
    echo_warnings(export_qdpx(project, file, coder_list(coders)))
    click.echo(f"wrote {file}: {plural(len(project.transcripts()), 'transcript')}, coders "
               f"{', '.join(coder_list(coders) or project.coders(assistants=False)) or 'none'}", err=True)


@export.command("qdc")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@coders_option
@pass_session
def export_qdc_command(session: Session, file, coders):
    """The codebook as a REFI-QDA .qdc: the coders' codebooks merged by path, with colours,
    definitions, and kinds (categories and themes that take no codings are not codable)."""
    from workbench.exchange.codebook_xml import export_qdc

    warnings: list[str] = []
    count = export_qdc(session.project(), file, coder_list(coders), warnings)
    echo_warnings(warnings)
    click.echo(f"wrote {file}: {plural(count, 'code')}", err=True)


@export.command("csv")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--what", type=click.Choice(["codings", "codebook"]), default="codings", show_default=True,
              help="codings: one row a coding (coder, code, code_path, participant, wave, transcript, start, end, "
                   "text, corrected, exemplar, memo, created, modified, coding_id); codebook: one row a code of a "
                   "coder (coder, path, code, parent_path, kind, codable, color, description, codings, ...), which "
                   "Taguette's codebook import reads")
@click.option("--bom", is_flag=True,
              help="start with a UTF-8 byte-order mark, for Excel on Windows (R's read.csv then needs "
                   "fileEncoding='UTF-8-BOM'; without --bom R and pandas read the file with no options)")
@coders_option
@pass_session
def export_csv_command(session: Session, file, what, bom, coders):
    """Codings (or the codebook) as CSV for R, pandas and spreadsheets.

    RFC 4180, UTF-8, a header row, no byte-order mark: read.csv("FILE") in R and
    pandas.read_csv("FILE") read it without options. Offsets are code points, END exclusive."""
    from workbench.exchange.tables import export_csv

    rows = export_csv(session.project(), file, what=what, coders=coder_list(coders), bom=bom)
    click.echo(f"wrote {file}: {plural(rows, 'row')} ({what})", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(export)
