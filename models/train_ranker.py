"""Train the disease-scoring model, validate it on published cases held out by publication, export ONNX.

    python models/train_ranker.py --kb KB.sqlite [--out models/disease_ranker.onnx] [--card models/...md]

Data: the case library shipped in the KB (GA4GH phenopacket-store dev cases, CC BY 4.0) and synthetic vignettes
from the HPO annotations. Publications (PMIDs) are split into 5 fixed folds by hash; fold 0 (--val-fold) is validation and is
removed from the library while its cases are ranked. Each training fold is ranked with the library lacking that
fold's publications, so the model never learns from a case that finds itself. Seeded and deterministic.
Needs the `train` extra (PyTorch, CPU build).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export import export_scorer, reference_logits  # noqa: E402

from raretrace.bench.accuracy import (  # noqa: E402
    Truth,
    full_rank_of,
    library_case_to_input,
    pmid_fold,
    summarise,
    vignette,
)
from raretrace.case import Case, Phenotype  # noqa: E402
from raretrace.library import load_library  # noqa: E402
from raretrace.ontology import Ontology  # noqa: E402
from raretrace.ranking import FEATURES, Ranker  # noqa: E402

SEED = 20261127
HIDDEN = 8
# Least weight of conflicting evidence, in log-likelihood-ratio units. Published cases record as "excluded" mostly
# the typical features of their own disease (cohort tables), so the data alone would let conflicts count for
# nothing or even for a disease; the floor keeps an excluded feature lowering every disease that has it.
PENALTY_FLOOR = 0.02
# Negatives kept per training case: the hardest by each kind of evidence (a model sees its attractors only if the
# sampling does), every case-derived profile, and random ones. The full softmax over ~12.8k diseases would not fit.
HARD_BY = {"lr_sum": 200, "resnik_norm": 200, "coverage": 100, "case_similarity_top3": 100}
RANDOM_NEGATIVES = 200
# How much a large cohort of one publication weighs in training (see publication_weights).
PUBLICATION_POWER = 0.0


def candidate_rows(values: np.ndarray, target: int, rng: np.random.Generator, extra: np.ndarray) -> np.ndarray:
    picks = [np.argpartition(-values[:, FEATURES.index(name)], k)[:k] for name, k in HARD_BY.items()]
    picks += [extra, rng.choice(len(values), RANDOM_NEGATIVES, replace=False)]
    rows = np.unique(np.concatenate(picks))
    rows = rows[rows != target]
    return np.concatenate([[target], rows])


def collect(ranker: Ranker, cases: list[tuple[Case, Truth]], rng: np.random.Generator, groups: list[str] | None = None):
    """Candidate lists of the rankable cases, and the group (publication) of each."""
    xs, kept = [], []
    case_derived = np.flatnonzero(np.asarray(ranker.profiles.source) != "hpoa")
    for i, (case, truth) in enumerate(cases):
        target = ranker.profiles.index.get(truth.disease_id)
        if target is None:
            continue
        patient = ranker.patient(case)
        if not len(patient.present):
            continue
        values = ranker.features(patient).values
        xs.append(values[candidate_rows(values, target, rng, case_derived)])
        kept.append(groups[i] if groups else case.id)
    return xs, kept


PENALTIES = {"excluded_penalty": 1.0, "negated_conflicts": -1.0, "sex_conflict": -1.0}


def publication_weights(groups: list[str], power: float) -> np.ndarray:
    """Weight of each training case: 1 / (cases of its publication)^power, mean 1 (power 0: all equal)."""
    sizes = defaultdict(int)
    for g in groups:
        sizes[g] += 1
    w = np.array([sizes[g] ** -power for g in groups], dtype=np.float32)
    return w / w.mean()


def train_scorer(xs: list[np.ndarray], hidden: int = HIDDEN, floor: float = PENALTY_FLOOR, epochs: int = 40,
                 l2: float = 1e-4, weights: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Listwise softmax training (the true disease is row 0 of each case). Returns the ONNX parameters."""
    import torch

    torch.manual_seed(SEED)
    # one thread and deterministic kernels: the same data give the same model bytes on any machine and load
    # (multi-threaded reductions sum in an order that varies with timing, and Adam amplifies the difference)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    width = max(len(x) for x in xs)
    batch = np.zeros((len(xs), width, len(FEATURES)), dtype=np.float32)
    valid = np.zeros((len(xs), width), dtype=bool)
    for i, x in enumerate(xs):  # candidate lists differ in length: pad, and mask the padding out of the softmax
        batch[i, : len(x)] = x
        valid[i, : len(x)] = True
    flat = batch[valid]
    mean = flat.mean(axis=0)
    scale = flat.std(axis=0)
    scale[scale < 1e-6] = 1.0
    data = torch.from_numpy((batch - mean) / scale)
    padding = torch.from_numpy(np.where(valid, 0.0, -1e9).astype(np.float32))
    pen_idx = [FEATURES.index(k) for k in PENALTIES]
    pen_sign = torch.tensor(list(PENALTIES.values()))
    pen_scale = torch.from_numpy(scale[pen_idx])
    mask = torch.ones(len(FEATURES))
    mask[pen_idx] = 0.0  # conflicts reach the score only through the sign-constrained linear path
    layer1 = torch.nn.Linear(len(FEATURES), max(hidden, 1))
    layer2 = torch.nn.Linear(max(hidden, 1), 1)
    if hidden == 0:  # a purely linear model: the tanh path stays at zero
        for p in (*layer1.parameters(), *layer2.parameters()):
            torch.nn.init.zeros_(p)
            p.requires_grad_(False)
    linear = torch.nn.Parameter(torch.zeros(len(FEATURES)))
    raw = torch.nn.Parameter(torch.zeros(len(pen_idx)))
    params = [p for p in (*layer1.parameters(), *layer2.parameters(), linear, raw) if p.requires_grad]
    opt = torch.optim.Adam(params, lr=0.02)
    target = torch.zeros(len(batch), dtype=torch.long)
    case_weight = torch.from_numpy(weights if weights is not None else np.ones(len(batch), dtype=np.float32))

    def penalty_weights():
        # weights in raw feature units are >= floor (log-likelihood-ratio units); scaled to standardised inputs
        return (torch.nn.functional.softplus(raw) + floor) * pen_sign * pen_scale

    def forward(z):
        support = z * mask
        h = torch.tanh(torch.nn.functional.linear(support, layer1.weight, layer1.bias))
        return layer2(h).squeeze(-1) + support @ linear + (z[..., pen_idx] * penalty_weights()).sum(-1)

    for _ in range(epochs):
        order = torch.randperm(len(batch))
        for start in range(0, len(batch), 256):
            idx = order[start : start + 256]
            loss = torch.nn.functional.cross_entropy(forward(data[idx]) + padding[idx], target[idx], reduction="none")
            loss = (loss * case_weight[idx]).sum() / case_weight[idx].sum()
            loss = loss + l2 * sum((p**2).sum() for p in params)
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        w_lin = (linear * mask).numpy().astype(np.float32)
        w_lin[pen_idx] = penalty_weights().numpy()
        return {"mean": mean, "scale": scale, "W1": (layer1.weight * mask).T.numpy().copy(),
                "b1": layer1.bias.numpy().copy(), "w2": layer2.weight.numpy().ravel().copy(),
                "b2": np.array([float(layer2.bias[0])], dtype=np.float32), "w_linear": w_lin.reshape(-1, 1)}


