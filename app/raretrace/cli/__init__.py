"""The command line (contract: CLI.md). Thin: parse arguments, call the core, print.

Each area registers its sub-commands from its own module; errors become one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence

from .. import __version__
from ..errors import Cancelled, RareTraceError, on_one_line
from . import analysis_cmds, bench_cmds, case_cmds, gui_cmds, kb_cmds, text_cmds
from .common import end_progress_line

AREAS = (kb_cmds, text_cmds, analysis_cmds, case_cmds, bench_cmds, gui_cmds)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors: one line, status 2
        self.exit(2, f"error: {on_one_line(message)} (see `{self.prog} --help`)\n")

    def parse_args(self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
                   ) -> argparse.Namespace:  # type: ignore[override]
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:  # said by the top-level parser, whose help lists no command's options: point to the command's
            prog = getattr(parsed, "_command_prog", self.prog)
            self.exit(2, f"error: unrecognized arguments: {on_one_line(' '.join(extras))} (see `{prog} --help`)\n")
        return parsed


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="raretrace", description="Offline, traceable rare-disease differential diagnosis.")
    parser.add_argument("--version", action="version", version=f"RareTrace {__version__}")
    parser.add_argument("--kb", help="knowledge base file (default: $RARETRACE_KB or the user data directory)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for area in AREAS:
        area.register(sub)
    _accept_kb_anywhere(sub)
    return parser


def _accept_kb_anywhere(sub: argparse._SubParsersAction) -> None:
    """`--kb` and `--debug` also after the command (`raretrace analyze CASE --kb F`), as users type them; SUPPRESS
    keeps the value given before the command when none is given after it."""
    seen: set[int] = set()
    for parser in sub.choices.values():
        if id(parser) in seen:
            continue
        seen.add(id(parser))
        parser.set_defaults(_command_prog=parser.prog)  # the innermost command's wins: for an unrecognized option
        if "--kb" not in parser._option_string_actions:
            parser.add_argument("--kb", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        if "--debug" not in parser._option_string_actions:
            parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                _accept_kb_anywhere(action)


def _escape_unprintable_output() -> None:
    """Text stdout cannot encode (a CJK name on an ASCII or Latin-1 terminal, a file name whose bytes are not
    UTF-8) is written as backslash escapes, as Python writes stderr, instead of failing the command after its work
    is done. A stream that already escapes (surrogateescape in the C locale) is left as it is."""
    if getattr(sys.stdout, "errors", None) == "strict" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, `timeout`, a job scheduler's stop), raised where the command is, so that it is cleaned up as
    Ctrl-C is: batch keeps the lines ranked so far as OUT.partial, says so, and no temporary file is left behind."""


@contextlib.contextmanager
def _sigterm_as_interrupt(wanted: bool) -> Iterator[None]:
    """SIGTERM raises Terminated while the command runs. Not for the GUI (Qt's event loop would hold the signal
    until some Python code runs, and a window's stop goes through its own close), not where SIGTERM is ignored on
    purpose (nohup-like launchers) and not off the main thread (an embedding's); the handler before is put back."""
    if not wanted or threading.current_thread() is not threading.main_thread():
        yield
        return
    if signal.getsignal(signal.SIGTERM) == signal.SIG_IGN:
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    _escape_unprintable_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.kb:
        os.environ["RARETRACE_KB"] = args.kb
    try:
        try:
            with _sigterm_as_interrupt(args.command != "gui"):
                return int(args.func(args) or 0)
        finally:
            end_progress_line()  # an error below starts its own line, not the end of a progress line
    except Terminated:
        print("error: terminated", file=sys.stderr)
        return 143  # 128 + SIGTERM, as a shell reports a process the signal ended
    except Cancelled as exc:
        print(f"error: {on_one_line(str(exc))}", file=sys.stderr)
        return 130
    except RareTraceError as exc:
        if args.debug:  # the traceback, and still the status of bad input
            traceback.print_exc()
        print(f"error: {on_one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a path the user gave cannot be read or written (no such folder, a folder, no space)
        if args.debug:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {on_one_line(f'{where}{exc.strerror or exc}')}; check the path and its permissions", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: still one line unless --debug
        if args.debug:
            raise
        print(f"error: internal error ({exc.__class__.__name__}: {on_one_line(str(exc))}); rerun with --debug and report it",
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
