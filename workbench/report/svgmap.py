"""The thematic map as an inline SVG picture: a left-to-right tree, one row per leaf, each
parent centred beside its children, boxes tinted with the code's colour and labelled with
the node's name and number of codings."""

from __future__ import annotations

import re
from html import escape

from workbench.report.content import MapNode
from workbench.wording import plural

COLUMN = 230
BOX_WIDTH = 200
ROW = 28
BOX_HEIGHT = 22
MARGIN = 10
LABEL_CHARS = 30
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
KIND_WEIGHT = {"category": "700", "theme": "700", "subtheme": "600", "code": "400"}


def render_svg_map(nodes: list[MapNode]) -> str:
    placed: list[tuple[MapNode, int, float]] = []  # node, depth, centre y
    edges: list[tuple[int, float, int, float]] = []
    next_row = [0]

    def place(node: MapNode, depth: int) -> float:
        if node.children:
            centres = [place(child, depth + 1) for child in node.children]
            y = (centres[0] + centres[-1]) / 2
            edges.extend((depth, y, depth + 1, c) for c in centres)
        else:
            y = MARGIN + next_row[0] * ROW + BOX_HEIGHT / 2
            next_row[0] += 1
        placed.append((node, depth, y))
        return y

    for node in nodes:
        place(node, 0)
    if not placed:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40" role="img" aria-label="thematic map">' \
               '<text x="10" y="25">No codes yet.</text></svg>'
    depth = max(d for _, d, _ in placed)
    width = MARGIN * 2 + depth * COLUMN + BOX_WIDTH
    height = MARGIN * 2 + next_row[0] * ROW
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="thematic map" class="thematic-map">']
    for from_depth, y1, to_depth, y2 in edges:
        x1, x2 = MARGIN + from_depth * COLUMN + BOX_WIDTH, MARGIN + to_depth * COLUMN
        middle = (x1 + x2) / 2
        parts.append(f'<path d="M{x1},{y1:.1f} C{middle},{y1:.1f} {middle},{y2:.1f} {x2},{y2:.1f}" '
                     'fill="none" stroke="#999" stroke-width="1"/>')
    for node, d, y in placed:
        colour = node.color if HEX_COLOUR.fullmatch(node.color or "") else "#888888"
        x, top = MARGIN + d * COLUMN, y - BOX_HEIGHT / 2
        label = f"{node.name} ({node.codings})"
        shown = label if len(label) <= LABEL_CHARS else node.name[: LABEL_CHARS - 8] + f"… ({node.codings})"
        parts.append(
            f'<g><title>{escape(node.name)}: {escape(node.kind)}, {plural(node.codings, "coding")}, '
            f'{plural(node.participants, "participant")}</title>'
            f'<rect x="{x}" y="{top:.1f}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="4" '
            f'fill="{colour}" fill-opacity="0.22" stroke="{colour}"/>'
            f'<text x="{x + 6}" y="{y + 4:.1f}" font-size="12" font-family="sans-serif" '
            f'font-weight="{KIND_WEIGHT.get(node.kind, "400")}">{escape(shown)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
