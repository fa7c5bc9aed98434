"""Opening the coding screen before its coder file is read.

Reading a large coder file (50,000 codings become records) takes longer than drawing the
screen, so `run_app` only takes the file's lock before the screen starts (a second session
is still refused before anything is drawn) and the write queue's thread reads the file
after the first frame. Until the panes show it, every key (and paste) is held, not
dropped, and replayed in order once they do: no key acts on a file that is not loaded, and
what was typed ahead is not lost.
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


class HeldInput:
    """The keys and pastes that arrive while the coder file is read, in order; `replay` lets
    them through one at a time, each once the screen has settled after the one before (a key
    that opens a picker has the picker ready for the keys that follow), still holding what
    arrives meanwhile, then stops holding."""

    def __init__(self) -> None:
        self.events: list[events.Event] = []
        self.holding = True
        self._through: events.Event | None = None

    def hold(self, event: events.Event) -> bool:
        """Keep `event` for later if it is input the screen must not act on yet."""
        if not self.holding or event is self._through or event.is_forwarded:
            return False
        if not isinstance(event, (events.Key, events.Paste)):
            return False
        self.events.append(event)
        return True

    def replay(self, app) -> None:
        """From the screen's thread, once the panes show the coder file."""
        if not self.events:
            self.holding, self._through = False, None
            return
        self._through = self.events.pop(0)
        app.post_message(self._through)
        app.call_after_refresh(self.replay, app)

    def drop(self) -> None:
        self.events, self.holding = [], False
