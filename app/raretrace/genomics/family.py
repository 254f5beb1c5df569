"""The family's calls beside the patient's: parentage and twin checks, the PED's relatives, origins and phases.

What the VCF reader (load.py) asks of the relatives' genotypes: whether the trio's calls confirm parentage (PS2 or
PM6) and whether two samples are one person's, which relatives of known status the PED gives (PP1, BS4), where the
patient's allele came from (de novo, inherited, in trans), and how the PED's relatives share it by descent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from ..errors import RareTraceError
from ..evidence import FamilyMember, attention
from ..inheritance import (
    INCONSISTENT,
    PARTNER_ALSO,
    Haplotype,
    PairReading,
    ParentalPhases,
    RelativeCall,
    pair_phase,
    trans_if,
)
from ..pedigree import Pedigree
from ..words import counted
from .gene_model import in_pseudoautosomal, normalise_chrom
from .interpret import Lineage, OtherParent, Sharing, Twins
from .vcf import _sample_ints

# A parent's reference call counts against a de novo origin only when it is sound: enough depth and genotype
# quality, and (with AD) hardly any reads with the child's allele. Otherwise PS2 would rest on a missed call.
MIN_PARENT_DP = 10
MIN_PARENT_GQ = 20
MAX_PARENT_ALT_READS = 2
# ClinGen SVI (de novo, 2018): PS2 needs maternity and paternity confirmed, else the de novo call is PM6 (assumed).
# They are checked from the trio's own calls: the share of well-called autosomal sites (PASS; DP and GQ as for a
# parent's reference call above) whose child genotype the parents' cannot give. A true trio's is typically a few
# tenths of a percent (genotyping errors, de novo calls); an unrelated parent's about 18% (exome sites simulated under a
# neutral frequency spectrum), a half-sibling's or uncle's about half that. A few hundred sites tell them apart: parentage is the whole sample's, so the first
# 20,000 (chromosomes 1 to 3 of an exome) settle it, at a fixed cost of about 0.1 s whatever the size of the file.
MAX_PARENTAGE_INCONSISTENT = 0.02
MIN_PARENTAGE_SITES = 200
PARENTAGE_SITES = 20_000


@dataclass(slots=True)
class Parentage:
    """How the trio's calls agree on parentage, site by site across the file (Mendelian consistency)."""

    sites: int = 0  # well-called autosomal sites of the trio where one of them carries an ALT allele
    inconsistent: int = 0  # of them, sites where the parents' calls cannot give the child's
    father_excluded: int = 0  # the child shares no allele with the father (opposite homozygotes)
    mother_excluded: int = 0

    @property
    def rate(self) -> float:
        return self.inconsistent / self.sites if self.sites else 0.0

    @property
    def checked(self) -> bool:
        return self.sites >= MIN_PARENTAGE_SITES

    @property
    def confirmed(self) -> bool:
        return self.checked and self.rate <= MAX_PARENTAGE_INCONSISTENT

    def text(self) -> str:
        """The figure the PS2 or PM6 value carries."""
        if not self.checked:
            return (f"parentage not checked: {counted(self.sites, 'well-called site')} of the trio (under "
                    f"{MIN_PARENTAGE_SITES})")
        verdict = "consistent" if self.confirmed else "not confirmed"
        plural = "inconsistency" if self.inconsistent == 1 else "inconsistencies"
        return (f"parentage {verdict}: {self.inconsistent:,} Mendelian {plural} at "
                f"{counted(self.sites, 'well-called site')} ({self.rate:.2%})")

    def warning(self) -> str:
        """The analysis warning of parentage not confirmed ('' when it is): a contradiction (a sample swap?)
        questions the reading of the case, too few sites to check is a note."""
        if self.confirmed:
            return ""
        pm6 = "de novo calls are labelled PM6 (assumed de novo), not PS2 (confirmed)"
        if not self.checked:
            return (f"parentage could not be checked from the trio's calls ({counted(self.sites, 'well-called autosomal site')} "
                    f"where one of them carries a variant; {MIN_PARENTAGE_SITES} needed): {pm6}")
        return attention(
            f"the parents' genotypes contradict the child's at {self.inconsistent:,} of {self.sites:,} well-called "
            f"sites ({self.rate:.1%}; a true trio's stay under {MAX_PARENTAGE_INCONSISTENT:.0%}): a sample swap, "
            f"or non-paternity or non-maternity? The child shares no allele with the father at "
            f"{self.father_excluded:,} sites, with the mother at {self.mother_excluded:,}. Origins read from the "
            f"parents' calls (de novo, inherited, in trans) are in doubt and not used for ranking; {pm6}")


