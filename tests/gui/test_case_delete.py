"""Deleting a case created by mistake: File → Delete case… and the case list's menu (one action), a confirmation
naming the case and patient with Cancel as its default, and what the window does then (the open case closes, its
edits discarded without a second question; the list loses its row; nothing else changes)."""

from __future__ import annotations

import pytest
from case_list_checks import CRANIO, SHORT, store_two_cases
from case_list_checks import row as _row
from case_list_checks import settled as _settled
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from store_fixtures import hold_write_lock

from raretrace.gui.case_list import CASE_ROLE

pytestmark = pytest.mark.gui


@pytest.fixture
def two_cases(window, qtbot) -> tuple[str, str]:
    """Two stored cases, the first with a patient ID; the second is open."""
    window.ask_unsaved = lambda **_: "discard"
    return store_two_cases(window, qtbot, "Smith-42")


def _listed(window) -> list[str]:
    lst = window.cases.list
    return [lst.item(i).data(CASE_ROLE) for i in range(lst.count())]


def _answer(button: str) -> list[tuple[str, str, str]]:
    """Answer the next confirmation with `button` ("delete" or "cancel") once it shows; the list receives its text,
    details and default button's text."""
    seen: list[tuple[str, str, str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "deleteCaseQuestion":
            QTimer.singleShot(20, answer)
            return
        seen.append((box.text(), box.informativeText(), box.defaultButton().text()))
        if button == "cancel":
            box.escapeButton().click()
        else:
            next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole).click()

    QTimer.singleShot(0, answer)
    return seen


def _from_file_menu(window) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.aboutToShow.emit()  # as opening the menu does
    assert window.delete_case_action in file_menu.actions()
    window.delete_case_action.trigger()


def _from_case_menu(window, case_id: str) -> None:
    lst = window.cases.list
    row = next(lst.item(i) for i in range(lst.count()) if lst.item(i).data(CASE_ROLE) == case_id)
    at = lst.visualItemRect(row).center()
    QApplication.sendEvent(lst.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, lst.viewport().mapToGlobal(at)))
    assert window.case_menu.isVisible()
    item = window.case_menu.actions()[-1]
    assert item is window.delete_case_action and item.isEnabled()  # the File menu's action, on this case
    window.case_menu.hide()  # a click hides the menu, then triggers the action
    item.trigger()


def test_confirming_from_the_case_menu_deletes_that_case_alone(window, qtbot, two_cases):
    mistake, shown = two_cases
    seen = _answer("delete")
    _from_case_menu(window, mistake)
    assert len(seen) == 1
    text, details, default = seen[0]
    assert mistake in text and "patient Smith-42" in text
    assert "cannot be undone" in details and "1 present" in details and "File → Export phenopacket" in details
    assert default.replace("&", "") == "Cancel"
    _settled(window, qtbot, 1)
    assert _listed(window) == [shown] and mistake not in window.store
    assert [e.action for e in window.store.audit(mistake)][-1] == "deleted"  # the audit log keeps the deletion
    # nothing else changes: the open case stays open, as stored
    assert window.document.case.id == shown and [p.id for p in window.store.load_case(shown).phenotypes] == [SHORT[0]]


def test_cancel_keeps_the_case_the_list_and_the_audit_log(window, qtbot, two_cases):
    other, shown = two_cases
    audit = [e.action for e in window.store.audit(shown)]
    seen = _answer("cancel")
    _from_file_menu(window)  # the open case
    assert len(seen) == 1 and shown in seen[0][0] and "no patient ID" in seen[0][0]
    qtbot.wait(100)
    _settled(window, qtbot, 2)
    assert sorted(_listed(window)) == sorted([other, shown])
    assert shown in window.store and other in window.store
    assert [e.action for e in window.store.audit(shown)] == audit
    assert window.document.case.id == shown and [p.id for p in window.document.case.phenotypes] == [SHORT[0]]


