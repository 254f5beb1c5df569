"""A patient case as RareTrace reads it from a GA4GH Phenopacket v2 JSON file.

Only phenotypic features (present/excluded, onset), sex, age and files are read. `interpretations` and `diseases`
are never used for ranking: they are not even kept on the Case.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import RareTraceError

SEXES = ("MALE", "FEMALE", "OTHER_SEX", "UNKNOWN_SEX")
ASSEMBLY_ALIASES = {
    "grch37": "GRCh37",
    "hg19": "GRCh37",
    "b37": "GRCh37",
    "grch38": "GRCh38",
    "hg38": "GRCh38",
    "b38": "GRCh38",
}
MAX_PHENOPACKET_BYTES = 50 * 1024 * 1024


def normalise_assembly(name: str | None) -> str | None:
    if not name:
        return None
    found = ASSEMBLY_ALIASES.get(name.strip().lower())
    if found is None:
        raise RareTraceError(f"unknown genome build {name!r}; use GRCh37/hg19 or GRCh38/hg38")
    return found


@dataclass(frozen=True, slots=True)
class Phenotype:
    id: str
    label: str = ""
    excluded: bool = False
    onset: str | None = None  # HPO onset term ID or ISO 8601 age
    source: str = "typed"  # typed | extracted | imported
    # The rest of the phenopacket feature (onset object, modifiers, severity, evidence, ...) kept for lossless export.
    details: dict[str, Any] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class CaseFile:
    path: str
    assembly: str | None = None
    sample: str | None = None  # the VCF column of the proband
    details: dict[str, Any] | None = field(default=None, compare=False)  # the phenopacket `files` entry as read


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    phenotypes: tuple[Phenotype, ...] = ()
    sex: str | None = None
    age: str | None = None  # ISO 8601 duration, e.g. P10Y
    subject_id: str = ""
    files: tuple[CaseFile, ...] = ()
    source_path: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # other phenopacket fields (subject, metaData, ...) for export

    @property
    def present(self) -> tuple[Phenotype, ...]:
        return tuple(p for p in self.phenotypes if not p.excluded)

    @property
    def excluded(self) -> tuple[Phenotype, ...]:
        return tuple(p for p in self.phenotypes if p.excluded)

    @property
    def vcf(self) -> CaseFile | None:
        for f in self.files:
            if re.search(r"\.(vcf|vcf\.gz|vcf\.bgz|bcf)$", f.path, re.IGNORECASE):
                return f
        return None


# An age as phenopackets write it: P8Y2M, P3W, P1Y2M3DT4H (one part at least).
ISO_DURATION = re.compile(r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
                          r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$")


def _onset(feature: dict) -> str | None:
    onset = feature.get("onset") or {}
    if not isinstance(onset, dict):
        return None
    if "ontologyClass" in onset:
        return (onset["ontologyClass"] or {}).get("id")
    if "age" in onset:
        return (onset["age"] or {}).get("iso8601duration")
    return None


def sample_for(mapping: dict[str, str], subject_id: str) -> str | None:
    """The VCF sample of the subject in a phenopacket file's individualToFileIdentifiers: the subject's own entry,
    or a lone entry when the subject has no id. Another individual's sample is never taken for the patient's (with
    none chosen, a multi-sample VCF asks for --sample)."""
    sample = mapping.get(subject_id) if subject_id else None
    if sample is None and not subject_id and len(mapping) == 1:
        sample = next(iter(mapping.values()))
    return sample


def _uri_to_path(uri: str, base: Path | None) -> str:
    parsed = urlparse(uri)
    if parsed.scheme in ("", "file"):
        path = Path(unquote(parsed.path if parsed.scheme else uri))
        if not path.is_absolute() and base is not None:
            path = base / path
        return str(path)
    raise RareTraceError(f"file {uri!r} is not local; RareTrace reads only local files (file://…)")


def case_from_phenopacket(data: Any, source: Path | None = None) -> Case:
    """Read a parsed Phenopacket v2 object; raises RareTraceError with a one-line reason when it is not one."""
    where = f" in {source}" if source else ""
    if not isinstance(data, dict):
        raise RareTraceError(f"not a phenopacket{where}: the top level must be a JSON object")
    if "phenotypicFeatures" not in data and "subject" not in data and "id" not in data:
        raise RareTraceError(f"not a phenopacket{where}: no id, subject or phenotypicFeatures")
    from .phenopacket import schema_problem  # the official schema; imported here to avoid an import cycle

    problem = schema_problem(data, allow_unknown_fields=True)
    if problem:
        raise RareTraceError(f"not a valid phenopacket{where}: {problem}")
    features = data.get("phenotypicFeatures") or []
    if not isinstance(features, list):
        raise RareTraceError(f"phenotypicFeatures must be a list{where}")
    phenotypes = []
    for n, feature in enumerate(features, start=1):
        term = feature.get("type") if isinstance(feature, dict) else None
        if not isinstance(term, dict) or not isinstance(term.get("id"), str):
            raise RareTraceError(f"phenotypic feature {n}{where} has no type.id (an HPO ID such as HP:0001250)")
        phenotypes.append(
            Phenotype(
                id=term["id"].strip(),
                label=str(term.get("label") or ""),
                excluded=bool(feature.get("excluded", False)),
                onset=_onset(feature),
                source="imported",
                details={k: v for k, v in feature.items() if k not in ("type", "excluded")} or None,
            )
        )
    subject = data.get("subject") or {}
    if not isinstance(subject, dict):
        raise RareTraceError(f"subject must be an object{where}")
    sex = subject.get("sex")
    if sex is not None and sex not in SEXES:
        raise RareTraceError(f"subject.sex {sex!r}{where} is not one of {', '.join(SEXES)}")
    age = None
    for key in ("timeAtLastEncounter", "timeAtEncounter"):
        value = subject.get(key) or {}
        if isinstance(value, dict) and isinstance(value.get("age"), dict):
            age = value["age"].get("iso8601duration")
            break
    # onsets given as ages (an ontology class such as HP:0003593 is a CURIE, with a colon)
    ages = [("subject age", age)] + [(f"onset of phenotypic feature {n}", p.onset) for n, p in
                                     enumerate(phenotypes, start=1) if p.onset and ":" not in p.onset]
    for what, value in ages:
        if value is not None and not (isinstance(value, str) and ISO_DURATION.match(value)):
            raise RareTraceError(f"{what}{where} is {value!r}, not an ISO 8601 duration such as P8Y2M")
    subject_id = str(subject.get("id") or "")
    files = []
    base = source.parent if source else None
    for entry in data.get("files") or []:
        if not isinstance(entry, dict) or not entry.get("uri"):
            continue
        attrs = entry.get("fileAttributes") or {}
        mapping = entry.get("individualToFileIdentifiers") or {}
        sample = sample_for(mapping, subject_id)
        files.append(
            CaseFile(
                path=_uri_to_path(str(entry["uri"]), base),
                assembly=normalise_assembly(attrs.get("genomeAssembly")),
                sample=sample,
                details=entry,
            )
        )
    kept_elsewhere = ("interpretations", "diseases", "phenotypicFeatures", "files")
    extra = {k: v for k, v in data.items() if k not in kept_elsewhere}
    case_id = str(data.get("id") or (source.stem if source else "case"))
    return Case(
        id=case_id,
        phenotypes=tuple(phenotypes),
        sex=sex,
        age=age,
        subject_id=subject_id,
        files=tuple(files),
        source_path=str(source) if source else None,
        extra=extra,
    )


def load_phenopacket(path: str | Path) -> Case:
    path = Path(path)
    if path.is_dir():
        raise RareTraceError(f"{path} is a folder; give a phenopacket JSON file")
    if not path.is_file():
        raise RareTraceError(f"case file not found: {path}")
    if path.stat().st_size > MAX_PHENOPACKET_BYTES:
        raise RareTraceError(f"{path} is too large for a phenopacket (> 50 MB)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RareTraceError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise RareTraceError(f"{path} is not a text file (not UTF-8); a case must be a phenopacket JSON file") from exc
    except json.JSONDecodeError as exc:
        raise RareTraceError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    except (ValueError, RecursionError) as exc:  # e.g. a 5,000-digit number or nesting thousands deep
        raise RareTraceError(f"{path} is not a usable JSON file ({str(exc).splitlines()[0][:120]})") from exc
    return case_from_phenopacket(data, path)


def case_from_terms(case_id: str, present: list[str], excluded: list[str] | None = None, sex: str | None = None) -> Case:
    """A case built from HPO IDs typed on the command line or picked in the GUI."""
    phenos = [Phenotype(t) for t in present] + [Phenotype(t, excluded=True) for t in excluded or []]
    return Case(id=case_id, phenotypes=tuple(phenos), sex=sex)


def phenopacket_files(paths: list[Path] | tuple[Path, ...]) -> list[Path]:
    """The phenopacket JSON files named by files and folders (searched recursively), in a stable order."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(path.rglob("*.json")))
        elif path.is_file():
            files.append(path)
        else:
            raise RareTraceError(f"not found: {path}")
    if not files:
        raise RareTraceError("no phenopacket JSON files found in the given paths")
    return files
