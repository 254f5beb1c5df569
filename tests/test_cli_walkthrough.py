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


def _packet(path: Path, case_id: str, term: str = "HP:0001250") -> Path:
    path.write_text(json.dumps({"id": case_id, "subject": {"id": "P"},
                                "phenotypicFeatures": [{"type": {"id": term}}]}), encoding="utf-8")
    return path


def test_case_import_of_several_files_some_skipped_exits_0_as_batch_does(tmp_path, capsys, monkeypatch):
    # batch and extract --jsonl exit 0 with counted warnings when some inputs fail, 2 only when all do (CLI.md:
    # partial problems are warnings with counts); case import exited 2 as soon as one of several files was skipped
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    store = tmp_path / "cases.sqlite"
    edited = _packet(tmp_path / "edited.json", "case-e")
    assert run_cli(["case", "--store", str(store), "import", str(edited)]) == 0
    _packet(edited, "case-e", "HP:0004322")  # the file now differs from its stored case: refused without --replace
    (tmp_path / "bad.json").write_text("{bad", encoding="utf-8")
    good = _packet(tmp_path / "good.json", "case-g")
    capsys.readouterr()
    status = run_cli(["case", "--store", str(store), "import", str(good), str(tmp_path / "bad.json"), str(edited)])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert out.startswith("imported   case-g") and "error:" not in err, err
    skipped = [line for line in err.splitlines() if line.startswith("warning: skipped")]
    assert len(skipped) == 2 and "bad.json" in skipped[0] and "edited.json" in skipped[1], err
    assert "warning: 2 of 3 files skipped (see the warnings above); 1 differs from its stored case: use --replace" \
        in err, err
    assert "1 imported, 0 updated, 0 unchanged, 2 skipped" in err.splitlines()[-1], err
    # none imported: bad input's status and one error line, after the warning of each file
    status = run_cli(["case", "--store", str(store), "import", str(tmp_path / "bad.json"), str(edited)])
    out, err = capsys.readouterr()
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert status == 2 and out == "", err
    assert errors == ["error: none of the 2 files could be imported (see the warnings above); 1 differs from its "
                      "stored case: use --replace to replace it"], err
    assert err.splitlines()[-1] == errors[0] and err.count("warning: skipped") == 2, err


def test_batch_names_a_published_patient_once_in_its_warning(tmp_path, capsys, engine):
    # "warning: X: X is a published patient of the case library ...": the case ID said twice
    item = engine.ranker.library[0]
    path = tmp_path / "published.json"
    path.write_text(json.dumps({"id": item.case_id, "phenotypicFeatures": [{"type": {"id": t}} for t in item.present]}),
                    encoding="utf-8")
    assert run_cli(["batch", str(path), "--out", str(tmp_path / "o.jsonl"), "--device", "cpu"]) == 0
    err = capsys.readouterr().err
    said = [line for line in err.splitlines() if "is a published patient" in line]
    assert said and said[0].startswith(f"warning: {item.case_id} is a published patient"), err
    assert f"{item.case_id}: {item.case_id}" not in err, err
    line = json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))  # the line's own warning is unchanged
    assert any(w.startswith(f"{item.case_id} is a published patient") for w in line["warnings"]), line


def test_case_reanalyse_all_json_counts_the_cases_not_re_analysed(tmp_path, capsys, engine):
    # the text summary counts them ("1 not re-analysed"); with --json only the warning of each case was said, and no
    # count, where batch and extract --jsonl end with one
    from dataclasses import replace

    from raretrace.case import CaseFile, case_from_terms
    from raretrace.store import CaseStore

    store = tmp_path / "cases.sqlite"
    gone = replace(case_from_terms("vcf-gone", ["HP:0001250"]),
                   files=(CaseFile(path=str(tmp_path / "moved.vcf.gz"), assembly="GRCh37"),))
    with CaseStore(store) as s:
        for case in (gone, case_from_terms("short", ["HP:0004322"])):
            s.save_case(case)
    assert run_cli(["case", "--store", str(store), "reanalyse", "--all", "--json", "--no-save",
                    "--device", "cpu"]) == 0
    out, err = capsys.readouterr()
    assert [x["id"] for x in json.loads(out) if "error" not in x] == ["short"], out
    assert "warning: case vcf-gone not re-analysed" in err, err
    assert "warning: 1 of 2 stored cases not re-analysed (see the warnings above)" in err, err
