"""Settings and knowledge freshness: QSettings in a temporary file, device and report defaults, a KB rebuilt from
another HPO release folder and phenopackets added to the case library — both picked up without a restart."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from raretrace.kb import outdated_build_warning, stale_release_warning

pytestmark = pytest.mark.gui

SYNTHETIC_OBO = """format-version: 1.2
data-version: hp/releases/{release}
default-namespace: human_phenotype
ontology: hp
{terms}
"""
TERMS = [
    ("HP:0000001", "All", None, ""),
    ("HP:0000118", "Phenotypic abnormality", "HP:0000001", ""),
    ("HP:0000005", "Mode of inheritance", "HP:0000001", ""),
    ("HP:0000006", "Autosomal dominant inheritance", "HP:0000005", ""),
    ("HP:0031797", "Clinical course", "HP:0000001", ""),
    ("HP:0003674", "Onset", "HP:0031797", ""),
    ("HP:0000707", "Abnormality of the nervous system", "HP:0000118", ""),
    ("HP:0001250", "Seizure", "HP:0000707", "An intermittent abnormality of nervous system physiology."),
    ("HP:9000001", "Glimmering aura", "HP:0001250", "A term that exists only in this synthetic release."),
]


def synthetic_release(folder, release: str = "2026-09-01"):
    """A tiny but complete HPO release folder: hp.obo, phenotype.hpoa, genes_to_phenotype.txt."""
    folder.mkdir()
    blocks = []
    for tid, name, parent, definition in TERMS:
        block = f"\n[Term]\nid: {tid}\nname: {name}\n"
        if definition:
            block += f'def: "{definition}" []\n'
        if parent:
            block += f"is_a: {parent}\n"
        blocks.append(block)
    (folder / "hp.obo").write_text(SYNTHETIC_OBO.format(release=release, terms="".join(blocks)))
    header = "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration"
    rows = [
        "OMIM:999001\tSynthetic aura syndrome\t\tHP:9000001\tPMID:1\tPCS\t\t1/1\t\t\tP\tHPO:test[2026-09-01]",
        "OMIM:999001\tSynthetic aura syndrome\t\tHP:0000006\tPMID:1\tPCS\t\t\t\t\tI\tHPO:test[2026-09-01]",
    ]
    (folder / "phenotype.hpoa").write_text(f"#version: {release}\n{header}\n" + "\n".join(rows) + "\n")
    (folder / "genes_to_phenotype.txt").write_text(
        "ncbi_gene_id\tgene_symbol\thpo_id\thpo_name\tfrequency\tdisease_id\n"
        "2263\tFGFR2\tHP:9000001\tGlimmering aura\t-\tOMIM:999001\n"
    )
    return folder


def test_preferences_live_in_the_temporary_settings_file(window, gui_home):
    from raretrace.gui.preferences import Preferences

    prefs = window.prefs
    assert prefs.qsettings.fileName() == str(gui_home / "settings.ini")
    prefs.clinician = "Dr A. Example"
    prefs.top_n = 7
    prefs.add_recent("/data/a.json")
    prefs.sync()
    again = Preferences()
    assert (again.clinician, again.top_n, again.recent_files) == ("Dr A. Example", 7, ["/data/a.json"])


def test_window_state_is_restored(qtbot, engine, gui_home):
    from raretrace.gui.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(first.width(), 650)  # the offscreen screen is 800 px high
    first.show()
    first.cases_dock.hide()
    first.close()
    assert all(part is not None for part in first.prefs.window_state())
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert second.height() == 650 and not second.cases_dock.isVisible()
    second.close()


def test_raretrace_kb_selects_the_knowledge_base_over_the_path_saved_in_settings(qtbot, gui_home, kb_path, tmp_path,
                                                                                 monkeypatch):
    # Settings saves the path the window used (RARETRACE_KB's, when set) on OK; a later RARETRACE_KB, as the
    # command line honours it, was then ignored by the window, which kept analysing with the old knowledge base
    from raretrace.gui.main_window import MainWindow
    from raretrace.gui.preferences import Preferences

    prefs = Preferences()
    prefs.kb_path = str(tmp_path / "earlier.sqlite")
    prefs.sync()
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.kb_path == str(kb_path)
    monkeypatch.delenv("RARETRACE_KB")
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.kb_path == str(tmp_path / "earlier.sqlite")  # no RARETRACE_KB: the saved path


def test_settings_dialog_saves_device_and_report_defaults(window, qtbot):
    from raretrace.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window)
    dialog.open()
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    dialog.top_n.setValue(5)
    dialog.page_size.setCurrentText("Letter")
    dialog.clinician.setText("Dr B. Example")
    dialog.accept()
    assert window.prefs.device == "cpu" and window.device == "cpu"
    assert "cpu" in window.device_label.text()
    assert (window.report.top_n.value(), window.report.page_size.currentText()) == (5, "Letter")
    assert window.report.clinician.text() == "Dr B. Example"
    qtbot.waitUntil(lambda: window.engine is not None, timeout=30000)  # the engine reloads for the new device


def _release_with_an_unknown_term(tmp_path):
    """A newer HPO release folder whose phenotype.hpoa annotates a term its hp.obo lacks (the build warns)."""
    release_dir = synthetic_release(tmp_path / "hpo-2026-09")
    with (release_dir / "phenotype.hpoa").open("a") as hpoa:
        hpoa.write("OMIM:999001\tSynthetic aura syndrome\t\tHP:9999999\tPMID:1\tPCS\t\t1/1\t\t\tP\tHPO:test[2026-09-01]\n")
    return release_dir


def test_rebuild_from_another_hpo_release_is_picked_up(window, qtbot, tmp_path):
    from raretrace.gui.settings_dialog import SettingsDialog

    release_dir = _release_with_an_unknown_term(tmp_path)
    dialog = SettingsDialog(window)
    dialog.open()
    dialog.kb_path.setText(str(tmp_path / "kb-new.sqlite"))
    with qtbot.waitSignal(window.engine_ready, timeout=120000):
        dialog.rebuild(str(release_dir))
    assert "1 annotation to terms not in hp.obo ignored" in dialog.status.text()  # as `kb build` warns
    engine = window.engine
    assert engine.hpo_release == "2026-09-01"
    assert window.release_label.text().startswith(("HPO 2026-09-01", "▲ HPO 2026-09-01"))
    assert window.release_label.text().startswith("▲") == bool(stale_release_warning("2026-09-01"))
    assert "2026-09-01" in dialog.kb_info.text()
    assert window.prefs.kb_path == str(tmp_path / "kb-new.sqlite")
    # the new term is searchable and browsable without a restart
    panel = window.phenotypes
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "glimmering")
    qtbot.waitUntil(lambda: panel.suggestions.rowCount() > 0, timeout=10000)
    assert "HP:9000001" in panel.suggestions.item(0).text()
    panel.browser.show_term("HP:9000001")
    assert "synthetic release" in panel.browser.definition.text()

    solved = {
        "id": "new-case-1",
        "subject": {"id": "x", "sex": "MALE"},
        "phenotypicFeatures": [{"type": {"id": "HP:9000001", "label": "Glimmering aura"}}],
        "interpretations": [
            {"id": "i1", "progressStatus": "SOLVED",
             "diagnosis": {"disease": {"id": "OMIM:999002", "label": "Newer aura syndrome"}}}
        ],
        "metaData": {"externalReferences": [{"id": "PMID:99999999"}]},
    }
    packet = tmp_path / "solved.json"
    packet.write_text(json.dumps(solved))
    before = int(engine.provenance.get("case_library_cases", "0"))
    with qtbot.waitSignal(window.engine_ready, timeout=120000):
        dialog.add_phenopackets([str(packet)])
    assert int(window.engine.provenance["case_library_cases"]) == before + 1
    assert f"{before + 1:,} cases" in window.release_label.text()
    # it said "1 cases added ...; 1 files skipped (e.g. 1 diagnosis ID(s) ...)", of the file it had added
    added, note = dialog.status.text().split("\n")
    assert added == "1 case added to the case library"
    assert "OMIM:999002" in note and "skipped" not in note
    with qtbot.waitSignal(window.engine_ready, timeout=120000):
        dialog.add_phenopackets([str(packet)])  # again: it said "0 cases added", though the file's version replaced it
    assert int(window.engine.provenance["case_library_cases"]) == before + 1
    first = dialog.status.text().split("\n")[0]
    assert first == "0 cases added to the case library; 1 already in it, replaced by the file's version"
    dialog.reject()


def test_a_rebuild_stopped_once_its_knowledge_base_is_in_place_says_it_was_rebuilt(qtbot, tmp_path):
    # Stop pressed while the build indexed (its last step) was seen at the build's next progress report, which came
    # after the new knowledge base had replaced the old: the dialog said the previous one was kept
    from raretrace.gui.settings_dialog import rebuild_kb
    from raretrace.gui.workers import Task

    release_dir = synthetic_release(tmp_path / "hpo-2026-09")
    target = tmp_path / "kb-new.sqlite"
    task = Task("rebuild-kb", lambda ctx: rebuild_kb(str(target), str(release_dir), ctx))
    report = task.context.progress

    def progress(message: str, fraction: float) -> None:
        report(message, fraction)
        if message == "Indexing":
            task.cancel()

    task.context.progress = progress
    outcomes = []
    task.signals.done.connect(lambda built: outcomes.append(("done", built[0])))
    task.signals.cancelled.connect(lambda: outcomes.append(("cancelled", None)))
    task.run()  # on this thread: its signals arrive at once
    assert outcomes == [("done", str(target))] and target.is_file()


def _solved_packets(folder, count: int):
    """`count` solved phenopackets of a synthetic disease, each its own case, in `folder`."""
    folder.mkdir()
    for n in range(count):
        (folder / f"case{n}.json").write_text(json.dumps({
            "id": f"stop-case-{n}", "subject": {"id": f"s{n}"},
            "phenotypicFeatures": [{"type": {"id": "HP:0001250", "label": "Seizure"}}],
            "interpretations": [{"id": "i", "progressStatus": "SOLVED",
                                 "diagnosis": {"disease": {"id": "OMIM:999001", "label": "Synthetic aura syndrome"}}}],
            "metaData": {"externalReferences": [{"id": f"PMID:7700{n}"}]},
        }))
    return folder


def _library(kb) -> tuple[int, str]:
    """(cases in the case library, its recorded sources)."""
    import sqlite3

    db = sqlite3.connect(kb)
    try:
        cases = db.execute("SELECT COUNT(*) FROM library_cases").fetchone()[0]
        sources = db.execute("SELECT value FROM provenance WHERE key = 'case_library_sources'").fetchone()[0]
    finally:
        db.close()
    return cases, sources


def test_adding_phenopackets_can_be_stopped_and_adds_nothing(window, qtbot, tmp_path, monkeypatch):
    # Adding a folder of published cases had no Stop: the dialog (Cancel, Escape included) waited until every file
    # was read. Stop now ends it, and as the cases go in one transaction nothing of a stopped addition is kept.
    import threading

    from raretrace import library
    from raretrace.gui.settings_dialog import SettingsDialog
    from raretrace.kb import build_kb

    kb = build_kb(tmp_path / "kb.sqlite", synthetic_release(tmp_path / "hpo-2026-09"))
    before = _library(kb)
    folder = _solved_packets(tmp_path / "cases", 5)
    reading, go = threading.Event(), threading.Event()
    real_read = library.read_json_file

    def read_json_file(path):  # the worker waits at its third file until Stop has been pressed
        if path.name == "case2.json":
            reading.set()
            go.wait(30)
        return real_read(path)

    monkeypatch.setattr(library, "read_json_file", read_json_file)
    dialog = SettingsDialog(window)
    dialog.open()
    dialog.kb_path.setText(str(kb))
    try:
        dialog.add_phenopackets([str(folder)])
        assert dialog.stop_button.isVisible() and dialog.stop_button.isEnabled()
        assert dialog.stop_button.accessibleName() == "Stop adding phenopackets to the case library"
        assert not dialog.buttons.isEnabled()  # the dialog waits for it, as for a rebuild
        qtbot.waitUntil(reading.is_set, timeout=30000)
        qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    finally:
        go.set()
    qtbot.waitUntil(lambda: not window.runner.is_running("add-library"), timeout=30000)
    assert dialog.status.text() == "Adding stopped; nothing was added to the case library."
    assert not dialog.stop_button.isVisible() and dialog.buttons.isEnabled() and dialog.library_button.isEnabled()
    assert _library(kb) == before  # no case, and no source recorded
    dialog.reject()


def test_a_library_addition_stopped_at_its_last_moment_is_rolled_back_and_one_stopped_too_late_is_reported(
        qtbot, tmp_path, monkeypatch):
    # Stop pressed once every file was read rolls the write back; pressed once it was committed, the cases are in
    # the library and the dialog must say they were added, not that adding stopped
    from raretrace import library
    from raretrace.errors import Cancelled
    from raretrace.gui.settings_dialog import add_to_library
    from raretrace.gui.workers import Task
    from raretrace.kb import build_kb

    kb = build_kb(tmp_path / "kb.sqlite", synthetic_release(tmp_path / "hpo-2026-09"))
    before = _library(kb)
    folder = _solved_packets(tmp_path / "cases", 3)
    written = []
    real_record = library._record_provenance

    def record(db, source):  # the cases and their source are written, not yet committed
        real_record(db, source)
        written.append(source)

    monkeypatch.setattr(library, "_record_provenance", record)
    with pytest.raises(Cancelled):
        library.add_to_case_library(kb, [folder], cancel=lambda: bool(written))
    assert written and _library(kb) == before

    real_add = library.add_to_case_library

    def add_then_stop(*args, **kwargs):
        outcome = real_add(*args, **kwargs)
        task.cancel()  # Stop pressed just after the commit
        return outcome

    monkeypatch.setattr(library, "add_to_case_library", add_then_stop)
    task = Task("add-library", lambda ctx: add_to_library(str(kb), [str(folder)], ctx))
    outcomes = []
    task.signals.done.connect(lambda outcome: outcomes.append(("done", outcome.added)))
    task.signals.cancelled.connect(lambda: outcomes.append(("cancelled", None)))
    task.run()  # on this thread: its signals arrive at once
    assert outcomes == [("done", 3)] and _library(kb)[0] == before[0] + 3


def test_status_bar_states_release_library_and_staleness(window):
    prov = window.engine.provenance
    text = window.release_label.text()
    assert f"HPO {prov['hpo_release']}" in text
    if prov.get("case_library_cases"):
        assert f"{int(prov['case_library_cases']):,} cases" in text
    warning = stale_release_warning(prov["hpo_release"])
    assert text.startswith("▲") == bool(warning or outdated_build_warning(prov))
    if outdated_build_warning(prov):  # a KB an earlier RareTrace built: said first, a rebuild mends both
        assert "earlier RareTrace" in window.release_label.toolTip()
    elif warning:
        assert "months old" in window.release_label.toolTip()



def test_status_bar_says_when_an_earlier_raretrace_built_the_knowledge_base(window, tmp_path):
    import sqlite3

    from mini_release import write_release

    from raretrace.engine import Engine
    from raretrace.kb import build_kb

    kb = build_kb(tmp_path / "kb.sqlite", write_release(tmp_path / "hpo"))
    conn = sqlite3.connect(kb)
    with conn:
        conn.execute("DELETE FROM provenance WHERE key = 'build_logic'")  # as the builds before the marker wrote it
    conn.close()
    window.engine = Engine(kb, device="cpu")
    window._show_release()
    assert window.release_label.text().startswith("▲ HPO 2026-10-01")  # a current release: the build is the reason
    assert "built by an earlier RareTrace" in window.release_label.toolTip()


def test_the_filter_setting_chooses_which_vcf_records_are_read(window, qtbot, tmp_path):
    from conftest import vcf_text

    from raretrace.gui.settings_dialog import SettingsDialog

    text = vcf_text([("10", 123256215, "T", "G", "0/1")]).replace("\tPASS\t", "\tLowQual\t")
    path = tmp_path / "lowqual.vcf"
    path.write_text(text)
    panel = window.genomics
    panel.set_vcf_path(str(path), load=True)
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
    assert panel.model.rowCount() == 0  # LowQual fails the default PASS filter
    dialog = SettingsDialog(window)
    dialog.filters.setText("PASS, LowQual")
    dialog.accept()
    assert window.prefs.vcf_filters == ("PASS", "LowQual") and window.document.genomics is None
    panel.load_vcf()
    qtbot.waitUntil(lambda: window.document.genomics is not None, timeout=30000)
    assert [v.pos for v in panel.model.variants] == [123256215]
    bad = SettingsDialog(window)
    bad.filters.setText(" , ")
    bad.accept()  # refused with one line; the setting stays
    assert window.prefs.vcf_filters == ("PASS", "LowQual")
    for box in [w for w in window.findChildren(QMessageBox) if w.isVisible()]:
        box.accept()


def test_rebuild_refuses_a_folder_or_the_case_store_before_building(window, qtbot, gui_home, tmp_path, monkeypatch):
    from raretrace.gui.settings_dialog import SettingsDialog

    release_dir = synthetic_release(tmp_path / "hpo-2026-09")
    store = gui_home / "cases.sqlite"
    assert store.is_file()
    saved = store.read_bytes()
    dialog = SettingsDialog(window)
    dialog.open()
    for target, words in ((tmp_path, "is a folder"), (store, "is not a RareTrace knowledge base")):
        dialog.kb_path.setText(str(target))
        dialog.rebuild(str(release_dir))
        # refused at once, on the GUI thread: no build was started
        assert dialog.status.text().startswith("Failed:") and words in dialog.status.text()
        assert dialog.rebuild_button.isEnabled()
    dialog.kb_path.setText(str(tmp_path / "kb-fine.sqlite"))
    monkeypatch.setattr("raretrace.gui.settings_dialog.QFileDialog.getExistingDirectory", lambda *a, **k: "")
    dialog.rebuild()  # a good target, then the folder dialog cancelled: the earlier refusal is gone
    assert not dialog.status.text().startswith("Failed:")
    qtbot.wait(200)
    assert store.read_bytes() == saved
    assert not list(gui_home.glob("cases.sqlite.building-*"))
    for box in [w for w in window.findChildren(QMessageBox) if w.isVisible()]:
        box.accept()
    dialog.reject()


def test_a_rebuild_can_be_stopped_and_the_previous_knowledge_base_stays(window, qtbot, tmp_path):
    from raretrace.errors import Cancelled
    from raretrace.gui.settings_dialog import SettingsDialog, rebuild_kb
    from raretrace.gui.workers import TaskContext, TaskSignals
    from raretrace.kb import build_kb

    release_dir = synthetic_release(tmp_path / "hpo-2026-09")
    target = build_kb(tmp_path / "kb-old.sqlite", release_dir)
    before = target.read_bytes()
    ctx = TaskContext(TaskSignals())
    ctx.cancel()  # Stop pressed: the build ends at its next step
    with pytest.raises(Cancelled):
        rebuild_kb(str(target), str(release_dir), ctx)
    assert target.read_bytes() == before and not list(tmp_path.glob("kb-old.sqlite.building-*"))
    dialog = SettingsDialog(window)
    dialog.open()
    dialog.kb_path.setText(str(tmp_path / "kb-new.sqlite"))
    with qtbot.waitSignal(window.engine_ready, timeout=120000):
        dialog.rebuild(str(release_dir))
        assert dialog.stop_button.isVisible()  # while it builds
    assert not dialog.stop_button.isVisible()
    dialog._stopped()  # what a stop shows
    assert "stopped" in dialog.status.text() and dialog.rebuild_button.isEnabled()
    dialog.reject()


def test_the_settings_file_is_readable_by_this_user_only(tmp_path):
    """The settings list the recent case files and the last folder (paths that often name the patient) and the
    clinician's name: 0600 in a 0700 folder whatever the umask, an older world-readable file tightened, and the
    mode kept through Qt's rewrites of the file."""
    import os

    from raretrace.gui.preferences import Preferences

    path = tmp_path / "config" / "RareTrace" / "RareTrace.conf"
    mask = os.umask(0o022)
    try:
        prefs = Preferences(path)
        prefs.add_recent("/clinic/Smith_John/case.json")
        prefs.last_dir = "/clinic/Smith_John"
        prefs.clinician = "Dr Jones"
        prefs.sync()
        assert "Smith_John" in path.read_text()
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.parent.stat().st_mode & 0o777 == 0o700
        path.chmod(0o644)  # as an earlier RareTrace left it
        again = Preferences(path)
        assert again.recent_files == ["/clinic/Smith_John/case.json"]
        again.add_recent("/clinic/Doe_Jane/case.json")
        again.sync()
    finally:
        os.umask(mask)
    assert "Doe_Jane" in path.read_text()
    assert path.stat().st_mode & 0o777 == 0o600


