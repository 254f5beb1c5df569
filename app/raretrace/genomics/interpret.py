"""Variant pathogenicity (0..1, for ranking) and ACMG/AMP-style criteria, each with the value that triggered it.

A criterion is only set when the data says so: PM2 needs a population frequency field in the file, PP3/BP4 need
an in-silico score, PP5/BP6 a ClinVar significance, PS2/PM6 a trio. Without annotation the gene model still tells
exonic/splice/intronic, and with the bundled coding bounds 5' UTR / coding / start codon / 3' UTR, which sets a
variant-type prior. Without a reference genome the codon's bases are unknown, but for 15,109 genes the bundled
protein (UniProtKB/Swiss-Prot) gives its amino acid: an unannotated coding SNV is then missense, stop gained (PVS1;
strong in the last exon or the penultimate exon's last 50 bp) or synonymous wherever every codon of that amino acid
with its REF base agrees (codons._amino_acid_change), and is otherwise told as far as its codon position and bases decide it (a second-base
change always alters the amino acid, a third-base C<>T never does: codons._codon_change). A frameshift-length indel
inside the coding sequence is a frameshift (PVS1; strong there too). Two codons are known: any
change of the start codon loses the start (ATG is the only methionine codon), and an SNV of a stop codon is a stop
loss or a retained stop wherever its REF and ALT decide it among TAA, TAG and TGA (any change of the T, a C or T
elsewhere: lost).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from ..evidence import AcmgCriterion
from ..inheritance import RelativeCall, healthy_homozygotes, informative_relatives, one_of_pair
from .annotation import LOSS_OF_FUNCTION, clinvar_benign, clinvar_pathogenic, clinvar_with_criteria
from .gene_model import (
    CODING,
    DOWNSTREAM,
    EXONIC,
    FRAME_UNKNOWN,
    FRAMESHIFT,
    FRAMESHIFT_LAST_EXON,
    INTRONIC,
    LIKELY_PROTEIN_ALTERING,
    LIKELY_SYNONYMOUS,
    MISSENSE,
    MISSENSE_CONSERVED,
    MISSENSE_CONSERVED_AMONG_FEW,
    MISSENSE_FEW_HOMOLOGUES,
    MISSENSE_NOT_CONSERVED,
    MISSENSE_NOT_CONSERVED_AMONG_FEW,
    MISSENSE_OR_SYNONYMOUS,
    MISSENSE_PARTLY_CONSERVED,
    NO_CDS,
    PROTEIN_ALTERING,
    REFERENCE_GAP,
    SPLICE_NEAR,
    SPLICE_SITE_REGION,
    START_CODON,
    STOP_CODON,
    STOP_GAINED,
    STOP_GAINED_LAST_EXON,
    STOP_LOST,
    STOP_OR_MISSENSE,
    STOP_OR_MISSENSE_CONSERVED,
    STOP_RETAINED,
    SYNONYMOUS,
    THIRD_BASE_TRANSVERSION,
    UPSTREAM,
    UTR3,
    UTR5,
)

# Variant classes used by the unannotated prior.
SNV, MNV, FRAMESHIFT_LENGTH, INFRAME_INDEL, STRUCTURAL = range(5)
CLASS_NAMES = ("SNV", "MNV", "frameshift-length indel", "in-frame indel", "structural")

# Prior pathogenicity of an unannotated variant by gene-model region (rows) and class (columns). Set from the
# likelihood ratio of each category for causal variants of published cases versus a normal exome's variants
# (simulated exomes of the tuning fold, models/tune_genomics.py): frameshift-length indels in internal exons
# and splice sites are ~20x enriched, exonic SNVs not at all, terminal exons (often untranslated) depleted.
PRIOR = np.array(
    [
        # SNV   MNV   fs-indel inframe SV
        [0.55, 0.60, 0.90, 0.70, 0.90],  # exonic (internal exon)
        [0.85, 0.85, 0.80, 0.80, 0.90],  # splice site (+/-2) or exon boundary crossed
        [0.45, 0.45, 0.40, 0.40, 0.60],  # splice region (3-8)
        [0.05, 0.05, 0.05, 0.05, 0.10],  # intronic
        [0.03, 0.03, 0.03, 0.03, 0.30],  # upstream
        [0.02, 0.02, 0.02, 0.02, 0.10],  # downstream
    ],
    dtype=np.float32,
)
TERMINAL_EXON = np.array([0.45, 0.50, 0.65, 0.50, 0.90], dtype=np.float32)

# Prior pathogenicity by annotated consequence (Exomiser's defaults, which RareTrace follows).
CONSEQUENCE_PRIOR = {
    "transcript_ablation": 1.0, "exon_loss_variant": 1.0, "splice_acceptor_variant": 0.95,
    "splice_donor_variant": 0.95, "stop_gained": 1.0, "frameshift_variant": 1.0, "stop_lost": 0.9,
    "start_lost": 0.95, "transcript_amplification": 0.7, "feature_elongation": 0.6, "feature_truncation": 0.8,
    "disruptive_inframe_insertion": 0.7, "disruptive_inframe_deletion": 0.7, "inframe_insertion": 0.7,
    "inframe_deletion": 0.7, "conservative_inframe_insertion": 0.6, "conservative_inframe_deletion": 0.6,
    "missense_variant": 0.6, "protein_altering_variant": 0.6, "splice_donor_5th_base_variant": 0.5,
    "splice_region_variant": 0.35, "splice_donor_region_variant": 0.3, "splice_polypyrimidine_tract_variant": 0.2,
    "incomplete_terminal_codon_variant": 0.3, "start_retained_variant": 0.1, "stop_retained_variant": 0.1,
    "synonymous_variant": 0.05, "coding_sequence_variant": 0.4, "mature_miRNA_variant": 0.3,
    "5_prime_UTR_premature_start_codon_gain_variant": 0.3, "5_prime_UTR_variant": 0.1, "3_prime_UTR_variant": 0.05,
    "non_coding_transcript_exon_variant": 0.1, "intron_variant": 0.05, "NMD_transcript_variant": 0.05,
    "non_coding_transcript_variant": 0.05, "upstream_gene_variant": 0.03, "downstream_gene_variant": 0.02,
}  # fmt: skip
# Where the transcript's coding bounds are known, an exonic variant takes the prior of what the bounds tell: an
# untranslated one that of the annotated UTR consequence, a coding one the internal-exon row (coding exons are what
# made that row), a change of the start codon that of start_lost.
UTR_PRIOR = {UTR5: CONSEQUENCE_PRIOR["5_prime_UTR_variant"], UTR3: CONSEQUENCE_PRIOR["3_prime_UTR_variant"]}
START_CODON_PRIOR = CONSEQUENCE_PRIOR["start_lost"]
STOP_PRIOR = {STOP_LOST: CONSEQUENCE_PRIOR["stop_lost"], STOP_RETAINED: CONSEQUENCE_PRIOR["stop_retained_variant"]}
# A coding SNV told by its codon position (codons._codon_change). Each class splits the exonic SNV row (0.55): its
# prior odds are that row's times the square root of the class's likelihood ratio, causal SNVs of the tuning fold's
# published cases (fold 1, 793 coding SNVs) against the Pfeiffer exome's 10,204 coding SNVs
# (models/checks/codon_classes.py), the compression that reproduces the table's other rows (splice sites: LR ~20
# -> 0.85). LRs: a first or second base 2.09, a third-base transversion 0.47, a third-base A<>G 0.09, a third-base
# C<>T 0.00 (0 of 793; the synonymous_variant prior). The first base's C<>T and C<>A alone have 3.98 (CpG changes
# to stop codons and Arg), but a prior of their own (0.71) was within noise on fold 1 (recall@1 0.637 against
# 0.630) and put a common ROR2 change above FGFR2 in Exomiser's Pfeiffer demo, so they share the first and second
# bases' prior. Fold 1, 300 simulated exomes, gene recall@1 / @5: 0.613 / 0.673 without the split, 0.630 / 0.683
# with it.
CODON_PRIOR = {PROTEIN_ALTERING: 0.64, LIKELY_PROTEIN_ALTERING: 0.64, THIRD_BASE_TRANSVERSION: 0.46,
               LIKELY_SYNONYMOUS: 0.27, SYNONYMOUS: CONSEQUENCE_PRIOR["synonymous_variant"]}  # fmt: skip
# Prior of a loss-of-function consequence whose annotation doubts it (LOFTEE low confidence, last exon): below the
# confident ones (0.95-1.0), above a missense.
CAUTIOUS_LOF_PRIOR = 0.8
# Read against the bundled protein (codons._amino_acid_change), a coding SNV's consequence is what an annotation would
# name, and takes that consequence's prior, as the UTRs and the start and stop codons do (nothing tuned); a stop in
# the last exon that of an annotated loss of function in doubt.
PROTEIN_PRIOR = {MISSENSE: CONSEQUENCE_PRIOR["missense_variant"], STOP_GAINED: CONSEQUENCE_PRIOR["stop_gained"],
                 STOP_GAINED_LAST_EXON: CAUTIOUS_LOF_PRIOR}
# Where the codon's third base decides, the classes split the exonic SNV row (0.55) by the codon classes' rule, with
# their likelihood ratios on fold 1 (models/checks/codon_classes.py; 797 causal coding SNVs against the Pfeiffer
# exome's 10,397): a stop or a missense change (Arg's CGN>TGN above all, the commonest cause of a stop gained in
# published cases) at a residue that >= 60% of homologues keep LR 38.8 -> 0.88, at another 6.8 -> 0.76 (together
# 13.2); a missense or synonymous change (Leu's CTN>TTN) 0.32 -> 0.41. (Folds 0, 2-4: 20.0, 30.7, 26.4, 34.2;
# 9.7, 7.4, 5.5, 5.2; 0.34, 0.44, 0.50, 0.66.)
PROTEIN_PRIOR |= {STOP_OR_MISSENSE_CONSERVED: 0.88, STOP_OR_MISSENSE: 0.76, MISSENSE_OR_SYNONYMOUS: 0.41}
# A missense change told by how the protein's homologues keep its residue (models/build_conservation.py). Each class
# splits the missense prior (0.6) as the codon classes split the exonic SNV row: its odds times the square root of the
# class's likelihood ratio, causal missense SNVs of the tuning fold's published cases (fold 1, 369) against the
# Pfeiffer exome's 3,481 (models/checks/conservation.py): kept by >= 90% of ten or more homologues LR 13.0 -> 0.84,
# by >= 90% of three to nine 3.5 -> 0.74, by 60-90% 2.1 -> 0.68, by fewer 0.44 -> 0.50, fewer than three homologues
# 0.22 -> 0.41. (Folds 2-4, 1,487 SNVs: 13.7, 2.6, 2.1, 0.41, 0.33.) A residue under 60% of three to nine keeps the
# prior of under 60% (the ratio was measured for both together) and differs only in carrying no BP4.
CONSERVATION_PRIOR = {MISSENSE_CONSERVED: 0.84, MISSENSE_CONSERVED_AMONG_FEW: 0.74, MISSENSE_PARTLY_CONSERVED: 0.68,
                      MISSENSE_NOT_CONSERVED: 0.50, MISSENSE_NOT_CONSERVED_AMONG_FEW: 0.50,
                      MISSENSE_FEW_HOMOLOGUES: 0.41}  # fmt: skip
# A frameshift the coding bounds tell keeps the frameshift-length row's prior; in the last exon that of a loss of
# function in doubt, as a stop gained there.
FRAMESHIFT_PRIOR = {FRAMESHIFT: float(PRIOR[EXONIC, FRAMESHIFT_LENGTH]), FRAMESHIFT_LAST_EXON: CAUTIOUS_LOF_PRIOR}
# An exonic variant's prior by what the coding bounds tell (CODING keeps the region and class row).
# A change of bases the transcript lacks, or their deletion (gene_model.REFERENCE_GAP): as a synonymous change.
CDS_PRIOR = (UTR_PRIOR | {START_CODON: START_CODON_PRIOR} | STOP_PRIOR | CODON_PRIOR | PROTEIN_PRIOR
             | CONSERVATION_PRIOR | FRAMESHIFT_PRIOR
             | {REFERENCE_GAP: CONSEQUENCE_PRIOR["synonymous_variant"],
                FRAME_UNKNOWN: CONSEQUENCE_PRIOR["coding_sequence_variant"]})
MISSENSE_LIKE = frozenset({"missense_variant", "protein_altering_variant", "coding_sequence_variant",
                           "inframe_insertion", "inframe_deletion", "disruptive_inframe_insertion",
                           "disruptive_inframe_deletion", "conservative_inframe_insertion",
                           "conservative_inframe_deletion"})  # fmt: skip

# ClinGen SVI calibrations (Pejaver et al. 2022) for REVEL and CADD; SpliceAI thresholds (Walker et al. 2023).
REVEL_PP3, REVEL_BP4 = 0.644, 0.290
CADD_PP3, CADD_BP4 = 25.3, 22.7
# The calibrated strength of each missense predictor's score (Pejaver et al. 2022, Table 2), strongest first: PP3 at
# or above the value, BP4 at or below it. CADD reaches no strong level either way; strong is the most used (REVEL's
# very strong BP4 level has no ACMG/AMP benign counterpart).
# BayesDel's calibration is of its score without allele frequency (noAF): strong from 0.50, moderate 0.27, supporting
# 0.13; BP4 supporting to -0.18, moderate to -0.36. The addAF score, which adds frequency as a feature, is held to the
# same thresholds where the file gives only it (its label names which it is).
_BAYESDEL_PP3 = ((0.50, "strong"), (0.27, "moderate"), (0.13, "supporting"))
_BAYESDEL_BP4 = ((-0.36, "moderate"), (-0.18, "supporting"))
PP3_STRENGTHS = {"REVEL": ((0.932, "strong"), (0.773, "moderate"), (REVEL_PP3, "supporting")),
                 "BayesDel_noAF": _BAYESDEL_PP3, "BayesDel_addAF": _BAYESDEL_PP3,
                 "CADD": ((28.1, "moderate"), (CADD_PP3, "supporting"))}  # fmt: skip
BP4_STRENGTHS = {"REVEL": ((0.016, "strong"), (0.183, "moderate"), (REVEL_BP4, "supporting")),
                 "BayesDel_noAF": _BAYESDEL_BP4, "BayesDel_addAF": _BAYESDEL_BP4,
                 "CADD": ((17.3, "moderate"), (CADD_BP4, "supporting"))}  # fmt: skip
# The calibrated missense predictors in the order one is chosen: REVEL first (as ranked), BayesDel (calibrated to
# strong), CADD.
CALIBRATED_MISSENSE = ("REVEL", "BayesDel_noAF", "BayesDel_addAF", "CADD")
SPLICEAI_PP3, SPLICEAI_BP4 = 0.2, 0.1
# dbscSNV (Jian et al. 2014): ada and rf scores above 0.6 predict a splicing change; no benign threshold is
# published. Read where SpliceAI, ClinGen's splicing predictor (Walker 2023), is not given.
DBSCSNV_PP3 = 0.6
# SIFT and PolyPhen (HumVar) have no ClinGen calibration: PP3 or BP4 at supporting, only where no calibrated
# predictor is given and both agree (ACMG/AMP 2015: multiple lines of computational evidence), by their own
# categories: SIFT deleterious at or below 0.05; PolyPhen probably damaging from 0.909, benign at or below 0.446.
SIFT_DELETERIOUS = 0.05
POLYPHEN_DAMAGING, POLYPHEN_BENIGN = 0.909, 0.446
# A premature stop within this many bases of the last exon-exon junction escapes nonsense-mediated decay (the 50-55
# nt rule; ClinGen's PVS1 tree, Abou Tayoun 2018: PVS1 at strong, as in the last exon).
NMD_BOUNDARY_BP = 50
PM2_MAX_AF = 1e-4  # ultra-rare (dominant-compatible); ClinGen SVI: PM2 at supporting strength
# The one threshold, whatever the gene's inheritance: the label says it (a recessive disorder's carriers may be more
# frequent, and ClinGen SVI leaves that threshold to the disorder's prevalence; here such a variant gets no PM2).
_PM2_BOUND = f"at most {PM2_MAX_AF:.2%}, the threshold for any inheritance"
BA1_MIN_AF = 0.05
BS1_MIN_AF = 0.01


def variant_class(ref: str, alt: str, structural: bool) -> int:
    if structural:
        return STRUCTURAL
    if len(ref) == len(alt):
        return SNV if len(ref) == 1 else MNV
    return INFRAME_INDEL if abs(len(ref) - len(alt)) % 3 == 0 else FRAMESHIFT_LENGTH


def region_prior(region: np.ndarray, vclass: np.ndarray, terminal: np.ndarray, cds: np.ndarray) -> np.ndarray:
    """Vectorised prior for unannotated (variant, gene) pairs; cds: gene_model.Regions.cds."""
    prior = PRIOR[region, vclass]
    exonic = region == EXONIC
    prior = np.where(terminal & exonic & (cds == NO_CDS), TERMINAL_EXON[vclass], prior)
    for code, value in CDS_PRIOR.items():
        prior = np.where(exonic & (cds == code), value, prior)
    # A splice site of an untranslated intron: what LOFTEE calls a low-confidence loss of function (5UTR_SPLICE,
    # 3UTR_SPLICE), the prior an annotated one gets.
    utr_splice = (region == SPLICE_SITE_REGION) & ((cds == UTR5) | (cds == UTR3))
    return np.where(utr_splice, np.minimum(prior, CAUTIOUS_LOF_PRIOR), prior).astype(np.float32)


# Structural variants by type: a deletion removing coding exons is loss of function; copy gains and rearrangements
# of a gene are less often so. (An insertion is none of these: it is scored as the indel it is, load._process_chunk.)
STRUCTURAL_PRIOR = {"DEL": 0.95, "DUP": 0.6, "CNV": 0.7, "INV": 0.5, "BND": 0.5}


@dataclass(frozen=True, slots=True)
class SvOverlap:
    """What a structural variant overlaps of one gene's transcript in the gene model.

    Where the transcript's coding bounds are known (resources/gencode_cds.tsv.gz), coding sequence counts as removed
    where the variant overlaps an exon between them, removes an exon-intron boundary (a splice site) or covers the
    whole transcript. Where they are not (a transcript GENCODE 19 lacks, or a GRCh38 one whose exons differ from
    GRCh37's), an internal exon is taken as coding, and a variant that stays inside the first or last exon
    (possibly reaching past the transcript's end into the flank) may touch only its UTR, and does not count.
    """

    exons: int  # exons overlapped
    first: int  # their lowest and highest exon numbers, in transcript order (0 when none)
    last: int
    n_exons: int  # exons of the transcript
    whole: bool  # the whole transcript is covered
    boundary: bool  # an exon-intron boundary is crossed (a splice site removed)
    coding_known: bool = False  # the gene's bounds are its coding bounds (mitochondrial genes: no UTRs modelled)
    where: str = ""  # region name when no exon is overlapped (intronic, upstream, ...)
    exon_fraction: float = 0.0  # of the only exon of a single-exon gene, the fraction deleted
    cds_overlap: bool | None = None  # overlaps exonic sequence between the coding bounds (None: bounds unknown)
    five_prime_end: bool = False  # covers the transcript's 5' end (its transcription start, and the promoter before)
    coding_fraction: float | None = None  # share of the transcript's coding bases removed (None: bounds unknown)
    # Lies inside one exon and inside the known coding bounds: a tandem copy of it is an insertion there (written_indel)
    in_coding_exon: bool = False
    length: int = 0  # bases of the variant's span
    # Whole exons only, strictly between the coding bounds (the transcript's frame whole), coding_bases of them: their
    # deletion keeps the reading frame where that is a whole number of codons (in_frame), and a tandem copy shifts it
    # where it is not
    internal_exons: bool = False
    coding_bases: int = 0  # coding bases overlapped (0 where the bounds are unknown)
    # The exons a deletion or duplication takes only in part, in transcript order: (exon number, bases taken, the
    # exon's bases)
    partial: tuple[tuple[int, int, int], ...] = ()

    @property
    def in_frame(self) -> bool:
        return self.internal_exons and self.coding_bases % 3 == 0

    @property
    def terminal_only(self) -> bool:
        """Confined to the first or last exon without crossing into its intron, coding bounds unknown: untranslated
        or coding cannot be told. The only exon of a single-exon gene (SOX2, SRY) is both; a deletion of half of it
        or more cannot lie in its UTRs alone unless they make up half the transcript, and counts as coding."""
        if (self.n_exons == 1 and self.exon_fraction >= 0.5) or self.cds_overlap is not None:
            return False
        return (self.exons == 1 and not self.boundary and not self.whole and not self.coding_known
                and self.first in (1, self.n_exons))  # fmt: skip

    @property
    def untranslated_only(self) -> bool:
        """Exons overlapped, but only outside the known coding bounds, and no splice site or whole transcript."""
        return self.exons > 0 and self.cds_overlap is False and not self.boundary and not self.whole

    @property
    def removes_coding(self) -> bool:
        return self.exons > 0 and not self.terminal_only and not self.untranslated_only

    @property
    def reaches_last_exon(self) -> bool:
        """Takes (part of) the last exon, not the whole transcript: no exon junction is left after a premature stop,
        so nonsense-mediated decay is not predicted (a single-exon gene's only exon is its last)."""
        return self.exons > 0 and self.last == self.n_exons and not self.whole

    @property
    def removes_transcription_start(self) -> bool:
        """Untranslated sequence only, but the transcript's 5' end with it: expression may be lost (no PVS1, which is
        about coding sequence; scored as a deletion in a terminal exon, not as a UTR change)."""
        return self.untranslated_only and self.five_prime_end

    def text(self) -> str:
        """What is overlapped, in words (shown with the variant and in its PVS1 value)."""
        if self.exons == 0:
            return f"no exon ({(self.where or 'intronic').replace('_', ' ')})"
        if self.whole:
            return f"the whole transcript ({self.n_exons} exon{'s' if self.n_exons > 1 else ''})"
        if self.coding_known:
            return "part of the gene (mitochondrial: no UTR modelled)"
        span = f"exon {self.first}" if self.first == self.last else f"exons {self.first}-{self.last}"
        span += f" of {self.n_exons}"
        if self.removes_transcription_start:
            return f"part of {span} with the transcript's 5' end: untranslated sequence only, the transcription start removed"
        if self.untranslated_only:
            return f"part of {span}: untranslated sequence (UTR) only"
        if self.n_exons == 1 and not self.terminal_only:
            known = ", coding sequence included" if self.cds_overlap else " (taken as coding)"
            return f"{self.exon_fraction:.0%} of the only exon{known}"
        if self.terminal_only:
            which = "only" if self.n_exons == 1 else ("first" if self.first == 1 else "last")
            return f"part of {span} (the {which} exon) only: UTR or coding cannot be told, the gene model has no CDS bounds"
        if self.cds_overlap is False:  # exon-intron boundaries of untranslated exons only
            return f"{span} (untranslated exon{'s' if self.exons > 1 else ''}, splice site)"
        # "exon 11 of 27" alone reads as the whole exon: one taken in part says how much of it
        if self.partial and self.exons == 1:
            (_number, taken, bases), = self.partial
            span = f"part of {span} ({taken:,} of its {bases:,} bp)"
        elif self.partial:
            span += " (" + "; ".join(f"exon {number} in part: {taken:,} of its {bases:,} bp"
                                     for number, taken, bases in self.partial) + ")"  # fmt: skip
        if self.boundary and self.exons == 1 and (self.first in (1, self.n_exons) or self.partial):
            return f"{span} across its exon-intron boundary (splice site)"
        return span


def written_indel(svtype: str, overlap: SvOverlap | None, region: int, length: int | None) -> int:
    """The class of the indel a structural allele is the same change as, written out (FRAMESHIFT_LENGTH or
    INFRAME_INDEL), where its type cannot settle its effect and its span can; STRUCTURAL otherwise. An insertion of
    stated length adds that many bases at one point; a deletion of intronic bases at a splice site or in the splice
    region, no exon with them, removes them there (scored, labelled and given PVS1 as that deletion is: its length,
    not its type, is what the splice site sees)."""
    if length is None:
        return STRUCTURAL
    indel = INFRAME_INDEL if length % 3 == 0 else FRAMESHIFT_LENGTH
    if svtype == "INS":
        return indel
    if svtype.startswith("DUP") and overlap is not None and overlap.in_coding_exon:
        # A duplication inside one coding exon is presumed in tandem (ClinGen's PVS1 tree, Abou Tayoun 2018: the copy
        # beside the original, as short-read callers' DUP:TANDEM): its bases inserted after themselves, frameshift or
        # in-frame by its length. A copy placed elsewhere would leave the gene whole; the labels say it is presumed.
        return indel
    if (svtype.startswith("DEL") and overlap is not None and not overlap.exons
            and region in (SPLICE_SITE_REGION, SPLICE_NEAR)):  # fmt: skip
        return indel
    return STRUCTURAL


def structural_prior(svtype: str, overlap: SvOverlap, region: int, length: int, cds: int = NO_CDS) -> float:
    """Prior of a structural variant of `length` bases in one gene. In untranslated sequence only (`cds`: which UTR),
    it gets the prior of any variant of that UTR. Confined to a first or last exon whose coding bounds are unknown,
    it gets the region's ordinary prior: that of the same change written out as an indel of that length in a
    terminal exon (never more than its type's). A deletion at a splice site or in the splice region, no exon with
    it, gets the prior of the same deletion written out (written_indel), never more than its type's."""
    of_type = STRUCTURAL_PRIOR.get(svtype.split(":")[0], 0.6)
    if svtype.startswith("DUP") and overlap.internal_exons:
        # presumed in tandem, as a duplication inside one coding exon (written_indel): the prior of the insertion of its
        # coding bases, a frameshift or in frame
        return float(PRIOR[EXONIC, INFRAME_INDEL]) if overlap.in_frame else FRAMESHIFT_PRIOR[FRAMESHIFT]
    if overlap.removes_coding:
        return of_type
    if overlap.untranslated_only and not overlap.removes_transcription_start:
        return min(of_type, UTR_PRIOR.get(cds, UTR_PRIOR[UTR5]))
    if overlap.exons:
        indel = INFRAME_INDEL if length % 3 == 0 else FRAMESHIFT_LENGTH
        return min(of_type, float(TERMINAL_EXON[indel]))
    written = written_indel(svtype, overlap, region, length)
    if written != STRUCTURAL:
        return min(of_type, float(PRIOR[region, written]))
    if region in (UPSTREAM, DOWNSTREAM):
        return 0.1 if svtype.startswith("DEL") else 0.05
    return 0.1


def frequency_factor(af: float | None) -> float:
    """Exomiser's frequency score: 1 when absent or ultra-rare, falling to 0 at 2% population frequency."""
    if af is None:
        return 1.0
    return float(min(1.0, max(0.0, 1.13533 - 0.13533 * math.exp(100.0 * min(af, 0.1)))))


def ba1_frequency(af: float | None, continental_af: float | None = None) -> bool:
    """BA1 (ACMG/AMP, ClinGen SVI, Ghosh 2018): above 5%, not 5% itself, in a continental population of >= 2,000
    alleles; not where `af` is a maximum over populations that include founder or small ones (VEP's MAX_AF) and the
    largest other frequency (`continental_af`, GeneAnnotation.continental_af) is 5% or less."""
    return af is not None and af > BA1_MIN_AF and not (continental_af is not None and continental_af <= BA1_MIN_AF)


def clinvar_keeps(clinvar: str, review: str, af: float | None, continental_af: float | None = None,
                  ba1_exception: str = "") -> bool:  # fmt: skip
    """Whether ClinVar's classification keeps the variant's population frequency from lowering its pathogenicity:
    pathogenic or likely pathogenic (not conflicting), with assertion criteria where the file gives a review status,
    and not BA1. Exomiser's ClinVar whitelist does the same: a founder variant (BRCA2 c.6174del at ~1% in Ashkenazi
    Jews), GJB2 c.35delG (~1% in Europeans) or CFTR F508del (~1.4%) is common for a disease allele, yet the cause in
    many patients, and the frequency factor (0 from 2%) would set it aside. BA1 (above 5% in a continental population)
    still applies, but not to a variant on ClinGen SVI's BA1 exception list (`ba1_exception`: its name, HFE C282Y)."""
    if not (clinvar_pathogenic(clinvar) and clinvar_with_criteria(review)):
        return False
    return bool(ba1_exception) or not ba1_frequency(af, continental_af)


def frequency_weight(af: float | None, clinvar: str = "", review: str = "",
                     continental_af: float | None = None, ba1_exception: str = "") -> float:  # fmt: skip
    """The frequency factor, or 1 where ClinVar keeps the variant (clinvar_keeps) or it is on ClinGen SVI's BA1
    exception list (`ba1_exception`: its name): the list names variants common yet pathogenic or of uncertain
    significance (HFE C282Y at 3% worldwide), whose frequency must not set them aside, with ClinVar in the file or
    not (BS1 still says the frequency)."""
    if ba1_exception:
        return 1.0
    return 1.0 if clinvar_keeps(clinvar, review, af, continental_af) else frequency_factor(af)


CDS_LABELS = {UTR5: "5_prime_UTR", UTR3: "3_prime_UTR", CODING: "coding", START_CODON: "start_codon",
              STOP_CODON: "stop_codon", STOP_LOST: "stop_lost", STOP_RETAINED: "stop_retained",
              PROTEIN_ALTERING: "protein_altering", LIKELY_PROTEIN_ALTERING: "likely_protein_altering",
              SYNONYMOUS: "synonymous", LIKELY_SYNONYMOUS: "likely_synonymous", THIRD_BASE_TRANSVERSION: "coding",
              REFERENCE_GAP: "reference_only_bases", MISSENSE: "missense", MISSENSE_CONSERVED: "missense",
              MISSENSE_PARTLY_CONSERVED: "missense", MISSENSE_NOT_CONSERVED: "missense",
              MISSENSE_NOT_CONSERVED_AMONG_FEW: "missense", MISSENSE_FEW_HOMOLOGUES: "missense", MISSENSE_CONSERVED_AMONG_FEW: "missense", STOP_GAINED: "stop_gained",
              STOP_GAINED_LAST_EXON: "stop_gained", FRAMESHIFT: "frameshift", FRAMESHIFT_LAST_EXON: "frameshift", FRAME_UNKNOWN: "coding",
              STOP_OR_MISSENSE: "stop_gained_or_missense", STOP_OR_MISSENSE_CONSERVED: "stop_gained_or_missense",
              MISSENSE_OR_SYNONYMOUS: "missense_or_synonymous"}  # fmt: skip


def region_label(region: int, donor: bool, vclass: int, cds: int = NO_CDS) -> str:
    """What the gene model tells of an unannotated variant: "exonic" where the coding bounds are unknown."""
    if vclass == STRUCTURAL:
        return "structural"
    if region == SPLICE_SITE_REGION:
        site = "splice_donor_site" if donor else "splice_acceptor_site"
        return f"{CDS_LABELS[cds]}_{site}" if cds in (UTR5, UTR3) else site
    if region == EXONIC and cds in CDS_LABELS:
        return CDS_LABELS[cds]
    return {EXONIC: "exonic", SPLICE_NEAR: "splice_region", INTRONIC: "intronic", UPSTREAM: "upstream",
            DOWNSTREAM: "downstream"}.get(region, "intronic")  # fmt: skip


def annotated_pathogenicity(
    consequence: str, scores: dict[str, float], clinvar: str, af: float | None, lof_caution: str = "",
    conservation: int = NO_CDS, *, clinvar_review: str = "", continental_af: float | None = None,
    ba1_exception: str = "",
) -> float:
    """conservation: for a missense_variant, its class by how homologues keep the residue (MISSENSE_CONSERVED ...),
    which stands in for REVEL and CADD where the file gives neither. clinvar_review, continental_af and
    ba1_exception: what clinvar_keeps weighs the frequency by."""
    base = CONSEQUENCE_PRIOR.get(consequence, 0.1 if consequence else 0.3)
    if lof_caution and consequence in LOSS_OF_FUNCTION:
        base = min(base, CAUTIOUS_LOF_PRIOR)
    if consequence == "missense_variant" and conservation in CONSERVATION_PRIOR:
        base = CONSERVATION_PRIOR[conservation]
    if consequence in MISSENSE_LIKE:
        if "REVEL" in scores:
            base = scores["REVEL"]
        elif "CADD" in scores:
            base = min(1.0, max(0.0, (scores["CADD"] - 10.0) / 25.0))
    if "SpliceAI" in scores and scores["SpliceAI"] >= SPLICEAI_PP3:
        base = max(base, min(1.0, 0.5 + scores["SpliceAI"] / 2))
    if clinvar_pathogenic(clinvar):
        base = max(base, 0.95)
    elif clinvar_benign(clinvar):
        base = min(base, 0.05)
    return base * frequency_weight(af, clinvar, clinvar_review, continental_af, ba1_exception)


# PVS1 for what the coding bounds and the bundled protein tell of an unannotated exonic variant: (strength, value,
# reason). ClinGen SVI's PVS1 tree: an initiation codon variant at moderate strength; a premature stop or frameshift
# in the last exon at strong (it may escape nonsense-mediated decay).
_LAST_EXON = "in the last exon: may escape nonsense-mediated decay"
_TOLD_PVS1 = {
    START_CODON: ("moderate", "start codon (ATG) changed",
                  "initiation codon lost: no other methionine codon (gene model's coding bounds)"),
    STOP_GAINED: ("very_strong", "stop gained", "nonsense: a stop codon read against the gene's protein (UniProt)"),
    STOP_GAINED_LAST_EXON: ("strong", f"stop gained; {_LAST_EXON}",
                            "nonsense read against the gene's protein (UniProt), which may not abolish it"),
    FRAMESHIFT: ("very_strong", "frameshift", "reading frame shifted inside the coding sequence (gene model's coding bounds)"),
    FRAMESHIFT_LAST_EXON: ("strong", f"frameshift; {_LAST_EXON}", "reading frame shifted in the last exon (gene model's coding bounds)"),
}  # fmt: skip


# PP3/BP4 from conservation alone (unannotated missense): a residue kept by nearly all homologues, or one ten or more
# of them vary. Three to nine that vary it give no BP4 (MISSENSE_NOT_CONSERVED_AMONG_FEW): ACMG's BP4 asks for
# reliable computational evidence, and the share of so few moves by a homologue (the evidence text says so).
_TOLD_CONSERVATION = {
    MISSENSE_CONSERVED: ("PP3", "supporting", "residue kept by at least 90% of homologous proteins",
                         "missense at an evolutionarily conserved residue (Swiss-Prot homologues)"),
    MISSENSE_CONSERVED_AMONG_FEW: ("PP3", "supporting", "residue kept by at least 90% of 3-9 homologous proteins",
                                   "missense at a residue conserved among the few homologous proteins known (Swiss-Prot)"),
    MISSENSE_NOT_CONSERVED: ("BP4", "supporting", "residue kept by under 60% of homologous proteins",
                             "missense at a residue that homologous proteins vary (Swiss-Prot homologues)"),
}  # fmt: skip


# A duplication inside one coding exon, read as the insertion of its bases after themselves (written_indel), or of
# whole internal coding exons, read as the insertion of their coding bases after the last of them (structural_prior).
def _tandem(overlap: SvOverlap | None) -> str:
    if overlap is not None and overlap.internal_exons:
        codons = (f"{overlap.coding_bases // 3:,} codons" if overlap.in_frame
                  else "not a whole number of codons")  # fmt: skip
        return (f"duplication of whole coding exons ({overlap.text()}: {overlap.coding_bases:,} coding bases, "
                f"{codons}), presumed in tandem")
    # (inside the exon: 'part of' it would say so twice)
    where = f" ({replace(overlap, partial=()).text()})" if overlap is not None else ""
    size = f"{overlap.length:,}-bp " if overlap is not None and overlap.length else ""
    return f"{size}duplication inside a coding exon{where}, presumed in tandem"


_TANDEM_REASON = "a duplication presumed, not proven, in tandem: one level lower (ClinGen's PVS1 tree)"
_ONE_LEVEL_LOWER = {"very_strong": "strong", "strong": "moderate", "moderate": "supporting", "supporting": "supporting"}

_RETIRED = "retired by ClinGen SVI (2018): weigh the submitters' evidence itself, not the report"
_BA1_LIST = "ClinGen SVI's BA1 exception list"
_NOT_BA1 = f"BA1 not applied: on {_BA1_LIST}"
_LISTED = f"on {_BA1_LIST}"
# A ClinVar pathogenic variant kept below BA1 (clinvar_keeps) may still pass BS1's 1%, a bound for any disorder.
_BS1_BESIDE_KEEP = ("ClinVar's pathogenic classification keeps this variant (PP5): 1% is the generic bound, and BS1 "
                    "holds only above what the disorder allows (its prevalence, penetrance and allelic heterogeneity; "
                    "Whiffin 2017), often more than 1% for a recessive or founder disorder")

_INFRAME = frozenset(c for c in MISSENSE_LIKE if "inframe" in c)  # annotated in-frame deletions and insertions


def criteria(
    *,
    svtype: str = "",
    consequence: str,
    annotated: bool,
    region: int | None,
    vclass: int,
    sv_overlap: SvOverlap | None = None,
    af: float | None,
    af_source: str,
    af_field_present: bool,
    clinvar: str,
    scores: dict[str, float],
    de_novo: bool | None,
    parents_text: str,
    in_trans_with: str,
    homozygous: bool = False,
    parentage_confirmed: bool = False,
    parentage_text: str = "",
    partner_pathogenic: bool = False,
    published: tuple[str, ...] = (),
    near_published: str = "",
    lof_caution: str = "",
    nmd_escape: str = "",
    cds: int = NO_CDS,
    af_populations: str = "",
    continental_af: float | None = None,
    continental_af_source: str = "",
    clinvar_review: str = "",
    ba1_exception: str = "",
    splice_site: str = "",
    splice_region: bool = False,
) -> tuple[AcmgCriterion, ...]:
    """ACMG/AMP-style labels this variant's data supports; each carries the triggering value.

    partner_pathogenic: the variant in trans (in_trans_with) is classified pathogenic in ClinVar, not predicted so.
    homozygous: a homozygous call (not hemizygous) in a gene with a recessive disorder: PM3 at supporting, as ClinGen
    SVI's PM3 (2019) counts a homozygous occurrence (0.5 point), for a variant under 1% (BS1's bound).
    lof_caution: why the annotation doubts a loss-of-function consequence (GeneAnnotation.lof_caution); PVS1 is
    then given at strong strength, the reason in its value.
    nmd_escape: why a premature stop (stop gained, frameshift) may escape nonsense-mediated decay where the
    consequence does not say it (the penultimate exon's last 50 bp): PVS1 at strong, the reason in its value.
    sv_overlap: what a structural variant overlaps of the gene; a deletion gets PVS1 only where it removes coding
    sequence (SvOverlap.removes_coding), not where it may touch only a UTR, an intron or the flank.
    cds: where an unannotated variant lies against the coding bounds (gene_model.UTR5 ... STOP_RETAINED).
    af_populations: the populations af is the maximum of (VEP's MAX_AF_POPS), named in the value. continental_af:
    where af is a maximum over populations not all continental (GeneAnnotation.continental_af), the frequency BA1 may
    rest on instead; at 5% or less the label is BS1.
    clinvar_review: ClinVar's review status of `clinvar` (shown in PP5's value; clinvar_keeps).
    ba1_exception: the variant's name on ClinGen SVI's BA1 exception list (ba1_exceptions), '' where not listed:
    never BA1, but BS1 where its frequency gives it, the reason saying why.
    splice_site: where an unannotated splice site change lies against the exon ("1 base after exon 11 (+1, intron
    11)"), in PVS1's value.
    splice_region: the change lies in the exonic part of a splice region (an exon's last or first bases; annotated:
    splice_region_variant), where a missense change may alter splicing: BP4 from a missense reading (a predictor,
    SIFT and PolyPhen, conservation) needs SpliceAI to predict no splicing change (ClinGen SVI: Pejaver 2022, Walker
    2023), not only its absence.
    parentage_confirmed: the trio's calls confirm maternity and paternity (family.Parentage), which ClinGen SVI's PS2
    needs; a de novo call is otherwise PM6 (assumed de novo). parentage_text: the figure, for either's value.
    """
    # One family of criteria at a time, in the order they are shown: the effect on the protein (PVS1, PM4), the
    # population frequency, the predictors, the reports, the residue's neighbourhood, then the family's calls.
    missense = _may_be_missense(consequence, annotated, region, vclass, cds)
    pvs1 = _loss_of_function_criteria(
        svtype=svtype, consequence=consequence, annotated=annotated, region=region, vclass=vclass,
        sv_overlap=sv_overlap, lof_caution=lof_caution, nmd_escape=nmd_escape, cds=cds, splice_site=splice_site)
    in_silico = _computational_criteria(consequence=consequence, annotated=annotated, region=region, cds=cds,
                                        scores=scores, missense=missense, splice_region=splice_region)
    if pvs1 and in_silico and in_silico[0].code == "PP3":
        # ClinGen SVI: PP3 is not combined with PVS1, which already counts the predicted effect. (BP4 is unaffected:
        # the predictors give at most one of PP3 and BP4, so dropping PP3 never hides a BP4.)
        in_silico = []
    return tuple(
        pvs1
        + _protein_length_criteria(svtype=svtype, consequence=consequence, annotated=annotated, region=region,
                                   vclass=vclass, sv_overlap=sv_overlap, cds=cds)
        + _frequency_criteria(af=af, af_source=af_source, af_field_present=af_field_present,
                              af_populations=af_populations, continental_af=continental_af,
                              continental_af_source=continental_af_source, clinvar=clinvar,
                              clinvar_review=clinvar_review, ba1_exception=ba1_exception)
        + in_silico
        + _reported_criteria(clinvar=clinvar, clinvar_review=clinvar_review, published=published, af=af,
                             af_source=af_source, af_populations=af_populations, continental_af=continental_af,
                             continental_af_source=continental_af_source, ba1_exception=ba1_exception)
        + _hot_spot_criteria(near_published, missense, in_silico)
        + _de_novo_criteria(de_novo, parents_text, parentage_confirmed, parentage_text)
        + _in_trans_criteria(in_trans_with, partner_pathogenic, homozygous, af, parents_text)
    )  # fmt: skip


def _loss_of_function_criteria(*, svtype: str, consequence: str, annotated: bool, region: int | None, vclass: int,
                               sv_overlap: SvOverlap | None, lof_caution: str, nmd_escape: str, cds: int,
                               splice_site: str) -> list[AcmgCriterion]:  # fmt: skip
    """PVS1 (null variant), from the annotated consequence or from what the gene model tells."""
    if annotated:
        found = _annotated_pvs1(consequence, sv_overlap, lof_caution, nmd_escape)
    else:
        found = _told_pvs1(svtype, consequence, region, vclass, sv_overlap, nmd_escape, cds, splice_site)
    return [found] if found is not None else []


def _annotated_pvs1(consequence: str, sv_overlap: SvOverlap | None, lof_caution: str,
                    nmd_escape: str) -> AcmgCriterion | None:  # fmt: skip
    """PVS1 of an annotated consequence, at the strength ClinGen's PVS1 tree gives it."""
    if consequence == "start_lost":
        # ClinGen SVI's PVS1 tree (Abou Tayoun 2018): an initiation codon variant is PVS1 at moderate strength at
        # most (a downstream in-frame methionine may start the protein), as the unannotated start codon change is.
        value = f"{consequence}; {lof_caution}" if lof_caution else consequence
        return AcmgCriterion("PVS1", "moderate", value,
                             "initiation codon lost (annotation): moderate at most under ClinGen's PVS1 tree")  # fmt: skip
    if (consequence == "exon_loss_variant" and sv_overlap is not None and sv_overlap.removes_coding
            and (sv_overlap.in_frame or sv_overlap.reaches_last_exon)):  # fmt: skip
        # a deletion written out that the annotation calls an exon loss: ClinGen's tree weighs it by what the gene
        # model and coding bounds say it removes, as a <DEL> of that span (the consequence stays the annotation's)
        found = _deletion_pvs1(sv_overlap)
        return replace(found, value=f"{consequence}; {found.value}")
    if consequence in LOSS_OF_FUNCTION and (lof_caution or nmd_escape):
        value = "; ".join(part for part in (consequence, lof_caution, nmd_escape) if part)
        return AcmgCriterion("PVS1", "strong", value,
                             "predicted loss of function (annotation), which may not abolish the protein")  # fmt: skip
    if consequence in LOSS_OF_FUNCTION:
        return AcmgCriterion("PVS1", "very_strong", consequence, "predicted loss of function (annotation)")
    return None


def _told_pvs1(svtype: str, consequence: str, region: int | None, vclass: int, sv_overlap: SvOverlap | None,
               nmd_escape: str, cds: int, splice_site: str) -> AcmgCriterion | None:  # fmt: skip
    """PVS1 of an unannotated variant, from the gene model, its coding bounds and the bundled protein."""
    if vclass == STRUCTURAL and svtype.startswith("DEL") and sv_overlap is not None and sv_overlap.removes_coding:
        return _deletion_pvs1(sv_overlap)
    if (vclass == STRUCTURAL and svtype.startswith("DUP") and sv_overlap is not None
            and sv_overlap.internal_exons and not sv_overlap.in_frame):  # fmt: skip
        # ClinGen's PVS1 tree: a duplication presumed in tandem that disrupts the reading frame, nonsense-mediated
        # decay predicted (exons follow the copy), is PVS1 strong
        return AcmgCriterion("PVS1", "strong", f"frameshift; {_tandem(sv_overlap)}",
                             "reading frame shifted by a copy of whole coding exons after themselves (gene model's "
                             f"coding bounds), exons following it; {_TANDEM_REASON}")  # fmt: skip
    if region == EXONIC and vclass != STRUCTURAL and cds in _TOLD_PVS1:
        strength, value, reason = _TOLD_PVS1[cds]
        if nmd_escape and cds in (STOP_GAINED, FRAMESHIFT):
            strength, value, reason = "strong", f"{value}; {nmd_escape}", f"{reason}, which may not abolish it"
        if svtype.startswith("DUP"):
            # ClinGen's PVS1 tree: a duplication presumed in tandem that disrupts the frame is PVS1 strong, one level
            # below a proven one (the same insertion written out)
            strength = _ONE_LEVEL_LOWER[strength]
            value = f"{value}; {_tandem(sv_overlap)}"
            reason = f"{reason}; {_TANDEM_REASON}"
        return AcmgCriterion("PVS1", strength, value, reason)
    if region == SPLICE_SITE_REGION and vclass != STRUCTURAL and cds not in (UTR5, UTR3):
        # (A splice site between untranslated exons changes no coding sequence: ClinGen's PVS1 tree does not apply.)
        where = f", {splice_site}" if splice_site else ""  # its own parentheses: no pair inside another
        return AcmgCriterion("PVS1", "very_strong", consequence.replace("_", " ") + where,
                             "canonical splice site (+/-2) or exon boundary disrupted (gene model)")  # fmt: skip
    return None


def _protein_length_criteria(*, svtype: str, consequence: str, annotated: bool, region: int | None, vclass: int,
                             sv_overlap: SvOverlap | None, cds: int) -> list[AcmgCriterion]:  # fmt: skip
    """PM4: the protein's length changed, by a stop loss or an in-frame deletion or insertion."""
    if consequence == "stop_lost":  # annotated, or told by the coding bounds (CDS_LABELS[STOP_LOST])
        return [AcmgCriterion("PM4", "moderate", "stop codon lost",
                              "protein lengthened: the stop codon changed (stop-loss)")]  # fmt: skip
    if (annotated and consequence in _INFRAME) or (
            not annotated and region == EXONIC and vclass == INFRAME_INDEL and cds == CODING) or (
            not annotated and vclass == STRUCTURAL and svtype.startswith("DUP") and sv_overlap is not None
            and sv_overlap.in_frame):  # fmt: skip
        # ACMG's PM4 is for a non-repeat region: without the reference sequence that is not checked, and says so
        what = consequence.replace("_", " ") if annotated else "in-frame indel inside the coding sequence"
        if not annotated and svtype.startswith("DUP"):
            what = f"in-frame: {_tandem(sv_overlap)}"
        return [AcmgCriterion("PM4", "moderate", f"{what}; repeat region not checked",
                              "protein length changed by an in-frame deletion or insertion")]  # fmt: skip
    return []


def _shown_frequency(af: float, af_source: str, af_populations: str) -> str:
    """The frequency as the labels show it: its source, and the populations a maximum is over."""
    return f"{af_source}={af:.4g}" + (f" ({af_populations})" if af_populations else "")


def _frequency_criteria(*, af: float | None, af_source: str, af_field_present: bool, af_populations: str,
                        continental_af: float | None, continental_af_source: str, clinvar: str, clinvar_review: str,
                        ba1_exception: str) -> list[AcmgCriterion]:  # fmt: skip
    """BA1, BS1 or PM2 from the population frequency, or PM2 where the frequency data lacks the variant."""
    if af is None:
        if af_field_present:
            return [AcmgCriterion("PM2", "supporting", "absent", "not found in the population frequency data")]
        return []
    shown = _shown_frequency(af, af_source, af_populations)
    # ClinGen SVI (Ghosh 2018): BA1 needs a continental population of >= 2,000 alleles; a maximum that includes
    # founder and small populations (VEP's MAX_AF) decides BS1 at most where the global frequency is 5% or less
    ba1 = ba1_frequency(af, continental_af)
    founder = af > BA1_MIN_AF and not ba1
    if ba1:
        rests = f"{continental_af_source}={continental_af:.4g}; {shown}" if continental_af is not None else shown
        if ba1_exception:  # ClinGen SVI (Ghosh 2018): common, yet pathogenic or uncertain; BS1 is all it gets
            found = AcmgCriterion("BS1", "strong", f"{rests}; {_NOT_BA1}",
                                  f"allele frequency above 1%; {_NOT_BA1} ({ba1_exception})")  # fmt: skip
        else:
            found = AcmgCriterion("BA1", "stand_alone", rests, "allele frequency above 5%")
    elif founder:
        found = AcmgCriterion("BS1", "strong", f"{shown}; {continental_af_source}={continental_af:.4g}",
                              "allele frequency above 1%; above 5% only as a maximum over populations that "
                              "include founder or small ones, which BA1 does not rest on (ClinGen SVI: a "
                              "continental population of >= 2,000 alleles)")  # fmt: skip
    elif af >= BS1_MIN_AF and ba1_exception:
        # the list keeps it a candidate (frequency_weight): the value says why a strong benign label stands beside it
        found = AcmgCriterion("BS1", "strong", f"{shown}; {_LISTED}", f"allele frequency above 1%; {_LISTED} "
                              f"({ba1_exception}), whose frequency does not set it aside")  # fmt: skip
    elif af >= BS1_MIN_AF:
        found = AcmgCriterion("BS1", "strong", shown, "allele frequency above 1%")
    elif af <= PM2_MAX_AF:
        return [AcmgCriterion("PM2", "supporting", shown, f"ultra-rare in the population ({_PM2_BOUND})")]
    else:
        return []
    if found.code == "BS1" and clinvar_keeps(clinvar, clinvar_review, af, continental_af, ba1_exception):
        # BS1 is shown beside PP5's keep (ClinGen shows conflicting evidence), and says what decides between them:
        # in short in the value, which the report and the evidence pane show, in full in the reason
        found = replace(found, value=f"{found.value}; 1% is a generic bound, and ClinVar's classification keeps it "
                        "(PP5)", reason=f"{found.reason}; {_BS1_BESIDE_KEEP}")  # fmt: skip
    return [found]


def _computational_criteria(*, consequence: str, annotated: bool, region: int | None, cds: int,
                            scores: dict[str, float], missense: bool, splice_region: bool) -> list[AcmgCriterion]:  # fmt: skip
    """PP3 or BP4 from the predictors: a calibrated missense score, SpliceAI, dbscSNV, SIFT with PolyPhen, conservation."""
    splice = scores.get("SpliceAI")
    # REVEL and CADD are calibrated on missense changes only: a score the file states for the record (another gene's
    # or another transcript's missense change) says nothing of a splice site, an intron or a UTR of this gene.
    tool = next((name for name in CALIBRATED_MISSENSE if missense and name in scores), "")
    damaging = _calibrated(PP3_STRENGTHS, tool, scores, above=True)
    benign = _calibrated(BP4_STRENGTHS, tool, scores, above=False)
    dbscsnv = [(name, scores[key]) for name, key in (("ada", "dbscSNV_ada"), ("rf", "dbscSNV_rf")) if key in scores]
    sift_polyphen = _sift_polyphen(scores) if missense and not tool else ""
    # BP4 from a missense reading says nothing of splicing: SpliceAI must not predict a change, and in the splice
    # region, where a missense change may disrupt splicing, must have been asked
    splicing_spared = splice is not None and splice <= SPLICEAI_BP4 or splice is None and not splice_region
    if damaging:
        return [AcmgCriterion("PP3", damaging, f"{tool}={scores[tool]:.3g}",
                              "missense predicted damaging (ClinGen's calibrated threshold)")]  # fmt: skip
    if splice is not None and splice >= SPLICEAI_PP3:
        return [AcmgCriterion("PP3", "supporting", f"SpliceAI={splice:.3g}", "predicted to alter splicing")]
    if splice is None and dbscsnv and all(value > DBSCSNV_PP3 for _name, value in dbscsnv):
        return [AcmgCriterion("PP3", "supporting", "dbscSNV " + ", ".join(f"{n}={v:.3g}" for n, v in dbscsnv),
                              f"predicted to alter splicing (dbscSNV: ada and rf above {DBSCSNV_PP3})")]  # fmt: skip
    if sift_polyphen == "damaging":
        return [AcmgCriterion("PP3", "supporting", _sift_polyphen_text(scores),
                              "missense predicted damaging by SIFT and PolyPhen together (no calibrated score "
                              "in the file)")]  # fmt: skip
    if benign and splicing_spared:
        return [AcmgCriterion("BP4", benign, f"{tool}={scores[tool]:.3g}",
                              "missense predicted benign (ClinGen's calibrated threshold)")]  # fmt: skip
    if splice is not None and splice <= SPLICEAI_BP4 and _splicing_only(consequence, annotated, region, cds):
        # ClinGen SVI splicing (Walker 2023): for a change that leaves the protein sequence alone, SpliceAI alone
        return [AcmgCriterion("BP4", "supporting", f"SpliceAI={splice:.3g}", "predicted not to alter splicing")]
    if sift_polyphen == "benign" and splicing_spared:
        return [AcmgCriterion("BP4", "supporting", _sift_polyphen_text(scores),
                              "missense predicted benign by SIFT and PolyPhen together (no calibrated score in "
                              "the file)")]  # fmt: skip
    if (not tool and cds in _TOLD_CONSERVATION and (region == EXONIC or annotated and consequence == "missense_variant")
            and (_TOLD_CONSERVATION[cds][0] == "PP3" or splicing_spared)):  # fmt: skip
        # (a calibrated predictor that reads between its thresholds is ClinGen's one in-silico line: not overruled)
        return [AcmgCriterion(*_TOLD_CONSERVATION[cds])]
    return []


def _reported_criteria(*, clinvar: str, clinvar_review: str, published: tuple[str, ...], af: float | None,
                       af_source: str, af_populations: str, continental_af: float | None, continental_af_source: str,
                       ba1_exception: str) -> list[AcmgCriterion]:  # fmt: skip
    """PP5 (reported pathogenic: ClinVar, else published case reports) and BP6 (reported benign in ClinVar)."""
    # ClinGen SVI retired PP5 and BP6 (Biesecker 2018): a report is a pointer to evidence to weigh under the other
    # criteria, not evidence of its own; the reason says so wherever it is read.
    out: list[AcmgCriterion] = []
    if clinvar_pathogenic(clinvar):
        value = f"{clinvar} ({clinvar_review})" if clinvar_review else clinvar
        reason = "reported pathogenic in ClinVar"
        if af is not None and af > PM2_MAX_AF and clinvar_keeps(clinvar, clinvar_review, af, continental_af,
                                                                ba1_exception):  # fmt: skip
            # say why a frequency that sets other variants aside does not lower this one's pathogenicity (`shown` as
            # the frequency criteria show it)
            shown = _shown_frequency(af, af_source, af_populations)
            if continental_af is not None:  # VEP's MAX_AF over populations not all continental
                pops = f"{af_populations}: " if af_populations else ""
                shown = (f"{af_source}={af:.4g} ({pops}a maximum over populations that include founder or small "
                         f"ones; {continental_af_source}={continental_af:.4g})")
            listed = ba1_exception and ba1_frequency(af, continental_af)  # above BA1's bound, but on the list
            value += f"; kept at {shown}, {'on ' + _BA1_LIST if listed else 'below BA1'}"
            reason += (", with assertion criteria" if clinvar_review else ", its review status not stated in the file")
            where = f"above 5% but on {_BA1_LIST}" if listed else "below BA1 (5% in a continental population)"
            reason += (f": its population frequency, {where}, does not lower its pathogenicity, as Exomiser's ClinVar "
                       "whitelist")
        out.append(AcmgCriterion("PP5", "supporting", value, f"{reason}; {_RETIRED}"))
    elif published:
        shown = ", ".join(published[:5]) + (f" and {len(published) - 5} more" if len(published) > 5 else "")
        out.append(AcmgCriterion("PP5", "supporting", shown,
                                 f"reported causal in {len(published)} published case report(s) (phenopacket-store); "
                                 f"{_RETIRED}"))  # fmt: skip
    if clinvar_benign(clinvar):  # also beside a publication that reported it causal: the reader weighs both
        out.append(AcmgCriterion("BP6", "supporting", clinvar, f"reported benign in ClinVar; {_RETIRED}"))
    return out


def _hot_spot_criteria(near_published: str, missense: bool, in_silico: list[AcmgCriterion]) -> list[AcmgCriterion]:
    """PM1 (hot spot): a change of residues close to a variant of the gene reported causal."""
    # ACMG's PM1 (hot spot, critical domain) is about amino acids a missense or in-frame change alters: a loss of
    # function weighs its region in PVS1 (ClinGen's tree), and an intronic or UTR change has no residue. ClinGen SVI
    # (Pejaver 2022): PP3 and PM1 together no more than strong.
    pp3_strong = any(c.code == "PP3" and c.strength == "strong" for c in in_silico)
    if near_published and missense and not pp3_strong:
        return [AcmgCriterion("PM1", "supporting", near_published,
                              "close to a variant of this gene reported causal (possible mutational hot spot)")]  # fmt: skip
    return []


def _de_novo_criteria(de_novo: bool | None, parents_text: str, parentage_confirmed: bool,
                      parentage_text: str) -> list[AcmgCriterion]:  # fmt: skip
    """PS2 (de novo, parentage confirmed) or PM6 (assumed de novo)."""
    if not de_novo:
        return []
    value = f"{parents_text}; {parentage_text}" if parentage_text else parents_text
    if parentage_confirmed:
        return [AcmgCriterion("PS2", "strong", value,
                              "de novo: absent from both parents, whose parentage the trio's calls confirm")]  # fmt: skip
    # ClinGen SVI (de novo, 2018): without confirmed maternity and paternity a de novo call is assumed, PM6
    return [AcmgCriterion("PM6", "moderate", value,
                          "assumed de novo: absent from both parents, whose parentage is not confirmed")]  # fmt: skip


def _in_trans_criteria(in_trans_with: str, partner_pathogenic: bool, homozygous: bool, af: float | None,
                       parents_text: str) -> list[AcmgCriterion]:  # fmt: skip
    """PM3 (recessive disorder): in trans with another variant of the gene, or homozygous."""
    if in_trans_with and partner_pathogenic:
        return [AcmgCriterion("PM3", "moderate", in_trans_with,
                              "in trans with a variant ClinVar classifies pathogenic (ClinGen SVI: 1 point)")]  # fmt: skip
    if homozygous and af is not None and af < BS1_MIN_AF:
        # ClinGen SVI's PM3 (2019): a homozygous occurrence is 0.5 point, of a variant known to be rare (no label
        # without data: in an exome without frequencies most homozygous protein-altering calls are common
        # polymorphisms); without the parents' calls one allele may be missing (a deletion), which the value says
        both = f"; {parents_text}" if parents_text else "; no parents' calls: a deletion of the other allele not excluded"
        return [AcmgCriterion("PM3", "supporting", f"homozygous{both}",
                              "homozygous in the patient, a recessive disorder (ClinGen SVI: 0.5 point)")]  # fmt: skip
    if in_trans_with:
        # ClinGen SVI's PM3 (2019): a partner that is likely pathogenic is half a point, supporting; one predicted
        # pathogenic here (a loss of function, a splice site) is classified by no one, so no more than that.
        return [AcmgCriterion("PM3", "supporting", in_trans_with,
                              "in trans with a variant predicted pathogenic, not classified pathogenic (ClinGen "
                              "SVI: 0.5 point at most)")]  # fmt: skip
    return []


# PP1's strength by informative meioses (Jarvik & Browning 2016, as ClinGen's expert panels apply it): supporting from
# 3 (LOD 0.9), moderate from 5 (LOD 1.5), strong from 7 (LOD 2.1). One or two (an affected sibling or parent, 1/2 or
# 1/4 by chance) are no evidence of linkage: no PP1, the inheritance fit still naming the cosegregation.
PP1_SUPPORTING_MEIOSES = 3
PP1_MODERATE_MEIOSES = 5
PP1_STRONG_MEIOSES = 7


# sharing(carriers): the chance that those relatives share the patient's variant allele by descent alone
# (Pedigree.sharing_probability); None where the PED cannot tell
Sharing = Callable[[Sequence[str]], float | None]


class Lineage(NamedTuple):
    """The patient's family as the PED draws it, with its sequenced members' calls at one variant: how a recessive
    genotype reaches a relative other than a parent, full sibling or child (segregation_criteria)."""

    patient: str
    parents: Mapping[str, tuple[str | None, str | None]]  # member -> (father, mother), as the PED gives them
    blood: frozenset[str]  # members related to the patient by descent: a relative's parents on the patient's side
    genotypes: Mapping[str, tuple[str | None, ...]]  # sequenced member -> their genotype of each variant read


class Twins(NamedTuple):
    """What the calls tell of identical twins (or one sample read twice), whom a PED cannot mark."""

    same: dict[str, tuple[str, int, int]]  # relative -> (the patient or sibling whose calls they repeat, agree, sites)
    checked: bool  # every pair compared at enough well-called sites to tell


def healthy_homozygote_criteria(calls: Sequence[RelativeCall], chrom: str,
                                recessive_only: bool) -> tuple[AcmgCriterion, ...]:
    """BS2 (observed in a healthy adult homozygous for a recessive disorder) where the gene's diseases are all
    recessive and an unaffected relative is called with two copies of the variant on an autosome: whether the
    patient is homozygous or has it as one of a pair, their disease would need it in two copies (ACMG's BS2 for a
    recessive disorder), and the relative has those without the disease. Strong, as BS4 is: reduced penetrance or an
    onset past the relative's age (a PED gives none) would have to explain it, as a phenocopy BS4. The fit takes the
    same factor for it as for a relative not segregating (inheritance.healthy_homozygotes), once."""
    if not recessive_only or chrom in ("X", "Y", "MT"):
        return ()
    healthy = healthy_homozygotes(calls)
    if not healthy:
        return ()
    return (AcmgCriterion("BS2", "strong", "; ".join(c.text for c in healthy),
                          "observed homozygous in a healthy relative, for a recessive disorder (unless reduced "
                          "penetrance or a later onset: a PED gives no age)"),)  # fmt: skip


def segregation_criteria(calls: Sequence[RelativeCall], genotype: str, chrom: str, recessive_only: bool,
                         sharing_by_descent: Sharing | None = None, parents_related: bool = False,
                         twins: Twins | None = None, partner: tuple[Sequence[RelativeCall], str] | None = None,
                         unread_parents: Sequence[tuple[str, str]] = (),
                         other_parents: Mapping[str, OtherParent] | None = None,
                         allele_from: tuple[str, str] | None = None,
                         lineage: Lineage | None = None) -> tuple[AcmgCriterion, ...]:  # fmt: skip
    """PP1 (cosegregation) or BS4 (lack of segregation) from the relatives' calls of one variant, their status from
    the PED. `genotype`: the patient's; `recessive_only`: the gene's diseases are all recessive, so an affected
    relative needs the patient's two copies where the patient has two. BS4: an affected relative without the
    genotype (ACMG: lack of segregation in affected members; a phenocopy would have to explain them). PP1: affected
    relatives with it and none without, in 3 informative meioses or more; where recessive, no unaffected relative with
    it either. Informative meioses: one per affected carrier relative for one copy (1/2 by chance), two per affected
    sibling sharing two copies (1/4), none on X for a male patient's father, son or relatives through his father. Where the
    patient has one copy to pass and `sharing_by_descent` says how the PED relates them, the count is -log2 of the chance that
    all share it by descent alone (rounded down): a cousin 3, a grandparent 2, an obligate carrier (a male patient's
    mother on X) none; relatives the PED does not join count one each. Under autosomal recessive inheritance an
    unaffected full sibling without the patient's two copies counts log2(4/3) (3/4 by chance), as Jarvik & Browning
    weigh them; the label says it holds only past the age of onset, which a PED does not give. An affected parent
    (homozygous) passes a copy to every child: their meioses count none, and a full sibling has the genotype 1/2 by
    chance (the other parent's meiosis), so an affected one counts 1 and an unaffected one without it 1; with both
    parents affected, none (`unread_parents`: (role, sample) of those the PED marks affected whose calls were not
    read, who have the two copies all the same). Under X-linked recessive inheritance an unaffected brother (or
    maternal half-brother) without the variant counts 1 where the mother carries it (1/2 by chance), and a homozygous
    daughter's affected father none (his one X goes to every daughter). `twins`: affected siblings whose calls repeat
    the patient's or another's (an identical twin shares every allele: no transmission) count none; where the calls
    were too few to tell, the label says what one would change. `partner`: the relatives' calls (as `calls`)
    of the patient's other heterozygous variant in trans with this one, and its name, where the gene's diseases are
    all recessive: the genotype read is the pair, as an autosomal recessive disease needs both (an affected sibling
    sharing it 1/4 by chance, an unaffected one with both against it); an affected relative without this variant is
    BS4, and with it but not the other, no PP1 (the other's BS4 says why), but for a parent or child, who shares
    one of the patient's chromosomes and so has one of the pair, affected or not: named, not counted (an affected
    one's other variant is one the patient lacks; an affected parent passes this one 1/2 by chance). On X (a
    daughter's two variants) a male needs one of the pair, a female both, as the fit reads them: an affected brother
    with the mother's variant only cosegregates (he has no father's X), one with neither is BS4 of both, and the
    father who passed his X counts none. A homozygous patient (autosomal recessive) passes a copy to every child, whose genotype is the other parent's to
    give (`other_parents`: child -> OtherParent): 1/2 by chance from a carrier, called so or shown one by a child's two
    copies, so an affected child with the genotype and an unaffected one without count 1 each; from another parent
    (not shown a carrier, without it, or with two copies) none. A female's one copy of an X-linked recessive variant
    is read as dominant, but an unaffected male relative with it (hemizygous) leaves no PP1, and an unaffected brother
    without it counts 1 where the mother carries it, as under X-linked recessive inheritance. `allele_from`: (role,
    sample) of the parent whose allele the parents' calls show the patient's one copy is (one carries it, the other
    not): relatives' sharing by descent is then that parent's allele's (a female's brother 1/2 by chance on X, not
    1/4), as Jarvik & Browning count only the meioses that could pass it. `lineage`: under autosomal recessive
    inheritance an affected relative other than a parent, full sibling or child (a half-sibling, grandchild, cousin)
    counts one meiosis per parent of theirs shown a carrier of one copy (a parent with two passes one always), and
    none where a parent on the patient's side is not sequenced (_through_carriers). A female's two copies (or pair)
    of an X-linked recessive variant are one X from each parent: where the PED joins her parents, her relatives count
    by descent of her father's and mother's X (a maternal uncle 2, a paternal uncle or sister 1), none through a
    parent called without it (_her_parents_alleles). A parent homozygous for the variant (on X, a father's one X for
    a daughter) passes a copy to every child, so no meiosis from them is informative: they and the children they
    reach count none, the patient's one copy is theirs, and which of their two copies the patient got tells
    nothing; so do a homozygous patient's children where one copy is what they need (_passed_always)."""
    mode, manifesting = _segregation_mode(genotype, chrom, recessive_only, partner is not None)
    family = _read_relatives(calls, mode, genotype, manifesting, partner)
    if family.lacking:
        return (AcmgCriterion("BS4", "strong", "; ".join(c.text for c in family.lacking),
                              "lack of segregation: an affected relative lacks the genotype (unless a phenocopy)"),)
    sharing, unaffected_with, spared = family.sharing, family.unaffected_with, family.spared
    # a female's one copy of an X-linked recessive variant (a manifesting carrier) is read for her relatives as a
    # dominant one, but a male with it has the disease, hemizygous males being near fully penetrant (as the XR count
    # reads them): an unaffected one with it argues against, as an unaffected relative with the genotype does there,
    # and an unaffected brother without it counts as a hemizygous patient's does, where the mother carries it (an
    # affected sister may have it from the father: not shown the mother's)
    unaffected_male = manifesting and any(c.sex == "MALE" and c.genotype == "hemizygous" for c in unaffected_with)
    if not sharing or family.unpaired or (mode != "AD" and unaffected_with) or unaffected_male:
        return ()
    if manifesting and not _mother_carries(calls, [c for c in sharing if c.sex == "MALE" or c.kinship != "sibling"]):
        spared = []
    if mode == "XR" and not (_mother_carries(calls, sharing) or partner is not None and _mother_carries(partner[0], sharing)):
        spared = []  # a mother without it (the patient's de novo, her mosaic): her sons' lacking it is expected
    shown = "; ".join(family.pair_text.get(c.id, c.text) for c in sharing + unaffected_with + spared + family.one_only)
    sharing, twin_count = _identical_twins(sharing, twins)
    homozygous = mode == "AR" and partner is None  # (a pair: an affected parent passes this variant 1/2 by chance)
    one_only = family.one_only  # (a pair's only, under autosomal recessive inheritance)
    if mode == "AR" and partner is not None:
        # a parent with two copies of one of the pair passes it to every child: only the other parent's meiosis
        # tells, and the value names them so (not again as an affected parent with one of the pair)
        parents_with_two, spared, parents_count = _pair_parents_with_two(calls, partner, spared)
        one_only = [c for c in one_only if c.id not in parents_with_two]
    else:
        parents_with_two, parents_count = _affected_parents(calls, unread_parents, homozygous)
    # Under recessive inheritance a full sibling's chance of the genotype is 1/2 per carrier parent (BS4 has spoken
    # for an affected one without); an affected parent passes a copy to every child
    sibling_chance = 0.5 ** (2 - len(parents_with_two)) if mode == "AR" else 0.5
    # a homozygous (or compound heterozygous) daughter's affected father: his one X goes to every daughter (to a son,
    # none), no transmission
    x_father = [c for c in sharing if mode == "XR" and genotype in ("hom_alt", "het") and c.kinship == "father"]
    children = (_children_by_other_parent(calls, other_parents or {})
                if homozygous and genotype == "hom_alt" else {})  # fmt: skip
    gives = {c.id: passes for passes, kids, _ in children.values() for c in kids}
    alone = _each_alone(sharing, mode, chrom, genotype, sibling_chance, x_father, gives)
    # a parent homozygous for the variant (or the patient, for their children) passes a copy to every child: carrying
    # it through them is no transmission by chance, which Jarvik & Browning do not count
    certain, passing_count, source = _passed_always(calls, sharing, mode, chrom, genotype, x_father)
    alone.update(dict.fromkeys(certain, 0))
    spared = [c for c in spared if c.id not in certain]
    carriers_count = _Count()
    if mode == "AR":
        own, carriers_count = _through_carriers(
            [c for c in sharing if c.kinship not in _NUCLEAR], lineage, [s for _, s in unread_parents],
            partner is not None)  # fmt: skip
        alone.update(own)
    # (by descent of the patient's one allele here: not of a pair, whose relatives may carry the other)
    by_descent = (sharing_by_descent if mode != "AR" and partner is None and genotype in ("het", "hemizygous")
                  else None)  # fmt: skip
    # a female's two copies (or pair) on X: one X from each parent, her relatives sharing one or both by descent
    her_two = mode == "XR" and genotype != "hemizygous" and sharing_by_descent is not None and lineage is not None
    if her_two and sharing_by_descent is not None and lineage is not None:
        by_descent = _her_parents_alleles(sharing_by_descent, lineage, calls, partner)
    alleles = "her father's and mother's X" if her_two and by_descent else ""
    if by_descent is not None and certain:
        # the patient's one copy is the parent's who passes it to every child: the other parent's carrying it too
        # shares no allele with the patient by descent, a chance they tell nothing by
        given = _given_parent(by_descent, source[1]) if source and genotype in ("het", "hemizygous") else None
        if given is not None and source is not None:
            by_descent = _either_copy(given) if source[2] == "child" else given
            alleles = f"the {source[0]}'s allele, passed to every {source[2]}"
        by_descent = _leaving_out(by_descent, certain)
    spared_children = [c for c in spared if c.id in gives]
    counts = [_affected_carriers(sharing, alone, by_descent, parents_related, allele_from, alleles),
              carriers_count, _compound_pair(partner, mode),
              twin_count, _x_father(x_father), passing_count, _one_of_pair(one_only), parents_count,
              _children_count(children, gives, sharing, spared_children),
              _unaffected_siblings([c for c in spared if c.id not in gives], mode, manifesting, sibling_chance,
                                   bool(parents_with_two))]  # fmt: skip
    meioses = math.floor(sum(c.meioses for c in counts) + 1e-9)
    reason = "cosegregation with the disease in affected relatives" + "".join(c.reason for c in counts)
    if twins is not None and not twins.checked and any(c.kinship == "sibling" for c in sharing):
        reason += ("; an identical twin (which a PED does not mark) would count none: too few well-called sites to "
                   "tell one from the calls")
    if meioses < PP1_SUPPORTING_MEIOSES:
        return ()
    strength = ("strong" if meioses >= PP1_STRONG_MEIOSES else "moderate" if meioses >= PP1_MODERATE_MEIOSES
                else "supporting")  # fmt: skip
    # what the count rests on, said in one parenthesis after it (the value is rendered as-is by the GUI, PDF, JSON)
    notes = [note for c in counts for note in c.notes]
    told = f" ({'; '.join(notes)})" if notes else ""
    return (AcmgCriterion("PP1", strength, f"{shown}; {meioses} informative meioses{told}", reason),)


class _Count(NamedTuple):
    """What one rule of segregation_criteria adds to PP1: informative meioses, the notes the value shows after the
    count, and what the reason adds."""

    meioses: float = 0.0
    notes: tuple[str, ...] = ()
    reason: str = ""


@dataclass
class _Relatives:
    """The relatives whose calls tell of segregation, by what they tell (segregation_criteria's reading)."""

    lacking: list[RelativeCall]  # affected without the genotype: BS4
    sharing: list[RelativeCall]  # affected with it
    unaffected_with: list[RelativeCall]
    spared: list[RelativeCall]  # unaffected without it, where that is informative
    unpaired: list[RelativeCall]  # affected with this variant of a pair and not the other
    one_only: list[RelativeCall]  # an affected parent or child with one of the pair, as each has: named, not counted
    pair_text: dict[str, str]  # a relative's calls of the pair: 'affected sibling s1 0/1 and 0/1'


def _segregation_mode(genotype: str, chrom: str, recessive_only: bool, pair: bool) -> tuple[str, bool]:
    """(AD | AR | XR, whether the patient is a female with one copy of an X-linked recessive variant, a manifesting
    carrier, whose relatives are read as for a dominant one)."""
    mode = ("XR" if chrom == "X" else "AR") if recessive_only and genotype in ("hom_alt", "hemizygous") else "AD"
    if pair:
        mode = "XR" if chrom == "X" else "AR"
    return mode, mode == "AD" and recessive_only and chrom == "X" and genotype == "het"


def _read_relatives(calls: Sequence[RelativeCall], mode: str, genotype: str, manifesting: bool,
                    partner: tuple[Sequence[RelativeCall], str] | None) -> _Relatives:  # fmt: skip
    """The relatives sorted by what their calls (of this variant, or of the pair with `partner`) tell under `mode`."""
    out = _Relatives([], [], [], [], [], [], {})
    each: list[tuple[RelativeCall, ...]] = []
    for n, c in enumerate(calls):
        if partner is None:
            each.append((c,))
            continue
        other = partner[0][n]
        out.pair_text[c.id] = f"{c.text} and {other.call}"
        if mode == "AR" and one_of_pair((c, other)):
            out.one_only += [c] if c.affected else []
            continue
        if c.affected and c.genotype == "ref" and mode == "AR":  # (on X, a brother's one copy may be the other)
            out.lacking.append(c)
            continue
        each.append((c, other))
    for (c, *_), has in informative_relatives(mode, each):
        if c.affected:
            (out.sharing if has else out.unpaired if partner is not None and mode == "AR" else out.lacking).append(c)
        elif has:
            out.unaffected_with.append(c)
        elif mode == "AR" and c.kinship == "sibling":  # both parents carriers: 3/4 by chance (a half-sibling's need not)
            out.spared.append(c)
        elif (mode == "XR" or manifesting) and c.sex == "MALE" and c.kinship in ("sibling", "maternal half-sibling"):
            out.spared.append(c)  # a son of a carrier mother lacks it 1/2 by chance
        elif mode == "AR" and partner is None and genotype == "hom_alt" and c.kinship == "child":
            out.spared.append(c)  # the patient's copy and the other parent's 1/2 (counted by what that parent gives)
    return out


def _each_alone(sharing: Sequence[RelativeCall], mode: str, chrom: str, genotype: str, sibling_chance: float,
                x_father: Sequence[RelativeCall], gives: Mapping[str, str]) -> dict[str, float]:  # fmt: skip
    """Each affected relative's informative meioses by their kinship alone (what the PED's descent does not
    replace). A male's one X (outside the PARs) is his mother's: his father, those related through his father only
    (paternal half-siblings, grandparents, aunts, cousins) and sons share none of it by descent, so their carrying it
    is no transmission. Under recessive inheritance an affected parent (two copies) passes one to every child, and a
    full sibling has the genotype `sibling_chance` by chance; a child of a homozygous patient as the other parent
    `gives`."""
    no_x = chrom == "X" and genotype == "hemizygous"
    return {c.id: 0 if no_x and (c.kinship == "father" or c.kinship.startswith("paternal ")
                                 or c.kinship == "child" and c.sex == "MALE")
            else 0 if c.kinship in ("father", "mother") and mode == "AR" or c in x_father
            else int(gives[c.id] == "one") if c.id in gives
            else _bits(sibling_chance) if mode == "AR" and c.kinship == "sibling" else 1 for c in sharing}  # fmt: skip


def _affected_carriers(sharing: Sequence[RelativeCall], alone: dict[str, float], by_descent: Sharing | None,
                       parents_related: bool, allele_from: tuple[str, str] | None = None,
                       alleles: str = "") -> _Count:  # fmt: skip
    """The affected relatives with the genotype: each as `alone` counts them, or where the PED relates them, by the
    chance that all share the patient's allele by descent (_meioses_by_descent), the allele the parent's
    `allele_from` where the calls show it; `alleles`: whose alleles `by_descent` already follows, as the value names
    them."""
    if by_descent is None:
        return _Count(math.floor(sum(alone.values()) + 1e-9))
    given = _given_parent(by_descent, allele_from[1]) if allele_from and not alleles else None
    meioses, note = _meioses_by_descent(sharing, alone, given or by_descent, parents_related,
                                        f"the {allele_from[0]}'s allele, as the calls show" if given and allele_from
                                        else alleles)  # fmt: skip
    return _Count(meioses, (note,) if note else ())


def _her_parents_alleles(by_descent: Sharing, lineage: Lineage, calls: Sequence[RelativeCall],
                         partner: tuple[Sequence[RelativeCall], str] | None) -> Sharing | None:  # fmt: skip
    """Sharing by descent of a female's two X-linked recessive alleles (two copies, or a pair in trans), one from
    each parent: a relative needing one copy (a male) shares the parent's allele the PED makes likelier, one needing
    two (a female) each parent's it lets her share, and the relatives' chances multiply, her parents' meioses being
    independent. A parent called without it (of the pair: without either) passed none of it: their side shares
    nothing. Her parents themselves count as _each_alone says (an affected father none, his X going to every
    daughter); None where the PED does not give both parents or join them to her."""
    father, mother = lineage.parents.get(lineage.patient, (None, None))
    if father is None or mother is None:
        return None
    sides: dict[str, Sharing | None] = {}
    for role, parent in (("father", father), ("mother", mother)):
        read = [c for c in (*calls, *(partner[0] if partner else ())) if c.kinship == role and c.genotype is not None]
        given = _given_parent(by_descent, parent)
        if given is None:
            return None
        sides[parent] = None if read and all(c.genotype == "ref" for c in read) else given
        if partner is None and read and all(c.genotype == "hom_alt" for c in read) and given is not None:
            sides[parent] = _either_copy(given)
    one_copy = {c.id for c in calls if c.sex == "MALE"}

    def shared(carriers: Sequence[str]) -> float | None:
        if any(c in (father, mother) for c in carriers):
            return None  # (named alone: _meioses_by_descent counts them as _each_alone does)
        each: dict[str, list[str]] = {father: [], mother: []}
        for c in carriers:
            alone = {p: (given([c]) if given else 0.0) for p, given in sides.items()}
            if any(p is None for p in alone.values()):
                return None
            if c in one_copy:  # one of her alleles: the likelier by descent, so never more meioses than it
                each[max(alone, key=lambda p: alone[p] or 0.0)].append(c)
            else:
                each[father] += [c] if alone[father] else []
                each[mother] += [c] if alone[mother] else []
        chance = 1.0
        for p, given in sides.items():
            if each[p]:
                got = given(each[p]) if given else 0.0
                if got is None:
                    return None
                chance *= got
        return chance if any(each.values()) else 0.0

    return shared


_NUCLEAR = ("father", "mother", "sibling", "child")  # counted by their own rules under recessive inheritance


def _through_carriers(relatives: Sequence[RelativeCall], lineage: Lineage | None, affected_unread: Sequence[str],
                      pair: bool) -> tuple[dict[str, float], _Count]:  # fmt: skip
    """Under recessive inheritance, each affected relative beyond the patient's parents, full siblings and children
    (who have their own rules) counts one meiosis per parent of theirs shown a carrier of one copy, by their calls or,
    for the patient's own parents, by the patient's genotype (1/2 by chance each, as Jarvik & Browning count a
    carrier parent's meiosis); a parent with two copies passes one always (none), one not sequenced off the patient's
    side tells nothing (none), and where a parent on the patient's side (the carriers between them) is not
    sequenced, the relative counts none. `affected_unread`: the patient's parents the PED marks affected whose calls
    were not read (two copies, but for a compound heterozygote's pair, whose parents carry one each)."""
    out: dict[str, float] = {}
    named, unknown = [], []
    for c in relatives:
        parents = [p for p in (lineage.parents.get(c.id, (None, None)) if lineage else ()) if p is not None]
        states = {p: _carries(p, lineage, affected_unread, pair) for p in parents} if lineage else {}
        between = [p for p in parents if lineage and (p in lineage.blood or p == lineage.patient)]
        if not parents or any(states[p] is None for p in between):
            out[c.id] = 0
            unknown.append(f"{c.kinship} {c.id}")
            continue
        out[c.id] = sum(state == "one" for state in states.values())
        if out[c.id] != 1:
            named.append(f"{c.kinship} {c.id} {out[c.id]}")
    notes = [f"by the parents shown carriers: {', '.join(named)}"] if named else []
    notes += [f"{who} not counted: the carriers between them are not sequenced" for who in unknown]
    return out, _Count(notes=tuple(notes))


def _carries(member: str, lineage: Lineage, affected_unread: Sequence[str], pair: bool) -> str | None:
    """'one', 'two' or 'none': the copies a relative's parent holds of what the patient's genotype needs, by their
    calls (a compound heterozygote's pair: of either variant); the patient's own parents, not sequenced, carry one
    (two where the PED marks them affected, the patient being homozygous); None where nothing shows it."""
    calls = lineage.genotypes.get(member)
    if calls and None not in calls:
        copies = sum({"het": 1, "hemizygous": 1, "hom_alt": 2}.get(g or "", 0) for g in calls)
        return "none" if not copies else "one" if copies == 1 else "two"
    if member in lineage.parents.get(lineage.patient, ()):
        return "two" if member in affected_unread and not pair else "one"
    return None


def _given_parent(by_descent: Sharing, parent: str) -> Sharing | None:
    """Sharing by descent given that the patient's allele is `parent`'s (the chance that the carriers and the
    parent share it, over the parent's alone): a relative on the other side shares it by no chance. The parent
    themself, an affected carrier, counts as the PED says (an affected parent's meiosis, 1/2); None where the PED
    does not join the parent to the patient, or where the PED already says so (a male's X is his mother's)."""
    alone = by_descent([parent])
    if not alone or alone > 1 - 1e-9:
        return None

    def shared(carriers: Sequence[str]) -> float | None:
        if parent in carriers:
            return by_descent(carriers)
        together = by_descent([*carriers, parent])
        return None if together is None else together / alone

    return shared


def _passed_always(calls: Sequence[RelativeCall], sharing: Sequence[RelativeCall], mode: str, chrom: str,
                   genotype: str, x_father: Sequence[RelativeCall]
                   ) -> tuple[set[str], _Count, tuple[str, str, str] | None]:  # fmt: skip
    """(the relatives who count none, what the value says of them, (role, sample, 'child' | 'daughter') of the
    patient's parent who passed the variant so, if one did): a parent with two copies of the variant passes
    one to every child, so the meiosis from them is no test of cosegregation (Jarvik & Browning count only meioses
    where the variant could have failed to pass). Such a parent of the patient (on X: a mother with two copies, a
    father with his one X for a daughter) counts none, as do the children they reach (full siblings, half-siblings
    through them) who need one copy from them; so do the children of a patient with two copies (on X, a hemizygous
    patient's daughters), where one copy is what they need. Affected or not, called so: an unaffected one's children
    without it (a son without a homozygous mother's X variant) are a genotyping error, not an informative meiosis.
    Not under autosomal recessive inheritance, whose own rules count an affected parent's and a homozygous patient's
    children by the other parent's meiosis (_affected_parents, _children_count); a daughter's affected father on X
    under X-linked recessive inheritance is _x_father's."""
    if mode == "AR":
        return set(), _Count(), None
    x = chrom == "X"
    patient_female = x and genotype != "hemizygous"  # (a male patient's father shares no X with him: none already)
    passers: list[tuple[str, str, str, bool]] = []  # (named, side, what passes, daughters only)
    source = None
    for c in calls:
        if c.kinship not in ("father", "mother") or c in x_father:
            continue
        if c.genotype == "hom_alt":
            passers.append((f"{c.kinship} {c.id} {c.call}", c.kinship, "passes one of two copies to every child",
                            False))  # fmt: skip
        elif x and c.kinship == "father" and c.genotype == "hemizygous" and patient_female:
            passers.append((f"{c.kinship} {c.id} {c.call}", c.kinship, "passes his one X to every daughter", True))
        else:
            continue
        source = source or (c.kinship, c.id, "daughter" if passers[-1][3] else "child")
    if genotype == "hom_alt" and (mode == "XR" or not x or patient_female):
        passers.append(("the patient", "patient", "passes one of two copies to every child", False))
    elif x and genotype == "hemizygous" and mode == "AD":
        passers.append(("the patient", "patient", "passes his one X to every daughter", True))
    certain: set[str] = set()
    notes = []
    for named, side, what, daughters in passers:
        reached = ["sibling", f"{'paternal' if side == 'father' else 'maternal'} half-sibling"] \
            if side != "patient" else ["child"]  # fmt: skip
        reach = [c.id for c in calls if c.kinship in reached and not (daughters and c.sex == "MALE")
                 or c.kinship == side]  # fmt: skip
        certain.update(reach)
        counted = [c for c in sharing if c.id in reach]
        if counted:
            who = [f"{c.kinship} {c.id}" for c in counted]
            who_text = who[0] if len(who) == 1 else f"{', '.join(who[:-1])} and {who[-1]}"
            notes.append(f"{named} {what}: no informative meiosis, so {who_text} "
                         f"{'count' if len(counted) > 1 else 'counts'} none")
    return certain, _Count(notes=tuple(notes)), source


def _either_copy(given: Sharing) -> Sharing:
    """Sharing given a parent's allele (_given_parent) where the parent has two copies: which of them the patient got
    (1/2) tells nothing, as either carries the variant."""

    def either(carriers: Sequence[str]) -> float | None:
        p = given(carriers)
        return None if p is None else min(1.0, 2 * p)

    return either


def _leaving_out(by_descent: Sharing, certain: set[str]) -> Sharing:
    """Sharing by descent where the PED leaves out those who count as _passed_always says (their own count)."""

    def shared(carriers: Sequence[str]) -> float | None:
        return None if any(c in certain for c in carriers) else by_descent(carriers)

    return shared


def _compound_pair(partner: tuple[Sequence[RelativeCall], str] | None, mode: str) -> _Count:
    """What the value says where the genotype read is a compound heterozygote's pair."""
    if partner is None:
        return _Count()
    needs = "a female needs both, a male either" if mode == "XR" else "the disease needs both"
    return _Count(notes=(f"calls of this variant and of {partner[1]}, in trans with it: {needs}",))


def _identical_twins(sharing: Sequence[RelativeCall], twins: Twins | None) -> tuple[list[RelativeCall], _Count]:
    """(the affected relatives left to count, what the value says of the others): an affected sibling whose calls
    repeat the patient's or another's (an identical twin shares every allele) counts none."""
    same = twins.same if twins else {}
    notes = tuple(f"{c.id}: the same genotypes as {same[c.id][0]}'s at {same[c.id][1]:,} of {same[c.id][2]:,} "
                  "well-called sites, an identical twin or the same sample twice: not counted"
                  for c in sharing if c.id in same)  # fmt: skip
    return [c for c in sharing if c.id not in same], _Count(notes=notes)


def _x_father(x_father: Sequence[RelativeCall]) -> _Count:
    """A daughter's affected father on X (counted none by _each_alone)."""
    return _Count(notes=tuple(f"{c.kinship} {c.id}: his one X passes to every daughter, no informative meiosis"
                              for c in x_father))  # fmt: skip


def _one_of_pair(one_only: Sequence[RelativeCall]) -> _Count:
    """An affected parent or child with one of a compound heterozygote's pair: named, not counted."""
    notes = []
    for c in one_only:
        whose = ("every child of the patient has, and affected by the other parent's variant too"
                 if c.kinship == "child" else "each parent of the patient has, and affected by another of theirs too")
        notes.append(f"{c.kinship} {c.id}: one of the pair, as {whose}: not counted")
    return _Count(notes=tuple(notes))


def _pair_parents_with_two(calls: Sequence[RelativeCall], partner: tuple[Sequence[RelativeCall], str],
                           spared: Sequence[RelativeCall]) -> tuple[list[str], list[RelativeCall], _Count]:  # fmt: skip
    """(the patient's parents called with two copies of one of a compound heterozygote's pair, the unaffected
    siblings left to count, what the value says of them) under autosomal recessive inheritance: such a parent passes
    that variant to every child, so no meiosis through them is informative (Jarvik & Browning count only meioses where
    the variant could have failed to pass), affected or not. A full sibling then has the pair 1/2 by chance (the other
    parent's meiosis; none with both parents so), and an unaffected one lacking the variant such a parent passes
    always is a genotyping error, not a meiosis."""
    other, label = partner
    always: dict[str, set[int]] = {}  # parent -> the variants of the pair (0 this, 1 the partner) passed to every child
    notes = []
    for n, c in enumerate(calls):
        if c.kinship not in ("father", "mother"):
            continue
        for k, call in ((0, c), (1, other[n])):
            if call.genotype == "hom_alt":
                always.setdefault(c.id, set()).add(k)
                variant = "this variant" if k == 0 else label
                through = "him" if c.kinship == "father" else "her"
                notes.append(f"{c.kinship} {c.id} {call.call} at {variant} passes it to every child: no informative "
                             f"meiosis through {through}")
    if not always:
        return [], list(spared), _Count()
    row = {c.id: n for n, c in enumerate(calls)}
    passed = set().union(*always.values())
    kept = []
    for c in spared:
        lacks = {k for k, call in ((0, c), (1, other[row[c.id]])) if call.genotype == "ref"}
        if c.kinship == "sibling" and lacks and lacks <= passed:
            notes.append(f"unaffected {c.kinship} {c.id} lacks the variant a parent passes to every child: a "
                         "genotyping error, not counted")
        else:
            kept.append(c)
    notes.append("a sibling has the pair 1/2 by chance, the other parent's meiosis: 1 each, affected with it or "
                 "unaffected without" if len(always) == 1 else "siblings all have the pair and count none")
    return list(always), kept, _Count(notes=("; ".join(notes),))


def _affected_parents(calls: Sequence[RelativeCall], unread_parents: Sequence[tuple[str, str]],
                      homozygous: bool) -> tuple[list[str], _Count]:  # fmt: skip
    """(the parents with two copies of a homozygous patient's variant under recessive inheritance, what the value
    says of them): affected, called or not (`unread_parents`), a parent passes a copy to every child."""
    if not homozygous:
        return [], _Count()
    named = [f"{c.kinship} {c.id}" for c in calls if c.affected and c.kinship in ("father", "mother")]
    named += [f"{role} {sample} (not sequenced)" for role, sample in unread_parents]
    if not named:
        return [], _Count()
    siblings = ("and a sibling has the genotype 1/2 by chance: 1 each, affected with it or unaffected without"
                if len(named) == 1 else "nor do siblings, who all have the genotype")
    return named, _Count(notes=(f"an affected parent passes a copy to every child: {' and '.join(named)} "
                                f"{'count' if len(named) > 1 else 'counts'} none, {siblings}",))


def _children_count(children: Mapping[str, tuple[str, list[RelativeCall], OtherParent]], gives: Mapping[str, str],
                    sharing: Sequence[RelativeCall], spared: Sequence[RelativeCall]) -> _Count:  # fmt: skip
    """A homozygous patient's unaffected children without the genotype (`spared`), 1 each where the other parent
    is a carrier (the affected ones are in _each_alone), and what the value says of each other parent."""
    counted = [c for c in spared if gives[c.id] == "one"]
    notes = []
    for name, (passes, kids, other) in children.items():
        if not any(c in sharing or c in spared for c in kids):
            continue
        if passes == "one":
            carrier = "a carrier as a child's two copies show" if other.genotype is None else "a carrier"
            notes.append(f"a child gets a copy from the patient always and from {name}, {carrier}, 1/2 by chance: "
                         f"1 each, affected with the genotype or unaffected without")
        elif passes == "two":
            notes.append(f"a child gets a copy from the patient and from {name}"
                         f"{', affected,' if other.genotype is None else ''} always: children count none")
        elif passes == "none":
            notes.append(f"{name} passes no copy: children have one and count none")
        else:
            notes.append(f"{name}, not shown a carrier: unaffected children without the genotype count none")
    reason = ", and unaffected children without the genotype (informative only past the age of onset)" if counted else ""
    return _Count(len(counted), tuple(notes), reason)


def _unaffected_siblings(spared: Sequence[RelativeCall], mode: str, manifesting: bool, sibling_chance: float,
                         affected_parent: bool) -> _Count:  # fmt: skip
    """Unaffected siblings without the genotype (under autosomal recessive inheritance, 3/4 by chance: log2(4/3)
    each, as Jarvik & Browning weigh them; 1 each with an affected parent) or brothers without an X-linked variant
    of a carrier mother (1/2: 1 each); informative only past the age of onset, which a PED does not give."""
    each = _bits(1 - sibling_chance)  # an unaffected full sibling's chance of lacking the genotype
    if not spared or not each:
        return _Count()
    x_linked = mode == "XR" or manifesting
    if x_linked:
        note: tuple[str, ...] = ("unaffected brothers without the variant, 1/2 by chance from a carrier mother: 1 each",)
    elif not affected_parent:
        note = (f"unaffected siblings without the genotype, 3/4 by chance: {math.floor(each * 10 + 1e-9) / 10:g} each",)
    else:
        note = ()
    spared_are = "brothers without the variant" if x_linked else "siblings without the genotype"
    return _Count(len(spared) * each, note, f", and unaffected {spared_are} (informative only past the age of onset)")


class OtherParent(NamedTuple):
    """The other parent of one of the patient's children, as segregation_criteria reads them at a variant."""

    name: str  # as the value names them: 'partner pa 0/1', 'partner pa (not sequenced)'
    genotype: str | None  # ref | het | hom_alt; None: not sequenced, or no call
    affected: bool | None  # the PED's status


def _children_by_other_parent(calls: Sequence[RelativeCall], other_parents: Mapping[str, OtherParent]
                              ) -> dict[str, tuple[str, list[RelativeCall], OtherParent]]:  # fmt: skip
    """The patient's children, by their other parent's name: (what that parent gives a child of a homozygous patient
    under recessive inheritance, the children, the parent). 'two' (two copies called, or affected and not read:
    every child has the genotype), 'one' (a carrier, called or shown by a child's two copies: 1/2 by chance), 'none'
    (without it: every child has one copy), 'unknown' (not read, not shown a carrier)."""
    groups: dict[str, tuple[OtherParent, list[RelativeCall]]] = {}
    for c in calls:
        if c.kinship == "child":
            other = other_parents.get(c.id) or OtherParent(f"{c.id}'s other parent (not in the PED)", None, None)
            groups.setdefault(other.name, (other, []))[1].append(c)
    out = {}
    for name, (other, kids) in groups.items():
        if other.genotype == "hom_alt" or other.genotype is None and other.affected:
            passes = "two"
        elif other.genotype == "het" or other.genotype is None and any(c.genotype == "hom_alt" for c in kids):
            passes = "one"
        else:
            passes = "none" if other.genotype == "ref" else "unknown"
        out[name] = (passes, kids, other)
    return out


def _mother_carries(calls: Sequence[RelativeCall], sharing: Sequence[RelativeCall]) -> bool:
    """Whether the patient's mother carries an X-linked variant: her call, or where she is not called, an affected
    relative who shares it through her (a brother, a maternal half-sibling, a relative on her side)."""
    mother = next((c for c in calls if c.kinship == "mother" and c.genotype is not None), None)
    if mother is not None:
        return mother.genotype != "ref"
    return any(c.kinship in ("sibling", "maternal half-sibling") or c.kinship.startswith("maternal ") for c in sharing)


def _meioses_by_descent(sharing: Sequence[RelativeCall], simple: dict[str, float], by_descent: Sharing,
                        parents_related: bool = False, allele: str = "") -> tuple[int, str]:  # fmt: skip
    """(informative meioses, what the value adds) where the PED relates the affected carriers to the patient: -log2
    of the chance that they all share the variant by descent alone, rounded down (Jarvik & Browning count
    transmissions to affected relatives; unaffected ones are left out for penetrance, as they do for dominant
    disorders); those the PED does not join count as `simple` says. Each one's own count is named where it is not
    one, and all where together they count less than apart (two cousins who are sisters): '' where none is.
    `allele`: whose allele `by_descent` follows, as the value names it ('the mother's allele, as the calls show')."""
    own: dict[str, float] = {}
    joined, alone = [], 0
    for c in sharing:
        p = by_descent([c.id])
        if p is None:
            alone += simple[c.id]
        else:
            own[c.id] = _bits(p)
            if p > 0:  # none by descent (a male's X and his father): carrying it is no transmission
                joined.append(c.id)
    if not own:
        return alone, ""
    together = by_descent(joined) if joined else 1.0
    bits = _bits(together) if together is not None else sum(own.values())
    meioses = alone + math.floor(bits + 1e-9)
    apart = bits < sum(own.values()) - 1e-9
    named = [f"{c.role} {c.id} {math.floor(own[c.id] * 10 + 1e-9) / 10:g}" for c in sharing
             if c.id in own and (apart or abs(own[c.id] - 1) > 1e-9)]  # fmt: skip
    if not named:
        return meioses, ""
    # a sibling's 0.9 is no error: the patient's parents are related, so relatives share more by chance than 1/2
    why = "; the parents are related, so relatives share more by chance" if parents_related else ""
    of = f" of {allele}" if allele else ""
    return meioses, f"by descent in the PED{of}{why}: {', '.join(named)}{' each alone' if apart else ''}"


def _bits(p: float) -> float:
    """-log2 of a chance (0 for none: a relative who cannot share it by descent tells nothing)."""
    return 0.0 if p <= 0 else max(0.0, -math.log2(p))


# Where an unannotated variant's codon reading rules out a missense change (or it is a loss of function).
_NOT_MISSENSE = frozenset({UTR5, UTR3, SYNONYMOUS, REFERENCE_GAP, START_CODON, STOP_CODON, STOP_LOST, STOP_RETAINED,
                           STOP_GAINED, STOP_GAINED_LAST_EXON, FRAMESHIFT, FRAMESHIFT_LAST_EXON, FRAME_UNKNOWN})  # fmt: skip
# Annotated consequences that leave the protein sequence as it is: splicing is their only route to harm.
_SPLICING_ONLY = frozenset({"synonymous_variant", "intron_variant", "splice_region_variant",
                            "splice_donor_5th_base_variant", "splice_donor_region_variant",
                            "splice_polypyrimidine_tract_variant", "start_retained_variant", "stop_retained_variant"})  # fmt: skip


def _may_be_missense(consequence: str, annotated: bool, region: int | None, vclass: int, cds: int) -> bool:
    """Whether the change may alter amino acids without truncating the protein (what REVEL and CADD calibrations
    cover): an annotated missense-like consequence, or none stated ('annotated': the file names the gene only); an
    unannotated exonic change of bases the codon reading does not place elsewhere."""
    if annotated:
        return consequence in MISSENSE_LIKE or consequence == "annotated"
    return region == EXONIC and vclass in (SNV, MNV, INFRAME_INDEL) and cds not in _NOT_MISSENSE


def _splicing_only(consequence: str, annotated: bool, region: int | None, cds: int) -> bool:
    if annotated:
        return consequence in _SPLICING_ONLY
    return region in (INTRONIC, SPLICE_NEAR) or (region == EXONIC and cds in (SYNONYMOUS, STOP_RETAINED))


def _sift_polyphen(scores: dict[str, float]) -> str:
    """'damaging' or 'benign' where SIFT and PolyPhen both give that reading, else ''."""
    sift, polyphen = scores.get("SIFT"), scores.get("PolyPhen")
    if sift is None or polyphen is None:
        return ""
    if sift <= SIFT_DELETERIOUS and polyphen >= POLYPHEN_DAMAGING:
        return "damaging"
    if sift > SIFT_DELETERIOUS and polyphen <= POLYPHEN_BENIGN:
        return "benign"
    return ""


def _sift_polyphen_text(scores: dict[str, float]) -> str:
    sift, polyphen = scores["SIFT"], scores["PolyPhen"]
    sift_says = "deleterious" if sift <= SIFT_DELETERIOUS else "tolerated"
    polyphen_says = ("probably damaging" if polyphen >= POLYPHEN_DAMAGING else "benign" if polyphen <= POLYPHEN_BENIGN
                     else "possibly damaging")  # fmt: skip
    return f"SIFT={sift:.3g} ({sift_says}); PolyPhen={polyphen:.3g} ({polyphen_says})"


def _calibrated(levels: dict[str, tuple[tuple[float, str], ...]], tool: str, scores: dict[str, float],
                above: bool) -> str:
    """The strongest calibrated strength the tool's score reaches ('' = none, or no tool)."""
    if not tool:
        return ""
    value = scores[tool]
    return next((strength for limit, strength in levels[tool] if (value >= limit if above else value <= limit)), "")


# ClinGen's PVS1 tree (Abou Tayoun 2018): a truncation where nonsense-mediated decay is not predicted is PVS1 strong
# where it removes more than 10% of the protein (or a critical region, which is not checked here), moderate otherwise.
LAST_EXON_STRONG_SHARE = 0.10


def _deletion_pvs1(overlap: SvOverlap) -> AcmgCriterion:
    """PVS1 of a deletion that removes coding sequence: very strong, but for one that takes the last exon (and not
    the whole transcript), whose strength is by the share of the protein removed, as ClinGen's PVS1 tree weighs a
    truncation that escapes nonsense-mediated decay."""
    value, reason = f"deletion of {overlap.text()}", _deletion_reason(overlap)
    if overlap.in_frame and not overlap.reaches_last_exon and overlap.coding_fraction is not None:
        # ClinGen's PVS1 tree: an exon deletion that keeps the reading frame truncates nothing; strong where the part
        # removed exceeds 10% of the protein (or is critical), moderate otherwise
        share = overlap.coding_fraction
        return AcmgCriterion("PVS1", "strong" if share > LAST_EXON_STRONG_SHARE else "moderate",
                             f"{value}; in frame: {share:.1%} of the coding sequence",
                             f"{reason}; the reading frame kept (whole exons, a whole number of codons), no truncation "
                             f"(ClinGen's PVS1 tree): strong where over {LAST_EXON_STRONG_SHARE:.0%} of the protein is "
                             "removed, moderate otherwise; a critical region not checked")  # fmt: skip
    if not overlap.reaches_last_exon:
        return AcmgCriterion("PVS1", "very_strong", value, reason)
    share = overlap.coding_fraction
    tree = ("the last exon taken, nonsense-mediated decay is not predicted (ClinGen's PVS1 tree): strong where over "
            f"{LAST_EXON_STRONG_SHARE:.0%} of the protein is removed, moderate otherwise; a critical region not checked")
    if share is None:
        return AcmgCriterion("PVS1", "moderate", f"{value}; the last exon: share of the protein not known (no coding "
                             "bounds)", f"{reason}; {tree}")  # fmt: skip
    strength = "strong" if share > LAST_EXON_STRONG_SHARE else "moderate"
    return AcmgCriterion("PVS1", strength, f"{value}; the last exon: {share:.1%} of the coding sequence", f"{reason}; {tree}")


def _deletion_reason(overlap: SvOverlap) -> str:
    if overlap.whole:
        return "deletion removes the whole transcript (gene model)"
    if overlap.coding_known:
        return "deletion removes part of a mitochondrial gene (gene model)"
    if overlap.cds_overlap:
        return "deletion removes coding sequence (the gene model transcript's coding bounds)"
    if overlap.cds_overlap is False:
        return "deletion removes an exon-intron boundary of untranslated exons, no coding sequence (gene model)"
    if overlap.n_exons == 1:
        return "deletion removes half or more of a single-exon gene, taken as coding (gene model)"
    if max(overlap.first, 2) <= min(overlap.last, overlap.n_exons - 1):  # an exon other than the first and last
        return "deletion removes internal exons, taken as coding (gene model)"
    return "deletion removes an exon-intron boundary, a splice site (gene model)"
