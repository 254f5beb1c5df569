"""Reading a coding change against the codons and the bundled proteins, where the VCF carries no annotation.

The standard genetic code and the bases of an SNV or MNV tell what its codons may become (a stop gained or lost,
missense, synonymous); the bundled UniProt protein names the amino acid at the codon where it fits the gene model's
transcript, and its homologues how conserved that residue is. Used by the VCF reader (load.py) per chunk.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

import numpy as np

from .annotation import GeneAnnotation
from .gene_model import (
    CODING,
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
    UTR5,
    Conservation,
    GeneIndex,
    Regions,
)
from .interpret import MNV, SNV


def _pure_insertion(ref: str, alt: str) -> bool:
    """Bases added and none changed: the reference is the inserted allele's prefix plus its suffix."""
    n = len(ref)
    return len(alt) > n and any(alt.startswith(ref[:k]) and alt.endswith(ref[k:]) for k in range(n + 1))


def _start_codon_kept(ref: str, alt: str, start0: int, codon0: int, plus: bool) -> int | None:
    """A pure insertion placed at `start0` (the base after it) against a start codon at [codon0, codon0 + 3): UTR5
    where the ATG stays whole with the inserted bases on its 5' side, CODING where on its 3' side, None where the
    codon is changed. The codon's bases are known (ATG; CAT on the genome's plus strand for a minus-strand gene)."""
    ref, alt = ref.upper(), alt.upper()
    if not _pure_insertion(ref, alt) or not 0 <= start0 - codon0 <= 2:
        return None
    i = 0
    while i < len(ref) and ref[i] == alt[i]:
        i += 1
    inserted = alt[i : len(alt) - (len(ref) - i)]
    codon = "ATG" if plus else "CAT"
    k = start0 - codon0
    changed = codon[:k] + inserted + codon[k:]
    five_side = changed.endswith(codon) if plus else changed.startswith(codon)
    three_side = changed.startswith(codon) if plus else changed.endswith(codon)
    return UTR5 if five_side else CODING if three_side else None


_COMPLEMENT = str.maketrans("ACGT", "TGCA")
_STOP_CODONS = ("TAA", "TAG", "TGA")
# The standard genetic code: codon -> amino acid (one letter; "*" a stop), codons in TCAG order.
_BASES = "TCAG"
_GENETIC_CODE = dict(zip((a + b + c for a in _BASES for b in _BASES for c in _BASES),
                         "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG", strict=True))  # fmt: skip
_CODONS_OF: dict[str, tuple[str, ...]] = {}
for _codon, _amino in _GENETIC_CODE.items():
    _CODONS_OF[_amino] = (*_CODONS_OF.get(_amino, ()), _codon)
# Grantham's (1974) distances between amino acids (composition, polarity, volume), the upper triangle in this order:
# shown with a missense change, not scored. (A change of 100 or more, "moderately radical" or "radical" (Li et al.
# 1984), is 1.8-2.6 times as frequent among the dev phenopackets' causal missense SNVs as among a normal exome's on
# every publication fold, but a prior of its own (0.65-0.75 against missense's 0.6) left the tuning fold's gene
# recall@1 within a case or two: a missense variant's gene is decided by the phenotype.)
_GRANTHAM_ORDER = "SRLPTAVGIFYCHQNKDEMW"
_GRANTHAM_ROWS = (  # row i: the distances from _GRANTHAM_ORDER[i] to each amino acid after it
    (110, 145, 74, 58, 99, 124, 56, 142, 155, 144, 112, 89, 68, 46, 121, 65, 80, 135, 177),
    (102, 103, 71, 112, 96, 125, 97, 97, 77, 180, 29, 43, 86, 26, 96, 54, 91, 101),
    (98, 92, 96, 32, 138, 5, 22, 36, 198, 99, 113, 153, 107, 172, 138, 15, 61),
    (38, 27, 68, 42, 95, 114, 110, 169, 77, 76, 91, 103, 108, 93, 87, 147),
    (58, 69, 59, 89, 103, 92, 149, 47, 42, 65, 78, 85, 65, 81, 128),
    (64, 60, 94, 113, 112, 195, 86, 91, 111, 106, 126, 107, 84, 148),
    (109, 29, 50, 55, 192, 84, 96, 133, 97, 152, 121, 21, 88),
    (135, 153, 147, 159, 98, 87, 80, 127, 94, 98, 127, 184),
    (21, 33, 198, 94, 109, 149, 102, 168, 134, 10, 61),
    (22, 205, 100, 116, 158, 102, 177, 140, 28, 40),
    (194, 83, 99, 143, 85, 160, 122, 36, 37),
    (174, 154, 139, 202, 154, 170, 196, 215),
    (24, 68, 32, 81, 40, 87, 115),
    (46, 53, 61, 29, 101, 130),
    (94, 23, 42, 142, 174),
    (101, 56, 95, 110),
    (45, 160, 181),
    (126, 152),
    (67,),
)
_GRANTHAM: dict[tuple[str, str], int] = {}
for _i, _row in enumerate(_GRANTHAM_ROWS):
    for _b, _distance in zip(_GRANTHAM_ORDER[_i + 1 :], _row, strict=True):
        _GRANTHAM[(_GRANTHAM_ORDER[_i], _b)] = _GRANTHAM[(_b, _GRANTHAM_ORDER[_i])] = _distance


