"""A patient case as RareTrace reads it from a GA4GH Phenopacket v2 JSON file.

Only phenotypic features (present/excluded, onset), sex, age and files are read. `interpretations` and `diseases`
are never used for ranking: they are not even kept on the Case.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
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
    "37": "GRCh37",
    "38": "GRCh38",
    "hs37d5": "GRCh37",
    "hs38": "GRCh38",
    "hs38dh": "GRCh38",
}
MAX_PHENOPACKET_BYTES = 50 * 1024 * 1024
# The clinical note typed with a case, the note findings the clinician rejected and the relatives' findings noted
# ([term, start, end] each: reviewed, never the patient's features) are kept in Case.extra under these keys; a
# phenopacket carries them as metaData.externalReferences entries with these ids (the text, or the findings as
# JSON, in `description`), the one place of the v2 schema for such a record.
NOTE_KEY = "raretraceNote"
REJECTED_KEY = "raretraceRejected"
NOTED_KEY = "raretraceNoted"
# The family PED file picked for a case's VCF (a local path, kept in the case store so that a trio reopened later is
# read with its parents again); exported as a phenopacket files entry of fileFormat "PED", and read back from one.
PED_KEY = "raretracePed"
NOTE_REFERENCE_ID = "raretrace:note"
REJECTED_REFERENCE_ID = "raretrace:rejected-note-findings"
NOTED_REFERENCE_ID = "raretrace:noted-relative-findings"
# the note's decisions kept with the case: (Case.extra key, externalReferences id) of each
NOTE_FINDING_KEYS = ((REJECTED_KEY, REJECTED_REFERENCE_ID), (NOTED_KEY, NOTED_REFERENCE_ID))
# A URI scheme of two letters or more (s3:, https:, drs:); "C:" is a Windows drive, not a scheme.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:")


def normalise_assembly(name: str | None) -> str | None:
    if not name:
        return None
    # a patch release (GRCh37.p13, GRCh38.p14) keeps its build's coordinates
    found = ASSEMBLY_ALIASES.get(re.sub(r"\.p\d+$", "", name.strip().lower()))
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


def file_uri_host(path: str) -> str:
    """The computer a file:// URI names, "" for this one (no host, or localhost): file://server/share/p.vcf is a
    network share's file, and file://p.vcf (a relative path written as a URI) names a computer "p.vcf", no file."""
    if not path.lower().startswith("file://"):
        return ""
    host = urlparse(path).netloc
    return "" if host.lower() in ("", "localhost") else host


def is_local_path(path: str) -> bool:
    """True for a file on this computer; False for a URI RareTrace cannot read (s3://, https://, a file:// URI of
    another computer) and for a files entry without any URI (its path is "")."""
    return bool(path) and not (_SCHEME.match(path) and not path.lower().startswith("file:")) \
        and not file_uri_host(path)


@dataclass(frozen=True, slots=True)
class CaseFile:
    path: str  # a local path; or, kept as read, a non-local URI (s3://...) or "" for an entry without a URI
    assembly: str | None = None
    sample: str | None = None  # the VCF column of the proband
    details: dict[str, Any] | None = field(default=None, compare=False)  # the phenopacket `files` entry as read

    @property
    def local(self) -> bool:
        return is_local_path(self.path)


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
        """The patient's VCF/BCF among the files: named so, or declared so by fileAttributes.fileFormat (a file
        need not have the extension, e.g. `sample123`)."""
        for f in self.files:
            if not f.path:
                continue
            attrs = (f.details or {}).get("fileAttributes") or {}
            declared = str(attrs.get("fileFormat", "") if isinstance(attrs, dict) else "").strip().lower()
            if declared in ("vcf", "bcf", "vcf.gz", "gvcf") or re.search(r"\.(vcf|vcf\.gz|vcf\.bgz|bcf)$", f.path,
                                                                         re.IGNORECASE):  # fmt: skip
                return f
        return None


