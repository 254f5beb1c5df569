"""The genomics step of an analysis: phenotype ranking + the patient's VCF -> ranked genes with their evidence."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..case import Case, CaseFile
from ..evidence import AnalysisResult
from ..inheritance import combine_gene_scores, fit_gene, gene_modes
from .load import GenomicsResult, load_genomics


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
) -> AnalysisResult:
    """Rank diseases by phenotype and genes by phenotype + variants + inheritance (raretrace.ranking.Ranker).

    vcf_file carries the path, build and sample already resolved from --vcf/--assembly/--sample and the
    phenopacket; `genomics` may be passed when the VCF was read before (the GUI re-ranks without re-reading).
    """
    sex = case.sex if case.sex in ("MALE", "FEMALE") else None
    if genomics is None:
        genomics = load_genomics(
            vcf_file.path, ranker.db, assembly=vcf_file.assembly, assembly_source="the case's genome build",
            sample=vcf_file.sample, ped=ped, sex=sex, progress=progress, cancel=cancel,
            exclude_pmids=getattr(ranker, "exclude_pmids", frozenset()),
        )  # fmt: skip
    modes = gene_modes(ranker.db)
    parents = {role: genomics.affected.get(s) for s, role in genomics.relatives.items() if role in ("father", "mother")}

    def gene_step(rk, patient, posterior, gene_scores):
        from ..ranking import self_check

        symbols = rk.gene_symbols
        index = {s: i for i, s in enumerate(symbols)}
        phenotype = dict(zip(symbols, gene_scores.tolist(), strict=True))
        ranked = [r for r in combine_gene_scores(phenotype, genomics, modes, sex) if r[0] in index][:top]
        feats = rk.features(patient) if evidence else None
        # The phenotype side of each gene hypothesis (diseases, matched features, similar cases) is the ranker's.
        wanted = inspect.signature(rk._gene_hypothesis).parameters
        shared = {"diseases": [], "posterior": posterior, "patient": patient, "feats": feats, "evidence": evidence}
        if "weights" in wanted:
            shared["weights"] = rk.weights() if evidence else None
        shared = {k: v for k, v in shared.items() if k in wanted}
        out = []
        for rank, (symbol, score, parts) in enumerate(ranked, start=1):
            h = rk._gene_hypothesis(index[symbol], rank, score, **shared)
            gene = genomics.genes.get(symbol)
            fit = fit_gene(gene, modes.get(symbol), genomics.sex if sex is None else sex, parents)
            h = replace(h, variants=gene.variants if gene else (), inheritance=fit.fit, contributions=parts)
            if evidence:
                h = replace(h, flags=self_check(h))
            out.append(h)
        return out, list(genomics.summary.warnings)

    result = ranker.analyse(case, top=top, genomics=gene_step, evidence=evidence)
    return replace(result, vcf=genomics.summary)
