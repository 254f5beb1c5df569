"""Opening a VCF safely: what kind of file it is, its genome build, and which sample is the patient.

Everything is checked before htslib reads the file, so bad input ends as one RareTraceError line (htslib itself
would print to stderr or stop silently): empty, damaged or truncated compression, no header, not a VCF, a BCF
with a .vcf name (read, with a warning), no genotypes, unknown sample, unknown or inconsistent genome build.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..case import normalise_assembly
from ..errors import RareTraceError, VcfNotFound, first_line
from ..paths import sha256_file
from ..pedigree import Pedigree

# The empty BGZF block that ends every complete bgzip/htslib file.
BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")

# Chromosome lengths that identify the build (chr1 alone suffices; the others help with partial headers).
CONTIG_LENGTHS = {
    "GRCh37": {
        "1": 249250621, "2": 243199373, "3": 198022430, "4": 191154276, "5": 180915260, "6": 171115067,
        "7": 159138663, "8": 146364022, "9": 141213431, "10": 135534747, "11": 135006516, "12": 133851895,
        "13": 115169878, "14": 107349540, "15": 102531392, "16": 90354753, "17": 81195210, "18": 78077248,
        "19": 59128983, "20": 63025520, "21": 48129895, "22": 51304566, "X": 155270560, "Y": 59373566,
    },
    "GRCh38": {
        "1": 248956422, "2": 242193529, "3": 198295559, "4": 190214555, "5": 181538259, "6": 170805979,
        "7": 159345973, "8": 145138636, "9": 138394717, "10": 133797422, "11": 135086622, "12": 133275309,
        "13": 114364328, "14": 107043718, "15": 101991189, "16": 90338345, "17": 83257441, "18": 80373285,
        "19": 58617616, "20": 64444167, "21": 46709983, "22": 50818468, "X": 156040895, "Y": 57227415,
    },
}  # fmt: skip
# UCSC hg19's chrM is the Yoruba sequence (NC_001807, 16,571 bp), not the revised Cambridge Reference Sequence
# (rCRS, NC_012920, 16,569 bp) of GRCh37's MT and GRCh38's chrM on which the mitochondrial gene model lies: its
# positions differ from about m.310 on, so its variants cannot be placed in mitochondrial genes.
HG19_CHRM_LENGTH = 16571
_BUILD_WORDS = {
    "GRCh37": re.compile(r"grch37|hg19|b37|hs37|human_g1k_v37", re.IGNORECASE),
    "GRCh38": re.compile(r"grch38|hg38|b38|hs38", re.IGNORECASE),
}


@dataclass
class VcfFile:
    path: Path
    kind: str  # VCF | bgzipped VCF | gzipped VCF | BCF
    sha256: str
    size: int
    warnings: list[str] = field(default_factory=list)



def sniff(path: str | Path) -> VcfFile:
    """What the file really is (by content, not by name); raises RareTraceError when it is no VCF/BCF."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise VcfNotFound(path)
    if not path.is_file():
        raise RareTraceError(f"{path} is not a file; give the path of a .vcf, .vcf.gz or .bcf file")
    size = path.stat().st_size
    if size == 0:
        raise RareTraceError(f"{name} is empty (0 bytes); export the VCF again")
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
        handle.seek(max(size - len(BGZF_EOF), 0))
        tail = handle.read()
    _refuse_byte_order_mark(head, name)
    warnings: list[str] = []
    if head[:2] == b"\x1f\x8b":
        bgzf = _is_bgzf(head)
        try:
            text = zlib.decompressobj(31).decompress(head, 4096)
        except zlib.error as exc:
            raise RareTraceError(f"{name} is a damaged gzip file ({exc}); export or copy it again") from exc
        if bgzf and tail != BGZF_EOF:
            raise RareTraceError(
                f"{name} is truncated (its bgzip end-of-file marker is missing); copy or export the file again"
            )
        _refuse_byte_order_mark(text, name)
        if text.startswith(b"BCF\x02"):
            kind = "BCF"
        elif text.startswith(b"##fileformat=VCF"):
            kind = "bgzipped VCF" if bgzf else "gzipped VCF"
        elif text.startswith(b"#CHROM") or text[:1] == b"#":
            raise RareTraceError(f"{name} has no VCF header line (##fileformat=VCFv4.x); is it a VCF?")
        elif not text:
            raise RareTraceError(f"{name} is a compressed file with no content; export the VCF again")
        else:
            raise RareTraceError(f"{name} is a compressed file but not a VCF or BCF")
    elif head.startswith(b"BCF\x02"):
        kind = "BCF"
    elif head.startswith(b"##fileformat=VCF"):
        kind = "VCF"
    elif head.startswith((b"#CHROM", b"##")):
        raise RareTraceError(f"{name} has no VCF header line (##fileformat=VCFv4.x) at its start; is it a VCF?")
    elif _looks_like_text(head):
        raise RareTraceError(f"{name} is not a VCF: it has no header (a VCF starts with ##fileformat=VCFv4.x)")
    else:
        raise RareTraceError(f"{name} is not a VCF, bgzipped VCF or BCF file (unrecognised binary content)")
    lower = name.lower()
    if kind == "BCF" and not lower.endswith(".bcf"):
        warnings.append(f"{name} is a BCF file although its name says VCF; it was read as BCF")
    elif kind != "BCF" and lower.endswith(".bcf"):
        warnings.append(f"{name} is a {kind} file although its name says BCF; it was read as {kind}")
    return VcfFile(path=path, kind=kind, sha256=sha256_file(path), size=size, warnings=warnings)


