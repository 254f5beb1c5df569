"""The machine-readable outputs as integrators (a LIMS, pipeline scripts) read them: shapes, types, strict JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_run import run_cli


def strict(text: str) -> object:
    """json.loads that refuses NaN and Infinity, as JavaScript, Go and most LIMS parsers do."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def packet(folder: Path, name: str, terms: list[str], case_id: str | None = None) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"id": case_id or name, "subject": {"id": "s"},
                                "phenotypicFeatures": [{"type": {"id": t}} for t in terms]}))  # fmt: skip
    return path


def test_each_batch_line_says_its_file_and_its_own_warnings(tmp_path, capsys, engine):
    # The lines are keyed by the phenopacket id, which may repeat, and a skipped file writes none: a pipeline could
    # not tell which file a line came from. A case's warnings (unknown HPO IDs) were on stderr only, and after the
    # first 20 only counted, so most were lost to a pipeline of hundreds of cases; analyze --json has them.
    first = packet(tmp_path, "a", ["HP:0001156", "HP:9999999"], case_id="dup")
    skipped = packet(tmp_path, "b", ["HP:9999999"])
    second = packet(tmp_path, "c", ["HP:0001363"], case_id="dup")
    out = tmp_path / "out.jsonl"
    assert run_cli(["batch", str(first), str(skipped), str(second), "--out", str(out), "--device", "cpu"]) == 0
    lines = [strict(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(line["id"], line["file"]) for line in lines] == [("dup", str(first)), ("dup", str(second))]
    assert any("HP:9999999" in w for w in lines[0]["warnings"])
    assert not any("HP:9999999" in w for w in lines[1]["warnings"])
    assert run_cli(["analyze", str(first), "--json", "--device", "cpu"]) == 0  # the same warnings as analyze --json
    assert strict(capsys.readouterr().out)["warnings"] == lines[0]["warnings"]


def test_a_batch_line_of_a_file_whose_name_is_not_utf8_is_still_written(tmp_path, engine):
    try:
        odd = packet(tmp_path, "caf\udce9", ["HP:0001156"], case_id="odd")  # the bytes caf\xe9 of a Latin-1 file name
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system takes UTF-8 file names only")
    out = tmp_path / "out.jsonl"
    assert run_cli(["batch", str(odd), "--out", str(out), "--device", "cpu"]) == 0
    (line,) = out.read_bytes().decode("utf-8").splitlines()
    assert strict(line)["file"] == str(odd)


# --------------------------------------------------------------------------- the shapes documented in docs/JSON.md

DOC = Path(__file__).resolve().parents[1] / "docs" / "JSON.md"
TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,), "array": (list,),
         "object": (dict,)}  # fmt: skip
DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo" / "demo_case.json"


def documented() -> dict[str, dict[str, str]]:
    """Each `### name` section's table of docs/JSON.md: key -> its type as written ("string or null, optional")."""
    tables: dict[str, dict[str, str]] = {}
    section = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            section = tables.setdefault(line[4:].strip(), {})
        elif section is not None and line.startswith("| `"):
            key, kind = (cell.strip() for cell in line.strip("|").split("|")[:2])
            section[key.strip("`")] = kind
    return tables


def check(value: object, section: str, tables: dict[str, dict[str, str]]) -> None:
    """`value` has the keys the section documents (optional ones may be missing) and no others, each of its type."""
    table = tables[section]
    assert isinstance(value, dict), f"{section}: {value!r}"
    required = {k for k, kind in table.items() if "optional" not in kind}
    assert required <= value.keys() <= table.keys(), (section, sorted(value.keys() ^ table.keys()))
    for key, item in value.items():
        kind = table[key].replace(", optional", "")
        if item is None:
            assert kind.endswith(" or null"), f"{section}.{key} is null, documented {kind!r}"
            continue
        expected = TYPES[kind.removesuffix(" or null")]
        ok = isinstance(item, expected) and (bool not in (type(item),) or expected == (bool,))
        assert ok, f"{section}.{key} = {item!r}, documented {kind!r}"


def test_the_documented_sections_are_all_checked():
    assert set(documented()) == {"analyze", "hypothesis", "feature match", "conflict", "negated feature",
                                 "suggested feature", "similar case", "variant", "vcf", "batch line",
                                 "search hit", "extracted term", "extract line", "case summary", "case show",
                                 "case reanalyse", "case reanalyse --all"}  # fmt: skip


