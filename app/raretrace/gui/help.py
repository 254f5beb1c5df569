"""The Help menu's pages: the user guide, the keyboard shortcuts and the data sources and licences.

All of it is offline: the pages are files that ship with RareTrace, and no link in them opens a web page (a
clinician's workstation may have no network, and patient work must never trigger one). The shortcuts are read
from the window's own actions, so the list cannot fall behind the menus.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QGroupBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..errors import RareTraceError
from ..paths import help_dir, readme_path, resources_dir

SOURCES_HEADING = "Data sources and licences"
# room for about 90 characters a line; never more than the screen leaves (a 1024x768 screen keeps the title bar)
PAGE_SIZE = (780, 640)


def user_guide_path() -> Path:
    return help_dir() / "user_guide.md"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RareTraceError(f"the help file {path} cannot be read ({exc.strerror or exc}); reinstall RareTrace") from exc


def markdown_section(text: str, heading: str) -> str:
    """The `## heading` section of a Markdown text, its heading included, up to the next heading of its level."""
    match = re.search(rf"^## {re.escape(heading)}[ \t]*$", text, flags=re.MULTILINE)
    if match is None:
        return ""
    rest = text[match.start():]
    following = re.search(r"^## ", rest[3:], flags=re.MULTILINE)
    return rest if following is None else rest[: following.start() + 3]


def data_sources_markdown(hpo_release: str | None = None) -> str:
    """The README's statement of the data sources and licences, then resources/SOURCES.md's file-by-file details."""
    section = markdown_section(_read(readme_path()), SOURCES_HEADING)
    if not section:
        raise RareTraceError(f"{readme_path()} has no “{SOURCES_HEADING}” section; reinstall RareTrace")
    in_use = f"The knowledge base in use was built from HPO release {hpo_release}.\n\n" if hpo_release else ""
    details = _read(resources_dir() / "SOURCES.md")
    # the README's section opens with a level-2 heading; the details keep theirs one level below it
    details = re.sub(r"^(#+) ", lambda m: "#" + m.group(1) + " ", details, flags=re.MULTILINE)
    return f"# {SOURCES_HEADING}\n\n{in_use}{section.split(chr(10), 1)[1]}\n\n{details}"


def plain_name(text: str) -> str:
    """An action's text as a clinician reads it: without the & that marks its accelerator key ("&&" is an &)."""
    return re.sub(r"&(.)", r"\1", text).strip()


# keys that need no modifier to be a shortcut on an ordinary keyboard (F1-F12 beside these)
PLAIN_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_Delete, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Backspace}


def typeable(sequence: QKeySequence) -> bool:
    """A sequence an ordinary keyboard can type: the platform's standard keys also bind the dedicated keys of some
    keyboards (X11's Undo, Open, F14), which a list for clinicians leaves out."""
    if sequence.isEmpty():
        return False
    first = sequence[0]
    if first.keyboardModifiers() & ~Qt.KeyboardModifier.KeypadModifier:
        return True
    return first.key() in PLAIN_KEYS or Qt.Key.Key_F1.value <= first.key().value <= Qt.Key.Key_F12.value


def shortcut_text(sequences: list[QKeySequence]) -> str:
    """The key sequences as the platform writes them (Ctrl+R; ⌘R on macOS), the first the one menus show."""
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if typeable(s))


def _menu_actions(menu: QMenu, where: str) -> list[tuple[str, QAction]]:
    found = []
    for action in menu.actions():
        if action.menu() is not None:
            sub = action.menu()
            found += _menu_actions(sub, f"{where} → {plain_name(sub.title())}")
        elif not action.isSeparator():
            found.append((where, action))
    return found


def _group_title(widget: Any) -> str:
    while widget is not None:
        if isinstance(widget, QGroupBox):
            return widget.title()
        if isinstance(widget, QDockWidget):  # the case list: its dock's title, "Cases"
            return widget.windowTitle()
        widget = widget.parentWidget()
    return ""


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(action, shortcut, where) for every action of the window that has a shortcut: the menus' in menu order,
    then the window's other actions, then the keys of a list (QShortcut, named by its whatsThis) under the title
    of the box that holds the list."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    listed = []
    for top in window.menuBar().actions():
        if top.menu() is not None:
            listed += _menu_actions(top.menu(), plain_name(top.menu().title()))
    listed += [("Window", a) for a in window.findChildren(QAction)]
    for where, action in listed:
        keys = shortcut_text(action.shortcuts())
        if id(action) in seen or not keys or not plain_name(action.text()):
            continue
        seen.add(id(action))
        rows.append((plain_name(action.text()), keys, where))
    for shortcut in window.findChildren(QShortcut):
        keys = shortcut_text([shortcut.key()])
        if keys and shortcut.whatsThis():
            rows.append((shortcut.whatsThis(), keys, _group_title(shortcut.parent()) or "Window"))
    return rows


class HelpPage(QDialog):
    """A help page in Markdown, read-only and offline: links are shown, never followed."""

    def __init__(self, title: str, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpText")
        self.browser.setAccessibleName(title)
        self.browser.setOpenLinks(False)  # a click on a web address opens nothing (no network from help)
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(markdown)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        _fit(self, parent)

    def text(self) -> str:
        return self.browser.toPlainText()


class ShortcutsDialog(QDialog):
    """Every shortcut of the window, read from its actions."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut", "Where"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)  # 20 rows in view
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel("In a list, its keys act on the list's selected rows.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        _fit(self, window, width=620)

    def rows(self) -> list[tuple[str, str, str]]:
        return [tuple(self.table.item(r, c).text() for c in range(3)) for r in range(self.table.rowCount())]


def _fit(dialog: QDialog, parent: Any, width: int = PAGE_SIZE[0]) -> None:
    screen = (parent.screen() if parent is not None else dialog.screen()).availableGeometry()
    dialog.resize(min(width, screen.width() - 40), min(PAGE_SIZE[1], screen.height() - 80))


def user_guide(parent: QWidget | None = None) -> HelpPage:
    return HelpPage("RareTrace user guide", _read(user_guide_path()), parent)


def data_sources(parent: QWidget | None = None, hpo_release: str | None = None) -> HelpPage:
    return HelpPage(SOURCES_HEADING, data_sources_markdown(hpo_release), parent)
