"""Families beyond trios: relatives of known status (PED) and their calls in a multi-sample VCF, as ACMG PP1/BS4 on
the variant and as the inheritance fit of the gene. VCFs and PEDs are made here."""

from __future__ import annotations

import re

import pytest
from vcf_fixtures import gene, record, trio_background, vcf_text, write_ped, write_plain

from raretrace.genomics import load_genomics
from raretrace.inheritance import UNAFFECTED_CARRIER, fit_gene, gene_modes


@pytest.fixture(scope="module")
def db(engine):
    return engine.db


def _load(db, tmp_path, recs: list[str], samples: tuple[str, ...], ped: list[str], **kw):
    recs = sorted(recs, key=lambda r: (r.split("\t")[0], int(r.split("\t")[1])))
    vcf = write_plain(tmp_path / "family.vcf", vcf_text(recs, samples=samples))
    kw.setdefault("sample", "kid")  # a PED with several affected members leaves the patient to be named
    return load_genomics(vcf, db, ped=write_ped(tmp_path / "family.ped", ped), **kw)


def _criteria(variant, code: str) -> list:
    return [c for c in variant.criteria if c.code == code]


def _fit(db, result, symbol: str):
    parents = {r: result.affected.get(s) for s, r in result.relatives.items() if r in ("father", "mother")}
    return fit_gene(result.genes[symbol], gene_modes(db).get(symbol), result.sex, parents)


QUAD = ("dad", "kid", "mum", "sib")


def _quad_ped(sib_status: str, dad_status: str = "1") -> list[str]:
    return [f"F dad 0 0 1 {dad_status}", "F mum 0 0 2 1", "F kid dad mum 1 2", f"F sib dad mum 2 {sib_status}"]


def test_an_affected_sibling_sharing_a_dominant_variant_cosegregates_and_one_without_it_is_bs4(db, tmp_path):
    fg = gene(db, "FGFR2")
    shared = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/0", "0/1")], QUAD,
                   _quad_ped("2", dad_status="2"))  # fmt: skip
    v = shared.genes["FGFR2"].variants[0]
    # two informative meioses (1/4 by chance) are no PP1: Jarvik & Browning ask 3 (LOD 0.9) for supporting; the
    # fit names the cosegregation all the same
    assert not _criteria(v, "PP1") and not _criteria(v, "BS4")
    fit = _fit(db, shared, "FGFR2").fit
    assert fit.compatible and "segregating with the disease in the family (affected father dad 0/1, affected " \
                              "sibling sib 0/1)" in fit.explanation

    lacking = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/0", "0/0")], QUAD,
                    _quad_ped("2", dad_status="2"))  # fmt: skip
    v = lacking.genes["FGFR2"].variants[0]
    (bs4,) = _criteria(v, "BS4")
    assert bs4.value == "affected sibling sib 0/0" and not _criteria(v, "PP1")
    fit = _fit(db, lacking, "FGFR2")
    assert fit.fit.compatible is False and "not segregating with the disease in the family (affected sibling sib " \
                                          "0/0)" in fit.fit.explanation
    # a caution of a partial fit, as an unaffected parent's transmission is: the same factor, not an exclusion
    assert fit.score == pytest.approx(_fit(db, shared, "FGFR2").score * UNAFFECTED_CARRIER)


def test_a_dominant_variant_an_unaffected_sibling_carries_is_a_caution_not_bs4(db, tmp_path):
    fg = gene(db, "FGFR2")
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0", "0/1")], QUAD,
                   _quad_ped("1"))  # fmt: skip
    v = result.genes["FGFR2"].variants[0]
    assert not _criteria(v, "BS4") and not _criteria(v, "PP1")  # no affected relative: nothing cosegregates
    fit = _fit(db, result, "FGFR2").fit
    assert fit.compatible is False and "(unaffected sibling sib 0/1)" in fit.explanation


def test_a_de_novo_call_in_a_dominant_gene_with_an_affected_father_without_it_is_bs4(db, tmp_path):
    fg = gene(db, "FGFR2")
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0")], ("dad", "kid", "mum"),
                   ["F dad 0 0 1 2", "F mum 0 0 2 1", "F kid dad mum 1 2"])  # fmt: skip
    v = result.genes["FGFR2"].variants[0]
    assert v.de_novo is True and [c.value for c in _criteria(v, "BS4")] == ["affected father dad 0/0"]
    assert _fit(db, result, "FGFR2").fit.compatible is False


def test_an_unaffected_sibling_homozygous_for_a_recessive_variant_argues_against_it(db, tmp_path):
    pah = gene(db, "PAH")
    for sib_call, sib_status, fits in (("1/1", "1", False), ("0/1", "1", True), ("1/1", "2", True)):
        result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "0/1", "1/1", "0/1", sib_call)], QUAD,
                       _quad_ped(sib_status))  # fmt: skip
        v = result.genes["PAH"].variants[0]
        fit = _fit(db, result, "PAH").fit
        assert fit.compatible is fits, sib_call
        if not fits:  # an unaffected relative with the genotype: no PP1, and no BS4 (ACMG's BS4 is of the affected)
            assert f"not segregating with the disease in the family (unaffected sibling sib {sib_call})" in fit.explanation
            assert not _criteria(v, "PP1") and not _criteria(v, "BS4")
        elif sib_status == "2":  # an affected sibling homozygous too: two informative meioses (1/4), under 3
            assert not _criteria(v, "PP1") and "segregating with the disease in the family" in fit.explanation
    # an affected sibling only heterozygous for the patient's homozygous variant of a recessive gene: BS4
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "0/1", "1/1", "0/1", "0/1")], QUAD,
                   _quad_ped("2"))  # fmt: skip
    assert [c.value for c in _criteria(result.genes["PAH"].variants[0], "BS4")] == ["affected sibling sib 0/1"]


def test_an_unaffected_sibling_with_both_compound_heterozygous_variants_argues_against_them(db, tmp_path):
    pah = gene(db, "PAH")
    recs = [record("12", pah.exonic(3), "C", "T", "0/1", "0/1", "0/0", "0/1"),  # from dad
            record("12", pah.exonic(5), "C", "T", "0/0", "0/1", "0/1", "0/1")]  # from mum
    against = _fit(db, _load(db, tmp_path, recs, QUAD, _quad_ped("1")), "PAH")
    assert against.fit.compatible is False and "two heterozygous variants (in trans), not segregating" in \
        against.fit.explanation and "unaffected sibling sib 0/1 and 0/1" in against.fit.explanation
    recs[1] = record("12", pah.exonic(5), "C", "T", "0/0", "0/1", "0/1", "0/0")  # the sibling has one only
    fits = _fit(db, _load(db, tmp_path, recs, QUAD, _quad_ped("1")), "PAH")
    assert fits.fit.compatible is True and fits.score == pytest.approx(against.score / UNAFFECTED_CARRIER)


def test_x_linked_carrier_mother_affected_son_and_an_unaffected_hemizygous_brother(db, tmp_path):
    otc = gene(db, "OTC")
    family = ("dad", "kid", "mum", "bro")
    ped = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2", "F bro dad mum 1 {}"]
    for bro_call, status, fits in (("1", "1", False), ("0", "1", True), ("1", "2", True)):
        result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "0", "1", "0/1", bro_call)], family,
                       [*ped[:3], ped[3].format(status)])  # fmt: skip
        gv = result.genes["OTC"]
        assert gv.genotypes == ("hemizygous",) and gv.origins == ("maternal",)
        fit = _fit(db, result, "OTC").fit
        assert fit.compatible is fits, (bro_call, status)
        v = gv.variants[0]
        assert not _criteria(v, "BS4")  # the carrier mother is no evidence against
        if status == "2":  # one informative meiosis: no PP1 (3 needed), the fit says it cosegregates
            assert not _criteria(v, "PP1") and "segregating with the disease in the family (affected sibling bro 1)" \
                in fit.explanation
        elif bro_call == "1":
            assert "(unaffected sibling bro 1)" in fit.explanation


def test_pp1_strength_follows_the_informative_meioses(db, tmp_path):
    # Jarvik & Browning 2016: moderate from 5 meioses, strong from 7; a large dominant family's affected carriers
    fg = gene(db, "FGFR2")
    for relatives, strength in ((2, None), (3, "supporting"), (4, "supporting"), (5, "moderate"), (7, "strong")):
        samples = ("kid", *(f"r{n}" for n in range(relatives)))
        ped = ["F kid 0 0 1 2", *(f"F r{n} 0 0 2 2" for n in range(relatives))]
        result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", *(["0/1"] * len(samples)))], samples,
                       ped)  # fmt: skip
        found = _criteria(result.genes["FGFR2"].variants[0], "PP1")
        if strength is None:  # Jarvik & Browning ask 3 meioses (LOD 0.9) for supporting
            assert not found
            continue
        (pp1,) = found
        assert pp1.strength == strength and pp1.value.endswith(f"; {relatives} informative meioses")


def test_affected_recessive_siblings_count_two_meioses_each(db, tmp_path):
    # Jarvik & Browning: an affected sibling sharing the patient's recessive genotype is 1/4 by chance, two
    # meioses; two such siblings are four, PP1 supporting (one is two, under the 3 supporting needs)
    pah = gene(db, "PAH")
    samples = ("dad", "kid", "mum", "sib", "sib2")
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "0/1", "1/1", "0/1", "1/1", "1/1")], samples,
                   [*_quad_ped("2"), "F sib2 dad mum 1 2"])  # fmt: skip
    (pp1,) = _criteria(result.genes["PAH"].variants[0], "PP1")
    assert pp1.strength == "supporting"
    assert pp1.value == "affected sibling sib 1/1; affected sibling sib2 1/1; 4 informative meioses"


def test_relatives_of_unknown_status_tell_nothing_of_segregation(db, tmp_path):
    fg = gene(db, "FGFR2")
    for status in ("0", "-9"):
        result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0", "0/0")], QUAD,
                       _quad_ped(status))  # fmt: skip
        v = result.genes["FGFR2"].variants[0]
        assert not _criteria(v, "BS4") and not _criteria(v, "PP1")
        assert "segregat" not in _fit(db, result, "FGFR2").fit.explanation


def test_another_family_of_the_ped_is_not_the_patients_family(db, tmp_path):
    # a cohort's VCF and a PED of two families: the other family's affected patient without the variant is no BS4
    fg = gene(db, "FGFR2")
    samples = ("dad", "kid", "mum", "other")
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0", "0/0")], samples,
                   ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2", "G other 0 0 1 2"])
    assert "other" not in result.relatives
    assert not _criteria(result.genes["FGFR2"].variants[0], "BS4")


def test_the_vcf_summary_names_the_ped_and_the_family_read_with_their_status(db, tmp_path):
    # PS2/PM6, PP1 and BS4 rest on the PED's relatives and their affection status, yet neither the PDF nor the JSON
    # said which PED was used or who was affected: a reader could not tell where the family evidence came from
    from raretrace.evidence import FamilyMember

    fg = gene(db, "FGFR2")
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/0", "0/1")], QUAD,
                   ["F dad 0 0 1 1", "F mum 0 0 2 0", "F kid dad mum 1 2", "F sib dad mum 2 2"])
    summary = result.summary
    assert summary.ped == str(tmp_path / "family.ped")
    assert summary.family == (FamilyMember("kid", "patient", "MALE", True), FamilyMember("dad", "father", "MALE", False),
                              FamilyMember("mum", "mother", "FEMALE", None), FamilyMember("sib", "sibling", "FEMALE", True))
    assert summary.family_text() == ("patient kid (affected); father dad (unaffected); mother mum (status unknown); "
                                     "sibling sib (affected)")
    single = load_genomics(write_plain(tmp_path / "one.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "0/1")])),
                           db)
    assert single.summary.ped == "" and single.summary.family == ()


def test_a_sibling_or_child_of_unknown_status_is_still_named_as_such_in_the_family_read(db, tmp_path):
    # The relation was named only for relatives of known status (those that count for segregation), so the PDF, the
    # preview, the command line and vcf.family read 'relative sib (status unknown)' for the patient's own sister
    from raretrace.evidence import FamilyMember

    fg = gene(db, "FGFR2")
    samples = ("dad", "kid", "mum", "sib", "son")
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0", "0/0", "0/1")], samples,
                   [*_quad_ped("0"), "F son kid 0 1 -9"])
    assert result.summary.family[3:] == (FamilyMember("sib", "sibling", "FEMALE", None),
                                         FamilyMember("son", "child", "MALE", None))
    assert not _criteria(result.genes["FGFR2"].variants[0], "PP1")  # unknown status still tells nothing


