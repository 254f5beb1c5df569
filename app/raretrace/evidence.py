"""The one evidence model: produced while ranking, rendered as-is by the GUI, the PDF report and the JSON.

Every score carries the objects that explain it. Each item points back to its source: a `disease_annotations`
row of the KB (annotation_ids), a published case (PMID), or a VCF record (chrom/pos/ref/alt and line number).
Renderers never recompute anything from the knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .case import sex_words

Relation = Literal["exact", "patient_more_specific", "disease_more_specific", "common_ancestor", "unmatched"]


@dataclass(frozen=True, slots=True)
class FeatureMatch:
    """A present patient feature set against one hypothesis."""

    patient_term: str
    patient_label: str
    relation: Relation
    disease_term: str | None = None  # the annotated feature it matched
    disease_label: str | None = None
    common_ancestor: str | None = None  # most informative common ancestor (equals a term for exact/subsumed)
    common_ancestor_label: str | None = None
    ic: float = 0.0  # information content of the common ancestor
    frequency: float | None = None  # annotated frequency of the disease feature (0..1)
    frequency_text: str = ""  # as written in the source (HP term label, n/m, %)
    references: tuple[str, ...] = ()  # PMID:…, OMIM:…, ORPHA:… of the annotation
    annotation_ids: tuple[int, ...] = ()  # rows of disease_annotations in the KB
    contribution: float = 0.0  # this feature's share of the phenotype score (log-likelihood-ratio units)
    # every annotation it matches through is also ruled out by an excluded feature (listed among the conflicts):
    # the match still counts, as the score counts it, and says so
    ruled_out: bool = False
    evidence: tuple[str, ...] = ()  # HPO evidence codes of the annotation rows (EVIDENCE_CODES)


@dataclass(frozen=True, slots=True)
class ExcludedConflict:
    """An excluded patient feature that the disease usually has: evidence against it."""

    patient_term: str
    patient_label: str
    disease_term: str
    disease_label: str
    frequency: float | None
    frequency_text: str = ""
    references: tuple[str, ...] = ()
    annotation_ids: tuple[int, ...] = ()
    contribution: float = 0.0
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NegatedConflict:
    """A present patient feature that the disease is annotated NOT to have (HPO's NOT qualifier or a frequency of 0,
    or excluded in at least half of the published patients of a case-derived profile): evidence against it."""

    patient_term: str
    patient_label: str
    disease_term: str  # the feature annotated as absent (the patient's feature or one of its ancestors)
    disease_label: str
    source_text: str = ""  # "NOT annotation", "annotated frequency 0/3 (0%)" or "excluded in 3/4 published cases"
    references: tuple[str, ...] = ()
    annotation_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SuggestedFeature:
    """A frequent feature of the disease not recorded for the patient: what to examine next."""

    term: str
    label: str
    frequency: float | None
    frequency_text: str = ""
    references: tuple[str, ...] = ()
    annotation_ids: tuple[int, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClinicalCourse:
    """An HPO clinical-course annotation of the disease: onset (infantile, adult ...), progression or mortality."""

    term: str
    label: str
    references: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SimilarCase:
    """A published patient of the case library (phenopacket-store, CC BY 4.0) resembling this patient."""

    case_id: str
    pmid: str
    disease_id: str
    disease_label: str
    gene: str | None
    shared_terms: tuple[str, ...]
    shared_labels: tuple[str, ...]
    similarity: float
    # this patient's excluded features that the published patient is recorded without too (a ranking signal since
    # the thirty-fourth session: publications of a disease record its typical and differential features as absent)
    shared_absent_terms: tuple[str, ...] = ()
    shared_absent_labels: tuple[str, ...] = ()
    # findings both were assessed for but recorded the other way: assessed alike, they count in the ranking (since
    # the thirty-fifth session), and the difference is shown, each way apart: this patient's present features the
    # published patient is recorded without, and this patient's excluded features it has
    published_without_terms: tuple[str, ...] = ()
    published_without_labels: tuple[str, ...] = ()
    published_with_terms: tuple[str, ...] = ()
    published_with_labels: tuple[str, ...] = ()

    def shared_text(self, limit: int | None = None) -> str:
        """The features shared, as GUI and PDF show them: "A, B, C; also without D, E; but without F; but with G" (at
        most `limit` of each)."""
        def listed(labels: tuple[str, ...]) -> str:
            cut = labels if limit is None else labels[:limit]
            return ", ".join(cut) + (" …" if len(cut) < len(labels) else "")

        parts = [listed(self.shared_labels)] if self.shared_labels else []
        if self.shared_absent_labels:
            parts.append(f"also without {listed(self.shared_absent_labels)}")
        if self.published_without_labels:
            parts.append(f"but without {listed(self.published_without_labels)}")
        if self.published_with_labels:
            parts.append(f"but with {listed(self.published_with_labels)}")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class AcmgCriterion:
    """An ACMG/AMP-style criterion and the value that triggered it; never set without data."""

    code: str  # e.g. PVS1, PM2, PP3, BP4, PP5, PS2, PM3
    strength: str  # very_strong, strong, moderate, supporting
    value: str
    reason: str

    @property
    def label(self) -> str:
        """The code, with its strength when it is not the code's own (PVS1 at strong, PM2 at supporting): a
        clinician reads a bare PVS1 as very strong."""
        own = next((s for prefix, s in CRITERION_STRENGTHS if self.code.startswith(prefix)), "")
        return self.code if self.strength == own else f"{self.code} ({self.strength.replace('_', ' ')})"


# ACMG/AMP's own strength of each kind of criterion (longest prefix first)
CRITERION_STRENGTHS = (("PVS", "very_strong"), ("PS", "strong"), ("PM", "moderate"), ("PP", "supporting"),
                       ("BA", "stand_alone"), ("BS", "strong"), ("BP", "supporting"))


# After "ACMG/AMP criteria:" where a variant meets none (the demo's KMT2D missense, pathogenicity 0.50 from its class
# alone): said, not an empty cell, and why, in the GUI and the PDF alike
NO_CRITERION_MET = "none met with the data available"
NO_CRITERION_SHORT = "none met"  # a table column's room (the Genomics tab); NO_CRITERION_MET on hover


GENOTYPE_WORDS = {"het": "heterozygous", "hom_alt": "homozygous", "hemizygous": "hemizygous",
                  "heteroplasmic": "heteroplasmic", "homoplasmic": "homoplasmic"}  # fmt: skip


# Bases a variant's name prints whole: the usual line between an indel and a structural variant. The JSON's ref and
# alt keep every base.
ALLELE_SHOWN = 50
_LONG_ALLELE = re.compile(rf"[ACGTNacgtn]{{{ALLELE_SHOWN + 1},}}")


def shown_alleles(text: str) -> str:
    """`text` (REF>ALT, an HGVS name) with each run of more than ALLELE_SHOWN bases shown as its first and last
    bases around "…" and its length: a large insertion written out base by base (an SV caller's, thousands of
    bases) is no name a reader reads, and the PDF report could not lay it out (a table cell taller than a page;
    minutes breaking it into lines)."""
    return _LONG_ALLELE.sub(lambda m: f"{m[0][:10]}…{m[0][-5:]} ({len(m[0]):,} bp)", text)


@dataclass(frozen=True, slots=True)
class VariantEvidence:
    chrom: str
    pos: int
    ref: str
    alt: str
    gene: str
    genotype: str  # het, hom_alt, hemizygous, ...
    consequence: str  # the file's SO term (missense_variant), else the gene model's (missense, intronic)
    hgvs: str = ""
    population_af: float | None = None
    population_af_source: str = ""  # the file's field (e.g. gnomAD_AF) or "1000 Genomes (bundled)"
    clinvar: str = ""
    scores: dict[str, float] = field(default_factory=dict)  # CADD, REVEL, SpliceAI, BayesDel, dbscSNV, SIFT, PolyPhen when annotated
    criteria: tuple[AcmgCriterion, ...] = ()
    pathogenicity: float = 0.0  # 0..1 used by gene ranking
    filter: str = "PASS"
    quality: float | None = None
    record_line: int | None = None  # 1-based data line in the VCF (traceability)
    sample: str = ""
    de_novo: bool | None = None
    call: str = ""  # the sample's GT as written in the VCF, e.g. 0/1, 1|0, 1
    # why the parents' calls leave the origin open: a Mendelian inconsistency, or a de novo call resting on weak
    # parental calls (low depth or quality, reads with the allele)
    origin_note: str = ""
    # "from the mother", ... when the parents' calls tell it (a trio); "one copy at least from the mother; father not
    # sequenced" for a homozygous call with one parent's call missing
    inherited_from: str = ""
    # a mitochondrial call's fraction of reads with the allele (the caller's AF or VAF, else from AD): its heteroplasmy
    allele_fraction: float | None = None

    @property
    def clinvar_text(self) -> str:
        """ClinVar's significance as shown: a mix of classes says it is conflicting; '/' spaced so it can wrap."""
        from .genomics.annotation import clinvar_class

        if not self.clinvar:
            return ""
        shown = self.clinvar.replace("/", " / ")
        return f"conflicting: {shown}" if clinvar_class(self.clinvar) == "conflicting" and "conflicting" not in shown \
            else shown

    @property
    def change(self) -> str:
        """REF>ALT ("T>G"); a symbolic allele by itself ("<DEL>"): its REF base says nothing. A long allele is
        named by its ends and length (shown_alleles)."""
        return self.alt if self.alt.startswith("<") else shown_alleles(f"{self.ref}>{self.alt}")

    @property
    def where(self) -> str:
        """The variant as the GUI, the report and the evidence text name it: "10:123256215 T>G" (chromosome as the
        VCF names it)."""
        return f"{self.chrom}:{self.pos} {self.change}"

    @property
    def origin_text(self) -> str:
        """Where the allele came from, as far as the parents' calls tell: "de novo", or why it stays open."""
        return "de novo" if self.de_novo else self.inherited_from or self.origin_note

    @property
    def genotype_with_origin(self) -> str:
        """The genotype in words with its origin when the parents' calls tell one: "heterozygous (de novo)"."""
        return self.genotype_text + (f" ({self.origin_text})" if self.origin_text else "")

    @property
    def genotype_text(self) -> str:
        """The genotype in words (het -> heterozygous), as the GUI, the report and the evidence text show it; a
        mitochondrial call with its level ("heteroplasmic at 35%")."""
        words = GENOTYPE_WORDS.get(self.genotype, self.genotype.replace("_", " "))
        return words if self.allele_fraction is None else f"{words} at {self.allele_fraction:.0%}"

    @property
    def population_af_text(self) -> str:
        """The frequency as shown: "absent" only when the file has population frequencies and this variant is not
        in them (PM2); "no data" when the file has none (an unannotated VCF says nothing about rarity)."""
        if self.population_af is not None:
            bundled = " (1000 Genomes)" if self.population_af_source.endswith("(bundled)") else ""
            return f"{self.population_af:.2g}{bundled}"
        return "absent" if any(c.code == "PM2" and c.value == "absent" for c in self.criteria) else "no data"


