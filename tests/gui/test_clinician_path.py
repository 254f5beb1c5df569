"""The whole clinician path in the window, with the real engine: type a note -> accept the terms found -> search
and add a term -> load a VCF -> analyse -> select a hypothesis -> see its evidence -> export the PDF.
Then cancelling a running analysis, and an analysis error shown as one line."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

pytestmark = pytest.mark.gui

NOTE = (
    "Boy of 2 years with craniosynostosis, proptosis and hypertelorism. Broad thumbs and broad halluces. "
    "No cleft palate. Possible hearing loss. Bilateral ptosis."
)


def _dialogs(window) -> list[QMessageBox]:
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    return boxes + [w for w in window.findChildren(QMessageBox) if w.isVisible() and w not in boxes]


def test_note_to_pdf(window, qtbot, engine, small_vcf, tmp_path):
    from pypdf import PdfReader

    window.new_case()
    panel = window.phenotypes

    # 1. type the note; the terms found are highlighted and listed
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, NOTE)
    extracted = engine.extractor.extract(NOTE)
    expected = [t for t in extracted if not t.broader]  # "Ptosis" beside "Bilateral ptosis" is not listed
    assert len(expected) < len(extracted)
    qtbot.waitUntil(lambda: len(panel.found) == len(expected) and panel.found_tree.topLevelItemCount() > 0,
                    timeout=30000)
    assert [(t.id, t.start, t.end) for t in panel.found] == [(t.id, t.start, t.end) for t in expected]
    highlighted = {(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in panel.note.extraSelections()}
    assert {(t.start, t.end) for t in expected} == highlighted
    assert window.document.note == NOTE  # the note itself is part of the case

    # 2. accept the certain ones: present stay present, negated ones become excluded, uncertain ones wait
    panel.accept_all_button.click()
    for term in expected:
        pheno = window.document.phenotype(term.id)
        if term.uncertain or term.family:
            assert pheno is None
        else:
            assert pheno is not None and pheno.excluded == term.excluded and pheno.source == "extracted"
    assert any(p.excluded for p in window.document.case.phenotypes)

    # 3. search and add a term the note did not mention
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "downslanted palpebral")
    qtbot.waitUntil(lambda: panel.completer.popup().isVisible(), timeout=10000)
    popup = panel.completer.popup()
    popup.setCurrentIndex(panel.completer.completionModel().index(0, 0))
    chosen = panel.completer.completionModel().index(0, 0).data(Qt.ItemDataRole.UserRole + 1)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.document.phenotype(chosen) is not None, timeout=5000)

    # 4. load the VCF
    genomics = window.genomics
    window.tabs.setCurrentWidget(genomics)
    genomics.set_vcf_path(str(small_vcf), load=True)
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=60000)
    assert any(v.gene == "FGFR2" for v in genomics.model.variants)

    # 5. analyse (Ctrl+R)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.document.result is not None or bool(window._errors), timeout=180000)
    assert not window._errors
    result = window.document.result
    assert window.document.result is result and not window.document.result_stale
    assert window.tabs.currentWidget() is window.results
    assert {t for t, _ in result.present} == {p.id for p in window.document.case.present}
    assert result.vcf is not None and result.vcf.sample == "proband"
    assert result.device in window.device_label.text().lower()

    # 6. select a hypothesis and see its evidence: the very objects of the result, flags included
    results = window.results
    table = results.diseases
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(1, 1)).center())
    hyp = result.diseases[table.item(1, 0).data(Qt.ItemDataRole.UserRole + 1)]
    assert results.current is hyp
    text = results.evidence.toPlainText()
    assert hyp.label in text
    assert all(m.patient_label in text for m in hyp.matched)
    assert all(f.message in text for f in hyp.flags)
    fgfr2 = next((g for g in result.genes if g.id == "FGFR2"), None)
    if fgfr2 is not None:  # the loaded variant is traceable to its VCF line in the gene's evidence
        results.lists.setCurrentIndex(1)
        results.select_hypothesis(result.genes.index(fgfr2), "gene")
        assert "10:123256215" in results.evidence.toPlainText()
    stored = window.store.latest_analysis(result.case_id)
    assert stored is not None and stored.result["diseases"][0]["id"] == result.diseases[0].id

    # 7. export the PDF report
    window.tabs.setCurrentWidget(window.report)
    out = tmp_path / "report.pdf"
    with qtbot.waitSignal(window.report.exported, timeout=120000):
        window.report.export(str(out))
    pdf = "".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert result.diseases[0].id in pdf and result.case_id in pdf
    assert not _dialogs(window)


def test_cancelling_an_analysis_leaves_the_case_as_it_was(window, qtbot, large_vcf):
    window.new_case()
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    window.genomics.set_vcf_path(str(large_vcf))  # not loaded yet: the analysis reads it
    qtbot.waitUntil(lambda: window.genomics.sample.count() == 1, timeout=10000)
    seen: list[float] = []
    window.analyse_action.trigger()
    task = window.runner.active["analyse"]
    task.signals.progress.connect(lambda _m, f: seen.append(f))
    qtbot.waitUntil(lambda: any(f > 0.1 for f in seen), timeout=60000)
    assert window.cancel_button.isVisible()
    outcome: list[str] = []
    for name in ("done", "failed", "cancelled"):
        getattr(task.signals, name).connect(lambda *_a, n=name: outcome.append(n))
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(outcome), timeout=60000)
    assert outcome == ["cancelled"], window._errors
    assert window.document.result is None
    assert "cancelled" in window.task_label.text().lower()
    assert not _dialogs(window)


def test_an_analysis_error_is_one_line_and_the_window_stays(window, qtbot, small_vcf):
    window.new_case()
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    window.document.set_vcf(str(small_vcf), assembly="GRCh38", sample="proband")  # the header says GRCh37
    window.analyse()
    qtbot.waitUntil(lambda: bool(_dialogs(window)), timeout=60000)
    message = _dialogs(window)[0].text()
    assert "GRCh38" in message and "GRCh37" in message and "\n" not in message
    assert window.document.result is None and window.isVisible()


def test_a_note_contradicting_a_recorded_feature_is_flagged_and_never_overturned_in_bulk(window, qtbot):
    window.new_case()
    window.document.add_phenotype("HP:0001252", "Hypotonia", excluded=True)  # recorded: no hypotonia
    panel = window.phenotypes
    panel.note.setPlainText("Boy with hypotonia and craniosynostosis.")
    panel.extract_now()
    qtbot.waitUntil(lambda: any(t.id == "HP:0001252" for t in panel.found), timeout=30000)
    def row():  # the list is rebuilt after each decision
        tree = panel.found_tree
        return next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                    if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1) == "HP:0001252")

    assert "recorded as excluded" in row().text(3)
    hypotonia = next(t for t in panel.found if t.id == "HP:0001252")
    struck = [s for s in panel.note.extraSelections() if s.cursor.selectionStart() == hypotonia.start]
    assert struck and not struck[0].format.fontStrikeOut()  # drawn as the note says it: present
    panel.accept_all_button.click()
    assert window.document.phenotype("HP:0001252").excluded  # the recorded exclusion stands
    assert window.document.phenotype("HP:0001363") is not None  # the rest of the note is accepted
    assert "Hypotonia" in panel.note_status.text() and "contradicts" in panel.note_status.text()
    panel.found_tree.setCurrentItem(row())
    panel.decide_selected("accepted")  # the clinician's own decision does overturn it
    assert not window.document.phenotype("HP:0001252").excluded


def test_a_new_case_shows_nothing_of_the_previous_one(window, qtbot, small_vcf):
    window.new_case()
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    window.genomics.set_vcf_path(str(small_vcf), load=True)
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=60000)
    window.analyse()
    qtbot.waitUntil(lambda: window.document.result is not None or bool(window._errors), timeout=180000)
    assert window.results.lists.tabText(0).startswith("Diseases (")
    window.new_case()
    assert window.genomics.summary.text().startswith("No VCF")
    assert window.results.lists.tabText(0) == "Diseases" and window.results.lists.tabText(1) == "Genes"
    assert not window.results.export_matrix.isEnabled() and not window.results.export_bars.isEnabled()
    assert window.task_label.text() == "Ready" and window.phenotypes.search_status.text() == ""
