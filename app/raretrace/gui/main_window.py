"""The main window: case list, patient header, the four panels, menus, shortcuts and the status bar.

The window shows at once; the knowledge base, ontology and search load on a worker afterwards (startup stays fast
and the window never freezes). Everything typed is autosaved to the local case store.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizeGrip,
    QSizePolicy,
    QStatusBar,
    QStyle,
    QStyleOption,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..analysis import DEFAULT_FILTERS
from ..case import (
    NOTE_KEY,
    NOTED_KEY,
    PED_KEY,
    REJECTED_KEY,
    Case,
    age_words,
    keep_stored_note,
    kept_note_decisions,
    kept_text,
    load_phenopacket,
    parse_age,
    with_labels,
)
from ..errors import RareTraceError
from ..outputs import case_inputs, phenopacket_target
from ..paths import resources_dir
from ..store import StoreConflict, local_time
from ..words import counted
from .case_list import CaseListPanel, plain_tip
from .colours import ALERT, CAUTION, tone
from .document import CaseDocument, new_case_id, unused_id
from .errors import show_error, show_warning
from .file_types import ALL_FILES, PHENOPACKETS, SHOW_NAMES
from .labels import FittedLabel
from .panel_tabs import PanelTabs
from .phenotypes import PhenotypesPanel
from .preferences import Preferences
from .report_view import ReportPanel
from .results import ResultsPanel
from .save_as import ask_another_name, save_path
from .save_wait import SaveWaitDialog
from .workers import Task, TaskContext, TaskRunner

AUTOSAVE_MS = 1500
SEXES = [("", "—"), ("FEMALE", "Female"), ("MALE", "Male"), ("OTHER_SEX", "Other"), ("UNKNOWN_SEX", "Unknown")]
SEX_WORDS = {value: label.lower() for value, label in SEXES if value}
VCF_SUFFIXES = (".vcf", ".vcf.gz", ".vcf.bgz", ".bcf")
UNDO_TIPS = {"Undo": "Undo the last change to features, header or VCF", "Redo": "Redo the change undone"}
SAVE_FAILED = "the case could not be saved"  # starts the status line while the open case's saves fail
CANCELLABLE = ("analyse", "load-vcf", "rebuild-kb")  # the long steps that check for a cancel
# tasks that only read (the knowledge base and models loading, a VCF read, look-ups) and whose outcome a closed
# window no longer wants: closing does not wait for them
READING = ("load-kb", "warm-up", "load-vcf", "vcf-header", "search", "extract")
DEFAULT_SIZE = (1366, 768)
# the frame and title bar the window manager adds around the window (not part of its size): about 8 px a side and
# a 30-40 px title bar on Windows and the usual Linux desktops
FRAME_ROOM = (16, 48)
DOCK_WIDTH = 230  # the case list's width in a window of the default size


def load_engine(kb_path: str | None, device: str, ctx: TaskContext,
                exclude_pmids: frozenset[str] = frozenset()) -> Any:
    """Open the KB and load what the first interactions need (worker thread)."""
    from ..engine import Engine

    engine = Engine(kb_path or None, device=device, progress=ctx.progress, exclude_pmids=exclude_pmids)
    if not engine.kb_path.exists():
        ctx.progress("First start: building the knowledge base from the bundled HPO release (about 20 s)", 0.0)
    else:
        ctx.progress("Opening the knowledge base", 0.1)
    _ = engine.db
    ctx.progress("Loading the ontology", 0.4)
    _ = engine.ontology
    ctx.progress("Loading term search", 0.7)
    _ = engine.search
    ctx.progress("Knowledge base ready", 1.0)
    return engine


def warm_up(engine: Any, ctx: TaskContext) -> str:
    """Load the note extractor and the ranker (with its model) in the background, so the first extraction and
    analysis are quick; returns the device the model runs on."""
    ctx.progress("Preparing term extraction", 0.2)
    _ = engine.extractor
    ctx.progress("Preparing the ranking", 0.6)
    return engine.ranker.device


def open_store() -> Any:
    from ..store import CaseStore

    return CaseStore()


def run_analysis(engine: Any, case: Case, ped: str | None, genomics: Any, top: int, ctx: TaskContext) -> Any:
    """raretrace.analysis on the case as shown (its VCF, build, sample; the PED file), on a worker thread.

    A VCF already loaded on the Genomics tab (`genomics`, reset whenever the file, build or sample changes) is
    ranked as it is instead of being read again.
    """
    ctx.progress("Ranking diseases and genes", 0.05)
    from ..analysis import run_analysis as analyse

    return analyse(engine, case, ped=ped, top=top, progress=ctx.progress, cancel=ctx.cancelled,
                   genomics=genomics if case.vcf is not None else None)


def not_deleted(case_id: str) -> str:
    """How the status line starts while a deletion of `case_id` has failed."""
    return f"case {case_id} could not be deleted"


def cut_middle(text: str, limit: int) -> str:
    """`text`, or its start and end around "…" where it is longer than `limit` characters."""
    return text if len(text) <= limit else text[: (limit - 1) // 2] + "…" + text[-(limit // 2):]


def breakable(text: str, run: int = 24) -> str:
    """`text` with a zero-width space in each run of `run` characters without a space: a message box lays out an
    unbroken word on one line, and one wider than the box (a long case ID) was cut at its edge, with what followed."""
    return re.sub(rf"\S{{{run}}}(?=\S)", lambda m: m.group(0) + "\u200b", text)


def first_size(available: QSize) -> tuple[int, int]:
    """The window's size on its first start: the default, less where the screen's free area (less the window
    frame, a taskbar) is smaller, so that a 1024×768 or 1280×720 screen, or a laptop at 150 % scaling, shows all of
    it, the status bar with Analyse included. Qt keeps it at least the window's minimum size."""
    return (min(DEFAULT_SIZE[0], available.width() - FRAME_ROOM[0]),
            min(DEFAULT_SIZE[1], available.height() - FRAME_ROOM[1]))


def first_dock_width(window_width: int) -> int:
    """The case list's width in the first window: its share of the default size, so that a window narrowed for a
    small screen narrows the list too (Qt keeps it at least its minimum). At a full 230 px on a 1024-px screen the
    patient header was left no room for its summary (the counts of features, the VCF's name)."""
    return round(DOCK_WIDTH * window_width / DEFAULT_SIZE[0])


class CaseState:
    """(revision, inputs) of a case as saved for an analysis, handed from the saver's thread to the analysis's."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._value: tuple[int, dict] | None = None

    def set(self, value: tuple[int, dict] | None) -> None:
        if not self._event.is_set():
            self._value = value
            self._event.set()

    def wait(self, seconds: float = 600.0) -> tuple[int, dict] | None:
        return self._value if self._event.wait(seconds) else None


UNBOUNDED = 16777215  # Qt's QWIDGETSIZE_MAX, which PySide does not export


class MessageStatusBar(QStatusBar):
    """The status bar. A temporary message too long for the room left of the permanent labels takes room from
    `yielding` (down to its least width: its text is whole in its tooltip); what still does not fit ends with "…"
    and is whole in the bar's tooltip. Qt drew it up to the next label and cut it there through a letter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.yielding: QWidget | None = None
        self.messageChanged.connect(self._shown)

    def _shown(self, text: str) -> None:
        self._make_room()
        self.setToolTip(text)  # the message whole, however much of it the bar has room for

    def message_room(self) -> QRect:
        """Where the message is drawn: from the left (as Qt does) to just before the first permanent widget shown
        (the others are hidden while a message shows)."""
        right = self.width() - 12
        shown = [w for w in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                 if w.isVisible() and not isinstance(w, QSizeGrip)]
        if shown:
            right = min(right, min(w.x() for w in shown) - 2)
        return QRect(6, 0, right - 6, self.height())

    def shown(self) -> str:
        """The message as drawn in its room."""
        return self.fontMetrics().elidedText(self.currentMessage(), Qt.TextElideMode.ElideRight,
                                              self.message_room().width())

    def _make_room(self) -> None:
        label = self.yielding
        if label is None:
            return
        message = self.currentMessage()
        # the label's right edge stays: the widgets right of it keep their widths
        keep = label.geometry().right() + 1 - (6 + self.fontMetrics().horizontalAdvance(message) + 2
                                               + self.layout().spacing())
        least = label.minimumSizeHint().width()
        label.setMaximumWidth(UNBOUNDED if not message or keep >= label.sizeHint().width() else max(least, keep))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._make_room()

    def paintEvent(self, event: QPaintEvent) -> None:
        message = self.currentMessage()
        if not message or self.shown() == message or self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            super().paintEvent(event)
            return
        painter = QPainter(self)  # as QStatusBar paints, with the message elided
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter, self)
        painter.setPen(self.palette().windowText().color())
        painter.drawText(self.message_room(), int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
                                                  | Qt.TextFlag.TextSingleLine), self.shown())
        painter.end()


