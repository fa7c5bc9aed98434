"""The results report as a Word document (python-docx), for Word and LibreOffice."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from workbench.report.content import (
    CORRECTED_MARK,
    APPENDIX_NOTE,
    APPENDIX_TITLE,
    MapNode,
    Report,
    appendix_rows,
    corrected_note,
    counts_line,
    quote_note,
    map_counts,
    walk_sections,
)

# Characters XML 1.0 cannot hold: python-docx refuses them, so they become visible stand-ins.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LIST_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")


def x(text) -> str:
    return NOT_XML.sub("\ufffd", str(text))


def render_docx(report: Report, mark_corrected: bool = False) -> bytes:
    doc = Document()
    doc.core_properties.title = x(f"Results: {report.title}")
    doc.core_properties.author = x(report.coder)
    doc.add_heading(x(f"Results: {report.title}"), level=0)
    doc.add_paragraph(x(f"Coder: {report.coder}. Generated {report.generated} by Workbench {report.version}."))
    doc.add_paragraph(x(f"Salience: {report.formula}."))

    doc.add_heading("Sample", level=1)
    for label, text in report.sample.lines():
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(x(label) + ": ").bold = True
        paragraph.add_run(x(text))

    doc.add_heading("Themes", level=1)
    doc.add_paragraph(quote_note(report) + corrected_note(report, mark_corrected))
    for section, depth in walk_sections(report.sections):
        doc.add_heading(x(f"{section.name} ({section.kind})"), level=min(9, 2 + depth))
        if section.definition:
            paragraph = doc.add_paragraph()
            paragraph.add_run("Definition: ").italic = True
            paragraph.add_run(x(section.definition))
        if section.memo:
            paragraph = doc.add_paragraph()
            paragraph.add_run("Memo: ").italic = True
            paragraph.add_run(x(section.memo))
        doc.add_paragraph(x(counts_line(section.stats, report)))
        if section.codes:
            doc.add_paragraph(x("Codes: " + ", ".join(f"{c.code.name} ({c.codings})" for c in section.codes)))
        for quote in section.quotes:
            paragraph = doc.add_paragraph(style="Quote")
            mark = CORRECTED_MARK if mark_corrected and quote.corrected else ""
            paragraph.add_run(x(f"“{quote.text}”{mark} "))
            paragraph.add_run(x(f"({quote.quote_id})")).italic = False

    doc.add_heading("Matrix", level=1)
    add_matrix(doc, report)
    add_patterns(doc, report)
    doc.add_heading("Thematic map", level=1)
    add_map(doc, report.thematic_map, 0)
    doc.add_heading("COREQ items", level=1)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("No.", "Item", "Answer")):
        cell.paragraphs[0].add_run(text).bold = True
    for item in report.coreq:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = str(item.number), x(item.item), x(item.answer)
        for line in item.details or []:
            cells[2].add_paragraph(x(f"• {line}"))
    add_codebook(doc, report)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def add_codebook(doc, report: Report) -> None:
    doc.add_heading(APPENDIX_TITLE, level=1)
    if not report.codebook:
        doc.add_paragraph("The codebook is empty.")
        return
    doc.add_paragraph(APPENDIX_NOTE)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Code", "Kind", "Definition", "Codings")):
        cell.paragraphs[0].add_run(text).bold = True
    for row in appendix_rows(report):
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = x(text)
        cells[3].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def add_matrix(doc, report: Report) -> None:
    matrix = report.matrix
    if matrix is None:
        doc.add_paragraph("No matrix: the codebook is empty.")
        return
    what = "presence (1 = coded)" if matrix.presence else "number of codings"
    doc.add_paragraph(x(f"Rows: {matrix.by}; columns: {matrix.level}s; cells: {what}, shaded by intensity."))
    table = doc.add_table(rows=1, cols=len(matrix.columns) + 1)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, [matrix.by, *(c["code"] for c in matrix.columns)]):
        cell.paragraphs[0].add_run(x(text)).bold = True
    for row, values in zip(matrix.rows, matrix.cells):
        cells = table.add_row().cells
        cells[0].text = x(row)
        for cell, value in zip(cells[1:], values):
            cell.text = str(value)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            shade(cell, matrix.intensity(value))


def add_patterns(doc, report: Report) -> None:
    from workbench.report.content import PATTERN_NOTES, pair_text, saturation_text

    patterns = report.patterns
    if patterns is None:
        return
    if patterns.framework:
        doc.add_heading("Framework summaries", level=1)
        doc.add_paragraph(x(PATTERN_NOTES["framework"]))
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, (patterns.framework_by, patterns.framework_level, "codings", "summary")):
            cell.paragraphs[0].add_run(x(text)).bold = True
        for c in patterns.framework:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text, cells[3].text = x(c.row), x(c.column["path"]), str(c.count), x(c.summary)
    doc.add_heading("Codes that occur together", level=1)
    if patterns.pairs:
        doc.add_paragraph(x(PATTERN_NOTES["pairs"]))
        for pair in patterns.pairs:
            doc.add_paragraph(x(pair_text(pair)), style=LIST_STYLES[0])
    else:
        doc.add_paragraph("No two codes share a sentence.")
    if patterns.saturation is not None:
        doc.add_heading("Saturation", level=1)
        doc.add_paragraph(x(saturation_text(patterns.saturation) + "."))
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("transcript", "new codes", "running total")):
            cell.paragraphs[0].add_run(text).bold = True
        for step in patterns.saturation.steps:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = x(step.transcript), str(step.new), str(step.total)


def shade(cell, intensity: float) -> None:
    """Fill a table cell from white to blue by intensity (w:shd, which python-docx has no API for)."""
    if intensity <= 0:
        return
    blend = lambda full: round(255 - (255 - full) * intensity * 0.85)  # noqa: E731
    fill = f"{blend(40):02X}{blend(90):02X}{blend(180):02X}"
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def add_map(doc, nodes: list[MapNode], depth: int) -> None:
    for node in nodes:
        paragraph = doc.add_paragraph(style=LIST_STYLES[min(depth, len(LIST_STYLES) - 1)])
        if depth >= len(LIST_STYLES):
            paragraph.paragraph_format.left_indent = Pt(18 * (depth + 1))
        paragraph.add_run(x(node.name)).bold = node.kind != "code"
        paragraph.add_run(x(f" ({node.kind}): {map_counts(node)}"))
        add_map(doc, node.children, depth + 1)
