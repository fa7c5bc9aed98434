"""The coder files an export reads: every coder's, or those named, opened read-only."""

from __future__ import annotations

from contextlib import contextmanager

from workbench.errors import NotFound


@contextmanager
def open_coders(project, coders: list[str] | None = None):
    """The coder files to export, read-only (no lock is taken, nothing can change)."""
    names = coders or project.coders(assistants=False)
    missing = [n for n in names if n not in project.coders()]
    if missing:
        raise NotFound(f"no coder {', '.join(missing)} in {project.root} (coders: {', '.join(project.coders()) or 'none'})")
    opened = []
    try:
        for name in names:
            opened.append(project.open_coder(name, readonly=True))
        yield opened
    finally:
        for coder in opened:
            coder.close()
