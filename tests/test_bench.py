"""`raretrace bench`: a small selection runs, prints its table and saves JSON with the machine; saved runs and
model versions compare; bad requests are one-line errors. (Figures are not asserted: speed belongs to the
benchmark itself, not to the tests.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from raretrace.cli import main
from raretrace.paths import models_dir


@pytest.fixture(scope="module")
def quick_run(kb_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "run.json"
    assert main(["--kb", str(kb_path), "bench", "search", "accuracy", "--quick", "--cases", "8", "--json", str(out)]) == 0
    return out


def test_bench_selection_writes_json_with_machine_info(quick_run: Path, capsys: pytest.CaptureFixture) -> None:
    data = json.loads(quick_run.read_text(encoding="utf-8"))
    assert set(data["sections"]) == {"search", "accuracy"}
    for key in ("cpu", "logical_cores", "os", "python", "onnxruntime", "onnxruntime_providers", "gpu"):
        assert key in data["machine"]
    assert isinstance(data["kb"]["case_library_cases"], int)  # a number, as `kb info --json` gives it
    search = data["sections"]["search"]
    assert "error" not in search and search["words"] == len(search["ms_per_word"]) == 20
    accuracy = data["sections"]["accuracy"]
    assert "error" not in accuracy
    assert accuracy["cases"] == 8 and accuracy["disease"]["n"] == 8
    assert 0.0 <= accuracy["disease"]["recall@1"] <= accuracy["disease"]["recall@10"] <= 1.0
    # split by whether the diagnosis's HPO annotations cite the case's own publication: the two parts are the cases
    split = accuracy["publication_cited_by_hpo"]
    assert split["cited"]["disease"]["n"] == split["cases"]
    assert split["cited"]["disease"]["n"] + split["not_cited"]["disease"]["n"] == 8
    # and ranked again with the held-out publications out of HPO's annotations too
    assert accuracy["annotations_held_out"]["disease"]["n"] == 8


def test_bench_prints_a_table(kb_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--kb", str(kb_path), "bench", "search", "--quick"]) == 0
    out = capsys.readouterr().out
    assert "clinical words" in out and "machine:" in out


def test_bench_prints_markdown_for_the_readme(kb_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--kb", str(kb_path), "bench", "search", "--quick", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "| area | figure | measured | target |" in out and "| search | 20 clinical words" in out


def test_two_saved_runs_compare(quick_run: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["bench", "--compare", str(quick_run), str(quick_run)]) == 0
    out = capsys.readouterr().out
    assert "search.ms_median" in out and "accuracy.disease.recall@1" in out
    assert "same machine description" in out
    # in Markdown for a card or an issue note; a model comparison has no Markdown form and says so
    assert main(["bench", "--compare", str(quick_run), str(quick_run), "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "| figure | old | new | change |" in out and "| search.ms_median |" in out
    assert main(["bench", "models", "--compare", str(quick_run), str(quick_run), "--markdown"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: --markdown applies to")


def test_a_comparison_is_written_as_json_when_asked(quick_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "compare.json"
    for _ in range(2):  # the second time over the first comparison: an earlier bench output is replaced
        assert main(["bench", "--compare", str(quick_run), str(quick_run), "--json", str(out)]) == 0
        printed = capsys.readouterr().out
        assert "same machine description" in printed and f"comparison written to {out}" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["results_compare"]["old"]["path"] == data["results_compare"]["new"]["path"] == str(quick_run)
    figures = {f["figure"]: f for f in data["figures"]}
    assert figures["search.ms_median"]["change_percent"] in (0.0, None)
    assert figures["accuracy.disease.recall@1"]["old"] == figures["accuracy.disease.recall@1"]["new"]
    assert data["machines_differ"] == {} and data["models_differ"] is None
    # `--json -`: the JSON alone on stdout, the table on stderr, as `bench --json -`
    assert main(["bench", "--compare", str(quick_run), str(quick_run), "--json", "-"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["figures"] == data["figures"] and "same machine description" in captured.err
    # a comparison is no run: comparing it is refused
    assert main(["bench", "--compare", str(out), str(quick_run)]) == 2
    assert "not a result of `raretrace bench --json`" in capsys.readouterr().err


@pytest.mark.parametrize("target", ["the old run", "a phenopacket"])
def test_a_comparison_never_writes_over_its_runs_or_a_file_that_is_not_a_bench_result(
    target: str, quick_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    old = tmp_path / "old.json"
    old.write_bytes(quick_run.read_bytes())
    out = old if target == "the old run" else tmp_path / "case.json"
    if target == "a phenopacket":
        out.write_text(json.dumps({"id": "a phenopacket"}), encoding="utf-8")
    before = out.read_bytes()
    assert main(["bench", "--compare", str(old), str(quick_run), "--json", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and str(out) in err[0]
    assert out.read_bytes() == before


def test_same_model_twice_shows_no_gains_or_losses(kb_path: Path, capsys: pytest.CaptureFixture) -> None:
    model = next(models_dir().glob("*.onnx"))
    assert main(["--kb", str(kb_path), "bench", "models", "--compare", str(model), str(model), "--cases", "8"]) == 0
    out = capsys.readouterr().out
    assert "0 diagnoses gained, 0 lost" in out


def test_a_model_comparison_to_stdout_writes_no_file_named_dash(
    kb_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = next(models_dir().glob("*.onnx"))
    monkeypatch.chdir(tmp_path)
    argv = ["--kb", str(kb_path), "bench", "models", "--compare", str(model), str(model), "--cases", "8", "--json", "-"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["models_compare"]["diseases_lost"] == 0
    assert "0 diagnoses gained, 0 lost" in captured.err and not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["bench", "nosuchsection", "--quick"],
        ["bench", "--compare", "missing-old.json", "missing-new.json"],
        ["bench", "models", "--compare", "missing-old.onnx", "missing-new.onnx"],
        ["bench", "models"],
    ],
)
def test_bad_bench_requests_are_one_line_errors(kb_path: Path, argv: list[str], capsys: pytest.CaptureFixture) -> None:
    assert main(["--kb", str(kb_path), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")


def test_a_file_that_is_not_a_bench_result_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"id": "a phenopacket"}), encoding="utf-8")
    assert main(["bench", "--compare", str(other), str(other)]) == 2
    assert "not a result of `raretrace bench --json`" in capsys.readouterr().err


def test_bench_json_never_writes_over_a_file_that_is_not_a_bench_result(
    quick_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from raretrace.cli.common import replaceable_output

    packet = tmp_path / "case.json"
    packet.write_text(json.dumps({"id": "a phenopacket"}), encoding="utf-8")
    before = packet.read_bytes()
    assert main(["bench", "search", "--quick", "--json", str(packet)]) == 2  # refused before any benchmark runs
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and str(packet) in err[0]
    assert packet.read_bytes() == before
    assert replaceable_output(quick_run, "benchmark result (JSON)") == quick_run  # an earlier run is replaced


def test_a_case_naming_no_causal_gene_is_left_out_of_the_gene_figures(engine) -> None:
    from raretrace.bench.accuracy import Truth
    from raretrace.bench.runner import _summary, evaluate_ranker
    from raretrace.case import Case, Phenotype

    case = Case(id="c1", phenotypes=[Phenotype("HP:0001363"), Phenotype("HP:0011304"), Phenotype("HP:0010055")])
    with_gene = (case, Truth("OMIM:101600", ("FGFR2",)))  # Pfeiffer syndrome
    deletion = (case, Truth("OMIM:101600", ()))
    ranks = evaluate_ranker(engine.ranker, [with_gene, deletion])
    assert len(ranks["gene"]) == 2 and ranks["gene"][0] >= 1
    gene = _summary(ranks["gene"])
    assert gene["n"] == 1 and gene["mrr"] == round(1 / ranks["gene"][0], 4)
    assert _summary(ranks["disease"])["n"] == 2


def test_text_bench_scores_the_bundled_clinical_notes_without_shared_data(kb_path: Path, tmp_path: Path) -> None:
    from raretrace.bench import runner

    ctx = runner.BenchContext(kb_path=kb_path, gold=tmp_path / "missing_gold.tsv")
    out = runner.bench_text(ctx)
    assert "skipped" in out["gsc"]
    bundled = runner.CLINICAL_NOTES.read_text(encoding="utf-8").splitlines()
    assert out["clinical_notes"]["notes"] == sum(1 for line in bundled if line.strip())
    rows = runner.headline("text", out)
    assert rows[0][1].startswith("skipped") and any(r[0].startswith("clinical notes (check)") for r in rows)


def test_notes_to_diagnosis_ranks_each_note_from_its_extracted_and_its_gold_findings(engine, tmp_path: Path) -> None:
    import json

    from raretrace.bench.text import notes_to_diagnosis

    case_id, disease = engine.db.execute(
        "SELECT case_id, disease_id FROM library_cases WHERE disease_id = 'OMIM:147920' LIMIT 1").fetchone()
    # a Kabuki syndrome 1 patient's features in words; the other note's findings are all negated (nothing to rank on)
    notes = [{"id": case_id, "set": "x", "text": "He has long palpebral fissures with eversion of the lateral third of "
              "the lower eyelids, arched eyebrows, large prominent ears, persistent fetal fingertip pads, "
              "intellectual disability and short stature.",
              "present": ["HP:0000637", "HP:0007651", "HP:0002553", "HP:0000411", "HP:0001212", "HP:0001249",
                          "HP:0004322"], "excluded": []},
             {"id": "not-a-library-case", "set": "x", "text": "No seizures.", "present": ["HP:0001250"], "excluded": []}]
    path = tmp_path / "notes.jsonl"
    path.write_text("\n".join(json.dumps(n) for n in notes), encoding="utf-8")
    out = notes_to_diagnosis(engine, path)
    assert out["notes"] == 1 and disease == "OMIM:147920"  # a note whose case the library lacks is not scored
    for reading in ("gold", "extracted"):
        assert out["all"][reading]["recall@10"] == 1.0, reading


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads Linux's /proc")
def test_the_genomes_peak_memory_is_its_own_process_not_the_bench_that_started_it(kb_path: Path,
                                                                                  tmp_path: Path) -> None:
    # Linux carries ru_maxrss across exec, so the fresh process's "peak" counted the `raretrace bench` that forked
    # it, holding the KB and models of the sections run before: 592 MB inside a full bench, 199 MB alone
    from raretrace.bench.genomics import genome_speed

    ballast = bytearray(400 * 1024 * 1024)  # the forking process grows 400 MB (pages touched: resident)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    result = genome_speed(kb_path, tmp_path / "small.vcf.gz", records=2_000)
    del ballast
    assert "error" not in result and result["peak_rss_mb"] < 400, result


def test_the_summary_table_keeps_the_zeros_of_a_whole_number() -> None:
    from raretrace.bench.runner import headline

    # a genome's peak of 199.6 MB rounds to 200 MB, which the table once printed as "2 MB"
    rows = headline("genome", {"seconds": 19.7, "peak_rss_mb": 199.6, "records": 3_997_415, "limit_seconds": 60,
                               "limit_rss_mb": 2048})
    assert "19.7 s, 200 MB" in rows[0][1]
    rows = headline("genome", {"seconds": 20.0, "peak_rss_mb": 310.0, "records": 10, "limit_seconds": 60,
                               "limit_rss_mb": 2048})
    assert rows[0][1].startswith("20 s, 310 MB")
