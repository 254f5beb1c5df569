"""Disease phenotype profiles as sparse matrices, the input of the ranking features.

Two kinds of disease profile sit side by side:
- curated: the HPO annotations (phenotype.hpoa), precomputed at KB build;
- case-derived: diseases of the case library absent from the HPO annotations (e.g. OMIM entries newer than the
  release), built from the published cases with observed frequencies; computed when the ranker loads so that a
  held-out evaluation can leave publications out.

Matrices are diseases x terms. `direct` holds annotated frequencies; `prop` the propagated frequency: the
probability that the disease shows the term or one of its descendants (max over annotations below it).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .kb import BUILD_STEPS, DEFAULT_FREQUENCY, Progress, disease_inheritance, get_array, put_array
from .library import LibraryCase
from .ontology import Ontology
from .words import tidy_name

AR = "HP:0000007"
AD = "HP:0000006"
XL = "HP:0001417"
XLR = "HP:0001419"
XLD = "HP:0001423"
MITO = "HP:0001427"


@dataclass
class Profiles:
    ids: list[str]
    labels: list[str]
    source: list[str]  # "hpoa" | "case_library"
    direct: sp.csr_matrix  # diseases x terms, annotated frequency
    prop: sp.spmatrix  # diseases x terms, propagated frequency (the ranker re-indexes it per term)
    negated: sp.csr_matrix  # diseases x terms, 1 where annotated NOT (or frequency "Excluded")
    genes: list[tuple[str, ...]]
    inheritance: list[tuple[str, ...]]  # HPO inheritance term IDs
    # curated disease index -> features its published patients show that the HPO release does not annotate
    case_features: dict[int, frozenset[int]] = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {d: i for i, d in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)


def propagate(onto: Ontology, rows: np.ndarray, terms: np.ndarray, values: np.ndarray, n_rows: int) -> sp.csr_matrix:
    """rows x terms matrix of max(value) over every annotation at or below each term."""
    r, anc = onto.ancestor_matrix_rows(np.asarray(terms, dtype=np.int64))
    return _max_duplicates(np.asarray(rows)[r], anc, np.asarray(values)[r], n_rows, len(onto))


def _curated(db: sqlite3.Connection, onto: Ontology, exclude_references: frozenset[str] = frozenset()):
    diseases = db.execute("SELECT id, label, inheritance FROM diseases WHERE source = 'hpoa' ORDER BY idx").fetchall()
    index = {d[0]: i for i, d in enumerate(diseases)}
    rows: dict[tuple[int, int], list[tuple[str, float | None, str]]] = defaultdict(list)
    for disease, hpo, text, freq, qualifier, reference in db.execute(
        "SELECT disease_id, hpo_id, frequency, frequency_value, qualifier, reference FROM disease_annotations "
        "WHERE aspect = 'P' ORDER BY id"
    ):
        t = onto.resolve(hpo).index  # remembered by the ontology
        if t is None or disease not in index or reference in exclude_references:
            continue
        rows[(index[disease], t)].append((text or "", freq, qualifier or ""))
    pos_r, pos_t, pos_f, neg_r, neg_t = [], [], [], [], []
    for (d, t), found in rows.items():
        value, _rows = term_frequency(found)
        if value is None:
            neg_r.append(d)
            neg_t.append(t)
        else:
            pos_r.append(d)
            pos_t.append(t)
            pos_f.append(value)
    return diseases, (np.array(pos_r), np.array(pos_t), np.array(pos_f, dtype=np.float32)), (np.array(neg_r), np.array(neg_t))


def term_frequency(annotations: list[tuple[str, float | None, str]]) -> tuple[float | None, list[int]]:
    """The frequency the ranking uses for one feature of one disease, from all its annotation rows (frequency
    text, value, qualifier; one row per reference), and the rows that state it; None when the disease is
    annotated not to have the feature (a NOT row, or every row counting no patient with it).

    The largest row wins (a row without a frequency counts as 50%): a feature is at least as frequent as any
    publication reports it. Measured against pooling the patients of all rows ("1/1" and "151/357" -> 152/358):
    pooling lowered fold-0 recall@1 from 0.455 to 0.442 (models/disease_ranker.md).
    """
    if any(q == "NOT" for _, _, q in annotations):
        return None, [i for i, (_, _, q) in enumerate(annotations) if q == "NOT"]
    values = [DEFAULT_FREQUENCY if v is None else v for _, v, _ in annotations]
    best = max(values)
    if best == 0.0:
        return None, list(range(len(annotations)))
    return best, [i for i, v in enumerate(values) if v == best]


def _curated_matrices(db: sqlite3.Connection, onto: Ontology, exclude_references: frozenset[str] = frozenset()
                      ) -> tuple[sp.csr_matrix, sp.csc_matrix, sp.csr_matrix]:  # fmt: skip
    """The curated profiles' direct, propagated and negated matrices (disease x term), from the annotations less
    those citing `exclude_references`."""
    diseases, (pr, pt, pf), (nr, nt) = _curated(db, onto, exclude_references)
    n = len(diseases)
    direct = _max_duplicates(pr, pt, pf, n, len(onto))
    coo = direct.tocoo()
    prop = propagate(onto, coo.row, coo.col, coo.data, n).tocsc()
    negated = sp.csr_matrix((np.ones(len(nr), dtype=np.float32), (nr, nt)), shape=(n, len(onto)))
    negated.data[:] = 1.0  # duplicates were summed
    return direct.tocsr(), prop, negated.tocsr()


def build_profiles_step(db: sqlite3.Connection, progress: Progress) -> None:
    """KB build step: the curated profile matrices, so the ranker loads them without recomputing."""
    direct, prop, negated = _curated_matrices(db, Ontology(db))
    for name, matrix in (("direct", direct), ("prop", prop), ("negated", negated)):
        put_array(db, f"profile_{name}_data", matrix.data.astype(np.float32))
        put_array(db, f"profile_{name}_indices", matrix.indices.astype(np.int32))
        put_array(db, f"profile_{name}_indptr", matrix.indptr.astype(np.int64))


def _max_duplicates(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_rows: int, n_cols: int) -> sp.csr_matrix:
    key = rows.astype(np.int64) * n_cols + cols
    order = np.lexsort((-vals, key))  # the largest value of each (row, column) comes first
    key, vals = key[order], vals[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, vals = key[first], vals[first]
    return sp.csr_matrix(
        (vals.astype(np.float32), ((key // n_cols).astype(np.int32), (key % n_cols).astype(np.int32))),
        shape=(n_rows, n_cols),
    )


BUILD_STEPS.append(build_profiles_step)


def _load_matrix(db: sqlite3.Connection, name: str, shape: tuple[int, int], kind: type) -> sp.spmatrix:
    data = get_array(db, f"profile_{name}_data")
    indices = get_array(db, f"profile_{name}_indices")
    indptr = get_array(db, f"profile_{name}_indptr")
    return kind((data, indices, indptr), shape=shape)


def infer_inheritance(cases: list[LibraryCase]) -> tuple[str, ...]:
    """Mode of inheritance suggested by the allelic states of published cases (case-derived diseases only)."""
    modes = set()
    for case in cases:
        states = [s.lower() for s in case.allelic_states]
        if any("hemizygous" in s for s in states):
            modes.add(XL)
        elif any("homozygous" in s for s in states) or len(states) >= 2:
            modes.add(AR)
        elif states:
            modes.add(AD)
    return tuple(sorted(modes))


# A curated profile also takes the features that published patients of the disease show and the HPO release does
# not annotate, at their frequency among those patients: at least CASE_FEATURE_MIN_CASES published cases of the
# disease in the library, and the feature in at least CASE_FEATURE_MIN_COUNT of them and CASE_FEATURE_MIN_FRACTION.
# Measured on two validation folds (cases of held-out publications ranked with a library lacking them): MRR
# 0.494 -> 0.512 and 0.550 -> 0.558 (models/disease_ranker.md). Annotated frequencies are left as curated.
CASE_FEATURE_MIN_CASES = 2
CASE_FEATURE_MIN_COUNT = 2
CASE_FEATURE_MIN_FRACTION = 0.1


def cases_showing(onto: Ontology, cases: list[LibraryCase]) -> dict[int, list[int]]:
    """Each feature recorded present in some of these published cases -> the cases (positions) that show it: record
    it or a more specific form of it (a patient recorded with "Delayed ability to walk" has motor delay)."""
    implied = [onto.implied(case.present) for case in cases]
    recorded = frozenset().union(*(terms for terms, _ in implied))
    out: dict[int, list[int]] = {t: [] for t in sorted(recorded)}
    for i, (_, shown) in enumerate(implied):
        for t in shown & recorded:
            out[t].append(i)
    return out


def _case_features(
    onto: Ontology, direct: sp.csr_matrix, index: dict[str, int], library: list[LibraryCase]
) -> tuple[sp.csr_matrix | None, dict[int, frozenset[int]]]:
    """Diseases x terms matrix of the features published patients add to curated profiles, and those terms."""
    by_disease: dict[int, list[LibraryCase]] = defaultdict(list)
    for case in library:
        d = index.get(case.disease_id)
        if d is not None:
            by_disease[d].append(case)
    rows, cols, vals = [], [], []
    added: dict[int, frozenset[int]] = {}
    for d, cases in by_disease.items():
        if len(cases) < CASE_FEATURE_MIN_CASES:
            continue
        counts = {t: len(showing) for t, showing in cases_showing(onto, cases).items()}
        annotated = set(direct.indices[direct.indptr[d] : direct.indptr[d + 1]].tolist())
        terms = [t for t, c in counts.items() if c >= CASE_FEATURE_MIN_COUNT
                 and c / len(cases) >= CASE_FEATURE_MIN_FRACTION and t not in annotated]  # fmt: skip
        for t in terms:
            rows.append(d)
            cols.append(t)
            vals.append(counts[t] / len(cases))
        if terms:
            added[d] = frozenset(terms)
    if not rows:
        return None, added
    shape = direct.shape
    return _max_duplicates(np.array(rows), np.array(cols), np.array(vals, dtype=np.float32), *shape), added


def load_profiles(db: sqlite3.Connection, onto: Ontology, library: list[LibraryCase],
                  exclude_references: frozenset[str] = frozenset()) -> Profiles:
    """Curated profiles from the KB (with the features their published patients add) plus case-derived profiles
    for library diseases the HPO release lacks. `exclude_references` (PMIDs) rebuilds the curated part without the
    annotations citing them: a validation that holds publications out of HPO's annotations too."""
    rows = db.execute("SELECT id, label, inheritance FROM diseases WHERE source = 'hpoa' ORDER BY idx").fetchall()
    n, n_terms = len(rows), len(onto)
    if exclude_references:
        direct, prop, negated = _curated_matrices(db, onto, exclude_references)
    else:
        direct = _load_matrix(db, "direct", (n, n_terms), sp.csr_matrix)
        prop = _load_matrix(db, "prop", (n, n_terms), sp.csc_matrix)
        negated = _load_matrix(db, "negated", (n, n_terms), sp.csr_matrix)
    ids = [r[0] for r in rows]
    labels = [tidy_name(r[1] or "") for r in rows]  # a few HPO disease names end in a space, one has " , "
    inheritance = [disease_inheritance(r[1], r[2]) for r in rows]
    gene_map: dict[str, list[str]] = defaultdict(list)
    for symbol, disease in db.execute("SELECT gene_symbol, disease_id FROM gene_diseases ORDER BY gene_symbol"):
        if symbol and symbol != "-" and symbol not in gene_map[disease]:
            gene_map[disease].append(symbol)
    added, case_features = _case_features(onto, direct, {d: i for i, d in enumerate(ids)}, library)
    if added is not None:
        coo = added.tocoo()
        direct = direct.maximum(added).tocsr()
        prop = prop.maximum(propagate(onto, coo.row, coo.col, coo.data, n)).tocsc()
    known = set(ids)
    by_disease: dict[str, list[LibraryCase]] = defaultdict(list)
    for case in library:
        if case.disease_id and case.disease_id not in known:
            by_disease[case.disease_id].append(case)
    extra_ids = sorted(by_disease)
    r_idx, t_idx, vals, nr, nt = [], [], [], [], []
    for i, disease in enumerate(extra_ids):
        cases = by_disease[disease]
        present = {t: len(showing) for t, showing in cases_showing(onto, cases).items()}
        absent: dict[int, int] = defaultdict(int)
        # terms some patient has, or a more specific form of (never negated)
        shown = frozenset().union(*(onto.implied(case.present)[1] for case in cases))
        for case in cases:
            for tid in set(case.excluded):
                t = onto.resolve(tid).index
                if t is not None:
                    absent[t] += 1
        for t, count in present.items():
            r_idx.append(n + i)
            t_idx.append(t)
            vals.append(count / len(cases))
        for t, count in absent.items():
            if t not in shown and count * 2 >= len(cases):
                nr.append(n + i)
                nt.append(t)
    if extra_ids:
        total = n + len(extra_ids)
        extra_direct = _max_duplicates(np.array(r_idx), np.array(t_idx), np.array(vals, dtype=np.float32), total, n_terms)
        coo = extra_direct.tocoo()
        extra_prop = propagate(onto, coo.row, coo.col, coo.data, total)
        direct = sp.vstack([direct, extra_direct[n:]]).tocsr()
        prop = sp.vstack([prop, extra_prop[n:]])
        extra_neg = sp.csr_matrix((np.ones(len(nr), dtype=np.float32), (np.array(nr, dtype=np.int64) - n, nt)),
                                  shape=(len(extra_ids), n_terms))
        negated = sp.vstack([negated, extra_neg]).tocsr()
    for disease in extra_ids:
        cases = by_disease[disease]
        ids.append(disease)
        labels.append(cases[0].disease_label or disease)  # tidied as read (load_library)
        genes = []
        for case in cases:
            genes.extend(g for g in case.genes if g not in genes)
        gene_map[disease] = genes
        # the mode the disease's name states ("..., autosomal recessive"), as for a curated entry HPO gives none;
        # the published patients' allelic states only where the name states none (a curation that lists one of a
        # compound heterozygote's variants reads as dominant)
        inheritance.append(disease_inheritance(labels[-1], None) or infer_inheritance(cases))
    source = ["hpoa"] * n + ["case_library"] * len(extra_ids)
    return Profiles(
        ids=ids, labels=labels, source=source, direct=direct, prop=prop, negated=negated,
        genes=[tuple(gene_map.get(d, ())) for d in ids], inheritance=inheritance, case_features=case_features,
    )
