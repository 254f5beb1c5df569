"""A row of buttons that wraps onto a second line where the window is too narrow for it.

A QHBoxLayout of buttons is as wide as all of them together, and that width is the least the whole window can take:
a row of four buttons kept the window from fitting a 1024-px screen. This row asks only for its widest button.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QStyle, QWidget


class FlowLayout(QLayout):
    """Items left to right, wrapping to a new line where the width runs out. The last `trailing` items sit at the
    right end of their line, as after a stretch in a QHBoxLayout (actions on the whole list or page, apart from
    the ones on the selection)."""

    def __init__(self, parent: QWidget | None = None, *, trailing: int = 0) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._trailing = trailing
        self._lines = 1  # lines at the width last laid out: the minimum height follows it
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        item = self._items.pop(index)
        self.invalidate()
        return item

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)[0]

    def sizeHint(self) -> QSize:
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self._gap() * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return self._grown(QSize(width, height))

    def minimumSize(self) -> QSize:
        # the widest item, on as many lines as the present width needs (a parent that ignores height-for-width,
        # such as a splitter, still leaves the wrapped buttons their room)
        shown = self._shown()
        width = max((i.minimumSize().width() for i in shown), default=0)
        line = max((i.sizeHint().height() for i in shown), default=0)
        height = line * self._lines + self._gap() * (self._lines - 1)
        return self._grown(QSize(width, height))

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        height, lines = self._arrange(rect, move=True)
        if lines != self._lines:
            self._lines = lines
            self.invalidate()  # the minimum height changed with the number of lines

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _gap(self) -> int:
        spacing = self.spacing()
        if spacing >= 0:
            return spacing
        parent = self.parent()
        if isinstance(parent, QLayout):
            return parent.spacing()
        if isinstance(parent, QWidget):
            return parent.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing, None, parent)
        return 6

    def _grown(self, size: QSize) -> QSize:
        m = self.contentsMargins()
        return QSize(size.width() + m.left() + m.right(), size.height() + m.top() + m.bottom())

    def _arrange(self, rect: QRect, move: bool) -> tuple[int, int]:
        """Place (or, `move` False, only measure) the items in `rect`: (the height they take, the lines)."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        gap = self._gap()
        lines: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        x = 0
        for item in self._shown():
            size = item.sizeHint().boundedTo(QSize(area.width(), item.sizeHint().height()))
            size = size.expandedTo(item.minimumSize())
            if lines[-1] and x + size.width() > area.width():
                lines.append([])
                x = 0
            lines[-1].append((item, size))
            x += size.width() + gap
        first_trailing = len(self._shown()) - self._trailing
        y, index = area.y(), 0
        for line in lines:
            height = max((s.height() for _, s in line), default=0)
            if move:
                right = [size.width() for k, (_, size) in enumerate(line) if index + k >= first_trailing]
                trail_x = area.right() + 1 - sum(right) - gap * max(0, len(right) - 1)
                x = area.x()
                for k, (item, size) in enumerate(line):
                    if index + k >= first_trailing:
                        x = max(x, trail_x)
                    item.setGeometry(QRect(QPoint(x, y), size))
                    x += size.width() + gap
            index += len(line)
            y += height + gap
        used = y - gap - area.y() if lines[0] else 0
        return used + m.top() + m.bottom(), len(lines)