def test_a_partner_or_relative_by_marriage_is_no_evidence_of_segregation(db, tmp_path):
    # The patient's affected partner (a couple of deaf or short-statured parents is common) was read as an affected
    # relative: lacking the patient's variant was BS4 and a partial fit, carrying it an informative meiosis. Not
    # related by descent to the patient, a partner or in-law tells nothing of how the variant segregates.
    from raretrace.evidence import FamilyMember

    fg = gene(db, "FGFR2")
    samples = ("kid", "partner", "son", "uncle", "aunt")
    ped = ["F gp 0 0 1 1", "F gm 0 0 2 1", "F dad gp gm 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2",
           "F uncle gp gm 1 1", "F aunt 0 0 2 2", "F cousin uncle aunt 2 0", "F partner 0 0 2 2",
           "F son kid partner 1 2"]
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/1", "0/0", "0/1", "0/0", "0/0")], samples,
                   ped)  # fmt: skip
    v = result.genes["FGFR2"].variants[0]
    assert not _criteria(v, "BS4") and not _criteria(v, "PP1")
    fit = _fit(db, result, "FGFR2").fit
    assert fit.compatible and "partner" not in fit.explanation and "aunt" not in fit.explanation
    assert result.summary.family[1:] == (FamilyMember("uncle", "paternal uncle", "MALE", False),
                                         FamilyMember("aunt", "relative by marriage", "FEMALE", True),
                                         FamilyMember("partner", "partner", "FEMALE", True),
                                         FamilyMember("son", "child", "MALE", True))
    # carrying it, neither counts a meiosis: the father and two children are three
    samples = ("dad", "kid", "mum", "partner", "son", "daughter")
    ped = ["F dad 0 0 1 2", "F mum 0 0 2 1", "F kid dad mum 1 2", "F partner 0 0 2 2", "F son kid partner 1 2",
           "F daughter kid partner 2 2"]
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/0", "0/1", "0/1", "0/1")],
                   samples, ped)  # fmt: skip
    (pp1,) = _criteria(result.genes["FGFR2"].variants[0], "PP1")
    assert pp1.value == ("affected father dad 0/1; affected child son 0/1; affected child daughter 0/1; 3 "
                         "informative meioses")


def test_a_half_sibling_is_named_so_and_counts_as_one_meiosis_under_recessive_inheritance(db, tmp_path):
    # A relative sharing one parent was named and counted as a full sibling: under recessive inheritance two
    # meioses (1/4 by chance, both parents carriers), which a half-sibling's other parent does not give
    from raretrace.evidence import FamilyMember

    pah = gene(db, "PAH")
    samples = ("dad", "kid", "mum", "sib", "half")
    ped = [*_quad_ped("2"), "F dad2 0 0 1 1", "F half dad2 mum 2 2"]
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "0/1", "1/1", "0/1", "1/1", "1/1")], samples,
                   ped)  # fmt: skip
    assert result.summary.family[3:] == (FamilyMember("sib", "sibling", "FEMALE", True),
                                         FamilyMember("half", "maternal half-sibling", "FEMALE", True))
    (pp1,) = _criteria(result.genes["PAH"].variants[0], "PP1")
    assert pp1.value == "affected sibling sib 1/1; affected maternal half-sibling half 1/1; 3 informative meioses"
    # a parent unknown on either side: whether the two are full siblings cannot be told, read as the PED says no more
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "0/1", "1/1", "0/1", "1/1", "1/1")], samples,
                   [*_quad_ped("2"), "F half 0 mum 2 2"])  # fmt: skip
    assert result.summary.family[4].role == "sibling"


def test_a_male_patients_father_and_sons_share_no_x_and_count_no_meiosis_on_it(db, tmp_path):
    # A son's X is his mother's: an affected father (or son) with the male patient's X variant was counted an
    # informative meiosis, as if he had passed it on, and took PP1 over its threshold
    ph = gene(db, "PHEX")  # X-linked dominant
    samples = ("dad", "kid", "mum", "bro")
    ped = ["F dad 0 0 1 2", "F mum 0 0 2 2", "F kid dad mum 1 2", "F bro dad mum 1 2"]
    result = _load(db, tmp_path, [record("X", ph.exonic(3), "C", "T", "1", "1", "0/1", "1")], samples, ped)
    v = result.genes["PHEX"].variants[0]
    assert v.genotype == "hemizygous" and not _criteria(v, "PP1") and not _criteria(v, "BS4")
    # a male's X is his mother's: her carrying it is no transmission either (1 by descent, as Mendel has it); two
    # affected brothers are two meioses, three are three
    result = _load(db, tmp_path, [record("X", ph.exonic(3), "C", "T", "1", "1", "0/1", "1", "1")],
                   (*samples, "bro2"), [*ped, "F bro2 dad mum 1 2"])  # fmt: skip
    assert not _criteria(result.genes["PHEX"].variants[0], "PP1")
    result = _load(db, tmp_path, [record("X", ph.exonic(3), "C", "T", "1", "1", "0/1", "1", "1", "1")],
                   (*samples, "bro2", "bro3"), [*ped, "F bro2 dad mum 1 2", "F bro3 dad mum 1 2"])  # fmt: skip
    (pp1,) = _criteria(result.genes["PHEX"].variants[0], "PP1")
    assert pp1.value.endswith("; 3 informative meioses (by descent in the PED: father dad 0, mother mum 0)")


_COUSINS = ["F gp 0 0 1 1", "F gm 0 0 2 1", "F dad gp gm 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2",
            "F sib dad mum 2 2", "F uncle gp gm 1 1", "F aunt 0 0 2 1", "F cousin uncle aunt 2 2",
            "F cousin2 uncle aunt 2 2"]


def test_a_distant_affected_relative_counts_the_meioses_between_them(db, tmp_path):
    # Jarvik & Browning count the transmissions that carry the variant to the affected relatives: a first cousin
    # shares the patient's allele by chance 1 in 8 (3 meioses), not 1 in 2, yet each relative counted one, so an
    # affected sister and cousin were 2 meioses (no PP1) where they are 4 (1/16)
    fg = gene(db, "FGFR2")
    samples = ("cousin", "kid", "sib")
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/1")], samples, _COUSINS)
    (pp1,) = _criteria(result.genes["FGFR2"].variants[0], "PP1")
    assert pp1.strength == "supporting" and pp1.value == (
        "affected sibling sib 0/1; affected paternal first cousin cousin 0/1; 4 informative meioses (by descent in "
        "the PED: paternal first cousin cousin 3)")
    # two cousins who are sisters share their line: 4 meioses together (1/16), not 3 each
    samples = ("cousin", "cousin2", "kid")
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/1")], samples, _COUSINS)
    (pp1,) = _criteria(result.genes["FGFR2"].variants[0], "PP1")
    assert pp1.value.endswith("; 4 informative meioses (by descent in the PED: paternal first cousin cousin 3, "
                              "paternal first cousin cousin2 3 each alone)")
    # a relative the PED lists but does not join to the patient still counts one, as before
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/1")], ("kid", "x", "y"),
                   [*_COUSINS[:5], "F x 0 0 2 2", "F y 0 0 1 2"])  # fmt: skip
    assert not _criteria(result.genes["FGFR2"].variants[0], "PP1")


def test_a_homozygous_call_from_related_parents_says_so(db, tmp_path):
    # The parents are first cousins (the PED's loop through the grandparents): a rare allele homozygous by descent is
    # expected of their child, yet PM3's homozygous occurrence and 'from both parents' read as in any family
    cftr = gene(db, "CFTR")
    af = ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD allele frequency">',)
    ped = ["F gp 0 0 1 1", "F gm 0 0 2 1", "F a gp gm 1 1", "F b gp gm 2 1", "F sa 0 0 2 1", "F sb 0 0 1 1",
           "F dad a sa 1 1", "F mum sb b 2 1", "F kid dad mum 1 2", "F sib dad mum 2 2", "F sis2 dad mum 2 2"]
    samples = ("dad", "kid", "mum", "sib", "sis2")
    recs = [record("7", cftr.exonic(3), "C", "T", "0/1", "1/1", "0/1", "1/1", "1/1", info="gnomAD_AF=0.0001")]
    vcf = write_plain(tmp_path / "family.vcf", vcf_text(recs, samples=samples, infos=af))
    result = load_genomics(vcf, db, ped=write_ped(tmp_path / "family.ped", ped), sample="kid")
    v = result.genes["CFTR"].variants[0]
    assert v.inherited_from == "from both parents, who are related (per the PED)"
    assert [c.value for c in _criteria(v, "PM3")] == [
        "homozygous; father 0/1, mother 0/1; the parents are related (per the PED): homozygous by descent, as "
        "expected of a rare allele"]
    assert _fit(db, result, "CFTR").fit.compatible  # the loop read without fault
    # unrelated parents: as before
    result = load_genomics(vcf, db, ped=write_ped(tmp_path / "plain.ped", ped[5:]), sample="kid")
    v = result.genes["CFTR"].variants[0]
    assert v.inherited_from == "from both parents" and [c.value for c in _criteria(v, "PM3")] == [
        "homozygous; father 0/1, mother 0/1"]
    # PP1 counts a sibling of related parents under one meiosis (17/32 by chance): said why, not left to read as an
    # error ('sibling sib 0.9')
    fg = gene(db, "FGFR2")
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", *["0/1"] * 6)], (*samples, "sis3"),
                   [*ped[:6], "F dad a sa 1 2", *ped[7:], "F sis3 dad mum 2 2"])  # fmt: skip
    (pp1,) = _criteria(result.genes["FGFR2"].variants[0], "PP1")
    assert pp1.value.endswith(
        "; 3 informative meioses (by descent in the PED; the parents are related, so relatives share more by chance: "
        "father dad 0.8, sibling sib 0.9, sibling sis2 0.9, sibling sis3 0.9 each alone)")


def test_a_male_patients_relatives_on_his_fathers_side_count_no_meiosis_on_x_where_descent_is_not_worked_out(
        db, tmp_path):
    # His X is his mother's: a paternal aunt or cousin shares none of it by descent. Where the PED's descent cannot
    # be followed for them (a sex not given on X), each was counted one meiosis as a 'relative', and took PP1 over
    # its threshold with two affected brothers
    ph = gene(db, "PHEX")  # X-linked dominant
    samples = ("dad", "kid", "mum", "bro", "bro2", "pa")
    ped = ["F gp 0 0 1 1", "F gm 0 0 2 1", "F dad gp gm 1 1", "F mum 0 0 2 2", "F kid dad mum 1 2",
           "F bro dad mum 1 2", "F bro2 dad mum 1 2", "F pa gp gm 0 2"]
    result = _load(db, tmp_path, [record("X", ph.exonic(3), "C", "T", "0", "1", "0/1", "1", "1", "0/1")], samples,
                   ped)  # fmt: skip
    assert result.summary.family[-1].role == "paternal aunt or uncle"
    assert not _criteria(result.genes["PHEX"].variants[0], "PP1")


def test_a_homozygous_call_with_one_parent_read_says_one_copy_is_theirs_and_keeps_pm3(db, tmp_path):
    # A duo (the father not sequenced), a father the PED puts in another family, or his no-call at the site: the
    # child's two copies read 'from the mother', as if both were hers, and PM3's homozygous occurrence was dropped
    # although the trio's 'from both parents' and the singleton's 'unknown' both keep it
    cftr = gene(db, "CFTR")
    af = ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD allele frequency">',)
    trio = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"]
    for samples, gts, ped, father in [
        (("kid", "mum"), ("1/1", "0/1"), trio, "not sequenced"),
        (("kid", "mum", "dad"), ("1/1", "0/1", "0/1"), ["F2 dad 0 0 1 1", *trio[1:]], "not sequenced"),
        (("kid", "mum", "dad"), ("1/1", "0/1", "./."), trio, "./."),
    ]:
        recs = [record("7", cftr.exonic(3), "C", "T", *gts, info="gnomAD_AF=0.0001")]
        vcf = write_plain(tmp_path / "duo.vcf", vcf_text(recs, samples=samples, infos=af))
        result = load_genomics(vcf, db, ped=write_ped(tmp_path / "duo.ped", ped), sample="kid")
        v = result.genes["CFTR"].variants[0]
        assert v.genotype_with_origin == f"homozygous (one copy at least from the mother; father {father})"
        assert [c.value for c in _criteria(v, "PM3")] == [
            f"homozygous; father {father}, mother 0/1; a deletion of the father's allele not excluded"]
        assert not _criteria(v, "PS2") and not _criteria(v, "PM6") and v.de_novo is False
        assert _fit(db, result, "CFTR").fit.compatible
    # a father read: both copies told, as before
    recs = [record("7", cftr.exonic(3), "C", "T", "1/1", "0/1", "0/1", info="gnomAD_AF=0.0001")]
    vcf = write_plain(tmp_path / "trio.vcf", vcf_text(recs, samples=("kid", "mum", "dad"), infos=af))
    v = load_genomics(vcf, db, ped=write_ped(tmp_path / "trio.ped", trio), sample="kid").genes["CFTR"].variants[0]
    assert v.genotype_with_origin == "homozygous (from both parents)"


