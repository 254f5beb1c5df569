"""Genomics panel: VCF by drag-and-drop, sample and build from the header, loading with progress and cancel,
the candidate-variant table with sorting and filters."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import as_shown
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from raretrace.gui.main_window import FRAME_ROOM

pytestmark = pytest.mark.gui


def _drop(widget, path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def _dialog_texts(window) -> list[str]:
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    boxes += [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    return [b.text() for b in boxes]


def test_dropped_vcf_is_read_and_its_variants_listed(window, qtbot, small_vcf):
    from raretrace.genomics import load_genomics

    panel = window.genomics
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    _drop(window, small_vcf)
    assert window.tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.sample.count() == 1, timeout=10000)
    assert panel.sample.currentText() == "proband"
    assert panel.build.currentText() == "GRCh37"  # from the header's contig lengths
    assert "GRCh37" in panel.summary.text()
    panel.load_button.click()
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
    expected = load_genomics(small_vcf, window.engine.db, assembly="GRCh37", sample="proband")
    shown = {(v.gene, v.pos) for v in panel.model.variants}
    assert shown == {(v.gene, v.pos) for g in expected.genes.values() for v in g.variants}
    assert ("FGFR2", 123256215) in shown
    assert window.document.vcf.sample == "proband" and window.document.vcf.assembly == "GRCh37"
    assert "VCF patient.vcf" in window.header.summary.text()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Tab)
    assert not panel.table.hasFocus()  # Tab moves on, not from cell to cell through every variant


def test_load_variants_is_enabled_again_after_loading_on_a_busy_machine(window, qtbot, small_vcf, monkeypatch):
    # A task reports its result, then that it has finished; on a busy machine the window handled the result (and
    # the panel re-enabled its buttons "once the runner has retired the task") before the finish was even sent,
    # so the task still counted as running and "Load variants" and "Remove VCF" stayed disabled. Here the
    # loading's finish is held until the result has been handled.
    import threading

    from raretrace.gui.workers import Task

    panel = window.genomics
    panel.set_vcf_path(str(small_vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 1 and panel.load_button.isEnabled(), timeout=10000)
    release = threading.Event()
    held: list[Task] = []
    real_run, real_emit = Task.run, Task._emit

    def run(task):
        if task.name == "load-vcf":
            held.append(task)
        real_run(task)

    def emit(signal, *args):
        if any(signal is task.signals.finished for task in held):
            release.wait(30)
        real_emit(signal, *args)

    monkeypatch.setattr(Task, "run", run)
    monkeypatch.setattr(Task, "_emit", staticmethod(emit))
    try:
        panel.load_button.click()
        assert not panel.load_button.isEnabled()  # while it loads
        qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
        qtbot.wait(50)  # the result handled, and whatever it scheduled
    finally:
        release.set()
    qtbot.waitUntil(lambda: "load-vcf" not in window.runner.active, timeout=10000)
    assert panel.load_button.isEnabled() and panel.remove_button.isEnabled()


def test_variant_table_sorts_and_filters(window, qtbot, small_vcf):
    from raretrace.gui.genomics import PATHOGENICITY_COLUMN

    panel = window.genomics
    panel.set_vcf_path(str(small_vcf), load=True)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=30000)
    total = panel.model.rowCount()
    panel.table.sortByColumn(PATHOGENICITY_COLUMN, Qt.SortOrder.DescendingOrder)
    scores = [panel.model.variants[panel.proxy.mapToSource(panel.proxy.index(r, 0)).row()].pathogenicity
              for r in range(panel.proxy.rowCount())]
    assert scores == sorted(scores, reverse=True)
    panel.gene_filter.setText("fgfr")
    assert panel.proxy.rowCount() == 1
    assert panel.proxy.index(0, 0).data() == "FGFR2"
    assert panel.count.text() == f"1 of {total} shown"
    panel.gene_filter.clear()
    best = max(scores)
    panel.path_filter.setValue(best)
    assert 1 <= panel.proxy.rowCount() < total or panel.proxy.rowCount() == sum(1 for s in scores if s >= best)


def test_a_genomes_thousands_of_candidates_are_sorted_with_one_key_per_row(window, qtbot, small_vcf, monkeypatch):
    # The proxy sorted by asking data() for both rows of every comparison: a genome's 42,000 candidate variants
    # froze the window for 5-8 s when they arrived, at each click on a column header and each cleared filter.
    from dataclasses import replace

    from raretrace.gui.genomics import PATHOGENICITY_COLUMN, SORT_ROLE, VariantTableModel

    panel = window.genomics
    panel.set_vcf_path(str(small_vcf), load=True)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=30000)
    base = list(panel.model.variants)
    many = [replace(base[i % len(base)], pos=base[i % len(base)].pos + i, pathogenicity=(i * 7919 % 1000) / 1000)
            for i in range(3000)]  # fmt: skip
    real_raw, calls = VariantTableModel.raw, [0]

    def counted(v, key):
        calls[0] += 1
        return real_raw(v, key)

    monkeypatch.setattr(VariantTableModel, "raw", staticmethod(counted))
    panel.model.set_variants(many)  # kept in the table's order: pathogenicity, highest first
    panel.table.selectRow(5)
    chosen = panel.model.variants[panel.proxy.mapToSource(panel.table.currentIndex()).row()]
    panel.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # Variant: chromosome, position
    assert panel.model.variants[panel.proxy.mapToSource(panel.table.currentIndex()).row()] is chosen  # still selected
    panel.gene_filter.setText("FGFR")
    panel.gene_filter.clear()
    qtbot.wait(1)
    assert calls[0] < 4 * len(many)  # about one key per row and sort (there were ~70,000 calls)

    def column(c: int) -> list:
        return [panel.proxy.index(r, c).data(SORT_ROLE) for r in range(panel.proxy.rowCount())]

    assert panel.proxy.rowCount() == len(many) and column(1) == sorted(column(1))
    panel.table.sortByColumn(PATHOGENICITY_COLUMN, Qt.SortOrder.DescendingOrder)
    assert column(PATHOGENICITY_COLUMN) == sorted(column(PATHOGENICITY_COLUMN), reverse=True)


def test_the_candidates_evidence_is_built_on_the_worker_not_the_gui_thread(window, qtbot, small_vcf, monkeypatch):
    # Each gene's variant evidence is built when first asked for: the table asked on the GUI thread, which froze
    # the window 1-2 s when a genome's 42,000 candidates (a trio's, with their origins) arrived.
    import threading

    import raretrace.genomics.load as load

    threads: list[threading.Thread] = []
    real = load._gene_evidence

    def spied(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(load, "_gene_evidence", spied)
    panel = window.genomics
    panel.set_vcf_path(str(small_vcf), load=True)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=30000)
    assert threads and threading.main_thread() not in threads


def test_cancel_stops_a_loading_vcf(window, qtbot, large_vcf):
    panel = window.genomics
    window.tabs.setCurrentWidget(panel)
    panel.set_vcf_path(str(large_vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 1, timeout=10000)
    seen: list[float] = []
    panel.load_button.click()
    assert panel.cancel_button.isVisible()
    task = panel.runner.active["load-vcf"]
    task.signals.progress.connect(lambda _m, f: seen.append(f))
    qtbot.waitUntil(lambda: any(f > 0.0 for f in seen), timeout=30000)  # records are being read
    with qtbot.waitSignal(task.signals.cancelled, timeout=30000):
        panel.cancel_button.click()
    assert window.document.genomics is None
    assert "cancelled" in panel.summary.text().lower()
    assert not panel.progress.isVisible() and not panel.cancel_button.isVisible()
    assert not _dialog_texts(window)  # cancelling is not an error
    # The VCF stays with the case and Analyse reads it: the panel said "the analysis uses the phenotypes only until
    # the VCF is loaded", and a clinician who cancelled a slow genome for a quick phenotype ranking waited for it.
    said = panel.summary.text()
    assert "phenotypes only" not in said and "Analyse reads it" in said and "Remove VCF" in said
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    window.analyse()
    qtbot.waitUntil(lambda: window.document.result is not None, timeout=60000)
    assert window.document.result.vcf is not None and window.document.result.vcf.path == str(large_vcf)


def test_opening_another_case_stops_the_loading_of_the_previous_cases_vcf(window, qtbot, large_vcf):
    # The loading went on under the next case (its result is never that case's): its progress wrote "Reading
    # large.vcf.gz: ..." over the new case's "No VCF", Load variants stayed disabled, and a genome kept a core
    # busy for the rest of its 40 s only to be told "The VCF changed while it was being read".
    from raretrace.gui.genomics import NO_VCF

    panel = window.genomics
    panel.set_vcf_path(str(large_vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 1, timeout=10000)
    panel.load_button.click()
    task = panel.runner.active["load-vcf"]
    qtbot.waitUntil(lambda: "records" in panel.summary.text(), timeout=30000)
    outcome: list[str] = []
    task.signals.done.connect(lambda _r: outcome.append("done"))
    task.signals.cancelled.connect(lambda: outcome.append("cancelled"))
    with qtbot.waitSignal(task.signals.finished, timeout=30000):
        window.new_case()
    qtbot.wait(50)
    assert outcome == ["cancelled"]
    assert panel.summary.text() == NO_VCF and not panel.progress.isVisible()
    assert window.document.genomics is None


def test_analyse_pressed_while_the_vcf_loads_waits_for_it_instead_of_reading_it_again(window, qtbot, large_vcf,
                                                                                      monkeypatch):
    # The analysis read the VCF a second time beside the Genomics tab's loading: with the 4-million-record genome
    # both reads shared the cores, the loading took 72 s instead of 40 and the result came at 82 s.
    import raretrace.gui.genomics as genomics

    reads: list[str] = []
    real = genomics.load_variants

    def counted(engine, case, *args, **kwargs):
        reads.append(case.vcf.path)
        return real(engine, case, *args, **kwargs)

    monkeypatch.setattr(genomics, "load_variants", counted)
    panel = window.genomics
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    panel.set_vcf_path(str(large_vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 1, timeout=10000)
    panel.load_button.click()
    qtbot.waitUntil(lambda: "records" in panel.summary.text(), timeout=30000)
    window.analyse()
    assert not window.runner.is_running("analyse") and "once the VCF is loaded" in window.task_label.text()
    qtbot.waitUntil(lambda: window.document.result is not None, timeout=60000)
    assert reads == [str(large_vcf)] and window.document.result.vcf.path == str(large_vcf)


def test_an_analysis_waiting_for_the_vcf_is_dropped_when_the_loading_is_cancelled(window, qtbot, large_vcf):
    panel = window.genomics
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    panel.set_vcf_path(str(large_vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 1, timeout=10000)
    panel.load_button.click()
    task = panel.runner.active["load-vcf"]
    qtbot.waitUntil(lambda: "records" in panel.summary.text(), timeout=30000)
    window.analyse()
    with qtbot.waitSignal(task.signals.cancelled, timeout=30000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    panel.load_vcf()  # loaded later: no analysis the clinician has given up on starts by itself
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=60000)
    qtbot.wait(50)
    assert not window.runner.is_running("analyse") and window.document.result is None


def test_the_status_bar_follows_a_vcf_loading_started_on_the_genomics_tab(window, qtbot, large_vcf):
    # The status bar showed its progress bar for the loading, but at 0% and beside "Ready" all the way through (a
    # genome: 40 s), while only the Genomics tab's own bar moved; after Cancel it said nothing of it.
    panel = window.genomics
    window.tabs.setCurrentWidget(panel)
    panel.set_vcf_path(str(large_vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 1, timeout=10000)
    panel.load_button.click()
    window.tabs.setCurrentWidget(window.phenotypes)  # the clinician goes on with the features meanwhile
    task = panel.runner.active["load-vcf"]
    qtbot.waitUntil(lambda: "records" in window.task_label.text(), timeout=30000)  # "Reading large.vcf.gz: ..."
    assert window.progress.isVisible() and window.progress.value() >= 20
    with qtbot.waitSignal(task.signals.cancelled, timeout=30000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.progress.isVisible() and "cancelled" in window.task_label.text().lower()


def test_a_loading_replaced_by_a_newer_one_leaves_the_newer_ones_progress_and_cancel(window, qtbot, large_vcf,
                                                                                       small_vcf, monkeypatch):
    # the replaced loading reports "cancelled" while the newer one still runs: it used to hide the progress bar and
    # the Cancel button of the newer loading, and to say "Loading cancelled" over it
    import threading

    import raretrace.gui.genomics as genomics

    panel = window.genomics
    window.tabs.setCurrentWidget(panel)
    panel.set_vcf_path(str(large_vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 1, timeout=10000)
    panel.load_button.click()
    first = panel.runner.active["load-vcf"]
    seen: list[float] = []
    first.signals.progress.connect(lambda _m, f: seen.append(f))
    qtbot.waitUntil(lambda: any(f > 0.0 for f in seen), timeout=30000)  # reading records, past load_variants' call
    release = threading.Event()
    real_load = genomics.load_variants

    def held_load(*args, **kwargs):
        release.wait(30)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(genomics, "load_variants", held_load)
    try:
        with qtbot.waitSignal(first.signals.cancelled, timeout=30000):
            panel.load_vcf()  # the case's VCF loaded again (reopened with its phenopacket): replaces the first
        assert panel.runner.is_running("load-vcf")
        assert panel.progress.isVisible() and panel.cancel_button.isVisible()
        assert "cancelled" not in panel.summary.text().lower()
    finally:
        release.set()
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=60000)
    assert not panel.progress.isVisible() and not panel.cancel_button.isVisible()
    assert panel.load_button.isEnabled()


def test_a_file_that_is_not_a_vcf_is_reported_in_one_line(window, qtbot, tmp_path):
    fake = tmp_path / "notes.vcf"
    fake.write_text("patient has short stature\n")
    window.genomics.set_vcf_path(str(fake))
    qtbot.waitUntil(lambda: bool(_dialog_texts(window)), timeout=10000)
    text = _dialog_texts(window)[0]
    assert "notes.vcf is not a VCF" in text and "\n" not in text


def test_a_variant_link_in_the_evidence_shows_the_variant_on_the_genomics_tab(window, qtbot, small_vcf):
    from PySide6.QtCore import QUrl

    panel = window.genomics
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    panel.set_vcf_path(str(small_vcf), load=True)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=30000)
    panel.gene_filter.setText("no-such-gene")  # a filter that hides it: cleared to show it
    window.tabs.setCurrentWidget(window.results)
    window.results._link(QUrl("evidence:variant:10:123256215"))
    assert window.tabs.currentWidget() is panel
    row = panel.table.selectionModel().selectedRows()[0].row()
    v = panel.model.variants[panel.proxy.mapToSource(panel.proxy.index(row, 0)).row()]
    assert (v.gene, v.pos) == ("FGFR2", 123256215)


def test_a_family_vcf_is_read_for_the_peds_patient_not_its_first_column(window, qtbot, tmp_path):
    from conftest import GRCH37_CHR1, GRCH37_CHR10

    lines = ["##fileformat=VCFv4.2", f"##contig=<ID=1,length={GRCH37_CHR1}>", f"##contig=<ID=10,length={GRCH37_CHR10}>",
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "dad", "mum", "kid"]),
             "\t".join(["10", "123256215", ".", "T", "G", "50", "PASS", ".", "GT", "0/0", "0/0", "0/1"])]
    vcf = tmp_path / "family.vcf"
    vcf.write_text("\n".join(lines) + "\n")
    ped = tmp_path / "family.ped"
    ped.write_text("F dad 0 0 1 1\nF mum 0 0 2 1\nF kid dad mum 1 2\n")
    panel = window.genomics
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    panel.set_ped_path(str(ped))
    panel.set_vcf_path(str(vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 3, timeout=10000)
    assert panel.sample.currentIndex() == -1 and window.document.vcf.sample is None  # no silent first column
    panel.load_button.click()
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
    assert window.document.genomics.summary.sample == "kid" and panel.sample.currentText() == "kid"
    assert [v.de_novo for v in panel.model.variants if v.gene == "FGFR2"] == [True]
    warnings = window.document.genomics.summary.warnings
    assert warnings and set(as_shown(panel.banner.toolTip()).split("\n")) == set(warnings)  # each, however many


def _trio_files(tmp_path, order: tuple[str, ...]):
    """A trio VCF (samples in `order`) with the child's de novo FGFR2 Pfeiffer call, and its PED."""
    from conftest import GRCH37_CHR10

    calls = {"kid": "0/1", "dad": "0/0", "mum": "0/0"}
    lines = ["##fileformat=VCFv4.2", f"##contig=<ID=10,length={GRCH37_CHR10}>",
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *order]),
             "\t".join(["10", "123256215", ".", "T", "G", "50", "PASS", ".", "GT", *(calls[s] for s in order)])]
    vcf = tmp_path / "trio.vcf"
    vcf.write_text("\n".join(lines) + "\n")
    ped = tmp_path / "trio.ped"
    ped.write_text("F dad 0 0 1 1\nF mum 0 0 2 1\nF kid dad mum 1 2\n")
    return vcf, ped


