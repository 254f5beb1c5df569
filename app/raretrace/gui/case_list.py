"""The case list: cases in the local case store, searchable, most recently changed first.

The case open in the window carries a mark of its own (bold, "(open)" after its ID, a pointer icon, "Open case: …"
for a screen reader); the selection is only the row the keyboard, Enter and Delete act on. Both were once the
selection, and a click on another case moved it there: the list then read as if that patient's case were open while
the window showed another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtGui
from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QPoint,
    QPointF,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon, QKeySequence, QPainter, QPalette, QPixmap, QPolygonF, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..store import local_time
from ..words import counted

if TYPE_CHECKING:
    from ..store import CaseStore, CaseSummary
    from .workers import TaskRunner

CASE_ROLE = Qt.ItemDataRole.UserRole + 1
UPDATED_ROLE = Qt.ItemDataRole.UserRole + 2
# Items laid out per pass of the event loop: the list fills at start, on each search and after each save, and its
# word-wrapped items (a long case ID takes two or three lines) are laid out one by one. In one pass, 7,571 cases
# (a clinic's store after a few years) held the UI thread 200-320 ms on a 2-core VM; 100 at a time, under 10 ms.
LAYOUT_BATCH = 100
OPEN_WORD = "(open)"  # after the open case's ID: the mark in words, not colour alone
ICON_SIZE = 16


def open_icon(palette: QPalette, size: int = ICON_SIZE) -> QIcon:
    """A pointer (▶) in the text's colour, and in the highlighted text's on a selected row; with it, an empty icon
    of its size on the other rows keeps the cases' text in one column."""
    icon = QIcon()
    for mode, role in ((QIcon.Mode.Normal, QPalette.ColorRole.Text),
                       (QIcon.Mode.Selected, QPalette.ColorRole.HighlightedText)):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(role))
        m = size / 5
        painter.drawPolygon(QPolygonF([QPointF(m, m * 0.6), QPointF(size - m * 0.6, size / 2),
                                       QPointF(m, size - m * 0.6)]))
        painter.end()
        icon.addPixmap(pixmap, mode)
    return icon


def blank_icon(size: int = ICON_SIZE) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    return QIcon(pixmap)


def plain_tip(text: str) -> str:
    """A tooltip of typed text (a case ID): Qt reads a tooltip that looks like markup ("A<b>1") as HTML, so it is
    given as HTML that shows the text itself."""
    return QtGui.Qt.convertFromPlainText(text, QtGui.Qt.WhiteSpaceMode.WhiteSpaceNormal)


