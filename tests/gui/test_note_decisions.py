"""Decisions on the terms found in the clinical note: what the patient's features become when the clinician accepts
or rejects a finding, with the real extractor."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

FAMILY_NOTE = ("8 year old boy. Seizures. Macrocephaly. Mum - macrocephaly. "
               "There is no family history of intellectual disability.")


def _extract(window, qtbot, text: str):
    panel = window.phenotypes
    panel.note.setPlainText(text)
    panel.extract_now()
    qtbot.waitUntil(lambda: "terms found" in panel.note_status.text(), timeout=30000)
    return panel


def _item(panel, words: str, kind: str):
    from raretrace.gui.phenotypes import ID_ROLE, found_as

    for i in range(panel.found_tree.topLevelItemCount()):
        item = panel.found_tree.topLevelItem(i)
        term = panel.found[item.data(1, ID_ROLE)]
        if term.text == words and found_as(term) == kind:
            return item
    raise AssertionError(f"{words!r} not found as {kind}: {[(t.text, found_as(t)) for t in panel.found]}")


def _choose(panel, item) -> None:
    panel.found_tree.clearSelection()
    panel.found_tree.setCurrentItem(item)


def test_a_relatives_finding_is_never_the_patients_feature(window, qtbot):
    window.new_case()
    panel = _extract(window, qtbot, FAMILY_NOTE)
    macro = _item(panel, "Macrocephaly", "present").data(0, panel_id_role())
    panel.accept_all_button.click()
    assert window.document.phenotype(macro) is not None

    # the mother's macrocephaly is not shown as accepted because the patient's is
    mums = _item(panel, "macrocephaly", "family")
    assert "accepted" not in mums.text(3)

    # rejecting the mother's macrocephaly leaves the patient's own, accepted from its own sentence
    _choose(panel, mums)
    panel.reject_button.click()
    assert window.document.phenotype(macro) is not None

    # "no family history of intellectual disability", double-clicked (accepted): the patient does not get it as a
    # present feature; the row says it was noted as a relative's and reads as negated
    negated = _item(panel, "intellectual disability", "family")
    assert "negated" in negated.text(2)
    term_id = negated.data(0, panel_id_role())
    _choose(panel, negated)
    panel.found_tree.itemDoubleClicked.emit(negated, 0)
    assert window.document.phenotype(term_id) is None
    assert "not added" in panel.note_status.text()
    assert "noted" in _item(panel, "intellectual disability", "family").text(3)
    assert [p.id for p in window.document.case.present] == [
        t.id for t in panel.found if not (t.family or t.excluded or t.uncertain)]
    # Undo takes back the noting, its own step, named as such (it skipped it, taking back the earlier decision, and
    # left the finding noted); the features stay as they are, and Redo notes it again
    features = window.document.case.phenotypes
    label = next(t.label for t in panel.found if t.id == term_id)
    assert window.undo_action.text() == f"&Undo: note {label} as a relative's finding"
    window.undo()
    assert _item(panel, "intellectual disability", "family").text(3) == ""
    assert window.document.case.phenotypes == features
    assert window.redo_action.text() == f"&Redo: note {label} as a relative's finding"
    window.redo()
    assert "noted" in _item(panel, "intellectual disability", "family").text(3)
    window.undo()
    window.undo()  # then the mother's macrocephaly, rejected: undecided again, the patient's own still accepted
    assert _item(panel, "macrocephaly", "family").text(3) == "" and window.document.phenotype(macro) is not None
    window.undo()  # and then Accept all certain
    assert window.document.case.phenotypes == ()


def test_rejecting_a_second_mention_keeps_the_feature_accepted_from_the_first(window, qtbot):
    window.new_case()
    panel = _extract(window, qtbot, "Seizures since 8 months. Seizures were worse with fever, query febrile.")
    first, second = [panel.found_tree.topLevelItem(i) for i in range(2)]
    assert first.text(0) == "Seizures" and second.text(0) == "Seizures"
    term_id = first.data(0, panel_id_role())
    _choose(panel, first)
    panel.accept_button.click()
    _choose(panel, panel.found_tree.topLevelItem(1))
    panel.reject_button.click()
    assert window.document.phenotype(term_id) is not None  # still accepted from the first sentence
    assert "accepted" in panel.found_tree.topLevelItem(0).text(3)


def panel_id_role():
    from raretrace.gui.phenotypes import ID_ROLE

    return ID_ROLE


def test_a_row_decided_before_the_next_extraction_decides_its_own_words(window, qtbot):
    """The clinician types at the top of the note and at once, before the terms are found again, rejects a row:
    the rejection is of that row's words, at their new place, and survives the extraction that follows; the row
    selects its own words in the note meanwhile."""
    window.new_case()
    panel = _extract(window, qtbot, "Seizures. Ptosis with macrocephaly.")
    panel.accept_all_button.click()
    ptosis = _item(panel, "Ptosis", "present")
    term_id = ptosis.data(0, panel_id_role())
    assert window.document.phenotype(term_id) is not None

    cursor = panel.note.textCursor()
    cursor.setPosition(0)
    panel.note.setTextCursor(cursor)
    qtbot.keyClicks(panel.note, "Impression: ")
    assert panel._note_timer.isActive()  # not extracted again yet
    _choose(panel, _item(panel, "Ptosis", "present"))
    assert panel.note.textCursor().selectedText() == "Ptosis"
    panel.reject_button.click()
    highlighted = {panel.note.toPlainText()[s.cursor.selectionStart():s.cursor.selectionEnd()]
                   for s in panel.note.extraSelections()}
    assert highlighted == {"Seizures", "macrocephaly"}

    qtbot.waitUntil(lambda: not panel._note_timer.isActive() and "terms found" in panel.note_status.text(),
                    timeout=30000)
    qtbot.waitUntil(lambda: panel.found and panel.found[0].start == len("Impression: "), timeout=30000)
    assert window.document.phenotype(term_id) is None
    assert "rejected" in _item(panel, "Ptosis", "present").text(3)  # not "accepted" while it is not a feature
    start = panel.note.toPlainText().index("Ptosis")
    assert window.document.decisions == {
        ("HP:0001250", 12, 20): "accepted", (term_id, start, start + 6): "rejected",
        ("HP:0000256", 34, 46): "accepted"}


def test_accept_all_keeps_the_clinicians_rejections_and_exclusions(window, qtbot):
    window.new_case()
    panel = _extract(window, qtbot, "Ptosis with seizures, macrocephaly and hypotonia.")
    names = [panel.found_tree.topLevelItem(i).text(0) for i in range(panel.found_tree.topLevelItemCount())]
    assert names == ["Ptosis", "seizures", "macrocephaly", "hypotonia"]
    ptosis, _, macro, hypotonia = [panel.found[i] for i in range(4)]
    _choose(panel, panel.found_tree.topLevelItem(0))
    panel.reject_button.click()  # not confirmed on examination
    _choose(panel, panel.found_tree.topLevelItem(3))
    panel.exclude_button.click()  # the clinician examined: no hypotonia
    panel.accept_all_button.click()
    assert window.document.phenotype(ptosis.id) is None
    assert window.document.phenotype(hypotonia.id).excluded
    assert not window.document.phenotype(macro.id).excluded
    assert "rejected" in panel.found_tree.topLevelItem(0).text(3)
    assert "excluded" in panel.found_tree.topLevelItem(3).text(3)


def test_undoing_a_paste_over_the_note_brings_back_its_decisions(window, qtbot):
    """A letter pasted over the note by mistake, then Ctrl+Z in the note: the note's rejections come back with its
    text, so 'Accept all certain' does not add the rejected finding again."""
    from PySide6.QtCore import Qt

    window.new_case()
    panel = window.phenotypes
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "Ptosis with seizures and macrocephaly.")
    qtbot.waitUntil(lambda: len(panel.found) == 3 and not panel._note_timer.isActive(), timeout=30000)
    ptosis = panel.found[0]
    _choose(panel, panel.found_tree.topLevelItem(0))
    panel.reject_button.click()
    panel.accept_all_button.click()
    decided = dict(window.document.decisions)
    assert decided[(ptosis.id, 0, 6)] == "rejected"

    panel.note.setFocus()
    qtbot.keyClick(panel.note, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    panel.note.insertPlainText("Letter for another patient: short stature.")
    assert window.document.decisions == {}
    qtbot.keyClick(panel.note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.note.toPlainText() == "Ptosis with seizures and macrocephaly."
    assert window.document.decisions == decided
    qtbot.waitUntil(lambda: len(panel.found) == 3 and not panel._note_timer.isActive()
                    and panel.runner.active.get("extract") is None, timeout=30000)
    panel.accept_all_button.click()
    assert window.document.phenotype(ptosis.id) is None
    assert "rejected" in panel.found_tree.topLevelItem(0).text(3)


def test_the_keyboard_accepts_rejects_and_copies_hpo_ids(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window.new_case()
    panel = _extract(window, qtbot, "Seizures and macrocephaly.")
    seizure, macro = panel.found
    panel.found_tree.setFocus()
    _choose(panel, panel.found_tree.topLevelItem(0))
    qtbot.keyClick(panel.found_tree, Qt.Key.Key_Return)
    assert window.document.phenotype(seizure.id) is not None
    qtbot.keyClick(panel.found_tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == f"{seizure.id}\t{seizure.label}"
    qtbot.keyClick(panel.found_tree, Qt.Key.Key_Delete)
    assert window.document.phenotype(seizure.id) is None
    assert "rejected" in panel.found_tree.topLevelItem(0).text(3)
    _choose(panel, panel.found_tree.topLevelItem(1))
    qtbot.keyClick(panel.found_tree, Qt.Key.Key_Enter)
    panel.chosen.setFocus()
    panel.chosen.setCurrentCell(0, 0)
    qtbot.keyClick(panel.chosen, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == f"{macro.id}\t{macro.label}"


def test_a_finding_accepted_then_changed_in_the_features_table_is_not_still_shown_accepted(window, qtbot):
    """After "Accept all", the clinician ticks Excluded on one feature and removes another in the features table:
    the note's findings say what the case now records (as they do once the case is reopened), not "✔ accepted"."""
    window.new_case()
    panel = _extract(window, qtbot, "Boy with microcephaly and seizures and scoliosis.")
    panel.accept_all_button.click()
    seizure = _item(panel, "seizures", "present").data(0, panel_id_role())
    scoliosis = _item(panel, "scoliosis", "present").data(0, panel_id_role())
    window.document.set_excluded(seizure, True)  # as a click in its Excluded cell does
    window.document.remove_phenotype(scoliosis)
    assert "accepted" not in _item(panel, "seizures", "present").text(3)
    assert "recorded as excluded" in _item(panel, "seizures", "present").text(3)
    assert _item(panel, "scoliosis", "present").text(3) == ""
    assert _item(panel, "microcephaly", "present").text(3) == "✔ accepted"
    highlighted = panel._effective_decisions()
    assert all(highlighted.get((t.id, t.start, t.end)) is None for t in panel.found if t.id in (seizure, scoliosis))


