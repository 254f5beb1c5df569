"""The patient's genome: VCF reading, variant interpretation and per-gene evidence for the gene ranking.

    result = load_genomics("patient.vcf.gz", engine.db, assembly="GRCh37")
    ranked = combine_gene_scores(phenotype_scores, result, gene_modes(engine.db), sex="MALE")
"""

from __future__ import annotations

from pathlib import Path

from ..case import Case
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
    "genomics_for_case",
    "load_genomics",
]


def genomics_for_case(
    case: Case,
    db,
    *,
    vcf: str | Path | None = None,
    assembly: str | None = None,
    sample: str | None = None,
    ped: str | Path | None = None,
    **options,
) -> GenomicsResult | None:
    """load_genomics for a case: the VCF from --vcf or the phenopacket's files, its build and sample likewise.

    Returns None when the case has no VCF. A build given on the command line must agree with the phenopacket's.
    """
    declared = case.vcf
    path = vcf or (declared.path if declared else None)
    if path is None:
        return None
    same_file = declared is not None and (vcf is None or Path(vcf).resolve() == Path(declared.path).resolve())
    return load_genomics(
        path,
        db,
        assembly=assembly,
        declared_assembly=declared.assembly if same_file and declared else None,
        sample=sample or (declared.sample if same_file and declared else None),
        ped=ped,
        sex=case.sex if case.sex in ("MALE", "FEMALE") else None,
        **options,
    )