def _refuse_byte_order_mark(text: bytes, name: str) -> None:
    """A VCF saved by a Windows editor may begin with a byte-order mark, which htslib reads as part of the first
    header line (and then finds no header): say so, in the words of the editor's Save dialog."""
    if text.startswith(b"\xef\xbb\xbf"):
        raise RareTraceError(f"{name} begins with a UTF-8 byte-order mark (BOM, added by some Windows editors) before "
                             "##fileformat, which VCF readers do not accept; save it again as UTF-8 without BOM")
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RareTraceError(f"{name} is UTF-16 text (it begins with a UTF-16 byte-order mark); a VCF must be "
                             "UTF-8 or ASCII: save it again as UTF-8 without BOM")


def compression_fault(vcf: VcfFile) -> str | None:
    """Why the compressed file `vcf` cannot be read to its end ("ends early" or "is damaged ..."), or None when it
    is whole (or not compressed). Asked after htslib stopped on a record: a file copied or downloaded incompletely
    reads as a bad data line at the cut. A bgzip file is checked by its blocks' sizes (no decompression: a genome
    takes a second); a plain gzip one has to be decompressed to its end."""
    with vcf.path.open("rb") as handle:
        head = handle.read(18)
        handle.seek(0)
        if head[:2] != b"\x1f\x8b":
            return None
        if _is_bgzf(head):
            return _bgzf_fault(handle, vcf.path.stat().st_size)
        return _gzip_fault(handle)


def _is_bgzf(head: bytes) -> bool:
    return len(head) >= 16 and bool(head[3] & 4) and head[12:14] == b"BC"


def _gzip_fault(handle) -> str | None:
    member = zlib.decompressobj(31)
    fed = False  # the current member has been given input (trailing zero padding after the last one is no member)
    while chunk := handle.read(1 << 20):
        while chunk:
            try:
                member.decompress(chunk, 1 << 24)  # output bounded: a run of zeros inflates a thousandfold
                chunk = member.unconsumed_tail
            except zlib.error as exc:
                return f"is damaged ({exc})"
            fed = True
            if member.eof:
                chunk = member.unused_data + chunk
                member, fed = zlib.decompressobj(31), False
                if not chunk.strip(b"\x00"):
                    chunk = b""
    return "ends early" if fed and not member.eof else None


