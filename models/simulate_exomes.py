"""Simulated exomes for evaluating and tuning the gene ranking (see "How RareTrace is evaluated" in
../shared/data/README.md).

Background: the Pfeiffer exome (GRCh37, sample `manuel`) with its spiked record removed and every ID and INFO
blanked ('.'). For each dev phenopacket whose causal variants all have an hg38 vcfRecord, each variant is moved to
GRCh37 by its offset inside the same gene — only where the gene's exon structure (strand, transcript length, exon
offsets) is identical in the two builds' gene models — and written with genotype 0/1 or 1/1 from its allelic
state, ID and INFO '.', FILTER PASS and FORMAT GT. The phenopacket is copied without `interpretations`, `diseases`
and external references, with a `files` entry that declares the VCF as GRCh37 and maps the subject to `manuel`.
The answers (gene, disease, PMID, fold) go to truth.jsonl beside the cases, never into them.

    mkdir -p /tmp/pp && tar xzf ../shared/data/phenopackets-dev.tar.gz -C /tmp/pp   # --phenopackets' default
    python models/simulate_exomes.py --out /tmp/sim_exomes [--limit 300] [--fold 0] [--kb /tmp/kb.sqlite]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))

from raretrace.bench.runner import dev_data_dir  # noqa: E402
from raretrace.genomics.bgzf import BgzfWriter  # noqa: E402
from raretrace.genomics.gene_model import symbol_updates  # noqa: E402
from raretrace.kb import open_kb  # noqa: E402

SHARED = dev_data_dir()  # $RARETRACE_DEV_DATA, else ../shared/data, as `raretrace bench` finds it
GENOTYPES = {"GENO:0000135": "0/1", "GENO:0000136": "1/1", "GENO:0000134": "1/1"}  # het, hom, hemizygous
SAMPLE = "manuel"


def pmid_fold(pmid: str, folds: int = 5) -> int:
    """The lead's fixed publication folds (raretrace.bench.accuracy.pmid_fold)."""
    return int(hashlib.sha1(pmid.encode()).hexdigest(), 16) % folds