def test_analyze_json_is_strict_json_of_the_documented_shape(tmp_path, capsys, engine):
    tables = documented()
    vcf = DEMO.with_name("demo_exome.vcf.gz")
    assert run_cli(["analyze", str(DEMO), "--json", "--device", "cpu", "--vcf", str(vcf)]) == 0
    out = strict(capsys.readouterr().out)
    check(out, "analyze", tables)
    check(out["vcf"], "vcf", tables)
    hypotheses = out["diseases"] + out["genes"]
    assert [h["rank"] for h in out["diseases"]] == list(range(1, len(out["diseases"]) + 1))
    assert [h["score"] for h in out["diseases"]] == sorted((h["score"] for h in out["diseases"]), reverse=True)
    for h in hypotheses:
        check(h, "hypothesis", tables)
        assert ("symbol" in h) == (h["kind"] == "gene")
        for match in h["matched"] + h["unexplained"]:
            check(match, "feature match", tables)
        for variant in h["variants"]:
            check(variant, "variant", tables)
        for part, section in (("conflicts", "conflict"), ("negated", "negated feature"),
                              ("suggested", "suggested feature"), ("similar_cases", "similar case")):
            for item in h[part]:
                check(item, section, tables)
    assert any(h["variants"] for h in out["genes"]) and any(h["matched"] for h in out["diseases"])
    assert all(any(h[part] for h in hypotheses) for part in ("conflicts", "suggested", "similar_cases"))
    assert all(h["id"].split(":")[0] in ("OMIM", "ORPHA", "DECIPHER") for h in out["diseases"])
    assert all(f["id"].startswith("HP:") for f in out["present"] + out["excluded"])


def test_a_negated_feature_is_of_the_documented_shape():
    # the demo case has none: the conflicts, negated and suggested features, and the similar cases, were written
    # to the JSON with keys nowhere documented
    from raretrace.evidence import Hypothesis, NegatedConflict

    negated = NegatedConflict("HP:0001250", "Seizure", "HP:0001250", "Seizure", "NOT annotation", ("OMIM:1",), (7,))
    h = Hypothesis(kind="disease", id="OMIM:1", label="A disease", rank=1, score=0.5, negated=(negated,))
    (item,) = strict(json.dumps(h.to_json()))["negated"]
    check(item, "negated feature", documented())


def test_batch_lines_are_single_line_strict_json_of_the_documented_shape(tmp_path, engine):
    tables = documented()
    out = tmp_path / "out.jsonl"
    cases = [packet(tmp_path, name, terms) for name, terms in (("a", ["HP:0001156"]), ("b", ["HP:0004322"]))]
    assert run_cli(["batch", *map(str, cases), "--out", str(out), "--device", "cpu", "--top", "3"]) == 0
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines.pop() == "" and len(lines) == 2
    for line in lines:
        value = strict(line)
        check(value, "batch line", tables)
        assert all(set(d) == {"id", "label", "score"} for d in value["diseases"])
        assert all(set(g) == {"symbol", "score"} for g in value["genes"])
        assert len(value["diseases"]) == len(value["genes"]) == 3


