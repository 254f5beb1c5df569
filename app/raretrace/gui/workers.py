"""Heavy work off the GUI thread: a task runs a plain function on QThreadPool and reports back with signals.

The function receives a `TaskContext` with `progress(message, fraction)` and `cancelled()`; core functions take
these as their progress callback and cancel callable. Results, errors and cancellation arrive on the GUI thread.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal

from ..errors import Cancelled, RareTraceError, first_line
from .errors import one_line


class TaskContext:
    """What a running task may call: report progress, ask whether the user cancelled."""

    def __init__(self, signals: TaskSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()
        self.result_kept = False  # see keep_result

    def progress(self, message: str, fraction: float) -> None:
        # as Task._emit: the application may have shut down under a task its closed window did not wait for
        with contextlib.suppress(RuntimeError):
            self._signals.progress.emit(str(message), float(fraction))

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def keep_result(self) -> None:
        """The task's work is done and cannot be undone (written to disk): its result is delivered even when a cancel
        came after the task last asked, so that what was done is said rather than that it stopped."""
        self.result_kept = True


class TaskSignals(QObject):
    progress = Signal(str, float)
    done = Signal(object)
    failed = Signal(str)  # one-line message
    cancelled = Signal()
    finished = Signal()  # after done/failed/cancelled, always


class Task:
    """A function to run on a pool thread and its signals. The pool holds its `run` until that returns, and its
    signals' connections hold it until the runner deletes them once it has finished and reported back."""

    def __init__(self, name: str, fn: Callable[[TaskContext], Any]) -> None:
        self.name = name
        self.fn = fn
        self.signals = TaskSignals()
        self.context = TaskContext(self.signals)
        self.retired = False  # its runner no longer counts it as running (set on the GUI thread)
        self.replaced = False  # a newer task of the same name replaced it: its result is not wanted
        self.finished = False  # its `finished` has arrived (set on the GUI thread)
        self.delivering = False  # its outcome's callback runs (and may wait in a dialog's event loop)
        self.ran = threading.Event()  # its run() no longer touches its signals (set on the worker's thread)

    def cancel(self) -> None:
        self.context.cancel()

    def run(self) -> None:
        try:
            result = self.fn(self.context)
        except Cancelled:
            self._emit(self.signals.cancelled)
        except RareTraceError as exc:
            self._emit(self.signals.failed, one_line(exc))  # in the window's words
        except MemoryError:
            self._emit(self.signals.failed, f"{self.name}: not enough memory")
        except Exception as exc:  # a bug: one line for the user, the traceback for the log
            traceback.print_exc(file=sys.stderr)
            self._emit(self.signals.failed,
                       f"internal error in {self.name} ({exc.__class__.__name__}: {first_line(exc)})")
        else:
            if self.context.cancelled() and not self.context.result_kept:
                self._emit(self.signals.cancelled)
            else:
                self._emit(self.signals.done, result)
        finally:
            self._emit(self.signals.finished)
            self.ran.set()

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        """Report back; when Qt has already deleted the signals' object (the application is shutting down while
        this task ran), there is no one left to tell, and a traceback on the console would only alarm."""
        with contextlib.suppress(RuntimeError):
            signal.emit(*args)


def _release(task: Task) -> None:
    """Let go of a task that has finished and reported back. Its connections hold it (and their callbacks the
    window's objects): deleting its signals' object, on the GUI thread once back in the event loop, drops them, and
    the task goes with them instead of staying for the life of the window (one per keystroke search or save)."""
    # `finished` was sent, but the worker may still be inside that emit (a moment): never delete a sender under it;
    # a worker stuck there keeps its task (a leak, never a crash)
    if task.ran.wait(5):
        with contextlib.suppress(RuntimeError):  # already deleted (the application is shutting down)
            task.signals.deleteLater()


def _finish(task: Task) -> None:
    """`finished` has arrived: let go of what the task's function holds (a case, the variants of a VCF) at once,
    and of the task once its outcome's callback, if one still runs (in a dialog's event loop), has returned. Also
    when the runner is gone (the window closed while that dialog was open): the callback still runs from the
    task's signals, which must not be deleted under it."""
    task.fn = None
    task.finished = True
    if not task.delivering:  # else the callback lets go of it when it returns (TaskRunner._outcome)
        _release(task)


