"""Plain-text output quotes what files and the case store hold (case and patient IDs, feature labels, the note, file
and sample names, PED IDs, a saved benchmark's machine) escaped, each line whole: a line break or a terminal escape in
them neither breaks a table row into several lines nor drives the terminal, and a case ID of a megabyte is shortened.
JSON output is the contract and keeps them exactly."""

from __future__ import annotations

import json
import os
import sys

import pytest
from cli_run import run_cli
from vcf_fixtures import record, vcf_text

from raretrace.errors import MAX_FIELD, safe_text

# a line break, an escape that clears the screen, Unicode's line separator; and as plain-text output writes them
HOSTILE = "case\n1\x1b[2J\u2028x"
HOSTILE_SHOWN = "case\\n1\\x1b[2J\\u2028x"
SUBJECT = "pat\nient\x1b]0;title\x07"  # the escape that sets a terminal window's title
SUBJECT_SHOWN = "pat\\nient\\x1b]0;title\\x07"
LABEL = "Short\nstature\x1b[31m"
LABEL_SHOWN = "Short\\nstature\\x1b[31m"
SAMPLE = "kid\x1b[2Jz"
SAMPLE_SHOWN = "kid\\x1b[2Jz"
VCF_NAME = "pa\ntient\x1b[31m.vcf"
VCF_NAME_SHOWN = "pa\\ntient\\x1b[31m.vcf"
HUGE = "y" * 1_000_000
# what would break a line or drive a terminal, however it is written (str.splitlines also breaks at \x1c-\x1e, \x85)
RAW = ("\x1b", "\x07", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c")


def _lines(text: str) -> list[str]:
    """`text`'s lines; none of them holds a character that would break it or drive the terminal."""
    assert not [c for c in RAW if c in text], ascii(text[:500])
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def _packet(case_id: str, subject: str, features: list[dict], **extra) -> dict:
    return {"id": case_id, "subject": {"id": subject, "sex": "MALE"}, "metaData": extra.pop("metaData", {}),
            "phenotypicFeatures": features, **extra}


def _hostile_files(folder) -> list:
    """Phenopackets of a plain case P1, a case whose IDs, label, note, VCF and sample names hold line breaks and
    escapes (its VCF is there, a trio's), and a case whose ID is a megabyte long."""
    vcf = folder / VCF_NAME
    vcf.write_text(vcf_text([record("10", 123256215, "T", "G", "0/1", "0/0", "0/0")],
                            samples=(SAMPLE, "dad", "mum")))
    stature = {"type": {"id": "HP:0004322", "label": "Short stature"}}
    packets = {
        "p1.json": _packet("P1", "Smith-42", [stature]),
        "hostile.json": _packet(
            HOSTILE, SUBJECT, [{"type": {"id": "HP:0004322", "label": LABEL}}, {"type": {"id": "HP:0001250"}}],
            metaData={"externalReferences": [{"id": "raretrace:note", "description": "line one\x1b[2J\nline two"}]},
            files=[{"uri": str(vcf), "individualToFileIdentifiers": {SUBJECT: SAMPLE},
                    "fileAttributes": {"genomeAssembly": "GRCh37"}}]),
        "huge.json": _packet(HUGE, "Jones-7", [stature]),
    }
    paths = []
    for name, packet in packets.items():
        (folder / name).write_text(json.dumps(packet))
        paths.append(folder / name)
    return paths


@pytest.fixture
def stored(tmp_path, monkeypatch):
    """A case store (RARETRACE_STORE) holding the three cases of `_hostile_files`."""
    monkeypatch.setenv("RARETRACE_STORE", str(tmp_path / "cases.sqlite"))
    assert run_cli(["case", "import", *map(str, _hostile_files(tmp_path))]) == 0
    return tmp_path


def test_a_value_is_escaped_and_only_an_extreme_one_shortened():
    for plain in ("P1", "Élodie Müller-李", "OMIM:101600", "/home/me/cases/trio 1.vcf.gz", "a\tb", "x" * MAX_FIELD):
        assert safe_text(plain) == plain  # what IDs, names and paths normally are: as they were
    assert safe_text(HOSTILE) == HOSTILE_SHOWN
    assert safe_text(SUBJECT) == SUBJECT_SHOWN
    cut = safe_text("start-" + HUGE + "-end")
    assert cut.startswith("start-y") and cut.endswith("y-end") and "[... " in cut and " characters ...]" in cut
    assert MAX_FIELD < len(cut) < MAX_FIELD + 40
    assert safe_text(HOSTILE * 1000).count("\\n") < 100  # escaped first, then shortened: the escapes cannot overflow
    assert "\x1b" not in safe_text(HOSTILE * 1000)
    # a right-to-left override or isolate reorders the rest of the line: shown as its escape, as a line break is
    assert safe_text("P1\u202egnp.exe") == "P1\\u202egnp.exe"
    assert safe_text("a\u2067b\u2069") == "a\\u2067b\\u2069"
    assert safe_text("עברית") == "עברית"  # a right-to-left script itself is text


def test_import_says_each_case_on_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RARETRACE_STORE", str(tmp_path / "cases.sqlite"))
    files = _hostile_files(tmp_path)
    assert run_cli(["case", "import", *map(str, files)]) == 0
    lines = _lines(capsys.readouterr().out)
    assert len(lines) == 3, lines
    assert lines[0] == "imported   P1 (1 present, 0 excluded, 0 files)"  # a plain ID as before
    assert lines[1] == f"imported   {HOSTILE_SHOWN} (2 present, 0 excluded, 1 file)"
    assert lines[2].startswith("imported   yyy") and lines[2].endswith("y (1 present, 0 excluded, 0 files)")
    assert len(lines[2]) < 2 * MAX_FIELD
    # an update lists what changed: the file's values in it escaped too
    packet = json.loads(files[1].read_text())
    packet["subject"]["id"] = "new\x1b[2J"
    files[1].write_text(json.dumps(packet))
    assert run_cli(["case", "import", "--replace", str(files[1])]) == 0
    (line,) = _lines(capsys.readouterr().out)
    assert line.startswith(f"replaced   {HOSTILE_SHOWN}: subject id: {SUBJECT_SHOWN} -> new\\x1b[2J"), line


def test_case_list_is_one_row_per_case(stored, capsys):
    capsys.readouterr()
    assert run_cli(["case", "list"]) == 0
    rows = sorted(_lines(capsys.readouterr().out))
    assert len(rows) == 3, rows
    assert rows[0].startswith("P1  MALE  -  1 present, 0 excluded, 0 files  changed ")
    assert rows[1].startswith(f"{HOSTILE_SHOWN}  MALE  -  2 present, 0 excluded, 1 file  changed ")
    assert rows[2].startswith("yyy") and "[... " in rows[2] and len(rows[2]) < 2 * MAX_FIELD
    assert rows[2].endswith("not analysed")
    # --json keeps the IDs exactly (the contract)
    assert run_cli(["case", "list", "--json"]) == 0
    assert sorted(c["id"] for c in json.loads(capsys.readouterr().out)) == sorted(["P1", HOSTILE, HUGE])


def test_case_show_keeps_each_value_on_its_line(stored, capsys):
    capsys.readouterr()
    assert run_cli(["case", "show", HOSTILE]) == 0
    lines = _lines(capsys.readouterr().out)
    assert lines[0] == f"Case {HOSTILE_SHOWN}  subject {SUBJECT_SHOWN}  sex MALE  age -"
    assert all(line.startswith("  ") for line in lines[1:]), lines  # no value spilled onto a line of its own
    assert f"      HP:0004322  {LABEL_SHOWN}  (imported)" in lines
    # the note keeps its own lines, each escaped
    assert "  note: line one\\x1b[2J" in lines and "        line two" in lines
    vcf = str(stored / VCF_NAME).replace("\n", "\\n").replace("\x1b", "\\x1b")
    assert any(line.startswith(f"  file {vcf}  GRCh37  sample {SAMPLE_SHOWN}  SHA-256 ") for line in lines), lines
    assert run_cli(["case", "show", HUGE]) == 0
    out = capsys.readouterr().out
    assert len(out) < 10 * MAX_FIELD and _lines(out)[0].startswith("Case yyy")
    assert run_cli(["case", "show", HOSTILE, "--json"]) == 0
    shown_json = json.loads(capsys.readouterr().out)
    assert (shown_json["id"], shown_json["subject_id"], shown_json["phenotypes"][0]["label"]) == (HOSTILE, SUBJECT,
                                                                                                 LABEL)


def test_delete_and_export_say_the_case_on_one_line(stored, capsys):
    capsys.readouterr()
    out = stored / "exported.json"
    assert run_cli(["case", "export", HOSTILE, "--out", str(out)]) == 0
    said = [line for line in _lines(capsys.readouterr().err) if not line.startswith("warning: ")]
    assert said == [f"phenopacket of {HOSTILE_SHOWN} written to {out}"]
    assert json.loads(out.read_text())["id"] == HOSTILE  # the file keeps the ID
    assert run_cli(["case", "export", HOSTILE]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == HOSTILE
    assert run_cli(["case", "delete", HOSTILE, "--yes"]) == 0
    assert _lines(capsys.readouterr().out) == [f"deleted    {HOSTILE_SHOWN} (0 analyses); the audit log keeps "
                                              "that it was deleted"]
    assert run_cli(["case", "delete", HUGE, "--yes"]) == 0
    (line,) = _lines(capsys.readouterr().out)
    assert line.startswith("deleted    yyy") and len(line) < 2 * MAX_FIELD


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_question_on_a_terminal_names_the_case_and_patient_on_its_lines(stored, capsys, monkeypatch):
    pty = pytest.importorskip("pty")
    typist, terminal = pty.openpty()
    os.write(typist, b"no\n")
    monkeypatch.setattr(sys, "stdin", os.fdopen(terminal, "r"))
    capsys.readouterr()
    assert run_cli(["case", "delete", HOSTILE]) == 1
    lines = _lines(capsys.readouterr().err)
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"Delete case {HOSTILE_SHOWN} (patient {SUBJECT_SHOWN}): 2 present")
    assert lines[1].startswith("This cannot be undone") and f"case export {HOSTILE_SHOWN} --out FILE" in lines[1]
    assert lines[2] == f"Type yes to delete it: case {HOSTILE_SHOWN} not deleted"


def test_reanalyse_says_each_case_on_its_lines(stored, capsys, engine):
    capsys.readouterr()
    assert run_cli(["case", "reanalyse", HOSTILE, "--top", "3"]) == 0
    captured = capsys.readouterr()
    lines = _lines(captured.out)
    assert lines[0].startswith(f"{HOSTILE_SHOWN}: first analysis (stored as analysis ")
    assert all(line.startswith("  ") for line in lines[1:]), lines
    _lines(captured.err)
    assert run_cli(["case", "reanalyse", "--all", "--top", "3"]) == 0
    captured = capsys.readouterr()
    rows = _lines(captured.out)
    assert len(rows) == 4, rows  # a line per case and the summary
    assert any(row.startswith(f"  {HOSTILE_SHOWN}: first disease ") for row in rows), rows
    assert any(row.startswith("  yyy") and len(row) < 2 * MAX_FIELD for row in rows), rows
    progress = [line for line in _lines(captured.err) if line.startswith("re-analysing ")]
    assert f"re-analysing 2/3: {HOSTILE_SHOWN}" in progress and all(len(line) < 2100 for line in progress)


def test_analyze_and_batch_quote_file_sample_and_family_names_on_one_line(tmp_path, capsys, engine):
    case = _hostile_files(tmp_path)[1]
    ped = tmp_path / "trio\x1b[2J.ped"
    ped.write_text(f"FAM {SAMPLE} dad mum 1 2\nFAM dad 0 0 1 1\nFAM mum 0 0 2 1\n")
    assert run_cli(["analyze", str(case), "--ped", str(ped), "--top", "3", "--device", "cpu"]) == 0
    captured = capsys.readouterr()
    lines = _lines(captured.out)
    assert lines[0].startswith(f"Case {HOSTILE_SHOWN}: 2 present, 0 excluded features; device cpu")
    vcf = str(tmp_path / VCF_NAME_SHOWN)
    assert lines[1].startswith(f"VCF {vcf} (GRCh37, sample {SAMPLE_SHOWN}, 1 record, "), lines
    ped_shown = str(ped).replace("\x1b", "\\x1b")
    assert lines[2].startswith(f"Family ({ped_shown}): patient {SAMPLE_SHOWN} (affected); father dad (unaffected)")
    # the trio's parentage (one site: too few to check)
    assert lines[3] == "Parentage not checked: 1 well-called site of the trio (under 200)"
    assert lines[4:6] == ["", "Diseases"]
    # progress on stderr names the VCF file and the sample
    assert f"[  0.0%] Reading the header of {VCF_NAME_SHOWN}" in _lines(captured.err)
    out = tmp_path / "results.jsonl"
    assert run_cli(["batch", str(case), "--out", str(out), "--device", "cpu"]) == 0
    said = _lines(capsys.readouterr().err)
    assert all(line.startswith(("[", "warning: ", "1 case ranked on ")) for line in said), said
    assert json.loads(out.read_text())["id"] == HOSTILE  # the JSON line keeps it


def test_bench_compare_quotes_the_saved_runs_on_their_lines(tmp_path, capsys):
    def saved(name: str, cpu: str) -> str:
        path = tmp_path / name
        path.write_text(json.dumps({"date": "2025-01-01\x1b[2J", "raretrace": "1.0\nfake", "quick": True,
                                    "machine": {"cpu": cpu}, "sections": {"text\nx": {"f1\x1b[31m": 0.5}}}))
        return str(path)

    assert run_cli(["bench", "--compare", saved("old.json", "Intel"), saved("new.json", "Fake\x1b[2J\nCPU")]) == 0
    lines = _lines(capsys.readouterr().out)
    assert lines[0] == ("old: 2025-01-01\\x1b[2J RareTrace 1.0\\nfake; new: 2025-01-01\\x1b[2J RareTrace "
                        "1.0\\nfake")
    assert lines[3].startswith("text\\nx.f1\\x1b[31m ")
    assert lines[-1] == "machines differ: cpu: Intel -> Fake\\x1b[2J\\nCPU"