class _ParentageCheck:
    """Counts Parentage over the records as they stream by (a few microseconds a record, up to PARENTAGE_SITES)."""

    __slots__ = ("found", "child", "father", "mother", "has_gq", "has_dp")

    def __init__(self, child: int, father: int, mother: int, raw_header: str) -> None:
        self.found = Parentage()
        self.child, self.father, self.mother = child, father, mother
        self.has_gq = "##FORMAT=<ID=GQ," in raw_header
        self.has_dp = "##FORMAT=<ID=DP," in raw_header

    def counting(self) -> bool:
        """Whether it still counts (up to PARENTAGE_SITES): the reader stops calling add once it does not."""
        return self.found.sites < PARENTAGE_SITES

    def add(self, v, gts: list) -> None:
        c, f, m = gts[self.child], gts[self.father], gts[self.mother]
        if len(c) != 3 or len(f) != 3 or len(m) != 3:  # diploid calls only
            return
        c0, c1, f0, f1, m0, m1 = c[0], c[1], f[0], f[1], m[0], m[1]
        if min(c0, c1, f0, f1, m0, m1) < 0 or max(c0, c1, f0, f1, m0, m1) == 0 or v.FILTER is not None:
            return
        if not _autosomal(v.CHROM):
            return
        trio = (self.child, self.father, self.mother)
        for key, least, present in (("GQ", MIN_PARENT_GQ, self.has_gq), ("DP", MIN_PARENT_DP, self.has_dp)):
            if present and any(0 <= x < least for x in _trio_ints(v, key, trio)):
                return
        found = self.found
        found.sites += 1
        father, mother = (f0, f1), (m0, m1)
        if not (c0 in father and c1 in mother or c1 in father and c0 in mother):
            found.inconsistent += 1
            found.father_excluded += c0 not in father and c1 not in father
            found.mother_excluded += c0 not in mother and c1 not in mother


_AUTOSOMES = frozenset(str(n) for n in range(1, 23))


@functools.cache
def _autosomal(chrom: str) -> bool:
    """Whether a contig, named as the file names it ("chr7", "7"), is an autosome: asked of every record the parentage
    and twin checks read, so each name is normalised once."""
    return normalise_chrom(chrom) in _AUTOSOMES
# Identical twins, whom a PED cannot mark, or one sample read twice: their calls differ only by genotyping error, where
# full siblings' differ at a third or more of the well-called sites where either carries an ALT allele.
MAX_TWIN_DISCORDANT = 0.02
# Records the twin check reads at most: a sibling with few calls (a failed sample, an exome beside a genome) would
# keep a pair under PARENTAGE_SITES, and the check (microseconds a record and pair) on, through a genome's millions
TWIN_CHECK_RECORDS = 10 * PARENTAGE_SITES


class _TwinCheck:
    """Counts, for each pair of the patient and the affected full siblings, the well-called autosomal sites where
    either carries an ALT allele and those where their genotypes differ (up to PARENTAGE_SITES a pair, over
    TWIN_CHECK_RECORDS records at most)."""

    __slots__ = ("samples", "sites", "differ", "records")

    def __init__(self, samples: list[tuple[int, str]]) -> None:
        self.samples = samples  # (index in the reader, sample), the patient first
        pairs = [(a, b) for n, a in enumerate(samples) for b in samples[n + 1:]]
        self.sites = dict.fromkeys(pairs, 0)
        self.differ = dict.fromkeys(pairs, 0)
        self.records = 0

    def counting(self) -> bool:
        return min(self.sites.values()) < PARENTAGE_SITES and self.records < TWIN_CHECK_RECORDS

    def add(self, v, gts: list) -> None:
        self.records += 1
        if v.FILTER is not None:
            return
        if not _autosomal(v.CHROM):
            return
        calls = {}
        for i, _ in self.samples:
            g = gts[i]
            if len(g) == 3 and min(g[0], g[1]) >= 0:  # diploid calls only
                calls[i] = (g[0], g[1]) if g[0] <= g[1] else (g[1], g[0])
        for pair in self.sites:
            a, b = calls.get(pair[0][0]), calls.get(pair[1][0])
            if a is not None and b is not None and (a[1] or b[1]):
                self.sites[pair] += 1
                self.differ[pair] += a != b

    def twins(self) -> Twins:
        """The relatives whose calls are the patient's or an earlier sibling's (each counted once), and whether every
        pair was compared at enough sites to tell."""
        same: dict[str, tuple[str, int, int]] = {}
        for (a, b), sites in self.sites.items():
            if sites >= MIN_PARENTAGE_SITES and self.differ[(a, b)] <= MAX_TWIN_DISCORDANT * sites \
                    and b[1] not in same:  # fmt: skip
                same[b[1]] = (same.get(a[1], (a[1],))[0], sites - self.differ[(a, b)], sites)
        return Twins(same, min(self.sites.values()) >= MIN_PARENTAGE_SITES)


def _trio_ints(v, key: str, samples: tuple[int, int, int]) -> tuple[int, ...]:
    """The samples' first integer FORMAT value (missing ones negative); () where the record lacks the field."""
    try:
        values = v.format(key)
    except Exception:  # cyvcf2 raises a bare Exception for a missing or mistyped FORMAT field
        return ()
    if values is None or getattr(values, "dtype", None) is None or values.dtype.kind not in "iu":
        return ()
    rows = values.tolist()  # (numpy's own indexing costs several times as much, record after record)
    return tuple(rows[i][0] if isinstance(rows[i], list) else rows[i] for i in samples)


