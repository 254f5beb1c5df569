"""Streaming a patient's VCF into per-gene variant evidence (the one VCF reader of RareTrace).

Records are read with cyvcf2 in chunks; per record only the proband's (and relatives') genotypes are touched in
Python, while gene lookup, region and prior are vectorised per chunk. Each gene keeps its few best variants, so
memory stays bounded whatever the size of the file.
"""

from __future__ import annotations

import gc
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

from ..case import matching_sample
from ..errors import Cancelled, RareTraceError
from ..evidence import AcmgCriterion, VariantEvidence, VcfSummary, attention
from ..inheritance import (
    INCONSISTENT,
    Haplotype,
    ParentalPhases,
    RelativeCall,
    by_parents_phase,
    gene_modes,
    pair_phase,
    phase,
)
from ..pedigree import Pedigree, read_ped
from .annotation import (
    AnnotationSchema,
    GeneAnnotation,
    annotate,
    annovar_alleles,
    clinvar_benign,
    clinvar_pathogenic,
    clinvar_pathogenic_not_likely,
    clinvar_per_allele,
    record_level,
    schema_from_header,
    split_clinvar_alleles,
)
from .ba1_exceptions import Ba1Exceptions, ba1_exceptions
from .codons import _annotated_conservation, _on_bundled_protein, _pure_insertion, _read_codons
from .family import (
    FamilyReading,
    Parentage,
    ParentPhase,
    _allele_from,
    _copies,
    _family_calls,
    _family_in_file,
    _family_read,
    _family_reading,
    _haploid_in_par,
    _lineage,
    _member_genotypes,
    _one_parent_homozygous,
    _origin,
    _origin_note,
    _other_parent_calls,
    _parent_text,
    _ParentageCheck,
    _parental_doubt,
    _parental_phases,
    _presumed_from_unread,
    _sharing,
    _trans_partners,
    _TwinCheck,
)
from .gene_model import (
    CODING,
    DOWNSTREAM,
    EXONIC,
    FRAME_UNKNOWN,
    FRAMESHIFT,
    FRAMESHIFT_LAST_EXON,
    INTRONIC,
    NO_CDS,
    PSEUDOAUTOSOMAL,
    REFERENCE_GAP,
    REGION_NAMES,
    SPLICE_NEAR,
    SPLICE_REGION,
    SPLICE_SITE,
    SPLICE_SITE_REGION,
    STOP_GAINED,
    UPSTREAM,
    UTR3,
    UTR5,
    GeneIndex,
    Regions,
    gene_index,
    in_pseudoautosomal,
    normalise_chrom,
)
from .interpret import (
    FRAMESHIFT_LENGTH,
    INFRAME_INDEL,
    NMD_BOUNDARY_BP,
    SNV,
    SPLICEAI_PP3,
    STRUCTURAL,
    Lineage,
    OtherParent,
    SvOverlap,
    Twins,
    annotated_pathogenicity,
    criteria,
    frequency_weight,
    healthy_homozygote_criteria,
    region_label,
    region_prior,
    segregation_criteria,
    structural_prior,
    variant_class,
    written_indel,
)
from .population import SOURCE_NAME as BUNDLED_AF_SOURCE
from .population import PopulationFrequencies, population_frequencies
from .published import (
    NEAR_PUBLISHED_BP,
    PUBLISHED_PATHOGENICITY,
    NearPublished,
    Published,
    PublishedVariants,
    published_variants,
)
from .vcf import (
    CONTIG_LENGTHS,
    VcfFile,
    _sample_ints,
    choose_sample,
    compression_fault,
    compression_fault_message,
    contig_lengths,
    has_genotypes,
    header_infos,
    header_numbers,
    hg19_mitochondrion,
    hg19_mitochondrion_warning,
    open_reader,
    quiet_htslib,
    resolve_assembly,
    sniff,
)

Progress = Callable[[str, float], None]
CancelCheck = Callable[[], bool]

DEFAULT_FILTERS = frozenset({"PASS", "."})
MAX_VARIANTS_PER_GENE = 5
CANDIDATE_MIN = 0.1  # pathogenicity below which a variant cannot explain a gene (deep intronic, flanking, benign)
CHUNK = 8192
# PM3 (in trans with a pathogenic variant, recessive disorders): the other variant must look pathogenic on its own
# (loss of function or a canonical splice site, ClinVar or published pathogenic), not merely be a second rare
# exonic change (0.55-0.7 without annotation).
PM3_PARTNER_MIN = 0.85
MAX_CONSECUTIVE_MALFORMED = 20  # more unreadable records in a row than this: the file is damaged, not one bad line
SKIP_ALTS = frozenset({"*", "<*>", "<NON_REF>", ".", "<X>"})
GVCF_ALTS = frozenset({"<NON_REF>", "<*>"})  # a gVCF's "any other allele", last at each of its variant sites
SHIFT = np.int64(32)


class GeneVariants:
    """A gene's best variants in the patient (best first) and what they allow under each mode of inheritance.

    `pathogenicities`, `genotypes`, `origins` and `haplotypes` run parallel to `variants`; the VariantEvidence
    objects themselves are built on first access (an exome touches thousands of genes, a report shows a few).
    """

    __slots__ = ("symbol", "chrom", "pathogenicities", "genotypes", "origins", "haplotypes", "variant_count",
                 "sex", "affected_parents", "family", "parental", "_make", "_variants", "_summary", "_modes")  # fmt: skip

    def __init__(
        self,
        symbol: str,
        chrom: str,
        pathogenicities: tuple[float, ...],
        genotypes: tuple[str, ...],
        origins: tuple[str, ...],
        haplotypes: tuple[Haplotype | None, ...],
        variant_count: int,
        make: Callable[[], tuple[VariantEvidence, ...]] | tuple[VariantEvidence, ...],
        sex: str | None = None,
        affected_parents: dict[str, bool | None] | None = None,
        family: tuple[tuple[RelativeCall, ...], ...] = (),
        parental: ParentalPhases | None = None,
    ) -> None:
        self.symbol = symbol
        self.chrom = chrom
        self.pathogenicities = pathogenicities  # 0..1 per variant, best first
        self.genotypes = genotypes  # het | hom_alt | hemizygous | heteroplasmic | homoplasmic
        self.origins = origins  # paternal | maternal | de_novo | both_parents | unknown
        self.haplotypes = haplotypes  # (phase set, haplotype 0/1) of a phased call, or None
        self.variant_count = variant_count  # all the patient's variants assigned to the gene, any region
        self.sex = sex  # as used for the genotype labels
        self.affected_parents = affected_parents or {}
        self.family = family  # per variant, the calls of the relatives of known affection status (PED); () if none
        # the phase the parents' calls tell of pairs of variants (_parental_phases); None: read from the origins
        self.parental = parental
        self._modes: dict[str, float] | None = None
        self._make = None if isinstance(make, tuple) else make
        self._variants = make if isinstance(make, tuple) else None
        self._summary: str | None = None

    @property
    def variants(self) -> tuple[VariantEvidence, ...]:
        if self._variants is None:
            self._variants = self._make()
            self._make = None
        return self._variants

    @property
    def mode_scores(self) -> dict[str, float]:
        """AD, AR, XD, XR, MT, YL -> variant score 0..1 under that mode (raretrace.inheritance)."""
        if self._modes is None:
            from ..inheritance import mode_scores

            self._modes = mode_scores(self.pathogenicities, self.genotypes, self.origins, self.haplotypes,
                                      self.chrom, self.sex, self.affected_parents, self.family, self.parental)  # fmt: skip
        return self._modes

    @property
    def genotype_summary(self) -> str:
        if self._summary is None:
            from ..inheritance import genotype_summary

            self._summary = genotype_summary(self.genotypes, self.origins, self.haplotypes, self.parental)
        return self._summary

    @property
    def best_pathogenicity(self) -> float:
        return self.pathogenicities[0] if self.pathogenicities else 0.0

    def __repr__(self) -> str:
        return f"GeneVariants({self.symbol}, best={self.best_pathogenicity:.2f}, {self.genotype_summary})"


@dataclass(frozen=True, slots=True)
class GenomicsResult:
    summary: VcfSummary
    genes: dict[str, GeneVariants]
    sex: str | None  # as used for chrX genotypes (given, from PED, or inferred)
    sex_source: str  # given | PED file | inferred from chrX | ""
    relatives: dict[str, str] = field(default_factory=dict)  # sample -> father | mother | relative
    affected: dict[str, bool | None] = field(default_factory=dict)  # sample -> affected status from the PED
    counts: dict[str, int] = field(default_factory=dict)
    annotation: str = ""  # annotation found in the file ('' = none: gene model only)
    kind: str = ""  # VCF | bgzipped VCF | gzipped VCF | BCF
    assembly_source: str = ""  # how the build was decided, e.g. "header contig 1 length 249250621"
    sample_source: str = ""  # how the patient's sample was chosen
    seconds: float = 0.0
    parentage: Parentage | None = None  # a trio's: whether the calls confirm maternity and paternity (PS2 or PM6)
    x_sex: str | None = None  # the sex the patient's chrX calls suggest (None: too few calls, or neither clearly)

    @property
    def trio(self) -> bool:
        return {"father", "mother"} <= set(self.relatives.values())


@dataclass(slots=True)
class _Candidate:
    path: float
    row: tuple
    region: int
    donor: bool
    cds: int  # gene_model.NO_CDS, UTR5 ... LIKELY_SYNONYMOUS
    exons_hit: int
    annotation: GeneAnnotation | None
    published: tuple[Published, ...] = ()
    near: NearPublished | None = None
    bundled_af: float | None = None  # 1000 Genomes frequency, when the file gives none for this variant
    sv_overlap: SvOverlap | None = None  # what a structural variant overlaps of the gene
    protein_change: str = ""  # an unannotated coding or stop codon change read against the bundled protein
    nmd_escape: str = ""  # why an unannotated premature stop may escape nonsense-mediated decay (PVS1 strong)
    ba1_exception: str = ""  # its name on ClinGen SVI's BA1 exception list ('' where not listed)
    # where an unannotated splice site or splice region change lies against the exon (GeneIndex.splice_site_place)
    splice_site: str = ""
    # why an unannotated frameshift-length indel in an exon is no frameshift, or an in-frame one has no PM4
    # (_no_frameshift_text)
    frame_note: str = ""
    exon_edge: bool = False  # in the exonic part of a splice region (Regions.exon_edge): BP4 needs SpliceAI there
    # how homologues keep an annotated missense change's residue, where that told its class (_annotated_conservation)
    conservation_note: str = ""


def _no_progress(_m: str, _f: float) -> None:
    return None


def load_genomics(
    path: str | Path,
    db,
    *,
    assembly: str | None = None,
    assembly_source: str = "--assembly",
    declared_assembly: str | None = None,
    declared_source: str = "the phenopacket's files",
    sample: str | None = None,
    sample_source: str = "",
    ped: str | Path | Pedigree | None = None,
    filters: Iterable[str] | None = DEFAULT_FILTERS,
    sex: str | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
    threads: int = 1,
    exclude_pmids: frozenset[str] = frozenset(),
) -> GenomicsResult:
    """Read a VCF/BCF for one patient and return per-gene variant evidence.

    assembly: GRCh37/GRCh38 (aliases accepted) from the user; declared_assembly: what the phenopacket states.
    sample_source: where `sample` comes from, named when it is not in the file ("--sample", the phenopacket's
    individualToFileIdentifiers). filters: FILTER values accepted (None: accept all). sex: MALE/FEMALE (phenopacket vocabulary) or None.
    exclude_pmids: publications whose reported variants must not count (evaluation on held-out publications).
    Raises RareTraceError (one line) on unusable input and raretrace.errors.Cancelled when cancel() turns true.
    """
    with quiet_htslib():
        return _load(path, db, assembly, assembly_source, declared_assembly, declared_source, sample, ped, filters,
                     sex, progress or _no_progress, cancel, threads, frozenset(exclude_pmids),
                     named_by=sample_source)  # fmt: skip


def _load(path, db, assembly, assembly_source, declared_assembly, declared_source, sample, ped, filters, sex,
          progress, cancel, threads, exclude_pmids, *, named_by: str = "") -> GenomicsResult:  # fmt: skip
    """Reads one patient's VCF in stages: header and patient, family, the records, the sex, then each gene."""
    started = time.perf_counter()
    vcf = sniff(path)
    name = vcf.path.name
    warnings = list(vcf.warnings)
    pedigree = ped if isinstance(ped, Pedigree) or ped is None else read_ped(ped)

    progress(f"Reading the header of {name}", 0.0)
    raw_header, all_samples = _read_header(vcf, name, threads)
    build, build_source = resolve_assembly(
        raw_header, name, [(assembly, assembly_source), (declared_assembly, declared_source)]
    )
    pedigree, proband, sample_source = _choose_patient(pedigree, all_samples, name, sample, named_by, warnings)
    relatives, affected, kin, sex, sex_source = _family_in_file(pedigree, proband, all_samples, sex, warnings)
    reader, reading = _prepare_reading(vcf, name, db, build, raw_header, all_samples, proband, relatives, kin,
                                       filters, exclude_pmids, threads)  # fmt: skip
    try:
        _stream(reading, reader, proband, progress, cancel)
    except Cancelled:
        raise
    except RareTraceError as exc:
        # htslib names the cut of a truncated gzip file as a malformed data line: say what really happened
        fault = compression_fault(vcf)
        if fault:
            raise RareTraceError(compression_fault_message(vcf, fault)) from exc
        raise
    _stream_warnings(reading, proband, warnings)
    counts = reading.counts
    sex, sex_source, inferred = _sex_from_chrx(counts, sex, sex_source, pedigree, proband, warnings)

    progress("Interpreting variants per gene", 0.97)
    family = _family_reading(pedigree, proband, relatives, affected, kin, reading.parentage, reading.twin_check,
                             warnings)  # fmt: skip
    genes = _gene_variants(reading, db, proband, sex, relatives, kin, family)
    _call_warnings(reading, genes, sex, family.parentage, warnings)
    _count_warnings(reading, proband, warnings)
    summary = VcfSummary(
        path=str(vcf.path),
        sha256=vcf.sha256,
        assembly=build,
        sample=proband,
        records=counts["records"],
        variants_kept=counts["alleles_kept"],
        warnings=tuple(warnings),
        ped=pedigree.path if pedigree is not None and pedigree.path and relatives else "",
        family=_family_read(pedigree, proband, relatives, affected) if relatives else (),
        parentage=family.parentage.text() if family.parentage is not None else "",
    )
    progress("Variants read", 1.0)
    counts["genes_with_variants"] = len(genes)
    return GenomicsResult(
        summary=summary,
        genes=genes,
        sex=sex,
        sex_source=sex_source or ("" if sex is None else "given"),
        relatives=relatives,
        affected=affected,
        counts=counts,
        annotation=reading.schema.describe() if reading.schema.present else "",
        kind=vcf.kind,
        assembly_source=build_source,
        sample_source=sample_source,
        seconds=time.perf_counter() - started,
        parentage=family.parentage,
        x_sex=inferred,
    )


