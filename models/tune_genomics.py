"""Tune the gene combination (phenotype x variant evidence x inheritance) on simulated exomes; report held-out recall.

    python models/simulate_exomes.py --out /tmp/sim_exomes --fold 0 --fold 1
    python models/tune_genomics.py --sim /tmp/sim_exomes --kb KB.sqlite [--tune-fold 1] [--eval-fold 0]
    python models/tune_genomics.py --current --eval-fold 2 --model M2.onnx --sim /tmp/sim_f2 --kb KB.sqlite

(--current: one fold's figures with the shipped constants, ranked by a disease model trained without that fold,
`models/train_ranker.py --val-fold 2 --out M2.onnx`; give each fold its own --cache.)

Cases of the tuning fold choose the parameters; the evaluation fold (publications never used for tuning, left out
of the case library while ranked, as in the lead's validation) reports recall@1/@5. The phenotype ranking and the
VCF reading are cached per case in --cache, so the grid itself is quick.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from raretrace import inheritance  # noqa: E402
from raretrace.bench.accuracy import pmid_fold  # noqa: E402
from raretrace.case import load_phenopacket  # noqa: E402
from raretrace.genomics import load_genomics  # noqa: E402
from raretrace.kb import open_kb  # noqa: E402
from raretrace.library import load_library  # noqa: E402
from raretrace.ontology import Ontology  # noqa: E402
from raretrace.ranking import Ranker  # noqa: E402


def collect(sim: Path, kb: Path, fold: int, model: Path | None, limit: int, use_published: bool) -> list[dict]:
    db = open_kb(kb)
    onto = Ontology(db)
    library = load_library(db)
    held_out = frozenset(c.pmid for c in library if pmid_fold(c.pmid) == fold)
    all_pmids = frozenset(c.pmid for c in library)
    ranker = Ranker(db, onto, device="cpu", library=library, exclude_pmids=held_out, model_path=model)
    truths = [json.loads(x) for x in (sim / "truth.jsonl").read_text().splitlines() if x.strip()]
    truths = [t for t in truths if t["fold"] == fold][: limit or None]
    universe = set(ranker.gene_symbols)
    out = []
    started = time.time()
    for n, t in enumerate(truths, start=1):
        case = load_phenopacket(sim / t["case"])
        patient = ranker.patient(case)
        feats = ranker.features(patient)
        _logits, posterior = ranker.score([feats.values])
        gene_scores = np.asarray(ranker.gene_matrix @ posterior[0]).ravel()
        pheno = {s: float(v) for s, v in zip(ranker.gene_symbols, gene_scores.tolist(), strict=True) if v > 0}
        vcf = case.vcf
        sex = case.sex if case.sex in ("MALE", "FEMALE") else None
        g = load_genomics(vcf.path, db, declared_assembly=vcf.assembly, sample=vcf.sample, sex=sex,
                          exclude_pmids=held_out if use_published else frozenset({"*"} | set(all_pmids)))  # fmt: skip
        genes = {
            s: (gv.pathogenicities, gv.genotypes, gv.origins, gv.haplotypes, gv.chrom)
            for s, gv in g.genes.items()
            if s in universe
        }
        out.append({"truth": t["genes"], "pheno": pheno, "genes": genes, "sex": g.sex, "pmid": t["pmid"]})
        if n % 50 == 0:
            print(f"  fold {fold}: {n}/{len(truths)} cases ({time.time() - started:.0f} s)", flush=True)
    return out


def variant_scores(case: dict, modes: dict[str, set[str]]) -> dict[str, tuple[float, float, float]]:
    """gene -> (score under inheritance, raw, log n of its candidate variants) with the module's current constants."""
    out = {}
    for symbol, (paths, gts, origins, haps, chrom) in case["genes"].items():
        evaluated = inheritance._evaluate(paths, gts, origins, haps, chrom, case["sex"], {})
        annotated = {m for m in modes.get(symbol, ()) if m in inheritance.MODES}
        mode, score, _ok = inheritance._best_mode(evaluated, annotated)
        raw = paths[0] if paths else 0.0
        n = inheritance.candidate_count(paths)
        out[symbol] = ((raw * inheritance.INCOMPATIBLE_FACTOR if mode is None else score), raw, math.log(max(n, 1)))
    return out


def arrays(case: dict, scores: dict[str, tuple[float, float, float]]) -> tuple[np.ndarray, ...]:
    """(phenotype scores, variant scores, log candidate counts, truth mask) over every gene of the case."""
    symbols = sorted(set(case["pheno"]) | set(scores))
    p = np.array([case["pheno"].get(s, 0.0) for s in symbols])
    v = np.array([scores.get(s, (0.0, 0.0, 0.0))[0] for s in symbols])
    log_n = np.array([scores.get(s, (0.0, 0.0, 0.0))[2] for s in symbols])
    truth = np.array([s in set(case["truth"]) for s in symbols])
    return p, v, log_n, truth


