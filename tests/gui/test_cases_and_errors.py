"""Cases: open, autosave (nothing typed is lost), the case list; errors as one-line dialogs, never a crash."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import as_shown
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from raretrace.errors import RareTraceError

pytestmark = pytest.mark.gui


def _phenopacket(tmp_path, name="case-1"):
    data = {
        "id": name,
        "subject": {"id": "P1", "sex": "FEMALE", "timeAtLastEncounter": {"age": {"iso8601duration": "P8Y"}}},
        "phenotypicFeatures": [
            {"type": {"id": "HP:0004322", "label": "Short stature"}},
            {"type": {"id": "HP:0001250", "label": "Seizure"}, "excluded": True},
        ],
        "metaData": {"created": "2024-01-01T00:00:00Z", "createdBy": "test", "phenopacketSchemaVersion": "2.0"},
    }
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data))
    return path


def _error_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def _dialogs(window) -> list[QMessageBox]:
    return [w for w in window.findChildren(QMessageBox) if w.isVisible()] + _error_boxes()


def test_opening_a_phenopacket_shows_the_patient(window, tmp_path):
    window.open_file(str(_phenopacket(tmp_path)))
    header = window.header
    assert header.case_id.text() == "case-1" and "case-1" in header.case_id.toolTip()
    assert header.subject.text() == "P1"
    assert header.sex.currentData() == "FEMALE"
    assert header.age.text() == "8 years" and "P8Y" in header.age.toolTip()  # in words, stored as ISO 8601
    assert "1 present · 1 excluded" in header.summary.text()
    assert window.phenotypes.chosen.rowCount() == 2
    assert str(tmp_path / "case-1.json") in window.prefs.recent_files


def test_everything_typed_is_autosaved_and_comes_back(window, qtbot, tmp_path):
    window.open_file(str(_phenopacket(tmp_path)))
    qtbot.waitUntil(lambda: "case-1" in window.store, timeout=5000)
    window.phenotypes.note.setPlainText("Short child; no fits.")
    window.document.add_phenotype("HP:0000256", "Macrocephaly")
    window.header.age.setText("P9Y")
    window.header.age.setModified(True)
    window.header.age.editingFinished.emit()
    qtbot.waitUntil(lambda: not window.document.dirty and not window.saver.active, timeout=5000)  # autosaved
    stored = window.store.load_case("case-1")
    assert [p.id for p in stored.present] == ["HP:0004322", "HP:0000256"]
    assert stored.age == "P9Y"
    window.new_case()
    assert window.document.case.id != "case-1"
    qtbot.waitUntil(lambda: window.cases.list.count() >= 1, timeout=5000)
    window.open_stored_case("case-1")
    assert window.phenotypes.note.toPlainText() == "Short child; no fits."
    assert window.document.phenotype("HP:0000256") is not None
    audit = window.store.audit("case-1")
    assert any("Macrocephaly" in change for entry in audit for change in entry.changes)
    # opening the same phenopacket file again, choosing its version, takes its features but keeps the note
    window.ask_replace = lambda *_args: "file"
    window.open_file(str(tmp_path / "case-1.json"))
    assert window.phenotypes.note.toPlainText() == "Short child; no fits."
    assert window.document.phenotype("HP:0000256") is None


def test_case_list_search_finds_cases_by_feature(window, qtbot, tmp_path):
    window.open_file(str(_phenopacket(tmp_path, "case-a")))
    window.autosave()
    window.open_file(str(_phenopacket(tmp_path, "case-b")))
    window.document.add_phenotype("HP:0000256", "Macrocephaly")
    window.autosave()
    qtbot.waitUntil(lambda: window.cases.list.count() == 2, timeout=5000)
    window.cases.search.setText("Macrocephaly")
    qtbot.waitUntil(
        lambda: window.cases.list.count() == 1 and window.cases.list.item(0).text().startswith("case-b"), timeout=5000
    )


def test_the_case_list_selects_the_case_shown_and_only_it(window, qtbot, tmp_path):
    from raretrace.gui.case_list import CASE_ROLE

    def selected() -> list[str]:
        return [item.data(CASE_ROLE) for item in window.cases.list.selectedItems()]

    for name in ("case-a", "case-b", "case-c"):
        window.open_file(str(_phenopacket(tmp_path, name)))
        window.autosave()
    window.cases.refresh()
    qtbot.waitUntil(lambda: window.cases.list.count() == 3, timeout=5000)
    assert selected() == ["case-c"]
    window.open_stored_case("case-a")
    assert selected() == ["case-a"]
    window.cases.search.setText("case-b")  # the case shown is not listed: nothing selected
    qtbot.waitUntil(lambda: window.cases.list.count() == 1, timeout=5000)
    assert selected() == []
    window.open_stored_case("case-b")
    assert selected() == ["case-b"]
    window.cases.search.clear()  # listed again: the case shown is selected again
    qtbot.waitUntil(lambda: window.cases.list.count() == 3, timeout=5000)
    assert selected() == ["case-b"]


def test_the_case_opened_from_the_list_stays_its_current_row_after_it_is_saved_or_analysed(window, qtbot, tmp_path):
    """Opened with Enter on its row, then analysed: the list's keyboard row must not slip to the neighbour, which
    showed as a second highlighted case and which the next Enter (or arrow key) would have started from."""
    from PySide6.QtCore import Qt

    from raretrace.gui.case_list import CASE_ROLE

    for name in ("case-a", "case-b", "case-c"):
        window.open_file(str(_phenopacket(tmp_path, name)))
        window.autosave()
    window.cases.refresh()
    qtbot.waitUntil(lambda: window.cases.list.count() == 3, timeout=5000)
    lst = window.cases.list
    row = next(i for i in range(lst.count()) if lst.item(i).data(CASE_ROLE) == "case-b")
    lst.setFocus()
    lst.setCurrentRow(row)
    qtbot.keyClick(lst, Qt.Key.Key_Return)
    assert window.document.case.id == "case-b"
    window.analyse()
    qtbot.waitUntil(lambda: window.document.result is not None and not window.runner.active, timeout=60000)
    assert lst.currentItem().data(CASE_ROLE) == "case-b"
    assert [i.data(CASE_ROLE) for i in lst.selectedItems()] == ["case-b"]
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")  # a save moves the row to the top
    window.autosave()
    qtbot.waitUntil(lambda: lst.item(0).data(CASE_ROLE) == "case-b" and not window.runner.active
                    and not window.saver.active, timeout=10000)
    assert lst.currentItem().data(CASE_ROLE) == "case-b"


def test_a_long_case_list_is_laid_out_in_batches_and_every_case_listed(qtbot, tmp_path):
    """A clinic's store holds thousands of cases; the list's word-wrapped items are laid out a batch per pass of
    the event loop (in one pass, 7,571 cases held the UI thread 200-320 ms), and every case still gets listed."""
    from PySide6.QtWidgets import QListView

    from raretrace.case import Case, Phenotype
    from raretrace.gui.case_list import CASE_ROLE, LAYOUT_BATCH, CaseListPanel
    from raretrace.gui.workers import TaskRunner
    from raretrace.store import CaseStore

    n = 2 * LAYOUT_BATCH + 7
    store = CaseStore(tmp_path / "many.sqlite")
    for i in range(n):
        store.save_case(Case(id=f"PMID_{i:08d}_a_long_case_identifier_{i}", subject_id=f"Affected individual {i}",
                             phenotypes=(Phenotype("HP:0001250", "Seizure"),)))
    runner = TaskRunner()
    panel = CaseListPanel(runner)
    qtbot.addWidget(panel)
    panel.resize(230, 600)
    panel.show()
    panel.set_store(store)
    qtbot.waitUntil(lambda: panel.list.count() == n, timeout=10000)
    assert panel.list.layoutMode() == QListView.LayoutMode.Batched and panel.list.batchSize() == LAYOUT_BATCH
    last = panel.list.item(n - 1)
    qtbot.waitUntil(lambda: panel.list.visualItemRect(last).height() > 0 and
                    panel.list.verticalScrollBar().maximum() > 0, timeout=10000)
    assert {panel.list.item(i).data(CASE_ROLE) for i in range(n)} == {c.id for c in store.list_cases()}
    runner.wait()
    store.close()


def test_a_bad_file_is_a_one_line_error_dialog_not_a_crash(window, qtbot, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json")
    window.open_file(str(bad))
    qtbot.waitUntil(lambda: bool(_dialogs(window)), timeout=5000)
    box = _dialogs(window)[0]
    assert "broken.json is not valid JSON" in box.text() and "\n" not in box.text()
    box.accept()
    assert window.isVisible()
    assert window.document.case.id != "broken"


def test_an_error_quoting_the_files_text_shows_it_as_text(window, qtbot, tmp_path):
    """An error names what the file holds ("subject.sex '<img src=x> MALE'"): the dialog and the status line show
    it as typed, not as markup."""
    from PySide6.QtCore import Qt

    odd = "<img src=x><b>MALE"
    bad = tmp_path / "collaborator.json"
    bad.write_text(json.dumps({"id": "c", "subject": {"id": "P1", "sex": odd},
                               "phenotypicFeatures": [{"type": {"id": "HP:0004322"}}]}))
    window.open_file(str(bad))
    qtbot.waitUntil(lambda: bool(_dialogs(window)), timeout=5000)
    box = _dialogs(window)[0]
    assert odd in as_shown(box.text(), box.textFormat() == Qt.TextFormat.PlainText)
    box.accept()
    status = window.task_label
    assert odd in as_shown(status.text(), status.textFormat() == Qt.TextFormat.PlainText)


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_exception_in_a_slot_shows_a_dialog(window, qtbot):
    from raretrace.gui.errors import install_excepthook

    old = sys.excepthook
    install_excepthook(lambda: window)
    try:
        def fail() -> None:
            raise RareTraceError("the VCF sample 'x' is not in the file; pick one of: a, b")

        QTimer.singleShot(0, fail)
        qtbot.waitUntil(lambda: bool(_dialogs(window)), timeout=5000)
        box = _dialogs(window)[0]
        assert box.text() == "the VCF sample 'x' is not in the file; pick one of: a, b"
        box.accept()

        def bug() -> None:
            raise ZeroDivisionError("division by zero\nsecond line")

        QTimer.singleShot(0, bug)
        qtbot.waitUntil(lambda: bool(_dialogs(window)), timeout=5000)
        text = _dialogs(window)[0].text()
        assert text.startswith("internal error (ZeroDivisionError: division by zero)") and "\n" not in text
        _dialogs(window)[0].accept()
    finally:
        sys.excepthook = old
    assert window.isVisible()


def test_analysing_without_features_explains_what_to_do(window, qtbot):
    window.analyse_action.trigger()
    qtbot.waitUntil(lambda: bool(_dialogs(window)), timeout=5000)
    assert "add at least one present feature" in _dialogs(window)[0].text() and "or a VCF" in _dialogs(window)[0].text()
    _dialogs(window)[0].accept()


def test_the_status_line_stops_asking_for_a_feature_once_one_is_added(window, qtbot):
    """It kept saying "add at least one present feature ... before analysing" beside the features added since."""
    window.new_case()
    window.analyse_action.trigger()
    qtbot.waitUntil(lambda: bool(_dialogs(window)), timeout=5000)
    _dialogs(window)[0].accept()
    assert window.task_label.text().startswith("add at least one present feature")
    window.document.set_note("Girl of 3 years.")  # the note alone is nothing to analyse: the request stands
    assert window.task_label.text().startswith("add at least one present feature")
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    assert window.task_label.text() == "Ready"


def test_the_status_line_stops_calling_a_file_no_vcf_once_a_vcf_is_chosen(window, qtbot, tmp_path, small_vcf):
    fake = tmp_path / "notes.txt"
    fake.write_text("patient has short stature\n")
    window.genomics.set_vcf_path(str(fake))
    qtbot.waitUntil(lambda: bool(_dialogs(window)), timeout=10000)
    _dialogs(window)[0].accept()
    assert "notes.txt is not a VCF" in window.task_label.text()
    window.genomics.set_vcf_path(str(small_vcf))  # read, not yet loaded: the earlier file's error no longer stands
    qtbot.waitUntil(lambda: window.document.vcf is not None, timeout=10000)
    assert window.task_label.text() == "Ready"
    assert not _dialogs(window)


def test_a_long_case_id_and_vcf_name_do_not_widen_the_window(window, qtbot, tmp_path):
    long_id = "referral-" + "x" * 80
    window.open_file(str(_phenopacket(tmp_path, long_id)))
    window.document.set_vcf(str(tmp_path / ("a-very-long-exome-file-name-" + "y" * 80 + ".vcf.gz")))
    window.resize(1024, 700)
    qtbot.wait(50)
    assert window.width() <= 1024 and window.minimumSizeHint().width() <= 1024
    assert long_id in window.header.case_id.toolTip() and window.header.case_id.shown() != long_id
    assert window.header.subject.width() >= 100


def test_a_json_file_with_nothing_of_a_phenopacket_opens_with_a_warning(window, tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"id": "x", "foo": 1}')
    window.open_file(str(path))
    assert window.document.case.id == "x"
    warned = [w for w in _dialogs(window) if "no phenotypic features" in w.text()]
    assert warned and "x.json" in warned[0].text()
    for w in warned:
        w.close()


def test_opening_the_demo_does_not_make_the_install_folder_the_users_folder(window, tmp_path):
    from raretrace.paths import resources_dir

    window.prefs.last_dir = str(tmp_path)
    window.open_file(str(resources_dir() / "demo" / "demo_case.json"))
    assert window.prefs.last_dir == str(tmp_path)


def test_the_case_list_counts_a_clinic_s_store_as_the_command_line_does(qtbot):
    # "7571 cases in the store" where `case list` and the rest of the window write 7,571
    from raretrace.gui.case_list import CaseListPanel
    from raretrace.gui.workers import TaskRunner

    panel = CaseListPanel(TaskRunner())
    qtbot.addWidget(panel)
    panel._show_count(7571)
    assert panel.count.text() == "7,571 cases in the store"
    panel._show_count(1)
    assert panel.count.text() == "1 case in the store"


def test_saving_a_case_updates_its_own_entry_not_the_whole_list(qtbot, tmp_path):
    """The window saves as the clinician types; listing a clinic's whole store again after every save held the UI
    thread ~100 ms per save with 7,571 cases. A save updates the saved case's entry only: changed cases move to the
    top, an analysis alone leaves the case where it is, and the other entries are the same items as before."""
    from raretrace.case import Case, Phenotype
    from raretrace.gui.case_list import CASE_ROLE, CaseListPanel
    from raretrace.gui.workers import TaskRunner
    from raretrace.store import CaseStore

    store = CaseStore(tmp_path / "s.sqlite")
    for name in ("case-a", "case-b", "case-c"):
        store.save_case(Case(id=name, phenotypes=(Phenotype("HP:0001250", "Seizure"),)))
    runner = TaskRunner()
    panel = CaseListPanel(runner)
    qtbot.addWidget(panel)
    panel.set_store(store)
    qtbot.waitUntil(lambda: panel.list.count() == 3, timeout=5000)
    order = lambda: [panel.list.item(i).data(CASE_ROLE) for i in range(panel.list.count())]  # noqa: E731
    listed = order()
    others = {panel.list.item(i).data(CASE_ROLE): panel.list.item(i) for i in range(3)}
    bottom = listed[-1]
    store.save_case(Case(id=bottom, phenotypes=(Phenotype("HP:0001250", "Seizure"), Phenotype("HP:0004322", "Short stature"))))
    panel.update_case(bottom)
    qtbot.waitUntil(lambda: order()[0] == bottom, timeout=5000)
    assert "2 present" in panel.list.item(0).text() and order()[1:] == listed[:-1]
    assert all(panel.list.item(i) is others[order()[i]] for i in (1, 2))  # not listed again
    panel.update_case(listed[0])  # nothing changed (as after an analysis alone): it stays in its row
    runner.wait()
    qtbot.wait(50)
    assert order() == [bottom, *listed[:-1]] and panel.count.text() == "3 cases in the store"
    store.close()



def test_a_case_id_with_markup_characters_is_shown_as_typed(window, qtbot, tmp_path):
    from PySide6.QtCore import Qt

    odd = "Zoë-王小明-<b>&amp;"  # a referral's ID as typed: markup characters are part of it, not formatting
    window.open_file(str(_phenopacket(tmp_path, odd)))
    label = window.header.case_id
    assert as_shown(label.text(), label.textFormat() == Qt.TextFormat.PlainText) == odd
    assert as_shown(label.toolTip(), False).startswith(odd)
    window.autosave()
    window.cases.refresh()
    qtbot.waitUntil(lambda: window.cases.list.count() == 1, timeout=5000)
    assert as_shown(window.cases.list.item(0).toolTip(), False).startswith(odd)


def test_the_case_list_says_when_a_case_changed_in_local_time(window, qtbot, tmp_path, monkeypatch):
    import time

    from raretrace.store import local_time

    monkeypatch.setenv("TZ", "Pacific/Auckland")  # UTC+12/13: the stored UTC time is another hour, often another day
    time.tzset()
    try:
        window.open_file(str(_phenopacket(tmp_path)))
        window.autosave()
        window.cases.refresh()
        qtbot.waitUntil(lambda: window.cases.list.count() == 1, timeout=5000)
        stamp = window.store.list_cases()[0].updated_at
        assert f"changed {local_time(stamp)}" in window.cases.list.item(0).text()
        assert local_time(stamp) != stamp[:16].replace("T", " ")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_the_case_list_says_a_case_changed_since_its_analysis(qtbot, tmp_path):
    from raretrace.case import Case, Phenotype
    from raretrace.gui.case_list import CaseListPanel
    from raretrace.gui.workers import TaskRunner
    from raretrace.store import CaseStore

    store = CaseStore(tmp_path / "s.sqlite")
    case = Case(id="case-a", phenotypes=(Phenotype("HP:0001250", "Seizure"),))
    store.save_case(case)
    store.record_analysis(case.id, {"diseases": [], "genes": []})
    runner = TaskRunner()
    panel = CaseListPanel(runner)
    qtbot.addWidget(panel)
    panel.set_store(store)
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=5000)
    assert panel.list.item(0).text().endswith("· analysed")
    store.save_case(Case(id="case-a", phenotypes=(*case.phenotypes, Phenotype("HP:0004322", "Short stature"))))
    panel.update_case("case-a")
    qtbot.waitUntil(lambda: panel.list.item(0).text().endswith("· analysed, changed since"), timeout=5000)
    runner.wait()
    store.close()


def test_cases_another_program_saved_are_listed_once_the_window_is_active_again(window, qtbot):
    """`raretrace case import` (or another window) beside an open window: its cases never appeared in the window's
    list, which was read when the window opened and then only took the window's own saves."""
    from PySide6.QtWidgets import QWidget

    from raretrace.case import case_from_terms
    from raretrace.store import CaseStore

    def activate(widget) -> None:
        widget.activateWindow()
        qtbot.waitUntil(widget.isActiveWindow, timeout=5000)

    activate(window)
    qtbot.waitUntil(lambda: not window.runner.active, timeout=10000)
    elsewhere = QWidget()  # the terminal the command runs in
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    activate(elsewhere)
    with CaseStore(window.store.path) as store:
        store.save_case(case_from_terms("imported-beside", ["HP:0001250"]))
    activate(window)
    qtbot.waitUntil(lambda: window.cases.list.count() == 1, timeout=5000)
    item = window.cases.list.item(0)
    assert item.text().startswith("imported-beside") and window.cases.count.text() == "1 case in the store"
    activate(elsewhere)
    activate(window)  # nothing changed meanwhile: the list (its scroll position, the keyboard's row) stays as it was
    qtbot.waitUntil(lambda: not window.runner.active, timeout=10000)
    assert window.cases.list.item(0) is item


