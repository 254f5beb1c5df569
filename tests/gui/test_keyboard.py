"""Keyboard use of the main window and its dialogs: Tab follows the reading order, Enter takes the safe default,
Escape cancels and keeps what was entered."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

pytestmark = pytest.mark.gui


def _active(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _tab_stops(qtbot, start: QWidget, backwards: bool = False, most: int = 80) -> list[QWidget]:
    """The widgets Tab (Shift+Tab: `backwards`) reaches from `start`, in order, until it comes back to `start`."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    stops = [start]
    for _ in range(most):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab,
                       Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier)
        if QApplication.focusWidget() is start:
            return stops
        stops.append(QApplication.focusWidget())
    raise AssertionError("Tab never came back to where it started")


def test_tab_goes_from_the_case_list_to_the_patient_fields_and_reaches_analyse_after_the_panel(window, qtbot):
    # the reading order: the case list on the left, the patient fields at the top, the panel, then the status bar's
    # Analyse at the bottom right. Analyse came right after the case list, before the fields at the top.
    _active(window, qtbot)
    header, cases = window.header, window.cases
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        stops = _tab_stops(qtbot, cases.new_button)
        assert stops[:7] == [cases.new_button, cases.open_button, cases.search, cases.list, header.subject,
                             header.sex, header.age], window.tabs.tabText(tab)
        assert stops[-1] is window.analyse_button, window.tabs.tabText(tab)  # then back to New
        panel = window.tabs.currentWidget()
        assert all(panel.isAncestorOf(w) for w in stops[8:-1])  # after the tab bar, the panel's own widgets
        # Shift+Tab walks the same way back
        assert _tab_stops(qtbot, cases.new_button, backwards=True) == [stops[0], *reversed(stops[1:])]


def _mnemonic(text: str) -> str:
    """The letter after a single & ("&&" is an ampersand), lower case; "" where there is none."""
    match = re.search(r"(?<!&)&([^&])", text.replace("&&", ""))
    return match.group(1).lower() if match else ""


def test_each_tab_is_reached_by_its_own_alt_key(window, qtbot):
    # Phenotypes and Report were both Alt+P: the key went back and forth between them, and from Results it went to
    # Phenotypes, never to Report
    _active(window, qtbot)
    bar_keys = {_mnemonic(a.text()) for a in window.menuBar().actions()}
    for index in (3, 1, 0, 2, 3):
        window.tabs.setCurrentIndex(2 if index != 2 else 0)
        key = _mnemonic(window.tabs.tabText(index))
        assert key and key not in bar_keys, window.tabs.tabText(index)  # Alt+F opens File, not a tab
        window.header.subject.setFocus()
        qtbot.keyClick(window.header.subject, getattr(Qt.Key, f"Key_{key.upper()}"), Qt.KeyboardModifier.AltModifier)
        assert window.tabs.currentIndex() == index, window.tabs.tabText(index)


def test_no_two_items_of_a_menu_share_their_underlined_letter(window):
    # in the File menu Export phenopacket and Print report were both P: pressing P only moved between them
    menus = [("menu bar", window.menuBar().actions())]
    menus += [(a.text(), a.menu().actions()) for a in window.menuBar().actions() if a.menu() is not None]
    menus.append(("case menu", window.fill_case_menu(window.document.case.id).actions()))
    for name, actions in menus:
        keys = [_mnemonic(a.text()) for a in actions if not a.isSeparator() and _mnemonic(a.text())]
        assert len(keys) == len(set(keys)), (name, sorted(k for k in keys if keys.count(k) > 1))


def test_every_item_of_every_menu_has_an_underlined_letter(window):
    # the View menu's tabs and Cases had none: with the menu open only the mouse or the arrows reached them
    def items(menu):
        for action in menu.actions():
            if action.isSeparator():
                continue
            yield menu.title(), action.text()
            # Open recent lists file paths, shown as they are (no letter of a path is a key)
            if action.menu() is not None and action.menu() is not window.recent_menu:
                yield from items(action.menu())

    bar = window.menuBar()
    missing = [a.text() for a in bar.actions() if not _mnemonic(a.text())]
    missing += [(menu, text) for a in bar.actions() if a.menu() is not None for menu, text in items(a.menu())
                if not _mnemonic(text)]
    assert missing == []


def test_open_recent_shows_a_path_with_an_ampersand_as_it_is(window, tmp_path):
    # a single & in a menu item marks its underlined letter: "Smith & Jones" showed as "Smith _Jones" and the
    # letter after it became the item's key
    path = str(tmp_path / "Smith & Jones" / "case.json")
    window.prefs.add_recent(path)
    window.recent_menu.aboutToShow.emit()  # as opening the menu does
    (item,) = [a for a in window.recent_menu.actions() if "Jones" in a.text()]
    assert item.text().replace("&&", "&") == path and not _mnemonic(item.text())
