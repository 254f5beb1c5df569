"""The wait for a case's last save before the case is left, shown while it takes long (another program holds the
case store's write lock, a large VCF is hashed on a slow share): the window keeps drawing and the clinician may
stay on the case or export it instead of waiting."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

POLL_MS = 100


class SaveWaitDialog(QDialog):
    """Window-modal while it waits; run, it answers 'saved' (the saves finished), 'late' (still running after
    `limit_ms`), 'export' or 'cancel'. `saving`: what is being saved, where not the case itself ("the analysis of
    …")."""

    def __init__(self, case_id: str, finished: Callable[[], bool], limit_ms: int, parent: QWidget,
                 export: bool = True, leaving: str = "leaving it", saving: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("saveWaitDialog")
        self.setWindowTitle("Saving the case")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._answer = "cancel"  # Esc and the title bar's close button stay on the case
        self.label = QLabel(
            f"Saving {saving or case_id} is taking a while: the case store may be busy (another program, such as another "
            f"RareTrace window or a `raretrace case` command, writing to it). Waiting for the save before {leaving}…"
        )
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # the case ID as typed
        self.label.setWordWrap(True)
        bar = QProgressBar()
        bar.setRange(0, 0)  # how long the other program keeps the store is not known
        bar.setTextVisible(False)
        bar.setAccessibleName("Waiting for the case store")
        buttons = QDialogButtonBox()
        self.export_button = None
        if export:
            self.export_button = buttons.addButton("Export instead…", QDialogButtonBox.ButtonRole.ActionRole)
            self.export_button.setToolTip("Write the case as a phenopacket file now and leave it; the save goes on "
                                          "and reaches the store once the other program lets it")
            self.export_button.clicked.connect(lambda: self._finish("export"))
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setToolTip("Stay on the case (its save goes on)")
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(bar)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self._finished = finished
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._check)
        self._poll.start()
        if limit_ms >= 0:
            QTimer.singleShot(limit_ms, self, lambda: self._finish("late"))

    def text(self) -> str:
        return self.label.text()

    def _check(self) -> None:
        if self._finished():
            self._finish("saved")

    def _finish(self, answer: str) -> None:
        if self.isVisible():
            self._answer = answer
            self.done(QDialog.DialogCode.Accepted)

    def wait(self) -> str:
        """Show it and wait (the event loop runs); what ended the wait."""
        if self._finished():  # finished before it was shown: never flashes
            return "saved"
        self.exec()
        self._poll.stop()
        return self._answer