def test_settings_say_when_an_earlier_raretrace_built_the_knowledge_base(window, tmp_path):
    """The status bar sends the clinician to Settings: the dialog says what the warning means and how to rebuild."""
    import sqlite3

    from conftest import as_shown
    from mini_release import write_release

    from raretrace.engine import Engine
    from raretrace.gui.settings_dialog import SettingsDialog
    from raretrace.kb import build_kb

    kb = build_kb(tmp_path / "kb.sqlite", write_release(tmp_path / "hpo"))
    conn = sqlite3.connect(kb)
    with conn:
        conn.execute("DELETE FROM provenance WHERE key = 'build_logic'")
    conn.close()
    window.engine = Engine(kb, device="cpu")
    dialog = SettingsDialog(window)
    shown = as_shown(dialog.kb_info.text())
    assert "built by an earlier RareTrace" in shown
    assert "raretrace kb build" in shown  # the command that rebuilds it
    assert "Rebuild from an HPO release folder" in shown
    dialog.reject()


def first_filter_lists(filters: str, name: str) -> bool:
    """Whether a file dialog whose filters match as written (GTK's native one: case-sensitive globs) lists the file
    under its first filter, the one it opens with."""
    import fnmatch
    import re

    patterns = re.search(r"\(([^)]*)\)", filters.split(";;")[0]).group(1).split()
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def test_the_file_dialogs_list_files_whatever_the_letter_case_of_their_suffix(window, monkeypatch):
    # "Phenopackets (*.json)": a native dialog matching patterns as written hid CASE.JSON (as Windows tools write),
    # which the CLI's case library add takes (case.phenopacket_files); likewise the phenopacket to open and the VCF.
    from PySide6.QtWidgets import QFileDialog

    from raretrace.gui.settings_dialog import SettingsDialog

    asked: dict[str, tuple[str, object]] = {}

    def dialog(kind):
        def ask(_parent, title, _start, filters, *_, options=None, **__):
            asked[title] = (filters, options)
            return ([], "") if kind == "many" else ("", "")
        return ask

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", dialog("many"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", dialog("one"))
    settings = SettingsDialog(window)
    settings.add_phenopackets()
    settings.reject()
    window.open_file_dialog()
    window.genomics.choose_vcf()
    window.genomics.choose_ped()
    names = {"Phenopackets to add to the case library": ("case.json", "CASE.JSON", "Case.Json"),
             "Open a phenopacket": ("case.json", "CASE.JSON"),
             "Choose the patient's VCF": ("p.vcf.gz", "P.VCF.GZ", "P.VCF", "p.BCF", "p.vcf.bgz"),
             "Choose the family PED file": ("family.ped", "FAMILY.PED")}
    assert set(asked) == set(names)
    for title, files in names.items():
        filters, options = asked[title]
        for name in files:
            assert first_filter_lists(filters, name), (title, name)
        assert not first_filter_lists(filters, "notes.txt")
        assert options == QFileDialog.Option.HideNameFilterDetails  # the bracketed patterns read badly


def test_escape_while_the_knowledge_base_is_rebuilt_keeps_the_dialog_and_its_outcome(window, qtbot, tmp_path):
    # Cancel is disabled while the dialog works; Escape closed it all the same, the work went on unseen and its
    # outcome (here the build's warning) was said in a hidden dialog, which Settings opened again did not show
    from PySide6.QtCore import Qt

    from raretrace.gui.settings_dialog import SettingsDialog

    release_dir = _release_with_an_unknown_term(tmp_path)
    dialog = SettingsDialog(window)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.kb_path.setText(str(tmp_path / "kb-new.sqlite"))
    with qtbot.waitSignal(window.engine_ready, timeout=120000):
        dialog.rebuild(str(release_dir))
        assert not dialog.buttons.isEnabled()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible()
        dialog.close()  # the title bar's close button, the same
        assert dialog.isVisible()
    assert dialog.isVisible() and "1 annotation to terms not in hp.obo ignored" in dialog.status.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # done: Escape cancels again
    assert not dialog.isVisible()
