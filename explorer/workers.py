"""Heavy work (loading a model, tracing a text) off the UI thread: a QRunnable with a separate signals QObject.

A job cannot interrupt torch mid-forward, so Cancel marks the job cancelled: the window goes idle at once and the
result, when it arrives, is discarded. The runner keeps a reference to every running job and waits for them when
the window closes."""
from __future__ import annotations

import itertools
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_ids = itertools.count(1)


class JobSignals(QObject):
    progress = Signal(int, str)          # job id, message
    finished = Signal(int, object)       # job id, result
    failed = Signal(int, str, int)       # job id, message, is a user error (PLMError) rather than a bug
    done = Signal(int)                   # always last


class Job(QRunnable):
    def __init__(self, fn: Callable[["Job"], Any]):
        super().__init__()
        self.setAutoDelete(False)
        self.id = next(_ids)
        self.fn = fn
        self.cancelled = False
        self.signals = JobSignals()

    def progress(self, message: str) -> None:
        if not self.cancelled:
            self.signals.progress.emit(self.id, message)

    def run(self) -> None:   # worker thread: no widgets here
        from engine.errors import PLMError

        try:
            result = self.fn(self)
        except PLMError as error:
            if not self.cancelled:
                self.signals.failed.emit(self.id, str(error), 1)
        except Exception as error:   # noqa: BLE001 - shown as a message, with the type, never a traceback dialog
            traceback.print_exc()
            if not self.cancelled:
                self.signals.failed.emit(self.id, f"{type(error).__name__}: {error}", 0)
        else:
            if not self.cancelled:
                self.signals.finished.emit(self.id, result)
        finally:
            self.signals.done.emit(self.id)


_collector = None


def collect_garbage_on_the_gui_thread() -> None:
    """Python's cyclic GC runs on whichever thread happens to allocate. When a worker building a model triggers
    it, it can destroy Qt objects (a closed window's plots) from that worker thread: crashes and layout storms
    that freeze the window. pyqtgraph's GarbageCollector turns automatic collection off and collects on a timer
    in the GUI thread instead. Needs a QApplication; done once per process."""
    global _collector
    if _collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _collector = GarbageCollector(interval=1.0)


class Runner(QObject):
    """Owns a private thread pool and the running jobs."""
    busy_changed = Signal(int)   # 1 busy, 0 idle (int: PySide6 bool args have refcount trouble)

    def __init__(self, parent=None):
        super().__init__(parent)
        collect_garbage_on_the_gui_thread()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.jobs: dict[int, Job] = {}
        self._callbacks: dict[int, tuple] = {}

    def start(self, fn: Callable[[Job], Any], on_result, on_error, on_progress=None) -> Job:
        job = Job(fn)
        self._callbacks[job.id] = (on_result, on_error, on_progress)
        # Bound methods of this QObject (living on the UI thread): queued connections, callbacks run on the UI thread.
        job.signals.finished.connect(self._on_finished)
        job.signals.failed.connect(self._on_failed)
        job.signals.progress.connect(self._on_progress)
        job.signals.done.connect(self._forget)
        self.jobs[job.id] = job
        self.pool.start(job)
        self.busy_changed.emit(1)
        return job

    def _live(self, job_id: int):
        job = self.jobs.get(job_id)
        if job is None or job.cancelled:
            return None
        return self._callbacks.get(job_id)

    def _on_finished(self, job_id: int, result) -> None:
        callbacks = self._live(job_id)
        if callbacks:
            callbacks[0](result)

    def _on_failed(self, job_id: int, message: str, user: bool) -> None:
        callbacks = self._live(job_id)
        if callbacks:
            callbacks[1](message, user)

    def _on_progress(self, job_id: int, message: str) -> None:
        callbacks = self._live(job_id)
        if callbacks and callbacks[2]:
            callbacks[2](message)

    def cancel_all(self) -> None:
        was_active = self.active
        for job in self.jobs.values():
            job.cancelled = True
        if was_active:
            self.busy_changed.emit(0)

    def _forget(self, job_id: int) -> None:
        self.jobs.pop(job_id, None)
        self._callbacks.pop(job_id, None)
        self.busy_changed.emit(int(self.active))

    @property
    def active(self) -> bool:
        return any(not j.cancelled for j in self.jobs.values())

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel everything and wait for the threads to finish (called when the window closes)."""
        for job in self.jobs.values():
            job.cancelled = True
        ok = self.pool.waitForDone(timeout_ms)
        self.jobs.clear()
        self._callbacks.clear()
        return ok
