"""`raretrace bench` finds the development data where `--data DIR` or RARETRACE_DEV_DATA says (the option first),
names the folder it searched when data is missing, and describes every section in `--help` and `--list`.

Nothing here reads ../shared/data: each test points the bench at a folder of its own."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from raretrace.bench import runner
from raretrace.cli import main

HOW = f"(set --data DIR or {runner.DEV_DATA_ENV})"
DEV_DATA_FILES = (runner.PHENOPACKETS, runner.GSC_GOLD, runner.PFEIFFER)


@pytest.fixture(autouse=True)
def _no_dev_data_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    # a maintainer's own setting must not decide these tests
    monkeypatch.delenv(runner.DEV_DATA_ENV, raising=False)


def with_phenopackets(folder: Path) -> Path:
    """A data folder whose phenopackets-dev.tar.gz holds one small phenopacket (<cohort>/<case>.json, as the dev
    tarball lays them out)."""
    packet = {
        "id": "bench-data-1",
        "subject": {"id": "patient-1", "sex": "FEMALE"},
        "phenotypicFeatures": [{"type": {"id": "HP:0001250", "label": "Seizure"}}],
        "metaData": {
            "created": "2024-01-02T03:04:05Z",
            "createdBy": "test",
            "resources": [{"id": "hp", "name": "human phenotype ontology", "url": "http://purl.obolibrary.org/obo/hp.owl",
                           "version": "2024-04-26", "namespacePrefix": "HP",
                           "iriPrefix": "http://purl.obolibrary.org/obo/HP_"}],  # fmt: skip
            "phenopacketSchemaVersion": "2.0",
        },
    }
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps(packet).encode("utf-8")
    with tarfile.open(folder / runner.PHENOPACKETS, "w:gz") as tar:
        member = tarfile.TarInfo("phenopackets/TEST/bench-data-1.json")
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data))
    return folder


def run_sections(kb_path: Path, argv: list[str], capsys: pytest.CaptureFixture) -> dict:
    assert main(["--kb", str(kb_path), "bench", *argv, "--quick", "--json", "-"]) == 0
    return json.loads(capsys.readouterr().out)["sections"]


def test_data_option_is_read_and_named_when_a_file_is_missing(
    kb_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    data = with_phenopackets(tmp_path / "dev data")
    sections = run_sections(kb_path, ["store", "exome", "--data", str(data)], capsys)
    store = sections["store"]
    assert store["source"] == str(data / runner.PHENOPACKETS) and store["phenopackets"] == 1
    assert store["import_errors"] == 0
    assert store["case_list"]["cases"] == 1 and store["case_list"]["list_ms"] >= 0
    assert sections["exome"]["skipped"] == f"{data / runner.PFEIFFER} not found {HOW}"


def test_every_section_reading_dev_data_names_the_folder_searched(
    kb_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    # derived from SECTIONS, so a new section that declares dev data is checked too
    empty = tmp_path / "empty"
    empty.mkdir()
    needing = {name: s.needs for name, s in runner.SECTIONS.items() if set(s.needs) & set(DEV_DATA_FILES)}
    assert set(needing) == {"text", "exome", "store"}
    sections = run_sections(kb_path, [*needing, "--data", str(empty)], capsys)
    for name, needs in needing.items():
        out = sections[name]["gsc"] if name == "text" else sections[name]  # text still scores the bundled notes
        assert out["skipped"] == f"{empty / needs[0]} not found {HOW}", name
    assert sections["text"]["clinical_notes"]["notes"] > 0  # the bundled notes need no dev data


def test_dev_data_variable_is_read(
    kb_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = with_phenopackets(tmp_path / "from variable")
    monkeypatch.setenv(runner.DEV_DATA_ENV, str(data))
    store = run_sections(kb_path, ["store"], capsys)["store"]
    assert store["source"] == str(data / runner.PHENOPACKETS) and store["phenopackets"] == 1


def test_data_option_wins_over_the_variable(
    kb_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(runner.DEV_DATA_ENV, str(with_phenopackets(tmp_path / "from variable")))
    option = tmp_path / "from option"
    option.mkdir()
    store = run_sections(kb_path, ["store", "--data", str(option)], capsys)["store"]
    assert store["skipped"] == f"{option / runner.PHENOPACKETS} not found {HOW}"


def test_gold_replaces_only_the_gsc_file(tmp_path: Path) -> None:
    gold = tmp_path / "elsewhere" / "gold.tsv"
    ctx = runner.BenchContext(kb_path=tmp_path / "kb.sqlite", data=tmp_path, gold=gold)
    assert ctx.locate(runner.GSC_GOLD) == gold
    assert ctx.missing(runner.GSC_GOLD) == f"{gold} not found (given by --gold)"
    assert ctx.locate(runner.PFEIFFER) == tmp_path / runner.PFEIFFER
    assert ctx.locate(runner.PHENOPACKETS) == tmp_path / runner.PHENOPACKETS


@pytest.mark.parametrize("kind", ["a file", "no such path"])
def test_data_that_is_not_a_directory_is_a_one_line_error(
    kind: str, kb_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "data.tar.gz"
    if kind == "a file":
        path.write_bytes(b"not a folder")
    for argv in (["bench", "store", "--data", str(path)], ["bench", "--list", "--data", str(path)]):
        with pytest.raises(SystemExit) as exit_:  # refused by the parser, before any section runs
            main(["--kb", str(kb_path), *argv])
        assert exit_.value.code == 2
        captured = capsys.readouterr()
        err = captured.err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: ") and str(path) in err[0], err
        assert "Traceback" not in captured.err and captured.out == ""


def test_list_describes_every_section_and_says_whether_its_data_is_found(
    kb_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    data = with_phenopackets(tmp_path / "data")
    gold = tmp_path / "gold.tsv"
    assert main(["--kb", str(kb_path), "bench", "--list", "--data", str(data), "--gold", str(gold)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines] == list(runner.SECTIONS)
    by_name = dict(zip(runner.SECTIONS, lines, strict=True))
    for name, section in runner.SECTIONS.items():
        assert section.about in by_name[name]
    assert f"needs {runner.PHENOPACKETS}: found ({data / runner.PHENOPACKETS})" in by_name["store"]
    assert f"needs {runner.PFEIFFER}: {data / runner.PFEIFFER} not found {HOW}" in by_name["exome"]
    assert f"needs {runner.GSC_GOLD}: {gold} not found (given by --gold)" in by_name["text"]
    assert by_name["search"].endswith("needs no other data")
    # named sections only; an unknown one is the usual one-line error
    assert main(["--kb", str(kb_path), "bench", "--list", "exome", "store"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.strip().splitlines()] == ["exome", "store"]
    assert main(["--kb", str(kb_path), "bench", "--list", "nosuchsection"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: unknown benchmark section")
    # `models`, which --help offers beside the sections, was refused by --list as an unknown section
    assert main(["--kb", str(kb_path), "bench", "--list", "models"]) == 0
    (line,) = capsys.readouterr().out.strip().splitlines()
    assert line.startswith("models ") and "bench models --compare OLD.onnx NEW.onnx" in line


def test_every_section_has_a_description_and_known_needs() -> None:
    known = {*DEV_DATA_FILES, runner.SIMULATED_EXOMES, runner.HPO3_ENVIRONMENT}
    for name, section in runner.SECTIONS.items():
        assert section.about.strip(), f"section {name} has no description"
        assert set(section.needs) <= known, name


def test_help_describes_every_section_within_80_columns(
    capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as exit_:
        main(["bench", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert all(len(line) <= 80 for line in out.splitlines())
    flat = " ".join(out.split())
    for name, section in runner.SECTIONS.items():
        assert f" {name} {' '.join(section.about.split())}" in flat, name
    assert "--data DIR" in out and runner.DEV_DATA_ENV in out