# An age as phenopackets write it: P8Y2M, P3W, P1Y2M3DT4H (one part at least).
ISO_DURATION = re.compile(r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
                          r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$")


def duration_parts(iso: str | None) -> dict[str, float] | None:
    """An ISO 8601 duration's date parts ({"year": 2, "month": 6}), or None when absent or not a duration. The
    time part (T4H) is accepted and ignored: it does not change an age in years or in words."""
    if not iso or not ISO_DURATION.match(iso.strip()):
        return None
    m = re.fullmatch(r"P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?(?:T.*)?", iso.strip())
    if m is None:
        return None
    return {unit: float(v) for unit, v in zip(("year", "month", "week", "day"), m.groups(), strict=True) if v}


NOT_RECORDED = "not recorded"  # a sex or age the case does not give, as every rendering words it


def age_words(iso: str | None) -> str:
    """ISO 8601 duration (P2Y6M) in words ("2 years 6 months"); anything else as given."""
    if not iso:
        return NOT_RECORDED
    parts = duration_parts(iso)
    if not parts:
        return iso
    return " ".join(f"{v:g} {unit}{'' if v == 1 else 's'}" for unit, v in parts.items())


_AGE_UNITS = {"y": "Y", "yr": "Y", "yrs": "Y", "year": "Y", "years": "Y", "m": "M", "mo": "M", "mos": "M",
              "month": "M", "months": "M", "w": "W", "wk": "W", "wks": "W", "week": "W", "weeks": "W", "d": "D",
              "day": "D", "days": "D"}
_AGE_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)\.?,?\s*(?:and\s+)?", re.IGNORECASE)


def parse_age(text: str) -> str | None:
    """An age as a clinician types it ("4 years 6 months", "4y 6m", "18 months", "P4Y6M") as an ISO 8601 duration;
    None when it is neither."""
    text = text.strip()
    if ISO_DURATION.match(text.upper()):
        return text.upper()
    parts: dict[str, str] = {}
    pos = 0
    for m in _AGE_PART.finditer(text):
        unit = _AGE_UNITS.get(m.group(2).lower())
        if m.start() != pos or unit is None or unit in parts:
            return None
        parts[unit] = m.group(1)
        pos = m.end()
    if not parts or pos != len(text):
        return None
    return "P" + "".join(f"{parts[u]}{u}" for u in "YMWD" if u in parts)


SEX_WORDS = {"MALE": "male", "FEMALE": "female", "OTHER_SEX": "other", "UNKNOWN_SEX": "unknown"}


def sex_words(sex: str | None) -> str:
    """A phenopacket sex in words; a sex the case does not give is "not recorded", not "unknown" (UNKNOWN_SEX is a
    sex recorded as unknown)."""
    return SEX_WORDS.get(sex, sex) if sex else NOT_RECORDED


def edit_words(before: Case, after: Case) -> str:
    """One edit of a case in a clinician's words ("remove feature Seizure"), so that Undo and Redo can say what they
    undo; "" when nothing the clinician edits (header, features, VCF) changed. Several changes at once are named by
    the first and counted."""
    said: list[str] = []
    if before.subject_id != after.subject_id:
        said.append(f"set patient ID to {after.subject_id}" if after.subject_id else "clear patient ID")
    if before.sex != after.sex:
        said.append(f"set sex to {SEX_WORDS.get(after.sex, after.sex)}" if after.sex else "clear sex")
    if before.age != after.age:
        said.append(f"set age to {age_words(after.age)}" if after.age else "clear age")
    old = {p.id: p for p in before.phenotypes}
    new = {p.id: p for p in after.phenotypes}
    for p in after.phenotypes:
        name = p.label or p.id
        was = old.get(p.id)
        if was is None:
            said.append(f"add {'excluded ' if p.excluded else ''}feature {name}")
            continue
        if was.excluded != p.excluded:
            said.append(f"exclude {name}" if p.excluded else f"mark {name} present")
        if (was.onset or None) != (p.onset or None):
            said.append(f"set onset of {name}" if p.onset else f"clear onset of {name}")
    said += [f"remove {'excluded ' if p.excluded else ''}feature {p.label or p.id}" for p in before.phenotypes
             if p.id not in new]
    old_vcf, new_vcf = before.vcf, after.vcf
    if (old_vcf.path if old_vcf else None) != (new_vcf.path if new_vcf else None):
        said.append(f"load VCF {Path(new_vcf.path).name}" if new_vcf else f"remove VCF {Path(old_vcf.path).name}")
    if len(said) > 1:
        return f"{said[0]} and {len(said) - 1} more change{'s' if len(said) > 2 else ''}"
    return said[0] if said else ""


def age_in_years(iso: str | None) -> float | None:
    """An ISO 8601 duration (P2Y6M, P10W, P3D) as years; None when absent or not a duration."""
    parts = duration_parts(iso)
    if parts is None:
        return None
    return (parts.get("year", 0.0) + parts.get("month", 0.0) / 12
            + (parts.get("week", 0.0) * 7 + parts.get("day", 0.0)) / 365.25)


