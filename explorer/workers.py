"""Heavy work (loading a model, tracing a text, building tokenizers) off the UI thread.

One Runner per purpose (the window's Run, the similarity view, the masks comparison, the tokenizer dialog), so
starting one job never cancels another purpose's. A job runs in a plain Python thread and reports through a small
QObject the Runner owns (queued to the UI thread): no Qt object is created, owned or freed on a worker.

Cancelling marks the job; its thread stops at its next ``job.check()`` or ``job.progress(...)`` (they raise
Cancelled, which the job catches), and whatever it returns is discarded. A running torch call cannot be
interrupted, so the thread may finish that call first. The Runner keeps every job until its thread has ended;
``shutdown()`` (the window's closeEvent) cancels them and waits a bounded time (2 s by default) for their threads.
Job threads are daemon threads: one stuck in a call that never returns (a hung load) neither blocks closing the
window nor keeps the process alive.

A job that fails with an engine error (PLMError) reports its message for the user; any other exception reports
"Type: message" plus the traceback text as details (an on_error callback taking a third argument gets them), so the
window can offer them to copy. Nothing is printed to the terminal unless $PLM_EXPLORER_DEBUG is set.

Callbacks given as bound methods are held weakly: a job in flight never keeps a window or a view alive, nor ties
one into a reference cycle that Python's cyclic GC would have to break (possibly on a worker thread, where
destroying Qt objects crashes).
"""
from __future__ import annotations

import inspect
import itertools
import os
import sys
import threading
import time
import traceback
import weakref
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

_ids = itertools.count(1)


class Cancelled(Exception):
    """Raised in a job's thread by check()/progress() once the job is cancelled."""


class _Bridge(QObject):
    """Signals a worker emits; they are queued to the thread the Runner lives in (the UI thread)."""
    progress = Signal(int, str)          # job id, message
    finished = Signal(int, object)       # job id, result
    failed = Signal(int, str, int, str)  # job id, message, is a user error (PLMError) rather than a bug, details
    done = Signal(int)                   # always last


class Job:
    """One piece of work: fn(job) runs in its own thread."""

    def __init__(self, fn: Callable[["Job"], Any], bridge: _Bridge):
        self.id = next(_ids)
        self.fn = fn
        self.cancelled = False
        self.details = ""   # the traceback text of an unexpected failure
        self.thread: threading.Thread | None = None
        self._bridge = bridge

    def cancel(self) -> None:
        self.cancelled = True

    def check(self) -> None:
        """Stop here when cancelled (raises Cancelled)."""
        if self.cancelled:
            raise Cancelled()

    def progress(self, message: str) -> None:
        self.check()
        self._emit("progress", self.id, message)

    def _emit(self, signal: str, *args) -> None:
        try:
            getattr(self._bridge, signal).emit(*args)
        except RuntimeError:   # the runner is gone (a window closed without waiting): nobody to tell
            pass

    def run(self) -> None:   # worker thread: no widgets here
        from engine.errors import PLMError

        try:
            result = self.fn(self)
            self.check()
        except Cancelled:
            pass
        except PLMError as error:
            if not self.cancelled:
                self._emit("failed", self.id, str(error), 1, "")
        except Exception as error:   # noqa: BLE001 - shown as a message naming the type; the traceback as details
            if not self.cancelled:
                self.details = traceback.format_exc()
                if os.environ.get("PLM_EXPLORER_DEBUG"):
                    sys.stderr.write(self.details)
                self._emit("failed", self.id, f"{type(error).__name__}: {error}", 0, self.details)
        else:
            self._emit("finished", self.id, result)
        finally:
            self._emit("done", self.id)

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()


def _takes_details(callback) -> bool:
    """Whether an on_error callback accepts a third positional argument (the traceback text)."""
    try:
        params = list(inspect.signature(callback).parameters.values())
    except (TypeError, ValueError):
        return False
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return True
    return len([p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]) >= 3


