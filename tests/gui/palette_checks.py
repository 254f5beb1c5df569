"""A dark desktop palette (dark mode) and WCAG contrast checks for the GUI tests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

DARK = {
    QPalette.ColorRole.Window: "#353535", QPalette.ColorRole.WindowText: "#ffffff",
    QPalette.ColorRole.Base: "#252525", QPalette.ColorRole.AlternateBase: "#353535",
    QPalette.ColorRole.Text: "#ffffff", QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#ffffff", QPalette.ColorRole.Link: "#8ab4f8",
}


@contextmanager
def dark_desktop() -> Iterator[None]:
    """The application under a dark palette, as on a desktop in dark mode; the palette before it afterwards."""
    app = QApplication.instance()
    before = app.palette()
    palette = QPalette(before)
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    app.processEvents()  # the widgets take it from the change events
    try:
        yield
    finally:
        app.setPalette(before)
        app.processEvents()


def contrast(a: QColor | str, b: QColor | str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21; body text needs 4.5)."""

    def luminance(c: QColor) -> float:
        def lin(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())

    la, lb = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def drawn_contrast(widget: QWidget, rect: QRect | None = None) -> float:
    """How far the most contrasting pixel drawn in `rect` (default: all of the widget) stands from its background
    (the commonest colour there): the contrast of the text drawn, measured on the screen as the reader sees it."""
    image = widget.grab(rect or widget.rect()).toImage()
    pixels = Counter(image.pixel(x, y) for x in range(image.width()) for y in range(image.height()))
    background = QColor.fromRgb(pixels.most_common(1)[0][0])
    return max(contrast(QColor.fromRgb(p), background) for p in pixels)
