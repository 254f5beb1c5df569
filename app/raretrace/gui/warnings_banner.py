"""The one-line banner of warnings above what they are about (the Results tab's analysis, the Genomics tab's VCF):
their count and the first, the whole list on demand."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from ..evidence import CHECK_WORD, most_serious_first, needs_checking
from .case_list import plain_tip
from .labels import FittedLabel


class WarningsBanner(QFrame):
    """Above the results: that they are out of date (whole: it says to analyse again), and the analysis's warnings on
    one line, their count and the first (by severity, as the PDF and the JSON order them: those that question the
    reading of the case first), cut with "…"; "Show all" (a key away, and named for a screen reader) lists them all,
    as the tooltip does. Listed whole, the demo's two took 9 lines (180 px) at 13 pt on a
    1024-px screen, and left the ranked list 4 rows and the match matrix 70 px. The Genomics tab shows its VCF's
    warnings in one too (`name`: what they are about, for a screen reader), never out of date.

    A warning that questions the reading of the case (a sample mix-up, parents contradicting the child) reads
    "Check: …" wherever it is listed, as in the PDF and the preview; with one, the banner turns from yellow to red and
    its count's sign from ⚠ to ✖, so that it reads apart from the notes without colour too."""

    # (background, text): the notes' yellow; red where a warning questions the reading of the case (evidence_html's
    # "warning" flag colours)
    NOTE_COLOURS = ("#fff4d6", "#5c3b00")
    CHECK_COLOURS = ("#fde8e8", "#7f1d1d")
    STALE = "▲ The case changed after this analysis; the results below are out of date. Analyse again (Ctrl+R)."

    def __init__(self, parent: QWidget | None = None, *, name: str = "Warnings about this analysis") -> None:
        super().__init__(parent)
        self.setObjectName("staleBanner")
        self.to_check = False  # a warning questions the reading of the case
        self.setAccessibleName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(5, 3, 5, 3)
        layout.setSpacing(2)
        self.stale = QLabel(self.STALE)
        self.stale.setWordWrap(True)
        self.summary = FittedLabel()
        self.summary.setObjectName("warningsSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # the warnings quote files' sample IDs and labels
        self.toggle = QToolButton()
        self.toggle.setText("Show all")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setAccessibleName("Show all the warnings")
        self.toggle.toggled.connect(self._expand)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.summary, 1)
        row.addWidget(self.toggle)
        self.full = QLabel()
        self.full.setObjectName("warningsList")
        self.full.setWordWrap(True)
        self.full.setTextFormat(Qt.TextFormat.PlainText)
        self.full.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.stale)
        layout.addLayout(row)
        layout.addWidget(self.full)
        self.warnings: list[str] = []
        self.show_state(False, ())

    def show_state(self, stale: bool, warnings: tuple[str, ...]) -> None:
        """Out of date or not, and the analysis's warnings (none: no line of them)."""
        self.warnings = most_serious_first(warnings)
        self.to_check = any(needs_checking(w) for w in self.warnings)
        background, ink = self.CHECK_COLOURS if self.to_check else self.NOTE_COLOURS
        self.setStyleSheet(f"QFrame#staleBanner {{ background: {background}; }} "
                           f"QFrame#staleBanner QLabel, QFrame#staleBanner QToolButton {{ color: {ink}; }}")
        self.stale.setVisible(stale)
        n = len(self.warnings)
        listed = [self.listed(w) for w in self.warnings]
        tip = plain_tip("\n".join(listed)) if n else ""
        self.summary.setToolTip(tip)
        self.setToolTip(tip)
        self.summary.setAccessibleDescription("\n".join(listed))
        self.full.setText("\n".join(f"• {w}" for w in listed))
        self.toggle.setChecked(False)
        self._expand(False)
        self.setVisible(stale or bool(n))

    @staticmethod
    def listed(warning: str) -> str:
        """A warning as the banner lists it: "Check: …" where it questions the reading of the case."""
        return f"{CHECK_WORD} {warning}" if needs_checking(warning) else warning

    def text(self) -> str:
        """What the banner says, shown or on demand: out of date, and every warning."""
        return "\n".join(([self.STALE] if self.stale.isVisibleTo(self) else []) + [self.listed(w) for w in self.warnings])

    def _expand(self, on: bool) -> None:
        n = len(self.warnings)
        sign = "✖" if self.to_check else "⚠"
        counted = f"{sign} Warning" if n == 1 else f"{sign} {n} warnings"
        # the count heads the list shown in full
        self.summary.setText("" if not n else f"{counted}:" if on else f"{counted}: {self.listed(self.warnings[0])}")
        self.summary.setVisible(bool(n))
        self.full.setVisible(on)
        self.toggle.setText("Show less" if on else "Show all")
        self.toggle.setAccessibleName("Show only the first warning" if on else "Show all the warnings")
        self._fit_toggle()

    def _fit_toggle(self) -> None:
        """The toggle where there is more to show: several warnings, or one cut at this width (measured beside the
        toggle, so that showing it does not undo the reason)."""
        n = len(self.warnings)
        room = self.contentsRect().width() - self.toggle.sizeHint().width() - 6
        cut = n == 1 and self.summary.fontMetrics().horizontalAdvance(self.summary.text()) > room
        self.toggle.setVisible(n > 1 or cut or self.toggle.isChecked())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_toggle()
