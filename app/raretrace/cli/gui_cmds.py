"""raretrace gui [CASE] [--demo]: open the desktop application (Qt is imported only when it starts)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import RareTraceError
from ..gui.app import DEVICE_HELP, window_problem  # no Qt import: the check runs before Qt starts


def register(sub: argparse._SubParsersAction) -> None:
    gui = sub.add_parser("gui", help="open the desktop application")
    gui.add_argument("case", nargs="?", help="a phenopacket JSON file (or a VCF) to open")
    gui.add_argument("--demo", action="store_true", help="open the bundled demo case")
    gui.add_argument("--device", choices=("auto", "cpu", "cuda"), help=DEVICE_HELP)
    gui.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    if args.case and Path(args.case).is_dir():  # there, so not "not found": said as analyze and report say it
        raise RareTraceError(f"{args.case} is a folder; give a phenopacket JSON file (or a VCF) to open")
    if args.case and not Path(args.case).is_file():
        raise RareTraceError(f"case file not found: {args.case}")
    problem = window_problem()
    if problem:
        raise RareTraceError(problem)
    from ..gui.app import run

    return run(args.case, demo=args.demo, kb=getattr(args, "kb", None), device=args.device)
