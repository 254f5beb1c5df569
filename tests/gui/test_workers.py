"""The task runner: outcomes reach the window in a defined order whatever the machine's load. Each test holds a
worker thread at the point where a busy machine would have paused it, so the order is the same on every run."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

pytestmark = pytest.mark.gui


def _hold_emits(monkeypatch, which) -> tuple[threading.Event, threading.Event]:
    """Signals picked by `which(signal)` wait, on their worker thread, until `release` is set; `held` is set once
    one waits. Returns (held, release)."""
    from raretrace.gui.workers import Task

    held, release = threading.Event(), threading.Event()
    real_emit = Task._emit

    def emit(signal, *args):
        if which(signal):
            held.set()
            release.wait(30)
        real_emit(signal, *args)

    monkeypatch.setattr(Task, "_emit", staticmethod(emit))
    return held, release


def test_a_task_no_longer_counts_as_running_when_its_result_is_handled(qtbot, monkeypatch):
    # on a busy machine the worker sends `finished` well after the result: a callback that asked whether the task
    # still ran (the Genomics tab re-enabling "Load variants") was told yes
    from PySide6.QtCore import QThreadPool

    from raretrace.gui.workers import TaskRunner

    runner = TaskRunner(pool=QThreadPool(maxThreadCount=1))
    tasks = []
    _held, release = _hold_emits(monkeypatch, lambda signal: any(signal is t.signals.finished for t in tasks))
    seen = []
    try:
        tasks.append(runner.start("load-vcf", lambda _ctx: 42,
                                  on_done=lambda result: seen.append((result, runner.is_running("load-vcf")))))
        qtbot.waitUntil(lambda: bool(seen), timeout=10000)
        assert seen == [(42, False)]
        assert not runner.active
    finally:
        release.set()
    assert runner.wait(10000)


def test_a_result_sent_just_before_its_task_was_replaced_is_not_delivered_after_the_newer_one(qtbot, monkeypatch):
    # a task past its last look at the cancel flag sends its result; meanwhile a newer task of the same name
    # replaced it and reported first: the older result arrived last and overwrote the newer one (a stale case
    # list after a search, the knowledge base of the previous device after two settings changes)
    from PySide6.QtCore import QThreadPool

    from raretrace.gui.workers import TaskRunner

    runner = TaskRunner(pool=QThreadPool(maxThreadCount=2))
    first_task = []
    held, release = _hold_emits(monkeypatch, lambda signal: bool(first_task) and signal is first_task[0].signals.done)
    shown, cancelled = [], []
    known = threading.Event()  # the first task's function returns once the test knows its task (and its signals)
    try:
        first_task.append(runner.start("list-cases", lambda _ctx: known.wait(10) and "all cases", on_done=shown.append,
                                       on_cancelled=lambda: cancelled.append("first")))
        known.set()
        assert held.wait(10)  # the first task is sending its result: it was not cancelled when it finished
        runner.start("list-cases", lambda _ctx: "the cases found", on_done=shown.append)
        qtbot.waitUntil(lambda: shown == ["the cases found"], timeout=10000)
    finally:
        release.set()
    assert runner.wait(10000)
    qtbot.waitUntil(lambda: bool(cancelled), timeout=10000)
    assert shown == ["the cases found"] and cancelled == ["first"]


def _tasks_made(monkeypatch) -> weakref.WeakSet:
    """Every Task created from now on, for as long as it lives."""
    from raretrace.gui.workers import Task

    made: weakref.WeakSet = weakref.WeakSet()
    real_init = Task.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        made.add(self)

    monkeypatch.setattr(Task, "__init__", init)
    return made


def test_finished_searches_and_saves_leave_no_task_behind(window, qtbot, monkeypatch):
    # each keystroke search and each save left its task, its signals' object and their connections alive for the
    # life of the window
    made = _tasks_made(monkeypatch)
    window.new_case()
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    for i in range(25):
        window.cases.search.setText(f"HP:{i}")
        window.cases.refresh()  # what the search box's timer does after a pause in typing
        window.save_now()
    names = {t.name for t in made}
    assert "list-cases" in names and sum(n.startswith("save-") for n in names) == 25
    qtbot.waitUntil(lambda: not window.saver.active and not window.runner.is_running("list-cases"), timeout=60000)

    def searches_and_saves_left() -> list[str]:
        gc.collect()
        return [t.name for t in made if t.name == "list-cases" or t.name.startswith("save-")]

    qtbot.waitUntil(lambda: not searches_and_saves_left(), timeout=10000)


def test_a_task_is_let_go_only_once_its_callback_has_returned(qtbot, monkeypatch):
    # a callback may wait in a dialog (a nested event loop) where its task's `finished` arrives: the task's signals
    # are not deleted under the callback still running from one of them
    import shiboken6
    from PySide6.QtCore import QThreadPool

    from raretrace.gui.workers import TaskRunner

    made = _tasks_made(monkeypatch)
    runner = TaskRunner(pool=QThreadPool(maxThreadCount=1))
    seen = []

    def in_a_dialog(result):
        (task,) = made
        qtbot.waitUntil(lambda: task.finished, timeout=10000)  # events, deferred deletions included, run here
        qtbot.wait(50)
        seen.append((result, shiboken6.isValid(task.signals)))

    runner.start("export-report", lambda _ctx: 7, on_done=in_a_dialog)
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert seen == [(7, True)]
    qtbot.waitUntil(lambda: gc.collect() >= 0 and not made, timeout=10000)


def test_a_task_whose_window_is_destroyed_while_its_callback_waits_is_let_go_once_the_callback_returns(
        qtbot, monkeypatch, capfd):
    # the window closes (its runner deleted with it) while an outcome's callback waits in a dialog, and the task's
    # `finished` arrives after that: with no runner to defer to, the task's signals were deleted at once, under
    # the callback still running from one of them
    import shiboken6
    from PySide6.QtCore import QObject, QThreadPool, QTimer

    from raretrace.gui.workers import TaskRunner

    made = _tasks_made(monkeypatch)
    window = QObject()
    runner = TaskRunner(window, pool=QThreadPool(maxThreadCount=1))
    held, release = _hold_emits(monkeypatch, lambda signal: any(signal is t.signals.finished for t in made))
    unraisable = []
    monkeypatch.setattr("sys.unraisablehook", unraisable.append)
    seen = []

    def in_a_dialog(result):
        (task,) = made
        assert held.wait(10)  # the worker is about to send `finished`
        QTimer.singleShot(0, window.deleteLater)  # the window is closed while the dialog is open
        qtbot.waitUntil(lambda: not shiboken6.isValid(runner), timeout=10000)  # events and deletions run here
        release.set()
        qtbot.waitUntil(lambda: task.ran.is_set(), timeout=10000)
        qtbot.wait(100)  # `finished` arrives here, in the dialog's event loop, with its deferred deletions
        seen.append((result, shiboken6.isValid(task.signals)))

    try:
        runner.start("export-report", lambda _ctx: 7, on_done=in_a_dialog)
        qtbot.waitUntil(lambda: bool(seen), timeout=20000)
    finally:
        release.set()
    assert seen == [(7, True)]  # the signals outlived the callback running from them
    qtbot.waitUntil(lambda: gc.collect() >= 0 and not made, timeout=10000)  # and were let go after it
    assert not unraisable
    err = capfd.readouterr().err
    assert "Traceback" not in err and "RuntimeError" not in err and "already deleted" not in err, err


def test_closing_waits_for_what_writes_but_not_for_the_knowledge_base_or_models_still_loading(window, qtbot):
    # Closing waited for every background task, up to 5 s and showing nothing: a knowledge base still loading (20 s
    # on a first start) or the models warming up held the closed window on screen. What only reads is no longer
    # wanted once the window closes; what writes (a report being exported) still ends first.
    loading_may_end, loaded, written = threading.Event(), threading.Event(), threading.Event()

    def warm_up(_ctx):
        loading_may_end.wait(4)  # ends by itself within the 5 s closing waited
        loaded.set()

    def export(_ctx):
        loading_may_end.wait(0.3)
        written.set()

    window.runner.start("warm-up", warm_up)
    window.runner.start("export-report", export)
    window.close()
    assert window.isHidden()
    assert written.is_set() and not loaded.is_set()
    loading_may_end.set()
    assert loaded.wait(10)
