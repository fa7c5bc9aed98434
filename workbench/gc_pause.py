"""Pausing Python's cyclic garbage collector around bulk work.

Loading a coder file, computing statistics over it or exporting a project makes hundreds
of thousands of small objects and no reference cycles; the collector would rescan the
growing heap again and again (measured: a third to a half of the time on the large study).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
