"""Labels that draw their text cut short where the window leaves too little room, and say it whole on hover."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QToolTip, QWidget


class CutLabel(QLabel):
    """A label whose subclass says how its text is drawn in its room (`shown`, ending with "…" where cut): it draws
    that, and its tooltip shows `tip()` while the text is cut. text() stays whole."""

    def shown(self) -> str:
        return self.text()

    def tip(self) -> str:
        return self.text()

    def draw_flags(self) -> int:
        return int(self.alignment())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.shown() != self.text():
            QToolTip.showText(event.globalPos(), self.tip(), self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        shown = self.shown()
        if shown == self.text():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), self.draw_flags(), self.palette(), self.isEnabled(),
                                  shown, self.foregroundRole())
        painter.end()


class FittedLabel(CutLabel):
    """A one-line label that gives up width before the window grows past the screen: text that does not fit is cut
    with "…" (at its end, or `mode`), and its tooltip then starts with the whole text (an own tooltip follows it,
    or says it already). text() stays whole.
    """

    FEWEST_CHARS = 12  # what it keeps on the narrowest screen, with the "…"

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight, fewest: int = FEWEST_CHARS) -> None:
        super().__init__(text, parent)
        self.mode = mode
        self.fewest = fewest

    def shown(self) -> str:
        """The text as drawn at the label's width."""
        return self.fontMetrics().elidedText(self.text(), self.mode, self.contentsRect().width())

    def tip(self) -> str:
        """What its tooltip shows: the whole text where it is cut short, then its own tooltip."""
        whole = self.text() if self.shown() != self.text() and self.text() not in self.toolTip() else ""
        return "\n".join(t for t in (whole, self.toolTip()) if t)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        fewest = self.fontMetrics().horizontalAdvance(self.text()[: self.fewest] + "…")
        margins = self.contentsMargins()
        return QSize(min(hint.width(), fewest + margins.left() + margins.right()), hint.height())
