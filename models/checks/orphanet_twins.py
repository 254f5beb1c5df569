"""Held-out recall with and without each OMIM entry scored by its Orphanet twin's description too
(`Ranker.twin_logits`), disease and gene, per fold and pooled.

Each fold K is ranked with a library lacking its publications (as in validation) by the ONNX model given for it
(trained without fold K: `models/train_ranker.py --val-fold K --out MK.onnx`; fold 0: the shipped model).

    python models/checks/orphanet_twins.py --kb /tmp/kb.sqlite 0=models/disease_ranker.onnx 1=M1.onnx ... 4=M4.onnx
"""

import argparse
import sqlite3
from pathlib import Path

import numpy as np

from raretrace.bench.accuracy import full_rank_of, library_case_to_input, pmid_fold
from raretrace.library import load_library
from raretrace.ontology import Ontology
from raretrace.ranking import Ranker


def figures(ranks: list[int | None], n: int) -> str:
    """recall@1 / @3 / @10, MRR over n cases (a case without a rank counts as missed)."""
    at = [sum(1 for r in ranks if r is not None and r <= k) / n for k in (1, 3, 10)]
    return f"{at[0]:.3f} / {at[1]:.3f} / {at[2]:.3f}, {sum(1 / r for r in ranks if r) / n:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kb", required=True)
    ap.add_argument("models", nargs="+", help="FOLD=MODEL.onnx")
    args = ap.parse_args()
    db = sqlite3.connect(f"file:{args.kb}?mode=ro", uri=True)
    onto, library = Ontology(db), load_library(db)
    pooled: dict[bool, tuple[list, list]] = {False: ([], []), True: ([], [])}
    n_cases = n_genes = 0
    for spec in args.models:
        fold, model = int(spec.split("=")[0]), Path(spec.split("=", 1)[1])
        held = [c for c in library if pmid_fold(c.pmid) == fold]
        ranker = Ranker(db, onto, device="cpu", library=library, exclude_pmids=frozenset(c.pmid for c in held),
                        model_path=model)
        ranks: dict[bool, tuple[list, list]] = {False: ([], []), True: ([], [])}
        for c in held:
            case, truth = library_case_to_input(c)
            patient = ranker.patient(case)
            genes = [ranker.gene_index[g] for g in truth.genes if g in ranker.gene_index]
            if not len(patient.present):
                for twins in (False, True):
                    ranks[twins][0].append(None)
                    if truth.genes:
                        ranks[twins][1].append(None)
                continue
            values = ranker.features(patient).values
            target = ranker.profiles.index.get(truth.disease_id)
            for twins in (False, True):
                logits, posterior = ranker.score([values], twins=twins)
                ranks[twins][0].append(full_rank_of(logits[0], target) if target is not None else None)
                if truth.genes:
                    scores = np.asarray(ranker.gene_matrix @ posterior[0]).ravel()
                    ranks[twins][1].append(min((full_rank_of(scores, g) for g in genes), default=None))
        n, g = len(ranks[False][0]), len(ranks[False][1])
        n_cases, n_genes = n_cases + n, n_genes + g
        print(f"fold {fold}: {n} cases, diseases {figures(ranks[False][0], n)} -> {figures(ranks[True][0], n)}; "
              f"{g} naming a gene, genes {figures(ranks[False][1], g)} -> {figures(ranks[True][1], g)}", flush=True)
        for twins in (False, True):
            pooled[twins][0].extend(ranks[twins][0])
            pooled[twins][1].extend(ranks[twins][1])
    print(f"all: {n_cases} cases, diseases {figures(pooled[False][0], n_cases)} -> {figures(pooled[True][0], n_cases)}; "
          f"{n_genes} naming a gene, genes {figures(pooled[False][1], n_genes)} -> {figures(pooled[True][1], n_genes)}")


if __name__ == "__main__":
    main()
