"""Variants reported causal in published cases (resources/published_variants.tsv.gz, from GA4GH
phenopacket-store, CC BY 4.0): an offline, ClinVar-like lookup that cites the PMIDs.

Built by models/build_published_variants.py. Positions are hg38 as published and GRCh37 by the offset inside the
same gene where both builds' gene models share the exon structure.
"""

from __future__ import annotations

import csv
import gzip
import threading
from dataclasses import dataclass

import numpy as np

from ..paths import resources_dir
from .gene_model import GeneIndex, normalise_chrom

PUBLISHED_FILE = "published_variants.tsv.gz"
PUBLISHED_PATHOGENICITY = 0.95  # a variant reported causal in a publication (PP5-like)


@dataclass(frozen=True, slots=True)
class Published:
    pmid: str
    gene: str
    disease_id: str
    allelic_state: str


class PublishedVariants:
    """Lookup of one build: (chrom, pos, ref, alt) -> the publications that reported it causal."""

    def __init__(self, build: str, index: GeneIndex) -> None:
        self.by_variant: dict[tuple[str, int, str, str], list[Published]] = {}
        path = resources_dir() / PUBLISHED_FILE
        if path.is_file():
            chrom_col, pos_col = ("chrom37", "pos37") if build == "GRCh37" else ("chrom38", "pos38")
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                lines = (line for line in handle if not line.startswith("#"))
                for row in csv.DictReader(lines, delimiter="\t"):
                    if not row[pos_col]:
                        continue
                    key = (normalise_chrom(row[chrom_col]), int(row[pos_col]), row["ref"], row["alt"])
                    self.by_variant.setdefault(key, []).append(
                        Published(row["pmid"], row["gene"], row["disease_id"], row["allelic_state"])
                    )
        keys = [(index.code_of(c) << 32) | p for c, p, _r, _a in self.by_variant]
        self.keys = np.unique(np.array(keys, dtype=np.int64)) if keys else np.zeros(0, dtype=np.int64)

    def lookup(self, chrom: str, pos: int, ref: str, alt: str, exclude: frozenset[str]) -> tuple[Published, ...]:
        found = self.by_variant.get((normalise_chrom(chrom), pos, ref, alt), ())
        return tuple(p for p in found if p.pmid not in exclude)


_cache: dict[tuple[int, str], PublishedVariants] = {}
_lock = threading.Lock()


def published_variants(build: str, index: GeneIndex) -> PublishedVariants:
    with _lock:
        key = (id(index), build)
        found = _cache.get(key)
        if found is None:
            found = _cache[key] = PublishedVariants(build, index)
        return found
