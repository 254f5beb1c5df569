"""The case list shows which case is open in the window by a mark of its own (bold, '(open)', an icon, the
accessible text), apart from the selection, which follows clicks and the keyboard: a click on another case moved
the selection there, and the list no longer showed which case was open. Also: a row's summary follows the open
case's saves while the other threads are busy, and a double-click opens a case once."""

from __future__ import annotations

import threading

import pytest
from case_list_checks import CRANIO, store_two_cases
from case_list_checks import row as _row
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from raretrace.gui.case_list import CASE_ROLE

pytestmark = pytest.mark.gui


@pytest.fixture
def two_cases(window, qtbot) -> tuple[str, str]:
    """Two stored cases, the first with a patient ID; the second is open."""
    return store_two_cases(window, qtbot, "Smith-42")


def _read_as_open(window) -> list[str]:
    """The listed cases that read as open: to the eye (bold and the word 'open' on the row) and to a screen reader
    (the row's accessible name)."""
    lst, found = window.cases.list, []
    for i in range(lst.count()):
        item = lst.item(i)
        spoken = item.data(Qt.ItemDataRole.AccessibleTextRole) or ""
        shown = item.font().bold() and "(open)" in item.text().split("\n")[0]
        assert shown == spoken.startswith("Open case"), (item.text(), spoken)
        if shown:
            found.append(item.data(CASE_ROLE))
    return found


def _click(window, qtbot, case_id: str, double: bool = False) -> None:
    lst = window.cases.list
    at = lst.visualItemRect(_row(window, case_id)).center()
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=at)
    if double:  # as the system sends one: press, release, double-click, release
        qtbot.mouseDClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=at)
        qtbot.mouseRelease(lst.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_a_click_on_another_case_leaves_the_open_mark_on_the_case_shown(window, qtbot, two_cases):
    other, shown = two_cases
    assert _read_as_open(window) == [shown]
    _click(window, qtbot, other)
    # the click moves the highlight (the row the next action applies to), never what reads as open
    assert [i.data(CASE_ROLE) for i in window.cases.list.selectedItems()] == [other]
    assert window.document.case.id == shown and window.header.case_id.text() == shown
    assert _read_as_open(window) == [shown]
    assert "open in the window" in _row(window, shown).toolTip() and "open" not in _row(window, other).toolTip()
    window.document.add_phenotype(*CRANIO)  # a save of the open case moves its row, neither the highlight nor the mark
    window.autosave()
    qtbot.waitUntil(lambda: "2 present" in _row(window, shown).text(), timeout=10000)
    assert [i.data(CASE_ROLE) for i in window.cases.list.selectedItems()] == [other]
    assert _read_as_open(window) == [shown]
    qtbot.keyClick(window.cases.list, Qt.Key.Key_Return)  # Enter opens the highlighted case: the mark follows
    assert window.document.case.id == other and _read_as_open(window) == [other]


def test_the_open_mark_survives_a_search_a_save_and_a_relisting(window, qtbot, two_cases):
    other, shown = two_cases
    _click(window, qtbot, other)
    window.cases.search.setText("Short stature")  # the open case alone matches
    qtbot.waitUntil(lambda: window.cases.list.count() == 1, timeout=5000)
    assert _read_as_open(window) == [shown] and window.cases.count.text() == "1 case matching “Short stature”"
    window.cases.search.setText("Craniosynostosis")  # the open case is not listed: nothing reads as open
    qtbot.waitUntil(lambda: window.cases.list.count() == 1 and _read_as_open(window) == [], timeout=5000)
    window.cases.search.clear()
    qtbot.waitUntil(lambda: window.cases.list.count() == 2, timeout=5000)
    assert _read_as_open(window) == [shown] and window.cases.count.text() == "2 cases in the store"
    window.document.add_phenotype(*CRANIO)  # a save lists the open case again, at the top
    window.autosave()
    qtbot.waitUntil(lambda: "2 present" in _row(window, shown).text(), timeout=10000)
    assert _read_as_open(window) == [shown]
    window.new_case()  # not stored yet: no listed case is the open one
    assert _read_as_open(window) == [] and window.cases.count.text() == "2 cases in the store"


def test_delete_on_a_row_not_open_says_so_and_names_the_open_case(window, qtbot, two_cases):
    other, shown = two_cases
    lst = window.cases.list
    _click(window, qtbot, other)
    seen = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append((box.text(), box.informativeText()))
        box.escapeButton().click()

    QTimer.singleShot(0, answer)
    qtbot.keyClick(lst, Qt.Key.Key_Delete)
    assert len(seen) == 1 and other in seen[0][0] and "patient Smith-42" in seen[0][0]
    assert f"not the case open in the window ({shown})" in seen[0][1]
    assert other in window.store and _read_as_open(window) == [shown]


def test_a_double_click_opens_the_case_once(window, qtbot, two_cases):
    other, shown = two_cases
    asked = []
    window.cases.open_requested.connect(asked.append)
    _click(window, qtbot, other, double=True)
    assert asked == [other] and window.document.case.id == other and _read_as_open(window) == [other]


def test_the_open_case_s_row_follows_its_saves_while_the_threads_are_busy(window, qtbot, two_cases):
    # an analysis and a VCF's reading hold the shared threads (two on a two-core PC): the row's "1 present" stayed
    # until they finished, long after the save
    other, shown = two_cases
    pool = QThreadPool.globalInstance()
    release = threading.Event()
    for _ in range(pool.maxThreadCount()):
        pool.start(lambda: release.wait(30))
    try:
        window.document.add_phenotype(*CRANIO)
        window.autosave()
        qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
        qtbot.waitUntil(lambda: "2 present, 0 excluded" in _row(window, shown).text(), timeout=5000)
    finally:
        release.set()