def test_an_accepted_negated_finding_reads_the_same_before_and_after_reopening(window, qtbot):
    window.new_case()
    case_id = window.document.case.id
    panel = _extract(window, qtbot, "Girl with microcephaly. No hearing loss.")
    panel.accept_all_button.click()
    live = _item(panel, "hearing loss", "excluded").text(3)
    window.new_case()
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    window.open_stored_case(case_id)
    panel.extract_now()
    qtbot.waitUntil(lambda: panel.found_tree.topLevelItemCount() == 2, timeout=30000)
    assert live == _item(panel, "hearing loss", "excluded").text(3) == "⊘ accepted as excluded"


def test_the_notes_age_and_sex_are_offered_for_the_empty_header_fields(window, qtbot):
    """'a 7-year-old girl' in the note: the header offers 7 years and female where its fields are empty, and never
    replaces what the clinician entered."""
    window.new_case()
    header = window.header
    window.document.set_header(sex="MALE")  # entered by the clinician: stays
    window.phenotypes.note.setPlainText("Amelia is a 7-year-old girl with seizures. Her 5-year-old brother is well.")
    qtbot.waitUntil(header.from_note.isVisible, timeout=5000)
    assert header.from_note.text() == "Note: 7 years"  # the sex is not offered: it is entered
    header.from_note.click()
    case = window.document.case
    assert (case.age, case.sex) == ("P7Y", "MALE")
    assert header.age.text() == "7 years" and not header.from_note.isVisible()
    window.undo()  # one step, named for what it did
    assert window.document.case.age is None and window.statusBar().currentMessage() == "Undone: set age to 7 years"
    window.document.set_header(sex="")
    qtbot.waitUntil(lambda: header.from_note.text() == "Note: 7 years, female", timeout=5000)
    assert "click to fill the empty Age and Sex fields (" in header.from_note.toolTip()  # both: fields, plural
    window.resize(1024, 700)  # the offer does not widen the window past a small screen
    assert window.minimumSizeHint().width() <= 1024
    header.age.setText("6 years")  # typed, not yet committed: the age is the clinician's
    header.age.setModified(True)
    assert header.from_note.text() == "Note: female"
    header.from_note.click()
    assert window.document.case.sex == "FEMALE" and header.age.text() == "6 years"
    assert window.document.case.age == "P6Y"


