"""A corpus of malformed inputs for every entry point, written by the tests themselves (nothing downloaded).

Each `Malformed` writes its files into a folder and returns the `raretrace` arguments that feed them in. `fatal`
says what a user must see: True -> exit status 2 and one `error:` line; False -> exit 0 with counted warnings
(`warning:` lines) or a plain answer; None -> either, as long as it is one of those two (the reader may accept the
file with a warning or refuse it).
"""

from __future__ import annotations

import gzip
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HEADER_37 = (
    "##fileformat=VCFv4.2\n"
    "##reference=GRCh37\n"
    "##contig=<ID=1,length=249250621>\n"
    "##contig=<ID=10,length=135534747>\n"
    "##contig=<ID=X,length=155270560>\n"
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
)
# FGFR2 in GRCh37 (the gene of the Pfeiffer syndrome example): a real gene, so the variant step has work to do.
RECORDS = "10\t123256215\t.\tT\tG\t50\tPASS\t.\tGT\t0/1\n1\t1000000\t.\tA\tC\t50\tPASS\t.\tGT\t1/1\n"


def vcf_text(sample: str = "PATIENT", header: str = HEADER_37, records: str = RECORDS) -> str:
    return header + f"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t{sample}\n" + records


def phenopacket(**overrides) -> dict:
    packet = {
        "id": "malformed-test",
        "subject": {"id": "PATIENT", "sex": "FEMALE", "timeAtLastEncounter": {"age": {"iso8601duration": "P3Y"}}},
        "phenotypicFeatures": [
            {"type": {"id": "HP:0001156", "label": "Brachydactyly"}},
            {"type": {"id": "HP:0001363", "label": "Craniosynostosis"}},
            {"type": {"id": "HP:0011304", "label": "Broad thumb"}},
            {"type": {"id": "HP:0001250", "label": "Seizure"}, "excluded": True},
        ],
        "metaData": {"createdBy": "test", "phenopacketSchemaVersion": "2.0"},
    }
    packet.update(overrides)
    return packet


@dataclass(frozen=True)
class Malformed:
    kind: str
    entry: str  # phenopacket | vcf | ped | text | hpo | store
    make: Callable[[Path], list[str]]  # writes the files, returns the CLI arguments
    fatal: bool | None = True
    needs: str | None = None  # the CLI command that must exist (built by another area)
    warns: bool = False  # a non-fatal input must give at least one counted `warning:`
    said: str = ""  # what the one `error:` line must say, where a wrong reason was given before


# -- phenopacket JSON


def _bytes(content: bytes, name: str = "case.json") -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return write


def _json(data, name: str = "case.json") -> Callable[[Path], Path]:
    return _bytes(json.dumps(data).encode(), name)


def _features(*features) -> dict:
    return phenopacket(phenotypicFeatures=list(features))


def _huge_file(folder: Path) -> Path:
    path = folder / "huge.json"
    with path.open("wb") as handle:  # sparse: 60 MB on paper, nothing on disk
        handle.truncate(60 * 1024 * 1024)
    return path


def _deep(folder: Path) -> Path:
    path = folder / "deep.json"
    path.write_text('{"id": "x", "subject": ' + "[" * 200_000 + "]" * 200_000 + "}")
    return path


def _dir(folder: Path) -> Path:
    path = folder / "a-folder"
    path.mkdir()
    return path


def _link_loop(folder: Path) -> Path:
    (folder / "loop.vcf").symlink_to("loop.vcf")
    return _json(phenopacket(files=[{"uri": "loop.vcf"}]))(folder)


