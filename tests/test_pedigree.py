"""PED files as clinics and PLINK write them, and how their individuals are matched to a VCF's samples. PEDs and
VCFs are made here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from vcf_fixtures import gene, record, vcf_text, write_ped, write_plain

from raretrace.errors import RareTraceError
from raretrace.genomics import load_genomics
from raretrace.pedigree import read_ped


@pytest.fixture(scope="module")
def db(engine):
    return engine.db


@pytest.mark.parametrize(("rows", "said"), [
    (["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad kid 2 2"], "kid is given as its own mother (line 3)"),
    (["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid kid mum 0 2"], "kid is given as its own father (line 3)"),
    (["F dad 0 0 0 1", "F mum 0 0 2 1", "F kid dad dad 2 2"], "dad is given as both kid's father and mother (line 3)"),
    (["F dad kid 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"], "dad is its own ancestor (dad is the child of kid, kid of dad)"),
])  # fmt: skip
def test_an_individual_who_is_their_own_parent_or_ancestor_is_an_error(tmp_path, rows, said):
    # "F kid dad kid": the patient's own genotypes were read as the mother's, so a de novo call became "from the
    # mother" with PP1 beside it; a cycle of parents was read as a family without a word
    with pytest.raises(RareTraceError) as err:
        read_ped(write_ped(tmp_path / "t.ped", rows))
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{tmp_path / 't.ped'}")
    assert said in message and message.endswith("correct the PED file")


def test_a_longer_cycle_of_parents_is_named_in_order(tmp_path):
    rows = ["F a c 0 1 1", "F b a 0 1 1", "F c b 0 1 2"]
    with pytest.raises(RareTraceError, match=r"a is its own ancestor \(a is the child of c, c of b, b of a\)"):
        read_ped(write_ped(tmp_path / "t.ped", rows))


def test_the_patient_as_their_own_parent_never_reaches_the_evidence(db, tmp_path):
    fg = gene(db, "FGFR2")
    vcf = write_plain(tmp_path / "t.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0")],
                                                   samples=("dad", "kid", "mum")))  # fmt: skip
    with pytest.raises(RareTraceError, match="kid is given as its own mother"):
        load_genomics(vcf, db, ped=write_ped(tmp_path / "t.ped", ["F dad 0 0 1 1", "F mum 0 0 2 1",
                                                                   "F kid dad kid 2 2"]))  # fmt: skip


# Two families numbered each from 1, as PLINK allows (family and individual together are the key); in the second
# the mother is numbered first, so an individual's sex and parents must be read within its own family.
NUMBERED = ["FAM1 1 0 0 1 1", "FAM1 2 0 0 2 1", "FAM1 3 1 2 1 2",
            "FAM2 1 0 0 2 1", "FAM2 2 0 0 1 1", "FAM2 3 2 1 2 2"]  # fmt: skip


def test_individuals_numbered_within_each_family_are_read(tmp_path):
    ped = read_ped(write_ped(tmp_path / "cohort.ped", NUMBERED))
    assert [(i.family, i.id, i.father, i.mother, i.sex) for i in ped.individuals if i.id == "3"] == [
        ("FAM1", "3", "1", "2", "MALE"), ("FAM2", "3", "2", "1", "FEMALE")]
    with pytest.raises(RareTraceError, match=r"line 2: individual '1' of family FAM1 is listed twice$"):
        read_ped(write_ped(tmp_path / "twice.ped", ["FAM1 1 0 0 1 1", "FAM1 1 0 0 1 1", "FAM2 1 0 0 1 1"]))


def _cohort_vcf(db, tmp_path, samples: tuple[str, ...]):
    """FGFR2 called in the third individual of each family only (de novo in both)."""
    fg = gene(db, "FGFR2")
    calls = ["0/1" if s.endswith("3") else "0/0" for s in samples]
    return write_plain(tmp_path / "cohort.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", *calls)],
                                                         samples=samples))  # fmt: skip


def test_a_vcf_naming_samples_family_underscore_individual_matches_numbered_families(db, tmp_path):
    # PLINK writes a VCF's samples as FID_IID: "FAM2_3" is individual 3 of FAM2, whose parents are FAM2's 2 and 1
    vcf = _cohort_vcf(db, tmp_path, ("FAM1_1", "FAM1_2", "FAM1_3", "FAM2_1", "FAM2_2", "FAM2_3"))
    ped = write_ped(tmp_path / "cohort.ped", NUMBERED)
    result = load_genomics(vcf, db, ped=ped, sample="FAM2_3")
    assert result.summary.sample == "FAM2_3" and result.sex == "FEMALE" and result.trio
    assert result.relatives == {"FAM2_2": "father", "FAM2_1": "mother"}
    assert result.genes["FGFR2"].origins == ("de_novo",)
    assert not any("letter case" in w or "not in the VCF" in w for w in result.summary.warnings)
    with pytest.raises(RareTraceError, match=r"cohort.ped marks 2 genotyped individuals of cohort.vcf as affected "
                                             r"\(FAM1_3, FAM2_3\)"):
        load_genomics(vcf, db, ped=ped)


def test_numbers_shared_by_two_families_of_the_ped_and_a_vcf_sample_are_ambiguous(db, tmp_path):
    vcf = _cohort_vcf(db, tmp_path, ("1", "2", "3"))
    with pytest.raises(RareTraceError) as err:
        load_genomics(vcf, db, ped=write_ped(tmp_path / "cohort.ped", NUMBERED), sample="3")
    assert str(err.value) == (
        "cohort.ped numbers its individuals within each family, and cohort.vcf's samples 1, 2, 3 are each an "
        "individual of several families (FAM1, FAM2): whose genotypes they hold cannot be told; give the PED of the "
        "patient's family only, or name the VCF's samples FAMILY_INDIVIDUAL as PLINK does (FAM1_1)")
    # the patient's family alone: its numbers are the VCF's samples
    one = load_genomics(vcf, db, ped=write_ped(tmp_path / "fam2.ped", NUMBERED[3:]))
    assert one.summary.sample == "3" and one.relatives == {"2": "father", "1": "mother"} and one.trio


def test_a_sample_named_in_another_letter_case_is_read_as_the_vcfs_one_sample_of_that_name(db, tmp_path):
    # as the PED's IDs are (test_variants): "--sample KID" against the VCF's "kid" was an error, and the
    # phenopacket's individualToFileIdentifiers the same
    fg = gene(db, "FGFR2")
    vcf = write_plain(tmp_path / "t.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0")],
                                                   samples=("dad", "kid", "mum")))  # fmt: skip
    ped = write_ped(tmp_path / "t.ped", ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 2 2"])
    for source, pedigree in (("--sample", ped), ("the phenopacket's individualToFileIdentifiers", None)):
        result = load_genomics(vcf, db, ped=pedigree, sample="KID", sample_source=source)
        assert result.summary.sample == "kid" and result.trio is (pedigree is not None)
        assert f"sample 'KID' (named by {source}) is read as t.vcf's sample 'kid', its one sample of that name in " \
               "another letter case" in result.summary.warnings
    # the PED's status is the matched sample's: a parent is still refused as the patient
    with pytest.raises(RareTraceError, match=r"sample 'mum' is unaffected in t.ped"):
        load_genomics(vcf, db, ped=ped, sample="MUM")
    # two samples differing only in case: nothing is guessed
    two = write_plain(tmp_path / "two.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "0/1", "0/1")],
                                                     samples=("kid", "Kid")))  # fmt: skip
    with pytest.raises(RareTraceError, match=r"sample 'KID' \(named by --sample\) is not in two.vcf"):
        load_genomics(two, db, sample="KID", sample_source="--sample")


def _trio_vcf(db, tmp_path):
    fg = gene(db, "FGFR2")
    return write_plain(tmp_path / "t.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0")],
                                                    samples=("dad", "kid", "mum")))  # fmt: skip


def test_a_ped_marking_nobody_genotyped_affected_says_so_not_asks_for_a_ped(db, tmp_path):
    # PLINK's "--1" coding (0 unaffected, 1 affected) read as 1 = unaffected: the error asked for "a PED file with
    # one affected individual", although one was given and it is its coding that is at fault
    ped = write_ped(tmp_path / "t.ped", ["F dad 0 0 1 0", "F mum 0 0 2 0", "F kid dad mum 2 1"])
    with pytest.raises(RareTraceError) as err:
        load_genomics(_trio_vcf(db, tmp_path), db, ped=ped)
    assert str(err.value) == (
        "t.ped marks none of t.vcf's samples as affected (its sixth column: 2 affected, 1 unaffected, 0 or -9 "
        "unknown); choose the patient's sample (--sample on the command line, Sample in the Genomics tab, or "
        "individualToFileIdentifiers in the phenopacket) or correct the PED file")


def test_a_quantitative_phenotype_column_is_no_affection_status(tmp_path, db):
    # PLINK reads a phenotype column holding any other number than 0, 1, 2, -9 as a quantity: its "2" is a value,
    # not "affected" (here the father, his value 2, was analysed as the patient)
    rows = ["F dad 0 0 1 2", "F mum 0 0 2 1.7", "F kid dad mum 2 0.53"]
    ped = read_ped(write_ped(tmp_path / "t.ped", rows))
    assert [i.affected for i in ped.individuals] == [None, None, None] and ped.quantitative == "1.7"
    vcf = _trio_vcf(db, tmp_path)
    with pytest.raises(RareTraceError, match=r"^t.ped marks none of t.vcf's samples as affected \(its sixth column "
                                             r"holds quantities such as 1.7, not affection status\); choose"):
        load_genomics(vcf, db, ped=tmp_path / "t.ped")
    result = load_genomics(vcf, db, ped=tmp_path / "t.ped", sample="kid")
    assert result.trio and result.affected == {"dad": None, "mum": None, "kid": None}
    assert "t.ped's sixth column holds quantities such as 1.7, not affection status (2 affected, 1 unaffected): " \
           "every individual's status is read as unknown" in result.summary.warnings


def test_sex_written_as_letters_or_words_is_read(tmp_path):
    # "M"/"F" (peddy, PEDs made in a spreadsheet) were read as unknown sex, so a father's chrX calls were not read
    # as a male's and the patient's sex went unchecked against the case's
    ped = read_ped(write_ped(tmp_path / "letters.ped", ["F dad 0 0 M 1", "F mum 0 0 f 1", "F kid dad mum Male 2",
                                                        "F sib dad mum FEMALE 1", "F cousin 0 0 other 1"]))
    assert [i.sex for i in ped.individuals] == ["MALE", "FEMALE", "MALE", "FEMALE", None]


def test_a_parent_whose_line_is_in_another_family_is_not_read_as_the_patients_parent(db, tmp_path):
    # "G dad" and "F kid dad mum": family and ID are the PED's key, so F's father dad (no line of his own) is not
    # G's dad, whose sample the VCF holds; his genotypes were read as the father's (a de novo call, PM6, rested on
    # them) while his affection status, G's, was not
    vcf = _trio_vcf(db, tmp_path)
    ped = write_ped(tmp_path / "t.ped", ["G dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"])
    result = load_genomics(vcf, db, ped=ped)
    assert result.relatives == {"mum": "mother"} and not result.trio
    assert result.genes["FGFR2"].origins != ("de_novo",)
    assert ("the father (dad) is of family G in t.ped, not kid's family F: not read as kid's father (give him "
            "family F if he is)") in result.summary.warnings
    # a parent without a line of his own anywhere is the VCF's sample of that name, as before
    result = load_genomics(vcf, db, ped=write_ped(tmp_path / "t.ped", ["F mum 0 0 2 1", "F kid dad mum 1 2"]))
    assert result.relatives == {"dad": "father", "mum": "mother"} and result.trio


def test_a_numbered_familys_unlisted_parent_is_not_the_same_number_of_another_family(db, tmp_path):
    # FAM2's father 2 has no line; FAM1's 2, a mother, was taken for him: the PED was refused as having its parents
    # swapped, and where the sexes agreed, FAM1_2's genotypes were read as FAM2_3's father's
    rows = [*NUMBERED[:4], NUMBERED[5]]
    assert read_ped(write_ped(tmp_path / "cohort.ped", rows)).get("3") is not None
    vcf = _cohort_vcf(db, tmp_path, ("FAM1_1", "FAM1_2", "FAM1_3", "FAM2_1", "FAM2_3"))
    result = load_genomics(vcf, db, ped=tmp_path / "cohort.ped", sample="FAM2_3")
    assert result.relatives == {"FAM2_1": "mother"}
    assert "the father (2) is in the PED file but not in the VCF" in result.summary.warnings
    # sexes that agree: FAM1's father 1 is still not FAM2_3's father 1
    rows = [*NUMBERED[:3], "FAM2 3 1 0 2 2"]
    vcf = _cohort_vcf(db, tmp_path, ("FAM1_1", "FAM1_2", "FAM1_3", "FAM2_3"))
    result = load_genomics(vcf, db, ped=write_ped(tmp_path / "cohort.ped", rows), sample="FAM2_3")
    assert result.relatives == {} and "the father (1) is in the PED file but not in the VCF" in \
        result.summary.warnings


def test_a_ped_sex_the_patients_chrx_calls_contradict_is_warned_about(db, tmp_path):
    # The PED's sex was taken as it stood: a patient given as female whose 60 X calls are all haploid (a male's, or
    # another sample's genotypes: a mix-up) had her calls read as a female's without a word, as peddy would flag
    spread = [record("X", 10_000_000 + 1000 * i, "A", "G", "1") for i in range(60)]  # outside the PARs
    vcf = write_plain(tmp_path / "x.vcf", vcf_text(spread, samples=("kid",)))
    for sex, warned in (("2", True), ("1", False)):
        result = load_genomics(vcf, db, ped=write_ped(tmp_path / "x.ped", [f"F kid 0 0 {sex} 2"]))
        said = [w for w in result.summary.warnings if "suggest" in w]
        assert result.sex == ("FEMALE" if sex == "2" else "MALE") and result.sex_source == "PED file"
        assert said == ([("x.ped gives kid as female, but 60 chrX genotypes (0% heterozygous, 60 haploid) suggest "
                          "male: a sample mix-up, or an error in the PED file?")] if warned else [])


def test_sharing_by_descent_follows_the_peds_relationships(tmp_path):
    # Jarvik & Browning's informative meioses are -log2 of the chance that relatives share the patient's allele by
    # descent alone: first-degree 1/2, second-degree 1/4, a first cousin 1/8; on X a son's allele is his mother's
    ped = read_ped(write_ped(tmp_path / "f.ped", [
        "F gp 0 0 1 1", "F gm 0 0 2 1", "F dad gp gm 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2", "F sib dad mum 2 2",
        "F uncle gp gm 1 1", "F aunt 0 0 2 1", "F cousin uncle aunt 2 2", "F dad2 0 0 1 1", "F half dad2 mum 1 2",
        "F stranger 0 0 1 2"]))
    share = ped.sharing_probability
    assert [share("kid", [r]) for r in ("sib", "dad", "gp", "uncle", "half", "cousin")] == \
        [0.5, 0.5, 0.25, 0.25, 0.25, 0.125]
    assert share("kid", ["sib", "cousin"]) == 1 / 16  # one line each: the meioses add up
    assert share("kid", ["aunt"]) is None and share("kid", ["stranger"]) is None  # no descent the PED shows
    assert (share("kid", ["mum"], x_linked=True), share("kid", ["dad"], x_linked=True)) == (1.0, 0.0)
    assert share("kid", ["half"], x_linked=True) == 0.5  # the mother's other son
    assert share("kid", ["dad"], x_linked=False) == 0.5


def test_sharing_by_descent_in_a_consanguineous_family_is_more_likely_and_never_fails(tmp_path):
    # the parents are first cousins (a loop): a sibling shares the patient's allele more often than 1/2 by chance,
    # so counts less than a meiosis; the loop is followed once per route, never endlessly nor twice
    ped = read_ped(write_ped(tmp_path / "f.ped", [
        "F gp 0 0 1 1", "F gm 0 0 2 1", "F a gp gm 1 1", "F b gp gm 2 1", "F sa 0 0 2 1", "F sb 0 0 1 1",
        "F dad a sa 1 1", "F mum sb b 2 1", "F kid dad mum 1 2", "F sib dad mum 2 2"]))
    assert ped.sharing_probability("kid", ["sib"]) == pytest.approx(17 / 32)
    assert ped.sharing_probability("kid", ["gp"]) == pytest.approx(0.25)
    # named through neither parent alone: he is both parents' grandfather
    assert (ped.kinship("kid", "gp"), ped.kinship("kid", "sib"), ped.kinship("kid", "a")) == \
        ("great-grandfather", "sibling", "paternal grandfather")


def test_kinship_is_named_from_the_peds_relationships(tmp_path):
    # A grandparent, aunt, cousin or nephew was named just 'relative' in the family read, the fit and PP1 ('affected
    # relative II-3'): the PED says what they are to the patient, through which parent, and the word for their sex
    ped = read_ped(write_ped(tmp_path / "f.ped", [
        "F gp 0 0 1 1", "F gm 0 0 2 1", "F dad gp gm 1 1", "F mgm 0 0 2 1", "F mum mgf mgm 2 1", "F kid dad mum 1 2",
        "F sib dad mum 2 2", "F aunt gp gm 2 1", "F inlaw 0 0 1 1", "F cousin inlaw aunt 2 2", "F ccc 0 cousin 0 1",
        "F dad2 0 0 1 1", "F half dad2 mum 1 2", "F gm2 0 0 2 1", "F hu gp gm2 1 1", "F nephew 0 sib 1 1",
        "F grandniece nephew 0 2 1", "F partner 0 0 2 1", "F son kid partner 1 2", "F gson son 0 1 1",
        "F ggm 0 0 2 1", "F ggf 0 0 1 1", "F mgf ggf ggm 1 1", "F mum2 0 mgm 2 1", "F c2 0 mum2 0 1",
        "F au gp gm 0 1", "F stranger 0 0 1 2"]))
    named = {x: ped.kinship("kid", x) for x in (
        "gp", "gm", "dad", "mgm", "sib", "aunt", "cousin", "ccc", "half", "hu", "nephew", "grandniece", "son", "gson",
        "ggm", "c2", "au", "inlaw", "partner", "stranger", "kid")}
    assert named == {
        "gp": "paternal grandfather", "gm": "paternal grandmother", "dad": "father", "mgm": "maternal grandmother",
        "sib": "sibling", "aunt": "paternal aunt", "cousin": "paternal first cousin",
        "ccc": "paternal first cousin once removed", "half": "maternal half-sibling", "hu": "paternal half-uncle",
        "nephew": "nephew", "grandniece": "grandniece", "son": "child", "gson": "grandchild",
        "ggm": "maternal great-grandmother", "c2": "maternal first cousin",
        "au": "paternal aunt or uncle", "inlaw": None,
        "partner": None, "stranger": None, "kid": None}


def test_a_sibling_listed_with_one_parent_shares_as_the_full_sibling_named(tmp_path):
    # 'F sib dad 0': named the patient's sibling (the other parent not given), but counted as a half-sibling by an
    # unknown mother, 1/4 by chance: two informative meioses where a sister is one, PP1 taken up by the gap in the PED
    ped = read_ped(write_ped(tmp_path / "f.ped", [
        "F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2", "F sib dad 0 2 2", "F sib2 0 mum 2 2",
        "F dad2 0 0 1 1", "F half dad2 mum 1 2", "F sib3 0 mum 1 2"]))
    assert ped.kinship("kid", "sib") == "sibling" and ped.sharing_probability("kid", ["sib"]) == 0.5
    # the patient's mother with children by two fathers: named siblings, read as the patient's full siblings
    assert [ped.kinship("kid", x) for x in ("sib2", "sib3")] == ["sibling", "sibling"]
    assert ped.sharing_probability("kid", ["sib2", "sib3"]) == 0.25
    # a parent whose only partner is their own child (a loop the PED makes) is not read as that child's parent
    loop = read_ped(write_ped(tmp_path / "g.ped", ["F dad 0 0 1 1", "F x dad 0 2 1", "F kid dad x 1 2"]))
    assert loop.sharing_probability("kid", ["x"]) == 0.75


@pytest.mark.parametrize("kind", ["pipe", "device"])
def test_a_ped_that_is_a_pipe_or_a_device_is_named_as_such_not_as_missing(kind, tmp_path):
    # `--ped /dev/null` or a named pipe said "PED file not found" of a path that is there
    path = tmp_path / "family.ped"
    if kind == "pipe":
        os.mkfifo(path)
    else:
        path = Path(os.devnull)
    with pytest.raises(RareTraceError) as raised:
        read_ped(path)
    assert "not found" not in str(raised.value) and f"{path} is not a file" in str(raised.value), raised.value
    with pytest.raises(RareTraceError, match="PED file not found"):
        read_ped(tmp_path / "nowhere.ped")
