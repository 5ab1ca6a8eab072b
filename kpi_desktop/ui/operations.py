"""Background work: one runner, one serial lane for the database, feedback only when it is slow.

A page hands a function to an :class:`Op` and says what happens after, on the GUI thread::

    Op(self, lambda: self.services.review.confirm(me, entry_id)) \\
        .success(lambda _result: self.status_message.emit(...)) \\
        .run()

- Every op runs on the runner's **serial lane** (one worker thread): database work never
  overlaps, so two actions of an impatient user are applied in the order they were made and a
  page load never reads half of a write. The function must not touch widgets (it runs in the
  worker); it gets its own unit of work from the services, as every service call does.
- After :data:`BUSY_CURSOR_MS` the parent's window shows a busy cursor; after
  :data:`PROGRESS_MS` an op with :meth:`Op.progress` shows a progress dialog (with Stop when it
  can be cancelled). Short work never flashes anything.
- ``success(result)`` and ``failure(error)`` run on the GUI thread, only while the parent widget
  still exists. A refusal (:class:`~kpi_desktop.domain.errors.KpiError`) without a ``failure``
  callback is shown as a translated message; any other exception is a bug and goes to
  ``sys.excepthook`` (the crash handler).
- Tests may install a :class:`SynchronousRunner` (:func:`use_runner`): ops then run at once on
  the calling thread and a bug is raised to the test.

:class:`Loader` is the "newest load wins" helper of pages that load off the GUI thread.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from shiboken6 import Shiboken

from kpi_desktop.domain.errors import KpiError
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.messages import describe

R = TypeVar("R")
ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]

# After how long a running op shows a busy cursor, and a progress dialog (milliseconds).
BUSY_CURSOR_MS = 300
PROGRESS_MS = 600
# The interpreter's thread switch interval while work runs (a busy worker would otherwise
# make each relayout of the GUI wait up to the default 5 ms per switch).
SWITCH_INTERVAL = 0.0005


class _Relay(QObject):
    """Carries a worker's reports to the GUI thread. It has no parent: the worker holds it, so a
    page closed while its work runs cannot delete the object the worker emits on."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class Task(QObject):
    """The GUI-thread handle of one submitted piece of work."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
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
    def __init__(self, work: Callable[[ProgressFn, CancelledFn], Any], task: Task) -> None:
        super().__init__()
        self._work = work
        self._relay = task._relay
        self._cancelled = task.is_cancelled
        self.setAutoDelete(True)

    def run(self) -> None:
        relay = self._relay
        try:
            result = self._work(lambda done, total: relay.progress.emit(done, total),
                                self._cancelled)
        except BaseException as error:  # noqa: BLE001 - reported to the GUI thread
            failed, value = True, error
        else:
            failed, value = False, result
        with contextlib.suppress(RuntimeError):  # the application is going away
            (relay.failed if failed else relay.finished).emit(value)


class Runner(QObject):
    """Runs work on one serial lane (a one-thread pool) and keeps the handles until they end."""

    synchronous = False

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiOperationRunner")
        self.lane = QThreadPool(self)
        self.lane.setMaxThreadCount(1)
        self.lane.setExpiryTimeout(-1)
        self._running: set[Task] = set()
        self._interval: float | None = None

    def submit(self, work: Callable[[ProgressFn, CancelledFn], Any]) -> Task:
        """Queue ``work(progress, cancelled)`` on the lane; its reports come back on ``Task``."""
        task = Task(self)
        task.finished.connect(lambda _result: self._ended(task))
        task.failed.connect(lambda _error: self._ended(task))
        if not self._running:
            self._interval = sys.getswitchinterval()
            sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))
        self._running.add(task)
        self.lane.start(_Runnable(work, task))
        return task

    def _ended(self, task: Task) -> None:
        self._running.discard(task)
        if not self._running and self._interval is not None:
            sys.setswitchinterval(self._interval)
            self._interval = None

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the lane is idle (shutdown, tests); then deliver what is pending."""
        done = self.lane.waitForDone(msecs)
        QCoreApplication.sendPostedEvents()
        return done


class SynchronousRunner(Runner):
    """Runs work at once on the calling thread (tests): callbacks have run when ``run`` returns,
    and a bug is raised to the caller instead of going to the crash handler."""

    synchronous = True

    def submit(self, work: Callable[[ProgressFn, CancelledFn], Any]) -> Task:
        task = Task(self)
        try:
            result = work(lambda done, total: task.progress.emit(done, total),
                          task.is_cancelled)
        except KpiError as error:
            task._on_failed(error)
        else:
            task._on_finished(result)
        return task