def _trio_loaded(window, qtbot, tmp_path):
    """The Genomics tab of a new craniosynostosis case with the trio's VCF read with its PED."""
    vcf, ped = _trio_files(tmp_path, ("kid", "dad", "mum"))
    panel = window.genomics
    window.new_case()
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    panel.set_ped_path(str(ped))
    panel.set_vcf_path(str(vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 3, timeout=10000)
    panel.load_button.click()
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
    return panel


def test_a_trio_case_reopened_from_the_store_keeps_its_ped(window, qtbot, tmp_path):
    """The PED is part of the case: a trio analysed yesterday and reopened today is read for the same patient, with
    the parents (de novo), not refused for want of a sample nor silently read as a singleton."""
    vcf, ped = _trio_files(tmp_path, ("dad", "mum", "kid"))
    panel = window.genomics
    window.new_case()
    case_id = window.document.case.id
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    panel.set_ped_path(str(ped))
    panel.set_vcf_path(str(vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 3, timeout=10000)
    window.new_case()  # saves the trio case
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    window.open_stored_case(case_id)
    assert window.document.ped_path == str(ped) and panel.ped_path.text() == str(ped)
    panel.load_button.click()
    qtbot.waitUntil(lambda: window.document.genomics is not None or not window.runner.is_running("load-vcf"),
                    timeout=30000)
    assert window.document.genomics is not None and window.document.genomics.summary.sample == "kid"
    assert [v.de_novo for v in panel.model.variants if v.gene == "FGFR2"] == [True]
    exported = window.export_phenopacket(str(tmp_path / "trio.json"))  # the PED goes with it, as a files entry
    files = json.loads((tmp_path / "trio.json").read_text())["files"]
    assert exported and {"uri": ped.as_uri(), "fileAttributes": {"fileFormat": "PED"}} in files


def test_the_variants_loaded_with_a_ped_say_who_of_the_family_was_read(window, qtbot, tmp_path):
    """De novo calls, phase, PP1 and BS4 rest on the relatives read and their status in the PED. The Genomics tab,
    where the PED is chosen and the variants loaded, did not say who they were (only the preview and the PDF did):
    a PED whose IDs or status were wrong went unseen until the report."""
    panel = _trio_loaded(window, qtbot, tmp_path)
    assert ("family read with trio.ped: patient kid (affected); father dad (unaffected); mother mum (unaffected)"
            in panel.summary.text())
    # and whether the trio's calls confirm parentage, which the origins in the Genotype column rest on
    assert f"mother mum (unaffected); {window.document.genomics.summary.parentage}" in panel.summary.text()
    assert window.document.genomics.summary.parentage.startswith("parentage ")
    # a large pedigree: the first ones on the tab (the variants stay in view), all of them on hover
    from raretrace.gui.genomics import FAMILY_SHOWN

    summary = window.document.genomics.summary
    many = replace(summary, family=summary.family * FAMILY_SHOWN)
    window.document.set_genomics(replace(window.document.genomics, summary=many))
    assert f"(+{len(many.family) - FAMILY_SHOWN}; hover to read all)" in panel.summary.text()
    assert as_shown(panel.summary.toolTip()).startswith(f"family read with trio.ped: {many.family_text()}")


def test_variants_read_with_a_ped_are_read_again_when_the_ped_is_cleared(window, qtbot, tmp_path):
    """De novo calls come from the PED the VCF was read with: once the clinician clears (or changes) the PED, the
    analysis must not go on reporting the old PED's de novo variant (PS2)."""
    panel = _trio_loaded(window, qtbot, tmp_path)
    assert [v.de_novo for v in panel.model.variants if v.gene == "FGFR2"] == [True]
    panel.set_ped_path("")
    assert window.document.genomics is None and "Load variants" in panel.summary.text()
    assert panel.sample.currentIndex() == -1  # "kid" was the PED's choice, gone with it: none shown as chosen
    panel.sample.setCurrentIndex(panel.sample.findText("kid"))  # without the PED, chosen by hand
    window.analyse()
    qtbot.waitUntil(lambda: window.document.result is not None or bool(window._errors), timeout=60000)
    assert not window._errors
    variants = [v for h in window.document.result.genes if h.id == "FGFR2" for v in h.variants]
    assert variants and not any(v.de_novo for v in variants)


def test_a_ped_that_cannot_be_read_is_said_at_once_and_loses_neither_the_ped_nor_the_variants(window, qtbot, tmp_path):
    """A PED path mistyped (or a file that is no PED) emptied the variant table and said "press Load variants": the
    error came only at the next Analyse, and the variants read with the case's PED were gone. Now it is refused as a
    VCF that cannot be read is: at once, in one line, the case's PED and its variants kept."""
    panel = _trio_loaded(window, qtbot, tmp_path)
    read, ped = window.document.genomics, window.document.ped_path
    not_ped = tmp_path / "notes.ped"
    not_ped.write_text("kid has craniosynostosis\n")
    for path, problem in ((str(tmp_path / "missing" / "family.ped"), "PED file not found"),
                          (str(not_ped), "a PED line needs 6 columns")):
        window._errors.clear()
        panel.ped_path.setText(path)  # typed, then the field left
        panel.ped_path.setModified(True)
        panel.ped_path.editingFinished.emit()
        assert window.document.genomics is read and window.document.ped_path == ped
        assert panel.ped_path.text() == ped and panel.model.rowCount() == len(read.genes["FGFR2"].variants)
        assert len(window._errors) == 1 and problem in window._errors[0] and "\n" not in window._errors[0]
        assert "trio.ped stays the case's PED, and the variants already read are kept" in window._errors[0]
        assert panel.summary.text() == window._errors[0] == window.task_label.text()
    window.analyse()  # with the PED and the variants kept, not the bad path
    qtbot.waitUntil(lambda: window.document.result is not None or len(window._errors) > 1, timeout=60000)
    assert len(window._errors) == 1
    variants = [v for h in window.document.result.genes if h.id == "FGFR2" for v in h.variants]
    assert [v.de_novo for v in variants] == [True]


def test_a_missing_ped_chosen_for_a_case_without_one_leaves_it_without_one(window, qtbot, small_vcf):
    panel = window.genomics
    panel.set_vcf_path(str(small_vcf), load=True)
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
    read = window.document.genomics
    panel.set_ped_path("/nonexistent/family.ped")
    assert window.document.genomics is read and window.document.ped_path is None and panel.ped_path.text() == ""
    assert window._errors == ["PED file not found: /nonexistent/family.ped — the case stays without a PED, and the "
                              "variants already read are kept"]


def test_a_family_vcf_opened_without_a_patient_column_asks_in_the_panel_not_in_an_error_box(window, qtbot, tmp_path):
    from conftest import GRCH37_CHR10

    lines = ["##fileformat=VCFv4.2", f"##contig=<ID=10,length={GRCH37_CHR10}>",
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "dad", "kid"]),
             "\t".join(["10", "123256215", ".", "T", "G", "50", "PASS", ".", "GT", "0/0", "0/1"])]
    vcf = tmp_path / "two.vcf"
    vcf.write_text("\n".join(lines) + "\n")
    panel = window.genomics
    failures = []
    panel.failed.connect(failures.append)
    panel.set_vcf_path(str(vcf), load=True)  # as when a phenopacket naming this VCF is opened
    qtbot.waitUntil(lambda: panel.sample.count() == 2, timeout=10000)
    # the header read decides there and then whether to load: no loading started (a wait of 200 ms proved nothing
    # on a busy machine, where a wrong loading would only fail later)
    assert not window.runner.is_running("load-vcf")
    assert failures == [] and window.document.genomics is None
    assert "has 2 samples: choose the patient's Sample" in panel.summary.text()
    panel.sample.setCurrentText("kid")
    panel.load_button.click()
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
    assert window.document.genomics.summary.sample == "kid"


