"""GA4GH Phenopacket v2 exchange: schema checks with the official `phenopackets` package, and export of a Case.

Import lives in case.py (`load_phenopacket`, `case_from_phenopacket`); everything it reads comes back out here, so a
phenopacket survives import -> store -> export without losing features, exclusions, onsets, modifiers, evidence,
subject fields or files. `interpretations` and `diseases` are deliberately never kept (they would leak the answer
into ranking), so they are absent from an export.

The anonymised export keeps only what a second opinion needs: features (without free text, dates or ages), sex, and
for each file its format and genome build under a neutral name ("file-1.vcf.gz": the name a copy to share should
be given); it leaves out the case and subject IDs, dates of birth, ages, timestamps, measurements, file paths and
names (clinics name files after the patient) and the files' free-text attributes (a description).
VCF sample IDs stay, because they name the VCF's genotype columns: a VCF whose sample is the patient's name
identifies them and needs its sample renamed (`bcftools reheader`) before it is shared.
"""

from __future__ import annotations

import copy
import json
import operator
import re
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from google.protobuf import json_format
from phenopackets import Phenopacket

from . import __version__
from .case import (
    NOTE_FINDING_KEYS,
    NOTE_KEY,
    NOTE_REFERENCE_ID,
    NOTED_KEY,
    NOTED_REFERENCE_ID,
    PED_KEY,
    REJECTED_KEY,
    REJECTED_REFERENCE_ID,
    Case,
    CaseFile,
    Phenotype,
    _note_findings,
    _onset,
    kept_text,
    normalise_assembly,
    sample_for,
)
from .errors import RareTraceError
from .paths import write_private

SCHEMA_VERSION = "2.0"
HPO_IRI_PREFIX = "http://purl.obolibrary.org/obo/HP_"
# Top-level fields an import never keeps (the answer of a published case) and an export therefore lacks.
NEVER_KEPT = ("interpretations", "diseases")

Labeller = Callable[[str], str | None]


# -- schema


def _one_line(exc: BaseException) -> str:
    """protobuf's nested 'Failed to parse X field: ...' message as one short line with the JSON path."""
    text = str(exc)
    unknown = re.search(r'has no field named "([^"]+)" at "([^"]+)"', text)
    if unknown:
        return f'unknown field "{unknown.group(1)}" in {unknown.group(2).removeprefix("Phenopacket").lstrip(".") or "the top level"}'
    text = text.splitlines()[0] if text else exc.__class__.__name__
    fields = re.findall(r"Failed to parse (\w+) field: ", text)
    text = re.sub(r"(Failed to parse \w+ field: )+", "", text)
    located = re.search(r"\s+at Phenopacket\.?(\S*?)\.*$", text)
    if located:
        text = f"{located.group(1) or 'the top level'}: {text[: located.start()]}"
    elif fields:
        text = f"{'.'.join(fields)}: {text}"
    return text.rstrip(".")[:300]


