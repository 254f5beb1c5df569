"""Build resources/case_library.tsv.gz from GA4GH phenopacket-store phenopackets (CC BY 4.0).

Each published case keeps only what ranking and evidence need: its ID, PMID, diagnosis, gene, allelic states and
present/excluded HPO terms. Usage:
    python models/build_case_library.py ../shared/data/phenopackets-dev.tar.gz resources/case_library.tsv.gz
"""

from __future__ import annotations

import gzip
import json
import sys
import tarfile
from pathlib import Path

COLUMNS = ("case_id", "pmid", "disease_id", "disease_label", "genes", "allelic_states", "sex", "present",
           "excluded", "cohort")


def case_row(data: dict, cohort: str) -> dict | None:
    interpretations = data.get("interpretations") or []
    diagnoses = [i.get("diagnosis") or {} for i in interpretations]
    diseases = [(d.get("disease") or {}) for d in diagnoses if d.get("disease")]
    if not diseases:
        return None
    genes, states = [], []
    for diagnosis in diagnoses:
        for gi in diagnosis.get("genomicInterpretations") or []:
            vi = gi.get("variantInterpretation") or {}
            vd = vi.get("variationDescriptor") or {}
            symbol = (vd.get("geneContext") or {}).get("symbol") or (gi.get("gene") or {}).get("symbol")
            if symbol and symbol not in genes:
                genes.append(symbol)
            state = (vd.get("allelicState") or {}).get("label")
            if state:
                states.append(state)
    refs = [r.get("id", "") for r in (data.get("metaData") or {}).get("externalReferences") or []]
    pmid = next((r for r in refs if r.startswith("PMID:")), "")
    feats = data.get("phenotypicFeatures") or []
    present = sorted({f["type"]["id"] for f in feats if not f.get("excluded")})
    excluded = sorted({f["type"]["id"] for f in feats if f.get("excluded")})
    return {
        "case_id": data.get("id", ""),
        "pmid": pmid,
        "disease_id": diseases[0].get("id", ""),
        "disease_label": diseases[0].get("label", ""),
        "genes": ",".join(genes),
        "allelic_states": ",".join(states),
        "sex": (data.get("subject") or {}).get("sex", ""),
        "present": ",".join(present),
        "excluded": ",".join(excluded),
        "cohort": cohort,
    }


def iter_phenopackets(source: Path):
    if source.is_dir():
        for path in sorted(source.rglob("*.json")):
            yield path.parent.name, json.loads(path.read_text(encoding="utf-8"))
        return
    with tarfile.open(source) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if member.isfile() and member.name.endswith(".json"):
                handle = tar.extractfile(member)
                if handle is not None:
                    yield Path(member.name).parent.name, json.load(handle)


def main(argv: list[str]) -> int:
    source, out = Path(argv[0]), Path(argv[1])
    rows = [r for cohort, data in iter_phenopackets(source) if (r := case_row(data, cohort))]
    with gzip.GzipFile(out, "wb", mtime=0) as raw, open_text(raw) as handle:
        handle.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            handle.write("\t".join(str(row[c]).replace("\t", " ") for c in COLUMNS) + "\n")
    print(f"{len(rows)} cases written to {out}")
    return 0


def open_text(raw):
    import io

    return io.TextIOWrapper(raw, encoding="utf-8", newline="\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