def _read_header(vcf: VcfFile, name: str, threads: int) -> tuple[str, list[str]]:
    """The header and the sample names, checked before anything else: a sites-only VCF or one without GT has no
    patient's genotypes to read."""
    reader = open_reader(vcf, threads=threads)
    raw_header = reader.raw_header
    all_samples = list(reader.samples)
    reader.close()
    if not all_samples:
        raise RareTraceError(f"{name} has no sample columns (sites only); RareTrace needs the patient's genotypes")
    if not has_genotypes(raw_header):
        raise RareTraceError(f"{name} has no GT (genotype) field in its header; RareTrace needs genotypes")
    return raw_header, all_samples


def _choose_patient(pedigree: Pedigree | None, all_samples: list[str], name: str, sample: str | None,
                    named_by: str, warnings: list[str]) -> tuple[Pedigree | None, str, str]:  # fmt: skip
    """The PED matched to the file's samples and the patient's sample chosen, with how it was chosen: names in
    another letter case are read as the file's, and said, so that a LIMS name or a hand-typed --sample still fits."""
    if pedigree is not None:
        pedigree, renamed = pedigree.matched_to(all_samples, name)
        if renamed:
            where = pedigree.name
            who = "an individual" if len(renamed) == 1 else f"{len(renamed)} individuals"
            warnings.append(f"{where} names {who} in another letter case than {name}'s samples, read as those "
                            f"samples: {', '.join(f'{k} as {v}' for k, v in renamed.items())}")
    if pedigree is not None and pedigree.quantitative:
        where = pedigree.name
        warnings.append(f"{where}'s sixth column holds quantities such as {pedigree.quantitative}, not affection "
                        "status (2 affected, 1 unaffected): every individual's status is read as unknown")
    if sample and sample not in all_samples and (found := matching_sample(all_samples, sample)) is not None:
        # as the PED's IDs are matched: a LIMS name or a hand-typed --sample often differs in case from the caller's
        warnings.append(f"sample {sample!r} (named by {named_by or 'the case'}) is read as {name}'s sample "
                        f"{found!r}, its one sample of that name in another letter case")
        sample = found
    proband, sample_source = choose_sample(all_samples, name, sample, pedigree, named_by)
    if pedigree is not None and sample_source.startswith("affected individual"):
        children = [i.id for i in pedigree.individuals if proband in (i.father, i.mother) and i.id in all_samples]
        if children:  # a PED marking an affected parent, or the child's status left out: say whom we analyse
            warnings.append(f"the PED file's one affected individual, {proband}, is analysed as the patient, and is "
                            f"the parent of {', '.join(children)}; if the patient is the child, give --sample")
    return pedigree, proband, sample_source


@dataclass(slots=True, eq=False)
class _Reading:
    """One VCF's reading: what its header, samples and gene model fix for every record (read-only once made), and
    what the records add up to (the chunk of kept alleles being filled, each gene's best candidates, the counts)."""

    name: str
    raw_header: str
    build: str
    index: GeneIndex
    schema: AnnotationSchema
    published: PublishedVariants
    population: PopulationFrequencies
    exceptions: Ba1Exceptions
    exclude_pmids: frozenset[str]
    par: tuple  # chrX's pseudoautosomal regions in this build
    pi: int  # the patient's column among the samples read
    father_i: int | None
    mother_i: int | None
    relative_idx: list[tuple[int, str]]  # (column, sample) of each relative read
    single: bool  # the patient's is the only sample read
    has_ps: bool  # phase sets: phased calls of different sets are not comparable
    has_pid: bool  # GATK's physical phasing: an unphased GT whose read-backed phase is in PGT, its block named by PID
    has_cn: bool  # copy numbers of CNV calls: what a one-allele call means
    info_cn: bool  # a CNV caller's CN in INFO: the record's, so the patient's only where the file has no other sample
    info_keys: tuple[str, ...]
    annovar_keys: frozenset[str] | None
    accept: frozenset[str] | None  # FILTER values accepted (None: all)
    strict_filter: bool  # must tell '.' from PASS (cyvcf2 maps both to None)
    pass_ok: bool
    offsets: dict[str, int]  # where each contig starts along the genome: how far the reading is
    total: int
    chrom_cache: dict[str, int]  # chromosome name as written -> gene-model code (0: none; -1: hg19's chrM)
    hg19_chrm: tuple[str, ...]
    mt_code: int
    parentage: _ParentageCheck | None
    twin_check: _TwinCheck | None
    counts: dict[str, int] = field(default_factory=lambda: {
        "records": 0, "alleles_kept": 0, "not_carried": 0, "no_call": 0, "filtered": 0, "multiallelic": 0,
        "structural": 0, "structural_without_end": 0, "skipped_alleles": 0, "outside_gene_model": 0,
        "unlisted_allele": 0, "gvcf_sites": 0, "clinvar_unassigned": 0,
        "in_genes": 0, "x_het": 0, "x_hom": 0, "x_haploid": 0, "hg19_chrM": 0,
    })  # fmt: skip
    best: dict[int, list[_Candidate]] = field(default_factory=dict)
    per_gene: dict[int, int] = field(default_factory=dict)  # variants assigned to each gene (any region)
    gene_ids: dict[str, int] = field(init=False)
    symbols: list[str] = field(init=False)
    gene_chrom: list[str] = field(init=False)
    rows: list[tuple] = field(default_factory=list)
    # Columns of the chunk that are processed as arrays (kept beside `rows`, cheaper than extracting later).
    col_code: list[int] = field(default_factory=list)
    col_start: list[int] = field(default_factory=list)
    col_end: list[int] = field(default_factory=list)
    col_class: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.gene_ids = {s: i for i, s in enumerate(self.index.symbols)}
        self.symbols = list(self.index.symbols)
        self.gene_chrom = list(self.index.chroms)

    def gid(self, symbol: str, chrom: str) -> int:
        """The gene's number, a gene the annotation names outside the gene model numbered on first sight."""
        found = self.gene_ids.get(symbol)
        if found is None:
            found = self.gene_ids[symbol] = len(self.symbols)
            self.symbols.append(symbol)
            self.gene_chrom.append(chrom)
        return found

    def flush(self) -> None:
        """Reads the chunk's kept alleles against the genes (_process_chunk), then empties it."""
        rows = self.rows
        if rows:
            self.counts["alleles_kept"] += len(rows)
            columns = (np.array(self.col_code, dtype=np.int64), np.array(self.col_start, dtype=np.int64),
                       np.array(self.col_end, dtype=np.int64), np.array(self.col_class, dtype=np.int64))  # fmt: skip
            _process_chunk(rows, columns, self.index, self.schema, self.gid, self.best, self.per_gene, self.counts,
                           self.par, self.published, self.population, self.exclude_pmids, self.exceptions)
            for column in (rows, self.col_code, self.col_start, self.col_end, self.col_class):
                column.clear()

    def allele_adder(self) -> Callable[..., None]:
        """add_alleles, called once per carried record, with this reading's fixed values in closure cells: the
        cheapest reads in the hot loop (an attribute a record would cost several percent of the reading)."""
        counts = self.counts
        info_keys, annovar_keys, schema = self.info_keys, self.annovar_keys, self.schema
        pi, father_i, mother_i, relative_idx = self.pi, self.father_i, self.mother_i, self.relative_idx
        single, mt_code, has_cn, info_cn = self.single, self.mt_code, self.has_cn, self.info_cn
        has_ps, has_pid = self.has_ps, self.has_pid
        rows, col_code, col_start, col_end, col_class = self.rows, self.col_code, self.col_start, self.col_end, \
            self.col_class  # fmt: skip

        def add_alleles(v, gts: list, alleles: tuple, phased, phase_set, physical, copy_number: int | None,
                        flt: str | None, chrom: str, pos: int, ref: str, alts: list[str], code: int, record: int,
                        sets=None, fields: tuple | None = None) -> None:  # fmt: skip
            """Adds the alleles the patient carries of a record that passed the genotype, FILTER and contig checks
            to the chunk, one row each (INFO, the relatives' calls, the allele's span): what _process_chunk reads.
            `sets`, `fields`: the record's PS and PID/PGT values where the patient's phase read them (None: not)."""
            qual = v.QUAL
            info = {k: v.INFO.get(k) for k in info_keys} if info_keys else None
            if annovar_keys and info and len(alts) > 1:
                info.update(annovar_alleles(v.INFO, annovar_keys, len(alts)))
            if info and schema.clinvar_numbers:
                split_clinvar_alleles(schema, info, len(alts))
            if info and len(alts) > 1 and schema.info_clinvar and not clinvar_per_allele(schema, info, pos, ref, alts):
                counts["clinvar_unassigned"] += 1
            if single:
                father = mother = others = None
            else:
                father = tuple(gts[father_i][:-1]) if father_i is not None else None
                mother = tuple(gts[mother_i][:-1]) if mother_i is not None else None
                others = tuple((s, tuple(gts[i][:-1])) for i, s in relative_idx) if relative_idx else None
            # the parents' own phase, which only a heterozygous patient's pair needs: read once for all alleles
            parents_phase = (None if single or len(alleles) != 2 or alleles[0] == alleles[1]
                             else _parents_phase(v, gts, father_i, mother_i, has_ps, has_pid, sets, fields))  # fmt: skip
            if len(alts) > 1:
                counts["multiallelic"] += 1
                if alts[-1] in GVCF_ALTS:
                    counts["gvcf_sites"] += 1
                carried = sorted({x for x in alleles if x > 0})
            else:
                carried = (1,)
                if max(alleles) > 1:  # e.g. 1/3 with one ALT: a malformed call
                    counts["unlisted_allele"] += 1
                    if 1 not in alleles:  # 3/3 or 0/3: the listed ALT is not carried at all
                        return
            for k in carried:
                doubt = ("" if single or father is None or mother is None or _copies(father, k) != 0
                         or _copies(mother, k) != 0 else _parental_doubt(v, k, father_i, mother_i))  # fmt: skip
                if k > len(alts):
                    counts["unlisted_allele"] += 1
                    continue
                fraction = _allele_fraction(v, pi, k) if code == mt_code else None  # heteroplasmy
                alt = alts[k - 1]
                if alt in SKIP_ALTS:
                    counts["skipped_alleles"] += 1
                    continue
                structural = alt[0] == "<" or "[" in alt or "]" in alt
                at, at_ref, inserted = pos, ref, None
                if structural:
                    start0, end0, svtype, inserted, copy_number = _structural_span(
                        v, pos, alt, k, chrom, pi, has_cn, info_cn, copy_number, counts)
                    vclass = STRUCTURAL
                elif len(ref) == 1 and len(alt) == 1:
                    start0, end0, svtype, vclass = pos - 1, pos, "", SNV
                elif len(ref) == len(alt):
                    # a substitution written with bases it shares with the record's other alleles (GATK's and
                    # DeepVariant's multiallelic records, FreeBayes' haplotypes): read as the change itself, so
                    # that a padded SNV's codon is read (a stop gained) and published variants match it
                    at, at_ref, alt = _minimal_substitution(pos, ref, alt)
                    start0, end0, svtype = at - 1, at - 1 + len(alt), ""
                    vclass = variant_class(at_ref, alt, False)
                else:
                    (start0, end0), svtype = _trimmed_span(pos, ref, alt), ""
                    vclass = variant_class(ref, alt, False)
                col_code.append(code)
                col_start.append(start0)
                col_end.append(end0)
                col_class.append(vclass)
                rows.append(  # the record's own REF last: the annotation names alleles by it
                    (chrom, start0, end0, structural, record, at, at_ref, alt, k, alleles, phased, qual,
                     flt or "PASS", info, alts, father, mother, others, svtype, phase_set, doubt, ref,
                     copy_number, inserted, fraction, physical, parents_phase)
                )  # fmt: skip

        return add_alleles

def _structural_span(v, pos: int, alt: str, k: int, chrom: str, pi: int, has_cn: bool, info_cn: bool,
                     copy_number: int | None, counts: dict[str, int]) -> tuple[int, int, str, int | None, int | None]:
    """(start0, end0, type, bases inserted, copy number) of a symbolic or breakend allele: the copy number from
    FORMAT or INFO CN where the call gave none, so that a <CNV> of known copy number reads as the loss or gain it is;
    one without END or SVLEN placed at POS."""
    counts["structural"] += 1
    start0, end0, svtype, inserted = _sv_span(v, pos, alt)
    if has_cn and copy_number is None:  # CNVkit's and DRAGEN's two-allele calls state it too
        found = _sample_ints(v, "CN", pi)
        copy_number = found[0] if found and found[0] >= 0 else None
    if info_cn and copy_number is None:
        copy_number = _info_copy_number(v, k)
    if svtype == "CNV" and copy_number is not None:
        svtype = _cnv_type(copy_number, normalise_chrom(chrom))
    if end0 is None:
        counts["structural_without_end"] += 1
        end0 = start0 + 1
    return start0, end0, svtype, inserted, copy_number


