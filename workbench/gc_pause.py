"""Pausing Python's cyclic garbage collector around bulk work.

Loading a coder file, computing statistics over it or exporting a project makes hundreds
of thousands of small objects and no reference cycles; the collector would rescan the
growing heap again and again (measured: a third to a half of the time on the large study).
Pausing alone only defers that: the first collection after the pause walks everything made
during it (a survey's `workbench stats`: 29 collections, 65 ms, most of them right after
reading the manifest, the coder file and the counts). A shell command ends soon after, so
it sets aside what each pause made instead (`set_aside_after_each_pause`).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


_set_aside_after_pause = False


def set_aside_after_each_pause(on: bool = True) -> None:
    """From now on, end each pause by leaving every object alive then out of later passes
    (`gc.freeze`). For a short-lived process only: a reference cycle among those objects is
    freed when the process ends, not before (the screen, which runs for hours, turns it off)."""
    global _set_aside_after_pause
    _set_aside_after_pause = on


@contextmanager
def collector_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if _set_aside_after_pause:
                gc.freeze()
            gc.enable()


def set_aside_what_is_loaded() -> None:
    """Leave every object alive now out of the collector's later passes (`gc.freeze`).

    For the screen, once it has read the manifest and the coder file: those objects stay for
    the session and hold no cycles, yet each full collection walked them all again (a survey
    of 60,000 codings: 12 full collections, 1.5 s, while 20 rows were coded). Objects made
    later are collected as usual."""
    gc.freeze()
