"""How the command line prints: aligned tables for people, JSON (and nothing else) for scripts."""

from __future__ import annotations

import re
import shutil
import sys
import warnings
from contextlib import contextmanager

import click
import orjson

from workbench.terminal_safety import inert


# orjson escapes C0 controls but writes DEL and the C1 controls (U+0080-U+009F, among them an
# 8-bit CSI) as they are; as \u escapes they stay the same JSON and cannot act on a terminal.
RAW_CONTROL_IN_JSON = re.compile(rb"\x7f|\xc2[\x80-\x9f]")


def emit_json(data) -> None:
    encoded = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    encoded = RAW_CONTROL_IN_JSON.sub(lambda m: b"\\u%04x" % ord(m.group().decode()), encoded)
    sys.stdout.buffer.write(encoded + b"\n")
    sys.stdout.flush()


def emit_table(rows: list[dict], columns: list[str], headers: list[str] | None = None,
               wrap: str | None = None, empty: str = "nothing to list") -> None:
    """Rows as aligned columns; the `wrap` column takes what the terminal width leaves."""
    if not rows:
        click.echo(empty, err=True)
        return
    headers = headers or columns
    cells = [[inert(str(_show(row.get(c)))) for c in columns] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    if wrap in columns:
        i = columns.index(wrap)
        room = shutil.get_terminal_size((120, 24)).columns - sum(w + 2 for j, w in enumerate(widths) if j != i)
        widths[i] = max(20, min(widths[i], room))
        cells = [[c if j != i or len(c) <= widths[i] else c[: widths[i] - 1] + "…" for j, c in enumerate(r)] for r in cells]
    click.echo(click.style("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(), bold=True))
    for r in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())


def _show(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value).replace("\n", " ")


format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
    help="table for people, json for scripts (JSON only on stdout)",
)


@contextmanager
def saved_with_warnings_on_stderr():
    """While a command runs, a `SavedWithWarning` from the core (its changes are saved, but
    something after them failed) prints as one `workbench: warning: ...` line on stderr;
    other warnings show as they would have."""
    from workbench.errors import SavedWithWarning

    with warnings.catch_warnings():
        shown = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            if issubclass(category, SavedWithWarning):
                click.echo(f"workbench: warning: {inert(str(message))}", err=True)
            else:
                shown(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        warnings.simplefilter("always", SavedWithWarning)
        yield
