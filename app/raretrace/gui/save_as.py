"""Where an export goes: the file dialog's name, then the checks the command line makes (raretrace.outputs), so
that the system's "replace?" prompt, once accepted, never writes a phenopacket, a PDF or a figure over another
patient's phenopacket, the case's VCF or PED, the case store or any file that is not an earlier export of its kind.
A refused name is said in one message that offers to choose another; what the clinician entered stays as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..errors import RareTraceError


def ask_another_name(parent: QWidget | None, message: str) -> bool:
    """Whether the clinician chooses another name after `message` (why the name was refused), or gives up."""
    box = QMessageBox(QMessageBox.Icon.Warning, "File not replaced", f"{message}.", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and case IDs as they are
    box.setObjectName("notReplacedDialog")
    other = box.addButton("Choose another name…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(other)
    box.exec()
    return box.clickedButton() is other


def save_path(parent: QWidget, title: str, start: str, filters: str, path: str | None,
              check: Callable[[str], str], ask: Callable[[str], bool]) -> str | None:
    """The file to write: `path` (or the dialog's answer, starting at `start`) as `check` returns it (it may add a
    suffix; it raises RareTraceError to refuse it). A refused name is told with `ask`, and the dialog opens again
    in its folder while the clinician chooses another; None when they cancel."""
    while True:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
            if not path:
                return None
        try:
            return check(path)
        except RareTraceError as exc:
            if not ask(str(exc)):
                return None
            start = str(Path(path).parent / Path(start).name)  # the folder just chosen, the name suggested
            path = None
