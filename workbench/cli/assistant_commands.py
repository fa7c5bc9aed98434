"""The assistant from the shell: `workbench similar`, `suggest`, `suggestions`, `codes similar`.

Nothing here or in `workbench.assistant` opens a network connection; scikit-learn is loaded
only when one of these commands runs.
"""

from __future__ import annotations

import click

from workbench.cli.main import Session, pass_session
from workbench.cli.output import emit_json, emit_table, format_option
from workbench.errors import WorkbenchError


@click.command()
@click.option("--code", "code_ref", help="passages like this code's codings (and not yet coded with it)")
@click.option("--coding", "coding_ref", help="passages like one coding (by id or short id)")
@click.option("--text", help="passages like these words")
@click.option("--unit", type=click.Choice(["sentence", "turn"]), default="sentence", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@format_option
@pass_session
def similar(session: Session, code_ref, coding_ref, text, unit, limit, fmt):
    """More like this: the passages most like the evidence, best first."""
    from workbench.assistant.similar import SimilarFinder

    if sum(x is not None for x in (code_ref, coding_ref, text)) != 1:
        raise WorkbenchError("give one of --code, --coding or --text")
    project = session.project()
    finder = SimilarFinder(project, unit)
    with project.open_coder(session.coder, readonly=True, must_exist=text is None) as coder:
        found = finder.like(coder, code_ref, coding_ref, text, limit)
    rows = [s.as_dict() for s in found]
    if fmt == "json":
        emit_json(rows)
        return
    emit_table(rows, ["score", "transcript", "start", "end", "text"], ["score", "transcript", "start", "end", "passage"],
               wrap="text", empty="no passage like it")


@click.command()
@click.option("--transcript", "transcripts", multiple=True, help="only these transcripts (repeatable)")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="at most N suggestions")
@format_option
@pass_session
def suggest(session: Session, transcripts, limit, fmt):
    """Propose your own codes for passages you have not coded, learned from your codings only.
    They are kept apart (coder assistant-<you>) until you accept each one."""
    from workbench.assistant.suggest import suggest as run

    found, fingerprint = run(session.project(), session.coder, list(transcripts) or None, limit)
    if fmt == "json":
        emit_json([s.as_dict() for s in found])
        return
    rows = [{**s.as_dict(), "text": s.text, "because": ", ".join(b[:8] for b in s.because)} for s in found]
    emit_table(rows, ["score", "code", "transcript", "start", "text", "because"],
               ["score", "code", "transcript", "start", "passage", "like your codings"], wrap="text",
               empty="nothing to suggest")
    click.echo(f"\n{len(found)} suggestion{'s' if len(found) != 1 else ''} kept apart for {session.coder} "
               f"(model {fingerprint[:16]}); `workbench suggestions` lists them", err=True)


@click.group(invoke_without_command=True)
@format_option
@click.pass_context
def suggestions(ctx, fmt):
    """The assistant's open suggestions for you; accept or reject them one by one."""
    if ctx.invoked_subcommand is not None:
        return
    from workbench.assistant.store import open_suggestions

    session: Session = ctx.obj
    rows = open_suggestions(session.project(), session.coder)
    if fmt == "json":
        emit_json(rows)
        return
    for row in rows:
        row["short"] = row["id"][:8]
    emit_table(rows, ["short", "code", "transcript", "start", "text"], ["id", "code", "transcript", "start", "passage"],
               wrap="text", empty="no open suggestions: `workbench suggest` makes some")


def settle_command(decision: str):
    @click.argument("suggestion_id")
    @pass_session
    def command(session: Session, suggestion_id):
        from workbench.assistant.store import settle

        project = session.project()
        with project.open_coder(session.coder) as coder:
            made = settle(project, coder, suggestion_id, decision)
        click.echo(f"{decision}ed {suggestion_id}" + (f": coding {made.id[:8]} is yours" if made else
                                                     " (never proposed again)"), err=True)

    command.__doc__ = {"accept": "Make a suggestion your coding (its history says it was a suggestion).",
                       "reject": "Turn a suggestion down; it is never proposed again."}[decision]
    return click.command(decision)(command)


suggestions.add_command(settle_command("accept"))
suggestions.add_command(settle_command("reject"))


@click.command("similar")
@format_option
@pass_session
def codes_similar(session: Session, fmt):
    """Pairs of codes that look like one (names, definitions, overlapping codings), to merge."""
    from workbench.assistant.duplicates import similar_codes

    project = session.project()
    with project.open_coder(session.coder, readonly=True, must_exist=True) as coder:
        pairs = similar_codes(project, coder)
    rows = [p.as_dict() for p in pairs]
    if fmt == "json":
        emit_json(rows)
        return
    for row in rows:
        row["why"] = "; ".join(row["reasons"])
    emit_table(rows, ["a", "b", "score", "why"], ["code A", "code B", "score", "why"], wrap="why",
               empty="no two codes look alike")


def register(cli: click.Group) -> None:
    from workbench.cli.codebook_commands import codes

    for command in (similar, suggest, suggestions):
        cli.add_command(command)
    codes.add_command(codes_similar)
