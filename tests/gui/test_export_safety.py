"""The window's exports (phenopacket, PDF report, figures) never write over a file they must not replace, once the
system's "replace?" prompt is accepted: another patient's phenopacket, the case's VCF or PED, its anonymised copy
to share, the case store. The refusal says why in one message and offers another name; nothing entered is lost.
The file dialog's answers are given by replacing QFileDialog.getSaveFileName, the question's by `ask_another_name`."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QFileDialog
from report_fixtures import PFEIFFER_EXCLUDED, PFEIFFER_PRESENT, case_for, evidence_result

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(monkeypatch):
    """The save dialog's answers, in turn (each call takes the next; none left: Cancel); the list of calls made."""
    answers: list[str] = []
    calls: list[str] = []

    def answer(_parent, _title, start, _filters, *_a, **_kw):
        calls.append(start)
        return (answers.pop(0) if answers else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return answers, calls


def _case(window, qtbot, vcf=None) -> str:
    window.ask_unsaved = lambda **_: "discard"
    window.new_case()
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    window.header.subject.setText("P-17 typed")
    window.header.subject.setModified(True)  # still being typed when the export starts
    if vcf is not None:
        window.genomics.set_vcf_path(str(vcf))
        qtbot.waitUntil(lambda: window.genomics.sample.count() == 1, timeout=10000)
    return window.document.case.id


def test_a_phenopacket_export_never_replaces_another_patients_phenopacket(window, qtbot, tmp_path, dialog):
    answers, calls = dialog
    case_id = _case(window, qtbot)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"id": "another-patient", "subject": {"id": "P-99"}}))
    before = other.read_bytes()
    asked: list[str] = []
    window.ask_another_name = lambda message: asked.append(message) or False  # Cancel
    assert window.export_phenopacket(str(other)) is None
    assert other.read_bytes() == before
    assert len(asked) == 1 and "another case (another-patient)" in asked[0] and str(other) in asked[0]
    assert calls == []  # Cancel: no dialog again
    # "Choose another name…": the dialog opens in the folder chosen, and the export goes to the new name
    window.ask_another_name = lambda message: asked.append(message) or True
    kept = tmp_path / "kept.json"
    answers.append(str(kept))
    assert window.export_phenopacket(str(other)) == str(kept)
    assert other.read_bytes() == before and len(asked) == 2
    assert calls == [str(tmp_path / f"{case_id}.json")]
    packet = json.loads(kept.read_text())
    assert packet["id"] == case_id and packet["subject"]["id"] == "P-17 typed"
    assert window.document.case.subject_id == "P-17 typed" and len(window.document.case.phenotypes) == 1


def test_a_phenopacket_export_never_replaces_the_cases_vcf_or_ped(window, qtbot, tmp_path, small_vcf, dialog):
    _case(window, qtbot, small_vcf)
    ped = tmp_path / "family.ped"
    ped.write_text("F1\tproband\t0\t0\t1\t2\n")
    window.document.set_ped(str(ped))
    asked: list[str] = []
    window.ask_another_name = lambda message: asked.append(message) or False
    for target, what in ((small_vcf, "the case's VCF"), (ped, "the case's PED file")):
        before = target.read_bytes()
        assert window.export_phenopacket(str(target)) is None
        assert target.read_bytes() == before
        assert what in asked[-1], asked[-1]
    store = window.store.path
    assert window.export_phenopacket(str(store)) is None and "the case store" in asked[-1]
    assert store.read_bytes().startswith(b"SQLite format 3\x00")


def test_a_phenopacket_export_never_replaces_the_cases_anonymised_copy(window, qtbot, tmp_path, dialog):
    from raretrace.phenopacket import to_phenopacket, write_phenopacket

    case_id = _case(window, qtbot)
    window.autosave()
    qtbot.waitUntil(lambda: not window.saver.active and case_id in window.store, timeout=10000)
    shared = tmp_path / "to-share.json"
    packet = to_phenopacket(window.document.case, anonymise=True)
    write_phenopacket(packet, shared)  # as `raretrace case export --anonymise` writes and logs it
    window.store.log_event(case_id, "exported", f"anonymised phenopacket {packet['id']} written to {shared}")
    before = shared.read_bytes()
    asked: list[str] = []
    window.ask_another_name = lambda message: asked.append(message) or False
    assert window.export_phenopacket(str(shared)) is None
    assert shared.read_bytes() == before
    assert f"this case's anonymised export ({packet['id']})" in asked[0] and "--anonymise" not in asked[0]


def test_a_phenopacket_export_replaces_the_cases_own_earlier_export_without_asking(window, qtbot, tmp_path, dialog):
    case_id = _case(window, qtbot)
    out = tmp_path / "mine.json"
    window.ask_another_name = lambda message: pytest.fail(f"asked: {message}")
    assert window.export_phenopacket(str(out)) == str(out)
    window.document.add_phenotype("HP:0010055", "Broad hallux")
    assert window.export_phenopacket(str(out)) == str(out)
    assert len(json.loads(out.read_text())["phenotypicFeatures"]) == 2 and case_id in out.read_text()


@pytest.fixture(scope="module")
def pfeiffer_result(engine):
    return evidence_result(engine, "pfeiffer-export", PFEIFFER_PRESENT, PFEIFFER_EXCLUDED)


