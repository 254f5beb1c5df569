"""Modes of inheritance: do the patient's genotypes in a gene fit how its diseases are inherited?

The modes come from HPO (the `inheritance` of each disease, joined to genes via gene_diseases). Per gene and mode,
the genotypes give a variant score 0..1 (Exomiser's convention): autosomal dominant takes the best variant,
autosomal recessive a homozygous variant or the mean of the two best heterozygous ones (not if shown in cis),
X-linked recessive a hemizygous variant in a male, mitochondrial any mitochondrial variant. Configurations that
only partly fit (one heterozygous variant in a recessive gene, inherited from an unaffected parent, not segregating
with the disease in the genotyped relatives of a PED) keep a reduced score and are reported as partly compatible.

`combine_gene_scores` then joins the phenotype score of each gene with its variant evidence: a logistic model in
the style of Exomiser's, whose weights were tuned on simulated exomes (models/simulate_exomes.py).
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from .evidence import SEX_WORDS, Contribution, InheritanceFit
from .kb import disease_inheritance, kb_identity
from .loaded import kept_out_of_collections

if TYPE_CHECKING:
    from .genomics.load import GeneVariants, GenomicsResult
    from .library import LibraryCase

MODES = ("AD", "AR", "XD", "XR", "MT", "YL")
MODE_LABELS = {
    "AD": "Autosomal dominant inheritance",
    "AR": "Autosomal recessive inheritance",
    "XD": "X-linked dominant inheritance",
    "XR": "X-linked recessive inheritance",
    "MT": "Mitochondrial inheritance",
    "YL": "Y-linked inheritance",
}
# HPO mode-of-inheritance terms (and their descendants) -> modes. Qualifiers that imply a single variant suffices
# (sporadic, de novo, somatic mosaicism, imprinting, contiguous gene deletion) count as dominant.
_MODE_ROOTS = {
    "HP:0000006": {"AD"},
    "HP:0000007": {"AR"},
    "HP:0001419": {"XR"},
    "HP:0001423": {"XD"},
    "HP:0001417": {"XR", "XD"},
    "HP:0001427": {"MT"},
    "HP:0001450": {"YL"},
    "HP:0032113": {"AD", "AR"},  # semidominant
    "HP:0003745": {"AD"},  # sporadic
    "HP:0025352": {"AD"},  # typically de novo
    "HP:0001442": {"AD"},  # somatic mosaicism
    "HP:0001466": {"AD"},  # contiguous gene syndrome
    "HP:0034338": {"AD"},  # imprinting
}

# How much of the variant score survives when genotypes only partly fit a mode.
SINGLE_HET_RECESSIVE = 0.35  # a second hit may be missed (CNV, deep intronic, not captured)
UNAFFECTED_CARRIER = 0.5  # inherited from an unaffected parent: reduced penetrance is possible
MALE_HET_X = 0.7  # heterozygous call on a male X: mosaic or a calling artefact
FEMALE_HET_XR = 0.5  # manifesting heterozygote (skewed X inactivation)
DE_NOVO_BONUS = 0.1  # PS2: a de novo variant in a dominant gene
# A homozygous variant in a dominant gene: pathogenic ones are heterozygous, common polymorphisms often homozygous
# (tuned on simulated exomes: recall@5 0.755 -> 0.767 held out; a like factor for two heterozygous variants of
# unknown phase did not help).
DOMINANT_HOMOZYGOUS_FACTOR = 0.8

# Combination (Bayes): phenotype posterior of the gene x likelihood ratio of its genotypes, exp(weight x variant
# score). PHENOTYPE_FLOOR keeps genes the phenotype model barely ranks in play when their variants are strong.
# Tuned on simulated exomes of one publication fold, reported on another (models/tune_genomics.py,
# models/gene_ranking.md): weight 14 (10 before the candidate count below), floor 1e-5, single recessive
# heterozygote 0.35, no fitting mode 0.1.
VARIANT_WEIGHT = 14.0
PHENOTYPE_FLOOR = 1e-5
# Variant score kept when no annotated mode fits, and when every disease of the gene is one only the other sex can
# have (sex-limited inheritance: HTR1A's menstrual cycle-dependent periodic fever cannot be a man's disease, however
# damaging his variant looks).
INCOMPATIBLE_FACTOR = 0.1
# A gene is scored by its best variant, and the more candidate variants a gene carries (a long or variable gene, a
# paralogue's mismapped reads), the likelier one of them looks damaging by chance. Averaging the evidence over the
# gene's candidates instead (the Bayes factor of "one of these n variants is causal") takes log n off; the grid on
# the tuning fold preferred 1.5 log n (flat from 1.5 to 3), with the variant weight 14 instead of 10
# (models/gene_ranking.md). Candidates: protein-altering strength or more (missense priors 0.6-0.64 and up), a
# threshold in a gap of the unannotated priors (0.55-0.59 below, 0.63-0.64 above).
CANDIDATE_PATHOGENICITY = 0.6
CANDIDATE_COUNT_WEIGHT = 1.5


@dataclass(frozen=True, slots=True)
class GeneFit:
    fit: InheritanceFit
    score: float  # variant score under the best fitting mode (partial fits reduced)
    raw: float  # best variant pathogenicity, inheritance ignored
    mode: str | None


_modes_cache: dict[str, Any] = {}
_lock = threading.Lock()


def _kb_key(db: sqlite3.Connection) -> str:
    return kb_identity(db) or str(id(db))  # (a KB rebuilt in place has modes of its own)


def term_modes(db: sqlite3.Connection) -> dict[str, set[str]]:
    """HPO inheritance term -> modes (AD, AR, XD, XR, MT, YL); loaded once per KB."""
    key = "terms:" + _kb_key(db)
    with _lock:
        found = _modes_cache.get(key)
        if found is not None:
            return found
        # Each term takes the modes of its nearest mapped ancestor (X-linked recessive is not also dominant).
        nearest: dict[str, tuple[int, set[str]]] = {}
        for term, ancestor, distance in db.execute(
            "SELECT a.term_id, a.ancestor_id, a.distance FROM ancestors a JOIN terms t ON t.id = a.term_id "
            "WHERE t.branch = 'inheritance'"
        ):
            modes = _MODE_ROOTS.get(ancestor)
            if not modes:
                continue
            found = nearest.get(term)
            if found is None or distance < found[0]:
                nearest[term] = (distance, set(modes))
            elif distance == found[0]:
                found[1].update(modes)
        out = kept_out_of_collections({term: modes for term, (_d, modes) in nearest.items()})
        _modes_cache[key] = out
        return out


def gene_modes(db: sqlite3.Connection) -> dict[str, set[str]]:
    """Gene symbol -> modes (AD, AR, XD, XR, MT, YL) of its diseases: annotated in HPO, and those the names of its
    diseases without an annotated mode state (`modes_named_only`); loaded once per KB."""
    return _gene_modes(db)[0]


def modes_named_only(db: sqlite3.Connection) -> dict[str, dict[str, tuple[str, ...]]]:
    """Gene symbol -> {mode: the diseases ("ORPHA:730 Autosomal dominant ...") whose names state it} for the modes
    a gene has only from disease names (Orphanet's "Autosomal dominant polycystic kidney disease" for IFT140), so the
    evidence can say where they come from."""
    return _gene_modes(db)[1]


def _gene_modes(db: sqlite3.Connection) -> tuple[dict[str, set[str]], dict[str, dict[str, tuple[str, ...]]]]:
    by_term = term_modes(db)
    key = "genes:" + _kb_key(db)
    with _lock:
        found = _modes_cache.get(key)
        if found is not None:
            return found
        out: dict[str, set[str]] = {}
        named: dict[str, dict[str, list[str]]] = {}
        for symbol, disease, label, inheritance in db.execute(
            "SELECT gd.gene_symbol, d.id, d.label, d.inheritance FROM gene_diseases gd "
            "JOIN diseases d ON d.id = gd.disease_id ORDER BY gd.gene_symbol, d.id"
        ):
            annotated = inheritance not in (None, "", "[]")
            modes = out.setdefault(symbol, set())
            for term in disease_inheritance(label, inheritance):
                for mode in by_term.get(term, ()):
                    if annotated:
                        modes.add(mode)
                    else:
                        named.setdefault(symbol, {}).setdefault(mode, []).append(f"{disease} {label.strip()}")
        only: dict[str, dict[str, tuple[str, ...]]] = {}
        for symbol, by_mode in named.items():
            own = out[symbol]
            for mode, diseases in by_mode.items():
                # a name's bare "X-linked" (either) says less than the gene's annotated X-linked recessive or dominant
                if mode not in own and not (mode in ("XR", "XD") and own & {"XR", "XD"}):
                    only.setdefault(symbol, {})[mode] = tuple(diseases)
        for symbol, by_mode in only.items():
            out[symbol].update(by_mode)
        _modes_cache[key] = kept_out_of_collections((out, only))
        return out, only


# A mode that published patients of a gene show and HPO does not annotate for it yet (a recessive gene's
# heterozygous cases reported as a dominant disease, before curation catches up): patients of at least
# PUBLISHED_MODE_MIN_PAPERS publications with the gene as the only causal one. Fold 1 of the simulated exomes: gene
# recall@1 0.698 -> 0.703 (one publication enough: 0.704, but 21 genes changed instead of 4); fold 0 unchanged.
PUBLISHED_MODE_MIN_PAPERS = 2


def published_modes(library: Sequence[LibraryCase], modes: dict[str, set[str]], *, by: str = "gene"
                    ) -> dict[str, dict[str, list[str]]]:
    """Gene (or, with by="disease", diagnosis ID) -> {AD or AR: the PMIDs of its published patients showing it} for
    modes its own lack. Allelic states are read as for case-derived diseases: homozygous or two variants recessive,
    one heterozygous variant dominant; patients with one causal gene only. Those with no mode at all (any fits) and
    X-linked, mitochondrial or Y-linked ones are left as they are."""
    found: dict[str, dict[str, list[str]]] = {}
    for case in library:
        mode = _published_mode(case)
        if mode is None:
            continue
        key = case.genes[0] if by == "gene" else case.disease_id
        own = modes.get(key)
        if not own or mode in own or own & {"XR", "XD", "MT", "YL"}:
            continue
        found.setdefault(key, {}).setdefault(mode, []).append(case.pmid)
    return {key: kept for key, by_mode in found.items()
            if (kept := {m: pmids for m, pmids in by_mode.items() if len(set(pmids)) >= PUBLISHED_MODE_MIN_PAPERS})}


def modes_of_unannotated_genes(library: Sequence[LibraryCase], modes: dict[str, set[str]]
                               ) -> dict[str, dict[str, list[str]]]:
    """Gene -> {AD or AR: PMIDs} for genes with no mode at all (no disease in HPO: known only from published
    cases), read from their published patients' allelic states as in `published_modes`, from one publication on:
    with nothing else to go by, a recessive gene's single heterozygous variant would otherwise fit fully. Five folds
    of simulated exomes (cached harness, 6,454 cases): recall@1 4,556 -> 4,563 cases (fold 0 one fewer, folds
    1, 2 and 4 more)."""
    found: dict[str, dict[str, list[str]]] = {}
    for case in library:
        mode = _published_mode(case)
        if mode is not None and not modes.get(case.genes[0]):
            found.setdefault(case.genes[0], {}).setdefault(mode, []).append(case.pmid)
    return found


def _published_mode(case: LibraryCase) -> str | None:
    """The mode a published patient's allelic states show (homozygous or two variants: AR; one heterozygous: AD);
    None for a patient of several causal genes, no state, or a hemizygous (X-linked) call."""
    states = [s.lower() for s in case.allelic_states]
    if len(case.genes) != 1 or not states or any("hemizygous" in s for s in states):
        return None
    return "AR" if any("homozygous" in s for s in states) or len(states) >= 2 else "AD"


def shown_by(pmids: list[str], whose: str = "published patients") -> str:
    """The evidence's words for a mode that published patients show: "shown by 16 published patients of 2
    publications (PMID:32202185, PMID:33078099), not annotated in HPO"."""
    papers = sorted(set(pmids))
    listed = ", ".join(papers[:4]) + (" ..." if len(papers) > 4 else "")
    return (f"shown by {len(pmids)} {whose} of {len(papers)} publication{'s' if len(papers) > 1 else ''} ({listed}), "
            "not annotated in HPO")


def modes_with_sources(db: sqlite3.Connection, library: Sequence[LibraryCase]
                       ) -> tuple[dict[str, set[str]], dict[str, dict[str, str]]]:
    """Gene modes for an analysis (annotated, named, and shown by the library's published patients) and, per gene,
    where each mode that HPO does not annotate comes from, in words for the evidence."""
    modes = gene_modes(db)
    sources = {symbol: {m: f"stated in the name of {'; '.join(ds)}, for which HPO annotates no mode"
                        for m, ds in by_mode.items()}
               for symbol, by_mode in modes_named_only(db).items()}  # fmt: skip
    published = published_modes(library, modes)
    for symbol, by_mode in modes_of_unannotated_genes(library, modes).items():
        modes[symbol] = set()  # filled below, with the sources, like a mode added to an annotated gene
        published[symbol] = by_mode
    if published:
        modes = {symbol: own | set(published.get(symbol, ())) for symbol, own in modes.items()}
        for symbol, by_mode in published.items():
            for m, pmids in by_mode.items():
                sources.setdefault(symbol, {})[m] = shown_by(pmids)
    return modes, sources


def disease_modes_with_sources(db: sqlite3.Connection, ids: Sequence[str], inheritance: Sequence[Sequence[str]],
                               library: Sequence[LibraryCase]) -> tuple[list[set[str]], dict[int, dict[str, str]]]:
    """Per disease (ids and HPO inheritance terms in the profiles' order) its modes for an analysis, those its own
    published patients show in the library added, and, by position, the words citing those (as modes_with_sources
    does for genes)."""
    by_term = term_modes(db)
    modes = [{m for t in terms for m in by_term.get(t, ())} for terms in inheritance]
    position = {disease_id: d for d, disease_id in enumerate(ids)}
    sources: dict[int, dict[str, str]] = {}
    for disease_id, by_mode in published_modes(library, dict(zip(ids, modes, strict=True)), by="disease").items():
        d = position[disease_id]
        modes[d] = modes[d] | set(by_mode)
        sources[d] = {m: shown_by(pmids, "published patients with this diagnosis") for m, pmids in by_mode.items()}
    return modes, sources


def evaluate_gene(gene: GeneVariants, sex: str | None,
                  affected_parents: dict[str, bool | None] | None = None) -> Evaluation:
    """What a gene's variants allow under every mode of inheritance (evaluated once, read per disease)."""
    return _evaluate(gene.pathogenicities, gene.genotypes, gene.origins, gene.haplotypes, gene.chrom, sex,
                     affected_parents, gene.family, gene.parental)  # fmt: skip


def variant_score_under(evaluated: Evaluation, best_pathogenicity: float, modes: set[str]) -> float:
    """The variant score (0..1) under one disease's modes (all modes when none is annotated; a fraction of the
    best variant when no mode fits), as combine_gene_scores scores a gene under its diseases' modes."""
    mode, score, _ok = _best_mode(evaluated, {m for m in modes if m in MODES})
    return best_pathogenicity * INCOMPATIBLE_FACTOR if mode is None else score


def _location_modes(chrom: str) -> set[str]:
    if chrom == "MT":
        return {"MT"}
    if chrom == "X":
        return {"AD", "AR", "XD", "XR"}
    if chrom == "Y":
        return {"YL", "AD"}
    return {"AD", "AR"}


Evaluation = dict[str, tuple[float, bool, str, tuple[int, ...]]]  # mode -> (score, fits fully, reason, variants)


def mode_scores(
    pathogenicities: Sequence[float],
    genotypes: Sequence[str],
    origins: Sequence[str],
    haplotypes: Sequence[Haplotype | None],
    chrom: str,
    sex: str | None,
    affected_parents: dict[str, bool | None] | None = None,
    family: Family | None = None,
    parental: ParentalPhases | None = None,
) -> dict[str, float]:
    """Variant score per mode for one gene's variants; partial fits reduced (see the constants above). `family`:
    per variant, the relatives' calls (`RelativeCall`) whose segregation the fit weighs; `parental`: pair_phase's."""
    evaluated = _evaluate(pathogenicities, genotypes, origins, haplotypes, chrom, sex, affected_parents, family,
                          parental)  # fmt: skip
    return {m: v[0] for m, v in evaluated.items()}


Haplotype = tuple[object, int]  # (phase set, haplotype 0/1): only calls of one phase set can be compared


# a partner who is also a blood relative, as the family read names them: "partner, also paternal first cousin"
PARTNER_ALSO = "partner, also "


class RelativeCall(NamedTuple):
    """A genotyped relative's call of one of the patient's variants, with the relative's affection status (PED)."""

    id: str
    role: str  # father | mother | the kinship the PED names (sibling, paternal aunt ...) | PARTNER_ALSO + it | relative
    affected: bool
    sex: str | None  # MALE | FEMALE | None
    genotype: str | None  # ref | het | hom_alt | hemizygous (one copy called: a male's X, Y); None: no call
    call: str  # as written in the VCF, e.g. 0/1
    # the patient or sibling whose calls this affected sibling's repeat (an identical twin, or one sample read twice):
    # sharing every allele, carrying the variant is no transmission; '' where none
    twin_of: str = ""

    @property
    def text(self) -> str:
        """'affected paternal aunt II-2 0/1', as the fit and the ACMG values name the genotype that triggered them."""
        return f"{'affected' if self.affected else 'unaffected'} {self.role} {self.id} {self.call}"

    @property
    def kinship(self) -> str:
        """The role by descent alone ('paternal first cousin' of a partner who is one), which the meioses follow."""
        return self.role.removeprefix(PARTNER_ALSO)


Family = Sequence[Sequence[RelativeCall]]  # per variant of a gene: its relatives' calls of it

_CARRIES = ("het", "hom_alt", "hemizygous")
_TWO_COPIES = ("hom_alt", "hemizygous")  # a recessive genotype on one variant (hemizygous: a male's one X)


def needed_genotype(mode: str, genotypes: Sequence[str | None], sex: str | None) -> bool | None:
    """Whether a relative has the genotype the disease needs under `mode`, from their calls of the variants the
    patient's fit uses (one, or the two of a compound heterozygote); None when a call is missing or the relative's
    sex leaves it open."""
    if any(g is None for g in genotypes):
        return None
    if mode in ("AD", "XD"):
        return any(g in _CARRIES for g in genotypes)
    if mode == "XR" and sex == "MALE":
        return any(g in _CARRIES for g in genotypes)
    if len(genotypes) == 2:  # a compound heterozygote's two alleles (phase unknown in the relative: both carried)
        return all(g in _CARRIES for g in genotypes)
    if mode == "XR" and sex is None and genotypes[0] == "het":
        return None  # a male's artefact or a carrier female's call
    return genotypes[0] in _TWO_COPIES


def one_of_pair(calls: Sequence[RelativeCall]) -> bool:
    """Whether a parent's or child's calls of a compound heterozygote's two variants in trans show one and not the
    other, as they must: they share one of the patient's two chromosomes, so whether they are affected rests on a
    variant of theirs the patient lacks (the other parent's, for a child), not on the pair."""
    if len(calls) != 2 or calls[0].kinship not in ("father", "mother", "child") or None in (c.genotype for c in calls):
        return False
    return (calls[0].genotype in _CARRIES) != (calls[1].genotype in _CARRIES)


def informative_relatives(mode: str, relatives: Iterable[Sequence[RelativeCall]]
                          ) -> Iterator[tuple[Sequence[RelativeCall], bool]]:  # fmt: skip
    """(a relative's calls of the variants a fit uses, whether they have the genotype `mode` needs) for each
    relative whose calls tell of segregation: not where a call is missing or the sex leaves it open, nor for a
    heterozygous female under X-linked recessive inheritance (a carrier, or a manifesting heterozygote), nor for a
    parent or child with one of a pair under autosomal recessive inheritance (`one_of_pair`). The fit's
    `segregation` and ACMG's PP1/BS4 (interpret.segregation_criteria) read the relatives alike through it."""
    for calls in relatives:
        relative = calls[0]
        if mode == "AR" and one_of_pair(calls):
            continue
        has = needed_genotype(mode, [c.genotype for c in calls], relative.sex)
        if has is None:
            continue
        if mode == "XR" and relative.sex == "FEMALE" and not has and any(c.genotype == "het" for c in calls):
            continue
        yield calls, has


def segregation(mode: str, family: Family | None, used: Sequence[int]
                ) -> tuple[list[str], list[str], list[str]]:  # fmt: skip
    """(what argues against, what cosegregates, what an affected identical twin shares) in the genotyped relatives
    of known status for the variants `used` under `mode`, one entry per relative naming their calls (`_named`); empty
    lists where none tells. Lists, not joined words: a sample name or role may hold a comma ("Doe, Jane", "partner,
    also ..."), so the fit matches relatives by entry and joins them only in its note. An affected relative without the genotype argues against (a phenocopy is possible), and so does an
    unaffected one with it (reduced penetrance, later onset): a caution of a partial fit, as an unaffected parent's
    transmission is, not an exclusion. A heterozygous female unaffected under X-linked recessive inheritance is a
    carrier, and affected, a manifesting one: neither argues. A twin's (RelativeCall.twin_of) carrying the genotype
    is no transmission: named apart, as PP1 counts it none."""
    if not family or not used or mode not in ("AD", "XD", "AR", "XR"):
        return [], [], []
    against: list[str] = []
    shared: list[str] = []
    twins: list[str] = []
    for calls, has in informative_relatives(mode, _each_relative(family, used)):
        relative = calls[0]
        named = _named(calls)
        if has == relative.affected:
            if relative.affected and relative.twin_of:
                twins.append(f"{named}, whose calls repeat {relative.twin_of}'s (an identical twin or the same sample "
                             "twice: no informative meiosis)")
            elif relative.affected:
                shared.append(named)
        else:
            against.append(named)
    return against, shared, twins


def healthy_homozygotes(calls: Iterable[RelativeCall]) -> list[RelativeCall]:
    """The unaffected relatives called with two copies of a variant (ACMG BS2 under autosomal recessive
    inheritance: observed in a healthy adult homozygous for it); a no-call, or a relative of unknown status, tells
    nothing. The fit's segregation and the variant's BS2 (interpret.healthy_homozygote_criteria) read them alike."""
    return [c for c in calls if not c.affected and c.genotype == "hom_alt"]


def _healthy_with_genotype(family: Family | None, used: Sequence[int]) -> list[str]:
    """The relatives `healthy_homozygotes` names for any of the variants `used`, as `segregation` names them (with
    their call of the pair's other variant)."""
    if not family or not used:
        return []
    return [_named(calls) for calls in _each_relative(family, used) if healthy_homozygotes(calls)]


def _each_relative(family: Family, used: Sequence[int]) -> Iterator[list[RelativeCall]]:
    """Per relative, their calls of the variants `used`."""
    return ([family[i][r] for i in used] for r in range(len(family[used[0]])))


def _named(calls: Sequence[RelativeCall]) -> str:
    """A relative with their calls of the variants a fit uses, as the fit's notes name them (and match them: BS2's
    relatives are named where `segregation` does not already)."""
    return calls[0].text if len(calls) == 1 else f"{calls[0].text} and {calls[1].call}"


def phase(a: Haplotype | None, b: Haplotype | None) -> str | None:
    """'cis' or 'trans' when two calls share a phase set, else None (phase unknown)."""
    if a is None or b is None or a[0] != b[0]:
        return None
    return "cis" if a[1] == b[1] else "trans"


class PairReading(NamedTuple):
    """What the parents' calls tell of the phase of a pair of a heterozygous patient's variants
    (family._parental_phases)."""

    relation: str  # 'cis', 'trans', or 'inconsistent' (only by a parent's phase: the parents cannot have passed both)
    # whose own phase of the pair tells it, with the other's calls (family._phased_reading): 'father', 'mother' or
    # 'parents'; None where the calls alone do
    by: str | None = None
    # a trans reading where one parent lacks one of the two and this one ('mother', 'father') has no call of it (a
    # duo, a no-call): trans only if it is theirs, not de novo
    presumed_from: str | None = None


# (i, j), i < j, of a gene's heterozygous variants -> their reading; a pair absent is untold
ParentalPhases = Mapping[tuple[int, int], PairReading]
INCONSISTENT = "inconsistent"  # pair_phase: the parents cannot have passed both (by a parent's phase)


def trans_if(unread: str) -> str:
    """What a trans reading rests on where the parent read lacks one of two variants and `unread` ('mother',
    'father') has no call of it: its being theirs, not de novo (which may lie on either chromosome). PM3, the fit
    and the gene's summary say it in these words."""
    return f"so in trans if it is the {unread}'s, not de novo"


def pair_phase(i: int, j: int, origins: Sequence[str], haplotypes: Sequence[Haplotype | None],
               parental: ParentalPhases | None = None) -> str | None:  # fmt: skip
    """'cis' or 'trans' where the parents' calls (`parental`; without it, the origins: both from one parent or one
    from each) or the calls' own phase tell two variants' phase; None where nothing does. A trans reading that rests
    on an unread parent (presumed_trans) yields to the calls' own phase."""
    own = phase(haplotypes[i], haplotypes[j])
    if parental is None:
        if origins[i] in ("paternal", "maternal") and origins[j] in ("paternal", "maternal"):
            return "cis" if origins[i] == origins[j] else "trans"
        return own
    told = parental.get((min(i, j), max(i, j)))
    if told is None:
        return own
    if told.presumed_from:
        return own or "trans"
    if told.by:  # a parent's read-backed phase: the child's own, disagreeing, undoes it
        return told.relation if told.relation == INCONSISTENT or own in (None, told.relation) else None
    return told.relation


def by_parents_phase(i: int, j: int, parental: ParentalPhases | None) -> str:
    """How a parent's own phase tells a pair's phase, in words ('' where it does not): 'the father's phase puts
    them on one of his chromosomes', or the Mendelian inconsistency it shows."""
    told = (parental or {}).get((min(i, j), max(i, j)))
    if told is None or not told.by:
        return ""
    reading, who = told.relation, f"{told.by}'s phase" if told.by != "parents" else "parents' phase"
    parent, other = {"father": ("father", "mother"), "mother": ("mother", "father")}.get(told.by, ("", ""))
    own, pronoun = ("his", "he") if parent == "father" else ("her", "she")
    if reading == INCONSISTENT:
        by = f"the {parent} passes one of {own} two chromosomes, and by {own} phase and the {other}'s calls" if parent \
            else "each parent passes one of two chromosomes, and by their phase and calls"  # fmt: skip
        return (f"Mendelian inconsistency: {by} the patient cannot have both (a phasing or genotyping error, a "
                "recombination between them, or a de novo change?)")
    if not parent:
        return f"by the {who} and calls"
    return (f"the {who} puts them on one of {own} chromosomes: {pronoun} passes both or neither" if reading == "cis"
            else f"the {who} puts them on {own} two chromosomes: {pronoun} passes one")


def presumed_trans(i: int, j: int, haplotypes: Sequence[Haplotype | None], parental: ParentalPhases | None) -> str:
    """'the father lacks one, so in trans if it is the mother's, not de novo' where two variants' trans reading rests
    on a parent not read at the one the other lacks (their own phase not telling); '' otherwise."""
    told = (parental or {}).get((min(i, j), max(i, j)))
    if told is None or not told.presumed_from or phase(haplotypes[i], haplotypes[j]) is not None:
        return ""
    unread = told.presumed_from
    return f"the {'father' if unread == 'mother' else 'mother'} lacks one, {trans_if(unread)}"


def _evaluate(
    paths: Sequence[float],
    genotypes: Sequence[str],
    origins: Sequence[str],
    haplotypes: Sequence[Haplotype | None],
    chrom: str,
    sex: str | None,
    affected_parents: dict[str, bool | None] | None,
    family: Family | None = None,
    parental: ParentalPhases | None = None,
) -> Evaluation:
    """mode -> (score, fully compatible, reason, indices of the variants used). Plain values: fast per gene.
    `family`: per variant, the calls of the relatives of known affection status (a quad's sibling, an affected
    parent), whose segregation keeps a fit full or makes it partial (`segregation`). `parental`: the phase the
    parents' calls tell of pairs of variants (pair_phase)."""
    out: Evaluation = {}
    n = len(paths)
    if not n:
        return out
    parents = affected_parents or {}
    where = _location_modes(chrom)

    def segregating(mode: str, used: tuple[int, ...], p: float, fits: bool, note: str, reduced: bool = False
                    ) -> tuple[float, bool, str]:
        # Relatives whose genotype does not fit their status take the fit down as an unaffected parent's
        # transmission does (UNAFFECTED_CARRIER, once: `reduced` where that already did), with no new constant:
        # both say penetrance or a phenocopy would have to explain the family. Cosegregation is named, not scored:
        # PP1 (from 3 informative meioses; none for a sibling or two) is weaker than the de novo call DE_NOVO_BONUS is.
        # an identical twin's carrying it is named apart: no segregation, whatever the others show
        against, shared, twinned = segregation(mode, family, used)
        twins = "; ".join(twinned)
        also = f", and carried by {twins}" if twins else ""
        # an unaffected relative homozygous for a variant the recessive genotype needs (BS2), named where the
        # segregation above does not already (a parent or sibling with one of a pair): the same factor, once
        homozygotes = _healthy_with_genotype(family, used) if mode == "AR" and chrom not in ("X", "Y", "MT") else []
        healthy = ", ".join(h for h in homozygotes if h not in against)
        if healthy:
            which = "one of them homozygous" if len(used) > 1 else "homozygous"
            also = f", {which} in an unaffected relative ({healthy}; unless penetrance is reduced){also}"
        if against or healthy:
            return (p if reduced else p * UNAFFECTED_CARRIER), False, \
                (f"{note}, not segregating with the disease in the family ({', '.join(against)}){also}" if against
                 else f"{note}{also}")  # fmt: skip
        if shared:
            return p, fits, f"{note}, segregating with the disease in the family ({', '.join(shared)}){also}"
        return p, fits, f"{note}, carried by {twins}" if twins else note

    def dominant(mode: str, male_x: bool):
        best, ok, why, used = 0.0, False, "", ()
        for i in range(n):
            p, fits, note = paths[i], True, "one variant suffices"
            if genotypes[i] == "hom_alt":
                p, note = p * DOMINANT_HOMOZYGOUS_FACTOR, "homozygous, unusual for a dominant disease"
            elif male_x and genotypes[i] in ("het", "heteroplasmic"):
                # A male has one X: a heterozygous call there is a mosaic or, more often, reads of a paralogue
                p, fits, note = p * MALE_HET_X, False, one_copy_het
            o = origins[i]
            if o == "de_novo":
                p, note = min(1.0, p + DE_NOVO_BONUS), "de novo"
            elif (o in ("paternal", "both_parents") and parents.get("father") is False) or (
                o in ("maternal", "both_parents") and parents.get("mother") is False
            ):
                p, fits = p * UNAFFECTED_CARRIER, False
                note = "inherited from an unaffected parent"
            p, fits, note = segregating(mode, (i,), p, fits, note, reduced=note == "inherited from an unaffected parent")
            if p > best:
                best, ok, why, used = p, fits, note, (i,)
        return best, ok, why, used

    # Y, like a male's X outside the PARs, is one copy (the bundled gene model has no Y PAR genes): a heterozygous
    # call there is read as one on a male's X is
    one_copy_het = "heterozygous call on Y (a male has one Y)" if chrom == "Y" else "heterozygous call on X in a male"
    if "AD" in where:
        out["AD"] = dominant("AD", chrom == "Y")
    if "XD" in where:
        out["XD"] = dominant("XD", sex == "MALE")

    def recessive(mode: str, full: tuple[str, ...], single_factor: float, single_note: str):
        best, ok, why, used = 0.0, False, "", ()
        for i in range(n):
            if genotypes[i] in full:
                p, fits, note = segregating(mode, (i,), paths[i], True, "homozygous")
                if p > best:
                    best, ok, why, used = p, fits, note, (i,)
        hets = [i for i in range(n) if genotypes[i] in ("het", "heteroplasmic")]
        conflict = ""
        for a in range(len(hets)):
            for b in range(a + 1, len(hets)):
                i, j = hets[a], hets[b]
                relation = pair_phase(i, j, origins, haplotypes, parental)
                if relation == "cis":
                    continue  # both from one parent, or phased on one haplotype
                if relation == INCONSISTENT:  # no compound heterozygote to credit, nor a cis reading to state
                    conflict = conflict or by_parents_phase(i, j, parental)
                    continue
                known = ("phase unknown" if relation != "trans"
                         else presumed_trans(i, j, haplotypes, parental) or "in trans")  # fmt: skip
                p, fits, note = segregating(mode, (i, j), (paths[i] + paths[j]) / 2, True,
                                            f"two heterozygous variants ({known})")
                if p > best:
                    best, ok, why, used = p, fits, note, (i, j)
        if not used and hets:
            # scored as the best one alone; all are named where they share one haplotype (the evidence says "in cis")
            note = (single_note if len(hets) == 1 else f"two heterozygous variants, not a compound heterozygote "
                    f"({conflict})" if conflict else "heterozygous variants only on one haplotype (in cis)")  # fmt: skip
            best, ok, why, used = paths[hets[0]] * single_factor, False, note, tuple(hets)
        return best, ok, why, used

    if "AR" in where:
        out["AR"] = recessive("AR", ("hom_alt", "hemizygous"), SINGLE_HET_RECESSIVE,
                              "only one heterozygous variant; a recessive disease needs two")  # fmt: skip
    if "XR" in where:
        if sex == "FEMALE":
            # a haploid X call in a female (loss of the other X, or the caller's ploidy) counts as homozygous
            out["XR"] = recessive("XR", ("hom_alt", "hemizygous"), FEMALE_HET_XR,
                                  "one heterozygous variant in a female (carrier)")  # fmt: skip
        else:
            best, ok, why, used = 0.0, False, "", ()
            for i in range(n):
                full = genotypes[i] in ("hemizygous", "hom_alt")
                p = paths[i] * (1.0 if full else MALE_HET_X)
                if full:
                    p, fits, note = segregating("XR", (i,), p, True, "hemizygous" if sex == "MALE"
                                                else "homozygous or hemizygous (sex unknown)")  # fmt: skip
                else:
                    fits = False
                    note = "heterozygous call on X in a male" if sex == "MALE" else "heterozygous (sex unknown)"
                if p > best:
                    best, ok, why, used = p, fits, note, (i,)
            out["XR"] = (best, ok, why, used)
    if "MT" in where:
        i = max(range(n), key=lambda k: paths[k])
        out["MT"] = (paths[i], True, "mitochondrial variant", (i,))
    if "YL" in where and sex != "FEMALE":
        scored = [paths[k] * (MALE_HET_X if genotypes[k] == "het" else 1.0) for k in range(n)]
        i = max(range(n), key=lambda k: scored[k])
        het = genotypes[i] == "het"
        out["YL"] = (scored[i], not het, one_copy_het if het else "Y-linked variant", (i,))
    return out


def genotype_summary(genotypes: Sequence[str], origins: Sequence[str],
                     haplotypes: Sequence[Haplotype | None], parental: ParentalPhases | None = None) -> str:
    """'2 heterozygous variants (possible compound heterozygote)' and the like."""
    if not genotypes:
        return "no candidate variant"
    kinds: dict[str, int] = {}
    for g in genotypes:
        kinds[g] = kinds.get(g, 0) + 1
    names = {"het": "heterozygous", "hom_alt": "homozygous", "hemizygous": "hemizygous",
             "heteroplasmic": "heteroplasmic", "homoplasmic": "homoplasmic"}  # fmt: skip
    parts = [f"{n} {names.get(k, k)}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])]
    text = ", ".join(parts) + (" candidate variant" if len(genotypes) == 1 else " candidate variants")
    hets = [i for i, g in enumerate(genotypes) if g == "het"]
    if len(hets) >= 2:
        pairs = [(i, j) for i in hets for j in hets if i < j]
        told = [pair_phase(i, j, origins, haplotypes, parental) for i, j in pairs]
        # a trans reading that rests on an unread parent says so, unless another pair's does not
        presumed = [presumed_trans(i, j, haplotypes, parental) if t == "trans" else ""
                    for (i, j), t in zip(pairs, told, strict=True)]  # fmt: skip
        trans = any(t == "trans" and not p for t, p in zip(told, presumed, strict=True))
        cis = all(t == "cis" for t in told)
        presumed_text = next((p for p in presumed if p), "")
        # a parent's own phase that tells the reading (or contradicts the calls) is named
        reading = "trans" if trans else "cis" if cis else INCONSISTENT
        told_by = next((h for (i, j), t in zip(pairs, told, strict=True)
                        if t == reading and (h := by_parents_phase(i, j, parental))), "")  # fmt: skip
        by = f"; {told_by}" if told_by else ""
        text += (f" (compound heterozygote: in trans{by})" if trans else f" (compound heterozygote: {presumed_text})"
                 if presumed_text else f" (on one haplotype: in cis{by})" if cis
                 else f" (not read as a compound heterozygote: {told_by})" if told_by
                 else " (possible compound heterozygote)")  # fmt: skip
    if "de_novo" in origins:
        text += "; de novo"
    return text


def _affected_parents(genomics: GenomicsResult) -> dict[str, bool | None]:
    return {role: genomics.affected.get(s) for s, role in genomics.relatives.items() if role in ("father", "mother")}


def _best_mode(evaluated: Evaluation, annotated: set[str]) -> tuple[str | None, float, bool]:
    """The mode used for the gene: the best fully fitting annotated mode, else the best partial one."""
    candidates = {m: v for m, v in evaluated.items() if m in annotated} if annotated else evaluated
    if not candidates:
        return None, 0.0, False
    mode = max(candidates, key=lambda m: (candidates[m][1], candidates[m][0]))
    return mode, candidates[mode][0], candidates[mode][1]


def candidate_count(pathogenicities: Sequence[float]) -> int:
    """A gene's candidate variants: those of protein-altering strength or more (CANDIDATE_PATHOGENICITY)."""
    return sum(1 for p in pathogenicities if p >= CANDIDATE_PATHOGENICITY)


def candidate_count_penalty(pathogenicities: Sequence[float]) -> float:
    """Log units taken off a gene's variant evidence for carrying several candidate variants (0 for one or none)."""
    n = candidate_count(pathogenicities)
    return CANDIDATE_COUNT_WEIGHT * math.log(n) if n > 1 else 0.0


def _chance_note(pathogenicities: Sequence[float]) -> str:
    n = candidate_count(pathogenicities)
    if n < 2:
        return ""
    return (f"; {n} candidate variants in this gene (pathogenicity {CANDIDATE_PATHOGENICITY:g} or more): the more a "
            f"gene carries, the likelier one looks damaging by chance, so its variant evidence counts "
            f"{candidate_count_penalty(pathogenicities):.1f} log units less")


def _gene_score(gene: GeneVariants | None, modes: set[str] | None, sex: str | None, parents,
                other_sex: str | None = None) -> tuple[float, float]:
    """(score under inheritance, raw best pathogenicity) for ranking; `other_sex`: the sex every disease of the gene
    is limited to, where it is not the patient's."""
    if gene is None or not gene.pathogenicities:
        return 0.0, 0.0
    raw = gene.pathogenicities[0]
    if other_sex is not None:
        return raw * INCOMPATIBLE_FACTOR, raw
    return variant_score_under(evaluate_gene(gene, sex, parents), raw, modes or set()), raw


def other_sex_text(other_sex: str, sex: str | None) -> str:
    """Why a gene's variants cannot explain the patient's disease: its diseases affect only the other sex."""
    return (f"Its diseases only affect {SEX_WORDS[other_sex][1]}, and the patient is "
            f"{SEX_WORDS.get(sex or '', ('of the other sex',))[0]}: its variant evidence counts a tenth, as where no "
            "mode of inheritance fits")


def fit_gene(
    gene: GeneVariants | None,
    modes: set[str] | None,
    sex: str | None,
    affected_parents: dict[str, bool | None] | None = None,
    sources: dict[str, str] | None = None,
    other_sex: str | None = None,
) -> GeneFit:
    """The inheritance fit of a gene's genotypes under the modes of its diseases, explained; `sources`: where a mode
    HPO does not annotate for the gene comes from (`modes_with_sources`), which the explanation then cites;
    `other_sex`: the sex every disease of the gene is limited to, where it is not the patient's (no mode fits)."""
    annotated = {m for m in (modes or ()) if m in MODES}
    labels = tuple(MODE_LABELS[m] for m in MODES if m in annotated)
    if other_sex is not None and gene is not None and gene.pathogenicities:
        raw = gene.pathogenicities[0]
        return GeneFit(InheritanceFit(labels, gene.genotype_summary, False, other_sex_text(other_sex, sex)),
                       raw * INCOMPATIBLE_FACTOR, raw, None)
    if gene is None or not gene.pathogenicities:
        return GeneFit(
            InheritanceFit(labels, "no candidate variant", None if gene is None else False,
                           "none of the patient's variants (if any) in this gene is a candidate for the "
                           "disease"),  # fmt: skip
            0.0,
            0.0,
            None,
        )
    raw = gene.pathogenicities[0]
    evaluated = _evaluate(gene.pathogenicities, gene.genotypes, gene.origins, gene.haplotypes, gene.chrom, sex,
                          affected_parents, gene.family, gene.parental)  # fmt: skip
    mode, score, ok = _best_mode(evaluated, annotated)
    chance = _chance_note(gene.pathogenicities)
    if mode is None:
        where = ", ".join(MODE_LABELS[m].lower() for m in MODES if m in annotated)
        return GeneFit(
            InheritanceFit(labels, gene.genotype_summary, False,
                           f"its diseases are {where}, which chromosome {gene.chrom} cannot carry{chance}"),  # fmt: skip
            raw * INCOMPATIBLE_FACTOR,
            raw,
            None,
        )
    _s, _ok, why, used = evaluated[mode]
    variants = gene.variants
    described = "; ".join(
        f"{variants[i].where} "
        f"({variants[i].genotype_text}, {variants[i].consequence.replace('_', ' ')})"  # in words, as the tables
        for i in used
    )
    lead = MODE_LABELS[mode] if annotated else f"No mode annotated; best fit {MODE_LABELS[mode].lower()}"
    verdict = "fits" if ok else "fits only partly"
    explanation = f"{lead} {verdict}: {why}: {described}"
    if sources and mode in sources and annotated:
        explanation += f" ({MODE_LABELS[mode].lower()}: {sources[mode]})"
    explanation += chance
    return GeneFit(InheritanceFit(labels, gene.genotype_summary, ok, explanation, partly=not ok), score, raw, mode)


def combine_gene_scores(
    phenotype_scores: dict[str, float],
    genomics: GenomicsResult,
    gene_modes: dict[str, set[str]],
    sex: str | None,
    other_sex: dict[str, str] | None = None,
) -> list[tuple[str, float, tuple[Contribution, ...]]]:
    """Genes ranked by phenotype match x variant evidence x inheritance fit (best first).

    other_sex: gene symbol -> the sex every disease of the gene is limited to, for the genes whose diseases the
    patient's sex cannot have (`Ranker.genes_of_the_other_sex`): their variants are weighed as where no mode fits.

    phenotype_scores: 0..1 per gene symbol from the phenotype ranker (its posterior mass). Every gene with a
    phenotype score or a candidate variant is returned with a score that sums to 1 over them (a posterior) and
    log-scale parts that add up to its log score (up to one constant shared by all genes):
    "phenotype match" = log((p + floor) / floor) >= 0, "variant evidence" = weight x best pathogenicity >= 0,
    "inheritance fit" = what the modes of inheritance add (a de novo variant of a dominant gene) or take away (a
    partial fit, none), "other candidate variants" =
    what several candidate variants in the gene take away (<= 0; `candidate_count_penalty`).
    """
    sex = sex or genomics.sex
    parents = _affected_parents(genomics)
    rows = []
    for symbol in set(phenotype_scores) | set(genomics.genes):
        p = max(float(phenotype_scores.get(symbol, 0.0)), 0.0)
        gene = genomics.genes.get(symbol)
        score_v, raw = _gene_score(gene, gene_modes.get(symbol), sex, parents, (other_sex or {}).get(symbol))
        chance = candidate_count_penalty(gene.pathogenicities) if gene else 0.0
        parts = (
            Contribution("phenotype match", round(math.log((p + PHENOTYPE_FLOOR) / PHENOTYPE_FLOOR), 4)),
            Contribution("variant evidence", round(VARIANT_WEIGHT * raw, 4)),
            Contribution("inheritance fit", round(VARIANT_WEIGHT * (score_v - raw), 4)),
            Contribution("other candidate variants", round(-chance, 4) if chance else 0.0),
        )
        rows.append((symbol, sum(c.value for c in parts), parts))
    if not rows:
        return []
    top = max(r[1] for r in rows)
    total = sum(math.exp(r[1] - top) for r in rows)
    out = [(symbol, math.exp(logit - top) / total, parts) for symbol, logit, parts in rows]
    out.sort(key=lambda t: (-t[1], t[0]))
    return out
