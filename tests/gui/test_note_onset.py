"""The onset the clinical note gives a finding goes to the Onset column when the finding is accepted, and never
over an onset already set."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

SEIZURE = "HP:0001250"


@pytest.fixture(autouse=True)
def _private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _accept_all(window, qtbot, text: str):
    panel = window.phenotypes
    panel.note.setPlainText(text)
    panel.note_status.setText("")
    panel.extract_now()
    qtbot.waitUntil(lambda: " found: " in panel.note_status.text(), timeout=30000)
    panel.accept_all_button.click()
    return panel


def _onset_cell(panel, term_id: str):
    from raretrace.gui.phenotypes import ID_ROLE

    for row in range(panel.chosen.rowCount()):
        if panel.chosen.item(row, 0).data(ID_ROLE) == term_id:
            return panel.chosen.item(row, 2)
    raise AssertionError(f"{term_id} is not among the features")


def test_a_finding_accepted_from_the_note_takes_its_onset(window, qtbot):
    from raretrace.gui.phenotypes import ONSET_ROLE

    window.ask_unsaved = lambda **_: "discard"
    window.new_case()
    panel = _accept_all(window, qtbot, "Seizures from 6 months.")
    assert window.document.phenotype(SEIZURE).onset == "P6M"
    cell = _onset_cell(panel, SEIZURE)
    assert cell.data(ONSET_ROLE) == "P6M" and cell.text() == "at 6 months"


def test_an_onset_set_by_hand_is_not_overwritten_by_the_note(window, qtbot):
    window.ask_unsaved = lambda **_: "discard"
    window.new_case()
    panel = _accept_all(window, qtbot, "Seizures.")
    assert window.document.phenotype(SEIZURE).onset is None
    window.document.set_onset(SEIZURE, "HP:0003593")  # the clinician picks Infantile onset in the Onset column
    _accept_all(window, qtbot, "Seizures from 6 months.")  # the note edited and read again, the finding accepted
    assert window.document.phenotype(SEIZURE).onset == "HP:0003593"
    assert "Infantile" in _onset_cell(panel, SEIZURE).text()


def test_a_finding_accepted_as_excluded_has_no_onset(window, qtbot):
    window.ask_unsaved = lambda **_: "discard"
    window.new_case()
    _accept_all(window, qtbot, "No seizures from 6 months.")
    pheno = window.document.phenotype(SEIZURE)
    assert pheno is not None and pheno.excluded and pheno.onset is None


def _found_item(panel, term_id: str):
    from raretrace.gui.phenotypes import ID_ROLE

    for n in range(panel.found_tree.topLevelItemCount()):
        item = panel.found_tree.topLevelItem(n)
        if item.data(0, ID_ROLE) == term_id:
            return item
    raise AssertionError(f"{term_id} is not among the terms found")


@pytest.mark.parametrize(("note", "words"), [("Seizures from 6 months. Ataxia.", "at 6 months"),
                                             ("Seizures from infancy. Ataxia.", "Infantile onset")])
def test_the_terms_found_show_the_onset_read_in_the_words_of_the_onset_column(window, qtbot, note, words):
    window.ask_unsaved = lambda **_: "discard"
    window.new_case()
    panel = window.phenotypes
    panel.note.setPlainText(note)
    panel.note_status.setText("")
    panel.extract_now()
    qtbot.waitUntil(lambda: " found: " in panel.note_status.text(), timeout=30000)
    seizure = _found_item(panel, SEIZURE)
    assert seizure.text(2) == f"present · {words}"
    assert words in seizure.toolTip(2) and f"Onset: {words}" in seizure.toolTip(1)
    ataxia = _found_item(panel, "HP:0001251")
    assert ataxia.text(2) == "present" and "Onset" not in ataxia.toolTip(1)  # the note gives it no onset
    panel.accept_all_button.click()
    assert _onset_cell(panel, SEIZURE).text() == words  # the same words once accepted
    assert _found_item(panel, SEIZURE).text(2) == f"present · {words}"
