"""Ending the screen after a hang-up (SIGHUP from a dropped connection) or SIGTERM, whatever
the screen's terminal driver does.

When the terminal goes away, Textual's driver can block for ever on its way out (its output
thread dies on the dead terminal and `WriterThread.stop` waits on a full queue), and with it
the event loop that would have run a signal handler. So the signal is not left to the loop:
`set_wakeup_fd` makes the interpreter's C-level handler write the signal's number into a
pipe from whatever thread the kernel interrupts, and a watchdog thread reading that pipe
does the rest on its own:

1. asks the screen to leave the normal way (it may never get to it);
2. runs `finish`: save what is being typed, write what is queued, close the coder file
   (which releases the lock). `finish` is shared with the normal way out and runs once;
3. gives the normal way out until `GRACE` seconds after the signal (it restores the
   terminal when there is still one), then ends the process with `os._exit`.

Nothing of Textual is needed here.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable

SIGNALS = (signal.SIGHUP, signal.SIGTERM)
GRACE = 1.0  # seconds from the signal to the end of the process, once the data is safe
_STOP = b"\0"  # not a signal number: the session ended the normal way


def once(action: Callable[[], None]) -> Callable[[], None]:
    """`action`, run at most once whichever thread calls first; a later caller waits for it
    to be done (an exception reaches the first caller only)."""
    lock = threading.Lock()
    done = False

    def run_once() -> None:
        nonlocal done
        with lock:
            if done:
                return
            done = True
            action()

    return run_once


class HangupWatchdog:
    """`install()` in the main thread before the screen starts; `uninstall()` once the
    session is closed. `signum` is the signal that ended the session, if one did."""

    def __init__(self, finish: Callable[[], None], ask_to_leave: Callable[[], None]):
        self._finish = finish
        self._ask_to_leave = ask_to_leave
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)  # the C-level handler must never block
        self._previous_handlers: dict[int, object] = {}
        self._previous_wakeup = -1
        self._thread = threading.Thread(target=self._watch, name="hangup-watchdog", daemon=True)
        self._terminal = _TerminalState.save()
        self.signum: int | None = None

    def install(self) -> None:
        for signum in SIGNALS:
            self._previous_handlers[signum] = signal.signal(signum, self._on_signal)
        # Every signal with a Python handler now also lands in the pipe, at C level.
        self._previous_wakeup = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        self._thread.start()

    def uninstall(self) -> None:
        signal.set_wakeup_fd(self._previous_wakeup)
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        self._poke(_STOP)

    def _on_signal(self, signum, frame) -> None:
        # Runs in the main thread when it gets to it; the pipe already woke the watchdog,
        # unless something replaced the wakeup fd. Either way one more byte does no harm.
        self._poke(bytes([signum]))

    def _poke(self, data: bytes) -> None:
        try:
            os.write(self._write, data)
        except OSError:  # a full pipe already holds a wake-up
            pass

    def _watch(self) -> None:
        while True:
            select.select([self._read], [], [])
            try:
                data = os.read(self._read, 512)
            except BlockingIOError:
                continue
            for byte in data:
                if byte in SIGNALS:
                    self._end(byte)
                    return
            if _STOP in data:
                return

    def _end(self, signum: int) -> None:
        started = time.monotonic()
        self.signum = signum
        try:
            self._ask_to_leave()
        except Exception:  # the screen may already be gone
            pass
        try:
            self._finish()
        except BaseException as err:  # reported, but the process still ends
            print(f"workbench: {err}", file=sys.stderr)
        finally:
            time.sleep(max(0.0, GRACE - (time.monotonic() - started)))
            # The normal way out did not end the process in time: the data is safe, end it here.
            self._terminal.restore()
            os._exit(128 + signum)


class _TerminalState:
    """The terminal's modes before the screen changed them, put back (best effort, never
    blocking) when the watchdog ends the process itself."""

    def __init__(self, fd: int | None, attrs):
        self.fd, self.attrs = fd, attrs

    @classmethod
    def save(cls) -> "_TerminalState":
        try:
            import termios

            fd = sys.__stdin__.fileno()
            return cls(fd, termios.tcgetattr(fd))
        except Exception:  # no terminal on stdin
            return cls(None, None)

    def restore(self) -> None:
        if self.fd is None:
            return
        try:
            import termios

            termios.tcsetattr(self.fd, termios.TCSANOW, self.attrs)
            tty = os.open("/dev/tty", os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
            try:
                os.write(tty, b"\x1b[?1000l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1049l\x1b[?25h")  # no mouse, no paste mode, main screen, cursor
            finally:
                os.close(tty)
        except Exception:  # no terminal any more: nothing to restore
            pass
