"""Another process on the case store, for the tests of what the store and the window do while it writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def hold_write_lock(path: Path) -> subprocess.Popen:
    """Another process (a `raretrace case` command, another window) in a write transaction on the store, until a
    line is written to its stdin (or 60 s have passed); it has the lock once this returns."""
    script = ("import sqlite3, sys, select\n"
              f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
              "c.execute('BEGIN IMMEDIATE')\n"
              "c.execute(\"INSERT INTO audit (case_id, at, user, action, changes) VALUES ('x', 'now', 'u', 'exported', '[]')\")\n"
              "print('held', flush=True)\n"
              "select.select([sys.stdin], [], [], 60)\n"
              "c.execute('COMMIT')\n")
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    return holder
