"""The one exception type the CLI and GUI turn into a one-line message (exit status 2)."""

import re
from pathlib import Path

MAX_LINE = 2000  # characters of one error or warning line: a message quoting a whole file's content is cut
MAX_FIELD = 500  # characters of one value quoted in plain-text output (a path may be long; a case ID of 500 is not)


# What would break a line or drive the terminal: control characters but the tab (a line break, an escape sequence),
# Unicode's line and paragraph separators, and its bidirectional controls, which reorder what follows on the line
# (an ID that reads other than it is).
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escaped(text: str) -> str:
    """`text` with what would break its line or drive the terminal written as the escape Python writes for it
    (a line break as \\n, ESC as \\x1b); anything else, a tab and any letter or script included, as it is."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def on_one_line(text: str, limit: int = MAX_LINE) -> str:
    """`text` fit to be one line of a terminal: what it quotes from a file (a case ID or a file name with a line
    break or an escape sequence) cannot break it into several lines nor drive the terminal, and a message longer
    than `limit` (a case ID of megabytes quoted) keeps its start and its end, which says what to do."""
    text = escaped(text)
    if len(text) <= limit:
        return text
    cut = len(text) - limit
    head = limit * 2 // 3
    return f"{text[:head]}[... {cut:,} characters ...]{text[head + cut:]}"


def safe_text(value: object, limit: int = MAX_FIELD) -> str:
    """One value a file or the case store gave (a case or patient ID, a label, a file or sample name) as plain-text
    output quotes it in a line or a table row: escaped as `on_one_line` does, and only a length no one would type
    (a case ID of megabytes) shortened, to its start and end. Normal values are printed as they are."""
    return on_one_line(str(value), limit)


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
