"""Modes of inheritance against genotypes, and the gene score that joins phenotype, variants and inheritance."""

from __future__ import annotations

import math

import pytest
from vcf_fixtures import gene, record, vcf_text, write_ped, write_plain

from raretrace import inheritance
from raretrace.genomics import load_genomics
from raretrace.inheritance import combine_gene_scores, fit_gene, gene_modes, mode_scores


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


def test_a_haploid_x_call_in_a_female_fits_x_linked_recessive():
    female = mode_scores([0.8], ["hemizygous"], ["unknown"], [None], "X", "FEMALE")
    assert female["XR"] == pytest.approx(0.8)


def test_x_linked_recessive_depends_on_sex():
    male = mode_scores([0.8], ["hemizygous"], ["unknown"], [None], "X", "MALE")
    female_het = mode_scores([0.8], ["het"], ["unknown"], [None], "X", "FEMALE")
    assert male["XR"] == pytest.approx(0.8)
    assert female_het["XR"] == pytest.approx(0.8 * inheritance.FEMALE_HET_XR)
    assert "MT" not in male and "XR" not in mode_scores([0.8], ["het"], ["unknown"], [None], "7", None)


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
    assert {p.group for p in parts_a} == {"phenotype match", "variant evidence", "inheritance fit"}
    parts = {p.group: p.value for p in next(r[2] for r in ranked if r[0] == ar.symbol)}
    assert parts["inheritance fit"] < 0 and parts["variant evidence"] > 0
    # A stronger phenotype match lifts a gene with the same variant evidence.
    better = combine_gene_scores({**phenotype, ar.symbol: 0.9}, result, modes, None)
    share = {s: score for s, score, _p in ranked}
    assert {s: score for s, score, _p in better}[ar.symbol] > share[ar.symbol]
