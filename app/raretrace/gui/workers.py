"""Heavy work off the GUI thread: a task runs a plain function on QThreadPool and reports back with signals.

The function receives a `TaskContext` with `progress(message, fraction)` and `cancelled()`; core functions take
these as their progress callback and cancel callable. Results, errors and cancellation arrive on the GUI thread.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..errors import Cancelled, RareTraceError


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


class TaskContext:
    """What a running task may call: report progress, ask whether the user cancelled."""

    def __init__(self, signals: TaskSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def progress(self, message: str, fraction: float) -> None:
        self._signals.progress.emit(str(message), float(fraction))

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class TaskSignals(QObject):
    progress = Signal(str, float)
    done = Signal(object)
    failed = Signal(str)  # one-line message
    cancelled = Signal()
    finished = Signal()  # after done/failed/cancelled, always


class Task(QRunnable):
    def __init__(self, name: str, fn: Callable[[TaskContext], Any]) -> None:
        super().__init__()
        self.name = name
        self.fn = fn
        self.signals = TaskSignals()
        self.context = TaskContext(self.signals)
        self.setAutoDelete(False)  # the runner keeps it until `finished`
        self.retired = False  # its runner no longer counts it as running (set on the GUI thread)
        self.replaced = False  # a newer task of the same name replaced it: its result is not wanted

    def cancel(self) -> None:
        self.context.cancel()

    def run(self) -> None:
        try:
            result = self.fn(self.context)
        except Cancelled:
            self._emit(self.signals.cancelled)
        except RareTraceError as exc:
            self._emit(self.signals.failed, _first_line(exc))
        except MemoryError:
            self._emit(self.signals.failed, f"{self.name}: not enough memory")
        except Exception as exc:  # a bug: one line for the user, the traceback for the log
            traceback.print_exc(file=sys.stderr)
            self._emit(self.signals.failed,
                       f"internal error in {self.name} ({exc.__class__.__name__}: {_first_line(exc)})")
        else:
            if self.context.cancelled():
                self._emit(self.signals.cancelled)
            else:
                self._emit(self.signals.done, result)
        finally:
            self._emit(self.signals.finished)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        """Report back; when Qt has already deleted the signals' object (the application is shutting down while
        this task ran), there is no one left to tell, and a traceback on the console would only alarm."""
        with contextlib.suppress(RuntimeError):
            signal.emit(*args)


# Every started task until it has finished and reported back: a QRunnable must outlive its run(), even when the
# window that started it has been closed meanwhile.
_ALIVE: set[Task] = set()


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
    ) -> Task:
        """Run fn(context) on the pool. A running task of the same name is cancelled first when `replace`."""
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
        task.signals.finished.connect(lambda t=task: self._finished(t) if shiboken6.isValid(self) else _ALIVE.discard(t))
        was_busy = bool(self.active)
        self.active[name] = task
        _ALIVE.add(task)
        self.pool.start(task)
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
                    callback(*args)

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
        _ALIVE.discard(task)
        # Qt keeps the task's signal connections (and with them the task) alive: let go of what its function holds
        # (a case, the variants of a VCF), here on the GUI thread
        task.fn = None
        self._retire(task)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