def test_unaffected_siblings_without_a_recessive_genotype_are_informative_meioses(db, tmp_path):
    # Jarvik & Browning count an unaffected full sibling who lacks the patient's two copies under recessive
    # inheritance: 3/4 by chance, log2(4/3) meioses each. They were left out, so an affected sister and three
    # unaffected brothers, each a carrier or not, were 2 meioses (no PP1) where they are 3.2
    pah = gene(db, "PAH")
    samples = ("dad", "kid", "mum", "sib", "b1", "b2", "b3")
    ped = [*_quad_ped("2"), "F b1 dad mum 1 1", "F b2 dad mum 1 1", "F b3 dad mum 1 1"]
    calls = ("0/1", "1/1", "0/1", "1/1", "0/1", "0/0", "0/1")
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", *calls)], samples, ped)
    (pp1,) = _criteria(result.genes["PAH"].variants[0], "PP1")
    assert pp1.strength == "supporting"
    assert pp1.value == ("affected sibling sib 1/1; unaffected sibling b1 0/1; unaffected sibling b2 0/0; unaffected "
                         "sibling b3 0/1; 3 informative meioses (unaffected siblings without the genotype, 3/4 by "
                         "chance: 0.4 each)")
    assert "unaffected siblings" in pp1.reason
    # two unaffected brothers are 2.8: no PP1; a half-brother's other parent need not carry: he is not counted
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", *calls[:6])], samples[:6], ped[:6])
    assert not _criteria(result.genes["PAH"].variants[0], "PP1")
    half = [*ped[:6], "F dad2 0 0 1 1", "F b3 dad2 mum 1 1"]
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", *calls)], samples, half)
    assert not _criteria(result.genes["PAH"].variants[0], "PP1")
    # a dominant variant: unaffected relatives are left out for penetrance, as before
    fg = gene(db, "FGFR2")
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/0", "0/1", "0/0", "0/0",
                                         "0/0")], samples, [*ped[:3], "F sib dad mum 2 2", *ped[4:]])  # fmt: skip
    assert not _criteria(result.genes["FGFR2"].variants[0], "PP1")


def test_a_partner_who_is_also_a_relative_is_named_both(db, tmp_path):
    # A consanguineous couple: the patient's partner, the mother of his children, is also his first cousin. She was
    # named 'paternal first cousin' only, so the family read hid that she is the children's other parent (what a
    # reader of a child's homozygous call must know); her descent still counts as a cousin's
    from raretrace.evidence import FamilyMember

    fg = gene(db, "FGFR2")
    samples = ("kid", "cousin", "son", "far")
    # the partner 'far' descends from the patient's mother's great-great-grandfather's father: a fourth cousin
    ped = ["F gp 0 0 1 1", "F gm 0 0 2 1", "F dad gp gm 1 1", "F mum x4 0 2 1", "F kid dad mum 1 2",
           "F uncle gp gm 1 1", "F aunt 0 0 2 1", "F cousin uncle aunt 2 2", "F son kid cousin 1 2",
           "F g1 0 0 1 1", "F x1 g1 0 1 1", "F x2 x1 0 1 1", "F x3 x2 0 1 1", "F x4 x3 0 1 1", "F mum2 g1 0 2 1",
           "F y1 0 mum2 1 1", "F y2 y1 0 1 1", "F y3 y2 0 1 1", "F far y3 0 2 0", "F d2 kid far 1 0"]
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/1", "0/0")], samples, ped)
    assert result.summary.family[1:3] == (FamilyMember("cousin", "partner, also paternal first cousin", "FEMALE", True),
                                          FamilyMember("son", "child", "MALE", True))
    assert result.summary.family[3].role == "partner, also a distant relative"  # past third cousins: not named
    (pp1,) = _criteria(result.genes["FGFR2"].variants[0], "PP1")
    assert pp1.value.startswith("affected partner, also paternal first cousin cousin 0/1; affected child son 0/1; ")


def test_an_identical_twin_or_the_same_sample_twice_counts_no_meiosis(db, tmp_path):
    # A PED has no twin field: an affected identical twin shares every allele with the patient, so carrying the
    # variant is no transmission, yet counted two meioses under recessive inheritance (one under dominant), as any
    # sister. Their calls tell them: the same genotype at every well-called site, where siblings differ at many
    pah = gene(db, "PAH")
    samples = ("dad", "kid", "mum", "sib", "sib2", "sib3")
    ped = [*_quad_ped("2"), "F sib2 dad mum 1 2", "F sib3 dad mum 1 2"]
    variant = record("12", pah.exonic(3), "C", "T", "0/1", "1/1", "0/1", "1/1", "1/1", "1/1")
    # sib3 and kid share every genotype; sib and sib2 differ from them and from each other at many sites
    def calls(*gts: str) -> dict[str, str]:
        return dict(zip(samples, gts, strict=True))

    background = (trio_background(samples, calls("0/1", "0/1", "0/0", "0/0", "0/1", "0/1"), n=150)
                  + trio_background(samples, calls("0/1", "1/1", "0/1", "0/1", "0/0", "1/1"), n=150, start=17_100_000))
    result = _load(db, tmp_path, [variant, *background], samples, ped)
    (pp1,) = _criteria(result.genes["PAH"].variants[0], "PP1")
    assert pp1.strength == "supporting" and pp1.value == (
        "affected sibling sib 1/1; affected sibling sib2 1/1; affected sibling sib3 1/1; 4 informative meioses "
        "(sib3: the same genotypes as kid's at 301 of 301 well-called sites, an identical twin or the same sample "
        "twice: not counted)")
    assert ("kid and sib3 have the same genotype at 301 of 301 well-called sites: identical twins, or one sample "
            "read twice? sib3 counts no informative meiosis") in " ".join(result.summary.warnings)
    # too few sites to tell: counted as the PED reads them, and the label says what a twin would change
    result = _load(db, tmp_path, [variant], samples, ped)
    (pp1,) = _criteria(result.genes["PAH"].variants[0], "PP1")
    assert pp1.strength == "moderate" and pp1.value.endswith("; 6 informative meioses")
    assert pp1.reason.endswith("; an identical twin (which a PED does not mark) would count none: too few "
                               "well-called sites to tell one from the calls")
    assert not [w for w in result.summary.warnings if "identical twins" in w]


def test_the_inheritance_fit_and_pp1_bs4_sort_the_relatives_alike():
    # The fit's segregation and PP1/BS4 read the same relatives the same way: a missing call tells nothing, nor does
    # a heterozygous female under X-linked recessive inheritance (a carrier, or a manifesting one); an affected
    # relative with the needed genotype cosegregates, one without it, or an unaffected one with it, does not.
    from raretrace.genomics.interpret import segregation_criteria
    from raretrace.inheritance import RelativeCall, segregation

    def call(id: str, affected: bool, sex: str | None, genotype: str | None, written: str) -> RelativeCall:
        return RelativeCall(id, "sibling", affected, sex, genotype, written)

    relatives = [call("a", True, "MALE", "het", "0/1"), call("b", False, "FEMALE", "het", "0/1"),
                 call("c", True, "FEMALE", "ref", "0/0"), call("d", True, None, None, "./."),
                 call("e", False, "MALE", "ref", "0/0"), call("f", True, "MALE", "het", "0/1")]  # fmt: skip
    assert segregation("AD", [relatives], [0]) == (
        ["unaffected sibling b 0/1", "affected sibling c 0/0"], ["affected sibling a 0/1", "affected sibling f 0/1"], [])
    (bs4,) = segregation_criteria(relatives, "het", "1", recessive_only=False)
    assert (bs4.code, bs4.value) == ("BS4", "affected sibling c 0/0")
    # X-linked recessive, a hemizygous patient: the heterozygous females are carriers, not evidence
    x = [call("a", True, "MALE", "hemizygous", "1"), call("b", False, "FEMALE", "het", "0/1"),
         call("c", True, "FEMALE", "het", "0/1"), call("d", True, "MALE", "hemizygous", "1"),
         call("e", True, "MALE", "hemizygous", "1")]  # fmt: skip
    assert segregation("XR", [x], [0]) == ([], ["affected sibling a 1", "affected sibling d 1", "affected sibling e 1"], [])
    (pp1,) = segregation_criteria(x, "hemizygous", "X", recessive_only=True)
    assert (pp1.code, pp1.strength) == ("PP1", "supporting")
    assert pp1.value == "affected sibling a 1; affected sibling d 1; affected sibling e 1; 3 informative meioses"
    assert segregation_criteria(x + [call("g", False, "MALE", "hemizygous", "1")], "hemizygous", "X", True) == ()
    # two variants (a compound heterozygote): each relative's two calls are read together, named with the second
    second = [call("a", True, "MALE", "het", "0/1"), call("b", False, "FEMALE", "het", "0/1"),
              call("c", True, "FEMALE", "ref", "0/0"), call("d", True, None, "het", "0/1"),
              call("e", False, "MALE", "het", "0/1"), call("f", True, "MALE", "het", "0/1")]  # fmt: skip
    assert segregation("AR", [relatives, second], [0, 1]) == (
        ["unaffected sibling b 0/1 and 0/1", "affected sibling c 0/0 and 0/0"],
        ["affected sibling a 0/1 and 0/1", "affected sibling f 0/1 and 0/1"], [])  # fmt: skip


@pytest.mark.parametrize(("comma", "plain"), [
    (("Doe, Jane", "sibling"), ("DoeJane", "sibling")),  # a VCF sample name may hold ", "
    (("cousin", "partner, also paternal first cousin"), ("cousin", "partner")),  # family._relation's role does
])
def test_a_relative_whose_name_holds_a_comma_is_named_once_in_the_recessive_fit(comma, plain):
    # An unaffected sibling with both of a pair, one of them homozygous, is not segregating and a healthy homozygote
    # (BS2) at once: named once, as not segregating. The fit matched the two by splitting its joined words on ", ",
    # so a name or role holding a comma was not found there and named a second time as the homozygote.
    from raretrace.inheritance import RelativeCall, _evaluate

    def fit(who: tuple[str, str]) -> tuple[float, bool, str, tuple[int, ...]]:
        family = [[RelativeCall(*who, False, "FEMALE", "hom_alt", "1/1")],
                  [RelativeCall(*who, False, "FEMALE", "het", "0/1")]]  # fmt: skip
        return _evaluate([0.9, 0.9], ["het", "het"], ["unknown"] * 2, [None, None], "12", "FEMALE", None, family)["AR"]

    score, compatible, note, used = fit(comma)
    expected = fit(plain)
    named = f"unaffected {comma[1]} {comma[0]} 1/1 and 0/1"
    assert (score, compatible, note, used) == (expected[0], expected[1], expected[2].replace(
        f"unaffected {plain[1]} {plain[0]} 1/1 and 0/1", named), expected[3])
    assert note.count(named) == 1 and "homozygous in an unaffected relative" not in note, note


def test_an_affected_homozygous_parent_leaves_a_recessive_siblings_genotype_one_half_by_chance(db, tmp_path):
    # Pseudodominance: an affected father homozygous passes a copy to every child, so his meioses tell nothing and a
    # sibling has the genotype 1/2 by chance (the mother's meiosis), not 1/4. The father was counted one meiosis and
    # each affected sibling two, so two affected sisters made 5 (PP1 moderate) where Jarvik & Browning count 2
    pah = gene(db, "PAH")
    samples = ("dad", "kid", "mum", "sib", "sib2", "sib3")
    ped = [*_quad_ped("2", dad_status="2"), "F sib2 dad mum 1 2", "F sib3 dad mum 1 1"]
    calls = ("1/1", "1/1", "0/1", "1/1", "1/1", "0/1")
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", *calls[:5])], samples[:5], ped[:5])
    assert not _criteria(result.genes["PAH"].variants[0], "PP1")
    # an unaffected brother without the two copies is 1/2 by chance too: one meiosis (log2 2), not 0.4
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", *calls)], samples, ped)
    (pp1,) = _criteria(result.genes["PAH"].variants[0], "PP1")
    assert pp1.strength == "supporting" and pp1.value == (
        "affected father dad 1/1; affected sibling sib 1/1; affected sibling sib2 1/1; unaffected sibling sib3 0/1; "
        "3 informative meioses (an affected parent passes a copy to every child: father dad counts none, and a "
        "sibling has the genotype 1/2 by chance: 1 each, affected with it or unaffected without)")
    # both parents affected: every child has the two copies, no sibling is informative
    ped2 = [ped[0], "F mum 0 0 2 2", *ped[2:5]]
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "1/1", "1/1", "1/1", "1/1", "1/1")],
                   samples[:5], ped2)  # fmt: skip
    assert not _criteria(result.genes["PAH"].variants[0], "PP1")


def test_unaffected_brothers_without_an_x_linked_recessive_variant_are_informative_meioses(db, tmp_path):
    # A carrier mother passes her X with the variant to a son 1/2 by chance: a brother without it, unaffected, is as
    # informative as an affected one with it (Jarvik & Browning: one meiosis each, penetrance in hemizygous males
    # being near full), yet only affected relatives were counted, so an affected and two unaffected brothers were 1
    # meiosis (no PP1) where they are 3
    otc = gene(db, "OTC")
    samples = ("dad", "kid", "mum", "bro", "b2", "b3")
    ped = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2", "F bro dad mum 1 2", "F b2 dad mum 1 1",
           "F b3 dad mum 1 1"]
    calls = ("0", "1", "0/1", "1", "0", "0")
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", *calls)], samples, ped)
    (pp1,) = _criteria(result.genes["OTC"].variants[0], "PP1")
    assert pp1.strength == "supporting" and pp1.value == (
        "affected sibling bro 1; unaffected sibling b2 0; unaffected sibling b3 0; 3 informative meioses (unaffected "
        "brothers without the variant, 1/2 by chance from a carrier mother: 1 each)")
    assert "unaffected brothers without the variant (informative only past the age of onset)" in pp1.reason
    # the mother not read: the affected brother tells she carries it, as before
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", *calls[:2], *calls[3:])],
                   (samples[0], samples[1], *samples[3:]), ped)  # fmt: skip
    assert _criteria(result.genes["OTC"].variants[0], "PP1")
    # she does not carry it (a mosaic mother): her sons' lacking it is no evidence
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "0", "1", "0/0", *calls[3:])], samples, ped)
    assert not _criteria(result.genes["OTC"].variants[0], "PP1")
    # an unaffected sister (a carrier or not, either way) or a paternal half-brother (not his mother's X) tells
    # nothing
    other = [*ped[:4], "F b2 dad mum 2 1", "F mum2 0 0 2 1", "F b3 dad mum2 1 1"]
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", *calls[:4], "0/0", "0")], samples, other)
    assert not _criteria(result.genes["OTC"].variants[0], "PP1")


