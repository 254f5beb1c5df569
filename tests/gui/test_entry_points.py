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


def test_startup_benchmark_reports_its_figures(kb_path):
    from raretrace.bench.gui import TARGET_INTERACTIVE_S, bench_startup

    figures = bench_startup(kb_path, runs=1)
    assert figures["target_interactive_s"] == TARGET_INTERACTIVE_S
    assert 0 < figures["interactive_median_s"] <= figures["kb_ready_median_s"]
    assert isinstance(figures["meets_target"], bool)