def test_accept_all_is_one_step_for_undo_and_so_is_removing_several_features(window, qtbot):
    # Each finding accepted was its own undo step: after "Accept all certain", Edit showed "Undo: add excluded
    # feature Seizure" and Ctrl+Z took back the last finding only, leaving the others accepted.
    window.new_case()
    panel = _extract(window, qtbot, "Seizures. Macrocephaly. Hypotonia. No ptosis.")
    panel.accept_all_button.click()
    accepted = [p.id for p in window.document.case.phenotypes]
    assert len(accepted) == 4
    assert window.undo_action.text().endswith("and 3 more changes")
    window.undo()
    assert window.document.case.phenotypes == ()
    assert not any(d == "accepted" for d in window.document.decisions.values())  # the findings wait for a decision
    window.redo()
    assert [p.id for p in window.document.case.phenotypes] == accepted

    # several features selected and removed (Delete) are one step as well
    panel.chosen.selectAll()
    panel.remove_selected()
    assert window.document.case.phenotypes == ()
    window.undo()
    assert [p.id for p in window.document.case.phenotypes] == accepted


def test_a_term_after_an_emoji_is_highlighted_and_selected_at_its_own_words(window, qtbot):
    """The terms' offsets count code points, Qt's cursor UTF-16 units: after an emoji (two units) every highlight
    and selection stood one character to the left ("premature ovarian insufficienc" and the space before it)."""
    window.new_case()
    panel = _extract(window, qtbot, "Bronze skin 🙂 and seizures. Ptosis 🙂🙂 noted.")
    text = panel.note.toPlainText()
    highlighted = {s.cursor.selectedText() for s in panel.note.extraSelections()}
    assert {"seizures", "Ptosis"} <= highlighted, highlighted
    _choose(panel, _item(panel, "Ptosis", "present"))
    assert panel.note.textCursor().selectedText() == "Ptosis"
    assert text.index("Ptosis") == next(t.start for t in panel.found if t.text == "Ptosis")