@dataclass(frozen=True, slots=True)
class InheritanceFit:
    modes: tuple[str, ...]  # HPO inheritance term labels annotated for the gene's diseases
    genotype_summary: str  # e.g. "2 heterozygous variants (possible compound heterozygote)"
    compatible: bool | None  # None: no genotype data (phenotype-only analysis)
    explanation: str
    # compatible False with a mode that fits in part (one heterozygous variant of a recessive gene, inherited from
    # an unaffected parent, a relative not segregating): its variant evidence reduced, not excluded, as the
    # explanation's "fits only partly" says; False where no mode fits at all
    partly: bool = False

    @property
    def verdict(self) -> str:
        """The fit in one word or two (FIT_WORDS), as the GUI, its preview and the PDF state it."""
        return FIT_WORDS["partly" if self.partly and self.compatible is False else self.compatible]


@dataclass(frozen=True, slots=True)
class Contribution:
    """How much one evidence group added to (or took from) the hypothesis score."""

    # phenotype match | conflicting evidence | similar published cases | variant evidence | inheritance fit |
    # other candidate variants
    group: str
    value: float


# What each contribution group contains, in the one wording the GUI's tooltips and the PDF's legend use: the disease
# ranker's feature groups (ranking.GROUPS, models/disease_ranker.md) and the gene score's parts
# (inheritance.combine_gene_scores). "prior" (+4 for a Diamond-Blackfan anaemia entry, -1.46 for Kabuki syndrome 1 in
# the demo) was explained nowhere a clinician reads.
# The contribution of an OMIM entry's Orphanet twin (ranking.Ranker.twin_logits): what scoring the disease by
# Orphanet's description of it too adds to its logit (log units, never below 0; only an entry with a twin has it)
TWIN_GROUP = "same disease in Orphanet"
CONTRIBUTION_MEANINGS = {
    "phenotype match": "how well the patient's present features match the annotated ones (their likelihood ratios "
                       "and shared information content, how many are explained and how specifically, how far "
                       "behind the best match); for a gene, its diseases' share of the ranking, conflicts and "
                       "published cases included",
    "conflicting evidence": "excluded features the disease usually has, present features it is annotated not to "
                            "have, an X-linked recessive disease in a female patient, a disease only the other sex "
                            "can have; counts only against",
    "similar published cases": "how closely the patient resembles the published patients with this diagnosis in the "
                               "case library (the most similar, the three most similar, how far behind the best "
                               "match) and how many there are; 0 without any",
    "prior": "what the entry carries before any of this patient's features: how many features HPO annotates for it, "
             "whether it is known from published cases only, and whether it is a DECIPHER entry or an Orphanet "
             "entry of a disease or gene an OMIM entry also describes (held down: published diagnoses use OMIM IDs)",
    TWIN_GROUP: "what Orphanet's description of the same disease adds (its Orphanet entry, an exact match in Mondo, "
                "scored against the patient as any disease; HPO annotates the two from different sources, and a "
                "patient who fits either fits the disease); 0 where it explains the patient no better",
    "variant evidence": "the best candidate variant's pathogenicity (0-1), weighted; for a disease, that of its best "
                        "gene, after the gene's inheritance fit",
    # a de novo variant of a dominant gene raises it (DE_NOVO_BONUS): "0 when compatible" beside a +1.40 misread
    "inheritance fit": "what the fit of the genotype to the modes of inheritance of the gene's diseases adds to or "
                       "takes from the variant evidence: more for a de novo variant in a dominant gene, less for a "
                       "fit only in part or none; 0 for any other compatible genotype",
    "other candidate variants": "taken off for several candidate variants in one gene: the more a gene carries, the "
                                "likelier one looks damaging by chance",
}

