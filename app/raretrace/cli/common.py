"""Helpers shared by the command modules: the engine, progress on stderr, JSON output."""

from __future__ import annotations

import codecs
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..engine import Engine
from ..errors import RareTraceError, on_one_line
from ..outputs import not_overwriting_data

_progress_line = {"open": False}  # a terminal's progress line is rewritten in place until it reaches 100%


def stderr_progress(message: str, fraction: float) -> None:
    message = on_one_line(message)  # it may name a file or a VCF sample: one line, which a terminal rewrites
    if sys.stderr.isatty():
        print(f"\r[{fraction * 100:5.1f}%] {message:<60}", end="" if fraction < 1 else "\n", file=sys.stderr)
        _progress_line["open"] = fraction < 1
    else:
        print(f"[{fraction * 100:5.1f}%] {message}", file=sys.stderr)


def end_progress_line() -> None:
    """Before any other message on stderr: a terminal's progress line left open (a read stopped midway by an error
    or Ctrl-C) is ended, so that the message starts its own line instead of trailing the progress."""
    if _progress_line["open"]:
        _progress_line["open"] = False
        print(file=sys.stderr)


def engine(args: Any, exclude_pmids: frozenset[str] = frozenset()) -> Engine:
    return Engine(getattr(args, "kb", None), device=getattr(args, "device", "auto") or "auto", progress=stderr_progress,
                  exclude_pmids=exclude_pmids)


def json_text(value: Any, indent: int | None = None) -> str:
    """JSON for standard output: readable UTF-8 where stdout writes UTF-8, else \\u escapes, so that the bytes are
    UTF-8 JSON whatever the stream's encoding (an ASCII or Latin-1 locale, Windows' cp1252 for a pipe would write é
    as a byte no UTF-8 reader takes), and a file name whose bytes are not UTF-8 stays valid JSON where stdout's own
    error handling would not (it writes "\\xe9" for é)."""
    try:
        utf8 = codecs.lookup(sys.stdout.encoding or "utf-8").name == "utf-8"
    except LookupError:
        utf8 = False
    if utf8:
        text = json.dumps(value, indent=indent, ensure_ascii=False)
        try:
            text.encode("utf-8")
            return text
        except UnicodeEncodeError:  # a lone surrogate: a file name whose bytes are not UTF-8
            pass
    return json.dumps(value, indent=indent, ensure_ascii=True)


def json_line(value: Any) -> bytes:
    """One JSON line in UTF-8, for a JSON-lines file; what UTF-8 cannot hold (a file name whose bytes are not UTF-8)
    as \\u escapes, which stay valid JSON."""
    try:
        return (json.dumps(value, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(value, ensure_ascii=True) + "\n").encode("ascii")


def print_json(value: Any) -> None:
    sys.stdout.write(json_text(value, indent=2) + "\n")


def warn(message: str) -> None:
    end_progress_line()
    print(f"warning: {on_one_line(message)}", file=sys.stderr)


def positive_int(text: str) -> int:
    """argparse type of counts such as --top: a whole number of at least 1."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def case_id_arg(text: str) -> str:
    """argparse type of a stored case's ID: text a terminal gave in another encoding than UTF-8 (a byte Python keeps
    as a lone surrogate) is no case's ID, and SQLite cannot even be asked for it."""
    import argparse

    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(f"{ascii(text)} is not UTF-8 text; give the case's ID as `raretrace case "
                                         "list` shows it") from None
    return text


def existing_dir(text: str) -> Path:
    """argparse type of folders that must already exist (a data folder read, never created)."""
    import argparse

    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"not a directory: {text}" if path.exists() else f"no such directory: {text}")
    return path


def replaceable_output(path: Path, kind: str, inputs: tuple[Path, ...] = ()) -> Path:
    """`writable_file`, and refuse an output path that names one of the command's inputs, or an existing file that is
    not an earlier output of this kind (a phenopacket, the case store, a knowledge base): writing would destroy it."""
    writable_file(path)
    return not_overwriting_data(path, kind, inputs)


def named_file(path: Path, kind: str) -> Path:
    """An output that is only ever a file (a PDF, a knowledge base): '-', which means standard output to `batch`,
    `case export` and `bench --json`, is refused rather than written as a file named '-' in the current folder."""
    if str(path) == "-":
        raise RareTraceError(f"the {kind} is written to a file, not standard output; give a file name for --out")
    return path


def writable_file(path: Path) -> Path:
    """Check, before any work is done, that an output file can be written: its folder exists (or is made) and the
    path is not a folder."""
    if path.is_dir():
        raise RareTraceError(f"{path} is a folder; give a file name for the output")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RareTraceError(f"cannot create the folder {path.parent} for {path.name}: {exc.strerror or exc}") from None
    if not os.access(path.parent, os.W_OK):
        raise RareTraceError(f"cannot write to {path.parent}: permission denied")
    try:  # what access() cannot tell (a read-only mount, /proc, root's view): a file is made and gone at once
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as exc:
        raise RareTraceError(f"cannot write to {path.parent}: {exc.strerror or exc}; choose another folder for "
                             f"{path.name}") from None
    return path