def schema_problem(data: Any, *, allow_unknown_fields: bool = False) -> str | None:
    """None when `data` (parsed JSON) is a Phenopacket v2 by the official schema, else the first problem in one line.

    `allow_unknown_fields` tolerates fields the schema does not define (reading); wrong types never pass.
    """
    try:
        json_format.ParseDict(data, Phenopacket(), ignore_unknown_fields=allow_unknown_fields)
    except (json_format.ParseError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        return _one_line(exc)
    return _string_for_object(data, Phenopacket.DESCRIPTOR, "")


def _string_for_object(data: Any, descriptor: Any, path: str) -> str | None:
    """The first string standing where the schema has an object ("onset": {"age": "P2Y"}), or None.

    protobuf's reader walks such a string's characters as field names; with unknown fields tolerated it skips them
    all, so the value would vanish without a word (an onset, an age at last encounter)."""
    if not isinstance(data, dict):
        return None
    fields = {f.json_name: f for f in descriptor.fields} | {f.name: f for f in descriptor.fields}
    for key, value in data.items():
        field = fields.get(key)
        kind = field.message_type if field is not None else None
        # maps (string -> string here) and protobuf's own types (a Timestamp is a string in JSON) are not objects
        if kind is None or kind.GetOptions().map_entry or kind.full_name.startswith("google.protobuf."):
            continue
        items = enumerate(value) if field.is_repeated and isinstance(value, list) else [(None, value)]
        for i, item in items:
            where = f"{path}.{key}" if path else key
            where += "" if i is None else f"[{i}]"
            if isinstance(item, str):
                return f"{where} is {item[:60]!r}, not an object (see the Phenopacket schema's {kind.name})"
            found = _string_for_object(item, kind, where)
            if found:
                return found
    return None


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    """The schema's own normal form of a phenopacket (defaults dropped, enums and numbers as protobuf writes them)."""
    message = json_format.ParseDict(data, Phenopacket())
    return json_format.MessageToDict(message)


# -- export


def _ontology_class(term_id: str, label: str, labels: Labeller | None) -> dict[str, str]:
    label = label or (labels(term_id) if labels else None) or ""
    return {"id": term_id, "label": label} if label else {"id": term_id}


def _onset_object(onset: str, labels: Labeller | None) -> dict[str, Any]:
    if re.fullmatch(r"HP:\d+", onset):
        return {"ontologyClass": _ontology_class(onset, "", labels)}
    return {"age": {"iso8601duration": onset}}


def _feature(p: Phenotype, labels: Labeller | None, anonymise: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"type": _ontology_class(p.id, p.label, labels)}
    if p.excluded:
        out["excluded"] = True
    details = copy.deepcopy(p.details or {})
    original_onset = details.pop("onset", None)
    if p.onset:
        # Keep the onset object as read (its label, or a gestational age) unless the onset was edited since.
        kept = original_onset is not None and _onset({"onset": original_onset}) == p.onset
        onset = original_onset if kept else _onset_object(p.onset, labels)
        if not anonymise or "ontologyClass" in onset:
            out["onset"] = onset
    elif original_onset is not None and _onset({"onset": original_onset}) is None and not anonymise:
        out["onset"] = original_onset  # a form Phenotype.onset does not express (age range, timestamp, ...)
    if anonymise:
        details = {k: v for k, v in details.items() if k in ("severity", "modifiers", "evidence")}
        if isinstance(details.get("evidence"), list):  # its references' descriptions are free text
            details["evidence"] = [_coded_evidence(e) for e in details["evidence"] if isinstance(e, dict)]
    out.update(details)
    return out


def _coded_evidence(evidence: dict[str, Any]) -> dict[str, Any]:
    """An evidence item without its free text: the evidence code and the reference's ID (a PMID)."""
    out = {k: copy.deepcopy(v) for k, v in evidence.items() if k == "evidenceCode"}
    ref = evidence.get("reference")
    if isinstance(ref, dict) and ref.get("id"):
        out["reference"] = {"id": ref["id"]}
    return out


def _file_path(uri: str, base: Path | None) -> str | None:
    parsed = urlparse(uri)
    if parsed.scheme not in ("", "file"):
        return None
    path = Path(unquote(parsed.path if parsed.scheme else uri))
    if not path.is_absolute() and base is not None:
        path = base / path
    return str(path)


# The suffixes an anonymised file name keeps (a format, a compression): anything else in a name may identify.
FILE_SUFFIXES = frozenset({
    ".vcf", ".bcf", ".gvcf", ".gz", ".bgz", ".bz2", ".zip", ".bam", ".cram", ".sam", ".bai", ".crai", ".tbi", ".csi",
    ".fastq", ".fq", ".bed", ".ped", ".json", ".txt", ".tsv", ".csv", ".pdf",
})
# The file attributes an anonymised export keeps: the rest (a description, who sequenced it) is free text.
ANONYMOUS_FILE_ATTRIBUTES = ("genomeAssembly", "fileFormat")


def anonymous_file_name(uri: str, n: int) -> str:
    """The neutral name of the n-th file in an anonymised export: "file-n" with the name's format suffixes
    ("file-1.vcf.gz"), never any other part of the original name or path."""
    name = urlparse(uri).path if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", uri) else uri
    kept: list[str] = []
    for suffix in reversed(Path(unquote(name)).suffixes):
        if suffix.lower() not in FILE_SUFFIXES or len(kept) == 2:
            break
        kept.insert(0, suffix.lower())
    return f"file-{n}{''.join(kept)}"


def _file(f: CaseFile, case: Case, subject_id: str, anonymise: bool, n: int = 1) -> dict[str, Any]:
    entry = copy.deepcopy(f.details or {})
    base = Path(case.source_path).parent if case.source_path else None
    original_uri = entry.get("uri")
    if not f.path:  # an entry that had no uri keeps having none
        entry.pop("uri", None)
    elif anonymise:
        entry["uri"] = anonymous_file_name(f.path, n)
    elif not f.local:  # a URI RareTrace cannot read (s3://...) goes back out as it came in
        entry["uri"] = f.path
    elif not (isinstance(original_uri, str) and _file_path(original_uri, base) == f.path):
        entry["uri"] = Path(f.path).as_uri() if Path(f.path).is_absolute() else f.path
    attrs = dict(entry.get("fileAttributes") or {})
    try:
        same_build = normalise_assembly(attrs.get("genomeAssembly")) == f.assembly
    except RareTraceError:
        same_build = False
    if not same_build:
        attrs.pop("genomeAssembly", None)
        if f.assembly:
            attrs["genomeAssembly"] = f.assembly
    if anonymise:
        attrs = {k: v for k, v in attrs.items() if k in ANONYMOUS_FILE_ATTRIBUTES}
    if attrs:
        entry["fileAttributes"] = attrs
    else:
        entry.pop("fileAttributes", None)
    mapping = dict(entry.get("individualToFileIdentifiers") or {})
    original_subject = case.subject_id
    if f.sample and sample_for(mapping, original_subject) != f.sample:
        mapping = {k: v for k, v in mapping.items() if k != original_subject}
        mapping[original_subject or subject_id] = f.sample
    if anonymise:
        # Other individuals (parents, sibs) get neutral names; the subject gets the exported subject id.
        renamed: dict[str, str] = {}
        for n, (individual, sample) in enumerate(mapping.items(), start=1):
            renamed[subject_id if individual == original_subject else f"individual-{n}"] = sample
        mapping = renamed
    if mapping:
        entry["individualToFileIdentifiers"] = mapping
    else:
        entry.pop("individualToFileIdentifiers", None)
    return entry


def _age(subject: dict[str, Any]) -> str | None:
    for key in ("timeAtLastEncounter", "timeAtEncounter"):
        value = subject.get(key) or {}
        if isinstance(value, dict) and isinstance(value.get("age"), dict):
            return value["age"].get("iso8601duration")
    return None


def _metadata(case: Case, hpo_release: str | None, anonymise: bool, now: datetime | None) -> dict[str, Any]:
    original = case.extra.get("metaData")
    if isinstance(original, dict) and not anonymise:
        return copy.deepcopy(original)
    hpo = {
        "id": "hp",
        "name": "human phenotype ontology",
        "url": "http://purl.obolibrary.org/obo/hp.owl",
        "namespacePrefix": "HP",
        "iriPrefix": HPO_IRI_PREFIX,
    }
    resources = [r for r in (original or {}).get("resources", []) if isinstance(r, dict)] if original else []
    if not any(r.get("namespacePrefix") == "HP" for r in resources):
        resources.append(hpo | ({"version": hpo_release} if hpo_release else {}))
    meta: dict[str, Any] = {}
    if not anonymise:  # a creation date can help re-identify a case; the anonymised export has none
        stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        meta["created"] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    meta["createdBy"] = f"RareTrace {__version__}"
    meta["resources"] = resources
    meta["phenopacketSchemaVersion"] = SCHEMA_VERSION
    return meta


def _note_references(case: Case) -> list[dict[str, str]]:
    """The clinical note (and the note findings rejected in it, and the relatives' findings noted) as
    metaData.externalReferences entries."""
    note = case.extra.get(NOTE_KEY)
    if not isinstance(note, str) or not note.strip():
        return []
    refs = [{"id": NOTE_REFERENCE_ID, "description": note}]
    for key, ref_id in NOTE_FINDING_KEYS:
        findings = _note_findings(case.extra.get(key))
        if findings:
            refs.append({"id": ref_id, "description": json.dumps(findings, separators=(",", ":"))})
    return refs


def to_phenopacket(
    case: Case,
    *,
    anonymise: bool = False,
    labels: Labeller | None = None,
    hpo_release: str | None = None,
    new_id: str | None = None,
    now: datetime | None = None,
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    """The case as a Phenopacket v2 JSON object, checked against the official schema.

    `labels` fills missing term labels (e.g. from the ontology); `anonymise` leaves out identifying fields and gives
    the case a fresh random ID unless `new_id` is given. Fields the schema does not define (tolerated on import)
    are dropped, each drop noted in `warnings`. The clinical note typed with the case travels in
    metaData.externalReferences (id "raretrace:note"), except in the anonymised export (it is free text).
    """
    if anonymise:
        packet_id = new_id or f"anonymous-{secrets.token_hex(6)}"
        subject_id = "subject"
        original_subject = case.extra.get("subject") if isinstance(case.extra.get("subject"), dict) else {}
        subject: dict[str, Any] = {"id": subject_id}
        for key in ("sex", "karyotypicSex", "taxonomy"):
            if key in original_subject:
                subject[key] = copy.deepcopy(original_subject[key])
        out: dict[str, Any] = {"id": packet_id}
    else:
        packet_id = new_id or case.id
        subject_id = case.subject_id
        not_copied = (*NEVER_KEPT, NOTE_KEY, REJECTED_KEY, NOTED_KEY, PED_KEY)
        out = {k: copy.deepcopy(v) for k, v in case.extra.items() if k not in not_copied}
        out["id"] = packet_id
        subject = copy.deepcopy(out.get("subject")) if isinstance(out.get("subject"), dict) else {}
        if case.subject_id:
            subject["id"] = case.subject_id
        else:
            subject.pop("id", None)
        if case.age != _age(subject):
            subject.pop("timeAtEncounter", None)
            if case.age:
                subject["timeAtLastEncounter"] = {"age": {"iso8601duration": case.age}}
            else:
                subject.pop("timeAtLastEncounter", None)
    if case.sex:
        subject["sex"] = case.sex
    else:
        subject.pop("sex", None)
    if subject:
        out["subject"] = subject
    else:
        out.pop("subject", None)
    out["phenotypicFeatures"] = [_feature(p, labels, anonymise) for p in case.phenotypes]
    # a trio's PED goes out as a files entry, so the exported case is read with its family again (case.py reads it back)
    ped = kept_text(case, PED_KEY)
    files = [*case.files, CaseFile(ped, details={"fileAttributes": {"fileFormat": "PED"}})] if ped else case.files
    if files:
        out["files"] = [_file(f, case, subject_id, anonymise, n) for n, f in enumerate(files, start=1)]
        if anonymise and warnings is not None:
            for f, entry in zip(files, out["files"], strict=True):
                if entry.get("uri"):
                    warnings.append(f"{Path(urlparse(f.path).path or f.path).name!r} is named {entry['uri']!r} in the "
                                    "anonymised phenopacket (a file name can identify the patient); share a copy "
                                    "under that name")
            if ped:
                warnings.append("the PED file names the family and its individuals as the VCF's sample IDs do; "
                                "check its IDs before sharing it")
            samples = [v for e in out["files"] for v in (e.get("individualToFileIdentifiers") or {}).values()]
            for sample in dict.fromkeys(samples):
                warnings.append(f"the VCF sample ID {sample!r} is kept (it names the VCF's genotype column); if it "
                                "identifies the patient, rename it in the VCF (bcftools reheader) before sharing")
    else:
        out.pop("files", None)
    out["metaData"] = _metadata(case, hpo_release, anonymise, now)
    notes = [] if anonymise else _note_references(case)
    if notes:
        ours = (NOTE_REFERENCE_ID, REJECTED_REFERENCE_ID, NOTED_REFERENCE_ID)
        refs = out["metaData"].get("externalReferences")
        refs = [r for r in refs if not (isinstance(r, dict) and r.get("id") in ours)] if isinstance(refs, list) else []
        out["metaData"]["externalReferences"] = refs + notes
    order = ["id", "subject", "phenotypicFeatures"]
    out = {k: out[k] for k in order if k in out} | {k: v for k, v in out.items() if k not in order}
    problem = schema_problem(out)
    if problem:
        if schema_problem(out, allow_unknown_fields=True):
            raise RareTraceError(f"case {case.id} cannot be exported as a valid phenopacket: {problem}")
        # Unknown fields were tolerated on import; the schema's own form of the packet leaves them out.
        out = json_format.MessageToDict(json_format.ParseDict(out, Phenopacket(), ignore_unknown_fields=True))
        if warnings is not None:
            warnings.append(f"left out fields the Phenopacket v2 schema does not define (first: {problem})")
    return out


def as_stored(case: Case, stored: Case) -> Case:
    """`case`, read from a phenopacket file of a stored case's ID, with each part the file gives as an export of the
    stored case writes it taken from the stored case: a feature (its source, typed or extracted, and its details,
    which the export completes with an onset object), a file, and the case's other fields (the export adds an id,
    a subject and metaData). The stored case itself where the file is all its export, so that importing or opening
    a case's own export changes nothing; only what the file really changes is then the file's."""
    labels = _file_labels(case)  # the file's own term labels: where the stored case has none, its export gives them

    def key(value: dict[str, Any]) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    pool: dict[str, list[Phenotype]] = {}
    for p in stored.phenotypes:
        pool.setdefault(key(_feature(p, labels.get, False)), []).append(p)
    phenotypes = tuple((pool.get(key(_feature(p, labels.get, False))) or [p]).pop(0) for p in case.phenotypes)
    files_pool: dict[str, list[CaseFile]] = {}
    for f in stored.files:
        files_pool.setdefault(key(_file(f, stored, stored.subject_id, False)), []).append(f)
    files = tuple((files_pool.get(key(_file(f, case, case.subject_id, False))) or [f]).pop(0) for f in case.files)
    if not _same_fields(case, stored, labels):
        taken = any(map(operator.is_not, (*phenotypes, *files), (*case.phenotypes, *case.files)))
        return replace(case, phenotypes=phenotypes, files=files) if taken else case
    if list(map(id, (*phenotypes, *files))) == list(map(id, (*stored.phenotypes, *stored.files))):
        return stored  # its own export: even the path it was read from is no change
    return replace(case, phenotypes=phenotypes, files=files, extra=stored.extra)


def _file_labels(case: Case) -> dict[str, str]:
    """The labels a case read from a file gives its terms: the features' and their onset classes'."""
    labels = {p.id: p.label for p in case.phenotypes if p.label}
    for p in case.phenotypes:
        onset = (p.details or {}).get("onset")
        term = onset.get("ontologyClass") if isinstance(onset, dict) else None
        if isinstance(term, dict) and isinstance(term.get("id"), str) and isinstance(term.get("label"), str):
            labels.setdefault(term["id"], term["label"])
    return labels


def _same_fields(case: Case, stored: Case, labels: dict[str, str]) -> bool:
    """Whether the case's fields other than features and files (id, subject, metaData, the note, the PED) are
    those the stored case's export writes. metaData that RareTrace wrote for a case without any is taken as written
    at the file's time, with the file's HPO release and by the RareTrace version that wrote it."""
    meta = case.extra.get("metaData") if isinstance(case.extra.get("metaData"), dict) else {}
    try:
        now = datetime.fromisoformat(str(meta.get("created", "")).replace("Z", "+00:00"))
    except ValueError:
        now = None
    release = next((r.get("version") for r in meta.get("resources") or [] if isinstance(r, dict)
                    and r.get("namespacePrefix") == "HP" and isinstance(r.get("version"), str)), None)
    try:
        ours = to_phenopacket(replace(stored, phenotypes=(), files=()), labels=labels.get, hpo_release=release, now=now)
        theirs = to_phenopacket(replace(case, phenotypes=(), files=()), labels=labels.get, hpo_release=release, now=now)
    except RareTraceError:  # a stored case the schema refuses is never the same as a valid file
        return False
    by = theirs["metaData"].get("createdBy")
    if "metaData" not in stored.extra and isinstance(by, str) and by.startswith("RareTrace "):
        ours["metaData"]["createdBy"] = by  # an export by another version of RareTrace
    return ours == theirs  # the PED too: a files entry of both


def write_phenopacket(packet: dict[str, Any], path: str | Path) -> Path:
    """Write an exported phenopacket readable by this OS user only (it is patient data)."""
    path = Path(path)
    write_private(path, (json.dumps(packet, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return path


# -- comparison (round-trip checks and the benchmark)


def differences(original: dict[str, Any], exported: dict[str, Any], base: Path | None = None) -> list[str]:
    """JSON paths where the export differs from the original, in the schema's normal form.

    Fields never kept (interpretations, diseases) are left out of the comparison; file URIs compare as the local
    paths they name (relative to `base`, the original's folder).
    """
    left = canonical({k: v for k, v in original.items() if k not in NEVER_KEPT})
    right = canonical(exported)
    for packet in (left, right):
        for entry in packet.get("files", []):
            if isinstance(entry.get("uri"), str):
                entry["uri"] = _file_path(entry["uri"], base) or entry["uri"]
    out: list[str] = []
    _diff(left, right, "", out)
    return out


def _diff(a: Any, b: Any, where: str, out: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            path = f"{where}.{key}" if where else key
            if key not in a:
                out.append(f"{path} (added)")
            elif key not in b:
                out.append(f"{path} (lost)")
            else:
                _diff(a[key], b[key], path, out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{where} ({len(a)} items -> {len(b)})")
            return
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{where}[{n}]", out)
    elif a != b:
        out.append(f"{where} (changed)")