def _affected_parents(relatives: dict[str, str], affected: dict[str, bool | None]) -> dict[str, bool | None]:
    return {role: affected.get(sample) for sample, role in relatives.items() if role in ("father", "mother")}


def _family_read(pedigree: Pedigree, proband: str, relatives: dict[str, str], affected: dict[str, bool | None]
                 ) -> tuple[FamilyMember, ...]:  # fmt: skip
    """The patient and the relatives whose genotypes were read, with the PED's sex and affection status: what a
    reader of the evidence needs to weigh de novo, phase and segregation (siblings and children named as such)."""
    person = pedigree.get(proband)
    out = [FamilyMember(proband, "patient", person.sex if person else None, affected.get(proband))]
    for sample, role in relatives.items():
        member = pedigree.get(sample)
        out.append(FamilyMember(sample, _relation(pedigree, person, member, role), member.sex if member else None,
                                affected.get(sample)))
    return tuple(out)


def _relation(pedigree: Pedigree, person, member, role: str) -> str:
    """A PED relative's relation to the patient: their kinship by descent (Pedigree.kinship: a sibling, a paternal
    half-sibling, a child, a maternal grandmother, a paternal first cousin ...), a partner (a child's other parent)
    or a relative by marriage (joined by the PED through couples only: no blood relative), else the role given
    ('relative': the PED does not say how). A partner who is also a blood relative (a consanguineous couple) is
    named both ways: 'partner, also paternal first cousin'. Named whatever the relative's affection status: a sibling
    of unknown status is still the patient's."""
    if role != "relative" or person is None or member is None:
        return role
    kinship = pedigree.kinship(person.id, member.id)
    related = pedigree.related_by_descent(person.id, member.id)
    shared_child = any({person.id, member.id} == {i.father, i.mother} for i in pedigree.individuals
                       if i.family == person.family)  # fmt: skip
    if shared_child and related is not None:
        also = kinship or ("a distant relative" if related else "")
        return f"{PARTNER_ALSO}{also}" if also else "partner"
    if kinship is not None:
        return kinship
    if related is False:
        return "relative by marriage"
    return role


def _kin(pedigree: Pedigree, person, relatives: dict[str, str], affected: dict[str, bool | None]
         ) -> list[tuple[str, str, bool, str | None]]:
    """The genotyped relatives whose affection status the PED gives (0/-9: unknown, they tell nothing of
    segregation), blood relatives only (a partner's genotype tells nothing of how the patient's variant is passed
    on): (sample, role as the evidence names it, affected, sex)."""
    out = []
    for sample, role in relatives.items():
        status = affected.get(sample)
        member = pedigree.get(sample)
        if status is None or member is None:
            continue
        relation = _relation(pedigree, person, member, role)
        if relation not in _NOT_BLOOD:
            out.append((sample, relation, status, member.sex))
    return out


_NOT_BLOOD = ("partner", "relative by marriage")


def _co_parents(pedigree: Pedigree, person, relatives: dict[str, str], affected: dict[str, bool | None],
                kin: list[tuple[str, str, bool, str | None]]) -> dict[str, tuple[str, str, bool | None]]:  # fmt: skip
    """child -> (their other parent as the evidence names them, that parent's sample where the VCF holds it, else '',
    the PED's status) for each of the patient's children of known status; a child whose other parent the PED does
    not give has none."""
    out = {}
    for sample, role, _status, _sex in kin:
        child = pedigree.get(sample) if role == "child" else None
        other = None if child is None else child.mother if child.father == person.id else child.father
        if other:
            member = pedigree.get_in(person.family, other)
            name = _relation(pedigree, person, member, relatives.get(other, "relative")) if member else "partner"
            out[sample] = (f"{name} {other}", other if other in relatives else "", affected.get(other))
    return out


def _family_tree(pedigree: Pedigree, person, kin: list[tuple[str, str, bool, str | None]]) -> Lineage:
    """The PED's parents of the patient's family and, of the relatives' parents, those on the patient's side
    (related by descent); the calls are each variant's (_member_genotypes)."""
    parents = {i.id: (i.father, i.mother) for i in pedigree.individuals if i.family == person.family}
    theirs = {p for sample, *_ in kin for p in parents.get(sample, ()) if p is not None}
    blood = frozenset(p for p in theirs if pedigree.related_by_descent(person.id, p) is True)
    return Lineage(person.id, parents, blood, {})


def _member_genotypes(row: tuple, relatives: dict[str, str]) -> dict[str, tuple[str | None]]:
    """Each sequenced family member's genotype of a candidate's allele (ref, het, hom_alt; None: no call), whatever
    their status: a relative's parent who carries it need not be of known status."""
    others = dict(row[17]) if row[17] else {}
    out: dict[str, tuple[str | None]] = {}
    for sample, role in relatives.items():
        alleles = row[15] if role == "father" else row[16] if role == "mother" else others.get(sample)
        copies = _copies(alleles, row[8])
        out[sample] = (None if copies is None else ("ref", "het", "hom_alt")[min(copies, 2)],)
    return out


