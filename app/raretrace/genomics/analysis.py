"""The genomics step of an analysis: phenotype ranking + the patient's VCF -> ranked genes with their evidence."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..case import Case, CaseFile, earliest_onset
from ..evidence import AnalysisResult, Contribution, Flag, Hypothesis, InheritanceFit
from ..inheritance import (
    INCOMPATIBLE_FACTOR,
    VARIANT_WEIGHT,
    candidate_count_penalty,
    combine_gene_scores,
    disease_modes_with_sources,
    evaluate_gene,
    fit_gene,
    modes_with_sources,
    variant_score_under,
)
from ..loaded import kept_out_of_collections
from ..ranking import GenomicsStep
from .load import DEFAULT_FILTERS, GenomicsResult, load_genomics

_MODES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _modes_of(ranker) -> tuple[dict[str, set[str]], dict[str, dict[str, str]], list[set[str]], dict[int, dict[str, str]]]:
    """The modes of analyses with this ranker, once: per gene and per disease (annotated, named, and shown by the
    published patients of its case library, held-out publications left out), and the words citing those HPO lacks."""
    found = _MODES.get(ranker)
    if found is None:
        prof = ranker.profiles
        found = _MODES[ranker] = kept_out_of_collections((
            *modes_with_sources(ranker.db, ranker.library),
            *disease_modes_with_sources(ranker.db, prof.ids, prof.inheritance, ranker.library)))
    return found


# A gene that leads on phenotype alone while the VCF shows no candidate in it: said, not hidden in a zero. Its calls
# below the candidate threshold are not kept per gene, so the words cover both: no call, or none that can explain it.
NO_CANDIDATE_FLAG = Flag(
    "caution", "no_variant",
    "No candidate variant in this gene in the VCF (no call, or none likely to explain it: intronic, flanking, common "
    "or reported benign): ranked on the phenotype alone. A change the file cannot show or weigh (a structural or "
    "deep intronic variant, a region the sequencing covers poorly) or another gene may explain the features.",
)


def analyse_with_variants(
    ranker,
    case: Case,
    vcf_file: CaseFile,
    *,
    ped: str | Path | None = None,
    top: int = 20,
    progress: Callable[[str, float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    evidence: bool = True,
    genomics: GenomicsResult | None = None,
    assembly_source: str = "the case's genome build",
    sample_source: str = "",
    declared_assembly: str | None = None,
    filters: tuple[str, ...] | None = tuple(DEFAULT_FILTERS),
) -> AnalysisResult:
    """Rank diseases by phenotype and genes by phenotype + variants + inheritance (raretrace.ranking.Ranker).

    vcf_file carries the path, build and sample already resolved from --vcf/--assembly/--sample and the
    phenopacket; `genomics` may be passed when the VCF was read before (the GUI re-ranks without re-reading).
    """
    sex = case.sex if case.sex in ("MALE", "FEMALE") else None
    if genomics is None:
        genomics = load_genomics(
            vcf_file.path, ranker.db, assembly=vcf_file.assembly, assembly_source=assembly_source,
            sample=vcf_file.sample, sample_source=sample_source, ped=ped, sex=sex, progress=progress, cancel=cancel,
            exclude_pmids=getattr(ranker, "exclude_pmids", frozenset()), declared_assembly=declared_assembly,
            filters=filters,
        )  # fmt: skip
    modes, sources, modes_by_disease, disease_sources = _modes_of(ranker)
    parents = {role: genomics.affected.get(s) for s, role in genomics.relatives.items() if role in ("father", "mother")}
    fit_sex = genomics.sex if sex is None else sex
    from_ped = case.sex in (None, "UNKNOWN_SEX") and genomics.sex_source == "PED file" and genomics.x_sex in (
        None, genomics.sex)
    if from_ped:
        # The case gives no sex and the PED does, which the chrX calls do not contradict: the ranking (a disease only
        # the other sex has, an X-linked recessive one in a female) and its self-checks read it as the genotypes do
        case = replace(case, sex=genomics.sex)

    factors: dict[str, float] = {}
    best_gene: dict[int, str] = {}  # disease index -> the gene whose variants its factor comes from

    def gene_step(rk, patient, feats, posterior, gene_scores) -> GenomicsStep:
        symbols = rk.gene_symbols
        warnings = list(genomics.summary.warnings)
        no_phenotype = not len(patient.present)
        if no_phenotype:
            # No present feature: every disease gene alike, so variants and inheritance alone rank them (priors
            # and excluded features alone would favour genes with many annotated diseases for no reason of this
            # patient's).
            gene_scores = np.full(len(symbols), 1.0 / max(len(symbols), 1))
            warnings.append("no usable present features: genes are ranked by their variants and inheritance fit "
                            "alone; add the patient's features for a differential")
        phenotype = dict(zip(symbols, gene_scores.tolist(), strict=True))
        other_sex = rk.genes_of_the_other_sex(patient.sex)  # (the sex the disease scores read, as they do)
        combined = combine_gene_scores(phenotype, genomics, modes, sex, other_sex)
        if no_phenotype:  # the same constant for every gene: nothing of this patient's phenotype
            combined = [(symbol, score, tuple(Contribution(c.group, 0.0) if c.group == "phenotype match" else c
                                              for c in parts)) for symbol, score, parts in combined]  # fmt: skip
        # what variants and inheritance add to each gene (log units)
        factors.update({symbol: sum(c.value for c in parts if c.group != "phenotype match")
                        for symbol, _score, parts in combined})  # fmt: skip
        # and to each disease, under its own modes of inheritance (a recessive disease of a gene that also has a
        # dominant one does not take the dominant fit of a single heterozygous variant)
        disease_factors: dict[int, float] = {}
        for symbol, gene in genomics.genes.items():
            g = rk.gene_index.get(symbol)
            if g is None or not gene.pathogenicities:
                continue
            evaluated = evaluate_gene(gene, fit_sex, parents)
            chance = candidate_count_penalty(gene.pathogenicities)
            for d in rk.gene_diseases[g].tolist():
                raw = gene.pathogenicities[0]
                # (a disease only the other sex can have takes a tenth, as its gene does: no mode fits)
                logf = VARIANT_WEIGHT * (raw * INCOMPATIBLE_FACTOR if rk.other_sex_limit(d, patient.sex)
                                         else variant_score_under(evaluated, raw, modes_by_disease[d]))
                logf -= chance
                if logf > disease_factors.get(d, 0.0):
                    disease_factors[d], best_gene[d] = logf, symbol
        out = []
        for symbol, score, parts in (r for r in combined if r[0] in rk.gene_index):
            h = rk.gene_hypothesis(rk.gene_index[symbol], len(out) + 1, score, patient, feats, posterior, evidence)
            gene = genomics.genes.get(symbol)
            fit = fit_gene(gene, modes.get(symbol), fit_sex, parents, sources.get(symbol), other_sex.get(symbol))
            h = replace(h, variants=gene.variants if gene else (), inheritance=fit.fit, contributions=parts)
            if evidence:
                flags = rk.gene_checks(h, rk.gene_index[symbol], patient.sex, patient.onset)
                if gene is None:  # (a gene whose calls all fail the filters already has a genotype warning)
                    flags += (NO_CANDIDATE_FLAG,)
                h = replace(h, flags=flags)
            out.append(h)
            if len(out) == top:
                break
        return GenomicsStep(out, warnings, factors, disease_factors)

    result = ranker.analyse(case, top=top, genomics=gene_step, evidence=evidence)
    if evidence:
        # A disease shows the variants of the gene its variant evidence came from, fitted under its own modes.
        def with_variants(h: Hypothesis) -> Hypothesis:
            d = ranker.profiles.index[h.id]
            symbol = best_gene.get(d) or next(iter(h.genes), None)
            if symbol is None:
                fit = InheritanceFit(h.inheritance_modes, "no gene known", None,
                                     "no gene is known for this disease, so the VCF cannot support it")  # fmt: skip
                return replace(h, inheritance=fit)
            gene = genomics.genes.get(symbol)
            own = modes_by_disease[d] or modes.get(symbol)
            cited = disease_sources.get(d) if modes_by_disease[d] else sources.get(symbol)
            other = (ranker.other_sex_limit(d, case.sex) or (None,))[0]
            h = replace(h, variants=gene.variants if gene else (),
                        inheritance=fit_gene(gene, own, fit_sex, parents, cited, other).fit)  # fmt: skip
            return replace(h, flags=ranker.disease_checks(h, case.sex, earliest_onset(case)))  # with its variants

        result = replace(result, diseases=tuple(with_variants(h) for h in result.diseases))
    return replace(result, vcf=genomics.summary, sex_source="PED file" if from_ped else result.sex_source)
