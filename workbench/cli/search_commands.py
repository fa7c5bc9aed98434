"""`workbench search QUERY`: typo-tolerant quote search over every sentence and coding."""

from __future__ import annotations

import click

from workbench.cli.main import Session, pass_session
from workbench.cli.output import emit_json, format_option
from workbench.errors import WorkbenchError
from workbench.terminal_safety import inert

CONTEXT = 50  # characters of the sentence shown either side of the match


def parse_where(pairs: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    parsed = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise WorkbenchError(f"--where takes ATTRIBUTE=VALUE, not '{pair}'")
        parsed.append((key.strip(), value.strip()))
    return tuple(parsed)


def one_line(text: str) -> str:
    return " ".join(inert(text).split())


def shown_quote(hit) -> str:
    """The sentence around the match, the match bold and underlined, cut to a little context."""
    at, to = hit.start - hit.context_start, hit.end - hit.context_start
    before, after = hit.context[:at], hit.context[to:]
    before = ("…" + before[-CONTEXT:]) if len(before) > CONTEXT else before
    after = (after[:CONTEXT] + "…") if len(after) > CONTEXT else after
    return one_line(before) + (" " if before[-1:].isspace() else "") + \
        click.style(one_line(hit.text), bold=True, underline=True) + \
        (" " if after[:1].isspace() else "") + one_line(after)


@click.command()
@click.argument("query")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="most hits shown")
@click.option("--participant", "participants", multiple=True, help="only this participant (repeatable)")
@click.option("--wave", "waves", multiple=True, type=int, help="only this wave (repeatable)")
@click.option("--code", "code_ref", help="only text you coded with this code or theme (or a code under it)")
@click.option("--uncoded", is_flag=True, help="only text you have not coded")
@click.option("--role", type=click.Choice(["participant", "interviewer", "any"]), default="participant",
              show_default=True, help="whose turns to search")
@click.option("--where", "where", multiple=True, metavar="ATTRIBUTE=VALUE",
              help="only participants with this attribute (repeatable: all must hold)")
@click.option("--every-coder", is_flag=True, help="show every coder's codes on the hits, not only yours")
@format_option
@pass_session
def search(session: Session, query, limit, participants, waves, code_ref, uncoded, role, where, every_coder, fmt):
    """Find where someone said something like QUERY (typos and paraphrase tolerated)."""
    from workbench.search.project_search import Filters, ProjectSearch

    if code_ref and uncoded:
        raise WorkbenchError("give --code or --uncoded, not both")
    project = session.project()
    filters = Filters(participants=frozenset(participants), waves=frozenset(waves), role=role, code=code_ref,
                      uncoded=uncoded, where=parse_where(where))
    finder = ProjectSearch.open(project, session.coder, every_coder=every_coder)
    hits = finder.search(query, limit=limit, filters=filters)
    if fmt == "json":
        emit_json([hit.to_dict() for hit in hits])
        return
    if not hits:
        click.echo("no hits", err=True)
        return
    click.echo(click.style(f"{'score':>5}  {'cited as':<10} what was said (where, and your codes, below it)"
                           if not every_coder else
                           f"{'score':>5}  {'cited as':<10} what was said (where, and every coder's codes, below it)",
                           bold=True))
    for hit in hits:
        click.echo(f"{hit.score:5.0f}  {inert(hit.quote_id):<10} {shown_quote(hit)}")
        detail = f"{hit.transcript} {hit.start}-{hit.end}" + (f" · {hit.role}" if hit.role != "participant" else "")
        codes = "; ".join(inert(code) for code in hit.codes)
        click.echo(click.style(f"{'':5}  {'':<10} {detail}" + (f" · codes: {codes}" if codes else ""), dim=True))


def register(cli: click.Group) -> None:
    cli.add_command(search)