class TaskRunner(QObject):
    """Starts tasks and keeps them alive until they finish; the window shows progress while long ones run.

    Results reach the callbacks only while the runner (a child of its window) exists: a task that outlives its
    window finishes quietly.
    """

    busy_changed = Signal(bool)
    tasks_changed = Signal()  # a task started or finished

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self.active: dict[str, Task] = {}  # the current task of each name
        # every task started and not yet let go (replaced ones too), held weakly: a finished task is let go at once
        self._started: weakref.WeakSet[Task] = weakref.WeakSet()

    def _guard(self, callback: Callable[..., None] | None) -> Callable[..., None] | None:
        if callback is None:
            return None

        def call(*args: Any) -> None:
            if shiboken6.isValid(self):
                callback(*args)

        return call

    def start(
        self,
        name: str,
        fn: Callable[[TaskContext], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_progress: Callable[[str, float], None] | None = None,
        replace: bool = True,
        pool: QThreadPool | None = None,
    ) -> Task:
        """Run fn(context) on the pool (`pool`: another one, for work that must not queue behind this runner's long
        tasks). A running task of the same name is cancelled first when `replace`."""
        if replace and name in self.active:
            self.active[name].replaced = True
            self.active[name].cancel()
        task = Task(name, fn)
        # The task is retired (no longer running, `tasks_changed` emitted) as soon as its outcome arrives and before
        # the callback runs: a callback that asks whether the task still runs gets "no" (on a busy machine the
        # worker's `finished` may come much later). The runner lets go of it only at `finished`.
        # The result of a task replaced by a newer one of the same name counts as cancelled, even when the task sent
        # it just before it was replaced: it would arrive after the newer task's result and overwrite it.
        def done(result: Any) -> None:
            if not task.replaced:
                if on_done is not None:
                    on_done(result)
            elif on_cancelled is not None:
                on_cancelled()

        task.signals.done.connect(self._outcome(task, done))
        task.signals.failed.connect(self._outcome(task, on_failed))
        task.signals.cancelled.connect(self._outcome(task, on_cancelled))
        if on_progress is not None:
            task.signals.progress.connect(self._guard(on_progress))
        task.signals.finished.connect(lambda t=task: self._finished(t) if shiboken6.isValid(self) else _finish(t))
        was_busy = bool(self.active)
        self.active[name] = task
        self._started.add(task)
        # a callable, not a QRunnable: PySide keeps a started QRunnable referenced for as long as its pool lives
        (pool or self.pool).start(task.run)
        if not was_busy:
            self.busy_changed.emit(True)
        self.tasks_changed.emit()
        return task

    def cancel(self, name: str) -> None:
        task = self.active.get(name)
        if task:
            task.cancel()

    def is_running(self, name: str) -> bool:
        return name in self.active

    def _outcome(self, task: Task, callback: Callable[..., None] | None) -> Callable[..., None]:
        def call(*args: Any) -> None:
            if shiboken6.isValid(self):
                self._retire(task)
                if callback is not None:
                    task.delivering = True
                    try:
                        callback(*args)
                    finally:
                        task.delivering = False
                        if task.finished:  # `finished` came while the callback waited in a dialog
                            _release(task)

        return call

    def _retire(self, task: Task) -> None:
        if task.retired:
            return
        task.retired = True
        if self.active.get(task.name) is task:
            del self.active[task.name]
        if not self.active:
            self.busy_changed.emit(False)
        self.tasks_changed.emit()

    def _finished(self, task: Task) -> None:
        # its connections keep the task alive until its signals' object is deleted (_release, through _finish)
        self._retire(task)
        _finish(task)

    def wait(self, msecs: int = 30000, skip: tuple[str, ...] = ()) -> bool:
        """Wait for the tasks started here to return (`msecs` -1: no limit), but for those named in `skip`; with
        none skipped, for the whole pool."""
        if not skip:
            return self.pool.waitForDone(msecs)
        deadline = None if msecs < 0 else time.monotonic() + msecs / 1000
        for task in list(self._started):
            if task.name in skip:
                continue
            if not task.ran.wait(None if deadline is None else max(0.0, deadline - time.monotonic())):
                return False
        return True
