"""Held-out recall split by whether the diagnosis has published cases in the library it is ranked with, and by
whether the diagnosis's HPO annotations cite the case's own publication.

Each fold K is ranked with a library lacking its publications (as in validation) by the ONNX model given for it
(trained without fold K: `models/train_ranker.py --val-fold K --out MK.onnx`); the features come from the code on
the path, so a model is run with the code it was trained with. Prints recall@1 / @10 and MRR for the diagnoses with
published cases left in the library and for those without (their only publications held out), then for the cases
whose publication the diagnosis's HPO annotations cite (HPO's curators annotated the disease from that very paper,
often in the same terms: holding the paper out of the case library does not hold it out of the annotations) and for
the others, the nearer measure of a patient no paper describes. An OMIM entry is scored with its Orphanet twin, as
the ranker scores it (`Ranker.twin_logits`).

    python models/checks/library_split.py --kb /tmp/kb.sqlite 0=M0.onnx 1=M1.onnx 2=M2.onnx 3=M3.onnx 4=M4.onnx

`--hold-out-annotations` also leaves the annotations citing the fold's publications out of the scoring profiles
(`Ranker(hold_out_annotations=True)`), and prints the overall figures too.
"""

import argparse
import sqlite3

import numpy as np
import onnxruntime as ort

from raretrace.bench.accuracy import cited_publications, full_rank_of, library_case_to_input, pmid_fold
from raretrace.library import load_library
from raretrace.ontology import Ontology
from raretrace.ranking import Ranker


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", required=True)
    ap.add_argument("--hold-out-annotations", action="store_true",
                    help="leave HPO's annotations citing the fold's publications out of the profiles too")
    ap.add_argument("models", nargs="+", help="FOLD=MODEL.onnx, one per fold")
    args = ap.parse_args()
    db = sqlite3.connect(f"file:{args.kb}?mode=ro", uri=True)
    onto = Ontology(db)
    library = load_library(db)
    cited = cited_publications(db)
    ranks: dict[tuple[str, bool], list[int]] = {}
    for pair in args.models:
        fold, model = pair.split("=", 1)
        held_out = [c for c in library if pmid_fold(c.pmid) == int(fold)]
        ranker = Ranker(db, onto, device="cpu", library=library, exclude_pmids=frozenset(c.pmid for c in held_out),
                        hold_out_annotations=args.hold_out_annotations)
        # the model's own session: a fold's model need not be the shipped one the ranker would load
        session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
        for c in held_out:
            case, truth = library_case_to_input(c)
            patient = ranker.patient(case)
            d = ranker.profiles.index.get(truth.disease_id)
            if d is None or not len(patient.present):
                rank = len(ranker.profiles) + 1  # unrankable: a miss at every cut-off
            else:
                values = ranker.features(patient).values
                def score(v: np.ndarray, session: ort.InferenceSession = session) -> np.ndarray:
                    return session.run(["logits"], {"features": v.T[None].astype(np.float32)})[0][0]

                logits = ranker.twin_logits(values, score(values), score)  # an OMIM entry with its Orphanet twin
                rank = full_rank_of(logits, d)
            ranks.setdefault(("all", True), []).append(rank)
            ranks.setdefault(("library", bool(d is not None and ranker.case_counts[d] > 0)), []).append(rank)
            ranks.setdefault(("cited", (c.disease_id, c.pmid) in cited), []).append(rank)
    labels = {("all", True): "all", ("library", True): "diagnosis with published cases in the library", ("library", False): "without",
              ("cited", True): "publication cited by the diagnosis's HPO annotations", ("cited", False): "not cited"}
    for key, label in labels.items():
        r = np.array(ranks.get(key, []))
        if len(r):
            print(f"{label}: {len(r)} cases, recall@1 {np.mean(r <= 1):.3f}, recall@10 {np.mean(r <= 10):.3f}, "
                  f"MRR {np.mean(1 / r):.3f}")


if __name__ == "__main__":
    main()