# An inheritance fit's verdict (InheritanceFit.compatible), in the one wording the GUI, its preview and the PDF use.
# A partial fit is "partly compatible": "not compatible" beside its explanation's "fits only partly" (a dominant
# variant from an unaffected parent) read as a contradiction, and as an exclusion the score does not make.
FIT_WORDS = {True: "compatible", "partly": "partly compatible", False: "not compatible", None: "not assessed"}
SEX_WORDS = {"FEMALE": ("female", "females"), "MALE": ("male", "males")}  # a sex in words: one, several

# Self-check levels, most serious first, in the one wording the GUI, the PDF and the command line use.
FLAG_WORDS = {"warning": "Warning", "caution": "Caution", "info": "Note"}


@dataclass(frozen=True, slots=True)
class Flag:
    """A self-check of the hypothesis, in words a clinician reads."""

    level: Literal["info", "caution", "warning"]
    code: str
    message: str


def names_text(names: Iterable[str], limit: int = 3) -> str:
    """Names in a sentence, each once: "A, B, C and 2 more" (never the first few as if they were all)."""
    unique = list(dict.fromkeys(names))
    more = len(unique) - limit
    return ", ".join(unique[:limit]) + (f" and {more} more" if more > 0 else "")


@dataclass(frozen=True, slots=True)
class Hypothesis:
    kind: Literal["disease", "gene"]
    id: str  # OMIM:…/ORPHA:…/DECIPHER:… or a gene symbol
    label: str
    rank: int
    score: float  # 0..1, comparable within one analysis
    source: str = "hpoa"  # hpoa (curated annotations) | case_library (published cases only)
    genes: tuple[str, ...] = ()
    diseases: tuple[tuple[str, str], ...] = ()  # (id, label) for a gene hypothesis
    inheritance_modes: tuple[str, ...] = ()
    clinical_course: tuple[ClinicalCourse, ...] = ()  # onset, progression, mortality (curated HPO annotations)
    matched: tuple[FeatureMatch, ...] = ()
    unexplained: tuple[FeatureMatch, ...] = ()
    conflicts: tuple[ExcludedConflict, ...] = ()
    negated: tuple[NegatedConflict, ...] = ()  # present features the disease is annotated not to have
    suggested: tuple[SuggestedFeature, ...] = ()
    similar_cases: tuple[SimilarCase, ...] = ()
    inheritance: InheritanceFit | None = None
    variants: tuple[VariantEvidence, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    flags: tuple[Flag, ...] = ()
    published_cases: int = 0  # published patients with this diagnosis in the case library, for this analysis
    published_papers: int = 0  # ... and the publications they come from

    def genes_text(self, limit: int = 3) -> str:
        """The genes in a table cell or a line: "A, B, C and 2 more" (never the first few as if they were all)."""
        return names_text(self.genes, limit)

    def flag_counts(self) -> list[tuple[str, int]]:
        """(level, how many) of the self-check flags, most serious first; levels it has none of left out."""
        counts = [(level, sum(1 for f in self.flags if f.level == level)) for level in FLAG_WORDS]
        return [(level, n) for level, n in counts if n]

    def published_summary(self) -> str:
        """The published patients in one sentence, as GUI, PDF and JSON say it: "12 published patients with this
        diagnosis (5 publications); the 3 most similar ... share 6, 5 and 4 of this patient's features". A gene
        hypothesis names the disease its evidence comes from."""
        if not self.published_cases:
            return ""
        n, p = self.published_cases, self.published_papers
        what = f"with {self.diseases[0][1]}" if self.kind == "gene" and self.diseases else "with this diagnosis"
        text = f"{n} published patient{'s' if n != 1 else ''} {what} ({p} publication{'s' if p != 1 else ''})"
        shared = [len(s.shared_terms) for s in self.similar_cases]
        if not shared:
            return text
        if not any(shared):
            most = "the most similar shares" if len(shared) == 1 else "the most similar share"
            return f"{text}; {most} none of this patient's features exactly, only related ones"
        counts = ", ".join(str(k) for k in shared[:-1]) + (" and " if len(shared) > 1 else "") + str(shared[-1])
        # similarity weighs rarer features more: the most similar need not share the most features
        most = ("the most similar shares" if len(shared) == 1 else
                f"the {len(shared)} most similar (rarer shared features count more) share")
        return f"{text}; {most} {counts} of this patient's features"

    def course_summary(self) -> str:
        """The disease's annotated clinical course with its sources written as every annotation's are
        (`source_text`), as GUI, PDF and JSON say it: "Infantile onset [OMIM:147920 (TAS)]; Congenital onset
        [PMID:1, PMID:2, PMID:3 +3 (PCS)]". A few sources per class: with all of them (up to 16 for one class) the
        onset classes were lost among the PMIDs; `clinical_course` (JSON) and the PDF's references list them all."""
        return "; ".join(f"{c.label} [{source_text(c.references, c.evidence, REFERENCES_SHOWN) or ', '.join(c.evidence)}]"
                         if c.references or c.evidence else c.label for c in self.clinical_course)  # fmt: skip

    def summary_json(self) -> dict[str, Any]:
        if self.kind == "gene":
            return {"symbol": self.id, "score": score_value(self.score)}
        return {"id": self.id, "label": self.label, "score": score_value(self.score)}

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["score"] = score_value(self.score)  # as in the batch lines, so both outputs agree to the digit
        out["contributions"] = [{"group": c.group, "value": round(c.value, 4)} for c in self.contributions]
        out["published_summary"] = self.published_summary()
        out["course_summary"] = self.course_summary()
        for part in ("matched", "conflicts", "suggested"):  # the frequency in words, as the PDF and GUI show it
            for item in out[part]:
                item["frequency_shown"] = frequency_words(item["frequency"], item["frequency_text"])
        if self.kind == "gene":
            out["symbol"] = self.id
        return out


@dataclass(frozen=True, slots=True)
class FamilyMember:
    """An individual of the patient's family in the PED whose genotypes were read with the patient's."""

    sample: str
    # patient | father | mother | sibling | paternal/maternal half-sibling | child | a kinship the PED names
    # (Pedigree.kinship: "maternal grandmother", "paternal first cousin" ...) | relative | partner (a consanguineous
    # one "partner, also paternal first cousin") | relative by marriage
    role: str
    sex: str | None  # MALE | FEMALE | None (not given)
    affected: bool | None  # None: status unknown in the PED (0 or -9)

    def text(self) -> str:
        """'father dad (unaffected)', as the PDF, the preview and the command line list the family."""
        status = {True: "affected", False: "unaffected", None: "status unknown"}[self.affected]
        return f"{self.role} {self.sample} ({status})"


# A warning's severity, most serious first, in the one order the GUI's banner, the PDF and the JSON use:
# "attention" questions the reading of the case (a contradiction in its features, a sample or sex that may be wrong),
# "note" is a partial problem of the input (records skipped, an unknown ID, an old HPO release).
WARNING_SEVERITIES = ("attention", "note")


class AnalysisWarning(str):
    """A warning of the analysis in words, with its severity. It is the string it says wherever a warning is read as
    one (standard error, `warnings` in the JSON, comparisons, sets), so code and outputs written for plain strings
    read it unchanged; a plain string is a "note"."""

    severity: str

    def __new__(cls, message: str, severity: str = "note") -> AnalysisWarning:
        if severity not in WARNING_SEVERITIES:
            raise ValueError(f"unknown warning severity {severity!r} (one of {', '.join(WARNING_SEVERITIES)})")
        warning = super().__new__(cls, message)
        warning.severity = severity
        return warning

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]  # copies and pickles keep the severity
        return str(self), self.severity


