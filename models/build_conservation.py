"""Build resources/conservation.tsv.gz: how conserved each residue of the bundled proteins is among their homologues.

A missense change of a residue that evolution keeps is far more often a published cause of disease than one of a
residue that homologous proteins vary (the idea behind SIFT): without a reference genome or an annotation, this is
the one in-silico line of evidence RareTrace can compute offline for an unannotated missense SNV.

Homologues: each bundled protein (resources/proteins.tsv.gz, Swiss-Prot canonical sequences of the gene models'
transcripts) searched with MMseqs2 against the whole of UniProtKB/Swiss-Prot 2014_01 as Debian's metastudent-data
ships it (all species; see models/build_proteins.py; CC BY 4.0), E-value <= 1e-5, up to 100 targets per protein. The
protein itself and its near-copies among the bundled human proteins (>= 99% identity: a duplicated gene) say nothing
of constraint and are left out; orthologues and paralogues of every species count alike, a near-identical orthologue
too (since 2026-12-07's fortieth session: SATB2, 99.5% identical to mouse Satb2 over its 733 residues, had only the
two SATB1 paralogues left, fewer than three homologues at every residue, so its published changes scored as at a
residue no homologue aligns to).

Per residue: of the homologues whose alignment covers it with a residue (not a gap), the fraction with the human
amino acid as a decile, floor(10 x fraction) capped at 9 (9: kept by at least 90%), written as a digit where at least
MANY_HOMOLOGUES cover it, as a letter a-j (decile 0-9) where MIN_HOMOLOGUES to MANY_HOMOLOGUES - 1 do, and "." where
fewer than MIN_HOMOLOGUES do (a residue kept by 3 of 3 homologues says less than one kept by 40 of 40). Rows:
gene-model symbol, UniProt accession, codes (one per residue of the bundled sequence). Deterministic bytes (integer
counts; hits are counted in any order).

    apt-get install mmseqs2 ncbi-blast+   # and metastudent-data as in models/build_proteins.py
    python models/build_conservation.py ms/usr/share/metastudent-data/dataset_201401 resources/conservation.tsv.gz

About 5 minutes on 2 cores (MMseqs2 sensitivity 2, 15,109 queries against 516,371 sequences). `--alignments F`
reads an alignment table made earlier by the same command (MMseqs2's convertalis with FORMAT below) instead.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "models"))
sys.path.insert(0, str(ROOT / "app"))

from build_proteins import swissprot  # noqa: E402

from raretrace.genomics.gene_model import read_proteins  # noqa: E402

PROTEINS = ROOT / "resources" / "proteins.tsv.gz"
MIN_HOMOLOGUES = 3
MANY_HOMOLOGUES = 10
MAX_IDENTITY = 99.0  # percent: a human protein this close is a copy of the gene, left out
FORMAT = "query,target,pident,qstart,qaln,taln"
AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY"


def search(proteins: dict[str, tuple[str, str]], dataset: Path, work: Path, sensitivity: float = 2.0) -> Path:
    """MMseqs2 alignments of every bundled protein against Swiss-Prot; returns the table's path."""
    with (work / "swissprot.fa").open("w") as out:
        for accession, sequence in sorted(swissprot(dataset).items()):
            out.write(f">{accession}\n{sequence}\n")
    with (work / "human.fa").open("w") as out:
        for symbol, (accession, sequence) in sorted(proteins.items()):
            out.write(f">{symbol}|{accession}\n{sequence}\n")

    def mmseqs(*args: str) -> None:
        subprocess.run(["mmseqs", *args], check=True, capture_output=True)

    mmseqs("createdb", str(work / "swissprot.fa"), str(work / "sp"))
    mmseqs("createdb", str(work / "human.fa"), str(work / "human"))
    mmseqs("search", str(work / "human"), str(work / "sp"), str(work / "res"), str(work / "tmp"), "--threads", "2",
           "-s", str(sensitivity), "-e", "1e-5", "--max-seqs", "100", "-a")  # fmt: skip
    table = work / "alignments.tsv"
    mmseqs("convertalis", str(work / "human"), str(work / "sp"), str(work / "res"), str(table), "--format-output", FORMAT)
    return table


def conservation(proteins: dict[str, tuple[str, str]], table: Path) -> dict[str, str]:
    """Symbol -> one code (a digit, a letter a-j or ".") per residue, from an alignment table of FORMAT."""
    lookup = np.full(256, -1, dtype=np.int16)
    for i, a in enumerate(AMINO_ACIDS):
        lookup[ord(a)] = i
    human = {accession for accession, _sequence in proteins.values()}
    same: dict[str, np.ndarray] = {}
    covered: dict[str, np.ndarray] = {}
    with table.open() as handle:
        for line in handle:
            query, target, identity, qstart, qaln, taln = line.rstrip("\n").split("\t")
            symbol, accession = query.split("|")
            if target == accession or (float(identity) >= MAX_IDENTITY and target in human):
                continue
            sequence = proteins[symbol][1]
            if symbol not in same:
                same[symbol] = np.zeros(len(sequence), dtype=np.int32)
                covered[symbol] = np.zeros(len(sequence), dtype=np.int32)
            q = np.frombuffer(qaln.encode(), dtype=np.uint8)
            t = np.frombuffer(taln.encode(), dtype=np.uint8)
            in_query = q != ord("-")
            residue = int(qstart) - 1 + np.cumsum(in_query) - 1
            aligned = in_query & (t != ord("-")) & (lookup[t] >= 0)
            np.add.at(covered[symbol], residue[aligned], 1)
            np.add.at(same[symbol], residue[aligned & (t == q)], 1)
    out = {}
    for symbol, (_accession, sequence) in proteins.items():
        if symbol not in same:
            out[symbol] = "." * len(sequence)
            continue
        n, k = covered[symbol], same[symbol]
        digit = np.minimum(9, (10 * k) // np.maximum(n, 1))
        out[symbol] = "".join("." if c < MIN_HOMOLOGUES else str(d) if c >= MANY_HOMOLOGUES else "abcdefghij"[d]
                              for c, d in zip(n.tolist(), digit.tolist(), strict=True))  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", type=Path, help="metastudent-data's dataset_201401 folder")
    ap.add_argument("out", type=Path)
    ap.add_argument("--alignments", type=Path, help="an alignment table made earlier (skips the search)")
    ap.add_argument("--sensitivity", type=float, default=2.0, help="MMseqs2's -s (the bundled table: 2)")
    args = ap.parse_args(argv)
    proteins = read_proteins(PROTEINS)
    with tempfile.TemporaryDirectory() as work:
        table = args.alignments or search(proteins, args.dataset, Path(work), args.sensitivity)
        codes = conservation(proteins, table)
    rows = [f"{symbol}\t{proteins[symbol][0]}\t{codes[symbol]}\n" for symbol in sorted(proteins)]
    with args.out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("".join(rows).encode())
    told = sum(c != "." for d in codes.values() for c in d)
    total = sum(len(d) for d in codes.values())
    kept = sum(c in "9j" for d in codes.values() for c in d)
    many = sum(c.isdigit() for d in codes.values() for c in d)
    print({"proteins": len(rows), "with homologues": sum(any(c != "." for c in d) for d in codes.values()),
           "residues": total, "told": told, f"told by >= {MANY_HOMOLOGUES}": many, "kept by >= 90%": kept})  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