def _prepare_reading(vcf: VcfFile, name: str, db, build: str, raw_header: str, all_samples: list[str],
                     proband: str, relatives: dict[str, str], kin: list[tuple[str, str, bool, str | None]],
                     filters: Iterable[str] | None, exclude_pmids: frozenset[str], threads: int
                     ) -> tuple[object, _Reading]:  # fmt: skip
    """Opens the records of the patient and the relatives read, and fixes what every record's reading needs: the
    build's gene model and bundled tables, the header's annotation and FORMAT fields, the FILTERs accepted, where
    each contig lies along the genome (for progress), and the parentage and twin checks the family calls for."""
    subset = [proband, *relatives] if len(all_samples) > 1 else None
    reader = open_reader(vcf, samples=subset, threads=threads)
    order = list(reader.samples)
    pi = order.index(proband)
    relative_idx = [(order.index(s), s) for s in relatives]
    father_i = next((order.index(s) for s, r in relatives.items() if r == "father"), None)
    mother_i = next((order.index(s) for s, r in relatives.items() if r == "mother"), None)

    index = gene_index(db, build)
    published = published_variants(build, index)
    population = population_frequencies(build, index)
    exceptions = ba1_exceptions(build, index)
    schema = schema_from_header(header_infos(raw_header), header_numbers(raw_header))
    info_keys = schema.info_keys if schema.present else ()
    accept = None if filters is None else frozenset(filters)

    lengths = contig_lengths(raw_header)
    offsets: dict[str, int] = {}
    total = 0
    for contig, length in (lengths or CONTIG_LENGTHS.get(build, {})).items():  # no ##contig lines: the build's
        offsets[contig] = total
        total += length
    chrom_cache: dict[str, int] = {}
    hg19_chrm = hg19_mitochondrion(lengths)  # not the rCRS: code -1, its records set aside and counted
    chrom_cache.update(dict.fromkeys(hg19_chrm, -1))
    parentage = (_ParentageCheck(pi, father_i, mother_i, raw_header)
                 if father_i is not None and mother_i is not None else None)  # fmt: skip
    # identical twins share every allele: an affected one's carrying the variant is no transmission (PP1)
    siblings = [(order.index(s), s) for s, role, status, _ in kin if status and role == "sibling"]
    twin_check = _TwinCheck([(pi, proband), *siblings]) if siblings else None
    return reader, _Reading(
        name=name, raw_header=raw_header, build=build, index=index, schema=schema, published=published,
        population=population, exceptions=exceptions, exclude_pmids=exclude_pmids,
        par=PSEUDOAUTOSOMAL.get(build, ()), pi=pi, father_i=father_i, mother_i=mother_i, relative_idx=relative_idx,
        single=len(order) == 1, has_ps="##FORMAT=<ID=PS," in raw_header,
        has_pid="##FORMAT=<ID=PGT," in raw_header and "##FORMAT=<ID=PID," in raw_header,
        has_cn="##FORMAT=<ID=CN," in raw_header, info_cn="##INFO=<ID=CN," in raw_header and len(all_samples) == 1,
        info_keys=info_keys, annovar_keys=frozenset(info_keys) if schema.annovar else None, accept=accept,
        strict_filter=accept is not None and "." not in accept,
        pass_ok=accept is None or "PASS" in accept or "." in accept,
        offsets=offsets, total=total, chrom_cache=chrom_cache, hg19_chrm=hg19_chrm, mt_code=index.code_of("MT"),
        parentage=parentage, twin_check=twin_check,
    )  # fmt: skip


def _stream(reading: _Reading, reader, proband: str, progress: Progress, cancel: CancelCheck | None) -> None:
    """Streams the records past the patient's genotype, FILTER and contig checks into the chunk, feeding the
    parentage and twin checks on the way; skips and counts a malformed record (a run of them: a damaged file)."""
    counts, index, chrom_cache, rows = reading.counts, reading.index, reading.chrom_cache, reading.rows
    pi, has_ps, has_pid, has_cn = reading.pi, reading.has_ps, reading.has_pid, reading.has_cn
    accept, pass_ok, strict_filter = reading.accept, reading.pass_ok, reading.strict_filter
    offsets, total, name = reading.offsets, reading.total, reading.name
    parentage, twin_check = reading.parentage, reading.twin_check
    add_alleles, flush = reading.allele_adder(), reading.flush
    record = 0
    not_carried = no_call = filtered = 0
    malformed = consecutive = 0
    last_bad = -1
    checking = parentage is not None
    twins_checking = twin_check is not None
    # The loop allocates millions of small acyclic tuples; cyclic GC passes over them would cost a third of the time.
    gc_enabled = gc.isenabled()
    gc.disable()
    try:
        progress(f"Reading variants of {proband} ({reading.build})", 0.01)
        records = iter(reader)
        while True:
            try:
                for v in records:
                    record += 1
                    if record & 8191 == 0:  # first: records passed over below (FILTER, no call) count as well
                        _tick(record, v, progress, cancel, offsets, total, name)
                    phase_set = copy_number = physical = sets = fields = None  # sets, fields: PS, PID/PGT read
                    try:
                        gts = v.genotypes
                    except Exception:  # htslib read the record, whose FORMAT has no GT (GQ, DP or CN only): no call
                        no_call += 1
                        continue
                    if checking:  # every record, the child's reference calls too, until PARENTAGE_SITES
                        parentage.add(v, gts)
                        checking = parentage.counting()
                    if twins_checking:
                        twin_check.add(v, gts)
                        twins_checking = twin_check.counting()
                    g = gts[pi]
                    if len(g) == 3:  # diploid: the common case, kept cheap
                        a, b = g[0], g[1]
                        if a <= 0 and b <= 0:
                            if a < 0 and b < 0:
                                no_call += 1
                            else:
                                not_carried += 1
                            continue
                        alleles = (a, b)
                        phased = g[2]
                        if phased and has_ps:
                            sets = _phase_sets(v)
                            phase_set = _phase_set_of(sets, pi)
                        if has_pid and a != b and phase_set is None:  # (GATK 4.0 phased GT, but wrote no PS)
                            fields = _physical_fields(v)
                            physical = _physical_of(fields, pi)
                    else:
                        alleles = tuple(g[:-1])
                        if not alleles or max(alleles) <= 0:
                            if not alleles or max(alleles) < 0:
                                no_call += 1
                            else:
                                not_carried += 1
                            continue
                        phased = g[-1] if len(alleles) > 1 else False
                        if phased and has_ps:
                            phase_set = _phase_set(v, pi)
                        if len(alleles) == 1 and has_cn:  # GATK gCNV: one allele, DEL or DUP, whatever the ploidy
                            found = _sample_ints(v, "CN", pi)
                            copy_number = found[0] if found and found[0] >= 0 else None
                    flt = v.FILTER
                    if accept is not None:
                        if flt is None:
                            if not pass_ok or strict_filter and "PASS" not in v.FILTERS:
                                filtered += 1
                                continue
                        elif any(f not in accept for f in flt.split(";")):
                            filtered += 1
                            continue
                    alts = v.ALT
                    ref = v.REF
                    chrom = v.CHROM
                    pos = v.POS
                    code = chrom_cache.get(chrom)
                    if code is None:
                        code = chrom_cache[chrom] = index.code_of(normalise_chrom(chrom))
                    if code < 0:
                        counts["hg19_chrM"] += 1
                        continue
                    add_alleles(v, gts, alleles, phased, phase_set, physical, copy_number, flt, chrom, pos, ref, alts,
                                code, record, sets, fields)  # fmt: skip
                    if len(rows) >= CHUNK:
                        flush()
                break
            except (RareTraceError, Cancelled):
                raise
            except Exception as exc:
                if type(exc) is not Exception:  # cyvcf2 raises a bare Exception; anything else is not the file's
                    raise
                # htslib rejected one record (bad POS, GT or column count) and moved past it: skip and count it.
                # Errors without a good record between them mean the file itself is damaged (truncated gzip).
                malformed += 1
                consecutive = consecutive + 1 if record == last_bad else 1
                last_bad = record
                if consecutive > MAX_CONSECUTIVE_MALFORMED:
                    raise RareTraceError(
                        f"{name}: data line {record + malformed - consecutive + 1} is malformed, or the file is damaged "
                        "there; fix or re-export the VCF"
                    ) from exc
        flush()
    except (RareTraceError, Cancelled):
        raise
    except Exception as exc:
        # htslib's reason is generic ("error parsing variant"); the position is what helps.
        raise RareTraceError(
            f"{name}: data line {record + 1} is malformed, or the file is damaged there; fix or re-export the VCF"
        ) from exc
    finally:
        if gc_enabled:
            gc.enable()
        reader.close()
    counts.update(records=record, not_carried=not_carried, no_call=no_call, filtered=filtered,
                  malformed=malformed)  # fmt: skip


def _stream_warnings(reading: _Reading, proband: str, warnings: list[str]) -> None:
    """What the records as a whole say of the file: a gVCF's reference blocks, no records, or none the patient
    carries (the wrong sample?)."""
    counts, name, record = reading.counts, reading.name, reading.counts["records"]
    if counts["gvcf_sites"] or re.search(r"^##(GVCFBlock|ALT=<ID=NON_REF,)", reading.raw_header, re.MULTILINE):
        # said, so that its many records and few variants read as they should (its reference blocks are 0/0 calls)
        warnings.append(f"{name} is a gVCF: its reference blocks were passed over as calls of no variant, and the "
                        "<NON_REF>/<*> allele of its variant sites was not read as a variant")
    if record == 0:
        warnings.append(f"{name} has a header but no variant records")
    elif counts["alleles_kept"] == 0 and counts["not_carried"] + counts["no_call"] == record:
        warnings.append(attention(f"{proband} carries no variant of {name} ({_records(record)}): is {proband} the "
                                  "patient? (choose the sample with --sample)"))


def _sex_from_chrx(counts: dict[str, int], sex: str | None, sex_source: str, pedigree: Pedigree | None,
                   proband: str, warnings: list[str]) -> tuple[str | None, str, str | None]:  # fmt: skip
    """(sex, its source, the sex chrX suggests): the patient's chrX genotypes tell the sex when nobody said (only to
    label male hemizygous calls; reported as a warning), and question a sex given that they contradict."""
    # A haploid X call outside the PARs is no statistic but the caller's ploidy, set for a male: where every call
    # there is one, a few decide (a lab's filtered VCF of candidates may hold only a handful of X calls).
    x_calls = counts["x_het"] + counts["x_hom"] + counts["x_haploid"]
    inferred = None
    if x_calls >= 50 or x_calls and counts["x_haploid"] == x_calls:
        het_fraction = counts["x_het"] / x_calls
        inferred = "MALE" if het_fraction < 0.05 else "FEMALE" if het_fraction > 0.2 else None
        haploid = f", {counts['x_haploid']} haploid" if counts["x_haploid"] else ""
        calls = f"{x_calls} chrX genotypes ({het_fraction:.0%} heterozygous{haploid}) suggest {(inferred or '').lower()}"
        if sex is None and inferred:
            sex, sex_source = inferred, "inferred from chrX"
            warnings.append(f"sex not given; {calls}")
        elif inferred and sex != inferred:
            # the sex given is kept (an XXY or X0 patient is possible), but a mix-up of samples or a PED's error
            # would read every chrX call wrongly: said, as peddy's sex check does
            given = (f"{pedigree.name} gives {proband} as {sex.lower()}" if sex_source == "PED file"
                     else f"the patient's sex is given as {sex.lower()}")
            source = "the PED file" if sex_source == "PED file" else "the case's sex"
            warnings.append(attention(f"{given}, but {calls}: a sample mix-up, or an error in {source}?"))
    return sex, sex_source, inferred


