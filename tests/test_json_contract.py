"""The machine-readable outputs as integrators (a LIMS, pipeline scripts) read them: shapes, types, strict JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from raretrace.cli import main


def run_cli(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse usage errors exit from the parser itself
        return int(exc.code or 0)


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
