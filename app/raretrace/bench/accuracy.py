"""Accuracy of the ranking on published cases held out by publication (recall@k, MRR), and vignettes.

Truth (diagnosis, gene) is kept beside each case, never inside the Case the ranker sees.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..case import Case, Phenotype
from ..library import LibraryCase


@dataclass(frozen=True)
class Truth:
    disease_id: str
    genes: tuple[str, ...]


def pmid_fold(pmid: str, folds: int = 5) -> int:
    """A fixed fold per publication (hash of the PMID), so cases of one paper never straddle train and test."""
    return int(hashlib.sha1(pmid.encode()).hexdigest(), 16) % folds


def cited_publications(db: sqlite3.Connection) -> set[tuple[str, str]]:
    """(disease, PMID) for every publication HPO's annotations of the disease cite: a case of such a publication,
    held out of the case library, still meets the annotations curated from its own paper."""
    return set(db.execute("SELECT DISTINCT disease_id, reference FROM disease_annotations "
                          "WHERE reference LIKE 'PMID:%'").fetchall())


def library_case_to_input(case: LibraryCase) -> tuple[Case, Truth]:
    phenos = tuple(Phenotype(t) for t in case.present) + tuple(Phenotype(t, excluded=True) for t in case.excluded)
    sex = case.sex if case.sex in ("MALE", "FEMALE", "OTHER_SEX", "UNKNOWN_SEX") else None
    return Case(id=case.case_id, phenotypes=phenos, sex=sex), Truth(case.disease_id, case.genes)


def ranks(ranked_ids: Sequence[str], truth: Iterable[str]) -> int | None:
    wanted = set(truth)
    for i, x in enumerate(ranked_ids, start=1):
        if x in wanted:
            return i
    return None


def summarise(rank_list: Sequence[int | None], ks: Sequence[int] = (1, 3, 5, 10)) -> dict[str, float]:
    n = max(len(rank_list), 1)
    out = {f"recall@{k}": sum(1 for r in rank_list if r is not None and r <= k) / n for k in ks}
    out["mrr"] = sum(1.0 / r for r in rank_list if r) / n
    out["n"] = len(rank_list)
    return out


def full_rank_of(scores: np.ndarray, index: int) -> int:
    """1-based rank of one entry among all scores (ties resolved by index, as in the ranking)."""
    s = scores[index]
    return int(np.sum(scores > s) + np.sum((scores == s)[:index]) + 1)


def vignette(rng: random.Random, annotations: list[tuple[int, float]], parents: dict[int, list[int]],
             noise_pool: Sequence[int], excluded_pool: Sequence[int], disease_terms: set[int]) -> tuple[list[int], list[int]]:
    """A synthetic patient of one disease: features drawn by annotated frequency, some imprecise, some noise,
    some excluded findings the disease does not have; profile size varies as in published cases."""
    present = [t for t, f in annotations if rng.random() < max(f, 0.05)]
    rng.shuffle(present)
    size = max(1, min(len(present), int(rng.lognormvariate(1.9, 0.6))))
    present = present[:size] or [max(annotations, key=lambda a: a[1])[0]]
    out = []
    for t in present:
        if rng.random() < 0.25 and parents.get(t):
            t = rng.choice(parents[t])  # imprecision: the clinician recorded a more general term
        out.append(t)
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        out.append(rng.choice(noise_pool))  # an unrelated finding
    excluded = []
    for _ in range(rng.choice((0, 0, 2, 4, 8))):
        e = rng.choice(excluded_pool)
        if e not in disease_terms:
            excluded.append(e)
    return sorted(set(out)), sorted(set(excluded) - set(out))