def test_an_affected_father_of_a_homozygous_daughter_on_x_counts_no_meiosis(db, tmp_path):
    # A father's one X goes to every daughter: an affected father hemizygous for his homozygous daughter's X-linked
    # recessive variant is an obligate carrier, no transmission by chance, yet he counted one meiosis, which with an
    # affected sister and brother (1/2 each, the mother's X) took PP1 over its threshold
    otc = gene(db, "OTC")
    samples = ("dad", "kid", "mum", "sis", "bro")
    ped = ["F dad 0 0 1 2", "F mum 0 0 2 1", "F kid dad mum 2 2", "F sis dad mum 2 2", "F bro dad mum 1 2"]
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "1", "1/1", "0/1", "1/1", "1")], samples, ped)
    v = result.genes["OTC"].variants[0]
    assert v.genotype == "hom_alt" and not _criteria(v, "BS4") and not _criteria(v, "PP1")
    # a second affected brother makes three
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "1", "1/1", "0/1", "1/1", "1", "1")],
                   (*samples, "bro2"), [*ped, "F bro2 dad mum 1 2"])  # fmt: skip
    (pp1,) = _criteria(result.genes["OTC"].variants[0], "PP1")
    assert pp1.value.endswith("; 3 informative meioses (father dad: his one X passes to every daughter, no "
                              "informative meiosis)")


def test_a_compound_heterozygotes_relatives_are_read_for_the_pair_in_trans(db, tmp_path):
    # PP1 read each of two variants in trans alone, as if dominant: an affected sibling sharing one counted one
    # meiosis (1/2 by chance) where having both is 1/4 (two), an unaffected sibling with both (evidence against, as
    # the fit says) was passed over, and an affected one with one of the two still counted for it
    pah = gene(db, "PAH")
    samples = ("dad", "kid", "mum", "s1", "s2", "s3", "s4")
    ped = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2", "F s1 dad mum 2 2", "F s2 dad mum 1 2",
           "F s3 dad mum 2 2", "F s4 dad mum 1 1"]

    def variants(s4: tuple[str, str], s3: tuple[str, str] = ("0/1", "0/1")) -> list:
        result = _load(db, tmp_path, [
            record("12", pah.exonic(3), "C", "T", "0/1", "0/1", "0/0", "0/1", "0/1", s3[0], s4[0]),  # from dad
            record("12", pah.exonic(5), "C", "T", "0/0", "0/1", "0/1", "0/1", "0/1", s3[1], s4[1])],  # from mum
            samples, ped)  # fmt: skip
        return sorted(result.genes["PAH"].variants, key=lambda v: v.pos)

    first, second = variants(("0/1", "0/0"))
    (pp1,) = _criteria(first, "PP1")
    # what the count rests on, in one parenthesis (it ended in two back to back)
    assert pp1.strength == "moderate" and pp1.value == (
        f"affected sibling s1 0/1 and 0/1; affected sibling s2 0/1 and 0/1; affected sibling s3 0/1 and 0/1; "
        f"unaffected sibling s4 0/1 and 0/0; 6 informative meioses (calls of this variant and of 12:{second.pos} "
        f"C>T, in trans with it: the disease needs both; unaffected siblings without the genotype, 3/4 by chance: "
        f"0.4 each)")
    assert [c.value.split("; 6")[0] for c in _criteria(second, "PP1")] == [
        "affected sibling s1 0/1 and 0/1; affected sibling s2 0/1 and 0/1; affected sibling s3 0/1 and 0/1; "
        "unaffected sibling s4 0/0 and 0/1"]
    # an unaffected sibling with both: no PP1 for either, as for an unaffected sibling homozygous
    assert not any(_criteria(v, "PP1") for v in variants(("0/1", "0/1")))
    # an affected sibling with the father's variant only: BS4 for the mother's, and the father's no PP1
    first, second = variants(("0/0", "0/0"), s3=("0/1", "0/0"))
    assert not _criteria(first, "PP1") and not _criteria(first, "BS4")
    assert [c.value for c in _criteria(second, "BS4")] == ["affected sibling s3 0/0"]


def test_the_fit_says_an_identical_twin_carrying_the_variant_is_no_segregation(db, tmp_path):
    # PP1 counts an affected identical twin no meiosis, yet the fit named her with the siblings 'segregating with the
    # disease in the family', and where she was the only affected relative read, called the variant segregating
    pah = gene(db, "PAH")
    samples = ("dad", "kid", "mum", "sib", "twin")
    ped = [*_quad_ped("2"), "F twin dad mum 1 2"]

    def calls(*gts: str) -> dict[str, str]:
        return dict(zip(samples, gts, strict=True))

    background = (trio_background(samples, calls("0/1", "0/1", "0/0", "0/0", "0/1"), n=150)
                  + trio_background(samples, calls("0/1", "1/1", "0/1", "0/1", "1/1"), n=150, start=17_100_000))
    twin = ("affected sibling twin 1/1, whose calls repeat kid's (an identical twin or the same sample twice: no "
            "informative meiosis)")
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "0/1", "1/1", "0/1", "1/1", "1/1"),
                                  *background], samples, ped)  # fmt: skip
    fit = _fit(db, result, "PAH").fit
    assert fit.compatible and (f"homozygous, segregating with the disease in the family (affected sibling sib 1/1), "
                               f"and carried by {twin}") in fit.explanation
    # the twin the only affected relative with the genotype: nothing segregates
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "0/1", "1/1", "0/1", "0/1", "1/1"),
                                  *background], samples, [*_quad_ped("1"), ped[-1]])  # fmt: skip
    fit = _fit(db, result, "PAH").fit
    assert fit.compatible and f"homozygous, carried by {twin}" in fit.explanation
    assert "segregating" not in fit.explanation


def test_an_affected_parent_the_vcf_does_not_hold_still_halves_a_recessive_siblings_chance(db, tmp_path):
    # The PED marks the father affected but he was not sequenced: by the disease he has the two copies, so each
    # child gets one from him and a sibling's genotype is 1/2 by chance; read only where his calls were, two affected
    # sisters still counted 4 meioses (PP1) where they are 2
    pah = gene(db, "PAH")
    samples = ("kid", "mum", "sib", "sib2")
    ped = [*_quad_ped("2", dad_status="2"), "F sib2 dad mum 1 2"]
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "1/1", "0/1", "1/1", "1/1")], samples, ped)
    assert not _criteria(result.genes["PAH"].variants[0], "PP1")
    # a third affected sibling makes three, and the value says why each counts one
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "1/1", "0/1", "1/1", "1/1", "1/1")],
                   (*samples, "sib3"), [*ped, "F sib3 dad mum 2 2"])  # fmt: skip
    (pp1,) = _criteria(result.genes["PAH"].variants[0], "PP1")
    assert pp1.value.endswith("; 3 informative meioses (an affected parent passes a copy to every child: father dad "
                              "(not sequenced) counts none, and a sibling has the genotype 1/2 by chance: 1 each, "
                              "affected with it or unaffected without)")


def test_an_x_linked_compound_heterozygous_daughters_relatives_are_read_for_the_pair(db, tmp_path):
    # A daughter with an X-linked recessive disease from two variants in trans: her affected father passed his X (the
    # first), her affected brothers have their mother's (the second). PP1 read each variant alone, as if dominant,
    # so the brothers made BS4 strong of the father's variant and the father BS4 strong of the mother's, where the fit
    # (a male needs one, a female both) called the pair segregating
    otc = gene(db, "OTC")
    samples = ("dad", "kid", "mum", "bro", "bro2", "bro3")
    ped = ["F dad 0 0 1 2", "F mum 0 0 2 1", "F kid dad mum 2 2", "F bro dad mum 1 2", "F bro2 dad mum 1 2",
           "F bro3 dad mum 1 2"]

    def variants(bro3: str = "1") -> list:
        result = _load(db, tmp_path, [
            record("X", otc.exonic(3), "C", "T", "1", "0/1", "0/0", "0", "0", "0"),  # from dad
            record("X", otc.exonic(5), "C", "T", "0", "0/1", "0/1", "1", "1", bro3)],  # from mum
            samples, ped)  # fmt: skip
        assert "in trans" in _fit(db, result, "OTC").fit.explanation
        return sorted(result.genes["OTC"].variants, key=lambda v: v.pos)

    first, second = variants()
    assert not any(_criteria(v, "BS4") for v in (first, second))
    (pp1,) = _criteria(first, "PP1")
    # the father's X goes to every daughter: no informative meiosis; each brother's is his mother's, 1/2 by chance
    assert pp1.strength == "supporting" and pp1.value == (
        f"affected father dad 1 and 0; affected sibling bro 0 and 1; affected sibling bro2 0 and 1; affected sibling "
        f"bro3 0 and 1; 3 informative meioses (calls of this variant and of X:{second.pos} C>T, in trans with it: a "
        f"female needs both, a male either; father dad: his one X passes to every daughter, no informative meiosis)")
    assert [c.value.split("; 3")[0] for c in _criteria(second, "PP1")] == [
        "affected father dad 0 and 1; affected sibling bro 1 and 0; affected sibling bro2 1 and 0; affected sibling "
        "bro3 1 and 0"]
    # an affected brother with neither: BS4 of both; an unaffected one without either counts 1 from a carrier mother
    assert all([c.value for c in _criteria(v, "BS4")] == ["affected sibling bro3 0"] for v in variants(bro3="0"))
    ped[-1] = "F bro3 dad mum 1 1"
    first, _ = variants(bro3="0")
    (pp1,) = _criteria(first, "PP1")
    assert pp1.value.endswith(f"informative meioses (calls of this variant and of X:{second.pos} C>T, in trans with "
                              f"it: a female needs both, a male either; father dad: his one X passes to every "
                              f"daughter, no informative meiosis; unaffected brothers without the variant, 1/2 by "
                              f"chance from a carrier mother: 1 each)")


def test_the_twin_check_stops_after_a_bounded_number_of_records(db, tmp_path, monkeypatch):
    # The twin check compares the siblings' calls as the records stream by, until every pair has PARENTAGE_SITES
    # sites; a sibling with few calls (a failed sample, an exome joint-called beside a genome) kept it comparing to
    # the last record of a genome, microseconds a record and pair. It reads TWIN_CHECK_RECORDS records at most
    from raretrace.genomics import family

    monkeypatch.setattr(family, "TWIN_CHECK_RECORDS", 250)
    pah = gene(db, "PAH")
    samples = ("kid", "sib", "twin")
    ped = [*_quad_ped("2"), "F twin dad mum 1 2"]
    background = trio_background(samples, {"kid": "0/1", "sib": "./.", "twin": "0/1"}, n=400)
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "1/1", "./.", "1/1"), *background], samples,
                   ped)  # fmt: skip
    (said,) = [w for w in result.summary.warnings if "identical twins" in w]
    assert said.startswith("kid and twin have the same genotype at 250 of 250 well-called sites")


def test_a_homozygous_patients_children_count_by_what_the_other_parent_gives(db, tmp_path):
    # A homozygous patient passes a copy to every child: a child's genotype is the other parent's to give, 1/2 by
    # chance from a carrier. Unaffected children without the genotype were left out (an affected child and two
    # unaffected ones were 1 meiosis, no PP1, where they are 3), and affected children of a partner with two copies,
    # who all have the genotype, counted 1 each (three made PP1 from nothing)
    pah = gene(db, "PAH")
    samples = ("kid", "pa", "c1", "c2", "c3")
    ped = ["F kid 0 0 1 2", "F pa 0 0 2 1", "F c1 kid pa 1 2", "F c2 kid pa 2 1", "F c3 kid pa 1 1"]
    calls = ("1/1", "0/1", "1/1", "0/1", "0/1")
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", *calls)], samples, ped)
    (pp1,) = _criteria(result.genes["PAH"].variants[0], "PP1")
    assert pp1.strength == "supporting" and pp1.value == (
        "affected child c1 1/1; unaffected child c2 0/1; unaffected child c3 0/1; 3 informative meioses (a child gets "
        "a copy from the patient always and from partner pa 0/1, a carrier, 1/2 by chance: 1 each, affected with the "
        "genotype or unaffected without)")
    assert "unaffected children without the genotype (informative only past the age of onset)" in pp1.reason
    # the partner not sequenced: the affected child's two copies show her a carrier
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", calls[0], *calls[2:])],
                   (samples[0], *samples[2:]), ped)  # fmt: skip
    (pp1,) = _criteria(result.genes["PAH"].variants[0], "PP1")
    assert pp1.value.endswith("3 informative meioses (a child gets a copy from the patient always and from partner "
                              "pa (not sequenced), a carrier as a child's two copies show, 1/2 by chance: 1 each, "
                              "affected with the genotype or unaffected without)")
    # nothing shows her a carrier: unaffected children with one copy tell nothing (an affected sibling is 2: no PP1)
    family = ("dad", "kid", "mum", "sib", "c1", "c2", "c3")
    ped3 = [*_quad_ped("2"), *ped[1:2], "F c1 kid pa 1 1", *ped[3:]]
    result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", "0/1", "1/1", "0/1", "1/1", "0/1", "0/1",
                                         "0/1")], family, ped3)  # fmt: skip
    assert not _criteria(result.genes["PAH"].variants[0], "PP1")
    # a partner with two copies (called, or affected and not sequenced): every child has the genotype, none counts
    for pa_call, pa_status in (("1/1", "1"), (None, "2")):
        kids = ["F c1 kid pa 1 2", "F c2 kid pa 2 2", "F c3 kid pa 1 2"]
        read = samples if pa_call else (samples[0], *samples[2:])
        gts = ("1/1", pa_call, "1/1", "1/1", "1/1") if pa_call else ("1/1",) * 4
        result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", *gts)], read,
                       [ped[0], f"F pa 0 0 2 {pa_status}", *kids])  # fmt: skip
        assert not _criteria(result.genes["PAH"].variants[0], "PP1"), pa_call