def test_deleting_the_open_case_discards_its_unsaved_edits_without_another_question(window, qtbot, two_cases):
    other, shown = two_cases
    asked = []
    window.ask_unsaved = lambda **_: asked.append("unsaved") or "cancel"
    window.ask_deleted = lambda *_a: asked.append("deleted elsewhere") or "cancel"
    window.document.add_phenotype(*CRANIO)  # an edit not saved yet (the autosave timer runs)
    assert window.document.dirty
    seen = _answer("delete")
    _from_file_menu(window)
    assert len(seen) == 1 and "discards its edits not yet saved" in seen[0][1]
    assert window.document.case.id != shown and not window.document.case.phenotypes  # a new, empty case shows
    assert not window.unsaved_work()
    qtbot.wait(window._autosave_timer.interval() + 200)  # an autosave would store the deleted case again
    _settled(window, qtbot, 1)
    assert shown not in window.store and _listed(window) == [other]
    assert asked == []  # neither "not saved" nor "deleted elsewhere" is asked about the case deleted here
    assert [e.action for e in window.store.audit(shown)][-1] == "deleted"


def test_a_new_empty_case_cannot_be_deleted(window, qtbot, two_cases):
    window.new_case()
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.aboutToShow.emit()
    assert not window.delete_case_action.isEnabled()
    assert "not in the case store" in window.delete_case_action.toolTip()


def test_a_case_being_analysed_is_not_deleted_and_the_window_says_why(window, qtbot, two_cases, gui_home):
    from raretrace.store import CaseStore

    other, shown = two_cases
    asked = []
    window.ask_delete = lambda *_a: asked.append("asked") or True
    holder = hold_write_lock(window.store.path)  # the analysis's record waits for another program's lock
    try:
        window.analyse()
        assert window._analysing(shown)
        _from_file_menu(window)
        errors = [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
        assert asked == [] and len(errors) == 1 and "analysis" in errors[0].text() and "cancel" in errors[0].text()
        errors[0].close()
    finally:
        holder.communicate("commit\n", timeout=70)
    qtbot.waitUntil(lambda: not window._analysing(shown), timeout=40000)
    qtbot.waitUntil(lambda: not window.runner.active, timeout=40000)
    with CaseStore(gui_home / "cases.sqlite") as store:
        assert shown in store and len(store.analyses(shown)) == 1  # the analysis was stored, the case kept
    # once it is over, the case can be deleted (its analysis with it)
    window.delete_case_action.trigger()
    _settled(window, qtbot, 1)
    assert asked == ["asked"] and shown not in window.store and _listed(window) == [other]
    assert window.store.analyses(shown) == []


def test_the_confirmation_defaults_to_cancel_on_enter(window, qtbot, two_cases):
    # Enter on the question (the key a clinician presses without reading) must not delete
    other, shown = two_cases
    seen = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press_enter)
            return
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    window.delete_case(other)
    assert len(seen) == 1
    _settled(window, qtbot, 2)
    assert other in window.store


def _selected(window) -> list[str]:
    return [item.data(CASE_ROLE) for item in window.cases.list.selectedItems()]


def _marked_open(window) -> list[str]:
    row = window.cases.open_case_row()
    return [] if row is None else [row.data(CASE_ROLE)]


def test_after_the_open_case_is_deleted_no_other_case_reads_as_open(window, qtbot, two_cases):
    # Deleted from the list's menu (the list has the focus): Qt moved the keyboard's row to the next case and
    # selected it, so the list marked a case as open while the window showed the new, empty one. The selection is
    # now only the keyboard's row; the open mark is the list's own
    other, shown = two_cases
    _activate(window.cases.list, qtbot)
    assert _selected(window) == [shown] and _marked_open(window) == [shown]
    _answer("delete")
    _from_case_menu(window, shown)
    _settled(window, qtbot, 1)
    assert window.document.case.id not in (shown, other) and _listed(window) == [other]
    assert _marked_open(window) == []  # the new case is not stored yet: no listed case is the open one
    assert "(open)" not in window.cases.list.item(0).text() and not window.cases.list.item(0).font().bold()
    window.open_stored_case(other)  # the remaining case still opens, and is marked
    assert window.document.case.id == other and _selected(window) == [other] and _marked_open(window) == [other]


def _activate(widget, qtbot) -> None:
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow, timeout=5000)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=5000)


