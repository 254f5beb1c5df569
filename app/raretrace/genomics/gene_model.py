"""Where a variant falls in the bundled gene model: the genes it overlaps and the region within each.

The KB's `gene_models` table (one GENCODE transcript per gene, per build) is loaded once per build into flat numpy
arrays. Lookups are vectorised over a chunk of variants: chromosome and position are packed into one int64 key
(`chrom_code << 32 | position`), so one `searchsorted` over sorted breakpoints answers every chromosome at once.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import numpy as np

from ..errors import RareTraceError
from ..loaded import kept_out_of_collections
from ..paths import data_dir, resources_dir

# How far outside a transcript a variant still counts as upstream/downstream of the gene.
FLANK = 5000
SPLICE_SITE = 2  # intronic bases at each exon boundary (canonical donor/acceptor dinucleotides)
SPLICE_REGION = 8  # intronic bases still in the splice region
EXON_SPLICE_REGION = 3  # exonic bases of the splice region at an exon-intron boundary (VEP's splice_region_variant)
# Shorter "introns" are gaps in the transcript's alignment to the reference (GRCh37's gene model has 408 under 40 bp,
# 229 of them 1 bp, where the reference carries bases the mRNA lacks; GRCh38's 27, all under 6 bp, its next shortest
# 42 bp, a spliceosome's least): no splice sites there. Their bases read as exonic, outside the reading frame.
MIN_INTRON = 40
SHIFT = np.int64(32)
INDEX_FORMAT = 3  # bump when GeneIndex's arrays change (invalidates disk caches)
CDS_FILE = "gencode_cds.tsv.gz"  # coding bounds of the gene-model transcripts (models/build_gene_cds.py)
PROTEIN_FILE = "proteins.tsv.gz"  # the proteins they encode, where Swiss-Prot's fits (models/build_proteins.py)
CONSERVATION_FILE = "conservation.tsv.gz"  # how their homologues keep each residue (models/build_conservation.py)

# Region codes used in the vectorised arrays.
EXONIC, SPLICE_SITE_REGION, SPLICE_NEAR, INTRONIC, UPSTREAM, DOWNSTREAM = range(6)
REGION_NAMES = ("exonic", "splice_site", "splice_region", "intronic", "upstream", "downstream")
# Where an exonic variant lies against the transcript's coding bounds (NO_CDS: bounds unknown, or not exonic).
# STOP_CODON: a change of the stop codon's bases inside one exon (codons.py tells an SNV or MNV there as STOP_LOST or
# STOP_RETAINED where its REF and ALT decide it, and a coding SNV as PROTEIN_ALTERING ... LIKELY_SYNONYMOUS by its
# codon position). An intronic variant gets UTR5/UTR3 where its intron lies between untranslated exons.
NO_CDS, UTR5, CODING, UTR3, START_CODON, STOP_CODON, STOP_LOST, STOP_RETAINED = -1, 0, 1, 2, 3, 4, 5, 6
PROTEIN_ALTERING, LIKELY_PROTEIN_ALTERING, SYNONYMOUS, LIKELY_SYNONYMOUS, THIRD_BASE_TRANSVERSION = 7, 8, 9, 10, 11
# Bases of an alignment gap (see MIN_INTRON): the reference has them and the transcript does not, so changing them
# changes nothing the transcript says, and deleting them makes the sequence the transcript's (the reference's extra
# bases are its error or minor allele: the Pfeiffer exome is homozygous for such deletions at NEFL, RECQL4 ...).
REFERENCE_GAP = 12
# A coding SNV read against the amino acid at its codon (codons._amino_acid_change; an MNV codon by codon,
# codons._mnv_codons): every codon of that amino acid with the SNV's REF base becomes another amino acid (MISSENSE) or a
# stop (STOP_GAINED; in the last exon, where the transcript may escape nonsense-mediated decay, STOP_GAINED_LAST_EXON)
# with its ALT.
MISSENSE, STOP_GAINED, STOP_GAINED_LAST_EXON = 13, 14, 15
# A MISSENSE change told further by how the protein's homologues keep the residue (GeneIndex.conservation): by at
# least 90% of ten or more of them (MISSENSE_CONSERVED) or of three to nine (MISSENSE_CONSERVED_AMONG_FEW), by 60-90%,
# by fewer of ten or more (MISSENSE_NOT_CONSERVED) or of three to nine (MISSENSE_NOT_CONSERVED_AMONG_FEW: the same
# prior, but too few homologues for BP4's reliable computational evidence), or fewer than three homologues cover it.
# MISSENSE stays where the conservation table is missing.
MISSENSE_CONSERVED, MISSENSE_PARTLY_CONSERVED, MISSENSE_NOT_CONSERVED, MISSENSE_FEW_HOMOLOGUES = 18, 19, 20, 21
MISSENSE_CONSERVED_AMONG_FEW, MISSENSE_NOT_CONSERVED_AMONG_FEW = 22, 26
# A coding SNV whose codon's third base decides between a stop and another amino acid (Arg's CGA>TGA stop, CGG>TGG
# Trp, CGY>TGY Cys: STOP_OR_MISSENSE), or between another amino acid and the same one (Leu's CTY>TTY Phe, CTR>TTR
# Leu: MISSENSE_OR_SYNONYMOUS); the bundled protein names the amino acid, not its codon. STOP_OR_MISSENSE_CONSERVED:
# at a residue that at least 60% of three or more homologues keep (GeneIndex.conservation), so that either reading
# harms the protein.
STOP_OR_MISSENSE, MISSENSE_OR_SYNONYMOUS, STOP_OR_MISSENSE_CONSERVED = 23, 24, 25
# A frameshift-length indel inside the coding sequence (start and stop codons aside) of a transcript whose reading
# frame the reference keeps: a frameshift (FRAMESHIFT_LAST_EXON in the last exon).
FRAMESHIFT, FRAMESHIFT_LAST_EXON = 16, 17
# A frameshift-length indel in a coding exon of a transcript whose reading frame the reference breaks (its GENCODE
# start and stop codons no whole number of codons apart: GRCh37 lacks or adds bases there): what it does to the
# protein cannot be read, as VEP's coding_sequence_variant (unless it mends the frame: REFERENCE_GAP).
FRAME_UNKNOWN = 27
# How far from an alignment gap a deletion of its length may be written and still be the same change (a VCF
# left-aligns a deletion in a run of repeated bases; the gap may lie anywhere in the run).
GAP_SLIDE = 5

# The 37 genes of the mitochondrial genome (rCRS, NC_012920.1: identical in GRCh37 'MT' and GRCh38 'chrM');
# SpliceAI's GENCODE tables have no mitochondrial genes. 1-based inclusive coordinates.
MITOCHONDRIAL_GENES = (
    ("MT-TF", 577, 647, "+"), ("MT-RNR1", 648, 1601, "+"), ("MT-TV", 1602, 1670, "+"),
    ("MT-RNR2", 1671, 3229, "+"), ("MT-TL1", 3230, 3304, "+"), ("MT-ND1", 3307, 4262, "+"),
    ("MT-TI", 4263, 4331, "+"), ("MT-TQ", 4329, 4400, "-"), ("MT-TM", 4402, 4469, "+"),
    ("MT-ND2", 4470, 5511, "+"), ("MT-TW", 5512, 5579, "+"), ("MT-TA", 5587, 5655, "-"),
    ("MT-TN", 5657, 5729, "-"), ("MT-TC", 5761, 5826, "-"), ("MT-TY", 5826, 5891, "-"),
    ("MT-CO1", 5904, 7445, "+"), ("MT-TS1", 7446, 7514, "-"), ("MT-TD", 7518, 7585, "+"),
    ("MT-CO2", 7586, 8269, "+"), ("MT-TK", 8295, 8364, "+"), ("MT-ATP8", 8366, 8572, "+"),
    ("MT-ATP6", 8527, 9207, "+"), ("MT-CO3", 9207, 9990, "+"), ("MT-TG", 9991, 10058, "+"),
    ("MT-ND3", 10059, 10404, "+"), ("MT-TR", 10405, 10469, "+"), ("MT-ND4L", 10470, 10766, "+"),
    ("MT-ND4", 10760, 12137, "+"), ("MT-TH", 12138, 12206, "+"), ("MT-TS2", 12207, 12265, "+"),
    ("MT-TL2", 12266, 12336, "+"), ("MT-ND5", 12337, 14148, "+"), ("MT-ND6", 14149, 14673, "-"),
    ("MT-TE", 14674, 14742, "-"), ("MT-CYB", 14747, 15887, "+"), ("MT-TT", 15888, 15953, "+"),
    ("MT-TP", 15956, 16023, "-"),
)  # fmt: skip

# Pseudo-autosomal regions of chrX (1-based inclusive): males are diploid there.
PSEUDOAUTOSOMAL = {
    "GRCh37": ((60001, 2699520), (154931044, 155260560)),
    "GRCh38": ((10001, 2781479), (155701383, 156030895)),
}


def in_pseudoautosomal(start0: int, par: tuple) -> bool:
    """Whether a 0-based position lies in chrX's pseudoautosomal regions `par` (a build's PSEUDOAUTOSOMAL)."""
    return any(a - 1 <= start0 < b for a, b in par)


def normalise_chrom(name: str) -> str:
    """chr1/1, chrX/X, chrM/chrMT/M/MT -> the gene model's names (1..22, X, Y, MT)."""
    bare = name[3:] if name[:3].lower() == "chr" else name
    upper = bare.upper()
    if upper in ("M", "MT"):
        return "MT"
    if upper in ("X", "Y"):
        return upper
    return bare


