"""Errors reach the user as a one-line message in a dialog; an unexpected exception never closes the window."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ..errors import RareTraceError, VcfNotFound, first_line


def one_line(exc: BaseException) -> str:
    """The message of `exc` as the window says it: one line, in the window's words (a button, not an option)."""
    if isinstance(exc, VcfNotFound):
        folder = exc.path.parent
        return (f"{exc.path.name} was not found in {folder} (it may have been moved or renamed, or its drive is not "
                "connected); choose another file with “Choose VCF…”, or remove the VCF from the case")
    if isinstance(exc, RareTraceError):
        return first_line(exc)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"internal error ({exc.__class__.__name__}: {first}); please report it"


def _message_box(parent: QWidget | None, icon: QMessageBox.Icon, name: str, spoken: str, message: str,
                 title: str) -> QMessageBox:
    box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a message quotes file names and file content: text, not markup
    box.setObjectName(name)
    box.setAccessibleName(spoken)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_error(parent: QWidget | None, message: str, title: str = "RareTrace") -> QMessageBox:
    """A non-blocking, window-modal message box (the event loop keeps running; tests can find and close it)."""
    return _message_box(parent, QMessageBox.Icon.Warning, "errorDialog", "Error message", message, title)


def show_warning(parent: QWidget | None, message: str, title: str = "RareTrace") -> QMessageBox:
    return _message_box(parent, QMessageBox.Icon.Information, "warningDialog", "Warning message", message, title)


def install_excepthook(parent_getter=None) -> None:
    """Every uncaught exception on the GUI thread becomes a dialog (traceback on stderr for bug reports)."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        if not isinstance(exc, RareTraceError):
            traceback.print_exception(kind, exc, tb, file=sys.stderr)
        parent = parent_getter() if parent_getter else QApplication.activeWindow()
        show_error(parent, one_line(exc))

    sys.excepthook = hook