def _bgzf_fault(handle, size: int) -> str | None:
    at = 0
    while at < size:
        handle.seek(at)
        header = handle.read(18)
        if len(header) < 18:
            return "ends early"
        if header[:4] != b"\x1f\x8b\x08\x04" or header[12:14] != b"BC":
            return f"is damaged (no bgzip block at byte {at:,})"
        at += int.from_bytes(header[16:18], "little") + 1
    return "ends early" if at > size else None


def compression_fault_message(vcf: VcfFile, fault: str) -> str:
    if fault == "ends early":
        return (f"{vcf.path.name} ends early: the compressed file is truncated (copied or downloaded incompletely); "
                "copy or export it again")
    return f"{vcf.path.name} {fault}; copy or export it again"


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    return bool(sample) and b"\x00" not in sample and sum(b < 9 or 13 < b < 32 for b in sample) < len(sample) // 100 + 1


def open_reader(vcf: VcfFile, samples: list[str] | None = None, threads: int = 1):
    """A cyvcf2 reader (optionally restricted to some samples, done inside htslib: cheap for wide files)."""
    import cyvcf2

    try:
        with quiet_htslib():  # its own lines on stderr would stand beside the one-line error (the GUI's header read)
            reader = cyvcf2.VCF(str(vcf.path), samples=samples, gts012=False, lazy=True, threads=threads)
    except Exception as exc:  # htslib reports every open failure the same way
        twice = duplicate_samples(vcf)
        if twice:
            shown = ", ".join(twice[:8]) + (f", … ({len(twice)} names)" if len(twice) > 8 else "")
            raise RareTraceError(f"{vcf.path.name} names a sample more than once in its #CHROM header line ({shown}); "
                                 "each sample column needs its own name: rename or remove the repeated one") from exc
        raise RareTraceError(f"{vcf.path.name} could not be read as {vcf.kind}: {first_line(exc)}") from exc
    return reader


def duplicate_samples(vcf: VcfFile) -> list[str]:
    """Sample names the #CHROM line of a (compressed or plain) VCF repeats, in order; asked once htslib has
    refused the header, which it does for a repeated name without saying which."""
    import gzip

    if vcf.kind == "BCF":
        return []  # written by htslib, which refuses to write one
    try:
        with (gzip.open if vcf.kind != "VCF" else open)(vcf.path, "rb") as handle:
            for line in handle:
                if line.startswith(b"#CHROM"):
                    names = line.rstrip(b"\r\n").decode("utf-8", "replace").split("\t")[9:]
                    return [n for n, k in Counter(names).items() if k > 1]
                if not line.startswith(b"#"):
                    return []
    except (OSError, EOFError, zlib.error):
        pass
    return []


class quiet_htslib:
    """Silence htslib's own stderr messages while RareTrace reads a file: its problems become RareTraceErrors."""

    _lib = None

    def __enter__(self) -> quiet_htslib:
        self.previous = None
        try:
            if quiet_htslib._lib is None:
                import ctypes

                import cyvcf2.cyvcf2 as native

                quiet_htslib._lib = ctypes.CDLL(native.__file__)
            self.previous = quiet_htslib._lib.hts_get_log_level()
            quiet_htslib._lib.hts_set_log_level(0)  # HTS_LOG_OFF
        except (OSError, AttributeError):
            pass  # messages stay visible; nothing else depends on this
        return self

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            quiet_htslib._lib.hts_set_log_level(self.previous)


def _info_attribute(raw_header: str, pattern: str) -> dict[str, str]:
    """INFO IDs -> the first group of `pattern` in their header line ("" where it is not there)."""
    out = {}
    for m in re.finditer(r"^##INFO=<ID=([^,>]+)(.*)$", raw_header, re.MULTILINE):
        found = re.search(pattern, m.group(2))
        out[m.group(1)] = found.group(1) if found else ""
    return out


def header_infos(raw_header: str) -> dict[str, str]:
    """INFO IDs -> Description text."""
    return _info_attribute(raw_header, r'Description="((?:[^"\\]|\\.)*)"')


