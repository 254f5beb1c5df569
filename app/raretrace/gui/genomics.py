"""The genomics panel: choose the VCF (dialog or drag-and-drop), sample, genome build, optional PED; load it with
progress and cancel; the candidate variants in a sortable, filterable table."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..analysis import DEFAULT_FILTERS
from ..case import Case, matching_sample, normalise_assembly, not_local_error
from ..errors import RareTraceError
from ..evidence import NO_CRITERION_MET, NO_CRITERION_SHORT
from ..words import counted
from .case_list import plain_tip
from .evidence_html import VARIANT_HEADERS
from .file_types import ALL_FILES, PED_FILES, SHOW_NAMES, VCF_FILES
from .flow import FlowLayout
from .warnings_banner import WarningsBanner

if TYPE_CHECKING:
    from ..engine import Engine
    from .document import CaseDocument
    from .preferences import Preferences
    from .workers import TaskRunner

BUILDS = ("GRCh37", "GRCh38")
NO_VCF = "No VCF: the analysis uses the phenotypes only."
FAMILY_SHOWN = 16  # individuals of the family read named on the tab; all of them on hover
# header, VariantEvidence field, and up to three values its width is measured on (one left out: as the one before):
# what it shows in a narrow window ("": its header only; a 1024-px window has room for these and a little more),
# where there is room, and in a wide window. Between two of those the table's width is shared in proportion, and
# below the first every column gives way down to its header's width; past the last, HGVS takes the rest. A value
# cut short ends in "…" and reads whole in the row's tooltip.
COLUMNS = (
    ("Gene", "gene", ("KRTAP13-2", "TMPRSS11BNL")),  # (a long symbol whole where there is room)
    ("Variant", "where", ("chr17:10512778 A>T", "chr17:10512778 AT>G")),
    ("Effect", "consequence", ("stop gained", "protein altering")),
    ("HGVS", "hgvs", ("", "p.(Arg1130Trp)", "p.(Arg1130Trp) on UniProt P21802")),
    ("Genotype", "genotype", ("heterozygous", "heterozygous", "heterozygous (de novo)")),
    # Path. (the rows' order) and the criteria before the columns a clinician reads less often
    ("Path.", "pathogenicity", ("0.00",)),
    ("ACMG", "criteria", ("none met", "PVS1 (moderate)")),
    ("ClinVar", "clinvar", ("", "Likely pathogenic")),
    ("Pop. AF", "population_af", ("0.00012",)),
    ("Filter", "filter", ("PASS", "LowQual")),
    ("VCF record", "record_line", ("1234567",)),
)
STRETCH_COLUMN = [key for _h, key, _w in COLUMNS].index("hgvs")  # takes the width the others do not need
PATHOGENICITY_COLUMN = [key for _h, key, _w in COLUMNS].index("pathogenicity")  # the rows' first order
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
HEADER_TIPS = {  # what each header stands for, on hover (the abbreviations as in the evidence pane)
    **VARIANT_HEADERS,
    "Gene": "The gene the variant lies in (the VCF's annotation, or the bundled gene model)",
    "Variant": "Chromosome:position REF>ALT",
    "Effect": "Predicted consequence (the VCF's annotation, or the bundled gene model)",
    "HGVS": "The change in HGVS notation where the VCF's annotation gives it; otherwise the protein change the "
            "bundled gene model and UniProt reading suggest (with its Grantham distance and conservation), or a "
            "structural variant's extent",
    "Genotype": "The patient's genotype, with its origin when the parents' calls tell it",
    "ClinVar": "ClinVar clinical significance",
    "Filter": "The variant caller's FILTER (PASS: passed all of them)",
    "VCF record": "The variant's data line in the VCF (1 = the first line after the header)",
}


def share_width(room: int, levels: list[list[int]]) -> list[int]:
    """Column widths in `room` pixels from `levels`, a width per column at each level, narrowest first: the widest
    level that fits, with each column's step to the next level shared in proportion; the first level where even
    it does not fit (the table then scrolls)."""
    widths = list(levels[0])
    for step in levels[1:]:
        need = sum(step) - sum(widths)
        if need <= 0:
            continue
        share = min(1.0, (room - sum(widths)) / need)
        if share <= 0:
            break
        widths = [w + int(share * (s - w)) for w, s in zip(widths, step, strict=True)]
        if share < 1.0:
            break
    return widths


class SortArrowHeader(QHeaderView):
    """A header whose size hint keeps room for the sort arrow on the section that shows it only: Qt keeps it on
    every section (20 px each at the default font), room eleven columns cannot spare in a 1024-px window."""

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        size = super().sectionSizeFromContents(logicalIndex)
        if self.isSortIndicatorShown() and logicalIndex != self.sortIndicatorSection():
            # what QHeaderView adds for the arrow: the section's height and the header's margin
            margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)
            size.setWidth(size.width() - size.height() - margin)
        return size


class VariantTable(QTableView):
    """The candidate variants, their columns fitted to the table's width (COLUMNS) until the user resizes one: on a
    1024-px screen ClinVar, Pop. AF, Filter and VCF record lay past the right edge, seen only by scrolling."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        head = SortArrowHeader(Qt.Orientation.Horizontal, self)
        head.setSectionsClickable(True)  # as QTableView's own header
        head.setHighlightSections(True)
        self.setHorizontalHeader(head)
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(False)
        self.fitted = True  # the widths follow the table's; false once the user has set one
        self._fitting = False
        head.sectionResized.connect(self._resized)
        head.sortIndicatorChanged.connect(lambda _c, _o: self.fit_columns())  # the arrow moves to another header

    def _resized(self, _column: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self.fitted = False

    def fit_columns(self) -> None:
        """The columns' widths in the viewport's, as COLUMNS says, each at least as wide as its header (with the sort
        arrow where it sorts); the user's widths once they have set one (the sorted column widened for its arrow)."""
        head = self.horizontalHeader()
        least = [head.sectionSizeHint(col) for col in range(len(COLUMNS))]
        if not self.fitted:
            sorted_column = head.sortIndicatorSection()
            if 0 <= sorted_column < len(COLUMNS) and head.sectionSize(sorted_column) < least[sorted_column]:
                self._set_widths({sorted_column: least[sorted_column]})
            return
        metrics = self.fontMetrics()
        # a cell's text margins (the focus frame's and a pixel, each side) and a pixel of air
        pad = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 2)

        def width(col: int, level: int) -> int:
            values = COLUMNS[col][2]
            text = values[min(level, len(values) - 1)]
            return max(least[col], (metrics.horizontalAdvance(text) + pad) if text else 0)

        levels = [least] + [[width(col, level) for col in range(len(COLUMNS))] for level in range(3)]
        room = self.viewport().width()
        widths = share_width(room, levels)
        widths[STRETCH_COLUMN] += max(0, room - sum(widths))
        self._set_widths(dict(enumerate(widths)))

    def _set_widths(self, widths: dict[int, int]) -> None:
        self._fitting = True
        try:
            for col, width in widths.items():
                if self.columnWidth(col) != width:
                    self.setColumnWidth(col, width)
        finally:
            self._fitting = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()  # a wider window, a narrower one, or the vertical scroll bar shown or hidden

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_columns()