# HPO's onset classes, earliest first: (from, by) age in years by their definitions (0: before or at birth;
# None: no upper end). Used for the patient's onset (by) and a disease's annotated onset (from).
ONSET_CLASSES: dict[str, tuple[float, float | None]] = {
    "HP:0011460": (0.0, 0.0),  # embryonal
    "HP:0011461": (0.0, 0.0),  # fetal
    "HP:0030674": (0.0, 0.0),  # antenatal
    "HP:0034199": (0.0, 0.0),  # late first trimester
    "HP:0034198": (0.0, 0.0),  # second trimester
    "HP:0034197": (0.0, 0.0),  # third trimester
    "HP:0003577": (0.0, 0.0),  # congenital
    "HP:0003623": (0.0, 28 / 365.25),  # neonatal
    "HP:0003593": (28 / 365.25, 1.0),  # infantile
    "HP:0011463": (1.0, 5.0),  # childhood
    "HP:0410280": (0.0, 16.0),  # pediatric
    "HP:0003621": (5.0, 16.0),  # juvenile
    "HP:0003581": (16.0, None),  # adult
    "HP:0011462": (16.0, 40.0),  # young adult
    "HP:0025708": (16.0, 19.0),  # early young adult
    "HP:0025709": (19.0, 25.0),  # intermediate young adult
    "HP:0025710": (25.0, 40.0),  # late young adult
    "HP:0003596": (40.0, 60.0),  # middle age
    "HP:0003584": (60.0, None),  # late
}


# HPO's labels of the onset classes (and of three onsets outside the age scale), for a case's onset in words.
ONSET_LABELS = {
    "HP:0011460": "Embryonal onset", "HP:0011461": "Fetal onset", "HP:0030674": "Antenatal onset",
    "HP:0034199": "Late first trimester onset", "HP:0034198": "Second trimester onset",
    "HP:0034197": "Third trimester onset", "HP:0003577": "Congenital onset", "HP:0003623": "Neonatal onset",
    "HP:0003593": "Infantile onset", "HP:0011463": "Childhood onset", "HP:0410280": "Pediatric onset",
    "HP:0003621": "Juvenile onset", "HP:0003581": "Adult onset", "HP:0011462": "Young adult onset",
    "HP:0025708": "Early young adult onset", "HP:0025709": "Intermediate young adult onset",
    "HP:0025710": "Late young adult onset", "HP:0003596": "Middle age onset", "HP:0003584": "Late onset",
    "HP:4000040": "Puerpural onset", "HP:6000314": "Perimenopausal onset", "HP:6000315": "Postmenopausal onset",
}