_runner: Runner | None = None


def runner() -> Runner:
    """The application's runner (made on first use, a child of the application object)."""
    global _runner
    if _runner is None or not Shiboken.isValid(_runner):
        _runner = Runner(QCoreApplication.instance())
    return _runner


def use_runner(new: Runner | None) -> Runner | None:
    """Install ``new`` as the application's runner (None: a fresh default); returns the old."""
    global _runner
    old, _runner = _runner, new
    return old


def wait_for_all(msecs: int = 10_000) -> bool:
    """Let queued work end (before the database closes at exit)."""
    return _runner is None or not Shiboken.isValid(_runner) or _runner.wait(msecs)


def show_refusal(parent: QWidget | None, error: KpiError, title: str = "") -> None:
    """A refusal as a translated message box."""
    QMessageBox.warning(parent, title or translate("Operation", "Not done"), describe(error))


def report_bug(error: BaseException) -> None:
    """An unexpected exception: to the crash handler (``sys.excepthook``)."""
    sys.excepthook(type(error), error, error.__traceback__)


class Op(Generic[R]):
    """One piece of work for the serial lane, with its callbacks (see the module docstring)."""

    def __init__(self, parent: QWidget | None, fn: Callable[[], R]) -> None:
        self._parent = parent
        self._work: Callable[[ProgressFn, CancelledFn], R] = lambda _p, _c: fn()
        self._success: Callable[[R], None] | None = None
        self._failure: Callable[[KpiError], None] | None = None
        self._finally: Callable[[], None] | None = None
        self._on_progress: ProgressFn | None = None
        self._label: str | None = None
        self._cancellable = False
        self._title = ""

    @classmethod
    def reporting(cls, parent: QWidget | None,
                  fn: Callable[[ProgressFn, CancelledFn], R]) -> Op[R]:
        """An op whose function reports ``progress(done, total)`` and checks ``cancelled()``."""
        op: Op[R] = cls(parent, lambda: None)  # type: ignore[arg-type, return-value]
        op._work = fn
        return op

    def success(self, callback: Callable[[R], None]) -> Op[R]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[KpiError], None]) -> Op[R]:
        """Handle a refusal yourself (instead of the default message box)."""
        self._failure = callback
        return self

    def always(self, callback: Callable[[], None]) -> Op[R]:
        """Runs after success or failure (re-enable buttons, hide a progress bar)."""
        self._finally = callback
        return self

    def on_progress(self, callback: ProgressFn) -> Op[R]:
        self._on_progress = callback
        return self

    def progress(self, label: str, *, cancellable: bool = False) -> Op[R]:
        """Show a progress dialog with ``label`` when the work takes longer than 600 ms."""
        self._label, self._cancellable = label, cancellable
        return self

    def titled(self, title: str) -> Op[R]:
        """The title of the refusal message box."""
        self._title = title
        return self

    def run(self, on: Runner | None = None) -> Task:
        """Queue the work; returns its handle (already finished with a synchronous runner)."""
        lane = on or runner()
        work = self._work
        if lane.synchronous:
            task = lane.submit(lambda progress, cancelled: work(
                lambda done, total: (progress(done, total), self._progressed(done, total)),
                cancelled))
            self._deliver(task, None)
            return task
        feedback = _Feedback(self._parent, self._label, self._cancellable)
        task = lane.submit(work)
        feedback.attach(task)
        task.progress.connect(self._progressed)
        task.finished.connect(lambda _r: self._deliver(task, feedback))
        task.failed.connect(lambda _e: self._deliver(task, feedback))
        return task

    def wait(self, on: Runner | None = None) -> R:
        """Run the work on the lane and wait for it in a local event loop (the window keeps
        painting; the user's input waits): for a dialog or wizard page that must answer at
        once whether it may close. Returns the result or raises the refusal; the callbacks
        are not used."""
        lane = on or runner()
        work = self._work
        if lane.synchronous:
            task = lane.submit(work)
        else:
            feedback = _Feedback(self._parent, self._label, self._cancellable)
            loop = QEventLoop()
            task = lane.submit(work)
            feedback.attach(task)
            task.finished.connect(loop.quit)
            task.failed.connect(loop.quit)
            if not task.done:
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            feedback.close()
        if task.error is not None:
            raise task.error
        return task.result

    def _progressed(self, done: int, total: int) -> None:
        if self._on_progress is not None and self._alive():
            self._on_progress(done, total)

    def _alive(self) -> bool:
        return self._parent is None or Shiboken.isValid(self._parent)

    def _deliver(self, task: Task, feedback: _Feedback | None) -> None:
        if feedback is not None:
            feedback.close()
        if not self._alive():
            return
        try:
            if task.error is None:
                if self._success is not None:
                    self._success(task.result)
            elif isinstance(task.error, KpiError):
                if self._failure is not None:
                    self._failure(task.error)
                else:
                    show_refusal(self._parent, task.error, self._title)
            else:
                report_bug(task.error)
        finally:
            if self._finally is not None and self._alive():
                self._finally()