def test_search_and_extract_json_are_of_the_documented_shape(tmp_path, capsys, engine):
    tables = documented()
    assert run_cli(["terms", "search", "HP:0001388", "--json"]) == 0  # obsolete: read with a notice
    hits = strict(capsys.readouterr().out)
    assert run_cli(["terms", "search", "short stature", "--json", "--limit", "3"]) == 0
    hits += strict(capsys.readouterr().out)
    assert any("notice" in h for h in hits)
    for hit in hits:
        check(hit, "search hit", tables)
    note = tmp_path / "note.txt"
    note.write_text("Café-au-lait spots, no seizures; his mother has scoliosis. Autosomal dominant. Ataxia from 2 "
                    "years.", encoding="utf-8")
    assert run_cli(["extract", str(note), "--json", "--inheritance-onset"]) == 0
    terms = strict(capsys.readouterr().out)
    assert {t.get("category") for t in terms} >= {None, "inheritance"}
    assert {t.get("onset") for t in terms} == {None, "P2Y"}
    for term in terms:
        check(term, "extracted term", tables)
        assert note.read_text(encoding="utf-8")[term["start"]:term["end"]] == term["text"]
    assert run_cli(["extract", "--jsonl", str(note), str(tmp_path / "missing.txt")]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines.pop() == "" and len(lines) == 2
    for line in lines:
        check(strict(line), "extract line", tables)
    assert "error" in strict(lines[1]) and strict(lines[1])["terms"] == []


def test_case_store_json_is_of_the_documented_shape(tmp_path, capsys, engine):
    tables = documented()
    store = tmp_path / "cases.sqlite"
    case = packet(tmp_path, "stored", ["HP:0001156", "HP:0004322"])
    assert run_cli(["case", "--store", str(store), "import", str(case)]) == 0
    capsys.readouterr()  # the import's own lines
    for _ in range(2):  # the second compares with the first
        assert run_cli(["case", "--store", str(store), "reanalyse", "stored", "--json", "--device", "cpu"]) == 0
        reanalysis = strict(capsys.readouterr().out)
        check(reanalysis, "case reanalyse", tables)
    assert reanalysis["previous_analysis_id"] is not None
    assert run_cli(["case", "--store", str(store), "reanalyse", "--all", "--json", "--device", "cpu"]) == 0
    (every,) = strict(capsys.readouterr().out)
    check(every, "case reanalyse --all", tables)
    assert run_cli(["case", "--store", str(store), "list", "--json"]) == 0
    (summary,) = strict(capsys.readouterr().out)
    check(summary, "case summary", tables)
    assert run_cli(["case", "--store", str(store), "show", "stored", "--json"]) == 0
    check(strict(capsys.readouterr().out), "case show", tables)


def test_kb_info_json_warns_of_an_old_hpo_release_as_the_text_does(capsys, engine):
    # The warning went to stderr in text mode only: `kb info --json` said nothing of a release analyses warn about.
    assert run_cli(["kb", "info"]) == 0
    text_warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert run_cli(["kb", "info", "--json"]) == 0
    captured = capsys.readouterr()
    assert [line for line in captured.err.splitlines() if line.startswith("warning:")] == text_warnings
    assert strict(captured.out)["hpo_release"]


def documented_meaning(section: str, key: str) -> str:
    """The `meaning` cell of `key` in the `### section` table of docs/JSON.md."""
    inside = False
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            inside = line[4:].strip() == section
        elif inside and line.startswith(f"| `{key}` |"):
            return line.strip("|").split("|")[2]
    raise AssertionError(f"{section}.{key} is not documented")


def test_the_consequences_json_md_names_are_ones_a_variant_can_have():
    # JSON.md named `splice_site`, a value no variant ever has (the gene model says splice_donor_site or
    # splice_acceptor_site, VEP splice_donor_variant): a LIMS filtering on it would silently drop splice variants.
    from raretrace.genomics import interpret
    from raretrace.genomics.annotation import CONSEQUENCE_ORDER
    from raretrace.genomics.gene_model import DOWNSTREAM, EXONIC

    told = {interpret.region_label(region, donor, vclass, cds)
            for region in range(EXONIC, DOWNSTREAM + 1) for donor in (False, True)
            for vclass in range(len(interpret.CLASS_NAMES)) for cds in (interpret.NO_CDS, *interpret.CDS_LABELS)}
    possible = told | set(CONSEQUENCE_ORDER) | {"annotated"}  # a VEP/SnpEff entry without a consequence
    named = set(re.findall(r"`([^`]+)`", documented_meaning("variant", "consequence")))
    assert named and named <= possible, sorted(named - possible)
    # both vocabularies are shown: the file's Sequence Ontology terms and what the bundled gene model tells
    assert named & set(CONSEQUENCE_ORDER) and named & (told - set(CONSEQUENCE_ORDER))


def test_a_phenopacket_without_an_id_is_named_as_json_md_says(tmp_path, capsys, engine):
    # JSON.md said such a case's `id` is "the file name"; it is the name less its extension (p1 for p1.json), and a
    # pipeline matching lines to files by the documented rule found none.
    path = tmp_path / "p1.json"
    path.write_text(json.dumps({"subject": {"id": "s"}, "phenotypicFeatures": [{"type": {"id": "HP:0001156"}}]}))
    assert run_cli(["analyze", str(path), "--json", "--device", "cpu", "--top", "1"]) == 0
    assert strict(capsys.readouterr().out)["id"] == "p1"
    out = tmp_path / "out.jsonl"
    assert run_cli(["batch", str(path), "--out", str(out), "--device", "cpu", "--top", "1"]) == 0
    assert strict(out.read_text(encoding="utf-8"))["id"] == "p1"
    for section in ("analyze", "batch line"):
        assert "`p1` for `p1.json`" in documented_meaning(section, "id"), section


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_json_on_a_stdout_of_another_encoding_is_still_utf8(tmp_path, engine, monkeypatch, encoding):
    # JSON.md: "Strict JSON in UTF-8". Under a Latin-1 locale, or Windows' cp1252 for a pipe (`raretrace analyze
    # --json > out.json`), "é" was written as the byte 0xE9, which a UTF-8 reader (a LIMS, json.load) refuses.
    import os
    import subprocess
    import sys

    monkeypatch.setenv("PYTHONIOENCODING", encoding)
    note = tmp_path / "note.txt"
    note.write_text("Café-au-lait spots.", encoding="utf-8")
    for args in (["--json"], ["--jsonl"]):
        proc = subprocess.run([sys.executable, "-m", "raretrace", "extract", *args, str(note)], capture_output=True,
                              env=dict(os.environ), timeout=300)  # fmt: skip
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")
        value = strict(proc.stdout.decode("utf-8"))
        terms = value if isinstance(value, list) else value["terms"]
        assert [t["text"] for t in terms] == ["Café-au-lait spots"]


def test_the_acmg_codes_and_strengths_json_md_names_are_those_a_criterion_can_have():
    # JSON.md gave `criteria` as {"code", "strength", ...} only: a LIMS mapping codes and strengths to its own
    # classification could not know that PM6, PP1, BS4 or PVS1 at moderate strength come out at all
    import inspect

    from raretrace.genomics import interpret

    source = inspect.getsource(interpret)
    codes = set(re.findall(r'AcmgCriterion\("([A-Z]+[0-9]+)"', source))
    codes |= {code for code, *_ in interpret._TOLD_CONSERVATION.values()}
    strengths = set(re.findall(r'AcmgCriterion\("[A-Z]+[0-9]+", "([a-z_]+)"', source))
    strengths |= {s for s, *_ in interpret._TOLD_PVS1.values()} | {s for _, s, *_ in interpret._TOLD_CONSERVATION.values()}
    strengths |= {s for table in (interpret.PP3_STRENGTHS, interpret.BP4_STRENGTHS) for levels in table.values()
                  for _, s in levels}  # fmt: skip
    meaning = documented_meaning("variant", "criteria")
    named = set(re.findall(r"`([^`]+)`", meaning))
    assert codes <= named and strengths <= named, sorted((codes | strengths) - named)
    assert named - {'{"code", "strength", "value", "reason"}', "code", "strength"} - codes - strengths == set()


def test_batch_out_dash_writes_the_lines_to_standard_output_not_a_file_named_dash(tmp_path, capsys, engine,
                                                                                   monkeypatch):
    # `--out -` wrote the results (patient data) to a file named "-" in the current folder and said "-> -", with
    # nothing on standard output, where `case export --out -` and `bench --json -` mean standard output
    import tempfile

    work, scratch = tmp_path / "work", tmp_path / "scratch"
    work.mkdir()
    scratch.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    cases = [packet(tmp_path, name, terms) for name, terms in (("a", ["HP:0001156"]), ("b", ["HP:0004322"]))]
    assert run_cli(["batch", *map(str, cases), "--out", "-", "--device", "cpu", "--top", "2"]) == 0
    out, err = capsys.readouterr()
    assert [strict(line)["id"] for line in out.splitlines()] == ["a", "b"]
    assert "-> standard output" in err
    assert list(work.iterdir()) == [] and list(scratch.iterdir()) == []  # no file named "-", no temporary file left


def test_json_md_names_every_onset_class_an_extracted_term_may_carry():
    # JSON.md said an extracted term's onset is an ISO age or Congenital onset only; the note's words give
    # Antenatal, Neonatal, Infantile, Childhood, Juvenile, Pediatric and Adult onset too (text/onset.py)
    from raretrace.text import onset as onset_module

    classes = {v for k, v in vars(onset_module).items() if k.endswith("_ONSET")}
    named = set(re.findall(r"HP:\d{7}", documented_meaning("extracted term", "onset")))
    assert classes and classes <= named, sorted(classes - named)


def test_analyze_json_gives_each_present_feature_the_onset_the_case_records(tmp_path, capsys, engine):
    # the report prints these onsets in its inputs table: the JSON of the same analysis carries them too
    case = {"id": "onsets", "subject": {"id": "p1", "sex": "FEMALE"},
            "phenotypicFeatures": [
                {"type": {"id": "HP:0001250", "label": "Seizure"}, "onset": {"age": {"iso8601duration": "P6M"}}},
                {"type": {"id": "HP:0001252", "label": "Hypotonia"},
                 "onset": {"ontologyClass": {"id": "HP:0003577", "label": "Congenital onset"}}},
                {"type": {"id": "HP:0000252", "label": "Microcephaly"}},
                {"type": {"id": "HP:0000365", "label": "Hearing impairment"}, "excluded": True}],
            "metaData": {"created": "2026-12-07T00:00:00Z", "createdBy": "test", "phenopacketSchemaVersion": "2.0",
                         "resources": []}}  # fmt: skip
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    assert run_cli(["analyze", str(path), "--json", "--device", "cpu", "--top", "1"]) == 0
    out = strict(capsys.readouterr().out)
    onsets = {f["id"]: f.get("onset") for f in out["present"]}
    assert onsets == {"HP:0001250": "P6M", "HP:0001252": "HP:0003577", "HP:0000252": None}
    assert all("onset" not in f for f in out["excluded"])