def test_a_finding_not_documented_is_listed_uncertain_and_left_by_accept_all_certain(window, qtbot):
    """"Ataxia was not documented" (and the heading form "Seizures: not documented"): listed as the other uncertain
    findings are, and "Accept all certain" leaves them for the clinician, neither present nor excluded."""
    window.new_case()
    panel = _extract(window, qtbot, "Ptosis. Ataxia was not documented. Seizures: not documented. Possible hypotonia.")
    ataxia = _item(panel, "Ataxia", "uncertain")
    assert ataxia.text(2) == _item(panel, "hypotonia", "uncertain").text(2) == _item(
        panel, "Seizures", "uncertain").text(2)  # the same "Found as" words
    panel.accept_all_button.click()
    assert window.document.phenotype(_item(panel, "Ptosis", "present").data(0, panel_id_role())) is not None
    for words in ("Ataxia", "Seizures", "hypotonia"):  # (the list is rebuilt after a decision)
        item = _item(panel, words, "uncertain")
        assert window.document.phenotype(item.data(0, panel_id_role())) is None
        assert "accepted" not in item.text(3)


def test_a_note_contradicting_the_recorded_sex_or_age_is_flagged_and_the_case_kept(window, qtbot, tmp_path,
                                                                                    monkeypatch):
    # The demo case records a boy; the note pasted said "3-year-old girl", and nothing flagged it (the header
    # offers the note's values only for empty fields). A visible warning names both; the case keeps its values.
    from raretrace.demo import demo_case_path

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    window.ask_unsaved = lambda **_: "discard"
    window.resize(1024, 740)
    assert window.open_file(str(demo_case_path()))
    header, warning = window.header, window.header.note_differs
    assert window.document.case.sex == "MALE" and not warning.isVisible()
    window.phenotypes.note.setPlainText("3-year-old girl with global developmental delay, hypotonia, seizures "
                                        "from 6 months, no hearing loss.")
    qtbot.waitUntil(warning.isVisible, timeout=5000)
    assert warning.text() == "⚠ The note says female (“girl”); the case records male: check which is right"
    assert warning.shown() == warning.text()  # whole at 1024 px
    assert window.document.case.sex == "MALE" and header.sex.currentData() == "MALE"  # never changed by itself
    assert header.from_note.text() == "Note: 3 years"  # the empty age is still offered
    window.document.set_header(age="P6Y")  # an age too far from the note's is said as well
    assert warning.text() == ("⚠ The note says female (“girl”) and 3 years; the case records male and 6 years: check "
                              "which is right")
    window.document.set_header(sex="FEMALE", age="P3Y2M")  # the clinician corrects the case: the warning goes
    assert not warning.isVisible()
    window.document.set_header(sex="MALE")
    assert warning.isVisible()
    window.new_case()  # another case, no note: nothing to contradict
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    qtbot.waitUntil(lambda: not warning.isVisible(), timeout=5000)


