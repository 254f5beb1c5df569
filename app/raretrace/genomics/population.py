"""Bundled population allele frequencies: 1000 Genomes (phase 3, 2,504 people) at 23,770 exome sites.

Used only for a variant whose file gives no frequency of its own, so that a coding variant common in the
population does not compete with rare ones when the VCF is unannotated. The sites are those peddy uses for
relatedness and ancestry (resources/population_af_1000g.tsv.gz, built by models/build_population_af.py; see
resources/SOURCES.md). A variant absent from this list is not thereby rare: the list is no PM2 evidence.
"""

from __future__ import annotations

from .bundled import BuildVariants
from .gene_model import GeneIndex, per_build

POPULATION_FILE = "population_af_1000g.tsv.gz"
SOURCE_NAME = "1000 Genomes (bundled)"


class PopulationFrequencies(BuildVariants[float]):
    """Lookup of one build: (chrom, pos, ref, alt) -> allele frequency."""

    FILE = POPULATION_FILE

    @staticmethod
    def value(row: dict[str, str]) -> float:
        return float(row["af"])


def population_frequencies(build: str, index: GeneIndex) -> PopulationFrequencies:
    return per_build(PopulationFrequencies, build, index)
