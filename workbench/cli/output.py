"""How the command line prints: aligned tables for people, JSON (and nothing else) for scripts."""

from __future__ import annotations

import re
import shutil
import sys
import warnings
from contextlib import contextmanager

import click
import orjson

from workbench.cli.session_options import format_from_session
from workbench.terminal_safety import inert
from workbench.wording import plural  # noqa: F401  (the commands count with it)


# orjson escapes C0 controls but writes DEL and the C1 controls (U+0080-U+009F, among them an
# 8-bit CSI) as they are; as \u escapes they stay the same JSON and cannot act on a terminal.
RAW_CONTROL_IN_JSON = re.compile(rb"\x7f|\xc2[\x80-\x9f]")


def emit_json(data) -> None:
    encoded = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    encoded = RAW_CONTROL_IN_JSON.sub(lambda m: b"\\u%04x" % ord(m.group().decode()), encoded)
    sys.stdout.buffer.write(encoded + b"\n")
    sys.stdout.flush()


def emit_table(rows: list[dict], columns: list[str], headers: list[str] | None = None,
               wrap: str | None = None, empty: str = "nothing to list", whole: bool = False,
               cut: int | None = None, fold: tuple[str, ...] = ()) -> None:
    """Rows as aligned columns; the `wrap` column takes what the terminal width leaves: cut
    to one line, or with `whole` wrapped onto as many lines as it needs (`cut` first shortens
    it to at most that many characters, ending at a word). The `fold` columns (code paths)
    are wrapped at '/' and spaces when they would leave the `wrap` column too little room."""
    if not rows:
        click.echo(empty, err=True)
        return
    headers = [inert(str(h)) for h in headers or columns]  # attribute names, from a file, head columns too
    cells = [[inert(str(_show(row.get(c)))) for c in columns] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    breaks = {i: " " for i in range(len(columns))}
    total = terminal_width()
    if wrap in columns:
        i = columns.index(wrap)
        if cut is not None:
            for r in cells:
                r[i] = cut_at_word(r[i], cut)
            widths[i] = max(len(headers[i]), *(len(r[i]) for r in cells))
        room = total - sum(w + 2 for j, w in enumerate(widths) if j != i)
        folding = [columns.index(c) for c in fold if c in columns]
        if room < WRAP_ROOM and folding:
            cap = max(FOLD_WIDTH, total // 5)
            for j in folding:
                widths[j] = max(len(headers[j]), min(widths[j], cap))
                breaks[j] = "/ "
            room = total - sum(w + 2 for j, w in enumerate(widths) if j != i)
        widths[i] = min(widths[i], max(20, room))  # never wider than its cells
        if not whole:
            for r in cells:
                r[i] = cut_at_word(r[i], widths[i])
    click.echo(click.style("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(), bold=True))
    for r in cells:
        stacked = [wrap_cell(c, w, breaks[j]) if len(c) > w else [c] for j, (c, w) in enumerate(zip(r, widths))]
        for k in range(max(len(lines) for lines in stacked)):
            line = "  ".join((lines[k] if k < len(lines) else "").ljust(w) for lines, w in zip(stacked, widths))
            click.echo(line.rstrip())


WRAP_ROOM = 40  # the wrapped column's room below which code paths fold
FOLD_WIDTH = 20


SHORT_ID = 8  # how many characters of a coding's id the tables show (a unique prefix is accepted back)


def short_id(record_id: str | None) -> str | None:
    return record_id[:SHORT_ID] if record_id else record_id


def terminal_width() -> int:
    return shutil.get_terminal_size((120, 24)).columns


def cut_at_word(text: str, width: int) -> str:
    """Text of at most `width` characters: whole, or cut at the end of a word with '…'."""
    if len(text) <= width:
        return text
    room = max(1, width - 1)
    head = text[:room]
    at_space = head.rfind(" ")
    if at_space > room // 2 and not text[room].isspace():
        head = head[:at_space]
    return head.rstrip() + "…"


def wrap_cell(text: str, width: int, breaks: str = " ") -> list[str]:
    """Text wrapped to lines of at most `width` characters, broken after any of `breaks`
    (a space, or '/' in a code path), a word longer than a line broken where it must."""
    width = max(1, width)
    pieces = re.findall(rf"[^{re.escape(breaks)}]*[{re.escape(breaks)}]+|[^{re.escape(breaks)}]+", text) or [""]
    lines, line = [], ""
    for piece in pieces:
        if line and len((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        while len(piece.rstrip()) > width:
            lines.append(piece[:width])
            piece = piece[width:]
        line += piece
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _show(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value).replace("\n", " ")


format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default=None,
    callback=format_from_session("table"),
    help="table (the default) for people, json for scripts (JSON only on stdout; also before the command)",
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


def for_coder(project, coder: str) -> str:
    """'for coder ben', naming the coders there are when ben has no file (an empty listing
    would otherwise look like lost work: the demo codes as alex, the login name may differ)."""
    if coder in project.coders():
        return f"for coder {inert(coder)}"
    others = ", ".join(project.coders(assistants=False)) or "none"
    return f"for coder {inert(coder)} (no file yet; coders here: {inert(others)}; --coder NAME)"