class PatientHeader(QFrame):
    """Case ID (fixed), patient ID, sex and age of the open case; edits go to the document."""

    invalid = Signal(str)  # a typed value that was not taken, and why
    typing = Signal()  # text typed in a field and not yet committed: the window autosaves it like any edit

    def __init__(self, document: CaseDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("patientHeader")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.setSpacing(2)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(layout)
        self._row = layout
        # a long case ID, or any at the window's least width, is cut in its middle (whole in its tooltip and in the
        # window's title): the header keeps room for the counts of features on a 1024-px screen at 11 pt
        self.case_id = FittedLabel(mode=Qt.TextElideMode.ElideMiddle, fewest=8)
        self.case_id.setObjectName("caseId")
        self.case_id.setAccessibleName("Case ID")
        self.case_id.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.case_id.setTextFormat(Qt.TextFormat.PlainText)  # an ID such as "A<b>1" is text, not markup
        self._shown_id = ""
        self.case_id.setMaximumWidth(210)
        self.subject = QLineEdit()
        self.subject.setObjectName("patientId")
        self.subject.setAccessibleName("Patient ID")
        self.subject.setPlaceholderText("patient / subject ID")
        self.subject.setMaximumWidth(190)
        self.subject.setMinimumWidth(100)
        self.sex = QComboBox()
        self.sex.setAccessibleName("Sex")
        for value, label in SEXES:
            self.sex.addItem(label, value)
        self.age = QLineEdit()
        self.age.setAccessibleName("Age at the last encounter, e.g. 4 years 6 months")
        self.age.setPlaceholderText("e.g. 4y 6m")
        self.age.setMaximumWidth(140)
        self.age.setMinimumWidth(72)
        self.age.setToolTip("Age at the last encounter in years, months, weeks or days (4 years 6 months, 4y 6m, "
                            "18 months); stored in the phenopacket as an ISO 8601 duration (P4Y6M)")
        # a narrow window cuts its end ("…"), whole in its tooltip: it was clipped at its start ("‹ome.vcf.gz")
        self.summary = FittedLabel("")
        self.summary.setObjectName("headerSummary")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # never widens the window: where the fields leave it too little room it goes under them (_place_summary)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # it names the VCF file as the lab named it
        title = QLabel("<b>Case</b>")
        layout.addWidget(title)
        layout.addWidget(self.case_id)
        for text, widget in (("Patient", self.subject), ("Sex", self.sex), ("Age", self.age)):
            layout.addSpacing(10)  # between fields only: the header fits a 1024-px screen at 11 pt with its counts
            label = QLabel(f"<b>{text}</b>")
            label.setBuddy(widget)
            layout.addWidget(label)
            layout.addWidget(widget)
        # the note's own statement of the patient's age or sex ("a 7-year-old girl"), offered for the fields that
        # are empty; never over what the clinician entered. Always whole (squeezed, "Not…ale" said nothing): beside
        # the Age field where the row has room for it, else on the line under the fields (_place_summary)
        self.from_note = QToolButton()
        self.from_note.setObjectName("fromNote")
        self.from_note.hide()
        self.from_note.clicked.connect(self.use_note)
        self._counts_width = 0  # the summary's counts of features, "9 present · 8 excluded…"
        self._stated: Any = None  # what the note says (text.patient.StatedPatient), read after typing pauses
        self._note_timer = QTimer(self, singleShot=True, interval=300)
        self._note_timer.timeout.connect(self._read_note)
        layout.addWidget(self.from_note)
        layout.addWidget(self.summary, 1)
        self._below = QHBoxLayout()  # the line under the fields: the offer and the summary where the row is too narrow
        self._below.setContentsMargins(0, 0, 0, 0)
        self._below.setSpacing(12)  # (the summary and the note's warning side by side)
        outer.addLayout(self._below)
        # where the note's age or sex contradicts the case's ("3-year-old girl", recorded male): said under the
        # fields, never changing them (the clinician decides which is right); whole in its tooltip. On the line of
        # the offer and the summary where the window is too narrow for them beside the fields (a 540-px-high
        # screen is 960 px wide at 200 %: a line of its own made the window taller than that screen)
        self.note_differs = FittedLabel(fewest=30)
        self.note_differs.setObjectName("noteDiffers")
        self.note_differs.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the note
        self.note_differs.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.note_differs.hide()
        self._below.addWidget(self.note_differs, 1)
        self.subject.editingFinished.connect(self.commit)
        self.subject.textEdited.connect(lambda _t: self.typing.emit())
        self.sex.currentIndexChanged.connect(lambda _i: self.document.set_header(sex=self.sex.currentData()))
        self.age.editingFinished.connect(self.commit)
        self.age.textEdited.connect(lambda _t: self.typing.emit())
        document.header_changed.connect(self.refresh)
        document.phenotypes_changed.connect(self.refresh)
        document.genomics_changed.connect(self.refresh)
        document.note_changed.connect(self._note_timer.start)
        self.age.textChanged.connect(lambda _t: self._offer())
        self.refresh()

    def _read_note(self) -> None:
        from ..text.patient import StatedPatient, stated_patient

        note = self.document.note
        self._stated = stated_patient(note) if note.strip() else StatedPatient()
        self._offer()

    def offered(self) -> tuple[str | None, str | None]:
        """(age, sex) the note states for the header's fields that are empty."""
        stated, case = self._stated, self.document.case
        if stated is None:
            return None, None
        age = stated.age if not case.age and not self.age.text().strip() else None
        return age, (stated.sex if not case.sex else None)

    def contradictions(self) -> list[Any]:
        """Where the note's age or sex contradicts what the case records (text.patient.Contradiction)."""
        from ..text.patient import note_contradictions

        if self._stated is None:
            return []
        return note_contradictions(self._stated, self.document.case.sex, self.document.case.age)

    def _warn(self) -> None:
        from ..text.patient import contradictions_said

        found = self.contradictions()
        text = contradictions_said(found)
        self.note_differs.setText(f"⚠ {text}: check which is right" if found else "")
        self.note_differs.setStyleSheet(f"QLabel {{ color: {tone(self, CAUTION)}; }}")
        self.note_differs.setToolTip(plain_tip(text + ". The case's values are used; change them in the fields "
                                               "above if the note is right.") if found else "")
        self.note_differs.setAccessibleName(text)
        self.note_differs.setVisible(bool(found))

    def _offer(self) -> None:
        self._warn()
        age, sex = self.offered()
        words = [w for w in (age_words(age) if age else "", SEX_WORDS.get(sex or "", "")) if w]
        if words:
            said = ", ".join(words)
            self.from_note.setText(f"Note: {said}")  # short: the header fits a 1024-px screen
            self.from_note.setAccessibleName(f"Use the note's {said} for the empty header fields")
            fields = [n for n, v in (("Age", age), ("Sex", sex)) if v]
            self.from_note.setToolTip(f"The clinical note says the patient is {said}: click to fill the empty "
                                      f"{' and '.join(fields)} field{'s' if len(fields) > 1 else ''} (a value you "
                                      "entered is never replaced)")
        self.from_note.setVisible(bool(words))
        self._place_summary()  # placed by its new text's width; the offer takes room from the counts beside it

    def use_note(self) -> None:
        """Fill the empty age and sex fields with what the note states (one undo step)."""
        self.commit(typing=True)  # an age being typed is the clinician's; it is taken as typed, or left to finish
        self._read_note()  # as the note reads now, not as the last pause in typing left it
        age, sex = self.offered()
        if age or sex:
            self.document.set_header(age=age, sex=sex)

    def commit(self, typing: bool = False) -> None:
        """Hand what was typed to the document (also before New, Open, switching case or closing, when the field
        still has the focus). An age that reads as neither words (4 years 6 months) nor an ISO 8601 duration is not
        taken and `invalid` says why.

        `typing`: the autosave while the clinician may still be typing. What reads as a value is taken and the
        fields are left as typed (still modified: Enter or leaving the field commits them as usual); an age not
        yet complete ("4 ye") waits without a word."""
        # Both read first: a change to one refreshes the header from the document, which resets the other field.
        subject = self.subject.text() if self.subject.isModified() else None
        age = self.age.text().strip() if self.age.isModified() else None
        iso = parse_age(age) if age else age  # "" clears the age
        if typing:
            if subject is not None or iso is not None:
                self.document.set_header(subject_id=subject, age=iso)  # modified fields are not redrawn
            return
        self.subject.setModified(False)
        self.age.setModified(False)
        if age and iso is None:
            self.invalid.emit(f"age {age!r} not taken: write it in years, months, weeks or days, e.g. 4 years 6 "
                              "months (or as an ISO 8601 duration, P4Y6M)")
            self._show_age(self.document.case.age)  # the field shows what is stored
        if subject is not None or iso is not None:
            self.document.set_header(subject_id=subject, age=iso)
            if iso:
                self._show_age(self.document.case.age)  # in words, also when typing had already stored it

    def _show_age(self, iso: str | None) -> None:
        self.age.setText(age_words(iso) if iso else "")
        self.age.setToolTip(self.age.toolTip().split("\n")[0] + (f"\nStored as {iso}" if iso else ""))

    def refresh(self) -> None:
        case = self.document.case
        same_case = case.id == self._shown_id
        self._shown_id = case.id
        self.case_id.setText(case.id)
        self.case_id.setToolTip(plain_tip(f"{case.id}: the case's key in the case store"))
        # A field being typed in keeps its text while the same case changes elsewhere (a VCF dropped, the sex
        # chosen with the wheel): it is committed on Enter, on leaving it, or before analysing, saving or switching.
        # setText also clears isModified: only typing commits.
        if not (same_case and self.subject.isModified()):
            self.subject.setText(case.subject_id)
        self.sex.blockSignals(True)
        self.sex.setCurrentIndex(max(0, self.sex.findData(case.sex or "")))
        self.sex.blockSignals(False)
        if not (same_case and self.age.isModified()):
            self._show_age(case.age)
        if not same_case:
            self._stated = None  # another case's note: read again once its note is shown
            self._note_timer.start()
        self._offer()
        vcf = self.document.vcf
        parts = [f"{len(case.present)} present", f"{len(case.excluded)} excluded"]
        name = Path(vcf.path).name if vcf else ""
        self._counts_width = self.summary.fontMetrics().horizontalAdvance(" · ".join(parts) + "…") + 2
        parts.append(f"VCF {name if len(name) <= 40 else name[:18] + '…' + name[-18:]}" if vcf else "no VCF")
        self.summary.setText(" · ".join(parts))
        self._place_summary()

    def _place_summary(self) -> None:
        """The note's offer, then the summary's counts of features (what the analysis will use), each whole (the
        VCF's name gives way first): beside the fields where the row leaves them room, else on the line under the
        fields. Kept beside them, they set the window's least width: the counts 1,080 px at 13 pt, the offer
        (squeezed to "Not…ale") 929 px."""
        margins = self.layout().contentsMargins()
        room = (self.contentsRect().width() - margins.left() - margins.right() - self._fields_width()
                - self._row.spacing())
        if not self.from_note.isHidden():
            offer = self.from_note.sizeHint().width()
            self._put(self.from_note, room >= offer)
            if self._beside(self.from_note):
                room -= offer + self._row.spacing()
        self._put(self.summary, room >= self._counts_width)
        self.summary.setMinimumWidth(self._counts_width if self._beside() else 0)

    def _put(self, widget: QWidget, beside: bool) -> None:
        """Move the offer or the summary beside the fields or under them (the offer left of the summary)."""
        if beside == self._beside(widget):
            return
        (self._below if beside else self._row).removeWidget(widget)
        line = self._row if beside else self._below
        # the offer left of the summary, both left of the note's warning (which stays on the line under the fields)
        at = [i for i in (line.indexOf(self.summary) if widget is self.from_note else -1,
                          line.indexOf(self.note_differs)) if i >= 0]
        line.insertWidget(min(at) if at else line.count(), widget, 0 if widget is self.from_note else 1)

    def _beside(self, widget: QWidget | None = None) -> bool:
        return self._row.indexOf(widget or self.summary) >= 0

    def _fields_width(self) -> int:
        """The least width of the row of fields, without the note's offer and the summary beside them."""
        width = self._row.minimumSize().width()
        if self._beside():
            width -= self.summary.minimumWidth() + self._row.spacing()
        if self._beside(self.from_note) and not self.from_note.isHidden():
            width -= self.from_note.sizeHint().width() + self._row.spacing()
        return width

    def minimumSizeHint(self) -> QSize:
        # the fields' least width: narrower than the summary beside them needs, the summary goes under them
        hint = super().minimumSizeHint()
        margins = self.layout().contentsMargins()
        frame = self.width() - self.contentsRect().width()
        return QSize(self._fields_width() + margins.left() + margins.right() + frame, hint.height())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._place_summary()


class MainWindow(QMainWindow):
    engine_ready = Signal(object)
    analysis_done = Signal(object)
    saved = Signal(str)

    def __init__(self, prefs: Preferences | None = None, *, kb_path: str | None = None, device: str | None = None,
                 exclude_pmids: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.prefs = prefs or Preferences()
        # --kb, then RARETRACE_KB, as for every command; the path saved in Settings only where neither is given (it
        # holds the path of the last session, which may have been an earlier RARETRACE_KB)
        self.kb_path = kb_path or os.environ.get("RARETRACE_KB") or self.prefs.kb_path or None
        self.device = device or self.prefs.device
        self.exclude_pmids = exclude_pmids  # the demo session leaves the demo patient's paper out of the library
        self.engine: Any = None
        self.store: Any = None
        self.runner = TaskRunner(self)
        self.saver = TaskRunner(self, pool=QThreadPool(self, maxThreadCount=1))  # case-store saves, in order
        self._saves = 0
        self.document = CaseDocument(parent=self)
        self._pending_open: tuple[str, str] | None = None
        self._store_tried = False  # the case store has opened or failed to (a file given at start-up waits for it)
        self._analyse_when_loaded = False
        self._analyse_when_read = False  # Analyse was pressed while the Genomics tab read the case's VCF
        self._preloaded: Any = None
        self._errors: list[str] = []
        # (message, the case's input edits then) of an error about what was entered (nothing to analyse, a file that
        # is no VCF, an analysis that failed): the status line stops saying it once those inputs are edited
        self._input_error: tuple[str, int] | None = None
        self._last_error_at = 0.0
        self._unsaved: set[str] = set()  # cases whose last save failed (written from the saver's thread)
        # case ID -> the store revision this window's version of it is based on (0: not stored); a save based on an
        # older revision than the store's is refused (StoreConflict) instead of overwriting another window's work
        self._base_revision: dict[str, int] = {}
        # case ID -> the creation marker of the stored case that revision belongs to: a case deleted elsewhere and
        # another stored under its ID since (imported again) starts at revision 1 again, and is no base of this one
        self._base_creation: dict[str, str] = {}
        # the case the window starts on is new, like one from New case: a case of its ID in the store (a window
        # started in the same second saved it) is another's, never to be overwritten without asking
        self._base_revision[self.document.case.id] = 0
        # case ID -> (its latest version, the conflict) while the clinician has not settled a StoreConflict
        self._conflicts: dict[str, tuple[Case, StoreConflict]] = {}
        # case ID -> (the copy its conflict was settled into, the last save queued then): saves of the case queued
        # before the clinician chose "keep both" and not yet run go to that copy, not into a second conflict
        self._copied: dict[str, tuple[str, int]] = {}
        # case ID -> the last save queued when the clinician closed it, deleted elsewhere: those saves are dropped
        self._closed: dict[str, int] = {}
        # the saver's thread reads and holds saves behind `_conflicts` and `_copied` while the window settles them:
        # a conflict stays in `_conflicts` until its settlement is recorded, and both change under this lock
        self._conflict_lock = threading.Lock()
        self._settling: set[str] = set()  # case IDs whose conflict the clinician is being asked about
        self._waiting_for_saves = False  # leaving the case waits for its saves (SaveWaitDialog)
        self._stay_on_case = False  # ... and the clinician cancelled a conflict asked about meanwhile
        # (case ID, its task: `ran` once its thread has returned) of each analysis started: its thread records it in
        # the store, which may wait for another program's write lock (BUSY_TIMEOUT_S) that closing must not wait for
        # unseen
        self._analyses: list[tuple[str, Task]] = []
        self._told_changed: tuple[str, int] | None = None  # (case ID, revision) said to be changed elsewhere
        self._case_said: str | None = None  # the status bar's message about the case shown (_say_of_case)
        self.setWindowTitle("RareTrace")
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self._build()
        self._build_actions()
        self._build_status()
        self.document.changed.connect(self._schedule_autosave)
        self._last_said: tuple[str, str, int | None] | None = None  # the stored analysis shown: case, words, edits
        self.document.changed.connect(self._last_analysis_edited)
        self.document.changed.connect(self._inputs_edited)
        self.document.undo_changed.connect(self._undo_changed)
        self.results.variant_requested.connect(self._show_variant)
        self._undo_changed()
        self.document.header_changed.connect(self._update_title)
        self.document.result_changed.connect(self._result_changed)
        self._autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(lambda: self.autosave(typing=True))
        geometry, state = self.prefs.window_state()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*first_size(self.screen().availableGeometry().size()))
            self.resizeDocks([self.cases_dock], [first_dock_width(self.width())], Qt.Orientation.Horizontal)
        if state is not None:
            self.restoreState(state)
        self._update_title()
        self._result_changed()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        self.header = PatientHeader(self.document)
        self.header.invalid.connect(self._header_invalid)
        self.header.typing.connect(self._schedule_autosave)
        layout.addWidget(self.header)
        self.tabs = PanelTabs()  # each panel scrolls in a window shorter than it: a large font on a small screen
        self.tabs.setObjectName("panels")
        self.tabs.setDocumentMode(True)
        self.phenotypes = PhenotypesPanel(self.document, self.runner)
        self.genomics = self._make_genomics()
        self.results = ResultsPanel(self.document, self.runner)
        self.report = ReportPanel(self.document, self.runner, self.prefs)
        self.results.inputs = self.report.inputs = self.export_inputs
        self.report.commit_typing = self._commit_typing
        self.tabs.addTab(self.phenotypes, "&Phenotypes")
        self.tabs.addTab(self.genomics, "&Genomics")
        self.tabs.addTab(self.results, "&Results")
        self.tabs.addTab(self.report, "Rep&ort")  # Alt+O: Alt+P is Phenotypes
        for panel in (self.results, self.report, self.genomics):
            if hasattr(panel, "failed"):
                panel.failed.connect(self.show_error)
            if hasattr(panel, "message"):
                panel.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        # a VCF read, or no VCF any more: an error about an earlier attempt no longer stands in the status bar
        self.genomics.loaded.connect(lambda _g: self.task_label.setText("Ready"))
        self.genomics.progress_changed.connect(self._progress)
        self.genomics.load_cancelled.connect(lambda: self.task_label.setText("Loading the VCF cancelled"))
        self.genomics.load_cancelled.connect(self._stop_waiting_for_vcf)
        self.genomics.failed.connect(lambda _m: self._stop_waiting_for_vcf())
        self.genomics.failed.connect(self._input_failed)
        self.document.genomics_changed.connect(self._vcf_changed)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.cases = CaseListPanel(self.runner)
        self.cases.new_requested.connect(self.new_case)
        self.cases.open_file_requested.connect(self.open_file_dialog)
        self.cases.open_requested.connect(self.open_stored_case)
        self.cases.delete_requested.connect(self.delete_case)
        self.cases.menu_requested.connect(self._show_case_menu)
        # the list marks the case the header shows, whatever changed its ID (opened, a new case, renamed as a copy
        # or when the store opened): the two never name different cases
        self.document.header_changed.connect(lambda: self.cases.mark_current(self.document.case.id))
        self.case_menu = QMenu(self)  # the case list's context menu, filled for the case it is opened on
        self.case_menu.setObjectName("caseMenu")
        self.case_menu.setToolTipsVisible(True)  # why an action is unavailable
        dock = QDockWidget("Cases", self)
        dock.setObjectName("casesDock")
        dock.setWidget(self.cases)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.resizeDocks([dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        self.cases_dock = dock

    def _make_genomics(self) -> QWidget:
        from .genomics import GenomicsPanel

        return GenomicsPanel(self.document, self.runner, self.prefs)

    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)  # every binding of the platform (Redo: Ctrl+Y and Ctrl+Shift+Z)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.new_action = self._action("&New case", self.new_case, K.New, "Start a new case")
        self.open_action = self._action("&Open phenopacket…", self.open_file_dialog, K.Open, "Open a phenopacket JSON file")
        self.save_action = self._action("&Save", self.save_now, K.Save, "Save the case to the case store")
        self.export_case_action = self._action(
            "E&xport phenopacket…", self.export_phenopacket, "Ctrl+Shift+S", "Write the case as a phenopacket JSON file"
        )
        self.vcf_action = self._action("Load &VCF…", self.genomics.choose_vcf, "Ctrl+L", "Choose the patient's VCF")
        self.export_action = self._action("&Export report PDF…", lambda: self.report.export(), "Ctrl+E", "Write the PDF report")
        self.print_action = self._action("&Print report…", lambda: self.report.print_report(), K.Print, "Print the report")
        self.settings_action = self._action("Se&ttings…", self.open_settings, "Ctrl+,", "Device, knowledge base, report defaults")
        self.quit_action = self._action("&Quit", self.close, K.Quit)
        self.undo_action = self._action("&Undo", self.undo, K.Undo, UNDO_TIPS["Undo"])
        self.redo_action = self._action("&Redo", self.redo, K.Redo, UNDO_TIPS["Redo"])
        self.find_action = self._action("&Find HPO term", self._find_term, K.Find, "Search the HPO (label, synonym, ID)")
        self.find_case_action = self._action("Find &case", self._find_case, "Ctrl+Shift+F", "Search the case list")
        # no window-wide shortcut (Delete removes the features selected in their list): Delete in the case list
        # deletes its row's case (CaseListPanel), after the same confirmation naming it
        self.delete_case_action = self._action("&Delete case…", self._delete_from_menu,
                                               tip="Remove the case and its analyses from the case store (Delete "
                                                   "in the case list)")
        self._delete_target: str | None = None  # the case the case list's menu was opened on (None: the open case)
        self.analyse_action = self._action("&Analyse", self.analyse, "Ctrl+R", "Rank diseases and genes for this case")
        self.cancel_action = self._action("&Cancel running task", self.cancel_tasks, "Esc", "Cancel the running task")
        self.guide_action = self._action("&User guide", self.show_user_guide, K.HelpContents,
                                         "How to use RareTrace, offline")
        self.shortcuts_action = self._action("&Keyboard shortcuts", self.show_shortcuts,
                                             tip="Every keyboard shortcut of the window")
        self.sources_action = self._action("&Data sources and licences", self.show_data_sources,
                                           tip="Where RareTrace's knowledge comes from, and its licences")
        self.about_action = self._action("&About RareTrace", self.about)
        self._help_pages: dict[str, QWidget] = {}  # open help dialogs, by page: a second press raises the first

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.aboutToShow.connect(lambda: self._aim_delete(None))
        file_menu.setToolTipsVisible(True)  # why Delete case is unavailable
        for action in (self.new_action, self.open_action):
            file_menu.addAction(action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.export_case_action)
        file_menu.addSeparator()
        file_menu.addAction(self.vcf_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        file_menu.addAction(self.delete_case_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.find_case_action)
        analysis_menu = bar.addMenu("&Analysis")
        analysis_menu.addAction(self.analyse_action)
        analysis_menu.addAction(self.cancel_action)
        view_menu = bar.addMenu("&View")
        for n in range(self.tabs.count()):  # named as the tabs, with the letter of their Alt key
            view_menu.addAction(self._action(self.tabs.tabText(n), lambda i=n: self.tabs.setCurrentIndex(i),
                                             f"Ctrl+{n + 1}"))
        view_menu.addSeparator()
        cases = self.cases_dock.toggleViewAction()
        cases.setText("&Cases")  # the dock's title is its text, which has no letter to underline
        view_menu.addAction(cases)
        help_menu = bar.addMenu("&Help")
        for action in (self.guide_action, self.shortcuts_action, self.sources_action):
            help_menu.addAction(action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _build_status(self) -> None:
        status = MessageStatusBar()
        self.setStatusBar(status)
        self.task_label = FittedLabel("")
        self.task_label.setTextFormat(Qt.TextFormat.PlainText)  # errors and progress quote file names and content
        self.progress = QProgressBar()
        self.progress.setObjectName("taskProgress")
        self.progress.setAccessibleName("Progress of the running task")
        self.progress.setMaximumWidth(180)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setAccessibleName("Cancel the running task")
        self.cancel_button.clicked.connect(self.cancel_tasks)
        self.cancel_button.hide()
        self.device_label = QLabel(f"Device: {self.device}")
        self.device_label.setObjectName("deviceLabel")
        self.device_label.setToolTip("Where the ranking model runs; the device actually used shows after an analysis")
        self.release_label = FittedLabel("Knowledge base: loading…")
        self.release_label.setObjectName("releaseLabel")
        self.analyse_button = QPushButton("Analyse (Ctrl+R)")
        self.analyse_button.setObjectName("analyseButton")
        self.analyse_button.setAccessibleName("Analyse the case")
        self.analyse_button.clicked.connect(self.analyse)
        self.analyse_button.setEnabled(False)
        self.store_label = FittedLabel("")  # stays on screen while cases cannot be saved
        self.store_label.setObjectName("storeLabel")
        self.store_label.setStyleSheet(f"color: {tone(self, ALERT)}; font-weight: bold")
        self.store_label.setVisible(False)
        status.addWidget(self.task_label, 1)
        status.addPermanentWidget(self.store_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.release_label)
        status.yielding = self.release_label  # what it says stays in its tooltip while a message is shown
        status.addPermanentWidget(self.device_label)
        status.addPermanentWidget(self.analyse_button)
        # Tab in reading order: the case list, the patient fields, the panel, then the status bar's Cancel and
        # Analyse (bottom right). Qt chains widgets as they are made: the status bar, made after the case list, put
        # Analyse between the list and the fields at the top. Placed after the panels' last Tab stop (Qt ignores a
        # widget without Tab focus there).
        central, widget = self.centralWidget(), self.centralWidget()
        last = widget
        while central.isAncestorOf(widget := widget.nextInFocusChain()):
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                last = widget
        QWidget.setTabOrder(last, self.cancel_button)
        QWidget.setTabOrder(self.cancel_button, self.analyse_button)
        self.runner.tasks_changed.connect(self._tasks_changed)

    # ------------------------------------------------------------------ startup

    def start(self, case_path: str | None = None, engine: Any = None, analyse: bool = False) -> None:
        """Called once the window is shown: after its first paint, load the knowledge and the case store on workers.

        `engine`: an Engine already loaded in this process (a second window, the tests) instead of loading one.
        `analyse`: analyse the opened case as soon as it (and its VCF, if any) is loaded — the demo does.
        """
        self._preloaded = engine
        self._analyse_when_loaded = analyse
        if case_path:
            self._pending_open = ("file", case_path)
        self.task_label.setText("Loading the knowledge base…")
        # Two passes of the event loop first, so the window is drawn before the loading competes for the CPU.
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, self._start_loading))

    def _start_loading(self) -> None:
        kb_path, device, exclude = self.kb_path, self.device, self.exclude_pmids
        if self._preloaded is not None:
            self.runner.start("load-kb", lambda ctx: self._preloaded, on_done=self._engine_loaded)
        else:
            self.runner.start(
                "load-kb",
                lambda ctx: load_engine(kb_path, device, ctx, exclude),
                on_done=self._engine_loaded,
                on_failed=self._engine_failed,
                on_progress=self._progress,
            )
        self.runner.start("open-store", lambda ctx: open_store(), on_done=self._store_opened, on_failed=self._store_failed)

    def _store_opened(self, store: Any) -> None:
        self.store = store
        self.cases.set_store(store)
        # the case the window started on took its ID (the time to the second) before the store could be asked: a
        # window closed in that second stored a case of that ID, so this one, never stored, takes a free ID now
        # rather than meet that other case as a conflict at its first save
        start_id = self.document.case.id
        if self._base_revision.get(start_id) == 0 and not self._saves and start_id in store:
            free = new_case_id(lambda i: i in store)
            self.document.rename(free)
            self._base_revision[free] = 0
        if getattr(store, "read_only", None):  # readable only (a read-only folder or file, a full disk): say why
            self.store_label.setText(f"⚠ Not saved: case store read-only ({store.read_only})")
            self.store_label.setVisible(True)
        self._store_tried = True
        self._schedule_autosave()
        self._open_pending()

    def _store_failed(self, message: str) -> None:
        self.show_error(f"{message} — cases are not saved until this is fixed; export each case "
                        "(File → Export phenopacket) to keep it")
        self.store_label.setText("⚠ Not saved: case store unavailable")
        self.store_label.setVisible(True)
        self._store_tried = True
        self._open_pending()

    def _engine_loaded(self, engine: Any) -> None:
        self.engine = engine
        self.phenotypes.set_engine(engine)
        self.genomics.set_engine(engine)
        self.analyse_button.setEnabled(True)
        self._show_release()
        self.task_label.setText("Ready")
        self.runner.start("warm-up", lambda ctx: warm_up(engine, ctx), on_done=self._show_device, on_failed=lambda _m: None)
        self.engine_ready.emit(engine)
        self._open_pending()

    def _open_pending(self) -> None:
        """Open the file given at start-up, once the knowledge base is loaded and the case store opened (or failed
        to: opened before it, a case already stored was taken from the file without a word, its stored edits
        dropped); while the window waits for a save (leaving the first case, the store busy), once that wait is
        over: the case could not be left then."""
        if self._pending_open and self.engine is not None and self._store_tried and not self._waiting_for_saves:
            kind, target = self._pending_open
            self._pending_open = None
            if kind == "file":
                opened = self.open_file(target)
                if self._analyse_when_loaded:
                    self._analyse_when_loaded = False
                    if not opened:  # failed (its error shown) or cancelled: the case showing is not the one asked for
                        self.task_label.setText(f"{Path(target).name} did not open, so it was not analysed")
                    elif self.runner.is_running("vcf-header") or self.runner.is_running("load-vcf"):
                        # analysed once its VCF is read; a loading cancelled or failed, or another case opened,
                        # ends the wait (_stop_waiting_for_vcf), so no later VCF starts an analysis unasked
                        self._analyse_when_read = True
                        self.genomics.loaded.connect(self._analyse_read_vcf)
                    else:
                        self.analyse()

    def _show_release(self) -> None:
        from ..kb import outdated_build_warning, stale_release_warning

        prov = self.engine.provenance
        release = prov.get("hpo_release", "") or "unknown"
        n_cases = prov.get("case_library_cases")
        updated = (prov.get("case_library_updated") or "")[:10]
        text = f"HPO {release}"
        if n_cases:
            text += f" · case library {int(n_cases):,} cases ({updated})"
        # a KB an earlier RareTrace built is said before the release's age: a rebuild from any release mends both
        outdated, stale = outdated_build_warning(prov), stale_release_warning(release)
        if outdated:
            tip, said = outdated + ".", "the knowledge base was built by an earlier RareTrace; rebuild it"
        elif stale:
            tip, said = stale + ". Settings → Rebuild from an HPO release.", f"the HPO release {release} is over 12 months old"
        self.release_label.setText(("▲ " if outdated or stale else "") + text)
        if outdated or stale:
            self.release_label.setStyleSheet(f"QLabel {{ color: {tone(self, CAUTION)}; }}")
            self.release_label.setToolTip(tip[0].upper() + tip[1:])
            # after the label's text: the message takes room from it by its width
            self.statusBar().showMessage(f"Warning: {said} (see Settings)", 15000)
        else:
            self.release_label.setStyleSheet("")
            self.release_label.setToolTip(f"Knowledge base {self.engine.kb_path}")

    def _engine_failed(self, message: str) -> None:
        self.task_label.setText("The knowledge base is not available")
        self.release_label.setText("Knowledge base: unavailable")
        self.show_error(message + " — fix it in Settings (File → Settings)")

    def reload_engine(self, kb_path: str | None = None, device: str | None = None) -> None:
        if kb_path is not None:
            self.kb_path = kb_path or None
        if device is not None:
            self.device = device
            self.device_label.setText(f"Device: {device}")
        self.engine = None
        self.analyse_button.setEnabled(False)
        self.phenotypes.set_engine_ready(False)
        self.release_label.setText("Knowledge base: loading…")
        kb, dev, exclude = self.kb_path, self.device, self.exclude_pmids
        self.runner.start(
            "load-kb", lambda ctx: load_engine(kb, dev, ctx, exclude), on_done=self._engine_loaded,
            on_failed=self._engine_failed, on_progress=self._progress,
        )

    # ------------------------------------------------------------------ progress and errors

    def _progress(self, message: str, fraction: float) -> None:
        self.task_label.setText(message)
        self.progress.show()
        self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 1000))

    def _tasks_changed(self) -> None:
        """Progress and Cancel show while a task the user waits for runs (not for quick look-ups)."""
        running = [n for n in ("load-kb", "analyse", "load-vcf", "export-report", "rebuild-kb") if self.runner.is_running(n)]
        self.progress.setVisible(bool(running))
        self.cancel_button.setVisible(any(n in CANCELLABLE for n in running))
        if not running:
            self.progress.setValue(0)

    def cancel_tasks(self) -> None:
        for name in CANCELLABLE:
            self.runner.cancel(name)

    def show_error(self, message: str) -> None:
        now = time.monotonic()
        repeat = bool(self._errors) and now - self._last_error_at < 10 and (
            message.startswith(self._errors[-1][:60]) or self._errors[-1].startswith(message[:60]))
        self._last_error_at = now
        self._errors.append(message)
        self.task_label.setText(message)
        if not repeat:  # the same problem reported twice (its header, then its loading): one dialog
            show_error(self, message)

    def _input_failed(self, message: str) -> None:
        self._input_error = (message, self.document.input_edits)

    def _inputs_edited(self) -> None:
        """An error about the inputs as they were no longer stands in the status line once they change: "add at
        least one present feature" stayed beside the features added since."""
        if self._input_error is None or self._input_error[1] == self.document.input_edits:
            return
        message, self._input_error = self._input_error[0], None
        if self.engine is not None and self.task_label.text() == message:
            self.task_label.setText("Ready")

    # ------------------------------------------------------------------ cases

    def _header_invalid(self, message: str) -> None:
        self.task_label.setText(message)
        self._say_of_case(message, 15000)

    def _say_of_case(self, text: str, timeout_ms: int) -> None:
        """A status-bar message about the case shown ("Opened …", "Undone: …"): it goes when another case is shown."""
        self.statusBar().showMessage(text, timeout_ms)
        self._case_said = text

    def _forget_case_message(self) -> None:
        """Another case is shown: a message about the previous one no longer applies. It stayed up to 15 s ("x.json:
        no phenotypic features and no VCF" over a case with features), hiding the status line's news of the case
        opened ("Last analysed …"). Messages about the store or the knowledge base stay."""
        if self._case_said is not None and self.statusBar().currentMessage() == self._case_said:
            self.statusBar().clearMessage()
        self._case_said = None

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.document.case.id} — RareTrace")

    def _show_variant(self, chrom: str, pos: int) -> None:
        if self.genomics.select_variant(chrom, pos):
            self.tabs.setCurrentWidget(self.genomics)
        else:
            self._say_of_case(f"{chrom}:{pos} is not among the loaded candidate variants", 5000)

    def _vcf_changed(self) -> None:
        if self.document.vcf is None and self.engine is not None and self._errors and \
                self.task_label.text() == self._errors[-1]:
            self.task_label.setText("Ready")

    def undo(self) -> None:
        self.header.commit()  # a header field being typed is an edit to undo first
        self._history_step(self.document.undo, self.document.undo_text, "Undone", "Nothing to undo")

    def redo(self) -> None:
        self._history_step(self.document.redo, self.document.redo_text, "Redone", "Nothing to redo")

    def _history_step(self, step: Any, what: str, done: str, nothing: str) -> None:
        before = self.document.vcf.path if self.document.vcf else None
        if not step():
            self._say_of_case(nothing, 3000)
            return
        if what:
            self._say_of_case(f"{done}: {what}", 5000)
        if (self.document.vcf.path if self.document.vcf else None) != before:
            self.genomics.load_document()  # the Genomics tab shows the VCF the case has again

    def _undo_changed(self) -> None:
        doc = self.document
        for action, word, able, what in ((self.undo_action, "Undo", doc.can_undo, doc.undo_text),
                                         (self.redo_action, "Redo", doc.can_redo, doc.redo_text)):
            action.setEnabled(able)
            # the menu names the edit, as editors do; "&" in a feature's label is no mnemonic, a long one is cut
            shown = what if len(what) <= 60 else what[:59] + "…"
            action.setText(f"&{word}: {shown.replace('&', '&&')}" if what else f"&{word}")
            tip = f"{word} {what}" if what else UNDO_TIPS[word]
            action.setStatusTip(tip)
            action.setToolTip(tip)

    def new_case(self) -> None:
        if not self._may_leave_case():
            return
        self._show_new_case()

    def _show_new_case(self) -> None:
        store, current = self.store, self.document.case.id
        case_id = new_case_id(lambda i: i == current or (store is not None and i in store))
        self.load_case(Case(id=case_id))
        self._base_revision[case_id] = 0

    def load_case(self, case: Case, load_vcf: bool = False) -> None:
        """Show a case; `load_vcf`: also read its VCF's variants, once the header gave the samples and the build."""
        doc = self.document
        self._stop_waiting_for_vcf()  # an analysis asked for the case shown until now
        doc.case = case
        doc.note = kept_text(case, NOTE_KEY)
        doc.decisions = kept_note_decisions(case)  # rejected and noted as before: reviewed, not to review again
        doc.ped_path = kept_text(case, PED_KEY) or None
        doc.genomics = None
        doc.dirty = False
        doc.result = None
        doc.result_stale = False
        doc.reset_history()
        self.results.set_last_analysis("")
        if self.engine is not None:  # a message about the previous case (its VCF error, its analysis) is not this one's
            self.task_label.setText("Ready")
        self._forget_case_message()
        self.report.forget_exports()  # "Export failed" or "Report written to …" was said of the previous case
        doc.header_changed.emit()
        doc.phenotypes_changed.emit()
        doc.genomics_changed.emit()
        doc.result_changed.emit()
        self.phenotypes.load_document()
        self.genomics.load_document(load=load_vcf and self.engine is not None)
        self.cases.mark_current(case.id)
        self.tabs.setCurrentWidget(self.phenotypes)

    def open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a phenopacket", self.prefs.last_dir, f"{PHENOPACKETS};;{ALL_FILES}", options=SHOW_NAMES
        )
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> bool:
        """Open a phenopacket file (errors: one-line dialog); its VCF, if any, is offered on the Genomics tab.
        Whether the file's case shows now (as the file has it, or as stored where the clinician kept that)."""
        try:
            case = load_phenopacket(path)
        except RareTraceError as exc:
            self.show_error(str(exc))
            return False
        if not self._may_leave_case():  # also saves: the stored case compared below includes the edits just made
            return False
        self.prefs.add_recent(path)
        if not Path(path).resolve().is_relative_to(resources_dir().resolve()):  # the demo: not the user's folder
            self.prefs.last_dir = str(Path(path).parent)
        as_read = case  # the file's case alone (opened as a copy: nothing of the stored case goes into it)
        case, kept = self._keep_stored_note(case)
        if self.engine is not None:  # features given as IDs only: stored and listed with their names
            case = with_labels(case, self.engine.ontology.current_label)
        replacing = False
        if self.store is not None and case.id in self.store:
            try:
                changes = self.store.file_differences(case)
            except RareTraceError as exc:
                self.show_error(str(exc))
                return False
            if changes:  # the stored case was edited since: the clinician decides which version to keep
                choice = self.ask_replace(case.id, Path(path).name, changes)
                if choice == "cancel":
                    return False
                if choice == "stored":
                    if case.id != self.document.case.id:
                        self.open_stored_case(case.id)
                    self._say_of_case(f"Kept the stored version of {case.id}", 8000)
                    return self.document.case.id == case.id
                if choice == "copy":  # another patient's file under the same ID: both kept, neither changed
                    store = self.store
                    copy_id = unused_id(f"{case.id}-copy", lambda i: i in store, sep="")
                    kept = f"{case.id} is already in the case store: the file opened as {copy_id}"
                    case = replace(as_read, id=copy_id)
                    if self.engine is not None:
                        case = with_labels(case, self.engine.ontology.current_label)
                else:
                    replacing = True
        self.load_case(case, load_vcf=True)
        # the file's version is what the window holds: based on the stored revision it was compared with (a new
        # case: none yet)
        self._base_on_stored(case.id)
        self._say_last_analysis(case.id)
        if case.phenotypes or case.files or self.document.note:  # a note-only case is being worked up, not empty
            self._say_of_case(f"Opened {path}" + (f": {kept}" if kept else ""), 8000 if kept else 5000)
        else:  # valid JSON with an id, but nothing a phenopacket would carry
            self._say_of_case(f"{Path(path).name}: no phenotypic features and no VCF", 15000)
            show_warning(self, f"{Path(path).name} has no phenotypic features and no VCF: it opened as an empty case "
                              f"{case.id}; is it the phenopacket you meant?")
        if replacing:
            # The file's version is what the window now shows: save it at once and say what it changed, rather
            # than let the next small edit silently drop the stored edits (each change stays in the audit log).
            self.document.dirty = False
            self._save(self._case_to_save(), note=f"replaced by the file {path}",
                       on_done=lambda changes, cid=case.id: self._replaced(cid, path, changes))
        else:
            self._schedule_autosave()
        return True

    def ask_replace(self, case_id: str, file_name: str, changes: list[str]) -> str:
        """'file', 'stored', 'copy' or 'cancel': which version of a case to keep when its file differs from the
        store; 'copy' keeps both, the file opened under a new ID (two patients' files may share an ID, "P1")."""
        shown = "\n".join(f"• {c}" for c in changes[:8]) + (f"\n… and {len(changes) - 8} more" if len(changes) > 8
                                                              else "")  # fmt: skip
        return self._choose(QMessageBox.Icon.Question, "Case already in the store",
                            f"{case_id} is already in the case store and {file_name} differs from it. Opening the "
                            f"file would change:\n{shown}\n\nIf the file is another patient's, keep both: the file "
                            "opens as a copy under a new ID.",
                            ("stored", "Keep the stored case"), ("file", "Use the file's version"),
                            also=("copy", "Keep both (open the file as a copy)"))  # fmt: skip

    def _choose(self, icon: QMessageBox.Icon, title: str, text: str, safe: tuple[str, str],
                destructive: tuple[str, str], also: tuple[str, str] | None = None) -> str:
        """A modal question: the safe choice (default), the destructive one, `also` (a choice that changes
        nothing stored) where given, or Cancel ('cancel')."""
        box = QMessageBox(icon, title, text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # case IDs and file names as typed; the lines as written
        keep = box.addButton(safe[1], QMessageBox.ButtonRole.AcceptRole)
        answers = {keep: safe[0]}
        if also is not None:
            answers[box.addButton(also[1], QMessageBox.ButtonRole.ActionRole)] = also[0]
        answers[box.addButton(destructive[1], QMessageBox.ButtonRole.DestructiveRole)] = destructive[0]
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        return answers.get(box.clickedButton(), "cancel")

    def _keep_stored_note(self, case: Case) -> tuple[Case, str]:
        """A file whose case is already in the store brings its features; the note typed earlier, and the findings
        rejected in it, stay (a phenopacket file does not carry them). With what was kept, in words for the status
        bar's "Opened" message ("": nothing)."""
        if self.store is None or case.id not in self.store:
            return case, ""
        stored = self.store.load_case(case.id)
        kept = keep_stored_note(case, stored)
        if kept is stored:  # the case's own export: nothing of it is the file's
            return kept, f"the same as the stored case {case.id}"
        return kept, "" if kept is case else f"{case.id} was already in the case store: features from the file, note kept"

    def open_stored_case(self, case_id: str) -> None:
        if self.store is None or case_id == self.document.case.id:
            return
        if not self._may_leave_case():
            return
        self._show_stored(case_id)

    def _show_stored(self, case_id: str) -> bool:
        """Show the case as the store holds it, based on its stored revision; False where it cannot be read (said)."""
        try:
            case, revision, creation = self.store.load_with_version(case_id)
        except RareTraceError as exc:
            self.show_error(str(exc))
            return False
        self.load_case(case)
        self._base_revision[case_id], self._base_creation[case_id] = revision, creation
        self._say_last_analysis(case_id)
        return True

    def _say_last_analysis(self, case_id: str) -> None:
        """The stored analyses keep their ranking (JSON) but not live evidence objects: say what the last one
        found and when, and that Analyse ranks the case again, with its evidence (with the models and knowledge in
        use now, which may differ from the stored analysis' after an update)."""
        latest = self.store.latest_analysis(case_id) if self.store is not None else None
        if latest is None:
            return
        diseases = (latest.result or {}).get("diseases") or []
        top = f"; first: {diseases[0].get('label', diseases[0].get('id'))}" if diseases else ""
        said = f"Last analysed {local_time(latest.created_at)}{top}"
        changed = latest.case_revision != self.store.revision(case_id)
        self._last_said = (case_id, said, None if changed else self.document.input_edits)
        self._show_last_analysis(said + (" (the case has changed since)" if changed else ""))

    def _show_last_analysis(self, said: str) -> None:
        self.task_label.setText(f"{said}; press Analyse to rank it again with its evidence")
        self.results.set_last_analysis(said)

    def _last_analysis_edited(self) -> None:
        """The stored analysis described for a reopened case no longer fits once the case is edited: it says so, as
        it does when the case was edited before it was reopened."""
        if self._last_said is None:
            return
        case_id, said, edits = self._last_said
        doc = self.document
        if case_id != doc.case.id or doc.result is not None:
            self._last_said = None  # another case, or analysed again: the stored analysis is no longer shown
        elif edits is not None and doc.input_edits != edits:
            self._last_said = (case_id, said, None)
            self._show_last_analysis(said + " (the case has changed since)")

    def fill_case_menu(self, case_id: str) -> QMenu:
        """The case list's context menu for `case_id`: Open, then the window's own actions on a case (Analyse,
        Export phenopacket, Export report PDF). On the open case they are those of the menus, enabled as there; on
        another case the action opens it first (asking, as opening it from the list does, before unsaved work of
        the open case goes) and then runs, and the report needs an analysis it does not have yet."""
        menu = self.case_menu
        menu.clear()
        is_open = case_id == self.document.case.id
        open_item = menu.addAction("&Open", lambda: self.open_stored_case(case_id))
        open_item.setEnabled(not is_open and self.store is not None)
        if is_open:
            open_item.setToolTip("This case is open")
        menu.setDefaultAction(open_item)  # what Enter and a double click do
        menu.addSeparator()
        for action, needs_result in ((self.analyse_action, False), (self.export_case_action, False),
                                     (self.export_action, True)):
            if is_open:
                menu.addAction(action)
                continue
            item = menu.addAction(action.text(), lambda a=action: self._on_case(case_id, a))
            item.setStatusTip(action.statusTip())
            item.setEnabled(action.isEnabled() and not needs_result and self.store is not None)
            if needs_result:  # an opened case shows its stored analysis' words, not its evidence: Analyse first
                item.setToolTip("Open and analyse the case first")
        menu.addSeparator()
        self._aim_delete(case_id)  # the File menu's action, on this case (opened or not)
        menu.addAction(self.delete_case_action)
        return menu

    def _show_case_menu(self, case_id: str, at: QPoint) -> None:
        if self.case_menu.isVisible():  # one menu at a time (a second Shift+F10 where the platform maps it too)
            return
        self.fill_case_menu(case_id).popup(at)

    def _on_case(self, case_id: str, action: QAction) -> None:
        """Run the window's `action` on the stored case `case_id`: open it first, unless leaving the open case was
        cancelled or the case could not be read (both said)."""
        self.open_stored_case(case_id)
        if self.document.case.id == case_id and action.isEnabled():
            action.trigger()

    # ------------------------------------------------------------------ deleting a case

    def _aim_delete(self, case_id: str | None) -> None:
        """Point Delete case… at `case_id` (None: the open case) and enable it, with why not in its tooltip."""
        self._delete_target = case_id
        why = self._why_not_deletable(case_id or self.document.case.id)
        self.delete_case_action.setEnabled(not why)
        self.delete_case_action.setToolTip(why or self.delete_case_action.statusTip())

    def _why_not_deletable(self, case_id: str) -> str:
        """Why `case_id` cannot be deleted now ("": it can)."""
        store = self.store
        if store is None:
            return "The case store is not available"
        if getattr(store, "read_only", None):
            return "The case store can only be read"
        if case_id == self.document.case.id and not (self._pending_edits() or self._base_revision.get(case_id)
                                                     or case_id in store):
            return "This case is not in the case store"
        return ""

    def _pending_edits(self) -> bool:
        """The open case has edits the store does not have yet (being typed, waiting for or in a save, or refused)."""
        doc = self.document
        return (doc.dirty or self._autosave_timer.isActive() or doc.case.id in self._unsaved
                or self.header.subject.isModified() or self.header.age.isModified() or not self.saver.wait(0))

    def _analysing(self, case_id: str) -> bool:
        """An analysis of `case_id` is running or being recorded in the store."""
        return any(cid == case_id and not task.ran.is_set() for cid, task in self._analyses)

    def _delete_from_menu(self) -> None:
        target, self._delete_target = self._delete_target, None
        self.delete_case(target)

    def delete_case(self, case_id: str | None = None) -> bool:
        """Delete `case_id` (default: the open case) from the case store once the clinician confirms it: the open
        case closes, its edits not yet saved discarded, and the window shows a new case. The deletion runs on the
        saver's thread after the saves queued before it; the store's audit log keeps that it was deleted. True when
        the deletion was confirmed and started."""
        doc = self.document
        case_id = case_id or doc.case.id
        why = self._why_not_deletable(case_id)
        if why:
            self.show_error(f"{case_id} cannot be deleted: {why[0].lower()}{why[1:]}")
            return False
        busy = (f"an analysis of {case_id} is running; cancel it (Esc, or Cancel in the status bar) or let it "
                "finish, then delete the case")
        if self._analysing(case_id):  # its record would fail (the store refuses an analysis of a deleted case)
            self.show_error(busy)
            return False
        try:
            found = self.store.list_cases(case_id=case_id)
        except RareTraceError as exc:
            self.show_error(str(exc))
            return False
        stored = found[0] if found else None
        is_open = case_id == doc.case.id
        if stored is None and not is_open:  # deleted elsewhere since the list was read
            self.statusBar().showMessage(f"{case_id} is no longer in the case store", 8000)
            self.cases.update_case(case_id)
            return False
        if not self.ask_delete(case_id, self._delete_question(case_id, stored, is_open)):
            return False
        if self._analysing(case_id):  # started while the question was open (the knowledge base finished loading)
            self.show_error(busy)
            return False
        with self._conflict_lock:
            self._closed[case_id] = self._saves  # its saves queued until now are dropped: they would store it again
            self._conflicts.pop(case_id, None)
        self._unsaved.discard(case_id)
        if not self._unsaved:
            self.store_label.setVisible(False)
        if is_open:  # deleting discards its edits (the question said so): no unsaved-work question
            self._autosave_timer.stop()
            doc.dirty = False
            self._show_new_case()
        self._base_revision.pop(case_id, None)
        self._base_creation.pop(case_id, None)
        if self._told_changed is not None and self._told_changed[0] == case_id:
            self._told_changed = None
        store = self.store
        self._saves += 1
        self.saver.start(
            f"save-{self._saves}",
            lambda _ctx: store.delete_case(case_id),
            on_done=lambda was_stored: self._deleted(case_id, was_stored),
            on_failed=lambda message: self.show_error(f"{not_deleted(case_id)}: {message}; it is still in the case "
                                                      "store"),
            replace=False,
        )
        return True

    def _delete_question(self, case_id: str, stored: Any, is_open: bool) -> tuple[str, str]:
        """(the question, what it removes) of the confirmation; the open case is counted as the window holds it."""
        case = self.document.case if is_open else None
        subject = (case.subject_id if case is not None else stored.subject_id) or ""
        who = f"patient {cut_middle(subject, 60)}" if subject and subject != case_id else "no patient ID"
        present = len(case.present) if case is not None else stored.present
        excluded = len(case.excluded) if case is not None else stored.excluded
        files = len(case.files) if case is not None else stored.files
        analyses = stored.analyses if stored is not None else 0
        def some(n: int, noun: str, plural: str) -> str:
            return f"no {plural}" if n == 0 else counted(n, noun, plural)

        details = (f"This removes the case and everything stored with it: {present} present and {excluded} "
                   f"excluded features, any clinical note, {some(files, 'file reference', 'file references')} and "
                   f"{some(analyses, 'stored analysis', 'stored analyses')}. The VCF and PED files themselves "
                   "stay where they are.")
        if is_open:
            details += (" The case is open: the window closes it and discards its edits not yet saved."
                        if self._pending_edits() else " The case is open: the window closes it.")
        else:  # asked from the list's row of another case than the one open: said, lest it be taken for it
            details += (f" It is not the case open in the window ({breakable(self.document.case.id)}), which stays "
                        "open.")
        details += ("\n\nThis cannot be undone; the audit log keeps only that it was deleted, when and by whom. To "
                    "keep a copy, choose Cancel and export it first (" + ("" if is_open else "open it, then ")
                    + "File → Export phenopacket…).")
        return breakable(f"Delete case {case_id} ({who}) from the case store?"), details

    def ask_delete(self, case_id: str, question: tuple[str, str]) -> bool:
        """The confirmation of a deletion (Cancel is the default): True to delete."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Delete case", question[0], parent=self)
        box.setObjectName("deleteCaseQuestion")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the case and patient IDs as typed
        box.setInformativeText(question[1])
        delete = box.addButton("Delete case", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is delete

    def _deleted(self, case_id: str, was_stored: bool) -> None:
        if self.store is None:  # the window closed while it ran (the deletion is on disk)
            return
        # an earlier try's failure no longer stands: "could not be deleted … it is still in the case store" came
        # back in the status line once "Deleted case …" had timed out
        if self.task_label.text().startswith(not_deleted(case_id) + ":"):
            self.task_label.setText("Ready" if self.engine is not None else "")
        self.cases.update_case(case_id)  # its row goes
        self.statusBar().showMessage(
            f"Deleted case {case_id} from the case store; the audit log keeps that it was deleted" if was_stored
            else f"Closed case {case_id}; it was not in the case store", 10000)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.prefs.recent_files
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for path in recent:
            # "&&": a path's "&" is shown, not taken as the item's underlined letter
            self.recent_menu.addAction(path.replace("&", "&&"), lambda p=path: self.open_file(p))

    def _case_to_save(self) -> Case:
        doc = self.document
        extra = dict(doc.case.extra or {})
        rejected, noted = (sorted([t, s, e] for (t, s, e), d in doc.decisions.items() if d == decision)
                           for decision in ("rejected", "noted"))
        # the relatives' findings noted too: reopened, they are reviewed, not counted again as left to review (they
        # are never features: the analysis does not read them); the PED too: a trio reopened later must be read
        # with its parents again, not refused or read as a singleton
        kept = ((NOTE_KEY, doc.note), (REJECTED_KEY, rejected if doc.note else None),
                (NOTED_KEY, noted if doc.note else None), (PED_KEY, doc.ped_path))
        for key, value in kept:
            if value:
                extra[key] = value
            else:
                extra.pop(key, None)
        return replace(doc.case, extra=extra)

    def _schedule_autosave(self) -> None:
        self._autosave_timer.start()

    def autosave(self, typing: bool = False, note: str | None = None) -> None:
        """Save the case to the store if anything changed, on the saver's single thread (saves stay in order and
        hashing a large VCF the first time never freezes the window). `typing`: the autosave timer's, which may
        come while a header field is being typed (the field is left as it is); `note`: for the audit log."""
        self._autosave_timer.stop()
        self.header.commit(typing=typing)  # a patient ID or age still being typed is part of the case
        self.phenotypes.commit_editor()  # and so is an onset picked in its still open editor
        doc = self.document
        # unedited and read from the store (a revision): nothing to save, also where it was deleted elsewhere since
        # (saved, it came back unasked); unedited and never stored (a file opened): saved as a new case
        if self.store is None or not doc.dirty and (self._base_revision.get(doc.case.id) or doc.case.id in self.store):
            return
        case = self._case_to_save()
        untouched = not (case.phenotypes or case.files or doc.note or case.subject_id or case.sex or case.age)
        if untouched and case.id not in self.store:
            # an untouched new case is not worth a store entry, and holds nothing to lose: not left marked edited
            # (after Ctrl+S, File → Delete case… offered to delete it, "discarding its edits not yet saved")
            doc.dirty = False
            return
        doc.dirty = False
        self._save(case, note=note)

    def _save(self, case: Case, note: str | None = None, on_done: Any = None, state: CaseState | None = None) -> None:
        """Save on the saver's single thread (saves stay in order); `state`, when given, receives the case's
        revision and inputs right after this save and before any later one."""
        store = self.store
        self._saves += 1
        seq = self._saves

        def save(_ctx: TaskContext) -> list[str] | StoreConflict | None:
            nonlocal case
            try:
                with self._conflict_lock:
                    copied = self._copied.get(case.id)
                    if copied is not None and seq <= copied[1]:
                        case = replace(case, id=copied[0])  # the clinician kept this version as a copy meanwhile
                    if seq <= self._closed.get(case.id, 0):
                        return None  # closed meanwhile, deleted elsewhere: the deletion stands
                    pending = self._conflicts.get(case.id)
                    if pending is not None:  # a conflict awaits the clinician: this later version waits with it
                        self._conflicts[case.id] = (case, pending[1])
                        self._unsaved.add(case.id)
                        return None
                # the revision this window's version is based on, read when the save runs (an earlier queued save
                # of the same case has moved it on by then); None: a case this window never saw in the store
                expected = self._base_revision.get(case.id)
                try:
                    changes = store.save_case(case, note=note, expected_revision=expected,
                                              expected_creation=self._base_creation.get(case.id))
                except StoreConflict as conflict:  # saved elsewhere meanwhile: the clinician decides, nothing lost
                    self._unsaved.add(case.id)
                    self._conflicts[case.id] = (case, conflict)
                    return conflict
                self._base_on_stored(case.id, store)
                if state is not None:
                    state.set(store.case_state(case.id))
                self._unsaved.discard(case.id)
                return changes
            except BaseException:
                self._unsaved.add(case.id)  # known at once, even before the failure reaches the window
                raise
            finally:
                if state is not None:
                    state.set(None)  # a failed save: the analysis is not recorded (first value wins)

        def done(out: list[str] | StoreConflict | None) -> None:
            if self.store is None:
                # the window closed while this save ran (the save is on disk): its outcome, queued behind the close,
                # has no list to refresh and nothing to settle in the closed store
                return
            if isinstance(out, StoreConflict):
                # asked while leaving the case waits for its saves: Cancel stays on the case
                leaving = self._waiting_for_saves and case.id == self.document.case.id
                if not self._conflict(case.id, leaving=leaving) and leaving:
                    self._stay_on_case = True
            elif out is not None:  # None: held behind a conflict not yet settled
                (on_done or (lambda changes: self._saved(case.id, changes)))(out)

        self.saver.start(
            f"save-{seq}",
            save,
            on_done=done,
            on_failed=lambda message: self._save_failed(message, case.id),
            replace=False,
        )

    def _replaced(self, case_id: str, path: str, changes: list[str]) -> None:
        self._saved(case_id, changes)
        if changes:
            self._say_of_case(f"{case_id}: the version of {Path(path).name} is now the case; every change "
                                         "is in the case's audit log", 10000)

    def _saved(self, case_id: str, changes: list[str]) -> None:
        if not self._unsaved:
            self.store_label.setVisible(False)
            # the failure no longer stands once a save went through: "could not be saved ... try again once it has
            # finished" stayed in the status line beside a case saved since, after "⚠ Not saved" had gone
            if self.task_label.text().startswith(SAVE_FAILED):
                self.task_label.setText("Ready" if self.engine is not None else "")
        if changes:
            self.statusBar().showMessage(f"Saved {case_id} to the case store", 3000)
            self.cases.update_case(case_id)
            self.saved.emit(case_id)

    def _stored_version(self, case_id: str, store: Any = None) -> tuple[int, str] | None:
        """(revision, creation marker) of the case in the store now; None when it is not stored (or there is no
        store, or it cannot be read)."""
        store = store or self.store
        if store is None:
            return None
        try:
            return store.version(case_id)
        except RareTraceError:
            return None

    def _stored_revision(self, case_id: str) -> int:
        """The case's revision in the store now; 0 when it is not stored (or there is no store)."""
        version = self._stored_version(case_id)
        return version[0] if version else 0

    def _base_on_stored(self, case_id: str, store: Any = None) -> None:
        """The window's version of the case is now based on the stored one (none: a new case)."""
        version = self._stored_version(case_id, store)
        self._base_revision[case_id] = version[0] if version else 0
        if version:
            self._base_creation[case_id] = version[1]

    def _conflict(self, case_id: str, leaving: bool = False) -> bool:
        """The stored case was saved elsewhere (another window, `raretrace case import --replace`) since this
        window's version was read: keep both (this version as a copy), or replace the stored one; or it was deleted
        there: save it again, or close it (the deletion stands). Cancel leaves this version unsaved and asks again at
        the next save. A case the window has already left is kept as a copy without asking. `leaving`: the case is
        being left, so closing it opens no other. False when the clinician cancelled."""
        # The conflict stays in `_conflicts` while the clinician is asked: saves that run meanwhile (queued before
        # it, run by the saver while the question is open) wait with it instead of meeting the conflict again and
        # making a second copy. It goes, under the lock, together with the record of how it was settled.
        if case_id in self._settling:
            return True  # already being asked (one question for several saves of the same version)
        with self._conflict_lock:
            pending = self._conflicts.get(case_id)
        if pending is None:
            return True  # already settled (one question for several saves of the same version)
        conflict = pending[1]
        open_here = self.document.case.id == case_id
        what = "deleted" if conflict.deleted else "deleted and stored anew" if conflict.recreated else "changed"
        self.store_label.setText(f"⚠ Case {what} elsewhere: not saved")
        self.store_label.setVisible(True)
        self._settling.add(case_id)
        try:
            if not open_here:
                choice = "copy"
            elif conflict.deleted:  # saved again: over no stored case, as a new one
                choice = {"save": "replace", "close": "close"}.get(self.ask_deleted(case_id), "cancel")
            elif conflict.recreated:  # never saved over the new case: kept as a copy, or closed
                choice = {"copy": "copy", "close": "close"}.get(self.ask_recreated(case_id), "cancel")
            else:
                choice = self.ask_conflict(case_id, conflict)
        finally:
            self._settling.discard(case_id)
        store = self.store
        copy_id = ("" if choice in ("cancel", "replace", "close")
                   else unused_id(f"{case_id}-copy", lambda i: store is not None and i in store, sep=""))
        # the window's latest version (edits not yet saved included), or the latest held behind the conflict
        latest = self._case_to_save() if open_here else None
        with self._conflict_lock:
            held = self._conflicts.pop(case_id, pending)[0]
            case = latest if latest is not None else held
            if choice == "replace":
                self._base_revision[case.id] = conflict.stored
                if conflict.creation:
                    self._base_creation[case.id] = conflict.creation
            elif choice == "close":
                self._closed[case.id] = self._saves  # its saves queued until now are dropped
            elif choice != "cancel":
                self._base_revision[copy_id] = 0
                self._copied[case.id] = (copy_id, self._saves)
        if choice == "cancel":
            self.document.dirty = True
            return False
        if self._told_changed == (case_id, 0):
            self._told_changed = None  # settled: a later deletion is asked about again
        self._unsaved.discard(case.id)
        if choice == "close":
            self.document.dirty = False
            if not self._unsaved:
                self.store_label.setVisible(False)
            if not leaving:
                self._show_new_case()
            self.cases.refresh_if_changed()  # the list may still name it
            kept = "the new case of its ID stands" if conflict.recreated else "stays deleted"
            self.statusBar().showMessage(f"{case_id} was deleted elsewhere and {kept}; this window's version "
                                         "of it is closed", 15000)
            return True
        note = None
        if choice == "replace":
            target = case
            if conflict.deleted:
                note = "saved again from a window that showed it after it was deleted elsewhere"
        else:
            target = replace(case, id=copy_id)
            if open_here:
                self.document.rename(copy_id)  # undo and redo stay within the copy
                self.cases.mark_current(copy_id)
            what = ("was deleted elsewhere and is deleted" if conflict.deleted else
                    "was deleted elsewhere and the new case of its ID is kept" if conflict.recreated else
                    "was changed elsewhere and is kept as stored")
            self.statusBar().showMessage(f"{case.id} {what}; this version is saved as {copy_id}", 15000)
        if self.document.case.id == target.id:
            self.document.dirty = True  # the window's latest version, edits made since included
            self.autosave(note=note)
        else:
            self._save(target, note=note)
        return True

    def ask_conflict(self, case_id: str, conflict: StoreConflict) -> str:
        """'copy', 'replace' or 'cancel': what to do when the stored case was saved elsewhere meanwhile."""
        return self._choose(QMessageBox.Icon.Warning, "Case changed elsewhere",
                            f"{case_id} was saved from elsewhere (another window or the command line) since this "
                            f"window opened it (store revision {conflict.stored}, this version is based on "
                            f"{conflict.expected}). Keep both, saving this version as a copy, or replace the stored "
                            "version with this one?",
                            ("copy", "Keep both (save mine as a copy)"), ("replace", "Replace the stored version"))  # fmt: skip

    def ask_deleted(self, case_id: str) -> str:
        """'save', 'close' or 'cancel': what to do with the open case when it was deleted elsewhere meanwhile."""
        return self._choose(QMessageBox.Icon.Warning, "Case deleted elsewhere",
                            f"{case_id} was deleted from the case store elsewhere (another window or the command "
                            "line) since this window opened it. Save it again as this window holds it, with what you "
                            "entered, or close it and let the deletion stand?",
                            ("save", "Save it again"), ("close", "Close it"))  # fmt: skip

    def ask_recreated(self, case_id: str) -> str:
        """'copy', 'close' or 'cancel': what to do with the open case when it was deleted elsewhere and a new case
        stored under its ID since (imported again): never saved over that case unasked, nor offered to."""
        return self._choose(QMessageBox.Icon.Warning, "Case deleted elsewhere",
                            f"{case_id} was deleted from the case store elsewhere (another window or the command "
                            "line) since this window opened it, and a new case has been stored under the same ID "
                            "(imported again, for instance). Keep both, saving this window's version with what you "
                            "entered as a copy, or close it and keep the new case as stored?",
                            ("copy", "Keep both (save mine as a copy)"), ("close", "Close it"))  # fmt: skip

    def _save_failed(self, message: str, case_id: str | None = None) -> None:
        if case_id is not None and case_id != self.document.case.id:
            # a case left while its save waited (exported, or its edits discarded): the window shows another one,
            # which is neither unsaved nor the one to export
            self.show_error(f"case {case_id} could not be saved: {message}; its edits since the last save are only "
                            "in a phenopacket exported while leaving it (open that file to save it again)")
            return
        self.document.dirty = True  # try again with the next edit (or Ctrl+S)
        read_only = getattr(self.store, "read_only", None)
        # "Not saved" first: on a small screen the label keeps its start (the rest is in its tooltip)
        self.store_label.setText(f"⚠ Not saved: case store read-only ({read_only})" if read_only
                                 else "⚠ Not saved: the last save failed")
        self.store_label.setVisible(True)
        if self.task_label.text().startswith(SAVE_FAILED):
            self.task_label.setText(f"{SAVE_FAILED}: {message}")  # one dialog, not one per save
            return
        self.show_error(f"{SAVE_FAILED}: {message}; export it (File → Export phenopacket) to keep it")

    def save_now(self) -> None:
        if self.store is None:
            self.show_error("the case store is not available, so this case is not saved; export the case "
                            "(File → Export phenopacket)")
            return
        self.document.dirty = True
        self.autosave()
        case_id = self.document.case.id
        if not self._pending_edits() and case_id not in self.store:  # Ctrl+S said nothing at all
            self._say_of_case(f"Nothing to save yet: {case_id} is empty (no features, note, patient details or VCF)",
                              5000)

    def _commit_typing(self) -> None:
        """The header's fields and an onset editor still open, handed to the case (as before analysing)."""
        self.header.commit()
        self.phenotypes.commit_editor()

    def export_phenopacket(self, path: str | None = None) -> str | None:
        """Write the open case as a phenopacket (asks where unless `path` is given); the path, or None."""
        from ..phenopacket import to_phenopacket, write_phenopacket

        self.header.commit()
        self.phenotypes.commit_editor()
        case = self._case_to_save()

        def allowed(name: str) -> str:
            # never over another case's phenopacket, the case's anonymised copy, its VCF or PED, the store, the KB
            return str(phenopacket_target(Path(name), case.id, self.store, self.export_inputs()))

        path = save_path(self, "Export phenopacket", str(Path(self.prefs.last_dir) / f"{case.id}.json"),
                         "Phenopacket (*.json)", path, allowed, self.ask_another_name)
        if path is None:
            return None
        try:
            labels = self.engine.ontology.current_label if self.engine else None
            packet = to_phenopacket(case, labels=labels, hpo_release=self.engine.hpo_release if self.engine else None)
            write_phenopacket(packet, path)
        except RareTraceError as exc:
            self.show_error(str(exc))
            return None
        except OSError as exc:  # a full disk or a folder the user cannot write: say so, keep the case open
            self.show_error(f"could not write {path}: {exc.strerror or exc}")
            return None
        if self.store is not None:
            self._log_export(case.id, path)
        self.statusBar().showMessage(f"Phenopacket written to {path}", 5000)
        return path

    def export_inputs(self) -> dict[Path, str]:
        """The files no export replaces: the open case's VCF, files and PED, the case store, the knowledge base."""
        doc = self.document
        return case_inputs(doc.case, doc.ped_path, self.store, self.engine.kb_path if self.engine else None)

    def ask_another_name(self, message: str) -> bool:
        """After an export's name was refused (`message` says why): True to choose another name, False to give up."""
        return ask_another_name(self, message)

    def _log_export(self, case_id: str, path: str) -> None:
        """The export in the case's audit log, written on the saver's thread after the case's saves: another
        program may hold the store for up to BUSY_TIMEOUT_S, which the window must not wait for (nor the export
        go unlogged when a save of the case still waits)."""
        store = self.store
        self._saves += 1

        def log(_ctx: TaskContext) -> None:
            if case_id in store:  # the export succeeded; a failing store shows in the saves
                store.log_event(case_id, "exported", f"phenopacket written to {path}")

        self.saver.start(f"save-{self._saves}", log, replace=False)

    def unsaved_work(self) -> bool:
        """True when the open case holds work the case store does not have (no store, or its last save failed)."""
        doc = self.document
        case = doc.case
        has_work = bool(case.phenotypes or case.files or doc.note or case.subject_id or case.sex or case.age)
        return has_work and (self.store is None or doc.dirty or case.id in self._unsaved)

    def ask_unsaved(self, still_saving: bool = False) -> str:
        """'export', 'discard' or 'cancel': what to do with a case the store could not keep, before it goes."""
        why = ("its save to the case store has not finished after a minute" if still_saving
               else "the store is unavailable or the last save failed")
        return self._choose(QMessageBox.Icon.Warning, "Case not saved",
                            f"{self.document.case.id} is not safely in the case store ({why}). Export it as a "
                            "phenopacket before leaving it?",
                            ("export", "Export phenopacket…"), ("discard", "Discard the changes"))  # fmt: skip

    # ------------------------------------------------------------------ analysis

    def analyse(self) -> None:
        if self.engine is None:
            self.show_error("the knowledge base is still loading; try again in a moment")
            return
        self.header.commit()  # first: what is being typed in the header belongs to the case analysed
        self.phenotypes.commit_editor()  # and an onset picked in its still open editor
        case = self.document.case
        if not case.present and case.vcf is None:
            message = "add at least one present feature (Phenotypes tab), or a VCF (Genomics tab), before analysing"
            self.show_error(message)
            self._input_failed(message)
            return
        engine, store, ped, genomics = self.engine, self.store, self.document.ped_path, self.document.current_genomics()
        if case.vcf is not None and genomics is None and self.runner.is_running("load-vcf"):
            # the Genomics tab is reading this VCF: analyse once it has, rather than read the file a second time
            # beside it (a genome: both reads share the cores and the result comes twice as late)
            if not self._analyse_when_read:
                self._analyse_when_read = True
                self.genomics.loaded.connect(self._analyse_read_vcf)
            self.task_label.setText("Analysing once the VCF is loaded…")
            return
        edits = self.document.input_edits
        state = None
        if store is not None:
            # The case as analysed is saved in turn with the other saves: edits made while the analysis runs are
            # saved after it, so they are neither overwritten nor credited to this analysis.
            self._autosave_timer.stop()
            self.document.dirty = False
            state = CaseState()
            self._save(self._case_to_save(), state=state)
        top = max(20, self.prefs.top_n)
        filters = self.prefs.vcf_filters
        self.task_label.setText("Analysing…")

        def run(ctx: TaskContext) -> tuple[Any, Any]:
            return self._run_analysis(engine, store, case, state, ped, genomics, top, ctx, filters)

        task = self.runner.start(
            "analyse",
            run,
            on_done=lambda done: self._analysed(*done, edits),
            on_failed=lambda message: (self.show_error(message), self._input_failed(message)),
            on_cancelled=lambda: self.task_label.setText("Analysis cancelled"),
            on_progress=self._progress,
        )
        self._analyses = [a for a in self._analyses if not a[1].ran.is_set()] + [(case.id, task)]

    def _analyse_read_vcf(self, _genomics: Any) -> None:
        self._stop_waiting_for_vcf()
        self.analyse()

    def _stop_waiting_for_vcf(self) -> None:
        """The loading the analysis waited for is over (read, cancelled, failed) or no longer the case's."""
        if self._analyse_when_read:
            self._analyse_when_read = False
            self.genomics.loaded.disconnect(self._analyse_read_vcf)

    @staticmethod
    def _run_analysis(
        engine: Any, store: Any, case: Case, state: CaseState | None, ped: str | None, genomics: Any, top: int,
        ctx: TaskContext, filters: tuple[str, ...] | None = DEFAULT_FILTERS,
    ) -> tuple[Any, Any]:
        """(result, the VCF as read): a VCF not yet loaded on the Genomics tab is read here, once, so that the tab
        can show the variants the evidence links to."""
        if case.vcf is not None and genomics is None:
            from .genomics import load_variants

            genomics = load_variants(engine, case, ped, ctx, filters)
        result = run_analysis(engine, case, ped, genomics, top, ctx)
        saved = state.wait() if state is not None else None
        if saved is not None:
            store.record_analysis(case.id, result.to_json(), state=saved)
        return result, genomics

    def _show_device(self, used: str) -> None:
        word = {"cpu": "CPU", "cuda": "GPU (CUDA)"}.get(used, used)
        self.device_label.setText(f"Device: {word}")
        self.device_label.setToolTip(f"The ranking model runs on {word} (setting: {self.device})")

    def _analysed(self, result: Any, genomics: Any, edits: int) -> None:
        doc = self.document
        self._show_device(result.device)
        if result.case_id != doc.case.id:  # another case was opened while it ran: never show it under that one
            self.task_label.setText(f"The analysis of {result.case_id} finished and was stored; open that case to "
                                    "see it")
            self.cases.update_case(result.case_id)
            return
        if genomics is not None and genomics is not doc.genomics and doc.genomics_matches(genomics):
            doc.genomics = genomics  # the variants the evidence links to, on the Genomics tab (not an edit)
            doc.genomics_changed.emit()
        doc.set_result(result)
        if doc.input_edits != edits:
            doc.mark_stale()  # features, sex, age or files changed while it ran
        self.task_label.setText(f"Analysed in {result.seconds:.2f} s")
        focus = QApplication.focusWidget()
        self.tabs.setCurrentWidget(self.results)
        # the keyboard goes to the ranking (Qt left it on the Diseases/Genes tab bar when the page it was on was
        # hidden), but never leaves a header field or the case search the clinician is typing in
        if focus is None or focus is self.analyse_button or self.tabs.isAncestorOf(focus):
            self.results.focus_ranking()
        self.cases.update_case(result.case_id)
        self.analysis_done.emit(result)

    def _result_changed(self) -> None:
        has = self.document.result is not None
        self.export_action.setEnabled(has)
        self.print_action.setEnabled(has)

    # ------------------------------------------------------------------ other actions

    def _find_term(self) -> None:
        self.tabs.setCurrentWidget(self.phenotypes)
        self.phenotypes.focus_search()

    def _find_case(self) -> None:
        self.cases_dock.show()
        self.cases.focus_search()

    def open_settings(self) -> None:
        from .settings_dialog import SettingsDialog

        dialog = SettingsDialog(self)
        dialog.open()

    def _show_help(self, page: str, make: Callable[[], QWidget]) -> QWidget | None:
        """Show a help page beside the window (not modal: the guide stays open while the clinician works)."""
        shown = self._help_pages.get(page)
        if shown is not None and shown.isVisible():
            shown.raise_()
            shown.activateWindow()
            return shown
        if shown is not None:
            shown.deleteLater()  # made again: the shortcuts and the release in use may have changed since
        try:
            dialog = make()
        except RareTraceError as exc:
            self.show_error(str(exc))
            return None
        self._help_pages[page] = dialog
        dialog.show()
        return dialog

    def show_user_guide(self) -> QWidget | None:
        from .help import user_guide

        return self._show_help("guide", lambda: user_guide(self))

    def show_shortcuts(self) -> QWidget | None:
        from .help import ShortcutsDialog

        return self._show_help("shortcuts", lambda: ShortcutsDialog(self))

    def show_data_sources(self) -> QWidget | None:
        from .help import data_sources

        release = self.engine.hpo_release if self.engine else None
        return self._show_help("sources", lambda: data_sources(self, release))

    def about(self) -> None:
        release = self.engine.hpo_release if self.engine else "not loaded"
        QMessageBox.about(
            self,
            "About RareTrace",
            f"<b>RareTrace {__version__}</b><br/>Offline, traceable rare-disease differential diagnosis.<br/>"
            f"HPO release {release}. Human Phenotype Ontology (hpo.jax.org); case library from the GA4GH "
            "phenopacket-store (CC BY 4.0). Decision support only: a clinician interprets every result.",
        )

    # ------------------------------------------------------------------ drag and drop, closing

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            self.open_path(url.toLocalFile())
        event.acceptProposedAction()

    def open_path(self, path: str) -> None:
        """A dropped or command-line file: a phenopacket, a VCF or a PED file."""
        lower = path.lower()
        if lower.endswith(VCF_SUFFIXES):
            self.tabs.setCurrentWidget(self.genomics)
            self.genomics.set_vcf_path(path)
        elif lower.endswith(".ped"):
            self.tabs.setCurrentWidget(self.genomics)
            self.genomics.set_ped_path(path)
        else:
            self.open_file(path)

    SAVE_WAIT_MS = 60000  # how long leaving a case waits for its last save before asking
    QUIET_SAVE_MS = 300  # a save finished within this (most) is waited for without a word

    def _wait_for_saves(self, limit_ms: int, export: bool = True, leaving: str = "leaving it",
                        finished: Callable[[], bool] | None = None, saving: str = "") -> str:
        """Wait for every queued save: 'saved', 'late' (still running after `limit_ms`; -1: no limit), 'export' or
        'cancel' (the clinician's choice). A save waiting for another program's write lock takes up to
        BUSY_TIMEOUT_S: the window keeps drawing meanwhile and says why it waits. `finished`, `saving`: another
        write to wait for instead of the saves (an analysis's record), and what it saves."""
        finished = finished if finished is not None else (lambda: self.saver.wait(0))
        quiet = self.QUIET_SAVE_MS if limit_ms < 0 else min(self.QUIET_SAVE_MS, limit_ms)
        until = time.monotonic() + quiet / 1000
        while not finished() and time.monotonic() < until:
            time.sleep(0.005)
        if finished():
            return "saved"
        deadline = time.monotonic() + (limit_ms - quiet) / 1000
        self._waiting_for_saves = True
        try:
            while True:
                left = -1 if limit_ms < 0 else max(0, int((deadline - time.monotonic()) * 1000))
                dialog = SaveWaitDialog(self.document.case.id, finished, left, self, export=export, leaving=leaving,
                                        saving=saving)
                try:
                    answer = dialog.wait()
                finally:
                    dialog.deleteLater()
                # a save queued while it waited (a conflict settled as a copy) is waited for too
                if answer != "saved" or finished():
                    return answer
        finally:
            self._waiting_for_saves = False
            if self._pending_open:  # the file given at start-up, held back by this wait
                QTimer.singleShot(0, self._open_pending)

    def _may_leave_case(self, leaving: str = "leaving it") -> bool:
        """Before another case replaces the open one, or the window closes: save it, and when the store cannot
        keep it ask what to do (export, discard or stay). True when the open case may go."""
        if self._waiting_for_saves:
            return False  # already being left: its wait is shown
        self.autosave()
        # whether the last save reached the store decides what leaving may throw away; one still running after a
        # minute (hashing a large VCF on a slow share) has not reached it
        self._stay_on_case = False
        waited = self._wait_for_saves(self.SAVE_WAIT_MS, leaving=leaving)
        if self._stay_on_case:  # a conflict asked about while it waited was cancelled
            return False
        if waited == "saved" and self.document.case.id in self._conflicts:  # saved elsewhere meanwhile: settled first
            if not self._conflict(self.document.case.id, leaving=True):
                return False
            waited = self._wait_for_saves(self.SAVE_WAIT_MS, leaving=leaving)
        if waited == "cancel":
            return False
        if waited == "saved" and not self.unsaved_work():
            return True
        choice = "export" if waited == "export" else self.ask_unsaved(still_saving=waited == "late")
        if choice == "cancel" or (choice == "export" and self.export_phenopacket() is None):
            return False
        self._unsaved.discard(self.document.case.id)  # exported, or discarded knowingly
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            # a save still running once the case was exported or discarded reaches the disk before the store
            # closes, however long it takes: the window draws meanwhile, and Cancel keeps it open
            leave = self._may_leave_case("closing the window") and self._wait_for_saves(
                -1, export=False, leaving="closing the window") == "saved"
            if leave:
                # an analysis still ranking stops; one being recorded in a store another program holds is waited
                # for like a save (the store cannot close under it), the window drawing and saying why
                self.runner.cancel("analyse")
                running = [case_id for case_id, task in self._analyses if not task.ran.is_set()]
                leave = not running or self._wait_for_saves(
                    -1, export=False, leaving="closing the window", saving=f"the analysis of {running[-1]}",
                    finished=lambda: all(task.ran.is_set() for _, task in self._analyses)) == "saved"
        except Exception as exc:  # whatever went wrong, the window and its case stay
            self.show_error(f"the window stays open: {exc}")
            leave = False
        if not leave:
            event.ignore()
            return
        self._pending_open = None  # a file given at start-up and held back by the wait: not opened into a closed window
        for name in list(self.runner.active):
            self.runner.cancel(name)
        self.prefs.save_window_state(self.saveGeometry(), self.saveState())
        self.prefs.sync()
        self.saver.wait(-1)  # waited for above: every save has reached the disk
        # what writes (a report, the case list's reads of the store about to close) ends first; a knowledge base
        # still loading (seconds, 20 s on a first start) held the window on screen up to 5 s, showing nothing
        self.runner.wait(5000, skip=READING)
        if self.store is not None:
            self.store.close()
            self.store = None
            self.cases.store = None  # an outcome queued behind the close (an analysis's) refreshes nothing
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange:
            if not self.isActiveWindow():
                self.autosave()  # leaving the window: nothing typed stays unsaved
            else:  # back from a terminal or another window, which may have saved cases meanwhile
                self.cases.refresh_if_changed()
                self._show_if_changed_elsewhere()
        super().changeEvent(event)

    def _show_if_changed_elsewhere(self) -> None:
        """The open case was saved elsewhere (another window, `raretrace case import --replace`) since this window
        read it: with no edits of this window's own it shows the stored version, rather than let the clinician work
        on an old one and meet the change only as the conflict question at the next save; with edits not yet saved
        it says so and keeps them (the next save asks which version to keep)."""
        doc, store = self.document, self.store
        case_id = doc.case.id
        base = self._base_revision.get(case_id)
        if (store is None or not base or self._waiting_for_saves or case_id in self._conflicts
                or not self.saver.wait(0)):  # a save of its own on its way moves the base revision on
            return
        try:
            version = store.version(case_id)
        except RareTraceError:
            return
        creation = self._base_creation.get(case_id)
        if version is None:
            self._ask_deleted_elsewhere(case_id, StoreConflict(case_id, base, 0))
            return
        if creation is not None and version[1] != creation:  # deleted, and another stored under its ID since
            self._ask_deleted_elsewhere(case_id, StoreConflict(case_id, base, version[0], True, version[1]))
            return
        stored = version[0]
        if stored <= base:
            return
        # an analysis running ranks this window's version: its result must not land on the stored one
        own_work = (doc.dirty or case_id in self._unsaved or self._autosave_timer.isActive()
                    or self.header.subject.isModified() or self.header.age.isModified()
                    or self.runner.is_running("analyse"))
        if own_work:
            if self._told_changed != (case_id, stored):  # once for each save made elsewhere
                self._told_changed = (case_id, stored)
                self.statusBar().showMessage(f"{case_id} was changed elsewhere since this window read it; this "
                                             "window's version is kept, and its next save asks which to keep", 20000)
            return
        tab = self.tabs.currentIndex()
        if not self._show_stored(case_id):
            return
        self.tabs.setCurrentIndex(tab)  # the clinician stays on the tab they were on
        self.statusBar().showMessage(f"{case_id} was changed elsewhere: showing it as stored now", 10000)

    def _ask_deleted_elsewhere(self, case_id: str, conflict: StoreConflict) -> None:
        """The open case was deleted elsewhere (another window, `raretrace case delete`), and maybe another stored
        under its ID since: asked now, once, what to do with it, as its next save would ask (edits of its own or
        none: the window shows a case the store no longer has)."""
        if self._told_changed == (case_id, 0):  # asked already (Cancel): the next save asks again
            return
        self._told_changed = (case_id, 0)
        with self._conflict_lock:
            self._conflicts.setdefault(case_id, (self._case_to_save(), conflict))
        # after the activation that noticed it: the question's own dialog deactivates and reactivates the window
        QTimer.singleShot(0, lambda: self._conflict(case_id) if not self._waiting_for_saves else None)
