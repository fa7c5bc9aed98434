"""The results report as Markdown (CommonMark with pipe tables)."""

from __future__ import annotations

import re

from workbench.report.content import (
    CORRECTED_MARK,
    PATTERN_NOTES,
    APPENDIX_NOTE,
    APPENDIX_TITLE,
    MapNode,
    Report,
    appendix_rows,
    corrected_note,
    counts_line,
    quote_note,
    map_counts,
    pair_text,
    saturation_text,
    walk_sections,
)
from workbench.terminal_safety import inert

SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escape(text: str) -> str:
    """Plain text that Markdown shows as written (one line)."""
    return SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(report: Report, mark_corrected: bool = False) -> str:
    out: list[str] = [f"# Results: {escape(report.title)}", ""]
    out += [f"Coder: {escape(report.coder)}. Generated {report.generated} by Workbench {report.version}.", "",
            f"Salience: {escape(report.formula)}.", ""]
    out += ["## Sample", ""]
    out += [f"- **{escape(label)}**: {escape(text)}" for label, text in report.sample.lines()]
    out += ["", "## Themes", "", quote_note(report) + corrected_note(report, mark_corrected), ""]
    for section, depth in walk_sections(report.sections):
        out += [f"{'#' * min(6, 3 + depth)} {escape(section.name)} ({section.kind})", ""]
        if section.definition:
            out += [f"*Definition:* {escape(section.definition)}", ""]
        if section.memo:
            out += ["*Memo:*", "", *(f"> {line}" if line.strip() else ">" for line in section.memo.splitlines()), ""]
        out += [counts_line(section.stats, report) + ".", ""]
        if section.codes:
            out += ["Codes: " + ", ".join(f"{escape(c.code.name)} ({c.codings})" for c in section.codes) + ".", ""]
        for quote in section.quotes:
            mark = CORRECTED_MARK if mark_corrected and quote.corrected else ""
            out += [f"> “{escape(quote.text)}”{mark} ({quote.quote_id})", ""]
    out += ["## Matrix", ""]
    out += matrix_lines(report) + [""]
    out += pattern_lines(report)
    out += ["## Thematic map", ""]
    out += map_lines(report.thematic_map, 0) + [""]
    out += ["## COREQ items", "", "| No. | Item | Answer |", "| --- | --- | --- |"]
    out += [f"| {item.number} | {escape(item.item)} | {escape(item.answer)} |" for item in report.coreq]
    for item in report.coreq:
        if item.details:
            out += ["", f"Item {item.number}, {escape(item.item.lower())}:", ""]
            out += [f"- {escape(line)}" for line in item.details]
    out += ["", f"## {APPENDIX_TITLE}", ""]
    if report.codebook:
        out += [APPENDIX_NOTE, "", "| Code | Kind | Definition | Codings |", "| --- | --- | --- | ---: |"]
        out += [f"| {escape(path)} | {kind} | {escape(definition)} | {n} |" for path, kind, definition, n in appendix_rows(report)]
    else:
        out += ["The codebook is empty."]
    return inert("\n".join(out).rstrip() + "\n")


def matrix_lines(report: Report) -> list[str]:
    matrix = report.matrix
    if matrix is None:
        return ["No matrix: the codebook is empty."]
    lines = [f"Rows: {escape(matrix.by)}; columns: {matrix.level}s; cells: "
             f"{'presence (1 = coded)' if matrix.presence else 'number of codings'}.", "",
             "| " + " | ".join([escape(matrix.by), *(escape(c["code"]) for c in matrix.columns)]) + " |",
             "| " + " | ".join(["---"] + ["---:"] * len(matrix.columns)) + " |"]
    for row, values in zip(matrix.rows, matrix.cells):
        lines.append("| " + " | ".join([escape(row), *(str(v) for v in values)]) + " |")
    return lines


def pattern_lines(report: Report) -> list[str]:
    patterns = report.patterns
    if patterns is None:
        return []
    out = []
    if patterns.framework:
        out += ["## Framework summaries", "", PATTERN_NOTES["framework"], "",
                f"| {escape(patterns.framework_by)} | {patterns.framework_level} | codings | summary |",
                "| --- | --- | ---: | --- |"]
        out += [f"| {escape(c.row)} | {escape(c.column['path'])} | {c.count} | {escape(c.summary)} |"
                for c in patterns.framework]
        out.append("")
    out += ["## Codes that occur together", ""]
    if patterns.pairs:
        out += [PATTERN_NOTES["pairs"], ""] + [f"- {escape(pair_text(p))}" for p in patterns.pairs]
    else:
        out.append("No two codes share a sentence.")
    out.append("")
    if patterns.saturation is not None:
        curve = patterns.saturation
        out += ["## Saturation", "", escape(saturation_text(curve)) + ".", "",
                "| transcript | new codes | running total |", "| --- | ---: | ---: |"]
        out += [f"| {escape(s.transcript)} | {s.new} | {s.total} |" for s in curve.steps]
        out.append("")
    return out


def map_lines(nodes: list[MapNode], depth: int) -> list[str]:
    lines = []
    for node in nodes:
        lines.append(f"{'  ' * depth}- **{escape(node.name)}** ({node.kind}): {map_counts(node)}")
        lines += map_lines(node.children, depth + 1)
    return lines