def test_delete_in_the_case_list_asks_about_the_keyboard_s_row_and_cancel_keeps_it(window, qtbot, two_cases):
    # the case list had no key to delete a case (only its menu); Delete acts on the keyboard's row, never on the
    # features: the same confirmation, Cancel its default
    other, shown = two_cases
    lst = window.cases.list
    _activate(lst, qtbot)
    lst.setCurrentItem(next(lst.item(i) for i in range(lst.count()) if lst.item(i).data(CASE_ROLE) == other))
    seen = _answer("cancel")
    qtbot.keyClick(lst, Qt.Key.Key_Delete)
    assert len(seen) == 1 and other in seen[0][0] and "patient Smith-42" in seen[0][0]
    _settled(window, qtbot, 2)
    assert other in window.store and window.document.case.phenotypes  # the open case's feature stays too
    _activate(lst, qtbot)  # back from the question (offscreen, the focus does not always come back by itself)
    seen = _answer("delete")
    qtbot.keyClick(lst, Qt.Key.Key_Delete)
    assert len(seen) == 1 and other in seen[0][0]
    _settled(window, qtbot, 1)
    assert other not in window.store and _listed(window) == [shown] and window.document.case.id == shown
    assert [p.id for p in window.store.load_case(shown).phenotypes] == [SHORT[0]]


def test_delete_in_the_features_list_removes_a_feature_not_the_case(window, qtbot, two_cases):
    other, shown = two_cases
    window.tabs.setCurrentWidget(window.phenotypes)
    chosen = window.phenotypes.chosen
    chosen.selectRow(0)
    _activate(chosen, qtbot)
    asked = []
    window.ask_delete = lambda *_a: asked.append("asked") or False
    qtbot.keyClick(chosen, Qt.Key.Key_Delete)
    assert asked == [] and window.document.case.phenotypes == ()
    window.autosave()
    _settled(window, qtbot, 2)
    assert shown in window.store and other in window.store


def test_a_long_case_or_patient_id_is_not_cut_off_at_the_confirmation_s_edge(window, qtbot, tmp_path):
    # an ID without spaces wider than the box was laid out on one line and cut at its edge, with "from the case
    # store?" and the patient ID's end; the question now wraps the case ID whole and shortens the patient ID
    import json

    from PySide6.QtWidgets import QLabel

    window.ask_unsaved = lambda **_: "discard"
    case_id, subject = "W" * 150, "M" * 400  # the widest letters
    packet = tmp_path / "long.json"
    packet.write_text(json.dumps({"id": case_id, "subject": {"id": subject},
                                  "phenotypicFeatures": [{"type": {"id": CRANIO[0], "label": CRANIO[1]}}]}))
    assert window.open_file(str(packet))
    window.autosave()
    qtbot.waitUntil(lambda: case_id in window.store and not window.saver.active, timeout=10000)
    laid_out = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "deleteCaseQuestion":
            QTimer.singleShot(20, look)
            return
        label = box.findChild(QLabel, "qt_msgbox_label")
        metrics = label.fontMetrics()
        lines = label.text().replace("\u200b", " ").split()
        laid_out.append((label.text(), label.width(), max(metrics.horizontalAdvance(w) for w in lines),
                         box.width() <= box.screen().availableGeometry().width()))
        box.escapeButton().click()

    QTimer.singleShot(0, look)
    window.delete_case(case_id)
    assert len(laid_out) == 1
    text, width, widest, on_screen = laid_out[0]
    assert text.replace("\u200b", "").startswith(f"Delete case {case_id} (patient MMM")  # the case ID whole
    assert "…" in text and text.endswith("M) from the case store?")
    assert widest <= width and on_screen  # no unbroken run wider than the label: nothing cut at its edge
    assert case_id in window.store  # Cancel


