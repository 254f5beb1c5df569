"""Variants reported causal in published cases (resources/published_variants.tsv.gz, from GA4GH
phenopacket-store, CC BY 4.0): an offline, ClinVar-like lookup that cites the PMIDs.

Built by models/build_published_variants.py. Positions are hg38 as published and GRCh37 by the offset inside the
same gene where both builds' gene models share the exon structure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..paths import resources_dir
from .bundled import bundled_rows
from .gene_model import GeneIndex, normalise_chrom, per_build

PUBLISHED_FILE = "published_variants.tsv.gz"
PUBLISHED_PATHOGENICITY = 0.95  # a variant reported causal in a publication (PP5-like)
# A variant of the same gene within this distance of one reported causal is labelled PM1-like (a possible mutational
# hot spot) for the clinician, without raising its pathogenicity: 5% of the causal variants of the tuning fold's
# simulated exomes lie within 10 bp of a variant reported causal in another publication, against 0.05% of a normal
# exome's variants, yet raising such variants to 0.7 or 0.9 lowered gene recall@1 on that fold (0.608 -> 0.605 /
# 0.597; models/gene_ranking.md): an exome has tens of such background variants in genes the phenotype also favours.
NEAR_PUBLISHED_BP = 10


@dataclass(frozen=True, slots=True)
class Published:
    pmid: str
    gene: str
    disease_id: str
    allelic_state: str


@dataclass(frozen=True, slots=True)
class NearPublished:
    """The nearest variant of the same gene reported causal, for a variant that was not itself reported."""

    distance: int  # bp
    change: str  # "10:123256215 T>G"
    pmids: tuple[str, ...]

    def text(self) -> str:
        shown = ", ".join(self.pmids[:3]) + (f" and {len(self.pmids) - 3} more" if len(self.pmids) > 3 else "")
        return f"{self.distance} bp from {self.change} ({shown})"


class PublishedVariants:
    """Lookup of one build: (chrom, pos, ref, alt) -> the publications that reported it causal."""

    def __init__(self, build: str, index: GeneIndex) -> None:
        self.by_variant: dict[tuple[str, int, str, str], list[Published]] = {}
        chrom_col, pos_col = ("chrom37", "pos37") if build == "GRCh37" else ("chrom38", "pos38")
        for row in bundled_rows(resources_dir() / PUBLISHED_FILE):
            if not row[pos_col]:
                continue
            key = (normalise_chrom(row[chrom_col]), int(row[pos_col]), row["ref"], row["alt"])
            self.by_variant.setdefault(key, []).append(
                Published(row["pmid"], row["gene"], row["disease_id"], row["allelic_state"])
            )
        # Position keys (chromosome code << 32 | position), sorted with their variants for the nearest reported
        # variant of a gene; `keys` (unique) prefilters exact matches.
        pairs = sorted(((index.code_of(k[0]) << 32) | k[1], k) for k in self.by_variant)
        self.sorted_keys = np.array([k for k, _v in pairs], dtype=np.int64)
        self.sorted_variants = [v for _k, v in pairs]
        self.keys = np.unique(self.sorted_keys)

    def near_candidates(self, keys: np.ndarray, window: int) -> np.ndarray:
        """Indices of the query keys (chromosome code << 32 | position) with a reported variant within `window`."""
        if not len(self.sorted_keys) or not len(keys):
            return np.zeros(0, dtype=np.int64)
        lo = np.searchsorted(self.sorted_keys, keys - window, side="left")
        hi = np.searchsorted(self.sorted_keys, keys + window, side="right")
        return np.nonzero(hi > lo)[0]

    def nearest(self, key: int, gene: str, ref: str, alt: str, exclude: frozenset[str],
                window: int) -> NearPublished | None:
        """The nearest variant of `gene` reported causal within `window` bp (publications in `exclude` left out),
        other than this very change."""
        lo = int(np.searchsorted(self.sorted_keys, key - window, side="left"))
        hi = int(np.searchsorted(self.sorted_keys, key + window, side="right"))
        best: tuple[int, tuple, list[str]] | None = None
        for k, variant in zip(self.sorted_keys[lo:hi].tolist(), self.sorted_variants[lo:hi], strict=True):
            if (variant[1], variant[2], variant[3]) == (key & 0xFFFFFFFF, ref, alt):
                continue
            pmids = [p.pmid for p in self.by_variant[variant] if p.gene == gene and p.pmid not in exclude]
            if not pmids:
                continue
            distance = abs(k - key)
            if best is None or distance < best[0]:
                best = (distance, variant, pmids)
            elif distance == best[0]:
                best[2].extend(pmids)
        if best is None:
            return None
        distance, (chrom, pos, r, a), pmids = best
        return NearPublished(distance, f"{chrom}:{pos} {r}>{a}", tuple(sorted(set(pmids))))

    def lookup(self, chrom: str, pos: int, ref: str, alt: str, exclude: frozenset[str]) -> tuple[Published, ...]:
        found = self.by_variant.get((normalise_chrom(chrom), pos, ref, alt), ())
        return tuple(p for p in found if p.pmid not in exclude)


def published_variants(build: str, index: GeneIndex) -> PublishedVariants:
    return per_build(PublishedVariants, build, index)