def _other_parent_calls(row: tuple, co_parents: dict[str, tuple[str, str, bool | None]]) -> dict[str, OtherParent]:
    """The other parents' calls of a candidate's allele, per child (_co_parents)."""
    others = dict(row[17]) if row[17] else {}
    out = {}
    for child, (name, sample, status) in co_parents.items():
        alleles = others.get(sample) if sample else None
        copies = _copies(alleles, row[8])
        genotype = None if copies is None else ("ref", "het", "hom_alt")[min(copies, 2)]
        shown = f"{name} {_alleles_text(alleles)}" if sample else f"{name} (not sequenced)"
        out[child] = OtherParent(shown, genotype, status)
    return out


def _family_calls(row: tuple, kin: list[tuple[str, str, bool, str | None]], chrom: str,
                  par: tuple, twins: Twins | None = None) -> tuple[RelativeCall, ...]:  # fmt: skip
    """The relatives' calls of a candidate's allele, in `kin`'s order: a male's X (outside the PARs) and Y, and a
    haploid call, carry one copy (hemizygous); an identical twin's (`twins`) say whose calls theirs repeat."""
    k = row[8]
    others = dict(row[17]) if row[17] else {}
    one_copy_male = chrom == "Y" or chrom == "X" and not in_pseudoautosomal(row[1], par)
    out = []
    for sample, role, status, sex in kin:
        alleles = row[15] if role == "father" else row[16] if role == "mother" else others.get(sample)
        copies = _copies(alleles, k)
        if copies is None:
            genotype = None
        elif copies == 0:
            genotype = "ref"
        elif len(alleles) == 1 or one_copy_male and sex == "MALE":
            genotype = "hemizygous"
        else:
            genotype = "hom_alt" if copies >= 2 else "het"
        twin_of = twins.same[sample][0] if twins and sample in twins.same else ""
        out.append(RelativeCall(sample, role, status, sex, genotype, _alleles_text(alleles), twin_of))
    return tuple(out)


def _copies(alleles: tuple | list | None, k: int) -> int | None:
    """Copies of allele k in a relative's call; None when not called."""
    if alleles is None or not len(alleles) or any(a < 0 for a in alleles):
        return None
    return sum(1 for a in alleles if a == k)


def _parental_doubt(v, k: int, father_i: int | None, mother_i: int | None) -> str:
    """Why both parents' reference calls for allele k may be wrong (low depth or quality, reads carrying the
    allele), in words; '' when the calls are sound or the file gives nothing to judge them by."""
    reasons = []
    for role, i in (("father", father_i), ("mother", mother_i)):
        if i is None:
            continue
        weak = []
        for key, least in (("DP", MIN_PARENT_DP), ("GQ", MIN_PARENT_GQ)):
            values = _sample_ints(v, key, i)
            if values and 0 <= values[0] < least:
                weak.append(f"{key} {values[0]}")
        depths = _sample_ints(v, "AD", i)
        if depths and len(depths) > k and depths[k] > MAX_PARENT_ALT_READS:
            weak.append(f"{depths[k]} of {sum(d for d in depths if d > 0)} reads with the allele")
        if weak:
            reasons.append(f"{role} {', '.join(weak)}")
    return "; ".join(reasons)


def _origin(row: tuple, label: str = "het", sex: str | None = None, par: tuple = ()) -> str:
    """paternal | maternal | de_novo | both_parents | unknown. A call the parents' calls cannot explain (a
    homozygous child of a non-carrier, a male's X allele from the father only) and a de novo call resting on weak
    parental calls are 'unknown': `_origin_note` says why."""
    k, father, mother = row[8], row[15], row[16]
    if father is None and mother is None:
        return "unknown"
    if _origin_note(row, label, sex, par):
        return "unknown"
    # a heterozygous child's one copy is that of a parent with two, whatever the other carries (_passed_copies)
    f, m = _passed_copies(row) if label == "het" else (_copies(father, k), _copies(mother, k))
    if f == 0 and m == 0:
        return "de_novo"
    if f and m:  # a male's one X is his mother's, whatever his father carries
        male_x = label == "hemizygous" and normalise_chrom(row[0]) == "X" and sex != "FEMALE"
        return "maternal" if male_x else "both_parents"
    if f and m == 0:
        return "paternal"
    if m and f == 0:
        return "maternal"
    if f:
        return "paternal"
    if m:
        return "maternal"
    return "unknown"


