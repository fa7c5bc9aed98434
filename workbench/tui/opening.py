"""Opening the coding screen before its coder file is read.

Reading a large coder file (50,000 codings become records) takes longer than drawing the
screen, so `run_app` only takes the file's lock before the screen starts (a second session
is still refused before anything is drawn) and the write queue's thread reads the file
after the first frame. Until the panes show it, no key (or paste) is acted on, and the
first one typed says why: no key acts on a file that is not loaded.
"""

from __future__ import annotations

import gc
from pathlib import Path

from textual import events

from workbench.coderfile import CoderFile
from workbench.gc_pause import collector_paused
from workbench.project import Project
from workbench.storage.lock import CoderLock


class CoderOpening:
    """A coder file locked now and read later (`load`, from any thread); `release` gives up
    the lock of a file that was never read."""

    def __init__(self, project: Project, coder: str):
        self.path: Path = project.coder_path(coder)  # checks the name
        self.coder = coder
        self.lock = CoderLock(self.path)
        self.lock.acquire()

    def load(self) -> CoderFile:
        # Its records (one object per coding, memo and code, no cycles) live as long as the
        # session: left to the collector, each full collection would rescan them all, on a
        # key press; frozen before it is back on, none does.
        with collector_paused():
            coder = CoderFile.open(self.path, self.coder, lock=self.lock)
            gc.freeze()
        return coder

    def release(self) -> None:
        self.lock.release()


class LoadingGate:
    """While the coder file is read, keys and pastes are not acted on: any of them could act
    on a file not read yet. (Replaying them later is not safe: a key that opens a picker
    would not have the picker ready for the keys typed after it.)"""

    def __init__(self) -> None:
        self.shut = True
        self.stopped = 0  # keys and pastes not acted on

    def stops(self, event: events.Event) -> bool:
        if not self.shut or event.is_forwarded or not isinstance(event, (events.Key, events.Paste)):
            return False
        self.stopped += 1
        return True

    def open(self) -> None:
        self.shut = False