# -- the calls into raretrace.genomics (worker thread)


@dataclass(frozen=True, slots=True)
class VcfHeader:
    samples: tuple[str, ...]
    assembly: str | None  # what the header says (contig names/lengths, reference line), None when it does not
    assembly_source: str
    kind: str
    warnings: tuple[str, ...]


def read_vcf_header(path: str) -> VcfHeader:
    """Samples and stated genome build of a VCF, with the same checks as the loader (bad files: one line)."""
    from ..genomics.vcf import detect_assembly, open_reader, require_samples, sniff

    vcf = sniff(path)
    reader = open_reader(vcf)
    try:
        samples = tuple(reader.samples)
        build, source = detect_assembly(reader.raw_header)
    finally:
        reader.close()
    require_samples(samples, Path(path).name)  # said now, before it replaces the case's VCF, not only on loading
    return VcfHeader(samples, build, source, vcf.kind, tuple(vcf.warnings))


def load_variants(engine: Engine, case: Case, ped: str | None, ctx: Any,
                  filters: tuple[str, ...] | None = DEFAULT_FILTERS) -> Any:
    """The case's VCF (path, build, sample as chosen) as per-gene variant evidence, with progress and cancel."""
    from ..genomics import load_genomics

    vcf = case.vcf
    genomics = load_genomics(
        vcf.path,
        engine.db,
        assembly=vcf.assembly,
        assembly_source="the build chosen on the Genomics tab",
        sample=vcf.sample,
        ped=ped,
        sex=case.sex if case.sex in ("MALE", "FEMALE") else None,
        progress=ctx.progress,
        cancel=ctx.cancelled,
        exclude_pmids=engine.exclusions_for(case),
        filters=filters,
    )
    # the table lists every candidate: their evidence (built when first asked for) is built here, not on the GUI
    # thread, where a genome's 40,000 froze the window 1-2 s
    candidate_variants(genomics)
    return genomics


def candidate_variants(genomics: Any) -> list[Any]:
    """Every variant the loader kept (each gene's best few), for the table."""
    return [v for gene in genomics.genes.values() for v in gene.variants]


