"""The results panel: ranked diseases and genes; the evidence chain of the selected one; match matrix and bars."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import RareTraceError
from ..evidence import (
    NO_SPECIFIC_MATCH_HEADING,
    AnalysisResult,
    Hypothesis,
    no_specific_match_note,
    score_text,
)
from ..outputs import FIGURE_KINDS, case_inputs, not_overwriting_data
from .case_list import plain_tip
from .colours import INK, PAPER, WARNING, paper, tone
from .evidence_html import flag_label, flag_text, hypothesis_html
from .figures_view import CELL, ContributionBarsView, MatrixView, paint_cell
from .flow import FlowLayout
from .save_as import ask_another_name, save_path
from .splits import RoomSplit
from .text_view import WordBrowser
from .warnings_banner import WarningsBanner

if TYPE_CHECKING:
    from .. import figures
    from .document import CaseDocument
    from .workers import TaskRunner

HYP_ROLE = Qt.ItemDataRole.UserRole + 1


def _figures():
    """raretrace.figures, imported on first use (reportlab is slow to import; start-up stays fast)."""
    from .. import figures

    return figures


class NumberItem(QTableWidgetItem):
    """Sorts by the number, not the text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        try:
            return float(self.data(Qt.ItemDataRole.UserRole)) < float(other.data(Qt.ItemDataRole.UserRole))
        except (TypeError, ValueError):
            return super().__lt__(other)


class RankingHeader(QHeaderView):
    """A ranked list's header, with room for the sort indicator only in the column that draws it. Qt keeps that room
    in every column (26 px each at 13 pt), which the names beside them need more."""

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:  # noqa: N802, N803 (Qt's names)
        size = super().sectionSizeFromContents(logicalIndex)
        if self.isSortIndicatorShown() and logicalIndex != self.sortIndicatorSection():
            # what QHeaderView adds for the indicator: the section's height and a margin
            size.setWidth(size.width() - size.height()
                          - self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self))
        return size


