"""The results report: themes under their macro-categories with definitions, counts, salience
and quotes; the sample; the matrix; the thematic map; the COREQ items the project answers.

    report = build_report(project, coder)          # workbench.report.content
    render(report, "md" | "html" | "docx")          # str for md and html, bytes for docx
"""

from __future__ import annotations

from workbench.report.content import Report, build_report

FORMATS = ("md", "html", "docx")


def render(report: Report, fmt: str, mark_corrected: bool = False) -> str | bytes:
    if fmt == "md":
        from workbench.report.markdown import render_markdown

        return render_markdown(report, mark_corrected)
    if fmt == "html":
        from workbench.report.html import render_html

        return render_html(report, mark_corrected)
    if fmt == "docx":
        from workbench.report.docx_writer import render_docx

        return render_docx(report, mark_corrected)
    raise ValueError(f"unknown report format {fmt!r}")


__all__ = ["FORMATS", "Report", "build_report", "render"]