class VariantTableModel(QAbstractTableModel):
    """Candidate variants (VariantEvidence objects) as rows; sorting uses the raw values.

    The model sorts itself, each row's key computed once: a proxy's sort asks data() twice per comparison, which
    froze the window for 5-8 s on a genome's 40,000 candidates at every load, header click or cleared filter."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.variants: list[Any] = []
        self._order: tuple[int, Qt.SortOrder] | None = None  # the column and order the rows are kept in

    def set_variants(self, variants: list[Any]) -> None:
        self.beginResetModel()
        variants = list(variants)
        self.variants = [variants[r] for r in self._sorted_rows(variants)]
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        rows = self._sorted_rows(self.variants)
        self.variants = [self.variants[r] for r in rows]
        new_row = {old: new for new, old in enumerate(rows)}
        kept = self.persistentIndexList()  # the view's selection and current row follow their variants
        self.changePersistentIndexList(kept, [self.index(new_row[i.row()], i.column()) for i in kept])
        self.layoutChanged.emit()

    def _sorted_rows(self, variants: list[Any]) -> list[int]:
        """The rows of `variants` in the order chosen (stable: equal keys keep their order)."""
        rows = list(range(len(variants)))
        if self._order is None or not 0 <= self._order[0] < len(COLUMNS):
            return rows
        column, order = self._order
        field = COLUMNS[column][1]

        def key(row: int) -> tuple[int, Any]:  # numbers before text: a column may mix them (None sorts as "")
            value = self.sort_key(variants[row], field)
            return (0, value) if isinstance(value, (int, float)) else (1, value)

        return sorted(rows, key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    @classmethod
    def sort_key(cls, v: Any, key: str) -> Any:
        value = cls.raw(v, key)
        if key == "population_af":
            return -1.0 if value is None else float(value)
        if key == "where":
            chrom = value[0].removeprefix("chr")
            return (int(chrom) if chrom.isdigit() else 100 + ord(chrom[0])) * 1e10 + value[1]
        return value if isinstance(value, (int, float)) else str(value or "")

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.variants)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(COLUMNS[section][0])
        return None

    @staticmethod
    def raw(v: Any, key: str) -> Any:
        if key == "where":
            return (str(v.chrom), int(v.pos))
        if key == "criteria":
            return ", ".join(c.label for c in v.criteria)
        if key == "clinvar":
            return v.clinvar_text
        return getattr(v, key, None)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        v = self.variants[index.row()]
        key = COLUMNS[index.column()][1]
        value = self.raw(v, key)
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "where":
                return v.where
            if key == "population_af":
                return v.population_af_text
            if key == "pathogenicity":
                return f"{value:.2f}"
            if key == "genotype":
                return v.genotype_with_origin
            if key == "clinvar":
                return v.clinvar_text or "—"  # as the evidence pane and the report show an empty value
            if key == "criteria":  # an empty cell read as not yet assessed
                return value or NO_CRITERION_SHORT
            if key == "consequence":  # as the report and the evidence pane write it: "5 prime UTR", "start codon"
                return str(value or "").replace("_", " ")
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            return self.sort_key(v, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{v.where} in {v.gene} ({v.consequence.replace('_', ' ')})",  # as the Effect column
                     v.genotype_text + (f" ({v.call})" if v.call else "") + (f": {v.origin_text}" if v.origin_text
                                                                              else "")]  # fmt: skip
            if v.hgvs:  # its column is cut to a few letters on a 1024-px screen ("p.(Ser252Tr…")
                lines.insert(1, str(v.hgvs))
            if v.clinvar:
                lines.append(f"ClinVar: {v.clinvar_text}")
            lines += [f"{c.code} ({c.strength.replace('_', ' ')}): {c.reason} [{c.value}]" for c in v.criteria] or [
                f"ACMG/AMP criteria: {NO_CRITERION_MET}"]
            # their columns are narrow on a 1024-px screen (a Filter "LowQ…"), Path. (the rows' order) among them
            lines.append(f"Pop. AF {v.population_af_text} · Path. {v.pathogenicity:.2f} · Filter {v.filter}")
            if v.record_line:
                lines.append(f"VCF data record {v.record_line:,}")
            return plain_tip("\n".join(lines))  # "<DEL>" (a deletion's allele) and the file's annotations are text
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("population_af", "pathogenicity", "record_line"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class VariantFilter(QSortFilterProxyModel):
    """Filters the variants; sorting is passed to the source model, whose order it keeps."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.gene = ""
        self.consequence = ""
        self.max_af: float | None = None
        self.pass_only = False
        self.min_pathogenicity = 0.0
        self.setSortRole(SORT_ROLE)

    def set_filters(self, gene: str, consequence: str, max_af: float | None, pass_only: bool, min_path: float) -> None:
        modern = hasattr(self, "beginFilterChange")  # Qt >= 6.9; invalidateFilter is deprecated there
        if modern:
            self.beginFilterChange()
        self.gene = gene.strip().upper()
        self.consequence = consequence
        self.max_af = max_af
        self.pass_only = pass_only
        self.min_pathogenicity = min_path
        if modern:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        v = self.sourceModel().variants[row]
        if self.gene and self.gene not in str(v.gene).upper():
            return False
        if self.consequence and v.consequence != self.consequence:
            return False
        if self.max_af is not None and v.population_af is not None and v.population_af > self.max_af:
            return False
        if self.pass_only and v.filter not in ("PASS", ".", ""):
            return False
        return v.pathogenicity >= self.min_pathogenicity


