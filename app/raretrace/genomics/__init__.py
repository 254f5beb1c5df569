"""The patient's genome: VCF reading, variant interpretation and per-gene evidence for the gene ranking.

    result = load_genomics("patient.vcf.gz", engine.db, assembly="GRCh37")
    ranked = combine_gene_scores(phenotype_scores, result, gene_modes(engine.db), sex="MALE")
    analysis = analyse_with_variants(engine.ranker, case, CaseFile("patient.vcf.gz"))  # the whole step
"""

from __future__ import annotations

from ..inheritance import combine_gene_scores, fit_gene, gene_modes
from .analysis import analyse_with_variants
from .load import DEFAULT_FILTERS, GeneVariants, GenomicsResult, load_genomics

__all__ = [
    "DEFAULT_FILTERS",
    "analyse_with_variants",
    "GeneVariants",
    "GenomicsResult",
    "combine_gene_scores",
    "fit_gene",
    "gene_modes",
    "load_genomics",
]

