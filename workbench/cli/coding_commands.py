"""Scripted coding: `code add`, `code remove`, `codings`, `undo`, `redo`."""

from __future__ import annotations

import click

from workbench.cli.main import Session, pass_session
from workbench.cli.output import for_coder, emit_json, emit_table, format_option, short_id
from workbench.errors import WorkbenchError
from workbench.quotes import locate_quote
from workbench.terminal_safety import inert
from workbench.wording import plural


def coding_rows(project, coder_file, codings) -> list[dict]:
    from workbench.sources.attribution import Attribution

    book = coder_file.codebook
    attribution = Attribution(project)  # a focus-group coding: the speakers of its turns
    infos = attribution.infos
    rows = []
    for c in codings:
        info = infos.get(c.transcript)
        rows.append({
            "id": c.id, "coder": coder_file.coder, "code": book[c.code].name if c.code in book else c.code,
            "code_path": book.path(c.code) if c.code in book else c.code,
            "transcript": c.transcript, "participant": "; ".join(attribution.of(c)) if info else None,
            "wave": info.wave if info else None, "start": c.start, "end": c.end, "text": c.text,
            "corrected": c.corrected, "exemplar": c.exemplar, "review": c.review,
            "created": c.created, "modified": c.modified,
        })
    return rows


@click.command()
@click.option("--transcript", help="only this transcript")
@click.option("--code", "code_ref", help="only this code and its descendants")
@click.option("--review", is_flag=True, help="only codings flagged for review after a transcript was replaced")
@click.option("--width", type=click.IntRange(8, None), metavar="N",
              help="cut each quote to N characters (default: the whole quote, wrapped)")
@format_option
@pass_session
def codings(session: Session, transcript, code_ref, review, width, fmt):
    """List your codings (or another coder's, with --coder)."""
    project = session.project()
    with project.open_coder(session.coder, readonly=True) as coder:
        codes = coder.codebook.subtree_ids(coder.code(code_ref).id) if code_ref else None
        tid = project.transcript(transcript).id if transcript else None
        found = [c for c in coder.codings(transcript=tid, codes=codes) if c.review or not review]
        rows = coding_rows(project, coder, found)
    if fmt == "json":
        emit_json(rows)
        return
    for row in rows:
        row["short"] = short_id(row["id"])
        row["span"] = f"{row['start']}-{row['end']}"
    entries = project.manifest["transcripts"]  # a focus group's coding: who said it
    groups = any(entries.get(t, {}).get("kind") == "focus_group" for t in {r["transcript"] for r in rows})
    speakers = ["participant"] if groups else []
    extra = ["review"] if review else []
    emit_table(rows, ["short", "transcript", *speakers, "span", "code_path", *extra, "text"],
               ["id", "transcript", *speakers, "span", "code", *extra, "quote"], wrap="text", whole=True, cut=width,
               fold=("code_path",), empty=f"no codings {for_coder(project, session.coder)}")


@click.group()
def code():
    """Code a span of a transcript, or remove a coding."""


@code.command("add")
@click.argument("transcript")
@click.argument("args", nargs=-1, required=True)
@click.option("--quote", help="the words to code, found in the transcript (exactly, else fuzzily)")
@click.option("--corrected", help="a grammar-corrected version for quoting (the verbatim text is kept)")
@click.option("--new", "create", is_flag=True, help="create the code at the root if it does not exist")
@pass_session
def add(session: Session, transcript, args, quote, corrected, create):
    """TRANSCRIPT START END CODE, or TRANSCRIPT --quote TEXT CODE.

    START and END are code-point offsets into the transcript, END exclusive."""
    project = session.project()
    info = project.transcript(transcript)
    text = project.text(info.id)
    if quote is not None:
        if len(args) != 1:
            raise WorkbenchError("with --quote give the transcript and the code: code add T --quote TEXT CODE")
        start, end = locate_quote(text, quote, info.id)
        code_ref = args[0]
    else:
        if len(args) != 3:
            raise WorkbenchError("give TRANSCRIPT START END CODE (or TRANSCRIPT --quote TEXT CODE)")
        try:
            start, end = int(args[0]), int(args[1])
        except ValueError:
            raise WorkbenchError(f"START and END must be whole numbers (got {args[0]!r}, {args[1]!r})") from None
        code_ref = args[2]
        if not 0 <= start < end <= len(text):
            raise WorkbenchError(f"{info.id} has {len(text)} characters: need 0 <= START < END <= {len(text)}")
    with project.open_coder(session.coder) as coder:
        if create and code_ref not in coder.codebook.by_id:
            try:
                coder.code(code_ref)
            except WorkbenchError:
                coder.add_code(code_ref)
        coding = coder.add_coding(info.id, start, end, code_ref, text[start:end], corrected=corrected)
        click.echo(coding.id)
        path = inert(coder.codebook.path(coding.code))
        if (coding.start, coding.end) != (start, end):
            click.echo(f"coded {info.id} {start}-{end} as {path}: joined with the overlapping coding "
                       f"{short_id(coding.id)}, now {coding.start}-{coding.end}", err=True)
        else:
            click.echo(f"coded {info.id} {start}-{end} as {path}", err=True)


