"""Build resources/proteins.tsv.gz: the protein each bundled gene-model transcript encodes, where it is known.

Without a reference genome an unannotated coding SNV is told only by its codon position and bases
(codons._codon_change): missense cannot be told from nonsense, nor many third-base changes from synonymous ones. The
amino acid at the codon decides most of them: the codons of that amino acid that carry the variant's REF base at its
position are few, and what they become with ALT is, for most, one answer (stop, the same amino acid, or another).

Sources reachable offline here (Debian bookworm packages):
- `metastudent-data` 2.0.1-8: BLAST protein databases of UniProtKB/Swiss-Prot entries with GO annotation, release
  2014_01, all species (`usr/share/metastudent-data/dataset_201401/{MFO,BPO,CCO}/goasp.fasta.*`; titles are
  `ACCESSION|GO:...`). UniProt data: CC BY 4.0 (The UniProt Consortium). Read with `blastdbcmd` (Debian ncbi-blast+).
- `r-bioc-org.hs.eg.db` 3.16.0-1: Bioconductor's human gene database (NCBI Gene, September 2022; Artistic-2.0),
  whose `uniprot`, `gene_info` and `alias` tables say which accessions are human and their gene symbols.

A Swiss-Prot sequence is the canonical isoform, which need not be the gene model's transcript. It is kept for a
gene-model symbol only where its length is the transcript's coding length in codons less the stop codon and it
begins with methionine, for both builds' coding bounds (resources/gencode_cds.tsv.gz); at run time a codon whose
REF base no codon of the amino acid has is read as before (gene_model.GeneIndex.residues, codons._amino_acid_change).

    apt-get download metastudent-data r-bioc-org.hs.eg.db && apt-get install ncbi-blast+
    dpkg -x metastudent-data_2.0.1-8_all.deb ms && dpkg -x r-bioc-org.hs.eg.db_3.16.0-1_all.deb org
    python models/build_proteins.py --kb KB ms/usr/share/metastudent-data/dataset_201401 \
        org/usr/lib/R/site-library/org.Hs.eg.db/extdata/org.Hs.eg.sqlite resources/proteins.tsv.gz

Output rows: gene-model symbol (as the gene index names it), UniProt accession, sequence. Deterministic bytes.
"""

from __future__ import annotations

import argparse
import gzip
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))


def swissprot(dataset: Path) -> dict[str, str]:
    """Accession -> sequence, from the three GO-aspect databases (an entry may be in several)."""
    out: dict[str, str] = {}
    for aspect in ("MFO", "BPO", "CCO"):
        dump = subprocess.run(["blastdbcmd", "-db", str(dataset / aspect / "goasp.fasta"), "-entry", "all",
                               "-outfmt", "%t\t%s"], check=True, capture_output=True, text=True).stdout  # fmt: skip
        for line in dump.splitlines():
            title, sequence = line.split("\t")
            out.setdefault(title.split("|")[0], sequence)
    return out


def human_symbols(orgdb: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Accession -> official symbol of its human gene; alias -> the official symbols it names."""
    db = sqlite3.connect(orgdb)
    symbol = dict(db.execute("SELECT _id, symbol FROM gene_info"))
    accessions: dict[str, set[str]] = {}
    for gene, accession in db.execute("SELECT _id, uniprot_id FROM uniprot"):
        accessions.setdefault(accession, set()).add(symbol[gene])
    aliases: dict[str, set[str]] = {}
    for gene, alias in db.execute("SELECT _id, alias_symbol FROM alias"):
        aliases.setdefault(alias, set()).add(symbol[gene])
    unique = {a: next(iter(s)) for a, s in accessions.items() if len(s) == 1}
    return unique, aliases


def main(argv: list[str] | None = None) -> int:
    from raretrace.genomics.gene_model import gene_index
    from raretrace.kb import open_kb

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=Path, required=True, help="a RareTrace knowledge base (for the gene models)")
    ap.add_argument("dataset", type=Path, help="metastudent-data's dataset_201401 folder")
    ap.add_argument("orgdb", type=Path, help="org.Hs.eg.db's org.Hs.eg.sqlite")
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)

    sequences = swissprot(args.dataset)
    symbol_of, aliases = human_symbols(args.orgdb)
    by_symbol: dict[str, list[tuple[str, str]]] = {}
    for accession, symbol in symbol_of.items():
        if accession in sequences:
            by_symbol.setdefault(symbol, []).append((accession, sequences[accession]))

    db = open_kb(args.kb)
    indexes = [gene_index(db, build) for build in ("GRCh37", "GRCh38")]
    lengths: dict[str, set[int]] = {}  # symbol -> residues its transcripts' coding bounds hold, over both builds
    for index in indexes:
        total = index._coding_bases_total
        for g, symbol in enumerate(index.symbols):
            if index.cds_start[g] >= 0 and index.cds_frame[g] == 0:
                lengths.setdefault(symbol, set()).add(int(total[g]) // 3 - 1)
    rows, counts = [], {"coding genes": len(lengths), "fits": 0, "by alias": 0}
    for symbol in sorted(lengths):
        candidates = by_symbol.get(symbol)
        if not candidates:  # the gene model's symbol may be an alias of the 2022 one
            names = aliases.get(symbol, set())
            candidates = [c for name in sorted(names) for c in by_symbol.get(name, ())] if len(names) == 1 else []
        fitting = sorted({(a, s) for a, s in candidates if s.startswith("M") and {len(s)} == lengths[symbol]})
        if len(fitting) == 1:
            rows.append(f"{symbol}\t{fitting[0][0]}\t{fitting[0][1]}\n")
            counts["fits"] += 1
            counts["by alias"] += symbol not in by_symbol
    with args.out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("".join(rows).encode())
    print(counts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
