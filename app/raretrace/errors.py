"""The one exception type the CLI and GUI turn into a one-line message (exit status 2)."""

from pathlib import Path


class RareTraceError(Exception):
    """Bad input or an unusable resource; the message says what is wrong and what to do."""


class VcfNotFound(RareTraceError):
    """A VCF is not at its path. The message is the command line's (it names --vcf); `path` lets a window say it
    in its own words (raretrace.gui.errors.one_line) without a check of its own."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"VCF file not found: {path}; check the path (a case's VCF may have been moved or renamed "
                         "since: give it with --vcf, or choose it again on the Genomics tab)")


class Cancelled(RareTraceError):
    """A long-running step was cancelled by the user."""

    def __init__(self, message: str = "cancelled by the user") -> None:
        super().__init__(message)