def _transcript_snv(ref: str, alt: str, plus: bool) -> str | None:
    """REF and ALT of an SNV as two bases in the transcript's direction ("CT": C>T), or None if not two bases."""
    ref, alt = ref.upper(), alt.upper()
    if not plus:
        ref, alt = ref.translate(_COMPLEMENT), alt.translate(_COMPLEMENT)
    if len(ref) != 1 or len(alt) != 1 or ref not in "ACGT" or alt not in "ACGT" or ref == alt:
        return None
    return ref + alt


def _stop_codon_change(ref: str, alt: str, base: int, plus: bool) -> int:
    """An SNV of base `base` (0-2, in the transcript's direction) of a stop codon: STOP_LOST where no stop codon
    with that REF base stays a stop with ALT (its T changed; a C or T at the second or third base), STOP_RETAINED
    where every one does (TGA>TAA, TAG>TAA), STOP_CODON where the REF base cannot tell (TAA>TGA but TAG>TGG), and
    CODING where no stop codon has that REF base: the bounds do not fit this genome."""
    change = _transcript_snv(ref, alt, plus)
    fitting = [codon for codon in _STOP_CODONS if change and codon[base] == change[0]]
    if not fitting:
        return CODING
    kept = [codon[:base] + change[1] + codon[base + 1 :] in _STOP_CODONS for codon in fitting]
    return STOP_RETAINED if all(kept) else STOP_LOST if not any(kept) else STOP_CODON


def _mnv_stop_codon_change(ref: str, alt: str, position: int, plus: bool, to_stop: int, exon_edge: bool,
                           amino_acid: Callable[[int], str | None]) -> int:  # fmt: skip
    """An MNV touching the stop codon, its 5'-most base (in the transcript's direction) at codon position `position`
    of the codon `to_stop` codons before the stop codon (0: it starts there); `amino_acid(c)` is the protein's amino
    acid c codons after that one. Its bases in the stop codon decide as an SNV's do (_stop_codon_change): STOP_LOST
    where no stop codon with its REF bases stays a stop, STOP_CODON where the REF bases cannot tell; bases past it
    (the 3' UTR) change no codon. Where the stop is kept, the sense codons it changes decide (_class_of), or
    STOP_RETAINED where it changes none. CODING where no stop codon has its REF bases (the bounds do not fit), where
    the protein does not tell its sense codons, or where they may become a stop just before the old one."""
    ref, alt = ref.upper(), alt.upper()
    if not plus:
        ref, alt = ref.translate(_COMPLEMENT)[::-1], alt.translate(_COMPLEMENT)[::-1]
    sense = max(0, 3 * to_stop - position)  # its bases before the stop codon
    readings = _stop_codon_readings(ref, alt, position, True, to_stop)
    if not readings or not set(ref + alt) <= set("ACGT"):
        return CODING
    kept = [became in _STOP_CODONS for _codon, became in readings]
    codons = _mnv_codons(ref[:sense], alt[:sense], position, True, amino_acid) if sense else []
    kinds = _mnv_kinds(codons) if codons else frozenset()
    if codons is None or "*" in kinds:
        return CODING
    if not any(kept):
        return STOP_LOST
    if not all(kept):
        return STOP_CODON
    told = _class_of(kinds, exon_edge) if codons else STOP_RETAINED
    return CODING if told is None else told


