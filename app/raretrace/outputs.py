"""Which existing files an output may replace: the checks the command line and the application both make before
writing an export (a phenopacket, a PDF report, a figure, results), so that a file of patient data is never lost
to one. No Qt: the GUI asks these and says the refusal in its own words around it."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .analysis import same_file
from .errors import RareTraceError

if TYPE_CHECKING:
    from .case import Case
    from .store import CaseStore


def _batch_line(head: bytes) -> bool:
    """The file's first line is a batch result line (an object with `id` and `diseases`), not any JSON file."""
    try:
        line = json.loads(head.split(b"\n", 1)[0])
    except ValueError:
        return False
    return isinstance(line, dict) and "id" in line and "diseases" in line


def _json_object(head: bytes) -> bool:
    """The file starts as a JSON object (an earlier export; a UTF-8 BOM allowed), not a database or a text."""
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")


def _bench_results(head: bytes) -> bool:
    """An earlier `bench --json` file (a run, or a comparison of runs or models): a JSON object whose first key is
    the one `bench` writes first."""
    return re.match(rb'\{\s*"(raretrace|models_compare|results_compare)"', head) is not None


def _analysis_result(head: bytes) -> bool:
    """An earlier analysis result (`demo`'s demo_result.json, AnalysisResult.to_json): a JSON object of `id` then
    `diseases`; a phenopacket has `id` then `subject` or `phenotypicFeatures`."""
    return re.match(rb'\{\s*"id"\s*:\s*"(?:[^"\\]|\\.)*"\s*,\s*"diseases"\s*:', head) is not None


# What RareTrace writes into its own PDF reports (reportlab's Info dictionary: `producer` of report.render_report,
# its parentheses escaped) and PNG figures (a tEXt chunk "Software", figures.to_png): any other PDF or PNG (a
# referral letter, a scan, a lab report) may be patient data of its own, and is never replaced by an export.
PDF_PRODUCER = b"/Producer (RareTrace "
PNG_SOFTWARE = b"tEXtSoftware\x00RareTrace "


def _raretrace_pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF") and PDF_PRODUCER in head


def _raretrace_png(head: bytes) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n") and PNG_SOFTWARE in head


# How an earlier output of each kind is recognised: an existing file that is not one is someone's data (a
# phenopacket, the case store) and is never written over.
OUTPUT_SIGNATURES = {
    "results (JSON lines)": _batch_line,
    "PDF report": _raretrace_pdf,
    "phenopacket (JSON)": _json_object,
    "benchmark result (JSON)": _bench_results,
    "result (JSON)": _analysis_result,
    "figure (PNG)": _raretrace_png,
    "figure (SVG)": lambda head: head.startswith((b"<?xml", b"<svg")) and b"<svg" in head,
}
# A file of the kind's format that RareTrace did not write, said as such (it is not "not a PDF").
_NOT_OURS = {"PDF report": (b"%PDF", "a PDF"), "figure (PNG)": (b"\x89PNG", "a PNG image")}


def not_overwriting_data(path: Path, kind: str, inputs: Iterable[Path] | Mapping[Path, str] = ()) -> Path:
    """Refuse an output path that names one of the inputs (a mapping names what each is: "the case's VCF"), or an
    existing file that is not an earlier output of this kind; checks only (no folder is made)."""
    if path.is_dir():
        raise RareTraceError(f"{path} is a folder; give a file name for the {kind}")
    if path.exists() and not path.is_file():  # a device or a pipe: the written file would be renamed over it
        raise RareTraceError(f"{path} is not a regular file (a device, a pipe); give a file name for the {kind}")
    named = inputs if isinstance(inputs, Mapping) else dict.fromkeys(inputs, "one of the input files")
    for given, what in named.items():
        if same_file(given, path):
            raise RareTraceError(f"{path} is {what}; choose another name for the {kind}")
    if path.is_file() and path.stat().st_size:
        with path.open("rb") as handle:
            head = handle.read(1 << 20).lstrip()  # a batch line of 20 diseases and genes is a few KB
            if kind == "PDF report":  # a larger PDF: its Info dictionary may be near the end
                handle.seek(max(1 << 20, path.stat().st_size - (64 << 10)))
                head += handle.read()
        if not OUTPUT_SIGNATURES[kind](head):
            start, other = _NOT_OURS.get(kind, (None, ""))
            if start and head.startswith(start):
                raise RareTraceError(f"{path} exists and is {other} that RareTrace did not write; choose another name "
                                     "or move it away first")
            raise RareTraceError(f"{path} exists and is not a {kind}; choose another name or move it away first")
    return path