def test_ctrl_s_on_a_new_empty_case_says_so_and_does_not_make_it_deletable(window, qtbot, two_cases):
    # Ctrl+S left the empty case marked edited (nothing was saved, nothing said): Delete case… was then offered for
    # a case not in the store, "discarding its edits not yet saved"
    window.new_case()
    case_id = window.document.case.id
    window.save_now()
    _settled(window, qtbot, 2)
    assert case_id not in window.store and not window.document.dirty
    assert window.statusBar().currentMessage().startswith(f"Nothing to save yet: {case_id} is empty")
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.aboutToShow.emit()
    assert not window.delete_case_action.isEnabled()
    assert "not in the case store" in window.delete_case_action.toolTip()
    window.document.add_phenotype(*CRANIO)  # once there is something to keep, Ctrl+S stores it
    window.save_now()
    _settled(window, qtbot, 3)
    assert case_id in window.store and not window.statusBar().currentMessage().startswith("Nothing to save")


def test_a_deletion_that_failed_is_no_longer_said_once_it_is_tried_again_and_goes_through(window, qtbot, two_cases):
    # another program held the store past the deletion's wait; deleted on the second try, the status line still
    # said "could not be deleted …; it is still in the case store" once "Deleted case …" had timed out
    other, shown = two_cases
    window.ask_delete = lambda *_a: True
    window.store._writing_connection().execute("PRAGMA busy_timeout = 200")  # a real lock, a shorter wait for it
    holder = hold_write_lock(window.store.path)
    try:
        assert window.delete_case(other)
        qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
        assert window.task_label.text().startswith(f"case {other} could not be deleted")
        assert "still in the case store" in window.task_label.text()
    finally:
        holder.communicate("commit\n", timeout=70)
    for box in window.findChildren(QMessageBox, "errorDialog"):
        box.close()
    _settled(window, qtbot, 2)
    assert other in window.store and sorted(_listed(window)) == sorted([other, shown])  # nothing was deleted
    assert window.delete_case(other)
    _settled(window, qtbot, 1)
    assert other not in window.store and _listed(window) == [shown]
    window.statusBar().clearMessage()  # as "Deleted case …" times out
    assert "could not be deleted" not in window.task_label.text() and window.task_label.text() == "Ready"


def _stored(window, qtbot, count: int) -> list[str]:
    """`count` cases stored through the window (craniosynostosis, short stature, ...), as the list shows them (the
    newest first); the newest is open."""
    window.ask_unsaved = lambda **_: "discard"
    for n in range(count):
        window.new_case()
        window.document.add_phenotype(*(CRANIO, SHORT)[n % 2])
        window.autosave()
    _settled(window, qtbot, count)
    return _listed(window)


def _read_as_open(window) -> list[str]:
    """The listed cases that read as open (bold, '(open)' on the row, 'Open case' to a screen reader)."""
    lst = window.cases.list
    return [lst.item(i).data(CASE_ROLE) for i in range(lst.count())
            if lst.item(i).font().bold() or "(open)" in lst.item(i).text()
            or (lst.item(i).data(Qt.ItemDataRole.AccessibleTextRole) or "").startswith("Open case")]


@pytest.mark.parametrize(("count", "place"), [(3, 0), (3, 1), (3, 2), (1, 0)],
                         ids=["the top row", "a row between", "the last row", "the only case"])
def test_after_the_open_case_is_deleted_no_row_is_highlighted_and_enter_opens_only_the_case_picked(window, qtbot,
                                                                                                    count, place):
    # Delete on the open case's row: once the store had deleted it, Qt moved the keyboard's row to the next case
    # and selected it, so the list read as if that patient's case were the one in the window (which shows a new,
    # empty case), and Enter opened it unasked
    listed = _stored(window, qtbot, count)
    deleted = listed[place]
    window.open_stored_case(deleted)
    lst = window.cases.list
    _activate(lst, qtbot)
    assert _selected(window) == [deleted] and lst.currentItem() is _row(window, deleted)
    _answer("delete")
    qtbot.keyClick(lst, Qt.Key.Key_Delete)
    _settled(window, qtbot, count - 1)
    shown = window.document.case.id
    assert shown not in listed and not window.document.case.phenotypes  # a new, empty case
    assert window.windowTitle() == f"{shown} — RareTrace" and window.header.case_id.text() == shown
    assert window.statusBar().currentMessage().startswith(f"Deleted case {deleted} from the case store")
    assert _listed(window) == [c for c in listed if c != deleted]
    # the list agrees: no case is highlighted, none is the keyboard's row, none reads as open
    assert _selected(window) == [] and lst.currentItem() is None and _read_as_open(window) == []
    _activate(lst, qtbot)
    qtbot.keyClick(lst, Qt.Key.Key_Return)  # nothing picked: nothing opens
    assert window.document.case.id == shown
    if count > 1:  # a case picked with the keyboard opens, and reads as open
        qtbot.keyClick(lst, Qt.Key.Key_Down)
        picked = _selected(window)
        assert picked == [_listed(window)[0]] and window.document.case.id == shown
        qtbot.keyClick(lst, Qt.Key.Key_Return)
        assert window.document.case.id == picked[0] and _read_as_open(window) == picked


