"""Running the command line in-process as the tests do."""

from __future__ import annotations

from raretrace.cli import main


def run_cli(argv: list[str]) -> int:
    """`raretrace ARGV`'s exit status, its output in capsys/capfd."""
    try:
        return main(argv)
    except SystemExit as exc:  # argparse usage errors exit from the parser itself
        return int(exc.code or 0)
