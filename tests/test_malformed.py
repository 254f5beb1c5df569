"""No traceback for any malformed input: each gives one clear `error:` line (exit 2) or counted warnings.

The corpus (tests/malformed_corpus.py) covers phenopacket JSON, VCF, PED, free text, HPO queries and the case store;
entries whose command another area has not built yet are skipped and run as soon as it exists.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from malformed_corpus import PHENOPACKET_FILES, corpus

from raretrace.cli import build_parser, main

CORPUS = corpus()
COMMANDS = set(build_parser()._subparsers._group_actions[0].choices)  # the registered commands


def run_cli(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse usage errors exit from the parser itself
        return int(exc.code or 0)


def test_the_corpus_covers_at_least_30_kinds_across_every_entry_point():
    kinds = {m.kind for m in CORPUS}
    assert len(kinds) >= 30
    assert {m.entry for m in CORPUS} == {"phenopacket", "vcf", "ped", "text", "hpo", "store"}


@pytest.mark.parametrize("item", CORPUS, ids=[m.kind for m in CORPUS])
def test_malformed_input_gives_one_error_line_or_counted_warnings(item, tmp_path, capsys, engine, monkeypatch):
    if item.needs and item.needs not in COMMANDS:
        pytest.skip(f"`raretrace {item.needs}` is not built yet")
    monkeypatch.setenv("RARETRACE_STORE", str(tmp_path / "store" / "cases.sqlite"))
    folder = tmp_path / "input"
    folder.mkdir()
    status = run_cli(item.make(folder))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "internal error" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    if item.fatal is True or (item.fatal is None and status == 2):
        assert status == 2, f"exit {status}; stderr: {err}"
        assert len(errors) == 1 and len(errors[0]) > len("error: ") + 10, err
    else:
        assert status == 0, f"exit {status}; stderr: {err}"
        assert errors == []
        if item.warns:
            assert any(line.startswith("warning:") for line in lines), err


@pytest.mark.parametrize(
    "kind", ["binary garbage", "truncated JSON", "nesting 200,000 deep", "excluded is a string"]
)
def test_a_real_process_prints_one_error_line_and_exits_2(kind, tmp_path):
    writer, _, _ = PHENOPACKET_FILES[kind]
    path = writer(tmp_path)
    env = os.environ | {"RARETRACE_STORE": str(tmp_path / "cases.sqlite")}
    proc = subprocess.run(
        [sys.executable, "-m", "raretrace", "case", "import", str(path)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: "), proc.stderr
    assert proc.stdout == ""


def _unknown_terms_case(folder, name: str, ids: list[str]):
    import json

    path = folder / f"{name}.json"
    path.write_text(json.dumps({"id": name, "subject": {"id": name},
                                "phenotypicFeatures": [{"type": {"id": i}} for i in ids]}))
    return path


def test_batch_warns_per_case_and_skips_a_case_with_no_usable_term(tmp_path, capsys, engine):
    usable = _unknown_terms_case(tmp_path, "usable", ["HP:0001156", "HP:9999999"])
    unusable = _unknown_terms_case(tmp_path, "unusable", ["HP:9999999", "seizures"])
    out = tmp_path / "out.jsonl"
    assert run_cli(["batch", str(usable), str(unusable), "--out", str(out), "--device", "cpu"]) == 0
    err = capsys.readouterr().err
    assert "warning: usable: 1 unknown HPO term(s) ignored" in err
    assert "warning: case unusable has no usable present HPO terms" in err
    assert [line.split('"')[3] for line in out.read_text().splitlines()] == ["usable"]
    # nothing rankable: one error line, exit 2
    assert run_cli(["batch", str(unusable), "--out", str(out), "--device", "cpu"]) == 2
    errors = [x for x in capsys.readouterr().err.splitlines() if x.startswith("error:")]
    assert len(errors) == 1 and "no case could be ranked" in errors[0]


@pytest.mark.parametrize("where", ["a folder", "below a file", "a zero --top"])
def test_unusable_output_paths_and_counts_are_refused_before_any_work(where, tmp_path, capsys, engine):
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156"])
    (tmp_path / "blocker").write_text("x")
    out = {"a folder": tmp_path, "below a file": tmp_path / "blocker" / "out.jsonl"}.get(where, tmp_path / "o.jsonl")
    extra = ["--top", "0"] if where == "a zero --top" else []
    assert run_cli(["batch", str(case), "--out", str(out), "--device", "cpu", *extra]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    assert len([x for x in err.splitlines() if x.startswith("error:")]) == 1, err
