"""Two coders: `agreement` (the figures researchers report) and `merge` (into a consensus file)."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.analysis.agreement_stats import AgreementFigures, kappa_band
from workbench.cli.main import Session, pass_session
from workbench.cli.output import emit_json, format_option
from workbench.terminal_safety import inert

WIDTH = 80
BAND_COLOURS = {"poor": "red", "slight": "red", "fair": "yellow", "moderate": "yellow",
                "substantial": "green", "almost perfect": "bright_green"}
NUMBER_COLUMNS = [("both", "both"), ("A only", "a_only"), ("B only", "b_only"), ("agree", "percent_agreement"),
                  ("kappa", "kappa"), ("pos", "positive_agreement"), ("alpha", "alpha")]


@click.command()
@click.argument("coder_a")
@click.argument("coder_b")
@click.option("--unit", type=click.Choice(["character", "sentence", "turn", "transcript"]), default="character",
              show_default=True, help="what one unit of comparison is")
@click.option("--level", type=click.Choice(["code", "theme"]), default="code", show_default=True,
              help="compare codes, or themes (each coding counted for its nearest theme)")
@click.option("--map", "mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV pairing A's codes with B's (columns named after the coders, or the first two)")
@click.option("--by-participant", is_flag=True,
              help="one row per participant, pooled over the codes (a focus group's speakers: their own turns)")
@format_option
@pass_session
def agreement(session: Session, coder_a, coder_b, unit, level, mapping, by_participant, fmt):
    """Agreement between CODER_A and CODER_B: per code, pooled over transcripts, and overall.

    Percent agreement, Cohen's kappa, positive agreement and Krippendorff's alpha (nominal);
    docs/agreement.md gives the formulas and the JSON fields."""
    from workbench.analysis.agreement import agreement as compute

    if by_participant:
        agreement_by_participant(session, coder_a, coder_b, unit, level, mapping, fmt)
        return
    report = compute(session.project(), coder_a, coder_b, unit=unit, level=level, mapping_file=mapping)
    if fmt == "json":
        emit_json(report.as_dict())
        return
    used = [c for c in report.codes if c.figures.both + c.figures.a_only + c.figures.b_only]
    rows = [(c.code.label, c.figures, c.note) for c in used] + [("overall", report.overall, report.overall.note)]
    click.echo(f"{coder_a} (A) and {coder_b} (B), {level}s compared on {unit}s; kappa: Landis & Koch bands")
    print_table(rows, level)
    if len(used) < len(report.codes):
        click.echo(f"{len(report.codes) - len(used)} {level}s neither coder applied are left out (--format json lists them)")


def agreement_by_participant(session: Session, coder_a, coder_b, unit, level, mapping, fmt) -> None:
    from workbench.analysis.agreement_participants import agreement_by_participant as compute

    rows = compute(session.project(), coder_a, coder_b, unit=unit, level=level, mapping_file=mapping)
    if fmt == "json":
        emit_json({"unit": unit, "level": level, "coders": [coder_a, coder_b],
                   "participants": [r.as_dict() for r in rows]})
        return
    click.echo(f"{coder_a} (A) and {coder_b} (B) per participant, all {level}s pooled, on {unit}s; "
               "kappa: Landis & Koch bands")
    print_table([(r.participant, r.figures, r.figures.note) for r in rows], "participant")


def print_table(rows: list[tuple[str, AgreementFigures, str | None]], level: str = "code") -> None:
    cells = [[show(name, getattr(f, key)) for name, key in NUMBER_COLUMNS] for _, f, _ in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, (h, _) in enumerate(NUMBER_COLUMNS)]
    label_width = max(8, WIDTH - sum(w + 2 for w in widths))
    header = level.ljust(label_width) + "".join("  " + h.rjust(w) for (h, _), w in zip(NUMBER_COLUMNS, widths))
    click.echo(click.style(header, bold=True))
    notes = []
    for (label, f, note), row in zip(rows, cells):
        mark = ""
        if note:
            notes.append(f"{len(notes) + 1}. {label}: {note}")
            mark = f"({len(notes)})"
        name = clip_left(inert(label), label_width - len(mark)) + mark
        line = name.ljust(label_width)
        for (h, key), text, w in zip(NUMBER_COLUMNS, row, widths):
            padded = text.rjust(w)
            if key == "kappa" and f.kappa is not None:
                padded = click.style(padded, fg=BAND_COLOURS[kappa_band(f.kappa)])
            line += "  " + padded
        click.echo(line, color=None)
    for note in notes:
        click.echo(clip(inert(note), WIDTH))


def show(column: str, value) -> str:
    if value is None:
        return "-"
    if column == "agree":
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def clip_left(path: str, width: int) -> str:
    """A long code path keeps its end, which tells codes apart: '…strain/overwork'."""
    return path if len(path) <= width else "…" + path[len(path) - max(0, width - 1):]


@click.command()
@click.argument("coder_a")
@click.argument("coder_b")
@click.option("--into", default="consensus", show_default=True, help="the coder file to merge into")
@click.option("--strategy", type=click.Choice(["union", "intersection"]), default="union", show_default=True,
              help="union: every coding of both; intersection: only what both coded, code by code")
@click.option("--force", is_flag=True, help="add to a target that already holds codings (nothing is removed)")
@pass_session
def merge(session: Session, coder_a, coder_b, into, strategy, force):
    """Merge CODER_A's and CODER_B's codings into another coder file (the consensus), as one
    change that `workbench --coder consensus undo` takes back."""
    from workbench.analysis.merge import merge_coders

    result = merge_coders(session.project(), coder_a, coder_b, into=into, strategy=strategy, force=force)
    click.echo(f"merged {coder_a} and {coder_b} into {into} ({strategy}): {result.codings_added} codings and "
               f"{result.codes_added} codes added, {result.already_there} already there", err=True)


def register(cli: click.Group) -> None:
    for command in (agreement, merge):
        cli.add_command(command)
