"""A rich-text view that breaks lines between words only, for the evidence pane and the report preview."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QResizeEvent, QTextDocument, QTextOption
from PySide6.QtWidgets import QTextBrowser, QWidget

from .evidence_html import as_copied


class WordBrowser(QTextBrowser):
    """A QTextBrowser that wraps at word boundaries only. Qt's default (a word boundary, or anywhere where a word is
    wider than its line or column) cut the tables' words and numbers wherever a column was squeezed: LLRs "+4.4|4",
    "c.10|19A>G", "Acrocephalopolysyndactyly" split inside. A name that must break (a sequence, an HGVS name, a case
    ID) carries break points of its own (evidence_html.BREAK), taken out of what is copied, as are the word joiners
    that keep an HGVS protein name's "p." with its "(" (evidence_html.JOIN).

    A table's column is then at least as wide as its longest word, so `show_fitted` measures the least width of the
    tables' layout and, in a view narrower than that (or than `narrow_chars` average characters), shows the stacked
    layout instead of running the tables past the edge; it is chosen again as the view is resized across that width."""

    narrow_chars = 0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.narrow = False
        self.tables_width = 0.0  # the least width of the tables' layout shown
        self._html_for: Callable[[bool], str] | None = None

    def show_fitted(self, html_for: Callable[[bool], str]) -> None:
        """Show `html_for(narrow)`: the tables' layout (False) where the view has room for it, else the stacked one."""
        self._html_for = html_for
        self.tables_width = self._least_width(html_for(False))
        self._lay_out()

    def show_text(self, html: str) -> None:
        """Not laid out by width (a message): kept as it is at any width."""
        self._html_for, self.tables_width, self.narrow = None, 0.0, False
        self.setHtml(html)

    def _least_width(self, html: str) -> float:
        """How wide `html` lays out at the least, no word broken (its tables' widest row of longest words)."""
        doc = QTextDocument()
        doc.setDefaultFont(self.document().defaultFont())
        doc.setDefaultTextOption(self.document().defaultTextOption())
        doc.setDocumentMargin(self.document().documentMargin())
        doc.setHtml(html)
        doc.setTextWidth(1)
        return doc.size().width()

    def _is_narrow(self) -> bool:
        # the view's width, not its viewport's: that changes as the content needs a scroll bar or not (the room for
        # the tables leaves room for one, so that it showing does not narrow them past the edge)
        room = self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
        return self.width() < self.narrow_chars * self.fontMetrics().averageCharWidth() or room < self.tables_width

    def _lay_out(self) -> None:
        assert self._html_for is not None
        self.narrow = self._is_narrow()
        self.setHtml(self._html_for(self.narrow))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self._html_for is not None and self._is_narrow() != self.narrow:
            bar = self.verticalScrollBar()
            at = bar.value() / bar.maximum() if bar.maximum() else 0.0
            self._lay_out()
            bar.setValue(round(at * bar.maximum()))  # about where the reader was

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 (Qt's name)
        """What is copied, without the break points and word joiners: a sequence or an HGVS name pasted elsewhere is
        as written."""
        data = super().createMimeDataFromSelection()
        copied = QMimeData()
        copied.setText(as_copied(data.text()))
        if data.hasHtml():
            copied.setHtml(as_copied(data.html()))
        return copied