def _stop_codon_readings(ref: str, alt: str, position: int, plus: bool, to_stop: int = 0) -> list[tuple[str, str]]:
    """Each stop codon whose bases agree with the REF bases a change (its 5'-most base at codon position `position`
    of the codon `to_stop` codons before the stop codon) has there, and what ALT's bases make of it."""
    ref, alt = ref.upper(), alt.upper()
    if not plus:
        ref, alt = ref.translate(_COMPLEMENT)[::-1], alt.translate(_COMPLEMENT)[::-1]
    in_stop = {position + i - 3 * to_stop: (r, a) for i, (r, a) in enumerate(zip(ref, alt, strict=False))
               if 0 <= position + i - 3 * to_stop < 3}  # fmt: skip
    return [(codon, "".join(in_stop[b][1] if b in in_stop else codon[b] for b in range(3))) for codon in _STOP_CODONS
            if in_stop and all(codon[b] == r for b, (r, _) in in_stop.items())]  # fmt: skip


def _undecided_stop_text(ref: str, alt: str, position: int, plus: bool, to_stop: int = 0) -> str:
    """Why a change of the stop codon is neither a stop loss nor a retained stop (STOP_CODON): the reference's stop
    codon decides, and neither the VCF's REF nor the bundled protein (which ends before it) names it."""
    told = ", ".join(f"{codon}>{became} {'keeps the stop' if became in _STOP_CODONS else 'loses it'}"
                     for codon, became in _stop_codon_readings(ref, alt, position, plus, to_stop))  # fmt: skip
    return f"kept or lost by the reference's stop codon, which the VCF's REF does not give: {told}"


def coding_snv(ref: str, alt: str, position: int, plus: bool, exon_edge: bool, amino_acid: str | None) -> int:
    """The class of a coding SNV: by the amino acid at its codon where the bundled protein tells it
    (_amino_acid_change), else by its codon position and bases alone (_codon_change)."""
    told = _amino_acid_change(ref, alt, position, plus, exon_edge, amino_acid) if amino_acid else None
    return told if told is not None else _codon_change(ref, alt, position, plus, exon_edge)


def _amino_acid_change(ref: str, alt: str, position: int, plus: bool, exon_edge: bool, amino_acid: str) -> int | None:
    """A coding SNV at codon position `position` of a codon coding `amino_acid`: what every codon of that amino acid
    with the SNV's REF base there becomes with its ALT (_class_of); None where none has the REF base (the protein is
    not this transcript's here)."""
    changed = _changed_to(ref, alt, position, plus, amino_acid)
    return _class_of(_kinds(amino_acid, changed), exon_edge) if changed else None


def _kinds(amino_acid: str, changed: frozenset[str]) -> frozenset[str]:
    """What a codon of `amino_acid` that may become `changed` becomes: "*" a stop, "=" the same amino acid, "M"
    another one."""
    return frozenset("*" if a == "*" else "=" if a == amino_acid else "M" for a in changed)


def _class_of(kinds: frozenset[str], exon_edge: bool) -> int | None:
    """A coding change's class by what its codons may become (_kinds): STOP_GAINED where a stop, MISSENSE where
    another amino acid, SYNONYMOUS where the same (CODING in the exonic part of a splice region, where it may change
    splicing); where a codon's unknown base decides, STOP_OR_MISSENSE (Arg's CGN>TGN) or MISSENSE_OR_SYNONYMOUS
    (Leu's CTN>TTN; None in a splice region's exonic part); None where a stop and the same protein are both
    possible."""
    if kinds == {"*"}:
        return STOP_GAINED
    if kinds == {"="}:
        return CODING if exon_edge else SYNONYMOUS
    if "=" not in kinds:
        return STOP_OR_MISSENSE if "*" in kinds else MISSENSE
    return MISSENSE_OR_SYNONYMOUS if "*" not in kinds and not exon_edge else None


