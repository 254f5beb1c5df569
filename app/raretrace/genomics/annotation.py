"""Variant annotations already present in a VCF: Ensembl VEP `CSQ`, SnpEff `ANN`, ANNOVAR's table_annovar fields
(Func/Gene/GeneDetail/ExonicFunc/AAChange of a gene model) and common INFO fields.

Only what the file states is read: gene, consequence (Sequence Ontology terms), HGVS, population allele frequency
(gnomAD/ExAC/1000 Genomes, never the caller's own cohort `AF`), ClinVar significance and CADD/REVEL/SpliceAI/BayesDel/
dbscSNV/SIFT/PolyPhen scores. Nothing is looked up elsewhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .gene_model import symbol_updates

# Sequence Ontology consequences from most to least severe (Ensembl VEP's order, plus SnpEff's extra terms).
CONSEQUENCE_ORDER = (
    "transcript_ablation", "exon_loss_variant", "splice_acceptor_variant", "splice_donor_variant", "stop_gained",
    "frameshift_variant", "stop_lost", "start_lost", "transcript_amplification", "feature_elongation",
    "feature_truncation", "disruptive_inframe_insertion", "disruptive_inframe_deletion", "inframe_insertion",
    "inframe_deletion", "conservative_inframe_insertion", "conservative_inframe_deletion", "missense_variant",
    "protein_altering_variant", "splice_donor_5th_base_variant", "splice_region_variant",
    "splice_donor_region_variant", "splice_polypyrimidine_tract_variant", "incomplete_terminal_codon_variant",
    "start_retained_variant", "stop_retained_variant", "synonymous_variant", "coding_sequence_variant",
    "mature_miRNA_variant", "5_prime_UTR_premature_start_codon_gain_variant", "5_prime_UTR_variant",
    "3_prime_UTR_variant", "non_coding_transcript_exon_variant", "intron_variant", "NMD_transcript_variant",
    "non_coding_transcript_variant", "coding_transcript_variant", "upstream_gene_variant",
    "downstream_gene_variant", "TFBS_ablation", "TFBS_amplification", "TF_binding_site_variant",
    "regulatory_region_ablation", "regulatory_region_amplification", "regulatory_region_variant",
    "intragenic_variant", "intergenic_region", "intergenic_variant",
)  # fmt: skip
SEVERITY = {term: rank for rank, term in enumerate(CONSEQUENCE_ORDER)}
UNKNOWN_SEVERITY = len(CONSEQUENCE_ORDER)

# Predicted loss of function (ACMG PVS1 territory).
LOSS_OF_FUNCTION = frozenset(
    {
        "transcript_ablation", "exon_loss_variant", "splice_acceptor_variant", "splice_donor_variant",
        "stop_gained", "frameshift_variant", "start_lost",
    }
)  # fmt: skip

# Population frequency fields: gnomAD, ExAC, 1000 Genomes and VEP's MAX_AF; the plain INFO `AF` of a caller is
# the frequency within the called cohort (0.5 for a lone heterozygote), so it is never used. gnomAD's own VCF names
# its largest continental group's frequency AF_popmax (v2, v3) or AF_grpmax (v4), and its filtering allele frequency
# faf95 (faf95_popmax, v4's fafmax_faf95_max): names no caller writes, read bare or with the prefix bcftools annotate
# or VEP's --custom gives them (gnomad_, gnomADg_, gnomADe_); like popmax, maxima over non-bottlenecked groups.
_POPULATION_AF = re.compile(
    r"^(gnomad[eg]?|gnomad_(exomes?|genomes?)|exac|max|1000gp?3?|kg|dbnsfp_gnomad_exomes|popmax)_?af(_popmax)?$|"
    r"^af_(gnomad|exac|1000g|popmax)$|^af_popmax$|^popmax_af$|"
    r"^((gnomad[eg]?|gnomad_(exomes?|genomes?))_)?(af_grpmax|faf95(_popmax)?|fafmax_faf95_max)(_joint)?$",
    re.IGNORECASE,
)
# ANNOVAR's database columns for the whole population (its per-population columns, gnomAD_exome_AFR ..., are left:
# the maximum over small populations would call rare variants common): gnomAD_exome_ALL, gnomad40_exome_AF,
# gnomad312_AF, ExAC_ALL, 1000g2015aug_all, esp6500siv2_all (gnomad211_exome's AF_popmax matches the pattern above;
# its plain AF cannot be told from a caller's).
_ANNOVAR_AF = re.compile(
    r"^gnomad\d*_(exome|genome)s?_(all|af|af_popmax|af_grpmax)$|^gnomad\d+_af$|^exac_all$|^1000g\d{4}[a-z]{3}_all$|"
    r"^esp6500(si|siv2)_all$",
    re.IGNORECASE,
)
_CLINVAR = ("CLNSIG", "CLIN_SIG", "CLINVAR_CLNSIG", "clinvar_clnsig", "ClinVar_CLNSIG", "CLINSIG")
# In a CSQ entry (names read case-insensitively): ClinVar's own CLNSIG, which VEP's `--custom clinvar.vcf.gz,ClinVar,
# vcf,exact,0,CLNSIG` writes as ClinVar_CLNSIG for this allele, before the cache's CLIN_SIG (co-located variants).
_CSQ_CLINVAR = ("ClinVar_CLNSIG", "CLNSIG", "CLIN_SIG")
# ClinVar's review status (its stars), read beside the significance it qualifies: the INFO field of a ClinVar-annotated
# VCF (bcftools, SnpSift, ANNOVAR's clinvar database, dbNSFP's clinvar_review) and, in a CSQ entry, VEP's --custom
# ClinVar field (the cache's CLIN_SIG has none).
_CLINVAR_REVIEW = ("CLNREVSTAT", "CLINVAR_CLNREVSTAT", "ClinVar_CLNREVSTAT", "clinvar_review", "dbNSFP_clinvar_review")
# ClinVar's HGVS of its record's one allele (bcftools annotate -c INFO/CLNHGVS), which tells which ALT of a
# multi-allelic record a single CLNSIG is about (clinvar_owner)
_CLINVAR_HGVS = ("CLNHGVS", "CLINVAR_CLNHGVS", "ClinVar_CLNHGVS")
_CSQ_CLINVAR_REVIEW = {"ClinVar_CLNSIG": "ClinVar_CLNREVSTAT", "CLNSIG": "CLNREVSTAT"}
_CADD = ("CADD_PHRED", "CADD_phred", "CADD", "dbNSFP_CADD_phred", "CADD13_PHRED")
_REVEL = ("REVEL", "REVEL_score", "REVEL_SCORE", "dbNSFP_REVEL_score")
# Further predictors, by the name the scores and labels give them: the field names of VEP's dbNSFP and dbscSNV plugins
# and its own --sift/--polyphen ('deleterious(0.01)', 'probably_damaging(0.998)': the number in brackets is read),
# SnpSift dbnsfp's (dbNSFP_ prefix) and ANNOVAR's dbnsfp and dbscsnv11 columns. PolyPhen is HumVar's (VEP's default,
# dbNSFP's HVAR), whose thresholds interpret uses. Read case-insensitively in a CSQ entry, as written in INFO.
_PREDICTORS = {
    "BayesDel_noAF": ("BayesDel_noAF_score", "dbNSFP_BayesDel_noAF_score"),
    "BayesDel_addAF": ("BayesDel_addAF_score", "dbNSFP_BayesDel_addAF_score"),
    "dbscSNV_ada": ("ada_score", "dbscSNV_ADA_SCORE", "dbNSFP_ada_score", "dbscSNV_ada_score"),
    "dbscSNV_rf": ("rf_score", "dbscSNV_RF_SCORE", "dbNSFP_rf_score", "dbscSNV_rf_score"),
    "SIFT": ("SIFT", "SIFT_score", "dbNSFP_SIFT_score"),
    "PolyPhen": ("PolyPhen", "Polyphen2_HVAR_score", "dbNSFP_Polyphen2_HVAR_score"),
}
# Scores where a lower value is the more damaging (SIFT): of several transcripts', the lowest is kept, as the
# highest is of the others.
LOWER_IS_DAMAGING = frozenset({"SIFT"})
_CSQ_SCORES = {"CADD": _CADD, "REVEL": _REVEL, **_PREDICTORS}  # what a CSQ/ANN entry may give, in the order kept
_SPLICEAI_DS = ("SpliceAI_pred_DS_AG", "SpliceAI_pred_DS_AL", "SpliceAI_pred_DS_DG", "SpliceAI_pred_DS_DL")
_ESCAPED = re.compile(r"\\x([0-9A-Fa-f]{2})")
ANN_FIELDS = (
    "Allele", "Annotation", "Annotation_Impact", "Gene_Name", "Gene_ID", "Feature_Type", "Feature_ID",
    "Transcript_BioType", "Rank", "HGVS.c", "HGVS.p", "cDNA.pos / cDNA.length", "CDS.pos / CDS.length",
    "AA.pos / AA.length", "Distance", "ERRORS / WARNINGS / INFO",
)  # fmt: skip

# ANNOVAR (table_annovar.pl -vcfinput): the columns of one gene model, and the models preferred where a file has
# several (RefSeq first, as clinical reports name transcripts).
_ANNOVAR_COLUMNS = ("Func", "Gene", "GeneDetail", "ExonicFunc", "AAChange")
ANNOVAR_GENE_MODELS = ("refGene", "refGeneWithVer", "ncbiRefSeq", "knownGene", "ensGene")
ANNOVAR_START, ANNOVAR_END = "ANNOVAR_DATE", "ALLELE_END"  # around each ALT's annotation in a multi-allelic record
# Each ANNOVAR class as the Sequence Ontology term whose prior it means (ncRNA_* classes are read as non-coding
# transcripts', below). 'exonic' is told by ExonicFunc, 'splicing' by GeneDetail's HGVS.
_ANNOVAR_FUNC = {
    "utr5": "5_prime_UTR_variant", "utr3": "3_prime_UTR_variant", "intronic": "intron_variant",
    "upstream": "upstream_gene_variant", "downstream": "downstream_gene_variant",
    "ncrna_exonic": "non_coding_transcript_exon_variant", "ncrna_intronic": "intron_variant",
    "ncrna_utr5": "non_coding_transcript_exon_variant", "ncrna_utr3": "non_coding_transcript_exon_variant",
}  # fmt: skip
_ANNOVAR_EXONIC = {
    "frameshift_deletion": "frameshift_variant", "frameshift_insertion": "frameshift_variant",
    "frameshift_substitution": "frameshift_variant", "frameshift_block_substitution": "frameshift_variant",
    "nonframeshift_deletion": "inframe_deletion", "nonframeshift_insertion": "inframe_insertion",
    "stopgain": "stop_gained", "stoploss": "stop_lost", "startloss": "start_lost",
    "nonsynonymous_snv": "missense_variant", "synonymous_snv": "synonymous_variant",
    "unknown": "coding_sequence_variant",  # a transcript whose coding sequence ANNOVAR could not read
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class GeneAnnotation:
    """What the file's annotation says about one ALT allele in one gene: the consequence and HGVS of its marked
    transcript (MANE Select, canonical), else of its most severe one."""

    gene: str
    consequence: str
    hgvs: str = ""
    population_af: float | None = None
    af_source: str = ""
    clinvar: str = ""
    clinvar_review: str = ""  # ClinVar's review status of that significance ('' = the file states none)
    scores: dict[str, float] = field(default_factory=dict)
    # Why a loss-of-function consequence may not abolish the protein (LOFTEE low confidence or filters, last exon
    # where nonsense-mediated decay is escaped): PVS1 at strong rather than very strong. '' = no such sign.
    lof_caution: str = ""
    # A premature stop outside the last exon that LOFTEE finds within 50 bp of the last exon junction (50_BP_RULE
    # FAIL): PVS1 at strong, as lof_caution, but the label's alone (the pathogenicity is lof_caution's).
    nmd_escape: str = ""
    # Where population_af is VEP's MAX_AF over populations that are not all continental gnomAD ones (MAX_AF_POPS: a
    # founder or small population such as ASJ, FIN, Amish, or 1000 Genomes' of under 2,000 alleles), the largest other
    # frequency the file gives (global, or gnomAD's continental popmax): what BA1 may rest on (None: none given).
    # max_af_pops names MAX_AF's populations. For the labels only; population_af stays the pathogenicity's.
    continental_af: float | None = None
    continental_af_source: str = ""
    max_af_pops: str = ""
    # Where the consequence is a marked transcript's (MANE Select, canonical, VEP's PICK) and another protein-coding
    # transcript has a more severe one: that consequence and its HGVS, shown beside the marked one's ('' = none).
    more_severe_elsewhere: str = ""
    # The same change on the gene's other transcripts where the file marks none (ANNOVAR's AAChange lists them all):
    # load names the one whose residue is the bundled UniProt protein's.
    hgvs_alternatives: tuple[str, ...] = ()
    # A protein-coding transcript names the splice region (splice_region_variant) beside its consequence: a missense
    # change at an exon's edge may alter splicing, which a missense predictor does not see (interpret.criteria's BP4).
    splice_region: bool = False


@dataclass(frozen=True, slots=True)
class AnnotationSchema:
    csq_fields: tuple[str, ...] = ()
    ann: bool = False
    info_af: tuple[str, ...] = ()
    info_clinvar: str = ""
    info_clinvar_review: str = ""
    info_clinvar_hgvs: str = ""
    info_cadd: str = ""
    info_revel: str = ""
    info_spliceai: str = ""
    annovar: str = ""  # the ANNOVAR gene model read (refGene, ensGene ...); '' = none
    info_predictors: tuple[tuple[str, str], ...] = ()  # (score name, INFO key) of _PREDICTORS the header declares
    info_max_af_pops: str = ""  # the INFO key of VEP's MAX_AF_POPS (bcftools +split-vep), beside an INFO MAX_AF
    # The ClinVar keys (significance, review status) the header declares per allele: Number A, or R (the REF's first)
    clinvar_numbers: tuple[tuple[str, str], ...] = ()

    @property
    def present(self) -> bool:
        return bool(self.csq_fields or self.ann or self.annovar or self.info_af or self.info_clinvar or self.info_cadd
                    or self.info_revel or self.info_spliceai or self.info_predictors)  # fmt: skip

    @property
    def names_genes(self) -> bool:
        """Whether the annotation states genes and consequences (not only frequencies and scores)."""
        return bool(self.csq_fields or self.ann or self.annovar)

    @property
    def annovar_keys(self) -> tuple[str, ...]:
        return tuple(f"{name}.{self.annovar}" for name in _ANNOVAR_COLUMNS) if self.annovar else ()

    @property
    def has_population_af(self) -> bool:
        return bool(self.info_af) or any(_POPULATION_AF.match(f) for f in self.csq_fields)

    @property
    def info_keys(self) -> tuple[str, ...]:
        keys = list(self.info_af)
        keys += [k for k in (self.info_clinvar, self.info_clinvar_review, self.info_clinvar_hgvs, self.info_cadd,
                             self.info_revel,
                             self.info_spliceai) if k]  # fmt: skip
        keys += [key for _name, key in self.info_predictors]
        if self.info_max_af_pops:
            keys.append(self.info_max_af_pops)
        if self.csq_fields:
            keys.append("CSQ")
        if self.ann:
            keys.append("ANN")
        return tuple(keys) + self.annovar_keys

    def describe(self) -> str:
        parts = []
        if self.csq_fields:
            parts.append("VEP CSQ")
        if self.ann:
            parts.append("SnpEff ANN")
        if self.annovar:
            parts.append(f"ANNOVAR {self.annovar}")
        extra = [k for k in (*self.info_af, self.info_clinvar, self.info_cadd, self.info_revel, self.info_spliceai,
                             *(key for _name, key in self.info_predictors)) if k]  # fmt: skip
        if extra:
            parts.append("INFO " + ", ".join(extra))
        return "; ".join(parts)


def schema_from_header(infos: dict[str, str], numbers: dict[str, str] | None = None) -> AnnotationSchema:
    """`infos` maps INFO IDs to their header Description, `numbers` to their Number (vcf.header_numbers)."""
    csq: tuple[str, ...] = ()
    if "CSQ" in infos:
        m = re.search(r"Format:\s*([^\"]+)", infos["CSQ"])
        if m:
            csq = tuple(f.strip() for f in m.group(1).strip().strip("'\"").split("|"))
    info_af = tuple(k for k in infos if _POPULATION_AF.match(k) or _ANNOVAR_AF.match(k))
    pick = lambda names: next((n for n in names if n in infos), "")  # noqa: E731
    models = [k[5:] for k in infos if k.startswith("Func.") and f"Gene.{k[5:]}" in infos]
    clinvar_keys = (pick(_CLINVAR), pick(_CLINVAR_REVIEW))
    per_allele = tuple((k, n) for k in clinvar_keys if k and (n := (numbers or {}).get(k, "")) in ("A", "R"))
    return AnnotationSchema(
        csq_fields=csq,
        ann="ANN" in infos,
        annovar=next((m for m in ANNOVAR_GENE_MODELS if m in models), models[0] if models else ""),
        info_af=info_af,
        info_clinvar=pick(_CLINVAR),
        info_clinvar_review=pick(_CLINVAR_REVIEW),
        info_clinvar_hgvs=pick(_CLINVAR_HGVS),
        info_cadd=pick(_CADD),
        info_revel=pick(_REVEL),
        info_spliceai="SpliceAI" if "SpliceAI" in infos else "",
        info_predictors=tuple((name, key) for name, keys in _PREDICTORS.items() if (key := pick(keys))),
        info_max_af_pops=next((k for k in infos if _MAX_AF_POPS.match(k)), "") if any(map(_MAX_AF.match, info_af)) else "",
        clinvar_numbers=per_allele,
    )


_MAX_AF = re.compile(r"^max_?af$", re.IGNORECASE)  # VEP's maximum over every population it knows
_MAX_AF_POPS = re.compile(r"^max_?af_?pops$", re.IGNORECASE)  # the populations it is the maximum of
# ClinGen SVI (Ghosh 2018): BA1 from a continental population of at least 2,000 alleles, which gnomAD's are; its
# bottlenecked (ASJ, FIN), Amish, Middle Eastern and remaining groups, and 1000 Genomes' (503-661 people), are not.
_CONTINENTAL = re.compile(r"^gnomad(?:[eg]|_exomes?|_genomes?)?_(afr|amr|eas|sas|nfe)$", re.IGNORECASE)


def _continental(afs: list[tuple[float, str]], pops: str) -> tuple[float | None, str]:
    """(value, field) BA1 may rest on where the largest of `afs` is VEP's MAX_AF of other than continental gnomAD
    populations: the largest other frequency; (None, '') where there is none, or no such doubt."""
    if not afs:
        return None, ""
    top = max(afs)
    names = [p for p in re.split(r"[&,]", pops) if p]
    if not _MAX_AF.match(top[1]) or (names and all(_CONTINENTAL.match(p) for p in names)):
        return None, ""
    others = [a for a in afs if not _MAX_AF.match(a[1])]
    return max(others) if others else (None, "")


_PREDICTION = re.compile(r"[A-Za-z_]+\(([^()]*)\)")  # VEP's SIFT and PolyPhen: 'deleterious(0.01)'


def _number(text: object, lowest: bool = False) -> float | None:
    """A score from a field that may hold '&'-joined values (co-located variants, several transcripts): the highest,
    or the lowest (`lowest`: a score where lower is more damaging, SIFT)."""
    if text is None or text == "":  # (most predictor fields of a CSQ entry are empty)
        return None
    if isinstance(text, int):
        return float(text)
    if isinstance(text, float):
        # A typed INFO Float reaches Python from htslib's float32: 0.01 arrives as 0.009999999776. Seven significant
        # digits (float32 holds 7.2) give back the value the file wrote, for thresholds (BS1 at 1%) and reports.
        return float(f"{text:.7g}") if math.isfinite(text) else None
    best = None
    for part in re.split(r"[&,/;]", _unescaped(str(text))):  # (ANNOVAR joins a dbNSFP column's transcripts by ';')
        prediction = _PREDICTION.fullmatch(part.strip())
        if prediction and part.strip().lower().startswith("unknown("):
            continue  # PolyPhen's 'unknown(0)': no prediction, not a benign score of 0
        try:
            value = float(prediction.group(1) if prediction else part)
        except ValueError:
            continue
        if math.isfinite(value) and (best is None or (value < best if lowest else value > best)):
            best = value
    return best


def _predictor_scores(get: Callable[[str], object], table: dict[str, tuple[str, ...]] = _PREDICTORS
                      ) -> dict[str, float]:  # fmt: skip
    """The scores of `table` (score name -> its field names, the first with a number taken) that `get` (field name
    -> value) finds, by score name."""
    scores = {}
    for name, keys in table.items():
        for key in keys:
            value = _number(get(key), lowest=name in LOWER_IS_DAMAGING)
            if value is not None:
                scores[name] = value
                break
    return scores


def _per_allele(value: object, alt_index: int) -> object:
    """Number=A INFO values come as tuples: take this ALT's entry."""
    if isinstance(value, tuple):
        return value[alt_index - 1] if 0 < alt_index <= len(value) else None
    return value


