"""Patterns across the coding from the shell: `workbench cooccurrence`, `saturation`, `audit`."""

from __future__ import annotations

import click

from workbench.cli.main import Session, pass_session
from workbench.cli.output import emit_json, emit_table, format_option
from workbench.terminal_safety import inert

level_option = click.option("--level", type=click.Choice(["code", "theme"]), default="code", show_default=True,
                            help="codes, or themes (each holding the codings of the codes under it)")


UNIT_WORDS = {"sentence": "a sentence", "turn": "a speaker turn", "transcript": "a transcript",
              "overlap": "an overlapping coding"}


def open_own_coder(session: Session):
    project = session.project()
    return project, project.open_coder(session.coder, readonly=True, must_exist=True)


@click.command()
@click.option("--unit", type=click.Choice(["sentence", "turn", "transcript", "overlap"]), default="sentence",
              show_default=True, help="what holds two codes together (overlap: two codings sharing a character)")
@level_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="pairs shown in the table (JSON has every pair)")
@format_option
@pass_session
def cooccurrence(session: Session, unit, level, limit, fmt):
    """Codes that occur together: for each pair, the units holding both, and the Jaccard index."""
    from workbench.analysis.cooccurrence import cooccurrence as compute

    project, coder = open_own_coder(session)
    with coder:
        result = compute(project, coder, unit=unit, level=level)
    if fmt == "json":
        emit_json(result.as_dict())
        return
    rows = [p.as_dict() for p in result.pairs if p.both][:limit]
    emit_table(rows, ["a", "b", "both", "a_total", "b_total", "jaccard"],
               [f"{level} A", f"{level} B", "overlaps" if unit == "overlap" else f"{unit}s with both", "A's", "B's", "Jaccard"],
               empty=f"no two {level}s share {UNIT_WORDS[unit]} in {coder.coder}'s coding")
    shown = sum(1 for p in result.pairs if p.both)
    if shown > limit:
        click.echo(f"\n{limit} of {shown} pairs that co-occur; --limit N for more, --format json for all")


@click.command()
@click.option("--order", default="date", show_default=True, metavar="date|import|ID,...",
              help="interview order: by date (undated last), in import order, or the ids given")
@level_option
@click.option("--base", type=click.IntRange(min=1), default=1, show_default=True,
              help="base size: transcripts before saturation can be judged")
@click.option("--run", "run_length", type=click.IntRange(min=1), default=3, show_default=True,
              help="run length: transcripts in a row that must bring (almost) nothing new")
@click.option("--threshold", type=click.FloatRange(0, 1, max_open=True), default=0.0, show_default=True,
              help="new-information threshold, a share of the base's codes (0.05 for 5%)")
@format_option
@pass_session
def saturation(session: Session, order, level, base, run_length, threshold, fmt):
    """New codes per transcript in interview order, and where saturation was reached."""
    from workbench.analysis.saturation import ORDERS, saturation as compute

    chosen = order if order in ORDERS else [t.strip() for t in order.split(",") if t.strip()]
    project, coder = open_own_coder(session)
    with coder:
        result = compute(project, coder, order=chosen, level=level, base=base, run=run_length, threshold=threshold)
    if fmt == "json":
        emit_json(result.as_dict())
        return
    peak = max((s.total for s in result.steps), default=0) or 1
    rows = [{"transcript": s.transcript, "new": s.new, "total": s.total, "curve": "█" * round(20 * s.total / peak),
             "new_codes": ", ".join(s.new_codes)} for s in result.steps]
    emit_table(rows, ["transcript", "new", "total", "curve", "new_codes"],
               ["transcript", "new", "total", "running total", f"{level}s first seen"], wrap="new_codes",
               empty="no transcripts to order")
    where = f"saturated after {inert(result.saturated_after)}" if result.saturated_after else "not saturated yet"
    click.echo(f"\n{where}: {result.criterion}")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--coders", default=None, metavar="A,B,...", help="only these coders' histories (default: all)")
@pass_session
def audit(session: Session, fmt, coders):
    """How the themes were derived: every coder's codebook changes, by Braun and Clarke's phases."""
    from workbench.analysis.audit import audit_markdown, build_audit

    project = session.project()
    chosen = [c.strip() for c in coders.split(",") if c.strip()] if coders else None
    result = build_audit(project, chosen)
    if fmt == "json":
        emit_json(result.as_dict())
    else:
        click.echo(audit_markdown(result))


def register(cli: click.Group) -> None:
    for command in (cooccurrence, saturation, audit):
        cli.add_command(command)
