"""No patient data can leave the workstation: the whole path runs with sockets blocked, and no input is ever
unpickled or evaluated as code."""

from __future__ import annotations

import _socket
import json
import os
import re
import socket
from pathlib import Path

import pytest

from raretrace.cli import build_parser, main
from raretrace.store import CaseStore

APP = Path(__file__).resolve().parents[1] / "app" / "raretrace"
COMMANDS = set(build_parser()._subparsers._group_actions[0].choices)  # the registered commands


class NetworkUsed(AssertionError):
    pass


def _refuse(*args, **kwargs):
    raise NetworkUsed(f"RareTrace tried to use the network: {args!r}")


@pytest.fixture
def no_network(monkeypatch):
    """Any socket creation or name lookup fails the test (socketpair too: no local IPC over sockets either)."""

    class BlockedSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            _refuse(*args)

    monkeypatch.setattr(socket, "socket", BlockedSocket)
    monkeypatch.setattr(_socket, "socket", BlockedSocket)
    for name in ("create_connection", "create_server", "socketpair", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, _refuse)


def test_the_guard_really_blocks_sockets(no_network):
    import urllib.request

    with pytest.raises(NetworkUsed):
        socket.socket()
    with pytest.raises(NetworkUsed):
        urllib.request.urlopen("http://example.org", timeout=1)


def cli(argv: list[str], capsys) -> str:
    status = main(argv)
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "NetworkUsed" not in err
    return out


def phenopacket(tmp_path: Path, vcf: Path | None = None) -> Path:
    packet = {
        "id": "net-1",
        "subject": {"id": "manuel", "sex": "MALE", "timeAtLastEncounter": {"age": {"iso8601duration": "P2Y"}}},
        "phenotypicFeatures": [
            {"type": {"id": "HP:0001156", "label": "Brachydactyly"}},
            {"type": {"id": "HP:0001363", "label": "Craniosynostosis"}},
            {"type": {"id": "HP:0011304", "label": "Broad thumb"}},
            {"type": {"id": "HP:0010055", "label": "Broad hallux"}},
            {"type": {"id": "HP:0001250", "label": "Seizure"}, "excluded": True},
        ],
        "metaData": {"createdBy": "test", "phenopacketSchemaVersion": "2.0"},
    }
    if vcf:
        packet["files"] = [{"uri": vcf.as_uri(), "fileAttributes": {"genomeAssembly": "GRCh37"},
                            "individualToFileIdentifiers": {"manuel": "manuel"}}]
    path = tmp_path / ("net-1-vcf.json" if vcf else "net-1.json")
    path.write_text(json.dumps(packet))
    return path


def test_import_search_store_and_export_open_no_socket(no_network, engine, tmp_path, capsys, monkeypatch):
    store = tmp_path / "store" / "cases.sqlite"
    monkeypatch.setenv("RARETRACE_STORE", str(store))
    case_file = phenopacket(tmp_path)
    cli(["case", "import", str(case_file)], capsys)
    hits = json.loads(cli(["terms", "search", "broad thumb", "--json"], capsys))
    assert hits[0]["id"] == "HP:0011304"
    assert "net-1" in cli(["case", "list"], capsys)
    cli(["case", "show", "net-1", "--json"], capsys)
    exported = json.loads(cli(["case", "export", "net-1"], capsys))
    assert [f["type"]["id"] for f in exported["phenotypicFeatures"]][:2] == ["HP:0001156", "HP:0001363"]
    cli(["case", "export", "net-1", "--anonymise", "--out", str(tmp_path / "anon.json")], capsys)
    assert (tmp_path / "anon.json").stat().st_mode & 0o777 == 0o600


