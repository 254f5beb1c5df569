"""Build resources/published_variants.tsv.gz: causal variants of published cases (GA4GH phenopacket-store, CC BY 4.0).

RareTrace uses it like a ClinVar lookup without network: a patient's variant identical to one reported causal in a
publication is labelled (PP5-like, with the PMIDs) and scored as pathogenic. Each row keeps the hg38 record as
published and, where the gene's exon structure is identical in both builds' gene models, its GRCh37 position by
the offset inside the gene (the same mapping as models/simulate_exomes.py).

    python models/build_published_variants.py ../shared/data/phenopackets-dev.tar.gz resources/published_variants.tsv.gz --kb KB
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "app"))
sys.path.insert(0, str(ROOT / "models"))

from simulate_exomes import gene_models, same_structure  # noqa: E402

from raretrace.kb import open_kb  # noqa: E402

COLUMNS = ("pmid", "gene", "disease_id", "allelic_state", "chrom38", "pos38", "ref", "alt", "chrom37", "pos37")


def packets(source: Path):
    if source.is_dir():
        for path in sorted(source.glob("*/*.json")):
            yield json.loads(path.read_text(encoding="utf-8"))
        return
    with tarfile.open(source) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".json"):
                yield json.loads(tar.extractfile(member).read().decode("utf-8"))


def rows(packet: dict, models: dict) -> list[dict]:
    refs = [r.get("id", "") for r in (packet.get("metaData") or {}).get("externalReferences") or []]
    pmid = next((r for r in refs if r.startswith("PMID:")), "")
    if not pmid:
        return []
    out = []
    for interpretation in packet.get("interpretations") or []:
        diagnosis = interpretation.get("diagnosis") or {}
        disease = (diagnosis.get("disease") or {}).get("id", "")
        for gi in diagnosis.get("genomicInterpretations") or []:
            if gi.get("interpretationStatus") not in (None, "CAUSATIVE", "CONTRIBUTORY"):
                continue
            vd = (gi.get("variantInterpretation") or {}).get("variationDescriptor") or {}
            record = vd.get("vcfRecord") or {}
            if str(record.get("genomeAssembly", "")).lower() not in ("hg38", "grch38") or not record.get("pos"):
                continue
            gene = (vd.get("geneContext") or {}).get("symbol", "")
            chrom, pos = str(record["chrom"]).removeprefix("chr"), int(record["pos"])
            chrom37 = pos37 = ""
            g38, g37 = models["GRCh38"].get(gene), models["GRCh37"].get(gene)
            if chrom in ("M", "MT"):  # GRCh37's MT is the rCRS, as GRCh38's chrM: the same positions
                chrom37, pos37 = "MT", str(pos)
            elif g38 and g37 and g38[0] == chrom and g38[2] < pos <= g38[3] and same_structure(g38, g37):
                chrom37, pos37 = g37[0], str(pos - g38[2] + g37[2])
            out.append({"pmid": pmid, "gene": gene, "disease_id": disease,
                        "allelic_state": (vd.get("allelicState") or {}).get("label", ""), "chrom38": chrom,
                        "pos38": str(pos), "ref": record["ref"], "alt": record["alt"], "chrom37": chrom37,
                        "pos37": pos37})  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="phenopackets-dev.tar.gz or a folder of <cohort>/<case>.json")
    ap.add_argument("out", type=Path)
    ap.add_argument("--kb", type=Path, default=None)
    args = ap.parse_args(argv)
    models = gene_models(open_kb(args.kb) if args.kb else open_kb())
    seen = set()
    table = []
    for packet in packets(args.source):
        for row in rows(packet, models):
            key = tuple(row[c] for c in ("pmid", "chrom38", "pos38", "ref", "alt"))
            if key not in seen:
                seen.add(key)
                table.append(row)
    table.sort(key=lambda r: (r["chrom38"], int(r["pos38"]), r["ref"], r["alt"], r["pmid"]))
    # no file name or time in the gzip header: the same data gives the same bytes (make models is reproducible)
    with (open(args.out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz,
          io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as handle):
        handle.write("# Causal variants of published cases: GA4GH phenopacket-store (CC BY 4.0), cite each PMID.\n")
        handle.write("\t".join(COLUMNS) + "\n")
        for row in table:
            handle.write("\t".join(row[c] for c in COLUMNS) + "\n")
    print(f"{len(table)} published variants from {len({r['pmid'] for r in table})} publications -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
