"""How far the validation fold's records can tell their diagnosis apart, whatever the model.

For every held-out case (fold 0 by default, ranked with a library lacking the fold's publications, as in
validation), counts the other diseases whose annotations match every present feature at least as specifically as
the true diagnosis does: per feature, the information content of the most informative ancestor it shares with
the disease's (propagated) annotations. Frequencies and excluded features are not counted, so these diseases can
still be told apart, but only by them. Prints the table of `disease_ranker.md` (recall of the shipped model per
group) and the rank distribution of the true diagnosis.

    python models/checks/specificity_ceiling.py --kb /tmp/kb.sqlite [--fold 0]
"""

import argparse
import sqlite3
from pathlib import Path

import numpy as np

from raretrace.bench.accuracy import full_rank_of, library_case_to_input, pmid_fold
from raretrace.library import load_library
from raretrace.ontology import Ontology
from raretrace.ranking import Ranker

MODEL = Path(__file__).resolve().parents[1] / "disease_ranker.onnx"
NO_PROFILE = 10**6


def best_match_ic(prop_csc, ic: np.ndarray, onto: Ontology, terms: list[int]) -> np.ndarray:
    """diseases x features: IC of the most informative ancestor of each feature the disease is annotated at or below."""
    match = np.zeros((prop_csc.shape[0], len(terms)), dtype=np.float32)
    for j, term in enumerate(terms):
        _, ancestors = onto.ancestor_matrix_rows(np.array([term], dtype=np.int64))
        for a in ancestors:
            rows = prop_csc.indices[prop_csc.indptr[a]:prop_csc.indptr[a + 1]]
            match[rows, j] = np.maximum(match[rows, j], ic[a])
    return match


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", required=True)
    parser.add_argument("--fold", type=int, default=0)
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{args.kb}?mode=ro", uri=True)
    onto = Ontology(db)
    library = load_library(db)
    held_out = [c for c in library if pmid_fold(c.pmid) == args.fold]
    ranker = Ranker(db, onto, device="cpu", library=library, exclude_pmids=frozenset(c.pmid for c in held_out),
                    model_path=MODEL)
    prop = ranker.profiles.prop.tocsc()
    ranks, rivals = [], []
    for case in held_out:
        patient_case, _ = library_case_to_input(case)
        logits = ranker.score([ranker.features(ranker.patient(patient_case)).values])[0][0]
        truth = ranker.profiles.index.get(case.disease_id)
        terms = [t for t in (onto.resolve(x).index for x in case.present) if t is not None]
        if truth is None or not terms:
            ranks.append(NO_PROFILE)
            rivals.append(-1)
            continue
        ranks.append(full_rank_of(logits, truth))
        match = best_match_ic(prop, ranker.ic, onto, terms)
        rivals.append(int((match >= match[truth]).all(axis=1).sum()) - 1)
    rank, rival = np.array(ranks), np.array(rivals)
    print(f"fold {args.fold}: {len(rank)} cases; no profile or no known present feature {int((rank == NO_PROFILE).sum())}")
    for lo, hi in ((1, 1), (2, 3), (4, 10), (11, 50), (51, 100), (101, 500), (501, NO_PROFILE - 1)):
        print(f"  true diagnosis at {lo}-{hi}: {int(((rank >= lo) & (rank <= hi)).sum())}")
    print("other diseases matching every feature at least as well | cases | recall@1 | recall@10")
    for label, group in (("none", rival == 0), ("1 or more", rival >= 1), ("9 or more", rival >= 9),
                         ("100 or more", rival >= 100)):
        if group.any():
            print(f"  {label} | {int(group.sum())} | {(rank[group] == 1).mean():.3f} | {(rank[group] <= 10).mean():.3f}")


if __name__ == "__main__":
    main()