def header_numbers(raw_header: str) -> dict[str, str]:
    """INFO IDs -> their Number ('A', 'R', '1', '.' ...)."""
    return _info_attribute(raw_header, r",Number=([^,>]+)")


def has_genotypes(raw_header: str) -> bool:
    return re.search(r"^##FORMAT=<ID=GT,", raw_header, re.MULTILINE) is not None


def contig_lengths(raw_header: str) -> dict[str, int]:
    out = {}
    for m in re.finditer(r"^##contig=<(.*)>\s*$", raw_header, re.MULTILINE):
        attrs = m.group(1)
        cid = re.search(r"(?:^|,)ID=([^,>]+)", attrs)
        length = re.search(r"(?:^|,)length=(\d+)", attrs)
        if cid and length:
            out[cid.group(1)] = int(length.group(1))
    return out


def hg19_mitochondrion(lengths: dict[str, int]) -> tuple[str, ...]:
    """Contigs of the header (name -> length, from contig_lengths) that are hg19's chrM rather than the rCRS."""
    from .gene_model import normalise_chrom

    return tuple(name for name, length in lengths.items()
                 if length == HG19_CHRM_LENGTH and normalise_chrom(name) == "MT")  # fmt: skip


def hg19_mitochondrion_warning(contigs: tuple[str, ...], variants: int) -> str:
    name = contigs[0] if contigs else "chrM"
    return (f"{name} of this file is hg19's ({HG19_CHRM_LENGTH:,} bp), not the rCRS mitochondrial sequence: its "
            f"{variants} variants were not assigned to mitochondrial genes")


def detect_assembly(raw_header: str) -> tuple[str | None, str]:
    """Build from the header's contig lengths (or, failing that, its reference/assembly words)."""
    from .gene_model import normalise_chrom

    votes: dict[str, list[str]] = {"GRCh37": [], "GRCh38": []}
    for name, length in contig_lengths(raw_header).items():
        chrom = normalise_chrom(name)
        for build, table in CONTIG_LENGTHS.items():
            if table.get(chrom) == length:
                votes[build].append(f"{name} length {length}")
    if votes["GRCh37"] and votes["GRCh38"]:
        raise RareTraceError(
            "the VCF header mixes GRCh37 and GRCh38 contig lengths "
            f"({votes['GRCh37'][0]}; {votes['GRCh38'][0]}); fix the header or re-export the VCF"
        )
    for build, found in votes.items():
        if found:
            return build, f"header contig {found[0]}"
    meta = "\n".join(
        line for line in raw_header.splitlines() if line.startswith(("##reference", "##assembly", "##contig"))
    )
    hits = [build for build, pattern in _BUILD_WORDS.items() if pattern.search(meta)]
    if len(hits) == 1:
        return hits[0], "header reference/assembly lines"
    return None, ""


def resolve_assembly(raw_header: str, name: str, declared: list[tuple[str | None, str]]) -> tuple[str, str]:
    """The build to use, from what was declared (argument, phenopacket) and what the header shows."""
    stated = [(normalise_assembly(value), source) for value, source in declared if value]
    builds = {b for b, _ in stated}
    if len(builds) > 1:
        detail = ", ".join(f"{b} ({s})" for b, s in stated)
        raise RareTraceError(f"conflicting genome builds declared for {name}: {detail}; correct the phenopacket's "
                             "fileAttributes.genomeAssembly, or leave out --assembly")
    detected, evidence = detect_assembly(raw_header)
    if stated:
        build, source = stated[0]
        if detected and detected != build:
            raise RareTraceError(
                f"{name} is {detected} ({evidence}) but {build} was declared ({source}); "
                "correct the genome build or use the matching VCF"
            )
        return build, source
    if detected:
        return detected, evidence
    raise RareTraceError(
        f"cannot tell the genome build of {name}: its header has no contig lengths; "
        "give it with --assembly GRCh37 or GRCh38 (or fileAttributes.genomeAssembly in the phenopacket)"
    )