@code.command("remove")
@click.argument("coding_id")
@pass_session
def remove(session: Session, coding_id):
    """Remove a coding (by id or a unique prefix of it)."""
    with session.project().open_coder(session.coder) as coder:
        coding = coder.remove_coding(coding_id)
        click.echo(f"removed coding {short_id(coding.id)} ({coding.transcript} {coding.start}-{coding.end})", err=True)


@code.command("correct")
@click.argument("coding_id")
@click.argument("text", required=False)
@click.option("--clear", is_flag=True, help="remove the correction: the verbatim text is quoted again")
@pass_session
def correct(session: Session, coding_id, text, clear):
    """Set the corrected text of a coding (grammar only; the verbatim text is kept): what
    reports quote. A text keeping less than half of the quote's words is refused."""
    if clear == (text is not None):
        raise WorkbenchError("give the corrected TEXT, or --clear to remove the correction")
    with session.project().open_coder(session.coder) as coder:
        coding = coder.coding(coding_id)
        after = coder.update_coding(coding.id, corrected=None if clear else text)
    if after.corrected is None:
        click.echo(f"coding {short_id(after.id)} is quoted verbatim: “{inert(after.text)}”", err=True)
    else:
        click.echo(f"coding {short_id(after.id)} is quoted as “{inert(after.corrected)}” "
                   f"(verbatim kept: “{inert(after.text)}”)", err=True)


@code.command("join-duplicates")
@pass_session
def join_duplicates(session: Session):
    """Join codings of the same code whose spans overlap or touch into one coding over their
    union (what 'workbench doctor' reports as duplicates), as one change 'workbench undo' takes back."""
    with session.project().open_coder(session.coder) as coder:
        groups = len(coder.duplicates())
        joined = coder.join_duplicates()
    if joined:
        click.echo(f"joined {plural(joined, 'duplicate coding')} into {plural(groups, 'coding')} "
                   f"('workbench undo' takes it back)", err=True)
    else:
        click.echo("no duplicate codings", err=True)


def step_through_history(session: Session, direction: str) -> None:
    with session.project().open_coder(session.coder) as coder:
        entry = coder.undo() if direction == "undo" else coder.redo()
    done = {"undo": "undid", "redo": "redid"}[direction]
    click.echo(f"{done}: {inert(entry.summary)}" if entry else f"nothing to {direction}", err=True)


@click.command()
@pass_session
def undo(session: Session):
    """Undo your last change."""
    step_through_history(session, "undo")


@click.command()
@pass_session
def redo(session: Session):
    """Redo the change you last undid."""
    step_through_history(session, "redo")


@click.command()
@format_option
@pass_session
def history(session: Session, fmt):
    """Every change you made, oldest first: how the codes and themes came to be."""
    with session.project().open_coder(session.coder, readonly=True) as coder:
        rows = [{"seq": e.seq, "time": e.time, "action": e.action, "summary": e.summary, "state": e.state}
                for e in coder.history()]
    if fmt == "json":
        emit_json(rows)
        return
    emit_table(rows, ["seq", "time", "action", "state", "summary"], wrap="summary", empty="no history yet")


def register(cli: click.Group) -> None:
    for command in (codings, code, undo, redo, history):
        cli.add_command(command)