def test_every_variant_header_fits_on_one_line_with_its_sort_arrow(window, qtbot, small_vcf):
    """The headers are one line: each column at least as wide as its label and sort arrow (Qt wrapped or overlapped
    a 'Pathogenicity' squeezed into 14 characters); abbreviations say what they stand for on hover."""
    from raretrace.gui.genomics import COLUMNS

    panel = window.genomics
    window.tabs.setCurrentWidget(panel)
    panel.set_vcf_path(str(small_vcf), load=True)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=30000)
    head = panel.table.horizontalHeader()
    assert head.isSortIndicatorShown()
    for col, (name, _key, _width) in enumerate(COLUMNS):
        assert head.sectionSize(col) >= head.sectionSizeHint(col), name
        assert head.fontMetrics().horizontalAdvance(name) < head.sectionSize(col), name
    assert head.height() < 2 * head.fontMetrics().height()
    for col, (name, _key, _width) in enumerate(COLUMNS):
        assert panel.model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole), name
    from raretrace.gui.evidence_html import VARIANT_HEADERS

    path = next(col for col, (_n, key, _w) in enumerate(COLUMNS) if key == "pathogenicity")
    assert panel.model.headerData(path, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == VARIANT_HEADERS["Path."]
    assert panel.table.horizontalScrollBar().maximum() == 0  # all of it in the 1366-wide window


# the window at 1024x768, and the window on a 1024x768 screen (less its frame)
@pytest.mark.parametrize("size", [(1024, 768), (1024 - FRAME_ROOM[0], 768 - FRAME_ROOM[1])])
def test_at_1024_px_the_variant_table_fits_its_width_without_scrolling_sideways(window, qtbot, small_vcf, size):
    # At a 1024x768 window ClinVar, Pop. AF, Filter and VCF record lay past the table's right edge: the columns were
    # set for a wide window (Variant and Genotype 22 characters each) and every header kept room for a sort arrow
    from PySide6.QtWidgets import QStyle

    from raretrace.gui.genomics import COLUMNS, PATHOGENICITY_COLUMN

    panel = window.genomics
    window.tabs.setCurrentWidget(panel)
    window.resize(*size)
    panel.set_vcf_path(str(small_vcf), load=True)
    qtbot.waitUntil(lambda: panel.proxy.rowCount() > 0, timeout=30000)
    table, head = panel.table, panel.table.horizontalHeader()
    keys = [key for _h, key, _w in COLUMNS]
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1

    def fits(readable: bool = True) -> None:
        qtbot.wait(50)
        assert table.horizontalScrollBar().maximum() == 0
        assert head.length() <= table.viewport().width()
        for col, (name, _key, _w) in enumerate(COLUMNS):
            assert head.sectionViewportPosition(col) + head.sectionSize(col) <= table.viewport().width(), name
            assert head.sectionSize(col) >= head.sectionSizeHint(col), name  # its header whole, arrow included
        # the place, the gene, the zygosity and the scores read whole; longer text ends in "…" (whole on hover)
        for key in ("gene", "where", "genotype", "pathogenicity", "population_af", "record_line") if readable else ():
            col = keys.index(key)
            for row in range(panel.proxy.rowCount()):
                text = panel.proxy.index(row, col).data()
                assert table.fontMetrics().horizontalAdvance(text) <= head.sectionSize(col) - 2 * margin, (key, text)

    fits()
    assert head.sortIndicatorSection() == PATHOGENICITY_COLUMN  # the rows' order is kept
    # a VCF of many candidates: the vertical scroll bar takes its width from the columns
    panel.model.set_variants(panel.model.variants * 40)
    qtbot.waitUntil(table.verticalScrollBar().isVisible, timeout=5000)
    fits()
    # sorted by another column, whose header now shows the arrow
    table.sortByColumn(keys.index("clinvar"), Qt.SortOrder.AscendingOrder)
    fits()
    table.sortByColumn(PATHOGENICITY_COLUMN, Qt.SortOrder.DescendingOrder)
    fits()
    # the case list as wide as in a window first opened on a larger screen: the columns give way, down to their headers
    window.resizeDocks([window.cases_dock], [300], Qt.Orientation.Horizontal)
    qtbot.wait(50)
    assert table.viewport().width() < 760
    fits(readable=False)
    assert table.fitted
    # a width the user sets is kept: the columns no longer follow the window's
    head.resizeSection(0, 150)
    window.resize(1200, 768)
    qtbot.wait(50)
    assert head.sectionSize(0) == 150 and not table.fitted


def _family_vcf(tmp_path, samples: tuple[str, ...]) -> Path:
    from conftest import GRCH37_CHR10

    lines = ["##fileformat=VCFv4.2", f"##contig=<ID=10,length={GRCH37_CHR10}>",
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples]),
             "\t".join(["10", "123256215", ".", "T", "G", "50", "PASS", ".", "GT", *(["0/1"] * len(samples))])]
    vcf = tmp_path / f"{len(samples)}.vcf"
    vcf.write_text("\n".join(lines) + "\n")
    return vcf


