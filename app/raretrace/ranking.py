"""Phenotype-driven ranking of every disease and disease gene, with the evidence behind each score.

Analysis steps, in order (Exomiser-style: each step leaves its result and reasons on the hypothesis):
1. features: for every disease profile, classic evidence computed vectorised over sparse matrices —
   LIRICAL-style likelihood ratios per patient feature, Resnik best-match similarity both ways, excluded-feature
   conflicts, NOT-annotation conflicts, similarity to published cases of the case library, priors;
2. the ONNX scoring model turns the feature matrix into a posterior over diseases (linear in the features, so
   each evidence group's contribution to the score is exact);
3. genes take the posterior of their diseases; a VCF adds variant and inheritance evidence (genomics step);
4. evidence objects are built for the top hypotheses only, from the same arrays that produced the score.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from . import __version__
from .case import ONSET_CLASSES, Case, earliest_onset, onsets_as_analysed
from .equivalents import omim_equivalents
from .errors import RareTraceError
from .evidence import (
    NOT_STATED,
    SEX_WORDS,
    SPECIFIC_MATCH_IC,
    TWIN_GROUP,
    AnalysisResult,
    ClinicalCourse,
    Contribution,
    ExcludedConflict,
    FeatureMatch,
    Flag,
    Hypothesis,
    InheritanceFit,
    NegatedConflict,
    SimilarCase,
    SuggestedFeature,
    attention,
    frequency_words,
    frequent_conflicts,
    names_text,
)
from .evidence import several_patients as _several_patients
from .inference import Model, load_model
from .kb import (
    difference_of_sex_development,
    disease_sex_in_name,
    outdated_build_warning,
    stale_release_warning,
)
from .library import LibraryCase, load_library
from .ontology import Ontology, concatenated_ranges
from .paths import models_dir
from .profiles import Profiles, cases_showing, load_profiles, term_frequency
from .words import counted

MODEL_FILE = "disease_ranker.onnx"
FEATURES = (
    "lr_sum",  # sum over present features of log likelihood ratio (LIRICAL-style, best ancestor match)
    "lr_mean",
    "resnik_mean",  # mean IC of the best common ancestor (Phenomizer-style, patient -> disease)
    "resnik_norm",  # the same divided by the mean IC of the patient's features
    "coverage",  # how much of the disease profile the patient shows (disease -> patient), frequency-weighted
    "specific_fraction",  # share of patient features matched at >= 70% of their own IC
    "excluded_penalty",  # sum of log(1 - frequency) over excluded features the disease has
    "negated_conflicts",  # present features the disease is annotated NOT to have
    "case_similarity_max",  # best IC-weighted cosine similarity to a published case of the disease
    "case_similarity_top3",
    "case_count",  # log(1 + published cases of the disease in the library)
    "annotation_count",  # log(1 + annotated features)
    "case_derived",  # 1 when the profile rests on published cases only
    "orphanet",  # an Orphanet entry of a disease or gene OMIM also describes (diagnoses are reported with OMIM IDs)
    "decipher",
    "sex_conflict",  # X-linked recessive only and a female patient, or a disease only the other sex can have
    # The same evidence relative to the best-matching disease for this patient: how far behind the leader a
    # disease is means more than the raw value, which grows with the number and kind of features recorded.
    "lr_gap",
    "resnik_gap",
    "case_similarity_gap",
    # Best three IC-weighted cosine similarities of the patient's EXCLUDED features to those recorded excluded in
    # the disease's published cases (exact terms): publications of a disease check its typical and differential
    # features and record which are absent, so a clinician's negative findings resemble those of the disease's
    # other reports (folds 1-3 recall@1 +0.012 to +0.039, fold 0 +0.003; see the model card).
    "excluded_case_similarity",
    # The same over every finding recorded either way (present or excluded, exact terms): which findings a
    # publication assessed follows its disease, and a clinician works up a patient with the same differential in
    # mind (folds 1-3 recall@1 +0.010 to +0.021, folds 0 and 4 within 0.002; pooled 0.492 -> 0.501; model card).
    "assessed_case_similarity",
)
GROUPS = {
    "phenotype match": ("lr_sum", "lr_mean", "resnik_mean", "resnik_norm", "coverage", "specific_fraction", "lr_gap",
                        "resnik_gap"),
    "conflicting evidence": ("excluded_penalty", "negated_conflicts", "sex_conflict"),
    "similar published cases": ("case_similarity_max", "case_similarity_top3", "case_count", "case_similarity_gap",
                                "excluded_case_similarity", "assessed_case_similarity"),
    "prior": ("annotation_count", "case_derived", "orphanet", "decipher"),
}
NOISE = 0.01  # chance that a patient feature is unrelated to the disease (floor of the likelihood ratio)
LOG_NOISE = float(np.log(NOISE))
EXCLUDED_CAP = 0.95
DENSE_ROW_NNZ = 1000  # terms annotated to more diseases than this are kept as dense rows (_best_over_ancestors)
MIN_MATCH_IC = 1.0  # a best match below this IC (e.g. "Abnormality of the nervous system") explains nothing
# Features only one sex can have, by their place in HPO (genitalia, reproductive physiology; gynecomastia is a male
# breast by definition): never suggested to examine in a patient of the other sex. HPO files some outside those
# branches: sperm and oocytes under germ cells and meiosis, "Decreased fertility in females" (above "Female
# infertility") under decreased fertility, reproductive neoplasms under genital neoplasms, sex-named puberty terms.
SEX_SPECIFIC_ROOTS = {
    # male genitalia, male reproductive physiology, decreased fertility in males, gynecomastia, male germ cell
    # (sperm) morphology, male reproductive system neoplasm, precocious puberty in males, urethral atresia, male
    "MALE": ("HP:0010461", "HP:0012874", "HP:0012041", "HP:0000771", "HP:0012863", "HP:0033019", "HP:0008185",
             "HP:0000052"),
    # female genitalia, female reproductive physiology, decreased fertility in females, abnormal female meiosis,
    # oocyte morphology, increased oocyte death, female reproductive system neoplasm, precocious puberty in females,
    # pubertal developmental failure in females
    "FEMALE": ("HP:0010460", "HP:0030012", "HP:0000868", "HP:0033338", "HP:0020155", "HP:0032571", "HP:0033020",
               "HP:0010465", "HP:0008647"),
}
# Features of a difference of sex development (ambiguous genitalia, abnormal sex determination): its patients are
# recorded as either sex, so such a disease is never taken as one only one sex can have.
SEX_DEVELOPMENT_ROOTS = ("HP:0000062", "HP:0012244")
Y_LINKED = "HP:0001450"
SEXES = SEX_WORDS
SHOWN_REPLACEMENTS = 3  # obsolete or alternative IDs named one by one in the warnings; the rest are counted
ANNOTATION_CACHE = 512  # diseases whose KB rows are kept between analyses (a few hundred KB)


@dataclass(frozen=True)
class PatientProfile:
    present: np.ndarray  # term indices (current IDs, deduplicated, most specific kept)
    excluded: np.ndarray
    sex: str | None
    warnings: tuple[str, ...]
    onset: tuple[float, str] | None = None  # by what age the features had begun (years, words): earliest_onset
    replaced: tuple[tuple[str, str], ...] = ()  # (ID as entered, current ID) for alternative and obsolete IDs
    # (ID, its more specific present feature's ID) of each present feature not analysed because that one implies it
    covered: tuple[tuple[str, str], ...] = ()


@dataclass
class FeatureSet:
    values: np.ndarray  # diseases x features
    best_lr: np.ndarray  # diseases x present features: log likelihood ratio of each feature via its best match
    case_sims: np.ndarray  # library cases: similarity to the patient


@dataclass(frozen=True)
class GenomicsStep:
    """What the genomics step returns to the ranker: gene hypotheses with variant evidence, warnings, and the log
    factor each gene's variants and inheritance fit contribute (used to re-rank diseases)."""

    genes: list[Hypothesis]
    warnings: list[str]
    gene_log_factors: dict[str, float]
    # disease index -> the log factor of its best gene's variants under the disease's own modes of inheritance
    # (a recessive disease takes only a recessive fit); when given, it replaces the gene factors for diseases
    disease_log_factors: dict[int, float] | None = None


