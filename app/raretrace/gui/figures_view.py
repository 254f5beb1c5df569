"""The phenotype-match matrix and the score-contribution bars, painted with QPainter from raretrace.figures data.

The data (cells, states, strengths, bars) and the colours come from raretrace.figures, the same as the PDF; this
module only lays them out on screen. Hovering a cell shows its meaning with the annotated frequency; clicking it
emits the reference of the evidence object behind it.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

if TYPE_CHECKING:
    from ..figures import ContributionBar, MatchMatrix, MatrixCell

CELL = 22
LABEL_MAX = 300
HEADER_MAX = 140
PAD = 6
GRID = QColor("#9a9a9a")
OI_BLUE = QColor("#0072B2")
OI_ORANGE = QColor("#E69F00")


def qcolour(colour) -> QColor:
    return QColor.fromRgbF(colour.red, colour.green, colour.blue)


def paint_cell(p: QPainter, rect: QRectF, cell: MatrixCell, highlighted: bool = False) -> None:
    """Fill, hatching and glyph of one cell, as figures.py draws them: ● exact, ○ ancestor, – none, ✕ conflict."""
    from ..figures import cell_colour, ink_on

    fill = cell_colour(cell.state, cell.strength)
    ink = qcolour(ink_on(fill))
    p.setPen(QPen(GRID, 1))
    p.setBrush(qcolour(fill))
    p.drawRect(rect)
    size = min(rect.width(), rect.height())
    c = rect.center()
    if cell.state == "conflict":
        p.save()
        p.setClipRect(rect)
        p.setPen(QPen(ink, 0.7))
        step = max(4.0, rect.width() / 4)
        k = -rect.height()
        while k < rect.width():
            p.drawLine(QPointF(rect.left() + k, rect.bottom()), QPointF(rect.left() + k + rect.height(), rect.top()))
            k += step
        p.restore()
        d = size * 0.26
        pen = QPen(ink, max(1.5, size * 0.1))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d))
        p.drawLine(QPointF(c.x() - d, c.y() + d), QPointF(c.x() + d, c.y() - d))
    elif cell.state == "exact":
        r = size * 0.28
        p.setPen(QPen(ink, 1))
        p.setBrush(ink)
        p.drawEllipse(c, r, r)
    elif cell.state == "ancestor":
        r = size * 0.28
        p.setPen(QPen(ink, max(1.5, size * 0.08)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(c, r, r)
    else:
        d = size * 0.12
        p.setPen(QPen(GRID, 1))
        p.drawLine(QPointF(c.x() - d, c.y()), QPointF(c.x() + d, c.y()))
    if highlighted:
        p.setPen(QPen(QColor("#000000"), 2.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(rect.adjusted(1, 1, -1, -1))


class MatrixView(QWidget):
    """Rows: the patient's features (present, then excluded); columns: the top hypotheses."""

    cell_clicked = Signal(object, object)  # EvidenceRef | None, MatrixCell
    column_clicked = Signal(int)  # hypothesis index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix: MatchMatrix | None = None
        self.selected_column: int | None = None
        self.setMouseTracking(True)
        self.setAccessibleName("Phenotype match matrix")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._geometry()

    def set_matrix(self, matrix: MatchMatrix | None) -> None:
        self.matrix = matrix
        self._geometry()
        self.updateGeometry()
        self.update()

    def select_column(self, column: int | None) -> None:
        self.selected_column = column
        self.update()

    # -- layout

    def _geometry(self) -> None:
        fm = QFontMetrics(self.font())
        self._line = fm.height()
        m = self.matrix
        self._id_w = fm.horizontalAdvance("HP:0000000") + PAD
        if m is None or not m.rows:  # no features (a VCF-only analysis): an empty grid, never a missing width
            self._label_w, self._header_h, self._gap = 200, 40, 0
            return
        widest = max(fm.horizontalAdvance(r.label or r.term) for r in m.rows) + fm.horizontalAdvance("⊘ ") + PAD
        self._label_w = min(LABEL_MAX, widest)
        head = max((fm.horizontalAdvance(f"{c.rank}  {c.label}") for c in m.columns), default=40) + PAD
        self._header_h = min(HEADER_MAX, max(60, head))
        self._gap = self._line + 4 if any(r.excluded for r in m.rows) else 0  # the "Excluded" heading

    def _row_top(self, r: int) -> int:
        extra = self._gap if self.matrix and self.matrix.rows[r].excluded else 0
        return self._header_h + r * CELL + extra

    def _grid_left(self) -> int:
        return self._label_w + self._id_w

    def sizeHint(self) -> QSize:
        m = self.matrix
        if m is None:
            return QSize(400, 200)
        return QSize(self._grid_left() + len(m.columns) * CELL + PAD, self._header_h + len(m.rows) * CELL + self._gap + PAD)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        m = self.matrix
        if m is None or x < self._grid_left():
            return None
        c = int((x - self._grid_left()) // CELL)
        if not 0 <= c < len(m.columns):
            return None
        for r in range(len(m.rows)):
            top = self._row_top(r)
            if top <= y < top + CELL:
                return r, c
        return None

    def cell_rect(self, r: int, c: int) -> QRectF:
        return QRectF(self._grid_left() + c * CELL, self._row_top(r), CELL, CELL)

    # -- painting

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        m = self.matrix
        fm = QFontMetrics(self.font())
        if m is None or not m.rows or not m.columns:
            p.setPen(QColor("#555555"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Analyse the case to see how each feature matches")
            p.end()
            return
        left = self._grid_left()
        # column headers, rotated
        for c, col in enumerate(m.columns):
            p.save()
            p.translate(left + c * CELL + CELL / 2 + fm.ascent() / 2 - 1, self._header_h - 4)
            p.rotate(-90)
            text = fm.elidedText(f"{col.rank}  {col.label or col.id}", Qt.TextElideMode.ElideRight, self._header_h - 8)
            font = QFont(self.font())
            font.setBold(c == self.selected_column)
            p.setFont(font)
            p.setPen(QColor("#1a1a1a"))
            p.drawText(0, 0, text)
            p.restore()
        if self.selected_column is not None and self.selected_column < len(m.columns):
            x = left + self.selected_column * CELL
            p.fillRect(QRectF(x, 0, CELL, self._header_h), QColor(0, 114, 178, 30))
        # excluded heading
        if self._gap:
            first_ex = next(r for r, row in enumerate(m.rows) if row.excluded)
            y = self._row_top(first_ex) - self._gap
            p.setPen(QColor("#333333"))
            font = QFont(self.font())
            font.setItalic(True)
            p.setFont(font)
            p.drawText(QRect(2, y, left, self._gap), Qt.AlignmentFlag.AlignVCenter, "Excluded in the patient")
            p.setFont(self.font())
        # rows
        for r, row in enumerate(m.rows):
            top = self._row_top(r)
            label = ("⊘ " if row.excluded else "") + (row.label or row.term)
            p.setPen(QColor("#1a1a1a"))
            p.drawText(
                QRect(2, top, self._label_w - PAD, CELL),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                fm.elidedText(label, Qt.TextElideMode.ElideRight, self._label_w - PAD),
            )
            p.setPen(QColor("#555555"))
            p.drawText(QRect(self._label_w, top, self._id_w, CELL), Qt.AlignmentFlag.AlignVCenter, row.term)
            for c in range(len(m.columns)):
                paint_cell(p, self.cell_rect(r, c), m.cell(r, c))
        p.end()

    # -- interaction

    def tip_at(self, x: float, y: float) -> str:
        """What hovering shows: a cell's annotation; over a column's header or a feature's label, its name whole (a
        header is cut with "…" at HEADER_MAX, a label at LABEL_MAX: at 13 pt "1  Kabuki synd…")."""
        m = self.matrix
        if m is None or not m.rows or not m.columns:
            return ""
        # escaped: a label may come from a collaborator's phenopacket, and "(<1%)" would end the text
        hit = self.cell_at(x, y)
        if hit is not None:
            r, c = hit
            return (f"<b>{escape(m.rows[r].label, quote=False)}</b> × <b>{escape(m.columns[c].label, quote=False)}</b>"
                    f"<br/>{escape(m.cell(r, c).describe(), quote=False)}")
        left = self._grid_left()
        if y < self._header_h and x >= left:
            c = int((x - left) // CELL)
            if c < len(m.columns):
                col = m.columns[c]
                return f"{col.rank}. <b>{escape(col.label or col.id, quote=False)}</b> ({col.id}): click for its evidence"
        elif x < left:
            for r, row in enumerate(m.rows):
                if self._row_top(r) <= y < self._row_top(r) + CELL:
                    where = " — excluded in the patient" if row.excluded else ""
                    return f"<b>{escape(row.label or row.term, quote=False)}</b> ({row.term}){where}"
        return ""

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        tip = self.tip_at(pos.x(), pos.y())
        if not tip:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPosition().toPoint(), tip, self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        hit = self.cell_at(pos.x(), pos.y())
        if hit is not None:
            r, c = hit
            self.select_column(c)
            cell = self.matrix.cell(r, c)
            self.cell_clicked.emit(cell.evidence, cell)
        elif self.matrix is not None and pos.y() < self._header_h and pos.x() >= self._grid_left():
            c = int((pos.x() - self._grid_left()) // CELL)
            if 0 <= c < len(self.matrix.columns):
                self.select_column(c)
                self.column_clicked.emit(self.matrix.columns[c].hypothesis)


class ContributionBarsView(QWidget):
    """Horizontal bars around zero: support solid blue to the right, evidence against hatched orange to the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: tuple[ContributionBar, ...] = ()
        self.title = "Score contributions"
        self._layout: tuple[tuple[int, str], tuple[int, int, float, float]] | None = None  # ((width, font), columns)
        self.setAccessibleName("Score contributions")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: tuple[ContributionBar, ...], title: str = "Score contributions") -> None:
        self.bars = tuple(bars)
        self.title = title
        self._layout = None
        self.setAccessibleDescription(
            "; ".join(f"{b.group} {b.value:+.2f}" if b.available else f"{b.group}: {b.note}" for b in self.bars)
        )
        self.updateGeometry()
        self.update()

    def _row_h(self) -> int:
        return QFontMetrics(self.font()).height() + 5

    def sizeHint(self) -> QSize:
        return QSize(360, (len(self.bars) + 1) * self._row_h() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def _columns(self) -> tuple[int, int, float, float]:
        """(label width, value width, the zero line's x, the half-length of a bar) at the present width: measured
        once for the bars, width and font, not again for each bar drawn."""
        key = (self.width(), self.font().key())
        if self._layout is None or self._layout[0] != key:
            self._layout = (key, self._measure())
        return self._layout[1]

    def _measure(self) -> tuple[int, int, float, float]:
        fm = QFontMetrics(self.font())
        label_w = min(int(self.width() * 0.42), max((fm.horizontalAdvance(b.group) for b in self.bars), default=0) + 10)
        value_w = fm.horizontalAdvance("−00.00") + 8
        vals = [b.value for b in self.bars if b.available]
        neg = any(v < 0 for v in vals)
        x0 = label_w + (value_w if neg else 0)
        x1 = self.width() - value_w
        zero = x0 + (x1 - x0) * (0.5 if neg else 0.0)
        half = (x1 - zero) if not neg else (x1 - x0) / 2
        return label_w, value_w, zero, half

    def shown(self, bar: ContributionBar) -> tuple[str, str]:
        """(group, note) of a bar as drawn at the present width: cut with "…" where they do not fit."""
        label_w, _value_w, zero, _half = self._columns()
        group = QFontMetrics(self.font()).elidedText(bar.group, Qt.TextElideMode.ElideRight, label_w - 6)
        if bar.available:
            return group, ""
        italic = QFont(self.font())
        italic.setItalic(True)  # as the note is drawn
        return group, QFontMetrics(italic).elidedText(bar.note, Qt.TextElideMode.ElideRight, self._note_width(zero))

    def shown_title(self) -> str:
        """The title as drawn (bold): cut with "…" where the pane is too narrow. It was clipped through a letter
        ("Score contributions — 1. Kal") in the narrow evidence pane of a 1024-px screen at 13 pt."""
        bold = QFont(self.font())
        bold.setBold(True)
        return QFontMetrics(bold).elidedText(self.title, Qt.TextElideMode.ElideRight, self.width())

    def _note_width(self, zero: float) -> int:
        return max(0, self.width() - int(zero) - 4)

    def tip_at(self, y: int) -> str:
        """The tooltip of the row at height `y`: its group with its value or note whole, and what the group contains
        (a bar without a meaning: only where the row cuts them)."""
        row = y // self._row_h() - 1
        if row == -1:  # the title, whole where it is cut
            return self.title if self.shown_title() != self.title else ""
        if not 0 <= row < len(self.bars):
            return ""
        bar = self.bars[row]
        said = f"{bar.group}: " + (f"{bar.value:+.2f}".replace("-", "−") if bar.available else bar.note)
        if bar.meaning:  # rich text, so that Qt wraps the sentence
            return f"<b>{escape(said, quote=False)}</b><br>{escape(bar.meaning, quote=False)}"
        return "" if self.shown(bar) == (bar.group, "" if bar.available else bar.note) else said

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            tip = self.tip_at(event.pos().y())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        row_h = self._row_h()
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.fillRect(self.rect(), QColor("#ffffff"))  # on the page like the matrix: its dark ink vanished on a dark window
        p.setPen(QColor("#1a1a1a"))
        p.drawText(QRect(0, 0, self.width(), row_h), Qt.AlignmentFlag.AlignVCenter, self.shown_title())
        p.setFont(self.font())
        if not self.bars:
            p.end()
            return
        label_w, value_w, zero, half = self._columns()
        big = max([abs(b.value) for b in self.bars if b.available] + [1e-9])
        top = row_h
        for i, b in enumerate(self.bars):
            y = top + i * row_h
            group, note = self.shown(b)
            p.setPen(QColor("#1a1a1a"))
            p.drawText(QRect(0, y, label_w - 6, row_h), Qt.AlignmentFlag.AlignVCenter, group)
            if not b.available:
                font = QFont(self.font())
                font.setItalic(True)
                p.setFont(font)
                p.setPen(QColor("#555555"))
                p.drawText(QRect(int(zero) + 4, y, self._note_width(zero), row_h), Qt.AlignmentFlag.AlignVCenter, note)
                p.setFont(self.font())
                continue
            length = half * min(1.0, abs(b.value) / big)
            bh = row_h * 0.62
            by = y + (row_h - bh) / 2
            text = f"{b.value:+.2f}".replace("-", "−")
            p.setPen(QPen(QColor("#1a1a1a"), 0.8))
            if b.value >= 0:
                p.setBrush(OI_BLUE)
                p.drawRect(QRectF(zero, by, length, bh))
                p.drawText(QRectF(zero + length + 3, y, value_w, row_h), Qt.AlignmentFlag.AlignVCenter, text)
            else:
                rect = QRectF(zero - length, by, length, bh)
                p.setBrush(OI_ORANGE)
                p.drawRect(rect)
                p.setBrush(QBrush(QColor("#1a1a1a"), Qt.BrushStyle.BDiagPattern))
                p.drawRect(rect)
                p.drawText(
                    QRectF(zero - length - value_w - 3, y, value_w, row_h),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                    text,
                )
        p.setPen(QPen(QColor("#1a1a1a"), 1))
        p.drawLine(QPointF(zero, top), QPointF(zero, top + len(self.bars) * row_h))
        p.end()

