"""The case library: published patients (GA4GH phenopacket-store, CC BY 4.0), each cited by its PMID.

It serves two purposes: evidence ("3 published patients with this diagnosis share 6 of these features") and
ranking (similarity to published patients; case-derived profiles for diseases newer than the HPO release).
The shipped library lives in resources/case_library.tsv.gz; `raretrace case library add` appends phenopackets.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .case import phenopacket_files, read_json_file
from .errors import Cancelled, RareTraceError
from .kb import BUILD_STEPS, Progress
from .paths import resources_dir
from .phenopacket import schema_problem
from .sqlite_files import connect_read_only, why_not_writable
from .words import tidy_name

LIBRARY_FILE = "case_library.tsv.gz"
LIBRARY_COLUMNS = ("case_id", "pmid", "disease_id", "disease_label", "genes", "allelic_states", "sex", "present",
                   "excluded", "cohort")


@dataclass(frozen=True, slots=True)
class LibraryCase:
    case_id: str
    pmid: str
    disease_id: str
    disease_label: str
    genes: tuple[str, ...]
    allelic_states: tuple[str, ...]
    sex: str
    present: tuple[str, ...]
    excluded: tuple[str, ...]
    cohort: str


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


def read_library_tsv(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def library_row_from_phenopacket(data: dict, cohort: str = "") -> dict[str, str] | None:
    """The library row of a solved phenopacket (it must carry a diagnosis); None when it has none."""
    interpretations = data.get("interpretations") or []
    diagnoses = [i.get("diagnosis") or {} for i in interpretations if isinstance(i, dict)]
    diseases = [d.get("disease") or {} for d in diagnoses if d.get("disease")]
    if not diseases:
        diseases = [(d.get("term") or {}) for d in data.get("diseases") or [] if isinstance(d, dict)]
    if not diseases or not diseases[0].get("id"):
        return None
    genes: list[str] = []
    states: list[str] = []
    for diagnosis in diagnoses:
        for gi in diagnosis.get("genomicInterpretations") or []:
            vd = ((gi.get("variantInterpretation") or {}).get("variationDescriptor")) or {}
            symbol = (vd.get("geneContext") or {}).get("symbol") or (gi.get("gene") or {}).get("symbol")
            if symbol and symbol not in genes:
                genes.append(symbol)
            state = (vd.get("allelicState") or {}).get("label")
            if state:
                states.append(state)
    refs = [r.get("id", "") for r in (data.get("metaData") or {}).get("externalReferences") or []]
    feats = [f for f in data.get("phenotypicFeatures") or [] if isinstance(f, dict) and (f.get("type") or {}).get("id")]
    return {
        "case_id": str(data.get("id", "")),
        "pmid": next((r for r in refs if r.startswith("PMID:")), ""),
        "disease_id": diseases[0]["id"],
        "disease_label": diseases[0].get("label", ""),
        "genes": ",".join(genes),
        "allelic_states": ",".join(states),
        "sex": str((data.get("subject") or {}).get("sex", "")),
        "present": ",".join(sorted({f["type"]["id"] for f in feats if not f.get("excluded")})),
        "excluded": ",".join(sorted({f["type"]["id"] for f in feats if f.get("excluded")})),
        "cohort": cohort,
    }


def _create_table(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS library_cases (" + ", ".join(f"{c} TEXT" for c in LIBRARY_COLUMNS)
        + ", UNIQUE(case_id, pmid))"
    )


def _insert(db: sqlite3.Connection, rows: Iterable[dict[str, str]]) -> int:
    before = db.total_changes
    db.executemany(
        f"INSERT OR REPLACE INTO library_cases ({', '.join(LIBRARY_COLUMNS)}) VALUES "
        f"({', '.join('?' for _ in LIBRARY_COLUMNS)})",
        [tuple(r.get(c, "") or "" for c in LIBRARY_COLUMNS) for r in rows],
    )
    return db.total_changes - before


def library_digest(db: sqlite3.Connection) -> str:
    """A short digest of the library's content: what an analysis names as the library it used, so that a rebuilt
    knowledge base with the same cases is the same library (its build time is not) and any added or changed case
    is a different one."""
    digest = hashlib.sha256()
    for row in db.execute(f"SELECT {', '.join(LIBRARY_COLUMNS)} FROM library_cases ORDER BY case_id, pmid"):
        digest.update("\x1f".join(row).encode() + b"\x1e")
    return digest.hexdigest()[:12]


def _record_provenance(db: sqlite3.Connection, source: str) -> None:
    n, pmids = db.execute("SELECT COUNT(*), COUNT(DISTINCT pmid) FROM library_cases").fetchone()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    rows = {"case_library_cases": str(n), "case_library_publications": str(pmids), "case_library_updated": stamp,
            "case_library_digest": library_digest(db)}
    prev = db.execute("SELECT value FROM provenance WHERE key = 'case_library_sources'").fetchone()
    sources = json.loads(prev[0]) if prev else []
    sources.append({"source": source, "at": stamp})
    rows["case_library_sources"] = json.dumps(sources)
    db.executemany("INSERT OR REPLACE INTO provenance(key, value) VALUES (?, ?)", rows.items())


def build_library_step(db: sqlite3.Connection, progress: Progress) -> None:
    """KB build step: load the shipped case library."""
    _create_table(db)
    path = resources_dir() / LIBRARY_FILE
    if not path.is_file():
        raise RareTraceError(f"case library {path} is missing; reinstall RareTrace")
    _insert(db, read_library_tsv(path))
    _record_provenance(db, f"{LIBRARY_FILE} (GA4GH phenopacket-store b694d17e, CC BY 4.0)")


BUILD_STEPS.append(build_library_step)


def carry_over_additions(db: sqlite3.Connection, previous: Path) -> int:
    """Copy into a new build the cases that `case library add` put into the knowledge base it replaces (a rebuild
    must not lose them); returns how many. The additions are the previous library's cases that the shipped library
    lacks, looked for only where its provenance records an addition."""
    if not previous.is_file():
        return 0
    try:
        old = connect_read_only(previous)
        try:
            sources = old.execute("SELECT value FROM provenance WHERE key = 'case_library_sources'").fetchone()
            if sources is None or len(json.loads(sources[0])) < 2:  # the shipped library only
                return 0
            rows = old.execute(f"SELECT {', '.join(LIBRARY_COLUMNS)} FROM library_cases").fetchall()
        finally:
            old.close()
    except (sqlite3.Error, ValueError):  # not a knowledge base (it is replaced whole, as before)
        return 0
    shipped = set(db.execute("SELECT case_id, pmid FROM library_cases"))
    extra = [dict(zip(LIBRARY_COLUMNS, r, strict=True)) for r in rows if (r[0], r[1]) not in shipped]
    if extra:
        _insert(db, extra)
        _record_provenance(db, f"{len(extra)} cases added earlier with `case library add`, kept from the previous "
                               f"build of {previous.name}")
    return len(extra)


def add_phenopackets(kb_path: Path, paths: Iterable[Path], progress: Progress | None = None) -> tuple[int, list[str]]:
    """Add solved phenopackets (files or folders) to the KB's case library; returns (added, warnings)."""
    outcome = add_to_case_library(kb_path, paths, progress)
    return outcome.added, outcome.warnings