def _gene_variants(reading: _Reading, db, proband: str, sex: str | None, relatives: dict[str, str],
                   kin: list[tuple[str, str, bool, str | None]], family: FamilyReading) -> dict[str, GeneVariants]:
    """Each gene's best candidates (MAX_VARIANTS_PER_GENE, best first) with their genotypes, origins, phases and
    relatives' calls; the evidence itself is built on first access (a report shows a few of thousands of genes)."""
    best, symbols, gene_chrom, par = reading.best, reading.symbols, reading.gene_chrom, reading.par
    genes: dict[str, GeneVariants] = {}
    with_family = bool(relatives)
    # (the modes tell PM3: two variants of a gene, or one homozygous call, in a recessive one)
    homozygous = any(c.row[9].count(c.row[8]) >= 2 for cands in best.values() for c in cands)
    modes = gene_modes(db) if with_family or homozygous or any(len(c) > 1 for c in best.values()) else {}
    origins_doubtful, family_tree, twins = family.origins_doubtful, family.family_tree, family.twins
    for g_id, cands in best.items():
        if len(cands) > 1:
            cands.sort(key=lambda c: (-c.path, c.row[4]))
            del cands[MAX_VARIANTS_PER_GENE:]
        symbol = symbols[g_id]
        chrom = gene_chrom[g_id]
        paths = tuple(c.path for c in cands)
        labels = tuple(_genotype(c.row, chrom, sex, par) for c in cands)
        origins = (tuple(_origin(c.row, label, sex, par) for c, label in zip(cands, labels, strict=True)) if with_family
                   else ("unknown",) * len(cands))  # fmt: skip
        haps = tuple(_haplotype(c.row) for c in cands)
        parental = _parental_phases([c.row for c in cands], labels, sex, par) if with_family else {}
        calls = tuple(_family_calls(c.row, kin, chrom, par, twins) for c in cands) if kin else ()
        other_parents = tuple(_other_parent_calls(c.row, family.co_parents) for c in cands) if family.co_parents else ()
        lineages = tuple(family_tree._replace(genotypes=_member_genotypes(c.row, relatives)) for c in cands
                         ) if family_tree is not None else ()  # fmt: skip
        own = modes.get(symbol, set())
        genes[symbol] = GeneVariants(
            symbol, chrom, paths, labels, ("unknown",) * len(cands) if origins_doubtful else origins, haps,
            reading.per_gene.get(g_id, len(cands)),
            partial(_gene_evidence, tuple(cands), symbol, chrom, proband, labels, origins, haps, reading.schema,
                    family.parent_names, bool(own & {"AR", "XR"}), sex=sex, par=par,
                    parentage=family.parentage, family=calls,
                    recessive_only=bool(own) and not own & {"AD", "XD"}, descent=family.descent,
                    parents_related=family.parents_related, twins=twins, parental=parental,
                    unread_parents=family.unread_parents, other_parents=other_parents, lineages=lineages),
            sex, family.parents_affected, calls, {} if origins_doubtful else parental,
        )  # fmt: skip
    return genes


def _call_warnings(reading: _Reading, genes: dict[str, GeneVariants], sex: str | None,
                   parentage: Parentage | None, warnings: list[str]) -> None:  # fmt: skip
    """What the candidates' calls question: parentage not confirmed, heterozygous calls on a male's X, haploid calls
    on autosomes, in the PARs or on a female's X (a sex or ploidy error)."""
    best, gene_chrom, par = reading.best, reading.gene_chrom, reading.par
    if parentage is not None and not parentage.confirmed and (
            parentage.checked or any("de_novo" in gv.origins for gv in genes.values())):
        # said once, whatever the number of de novo calls; a contradiction is worth saying without one (a swap)
        warnings.append(parentage.warning())
    if sex == "MALE":
        male_het = sum(1 for g_id, cands in best.items() if gene_chrom[g_id] == "X" for c in cands
                       if len(c.row[9]) == 2 and c.row[9][0] != c.row[9][1]
                       and not in_pseudoautosomal(c.row[1], par))  # fmt: skip
        if male_het:
            warnings.append(attention(f"{male_het} candidate variant(s) have a heterozygous call on chrX outside the "
                                      "pseudoautosomal regions in a male (check the sex, or the calls)"))
    haploid_autosomal = sum(1 for gv in genes.values() if gv.chrom not in ("X", "Y", "MT")
                            for label in gv.genotypes if label == "hemizygous")  # fmt: skip
    if haploid_autosomal:
        warnings.append(f"{haploid_autosomal} candidate variant(s) on autosomes have a haploid call (GT '1'): read as "
                        "hemizygous, which fits recessive inheritance as a homozygous call would (check the caller's "
                        "ploidy)")
    haploid_par = sum(1 for g_id, cands in best.items() if gene_chrom[g_id] == "X" for c in cands
                      if _haploid_in_par(c.row, sex, par) and _genotype(c.row, "X", sex, par) == "hemizygous")  # fmt: skip
    if haploid_par:
        warnings.append(f"{haploid_par} candidate variant(s) in chrX's pseudoautosomal regions have a haploid call "
                        "(GT '1'), where a male has two copies: read as hemizygous, which fits recessive inheritance "
                        "as a homozygous call would (check the caller's ploidy)")
    if sex == "FEMALE":
        haploid = sum(1 for gv in genes.values() if gv.chrom == "X" for label in gv.genotypes if label == "hemizygous")
        if haploid:
            warnings.append(attention(f"{haploid} candidate variant(s) on chrX have a haploid (hemizygous) call in a "
                                      "female; the X-linked recessive fit treats them as homozygous (check the sex and "
                                      "the caller's ploidy)"))


def _count_warnings(reading: _Reading, proband: str, warnings: list[str]) -> None:
    """The records set aside, with their counts (malformed, FILTER, no call, ClinVar unassigned, decoy contigs ...),
    and what the file's annotation lacks (PM2)."""
    counts, name, build, schema = reading.counts, reading.name, reading.build, reading.schema
    accept = reading.accept
    if counts["malformed"]:
        warnings.append(f"{_records(counts['malformed'], 'malformed ')} could not be read and "
                        f"{_were(counts['malformed'])} skipped")
    if counts["unlisted_allele"]:
        warnings.append(f"{counts['unlisted_allele']} genotype calls name an allele their record does not list "
                        "(e.g. 1/3 with one ALT): only listed ALTs were read")
    if counts["filtered"]:
        kept = "all" if accept is None else ", ".join(sorted(accept))
        warnings.append(f"{_records(counts['filtered'])} failed FILTER and {_were(counts['filtered'])} skipped "
                        f"(accepted: {kept})")
        declared = set(re.findall(r"^##FILTER=<ID=([^,>]+)", reading.raw_header, re.MULTILINE)) | {"PASS", "."}
        unknown = sorted((accept or set()) - declared)
        if unknown:  # a typing slip in --filter silently drops records: say so
            warnings.append(f"FILTER value(s) {', '.join(unknown)} are not declared in {name}'s header "
                            f"(declared: {', '.join(sorted(declared - {'.'}))})")
    if counts["no_call"]:
        no_calls = counts["no_call"]
        warnings.append(f"{_records(no_calls)} {'has' if no_calls == 1 else 'have'} no genotype call for {proband} "
                        f"and {_were(no_calls)} skipped")
    if counts["clinvar_unassigned"]:
        n = counts["clinvar_unassigned"]
        warnings.append(f"{n} multi-allelic record{'s have' if n > 1 else ' has'} one ClinVar significance (CLNSIG) "
                        "for several ALTs, which nothing in the record (CLNHGVS) ties to one: ClinVar was read for "
                        "none of their alleles")
    if counts["structural_without_end"]:
        warnings.append(f"{counts['structural_without_end']} structural alleles lack END/SVLEN; placed at POS only")
    if counts["outside_gene_model"]:
        warnings.append(
            f"{counts['outside_gene_model']} variants are on contigs outside the {build} gene model (e.g. decoys)"
        )
    if counts["hg19_chrM"]:
        warnings.append(hg19_mitochondrion_warning(reading.hg19_chrm, counts["hg19_chrM"]))
    if not schema.present:
        warnings.append(
            f"no variant annotation in the file: genes and regions from the bundled {build} gene model, population "
            "frequencies only at 1000 Genomes' exome sites; PM2 is not assessed"
        )
    elif not schema.has_population_af:
        warnings.append("the file's annotation has no population frequency field; PM2 is not assessed")


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else exc.__class__.__name__


def _tick(record: int, v, progress: Progress, cancel: CancelCheck | None, offsets: dict, total: int, name: str) -> None:
    if cancel is not None and cancel():
        raise Cancelled()
    start = offsets.get(v.CHROM)
    if start is None:  # the build's contigs are named 1..22, X, Y, MT
        start = offsets.get(normalise_chrom(v.CHROM), 0)
    fraction = (start + v.POS) / total if total else 0.5
    progress(f"Reading {name}: {record:,} records", 0.02 + 0.94 * min(max(fraction, 0.0), 1.0))


def _trimmed_span(pos: int, ref: str, alt: str) -> tuple[int, int]:
    """0-based half-open span of the bases a small variant changes (shared anchor bases trimmed)."""
    start0 = pos - 1
    end0 = start0 + len(ref)
    if len(ref) == 1 and len(alt) == 1:
        return start0, end0
    i = 0
    n = min(len(ref), len(alt))
    while i < n and ref[i] == alt[i]:
        i += 1
    j = 0
    while j < n - i and ref[len(ref) - 1 - j] == alt[len(alt) - 1 - j]:
        j += 1
    start0 += i
    end0 -= j
    if end0 <= start0:  # pure insertion: between two bases; count it at the next base
        end0 = start0 + 1
    return start0, end0


def _place_intronic_insertions(regions: Regions, rows: list[tuple], index: GeneIndex, codes: np.ndarray,
                               start0: np.ndarray) -> frozenset[int]:  # fmt: skip
    """An insertion, written out or symbolic (_inserts), is located at the base after it (_trimmed_span, _sv_span).
    In an intron whose nearer exon lies after that base, the insertion is one base farther from the exon than the base
    is: before a minus-strand donor's +2 (or a plus-strand acceptor's -2), it lies between +3 and +2 and leaves the GT
    (AG) whole. Set its distance and region so
    (in place), as they already are where the exon lies before it. One between an exon's last base and the intron's
    first (the base after it the intron's +1 or -1) leaves the splice site whole too, and adds its bases to the exon's
    edge (VEP's splice region, not a splice site), as one between the intron's last base and the exon's first is
    located at that exon base: located at the exon's last base instead, whichever strand the gene is on. Returns the
    pairs so placed (their point the base before start0: a symbolic one's overlap is read there)."""
    plus = index.strand[regions.gene] > 0
    # the nearer exon after the base: a plus-strand acceptor's or a minus-strand donor's
    exon_after = ((regions.distance > 0) & (regions.donor != plus)
                  & np.isin(regions.region, (SPLICE_SITE_REGION, SPLICE_NEAR, INTRONIC)))  # fmt: skip
    for j in np.nonzero(exon_after)[0].tolist():
        if _inserts(rows[int(regions.variant[j])]):
            d = int(regions.distance[j]) + 1
            regions.distance[j] = d
            regions.region[j] = SPLICE_SITE_REGION if d <= SPLICE_SITE else SPLICE_NEAR if d <= SPLICE_REGION else INTRONIC
    # the base after the insertion is the intron's first, the exon before it
    at_edge = [j for j in np.nonzero((regions.region == SPLICE_SITE_REGION) & (regions.distance == 1)
                                     & (regions.donor == plus))[0].tolist()
               if _inserts(rows[int(regions.variant[j])])]  # fmt: skip
    if not at_edge:
        return frozenset()
    v = regions.variant[at_edge]
    again = index.locate(codes[v], start0[v] - 1, start0[v], np.zeros(len(v), dtype=bool))
    placed = set()
    for k, (n, g) in enumerate(zip(again.variant.tolist(), again.gene.tolist(), strict=True)):
        j = at_edge[n]
        if g == int(regions.gene[j]):
            for name in _REGION_FIELDS:
                getattr(regions, name)[j] = getattr(again, name)[k]
            placed.add(j)
    return frozenset(placed)


_REGION_FIELDS = ("region", "distance", "terminal_exon", "exon_number", "donor", "exons_hit", "cds", "codon", "residue",
                  "exon_edge", "gap_length")  # fmt: skip


def _minimal_substitution(pos: int, ref: str, alt: str) -> tuple[int, str, str]:
    """(POS, REF, ALT) of an equal-length allele without the bases it shares with REF at either end ("GCA>ACA" at
    100 is "G>A" at 100, "TGC>TAC" at 99 is "G>A" at 100); unchanged where nothing is shared or nothing differs."""
    i = 0
    n = len(ref)
    while i < n - 1 and ref[i] == alt[i]:
        i += 1
    j = n
    while j - 1 > i and ref[j - 1] == alt[j - 1]:
        j -= 1
    return pos + i, ref[i:j], alt[i:j]


def _inserts(row: tuple) -> bool:
    """Whether a record's allele adds bases at one point and changes none: a symbolic <INS> (its bases not written;
    located as a written-out insertion is, at the base after POS) or a pure insertion written out."""
    return row[18] == "INS" or not row[3] and _pure_insertion(row[6], row[7])


_HAPLOTYPE_COPIES = re.compile(r"CN(\d+)")


def _sv_span(v, pos: int, alt: str) -> tuple[int, int | None, str, int | None]:
    """(start0, end0 or None, type, bases inserted) of a symbolic/breakend allele from END or SVLEN; an insertion or
    a breakend takes the base after POS, an insertion's length (SVLEN) given apart (None where not stated)."""
    svtype = alt.strip("<>").split(":")[0] if alt.startswith("<") else "BND"
    copies = _HAPLOTYPE_COPIES.fullmatch(svtype)
    if copies:  # 1000 Genomes' <CN0>, <CN2>: the copies on the haplotype, one the reference's
        svtype = {0: "DEL", 1: "CNV"}.get(int(copies.group(1)), "DUP")
    try:
        declared = v.INFO.get("SVTYPE")
    except Exception:
        declared = None
    # An <INS:ME:ALU> is an insertion whatever SVTYPE names (MELT: the element); a <DEL> or <DUP> stays one where
    # SVTYPE says only CNV (DRAGEN's and Canvas' copy-number calls), which would lose what the ALT tells.
    if declared and svtype != "INS" and not (declared == "CNV" and svtype in ("DEL", "DUP")):
        svtype = str(declared)
    start0 = pos  # POS is the padding base before the event
    if svtype == "BND":
        return start0, start0 + 1, svtype, None
    try:
        svlen = v.INFO.get("SVLEN")
    except Exception:
        svlen = None
    if isinstance(svlen, tuple):
        svlen = svlen[0] if svlen else None
    if svtype == "INS":
        return start0, start0 + 1, svtype, None if svlen is None else abs(int(svlen))
    end = None
    try:
        end = v.INFO.get("END")
    except Exception:
        end = None
    if end is None and svlen is not None:
        end = pos + abs(int(svlen))
    if end is None:
        return start0, None, svtype, None
    return start0, max(int(end), start0 + 1), svtype, None


