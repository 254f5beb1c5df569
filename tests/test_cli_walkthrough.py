"""Defects found walking through the command line as a clinician and a maintainer would (bad input included)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import run_cli

SOLVED = {
    "id": "case-s",
    "subject": {"id": "P7", "sex": "FEMALE"},
    "phenotypicFeatures": [{"type": {"id": "HP:0001250", "label": "Seizure"}}],
    "interpretations": [{"id": "i1", "progressStatus": "SOLVED",
                         "diagnosis": {"disease": {"id": "OMIM:101600", "label": "Pfeiffer syndrome"}}}],
    "diseases": [{"term": {"id": "OMIM:101600", "label": "Pfeiffer syndrome"}}],
}


def test_case_export_never_replaces_the_imported_file_that_holds_the_diagnosis(tmp_path, capsys, monkeypatch):
    # `case import` keeps no interpretations or diseases (and says "keep the file for them"), but `case export ID
    # --out` over that very file (same case ID) replaced it: the solved case's diagnosis was gone for good
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    source, store = tmp_path / "case-s.json", tmp_path / "cases.sqlite"
    source.write_text(json.dumps(SOLVED), encoding="utf-8")
    before = source.read_bytes()
    assert run_cli(["case", "--store", str(store), "import", str(source)]) == 0
    capsys.readouterr()
    for anonymise in ([], ["--anonymise"]):
        status = run_cli(["case", "--store", str(store), "export", "case-s", "--out", str(source), *anonymise])
        _, err = capsys.readouterr()
        assert status == 2, err
        assert err.count("\n") == 1 and err.startswith("error: ") and "interpretations" in err, err
        assert source.read_bytes() == before
    # the case's own earlier export (no diagnosis in it) is still replaced, as before
    export = tmp_path / "export.json"
    for _ in range(2):
        assert run_cli(["case", "--store", str(store), "export", "case-s", "--out", str(export)]) == 0
    assert json.loads(export.read_text(encoding="utf-8"))["id"] == "case-s"
    assert "interpretations" not in json.loads(Path(export).read_text(encoding="utf-8"))


def test_case_export_over_a_batch_results_file_says_what_the_file_is(tmp_path, capsys, monkeypatch):
    # refused, rightly, but said as "holds a phenopacket without an ID": a JSON-lines results file is no phenopacket
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    source, store, results = tmp_path / "case-s.json", tmp_path / "cases.sqlite", tmp_path / "results.jsonl"
    source.write_text(json.dumps(SOLVED), encoding="utf-8")
    results.write_text('{"id": "a", "diseases": []}\n{"id": "b", "diseases": []}\n', encoding="utf-8")
    assert run_cli(["case", "--store", str(store), "import", str(source)]) == 0
    capsys.readouterr()
    status = run_cli(["case", "--store", str(store), "export", "case-s", "--out", str(results)])
    _, err = capsys.readouterr()
    assert status == 2 and err.count("\n") == 1 and err.startswith("error: "), err
    assert "phenopacket without an ID" not in err and "not a phenopacket" in err, err


def test_a_filter_given_without_a_vcf_is_said_to_be_ignored_as_assembly_and_sample_are(tmp_path, capsys, engine):
    # `analyze CASE --filter any` without a VCF ran silently, as if the records were read with it
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"id": "c", "subject": {"id": "P"},
                                "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}]}), encoding="utf-8")
    status = run_cli(["analyze", str(case), "--filter", "any", "--top", "1", "--device", "cpu"])
    _, err = capsys.readouterr()
    assert status == 0, err
    assert "warning: --filter ignored: no VCF was given" in err, err
    for default in ([], ["--filter", "PASS,."], ["--filter", ".,PASS"]):  # the default filter: nothing to say
        status = run_cli(["analyze", str(case), "--top", "1", "--device", "cpu", *default])
        _, err = capsys.readouterr()
        assert status == 0 and "--filter" not in err, (default, err)