def gene_rank(p, v, log_n, truth, weight: float, eps: float, count_weight: float) -> int | None:
    if not truth.any():
        return None
    logit = np.log(p + eps) + weight * v - count_weight * log_n
    return int(np.sum(logit > logit[truth].max())) + 1


def evaluate(cases: list[dict], modes, weight: float, eps: float, cached=None, count_weight: float = 0.0) -> dict:
    ranks = []
    for i, case in enumerate(cases):
        p, v, log_n, truth = cached[i] if cached is not None else arrays(case, variant_scores(case, modes))
        ranks.append(gene_rank(p, v, log_n, truth, weight, eps, count_weight))
    n = len(ranks)
    return {
        "recall@1": sum(1 for r in ranks if r is not None and r <= 1) / n,
        "recall@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
        "recall@10": sum(1 for r in ranks if r is not None and r <= 10) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
        "n": n,
        "rankable": sum(1 for r in ranks if r is not None),  # cases whose causal gene has a known disease
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sim", type=Path, required=True)
    ap.add_argument("--kb", type=Path, required=True)
    ap.add_argument("--model", type=Path, default=None, help="disease ranker ONNX (default: the shipped one)")
    ap.add_argument("--tune-fold", type=int, default=1)
    ap.add_argument("--eval-fold", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--no-published", action="store_true", help="ignore the published-variants lookup")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/raretrace_tune_genomics.pkl"))
    ap.add_argument("--current", action="store_true",
                    help="no grid: the evaluation fold's figures with the shipped constants (collects that fold only; "
                         "pass --model trained without it, models/train_ranker.py --val-fold K)")  # fmt: skip
    args = ap.parse_args(argv)

    folds = (args.eval_fold,) if args.current else (args.tune_fold, args.eval_fold)
    data = pickle.loads(args.cache.read_bytes()) if args.cache.is_file() else {}
    if any(f not in data for f in folds):  # a cache of other folds is not reused for these
        data = {f: collect(args.sim, args.kb, f, args.model, args.limit, not args.no_published) for f in folds}
        args.cache.write_bytes(pickle.dumps(data))
    modes = inheritance.gene_modes(open_kb(args.kb))
    if args.current:  # the shipped constants, no grid
        params = {"single_het": inheritance.SINGLE_HET_RECESSIVE, "incompatible": inheritance.INCOMPATIBLE_FACTOR,
                  "weight": inheritance.VARIANT_WEIGHT, "eps": inheritance.PHENOTYPE_FLOOR,
                  "count_weight": inheritance.CANDIDATE_COUNT_WEIGHT}  # fmt: skip
        tuned = None
    else:
        tune = data[args.tune_fold]
        grid_factors = list(itertools.product((0.1, 0.2, 0.35, 0.5), (0.03, 0.1, 0.3)))
        best = None
        for single, incompatible in grid_factors:
            inheritance.SINGLE_HET_RECESSIVE, inheritance.INCOMPATIBLE_FACTOR = single, incompatible
            cached = [arrays(c, variant_scores(c, modes)) for c in tune]
            for weight, eps, count_weight in itertools.product((6, 8, 10, 12, 14, 16, 18, 20),
                                                               (1e-7, 1e-6, 1e-5, 1e-4, 1e-3), (0, 0.5, 1, 1.5, 2, 3)):
                m = evaluate(tune, modes, weight, eps, cached, count_weight)
                key = (m["recall@1"], m["mrr"])
                if best is None or key > best[0]:
                    best = (key, {"single_het": single, "incompatible": incompatible, "weight": weight, "eps": eps,
                                  "count_weight": count_weight}, m)  # fmt: skip
        _key, params, tuned = best
    inheritance.SINGLE_HET_RECESSIVE, inheritance.INCOMPATIBLE_FACTOR = params["single_het"], params["incompatible"]
    held = data[args.eval_fold]
    held_metrics = evaluate(held, modes, params["weight"], params["eps"], count_weight=params["count_weight"])
    phenotype_only = evaluate(held, modes, 0.0, params["eps"])
    print(json.dumps({"params": params, "tune_fold": tuned, "eval_fold": held_metrics,
                      "eval_fold_phenotype_only": phenotype_only,
                      "ceiling_recall@1": held_metrics["rankable"] / max(held_metrics["n"], 1),
                      "log_eps": math.log(params["eps"])}, indent=1))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