def _info_copy_number(v, k: int) -> int | None:
    """The copy number INFO's CN states for ALT k (Number=A: per allele), where it is a whole number of copies."""
    try:
        value = v.INFO.get("CN")
    except Exception:  # cyvcf2 raises a bare Exception for a value htslib cannot read as its declared type
        return None
    if isinstance(value, tuple):
        value = value[k - 1] if len(value) >= k else None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0 or value != int(value):
        return None
    return int(value)


def _cnv_type(copy_number: int, chrom: str) -> str:
    """DEL or DUP for a copy-number call of no stated direction (<CNV>, SVTYPE=CNV) where its copy number tells it:
    none left is a loss, three or more a gain, one a loss outside X and Y (where one copy may be all there is); CNV
    otherwise."""
    if copy_number == 0 or copy_number == 1 and chrom not in ("X", "Y"):
        return "DEL"
    return "DUP" if copy_number >= 3 else "CNV"


@dataclass(slots=True)
class _Chunk:
    """A chunk of kept alleles (rows, parallel to the columns) and its (allele, gene) pairs: what stages read."""

    rows: list[tuple]
    codes: np.ndarray
    start0: np.ndarray
    end0: np.ndarray
    vclass: np.ndarray
    structural: np.ndarray  # vclass == STRUCTURAL
    index: GeneIndex
    regions: Regions  # per (allele, gene) pair; the stages that read an allele against a gene change its cds code


def _process_chunk(
    rows: list[tuple],
    columns: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    index: GeneIndex,
    schema: AnnotationSchema,
    gid: Callable[[str, str], int],
    best: dict[int, list[_Candidate]],
    per_gene: dict[int, int],
    counts: dict,
    par: tuple,
    published: PublishedVariants,
    population: PopulationFrequencies,
    exclude_pmids: frozenset[str],
    exceptions: Ba1Exceptions,
) -> None:
    """Reads a chunk's kept alleles against the gene model, scores each (allele, gene) pair, and keeps each gene's
    best candidates in `best` (and its variant count in `per_gene`), in stages."""
    codes, start0, end0, vclass = columns
    structural = vclass == STRUCTURAL
    counts["outside_gene_model"] += int((codes == 0).sum())
    _count_chrx_genotypes(rows, codes, start0, index, par, counts)

    regions = index.locate(codes, start0, end0, structural)
    chunk = _Chunk(rows, codes, start0, end0, vclass, structural, index, regions)
    at_exon_edge = _place_intronic_insertions(regions, rows, index, codes, start0)
    protein_changes = _read_codons(regions, rows, vclass, start0, index)
    _mark_reference_gaps(chunk)
    written_pair, sv_overlaps, exon_deletions = _written_classes(chunk, at_exon_edge)
    _mark_frameshifts(chunk, written_pair)
    frame_notes = _frame_notes(chunk, written_pair)
    nmd_escape = _nmd_escapes(chunk)
    prior = _pair_priors(chunk, written_pair, sv_overlaps, exon_deletions)

    # The bundled tables below are prefiltered by position key, then matched exactly on (chrom, pos, ref, alt).
    positions = (codes << SHIFT) | np.array([r[5] for r in rows], dtype=np.int64)

    def variant(i: int) -> tuple[str, int, str, str]:
        return rows[i][0], rows[i][5], rows[i][6], rows[i][7]

    reported, near = _published_here(chunk, positions, variant, prior, published, exclude_pmids)
    prior, pair_published = _published_priors(chunk, reported, prior)
    # Bundled 1000 Genomes frequencies (used below only where the file gives no frequency of its own).
    bundled = population.listed(positions, variant)
    # ClinGen SVI's BA1 exception list: such a variant's frequency is never BA1 (interpret.clinvar_keeps, criteria).
    listed = exceptions.listed(positions, variant)
    annotated_rows, record_notes = _file_annotations(rows, schema)

    findings = _PairFindings(sv_overlaps, protein_changes, nmd_escape, frame_notes, pair_published, near)
    _keep_gene_model_candidates(chunk, prior, annotated_rows, record_notes, bundled, listed, findings, best,
                                per_gene, counts)  # fmt: skip
    _keep_annotated_candidates(chunk, annotated_rows, reported, bundled, listed, gid, best, per_gene)


def _count_chrx_genotypes(rows: list[tuple], codes: np.ndarray, start0: np.ndarray, index: GeneIndex, par: tuple,
                          counts: dict) -> None:  # fmt: skip
    """Counts the chrX genotype balance outside the pseudo-autosomal regions (for sex inference)."""
    x_code = index.code_of("X")
    if x_code:
        on_x = codes == x_code
        for a, b in par:
            on_x &= ~((start0 >= a - 1) & (start0 < b))
        for i in np.nonzero(on_x)[0].tolist():
            alleles = rows[i][9]
            if len(alleles) == 2 and alleles[0] >= 0 and alleles[1] >= 0:
                counts["x_het" if alleles[0] != alleles[1] else "x_hom"] += 1
            elif len(alleles) == 1 and not rows[i][3]:
                # a caller's ploidy 1 there: a male's X (a CNV caller's one-allele call is so whatever the sex)
                counts["x_haploid"] += 1


def _mark_reference_gaps(chunk: _Chunk) -> None:
    """Marks REFERENCE_GAP the indels that restore the transcript's own sequence where the reference lacks it."""
    rows, regions, index, vclass = chunk.rows, chunk.regions, chunk.index, chunk.vclass
    # A deletion of an alignment gap's length written beside it deletes the reference's extra bases (gene_model).
    for j in np.nonzero(regions.gap_length)[0].tolist():
        v = int(regions.variant[j])
        ref, alt = rows[v][6], rows[v][7]
        if len(ref) - len(alt) == int(regions.gap_length[j]) and alt and ref.startswith(alt):
            regions.cds[j] = REFERENCE_GAP
    # Where the reference breaks a transcript's reading frame (its GENCODE start and stop codons are no whole number
    # of codons apart: GRCh37 lacks or adds bases there), a homozygous indel of the length that mends the frame is
    # the transcript's own sequence, as everyone carries it, not a frameshift (VPS11's T>TC in the Pfeiffer exome).
    broken = np.nonzero((regions.cds == CODING) & (index.cds_frame[regions.gene] != 0)
                        & (vclass[regions.variant] == FRAMESHIFT_LENGTH))[0]
    for j in broken.tolist():
        v = int(regions.variant[j])
        row = rows[v]
        if (int(index.cds_frame[int(regions.gene[j])]) + len(row[7]) - len(row[6])) % 3 == 0 and len(row[9]) == 2 \
                and row[9].count(row[8]) == 2:
            regions.cds[j] = REFERENCE_GAP


def _written_classes(chunk: _Chunk, at_exon_edge: frozenset[int]
                     ) -> tuple[np.ndarray, dict[int, SvOverlap], set[int]]:  # fmt: skip
    """Each pair's variant class as the gene reads it, what a structural one overlaps of the gene, and the pairs of
    written-out deletions read as exon deletions."""
    rows, regions, index, vclass = chunk.rows, chunk.regions, chunk.index, chunk.vclass
    structural, start0, end0 = chunk.structural, chunk.start0, chunk.end0
    # A frameshift-length indel inside the coding sequence, its start and stop codons aside, shifts the reading frame
    # (in the last exon the transcript may escape nonsense-mediated decay, as after a stop gained there).
    # A symbolic insertion adds bases at one point and removes none: it is the indel its bases would write, and is
    # scored as that indel (by its length, frameshift or in-frame; in-frame, the lesser, where the length is not
    # stated), not as a rearrangement of the gene.
    written = vclass.copy()
    for i in np.nonzero(structural)[0].tolist():
        if rows[i][18] == "INS":
            written[i] = FRAMESHIFT_LENGTH if (rows[i][23] or 0) % 3 else INFRAME_INDEL
    g, v = regions.gene, regions.variant
    # Per (variant, gene): a duplication inside one coding exon of a gene is the insertion of its bases there
    # (interpret.written_indel), though intronic to another gene
    written_pair = written[v]
    sv_overlaps: dict[int, SvOverlap] = {}  # pair index -> what the structural variant overlaps of the gene
    for j in np.nonzero(vclass[v] == STRUCTURAL)[0].tolist():
        i = int(v[j])
        lo, hi = int(start0[i]), int(end0[i])
        if j in at_exon_edge:  # an <INS> after an exon's last base is read at that base
            lo, hi = lo - 1, lo
        overlap = sv_overlaps[j] = _sv_overlap(index, regions, j, lo, hi, bases=rows[i][18].startswith(("DEL", "DUP")))
        if rows[i][18].startswith("DUP"):
            written_pair[j] = written_indel(rows[i][18], overlap, int(regions.region[j]), int(end0[i] - start0[i]))
    # A deletion written out in full (Manta's and DRAGEN's smaller SVs), unannotated, that holds a whole exon of a gene
    # removes that exon as a <DEL> of its span does: read so for that gene (its PVS1 by ClinGen's tree for exon
    # deletions, interpret.criteria), not as the splice site change its ends make. One across a boundary, no exon
    # whole, stays that change.
    exon_deletions: set[int] = set()  # pair indices read so
    # (an indel: the exome's SNVs and MNVs, most of its exonic pairs, are not walked here)
    indel = np.isin(written_pair, (INFRAME_INDEL, FRAMESHIFT_LENGTH))
    for j in np.nonzero((regions.exons_hit > 0) & ~structural[v] & indel)[0].tolist():
        i = int(v[j])
        if len(rows[i][6]) > len(rows[i][7]) and index.holds_whole_exon(int(g[j]), int(start0[i]), int(end0[i])):
            sv_overlaps[j] = _sv_overlap(index, regions, j, int(start0[i]), int(end0[i]), bases=True)
            written_pair[j] = STRUCTURAL
            exon_deletions.add(j)
    return written_pair, sv_overlaps, exon_deletions


def _mark_frameshifts(chunk: _Chunk, written_pair: np.ndarray) -> None:
    """Marks FRAMESHIFT (or FRAMESHIFT_LAST_EXON) the frameshift-length indels between the start and stop codons."""
    rows, regions, index, start0, end0 = chunk.rows, chunk.regions, chunk.index, chunk.start0, chunk.end0
    g, v = regions.gene, regions.variant
    inside = (start0[v] >= index.cds_start[g] + 3) & (end0[v] <= index.cds_end[g] - 3)  # (either strand)
    # An insertion lies between the base before start0 and start0, which follows it on the plus strand; on the minus
    # strand the base before start0 is the one after it in the transcript's direction: that base is what must lie
    # between the start and stop codons (after the ATG a frameshift, before the stop codon no frameshift, as on plus)
    for j in np.nonzero((index.strand[g] < 0) & (written_pair == FRAMESHIFT_LENGTH) & (regions.cds == CODING))[0].tolist():
        row = rows[int(v[j])]
        if _inserts(row):
            point = int(start0[v[j]])
            inside[j] = index.cds_start[g[j]] + 3 <= point - 1 and point <= index.cds_end[g[j]] - 3
    shift = ((regions.cds == CODING) & (regions.region == EXONIC) & (written_pair == FRAMESHIFT_LENGTH)
             & (index.cds_frame[g] == 0) & inside)  # fmt: skip
    regions.cds[shift] = np.where(regions.last_exon()[shift], FRAMESHIFT_LAST_EXON, FRAMESHIFT)
    # Where the reference breaks the transcript's frame, no frame can be read from it: the indel's effect is unknown.
    # (The Pfeiffer exome is homozygous for such 1-bp insertions in EMG1 and PRKDC, which everyone may carry; none
    # of the dev phenopackets' 1,516 placed causal variants lies in such a transcript.)
    regions.cds[(regions.cds == CODING) & (regions.region == EXONIC) & (written_pair == FRAMESHIFT_LENGTH)
                & (index.cds_frame[g] != 0)] = FRAME_UNKNOWN


def _frame_notes(chunk: _Chunk, written_pair: np.ndarray) -> dict[int, str]:
    """Per exonic indel pair the coding bounds leave without PVS1 or PM4, why (_no_frameshift_text)."""
    rows, regions, index, start0, end0 = chunk.rows, chunk.regions, chunk.index, chunk.start0, chunk.end0
    g, v = regions.gene, regions.variant
    # One the coding bounds cannot call a frameshift keeps the exonic row's high prior without PVS1, an in-frame one
    # in an exon of unknown bounds its prior without PM4: say why.
    return {j: _no_frameshift_text(index, rows[int(v[j])], int(g[j]), int(start0[v[j]]), int(end0[v[j]]),
                                   bool(regions.terminal_exon[j]), int(regions.cds[j]),
                                   inframe=bool(written_pair[j] == INFRAME_INDEL))
            for j in np.nonzero((regions.region == EXONIC) & (
                (written_pair == FRAMESHIFT_LENGTH) & np.isin(regions.cds, (CODING, NO_CDS, FRAME_UNKNOWN))
                | (written_pair == INFRAME_INDEL) & (regions.cds == NO_CDS)))[0].tolist()}  # fmt: skip


def _nmd_escapes(chunk: _Chunk) -> dict[int, str]:
    """Per premature stop or frameshift pair in the penultimate exon's last bases, why it may escape decay."""
    rows, regions, index, start0, end0 = chunk.rows, chunk.regions, chunk.index, chunk.start0, chunk.end0
    # A premature stop in the penultimate exon's last 50 bp (or a frameshift starting there, whose stop lies further
    # on) may escape nonsense-mediated decay as in the last exon: PVS1 at strong (label only; the prior stays).
    nmd_escape: dict[int, str] = {}
    for j in np.nonzero((regions.cds == STOP_GAINED) | (regions.cds == FRAMESHIFT))[0].tolist():
        v = int(regions.variant[j])
        row = rows[v]
        tail = index.penultimate_exon_tail(int(regions.gene[j]), int(start0[v]), int(end0[v]),
                                           _inserts(row))
        if tail is not None and tail < NMD_BOUNDARY_BP:
            nmd_escape[j] = (f"in the last {NMD_BOUNDARY_BP} bp of the penultimate exon ({tail} bp before the last "
                             "exon junction): may escape nonsense-mediated decay")  # fmt: skip
    return nmd_escape