def evaluate(ranker: Ranker, cases: list[tuple[Case, Truth]], score, twins: bool = True) -> dict:
    """Disease and gene ranks of `cases` under `score` (diseases x F -> logits); `twins`: each OMIM entry also scored
    by its Orphanet twin, as the ranker does (not for the single-feature baselines, whose values are no logits)."""
    disease_ranks, gene_ranks = [], []
    per_disease: dict[str, list[int | None]] = defaultdict(list)
    for case, truth in cases:
        patient = ranker.patient(case)
        values = ranker.features(patient).values
        logits = ranker.twin_logits(values, score(values), score) if twins else score(values)
        target = ranker.profiles.index.get(truth.disease_id)
        r = full_rank_of(logits, target) if target is not None and len(patient.present) else None
        disease_ranks.append(r)
        per_disease[truth.disease_id].append(r)
        post = np.exp(logits - logits.max())
        post /= post.sum()
        gene_scores = np.asarray(ranker.gene_matrix @ post).ravel()
        gi = [ranker.gene_symbols.index(g) for g in truth.genes if g in ranker.gene_symbols]
        if truth.genes:  # a case naming no causal gene (a chromosomal deletion) has no gene rank
            gene_ranks.append(min((full_rank_of(gene_scores, g) for g in gi), default=None))
    return {"disease": summarise(disease_ranks), "gene": summarise(gene_ranks), "per_disease": per_disease}


