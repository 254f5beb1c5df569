"""The tabs' panels in scroll areas of their own (PanelScroll): a list in the panel keeps its own wheel and the
keyboard never stops on the scroll area itself."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from raretrace.gui.panel_tabs import PanelScroll

TERMS = [("HP:0000347", "Micrognathia"), ("HP:0000400", "Macrotia"), ("HP:0000437", "Depressed nasal tip"),
         ("HP:0000486", "Strabismus"), ("HP:0000637", "Long palpebral fissure"),
         ("HP:0002553", "Highly arched eyebrow"), ("HP:0002719", "Recurrent infections"),
         ("HP:0005338", "Sparse lateral eyebrow"), ("HP:0008897", "Postnatal growth retardation"),
         ("HP:0001250", "Seizure"), ("HP:0001252", "Hypotonia"), ("HP:0002650", "Scoliosis")]


def wheel_down(widget: QWidget, notches: int = 1) -> None:
    """A mouse wheel turned towards the user over the middle of the part of `widget` in sight, delivered as the
    system delivers one: to the widget under the pointer, then to its parents while none accepts it."""
    top = widget.window()
    shown = widget.visibleRegion().boundingRect()
    assert not shown.isEmpty()
    at = QPointF(widget.mapTo(top, shown.center()))
    for _ in range(notches):
        QTest.wheelEvent(top.windowHandle(), at, QPoint(0, -120))
        QApplication.processEvents()


def short_window(window, qtbot):
    """The window at its least height, so that the Phenotypes panel scrolls, with a features list that scrolls."""
    window.ask_unsaved = lambda **_: "discard"
    for hpo_id, label in TERMS:
        window.document.add_phenotype(hpo_id, label)
    window.tabs.setCurrentWidget(window.phenotypes)
    window.resize(window.width(), window.minimumSizeHint().height())
    area = window.tabs.scroll_area(0)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0, timeout=5000)
    return area


def test_the_wheel_over_a_list_at_its_end_leaves_the_panel_where_it_is(window, qtbot):
    # The features table scrolled to its last row: a further turn of the wheel over it went on to the panel's
    # scroll area, so the panel slid away under the pointer (the note, the search field out of sight).
    area = short_window(window, qtbot)
    table = window.phenotypes.chosen
    bar = table.verticalScrollBar()
    assert bar.maximum() > 0  # the table scrolls itself
    area.ensureWidgetVisible(table, 0, 0)
    panel_at = area.verticalScrollBar().value()
    assert 0 < panel_at < area.verticalScrollBar().maximum()  # the panel could scroll either way
    wheel_down(table.viewport(), notches=3)
    assert bar.value() > 0 and area.verticalScrollBar().value() == panel_at  # the table scrolled, not the panel
    bar.setValue(bar.maximum())
    wheel_down(table.viewport(), notches=3)
    assert bar.value() == bar.maximum()
    assert area.verticalScrollBar().value() == panel_at
    # over the table's own scroll bar too
    wheel_down(bar, notches=3)
    assert area.verticalScrollBar().value() == panel_at


def test_the_wheel_over_what_does_not_scroll_itself_scrolls_the_panel(window, qtbot):
    area = short_window(window, qtbot)
    button = window.phenotypes.find_button  # no wheel of its own
    area.verticalScrollBar().setValue(0)
    area.ensureWidgetVisible(button, 0, 0)
    panel_at = area.verticalScrollBar().value()
    assert panel_at < area.verticalScrollBar().maximum()
    wheel_down(button, notches=2)
    assert area.verticalScrollBar().value() > panel_at


def test_the_tab_key_goes_from_the_tabs_to_the_panels_first_field_not_to_its_scroll_area(window, qtbot):
    # The scroll area took the keyboard's focus itself, between the tab bar and the note: a Tab press that showed
    # no focus anywhere.
    window.ask_unsaved = lambda **_: "discard"
    window.activateWindow()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        bar = window.tabs.tabBar()
        bar.setFocus()
        qtbot.waitUntil(bar.hasFocus, timeout=2000)
        qtbot.keyClick(bar, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert not isinstance(focused, PanelScroll), window.tabs.tabText(index)
        assert window.tabs.widget(index).isAncestorOf(focused), (window.tabs.tabText(index), focused)