class OneLineDelegate(QStyledItemDelegate):
    """A cell cut with "…" on one line in a table whose other cells wrap (the genes beside a wrapped name)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:  # noqa: N802 (Qt's name)
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText


class ResultsSplit(RoomSplit):
    """The ranked lists beside the evidence: the lists take their share of the width, and more in a narrow window, up
    to room for their names, as long as the evidence keeps room for a few words a line (its text wraps). At 13 pt on
    a 1024-px screen their share left the names 104 px while the evidence had 330."""

    LISTS_SHARE = 0.38  # of a wide window
    NAME_CHARS = 56  # the lists' width, in average characters, that leaves their name column about 20
    EVIDENCE_CHARS = 30  # what the evidence keeps before the lists take more than their share

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, self.LISTS_SHARE, self.EVIDENCE_CHARS,
                         lambda: self.NAME_CHARS * self.fontMetrics().averageCharWidth(), parent)


class NameDelegate(QStyledItemDelegate):
    """A ranked name on as many lines as it needs up to LINES (a longer one ends with "…" and is whole on hover, as
    is each name), a little apart from the grid; the lines keep room for the next names in view."""

    LINES = 4

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802 (Qt's name)
        size = super().sizeHint(option, index)
        size.setHeight(min(size.height(), self.LINES * option.fontMetrics.lineSpacing() + 2) + 6)
        return size


class MatrixLegend(QWidget):
    """The four cell states as the matrix draws them, in two rows so that it fits a narrow panel."""

    STATES = (("exact", 0.8), ("ancestor", 0.4), ("not_annotated", 0.0), ("conflict", 0.8))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and not self.toolTip():
            # a narrow pane cuts the words ("exact ann…" at 13 pt on a 1024-px screen): whole on hover (set on the
            # first hover, as the figures module is imported on first use)
            self.setToolTip(plain_tip("\n".join(_figures().STATE_WORDS[s] for s, _ in self.STATES)))
        return super().event(event)

    def _line(self) -> int:
        return max(CELL - 6, QFontMetrics(self.font()).height()) + 4

    def sizeHint(self) -> QSize:
        fm = QFontMetrics(self.font())
        words = _figures().STATE_WORDS
        col = max(fm.horizontalAdvance(words[s]) for s, _ in self.STATES) + CELL + 16
        return QSize(2 * col, 2 * self._line() + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(PAPER))  # on the page, as the matrix above it and the PDF: dark ink
        fm = QFontMetrics(self.font())
        words = _figures().STATE_WORDS
        size = CELL - 6
        col_w = self.width() / 2
        for i, (state, strength) in enumerate(self.STATES):
            x = 2 + (i % 2) * col_w
            y = (i // 2) * self._line() + 2
            cell = _figures().MatrixCell(0, 0, state, strength)  # type: ignore[arg-type]
            paint_cell(p, QRectF(x, y, size, size), cell)
            p.setPen(QColor(INK))
            text = fm.elidedText(words[state], Qt.TextElideMode.ElideRight, int(col_w - size - 12))
            p.drawText(QRectF(x + size + 6, y - 2, col_w - size - 8, size + 4), Qt.AlignmentFlag.AlignVCenter, text)
        p.end()


class EvidenceView(WordBrowser):
    """The evidence chain of the hypothesis shown, in its tables where the pane has room for them (measured: a
    variants' table of six columns takes about 100 average characters, a disease's tables 75 to 95) and for
    `narrow_chars` average characters; else its rows stacked (hypothesis_html's `narrow`). In a narrow pane (about
    250 px at 13 pt on a 1024-px screen, beside the ranked lists) Qt squeezed the columns and broke the words
    anywhere ("Pat/ien/t fea/tur/e", "+1./13"); wrapping between words only (WordBrowser), the tables ran past the
    pane's edge."""

    narrow_chars = 72

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hypothesis: Hypothesis | None = None

    def show_hypothesis(self, hyp: Hypothesis) -> None:
        self.hypothesis = hyp
        self.show_fitted(lambda narrow: hypothesis_html(hyp, narrow=narrow))

    def show_text(self, html: str) -> None:
        """Not a hypothesis (no analysis yet): kept as it is at any width."""
        self.hypothesis = None
        super().show_text(html)


