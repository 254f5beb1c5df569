"""The phenotypes panel: clinical note with the terms found in it, HPO search, ontology browser, chosen terms."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QRect, QRectF, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QBoxLayout,
    QComboBox,
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..case import onset_words
from ..errors import RareTraceError
from ..words import counted
from .case_list import plain_tip
from .colours import INK, muted
from .document import edit_bounds, shift_span
from .flow import FlowLayout
from .labels import CutLabel
from .splits import RoomSplit

if TYPE_CHECKING:
    from ..engine import Engine
    from .document import CaseDocument
    from .workers import TaskRunner

ID_ROLE = Qt.ItemDataRole.UserRole + 1
LABEL_ROLE = Qt.ItemDataRole.UserRole + 2
SCORE_ROLE = Qt.ItemDataRole.UserRole + 4  # (not + 3: ONSET_ROLE's, of another model)
# How far (in search score) the best match must lead the next for Enter to add it without a choice: a typed prefix
# leads its longer forms by 0.07 or more ("microcephally": Microcephaly 0.75, Mild microcephaly 0.68), while the
# readings of an ambiguous abbreviation ("CP": 0.95, 0.90) and the terms one letter matches lie closer.
ENTER_MARGIN = 0.06
ONSET_ROLE = Qt.ItemDataRole.UserRole + 3
# what the From column's word means, on hover
SOURCE_WORDS = {"imported": "imported with the case's phenopacket", "extracted": "from the terms found in the clinical note",
                "typed": "added from the HPO search or the ontology browser"}
ONSET_ROOT = "HP:0003674"  # Onset
NOTE_DELAY_MS = 700
SEARCH_DELAY_MS = 120

# Highlight colours differ in lightness and in line style too, so they read for colour-blind users.
HIGHLIGHT = {
    "present": ("#cfe3ff", QTextCharFormat.UnderlineStyle.SingleUnderline),
    "excluded": ("#e3e3e3", QTextCharFormat.UnderlineStyle.NoUnderline),
    "uncertain": ("#ffe2b8", QTextCharFormat.UnderlineStyle.DotLine),
    "family": ("#eadcf5", QTextCharFormat.UnderlineStyle.DashUnderline),
}
FOUND_WORDS = {
    "present": "present",
    "excluded": "excluded (negated)",
    "uncertain": "uncertain",
    "family": "a relative's",
}
DECISION_WORDS = {"accepted": "✔ accepted", "excluded": "⊘ accepted as excluded", "rejected": "✗ rejected",
                  # a relative's finding accepted as read: the note is right, and it is not the patient's feature
                  "noted": "✔ noted: a relative's, not the patient's",
                  # the note says one thing, the case's recorded features the other: the clinician decides
                  "recorded excluded": "⚠ recorded as excluded", "recorded present": "⚠ recorded as present"}


EXCLUDE_TIP = "Add the selected terms as excluded findings (absent in the patient)"
# "Excluded" is the patient's: a relative having a finding, or not, says nothing of whether the patient lacks it
RELATIVES_NOT_EXCLUDED = ("what the note says of a relative says nothing of whether the patient lacks the finding: "
                          "Accept notes it as a relative's, Reject if the note was misread; add the term as excluded "
                          "from the search if the patient was examined for it")


def found_as(term: Any) -> str:
    """How the note states the finding, as raretrace.text flagged it."""
    if term.family:
        return "family"
    if term.excluded:
        return "excluded"
    if term.uncertain:
        return "uncertain"
    return "present"


def found_words(term: Any) -> str:
    """found_as in words; a relative's finding the note negates ("no family history of seizures") says so."""
    if term.family and term.excluded:
        return "not in relatives (negated)"
    return FOUND_WORDS[found_as(term)]


def _group(title: str, name: str) -> tuple[QGroupBox, QVBoxLayout]:
    box = QGroupBox(title)
    box.setObjectName(name)
    layout = QVBoxLayout(box)
    # 3 px above and below: the tab's three stacked boxes then leave the 16 px a second line in the patient header
    # takes (the note's offer, the counts, its warning) on a 960x540 screen (1920x1080 at 200 %)
    layout.setContentsMargins(6, 3, 6, 3)
    layout.setSpacing(4)
    return box, layout


class WrappedStatus(CutLabel):
    """A message that wraps in the room beside a button; where a short window leaves fewer lines than it needs,
    the last line drawn ends with "…" and the message is whole in its tooltip (centred and clipped, it lost its
    first and last lines mid-letter). text() stays whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the labels of terms

    def shown(self) -> str:
        """The text as drawn in the label's room."""
        text, room = self.text(), self.contentsRect()
        metrics = self.fontMetrics()
        layout = QTextLayout(text, self.font())
        layout.beginLayout()
        starts = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(room.width())
            starts.append(line.textStart())
        layout.endLayout()
        fits = max(1, room.height() // max(1, metrics.lineSpacing()))
        if len(starts) <= fits:
            return text
        last = starts[fits - 1]
        return text[:last] + metrics.elidedText(" ".join(text[last:].split()), Qt.TextElideMode.ElideRight,
                                                room.width())

    def draw_flags(self) -> int:
        return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)