def attention(message: str) -> AnalysisWarning:
    """A warning that questions the reading of the case: said before the others."""
    return AnalysisWarning(message, "attention")


def warning_severity(warning: str) -> str:
    """The warning's severity ("note" for a plain string)."""
    return getattr(warning, "severity", "note")


def most_serious_first(warnings: Iterable[str]) -> list[str]:
    """The warnings by severity, each severity in the order found (the case's, the VCF's, then the release's)."""
    return sorted(warnings, key=lambda w: WARNING_SEVERITIES.index(warning_severity(w)))


# The word said before a warning that questions the reading of the case, wherever one is listed (the GUI's banner, the
# report preview, the PDF): it marks it in words, not by colour alone, and alike in each.
CHECK_WORD = "Check:"


def needs_checking(warning: str) -> bool:
    """Whether the warning questions the reading of the case (severity "attention"): marked with CHECK_WORD."""
    return warning_severity(warning) == "attention"


def warnings_json(warnings: Iterable[str]) -> list[dict[str, str]]:
    """`warning_details` in the JSON: `{"severity", "message"}`, most serious first."""
    return [{"severity": warning_severity(w), "message": str(w)} for w in most_serious_first(warnings)]


@dataclass(frozen=True, slots=True)
class VcfSummary:
    path: str
    sha256: str
    assembly: str
    sample: str
    records: int
    variants_kept: int
    warnings: tuple[str, ...] = ()
    # the PED the family was read with ("" without) and its members read from the VCF, the patient first: the
    # evidence of de novo calls, phase, PS2/PM6, PP1/BS4 rests on them and their affection status
    ped: str = ""
    family: tuple[FamilyMember, ...] = ()
    # a trio's parentage check ("parentage consistent: 1 Mendelian inconsistency at 20,000 well-called sites
    # (0.01%)"), '' without both parents' calls: every origin read from the parents (inherited, in trans) rests on it,
    # and it was said only in a de novo call's PS2 or PM6, or as a warning where it failed
    parentage: str = ""

    def family_text(self) -> str:
        """'patient kid (affected); father dad (unaffected); ...', '' without a PED."""
        return "; ".join(m.text() for m in self.family)