_symbol_updates: dict[str, str] | None = None


def symbol_updates() -> dict[str, str]:
    """Previous HGNC symbols of the gene model -> current symbols (the names HPO and clinicians use)."""
    global _symbol_updates
    if _symbol_updates is None:
        table: dict[str, str] = {}
        path = resources_dir() / "gene_symbol_updates.tsv"
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    old, new = line.split("\t")[:2]
                    table[old] = new
        _symbol_updates = table
    return _symbol_updates


T = TypeVar("T")
_per_build: dict[tuple[Any, int, str], Any] = {}
_per_build_lock = threading.Lock()


def per_build(factory: Callable[[str, GeneIndex], T], build: str, index: GeneIndex) -> T:
    """One lookup table of a bundled resource per (kind, gene index, build), made once and shared by threads."""
    with _per_build_lock:
        key = (factory, id(index), build)
        found = _per_build.get(key)
        if found is None:
            found = _per_build[key] = kept_out_of_collections(factory(build, index))
        return found


@dataclass(frozen=True, slots=True)
class Regions:
    """Gene/region of every (variant, gene) pair of a chunk: parallel arrays."""

    variant: np.ndarray  # index of the variant in the chunk
    gene: np.ndarray  # index into GeneIndex.symbols
    region: np.ndarray  # region code (EXONIC ...)
    distance: np.ndarray  # intronic distance to the nearest exon boundary / to the transcript (0 in exons)
    terminal_exon: np.ndarray  # bool: the first or last exon (may be untranslated)
    exon_number: np.ndarray  # 1-based exon number in transcript order (0 outside exons)
    donor: np.ndarray  # bool: the nearest (or crossed) boundary is a splice donor, else an acceptor
    exons_hit: np.ndarray  # number of exons the variant overlaps (structural variants)
    cds: np.ndarray  # int8: UTR5 ... STOP_CODON for exonic pairs of a gene with known coding bounds (UTR5/UTR3 also
    # for intronic variants of an untranslated intron)
    codon: np.ndarray  # int8: codon position (0-2) of a single-base CODING or STOP_CODON change, or of the 5'-most
    # base (in the transcript's direction) of a longer one inside one exon's coding bases (a STOP_CODON one may reach
    # on into the exon's 3' UTR), else -1
    residue: np.ndarray  # int64: its codon's number from the coding start (0: the start codon), else -1
    exon_edge: np.ndarray  # bool: an exonic change within EXON_SPLICE_REGION bases of an exon-intron boundary
    gap_length: np.ndarray  # an exonic change within GAP_SLIDE bases of an alignment gap: the gap's length, else 0

    def last_exon(self) -> np.ndarray:
        """bool: in the transcript's last exon (terminal, and not its first; a single-exon transcript's is its first)."""
        return self.terminal_exon & (self.exon_number > 1)


