"""raretrace gui [CASE] [--demo]: open the desktop application (Qt is imported only when it starts)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import RareTraceError


def register(sub: argparse._SubParsersAction) -> None:
    gui = sub.add_parser("gui", help="open the desktop application")
    gui.add_argument("case", nargs="?", help="a phenopacket JSON file (or a VCF) to open")
    gui.add_argument("--demo", action="store_true", help="open the bundled demo case")
    gui.add_argument("--device", choices=("auto", "cpu", "cuda"), help="where the ranking model runs")
    gui.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    if args.case and not Path(args.case).is_file():
        raise RareTraceError(f"case file not found: {args.case}")
    no_display = no_display_reason()
    if no_display:
        raise RareTraceError(no_display)
    from ..gui.app import run

    return run(args.case, demo=args.demo, kb=getattr(args, "kb", None), device=args.device)


def no_display_reason(env: dict[str, str] | None = None, platform: str | None = None) -> str:
    """Why the window cannot open here ('' when it can): on Linux, Qt's default platform needs an X11 or Wayland
    display and, without one, aborts the process with six lines of its own instead of an error."""
    env = dict(os.environ) if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM", "xcb").split(":")[0] not in ("xcb", "wayland"):
        return ""
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return ""
    return ("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); run it on the desktop, or "
            "use `raretrace demo --out DIR` or `raretrace report` for a PDF")