# A coding change read against the bundled protein: each codon it touches (its number after the first one's), the
# amino acid the protein has there and what that codon may become
_Codon = tuple[int, str, frozenset[str]]


def _mnv_codons(ref: str, alt: str, position: int, plus: bool, amino_acid: Callable[[int], str | None]
                ) -> list[_Codon] | None:  # fmt: skip
    """The codons a coding MNV changes, its 5'-most base (in the transcript's direction) at codon position
    `position`; `amino_acid(c)` is the protein's amino acid at the c-th codon after that one. Each codon of that amino
    acid whose bases agree with REF's there takes ALT's; None where the protein names no amino acid or none agrees
    (it is not this transcript's protein there)."""
    ref, alt = ref.upper(), alt.upper()
    if not plus:
        ref, alt = ref.translate(_COMPLEMENT)[::-1], alt.translate(_COMPLEMENT)[::-1]
    if len(ref) != len(alt) or not set(ref + alt) <= set("ACGT"):
        return None
    bases: dict[int, dict[int, tuple[str, str]]] = {}  # codon -> its base -> (REF, ALT)
    for i, (r, a) in enumerate(zip(ref, alt, strict=True)):
        c, b = divmod(position + i, 3)
        bases.setdefault(c, {})[b] = (r, a)
    codons = []
    for c, changed in bases.items():
        amino = amino_acid(c)
        fitting = [codon for codon in _CODONS_OF.get(amino or "", ()) if all(codon[b] == r for b, (r, _) in changed.items())]
        if not fitting:
            return None
        became = frozenset(_GENETIC_CODE["".join(changed[b][1] if b in changed else codon[b] for b in range(3))]
                           for codon in fitting)  # fmt: skip
        codons.append((c, amino, became))
    return codons


def _mnv_kinds(codons: Sequence[_Codon]) -> frozenset[str]:
    """What a change of several codons does to the protein (_kinds): a stop where any codon may become one, another
    protein where every codon may stay a sense codon and one may change, the same one where every codon may."""
    each = [_kinds(amino, became) for _c, amino, became in codons]
    kinds = {"*"} if any("*" in k for k in each) else set()
    if all(k - {"*"} for k in each):
        kinds |= {"M"} if any("M" in k for k in each) else set()
        kinds |= {"="} if all("=" in k for k in each) else set()
    return frozenset(kinds)


@functools.cache  # a few thousand possible calls, asked once to class an SNV and again to name its change
def _changed_to(ref: str, alt: str, position: int, plus: bool, amino_acid: str) -> frozenset[str]:
    """What the codons of `amino_acid` with the SNV's REF base at `position` code for with its ALT (empty where
    none has that base)."""
    change = _transcript_snv(ref, alt, plus)
    codons = [c for c in _CODONS_OF.get(amino_acid, ()) if change and c[position] == change[0]]
    return frozenset(_GENETIC_CODE[c[:position] + change[1] + c[position + 1 :]] for c in codons) if change else frozenset()


def _grantham(amino_acid: str, changed: frozenset[str]) -> int:
    """The largest Grantham distance from `amino_acid` to the amino acids it may become (stops and itself aside)."""
    return max((_GRANTHAM[(amino_acid, a)] for a in changed if a not in ("*", amino_acid)), default=0)


_THREE_LETTER = {"A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu", "G": "Gly",
                 "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe", "P": "Pro", "S": "Ser",
                 "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val", "*": "Ter"}  # fmt: skip


