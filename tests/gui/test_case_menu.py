"""The case list's context menu (right click, the Menu key, Shift+F10): the window's own actions on a case, with the
effects and questions they have from the menus. The save dialog's answers are given by replacing
QFileDialog.getSaveFileName, the unsaved-work question's by `ask_unsaved`."""

from __future__ import annotations

import json

import pytest
from case_list_checks import row as _row
from case_list_checks import store_two_cases
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from raretrace.errors import RareTraceError
from raretrace.gui.case_list import CASE_ROLE

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(monkeypatch):
    """The save dialog's answers, in turn (none left: Cancel)."""
    answers: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_kw: (answers.pop(0) if answers else "", ""))
    return answers


def _right_click(window, case_id: str) -> None:
    from pytestqt.qtbot import QtBot

    lst = window.cases.list
    at = lst.visualItemRect(_row(window, case_id)).center()
    QtBot.mousePress(lst.viewport(), Qt.MouseButton.RightButton, pos=at)  # then the menu, as Qt sends it
    QApplication.sendEvent(lst.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, lst.viewport().mapToGlobal(at)))


def _item(window, text: str):
    return next(a for a in window.case_menu.actions() if a.text() == text)


def _close_menu(window) -> None:
    window.case_menu.hide()


def test_right_click_on_a_case_shows_the_window_s_actions_for_it(window, qtbot):
    other, shown = store_two_cases(window, qtbot)
    _right_click(window, shown)
    menu = window.case_menu
    assert menu.isVisible()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["&Open", "&Analyse", "E&xport phenopacket…", "&Export report PDF…", "&Delete case…"]
    # on the open case: the menus' own actions, enabled as there (no report before an analysis)
    assert _item(window, "&Analyse") is window.analyse_action
    assert _item(window, "E&xport phenopacket…") is window.export_case_action
    assert _item(window, "&Export report PDF…") is window.export_action
    assert not window.export_action.isEnabled() and not _item(window, "&Export report PDF…").isEnabled()
    assert not _item(window, "&Open").isEnabled()  # already open
    _close_menu(window)
    _right_click(window, other)
    assert menu.isVisible()
    # the highlight goes to the case the menu acts on; the open mark stays on the case shown (Esc leaves it open)
    assert window.cases.list.currentItem() is _row(window, other)
    assert [i.data(CASE_ROLE) for i in window.cases.list.selectedItems()] == [other]
    assert window.cases.open_case_row() is _row(window, shown) and _row(window, shown).font().bold()
    assert _item(window, "&Open").isEnabled() and menu.defaultAction() is _item(window, "&Open")
    assert _item(window, "&Analyse").isEnabled() and _item(window, "E&xport phenopacket…").isEnabled()
    assert not _item(window, "&Export report PDF…").isEnabled()  # not analysed in this window
    _close_menu(window)
    # blank space under the cases: no menu
    lst = window.cases.list
    below = QPoint(10, lst.viewport().height() - 2)
    QApplication.sendEvent(lst.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, below, lst.viewport().mapToGlobal(below)))
    assert not menu.isVisible()


@pytest.mark.parametrize("key", ["menu", "shift+f10"])
def test_the_keyboard_opens_the_menu_on_the_keyboard_s_row(window, qtbot, key):
    other, _shown = store_two_cases(window, qtbot)
    lst = window.cases.list
    lst.setFocus()
    lst.setCurrentItem(_row(window, other))
    if key == "menu":  # what Qt sends for the Menu key
        QApplication.sendEvent(lst, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(), QPoint()))
    else:
        qtbot.keyClick(lst, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert window.case_menu.isVisible()
    assert _item(window, "&Open").isEnabled()  # the keyboard's row, not the open case
    assert window.case_menu.geometry().intersects(lst.visualItemRect(_row(window, other)).translated(
        lst.viewport().mapToGlobal(QPoint(0, 0))))  # shown at that row
    _item(window, "&Open").trigger()
    assert window.document.case.id == other


def test_export_phenopacket_from_the_menu_writes_the_file_the_file_menu_writes(window, qtbot, tmp_path, dialog):
    other, shown = store_two_cases(window, qtbot)
    by_menu, by_list = tmp_path / "file-menu.json", tmp_path / "case-list.json"
    dialog += [str(by_menu), str(by_list)]
    window.export_case_action.trigger()
    _right_click(window, shown)
    _item(window, "E&xport phenopacket…").trigger()
    _close_menu(window)

    def packet(path):
        data = json.loads(path.read_text())
        data["metaData"].pop("created", None)
        return data

    assert packet(by_list) == packet(by_menu) and packet(by_list)["id"] == shown
    # another case: opened, then written
    other_file = tmp_path / "other.json"
    dialog.append(str(other_file))
    _right_click(window, other)
    _item(window, "E&xport phenopacket…").trigger()
    assert window.document.case.id == other
    assert json.loads(other_file.read_text())["id"] == other
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    assert any(e.action == "exported" for e in window.store.audit(other))  # logged as from the File menu


def test_analyse_and_the_report_from_the_menu(window, qtbot, tmp_path, dialog):
    other, _shown = store_two_cases(window, qtbot)
    _right_click(window, other)
    _item(window, "&Analyse").trigger()  # opens the case, then ranks it
    _close_menu(window)
    assert window.document.case.id == other
    qtbot.waitUntil(lambda: window.document.result is not None and not window.runner.active, timeout=120000)
    assert window.document.result.case_id == other
    _right_click(window, other)
    report = _item(window, "&Export report PDF…")
    assert report is window.export_action and report.isEnabled()
    pdf = tmp_path / "report.pdf"
    dialog.append(str(pdf))
    report.trigger()
    _close_menu(window)
    qtbot.waitUntil(lambda: pdf.exists() and not window.runner.active, timeout=60000)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_an_action_on_another_case_asks_first_about_unsaved_work_of_the_open_one(window, qtbot, dialog):
    other, shown = store_two_cases(window, qtbot)
    real_save = window.store.save_case

    def broken(*_args, **_kwargs):
        raise RareTraceError("disk full")

    window.store.save_case = broken  # the open case's edit cannot be kept
    window.document.add_phenotype("HP:0000256", "Macrocephaly")
    asked = []
    window.ask_unsaved = lambda **kw: asked.append(kw) or "cancel"
    for text in ("&Open", "&Analyse", "E&xport phenopacket…"):
        _right_click(window, other)
        _item(window, text).trigger()
        _close_menu(window)
        assert window.document.case.id == shown and window.document.phenotype("HP:0000256") is not None
    assert len(asked) == 3 and not dialog and "analyse" not in window.runner.active  # nothing ran on the other case
    window.store.save_case = real_save
    window.ask_unsaved = lambda **_: "discard"
