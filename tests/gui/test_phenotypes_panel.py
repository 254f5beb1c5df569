"""Phenotypes panel: instant HPO suggestions, the ontology browser, the patient's features list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui


def _suggestions(panel) -> list[tuple[str, str]]:
    model = panel.suggestions
    return [(model.item(r).data(panel_id_role()), model.item(r).text()) for r in range(model.rowCount())]


def panel_id_role():
    from raretrace.gui.phenotypes import ID_ROLE

    return ID_ROLE


def test_typing_shows_suggestions_with_label_synonym_and_id(window, qtbot, engine):
    panel = window.phenotypes
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "seizures")
    qtbot.waitUntil(lambda: panel.suggestions.rowCount() > 0, timeout=10000)
    expected = engine.search.search("seizures", limit=15)
    shown = _suggestions(panel)
    assert [term_id for term_id, _ in shown] == [h.id for h in expected]
    first_id, first_text = shown[0]
    assert expected[0].label in first_text and first_id in first_text
    synonym_hits = [h for h in expected if h.matched.casefold() != h.label.casefold()]
    for hit in synonym_hits:
        text = dict(shown)[hit.id]
        assert hit.matched in text  # the synonym that matched is shown next to the label


def test_picking_a_suggestion_adds_the_term_as_present(window, qtbot, engine):
    panel = window.phenotypes
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "macrodont")
    qtbot.waitUntil(lambda: panel.completer.popup().isVisible(), timeout=10000)
    popup = panel.completer.popup()
    popup.setCurrentIndex(panel.completer.completionModel().index(0, 0))
    wanted = panel.completer.completionModel().index(0, 0).data(panel_id_role())
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.document.phenotype(wanted) is not None, timeout=5000)
    pheno = window.document.phenotype(wanted)
    assert not pheno.excluded and pheno.source == "typed"
    assert pheno.label == engine.ontology.label(wanted)
    assert panel.chosen.rowCount() == 1
    qtbot.waitUntil(lambda: panel.search.text() == "", timeout=2000)


def test_enter_adds_the_first_match_and_an_hpo_id_works(window, qtbot, engine):
    panel = window.phenotypes
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "HP:0001250")
    qtbot.waitUntil(lambda: panel.suggestions.rowCount() == 1, timeout=10000)
    assert panel.search_status.text() == "1 suggestion — ↓ to pick, Enter to add"  # it said "1 suggestions"
    panel.completer.popup().hide()
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert window.document.phenotype("HP:0001250") is not None


def test_the_word_that_a_term_was_added_goes_once_the_term_is_removed(window, qtbot, engine):
    """Under the search box, "Added Brachydactyly (HP:0001156)" stayed after Brachydactyly was removed."""
    panel = window.phenotypes
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "HP:0001156")
    qtbot.waitUntil(lambda: panel.suggestions.rowCount() == 1, timeout=10000)
    panel.completer.popup().hide()
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.search_status.text() == "Added Brachydactyly (HP:0001156)"
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")  # another change: the word still holds
    assert panel.search_status.text() == "Added Brachydactyly (HP:0001156)"
    panel.chosen.selectRow(0)
    panel.remove_button.click()
    assert window.document.phenotype("HP:0001156") is None
    assert panel.search_status.text() == ""
    window.undo()  # it is back: the word is not, and nothing claims otherwise
    assert window.document.phenotype("HP:0001156") is not None and panel.search_status.text() == ""


def test_enter_on_text_that_matches_several_terms_equally_adds_none(window, qtbot, engine):
    # "a" + Enter added Atrioventricular canal defect, one of many terms the letter matches equally well; "ASD" one of
    # Autistic behavior and Atrial septal defect. Enter adds only a match the text puts ahead of the others.
    panel = window.phenotypes
    for text in ("a", "ASD"):
        panel.search.setFocus()
        panel.search.clear()
        qtbot.keyClicks(panel.search, text)
        qtbot.waitUntil(lambda: panel.suggestions.rowCount() > 1, timeout=10000)  # noqa: B023
        panel.completer.popup().hide()
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
        assert window.document.case.phenotypes == ()
        assert "matches several terms equally well" in panel.search_status.text()
        assert panel.search.text() == text  # kept, to choose from the suggestions or type on
    panel.completer.popup().hide()
    panel.search.clear()
    qtbot.keyClicks(panel.search, "seiz")  # Seizure is ahead of Seizure cluster: added
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert [p.id for p in window.document.case.phenotypes] == ["HP:0001250"]


def test_enter_adds_what_the_box_says_while_the_suggestions_are_still_for_earlier_text(window, qtbot, engine):
    # Enter added the first suggestion shown, even when those suggestions were for what the box said before: typing
    # on and pressing Enter before the new search had come back (its short delay, or a worker busy on a loaded
    # machine) added "Seizure" for a box that read "HP:0001252".
    panel = window.phenotypes
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "seizure")
    qtbot.waitUntil(lambda: panel.suggestions.rowCount() > 0, timeout=10000)
    panel.completer.popup().hide()
    panel.search.clear()
    qtbot.keyClicks(panel.search, "HP:0001252")  # Hypotonia; its search has not come back yet
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert [p.id for p in window.document.case.phenotypes] == ["HP:0001252"]
    # and the word that it was added stays: the search of the typed text, due a moment later, found the box
    # emptied by the addition and blanked the status line
    qtbot.waitUntil(lambda: not panel._search_timer.isActive() and panel.search.text() == "", timeout=2000)
    assert panel.search_status.text() == "Added Hypotonia (HP:0001252)"


def test_adding_a_listed_term_in_the_other_state_says_it_changed_the_state(window, qtbot):
    # Search and Enter on a term listed as excluded marks it present (the document updates its state), but the
    # panel said "Added Hypotonia": a recorded absent finding turned present without a word. The browser's buttons
    # said nothing at all, whether they added, changed or left a term.
    doc, panel = window.document, window.phenotypes
    doc.add_phenotype("HP:0001252", "Hypotonia", excluded=True)
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "HP:0001252")
    qtbot.waitUntil(lambda: panel.suggestions.rowCount() == 1, timeout=10000)
    panel.completer.popup().hide()
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert not doc.phenotype("HP:0001252").excluded
    assert panel.search_status.text() == "Hypotonia was listed as excluded: now present"
    panel.browser.show_term("HP:0001252")
    panel.browser.add_present.click()
    assert panel.search_status.text() == "Hypotonia is already listed"
    panel.browser.add_excluded.click()
    assert doc.phenotype("HP:0001252").excluded
    assert panel.search_status.text() == "Hypotonia was listed as present: now excluded"
    panel.browser.show_term("HP:0001250")
    panel.browser.add_excluded.click()
    assert panel.search_status.text() == "Added Seizure (HP:0001250) as excluded"


def test_ontology_browser_shows_parents_children_and_definition(window, qtbot, engine):
    browser = window.phenotypes.browser
    onto = engine.ontology
    term_id = "HP:0001250"  # Seizure
    browser.show_term(term_id)
    idx = onto.index[term_id]
    parents_item = browser.tree.topLevelItem(0)
    me = browser.tree.topLevelItem(1)
    shown_parents = {parents_item.child(i).text(1) for i in range(parents_item.childCount())}
    assert shown_parents == {onto.ids[int(p)] for p in onto.parents(idx)}
    shown_children = {me.child(i).text(1) for i in range(me.childCount())}
    assert shown_children == {onto.ids[int(c)] for c in onto.children(idx)}
    assert onto.term(term_id).definition[:40] in browser.definition.text()
    # expanding a child loads its own children lazily; double-click browses from a parent
    child = next(me.child(i) for i in range(me.childCount()) if len(onto.children(onto.index[me.child(i).text(1)])))
    child.setExpanded(True)
    assert child.childCount() == len(onto.children(onto.index[child.text(1)]))
    parent_id = parents_item.child(0).text(1)
    browser.tree.itemDoubleClicked.emit(parents_item.child(0), 0)
    assert browser.current == parent_id
    browser.tree.setCurrentItem(browser.tree.topLevelItem(1))
    browser.add_excluded.click()
    assert window.document.phenotype(parent_id).excluded


def test_features_toggle_excluded_set_onset_and_remove(window, qtbot, engine):
    doc = window.document
    panel = window.phenotypes
    doc.add_phenotype("HP:0004322", "Short stature")
    doc.add_phenotype("HP:0001250", "Seizure")
    assert panel.chosen.rowCount() == 2
    panel.chosen.item(1, 1).setCheckState(Qt.CheckState.Checked)  # the Excluded tick
    qtbot.waitUntil(lambda: doc.phenotype("HP:0001250").excluded, timeout=2000)
    assert panel.chosen.item(1, 0).font().strikeOut() and panel.chosen.item(1, 1).checkState() == Qt.CheckState.Checked
    # onset through the column's editor: the HPO onset terms are offered
    index = panel.chosen.model().index(0, 2)
    delegate = panel.chosen.itemDelegateForColumn(2)
    editor = delegate.createEditor(panel.chosen.viewport(), None, index)
    offered = [editor.itemData(i) for i in range(editor.count())]
    onset_root = engine.ontology.index["HP:0003674"]
    assert {engine.ontology.ids[int(c)] for c in engine.ontology.children(onset_root)} <= set(offered)
    editor.setCurrentIndex(offered.index("HP:0003577"))  # Congenital onset
    delegate.setModelData(editor, panel.chosen.model(), index)
    qtbot.waitUntil(lambda: doc.phenotype("HP:0004322").onset == "HP:0003577", timeout=2000)
    assert panel.chosen.item(0, 2).text() == engine.ontology.label("HP:0003577")
    panel.chosen.selectRow(0)
    panel.remove_button.click()
    assert doc.phenotype("HP:0004322") is None and panel.chosen.rowCount() == 1
    assert "0 present, 1 excluded" in panel.chosen_summary.text()


def test_a_click_anywhere_in_the_excluded_cell_toggles_it(window, qtbot):
    from PySide6.QtTest import QTest

    doc, panel = window.document, window.phenotypes
    window.tabs.setCurrentWidget(panel)
    doc.add_phenotype("HP:0000175", "Cleft palate")
    rect = panel.chosen.visualItemRect(panel.chosen.item(0, 1))
    middle = rect.center()
    middle.setX(rect.right() - 4)  # away from the check box at the cell's left
    QTest.mouseClick(panel.chosen.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, middle)
    qtbot.waitUntil(lambda: doc.phenotype("HP:0000175").excluded, timeout=2000)
    rect = panel.chosen.visualItemRect(panel.chosen.item(0, 1))
    box = rect.topLeft()
    box.setX(rect.left() + 10)
    box.setY(rect.center().y())
    QTest.mouseClick(panel.chosen.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, box)
    qtbot.waitUntil(lambda: not doc.phenotype("HP:0000175").excluded, timeout=2000)  # once, not twice


def test_delete_removes_a_feature_only_from_the_features_list(window, qtbot):
    """Delete pressed in the terms found in the note, the case list or the patient ID must not remove the feature
    selected in the features list: only Delete in that list (or its Remove button) does."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    doc, panel = window.document, window.phenotypes
    window.tabs.setCurrentWidget(panel)
    window.activateWindow()
    doc.add_phenotype("HP:0001363", "Craniosynostosis")
    doc.add_phenotype("HP:0004322", "Short stature")
    panel.chosen.setCurrentCell(0, 0)
    for widget in (panel.found_tree, window.cases.list, window.header.subject, panel.note):
        widget.setFocus()
        qtbot.waitUntil(lambda w=widget: QApplication.focusWidget() is w, timeout=2000)
        QTest.keyClick(widget, Qt.Key.Key_Delete)
        assert [p.id for p in doc.case.phenotypes] == ["HP:0001363", "HP:0004322"], widget.objectName()
    panel.chosen.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.chosen, timeout=2000)
    QTest.keyClick(panel.chosen, Qt.Key.Key_Delete)
    assert [p.id for p in doc.case.phenotypes] == ["HP:0004322"]