def test_the_notes_warning_shares_the_line_under_the_fields_on_a_narrow_window(window, qtbot):
    # A 540-px-high screen (1920x1080 at 200 %) is 960 px wide: there the note's offer takes the room beside the
    # fields and the summary goes under them. The warning had a line of its own under that one, and the window's least
    # height grew past that screen's; it now shares the summary's line.
    from raretrace.gui.main_window import FRAME_ROOM

    window.ask_unsaved = lambda **_: "discard"
    window.resize(960 - FRAME_ROOM[0], 700)
    header, warning = window.header, window.header.note_differs
    least = {}
    for sex in ("FEMALE", "MALE"):  # the note agrees, then contradicts
        window.document.set_header(sex=sex)
        window.phenotypes.note.setPlainText("3-year-old girl with seizures.")
        qtbot.waitUntil(lambda: header.from_note.isVisible(), timeout=5000)
        qtbot.waitUntil(lambda s=sex: warning.isVisible() == (s == "MALE"), timeout=5000)
        qtbot.wait(50)
        least[sex] = window.minimumSizeHint().height()
    assert header._below.indexOf(warning) >= 0 and header._below.indexOf(header.summary) >= 0
    assert least["MALE"] == least["FEMALE"]
    assert warning.shown().startswith("⚠ The note says female")


def test_redoing_a_rejection_keeps_the_finding_rejected(window, qtbot):
    # Undo then Redo of "Reject" removed the feature again but forgot the rejection: the row read undecided, the
    # store kept no rejection, and "Accept all certain" (here or once the case was reopened) added it back
    window.new_case()
    panel = _extract(window, qtbot, "Seizures. Macrocephaly.")
    panel.accept_all_button.click()
    seizures = _item(panel, "Seizures", "present")
    term_id = seizures.data(0, panel_id_role())
    _choose(panel, seizures)
    panel.reject_button.click()
    assert window.document.phenotype(term_id) is None
    window.undo()
    assert window.document.phenotype(term_id) is not None
    window.redo()
    assert window.document.phenotype(term_id) is None
    assert "rejected" in _item(panel, "Seizures", "present").text(3)
    panel.accept_all_button.click()
    assert window.document.phenotype(term_id) is None  # still rejected
    window.undo()  # and the step back brings it again, accepted
    assert window.document.phenotype(term_id) is not None