def test_an_unaffected_male_with_a_manifesting_carriers_x_linked_recessive_variant_leaves_no_pp1(db, tmp_path):
    # A female patient's one copy of a variant in an X-linked recessive gene (a manifesting carrier) is read for her
    # relatives as a dominant variant, where unaffected carriers are left out for penetrance; but a male with it has
    # the disease (hemizygous males near fully penetrant, as the XR count reads them). Three affected maternal uncles
    # made PP1 moderate beside an unaffected brother hemizygous for it
    otc = gene(db, "OTC")
    samples = ("kid", "mum", "u1", "u2", "u3", "bro")
    ped = ["F gf 0 0 1 1", "F gm 0 0 2 1", "F dad 0 0 1 1", "F mum gf gm 2 1", "F kid dad mum 2 2",
           "F u1 gf gm 1 2", "F u2 gf gm 1 2", "F u3 gf gm 1 2", "F bro dad mum 1 1"]
    for bro, pp1 in (("1", False), ("0", True)):
        result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "0/1", "0/1", "1", "1", "1", bro)],
                       samples, ped)  # fmt: skip
        v = result.genes["OTC"].variants[0]
        assert v.genotype == "het" and bool(_criteria(v, "PP1")) is pp1, bro
        assert not _criteria(v, "BS4")


def test_unaffected_brothers_without_a_manifesting_carriers_x_linked_recessive_variant_are_informative(db, tmp_path):
    # A female patient's one copy of an X-linked recessive variant, from her carrier mother: a brother has it 1/2 by
    # chance and, hemizygous, the disease (as the XR count of a hemizygous patient's brothers reads them), so one
    # without it, unaffected, is one informative meiosis. They were left out (read as for a dominant variant), so an
    # affected and two unaffected brothers were 1 meiosis, no PP1, where they are 3
    otc = gene(db, "OTC")
    samples = ("dad", "kid", "mum", "bro", "b2", "b3")
    ped = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 2 2", "F bro dad mum 1 2", "F b2 dad mum 1 1",
           "F b3 dad mum 1 1"]
    calls = ("0", "0/1", "0/1", "1", "0", "0")
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", *calls)], samples, ped)
    v = result.genes["OTC"].variants[0]
    (pp1,) = _criteria(v, "PP1")
    # (the affected brother counts 1: the parents' calls show the patient's allele is the mother's)
    shown, meioses = re.fullmatch(r"(.*); (\d+) informative meioses \(.*\)", pp1.value).groups()
    assert v.genotype == "het" and shown == (
        "affected sibling bro 1; unaffected mother mum 0/1; unaffected sibling b2 0; unaffected sibling b3 0")
    assert "unaffected brothers without the variant, 1/2 by chance from a carrier mother: 1 each" in pp1.value
    assert "unaffected brothers without the variant (informative only past the age of onset)" in pp1.reason
    # two more than the affected brother alone: the same family with their status unknown leaves PP1 short of 3
    unknown = [*ped[:4], "F b2 dad mum 1 0", "F b3 dad mum 1 0"]
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", *calls)], samples, unknown)
    assert int(meioses) - 2 < 3 and not _criteria(result.genes["OTC"].variants[0], "PP1")
    # the mother not read: the affected brother, who has her X, tells she carries it
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", *calls[:2], *calls[3:])],
                   (samples[0], samples[1], *samples[3:]), ped)  # fmt: skip
    assert _criteria(result.genes["OTC"].variants[0], "PP1")
    # the copy is the affected father's (the mother read without it): her brothers' lacking it is no evidence
    fathers = ["F dad 0 0 1 2", "F mum 0 0 2 1", "F kid dad mum 2 2", "F bro dad mum 1 1", *ped[4:]]
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "1", "0/1", "0/0", "0", "0", "0")],
                   samples, fathers)  # fmt: skip
    assert not _criteria(result.genes["OTC"].variants[0], "PP1")
    # nor where the mother is not read and only an affected sister shares it (she may have the father's X)
    sisters = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 2 2", "F bro dad mum 2 2", "F b2 dad mum 1 1",
               "F b3 dad mum 1 1"]
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "0", "0/1", "0/1", "0", "0")],
                   (samples[0], samples[1], *samples[3:]), sisters)  # fmt: skip
    assert not _criteria(result.genes["OTC"].variants[0], "PP1")


def test_a_compound_heterozygotes_affected_child_with_one_of_the_pair_is_left_out(db, tmp_path):
    # A child has one of the patient's two chromosomes, so one of a pair in trans, never both from the patient: an
    # affected child is affected only if the other parent passes a variant too, so the child's calls of the pair
    # tell nothing (its being affected rests on the other parent). It was read as 'unpaired' (no PP1 for the
    # father's variant, whatever the siblings showed), as lacking the mother's (BS4 strong), and the fit said 'not
    # segregating'
    pah = gene(db, "PAH")
    samples = ("dad", "kid", "mum", "s1", "s2", "s3", "c1")
    ped = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2", "F s1 dad mum 2 2", "F s2 dad mum 1 2",
           "F s3 dad mum 2 2", "F pa 0 0 2 1", "F c1 kid pa 2 2"]

    def load(child: tuple[str, str]):
        return _load(db, tmp_path, [
            record("12", pah.exonic(3), "C", "T", "0/1", "0/1", "0/0", "0/1", "0/1", "0/1", child[0]),  # from dad
            record("12", pah.exonic(5), "C", "T", "0/0", "0/1", "0/1", "0/1", "0/1", "0/1", child[1])],  # from mum
            samples, ped)  # fmt: skip

    result = load(("0/1", "0/0"))
    first, second = sorted(result.genes["PAH"].variants, key=lambda v: v.pos)
    assert not _criteria(first, "BS4") and not _criteria(second, "BS4")
    for v in (first, second):
        (pp1,) = _criteria(v, "PP1")
        assert pp1.strength == "moderate" and "6 informative meioses" in pp1.value
        assert ("affected child c1 0/1 and 0/0" if v is first else "affected child c1 0/0 and 0/1") in pp1.value
        assert ("child c1: one of the pair, as every child of the patient has, and affected by the other parent's "
                "variant too: not counted)") in pp1.value
    fit = _fit(db, result, "PAH").fit
    assert fit.compatible and "not segregating" not in fit.explanation
    # a child with neither has none of the patient's chromosomes' variants: that still argues against
    result = load(("0/0", "0/0"))
    assert all(_criteria(v, "BS4") for v in result.genes["PAH"].variants)
    # an affected parent, likewise, has one of the pair (he passed one of his chromosomes) and another variant the
    # patient lacks: he passes this one 1/2 by chance as a carrier does, so the siblings still count 2 each (they
    # counted 1, as beside a homozygous patient's affected parent, who passes a copy to every child)
    for read in (True, False):
        dad = ["F dad 0 0 1 2"]
        recs = [record("12", pah.exonic(3), "C", "T", "0/1", "0/1", "0/0", "0/1", "0/1", "0/1"),
                record("12", pah.exonic(5), "C", "T", "0/0", "0/1", "0/1", "0/1", "0/1", "0/1")]  # fmt: skip
        if not read:  # not sequenced: the affected parent the PED names
            recs = ["\t".join(r.split("\t")[:9] + r.split("\t")[10:]) for r in recs]
        result = _load(db, tmp_path, recs, samples[:6] if read else samples[1:6], dad + ped[1:6])
        for v in result.genes["PAH"].variants:
            assert not _criteria(v, "BS4"), read
            (pp1,) = _criteria(v, "PP1")
            assert "6 informative meioses" in pp1.value and "passes a copy to every child" not in pp1.value
            if read:
                assert ("father dad: one of the pair, as each parent of the patient has, and affected by another of "
                        "theirs too: not counted)") in pp1.value


def test_a_female_patients_brothers_count_the_mothers_meioses_where_the_calls_show_her_allele_is_the_mothers(
        db, tmp_path):
    # On X a female's allele is her father's or her mother's, 1/2 each by the PED alone, and a brother has it only
    # from the mother: 1/4 by chance, 2 meioses. Where the parents' calls show it is the mother's (she carries it,
    # the father not), each brother has it 1/2 by chance (the mother's meiosis; the father's path tells nothing):
    # two affected brothers were 3 meioses, PP1, where they are 2
    otc = gene(db, "OTC")
    samples = ("dad", "kid", "mum", "b1", "b2", "b3")
    ped = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 2 2", "F b1 dad mum 1 2", "F b2 dad mum 1 2",
           "F b3 dad mum 1 2"]
    calls = ("0", "0/1", "0/1", "1", "1", "1")
    two = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", *calls[:5])], samples[:5], ped[:5])
    v = two.genes["OTC"].variants[0]
    assert v.genotype == "het" and two.genes["OTC"].origins == ("maternal",)
    assert not _criteria(v, "PP1") and not _criteria(v, "BS4")
    three = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", *calls)], samples, ped)
    (pp1,) = _criteria(three.genes["OTC"].variants[0], "PP1")
    assert pp1.strength == "supporting" and pp1.value.endswith("; 3 informative meioses")
    # the father not read: the PED alone, the allele either parent's (1/2 * 1/8 by chance: 4)
    unread = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", *calls[1:])], samples[1:], ped)
    (pp1,) = _criteria(unread.genes["OTC"].variants[0], "PP1")
    assert re.search(r"; 4 informative meioses \(by descent in the PED: sibling b1 2, sibling b2 2, sibling b3 2 "
                     r"each alone\)$", pp1.value), pp1.value


def test_a_recessive_genotype_reaches_other_relatives_through_parents_the_calls_show_carriers(db, tmp_path):
    # Under recessive inheritance a half-sibling, grandchild or cousin with the patient's two copies counted one
    # meiosis flat, whatever their parents: Jarvik & Browning count a carrier parent's meiosis (1/2 by chance each),
    # none of a parent with two copies (who passes one always), and nothing where the carriers between them are not
    # sequenced
    pah = gene(db, "PAH")
    ped = [*_quad_ped("2"), "F sib2 dad mum 1 2", "F dad2 0 0 1 1", "F half dad2 mum 2 2"]
    samples = ("dad", "kid", "mum", "sib", "half", "dad2")

    def pp1(ped: list[str], samples: tuple[str, ...], calls: tuple[str, ...]):
        result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", *calls)], samples, ped)
        return _criteria(result.genes["PAH"].variants[0], "PP1")

    # a half-sibling through the carrier mother, whose other parent is called a carrier: 1/4 by chance, as a sibling
    (found,) = pp1(ped, samples, ("0/1", "1/1", "0/1", "1/1", "1/1", "0/1"))
    assert found.value == ("affected sibling sib 1/1; affected maternal half-sibling half 1/1; 4 informative "
                           "meioses (by the parents shown carriers: maternal half-sibling half 2)")
    # through an affected mother with two copies, the other parent not sequenced: none (a sibling 1 each)
    hom = ["F dad 0 0 1 1", "F mum 0 0 2 2", "F kid dad mum 1 2", "F sib dad mum 2 2", "F sib2 dad mum 1 2",
           "F dad2 0 0 1 1", "F half dad2 mum 2 2"]
    assert not pp1(hom, ("dad", "kid", "mum", "sib", "sib2", "half"), ("0/1", "1/1", "1/1", "1/1", "1/1", "1/1"))
    # a cousin whose parents are not sequenced counts none, and the value says why
    cousins = [*_COUSINS, "F sib2 dad mum 1 2"]
    (found,) = pp1(cousins, ("cousin", "kid", "sib", "sib2"), ("1/1", "1/1", "1/1", "1/1"))
    assert found.strength == "supporting" and found.value == (
        "affected sibling sib 1/1; affected paternal first cousin cousin 1/1; affected sibling sib2 1/1; 4 "
        "informative meioses (paternal first cousin cousin not counted: the carriers between them are not "
        "sequenced)")
    # ... and both of theirs, called carriers, two (an uncle with two copies, his status not known, would pass one
    # always: one)
    unknown = [line.replace("F uncle gp gm 1 1", "F uncle gp gm 1 0") for line in cousins]
    for uncle, meioses in (("0/1", 6), ("1/1", 5)):
        (found,) = pp1(unknown, ("aunt", "cousin", "kid", "sib", "sib2", "uncle"),
                       ("0/1", "1/1", "1/1", "1/1", "1/1", uncle))  # fmt: skip
        assert f"; {meioses} informative meioses" in found.value, uncle
    # a grandchild through a child not sequenced counts none: two siblings and the grandchild were 5, moderate
    family = [*_quad_ped("2"), "F sib2 dad mum 1 2", "F pa 0 0 2 1", "F c1 kid pa 1 1", "F cpa 0 0 2 1",
              "F g c1 cpa 2 2"]
    (found,) = pp1(family, ("dad", "g", "kid", "mum", "sib", "sib2"), ("0/1", "1/1", "1/1", "0/1", "1/1", "1/1"))
    assert found.strength == "supporting" and found.value.endswith(
        "; 4 informative meioses (grandchild g not counted: the carriers between them are not sequenced)")