_ANONYMOUS_EXPORT = re.compile(r"anonymised phenopacket (\S+) written to ")


def anonymous_exports(store: CaseStore, case_id: str) -> set[str]:
    """The IDs the case's anonymised exports were given, as its audit log keeps them."""
    return {m.group(1) for e in store.audit(case_id) if e.action == "exported" for c in e.changes
            if (m := _ANONYMOUS_EXPORT.match(c))}


def not_another_phenopacket(path: Path, case_id: str, earlier: set[str] | frozenset[str] = frozenset(),
                            anonymise: bool = True, update: str = "") -> None:
    """An existing phenopacket is replaced only by a later export of the same case: of its ID, or, `anonymise`d,
    of an ID in `earlier` (its anonymised exports'); another patient's file is never written over, nor the copy
    made to share by the patient's identifiable data (`update`: how the caller updates that copy, "" if it cannot)."""
    if not path.is_file() or not path.stat().st_size:
        return
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        old = None
    other = old.get("id") if isinstance(old, dict) else None
    if other in earlier and not anonymise:
        raise RareTraceError(f"{path} exists and holds this case's anonymised export ({other}), which an export "
                             f"with the patient's identifiers never replaces; {update + ', or ' if update else ''}"
                             "choose another name")
    if other != case_id and other not in earlier:
        what = (f"the phenopacket of another case ({other})" if isinstance(other, str)
                else "a phenopacket without an ID" if isinstance(old, dict)
                else "JSON that is not a phenopacket (batch results, one object a line, or a damaged file)")
        raise RareTraceError(f"{path} exists and holds {what}; choose another name or move it away first")
    # The case's own file as imported (a solved case): its diagnosis is never stored, so an export there loses it.
    # (Imported here: the other outputs need not load the phenopacket schema.)
    from .phenopacket import NEVER_KEPT

    answer = [k for k in NEVER_KEPT if isinstance(old, dict) and old.get(k)]
    if answer:
        raise RareTraceError(f"{path} exists and holds this case's {' and '.join(answer)} (its diagnosis), which the "
                             "case store does not keep and an export would not write; choose another name")


def case_inputs(case: Case, ped: str | None = None, store: CaseStore | None = None,
                kb: Path | None = None) -> dict[Path, str]:
    """The files a case's exports are made from, each named for a refusal: its VCF and other files, its family's
    PED, the case store and the knowledge base."""
    named: dict[Path, str] = {}
    for f in case.files:
        if f.path and f.local:
            named[Path(f.path)] = "the case's VCF" if f is case.vcf else "one of the case's files"
    if ped:
        named[Path(ped)] = "the case's PED file"
    if store is not None:
        named[store.path] = "the case store"
    if kb is not None:
        named[kb] = "the knowledge base"
    return named


FIGURE_KINDS = {".png": "figure (PNG)", ".svg": "figure (SVG)"}


def phenopacket_target(path: Path, case_id: str, store: CaseStore | None,
                       inputs: Iterable[Path] | Mapping[Path, str] = (), anonymise: bool = False,
                       update: str = "") -> Path:
    """Where a case's phenopacket may be exported: never over the case store, one of `inputs`, a file that is not a
    phenopacket, another case's phenopacket, or (not `anonymise`d) the case's own anonymised copy."""
    named = dict(inputs) if isinstance(inputs, Mapping) else dict.fromkeys(inputs, "one of the input files")
    if store is not None:
        named[store.path] = "the case store"
    not_overwriting_data(path, "phenopacket (JSON)", named)
    earlier: set[str] = set()
    if store is not None:
        # a store that cannot be read: its anonymised copies are refused as other cases' (the safe side)
        with contextlib.suppress(RareTraceError, sqlite3.Error):
            earlier = anonymous_exports(store, case_id)
    not_another_phenopacket(path, case_id, earlier, anonymise, update)
    return path