def _packet_with_vcf(tmp_path, vcf: Path, assembly: str | None) -> Path:
    import json

    attrs = {"genomeAssembly": assembly} if assembly else {}
    path = tmp_path / f"case-{vcf.stem}.json"
    path.write_text(json.dumps({"id": f"fam-{vcf.stem}", "subject": {"id": "kid"},
                                "phenotypicFeatures": [{"type": {"id": "HP:0001363"}}],
                                "files": [{"uri": vcf.as_uri(), "fileAttributes": attrs}]}))
    return path


def test_opening_a_case_loads_its_vcf_only_once_the_header_gave_samples_and_build(window, qtbot, tmp_path):
    panel = window.genomics
    failures = []
    panel.failed.connect(failures.append)
    # a family VCF the case does not map: the panel asks for the patient's column, no error box
    window.open_file(str(_packet_with_vcf(tmp_path, _family_vcf(tmp_path, ("dad", "mum")), None)))
    qtbot.waitUntil(lambda: "choose the patient's Sample" in panel.summary.text(), timeout=10000)
    assert failures == [] and window.document.genomics is None
    # a case that declares GRCh38 for a file whose contigs are GRCh37: the declared build stays (in the picker and
    # the case) and the contradiction is refused in one line, instead of the case's build silently rewritten
    window.open_file(str(_packet_with_vcf(tmp_path, _family_vcf(tmp_path, ("kid",)), "GRCh38")))
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    assert "GRCh37" in failures[-1] and "GRCh38 was declared" in failures[-1]
    assert panel.build.currentText() == "GRCh38" and window.document.vcf.assembly == "GRCh38"
    assert window.document.genomics is None


