"""Bundled population allele frequencies: 1000 Genomes (phase 3, 2,504 people) at 23,770 exome sites.

Used only for a variant whose file gives no frequency of its own, so that a coding variant common in the
population does not compete with rare ones when the VCF is unannotated. The sites are those peddy uses for
relatedness and ancestry (resources/population_af_1000g.tsv.gz, built by models/build_population_af.py; see
resources/SOURCES.md). A variant absent from this list is not thereby rare: the list is no PM2 evidence.
"""

from __future__ import annotations

import csv
import gzip

import numpy as np

from ..paths import resources_dir
from .gene_model import GeneIndex, normalise_chrom, per_build

POPULATION_FILE = "population_af_1000g.tsv.gz"
SOURCE_NAME = "1000 Genomes (bundled)"


class PopulationFrequencies:
    """Lookup of one build: (chrom, pos, ref, alt) -> allele frequency."""

    def __init__(self, build: str, index: GeneIndex) -> None:
        self.by_variant: dict[tuple[str, int, str, str], float] = {}
        path = resources_dir() / POPULATION_FILE
        if path.is_file():
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                lines = (line for line in handle if not line.startswith("#"))
                for row in csv.DictReader(lines, delimiter="\t"):
                    if row["build"] == build:
                        key = (normalise_chrom(row["chrom"]), int(row["pos"]), row["ref"], row["alt"])
                        self.by_variant[key] = float(row["af"])
        # Position keys (chromosome code << 32 | position) prefilter a chunk of records before the exact lookup.
        self.keys = np.unique(np.array([(index.code_of(k[0]) << 32) | k[1] for k in self.by_variant], dtype=np.int64))

    def lookup(self, chrom: str, pos: int, ref: str, alt: str) -> float | None:
        return self.by_variant.get((normalise_chrom(chrom), pos, ref, alt))


def population_frequencies(build: str, index: GeneIndex) -> PopulationFrequencies:
    return per_build(PopulationFrequencies, build, index)