def synthetic_cases(ranker: Ranker, onto: Ontology, n: int, rng: random.Random, min_annotations: int = 3,
                    omim_only: bool = True) -> list[tuple[Case, Truth]]:
    prof = ranker.profiles
    curated = [d for d in range(len(prof)) if prof.source[d] == "hpoa"
               and (prof.ids[d].startswith("OMIM:") or not omim_only)
               and prof.direct.indptr[d + 1] - prof.direct.indptr[d] >= min_annotations]
    chosen = rng.sample(curated, min(n, len(curated))) if n < len(curated) else curated
    pool_present = [onto.index[t] for c in ranker.library for t in c.present if t in onto.index]
    pool_excluded = [onto.index[t] for c in ranker.library for t in c.excluded if t in onto.index]
    parents = {}
    out = []
    for d in chosen:
        row = prof.direct.getrow(d)
        annotations = list(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        for t, _ in annotations:
            if t not in parents:
                parents[t] = [int(p) for p in onto.parents(t) if onto.phenotypic[int(p)]]
        prop_terms = set(ranker.prop_by_term[:, d].nonzero()[0].tolist())
        present, excluded = vignette(rng, annotations, parents, pool_present, pool_excluded, prop_terms)
        phenos = tuple(Phenotype(onto.ids[t]) for t in present) + tuple(Phenotype(onto.ids[t], excluded=True)
                                                                          for t in excluded)
        out.append((Case(id=f"vignette-{prof.ids[d]}", phenotypes=phenos), Truth(prof.ids[d], prof.genes[d])))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("disease_ranker.onnx"))
    ap.add_argument("--metrics", type=Path, default=Path(__file__).with_name("disease_ranker.metrics.json"))
    ap.add_argument("--synthetic", type=int, default=3000)
    ap.add_argument("--val-fold", type=int, default=0, help="publication fold held out for validation (0-4)")
    ap.add_argument("--no-per-disease", action="store_true", help="skip the per-disease vignette check (quick runs)")
    ap.add_argument("--limit", type=int, default=0, help="use at most this many cases per fold (quick runs)")
    ap.add_argument("--hidden", type=int, default=HIDDEN, help="tanh units beside the linear part (0: linear)")
    ap.add_argument("--publication-power", type=float, default=PUBLICATION_POWER,
                    help="weight each training case by 1 / (cases of its publication)^power (0: all equal)")
    ap.add_argument("--penalty-floor", type=float, default=PENALTY_FLOOR,
                    help="least weight of conflicting evidence, in log-likelihood-ratio units")
    args = ap.parse_args(argv)
    started = time.time()
    rng_py = random.Random(SEED)
    rng_np = np.random.default_rng(SEED)
    db = sqlite3.connect(f"file:{args.kb}?mode=ro", uri=True)
    onto = Ontology(db)
    library = load_library(db)
    folds: dict[int, list] = defaultdict(list)
    for case in library:
        folds[pmid_fold(case.pmid)].append(case)
    fold_pmids = {k: frozenset(c.pmid for c in v) for k, v in folds.items()}

    def pubs(fold: int) -> list:
        return folds[fold][: args.limit] if args.limit else folds[fold]

    def inputs(fold: int) -> list[tuple[Case, Truth]]:
        return [library_case_to_input(c) for c in pubs(fold)]

    train_x: list[np.ndarray] = []
    train_groups: list[str] = []
    val_fold = args.val_fold
    for k in sorted(set(fold_pmids) - {val_fold}):
        ranker = Ranker(db, onto, device="cpu", library=library, exclude_pmids=fold_pmids[val_fold] | fold_pmids[k])
        xs, groups = collect(ranker, inputs(k), rng_np, [t.pmid for t in pubs(k)])
        train_x += xs
        train_groups += groups
        print(f"fold {k}: {len(train_x)} training cases ({time.time() - started:.0f} s)", flush=True)
    val_ranker = Ranker(db, onto, device="cpu", library=library, exclude_pmids=fold_pmids[val_fold])
    synth = synthetic_cases(val_ranker, onto, args.synthetic, rng_py)
    xs, groups = collect(val_ranker, synth, rng_np)  # each vignette is its own group
    train_x += xs
    train_groups += groups
    print(f"+ {len(synth)} vignettes ({time.time() - started:.0f} s)", flush=True)
    weights = publication_weights(train_groups, args.publication_power)
    params = train_scorer(train_x, hidden=args.hidden, floor=args.penalty_floor, weights=weights)
    print(f"trained ({time.time() - started:.0f} s)", flush=True)

    def model(values: np.ndarray) -> np.ndarray:
        return reference_logits(values, params)

    def single(name: str):
        return lambda values: values[:, FEATURES.index(name)]

    val = evaluate(val_ranker, inputs(val_fold), model)
    baselines = {name: {k: v for k, v in evaluate(val_ranker, inputs(val_fold), single(name), twins=False).items() if k != "per_disease"}
                 for name in ("lr_sum", "resnik_mean")}
    # Diagnoses absent from the HPO annotations: rankable only through case-derived profiles.
    curated = {d for d, s in zip(val_ranker.profiles.ids, val_ranker.profiles.source, strict=True) if s == "hpoa"}
    absent = [(c, t) for c, t in inputs(val_fold) if t.disease_id not in curated]
    absent_eval = evaluate(val_ranker, absent, model)
    per_disease = ({"summary": {}, "rows": []} if args.no_per_disease
                   else validate_per_disease(val_ranker, onto, model, random.Random(SEED + 1)))
    metrics = {
        "validation": {"disease": val["disease"], "gene": val["gene"], "cases": len(inputs(val_fold)),
                       "publications": len(fold_pmids[val_fold]), "fold": val_fold},
        "baselines": baselines,
        "absent_from_hpo_annotations": {
            "cases": len(absent),
            "before_case_derived_profiles": {"recall@1": 0.0, "recall@10": 0.0,
                                             "note": "no curated profile: these diagnoses cannot be ranked"},
            "after_case_derived_profiles": absent_eval["disease"],
        },
        "per_disease_vignettes": per_disease["summary"],
        "training_cases": len(train_x),
        "vignettes": len(synth),
        "seconds": round(time.time() - started, 1),
        "seed": SEED,
        "hidden": args.hidden,
        "publication_power": args.publication_power,
        "penalty_floor": args.penalty_floor,
        "linear_weights_raw": {k: float(params["w_linear"][i, 0] / params["scale"][i]) for i, k in enumerate(FEATURES)},
        "features": list(FEATURES),
    }
    print(json.dumps({k: v for k, v in metrics.items() if k != "features"}, indent=1), flush=True)
    export_scorer(args.out, list(FEATURES), params["mean"], params["scale"], params["W1"], params["b1"],
                  params["w2"], float(params["b2"][0]), params["w_linear"],
                  {"seed": SEED, "validation": metrics["validation"]})
    args.metrics.write_text(json.dumps(metrics, indent=1) + "\n")
    if per_disease["rows"]:
        write_per_disease(args.out.with_name("disease_validation.tsv"), per_disease["rows"])
    return 0