def _origin_note(row: tuple, label: str, sex: str | None = None, par: tuple = ()) -> str:
    """Why the parents' calls do not settle where the child's allele came from; '' when they do (or are absent).
    `sex`: the patient's, as used for the genotype labels (a female's homozygous X call needs an allele of each
    parent). `par`: chrX's pseudoautosomal regions, where a male has two copies."""
    k, father, mother = row[8], row[15], row[16]
    f, m = _copies(father, k), _copies(mother, k)
    calls = f"father {_parent_text(father)}, mother {_parent_text(mother)}"
    if label == "hemizygous" and normalise_chrom(row[0]) not in ("X", "Y", "MT"):  # a caller's ploidy slip, likely
        return f"a haploid call on an autosome: origin not assessed ({calls})"
    if label == "hemizygous" and _haploid_in_par(row, sex, par):  # a male's Y gives him a second copy there
        return f"a haploid call in a pseudoautosomal region: origin not assessed ({calls})"
    # a homozygous-looking X call with the allele from the mother only: a male whose sex was not given (hemizygous);
    # not for a female, whose father gives her an X
    male_x = normalise_chrom(row[0]) == "X" and f == 0 and bool(m) and sex != "FEMALE"
    if label == "hom_alt" and (f == 0 or m == 0) and not male_x:
        return f"Mendelian inconsistency: {calls} (a deletion, uniparental disomy or a sample mix-up?)"
    if label == "hemizygous" and normalise_chrom(row[0]) == "X" and f and m == 0:
        return f"Mendelian inconsistency: {calls} for a male's X (a sample mix-up?)"
    # a male's X allele is never his father's (he gave a Y): with the mother's call missing, 'paternal' would read an
    # unaffected carrier father as its transmission
    if label == "hemizygous" and normalise_chrom(row[0]) == "X" and f and m is None:
        return f"a male's X is his mother's, whose call is missing: the father's does not tell its origin ({calls})"
    if f == 0 and m == 0 and len(row) > 20 and row[20]:
        return f"de novo not confirmed: {row[20]}"
    return ""


def _haploid_in_par(row: tuple, sex: str | None, par: tuple) -> bool:
    """A one-allele call on chrX's pseudoautosomal regions of a patient not known to be female: a caller's ploidy
    of 1 for all of X, where a male has two copies (a female's haploid X calls are warned about as such)."""
    return (len(row[9]) == 1 and sex != "FEMALE" and normalise_chrom(row[0]) == "X"
            and in_pseudoautosomal(row[1], par))  # fmt: skip


def _alleles_text(alleles: tuple | None) -> str:
    return "./." if alleles is None else "/".join("." if x < 0 else str(x) for x in alleles)


def _parent_text(alleles: tuple | None) -> str:
    """A parent's call as the evidence names it: 'not sequenced' for one the family read has no call of (a duo, a
    father the PED puts in another family), else the call ('./.' a no-call at the site)."""
    return "not sequenced" if alleles is None else _alleles_text(alleles)


def _one_parent_homozygous(row: tuple, label: str, origin: str) -> str:
    """The parent ('father', 'mother') whose call is missing where the other's shows a copy of a homozygous call (a
    duo, a father the PED puts in another family, a no-call); '' otherwise. The second copy may be the missing
    parent's or stand over a deletion of their allele: the origin says 'one copy at least', and PM3's homozygous
    occurrence stays as it is without parents."""
    if label != "hom_alt" or origin not in ("paternal", "maternal"):
        return ""
    missing = "mother" if origin == "paternal" else "father"
    return missing if _copies(row[16] if missing == "mother" else row[15], row[8]) is None else ""


def _parental_phases(rows: Sequence[tuple], labels: Sequence[str], sex: str | None = None,
                     par: tuple = ()) -> dict[tuple[int, int], PairReading]:  # fmt: skip
    """The phase the parents' calls tell of pairs (i, j), i < j, of heterozygous calls (a gene's candidates' rows): 'trans' where a parent
    carries one and not the other, the other parent not carrying the first and called carrying the second, or where
    each parent carries one and is not called carrying the other (a no-call at it: one from each, as the origins read
    them); 'trans' presumed from the mother (father) where that parent, not carrying the first, has no call of the
    second (a duo's unsequenced parent, or a no-call: the second presumed theirs, not de novo); 'cis' where one
    parent carries both and the other neither. A parent carrying both, with the other's calls unknown, tells nothing
    (they may have passed a chromosome with both, or one of them); so does one carrying neither (both may be the
    other's, or one de novo). A parent's own phase is read on autosomes, and on a female patient's X outside the PARs
    (`sex`, `par`: as the genotype labels use them), where the mother passes one of her X and the father his one."""
    copies = [_passed_copies(row) for row in rows]
    # a male has no pair on X to phase (his one X is his mother's); a PAR's father passes his X or his Y
    daughters_x = bool(rows) and sex == "FEMALE" and normalise_chrom(rows[0][0]) == "X"
    hets = [n for n, label in enumerate(labels) if label == "het"]
    out: dict[tuple[int, int], PairReading] = {}
    for a, i in enumerate(hets):
        for j in hets[a + 1 :]:
            for p, q in ((0, 1), (1, 0)):
                (pi, qi), (pj, qj) = (copies[i][p], copies[i][q]), (copies[j][p], copies[j][q])
                if pi and pj and qi == 0 and qj == 0:
                    out[(i, j)] = PairReading("cis")
                elif (pi and pj == 0 and not qi and qj is None) or (pj and pi == 0 and not qj and qi is None):
                    # the one parent p lacks is presumed the other's (unread there): a trans reading elsewhere stands
                    out.setdefault((i, j), PairReading("trans", presumed_from=("father", "mother")[q]))
                elif ((pi and pj == 0 and not qi and qj) or (pj and pi == 0 and not qj and qi)
                      or (pi and not pj and qj and not qi)):  # fmt: skip
                    out[(i, j)] = PairReading("trans")
            # a parent's own phase, where it tells more than the calls alone (each parent passes one chromosome)
            on_x = daughters_x and not any(in_pseudoautosomal(row[1], par) for row in (rows[i], rows[j]))
            by_phase = _phased_reading(rows[i], rows[j], on_x) if on_x or _autosomal(rows[i][0]) else None
            if by_phase is not None and PairReading(by_phase.relation) != out.get((i, j)):
                out[(i, j)] = by_phase
    return out


