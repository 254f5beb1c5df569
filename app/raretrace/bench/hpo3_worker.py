"""Runs inside the separate hpo3 virtual environment (never RareTrace's own: hpo3 installs a module named `pyhpo`,
which would shadow the HPO data carrier). Imports nothing from RareTrace.

stdin: {"method": "resnik", "combine": "funSimAvg", "top": 500, "cases": [{"id": ..., "terms": [HP IDs]}]}
stdout: one JSON object: hpo3's version and HPO release, load time, and per case the seconds of the set
similarity against every OMIM disease and the best `top` diseases as [["OMIM:n", score], ...].
"""

from __future__ import annotations

import json
import sys
import time


def main() -> int:
    request = json.load(sys.stdin)
    started = time.perf_counter()
    import pyhpo
    from pyhpo import HPOSet, Ontology, helper

    Ontology()
    diseases = list(Ontology.omim_diseases)
    disease_sets = [d.hpo_set() for d in diseases]
    ids = [f"OMIM:{d.id}" for d in diseases]
    load = time.perf_counter() - started
    method, combine, top = request.get("method", "resnik"), request.get("combine", "funSimAvg"), request.get("top", 500)

    def case_set(terms: list[str]):
        known = []
        for t in terms:
            try:
                Ontology.get_hpo_object(t)
            except (KeyError, RuntimeError, ValueError):  # an ID this HPO release lacks
                continue
            known.append(t)
        return HPOSet.from_queries(known) if known else None, len(terms) - len(known)

    warm, _ = case_set(["HP:0001250"])
    helper.batch_set_similarity([(warm, d) for d in disease_sets], kind="omim", method=method, combine=combine)
    out = []
    for case in request["cases"]:
        t = time.perf_counter()
        query, unknown = case_set(case["terms"])
        if query is None:
            out.append({"id": case["id"], "seconds": time.perf_counter() - t, "top": [], "unknown_terms": unknown})
            continue
        scores = helper.batch_set_similarity([(query, d) for d in disease_sets], kind="omim", method=method,
                                             combine=combine)  # fmt: skip
        order = sorted(range(len(scores)), key=lambda i: -scores[i])[:top]
        seconds = time.perf_counter() - t
        out.append({"id": case["id"], "seconds": seconds, "top": [[ids[i], scores[i]] for i in order],
                    "unknown_terms": unknown})  # fmt: skip
    json.dump({
        "hpo3": getattr(pyhpo, "__version__", "?"),
        "hpo_release": Ontology.version(),
        "diseases": len(ids),
        "load_seconds": load,
        "method": method,
        "combine": combine,
        "cases": out,
    }, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