def validate_per_disease(ranker: Ranker, onto: Ontology, score, rng: random.Random, per_disease: int = 1) -> dict:
    """Pre-deployment check of every curated OMIM/ORPHA disease on simulated patients (seeded vignettes)."""
    prof = ranker.profiles
    rows = []
    n_all = sum(1 for d, s in zip(prof.ids, prof.source, strict=True) if s == "hpoa")
    cases = synthetic_cases(ranker, onto, n_all, rng, min_annotations=1, omim_only=False)
    by_disease: dict[str, list[int | None]] = defaultdict(list)
    for case, truth in cases:
        patient = ranker.patient(case)
        if not len(patient.present):
            continue
        values = ranker.features(patient).values
        logits = ranker.twin_logits(values, score(values), score)
        by_disease[truth.disease_id].append(full_rank_of(logits, prof.index[truth.disease_id]))
    for disease, ranks in sorted(by_disease.items()):
        r1 = sum(1 for r in ranks if r <= 1) / len(ranks)
        r10 = sum(1 for r in ranks if r <= 10) / len(ranks)
        rows.append((disease, prof.labels[prof.index[disease]], len(ranks), r1, r10, min(ranks)))
    n = max(len(rows), 1)
    summary = {
        "diseases": len(rows),
        "vignettes_per_disease": per_disease,
        "mean_recall@1": sum(r[3] for r in rows) / n,
        "mean_recall@10": sum(r[4] for r in rows) / n,
        "not_found_in_top10": sum(1 for r in rows if r[4] == 0),
    }
    return {"summary": summary, "rows": rows}


def write_per_disease(path: Path, rows: list[tuple]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("disease_id\tlabel\tvignettes\trecall@1\trecall@10\tbest_rank\tflag\n")
        for disease, label, n, r1, r10, best in rows:
            flag = "not found in top 10" if r10 == 0 else ""
            handle.write(f"{disease}\t{label}\t{n}\t{r1:.2f}\t{r10:.2f}\t{best}\t{flag}\n")


if __name__ == "__main__":
    sys.exit(main())