def test_the_message_under_the_note_says_how_the_findings_stand_after_each_action(window, qtbot):
    # The message under the note stayed as one action left it: "Noted as a relative's finding: Seizure" after the
    # row was rejected, "Not accepted: the note contradicts the recorded Hypotonia" after Hypotonia was accepted or
    # the note edited. It now says how many findings are left to review, and an action's own message gives way to
    # that at the next change (a decision, Undo, an edit of the note).
    window.new_case()
    panel = _extract(window, qtbot, "Hearing loss. The mother had seizures. Hypotonia.")
    status = panel.note_status
    assert "3 terms found" in status.text() and "3 to review" in status.text()

    mothers = _item(panel, "seizures", "family")
    _choose(panel, mothers)
    panel.accept_button.click()
    assert "Noted as a relative's finding" in status.text()
    _choose(panel, _item(panel, "seizures", "family"))
    panel.reject_button.click()
    assert "Noted" not in status.text() and "2 to review" in status.text()

    window.document.add_phenotype("HP:0001252", "Hypotonia", excluded=True, source="typed")  # examined: none
    panel.accept_all_button.click()
    assert "contradicts the recorded Hypotonia" in status.text()
    _choose(panel, _item(panel, "Hypotonia", "present"))
    panel.accept_button.click()  # the note is right: present
    assert "contradicts" not in status.text() and "none left to review" in status.text()
    window.undo()  # excluded again: the note's Hypotonia waits for a decision once more
    assert "1 to review" in status.text()

    _choose(panel, _item(panel, "seizures", "family"))
    panel.accept_button.click()
    assert "Noted as a relative's finding" in status.text()
    cursor = panel.note.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    panel.note.setTextCursor(cursor)
    qtbot.keyClicks(panel.note, " Tall.")  # before the note is read again, the message no longer speaks of it
    assert panel._note_timer.isActive() and "Noted" not in status.text() and "1 to review" in status.text()
    qtbot.waitUntil(lambda: "terms found" in status.text() and not panel._note_timer.isActive(), timeout=30000)

    window.new_case()  # another case: nothing said of this one's note
    assert status.text() == ""


def test_mark_excluded_is_for_the_patients_own_findings_not_a_relatives(window, qtbot):
    # "Mark excluded" on "his father has hearing loss" recorded hearing impairment as absent in the patient (and
    # flipped the patient's own present hearing impairment to excluded): a relative having a finding says nothing
    # of whether the patient lacks it. The button is off for a relative's finding, with the reason on hover.
    from PySide6.QtCore import QItemSelectionModel

    window.new_case()
    panel = _extract(window, qtbot, "Seizures. His father has hearing loss. Hypotonia.")
    doc = window.document
    fathers = _item(panel, "hearing loss", "family")
    hearing = panel.found[fathers.data(1, panel_id_role())]
    _choose(panel, fathers)
    assert not panel.exclude_button.isEnabled()
    assert "relative" in panel.exclude_button.toolTip()
    panel.decide_selected("excluded")  # however it is asked for, nothing is recorded of the patient
    assert doc.phenotype(hearing.id) is None
    assert (hearing.id, hearing.start, hearing.end) not in doc.decisions

    doc.add_phenotype(hearing.id, hearing.label, source="typed")  # the patient is deaf too
    panel.decide_selected("excluded")
    assert not doc.phenotype(hearing.id).excluded
    _choose(panel, _item(panel, "hearing loss", "family"))
    panel.reject_button.click()  # the note misread: the patient's own stays
    assert not doc.phenotype(hearing.id).excluded
    assert "rejected" in _item(panel, "hearing loss", "family").text(3)

    # the patient's own finding selected with a relative's: the button marks the patient's, and says what it left
    _choose(panel, _item(panel, "Seizures", "present"))
    panel.found_tree.setCurrentItem(_item(panel, "hearing loss", "family"),
                                    0, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    assert len(panel.found_tree.selectedItems()) == 2
    assert panel.exclude_button.isEnabled()
    panel.exclude_button.click()
    assert doc.phenotype("HP:0001250").excluded
    assert not doc.phenotype(hearing.id).excluded
    assert "relative" in panel.note_status.text()
    assert "rejected" in _item(panel, "hearing loss", "family").text(3)

    # the patient's own finding alone: the button is on again with its own tooltip
    _choose(panel, _item(panel, "Hypotonia", "present"))
    assert panel.exclude_button.isEnabled() and "relative" not in panel.exclude_button.toolTip()
    panel.accept_all_button.click()  # a relative's finding is never accepted in bulk
    assert doc.decisions[(hearing.id, hearing.start, hearing.end)] == "rejected"


def test_a_noted_relatives_finding_stays_noted_when_the_case_is_reopened(window, qtbot):
    # "His father has hearing loss", accepted: noted as a relative's finding. Reopened, the row read undecided and
    # the message under the note counted it again as left to review: the clinician's review was lost.
    window.new_case()
    case_id = window.document.case.id
    panel = _extract(window, qtbot, "Seizures. His father has hearing loss.")
    panel.accept_all_button.click()
    _choose(panel, _item(panel, "hearing loss", "family"))
    panel.accept_button.click()
    assert "noted" in _item(panel, "hearing loss", "family").text(3)
    features = window.document.case.phenotypes
    assert [p.id for p in features] == ["HP:0001250"]  # the father's hearing loss is not the patient's
    window.undo()  # taken back and made again: saved as it stands
    assert _item(panel, "hearing loss", "family").text(3) == ""
    window.redo()
    window.new_case()
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    window.open_stored_case(case_id)
    panel.extract_now()
    qtbot.waitUntil(lambda: "terms found" in panel.note_status.text(), timeout=30000)
    assert "noted" in _item(panel, "hearing loss", "family").text(3)
    assert "none left to review" in panel.note_status.text()
    assert window.document.case.phenotypes == features  # nor is it once reopened


def test_rejecting_a_finding_that_was_never_a_feature_is_its_own_undo_step(window, qtbot):
    # Rejecting a finding never accepted changes no feature, and was no Undo step: Ctrl+Z took back the feature
    # accepted before it, and left the rejection
    window.new_case()
    panel = _extract(window, qtbot, "Seizures. Ptosis.")
    _choose(panel, _item(panel, "Seizures", "present"))
    panel.accept_button.click()
    _choose(panel, _item(panel, "Ptosis", "present"))
    panel.reject_button.click()
    label = next(t.label for t in panel.found if t.text == "Ptosis")
    assert window.undo_action.text() == f"&Undo: reject {label} found in the note"
    edits = window.document.input_edits
    window.undo()
    assert _item(panel, "Ptosis", "present").text(3) == ""
    assert window.document.input_edits == edits  # nothing the analysis reads changed: its result stays current
    assert [p.id for p in window.document.case.phenotypes] == ["HP:0001250"]  # the accepted feature stays
    assert window.undo_action.text() == "&Undo: add feature Seizure"


def _typed_note(window, qtbot, text: str):
    """`text` typed into the note, as the clinician types it (one step of the note editor's own undo), and its terms
    found."""
    panel = window.phenotypes
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, text)
    qtbot.waitUntil(lambda: bool(panel.found) and not panel._note_timer.isActive()
                    and panel.runner.active.get("extract") is None, timeout=30000)
    return panel