def _hold(callback):
    """A weak reference to a bound method, a strong one to anything else; call it to get the callable back."""
    if callback is None:
        return lambda: None
    if inspect.ismethod(callback):
        return weakref.WeakMethod(callback)
    return lambda: callback


class Runner(QObject):
    """Starts jobs for one purpose and keeps them until their threads end."""
    busy_changed = Signal(int)   # 1 busy, 0 idle (int: PySide6 bool args have refcount trouble)

    def __init__(self, parent=None, name: str = "jobs"):
        super().__init__(parent)
        self.setObjectName(name)
        self.bridge = _Bridge(self)
        self.bridge.finished.connect(self._on_finished)
        self.bridge.failed.connect(self._on_failed)
        self.bridge.progress.connect(self._on_progress)
        self.bridge.done.connect(self._forget)
        self.jobs: dict[int, Job] = {}
        self._callbacks: dict[int, tuple] = {}
        self._details: dict[int, bool] = {}   # job id -> its on_error takes the details

    def start(self, fn: Callable[[Job], Any], on_result, on_error, on_progress=None) -> Job:
        job = Job(fn, self.bridge)
        self._callbacks[job.id] = (_hold(on_result), _hold(on_error), _hold(on_progress))
        self._details[job.id] = on_error is not None and _takes_details(on_error)
        self.jobs[job.id] = job
        job.thread = threading.Thread(target=job.run, name=f"{self.objectName()}-{job.id}", daemon=True)
        job.thread.start()
        self.busy_changed.emit(1)
        return job

    def _live(self, job_id: int, which: int):
        job = self.jobs.get(job_id)
        if job is None or job.cancelled or job_id not in self._callbacks:
            return None
        return self._callbacks[job_id][which]()

    def _on_finished(self, job_id: int, result) -> None:
        callback = self._live(job_id, 0)
        if callback is not None:
            callback(result)

    def _on_failed(self, job_id: int, message: str, user: int, details: str = "") -> None:
        callback = self._live(job_id, 1)
        if callback is not None:
            if self._details.get(job_id):
                callback(message, bool(user), details)
            else:
                callback(message, bool(user))

    def _on_progress(self, job_id: int, message: str) -> None:
        callback = self._live(job_id, 2)
        if callback is not None:
            callback(message)

    def cancel_all(self) -> None:
        was_active = self.active
        for job in self.jobs.values():
            job.cancel()
        if was_active:
            self.busy_changed.emit(0)

    def _forget(self, job_id: int) -> None:
        self.jobs.pop(job_id, None)
        self._callbacks.pop(job_id, None)
        self._details.pop(job_id, None)
        self.busy_changed.emit(int(self.active))

    @property
    def active(self) -> bool:
        """A job not cancelled is still running (a cancelled one may still be finishing its torch call)."""
        return any(not j.cancelled for j in self.jobs.values())

    def running_threads(self) -> int:
        return sum(1 for j in list(self.jobs.values()) if j.running)

    def wait(self, timeout: float = 30.0) -> bool:
        """Wait up to `timeout` seconds for every job's thread to end (the results still arrive through the event
        loop). True when none is left running."""
        deadline = time.monotonic() + timeout
        for job in list(self.jobs.values()):
            if job.thread is not None:
                job.thread.join(max(0.0, deadline - time.monotonic()))
        return self.running_threads() == 0

    def shutdown(self, timeout: float = 2.0) -> bool:
        """Cancel everything and wait at most `timeout` seconds for the threads (the window's closeEvent). A thread
        still running after that (stuck in a call that cannot be interrupted) is left behind: it is a daemon thread,
        its job is cancelled, so nothing it returns is delivered and it does not keep the process alive."""
        self.cancel_all()
        ok = self.wait(timeout)
        self._callbacks.clear()
        self._details.clear()
        if ok:
            self.jobs.clear()
        return ok