class FittedRichText(QLabel):
    """Rich text that wraps; where a short window leaves fewer lines than it needs, it ends with "…" on the last
    whole line that fits (clipped, the next line was cut through the letters). The whole text is in its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)

    def fitted(self, room: QRect | None = None) -> QTextDocument:
        """The text laid out at the room's width (the label's, without `room`), cut to the lines the room's height
        holds."""
        width = (room or self.contentsRect()).width()
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(self.font())
        doc.setHtml(self.text())
        doc.setTextWidth(width)
        if room is None or doc.size().height() <= room.height():
            return doc
        cut = None  # the end of the last line that fits whole; one line at the least
        block = doc.begin()
        while block.isValid():
            top = doc.documentLayout().blockBoundingRect(block).top()
            lines = block.layout()
            for n in range(lines.lineCount()):
                line = lines.lineAt(n)
                if cut is not None and top + line.y() + line.height() > room.height():
                    block = doc.end()
                    break
                cut = block.position() + line.textStart() + line.textLength()
            else:
                block = block.next()
        cursor = QTextCursor(doc)
        cursor.setPosition(cut or 0)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.insertText("…")
        while doc.size().height() > room.height() and cursor.position() > 1:  # the "…" wrapped: a word gives way
            cursor.setPosition(cursor.position() - 1)
            cursor.movePosition(QTextCursor.MoveOperation.PreviousWord, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        return doc

    def paintEvent(self, event: QPaintEvent) -> None:
        room = self.contentsRect()
        if self.heightForWidth(self.width()) <= self.height():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.translate(room.topLeft())
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = self.palette()
        context.clip = QRectF(0, 0, room.width(), room.height())
        doc = self.fitted(room)  # held: its layout is the document's
        doc.documentLayout().draw(painter, context)
        painter.end()


class ButtonAndStatus(QWidget):
    """A button with its status message beside it, or under it where the room beside it holds too few characters a
    line to read in whole words (at 13 pt and the window's least width it had about 50 px: "presen", "excluc")."""

    FEWEST_CHARS = 20  # a line of the message beside the button holds at least this many

    def __init__(self, button: QPushButton, status: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button, self.status = button, status
        layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(button)
        layout.addWidget(status, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        layout = self.layout()
        room = self.width() - self.button.sizeHint().width() - layout.spacing()
        beside = room >= self.status.fontMetrics().averageCharWidth() * self.FEWEST_CHARS
        direction = QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        if layout.direction() != direction:
            layout.setDirection(direction)
            # under the message, the button keeps its own width at the left
            layout.setAlignment(self.button, Qt.AlignmentFlag(0) if beside else Qt.AlignmentFlag.AlignLeft)


class NoteEditor(QPlainTextEdit):
    """The clinical note; terms found in it are highlighted at their spans."""

    def _place(self, cursor: QTextCursor, start: int, end: int) -> None:
        """Select the span [start, end) of the note's text in code points, as the extractor counts: the cursor
        counts UTF-16 units, two for a character beyond the BMP (an emoji), so after one the span would stand a
        character to the left."""
        text = self.toPlainText()
        for n, anchor in ((start, QTextCursor.MoveMode.MoveAnchor), (end, QTextCursor.MoveMode.KeepAnchor)):
            cursor.setPosition(n + sum(1 for c in text[:n] if ord(c) > 0xFFFF), anchor)

    def show_terms(self, terms: list[Any], decisions: dict[tuple[str, int, int], str]) -> None:
        selections = []
        length = len(self.toPlainText())
        for term in terms:
            decision = decisions.get((term.id, term.start, term.end))
            if decision == "rejected" or term.end > length:
                continue
            colour, underline = HIGHLIGHT["excluded" if decision == "excluded" else found_as(term)]
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(colour))
            fmt.setForeground(QColor(INK))  # the highlights are light: the palette's text is white in dark mode
            fmt.setUnderlineStyle(underline)
            if found_as(term) == "excluded" or decision == "excluded":
                fmt.setFontStrikeOut(True)
            if decision in ("accepted", "excluded"):
                fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setToolTip(f"{term.label} ({term.id}) — {found_words(term)}")
            cursor = QTextCursor(self.document())
            self._place(cursor, term.start, term.end)
            sel.cursor = cursor
            sel.format = fmt
            selections.append(sel)
        self.setExtraSelections(selections)

    def select_span(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        self._place(cursor, start, min(end, len(self.toPlainText())))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()


class OnsetDelegate(QStyledItemDelegate):
    """Onset is picked from the HPO onset terms (and keeps an ISO 8601 age that came with a phenopacket)."""

    def __init__(self, panel: PhenotypesPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.open_editor: tuple[QComboBox, str] | None = None  # the editor open now and the feature it is for

    def createEditor(self, parent: QWidget, _option: Any, index: Any) -> QWidget:
        box = QComboBox(parent)
        box.setAccessibleName("Onset")
        box.addItem("—", "")
        for oid, label in self.panel._onsets:
            box.addItem(label, oid)
        self.open_editor = (box, index.data(ID_ROLE))
        return box

    def destroyEditor(self, editor: QWidget, index: Any) -> None:
        if self.open_editor is not None and self.open_editor[0] is editor:
            self.open_editor = None
        super().destroyEditor(editor, index)

    def setEditorData(self, editor: QWidget, index: Any) -> None:
        onset = index.data(ONSET_ROLE) or ""
        if onset and editor.findData(onset) < 0:
            editor.addItem(onset, onset)
        editor.setCurrentIndex(max(0, editor.findData(onset)))
        editor.showPopup()

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:
        model.setData(index, editor.currentData() or "", ONSET_ROLE)
        model.setData(index, self.panel.onset_label(editor.currentData()), Qt.ItemDataRole.DisplayRole)


class FoundCellDelegate(QStyledItemDelegate):
    """A cell of the terms found that wraps onto up to FoundTermsTree.LINES lines where its column is narrower than
    its text. On one line a 1024-px window read "presen…", "exclud…" and "⚠ recorde…": what a term was found as,
    and the case's contradiction, only on hover. A row is as tall as its fullest cell needs; what still does not fit
    ends with "…" on its last line (Qt's wrapped drawing) and reads whole on hover."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> Any:  # noqa: N802 (Qt's name)
        size = super().sizeHint(option, index)
        tree = self.parent()
        if isinstance(tree, FoundTermsTree) and tree.wordWrap():
            shown = QStyleOptionViewItem(option)
            self.initStyleOption(shown, index)
            lines = tree.lines_for(shown.text, tree.columnWidth(index.column()))
            size.setHeight(size.height() + (lines - 1) * tree.fontMetrics().lineSpacing())
        return size


class TermDelegate(FoundCellDelegate):
    """The found terms as "Name  (HP:…)" where every one fits, else their names alone, cut with "…": in a narrow
    list the IDs took the room of the names ("Macroceph…"); each is in its tooltip, and the ontology browser shows it
    once selected. All or none, so that the column reads alike."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:  # noqa: N802 (Qt's name)
        super().initStyleOption(option, index)
        tree = option.widget
        label = index.data(LABEL_ROLE)
        if label and isinstance(tree, FoundTermsTree) and option.rect.width() < tree.widest_term:
            option.text = label


class FoundTermsTree(QTreeWidget):
    """The terms found in the note. The HPO term takes the width left; the note's words, "Found as" and "Decision"
    take what their words need while the term keeps what it needs (or a third of the width), else a share each,
    cut with "…" (whole on hover). Sized to their contents, the last two left the term a few letters in a 1024-px
    window and pushed the decision past the right edge, behind a horizontal scrollbar. Where even their shares would
    leave the term fewer than TERM_CHARS, the note's words give way (they are highlighted in the note, which a row
    selected selects, and said in the term's tooltip): at 13 pt on a 1024-px screen the four columns read "In t…",
    "Seizure …", "Fo…", "Deci…"."""

    SHARES = {0: 0.22, 2: 0.18, 3: 0.24}  # of the list's width, where not all the words fit
    NARROW_SHARES = {2: 0.2, 3: 0.24}  # without the note's words: the term takes most of what they leave
    TERM_CHARS = 18  # what the term keeps before the note's words give way
    LINES = 3  # the most lines a cell wraps onto (FoundCellDelegate)
    widest_term = 0  # the room the widest "Name  (HP:…)" needs (TermDelegate)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setItemDelegate(FoundCellDelegate(self))

    def text_margin(self) -> int:
        """The room a cell leaves beside its text (Qt's item text margin, on both sides)."""
        return 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1)

    def lines_for(self, text: str, column_width: int) -> int:
        """How many lines (at most LINES) `text` wraps onto between words in a column `column_width` wide."""
        room = max(1, column_width - self.text_margin())
        layout = QTextLayout(text, self.font())
        layout.beginLayout()
        lines = 0
        while lines < self.LINES and (line := layout.createLine()).isValid():
            line.setLineWidth(room)
            lines += 1
        layout.endLayout()
        return max(1, lines)

    def fit_columns(self) -> None:
        width = self.viewport().width()
        head = self.header()
        need = {col: max(self.sizeHintForColumn(col), head.sectionSizeHint(col)) for col in (0, 1, 2, 3)}
        term = need.pop(1)
        self.widest_term = self._room(self.topLevelItem(n).text(1) for n in range(self.topLevelItemCount()))
        widths = self._shared(width, need, term, self.SHARES)
        narrow = width - sum(widths.values()) < min(term, self.TERM_CHARS * self.fontMetrics().averageCharWidth())
        self.setColumnHidden(0, narrow)
        if narrow:
            del need[0]
            widths = self._shared(width, need, term, self.NARROW_SHARES)
        # their cells wrap between words: what the term was found as and the decision keep their longest word, and
        # the room the term does not need (its longest name, or a third of the list) goes to them, then to the note's
        # words, so that their rows take fewer lines
        for col in (2, 3):
            widths[col] = min(need[col], max(widths[col], self.widest_word(col)))
        spare = width - sum(widths.values()) - max(self.widest_name(), width // 3)
        for col in (3, 2, 0):
            if col in widths and spare > 0:
                give = max(0, min(spare, need[col] - widths[col]))
                widths[col] += give
                spare -= give
        for col, col_width in widths.items():
            self.setColumnWidth(col, col_width)
        self.scheduleDelayedItemsLayout()  # the rows' heights follow their cells' lines at the new widths

    def _room(self, texts: Iterable[str]) -> int:
        """The room a cell needs for the widest of `texts` on one line (its margins included)."""
        advance = self.fontMetrics().horizontalAdvance
        return max(map(advance, texts), default=0) + self.text_margin()

    def widest_word(self, col: int) -> int:
        """The room the column's longest word needs: narrower, a wrapped cell cuts it."""
        return self._room(word for n in range(self.topLevelItemCount()) for word in self.topLevelItem(n).text(col).split())

    def widest_name(self) -> int:
        """The room the longest term name (without its ID, as TermDelegate shows it in a narrow list) needs."""
        return self._room(self.topLevelItem(n).data(1, LABEL_ROLE) or "" for n in range(self.topLevelItemCount()))

    @staticmethod
    def _shared(width: int, need: dict[int, int], term: int, shares: dict[int, float]) -> dict[int, int]:
        """The columns' widths beside the term: what they need, or where that leaves the term too little, a share."""
        tight = width - sum(need.values()) < min(term, width // 3)
        return {col: min(need[col], int(width * share)) if tight else need[col] for col, share in shares.items()}

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.fit_columns()


class FeaturesTable(QTableWidget):
    """The patient's features. The name takes the width left; Excluded keeps its header's width, Onset and From the
    width of their longest value (an onset at most ONSET_CHARS), as long as the name keeps NAME_CHARS: in a narrower
    table From, then Onset, give way down to their headers' width, cut with "…" (whole on hover). Set for the default
    font (110 and 72 px), at 13 pt they read "Congenit…" and "impo…", while an Onset column kept wide for values a
    case may not have took the names' room. `resized` asks the panel's split to fit again."""

    ONSET_CHARS = 20  # "at 2 years 10 months"; HPO's onset classes are shorter
    NAME_CHARS = 12  # what the names keep before Onset and From are cut
    resized = Signal()

    def wanted(self) -> dict[int, int]:
        """The widths Excluded, Onset and From take where the table has room."""
        head, char = self.horizontalHeader(), self.fontMetrics().averageCharWidth()
        want = {col: max(head.sectionSizeHint(col), self.sizeHintForColumn(col)) for col in (1, 2, 3)}
        want[2] = min(want[2], max(head.sectionSizeHint(2), self.ONSET_CHARS * char))
        return want

    def fit_columns(self) -> None:
        head = self.horizontalHeader()
        widths = self.wanted()
        short = sum(widths.values()) + self.NAME_CHARS * self.fontMetrics().averageCharWidth() - self.viewport().width()
        for col in (3, 2):
            give = max(0, min(short, widths[col] - head.sectionSizeHint(col)))
            widths[col] -= give
            short -= give
        for col, width in widths.items():
            self.setColumnWidth(col, width)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.fit_columns()
        self.resized.emit()


class OntologyBrowser(QWidget):
    """One term with its parents and (lazily expanded) children, its definition and synonyms."""

    add_requested = Signal(str, str, bool)  # id, label, excluded

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine: Engine | None = None
        self.current: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # the intro until a term is shown: in a short window it ends with "…" and reads whole on hover (clipped,
        # its second line was cut through the letters); the term's name and ID then head the browser instead
        self.intro = WrappedStatus()
        self.intro.setObjectName("ontologyIntro")
        self.intro.setText("Pick a term to see where it sits in the HPO; double-click a term to browse from it.")
        self.title = QLabel("")
        self.title.setObjectName("ontologyTitle")
        self.title.hide()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # in a short window its last whole line ends with "…": the whole definition and synonyms are in its tooltip
        self.definition = FittedRichText()
        self.definition.setObjectName("ontologyDefinition")
        self.definition.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.definition.setAccessibleName("Term definition")
        # one line at the least: its synonyms on a line of their own made the window's least height grow as soon as
        # a term was shown, pushing the status bar off a small screen (a taller window shows all of it)
        self.definition.setMinimumHeight(self.definition.fontMetrics().height())
        self.tree = QTreeWidget()
        self.tree.setObjectName("ontologyTree")
        self.tree.setAccessibleName("Ontology tree: parents and children of the term")
        self.tree.setHeaderLabels(["Term", "HPO ID"])
        self.tree.setColumnCount(2)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.itemExpanded.connect(self._expand)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self.show_term(item.data(0, ID_ROLE)))
        self.tree.currentItemChanged.connect(self._describe_selected)
        buttons = QHBoxLayout()
        self.add_present = QPushButton("Add as present")
        self.add_present.setAccessibleName("Add the selected ontology term as present")
        self.add_excluded = QPushButton("Add as excluded")
        self.add_excluded.setAccessibleName("Add the selected ontology term as excluded")
        self.add_present.clicked.connect(lambda: self._add(False))
        self.add_excluded.clicked.connect(lambda: self._add(True))
        self.tree.setToolTip("Double-click a term to browse from it")
        buttons.addWidget(self.add_present)
        buttons.addWidget(self.add_excluded)
        buttons.addStretch(1)
        # The least window must fit 1920×1080 at 200 % (540 px high, less a taskbar and the title bar): the tree
        # keeps its header and one row there (Qt's default least height is about three), more in a taller window;
        # the term's name and its definition read as one paragraph.
        layout.setSpacing(4)
        about = QVBoxLayout()
        about.setSpacing(0)
        about.addWidget(self.intro)
        about.addWidget(self.title)
        about.addWidget(self.definition)
        self.tree.setMinimumHeight(self.tree.header().sizeHint().height() + self.tree.fontMetrics().height() + 4
                                   + 2 * self.tree.frameWidth())
        layout.addLayout(about)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.setEnabled(False)

    def set_engine(self, engine: Engine) -> None:
        self.engine = engine
        self.setEnabled(True)

    def reset(self) -> None:
        """Back to the intro, no term shown: another case opened (the term shown was the last case's, maybe one
        removed from it, still selected with its parents expanded)."""
        self.current = None
        self.tree.clear()
        self.title.hide()
        self.title.setText("")
        self.definition.setText("")
        self.definition.setToolTip("")
        self.intro.show()

    def _item(self, idx: int, lazy: bool) -> QTreeWidgetItem:
        onto = self.engine.ontology
        item = QTreeWidgetItem([onto.labels[idx], onto.ids[idx]])
        item.setData(0, ID_ROLE, onto.ids[idx])
        item.setToolTip(0, f"{onto.labels[idx]} ({onto.ids[idx]}) — double-click to browse from here")
        if lazy and len(onto.children(idx)):
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        return item

    def show_term(self, term_id: str | None) -> None:
        if not term_id or self.engine is None:
            return
        onto = self.engine.ontology
        res = onto.resolve(term_id)
        if res.index is None:
            return
        idx = res.index
        self.current = onto.ids[idx]
        self.tree.clear()
        parents = QTreeWidgetItem(["▲ Parents", ""])
        parents.setFlags(parents.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        for p in onto.parents(idx):
            parents.addChild(self._item(int(p), lazy=False))
        me = self._item(idx, lazy=False)
        font = me.font(0)
        font.setBold(True)
        me.setFont(0, font)
        for c in sorted(onto.children(idx), key=lambda i: onto.labels[int(i)].casefold()):
            me.addChild(self._item(int(c), lazy=True))
        self.tree.addTopLevelItem(parents)
        self.tree.addTopLevelItem(me)
        parents.setExpanded(True)
        me.setExpanded(True)
        self.tree.setCurrentItem(me)
        self._describe(self.current)

    def _expand(self, item: QTreeWidgetItem) -> None:
        term_id = item.data(0, ID_ROLE)
        if not term_id or item.childCount() or self.engine is None:
            return
        onto = self.engine.ontology
        idx = onto.index[term_id]
        for c in sorted(onto.children(idx), key=lambda i: onto.labels[int(i)].casefold()):
            item.addChild(self._item(int(c), lazy=True))

    def _describe_selected(self, item: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None = None) -> None:
        if item is not None and item.data(0, ID_ROLE):
            self._describe(item.data(0, ID_ROLE))

    def _describe(self, term_id: str) -> None:
        term = self.engine.ontology.term(term_id)
        grey = muted(self.title).name()
        self.title.setText(f"<b>{html.escape(term.label)}</b> <span style='color:{grey}'>{term.id}</span>")
        self.intro.hide()
        self.title.show()
        # At most a few lines here, so the tree keeps its room; the whole text is in the tooltip.
        definition = term.definition or "No definition in this HPO release."
        short = definition if len(definition) <= 220 else definition[:220].rsplit(" ", 1)[0] + " …"
        text = html.escape(short)
        if term.synonyms:
            more = f" (+{len(term.synonyms) - 4})" if len(term.synonyms) > 4 else ""
            text += f"<br/><span style='color:{grey}'>Synonyms: " + html.escape("; ".join(term.synonyms[:4])) + more + "</span>"
        self.definition.setText(text)
        self.definition.setToolTip(
            "<p>" + html.escape(definition) + "</p><p>Synonyms: " + html.escape("; ".join(term.synonyms) or "none") + "</p>"
        )

    def selected_term(self) -> tuple[str, str] | None:
        item = self.tree.currentItem()
        term_id = item.data(0, ID_ROLE) if item is not None else self.current
        if not term_id:
            return None
        return term_id, self.engine.ontology.label(term_id)

    def _add(self, excluded: bool) -> None:
        chosen = self.selected_term()
        if chosen:
            self.add_requested.emit(chosen[0], chosen[1], excluded)


class PhenotypesPanel(QWidget):
    FEATURES_SHARE = 600 / 1120  # the right side's (features, search, browser) of a wide window, as it was
    FEATURE_CHARS = 26  # the room, in average characters, the features' names take before the note's side gives way
    NOTE_CHARS = 30  # what the note's side keeps before the right side takes more than its share

    def __init__(self, document: CaseDocument, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.runner = runner
        self.engine: Engine | None = None
        self.found: list[Any] = []  # terms found in the note (raretrace.text results)
        # what the message under the note says: "" (nothing), "busy" (finding terms), "error" (the extraction
        # failed), "found" (the terms found and how many are left to review) or "said" (what an action did, until
        # the next change of the decisions, the features or the note, when it gives way to "found")
        self._note_said = ""
        self._onsets: list[tuple[str, str]] = []
        self._build()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        # the note wraps; the features table cuts its names: a narrow window gives the table room first
        split = RoomSplit(1, self.FEATURES_SHARE, self.NOTE_CHARS, self._features_need)
        self.split = split
        split.setObjectName("phenotypesSplitter")
        split.setChildrenCollapsible(False)
        outer.addWidget(split)

        # left: note and the terms found in it
        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        note_box, note_layout = _group("Clinical note", "noteBox")
        self.note = NoteEditor()
        self.note.setObjectName("noteEditor")
        self.note.setAccessibleName("Clinical note")
        # Tab moves on, as everywhere else in the window: it typed a tab into the note and kept the keyboard there
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(
            "Type or paste the clinical description. Terms are found as you type: blue underlined = present, "
            "grey struck-through = excluded (negated), orange dotted = uncertain, purple dashed = a relative's finding."
        )
        self.note.textChanged.connect(self._note_edited)
        self.find_button = QPushButton("Find terms in the note")
        self.find_button.setAccessibleName("Find HPO terms in the note")
        self.find_button.clicked.connect(self.extract_now)
        self.note_status = WrappedStatus()
        self.note_status.setObjectName("noteStatus")
        # a long message wraps (cut with "…" in a short window); it must not widen the note side of the panel
        self.note_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        note_layout.addWidget(self.note, 1)
        note_layout.addWidget(ButtonAndStatus(self.find_button, self.note_status))

        found_box, found_layout = _group("Terms found in the note", "foundBox")
        self.found_tree = FoundTermsTree()
        self.found_tree.setObjectName("foundTerms")
        self.found_tree.setAccessibleName("Terms found in the note")
        self.found_tree.setHeaderLabels(["In the note", "HPO term", "Found as", "Decision"])
        # a narrow list cuts its headers with "…", as their cells; each reads whole on hover
        for col, tip in enumerate(("In the note: the words the term was found in", "HPO term: the term found, with its ID",
                                   "Found as: present, excluded (negated), uncertain, or a relative's finding; with "
                                   "the onset the note gives it, filled in when the finding is accepted",
                                   "Decision: what you decided (Accept, Mark excluded, Reject), or how the case records it")):
            self.found_tree.headerItem().setToolTip(col, tip)
        self.found_tree.setItemDelegateForColumn(1, TermDelegate(self.found_tree))
        self.found_tree.setRootIsDecorated(False)
        self.found_tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.found_tree.setAlternatingRowColors(True)
        head = self.found_tree.header()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setStretchLastSection(False)
        head.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.found_tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.found_tree.currentItemChanged.connect(self._found_selected)
        self.found_tree.itemSelectionChanged.connect(self._fit_exclude_button)
        self.found_tree.itemDoubleClicked.connect(lambda *_: self.decide_selected("accepted"))
        # the keyboard decides as the mouse does: Enter accepts, Delete rejects (in this list only); Ctrl+C copies
        # the selected terms' HPO IDs
        # (whatsThis names each key in Help → Keyboard shortcuts; the keypad's Enter goes unlisted beside Return)
        for key, action, what in ((Qt.Key.Key_Return, lambda: self.decide_selected("accepted"), "Accept"),
                                  (Qt.Key.Key_Enter, lambda: self.decide_selected("accepted"), ""),
                                  (QKeySequence.StandardKey.Delete, lambda: self.decide_selected("rejected"), "Reject")):
            QShortcut(QKeySequence(key), self.found_tree, activated=action, context=Qt.ShortcutContext.WidgetShortcut,
                      whatsThis=what)
        QShortcut(QKeySequence.StandardKey.Copy, self.found_tree, activated=self._copy_found_ids,
                  context=Qt.ShortcutContext.WidgetShortcut, whatsThis="Copy the HPO IDs")
        # wraps onto a second line in a narrow window: in one row the four buttons made the window too wide for a
        # 1024-px screen
        buttons = FlowLayout(trailing=1)
        self.accept_button = QPushButton("Accept")
        self.accept_button.setToolTip("Add the selected terms as found (present, or excluded when negated); a relative's "
                                      "finding is noted, not added to the patient's features")
        self.exclude_button = QPushButton("Mark excluded")
        self.exclude_button.setToolTip(EXCLUDE_TIP)
        self.reject_button = QPushButton("Reject")
        self.reject_button.setToolTip("Not a finding of this patient; remove it if it was added")
        self.accept_all_button = QPushButton("Accept all certain")
        self.accept_all_button.setToolTip(
            "Accept every present or excluded term; uncertain ones and relatives' findings stay for review"
        )
        for button, decision in (
            (self.accept_button, "accepted"),
            (self.exclude_button, "excluded"),
            (self.reject_button, "rejected"),
        ):
            button.setAccessibleName(button.text() + " the selected terms")
            button.clicked.connect(lambda _=False, d=decision: self.decide_selected(d))
            buttons.addWidget(button)
        self.accept_all_button.setAccessibleName("Accept all certain terms")
        self.accept_all_button.clicked.connect(self.accept_all)
        buttons.addWidget(self.accept_all_button)
        found_layout.addWidget(self.found_tree, 1)
        found_layout.addLayout(buttons)
        left.addWidget(note_box)
        left.addWidget(found_box)
        left.setSizes([300, 260])

        # right: search, chosen terms, ontology browser
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        search_box, search_layout = _group("Add an HPO term", "searchBox")
        self.search = QLineEdit()
        self.search.setObjectName("hpoSearch")
        self.search.setAccessibleName("Search HPO terms")
        self.search.setPlaceholderText("Search HPO by label, synonym or ID (Ctrl+F) — Enter adds the first match")
        self.search.setClearButtonEnabled(True)
        self.suggestions = QStandardItemModel(self)
        self.completer = QCompleter(self.suggestions, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionRole(LABEL_ROLE)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(self.search)
        self.completer.activated[QModelIndex].connect(self._suggestion_chosen)
        self.completer.highlighted[QModelIndex].connect(
            lambda index: self.browser.show_term(index.data(ID_ROLE)) if index.isValid() else None
        )
        self._suggested_for = ""  # the text whose search gave the suggestions listed
        self._said_listed: tuple[str, str, bool] | None = None  # (search status, term ID, excluded) of an addition
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textEdited.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._add_first_suggestion)
        self.search_status = QLabel("")
        self.search_status.setObjectName("searchStatus")
        search_layout.addWidget(self.search)
        search_layout.addWidget(self.search_status)

        right_split = QSplitter(Qt.Orientation.Vertical)
        right_split.setChildrenCollapsible(False)
        chosen_box, chosen_layout = _group("Patient's features", "chosenBox")
        self.chosen_box = chosen_box
        self.chosen = FeaturesTable(0, 4)
        self.chosen.setObjectName("chosenTerms")
        self.chosen.setAccessibleName("Patient's features: present and excluded HPO terms")
        self.chosen.setHorizontalHeaderLabels(["Feature", "Excluded", "Onset", "From"])
        self.chosen.verticalHeader().setVisible(False)
        self.chosen.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.chosen.setTabKeyNavigation(False)  # arrows move between cells; Tab moves on (Qt's tables trap it)
        self.chosen.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.chosen.setItemDelegateForColumn(2, OnsetDelegate(self))
        self.chosen.itemChanged.connect(self._chosen_changed)
        # A click anywhere in the Excluded cell toggles it, not only on its small box (Qt toggles on the box only)
        self._pressed_state: Qt.CheckState | None = None
        self.chosen.pressed.connect(self._excluded_pressed)
        self.chosen.clicked.connect(self._excluded_clicked)
        self.chosen.setAlternatingRowColors(True)
        self.chosen.setWordWrap(False)
        self.chosen.setTextElideMode(Qt.TextElideMode.ElideRight)
        ch = self.chosen.horizontalHeader()
        ch.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):  # as wide as their values (fit_columns), at least their headers ("Excludec" at 13 pt)
            ch.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        # once the table is laid out at its new width: the room around it is measured on it
        self._fit_split = QTimer(self, singleShot=True, interval=0)
        self._fit_split.timeout.connect(lambda: self.split.fit())
        self.chosen.resized.connect(self._fit_split.start)
        self.chosen.setMinimumWidth(380)  # the feature names keep ~120 px in a small window
        self.chosen.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # two features in the least window, no more: it must fit a 540-px-high screen (Qt's default is a bit more)
        self.chosen.setMinimumHeight(self.chosen.horizontalHeader().sizeHint().height()
                                     + 2 * self.chosen.verticalHeader().defaultSectionSize() + 2 * self.chosen.frameWidth())
        self.chosen.currentCellChanged.connect(self._chosen_selected)
        remove_row = QHBoxLayout()
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove the selected features")
        self.remove_button.setToolTip("Remove the selected features (Delete)")
        self.remove_button.clicked.connect(self.remove_selected)
        # Delete in this list only: a window-wide Delete (Qt's default) pressed in the terms found in the note or
        # the case list silently removed the feature selected here
        QShortcut(QKeySequence.StandardKey.Delete, self.chosen, activated=self.remove_selected,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut, whatsThis="Remove")
        QShortcut(QKeySequence.StandardKey.Copy, self.chosen, activated=self._copy_chosen_ids,
                  context=Qt.ShortcutContext.WidgetShortcut, whatsThis="Copy the HPO IDs")
        self.chosen_summary = QLabel("")
        remove_row.addWidget(self.chosen_summary, 1)
        remove_row.addWidget(self.remove_button)
        chosen_layout.addWidget(self.chosen, 1)
        chosen_layout.addLayout(remove_row)

        browser_box, browser_layout = _group("Ontology browser", "browserBox")
        self.browser = OntologyBrowser()
        self.browser.setAccessibleName("Ontology browser")
        self.browser.add_requested.connect(self._add_term)
        browser_layout.addWidget(self.browser)
        right_split.addWidget(chosen_box)
        right_split.addWidget(browser_box)
        right_split.setSizes([290, 270])
        right_layout.addWidget(search_box)
        right_layout.addWidget(right_split, 1)

        split.addWidget(left)
        split.addWidget(right)

        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.extract_now)
        self.document.phenotypes_changed.connect(self.refresh_chosen)
        self.document.phenotypes_changed.connect(self._refresh_found)
        self.set_engine_ready(False)
        self.refresh_chosen()

    def _features_need(self) -> int:
        """The right side's width that leaves the features' names FEATURE_CHARS beside the other columns."""
        table = self.chosen
        around = self.split.widget(1).width() - table.viewport().width()  # margins, frames, the scrollbar
        columns = sum(table.wanted().values())
        return around + columns + self.FEATURE_CHARS * table.fontMetrics().averageCharWidth()

    # ------------------------------------------------------------------ engine

    def set_engine(self, engine: Engine) -> None:
        self.engine = engine
        self.browser.set_engine(engine)
        onto = engine.ontology
        root = onto.index.get(ONSET_ROOT)
        self._onsets = []
        if root is not None:
            # Onset terms in the order HPO lists them (antenatal .. adult), one level of detail below each.
            for child in onto.children(root):
                self._onsets.append((onto.ids[int(child)], onto.labels[int(child)]))
                for grandchild in onto.children(int(child)):
                    self._onsets.append((onto.ids[int(grandchild)], "   " + onto.labels[int(grandchild)]))
        self.set_engine_ready(True)
        self.refresh_chosen()
        if self.note.toPlainText().strip():
            self.extract_now()

    def set_engine_ready(self, ready: bool) -> None:
        self.search.setEnabled(ready)
        self.find_button.setEnabled(ready)
        self.search_status.setText("" if ready else "Loading the knowledge base…")

    # ------------------------------------------------------------------ note and extraction

    def load_document(self) -> None:
        """Show a newly opened document."""
        with QSignalBlocker(self.note):
            self.note.setPlainText(self.document.note)
        self.found = []
        self.found_tree.clear()
        self.note.setExtraSelections([])
        self._say_in_note("", "")
        self.search_status.setText("")  # "Added …" spoke of the previous case
        self.browser.reset()  # the term it showed was the previous case's (or one since removed from this one)
        self.refresh_chosen()
        if self.engine is not None and self.document.note.strip():
            self.extract_now()

    def _note_edited(self) -> None:
        old, text = self.document.note, self.note.toPlainText()
        if self.found and old != text:
            # the terms found keep to their words until the next extraction: a row chosen, accepted or rejected
            # meanwhile selects and decides the words it names, not what now stands at its old offsets. A term
            # whose words were edited leaves the list (and its highlight goes); the highlights of the others move
            # with their words by themselves (they are text cursors).
            bounds = edit_bounds(old, text)
            kept = []
            for term in self.found:
                span = shift_span(term.start, term.end, bounds)
                if span is not None:
                    kept.append(term if span == (term.start, term.end) else replace(term, start=span[0], end=span[1]))
            dropped = len(kept) != len(self.found)
            self.found = kept
        else:
            dropped = False
        self.document.set_note(text)
        if dropped:
            self._refresh_found()
        elif self._note_said == "said" and old != text:
            self._say_found()  # an action's message ("Not accepted: the note contradicts ...") spoke of the old note
        if self.engine is not None:
            self._note_timer.start()

    def extract_now(self) -> None:
        self._note_timer.stop()
        if self.engine is None:
            return
        text = self.note.toPlainText()
        if not text.strip():
            self.found = []
            self._refresh_found()
            self._say_in_note("", "")
            return
        engine = self.engine
        self._say_in_note("Finding terms…", "busy")
        self.runner.start(
            "extract",
            lambda ctx: (text, engine.extractor.extract(text)),
            on_done=self._extracted,
            on_failed=self._extract_failed,
        )

    def _extracted(self, payload: tuple[str, list[Any]]) -> None:
        text, terms = payload
        if text != self.note.toPlainText():
            return  # typed on meanwhile; the next extraction comes
        # a broader term reported beside its qualified one ("Ptosis" beside "Bilateral ptosis") adds nothing to a case
        self.found = [t for t in terms if not t.broader]
        self._note_said = "found"
        self._refresh_found()  # says it

    def _extract_failed(self, message: str) -> None:
        self._say_in_note(message, "error")

    def _say_in_note(self, text: str, kind: str) -> None:
        """Show `text` under the note; `kind` is what it says (see self._note_said)."""
        self._note_said = kind
        self.note_status.setText(text)

    def _say_found(self) -> None:
        """The terms found, as the note states them, and how many are left for the clinician to decide (undecided,
        or stated opposite to how the case records them) as the decisions and the features stand now."""
        counts = {kind: sum(1 for t in self.found if found_as(t) == kind) for kind in FOUND_WORDS}
        parts = [f"{counts['present']} present", f"{counts['excluded']} excluded"]
        parts += [f"{counts[k]} {w}" for k, w in (("uncertain", "uncertain"), ("family", "about relatives")) if counts[k]]
        left = sum(1 for t in self.found if self._shown_decision(t) in ("", "recorded excluded", "recorded present"))
        review = (f"; {left} to review" if left else "; none left to review") if self.found else ""
        self._say_in_note(f"{counted(len(self.found), 'term')} found: " + ", ".join(parts) + review, "found")

    def _refresh_found(self) -> None:
        selected = {(i.data(0, ID_ROLE), i.data(1, ID_ROLE)) for i in self.found_tree.selectedItems()}
        self.found_tree.clear()
        for n, term in enumerate(self.found):
            decision = self._shown_decision(term)
            # the onset the note gives the finding, worded as the Onset column words it once the finding is accepted
            onset = self.onset_label(term.onset) if term.onset else ""
            found = found_words(term) + (f" · {onset}" if onset else "")
            item = QTreeWidgetItem([term.text, f"{term.label}  ({term.id})", found, DECISION_WORDS.get(decision, "")])
            item.setData(0, ID_ROLE, term.id)
            item.setData(1, ID_ROLE, n)
            item.setData(1, LABEL_ROLE, term.label)
            for col in (0, 2, 3):  # whole on hover where a narrow column cuts it (the note's words: typed text)
                if item.text(col):
                    item.setToolTip(col, plain_tip(item.text(col)))
            if onset:
                item.setToolTip(2, plain_tip(f"{found_words(term)}; onset as the note gives it: {onset} (goes to the "
                                             "Onset column when accepted, unless it has one)"))
            # with the note's words: their column gives way in a narrow list
            item.setToolTip(1, plain_tip(f"{term.label} ({term.id})\nIn the note: “{term.text}”"
                                         + (f"\nOnset: {onset}" if onset else "")))
            if decision == "rejected":
                for col in range(4):
                    item.setForeground(col, muted(self.found_tree, on_base=True))
            self.found_tree.addTopLevelItem(item)
            if (term.id, n) in selected:
                item.setSelected(True)
        self.found_tree.fit_columns()
        self.note.show_terms(self.found, self._effective_decisions())
        self._fit_exclude_button()
        if self._note_said in ("found", "said"):  # a decision, a feature or the note changed: say how they stand
            self._say_found()

    def _effective_decisions(self) -> dict[tuple[str, int, int], str]:
        out = dict(self.document.decisions)
        for term in self.found:
            key = (term.id, term.start, term.end)
            shown = self._shown_decision(term)
            if shown in ("", "recorded excluded", "recorded present"):  # a contradiction keeps the note's wording
                out.pop(key, None)
            else:
                out[key] = shown
        return out

    def _shown_decision(self, term: Any) -> str:
        """The decision shown for a finding: the clinician's while the case's features still agree with it; once
        the feature was removed or its Excluded box changed in the features table, what the case records now (as
        a reopened case shows it), never a "✔ accepted" for a feature the case no longer has as accepted."""
        decision = self.document.decisions.get((term.id, term.start, term.end), "")
        if decision in ("accepted", "excluded"):
            pheno = self.document.phenotype(term.id)
            if pheno is not None and pheno.excluded == (decision == "excluded" or found_as(term) == "excluded"):
                # a negated finding accepted reads "accepted as excluded", as it does once the case is reopened
                return "excluded" if pheno.excluded else "accepted"
            return self._recorded(term)
        return decision or self._recorded(term)

    def _recorded(self, term: Any) -> str:
        """How the case already records a term found in the note: '' (not at all), 'accepted' or 'excluded' when
        the note agrees, 'recorded excluded' / 'recorded present' when it says the opposite. A relative's finding
        is never the patient's feature of the same term: '' (the mother's macrocephaly is not "accepted" because
        the patient's is)."""
        pheno = self.document.phenotype(term.id)
        if pheno is None or found_as(term) == "family":
            return ""
        said = found_as(term)
        if said in ("present", "excluded") and (said == "excluded") != pheno.excluded:
            return "recorded excluded" if pheno.excluded else "recorded present"
        return "excluded" if pheno.excluded else "accepted"

    def _found_selected(self, item: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None = None) -> None:
        self._fit_exclude_button()  # the current row is what the buttons decide where none is selected
        if item is None:
            return
        term = self.found[item.data(1, ID_ROLE)]
        with QSignalBlocker(self.note):
            self.note.select_span(term.start, term.end)
        self.browser.show_term(term.id)

    def _found_items(self) -> list[QTreeWidgetItem]:
        return self.found_tree.selectedItems() or ([self.found_tree.currentItem()] if self.found_tree.currentItem() else [])

    def _fit_exclude_button(self) -> None:
        """"Mark excluded" is off while only relatives' findings are chosen, with the reason on hover: it records
        the patient's lack of a finding, which a relative's finding does not state (a mixed choice marks the
        patient's own, see _decide)."""
        rows = [i.data(1, ID_ROLE) for i in self._found_items()]
        terms = [self.found[n] for n in rows if isinstance(n, int) and 0 <= n < len(self.found)]
        relatives_only = bool(terms) and all(found_as(t) == "family" for t in terms)
        self.exclude_button.setEnabled(not relatives_only)
        self.exclude_button.setToolTip(f"Not for a relative's finding: {RELATIVES_NOT_EXCLUDED}" if relatives_only
                                       else EXCLUDE_TIP)

    def _copy_found_ids(self) -> None:
        ids = [self.found[i.data(1, ID_ROLE)] for i in self._found_items()]
        QApplication.clipboard().setText("\n".join(dict.fromkeys(f"{t.id}\t{t.label}" for t in ids)))

    def _copy_chosen_ids(self) -> None:
        rows = sorted({i.row() for i in self.chosen.selectedIndexes()}) or (
            [self.chosen.currentRow()] if self.chosen.currentRow() >= 0 else [])
        phenos = [self.document.phenotype(self.chosen.item(r, 0).data(ID_ROLE)) for r in rows if self.chosen.item(r, 0)]
        QApplication.clipboard().setText("\n".join(f"{p.id}\t{p.label}" for p in phenos if p is not None))

    def decide_selected(self, decision: str) -> None:
        """Decide on the terms selected in the list (or the current one): the buttons', Enter's and Delete's
        action."""
        items = self._found_items()
        self._decide([self.found[i.data(1, ID_ROLE)] for i in items], decision)

    def accept_all(self) -> None:
        """Accept what the note states plainly and the clinician has not decided on yet; uncertain findings and
        relatives' findings wait for a decision, and so does a finding the note states opposite to how the case
        records it (never overturned in bulk). A rejected or marked-excluded finding stays as decided."""
        decided = self.document.decisions
        # a finding the clinician has decided on (rejected, marked excluded) keeps that decision
        plain = [t for t in self.found if found_as(t) in ("present", "excluded") and (t.id, t.start, t.end) not in decided]
        contradicting = [t for t in plain if self._recorded(t).startswith("recorded ")]
        self._decide([t for t in plain if t not in contradicting], "accepted")
        if contradicting:
            names = ", ".join(dict.fromkeys(t.label for t in contradicting))
            self._say_in_note(f"Not accepted: the note contradicts the recorded {names}; accept or reject each "
                              "one yourself", "said")

    def _decide(self, terms: list[Any], decision: str) -> None:
        """Record the clinician's decision on each span and update the patient's features to match. A relative's
        finding accepted is noted, not added: the note says a relative has it (or, negated, that no relative has
        it), which is no feature of the patient; the search adds it to the patient explicitly. Nor is it marked
        excluded: that the patient lacks a finding is not what the note says of a relative (it is left undecided,
        and a patient's own feature of the same term is left as it is). Rejecting a span removes its feature only
        when the feature came from that span: not when it is a relative's finding, nor while another span of the
        same term in the note stays accepted."""
        relatives = []
        with self.document.one_step():  # one action: one step for Undo
            for term in terms:
                if decision in ("accepted", "excluded") and found_as(term) == "family":
                    if decision == "accepted":
                        self.document.decide(term.id, term.start, term.end, "noted", term.label)
                    relatives.append(term.label)
                    continue
                self.document.decide(term.id, term.start, term.end, decision, term.label)
                if decision == "rejected":
                    pheno = self.document.phenotype(term.id)
                    if (pheno is not None and pheno.source == "extracted" and found_as(term) != "family"
                            and not self._accepted_elsewhere(term)):
                        self.document.remove_phenotype(term.id)
                else:
                    excluded = decision == "excluded" or (decision == "accepted" and found_as(term) == "excluded")
                    # the onset the note gives the finding fills an empty Onset only (document.add_phenotype)
                    self.document.add_phenotype(term.id, term.label, excluded=excluded, source="extracted",
                                                onset=term.onset)
        self._refresh_found()
        if relatives:
            names = ", ".join(dict.fromkeys(relatives))
            if decision == "accepted":
                self._say_in_note(f"Noted as a relative's finding, not added to the patient's features: {names} "
                                  "(add it by search if the patient has it too)", "said")
            else:
                self._say_in_note(f"Not marked excluded, a relative's finding: {names} (it says nothing of whether "
                                  "the patient lacks it; add it as excluded by search if so)", "said")

    def _accepted_elsewhere(self, term: Any) -> bool:
        """Another span of the same term in the note is accepted as the patient's finding."""
        decisions = self.document.decisions
        return any(t.id == term.id and (t.start, t.end) != (term.start, term.end) and found_as(t) != "family"
                   and decisions.get((t.id, t.start, t.end)) in ("accepted", "excluded") for t in self.found)

    # ------------------------------------------------------------------ search

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _run_search(self) -> None:
        query = self.search.text()
        if self.engine is None or not query.strip():
            self.suggestions.clear()
            self.search_status.setText("")
            return
        engine = self.engine
        self.runner.start(
            "search",
            lambda ctx: (query, engine.search.search(query, limit=15)),
            on_done=self._show_suggestions,
            on_failed=self.search_status.setText,
        )

    def _show_suggestions(self, payload: tuple[str, list[Any]]) -> None:
        query, hits = payload
        if query != self.search.text():
            return
        self.suggestions.clear()
        self._suggested_for = query
        for hit in hits:
            synonym = "" if hit.matched.casefold() == hit.label.casefold() else f"  — “{hit.matched}”"
            item = QStandardItem(f"{hit.label} · {hit.id}{synonym}")  # a long synonym is what gets cut off
            item.setData(hit.id, ID_ROLE)
            item.setData(hit.label, LABEL_ROLE)
            item.setData(hit.score, SCORE_ROLE)
            item.setToolTip(hit.notice or f"{hit.label} ({hit.id})")
            self.suggestions.appendRow(item)
        self.search_status.setText(
            f"{counted(len(hits), 'suggestion')} — ↓ to pick, Enter to add" if hits else f"No HPO term matches “{query}”"
        )
        if hits and self.search.hasFocus():
            self.completer.complete()

    def _suggestion_chosen(self, index: QModelIndex) -> None:
        self._add_hit(index.data(ID_ROLE), index.data(LABEL_ROLE))

    def _add_first_suggestion(self) -> None:
        if self.completer.popup().isVisible():
            return  # the popup's own Enter picks the highlighted suggestion
        query = self.search.text()
        # the suggestions listed are for the text in the box only once its search has come back (it runs a moment
        # after typing stops, on a worker): otherwise they belong to earlier text, and the search is done here
        if self.suggestions.rowCount() and self._suggested_for == query:
            best = [(self.suggestions.item(i).data(ID_ROLE), self.suggestions.item(i).data(LABEL_ROLE),
                     self.suggestions.item(i).data(SCORE_ROLE)) for i in range(min(2, self.suggestions.rowCount()))]
        elif query.strip() and self.engine is not None:
            try:
                best = [(h.id, h.label, h.score) for h in self.engine.search.search(query, limit=2)]
            except RareTraceError as exc:
                self.search_status.setText(str(exc))
                return
        else:
            return
        # Enter takes the best match only where the text decides it: "a", "eye" or "ASD" match several terms about
        # equally well, and adding one of them blindly records a finding the clinician did not mean
        if len(best) > 1 and best[0][2] < best[1][2] + ENTER_MARGIN:
            self.search_status.setText(f"“{query.strip()}” matches several terms equally well: choose one from the "
                                       "suggestions")
            self.completer.complete()
            return
        if best:
            self._add_hit(best[0][0], best[0][1])

    def _add_hit(self, term_id: str, label: str) -> None:
        if not term_id:
            return
        self._add_term(term_id, label, excluded=False)
        self.browser.show_term(term_id)
        # The search still due for the typed text (Enter before it ran) would find the box emptied and blank the
        # status line, the word that the term was added.
        self._search_timer.stop()
        QTimer.singleShot(0, self.search.clear)  # after QCompleter writes the completion into the box
        self.suggestions.clear()

    def _add_term(self, term_id: str, label: str, excluded: bool) -> None:
        """Add a term from the search or the browser and say what happened: one listed in the other state changes
        state (the document's rule), which must not read as an addition of a finding."""
        listed = self.document.phenotype(term_id)
        changed = self.document.add_phenotype(term_id, label, excluded=excluded, source="typed")
        state = "excluded" if excluded else "present"
        if listed is None:
            text = f"Added {label} ({term_id})" + (" as excluded" if excluded else "")
        elif changed:
            text = f"{label} was listed as {'present' if excluded else 'excluded'}: now {state}"
        else:
            text = f"{label} is already listed" + (" as excluded" if excluded else "")
        self.search_status.setText(text)
        self._said_listed = (text, term_id, excluded)

    # ------------------------------------------------------------------ chosen terms

    def onset_label(self, onset: str | None) -> str:
        if not onset:
            return "—"
        found = next((label.strip() for oid, label in self._onsets if oid == onset), None)
        return found or onset_words(onset)  # an ISO 8601 age from the phenopacket, in words

    def refresh_chosen(self) -> None:
        phenos = self.document.case.phenotypes
        said = self._said_listed
        if said is not None and self.search_status.text() == said[0]:
            # "Added Brachydactyly" no longer holds once it is removed (or undone, or made excluded)
            listed = self.document.phenotype(said[1])
            if listed is None or listed.excluded != said[2]:
                self.search_status.setText("")
                self._said_listed = None
        current, column = self.chosen.currentRow(), max(0, self.chosen.currentColumn())
        self.chosen.blockSignals(True)
        self.chosen.setRowCount(len(phenos))
        for row, pheno in enumerate(phenos):
            # HPO's label of the ID, which the analysis, the evidence and the report use: a file's own label may
            # be outdated or wrong ("Short stature" on HP:0001250) and is shown only on hover, to check against
            hpo = self.engine.ontology.label(pheno.id) if self.engine else ""
            label = hpo if hpo and hpo != pheno.id else pheno.label or pheno.id
            # an obsolete, alternative or unknown ID (an imported phenopacket's) is marked where it is listed: it
            # read as a current term, and an unknown one (left out of the analysis) under the file's own label
            notice = self.engine.ontology.resolve(pheno.id).notice if self.engine else None
            item = QTableWidgetItem(("⚠ " if notice else "") + f"{label}  ({pheno.id})")
            item.setData(ID_ROLE, pheno.id)
            given = pheno.label.strip()
            item.setToolTip(plain_tip(f"{label} ({pheno.id})" + (f"\n⚠ {notice}" if notice else "")
                                      + (f"\nThe file's label: {given}"
                                         if given and given.casefold() != label.casefold() else "")))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if pheno.excluded:
                font = item.font()
                font.setStrikeOut(True)
                item.setFont(font)
                item.setForeground(muted(self.chosen, on_base=True))
            self.chosen.setItem(row, 0, item)
            status = QTableWidgetItem("")
            status.setData(Qt.ItemDataRole.AccessibleTextRole, "excluded" if pheno.excluded else "present")
            status.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            status.setCheckState(Qt.CheckState.Checked if pheno.excluded else Qt.CheckState.Unchecked)
            status.setToolTip("Tick to mark the finding as excluded (absent in the patient)")
            status.setData(ID_ROLE, pheno.id)
            self.chosen.setItem(row, 1, status)
            onset = QTableWidgetItem(self.onset_label(pheno.onset))
            onset.setData(ID_ROLE, pheno.id)
            onset.setData(ONSET_ROLE, pheno.onset or "")
            # the whole value, which a narrow column cuts, and how to change it
            onset.setToolTip(f"{onset.text()}: double-click (or F2) to change the onset" if pheno.onset
                             else "Double-click (or F2) to set the onset")
            onset.setFlags(onset.flags() | Qt.ItemFlag.ItemIsEditable)
            self.chosen.setItem(row, 2, onset)
            source = QTableWidgetItem(pheno.source)
            source.setToolTip(f"{pheno.source}: {SOURCE_WORDS[pheno.source]}" if pheno.source in SOURCE_WORDS
                              else pheno.source)
            source.setFlags(source.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.chosen.setItem(row, 3, source)
        self.chosen.blockSignals(False)
        self.chosen.fit_columns()
        self.split.fit()  # the onsets and sources shown may want other widths
        if 0 <= current < len(phenos):
            # the keyboard stays in its column: Space, Down, Space marks one feature excluded after another
            self.chosen.setCurrentCell(current, column)
        n_ex = len(self.document.case.excluded)
        self.chosen_summary.setText(f"{len(phenos) - n_ex} present, {n_ex} excluded")
        self.remove_button.setEnabled(bool(phenos))

    def _excluded_pressed(self, index: Any) -> None:
        item = self.chosen.item(index.row(), 1) if index.column() == 1 else None
        self._pressed_state = item.checkState() if item is not None else None

    def _excluded_clicked(self, index: Any) -> None:
        item = self.chosen.item(index.row(), 1) if index.column() == 1 else None
        if item is not None and self._pressed_state is not None and item.checkState() == self._pressed_state:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
        self._pressed_state = None

    def _chosen_changed(self, item: QTableWidgetItem) -> None:
        """A tick in the Excluded column or an onset picked in its editor."""
        term_id = item.data(ID_ROLE)
        if item.column() == 1:
            excluded = item.checkState() == Qt.CheckState.Checked  # read now: the table is rebuilt by the change
            QTimer.singleShot(0, lambda: self.document.set_excluded(term_id, excluded))
        elif item.column() == 2:
            onset = item.data(ONSET_ROLE) or None
            pheno = self.document.phenotype(term_id)
            if pheno is not None and (pheno.onset or None) != onset:
                QTimer.singleShot(0, lambda: self.document.set_onset(term_id, onset))

    def commit_editor(self) -> None:
        """An onset picked in the Onset column's editor that is still open is part of the case: before it is saved,
        analysed, exported or left (a shortcut such as Ctrl+N or Ctrl+Q leaves the focus in the editor, which
        commits only when it closes)."""
        delegate = self.chosen.itemDelegateForColumn(2)
        open_editor = getattr(delegate, "open_editor", None)
        if open_editor is None:
            return
        box, term_id = open_editor
        pheno = self.document.phenotype(term_id)
        onset = box.currentData() or None
        if pheno is not None and (pheno.onset or None) != onset:
            self.document.set_onset(term_id, onset)

    def _chosen_selected(self, row: int, *_: int) -> None:
        item = self.chosen.item(row, 0)
        if item is not None:
            self.browser.show_term(item.data(ID_ROLE))

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.chosen.selectedIndexes()}) or (
            [self.chosen.currentRow()] if self.chosen.currentRow() >= 0 else []
        )
        ids = [self.chosen.item(r, 0).data(ID_ROLE) for r in rows if self.chosen.item(r, 0)]
        with self.document.one_step():
            for term_id in ids:
                self.document.remove_phenotype(term_id)
