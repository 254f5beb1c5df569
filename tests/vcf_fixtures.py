"""Small VCF/BCF/PED files made by the tests themselves (no shared data needed)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from raretrace.genomics.bgzf import BgzfWriter
from raretrace.genomics.gene_model import gene_index
from raretrace.genomics.vcf import CONTIG_LENGTHS


def contig_lines(build: str | None = "GRCh37", prefix: str = "") -> list[str]:
    if build is None:
        return []
    return [f"##contig=<ID={prefix}{c},length={n}>" for c, n in CONTIG_LENGTHS[build].items()] + [
        f"##contig=<ID={prefix}{'M' if prefix else 'MT'},length=16569>"
    ]


def vcf_text(
    records: list[str],
    *,
    samples: tuple[str, ...] = ("patient",),
    build: str | None = "GRCh37",
    chrom_prefix: str = "",
    infos: tuple[str, ...] = (),
    with_gt: bool = True,
) -> str:
    """A VCF: records are tab-separated lines from CHROM to the last sample column."""
    lines = ["##fileformat=VCFv4.2", '##FILTER=<ID=PASS,Description="All filters passed">',
             '##FILTER=<ID=LowQual,Description="Low quality">']  # fmt: skip
    lines += [
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">',
        '##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="SV length">',
        '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="SV type">',
        *infos,
    ]
    if with_gt:
        lines.append('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">')
    lines.append('##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">')
    lines += contig_lines(build, chrom_prefix)
    lines.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples]))
    return "\n".join(lines + records) + "\n"


def record(chrom: str, pos: int, ref: str, alt: str, *gts: str, filt: str = "PASS", info: str = ".",
           fmt: str = "GT") -> str:  # fmt: skip
    return "\t".join([chrom, str(pos), ".", ref, alt, "50", filt, info, fmt, *(gts or ("0/1",))])


def write_plain(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def write_bgzip(path: Path, text: str) -> Path:
    with BgzfWriter(path) as out:
        out.write(text)
    return path


def write_bcf(path: Path, text: str, tmp: Path) -> Path:
    import cyvcf2

    plain = write_plain(tmp / (path.name + ".src.vcf"), text)
    reader = cyvcf2.VCF(str(plain))
    writer = cyvcf2.Writer(str(path), reader, mode="wb")
    for v in reader:
        writer.write_record(v)
    writer.close()
    reader.close()
    return path


def write_ped(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Gene:
    """A real gene of the KB's gene model, to place test variants in known regions (1-based positions)."""

    symbol: str
    chrom: str
    strand: str
    tx_start: int  # 0-based
    tx_end: int
    exons: tuple[tuple[int, int], ...]  # 0-based half-open, ascending
    # per exon: the 1-based position nearest its middle that is a codon's second base, where the exon is coding (any
    # SNV there changes the amino acid: a protein-altering candidate), else its middle
    codon_second_bases: tuple[int, ...] = ()

    def exonic(self, exon: int = 1) -> int:
        """A 1-based position in the middle of an internal exon (ascending order): a codon's second base where the
        gene model's coding bounds cover it, so that an SNV there is a protein-altering candidate whatever its bases."""
        if self.codon_second_bases:
            return self.codon_second_bases[exon]
        s, e = self.exons[exon]
        return (s + e) // 2 + 1

    def intronic(self, exon: int = 1, offset: int = 1) -> int:
        """1-based position `offset` bases after the end of exon `exon` (ascending order)."""
        return self.exons[exon][1] + offset

    def upstream(self, distance: int = 1000) -> int:
        return self.tx_start - distance + 1 if self.strand == "+" else self.tx_end + distance


def gene(db: sqlite3.Connection, symbol: str, build: str = "GRCh37") -> Gene:
    row = db.execute(
        "SELECT chrom, strand, tx_start, tx_end, exon_starts, exon_ends FROM gene_models WHERE build=? AND symbol=?",
        (build, symbol),
    ).fetchone()
    assert row is not None, f"{symbol} not in the {build} gene model"
    starts = [int(x) for x in row[4].split(",")]
    ends = [int(x) for x in row[5].split(",")]
    exons = tuple(sorted(zip(starts, ends, strict=True)))
    return Gene(symbol, row[0], row[1], row[2], row[3], exons, _codon_second_bases(db, build, symbol, row[0], exons))


def _codon_second_bases(db, build: str, symbol: str, chrom: str, exons) -> tuple[int, ...]:
    index = gene_index(db, build)
    out = []
    for s, e in exons:
        middle = (s + e) // 2
        order = sorted(range(s, e), key=lambda p: abs(p - middle))  # 0-based positions, nearest the middle first
        pos0 = np.array(order, dtype=np.int64)
        regions = index.locate(np.full(len(pos0), index.code_of(chrom)), pos0, pos0 + 1, np.zeros(len(pos0), bool))
        ours = [int(v) for v, g, c in zip(regions.variant, regions.gene, regions.codon, strict=True)
                if index.symbols[g] == symbol and c == 1]  # fmt: skip
        out.append(int(pos0[min(ours)]) + 1 if ours else middle + 1)
    return tuple(out)


def trio_background(samples: tuple[str, ...], calls: dict[str, str], n: int = 300, chrom: str = "22",
                    start: int = 16_100_000, fmt: str = "GT", extra: str = "") -> list[str]:
    """n records of one call per sample (`calls`: sample -> GT, e.g. a parent's 0/1 beside a child's 0/0), 100 bp
    apart on an autosome: the background of sites a trio's parentage is checked on. `extra` follows each GT (e.g.
    ':30:99' for DP and GQ, with fmt 'GT:DP:GQ')."""
    return [record(chrom, start + 100 * i, "A", "G", *(calls[s] + extra for s in samples), fmt=fmt)
            for i in range(n)]  # fmt: skip
