"""One entry point for an analysis, shared by the CLI, the GUI and the batch runner.

Case in, AnalysisResult (with evidence) out: phenotype ranking, plus the genomics step when the case has a VCF.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .case import Case, CaseFile, normalise_assembly, not_local_error
from .engine import Engine
from .errors import RareTraceError
from .evidence import AnalysisResult
from .kb import Progress

if TYPE_CHECKING:
    from .genomics import GenomicsResult


DEFAULT_FILTERS = ("PASS", ".")  # as raretrace.genomics.DEFAULT_FILTERS (not imported here: cyvcf2 loads slowly)


def parse_filters(text: str) -> tuple[str, ...] | None:
    """VCF FILTER values accepted, comma-separated ('PASS,LowQual'); 'any' accepts every record (None)."""
    values = tuple(dict.fromkeys("PASS" if v.strip().upper() == "PASS" else v.strip()
                                 for v in text.replace(";", ",").split(",") if v.strip()))  # fmt: skip
    if not values:
        raise RareTraceError("give FILTER values such as PASS,LowQual, or 'any'")
    return None if any(v.lower() == "any" for v in values) else values


def filters_text(filters: tuple[str, ...] | None) -> str:
    return "any" if filters is None else ",".join(filters)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name the same file. os.path.realpath, not Path.resolve: a phenopacket's files may name a
    link that points at itself, which resolve() raises on."""
    return os.path.realpath(a) == os.path.realpath(b)


def vcf_of(case: Case, vcf: str | Path | None, assembly: str | None, sample: str | None) -> CaseFile | None:
    """The VCF to analyse: --vcf wins over the phenopacket's files; --assembly/--sample override theirs."""
    chosen = case.vcf
    if vcf and (chosen is None or not same_file(vcf, chosen.path)):
        # another file than the phenopacket's: its declared build and sample do not apply
        chosen = CaseFile(str(vcf))
    if chosen is None:
        return None
    if not chosen.local:  # the phenopacket's VCF is on no disk of this computer (s3://, https://)
        raise not_local_error(chosen)
    return CaseFile(
        chosen.path,
        normalise_assembly(assembly) if assembly else chosen.assembly,
        sample or chosen.sample,
    )


def unmapped_subject_note(case: Case, vcf_file: CaseFile, sample: str | None) -> str:
    """A warning where the phenopacket maps the VCF's samples to individuals and none of them to the subject ({"mother":
    "M1"}, or an ID written otherwise than subject.id): the file's own choice (its only sample, a PED's affected
    individual) is then analysed as the patient's, which the clinician should confirm. Not an error: a tool that keys
    the mapping by the phenopacket's ID instead of the subject's names the patient's sample all the same."""
    own = case.vcf
    if sample or vcf_file.sample or own is None or not same_file(own.path, vcf_file.path):
        return ""
    mapping = (own.details or {}).get("individualToFileIdentifiers")
    if not isinstance(mapping, dict) or not mapping:
        return ""
    named = ", ".join(f"{k!r}: {v!r}" for k, v in list(mapping.items())[:3]) + (" …" if len(mapping) > 3 else "")
    return (f"the phenopacket's individualToFileIdentifiers for {Path(own.path).name} ({named}) names no sample of "
            f"the subject {case.subject_id or '(no subject id)'!r}: the sample analysed was chosen from the file "
            "(see the VCF line); check that it is the patient's, or choose it (--sample, or Sample in the Genomics tab)")


def run_analysis(
    engine: Engine,
    case: Case,
    *,
    vcf: str | Path | None = None,
    assembly: str | None = None,
    sample: str | None = None,
    ped: str | Path | None = None,
    top: int = 20,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    genomics: GenomicsResult | None = None,
    filters: tuple[str, ...] | None = DEFAULT_FILTERS,
) -> AnalysisResult:
    """`genomics`: the case's VCF already read (the GUI's Genomics tab), ranked as it is instead of read again.
    `filters`: the VCF FILTER values accepted (None: all records)."""
    ranker = engine.ranker_for(case)
    _ = ranker.model  # load the model first: a bad --device fails before a long VCF pass
    vcf_file = vcf_of(case, vcf, assembly, sample)
    skipped = _files_not_read(case, vcf_file)
    unmapped = unmapped_subject_note(case, vcf_file, sample) if vcf_file is not None else ""
    if unmapped:
        skipped = (unmapped, *skipped)
    paper = engine.own_publication(case)
    # said first: the banner shows the first warnings, and this one changes how the evidence reads
    first = (engine.own_publication_note(case.id, paper),) if paper else ()

    def finish(result: AnalysisResult) -> AnalysisResult:
        if not (first or skipped):
            return result
        # the HPO-release notice stays last, after this case's own warnings (the banner shows the first few)
        release = ranker.release_warning
        own = tuple(w for w in result.warnings if w != release)
        return replace(result, warnings=(*first, *own, *skipped, *((release,) if release in result.warnings else ())))

    if vcf_file is None:
        if ped:
            raise RareTraceError("--ped needs a VCF (--vcf or a VCF in the phenopacket's files)")
        result = ranker.analyse(case, top=top)
        unused = [name for name, given in (("--assembly", assembly), ("--sample", sample),
                                           ("--filter", filters is None or set(filters) != set(DEFAULT_FILTERS)))
                  if given]  # (the default's values in any order, "--filter .,PASS", change nothing: not said)
        if unused:
            note = f"{' and '.join(unused)} ignored: no VCF was given (--vcf or the phenopacket's files)"
            result = replace(result, warnings=(*result.warnings, note))
        return finish(result)
    from .genomics import analyse_with_variants

    # --assembly and the phenopacket's build for the same file must agree (both are checked against the header)
    own = case.vcf
    declared = own.assembly if assembly and own is not None and Path(own.path) == Path(vcf_file.path) else None
    result = analyse_with_variants(
        ranker, case, vcf_file, ped=ped, top=top, progress=progress, cancel=cancel, genomics=genomics,
        assembly_source="--assembly" if assembly else "the case's genome build", declared_assembly=declared,
        sample_source="--sample" if sample else "the phenopacket's individualToFileIdentifiers",
        filters=filters,
    )
    return finish(result)


def _files_not_read(case: Case, analysed: CaseFile | None) -> tuple[str, ...]:
    """Warnings for the phenopacket's files the analysis does not read: not on this computer (s3://, https://) or
    without uri (kept with the case), and local ones other than the VCF analysed."""
    skipped = [f.path or "(an entry without uri)" for f in case.files if not f.local]
    unused = [f.path for f in case.files
              if f.local and (analysed is None or not same_file(f.path, analysed.path))]
    out = []
    if skipped:
        shown = ", ".join(skipped[:3]) + (" ..." if len(skipped) > 3 else "")
        out.append(f"{len(skipped)} of the phenopacket's files not read (not a local file): {shown}")
    if unused:  # a second VCF, or a file neither named nor declared (fileFormat) a VCF/BCF
        shown = ", ".join(unused[:3]) + (" ..." if len(unused) > 3 else "")
        used = (f"only {analysed.path} is analysed" if analysed else
                "none is named or declared (fileFormat) a VCF/BCF")  # fmt: skip
        out.append(f"{len(unused)} of the phenopacket's files not used ({used}): {shown}")
    return tuple(out)