# (block, alleles in haplotype order) of a parent's own phased heterozygous call: load._parents_phase
ParentPhase = tuple[tuple[str, object], tuple[int, int]]


def _phased_reading(ri: tuple, rj: tuple, daughters_x: bool = False) -> PairReading | None:
    """What a parent's own phase of a pair (both heterozygous, one phase set) tells of a heterozygous child's pair,
    with the other parent's calls: cis (trans, inconsistent) by the father's (mother's, parents') phase; None where
    neither parent phased both. Each parent passes one chromosome, so the child's one copy of each is one parent's
    and the other's not: a parent with both on one haplotype passes both or neither (cis either way), one with them
    on two passes one (trans); where the other parent's calls cannot give the rest, the calls are inconsistent.
    `daughters_x`: the pair is on a daughter's X, where her father passes his one X whole, his calls telling what
    it carries (his own phase, of an X called diploid, tells nothing)."""
    if ri[26] is None or rj[26] is None:  # the common case: no parent's phase at one of them
        return None
    contributions, phased = [], []
    for n, role in ((0, "father"), (1, "mother")):
        ci, cj = _copies(ri[15 + n], ri[8]), _copies(rj[15 + n], rj[8])
        hi, hj = _own_haplotype(ri, n), _own_haplotype(rj, n)
        if n == 0 and daughters_x:
            contributions.append({(a, b) for a in _on_fathers_x(ri[15], ci) for b in _on_fathers_x(rj[15], cj)})
        elif hi is not None and hj is not None and hi[0] == hj[0] and ci == cj == 1:
            contributions.append({(1, int(hi[1] == hj[1])), (0, int(hi[1] != hj[1]))})  # his two chromosomes
            phased.append(role)
        else:  # by the calls: two copies pass, none not, one or a no-call either way
            contributions.append({(a, b) for a in _passable(ci) for b in _passable(cj)})
    if not phased:
        return None
    told = {"cis" if f[0] == f[1] else "trans" for f in contributions[0] for m in contributions[1]
            if f[0] + m[0] == 1 and f[1] + m[1] == 1}  # fmt: skip
    who = phased[0] if len(phased) == 1 else "parents"
    if not told:
        return PairReading(INCONSISTENT, by=who)
    return PairReading(told.pop(), by=who) if len(told) == 1 else None


def _passable(copies: int | None) -> tuple[int, ...]:
    """The copies of an allele a parent called with `copies` may pass to a child."""
    return (0,) if copies == 0 else (1,) if copies == 2 else (0, 1)


def _on_fathers_x(alleles: tuple | None, copies: int | None) -> tuple[int, ...]:
    """The copies of an allele a father called with `copies` passes a daughter on his one X: a haploid call's
    allele, or two copies (a caller's diploid X), always; none, never; a no-call or a heterozygous call (a mosaic, a
    paralogue's reads) either way: as any parent's (_passable), but for the haploid call."""
    return (1,) if copies == 1 and alleles is not None and len(alleles) == 1 else _passable(copies)


def _own_haplotype(row: tuple, parent: int) -> Haplotype | None:
    """(block, haplotype) of the child's allele in a parent's (0 father, 1 mother) own phased heterozygous call."""
    found = row[26]
    if found is None or found[parent] is None:
        return None
    block, alleles = found[parent]
    return (block, alleles.index(row[8])) if alleles.count(row[8]) == 1 else None


def _passed_copies(row: tuple) -> tuple[int | None, int | None]:
    """(father's, mother's) copies of a heterozygous child's allele, as far as they tell what each passed: a parent
    with two copies on an autosome passes it to every child, so the child's one copy is theirs and the other parent
    passed a chromosome without it, whatever that parent carries (their copy, or no-call, tells nothing; read as
    none). Both with two: a child with one copy is a Mendelian inconsistency, read as called."""
    father, mother = _copies(row[15], row[8]), _copies(row[16], row[8])
    if (father == 2) != (mother == 2) and _autosomal(row[0]):
        return (father, 0) if father == 2 else (0, mother)
    return father, mother