def require_samples(samples: list[str] | tuple[str, ...], name: str) -> None:
    if not samples:
        raise RareTraceError(f"{name} has no sample columns (sites only); RareTrace needs the patient's genotypes")


def choose_sample(samples: list[str], name: str, sample: str | None, ped: Pedigree | None,
                  sample_source: str = "") -> tuple[str, str]:
    """(proband sample, how it was chosen). sample_source: where `sample` comes from, for the error naming it."""
    require_samples(samples, name)
    if ped is not None and not any(i.id in samples for i in ped.individuals):
        # a PED of another family, or IDs written otherwise than the VCF's columns: its trio would be silently lost
        ids = [i.id for i in ped.individuals]
        named = ", ".join(ids[:8]) + (f", … ({len(ids)} individuals)" if len(ids) > 8 else "")
        listed = ", ".join(samples[:8]) + (f", … ({len(samples)} samples)" if len(samples) > 8 else "")
        where = ped.name
        raise RareTraceError(f"none of the individuals of {where} ({named}) is a sample of {name} (its samples: "
                             f"{listed}); correct the PED file's individual IDs (its second column) or give another PED")
    if sample:
        person = ped.get(sample) if ped is not None else None
        if person is not None and person.affected is False:  # a parent analysed as the patient, without a word
            affected = ", ".join(i.id for i in ped.affected() if i.id in samples) or "none genotyped in the VCF"
            where = f" in {ped.name}"
            raise RareTraceError(f"sample {sample!r} is unaffected{where}; choose the patient's sample (affected: "
                                 f"{affected}) or correct the PED file")
        if sample in samples:
            return sample, "given"
        listed = ", ".join(samples[:8]) + (f", … ({len(samples)} samples)" if len(samples) > 8 else "")
        given = f" (named by {sample_source})" if sample_source else ""
        raise RareTraceError(f"sample {sample!r}{given} is not in {name} (its samples: {listed})")
    if ped is not None:
        candidates = ped.proband_candidates(samples)
        if len(candidates) == 1:
            return candidates[0], "affected individual in the PED file"
        if len(candidates) > 1 and len(samples) > 1:  # the PED cannot decide: say so, not "give a PED file"
            where = ped.name
            raise RareTraceError(f"{where} marks {len(candidates)} genotyped individuals of {name} as affected "
                                 f"({', '.join(candidates[:8])}); choose the patient's sample (--sample on the command "
                                 "line, Sample in the Genomics tab, or individualToFileIdentifiers in the phenopacket)")
        if not candidates and len(samples) > 1:  # a PED was given: its status column is what to correct
            where = ped.name
            column = (f" holds quantities such as {ped.quantitative}, not affection status" if ped.quantitative else
                      ": 2 affected, 1 unaffected, 0 or -9 unknown")  # fmt: skip
            raise RareTraceError(f"{where} marks none of {name}'s samples as affected (its sixth column{column}); "
                                 "choose the patient's sample (--sample on the command line, Sample in the Genomics "
                                 "tab, or individualToFileIdentifiers in the phenopacket) or correct the PED file")
    if len(samples) == 1:
        return samples[0], "only sample"
    listed = ", ".join(samples[:8]) + (", …" if len(samples) > 8 else "")
    raise RareTraceError(
        f"{name} has {len(samples)} samples ({listed}); choose the patient's sample (Sample in the Genomics tab, "
        "--sample on the command line, individualToFileIdentifiers in the phenopacket, or a PED file with one "
        "affected individual)"
    )


def _sample_ints(v, key: str, sample: int) -> list[int] | None:
    """One sample's integer FORMAT values (missing ones negative); None when the record lacks the field."""
    try:
        values = v.format(key)
    except Exception:  # cyvcf2 raises a bare Exception for a missing or mistyped FORMAT field
        return None
    if values is None or getattr(values, "dtype", None) is None or values.dtype.kind not in "iu":
        return None
    row = values[sample]
    return [int(x) for x in (row if getattr(row, "ndim", 0) else [row])]
