"""`raretrace gui`, `raretrace-gui` and the start-up benchmark."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_raretrace_gui_command_is_registered():
    from raretrace.cli import build_parser
    from raretrace.cli.gui_cmds import cmd_gui

    args = build_parser().parse_args(["--kb", "kb.sqlite", "gui", "case.json", "--device", "cpu"])
    assert args.func is cmd_gui
    assert (args.case, args.device, args.kb, args.demo) == ("case.json", "cpu", "kb.sqlite", False)
    assert build_parser().parse_args(["gui", "--demo"]).demo


def test_raretrace_gui_script_options():
    from raretrace.gui.app import parse_args

    args = parse_args(["--demo", "--device", "auto"])
    assert args.demo and args.device == "auto" and args.case is None


def test_both_gui_commands_say_where_the_models_run_by_default(capsys):
    from raretrace.cli import main
    from raretrace.gui.app import parse_args

    texts = []
    for run in (lambda: main(["gui", "--help"]), lambda: parse_args(["--help"])):
        with pytest.raises(SystemExit):
            run()
        texts.append(" ".join(capsys.readouterr().out.split()))
    for text in texts:
        assert "where the models run (default: the Settings choice, auto unless changed" in text


def test_the_application_has_its_window_icon(qapp):
    from raretrace.gui.app import create_application

    app = create_application()
    assert app is qapp and not app.windowIcon().isNull()
    assert max(s.width() for s in app.windowIcon().availableSizes()) >= 256  # sharp in the task switcher


def test_startup_benchmark_reports_its_figures(kb_path):
    from raretrace.bench.gui import TARGET_INTERACTIVE_S, bench_startup

    figures = bench_startup(kb_path, runs=1)
    assert figures["target_interactive_s"] == TARGET_INTERACTIVE_S
    assert 0 < figures["interactive_median_s"] <= figures["kb_ready_median_s"]
    assert isinstance(figures["meets_target"], bool)


def test_the_installed_qt_binding_keeps_python_s_references_when_signals_are_emitted(qapp):
    """PySide6 6.12.0 drops a reference to True on every emit(); after a few thousand edits the application (and
    this suite) dies with 'Fatal Python error: bool_dealloc'. pyproject.toml excludes it; this catches a release
    with the same fault."""
    import sys

    from PySide6.QtCore import QObject, Signal

    class Source(QObject):
        changed = Signal(bool)

    source = Source()
    source.changed.connect(lambda _flag: None)
    before = sys.getrefcount(True)
    for _ in range(200):
        source.changed.emit(True)
    assert sys.getrefcount(True) - before > -50  # a faulty binding loses 200


def _started(qtbot, engine, case_path: str, features: bool = True, replace: str = "file"):
    """A window started as `raretrace-gui --demo` starts, on `case_path`, with a feature typed into its first case
    meanwhile (so that an analysis of whatever case shows would run); `replace`: the answer to "Case already in the
    store"."""
    from raretrace.gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.ask_unsaved = lambda **_: "discard"
    window.ask_replace = lambda *_: replace
    window.show()
    if features:
        window.document.add_phenotype("HP:0001250", "Seizure")
    window.start(case_path, engine=engine, analyse=True)
    qtbot.waitUntil(lambda: window.engine is not None and window.store is not None, timeout=30000)
    return window


def test_a_start_up_case_that_does_not_open_is_not_analysed_and_the_status_bar_says_so(qtbot, engine, tmp_path):
    # `--demo` (and a case given to analyse at start-up) analysed whatever case showed when its file did not open:
    # the new case the window starts on, typed into meanwhile, or "add at least one present feature" for an empty
    # one. Cancelled at "Case already in the store", it analysed the case the clinician had just chosen to stay on.
    from dataclasses import replace

    from raretrace.case import load_phenopacket
    from raretrace.demo import demo_case_path
    from raretrace.store import CaseStore

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    window = _started(qtbot, engine, str(broken))
    qtbot.wait(200)
    assert not window.runner.is_running("analyse") and window.document.result is None
    assert window.task_label.text() == "broken.json did not open, so it was not analysed"
    window.close()

    case = load_phenopacket(demo_case_path())
    with CaseStore() as store:  # the demo case as stored, edited since: opening the file asks which to keep
        store.save_case(replace(case, phenotypes=case.phenotypes[:2]))
    window = _started(qtbot, engine, str(demo_case_path()), replace="cancel")
    qtbot.wait(200)
    assert not window.runner.is_running("analyse") and window.document.result is None
    assert window.task_label.text() == "demo_case.json did not open, so it was not analysed"
    window.close()


def test_a_start_up_analysis_waiting_for_a_vcf_whose_loading_is_cancelled_never_runs_later(qtbot, engine, tmp_path,
                                                                                            large_vcf, small_vcf):
    # The analysis `--demo` asks for waited for the next VCF loaded, whatever it was: with the demo's loading
    # cancelled (Esc), a VCF loaded later for another case started an analysis nobody asked for.
    import json

    packet = {"id": "started-case", "subject": {"id": "P1"},
              "phenotypicFeatures": [{"type": {"id": "HP:0001250", "label": "Seizure"}}],
              "files": [{"uri": str(large_vcf), "fileAttributes": {"genomeAssembly": "GRCh37", "fileFormat": "vcf"}}],
              "metaData": {"created": "2024-01-01T00:00:00Z", "createdBy": "test", "phenopacketSchemaVersion": "2.0"}}
    path = tmp_path / "started.json"
    path.write_text(json.dumps(packet))
    window = _started(qtbot, engine, str(path), features=False)
    qtbot.waitUntil(lambda: window.runner.is_running("load-vcf"), timeout=30000)
    with qtbot.waitSignal(window.genomics.load_cancelled, timeout=30000):
        window.cancel_tasks()
    assert not window.runner.is_running("analyse")
    window.new_case()
    window.document.add_phenotype("HP:0001250", "Seizure")
    with qtbot.waitSignal(window.genomics.loaded, timeout=30000):
        window.genomics.set_vcf_path(str(small_vcf), load=True)
    qtbot.wait(50)
    assert not window.runner.is_running("analyse") and window.document.result is None
    window.close()


def test_a_window_started_in_the_second_another_stored_its_new_case_takes_a_free_id(qtbot, engine):
    # The case a window starts on is named by the time to the second before the store is open: a window closed in
    # that second had stored its own new case under that ID, and this one's first save met it as a conflict ("Case
    # changed elsewhere", a modal question about a case the clinician never opened)
    from raretrace.case import Case, Phenotype
    from raretrace.gui.main_window import MainWindow
    from raretrace.store import CaseStore

    window = MainWindow()
    qtbot.addWidget(window)
    window.ask_unsaved = lambda **_: "discard"
    asked = []
    window.ask_conflict = lambda *a: asked.append(a) or "cancel"
    taken = window.document.case.id
    other = Case(id=taken, phenotypes=(Phenotype("HP:0001263", "Global developmental delay"),))
    with CaseStore() as store:
        store.save_case(other)
    window.show()
    window.start(None, engine=engine)
    qtbot.waitUntil(lambda: window.store is not None, timeout=30000)
    assert window.document.case.id != taken
    window.document.add_phenotype("HP:0001250", "Seizure")
    window.autosave()
    qtbot.waitUntil(lambda: window.document.case.id in window.store, timeout=30000)
    assert not asked
    assert window.store.load_case(taken) == other  # the other window's case as it stored it
    window.close()
