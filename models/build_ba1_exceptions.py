"""Build resources/ba1_exceptions.tsv: ClinGen SVI's BA1 exception list at GRCh37 and GRCh38 positions.

ClinGen's Sequence Variant Interpretation working group lists variants whose allele frequency is above BA1's 5% in
a continental population, yet which are pathogenic or of uncertain significance (Ghosh et al., Hum Mutat
2018;39:1525-1530, Table 2, as kept on clinicalgenome.org): BA1 (stand-alone benign) must not be applied to them.
The list names each by its HGVS c. change; no reference genome is bundled and the build has no network, so each is
placed on both builds by the bundled gene model (resources/gencode_grch*.txt.gz) and coding bounds
(resources/gencode_cds.tsv.gz), and checked against the bundled protein (resources/proteins.tsv.gz): the transcript
codes a protein as long as the UniProt one, which has the HGVS p. change's amino acid at its residue, and the
c. change's reference base is that base of a codon of that amino acid that the change turns into the new one.
An intronic change is placed only where its exonic anchor ends the exon in the gene model. A variant that cannot be
checked so (ACAD9 c.-44_-41dupTAAG: a duplication's VCF form needs the reference bases around it) is left out.

    python models/build_ba1_exceptions.py resources/ba1_exceptions.tsv
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
sys.path.insert(0, str(ROOT / "app"))
sys.path.insert(0, str(ROOT / "models"))

from build_gene_cds import MODELS, read_models  # noqa: E402

from raretrace.genomics.bundled import bundled_rows  # noqa: E402
from raretrace.genomics.gene_model import CDS_FILE, PROTEIN_FILE, read_coding_bounds, read_proteins  # noqa: E402
from raretrace.genomics.population import POPULATION_FILE  # noqa: E402

# (gene, HGVS c. on the gene's MANE/RefSeq transcript, HGVS p., dbSNP rsID or "")
LIST = [
    ("ACAD9", "c.-44_-41dupTAAG", "", ""),
    ("BTD", "c.1330G>C", "p.Asp444His", "rs13078881"),
    ("GJB2", "c.109G>A", "p.Val37Ile", "rs72474224"),
    ("GJB2", "c.-23+1G>A", "", "rs80338940"),
    ("HFE", "c.187C>G", "p.His63Asp", "rs1799945"),
    ("HFE", "c.845G>A", "p.Cys282Tyr", "rs1800562"),
    ("MEFV", "c.1105C>T", "p.Pro369Ser", "rs11466023"),
    ("MEFV", "c.1223G>A", "p.Arg408Gln", "rs11466024"),
    ("PIBF1", "c.1214G>A", "p.Arg405Gln", ""),
]
LEFT_OUT = {"ACAD9 c.-44_-41dupTAAG": "a duplication: its VCF form (left-aligned) needs the reference bases around "
                                      "it, which no bundled resource holds"}  # fmt: skip

CODONS = {
    "Ala": "GCT GCC GCA GCG", "Arg": "CGT CGC CGA CGG AGA AGG", "Asn": "AAT AAC", "Asp": "GAT GAC", "Cys": "TGT TGC",
    "Gln": "CAA CAG", "Glu": "GAA GAG", "Gly": "GGT GGC GGA GGG", "His": "CAT CAC", "Ile": "ATT ATC ATA",
    "Leu": "TTA TTG CTT CTC CTA CTG", "Lys": "AAA AAG", "Met": "ATG", "Phe": "TTT TTC", "Pro": "CCT CCC CCA CCG",
    "Ser": "TCT TCC TCA TCG AGT AGC", "Thr": "ACT ACC ACA ACG", "Trp": "TGG", "Tyr": "TAT TAC",
    "Val": "GTT GTC GTA GTG",
}  # fmt: skip
ONE_LETTER = {"Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E", "Gly": "G",
              "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F", "Pro": "P", "Ser": "S",
              "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V"}  # fmt: skip
COMPLEMENT = str.maketrans("ACGT", "TGCA")


@functools.cache
def gene_models(build: str) -> dict[tuple[str, str], tuple[str, list[tuple[int, int]]]]:
    return read_models(MODELS[build])


def read_model(build: str, gene: str) -> tuple[str, str, list[tuple[int, int]]]:
    found = next(((chrom, strand, exons) for (name, chrom), (strand, exons) in gene_models(build).items() if name == gene),
                 None)  # fmt: skip
    if found is None:
        raise SystemExit(f"{gene}: not in the {build} gene model")
    return found


@functools.cache
def coding_bounds() -> dict[str, dict[tuple[str, str], tuple[int, int, bool, int]]]:
    return read_coding_bounds(RESOURCES / CDS_FILE)


@functools.cache
def proteins() -> dict[str, tuple[str, str]]:
    return read_proteins(RESOURCES / PROTEIN_FILE)


def read_cds(build: str, gene: str, chrom: str) -> tuple[int, int]:
    bounds = coding_bounds().get(build, {}).get((gene, chrom))
    if bounds is None or bounds[3] != 0:  # none, or the reference breaks the frame: no codon to check
        raise SystemExit(f"{gene}: no {build} coding bounds")
    return bounds[0], bounds[1]


def read_protein(gene: str) -> str:
    if gene not in proteins():
        raise SystemExit(f"{gene}: no bundled protein")
    return proteins()[gene][1]


def place(build: str, gene: str, hgvs_c: str, hgvs_p: str) -> tuple[str, int, str, str]:
    """(chrom, 1-based position, REF, ALT on the plus strand) of a substitution, checked as the module says."""
    m = re.fullmatch(r"c\.(-?\d+)([+-]\d+)?([ACGT])>([ACGT])", hgvs_c)
    if not m:
        raise SystemExit(f"{gene} {hgvs_c}: only substitutions are placed")
    number, offset, ref, alt = int(m.group(1)), int(m.group(2) or 0), m.group(3), m.group(4)
    chrom, strand, exons = read_model(build, gene)
    cds_start, cds_end = read_cds(build, gene, chrom)
    bases = [p for a, b in exons for p in range(a, b)]  # 0-based, transcript order
    if strand == "-":
        bases.reverse()
    first = bases.index(cds_start if strand == "+" else cds_end - 1)  # c.1
    coding = sum(cds_start <= p < cds_end for p in bases)
    protein = read_protein(gene)
    if coding != 3 * (len(protein) + 1):
        raise SystemExit(f"{gene} {build}: {coding} coding bases, not the UniProt protein's {len(protein)} + stop")
    index = first + number - (1 if number > 0 else 0)
    anchor = bases[index]
    step = 1 if strand == "+" else -1
    if offset:
        # the anchor must end its exon on the side of the offset (c.-23+1: the first base of the next intron)
        beyond = anchor + step * (1 if offset > 0 else -1)
        if any(a <= beyond < b for a, b in exons):
            raise SystemExit(f"{gene} {hgvs_c} {build}: c.{number} does not end an exon in the gene model")
        pos0 = anchor + step * offset
    else:
        pos0 = anchor
        if not hgvs_p:
            raise SystemExit(f"{gene} {hgvs_c}: a coding change is checked by its protein change")
    if hgvs_p:
        p = re.fullmatch(r"p\.([A-Z][a-z]{2})(\d+)([A-Z][a-z]{2})", hgvs_p)
        if not p or (number - 1) // 3 + 1 != int(p.group(2)):
            raise SystemExit(f"{gene} {hgvs_c} {hgvs_p}: the protein change is not the c. change's codon")
        if protein[int(p.group(2)) - 1] != ONE_LETTER[p.group(1)]:
            raise SystemExit(f"{gene} {hgvs_p}: UniProt has {protein[int(p.group(2)) - 1]} there")
        at = (number - 1) % 3
        fits = [c for c in CODONS[p.group(1)].split() if c[at] == ref]
        # some codon of the amino acid with that base turns into one of the new amino acid (GTG>ATG is Met, not Ile)
        if not any(c[:at] + alt + c[at + 1:] in CODONS[p.group(3)].split() for c in fits):
            raise SystemExit(f"{gene} {hgvs_c}: {ref}>{alt} at codon base {at + 1} does not give {hgvs_p}")
    if strand == "-":
        ref, alt = ref.translate(COMPLEMENT), alt.translate(COMPLEMENT)
    return chrom, pos0 + 1, ref, alt


def in_1000_genomes() -> set[tuple[str, str, int, str, str]]:
    """The bundled 1000 Genomes sites (build, chrom, pos, ref, alt): an independent check of REF/ALT where listed."""
    return {(r["build"], r["chrom"], int(r["pos"]), r["ref"], r["alt"]) for r in bundled_rows(RESOURCES / POPULATION_FILE)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    out = parser.parse_args().out
    left_out = "; ".join(f"{name} ({why})" for name, why in LEFT_OUT.items())
    lines = [
        "# ClinGen SVI BA1 exception list: common variants BA1 (stand-alone benign) must not be applied to. Source: "
        "Ghosh R et al., Hum Mutat 2018;39:1525-1530 (Table 2) and ClinGen SVI's list (clinicalgenome.org); variant "
        "names are facts, cite the paper.",
        "# Positions derived offline by models/build_ba1_exceptions.py from the bundled gene model, coding bounds and "
        "UniProt proteins (each checked: the residue's amino acid and the codon base the change needs; an intronic "
        "change by its exon end); 1-based, plus-strand REF/ALT.",
        f"# Left out: {left_out}.",
        "\t".join(["gene", "hgvs_c", "hgvs_p", "rsid", "build", "chrom", "pos", "ref", "alt"]),
    ]
    sites, seen = in_1000_genomes(), []
    for gene, hgvs_c, hgvs_p, rsid in LIST:
        if f"{gene} {hgvs_c}" in LEFT_OUT:
            continue
        for build in ("GRCh37", "GRCh38"):
            chrom, pos, ref, alt = place(build, gene, hgvs_c, hgvs_p)
            lines.append("\t".join([gene, hgvs_c, hgvs_p, rsid, build, chrom, str(pos), ref, alt]))
            if (build, chrom, pos, ref, alt) in sites and f"{gene} {hgvs_c}" not in seen:
                seen.append(f"{gene} {hgvs_c}")
    lines.insert(2, f"# Cross-checks: the bundled 1000 Genomes sites have these REF/ALT at these positions in both builds for "
                    f"{', '.join(seen)}; dbSNP's positions of rs1800562, rs1799945 and rs72474224 agree. GJB2 c.-23+1's "
                    "REF (the G of the intron's GT) is the donor consensus, not in the bundled data.")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{out}: {len(lines) - 5} rows")


if __name__ == "__main__":
    main()