def test_a_female_patients_maternal_uncles_count_the_mothers_meioses_where_the_fathers_call_lacks_it(db, tmp_path):
    # A female's X allele is her father's or her mother's, 1/2 each by the PED alone: a maternal uncle shares it 1/8
    # by chance (3 meioses). Where the father is called without it and the mother is not sequenced, she is an
    # obligate carrier and the allele hers: an affected hemizygous uncle has it 1/4 by chance (the grandmother's two
    # meioses), and three were 5 meioses, PP1 moderate, where they are 4
    otc = gene(db, "OTC")
    ped = ["F gf 0 0 1 1", "F gm 0 0 2 1", "F dad 0 0 1 1", "F mum gf gm 2 1", "F kid dad mum 2 2",
           "F u1 gf gm 1 2", "F u2 gf gm 1 2", "F u3 gf gm 1 2"]
    samples = ("dad", "kid", "u1", "u2", "u3")
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "0", "0/1", "1", "1", "1")], samples, ped)
    (pp1,) = _criteria(result.genes["OTC"].variants[0], "PP1")
    assert pp1.strength == "supporting" and pp1.value == (
        "affected maternal uncle u1 1; affected maternal uncle u2 1; affected maternal uncle u3 1; 4 informative "
        "meioses (by descent in the PED of the mother's allele, as the calls show: maternal uncle u1 2, maternal "
        "uncle u2 2, maternal uncle u3 2 each alone)")
    # the mother called a carrier (the father without it): the same count
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "0", "0/1", "0/1", "1", "1", "1")],
                   ("dad", "kid", "mum", "u1", "u2", "u3"), ped)  # fmt: skip
    (called,) = _criteria(result.genes["OTC"].variants[0], "PP1")
    assert called.value.endswith(pp1.value.split("; ", 3)[3])
    # neither parent sequenced: the allele either parent's, the PED alone (1/2 * 1/8 each: 5)
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "0/1", "1", "1", "1")], samples[1:], ped)
    (alone,) = _criteria(result.genes["OTC"].variants[0], "PP1")
    assert alone.strength == "moderate" and "5 informative meioses (by descent in the PED: " in alone.value


def test_a_homozygous_daughters_relatives_on_x_count_the_meioses_her_parents_alleles_pass_through(db, tmp_path):
    # A female homozygous for an X-linked recessive variant has one X from each parent: her mother's is a carrier's,
    # which a maternal uncle shares 1/4 by chance (the grandmother's two meioses). Each affected relative counted 1
    # flat, so two affected hemizygous maternal uncles were 2 meioses, no PP1, where together they are 3 (1/8)
    otc = gene(db, "OTC")
    ped = ["F gf 0 0 1 1", "F gm 0 0 2 1", "F dad 0 0 1 2", "F mum gf gm 2 1", "F kid dad mum 2 2",
           "F u1 gf gm 1 2", "F u2 gf gm 1 2"]
    samples = ("dad", "kid", "mum", "u1", "u2")
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "1", "1/1", "0/1", "1", "1")], samples, ped)
    v = result.genes["OTC"].variants[0]
    assert v.genotype == "hom_alt" and not _criteria(v, "BS4")
    (pp1,) = _criteria(v, "PP1")
    assert pp1.strength == "supporting" and pp1.value == (
        "affected father dad 1; affected maternal uncle u1 1; affected maternal uncle u2 1; 3 informative meioses "
        "(by descent in the PED of her father's and mother's X: maternal uncle u1 2, maternal uncle u2 2 each alone; "
        "father dad: his one X passes to every daughter, no informative meiosis)")
    # neither parent sequenced: the same, her mother an obligate carrier
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "1/1", "1", "1")], samples[1::2][:1] +
                   samples[3:], ped)  # fmt: skip
    (unread,) = _criteria(result.genes["OTC"].variants[0], "PP1")
    assert unread.value.endswith("; 3 informative meioses (by descent in the PED of her father's and mother's X: "
                                 "maternal uncle u1 2, maternal uncle u2 2 each alone)")
    # the mother called without it (the daughter's two copies not hers as the PED says): the uncles tell nothing
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "1", "1/1", "0/0", "1", "1")], samples, ped)
    assert not _criteria(result.genes["OTC"].variants[0], "PP1")
    # a paternal uncle shares her father's X 1/2 by chance, an affected sister both of hers 1/2 (the mother's): 1 each
    ped += ["F pgm 0 0 2 1", "F pgf 0 0 1 1", "F pu pgf pgm 1 2", "F sis dad mum 2 2"]
    ped[2] = "F dad pgf pgm 1 2"
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "1", "1/1", "0/1", "1", "1/1", "1", "1")],
                   ("dad", "kid", "mum", "pu", "sis", "u1", "u2"), ped)  # fmt: skip
    (pp1,) = _criteria(result.genes["OTC"].variants[0], "PP1")
    assert pp1.strength == "moderate" and pp1.value.endswith(
        "; 5 informative meioses (by descent in the PED of her father's and mother's X: maternal uncle u1 2, maternal "
        "uncle u2 2, paternal uncle pu 1, sibling sis 1 each alone; father dad: his one X passes to every daughter, no "
        "informative meiosis)")


def test_a_mother_homozygous_for_an_x_variant_passes_it_to_every_child_and_counts_no_meiosis(db, tmp_path):
    # A meiosis from a parent with two copies is no test: the child gets one whatever. A homozygous daughter's
    # affected homozygous mother counted 1 meiosis, and so did each sibling (her X 1/2 by chance), 4 in all
    otc = gene(db, "OTC")
    samples = ("dad", "kid", "mum", "sis", "bro", "bro2")
    ped = ["F dad 0 0 1 2", "F mum gf gm 2 2", "F kid dad mum 2 2", "F sis dad mum 2 2", "F bro dad mum 1 2",
           "F bro2 dad mum 1 2", "F gf 0 0 1 1", "F gm 0 0 2 1"]
    calls = ["1", "1/1", "1/1", "1/1", "1", "1"]
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", *calls)], samples, ped)
    v = result.genes["OTC"].variants[0]
    assert v.genotype == "hom_alt" and not _criteria(v, "BS4") and not _criteria(v, "PP1")
    # her brothers (affected uncles) share the grandmother's X 1/2 each by chance: those meioses count, not which of
    # the mother's two copies the patient got (2 each before, 4 together)
    uncles = ("u1", "u2", "u3")
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", *calls, "1", "1", "1")], samples + uncles,
                   ped + [f"F {u} gf gm 1 2" for u in uncles])  # fmt: skip
    (pp1,) = _criteria(result.genes["OTC"].variants[0], "PP1")
    assert pp1.value.endswith(
        "; 3 informative meioses (father dad: his one X passes to every daughter, no informative meiosis; mother mum "
        "1/1 passes one of two copies to every child: no informative meiosis, so mother mum, sibling sis, sibling bro "
        "and sibling bro2 count none)")
    # a hemizygous son's unaffected brothers without it cannot be his homozygous mother's sons (a genotyping error):
    # they counted 1 each (a carrier mother's sons lack it 1/2 by chance)
    ped = ["F dad 0 0 1 1", "F mum 0 0 2 2", "F kid dad mum 1 2"] + [f"F b{n} dad mum 1 1" for n in range(3)]
    result = _load(db, tmp_path, [record("X", otc.exonic(3), "C", "T", "0", "1", "1/1", "0", "0", "0")],
                   ("dad", "kid", "mum", "b0", "b1", "b2"), ped)  # fmt: skip
    assert not _criteria(result.genes["OTC"].variants[0], "PP1")


def test_a_parent_homozygous_for_a_dominant_variant_passes_it_to_every_child_and_counts_no_meiosis(db, tmp_path):
    # An affected father with two copies and three affected siblings with one were 4 meioses by descent (the
    # patient's allele, and the siblings', 1/2 each by chance), though each has a copy from him whatever
    fg = gene(db, "FGFR2")
    samples = ("dad", "kid", "mum", "s1", "s2", "s3")
    ped = ["F dad 0 0 1 2", "F mum 0 0 2 1", "F kid dad mum 1 2"] + [f"F s{n} dad mum 2 2" for n in (1, 2, 3)]
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "1/1", "0/1", "0/0", "0/1", "0/1", "0/1")],
                   samples, ped)  # fmt: skip
    v = result.genes["FGFR2"].variants[0]
    assert not _criteria(v, "BS4") and not _criteria(v, "PP1")
    # a patient with two copies passes one to every child: three affected children with one counted 3
    ped = ["F kid 0 0 1 2", "F pa 0 0 2 1"] + [f"F c{n} kid pa 2 2" for n in (1, 2, 3)]
    result = _load(db, tmp_path, [record("10", fg.exonic(2), "A", "G", "1/1", "0/0", "0/1", "0/1", "0/1")],
                   ("kid", "pa", "c1", "c2", "c3"), ped)  # fmt: skip
    v = result.genes["FGFR2"].variants[0]
    assert v.genotype == "hom_alt" and not _criteria(v, "PP1")


def test_a_daughters_hemizygous_father_counts_no_meiosis_for_a_dominant_x_variant(db, tmp_path):
    # His one X goes to every daughter: his carrying her allele is no transmission by chance, yet it counted 1, which
    # with two affected paternal aunts (his X is their mother's, 1/2 each) made 3
    ph = gene(db, "PHEX")  # X-linked dominant
    ped = ["F gm 0 0 2 1", "F gf 0 0 1 1", "F dad gf gm 1 2", "F mum 0 0 2 1", "F kid dad mum 2 2",
           "F a1 gf gm 2 2", "F a2 gf gm 2 2"]
    samples = ("a1", "a2", "dad", "kid", "mum")
    result = _load(db, tmp_path, [record("X", ph.exonic(3), "C", "T", "0/1", "0/1", "1", "0/1", "0/0")], samples, ped)
    v = result.genes["PHEX"].variants[0]
    assert v.genotype == "het" and not _criteria(v, "BS4") and not _criteria(v, "PP1")
    result = _load(db, tmp_path, [record("X", ph.exonic(3), "C", "T", "0/1", "0/1", "0/1", "1", "0/1", "0/0")],
                   ("a1", "a2", "a3", "dad", "kid", "mum"), [*ped, "F a3 gf gm 2 2"])  # fmt: skip
    (pp1,) = _criteria(result.genes["PHEX"].variants[0], "PP1")
    assert pp1.value.endswith(
        "; 3 informative meioses (father dad 1 passes his one X to every daughter: no informative meiosis, so father "
        "dad counts none)")


def test_a_compound_heterozygotes_parent_with_two_copies_of_one_of_the_pair_counts_no_meiosis(db, tmp_path):
    # A father homozygous for the variant he passed gives it to every child: a sibling has the pair 1/2 by chance
    # (the mother's meiosis), yet each affected sibling counted 2 (1/4) and an unaffected one without it 0.4 (3/4),
    # 6 meioses (moderate) where 4 are informative
    pah = gene(db, "PAH")
    samples = ("dad", "kid", "mum", "s1", "s2", "s3", "s4")
    ped = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2", "F s1 dad mum 2 2", "F s2 dad mum 1 2",
           "F s3 dad mum 2 2", "F s4 dad mum 1 1"]

    def variants(first: tuple[str, ...], second: tuple[str, ...]) -> list:
        result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", *first),
                                      record("12", pah.exonic(5), "C", "T", *second)], samples, ped)  # fmt: skip
        return sorted(result.genes["PAH"].variants, key=lambda v: v.pos)

    first, second = variants(("1/1", "0/1", "0/0", "0/1", "0/1", "0/1", "0/1"),
                             ("0/0", "0/1", "0/1", "0/1", "0/1", "0/1", "0/0"))  # fmt: skip
    for v, which in ((first, "this variant"), (second, f"12:{first.pos} C>T")):
        (pp1,) = _criteria(v, "PP1")
        assert pp1.strength == "supporting" and pp1.value.endswith(
            f"; 4 informative meioses (calls of this variant and of 12:{(second if v is first else first).pos} C>T, "
            f"in trans with it: the disease needs both; father dad 1/1 at {which} passes it to every child: no "
            "informative meiosis through him; a sibling has the pair 1/2 by chance, the other parent's meiosis: 1 "
            "each, affected with it or unaffected without)")
    # a mother with two copies of hers: an unaffected sibling without it is a genotyping error, not a meiosis
    first, second = variants(("0/1", "0/1", "0/0", "0/1", "0/1", "0/1", "0/1"),
                             ("0/0", "0/1", "1/1", "0/1", "0/1", "0/1", "0/0"))  # fmt: skip
    (pp1,) = _criteria(first, "PP1")
    assert "; 3 informative meioses (" in pp1.value and (
        "unaffected sibling s4 lacks the variant a parent passes to every child: a genotyping error, not counted"
        in pp1.value)
    # both parents so: every sibling has the pair (three affected ones counted 6)
    ped[6] = "F s4 dad mum 1 0"
    for v in variants(("1/1", "0/1", "0/0", "0/1", "0/1", "0/1", "0/1"),
                      ("0/0", "0/1", "1/1", "0/1", "0/1", "0/1", "0/1")):  # fmt: skip
        assert not _criteria(v, "PP1") and not _criteria(v, "BS4")