class SampleChoice(QComboBox):
    """The VCF's sample (the patient's column). Qt cuts a combo box's text mid-letter with no ellipsis: at 13 pt its
    140 px read "choose the patier". Here a text wider than the box ends with "…" and reads whole on hover."""

    def _option(self) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        if self.currentIndex() < 0 and self.placeholderText():
            option.palette.setBrush(QPalette.ColorRole.ButtonText, option.palette.placeholderText())
            option.currentText = self.placeholderText()
        return option

    def shown(self) -> str:
        """The text as drawn: whole, or cut with "…" to the box's text field."""
        option = self._option()
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        return self.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideRight, field.width())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        option = self._option()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def tip(self) -> str:
        """The whole text where the box cuts it, else nothing."""
        whole = self._option().currentText
        return whole if self.shown() != whole else ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and (tip := self.tip()):
            QToolTip.showText(event.globalPos(), tip, self)
            return True
        return super().event(event)


class GenomicsPanel(QWidget):
    message = Signal(str)
    failed = Signal(str)
    loaded = Signal(object)
    progress_changed = Signal(str, float)  # of a loading: the window's status bar shows it too
    load_cancelled = Signal()

    def __init__(self, document: CaseDocument, runner: TaskRunner, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.runner = runner
        self.prefs = prefs
        self.engine: Engine | None = None
        self._loading: object | None = None  # the loading whose progress and outcome this panel shows
        self._shown: Any = None  # the variants the table and the summary show (None: none read)
        self.setAcceptDrops(True)
        self._build()
        document.genomics_changed.connect(self._show_genomics)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        box = QGroupBox("Sequencing data")
        grid = QGridLayout(box)
        self.vcf_path = QLineEdit()
        self.vcf_path.setObjectName("vcfPath")
        self.vcf_path.setAccessibleName("VCF file")
        self.vcf_path.setPlaceholderText("Choose a VCF (Ctrl+L) or drop it on the window")
        self.vcf_path.editingFinished.connect(self._path_typed)
        choose = QPushButton("Choose VCF…")
        choose.setAccessibleName("Choose a VCF file")
        choose.clicked.connect(self.choose_vcf)
        self.sample = SampleChoice()
        self.sample.setObjectName("vcfSample")
        self.sample.setAccessibleName("Sample (the patient's column in the VCF)")
        self.sample.setMinimumWidth(140)
        self.sample.setPlaceholderText("choose the patient")  # shown while a multi-sample VCF has no choice
        self.build = QComboBox()
        self.build.setObjectName("vcfBuild")
        self.build.setAccessibleName("Genome build")
        self.build.addItems(BUILDS)
        self.ped_path = QLineEdit()
        self.ped_path.setAccessibleName("PED file (optional)")
        self.ped_path.setPlaceholderText("optional: family PED file for de novo / segregation")
        self.ped_path.editingFinished.connect(
            lambda: self.ped_path.isModified() and self._set_ped(self.ped_path.text().strip())
        )
        choose_ped = QPushButton("Choose PED…")
        choose_ped.setAccessibleName("Choose a PED file")
        choose_ped.clicked.connect(self.choose_ped)
        self.load_button = QPushButton("Load variants")
        self.load_button.setObjectName("loadVcf")
        self.load_button.setAccessibleName("Load the variants of the VCF")
        self.load_button.clicked.connect(self.load_vcf)
        self.remove_button = QPushButton("Remove VCF")
        self.remove_button.setAccessibleName("Remove the VCF from the case")
        self.remove_button.clicked.connect(lambda: self.set_vcf_path(""))
        self.sample.setMaximumWidth(240)
        self.sample.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        grid.addWidget(QLabel("VCF"), 0, 0)
        grid.addWidget(self.vcf_path, 0, 1)
        grid.addWidget(choose, 0, 2)
        grid.addWidget(self.remove_button, 0, 3)
        choice = QHBoxLayout()
        choice.addWidget(self.sample)
        choice.addSpacing(16)
        choice.addWidget(QLabel("Build"))
        choice.addWidget(self.build)
        choice.addStretch(1)
        grid.addWidget(QLabel("Sample"), 1, 0)
        grid.addLayout(choice, 1, 1)
        grid.addWidget(self.load_button, 1, 2, 1, 2)
        grid.addWidget(QLabel("PED"), 2, 0)
        grid.addWidget(self.ped_path, 2, 1)
        grid.addWidget(choose_ped, 2, 2)
        grid.setColumnStretch(1, 1)
        for w in (self.sample, self.build):
            w.currentIndexChanged.connect(lambda _i: self._choice_changed())
        layout.addWidget(box)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setObjectName("vcfProgress")
        self.progress.setAccessibleName("VCF loading progress")
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelVcf")
        self.cancel_button.setAccessibleName("Cancel loading the VCF")
        self.cancel_button.clicked.connect(lambda: self.runner.cancel("load-vcf"))
        self.summary = QLabel(NO_VCF)
        self.summary.setObjectName("vcfSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # it names the lab's file and sample: text, not markup
        # a long file name cannot wrap: it is clipped rather than widen the window
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        progress_row.addWidget(self.summary, 1)
        progress_row.addWidget(self.progress)
        progress_row.addWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()
        layout.addLayout(progress_row)
        # the VCF's warnings on a line of their own, as the Results tab shows the analysis's: joined into the summary,
        # three of them took several lines above the variants, the others only on hover
        self.banner = WarningsBanner(name="Warnings about the VCF")
        layout.addWidget(self.banner)

        # wraps onto a second line in a narrow window: in one row the filters (831 px at a 13-pt font) kept the
        # window wider than a 1024-px screen
        filters = FlowLayout(trailing=1)
        self.gene_filter = QLineEdit()
        self.gene_filter.setAccessibleName("Filter by gene")
        self.gene_filter.setPlaceholderText("Gene…")
        self.gene_filter.setClearButtonEnabled(True)
        self.consequence_filter = QComboBox()
        self.consequence_filter.setAccessibleName("Filter by effect")
        self.consequence_filter.addItem("All effects", "")
        self.af_filter = QDoubleSpinBox()
        self.af_filter.setAccessibleName("Maximum population allele frequency")
        self.af_filter.setDecimals(4)
        self.af_filter.setRange(0.0, 1.0)
        self.af_filter.setSingleStep(0.001)
        self.af_filter.setValue(1.0)
        self.af_filter.setPrefix("AF ≤ ")
        self.path_filter = QDoubleSpinBox()
        self.path_filter.setAccessibleName("Minimum pathogenicity")
        self.path_filter.setRange(0.0, 1.0)
        self.path_filter.setSingleStep(0.05)
        self.path_filter.setPrefix("Pathogenicity ≥ ")
        self.pass_filter = QCheckBox("PASS only")
        self.pass_filter.setAccessibleName("Only variants that passed the caller's filters")
        self.count = QLabel("")
        for w in (self.gene_filter,):
            w.textChanged.connect(lambda _t: self._apply_filters())
        for w in (self.consequence_filter,):
            w.currentIndexChanged.connect(lambda _i: self._apply_filters())
        for w in (self.af_filter, self.path_filter):
            w.valueChanged.connect(lambda _v: self._apply_filters())
        self.pass_filter.toggled.connect(lambda _b: self._apply_filters())
        filters.addWidget(QLabel("Candidate variants:"))
        filters.addWidget(self.gene_filter)
        filters.addWidget(self.consequence_filter)
        filters.addWidget(self.af_filter)
        filters.addWidget(self.path_filter)
        filters.addWidget(self.pass_filter)
        filters.addWidget(self.count)
        layout.addLayout(filters)

        self.model = VariantTableModel(self)
        self.proxy = VariantFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = VariantTable()
        self.table.setObjectName("variantTable")
        self.table.setAccessibleName("Candidate variants")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(PATHOGENICITY_COLUMN, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # arrows move through the variants; Tab moves on
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setWordWrap(False)
        self.table.fit_columns()
        layout.addWidget(self.table, 1)
        self._set_ready()

    # ------------------------------------------------------------------ state

    def set_engine(self, engine: Engine) -> None:
        self.engine = engine
        self._set_ready()

    def _set_ready(self) -> None:
        has_vcf = bool(self.vcf_path.text().strip())
        busy = self.runner.is_running("load-vcf")
        self.load_button.setEnabled(self.engine is not None and has_vcf and not busy)
        self.remove_button.setEnabled(has_vcf and not busy)

    def load_document(self, load: bool = False) -> None:
        """Show the case's VCF; `load`: read its variants once its header is read (sample and build known)."""
        vcf = self.document.vcf
        self.vcf_path.setText(vcf.path if vcf else "")
        self.ped_path.setText(self.document.ped_path or "")
        self.sample.blockSignals(True)
        self.sample.clear()
        if vcf and vcf.sample:
            self.sample.addItem(vcf.sample)
            self.sample.setCurrentIndex(0)
        self.sample.blockSignals(False)
        if vcf and vcf.assembly:
            self.build.blockSignals(True)
            self.build.setCurrentText(vcf.assembly)
            self.build.blockSignals(False)
        if self.runner.is_running("load-vcf"):
            # of the VCF shown until now (another case's, or one undone): its variants would never be used
            self._loading = None
            self.runner.cancel("load-vcf")
        self.model.set_variants([])
        self._show_genomics()
        if vcf and Path(vcf.path).is_file():
            self._read_header(vcf.path, load=load)
        elif vcf:
            self.summary.setText(f"The case's VCF {vcf.path} is not on this computer; choose it again.")
        elif self.document.genomics is None:  # another case's VCF must not stay described
            self.summary.setText(NO_VCF)
        self._set_ready()

    def choose_vcf(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the patient's VCF", self.prefs.last_dir,
                                              f"{VCF_FILES};;{ALL_FILES}", options=SHOW_NAMES)
        if path:
            self.prefs.last_dir = str(Path(path).parent)
            self.set_vcf_path(path)

    def choose_ped(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the family PED file", self.prefs.last_dir,
                                              f"{PED_FILES};;{ALL_FILES}", options=SHOW_NAMES)
        if path:
            self.set_ped_path(path)

    def _path_typed(self) -> None:
        """A path typed into the box (editingFinished also fires on mere focus loss: only a real change counts)."""
        path = self.vcf_path.text().strip()
        current = self.document.vcf.path if self.document.vcf else ""
        if self.vcf_path.isModified() and path != current:
            self.set_vcf_path(path)
        self.vcf_path.setModified(False)

    def set_ped_path(self, path: str) -> None:
        self.ped_path.setText(path)
        self._set_ped(path)

    def _set_ped(self, path: str) -> None:
        if path and path != self.document.ped_path and not self._ped_readable(path):
            return
        read = self.document.genomics
        self.document.set_ped(path)
        if read is not None and self.document.genomics is None:  # read with the old PED: the table is emptied
            vcf = self.document.vcf
            if vcf is not None and vcf.sample is None:  # the Sample shown was the old PED's patient, not a choice
                self.sample.blockSignals(True)
                self.sample.setCurrentIndex(-1)
                self.sample.blockSignals(False)
            self.summary.setText(f"The PED changed: press “Load variants” to read {Path(read.summary.path).name} "
                                 "again with it (Analyse also reads it).")

    def _ped_readable(self, path: str) -> bool:
        """Read the PED now, as a VCF's header is: a missing or malformed file is said at once, in one line, and
        replaces neither the case's PED nor the variants already read with it (not only at the next Analyse)."""
        from ..pedigree import read_ped

        try:
            read_ped(path)
        except RareTraceError as exc:
            problem = str(exc)
            kept = self.document.ped_path
            self.ped_path.setText(kept or "")
            stays = f"{Path(kept).name} stays the case's PED" if kept else "the case stays without a PED"
            if self.document.genomics is not None:
                stays += ", and the variants already read are kept"
            message = f"{problem} — {stays}"
            self.summary.setText(message)
            self.failed.emit(message)
            return False
        return True

    def set_vcf_path(self, path: str, load: bool = False) -> None:
        """Attach a VCF to the case; its header gives the samples and, when it says so, the build."""
        self.vcf_path.setText(path)
        if not path:
            self.document.set_vcf(None)
            self.sample.clear()
            self.summary.setText(NO_VCF)
            self._set_ready()
            return
        # The file is attached to the case only once its header reads: a wrong file must not replace a good one.
        self._read_header(path, load=load)
        self._set_ready()

    def _read_header(self, path: str, load: bool = False) -> None:
        self.summary.setText(f"Reading the header of {Path(path).name}…")
        self.runner.start(
            "vcf-header",
            lambda ctx: read_vcf_header(path),
            on_done=lambda header: self._header_read(path, header, load),
            on_failed=lambda message: self._header_failed(path, message),
        )

    def _header_failed(self, path: str, message: str) -> None:
        if path == self.vcf_path.text():
            kept = self.document.vcf
            self.vcf_path.setText(kept.path if kept else "")
            if kept and kept.path != path:
                message += f" — {Path(kept.path).name} stays attached"
            elif kept and "choose another" not in message:  # the case's own VCF is the unusable one (a missing
                # file's message, worded by gui.errors.one_line, says this already)
                message += " — choose another VCF for this case, or remove it"
        self._load_failed(message)

    def _header_read(self, path: str, header: Any, load: bool) -> None:
        if path != self.vcf_path.text():
            return
        if self.document.vcf is None or self.document.vcf.path != path:
            self.document.set_vcf(path, assembly=None, sample=None)
        vcf = self.document.vcf
        samples = list(getattr(header, "samples", ()) or ())
        self.sample.blockSignals(True)
        self.sample.clear()
        self.sample.addItems(samples)
        # as loading reads it: also the one sample of that name in another letter case
        named = matching_sample(samples, vcf.sample) if vcf and vcf.sample else None
        # the case (its phenopacket, or as stored) names a patient column this file lacks: nobody is taken for them
        missing = vcf.sample if vcf and vcf.sample and named is None else None
        if named is not None:
            self.sample.setCurrentText(named)
        elif missing:
            self.sample.setCurrentIndex(-1)
        elif len(samples) == 1:
            self.sample.setCurrentIndex(0)  # with a placeholder set, Qt leaves a fresh list unselected
        elif len(samples) > 1:
            # no choice made: none is preselected, so loading picks the patient as the command line does (the
            # phenopacket's individualToFileIdentifiers, the PED's affected individual) or asks; the first column
            # (often a parent) would otherwise be analysed as the patient without a word
            self.sample.setCurrentIndex(-1)
        self.sample.blockSignals(False)
        guessed = header.assembly
        self.build.blockSignals(True)
        if vcf and vcf.assembly:  # declared by the case: kept, and a file that contradicts it is refused on loading
            self.build.setCurrentText(vcf.assembly)
        elif guessed in BUILDS:  # the file's own contigs outrank a default
            self.build.setCurrentText(guessed)
        self.build.blockSignals(False)
        notes = [f"{Path(path).name} ({header.kind}): {counted(len(samples), 'sample')}"]
        if guessed:
            notes.append(f"build {guessed} ({header.assembly_source})")
        else:
            notes.append(f"build not stated in the header: {self.build.currentText()} assumed, check it")
            self.message.emit(f"{Path(path).name} does not state its genome build: check the Build choice")
        notes.extend(header.warnings)
        self.summary.setText("; ".join(notes) + ". Press “Load variants”.")
        if missing:
            # as the command line refuses it; the case keeps its name for the patient until a Sample is chosen
            self.document.set_vcf(path, assembly=self.build.currentText(), sample=missing)
            listed = ", ".join(samples[:8]) + (f", … ({len(samples)} samples)" if len(samples) > 8 else "")
            self.summary.setText(f"The case names the patient's sample {missing!r}, which {Path(path).name} does not "
                                 f"have (its samples: {listed}): choose the patient's Sample, then press “Load "
                                 "variants”.")
            self.message.emit(f"{Path(path).name} has no sample {missing!r}: choose the patient in Genomics → Sample")
            return
        self._choice_changed()
        if load and self.sample.currentIndex() < 0 and not self.document.ped_path:
            # a family VCF opened with a case that does not say which column is the patient: ask here, not in an
            # error box raised before the clinician could choose the sample or a PED
            self.summary.setText(f"{Path(path).name} has {len(samples)} samples: choose the patient's Sample (or a "
                                 "PED file), then press “Load variants”.")
            self.message.emit(f"{Path(path).name} has {len(samples)} samples: choose the patient in Genomics → Sample")
        elif load:
            self.load_vcf()

    def _choice_changed(self) -> None:
        path = self.vcf_path.text().strip()
        if path:
            self.document.set_vcf(path, assembly=self.build.currentText(), sample=self.sample.currentText() or None)

    # ------------------------------------------------------------------ loading

    def load_vcf(self) -> None:
        if self.engine is None:
            self.failed.emit("the knowledge base is still loading; try again in a moment")
            return
        vcf = self.document.vcf
        if vcf is None:
            self.failed.emit("choose a VCF first (Ctrl+L)")
            return
        if not vcf.local:  # a phenopacket's s3:// or uri-less entry: kept with the case, unreadable here
            self.failed.emit(str(not_local_error(vcf)))
            return
        try:
            assembly = normalise_assembly(self.build.currentText())
        except RareTraceError as exc:
            self.failed.emit(str(exc))
            return
        chosen = replace(vcf, assembly=assembly, sample=self.sample.currentText() or vcf.sample)
        case = replace(self.document.case, files=(chosen,))
        engine, path, ped, filters = self.engine, vcf.path, self.document.ped_path, self.prefs.vcf_filters
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.summary.setText(f"Loading {Path(path).name}…")
        loading = self._loading = object()
        self.runner.start(
            "load-vcf",
            lambda ctx: load_variants(engine, case, ped, ctx, filters),
            on_done=lambda genomics, case_id=case.id: self._loaded(genomics, case_id),
            on_failed=self._load_failed,
            on_cancelled=lambda: self._cancelled(loading),
            # a loading replaced or stopped with its case no longer writes over what the panel shows now
            on_progress=lambda message, fraction: self._progress(message, fraction) if self._loading is loading
            else None,
        )
        self._set_ready()

    def _progress(self, message: str, fraction: float) -> None:
        self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        self.summary.setText(message)
        self.progress_changed.emit(message, fraction)

    def _finish(self) -> None:
        # the runner has retired the task before its outcome arrives here; a loading that replaced it may still run
        if not self.runner.is_running("load-vcf"):
            self.progress.hide()
            self.cancel_button.hide()
        self._set_ready()

    def _loaded(self, genomics: Any, case_id: str | None = None) -> None:
        self._finish()
        doc = self.document
        if (case_id is not None and case_id != doc.case.id) or not doc.genomics_matches(genomics):
            # the case, its VCF, build or sample changed while this file was read: its variants are not the case's
            self.summary.setText("The VCF changed while it was being read; press “Load variants” for the new one.")
            return
        doc.set_genomics(genomics)
        summary = getattr(genomics, "summary", None)
        if summary is not None and self.sample.currentIndex() < 0 and self.sample.findText(summary.sample) >= 0:
            self.sample.blockSignals(True)  # show whom the file was read for (the PED's or phenopacket's choice)
            self.sample.setCurrentText(summary.sample)
            self.sample.blockSignals(False)
        self.loaded.emit(genomics)

    def _cancelled(self, loading: object) -> None:
        self._finish()
        if loading is not self._loading:
            return  # replaced by a newer loading, which reports on itself, or stopped with its case
        vcf = self.document.vcf
        name = Path(vcf.path).name if vcf else "the VCF"
        self.summary.setText(f"Loading cancelled; {name} stays with the case and Analyse reads it (Remove VCF to rank "
                             "on the phenotypes alone).")
        self.load_cancelled.emit()

    def _load_failed(self, message: str) -> None:
        self._finish()
        self.summary.setText(message)
        self.failed.emit(message)

    def _show_genomics(self) -> None:
        genomics = self.document.genomics
        dropped, self._shown = self._shown if genomics is None else None, genomics
        self.summary.setToolTip("")
        variants = candidate_variants(genomics) if genomics is not None else []
        self.model.set_variants(variants)
        consequences = sorted({v.consequence for v in variants})
        self.consequence_filter.blockSignals(True)
        self.consequence_filter.clear()
        self.consequence_filter.addItem("All effects", "")
        for c in consequences:
            self.consequence_filter.addItem(c.replace("_", " "), c)
        self.consequence_filter.blockSignals(False)
        warnings: tuple[str, ...] = ()
        if genomics is not None:
            candidates = counted(len(variants), "candidate variant")
            summary = getattr(genomics, "summary", None)
            if summary is not None:
                text = (
                    f"{Path(summary.path).name}: {counted(summary.records, 'record')}, sample {summary.sample}, {summary.assembly}; "
                    f"{candidates}"
                )
                if summary.family:  # de novo, phase and segregation rest on them: seen where the PED is chosen
                    read = f"family read with {Path(summary.ped).name or 'the PED'}: "
                    text += f"; {read}" + "; ".join(m.text() for m in summary.family[:FAMILY_SHOWN])
                    if len(summary.family) > FAMILY_SHOWN:  # a large pedigree would push the variants off the tab
                        text += f" … (+{len(summary.family) - FAMILY_SHOWN}; hover to read all)"
                        self.summary.setToolTip(plain_tip(read + summary.family_text()))
                if summary.parentage:  # the origins shown in the Genotype column rest on it
                    text += f"; {summary.parentage}"
                warnings = tuple(summary.warnings)
            else:
                text = candidates
            self.summary.setText(text)
        elif dropped is not None and self.document.vcf is not None:
            # the summary of that reading would stand over an empty table and another Build: say why it went
            self.summary.setText(self._read_again(dropped))
        self.banner.show_state(False, warnings)
        self._apply_filters()

    def _read_again(self, dropped: Any) -> str:
        """Why the variants read before were dropped (build, sample or FILTER values changed) and what to do."""
        vcf, summary = self.document.vcf, getattr(dropped, "summary", None)
        name = Path(vcf.path).name
        if summary is None or summary.path != vcf.path:
            why = "The VCF changed"
        elif vcf.assembly and vcf.assembly != summary.assembly:
            why = f"The build changed to {vcf.assembly} ({name} was read as {summary.assembly})"
        elif vcf.sample and vcf.sample != summary.sample:
            why = f"The sample changed to {vcf.sample} ({name} was read for {summary.sample})"
        else:  # the PED (which says so itself) or the FILTER values accepted (Settings)
            why = "The FILTER values accepted (Settings) changed"
        return f"{why}: press “Load variants” to read {name} again (Analyse also reads it)."

    def _apply_filters(self) -> None:
        af = self.af_filter.value()
        self.proxy.set_filters(
            self.gene_filter.text(),
            self.consequence_filter.currentData() or "",
            None if af >= 1.0 else af,
            self.pass_filter.isChecked(),
            self.path_filter.value(),
        )
        self.count.setText(f"{self.proxy.rowCount():,} of {self.model.rowCount():,} shown")

    def clear_filters(self) -> None:
        self.gene_filter.clear()
        self.consequence_filter.setCurrentIndex(0)
        self.af_filter.setValue(1.0)
        self.path_filter.setValue(0.0)
        self.pass_filter.setChecked(False)
        self._apply_filters()

    # ------------------------------------------------------------------ drag and drop

    def select_variant(self, chrom: str, pos: int) -> bool:
        """Show and select the variant at chrom:pos in the table (filters cleared if they hide it)."""
        for attempt in range(2):
            for row in range(self.proxy.rowCount()):
                v = self.model.variants[self.proxy.mapToSource(self.proxy.index(row, 0)).row()]
                if v.chrom == chrom and v.pos == pos:
                    self.table.selectRow(row)
                    self.table.scrollTo(self.proxy.index(row, 0))
                    return True
            if attempt == 0:
                self.clear_filters()
        return False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            path = url.toLocalFile()
            if path.lower().endswith(".ped"):
                self.set_ped_path(path)
            else:
                self.set_vcf_path(path)
        event.acceptProposedAction()
