"""The task runner: outcomes reach the window in a defined order whatever the machine's load. Each test holds a
worker thread at the point where a busy machine would have paused it, so the order is the same on every run."""

from __future__ import annotations

import threading

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
    try:
        first_task.append(runner.start("list-cases", lambda _ctx: "all cases", on_done=shown.append,
                                       on_cancelled=lambda: cancelled.append("first")))
        assert held.wait(10)  # the first task is sending its result: it was not cancelled when it finished
        runner.start("list-cases", lambda _ctx: "the cases found", on_done=shown.append)
        qtbot.waitUntil(lambda: shown == ["the cases found"], timeout=10000)
    finally:
        release.set()
    assert runner.wait(10000)
    qtbot.waitUntil(lambda: bool(cancelled), timeout=10000)
    assert shown == ["the cases found"] and cancelled == ["first"]
