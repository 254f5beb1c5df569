"""The in-memory ontology the hot paths use: index arrays loaded from the KB, no OBO parsing.

Terms are addressed by a dense integer index; ancestors, parents and children are CSR arrays; information content
is a float32 vector. This is the one ontology accessor of RareTrace.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from .case import normalise_hpo_id
from .kb import PHENOTYPIC_ABNORMALITY, get_array


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    label: str
    definition: str
    synonyms: tuple[str, ...]
    obsolete: bool
    replaced_by: str | None
    ic: float


RESOLVED_CACHE = 200_000  # distinct IDs remembered (the library uses ~10k; pasted input cannot grow it without bound)


@dataclass(frozen=True, slots=True)
class Resolution:
    """What an input HPO ID became: the current term index, or None with the reason."""

    given: str
    index: int | None
    notice: str | None  # e.g. "HP:0000008 is obsolete; replaced by HP:0000009"


class Ontology:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        rows = db.execute("SELECT id, label, obsolete, replaced_by, branch FROM terms ORDER BY idx").fetchall()
        self.ids: list[str] = [r[0] for r in rows]
        self.labels: list[str] = [r[1] for r in rows]
        self.obsolete = np.array([r[2] for r in rows], dtype=bool)
        self._replaced_by = {r[0]: r[3] for r in rows if r[3]}
        self.branch: list[str] = [r[4] for r in rows]
        self.index: dict[str, int] = {tid: i for i, tid in enumerate(self.ids)}
        self.alt_ids: dict[str, str] = dict(db.execute("SELECT alt_id, term_id FROM alt_ids"))
        self.anc_ptr = get_array(db, "anc_ptr")
        self.anc_idx = get_array(db, "anc_idx")
        self.par_ptr = get_array(db, "par_ptr")
        self.par_idx = get_array(db, "par_idx")
        self.chi_ptr = get_array(db, "chi_ptr")
        self.chi_idx = get_array(db, "chi_idx")
        self.ic = get_array(db, "ic_disease")
        self.ic_gene = get_array(db, "ic_gene")
        self.phenotypic = np.array([b == "phenotypic_abnormality" for b in self.branch], dtype=bool)
        self.root_phenotypic = self.index.get(PHENOTYPIC_ABNORMALITY)
        self._resolved: dict[str, Resolution] = {}
        self._implied: dict[tuple[str, ...], tuple[frozenset[int], frozenset[int]]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    # -- identifiers

    def resolve(self, term_id: str) -> Resolution:
        """Map an HPO ID (current, alternative or obsolete) to a current term index, saying what happened.
        Remembered: a ranker resolves the case library's ~90k term IDs each time it is built."""
        known = self._resolved.get(term_id)
        if known is None:
            known = self._resolve(term_id)
            if len(self._resolved) < RESOLVED_CACHE:
                self._resolved[term_id] = known
        return known

    def implied(self, term_ids: tuple[str, ...]) -> tuple[frozenset[int], frozenset[int]]:
        """(the current terms of these IDs, those terms with all their ancestors), remembered per tuple: the
        published cases' features are counted this way each time a ranker is built."""
        known = self._implied.get(term_ids)
        if known is None:
            terms = frozenset(r.index for tid in term_ids if (r := self.resolve(tid)).index is not None)
            known = (terms, frozenset(int(a) for t in terms for a in self.ancestors(t)))
            if len(self._implied) < RESOLVED_CACHE:
                self._implied[term_ids] = known
        return known

    def _resolve(self, term_id: str) -> Resolution:
        tid = normalise_hpo_id(term_id).upper().replace("_", ":")
        idx = self.index.get(tid)
        if idx is not None and self.obsolete[idx]:
            repl = self._replaced_by.get(tid) or self.alt_ids.get(tid)
            if repl and repl in self.index:
                return Resolution(term_id, self.index[repl], f"{term_id} is obsolete; replaced by {repl}")
            return Resolution(term_id, None, f"{term_id} is obsolete with no replacement")
        if tid in self.alt_ids:
            primary = self.alt_ids[tid]
            return Resolution(term_id, self.index[primary], f"{term_id} is an alternative ID of {primary}")
        if idx is None:
            return Resolution(term_id, None, f"{term_id} is not an HPO term in this release")
        return Resolution(term_id, idx, None)

    def current_label(self, term_id: str) -> str | None:
        """The label of a current HPO ID, for a feature recorded without one; None for an obsolete, alternative or
        unknown ID, so that an ID is never given another term's label."""
        resolution = self.resolve(term_id)
        return self.labels[resolution.index] if resolution.index is not None and not resolution.notice else None

    def label(self, term: str | int) -> str:
        idx = term if isinstance(term, int) else self.resolve(term).index
        return self.labels[idx] if idx is not None else str(term)

    # -- graph

    def ancestors(self, idx: int) -> np.ndarray:
        """Ancestor indices including the term itself, nearest first."""
        return self.anc_idx[self.anc_ptr[idx] : self.anc_ptr[idx + 1]]

    def parents(self, idx: int) -> np.ndarray:
        return self.par_idx[self.par_ptr[idx] : self.par_ptr[idx + 1]]

    def children(self, idx: int) -> np.ndarray:
        return self.chi_idx[self.chi_ptr[idx] : self.chi_ptr[idx + 1]]

    def descendants(self, idx: int) -> np.ndarray:
        """Descendant indices including the term itself (every term whose ancestors hold it), ascending."""
        holders = np.flatnonzero(self.anc_idx == idx)
        return np.searchsorted(self.anc_ptr, holders, side="right") - 1

    def is_ancestor(self, ancestor: int, term: int) -> bool:
        return bool(np.any(self.ancestors(term) == ancestor))

    def common_ancestors(self, a: int, b: int) -> np.ndarray:
        return np.intersect1d(self.ancestors(a), self.ancestors(b), assume_unique=True)

    def mica(self, a: int, b: int) -> tuple[int, float]:
        """Most informative common ancestor of two terms and its IC (Resnik similarity)."""
        common = self.common_ancestors(a, b)
        best = int(common[np.argmax(self.ic[common])])
        return best, float(self.ic[best])

    def term(self, term: str | int) -> Term:
        idx = term if isinstance(term, int) else self.resolve(term).index
        if idx is None:
            raise KeyError(term)
        tid = self.ids[idx]
        row = self.db.execute("SELECT definition FROM terms WHERE id = ?", (tid,)).fetchone()
        syns = tuple(s for (s,) in self.db.execute("SELECT synonym FROM synonyms WHERE term_id = ?", (tid,)))
        return Term(
            id=tid,
            label=self.labels[idx],
            definition=row[0] or "",
            synonyms=syns,
            obsolete=bool(self.obsolete[idx]),
            replaced_by=self._replaced_by.get(tid),
            ic=float(self.ic[idx]),
        )

    def parents_first(self, terms: np.ndarray) -> np.ndarray:
        """The terms ordered so that each comes after its ancestors among them (a parent has fewer ancestors)."""
        return terms[np.argsort(self.anc_ptr[terms + 1] - self.anc_ptr[terms], kind="stable")]

    def ancestor_matrix_rows(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, ancestor) pairs for a batch of terms: the sparse ancestor indicator, vectorised."""
        starts, ends = self.anc_ptr[indices], self.anc_ptr[indices + 1]
        return np.repeat(np.arange(len(indices)), ends - starts), self.anc_idx[concatenated_ranges(starts, ends)]


def concatenated_ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The concatenation of range(start, end) for each pair, vectorised (entries of CSR rows, ancestor lists)."""
    lengths = ends - starts
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + offsets