class GeneIndex:
    """Gene intervals of one build in flat arrays; built once per (KB, build) and shared."""

    ARRAYS = ("code", "strand", "tx_start", "tx_end", "exon_ptr", "ex_start", "ex_end", "exon_key", "breaks",
              "seg_genes", "seg_ptr", "cds_start", "cds_end", "cds_atg", "cds_frame")  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> GeneIndex:
        """An index saved by `save` (the parsed gene model, cached next to the user's data)."""
        data = np.load(path, allow_pickle=False)
        self = cls.__new__(cls)
        self.build = str(data["build"])
        self.symbols = data["symbols"].tolist()
        self.chroms = data["chroms"].tolist()
        self.chrom_codes = dict(zip(data["chrom_names"].tolist(), data["chrom_values"].tolist(), strict=True))
        for name in cls.ARRAYS:
            setattr(self, name, data[name])
        self.gene_index = {s: i for i, s in enumerate(self.symbols)}
        return self

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp.npz")
        np.savez(
            tmp,
            build=np.array(self.build),
            symbols=np.array(self.symbols),
            chroms=np.array(self.chroms),
            chrom_names=np.array(list(self.chrom_codes)),
            chrom_values=np.array(list(self.chrom_codes.values()), dtype=np.int64),
            **{name: getattr(self, name) for name in self.ARRAYS},
        )
        os.replace(tmp, path)

    def __init__(
        self,
        build: str,
        rows: list[tuple[str, str, str, int, int, str, str]],
        cds: dict[tuple[str, str], tuple[int, int, bool, int]] | None = None,
    ) -> None:
        """rows: (name, chrom, strand, tx_start, tx_end, exon starts, exon ends); cds: (name, chrom) -> coding
        bounds, 0-based half-open, whether a start codon lies at the 5' one, and the coding bases modulo 3 (not 0:
        the reference breaks the frame); a transcript without bounds keeps -1: coding and untranslated exons alike."""
        self.build = build
        updates = symbol_updates()
        self.chrom_codes: dict[str, int] = {}
        for chrom in sorted({r[1] for r in rows}, key=lambda c: (len(c), c)):
            self.chrom_codes[chrom] = len(self.chrom_codes) + 1
        rows = sorted(rows, key=lambda r: (self.chrom_codes[r[1]], r[3], r[4]))
        n = len(rows)
        self.symbols = [updates.get(r[0], r[0]) for r in rows]
        self.chroms = [r[1] for r in rows]
        self.code = np.fromiter((self.chrom_codes[r[1]] for r in rows), dtype=np.int64, count=n)
        self.strand = np.fromiter((1 if r[2] == "+" else -1 for r in rows), dtype=np.int8, count=n)
        self.tx_start = np.fromiter((r[3] for r in rows), dtype=np.int64, count=n)
        self.tx_end = np.fromiter((r[4] for r in rows), dtype=np.int64, count=n)
        bounds = [(cds or {}).get((r[0], r[1]), (-1, -1, False, 0)) for r in rows]
        self.cds_start = np.fromiter((b[0] for b in bounds), dtype=np.int64, count=n)
        self.cds_end = np.fromiter((b[1] for b in bounds), dtype=np.int64, count=n)
        self.cds_atg = np.fromiter((b[2] for b in bounds), dtype=bool, count=n)
        self.cds_frame = np.fromiter((b[3] for b in bounds), dtype=np.int8, count=n)
        counts = np.fromiter((r[5].count(",") + 1 for r in rows), dtype=np.int64, count=n)
        self.exon_ptr = np.zeros(n + 1, dtype=np.int64)
        self.exon_ptr[1:] = np.cumsum(counts)
        ex_start = np.array(",".join(r[5] for r in rows).split(","), dtype=np.int64)
        ex_end = np.array(",".join(r[6] for r in rows).split(","), dtype=np.int64)
        gene_of_exon = np.repeat(np.arange(n, dtype=np.int64), counts)
        # Exons sorted within each gene; the key makes one global sorted array searchable per gene.
        order = np.lexsort((ex_start, gene_of_exon))
        self.ex_start = ex_start[order]
        self.ex_end = ex_end[order]
        self.exon_key = (gene_of_exon[order] << SHIFT) | self.ex_start
        self.gene_index = {s: i for i, s in enumerate(self.symbols)}

        # Elementary segments between all window boundaries, each listing the genes whose window covers it.
        base = self.code << SHIFT
        win_start = base | np.maximum(self.tx_start - FLANK, 0)
        win_end = base | (self.tx_end + FLANK)
        self.breaks = np.unique(np.concatenate([win_start, win_end]))
        first = np.searchsorted(self.breaks, win_start)
        last = np.searchsorted(self.breaks, win_end)  # exclusive
        spans = last - first
        genes = np.repeat(np.arange(n, dtype=np.int64), spans)
        segs = _ranges(first, spans)
        order = np.lexsort((genes, segs))
        self.seg_genes = genes[order]
        self.seg_ptr = np.zeros(len(self.breaks) + 1, dtype=np.int64)
        np.add.at(self.seg_ptr, segs + 1, 1)
        self.seg_ptr = np.cumsum(self.seg_ptr)

    def code_of(self, chrom: str) -> int:
        """Chromosome code of a normalised name (0: not in the gene model, e.g. decoy contigs)."""
        return self.chrom_codes.get(chrom, 0)

    def genes_in(self, code: int, start0: int, end0: int) -> np.ndarray:
        """Genes whose window overlaps [start0, end0) on one chromosome (used for long structural variants)."""
        if code == 0:
            return np.zeros(0, dtype=np.int64)
        lo = np.searchsorted(self.breaks, (code << 32) | start0, side="right") - 1
        hi = np.searchsorted(self.breaks, (code << 32) | max(end0 - 1, start0), side="right") - 1
        lo = max(lo, 0)
        if hi < 0:
            return np.zeros(0, dtype=np.int64)
        return np.unique(self.seg_genes[self.seg_ptr[lo] : self.seg_ptr[hi + 1]])

    def locate(self, code: np.ndarray, start0: np.ndarray, end0: np.ndarray, long: np.ndarray) -> Regions:
        """Regions for a chunk of variants: 0-based half-open spans [start0, end0) on chromosome `code`.

        Every variant takes the genes of all segments from its first base to its last, vectorised for the short ones
        (most hold one segment; a deletion written out over a small gene holds the segments of its window too), and
        through `genes_in` for `long` ones (structural variants).
        """
        known = code > 0
        idx = np.nonzero(known & ~long)[0]
        last0 = np.maximum(end0 - 1, start0)
        pairs_v = []
        pairs_g = []
        first_seg = np.searchsorted(self.breaks, (code[idx] << SHIFT) | start0[idx], side="right") - 1
        last_seg = np.searchsorted(self.breaks, (code[idx] << SHIFT) | last0[idx], side="right") - 1
        ok = last_seg >= 0
        vi, first_seg, last_seg = idx[ok], np.maximum(first_seg[ok], 0), last_seg[ok]
        # genes of consecutive segments are consecutive in seg_genes: one slice per variant (repeats dropped below)
        counts = self.seg_ptr[last_seg + 1] - self.seg_ptr[first_seg]
        pairs_v.append(np.repeat(vi, counts))
        pairs_g.append(self.seg_genes[_ranges(self.seg_ptr[first_seg], counts)])
        for i in np.nonzero(known & long)[0]:
            genes = self.genes_in(int(code[i]), int(start0[i]), int(end0[i]))
            pairs_v.append(np.full(len(genes), i, dtype=np.int64))
            pairs_g.append(genes)
        v = np.concatenate(pairs_v) if pairs_v else np.zeros(0, dtype=np.int64)
        g = np.concatenate(pairs_g) if pairs_g else np.zeros(0, dtype=np.int64)
        if len(v):
            key = np.unique((v << SHIFT) | g)
            v, g = key >> SHIFT, key & 0xFFFFFFFF
        s, e = start0[v], end0[v]
        ts, te, strand = self.tx_start[g], self.tx_end[g], self.strand[g]
        # Windows are wider than transcripts; drop pairs beyond the flank (windows of long genes are shared).
        keep = (e > ts - FLANK) & (s < te + FLANK)
        v, g, s, e, ts, te, strand = v[keep], g[keep], s[keep], e[keep], ts[keep], te[keep], strand[keep]
        n = len(v)
        region = np.full(n, INTRONIC, dtype=np.int8)
        distance = np.zeros(n, dtype=np.int64)
        terminal = np.zeros(n, dtype=bool)
        exon_number = np.zeros(n, dtype=np.int64)
        donor = np.zeros(n, dtype=bool)
        exons_hit = np.zeros(n, dtype=np.int64)
        cds = np.full(n, NO_CDS, dtype=np.int8)

        before = e <= ts
        after = s >= te
        outside = before | after
        upstream = (before & (strand > 0)) | (after & (strand < 0))
        region[outside] = np.where(upstream[outside], UPSTREAM, DOWNSTREAM)
        distance[outside] = np.where(before[outside], ts[outside] - e[outside] + 1, s[outside] - te[outside] + 1)

        inside = ~outside
        gi, si, ei = g[inside], s[inside], e[inside]
        first_exon = self.exon_ptr[gi]
        last_exon = self.exon_ptr[gi + 1] - 1
        # Last exon starting at or before the variant's last base; exons of a gene are sorted and disjoint.
        k = np.searchsorted(self.exon_key, (gi << SHIFT) | np.maximum(ei - 1, si), side="right") - 1
        k = np.clip(k, first_exon, last_exon)
        k_first = np.searchsorted(self.exon_key, (gi << SHIFT) | si, side="right") - 1
        k_first = np.clip(k_first, first_exon, last_exon)
        # Exons touched: from the first exon ending after the start to the last starting before the end.
        first_hit = np.where(self.ex_end[k_first] > si, k_first, k_first + 1)
        hit = np.maximum(k - first_hit + 1, 0)
        in_exon = hit > 0
        fh = np.minimum(first_hit, last_exon)
        left_edge = self.ex_start[fh]
        # Boundaries crossed, counting only true introns (alignment gaps join the exons on either side).
        real, gap_after = self._real_introns_before, self._gap_after
        crosses = in_exon & (
            ((si < left_edge) & (first_hit > first_exon) & ~gap_after[np.maximum(fh - 1, 0)])
            | ((ei > self.ex_end[k]) & (k < last_exon) & ~gap_after[k]) | (real[k] > real[fh])
        )
        reg = np.where(in_exon, EXONIC, INTRONIC).astype(np.int8)
        reg[crosses] = SPLICE_SITE_REGION
        # Intronic: distance to the left exon's end and the right exon's start (1 = first intronic base).
        right = np.minimum(k + 1, last_exon)
        d_left = si - self.ex_end[k] + 1
        d_right = self.ex_start[right] - np.maximum(ei - 1, si)
        in_gap = ~in_exon & (k < right) & gap_after[k] & (si >= self.ex_end[k])
        reg[in_gap] = EXONIC
        intronic = ~in_exon & ~in_gap
        dist = np.where(intronic, np.minimum(d_left, d_right), 0)
        reg[intronic & (dist <= SPLICE_REGION)] = SPLICE_NEAR
        reg[intronic & (dist <= SPLICE_SITE)] = SPLICE_SITE_REGION
        # Left boundary (after an exon) is a donor on the plus strand, an acceptor on the minus strand.
        left_nearer = d_left <= d_right
        plus = strand[inside] > 0
        region[inside] = reg
        distance[inside] = dist
        # A change across an exon boundary: the exon's genomic end is its donor on the plus strand, its start on
        # the minus strand.
        crosses_end = crosses & (ei > self.ex_end[k]) & (k < last_exon)
        crosses_start = crosses & (si < left_edge) & (first_hit > first_exon)
        donor[inside] = (intronic & (left_nearer == plus)) | (crosses_end & plus) | (crosses_start & ~plus)
        exonic = in_exon | in_gap
        real_k, real_total = real[k] - real[first_exon], real[last_exon] - real[first_exon]
        terminal[inside] = exonic & ((real_k == 0) | (real_k == real_total))
        number = np.where(plus, real_k + 1, real_total - real_k + 1)
        exon_number[inside] = np.where(exonic, number, 0)
        exons_hit[inside] = np.where(in_exon, real[k] - real[fh] + 1, 0)
        # Against the coding bounds: the 5'/3' UTR before/after them, the start codon (its first three bases, where
        # GENCODE has a start codon there; any change of ATG loses the start, there is no other methionine codon),
        # or coding sequence in between.
        cs, ce = self.cds_start[gi], self.cds_end[gi]
        known = exonic & (cs >= 0)
        before_cds, after_cds = ei <= cs, si >= ce
        at_start = self.cds_atg[gi] & np.where(plus, (si < cs + 3) & (ei > cs), (si < ce) & (ei > ce - 3))
        code = np.where(before_cds, np.where(plus, UTR5, UTR3), np.where(after_cds, np.where(plus, UTR3, UTR5), CODING))
        code = np.where(at_start & ~before_cds & ~after_cds, START_CODON, code)
        # Codon position of a change of coding sequence inside one exon (an SNV, or an MNV's 5'-most base): its spliced
        # offset from the coding start, in the transcript's direction (the 5' coding base of its exon, plus the coding
        # bases of the exons before it). The last three coding bases are the stop codon (the 3' bound includes it),
        # split by an intron or not.
        codon = np.full(n, -1, dtype=np.int8)
        residue = np.full(n, -1, dtype=np.int64)
        # (not where the reference breaks the frame: the offset past its error is unknown)
        span = known & (hit == 1) & (code == CODING) & (self.cds_frame[gi] == 0)
        kk = k[span]
        lo, hi = np.maximum(self.ex_start[kk], cs[span]), np.minimum(self.ex_end[kk], ce[span])
        s5, e5 = si[span], ei[span]
        before_asc, total = self._coding_bases_before[kk], self._coding_bases_total[gi[span]]
        offset = np.where(plus[span], before_asc + s5 - lo, total - before_asc - (hi - lo) + hi - e5)
        # a change touching the stop codon is STOP_CODON (an MNV's bases there tell a stop lost or kept, load.py); a
        # longer one may reach past the coding end into its exon's 3' UTR, whose bases change no codon. One
        # reaching past the coding bases of its exon at its 5' side, or into an intron, stays CODING without a codon.
        length = e5 - s5
        into_utr = (length > 1) & np.where(plus[span], (hi == ce[span]) & (e5 <= self.ex_end[kk]),
                                           (lo == cs[span]) & (s5 >= self.ex_start[kk]))  # fmt: skip
        read = np.where(plus[span], (s5 >= lo) & ((e5 <= hi) | into_utr), (e5 <= hi) & ((s5 >= lo) | into_utr))
        single = np.zeros(len(si), dtype=bool)
        single[np.nonzero(span)[0][read]] = True
        offset = offset[read]
        sub = np.full(len(si), -1, dtype=np.int8)
        sub[single] = (offset % 3).astype(np.int8)
        codon[inside] = sub
        sub_residue = np.full(len(si), -1, dtype=np.int64)
        sub_residue[single] = offset // 3
        residue[inside] = sub_residue
        in_stop = np.zeros(len(si), dtype=bool)
        in_stop[single] = offset + length[read] > total[read] - 3
        code = np.where(in_stop, STOP_CODON, code)
        # A variant in an intron outside the coding bounds whose nearer exon, the one a splice change there would skip,
        # is untranslated too (the acceptor before the start codon's exon is no UTR splice site); a structural one
        # as well, where it stays in the intron (a deletion of a UTR intron's splice site is no coding change).
        intron_lo, intron_hi = self.ex_end[k], self.ex_start[right]
        near_lo, near_hi = np.where(left_nearer, self.ex_start[k], intron_hi), np.where(left_nearer, intron_lo, self.ex_end[right])
        utr_intron = (intronic & (cs >= 0) & (k < right) & ((intron_hi <= cs) | (intron_lo >= ce))
                      & ((near_hi <= cs) | (near_lo >= ce)))  # fmt: skip
        intron_code = np.where(intron_hi <= cs, np.where(plus, UTR5, UTR3), np.where(plus, UTR3, UTR5))
        cds[inside] = np.where(in_gap, REFERENCE_GAP, np.where(known, code, np.where(utr_intron, intron_code, NO_CDS)))
        # Near a gap (the exon before it or after it): its length, for a deletion written beside it (load.py).
        previous = np.maximum(k - 1, 0)
        gap_before = (k > first_exon) & gap_after[previous]
        to_end, from_start = self.ex_end[k] - np.maximum(ei - 1, si), si - self.ex_start[k]
        gap_length = np.zeros(n, dtype=np.int64)
        gap_length[inside] = np.where(in_exon & gap_after[k] & (to_end <= GAP_SLIDE), self.ex_start[right] - self.ex_end[k],
                                      np.where(in_exon & gap_before & (from_start < GAP_SLIDE),
                                               self.ex_start[k] - self.ex_end[previous], 0))
        # Within the exonic part of the splice region: near an exon end that is a splice site (not the transcript's).
        edge = np.zeros(n, dtype=bool)
        near_start = (from_start < EXON_SPLICE_REGION) & (k > first_exon) & ~gap_before
        near_end = (to_end <= EXON_SPLICE_REGION) & (k < last_exon) & ~gap_after[k]
        edge[inside] = in_exon & ~crosses & (near_start | near_end)
        return Regions(v, g, region, distance, terminal, exon_number, donor, exons_hit, cds, codon, residue, edge,
                       gap_length)

    def true_exons(self, gene: int) -> tuple[tuple[int, int], ...]:
        """The gene's exons, 0-based half-open and ascending, alignment gaps joining their parts (worked out once
        per gene: splice-site places and structural variants ask again and again)."""
        found = self._true_exons.get(gene)
        if found is not None:
            return found
        lo, hi = int(self.exon_ptr[gene]), int(self.exon_ptr[gene + 1])
        exons: list[tuple[int, int]] = []
        for e in range(lo, hi):
            if exons and self._gap_after[e - 1]:
                exons[-1] = (exons[-1][0], int(self.ex_end[e]))
            else:
                exons.append((int(self.ex_start[e]), int(self.ex_end[e])))
        found = self._true_exons[gene] = tuple(exons)
        return found

    @functools.cached_property
    def _true_exons(self) -> dict[int, tuple[tuple[int, int], ...]]:
        """Gene -> its true exons, filled as genes are asked for (a few of the 20,000 in an analysis)."""
        return {}

    def holds_whole_exon(self, gene: int, start0: int, end0: int) -> bool:
        """Whether [start0, end0) holds at least one whole exon of the gene's transcript."""
        return any(start0 <= s and e <= end0 for s, e in self.true_exons(gene))

    def splice_site_place(self, gene: int, start0: int, end0: int, insertion: bool = False) -> str:
        """Where a change at a splice site ([start0, end0), 0-based; an `insertion` goes before start0) lies against
        the exon, in words and in c.-style intron offsets on the gene's strand: "1 base after exon 11 (+1, intron
        11)" (the first base after an exon's 3' end), "1 to 2 bases before exon 12 (-2 to -1, intron 11)" (the last
        two before the next exon), or "crossing the exon boundary: exon 11's last 2 bases and +1 to +3 of intron 11".
        The exon named is the one the offset counts from: an intron k lies between exons k and k + 1, in the
        transcript's order. The offset from the exon only: no c. position (the exon's coding base), which nothing
        here computes. True exons: an alignment gap is no intron. '' where it lies in no intron."""
        exons = self.true_exons(gene)
        plus, n = bool(self.strand[gene] > 0), len(exons)
        crossed = [(b, i) for i, (s, e) in enumerate(exons) for b in (s, e)
                   if not insertion and start0 < b < end0 and 0 < (b == e) + i < n]  # fmt: skip
        if len(crossed) == 2 and crossed[1][1] == crossed[0][1] + 1 and crossed[0][0] == exons[crossed[0][1]][1]:
            i = crossed[0][1]  # both ends of one intron, no exon whole
            return f"crossing intron {i + 1 if plus else n - 1 - i} whole, both its splice sites"
        if len(crossed) > 1:
            return f"crossing {len(crossed)} exon boundaries"
        if crossed:
            b, i = crossed[0]
            number = i + 1 if plus else n - i
            exonic, intronic = (b - start0, end0 - b) if b == exons[i][1] else (end0 - b, b - start0)
            bases = f"last {exonic} bases" if exonic > 1 else "last base"
            if (b == exons[i][1]) == plus:  # the exon's 3' end: its donor
                return (f"crossing the exon boundary: exon {number}'s {bases} and {_offsets('+', 1, intronic)} "
                        f"of intron {number}")
            bases = bases.replace("last", "first")
            return (f"crossing the exon boundary: {_offsets('-', 1, intronic)} of intron {number - 1} and exon "
                    f"{number}'s {bases}")
        for i in range(n - 1):
            left, right = exons[i][1], exons[i + 1][0]  # the intron [left, right)
            if not left <= start0 < right:
                continue
            intron = i + 1 if plus else n - 1 - i
            from_left = start0 - left + 1  # the first intronic base after the left exon is 1
            from_right = right - max(end0 - 1, start0)  # the last before the right exon is 1
            donor = (from_left <= from_right) == plus
            sign = "+" if donor else "-"
            # the exon the offset counts from: a donor's (+) the intron's 5' exon, an acceptor's (-) its 3' exon
            exon = f"{'after' if donor else 'before'} exon {intron if donor else intron + 1}"
            if insertion:  # between start0 - 1 and start0
                near = from_left - 1 if from_left <= from_right else right - start0
                pair = ["the exon" if near == 0 else f"{sign}{near}", f"{sign}{near + 1}"]
                if not donor:
                    pair.reverse()
                said = f"right {exon}" if near == 0 else f"{_bases(near, near)} {exon}"
                return f"insertion {said} (between {pair[0]} and {pair[1]}, intron {intron})"
            lo = min(from_left, from_right)
            hi = lo + max(end0 - start0, 1) - 1
            return f"{_bases(lo, hi)} {exon} ({_offsets(sign, lo, hi)}, intron {intron})"
        return ""

    def penultimate_exon_tail(self, gene: int, start0: int, end0: int, insertion: bool = False) -> int | None:
        """Bases of the transcript from a change in its penultimate exon ([start0, end0), 0-based; an `insertion`
        goes before start0) to that exon's 3' end, the last exon-exon junction; None where the change is not inside
        the penultimate exon. An insertion at either edge of the exon is the exon's (VEP places it so: load's
        _place_intronic_insertions). (True exons: alignment gaps join their parts.)"""
        exons = self.true_exons(gene)
        if len(exons) < 2:
            return None
        plus = self.strand[gene] > 0
        first, last = exons[-2] if plus else exons[1]
        if insertion:  # a point between start0 - 1 and start0: the bases after it in the transcript's direction
            return None if not first <= start0 <= last else last - start0 if plus else start0 - first
        if not first <= start0 < end0 <= last:
            return None
        return last - end0 if plus else start0 - first

    @functools.cached_property
    def _gap_after(self) -> np.ndarray:
        """Per exon: the next exon of its gene follows an alignment gap shorter than MIN_INTRON, not an intron."""
        gap = np.zeros(len(self.ex_start), dtype=bool)
        if len(gap) > 1:
            gap[:-1] = (self.ex_start[1:] - self.ex_end[:-1]) < MIN_INTRON
            gap[self.exon_ptr[1:] - 1] = False  # a gene's last exon has no next exon of its own
        return gap

    @functools.cached_property
    def _real_introns_before(self) -> np.ndarray:
        """Per exon: the true introns before it, counted over the whole array (differences within a gene count
        the introns between two of its exons)."""
        real_after = (~self._gap_after).astype(np.int64)
        real_after[self.exon_ptr[1:] - 1] = 0
        return np.concatenate([[0], np.cumsum(real_after)[:-1]]) if len(real_after) else real_after

    @functools.cached_property
    def _coding_bases_per_exon(self) -> np.ndarray:
        """Coding bases (within the transcript's coding bounds) of every exon, in the exon arrays' order."""
        gene_of_exon = np.repeat(np.arange(len(self.tx_start), dtype=np.int64), np.diff(self.exon_ptr))
        cs, ce = self.cds_start[gene_of_exon], self.cds_end[gene_of_exon]
        bases = np.minimum(self.ex_end, ce) - np.maximum(self.ex_start, cs)
        return np.where(cs >= 0, np.maximum(bases, 0), 0)

    @functools.cached_property
    def _coding_bases_before(self) -> np.ndarray:
        """Coding bases of the exons before each exon of its gene, in ascending genomic order."""
        bases = self._coding_bases_per_exon
        running = np.cumsum(bases) - bases
        return running - running[np.repeat(self.exon_ptr[:-1], np.diff(self.exon_ptr))]

    def coding_length(self, gene: int) -> int:
        """Coding bases of the gene's transcript, its stop codon included (0 where its coding bounds are unknown)."""
        return int(self._coding_bases_total[gene])

    def amino_acid(self, gene: int, residue: int) -> str | None:
        """The amino acid of codon `residue` (0: the start codon's methionine) of a gene's transcript, where the bundled
        protein fits its coding bounds; None where no protein is known or the codon is its stop."""
        protein = self._proteins.get(gene)
        return protein[1][residue] if protein is not None and 0 <= residue < len(protein[1]) else None

    def protein_accession(self, gene: int) -> str:
        """The UniProt accession of the protein `amino_acid` reads ("" where none)."""
        return self._proteins[gene][0] if gene in self._proteins else ""

    def conservation(self, gene: int, residue: int) -> Conservation | None:
        """How the homologues of the gene's protein keep residue `residue` (Conservation); None where the bundled
        table has no row for this protein."""
        digits = self._conservation.get(gene)
        if digits is None or not 0 <= residue < len(digits):
            return None
        return _CONSERVATION_CODES[digits[residue]]

    @functools.cached_property
    def _conservation(self) -> dict[int, str]:
        """Gene -> the codes of the conservation table, where they are for the protein `amino_acid` reads."""
        table = _conservation_table()
        return {g: table[symbol][1] for g, (accession, sequence) in self._proteins.items()
                if (symbol := self.symbols[g]) in table and table[symbol][0] == accession
                and len(table[symbol][1]) == len(sequence)}  # fmt: skip

    @functools.cached_property
    def _proteins(self) -> dict[int, tuple[str, str]]:
        """Gene -> its protein's UniProt accession and sequence (one letter per codon), where the bundled sequence
        is as long as the coding bounds (less the stop codon) and the reference keeps the frame."""
        total = self._coding_bases_total
        out = {}
        for symbol, (accession, sequence) in _protein_table().items():
            g = self.gene_index.get(symbol)
            if g is not None and self.cds_start[g] >= 0 and self.cds_frame[g] == 0 and total[g] == 3 * len(sequence) + 3:
                out[g] = (accession, sequence)
        return out

    @functools.cached_property
    def _coding_bases_total(self) -> np.ndarray:
        """Coding bases of each gene's transcript."""
        return np.add.reduceat(self._coding_bases_per_exon, self.exon_ptr[:-1]) if len(self.tx_start) else np.zeros(0, np.int64)