def _pair_priors(chunk: _Chunk, written_pair: np.ndarray, sv_overlaps: dict[int, SvOverlap],
                 exon_deletions: set[int]) -> np.ndarray:  # fmt: skip
    """Each pair's prior pathogenicity from its region and class, a structural one's from what it overlaps."""
    rows, regions, start0, end0 = chunk.rows, chunk.regions, chunk.start0, chunk.end0
    prior = region_prior(regions.region, written_pair, regions.terminal_exon, regions.cds)
    # SV deletions/duplications removing coding exons are much stronger than those within a UTR, intron or flank.
    if sv_overlaps:
        prior = prior.copy()
        for j, overlap in sv_overlaps.items():
            v = int(regions.variant[j])
            if written_pair[j] == STRUCTURAL:
                svtype = "DEL" if j in exon_deletions else rows[v][18]
                prior[j] = structural_prior(svtype, overlap, int(regions.region[j]), int(end0[v] - start0[v]),
                                            int(regions.cds[j]))  # fmt: skip
    return prior


def _published_here(chunk: _Chunk, positions: np.ndarray, variant: Callable[[int], tuple[str, int, str, str]],
                    prior: np.ndarray, published: PublishedVariants, exclude_pmids: frozenset[str]
                    ) -> tuple[dict[int, tuple[Published, ...]], dict[int, NearPublished]]:  # fmt: skip
    """The alleles reported causal in publications, and per pair the nearest reported variant of its gene."""
    rows, regions, index, vclass = chunk.rows, chunk.regions, chunk.index, chunk.vclass
    # Variants reported causal in publications, and variants of the same gene near one (a possible hot spot, shown
    # as evidence; not for structural variants).
    reported: dict[int, tuple[Published, ...]] = {}
    near: dict[int, NearPublished] = {}  # pair index -> nearest reported variant
    if len(published.keys):
        for i in np.nonzero(np.isin(positions, published.keys))[0].tolist():
            found = published.lookup(*variant(i), exclude_pmids)
            if found:
                reported[i] = found
        pair_keys = positions[regions.variant]
        for j in published.near_candidates(pair_keys, NEAR_PUBLISHED_BP).tolist():
            v = int(regions.variant[j])
            if v in reported or vclass[v] == STRUCTURAL or prior[j] < CANDIDATE_MIN:
                continue
            row = rows[v]
            found = published.nearest(int(pair_keys[j]), index.symbols[int(regions.gene[j])], row[6], row[7],
                                      exclude_pmids, NEAR_PUBLISHED_BP)  # fmt: skip
            if found is not None:
                near[j] = found
    return reported, near


def _published_priors(chunk: _Chunk, reported: dict[int, tuple[Published, ...]], prior: np.ndarray
                      ) -> tuple[np.ndarray, dict[int, tuple[Published, ...]]]:  # fmt: skip
    """The priors raised by publications, and per pair the publications that count for its gene."""
    regions, index = chunk.regions, chunk.index
    # The boost goes to the gene the variant was reported in, not to every gene within reach; where the paper's
    # symbol is none of the genes here (a renamed gene: CIROZ is the gene model's C1orf127), to the genes that
    # contain the variant.
    pair_published: dict[int, tuple[Published, ...]] = {}  # pair index -> the publications that count for its gene
    if reported:
        pairs = np.nonzero(np.isin(regions.variant, np.fromiter(reported, dtype=np.int64)))[0].tolist()
        named_here = {int(regions.variant[j]) for j in pairs
                      if any(p.gene == index.symbols[int(regions.gene[j])] for p in reported[int(regions.variant[j])])}
        prior = prior.copy()
        for j in pairs:
            v = int(regions.variant[j])
            own = _of_gene(reported[v], index.symbols[int(regions.gene[j])], v in named_here,
                           int(regions.region[j]) not in (UPSTREAM, DOWNSTREAM))  # fmt: skip
            if own:
                pair_published[j] = own
                prior[j] = max(float(prior[j]), PUBLISHED_PATHOGENICITY)
    return prior, pair_published


def _file_annotations(rows: list[tuple], schema: AnnotationSchema
                      ) -> tuple[dict[int, list[GeneAnnotation]], dict[int, GeneAnnotation]]:  # fmt: skip
    """The file's own annotation of each allele: per gene where it names genes, else its record-level fields."""
    annotated_rows: dict[int, list[GeneAnnotation]] = {}
    record_notes: dict[int, GeneAnnotation] = {}
    if schema.present:
        for i, row in enumerate(rows):
            info = row[13]
            if not info:
                continue
            # a structural allele keeps the gene model's exon count (VEP/SnpEff say only "feature_truncation"); a file
            # naming no genes gives its record-level fields only (annotate's genes would be dropped unread)
            found = annotate(schema, info, row[21], row[14], row[8]) if schema.names_genes and not row[3] else []
            if found:
                annotated_rows[i] = found
            else:
                note = record_level(schema, info, row[8], row[14][row[8] - 1], len(row[14]))
                if note is not None:
                    record_notes[i] = note
    return annotated_rows, record_notes


@dataclass(slots=True)
class _PairFindings:
    """What the gene model's reading found of the pairs (by pair index), carried onto their candidates."""

    sv_overlaps: dict[int, SvOverlap]
    protein_changes: dict[int, str]
    nmd_escape: dict[int, str]
    frame_notes: dict[int, str]
    pair_published: dict[int, tuple[Published, ...]]
    near: dict[int, NearPublished]


def _keep_gene_model_candidates(
    chunk: _Chunk,
    prior: np.ndarray,
    annotated_rows: dict[int, list[GeneAnnotation]],
    record_notes: dict[int, GeneAnnotation],
    bundled: dict[int, float],
    listed: dict[int, str],
    findings: _PairFindings,
    best: dict[int, list[_Candidate]],
    per_gene: dict[int, int],
    counts: dict,
) -> None:
    """Counts the pairs the file does not annotate and keeps each gene's best of them as candidates (vectorised)."""
    rows, regions, index, start0, end0 = chunk.rows, chunk.regions, chunk.index, chunk.start0, chunk.end0
    pair_v = regions.variant
    pair_g = regions.gene
    if annotated_rows:
        keep = ~np.isin(pair_v, np.fromiter(annotated_rows, dtype=np.int64))
    else:
        keep = np.ones(len(pair_v), dtype=bool)
    counts["in_genes"] += len(np.unique(pair_v))

    if keep.any():
        genes, n_per = np.unique(pair_g[keep], return_counts=True)
        for g, c in zip(genes.tolist(), n_per.tolist(), strict=True):
            per_gene[g] = per_gene.get(g, 0) + c

    # Keep each gene's best MAX_VARIANTS_PER_GENE pairs of this chunk (vectorised), then merge.
    kv, kg, kp = pair_v[keep], pair_g[keep], prior[keep]
    kidx = np.nonzero(keep)[0]
    for j, v in enumerate(kv.tolist()) if (record_notes or bundled) else ():
        note = record_notes.get(v)
        if note is not None:
            kp[j] = _with_record_note(float(kp[j]), note, bundled.get(v), listed.get(v, ""))
        elif v in bundled:
            kp[j] = float(kp[j]) * frequency_weight(bundled[v], ba1_exception=listed.get(v, ""))
    # Only candidates (not deep intronic/flanking) compete for a gene's few places.
    candidate = kp >= CANDIDATE_MIN
    kv, kg, kp, kidx = kv[candidate], kg[candidate], kp[candidate], kidx[candidate]
    if len(kv):
        order = np.lexsort((-kp, kg))
        sg = kg[order]
        first = np.r_[0, np.nonzero(np.diff(sg))[0] + 1]
        rank = np.arange(len(sg)) - np.repeat(first, np.diff(np.r_[first, len(sg)]))
        chosen = order[rank < MAX_VARIANTS_PER_GENE]
        pair = kidx[chosen]
        f = findings
        for j, v, g, p, region, donor, cds, hit, edge in zip(
            pair.tolist(), kv[chosen].tolist(), kg[chosen].tolist(), kp[chosen].tolist(), regions.region[pair].tolist(),
            regions.donor[pair].tolist(), regions.cds[pair].tolist(), regions.exons_hit[pair].tolist(),
            regions.exon_edge[pair].tolist(), strict=True,
        ):  # fmt: skip
            row = rows[v]
            site = "" if region not in (SPLICE_SITE_REGION, SPLICE_NEAR) else index.splice_site_place(
                g, int(start0[v]), int(end0[v]), _inserts(row))
            _push(best, g, _Candidate(p, row, region, donor, cds, hit, record_notes.get(v),
                                      f.pair_published.get(j, ()), f.near.get(j), bundled.get(v),
                                      f.sv_overlaps.get(j), f.protein_changes.get(j, ""), f.nmd_escape.get(j, ""),
                                      listed.get(v, ""), site, f.frame_notes.get(j, ""), edge))  # fmt: skip


def _keep_annotated_candidates(chunk: _Chunk, annotated_rows: dict[int, list[GeneAnnotation]],
                               reported: dict[int, tuple[Published, ...]], bundled: dict[int, float],
                               listed: dict[int, str], gid: Callable[[str, str], int],
                               best: dict[int, list[_Candidate]], per_gene: dict[int, int]) -> None:  # fmt: skip
    """Counts the alleles the file annotates under each gene it names, and keeps those scored as candidates."""
    rows, regions, index, start0, end0 = chunk.rows, chunk.regions, chunk.index, chunk.start0, chunk.end0
    # An annotated exon loss written out in full (not symbolic): what it removes of the gene, which ClinGen's PVS1
    # tree weighs as for a <DEL> (interpret.criteria)
    pair_of = ({(int(regions.variant[j]), int(regions.gene[j])): j for j in range(len(regions.variant))}
               if any(a.consequence == "exon_loss_variant" for anns in annotated_rows.values() for a in anns) else {})
    for i, anns in annotated_rows.items():
        row = rows[i]
        for ann in anns:
            g = gid(ann.gene, normalise_chrom(row[0]))
            j = pair_of.get((i, g))
            removed = (_sv_overlap(index, regions, j, int(start0[i]), int(end0[i]), bases=True)
                       if j is not None and ann.consequence == "exon_loss_variant" and len(row[6]) > len(row[7])
                       else None)  # fmt: skip
            per_gene[g] = per_gene.get(g, 0) + 1
            extra_af = bundled.get(i) if ann.population_af is None else None
            ann = _on_bundled_protein(ann, g, index)
            conservation, conservation_note = _annotated_conservation(ann, g, index)
            path = annotated_pathogenicity(ann.consequence, ann.scores, ann.clinvar, ann.population_af,
                                           ann.lof_caution, conservation, clinvar_review=ann.clinvar_review,
                                           continental_af=ann.continental_af, ba1_exception=listed.get(i, ""))  # fmt: skip
            found = reported.get(i, ())
            own = _of_gene(found, ann.gene, any(p.gene == a.gene for p in found for a in anns),
                           ann.consequence not in FLANKING_CONSEQUENCES)
            if own and not clinvar_benign(ann.clinvar):  # a common or ClinVar-benign variant stays benign
                path = max(path, PUBLISHED_PATHOGENICITY * frequency_weight(ann.population_af,
                                                                            ba1_exception=listed.get(i, "")))
            if extra_af is not None:
                path *= frequency_weight(extra_af, ann.clinvar, ann.clinvar_review, ba1_exception=listed.get(i, ""))
            if path < CANDIDATE_MIN:
                continue
            _push(best, g, _Candidate(path, row, -1, False, conservation, 0, ann, own, None, extra_af,
                                      sv_overlap=removed, ba1_exception=listed.get(i, ""),
                                      conservation_note=conservation_note))  # fmt: skip


def _no_frameshift_text(index: GeneIndex, row: tuple, g: int, start0: int, end0: int, terminal: bool, cds: int,
                        inframe: bool = False) -> str:  # fmt: skip
    """Why a frameshift-length indel in an exon (`cds`: CODING or NO_CDS) is not called a frameshift, which its prior,
    the exonic row's, does not say: the reference breaks the transcript's frame, its coding bounds are unknown, or it
    lies at the start or stop codon; of an `inframe` one (NO_CDS), why it has no PM4."""
    if row[18] == "INS":
        what = f"insertion ({row[23]:,} bp)"
    elif row[18].startswith("DUP"):
        what = f"duplication ({end0 - start0:,} bp)"
    else:
        net = len(row[7]) - len(row[6])
        what = f"{'insertion' if net > 0 else 'deletion'} ({abs(net):,} bp)"
    scored = "scored by region and length"  # its prior is the exonic row's (interpret.PRIOR), kept short for the PDF
    if cds == NO_CDS:
        n = int(index.exon_ptr[g + 1] - index.exon_ptr[g])
        which = ("an internal exon" if not terminal else "the only exon" if n == 1
                 else "a first or last exon")  # fmt: skip
        if inframe:
            return f"in-frame {what} in {which}; PM4 not applied: coding bounds unknown; {scored}"
        return f"frameshift-length {what} in {which}; PVS1 not applied: coding bounds unknown; {scored}"
    if cds == FRAME_UNKNOWN:  # GENCODE's start and stop codons are not a whole number of codons apart on it
        return (f"frameshift-length {what}; PVS1 not applied: the reference genome breaks this transcript's reading "
                "frame: effect on the protein unknown")  # scored as VEP's coding_sequence_variant
    # not inside the coding sequence's first and last codons (_process_chunk): its 3' end is the stop codon's
    if (end0 > int(index.cds_end[g]) - 3) == (index.strand[g] > 0):
        return f"frameshift-length {what} at the stop codon; PVS1 not applied: may lengthen the protein (stop lost); {scored}"
    return (f"frameshift-length {what} at the coding sequence's first codon; PVS1 not applied: no start codon "
            f"annotated; {scored}")  # fmt: skip