def _protein_change(codons: Sequence[_Codon], residue: int, accession: str) -> str:
    """The change in HGVS's protein notation, predicted (in parentheses), on the UniProt sequence it was read
    against (`residue`: the first codon's, 0-based): "p.(Trp19Ter)", "p.(Pro5=)", an MNV's "p.(Trp19Lys)" or
    "p.(Ala5_Gly6delinsValSer)"; where a codon's other bases would decide between amino acids, each is named
    ("p.(Leu6Ile or Met)", "p.(Arg3Ter or Trp)", "p.(Leu6Phe or =)"; of several codons "p.[(Ala5Val;Arg6Ter or
    Trp)]"). A missense change gives its Grantham distance (the largest, where several)."""
    # no protein is made past a codon that becomes a stop; codons kept at either end are not named
    stop = next((i for i, (_c, _a, became) in enumerate(codons) if became == {"*"}), len(codons) - 1)
    codons = codons[: stop + 1]
    changed = [i for i, (_c, amino, became) in enumerate(codons) if became != {amino}]
    if changed:
        codons = codons[changed[0] : changed[-1] + 1]

    def was(c: int, amino: str) -> str:
        return f"{_THREE_LETTER[amino]}{residue + c + 1}"

    def now(amino: str, became: frozenset[str]) -> str:
        return " or ".join([_THREE_LETTER[a] for a in sorted(became - {amino})] + ["="] * (amino in became))

    (c0, amino0, became0), (c1, amino1, _) = codons[0], codons[-1]
    if len(codons) == 1:
        change = f"({was(c0, amino0)}{now(amino0, became0)})"
    elif not changed:
        change = f"({was(c0, amino0)}_{was(c1, amino1)}=)"
    elif all(len(became) == 1 for _c, _a, became in codons):
        change = f"({was(c0, amino0)}_{was(c1, amino1)}delins{''.join(_THREE_LETTER[a] for _c, _a, b in codons for a in b)})"
    else:
        change = "[(" + ";".join(f"{was(c, a)}{now(a, b)}" for c, a, b in codons if b != {a}) + ")]"
    stops = any("*" in became for _c, _a, became in codons)
    distance = 0 if stops else max(_grantham(amino, became) for _c, amino, became in codons)
    return f"p.{change} on UniProt {accession}" + (f"; Grantham distance {distance}" if distance else "")


def _stop_codon_protein_change(ref: str, alt: str, position: int, plus: bool, residue: int, accession: str) -> str:
    """An SNV of the stop codon (codon `residue`, 0-based) in HGVS's protein notation, as VEP names it: a stop lost
    "p.(Ter1481Trpext*?)" (the new stop lies past the coding bounds, unread), a retained stop "p.(Ter1481=)"; where
    the stop codon's other bases would decide, each reading ("p.(Ter1481Glnext*? or Argext*?)", "p.(Ter1481Trpext*?
    or =)")."""
    became = _changed_to(ref, alt, position, plus, "*")
    named = [f"{_THREE_LETTER[a]}ext*?" for a in sorted(became - {"*"})] + ["="] * ("*" in became)
    return f"p.(Ter{residue + 1}{' or '.join(named)}) on UniProt {accession}"


def _codon_change(ref: str, alt: str, position: int, plus: bool, exon_edge: bool) -> int:
    """A coding SNV at codon position `position` (0-2), told without the reference codon (in the transcript's
    direction; the standard genetic code):
    - PROTEIN_ALTERING: every codon changes its amino acid (or to a stop) with it: any change of the second base; of
      the first, all but C<>T and C<>A;
    - LIKELY_PROTEIN_ALTERING: C<>T or C<>A at the first base, synonymous only in Leu (CTA/CTG, TTA/TTG) and Arg
      (CGA/CGG, AGA/AGG) codons, and the CpG changes that make stops (CGA>TGA, CAG>TAG) among the rest;
    - SYNONYMOUS: C<>T at the third base (NNC and NNT always code the same amino acid);
    - LIKELY_SYNONYMOUS: A<>G at the third base, synonymous but in ATA/ATG (Ile/Met) and TGG>TGA (Trp>stop);
    - THIRD_BASE_TRANSVERSION: synonymous or missense by the codon;
    - CODING: a third-base change in the exonic part of a splice region (it may change splicing)."""
    change = _transcript_snv(ref, alt, plus)
    if change is None:
        return CODING
    if position == 1:
        return PROTEIN_ALTERING
    if position == 0:
        return LIKELY_PROTEIN_ALTERING if change in ("CT", "TC", "CA", "AC") else PROTEIN_ALTERING
    if exon_edge:
        return CODING
    if change in ("CT", "TC"):
        return SYNONYMOUS
    return LIKELY_SYNONYMOUS if change in ("AG", "GA") else THIRD_BASE_TRANSVERSION