PHENOPACKET_FILES: dict[str, tuple[Callable[[Path], Path], bool | None, bool]] = {
    # kind: (writer, fatal, warns)
    "empty file": (_bytes(b""), True, False),
    "only whitespace": (_bytes(b"  \n\t\n"), True, False),
    "not JSON (prose)": (_bytes(b"Patient has seizures and short stature.\n"), True, False),
    "binary garbage": (_bytes(random.Random(1).randbytes(4096)), True, False),
    "UTF-16 text": (_bytes(json.dumps(phenopacket()).encode("utf-16")), True, False),
    "invalid UTF-8 inside a string": (_bytes(b'{"id": "caf\xe9", "phenotypicFeatures": []}'), True, False),
    "truncated JSON": (_bytes(json.dumps(phenopacket()).encode()[:150]), True, False),
    "top level is a list": (_json([phenopacket()]), True, False),
    "top level is a number": (_json(42), True, False),
    "object that is no phenopacket": (_json({"name": "Jane", "diagnosis": "?"}), True, False),
    "phenotypicFeatures is an object": (_json(phenopacket(phenotypicFeatures={"type": "HP:0001250"})), True, False),
    "feature without type": (_json(_features({"excluded": True})), True, False),
    "feature type id is a number": (_json(_features({"type": {"id": 1250}})), True, False),
    "excluded is a string": (_json(_features({"type": {"id": "HP:0001250"}, "excluded": "false"})), True, False),
    "wrong sex value": (_json(phenopacket(subject={"id": "P", "sex": "F"})), True, False),
    "subject is a list": (_json(phenopacket(subject=["P"])), True, False),
    "id is NaN": (_bytes(b'{"id": NaN, "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}]}'), True, False),
    "huge integer": (_bytes(b'{"id": "x", "subject": {"id": ' + b"9" * 5000 + b"}}"), True, False),
    "huge float in a measurement": (
        _bytes(json.dumps(phenopacket(measurements=[{"assay": {"id": "LOINC:1"}, "value": {"quantity": {
            "unit": {"id": "UCUM:cm"}, "value": 1e308}}}])).replace("1e+308", "1e999").encode()), True, False),
    "nesting 200,000 deep": (_deep, True, False),
    "file larger than 50 MB": (_huge_file, True, False),
    "a folder instead of a file": (_dir, True, False),
    "file URI on the network": (_json(phenopacket(files=[{"uri": "https://example.org/p.vcf.gz",
                                                          "fileAttributes": {"genomeAssembly": "GRCh38"}}])), True, False),
    # a relative path written as a URI names a computer "p.vcf" (it was read as the folder, and ranked without it);
    # a network share's computer was dropped from the path
    "file URI naming a computer (file://p.vcf)": (_json(phenopacket(files=[{"uri": "file://p.vcf", "fileAttributes": {
        "genomeAssembly": "GRCh37"}}])), True, False),
    "file URI of a network share": (_json(phenopacket(files=[{"uri": "file://server/share/p.vcf", "fileAttributes": {
        "genomeAssembly": "GRCh37"}}])), True, False),
    "unknown genome build": (_json(phenopacket(files=[{"uri": "p.vcf", "fileAttributes": {"genomeAssembly": "hg17"}}])),
                             True, False),
    "unknown HPO IDs": (_json(_features({"type": {"id": "HP:9999999"}}, {"type": {"id": "HP:0001156"}},
                                        {"type": {"id": "seizures"}})), False, True),
    "missing ids": (_json({"phenotypicFeatures": [{"type": {"id": "HP:0001156"}}]}), False, True),
    "unknown extra field": (_json(phenopacket(ward="7B")), False, True),
    "age that is no duration": (_json(phenopacket(subject={"id": "P", "timeAtLastEncounter": {
        "age": {"iso8601duration": "eight years"}}})), True, False),
    "onset age that is no duration": (_json(_features({"type": {"id": "HP:0001250"},
                                                        "onset": {"age": {"iso8601duration": "2 years"}}})), True, False),
    # a string where the schema has an object: protobuf's reader walks its characters as unknown field names
    "onset age written as a string": (_json(_features({"type": {"id": "HP:0001250"}, "onset": {"age": "P2Y"}})),
                                      True, False),
    "onset written as a string": (_json(_features({"type": {"id": "HP:0001250"}, "onset": "P2Y"})), True, False),
    "onset class written as a string": (_json(_features({"type": {"id": "HP:0001250"},
                                                          "onset": {"ontologyClass": "HP:0003577"}})), True, False),
    "age at last encounter written as a string": (_json(phenopacket(subject={"id": "P", "timeAtLastEncounter": {
        "age": "P8Y"}})), True, False),
    "vital status written as a string": (_json(phenopacket(subject={"id": "P", "vitalStatus": "ALIVE"})), True, False),
    # what a file quotes into a message: one line still, and of a sane length (a case ID of a megabyte was quoted whole)
    "case ID with a line break and a terminal escape": (_json(phenopacket(id="case\n1\x1b[2J\u2028x", phenotypicFeatures=[
        {"type": {"id": "HP:9999999"}}])), None, False),
    "case ID of a megabyte": (_json(phenopacket(id="x" * 1_000_000, phenotypicFeatures=[
        {"type": {"id": "HP:9999999"}}])), None, False),
    "file name with a line break": (_bytes(b"", "case\nerror: not mine.json"), True, False),
    # a collaborator's files entries: a path no file can have, a link that points at itself
    "file URI with a NUL byte": (_json(phenopacket(files=[{"uri": "file:///tmp/notes%00.txt"}])), None, False),
    "file path with a NUL byte": (_json(phenopacket(files=[{"uri": "notes\u0000.txt"}])), None, False),
    "file URI that is a symlink loop": (_link_loop, None, False),
}