def test_the_case_search_finds_a_case_by_a_word_of_its_note_and_a_gene_of_its_analysis(window, qtbot):
    from raretrace.case import case_from_terms
    from raretrace.gui.case_list import CASE_ROLE

    window.load_case(case_from_terms("kabuki-note", ["HP:0000494"]))
    window.phenotypes.note.setPlainText("Long palpebral fissures; Kabuki syndrome suspected.")
    window.autosave()
    qtbot.waitUntil(lambda: not window.saver.active and "kabuki-note" in window.store, timeout=30000)
    window.store.record_analysis("kabuki-note", {"diseases": [], "genes": [{"kind": "gene", "id": "KMT2D"}]})
    panel = window.cases
    assert "note" in panel.search.placeholderText() and "gene" in panel.search.placeholderText()
    for words in ("kabuki syndrome", "KMT2D"):
        panel.search.setText(words)
        qtbot.waitUntil(lambda: panel.count.text().startswith("1 case matching"), timeout=10000)
        assert panel.list.item(0).data(CASE_ROLE) == "kabuki-note"


def test_a_phenopacket_opened_with_feature_ids_only_gets_their_labels(window, qtbot, tmp_path):
    # stored with empty labels, such a case was not found by a feature's name in the case list
    import json

    path = tmp_path / "ids.json"
    path.write_text(json.dumps({"id": "ids-gui", "phenotypicFeatures": [{"type": {"id": "HP:0001363"}}]}))
    window.open_file(str(path))
    assert [p.label for p in window.document.case.phenotypes] == ["Craniosynostosis"]


