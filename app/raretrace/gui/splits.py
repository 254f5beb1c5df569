"""Two panes side by side whose split gives a narrow window's room to the pane that cuts its text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget


def _least(widget: QWidget) -> int:
    """The least width the splitter gives the pane (Qt's rule: its minimum width if set, else its hint's)."""
    return widget.minimumWidth() or widget.minimumSizeHint().width()


class RoomSplit(QSplitter):
    """Two panes side by side. The `favoured` one (0 or 1), whose table cuts its text, takes `share` of the width,
    and more in a narrow window, up to the width it needs (`need()`, in pixels), as long as the other, whose text
    wraps, keeps room for `kept_chars` average characters a line. Once the handle is dragged, the user's split is
    kept (Qt keeps its proportions as the window is resized)."""

    def __init__(self, favoured: int, share: float, kept_chars: int, need: Callable[[], int],
                 parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.favoured, self.share, self.kept_chars, self.need = favoured, share, kept_chars, need
        self.dragged = False
        self.splitterMoved.connect(self._dragged)

    def _dragged(self) -> None:
        self.dragged = True

    def fit(self) -> None:
        """Split the width by the rule, unless the user has dragged the handle."""
        if self.dragged or self.count() != 2:
            return
        total = sum(self.sizes())
        if total <= 0:
            return
        char = self.fontMetrics().averageCharWidth()
        mine, other = self.widget(self.favoured), self.widget(1 - self.favoured)
        wanted = max(round(self.share * total), min(self.need(), total - self.kept_chars * char))
        wanted = max(_least(mine), min(wanted, total - _least(other)))
        sizes = [wanted, total - wanted] if self.favoured == 0 else [total - wanted, wanted]
        if sizes != self.sizes():
            self.setSizes(sizes)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit()