def test_a_case_naming_its_sample_in_another_letter_case_has_that_sample_chosen(window, qtbot, tmp_path):
    # the phenopacket's individualToFileIdentifiers {"kid": "KID"} and the VCF's "kid": the command line reads it
    # as "kid" (with a warning); the panel left the Sample unchosen and asked for it, dropping the case's mapping
    panel = window.genomics
    vcf = _family_vcf(tmp_path, ("dad", "kid", "mum"))
    path = tmp_path / "case-mapped.json"
    path.write_text(json.dumps({"id": "fam", "subject": {"id": "kid"},
                                "phenotypicFeatures": [{"type": {"id": "HP:0001363"}}],
                                "files": [{"uri": vcf.as_uri(), "individualToFileIdentifiers": {"kid": "KID"}}]}))
    window.open_file(str(path))
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
    assert panel.sample.currentText() == "kid" and window.document.genomics.summary.sample == "kid"
    assert window.document.vcf.sample == "kid"


def test_a_damaged_vcf_header_is_one_error_without_htslibs_own_lines(tmp_path, capfd):
    import gzip

    from raretrace.errors import RareTraceError
    from raretrace.gui.genomics import read_vcf_header

    whole = gzip.compress(b"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tpt\n" * 50)
    path = tmp_path / "cut.vcf.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(RareTraceError):
        read_vcf_header(str(path))
    assert capfd.readouterr().err == ""  # htslib's "[E::inflate_gzip_block] ..." used to stand beside the error