def _read_codons(
    regions: Regions, rows: list[tuple], vclass: np.ndarray, start0: np.ndarray, index: GeneIndex
) -> dict[int, str]:
    """What the bases of a record tell of the codons it touches, in `regions.cds` (in place): a start codon kept
    whole by an insertion beside it, a stop codon lost or retained, a coding SNV's or MNV's class. Returns the protein
    change of each coding or stop codon SNV, or coding MNV, pair whose amino acids the bundled protein tells (pair
    index -> "p.(Trp19Ter) ...", "p.(Ter1481Serext*?) ...")."""
    for j in np.nonzero(regions.cds == START_CODON)[0].tolist():
        # A pure insertion at or inside the ATG may leave it whole: at its edge, or inside it where the inserted bases
        # can slide out of it (a left-aligned VCF puts a minus-strand 5' UTR insertion inside the codon).
        v, g = int(regions.variant[j]), int(regions.gene[j])
        plus = index.strand[g] > 0
        codon0 = int(index.cds_start[g] if plus else index.cds_end[g] - 3)
        # (A deletion from the codon's last base by position may be the same change a base on, the ATG whole, where
        # the next base repeats the deleted one; that base is not in the VCF, and the written change is kept: the
        # Kozak context makes the repeat the rarer case, and a real start loss must not fall to a UTR's score.)
        if rows[v][18] == "INS":  # its bases not written: the ATG is kept whole only by one at the codon's edge
            kept = (UTR5 if plus else CODING) if start0[v] == codon0 else None
        else:
            kept = _start_codon_kept(rows[v][6], rows[v][7], int(start0[v]), codon0, plus)
        if kept is not None:
            regions.cds[j] = kept
    changes: dict[int, str] = {}
    last_exon = regions.last_exon()
    for j in np.nonzero(regions.codon >= 0)[0].tolist():
        # An SNV of the stop codon or of coding sequence: what its codon position and bases say without the reference
        # codon (a stop loss or a retained stop), and with the amino acid of the bundled protein where there is one
        # (coding_snv); an MNV inside one exon's coding bases with the amino acid of each codon it changes, as VEP
        # reads it (CODING where the protein does not tell it). An indel there stays coding: its effect needs the
        # bases around it.
        v = int(regions.variant[j])
        stop = regions.cds[j] == STOP_CODON
        if vclass[v] not in (SNV, MNV):
            regions.cds[j] = CODING
            continue
        ref, alt, position, g = rows[v][6], rows[v][7], int(regions.codon[j]), int(regions.gene[j])
        plus, edge = index.strand[g] > 0, bool(regions.exon_edge[j])
        if stop and vclass[v] == MNV:
            to_stop = index.coding_length(g) // 3 - 1 - int(regions.residue[j])
            regions.cds[j] = _mnv_stop_codon_change(ref, alt, position, plus, to_stop, edge,
                                                    partial(_amino_acid_after, index, g, int(regions.residue[j])))
            if regions.cds[j] == STOP_CODON:
                changes[j] = _undecided_stop_text(ref, alt, position, plus, to_stop)
            continue
        if stop:
            regions.cds[j] = _stop_codon_change(ref, alt, position, plus)
            # named where the bundled protein fits the transcript (its stop codon is then the residue after its last)
            named = ""
            if vclass[v] == SNV and regions.cds[j] != CODING and index.protein_accession(g):
                named = _stop_codon_protein_change(ref, alt, position, plus, int(regions.residue[j]),
                                                   index.protein_accession(g))  # fmt: skip
            # An SNV's one base cannot tell TAA>TGA (kept) from TAG>TGG (lost): no bundled table names the stop
            # codon, so it stays undecided, and the evidence says why. (Another record's REF at the codon's other
            # bases would tell, but records are read one by one, and such a pair is an MNV a caller should merge.)
            undecided = _undecided_stop_text(ref, alt, position, plus) if regions.cds[j] == STOP_CODON else ""
            if named or undecided:
                changes[j] = "; ".join(t for t in (named, undecided) if t)
            continue
        residue = int(regions.residue[j])
        codons: Sequence[_Codon] | None = None
        amino_acid: str | None = None
        if vclass[v] == SNV:
            amino_acid = index.amino_acid(g, residue)
            told = coding_snv(ref, alt, position, plus, edge, amino_acid)
            changed = _changed_to(ref, alt, position, plus, amino_acid) if amino_acid else frozenset()
            codons = ((0, amino_acid, changed),) if amino_acid and changed else None
        else:
            codons = _mnv_codons(ref, alt, position, plus, partial(_amino_acid_after, index, g, residue))
            told = _class_of(_mnv_kinds(codons), edge) if codons else None
            told = CODING if told is None else told
        # a missense change weighed by the residue its homologues keep most (of an MNV's codons that may change)
        kept, kept_amino = None, ""
        if told in (MISSENSE, STOP_OR_MISSENSE) and codons:
            found = [(k, amino) for c, amino, became in codons
                     if "M" in _kinds(amino, became) and (k := index.conservation(g, residue + c)) is not None]
            kept, kept_amino = max(found, key=lambda f: (f[0].decile, f[0].many), default=(None, ""))
        regions.cds[j] = (STOP_GAINED_LAST_EXON if told == STOP_GAINED and last_exon[j]
                          else missense_by_conservation(kept) if told == MISSENSE
                          else stop_or_missense_by_conservation(kept) if told == STOP_OR_MISSENSE else told)  # fmt: skip
        if codons and told in (MISSENSE, STOP_GAINED, SYNONYMOUS, STOP_OR_MISSENSE, MISSENSE_OR_SYNONYMOUS):
            changes[j] = _protein_change(codons, residue, index.protein_accession(g)) + (
                _conservation_text(kept_amino, kept, int(regions.cds[j])) if kept is not None else "")
        elif vclass[v] == SNV and amino_acid is None and told in _BY_CODON_POSITION:
            changes[j] = _codon_position_text(ref, alt, position, plus)
    return changes


