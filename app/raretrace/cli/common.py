"""Helpers shared by the command modules: the engine, progress on stderr, JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any

from ..engine import Engine


def stderr_progress(message: str, fraction: float) -> None:
    if sys.stderr.isatty():
        print(f"\r[{fraction * 100:5.1f}%] {message:<60}", end="" if fraction < 1 else "\n", file=sys.stderr)
    else:
        print(f"[{fraction * 100:5.1f}%] {message}", file=sys.stderr)


def engine(args: Any) -> Engine:
    return Engine(getattr(args, "kb", None), device=getattr(args, "device", "auto") or "auto", progress=stderr_progress)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)