def _sv_overlap(index: GeneIndex, regions: Regions, j: int, start0: int, end0: int, bases: bool = False
                ) -> SvOverlap:  # fmt: skip
    """What the structural variant of pair j, spanning [start0, end0), overlaps of its gene's transcript; where its
    span is `bases` it removes or copies (a deletion, a duplication), also the exons it takes only in part (an
    insertion's or a breakend's span is a point, no bases)."""
    g = int(regions.gene[j])
    exons = index.true_exons(g)  # the parts of an exon an alignment gap splits are one exon, as exon_number counts
    n = len(exons)
    hit = int(regions.exons_hit[j])
    number = int(regions.exon_number[j])  # of the exon hit last in genomic order
    first, last = (number - hit + 1, number) if index.strand[g] > 0 else (number, number + hit - 1)
    region = int(regions.region[j])
    fraction = 0.0
    cds_overlap = coding_fraction = None
    in_coding_exon = internal_exons = False
    removed = 0
    cs, ce = int(index.cds_start[g]), int(index.cds_end[g])
    if cs >= 0:
        lo, hi = int(index.exon_ptr[g]), int(index.exon_ptr[g + 1])
        starts = np.maximum(np.maximum(index.ex_start[lo:hi], start0), cs)
        ends = np.minimum(np.minimum(index.ex_end[lo:hi], end0), ce)
        cds_overlap = bool((starts < ends).any())
        removed = int(np.maximum(ends - starts, 0).sum())
        coding_fraction = removed / max(index.coding_length(g), 1)
        whole_exons = all(start0 <= s and e <= end0 for s, e in exons if s < end0 and e > start0)
        internal_exons = (hit > 0 and whole_exons and cs < start0 and end0 < ce and removed > 0
                          and int(index.cds_frame[g]) == 0)  # fmt: skip
        in_coding_exon = (hit == 1 and region == EXONIC and cs <= start0 and end0 <= ce
                          and any(s <= start0 and end0 <= e for s, e in exons))  # fmt: skip
    elif index.chroms[g] == "MT":  # no UTRs modelled: the gene is its coding sequence
        span = int(index.tx_end[g] - index.tx_start[g])
        coding_fraction = max(0, min(end0, int(index.tx_end[g])) - max(start0, int(index.tx_start[g]))) / max(span, 1)
    plus = index.strand[g] > 0
    partial = sorted((i + 1 if plus else n - i, min(end0, e) - max(start0, s), e - s) for i, (s, e) in enumerate(exons)
                     if bases and s < end0 and e > start0 and not start0 <= s <= e <= end0)  # fmt: skip
    if n == 1 and hit:
        ex_start, ex_end = exons[0]
        fraction = max(0, min(end0, ex_end) - max(start0, ex_start)) / max(ex_end - ex_start, 1)
    return SvOverlap(
        exons=hit,
        first=first if hit else 0,
        last=last if hit else 0,
        n_exons=n,
        whole=start0 <= int(index.tx_start[g]) and end0 >= int(index.tx_end[g]),
        boundary=hit > 0 and region == SPLICE_SITE_REGION,
        coding_known=index.chroms[g] == "MT",
        where=REGION_NAMES[region] if not hit else "",
        exon_fraction=fraction,
        cds_overlap=cds_overlap,
        five_prime_end=start0 <= int(index.tx_start[g]) if index.strand[g] > 0 else end0 >= int(index.tx_end[g]),
        coding_fraction=coding_fraction,
        in_coding_exon=in_coding_exon,
        length=end0 - start0,
        internal_exons=internal_exons,
        coding_bases=removed,
        partial=tuple(partial),
    )


FLANKING_CONSEQUENCES = frozenset({"upstream_gene_variant", "downstream_gene_variant", "intergenic_variant"})


def _of_gene(found: tuple[Published, ...], symbol: str, named_here: bool, inside: bool) -> tuple[Published, ...]:
    """The publications that reported the variant in this gene (a variant is near several genes). When none of the
    genes at the variant bears the paper's symbol (a renamed gene), every gene that contains it (`inside`: not in
    its flanks) takes them."""
    if named_here:
        return tuple(p for p in found if p.gene == symbol)
    return found if inside else ()


def _phase_set(v, sample: int) -> int | str | None:
    """The sample's PS (phase set) of a phased call; None when missing (then one set for the chromosome)."""
    return _phase_set_of(_phase_sets(v), sample)


def _phase_sets(v):
    """The record's FORMAT PS values; False where it has none."""
    try:
        values = v.format("PS")
    except Exception:  # cyvcf2 raises a bare Exception for a missing or mistyped FORMAT field
        return False
    return False if values is None else values


def _physical_fields(v) -> tuple:
    """The record's FORMAT PID and PGT values; () where it has either not."""
    try:
        blocks, haplotypes = v.format("PID"), v.format("PGT")
    except Exception:  # cyvcf2 raises a bare Exception for a missing or mistyped FORMAT field
        return ()
    return () if blocks is None or haplotypes is None else (blocks, haplotypes)


def _physical_of(fields: tuple | None, sample: int) -> tuple[str, tuple[int, int]] | None:
    """GATK's read-backed phase of the sample's unphased call, of the record's PID and PGT values
    (_physical_fields): (its PID, the alleles of its PGT in haplotype order); None where the record gives none."""
    if not fields:
        return None
    blocks, haplotypes = fields
    block, alleles = str(blocks[sample]).strip(), str(haplotypes[sample]).strip().split("|")
    if block in ("", ".") or len(alleles) != 2 or not all(a.isdigit() for a in alleles):
        return None
    return block, (int(alleles[0]), int(alleles[1]))


def _parents_phase(v, gts: list, father_i: int | None, mother_i: int | None, has_ps: bool, has_pid: bool,
                   sets=None, fields: tuple | None = None) -> tuple[ParentPhase | None, ParentPhase | None] | None:
    """(father's, mother's) phase of their own heterozygous diploid calls (family._phased_reading reads it), by the
    record's and the parent's own style, as the patient's (_haplotype): a phased GT with a PS, its phase set; else
    GATK's read-backed PGT/PID; else a phased GT's one set for the chromosome. None where neither parent's call is
    phased. `sets`, `fields`: the record's PS and PID/PGT values where the patient's phase read them (None: not yet;
    read here once for both parents where one needs them). A file may phase one sample, or one record, by PS and
    another by PGT/PID (merged callers, a trio of GATK versions): each call is read in its own style, and only calls
    of one style and block are compared (family._phased_reading)."""
    found: list[ParentPhase | None] = [None, None]
    for n, i in enumerate((father_i, mother_i)):
        if i is None:
            continue
        g = gts[i]
        if len(g) != 3 or g[0] == g[1] or g[0] < 0 or g[1] < 0:
            continue
        phase_set = None
        if g[2] and has_ps:
            if sets is None:
                sets = _phase_sets(v)
            phase_set = _phase_set_of(sets, i)
        if phase_set is None and has_pid:
            if fields is None:
                fields = _physical_fields(v)
            physical = _physical_of(fields, i)
            if physical is not None and sorted(physical[1]) == sorted(g[:2]):  # a PGT of other alleles: stale (split)
                found[n] = (("PID", physical[0]), physical[1])
                continue
        if g[2]:
            found[n] = (("PS", phase_set), (g[0], g[1]))
    return None if found[0] is None and found[1] is None else (found[0], found[1])


def _phase_set_of(values, sample: int) -> int | str | None:
    """The sample's PS of a record's FORMAT PS values (_phase_sets; False where the record has none)."""
    if values is None or values is False:
        return None
    raw = values[sample][0] if getattr(values, "ndim", 1) > 1 else values[sample]
    try:
        value = int(raw)
    except (TypeError, ValueError):  # a PS declared as a String
        return str(raw).strip() or None
    return value if value > -2147483648 else None  # htslib's missing integer


def _with_record_note(prior: float, note: GeneAnnotation, bundled_af: float | None = None,
                      ba1_exception: str = "") -> float:  # fmt: skip
    value = prior
    if "REVEL" in note.scores and prior >= 0.5:
        value = max(min(value, 0.7), note.scores["REVEL"]) if note.scores["REVEL"] >= 0.5 else min(value, 0.3)
    if note.scores.get("SpliceAI", 0.0) >= SPLICEAI_PP3:  # as for annotated variants: a predicted splice change
        value = max(value, min(1.0, 0.5 + note.scores["SpliceAI"] / 2))
    if clinvar_pathogenic(note.clinvar):
        value = max(value, 0.95)
    elif clinvar_benign(note.clinvar):
        value = min(value, 0.05)
    if note.population_af is not None:
        return value * frequency_weight(note.population_af, note.clinvar, note.clinvar_review, note.continental_af,
                                        ba1_exception)  # fmt: skip
    return value * frequency_weight(bundled_af, note.clinvar, note.clinvar_review, ba1_exception=ba1_exception)


def _push(best: dict[int, list[_Candidate]], g: int, cand: _Candidate) -> None:
    found = best.get(g)
    if found is None:
        best[g] = [cand]
        return
    found.append(cand)
    if len(found) > 2 * MAX_VARIANTS_PER_GENE:
        found.sort(key=lambda c: -c.path)
        del found[MAX_VARIANTS_PER_GENE:]


def _allele_fraction(v, sample: int, k: int) -> float | None:
    """The sample's fraction of reads with allele k: FORMAT AF (Mutect2) or VAF (DeepVariant), one value per ALT,
    else AD; None when the record gives none."""
    for key in ("AF", "VAF"):
        try:
            values = v.format(key)
        except Exception:  # cyvcf2 raises a bare Exception for a missing or mistyped FORMAT field
            continue
        if values is not None and getattr(values, "dtype", None) is not None and values.dtype.kind == "f":
            row = np.atleast_1d(values[sample])
            if len(row) >= k and np.isfinite(row[k - 1]) and 0.0 <= row[k - 1] <= 1.0:
                return round(float(row[k - 1]), 4)
    depths = _sample_ints(v, "AD", sample)
    if depths and len(depths) > k and depths[k] >= 0:
        total = sum(d for d in depths if d > 0)
        return round(depths[k] / total, 4) if total else None
    return None


def _records(n: int, kind: str = "") -> str:
    return f"{n:,} {kind}record{'' if n == 1 else 's'}"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


UNTRANSLATED_SPLICE_SITE = "between untranslated exons: no coding sequence changed, PVS1 not applied"
SPLICE_REGION_NOTE = "in a splice region (splice_region_variant): may alter splicing"
INHERITED_FROM = {"paternal": "from the father", "maternal": "from the mother", "both_parents": "from both parents"}
RELATED_PARENTS = "the parents are related (per the PED)"


def _haplotype(row: tuple) -> Haplotype | None:
    """(phase set, haplotype) of a heterozygous call: a phased call's phase set is its PS (one set for the
    chromosome when the file has no PS); two different ALT alleles at one site (1/2) are on the two haplotypes; a
    call that GATK phased by its reads, without a PS, is in the block its PID names, on the haplotype its PGT gives."""
    alleles, phased, k = row[9], row[10], row[8]
    if len(alleles) != 2 or alleles[0] == alleles[1]:
        return None
    physical = row[25]
    if physical is not None and sorted(physical[1]) != sorted(alleles):  # a PGT of other alleles: stale (split)
        physical = None
    if phased and physical is None:
        return (("PS", row[19]), 0 if alleles[0] == k else 1)
    if min(alleles) > 0:
        return (("site", row[4]), 0 if alleles[0] == k else 1)
    if physical is not None:
        return (("PID", physical[0]), 0 if physical[1][0] == k else 1)
    return None


def _in_trans(cands: list[_Candidate], origins: list[str], haps: list[Haplotype | None],
              parental: ParentalPhases | None = None) -> list[tuple[str, bool]]:  # fmt: skip
    """For each variant, the other variant of the gene it is shown to be in trans with, when that one looks
    pathogenic on its own (PM3_PARTNER_MIN; '' otherwise), and whether ClinVar classifies that one pathogenic (not
    only likely): ClinGen's PM3 counts such a partner in full."""
    out = [("", False)] * len(cands)
    for i, ci in enumerate(cands):
        for j, cj in enumerate(cands):
            if i == j or cj.path < PM3_PARTNER_MIN - 1e-6:  # priors are float32
                continue
            label = _variant_label(cj)
            classified = cj.annotation is not None and clinvar_pathogenic_not_likely(cj.annotation.clinvar)
            if pair_phase(i, j, origins, haps, parental) != "trans":
                continue
            if phase(haps[i], haps[j]) == "trans":
                how = "other allele of this site" if haps[i][0][0] == "site" else "phased"
            elif told_by := by_parents_phase(i, j, parental):
                how = told_by
            elif origins[i] in ("paternal", "maternal") and origins[j] in ("paternal", "maternal"):
                how = origins[j]
            elif origins[j] in ("paternal", "maternal"):  # this one lacked by the parent read, the other not read
                how = f"{origins[j]}; this variant: {_presumed_from_unread(ci.row)}"
            else:  # the partner lacked by the parent read
                how = _presumed_from_unread(cj.row)
            out[i] = (f"{label} ({how})", classified)
            break
    return out


