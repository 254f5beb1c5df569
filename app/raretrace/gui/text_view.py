"""A rich-text view that breaks lines between words only, for the evidence pane and the report preview."""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QTextBrowser, QWidget

from .evidence_html import BREAK


class WordBrowser(QTextBrowser):
    """A QTextBrowser that wraps at word boundaries only. Qt's default (a word boundary, or anywhere where a word is
    wider than its line or column) cut the tables' words and numbers wherever a column was squeezed: LLRs "+4.4|4",
    "c.10|19A>G", "Acrocephalopolysyndactyly" split inside. A name that must break (a sequence, an HGVS name, a case
    ID) carries break points of its own (evidence_html.BREAK), taken out of what is copied."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 (Qt's name)
        """What is copied, without the break points: a sequence or an HGVS name pasted elsewhere is as written."""
        data = super().createMimeDataFromSelection()
        copied = QMimeData()
        copied.setText(data.text().replace(BREAK, ""))
        if data.hasHtml():
            copied.setHtml(data.html().replace(BREAK, ""))
        return copied
