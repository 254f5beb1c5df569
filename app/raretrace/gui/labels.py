"""Labels that draw their text cut short where the window leaves too little room, and say it whole on hover."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QToolTip


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