def _bases(lo: int, hi: int) -> str:
    """Intron bases lo..hi from an exon in words, as a lab reader says them: "1 base", "5 bases", "3 to 5 bases"."""
    return f"{lo} base" if lo == hi == 1 else f"{lo} bases" if lo == hi else f"{lo} to {hi} bases"


def _offsets(sign: str, lo: int, hi: int) -> str:
    """Intron offsets lo..hi from an exon as c. writes them, in the transcript's order: "+1 to +3", "-3 to -1"."""
    if lo == hi:
        return f"{sign}{lo}"
    return f"+{lo} to +{hi}" if sign == "+" else f"-{hi} to -{lo}"


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, s + c) for each (s, c), vectorised."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + (np.arange(total, dtype=np.int64) - offsets)


_cache: dict[tuple[str, str], GeneIndex] = {}
_cache_lock = threading.Lock()


def gene_index(db: sqlite3.Connection, build: str) -> GeneIndex:
    """The gene model of `build` from the KB (GRCh37 or GRCh38), loaded once per KB file and build.

    The parsed index is also cached on disk (keyed by the gene model's checksum in the KB provenance), so a new
    process reads a few numpy arrays instead of parsing 20,000 transcripts.
    """
    try:
        kb_file = next((row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"), "") or str(id(db))
    except sqlite3.Error:
        kb_file = str(id(db))
    key = (kb_file, build)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            return found
        cache_file = _cache_file(db, build)
        if cache_file is not None and cache_file.is_file():
            try:
                index = kept_out_of_collections(GeneIndex.load(cache_file))
                _cache[key] = index
                return index
            except (OSError, ValueError, KeyError):
                cache_file.unlink(missing_ok=True)
        rows = db.execute(
            "SELECT symbol, chrom, strand, tx_start, tx_end, exon_starts, exon_ends FROM gene_models WHERE build = ?",
            (build,),
        ).fetchall()
        if not rows:
            raise RareTraceError(f"the knowledge base has no {build} gene model; rebuild it with `raretrace kb build`")
        rows = [tuple(r) for r in rows] + [
            (name, "MT", strand, start - 1, end, str(start - 1), str(end)) for name, start, end, strand in MITOCHONDRIAL_GENES
        ]
        index = GeneIndex(build, rows, coding_bounds(build))
        if cache_file is not None:
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)
                index.save(cache_file)
                _remove_other_formats(cache_file.parent)
            except OSError:
                pass  # a read-only home only costs the parse next time
        _cache[key] = kept_out_of_collections(index)
        return index


def _remove_other_formats(folder: Path) -> None:
    """Remove the gene indexes an earlier RareTrace cached in another format (about 8 MB each): no version reads
    them again after an upgrade. Indexes of this format for other gene models stay (another KB may use them)."""
    for old in folder.glob("gene-index-*.npz"):
        if f"-v{INDEX_FORMAT}-" not in old.name:
            old.unlink(missing_ok=True)


def _cache_file(db: sqlite3.Connection, build: str) -> Path | None:
    row = db.execute("SELECT value FROM provenance WHERE key = ?", (f"sha256:gene_model:{build}",)).fetchone()
    if not row or not row[0]:
        return None
    stamp = hashlib.sha256(row[0].encode())
    for name in ("gene_symbol_updates.tsv", CDS_FILE):
        path = resources_dir() / name
        stamp.update(path.read_bytes() if path.is_file() else b"")
    return data_dir() / "cache" / f"gene-index-{build}-v{INDEX_FORMAT}-{stamp.hexdigest()[:16]}.npz"


def coding_bounds(build: str) -> dict[tuple[str, str], tuple[int, int, bool, int]]:
    """(gene-model name, chromosome) -> coding bounds of its transcript in `build`, whether GENCODE has a start
    codon at the 5' one and the coding bases modulo 3 (not 0: the reference breaks the frame), from the bundled table (GENCODE 19 start and stop codon records; GRCh38 moved by transcript
    offset where the exon structure is the same). Empty if missing. Do not change the dict: it is shared."""
    return _coding_bounds_table().get(build, {})


def bundled_proteins() -> int:
    """How many gene-model symbols the bundled protein table covers (0 where it is missing)."""
    return len(_protein_table())


@functools.cache
def _protein_table() -> dict[str, tuple[str, str]]:
    """The bundled protein table, read once per process (empty where it is missing)."""
    path = resources_dir() / PROTEIN_FILE
    return read_proteins(path) if path.is_file() else {}


def read_proteins(path: Path) -> dict[str, tuple[str, str]]:
    """Gene-model symbol -> the UniProt accession and sequence of its protein (Swiss-Prot, fitted to the coding
    bounds), from a protein table (PROTEIN_FILE; the model scripts read the repository's)."""
    return _read_per_residue(path)


def _read_per_residue(path: Path) -> dict[str, tuple[str, str]]:
    """A table of gene-model symbol, UniProt accession and one character per residue (the protein's sequence, or
    its conservation codes): symbol -> (accession, characters)."""
    with gzip.open(path, "rt", encoding="ascii") as handle:
        return {symbol: (accession, text) for symbol, accession, text in (line.rstrip("\n").split("\t") for line in handle)}


class Conservation(NamedTuple):
    """How a residue's homologues keep it: `decile` 0-9 of the share with the same amino acid (9: at least 90%), -1
    where fewer than three homologues cover it; `many`: at least ten cover it (a residue kept by 3 of 3 says less
    than one kept by 40 of 40)."""

    decile: int
    many: bool


# The table's codes (models/build_conservation.py): a digit where ten or more homologues cover the residue, a letter
# a-j (decile 0-9) where three to nine do, "." where fewer do.
_CONSERVATION_CODES = {".": Conservation(-1, False)} | {str(d): Conservation(d, True) for d in range(10)} | {
    "abcdefghij"[d]: Conservation(d, False) for d in range(10)}


@functools.cache
def _conservation_table() -> dict[str, tuple[str, str]]:
    """Gene-model symbol -> the UniProt accession and per-residue conservation codes of its protein, read once per
    process (empty where the file is missing)."""
    path = resources_dir() / CONSERVATION_FILE
    return _read_per_residue(path) if path.is_file() else {}


def bundled_conservation() -> int:
    """How many proteins the bundled conservation table covers with at least one told residue."""
    return sum(any(c != "." for c in digits) for _accession, digits in _conservation_table().values())


@functools.cache
def _coding_bounds_table() -> dict[str, dict[tuple[str, str], tuple[int, int, bool, int]]]:
    """The bundled table of both builds, read once per process (both gene indexes and `kb info` use it)."""
    path = resources_dir() / CDS_FILE
    return read_coding_bounds(path) if path.is_file() else {}


def read_coding_bounds(path: Path) -> dict[str, dict[tuple[str, str], tuple[int, int, bool, int]]]:
    """Build -> (gene-model name, chromosome) -> the transcript's coding bounds, as `coding_bounds` gives them,
    from a coding-bounds table (CDS_FILE; models/build_ba1_exceptions.py reads the repository's)."""
    out: dict[str, dict[tuple[str, str], tuple[int, int, bool, int]]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 7 and not line.startswith(("#", "build\t")):
                out.setdefault(fields[0], {})[(fields[1], fields[2])] = (int(fields[3]), int(fields[4]), fields[5] == "1",
                                                                          int(fields[6]))
    return out