def test_enter_while_the_open_case_s_deletion_waits_for_the_store_does_not_open_it_again(window, qtbot, two_cases):
    # Between the confirmation and the deletion (on the saver's thread, after another program's write), the deleted
    # case's row stayed the keyboard's, unhighlighted: Enter read it from the store and showed it as open again
    other, shown = two_cases
    lst = window.cases.list
    _activate(lst, qtbot)
    assert lst.currentItem() is _row(window, shown)
    window.ask_delete = lambda *_a: True
    holder = hold_write_lock(window.store.path)
    try:
        assert window.delete_case(shown)
        new = window.document.case.id
        assert new != shown and shown in window.store  # confirmed, not yet deleted
        assert lst.currentItem() is None and _selected(window) == []
        _activate(lst, qtbot)
        qtbot.keyClick(lst, Qt.Key.Key_Return)
        assert window.document.case.id == new
    finally:
        holder.communicate("commit\n", timeout=70)
    _settled(window, qtbot, 1)
    assert shown not in window.store and window.document.case.id == new and _listed(window) == [other]


def test_after_another_case_is_deleted_the_highlight_is_the_open_case_s_and_its_unsaved_findings_stay(window, qtbot):
    # Delete on another case's row: Qt selected the next case, a third patient's, while the window kept the open
    # one. The highlight goes back to the open case; what was entered in it and not yet saved (a feature, the note,
    # a patient ID being typed) stays and is saved
    listed = _stored(window, qtbot, 3)
    top, between, bottom = listed
    window.open_stored_case(bottom)
    window.document.add_phenotype("HP:0001250", "Seizure")  # not saved yet: the autosave timer runs
    window.phenotypes.note.setPlainText("Seizures since 8 months.")
    window.header.subject.setFocus()
    qtbot.keyClicks(window.header.subject, "Jones-7")  # being typed, not yet committed
    assert window.unsaved_work()
    lst = window.cases.list
    _activate(lst, qtbot)
    lst.setCurrentItem(_row(window, top))
    seen = _answer("delete")
    qtbot.keyClick(lst, Qt.Key.Key_Delete)
    assert len(seen) == 1 and top in seen[0][0] and f"({bottom}), which stays open" in seen[0][1].replace("\u200b", "")
    _settled(window, qtbot, 2)
    assert sorted(_listed(window)) == sorted([between, bottom])  # (the open case's save may have moved it up)
    assert window.document.case.id == bottom and window.windowTitle() == f"{bottom} — RareTrace"
    assert _selected(window) == [bottom] and lst.currentItem() is _row(window, bottom)
    assert _read_as_open(window) == [bottom]
    _activate(lst, qtbot)
    qtbot.keyClick(lst, Qt.Key.Key_Return)  # the open case's row: nothing else opens
    assert window.document.case.id == bottom
    doc = window.document
    assert [p.id for p in doc.case.phenotypes] == [CRANIO[0], "HP:0001250"]
    assert doc.note == "Seizures since 8 months." and window.header.subject.text() == "Jones-7"
    window.autosave()
    _settled(window, qtbot, 2)
    kept = window.store.load_case(bottom)
    assert [p.id for p in kept.phenotypes] == [CRANIO[0], "HP:0001250"] and kept.subject_id == "Jones-7"
    assert "Seizures since 8 months." in str(kept.extra)
