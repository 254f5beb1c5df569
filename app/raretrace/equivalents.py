"""Orphanet entries that describe the same disease as an OMIM entry (Mondo's exact matches).

HPO annotates many diseases under both IDs, and published diagnoses use the OMIM one: the ranker scores such an
Orphanet entry below its OMIM twin, and says whose twin it is (`Ranker._prepare_genes`; an Orphanet entry of a gene
OMIM entries cover is held down too). Source: `resources/disease_equivalents.tsv.gz`
(models/build_disease_equivalents.py).
"""

from __future__ import annotations

import functools
import gzip
from collections import defaultdict

from .paths import resources_dir

FILE = "disease_equivalents.tsv.gz"


@functools.cache
def omim_equivalents() -> dict[str, tuple[str, ...]]:
    """ORPHA ID -> the OMIM IDs of the same disease (empty where the bundled file is missing)."""
    path = resources_dir() / FILE
    if not path.is_file():
        return {}
    out: dict[str, list[str]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        next(handle, None)  # header
        for line in handle:
            orpha, omim, _mondo = line.rstrip("\n").split("\t")
            out[orpha].append(omim)
    return {k: tuple(v) for k, v in out.items()}