class LibraryAddition(NamedTuple):
    """What adding phenopackets to the case library did, as the GUI and `raretrace case library add` say it."""

    added: int  # cases new to the library
    already: int  # cases already in it (same case ID and PMID), replaced by the file's version
    skipped: int  # files not added (unreadable, not a phenopacket, unsolved); each has its warning
    warnings: list[str]  # each file skipped, and notes on cases added (a diagnosis ID HPO lacks): not all skips


LIBRARY_ADD_STOPPED = "adding to the case library stopped; nothing was added"


def add_to_case_library(kb_path: Path, paths: Iterable[Path], progress: Progress | None = None,
                        cancel: Callable[[], bool] | None = None) -> LibraryAddition:
    """Add solved phenopackets (files or folders) to the KB's case library. A case already in the library (same
    case ID and PMID) is replaced by the file's, not counted as added.

    `cancel` is asked before each file is read and once more just before the cases are committed: true raises
    Cancelled and the library is left as it was. The cases are written in one transaction, so a stop never leaves
    some of them added."""
    paths = list(paths)
    files = phenopacket_files(paths)
    warnings: list[str] = []
    read: dict[tuple[str, str], tuple[Path, dict[str, str]]] = {}  # by (case ID, PMID), the library's key
    for n, file in enumerate(files):
        if cancel is not None and cancel():
            raise Cancelled(LIBRARY_ADD_STOPPED)
        if progress and n % 200 == 0:
            progress(f"Reading {file.name}", n / len(files))
        try:
            data = read_json_file(file)
        except RareTraceError as exc:
            warnings.append(str(exc))
            continue
        if not isinstance(data, dict):
            warnings.append(f"{file}: not a phenopacket (the top level must be a JSON object)")
            continue
        # the row is read from a file of any origin: a wrong type (a diagnosis as a string) is one skipped file
        if problem := schema_problem(data, allow_unknown_fields=True):
            warnings.append(f"{file}: not a valid phenopacket ({problem}), skipped")
            continue
        row = library_row_from_phenopacket(data, file.parent.name)
        if row is None:
            warnings.append(f"{file}: no diagnosis, skipped (the library holds solved cases only)")
            continue
        key = (row["case_id"], row["pmid"])
        if key in read:  # a copy in another folder: one case, not one added and one "already in it"
            warnings.append(f"{read[key][0]}: skipped, the same case ({key[0] or 'no ID'}, {key[1] or 'no PMID'}) "
                            f"as {file}, whose version is kept")
        read[key] = (file, row)  # the later file's version, as the library's INSERT OR REPLACE would keep it
    rows = [row for _, row in read.values()]
    db = sqlite3.connect(kb_path)
    try:
        with db:
            _create_table(db)
            count = "SELECT COUNT(*) FROM library_cases"
            before = db.execute(count).fetchone()[0]
            _insert(db, rows)
            added = db.execute(count).fetchone()[0] - before
            known = {r[0] for r in db.execute("SELECT id FROM diseases")} if rows else set()
            new = sorted({r["disease_id"] for r in rows} - known)
            if new:  # a typo'd ID would otherwise become a disease of its own without a word
                warnings.append(f"{len(new)} diagnosis ID(s) that HPO's annotations do not have ("
                                f"{', '.join(new[:5])}{' …' if len(new) > 5 else ''}): ranked from their published "
                                "cases alone, as diseases newer than the HPO release; check the IDs")
            _record_provenance(db, f"{len(rows)} phenopackets from {', '.join(str(p) for p in paths)}")
            if cancel is not None and cancel():  # the last moment a stop can be honoured: `with db` rolls back
                raise Cancelled(LIBRARY_ADD_STOPPED)
    except sqlite3.OperationalError as exc:  # a read-only knowledge base or folder, a full disk
        raise RareTraceError(f"cannot add to the case library of {kb_path}: {why_not_writable(exc, Path(kb_path)) or exc}; "
                             "nothing was added") from exc
    finally:
        db.close()
    if progress:
        progress("Case library updated" if rows else "Case library unchanged", 1.0)
    return LibraryAddition(added, len(rows) - added, len(files) - len(rows), warnings)


def load_library(db: sqlite3.Connection) -> list[LibraryCase]:
    rows = db.execute(f"SELECT {', '.join(LIBRARY_COLUMNS)} FROM library_cases ORDER BY rowid").fetchall()
    return [
        LibraryCase(
            # the name as shown (some phenopackets end one in a space, or copy HPO's " , ")
            case_id=r[0], pmid=r[1], disease_id=r[2], disease_label=tidy_name(r[3] or ""), genes=_split(r[4]),
            allelic_states=_split(r[5]), sex=r[6], present=_split(r[7]), excluded=_split(r[8]), cohort=r[9],
        )
        for r in rows
    ]