def test_a_vcfs_own_text_is_shown_as_text_not_markup(window, qtbot, tmp_path):
    """A structural deletion's allele "<DEL>" (HTML's strike-through tag), and a file and sample name an external lab
    chose, are text: the variant's tooltip kept its allele and its lines, the summaries their names."""
    from conftest import GRCH37_CHR10

    sample = "<img src=x>kid"
    lines = ["##fileformat=VCFv4.2", f"##contig=<ID=10,length={GRCH37_CHR10}>",
             '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="SV type">',
             '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">',
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", sample]),
             "\t".join(["10", "123255000", ".", "N", "<DEL>", "50", "PASS", "SVTYPE=DEL;END=123258000", "GT", "0/1"])]
    vcf = tmp_path / "<b>lab.vcf"
    vcf.write_text("\n".join(lines) + "\n")
    panel = window.genomics
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    panel.set_vcf_path(str(vcf), load=True)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=30000)
    plain = Qt.TextFormat.PlainText
    assert f"sample {sample}," in as_shown(panel.summary.text(), panel.summary.textFormat() == plain)
    assert vcf.name in as_shown(panel.summary.text(), panel.summary.textFormat() == plain)
    header = window.header.summary
    assert f"VCF {vcf.name}" in as_shown(header.text(), header.textFormat() == plain)
    deletion = next(v for v in panel.model.variants if v.alt == "<DEL>")
    row = panel.model.variants.index(deletion)
    tip = as_shown(panel.model.data(panel.model.index(row, 0), Qt.ItemDataRole.ToolTipRole))
    assert tip.startswith(f"10:123255000 <DEL> in {deletion.gene}") and "\n" in tip


