"""Phenopacket round trip through the case store: import, save, load, export, compare with the original.

Reads the dev phenopackets straight from `phenopackets-dev.tar.gz` (or a folder of JSON files). A case "differs"
when its export, in the schema's normal form, is not equal to the original without `interpretations` and
`diseases` (never kept, by design); each difference is counted by its JSON path, indices folded.
"""

from __future__ import annotations

import json
import re
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..case import case_from_phenopacket
from ..errors import RareTraceError
from ..phenopacket import NEVER_KEPT, differences, schema_problem, to_phenopacket
from ..store import CaseStore


def _packets(source: Path) -> Iterator[tuple[str, Any]]:
    if source.is_dir():
        for path in sorted(source.rglob("*.json")):
            yield str(path), json.loads(path.read_text(encoding="utf-8"))
        return
    with tarfile.open(source, "r:*") as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".json"):
                handle = tar.extractfile(member)
                if handle is not None:
                    yield member.name, json.loads(handle.read().decode("utf-8"))


def _case_list_figures(store: CaseStore, search: str = "seiz", repeats: int = 3) -> dict:
    """Best of `repeats`: listing every stored case (the window's case list at start and after each save) and a
    search typed into it (a feature label's start, matching many cases)."""
    def best(query: str | None) -> tuple[float, int]:
        runs = []
        for _ in range(repeats):
            t = time.perf_counter()
            n = len(store.list_cases(query))
            runs.append(time.perf_counter() - t)
        return min(runs), n

    every, cases = best(None)
    searched, found = best(search)
    return {"cases": cases, "list_ms": round(every * 1000, 1), "search": search, "search_matches": found,
            "search_ms": round(searched * 1000, 1)}


def phenopacket_round_trip(source: str | Path, through_store: bool = True, limit: int | None = None) -> dict:
    """Counts and timings of the round trip of every phenopacket under `source` (a .tar.gz or a folder; the dev
    tarball is phenopackets-dev.tar.gz in the bench's data folder)."""
    source = Path(source)
    if not source.exists():
        raise RareTraceError(f"no phenopackets at {source}; give the dev tarball or a folder of phenopacket JSON")
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    never_kept: Counter[str] = Counter()
    examples: dict[str, str] = {}
    seconds: Counter[str] = Counter()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, CaseStore(Path(tmp) / "bench.sqlite") as store:
        for n, (name, data) in enumerate(_packets(source)):
            if limit is not None and n >= limit:
                break
            counts["phenopackets"] += 1
            if schema_problem(data):
                counts["original_not_schema_valid"] += 1
            never_kept.update(k for k in NEVER_KEPT if data.get(k))
            t = time.perf_counter()
            try:
                case = case_from_phenopacket(data, Path(name))
            except RareTraceError as exc:
                counts["import_errors"] += 1
                examples.setdefault("import error", f"{name}: {exc}")
                continue
            seconds["import"] += time.perf_counter() - t
            if through_store:
                t = time.perf_counter()
                store.save_case(case)
                seconds["store_save"] += time.perf_counter() - t
                t = time.perf_counter()
                loaded = store.load_case(case.id)
                seconds["store_load"] += time.perf_counter() - t
                if loaded != case or [p.details for p in loaded.phenotypes] != [p.details for p in case.phenotypes]:
                    counts["store_changed_case"] += 1
                case = loaded
            t = time.perf_counter()
            exported = to_phenopacket(case)
            seconds["export"] += time.perf_counter() - t
            if schema_problem(exported):
                counts["export_not_schema_valid"] += 1
            diffs = differences(data, exported, Path(name).parent)
            if diffs:
                counts["differ"] += 1
                for reason in sorted({re.sub(r"\[\d+\]", "[]", d) for d in diffs}):
                    reasons[reason] += 1
                    examples.setdefault(reason, name)
            else:
                counts["identical"] += 1
        integrity = store.integrity_check() if through_store else None
        case_list = _case_list_figures(store) if through_store else None
    total = counts["phenopackets"]
    return {
        "source": str(source),
        "phenopackets": total,
        "identical": counts["identical"],
        "differ": counts["differ"],
        "import_errors": counts["import_errors"],
        "original_not_schema_valid": counts["original_not_schema_valid"],
        "export_not_schema_valid": counts["export_not_schema_valid"],
        "store_changed_case": counts["store_changed_case"],
        "store_integrity": integrity,
        "case_list": case_list,  # the case list over every case stored, as the window fills and searches it
        "differences_by_path": dict(reasons.most_common()),
        "never_kept_by_design": dict(never_kept),  # cases whose interpretations/diseases an export leaves out
        "examples": examples,
        "seconds": round(time.perf_counter() - started, 2),
        "ms_per_case": {k: round(v / max(total, 1) * 1000, 3) for k, v in seconds.items()},
    }
