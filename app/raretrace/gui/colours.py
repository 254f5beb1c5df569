"""Colours that stay readable whatever the desktop's palette (light, or dark mode).

The evidence, the report preview and the figures are styled like the printed report: fixed dark text and light
shading on a white page, which they keep in dark mode. Text drawn on the window's own background takes its colour
from the palette, or from a pair chosen by how dark the palette is.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

PAPER = "#ffffff"
INK = "#1a1a1a"  # text on PAPER and on the light highlights and chips
LINK = "#0645ad"
# (on a light palette, on a dark one): coloured text on the window's background
CAUTION = ("#7a4b00", "#ffd27a")  # an old HPO release
ALERT = ("#9a3b00", "#ffb36b")  # cases not being saved
WARNING = ("#7f1d1d", "#ff8a80")  # a warning self-check


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def paper(widget: QWidget) -> None:
    """A white page with dark text for content in the report's fixed colours (its headings, shading and flags were
    drawn on a dark page in dark mode: dark grey on black, white on pale grey)."""
    palette = widget.palette()
    for role, colour in ((QPalette.ColorRole.Base, PAPER), (QPalette.ColorRole.Text, INK),
                         (QPalette.ColorRole.Link, LINK)):
        palette.setColor(role, QColor(colour))
    widget.setPalette(palette)


def tone(widget: QWidget, pair: tuple[str, str]) -> str:
    """The colour of a (light palette, dark palette) pair that reads on the widget's background."""
    return pair[1] if is_dark(widget) else pair[0]


def muted(widget: QWidget, on_base: bool = False) -> QColor:
    """Secondary text (an ID, synonyms, an excluded or rejected row): the palette's text colour toward its
    background, readable on both (a fixed grey such as #555 vanishes on a dark window)."""
    palette = widget.palette()
    fg = palette.color(QPalette.ColorRole.Text if on_base else QPalette.ColorRole.WindowText)
    bg = palette.color(QPalette.ColorRole.Base if on_base else QPalette.ColorRole.Window)
    mix = 0.62
    return QColor(*(round(mix * a + (1 - mix) * b) for a, b in ((fg.red(), bg.red()), (fg.green(), bg.green()),
                                                                   (fg.blue(), bg.blue()))))