def test_a_vcf_of_one_record_is_counted_in_the_singular(window, qtbot, tmp_path):
    # A one-record VCF read "one.vcf: 1 records, ... 1 candidate variant"; the evidence's VCF line "1 records, 1
    # variant alleles kept".
    from conftest import vcf_text

    from raretrace.gui.evidence_html import result_html

    path = tmp_path / "one.vcf"
    path.write_text(vcf_text([("10", 123256215, "T", "G", "0/1")]))
    panel = window.genomics
    window.document.add_phenotype("HP:0001363", "Craniosynostosis")
    panel.set_vcf_path(str(path))
    qtbot.waitUntil(lambda: panel.sample.count() == 1, timeout=10000)
    panel.load_button.click()
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
    assert panel.summary.text().startswith("one.vcf: 1 record, sample proband"), panel.summary.text()
    window.analyse()
    qtbot.waitUntil(lambda: window.results.result is not None, timeout=60000)
    assert "1 record, 1 variant allele kept" in as_shown(result_html(window.results.result))


def test_a_variants_tooltip_names_its_effect_as_the_table_does(qtbot):
    # The row's tooltip said "in PAH (protein_altering)", "(splice_donor_variant)": the SO term as the file or the
    # gene model writes it, where the Effect column, the evidence pane and the report say "protein altering"
    from raretrace.evidence import VariantEvidence
    from raretrace.gui.genomics import COLUMNS, VariantTableModel

    model = VariantTableModel()
    model.set_variants([VariantEvidence("12", 103245499, "C", "T", "PAH", "het", "protein_altering", call="0/1")])
    effect = [key for _h, key, _w in COLUMNS].index("consequence")
    assert model.data(model.index(0, effect)) == "protein altering"
    tip = as_shown(model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole))
    assert tip.startswith("12:103245499 C>T in PAH (protein altering)"), tip