def _type_at(panel, qtbot, position: str, text: str) -> None:
    from PySide6.QtGui import QTextCursor

    cursor = panel.note.textCursor()
    cursor.movePosition(getattr(QTextCursor.MoveOperation, position))
    panel.note.setTextCursor(cursor)
    qtbot.keyClicks(panel.note, text)


def _note_key(panel, qtbot, key, modifiers) -> None:
    """A key of the note editor's own (Ctrl+Z, Ctrl+Shift+Z: its text undo and redo), pressed in the note."""
    panel.note.setFocus()
    qtbot.keyClick(panel.note, key, modifiers)


def test_the_windows_undo_after_the_note_editors_undo_takes_back_each_decision_once(window, qtbot):
    # Two decisions on the note's findings, then the note editor's own undo (Ctrl+Z in the note: its text, not the
    # decisions), then Edit → Undo. Once the note's undo had taken the decided words away, Edit → Undo took its
    # step without the decision: the note's redo brought the words back with the decision still made ("accepted"
    # beside no feature, left out of Accept all certain), and Redo had nothing left to redo of it
    from PySide6.QtCore import Qt

    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    window.new_case()
    doc = window.document
    note = "Seizures. Ptosis."
    panel = _typed_note(window, qtbot, note)
    seizures, ptosis = (next(t for t in panel.found if t.text == w) for w in ("Seizures", "Ptosis"))
    s_key, p_key = (seizures.id, 0, 8), (ptosis.id, 10, 16)
    _choose(panel, _item(panel, "Seizures", "present"))
    panel.accept_button.click()  # a feature and its decision: one step
    _choose(panel, _item(panel, "Ptosis", "present"))
    panel.reject_button.click()  # a decision alone: a step of its own
    assert doc.decisions == {s_key: "accepted", p_key: "rejected"}
    assert [p.id for p in doc.case.phenotypes] == [seizures.id]
    reject_step = f"&Undo: reject {ptosis.label} found in the note"
    assert window.undo_action.text() == reject_step

    # typed before the decided words, then taken back in the note: the decisions move with their words and back
    _type_at(panel, qtbot, "Start", "Boy. ")
    assert doc.note == "Boy. " + note and doc.decisions == {(seizures.id, 5, 13): "accepted",
                                                            (ptosis.id, 15, 21): "rejected"}
    _note_key(panel, qtbot, Qt.Key.Key_Z, ctrl)
    assert doc.note == note and doc.decisions == {s_key: "accepted", p_key: "rejected"}
    assert window.undo_action.text() == reject_step  # the note's undo is no step of the window's

    window.undo_action.trigger()  # Edit → Undo: the rejection, alone
    assert doc.note == note and doc.decisions == {s_key: "accepted"}
    assert [p.id for p in doc.case.phenotypes] == [seizures.id]
    assert window.redo_action.text() == f"&Redo: reject {ptosis.label} found in the note"

    # the note's undo again: the typed note goes, and the decided words with it (the decisions wait for them)
    _note_key(panel, qtbot, Qt.Key.Key_Z, ctrl)
    assert doc.note == "" and doc.decisions == {}
    assert window.undo_action.text() == f"&Undo: add feature {seizures.label}"
    assert window.redo_action.text() == f"&Redo: reject {ptosis.label} found in the note"  # still named
    window.undo_action.trigger()  # Edit → Undo: the acceptance, with its feature
    assert doc.note == "" and doc.case.phenotypes == () and doc.decisions == {}
    assert window.redo_action.text() == f"&Redo: add feature {seizures.label}"

    # the note's redo brings the words back: both decisions stay taken back, as Edit → Undo left them
    _note_key(panel, qtbot, Qt.Key.Key_Z, ctrl | shift)
    assert doc.note == note and doc.decisions == {} and doc.case.phenotypes == ()
    qtbot.waitUntil(lambda: len(panel.found) == 2 and panel.runner.active.get("extract") is None, timeout=30000)
    assert [_item(panel, w, "present").text(3) for w in ("Seizures", "Ptosis")] == ["", ""]

    # and Edit → Redo makes each again, once
    window.redo_action.trigger()
    assert doc.decisions == {s_key: "accepted"} and [p.id for p in doc.case.phenotypes] == [seizures.id]
    window.redo_action.trigger()
    assert doc.decisions == {s_key: "accepted", p_key: "rejected"}
    assert [p.id for p in doc.case.phenotypes] == [seizures.id] and not window.redo_action.isEnabled()
    assert doc.note == note


