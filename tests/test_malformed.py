"""No traceback for any malformed input: each gives one clear `error:` line (exit 2) or counted warnings.

The corpus (tests/malformed_corpus.py) covers phenopacket JSON, VCF, PED, free text, HPO queries and the case store;
entries whose command another area has not built yet are skipped and run as soon as it exists.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import run_cli
from malformed_corpus import PHENOPACKET_FILES, corpus, phenopacket, vcf_text

from raretrace.cli import build_parser

CORPUS = corpus()
COMMANDS = set(build_parser()._subparsers._group_actions[0].choices)  # the registered commands


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
    # each message one line of a sane length, whatever the file quotes (a line break or a megabyte in a case ID)
    said = [line for line in lines if not re.match(r"\d+ imported, |\[ *[\d.]+%\] ", line)]  # but summary, progress
    assert all(line.startswith(("error:", "warning:")) and len(line) < 2100 for line in said), err[:3000]
    if item.fatal is True or (item.fatal is None and status == 2):
        assert status == 2, f"exit {status}; stderr: {err}"
        assert len(errors) == 1 and len(errors[0]) > len("error: ") + 10, err
        assert item.said in errors[0], err
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
    assert f"warning: {unusable}: case unusable has no usable present HPO terms (2 unknown: HP:9999999, seizures)" \
        in err  # which file and which terms, too
    assert [line.split('"')[3] for line in out.read_text().splitlines()] == ["usable"]
    # nothing rankable: one error line, exit 2
    assert run_cli(["batch", str(unusable), "--out", str(out), "--device", "cpu"]) == 2
    errors = [x for x in capsys.readouterr().err.splitlines() if x.startswith("error:")]
    assert len(errors) == 1 and "no case could be ranked" in errors[0]


def test_batch_skips_a_link_in_the_folder_that_points_at_itself(tmp_path, capsys, engine):
    folder = tmp_path / "cases"
    folder.mkdir()
    _unknown_terms_case(folder, "usable", ["HP:0001156"])
    (folder / "loop.json").symlink_to("loop.json")
    out = tmp_path / "out.jsonl"
    assert run_cli(["batch", str(folder), "--out", str(out), "--device", "cpu"]) == 0
    err = capsys.readouterr().err
    assert "internal error" not in err and "loop.json" in err
    assert [line.split('"')[3] for line in out.read_text().splitlines()] == ["usable"]


def test_batch_counts_a_repeated_case_id_among_the_lines_written_not_the_files_skipped(tmp_path, capsys, engine):
    import json

    def packet(name: str, terms: list[str]) -> str:  # every file's phenopacket has the id "dup"
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"id": "dup", "subject": {"id": "s"},
                                    "phenotypicFeatures": [{"type": {"id": t}} for t in terms]}))
        return str(path)

    ranked, also_ranked = packet("a", ["HP:0001156"]), packet("b", ["HP:0001363"])
    unusable, empty = packet("c", ["HP:9999999"]), packet("d", [])  # read, then skipped: no line
    out = tmp_path / "out.jsonl"
    assert run_cli(["batch", ranked, unusable, empty, "--out", str(out), "--device", "cpu"]) == 0
    err = capsys.readouterr().err
    assert len(out.read_text().splitlines()) == 1 and "share an id" not in err, err  # one line: nothing repeated
    assert run_cli(["batch", ranked, unusable, also_ranked, empty, "--out", str(out), "--device", "cpu"]) == 0
    err = capsys.readouterr().err
    assert len(out.read_text().splitlines()) == 2
    assert "warning: 1 case ID(s) occur in more than one file, so their lines share an id: dup (2x)" in err, err


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


@pytest.mark.parametrize("command", ["report", "batch"])
def test_an_output_path_that_is_a_pipe_or_a_device_is_refused_not_replaced(command, tmp_path, capsys, engine):
    """--out naming a FIFO (or, for root, /dev/full): the file written beside it was renamed over it, so the pipe or
    device node was replaced by a regular file and the command said it had written there."""
    import stat

    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156"])
    pipe = tmp_path / "out.pdf"
    os.mkfifo(pipe)
    assert run_cli([command, str(case), "--out", str(pipe), "--device", "cpu"]) == 2
    err = capsys.readouterr().err
    assert "not a regular file" in err and "internal error" not in err, err
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


def test_a_private_file_is_never_renamed_over_a_pipe(tmp_path):
    import stat

    from raretrace.paths import write_private

    pipe = tmp_path / "report.pdf"
    os.mkfifo(pipe)
    with pytest.raises(OSError, match="not a regular file"):
        write_private(pipe, b"%PDF-1.4")
    assert stat.S_ISFIFO(pipe.lstat().st_mode) and [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def _store_file(path):
    from raretrace.store import CaseStore

    with CaseStore(path) as store:
        store.save_case(_case_for_store())
    return path


def _case_for_store():
    from raretrace.case import case_from_terms

    return case_from_terms("stored", ["HP:0001156"])


@pytest.mark.parametrize("target", ["the input phenopacket", "another phenopacket", "a case store", "a text file"])
def test_batch_never_writes_over_a_file_that_is_not_its_results(target, tmp_path, capsys, engine):
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156"])
    (tmp_path / "other").mkdir()
    out = {"the input phenopacket": case, "a case store": tmp_path / "cases.sqlite",
           "a text file": tmp_path / "notes.txt",
           "another phenopacket": _unknown_terms_case(tmp_path / "other", "precious", ["HP:0001250"])}[target]
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



def test_sigterm_during_batch_keeps_the_lines_as_partial_as_ctrl_c_does(tmp_path, capsys, engine, monkeypatch):
    import signal

    from raretrace.ranking import Ranker

    # SIGTERM (`kill`, `timeout`, a job scheduler stopping the run) ended the process on the spot: no message, --out
    # not written and the lines ranked so far left in a hidden temporary file of patient data, unlike Ctrl-C
    cases = [_unknown_terms_case(tmp_path, f"c{k}", ["HP:0001156", "HP:0001363"]) for k in range(3)]
    out = tmp_path / "results.jsonl"
    original = Ranker.analyse_batch
    calls = []

    def terminated(self, batch, **kw):
        calls.append(1)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # a real signal to this process, handled before the next line runs
        return original(self, batch, **kw)

    monkeypatch.setattr(Ranker, "analyse_batch", terminated)
    unhandled = []

    def guard(*_):  # stands in for the default action (ending pytest itself) should the command not take SIGTERM
        unhandled.append(1)

    previous = signal.signal(signal.SIGTERM, guard)
    try:
        status = run_cli(["batch", *map(str, cases), "--out", str(out), "--device", "cpu", "--batch-size", "1"])
        assert signal.getsignal(signal.SIGTERM) is guard  # the command's own handler is gone once it returns
    finally:
        signal.signal(signal.SIGTERM, previous)
    err = capsys.readouterr().err
    partial = tmp_path / "results.jsonl.partial"
    assert status == 143 and not unhandled
    assert not out.exists() and len(partial.read_text().splitlines()) == 1
    assert f"interrupted: 1 of 3 cases were ranked; their lines are in {partial} (incomplete)" in err
    assert err.splitlines()[-1] == "error: terminated"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

def test_ctrl_c_before_any_case_is_ranked_keeps_an_earlier_runs_partial_lines(tmp_path, capsys, engine, monkeypatch):
    import signal

    from raretrace.ranking import Ranker

    # Ctrl-C before the first line replaced the lines an earlier interrupted run had kept in OUT.partial with an
    # empty file, and said "0 of 3 cases were ranked; their lines are in OUT.partial"
    cases = [_unknown_terms_case(tmp_path, f"c{k}", ["HP:0001156", "HP:0001363"]) for k in range(3)]
    out = tmp_path / "results.jsonl"
    partial = tmp_path / "results.jsonl.partial"
    earlier = '{"id": "c0", "diseases": [], "genes": []}\n'
    partial.write_text(earlier)

    def interrupted(self, batch, **kw):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C: Python's handler raises KeyboardInterrupt here
        return []

    monkeypatch.setattr(Ranker, "analyse_batch", interrupted)
    status = run_cli(["batch", *map(str, cases), "--out", str(out), "--device", "cpu", "--batch-size", "1"])
    err = capsys.readouterr().err
    assert status == 130
    assert partial.read_text() == earlier and not out.exists()
    assert f"warning: interrupted before any case was ranked; {out} was not written" in err, err
    assert err.splitlines()[-1] == "error: interrupted"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("results")) == ["results.jsonl.partial"]


@contextlib.contextmanager
def _file_size_limit(limit: int):
    """Writes past `limit` bytes fail as on a full disk or a spent quota (EFBIG, as `ulimit -f` makes them)."""
    import resource
    import signal

    old_signal = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error from write(), not a killed process
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, old_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_signal)


@pytest.mark.skipif(sys.platform == "win32", reason="no file size limit (RLIMIT_FSIZE) on Windows")
def test_batch_results_that_cannot_be_written_say_so_in_one_line_and_keep_the_earlier_file(tmp_path, capsys, engine):
    cases = [_unknown_terms_case(tmp_path, f"c{k}", ["HP:0001156", "HP:0001363"]) for k in range(3)]
    out = tmp_path / "results.jsonl"
    assert run_cli(["batch", *map(str, cases), "--out", str(out), "--device", "cpu"]) == 0
    earlier = out.read_bytes()
    capsys.readouterr()
    with _file_size_limit(len(earlier) // 3):  # room for less than one line
        status = run_cli(["batch", *map(str, cases), "--out", str(out), "--device", "cpu"])
    err = capsys.readouterr().err
    errors = [x for x in err.splitlines() if x.startswith("error:")]
    assert status == 2 and "Traceback" not in err
    assert len(errors) == 1 and f"cannot write the results to {out}" in errors[0], err
    assert f"{out} is unchanged" in errors[0] and "permissions" not in errors[0]
    assert out.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no half-written copy left


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


def test_report_out_dash_is_refused_not_written_as_a_file_named_dash(tmp_path, capsys, engine, monkeypatch):
    # `report --out -` wrote the PDF to a file named "-" in the current folder ("report written to -"), where
    # `case export --out -` means standard output: a PDF is written to a named file
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156"])
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert run_cli(["report", str(case), "--out", "-", "--device", "cpu"]) == 2
    assert "give a file name" in _one_error_line(capsys)
    assert list(work.iterdir()) == []


def test_demo_into_a_read_only_folder_is_refused_before_the_analysis(tmp_path, capsys, monkeypatch):
    import raretrace.demo

    folder = tmp_path / "demo"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: Path(path) != folder and real_access(path, mode, **kw))

    def analysed(*_args, **_kwargs):
        raise AssertionError("the demo case was analysed before its folder was found read-only")

    monkeypatch.setattr(raretrace.demo, "run_demo", analysed)
    assert run_cli(["demo", "--out", str(folder), "--device", "cpu"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0] == f"error: cannot write to {folder}: permission denied"


def test_a_missing_system_library_of_the_window_is_one_error_line(tmp_path):
    from raretrace.gui.app import missing_library_reason

    # Qt's X11 plugin stands in as a library built against others that are then removed, as on a bare server.
    cc = shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler to build a library with a missing dependency")

    def build(name: str, source: str, *needs: str) -> Path:
        (tmp_path / f"{name}.c").write_text(source)
        out = tmp_path / name
        subprocess.run([cc, "-shared", "-fPIC", "-o", str(out), f"-Wl,-soname,{name}", str(tmp_path / f"{name}.c"),
                        f"-L{tmp_path}", *(f"-l:{n}" for n in needs)], check=True)  # fmt: skip
        return out

    build("libxcb-ghost.so.4", "int ghost(void) { return 1; }\n")
    build("libghost-x11.so.0", "int ghost_x11(void) { return 2; }\n")
    one = build("plugin_one.so", "int ghost(void);\nint one(void) { return ghost(); }\n", "libxcb-ghost.so.4")
    other = build("plugin_other.so", "int ghost_x11(void);\nint other(void) { return ghost_x11(); }\n",
                  "libghost-x11.so.0")  # fmt: skip
    # nothing missing (not one of the above: a library loaded once stays loaded and would satisfy the plugins)
    assert missing_library_reason(build("libfine.so.1", "int fine(void) { return 3; }\n")) == ""
    (tmp_path / "libxcb-ghost.so.4").unlink()
    (tmp_path / "libghost-x11.so.0").unlink()
    assert missing_library_reason(one) == (
        "the window cannot open: Qt's X11 plugin needs the system library libxcb-ghost.so.4, which is not installed"
        " (Debian/Ubuntu: apt-get install libxcb-ghost4); or use `raretrace demo --out DIR` or `raretrace report` for"
        " a PDF")  # fmt: skip
    # Debian puts a hyphen between a name ending in a digit and its version (libxkbcommon-x11-0)
    assert "apt-get install libghost-x11-0)" in missing_library_reason(other)


def test_the_window_without_a_display_is_one_error_line():
    from raretrace.gui.app import no_display_reason

    assert "no display" in no_display_reason({}, "linux")
    assert no_display_reason({"DISPLAY": ":0"}, "linux") == ""
    assert no_display_reason({"WAYLAND_DISPLAY": "wayland-0"}, "linux") == ""
    assert no_display_reason({"QT_QPA_PLATFORM": "offscreen"}, "linux") == ""
    assert no_display_reason({}, "win32") == "" and no_display_reason({}, "darwin") == ""
    proc = subprocess.run([sys.executable, "-m", "raretrace", "gui"], capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items()
                               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")})
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "no display" in proc.stderr, proc.stderr
    # `raretrace-gui` (the menu entry, the bundle's window executable) says the same instead of Qt's abort
    proc = subprocess.run([sys.executable, "-c", "import sys; from raretrace.gui.app import main; sys.exit(main([]))"],
                          capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items()
                               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")})
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "no display" in proc.stderr, proc.stderr


# -- command-line review: folders given as files, read-only targets, missing stores, options and their help


def _one_error(capsys) -> str:
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and err.count("\n") == 1 and err.startswith("error: "), err
    return err


def test_a_kb_that_is_a_folder_is_named_as_a_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RARETRACE_KB", "")  # main() sets it from --kb; restored after the test
    assert run_cli(["--kb", str(tmp_path), "kb", "info"]) == 2
    err = _one_error(capsys)
    assert "is a folder" in err and "disk I/O" not in err


def _mini_kb(folder):
    from mini_release import write_release

    from raretrace.kb import build_kb

    return build_kb(folder / "kb" / "mini.sqlite", write_release(folder / "hpo"))


def _solved(folder, case_id: str = "c1"):
    import json

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{case_id}.json"
    path.write_text(json.dumps({
        "id": case_id, "subject": {"id": "P1"}, "phenotypicFeatures": [{"type": {"id": "HP:0000256"}}],
        "interpretations": [{"id": "i", "progressStatus": "SOLVED",
                             "diagnosis": {"disease": {"id": "OMIM:622001", "label": "X syndrome"}}}],
        "metaData": {"externalReferences": [{"id": "PMID:1"}]},
    }))
    return path


def test_library_add_into_a_read_only_place_names_the_target_and_the_reason(tmp_path):
    from test_store import _unprivileged

    prefix = _unprivileged()
    kb = _mini_kb(tmp_path)
    case = _solved(tmp_path)
    empty = tmp_path / "locked"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "RARETRACE_KB"}

    def add(target):
        return subprocess.run([*prefix, sys.executable, "-m", "raretrace", "--kb", str(target), "case", "library",
                               "add", str(case)], capture_output=True, text=True, env=env, timeout=120)

    os.chmod(empty, 0o555)
    os.chmod(kb, 0o444)
    try:
        built, added = add(empty / "kb.sqlite"), add(kb)  # a new KB in a read-only folder; a read-only KB
    finally:
        os.chmod(empty, 0o755)
        os.chmod(kb, 0o644)
    for proc, target in ((built, empty / "kb.sqlite"), (added, kb)):
        errors = [line for line in proc.stderr.splitlines() if not line.startswith("[")]  # progress lines
        assert proc.returncode == 2 and len(errors) == 1 and errors[0].startswith("error: "), proc.stderr
        assert str(target) in errors[0] and ".building-" not in errors[0] and "internal error" not in errors[0]
    assert "Permission denied" in built.stderr and "read-only" in added.stderr
    assert list(empty.iterdir()) == []


def test_library_add_counts_only_new_cases_and_says_which_were_already_there(tmp_path, capsys, monkeypatch):
    kb = _mini_kb(tmp_path)
    monkeypatch.setenv("RARETRACE_KB", str(kb))
    first, second = _solved(tmp_path, "c1"), _solved(tmp_path, "c2")
    assert run_cli(["case", "library", "add", str(first)]) == 0
    out, err = capsys.readouterr()
    assert out == f"1 case added to the case library of {kb}\n", out
    # a note on the case it added (a diagnosis ID HPO lacks) is a warning, not a skipped file ("1 skipped")
    assert "OMIM:622001" in err and "skipped" not in out + err, err
    assert run_cli(["case", "library", "add", str(first), str(second)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 case added") and "1 already in it" in out and "skipped" not in out, out
    assert run_cli(["case", "library", "add", str(first)]) == 0
    out = capsys.readouterr().out
    assert out == f"0 cases added to the case library of {kb}; 1 already in it (replaced by the file's version)\n"
    unsolved = tmp_path / "unsolved.json"
    unsolved.write_text('{"id": "u", "subject": {"id": "P2"}, "phenotypicFeatures": [{"type": {"id": "HP:0000256"}}]}')
    assert run_cli(["case", "library", "add", str(first), str(unsolved)]) == 0
    out, err = capsys.readouterr()
    assert out.endswith("; 1 file skipped (see the warnings above)\n") and f"{unsolved}: no diagnosis" in err, out
    assert run_cli(["case", "library", "add", str(unsolved)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == ("error: no case was added to the case library (1 file skipped, "
                                                       "see the warnings above)")


def test_library_add_of_two_files_of_one_case_counts_it_once(tmp_path, capsys, monkeypatch):
    # a case copied into two folders, new to the library: it said "1 case added ...; 1 already in it (replaced by
    # the file's version)", of a case that was not in it; the later file's version is kept and the earlier skipped
    kb = _mini_kb(tmp_path)
    monkeypatch.setenv("RARETRACE_KB", str(kb))
    first, second = _solved(tmp_path / "a", "c1"), _solved(tmp_path / "b", "c1")
    assert run_cli(["case", "library", "add", str(first), str(second)]) == 0
    out, err = capsys.readouterr()
    assert out == f"1 case added to the case library of {kb}; 1 file skipped (see the warnings above)\n", out
    assert f"{first}: skipped, the same case (c1, PMID:1) as {second}, whose version is kept" in err, err


def test_reading_a_missing_store_says_so_and_creates_nothing(tmp_path, capsys, monkeypatch):
    store = tmp_path / "not" / "yet" / "cases.sqlite"
    # a named case that cannot be there: an error (reanalyse made an empty store at a mistyped --store, and then
    # said the case was not in it)
    for action in (["show", "c1"], ["export", "c1"], ["reanalyse", "c1"], ["reanalyse", "c1", "--no-save"]):
        assert run_cli(["case", "--store", str(store), *action]) == 2
        err = _one_error(capsys)
        assert f"no case store at {store} yet" in err and "import" in err
        assert not (tmp_path / "not").exists()
    # listing a store not made yet (a new install) lists nothing, with one line on stderr naming the path
    for extra, listed in (([], ""), (["--json"], "[]\n")):
        assert run_cli(["case", "--store", str(store), "list", *extra]) == 0
        out, err = capsys.readouterr()
        assert out == listed and err.count("\n") == 1 and f"no case store at {store} yet" in err, err
        assert not (tmp_path / "not").exists()
    # a path below a file can never be a store: still an error
    (tmp_path / "blocker").write_text("x")
    assert run_cli(["case", "--store", str(tmp_path / "blocker" / "cases.sqlite"), "list"]) == 2
    assert "is a file, not a folder" in _one_error(capsys)
    packet = _unknown_terms_case(tmp_path, "c1", ["HP:0001156"])  # writing actions still create the store
    assert run_cli(["case", "--store", str(store), "import", str(packet)]) == 0
    assert store.is_file()
    capsys.readouterr()
    assert run_cli(["case", "--store", str(store), "list"]) == 0
    assert capsys.readouterr().out.startswith("c1")


def test_extract_json_and_jsonl_are_exclusive(tmp_path, capsys):
    text = tmp_path / "note.txt"
    text.write_text("Short stature.\n")
    assert run_cli(["extract", "--json", "--jsonl", str(text)]) == 2
    assert "not allowed with" in _one_error(capsys)


def test_report_vcf_takes_one_file_and_leaves_the_case_alone():
    from pathlib import Path

    args = build_parser().parse_args(["report", "--vcf", "a.vcf", "case.json", "--out", "r.pdf"])
    assert args.vcf == Path("a.vcf") and args.case == Path("case.json")


def test_report_page_size_is_taken_in_any_letter_case_and_an_unknown_one_names_the_accepted_sizes(tmp_path, capsys):
    # `--page-size a4` was refused though A4 was meant; the report itself already read the size in any case
    for typed, size in (("a4", "A4"), ("A4", "A4"), ("letter", "Letter"), ("LETTER", "Letter")):
        assert build_parser().parse_args(["report", "c.json", "--out", "r.pdf", "--page-size", typed]).page_size == size
    assert run_cli(["report", str(tmp_path / "c.json"), "--out", str(tmp_path / "r.pdf"), "--page-size", "a5"]) == 2
    line = _one_error(capsys)
    assert "'a5'" in line and "A4" in line and "Letter" in line and not (tmp_path / "r.pdf").exists()


def test_every_command_option_and_argument_has_help():
    import argparse

    missing = []

    def walk(parser, name):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub, subparser in action.choices.items():
                    walk(subparser, f"{name} {sub}")
            elif not isinstance(action, argparse._HelpAction) and not action.help:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")

    parser = build_parser()
    walk(parser, "raretrace")
    assert missing == []
    commands = parser._subparsers._group_actions[0]
    case_help = next(a.help for a in commands._choices_actions if a.dest == "case")
    assert "reanalyse" in case_help and "library" in case_help
    assert "raretrace-demo" in commands.choices["demo"].format_help()


def test_batch_lines_follow_the_input_order_with_published_cases_among_them(tmp_path, engine):
    import json

    # published cases of the library are ranked per publication after the others (each without its own paper);
    # their lines used to come last, so the results no longer lined up with the input
    library = engine.ranker.library
    first = library[0]
    second = next(c for c in library if c.pmid != first.pmid)
    files = []
    for k, item in enumerate([None, first, None, second, None]):
        if item is None:
            files.append(_unknown_terms_case(tmp_path, f"clinic-{k}", ["HP:0001156", "HP:0001363"]))
        else:
            path = tmp_path / f"published-{k}.json"
            path.write_text(json.dumps({"id": item.case_id, "phenotypicFeatures": [{"type": {"id": t}}
                                                                                   for t in item.present]}))
            files.append(path)
    out = tmp_path / "out.jsonl"
    for size in ("1", "64"):
        assert run_cli(["batch", *map(str, files), "--out", str(out), "--device", "cpu", "--batch-size", size]) == 0
        ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
        assert ids == ["clinic-0", first.case_id, "clinic-2", second.case_id, "clinic-4"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_case_of_terms_outside_phenotypic_abnormality_is_not_ranked_on_priors(tmp_path, capsys, engine):
    only = _unknown_terms_case(tmp_path, "inheritance-only", ["HP:0000005", "HP:0000001"])
    assert run_cli(["analyze", str(only), "--device", "cpu"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no usable present HPO terms" in err[0] and "not a phenotypic abnormality" in err[0]


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "Traceback" not in err[0], err
    return err[0]


def test_a_pipe_given_as_a_case_is_named_not_read_without_end(tmp_path, capsys, engine):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert run_cli(["analyze", str(fifo), "--device", "cpu"]) == 2
    assert "is not a regular file" in _one_error_line(capsys)


def test_text_larger_than_the_limit_is_refused_without_reading_it_whole(tmp_path, capsys, monkeypatch, engine):
    from raretrace.text import reading

    monkeypatch.setattr(reading, "MAX_TEXT_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("short stature " * 200)
    assert run_cli(["extract", str(big)]) == 2
    assert "larger than" in _one_error_line(capsys)


def test_one_vcf_per_analysis_and_a_device_refused_before_any_case_is_read(tmp_path, capsys, engine):
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156"])
    assert run_cli(["report", str(case), "--vcf", "a.vcf", "--vcf", "b.vcf", "--out", str(tmp_path / "r.pdf")]) == 2
    assert "--vcf given twice" in _one_error_line(capsys)
    if not _has_cuda():  # the check holds on a machine without a usable GPU
        assert run_cli(["batch", str(case), "--out", str(tmp_path / "o.jsonl"), "--device", "cuda"]) == 2
        assert "CUDA" in _one_error_line(capsys) and not (tmp_path / "o.jsonl").exists()


def test_a_refused_cuda_leaves_no_output_folder_behind(tmp_path, capsys, engine):
    # batch and report made --out's folder (demo its folder) before `--device cuda` was refused: an empty folder
    if _has_cuda():
        pytest.skip("CUDA is usable here: nothing is refused")
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156"])
    for command, out in (("batch", "b/o.jsonl"), ("report", "r/o.pdf"), ("demo", "d")):
        argv = [command, *([str(case)] if command != "demo" else []), "--out", str(tmp_path / out)]
        assert run_cli([*argv, "--device", "cuda"]) == 2
        assert "CUDA requested" in _one_error_line(capsys)
        assert not (tmp_path / out.split("/")[0]).exists(), command


def _has_cuda() -> bool:
    import onnxruntime

    from raretrace.inference import _cuda_available

    return _cuda_available(onnxruntime)[0]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc, a folder nothing can be written to")
def test_an_output_folder_nothing_can_be_written_to_is_said_before_the_work_and_names_no_temporary_file(tmp_path,
                                                                                                      capsys, engine):
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156"])
    for argv in (["batch", str(case), "--out", "/proc/x.jsonl"], ["report", str(case), "--out", "/proc/x.pdf"]):
        assert run_cli([*argv, "--device", "cpu"]) == 2
        line = _one_error_line(capsys)
        assert "cannot write to /proc" in line and ".tmp" not in line


def test_gui_given_a_folder_as_its_case_says_it_is_a_folder_not_that_it_is_missing(tmp_path, capsys):
    # `raretrace gui FOLDER` said "case file not found: FOLDER" of a folder that is there, unlike analyze and report
    assert run_cli(["gui", str(tmp_path)]) == 2
    assert _one_error_line(capsys) == f"error: {tmp_path} is a folder; give a phenopacket JSON file (or a VCF) to open"
    assert run_cli(["gui", str(tmp_path / "missing.json")]) == 2
    assert _one_error_line(capsys) == f"error: case file not found: {tmp_path / 'missing.json'}"

@pytest.mark.parametrize("argv, command", [
    (["analyze", "case.json", "--tpo", "5"], "raretrace analyze"),
    (["batch", "cases", "--out", "r.jsonl", "--devcie", "cpu"], "raretrace batch"),
    (["case", "list", "--bogus"], "raretrace case list"),
    (["--kb", "kb.sqlite", "terms", "search", "seizure", "extra"], "raretrace terms search"),
])
def test_a_mistyped_option_points_to_the_help_of_the_command_it_was_given_to(argv, command, capsys):
    # "unrecognized arguments: --tpo 5 (see `raretrace --help`)": the top-level help lists no command's options
    assert run_cli(argv) == 2
    line = _one_error_line(capsys)
    assert line.startswith("error: unrecognized arguments: ") and line.endswith(f"(see `{command} --help`)"), line

def test_a_dash_for_the_case_says_standard_input_is_not_read_as_a_case(tmp_path, capsys, monkeypatch):
    # `-` reads standard input for extract; for a case it said "case file not found: /current/folder/-", as if a file
    # named '-' were missing
    monkeypatch.chdir(tmp_path)
    for argv in (["analyze", "-"], ["report", "-", "--out", "r.pdf"], ["batch", "-", "--out", "r.jsonl"]):
        assert run_cli([*argv, "--device", "cpu"]) == 2
        assert "'-' (standard input) is not read as a case" in _one_error_line(capsys)
    assert not list(tmp_path.iterdir())

def test_debug_before_or_after_the_command_shows_the_traceback_and_keeps_the_status_of_bad_input(tmp_path, capsys):
    for argv in (["--debug", "analyze", str(tmp_path / "missing.json")], ["analyze", str(tmp_path / "missing.json"), "--debug"]):
        assert run_cli(argv) == 2
        err = capsys.readouterr().err
        assert "Traceback" in err and err.strip().splitlines()[-1].startswith("error: case file not found")


def test_a_thread_count_that_is_not_a_whole_number_is_one_error_line(tmp_path, capsys, monkeypatch, engine):
    # RARETRACE_THREADS=abc (or 2.5) was an "internal error" (int()'s ValueError, exit 1) asking for a bug report
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156"])
    for value in ("abc", "2.5", "-1"):
        monkeypatch.setenv("RARETRACE_THREADS", value)
        assert run_cli(["analyze", str(case), "--device", "cpu"]) == 2
        assert f"RARETRACE_THREADS must be a whole number of threads (0: one per CPU core), not {value!r}" in \
            _one_error_line(capsys)
    monkeypatch.setenv("RARETRACE_THREADS", " 1 ")
    assert run_cli(["analyze", str(case), "--device", "cpu"]) == 0


def test_a_file_named_twice_is_ranked_once(tmp_path, capsys, engine):
    import json

    # a folder and a file in it, the same file twice, a link to it: each was ranked again, and the repeated lines
    # were said to be "case IDs in more than one file"
    folder = tmp_path / "cases"
    folder.mkdir()
    case = _unknown_terms_case(folder, "c", ["HP:0001156"])
    other = _unknown_terms_case(folder, "d", ["HP:0001363"])
    (folder / "link.json").symlink_to(case)
    out = tmp_path / "out.jsonl"
    assert run_cli(["batch", str(folder), str(case), str(other), str(case), "--out", str(out), "--device", "cpu"]) == 0
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["c", "d"]
    assert "share an id" not in capsys.readouterr().err


class _InterruptedAfter:
    """A results file whose read or write after the first `ops` ones is interrupted (Ctrl-C), half a write done."""

    def __init__(self, raw, ops: int) -> None:
        self.raw, self.left = raw, ops

    def __getattr__(self, name: str):
        return getattr(self.raw, name)

    def _tick(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise KeyboardInterrupt

    def read(self, size: int = -1) -> bytes:
        self._tick()
        return self.raw.read(size)

    def write(self, data: bytes) -> int:
        if self.left == 0:
            self.raw.write(data[: len(data) // 2])
        self._tick()
        return self.raw.write(data)


@pytest.mark.parametrize("ops", range(5))
def test_ctrl_c_while_batch_lines_are_put_in_input_order_leaves_every_line_whole(tmp_path, ops):
    from raretrace.cli.analysis_cmds import _in_input_order

    # the lines were put in order by truncating the results file and copying them back: a Ctrl-C during that copy
    # left OUT.partial with half a line (or none), said to hold every case ranked
    places = (2, 0, 1)
    lines = [b'{"id": "c%d", "diseases": []}\n' % k for k in places]
    results = tmp_path / "results.tmp"
    results.write_bytes(b"".join(lines))
    spans = [(k, sum(map(len, lines[:i])), len(lines[i])) for i, k in enumerate(places)]
    ordered = None
    with results.open("r+b") as raw, contextlib.suppress(KeyboardInterrupt):
        ordered = _in_input_order(_InterruptedAfter(raw, ops), spans, tmp_path)
    assert results.read_bytes() == b"".join(lines)  # what an interrupted batch keeps as OUT.partial
    if ordered is not None:  # not interrupted: every line, in the input's order
        assert ordered.read_bytes() == b"".join(line for _, line in sorted(zip(places, lines, strict=True)))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["results.tmp", *([ordered.name] if ordered else [])])


def test_batch_says_why_auto_ran_on_the_cpu(tmp_path, capsys, engine):
    if _has_cuda():
        pytest.skip("CUDA is usable here: auto runs on it, with nothing to explain")
    # analyze said "device cpu (running on the CPU: no NVIDIA GPU driver found)"; batch's summary only "on cpu"
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156"])
    assert run_cli(["batch", str(case), "--out", str(tmp_path / "o.jsonl"), "--device", "auto"]) == 0
    assert "1 case ranked on cpu (running on the CPU: " in capsys.readouterr().err


def test_auto_says_why_it_ran_on_the_cpu_when_onnxruntime_could_not_start_cuda(tmp_path, capsys, engine, monkeypatch):
    # A driver found and the CUDA libraries loaded, yet onnxruntime could not create its CUDA provider (an old driver,
    # a missing cuBLAS): the session silently ran on the CPU and `auto` reported "device cpu" with no reason given
    import raretrace.inference

    if _has_cuda():
        pytest.skip("CUDA is usable here: the session runs on it")
    monkeypatch.setattr(raretrace.inference, "_cuda_available", lambda ort: (True, ""))
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156"])
    assert run_cli(["analyze", str(case), "--device", "auto"]) == 0
    assert "device cpu (running on the CPU: onnxruntime could not start CUDA" in capsys.readouterr().out
    assert run_cli(["analyze", str(case), "--device", "cuda"]) == 2
    assert "CUDA requested but onnxruntime fell back to the CPU" in _one_error_line(capsys)


def test_results_and_private_files_reach_the_disk_before_they_replace_an_earlier_file(tmp_path, capsys, engine,
                                                                                      monkeypatch):
    # Renamed over the earlier file with their bytes still in the page cache, a power cut after the rename could
    # leave an empty file in place of both: each is forced to disk first (os.fsync, watched, not replaced).
    import os

    from raretrace.paths import write_private

    synced_at: list[tuple[str, int]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        synced_at.append((os.readlink(f"/proc/self/fd/{fd}"), os.fstat(fd).st_size))
        return real_fsync(fd)

    def replace(src, dst):
        assert (str(src), os.path.getsize(src)) in synced_at, f"{src} renamed onto {dst} before it was synced"
        return real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4 earlier")
    write_private(pdf, b"%PDF-1.4 later")
    assert pdf.read_bytes() == b"%PDF-1.4 later"
    cases = [_unknown_terms_case(tmp_path, f"c{k}", ["HP:0001156", "HP:0001363"]) for k in range(2)]
    out = tmp_path / "results.jsonl"
    for _ in range(2):  # written, then written over
        assert run_cli(["batch", *map(str, cases), "--out", str(out), "--device", "cpu"]) == 0
    assert len(out.read_text().splitlines()) == 2


def test_a_large_insertion_written_out_is_named_by_its_ends_and_its_report_is_laid_out(tmp_path, capsys, engine):
    # An SV caller writes a 3 kb insertion base by base: the report took minutes breaking it into lines and then
    # failed (a table cell taller than a page); 10 kb ran on for more than ten minutes.
    inserted = "ACGTTGCA" * 375
    case = tmp_path / "case.json"
    case.write_text(json.dumps(phenopacket()))
    vcf = tmp_path / "sv.vcf"
    vcf.write_text(vcf_text(records=f"10\t123256215\t.\tT\tT{inserted}\t50\tPASS\t.\tGT\t0/1\n"))
    pdf = tmp_path / "case.pdf"
    args = [str(case), "--vcf", str(vcf), "--device", "cpu", "--top", "3"]
    assert run_cli(["report", *args, "--out", str(pdf)]) == 0, capsys.readouterr().err
    assert pdf.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert run_cli(["analyze", *args, "--json"]) == 0
    gene = json.loads(capsys.readouterr().out)["genes"][0]
    assert gene["variants"][0]["alt"] == "T" + inserted  # the JSON keeps every base
    # the evidence text names it as the GUI and the report do
    assert "10:123256215 T>TACGTTGCAA…TTGCA (3,001 bp)" in gene["inheritance"]["explanation"]


def test_a_report_of_more_hypotheses_than_pages_allow_is_refused_at_once(tmp_path, capsys, engine):
    # `report --top 99999999999999999999` laid out every disease of the knowledge base: minutes, thousands of pages
    case = _unknown_terms_case(tmp_path, "c", ["HP:0001156", "HP:0001363"])
    pdf = tmp_path / "c.pdf"
    for top in ("101", "99999999999999999999"):
        assert run_cli(["report", str(case), "--out", str(pdf), "--top", top, "--device", "cpu"]) == 2
        assert "at most 100 in a report" in _one_error_line(capsys)
        assert not pdf.exists()
    assert run_cli(["report", str(case), "--out", str(pdf), "--top", "100", "--device", "cpu"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_batch_killed_outright_leaves_a_temporary_file_the_next_run_removes(tmp_path, capsys, engine):
    # kill -9 (or a power cut) runs no clean-up: the hidden temporary file of patient data stayed beside --out for
    # good. Its name now carries the writer's process ID, and the next batch writing there removes it once that
    # process is gone; a live process's file is never touched.
    import signal
    import socket
    import time

    folder = tmp_path / "cases"
    folder.mkdir()
    for k in range(400):  # enough to be caught while ranking
        _unknown_terms_case(folder, f"c{k}", ["HP:0001156", "HP:0001363"])
    out = tmp_path / "results.jsonl"
    child = subprocess.Popen([sys.executable, "-m", "raretrace", "batch", str(folder), "--out", str(out), "--device",
                              "cpu", "--batch-size", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (left := [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]):
            assert child.poll() is None and time.monotonic() < deadline, "the batch ended before it could be killed"
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL and not out.exists()
    assert [p.name.startswith(f".results.jsonl.{child.pid}@") for p in left] == [True]
    host = left[0].name.split("@")[1].split(".")[0]
    assert host and host in socket.gethostname().replace(".", "-")
    # a leftover of a process still running (this one), one of another host, and the user's own files stay
    live = tmp_path / f".results.jsonl.{os.getpid()}@{host}.abcd1234.tmp"
    other_host = tmp_path / f".results.jsonl.{child.pid}@elsewhere.abcd1234.tmp"
    own = tmp_path / ".results.jsonl.notes.tmp"
    for path in (live, other_host, own):
        path.write_text("x")
    capsys.readouterr()
    assert run_cli(["batch", str(folder / "c0.json"), "--out", str(out), "--device", "cpu"]) == 0
    err = capsys.readouterr().err
    assert len(out.read_text().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == sorted(
        p.name for p in (live, other_host, own))
    assert f"removed 1 temporary file of patient data left in {tmp_path}" in err and left[0].name in err


def test_a_batch_temporary_file_named_with_an_impossible_pid_stays_and_does_not_stop_the_batch(tmp_path, capsys,
                                                                                                engine):
    # os.kill raised OverflowError for such a PID: the batch stopped with a traceback before ranking anything
    from raretrace.cli.analysis_cmds import _this_host

    case = _unknown_terms_case(tmp_path, "c0", ["HP:0001156", "HP:0001363"])
    out = tmp_path / "results.jsonl"
    odd = tmp_path / f".results.jsonl.99999999999@{_this_host()}.abcd1234.tmp"
    odd.write_text("x")
    assert run_cli(["batch", str(case), "--out", str(out), "--device", "cpu"]) == 0
    assert len(out.read_text().splitlines()) == 1 and odd.read_text() == "x"
    assert "temporary file" not in capsys.readouterr().err


@pytest.mark.parametrize("name", ["demo_report.pdf", "demo_result.json"])
def test_demo_never_writes_over_a_file_of_the_users_in_its_folder(name, tmp_path, capsys, engine):
    # `demo --out DIR` replaced DIR/demo_report.pdf and DIR/demo_result.json whatever they held (a phenopacket here)
    folder = tmp_path / "demo"
    folder.mkdir()
    mine = folder / name
    mine.write_text(json.dumps(phenopacket()))
    assert run_cli(["demo", "--out", str(folder), "--device", "cpu"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {mine} exists and is not a "), err
    assert "give another folder with --out" in err[0], err
    assert json.loads(mine.read_text()) == phenopacket() and sorted(p.name for p in folder.iterdir()) == [name]


def test_demo_replaces_its_own_earlier_report_and_result(tmp_path, capsys, engine):
    folder = tmp_path / "demo"
    assert run_cli(["demo", "--out", str(folder), "--device", "cpu"]) == 0
    first = (folder / "demo_result.json").read_bytes()
    assert run_cli(["demo", "--out", str(folder), "--device", "cpu"]) == 0, capsys.readouterr().err
    assert json.loads((folder / "demo_result.json").read_bytes())["id"] == json.loads(first)["id"]


def test_reanalyse_of_a_case_whose_vcf_moved_says_how_to_give_it_again_without_an_option_it_lacks(tmp_path, capsys,
                                                                                                   engine):
    # it said "give it with --vcf", an option of analyze that `case reanalyse` does not have
    vcf = tmp_path / "p.vcf"
    vcf.write_text(vcf_text())
    case = tmp_path / "case.json"
    case.write_text(json.dumps(phenopacket(files=[{"uri": vcf.name, "fileAttributes": {"genomeAssembly": "GRCh37"}}])))
    store = str(tmp_path / "cases.sqlite")
    assert run_cli(["case", "--store", store, "import", str(case)]) == 0
    vcf.rename(tmp_path / "moved.vcf")
    capsys.readouterr()
    assert run_cli(["case", "--store", store, "reanalyse", "malformed-test", "--device", "cpu"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: VCF file not found: {vcf}; "), err
    assert "--vcf" not in err[0] and "raretrace case import --replace" in err[0], err


@pytest.mark.parametrize("action", [["show"], ["delete", "--yes"], ["export"], ["reanalyse", "--no-save"]])
def test_a_case_id_typed_in_another_encoding_than_utf8_is_one_error_line(action, tmp_path, capsys):
    # a Latin-1 terminal's "é" reaches Python as a lone surrogate: SQLite refused it as an internal error, status 1
    from raretrace.case import case_from_terms
    from raretrace.store import CaseStore

    store = tmp_path / "cases.sqlite"
    with CaseStore(store) as s:
        s.save_case(case_from_terms("caf\u00e9", ["HP:0001250"]))
    status = run_cli(["case", "--store", str(store), action[0], "caf\udce9", *action[1:]])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1, err
    assert err[0].startswith("error: argument ID: 'caf\\udce9' is not UTF-8 text; give the case's ID as"), err
    with CaseStore(store) as s:
        assert [c.id for c in s.list_cases()] == ["caf\u00e9"]
