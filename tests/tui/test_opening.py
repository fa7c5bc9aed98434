"""The screen draws its first frame before the coder file is read (`run_app` only locks it
first); no key typed while it is read acts, and the first one says why."""

import asyncio
import threading

from tui_support import on_disk, settle
from workbench.storage.lock import CoderLock
from workbench.tui.app import WorkbenchApp
from workbench.tui.opening import CoderOpening
from workbench.tui.screens.picker import PickerScreen


class SlowOpening(CoderOpening):
    """A coder file whose reading waits until the test lets it go on."""

    def __init__(self, project, coder):
        super().__init__(project, coder)
        self.begun, self.go_on = threading.Event(), threading.Event()

    def load(self):
        self.begun.set()
        self.go_on.wait(10)
        return super().load()


async def wait_for(condition, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def test_no_key_acts_before_the_coder_file_is_read(project):
    opening = SlowOpening(project, "alex")
    app = WorkbenchApp(project, opening)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(opening.begun.is_set)  # the first frame is drawn; the file is being read
            view = app.transcript_view
            assert app.coder is None and "reading alex's coder file" in str(view.border_title)
            assert not app.codebook_tree.root.children  # no codebook shown before it is read

            await pilot.press("j", "j", "s", "c", *"stigma", "enter", "u", "A")
            await pilot.pause(0.2)
            assert view.cursor == 0 and view.selection is None  # nothing acted
            assert len(app.screen_stack) == 1  # no picker, no prompt over a codebook not read yet
            assert any("Reading alex's coder file" in str(n.message) for n in app._notifications)

            opening.go_on.set()
            await wait_for(lambda: app.transcript_id == "50002" and app.codebook_tree.root.children)
            await pilot.press("j", "j", "s", "c", *"stigma")
            await wait_for(lambda: isinstance(app.screen, PickerScreen))
            selected = view.selection
            await pilot.press("enter")
            await settle(pilot, app)
    finally:
        app.writes.finish()
        app.writes.coder.close()
    with on_disk(project) as coder:
        [coding] = coder.codings()  # only the coding made once the file was shown
        assert (coding.start, coding.end) == selected
        assert coder.codebook.path(coding.code) == "barriers/stigma"
        assert len(coder.codes()) == 5  # the five of the fixture: no prompt ever took the early keys


def test_a_coder_file_that_cannot_be_read_ends_the_screen_with_its_error(project):
    """Read after the first frame, a damaged file still ends `workbench open` the way any
    error the user can act on does: its one line, exit status 2, the lock given back."""
    import os
    import pty
    import select
    import sys

    path = project.coder_path("alex")
    path.write_text('{"meta": {"1": {"format": "not-workbench"}}}')
    workbench = os.path.join(os.path.dirname(sys.executable), "workbench")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the screen
        os.environ.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
        os.execv(workbench, [workbench, "-p", str(project.root), "--coder", "alex", "open"])
    seen = b""
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 20)
            if not ready:
                raise AssertionError(f"the screen did not end: {seen[-400:]!r}")
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 2, (status, seen[-400:])
    assert b"not a Workbench coder file" in seen
    assert not CoderLock(path).path.exists()
    assert path.read_text() == '{"meta": {"1": {"format": "not-workbench"}}}'  # left untouched