class CaseListView(QListWidget):
    """The listed cases; its context menu is asked for the case under the pointer (right click) or the keyboard's
    row (the Menu key, Shift+F10), at that case."""

    menu_requested = Signal(str, QPoint)  # case ID, where the menu goes on the screen

    def contextMenuEvent(self, event: QtGui.QContextMenuEvent) -> None:
        if event.reason() == QtGui.QContextMenuEvent.Reason.Mouse:
            item = self.itemAt(event.pos())  # a right click is in the viewport's coordinates
            at = self.viewport().mapToGlobal(event.pos())
        else:  # from the keyboard: at the keyboard's row, wherever the pointer is
            item = self.currentItem() or (self.selectedItems() or [None])[0]
            if item is not None:
                self.scrollToItem(item)
                rect = self.visualItemRect(item)
                at = self.viewport().mapToGlobal(QPoint(rect.left() + rect.width() // 4, rect.center().y()))
        if item is None:  # blank space under the cases
            event.ignore()
            return
        event.accept()
        self.menu_requested.emit(item.data(CASE_ROLE), at)

    def focusInEvent(self, event: QtGui.QFocusEvent) -> None:
        # given the focus with no row of its own (none is the open case's: a new case, the open case deleted), Qt
        # makes the first row the keyboard's, unhighlighted, and Enter opened that patient's case unpicked; the
        # arrow keys start from the first row all the same
        had = self.currentIndex().isValid()
        super().focusInEvent(event)
        current = self.currentItem()
        if not had and current is not None and not current.isSelected():
            self.selectionModel().clearCurrentIndex()

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        # Shift+F10 is the context menu key of Windows and GNOME/KDE applications; Qt maps only the Menu key to a
        # context menu on X11 (a second request while the menu shows is ignored, see MainWindow._show_case_menu)
        if event.key() == Qt.Key.Key_F10 and event.modifiers() == Qt.KeyboardModifier.ShiftModifier:
            keyboard = QtGui.QContextMenuEvent.Reason.Keyboard
            QApplication.sendEvent(self, QtGui.QContextMenuEvent(keyboard, QPoint(), QPoint()))  # at the row
            return
        super().keyPressEvent(event)


class CaseListPanel(QWidget):
    open_requested = Signal(str)  # case ID in the store
    delete_requested = Signal(str)  # case ID: Delete pressed on its row (the window asks before anything goes)
    new_requested = Signal()
    open_file_requested = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.store: CaseStore | None = None
        self.current_id: str | None = None  # the case open in the window
        self._open_item: QListWidgetItem | None = None  # its listed item, marked open
        self._blank = blank_icon()
        self._open_icon = open_icon(self.palette())
        # the store is read on a thread of the list's own: on the shared ones it queued behind an analysis and a
        # VCF's reading (both threads of a two-core PC), and the open case's row showed its features as they were
        # before the last save until they finished
        self._pool = QThreadPool(self, maxThreadCount=1)
        self._items: dict[str, QListWidgetItem] = {}  # the listed item of each case ID
        self._listed: dict[str, CaseSummary] = {}  # what each listed item shows
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("New")
        self.new_button.setToolTip("New case (Ctrl+N)")
        self.new_button.setAccessibleName("New case")
        self.open_button = QPushButton("Open file…")
        self.open_button.setToolTip("Open a phenopacket JSON file (Ctrl+O)")
        self.open_button.setAccessibleName("Open a phenopacket file")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_file_requested)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setAccessibleName("Search cases")
        self.search.setPlaceholderText("Search cases (ID, feature, note, gene)…")
        self.search.setClearButtonEnabled(True)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.list = CaseListView()
        # a right click, the Menu key or Shift+F10 on a case: contextMenuEvent (the case's actions, from the window)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.menu_requested = self.list.menu_requested
        self.list.setObjectName("caseList")
        self.list.setAccessibleName("Cases in the case store")
        self.list.setAccessibleDescription(f"The case open in the window is marked {OPEN_WORD}; Enter opens the "
                                           "selected case, Delete deletes it after asking")
        self.list.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(LAYOUT_BATCH)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Enter, or a double-click (a single click where the desktop opens items so): a double-click is also an
        # activation, and itemDoubleClicked as well asked the window twice (a question about the case left, twice)
        self.list.itemActivated.connect(lambda item: self.open_requested.emit(item.data(CASE_ROLE)))
        # Delete on the keyboard's row, as in a file manager, in this list only (Delete removes a feature in the
        # features list); the window's confirmation names the case, with Cancel its default
        QShortcut(QKeySequence.StandardKey.Delete, self.list, activated=self._delete_current,
                  context=Qt.ShortcutContext.WidgetShortcut, whatsThis="Delete case…")
        self.count = QLabel("")
        self.count.setObjectName("caseCount")
        layout.addLayout(buttons)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)

    def _delete_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.delete_requested.emit(item.data(CASE_ROLE))

    def set_store(self, store: CaseStore) -> None:
        self.store = store
        self.refresh()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        if self.store is None:
            return
        store, query = self.store, self.search.text()
        self.runner.start(
            "list-cases",
            lambda ctx: store.list_cases(query or None),
            on_done=self._show,
            on_failed=self.count.setText,
            pool=self._pool,
        )

    def refresh_if_changed(self) -> None:
        """List the store again if it changed elsewhere (`raretrace case import`, another window) since it was
        listed; an unchanged list stays as it is (scroll position, the keyboard's row)."""
        if self.store is None or self.runner.is_running("list-cases"):  # a listing on its way is fresh enough
            return
        store, query = self.store, self.search.text()
        self.runner.start(
            "list-cases",
            lambda ctx: store.list_cases(query or None),
            on_done=lambda cases: None if set(cases) == set(self._listed.values()) else self._show(cases),
            on_failed=self.count.setText,
            pool=self._pool,
        )

    def update_case(self, case_id: str) -> None:
        """Show one case as stored now (after it was saved or analysed), at the top of the list, without listing
        the whole store again: a clinic's store holds thousands of cases and the window saves as the clinician
        types. A search is listed again, since the change may add the case to it or drop it."""
        if self.store is None:
            return
        if self.search.text().strip() or self.runner.is_running("list-cases"):  # a listing read before the change
            self.refresh()
            return
        store = self.store
        self.runner.start(
            f"list-case:{case_id}",
            lambda ctx: store.list_cases(case_id=case_id),
            on_done=lambda found: self._show_one(case_id, found),
            on_failed=self.count.setText,
            pool=self._pool,
        )

    def _show_one(self, case_id: str, found: list[CaseSummary]) -> None:
        old = self._items.pop(case_id, None)
        self._listed.pop(case_id, None)
        row = 0  # most recently changed first; an analysis alone does not change the case
        # the keyboard's row stays on the case (Qt moves it to the neighbour when the item is taken out)
        was_current = old is not None and self.list.currentItem() is old
        was_selected = old is not None and old.isSelected()
        if old is not None:
            if was_current and not found:
                # its row goes (the case was deleted): Qt would move the keyboard's row to the next case, selected,
                # which read as the case in the window (after the open case was deleted, a new one not listed) and
                # which Enter then opened; it goes to the open case, or nowhere
                self._back_to_open_case(old)
            row = self.list.row(old)
            self.list.takeItem(row)
            if found and found[0].updated_at != old.data(UPDATED_ROLE):
                row = 0
        if found:
            item = self._item(found[0])
            self.list.insertItem(row, item)
            self._items[case_id] = item
            self._listed[case_id] = found[0]
            if was_current:
                flag = QItemSelectionModel.SelectionFlag
                self.list.setCurrentItem(item, flag.ClearAndSelect if was_selected else flag.NoUpdate)
        if case_id == self.current_id:  # the open case's new item carries the mark (none: it is gone)
            self._open_item = self._items.get(case_id)
            if self._open_item is not None:
                self._mark(self._open_item, True)
                if not self.list.selectedItems():  # just stored (a new case): highlighted too, as a case opened
                    self._highlight(self._open_item)
        self._show_count(len(self._items))

    def _item(self, c: CaseSummary) -> QListWidgetItem:
        item = QListWidgetItem()
        item.setData(CASE_ROLE, c.id)
        item.setData(UPDATED_ROLE, c.updated_at)
        self._listed[c.id] = c
        self._mark(item, c.id == self.current_id)
        return item

    def _mark(self, item: QListWidgetItem, is_open: bool) -> None:
        """Show the item's case, marked as the one open in the window or not: bold, "(open)" after its ID and a
        pointer icon, so that it reads without colour, and "Open case: …" as its accessible name."""
        c = self._listed[item.data(CASE_ROLE)]
        title = c.id if not c.subject_id or c.subject_id == c.id else f"{c.id} · {c.subject_id}"
        detail = f"{c.present} present, {c.excluded} excluded" + (" · VCF" if c.files else "")
        analysed = " · analysed" + (", changed since" if c.changed_since_analysis else "") if c.last_analysed_at else ""
        detail += f"\nchanged {local_time(c.updated_at)}{analysed}"
        item.setText(f"{title} {OPEN_WORD}\n{detail}" if is_open else f"{title}\n{detail}")
        item.setToolTip(plain_tip(f"{c.id} (open in the window): {detail}" if is_open else f"{c.id}: {detail}"))
        item.setIcon(self._open_icon if is_open else self._blank)
        if is_open or item.font().bold():  # (a new item is neither: thousands are listed at once)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"Open case: {title}; {detail.replace(chr(10), '; ')}" if is_open else None)
            font = item.font()
            font.setBold(is_open)
            item.setFont(font)

    def _show(self, cases: list[CaseSummary]) -> None:
        # the highlighted row stays on its case where it is still listed (Delete after a search or a relisting acts
        # on the case it did before), else goes to the open case
        current = self.list.currentItem()
        kept = current.data(CASE_ROLE) if current is not None and current.isSelected() else None
        self.list.clear()
        self._items, self._listed = {}, {}
        for c in cases:
            item = self._item(c)
            self.list.addItem(item)
            self._items[c.id] = item
        self._open_item = self._items.get(self.current_id) if self.current_id is not None else None
        target = self._items.get(kept) if kept is not None else None
        target = target or self._open_item
        if target is not None:
            self._highlight(target)
        self._show_count(len(cases))

    def _show_count(self, n: int) -> None:
        searched = self.search.text().strip()
        self.count.setText(f"{counted(n, 'case')} "
                           + (f"matching “{searched}”" if searched else "in the store"))

    def _highlight(self, item: QListWidgetItem) -> None:
        """Make `item` the keyboard's row, selected, where it is: scrolling to a row far down a list still being laid
        out in batches would lay out every row before it at once (the freeze LAYOUT_BATCH avoids)."""
        auto = self.list.hasAutoScroll()
        self.list.setAutoScroll(False)
        try:
            self.list.setCurrentItem(item, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            self.list.setAutoScroll(auto)

    def _back_to_open_case(self, leaving: QListWidgetItem | None) -> None:
        """Make the open case's row the keyboard's, selected; where it is not listed (or is `leaving`), no row is."""
        if self._open_item is not None and self._open_item is not leaving:
            self._highlight(self._open_item)
        else:
            self.list.selectionModel().clear()  # the selection and the keyboard's row both: Enter opens nothing

    def mark_current(self, case_id: str | None) -> None:
        """Mark the case shown in the window as open (by its item: each case opened would otherwise visit every
        listed case, thousands in a clinic's store, on the UI thread). Another case than before: the highlighted
        row goes to it too, or nowhere where it is not listed (a new case), so that no other row stays highlighted
        from before, nor stays the keyboard's row unhighlighted: after the open case was deleted, Enter on the list
        opened it again from the store before its deletion had run."""
        changed = case_id != self.current_id
        self.current_id = case_id
        item = self._items.get(case_id) if case_id is not None else None
        if self._open_item is not None and self._open_item is not item:
            self._mark(self._open_item, False)
        self._open_item = item
        if item is not None:
            self._mark(item, True)
        if changed:
            self._back_to_open_case(None)

    def open_case_row(self) -> QListWidgetItem | None:
        """The listed item marked as the case open in the window (None: not listed)."""
        return self._open_item

    def changeEvent(self, event: QEvent) -> None:
        # the pointer is drawn in the palette's colours: a dark mode switched on or off redraws it
        if event.type() == QEvent.Type.PaletteChange:
            self._open_icon = open_icon(self.palette())
            if self._open_item is not None:
                self._open_item.setIcon(self._open_icon)
        super().changeEvent(event)