def _presumed_from_unread(row: tuple) -> str:
    """What the phase of a variant that the parent read lacks rests on (a duo, or a no-call of the other parent):
    its being the other parent's, not a de novo change, which may lie on either chromosome."""
    unread = "mother" if _copies(row[16], row[8]) is None else "father"
    return f"father {_parent_text(row[15])}, mother {_parent_text(row[16])}, {trans_if(unread)}"


def _lineage(lineages: tuple[Lineage, ...], n: int, partner: int | None) -> Lineage | None:
    """Candidate n's family tree and calls; of the pair, with its partner's calls beside each member's."""
    if not lineages:
        return None
    if partner is None:
        return lineages[n]
    other = lineages[partner].genotypes
    return lineages[n]._replace(genotypes={s: g + other.get(s, (None,)) for s, g in lineages[n].genotypes.items()})


def _allele_from(row: tuple, origin: str, parents: dict[str, str], parentage: Parentage | None,
                 in_ped: Sequence[str | None] = ()) -> tuple[str, str] | None:  # fmt: skip
    """(role, sample) of the parent whose allele the patient's one copy is, where both parents' calls show it (one
    carries it, the other not) and their parentage is not in doubt; or where one parent is called without it and
    the other, not sequenced, is in the PED (`in_ped`: the patient's father and mother there), an obligate carrier
    (sharing by descent shown by affected relatives rules out a de novo allele); None otherwise."""
    if origin == "unknown" and len(in_ped) == 2 and (parentage is None or not parentage.checked):
        for role, own, other, name in (("father", row[15], row[16], in_ped[0]), ("mother", row[16], row[15], in_ped[1])):
            if name and own is None and name not in parents.values() and other is not None \
                    and _copies(other, row[8]) == 0:  # fmt: skip
                return role, name
    role = {"paternal": "father", "maternal": "mother"}.get(origin)
    if role is None or role not in parents or _copies(row[15], row[8]) is None or _copies(row[16], row[8]) is None:
        return None
    if parentage is not None and parentage.checked and not parentage.confirmed:
        return None
    return role, parents[role]


def _trans_partners(labels: tuple[str, ...], origins: tuple[str, ...], haps: tuple[Haplotype | None, ...],
                    parental: ParentalPhases | None = None) -> list[int | None]:  # fmt: skip
    """For each heterozygous variant, the first other one (the most likely pathogenic: candidates come sorted) shown
    to be in trans with it, by the parents' calls or phasing (inheritance.pair_phase, as PM3 and the fit read it);
    None where none is."""
    out: list[int | None] = [None] * len(labels)
    for i in range(len(labels)):
        out[i] = next((j for j in range(len(labels)) if j != i and labels[i] == labels[j] == "het"
                       and pair_phase(i, j, origins, haps, parental) == "trans"), None)
    return out


def _sharing(descent: dict[bool, Callable[[tuple[str, ...]], float | None]] | None, chrom: str, pos: int,
             par: tuple) -> Sharing | None:  # fmt: skip
    """How the PED's relatives share the patient's allele by descent at a variant (X outside the PARs as X is passed
    on; `descent` by that); None on Y and MT, whose descent Pedigree.sharing_probability does not follow, or without
    a PED."""
    if descent is None or chrom in ("Y", "MT"):
        return None
    follow = descent[chrom == "X" and not in_pseudoautosomal(pos, par)]
    return lambda carriers: follow(tuple(carriers))


def _family_in_file(pedigree: Pedigree | None, proband: str, all_samples: list[str], sex: str | None,
                    warnings: list[str]) -> tuple[dict[str, str], dict[str, bool | None],
                                                  list[tuple[str, str, bool, str | None]], str | None, str]:  # fmt: skip
    """The patient's relatives whose calls the file holds (sample -> father | mother | relative), the PED's affection
    status of the patient's family, the relatives of known status (_kin), and the sex with its source (the PED's where
    none was given; a contradiction is an error): the PED's other families and absent samples are said, not read."""
    relatives: dict[str, str] = {}
    affected: dict[str, bool | None] = {}
    kin: list[tuple[str, str, bool, str | None]] = []  # relatives of known status: sample, role, affected, sex
    sex_source = "given" if sex else ""
    if pedigree is not None:
        person = pedigree.get(proband)
        if person is None:
            warnings.append(f"the patient's sample {proband!r} is not in the PED file; pedigree not used")
        else:
            if sex is None and person.sex:
                sex, sex_source = person.sex, "PED file"
            elif sex and person.sex and sex != person.sex:
                # chrX genotypes are read by sex (hemizygous, Mendelian checks): neither may silently win
                where = pedigree.name
                raise RareTraceError(
                    f"the patient's sex is given as {sex.lower()}, but {where} gives {proband} as "
                    f"{person.sex.lower()} (sex column {'1' if person.sex == 'MALE' else '2'}); correct the case's "
                    "sex or the PED file")
            for role, member in (("father", person.father), ("mother", person.mother)):
                # family and ID are the PED's key: a parent whose one line is another family's is someone else
                elsewhere = sorted({i.family for i in pedigree.individuals if i.id == member} - {person.family})
                if member and elsewhere and pedigree.get_in(person.family, member) is None:
                    warnings.append(f"the {role} ({member}) is of family {', '.join(elsewhere)} in {pedigree.name}, "
                                    f"not {proband}'s family {person.family}: not read as {proband}'s {role} (give "
                                    f"{'him' if role == 'father' else 'her'} family {person.family} if "
                                    f"{'he' if role == 'father' else 'she'} is)")
                elif member and member in all_samples:
                    relatives[member] = role
                elif member:
                    warnings.append(f"the {role} ({member}) is in the PED file but not in the VCF")
            # the patient's own family only: a PED of several families (a cohort's VCF) names other patients
            family = [member for member in pedigree.individuals if member.family == person.family]
            for member in family:
                if member.id != proband and member.id in all_samples and member.id not in relatives:
                    relatives[member.id] = "relative"
            for member in family:
                affected[member.id] = member.affected
            kin = _kin(pedigree, person, relatives, affected)
    return relatives, affected, kin, sex, sex_source