# Kinds that `case import` takes with a warning although analysing them is an error: a VCF on the network is kept
# with the case (and exported again), but cannot be read.
IMPORTED_WITH_A_WARNING = {"file URI on the network", "file URI naming a computer (file://p.vcf)",
                           "file URI of a network share"}


def _phenopacket_cases() -> list[Malformed]:
    out = []
    for kind, (writer, fatal, warns) in PHENOPACKET_FILES.items():
        kept = kind in IMPORTED_WITH_A_WARNING
        out.append(Malformed(kind, "phenopacket", lambda f, w=writer: ["case", "import", str(w(f))],
                             False if kept else fatal, warns=warns or kept))
        # The same files through the analysis (unknown extra fields are tolerated there without a warning).
        out.append(Malformed(f"{kind} (analyze)", "phenopacket",
                             lambda f, w=writer: ["analyze", str(w(f)), "--device", "cpu", "--top", "3"],
                             fatal, needs="analyze", warns=warns and kind == "unknown HPO IDs"))
    return out


# -- VCF (through `raretrace analyze CASE --vcf FILE`)


def _case(folder: Path) -> str:
    path = folder / "case.json"
    path.write_text(json.dumps(phenopacket()))
    return str(path)


def _vcf_run(write: Callable[[Path], Path], *extra: str) -> Callable[[Path], list[str]]:
    return lambda f: ["analyze", _case(f), "--vcf", str(write(f)), "--device", "cpu", "--top", "3", *extra]


