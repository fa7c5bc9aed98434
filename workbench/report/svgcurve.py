"""The saturation curve as an inline SVG picture: the running total of codes over the
transcripts in interview order, a dot where a transcript brought new codes, and a dashed line
after the transcript where saturation was reached."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT, MARGIN = 640, 220, 36


def render_svg_curve(curve) -> str:
    steps = curve.steps
    if not steps:
        return ""
    peak = max(s.total for s in steps) or 1
    span = max(1, len(steps) - 1)

    def x(i: int) -> float:
        return MARGIN + (WIDTH - 2 * MARGIN) * i / span

    def y(total: int) -> float:
        return HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * total / peak

    points = " ".join(f"{x(i):.1f},{y(s.total):.1f}" for i, s in enumerate(steps))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="Saturation curve: codes found over {len(steps)} transcripts">',
             f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" y2="{HEIGHT - MARGIN}" stroke="#888"/>',
             f'<line x1="{MARGIN}" y1="{MARGIN}" x2="{MARGIN}" y2="{HEIGHT - MARGIN}" stroke="#888"/>',
             f'<text x="{MARGIN - 6}" y="{MARGIN + 4}" text-anchor="end" font-size="11">{peak}</text>',
             f'<text x="{MARGIN - 6}" y="{HEIGHT - MARGIN + 4}" text-anchor="end" font-size="11">0</text>',
             f'<text x="{WIDTH / 2}" y="{HEIGHT - 6}" text-anchor="middle" font-size="11">transcripts in interview '
             f'order ({escape(steps[0].transcript)} … {escape(steps[-1].transcript)})</text>',
             f'<polyline fill="none" stroke="#285ab4" stroke-width="2" points="{points}"/>']
    for i, s in enumerate(steps):
        if s.new:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(s.total):.1f}" r="3" fill="#3cb44b">'
                         f'<title>{escape(s.transcript)}: {s.new} new, {s.total} in all</title></circle>')
    if curve.saturated_after in curve.order:
        at = x(curve.order.index(curve.saturated_after))
        parts.append(f'<line x1="{at:.1f}" y1="{MARGIN}" x2="{at:.1f}" y2="{HEIGHT - MARGIN}" stroke="#e6194b" '
                     f'stroke-dasharray="4 3"/><text x="{at + 4:.1f}" y="{MARGIN + 10}" font-size="11" fill="#e6194b">'
                     f'saturated after {escape(curve.saturated_after)}</text>')
    parts.append("</svg>")
    return "".join(parts)