@pytest.fixture
def analysed(window, pfeiffer_result, tmp_path):
    """A case shown with its result and a PED file of its own."""
    window.ask_unsaved = lambda **_: "discard"
    window.load_case(case_for(pfeiffer_result))
    window.document.set_result(pfeiffer_result)
    ped = tmp_path / "family.ped"
    ped.write_text("F1\tproband\t0\t0\t1\t2\n")
    window.document.set_ped(str(ped))
    return window


def test_the_pdf_report_never_replaces_a_file_that_is_not_one_or_the_cases_ped(analysed, qtbot, tmp_path, dialog):
    answers, calls = dialog
    report = analysed.report
    asked: list[str] = []
    report.ask_another_name = lambda message: asked.append(message) or False
    # a name given without .pdf gets it: the file checked is the one written (the system asked of another name)
    notes = tmp_path / "notes.pdf"
    notes.write_text("typed notes, not a report\n")
    assert report.export(str(tmp_path / "notes")) is None
    assert notes.read_text() == "typed notes, not a report\n" and f"{notes} exists and is not a PDF report" in asked[-1]
    ped = tmp_path / "family.ped"
    (tmp_path / "family.pdf").symlink_to(ped)
    assert report.export(str(tmp_path / "family.pdf")) is None and "the case's PED file" in asked[-1]
    assert ped.read_text() == "F1\tproband\t0\t0\t1\t2\n"
    report.ask_another_name = lambda message: asked.append(message) or True
    out = tmp_path / "report.pdf"
    answers.append(str(out))
    with qtbot.waitSignal(report.exported, timeout=60000):
        assert report.export(str(notes)) == str(out)
    assert out.read_bytes().startswith(b"%PDF") and notes.read_text() == "typed notes, not a report\n"
    assert calls == [str(tmp_path / f"{analysed.document.case.id}-raretrace.pdf")] and len(asked) == 3


def test_a_figure_never_replaces_a_phenopacket_or_another_kind_of_file(analysed, qtbot, tmp_path, dialog):
    results = analysed.results
    results.select_hypothesis(0)
    packet = tmp_path / "case.png"
    packet.write_text(json.dumps({"id": "another-patient"}))
    ped = tmp_path / "family.ped"
    asked: list[str] = []
    results.ask_another_name = lambda message: asked.append(message) or False
    assert results.export_figure("matrix", str(packet)) is None
    assert json.loads(packet.read_text()) == {"id": "another-patient"} and "is not a figure (PNG)" in asked[-1]
    svg = tmp_path / "ped.svg"
    svg.symlink_to(ped)
    assert results.export_figure("bars", str(svg)) is None and "the case's PED file" in asked[-1]
    assert ped.read_text() == "F1\tproband\t0\t0\t1\t2\n"
    png = tmp_path / "matrix.png"
    for _ in range(2):  # an earlier figure is replaced
        with qtbot.waitSignal(results.message, timeout=30000):
            assert results.export_figure("matrix", str(png)) == str(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and len(asked) == 2


def test_a_figure_or_report_never_replaces_a_png_or_pdf_that_raretrace_did_not_write(analysed, qtbot, tmp_path):
    # Any existing PNG or PDF was taken for an earlier export and replaced once the system's prompt was accepted: a
    # scanned pedigree or a referral letter kept beside the case was lost. The window now asks for another name.
    import io

    from PIL import Image
    from reportlab.pdfgen.canvas import Canvas

    scan = tmp_path / "pedigree.png"
    Image.new("RGB", (8, 8), "white").save(scan, format="PNG")
    letter = tmp_path / "letter.pdf"
    buf = io.BytesIO()
    Canvas(buf, invariant=1).save()
    letter.write_bytes(buf.getvalue())
    before = scan.read_bytes(), letter.read_bytes()
    asked: list[str] = []
    analysed.results.select_hypothesis(0)
    analysed.results.ask_another_name = lambda message: asked.append(message) or False
    analysed.report.ask_another_name = lambda message: asked.append(message) or False
    assert analysed.results.export_figure("matrix", str(scan)) is None
    assert analysed.report.export(str(letter)) is None
    assert (scan.read_bytes(), letter.read_bytes()) == before
    assert len(asked) == 2 and "is a PNG image that RareTrace did not write" in asked[0]
    assert "is a PDF that RareTrace did not write" in asked[1]


def test_a_note_only_case_opened_from_its_own_export_is_not_called_empty(window, qtbot, tmp_path):
    # The warning "no phenotypic features and no VCF: it opened as an empty case" was shown over the note the case
    # opened with: a case still being worked up from its note is not empty, and the clinician was told to doubt it.
    from PySide6.QtWidgets import QMessageBox

    window.ask_unsaved = lambda **_: "discard"
    window.new_case()
    window.document.set_note("Boy, 3 years, seizures since 3 months; father similar.")
    out = tmp_path / "note-only.json"
    assert window.export_phenopacket(str(out)) == str(out)
    window.new_case()
    assert window.open_file(str(out))
    assert window.document.note.startswith("Boy, 3 years")
    shown = [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert not any("empty case" in text for text in shown), shown
    assert "no phenotypic features" not in window.statusBar().currentMessage()
