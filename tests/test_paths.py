"""File-safety helpers of raretrace.paths: whether a process still runs (leftover temporary files are removed only
when their process is gone)."""

from __future__ import annotations

import os
import subprocess
import sys

from raretrace.paths import process_runs


def test_a_child_process_runs_until_it_has_ended():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert process_runs(child.pid)
    finally:
        child.kill()
        child.wait()  # reaped: its PID names no process any more
    assert not process_runs(child.pid)


def test_this_process_runs():
    assert process_runs(os.getpid())


def test_a_pid_that_names_no_single_process_is_never_taken_as_gone():
    # 0 and negative PIDs (os.kill: a process group) are no process of a leftover file's own: keep its file
    for pid in (0, -1, -os.getpid()):
        assert process_runs(pid)


def test_a_pid_too_large_for_the_system_is_taken_as_running_not_an_error():
    # os.kill raises OverflowError (not OSError) for it: a file named so made the kb build and batch stop with a
    # traceback; when in doubt the process runs and its file stays
    for pid in (2**31, 2**40, 10**30):
        assert process_runs(pid)