def _genotype(row: tuple, chrom: str, sex: str | None, par: tuple) -> str:
    """het | hom_alt | hemizygous (haploid call, or homozygous on a male X outside the PARs, or Y) |
    heteroplasmic | homoplasmic (mitochondrial)."""
    alleles, k = row[9], row[8]
    copies = alleles.count(k)
    if chrom == "MT":
        return "homoplasmic" if copies == len(alleles) else "heteroplasmic"
    if len(alleles) == 1:
        return _cnv_genotype(row, chrom, sex, par) or "hemizygous"
    if row[18] == "DEL" and (told := _cnv_genotype(row, chrom, sex, par)):
        return told  # a deletion's copy number (DRAGEN's './1' says nothing of how many copies are lost)
    if copies >= 2:
        if chrom == "Y" or chrom == "X" and sex == "MALE" and not in_pseudoautosomal(row[1], par):
            return "hemizygous"
        return "hom_alt"
    return "het"


def _cnv_genotype(row: tuple, chrom: str, sex: str | None, par: tuple) -> str | None:
    """het | hom_alt of a CNV caller's one-allele call (GATK gCNV's GT 1 for <DEL>, 2 for <DUP>, on every
    chromosome), or of a deletion's two-allele call, where two copies are expected and its copy number tells them:
    one copy lost (CN 1) or gained is heterozygous, none left (CN 0) homozygous; None where one copy is expected (a
    male's X, Y) or nothing tells."""
    copy_number = row[22]
    if copy_number is None or not row[3]:
        return None
    diploid = chrom not in ("X", "Y") or chrom == "X" and (
        sex == "FEMALE" or in_pseudoautosomal(row[1], par))
    if chrom == "X" and sex is None and row[18] == "DEL" and copy_number >= 1:
        diploid = True  # a copy lost with one left: two were there (a male's one copy lost leaves none)
    if not diploid:
        return None
    return "hom_alt" if copy_number == 0 else "het"


def _call_text(row: tuple) -> str:
    return ("|" if row[10] else "/").join("." if a < 0 else str(a) for a in row[9])


def _gene_evidence(
    cands: tuple[_Candidate, ...],
    symbol: str,
    chrom: str,
    sample: str,
    labels: tuple[str, ...],
    origins: tuple[str, ...],
    haps: tuple[Haplotype | None, ...],
    schema: AnnotationSchema,
    parents: dict[str, str],
    recessive: bool = False,
    sex: str | None = None,
    par: tuple = (),
    parentage: Parentage | None = None,
    family: tuple[tuple[RelativeCall, ...], ...] = (),
    recessive_only: bool = False,
    descent: dict[bool, Callable[[tuple[str, ...]], float | None]] | None = None,
    parents_related: bool = False,
    twins: Twins | None = None,
    parental: ParentalPhases | None = None,
    unread_parents: tuple[tuple[str, str], ...] = (),
    other_parents: tuple[dict[str, OtherParent], ...] = (),
    lineages: tuple[Lineage, ...] = (),
) -> tuple[VariantEvidence, ...]:
    """The variants' evidence; PM3 only for a gene with a recessive disease (ACMG: recessive disorders); a de novo
    call PS2 only where `parentage` (the trio's) is confirmed, else PM6; PP1 or BS4 from `family` (per variant, the
    relatives' calls), read under recessive inheritance where the gene's diseases are all recessive."""
    in_trans = (_in_trans(list(cands), list(origins), list(haps), parental) if recessive
                else [("", False)] * len(cands))  # fmt: skip
    # a pair a parent's phase shows the parents cannot both have passed: neither variant's origin is told (both
    # "from the father" would say he passed both); the fit keeps the calls' reading, crediting nothing new
    # (relatives' sharing still follows the parent's allele the calls read: the fewer meioses, not new credit)
    unsettled = _inconsistent_origins(cands, origins, haps, parental)
    told = tuple("unknown" if unsettled[n] else o for n, o in enumerate(origins))
    # a recessive disease needs both of a compound heterozygote's variants: segregation reads the pair (on X, a
    # daughter's, as the fit reads a female's two X variants)
    partners = (_trans_partners(labels, origins, haps, parental) if family and recessive_only
                and (chrom not in ("X", "Y", "MT") or chrom == "X" and sex == "FEMALE") else [None] * len(cands))  # fmt: skip
    return tuple(
        _evidence(c, symbol, sample, labels[n], schema, told[n], in_trans[n], sex, par, parentage,
                  homozygous=recessive and labels[n] == "hom_alt", parents_related=parents_related,
                  origin_note=unsettled[n],
                  segregation=segregation_criteria(
                      family[n], labels[n], chrom, recessive_only, _sharing(descent, chrom, c.row[1], par),
                      parents_related, twins,
                      None if (m := partners[n]) is None else (family[m], _variant_label(cands[m])),
                      unread_parents, other_parents[n] if other_parents else None,
                      _allele_from(c.row, origins[n], parents, parentage,
                                   lineages[n].parents.get(lineages[n].patient, ()) if lineages else ()),
                      _lineage(lineages, n, partners[n]))
                  + healthy_homozygote_criteria(family[n], chrom, recessive_only) if family else ())
        for n, c in enumerate(cands)
    )


def _inconsistent_origins(cands: Sequence[_Candidate], origins: Sequence[str], haps: Sequence[Haplotype | None],
                          parental: ParentalPhases | None) -> list[str]:  # fmt: skip
    """Per variant, why its origin is not told where it is one of a pair that a parent's own phase shows the parents
    cannot both have passed (inheritance.INCONSISTENT): each parent passes one chromosome, so which of the two is
    the parent's the calls do not tell; '' otherwise."""
    out = [""] * len(cands)
    for i in range(len(cands)):
        for j in range(len(cands)):
            if i != j and not out[i] and pair_phase(i, j, origins, haps, parental) == INCONSISTENT:
                out[i] = f"with {_variant_label(cands[j])}: {by_parents_phase(i, j, parental)}"
    return out


def _variant_label(c: _Candidate) -> str:
    """'12:103245499 C>T', as PM3 names a partner (a symbolic allele by itself: its REF base says nothing)."""
    alt = c.row[7]
    return f"{c.row[0]}:{c.row[5]} {alt if alt.startswith('<') else f'{c.row[6]}>{alt}'}"


def _evidence(
    c: _Candidate,
    symbol: str,
    sample: str,
    label: str,
    schema: AnnotationSchema,
    origin: str,
    in_trans: tuple[str, bool],
    sex: str | None = None,
    par: tuple = (),
    parentage: Parentage | None = None,
    homozygous: bool = False,
    segregation: tuple[AcmgCriterion, ...] = (),
    parents_related: bool = False,
    origin_note: str = "",
) -> VariantEvidence:
    row = c.row
    ref, alt = row[6], row[7]
    svtype = row[18]
    # a deletion written out that holds a whole exon of this gene is read as the <DEL> of its span (_process_chunk)
    exon_deletion = not row[3] and c.region >= 0 and c.sv_overlap is not None
    if exon_deletion:
        svtype = "DEL"
    structural = row[3] or exon_deletion
    vclass = variant_class(ref, alt, structural)
    if structural and c.region >= 0:  # labelled and judged as the indel it is scored as, where it is one
        length = row[23] if svtype == "INS" else row[2] - row[1]
        vclass = written_indel(svtype, c.sv_overlap, c.region, length)
    ann = c.annotation
    annotated = c.region < 0
    if annotated:
        consequence = ann.consequence or "annotated"
    elif vclass == STRUCTURAL:
        consequence = "structural"
    else:
        consequence = region_label(c.region, c.donor, vclass, c.cds)
    de_novo = None if origin == "unknown" else origin == "de_novo"
    parents_text = ""
    untold = _one_parent_homozygous(row, label, origin)
    if origin != "unknown":
        parents_text = f"father {_parent_text(row[15])}, mother {_parent_text(row[16])}"
    inherited = INHERITED_FROM.get(origin, "")
    if untold:
        parents_text += f"; a deletion of the {untold}'s allele not excluded"
        inherited = f"one copy at least {inherited}; {untold} {_parent_text(row[15 if untold == 'father' else 16])}"
    related = parents_related and origin == "both_parents"
    if related:  # PM3's homozygous occurrence: autozygosity makes any rare allele of the region homozygous
        parents_text += f"; {RELATED_PARENTS}: homozygous by descent, as expected of a rare allele"
    # `origin_note`: why a pair's phase leaves the origin open (_inconsistent_origins), else the calls' own
    origin_note = origin_note or (_origin_note(row, label, sex, par) if row[15] is not None or row[16] is not None
                                  else "")  # fmt: skip
    # (a record-level note, INFO's scores or frequency with no CSQ/ANN, names no change: the bases' reading stands)
    hgvs = ann.hgvs + c.conservation_note if annotated else c.protein_change
    if ann and ann.more_severe_elsewhere:
        hgvs = f"{hgvs}; {ann.more_severe_elsewhere}" if hgvs else ann.more_severe_elsewhere
    if structural and not hgvs:
        shown_type = svtype or alt.strip("<>")
        overlap = c.sv_overlap.text() if c.sv_overlap is not None else f"{c.exons_hit} exon(s)"
        copies = "" if row[22] is None else f"; copy number {row[22]}"  # what a one-allele CNV call was read by
        if shown_type == "INS":  # no span: bases added after POS
            size = "length not stated" if row[23] is None else f"{row[23]:,} bp inserted"
            hgvs = f"INS after {row[5]} ({size}{copies}; {symbol}: {overlap})"
        elif shown_type == "BND":
            mate = re.search(r"[\[\]]([^\[\]]+)[\[\]]", alt)
            hgvs = f"BND at {row[5]} ({f'joined to {mate.group(1)}; ' if mate else ''}{symbol}: {overlap})"
        else:
            hgvs = f"{shown_type} {row[1] + 1}-{row[2]} ({row[2] - row[1]:,} bp{copies}; {symbol}: {overlap})"
    if not hgvs and c.splice_site and (c.region == SPLICE_NEAR or c.cds in (UTR5, UTR3)):
        # no PVS1 tells their place (interpret.criteria): a splice region change (+3 to +8), and a splice site of an
        # untranslated intron, which changes no coding sequence
        hgvs = c.splice_site if c.region == SPLICE_NEAR else f"{c.splice_site}; {UNTRANSLATED_SPLICE_SITE}"
    if c.frame_note:
        hgvs = f"{hgvs}; {c.frame_note}" if hgvs else c.frame_note
    # A change in a splice region beside its consequence (VEP's missense_variant&splice_region_variant; the gene
    # model's exonic part, an exon's first or last 3 bases) is named, by the same flag on either path: a missense
    # reading's BP4 waits there for SpliceAI (criteria), and the clinician sees why.
    splice_region = ann.splice_region if annotated else c.exon_edge
    if splice_region and "splice" not in consequence:
        hgvs = f"{hgvs}; {SPLICE_REGION_NOTE}" if hgvs else SPLICE_REGION_NOTE
    scores = dict(ann.scores) if ann else {}
    af, af_source = (ann.population_af, ann.af_source) if ann else (None, "")
    if af is None and c.bundled_af is not None:
        af, af_source = c.bundled_af, BUNDLED_AF_SOURCE
    crit = criteria(
        svtype=svtype,
        consequence=consequence,
        annotated=annotated,
        lof_caution=ann.lof_caution if ann else "",
        nmd_escape=ann.nmd_escape if annotated else c.nmd_escape,
        af_populations=ann.max_af_pops if ann and af_source == ann.af_source else "",
        continental_af=ann.continental_af if ann and af_source == ann.af_source else None,
        continental_af_source=ann.continental_af_source if ann else "",
        clinvar_review=ann.clinvar_review if ann else "",
        ba1_exception=c.ba1_exception,
        splice_site=c.splice_site,
        splice_region=splice_region,
        region=None if annotated else c.region,
        cds=c.cds,
        vclass=vclass,
        sv_overlap=c.sv_overlap,
        af=af,
        af_source=af_source,
        # "absent" needs the annotation to have looked at this record: a record left without CSQ/ANN says nothing,
        # nor does a small-variant frequency field on a structural allele, which it never matches (gnomAD's SNV/indel
        # tables hold no <DEL>); a frequency the record states for it is used all the same (af above)
        af_field_present=schema.has_population_af and (annotated or bool(schema.info_af)) and not row[3],
        clinvar=ann.clinvar if ann else "",
        scores=scores,
        de_novo=de_novo,
        parents_text=parents_text,
        parentage_confirmed=parentage is not None and parentage.confirmed,
        parentage_text="" if parentage is None else parentage.text(),
        in_trans_with=in_trans[0],
        partner_pathogenic=in_trans[1],
        homozygous=homozygous and (origin in ("both_parents", "unknown") or bool(untold)) and not origin_note,
        published=tuple(sorted({p.pmid for p in c.published})),
        near_published=c.near.text() if c.near else "",
    ) + segregation
    return VariantEvidence(
        chrom=row[0],
        pos=row[5],
        ref=ref,
        alt=alt,
        gene=symbol,
        genotype=label,
        consequence=consequence,
        hgvs=hgvs,
        population_af=af,
        population_af_source=af_source,
        clinvar=ann.clinvar if ann else "",
        scores=scores,
        criteria=crit,
        pathogenicity=round(float(c.path), 4),
        filter=row[12],
        # QUAL 'nan' or 'inf' is a float to htslib but says nothing; it would be NaN/Infinity in the JSON (not JSON)
        quality=None if row[11] is None or not math.isfinite(row[11]) else float(row[11]),
        record_line=row[4],
        sample=sample,
        de_novo=de_novo,
        call=_call_text(row),
        origin_note=origin_note,
        inherited_from=f"{INHERITED_FROM[origin]}, who are related (per the PED)" if related else inherited,
        allele_fraction=row[24],
    )