def test_a_status_message_about_the_case_left_goes_when_another_case_is_shown(window, qtbot, tmp_path):
    # "empty.json: no phenotypic features and no VCF" (15 s) stayed over the stored case opened next, which has a
    # feature, and hid the status line's news of that case ("Last analysed …")
    window.open_file(str(_phenopacket(tmp_path)))
    qtbot.waitUntil(lambda: "case-1" in window.store and not window.saver.active, timeout=5000)
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"id": "empty-1", "subject": {"id": "x"}}))
    window.open_file(str(empty))
    for box in _dialogs(window):
        box.close()
    bar = window.statusBar()
    assert bar.currentMessage() == "empty.json: no phenotypic features and no VCF"
    window.open_stored_case("case-1")
    assert window.document.case.id == "case-1" and bar.currentMessage() == ""
    assert window.task_label.text() == "Ready" and window.task_label.isVisible()
    window.document.add_phenotype("HP:0000256", "Macrocephaly")
    window.undo()
    assert bar.currentMessage().startswith("Undone")  # a message about the case shown stays while it is shown
    window.new_case()
    assert bar.currentMessage() == ""
    # one not about a case stays: the store's or the knowledge base's
    bar.showMessage("Warning: the HPO release 2025-01-16 is over 12 months old (see Settings)", 15000)
    window.open_stored_case("case-1")
    assert bar.currentMessage().startswith("Warning: the HPO release")