def _unescaped(text: str) -> str:
    """ANNOVAR writes ';', '=', ',' and spaces in INFO values as '\\x3b', '\\x3d', '\\x2c', '\\x20'."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def normalise_clinvar(text: str) -> str:
    text = _unescaped(text or "").strip().replace("_", " ").replace("&", "/").replace("|", "/")
    return "" if text in ("", ".", "-") else text.lower()


def clinvar_class(text: str) -> str:
    """'pathogenic', 'benign', 'uncertain', 'conflicting' or '' (nothing about pathogenicity) for a ClinVar value.

    Joined values ('/', VEP's '&' for co-located entries, ',') are read term by term: pathogenic and likely
    pathogenic together stay pathogenic (likewise benign), while pathogenic or benign beside uncertain significance,
    or pathogenic beside benign, is conflicting, as ClinVar's own 'Conflicting classifications' is. Terms such as
    risk factor, drug response, protective or not provided say nothing either way.
    """
    kinds = set()
    for term in re.split(r"[/,;]", normalise_clinvar(text)):
        if "conflicting" in term:
            kinds.add("conflicting")
        elif "pathogenic" in term:  # pathogenic, likely pathogenic, pathogenic, low penetrance
            kinds.add("pathogenic")
        elif "benign" in term:
            kinds.add("benign")
        elif "uncertain" in term:
            kinds.add("uncertain")
    if "conflicting" in kinds or len(kinds) > 1:
        return "conflicting"
    return next(iter(kinds), "")


def normalise_clinvar_review(text: str) -> str:
    """'criteria provided, multiple submitters, no conflicts' from ClinVar's 'criteria_provided,_multiple_submitters,
    _no_conflicts' (VEP joins a CSQ value's commas with '&'; ANNOVAR escapes them)."""
    text = _unescaped(text or "").replace("_", " ").replace("&", ",")
    text = re.sub(r"\s*,\s*", ", ", text).strip(" ,")
    return "" if text in ("", ".", "-") else text.lower()


def clinvar_with_criteria(review: str) -> bool:
    """Whether a ClinVar review status has assertion criteria (one star or more: criteria provided, an expert panel,
    a practice guideline), not conflicting; '' (the file states no review status) counts as having them, since the
    classification is all the file gives."""
    review = normalise_clinvar_review(review)
    if not review:
        return True
    if "conflict" in review and "no conflict" not in review:
        return False
    return review.startswith("criteria provided") or "expert panel" in review or "practice guideline" in review


def clinvar_pathogenic(text: str) -> bool:
    return clinvar_class(text) == "pathogenic"


def clinvar_pathogenic_not_likely(text: str) -> bool:
    """Pathogenic, with no term only likely so (what ClinGen's PM3 counts in full for a variant in trans)."""
    terms = [t.strip() for t in re.split(r"[/,;]", normalise_clinvar(text)) if "pathogenic" in t]
    return clinvar_pathogenic(text) and all(not t.startswith("likely") for t in terms)


def clinvar_benign(text: str) -> bool:
    return clinvar_class(text) == "benign"


def most_severe(consequences: str) -> str:
    terms = [t for t in re.split(r"[&,+]", consequences or "") if t]
    if not terms:
        return ""
    return min(terms, key=lambda t: SEVERITY.get(t, UNKNOWN_SEVERITY))


_NMD_ESCAPE = frozenset({"stop_gained", "frameshift_variant"})  # premature stops: NMD unless in the last exon


def _last_exon(rank: str) -> bool:
    """'13/13' (VEP EXON, SnpEff Rank) or '12-13/13' (a change spanning exons) reaches the last exon."""
    m = re.fullmatch(r"\s*(?:\d+-)?(\d+)\s*/\s*(\d+)\s*", rank or "")
    return bool(m) and m.group(1) == m.group(2)


def lof_caution(term: str, exon: str = "", loftee: str = "", loftee_filter: str = "") -> str:
    """Why a loss-of-function consequence of one coding transcript may not abolish the protein ('' = none stated):
    LOFTEE calls it other than high confidence or filters it, or a premature stop lies in the last exon."""
    if term not in LOSS_OF_FUNCTION:
        return ""
    reasons = []
    loftee, loftee_filter = loftee.strip(), loftee_filter.strip().strip("-.")
    if (loftee and loftee != "HC") or loftee_filter:
        filters = ", ".join(f for f in re.split(r"[&,]", loftee_filter) if f)
        reasons.append(f"LOFTEE {loftee or 'filtered'}" + (f" ({filters})" if filters else ""))
    if term in _NMD_ESCAPE and _last_exon(exon):
        reasons.append(f"in the last exon ({exon.strip()}): may escape nonsense-mediated decay")
    return "; ".join(reasons)


def nmd_escape(term: str, exon: str = "", loftee_info: str = "") -> str:
    """Why a premature stop outside the last exon may escape nonsense-mediated decay ('' = none stated): LOFTEE's
    LoF_info says 50_BP_RULE:FAIL, the stop within 50 bp of the last exon junction (the penultimate exon's end)."""
    if term not in _NMD_ESCAPE or _last_exon(exon) or not re.search(r"(?:^|[&,])50_BP_RULE:FAIL(?:$|[&,])", loftee_info):
        return ""
    return "LOFTEE 50_BP_RULE:FAIL (within 50 bp of the last exon junction): may escape nonsense-mediated decay"


def _vep_allele(ref: str, alt: str, alts: list[str]) -> str:
    """VEP writes indel alleles without the shared first base ('-' when nothing is left)."""
    if alt.startswith("<"):
        return alt
    if all(a[:1] == ref[:1] for a in alts) and any(len(a) != len(ref) for a in alts):
        return alt[1:] or "-"
    return alt


def hgvs_text(coding: str, protein: str) -> str:
    """'c.350G>A (p.Arg117His)'; the protein change alone where the annotation gives no coding one (not in
    brackets of its own). VEP writes a synonymous change's '=' as '%3D' (URI-escaped)."""
    coding, protein = coding.strip(), protein.strip().replace("%3D", "=")
    return f"{coding} ({protein})" if coding and protein else coding or protein


# VEP's marks of the transcript to report, in its own --pick order: PICK=1 (--flag_pick, the user's choice), MANE
# Select, Ensembl canonical; SnpEff's and ANNOVAR's transcripts carry none.
TRANSCRIPT_MARKS = ("PICK", "MANE_SELECT", "CANONICAL")
UNMARKED = len(TRANSCRIPT_MARKS)


def annotate(
    schema: AnnotationSchema, info: dict[str, object], ref: str, alts: list[str], alt_index: int
) -> list[GeneAnnotation]:
    """Per-gene annotation of ALT allele `alt_index` (1-based); empty when the file says nothing about it."""
    alt = alts[alt_index - 1]
    record_af: list[tuple[float, str]] = []
    for key in schema.info_af:
        value = _number(_per_allele(info.get(key), alt_index))
        if value is not None:
            record_af.append((value, key))
    record_scores: dict[str, float] = {}
    if schema.info_cadd:
        v = _number(_per_allele(info.get(schema.info_cadd), alt_index))
        if v is not None:
            record_scores["CADD"] = v
    if schema.info_revel:
        v = _number(_per_allele(info.get(schema.info_revel), alt_index))
        if v is not None:
            record_scores["REVEL"] = v
    record_scores |= _info_predictors(schema, info, alt_index)
    spliceai_by_gene = _spliceai(schema, info, alt)
    record_clinvar = _clinvar(schema, info, alt_index, len(alts))
    record_review = _clinvar_review(schema, info, alt_index, len(alts)) if record_clinvar else ""

    genes: dict[str, dict] = {}
    renamed = symbol_updates()  # files annotated with older gene models use previous HGNC symbols

    def consider(gene: str, consequence: str, hgvs: str, mark: int, biotype: str, extra: dict,
                 lof: tuple[str, str, str] = ("", "", ""), lof_info: str = "",
                 alternatives: tuple[str, ...] = ()) -> None:  # fmt: skip
        if not gene or gene in (".", "-"):
            return
        gene = renamed.get(gene, gene)
        term = most_severe(consequence)
        # A protein-coding transcript's consequence before a non-coding or NMD one's (PVS1 from a retained intron
        # would be wrong); then the transcript the annotation marks (`mark`: TRANSCRIPT_MARKS), whose HGVS a report
        # names and whose consequence ClinGen's PVS1 tree weighs (a stop in an exon the clinical transcript lacks is
        # no loss of its protein); then the most severe.
        coding = biotype in ("", "protein_coding")
        if not coding and term in LOSS_OF_FUNCTION:
            # A splice site or stop of a transcript that codes for no protein (lncRNA, retained intron, NMD
            # transcript) is no loss of function: its other terms, or a plain non-coding transcript change.
            rest = "&".join(t for t in re.split(r"[&,+]", consequence) if t not in LOSS_OF_FUNCTION)
            term = most_severe(rest) or "non_coding_transcript_variant"
        severity = SEVERITY.get(term, UNKNOWN_SEVERITY)
        rank = (0 if coding else 1, mark, severity)
        g = genes.setdefault(gene, {"rank": None, "af": [], "scores": {}, "clinvar": "", "pops": "", "worst": None})
        if g["rank"] is None or rank < g["rank"]:
            g.update(rank=rank, consequence=term, hgvs=hgvs, alternatives=alternatives, caution=lof_caution(term, *lof) if coding else "",
                     nmd=nmd_escape(term, lof[0], lof_info) if coding else "")
        if coding and "splice_region_variant" in re.split(r"[&,+]", consequence):
            g["splice_region"] = True
        if coding and (g["worst"] is None or severity < g["worst"][0]):
            g["worst"] = (severity, term, hgvs)
        # Frequencies, ClinVar and scores stated on any transcript hold for the allele, whatever the order.
        g["af"].extend(extra.get("af") or ())
        for name, value in (extra.get("scores") or {}).items():
            keep = min if name in LOWER_IS_DAMAGING else max
            g["scores"][name] = keep(g["scores"].get(name, value), value)
        if extra.get("clinvar") and not g["clinvar"]:
            g["clinvar"], g["review"] = extra["clinvar"], extra.get("review", "")
        if extra.get("pops") and not g["pops"]:
            g["pops"] = extra["pops"]

    if schema.csq_fields and info.get("CSQ"):
        names = schema.csq_fields
        col = {n: i for i, n in enumerate(names)}
        lower = {n.lower(): i for i, n in enumerate(names)}
        af_cols = [(i, n) for i, n in enumerate(names) if _POPULATION_AF.match(n)]
        want = _vep_allele(ref, alt, alts)
        for entry in str(info["CSQ"]).split(","):
            f = entry.split("|")
            if len(f) < len(names):
                f += [""] * (len(names) - len(f))
            if "ALLELE_NUM" in col and f[col["ALLELE_NUM"]].isdigit():
                if int(f[col["ALLELE_NUM"]]) != alt_index:
                    continue
            elif len(alts) > 1 and "Allele" in col and f[col["Allele"]] not in (alt, want):
                continue
            get = lambda name, f=f: f[lower[name.lower()]] if name.lower() in lower else ""  # noqa: E731
            hgvs = hgvs_text(get("HGVSc"), get("HGVSp"))
            scores = _predictor_scores(get, _CSQ_SCORES)
            ds = [_number(get(k)) for k in _SPLICEAI_DS]
            if any(d is not None for d in ds):
                scores["SpliceAI"] = max(d for d in ds if d is not None)
            af = [(v, n) for i, n in af_cols if (v := _number(f[i])) is not None]
            clinvar_key = next((k for k in _CSQ_CLINVAR if normalise_clinvar(get(k))), "")
            clinvar = normalise_clinvar(get(clinvar_key)) if clinvar_key else ""
            review = normalise_clinvar_review(get(_CSQ_CLINVAR_REVIEW.get(clinvar_key, ""))) if clinvar else ""
            marks = (get("PICK") == "1", bool(get("MANE_SELECT").strip("-. ")), get("CANONICAL") == "YES")
            consider(
                get("SYMBOL") or get("Gene"),
                get("Consequence"),
                hgvs,
                next((n for n, marked in enumerate(marks) if marked), UNMARKED),
                get("BIOTYPE"),
                {"af": af, "clinvar": clinvar, "review": review, "scores": scores, "pops": get("MAX_AF_POPS").strip().strip("-.")},
                (get("EXON"), get("LoF"), get("LoF_filter")),  # '' where the header's CSQ format lacks them
                get("LoF_info"),
            )
    if schema.ann and info.get("ANN"):
        for entry in str(info["ANN"]).split(","):
            f = entry.split("|")
            if len(f) < 11:
                continue
            if len(alts) > 1 and f[0].strip() != alt:
                continue
            # SnpEff's HGVS.c carries no transcript (VEP's and ANNOVAR's do): its Feature_ID says which c. numbering
            feature, coding = f[6].strip(), f[9].strip()
            hgvs = hgvs_text(f"{feature}:{coding}" if feature and coding else coding, f[10])
            if f[1].strip().startswith("intergenic"):
                continue  # SnpEff names the two flanking genes ('FGFR2-ATE1'), not a gene
            consider(f[3].strip(), f[1].strip(), hgvs, UNMARKED, f[7].strip(), {}, (f[8].strip(), "", ""))
    if schema.annovar:
        for gene, term, hgvs, coding, others in _annovar(schema.annovar, info, ref, alt, alt_index, len(alts)):
            consider(gene, term, hgvs, UNMARKED, "" if coding else "ncRNA", {}, alternatives=others)

    out = []
    if not genes and spliceai_by_gene:
        for gene in spliceai_by_gene:
            genes[gene] = {"consequence": "", "hgvs": ""}
    for gene, g in genes.items():
        afs = list(g.get("af") or []) + record_af
        worst, chosen = g.get("worst"), g.get("rank")
        elsewhere = ""
        if worst and chosen and chosen[0] == 0 and chosen[1] < UNMARKED and worst[0] < chosen[2]:
            elsewhere = f"{worst[1].replace('_', ' ')} on another protein-coding transcript" + (
                f": {worst[2]}" if worst[2] else "")
        af, source = (max(afs) if afs else (None, ""))
        pops = g.get("pops") or _info_pops(schema, info, alt_index)
        continental, continental_source = _continental(afs, pops)
        scores = {**record_scores, **(g.get("scores") or {})}
        if gene in spliceai_by_gene:
            scores["SpliceAI"] = max(scores.get("SpliceAI", 0.0), spliceai_by_gene[gene])
        out.append(
            GeneAnnotation(
                gene=gene,
                consequence=g.get("consequence", ""),
                hgvs=g.get("hgvs", ""),
                population_af=af,
                af_source=source,
                clinvar=g.get("clinvar") or record_clinvar,
                clinvar_review=g.get("review", "") if g.get("clinvar") else record_review,
                scores=scores,
                lof_caution=g.get("caution", ""),
                nmd_escape=g.get("nmd", ""),
                more_severe_elsewhere=elsewhere,
                hgvs_alternatives=g.get("alternatives", ()),
                continental_af=continental,
                continental_af_source=continental_source,
                max_af_pops=pops if _MAX_AF.match(source) else "",
                splice_region=g.get("splice_region", False),
            )
        )
    return out


_INTRON_OFFSET = re.compile(r"[cn]\.[-*]?\d+([+-])(\d+)")  # c.1694+1G>A, c.-34-2A>G, c.*10+5del
_GENE_ITEM = re.compile(r"([^;,()]+)(?:\(([^()]*)\))?")  # GENE, or older releases' GENE(NM_1:c.1-2A>G,...)


def annovar_alleles(fields: Iterable[tuple[str, object]], keys: frozenset[str], n_alts: int) -> dict[str, tuple]:
    """A multi-allelic record's ANNOVAR annotation, which table_annovar writes once per ALT between ANNOVAR_DATE and
    ALLELE_END, the same INFO keys repeated (htslib's lookup sees only the first): each key's values by ALT, as a
    Number=A field gives them; empty where the blocks are not one per ALT."""
    blocks: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    for key, value in fields:
        if key == ANNOVAR_START:
            current = {}
            blocks.append(current)
        elif key == ANNOVAR_END:
            current = None
        elif current is not None and key in keys:
            current[key] = value
    if len(blocks) != n_alts:
        return {}
    return {key: tuple(b.get(key) for b in blocks) for key in {k for b in blocks for k in b}}


def _annovar_text(value: object) -> str:
    """An ANNOVAR INFO value: ';', '=', ',' and spaces come escaped ('\\x3b'); '.' is its missing value."""
    text = _unescaped("" if value is None else str(value)).strip()
    return "" if text == "." else text


def _annovar_exonic(text: str, ref: str, alt: str) -> str:
    """ExonicFunc as a Sequence Ontology term (older releases write 'stopgain SNV', 'frameshift block substitution')."""
    key = re.sub(r"[\s_]+", "_", text.strip()).lower()
    key = re.sub(r"^(stopgain|stoploss)_snv$", r"\1", key).replace("block_substitution", "substitution")
    if key == "nonframeshift_substitution":
        # an in-frame deletion or insertion by its net length (VEP's terms); bases replaced one for one change residues
        if len(alt) != len(ref):
            return "inframe_deletion" if len(alt) < len(ref) else "inframe_insertion"
        return "protein_altering_variant"
    return _ANNOVAR_EXONIC.get(key, "coding_sequence_variant")


def _annovar_splicing(details: list[str]) -> str:
    """ANNOVAR's 'splicing' (within its -splicing_threshold of an exon boundary, 2 bp by default) by what the HGVS
    of GeneDetail says, as VEP names it: +1/+2 a splice donor, -1/-2 an acceptor, +5 the donor's fifth base, other
    bases up to 8 into the intron or an exonic base by the boundary the splice region, farther an intron change."""
    terms = []
    for detail in details:
        m = _INTRON_OFFSET.search(detail)
        if m is None:
            if re.search(r"\b[cn]\.", detail):
                terms.append("splice_region_variant")  # an exonic base next to the boundary
            continue
        sign, offset = m.group(1), int(m.group(2))
        if offset <= 2:
            terms.append("splice_donor_variant" if sign == "+" else "splice_acceptor_variant")
        elif sign == "+" and offset == 5:
            terms.append("splice_donor_5th_base_variant")
        else:
            terms.append("splice_region_variant" if offset <= 8 else "intron_variant")
    # Without a detail, ANNOVAR's default threshold means a canonical site; which side is not said, and the acceptor
    # and donor terms have the same prior and loss-of-function reading.
    return most_severe("&".join(terms)) or "splice_acceptor_variant"


def _annovar_hgvs(entry: str) -> str:
    """'FGFR2:NM_000141:exon12:c.A1694C:p.E565A' (AAChange) or 'NM_000141:exon12:c.1694+1G>A' (GeneDetail) as
    'NM_000141:c.A1694C (p.E565A)': the transcript and the changes as ANNOVAR writes them."""
    parts = [p.strip() for p in entry.split(":")]
    coding = next((p for p in parts if p.startswith(("c.", "n."))), "")
    protein = next((p for p in parts if p.startswith("p.")), "")
    transcript = next((p for p in parts if re.match(r"([NX][MR]_|ENST\d|uc\d)", p)), "")  # (not a gene: NME1)
    return hgvs_text(f"{transcript}:{coding}" if transcript and coding else coding, protein)


def _annovar(model: str, info: dict[str, object], ref: str, alt: str, alt_index: int,
             n_alts: int) -> list[tuple[str, str, str, bool, tuple[str, ...]]]:  # fmt: skip
    """(gene, consequence, HGVS, coding, other transcripts' HGVS) for each gene ANNOVAR's gene model `model` names for
    ALT `alt_index` (AAChange lists every transcript's change, none marked: the first is the HGVS).

    Func lists the most severe classes (ANNOVAR's precedence) and Gene the genes in them: two classes ('exonic;
    splicing', 'UTR5;UTR3', 'upstream;downstream') go with as many ';'-separated gene groups where there are as
    many, else every gene has them all. Intergenic entries name the flanking genes, not a gene hit."""
    func = info.get(f"Func.{model}")
    if n_alts > 1 and not isinstance(func, tuple):
        return []  # one annotation for several ALTs (not ANNOVAR's own per-allele blocks): which it is about is unsaid
    value = {name: _annovar_text(_per_allele(info.get(f"{name}.{model}"), alt_index)) for name in _ANNOVAR_COLUMNS}
    classes = [c.strip() for c in value["Func"].split(";") if c.strip()]
    groups = [list(_GENE_ITEM.findall(g)) for g in re.split(r";(?![^()]*\))", value["Gene"])]
    details = [d for d in re.split(r"[;,]", value["GeneDetail"]) if d.strip()]
    changes = [c.strip() for c in value["AAChange"].split(",") if c.strip()]
    named = [(name.strip(), own_details, kind.lower()) for n, group in enumerate(groups) for name, own_details in group
             for kind in ([classes[n]] if len(classes) == len(groups) > 1 else classes)]  # fmt: skip
    # GeneDetail names no gene: its HGVS is a gene's where no other gene has a class it details (all but exonic)
    detailed = {name for name, _, kind in named if kind != "exonic"}
    out = []
    for name, own_details, kind in named:
        if kind not in _ANNOVAR_FUNC and kind not in ("exonic", "splicing", "ncrna_splicing"):
            continue  # intergenic, or a class this reader does not know
        if re.fullmatch(r"ENSG\d+(\.\d+)?", name):
            continue  # ensGene's Ensembl IDs match no disease's gene: the bundled gene model places the variant
        told = [d for d in own_details.split(",") if d.strip()] or (details if len(detailed) == 1 else [])
        if kind == "exonic":
            term = _annovar_exonic(value["ExonicFunc"], ref, alt)
            hgvs_all = tuple(_annovar_hgvs(c) for c in changes if c.split(":")[0] == name)
            hgvs, others = (hgvs_all[0], hgvs_all[1:]) if hgvs_all else ("", ())
        else:
            # (several genes' splicing details: the most severe; a non-coding transcript's splice site is read as
            # no loss of function in annotate)
            term = _annovar_splicing(told or details) if kind.endswith("splicing") else _ANNOVAR_FUNC[kind]
            hgvs, others = (_annovar_hgvs(told[0]) if told else ""), ()
        out.append((name, term, hgvs, not kind.startswith("ncrna"), others))
    return out


def _spliceai(schema: AnnotationSchema, info: dict[str, object], alt: str) -> dict[str, float]:
    """SpliceAI's INFO field (ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL|...): the best delta score per gene."""
    out: dict[str, float] = {}
    if schema.info_spliceai and info.get(schema.info_spliceai):
        renamed = symbol_updates()
        for entry in str(info[schema.info_spliceai]).split(","):
            parts = entry.split("|")
            if len(parts) >= 6 and parts[0] == alt:
                ds = [_number(p) for p in parts[2:6]]
                out[renamed.get(parts[1], parts[1])] = max((d for d in ds if d is not None), default=0.0)
    return out


def _info_predictors(schema: AnnotationSchema, info: dict[str, object], alt_index: int) -> dict[str, float]:
    """The record's _PREDICTORS scores in INFO for this ALT (SnpSift dbnsfp, ANNOVAR, vcfanno)."""
    keys = dict(schema.info_predictors)
    return _predictor_scores(lambda key: _per_allele(info.get(key), alt_index) if key in keys.values() else None)


_HGVS_G = re.compile(r"(?:^|:)g\.(\d+)(?:_(\d+))?(?:([ACGTN])>([ACGTN])|(delins|del|dup|ins)([ACGTN]*))$",
                     re.IGNORECASE)


def _trimmed(pos: int, ref: str, alt: str) -> tuple[int, str, str]:
    """An allele without the bases it shares with REF at its end and then its start: (position, removed, added)."""
    while len(ref) > 1 and len(alt) > 1 and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    while ref and alt and ref[0] == alt[0]:
        pos, ref, alt = pos + 1, ref[1:], alt[1:]
    return pos, ref.upper(), alt.upper()


def clinvar_owner(hgvs: str, pos: int, ref: str, alts: list[str]) -> int:
    """The ALT (1-based) that ClinVar's HGVS g. (CLNHGVS) describes, 0 where none or several fit: an SNV by its
    position and bases, a deletion, duplication or insertion by its kind and length within the record (HGVS places
    it at its 3' end, VCF at its 5' one: never to the left), a deletion-insertion by its position and bases."""
    m = _HGVS_G.search(hgvs.strip())
    if not m:
        return 0
    start, end = int(m.group(1)), int(m.group(2) or m.group(1))
    kind, bases = (m.group(5) or "").lower(), (m.group(6) or "").upper()
    fits = []
    for k, alt in enumerate(alts, 1):
        if alt.startswith("<") or "[" in alt or "]" in alt:
            continue
        at, removed, added = _trimmed(pos, ref, alt)
        if m.group(3):
            fit = (at, removed, added) == (start, m.group(3).upper(), m.group(4).upper())
        elif kind == "del":
            fit = not added and len(removed) == end - start + 1 and start >= at
        elif kind in ("dup", "ins"):
            length = end - start + 1 if kind == "dup" else len(bases)
            fit = bool(length) and not removed and len(added) == length and (end if kind == "dup" else start) >= at - 1
        else:  # delins
            fit = len(removed) == end - start + 1 and added == bases and at == start
        if fit:
            fits.append(k)
    return fits[0] if len(fits) == 1 else 0


# Between the values of a per-allele ClinVar field: a comma, but not ClinVar's own ",_" inside one value
# ("Pathogenic/Likely_pathogenic,_other", "criteria_provided,_multiple_submitters,_no_conflicts").
_ALLELE_SEPARATOR = re.compile(r",(?!_)")


def split_clinvar_alleles(schema: AnnotationSchema, info: dict[str, object], n_alts: int) -> None:
    """Where the header declares a ClinVar field per allele (Number=A, or R with the REF's value first), htslib gives
    its values as one comma-joined string: split it in `info` into one value per ALT, as Number=A values are read.
    Left whole where the count does not fit the record's alleles."""
    for key, number in schema.clinvar_numbers:
        value = info.get(key)
        if not isinstance(value, str):
            continue
        values = _ALLELE_SEPARATOR.split(value)
        if number == "R" and len(values) == n_alts + 1:
            info[key] = tuple(values[1:])
        elif number == "A" and len(values) == n_alts and n_alts > 1:
            info[key] = tuple(values)


def clinvar_per_allele(schema: AnnotationSchema, info: dict[str, object], pos: int, ref: str,
                       alts: list[str]) -> bool:  # fmt: skip
    """Where a multi-allelic record has one ClinVar significance (ClinVar's VCF has one ALT per record: bcftools
    annotate copies its Number=. CLNSIG as one value), give it and its review status to the ALT its CLNHGVS names, in
    `info` (as Number=A values), so that _clinvar reads it for that allele alone. False where the value stays the
    record's and is read for no allele (no CLNHGVS, or one that fits none or several ALTs); True otherwise."""
    value = info.get(schema.info_clinvar) if schema.info_clinvar else None
    if len(alts) < 2 or value is None or isinstance(value, tuple) or not normalise_clinvar(str(value)):
        return True
    hgvs = info.get(schema.info_clinvar_hgvs) if schema.info_clinvar_hgvs else None
    owner = clinvar_owner(hgvs, pos, ref, alts) if isinstance(hgvs, str) and "," not in hgvs else 0
    if not owner:
        return False
    for key in (schema.info_clinvar, schema.info_clinvar_review):
        if key and isinstance(info.get(key), str):
            info[key] = tuple(info[key] if k == owner else "." for k in range(1, len(alts) + 1))
    return True


def _clinvar(schema: AnnotationSchema, info: dict[str, object], alt_index: int, n_alts: int) -> str:
    """The record's ClinVar significance for this ALT: per allele (Number=A), or the record's own value only when
    it has one ALT (a single value on a multi-allelic record does not say which allele it is about)."""
    value = info.get(schema.info_clinvar) if schema.info_clinvar else None
    if value is None or (not isinstance(value, tuple) and n_alts > 1):
        return ""
    return normalise_clinvar(str(_per_allele(value, alt_index)))


def _clinvar_review(schema: AnnotationSchema, info: dict[str, object], alt_index: int, n_alts: int) -> str:
    """The record's ClinVar review status for this ALT, read as _clinvar reads the significance."""
    value = info.get(schema.info_clinvar_review) if schema.info_clinvar_review else None
    if value is None or (not isinstance(value, tuple) and n_alts > 1):
        return ""
    return normalise_clinvar_review(str(_per_allele(value, alt_index)))


def record_level(schema: AnnotationSchema, info: dict[str, object], alt_index: int,
                 alt: str = "", n_alts: int = 1) -> GeneAnnotation | None:
    """Frequency/ClinVar/scores stated for the record without a gene (applied to gene-model genes)."""
    afs = [(v, k) for k in schema.info_af if (v := _number(_per_allele(info.get(k), alt_index))) is not None]
    scores = {}
    for name, key in (("CADD", schema.info_cadd), ("REVEL", schema.info_revel)):
        if key and (v := _number(_per_allele(info.get(key), alt_index))) is not None:
            scores[name] = v
    scores |= _info_predictors(schema, info, alt_index)
    splice = _spliceai(schema, info, alt)
    if splice:
        scores["SpliceAI"] = max(splice.values())
    clinvar = _clinvar(schema, info, alt_index, n_alts)
    review = _clinvar_review(schema, info, alt_index, n_alts) if clinvar else ""
    if not afs and not scores and not clinvar:
        return None
    af, source = max(afs) if afs else (None, "")
    # an INFO MAX_AF is weighed for BA1 as VEP's CSQ one is (annotate): against the largest other frequency, unless
    # its populations are all continental gnomAD ones
    pops = _info_pops(schema, info, alt_index)
    continental, continental_source = _continental(afs, pops)
    return GeneAnnotation(gene="", consequence="", population_af=af, af_source=source, clinvar=clinvar,
                          clinvar_review=review, scores=scores, continental_af=continental,
                          continental_af_source=continental_source, max_af_pops=pops if _MAX_AF.match(source) else "")


def _info_pops(schema: AnnotationSchema, info: dict[str, object], alt_index: int) -> str:
    """The populations an INFO MAX_AF is the maximum of, for this ALT ('' = not stated)."""
    if not schema.info_max_af_pops:
        return ""
    value = info.get(schema.info_max_af_pops)
    if isinstance(value, str) and "," in value:  # Number=A: htslib gives a string field whole
        value = tuple(value.split(","))
    return str(_per_allele(value, alt_index) or "").strip().strip("-.")