def _truncated_gzip(folder: Path) -> Path:
    path = folder / "p.vcf.gz"
    data = gzip.compress(vcf_text().encode())
    path.write_bytes(data[: len(data) // 2])
    return path


def _bcf_named_vcf(folder: Path) -> Path:
    from cyvcf2 import VCF, Writer

    source = folder / "source.vcf"
    source.write_text(vcf_text())
    path = folder / "really-a-bcf.vcf"
    reader = VCF(str(source))
    writer = Writer(str(path), reader, mode="wb")
    for record in reader:
        writer.write_record(record)
    writer.close()
    reader.close()
    return path


def _vcf(text: str | bytes, name: str = "p.vcf") -> Callable[[Path], Path]:
    return _bytes(text.encode() if isinstance(text, str) else text, name)


def _vcf_cases() -> list[Malformed]:
    no_gt = vcf_text().replace("\tFORMAT\tPATIENT", "").replace("\tGT\t0/1", "").replace("\tGT\t1/1", "")
    no_gt = no_gt.replace('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n', "")
    cases = [
        ("empty VCF", _vcf(""), [], True),
        ("VCF without header", _vcf(RECORDS), [], True),
        ("VCF of garbage bytes", _vcf(random.Random(2).randbytes(2048)), [], True),
        ("truncated gzip VCF", _truncated_gzip, [], True),
        ("BCF named .vcf", _bcf_named_vcf, [], None),
        ("VCF without genotypes", _vcf(no_gt), [], True),
        ("VCF sample not in the file", _vcf(vcf_text()), ["--sample", "NOBODY"], True),
        ("VCF declared on the wrong build", _vcf(vcf_text()), ["--assembly", "GRCh38"], True),
        ("VCF build that does not exist", _vcf(vcf_text()), ["--assembly", "hg17"], True),
        ("VCF record with a broken line", _vcf(vcf_text(records=RECORDS + "10\tnot-a-position\n")), [], False),
        ("VCF given as a gzip of nothing", _vcf(gzip.compress(b""), "p.vcf.gz"), [], True),
        ("VCF saved with a byte-order mark", _vcf(b"\xef\xbb\xbf" + vcf_text().encode()), [], True),
        ("VCF naming a sample twice", _vcf(vcf_text().replace("\tPATIENT", "\tPATIENT\tPATIENT")), [], True),
    ]
    # a non-fatal VCF problem is a counted warning
    return [Malformed(k, "vcf", _vcf_run(w, *extra), fatal, needs="analyze", warns=fatal is False)
            for k, w, extra, fatal in cases]


# -- PED (a trio analysis needs a VCF; the PED is the broken part)


def _ped_run(content: bytes) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        vcf = folder / "trio.vcf"
        vcf.write_text(vcf_text())
        ped = folder / "family.ped"
        ped.write_bytes(content)
        return ["analyze", _case(folder), "--vcf", str(vcf), "--ped", str(ped), "--device", "cpu", "--top", "3"]

    return make


def _ped_cases() -> list[Malformed]:
    cases = [
        ("PED too few columns", b"FAM PATIENT 0 0\n", True),
        ("PED binary garbage", random.Random(3).randbytes(1024), True),
        ("PED individual twice", b"FAM PATIENT 0 0 2 2\nFAM PATIENT 0 0 2 2\n", True),
        ("PED empty", b"", None),
        ("PED proband absent from the VCF", b"FAM CHILD DAD MUM 2 2\nFAM DAD 0 0 1 1\nFAM MUM 0 0 2 1\n", None),
    ]
    return [Malformed(k, "ped", _ped_run(c), fatal, needs="analyze") for k, c, fatal in cases]


# -- free text (`raretrace extract FILE`)


def _text_cases() -> list[Malformed]:
    cases = [
        ("text file that is binary", _bytes(random.Random(4).randbytes(4096), "note.txt"),
         True),
        ("text file that is empty", _bytes(b"", "note.txt"), None),
        ("text file that is a PDF", _bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "note.pdf"), True),
    ]
    return [Malformed(k, "text", lambda f, w=w: ["extract", str(w(f))], fatal, needs="extract") for k, w, fatal in cases]


# -- HPO IDs and queries (`raretrace terms search`)


def _hpo_cases() -> list[Malformed]:
    queries = [
        ("HPO ID too long", "HP:99999999999"),
        ("HPO prefix alone", "HP:"),
        ("FTS syntax characters", '"unbalanced AND (NEAR OR * ^'),
        ("SQL in a query", "'; DROP TABLE terms; --"),
        ("query of 10,000 characters", "seizure " * 1250),
        ("query of only punctuation", "%%% ??? ***"),
    ]
    out = [Malformed(k, "hpo", lambda f, q=q: ["terms", "search", q, "--json"], None) for k, q in queries]
    out.append(Malformed("negative search limit", "hpo", lambda f: ["terms", "search", "seizure", "--limit", "-5"], None))
    out.append(Malformed("search limit not a number", "hpo", lambda f: ["terms", "search", "x", "--limit", "ten"], True))
    return out


# -- the case store


def _store_cases() -> list[Malformed]:
    def text_store(folder: Path) -> list[str]:
        path = folder / "cases.sqlite"
        path.write_text("these are my notes, not a database\n" * 50)
        return ["case", "--store", str(path), "list"]

    def folder_store(folder: Path) -> list[str]:
        return ["case", "--store", str(folder), "list"]

    def unknown_case(folder: Path) -> list[str]:
        return ["case", "--store", str(folder / "s.sqlite"), "export", "no-such-case"]

    def unwritable_export(folder: Path) -> list[str]:
        store = folder / "s.sqlite"
        from raretrace.case import case_from_terms
        from raretrace.store import CaseStore

        with CaseStore(store) as s:
            s.save_case(case_from_terms("c1", ["HP:0001250"]))
        return ["case", "--store", str(store), "export", "c1", "--out", str(folder / "missing" / "dir" / "c1.json")]

    def store_in_a_file_path(folder: Path) -> list[str]:
        blocker = folder / "blocker"
        blocker.write_text("x")
        return ["case", "--store", str(blocker / "cases.sqlite"), "list"]

    def device_store(folder: Path) -> list[str]:
        return ["case", "--store", os.devnull, "list"]

    def not_found(folder: Path) -> list[str]:
        return ["case", "--store", str(folder / "s.sqlite"), "import", str(folder / "nowhere.json")]

    return [
        Malformed("store file that is text", "store", text_store),
        Malformed("store path that is a folder", "store", folder_store),
        Malformed("export of an unknown case", "store", unknown_case),
        Malformed("export into a missing folder", "store", unwritable_export),
        Malformed("store below a file", "store", store_in_a_file_path),
        Malformed("import of a missing file", "store", not_found),
        Malformed("store that is a device", "store", device_store,
                  said=f"case store {os.devnull} is not a file (a device or a pipe)"),
    ]


def corpus() -> list[Malformed]:
    return _phenopacket_cases() + _vcf_cases() + _ped_cases() + _text_cases() + _hpo_cases() + _store_cases()