def test_the_model_runtime_sends_no_telemetry_and_writes_nothing(tmp_path):
    """onnxruntime-gpu 1.31's Linux wheel carries Microsoft's telemetry client: unless ORT_DISABLE_TELEMETRY=1 is
    set before onnxruntime is loaded, it writes a device ID and an event queue under ~/.cache/Microsoft and a
    session file in $TMPDIR, and resolves its collector's host name (DNS over the network) seconds after start.
    That happens in C++, so the socket guard above cannot see it; its files show it. Run in a fresh process,
    as the app runs, with a private HOME and TMPDIR: loading and running the model leaves both empty."""
    import subprocess
    import sys

    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORT_", "XDG_"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), PYTHONPATH=str(APP.parent), PYTHONDONTWRITEBYTECODE="1")
    script = (
        "import os, numpy as np\n"
        "from raretrace.inference import load_model\n"
        "from raretrace.paths import models_dir\n"
        "model = load_model(models_dir() / 'disease_ranker.onnx', 'cpu')\n"
        "inputs = {i.name: np.zeros([d if isinstance(d, int) else 1 for d in i.shape], np.float32)\n"
        "          for i in model.session.get_inputs()}\n"
        "model.run(inputs)\n"
        "print(os.environ.get('ORT_DISABLE_TELEMETRY'))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert left == [], f"the model runtime wrote {left}"
    assert done.stdout.split() == ["1"]  # and says so to whatever the process starts


@pytest.mark.skipif("analyze" not in COMMANDS, reason="`raretrace analyze` is not built yet")
def test_analysis_report_and_reanalysis_open_no_socket(no_network, engine, tmp_path, capsys, monkeypatch):
    from malformed_corpus import vcf_text

    from raretrace.analysis import run_analysis
    from raretrace.case import load_phenopacket
    from raretrace.store import reanalyse

    vcf = tmp_path / "manuel.vcf"
    vcf.write_text(vcf_text(sample="manuel"))
    case_file = phenopacket(tmp_path, vcf)
    result = json.loads(cli(["analyze", str(phenopacket(tmp_path)), "--json", "--device", "cpu"], capsys))
    assert result["diseases"]
    with_vcf = json.loads(cli(["analyze", str(case_file), "--json", "--device", "cpu"], capsys))
    assert with_vcf["vcf"]["sample"] == "manuel"
    if "report" in COMMANDS:
        pdf = tmp_path / "report.pdf"
        cli(["report", str(case_file), "--out", str(pdf), "--device", "cpu"], capsys)
        assert pdf.read_bytes().startswith(b"%PDF")
    if "extract" in COMMANDS:
        note = tmp_path / "note.txt"
        note.write_text("Broad thumbs and craniosynostosis; no seizures.")
        cli(["extract", str(note), "--json"], capsys)
    with CaseStore(tmp_path / "cases.sqlite") as store:
        store.save_case(load_phenopacket(case_file))
        first = reanalyse(store, "net-1", lambda c: run_analysis(engine, c))
        again = reanalyse(store, "net-1", lambda c: run_analysis(engine, c))
    assert first.previous_analysis_id is None and again.previous_analysis_id == first.analysis_id
    assert again.changes == ()  # same engine, same case: the ranking is reproducible
    monkeypatch.setenv("RARETRACE_STORE", str(tmp_path / "cases.sqlite"))
    shown = json.loads(cli(["case", "reanalyse", "net-1", "--json", "--device", "cpu"], capsys))
    assert shown["previous_analysis_id"] == again.analysis_id and shown["changes"] == []


@pytest.mark.skipif("report" not in COMMANDS, reason="`raretrace report` is not built yet")
def test_pdf_reports_are_readable_by_this_user_only(engine, tmp_path, capsys):
    pdf = tmp_path / "report.pdf"
    cli(["report", str(phenopacket(tmp_path)), "--out", str(pdf), "--device", "cpu"], capsys)
    assert pdf.stat().st_mode & 0o777 == 0o600, "a PDF report is patient data: user-only permissions"


FORBIDDEN = {
    "pickle/dill/joblib/marshal/shelve deserialisation": re.compile(
        r"\b(c?pickle|dill|marshal|shelve)\.loads?\b|\bjoblib\.load\b|\bread_pickle\b|^\s*import (c?pickle|dill|marshal|shelve)\b"
        r"|^\s*from (c?pickle|dill|marshal|shelve) import",
        re.MULTILINE,
    ),
    "eval/exec of text": re.compile(r"(?<![\w.])(eval|exec)\s*\("),
    "numpy pickles": re.compile(r"allow_pickle\s*=\s*True"),
    "unsafe YAML": re.compile(r"\byaml\.(unsafe_)?load\s*\((?![^)]*SafeLoader)"),
    "torch checkpoints": re.compile(r"\btorch\.load\s*\("),
    "shell commands": re.compile(r"shell\s*=\s*True|\bos\.system\s*\(|\bos\.popen\s*\("),
}


def test_no_input_is_unpickled_or_evaluated():
    sources = sorted(APP.rglob("*.py"))
    assert len(sources) > 10
    found = [
        f"{path.relative_to(APP)}: {what}"
        for path in sources
        for what, pattern in FORBIDDEN.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_forbidden_patterns_catch_what_they_should():
    samples = {
        "pickle/dill/joblib/marshal/shelve deserialisation": ["data = pickle.load(f)", "import pickle"],
        "eval/exec of text": ["x = eval(text)", "exec (code)"],
        "numpy pickles": ["np.load(p, allow_pickle=True)"],
        "unsafe YAML": ["yaml.load(s)"],
        "torch checkpoints": ["torch.load(path)"],
        "shell commands": ["subprocess.run(cmd, shell=True)"],
    }
    for what, lines in samples.items():
        for line in lines:
            assert FORBIDDEN[what].search(line), (what, line)
    assert not FORBIDDEN["eval/exec of text"].search("model.eval()")
    assert not FORBIDDEN["unsafe YAML"].search("yaml.load(s, Loader=yaml.SafeLoader)")