def onsets_as_analysed(phenotypes: Iterable[Phenotype], replaced: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Term ID -> the onset the case records for it, where it records one; a feature entered with an alternative or
    obsolete ID (`replaced`: entered ID, current ID) gives its onset to the current term the analysis used."""
    onsets = {p.id: p.onset for p in phenotypes if p.onset}
    for entered, current in replaced:
        if current not in onsets and entered in onsets:
            onsets[current] = onsets[entered]
    return onsets


def onset_words(onset: str | None) -> str:
    """A feature's onset as a clinician reads it: an onset class by its HPO label, an ISO 8601 age in words
    ("at 2 years 10 months"); '' when none."""
    if not onset:
        return ""
    if onset in ONSET_LABELS:
        return ONSET_LABELS[onset]
    return f"at {age_words(onset)}" if duration_parts(onset) else onset


def earliest_onset(case: Case) -> tuple[float, str] | None:
    """By what age the patient's features had begun, in years, and in words: the age at the last encounter, or a
    present feature's onset (an ISO age or an HPO onset class) when earlier. None when neither is recorded."""
    found: list[tuple[float, str]] = []
    years = age_in_years(case.age)
    if years is not None:
        found.append((years, f"this patient's age ({_years_words(years)})"))
    elif (stated := encounter_stage(case)) is not None and stated[0] is not None:
        found.append((stated[0], f"this patient's age ({stated[1]})"))
    for p in case.phenotypes:
        if p.excluded or not p.onset:
            continue
        y = ONSET_CLASSES.get(p.onset, (0.0, None))[1] if ":" in p.onset else age_in_years(p.onset)
        if y is not None:
            by = "at birth or before" if y == 0 else f"{'by' if ':' in p.onset else 'at'} {_years_words(y)}"
            found.append((y, f"the onset of this patient's features ({by})"))
    return min(found, key=lambda f: f[0]) if found else None


def encounter_stage(case: Case) -> tuple[float | None, str] | None:
    """The age at the last encounter where the phenopacket gives it otherwise than as an ISO age (case.age): an HPO
    onset class ("Childhood onset": by 5 years) or a gestational age (a fetus: before birth, 0). (By what age in
    years, or None where the class sets no upper end; in words.) None where it gives neither, or case.age is set."""
    if case.age:
        return None
    subject = case.extra.get("subject")
    time = subject.get("timeAtLastEncounter") or subject.get("timeAtEncounter") if isinstance(subject, dict) else None
    if not isinstance(time, dict):
        return None
    stage = time.get("ontologyClass")
    if isinstance(stage, dict) and isinstance(stage.get("id"), str):
        term = normalise_hpo_id(stage["id"])
        if term in ONSET_CLASSES:
            start, by = ONSET_CLASSES[term]
            stage = ONSET_LABELS.get(term, term).removesuffix(" onset").lower()  # "Childhood onset": childhood
            bound = f"by {_years_words(by)}" if by is not None else f"from {_years_words(start)}"
            return by, f"{stage}, {'at birth or before' if by == 0 else bound}"
    gestation = _gestational_age(time.get("gestationalAge"))
    if gestation is not None:
        return 0.0, f"a fetus at {gestation[0]}+{gestation[1]} weeks of gestation"
    return None


def _gestational_age(value: Any) -> tuple[int, int] | None:
    """(weeks, days) of a phenopacket GestationalAge object ({"weeks": 30, "days": 2}); None where it is not one."""
    if not isinstance(value, dict):
        return None
    weeks, days = value.get("weeks"), value.get("days", 0)
    if not isinstance(weeks, int) or isinstance(weeks, bool) or weeks < 0:
        return None
    return weeks, days if isinstance(days, int) and not isinstance(days, bool) else 0


def _years_words(years: float) -> str:
    """An age in years in words: months under a year, days under a month."""
    for amount, unit in ((years, "year"), (years * 12, "month"), (years * 365.25, "day")):
        value = round(amount, 1) if unit == "year" else round(amount)
        if value >= 1 or unit == "day":
            return f"{value:g} {unit}{'' if value == 1 else 's'}"
    return ""


_HPO_ID = re.compile(r"(?:https?://purl\.obolibrary\.org/obo/)?HP[:_]?(\d{7})", re.IGNORECASE)


def normalise_hpo_id(term_id: str) -> str:
    """An HPO ID as HPO writes it (HP:0001250), from the forms tools and people write ("hp:0001250", " HP:0001250",
    "HP_0001250", its OBO IRI); any other ID stripped of surrounding space only."""
    term_id = term_id.strip()
    m = _HPO_ID.fullmatch(term_id)
    return f"HP:{m.group(1)}" if m else term_id


def _onset(feature: dict) -> str | None:
    onset = feature.get("onset") or {}
    if not isinstance(onset, dict):
        return None
    for key, inner in (("ontologyClass", "id"), ("age", "iso8601duration")):
        if key in onset:
            value = onset[key]
            found = value.get(inner) if isinstance(value, dict) else None
            return normalise_hpo_id(found) if key == "ontologyClass" and isinstance(found, str) else found
    gestation = _gestational_age(onset.get("gestationalAge"))
    if gestation is not None:
        # a prenatal onset as the HPO class of its gestational week (the onset object itself is kept for export)
        return next(term for limit, term in _GESTATIONAL_ONSETS if gestation[0] < limit)
    return None


def stored_onset(onset: str | None, details: Any) -> str | None:
    """A stored feature's onset as this version reads it. RareTrace before the gestational-age reader stored a
    feature whose onset the phenopacket gives as a gestational age with no onset (the object kept in its details):
    it is read as a fresh import reads it, so that the case is shown, analysed and exported alike. (The window drops
    the object when the onset is edited, so an onset cleared since is not read back from it.)"""
    if onset or not isinstance(details, dict) or not isinstance(details.get("onset"), dict):
        return onset
    return _onset(details) if "gestationalAge" in details["onset"] else onset


# HPO's prenatal onset classes by gestational week (their definitions): embryonal up to 10 weeks of gestation,
# fetal from 10, late first trimester 11-13, second trimester 14-27, third trimester from 28.
_GESTATIONAL_ONSETS = ((10, "HP:0011460"), (11, "HP:0011461"), (14, "HP:0034199"), (28, "HP:0034198"),
                       (10_000, "HP:0034197"))


def sample_for(mapping: dict[str, str], subject_id: str) -> str | None:
    """The VCF sample of the subject in a phenopacket file's individualToFileIdentifiers: the subject's own entry,
    or a lone entry when the subject has no id. Another individual's sample is never taken for the patient's (with
    none chosen, a multi-sample VCF asks for --sample)."""
    sample = mapping.get(subject_id) if subject_id else None
    if sample is None and not subject_id and len(mapping) == 1:
        sample = next(iter(mapping.values()))
    return sample


def matching_sample(samples: Sequence[str], named: str) -> str | None:
    """The VCF sample a case or --sample names: itself, else the one sample of that name in another letter case (a
    LIMS export or a hand-typed "KID" for the caller's "kid"); None where there is none, or two differ only in case."""
    if named in samples:
        return named
    folded = [s for s in samples if s.casefold() == named.casefold()]
    return folded[0] if len(folded) == 1 else None


def _uri_to_path(uri: str, base: Path | None) -> str:
    """The local path of a files URI (relative ones against `base`, the phenopacket's folder); a URI that names no
    local file (s3://, https://) is kept as it is: it travels with the case, and analysis says it cannot be read."""
    if not is_local_path(uri):
        return uri
    parsed = urlparse(uri)
    path = Path(unquote(parsed.path if parsed.scheme == "file" else uri))
    if not path.is_absolute() and base is not None:
        path = base / path
    return str(path)


def not_local_error(f: CaseFile) -> RareTraceError:
    """The one-line error for a file that analysis needs but cannot read from this computer."""
    if not f.path:
        return RareTraceError("a VCF entry of the phenopacket's files has no uri; give the VCF with --vcf")
    if host := file_uri_host(f.path):  # its path was read as if local: file://p.vcf as "/", the host dropped
        name = Path(unquote(urlparse(f.path).path)).name or host
        return RareTraceError(f"file {f.path!r} names the computer {host!r}, not a file on this one; write the path "
                              f"relative to the phenopacket's folder ({name}) or as file:///absolute/path, or give "
                              "the VCF with --vcf")
    return RareTraceError(f"file {f.path!r} is not local; RareTrace reads only local files (file://…)")


def _is_ped(path: str, attrs: Any) -> bool:
    """A phenopacket files entry that is the family's PED file: declared so (fileAttributes.fileFormat "PED", as
    RareTrace exports it) or named so."""
    declared = str(attrs.get("fileFormat", "") if isinstance(attrs, dict) else "").strip().lower()
    return declared in ("ped", "pedigree") or (not declared and path.lower().endswith(".ped"))


def family_ped(case: Case, remedy: str = "--ped, or choose it again in the application") -> str | None:
    """The PED kept with a trio case (chosen in the application, or listed in its phenopacket's files), for a
    re-analysis with its family rather than as a singleton; None where there is none. A PED no longer on disk is an
    error naming it and `remedy`: how the caller's command is given the family's PED instead."""
    ped = kept_text(case, PED_KEY)
    if not ped:
        return None
    if not Path(ped).is_file():
        raise RareTraceError(f"the PED file of case {case.id} is not found: {ped}; put it back, or give the family's "
                             f"PED ({remedy})")
    return ped


def with_labels(case: Case, label: Callable[[str], str | None] | None) -> Case:
    """The case with each feature recorded without a label (a phenopacket may give IDs only) labelled by `label`
    (Ontology.current_label), so that the case list finds it by the feature's name and shows what it is."""
    if label is None or all(p.label for p in case.phenotypes):
        return case
    labelled = tuple(p if p.label else replace(p, label=label(p.id) or "") for p in case.phenotypes)
    return replace(case, phenotypes=labelled)


def kept_text(case: Case, key: str) -> str:
    """A text RareTrace keeps with the case in its extra fields (NOTE_KEY: the clinical note; PED_KEY: the PED's
    path); "" where there is none or it is not text."""
    value = case.extra.get(key) if isinstance(case.extra, dict) else None
    return value if isinstance(value, str) else ""


def keep_stored_note(case: Case, stored: Case | None) -> Case:
    """`case` (read from a file) with the clinical note, the note findings rejected and noted and the PED of the
    stored case of its ID, where the file carries none: a phenopacket brings features; the note typed earlier
    stays. What the file gives as the stored case's export writes it is the stored case's (`phenopacket.as_stored`):
    a case's own export is that case, its typed and note-extracted features still marked so. The rule the GUI applies when a file of a
    stored case is opened, and `raretrace case import` when it updates one."""
    if stored is None or not isinstance(stored.extra, dict):
        return case
    from .phenopacket import as_stored  # imported here: phenopacket.py imports this module

    keys = (NOTE_KEY, REJECTED_KEY, NOTED_KEY, PED_KEY)
    kept = {k: stored.extra[k] for k in keys if stored.extra.get(k) and k not in case.extra}
    return as_stored(replace(case, extra={**case.extra, **kept}) if kept else case, stored)


def _note_findings(value: Any) -> list[list[Any]] | None:
    """[[term, start, end], ...] as the GUI stores them, or None when `value` is not that."""
    if not isinstance(value, list):
        return None
    out = [x for x in value if isinstance(x, list) and len(x) == 3 and isinstance(x[0], str)
           and all(isinstance(n, int) and not isinstance(n, bool) for n in x[1:])]
    return out or None


def kept_note_decisions(case: Case) -> dict[tuple[str, int, int], str]:
    """The clinician's decisions on the note's findings kept with the case: (term, start, end) -> "rejected" or
    "noted" (a relative's finding reviewed). Accepted ones need no record: the case's features are them."""
    extra = case.extra if isinstance(case.extra, dict) else {}
    return {(t, s, e): decision for key, decision in ((REJECTED_KEY, "rejected"), (NOTED_KEY, "noted"))
            for t, s, e in _note_findings(extra.get(key)) or ()}


def _note_from_metadata(extra: dict[str, Any]) -> None:
    """Move the note and the findings rejected and noted in it, which an export wrote into
    metaData.externalReferences, back to their keys (a file written before noted findings were kept has none:
    they read undecided)."""
    meta = extra.get("metaData")
    refs = meta.get("externalReferences") if isinstance(meta, dict) else None
    if not isinstance(refs, list):
        return
    kept, found = [], {}
    for ref in refs:
        ref_id = ref.get("id") if isinstance(ref, dict) else None
        if ref_id in (NOTE_REFERENCE_ID, REJECTED_REFERENCE_ID, NOTED_REFERENCE_ID) and ref_id not in found:
            found[ref_id] = ref.get("description")
        else:
            kept.append(ref)
    if not found:
        return
    note = found.get(NOTE_REFERENCE_ID)
    if isinstance(note, str) and note:
        extra[NOTE_KEY] = note
        for key, ref_id in NOTE_FINDING_KEYS:
            try:
                findings = _note_findings(json.loads(found.get(ref_id) or "null"))
            except (TypeError, ValueError):
                findings = None
            if findings:
                extra[key] = findings
    meta = dict(meta)
    if kept:
        meta["externalReferences"] = kept
    else:
        meta.pop("externalReferences")
    extra["metaData"] = meta


def _json_kind(value: Any) -> str:
    return {dict: "an object", str: "a string", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


# Phenopacket v1 fields that v2 renamed or dropped. The v2 reader tolerates unknown fields, so a v1 file would be read
# without them and without a word: a finding v1 marks "negated": true would be ranked as present, and the onsets, the
# age and the VCF (htsFiles) would vanish.
V1_FIELDS = {
    "phenotypicFeatures": ("negated", "ageOfOnset", "ageRangeOfOnset", "classOfOnset"),
    "subject": ("ageAtCollection", "ageRangeAtCollection"),
    "": ("htsFiles",),
}


def _not_another_message(data: dict[str, Any], where: str) -> None:
    """A one-line error for a GA4GH message that is not a Phenopacket v2 (a Family, a Cohort, a v1 phenopacket):
    read as a phenopacket, its features would be lost (all of them, or the exclusions) without a word."""
    if "phenotypicFeatures" not in data and isinstance(data.get("proband"), dict):
        raise RareTraceError(f"not a phenopacket{where}: it is a GA4GH Family (proband, relatives, pedigree); give "
                             "the proband's phenopacket (the Family's \"proband\" object saved as its own file) and "
                             "the pedigree as a PED file (--ped)")
    if "phenotypicFeatures" not in data and isinstance(data.get("members"), list):
        raise RareTraceError(f"not a phenopacket{where}: it is a GA4GH Cohort of {len(data['members'])} member(s); "
                             "save each member as its own phenopacket file (raretrace batch ranks a folder of them)")
    found = [f'"{key}"' for key in V1_FIELDS[""] if key in data]
    subject = data.get("subject")
    if isinstance(subject, dict):
        found += [f'"subject.{key}"' for key in V1_FIELDS["subject"] if key in subject]
    features = data.get("phenotypicFeatures")
    for n, feature in enumerate(features if isinstance(features, list) else [], start=1):
        if isinstance(feature, dict):
            found += [f'"{key}" (phenotypic feature {n})' for key in V1_FIELDS["phenotypicFeatures"] if key in feature]
    if found:
        raise RareTraceError(f"not a Phenopacket v2{where}: it has Phenopacket v1's {found[0]}"
                             f"{f' and {len(found) - 1} more v1 field(s)' if len(found) > 1 else ''}; convert it to "
                             "v2 (e.g. phenopacket-tools convert), where an absent finding is \"excluded\": true")


def _sex(value: Any) -> Any:
    """subject.sex as its enum name: also protobuf's number for it (JSON may carry an enum so: 1 is FEMALE) and the
    name in another case ("female"), which protobuf's reader would otherwise drop as an unknown value."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(SEXES):
        from phenopackets import Sex

        return Sex.Name(value)
    if isinstance(value, str) and value.strip().upper() in SEXES:
        return value.strip().upper()
    return value


def case_from_phenopacket(data: Any, source: Path | None = None) -> Case:
    """Read a parsed Phenopacket v2 object; raises RareTraceError with a one-line reason when it is not one."""
    where = f" in {source}" if source else ""
    if isinstance(data, list):
        raise RareTraceError(f"not a phenopacket{where}: the top level is a list of {len(data)} item(s), and a "
                             "phenopacket file holds one phenopacket (a JSON object); save each as its own file "
                             "(raretrace batch ranks a folder of them)")
    if not isinstance(data, dict):
        raise RareTraceError(f"not a phenopacket{where}: the top level must be a JSON object")
    _not_another_message(data, where)
    if "phenotypicFeatures" not in data and "subject" not in data and "id" not in data:
        raise RareTraceError(f"not a phenopacket{where}: no id, subject or phenotypicFeatures")
    from .phenopacket import schema_problem  # the official schema; imported here to avoid an import cycle

    # The parts RareTrace reads are checked first, in words (the schema reader's messages name its internals).
    for key in ("phenotypicFeatures", "files"):
        if key in data and data[key] is not None and not isinstance(data[key], list):
            raise RareTraceError(f"not a valid phenopacket{where}: {key} must be a list [...], not "
                                 f"{_json_kind(data[key])}")
    for n, feature in enumerate(data.get("phenotypicFeatures") or [], start=1):
        term = feature.get("type") if isinstance(feature, dict) else None
        if isinstance(term, dict) and term.get("id") is not None and not isinstance(term["id"], str):
            raise RareTraceError(f"phenotypic feature {n}{where}: type.id must be a string such as HP:0001250, not "
                                 f"{_json_kind(term['id'])}")
        if not isinstance(term, dict) or not isinstance(term.get("id"), str):
            raise RareTraceError(f"phenotypic feature {n}{where} has no type.id (an HPO ID such as HP:0001250)")
    problem = schema_problem(data, allow_unknown_fields=True)
    if problem:
        raise RareTraceError(f"not a valid phenopacket{where}: {problem}")
    phenotypes = []
    for feature in data.get("phenotypicFeatures") or []:  # each a dict with a string type.id (checked above)
        term = feature["type"]
        phenotypes.append(
            Phenotype(
                id=normalise_hpo_id(term["id"]),
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
    sex = _sex(subject.get("sex"))
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
    ped = ""
    base = source.parent if source else None
    for n, entry in enumerate(data.get("files") or [], start=1):
        if not isinstance(entry, dict):
            continue
        attrs = entry.get("fileAttributes") or {}
        mapping = entry.get("individualToFileIdentifiers") or {}
        sample = sample_for(mapping, subject_id)
        path = _uri_to_path(str(entry["uri"]), base) if entry.get("uri") else ""
        if "\0" in path:  # every use of the path (stat, open, compare) would fail on it
            raise RareTraceError(f"file {n}{where}: its uri {str(entry['uri'])[:80]!r} holds a NUL byte, which no "
                                 "file path can; correct the uri")
        if not ped and is_local_path(path) and _is_ped(path, attrs):
            ped = path  # the family's PED: kept as the case's PED (PED_KEY), as the application keeps one chosen
            continue
        files.append(
            CaseFile(  # an entry without a uri is kept too (path ""): it goes back out on export
                path=path,
                assembly=normalise_assembly(attrs.get("genomeAssembly")),
                sample=sample,
                details=entry,
            )
        )
    kept_elsewhere = ("interpretations", "diseases", "phenotypicFeatures", "files")
    extra = {k: v for k, v in data.items() if k not in kept_elsewhere}
    _note_from_metadata(extra)
    if ped:
        extra[PED_KEY] = ped
    case_id = str(data.get("id") or "").strip() or (source.stem if source else "case")
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
    """The case of a phenopacket file; its path and the files it lists are made absolute (relative ones against the
    working directory, and the file's folder for its `files`), so a stored case is found again from anywhere."""
    _not_standard_input(Path(path))
    path = Path(os.path.abspath(path))
    return case_from_phenopacket(read_json_file(path), path)


def _not_standard_input(path: Path) -> None:
    """'-' (standard input to `extract`) given for a case, no file of that name being there: said as such, not as a
    missing file in the current folder."""
    if str(path) == "-" and not path.exists():
        raise RareTraceError("'-' (standard input) is not read as a case; save the phenopacket to a file and give "
                             "its path")


def _encoding_hint(raw: bytes) -> str:
    """What a JSON file that is not UTF-8 most likely is, from its first bytes (JSON begins with ASCII)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(raw) > 1 and 0 in raw[:2]):
        return " (it looks like UTF-16)"
    return "" if b"\0" in raw else " (it may be Latin-1 or another legacy encoding)"


def read_json_file(path: Path) -> Any:
    """A phenopacket file's JSON, with a one-line RareTraceError for a folder, a missing, huge, empty, binary or
    malformed file."""
    if path.is_dir():
        raise RareTraceError(f"{path} is a folder; give a phenopacket JSON file")
    if not path.is_file():
        if path.exists():  # /dev/stdin, a pipe, a device: no size to check, maybe no end
            raise RareTraceError(f"{path} is not a regular file; save the phenopacket to a file and give its path")
        raise RareTraceError(f"case file not found: {path}")
    size = path.stat().st_size
    if size > MAX_PHENOPACKET_BYTES:
        raise RareTraceError(f"{path} is too large for a phenopacket (> 50 MB)")
    if size == 0:
        raise RareTraceError(f"{path} is empty; a case must be a phenopacket JSON file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RareTraceError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise RareTraceError(f"{path} is not UTF-8 text{_encoding_hint(raw)}; a phenopacket JSON file must be UTF-8: "
                             "save it again as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise RareTraceError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    except (ValueError, RecursionError) as exc:  # e.g. a 5,000-digit number or nesting thousands deep
        raise RareTraceError(f"{path} is not a usable JSON file ({str(exc).splitlines()[0][:120]})") from exc
    return data


def case_from_terms(case_id: str, present: list[str], excluded: list[str] | None = None, sex: str | None = None) -> Case:
    """A case built from HPO IDs typed on the command line or picked in the GUI."""
    phenos = [Phenotype(t) for t in present] + [Phenotype(t, excluded=True) for t in excluded or []]
    return Case(id=case_id, phenotypes=tuple(phenos), sex=sex)


def phenopacket_files(paths: list[Path] | tuple[Path, ...]) -> list[Path]:
    """The phenopacket JSON files named by files and folders (searched recursively, hidden ones left out), in a
    stable order; a file named again (a folder and a file in it, a link to a file already listed) is listed once, so
    it is read once. The one file finder of `batch`, `case import` and the case library's additions: they find the
    same files."""
    files: list[Path] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            # .json in any letter case (Windows tools write CASE.JSON); a folder named so is no file to read, and a
            # broken link is kept, to be named as such. Hidden files and folders below it are not cases: macOS's
            # AppleDouble copies (._case.json, binary) and .Trashes would each be a warning and fail the run
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".json" and not p.is_dir()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
            found = [path]  # a pipe or a device is named by the reader, which refuses it
        else:
            _not_standard_input(path)
            raise RareTraceError(f"no such file or folder: {path}")
        for file in found:
            if (real := Path(os.path.realpath(file))) not in seen:  # realpath: a link to itself raises no error
                seen.add(real)
                files.append(file)
    if not files:
        raise RareTraceError("no phenopacket JSON files found in " + ", ".join(map(str, paths)))
    return files
