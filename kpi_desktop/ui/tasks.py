"""Long work off the GUI thread, with progress, cancel and results delivered on the GUI thread.

A task is a plain function ``work(progress, cancelled) -> result`` that runs in a
:class:`~PySide6.QtCore.QThreadPool` worker. ``progress(done, total)`` may be called from the
worker at any time; ``cancelled()`` says whether the user asked to stop. The :class:`Task`
handle lives in the GUI thread, so its signals (``progress``, ``finished``, ``failed``) arrive
there through queued connections — widgets may be touched in the slots.

SQLite connections belong to the thread that made them: a task's function opens its own unit of
work (the services do that per call), never one from the GUI thread.

Python code in a worker holds the interpreter lock, and every virtual call Qt makes on a widget
created from Python (paint, layout, events) needs that lock too: with the default 5 ms switch
interval a busy worker can make a single relayout wait 100 ms and more. While tasks run, the
runner therefore lowers the switch interval to :data:`SWITCH_INTERVAL` and restores it after.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

#: The interpreter's thread switch interval (seconds) while tasks run.
SWITCH_INTERVAL = 0.0005

Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class _Relay(QObject):
    """Carries a worker's reports across threads (it lives in the GUI thread)."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class Task(QObject):
    """The GUI-thread handle of one running task."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        # No parent: the worker holds the relay too, so a page closed while its work runs
        # cannot delete the object the worker is emitting on (Qt drops the connections to
        # a deleted Task by itself).
        self._relay = _Relay()
        self._relay.progress.connect(self.progress)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _on_finished(self, result: Any) -> None:
        self.done, self.result = True, result
        self.finished.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self.done, self.error = True, error
        self.failed.emit(error)


class _Runnable(QRunnable):
    def __init__(self, work: Work, relay: _Relay, cancelled: Callable[[], bool]) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self._cancelled = cancelled
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._work(lambda done, total: self._relay.progress.emit(done, total),
                                self._cancelled)
        except BaseException as error:  # noqa: BLE001 - reported to the GUI thread
            failed, value = True, error
        else:
            failed, value = False, result
        # RuntimeError: the page (and its relay) closed while the work ran; nobody waits.
        with contextlib.suppress(RuntimeError):
            (self._relay.failed if failed else self._relay.finished).emit(value)


class TaskRunner(QObject):
    """Starts tasks in a thread pool and keeps their handles until they end."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._running: set[Task] = set()
        self._interval: float | None = None

    def start(self, work: Work, *, on_progress: Callable[[int, int], None] | None = None,
              on_finished: Callable[[Any], None] | None = None,
              on_failed: Callable[[BaseException], None] | None = None) -> Task:
        """Run ``work`` in a worker thread; the callbacks run on the GUI thread."""
        task = Task(self)
        if on_progress is not None:
            task.progress.connect(on_progress)
        if on_finished is not None:
            task.finished.connect(on_finished)
        if on_failed is not None:
            task.failed.connect(on_failed)
        task.finished.connect(lambda _result: self._ended(task))
        task.failed.connect(lambda _error: self._ended(task))
        if not self._running:
            self._interval = sys.getswitchinterval()
            sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))
        self._running.add(task)
        self._pool.start(_Runnable(work, task._relay, task.is_cancelled))
        return task

    def _ended(self, task: Task) -> None:
        self._running.discard(task)
        if not self._running and self._interval is not None:
            sys.setswitchinterval(self._interval)
            self._interval = None

    def busy(self) -> bool:
        return bool(self._running)

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool's workers are done (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)