def test_tab_leaves_the_clinical_note_instead_of_typing_a_tab(window, qtbot):
    # a keyboard user walking the window with Tab was trapped in the note, each Tab typed into the patient's note
    panel = window.phenotypes
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "Seizures")
    qtbot.keyClick(panel.note, Qt.Key.Key_Tab)
    assert panel.note.toPlainText() == "Seizures"
    assert not panel.note.hasFocus() and panel.find_button.hasFocus()
    qtbot.keyClick(panel.find_button, Qt.Key.Key_Backtab)
    assert panel.note.hasFocus()


def test_tab_leaves_the_features_list_and_arrows_move_in_it(window, qtbot):
    panel = window.phenotypes
    for term_id, label in (("HP:0001250", "Seizure"), ("HP:0001252", "Hypotonia"), ("HP:0000252", "Microcephaly")):
        window.document.add_phenotype(term_id, label)
    panel.chosen.setFocus()
    panel.chosen.setCurrentCell(0, 0)
    qtbot.keyClick(panel.chosen, Qt.Key.Key_Down)
    assert panel.chosen.currentRow() == 1
    qtbot.keyClick(panel.chosen, Qt.Key.Key_Tab)
    assert not panel.chosen.hasFocus()  # it moved to the next cell, 12 Tabs to get past three features