def test_the_vcfs_warnings_take_a_line_under_its_summary_and_read_whole_on_demand(window, qtbot, tmp_path):
    # The summary joined the VCF's first three warnings into its text, "… (+N; hover to read all)" after them: four
    # warnings took several lines above the variants, the others only on hover. They now take a line of their own,
    # as the Results tab's do: their count and the first, "Show all" lists them.
    from conftest import GRCH37_CHR1, GRCH37_CHR10

    lines = ["##fileformat=VCFv4.2", f"##contig=<ID=1,length={GRCH37_CHR1}>", f"##contig=<ID=10,length={GRCH37_CHR10}>",
             '##FILTER=<ID=LowQual,Description="Low quality">',
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "proband"]),
             "\t".join(["10", "123256215", ".", "T", "G", "50", "PASS", ".", "GT", "0/1"]),
             "\t".join(["10", "89692905", ".", "G", "A", "50", "LowQual", ".", "GT", "0/1"]),
             "\t".join(["1", "11856378", ".", "G", "A", "50", "PASS", ".", "GT", "./."]),
             "\t".join(["1", "11856400", ".", "G", "A", "50", "PASS", ".", "GT", "1"]),
             "\t".join(["1", "x", ".", "G", "A", "50", "PASS", ".", "GT", "0/1"])]
    vcf = tmp_path / "warned.vcf"
    vcf.write_text("\n".join(lines) + "\n")
    panel = window.genomics
    window.tabs.setCurrentWidget(panel)
    assert not panel.banner.isVisible()
    panel.set_vcf_path(str(vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 1, timeout=10000)
    panel.load_button.click()
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
    qtbot.wait(20)
    warnings = window.document.genomics.summary.warnings
    assert len(warnings) > 3, warnings
    assert not any(w in panel.summary.text() for w in warnings) and "hover to read all" not in panel.summary.text()
    banner, line = panel.banner, panel.banner.summary
    assert banner.isVisible() and line.text().startswith(f"⚠ {len(warnings)} warnings: ")
    assert banner.height() <= 2 * line.fontMetrics().lineSpacing() + 16  # one line, its toggle beside it
    assert all(w in as_shown(banner.toolTip()) for w in warnings)
    assert banner.accessibleName() == "Warnings about the VCF"
    banner.toggle.click()
    qtbot.wait(20)
    assert banner.full.isVisible() and all(w in banner.full.text() for w in warnings)
    panel.remove_button.click()  # no VCF: no warnings of one
    qtbot.waitUntil(lambda: window.document.genomics is None, timeout=10000)
    assert not banner.isVisible()



def test_a_variant_meeting_no_acmg_criterion_says_so_rather_than_leave_its_cell_empty(qtbot):
    # The demo's KMT2D missense (pathogenicity 0.50) meets no criterion: its ACMG cell was empty, as if unassessed
    from raretrace.evidence import NO_CRITERION_MET, VariantEvidence
    from raretrace.gui.genomics import COLUMNS, VariantTableModel

    model = VariantTableModel()
    model.set_variants([VariantEvidence("12", 49020147, "G", "T", "KMT2D", "het", "missense", pathogenicity=0.5,
                                        call="0/1")])
    acmg = [key for _h, key, _w in COLUMNS].index("criteria")
    assert model.data(model.index(0, acmg)) == "none met"
    tip = as_shown(model.data(model.index(0, acmg), Qt.ItemDataRole.ToolTipRole))
    assert f"ACMG/AMP criteria: {NO_CRITERION_MET}" in tip and "data available" in tip


@pytest.mark.parametrize("change", ["build", "filter"])
def test_variants_dropped_by_a_changed_build_or_filter_are_no_longer_described(window, qtbot, small_vcf, change):
    """Choosing another build (or FILTER values in Settings) empties the table: the line above it said the file's
    records, sample, build and candidates as read before, over an empty table and another Build."""
    panel = window.genomics
    window.new_case()
    panel.set_vcf_path(str(small_vcf))
    qtbot.waitUntil(lambda: panel.sample.count() == 1, timeout=10000)
    panel.load_button.click()
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
    assert "candidate variants" in panel.summary.text()
    if change == "build":
        panel.build.setCurrentText("GRCh38")
    else:
        window.prefs.vcf_filters = ("PASS", ".", "LowQual")
        window.document.forget_variants()  # as Settings → OK does when the FILTER values changed
    assert window.document.genomics is None and panel.model.rowCount() == 0
    said = panel.summary.text()
    assert "candidate variant" not in said and "GRCh37;" not in said
    assert "patient.vcf" in said and "Load variants" in said
    if change == "build":
        assert "GRCh38" in said
    else:
        assert "FILTER" in said


@pytest.mark.parametrize("samples", [("proband",), ("dad", "kid", "mum")])
def test_a_case_naming_a_sample_its_vcf_lacks_says_so_and_keeps_the_name_until_one_is_chosen(window, qtbot, tmp_path,
                                                                                            samples):
    # the phenopacket maps the patient to "ghost", a column the VCF does not have: the command line refuses it; the
    # panel took the file's one sample for the patient and read it (or asked for a sample with no word of "ghost"),
    # and the case's own mapping was lost
    panel = window.genomics
    failures: list[str] = []
    panel.failed.connect(failures.append)
    vcf = _family_vcf(tmp_path, samples)
    path = tmp_path / "case-ghost.json"
    path.write_text(json.dumps({"id": "ghost-case", "subject": {"id": "kid"},
                                "phenotypicFeatures": [{"type": {"id": "HP:0001363"}}],
                                "files": [{"uri": vcf.as_uri(), "individualToFileIdentifiers": {"kid": "ghost"}}]}))
    window.open_file(str(path))
    qtbot.waitUntil(lambda: "'ghost'" in panel.summary.text(), timeout=10000)
    qtbot.wait(200)
    said = panel.summary.text()
    assert all(s in said for s in samples) and "choose the patient's Sample" in said
    assert panel.sample.currentIndex() < 0 and panel.sample.count() == len(samples)
    assert window.document.genomics is None and not window.runner.is_running("load-vcf")
    assert window.document.vcf.sample == "ghost" and window.document.vcf.assembly == "GRCh37"
    panel.load_button.click()  # pressed without choosing: the loader's own one line, as on the command line
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    assert "'ghost'" in failures[-1] and "is not in" in failures[-1]
    panel.sample.setCurrentIndex(0)  # the clinician's choice replaces it
    assert window.document.vcf.sample == samples[0]


def test_a_missing_vcf_is_said_in_the_window_s_words_not_the_command_line_s(window, qtbot, small_vcf, tmp_path):
    """The core's message for a missing VCF names --vcf, an option of the command line: inside the window it named
    a thing the clinician cannot use. The window words it itself: the file's name and what to do here."""
    panel = window.genomics
    typed = tmp_path / "elsewhere" / "nope.vcf"
    panel.set_vcf_path(str(typed))
    qtbot.waitUntil(lambda: bool(window._errors), timeout=30000)
    said = window._errors[-1]
    assert said.startswith("nope.vcf was not found in ") and "choose another file" in said
    assert "--vcf" not in said and "\n" not in said
    # the case's own VCF moved after it was attached: Load variants, then Analyse, say it alike
    panel.set_vcf_path(str(small_vcf))
    qtbot.waitUntil(lambda: window.document.vcf is not None, timeout=30000)
    small_vcf.rename(tmp_path / "moved.vcf")
    window._errors.clear()
    panel.load_vcf()
    qtbot.waitUntil(lambda: bool(window._errors), timeout=30000)
    window.analyse()
    qtbot.waitUntil(lambda: len(window._errors) > 1, timeout=60000)
    for said in window._errors:
        assert said.startswith("patient.vcf was not found in ") and "choose another file" in said, said
        assert "--vcf" not in said and said.count("choose another") == 1
    window.ask_unsaved = lambda **_: "discard"


def test_at_1024_px_every_variant_cell_cut_short_or_past_the_edge_reads_whole_in_its_rows_tooltip(window, qtbot,
                                                                                                 small_vcf):
    # On a 1024×768 screen the HGVS column had 93 px: "p.(Ser252Trp) on UniProt P21802; Grantham distance 177; …"
    # read "p.(Ser252Tr…", and the row's tooltip gave the place, genotype, ClinVar and criteria but not the HGVS, so
    # the protein change could not be read in the table at all. Path. (the rows' order) and Filter lay past the
    # table's right edge, and the tooltip did not give them either.
    from PySide6.QtWidgets import QStyle

    from raretrace.gui.genomics import COLUMNS
    from raretrace.gui.main_window import FRAME_ROOM

    panel = window.genomics
    window.tabs.setCurrentWidget(panel)
    window.resize(1024 - FRAME_ROOM[0], 768 - FRAME_ROOM[1])
    panel.set_vcf_path(str(small_vcf), load=True)
    qtbot.waitUntil(lambda: panel.proxy.rowCount() > 0, timeout=30000)
    qtbot.wait(50)
    table, model = panel.table, panel.proxy
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    metrics = table.fontMetrics()
    head = table.horizontalHeader()
    past = [col for col in range(model.columnCount())
            if head.sectionViewportPosition(col) + head.sectionSize(col) > table.viewport().width()]
    cut = []
    for row in range(model.rowCount()):
        tip = as_shown(model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole))
        for col in range(model.columnCount()):
            text = model.index(row, col).data()
            if text not in ("", "—") and (col in past or metrics.horizontalAdvance(text) > table.columnWidth(col) - 2 * margin):
                cut.append(text)
                name = model.headerData(col, Qt.Orientation.Horizontal)
                assert text in tip.replace("\n", " "), (name, text, tip)
    assert any(text.startswith("p.(") for text in cut)  # the HGVS is among the cells cut at this width
    assert not past  # every column in view (ClinVar, Pop. AF, Filter and VCF record lay past the edge)
    # what orders the rows, Path., is in view whole, and the ACMG criteria begin in view (both lay past the edge)
    keys = [k for _h, k, _w in COLUMNS]
    path, acmg = keys.index("pathogenicity"), keys.index("criteria")
    assert head.sectionViewportPosition(path) + head.sectionSize(path) <= table.viewport().width()
    assert head.sectionViewportPosition(acmg) + head.sectionSize(acmg) // 2 <= table.viewport().width()
