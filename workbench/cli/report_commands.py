"""`workbench report`: the results report as Markdown, HTML or DOCX."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.analysis_commands import open_for_analysis, weight_option
from workbench.cli.main import Session, pass_session
from workbench.cli.session_options import format_from_session
from workbench.errors import WorkbenchError

SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx"}


@click.command()
@click.option("--format", "fmt", type=click.Choice(["md", "html", "docx"]), default=None,
              callback=format_from_session(None), help="md, html (one self-contained file) or docx (default: from the output's suffix, else md)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="the file to write (default: Markdown to standard output)")
@click.option("--mark-corrected", is_flag=True, help="mark quotes whose grammar was corrected (†)")
@click.option("--verbatim", is_flag=True, help="print every quote as transcribed, without its grammar correction")
@click.option("--quotes", type=click.IntRange(1, 50), default=3, show_default=True,
              help="quotes per theme when none is marked as an exemplar")
@click.option("--matrix-rows", default="participant", show_default=True, metavar="participant|wave|ATTRIBUTE",
              help="the rows of the report's matrix")
@weight_option
@pass_session
def report(session: Session, fmt, output, mark_corrected, verbatim, quotes, matrix_rows, weight):
    """The results report: themes with definitions, counts, salience and quotes (with ids),
    the sample, the matrix, the thematic map and the COREQ items the project answers."""
    from workbench.report import render
    from workbench.report.content import build_report

    fmt = fmt or (SUFFIXES.get(output.suffix.lower(), "md") if output else "md")
    if fmt == "docx" and output is None:
        raise WorkbenchError("a DOCX report needs a file: give -o FILE.docx")
    project, coder = open_for_analysis(session)
    with coder:
        content = build_report(project, coder, weight=weight, quotes=quotes, matrix_by=matrix_rows, verbatim=verbatim)
    rendered = render(content, fmt, mark_corrected)
    if output is None:
        click.echo(rendered, nl=False)
        return
    data = rendered.encode("utf-8") if isinstance(rendered, str) else rendered
    try:
        project.write_export(output, data)
    except OSError as err:
        raise WorkbenchError(f"{output}: cannot write the report ({err.strerror or err})") from None
    click.echo(f"wrote {output} ({fmt}, {len(data):,} bytes)", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(report)
