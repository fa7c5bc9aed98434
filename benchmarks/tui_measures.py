"""The coding screen on the large project: launch to first frame, and the memory it takes.

Each sample runs `benchmarks.tui_first_frame` (the real `workbench open` path) in its own
process on a pseudo-terminal of 160x48, timed from spawn to the first frame, and to the
panes showing the coder file (read after the first frame; keys act from then); peak RSS is
that process's `ru_maxrss` from `wait4`, taken after it has also loaded the quote search and
run one query. The first launch is not counted: it writes the day's backup of the coder file
and fills the segmentation and search caches, as any earlier use would.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time

from benchmarks.large_project import CODERS
from benchmarks.registry import Context, Figure, measure, process_env

TIMEOUT_S = 60


def launch_once(ctx: Context, module: str = "benchmarks.tui_first_frame") -> tuple[float, float, float]:
    """(seconds to the first frame, peak RSS in MB, seconds to the panes filled) of one
    launch of `module`: the coding screen, or (`benchmarks.textual_floor`, whose panes are
    filled with its first frame) the least a Textual app takes."""
    args = [str(ctx.project), CODERS[0]] if module == "benchmarks.tui_first_frame" else []
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 48, 160, 0, 0))
    ready_read, ready_write = os.pipe()
    os.set_inheritable(ready_write, True)  # pipes are closed on exec unless told otherwise
    env = process_env(TERM="xterm-256color", COLUMNS="160", LINES="48")
    began = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: the pseudo-terminal is its terminal
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.close(ready_read)
        os.execve(sys.executable, [sys.executable, "-m", module, *args, str(ready_write)], env)
    os.close(slave)
    os.close(ready_write)
    first_frame, filled, screen, open_ = None, None, bytearray(), True
    said = b""
    wanted = b"filled" if module == "benchmarks.tui_first_frame" else b"ready"
    try:
        while filled is None and open_:
            readable, _, _ = select.select([master, ready_read], [], [], TIMEOUT_S)
            if not readable:
                os.kill(pid, 9)
                raise RuntimeError(f"no first frame within {TIMEOUT_S} s")
            if ready_read in readable:
                said += os.read(ready_read, 64)
                if first_frame is None and b"ready" in said:
                    first_frame = time.perf_counter() - began
                if wanted in said:
                    filled = time.perf_counter() - began
            if master in readable:
                open_ = drain(master, screen)  # the screen's output: unread, it would block the app
        while open_:  # let it quit, reading what it still draws
            readable, _, _ = select.select([master], [], [], 1)
            open_ = not readable or drain(master, screen)
    finally:
        _, status, usage = os.wait4(pid, 0)
        os.close(master)
        os.close(ready_read)
    if filled is None or status != 0:
        tail = screen[-600:].decode(errors="replace")
        raise RuntimeError(f"the coding screen exited with status {status} before or after its first frame: {tail!r}")
    return first_frame, usage.ru_maxrss / 1024, filled  # ru_maxrss is in KiB on Linux


def drain(fd: int, into: bytearray) -> bool:
    """Read what the terminal shows (keeping the end of it); False once the child has closed it."""
    try:
        chunk = os.read(fd, 65536)
    except OSError:  # EIO: the child closed the terminal
        return False
    into += chunk
    del into[:-4096]
    return bool(chunk)


def launches(ctx: Context) -> list[tuple[float, float, float]]:
    """The screen's launches, taking turns with the one-widget floor's (textual_floor)."""
    if "tui_launches" not in ctx.shared:
        launch_once(ctx)
        launch_once(ctx, "benchmarks.textual_floor")
        screen, floor = [], []
        for _ in range(ctx.repeats(7, 2)):
            screen.append(launch_once(ctx))
            floor.append(launch_once(ctx, "benchmarks.textual_floor")[0])
        ctx.shared["tui_launches"], ctx.shared["textual_floor"] = screen, floor
    return ctx.shared["tui_launches"]


@measure("tui_launch_s", requires="workbench.tui.app")
def tui_launch_s(ctx: Context) -> Figure:
    return Figure.of([seconds for seconds, _, _ in launches(ctx)])


@measure("tui_panes_filled_s", unit="s", target=1.0, requires="workbench.tui.opening")
def tui_panes_filled_s(ctx: Context) -> Figure:
    """`workbench open` until the panes show the coder file, read after the first frame (the
    keys typed before then are held and act from then)."""
    return Figure.of([filled for _, _, filled in launches(ctx)])


@measure("textual_floor_launch_s", unit="s", target=0, at_most=False, requires="textual")  # a floor
def textual_floor_launch_s(ctx: Context) -> Figure:
    """A one-widget Textual app, launched the same way: the least any Textual screen takes."""
    return Figure.of(textual_floor(ctx))


def textual_floor(ctx: Context) -> list[float]:
    launches(ctx)
    return ctx.shared["textual_floor"]


@measure("tui_launch_vs_textual_ratio", unit="ratio", target=2.0, requires="workbench.tui.app")
def tui_launch_vs_textual_ratio(ctx: Context) -> Figure:
    """tui_launch_s / textual_floor_launch_s (medians of the same run; target: at most 2)."""
    return Figure.single(statistics.median(s for s, _, _ in launches(ctx)) / statistics.median(textual_floor(ctx)))


@measure("tui_peak_rss_mb", requires="workbench.tui.app")
def tui_peak_rss_mb(ctx: Context) -> Figure:
    return Figure.of([megabytes for _, megabytes, _ in launches(ctx)], pick="p95")
