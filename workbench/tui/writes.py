"""Every change to the coder file goes through one queue, applied in order by one Textual
thread worker, so the keys never wait for the disk and the (not thread-safe) `CoderFile`
is only ever touched under `lock`.

A job posts `WriteDone` or `WriteFailed` to the app when it has run. A job that failed
on the disk (`StorageFailure`, `OSError`) is kept by the app for the user to retry; the
change it carries is not lost. On exit the queue is drained before the file is closed.

Given `load` instead of an open file (see `opening.py`), the thread first reads the coder
file, once `read_coder_file` says so (after the screen's first frame), and posts
`CoderLoaded` (or `CoderLoadFailed`), then applies the jobs.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.message import Message
from textual.worker import get_current_worker

from workbench.coderfile import CoderFile
from workbench.errors import StorageFailure, WorkbenchError

_STOP = object()


@dataclass(eq=False)
class WriteJob:
    """One change: `apply(coder)` runs on the writer thread; `on_done(result)` and
    `on_failed(error)` run on the screen's thread afterwards."""

    summary: str
    apply: Callable[[CoderFile], Any]
    on_done: Callable[[Any], None] | None = None
    on_failed: Callable[[Exception], None] | None = None
    pending: dict = field(default_factory=dict)  # what the screen shows while it waits


class WriteDone(Message):
    def __init__(self, job: WriteJob, result: Any):
        super().__init__()
        self.job, self.result = job, result


class WriteFailed(Message):
    def __init__(self, job: WriteJob, error: Exception):
        super().__init__()
        self.job, self.error = job, error

    @property
    def retryable(self) -> bool:
        """A disk failure is worth retrying; a refused change (a name taken) is not."""
        return isinstance(self.error, (StorageFailure, OSError)) or not isinstance(self.error, WorkbenchError)


class CoderLoaded(Message):
    """The coder file has been read (on the write queue's thread); `CoderWrites.coder` holds it."""

    def __init__(self, coder: CoderFile):
        super().__init__()
        self.coder = coder


class CoderLoadFailed(Message):
    def __init__(self, error: BaseException):
        super().__init__()
        self.error = error


class CoderWrites:
    def __init__(self, coder: CoderFile | None, load: Callable[[], CoderFile] | None = None):
        """`coder`, open; or None and `load`, which the writer thread calls before any job."""
        self.coder = coder
        self._load = load
        self._may_read = threading.Event()
        self.lock = threading.RLock()
        self._queue: queue.Queue = queue.Queue()
        self._stopped = threading.Event()
        self._gate = threading.Lock()  # a job is either queued before `finish` drains, or refused
        self._closed = False
        self._ending = False  # `finish` has begun: a writer not started yet never starts
        self._started = False
        self._post: Callable[[Message], Any] = lambda message: None
        self.unfinished = 0

    def start(self, app) -> None:
        self._post = app.post_message
        with self._gate:
            if self._ending:  # a hang-up ended the session before the screen got here
                return
            self._started = True
        app.run_worker(self._run, thread=True, name="coder-writes", group="writes", exit_on_error=False)

    def submit(self, job: WriteJob) -> None:
        """Queue `job` (from any thread)."""
        with self._gate:
            if self._closed:  # the coder file is closed (a hang-up ended the session)
                self._post(WriteFailed(job, StorageFailure(f"not saved: the session had ended ({job.summary})")))
                return
            self.unfinished += 1
            if self._stopped.is_set():
                self._apply(job)
            else:
                self._queue.put(job)

    def _run(self) -> None:
        worker = get_current_worker()
        try:
            if self.coder is None and not self._read_coder_file(worker):
                return
            while True:
                try:
                    job = self._queue.get(timeout=0.05)
                except queue.Empty:
                    if worker.is_cancelled:  # the app is closing and nothing is left to write
                        return
                    continue
                if job is _STOP:
                    return
                self._apply(job)
        finally:
            self._stopped.set()

    def read_coder_file(self) -> None:
        """Let the writer thread read the coder file now (from any thread)."""
        self._may_read.set()

    def _read_coder_file(self, worker) -> bool:
        while not self._may_read.wait(0.05):
            if worker.is_cancelled or self._ending:  # the session ended before the screen got to it
                return False
        if self._ending:
            return False
        try:
            coder = self._load()
        except BaseException as error:  # the screen ends with it (a damaged file, a disk failure)
            self._post(CoderLoadFailed(error))
            return False
        with self.lock:
            self.coder = coder
        self._post(CoderLoaded(coder))
        return True

    def _apply(self, job: WriteJob) -> None:
        try:
            with self.lock:
                result = job.apply(self.coder)
        except Exception as error:  # every failure goes back to the screen, none kills the writer
            self._post(WriteFailed(job, error))
        else:
            self._post(WriteDone(job, result))
        finally:
            self.unfinished -= 1

    def finish(self, timeout: float = 30.0) -> None:
        """Write what is queued, then stop; later jobs are refused (called once, when the
        session ends: the app has exited, or a hang-up is ending it). A coder file still
        being read is read to the end first."""
        with self._gate:
            self._ending = True
        if self._started and not self._stopped.is_set():
            self._queue.put(_STOP)
            self._stopped.wait(timeout)
        self._stopped.set()
        with self._gate:
            self._closed = True
            while True:  # a worker that never ran, or stopped early, leaves its jobs here
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    return
                if job is not _STOP:
                    self._apply(job)


def write_from_screen(screen, through_app: bool, coder, lock, summary: str, apply, done) -> None:
    """A change made on a screen that runs either inside the coding screen (through its write
    queue, `through_app`) or on its own with a coder file and lock of its own (directly)."""
    if through_app:
        screen.app.submit(WriteJob(summary, apply, on_done=lambda result: done(result)))
        return
    try:
        with lock:
            result = apply(coder)
    except WorkbenchError as err:
        screen.notify(str(err), severity="error")
        return
    done(result)
