"""The report panel: a preview of the report's content, export to PDF, print.

PySide6-Essentials has no QtPdf, so the preview is not a picture of the PDF pages: it is the same evidence objects
rendered as HTML (evidence_html.result_html), in the report's order. Export writes the PDF with
raretrace.report.render_report; Print sends the preview to a printer through QPrinter/QPrintDialog.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..outputs import case_inputs, not_overwriting_data
from .colours import paper
from .evidence_html import result_html
from .preferences import PAGE_SIZES
from .save_as import ask_another_name, save_path
from .text_view import WordBrowser

if TYPE_CHECKING:
    from .document import CaseDocument
    from .preferences import Preferences
    from .workers import TaskRunner

PREVIEW_HINT = "The preview shows the report's content; the exported PDF adds the match-matrix and contribution figures."

def export_pdf(result: Any, case: Any, path: str, *, top_n: int, clinician: str, page_size: str,
               stale: bool = False, note: str = "") -> str:
    """Write the PDF report (called on a worker thread)."""
    from ..report import render_report

    return str(render_report(result, case, path, page_size=page_size, top=top_n, clinician=clinician, stale=stale,
                             note=note))


class ReportPanel(QWidget):
    message = Signal(str)
    failed = Signal(str)
    exported = Signal(str)

    def __init__(self, document: CaseDocument, runner: TaskRunner, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.runner = runner
        self.prefs = prefs
        self._unprintable: str | None = None  # what the report being exported cannot print as typed
        # the files an export never replaces (the window adds the case store and the knowledge base)
        self.inputs: Callable[[], dict[Path, str]] = lambda: case_inputs(document.case, document.ped_path)
        # hands what is still being typed elsewhere (the header's patient ID and age) to the case before a report is
        # written or printed (the window sets it): Ctrl+E from the field printed the ID the case had before
        self.commit_typing: Callable[[], None] = lambda: None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Clinician:"))
        self.clinician = QLineEdit(prefs.clinician)
        self.clinician.setAccessibleName("Clinician name on the report")
        self.clinician.setPlaceholderText("name on the report")
        self.clinician.editingFinished.connect(self._options_changed)
        bar.addWidget(self.clinician, 1)
        bar.addWidget(QLabel("Hypotheses:"))
        self.top_n = QSpinBox()
        self.top_n.setRange(1, 50)
        self.top_n.setValue(prefs.top_n)
        self.top_n.setAccessibleName("Number of hypotheses in the report")
        self.top_n.valueChanged.connect(lambda _v: self._options_changed())
        bar.addWidget(self.top_n)
        bar.addWidget(QLabel("Page:"))
        self.page_size = QComboBox()
        self.page_size.addItems(PAGE_SIZES)
        self.page_size.setCurrentText(prefs.page_size)
        self.page_size.setAccessibleName("Page size")
        self.page_size.currentTextChanged.connect(lambda text: setattr(self.prefs, "page_size", text))
        bar.addWidget(self.page_size)
        self.export_button = QPushButton("Export PDF…")
        self.export_button.setToolTip("Write the PDF report (Ctrl+E)")
        self.export_button.setAccessibleName("Export the PDF report")
        self.export_button.clicked.connect(lambda: self.export())
        self.print_button = QPushButton("Print…")
        self.print_button.setToolTip("Print the report (Ctrl+P)")
        self.print_button.setAccessibleName("Print the report")
        self.print_button.clicked.connect(lambda: self.print_report())
        bar.addWidget(self.export_button)
        bar.addWidget(self.print_button)
        layout.addLayout(bar)
        self.preview = WordBrowser()
        self.preview.setObjectName("reportPreview")
        self.preview.setAccessibleName("Report preview")
        paper(self.preview)
        self.preview.setOpenLinks(False)
        # the evidence's links open nothing here: as Tab stops they kept the keyboard in the preview (93 Tabs for the
        # demo case) before the case list and Analyse; the keys still scroll it and the mouse still selects
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.preview, 1)
        self.status = QLabel(PREVIEW_HINT)
        self._exports_of_this_case = False  # an export was started since the case shown was opened
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it names files and typed text, never markup
        layout.addWidget(self.status)
        document.result_changed.connect(self.refresh)
        document.header_changed.connect(self.refresh)  # the preview prints the patient ID and age: Print sends it
        self.refresh()

    def forget_exports(self) -> None:
        """Show the preview's hint again: another case is open, and the last export's outcome was not this case's
        (nor is that of an export still being written: it is told in the status bar only)."""
        self._exports_of_this_case = False
        self.status.setText(PREVIEW_HINT)

    def apply_defaults(self) -> None:
        """Show the report defaults from the preferences (after the settings dialog changed them)."""
        for widget in (self.clinician, self.top_n, self.page_size):
            widget.blockSignals(True)
        self.clinician.setText(self.prefs.clinician)
        self.top_n.setValue(self.prefs.top_n)
        self.page_size.setCurrentText(self.prefs.page_size)
        for widget in (self.clinician, self.top_n, self.page_size):
            widget.blockSignals(False)
        self.refresh()

    def _options_changed(self) -> None:
        self.prefs.clinician = self.clinician.text()
        self.prefs.top_n = self.top_n.value()
        self.refresh()

    def refresh(self) -> None:
        result = self.document.result
        ready = result is not None
        self.export_button.setEnabled(ready)
        self.print_button.setEnabled(ready)
        if not ready:
            self.preview.show_text("<p style='color:#555'>The report appears here after the analysis (Ctrl+R).</p>")
            return
        html = partial(result_html, result, top_n=self.top_n.value(), clinician=self.clinician.text(),
                       note=self.document.note, stale=self.document.result_stale,
                       subject_id=self.document.case.subject_id, case=self.document.case)
        # the hypotheses' tables where the preview has room for them (a variants' table takes about 100 average
        # characters), else their rows stacked: words break only between them, so the tables would run past its edge
        self.preview.show_fitted(lambda narrow: html(narrow=narrow))

    def _take_typed(self) -> None:
        """What is typed in the header and the clinician field, as if Enter had been pressed in each."""
        self.commit_typing()
        if self.clinician.text() != self.prefs.clinician:
            self._options_changed()

    def export(self, path: str | None = None) -> str | None:
        self._take_typed()
        result = self.document.result
        if result is None:
            self.failed.emit("nothing to export yet: analyse the case first (Ctrl+R)")
            return None

        def allowed(name: str) -> str:
            # the suffix first: the file checked is the one written, which the system's prompt may not have named
            name = name if name.lower().endswith(".pdf") else name + ".pdf"
            return str(not_overwriting_data(Path(name), "PDF report", self.inputs()))

        path = save_path(self, "Export the PDF report", str(Path(self.prefs.last_dir) / f"{result.case_id}-raretrace.pdf"),
                         "PDF report (*.pdf)", path, allowed, self.ask_another_name)
        if path is None:
            return None
        self.prefs.last_dir = str(Path(path).parent)
        case = self.document.case  # read after the file dialog, whose focus change commits a header field
        options = dict(
            top_n=self.top_n.value(),
            clinician=self.clinician.text(),
            page_size=self.page_size.currentText(),
            stale=self.document.result_stale,  # the PDF then says it is out of date
            note=self.document.note,  # as the preview shows it
        )
        from ..report import unprintable_fields_warning

        # said with "written": the PDF is still written, but the clinician must know what it cannot show as typed
        self._unprintable = unprintable_fields_warning(case.id, case.subject_id, options["clinician"],
                                                       options["note"])
        self.status.setText(f"Writing {path}…")
        self._exports_of_this_case = True
        self.runner.start(
            "export-report",
            lambda ctx: export_pdf(result, case, path, **options),
            on_done=self._exported,
            on_failed=self._export_failed,
        )
        return path

    def ask_another_name(self, message: str) -> bool:
        """After the report's name was refused (`message` says why): True to choose another name, False to give up."""
        return ask_another_name(self, message)

    def _exported(self, path: str) -> None:
        said = f"Report written to {path}" + (f"; warning: {self._unprintable}" if self._unprintable else "")
        if self._exports_of_this_case:
            self.status.setText(said)
        self.message.emit(said)
        self.exported.emit(path)

    def _export_failed(self, message: str) -> None:
        if self._exports_of_this_case:
            self.status.setText(f"Export failed: {message}")
        self.failed.emit(message)

    def print_report(self, printer: Any = None) -> bool:
        """Print the preview through QPrinter (a dialog picks the printer unless one is given)."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        self._take_typed()
        if self.document.result is None:
            return False
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter if self.page_size.currentText() == "Letter" else QPageSize.PageSizeId.A4))
            printer.setPageOrientation(QPageLayout.Orientation.Portrait)
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle("Print the report")
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return False
            self._take_typed()  # the dialog's focus change may have committed a field since
        doc = QTextDocument()
        doc.setHtml(self.preview.toHtml())
        doc.print_(printer)
        self.message.emit("Report sent to the printer")
        return True