def read_background(path: Path) -> tuple[list[str], list[tuple[str, int, str]]]:
    """Header lines (SPIKED/DiseaseGene definitions dropped) and records as (chrom, pos, line) with ID/INFO '.'."""
    header: list[str] = []
    records: list[tuple[str, int, str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                if line.startswith(("##INFO=<ID=SPIKED,", "##INFO=<ID=DiseaseGene,")):
                    continue
                header.append(line)
                continue
            f = line.rstrip("\n").split("\t")
            info = f[7].split(";")
            if "SPIKED" in info:
                continue  # the demo's spiked FGFR2 record is not part of a background
            f[2] = "."
            f[7] = "."
            records.append((f[0], int(f[1]), "\t".join(f) + "\n"))
    return header, records


def gene_models(db) -> dict[str, dict[str, tuple]]:
    """build -> symbol (current HGNC where the model's name is a previous one) -> (chrom, strand, start, end, exons)."""
    updates = symbol_updates()
    out: dict[str, dict[str, tuple]] = {"GRCh37": {}, "GRCh38": {}}
    for build, symbol, chrom, strand, start, end, ex_s, ex_e in db.execute(
        "SELECT build, symbol, chrom, strand, tx_start, tx_end, exon_starts, exon_ends FROM gene_models"
    ):
        exons = tuple(zip((int(x) for x in ex_s.split(",")), (int(x) for x in ex_e.split(",")), strict=True))
        out[build][updates.get(symbol, symbol)] = (chrom, strand, start, end, exons)
    return out


def same_structure(a: tuple, b: tuple) -> bool:
    """Same strand, transcript length and exon offsets from the transcript start."""
    if a[1] != b[1] or a[3] - a[2] != b[3] - b[2] or len(a[4]) != len(b[4]):
        return False
    return all(s1 - a[2] == s2 - b[2] and e1 - a[2] == e2 - b[2] for (s1, e1), (s2, e2) in zip(a[4], b[4], strict=True))


def causal_variants(packet: dict) -> list[dict] | None:
    """The causal variants of a phenopacket, or None when any lacks an hg38 vcfRecord (e.g. a karyotype)."""
    found = []
    for interpretation in packet.get("interpretations") or []:
        for gi in (interpretation.get("diagnosis") or {}).get("genomicInterpretations") or []:
            vd = (gi.get("variantInterpretation") or {}).get("variationDescriptor") or {}
            record = vd.get("vcfRecord")
            if not record or str(record.get("genomeAssembly", "")).lower() not in ("hg38", "grch38"):
                return None
            found.append(
                {
                    "chrom": str(record["chrom"]).removeprefix("chr"),
                    "pos": int(record["pos"]),
                    "ref": record["ref"],
                    "alt": record["alt"],
                    "gene": (vd.get("geneContext") or {}).get("symbol", ""),
                    "genotype": GENOTYPES.get(((vd.get("allelicState") or {}).get("id") or ""), "0/1"),
                }
            )
    return found or None


def place(variant: dict, models: dict) -> tuple[str, int] | str:
    """GRCh37 (chrom, pos) of an hg38 variant by its offset in the same gene; a reason string when impossible."""
    gene = variant["gene"]
    g38, g37 = models["GRCh38"].get(gene), models["GRCh37"].get(gene)
    if g38 is None or g37 is None:
        return "gene not in both gene models"
    if g38[0] != variant["chrom"]:
        return "variant not on the gene's chromosome"
    if not g38[2] < variant["pos"] <= g38[3] - len(variant["ref"]) + 1:
        return "variant outside the gene's transcript"
    if not same_structure(g38, g37):
        return "exon structure differs between builds"
    return g37[0], variant["pos"] - g38[2] + g37[2]


def diagnosis(packet: dict) -> tuple[str, str]:
    for interpretation in packet.get("interpretations") or []:
        disease = (interpretation.get("diagnosis") or {}).get("disease") or {}
        if disease.get("id"):
            return disease["id"], disease.get("label", "")
    for disease in packet.get("diseases") or []:
        term = disease.get("term") or {}
        if term.get("id"):
            return term["id"], term.get("label", "")
    return "", ""


def pmid_of(packet: dict) -> str:
    for ref in (packet.get("metaData") or {}).get("externalReferences") or []:
        if str(ref.get("id", "")).startswith("PMID:"):
            return ref["id"]
    return ""


def stripped(packet: dict, vcf: Path) -> dict:
    out = {k: v for k, v in packet.items() if k not in ("interpretations", "diseases", "files")}
    meta = dict(out.get("metaData") or {})
    meta.pop("externalReferences", None)
    out["metaData"] = meta
    subject = dict(out.get("subject") or {})
    subject.setdefault("id", "proband")
    out["subject"] = subject
    out["files"] = [
        {
            "uri": vcf.resolve().as_uri(),
            "individualToFileIdentifiers": {subject["id"]: SAMPLE},
            "fileAttributes": {"genomeAssembly": "GRCh37", "fileFormat": "vcf"},
        }
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="output folder (outside the repository)")
    ap.add_argument("--phenopackets", type=Path, default=Path("/tmp/pp/phenopackets"))
    ap.add_argument("--background", type=Path, default=SHARED / "Pfeiffer.vcf.gz")
    ap.add_argument("--kb", type=Path, default=None)
    ap.add_argument("--limit", type=int, default=0, help="at most this many cases (random, seeded)")
    ap.add_argument("--fold", type=int, action="append", help="only publications of these folds (0-4)")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)

    out = args.out.resolve()
    if ROOT in out.parents or out == ROOT:
        ap.error("write simulated exomes outside the repository (e.g. /tmp/sim_exomes)")
    # A fresh machine has only the tarball: without this, an empty truth.jsonl reads as "no case could be placed".
    files = sorted(args.phenopackets.glob("*/*.json"))
    if not files:
        ap.error(f"no phenopackets under {args.phenopackets}/<cohort>/*.json: extract them first "
                 f"(mkdir -p /tmp/pp && tar xzf {SHARED / 'phenopackets-dev.tar.gz'} -C /tmp/pp)")
    out.mkdir(parents=True, exist_ok=True)
    db = open_kb(args.kb) if args.kb else open_kb()
    models = gene_models(db)
    header, background = read_background(args.background)
    contig_order = {}
    for line in header:
        if line.startswith("##contig=<ID="):
            contig_order[line[13:].split(",")[0]] = len(contig_order)

    random.Random(args.seed).shuffle(files)
    reasons: Counter[str] = Counter()
    written = 0
    with (out / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for path in files:
            if args.limit and written >= args.limit:
                break
            packet = json.loads(path.read_text(encoding="utf-8"))
            pmid = pmid_of(packet)
            fold = pmid_fold(pmid) if pmid else -1
            if args.fold and fold not in args.fold:
                continue
            variants = causal_variants(packet)
            if not variants:
                reasons["no hg38 vcfRecord for every causal variant"] += 1
                continue
            placed = [place(v, models) for v in variants]
            bad = [p for p in placed if isinstance(p, str)]
            if bad:
                reasons[bad[0]] += 1
                continue
            spiked = {}
            for v, (chrom, pos) in zip(variants, placed, strict=True):
                line = f"{chrom}\t{pos}\t.\t{v['ref']}\t{v['alt']}\t.\tPASS\t.\tGT\t{v['genotype']}\n"
                spiked[(chrom, pos)] = line
            records = [r for r in background if (r[0], r[1]) not in spiked]
            records += [(c, p, line) for (c, p), line in spiked.items()]
            records.sort(key=lambda r: (contig_order.get(r[0], 1 << 20), r[0], r[1]))
            stem = f"{path.parent.name}__{path.stem}"
            vcf = out / f"{stem}.vcf.gz"
            with BgzfWriter(vcf) as handle:
                handle.write("".join(header))
                handle.write("".join(r[2] for r in records))
            (out / f"{stem}.json").write_text(json.dumps(stripped(packet, vcf), indent=1), encoding="utf-8")
            disease_id, disease_label = diagnosis(packet)
            truth.write(
                json.dumps(
                    {"case": f"{stem}.json", "vcf": vcf.name, "genes": sorted({v["gene"] for v in variants}),
                     "disease": disease_id, "disease_label": disease_label, "pmid": pmid, "fold": fold,
                     "variants": [f"{c}:{p}" for c, p in placed]}  # fmt: skip
                )
                + "\n"
            )
            written += 1
    print(f"{written} simulated exomes in {out}; skipped: {dict(reasons)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