def _amino_acid_after(index: GeneIndex, g: int, residue: int, c: int) -> str | None:
    """The bundled protein's amino acid `c` codons after codon `residue` of gene `g` (GeneIndex.amino_acid)."""
    return index.amino_acid(g, residue + c)


# The classes a coding SNV is told by its codon position and bases alone (_codon_change)
_BY_CODON_POSITION = frozenset({PROTEIN_ALTERING, LIKELY_PROTEIN_ALTERING, SYNONYMOUS, LIKELY_SYNONYMOUS,
                                THIRD_BASE_TRANSVERSION})  # fmt: skip


def _codon_position_text(ref: str, alt: str, position: int, plus: bool) -> str:
    """What a coding SNV told by its codon position was told by ("A>C at a codon's second base ..."): no residue
    number, which would be the gene model transcript's, not always the protein's a report names (FGFR2's differ)."""
    change = _transcript_snv(ref, alt, plus) or "??"
    return (f"{change[0]}>{change[1]} at a codon's {('first', 'second', 'third')[position]} base (coding strand); "
            "amino acid not named: no bundled protein fits the gene model's transcript")


def missense_by_conservation(kept: Conservation | None) -> int:
    """A missense change's class by how the protein's homologues keep its residue (GeneIndex.conservation; None
    without the table). The bounds are those at which the likelihood ratio of published causal missense SNVs against
    a normal exome's changes steps (models/checks/conservation.py): a residue kept by 3-9 homologues is a class of its
    own where they all but all keep it (a lower prior) or where under 60% do (the same prior, no BP4: too few)."""
    if kept is None:
        return MISSENSE
    if kept.decile < 0:
        return MISSENSE_FEW_HOMOLOGUES
    if kept.decile >= 9:
        return MISSENSE_CONSERVED if kept.many else MISSENSE_CONSERVED_AMONG_FEW
    if kept.decile >= 6:
        return MISSENSE_PARTLY_CONSERVED
    return MISSENSE_NOT_CONSERVED if kept.many else MISSENSE_NOT_CONSERVED_AMONG_FEW