def test_a_parent_with_two_copies_of_one_variant_of_a_pair_tells_its_phase_whatever_the_other_carries(db, tmp_path):
    # A father homozygous for the first variant passes it to every child: a child with one copy has it from him and
    # a chromosome without it from the mother, whose carrying it too tells nothing. The origin read 'from both
    # parents' and the pair's phase was left unknown where the mother's carrying it was read as hers to pass
    pah = gene(db, "PAH")
    ped = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"]

    def read(first: tuple[str, str, str], second: tuple[str, str, str]):
        result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", *first),
                                      record("12", pah.exonic(5), "C", "T", *second)], ("dad", "kid", "mum"), ped)
        return result.genes["PAH"]

    # the second variant is the mother's, on the chromosome she passed without the first: in trans
    pair = read(("1/1", "0/1", "0/1"), ("0/0", "0/1", "0/1"))
    assert pair.genotype_summary.endswith("(compound heterozygote: in trans)")
    assert sorted(pair.origins) == ["maternal", "paternal"]
    # the second is the father's too (the mother lacks it): on his chromosome with the first, in cis
    pair = read(("1/1", "0/1", "0/1"), ("0/1", "0/1", "0/0"))
    assert pair.genotype_summary.endswith("(on one haplotype: in cis)") and pair.origins == ("paternal", "paternal")


def test_an_unaffected_relative_homozygous_for_a_homozygous_patients_recessive_variant_is_bs2(db, tmp_path):
    # ACMG BS2: observed in a healthy adult homozygous for a recessive disorder. An unaffected father or sibling 1/1
    # for the patient's homozygous variant made the fit partial, but no label said so (BS4 is of the affected)
    pah = gene(db, "PAH")
    ped = [*_quad_ped("1"), "F sib2 dad mum 1 2"]
    samples = ("dad", "kid", "mum", "sib", "sib2")

    def read(*calls: str):
        result = _load(db, tmp_path, [record("12", pah.exonic(3), "C", "T", *calls)], samples[:len(calls)],
                       ped[:len(calls)])  # fmt: skip
        return result, result.genes["PAH"].variants[0]

    for calls, who in ((("1/1", "1/1", "0/1", "0/1"), "unaffected father dad 1/1"),
                       (("0/1", "1/1", "0/1", "1/1"), "unaffected sibling sib 1/1")):  # fmt: skip
        result, v = read(*calls)
        (bs2,) = _criteria(v, "BS2")
        assert bs2.value == who and bs2.strength == "strong" and "reduced penetrance" in bs2.reason
        assert not _criteria(v, "PP1") and not _criteria(v, "BS4")
        fit = _fit(db, result, "PAH")
        assert fit.fit.compatible is False and who in fit.fit.explanation
        assert fit.score == pytest.approx(fit.raw * UNAFFECTED_CARRIER)
    # with an affected sibling lacking it too (BS4 beside BS2), the fit takes the factor once, not twice
    result, v = read("0/1", "1/1", "0/1", "1/1", "0/1")
    assert [c.value for c in _criteria(v, "BS4")] == ["affected sibling sib2 0/1"]
    assert [c.value for c in _criteria(v, "BS2")] == ["unaffected sibling sib 1/1"]
    fit = _fit(db, result, "PAH")
    assert fit.score == pytest.approx(fit.raw * UNAFFECTED_CARRIER)
    # a no-call, or a heterozygous unaffected relative, tells nothing of it
    for calls in (("./.", "1/1", "0/1", "./."), ("0/1", "1/1", "0/1", "0/1")):
        result, v = read(*calls)
        assert not _criteria(v, "BS2"), calls


def test_an_unaffected_parent_homozygous_for_one_of_a_compound_heterozygotes_pair_is_bs2_of_it(db, tmp_path):
    # An unaffected father 1/1 for the first of a pair in trans: healthy with two copies of it, so it is not
    # pathogenic in the homozygous state (BS2), and the pair that needs it argues against. He was read as a parent
    # with one of the pair, as every parent must be (one_of_pair): no label and a full fit
    pah = gene(db, "PAH")
    trio = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"]

    def read(first_dad: str):
        recs = [record("12", pah.exonic(3), "C", "T", first_dad, "0/1", "0/0"),
                record("12", pah.exonic(5), "C", "T", "0/0", "0/1", "0/1")]  # fmt: skip
        return _load(db, tmp_path, recs, ("dad", "kid", "mum"), trio)

    result = read("1/1")
    gene_read = result.genes["PAH"]
    assert gene_read.genotype_summary.endswith("(compound heterozygote: in trans)")
    first, second = sorted(gene_read.variants, key=lambda v: str(pah.exonic(3)) not in v.where)
    (bs2,) = _criteria(first, "BS2")
    assert bs2.value == "unaffected father dad 1/1" and not _criteria(second, "BS2")
    fit = _fit(db, result, "PAH")
    pair = sum(gene_read.pathogenicities[:2]) / 2
    # named with his calls of the pair, in the order the fit lists the variants
    assert fit.fit.compatible is False and re.search(r"one of them homozygous in an unaffected relative \(unaffected "
                                                     r"father dad (1/1 and 0/0|0/0 and 1/1); unless penetrance is "
                                                     r"reduced\)", fit.fit.explanation)  # fmt: skip
    assert fit.score == pytest.approx(pair * UNAFFECTED_CARRIER)
    # a father heterozygous for it (as he must be), or not called at it, tells nothing of it: the fit is full
    for call in ("0/1", "./."):
        result = read(call)
        assert not any(_criteria(v, "BS2") for v in result.genes["PAH"].variants), call
        assert _fit(db, result, "PAH").fit.compatible, call


def test_a_parent_phased_with_both_of_a_pair_on_one_haplotype_and_the_other_with_neither_tells_cis(db, tmp_path):
    # A father whose own reads put both variants on one chromosome (one phase set), and a mother with neither: the
    # child's two are that chromosome, in cis, whether the child's reads phased them or not; the parents' calls
    # already say so (one carries both, the other neither), which the father's phase only confirms
    pah = gene(db, "PAH")
    trio = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"]
    ps = ('##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">',)

    def read(kid: tuple[str, str]):
        recs = [record("12", pah.exonic(3), "C", "T", "0|1:100", kid[0], "0/0:.", fmt="GT:PS"),
                record("12", pah.exonic(5), "C", "T", "0|1:100", kid[1], "0/0:.", fmt="GT:PS")]  # fmt: skip
        recs = sorted(recs, key=lambda r: int(r.split("\t")[1]))
        vcf = write_plain(tmp_path / "phased.vcf", vcf_text(recs, samples=("dad", "kid", "mum"), infos=ps))
        return load_genomics(vcf, db, ped=write_ped(tmp_path / "phased.ped", trio), sample="kid").genes["PAH"]

    for kid in (("0/1:.", "0/1:."), ("0|1:7", "0|1:7")):  # unphased; phased by the child's reads on one haplotype
        pair = read(kid)
        assert pair.genotype_summary.endswith("(on one haplotype: in cis)"), kid
        assert pair.origins == ("paternal", "paternal")
        assert not any(_criteria(v, "PM3") for v in pair.variants)


PHASE_FIELDS = ('##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">',
                '##FORMAT=<ID=PGT,Number=1,Type=String,Description="Physical phasing haplotype information">',
                '##FORMAT=<ID=PID,Number=1,Type=String,Description="Physical phasing ID information">')