class ResultsPanel(QWidget):
    message = Signal(str)  # for the status bar
    variant_requested = Signal(str, int)  # a variant link in the evidence: show it on the Genomics tab
    failed = Signal(str)  # one-line error for a dialog

    def __init__(self, document: CaseDocument, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.runner = runner
        self.result: AnalysisResult | None = None
        self.current: Hypothesis | None = None
        self.top_n = 10
        # the files an export never replaces (the window adds the case store and the knowledge base)
        self.inputs: Callable[[], dict[Path, str]] = lambda: case_inputs(document.case, document.ped_path)
        self._build()
        document.result_changed.connect(self.show_result)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.banner = WarningsBanner()
        layout.addWidget(self.banner)
        # above the ranked lists, as the PDF says it above its differential: that no hypothesis matches any feature
        # specifically (each row's self-check says it of itself only), and what to record
        self.no_match = QLabel()
        self.no_match.setObjectName("noSpecificMatch")
        self.no_match.setWordWrap(True)
        self.no_match.setTextFormat(Qt.TextFormat.RichText)
        back, ink = WarningsBanner.NOTE_COLOURS
        self.no_match.setStyleSheet(f"QLabel {{ background: {back}; color: {ink}; padding: 3px 5px; }}")
        self.no_match.hide()
        layout.addWidget(self.no_match)

        split = ResultsSplit()
        self.split = split
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)

        self.lists = QTabWidget()
        self.lists.setObjectName("rankingTabs")
        self.diseases = self._ranking_table(["#", "Disease", "Score", "Genes", "Flags"], "Ranked diseases")
        self.genes = self._ranking_table(["#", "Gene", "Score", "Variants", "Flags"], "Ranked genes")
        self.lists.addTab(self.diseases, "Diseases")
        self.lists.addTab(self.genes, "Genes")
        self.lists.currentChanged.connect(lambda _i: self._tab_changed())
        split.addWidget(self.lists)

        self.detail = QTabWidget()
        self.detail.setObjectName("detailTabs")
        evidence = QWidget()
        ev_layout = QVBoxLayout(evidence)
        ev_layout.setContentsMargins(2, 2, 2, 2)
        self.bars = ContributionBarsView()
        self.bars.setObjectName("contributionBars")
        self.picked = QLabel("")
        self.picked.setObjectName("pickedEvidence")
        self.picked.setWordWrap(True)
        self.picked.setStyleSheet(f"QLabel#pickedEvidence {{ background: #e8f1fb; color: {INK}; padding: 4px; }}")
        self.picked.hide()
        self.evidence = EvidenceView()
        self.evidence.setObjectName("evidenceView")
        self.evidence.setAccessibleName("Evidence for the selected hypothesis")
        paper(self.evidence)
        self.evidence.setOpenLinks(False)
        self.evidence.anchorClicked.connect(self._link)
        ev_layout.addWidget(self.bars)
        ev_layout.addWidget(self.picked)
        ev_layout.addWidget(self.evidence, 1)
        self.detail.addTab(evidence, "Evidence")

        matrix_page = QWidget()
        mx_layout = QVBoxLayout(matrix_page)
        mx_layout.setContentsMargins(2, 2, 2, 2)
        # wraps onto a second line in a narrow window (in one row it kept the window from fitting a 1024-px screen);
        # the count of columns and its label stay together
        tools = FlowLayout(trailing=2)
        count = QWidget()
        count_row = QHBoxLayout(count)
        count_row.setContentsMargins(0, 0, 0, 0)
        count_row.addWidget(QLabel("Columns:"))
        self.columns = QSpinBox()
        self.columns.setRange(1, 40)
        self.columns.setValue(self.top_n)
        self.columns.setAccessibleName("Number of hypotheses in the matrix")
        self.columns.valueChanged.connect(lambda _v: self._draw_matrix())
        count_row.addWidget(self.columns)
        tools.addWidget(count)
        self.export_matrix = QPushButton("Export matrix…")
        self.export_matrix.setAccessibleName("Export the match matrix as PNG or SVG")
        self.export_matrix.clicked.connect(lambda: self.export_figure("matrix"))
        self.export_bars = QPushButton("Export bars…")
        self.export_bars.setAccessibleName("Export the score contributions as PNG or SVG")
        self.export_bars.clicked.connect(lambda: self.export_figure("bars"))
        tools.addWidget(self.export_matrix)
        tools.addWidget(self.export_bars)
        self.matrix = MatrixView()
        self.matrix.setObjectName("matchMatrix")
        self.matrix.cell_clicked.connect(self._cell_clicked)
        self.matrix.column_clicked.connect(self._select_index)
        scroll = QScrollArea()
        scroll.setWidget(self.matrix)
        scroll.setWidgetResizable(False)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.matrix_scroll = scroll
        hint = QLabel("Hover a cell for the annotation and its frequency; click it to open that evidence.")
        hint.setWordWrap(True)
        mx_layout.addLayout(tools)
        mx_layout.addWidget(scroll, 1)
        self.legend = MatrixLegend()
        self.legend.setAccessibleName("Legend: ● exact annotation, ○ common ancestor, – not annotated, ✕ conflict")
        mx_layout.addWidget(self.legend)
        mx_layout.addWidget(hint)
        self.detail.addTab(matrix_page, "Match matrix")
        split.addWidget(self.detail)
        # a small window narrows the evidence pane (its text wraps) before the names in the lists shrink to letters;
        # with a large font the fixed columns take more (at 13 pt 340 px of 400: "Ka…", "KM…"), so the least width
        # grows with the font as far as the window's least width allows (50 characters, 450 px at 13 pt)
        self.lists.setMinimumWidth(max(400, 50 * self.fontMetrics().averageCharWidth()))
        self._set_empty()

    def _ranking_table(self, headers: list[str], name: str) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        head = RankingHeader(Qt.Orientation.Horizontal, table)
        head.setSectionsClickable(True)  # as the table's own header: a click sorts by the column
        head.setHighlightSections(True)
        table.setHorizontalHeader(head)
        table.setObjectName(name.replace(" ", ""))
        table.setAccessibleName(name)
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setTabKeyNavigation(False)  # arrows move through the ranking; Tab moves on to the evidence
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        # a name longer than its column wraps, its row as high as it needs: the differential reads whole without
        # hovering each row (at 13 pt on a 1024-px screen the names read "Kabuki S…", "Intellectu…")
        table.setWordWrap(True)
        table.setItemDelegateForColumn(1, NameDelegate(table))
        table.setItemDelegateForColumn(3, OneLineDelegate(table))  # the genes stay one line: whole on hover
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = table.verticalHeader()
        rows.setMinimumSectionSize(table.fontMetrics().height() + 8)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setSortingEnabled(True)
        head.setTextElideMode(Qt.TextElideMode.ElideRight)  # a narrow "Disease" read "iseas", cut at both ends
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)  # capped in _fill: names stay readable
        table.itemSelectionChanged.connect(lambda t=table: self._selected(t))
        return table

    # ------------------------------------------------------------------ showing a result

    def set_last_analysis(self, text: str) -> None:
        """What the case store says of this case's last analysis ('' for none): shown until it is run again."""
        self.last_analysis = text
        if self.document.result is None:
            self._set_empty()

    def _set_empty(self) -> None:
        last = getattr(self, "last_analysis", "")
        if last:
            self.evidence.show_text(f"<p style='color:#555'>{escape(last)}. Press <b>Analyse</b> (Ctrl+R) to see the "
                                  "ranking again with its evidence.</p>")
        else:
            self.evidence.show_text(
                "<p style='color:#555'>No analysis yet. Add the patient's features (and a VCF if there is one), "
                "then press <b>Analyse</b> (Ctrl+R).</p>"
            )
        self.bars.set_bars(())
        # no hypothesis shown: its heading over an empty strip read as a chart that failed to draw
        self.bars.hide()
        self.matrix.set_matrix(None)
        self._enable_exports(False)

    def _enable_exports(self, on: bool) -> None:
        """The figure exports save what is drawn: nothing to save without a hypothesis shown."""
        self.export_matrix.setEnabled(on)
        self.export_bars.setEnabled(on)

    def show_result(self) -> None:
        result = self.document.result
        stale = self.document.result_stale
        self.banner.show_state(stale, result.warnings if result is not None else ())
        if result is self.result:
            return
        self.result = result
        nothing = no_specific_match_note(result) if result is not None else ""
        self.no_match.setText(f"<b>{NO_SPECIFIC_MATCH_HEADING}</b> {escape(nothing)}" if nothing else "")
        self.no_match.setVisible(bool(nothing))
        self.current = None
        for table in (self.diseases, self.genes):
            table.setSortingEnabled(False)
            table.setRowCount(0)
        if result is None:
            self.lists.setTabText(0, "Diseases")
            self.lists.setTabText(1, "Genes")
            self._set_empty()
            return
        self._fill(self.diseases, result.diseases)
        self._fill(self.genes, result.genes, with_vcf=result.vcf is not None)
        self.lists.setTabText(0, f"Diseases ({len(result.diseases)})")
        self.lists.setTabText(1, f"Genes ({len(result.genes)})")
        self.lists.setTabEnabled(1, bool(result.genes))
        self.lists.setCurrentIndex(0)
        self._draw_matrix()
        if result.diseases:
            self.diseases.selectRow(0)
        else:
            self._set_empty()

    def _fill(self, table: QTableWidget, hyps: tuple[Hypothesis, ...], with_vcf: bool = False) -> None:
        table.setRowCount(len(hyps))
        for row, h in enumerate(hyps):
            rank = NumberItem(str(h.rank))
            rank.setData(Qt.ItemDataRole.UserRole, h.rank)
            rank.setData(HYP_ROLE, row)
            if h.kind == "disease":
                name = QTableWidgetItem(h.label + ("  [published cases]" if h.source == "case_library" else ""))
                extra = QTableWidgetItem(", ".join(h.genes[:3]) + (" …" if len(h.genes) > 3 else ""))
                extra.setToolTip(plain_tip(", ".join(h.genes)))
            else:
                name = QTableWidgetItem(h.id + (f" — {h.diseases[0][1]}" if h.diseases else ""))
                # without a VCF no variant was looked for: "—", not a count of 0 found
                extra = NumberItem(str(len(h.variants)) if with_vcf else "—")
                extra.setData(Qt.ItemDataRole.UserRole, len(h.variants) if with_vcf else -1)
                if not with_vcf:
                    extra.setToolTip("No VCF: a phenotype-only analysis")
            # plain: a case-derived disease's label is as a collaborator's phenopacket gave it
            name.setToolTip(plain_tip(f"{h.label} ({h.id})"
                                      + ("; rests on published cases" if h.source == "case_library" else "")))
            score = NumberItem(score_text(h.score))
            score.setData(Qt.ItemDataRole.UserRole, h.score)
            flags = QTableWidgetItem(flag_text(h))
            # in the words and symbols of the column and the evidence pane ("ℹ Note: …", not "info: …")
            flags.setToolTip(plain_tip("\n".join(f"{flag_label(f)}: {f.message}" for f in h.flags)
                                       or "no self-check flags"))
            if any(f.level == "warning" for f in h.flags):
                flags.setForeground(QColor(tone(table, WARNING)))
            for col, item in enumerate((rank, name, score, extra, flags)):
                table.setItem(row, col, item)
        table.setSortingEnabled(True)
        table.sortItems(0, Qt.SortOrder.AscendingOrder)
        # a long gene list ("DGCR2, DGCR6, DGCR8 …") must not squeeze the disease names to a few letters
        table.resizeColumnToContents(3)
        table.setColumnWidth(3, min(table.columnWidth(3), 11 * table.fontMetrics().averageCharWidth() + 16))

    def focus_ranking(self) -> None:
        """The keyboard on the ranked list shown (Diseases or Genes), where the arrows move through the hypotheses."""
        (self.diseases if self.lists.currentIndex() == 0 else self.genes).setFocus(Qt.FocusReason.OtherFocusReason)

    def _hyps(self) -> tuple[Hypothesis, ...]:
        if self.result is None:
            return ()
        return self.result.diseases if self.lists.currentIndex() == 0 else self.result.genes

    def _selected(self, table: QTableWidget) -> None:
        rows = table.selectionModel().selectedRows()
        if not rows or self.result is None:
            return
        index = table.item(rows[0].row(), 0).data(HYP_ROLE)
        hyps = self.result.diseases if table is self.diseases else self.result.genes
        self.show_hypothesis(hyps[index], index)

    def show_hypothesis(self, hyp: Hypothesis, index: int) -> None:
        self.current = hyp
        self.picked.hide()
        self.evidence.show_hypothesis(hyp)
        self.bars.set_bars(_figures().contribution_bars(hyp), f"Score contributions — {hyp.rank}. {hyp.label}")
        self.bars.show()
        self._enable_exports(True)
        self.matrix.select_column(index if index < len(self.matrix.matrix.columns if self.matrix.matrix else ()) else None)

    def select_hypothesis(self, index: int, kind: str = "disease") -> None:
        """Select the hypothesis at this index of result.diseases / result.genes (as the tests and links do)."""
        self.lists.setCurrentIndex(0 if kind == "disease" else 1)
        table = self.diseases if kind == "disease" else self.genes
        for row in range(table.rowCount()):
            if table.item(row, 0).data(HYP_ROLE) == index:
                table.selectRow(row)
                table.scrollToItem(table.item(row, 0))
                return

    def _select_index(self, index: int) -> None:
        self.select_hypothesis(index, self.matrix.matrix.kind if self.matrix.matrix else "disease")

    def _tab_changed(self) -> None:
        self._draw_matrix()
        table = self.diseases if self.lists.currentIndex() == 0 else self.genes
        if table.rowCount() and not table.selectionModel().selectedRows():
            table.selectRow(0)
        else:
            self._selected(table)

    # ------------------------------------------------------------------ figures

    def _draw_matrix(self) -> None:
        if self.result is None:
            self.matrix.set_matrix(None)
            return
        kind = "disease" if self.lists.currentIndex() == 0 else "gene"
        m = _figures().match_matrix(self.result, top_n=self.columns.value(), kind=kind)
        self.matrix.set_matrix(m)
        self.matrix.resize(self.matrix.sizeHint())

    def _cell_clicked(self, ref: Any, cell: figures.MatrixCell) -> None:
        m = self.matrix.matrix
        column = m.columns[cell.column]
        self.select_hypothesis(column.hypothesis, m.kind)
        row = m.rows[cell.row]
        self.picked.setText(f"<b>{escape(row.label, quote=False)}</b> × <b>{escape(column.label, quote=False)}</b>: "
                            f"{escape(cell.describe(), quote=False)}")
        self.picked.show()
        self.detail.setCurrentIndex(0)
        if ref is not None:
            item = _figures().evidence_item(self.result, ref)
            self.evidence.scrollToAnchor(f"{ref.field}-{item.patient_term}")

    def _link(self, url: Any) -> None:
        text = url.toString()
        if text.startswith("evidence:feature:"):
            self.evidence.scrollToAnchor("matched-" + text.removeprefix("evidence:feature:"))
        elif text.startswith("evidence:variant:"):
            chrom, _, pos = text.removeprefix("evidence:variant:").rpartition(":")
            if pos.isdigit():
                self.variant_requested.emit(chrom, int(pos))

    def ask_another_name(self, message: str) -> bool:
        """After a figure's name was refused (`message` says why): True to choose another name, False to give up."""
        return ask_another_name(self, message)

    def export_figure(self, which: str, path: str | None = None) -> str | None:
        """Write the matrix or the bars as SVG/PNG with raretrace.figures (the same drawing as the PDF)."""
        if self.result is None or (which == "bars" and self.current is None):
            return None

        def allowed(name: str) -> str:
            kind = FIGURE_KINDS.get(Path(name).suffix.lower())
            if kind is None:  # said here, where another name can be chosen, not once the drawing is written
                raise RareTraceError(f"cannot export a figure as {Path(name).name}; give a name ending in .png or .svg")
            return str(not_overwriting_data(Path(name), kind, self.inputs()))

        name = f"{self.result.case_id}-{'match-matrix' if which == 'matrix' else 'contributions'}.png"
        path = save_path(self, "Export figure", name, "PNG image (*.png);;SVG drawing (*.svg)", path, allowed,
                         self.ask_another_name)
        if path is None:
            return None
        if which == "matrix":
            m = self.matrix.matrix
            width = max(520.0, 300 + 24.0 * len(m.columns))
            drawing = _figures().matrix_figure(m, width=width)
        else:
            drawing = _figures().contribution_drawing(_figures().contribution_bars(self.current), width=360)
        self.runner.start(
            "export-figure",
            lambda ctx: str(_figures().save_figure(drawing, path)),
            on_done=lambda saved: self.message.emit(f"Figure saved to {saved}"),
            on_failed=self.failed.emit,
        )
        return path
