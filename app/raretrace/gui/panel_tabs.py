"""The main window's tabs, each panel in a scroll area of its own so that a larger font never makes the window
taller than a small screen: 1920×1080 at 200 % leaves about 468 px for the window, and at 13 pt the Phenotypes
tab alone needed 415 of them (the window 577)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QFrame,
    QScrollArea,
    QStyle,
    QTabWidget,
    QWidget,
)


class PanelScroll(QScrollArea):
    """A panel that fills the tab while there is room, and scrolls up and down when the window is shorter than the
    panel's least height. Its least width is the panel's, and the scroll bar's more while that shows, so the panel
    keeps its own wrapping and does not scroll sideways. (Always reserving the bar widened every window by 14 px.)"""

    def __init__(self, panel: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)  # drawn as the bare panel was
        self.setWidgetResizable(True)
        self.setWidget(panel)
        # no Tab stop of its own: a focused area showed no focus anywhere; the fields it holds are scrolled into
        # sight when they take the focus (PanelTabs._show_focus)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalScrollBar().installEventFilter(self)

    def _bar(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)

    def minimumSizeHint(self) -> QSize:
        least = super().minimumSizeHint()
        panel = self.widget()
        if panel is None:
            return least
        bar = self._bar() if self.verticalScrollBar().isVisibleTo(self) else 0
        return QSize(panel.minimumSizeHint().width() + bar + 2 * self.frameWidth(), least.height())

    def sizeHint(self) -> QSize:
        panel = self.widget()
        if panel is None:
            return super().sizeHint()
        hint = panel.sizeHint()
        return QSize(hint.width() + self._bar() + 2 * self.frameWidth(), hint.height())

    def wheelEvent(self, event: QWheelEvent) -> None:
        # A list, tree or text that scrolls itself passes on a wheel turned past its end (Qt's scroll chaining):
        # the panel then slid away under the pointer. It stays; what neither scrolls (a button, a label) scrolls it.
        if self._scrolls_itself(event):
            event.accept()
            return
        super().wheelEvent(event)

    def _scrolls_itself(self, event: QWheelEvent) -> bool:
        """The wheel turned over a scroll area inside the panel that can scroll the way the wheel turns."""
        delta = event.angleDelta()
        vertical = abs(delta.y()) >= abs(delta.x())
        widget = self.viewport().childAt(event.position().toPoint())
        while widget is not None and widget is not self.viewport():
            if isinstance(widget, QAbstractScrollArea):
                bar = widget.verticalScrollBar() if vertical else widget.horizontalScrollBar()
                if bar.maximum() > bar.minimum():
                    return True
            widget = widget.parentWidget()
        return False

    def event(self, event: QEvent) -> bool:
        # the panel's least width changed (a font, a wrapped row): the tabs and the window ask this area again
        if event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # the scroll bar shown or hidden: the least width changes with it (a window at its least width grows by it)
        if watched is self.verticalScrollBar() and event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self.updateGeometry()
        return super().eventFilter(watched, event)


class PanelTabs(QTabWidget):
    """Tabs whose pages are panels in PanelScroll areas. widget(), currentWidget(), indexOf() and setCurrentWidget()
    speak of the panel, as a plain QTabWidget would; scroll_area() gives a tab's scroll area."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        app = QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self._show_focus)

    def addTab(self, panel: QWidget, label: str) -> int:
        return super().addTab(PanelScroll(panel), label)

    def scroll_area(self, index: int) -> PanelScroll | None:
        area = super().widget(index)
        return area if isinstance(area, PanelScroll) else None

    def widget(self, index: int) -> QWidget | None:
        area = super().widget(index)
        return area.widget() if isinstance(area, PanelScroll) else area

    def currentWidget(self) -> QWidget | None:
        return self.widget(self.currentIndex())

    def indexOf(self, panel: QWidget) -> int:
        for index in range(self.count()):
            if self.widget(index) is panel or super().widget(index) is panel:
                return index
        return -1

    def setCurrentWidget(self, panel: QWidget) -> None:
        index = self.indexOf(panel)
        if index >= 0:
            self.setCurrentIndex(index)

    def _show_focus(self, _old: QObject | None, new: QObject | None) -> None:
        # Tab keys scroll to the field they reach (Qt's own), and so do shortcuts that focus one (Ctrl+F, Ctrl+L)
        area = self.scroll_area(self.currentIndex())
        if area is not None and isinstance(new, QWidget) and area.widget() is not None and area.widget().isAncestorOf(new):
            area.ensureWidgetVisible(new, 0, 0)