class _Feedback(QObject):
    """The busy cursor after 300 ms and the progress dialog after 600 ms of one running op."""

    def __init__(self, parent: QWidget | None, label: str | None, cancellable: bool) -> None:
        super().__init__(parent)
        self._widget = parent.window() if parent is not None else None
        self._label = label
        self._cancellable = cancellable
        self._dialog: QProgressDialog | None = None
        self._task: Task | None = None
        self._cursor = False
        self._range = (0, 0)
        self._timers: list[QTimer] = []
        if self._widget is not None:
            self._timers.append(self._after(BUSY_CURSOR_MS, self._busy))
            if label:
                self._timers.append(self._after(PROGRESS_MS, self._show))

    def _after(self, msecs: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        timer.start(msecs)
        return timer

    def attach(self, task: Task) -> None:
        self._task = task
        task.progress.connect(self._progress)

    def _busy(self) -> None:
        if self._widget is not None and Shiboken.isValid(self._widget):
            self._widget.setCursor(Qt.CursorShape.BusyCursor)
            self._cursor = True

    def _show(self) -> None:
        if self._widget is None or not Shiboken.isValid(self._widget):
            return
        dialog = QProgressDialog(self._label or "", "", *self._range, self._widget)
        dialog.setWindowTitle("KPI Desktop")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self._cancellable and self._task is not None:
            dialog.setCancelButtonText(translate("Operation", "Stop"))
            dialog.canceled.connect(self._task.cancel)
        else:
            dialog.setCancelButton(None)
        dialog.show()
        self._dialog = dialog

    def _progress(self, done: int, total: int) -> None:
        self._range = (0, max(total, 1))
        if self._dialog is not None:
            self._dialog.setRange(*self._range)
            self._dialog.setValue(done)

    def close(self) -> None:
        if not Shiboken.isValid(self):  # went away with its page
            return
        for timer in self._timers:
            timer.stop()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        if self._cursor and self._widget is not None and Shiboken.isValid(self._widget):
            self._widget.unsetCursor()
        self.deleteLater()


class Loader(QObject, Generic[R]):
    """Loads a page's data off the GUI thread; a newer load makes older results stale."""

    loaded = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._page = parent
        self._generation = 0
        self._running = False

    def load(self, fetch: Callable[[], R], apply: Callable[[R], None], *,
             failed: Callable[[KpiError], None] | None = None) -> None:
        """``fetch()`` in the worker, then ``apply(result)`` here unless a newer load began."""
        self._generation += 1
        generation = self._generation
        self._running = True

        def done(result: R) -> None:
            if generation == self._generation:
                self._running = False
                apply(result)
                self.loaded.emit()

        def refused(error: KpiError) -> None:
            if generation == self._generation:
                self._running = False
                if failed is not None:
                    failed(error)
                else:
                    show_refusal(self._page, error)

        def ended() -> None:
            if generation == self._generation:
                self._running = False

        Op(self._page, fetch).success(done).failure(refused).always(ended).run()

    def cancel(self) -> None:
        """Forget the running load (its result will be dropped)."""
        self._generation += 1
        self._running = False

    def is_loading(self) -> bool:
        return self._running


__all__ = ["BUSY_CURSOR_MS", "PROGRESS_MS", "Loader", "Op", "Runner", "SynchronousRunner",
           "Task", "report_bug", "runner", "show_refusal", "use_runner", "wait_for_all"]
