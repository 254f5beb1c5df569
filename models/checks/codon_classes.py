"""The codon classes of coding SNVs (interpret.CODON_PRIOR): how often causal and background SNVs fall in each.

For the dev phenopackets' causal SNVs (placed on GRCh37 as models/simulate_exomes.py places them) and the Pfeiffer
exome's SNVs, both read against the bundled GRCh37 gene model and coding bounds:
- the codon position RareTrace computes, checked against each causal SNV's HGVS c. numbering (the phenopackets'
  MANE transcripts; a different gene-model transcript may number otherwise);
- the bundled protein (resources/proteins.tsv.gz) against each causal SNV's HGVS p.: the same amino acid at the same
  residue, and the class told from it against the published change;
- per class of `codons.coding_snv` (read against the bundled protein, else by codon position alone; or, with
  --by-change, per codon position and REF>ALT in the transcript's direction), the share of each publication fold's
  causal coding SNVs against the exome's, and their likelihood ratio (the priors are set from fold 1, the tuning
  fold).

    python models/checks/codon_classes.py --kb /tmp/kb.sqlite [--phenopackets /tmp/pp/phenopackets] [--by-change]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "app"))
sys.path.insert(0, str(ROOT / "models"))

import simulate_exomes  # noqa: E402

from raretrace.genomics import gene_model as gm  # noqa: E402
from raretrace.genomics.codons import _THREE_LETTER, _transcript_snv, coding_snv  # noqa: E402
from raretrace.kb import open_kb  # noqa: E402

HGVS_C = re.compile(r":c\.(\d+)[ACGT]>[ACGT]$")
HGVS_P = re.compile(r":p\.\(?([A-Z][a-z]{2})(\d+)([A-Z][a-z]{2}|Ter|=)\)?$")
ONE_LETTER = {three: one for one, three in _THREE_LETTER.items()}
CLASSES = {gm.PROTEIN_ALTERING: "protein altering", gm.LIKELY_PROTEIN_ALTERING: "first base C<>T, C<>A",
           gm.THIRD_BASE_TRANSVERSION: "third-base transversion", gm.LIKELY_SYNONYMOUS: "third-base A<>G",
           gm.SYNONYMOUS: "synonymous", gm.CODING: "third base, splice region", gm.MISSENSE: "missense (protein)",
           gm.STOP_GAINED: "stop gained (protein)", gm.STOP_OR_MISSENSE: "stop or missense (protein)",
           gm.MISSENSE_OR_SYNONYMOUS: "missense or synonymous"}  # fmt: skip


def causal_snvs(phenopackets: Path, models: dict) -> list[tuple[str, int, str, str, str, int, int | None, str]]:
    """(chrom, GRCh37 pos, ref, alt, gene, fold, c. number or None, HGVS p. or "") of every causal SNV that can be
    placed."""
    out = []
    for path in sorted(phenopackets.glob("*/*.json")):
        packet = json.loads(path.read_text(encoding="utf-8"))
        pmid = simulate_exomes.pmid_of(packet)
        fold = simulate_exomes.pmid_fold(pmid) if pmid else -1
        for interpretation in packet.get("interpretations") or []:
            for gi in (interpretation.get("diagnosis") or {}).get("genomicInterpretations") or []:
                vd = (gi.get("variantInterpretation") or {}).get("variationDescriptor") or {}
                rec = vd.get("vcfRecord") or {}
                if str(rec.get("genomeAssembly", "")).lower() not in ("hg38", "grch38"):
                    continue
                if len(rec.get("ref", "")) != 1 or len(rec.get("alt", "")) != 1:
                    continue
                variant = {"chrom": str(rec["chrom"]).removeprefix("chr"), "pos": int(rec["pos"]), "ref": rec["ref"],
                           "alt": rec["alt"], "gene": (vd.get("geneContext") or {}).get("symbol", "")}  # fmt: skip
                placed = simulate_exomes.place(variant, models)
                if isinstance(placed, str):
                    continue
                hgvs = next((e["value"] for e in vd.get("expressions") or [] if e.get("syntax") == "hgvs.c"), "")
                protein = next((e["value"] for e in vd.get("expressions") or [] if e.get("syntax") == "hgvs.p"), "")
                m = HGVS_C.search(hgvs)
                out.append((placed[0], placed[1], rec["ref"].upper(), rec["alt"].upper(), variant["gene"], fold,
                            int(m.group(1)) if m else None, protein))  # fmt: skip
    return out


def classify(index, records: list[tuple], by_change: bool = False) -> list[tuple[int, int, int, int, int | str]]:
    """Per coding SNV pair (record index, gene index, codon position, codon number, class read against the bundled
    protein; with by_change the position and the change in the transcript's direction instead, e.g. "base 1 C>T")."""
    code = np.array([index.code_of(gm.normalise_chrom(r[0])) for r in records], dtype=np.int64)
    start0 = np.array([r[1] - 1 for r in records], dtype=np.int64)
    regions = index.locate(code, start0, start0 + 1, np.zeros(len(records), dtype=bool))
    out, seen = [], set()
    for v, g, codon, residue, edge in zip(regions.variant.tolist(), regions.gene.tolist(), regions.codon.tolist(),
                                          regions.residue.tolist(), regions.exon_edge.tolist(), strict=True):  # fmt: skip
        symbol = index.symbols[g]
        wanted = records[v][4] if len(records[v]) > 4 else None
        if codon < 0 or (wanted and symbol != wanted) or v in seen:
            continue
        seen.add(v)
        plus = index.strand[g] > 0
        if by_change:
            change = _transcript_snv(records[v][2], records[v][3], plus) or "??"
            out.append((v, g, codon, residue, f"base {codon + 1} {change[0]}>{change[1]}"))
        else:
            amino_acid = index.amino_acid(g, residue)
            out.append((v, g, codon, residue, coding_snv(records[v][2], records[v][3], codon, plus, edge, amino_acid)))
    return out


def arguments(description: str) -> argparse.ArgumentParser:
    """The options both checks of coding SNVs take (this one and checks/conservation.py)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--kb", type=Path, required=True)
    ap.add_argument("--phenopackets", type=Path, default=Path("/tmp/pp/phenopackets"))
    ap.add_argument("--background", type=Path, default=simulate_exomes.SHARED / "Pfeiffer.vcf.gz")
    return ap


def snv_sets(args: argparse.Namespace) -> tuple[gm.GeneIndex, list[tuple], list[tuple]]:
    """The GRCh37 gene index, the causal SNVs (causal_snvs) and the background exome's SNVs (the spiked one aside)."""
    import cyvcf2

    db = open_kb(args.kb)
    causal = causal_snvs(args.phenopackets, simulate_exomes.gene_models(db))
    background = [(v.CHROM, v.POS, v.REF.upper(), v.ALT[0].upper()) for v in cyvcf2.VCF(str(args.background))
                  if len(v.REF) == 1 and len(v.ALT) == 1 and len(v.ALT[0]) == 1 and v.INFO.get("SPIKED") is None]  # fmt: skip
    return gm.gene_index(db, "GRCh37"), causal, background


def main(argv: list[str] | None = None) -> int:
    ap = arguments(__doc__.splitlines()[0])
    ap.add_argument("--by-change", action="store_true", help="one row per codon position and change, not per class")
    args = ap.parse_args(argv)
    index, causal, background = snv_sets(args)

    checked, agree = Counter(), Counter()
    for v, g, codon, residue, told in classify(index, causal):
        c_number = causal[v][6]
        if c_number is not None:
            checked["same codon position as HGVS c." if (c_number - 1) % 3 == codon else "differs"] += 1
        # The bundled protein against the SNV's HGVS p. (the phenopackets' MANE proteins): the same amino acid at the
        # same residue, and the class told from it against the published change.
        m = HGVS_P.search(causal[v][7])
        if not m:
            continue
        amino_acid = index.amino_acid(g, residue)
        if amino_acid is None:
            agree["no protein"] += 1
            continue
        same = ONE_LETTER.get(m.group(1)) == amino_acid and int(m.group(2)) == residue + 1
        agree["same residue and amino acid as HGVS p." if same else "differs"] += 1
        published = {"Ter": gm.STOP_GAINED, "=": gm.SYNONYMOUS}.get(m.group(3), gm.MISSENSE)
        agree[f"{CLASSES.get(published)}: told {CLASSES.get(told, told)}"] += 1
    print(f"{len(causal)} causal SNVs placed on GRCh37; against their HGVS: {dict(checked)}")
    print("bundled proteins against HGVS p.:", dict(sorted(agree.items())))

    bg = Counter(cls for *_, cls in classify(index, background, args.by_change))
    by_fold: dict[int, Counter] = defaultdict(Counter)
    for v, *_, cls in classify(index, causal, args.by_change):
        by_fold[causal[v][5]][cls] += 1
    folds = sorted(f for f in by_fold if f >= 0)
    n_bg = sum(bg.values())
    print(f"{'class':<26}{'exome':>8}" + "".join(f"{'fold ' + str(f) + ' (LR)':>18}" for f in folds))
    for cls in sorted(bg, key=str) if args.by_change else sorted(bg, key=lambda c: -bg[c]):
        row = f"{CLASSES.get(cls, str(cls)):<26}{bg[cls] / n_bg:>8.3f}"
        for f in folds:
            share = by_fold[f][cls] / max(1, sum(by_fold[f].values()))
            row += f"{share:>10.3f} ({share / (bg[cls] / n_bg):.2f})"
        print(row)
    print(f"exome: {n_bg} coding SNVs; causal coding SNVs per fold: {[sum(by_fold[f].values()) for f in folds]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
