"""The one exception type the CLI and GUI turn into a one-line message (exit status 2)."""

from pathlib import Path


def first_line(exc: BaseException) -> str:
    """The first line of `exc`'s message (its class name when it has none): a one-line error quoting a library's
    message, which may run to many lines."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


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
