"""`workbench open`, exactly as `run_app` runs it, until the first frame is on the terminal.

    python -m benchmarks.tui_first_frame PROJECT CODER READY_FD

Textual posts `Ready` once the first frame has been displayed; then this writes a line to
READY_FD (a pipe the benchmark watches, since the terminal carries the screen), and another
once the coder file, read after the first frame, is in the panes and they are drawn (keys
act from then); it waits for the quote search the app loads after that, runs one query, and
quits the usual way: the launch time ends at the first frame, the peak memory covers the
search too.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import workbench.tui.app as tui_app
from workbench.project import Project


def main(root: str, coder: str, ready_fd: str) -> None:
    css = tui_app.WorkbenchApp.CSS_PATH

    class FirstFrameApp(tui_app.WorkbenchApp):
        # Textual reads a relative CSS_PATH beside the module of the class: keep the app's own.
        CSS_PATH = [Path(tui_app.__file__).parent / p for p in ([css] if isinstance(css, (str, Path)) else css)]

        def on_ready(self) -> None:
            os.write(int(ready_fd), b"ready\n")
            self.run_worker(self.search_then_exit, thread=True)

        def fill_panes(self) -> None:
            super().fill_panes()
            self.call_after_refresh(os.write, int(ready_fd), b"filled\n")

        def search_then_exit(self) -> None:
            # The peak memory counts the quote search as a coder meets it: loaded after the
            # first frame, then queried once.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and getattr(self, "quote_search", None) is None:
                if not getattr(self, "quote_search_loading", True):
                    break
                time.sleep(0.05)
            if getattr(self, "quote_search", None) is not None:
                self.quote_search.search("what helped you most on the ward")
            self.call_from_thread(self.exit)

    tui_app.WorkbenchApp = FirstFrameApp  # run_app builds the app by this name
    tui_app.run_app(Project(root), coder)


if __name__ == "__main__":
    main(*sys.argv[1:4])