# The evidence sections' headings, one wording for the GUI, the preview and the PDF.
UNEXPLAINED_HEADING = "Not explained by this diagnosis"
CONFLICTS_HEADING = "Conflicts: excluded in the patient, annotated in the disease"
NEGATED_HEADING = "Conflicts: present in the patient, annotated as absent in the disease"
# (most frequent first; a feature annotated without a frequency, taken as 50%, is among them and says "not stated")
SUGGESTED_HEADING = "To examine next: features of the disease not recorded for the patient"
# The report's headings, the PDF's and its preview's alike (each with a count or the number shown)
PRESENT_HEADING = "Features present in the patient"
EXCLUDED_HEADING = "Features excluded in the patient"
DIFFERENTIAL_HEADING = "Ranked differential: top {n} diagnoses"
CANDIDATE_GENES_HEADING = "Candidate genes: top {n}"

# The names of AnalysisResult.versions' keys as the GUI and the PDF print them (the PDF printed the keys themselves:
# "hpo release", "device note")
VERSION_NAMES = {
    "raretrace": "RareTrace",
    "hpo_release": "HPO release",
    "case_library": "Case library",
    "disease_ranker": "Disease ranking model",
    "device": "Device",
    "device_note": "Device note",
}


def version_name(key: str) -> str:
    """A versions key in words: 'HPO release' for hpo_release; a key without a name, its words capitalised."""
    return VERSION_NAMES.get(key, key.replace("_", " ").capitalize())


