"""Two coders: `agreement` (the figures researchers report) and `merge` (into a consensus file)."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from workbench.analysis.agreement_stats import AgreementFigures, kappa_band
from workbench.analysis.agreement_text import (band_text, number_text, participants_heading, percent_text,
                                               uncoded_participants)
from workbench.analysis.transcript_selection import excluded_summary
from workbench.cli.main import Session, pass_session
from workbench.errors import WorkbenchError
from workbench.cli.output import emit_json, format_option, wrap_cell
from workbench.terminal_safety import inert
from workbench.wording import agree, plural

WIDTH = 80  # when the terminal's width is unknown (a pipe)
MIN_LABEL_WIDTH = 20
BAND_COLOURS = {"poor": "red", "slight": "red", "fair": "yellow", "moderate": "yellow",
                "substantial": "green", "almost perfect": "bright_green"}
NUMBER_COLUMNS = [("both", "both"), ("A only", "a_only"), ("B only", "b_only"), ("agree", "percent_agreement"),
                  ("kappa", "kappa"), ("band", "band"), ("pos", "positive_agreement"), ("alpha", "alpha")]


def transcript_options(f):
    """--all-transcripts and --transcripts ID,...: which transcripts two coders are compared on."""
    f = click.option("--transcripts", "transcript_list", metavar="ID,...",
                     help="compare only these transcripts (ids separated by commas)")(f)
    return click.option("--all-transcripts", "every_transcript", is_flag=True,
                        help="compare every transcript, also those a coder has not worked on yet")(f)


def parse_transcript_list(given: str | None) -> list[str] | None:
    if given is None:
        return None
    return [t.strip() for t in given.split(",") if t.strip()]


def echo_excluded(selection, err: bool = False) -> None:
    if selection.excluded:
        n = len(selection.excluded)
        click.echo(f"{plural(n, 'transcript')} left out (--all-transcripts compares every one):", err=err)
        for line in excluded_summary(selection):
            click.echo(f"  {inert(line)}", err=err)


@click.command()
@click.argument("coders", nargs=-1, required=True, metavar="CODER_A CODER_B [CODER ...]")
@click.option("--unit", type=click.Choice(["character", "sentence", "turn", "transcript"]), default="character",
              show_default=True, help="what one unit of comparison is")
@click.option("--level", type=click.Choice(["code", "theme"]), default="code", show_default=True,
              help="compare codes, or themes (each coding counted for its nearest theme)")
@click.option("--map", "mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV pairing A's codes with B's (columns named after the coders, or the first two)")
@click.option("--at", "moment", metavar="DATE",
              help="with one coder: their coding at DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM) against their coding now")
@click.option("--by-participant", is_flag=True,
              help="one row per participant, pooled over the codes (a focus group's speakers: their own turns)")
@transcript_options
@format_option
@pass_session
def agreement(session: Session, coders, unit, level, mapping, moment, by_participant, every_transcript, transcript_list,
              fmt):
    """Agreement between CODER_A and CODER_B: per code, pooled over transcripts, and overall.

    Only the transcripts both coders worked on are compared (each has a coding there or
    marked it done: 'workbench transcripts done ID', or D in the screen), unless
    --all-transcripts or --transcripts. Percent agreement, Cohen's kappa, positive agreement
    and Krippendorff's alpha (nominal); docs/agreement.md gives the formulas and the JSON fields.

    Three coders or more: Krippendorff's alpha over all of them (a coder who has not worked on
    a transcript is missing there), Fleiss' kappa and the pairwise kappas. One coder with
    --at DATE: that coder against their own earlier coding (intra-coder agreement)."""
    transcripts = parse_transcript_list(transcript_list)
    if by_participant:
        if len(coders) != 2:
            raise WorkbenchError("--by-participant compares two coders")
        agreement_by_participant(session, coders[0], coders[1], unit, level, mapping, fmt, every_transcript,
                                 transcripts)
        return
    if moment is not None:
        if len(coders) != 1:
            raise WorkbenchError("--at compares one coder with their own earlier coding: give one coder")
        from workbench.analysis.as_of import intra_coder

        report = intra_coder(session.project(), coders[0], moment, unit, level, every_transcript, transcripts)
        coder_a, coder_b = report.coders
    elif len(coders) > 2:
        if mapping is not None:
            raise WorkbenchError("--map pairs two coders' codes; three coders or more are matched by path")
        from workbench.analysis.multi_coder import agreement_among

        emit_many(agreement_among(session.project(), list(coders), unit, level, transcripts, every_transcript), fmt)
        return
    elif len(coders) == 2:
        from workbench.analysis.agreement import agreement as compute

        coder_a, coder_b = coders
        report = compute(session.project(), coder_a, coder_b, unit=unit, level=level, mapping_file=mapping,
                         every_transcript=every_transcript, transcripts=transcripts)
    else:
        raise WorkbenchError("give two coders (or more), or one coder with --at DATE")
    if fmt == "json":
        emit_json(report.as_dict())
        return
    compared = report.selection.compared
    used = [c for c in report.codes if c.figures.coded]
    rows = [(c.code.label, c.figures, c.note) for c in used] + [("overall", report.overall, report.overall.note)]
    heading = (f"{coder_a} (A) and {coder_b} (B), {level}s compared on {unit}s in "
               f"{plural(len(compared), 'transcript')}; kappa: Landis & Koch bands")
    for line in wrap_cell(inert(heading), table_width()):
        click.echo(line)
    if not compared:
        click.echo("no transcript that both coders worked on: give --all-transcripts or --transcripts ID,...")
    else:
        print_table(rows, level)
    if len(used) < len(report.codes):
        left = len(report.codes) - len(used)
        click.echo(f"{plural(left, level)} neither coder applied {agree(left, 'is', 'are')} left out "
                   f"(--format json lists {agree(left, 'it', 'them')})")
    echo_excluded(report.selection)


def emit_many(report, fmt: str) -> None:
    """Three coders or more: alpha, Fleiss' kappa and the pairwise kappas, per code and overall."""
    if fmt == "json":
        emit_json(report.as_dict())
        return
    names = report.coders
    heading = (f"{', '.join(names)}: {report.level}s compared on {report.unit}s; a coder who has not worked on a "
               "transcript is missing there")
    for line in wrap_cell(inert(heading), table_width()):
        click.echo(line)
    pairs = [f"{a}~{b}" for a, b in ((p.a, p.b) for p in report.overall.pairs)]
    rows = [(label, f) for label, f in report.codes] + [("overall", report.overall)]
    labels = [inert(label) for label, _ in rows]
    label_width = min(max(len(report.level), *(len(x) for x in labels)), max(20, table_width() // 3))
    columns = ["alpha", "Fleiss", *pairs]
    widths = [max(6, len(c)) for c in columns]
    click.echo(click.style("  ".join([report.level.ljust(label_width), *(c.rjust(w) for c, w in zip(columns, widths))]),
                           bold=True))
    notes = []
    for label, (_, f) in zip(labels, rows):
        values = [number_text(f.alpha), number_text(f.fleiss_kappa), *(number_text(p.kappa) for p in f.pairs)]
        lines = wrap_cell(label, label_width, breaks="/ ")
        click.echo("  ".join([lines[0].ljust(label_width), *(v.rjust(w) for v, w in zip(values, widths))]))
        for more in lines[1:]:
            click.echo(more)
        if f.note and label == "overall":
            notes.append(f.note)
    click.echo("pairs: Cohen's kappa on the units both coders are present on; — where undefined")
    for note in notes:
        for line in wrap_cell(inert(f"overall: {note}"), table_width()):
            click.echo(line)
    left_out = {name: len(report.worked_on[name]) for name in names}
    click.echo("transcripts each coder counts on: " + ", ".join(f"{inert(n)} {c}" for n, c in left_out.items()))


def table_width() -> int:
    return max(60, shutil.get_terminal_size((WIDTH, 24)).columns)


def agreement_by_participant(session: Session, coder_a, coder_b, unit, level, mapping, fmt, every_transcript,
                             transcripts) -> None:
    from workbench.analysis.agreement_participants import agreement_by_participant as compute

    report = compute(session.project(), coder_a, coder_b, unit=unit, level=level, mapping_file=mapping,
                     every_transcript=every_transcript, transcripts=transcripts)
    if fmt == "json":
        emit_json({"unit": unit, "level": level, "coders": [coder_a, coder_b],
                   "participants": [r.as_dict() for r in report.rows], **report.selection.as_dict()})
        return
    click.echo(participants_heading(coder_a, coder_b, unit, level))
    if not report.selection.compared:
        click.echo("no transcript that both coders worked on: give --all-transcripts or --transcripts ID,...")
    else:
        shown = [r for r in report.rows if r.figures.coded]
        print_table([(r.participant, r.figures, r.figures.note) for r in shown], "participant")
        left = uncoded_participants(report.rows)
        if left:
            uncoded = sum(not r.figures.coded for r in report.rows)
            click.echo(inert(left) + f" (--format json lists {agree(uncoded, 'it', 'them')})")
    echo_excluded(report.selection)


def print_table(rows: list[tuple[str, AgreementFigures, str | None]], level: str = "code") -> None:
    """Code names whole: wrapped in their column, or on lines of their own above the figures
    when the terminal leaves the column too narrow to read."""
    cells = [[show(key, cell_value(f, key)) for _, key in NUMBER_COLUMNS] for _, f, _ in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, (h, _) in enumerate(NUMBER_COLUMNS)]
    width = table_width()
    label_width = width - sum(w + 2 for w in widths)
    labels = [inert(label) + (f" ({len(rows)})" if note else "") for label, _, note in rows]  # the longest a mark gets
    own_lines = label_width < MIN_LABEL_WIDTH and any(len(label) > label_width for label in labels)
    label_width = 2 if own_lines else max(label_width, len(level))
    header = ("" if own_lines else level).ljust(label_width) + \
        "".join("  " + (h.ljust(w) if key == "band" else h.rjust(w)) for (h, key), w in zip(NUMBER_COLUMNS, widths))
    if own_lines:
        click.echo(click.style(level, bold=True))
    click.echo(click.style(header.rstrip(), bold=True))
    notes = []
    for (label, f, note), row in zip(rows, cells):
        mark = ""
        if note:
            notes.append(f"{len(notes) + 1}. {label}: {note}")
            mark = f" ({len(notes)})"
        lines = wrap_cell(inert(label) + mark, width if own_lines else label_width, breaks="/ ")
        if own_lines:
            for name_line in lines:
                click.echo(name_line)
            lines = [""]
        line = lines[0].ljust(label_width)
        for (h, key), text, w in zip(NUMBER_COLUMNS, row, widths):
            padded = text.ljust(w) if key == "band" else text.rjust(w)
            if key in ("kappa", "band") and f.kappa is not None:
                padded = click.style(padded, fg=BAND_COLOURS[kappa_band(f.kappa)])
            line += "  " + padded
        click.echo(line.rstrip(), color=None)
        for more in lines[1:]:
            click.echo(more)
    for note in notes:
        for line in wrap_cell(inert(note), width):
            click.echo(line)


def cell_value(f: AgreementFigures, key: str):
    return band_text(f.kappa) if key == "band" else getattr(f, key)


def show(key: str, value) -> str:
    if key == "percent_agreement":
        return percent_text(value)
    if key == "band":
        return value
    if isinstance(value, float) or value is None:
        return number_text(value)
    return str(value)


@click.command()
@click.argument("coder_a")
@click.argument("coder_b")
@click.option("--into", default="consensus", show_default=True, help="the coder file to merge into")
@click.option("--strategy", type=click.Choice(["union", "intersection"]), default="union", show_default=True,
              help="union: every coding of both; intersection: only what both coded, code by code")
@click.option("--force", is_flag=True, help="add to a target that already holds codings (nothing is removed)")
@transcript_options
@pass_session
def merge(session: Session, coder_a, coder_b, into, strategy, force, every_transcript, transcript_list):
    """Merge CODER_A's and CODER_B's codings into another coder file (the consensus), as one
    change that `workbench --coder consensus undo` takes back. Like agreement, only the
    transcripts both coders worked on, unless --all-transcripts or --transcripts."""
    from workbench.analysis.merge import merge_coders

    result = merge_coders(session.project(), coder_a, coder_b, into=into, strategy=strategy, force=force,
                          every_transcript=every_transcript, transcripts=parse_transcript_list(transcript_list))
    click.echo(f"merged {coder_a} and {coder_b} into {into} ({strategy}) in "
               f"{plural(len(result.selection.compared), 'transcript')}: {plural(result.codings_added, 'coding')} "
               f"and {plural(result.codes_added, 'code')} added, {result.already_there} already there"
               + (f", {result.joined} joined with overlapping codings of the same code" if result.joined else ""),
               err=True)
    echo_excluded(result.selection, err=True)


def register(cli: click.Group) -> None:
    for command in (agreement, merge):
        cli.add_command(command)
