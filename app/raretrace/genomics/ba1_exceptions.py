"""ClinGen SVI's BA1 exception list (Ghosh et al., Hum Mutat 2018;39:1525): variants above BA1's 5% in a continental
population that are nonetheless pathogenic or of uncertain significance (HFE C282Y and H63D, GJB2 V37I, ...), to
which BA1 (stand-alone benign) must not be applied.

resources/ba1_exceptions.tsv, built by models/build_ba1_exceptions.py, which places each on GRCh37 and GRCh38 by
the bundled gene model and checks it against the bundled protein (see resources/SOURCES.md).
"""

from __future__ import annotations

from .bundled import BuildVariants
from .gene_model import GeneIndex, per_build

BA1_EXCEPTIONS_FILE = "ba1_exceptions.tsv"


class Ba1Exceptions(BuildVariants[str]):
    """Lookup of one build: (chrom, pos, ref, alt) -> the variant's name on the list, e.g. 'HFE c.845G>A
    p.(Cys282Tyr)'."""

    FILE = BA1_EXCEPTIONS_FILE

    @staticmethod
    def value(row: dict[str, str]) -> str:
        protein = f" p.({row['hgvs_p'].removeprefix('p.')})" if row["hgvs_p"] else ""
        return f"{row['gene']} {row['hgvs_c']}{protein}"

    def lookup(self, chrom: str, pos: int, ref: str, alt: str) -> str:
        """The variant's name on the list; '' where it is not listed."""
        return self.find(chrom, pos, ref, alt) or ""


def ba1_exceptions(build: str, index: GeneIndex) -> Ba1Exceptions:
    return per_build(Ba1Exceptions, build, index)
