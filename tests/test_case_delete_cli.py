"""`raretrace case delete ID [--yes]`: a case created by mistake leaves the store, asked for on a terminal, only
with --yes in a script, and its audit log stays."""

from __future__ import annotations

import json
import os
import sys

import pytest
from cli_run import run_cli

from raretrace.store import CaseStore


@pytest.fixture
def stored(tmp_path, monkeypatch):
    """A case store holding P1 (patient Smith-42) and P2; RARETRACE_STORE points at it."""
    store_path = tmp_path / "cases.sqlite"
    monkeypatch.setenv("RARETRACE_STORE", str(store_path))
    for case_id, subject in (("P1", "Smith-42"), ("P2", "Jones-7")):
        packet = {"id": case_id, "subject": {"id": subject, "sex": "MALE"}, "metaData": {},
                  "phenotypicFeatures": [{"type": {"id": "HP:0004322", "label": "Short stature"}}]}
        (tmp_path / f"{case_id}.json").write_text(json.dumps(packet))
        assert run_cli(["case", "import", str(tmp_path / f"{case_id}.json")]) == 0
    return store_path


def _ids(path) -> list[str]:
    with CaseStore(path, create=False) as store:
        return sorted(c.id for c in store.list_cases())


def test_delete_with_yes_removes_the_case_and_keeps_its_deletion_in_the_audit_log(stored, capsys):
    capsys.readouterr()
    assert run_cli(["case", "delete", "P1", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "deleted" in out and "P1" in out
    assert _ids(stored) == ["P2"]  # nothing else changes
    with CaseStore(stored, create=False) as store:
        assert [e.action for e in store.audit("P1")] == ["created", "deleted"]
    assert run_cli(["case", "show", "P1"]) == 2


def test_without_yes_and_no_terminal_it_refuses_in_one_line_and_deletes_nothing(stored, capsys, monkeypatch):
    capsys.readouterr()
    with open(os.devnull) as nothing:
        monkeypatch.setattr(sys, "stdin", nothing)  # a script's stdin: no terminal to ask on
        assert run_cli(["case", "delete", "P1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "--yes" in err and "P1" in err
    assert _ids(stored) == ["P1", "P2"]


def test_an_unknown_id_is_one_line_error_with_status_2(stored, capsys):
    capsys.readouterr()
    assert run_cli(["case", "delete", "NOPE", "--yes"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no case 'NOPE'") and err.count("\n") == 1 and "Traceback" not in err
    assert _ids(stored) == ["P1", "P2"]


def _answering(monkeypatch, answer: str) -> None:
    """stdin is a real terminal (a pseudo-terminal) on which `answer` has been typed."""
    pty = pytest.importorskip("pty")
    typist, terminal = pty.openpty()
    os.write(typist, answer.encode())
    monkeypatch.setattr(sys, "stdin", os.fdopen(terminal, "r"))


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_it_asks_naming_the_case_and_patient_and_deletes_on_yes(stored, capsys, monkeypatch):
    _answering(monkeypatch, "yes\n")
    capsys.readouterr()
    assert run_cli(["case", "delete", "P1"]) == 0
    err = capsys.readouterr().err
    assert "Delete case P1 (patient Smith-42)" in err and "cannot be undone" in err and "case export P1" in err
    assert _ids(stored) == ["P2"]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_any_other_answer_keeps_the_case(stored, capsys, monkeypatch):
    _answering(monkeypatch, "n\n")
    capsys.readouterr()
    assert run_cli(["case", "delete", "P1"]) == 1
    assert "not deleted" in capsys.readouterr().err
    assert _ids(stored) == ["P1", "P2"]
    with CaseStore(stored, create=False) as store:
        assert [e.action for e in store.audit("P1")] == ["created"]


def test_the_command_is_documented():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    assert "case delete ID [--yes]" in (root / "docs" / "CLI.md").read_text(encoding="utf-8")
    assert "|delete|" in (root / "README.md").read_text(encoding="utf-8")
