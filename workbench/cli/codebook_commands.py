"""`workbench codes`: the codebook tree, listed and edited."""

from __future__ import annotations

import click

from workbench.cli.main import Session, pass_session
from workbench.cli.output import emit_json, emit_table, format_option, plural
from workbench.model import KINDS
from workbench.terminal_safety import inert


def code_rows(coder_file) -> list[dict]:
    book = coder_file.codebook
    counts: dict[str, int] = {}
    people: dict[str, set] = {}
    for coding in coder_file.codings():
        counts[coding.code] = counts.get(coding.code, 0) + 1
        people.setdefault(coding.code, set()).add(coding.transcript)
    return [{
        "id": c.id, "name": c.name, "path": book.path(c.id), "kind": c.kind, "color": c.color,
        "parent": book.path(c.parent) if c.parent in book else None, "depth": book.depth(c.id),
        "codings": counts.get(c.id, 0),
        "codings_in_subtree": sum(counts.get(i, 0) for i in book.subtree_ids(c.id)),
        "definition": c.description,
    } for c in book.walk()]


@click.group(invoke_without_command=True)
@format_option
@click.pass_context
def codes(ctx, fmt):
    """The codebook: list it as a tree, or add, rename, move, merge, delete and set codes."""
    if ctx.invoked_subcommand is not None:
        return
    session: Session = ctx.obj
    with session.project().open_coder(session.coder, readonly=True) as coder:
        rows = code_rows(coder)
    if fmt == "json":
        emit_json(rows)
        return
    for row in rows:
        row["tree"] = "  " * row["depth"] + row["name"]
    emit_table(rows, ["tree", "kind", "codings_in_subtree", "definition"], ["code", "kind", "codings", "definition"],
               wrap="definition", empty="no codes yet: 'workbench codes add NAME'")


def _edit(session: Session):
    return session.project().open_coder(session.coder)


kind_option = click.option("--kind", type=click.Choice(KINDS), help="code, subtheme, theme or category")
color_option = click.option("--color", help="a colour such as #e6194b")
definition_option = click.option("--definition", help="what it covers, what it does not, a typical example")


@codes.command("add")
@click.argument("name")
@click.option("--parent", help="path or unique name of the parent")
@kind_option
@color_option
@definition_option
@pass_session
def add(session, name, parent, kind, color, definition):
    """Add a code."""
    with _edit(session) as coder:
        code = coder.add_code(name, parent=parent, kind=kind or "code", color=color, description=definition or "")
        click.echo(f"added {inert(coder.codebook.path(code.id))}", err=True)


@codes.command("rename")
@click.argument("path")
@click.argument("new_name")
@pass_session
def rename(session, path, new_name):
    """Rename a code."""
    with _edit(session) as coder:
        code = coder.rename_code(path, new_name)
        click.echo(f"renamed to {inert(coder.codebook.path(code.id))}", err=True)


@codes.command("move")
@click.argument("path")
@click.option("--to", "parent", required=True, help="the new parent's path, or / for the root")
@pass_session
def move(session, path, parent):
    """Move a code under another parent."""
    with _edit(session) as coder:
        code = coder.move_code(path, None if parent.strip() == "/" else parent)
        click.echo(f"moved to {inert(coder.codebook.path(code.id))}", err=True)


@codes.command("merge")
@click.argument("path")
@click.option("--into", required=True, help="the code that receives the codings")
@pass_session
def merge(session, path, into):
    """Merge a code into another: its codings and children follow."""
    with _edit(session) as coder:
        moved = len(coder.codings(codes={coder.code(path).id}))
        target = coder.merge_code(path, into)
        click.echo(f"merged into {inert(coder.codebook.path(target.id))} ({plural(moved, 'coding')} moved)", err=True)


@codes.command("delete")
@click.argument("path")
@click.option("--yes", is_flag=True, help="do not ask")
@pass_session
def delete(session, path, yes):
    """Delete a code, its children and their codings (undo brings them back)."""
    with _edit(session) as coder:
        code = coder.code(path)
        doomed = coder.codings(codes=coder.codebook.subtree_ids(code.id))
        if not yes:
            click.confirm(f"delete {inert(coder.codebook.path(code.id))} and its {plural(len(doomed), 'coding')}?", abort=True, err=True)
        coder.delete_code(code.id)
        click.echo(f"deleted ({plural(len(doomed), 'coding')} with it; 'workbench undo' brings them back)", err=True)


@codes.command("set")
@click.argument("path")
@kind_option
@color_option
@definition_option
@pass_session
def set_(session, path, kind, color, definition):
    """Change a code's kind, colour or definition."""
    with _edit(session) as coder:
        coder.set_code(path, kind=kind, color=color, description=definition)


@codes.command("copy")
@click.option("--from", "source", required=True, help="the coder whose codebook to copy")
@click.option("--to", "target", help="the coder who receives it (default: you)")
@pass_session
def copy(session, source, target):
    """Copy one coder's codebook (codes only, no codings) into another's."""
    project = session.project()
    with project.open_coder(source, readonly=True, must_exist=True) as src, project.open_coder(target or session.coder) as dst:
        added = dst.copy_codebook_from(src)
        click.echo(f"copied {plural(added, 'code')} from {source} to {dst.coder}", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(codes)
