"""The one exception type the CLI and GUI turn into a one-line message (exit status 2)."""


class RareTraceError(Exception):
    """Bad input or an unusable resource; the message says what is wrong and what to do."""


class Cancelled(RareTraceError):
    """A long-running step was cancelled by the user."""

    def __init__(self, message: str = "cancelled by the user") -> None:
        super().__init__(message)