class Ranker:
    """Loaded once; `analyse(case)` ranks diseases and genes and builds the evidence."""

    def __init__(
        self,
        db: sqlite3.Connection,
        ontology: Ontology,
        *,
        device: str = "auto",
        model_path: Path | None = None,
        exclude_pmids: frozenset[str] = frozenset(),
        library: list[LibraryCase] | None = None,
        hold_out_annotations: bool = False,
    ) -> None:
        self.db = db
        self.onto = ontology
        self.ic = ontology.ic.astype(np.float32)
        all_cases = library if library is not None else load_library(db)
        self.all_library = all_cases  # before the exclusion: another ranker of this KB can reuse it
        self.library = [c for c in all_cases if c.pmid not in exclude_pmids]
        self.exclude_pmids = exclude_pmids
        # Validation only: HPO's annotations citing the held-out publications left out of the scoring profiles too
        # (their curators often annotated the disease from that very paper); evidence still reads the KB's rows.
        self.profiles: Profiles = load_profiles(db, ontology, self.library,
                                                exclude_pmids if hold_out_annotations else frozenset())
        self._prepare_library()
        self._prepare_genes()
        self._prepare_sex_limits()
        self.model_path = model_path or models_dir() / MODEL_FILE
        self.device_request = device
        self._model: Model | None = None
        self._baseline: np.ndarray | None = None
        self._annotation_cache: dict[tuple[str, str], list[tuple]] = {}  # (disease, aspect)
        self._mode_label_cache: dict[tuple[str, ...], tuple[str, ...]] = {}  # every gene hypothesis asks
        self._gene_mode_cache: dict[int, tuple[str, ...]] = {}  # gene index -> its diseases' modes, as labels
        prov = dict(db.execute("SELECT key, value FROM provenance"))
        self.hpo_release = prov.get("hpo_release", "")
        # What names the library in an analysis's versions: its content digest, so that re-analysis after a rebuild
        # of the same library reports no change (KBs built before the digest fall back to their build time).
        digest = prov.get("case_library_digest")
        self.library_version = f"content {digest}" if digest else prov.get("case_library_updated", "")
        # what every analysis with this KB shares: an old HPO release, a KB an earlier RareTrace built
        self.release_warning = "; ".join(w for w in (stale_release_warning(self.hpo_release),
                                                     outdated_build_warning(prov)) if w) or None

    # ------------------------------------------------------------------------------------------ preparation

    def _prepare_library(self) -> None:
        onto = self.onto
        present = _case_terms(onto, [c.present for c in self.library])
        excluded = _case_terms(onto, [c.excluded for c in self.library])
        coo = present.tocoo()
        r, anc = onto.ancestor_matrix_rows(coo.col.astype(np.int64))
        prop = sp.csr_matrix((np.ones(len(r), dtype=np.float32), (coo.row[r], anc)), shape=coo.shape)
        prop.data[:] = 1.0
        self.library_prop = prop  # case x term: 1 where the case has the term or a descendant
        self.library_matrix = _unit_rows(prop, self.ic)
        self.library_excluded = _unit_rows(excluded, self.ic)
        self.library_assessed = _unit_rows(present.maximum(excluded), self.ic)  # 1 where recorded either way
        # By column (CSC): a patient's exact excluded and assessed terms are few, and their columns hold a
        # few thousand of these matrices' 190k entries (_exact_cosines)
        self._excluded_by_term = self.library_excluded.tocsc()
        self._assessed_by_term = self.library_assessed.tocsc()
        self.library_disease = np.array([self.profiles.index.get(c.disease_id, -1) for c in self.library],
                                        dtype=np.int64)  # int even for an empty library
        self.case_counts = np.bincount(self.library_disease[self.library_disease >= 0], minlength=len(self.profiles))
        # Library cases grouped by disease once (stable: library order within a disease), so a patient's
        # per-disease best similarities are segment reductions instead of a sort of every case.
        linked = np.flatnonzero(self.library_disease >= 0)
        self._by_disease = linked[np.argsort(self.library_disease[linked], kind="stable")]
        grouped = self.library_disease[self._by_disease]
        self._group_starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(grouped) else grouped
        self._group_disease = grouped[self._group_starts]
        self._group_of = np.repeat(np.arange(len(self._group_starts)), np.diff(np.r_[self._group_starts, len(grouped)]))
        # For _top_case_similarities: each group's last three places once sorted (its best three), and whether the
        # group reaches back that far; the sort keys' high bits (the row of similarities, then the group); what the
        # sum of the best three is divided by for their mean (how many there are, >= 1).
        ends = np.r_[self._group_starts, len(grouped)][1:].astype(np.int64)
        self._group_last = [(np.maximum(ends - 1 - k, 0), ends - 1 - k >= self._group_starts) for k in range(3)]
        self._group_keys = ((np.arange(3)[:, None] * len(self._group_starts) + self._group_of).astype(np.uint64)
                            << np.uint64(32))
        self._group_top3 = np.minimum(self.case_counts[self._group_disease], 3).astype(np.float32)

    def _gene_shares(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """How much of a disease's posterior each of its genes takes (gene index `rows`, disease index `cols`):
        (n + 1/2) / (m + 1/2), n the disease's published patients with a causal variant in the gene and m those of
        its most reported gene. HPO links some diseases to a related entry's gene too (Kabuki syndrome 1 to KDM6A
        beside KMT2D); taken whole, such a gene outranked the one the patients carry, since it also takes its own
        disease's posterior. A disease with one gene, or without published patients naming its genes, gives each
        gene its whole posterior. Measured over five folds held out by publication: gene MRR +0.001 to +0.013 on
        each (models/disease_ranker.md)."""
        carriers = self._gene_carriers
        counts = np.array([carriers.get((d, self.gene_symbols[g]), 0) for g, d in zip(rows.tolist(), cols.tolist(),
                                                                                       strict=True)], dtype=np.float32)
        most = np.zeros(len(self.profiles), dtype=np.float32)
        np.maximum.at(most, cols, counts)
        return ((counts + 0.5) / (most[cols] + 0.5)).astype(np.float32)

    def _prepare_genes(self) -> None:
        genes: dict[str, list[int]] = defaultdict(list)
        for d, symbols in enumerate(self.profiles.genes):
            for g in symbols:
                genes[g].append(d)
        self.gene_symbols = sorted(genes)
        self.gene_index = {g: i for i, g in enumerate(self.gene_symbols)}
        self.gene_diseases = [np.array(genes[g]) for g in self.gene_symbols]
        rows = np.concatenate([np.full(len(d), i) for i, d in enumerate(self.gene_diseases)])
        cols = np.concatenate(self.gene_diseases)
        # (disease, gene) -> the disease's published patients with a causal variant in the gene: the gene's share
        # of the disease (_gene_shares) and the note that explains it (gene_share_flags)
        carriers: dict[tuple[int, str], int] = defaultdict(int)
        for d, case in zip(self.library_disease.tolist(), self.library, strict=True):
            if d >= 0:
                for g in set(case.genes):
                    carriers[(d, g)] += 1
        self._gene_carriers = dict(carriers)
        # A disease's genes as a clinician reads them: the gene most of its published patients carry first (Kabuki
        # syndrome 1: KMT2D, then KDM6A, which HPO also links to it), the rest alphabetically. The first also gives a
        # disease shown with a VCF its variants where none of its genes has a candidate.
        self.disease_genes: list[tuple[str, ...]] = [
            tuple(sorted(symbols, key=lambda s, d=d: (-carriers.get((d, s), 0), s))) if len(symbols) > 1 else symbols
            for d, symbols in enumerate(self.profiles.genes)]
        self.gene_matrix = sp.csr_matrix(
            (self._gene_shares(rows, cols), (rows, cols)), shape=(len(self.gene_symbols), len(self.profiles))
        )
        prof = self.profiles
        self.n_annotations = np.diff(prof.direct.indptr).astype(np.float32)
        self.xlr_only = np.array([set(m) == {"HP:0001419"} for m in prof.inheritance])
        self.case_derived = np.array([s == "case_library" for s in prof.source], dtype=np.float32)
        # An Orphanet entry of a disease OMIM also describes (Mondo's exact match), or of a gene OMIM entries cover,
        # is held down: published diagnoses use the OMIM ID. Other Orphanet entries (clinically defined syndromes,
        # chromosomal disorders, disorders of unknown cause) are scored as any disease; before 2026-12-06 every
        # Orphanet entry was held down, and most of them could not be found from their own features.
        omim_of_gene: dict[str, list[str]] = defaultdict(list)
        for d, symbols in zip(prof.ids, prof.genes, strict=True):
            if d.startswith("OMIM:"):
                for g in symbols:
                    omim_of_gene[g].append(d)
        self._genes_in_omim = frozenset(omim_of_gene)
        self.omim_twins: dict[str, tuple[str, ...]] = {}  # ORPHA ID -> the OMIM IDs of the same disease
        self.omim_of_genes: dict[str, tuple[str, ...]] = {}  # ORPHA ID -> the OMIM IDs of its genes (no twin)
        for d, symbols in zip(prof.ids, prof.genes, strict=True):
            if d.startswith("ORPHA:"):
                twins = tuple(t for t in omim_equivalents().get(d, ()) if t in prof.index)
                if twins:
                    self.omim_twins[d] = twins
                elif of_genes := sorted({o for g in symbols for o in omim_of_gene.get(g, ())}):
                    self.omim_of_genes[d] = tuple(of_genes)
        self.is_orpha = np.array([d in self.omim_twins or d in self.omim_of_genes for d in prof.ids], dtype=np.float32)
        # (Orphanet twin, OMIM entry) index pairs, the twins once each (twin_logits scores them without the hold-down)
        pairs = sorted((prof.index[o], prof.index[t]) for o, ts in self.omim_twins.items() for t in ts)
        self._twin_orpha = np.array(sorted({o for o, _t in pairs}), dtype=np.intp)
        at = {o: i for i, o in enumerate(self._twin_orpha.tolist())}
        self._twin_pairs = (np.array([at[o] for o, _t in pairs], dtype=np.intp),
                            np.array([t for _o, t in pairs], dtype=np.intp))
        # the OMIM entries with a twin, and twin (in _twin_orpha's order) x those entries: 1 where the twin describes
        # the entry (_with_twins)
        self._twin_omim = np.unique(self._twin_pairs[1])
        self._twin_map = sp.csr_matrix((np.ones(len(pairs)), (self._twin_pairs[0],
                                        np.searchsorted(self._twin_omim, self._twin_pairs[1]))),
                                       shape=(len(self._twin_orpha), len(self._twin_omim)))
        self._twins_of: dict[int, list[int]] = defaultdict(list)  # OMIM entry -> its Orphanet twins
        for o, t in pairs:
            self._twins_of[t].append(o)
        self.is_decipher = np.array([d.startswith("DECIPHER:") for d in prof.ids], dtype=np.float32)
        # What every patient's feature rows start from: the features that do not depend on the patient (priors),
        # zeros elsewhere (copied per patient rather than recomputed)
        self._prior_rows = np.zeros((len(FEATURES), len(prof)), dtype=np.float32)
        for name, row in (("case_count", np.log1p(self.case_counts)), ("annotation_count", np.log1p(self.n_annotations)),
                          ("case_derived", self.case_derived), ("orphanet", self.is_orpha),
                          ("decipher", self.is_decipher)):
            self._prior_rows[FEATURES.index(name)] = row
        # Per-term views of the propagated profiles, transformed once: the log likelihood ratio of observing a
        # term through an annotation at or below it, shifted so that "no annotation" is an implicit zero.
        prop = prof.prop.tocoo()
        f = prop.data.astype(np.float64)
        lr = np.log((1.0 - NOISE) * f * np.exp(self.ic[prop.col].astype(np.float64)) + NOISE) - LOG_NOISE
        shape = (len(self.onto), len(prof))
        self.lr_by_term = sp.csr_matrix((lr.astype(np.float32), (prop.col, prop.row)), shape=shape)
        self._lr_by_disease: sp.csc_matrix | None = None  # one disease's evidence reads its column (built when asked)
        self.prop_by_term = sp.csr_matrix((prop.data, (prop.col, prop.row)), shape=shape)
        direct = prof.direct
        # The terms annotated to most diseases (near the root, so among nearly every patient's ancestors) are
        # kept dense with the best over their ancestors precomputed (23 MB for 227 terms); a patient's other
        # ancestors are scattered from the sparse rows (_best_over_ancestors). Resnik is reduced as IC ranks, then
        # kept as the ICs of those ranks (a best rank's IC is the best IC: no look-up per patient).
        order = np.argsort(self.ic, kind="stable")
        self._ic_rank = np.empty(len(self.onto), dtype=np.uint16 if len(self.onto) < 65535 else np.uint32)
        self._ic_rank[order] = np.arange(1, len(self.onto) + 1)
        ic_by_rank = np.r_[np.float32(0), self.ic[order]].astype(np.float32)  # rank 0: not annotated
        nnz = np.diff(self.lr_by_term.indptr)
        dense_terms = self.onto.parents_first(np.unique(self.onto.ancestor_matrix_rows(
            np.flatnonzero(nnz > DENSE_ROW_NNZ))[1]))
        self._dense_slot = np.full(len(self.onto), -1, dtype=np.int64)
        self._dense_slot[dense_terms] = np.arange(len(dense_terms))
        # each row: the best over the term and all its ancestors (closed upwards: so are the terms kept dense)
        self._closure_lr = self.lr_by_term[dense_terms].toarray()
        closure_rank = (self._closure_lr > 0) * self._ic_rank[dense_terms][:, None]
        for i, t in enumerate(dense_terms.tolist()):
            for parent in self._dense_slot[self.onto.parents(t)].tolist():
                np.maximum(self._closure_lr[i], self._closure_lr[parent], out=self._closure_lr[i])
                np.maximum(closure_rank[i], closure_rank[parent], out=closure_rank[i])
        self._closure_ic = np.take(ic_by_rank, closure_rank)
        # each entry of lr_by_term as the Resnik IC it brings (0 where the ratio is not above 1)
        entry_terms = np.repeat(np.arange(len(self.onto)), nnz)
        self._ic_by_term = np.take(ic_by_rank, self._ic_rank[entry_terms] * (self.lr_by_term.data > 0))
        # Coverage needs the best common ancestor only of annotated terms (11k of 19k): for each term, the
        # annotated terms at or below it (positions in `annotated`), and the annotation matrix on those columns.
        annotated = np.unique(direct.indices)
        at, anc = self.onto.ancestor_matrix_rows(annotated)
        below = sp.csr_matrix((np.ones(len(at), dtype=np.int8), (anc, at)), shape=(len(self.onto), len(annotated)))
        self._annotated_below = (below.indptr, below.indices)
        self.direct_annotated = direct[:, annotated].tocsr()
        self.coverage_norm = np.asarray(direct.multiply(self.ic[None, :]).sum(axis=1)).ravel()

    def _prepare_sex_limits(self) -> None:
        """The diseases only one sex can have (`sex_limited`: disease index -> (sex, why)) and, per patient sex, the
        sex_conflict feature: 1 for a disease only the other sex can have, and for a female, for an X-linked
        recessive one.

        A disease is limited to one sex when its name says so (`kb.disease_sex_in_name`: "Premature ovarian
        failure", "Periodic fever, menstrual cycle-dependent", "... in female carriers"), when it is inherited on the
        Y chromosome only, or when every phenotypic feature HPO annotates to it lies in that sex's genital or
        reproductive branches (SEX_SPECIFIC_ROOTS: "Spermatogenic failure", "Oocyte maturation defect"). A
        majority is not enough: Perrault syndrome (hearing loss in both sexes, ovarian failure in women), Lynch
        syndrome entries annotated with endometrial cancer and deafness-infertility syndrome have most of their few
        features in one sex's branches and patients of both. Never limited: a disease with a feature of the other
        sex, or of a difference of sex development, whose patients are recorded as either sex."""
        prof, onto = self.profiles, self.onto
        n = len(prof)

        def branch(roots: tuple[str, ...]) -> np.ndarray:
            mask = np.zeros(len(onto), dtype=np.float32)
            for t in roots:
                if (i := onto.resolve(t).index) is not None:
                    mask[onto.descendants(i)] = 1.0
            return mask

        # features HPO annotates (not those the library's published patients add), phenotypic only
        annotated = prof.direct.copy()
        annotated.data[:] = 1.0
        for d, added in prof.case_features.items():
            annotated[d, sorted(added)] = 0.0  # few hundred diseases
        annotated.eliminate_zeros()
        annotated = annotated.multiply(onto.phenotypic.astype(np.float32)[None, :]).tocsr()
        features = np.asarray(annotated.sum(axis=1)).ravel()
        # sex -> 1 for each term of that sex's genital or reproductive branches (also the features to examine)
        self.sex_branch = {sex: branch(SEX_SPECIFIC_ROOTS[sex]) for sex in SEXES}
        in_branch = {sex: annotated @ self.sex_branch[sex] for sex in SEXES}
        development = annotated @ branch(SEX_DEVELOPMENT_ROOTS)
        candidates = {d: (sex, "as its name says") for d, label in enumerate(prof.labels)
                      if (sex := disease_sex_in_name(label))}
        for d, modes in enumerate(prof.inheritance):
            if d not in candidates and set(modes) == {Y_LINKED}:
                candidates[d] = ("MALE", "inherited on the Y chromosome only")
        curated = np.array([s == "hpoa" for s in prof.source]) & (features > 0)
        for sex, (word, _plural) in SEXES.items():
            for d in np.flatnonzero(curated & (in_branch[sex] == features)).tolist():
                candidates.setdefault(d, (sex, f"every feature HPO annotates to it is of the {word} genitalia or "
                                               "reproduction"))
        self.sex_limited: dict[int, tuple[str, str]] = {
            d: (sex, why) for d, (sex, why) in sorted(candidates.items())
            if not development[d] and not difference_of_sex_development(prof.labels[d])
            and not in_branch["MALE" if sex == "FEMALE" else "FEMALE"][d]}
        only = {sex: np.zeros(n, dtype=np.float32) for sex in SEXES}
        for d, (sex, _why) in self.sex_limited.items():
            only[sex][d] = 1.0
        self.sex_conflict = {"FEMALE": np.maximum(self.xlr_only, only["MALE"]), "MALE": only["FEMALE"]}

    @property
    def model(self) -> Model:
        if self._model is None:
            model = load_model(self.model_path, self.device_request, name="disease_ranker")
            self._baseline = self._check_model(model)
            self._model = model
        return self._model

    def _check_model(self, model: Model) -> np.ndarray:
        """Refuse, when loaded, a model that cannot rank this version's features of this KB's diseases (a file from
        another version, a damaged export): said in one line before any case is read, not as onnxruntime's error at
        the first case, nor as a ranking of NaN scores (which sort nowhere: an empty differential). Returns its
        baseline row (an average disease), which the check scores."""
        inputs = {i.name: i.shape for i in model.session.get_inputs()}
        outputs = {o.name for o in model.session.get_outputs()}
        shape = inputs.get("features")
        meta = model.session.get_modelmeta().custom_metadata_map
        problem = ""
        if shape is None or len(inputs) != 1 or not {"logits", "posterior"} <= outputs:
            problem = (f"it takes {', '.join(map(repr, inputs)) or 'no input'} and gives "
                       f"{', '.join(map(repr, sorted(outputs))) or 'no output'}, not 'features' -> 'logits', 'posterior'")
        elif len(shape) != 3 or (isinstance(shape[1], int) and shape[1] != len(FEATURES)):
            problem = f"it takes features shaped {shape}, not [batch, {len(FEATURES)}, diseases]"
        elif isinstance(shape[2], int) and shape[2] != len(self.profiles):
            problem = f"it ranks {shape[2]:,} diseases and this knowledge base has {len(self.profiles):,}"
        elif _json_list(meta.get("features")) != list(FEATURES):
            problem = "it was trained on other features"
        elif len(baseline := _json_list(meta.get("baseline")) or []) != len(FEATURES):
            problem = "its metadata has no baseline of the features"
        else:  # an average disease scored: damaged weights give NaN or infinite scores
            diseases = shape[2] if isinstance(shape[2], int) else 1
            rows = np.tile(np.array(baseline, dtype=np.float32)[None, :, None], (1, 1, diseases))
            try:
                finite = bool(np.isfinite(model.run({"features": rows})[0]).all())
            except Exception as exc:  # onnxruntime's own, of a graph that loads but cannot run
                problem = f"it cannot score an average disease ({exc})".splitlines()[0]
            else:
                problem = "" if finite else "it gives no finite score for an average disease (damaged weights)"
        if problem:
            raise RareTraceError(f"the ranking model {self.model_path} does not fit this version of RareTrace: "
                                 f"{problem}; reinstall RareTrace or run `make models`")
        return np.array(baseline, dtype=np.float32)

    @property
    def device(self) -> str:
        return self.model.device

    def share_model(self, other: Ranker) -> None:
        """Use another ranker's loaded model (same file and device) instead of loading it again."""
        if other.model_path == self.model_path and other.device_request == self.device_request:
            self._model = other.model
            self._baseline = other.baseline  # read (and checked) with that model

    # ----------------------------------------------------------------------------------------------- input

    def patient(self, case: Case) -> PatientProfile:
        warnings: list[str] = []
        present: set[int] = set()
        excluded: set[int] = set()
        unknown = 0
        replaced: dict[str, str] = {}
        for pheno in case.phenotypes:
            res = self.onto.resolve(pheno.id)
            if res.index is None:
                unknown += 1
                warnings.append(res.notice or f"{pheno.id} ignored")
                continue
            if self.onto.ids[res.index] != pheno.id:
                replaced[pheno.id] = self.onto.ids[res.index]
                if len(replaced) <= SHOWN_REPLACEMENTS and res.notice:
                    warnings.append(res.notice)
            elif res.notice:
                warnings.append(res.notice)
            (excluded if pheno.excluded else present).add(res.index)
        if len(replaced) > SHOWN_REPLACEMENTS:  # counted, not listed: a case of an old release may have hundreds
            warnings.append(f"{len(replaced) - SHOWN_REPLACEMENTS} more term(s) entered with an obsolete or "
                            "alternative ID, analysed as their current terms (analyze --json: replaced_terms)")
        if unknown:
            warnings.append(f"{unknown} unknown HPO term(s) ignored")
        contradictory = present & excluded
        if contradictory:
            warnings.append(attention(f"{len(contradictory)} term(s) both present and excluded; treated as present"))
            excluded -= contradictory
        # Keep the most specific: an ancestor of another present feature adds nothing.
        implied = set()
        for t in present:
            implied.update(int(a) for a in self.onto.ancestors(t)[1:])
        present_final = sorted(t for t in present if t not in implied)
        covered: dict[int, int] = {}  # the report names the feature that stands for each one left out
        for t in present_final:
            for a in self.onto.ancestors(t)[1:]:
                if int(a) in present:
                    covered.setdefault(int(a), t)
        # An excluded term that is an ancestor of a present one is contradictory ("Seizure" excluded, "Focal-onset
        # seizure" present); drop it, and say so: the case states both.
        excluded_final = sorted(t for t in excluded if t not in implied)
        contradicted = sorted(t for t in excluded if t in implied)
        if contradicted:
            named = ", ".join(f"{self.onto.labels[t]} ({self.onto.ids[t]})" for t in contradicted[:3])
            warnings.append(attention(f"{len(contradicted)} excluded term(s) implied by a more specific present "
                                      f"feature, so not used as excluded: {named}{' …' if len(contradicted) > 3 else ''}"))
        return PatientProfile(
            np.array(present_final, dtype=np.int64), np.array(excluded_final, dtype=np.int64), case.sex,
            tuple(warnings), earliest_onset(case), tuple(replaced.items()),
            tuple((self.onto.ids[a], self.onto.ids[t]) for a, t in sorted(covered.items())),
        )

    def usable_patient(self, case: Case) -> PatientProfile:
        """The patient's profile, or an error when no term of the case is usable (nothing to rank on)."""
        patient = self.patient(case)
        # Excluded features alone rank diseases by their priors, and so do terms outside "Phenotypic abnormality"
        # (All, Mode of inheritance, an onset): no differential.
        if not self.onto.phenotypic[patient.present].any():
            unknown = [p.id for p in case.phenotypes if not p.excluded and self.onto.resolve(p.id).index is None]
            other = [self.onto.labels[t] for t in patient.present]
            why = (f" ({len(unknown)} unknown: {', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''})" if unknown
                   else f" ({', '.join(other[:3])}: not a phenotypic abnormality)" if other else "")
            raise RareTraceError(f"case {case.id} has no usable present HPO terms{why}; add at least one present "
                                 "feature, or give a VCF to rank genes by their variants alone")
        return patient

    # -------------------------------------------------------------------------------------------- features

    def features(self, patient: PatientProfile, out: np.ndarray | None = None) -> FeatureSet:
        """The patient's evidence features for every disease; `out`: F x diseases float32 to write them into (a
        patient's rows of a batch, `analyse_batch`), else they get an array of their own."""
        prof, ic = self.profiles, self.ic
        n_d = len(prof)
        present, excluded = patient.present, patient.excluded
        n_p = len(present)
        values = self._prior_rows.copy() if out is None else out  # transposed: rows are written whole
        if out is not None:
            out[...] = self._prior_rows
        best_lr = np.zeros((0, n_d), dtype=np.float32)  # (no present feature)
        col = {name: i for i, name in enumerate(FEATURES)}

        if n_p:
            owner, ancestors = self.onto.ancestor_matrix_rows(present)  # (present feature, ancestor) pairs
            union = np.unique(ancestors)
            # Per term, the best likelihood ratio over its ancestors, and Resnik: the IC of its most informative
            # ancestor annotated to the disease.
            best_lr, resnik = self._best_over_ancestors(present, owner, ancestors)
            best_lr += LOG_NOISE
            patient_ic = np.maximum(ic[present], 1e-3)
            values[col["lr_sum"]] = best_lr.sum(axis=0)
            values[col["lr_mean"]] = values[col["lr_sum"]] / n_p
            values[col["resnik_mean"]] = resnik.sum(axis=0) / n_p
            values[col["resnik_norm"]] = values[col["resnik_mean"]] / patient_ic.mean()
            specific = (resnik >= 0.7 * patient_ic[:, None]).sum(axis=0, dtype=np.int32)  # (faster than int64)
            values[col["specific_fraction"]] = specific / n_p
            # disease -> patient: for each annotated term, IC of its best common ancestor with the patient
            # the patient's terms and their ancestors, IC-weighted (also the query of the case similarity)
            v = np.zeros(len(self.onto), dtype=np.float32)
            v[union] = ic[union]
            # Each annotated term takes the IC of the most informative of them above it (one np.maximum.at over
            # every term's annotated terms below: a slice assignment per term, least informative first, took longer)
            below_ptr, below_idx = self._annotated_below
            informative = union[ic[union] > 0]
            starts, ends = below_ptr[informative], below_ptr[informative + 1]
            best_per_term = np.zeros(self.direct_annotated.shape[1], dtype=np.float32)
            np.maximum.at(best_per_term, below_idx[concatenated_ranges(starts, ends)],
                          np.repeat(ic[informative], ends - starts))
            covered = self.direct_annotated @ best_per_term
            values[col["coverage"]] = covered / np.maximum(self.coverage_norm, 1e-6)
            patient_vec = np.zeros(len(self.onto), dtype=np.float32)
            patient_vec[union] = 1.0
            values[col["negated_conflicts"]] = prof.negated @ patient_vec

        if len(excluded):
            # sparse rows: only diseases that have the excluded feature
            diseases, frequency = _csr_rows(self.prop_by_term, excluded)
            penalty = np.bincount(diseases, weights=np.log(1.0 - EXCLUDED_CAP * frequency), minlength=n_d)
            values[col["excluded_penalty"]] = penalty

        # Similarity to each published case: of the patient's terms with their ancestors (as its cases' present
        # terms are propagated), of its exact excluded terms, and of its exact terms recorded either way
        sims = np.zeros((3, len(self.library)), dtype=np.float32)
        if n_p:
            sims[0] = _cosines(self.library_matrix, v)
        sims[1] = _exact_cosines(self._excluded_by_term, excluded, ic)
        sims[2] = _exact_cosines(self._assessed_by_term, np.union1d(present, excluded).astype(np.int64), ic)
        case_sims = sims[0]
        if len(self._group_starts):
            best, top3 = self._top_case_similarities(sims)
            diseases = self._group_disease
            values[col["case_similarity_max"], diseases] = best[0]
            for i, name in enumerate(("case_similarity_top3", "excluded_case_similarity", "assessed_case_similarity")):
                values[col[name], diseases] = top3[i] / self._group_top3  # the mean of the best three
        if patient.sex in self.sex_conflict:
            values[col["sex_conflict"]] = self.sex_conflict[patient.sex]
        for gap, raw in (("lr_gap", "lr_sum"), ("resnik_gap", "resnik_norm"), ("case_similarity_gap", "case_similarity_max")):
            values[col[gap]] = values[col[raw]] - values[col[raw]].max()
        return FeatureSet(values.T, best_lr.T, case_sims)

    def _best_over_ancestors(self, present: np.ndarray, owner: np.ndarray,
                             ancestors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per present feature (rows) and disease: the best log likelihood ratio over the feature and its ancestors
        (`owner`, `ancestors`: the pairs), and the largest IC among those annotated to the disease (Resnik).

        A row starts from the precomputed rows of the terms near the root (`_closure_lr`, each already the best
        over its own ancestors, which are dense too): the feature's own where it is one, and those that are parents
        of its other ancestors; the annotations of those other ancestors, few, are then scattered in."""
        slot, onto, m = self._dense_slot, self.onto, self.lr_by_term
        n_dense = len(self._closure_lr)
        sparse = slot[ancestors] < 0
        row_of, terms = owner[sparse], ancestors[sparse]
        starts, ends = onto.par_ptr[terms], onto.par_ptr[terms + 1]
        parents = slot[onto.par_idx[concatenated_ranges(starts, ends)]]
        parent_row = np.repeat(row_of, ends - starts)
        own = slot[present]
        # (row, dense slot) pairs once each, by row
        pairs = np.unique(np.r_[np.flatnonzero(own >= 0) * n_dense + own[own >= 0],
                                parent_row[parents >= 0] * n_dense + parents[parents >= 0]])
        rows, dense = pairs // n_dense, pairs % n_dense
        first = np.r_[True, rows[1:] != rows[:-1]] if len(rows) else np.zeros(0, dtype=bool)
        if len(rows[first]) == len(present):  # each row has one (the root is dense in any real KB): copied once
            best_lr, resnik = self._closure_lr[dense[first]], self._closure_ic[dense[first]]
        else:
            best_lr = np.zeros((len(present), m.shape[1]), dtype=np.float32)
            resnik = np.zeros((len(present), m.shape[1]), dtype=np.float32)
            best_lr[rows[first]], resnik[rows[first]] = self._closure_lr[dense[first]], self._closure_ic[dense[first]]
        for j, d in zip(rows[~first].tolist(), dense[~first].tolist(), strict=True):
            np.maximum(best_lr[j], self._closure_lr[d], out=best_lr[j])
            np.maximum(resnik[j], self._closure_ic[d], out=resnik[j])
        starts, ends = m.indptr[terms], m.indptr[terms + 1]
        entries = concatenated_ranges(starts, ends)
        at = np.repeat(row_of * m.shape[1], ends - starts) + m.indices[entries]  # positions in the flat rows
        np.maximum.at(best_lr.ravel(), at, m.data[entries])
        np.maximum.at(resnik.ravel(), at, self._ic_by_term[entries])
        return best_lr, resnik

    def _mode_labels(self, modes: tuple[str, ...]) -> tuple[str, ...]:
        labels = self._mode_label_cache.get(modes)
        if labels is None:
            labels = self._mode_label_cache[modes] = tuple(self.onto.label(m) for m in modes)
        return labels

    def _top_case_similarities(self, sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For up to three rows of similarities to the library cases (>= 0), per disease with cases
        (`_group_disease`) the best of its cases and the sum of its best three (of all, where fewer): rows x diseases.

        One sort of the rows: a float32 >= +0 orders as its bits, so (row, disease, similarity) is one 64-bit key,
        and each disease's best three end its range of keys (a reduction per place took 3x as long)."""
        bits = (sims[:, self._by_disease] + np.float32(0)).view(np.uint32)  # (+0: a -0.0 would sort last)
        keys = np.sort((self._group_keys[: len(sims)] | bits).ravel())
        ordered = keys.astype(np.uint32).view(np.float32).reshape(len(sims), -1)  # the low 32 bits: similarities
        (last, _), *others = self._group_last
        top = ordered[:, last]
        total = top.copy()
        for place, has in others:  # added in the order the best three are, as their mean always was
            total += np.where(has, ordered[:, place], np.float32(0))
        return top, total

    # -------------------------------------------------------------------------------------------- scoring

    def score(self, feature_values: list[np.ndarray], *, twins: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Run the ONNX model on feature matrices (diseases x F each); returns (logits, posterior), (B, diseases).

        The model takes them feature-major ([B, F, diseases]): `features()` computes them that way, so `.T` of
        its diseases x F view is the contiguous original and nothing is copied twice.
        """
        rows = [np.asarray(v, dtype=np.float32).T for v in feature_values]
        n = len(self.profiles)
        if twins and rows and all(r.shape[1] == n for r in rows):  # (all diseases per patient)
            batch = self._feature_batch(len(rows))
            np.stack(rows, out=batch[:, :, :n])
            return self._score_batch(batch)
        return tuple(self.model.run({"features": np.stack(rows)}))  # type: ignore[return-value]

    def _feature_batch(self, size: int) -> np.ndarray:
        """An uninitialised batch for `size` patients' feature rows (size x F x columns): every disease, then room
        for the Orphanet twins' rows (`_score_batch`)."""
        return np.empty((size, len(FEATURES), len(self.profiles) + len(self._twin_orpha)), dtype=np.float32)

    def _score_batch(self, batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(logits, posterior), (B, diseases), of a `_feature_batch` whose rows of every disease are written: the
        twins' columns are filled with their rows with the hold-down lifted, scored in the same model run (each
        column's logit is its own: the same as in a run of its own) and added to their OMIM entries (twin_logits)."""
        n = len(self.profiles)
        if not len(self._twin_orpha):
            return tuple(self.model.run({"features": batch}))  # type: ignore[return-value]
        for rows in batch:  # (a patient at a time: twice as fast as indexing the batch's last axis)
            rows[:, n:] = rows[:, self._twin_orpha]
        batch[:, FEATURES.index("orphanet"), n:] = 0.0
        logits = self.model.run({"features": batch})[0]
        logits = self._with_twins(logits[:, :n], logits[:, n:])
        z = np.exp(logits - logits.max(axis=1, keepdims=True))
        return logits, (z / z.sum(axis=1, keepdims=True)).astype(np.float32)

    def twin_logits(self, values: np.ndarray, logits: np.ndarray, score=None) -> np.ndarray:
        """One patient's logits (`values`: diseases x F features; `logits`: the model's) with each OMIM entry scored
        by its own description and by its Orphanet twin's (Mondo's exact match) alike: log(exp(own) + exp(twin's)),
        the twin scored without the hold-down (the `orphanet` feature), which stays on the twin itself. The two are
        one disease that HPO annotates twice, from different sources: a patient who fits either description fits
        it, and published diagnoses, and the list, use the OMIM ID. (STXBP1-related encephalopathy, KBG syndrome,
        SATB2-associated syndrome: their Orphanet entries describe the published cohorts better than the OMIM
        entries do.) Measured over five folds held out by publication (models/disease_ranker.md). `score`:
        diseases x F -> logits (default: the shipped model)."""
        if not len(self._twin_orpha):
            return logits
        return self._with_twins(np.asarray(logits)[None], self._unheld_logits(values[self._twin_orpha], score)[None])[0]

    def _with_twins(self, logits: np.ndarray, twins: np.ndarray) -> np.ndarray:
        """Patients' logits (B x diseases) with each OMIM entry's Orphanet twins' unheld logits (B x twins, in
        `_twin_orpha`'s order) added to it as probabilities (twin_logits)."""
        # the twins' probabilities summed per OMIM entry through a sparse product (np.logaddexp.at over 2,118 pairs
        # took longer than the model's run), scaled by each patient's largest twin logit so that nothing overflows
        top = twins.max(axis=1, keepdims=True).astype(np.float64)
        mass = np.asarray(self._twin_map.T @ np.exp(twins.astype(np.float64) - top).T).T
        out = np.array(logits, dtype=np.float64)  # (only the OMIM entries with a twin change)
        out[:, self._twin_omim] = np.logaddexp(out[:, self._twin_omim], np.log(mass) + top)
        return out

    def twin_gain(self, values: np.ndarray, d: int) -> float | None:
        """What disease `d`'s Orphanet twins add to its logit (twin_logits; the contribution TWIN_GROUP), None
        where it has none."""
        twins = self._twins_of.get(d)
        if not twins:
            return None
        # one run for the entry and its twins (an OMIM entry is never held down: lifting it changes nothing there)
        own, *theirs = self._unheld_logits(values[[d, *twins]]).astype(np.float64)
        return float(np.logaddexp.reduce([own, *theirs]) - own)

    def _unheld_logits(self, rows: np.ndarray, score=None) -> np.ndarray:
        """The logits of feature rows (n x F) with the Orphanet hold-down (the `orphanet` feature) lifted, by the
        shipped model or `score` (n x F -> logits)."""
        unheld = np.array(rows, dtype=np.float32)
        unheld[:, FEATURES.index("orphanet")] = 0.0
        if score is not None:
            return np.asarray(score(unheld))
        return self.model.run({"features": np.ascontiguousarray(unheld.T)[None]})[0][0]

    @property
    def baseline(self) -> np.ndarray:
        """The reference point of contributions: an average disease row (the model's standardisation mean)."""
        _ = self.model  # read (and checked) with the model
        return self._baseline

    # ------------------------------------------------------------------------------------------- analysis

    def analyse(self, case: Case, *, top: int = 20, genomics=None, evidence: bool = True) -> AnalysisResult:
        """Rank one case. Without usable terms only a genomics step (a VCF) has something to rank on."""
        started = time.perf_counter()
        patient = self.usable_patient(case) if genomics is None else self.patient(case)
        feats = self.features(patient)
        logits, posterior = self.score([feats.values])
        result = self._result(case, patient, feats, logits[0], posterior[0], top=top, evidence=evidence,
                              genomics=genomics)
        return replace(result, seconds=time.perf_counter() - started)

    def analyse_batch(self, cases: list[Case], *, top: int = 20, chunk: int = 32) -> list[AnalysisResult]:
        """Phenotype-only ranking of many cases: features per case, one ONNX call per chunk of cases (memory stays
        bounded: a chunk holds chunk x diseases x F floats)."""
        started = time.perf_counter()
        results: list[AnalysisResult] = []
        for begin in range(0, len(cases), chunk):
            part = cases[begin : begin + chunk]
            patients = [self.patient(case) for case in part]
            batch = self._feature_batch(len(part))  # written in place: no copy of the chunk's features to score it
            feats = [self.features(patient, out=rows[:, : len(self.profiles)])
                     for patient, rows in zip(patients, batch, strict=True)]
            logits, posterior = self._score_batch(batch)
            results += [self._result(case, p, f, logits[i], posterior[i], top=top, evidence=False)
                        for i, (case, p, f) in enumerate(zip(part, patients, feats, strict=True))]
        per_case = (time.perf_counter() - started) / max(len(cases), 1)
        return [replace(r, seconds=per_case) for r in results]

    def _result(self, case, patient, feats, logits, posterior, *, top, evidence, genomics=None) -> AnalysisResult:
        prof = self.profiles
        gene_scores = np.minimum(np.asarray(self.gene_matrix @ posterior).ravel(), 1.0)
        warnings = list(patient.warnings)
        variant_logf = None
        if genomics is not None:
            # The genomics step ranks genes and returns, per gene, the log factor its variants and inheritance
            # fit add; a disease takes the best factor among its genes, so the differential follows the VCF too.
            step = genomics(self, patient, feats, posterior, gene_scores)
            warnings.extend(step.warnings)
            variant_logf = np.zeros(len(prof), dtype=np.float64)
            if step.disease_log_factors is not None:
                for d, logf in step.disease_log_factors.items():
                    variant_logf[d] = logf
            else:
                for symbol, logf in step.gene_log_factors.items():
                    g = self.gene_index.get(symbol)
                    if g is not None:
                        ds = self.gene_diseases[g]
                        variant_logf[ds] = np.maximum(variant_logf[ds], logf)
            if not len(patient.present):  # no phenotype: priors are no reason; the variants alone rank diseases
                logits = np.zeros_like(logits, dtype=np.float64)
            logits = logits.astype(np.float64) + variant_logf
            posterior = np.exp(logits - logits.max())
            posterior /= posterior.sum()
        if self.release_warning:  # last: the case's and the VCF's own warnings come first where few are shown
            warnings.append(self.release_warning)
        top_d = top_indices(logits, top)
        diseases = []
        for rank, d in enumerate(top_d, start=1):
            h = Hypothesis(
                kind="disease", id=prof.ids[d], label=prof.labels[d], rank=rank, score=float(posterior[d]),
                source=prof.source[d], genes=self.disease_genes[d],
                inheritance_modes=self._mode_labels(prof.inheritance[d]),
            )
            if evidence:
                h = self._disease_evidence(h, int(d), patient, feats)
                if variant_logf is not None:
                    # without present features only the variants ranked it: the other groups took no part
                    kept = h.contributions if len(patient.present) else tuple(Contribution(c.group, 0.0)
                                                                              for c in h.contributions)  # fmt: skip
                    h = replace(h, contributions=kept + (Contribution("variant evidence", float(variant_logf[d])),))
            diseases.append(h)
        if genomics is not None:
            genes = step.genes
        else:
            shown = {prof.index[h.id]: h for h in diseases}
            genes = [self.gene_hypothesis(int(g), rank, float(gene_scores[g]), patient, feats, posterior, evidence,
                                          shown)
                     for rank, g in enumerate(top_indices(gene_scores, top), start=1)]
        onto = self.onto
        present = tuple((onto.ids[t], onto.labels[t]) for t in patient.present)
        onsets = onsets_as_analysed(case.present, patient.replaced)
        return AnalysisResult(
            case_id=case.id,
            present=present,
            onsets=tuple((i, onsets[i]) for i, _label in present if i in onsets),
            excluded=tuple((onto.ids[t], onto.labels[t]) for t in patient.excluded),
            sex=case.sex, age=case.age, diseases=tuple(diseases), genes=tuple(genes), device=self.device,
            versions=self.versions(), warnings=tuple(warnings), replaced=patient.replaced,
            covered=tuple((a, onto.labels[onto.index[a]], t) for a, t in patient.covered),
            sex_source="case" if case.sex else "",
        )

    def versions(self) -> dict[str, str]:
        return {
            "raretrace": __version__,
            "hpo_release": self.hpo_release,
            "case_library": f"{len(self.library):,} cases ({self.library_version})" + (
                f"; {len(self.all_library) - len(self.library):,} of the library's {len(self.all_library):,} left "
                "out (the patient's own publication)" if len(self.library) < len(self.all_library) else ""),
            "disease_ranker": self.model.version,
            "device": self.device,
            **({"device_note": self.model.note} if self.model.note else {}),
        }

    # ------------------------------------------------------------------------------------------- evidence

    def group_contributions(self, rows: np.ndarray) -> list[tuple[Contribution, ...]]:
        """Exact Shapley values of the evidence groups for each feature row (diseases), via the ONNX model.

        The reference is an average disease (the model's standardisation mean) for phenotype match and prior, but
        one with no conflicts and no published cases: a disease without conflicts or similar cases gets exactly 0
        for those groups, and conflicts can only count against it. Each group's value is its fair share of
        logit(row) - logit(reference), so the contributions add up exactly to that difference.
        """
        groups = [[FEATURES.index(n) for n in names] for names in GROUPS.values()]
        n = len(groups)
        masks = np.array([[(m >> g) & 1 for g in range(n)] for m in range(1 << n)], dtype=bool)
        reference = self.reference_rows(rows)
        # one row per (hypothesis, coalition): the coalition's groups from the hypothesis, the rest from reference
        batch = np.repeat(reference[:, None, :], len(masks), axis=1)
        for g, cols in enumerate(groups):
            on = np.flatnonzero(masks[:, g])
            batch[:, on[:, None], cols] = rows[:, None, cols]
        flat = batch.reshape(-1, len(FEATURES)).T[None]
        logits = self.model.run({"features": np.ascontiguousarray(flat)})[0].reshape(len(rows), len(masks))
        sizes = masks.sum(axis=1)
        weight = np.array([math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n) for k in range(n)])
        out = []
        for j in range(len(rows)):
            values = []
            for g in range(n):
                without = np.flatnonzero(~masks[:, g])
                gain = logits[j, without | (1 << g)] - logits[j, without]
                values.append(float(np.sum(weight[sizes[without]] * gain)))
            out.append(tuple(Contribution(name, v) for name, v in zip(GROUPS, values, strict=True)))
        return out

    def reference_rows(self, rows: np.ndarray) -> np.ndarray:
        """The reference of each row's contributions: the average disease without conflicts or published cases
        (its case-similarity gap is this patient's best similarity, taken from the row itself)."""
        ref = np.tile(self.baseline, (len(rows), 1)).astype(np.float32)
        for name in (*GROUPS["conflicting evidence"], "case_similarity_max", "case_similarity_top3", "case_count",
                     "excluded_case_similarity", "assessed_case_similarity"):
            ref[:, FEATURES.index(name)] = 0.0
        gap, best = FEATURES.index("case_similarity_gap"), FEATURES.index("case_similarity_max")
        ref[:, gap] = rows[:, gap] - rows[:, best]
        return ref

    def _annotation_rows(self, disease_id: str, aspect: str = "P") -> list[tuple]:
        """The disease's KB rows of one HPO aspect: P phenotype, C clinical course (read once per disease: the
        matched features and the negated ones both come from them, for the disease and again for its genes')."""
        rows = self._annotation_cache.get((disease_id, aspect))
        if rows is None:
            if len(self._annotation_cache) >= ANNOTATION_CACHE:
                self._annotation_cache.clear()
            rows = self._annotation_cache[(disease_id, aspect)] = self.db.execute(
                "SELECT id, hpo_id, frequency, frequency_value, reference, qualifier, evidence, sex "
                "FROM disease_annotations "
                "WHERE disease_id = ? AND aspect = ?",
                (disease_id, aspect),
            ).fetchall()
        return rows

    def _disease_annotations(self, d: int) -> list[dict]:
        """Annotated features of a disease with their sources: KB rows (curated) or library cases."""
        prof = self.profiles
        disease_id = prof.ids[d]
        out = []
        if prof.source[d] == "hpoa":
            for t, rows in self._rows_by_term(disease_id).items():
                value, stating = term_frequency([(r[2] or "", r[3], r[5] or "") for r in rows])
                if value is None:
                    continue  # annotated not to have it: a negated feature, never support
                # the frequency the ranking uses, with the rows (references) that state it, not every row's
                # references beside the largest frequency; no frequency annotated: 50% is assumed, and the
                # evidence says it was not stated
                rows = [rows[i] for i in stating]
                text, rows = _stated_frequency(rows)
                refs = sorted({x for r in rows for x in (r[4] or "").split(";") if x})
                sexes = {(r[7] or "").upper() for r in rows}  # phenotype.hpoa's sex column: "" for both sexes
                out.append({"term": t, "frequency": value, "frequency_text": text,
                            "references": tuple(refs), "ids": tuple(r[0] for r in rows),
                            "evidence": tuple(sorted({r[6] for r in rows if r[6]})),
                            "sex": sexes.pop() if len(sexes) == 1 else ""})
        added = prof.case_features.get(d, frozenset()) if prof.source[d] == "hpoa" else None
        if added is None or added:
            # case-derived profiles, and the features published patients add to a curated one
            n_cases, counts = self._published_term_pmids(d, excluded=False)
            for t, pmids in counts.items():
                if added is not None and t not in added:
                    continue
                out.append({"term": t, "frequency": len(pmids) / n_cases,
                            "frequency_text": f"{len(pmids)}/{n_cases} published cases",
                            "references": tuple(sorted(set(pmids))), "ids": (), "evidence": ()})
        # a term both curated and added by published patients: the larger frequency, as the profile takes it,
        # shown with the sources that state it
        merged: dict[int, dict] = {}
        for a in out:
            m = merged.get(a["term"])
            if m is None or a["frequency"] > m["frequency"]:
                merged[a["term"]] = dict(a)
            elif a["frequency"] == m["frequency"]:
                m["references"] = tuple(sorted(set(m["references"]) | set(a["references"])))
                m["evidence"] = tuple(sorted(set(m["evidence"]) | set(a["evidence"])))
                m["ids"] = m["ids"] + a["ids"]
        return list(merged.values())

    def _clinical_course(self, disease_id: str) -> tuple[ClinicalCourse, ...]:
        """The disease's curated onset (earliest first), progression and mortality annotations (not under NOT)."""
        onto, out = self.onto, []
        for t, rows in self._rows_by_term(disease_id, "C").items():
            rows = [r for r in rows if r[5] != "NOT"]
            if rows:
                out.append(ClinicalCourse(onto.ids[t], onto.labels[t],
                                          tuple(sorted({x for r in rows for x in (r[4] or "").split(";") if x})),
                                          tuple(sorted({r[6] for r in rows if r[6]}))))  # fmt: skip
        return tuple(sorted(out, key=lambda c: (ONSET_ORDER.get(c.term, len(ONSET_ORDER)), c.term)))

    def _rows_by_term(self, disease_id: str, aspect: str = "P") -> dict[int, list[tuple]]:
        """The disease's KB annotation rows of one aspect grouped by (current) term, one row per reference."""
        grouped: dict[int, list[tuple]] = defaultdict(list)
        for row in self._annotation_rows(disease_id, aspect):
            t = self.onto.resolve(row[1]).index
            if t is not None:
                grouped[t].append(row)
        return grouped

    def _negated_sources(self, d: int) -> dict[int, tuple[str, tuple[str, ...], tuple[int, ...]]]:
        """term -> (how it is known, references, KB rows) for the features disease d is annotated not to have."""
        out = {}
        if self.profiles.source[d] == "hpoa":
            for t, rows in self._rows_by_term(self.profiles.ids[d]).items():
                value, stating = term_frequency([(r[2] or "", r[3], r[5] or "") for r in rows])
                if value is not None:
                    continue
                rows = [rows[i] for i in stating]
                said = ("NOT annotation" if rows[0][5] == "NOT" else
                        "annotated frequency " + ", ".join(dict.fromkeys(frequency_words(r[3], r[2]) for r in rows)))
                refs = tuple(sorted({x for r in rows for x in (r[4] or "").split(";") if x}))
                out[t] = (said, refs, tuple(r[0] for r in rows))
            return out
        n_cases, pmids = self._published_term_pmids(d, excluded=True)
        return {t: (f"excluded in {len(p)}/{n_cases} published cases", tuple(sorted(set(p))), ())
                for t, p in pmids.items()}

    def _published_term_pmids(self, d: int, excluded: bool) -> tuple[int, dict[int, list[str]]]:
        """(published cases of disease d in the library, term -> the PMID of each case that records it present,
        or excluded)."""
        cases = [self.library[i] for i in np.flatnonzero(self.library_disease == d)]
        if not excluded:  # as the profiles count them: a patient with a more specific form has the feature
            return len(cases), {t: [cases[i].pmid for i in showing]
                                for t, showing in cases_showing(self.onto, cases).items()}
        out: dict[int, list[str]] = defaultdict(list)
        for c in cases:
            for tid in set(c.excluded):
                t = self.onto.resolve(tid).index
                if t is not None:
                    out[t].append(c.pmid)
        return len(cases), out

    def _negated(self, d: int, patient: PatientProfile) -> tuple[NegatedConflict, ...]:
        """Present features (or their ancestors) that disease d is annotated not to have: what the
        negated_conflicts feature counts, listed so that its part of the conflicts bar is explained."""
        neg = self.profiles.negated
        terms = neg.indices[neg.indptr[d]: neg.indptr[d + 1]]
        if not len(terms) or not len(patient.present):
            return ()
        onto, sources, out = self.onto, None, []
        fallback = "NOT annotation" if self.profiles.source[d] == "hpoa" else "excluded in published cases"
        for t in patient.present:
            for n in np.intersect1d(onto.ancestors(int(t)), terms).tolist():
                sources = sources if sources is not None else self._negated_sources(d)
                text, refs, ids = sources.get(n, (fallback, (), ()))
                out.append(NegatedConflict(onto.ids[int(t)], onto.labels[int(t)], onto.ids[n], onto.labels[n],
                                           text, refs, ids))
        return tuple(out)

    def _lr_of_disease(self, d: int) -> np.ndarray:
        """One disease's column of `lr_by_term`, dense over terms."""
        if self._lr_by_disease is None:  # not at load: ranking without evidence (batch) never needs it
            self._lr_by_disease = self.lr_by_term.tocsc()
        m = self._lr_by_disease
        row = np.zeros(len(self.onto), dtype=np.float32)
        row[m.indices[m.indptr[d] : m.indptr[d + 1]]] = m.data[m.indptr[d] : m.indptr[d + 1]]
        return row

    def best_ancestor(self, t: int, d: int, lr_of_disease: np.ndarray | None = None) -> int:
        """The ancestor of patient term t through which disease d matches best (the argmax behind best_lr), or,
        where that one is too general to explain anything, the most informative one annotated to d."""
        ancestors = self.onto.ancestors(t)
        row = self._lr_of_disease(d) if lr_of_disease is None else lr_of_disease
        lr = row[ancestors]
        best = int(ancestors[int(np.argmax(lr))])
        if self.ic[best] < MIN_MATCH_IC:
            # A frequent general annotation can outweigh a specific one of unstated frequency ("Neurodevelopmental
            # abnormality" through "Intellectual disability, 7/7" over "Global developmental delay" itself); the
            # match shown is then the most informative ancestor the disease is annotated at or below.
            annotated = ancestors[lr > 0]
            if len(annotated):
                specific = int(annotated[int(np.argmax(self.ic[annotated]))])
                if self.ic[specific] >= MIN_MATCH_IC:
                    return specific
        return best

    def _disease_evidence(self, h: Hypothesis, d: int, patient: PatientProfile, feats: FeatureSet) -> Hypothesis:
        onto, ic = self.onto, self.ic
        annotations = self._disease_annotations(d)
        ann_terms = np.array([a["term"] for a in annotations], dtype=np.int64)
        matched, unexplained = [], []
        # annotations the patient's excluded features rule out (an excluded feature or a more specific form of one):
        # a present feature's match is shown through another annotation when one carries the same shared term (one
        # annotation never counts both for and against), and none is suggested to examine next
        excluded = set(patient.excluded.tolist())
        ruled_out = {i for i, a in enumerate(ann_terms.tolist()) if not excluded.isdisjoint(onto.ancestors(a).tolist())}
        # (annotation, ancestor) pairs: the annotations at or below a term, vectorised
        ann_rows, ann_ancestors = onto.ancestor_matrix_rows(ann_terms)

        def annotations_below(term: int) -> list[int]:
            return np.unique(ann_rows[ann_ancestors == term]).tolist()

        lr_of_disease = self._lr_of_disease(d)
        # The shared term shown is the most informative one (FeatureMatch.common_ancestor): the likelihood ratio may
        # come through a broader ancestor whose propagated frequency is higher (Kabuki syndrome 1: "Abnormal eye
        # physiology" 5.70 over Strabismus 5.43), and naming that one called an exact Strabismus match by the
        # ancestor's IC (1.10 for 2.22)
        covered = np.unique(ann_ancestors)
        for j, t in enumerate(patient.present):
            t = int(t)
            x = self.best_ancestor(t, d, lr_of_disease)
            lr = float(feats.best_lr[d, j])
            if ic[x] < MIN_MATCH_IC or not len(ann_terms):
                unexplained.append(FeatureMatch(onto.ids[t], onto.labels[t], "unmatched", contribution=lr))
                continue
            ancestors = onto.ancestors(t)
            shared = ancestors[np.isin(ancestors, covered)]
            if len(shared):
                x = int(shared[int(np.argmax(ic[shared]))])
            # the annotation that carries x: among those at or below x, the most frequent, then most specific
            below = annotations_below(x)
            if not below:
                unexplained.append(FeatureMatch(onto.ids[t], onto.labels[t], "unmatched", contribution=lr))
                continue
            best = max(below, key=lambda i: (i not in ruled_out, annotations[i]["frequency"], ic[ann_terms[i]], -i))
            a = annotations[best]
            at = int(a["term"])
            if at == t:
                relation = "exact"
            elif x == t:
                relation = "disease_more_specific"
            elif x == at:
                relation = "patient_more_specific"
            else:
                relation = "common_ancestor"
            matched.append(FeatureMatch(
                patient_term=onto.ids[t], patient_label=onto.labels[t], relation=relation,
                disease_term=onto.ids[at], disease_label=onto.labels[at], common_ancestor=onto.ids[x],
                common_ancestor_label=onto.labels[x], ic=float(ic[x]), frequency=a["frequency"],
                frequency_text=a["frequency_text"], references=a["references"], annotation_ids=a["ids"], evidence=a["evidence"],
                contribution=lr, ruled_out=best in ruled_out,
            ))
        conflicts = []
        for e in patient.excluded:
            e = int(e)
            hits = annotations_below(e)
            if not hits:
                continue
            best = max(hits, key=lambda i: annotations[i]["frequency"])
            a = annotations[best]
            conflicts.append(ExcludedConflict(
                patient_term=onto.ids[e], patient_label=onto.labels[e], disease_term=onto.ids[int(a["term"])],
                disease_label=onto.labels[int(a["term"])], frequency=a["frequency"],
                frequency_text=a["frequency_text"], references=a["references"], annotation_ids=a["ids"], evidence=a["evidence"],
                contribution=float(np.log(1.0 - EXCLUDED_CAP * a["frequency"])),
            ))
        seen = set()
        for t in np.concatenate([patient.present, patient.excluded]).astype(np.int64):
            seen.update(int(x) for x in onto.ancestors(int(t)))
            seen.add(int(t))
        # what to examine next: frequent, counted on several patients, and not already known: recorded or implied
        # by a recorded feature (`seen`), or ruled out by an excluded one ("Gait ataxia" when "Gait disturbance" is
        # excluded)
        candidates = [a for i, a in enumerate(annotations) if a["term"] not in seen and a["frequency"] >= 0.3
                      and onto.phenotypic[a["term"]] and _several_patients(a["frequency_text"])
                      and i not in ruled_out and not self._other_sex_only(a, patient.sex)]
        candidates.sort(key=lambda a: (-a["frequency"], -ic[a["term"]], a["term"]))
        suggested = tuple(
            SuggestedFeature(onto.ids[a["term"]], onto.labels[a["term"]], a["frequency"], a["frequency_text"],
                             a["references"], a["ids"], a["evidence"])
            for a in candidates[:6]
        )
        similar = self._similar_cases(d, patient, feats)
        published = np.flatnonzero(self.library_disease == d)
        contributions = self.group_contributions(feats.values[d][None, :])[0]
        if (twin := self.twin_gain(feats.values, d)) is not None:
            contributions += (Contribution(TWIN_GROUP, twin),)
        h = replace(h, matched=tuple(matched), unexplained=tuple(unexplained), conflicts=tuple(conflicts),
                    negated=self._negated(d, patient), suggested=suggested, similar_cases=similar,
                    contributions=contributions, published_cases=len(published),
                    published_papers=len({self.library[i].pmid for i in published.tolist()}),
                    clinical_course=self._clinical_course(self.profiles.ids[d]),
                    inheritance=InheritanceFit(h.inheritance_modes, "no genotype data", None,
                                               "phenotype-only analysis: no VCF was given"))
        return replace(h, flags=self.disease_checks(h, patient.sex, patient.onset))

    def disease_checks(self, h: Hypothesis, sex: str | None, onset: tuple[float, str] | None) -> tuple[Flag, ...]:
        """A disease hypothesis's self-checks (`self_check`) and, for an Orphanet entry held down, why: here and in
        the genomics step, which checks a disease again with its variants."""
        return (_with_sex_flag(self_check(h, sex, onset), self.sex_limit_flags(h.id, sex)) + self.twin_flags(h.id)
                + self.described_twice_flags(h))

    def described_twice_flags(self, h: Hypothesis) -> tuple[Flag, ...]:
        """An OMIM entry scored by its Orphanet twin's description too (twin_logits), where that added to its score:
        which entry, and how much, since its matched features are its own annotations only."""
        d = self.profiles.index.get(h.id)
        gain = sum(c.value for c in h.contributions if c.group == TWIN_GROUP)
        if d is None or gain < 0.05 or d not in self._twins_of:
            return ()
        prof = self.profiles
        names = "; ".join(f"{prof.ids[o]} {prof.labels[o]}" for o in self._twins_of[d])
        return (Flag("info", "orphanet_description",
                     f"Also scored by Orphanet's description of the same disease, {names} (Mondo), which adds "
                     f"{gain:+.2f} to its score: HPO annotates the two entries from different sources, and the "
                     "features listed here are this entry's own."),)

    def twin_flags(self, disease_id: str) -> tuple[Flag, ...]:
        """An Orphanet entry held down for an OMIM entry of the same disease or gene: say so, and why."""
        prof = self.profiles
        twins = self.omim_twins.get(disease_id)
        if twins:
            names = "; ".join(f"{t} {prof.labels[prof.index[t]]}" for t in twins)
            return (Flag("info", "omim_twin",
                         f"The same disease as {names} (Mondo). HPO annotates the two entries separately; this one "
                         "takes a lower prior because published diagnoses use the OMIM ID."),)
        of_genes = self.omim_of_genes.get(disease_id)
        if of_genes:
            # the genes OMIM covers, the first three as the gene columns show them (an entry may have 52)
            symbols = [g for g in prof.genes[prof.index[disease_id]] if g in self._genes_in_omim]
            genes = ", ".join(symbols[:3]) + (f" and {len(symbols) - 3} more" if len(symbols) > 3 else "")
            shown = ", ".join(of_genes[:3]) + (f" and {len(of_genes) - 3} more" if len(of_genes) > 3 else "")
            return (Flag("info", "omim_gene",
                         f"An Orphanet entry of {genes}, whose diseases OMIM describes ({shown}); it takes a lower "
                         "prior because published diagnoses use OMIM IDs."),)
        return ()

    def other_sex_limit(self, d: int, sex: str | None) -> tuple[str, str] | None:
        """(the sex it affects, why) where disease `d` is one only the other sex than `sex` can have; else None (a
        sex not known, or a disease of either sex or of the patient's)."""
        limited = self.sex_limited.get(d)
        return limited if limited is not None and sex in SEXES and limited[0] != sex else None

    def sex_limit_flags(self, disease_id: str, sex: str | None) -> tuple[Flag, ...]:
        """A disease only the other sex can have: say so, and why (the score is lowered for it)."""
        d = self.profiles.index.get(disease_id)
        limited = self.other_sex_limit(d, sex) if d is not None else None
        if limited is None:
            return ()
        only, why = limited
        return (Flag("warning", "sex",
                     f"Only affects {SEXES[only][1]} ({why}), and the patient is {SEXES[sex][0]}: the score is "
                     "lowered for it (part of the conflicts)."),)

    def gene_checks(self, h: Hypothesis, g: int, sex: str | None, onset: tuple[float, str] | None) -> tuple[Flag, ...]:
        """A gene hypothesis's self-checks (`self_check`) and one sex flag, as `disease_checks`: where every disease
        of gene `g` is one only the other sex can have, naming them; else where its best disease is (the gene shows
        that disease's evidence, and its score is its diseases', that one held down), naming that disease."""
        limit = self.gene_sex_limit_flags(g, sex)
        best = h.diseases[0] if h.diseases else None
        if not limit and best:
            limit = tuple(replace(f, message=f"{best[1]}: {f.message[0].lower()}{f.message[1:]}")
                          for f in self.sex_limit_flags(best[0], sex))
        return _with_sex_flag(self_check(h, sex, onset), limit) + self.gene_share_flags(g, best)

    def gene_share_flags(self, g: int, best: tuple[str, str] | None) -> tuple[Flag, ...]:
        """Where gene `g` takes only part of its best disease's score (`_gene_shares`): how much, and the published
        patients' genes that say why (a clinician sees the disease near 1 and the gene far below it)."""
        d = self.profiles.index.get(best[0]) if best else None
        share = float(self.gene_matrix[g, d]) if d is not None else 1.0
        if share >= 1.0:
            return ()
        counts = {s: self._gene_carriers.get((d, s), 0) for s in self.profiles.genes[d]}
        symbol = self.gene_symbols[g]
        n = counts.get(symbol, 0)
        carriers = ", ".join(f"{s} {counts[s]}" for s in sorted(counts, key=lambda s: -counts[s]) if counts[s])
        return (Flag("info", "gene_share",
                     f"Takes {share_text(share)} of {best[1]}'s score: {n or 'none'} of its "  # type: ignore[index]
                     f"{int(self.case_counts[d])} published patients in the case library carried a causal variant "
                     f"in {symbol} (by gene: {carriers})."),)

    def other_sex_only(self, g: int, sex: str | None) -> list[tuple[int, tuple[str, str]]] | None:
        """Gene `g`'s diseases with (sex, why) where every one of them is a disease only the other sex than `sex`
        can have; None otherwise (a sex not known, a gene of no disease, or one the patient's sex can have)."""
        limits = [(int(d), self.other_sex_limit(int(d), sex)) for d in self.gene_diseases[g]]
        if not limits or any(lim is None for _d, lim in limits):
            return None
        return limits  # type: ignore[return-value]

    def genes_of_the_other_sex(self, sex: str | None) -> dict[str, str]:
        """Gene symbol -> the sex its diseases affect, for each gene whose every disease only the other sex than
        `sex` can have (HTR1A's menstrual cycle-dependent periodic fever, for a man)."""
        out = {}
        for d, (only, _why) in self.sex_limited.items():
            if only != sex and sex in SEXES:
                for symbol in self.profiles.genes[d]:
                    g = self.gene_index.get(symbol)
                    if g is not None and self.other_sex_only(g, sex) is not None:
                        out[symbol] = only
        return out

    def gene_sex_limit_flags(self, g: int, sex: str | None) -> tuple[Flag, ...]:
        """Every disease of gene `g` is one only the other sex can have: say so, and why, naming them. (The gene's
        phenotype score is the sum of its diseases', which the conflict lowers; with a VCF, its variant evidence
        counts as a mode of inheritance that does not fit: `inheritance.combine_gene_scores`.)"""
        limits = self.other_sex_only(g, sex)
        if limits is None:
            return ()
        only = limits[0][1][0]  # type: ignore[index]
        labels = self.profiles.labels
        shown = "; ".join(f"{labels[d]}: {why}" for d, (_s, why) in limits[:3])  # type: ignore[misc]
        more = f"; and {len(limits) - 3} more" if len(limits) > 3 else ""
        one = len(limits) == 1
        which = "its one disease, " if one else f"each of its {len(limits)} diseases, "
        scores = "that disease's score, from which the gene's phenotype score comes, is" if one else (
            "their scores, from which the gene's phenotype score comes, are")
        return (Flag("warning", "sex",
                     f"Only affects {SEXES[only][1]} ({which}{shown}{more}), and the patient is {SEXES[sex][0]}: "
                     f"{scores} lowered for it (part of the conflicts)."),)

    def _other_sex_only(self, annotation: dict, sex: str | None) -> bool:
        """Whether an annotated feature is one only the other sex can have: annotated for that sex alone
        (phenotype.hpoa's sex column) or, by its place in HPO, a feature of that sex's genitalia or reproductive
        physiology ("Cryptorchidism" is not suggested to examine in a girl)."""
        other = {"MALE": "FEMALE", "FEMALE": "MALE"}.get(sex or "")
        if other is None:
            return False
        if annotation.get("sex") == other:
            return True
        return bool(self.sex_branch[other][int(annotation["term"])])

    def _similar_cases(self, d: int, patient: PatientProfile, feats: FeatureSet, limit: int = 3) -> tuple[SimilarCase, ...]:
        members = np.flatnonzero(self.library_disease == d)
        if not len(members) or not len(patient.present):
            return ()
        members = members[np.lexsort((members, -feats.case_sims[members]))][:limit]
        out = []
        for i in members:
            case = self.library[i]
            row = self.library_prop.getrow(int(i))
            has = set(row.indices.tolist())
            shared = [int(t) for t in patient.present if int(t) in has]
            # recorded absent though its own features imply it (focal-onset seizures, Seizure excluded): present, as
            # a patient's own such pair is read (patient), so neither shared absent nor a difference
            without = set(self.library_excluded.getrow(int(i)).indices.tolist()) - has
            absent = [int(t) for t in patient.excluded if int(t) in without]
            recorded_with = set(self.library_assessed.getrow(int(i)).indices.tolist()) & has  # exact terms
            published_without = [int(t) for t in patient.present if int(t) in without]
            published_with = [int(t) for t in patient.excluded if int(t) in recorded_with]
            out.append(SimilarCase(
                case_id=case.case_id, pmid=case.pmid, disease_id=case.disease_id, disease_label=case.disease_label,
                gene=case.genes[0] if case.genes else None, shared_terms=tuple(self.onto.ids[t] for t in shared),
                shared_labels=tuple(self.onto.labels[t] for t in shared), similarity=float(feats.case_sims[i]),
                shared_absent_terms=tuple(self.onto.ids[t] for t in absent),
                shared_absent_labels=tuple(self.onto.labels[t] for t in absent),
                published_without_terms=tuple(self.onto.ids[t] for t in published_without),
                published_without_labels=tuple(self.onto.labels[t] for t in published_without),
                published_with_terms=tuple(self.onto.ids[t] for t in published_with),
                published_with_labels=tuple(self.onto.labels[t] for t in published_with),
            ))
        return tuple(out)

    def gene_hypothesis(self, g: int, rank: int, score: float, patient: PatientProfile, feats: FeatureSet,
                        posterior: np.ndarray, evidence: bool = True,
                        shown: dict[int, Hypothesis] | None = None) -> Hypothesis:
        """A gene hypothesis with the phenotype evidence of its best disease (the genomics step adds variants).

        `shown` maps disease index -> its hypothesis already built in this analysis, so that evidence is reused.
        """
        prof = self.profiles
        ds = self.gene_diseases[g]
        if len(ds) > 1:  # (most genes have one disease)
            ds = ds[np.lexsort((ds, -posterior[ds]))]
        best = int(ds[0])
        modes = self._gene_mode_cache.get(g)
        if modes is None:  # its diseases' modes: the same for every patient
            modes = self._gene_mode_cache[g] = self._mode_labels(
                tuple(sorted({m for d in ds for m in prof.inheritance[d]})))
        h = Hypothesis(
            kind="gene", id=self.gene_symbols[g], label=self.gene_symbols[g], rank=rank, score=score,
            source=prof.source[best], genes=(self.gene_symbols[g],),
            diseases=tuple((prof.ids[d], prof.labels[d]) for d in ds),  # all: renderers shorten with "and N more"
            inheritance_modes=modes,
        )
        if not evidence:
            return h
        existing = (shown or {}).get(best) or self._disease_evidence(
            Hypothesis(kind="disease", id=prof.ids[best], label=prof.labels[best], rank=0, score=0.0,
                       source=prof.source[best], inheritance_modes=self._mode_labels(prof.inheritance[best])),
            best, patient, feats)
        h = replace(h, matched=existing.matched, unexplained=existing.unexplained, conflicts=existing.conflicts,
                    negated=existing.negated, suggested=existing.suggested, similar_cases=existing.similar_cases,
                    published_cases=existing.published_cases, published_papers=existing.published_papers,
                    contributions=existing.contributions, inheritance=existing.inheritance,
                    clinical_course=existing.clinical_course)
        return replace(h, flags=self.gene_checks(h, g, patient.sex, patient.onset))


def share_text(share: float) -> str:
    """A share in words, never "0%" for a share that is not none: "1%", "less than 1%"."""
    return f"{share:.0%}" if share >= 0.005 else "less than 1%"


def _with_sex_flag(checks: tuple[Flag, ...], limit: tuple[Flag, ...]) -> tuple[Flag, ...]:
    """The self-checks with one sex flag: the sex limit's where there is one, in place of self_check's."""
    return tuple(f for f in checks if not (limit and f.code == "sex")) + limit


def _case_terms(onto: Ontology, terms: list[tuple[str, ...]]) -> sp.csr_matrix:
    """Case x term: 1 where the case records the term itself (obsolete IDs resolved, unknown ones left out)."""
    rows, cols = [], []
    for i, ids in enumerate(terms):
        idx = sorted({r.index for t in ids if (r := onto.resolve(t)).index is not None})
        rows.extend([i] * len(idx))
        cols.extend(idx)
    return sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (np.array(rows, dtype=np.int64),
                                                                  np.array(cols, dtype=np.int64))),
                         shape=(len(terms), len(onto)))


def _cosines(unit_rows: sp.csr_matrix, query: np.ndarray) -> np.ndarray:
    """Each row's cosine similarity with `query` (rows already of unit length, `_unit_rows`; 0 for an empty query)."""
    return np.asarray(unit_rows @ (query / max(float(np.linalg.norm(query)), 1e-6))).ravel()


def _exact_cosines(by_term: sp.csc_matrix, terms: np.ndarray, ic: np.ndarray) -> np.ndarray:
    """`_cosines` of the IC-weighted exact `terms` (ascending, unique), read from those terms' columns of a
    `_unit_rows` matrix (CSC) instead of from every row. Each case adds its products in descending term order, the
    order of the CSR product (scipy's product in `_unit_rows` stores each row's columns descending), so the float32
    sums are those of `_cosines` bit for bit."""
    query = np.zeros(by_term.shape[1], dtype=np.float32)
    query[terms] = ic[terms]
    norm = max(float(np.linalg.norm(query)), 1e-6)  # of the whole vector, as _cosines (its summation order)
    out = np.zeros(by_term.shape[0], dtype=np.float32)
    terms = terms[::-1]
    starts, ends = by_term.indptr[terms], by_term.indptr[terms + 1]
    entries = concatenated_ranges(starts, ends)
    np.add.at(out, by_term.indices[entries], by_term.data[entries] * np.repeat(query[terms] / norm, ends - starts))
    return out


def _unit_rows(cases: sp.csr_matrix, ic: np.ndarray) -> sp.csr_matrix:
    """Rows IC-weighted and scaled to unit length: a dot product with a unit query is their cosine similarity."""
    weighted = cases.multiply(ic[None, :]).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    return (sp.diags(1.0 / np.maximum(norms, 1e-6)) @ weighted).tocsr()


def _csr_rows(m: sp.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of some rows of a CSR matrix, concatenated (cheaper than scipy's row slicing
    for a few rows)."""
    entries = concatenated_ranges(m.indptr[rows], m.indptr[rows + 1])
    return m.indices[entries], m.data[entries]


def _json_list(text: str | None) -> list | None:
    """A model's metadata entry read as a JSON list (None when missing or not a list)."""
    try:
        value = json.loads(text or "null")
    except ValueError:
        return None
    return value if isinstance(value, list) else None


def top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best scores, best first; ties broken by index so results are deterministic."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    cut = np.partition(scores, len(scores) - k)[len(scores) - k]
    candidates = np.flatnonzero(scores >= cut)
    return candidates[np.lexsort((candidates, -scores[candidates]))][:k]


_COUNT = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


def _stated_frequency(rows: list[tuple]) -> tuple[str, list[tuple]]:
    """The frequency text shown for a feature from the KB rows stating its (largest) frequency, and the rows whose
    references it is cited with: each reference states the frequency shown. Several publications counting patients
    at that frequency ("1/1" by one, "2/2" by another) are shown with their counts added ("3/3", the same 100%),
    never one publication's count cited to the other's; a frequency some publication states goes with those that
    state it, not with a row stating none (where 50% is assumed). Counts are added only across distinct
    publications: a statement annotated twice counts once, and where one publication gives two counts (two
    cohorts, or the same patients twice) the count of most patients is shown with the rows that state it."""
    stated = [r for r in rows if r[3] is not None]
    rows = stated or rows
    unique = list({(r[2] or "", r[4] or ""): r for r in rows}.values())  # the same statement annotated twice
    counts = [_COUNT.fullmatch(r[2] or "") for r in unique]
    refs = [{x for x in (r[4] or "").split(";") if x} for r in unique]
    if len(unique) > 1 and all(counts) and all(refs) and sum(map(len, refs)) == len(set().union(*refs)):
        return f"{sum(int(m[1]) for m in counts)}/{sum(int(m[2]) for m in counts)}", rows  # type: ignore[index]
    most = max(range(len(unique)), key=lambda i: (int(counts[i][2]) if counts[i] else -1, -i))  # type: ignore[index]
    text = unique[most][2] or ""
    return text or (NOT_STATED if unique[most][3] is None else ""), [r for r in rows if (r[2] or "") == text]


# A disease annotated only with onsets from juvenile on (case.ONSET_CLASSES: from 5 years) has not typically begun
# in a younger patient; earlier classes are a few years wide and often overlap in practice, and are not checked.
LATER_ONSET_FROM = 5.0
ONSET_ORDER = {t: i for i, t in enumerate(ONSET_CLASSES)}  # earliest first


def self_check(h: Hypothesis, sex: str | None = None, onset: tuple[float, str] | None = None) -> tuple[Flag, ...]:
    """DeepRare-style self-reflection: say in words when a hypothesis rests on weak or conflicting evidence.
    `sex`: the patient's, for the X-linked recessive conflict the ranking applies to a female patient; `onset`: by
    what age the patient's features had begun (`case.earliest_onset`), against the disease's annotated onset."""
    flags: list[Flag] = []
    specific = [m for m in h.matched if m.ic >= SPECIFIC_MATCH_IC]
    if not h.matched:  # said once: "no specific feature match; no match at all" said it twice
        annotated = "this disease" if h.kind == "disease" else "this gene's diseases"
        flags.append(Flag("warning", "weak_evidence",
                          f"Rests on weak evidence: none of the patient's features matches a feature annotated for "
                          f"{annotated}."))
    elif len(specific) < 2:
        others = len(h.matched) - len(specific)  # ("13 in all, through general terms" read as if all 13 were general)
        matches = counted(others, "match", "matches")
        general = ("no other match" if not others
                   else f"{matches} on features common to many diseases (IC below 3)" if not specific
                   else f"the other {matches} on features common to many diseases (IC below 3)")
        flags.append(Flag("warning", "weak_evidence",
                          f"Rests on weak evidence: {'only 1' if specific else 'no'} specific feature match; "
                          f"{general}."))
    # one selection with the conflicts' line under their heading (evidence.conflicts_summary), which says how many of
    # all the annotated excluded features these are: the heading counts them all
    strong_conflicts = frequent_conflicts(h.conflicts)  # the most frequent first
    if strong_conflicts:
        # the most frequent named first, and how many more there are (three named read as if they were all)
        names = names_text(c.patient_label for c in strong_conflicts)
        features = "an excluded feature" if len({c.patient_label for c in strong_conflicts}) == 1 else "excluded features"
        flags.append(Flag("warning", "conflict",
                          f"Conflicts with {features} that at least half of patients with it have: {names}."))
    if h.negated:
        names = names_text(c.patient_label for c in h.negated)
        features = "a feature" if len({c.patient_label for c in h.negated}) == 1 else "features"
        flags.append(Flag("warning", "negated",
                          f"The patient has {features} this disease is annotated not to have: {names}."))
    # by the words of the mode's label, which comes from the KB's ontology (a release may reword HP:0001419's label)
    if sex == "FEMALE" and len(h.inheritance_modes) == 1 and "x-linked recessive" in h.inheritance_modes[0].lower():
        flags.append(Flag("caution", "sex",
                          "X-linked recessive inheritance only, and the patient is female: affected females are "
                          "uncommon (skewed X inactivation, a second variant, an X chromosome abnormality); the "
                          "score is lowered for it (part of the conflicts)."))
    later = _later_onset(h, onset)
    if later:
        flags.append(Flag("caution", "onset", later))
    if h.source == "case_library":
        n = len(h.similar_cases)
        # what is known is that the release does not annotate it: many such diseases are newer than the release,
        # but others are years older and not curated yet (OMIM:610549, with patients published in 1989)
        flags.append(Flag("info", "case_derived",
                          "Rests on published cases, not on curated HPO annotations "
                          f"(the HPO release in use does not annotate this disease; {counted(n, 'similar case')} "
                          "shown)."))
    if h.inheritance is not None and h.inheritance.compatible is False:
        # a sentence, as every self-check is: the report joins them in one table cell
        said = h.inheritance.explanation.rstrip()
        said += "" if said.endswith(".") else "."
        # a partial fit (its explanation says "... fits only partly: inherited from an unaffected parent") is a
        # caution, its evidence reduced, not excluded: "No compatible genotype" before it contradicted the explanation
        flags.append(Flag("caution", "genotype", said) if h.inheritance.partly
                     else Flag("warning", "genotype", f"No compatible genotype: {said}"))
    if h.unexplained and len(h.unexplained) > len(h.matched):
        flags.append(Flag("caution", "unexplained",
                          f"{len(h.unexplained)} of the patient's features are not explained by this hypothesis."
                          if len(h.unexplained) > 1 else
                          "1 of the patient's features is not explained by this hypothesis."))
    return tuple(flags)


def _later_onset(h: Hypothesis, patient_onset: tuple[float, str] | None) -> str:
    """Words for a patient whose features began before every onset the disease is annotated with (juvenile onset or
    later); empty when not so, or when neither the patient's age nor an onset class is known."""
    if patient_onset is None:
        return ""
    years, words = patient_onset
    onsets = [c for c in h.clinical_course if c.term in ONSET_CLASSES]
    if not onsets:
        return ""
    earliest = min(ONSET_CLASSES[c.term][0] for c in onsets)
    if earliest < LATER_ONSET_FROM or years >= earliest:
        return ""
    return (f"HPO annotates only a later onset ({', '.join(dict.fromkeys(c.label.lower() for c in onsets))}, from "
            f"{earliest:g} years) than {words}: possible, as onset "
            "varies, but check the features' onset (not used in the score).")
