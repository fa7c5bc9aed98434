"""The results report as one self-contained HTML file: inline CSS, the thematic map as inline
SVG, no script and nothing fetched. Every piece of project text is escaped."""

from __future__ import annotations

from html import escape

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
from workbench.report.svgmap import render_svg_map
from workbench.terminal_safety import inert

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.5; }
h1, h2, h3, h4, h5, h6 { font-family: Helvetica, Arial, sans-serif; line-height: 1.2; }
.meta, .counts, .kind { color: #555; font-size: 0.9rem; }
.definition { margin: 0.4rem 0; }
.memo { white-space: pre-wrap; border-left: 3px solid #ccc; padding-left: 0.8rem; color: #444; }
blockquote.quote { margin: 0.8rem 0 0.8rem 1.2rem; padding-left: 0.8rem; border-left: 3px solid #7a9cc6; }
.qid { font-style: normal; color: #333; white-space: nowrap; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; vertical-align: top; }
td.cell { text-align: right; min-width: 2.5rem; }
dl.sample dt { font-weight: bold; float: left; clear: left; width: 14rem; }
dl.sample dd { margin-left: 15rem; }
.map { overflow-x: auto; }
ul.tree { font-size: 0.9rem; }
"""


def t(text: str) -> str:
    """Project text made safe for HTML: control characters shown, markup escaped."""
    return escape(inert(str(text)))


def render_html(report: Report, mark_corrected: bool = False) -> str:
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>Results: {t(report.title)}</title>", f"<style>{STYLE}</style></head><body>",
           f"<h1>Results: {t(report.title)}</h1>",
           f'<p class="meta">Coder: {t(report.coder)}. Generated {t(report.generated)} by Workbench '
           f"{t(report.version)}.</p>",
           f'<p class="formula">Salience: {t(report.formula)}.</p>',
           '<h2 id="sample">Sample</h2><dl class="sample">']
    out += [f"<dt>{t(label)}</dt><dd>{t(text)}</dd>" for label, text in report.sample.lines()]
    out += ["</dl>", '<h2 id="themes">Themes</h2>',
            f"<p>{t(quote_note(report) + corrected_note(report, mark_corrected))}</p>"]
    for section, depth in walk_sections(report.sections):
        level = min(6, 3 + depth)
        out.append(f'<section class="{t(section.kind)}"><h{level}>{t(section.name)} '
                   f'<span class="kind">({t(section.kind)})</span></h{level}>')
        if section.definition:
            out.append(f'<p class="definition"><em>Definition:</em> {t(section.definition)}</p>')
        if section.memo:
            out.append(f'<div class="memo">{t(section.memo)}</div>')
        out.append(f'<p class="counts">{t(counts_line(section.stats, report))}</p>')
        if section.codes:
            out.append('<p class="codes">Codes: ' + ", ".join(f"{t(c.code.name)} ({c.codings})" for c in section.codes)
                       + "</p>")
        for quote in section.quotes:
            mark = CORRECTED_MARK if mark_corrected and quote.corrected else ""
            verbatim = f' title="verbatim: {t(quote.verbatim)}"' if quote.corrected else ""
            out.append(f'<blockquote class="quote"{verbatim}><em>“{t(quote.text)}”{mark}</em> '
                       f'<span class="qid">({t(quote.quote_id)})</span></blockquote>')
        out.append("</section>")
    out += ['<h2 id="matrix">Matrix</h2>', matrix_table(report)]
    out += pattern_html(report)
    out += ['<h2 id="map">Thematic map</h2>', f'<div class="map">{render_svg_map(report.thematic_map)}</div>',
            map_list(report.thematic_map)]
    out += ['<h2 id="coreq">COREQ items</h2>', "<table><tr><th>No.</th><th>Item</th><th>Answer</th></tr>"]
    for item in report.coreq:
        details = ("<ul>" + "".join(f"<li>{t(line)}</li>" for line in item.details) + "</ul>") if item.details else ""
        out.append(f"<tr><td>{item.number}</td><td>{t(item.item)}</td><td>{t(item.answer)}{details}</td></tr>")
    out += ["</table>", f'<h2 id="codebook">{t(APPENDIX_TITLE)}</h2>', codebook_table(report), "</body></html>"]
    return "\n".join(out) + "\n"


def pattern_html(report: Report) -> list[str]:
    from workbench.report.content import PATTERN_NOTES, pair_text, saturation_text
    from workbench.report.svgcurve import render_svg_curve

    patterns = report.patterns
    if patterns is None:
        return []
    out = []
    if patterns.framework:
        out += ['<h2 id="framework">Framework summaries</h2>', f"<p>{t(PATTERN_NOTES['framework'])}</p>",
                f"<table><tr><th>{t(patterns.framework_by)}</th><th>{t(patterns.framework_level)}</th>"
                "<th>codings</th><th>summary</th></tr>"]
        out += [f"<tr><td>{t(c.row)}</td><td>{t(c.column['path'])}</td><td>{c.count}</td><td>{t(c.summary)}</td></tr>"
                for c in patterns.framework]
        out.append("</table>")
    out.append('<h2 id="cooccurrence">Codes that occur together</h2>')
    if patterns.pairs:
        out += [f"<p>{t(PATTERN_NOTES['pairs'])}</p>", "<ul>"]
        out += [f"<li>{t(pair_text(p))}</li>" for p in patterns.pairs] + ["</ul>"]
    else:
        out.append("<p>No two codes share a sentence.</p>")
    if patterns.saturation is not None:
        out += ['<h2 id="saturation">Saturation</h2>', f"<p>{t(saturation_text(patterns.saturation))}.</p>",
                f'<div class="curve">{render_svg_curve(patterns.saturation)}</div>']
    return out
def codebook_table(report: Report) -> str:
    if not report.codebook:
        return "<p>The codebook is empty.</p>"
    rows = [f"<p>{t(APPENDIX_NOTE)}</p>",
            '<table class="codebook"><tr><th>Code</th><th>Kind</th><th>Definition</th><th>Codings</th></tr>']
    rows += [f'<tr><td>{t(path)}</td><td>{t(kind)}</td><td>{t(definition)}</td><td class="cell">{n}</td></tr>'
             for path, kind, definition, n in appendix_rows(report)]
    return "\n".join(rows) + "</table>"


def matrix_table(report: Report) -> str:
    matrix = report.matrix
    if matrix is None:
        return "<p>No matrix: the codebook is empty.</p>"
    what = "presence (1 = coded)" if matrix.presence else "number of codings"
    rows = [f"<p>Rows: {t(matrix.by)}; columns: {t(matrix.level)}s; cells: {what}, shaded by intensity.</p>",
            '<table class="matrix"><tr><th>' + t(matrix.by) + "</th>"
            + "".join(f'<th title="{t(c["path"])}">{t(c["code"])}</th>' for c in matrix.columns) + "</tr>"]
    for row, values in zip(matrix.rows, matrix.cells):
        cells = "".join(shaded_cell(v, matrix.intensity(v)) for v in values)
        rows.append(f"<tr><th>{t(row)}</th>{cells}</tr>")
    return "\n".join(rows) + "</table>"


def shaded_cell(value: int, intensity: float) -> str:
    colour = "#fff" if intensity > 0.55 else "#222"
    return (f'<td class="cell" style="background: rgba(40, 90, 180, {0.85 * intensity:.2f}); color: {colour}">'
            f"{value}</td>")


def map_list(nodes: list[MapNode]) -> str:
    if not nodes:
        return ""
    items = "".join(f"<li><strong>{t(n.name)}</strong> ({t(n.kind)}): {map_counts(n)}{map_list(n.children)}</li>"
                    for n in nodes)
    return f'<ul class="tree">{items}</ul>'