def test_note_highlights_excluded_features_and_ontology_ids_stay_readable_under_a_dark_desktop_palette(window, qtbot):
    import re

    from palette_checks import contrast, dark_desktop, drawn_contrast
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QPalette, QTextCursor

    panel = window.phenotypes
    with dark_desktop():
        panel.note.setPlainText("Seizures since infancy.")
        qtbot.waitUntil(lambda: any(t.id == "HP:0001250" for t in panel.found), timeout=20000)
        # the light highlight behind a term found kept the palette's text, white in dark mode (contrast 1.3)
        cursor = QTextCursor(panel.note.document())
        cursor.setPosition(0)
        start = panel.note.cursorRect(cursor)
        cursor.setPosition(len("Seizures"))
        span = QRect(start.topLeft(), panel.note.cursorRect(cursor).bottomLeft()).adjusted(1, 1, -1, -1)
        assert drawn_contrast(panel.note.viewport(), span) >= 4.5
        # an excluded feature's row and the term's ID and synonyms were grey fixed for a white page
        window.document.add_phenotype("HP:0004322", "Short stature", excluded=True)
        row = next(r for r in range(panel.chosen.rowCount()) if "HP:0004322" in panel.chosen.item(r, 0).text())
        base = panel.chosen.palette().color(QPalette.ColorRole.Base)
        assert contrast(panel.chosen.item(row, 0).foreground().color(), base) >= 4.5
        panel.browser.show_term("HP:0001250")
        window_colour = panel.browser.title.palette().color(QPalette.ColorRole.Window)
        for label in (panel.browser.title, panel.browser.definition):
            for grey in re.findall(r"color:\s*(#[0-9a-fA-F]{3,6})", label.text()):
                assert contrast(grey, window_colour) >= 4.5


