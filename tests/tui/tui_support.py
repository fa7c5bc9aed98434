"""Helpers for the coding-screen tests: run the app under Pilot with the coder file opened
as `run_app` opens it, wait for the write queue, read what reached the disk."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from workbench.tui.app import WorkbenchApp


@asynccontextmanager
async def running(project, coder: str = "alex", size=(120, 36)):
    coder_file = project.open_coder(coder)
    app = WorkbenchApp(project, coder_file)
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield app, pilot
    finally:
        app.writes.finish()
        coder_file.close()


def offset_of(project, transcript: str, fragment: str) -> int:
    return project.text(transcript).index(fragment)


async def settle(pilot, app, timeout: float = 5.0) -> None:
    """Wait until every queued write has reached the coder file and the screen shows it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.02)
        if not app.pending and app.writes.unfinished == 0 and app.writes._queue.empty():
            await pilot.pause()
            return
    raise AssertionError("writes did not finish")


def on_disk(project, coder: str = "alex"):
    """The coder file as the disk holds it (read-only, without the lock)."""
    return project.open_coder(coder, readonly=True)


def screen_lines(app) -> list[str]:
    """The terminal as the user sees it now, one string per row."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]
