"""The file dialogs' filters. Each pattern matches its suffix in any letter case: Qt's own dialog ignores case, but
a native one (GTK's) matches a pattern as written, so `*.json` hid CASE.JSON, which Windows tools write, though
RareTrace reads it (as `case.phenopacket_files` does)."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog


def any_case(suffix: str) -> str:
    """A glob pattern of the suffix in any letter case: ".json" gives "*.[jJ][sS][oO][nN]"."""
    return "*" + "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in suffix)


def name_filter(name: str, *suffixes: str) -> str:
    """A dialog's filter of the suffixes in any case, "Name (*.[jJ]… …)" (shown as the name alone: the dialogs are
    opened with HideNameFilterDetails, as the bracketed patterns read badly)."""
    return f"{name} ({' '.join(any_case(s) for s in suffixes)})"


ALL_FILES = "All files (*)"
PHENOPACKETS = name_filter("Phenopackets", ".json")
VCF_FILES = name_filter("VCF files", ".vcf", ".vcf.gz", ".vcf.bgz", ".bcf")
PED_FILES = name_filter("PED", ".ped")
# the filters' names alone, without their patterns
SHOW_NAMES = QFileDialog.Option.HideNameFilterDetails
