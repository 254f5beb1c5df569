"""What the command line's text output says of a count: a noun agrees with its number ('1 record', '2 records')."""

from __future__ import annotations

import json
from pathlib import Path

from cli_run import run_cli
from vcf_fixtures import record, vcf_text, write_plain


def one_of_each(folder: Path) -> Path:
    """A case of one present and one excluded feature."""
    path = folder / "one.json"
    path.write_text(json.dumps({"id": "one", "subject": {"id": "s"}, "phenotypicFeatures": [
        {"type": {"id": "HP:0001250"}}, {"type": {"id": "HP:0004322"}, "excluded": True}]}))
    return path


def test_analyze_of_one_feature_each_and_a_one_record_vcf_says_them_in_the_singular(tmp_path, capsys, engine):
    # it said "1 present, 1 excluded features" and "1 records, 1 variant alleles kept"
    vcf = write_plain(tmp_path / "one.vcf", vcf_text([record("12", 49420000, "C", "T")]))
    assert run_cli(["analyze", str(one_of_each(tmp_path)), "--vcf", str(vcf), "--assembly", "GRCh37",
                    "--top", "1", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "Case one: 1 present, 1 excluded feature; " in out, out
    assert ", 1 record, 1 variant allele kept)" in out, out


def test_batch_of_one_case_says_1_case_ranked(tmp_path, capsys, engine):
    assert run_cli(["batch", str(one_of_each(tmp_path)), "--out", str(tmp_path / "o.jsonl"), "--device", "cpu"]) == 0
    assert "1 case ranked on cpu" in capsys.readouterr().err


def test_case_import_of_one_case_counts_in_the_singular(tmp_path, capsys, engine):
    # "imported   one (1 present, 1 excluded, 0 files)" and "... 0 skipped, 0 warnings" read right; "1 files" did not
    case = one_of_each(tmp_path)
    data = json.loads(case.read_text())
    vcf = write_plain(tmp_path / "one.vcf", vcf_text([record("12", 49420000, "C", "T")]))
    data["files"] = [{"uri": vcf.as_uri(), "fileAttributes": {"genomeAssembly": "GRCh37", "fileFormat": "VCF"}}]
    case.write_text(json.dumps(data))
    assert run_cli(["case", "--store", str(tmp_path / "cases.sqlite"), "import", str(case)]) == 0
    out, err = capsys.readouterr()
    assert "imported   one (1 present, 1 excluded, 1 file)" in out, out
    assert "1 imported, 0 updated, 0 unchanged, 0 skipped, 0 warnings" in err, err


def test_a_batch_s_warnings_beyond_those_shown_are_counted_in_the_singular_for_one(capsys):
    from raretrace.cli.analysis_cmds import CaseWarnings

    # 21 warnings of one case said "1 more warnings not shown (21 warnings on 1 cases in all)"
    warnings = CaseWarnings(shared=None)
    warnings.add("c1", tuple(f"warning {k}" for k in range(CaseWarnings.MAX_SHOWN + 1)))
    warnings.report()
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == f"warning: 1 more warning not shown ({CaseWarnings.MAX_SHOWN + 1} warnings on 1 case in all)"


def test_counts_are_worded_by_one_function_for_the_command_line_and_the_window():
    # The window wrote its plurals by hand beside the command line's `counted`, and without the thousands' comma
    from raretrace.words import counted

    assert [counted(n, "case") for n in (0, 1, 2, 1204)] == ["0 cases", "1 case", "2 cases", "1,204 cases"]
    assert counted(3, "variant allele") == "3 variant alleles" and counted(2, "analysis", "analyses") == "2 analyses"
