"""Bundled tables of variants (resources/): their rows, and the lookup of one build that the 1000 Genomes
frequencies (population.py) and ClinGen SVI's BA1 exception list (ba1_exceptions.py) share."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

import numpy as np

from ..paths import resources_dir
from .gene_model import GeneIndex, normalise_chrom

V = TypeVar("V")
VariantKey = tuple[str, int, str, str]  # (chrom as the gene model names it, 1-based pos, ref, alt)


def bundled_rows(path: Path) -> Iterator[dict[str, str]]:
    """The rows of a bundled tab-separated table with a header line (gzipped where its name ends in .gz), '#'
    comment lines skipped; none where the file is missing."""
    if not path.is_file():
        return
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")) as handle:
        yield from csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")


def position_keys(index: GeneIndex, variants: Iterable[VariantKey]) -> np.ndarray:
    """Sorted unique position keys (chromosome code << 32 | position) of the variants: they prefilter a chunk of
    records before the exact lookup."""
    return np.unique(np.array([(index.code_of(k[0]) << 32) | k[1] for k in variants], dtype=np.int64))


class BuildVariants(Generic[V]):
    """Lookup of one build of a bundled table with columns build, chrom, pos, ref, alt: (chrom, pos, ref, alt) ->
    what `value` makes of the variant's row."""

    FILE: ClassVar[str]

    def __init__(self, build: str, index: GeneIndex) -> None:
        self.by_variant: dict[VariantKey, V] = {}
        for row in bundled_rows(resources_dir() / self.FILE):
            if row["build"] == build:
                self.by_variant[(normalise_chrom(row["chrom"]), int(row["pos"]), row["ref"], row["alt"])] = self.value(row)
        self.keys = position_keys(index, self.by_variant)

    @staticmethod
    def value(row: dict[str, str]) -> V:
        raise NotImplementedError

    def find(self, chrom: str, pos: int, ref: str, alt: str) -> V | None:
        """What the table gives the variant; None where it does not list it."""
        return self.by_variant.get((normalise_chrom(chrom), pos, ref, alt))

    def lookup(self, chrom: str, pos: int, ref: str, alt: str) -> V | None:
        return self.find(chrom, pos, ref, alt)

    def listed(self, positions: np.ndarray, variant: Callable[[int], VariantKey]) -> dict[int, V]:
        """Index -> what the table gives, for the variants of a chunk it lists: `positions`, their position keys,
        prefilter; `variant(i)` is the i-th's (chrom, pos, ref, alt) for the exact lookup."""
        found: dict[int, V] = {}
        if len(self.keys):
            for i in np.nonzero(np.isin(positions, self.keys))[0].tolist():
                value = self.find(*variant(i))
                if value is not None:
                    found[i] = value
        return found
