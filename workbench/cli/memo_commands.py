"""`workbench memos`: the project journal and the memos on transcripts, codes and codings."""

from __future__ import annotations

import sys

import click

from workbench.cli.main import Session, pass_session
from workbench.cli.output import for_coder, emit_json, emit_table, format_option, short_id
from workbench.errors import WorkbenchError
from workbench.terminal_safety import inert


def memo_rows(project, coder_file) -> list[dict]:
    book = coder_file.codebook
    rows = []
    for memo in coder_file.memos():
        if memo.target_type == "code":
            about = book.path(memo.target) if memo.target in book else memo.target
        elif memo.target_type == "project":
            about = memo.title or "journal"
        elif memo.target_type == "cell":
            from workbench.analysis.framework import cell_label

            about = cell_label(book, memo.target)
        elif memo.target_type == "coding":
            about = short_id(memo.target)  # as `workbench codings` names it
        else:
            about = memo.target
        rows.append({"id": memo.id, "coder": coder_file.coder, "target_type": memo.target_type,
                     "target": memo.target, "about": about, "text": memo.text,
                     "created": memo.created, "modified": memo.modified})
    return rows


def resolve_cell_target(project, coder_file, cell, rows_by, level) -> str:
    """The target of a framework matrix cell named (ROW, THEME) as the matrix shows them."""
    from workbench.analysis.framework import cell_target, resolve_cell
    from workbench.analysis.matrix import build_matrix

    if level is None:
        kind = coder_file.code(cell[1]).kind
        level = kind if kind in ("category", "theme", "subtheme", "code") else None
    matrix = build_matrix(project, coder_file, by=rows_by, level=level)
    row, column = resolve_cell(project, coder_file, matrix, *cell)
    return cell_target(matrix.by, row, column["id"])


def resolve_target(project, coder_file, transcript, code, coding, journal, cell=None, rows_by="participant",
                   level=None) -> tuple[str, str | None]:
    given = [x for x in (transcript, code, coding, cell) if x] + ([True] if journal else [])
    if len(given) != 1:
        raise WorkbenchError("say what the memo is about: one of --transcript, --code, --coding, --cell or --journal")
    if cell:
        return "cell", resolve_cell_target(project, coder_file, cell, rows_by, level)
    if transcript:
        return "transcript", project.transcript(transcript).id
    if code:
        return "code", coder_file.code(code).id
    if coding:
        return "coding", coder_file.coding(coding).id
    return "project", None


@click.group(invoke_without_command=True)
@format_option
@click.pass_context
def memos(ctx, fmt):
    """List memos, newest first; add or show one."""
    if ctx.invoked_subcommand is not None:
        return
    session: Session = ctx.obj
    project = session.project()
    with project.open_coder(session.coder, readonly=True) as coder:
        rows = memo_rows(project, coder)
    if fmt == "json":
        emit_json(rows)
        return
    emit_table(rows, ["modified", "target_type", "about", "text"], ["changed", "on", "about", "text"], wrap="text",
               empty=f"no memos {for_coder(project, session.coder)}")


def _target_options(f):
    for option in reversed([
        click.option("--transcript", help="a transcript (field notes)"),
        click.option("--code", help="a code or theme (its reasoning)"),
        click.option("--coding", help="one coding (a comment)"),
        click.option("--journal", is_flag=True, help="the project journal (a new dated entry)"),
        click.option("--cell", nargs=2, metavar="ROW THEME", default=None,
                     help="a cell of the framework matrix: its row (a participant, or a value of --rows) and its theme"),
        click.option("--rows", "rows_by", default="participant", show_default=True, metavar="participant|wave|ATTRIBUTE",
                     help="with --cell: how the matrix's rows are grouped"),
    ]):
        f = option(f)
    return f


@memos.command("add")
@_target_options
@click.argument("text")
@pass_session
def add(session: Session, transcript, code, coding, journal, cell, rows_by, text):
    """Write a memo (TEXT, or - to read it from standard input). A memo on a transcript, code or
    coding replaces its previous text; a journal entry is added with today's date."""
    if text == "-":
        text = sys.stdin.read()
    project = session.project()
    with project.open_coder(session.coder) as coder:
        target_type, target = resolve_target(project, coder, transcript, code, coding, journal, cell, rows_by)
        if target_type == "project":
            coder.add_journal_entry(text)
        else:
            coder.set_memo(target_type, target, text)
    click.echo(f"saved the {target_type} memo", err=True)


@memos.command("show")
@_target_options
@pass_session
def show(session: Session, transcript, code, coding, journal, cell, rows_by):
    """Print a memo (or the whole journal) as Markdown."""
    project = session.project()
    with project.open_coder(session.coder, readonly=True) as coder:
        target_type, target = resolve_target(project, coder, transcript, code, coding, journal, cell, rows_by)
        if target_type == "project":
            for entry in coder.journal():
                click.echo(inert(f"## {entry.title or entry.created[:10]}\n\n{entry.text}\n"))
            return
        memo = coder.memo(target_type, target)
        if memo is None:
            raise WorkbenchError(f"no memo on that {target_type} yet")
        click.echo(inert(memo.text))


def register(cli: click.Group) -> None:
    cli.add_command(memos)
