"""ClinGen SVI's BA1 exception list (Ghosh et al., Hum Mutat 2018;39:1525): variants above BA1's 5% in a continental
population that are nonetheless pathogenic or of uncertain significance (HFE C282Y and H63D, GJB2 V37I, ...), to
which BA1 (stand-alone benign) must not be applied.

resources/ba1_exceptions.tsv, built by models/build_ba1_exceptions.py, which places each on GRCh37 and GRCh38 by
the bundled gene model and checks it against the bundled protein (see resources/SOURCES.md).
"""

from __future__ import annotations

import csv

import numpy as np

from ..paths import resources_dir
from .gene_model import GeneIndex, normalise_chrom, per_build

BA1_EXCEPTIONS_FILE = "ba1_exceptions.tsv"


class Ba1Exceptions:
    """Lookup of one build: (chrom, pos, ref, alt) -> the variant's name on the list, e.g. 'HFE c.845G>A
    p.(Cys282Tyr)'."""

    def __init__(self, build: str, index: GeneIndex) -> None:
        self.by_variant: dict[tuple[str, int, str, str], str] = {}
        path = resources_dir() / BA1_EXCEPTIONS_FILE
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                lines = (line for line in handle if not line.startswith("#"))
                for row in csv.DictReader(lines, delimiter="\t"):
                    if row["build"] == build:
                        protein = f" p.({row['hgvs_p'].removeprefix('p.')})" if row["hgvs_p"] else ""
                        key = (normalise_chrom(row["chrom"]), int(row["pos"]), row["ref"], row["alt"])
                        self.by_variant[key] = f"{row['gene']} {row['hgvs_c']}{protein}"
        # Position keys (chromosome code << 32 | position) prefilter a chunk of records before the exact lookup.
        self.keys = np.unique(np.array([(index.code_of(k[0]) << 32) | k[1] for k in self.by_variant], dtype=np.int64))

    def lookup(self, chrom: str, pos: int, ref: str, alt: str) -> str:
        """The variant's name on the list; '' where it is not listed."""
        return self.by_variant.get((normalise_chrom(chrom), pos, ref, alt), "")


def ba1_exceptions(build: str, index: GeneIndex) -> Ba1Exceptions:
    return per_build(Ba1Exceptions, build, index)