class FamilyReading(NamedTuple):
    """What the family's calls and the PED tell every gene's reading, worked out once after the records are read."""

    parent_names: dict[str, str]  # father | mother -> sample
    parents_affected: dict[str, bool | None]  # father | mother -> the PED's status
    parentage: Parentage | None  # a trio's: whether the calls confirm maternity and paternity (PS2 or PM6)
    origins_doubtful: bool  # parentage contradicted: origins read from the parents are shown, not ranked
    descent: dict[bool, Callable[[tuple[str, ...]], float | None]] | None  # sharing by descent, autosomes and X
    parents_related: bool
    unread_parents: tuple[tuple[str, str], ...]  # (role, sample) of affected parents the VCF does not hold
    co_parents: dict[str, tuple[str, str, bool | None]]
    family_tree: Lineage | None
    twins: Twins | None


def _family_reading(pedigree: Pedigree | None, proband: str, relatives: dict[str, str],
                    affected: dict[str, bool | None], kin: list[tuple[str, str, bool, str | None]],
                    parentage: _ParentageCheck | None, twin_check: _TwinCheck | None, warnings: list[str]
                    ) -> FamilyReading:  # fmt: skip
    """The family checks' summary once the records are read: parentage and twins (identical twins warned about),
    and what the PED tells of descent, related parents, unread affected parents, co-parents and the family tree."""
    parent_names = {r: s for s, r in relatives.items()}
    parents_affected = _affected_parents(relatives, affected)
    found_parentage = None if parentage is None else parentage.found
    # Parents' calls that contradict the child's (a swapped sample, non-paternity) make every origin read from them
    # doubtful: the evidence still shows them (PM6, the warning), but the ranking takes none (no de novo bonus, no
    # unaffected-parent penalty, no phase from the parents), as without parents.
    origins_doubtful = found_parentage is not None and found_parentage.checked and not found_parentage.confirmed
    # the PED's relationships, for counting informative meioses by descent (the patient's own family): worked out
    # once per set of carriers, on autosomes and on X, as the same relatives carry many candidates
    descent = {x: functools.lru_cache(maxsize=None)(partial(pedigree.sharing_probability, proband, x_linked=x))
               for x in (False, True)} if kin and pedigree is not None else None  # fmt: skip
    # first cousins' children and the like: a rare allele homozygous by descent is expected of them, which a reader
    # of a homozygous call from both parents must know (the PED's loop through the parents)
    person = pedigree.get(proband) if pedigree is not None else None
    parents_related = (person is not None and None not in (person.father, person.mother)
                       and pedigree.related_by_descent(person.father, person.mother) is True)  # fmt: skip
    # parents the PED marks affected whose calls the VCF does not hold: by a recessive disease, two copies all the same
    unread_parents = tuple(
        (role, parent) for role, parent in (("father", person.father), ("mother", person.mother))
        if parent and parent not in relatives and affected.get(parent) is True) if person is not None else ()
    # the other parent of each of the patient's children read: a homozygous patient's child's genotype is theirs to give
    co_parents = _co_parents(pedigree, person, relatives, affected, kin) if person is not None and kin else {}
    # the PED's parents and the patient's side: a recessive genotype reaches a half-sibling, grandchild or cousin
    # through carriers whose calls must show it
    family_tree = _family_tree(pedigree, person, kin) if person is not None and kin else None
    twins = twin_check.twins() if twin_check is not None else None
    for sample, (same_as, agree, sites) in (twins.same if twins else {}).items():
        warnings.append(attention(f"{same_as} and {sample} have the same genotype at {agree:,} of {sites:,} "
                                  f"well-called sites: identical twins, or one sample read twice? {sample} counts no "
                                  "informative meiosis for PP1"))
    return FamilyReading(parent_names, parents_affected, found_parentage, origins_doubtful, descent, parents_related,
                         unread_parents, co_parents, family_tree, twins)
