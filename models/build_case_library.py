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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from raretrace.library import LIBRARY_COLUMNS as COLUMNS  # noqa: E402
from raretrace.library import library_row_from_phenopacket  # noqa: E402


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
    rows = [r for cohort, data in iter_phenopackets(source) if (r := library_row_from_phenopacket(data, cohort))]
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