def _phased_father(db, tmp_path, dad: tuple[str, str], mum: tuple[str, str] | None, kid=("0/1:.:.:.", "0/1:.:.:.")):
    """A child heterozygous for two PAH variants, the father's calls (GT:PS:PGT:PID) as given, the mother's too or
    unsequenced (a duo whose PED names her)."""
    pah = gene(db, "PAH")
    samples = ("dad", "kid") if mum is None else ("dad", "kid", "mum")
    recs = [record("12", pah.exonic(n), "C", "T", dad[s], kid[s], *(() if mum is None else (mum[s],)),
                   fmt="GT:PS:PGT:PID") for s, n in ((0, 3), (1, 5))]  # fmt: skip
    recs = sorted(recs, key=lambda r: int(r.split("\t")[1]))
    vcf = write_plain(tmp_path / "phased.vcf", vcf_text(recs, samples=samples, infos=PHASE_FIELDS))
    ped = write_ped(tmp_path / "phased.ped", ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"])
    return load_genomics(vcf, db, ped=ped, sample="kid")


def test_a_father_phased_with_both_of_a_pair_on_one_haplotype_tells_cis_without_the_mothers_calls(db, tmp_path):
    # He passes one chromosome: both of the pair, or neither (then both are the mother's, on her one chromosome):
    # the child's two are in cis either way, whether the mother is unsequenced or a no-call at both sites
    on_one = (("0|1:100:.:.", "0|1:100:.:."),  # his reads' phase set
              ("0/1:.:0|1:x_1", "0/1:.:0|1:x_1"))  # GATK's read-backed phase, GT unphased
    for dad in on_one:
        for mum in (None, ("./.:.:.:.", "./.:.:.:.")):
            result = _phased_father(db, tmp_path, dad, mum)
            pair = result.genes["PAH"]
            assert "(on one haplotype: in cis" in pair.genotype_summary, (dad, mum)
            assert "father's phase" in pair.genotype_summary, (dad, mum)
            assert not any(_criteria(v, "PM3") for v in pair.variants)
            fit = _fit(db, result, "PAH")
            assert not fit.fit.compatible, (dad, mum)
            assert "compound" not in fit.fit.explanation.lower() and "in cis" in fit.fit.explanation, fit.fit.explanation
    # the child's own reads putting them on two haplotypes contradict his: nothing is told (possible)
    result = _phased_father(db, tmp_path, on_one[0], None, kid=("0|1:7:.:.", "1|0:7:.:."))
    assert result.genes["PAH"].genotype_summary.endswith("(possible compound heterozygote)")
    # unphased in him, the mother unsequenced: still possible (he may have passed one, she the other)
    result = _phased_father(db, tmp_path, ("0/1:.:.:.", "0/1:.:.:."), None)
    assert result.genes["PAH"].genotype_summary.endswith("(possible compound heterozygote)")


def test_a_father_phased_with_a_pair_on_his_two_haplotypes_and_a_mother_without_either_is_inconsistent(db, tmp_path):
    # He passes one of his chromosomes, so one of the pair at most; the mother has neither: a child with both is a
    # Mendelian inconsistency (a phasing or genotyping error, a recombination between them, or a de novo change),
    # neither in cis (as the calls alone read it) nor a compound heterozygote
    mum = ("0/0:.:.:.", "0/0:.:.:.")
    for dad in (("0|1:100:.:.", "1|0:100:.:."), ("0/1:.:0|1:x_1", "0/1:.:1|0:x_1")):
        result = _phased_father(db, tmp_path, dad, mum)
        pair = result.genes["PAH"]
        assert "in cis" not in pair.genotype_summary and "in trans" not in pair.genotype_summary, dad
        assert "possible compound" not in pair.genotype_summary, dad
        assert "(not read as a compound heterozygote: Mendelian inconsistency" in pair.genotype_summary, dad
        assert not any(_criteria(v, "PM3") for v in pair.variants)
        fit = _fit(db, result, "PAH")
        assert not fit.fit.compatible, dad
        assert "in cis" not in fit.fit.explanation and "Mendelian inconsistency" in fit.fit.explanation, fit.fit.explanation
    # the mother unsequenced, he passed one of them and she the other (not de novo: it would be his allele anew)
    pair = _phased_father(db, tmp_path, ("0|1:100:.:.", "1|0:100:.:."), None).genes["PAH"]
    assert pair.genotype_summary.endswith("(compound heterozygote: in trans; the father's phase puts them on his two "
                                          "chromosomes: he passes one)"), pair.genotype_summary
    # phased in different phase sets his phase tells nothing: the calls alone read cis, as before
    pair = _phased_father(db, tmp_path, ("0|1:100:.:.", "1|0:200:.:."), mum).genes["PAH"]
    assert pair.genotype_summary.endswith("(on one haplotype: in cis)")


def test_phase_is_read_per_call_in_its_own_style_where_a_file_mixes_ps_and_gatks_pgt_pid(db, tmp_path):
    # A file may phase the child by PS and a parent by GATK's PGT/PID (samples merged from two callers, or two GATK
    # versions). Each call is read in its own style: the parents' PGT/PID were read only where the child's call was
    # phased by PGT/PID too, so the father's phase of the pair was lost beside a child phased by PS.
    two = ("0/1:.:0|1:x_1", "0/1:.:1|0:x_1")  # the father's pair on his two chromosomes, by his reads
    for kid in (("0|1:7:.:.", "0|1:9:.:."),  # the child phased by PS, in two phase sets: her own phase tells nothing
                ("0|1:7:.:.", "0/1:.:0|1:x_2")):  # one by PS, one by PGT/PID: two styles, nothing told either
        pair = _phased_father(db, tmp_path, two, None, kid=kid).genes["PAH"]
        assert pair.genotype_summary.endswith("(compound heterozygote: in trans; the father's phase puts them on his "
                                              "two chromosomes: he passes one)"), (kid, pair.genotype_summary)
    # GATK 4.0 phased a GT without a PS, its block the PID (as the child's own call is read): the father's two in
    # different blocks tell nothing, read as the calls alone do (both his: cis), not as one set for the chromosome
    pair = _phased_father(db, tmp_path, ("0|1:.:0|1:x_1", "1|0:.:1|0:x_2"), ("0/0:.:.:.", "0/0:.:.:.")).genes["PAH"]
    assert pair.genotype_summary.endswith("(on one haplotype: in cis)"), pair.genotype_summary
    # his pair phased in two styles (one by PS, one by PGT/PID) is of no one block: nothing told by his phase
    pair = _phased_father(db, tmp_path, ("0|1:100:.:.", "0/1:.:1|0:x_1"), ("0/0:.:.:.", "0/0:.:.:.")).genes["PAH"]
    assert pair.genotype_summary.endswith("(on one haplotype: in cis)"), pair.genotype_summary


def test_a_pair_inconsistent_by_a_parents_phase_credits_neither_variant_to_that_parent(db, tmp_path):
    # The father's phase puts the pair on his two chromosomes and the mother has neither: he passed one of them at
    # most, so "from the father" for each (as his calls alone read them) would say he passed both. Each variant's own
    # origin stays open, said with the inconsistency, in the one evidence the GUI, the PDF and the JSON show
    mum = ("0/0:.:.:.", "0/0:.:.:.")
    for dad in (("0|1:100:.:.", "1|0:100:.:."), ("0/1:.:0|1:x_1", "0/1:.:1|0:x_1")):
        variants = _phased_father(db, tmp_path, dad, mum).genes["PAH"].variants
        for v, other in zip(variants, reversed(variants), strict=True):
            assert v.inherited_from == "" and v.de_novo is None, (dad, v.inherited_from)
            assert v.origin_text.startswith(f"with {other.where}: Mendelian inconsistency: the father passes one of "
                                            "his two chromosomes"), v.origin_text
            assert "from the father" not in v.genotype_with_origin
            assert not any(_criteria(v, code) for code in ("PS2", "PM6", "PM3")), v.criteria
    # his phase in cis, or the mother unsequenced (she passed the other): each is still his, or one of them
    cis = _phased_father(db, tmp_path, ("0|1:100:.:.", "0|1:100:.:."), mum).genes["PAH"].variants
    assert [v.inherited_from for v in cis] == ["from the father"] * 2
    duo = _phased_father(db, tmp_path, ("0|1:100:.:.", "1|0:100:.:."), None).genes["PAH"].variants
    assert all("Mendelian inconsistency" not in v.origin_text for v in duo)


def _phased_mother_on_x(db, tmp_path, dad: tuple[str, str], mum: tuple[str, str], kid=("0/1:.:.:.", "0/1:.:.:."),
                        sex: str = "2"):
    """A daughter (`sex` 2) heterozygous for two OTC variants (chrX), the father's one X and the mother's calls as
    given (GT:PS:PGT:PID)."""
    otc = gene(db, "OTC")
    recs = [record("X", otc.exonic(n), "C", "T", dad[s], kid[s], mum[s], fmt="GT:PS:PGT:PID")
            for s, n in ((0, 3), (1, 5))]  # fmt: skip
    recs = sorted(recs, key=lambda r: int(r.split("\t")[1]))
    vcf = write_plain(tmp_path / "x.vcf", vcf_text(recs, samples=("dad", "kid", "mum"), infos=PHASE_FIELDS))
    ped = write_ped(tmp_path / "x.ped", ["F dad 0 0 1 1", "F mum 0 0 2 1", f"F kid dad mum {sex} 2"])
    return load_genomics(vcf, db, ped=ped, sample="kid").genes["OTC"]


def test_a_mothers_phase_on_x_tells_a_daughters_pair_with_the_fathers_one_x(db, tmp_path):
    # A daughter has one X from each parent: the mother passes one of hers (her phase reads as on an autosome), the
    # father his only X, whole. Mother phased with the pair on her two X and the father carrying the first: he gave
    # her the first, so the second is the mother's: in trans (the calls alone, the mother carrying both, left it open)
    trans_mum = ("0|1:100:.:.", "1|0:100:.:.")
    pair = _phased_mother_on_x(db, tmp_path, ("1:.:.:.", "0:.:.:."), trans_mum)
    assert pair.genotype_summary.endswith("(compound heterozygote: in trans; the mother's phase puts them on her two "
                                          "chromosomes: she passes one)"), pair.genotype_summary
    # GATK's read-backed phase alike, and a father's X called as a diploid 1/1 (the caller's ploidy) passes it too
    pair = _phased_mother_on_x(db, tmp_path, ("1/1:.:.:.", "0/0:.:.:."), ("0/1:.:0|1:x_1", "0/1:.:1|0:x_1"))
    assert "(compound heterozygote: in trans; the mother's phase" in pair.genotype_summary, pair.genotype_summary
    # the father's X without either: she passed one at most, the daughter has both: a Mendelian inconsistency, not
    # in cis (as the calls alone read it), and neither variant's origin 'from the mother'
    pair = _phased_mother_on_x(db, tmp_path, ("0:.:.:.", "0:.:.:."), trans_mum)
    assert "(not read as a compound heterozygote: Mendelian inconsistency: the mother passes one of her two" \
        in pair.genotype_summary, pair.genotype_summary  # fmt: skip
    assert all("from the mother" not in v.origin_text for v in pair.variants)
    # her phase on one X, the father's without either: she passed that X, both on it (cis), as before
    pair = _phased_mother_on_x(db, tmp_path, ("0:.:.:.", "0:.:.:."), ("0|1:100:.:.", "0|1:100:.:."))
    assert pair.genotype_summary.endswith("(on one haplotype: in cis)"), pair.genotype_summary
    # the father's X unread (a no-call at the second): her phase and his first tell trans all the same
    pair = _phased_mother_on_x(db, tmp_path, ("1:.:.:.", ".:.:.:."), trans_mum)
    assert "(compound heterozygote: in trans; the mother's phase" in pair.genotype_summary, pair.genotype_summary
    # a patient not known to be female has no pair of X to phase: the mother's phase is not read
    pair = _phased_mother_on_x(db, tmp_path, ("0:.:.:.", "0:.:.:."), trans_mum, sex="0")
    assert "phase" not in pair.genotype_summary, pair.genotype_summary


PFEIFFER_TERMS = ["HP:0001156", "HP:0001363", "HP:0011304", "HP:0010055"]
TRIO = ("dad", "kid", "mum")
TRIO_PED = ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"]


def _fgfr2_from_the_unaffected_father(engine, tmp_path):
    """(case, result): a trio analysed with a Pfeiffer syndrome patient's features and an FGFR2 missense variant the
    unaffected father carries too (no de novo call)."""
    from raretrace.analysis import run_analysis
    from raretrace.case import case_from_terms

    fg = gene(engine.db, "FGFR2")
    recs = trio_background(TRIO, {"dad": "0/1", "kid": "0/1", "mum": "0/0"}) + [
        record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/0")]
    vcf = write_plain(tmp_path / "trio.vcf", vcf_text(recs, samples=TRIO))
    case = case_from_terms("pfeiffer-trio", PFEIFFER_TERMS)
    return case, run_analysis(engine, case, vcf=vcf, ped=write_ped(tmp_path / "trio.ped", TRIO_PED), top=5)


def test_a_dominant_variant_from_an_unaffected_parent_reads_partly_compatible_everywhere_not_incompatible(
        engine, tmp_path):  # fmt: skip
    # A trio's FGFR2 variant from the unaffected father: the score keeps half its evidence (reduced penetrance is
    # possible) and the explanation says "fits only partly", but the verdict read "not compatible" (the PDF, the
    # evidence pane) and the self-check warned "No compatible genotype: ... fits only partly"
    from raretrace.gui.evidence_html import hypothesis_html
    from raretrace.report import render_report

    case, result = _fgfr2_from_the_unaffected_father(engine, tmp_path)
    fgfr2 = next(g for g in result.genes if g.id == "FGFR2")
    fit = fgfr2.inheritance
    assert fit.compatible is False and "fits only partly: inherited from an unaffected parent" in fit.explanation
    (flag,) = [f for f in fgfr2.flags if f.code == "genotype"]
    assert flag.level == "caution" and not flag.message.startswith("No compatible") and "fits only partly" in \
        flag.message  # fmt: skip
    assert "<b>partly compatible</b>" in hypothesis_html(fgfr2) and "not compatible" not in hypothesis_html(fgfr2)
    pdf = render_report(result, case, tmp_path / "r.pdf")
    from pypdf import PdfReader

    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert "Inheritance fit: partly compatible." in text and "not compatible" not in text
    assert "No compatible genotype" not in text
    assert fit.partly and fit.verdict == "partly compatible"


def test_a_gene_no_mode_fits_stays_not_compatible(db, tmp_path):
    # the other side of the partial fit: HTR1A's diseases are all women's, and the patient a man (no mode fits)
    htr1a = gene(db, "HTR1A")
    vcf = write_plain(tmp_path / "one.vcf", vcf_text([record(htr1a.chrom, htr1a.exonic(0), "C", "T", "0/1")]))
    fit = fit_gene(load_genomics(vcf, db).genes["HTR1A"], gene_modes(db).get("HTR1A"), "MALE", other_sex="FEMALE").fit
    assert fit.compatible is False and not fit.partly and fit.verdict == "not compatible"


def test_the_inheritance_fit_a_de_novo_call_adds_to_is_explained_as_adding(engine, tmp_path):
    # A trio's de novo FGFR2 call: its inheritance fit adds to the gene's score (+1.40 drawn in the bars), where the
    # legend of the PDF and the bars' tooltip said the fit only takes from the variant evidence, "0 when compatible"
    from raretrace.analysis import run_analysis
    from raretrace.case import case_from_terms
    from raretrace.evidence import CONTRIBUTION_MEANINGS
    from raretrace.report import contributions_legend

    fg = gene(engine.db, "FGFR2")
    recs = trio_background(TRIO, {"dad": "0/1", "kid": "0/1", "mum": "0/0"}) + [
        record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0")]
    vcf = write_plain(tmp_path / "trio.vcf", vcf_text(recs, samples=TRIO))
    result = run_analysis(engine, case_from_terms("pfeiffer-trio", PFEIFFER_TERMS), vcf=vcf,
                          ped=write_ped(tmp_path / "trio.ped", TRIO_PED), top=5)  # fmt: skip
    fgfr2 = next(g for g in result.genes if g.id == "FGFR2")
    assert fgfr2.inheritance.compatible is True and fgfr2.variants[0].de_novo is True
    added = {c.group: c.value for c in fgfr2.contributions}["inheritance fit"]
    assert added > 0
    meaning = CONTRIBUTION_MEANINGS["inheritance fit"]
    assert "0 when compatible" not in meaning and "de novo" in meaning and "adds" in meaning
    assert meaning in re.sub(r"\s+", " ", contributions_legend([fgfr2]))


def test_a_trios_parentage_is_said_with_the_family_read_even_without_a_de_novo_call(engine, tmp_path, capsys):
    # "from the father", "in trans" and the unaffected parent's transmission all rest on the trio's parentage, which
    # was said only in a de novo call's PS2 or PM6 value, or as a warning where it failed: a trio with no de novo
    # candidate showed no sign that it had been checked
    from raretrace.cli.analysis_cmds import print_ranking
    from raretrace.gui.evidence_html import result_html
    from raretrace.report import render_report

    case, result = _fgfr2_from_the_unaffected_father(engine, tmp_path)
    said = "parentage consistent: 0 Mendelian inconsistencies at 301 well-called sites (0.00%)"
    assert not any(v.de_novo for g in result.genes for v in g.variants)
    print_ranking(result, 5)
    assert "\nParentage consistent: 0 Mendelian inconsistencies at 301 " in capsys.readouterr().out
    assert "Parentage</b>" in result_html(result) and said.removeprefix("parentage ") in result_html(result)
    assert result.vcf.parentage == said
    from pypdf import PdfReader

    pdf = render_report(result, case, tmp_path / "r.pdf")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert "Parentage consistent: 0 Mendelian inconsistencies at 301 well-called sites (0.00%)" in text
    # a proband alone: nothing to say
    fg = gene(engine.db, "FGFR2")
    alone = load_genomics(write_plain(tmp_path / "one.vcf", vcf_text([record("10", fg.exonic(2), "A", "G")])),
                          engine.db)  # fmt: skip
    assert alone.summary.parentage == ""