# HPO's evidence codes of an annotation (phenotype.hpoa), as a clinician reads them
EVIDENCE_CODES = {
    "PCS": "published clinical study",
    "TAS": "traceable author statement (OMIM, Orphanet)",
    "IEA": "inferred from electronic annotation",
}


# Sources named per row of an evidence table (matched, conflicting, to examine next) and per onset, progression or
# mortality class of the course line, then "+N": a feature annotated by 11 publications buried the table's other
# columns. The PDF's "References cited for this hypothesis" and the JSON list every one.
REFERENCES_SHOWN = 3


def source_text(references: tuple[str, ...], evidence: tuple[str, ...] = (), limit: int | None = None) -> str:
    """An annotation's sources as shown everywhere: "PMID:1, PMID:2 (PCS)"; `limit` shortens the list ("+4")."""
    shown = list(references if limit is None else references[:limit])
    text = ", ".join(shown) + (f" +{len(references) - limit}" if limit is not None and len(references) > limit else "")
    return f"{text} ({', '.join(evidence)})" if evidence and text else text


def sources_shown(item: FeatureMatch | ExcludedConflict | NegatedConflict | SuggestedFeature) -> str:
    """An evidence row's sources as the GUI and the PDF show them alike: the first REFERENCES_SHOWN, "+N" for the
    others, then the evidence codes ("PMID:1, PMID:2, PMID:3 +8 (PCS)"); "" without any."""
    return source_text(item.references, getattr(item, "evidence", ()), REFERENCES_SHOWN)