def stop_or_missense_by_conservation(kept: Conservation | None) -> int:
    """A stop-or-missense change's class: STOP_OR_MISSENSE_CONSERVED where its residue is one whose missense change
    would be at least partly conserved (kept by >= 60% of three or more homologues), so that either reading harms."""
    kept_class = missense_by_conservation(kept)
    return STOP_OR_MISSENSE_CONSERVED if kept_class in _KEPT_RESIDUE else STOP_OR_MISSENSE


_KEPT_RESIDUE = frozenset({MISSENSE_CONSERVED, MISSENSE_CONSERVED_AMONG_FEW, MISSENSE_PARTLY_CONSERVED})


def _conservation_text(amino_acid: str, kept: Conservation, told: int) -> str:
    """How the homologues keep the residue, for the evidence ("; Gly kept by at least 90% of homologous proteins"),
    and, for a missense change (`told`, its class) at a residue that few vary, why it has no BP4, where a clinician
    would look for it."""
    if kept.decile < 0:
        return "; fewer than three homologous proteins align here"
    share = "at least 90%" if kept.decile >= 9 else f"{10 * kept.decile}-{10 * kept.decile + 9}%"
    among = "" if kept.many else " 3-9"
    too_few = "; too few for BP4" if told == MISSENSE_NOT_CONSERVED_AMONG_FEW else ""
    return f"; {_THREE_LETTER[amino_acid]} kept by {share} of{among} homologous proteins (Swiss-Prot){too_few}"


_HGVS_P = re.compile(r"p\.\(?([A-Z][a-z]{2}|[A-Z](?=\d))(\d+)(?!\d)")  # p.Pro5Thr; ANNOVAR's one-letter p.P5T


def _protein_residue(hgvs: str, g: int, index: GeneIndex) -> int | None:
    """The residue (0-based) an HGVS p. names where the bundled protein has the same amino acid there; None where it
    is another isoform's numbering, or no protein is known."""
    m = _HGVS_P.search(hgvs)
    if not m or g >= len(index.symbols):
        return None
    residue = int(m.group(2)) - 1
    if _THREE_LETTER.get(index.amino_acid(g, residue) or "") != _THREE_LETTER.get(m.group(1), m.group(1)):
        return None
    return residue


def _on_bundled_protein(ann: GeneAnnotation, g: int, index: GeneIndex) -> GeneAnnotation:
    """Where the file lists the change on several transcripts and marks none (ANNOVAR's AAChange), the one whose
    residue is the bundled UniProt protein's (the canonical isoform, as a report names it, and the numbering the
    conservation table reads); the file's first where none or the first fits."""
    if not ann.hgvs_alternatives or _protein_residue(ann.hgvs, g, index) is not None:
        return ann
    fits = next((h for h in ann.hgvs_alternatives if _protein_residue(h, g, index) is not None), "")
    return replace(ann, hgvs=fits) if fits else ann


def _annotated_conservation(ann: GeneAnnotation, g: int, index: GeneIndex) -> tuple[int, str]:
    """The conservation class (missense_by_conservation) of an annotated missense variant that has no REVEL or CADD
    score, where its HGVS p. names a residue of the bundled protein with the same amino acid, and what the evidence
    says of it after the file's HGVS (_conservation_text, as an unannotated change's); (NO_CDS, "") otherwise."""
    if ann.consequence != "missense_variant" or "REVEL" in ann.scores or "CADD" in ann.scores:
        return NO_CDS, ""
    residue = _protein_residue(ann.hgvs, g, index)
    if residue is None:
        return NO_CDS, ""  # another isoform's numbering, or no protein here
    kept = index.conservation(g, residue)
    told = missense_by_conservation(kept)
    if told == MISSENSE:  # no conservation table for this protein
        return NO_CDS, ""
    return told, _conservation_text(index.amino_acid(g, residue) or "", kept, told)
