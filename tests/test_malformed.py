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
    assert f"warning: {unusable}: case unusable has no usable present HPO terms" in err  # which file, too
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


def _store_file(path):
    from raretrace.store import CaseStore

    with CaseStore(path) as store:
        store.save_case(_case_for_store())
    return path


def _case_for_store():
    from raretrace.case import case_from_terms

    return case_from_terms("stored", ["HP:0001156"])


@pytest.mark.parametrize("target", ["the input phenopacket", "a case store", "a text file"])
def test_batch_never_writes_over_a_file_that_is_not_its_results(target, tmp_path, capsys, engine):
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156"])
    out = {"the input phenopacket": case, "a case store": tmp_path / "cases.sqlite",
           "a text file": tmp_path / "notes.txt"}[target]
    if target == "a case store":
        _store_file(out)
    elif target == "a text file":
        out.write_text("the clinic's notes\n")
    before = out.read_bytes()
    assert run_cli(["batch", str(case), "--out", str(out), "--device", "cpu"]) == 2
    errors = [x for x in capsys.readouterr().err.splitlines() if x.startswith("error:")]
    assert len(errors) == 1 and str(out) in errors[0]
    assert out.read_bytes() == before


def test_batch_replaces_earlier_results_only_with_a_complete_new_file(tmp_path, capsys, engine, monkeypatch):
    from raretrace.ranking import Ranker

    cases = [_unknown_terms_case(tmp_path, f"c{k}", ["HP:0001156", "HP:0001363"]) for k in range(3)]
    unusable = _unknown_terms_case(tmp_path, "unusable", ["HP:9999999"])
    out = tmp_path / "results.jsonl"
    assert run_cli(["batch", *map(str, cases), "--out", str(out), "--device", "cpu"]) == 0
    earlier = out.read_bytes()
    assert len(earlier.splitlines()) == 3 and out.stat().st_mode & 0o777 == 0o600  # patient data: this user only
    # nothing rankable: the earlier results stay
    assert run_cli(["batch", str(unusable), "--out", str(out), "--device", "cpu"]) == 2
    assert "was not written" in capsys.readouterr().err and out.read_bytes() == earlier
    # interrupted after the first case: the earlier file stays, the lines so far are kept as .partial and said so
    original = Ranker.analyse_batch
    calls = []

    def interrupted(self, batch, **kw):
        calls.append(1)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return original(self, batch, **kw)

    monkeypatch.setattr(Ranker, "analyse_batch", interrupted)
    assert run_cli(["batch", *map(str, cases), "--out", str(out), "--device", "cpu", "--batch-size", "1"]) == 130
    err = capsys.readouterr().err
    partial = tmp_path / "results.jsonl.partial"
    assert out.read_bytes() == earlier and len(partial.read_text().splitlines()) == 1
    assert f"interrupted: 1 of 3 cases were ranked; their lines are in {partial} (incomplete)" in err
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_report_never_writes_over_its_case_or_a_file_that_is_not_a_report(tmp_path, capsys, engine):
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156", "HP:0001363"])
    notes = tmp_path / "notes.txt"
    notes.write_text("the clinic's notes\n")
    for out in (case, notes):
        before = out.read_bytes()
        assert run_cli(["report", str(case), "--out", str(out), "--device", "cpu"]) == 2
        assert out.read_bytes() == before
    pdf = tmp_path / "c.pdf"
    for _ in range(2):  # an earlier report of the case is replaced
        assert run_cli(["report", str(case), "--out", str(pdf), "--device", "cpu"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_window_without_a_display_is_one_error_line():
    from raretrace.cli.gui_cmds import no_display_reason

    assert "no display" in no_display_reason({}, "linux")
    assert no_display_reason({"DISPLAY": ":0"}, "linux") == ""
    assert no_display_reason({"WAYLAND_DISPLAY": "wayland-0"}, "linux") == ""
    assert no_display_reason({"QT_QPA_PLATFORM": "offscreen"}, "linux") == ""
    assert no_display_reason({}, "win32") == "" and no_display_reason({}, "darwin") == ""
    proc = subprocess.run([sys.executable, "-m", "raretrace", "gui"], capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items()
                               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")})
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "no display" in proc.stderr, proc.stderr
