"""The screen draws its first frame before the coder file is read (`run_app` only locks it
first); keys typed while it is read are held, never acted on, and replayed in order once
the panes show the file."""

import asyncio
import threading

from tui_support import on_disk, settle
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


async def test_keys_typed_while_the_coder_file_is_read_wait_for_it(project):
    opening = SlowOpening(project, "alex")
    app = WorkbenchApp(project, opening)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(opening.begun.is_set)  # the first frame is drawn; the file is being read
            view = app.transcript_view
            assert app.coder is None and "reading alex's coder file" in str(view.border_title)
            assert not app.codebook_tree.root.children  # no codebook shown before it is read

            await pilot.press("j", "j", "s", "c", *"stigma")
            await pilot.pause(0.2)
            assert view.cursor == 0 and view.selection is None  # nothing acted yet
            assert len(app.screen_stack) == 1  # no picker over a codebook not read yet

            opening.go_on.set()
            await wait_for(lambda: isinstance(app.screen, PickerScreen) and "stigma" in app.screen.query_one("Input").value)
            assert app.transcript_id == "50002" and view.selection is not None  # j j s acted, in order
            selected = view.selection
            await pilot.press("enter")
            await settle(pilot, app)
    finally:
        app.writes.finish()
        app.writes.coder.close()
    with on_disk(project) as coder:
        [coding] = coder.codings()
        assert (coding.start, coding.end) == selected
        assert coder.codebook.path(coding.code) == "barriers/stigma"