def test_the_windows_undo_finds_its_decision_after_the_note_was_edited_in_two_places(window, qtbot):
    # The decisions move with their words at each keystroke, but the Undo steps kept theirs at the spans of the
    # note they were made on, moved at Undo time by one difference of the two texts: a sentence typed at the
    # start and one at the end left no span in between, and Edit → Undo (unnamed) took back nothing of the
    # rejection, then the feature without its decision
    window.new_case()
    doc = window.document
    panel = _typed_note(window, qtbot, "Seizures. Ptosis.")
    for words, button in (("Seizures", panel.accept_button), ("Ptosis", panel.reject_button)):
        _choose(panel, _item(panel, words, "present"))
        button.click()
    seizures, ptosis = (next(t for t in panel.found if t.text == w) for w in ("Seizures", "Ptosis"))
    _type_at(panel, qtbot, "Start", "Boy. ")
    _type_at(panel, qtbot, "End", " Tall.")
    assert doc.note == "Boy. Seizures. Ptosis. Tall."
    assert window.undo_action.text() == f"&Undo: reject {ptosis.label} found in the note"
    window.undo_action.trigger()
    assert doc.decisions == {(seizures.id, 5, 13): "accepted"}
    assert [p.id for p in doc.case.phenotypes] == [seizures.id]
    window.undo_action.trigger()
    assert doc.decisions == {} and doc.case.phenotypes == ()
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert doc.decisions == {(seizures.id, 5, 13): "accepted", (ptosis.id, 15, 21): "rejected"}
    assert doc.note == "Boy. Seizures. Ptosis. Tall."
