"""Modes of inheritance against genotypes, and the gene score that joins phenotype, variants and inheritance."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest
from vcf_fixtures import gene, record, vcf_text, write_ped, write_plain

from raretrace import inheritance
from raretrace.errors import RareTraceError
from raretrace.genomics import load_genomics
from raretrace.inheritance import (
    combine_gene_scores,
    fit_gene,
    gene_modes,
    mode_scores,
    modes_named_only,
    modes_of_unannotated_genes,
    modes_with_sources,
    published_modes,
)
from raretrace.kb import disease_inheritance
from raretrace.library import LibraryCase


@pytest.fixture(scope="module")
def db(engine):
    return engine.db


@pytest.fixture(scope="module")
def modes(db):
    return gene_modes(db)


@pytest.fixture(scope="module")
def recessive_gene(db, modes):
    """An autosomal gene whose diseases are all recessive, with enough exons to place variants."""
    for (symbol,) in db.execute(
        "SELECT symbol FROM gene_models WHERE build = 'GRCh37' AND chrom NOT IN ('X', 'Y') "
        "AND length(exon_starts) - length(replace(exon_starts, ',', '')) >= 9 ORDER BY symbol"
    ):
        if modes.get(symbol) == {"AR"}:
            return gene(db, symbol)
    pytest.fail("no recessive-only gene in the KB")


def test_modes_come_from_the_hpo_annotations_of_the_genes_diseases(db, modes):
    # Check against the KB itself: a gene all of whose diseases are annotated AD only.
    rows = db.execute(
        "SELECT gd.gene_symbol, group_concat(d.inheritance, '|') FROM gene_diseases gd "
        "JOIN diseases d ON d.id = gd.disease_id GROUP BY gd.gene_symbol"
    ).fetchall()
    only_ad = [s for s, inh in rows if set(inh.split("|")) == {'["HP:0000006"]'}]
    only_ar = [s for s, inh in rows if set(inh.split("|")) == {'["HP:0000007"]'}]
    only_xr = [s for s, inh in rows if set(inh.split("|")) == {'["HP:0001419"]'}]
    assert only_ad and only_ar and only_xr
    assert all(modes[s] == {"AD"} for s in only_ad[:50])
    assert all(modes[s] == {"AR"} for s in only_ar[:50])
    assert all(modes[s] == {"XR"} for s in only_xr[:50])


@pytest.mark.parametrize(("name", "modes"), [
    ("Autosomal dominant polycystic kidney disease", ("HP:0000006",)),
    ("Recessive dystrophic epidermolysis bullosa inversa", ("HP:0000007",)),
    ("X-linked recessive ichthyosis", ("HP:0001419",)),  # X-linked, not also autosomal recessive
    ("Syndromic recessive X-linked ichthyosis", ("HP:0001419",)),
    ("X-linked dominant chondrodysplasia punctata", ("HP:0001423",)),
    ("X-LINKED intellectual disability, Abidi type", ("HP:0001417",)),
    ("Autosomal semi-dominant severe lipodystrophic laminopathy", ("HP:0032113",)),
    ("Nodular lymphocyte predominant Hodgkin lymphoma", ()),
    ("Kabuki syndrome 1", ()),
])
def test_a_disease_without_an_annotated_mode_takes_the_mode_its_name_states(name, modes):
    assert disease_inheritance(name, "[]") == modes
    assert disease_inheritance(name, '["HP:0000007"]') == ("HP:0000007",)  # an annotated mode always wins


def test_a_gene_takes_the_mode_named_by_a_disease_hpo_gives_none(db, modes):
    # Orphanet's entries carry no mode in phenotype.hpoa; a gene known for a recessive OMIM disease and for an
    # Orphanet "Autosomal dominant ..." one (IFT140 and ADPKD in the January 2025 release) can then fit a single
    # heterozygous variant as dominant.
    rows = db.execute(
        "SELECT gd.gene_symbol, d.label, d.inheritance FROM gene_diseases gd JOIN diseases d ON d.id = gd.disease_id"
    ).fetchall()
    annotated: dict[str, set[str]] = {}
    named = set()
    for symbol, label, inh in rows:
        annotated.setdefault(symbol, set()).update(json.loads(inh))
        if inh == "[]" and label.lower().startswith("autosomal dominant"):
            named.add(symbol)
    gained = sorted(s for s in named if annotated[s] == {"HP:0000007"})
    assert gained
    assert all(modes[s] == {"AD", "AR"} for s in gained)
    named_only = modes_named_only(db)
    assert all(set(named_only[s]) == {"AD"} for s in gained)
    assert all(d.split(" ", 1)[1].lower().startswith("autosomal dominant") for s in gained for d in named_only[s]["AD"])


def test_a_fit_resting_on_a_named_mode_cites_the_disease_whose_name_states_it(db, modes, tmp_path):
    named_only = modes_named_only(db)
    symbol = next(s for s in sorted(named_only) if set(named_only[s]) == {"AD"} and modes[s] == {"AD", "AR"})
    g = gene(db, symbol)
    path = write_plain(tmp_path / "ad.vcf", vcf_text([record(g.chrom, g.exonic(3), "C", "T", "0/1")]))
    variants = load_genomics(path, db).genes[symbol]
    _modes, sources = modes_with_sources(db, [])
    fit = fit_gene(variants, modes[symbol], None, None, sources.get(symbol))
    assert fit.mode == "AD" and fit.fit.compatible is True
    assert f"stated in the name of {named_only[symbol]['AD'][0]}" in fit.fit.explanation
    assert "stated in the name" not in fit_gene(variants, modes[symbol], None).fit.explanation


def _published(pmid: str, gene_symbol: str, *states: str) -> LibraryCase:
    return LibraryCase(f"{pmid}-{len(states)}", pmid, "OMIM:0", "", (gene_symbol,), states, "", (), (), "")


def test_a_mode_published_patients_show_in_two_publications_joins_the_genes_modes(db, modes, recessive_gene, tmp_path):
    ar = recessive_gene.symbol
    one_paper = [_published("PMID:1", ar, "heterozygous"), _published("PMID:1", ar, "heterozygous")]
    assert published_modes(one_paper, modes) == {}  # one report is not enough
    two = one_paper + [_published("PMID:2", ar, "heterozygous")]
    assert published_modes(two, modes) == {ar: {"AD": ["PMID:1", "PMID:1", "PMID:2"]}}
    # recessive genotypes add nothing to a recessive gene; two variants read as recessive, not dominant
    assert published_modes([_published(f"PMID:{i}", ar, "heterozygous", "heterozygous") for i in (1, 2)], modes) == {}
    merged, sources = modes_with_sources(db, two)
    assert merged[ar] == {"AD", "AR"} and modes[ar] == {"AR"}
    assert "shown by 3 published patients of 2 publications (PMID:1, PMID:2)" in sources[ar]["AD"]
    path = write_plain(tmp_path / "het.vcf", vcf_text([record(recessive_gene.chrom, recessive_gene.exonic(4), "C", "T", "0/1")]))
    variants = load_genomics(path, db).genes[ar]
    fit = fit_gene(variants, merged[ar], None, None, sources[ar])
    assert fit.mode == "AD" and fit.fit.compatible is True and "not annotated in HPO" in fit.fit.explanation
    assert fit_gene(variants, modes[ar], None).fit.compatible is False  # HPO's recessive mode alone: one hit short
    # the same reading per diagnosis, for the disease hypotheses' own fits
    assert published_modes(two, {"OMIM:0": {"AR"}}, by="disease") == {"OMIM:0": {"AD": ["PMID:1", "PMID:1", "PMID:2"]}}
    assert published_modes(two, {"OMIM:0": {"AD"}}, by="disease") == {}


def test_a_gene_without_any_mode_takes_the_one_its_published_patients_show_from_one_publication(db, modes, tmp_path):
    symbol = next(s for (s,) in db.execute(
        "SELECT symbol FROM gene_models WHERE build = 'GRCh37' AND chrom NOT IN ('X', 'Y', 'MT') "
        "AND length(exon_starts) - length(replace(exon_starts, ',', '')) >= 5 ORDER BY symbol") if not modes.get(s))
    library = [_published("PMID:7", symbol, "homozygous"), _published("PMID:7", symbol, "homozygous")]
    assert modes_of_unannotated_genes(library, modes) == {symbol: {"AR": ["PMID:7", "PMID:7"]}}
    merged, sources = modes_with_sources(db, library)
    assert merged[symbol] == {"AR"} and "of 1 publication (PMID:7)" in sources[symbol]["AR"]
    g = gene(db, symbol)
    path = write_plain(tmp_path / "het.vcf", vcf_text([record(g.chrom, g.exonic(3), "C", "T", "0/1")]))
    variants = load_genomics(path, db).genes[symbol]
    fit = fit_gene(variants, merged[symbol], None, None, sources[symbol])
    assert fit.fit.compatible is False and "Autosomal recessive" in fit.fit.explanation  # one hit of two
    assert "No mode annotated" in fit_gene(variants, modes.get(symbol), None).fit.explanation  # before: any mode fit
    assert modes_of_unannotated_genes([_published("PMID:8", "KMT2D", "homozygous")], modes) == {}  # HPO's own stand


def test_recessive_needs_two_hits_dominant_one():
    one_het = mode_scores([0.9], ["het"], ["unknown"], [None], "7", None)
    assert one_het["AD"] == pytest.approx(0.9)
    assert one_het["AR"] == pytest.approx(0.9 * inheritance.SINGLE_HET_RECESSIVE)
    two_het = mode_scores([0.9, 0.7], ["het", "het"], ["unknown"] * 2, [None, None], "7", None)
    assert two_het["AR"] == pytest.approx(0.8)
    hom = mode_scores([0.6], ["hom_alt"], ["unknown"], [None], "7", None)
    assert hom["AR"] == pytest.approx(0.6)
    # A homozygous variant fits a dominant gene less well than a heterozygous one of the same pathogenicity.
    assert hom["AD"] < mode_scores([0.6], ["het"], ["unknown"], [None], "7", None)["AD"]


def test_two_variants_from_one_parent_are_in_cis_and_do_not_make_a_recessive_genotype():
    cis = mode_scores([0.9, 0.9], ["het", "het"], ["paternal", "paternal"], [None, None], "7", None)
    assert cis["AR"] < 0.9 * 0.5
    one_set = ("PS", 1000)
    phased_cis = mode_scores([0.9, 0.9], ["het", "het"], ["unknown"] * 2, [(one_set, 0), (one_set, 0)], "7", None)
    assert phased_cis["AR"] < 0.5
    phased_trans = mode_scores([0.9, 0.9], ["het", "het"], ["unknown"] * 2, [(one_set, 0), (one_set, 1)], "7", None)
    assert phased_trans["AR"] == pytest.approx(0.9)


def test_calls_of_different_phase_sets_have_unknown_phase():
    a, b = ("PS", 1000), ("PS", 5000)
    assert inheritance.phase((a, 0), (b, 1)) is None and inheritance.phase((a, 0), (b, 0)) is None
    assert inheritance.phase((a, 0), (a, 1)) == "trans" and inheritance.phase((a, 1), (a, 1)) == "cis"
    # 0|1 and 0|1 in different blocks may still be in trans: a possible compound heterozygote, not ruled out
    apart = mode_scores([0.9, 0.9], ["het", "het"], ["unknown"] * 2, [(a, 1), (b, 1)], "7", None)
    assert apart["AR"] == pytest.approx(0.9)
    summary = inheritance.genotype_summary(["het", "het"], ["unknown"] * 2, [(a, 1), (b, 0)])
    assert "possible compound heterozygote" in summary


def test_a_trans_reading_resting_on_an_unread_parent_yields_to_the_calls_own_phase():
    # a duo's father carries the first and not the second: trans only if the second is the mother's, not de novo. The
    # reads' own phase tells more than that presumption: both on one haplotype is cis (the second de novo on his
    # chromosome), and phased in trans needs no caveat
    block = ("PS", 1000)
    presumed = {(0, 1): inheritance.PairReading("trans", presumed_from="mother")}
    cis = [(block, 1), (block, 1)]
    assert inheritance.pair_phase(0, 1, ["paternal", "unknown"], cis, presumed) == "cis"
    assert "(on one haplotype: in cis)" in inheritance.genotype_summary(["het", "het"], ["unknown"] * 2, cis, presumed)
    trans = [(block, 1), (block, 0)]
    assert inheritance.genotype_summary(["het", "het"], ["unknown"] * 2, trans, presumed).endswith(
        "(compound heterozygote: in trans)")
    unphased = inheritance.genotype_summary(["het", "het"], ["unknown"] * 2, [None, None], presumed)
    assert unphased.endswith("(compound heterozygote: the father lacks one, so in trans if it is the mother's, "
                             "not de novo)")


def test_a_haploid_x_call_in_a_female_fits_x_linked_recessive():
    female = mode_scores([0.8], ["hemizygous"], ["unknown"], [None], "X", "FEMALE")
    assert female["XR"] == pytest.approx(0.8)


def test_x_linked_recessive_depends_on_sex():
    male = mode_scores([0.8], ["hemizygous"], ["unknown"], [None], "X", "MALE")
    female_het = mode_scores([0.8], ["het"], ["unknown"], [None], "X", "FEMALE")
    assert male["XR"] == pytest.approx(0.8)
    assert female_het["XR"] == pytest.approx(0.8 * inheritance.FEMALE_HET_XR)
    assert "MT" not in male and "XR" not in mode_scores([0.8], ["het"], ["unknown"], [None], "7", None)


def test_a_heterozygous_x_call_in_a_male_fits_x_linked_dominant_only_partly():
    # A male has one X: a heterozygous call there is a mosaic or reads of a paralogue (RBMX has many retrocopies).
    evaluated = inheritance._evaluate([0.9], ["het"], ["unknown"], [None], "X", "MALE", None)
    score, fits, why, _used = evaluated["XD"]
    assert score == pytest.approx(0.9 * inheritance.MALE_HET_X) and not fits and why == "heterozygous call on X in a male"
    for sex, genotype in (("FEMALE", "het"), ("MALE", "hemizygous"), (None, "het")):
        assert inheritance._evaluate([0.9], [genotype], ["unknown"], [None], "X", sex, None)["XD"][:2] == (0.9, True)
    # the autosomal dominant reading of an X gene (a PAR gene such as SHOX) keeps the call whole
    assert evaluated["AD"][:2] == (0.9, True)


def test_a_heterozygous_y_call_fits_only_partly_as_one_on_a_males_x():
    # A male has one Y: a heterozygous call there (reads of an X paralogue, a mosaic) got the full Y-linked fit.
    evaluated = inheritance._evaluate([0.9], ["het"], ["unknown"], [None], "Y", None, None)
    for mode in ("YL", "AD"):
        score, fits, why, _used = evaluated[mode]
        assert score == pytest.approx(0.9 * inheritance.MALE_HET_X) and not fits
        assert why == "heterozygous call on Y (a male has one Y)"
    assert inheritance._evaluate([0.9], ["hemizygous"], ["unknown"], [None], "Y", "MALE", None)["YL"][:2] == (0.9, True)
    # the hemizygous call is taken before a stronger heterozygous one it outscores once reduced
    mixed = inheritance._evaluate([0.95, 0.8], ["het", "hemizygous"], ["unknown"] * 2, [None] * 2, "Y", "MALE", None)
    assert mixed["YL"] == (0.8, True, "Y-linked variant", (1,))


def test_de_novo_strengthens_and_unaffected_carrier_parent_weakens_dominant():
    base = mode_scores([0.6], ["het"], ["unknown"], [None], "10", None)["AD"]
    de_novo = mode_scores([0.6], ["het"], ["de_novo"], [None], "10", None)["AD"]
    carrier = mode_scores([0.6], ["het"], ["paternal"], [None], "10", None, {"father": False})["AD"]
    assert de_novo > base > carrier


def test_fit_explains_the_genotype_in_words(db, modes, recessive_gene, tmp_path):
    ar = recessive_gene
    path = write_plain(tmp_path / "ar.vcf", vcf_text([record(ar.chrom, ar.exonic(4), "C", "T", "0/1")]))
    result = load_genomics(path, db)
    fit = fit_gene(result.genes[ar.symbol], modes[ar.symbol], None)
    assert fit.fit.compatible is False and fit.mode == "AR"
    assert "Autosomal recessive inheritance" in fit.fit.modes and "needs two" in fit.fit.explanation
    assert fit.score < fit.raw
    no_variant = fit_gene(None, modes[ar.symbol], None)
    assert no_variant.fit.compatible is None and no_variant.score == 0.0


def test_trio_compound_heterozygote_fits_recessive(db, modes, recessive_gene, tmp_path):
    ar = recessive_gene
    recs = [record(ar.chrom, ar.exonic(3), "C", "T", "0/1", "0/1", "0/0"),
            record(ar.chrom, ar.exonic(6), "G", "A", "0/0", "0/1", "0/1")]  # fmt: skip
    vcf = write_plain(tmp_path / "trio.vcf", vcf_text(recs, samples=("dad", "kid", "mum")))
    ped = write_ped(tmp_path / "trio.ped", ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"])
    result = load_genomics(vcf, db, ped=ped)
    fit = fit_gene(result.genes[ar.symbol], modes[ar.symbol], result.sex)
    assert fit.fit.compatible is True and "in trans" in fit.fit.explanation


def test_combined_score_rewards_variants_that_fit_and_parts_add_up(db, modes, recessive_gene, tmp_path):
    fg, ar = gene(db, "FGFR2"), recessive_gene
    assert modes["FGFR2"] == {"AD"}
    recs = sorted([record(ar.chrom, ar.exonic(4), "C", "T", "0/1"), record("10", fg.exonic(4), "C", "T", "0/1")])
    result = load_genomics(write_plain(tmp_path / "c.vcf", vcf_text(recs)), db)
    phenotype = {"FGFR2": 0.5, ar.symbol: 0.5, "TP53": 0.5}
    ranked = combine_gene_scores(phenotype, result, modes, None)
    order = [s for s, _score, _parts in ranked]
    # Same phenotype score: the dominant gene's single variant fits; the recessive gene's does not; no variant last.
    assert order.index("FGFR2") < order.index(ar.symbol) < order.index("TP53")
    assert sum(score for _s, score, _p in ranked) == pytest.approx(1.0)
    (_a, score_a, parts_a), (_b, score_b, parts_b) = ranked[0], ranked[1]
    # Parts are log-scale and add up: score ratios follow their sums.
    assert score_a / score_b == pytest.approx(math.exp(sum(p.value for p in parts_a) - sum(p.value for p in parts_b)), rel=1e-3)
    assert {p.group for p in parts_a} == {"phenotype match", "variant evidence", "inheritance fit",
                                          "other candidate variants"}
    parts = {p.group: p.value for p in next(r[2] for r in ranked if r[0] == ar.symbol)}
    assert parts["inheritance fit"] < 0 and parts["variant evidence"] > 0
    # A stronger phenotype match lifts a gene with the same variant evidence.
    better = combine_gene_scores({**phenotype, ar.symbol: 0.9}, result, modes, None)
    share = {s: score for s, score, _p in ranked}
    assert {s: score for s, score, _p in better}[ar.symbol] > share[ar.symbol]


def test_several_candidate_variants_in_a_gene_weigh_less_than_one(db, modes, tmp_path):
    fg = gene(db, "FGFR2")
    three = [record("10", fg.exonic(k), "C", "T", "0/1") for k in (3, 5, 7)]
    three_result = load_genomics(write_plain(tmp_path / "three.vcf", vcf_text(sorted(three))), db)
    several = three_result.genes["FGFR2"]
    best = several.variants[0]
    alone = record("10", best.pos, best.ref, best.alt, "0/1")
    one = load_genomics(write_plain(tmp_path / "one.vcf", vcf_text([alone])), db)
    assert one.genes["FGFR2"].pathogenicities == several.pathogenicities[:1]
    assert inheritance.candidate_count(several.pathogenicities) == 3

    def log_score(genomics) -> tuple[float, dict[str, float]]:
        _symbol, _score, parts = next(r for r in combine_gene_scores({"FGFR2": 0.3}, genomics, modes, None)
                                      if r[0] == "FGFR2")  # fmt: skip
        return sum(p.value for p in parts), {p.group: p.value for p in parts}

    total_three, parts_three = log_score(three_result)
    total_one, parts_one = log_score(one)
    # The best variant and its dominant fit are the same; two more candidates take log 3 (weighted) off.
    assert parts_one["other candidate variants"] == 0.0
    assert parts_three["other candidate variants"] == pytest.approx(-inheritance.CANDIDATE_COUNT_WEIGHT * math.log(3),
                                                                   abs=1e-3)
    assert total_three == pytest.approx(total_one - inheritance.CANDIDATE_COUNT_WEIGHT * math.log(3), abs=1e-3)
    explained = fit_gene(several, modes["FGFR2"], None).fit.explanation
    assert "3 candidate variants in this gene" in explained
    assert "candidate variants in this gene" not in fit_gene(one.genes["FGFR2"], modes["FGFR2"], None).fit.explanation


# ------------------------------------------------------------------ origins the parents' calls do not settle
QUALITY_FORMATS = ('##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
                   '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">')


def _trio(db, tmp_path, name: str, *records: str):
    vcf = write_plain(tmp_path / f"{name}.vcf", vcf_text(sorted(records, key=lambda r: int(r.split("\t")[1])),
                                                         samples=("kid", "dad", "mum"), infos=QUALITY_FORMATS))
    ped = write_ped(tmp_path / f"{name}.ped", ["F1 dad 0 0 1 1", "F1 mum 0 0 2 1", "F1 kid dad mum 2 2"])
    return load_genomics(vcf, db, ped=ped)


def _codes(v) -> set[str]:
    return {c.code for c in v.criteria}


def test_a_de_novo_call_needs_sound_reference_calls_of_both_parents(db, tmp_path):
    fg = gene(db, "FGFR2")
    fmt = "GT:DP:GQ:AD"
    kid = "0/1:40:99:20,20"
    result = _trio(db, tmp_path, "denovo",
                   record("10", fg.exonic(2), "A", "G", kid, "0/0:0:0:0,0", "0/0:1:3:1,0", fmt=fmt),
                   record("10", fg.exonic(3), "C", "T", kid, "0/0:30:20:22,8", "0/0:30:99:30,0", fmt=fmt),
                   record("10", fg.exonic(4), "G", "A", kid, "0/0:30:99:30,0", "0/0:28:99:28,0", fmt=fmt))
    by_pos = {v.pos: v for v in result.genes["FGFR2"].variants}
    shallow, reads, sound = (by_pos[fg.exonic(k)] for k in (2, 3, 4))
    # (three sites cannot confirm the trio's parentage: the sound de novo call is PM6, ClinGen SVI's assumed de novo)
    assert sound.de_novo is True and "PM6" in _codes(sound) and sound.origin_note == ""
    for v, why in ((shallow, "father DP 0, GQ 0; mother DP 1, GQ 3"), (reads, "father 8 of 30 reads with the allele")):
        assert v.de_novo is None and not {"PS2", "PM6"} & _codes(v)
        assert v.origin_note == f"de novo not confirmed: {why}"
    assert sorted(result.genes["FGFR2"].origins) == ["de_novo", "unknown", "unknown"]


def test_a_homozygous_call_the_parents_cannot_explain_is_no_de_novo(db, tmp_path):
    fg, cftr = gene(db, "FGFR2"), gene(db, "CFTR")
    result = _trio(db, tmp_path, "mendel", record("10", fg.exonic(2), "A", "G", "1/1", "0/0", "0/0"))
    v = result.genes["FGFR2"].variants[0]
    assert v.de_novo is None and "PS2" not in _codes(v) and result.genes["FGFR2"].origins == ("unknown",)
    assert v.origin_note.startswith("Mendelian inconsistency: father 0/0, mother 0/0 (a deletion")
    one = _trio(db, tmp_path, "mendel1", record("7", cftr.exonic(3), "C", "T", "1/1", "0/1", "0/0"))
    w = one.genes["CFTR"].variants[0]
    assert one.genes["CFTR"].origins == ("unknown",) and "Mendelian inconsistency" in w.origin_note
    fine = _trio(db, tmp_path, "mendel2", record("7", cftr.exonic(3), "C", "T", "1/1", "0/1", "0/1"))
    assert fine.genes["CFTR"].origins == ("both_parents",) and fine.genes["CFTR"].variants[0].origin_note == ""


def test_a_published_variant_counts_for_the_gene_it_was_reported_in_only(db, tmp_path):
    # m.1661A>G is reported causal in MT-TV; several mitochondrial genes lie within reach of it
    vcf = write_plain(tmp_path / "mt.vcf", vcf_text([record("chrM", 1661, "A", "G", "1")], build="GRCh38",
                                                    chrom_prefix="chr"))
    genes = load_genomics(vcf, db).genes
    reported = [s for s, g in genes.items() if any(c.code == "PP5" for v in g.variants for c in v.criteria)]
    assert reported == ["MT-TV"] and genes["MT-TV"].variants[0].pathogenicity == pytest.approx(0.95)
    # the neighbours keep their own region's prior (flanking: too low to be candidates at all)
    assert all(v.pathogenicity < 0.95 for s, g in genes.items() if s != "MT-TV" for v in g.variants)


def test_a_published_variant_the_annotation_calls_common_or_benign_is_not_raised(db, tmp_path):
    csq = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
           'Format: Allele|Consequence|IMPACT|SYMBOL|Gene|BIOTYPE|gnomAD_AF|CLIN_SIG|REVEL">')
    # FGFR2 10:123310913 GC>AG, reported causal in a publication of the bundled list
    recs = [record("10", 123310913, "GC", "AG", info="CSQ=AG|missense_variant|MODERATE|FGFR2||protein_coding|"
                   f"{af}|{clinvar}|0.1") for af, clinvar in [("0.3", ""), ("", "benign")]]
    for n, rec in enumerate(recs):
        v = load_genomics(write_plain(tmp_path / f"pub{n}.vcf", vcf_text([rec], infos=(csq,))), db)
        variants = v.genes["FGFR2"].variants if "FGFR2" in v.genes else ()
        assert all(x.pathogenicity < 0.5 for x in variants), variants
    plain = load_genomics(write_plain(tmp_path / "pub.vcf", vcf_text([record("10", 123310913, "GC", "AG")])), db)
    assert plain.genes["FGFR2"].variants[0].pathogenicity == pytest.approx(0.95)


def test_a_haploid_call_on_an_autosome_is_warned_about(db, tmp_path):
    cftr = gene(db, "CFTR")
    vcf = write_plain(tmp_path / "haploid.vcf", vcf_text([record("7", cftr.exonic(3), "C", "T", "1")]))
    result = load_genomics(vcf, db)
    assert result.genes["CFTR"].variants[0].genotype == "hemizygous"
    assert any("1 candidate variant(s) on autosomes have a haploid call" in w for w in result.summary.warnings)
    diploid = load_genomics(write_plain(tmp_path / "d.vcf", vcf_text([record("7", cftr.exonic(3), "C", "T", "1/1")])),
                            db)
    assert not any("haploid" in w for w in diploid.summary.warnings)


def test_a_haploid_call_in_a_pseudoautosomal_region_is_warned_about_and_its_origin_not_assessed(db, tmp_path):
    # A male has two copies of chrX's PARs (his Y has the other): a haploid call there is a caller's ploidy of 1 for
    # all of X, as on an autosome. It was read as a male's hemizygous X in silence, and in a trio an allele from the
    # father (through his Y) was called a Mendelian inconsistency, "a sample mix-up?".
    shox = gene(db, "SHOX")
    at = shox.exonic(1)
    recs = [record("X", at, "C", "T", "1", "0/1", "0/0")]
    vcf = write_plain(tmp_path / "par.vcf", vcf_text(recs, samples=("child", "father", "mother")))
    ped = write_ped(tmp_path / "par.ped", ["f child father mother 1 2", "f father 0 0 1 1", "f mother 0 0 2 1"])
    result = load_genomics(vcf, db, ped=ped, sample="child")
    variant = result.genes["SHOX"].variants[0]
    assert variant.genotype == "hemizygous" and "Mendelian" not in variant.origin_note
    assert variant.origin_note.startswith("a haploid call in a pseudoautosomal region: origin not assessed")
    assert any(w.startswith("1 candidate variant(s) in chrX's pseudoautosomal regions have a haploid call")
               for w in result.summary.warnings)
    # outside the PARs a male's haploid call is what it should be: no warning
    dmd = gene(db, "DMD")
    plain = load_genomics(write_plain(tmp_path / "x.vcf", vcf_text([record("X", dmd.exonic(5), "C", "T", "1")])), db,
                          sex="MALE")  # fmt: skip
    assert not any("pseudoautosomal" in w for w in plain.summary.warnings)


def test_pm3_is_given_for_a_recessive_gene_only(db, tmp_path, modes):
    fg = gene(db, "FGFR2")
    assert not modes["FGFR2"] & {"AR", "XR"}  # FGFR2's diseases are dominant
    result = _trio(db, tmp_path, "dominant",
                   record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/0"),
                   record("10", fg.exonic(4), "GA", "G", "0/1", "0/0", "0/1"))
    variants = result.genes["FGFR2"].variants
    assert len(variants) == 2 and not any("PM3" in _codes(v) for v in variants)


def test_a_published_mitochondrial_variant_is_found_on_grch37_too(db, tmp_path):
    # GRCh37's MT is the rCRS, as GRCh38's chrM: the same position
    vcf = write_plain(tmp_path / "mt37.vcf", vcf_text([record("MT", 1661, "A", "G", "1")]))
    genes = load_genomics(vcf, db).genes
    assert any(c.code == "PP5" for c in genes["MT-TV"].variants[0].criteria)


def test_a_ped_whose_affected_individual_is_a_parent_is_said_and_a_sample_without_variants_too(db, tmp_path):
    fg = gene(db, "FGFR2")
    vcf = write_plain(tmp_path / "fam.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "0/1", "0/0", "0/0")],
                                                     samples=("kid", "dad", "mum")))
    ped = write_ped(tmp_path / "fam.ped", ["F1 dad 0 0 1 2", "F1 mum 0 0 2 1", "F1 kid dad mum 2 0"])
    result = load_genomics(vcf, db, ped=ped)
    assert result.summary.sample == "dad"
    warnings = result.summary.warnings
    assert any("one affected individual, dad, is analysed as the patient, and is the parent of kid" in w
               for w in warnings), warnings
    assert any("dad carries no variant of fam.vcf (1 record): is dad the patient?" in w for w in warnings), warnings
    kid = load_genomics(vcf, db, ped=ped, sample="kid").summary.warnings
    assert not any("carries no variant" in w or "is the parent of" in w for w in kid)


def test_a_published_variant_of_a_renamed_gene_still_counts_for_the_gene_containing_it(db, tmp_path):
    # CIROZ (the paper's symbol) is C1orf127 in the bundled GENCODE gene model
    vcf = write_plain(tmp_path / "ciroz.vcf", vcf_text([record("chr1", 10957732, "G", "A", "0/1")], build="GRCh38",
                                                       chrom_prefix="chr"))
    genes = load_genomics(vcf, db).genes
    assert "CIROZ" not in genes
    boosted = {s for s, g in genes.items() if any(c.code == "PP5" for v in g.variants for c in v.criteria)}
    assert boosted == {"C1orf127"} and genes["C1orf127"].variants[0].pathogenicity == pytest.approx(0.95)


def test_an_x_allele_from_the_mother_of_a_child_of_unknown_sex_is_maternal_not_inconsistent(db, tmp_path):
    otc = gene(db, "OTC")
    vcf = write_plain(tmp_path / "x.vcf", vcf_text([record("X", otc.exonic(2), "C", "T", "1/1", "0/0", "0/1")],
                                                   samples=("kid", "dad", "mum")))
    ped = write_ped(tmp_path / "x.ped", ["F1 dad 0 0 1 1", "F1 mum 0 0 2 1", "F1 kid dad mum 0 2"])
    gv = load_genomics(vcf, db, ped=ped).genes["OTC"]
    assert gv.origins == ("maternal",) and gv.variants[0].origin_note == ""



def test_a_males_x_allele_both_parents_carry_is_from_the_mother(db, tmp_path):
    # A male's X is his mother's: with the father carrying the allele too (a consanguineous family, a common
    # allele) it was "from both parents", and an unaffected father then made the fit "inherited from an unaffected
    # parent" although he gave his son a Y
    ph = gene(db, "PHEX")  # X-linked dominant
    vcf = write_plain(tmp_path / "x.vcf", vcf_text([record("X", ph.exonic(3), "C", "T", "1", "1", "0/1")],
                                                   samples=("kid", "dad", "mum")))  # fmt: skip
    ped = write_ped(tmp_path / "x.ped", ["F1 dad 0 0 1 1", "F1 mum 0 0 2 2", "F1 kid dad mum 1 2"])
    result = load_genomics(vcf, db, ped=ped)
    gv = result.genes["PHEX"]
    assert gv.genotypes == ("hemizygous",) and gv.origins == ("maternal",)
    assert gv.variants[0].inherited_from == "from the mother"
    parents = {r: result.affected.get(s) for s, r in result.relatives.items() if r in ("father", "mother")}
    assert "unaffected parent" not in fit_gene(gv, gene_modes(db).get("PHEX"), result.sex, parents).fit.explanation


def test_a_males_x_allele_with_the_mother_not_read_is_not_from_the_father(db, tmp_path):
    # A son's X is his mother's: with her not sequenced (or not called there) and his father carrying the allele, it
    # read 'hemizygous (from the father)', and an unaffected father then made an X-linked dominant fit 'inherited
    # from an unaffected parent', lowering the gene for a transmission that cannot happen
    ph = gene(db, "PHEX")  # X-linked dominant
    ped = write_ped(tmp_path / "x.ped", ["F1 dad 0 0 1 1", "F1 mum 0 0 2 1", "F1 kid dad mum 1 2"])
    for samples, gts, mother in ((("kid", "dad"), ("1", "1"), "not sequenced"),
                                 (("kid", "dad", "mum"), ("1", "1", "./."), "./.")):
        vcf = write_plain(tmp_path / "x.vcf", vcf_text([record("X", ph.exonic(3), "C", "T", *gts)], samples=samples))
        result = load_genomics(vcf, db, ped=ped)
        gv = result.genes["PHEX"]
        v = gv.variants[0]
        assert gv.genotypes == ("hemizygous",) and gv.origins == ("unknown",) and v.inherited_from == ""
        assert v.origin_note == (f"a male's X is his mother's, whose call is missing: the father's does not tell its "
                                 f"origin (father 1, mother {mother})")
        parents = {r: result.affected.get(s) for s, r in result.relatives.items() if r in ("father", "mother")}
        assert "unaffected parent" not in fit_gene(gv, gene_modes(db).get("PHEX"), result.sex, parents).fit.explanation


def test_a_females_homozygous_x_call_with_a_non_carrier_father_is_inconsistent_not_maternal(db, tmp_path):
    # A homozygous X call whose allele only the mother carries is read as a male's (hemizygous) when the sex is
    # unknown (above); a female has her father's X too, so for her it is a Mendelian inconsistency (a deletion,
    # maternal isodisomy or a sample mix-up). Before, it was "from the mother", as if she had one X.
    otc = gene(db, "OTC")
    vcf = write_plain(tmp_path / "x.vcf", vcf_text([record("X", otc.exonic(2), "C", "T", "1/1", "0/0", "0/1")],
                                                   samples=("kid", "dad", "mum")))
    ped = write_ped(tmp_path / "x.ped", ["F1 dad 0 0 1 1", "F1 mum 0 0 2 1", "F1 kid dad mum 2 2"])
    gv = load_genomics(vcf, db, ped=ped).genes["OTC"]
    v = gv.variants[0]
    assert gv.genotypes == ("hom_alt",) and gv.origins == ("unknown",)
    assert v.inherited_from == "" and v.origin_note.startswith("Mendelian inconsistency: father 0/0, mother 0/1")
    # given as female (not from the PED) alike
    unknown = write_ped(tmp_path / "u.ped", ["F1 dad 0 0 1 1", "F1 mum 0 0 2 1", "F1 kid dad mum 0 2"])
    assert load_genomics(vcf, db, ped=unknown, sex="FEMALE").genes["OTC"].origins == ("unknown",)
    # a male's is hemizygous and maternal
    assert load_genomics(vcf, db, ped=unknown, sex="MALE").genes["OTC"].origins == ("maternal",)

def test_a_haploid_autosomal_call_gets_no_de_novo(db, tmp_path):
    cftr = gene(db, "CFTR")
    result = _trio(db, tmp_path, "haploid", record("7", cftr.exonic(3), "C", "T", "1", "0/0", "0/0"))
    v = result.genes["CFTR"].variants[0]
    assert v.de_novo is None and "PS2" not in _codes(v) and result.genes["CFTR"].origins == ("unknown",)
    assert v.origin_note.startswith("a haploid call on an autosome: origin not assessed")


def test_the_cases_and_the_vcfs_warnings_come_before_the_release_notice(engine, tmp_path):
    from raretrace.analysis import run_analysis
    from raretrace.case import CaseFile, case_from_terms

    fg = gene(engine.db, "FGFR2")
    vcf = write_plain(tmp_path / "h.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "1")]))
    (tmp_path / "reads.bam").write_text("not read")
    case = replace(case_from_terms("order", ["HP:0001156", "HP:9999999"]), files=(CaseFile(str(tmp_path / "reads.bam")),))
    warnings = run_analysis(engine, case, vcf=vcf, top=5).warnings
    release = engine.ranker.release_warning
    assert release and warnings[-1] == release
    assert any("unknown HPO term" in w for w in warnings[:-1]) and any("haploid" in w for w in warnings[:-1])
    assert any("files not used" in w for w in warnings[:-1])


def test_a_gene_without_any_call_in_the_vcf_says_so_in_its_flags(engine, tmp_path):
    from raretrace.analysis import run_analysis
    from raretrace.case import case_from_terms

    fg = gene(engine.db, "FGFR2")
    vcf = write_plain(tmp_path / "one.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "0/1")]))
    case = case_from_terms("pfeiffer", ["HP:0001156", "HP:0001363", "HP:0011304", "HP:0010055"])
    genes = run_analysis(engine, case, vcf=vcf, top=10).genes
    called = [g for g in genes if g.variants]
    uncalled = [g for g in genes if not g.variants]
    assert called and uncalled  # one call in the file: FGFR2 has it, the other leading genes have none
    assert all(any(f.code == "no_variant" for f in g.flags) for g in uncalled)
    assert not any(f.code == "no_variant" for g in called for f in g.flags)


def test_a_gene_whose_only_call_is_no_candidate_is_not_said_to_have_no_call(engine, tmp_path):
    # The self-check read "No call in this gene in the VCF" for a gene the file has a call in, one too unlikely to
    # explain it (deep intronic, common, benign): a clinician would look for a coverage gap where the variant is
    # there, filtered out of the candidates
    from raretrace.analysis import run_analysis
    from raretrace.case import case_from_terms

    fg = gene(engine.db, "FGFR2")
    vcf = write_plain(tmp_path / "deep.vcf", vcf_text([record("10", fg.intronic(2, 500), "A", "G", "0/1")]))
    case = case_from_terms("pfeiffer", ["HP:0001156", "HP:0001363", "HP:0011304", "HP:0010055"])
    fgfr2 = next(g for g in run_analysis(engine, case, vcf=vcf, top=10).genes if g.id == "FGFR2")
    (flag,) = [f for f in fgfr2.flags if f.code == "no_variant"]
    assert not flag.message.startswith("No call") and "no candidate variant" in flag.message.lower()


def test_a_ped_naming_none_of_the_vcfs_samples_is_an_error_not_a_lost_trio(db, tmp_path):
    # The PED's IDs differ from the VCF's columns (another family's file, or lab IDs against sample names): before,
    # the message asked for "a PED file with one affected individual" although one was given, and with --sample the
    # pedigree was dropped with a warning while the analysis went on as a singleton.
    fg = gene(db, "FGFR2")
    vcf = write_plain(tmp_path / "t.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/0")],
                                                   samples=("dad", "kid", "mum")))
    ped = write_ped(tmp_path / "other.ped", ["F P1 F1 M1 1 2", "F F1 0 0 1 1", "F M1 0 0 2 1"])
    for sample in (None, "kid"):
        with pytest.raises(RareTraceError) as err:
            load_genomics(vcf, db, ped=ped, sample=sample)
        message = str(err.value)
        assert "\n" not in message
        assert "none of the individuals of other.ped (P1, F1, M1) is a sample of t.vcf (its samples: dad, kid, " \
               "mum)" in message
    # one individual genotyped is enough to go on (the others are said in warnings; IDs differing from the samples
    # only in letter case are read as those samples: test_variants)
    partly = write_ped(tmp_path / "partly.ped", ["F kid F1 M1 1 2", "F F1 0 0 1 1", "F M1 0 0 2 1"])
    result = load_genomics(vcf, db, ped=partly, sample="kid")
    assert result.summary.sample == "kid" and any("(F1) is in the PED file but not in the VCF" in w
                                                  for w in result.summary.warnings)


def test_a_ped_sex_contradicting_the_patients_given_sex_is_an_error(db, tmp_path):
    # Before, the given sex silently won over the PED's: a chrX call of a "female" the PED calls male was read as
    # homozygous, with nothing said.
    otc = gene(db, "OTC")
    vcf = write_plain(tmp_path / "x.vcf", vcf_text([record("X", otc.exonic(2), "C", "T", "0/0", "1/1", "0/1")],
                                                   samples=("dad", "kid", "mum")))
    ped = write_ped(tmp_path / "x.ped", ["F1 dad 0 0 1 1", "F1 mum 0 0 2 1", "F1 kid dad mum 1 2"])
    with pytest.raises(RareTraceError) as err:
        load_genomics(vcf, db, ped=ped, sex="FEMALE")
    assert str(err.value) == ("the patient's sex is given as female, but x.ped gives kid as male (sex column 1); "
                              "correct the case's sex or the PED file")
    assert load_genomics(vcf, db, ped=ped, sex="MALE").genes["OTC"].genotypes == ("hemizygous",)
    assert load_genomics(vcf, db, ped=ped).sex == "MALE"  # the PED's sex where none is given
    unknown = write_ped(tmp_path / "u.ped", ["F1 dad 0 0 1 1", "F1 mum 0 0 2 1", "F1 kid dad mum 0 2"])
    assert load_genomics(vcf, db, ped=unknown, sex="FEMALE").sex == "FEMALE"  # the PED says nothing: no conflict



def test_a_ped_with_the_parents_in_each_others_columns_is_an_error(tmp_path):
    # Mother and father swapped (the mother's ID in the father's column): before, the analysis went on and called
    # the mother's alleles "from the father" and the father's "from the mother".
    from raretrace.pedigree import read_ped

    ped = write_ped(tmp_path / "swapped.ped", ["F kid mum dad 1 2", "F dad 0 0 1 1", "F mum 0 0 2 1"])
    with pytest.raises(RareTraceError) as err:
        read_ped(ped)
    assert str(err.value) == (f"{ped}: mum is kid's father (the third column) but has sex 2 (female) on its own "
                              "line; the father's ID goes in the third column and the mother's in the fourth: "
                              "correct the PED file")
    fine = read_ped(write_ped(tmp_path / "ok.ped", ["F kid dad mum 1 2", "F dad 0 0 1 1", "F mum 0 0 0 1"]))
    assert fine.parents("kid") == ("dad", "mum")  # a parent of unknown sex (0) is not questioned


def test_variants_in_cis_are_all_named_in_the_recessive_fit(db, tmp_path):
    # Two heterozygous variants of a recessive gene from the mother: "heterozygous variants only on one haplotype
    # (in cis)" named the first alone, so the fit read as a claim about one variant.
    ush = gene(db, "USH2A")
    result = _trio(db, tmp_path, "cis", record("1", ush.exonic(10), "C", "T", "0/1", "0/0", "0/1"),
                   record("1", ush.exonic(20), "G", "A", "0/1", "0/0", "0/1"))
    gv = result.genes["USH2A"]
    assert gv.origins == ("maternal", "maternal")
    fit = fit_gene(gv, {"AR"}, "MALE")
    assert fit.fit.compatible is False and fit.score == pytest.approx(gv.pathogenicities[0] * 0.35)
    assert "only on one haplotype (in cis): " in fit.fit.explanation
    assert all(v.where in fit.fit.explanation for v in gv.variants)


def test_a_ped_with_two_affected_children_asks_for_the_sample_and_says_why(db, tmp_path):
    # Two affected siblings with both parents genotyped: the PED cannot choose the patient. The error offered "a PED
    # file with one affected individual" as a way out, as if no PED had been given.
    fg = gene(db, "FGFR2")
    vcf = write_plain(tmp_path / "sibs.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/0", "0/1")],
                                                      samples=("kid", "dad", "mum", "sib")))
    ped = write_ped(tmp_path / "sibs.ped", ["F kid dad mum 1 2", "F dad 0 0 1 1", "F mum 0 0 2 1", "F sib dad mum 2 2"])
    with pytest.raises(RareTraceError) as err:
        load_genomics(vcf, db, ped=ped)
    assert str(err.value).startswith("sibs.ped marks 2 genotyped individuals of sibs.vcf as affected (kid, sib); "
                                     "choose the patient's sample (--sample")
    assert load_genomics(vcf, db, ped=ped, sample="sib").summary.sample == "sib"


def test_a_gene_without_a_candidate_reads_the_same_in_the_preview_and_the_pdf_without_repeating_itself(engine):
    # the PDF read "Genotype: no candidate variant. no candidate variant of the patient in this gene", and the
    # preview "not assessed (no genotypes)" where the PDF said "not assessed", for a gene of an analysed VCF
    from raretrace.evidence import FIT_WORDS
    from raretrace.gui.evidence_html import hypothesis_html

    fit = fit_gene(None, {"AD"}, None).fit
    assert fit.compatible is None and fit.genotype_summary == "no candidate variant"
    assert "no candidate variant" not in fit.explanation and "is a candidate for the disease" in fit.explanation
    from raretrace.case import case_from_terms

    hyp = replace(engine.ranker.analyse(case_from_terms("c", ["HP:0001156"]), top=1).genes[0], inheritance=fit)
    html = hypothesis_html(hyp)
    assert f"<b>{FIT_WORDS[None]}</b> — no candidate variant" in html and "(no genotypes)" not in html


def test_the_fit_names_the_genotypes_in_words_as_the_variant_tables_do(db, tmp_path, recessive_gene):
    # The explanation (shown under Inheritance, and as the genotype self-check) named the calls by their codes:
    # "6:26093141 G>A (hom alt, missense variant)", "(het, ...)", where every variant table says homozygous
    g = recessive_gene
    recs = [record(g.chrom, g.exonic(2), "C", "T", "1/1"), record(g.chrom, g.exonic(5), "C", "T", "0/1"),
            record(g.chrom, g.exonic(7), "C", "T", "0/1")]
    for n, kept in enumerate((recs[:1], recs[1:])):
        gv = load_genomics(write_plain(tmp_path / f"g{n}.vcf", vcf_text(kept)), db).genes[g.symbol]
        explanation = fit_gene(gv, {"AR"}, None).fit.explanation
        assert "hom alt" not in explanation and "het," not in explanation, explanation
        assert all(f"{v.where} ({v.genotype_text}, " in explanation for v in gv.variants), explanation
