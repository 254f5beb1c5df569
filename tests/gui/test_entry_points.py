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