def test_space_marks_features_excluded_one_after_another_from_the_keyboard(window, qtbot):
    # each tick rebuilt the list and put the keyboard back on the Feature column: Space then did nothing until
    # Right was pressed again
    doc = window.document
    panel = window.phenotypes
    for term_id, label in (("HP:0001250", "Seizure"), ("HP:0001252", "Hypotonia"), ("HP:0000252", "Microcephaly")):
        doc.add_phenotype(term_id, label)
    panel.chosen.setFocus()
    panel.chosen.setCurrentCell(0, 1)
    qtbot.keyClick(panel.chosen, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: doc.phenotype("HP:0001250").excluded, timeout=2000)
    qtbot.keyClick(panel.chosen, Qt.Key.Key_Down)
    qtbot.keyClick(panel.chosen, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: doc.phenotype("HP:0001252").excluded, timeout=2000)
    assert not doc.phenotype("HP:0000252").excluded


def test_a_feature_is_listed_by_the_hpo_label_that_is_analysed_not_the_files_label(window, tmp_path):
    """A collaborator's phenopacket labels HP:0001250 (Seizure) "Short stature", and another term with markup: the
    features list names each term as HPO does (what the analysis, the evidence and the report use), the file's own
    label only on hover, as text."""
    import json

    from conftest import as_shown

    odd = "<img src=x>Short"
    path = tmp_path / "collaborator.json"
    path.write_text(json.dumps({"id": "c1", "subject": {"id": "P1"}, "phenotypicFeatures": [
        {"type": {"id": "HP:0001250", "label": "Short stature"}},
        {"type": {"id": "HP:0004322", "label": odd}},
    ]}))
    window.open_file(str(path))
    chosen = window.phenotypes.chosen
    assert chosen.item(0, 0).text() == "Seizure  (HP:0001250)"
    assert chosen.item(1, 0).text() == "Short stature  (HP:0004322)"

    assert "Short stature" in as_shown(chosen.item(0, 0).toolTip())  # what the file said, to check against
    assert odd in as_shown(chosen.item(1, 0).toolTip())
    assert window.document.case.phenotypes[0].label == "Short stature"  # kept as given, for the export