# HPO's frequency terms as HPO defines them: a range, never the single value the ranking computes with
FREQUENCY_WORDS = {
    "HP:0040280": "obligate (100%)",
    "HP:0040281": "very frequent (80-99%)",
    "HP:0040282": "frequent (30-79%)",
    "HP:0040283": "occasional (5-29%)",
    "HP:0040284": "very rare (1-4%)",
    "HP:0040285": "excluded (0%)",
}
NOT_STATED = "not stated"  # an annotation without a frequency (the ranking assumes 50%)


def frequency_words(frequency: float | None, text: str) -> str:
    """An annotated frequency as shown everywhere: '20/20 (100%)', 'occasional (5-29%)', or 'not stated'."""
    if text in FREQUENCY_WORDS:
        return FREQUENCY_WORDS[text]
    if frequency is None or text == NOT_STATED:  # no percentage for what nobody annotated
        return text or NOT_STATED
    pct = f"{100 * frequency:.0f}%"
    if pct in ("0%", "100%") and 0 < frequency < 1:  # 2/470 is not "0%" (excluded), 199/200 not "100%" (obligate)
        pct = "<1%" if frequency < 0.5 else ">99%"
    return f"{text} ({pct})" if text and text != pct else pct


def score_value(score: float) -> float:
    """A posterior in the JSON: 6 significant digits (6 decimals would make the long tail 0.0 and tie it)."""
    return float(f"{score:.6g}")


def score_text(score: float) -> str:
    """A posterior as shown to clinicians (GUI, PDF, HTML, terminal): three decimals, "<0.001" below that rather
    than a column of 0.000 that reads as ties."""
    return "<0.001" if 0 < score < 0.0005 else f"{score:.3f}"


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    case_id: str
    present: tuple[tuple[str, str], ...]  # (id, label) of the patient's present features as analysed
    excluded: tuple[tuple[str, str], ...]
    sex: str | None  # as analysed: the case's, else the PED file's (sex_source)
    age: str | None
    diseases: tuple[Hypothesis, ...]
    genes: tuple[Hypothesis, ...]
    device: str
    versions: dict[str, str]
    warnings: tuple[str, ...] = ()
    vcf: VcfSummary | None = None
    seconds: float = 0.0
    # (ID as entered, current ID) of the patient's features entered with an alternative or obsolete ID
    replaced: tuple[tuple[str, str], ...] = ()
    # (ID, label, ID of the more specific present feature that implies it) of each present feature entered but not
    # analysed for that reason (an ancestor adds nothing); current IDs
    covered: tuple[tuple[str, str, str], ...] = ()
    sex_source: str = ""  # case | PED file (the case gives none) | "" (no sex)
    # (present feature ID as analysed, its onset as recorded: ISO 8601 age or HPO onset term), where one is recorded;
    # the report's inputs table and the JSON's `present` show the same onsets
    onsets: tuple[tuple[str, str], ...] = ()

    @property
    def sex_source_text(self) -> str:
        """' (from the PED file)' after the sex where the case gave none and the analysis read the PED's, as the GUI
        and the PDF show it; '' otherwise."""
        return " (from the PED file)" if self.sex_source == "PED file" else ""

    @property
    def sex_text(self) -> str:
        """The sex analysed in words, with where it came from, as the GUI's preview and the PDF print it: "female
        (from the PED file)", "unknown" (recorded as unknown), "not recorded" (none given)."""
        return sex_words(self.sex) + self.sex_source_text

    def batch_json(self) -> dict[str, Any]:
        """The `raretrace batch` line of CLI.md, with the case's warnings (a batch's stderr shows only the first 20)."""
        return {
            "id": self.case_id,
            "diseases": [h.summary_json() for h in self.diseases],
            "genes": [h.summary_json() for h in self.genes],
            "device": self.device,
            "seconds": round(self.seconds, 4),
            "warnings": list(self.warnings),
            "warning_details": warnings_json(self.warnings),
        }

    def to_json(self) -> dict[str, Any]:
        """`raretrace analyze --json`: the batch shape plus evidence, inputs and versions."""
        out = self.batch_json()
        out["diseases"] = [h.to_json() for h in self.diseases]
        out["genes"] = [h.to_json() for h in self.genes]
        onsets = dict(self.onsets)
        out["present"] = [{"id": i, "label": lbl} | ({"onset": onsets[i]} if i in onsets else {})
                          for i, lbl in self.present]
        out["excluded"] = [{"id": i, "label": lbl} for i, lbl in self.excluded]
        out["sex"] = self.sex
        out["sex_source"] = self.sex_source
        out["age"] = self.age
        out["versions"] = dict(self.versions)
        out["replaced_terms"] = [{"entered": a, "analysed_as": b} for a, b in self.replaced]
        out["covered_terms"] = [{"id": a, "label": lbl, "covered_by": b} for a, lbl, b in self.covered]
        out["vcf"] = asdict(self.vcf) if self.vcf else None
        return out