def test_an_obsolete_or_unknown_id_is_marked_in_the_features_list(window, tmp_path):
    """An imported phenopacket with an obsolete ID (HP:0000057, replaced by HP:0008665) and one HPO does not know:
    the list showed the unknown one under the file's label and the obsolete one under its replacement's label, both
    as if current terms, though the analysis drops the unknown one; each is now marked, the reason on hover."""
    import json

    from conftest import as_shown

    path = tmp_path / "old.json"
    path.write_text(json.dumps({"id": "old1", "subject": {"id": "P1"}, "phenotypicFeatures": [
        {"type": {"id": "HP:0001250", "label": "Seizure"}},
        {"type": {"id": "HP:0000057", "label": "Clitoromegaly"}},
        {"type": {"id": "HP:9999999", "label": "Made-up finding"}},
    ]}))
    window.open_file(str(path))
    chosen = window.phenotypes.chosen
    assert not chosen.item(0, 0).text().startswith("⚠")
    assert chosen.item(1, 0).text().startswith("⚠") and "HP:0000057" in chosen.item(1, 0).text()
    assert "obsolete" in as_shown(chosen.item(1, 0).toolTip())
    assert chosen.item(2, 0).text().startswith("⚠")
    assert "not an HPO term" in as_shown(chosen.item(2, 0).toolTip())


def test_the_ontology_browser_forgets_a_removed_term_when_the_case_is_reopened(window, qtbot, tmp_path, monkeypatch):
    # Walkthrough at 1024x768: a demo feature selected (the browser shows it), removed, File → New, the case
    # reopened: the browser still showed the removed term, selected and expanded, as if it belonged to the case.
    from raretrace.demo import demo_case_path

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    window.ask_unsaved = lambda **_: "discard"
    window.resize(1024, 740)
    assert window.open_file(str(demo_case_path()))
    panel, browser = window.phenotypes, window.phenotypes.browser
    panel.chosen.setCurrentCell(0, 0)
    removed = panel.chosen.item(0, 0).data(panel_id_role())
    assert browser.current == removed and browser.tree.topLevelItemCount()
    panel.remove_selected()
    assert window.document.phenotype(removed) is None
    case_id = window.document.case.id
    window.new_case()
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    assert browser.current is None and browser.tree.topLevelItemCount() == 0  # a new case: nothing of the last
    window.open_stored_case(case_id)
    assert window.document.case.id == case_id and window.document.phenotype(removed) is None
    assert browser.current is None and browser.tree.topLevelItemCount() == 0
    assert browser.intro.isVisible() and not browser.title.isVisible() and not browser.definition.text()
    panel.chosen.setCurrentCell(0, 0)  # and it browses again from a feature picked in the reopened case
    assert browser.current == panel.chosen.item(0, 0).data(panel_id_role()) != removed
    assert browser.title.isVisible() and not browser.intro.isVisible()