def mode_words(label: str) -> str:
    """An HPO mode-of-inheritance label as running text says it, the word "inheritance" dropped: "Autosomal
    dominant inheritance" -> "autosomal dominant", "X-linked recessive inheritance" -> "X-linked recessive",
    "Sporadic" -> "sporadic". The labels name the HPO terms; after "inheritance:" they read "inheritance
    Autosomal dominant inheritance". A table naming the HPO term keeps its label."""
    words = re.sub(r"\s+(mode of )?inheritance\b", "", label.strip(), count=1, flags=re.IGNORECASE)
    words = words or label.strip()
    first = words.split(" ", 1)[0]
    # "X-linked", "Y-linked" and "Mendelian" keep their capital
    if first[1:2].islower() and first != "Mendelian":
        words = words[:1].lower() + words[1:]
    return words


def modes_text(labels: Iterable[str]) -> str:
    """Modes of inheritance in running text: "autosomal dominant, sporadic" ('' without any)."""
    return ", ".join(mode_words(m) for m in labels)


# A match through a shared feature at least this informative (IC, nats) is a specific one: below it, the feature is
# common to many diseases. The self-check's weak-evidence warning and the differential's note use the same bound.
SPECIFIC_MATCH_IC = 3.0


def has_specific_match(h: Hypothesis) -> bool:
    """Whether any of the patient's features matches one of the hypothesis's features specifically."""
    return any(m.ic >= SPECIFIC_MATCH_IC for m in h.matched)


# the statement's lead-in, in bold before it wherever it is shown (PDF, report preview, Results tab)
NO_SPECIFIC_MATCH_HEADING = "No specific match."


def no_specific_match_note(result: AnalysisResult) -> str:
    """The differential's statement when no ranked disease or gene has a specific feature match ('' when one has):
    each row says it for itself, but nothing said the ranking as a whole rests on none, nor what to do about it."""
    hyps = [*result.diseases, *result.genes]
    if not hyps or any(has_specific_match(h) for h in hyps):
        return ""
    said = ("None of the patient's features matches a feature annotated for any ranked diagnosis"
            if not any(h.matched for h in hyps)
            else "No ranked diagnosis matches any of the patient's features specifically (only through features "
                 "common to many diseases, IC below 3)")
    return (f"{said}: the ranking rests on no specific feature match, and its order says little about the patient. "
            "Record more specific findings (the patient's most distinctive features as specific HPO terms, and "
            "features examined and found absent), then analyse again.")


# "most patients have it" needs a frequency resting on more than one or two reported patients; the "frequent" band
# (HP:0040282) spans 30-79%: no claim about half of the patients
def several_patients(frequency_text: str) -> bool:
    """False for an annotated frequency counted on fewer than 3 patients ("1/1", "2/2 published cases")."""
    m = re.match(r"\s*\d+\s*/\s*(\d+)", frequency_text or "")
    return m is None or int(m.group(1)) >= 3


def frequent_conflicts(conflicts: Iterable[ExcludedConflict]) -> list[ExcludedConflict]:
    """The conflicts whose disease feature at least half of the disease's patients have, the most frequent first:
    those the self-check warns of, among all the excluded features the disease is annotated with."""
    strong = [c for c in conflicts if (c.frequency or 0) >= 0.5
              and c.frequency_text not in (NOT_STATED, "HP:0040282") and several_patients(c.frequency_text)]  # fmt: skip
    return sorted(strong, key=lambda c: -(c.frequency or 0))


def conflicts_summary(h: Hypothesis) -> str:
    """What the conflicts' count counts, and how many of them the self-check's warning names: "8 excluded features
    the disease is annotated with; 3 of them in at least half of its patients: A, B, C." ('' without conflicts).
    The heading's count and the warning's few names read as if they disagreed."""
    n = len({c.patient_term for c in h.conflicts})
    if not n:
        return ""
    annotated = "the disease is" if h.kind == "disease" else "this gene's disease is"
    strong = frequent_conflicts(h.conflicts)
    k = len({c.patient_term for c in strong})
    features = "excluded feature" if n == 1 else "excluded features"
    said = f"{n} {features} {annotated} annotated with"
    if not k:
        return f"{said}; none of {'it' if n == 1 else 'them'} in at least half of its patients (no warning)."
    which = ("it" if n == 1 else f"all {n}" if k == n else f"{k} of them")
    return f"{said}; {which} in at least half of its patients: {names_text(c.patient_label for c in strong)}."
