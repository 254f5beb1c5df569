"""VCF reading and variant interpretation, on small VCF/BCF/PED files made here."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pytest
from vcf_fixtures import (
    gene,
    record,
    trio_background,
    vcf_text,
    write_bcf,
    write_bgzip,
    write_ped,
    write_plain,
)

from raretrace.errors import Cancelled, RareTraceError
from raretrace.genomics import load_genomics
from raretrace.genomics.gene_model import EXONIC
from raretrace.genomics.interpret import CONSEQUENCE_PRIOR, MNV, PRIOR, SNV
from raretrace.genomics.vcf import BGZF_EOF, CONTIG_LENGTHS


@pytest.fixture(scope="module")
def db(engine):
    return engine.db


@pytest.fixture(scope="module")
def fgfr2(db):
    return gene(db, "FGFR2")


def codes(variant) -> set[str]:
    return {c.code for c in variant.criteria}


def one_line_error(excinfo) -> str:
    message = str(excinfo.value)
    assert message and "\n" not in message and "Traceback" not in message
    return message


# --------------------------------------------------------------------------------------------- formats


def test_plain_bgzipped_and_bcf_give_the_same_variants(db, fgfr2, tmp_path):
    pos = fgfr2.exonic(3)
    text = vcf_text([record("10", pos, "A", "G", "0/1"), record("10", fgfr2.intronic(3, 400), "C", "T", "1/1")])
    results = [
        load_genomics(write_plain(tmp_path / "p.vcf", text), db),
        load_genomics(write_bgzip(tmp_path / "p.vcf.gz", text), db),
        load_genomics(write_bcf(tmp_path / "p.bcf", text, tmp_path), db),
    ]
    kinds = [r.kind for r in results]
    assert kinds == ["VCF", "bgzipped VCF", "BCF"]
    for r in results:
        v = r.genes["FGFR2"].variants[0]
        assert (v.chrom, v.pos, v.ref, v.alt, v.genotype, v.consequence) == ("10", pos, "A", "G", "het", "protein_altering")
        assert r.summary.records == 2 and r.summary.assembly == "GRCh37"
        assert len(r.summary.sha256) == 64


def test_record_line_points_at_the_data_line(db, fgfr2, tmp_path):
    text = vcf_text([record("10", fgfr2.exonic(1) - 5, "A", "G", "0/0"), record("10", fgfr2.exonic(1), "A", "G")])
    result = load_genomics(write_plain(tmp_path / "a.vcf", text), db)
    variant = result.genes["FGFR2"].variants[0]
    assert variant.record_line == 2 and variant.call == "0/1" and variant.sample == "patient"
    assert result.counts["not_carried"] == 1


# ----------------------------------------------------------------------------------------- regions


def test_regions_from_the_gene_model_set_the_prior(db, fgfr2, tmp_path):
    exonic, site, region, intron = fgfr2.exonic(4), fgfr2.intronic(4, 2), fgfr2.intronic(4, 6), fgfr2.intronic(4, 300)
    up = fgfr2.upstream(2000)
    recs = [record("10", p, "A", "G") for p in sorted([exonic, site, region, intron, up])]
    result = load_genomics(write_plain(tmp_path / "r.vcf", vcf_text(recs)), db)
    by_pos = {v.pos: v for v in result.genes["FGFR2"].variants}
    assert by_pos[exonic].consequence == "protein_altering"  # a codon's second base (vcf_fixtures.Gene.exonic)
    # FGFR2 is on the minus strand: the base after an exon's end (ascending) is an acceptor site.
    assert by_pos[site].consequence == "splice_acceptor_site"
    assert by_pos[region].consequence == "splice_region"
    assert intron not in by_pos and up not in by_pos  # deep intronic/upstream are not candidates
    assert result.genes["FGFR2"].variant_count == 5
    assert by_pos[site].pathogenicity > by_pos[exonic].pathogenicity > by_pos[region].pathogenicity
    assert "PVS1" in codes(by_pos[site]) and not codes(by_pos[exonic])


def test_coding_bounds_tell_untranslated_coding_and_start_codon_changes(db, tmp_path):
    # CFTR (GRCh37, plus strand): transcript 117120016-117308719 (0-based start), coding sequence 117120149-117307162
    # (1-based; the ATG at 117120149-117120151, the last exon from 117306962)
    cftr = gene(db, "CFTR")
    assert (cftr.strand, cftr.tx_start, cftr.tx_end, cftr.exons[-1][0]) == ("+", 117120016, 117308719, 117306961)
    utr5, start, last_exon_coding, utr3 = 117120100, 117120150, 117307002, 117308419  # 117307002: a second base
    internal = cftr.exonic(10)
    recs = [record("7", p, "A", "G") for p in (utr5, start, internal, last_exon_coding, utr3)]
    result = load_genomics(write_plain(tmp_path / "cds.vcf", vcf_text(recs)), db)
    by_pos = {v.pos: v for v in result.genes["CFTR"].variants}
    # (a second base: an A there is a codon of Lys, Asn, Gln, His, Glu, Asp, Tyr or a stop; with G, each is missense)
    assert {p: by_pos[p].consequence for p in (utr5, start, last_exon_coding)} == {
        utr5: "5_prime_UTR", start: "start_codon", last_exon_coding: "missense"}  # fmt: skip
    assert by_pos[internal].consequence in ("protein_altering", "missense")
    assert utr3 not in by_pos and result.genes["CFTR"].variant_count == 5  # a 3' UTR change is no candidate
    # coding sequence in the last exon scores as in any coding exon (a missense change by how conserved its residue
    # is, Gln1428Arg: Gln kept by 50-59% of homologues, 0.5; not the terminal-exon row's 0.45); the 5' UTR below, the start
    # codon above
    assert by_pos[last_exon_coding].hgvs.endswith("Gln kept by 50-59% of homologous proteins (Swiss-Prot)")
    assert by_pos[last_exon_coding].pathogenicity == pytest.approx(0.5)
    assert by_pos[last_exon_coding].pathogenicity > by_pos[utr5].pathogenicity
    assert by_pos[internal].pathogenicity >= 0.5
    assert by_pos[start].pathogenicity >= 0.9 and not codes(by_pos[utr5]) and "PVS1" not in codes(by_pos[internal])
    pvs1 = next(c for c in by_pos[start].criteria if c.code == "PVS1")
    assert pvs1.strength == "moderate" and "start codon" in pvs1.value
    # An insertion right before the ATG leaves it whole; one inside it does not.
    before, inside = record("7", 117120148, "C", "CT"), record("7", 117120149, "A", "AT")
    result = load_genomics(write_plain(tmp_path / "ins.vcf", vcf_text([before, inside])), db)
    assert {v.pos: v.consequence for v in result.genes["CFTR"].variants} == {117120148: "5_prime_UTR",
                                                                              117120149: "start_codon"}  # fmt: skip


def test_start_codon_on_the_minus_strand(db, fgfr2, tmp_path):
    # FGFR2 (GRCh37, minus strand): coding sequence ends at 123353331, so its ATG is 123353329-123353331 (1-based)
    after_atg, in_atg, snv, utr = (record("10", 123353328, "G", "GA"), record("10", 123353329, "C", "CA"),
                                   record("10", 123353330, "A", "G"), record("10", 123353340, "A", "G"))  # fmt: skip
    found = {}
    for n, rec in enumerate((after_atg, in_atg, snv, utr)):  # one file each: FGFR2 keeps its five best variants
        (v,) = load_genomics(write_plain(tmp_path / f"minus{n}.vcf", vcf_text([rec])), db).genes["FGFR2"].variants
        found[v.pos] = v.consequence
    # an insertion at the ATG's low end lies after it in the transcript's direction and leaves it whole: it shifts the
    # frame of the codons after it, as the same insertion after a plus-strand ATG does
    assert found == {123353328: "frameshift", 123353329: "start_codon", 123353330: "start_codon",
                     123353340: "5_prime_UTR"}  # fmt: skip


def test_a_stop_codon_snv_is_a_stop_loss_or_a_retained_stop_where_ref_and_alt_tell(db, fgfr2, tmp_path):
    # CFTR (plus strand): coding sequence to 117307162 (1-based), its stop codon TAG at 117307160-117307162. FGFR2
    # (minus strand): coding sequence from 123239371, its stop codon TGA is TCA at 123239371-123239373 on the genome's
    # plus strand (the A at 123239373 is the codon's T). The stop codons are TAA, TAG and TGA: any change of the T
    # loses the stop, a C or T elsewhere too; G>A keeps it (TGA>TAA, TAG>TAA); A>G at the second or third base may
    # do either (TAA>TGA, TAG>TGG); a REF no stop codon has says the bounds do not fit.
    recs = {(record("7", 117307160, "T", "C"), "CFTR"): "stop_lost",
            (record("7", 117307161, "A", "C"), "CFTR"): "stop_lost",
            (record("7", 117307161, "A", "G"), "CFTR"): "stop_codon",
            (record("7", 117307162, "G", "A"), "CFTR"): "stop_retained",
            (record("7", 117307160, "G", "A"), "CFTR"): "coding",  # not a stop codon's T
            (record("7", 117307160, "T", "TA"), "CFTR"): "coding",  # an insertion: the bases around it decide
            (record("10", 123239373, "A", "G"), "FGFR2"): "stop_lost",
            (record("10", 123239372, "C", "T"), "FGFR2"): "stop_retained",  # TGA > TAA
            (record("10", 123239371, "T", "A"), "FGFR2"): "stop_lost",
            # LPL (plus strand): its coding sequence ends one base into the last exon (19822821), so the stop codon's
            # T and second base end exon 9 (19819729-19819730): a stop codon split by an intron is one too
            (record("8", 19819729, "T", "C"), "LPL"): "stop_lost",
            (record("8", 19819728, "C", "T"), "LPL"): "coding"}  # the codon before: a third base by the splice site  # fmt: skip
    unknown_effect = float(PRIOR[EXONIC, SNV])  # an exonic SNV whose effect the gene model cannot tell
    for n, ((rec, symbol), expected) in enumerate(recs.items()):
        (v,) = load_genomics(write_plain(tmp_path / f"stop{n}.vcf", vcf_text([rec])), db).genes[symbol].variants
        assert v.consequence == expected, rec
        assert ("PM4" in codes(v)) == (expected == "stop_lost") and "PVS1" not in codes(v), rec
        if expected in ("stop_lost", "stop_retained"):  # the annotated consequences' priors
            assert v.pathogenicity == pytest.approx({"stop_lost": 0.9, "stop_retained": 0.1}[expected]), rec
        elif len(rec.split("\t")[4]) == 1:  # an undecided SNV of the stop codon
            assert v.pathogenicity == pytest.approx(unknown_effect), rec


def test_an_mnv_touching_the_stop_codon_is_read_by_its_bases_there(db, tmp_path):
    # An MNV of the stop codon kept the generic "coding" reading (0.6, no PM4) though its REF and ALT there tell more
    # than an SNV's: both bases of TAG>TCC say the stop is lost. CFTR (plus strand): Leu1480 at 117307157-117307159,
    # its stop codon TAG at 117307160-117307162, the 3' UTR after it. FBN1 (minus strand): its stop codon at
    # 48703187-48703189 (1-based; the codon's T is the A at 48703189), the 3' UTR before 48703187 on the genome.
    recs = {(record("7", 117307160, "TA", "CC"), "CFTR"): "stop_lost",  # TAx > CCx: Pro
            (record("7", 117307161, "AG", "GA"), "CFTR"): "stop_retained",  # TAG > TGA
            (record("7", 117307162, "GA", "AT"), "CFTR"): "stop_retained",  # TAG > TAA; the 3' UTR base changes no codon
            (record("7", 117307159, "AT", "GC"), "CFTR"): "stop_lost",  # Leu1480's CTA > CTG (=), TAG > CAG
            (record("7", 117307158, "TATAG", "CATAA"), "CFTR"): "missense",  # Leu1480's CTA > CCA (Pro), TAG > TAA
            (record("7", 117307160, "CA", "TG"), "CFTR"): "coding",  # no stop codon has a C first: the bounds do not fit
            (record("15", 48703188, "TA", "GG"), "FBN1"): "stop_lost",  # transcript TA > CC
            (record("15", 48703187, "CT", "TC"), "FBN1"): "stop_retained",  # transcript xAG > xGA
            (record("15", 48703186, "AT", "GA"), "FBN1"): "stop_lost",  # transcript A > T at the third base: TxT
            # transcript A > G at the third base (TAA > TAG kept, TGA > TGG lost), the UTR base aside: undecided
            (record("15", 48703186, "AT", "GC"), "FBN1"): "stop_codon"}  # fmt: skip
    for n, ((rec, symbol), expected) in enumerate(recs.items()):
        (v,) = load_genomics(write_plain(tmp_path / f"mnv_stop{n}.vcf", vcf_text([rec])), db).genes[symbol].variants
        assert v.consequence == expected, rec
        assert v.hgvs == (f"{UNDECIDED}TAA>TAG keeps the stop, TGA>TGG loses it" if expected == "stop_codon" else "")
        assert ("PM4" in codes(v)) == (expected == "stop_lost") and "PVS1" not in codes(v), rec
        if expected in ("stop_lost", "stop_retained"):
            assert v.pathogenicity == pytest.approx({"stop_lost": 0.9, "stop_retained": 0.1}[expected]), rec


UNDECIDED = "kept or lost by the reference's stop codon, which the VCF's REF does not give: "


def test_a_stop_codon_snv_names_its_protein_change_where_the_bundled_protein_fits(db, tmp_path):
    # VEP names a stop loss p.(Ter<N><AA>ext*?) and a retained stop p.(Ter<N>=); the REF base alone may leave the
    # stop codon's other bases open, each reading named then. CFTR (plus strand, UniProt P13569, 1480 residues): its
    # stop codon at 117307160-117307162. HBB (minus strand, P68871, 147 residues): its stop codon's T is the A at
    # 5246830 on the genome's plus strand, its third base 5246828. LPL's splits across an intron (Ter476).
    # FGFR2's bundled protein does not fit its transcript: its stop loss stays unnamed.
    recs = {(record("7", 117307160, "T", "C"), "CFTR"): ("stop_lost", "p.(Ter1481Glnext*? or Argext*?) on UniProt P13569"),
            (record("7", 117307161, "A", "C"), "CFTR"): ("stop_lost", "p.(Ter1481Serext*?) on UniProt P13569"),
            (record("7", 117307162, "G", "C"), "CFTR"): ("stop_lost", "p.(Ter1481Tyrext*?) on UniProt P13569"),
            (record("7", 117307162, "G", "A"), "CFTR"): ("stop_retained", "p.(Ter1481=) on UniProt P13569"),
            # which stop codon the reference has decides, and nothing here tells it: the evidence says so
            (record("7", 117307161, "A", "G"), "CFTR"): ("stop_codon", "p.(Ter1481Trpext*? or =) on UniProt P13569; "
                                                         f"{UNDECIDED}TAA>TGA keeps the stop, TAG>TGG loses it"),
            (record("10", 123239371, "T", "C"), "FGFR2"): ("stop_codon", f"{UNDECIDED}TAA>TAG keeps the stop, TGA>TGG "
                                                           "loses it"),  # the protein does not fit: no p. name
            (record("11", 5246830, "A", "G"), "HBB"): ("stop_lost", "p.(Ter148Glnext*? or Argext*?) on UniProt P68871"),
            (record("11", 5246829, "T", "G"), "HBB"): ("stop_lost", "p.(Ter148Serext*?) on UniProt P68871"),
            (record("11", 5246828, "T", "A"), "HBB"): ("stop_lost", "p.(Ter148Cysext*? or Tyrext*?) on UniProt P68871"),
            (record("11", 5246828, "C", "T"), "HBB"): ("stop_retained", "p.(Ter148=) on UniProt P68871"),
            (record("8", 19819730, "G", "C"), "LPL"): ("stop_lost", "p.(Ter476Serext*?) on UniProt P06858; in a splice "
                                                       "region (splice_region_variant): may alter splicing"),
            (record("10", 123239373, "A", "G"), "FGFR2"): ("stop_lost", ""),
            (record("7", 117307160, "G", "A"), "CFTR"): ("coding", "")}  # not a stop codon's T  # fmt: skip
    for n, ((rec, symbol), (consequence, hgvs)) in enumerate(recs.items()):
        (v,) = load_genomics(write_plain(tmp_path / f"stop{n}.vcf", vcf_text([rec])), db).genes[symbol].variants
        assert (v.consequence, v.hgvs) == (consequence, hgvs), rec
        if consequence == "stop_lost":  # named only: PM4 and the prior as before
            assert codes(v) == {"PM4"} and v.pathogenicity == pytest.approx(0.9), rec


def test_a_coding_snv_is_told_by_its_codon_position(db, fgfr2, tmp_path):
    # CFTR (plus strand): c.1 is 117120149 and exon 1 ends at c.53 (117120201); exon 2 starts at 117144307, c.54,
    # so the codon positions there count on across the intron: c.55 (117144308) is a codon's first base, c.56 its
    # second, c.57 (117144310, three bases into the exon: not its splice region) its third. FGFR2 (minus strand): c.4
    # to c.6 are 123353328 down to 123353326, their bases complemented.
    recs = {(record("7", 117144309, "A", "G"), "CFTR"): "protein_altering",  # any second base
            (record("7", 117144308, "G", "A"), "CFTR"): "protein_altering",  # a first base, G>A
            (record("7", 117144308, "C", "T"), "CFTR"): "likely_protein_altering",  # CGA>TGA, but CTG>TTG (Leu)
            (record("7", 117144310, "A", "G"), "CFTR"): "likely_synonymous",  # but ATA>ATG, TGG>TGA
            (record("7", 117144310, "A", "C"), "CFTR"): "coding",  # a third-base transversion: by the codon
            (record("7", 117144307, "C", "T"), "CFTR"): "coding",  # a third base at the exon's edge: splicing
            (record("10", 123353327, "A", "G"), "FGFR2"): "protein_altering",  # c.5
            (record("10", 123353328, "G", "A"), "FGFR2"): "likely_protein_altering",  # c.4 C>T
            (record("10", 123353326, "T", "C"), "FGFR2"): "likely_synonymous"}  # c.6 A>G  # fmt: skip
    found = {}
    for n, ((rec, symbol), expected) in enumerate(recs.items()):
        (v,) = load_genomics(write_plain(tmp_path / f"codon{n}.vcf", vcf_text([rec])), db).genes[symbol].variants
        assert v.consequence == expected, rec
        found.setdefault(expected, v.pathogenicity)
    assert found["likely_protein_altering"] >= found["protein_altering"] > found["coding"] > found["likely_synonymous"]
    # what told it is shown, as a protein change is (no bundled protein fits FGFR2's gene-model transcript, whose
    # codons are numbered one on from the protein's: no residue number); blank it was, beside "protein altering"
    (v,) = load_genomics(write_plain(tmp_path / "told.vcf", vcf_text([record("10", 123353327, "A", "G")])),
                         db).genes["FGFR2"].variants  # fmt: skip
    assert v.hgvs == ("T>C at a codon's second base (coding strand); amino acid not named: no bundled protein fits the "
                      "gene model's transcript")
    # a third-base C<>T keeps the amino acid in every codon (NNC, NNT): synonymous, no candidate
    for n, rec in enumerate((record("7", 117144310, "C", "T"), record("10", 123353326, "G", "A"))):
        result = load_genomics(write_plain(tmp_path / f"synonymous{n}.vcf", vcf_text([rec])), db)
        assert not result.genes, rec


def test_a_coding_snv_is_read_against_the_amino_acid_of_its_codon(db, tmp_path):
    # CFTR (plus strand, UniProt P13569 MQRSPLEKASVVSKLFFSW...): c.1 is 117120149, so Pro5 is c.13-15 (117120161-3)
    # and Leu6 c.16-18; Trp19 is c.55-57 (117144308-10, across exon 1's end at c.53), and TGG is Trp's only codon.
    recs = {"Trp19 second base G>A": (record("7", 117144309, "G", "A"), "stop_gained", "p.(Trp19Ter)"),
            "Trp19 third base G>A": (record("7", 117144310, "G", "A"), "stop_gained", "p.(Trp19Ter)"),
            "Trp19 first base T>A": (record("7", 117144308, "T", "A"), "missense", "p.(Trp19Arg)", 101),
            "Trp19 third base G>T": (record("7", 117144310, "G", "T"), "missense", "p.(Trp19Cys)", 215),
            "Pro5 first base C>A": (record("7", 117120161, "C", "A"), "missense", "p.(Pro5Thr)", 38),
            # CTN>TTN is Leu (CTA, CTG) or Phe (CTC, CTT): the codon's third base decides between a missense and a
            # synonymous change; AGR>TGR is a stop (AGA) or Trp (AGG), Arg3 being an AGR codon by its REF base
            "Leu6 first base C>T": (record("7", 117120164, "C", "T"), "missense_or_synonymous", "p.(Leu6Phe or =)"),
            "Arg3 first base A>T": (record("7", 117120155, "A", "T"), "stop_gained_or_missense", "p.(Arg3Ter or Trp)"),
            # no codon of Trp has a G first: this is not the protein's codon here, so by position alone
            "Trp19 first base G>A": (record("7", 117144308, "G", "A"), "protein_altering", "")}  # fmt: skip
    found = {}
    for n, (name, (rec, consequence, change, *grantham)) in enumerate(recs.items()):
        (v,) = load_genomics(write_plain(tmp_path / f"aa{n}.vcf", vcf_text([rec])), db).genes["CFTR"].variants
        hgvs = f"{change} on UniProt P13569" + "".join(f"; Grantham distance {d}" for d in grantham) if change else ""
        assert v.consequence == consequence and v.hgvs.startswith(hgvs), name
        found[name] = v
    stop, missense, radical = found["Trp19 second base G>A"], found["Pro5 first base C>A"], found["Trp19 first base T>A"]
    assert "PVS1" in codes(stop) and "PVS1" not in codes(missense) | codes(radical)
    # an annotation's prior for a stop gained; a missense change's by how the homologues keep the residue (Pro5 and
    # Trp19 by at least 90% of them: conserved, PP3), whatever the Grantham distance
    assert stop.pathogenicity == pytest.approx(1.0)
    for v in (missense, radical):
        assert "kept by at least 90% of homologous proteins (Swiss-Prot)" in v.hgvs and codes(v) == {"PP3"}
    assert missense.pathogenicity == radical.pathogenicity == pytest.approx(0.84)
    assert missense.pathogenicity > found["Leu6 first base C>T"].pathogenicity
    # a stop or a missense change as published causes have it (LR 13 on the tuning fold: Arg's CGN>TGN above all),
    # higher where homologues keep the residue (Arg3: by 70-79%), no PVS1 while the codon is unknown; a missense or
    # synonymous one below a plain missense
    stop_or_missense = found["Arg3 first base A>T"]
    assert stop_or_missense.hgvs.endswith("; Arg kept by 70-79% of homologous proteins (Swiss-Prot)")
    assert stop_or_missense.pathogenicity == pytest.approx(0.88) and not codes(stop_or_missense)
    assert found["Leu6 first base C>T"].pathogenicity == pytest.approx(0.41)
    # Gln1476 (c.4426-4428, 117307145-7) lies in the last exon: CAR>TAR is a stop that may escape nonsense-mediated
    # decay, PVS1 at strong and the prior of an annotated loss of function in doubt
    (last,) = load_genomics(write_plain(tmp_path / "gln1476.vcf", vcf_text([record("7", 117307145, "C", "T")])),
                            db).genes["CFTR"].variants  # fmt: skip
    assert (last.consequence, last.hgvs) == ("stop_gained", "p.(Gln1476Ter) on UniProt P13569")
    assert [(c.code, c.strength) for c in last.criteria] == [("PVS1", "strong")] and "last exon" in last.criteria[0].value
    assert last.pathogenicity == pytest.approx(0.8) and last.pathogenicity < stop.pathogenicity
    # Pro's third base never matters (CCN): synonymous, no candidate, whatever the change
    result = load_genomics(write_plain(tmp_path / "pro5.vcf", vcf_text([record("7", 117120163, "A", "C")])), db)
    assert not result.genes


def test_a_coding_mnv_is_read_against_the_amino_acids_of_its_codons(db, tmp_path):
    # An MNV (REF and ALT of equal length) was "coding", 0.6, with no protein change, whatever it made of its codons:
    # it is read as an SNV is, each codon it touches against the bundled protein's amino acid there (VEP: Trp19Lys).
    # CFTR (plus strand): Trp19 is c.55-57 (117144308-10), TGG its only codon, then Thr20 (ACN) and Pro5 (117120161-3).
    # FBN1 (minus strand, P35555): Ile1738 at 48755291 (its first base) to 48755289, Pro1739 at 48755288-6 and Ser1740
    # at 48755285-3; the VCF's bases are the complement.
    recs = {"Trp19 TG>AA": (record("7", 117144308, "TG", "AA"), "missense", "p.(Trp19Lys)"),
            "Trp19 GG>AA": (record("7", 117144309, "GG", "AA"), "stop_gained", "p.(Trp19Ter)"),
            "Trp19-Thr20 GA>CC": (record("7", 117144310, "GA", "CC"), "missense", "p.(Trp19_Thr20delinsCysPro)"),
            # a stop ends the protein: what the MNV does past it is not named
            "Trp19-Thr20 GA>AC": (record("7", 117144310, "GA", "AC"), "stop_gained", "p.(Trp19Ter)"),
            # a codon the MNV leaves coding the same amino acid is not named; CTN>ATN is Ile or Met by its third base
            "Pro5-Leu6 CC>GA": (record("7", 117120163, "CC", "GA"), "missense", "p.(Leu6Ile or Met)"),
            "Ile1738 AT>GG": (record("15", 48755290, "AT", "GG"), "missense", "p.(Ile1738Pro)"),
            "Ile1738-Pro1739 GG>AC": (record("15", 48755288, "GG", "AC"), "missense",
                                      "p.(Ile1738_Pro1739delinsMetSer)"),
            # no Trp codon has an A first: not the protein's codon here, read as before
            "Trp19 AC>GT": (record("7", 117144308, "AC", "GT"), "coding", "")}  # fmt: skip
    found = {}
    for n, (name, (rec, consequence, change)) in enumerate(recs.items()):
        (v,) = [v for g in load_genomics(write_plain(tmp_path / f"mnv{n}.vcf", vcf_text([rec])), db).genes.values()
                for v in g.variants]  # fmt: skip
        accession = "P13569" if v.gene == "CFTR" else "P35555"
        assert v.consequence == consequence and v.hgvs.startswith(f"{change} on UniProt {accession}" if change else ""), (
            name, v.consequence, v.hgvs)
        found[name] = v
    # the SNV's classes and their priors: a stop gained with PVS1; a missense change by how homologues keep the
    # residue that may change, the most kept where several (Trp19 by at least 90%: PP3; FBN1's by under 60%: BP4)
    stop = found["Trp19 GG>AA"]
    assert "PVS1" in codes(stop) and stop.pathogenicity == pytest.approx(1.0)
    lys = found["Trp19 TG>AA"]
    assert "; Grantham distance 110; Trp kept by at least 90% of homologous proteins (Swiss-Prot)" in lys.hgvs
    assert lys.pathogenicity == pytest.approx(0.84) and "PP3" in codes(lys)
    assert "Grantham distance 215; Trp kept" in found["Trp19-Thr20 GA>CC"].hgvs
    assert found["Ile1738-Pro1739 GG>AC"].pathogenicity == pytest.approx(0.5)
    assert found["Trp19 AC>GT"].pathogenicity == pytest.approx(PRIOR[EXONIC, MNV])
    # every codon coding the same amino acid: synonymous, no candidate (FBN1's Ser1740 TCT>AGC)
    assert not load_genomics(write_plain(tmp_path / "mnv_syn.vcf", vcf_text([record("15", 48755283, "AGA", "GCT")])),
                             db).genes  # fmt: skip


def test_info_scores_without_csq_keep_the_bundled_reading_of_the_change(db, tmp_path):
    # A VCF with INFO-level scores only (REVEL, SpliceAI, CADD: vcfanno, bcftools annotate; no CSQ/ANN) names no gene
    # and no change: its record-level note lent the variant its blank HGVS and NMD note in place of the bundled
    # protein's and gene model's reading, so CFTR's Trp19Ter and Pro5Thr showed no protein change at all, and a
    # frameshift in the penultimate exon's last 50 bp PVS1 very strong.
    infos = ('##INFO=<ID=REVEL,Number=A,Type=Float,Description="REVEL score">',
             '##INFO=<ID=CADD_PHRED,Number=A,Type=Float,Description="CADD phred score">',
             '##INFO=<ID=SpliceAI,Number=.,Type=String,Description="SpliceAIv1.3 variant annotation. Format: '
             'ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL|DP_AG|DP_AL|DP_DG|DP_DL">')  # fmt: skip
    penultimate_end = gene(db, "CFTR").exons[-2][1]  # 1-based, the exon's last base
    recs = [record("7", 117120161, "C", "A", info="REVEL=0.9"),
            record("7", 117144309, "G", "A", info="SpliceAI=A|CFTR|0.01|0.00|0.02|0.00|1|2|3|4"),
            record("7", penultimate_end - 1, "GA", "G", info="CADD_PHRED=35")]  # fmt: skip
    result = load_genomics(write_plain(tmp_path / "info.vcf", vcf_text(recs, infos=infos)), db)
    found = {v.pos: v for v in result.genes["CFTR"].variants}
    missense, stop, frameshift = found[117120161], found[117144309], found[penultimate_end - 1]
    assert missense.hgvs.startswith("p.(Pro5Thr) on UniProt P13569; Grantham distance 38")
    assert missense.scores == {"REVEL": 0.9} and ("PP3", "REVEL=0.9") in {(c.code, c.value) for c in missense.criteria}
    assert stop.hgvs.startswith("p.(Trp19Ter) on UniProt P13569") and "SpliceAI" in stop.scores
    assert pvs1(frameshift).strength == "strong" and "may escape nonsense-mediated decay" in pvs1(frameshift).value


def test_a_frameshift_length_indel_inside_the_coding_sequence_is_a_frameshift(db, tmp_path):
    # CFTR (plus strand): coding sequence 117120149-117307162 (1-based, the stop codon its last three bases); exon 2
    # from 117144307; the last exon from 117306962.
    cases = {"internal exon": record("7", 117144309, "G", "GA"), "last exon": record("7", 117307145, "CA", "C"),
             "in frame": record("7", 117144309, "G", "GAAA"), "start codon": record("7", 117120149, "A", "AT"),
             "stop codon": record("7", 117307159, "GT", "G")}  # fmt: skip
    found = {}
    for n, (name, rec) in enumerate(cases.items()):
        (found[name],) = load_genomics(write_plain(tmp_path / f"fs{n}.vcf", vcf_text([rec])), db).genes["CFTR"].variants
    internal, last = found["internal exon"], found["last exon"]
    assert (internal.consequence, last.consequence) == ("frameshift", "frameshift")
    assert [(c.code, c.strength) for c in internal.criteria] == [("PVS1", "very_strong")]
    assert [(c.code, c.strength) for c in last.criteria] == [("PVS1", "strong")] and "last exon" in last.criteria[0].value
    assert internal.pathogenicity == pytest.approx(0.9) and last.pathogenicity == pytest.approx(0.8)  # as a stop there
    # an in-frame insertion, and changes of the start or stop codon, are no frameshift; the insertion changes the
    # protein's length (PM4), whether in a repeat no reference sequence tells
    assert found["in frame"].consequence == "coding"
    assert [(c.code, c.value) for c in found["in frame"].criteria] == [
        ("PM4", "in-frame indel inside the coding sequence; repeat region not checked")]
    assert found["start codon"].consequence == "start_codon"
    assert found["stop codon"].consequence == "coding" and not codes(found["stop codon"])


def test_a_missense_change_is_weighed_by_how_homologues_keep_its_residue(db, tmp_path):
    from raretrace.genomics import gene_model as gm
    from raretrace.genomics.gene_model import gene_index

    # CFTR's residues (UniProt P13569, c.1 at 117120149 on the plus strand, exon 1 to c.53): Pro5 (c.13) is kept by
    # at least 90% of its Swiss-Prot homologues, Val12 (c.34) by 20-29%; GTN>ATN is Ile or Met, CCN>ACN Thr.
    index = gene_index(db, "GRCh37")
    cftr = index.gene_index["CFTR"]
    assert (index.amino_acid(cftr, 4), index.conservation(cftr, 4)) == ("P", gm.Conservation(9, many=True))
    assert (index.amino_acid(cftr, 11), index.conservation(cftr, 11)) == ("V", gm.Conservation(2, many=True))
    assert index.conservation(cftr, 1480) is None  # past the protein (the stop codon)
    found = {}
    for name, rec in {"Pro5": record("7", 117120161, "C", "A"), "Val12": record("7", 117120182, "G", "A")}.items():
        (found[name],) = load_genomics(write_plain(tmp_path / f"{name}.vcf", vcf_text([rec])), db).genes["CFTR"].variants
    kept, varied = found["Pro5"], found["Val12"]
    assert (kept.consequence, varied.consequence) == ("missense", "missense")
    assert kept.hgvs == ("p.(Pro5Thr) on UniProt P13569; Grantham distance 38; Pro kept by at least 90% of homologous"
                         " proteins (Swiss-Prot)")  # fmt: skip
    assert varied.hgvs == ("p.(Val12Ile or Met) on UniProt P13569; Grantham distance 29; Val kept by 20-29% of"
                           " homologous proteins (Swiss-Prot)")  # fmt: skip
    assert [(c.code, c.value) for c in kept.criteria] == [("PP3", "residue kept by at least 90% of homologous proteins")]
    assert [(c.code, c.value) for c in varied.criteria] == [("BP4", "residue kept by under 60% of homologous proteins")]
    assert kept.pathogenicity == pytest.approx(0.84) and varied.pathogenicity == pytest.approx(0.5)
    # AACS (UniProt Q86V21, plus strand, c.1 at 12:125550131): Lys3 is kept by at least 90% of the three to nine
    # homologues that cover it, a weaker class than Pro5's (AAR>AGR: Arg)
    aacs = index.gene_index["AACS"]
    assert (index.amino_acid(aacs, 2), index.conservation(aacs, 2)) == ("K", gm.Conservation(9, many=False))
    vcf = write_plain(tmp_path / "lys3.vcf", vcf_text([record("12", 125550138, "A", "G")]))
    (few,) = load_genomics(vcf, db).genes["AACS"].variants
    assert few.hgvs == ("p.(Lys3Arg) on UniProt Q86V21; Grantham distance 26; Lys kept by at least 90% of 3-9"
                        " homologous proteins (Swiss-Prot)")  # fmt: skip
    assert [(c.code, c.value) for c in few.criteria] == [("PP3", "residue kept by at least 90% of 3-9 homologous proteins")]
    assert few.pathogenicity == pytest.approx(0.74) and varied.pathogenicity < few.pathogenicity < kept.pathogenicity


def test_a_residue_only_three_to_nine_homologues_vary_gives_no_bp4(db, tmp_path):
    # The demo case's causal KMT2D change, p.(Leu3880Met), took BP4 "residue kept by under 60% of homologous proteins"
    # where only three homologues align: too few for ACMG's reliable computational evidence. Its class keeps the prior
    # of a varied residue (0.5) and the evidence says the share and why there is no BP4. (KMT2D, minus strand:
    # 12:49426850 G>C is CTG>GTG, Leu3880Val; PM1 from the published G>T at the same base.)
    from raretrace.genomics import gene_model as gm
    from raretrace.genomics.gene_model import gene_index

    index = gene_index(db, "GRCh37")
    kmt2d = index.gene_index["KMT2D"]
    assert (index.amino_acid(kmt2d, 3879), index.conservation(kmt2d, 3879)) == ("L", gm.Conservation(0, many=False))
    vcf = write_plain(tmp_path / "leu3880.vcf", vcf_text([record("12", 49426850, "G", "C")]))
    (v,) = load_genomics(vcf, db).genes["KMT2D"].variants
    assert v.consequence == "missense" and v.pathogenicity == pytest.approx(0.5)
    assert v.hgvs == ("p.(Leu3880Val) on UniProt O14686; Grantham distance 32; Leu kept by 0-9% of 3-9 homologous"
                      " proteins (Swiss-Prot); too few for BP4")  # fmt: skip
    assert "BP4" not in codes(v) and "PP3" not in codes(v)


def test_the_conservation_classes_and_the_bundled_table(db):
    from raretrace.genomics import gene_model as gm
    from raretrace.genomics.codons import missense_by_conservation, stop_or_missense_by_conservation
    from raretrace.genomics.gene_model import gene_index
    from raretrace.genomics.interpret import CONSERVATION_PRIOR

    # Kept by >= 90% is conserved only where ten or more homologues say so; three to nine that all but all keep a
    # residue make a weaker class of their own; under 60% of three to nine is a class of its own at the same prior
    # (no BP4: too few); at 60-90% the number of homologues does not change the class.
    kept = (None, (-1, False), (0, True), (5, False), (6, True), (8, False), (9, True), (9, False))
    assert [missense_by_conservation(k and gm.Conservation(*k)) for k in kept] == [
        gm.MISSENSE, gm.MISSENSE_FEW_HOMOLOGUES, gm.MISSENSE_NOT_CONSERVED, gm.MISSENSE_NOT_CONSERVED_AMONG_FEW,
        gm.MISSENSE_PARTLY_CONSERVED, gm.MISSENSE_PARTLY_CONSERVED, gm.MISSENSE_CONSERVED,
        gm.MISSENSE_CONSERVED_AMONG_FEW]  # fmt: skip
    assert CONSERVATION_PRIOR[gm.MISSENSE_NOT_CONSERVED_AMONG_FEW] == CONSERVATION_PRIOR[gm.MISSENSE_NOT_CONSERVED]
    # a stop-or-missense change is weighed up where its missense reading would be at least partly conserved
    som, kept_som = gm.STOP_OR_MISSENSE, gm.STOP_OR_MISSENSE_CONSERVED
    assert [stop_or_missense_by_conservation(k and gm.Conservation(*k)) for k in kept] == [som] * 4 + [kept_som] * 4
    assert {gm.MISSENSE_CONSERVED_AMONG_FEW: 0.74, gm.MISSENSE_CONSERVED: 0.84}.items() <= CONSERVATION_PRIOR.items()
    # One code per residue of the very protein the gene index reads, for most proteins: a digit (ten or more
    # homologues), a letter a-j (three to nine) or "." (fewer).
    index = gene_index(db, "GRCh37")
    table = gm._conservation_table()
    assert len(index._conservation) > 0.8 * len(index._proteins)
    for g, digits in index._conservation.items():
        accession, sequence = index._proteins[g]
        assert len(digits) == len(sequence) and table[index.symbols[g]][0] == accession
    codes = set("".join(table[s][1] for s in table))
    assert codes == set("0123456789abcdefghij.")


def test_the_bundled_proteins_agree_with_the_coding_bounds(db):
    from raretrace.genomics.gene_model import gene_index

    # Every protein used is as long as its transcript's coding bounds in codons, less the stop, and starts with Met;
    # most coding genes have one (UniProtKB/Swiss-Prot's canonical isoform, where it is the gene model's).
    index = gene_index(db, "GRCh37")
    proteins = index._proteins
    coding = int(((index.cds_start >= 0) & (index.cds_frame == 0)).sum())
    assert len(proteins) > 0.7 * coding
    total = index._coding_bases_total
    assert all(total[g] == 3 * len(seq) + 3 and seq[0] == "M" for g, (_acc, seq) in proteins.items())
    assert index.amino_acid(index.gene_index["CFTR"], 18) == "W" and index.amino_acid(index.gene_index["CFTR"], 1480) is None


def test_codon_positions_and_the_exonic_splice_region_against_hgvs_numbering(db):
    # Causal SNVs of the dev phenopackets with their HGVS c. numbers (MANE transcripts, which the GRCh37 gene model
    # shares for these genes), in exons far from the coding start: FBN1 on the minus strand, NF1 on the plus strand.
    # (tests/vcf_fixtures picks its 'second bases' with GeneIndex.locate itself, so it cannot check this.)
    from raretrace.genomics.gene_model import gene_index

    index = gene_index(db, "GRCh37")
    hgvs = {("15", 48707746, "FBN1"): 8038, ("15", 48713849, "FBN1"): 7605, ("15", 48736782, "FBN1"): 5993,
            ("15", 48755320, "FBN1"): 5183, ("15", 48755321, "FBN1"): 5182, ("15", 48766566, "FBN1"): 4096,
            ("17", 29654857, "NF1"): 5609, ("17", 29662034, "NF1"): 5991, ("17", 29665110, "NF1"): 6772}  # fmt: skip

    def located(chrom: str, pos0: list[int], symbol: str) -> tuple[list[int], list[bool]]:
        p = np.array(pos0, dtype=np.int64)
        regions = index.locate(np.full(len(p), index.code_of(chrom)), p, p + 1, np.zeros(len(p), dtype=bool))
        ours = [symbol == index.symbols[g] for g in regions.gene.tolist()]
        order = np.argsort(regions.variant[ours])
        return regions.codon[ours][order].tolist(), regions.exon_edge[ours][order].tolist()

    for (chrom, pos, symbol), c in hgvs.items():
        assert located(chrom, [pos - 1], symbol)[0] == [(c - 1) % 3], (symbol, pos, c)
    # The exonic splice region: three bases at each end of an internal exon, on either strand; not the transcript's
    # own ends (FBN1's exon 24 of 66 in ascending order, 0-based half-open 48755278-48755437; its first and last exon).
    fbn1 = gene(db, "FBN1")
    (s, e), (first_s, first_e), (last_s, last_e) = fbn1.exons[24], fbn1.exons[0], fbn1.exons[-1]
    assert (s, e) == (48755278, 48755437)
    inner = [s, s + 1, s + 2, s + 3, e - 4, e - 3, e - 2, e - 1]
    assert located("15", inner, "FBN1")[1] == [True, True, True, False, False, True, True, True]
    outer = [first_s, first_s + 1, first_e - 1, last_s, last_e - 2, last_e - 1]
    assert located("15", outer, "FBN1")[1] == [False, False, True, True, False, False]


def test_a_splice_site_between_untranslated_exons_gets_no_pvs1(db, tmp_path):
    # ID3 (GRCh37, minus strand): coding sequence from 23885451 (1-based); its exons 23884409-23884906 (3' UTR) and
    # 23885426-23885510 (with the stop codon) are joined by an intron of the 3' UTR, and 23885511 is the first base of
    # a coding intron.
    id3 = gene(db, "ID3")
    assert id3.strand == "-" and (23884408, 23884906) in id3.exons and (23885425, 23885510) in id3.exons
    utr_site, coding_site, utr_exon = 23884907, 23885511, 23884500
    # the same intron's other end borders the exon with the stop codon: a splice change there may skip coding sequence
    skips_coding = 23885425
    found = {}
    for n, pos in enumerate((utr_site, coding_site, utr_exon, skips_coding)):
        result = load_genomics(write_plain(tmp_path / f"id3_{n}.vcf", vcf_text([record("1", pos, "A", "G")])), db)
        found[pos] = result.genes["ID3"].variants[0] if "ID3" in result.genes else None
    assert found[utr_site].consequence == "3_prime_UTR_splice_acceptor_site" and not codes(found[utr_site])
    assert found[coding_site].consequence == "splice_acceptor_site" and "PVS1" in codes(found[coding_site])
    assert found[skips_coding].consequence == "splice_donor_site" and "PVS1" in codes(found[skips_coding])
    # below a coding splice site (0.85, as an annotated canonical site), at the prior an annotated one gets where
    # LOFTEE calls it a low-confidence loss of function (3UTR_SPLICE); well above the UTR exon's own change
    assert found[coding_site].pathogenicity > found[utr_site].pathogenicity == pytest.approx(0.8)
    assert found[utr_exon] is None  # a 3' UTR change is no candidate


def test_an_insertion_is_a_splice_site_change_only_between_the_two_bases_of_the_site(db, tmp_path):
    # An insertion lies between two bases; it breaks a donor's GT or an acceptor's AG only between their two bases,
    # whichever side of the intron the exon lies. MRPS34 (GRCh37, minus strand): an exon from 1822800 (1-based), so
    # the donor's +1 and +2 are 1822799 and 1822798 (the Pfeiffer exome is homozygous for C>CACCT at 1822797, between
    # +3 and +2). ENPP1 (plus strand): an exon 132203485-132203614, its acceptor's -2 and -1 at 132203483-4, its
    # donor's +1 and +2 at 132203615-6.
    assert (1822799, 1823156) in gene(db, "MRPS34").exons and gene(db, "MRPS34").strand == "-"
    assert (132203484, 132203614) in gene(db, "ENPP1").exons and gene(db, "ENPP1").strand == "+"
    cases = {"minus donor +3/+2": (record("16", 1822797, "C", "CACCT", "1/1"), "MRPS34"),
             "minus donor +2/+1": (record("16", 1822798, "C", "CACCT", "1/1"), "MRPS34"),
             "plus acceptor -3/-2": (record("6", 132203482, "A", "AT"), "ENPP1"),
             "plus acceptor -2/-1": (record("6", 132203483, "A", "AT"), "ENPP1"),
             "plus donor +1/+2": (record("6", 132203615, "G", "GT"), "ENPP1"),
             "plus donor +2/+3": (record("6", 132203616, "G", "GT"), "ENPP1")}  # fmt: skip
    found = {}
    for n, (name, (rec, symbol)) in enumerate(cases.items()):
        result = load_genomics(write_plain(tmp_path / f"ins_{n}.vcf", vcf_text([rec])), db)
        found[name] = result.genes[symbol].variants[0]
    for name in ("minus donor +2/+1", "plus acceptor -2/-1", "plus donor +1/+2"):
        assert found[name].consequence.startswith("splice_") and found[name].consequence.endswith("_site"), name
        assert "PVS1" in codes(found[name]), name
    for name in ("minus donor +3/+2", "plus acceptor -3/-2", "plus donor +2/+3"):
        assert found[name].consequence == "splice_region" and "PVS1" not in codes(found[name]), name
    assert found["minus donor +3/+2"].pathogenicity == found["plus donor +2/+3"].pathogenicity < 0.6


def test_an_insertion_between_an_exon_and_its_intron_is_read_alike_on_either_strand(db, tmp_path):
    # An insertion between an exon's last base and the intron's first leaves the GT or AG whole and adds its bases to
    # the exon's edge (VEP: a splice region change, not a splice site). Located at the base after it, it was a splice
    # site change (PVS1 very strong) where the exon lies before the intron on the genome (a plus-strand donor, a
    # minus-strand acceptor) and an exonic one where it lies after (a plus-strand acceptor, a minus-strand donor).
    # ENPP1 (plus strand): an exon 132203485-132203614 (1-based); MRPS34 (minus strand): an exon 1822605-1822647.
    assert (132203484, 132203614) in gene(db, "ENPP1").exons and gene(db, "ENPP1").strand == "+"
    assert (1822604, 1822647) in gene(db, "MRPS34").exons and gene(db, "MRPS34").strand == "-"
    cases = {"plus donor": ("6", 132203614, "G", "ENPP1"), "plus acceptor": ("6", 132203484, "A", "ENPP1"),
             "minus donor": ("16", 1822604, "C", "MRPS34"), "minus acceptor": ("16", 1822647, "C", "MRPS34")}
    for inserted, consequence, label in (("T", "frameshift", "PVS1"), ("TTT", "coding", "PM4")):
        for name, (chrom, pos, ref, symbol) in cases.items():
            vcf = write_plain(tmp_path / "edge.vcf", vcf_text([record(chrom, pos, ref, ref + inserted)]))
            (v,) = load_genomics(vcf, db).genes[symbol].variants
            assert v.consequence == consequence, (name, inserted)
            assert label in codes(v) and "splice" not in next(c for c in v.criteria if c.code == label).value, name


def test_a_symbolic_insertion_at_an_exon_intron_boundary_is_placed_as_one_written_out(db, tmp_path):
    # An <INS> is located at the base after POS, as a written-out insertion is, but the boundary rule read only the
    # latter: between an exon's edge and its intron, an <INS> was a splice site change (PVS1 very strong, "no exon
    # (splice site)") where the exon lies before the intron on the genome (a plus-strand donor, a minus-strand
    # acceptor), and between an intron's +3 and +2 (-3 and -2) it broke the GT (AG). The exons and places of the two
    # tests above: ENPP1 (plus strand), MRPS34 (minus strand).
    cases = {"plus donor edge": ("6", 132203614, "A", "ENPP1"), "plus acceptor edge": ("6", 132203484, "A", "ENPP1"),
             "minus donor edge": ("16", 1822604, "C", "MRPS34"), "minus acceptor edge": ("16", 1822647, "C", "MRPS34"),
             "plus acceptor -3/-2": ("6", 132203482, "A", "ENPP1"), "minus donor +3/+2": ("16", 1822797, "C", "MRPS34"),
             "plus acceptor -2/-1": ("6", 132203483, "A", "ENPP1"), "minus donor +2/+1": ("16", 1822798, "C", "MRPS34")}
    bases = "ACGT" * 8
    for length in (31, 30):
        for name, (chrom, pos, ref, symbol) in cases.items():
            found = []
            for alt, info in ((ref + bases[:length], "."), ("<INS>", f"SVTYPE=INS;SVLEN={length}")):
                vcf = write_plain(tmp_path / "edge.vcf", vcf_text([record(chrom, pos, ref, alt, info=info)]))
                (v,) = load_genomics(vcf, db).genes[symbol].variants
                found.append(v)
            written, symbolic = found
            assert (symbolic.consequence, symbolic.pathogenicity) == (written.consequence, written.pathogenicity), name
            assert [(c.code, c.strength) for c in symbolic.criteria] == [(c.code, c.strength) for c in written.criteria]
            if name.endswith("edge"):  # the exon's, not the splice site's
                assert "splice site" not in symbolic.hgvs and f"({length} bp inserted; {symbol}: exon " in symbolic.hgvs, name


def test_an_alignment_gap_of_the_gene_model_has_no_splice_sites(db, tmp_path):
    # NEFL (GRCh37): the gene model's exons 24810989-24811064 and 24811066-24811309 (1-based) leave out one reference
    # base, 24811065, that the transcript lacks: no intron, so its neighbours are no splice sites, and deleting it
    # (the Pfeiffer exome is homozygous for that deletion) gives the transcript's own sequence.
    nefl = gene(db, "NEFL")
    assert (24810988, 24811064) in nefl.exons and (24811065, 24811309) in nefl.exons
    records = {"gap base changed": record("8", 24811065, "G", "A"), "gap base deleted": record("8", 24811064, "AG", "A"),
               "deleted beside the gap": record("8", 24811062, "CA", "C"), "beside the gap": record("8", 24811063, "A", "G"),
               "another deletion beside it": record("8", 24811062, "CAA", "C")}  # fmt: skip
    found = {}
    for n, (name, rec) in enumerate(records.items()):
        result = load_genomics(write_plain(tmp_path / f"nefl_{n}.vcf", vcf_text([rec])), db)
        found[name] = result.genes["NEFL"].variants[0] if "NEFL" in result.genes else None
    assert found["gap base changed"] is None and found["gap base deleted"] is None  # reference-only bases
    assert found["deleted beside the gap"] is None  # the same deletion, written where the VCF left-aligns it
    assert found["beside the gap"].consequence in ("exonic", "coding") and not codes(found["beside the gap"])
    assert "splice" not in found["another deletion beside it"].consequence  # two bases: not the gap's one


def test_a_genes_true_exons_are_worked_out_once_and_join_the_parts_a_gap_splits():
    # true_exons depends on the gene alone, yet the exon walk ran again on every call (each splice-site place, each
    # structural variant's overlap, each whole-exon check): it is kept per gene, as a tuple no caller can change.
    from raretrace.genomics.gene_model import GeneIndex

    index = GeneIndex("GRCh37", [("A", "1", "+", 100, 600, "100,210,500", "200,300,600"),  # a 10 bp gap, an intron
                                 ("B", "1", "-", 1000, 1200, "1000", "1200")])  # fmt: skip
    a, b = index.gene_index["A"], index.gene_index["B"]
    assert list(index.true_exons(a)) == [(100, 300), (500, 600)] and list(index.true_exons(b)) == [(1000, 1200)]
    assert index.true_exons(a) is index.true_exons(a) and isinstance(index.true_exons(a), tuple)
    assert index.holds_whole_exon(a, 90, 310) and not index.holds_whole_exon(a, 90, 250)
    assert index.penultimate_exon_tail(a, 250, 251) == 49


def test_a_homozygous_indel_that_mends_a_reading_frame_the_reference_breaks_is_no_frameshift(db, tmp_path):
    from raretrace.genomics.gene_model import coding_bounds

    # VPS11 (GRCh37): GENCODE 19's start and stop codons lie 2 bases short of whole codons apart on the reference,
    # which lacks a base of the transcript; the Pfeiffer exome is homozygous for T>TC in its coding sequence.
    g = gene(db, "VPS11")
    assert coding_bounds("GRCh37")[("VPS11", g.chrom)][3] == 2
    cases = {"mends, homozygous": record("11", 118939939, "T", "TC", "1/1"),
             "mends, heterozygous": record("11", 118939939, "T", "TC", "0/1"),
             "two bases, homozygous": record("11", 118939939, "T", "TCC", "1/1"),
             "an SNV": record("11", 118939939, "T", "C", "1/1")}  # fmt: skip
    found = {}
    for n, (name, rec) in enumerate(cases.items()):
        result = load_genomics(write_plain(tmp_path / f"vps11_{n}.vcf", vcf_text([rec])), db)
        found[name] = result.genes["VPS11"].variants[0] if "VPS11" in result.genes else None
    assert found["mends, homozygous"] is None
    # the frame read from a reference that breaks it says nothing of the protein: a coding change of unknown effect
    unknown = CONSEQUENCE_PRIOR["coding_sequence_variant"]
    assert found["mends, heterozygous"].pathogenicity == pytest.approx(unknown)
    assert found["two bases, homozygous"].pathogenicity == pytest.approx(unknown)
    assert found["an SNV"].consequence == "coding"  # no codon position where the frame is broken


def test_a_frameshift_length_indel_the_coding_bounds_cannot_call_a_frameshift_says_why_it_has_no_pvs1(db, tmp_path):
    # The Pfeiffer exome's homozygous A>AG in EMG1 and PRKDC (GRCh37 breaks both transcripts' reading frames) and
    # KIZ (no coding bounds) showed as "coding"/"exonic" at 0.9 with no PVS1 and a blank description: the clinician
    # had no reason for the score. An insertion in CFTR's stop codon is neither a frameshift nor told so.
    # Since 2026-12-07 (fortieth session) a frame the reference breaks gives the indel no frameshift's prior either:
    # its effect cannot be read (VEP's coding_sequence_variant, 0.4). EMG1's and PRKDC's had topped 52 of 1,115
    # simulated fold-1 exomes' gene lists.
    recs = {"EMG1": record("12", 7080210, "A", "AG", "1/1"), "PRKDC": record("8", 48805816, "A", "AG", "1/1"),
            "KIZ": record("20", 21186161, "A", "AG", "1/1"), "CFTR": record("7", 117307160, "A", "AGT")}  # fmt: skip
    result = load_genomics(write_plain(tmp_path / "fs.vcf", vcf_text(sorted(recs.values()))), db)
    found = {symbol: next(v for v in result.genes[symbol].variants if v.pos == int(rec.split("\t")[1]))
             for symbol, rec in recs.items()}  # fmt: skip
    assert {s: (v.consequence, v.pathogenicity, codes(v)) for s, v in found.items()} == {
        "EMG1": ("coding", 0.4, set()), "PRKDC": ("coding", 0.4, set()), "KIZ": ("exonic", 0.9, set()),
        "CFTR": ("coding", 0.9, set())}  # fmt: skip
    broken = ("frameshift-length insertion (1 bp); PVS1 not applied: the reference genome breaks this transcript's "
              "reading frame: effect on the protein unknown")  # fmt: skip
    assert found["EMG1"].hgvs == broken and found["PRKDC"].hgvs == broken
    assert found["KIZ"].hgvs == ("frameshift-length insertion (1 bp) in an internal exon; PVS1 not applied: coding "
                                 "bounds unknown; scored by region and length")  # fmt: skip
    assert found["CFTR"].hgvs == ("frameshift-length insertion (2 bp) at the stop codon; PVS1 not applied: may "
                                  "lengthen the protein (stop lost); scored by region and length")  # fmt: skip


def test_an_indel_in_a_transcript_whose_frame_the_reference_breaks_is_read_by_its_length_alone(db, tmp_path):
    from raretrace.genomics.gene_model import coding_bounds

    # EMG1 (plus strand) and PRKDC (minus): GENCODE 19's start and stop codons are 1 base past whole codons apart on
    # GRCh37 (frame 1: a 1-bp deletion or 2-bp insertion mends it), so no codon position is known inside. Pinned as
    # it was already read: an indel of a length that does not mend the frame, or one of the mending length that is
    # heterozygous, is named by its length, not "frameshift", with no PVS1; an in-frame one changes the protein's
    # length whatever the frame (PM4), and neither names a residue; an SNV has no codon position.
    inner = {"EMG1": ("12", 7083785), "PRKDC": ("8", 48775018)}  # 1-based, mid-exon of an internal coding exon
    changes = {"1-bp deletion, heterozygous": ("AC", "A", "0/1"), "2-bp deletion, homozygous": ("ACG", "A", "1/1"),
               "1-bp insertion, homozygous": ("A", "AT", "1/1"), "2-bp insertion, heterozygous": ("A", "ATT", "0/1"),
               "3-bp deletion": ("ACGT", "A", "0/1"), "3-bp insertion": ("A", "ATTT", "1/1"),
               "SNV": ("A", "G", "0/1")}  # fmt: skip
    for symbol, (chrom, pos) in inner.items():
        assert coding_bounds("GRCh37")[(symbol, chrom)][3] == 1
        for n, (name, (ref, alt, gt)) in enumerate(changes.items()):
            vcf = write_plain(tmp_path / f"{symbol}_{n}.vcf", vcf_text([record(chrom, pos, ref, alt, gt)]))
            (v,) = load_genomics(vcf, db).genes[symbol].variants
            told = (v.consequence, [(c.code, c.value) for c in v.criteria], v.hgvs)
            net = len(alt) - len(ref)
            if net % 3:
                kind = "insertion" if net > 0 else "deletion"
                assert told == ("coding", [], f"frameshift-length {kind} ({abs(net)} bp); PVS1 not applied: the "
                                "reference genome breaks this transcript's reading frame: effect on the protein "
                                "unknown"), (symbol, name)  # fmt: skip
                assert v.pathogenicity == pytest.approx(CONSEQUENCE_PRIOR["coding_sequence_variant"])
            elif net:
                assert told == ("coding", [("PM4", "in-frame indel inside the coding sequence; repeat region not "
                                            "checked")], ""), (symbol, name)  # fmt: skip
            else:
                assert told == ("coding", [], ""), (symbol, name)


def test_an_insertion_next_to_the_start_or_stop_codon_is_read_alike_on_either_strand(db, tmp_path):
    # An insertion is located at the base after it on the genome. On the minus strand that base is the one before it in
    # the transcript, so one right after the ATG was 'at the coding sequence's first codon' with no PVS1, and one
    # right before the stop codon a frameshift with PVS1: the reverse of the plus strand's reading.
    from raretrace.genomics.gene_model import gene_index

    index = gene_index(db, "GRCh37")
    found = {}
    for symbol in ("CFTR", "FGFR2"):  # plus and minus strand
        g = index.gene_index[symbol]
        cs, ce, plus = int(index.cds_start[g]), int(index.cds_end[g]), index.strand[g] > 0
        # an insertion after 1-based POS p lies between 0-based p - 1 and p
        for name, p in {"after the ATG": cs + 3 if plus else ce - 3, "before the stop": ce - 3 if plus else cs + 3}.items():
            vcf = write_plain(tmp_path / "ins.vcf", vcf_text([record(index.chroms[g], p, "A", "AG")]))
            (v,) = load_genomics(vcf, db).genes[symbol].variants
            found[symbol, name] = (v.consequence, "PVS1" in codes(v))
    for symbol in ("CFTR", "FGFR2"):
        assert found[symbol, "after the ATG"] == ("frameshift", True), symbol
        assert found[symbol, "before the stop"] == ("coding", False), symbol


def test_an_in_frame_indel_in_an_exon_of_unknown_coding_bounds_says_why_it_has_no_pm4(db, tmp_path):
    # KIZ has no coding bounds: an in-frame deletion in an internal exon showed as 'exonic' at 0.7 with no PM4 and a
    # blank description, as a frameshift-length one did before 54b0ae5; in its first or last exon, 0.5 alike
    kiz = gene(db, "KIZ")
    recs = [record("20", kiz.exonic(2), "AAAA", "A"), record("20", kiz.exonic(4), "A", "AAAAAAA")]
    variants = load_genomics(write_plain(tmp_path / "kiz.vcf", vcf_text(recs)), db).genes["KIZ"].variants
    by_pos = {v.pos: v for v in variants}
    deletion, insertion = by_pos[kiz.exonic(2)], by_pos[kiz.exonic(4)]
    assert (deletion.consequence, deletion.pathogenicity, codes(deletion)) == ("exonic", 0.7, set())
    assert deletion.hgvs == ("in-frame deletion (3 bp) in an internal exon; PM4 not applied: coding bounds unknown; "
                             "scored by region and length")  # fmt: skip
    assert insertion.hgvs.startswith("in-frame insertion (6 bp) in an internal exon; PM4 not applied")
    last = kiz.exons[-1]
    rec = record("20", (last[0] + last[1]) // 2, "AAAA", "A")
    (terminal,) = load_genomics(write_plain(tmp_path / "last.vcf", vcf_text([rec])), db).genes["KIZ"].variants
    assert terminal.hgvs.startswith("in-frame deletion (3 bp) in a first or last exon; PM4 not applied")


def test_an_insertion_that_slides_out_of_the_start_codon_leaves_it_whole(db, fgfr2, tmp_path):
    # FGFR2 (minus strand): its ATG is CAT at 123353329-123353331 on the genome's plus strand. A left-aligned VCF
    # writes a T added after the codon's T (5' UTR side) inside it, after the A; CFTR (plus, ATG at 117120149-151):
    # an A added inside it after its A is an A added before it.
    recs = {(record("10", 123353330, "A", "AT"), "FGFR2"): "5_prime_UTR",
            (record("10", 123353329, "C", "CAC"), "FGFR2"): "coding",  # CAC+AT: the codon whole, then AC
            (record("10", 123353330, "A", "AG"), "FGFR2"): "start_codon",
            (record("7", 117120149, "A", "AA"), "CFTR"): "5_prime_UTR",
            (record("7", 117120150, "T", "TGC"), "CFTR"): "coding",  # AT+GC+G: ATG whole, then CG inserted
            (record("7", 117120149, "A", "AC"), "CFTR"): "start_codon"}  # fmt: skip
    for n, ((rec, symbol), expected) in enumerate(recs.items()):
        (v,) = load_genomics(write_plain(tmp_path / f"slide{n}.vcf", vcf_text([rec])), db).genes[symbol].variants
        assert v.consequence == expected, rec
        assert ("PVS1" in codes(v)) == (expected == "start_codon"), rec


def test_a_symbolic_insertion_beside_the_start_codon_leaves_it_whole(db, fgfr2, tmp_path):
    # An <INS> right before CFTR's ATG (117120149-151, plus strand) or right after FGFR2's (CAT at 123353329-331 on
    # the genome, minus strand) leaves the codon whole whatever its bases, as the same insertion written out does
    # (5' UTR; coding, in frame); it was a start codon change (PVS1 moderate, 0.95). Inside the codon its bases,
    # not written, decide: a start codon change still.
    recs = {"CFTR, before the ATG": ("7", 117120148, "A", "CFTR", "5_prime_UTR"),
            "FGFR2, after the ATG": ("10", 123353328, "A", "FGFR2", "coding"),
            "CFTR, inside": ("7", 117120149, "A", "CFTR", "start_codon"),
            "FGFR2, inside": ("10", 123353329, "C", "FGFR2", "start_codon")}  # fmt: skip
    for name, (chrom, pos, ref, symbol, consequence) in recs.items():
        found = []
        for alt, info in ((ref + "GGG", "."), ("<INS>", "SVTYPE=INS;SVLEN=3")):
            vcf = write_plain(tmp_path / "atg.vcf", vcf_text([record(chrom, pos, ref, alt, info=info)]))
            (v,) = load_genomics(vcf, db).genes[symbol].variants
            found.append((v.consequence, codes(v), v.pathogenicity))
        written, symbolic = found
        assert symbolic == written and symbolic[0] == consequence, name


def test_a_deletion_in_the_start_codon_is_a_start_codon_change_as_written(db, fgfr2, tmp_path):
    # Written leftmost, a deletion from the codon's last base (by position) could be the same change a base on where
    # the next base repeats it; that base is not in the VCF, so the change is taken as written: CFTR's TG>T is
    # c.3delG (its c.4 is C: a real start loss), FGFR2's AT>A deletes the A of its ATG unless c.-1 is A.
    recs = {(record("10", 123353330, "AT", "A"), "FGFR2"), (record("10", 123353329, "CA", "C"), "FGFR2"),
            (record("7", 117120150, "TG", "T"), "CFTR"), (record("7", 117120149, "AT", "A"), "CFTR")}  # fmt: skip
    for n, (rec, symbol) in enumerate(sorted(recs)):
        (v,) = load_genomics(write_plain(tmp_path / f"del{n}.vcf", vcf_text([rec])), db).genes[symbol].variants
        assert v.consequence == "start_codon" and "PVS1" in codes(v) and v.pathogenicity >= 0.9, rec


def test_coding_bounds_are_those_of_one_isoform(db, tmp_path):
    from raretrace.genomics.gene_model import coding_bounds

    # GENCODE's CDS records are the gene's, of all its isoforms; the bounds of each transcript are whole codons, but
    # where the frame column says by how much the reference breaks them
    for build in ("GRCh37", "GRCh38"):
        bounds = coding_bounds(build)
        rows = db.execute("SELECT symbol, chrom, exon_starts, exon_ends FROM gene_models WHERE build = ?", (build,))
        for symbol, chrom, starts, ends in rows:
            if (symbol, chrom) in bounds:
                cs, ce, _atg, frame = bounds[(symbol, chrom)]
                exons = zip(map(int, starts.split(",")), map(int, ends.split(",")), strict=True)
                assert sum(max(0, min(e, ce) - max(s, cs)) for s, e in exons) % 3 == frame, (build, symbol)
    proteins = {"LMNA": 664, "MECP2": 486, "INS": 110, "DMD": 3685, "SMN1": 294}  # lamin A, MeCP2 e2, Dp427m
    for symbol, length in proteins.items():
        g = gene(db, symbol)
        cs, ce, atg, _frame = coding_bounds("GRCh37")[(symbol, g.chrom)]
        assert sum(max(0, min(e, ce) - max(s, cs)) for s, e in g.exons) == 3 * length + 3 and atg, symbol
    # LMNA's 3' UTR (lamin A's stop codon ends at 156108897) and MECP2 e2's start codon (153357665-153357667;
    # the gene model's transcript is e2: exon 1's e1 start codon is in its 5' UTR)
    recs = [record("1", 156109000, "A", "G"), record("X", 153357666, "A", "G"), record("X", 153363121, "A", "G")]
    result = load_genomics(write_plain(tmp_path / "iso.vcf", vcf_text(recs)), db)
    assert "LMNA" not in result.genes  # a 3' UTR change: no candidate
    assert {v.pos: v.consequence for v in result.genes["MECP2"].variants} == {153357666: "start_codon",
                                                                               153363121: "5_prime_UTR"}  # fmt: skip


def test_genes_gencode_19_names_otherwise_have_their_proteins_coding_bounds(db, tmp_path):
    from raretrace.genomics.gene_model import coding_bounds

    # GENCODE 19's records name these genes LEPRE1, GPR98, DARC, B3GALTL, GLTPD1: found by position instead
    proteins = {"P3H1": 736, "ADGRV1": 6306, "ACKR1": 336, "B3GLCT": 498, "CPTP": 214}
    for symbol, length in proteins.items():
        g = gene(db, symbol)
        cs, ce, atg, _frame = coding_bounds("GRCh37")[(symbol, g.chrom)]
        assert sum(max(0, min(e, ce) - max(s, cs)) for s, e in g.exons) == 3 * length + 3 and atg, symbol
    # so a change of ADGRV1's coding sequence is told by its codon, not left "exonic"
    rec = record("5", 89914925, "T", "G")  # a codon's second base (Pfeiffer exome): TTA>TGA, TTG>TGG, CTN>CGN
    (v,) = load_genomics(write_plain(tmp_path / "adgrv1.vcf", vcf_text([rec])), db).genes["ADGRV1"].variants
    assert (v.consequence, v.hgvs) == ("stop_gained_or_missense", "p.(Leu127Ter or Arg or Trp) on UniProt Q8WXG9;"
                                       " fewer than three homologous proteins align here")  # fmt: skip
    assert v.pathogenicity == pytest.approx(0.76)  # below Arg3's in CFTR, which homologues keep


def test_a_deletion_of_untranslated_exons_says_so(db, tmp_path):
    # BMPR1A (GRCh37, plus strand, 13 exons): exons 1 and 2 untranslated, the start codon in exon 3
    bmpr1a = gene(db, "BMPR1A")
    s, e = bmpr1a.exons[1]
    rec = record(bmpr1a.chrom, s - 100, "N", "<DEL>", info=f"SVTYPE=DEL;END={e + 100}")
    (v,) = load_genomics(write_plain(tmp_path / "utrexon.vcf", vcf_text([rec])), db).genes["BMPR1A"].variants
    pvs1 = next(c for c in v.criteria if c.code == "PVS1")
    assert "untranslated" in pvs1.value and "taken as coding" not in pvs1.reason and "untranslated" in pvs1.reason


def test_grch38_coding_bounds_sit_at_the_grch37_transcript_offsets(db):
    from raretrace.genomics.gene_model import coding_bounds

    def offsets(g, bounds: tuple[int, int]) -> tuple[int, int]:
        """Exonic bases from the transcript's 5' end to the coding start, and to the coding end."""
        total = sum(e - s for s, e in g.exons)
        before = [sum(min(e, x) - s for s, e in g.exons if s < x) for x in bounds]
        return (before[0], before[1]) if g.strand == "+" else (total - before[1], total - before[0])

    b37, b38 = coding_bounds("GRCh37"), coding_bounds("GRCh38")
    for symbol in ("FGFR2", "CFTR", "KMT2D"):
        g37, g38 = gene(db, symbol), gene(db, symbol, "GRCh38")
        start, end = offsets(g37, b37[(symbol, g37.chrom)][:2])
        assert 0 <= start < end and (end - start) % 3 == 0, symbol  # whole codons, the stop codon included
        assert offsets(g38, b38[(symbol, g38.chrom)][:2]) == (start, end), symbol
        assert b37[(symbol, g37.chrom)][2] and b38[(symbol, g38.chrom)][2]  # GENCODE's start codon at the 5' bound


def test_frameshift_length_indel_outranks_inframe_and_snv(db, fgfr2, tmp_path):
    p = fgfr2.exonic(5)
    recs = [record("10", p - 3, "A", "G"), record("10", p, "AC", "A"), record("10", p + 6, "ACGT", "A")]
    result = load_genomics(write_plain(tmp_path / "i.vcf", vcf_text(recs)), db)
    by_pos = {v.pos: v.pathogenicity for v in result.genes["FGFR2"].variants}
    assert by_pos[p] > by_pos[p + 6] > by_pos[p - 3]  # p - 3: a protein-altering SNV (a codon's second base)


def test_no_population_frequency_means_no_pm2(db, fgfr2, tmp_path):
    result = load_genomics(write_plain(tmp_path / "n.vcf", vcf_text([record("10", fgfr2.exonic(2), "A", "G")])), db)
    assert "PM2" not in codes(result.genes["FGFR2"].variants[0])
    assert any("PM2 is not assessed" in w for w in result.summary.warnings)


# ------------------------------------------------------------------------------- samples and pedigrees


def test_multi_sample_file_needs_the_proband_named(db, fgfr2, tmp_path):
    pos = fgfr2.exonic(2)
    text = vcf_text([record("10", pos, "A", "G", "0/0", "1/1", "0/1")], samples=("dad", "kid", "mum"))
    path = write_plain(tmp_path / "m.vcf", text)
    with pytest.raises(RareTraceError) as err:
        load_genomics(path, db)
    assert "--sample" in one_line_error(err) and "dad" in str(err.value)
    result = load_genomics(path, db, sample="kid")
    assert result.summary.sample == "kid" and result.genes["FGFR2"].variants[0].genotype == "hom_alt"
    assert load_genomics(path, db, sample="mum").genes["FGFR2"].variants[0].genotype == "het"
    with pytest.raises(RareTraceError) as err:
        load_genomics(path, db, sample="grandma")
    assert "grandma" in one_line_error(err) and "kid" in str(err.value)


def test_trio_finds_de_novo_and_compound_heterozygosity(db, tmp_path):
    cftr = gene(db, "CFTR")
    fg = gene(db, "FGFR2")
    recs = sorted(
        [
            record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0"),  # de novo in the kid
            record("7", cftr.exonic(3), "C", "T", "0/1", "0/1", "0/0"),  # from dad
            record("7", cftr.exonic(6), "GA", "G", "0/0", "0/1", "0/1"),  # from mum: a frameshift-length deletion
        ],
        key=lambda r: (r.split("\t")[0], int(r.split("\t")[1])),
    )
    vcf = write_plain(tmp_path / "trio.vcf", vcf_text(recs, samples=("dad", "kid", "mum")))
    ped = write_ped(tmp_path / "trio.ped", ["F1 dad 0 0 1 1", "F1 mum 0 0 2 1", "F1 kid dad mum 2 2"])
    result = load_genomics(vcf, db, ped=ped)
    assert result.summary.sample == "kid" and result.trio and result.sex == "FEMALE"
    denovo = result.genes["FGFR2"].variants[0]
    # three sites cannot confirm parentage: the de novo call is assumed (PM6), not confirmed (PS2)
    assert denovo.de_novo is True and "PM6" in codes(denovo) and "PS2" not in codes(denovo)
    assert result.genes["FGFR2"].origins == ("de_novo",)
    cf = result.genes["CFTR"]
    assert sorted(cf.origins) == ["maternal", "paternal"]
    # PM3 for the variant in trans with one that looks pathogenic on its own (the deletion), not the other way
    by_ref = {v.ref: v for v in cf.variants}
    assert "PM3" in codes(by_ref["C"]) and "PM3" not in codes(by_ref["GA"])
    assert "in trans" in cf.genotype_summary


@pytest.mark.parametrize(("father", "phase_told"), [
    (("0/1", "0/0"), "in trans"),  # he carries one, not the other: that one is the mother's
    (("0/0", "0/1"), "in trans"),
    (("0/1", "0/1"), "phase unknown"),  # he may have passed a chromosome with both, or one of them
    (("0/0", "0/0"), "phase unknown"),  # both may be the mother's, or one de novo
])  # fmt: skip
def test_a_duo_tells_the_phase_of_two_variants_only_where_the_parent_carries_one(db, tmp_path, father, phase_told):
    # Two heterozygous CFTR variants, the father sequenced and the mother not. A father carrying one and not the other
    # left the phase unknown (no PM3), and one carrying both put them 'in cis' (the recessive fit set aside), though
    # with the mother unread he may have passed one and she the other.
    cftr = gene(db, "CFTR")
    recs = [record("7", cftr.exonic(3), "C", "T", "0/1", father[0]),
            record("7", cftr.exonic(6), "GA", "G", "0/1", father[1])]  # fmt: skip
    ped = write_ped(tmp_path / "duo.ped", ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"])
    found = load_genomics(write_plain(tmp_path / "duo.vcf", vcf_text(recs, samples=("kid", "dad"))), db, ped=ped,
                          sample="kid").genes["CFTR"]  # fmt: skip
    from raretrace.inheritance import evaluate_gene

    # the phase rests on the variant the father lacks being the mother's: the fit and the gene's summary say so in
    # PM3's words (they said 'in trans' as if a trio had told it)
    caveat = "the father lacks one, so in trans if it is the mother's, not de novo"
    fit_told = caveat if phase_told == "in trans" else phase_told
    assert evaluate_gene(found, "MALE")["AR"][2].startswith(f"two heterozygous variants ({fit_told})")
    summary = f"compound heterozygote: {caveat}" if phase_told == "in trans" else "possible compound heterozygote"
    assert f"({summary})" in found.genotype_summary
    pm3 = [c.value for v in found.variants for c in v.criteria if c.code == "PM3"]
    if phase_told == "in trans":  # the frameshift-length deletion is a partner that looks pathogenic on its own
        # said whichever of the two PM3 is of (the partner was named '(paternal)' alone where the lacked one was this
        # variant)
        presumed = "father 0/0, mother not sequenced, so in trans if it is the mother's, not de novo"
        told = f"(paternal; this variant: {presumed})" if father[1] == "0/1" else f"({presumed})"
        assert pm3 == [f"7:{cftr.exonic(6)} GA>G {told}"]
    else:
        assert pm3 == []
    # a trio whose mother is read carrying neither: both are the father's, in cis, as before
    trio = [r + "\t0/0" for r in recs]
    vcf = write_plain(tmp_path / "trio.vcf", vcf_text(trio, samples=("kid", "dad", "mum")))
    if father == ("0/1", "0/1"):
        assert "(on one haplotype: in cis)" in load_genomics(vcf, db, ped=ped, sample="kid").genes["CFTR"].genotype_summary



def test_one_variant_from_each_parent_is_in_trans_where_each_parent_has_a_no_call_at_the_others(db, tmp_path):
    # The father carries the first and has a no-call at the second, the mother the reverse: each variant is shown
    # 'from the father' and 'from the mother', as the origins read them, yet the parents' phase read the pair as
    # untold (it asked one parent to be called at both), so the gene said 'possible compound heterozygote' and the
    # fit 'phase unknown', with no PM3, where they said 'in trans' before the duo phase reading
    cftr = gene(db, "CFTR")
    recs = [record("7", cftr.exonic(3), "C", "T", "0/1", "0/1", "./."),
            record("7", cftr.exonic(6), "GA", "G", "./.", "0/1", "0/1")]  # fmt: skip
    vcf = write_plain(tmp_path / "trio.vcf", vcf_text(recs, samples=("dad", "kid", "mum")))
    ped = write_ped(tmp_path / "trio.ped", ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"])
    found = load_genomics(vcf, db, ped=ped, sample="kid").genes["CFTR"]
    from raretrace.inheritance import evaluate_gene

    assert sorted(found.origins) == ["maternal", "paternal"]
    assert "(compound heterozygote: in trans)" in found.genotype_summary
    assert evaluate_gene(found, "MALE")["AR"][2].startswith("two heterozygous variants (in trans)")
    assert [c.value for v in found.variants for c in v.criteria if c.code == "PM3"] == [
        f"7:{cftr.exonic(6)} GA>G (maternal)"]


TRIO = ("dad", "kid", "mum")
TRIO_PED = ["F1 dad 0 0 1 1", "F1 mum 0 0 2 1", "F1 kid dad mum 2 2"]


def _de_novo_trio(db, tmp_path, background: list[str], name: str = "trio", formats: tuple[str, ...] = ()):
    fg = gene(db, "FGFR2")
    recs = [record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0"), *background]
    vcf = write_plain(tmp_path / f"{name}.vcf", vcf_text(recs, samples=TRIO, infos=formats))
    return load_genomics(vcf, db, ped=write_ped(tmp_path / f"{name}.ped", TRIO_PED))


def test_a_de_novo_call_is_ps2_only_where_the_trio_calls_confirm_parentage(db, tmp_path):
    # ClinGen SVI (de novo, 2018): PS2 needs maternity and paternity confirmed, else PM6 (assumed de novo). The
    # parents' calls at 300 sites give the child's genotype: parentage is consistent, and the figure is shown (the
    # de novo call is itself the one inconsistency).
    result = _de_novo_trio(db, tmp_path, trio_background(TRIO, {"dad": "0/1", "kid": "0/1", "mum": "0/0"}))
    (ps2,) = [c for c in result.genes["FGFR2"].variants[0].criteria if c.code in ("PS2", "PM6")]
    assert ps2.code == "PS2" and ps2.strength == "strong"
    assert ps2.value == "father 0/0, mother 0/0; parentage consistent: 1 Mendelian inconsistency at 301 well-called " \
                        "sites (0.33%)"
    assert result.parentage is not None and result.parentage.confirmed
    assert not any("parentage" in w or "contradict" in w for w in result.summary.warnings)
    assert result.genes["FGFR2"].origins == ("de_novo",)  # confirmed: the ranking takes the de novo call


def test_a_swapped_father_turns_ps2_into_pm6_with_one_warning_naming_the_rate(db, tmp_path):
    # The 'father' is homozygous where the child has none of his allele at 150 of 300 sites: not the father (a
    # sample swap or non-paternity). The de novo call is then PM6, and the analysis says so once, with the rate.
    background = (trio_background(TRIO, {"dad": "1/1", "kid": "0/0", "mum": "0/0"}, n=150)
                  + trio_background(TRIO, {"dad": "0/1", "kid": "0/1", "mum": "0/1"}, n=150, start=17_100_000))
    result = _de_novo_trio(db, tmp_path, background)
    v = result.genes["FGFR2"].variants[0]
    assert v.de_novo is True and "PS2" not in codes(v)  # the origin shown is the calls'; the label is not
    # nor is the ranking: a de novo bonus (or an unaffected-parent penalty) resting on a parent who is not one
    assert result.genes["FGFR2"].origins == ("unknown",)
    (pm6,) = [c for c in v.criteria if c.code == "PM6"]
    assert pm6.strength == "moderate" and pm6.value.endswith(
        "parentage not confirmed: 151 Mendelian inconsistencies at 301 well-called sites (50.17%)")
    said = [w for w in result.summary.warnings if "contradict" in w]
    assert len(said) == 1 and "151 of 301 well-called sites (50.2%" in said[0] and "sample swap" in said[0]
    assert "no allele with the father at 150 sites, with the mother at 0" in said[0] and "PM6" in said[0]


def test_parentage_counts_only_well_called_sites(db, tmp_path):
    # Opposite homozygotes resting on shallow, low-quality calls (DP 3, GQ 5) are no evidence against parentage:
    # they are left out, as a weak parental reference call is for the de novo call itself.
    fmt = ('##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',)
    good = trio_background(TRIO, {"dad": "0/1", "kid": "0/1", "mum": "0/0"}, fmt="GT:DP:GQ", extra=":30:99")
    weak = trio_background(TRIO, {"dad": "1/1", "kid": "0/0", "mum": "0/0"}, n=100, start=17_100_000,
                           fmt="GT:DP:GQ", extra=":3:5")
    result = _de_novo_trio(db, tmp_path, good + weak, formats=fmt)
    assert result.parentage.sites == 301 and result.parentage.inconsistent == 1  # the de novo call
    assert "PS2" in codes(result.genes["FGFR2"].variants[0])


def test_too_few_trio_sites_leave_parentage_unchecked_and_say_so_once(db, tmp_path):
    result = _de_novo_trio(db, tmp_path, trio_background(TRIO, {"dad": "0/1", "kid": "0/1", "mum": "0/0"}, n=20))
    (pm6,) = [c for c in result.genes["FGFR2"].variants[0].criteria if c.code == "PM6"]
    assert pm6.value.endswith("parentage not checked: 21 well-called sites of the trio (under 200)")
    said = [w for w in result.summary.warnings if "parentage" in w]
    assert said == ["parentage could not be checked from the trio's calls (21 well-called autosomal sites where one "
                    "of them carries a variant; 200 needed): de novo calls are labelled PM6 (assumed de novo), not "
                    "PS2 (confirmed)"]


@pytest.mark.parametrize(("partner_clinvar", "label"), [("", "PM3 (supporting)"),
                                                         ("Likely_pathogenic", "PM3 (supporting)"),
                                                         ("Pathogenic/Likely_pathogenic", "PM3 (supporting)"),
                                                         ("Pathogenic", "PM3")])  # fmt: skip
def test_pm3_is_moderate_only_in_trans_with_a_variant_classified_pathogenic(db, tmp_path, partner_clinvar, label):
    # ClinGen SVI's PM3 (2019): in trans with a pathogenic variant 1 point (moderate), with a likely pathogenic one
    # 0.5 (supporting). A partner that only looks pathogenic here (a frameshift-length deletion) gave PM3 moderate.
    cftr = gene(db, "CFTR")
    info = f"CLNSIG={partner_clinvar}" if partner_clinvar else "."
    recs = [record("7", cftr.exonic(3), "C", "T", "0/1", "0/1", "0/0"),  # from dad
            record("7", cftr.exonic(6), "GA", "G", "0/0", "0/1", "0/1", info=info)]  # from mum
    clnsig = '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="ClinVar clinical significance">'
    vcf = write_plain(tmp_path / "trio.vcf", vcf_text(recs, samples=("dad", "kid", "mum"), infos=(clnsig,)))
    ped = write_ped(tmp_path / "trio.ped", ["F1 dad 0 0 1 1", "F1 mum 0 0 2 1", "F1 kid dad mum 2 2"])
    by_ref = {v.ref: v for v in load_genomics(vcf, db, ped=ped).genes["CFTR"].variants}
    (pm3,) = [c for c in by_ref["C"].criteria if c.code == "PM3"]
    assert pm3.label == label and pm3.value == f"7:{cftr.exonic(6)} GA>G (maternal)"


def test_pm3_names_a_symbolic_partner_as_the_variant_tables_do(db, tmp_path):
    # PM3's value names the variant in trans as REF>ALT: a <DEL> partner read '7:117227692 N><DEL> (maternal)' in
    # the evidence pane, the report and the JSON, where the variant tables name it '7:117227692 <DEL>' (the REF
    # base of a symbolic allele says nothing)
    cftr = gene(db, "CFTR")
    start, end = cftr.exons[11][0] - 100, cftr.exons[11][1] + 100  # exon 12, 95 bases: a frameshift
    recs = [record("7", cftr.exonic(3), "C", "T", "0/1", "0/1", "0/0"),  # from dad
            record("7", start, "N", "<DEL>", "0/0", "0/1", "0/1", info=f"SVTYPE=DEL;END={end}")]  # from mum
    vcf = write_plain(tmp_path / "trio.vcf", vcf_text(recs, samples=TRIO))
    ped = write_ped(tmp_path / "trio.ped", TRIO_PED)
    by_ref = {v.ref: v for v in load_genomics(vcf, db, ped=ped).genes["CFTR"].variants}
    (pm3,) = [c for c in by_ref["C"].criteria if c.code == "PM3"]
    assert pm3.value == f"7:{start} <DEL> (maternal)" == f"{by_ref['N'].where} (maternal)"


def _trio_with_a_paternal_variant(db, tmp_path) -> tuple[Path, Path]:
    """An affected kid's FGFR2 call carried by the unaffected father (VCF columns dad, kid, mum) and its PED."""
    fg = gene(db, "FGFR2")
    vcf = write_plain(
        tmp_path / "t.vcf",
        vcf_text([record("10", fg.exonic(2), "A", "G", "0/1", "0/1", "0/0")], samples=("dad", "kid", "mum")),
    )
    return vcf, write_ped(tmp_path / "t.ped", ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"])


def test_ped_ids_in_another_letter_case_than_the_vcf_samples_are_read_as_those_samples(db, tmp_path):
    # "DAD" in a LIMS-exported PED, "dad" in the caller's VCF: the father was silently dropped (a singleton read
    # where a trio was given, its de novo call lost), and a PED all in another case was refused
    fg = gene(db, "FGFR2")
    vcf = write_plain(tmp_path / "t.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0")],
                                                   samples=TRIO))  # fmt: skip
    for rows, said in ((["F DAD 0 0 1 1", "F mum 0 0 2 1", "F kid DAD mum 1 2"], "an individual in another letter "
                        "case than t.vcf's samples, read as those samples: DAD as dad"),
                       (["F Dad 0 0 1 1", "F Mum 0 0 2 1", "F Kid Dad Mum 1 2"], "3 individuals in another letter "
                        "case than t.vcf's samples, read as those samples: Dad as dad, Mum as mum, Kid as kid")):
        result = load_genomics(vcf, db, ped=write_ped(tmp_path / "t.ped", rows))
        assert result.trio and result.summary.sample == "kid" and result.genes["FGFR2"].origins == ("de_novo",)
        assert f"t.ped names {said}" in result.summary.warnings
    # a sample of that name already in the PED, or two samples that differ only in case: nothing is guessed
    two = write_plain(tmp_path / "two.vcf", vcf_text([record("10", fg.exonic(2), "A", "G", "0/0", "0/1", "0/0",
                                                            "0/0")], samples=(*TRIO, "Dad")))  # fmt: skip
    result = load_genomics(two, db, ped=write_ped(tmp_path / "t.ped", ["F DAD 0 0 1 1", "F mum 0 0 2 1",
                                                                      "F kid DAD mum 1 2"]))  # fmt: skip
    assert not result.trio and "the father (DAD) is in the PED file but not in the VCF" in result.summary.warnings


def test_a_parent_the_ped_calls_unaffected_is_not_analysed_as_the_patient(db, tmp_path):
    vcf, ped = _trio_with_a_paternal_variant(db, tmp_path)
    with pytest.raises(RareTraceError, match=r"sample 'mum' is unaffected in t.ped; choose the patient's sample \(affected: kid\)"):
        load_genomics(vcf, db, ped=ped, sample="mum")
    assert load_genomics(vcf, db, ped=ped, sample="kid").summary.sample == "kid"
    assert load_genomics(vcf, db, sample="mum").summary.sample == "mum"  # without a PED nothing says otherwise


def test_inherited_from_unaffected_parent_is_not_de_novo(db, tmp_path):
    vcf, ped = _trio_with_a_paternal_variant(db, tmp_path)
    gv = load_genomics(vcf, db, ped=ped).genes["FGFR2"]
    assert gv.variants[0].de_novo is False and gv.origins == ("paternal",)
    assert gv.variants[0].genotype_with_origin == "heterozygous (from the father)"  # as the table and PDF say it
    assert "PS2" not in codes(gv.variants[0])


# ------------------------------------------------------------------------------------------- builds


@pytest.mark.parametrize("build", ["GRCh37", "GRCh38"])
def test_build_is_read_from_contig_lengths(db, tmp_path, build):
    fg = gene(db, "FGFR2", build)
    result = load_genomics(write_plain(tmp_path / "b.vcf", vcf_text([record("10", fg.exonic(2), "A", "G")], build=build)), db)
    assert result.summary.assembly == build and "FGFR2" in result.genes


def test_declared_build_contradicting_the_header_is_an_error(db, tmp_path):
    path = write_plain(tmp_path / "b.vcf", vcf_text([record("1", 1000000, "A", "G")], build="GRCh37"))
    with pytest.raises(RareTraceError) as err:
        load_genomics(path, db, assembly="hg38")
    message = one_line_error(err)
    assert "GRCh37" in message and "GRCh38" in message and str(CONTIG_LENGTHS["GRCh37"]["1"]) in message


def test_unknown_build_needs_an_assembly(db, fgfr2, tmp_path):
    path = write_plain(tmp_path / "u.vcf", vcf_text([record("10", fgfr2.exonic(2), "A", "G")], build=None))
    with pytest.raises(RareTraceError) as err:
        load_genomics(path, db)
    assert "--assembly" in one_line_error(err)
    assert load_genomics(path, db, assembly="GRCh37").summary.assembly == "GRCh37"
    with pytest.raises(RareTraceError):
        load_genomics(path, db, assembly="GRCh37", declared_assembly="GRCh38")


# ------------------------------------------------------------------------------ chromosomes and alleles


def test_chr_prefixed_names_and_mitochondrial_genes(db, fgfr2, tmp_path):
    text = vcf_text(
        [record("chr10", fgfr2.exonic(2), "A", "G"), record("chrM", 3500, "G", "A", "0/1")], chrom_prefix="chr"
    )
    result = load_genomics(write_plain(tmp_path / "c.vcf", text), db)
    assert result.genes["FGFR2"].variants[0].chrom == "chr10"
    nd1 = result.genes["MT-ND1"]
    assert nd1.chrom == "MT" and nd1.variants[0].genotype == "heteroplasmic" and "MT" in nd1.mode_scores


def test_a_mitochondrial_call_shows_its_heteroplasmy_level(db, tmp_path):
    # Mutect2's mitochondrial mode gives the level in FORMAT AF (one per ALT; GT 0/1, 0/1/2 or 1), other callers AD:
    # "heteroplasmic" alone left out what a clinician weighs (m.3243A>G at 35% in blood).
    fields = ('##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fractions">',
              '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">')  # fmt: skip
    recs = [record("MT", 3243, "A", "G", "0/1:0.35", fmt="GT:AF"), record("MT", 8993, "T", "G,C", "0/1/2:0.4,0.1",
                                                                        fmt="GT:AF"),
            record("MT", 11778, "G", "A", "0/1:30,70", fmt="GT:AD"), record("MT", 13513, "G", "A", "1:0.98", fmt="GT:AF"),
            record("MT", 14484, "T", "C", "1")]  # fmt: skip
    text = vcf_text(recs).replace("##FORMAT=<ID=DP", "\n".join(fields) + "\n##FORMAT=<ID=DP")
    result = load_genomics(write_plain(tmp_path / "mt.vcf", text), db)
    shown = {(v.pos, v.alt): v.genotype_text for g in result.genes.values() for v in g.variants}
    assert shown == {(3243, "G"): "heteroplasmic at 35%", (8993, "G"): "heteroplasmic at 40%",
                     (8993, "C"): "heteroplasmic at 10%", (11778, "A"): "heteroplasmic at 70%",
                     (13513, "A"): "homoplasmic at 98%", (14484, "C"): "homoplasmic"}  # fmt: skip
    assert asdict(result.genes["MT-TL1"].variants[0])["allele_fraction"] == 0.35  # in the JSON


def test_multiallelic_records_are_split_per_allele(db, fgfr2, tmp_path):
    p = fgfr2.exonic(2)
    text = vcf_text([record("10", p, "A", "G,C", "1/2"), record("10", p + 3, "T", "A,G", "0/2")])
    result = load_genomics(write_plain(tmp_path / "ma.vcf", text), db)
    got = sorted((v.pos, v.alt, v.genotype, v.call) for v in result.genes["FGFR2"].variants)
    assert got == [(p, "C", "het", "1/2"), (p, "G", "het", "1/2"), (p + 3, "G", "het", "0/2")]
    assert result.counts["multiallelic"] == 2


def test_one_clinvar_value_on_a_multiallelic_record_goes_to_the_allele_its_clnhgvs_names(db, fgfr2, tmp_path):
    # ClinVar's VCF has one ALT per record; bcftools annotate copies its CLNSIG (Number=.) onto a multi-allelic
    # record as one value, which does not say which ALT it is about, so it was dropped for every allele, unsaid.
    # ClinVar's CLNHGVS names the allele: the value goes to the one ALT it describes; where none or several fit, it is
    # still dropped, and the summary says for how many records.
    infos = ('##INFO=<ID=CLNSIG,Number=.,Type=String,Description="ClinVar significance">',
             '##INFO=<ID=CLNHGVS,Number=.,Type=String,Description="ClinVar HGVS">',
             '##INFO=<ID=ALLELEID,Number=1,Type=Integer,Description="ClinVar allele ID">')  # fmt: skip
    p, q, r = fgfr2.exonic(2), fgfr2.exonic(3), fgfr2.exonic(4)
    recs = [record("10", p, "A", "G,C", "1/2", info=f"CLNSIG=Pathogenic;CLNHGVS=NC_000010.10:g.{p}A>C;ALLELEID=1"),
            # a deletion (GATK's 'GCA G,ACA': the HGVS names its last deleted bases, 3' shifted) and an SNV
            record("10", q, "AAT", "A,GAT", "1/2", info=f"CLNSIG=Likely_pathogenic;CLNHGVS=NC_000010.10:g.{q + 2}_{q + 3}del"),
            record("10", r, "A", "G,C", "1/2", info="CLNSIG=Pathogenic;ALLELEID=3")]  # nothing names the allele
    result = load_genomics(write_plain(tmp_path / "cv.vcf", vcf_text(recs, infos=infos)), db)
    got = {(v.pos, v.alt): v.clinvar for v in result.genes["FGFR2"].variants}
    assert {k: c for k, c in got.items() if k[0] != r} == {(p, "G"): "", (p, "C"): "pathogenic",
                                                            (q, "A"): "likely pathogenic", (q, "G"): ""}  # fmt: skip
    assert (r, "G") in got and not any(c for k, c in got.items() if k[0] == r)
    assert any(w.startswith("1 multi-allelic record has one ClinVar significance") for w in result.summary.warnings)


@pytest.mark.parametrize("number", ["A", "R"])
def test_a_per_allele_clinvar_value_is_split_by_the_headers_number(db, fgfr2, tmp_path, number):
    # A CLNSIG the header declares per allele (Number=A, or R with the REF's first) reaches RareTrace as one
    # comma-joined string (htslib gives String values whole): on a multi-allelic record it was dropped for every
    # allele, and on a one-ALT record a Number=R value read as the REF's and the ALT's together ("benign,pathogenic":
    # conflicting). ClinVar's own values hold ",_" ("Pathogenic/Likely_pathogenic,_other"), which joins no alleles.
    infos = (f'##INFO=<ID=CLNSIG,Number={number},Type=String,Description="ClinVar significance">',
             f'##INFO=<ID=CLNREVSTAT,Number={number},Type=String,Description="ClinVar review status">')  # fmt: skip
    of_ref = "" if number == "A" else "Benign,"  # Number=R: the REF's value first, no ALT's
    p, q = fgfr2.exonic(2), fgfr2.exonic(3)
    sig = f"{of_ref}Pathogenic/Likely_pathogenic,_other,Uncertain_significance"
    rev = f"{of_ref and '.,'}criteria_provided,_multiple_submitters,_no_conflicts,no_assertion_criteria_provided"
    recs = [record("10", p, "A", "G,C", "1/2", info=f"CLNSIG={sig};CLNREVSTAT={rev}"),
            record("10", q, "A", "G", info=f"CLNSIG={of_ref}Likely_pathogenic")]
    result = load_genomics(write_plain(tmp_path / "cv.vcf", vcf_text(recs, infos=infos)), db)
    got = {(v.pos, v.alt): (v.clinvar, next((c.value for c in v.criteria if c.code == "PP5"), ""))
           for v in result.genes["FGFR2"].variants}
    assert got[(p, "G")] == ("pathogenic/likely pathogenic, other",
                             "pathogenic/likely pathogenic, other (criteria provided, multiple submitters, no conflicts)")
    assert got[(p, "C")] == ("uncertain significance", "")
    assert got[(q, "G")] == ("likely pathogenic", "likely pathogenic")
    assert not any("ClinVar" in w for w in result.summary.warnings)


def test_a_substitution_padded_with_shared_bases_is_read_as_the_change_itself(db, tmp_path):
    # GATK and DeepVariant write a deletion and an SNV at one site as "GCA G,ACA"; FreeBayes writes haplotypes
    # ("TGC TAC"). Both ACA and TAC are CFTR's Trp19Ter (7:117144309 G>A), read before as a "coding" MNV of 0.6
    # with no PVS1.
    recs = [record("7", 117144309, "GCA", "G,ACA", "1/2")]
    multi = load_genomics(write_plain(tmp_path / "gatk.vcf", vcf_text(recs)), db).genes["CFTR"].variants
    stop = next(v for v in multi if v.alt == "A")
    assert (stop.where, stop.consequence, stop.call) == ("7:117144309 G>A", "stop_gained", "1/2")
    assert "PVS1" in codes(stop) and stop.hgvs.startswith("p.(Trp19Ter)")
    freebayes = load_genomics(write_plain(tmp_path / "fb.vcf", vcf_text([record("7", 117144308, "TGC", "TAC")])), db)
    (haplotype,) = freebayes.genes["CFTR"].variants
    assert (haplotype.pos, haplotype.ref, haplotype.alt, haplotype.consequence) == (117144309, "G", "A", "stop_gained")
    # a real MNV keeps its two changed bases, its shared ones trimmed
    mnv = load_genomics(write_plain(tmp_path / "mnv.vcf", vcf_text([record("7", 117144308, "TGCA", "TAGA")])), db)
    assert [(v.pos, v.ref, v.alt) for v in mnv.genes["CFTR"].variants] == [(117144309, "GC", "AG")]


def test_missing_and_haploid_genotypes(db, fgfr2, tmp_path):
    dmd = gene(db, "DMD")
    recs = [
        record("10", fgfr2.exonic(2), "A", "G", "./."),
        record("10", fgfr2.exonic(3), "A", "G", "0/."),
        record("10", fgfr2.exonic(4), "A", "G", "./1"),
        record("X", dmd.exonic(5), "C", "T", "1"),
    ]
    result = load_genomics(write_plain(tmp_path / "h.vcf", vcf_text(recs)), db)
    assert result.counts["no_call"] == 1 and result.counts["not_carried"] == 1
    assert [v.call for v in result.genes["FGFR2"].variants] == ["./1"]
    assert result.genes["DMD"].variants[0].genotype == "hemizygous"
    assert any("no genotype call" in w for w in result.summary.warnings)


def test_haploid_chrx_calls_tell_a_male_and_fit_x_linked_recessive_as_hemizygous(db, tmp_path):
    # A caller with ploidy 1 on a male's X (GATK -ploidy 1, some DRAGEN and DeepVariant setups) writes GT "1": only
    # diploid calls counted for the sex, so such a male stayed of unknown sex, his X calls "sex unknown".
    from raretrace.inheritance import fit_gene

    dmd = gene(db, "DMD")
    spread = [record("X", 10_000_000 + 1000 * i, "A", "G", "1") for i in range(60)]  # outside the PARs
    path = write_plain(tmp_path / "male.vcf", vcf_text([record("X", dmd.exonic(5), "C", "T", "1"), *spread]))
    result = load_genomics(path, db)
    assert (result.sex, result.sex_source) == ("MALE", "inferred from chrX")
    assert any(w.startswith("sex not given; 61 chrX genotypes (0% heterozygous, 61 haploid) suggest male")
               for w in result.summary.warnings)
    fit = fit_gene(result.genes["DMD"], {"XR"}, result.sex).fit
    assert fit.compatible and "fits: hemizygous:" in fit.explanation
    # a CNV caller's one-allele calls say nothing of the ploidy of the sample (GATK gCNV: GT 1 whatever the sex)
    cn = '##FORMAT=<ID=CN,Number=1,Type=Integer,Description="Copy number">'
    cnvs = [record("X", 10_000_000 + 10_000 * i, "N", "<DEL>", "1:1", fmt="GT:CN", info=f"END={10_000_500 + 10_000 * i}")
            for i in range(60)]  # fmt: skip
    text = vcf_text(cnvs).replace("##FORMAT=<ID=DP", cn + "\n##FORMAT=<ID=DP")
    assert load_genomics(write_plain(tmp_path / "gcnv.vcf", text), db).sex is None


def test_a_few_haploid_chrx_calls_tell_a_male_where_all_of_his_x_calls_are_haploid(db, tmp_path):
    # A lab's filtered VCF of candidates holds a handful of X calls; sex inference needed 50, so a male whose caller
    # wrote his X calls haploid (a ploidy it sets for a male) stayed of unknown sex. Diploid calls stay a statistic.
    dmd = gene(db, "DMD")
    few = [record("X", dmd.exonic(5), "C", "T", "1"), record("X", 10_000_000, "A", "G", "1"),
           record("X", 20_000_000, "A", "G", "1")]  # fmt: skip
    result = load_genomics(write_plain(tmp_path / "few.vcf", vcf_text(few)), db)
    assert (result.sex, result.sex_source) == ("MALE", "inferred from chrX")
    assert any(w.startswith("sex not given; 3 chrX genotypes (0% heterozygous, 3 haploid) suggest male")
               for w in result.summary.warnings)
    mixed = [*few, record("X", 30_000_000, "A", "G", "1/1")]  # one diploid call: not the caller's male ploidy
    assert load_genomics(write_plain(tmp_path / "mixed.vcf", vcf_text(mixed)), db).sex is None
    diploid = [record("X", 10_000_000 + 1000 * i, "A", "G", "1/1") for i in range(3)]
    assert load_genomics(write_plain(tmp_path / "diploid.vcf", vcf_text(diploid)), db).sex is None


def test_a_record_without_gt_in_its_format_is_a_missing_call_not_a_malformed_record(db, fgfr2, tmp_path):
    # GT is optional per record: one with DP only (a caller's site left without a genotype) was counted as a
    # malformed record, "could not be read", as though the file were damaged.
    recs = [record("10", fgfr2.exonic(2), "A", "G", "30", fmt="DP"), record("10", fgfr2.exonic(3), "A", "G", "0/1:30",
                                                                             fmt="GT:DP")]  # fmt: skip
    result = load_genomics(write_plain(tmp_path / "nogt.vcf", vcf_text(recs)), db)
    assert (result.counts["malformed"], result.counts["no_call"]) == (0, 1)
    assert [v.pos for v in result.genes["FGFR2"].variants] == [fgfr2.exonic(3)]
    assert "1 record has no genotype call for patient and was skipped" in result.summary.warnings
    assert not any("malformed" in w for w in result.summary.warnings)


def test_a_gvcf_is_said_to_be_one_and_its_reference_blocks_are_no_variants(db, fgfr2, tmp_path):
    # GATK's -ERC GVCF (<NON_REF>, ##GVCFBlock) and DeepVariant's gVCF (<*>, no header line of its own): a file of
    # many records and few variants, which the summary now names for what it is.
    p = fgfr2.exonic(2)
    gq = '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">'
    for other, header in (("<NON_REF>", ('##ALT=<ID=NON_REF,Description="Any other allele">',)), ("<*>", ())):
        recs = [record("10", p - 500, "C", other, "0/0:99", fmt="GT:GQ", info=f"END={p - 1}", filt="."),
                record("10", p, "A", f"G,{other}", "0/1:99", fmt="GT:GQ", filt="."),
                record("10", p + 1, "C", other, "0/0:99", fmt="GT:GQ", info=f"END={p + 900}", filt=".")]  # fmt: skip
        text = vcf_text(recs, infos=header).replace("##FORMAT=<ID=DP", gq + "\n##FORMAT=<ID=DP")
        result = load_genomics(write_plain(tmp_path / "patient.g.vcf", text), db)
        assert [(v.pos, v.alt) for v in result.genes["FGFR2"].variants] == [(p, "G")]
        assert result.counts["not_carried"] == 2 and result.counts["alleles_kept"] == 1
        assert any(w.startswith("patient.g.vcf is a gVCF: its reference blocks were passed over")
                   for w in result.summary.warnings)
    plain = load_genomics(write_plain(tmp_path / "plain.vcf", vcf_text([record("10", p, "A", "G")])), db)
    assert not any("gVCF" in w for w in plain.summary.warnings)


def test_homozygous_call_on_a_male_x_is_hemizygous(db, tmp_path):
    dmd = gene(db, "DMD")
    path = write_plain(tmp_path / "x.vcf", vcf_text([record("X", dmd.exonic(5), "C", "T", "1/1")]))
    assert load_genomics(path, db, sex="MALE").genes["DMD"].variants[0].genotype == "hemizygous"
    assert load_genomics(path, db, sex="FEMALE").genes["DMD"].variants[0].genotype == "hom_alt"


def test_filter_pass_by_default_configurable(db, fgfr2, tmp_path):
    recs = [record("10", fgfr2.exonic(2), "A", "G", filt="LowQual"), record("10", fgfr2.exonic(3), "A", "G", filt=".")]
    path = write_plain(tmp_path / "f.vcf", vcf_text(recs))
    default = load_genomics(path, db)
    assert default.counts["filtered"] == 1 and len(default.genes["FGFR2"].variants) == 1
    assert "1 record failed FILTER and was skipped" in " ".join(default.summary.warnings)  # one record: singular
    assert len(load_genomics(path, db, filters=None).genes["FGFR2"].variants) == 2
    assert len(load_genomics(path, db, filters={"PASS", ".", "LowQual"}).genes["FGFR2"].variants) == 2
    assert load_genomics(path, db, filters={"PASS"}).counts["filtered"] == 2


def test_structural_deletion_is_mapped_to_the_genes_it_overlaps(db, fgfr2, tmp_path):
    start = fgfr2.exons[3][0] - 100
    end = fgfr2.exons[6][1] + 100
    recs = [
        record("10", start, "N", "<DEL>", info=f"SVTYPE=DEL;END={end}"),
        record("10", fgfr2.intronic(8, 300), "N", "<DUP>", info="SVTYPE=DUP;SVLEN=50"),
        record("10", fgfr2.exonic(12), "N", "<DEL>"),
        record("10", fgfr2.exons[14][0] - 50, "N", "<DUP>", info=f"SVTYPE=DUP;END={fgfr2.exons[15][1] + 50}"),
    ]
    result = load_genomics(write_plain(tmp_path / "sv.vcf", vcf_text(recs)), db)
    variants = {v.pos: v for v in result.genes["FGFR2"].variants}
    deletion = variants[start]
    span = re.search(r"FGFR2: exons (\d+)-(\d+) of", deletion.hgvs)  # four exons, numbered in transcript order
    assert deletion.consequence == "structural" and span and int(span[2]) - int(span[1]) == 3
    assert deletion.where == f"10:{start} <DEL>"  # its REF base N says nothing: no "N><DEL>"
    assert "PVS1" in codes(deletion) and deletion.pathogenicity >= 0.9
    duplication = variants[fgfr2.exons[14][0] - 50]
    assert "PVS1" not in codes(duplication) and duplication.pathogenicity < deletion.pathogenicity
    assert result.counts["structural"] == 4 and result.counts["structural_without_end"] == 1
    assert any("END/SVLEN" in w for w in result.summary.warnings)



def test_a_structural_variant_gets_no_pm2_absent_from_a_small_variant_frequency_field(db, fgfr2, tmp_path):
    # A file annotated with gnomAD's allele frequency in INFO (bcftools annotate, vcfanno) leaves the field out of a
    # record gnomAD lacks, which says "absent" for an SNV; a symbolic <DEL> is never matched by such tables, so its
    # missing field says nothing. Before, a 30 kb deletion got PM2 "absent: not found in the population frequency
    # data". A frequency the record does state for it still counts.
    af = '##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD allele frequency">'
    start, end = fgfr2.exons[3][0] - 100, fgfr2.exons[6][1] + 100
    recs = [record("10", start, "N", "<DEL>", info=f"SVTYPE=DEL;END={end}"),
            record("10", fgfr2.exonic(12), "A", "G"),  # an SNV without the field: absent from gnomAD
            record("10", fgfr2.exons[14][0] - 50, "N", "<DEL>", info=f"SVTYPE=DEL;END={fgfr2.exons[15][1] + 50};"
                                                                     "gnomAD_AF=0.00001")]  # fmt: skip
    result = load_genomics(write_plain(tmp_path / "svaf.vcf", vcf_text(recs, infos=(af,))), db)
    variants = {v.pos: v for v in result.genes["FGFR2"].variants}
    deletion = variants[start]
    assert "PVS1" in codes(deletion) and "PM2" not in codes(deletion) and deletion.population_af is None
    snv = variants[fgfr2.exonic(12)]
    assert [c.value for c in snv.criteria if c.code == "PM2"] == ["absent"]
    stated = variants[fgfr2.exons[14][0] - 50]
    assert [c.value for c in stated.criteria if c.code == "PM2"] == ["gnomAD_AF=1e-05"]

def test_a_deletion_confined_to_a_utr_gets_no_pvs1_but_one_removing_a_coding_exon_does(db, tmp_path):
    # CFTR (GRCh37, plus strand, 27 exons): transcript 117120016-117308719 (0-based start), coding sequence
    # 117120149-117307162 (1-based; RefSeq NM_000492 and GENCODE agree)
    cftr = gene(db, "CFTR")
    assert (cftr.strand, cftr.tx_start, cftr.tx_end, len(cftr.exons)) == ("+", 117120016, 117308719, 27)
    last_start = cftr.exons[-1][0]
    utr3 = (cftr.tx_end - 1200, cftr.tx_end - 200)  # inside the last exon's 3' UTR
    utr5 = (cftr.tx_start - 2000, cftr.tx_start + 100)  # promoter and 5' UTR, ends before the start codon
    past_end = (cftr.tx_end - 500, cftr.tx_end + 2000)  # 3' UTR end and the downstream flank
    start_codon = (cftr.tx_start + 100, cftr.tx_start + 200)  # 5' UTR end, the ATG and the first coding bases
    exon11 = (cftr.exons[10][0] - 100, cftr.exons[10][1] + 100)  # a whole internal (coding) exon
    into_intron = (last_start - 300, last_start + 100)  # the last exon's acceptor: a splice site removed
    spans = {"utr3": utr3, "utr5": utr5, "past_end": past_end, "start_codon": start_codon, "exon11": exon11,
             "into_intron": into_intron}  # fmt: skip
    recs = [record("7", a, "N", "<DEL>", info=f"SVTYPE=DEL;END={b}") for a, b in sorted(spans.values())]
    result = load_genomics(write_plain(tmp_path / "utr.vcf", vcf_text(recs)), db)
    by_pos = {v.pos: v for v in result.genes["CFTR"].variants}
    # in the 3' UTR: scored as any 3' UTR change, below a candidate's floor (as an annotated 3_prime_UTR_variant)
    assert utr3[0] not in by_pos and past_end[0] not in by_pos
    found = {name: by_pos[spans[name][0]] for name in ("utr5", "start_codon", "exon11", "into_intron")}
    # the promoter and the 5' UTR: no coding sequence, but the transcription start goes, so more than a UTR change
    utr = found["utr5"]
    assert "PVS1" not in codes(utr) and 0.3 <= utr.pathogenicity <= 0.65
    assert "exon 1 of 27 with the transcript's 5' end: untranslated sequence only, the transcription start removed" in utr.hgvs
    coding = found["exon11"]
    pvs1 = next(c for c in coding.criteria if c.code == "PVS1")
    # (exon 11's 192 coding bases keep the frame: PVS1 by the share removed, test below)
    assert pvs1.value == "deletion of exon 11 of 27; in frame: 4.3% of the coding sequence" and coding.pathogenicity >= 0.9
    # the start codon in the first exon: coding sequence removed (before the coding bounds were bundled, a deletion
    # inside the first exon could not be told from a 5' UTR one and got no PVS1)
    start = next(c for c in found["start_codon"].criteria if c.code == "PVS1")
    assert start.strength == "very_strong" and "removes coding sequence" in start.reason
    assert found["start_codon"].pathogenicity >= 0.9
    assert "part of exon 27 of 27 (100 of its 1,758 bp) across its exon-intron boundary" in next(
        c.value for c in found["into_intron"].criteria if c.code == "PVS1")  # fmt: skip
    dup = record("7", start_codon[0], "N", "<DUP>", info=f"SVTYPE=DUP;END={start_codon[1]}")
    (duplication,) = load_genomics(write_plain(tmp_path / "dup.vcf", vcf_text([dup])), db).genes["CFTR"].variants
    assert "PVS1" not in codes(duplication) and duplication.pathogenicity < coding.pathogenicity
    # a symbolic deletion is scored as the same deletion written out with its bases
    a = cftr.tx_start + 20  # 60 bases of the 5' UTR
    written = record("7", a, "ACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTA", "A")
    symbolic = record("7", a, "N", "<DEL>", info=f"SVTYPE=DEL;END={a + 60}")
    same = [load_genomics(write_plain(tmp_path / f"{n}.vcf", vcf_text([r])), db).genes["CFTR"].variants[0]
            for n, r in (("written", written), ("symbolic", symbolic))]  # fmt: skip
    assert same[0].pathogenicity == same[1].pathogenicity and not codes(same[0]) | codes(same[1])
    assert same[1].pathogenicity <= 0.1 and "exon 1 of 27: untranslated sequence (UTR) only" in same[1].hgvs


def test_a_deletion_of_the_last_exon_or_in_frame_is_pvs1_strong_or_moderate_by_the_share_it_removes(db, tmp_path):
    # ClinGen's PVS1 tree (Abou Tayoun 2018): a deletion that takes the last exon leaves no exon junction after a
    # premature stop, so nonsense-mediated decay is not predicted; PVS1 is strong where over 10% of the protein goes
    # (or a critical region), moderate otherwise. Every deletion of coding sequence was PVS1 very strong.
    cftr = gene(db, "CFTR")  # plus strand, 27 exons, 4,443 coding bases: exon 27 has 201, 26 106, 25 173
    exon = lambda n: cftr.exons[n - 1]  # noqa: E731
    spans = {"last": (exon(27)[0] - 300, cftr.tx_end + 500),  # 4.5% of the coding sequence
             "last_three": (exon(25)[0] - 300, cftr.tx_end + 500),  # 10.8%
             "internal": (exon(12)[0] - 100, exon(12)[1] + 100)}  # fmt: skip  # 95 bases: the frame shifted
    recs = [record("7", a, "N", "<DEL>", info=f"SVTYPE=DEL;END={b}") for a, b in sorted(spans.values())]
    by_pos = {v.pos: v for v in load_genomics(write_plain(tmp_path / "last.vcf", vcf_text(recs)), db).genes["CFTR"].variants}
    pvs1 = {name: next(c for c in by_pos[span[0]].criteria if c.code == "PVS1") for name, span in spans.items()}
    assert pvs1["last"].strength == "moderate"
    assert pvs1["last"].value == ("deletion of exon 27 of 27 across its exon-intron boundary (splice site); the last "
                                  "exon: 4.5% of the coding sequence")  # fmt: skip
    assert "nonsense-mediated decay is not predicted" in pvs1["last"].reason and "10%" in pvs1["last"].reason
    assert pvs1["last_three"].strength == "strong" and pvs1["last_three"].value.endswith("10.8% of the coding sequence")
    assert pvs1["internal"].strength == "very_strong" and pvs1["internal"].value == "deletion of exon 12 of 27"
    # whole internal exons whose coding bases are a whole number of codons keep the frame: no truncation, so the tree
    # weighs the share removed as for the last exon (exon 11, 192 bases: 4.3%; exons 22-24, 495: 11.1%); a deletion
    # ending inside an exon cannot be read so (its splicing is not known)
    inframe = {"exon11": (exon(11)[0] - 100, exon(11)[1] + 100), "exons22_24": (exon(22)[0] - 100, exon(24)[1] + 100),
               "part": (exon(11)[0] - 50, exon(11)[0] + 30)}  # fmt: skip
    recs = [record("7", a, "N", "<DEL>", info=f"SVTYPE=DEL;END={b}") for a, b in sorted(inframe.values())]
    by_pos = {v.pos: v for v in load_genomics(write_plain(tmp_path / "inf.vcf", vcf_text(recs)), db).genes["CFTR"].variants}
    found = {name: next(c for c in by_pos[span[0]].criteria if c.code == "PVS1") for name, span in inframe.items()}
    assert (found["exon11"].strength, found["exon11"].value) == (
        "moderate", "deletion of exon 11 of 27; in frame: 4.3% of the coding sequence")
    assert "reading frame kept" in found["exon11"].reason and "critical region not checked" in found["exon11"].reason
    assert found["exons22_24"].strength == "strong" and found["part"].strength == "very_strong"
    # the whole transcript is no truncation: very strong
    whole = record("7", cftr.tx_start - 100, "N", "<DEL>", info=f"SVTYPE=DEL;END={cftr.tx_end + 100}")
    (gone,) = load_genomics(write_plain(tmp_path / "whole.vcf", vcf_text([whole])), db).genes["CFTR"].variants
    assert [(c.code, c.strength) for c in gone.criteria if c.code == "PVS1"] == [("PVS1", "very_strong")]


def test_an_annotated_exon_loss_is_weighed_by_the_pvs1_tree_as_a_symbolic_deletion_is(db, tmp_path):
    # A deletion written out in full (Manta's and DRAGEN's smaller SVs) that SnpEff calls exon_loss_variant was PVS1
    # very strong as annotated, where the same span as a <DEL> gets ClinGen's tree from the gene model: in frame
    # (CFTR exon 11, 4.3%) moderate, the last exon by the share removed. The consequence shown is the annotation's.
    cftr = gene(db, "CFTR")
    exon = lambda n: cftr.exons[n - 1]  # noqa: E731
    spans = {"exon11": (exon(11)[0] - 100, exon(11)[1] + 100), "exon12": (exon(12)[0] - 100, exon(12)[1] + 100),
             "last": (exon(27)[0] - 300, exon(27)[0] + 400)}  # fmt: skip
    ann = "A|exon_loss_variant|HIGH|CFTR|CFTR|transcript|NM_000492.3|protein_coding|11/27|c.1210-?_1584+?del||||||"
    recs = [record("7", a, "A" * (b - a + 1), "A", info=f"ANN={ann}") for a, b in sorted(spans.values())]
    by_pos = {v.pos: v for v in load_genomics(write_plain(tmp_path / "el.vcf", vcf_text(recs, infos=(ANN_HEADER,))),
                                              db).genes["CFTR"].variants}  # fmt: skip
    found = {name: by_pos[span[0]] for name, span in spans.items()}
    pvs1 = {name: next(c for c in v.criteria if c.code == "PVS1") for name, v in found.items()}
    assert all(v.consequence == "exon_loss_variant" and v.pathogenicity == 1.0 for v in found.values())
    assert (pvs1["exon11"].strength, pvs1["exon11"].value) == (
        "moderate", "exon_loss_variant; deletion of exon 11 of 27; in frame: 4.3% of the coding sequence")
    assert pvs1["exon12"].strength == "very_strong"  # 95 bases: the frame shifted
    assert pvs1["last"].strength == "moderate" and "the last exon" in pvs1["last"].value


def test_an_unannotated_deletion_written_out_that_holds_whole_exons_is_read_as_a_symbolic_deletion_is(db, tmp_path):
    # A deletion written out in full (Manta's and DRAGEN's smaller SVs), with no annotation, that removes whole exons
    # was read as the splice site change its ends make: "splice donor site", PVS1 very strong, where a <DEL> of the
    # same span gets ClinGen's tree for exon deletions (in frame or the last exon: strong or moderate by the share).
    cftr = gene(db, "CFTR")
    exon = lambda n: cftr.exons[n - 1]  # noqa: E731
    spans = {"exon11": (exon(11)[0] - 100, exon(11)[1] + 100), "exon12": (exon(12)[0] - 100, exon(12)[1] + 100),
             "exons22_24": (exon(22)[0] - 100, exon(24)[1] + 100), "last": (exon(27)[0] - 300, cftr.tx_end + 500)}

    def read(kind: str) -> dict:
        if kind == "written":
            recs = [record("7", a, "A" * (b - a + 1), "A") for a, b in sorted(spans.values())]
        else:
            recs = [record("7", a, "N", "<DEL>", info=f"SVTYPE=DEL;END={b}") for a, b in sorted(spans.values())]
        found = load_genomics(write_plain(tmp_path / f"{kind}.vcf", vcf_text(recs)), db).genes["CFTR"].variants
        by_pos = {v.pos: v for v in found}
        return {name: by_pos[span[0]] for name, span in spans.items()}

    written, symbolic = read("written"), read("symbolic")
    for name in spans:
        w, s = written[name], symbolic[name]
        assert (w.consequence, w.pathogenicity, w.hgvs) == (s.consequence, s.pathogenicity, s.hgvs), name
        assert [(c.code, c.strength, c.value) for c in w.criteria] == [(c.code, c.strength, c.value) for c in s.criteria]
    assert [(c.strength, c.value) for c in written["exon11"].criteria if c.code == "PVS1"] == [
        ("moderate", "deletion of exon 11 of 27; in frame: 4.3% of the coding sequence")]
    assert written["exon11"].hgvs == f"DEL {spans['exon11'][0] + 1}-{spans['exon11'][1]} (392 bp; CFTR: exon 11 of 27)"
    # a deletion across one exon boundary, no exon whole with it, stays the splice site change it is
    for at, length in ((exon(11)[1] - 2, 5), (exon(11)[0] - 50, 80)):
        rec = record("7", at, "A" * (length + 1), "A")
        (small,) = load_genomics(write_plain(tmp_path / "small.vcf", vcf_text([rec])), db).genes["CFTR"].variants
        assert small.consequence in ("splice_donor_site", "splice_acceptor_site") and small.pathogenicity == 0.8
        assert [(c.code, c.strength) for c in small.criteria] == [("PVS1", "very_strong")]


def test_a_deletion_of_part_of_an_exon_says_so_with_the_bases_it_takes(db, tmp_path):
    # A <DEL> taking 30 of exon 11's 192 bases read "deletion of exon 11 of 27", as a deletion of the whole exon does;
    # the variant's description and PVS1's value (the JSON, the PDF and the GUI show both) now say which part.
    cftr = gene(db, "CFTR")  # plus strand, 27 exons: exon 11 has 192 bases, exon 12 95, exon 13 87
    exon = lambda n: cftr.exons[n - 1]  # noqa: E731
    spans = {"across": (exon(11)[0] - 50, exon(11)[0] + 30),  # its acceptor and first 30 bases
             "inside": (exon(11)[0] + 40, exon(11)[0] + 90),  # 50 bases inside it
             "ends": (exon(11)[1] - 20, exon(13)[0] + 10),  # its last 20, exon 12 whole, exon 13's first 10
             "whole": (exon(12)[0] - 100, exon(12)[1] + 100)}  # fmt: skip
    recs = [record("7", a, "N", "<DEL>", info=f"SVTYPE=DEL;END={b}") for a, b in sorted(spans.values())]
    by_pos = {v.pos: v for v in load_genomics(write_plain(tmp_path / "part.vcf", vcf_text(recs)), db).genes["CFTR"].variants}
    found = {name: by_pos[span[0]] for name, span in spans.items()}
    pvs1 = {name: next(c.value for c in v.criteria if c.code == "PVS1") for name, v in found.items()}
    assert pvs1 == {
        "across": "deletion of part of exon 11 of 27 (30 of its 192 bp) across its exon-intron boundary (splice site)",
        "inside": "deletion of part of exon 11 of 27 (50 of its 192 bp)",
        "ends": "deletion of exons 11-13 of 27 (exon 11 in part: 20 of its 192 bp; exon 13 in part: 10 of its 87 bp)",
        "whole": "deletion of exon 12 of 27"}  # fmt: skip
    assert found["inside"].hgvs == (f"DEL {spans['inside'][0] + 1}-{spans['inside'][1]} (50 bp; CFTR: part of exon 11 "
                                    "of 27 (50 of its 192 bp))")  # fmt: skip


def test_exons_joined_by_an_alignment_gap_count_as_one_in_a_deletions_exon_count(db, tmp_path):
    # EMG1's first exon is split in two by a 1-bp gap of GRCh37 (a base the mRNA lacks, gene_model.MIN_INTRON): its
    # transcript has 6 exons, and a <DEL> of its third read "exon 3 of 7", the parts counted as exons.
    emg1 = gene(db, "EMG1")
    assert len(emg1.exons) == 7 and emg1.exons[1][0] - emg1.exons[0][1] == 1
    a, b = emg1.exons[3][0] - 50, emg1.exons[3][1] + 50
    rec = record("12", a, "N", "<DEL>", info=f"SVTYPE=DEL;END={b}")
    (deletion,) = load_genomics(write_plain(tmp_path / "gap.vcf", vcf_text([rec])), db).genes["EMG1"].variants
    assert deletion.hgvs.endswith("EMG1: exon 3 of 6)")
    assert [c.value for c in deletion.criteria if c.code == "PVS1"] == ["deletion of exon 3 of 6"]


def test_a_long_deletion_written_out_finds_a_small_gene_lying_wholly_inside_it(db, tmp_path):
    # The gene lookup of a record written out with its bases read only its first and last base, so a deletion of more
    # than ~10 kb (a gene's window is its transcript and 5 kb each side) skipped a small gene lying inside it: HES1
    # (2.6 kb, the nearest gene 200 kb away) was not in the result at all, where the same <DEL> removes the whole gene.
    hes1 = gene(db, "HES1")
    a, b = hes1.tx_start - 6000, hes1.tx_end + 6000
    found = {}
    for name, rec in (("written", record("3", a, "A" * (b - a + 1), "A")),
                      ("symbolic", record("3", a, "N", "<DEL>", info=f"SVTYPE=DEL;END={b}"))):  # fmt: skip
        result = load_genomics(write_plain(tmp_path / f"{name}.vcf", vcf_text([rec])), db)
        assert "HES1" in result.genes, name
        (found[name],) = result.genes["HES1"].variants
    written, symbolic = found["written"], found["symbolic"]
    assert (written.consequence, written.hgvs, written.pathogenicity) == (
        symbolic.consequence, symbolic.hgvs, symbolic.pathogenicity)
    assert [(c.code, c.strength, c.value) for c in written.criteria] == [
        ("PVS1", "very_strong", "deletion of the whole transcript (4 exons)")]


def test_a_splice_site_pvs1_says_where_the_change_lies_against_the_exon(db, fgfr2, tmp_path):
    # PVS1's value read "splice donor site" for a change at +1, at +2 or across the exon's end alike; it now carries
    # the intron offset on the gene's strand (c.-style: +1/+2 after an exon's 3' end, -1/-2 before its 5' start),
    # and in words the exon it counts from ("-5, intron 27" left the lab reader to work out that it is exon 28).
    cftr = gene(db, "CFTR")  # plus strand: exon 11's 3' end is its genomic end (0-based half-open exons, 1-based POS)
    end11, start12 = cftr.exons[10][1], cftr.exons[11][0]
    recs = [record("7", end11 + 1, "G", "A"), record("7", end11 + 2, "T", "C"),  # +1, +2
            record("7", start12 - 1, "A", "G"), record("7", start12, "G", "C"),  # -2, -1
            record("7", end11 - 2, "AAAAAA", "A")]  # fmt: skip  # exon 11's last 2 bases and +1 to +3
    by_pos = {v.pos: v for v in load_genomics(write_plain(tmp_path / "cftr.vcf", vcf_text(recs)), db).genes["CFTR"].variants}
    pvs1 = {pos: next(c.value for c in v.criteria if c.code == "PVS1") for pos, v in by_pos.items()}
    assert pvs1 == {
        end11 + 1: "splice donor site, 1 base after exon 11 (+1, intron 11)",
        end11 + 2: "splice donor site, 2 bases after exon 11 (+2, intron 11)",
        start12 - 1: "splice acceptor site, 2 bases before exon 12 (-2, intron 11)",
        start12: "splice acceptor site, 1 base before exon 12 (-1, intron 11)",
        end11 - 2: "splice donor site, crossing the exon boundary: exon 11's last 2 bases and +1 to +3 of intron 11"}  # fmt: skip
    # intron 11 whole, with 10 bases of each exon beside it (no exon whole: no exon deletion)
    rec = record("7", end11 - 10, "A" * (start12 - end11 + 21), "A")
    (both,) = load_genomics(write_plain(tmp_path / "intron.vcf", vcf_text([rec])), db).genes["CFTR"].variants
    assert [c.value for c in both.criteria if c.code == "PVS1"] == [
        "splice acceptor site, crossing intron 11 whole, both its splice sites"]
    # FGFR2 is on the minus strand (18 exons): an exon's genomic end is its 5' start, the acceptor, and the exon
    # ascending index 4 is exon 14 of 18; the base after it is -1 of intron 13, the insertion before it -2 and -1
    end4 = fgfr2.exons[4][1]
    recs = [record("10", end4 + 1, "A", "AGG"), record("10", end4 + 1, "A", "G"), record("10", end4 + 2, "A", "G")]
    by_pos = {(v.pos, v.alt): v for v in load_genomics(write_plain(tmp_path / "fgfr2.vcf", vcf_text(recs)),
                                                       db).genes["FGFR2"].variants}  # fmt: skip
    pvs1 = {pos: next(c.value for c in v.criteria if c.code == "PVS1") for pos, v in by_pos.items()}
    assert pvs1 == {(end4 + 1, "AGG"): "splice acceptor site, insertion 1 base before exon 14 (between -2 and -1, intron 13)",
                    (end4 + 1, "G"): "splice acceptor site, 1 base before exon 14 (-1, intron 13)",
                    (end4 + 2, "G"): "splice acceptor site, 2 bases before exon 14 (-2, intron 13)"}  # fmt: skip
    # the donor of the same exon 14 is at its ascending start: the intron after it (14) counts from it, "after"
    start4 = fgfr2.exons[4][0]
    (donor,) = load_genomics(write_plain(tmp_path / "fgfr2d.vcf", vcf_text([record("10", start4, "C", "T")])),
                             db).genes["FGFR2"].variants  # fmt: skip
    assert [c.value for c in donor.criteria if c.code == "PVS1"] == [
        "splice donor site, 1 base after exon 14 (+1, intron 14)"]


def test_a_splice_region_change_and_a_splice_site_between_untranslated_exons_say_where_they_lie(db, tmp_path):
    # Neither gets PVS1, whose value told a splice site's place ('+1, intron 11'): a change at +3 to +8 or -3 to -8,
    # and a splice site of an untranslated intron, had no description at all, and the clinician worked the offset
    # out from the coordinates. Their description (JSON hgvs, the PDF, the GUI) now tells it, as PVS1 does.
    cftr = gene(db, "CFTR")
    end11, start12 = cftr.exons[10][1], cftr.exons[11][0]
    recs = [record("7", end11 + 3, "G", "A"), record("7", end11 + 8, "T", "C"), record("7", end11 + 4, "GAA", "G"),
            record("7", start12 - 2, "A", "G")]  # fmt: skip
    by_pos = {v.pos: v for v in load_genomics(write_plain(tmp_path / "cftr.vcf", vcf_text(recs)), db).genes["CFTR"].variants}
    assert {pos: (v.consequence, v.hgvs) for pos, v in by_pos.items()} == {
        end11 + 3: ("splice_region", "3 bases after exon 11 (+3, intron 11)"),
        end11 + 8: ("splice_region", "8 bases after exon 11 (+8, intron 11)"),
        end11 + 4: ("splice_region", "5 to 6 bases after exon 11 (+5 to +6, intron 11)"),
        start12 - 2: ("splice_region", "3 bases before exon 12 (-3, intron 11)")}
    assert not any(v.criteria for v in by_pos.values())  # nothing else changed
    # ID3 (minus strand, 3 exons; test_a_splice_site_between_untranslated_exons_gets_no_pvs1): the acceptor of the
    # 3' UTR's intron, before its last exon
    rec = record("1", 23884907, "A", "G")
    (utr,) = load_genomics(write_plain(tmp_path / "id3.vcf", vcf_text([rec])), db).genes["ID3"].variants
    assert utr.consequence == "3_prime_UTR_splice_acceptor_site" and not utr.criteria
    assert utr.hgvs == "1 base before exon 3 (-1, intron 2); between untranslated exons: no coding sequence changed, PVS1 not applied"


def test_a_deletion_of_a_splice_site_without_an_exon_is_scored_as_the_same_deletion_written_out(db, fgfr2, tmp_path):
    # A <DEL> of intronic bases that takes a canonical splice site (+/-1-2) but no exon scored 0.1, as deep in an
    # intron, with no PVS1, where the same deletion written out with its bases is a splice site (0.8, PVS1); in the
    # splice region (+3-8) 0.1 against 0.4.
    end = fgfr2.exons[8][1]  # 0-based end of an exon: the next bases are an intron's first

    def one(alt_or_info: str, at: int, length: int, name: str):
        if alt_or_info == "written":
            rec = record("10", at, "A" + "C" * length, "A")
        else:
            rec = record("10", at, "N", "<DEL>", info=f"SVTYPE=DEL;END={at + length}")
        return load_genomics(write_plain(tmp_path / f"{name}.vcf", vcf_text([rec])), db).genes["FGFR2"].variants[0]

    for at, length in ((end, 30), (end, 31), (end + 3, 40)):  # from +1; from +1, frameshift length; from +4
        written, symbolic = one("written", at, length, "w"), one("symbolic", at, length, "s")
        assert symbolic.pathogenicity == written.pathogenicity and symbolic.consequence == written.consequence
        assert [(c.code, c.strength) for c in symbolic.criteria] == [(c.code, c.strength) for c in written.criteria]
    assert one("symbolic", end, 30, "s").pathogenicity >= 0.8 and "PVS1" in codes(one("symbolic", end, 30, "s"))
    assert "PVS1" not in codes(one("symbolic", end + 3, 40, "s"))
    # GJB2's first exon and its intron are untranslated (minus strand): its donor's deletion changes no coding
    # sequence, no PVS1, as written out
    gjb2 = gene(db, "GJB2")
    at = gjb2.exons[-1][0] - 30
    rec = record("13", at, "N", "<DEL>", info=f"SVTYPE=DEL;END={at + 30}")
    (utr,) = load_genomics(write_plain(tmp_path / "gjb2.vcf", vcf_text([rec])), db).genes["GJB2"].variants
    assert utr.consequence == "5_prime_UTR_splice_donor_site" and "PVS1" not in codes(utr)


def test_a_deletion_of_half_a_single_exon_gene_or_more_removes_coding_sequence(db, tmp_path):
    # SOX2 has one exon, both first and last: a deletion of most of it is a loss of function, a short one near its
    # end may lie in a UTR
    sox2 = gene(db, "SOX2")
    ((ex_start, ex_end),) = sox2.exons
    length = ex_end - ex_start
    most = (ex_start + length // 4, ex_end - length // 5)
    tail = (ex_end - length // 10, ex_end - 20)
    recs = [record(sox2.chrom, a, "N", "<DEL>", info=f"SVTYPE=DEL;END={b}") for a, b in (most, tail)]
    by_pos = {v.pos: v for v in load_genomics(write_plain(tmp_path / "sox2.vcf", vcf_text(recs)), db).genes["SOX2"].variants}
    deleted = by_pos[most[0]]
    assert "PVS1" in codes(deleted) and deleted.pathogenicity >= 0.9
    assert "of the only exon, coding sequence included" in deleted.hgvs
    assert tail[0] not in by_pos  # in the 3' UTR (SOX2's coding bounds are known): no candidate


# ------------------------------------------------------------------------------------------ annotation


CSQ_HEADER = (
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
    'Format: Allele|Consequence|IMPACT|SYMBOL|Gene|HGVSc|HGVSp|CANONICAL|gnomADe_AF|CLIN_SIG|REVEL|CADD_PHRED">'
)


def test_vep_csq_gives_consequence_frequency_clinvar_and_scores(db, fgfr2, tmp_path):
    csq_stop = "T|stop_gained|HIGH|GENEA|ENSG1|NM_1.1:c.100C>T|NP_1.1:p.Arg34Ter|YES|0.00001|pathogenic||40"
    csq_miss = "A|missense_variant|MODERATE|GENEB|ENSG2|NM_2.1:c.5G>A|NP_2.1:p.Gly2Asp|YES|0.2|benign|0.1|3"
    csq_rare = "C|missense_variant|MODERATE|GENEC|ENSG3|NM_3.1:c.7T>C|NP_3.1:p.Leu3Pro|YES||likely_pathogenic|0.9|28"
    recs = [
        record("1", 1000000, "C", "T", info=f"CSQ={csq_stop}"),
        record("1", 2000000, "G", "A", info=f"CSQ={csq_miss}"),
        record("1", 3000000, "T", "C", info=f"CSQ={csq_rare}"),
    ]
    result = load_genomics(write_plain(tmp_path / "csq.vcf", vcf_text(recs, infos=(CSQ_HEADER,))), db)
    assert "VEP CSQ" in result.annotation
    stop = result.genes["GENEA"].variants[0]
    assert stop.consequence == "stop_gained" and stop.hgvs == "NM_1.1:c.100C>T (NP_1.1:p.Arg34Ter)"
    assert {"PVS1", "PM2", "PP5"} <= codes(stop) and stop.population_af == pytest.approx(1e-5)
    assert stop.scores["CADD"] == 40 and stop.pathogenicity > 0.9
    pm2 = next(c for c in stop.criteria if c.code == "PM2")
    assert "gnomADe_AF" in pm2.value
    assert "GENEB" not in result.genes  # common, benign, REVEL 0.1: not a candidate
    rare = result.genes["GENEC"].variants[0]
    assert {"PM2", "PP3", "PP5"} <= codes(rare)
    assert next(c for c in rare.criteria if c.code == "PM2").value == "absent"
    assert next(c for c in rare.criteria if c.code == "PP3").value.startswith("REVEL=0.9")
    # shown as: the frequency; "absent" from the file's population data; never "absent" without such data
    assert (stop.population_af_text, rare.population_af_text) == ("1e-05", "absent")
    plain = write_plain(tmp_path / "plain.vcf", vcf_text([record("10", fgfr2.exonic(2), "A", "G")]))
    unannotated = load_genomics(plain, db).genes["FGFR2"].variants[0]
    assert unannotated.population_af_text == "no data"


def test_an_annotated_missense_without_scores_is_weighed_by_conservation(db, tmp_path):
    # CFTR's Pro5 and Val12 (UniProt P13569; kept by >= 90% and 20-29% of homologues) as VEP names them; a REVEL
    # score or another isoform's numbering (Gly at 5 is not this protein's) leaves the missense prior to the file.
    def csq(pos, hgvs_p, ref, alt, revel=""):
        return record("7", pos, ref, alt, info="CSQ=" + "|".join(
            [alt, "missense_variant", "MODERATE", "CFTR", "ENSG00000001626", "", hgvs_p, "YES", "", "", revel, ""]))

    recs = {"kept": csq(117120161, "ENSP00000003084.6:p.Pro5Thr", "C", "A"),
            "varied": csq(117120182, "ENSP00000003084.6:p.Val12Ile", "G", "A"),
            "revel": csq(117120161, "ENSP00000003084.6:p.Pro5Thr", "C", "A", revel="0.7"),
            "isoform": csq(117120161, "p.Gly5Thr", "C", "A")}  # fmt: skip
    found = {}
    for name, rec in recs.items():
        vcf = write_plain(tmp_path / f"{name}.vcf", vcf_text([rec], infos=(CSQ_HEADER,)))
        (found[name],) = load_genomics(vcf, db).genes["CFTR"].variants
    kept, varied = found["kept"], found["varied"]
    assert (kept.pathogenicity, varied.pathogenicity) == (pytest.approx(0.84), pytest.approx(0.5))
    # (PM2 "absent": the CSQ has a gnomAD field, empty here)
    def told(v):
        return [(c.code, c.value) for c in v.criteria if c.code != "PM2"]

    assert told(kept) == [("PP3", "residue kept by at least 90% of homologous proteins")]
    assert told(varied) == [("BP4", "residue kept by under 60% of homologous proteins")]
    # the evidence states the share the class was told by, as the unannotated reading does, after the file's name
    assert kept.hgvs == "ENSP00000003084.6:p.Pro5Thr; Pro kept by at least 90% of homologous proteins (Swiss-Prot)"
    assert varied.hgvs == "ENSP00000003084.6:p.Val12Ile; Val kept by 20-29% of homologous proteins (Swiss-Prot)"
    assert found["revel"].pathogenicity == pytest.approx(0.7) and told(found["revel"]) == [("PP3", "REVEL=0.7")]
    assert found["isoform"].pathogenicity == pytest.approx(0.6) and not told(found["isoform"])
    # a score or another isoform's numbering told nothing by conservation: the file's name alone
    assert (found["revel"].hgvs, found["isoform"].hgvs) == ("ENSP00000003084.6:p.Pro5Thr", "p.Gly5Thr")


def test_an_annotated_missense_at_a_residue_few_homologues_vary_says_why_it_has_no_bp4(db, tmp_path):
    # KMT2D's Leu3880 (the demo case's causal residue) changed to Val as VEP names it, without REVEL or CADD: only
    # three homologues align there, so no BP4 at the varied residue's prior (0.5), and the evidence says so in the
    # words of the unannotated reading (test_a_residue_only_three_to_nine_homologues_vary_gives_no_bp4).
    info = "CSQ=" + "|".join(["C", "missense_variant", "MODERATE", "KMT2D", "ENSG00000167548",
                              "ENST00000301067.7:c.11638C>G", "ENSP00000301067.7:p.Leu3880Val", "YES", "", "", "", ""])
    vcf = write_plain(tmp_path / "leu3880.vcf", vcf_text([record("12", 49426850, "G", "C", info=info)],
                                                          infos=(CSQ_HEADER,)))  # fmt: skip
    (v,) = load_genomics(vcf, db).genes["KMT2D"].variants
    assert v.consequence == "missense_variant" and v.pathogenicity == pytest.approx(0.5)
    assert not {"BP4", "PP3"} & codes(v)
    assert v.hgvs == ("ENST00000301067.7:c.11638C>G (ENSP00000301067.7:p.Leu3880Val); Leu kept by 0-9% of 3-9"
                      " homologous proteins (Swiss-Prot); too few for BP4")  # fmt: skip


ANN_HEADER = ('##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: \'Allele | Annotation | '
              'Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | '
              'HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | '
              'ERRORS / WARNINGS / INFO\' ">')  # fmt: skip


def test_snpeff_ann_is_read(db, tmp_path):
    header = ANN_HEADER
    ann = "A|frameshift_variant|HIGH|GENED|GENED|transcript|NM_4.1|protein_coding|2/5|c.10delG|p.Val4fs|||||"
    stop_lost = "C|stop_lost|HIGH|GENEE|GENEE|transcript|NM_5.1|protein_coding|5/5|c.301T>C|p.Ter101Glnext*12|||||"
    recs = [record("2", 5000000, "AG", "A", info=f"ANN={ann}"), record("2", 6000000, "T", "C", info=f"ANN={stop_lost}")]
    result = load_genomics(write_plain(tmp_path / "ann.vcf", vcf_text(recs, infos=(header,))), db)
    v = result.genes["GENED"].variants[0]
    # (HGVS.c without its transcript said nothing of which numbering: the Feature_ID is named, as VEP and ANNOVAR do)
    assert v.consequence == "frameshift_variant" and v.hgvs == "NM_4.1:c.10delG (p.Val4fs)" and "PVS1" in codes(v)
    assert "PM2" not in codes(v)  # SnpEff alone states no population frequency
    assert "PM4" not in codes(v)
    lost = result.genes["GENEE"].variants[0]
    assert lost.consequence == "stop_lost" and codes(lost) == {"PM4"}  # protein lengthened; no loss of function


def test_an_annotated_in_frame_deletion_changes_the_protein_length(db, tmp_path):
    ann = "A|inframe_deletion|MODERATE|GENED|GENED|transcript|NM_4.1|protein_coding|2/5|c.10_12del|p.Val4del|||||"
    result = load_genomics(write_plain(tmp_path / "ann.vcf", vcf_text([record("2", 5000000, "AGTG", "A",
                                                                              info=f"ANN={ann}")], infos=(ANN_HEADER,))), db)
    (v,) = result.genes["GENED"].variants
    assert [(c.code, c.value) for c in v.criteria] == [("PM4", "inframe deletion; repeat region not checked")]


def _annovar_header(*models: str, databases: tuple[str, ...] = ("gnomAD_exome_ALL", "ExAC_ALL", "1000g2015aug_all",
                                                                  "CLNSIG", "CLNREVSTAT", "REVEL", "CADD_phred",
                                                                  "SIFT_pred")) -> tuple[str, ...]:  # fmt: skip
    """INFO lines as table_annovar.pl -vcfinput writes them (every column a string, '.' when missing)."""
    lines = ['##INFO=<ID=ANNOVAR_DATE,Number=1,Type=String,Description="Flag the start of ANNOVAR annotation for one '
             'alternative allele">']  # fmt: skip
    columns = [f"{c}.{m}" for m in models for c in ("Func", "Gene", "GeneDetail", "ExonicFunc", "AAChange")]
    lines += [f'##INFO=<ID={c},Number=.,Type=String,Description="{c} annotation provided by ANNOVAR">'
              for c in (*columns, *databases)]  # fmt: skip
    lines.append('##INFO=<ID=ALLELE_END,Number=0,Type=Flag,Description="Flag the end of ANNOVAR annotation for one '
                 'alternative allele">')  # fmt: skip
    return tuple(lines)


def _annovar(func: str, gene: str, detail: str = ".", exonic: str = ".", aachange: str = ".", model: str = "refGene",
             **databases: str) -> str:  # fmt: skip
    """One ALT's ANNOVAR block; ';' in values escaped as ANNOVAR does, databases '.' unless given."""
    values = {"Func": func, "Gene": gene, "GeneDetail": detail, "ExonicFunc": exonic, "AAChange": aachange}
    fields = [f"{k}.{model}={v.replace(';', chr(92) + 'x3b')}" for k, v in values.items()]
    db_values = {"gnomAD_exome_ALL": ".", "ExAC_ALL": ".", "1000g2015aug_all": ".", "CLNSIG": ".", "CLNREVSTAT": ".",
                 "REVEL": ".", "CADD_phred": ".", "SIFT_pred": "."} | {k.replace("g1000", "1000g"): v
                                                                        for k, v in databases.items()}  # fmt: skip
    return ";".join(["ANNOVAR_DATE=2020-06-08", *fields, *(f"{k}={v}" for k, v in db_values.items()), "ALLELE_END"])


def test_annovar_names_the_transcript_whose_residue_is_the_bundled_proteins(db, tmp_path):
    # AAChange lists the change on every transcript, none marked; the first was shown and its numbering read against
    # the bundled protein. CFTR's Pro5 (UniProt P13569, kept by >= 90% of homologues) listed second, after another
    # isoform's numbering, was shown as p.P1T with the missense prior; now the change on the protein's own numbering
    # is named and weighed by conservation, as VEP's canonical one is.
    aachange = "CFTR:NM_001X:exon1:c.C1A:p.P1T,CFTR:NM_000492:exon1:c.C13A:p.P5T"
    rec = record("7", 117120161, "C", "A", info=_annovar("exonic", "CFTR", exonic="nonsynonymous_SNV",
                                                         aachange=aachange))  # fmt: skip
    (v,) = load_genomics(write_plain(tmp_path / "cftr.vcf", vcf_text([rec], infos=_annovar_header("refGene"))),
                         db).genes["CFTR"].variants  # fmt: skip
    assert v.hgvs == "NM_000492:c.C13A (p.P5T); Pro kept by at least 90% of homologous proteins (Swiss-Prot)"
    assert v.pathogenicity == pytest.approx(0.84)
    # none fits: the file's first, as before
    other = aachange.replace("p.P5T", "p.G5T")
    rec = record("7", 117120161, "C", "A", info=_annovar("exonic", "CFTR", exonic="nonsynonymous_SNV",
                                                         aachange=other))  # fmt: skip
    (v,) = load_genomics(write_plain(tmp_path / "none.vcf", vcf_text([rec], infos=_annovar_header("refGene"))),
                         db).genes["CFTR"].variants  # fmt: skip
    assert v.hgvs == "NM_001X:c.C1A (p.P1T)" and v.pathogenicity == pytest.approx(0.6)


def test_annovar_gives_consequence_hgvs_frequency_clinvar_and_scores(db, tmp_path):
    recs = [
        record("1", 1000000, "C", "T", info=_annovar("exonic", "GENEA", exonic="stopgain",
               aachange="GENEA:NM_1:exon3:c.C100T:p.R34X,GENEA:NM_9:exon2:c.C40T:p.R14X", gnomAD_exome_ALL="1e-05",
               ExAC_ALL="2e-05", CLNSIG="Pathogenic", CLNREVSTAT="criteria_provided,_single_submitter", CADD_phred="40")),
        record("1", 2000000, "G", "A", info=_annovar("splicing", "GENEB",
               detail="NM_2:exon12:c.1694+1G>A;NM_3:exon11:c.1500+1G>A")),
        record("1", 3000000, "T", "C", info=_annovar("exonic", "GENEC", exonic="nonsynonymous_SNV",
               aachange="GENEC:NM_4:exon2:c.T7C:p.L3P", REVEL="0.9", CADD_phred="28", CLNSIG="Likely_pathogenic")),
        record("1", 4000000, "ATTC", "A", info=_annovar("exonic", "GENED", exonic="nonframeshift_deletion",
               aachange="GENED:NM_5:exon4:c.10_12del:p.F4del")),
        record("1", 5000000, "A", "AT", info=_annovar("exonic", "GENEE", exonic="frameshift_insertion",
               aachange="GENEE:NM_6:exon2:c.482_483insT:p.D161fs")),
        record("1", 6000000, "G", "A", info=_annovar("exonic", "GENEF", exonic="synonymous_SNV",
               aachange="GENEF:NM_7:exon2:c.G6A:p.E2E", gnomAD_exome_ALL="0.2", CLNSIG="Benign")),
        record("1", 7000000, "G", "A", info=_annovar("ncRNA_splicing", "GENEG", detail="NR_1:exon2:n.300+2T>C")),
        record("1", 8000000, "G", "A", info=_annovar("intergenic", "GENEX;GENEY", detail="dist=1000;dist=2000")),
    ]  # fmt: skip
    result = load_genomics(write_plain(tmp_path / "annovar.vcf", vcf_text(recs, infos=_annovar_header("refGene"))), db)
    assert result.annotation.startswith("ANNOVAR refGene")
    stop = result.genes["GENEA"].variants[0]
    assert stop.consequence == "stop_gained" and stop.hgvs == "NM_1:c.C100T (p.R34X)"
    assert {"PVS1", "PM2", "PP5"} <= codes(stop) and stop.scores == {"CADD": 40}
    assert stop.population_af == pytest.approx(2e-05) and stop.population_af_source == "ExAC_ALL"  # the highest
    donor = result.genes["GENEB"].variants[0]
    assert (donor.consequence, donor.hgvs) == ("splice_donor_variant", "NM_2:c.1694+1G>A") and "PVS1" in codes(donor)
    missense = result.genes["GENEC"].variants[0]
    assert missense.consequence == "missense_variant" and missense.scores == {"REVEL": 0.9, "CADD": 28}
    assert [(c.code, c.value) for c in missense.criteria] == [
        ("PM2", "absent"), ("PP3", "REVEL=0.9"), ("PP5", "likely pathogenic")]  # fmt: skip
    inframe = result.genes["GENED"].variants[0]
    assert inframe.consequence == "inframe_deletion" and "PM4" in codes(inframe)
    assert result.genes["GENEE"].variants[0].consequence == "frameshift_variant"
    assert "GENEF" not in result.genes  # synonymous, common, ClinVar benign
    # a splice site of a non-coding transcript is no loss of function; an intergenic entry names no gene it hits
    assert "GENEG" not in result.genes or "PVS1" not in codes(result.genes["GENEG"].variants[0])
    assert not {"GENEX", "GENEY", "GENEX;GENEY"} & set(result.genes)


def test_annovar_prefers_refgene_reads_each_allele_of_a_multiallelic_record_and_escaped_gene_lists(db, tmp_path):
    both = _annovar("intronic", "ENSG00000000001", model="ensGene") + ";" + _annovar(
        "exonic", "GENEA", exonic="stopgain", aachange="GENEA:NM_1:exon3:c.C100T:p.R34X")
    # table_annovar writes a block per ALT (the same keys again); the second ALT's annotation is its own
    multi = (_annovar("intronic", "GENEC", gnomAD_exome_ALL="0.3") + ";"
             + _annovar("exonic", "GENEB", exonic="stopgain", aachange="GENEB:NM_2:exon2:c.C7T:p.R3X",
                        gnomAD_exome_ALL="3e-06"))  # fmt: skip
    overlapping = _annovar("exonic", "GENED;GENEE", exonic="nonsynonymous_SNV",
                           aachange="GENED:NM_4:exon2:c.A5G:p.K2R,GENEE:NM_5:exon7:c.T900C:p.L300P")
    # exonic in one gene, a splice site in the other: GeneDetail's HGVS is the splicing gene's
    paired = _annovar("exonic;splicing", "GENEF;GENEG", detail="NM_8:exon5:c.600-1G>A", exonic="synonymous_SNV",
                      aachange="GENEF:NM_7:exon3:c.G60A:p.E20E")
    nme1 = _annovar("exonic", "NME1", exonic="stopgain", aachange="NME1:NM_000269:exon2:c.C40T:p.R14X")
    recs = [record("1", 1000000, "C", "T", info=both), record("1", 2000000, "C", "G,T", "0/2", info=multi),
            record("1", 3000000, "A", "G", info=overlapping), record("1", 4000000, "G", "A", info=paired),
            record("17", 49231200, "C", "T", info=nme1)]  # fmt: skip
    header = _annovar_header("ensGene", "refGene")
    result = load_genomics(write_plain(tmp_path / "models.vcf", vcf_text(recs, infos=header)), db)
    assert result.annotation.startswith("ANNOVAR refGene") and "ENSG00000000001" not in result.genes
    assert result.genes["GENEA"].variants[0].consequence == "stop_gained"
    (second,) = result.genes["GENEB"].variants
    assert (second.alt, second.consequence, second.population_af) == ("T", "stop_gained", pytest.approx(3e-06))
    assert "GENEC" not in result.genes
    assert result.genes["GENED"].variants[0].hgvs == "NM_4:c.A5G (p.K2R)"
    assert result.genes["GENEE"].variants[0].hgvs == "NM_5:c.T900C (p.L300P)"
    splice = result.genes["GENEG"].variants[0]
    assert (splice.consequence, splice.hgvs) == ("splice_acceptor_variant", "NM_8:c.600-1G>A") and "GENEF" not in result.genes
    assert result.genes["NME1"].variants[0].hgvs == "NM_000269:c.C40T (p.R14X)"  # the gene is not the transcript


def test_an_annovar_missense_without_scores_is_weighed_by_conservation(db, tmp_path):
    # CFTR's Pro5 (UniProt P13569, kept by >= 90% of homologues) in ANNOVAR's one-letter protein notation, as the
    # VEP missense of the test above; the numbering of another isoform (Gly at 5) leaves the missense prior
    def recs(change):
        return [record("7", 117120161, "C", "A", info=_annovar("exonic", "CFTR", exonic="nonsynonymous_SNV",
                                                               aachange=f"CFTR:NM_000492:exon1:c.C13A:{change}"))]

    found = [load_genomics(write_plain(tmp_path / f"{n}.vcf", vcf_text(recs(change), infos=_annovar_header("refGene"))),
                           db).genes["CFTR"].variants[0] for n, change in enumerate(("p.P5T", "p.G5T"))]  # fmt: skip
    assert [v.pathogenicity for v in found] == [pytest.approx(0.84), pytest.approx(0.6)]
    assert [(c.code, c.value) for c in found[0].criteria if c.code != "PM2"] == [
        ("PP3", "residue kept by at least 90% of homologous proteins")]  # fmt: skip


def test_annovar_clinvar_values_are_read_unescaped(db, tmp_path):
    # table_annovar escapes the ',' of ClinVar's "Pathogenic, risk factor" as \x2c: shown so, and read term by term
    recs = [record("1", 1000000, "C", "T", info=_annovar("exonic", "GENEA", exonic="nonsynonymous_SNV",
                                                         CLNSIG="Pathogenic\\x2c_risk_factor")),
            record("1", 2000000, "C", "T", info=_annovar("exonic", "GENEB", exonic="nonsynonymous_SNV",
                                                         CLNSIG="Conflicting_interpretations_of_pathogenicity"))]  # fmt: skip
    result = load_genomics(write_plain(tmp_path / "clinvar.vcf", vcf_text(recs, infos=_annovar_header("refGene"))), db)
    pathogenic, conflicting = result.genes["GENEA"].variants[0], result.genes["GENEB"].variants[0]
    assert pathogenic.clinvar == "pathogenic, risk factor"
    assert next(c for c in pathogenic.criteria if c.code == "PP5").value == "pathogenic, risk factor"
    assert not {"PP5", "BP6"} & codes(conflicting)


def test_annovar_ensembl_gene_ids_leave_the_variant_to_the_gene_model(db, fgfr2, tmp_path):
    # ensGene names Ensembl gene IDs, which no disease annotation uses: the variant stays with FGFR2 by position
    info = _annovar("exonic", "ENSG00000066468", exonic="nonsynonymous_SNV", model="ensGene",
                    aachange="ENSG00000066468:ENST00000358487:exon12:c.A1694C:p.E565A", REVEL="0.93")
    recs = [record("10", fgfr2.exonic(2), "T", "G", info=info)]
    result = load_genomics(write_plain(tmp_path / "ens.vcf", vcf_text(recs, infos=_annovar_header("ensGene"))), db)
    assert "ENSG00000066468" not in result.genes
    assert result.genes["FGFR2"].variants[0].scores == {"REVEL": 0.93}


@pytest.mark.parametrize(("func", "gene", "detail", "exonic", "expected"), [
    ("splicing", "G1", "NM_1:exon3:c.301-2A>G", ".", {"G1": "splice_acceptor_variant"}),
    ("splicing", "G1", "NM_1:exon3:c.300+5G>A", ".", {"G1": "splice_donor_5th_base_variant"}),
    ("splicing", "G1", "NM_1:exon3:c.300+6T>C", ".", {"G1": "splice_region_variant"}),  # -splicing_threshold 10
    ("splicing", "G1", "NM_1:exon3:c.300+10T>C", ".", {"G1": "intron_variant"}),
    ("exonic;splicing", "G1;G2", "NM_2:exon4:c.400+1G>A", "synonymous_SNV",
     {"G1": "synonymous_variant", "G2": "splice_donor_variant"}),
    ("exonic;splicing", "G1", "NM_1:exon4:c.400+1G>A", "nonsynonymous SNV", {"G1": "splice_donor_variant"}),
    ("UTR5", "G1", "NM_1:c.-33T>C", ".", {"G1": "5_prime_UTR_variant"}),
    ("UTR3", "G1", "NM_1:c.*91G>T", ".", {"G1": "3_prime_UTR_variant"}),
    ("intronic", "G1", ".", ".", {"G1": "intron_variant"}),
    ("upstream;downstream", "G1;G2", "dist=500;dist=800", ".",
     {"G1": "upstream_gene_variant", "G2": "downstream_gene_variant"}),
    ("ncRNA_exonic", "G1", ".", ".", {"G1": "non_coding_transcript_exon_variant"}),
    ("ncRNA_splicing", "G1", "NR_1:exon2:n.300+2T>C", ".", {"G1": "non_coding_transcript_variant"}),
    ("exonic", "G1", ".", "stopgain SNV", {"G1": "stop_gained"}),  # older releases' spaced names
    ("exonic", "G1", ".", "stoploss", {"G1": "stop_lost"}),
    ("exonic", "G1", ".", "startloss", {"G1": "start_lost"}),
    ("exonic", "G1", ".", "frameshift_substitution", {"G1": "frameshift_variant"}),
    ("exonic", "G1", ".", "nonframeshift_insertion", {"G1": "inframe_insertion"}),
    ("exonic", "G1", ".", "nonframeshift_substitution", {"G1": "protein_altering_variant"}),
    ("exonic", "G1", ".", "unknown", {"G1": "coding_sequence_variant"}),
    ("intergenic", "G1;G2", "dist=10;dist=20", ".", {}),
])  # fmt: skip
def test_annovar_classes_are_the_sequence_ontology_terms_whose_priors_they_mean(func, gene, detail, exonic, expected):
    from raretrace.genomics.annotation import annotate, schema_from_header
    from raretrace.genomics.vcf import header_infos

    schema = schema_from_header(header_infos("\n".join(_annovar_header("refGene"))))
    info = {f"{k}.refGene": v.replace(";", "\\x3b") for k, v in
            {"Func": func, "Gene": gene, "GeneDetail": detail, "ExonicFunc": exonic, "AAChange": "."}.items()}
    found = annotate(schema, info, "C", ["T"], 1)
    assert {a.gene: a.consequence for a in found} == expected


# ------------------------------------------------------------------------------ progress and cancel


def test_progress_is_reported_and_cancel_stops(db, fgfr2, tmp_path):
    recs = [record("10", fgfr2.tx_start + 10 * i, "A", "G") for i in range(1, 9000)]
    path = write_bgzip(tmp_path / "big.vcf.gz", vcf_text(recs))
    seen = []
    load_genomics(path, db, progress=lambda m, f: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and all(0.0 <= f <= 1.0 for f in seen)
    assert seen == sorted(seen) and len(seen) >= 4
    with pytest.raises(Cancelled):
        load_genomics(path, db, cancel=lambda: True)


def test_progress_moves_through_a_vcf_whose_header_lists_no_contigs(db, tmp_path):
    # The share read is the position along the header's contigs; a header without ##contig lines (the build given
    # by the user) held the bar at 49% from the first record to the last of a genome.
    recs = [record(chrom, 1_000_000 + 10 * i, "A", "G") for chrom in ("chr1", "chr10") for i in range(9000)]
    path = write_bgzip(tmp_path / "nocontigs.vcf.gz", vcf_text(recs, build=None))
    seen: list[float] = []
    load_genomics(path, db, assembly="GRCh37", progress=lambda m, f: seen.append(f) if "records" in m else None)
    assert len(seen) == 2 and seen[0] < 0.1 < 0.5 < seen[1] < 0.96  # in chr1, then in chr10 (1.7 of 3.1 Gb)


@pytest.mark.parametrize("kind", ["failing FILTER", "haploid reference calls"])
def test_progress_and_cancel_reach_records_that_are_passed_over(db, fgfr2, tmp_path, kind):
    # Records skipped before they join a chunk (a raw genome's '.' FILTER with only PASS accepted, a male's chrX
    # reference calls) never reached the progress/cancel check: a genome of them read to the end without a word,
    # and Cancel did nothing.
    if kind == "failing FILTER":
        recs = [record("10", fgfr2.tx_start + 10 * i, "A", "G", filt=".") for i in range(1, 9000)]
        filters: tuple[str, ...] = ("PASS",)
    else:
        recs = [record("X", 3_000_000 + 10 * i, "A", "G", "0") for i in range(1, 9000)]
        filters = ("PASS", ".")
    path = write_bgzip(tmp_path / "skipped.vcf.gz", vcf_text(recs))
    seen: list[str] = []
    load_genomics(path, db, filters=filters, progress=lambda m, f: seen.append(m))
    assert any("records" in m for m in seen)  # "Reading skipped.vcf.gz: 8,192 records"
    with pytest.raises(Cancelled):
        load_genomics(path, db, filters=filters, cancel=lambda: True)


# ------------------------------------------------------------------------------------------ bad input


def test_bad_files_give_one_line_errors(db, fgfr2, tmp_path):
    good = vcf_text([record("10", fgfr2.exonic(2), "A", "G")] * 1)
    cases = {}
    cases["empty"] = write_plain(tmp_path / "empty.vcf", "")
    cases["garbage"] = tmp_path / "garbage.vcf"
    cases["garbage"].write_bytes(bytes(range(256)) * 8)
    cases["no header"] = write_plain(tmp_path / "nohead.vcf", "10\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n")
    cases["no GT"] = write_plain(tmp_path / "nogt.vcf", vcf_text([record("10", 100, "A", "G", "12", fmt="DP")], with_gt=False))
    full = write_bgzip(tmp_path / "full.vcf.gz", good + "".join(record("10", 1000 + i, "A", "G") + "\n" for i in range(3000)))
    data = full.read_bytes()
    cases["truncated"] = tmp_path / "trunc.vcf.gz"
    cases["truncated"].write_bytes(data[: len(data) // 2])
    cases["damaged gzip"] = tmp_path / "damaged.vcf.gz"
    cases["damaged gzip"].write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"garbage that is not deflate" * 10)
    cases["plain gzip of text"] = tmp_path / "text.vcf.gz"
    cases["plain gzip of text"].write_bytes(gzip.compress(b"hello, this is not a VCF\n"))
    cases["sites only"] = write_plain(tmp_path / "sites.vcf", good.replace("\tFORMAT\tpatient", "").replace("\tGT\t0/1", ""))
    cases["missing"] = tmp_path / "nope.vcf"
    messages = {}
    for name, path in cases.items():
        with pytest.raises(RareTraceError) as err:
            load_genomics(path, db)
        messages[name] = one_line_error(err)
    assert "empty" in messages["empty"]
    assert "not a VCF" in messages["garbage"]
    assert "header" in messages["no header"]
    assert "GT" in messages["no GT"]
    assert "truncated" in messages["truncated"]
    assert "damaged" in messages["damaged gzip"]
    assert "not a VCF" in messages["plain gzip of text"]
    assert "sample" in messages["sites only"]
    assert "not found" in messages["missing"]


@pytest.mark.parametrize("cut", ["mid-file", "trailer only"])
def test_truncated_file_without_bgzf_blocks_is_an_error(db, fgfr2, tmp_path, cut):
    # htslib stops at the cut as at a bad record: it was said as "data line 1784 is malformed", sending the user to
    # look for a bad line rather than to copy the file again
    text = vcf_text([record("10", fgfr2.tx_start + i, "A", "G") for i in range(1, 4000)]).encode()
    path = tmp_path / "plain.vcf.gz"
    data = gzip.compress(text)
    path.write_bytes(data[:-3000] if cut == "mid-file" else data[:-4])
    with pytest.raises(RareTraceError) as err:
        load_genomics(path, db)
    message = one_line_error(err)
    assert "plain.vcf.gz ends early" in message and "truncated" in message and "malformed" not in message


def test_a_bgzip_file_cut_inside_a_block_is_truncated_even_with_its_end_marker(db, fgfr2, tmp_path):
    # a resumed or concatenated download can end with the end-of-file block after a cut: the marker alone passes
    text = vcf_text([record("10", fgfr2.tx_start + i, "A", "G") for i in range(1, 4000)])
    data = write_bgzip(tmp_path / "full.vcf.gz", text).read_bytes()
    path = tmp_path / "cut.vcf.gz"
    path.write_bytes(data[: len(data) // 2] + BGZF_EOF)
    with pytest.raises(RareTraceError) as err:
        load_genomics(path, db)
    assert "cut.vcf.gz ends early" in one_line_error(err)


def test_a_whole_gzip_file_with_a_bad_record_still_names_the_line(db, fgfr2, tmp_path):
    good = record("10", fgfr2.exonic(2), "A", "G")
    path = tmp_path / "bad.vcf.gz"
    path.write_bytes(gzip.compress(vcf_text([good] + ["10\t123\t.\tA"] * 30).encode()))
    with pytest.raises(RareTraceError, match="data line 2 is malformed"):
        load_genomics(path, db)


@pytest.mark.parametrize("compressed", [False, True])
def test_a_vcf_beginning_with_a_byte_order_mark_is_named_as_such(db, fgfr2, tmp_path, compressed):
    # Windows editors save "UTF-8 with BOM": htslib then finds no ##fileformat line, said as "no header"
    data = b"\xef\xbb\xbf" + vcf_text([record("10", fgfr2.exonic(2), "A", "G")]).encode()
    path = tmp_path / ("bom.vcf.gz" if compressed else "bom.vcf")
    path.write_bytes(gzip.compress(data) if compressed else data)
    with pytest.raises(RareTraceError) as err:
        load_genomics(path, db)
    message = one_line_error(err)
    assert "byte-order mark" in message and "without BOM" in message and "no header" not in message


def test_a_sample_named_twice_is_named(db, fgfr2, tmp_path):
    # htslib refuses the header without saying why ("cannot parse VCF header")
    text = vcf_text([record("10", fgfr2.exonic(2), "A", "G", "0/1", "0/0", "0/1")],
                    samples=("patient", "mother", "patient"))
    for path in (write_plain(tmp_path / "twice.vcf", text), write_bgzip(tmp_path / "twice.vcf.gz", text)):
        with pytest.raises(RareTraceError) as err:
            load_genomics(path, db)
        message = one_line_error(err)
        assert "more than once" in message and "(patient)" in message and "mother" not in message


def test_bcf_named_vcf_is_read_with_a_warning(db, fgfr2, tmp_path):
    bcf = write_bcf(tmp_path / "x.bcf", vcf_text([record("10", fgfr2.exonic(2), "A", "G")]), tmp_path)
    misnamed = tmp_path / "patient.vcf"
    shutil.copy(bcf, misnamed)
    result = load_genomics(misnamed, db)
    assert result.kind == "BCF" and "FGFR2" in result.genes
    assert any("BCF" in w for w in result.summary.warnings)


def test_malformed_records_are_skipped_and_counted_but_a_damaged_file_is_an_error(db, fgfr2, tmp_path):
    good = record("10", fgfr2.exonic(2), "A", "G")
    broken = ["10\tnot-a-position\t.\tA\tG\t50\tPASS\t.\tGT\t0/1", "10\t123\t.\tA"]  # bad POS; too few columns
    path = write_plain(tmp_path / "some_bad.vcf", vcf_text([broken[0], good, broken[1]]))
    result = load_genomics(path, db)
    assert "FGFR2" in result.genes
    assert "2 malformed records could not be read and were skipped" in result.summary.warnings
    # a run of unreadable records is a damaged file, not a few bad lines: stop rather than analyse part of it
    many = write_plain(tmp_path / "damaged.vcf", vcf_text([good] + [broken[1]] * 30))
    with pytest.raises(RareTraceError, match="data line 2 is malformed"):
        load_genomics(many, db)


def test_bgzip_writer_ends_with_the_eof_block(tmp_path):
    path = write_bgzip(tmp_path / "w.vcf.gz", "x" * 200000)
    data = path.read_bytes()
    assert data.endswith(BGZF_EOF) and gzip.decompress(data) == b"x" * 200000


# ------------------------------------------------------------------------------ knowledge lookups


def test_variant_reported_in_a_publication_is_labelled_with_its_pmids(db, tmp_path):
    import csv

    from raretrace.genomics.published import PUBLISHED_FILE, PUBLISHED_PATHOGENICITY
    from raretrace.paths import resources_dir

    with gzip.open(resources_dir() / PUBLISHED_FILE, "rt", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader((x for x in handle if not x.startswith("#")), delimiter="\t") if r["pos37"]]
    row = next(r for r in rows if len(r["ref"]) == 1 and len(r["alt"]) == 1)
    pmids = {r["pmid"] for r in rows if (r["chrom37"], r["pos37"], r["ref"], r["alt"]) ==
             (row["chrom37"], row["pos37"], row["ref"], row["alt"])}  # fmt: skip
    path = write_plain(tmp_path / "pub.vcf", vcf_text([record(row["chrom37"], int(row["pos37"]), row["ref"], row["alt"])]))
    variant = next(v for g in load_genomics(path, db).genes.values() for v in g.variants)
    pp5 = next(c for c in variant.criteria if c.code == "PP5")
    assert set(pp5.value.split(", ")[:5]) <= pmids and variant.pathogenicity >= PUBLISHED_PATHOGENICITY
    held_out = load_genomics(path, db, exclude_pmids=frozenset(pmids))
    assert all("PP5" not in codes(v) for g in held_out.genes.values() for v in g.variants)


def test_variant_next_to_a_published_one_is_a_possible_hot_spot(db, tmp_path):
    import csv

    from raretrace.genomics.interpret import CODON_PRIOR
    from raretrace.genomics.published import PUBLISHED_FILE
    from raretrace.paths import resources_dir

    with gzip.open(resources_dir() / PUBLISHED_FILE, "rt", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader((x for x in handle if not x.startswith("#")), delimiter="\t") if r["pos37"]]
    # a published SNV with no other published variant within 200 bp, so the nearest one is known
    row = next(r for r in rows if len(r["ref"]) == 1 and len(r["alt"]) == 1 and not any(
        x["chrom37"] == r["chrom37"] and 0 < abs(int(x["pos37"]) - int(r["pos37"])) <= 200 for x in rows))
    pmids = {r["pmid"] for r in rows if (r["chrom37"], r["pos37"]) == (row["chrom37"], row["pos37"])}
    pos = int(row["pos37"]) + 1
    path = write_plain(tmp_path / "near.vcf", vcf_text([record(row["chrom37"], pos, "C", "T")]))
    variant = load_genomics(path, db).genes[row["gene"]].variants[0]
    pm1 = next(c for c in variant.criteria if c.code == "PM1")
    assert pm1.value.startswith(f"1 bp from {row['chrom37']}:{row['pos37']} {row['ref']}>{row['alt']} (")
    assert set(pm1.value.split("(")[1].rstrip(")").split(", ")[:3]) <= pmids
    assert "PP5" not in codes(variant)
    # shown as evidence, not scored (measured: raising such variants lowered recall), so the ordinary prior stays
    held_out = load_genomics(path, db, exclude_pmids=frozenset(pmids)).genes[row["gene"]].variants[0]
    assert "PM1" not in codes(held_out)  # its publications held out, as when validating on them
    ordinary = [*PRIOR.ravel().tolist(), *CODON_PRIOR.values()]  # by region and class, or by codon position
    assert variant.pathogenicity == held_out.pathogenicity and np.isclose(ordinary, variant.pathogenicity).any()


def test_genes_are_named_with_current_hgnc_symbols(db, tmp_path):
    from raretrace.genomics.gene_model import symbol_updates

    updates = symbol_updates()
    old = next(s for (s,) in db.execute("SELECT symbol FROM gene_models WHERE build='GRCh37' AND chrom='1'")
               if s in updates)  # fmt: skip
    g = gene(db, old)
    result = load_genomics(write_plain(tmp_path / "s.vcf", vcf_text([record(g.chrom, g.exonic(0), "A", "G")])), db)
    assert updates[old] in result.genes and old not in result.genes


def test_annotated_symbols_are_renamed_to_current_hgnc_symbols(db, tmp_path):
    from raretrace.genomics.gene_model import symbol_updates

    old, new = "WHSC1", symbol_updates()["WHSC1"]  # NSD2 in HPO; VEP on older gene models writes WHSC1
    csq = "T|stop_gained|HIGH|WHSC1|ENSG4|NM_1.1:c.1000C>T|NP_1.1:p.Arg334Ter|YES|||"
    recs = [record("4", 1906024, "C", "T", info=f"CSQ={csq}")]
    result = load_genomics(write_plain(tmp_path / "old.vcf", vcf_text(recs, infos=(CSQ_HEADER,))), db)
    assert new == "NSD2" and new in result.genes and old not in result.genes


def test_transcripts_of_one_allele_pool_frequency_clinvar_and_scores_whatever_their_order(db, tmp_path):
    header = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
              'Format: Allele|Consequence|IMPACT|SYMBOL|Gene|HGVSc|HGVSp|CANONICAL|BIOTYPE|gnomADe_AF|CLIN_SIG|'
              'REVEL|CADD_PHRED">')  # fmt: skip
    synonymous = "G|synonymous_variant|LOW|GENEA|E1|T1:c.1002A>C||YES|protein_coding|0.31|benign||"
    missense = "G|missense_variant|MODERATE|GENEA|E1|T2:c.1000A>C|||protein_coding|||0.8|"
    retained = "G|splice_donor_variant&non_coding_transcript_variant|HIGH|GENEB|E2|T3:n.300+2T>C|||retained_intron|||"
    intron = "G|intron_variant|MODIFIER|GENEB|E2|T4:c.1009+40A>C||YES|protein_coding|0.0003||"
    found = []
    for n, order in enumerate(((synonymous, missense), (missense, synonymous))):
        recs = [record("1", 1000000, "T", "G", info="CSQ=" + ",".join(order)),
                record("1", 2000000, "A", "G", info="CSQ=" + ",".join((retained, intron)))]  # fmt: skip
        result = load_genomics(write_plain(tmp_path / f"tx{n}.vcf", vcf_text(recs, infos=(header,))), db)
        found.append(set(result.genes))
    # the 31% frequency and benign ClinVar of one transcript hold for the allele in both orders; a splice donor
    # change of a retained-intron transcript is no loss of function when the coding transcript calls it intronic
    assert found == [set(), set()]


MARKED_CSQ_HEADER = (
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
    'Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature|BIOTYPE|HGVSc|HGVSp|CANONICAL|MANE_SELECT|PICK">'
)


def _marked(consequence: str, transcript: str, hgvs_c: str, hgvs_p: str, canonical: str = "", mane: str = "",
            pick: str = "", biotype: str = "protein_coding") -> str:  # fmt: skip
    return "|".join(["T", consequence, "HIGH", "GENETX", "EGENETX", transcript, biotype, f"{transcript}:{hgvs_c}",
                     f"P{transcript}:{hgvs_p}" if hgvs_p else "", canonical, mane, pick])  # fmt: skip


@pytest.mark.parametrize("order", [1, -1])
def test_the_mane_select_transcript_names_the_change_and_drives_its_score(db, tmp_path, order):
    # A missense change of the MANE Select (canonical) transcript that is a stop gained in an exon only another
    # protein-coding transcript has was read as the stop: PVS1 (very strong) and a loss of function's prior, with the
    # other transcript's HGVS, where a report names the MANE transcript's change and ClinGen's PVS1 tree gives no PVS1
    # for an exon the clinical transcript lacks. The marked transcript now decides; the more severe consequence
    # elsewhere is named beside it.
    mane = _marked("missense_variant", "ENST1", "c.100C>T", "p.Arg34Cys", canonical="YES", mane="NM_1.2")
    other = _marked("stop_gained", "ENST2", "c.52C>T", "p.Arg18Ter")
    entries = [mane, other][::order]
    rec = record("1", 1000000, "C", "T", info="CSQ=" + ",".join(entries))
    (v,) = load_genomics(write_plain(tmp_path / "tx.vcf", vcf_text([rec], infos=(MARKED_CSQ_HEADER,))), db).genes[
        "GENETX"].variants
    assert v.consequence == "missense_variant" and "PVS1" not in codes(v)
    assert v.hgvs == ("ENST1:c.100C>T (PENST1:p.Arg34Cys); stop gained on another protein-coding transcript: "
                      "ENST2:c.52C>T (PENST2:p.Arg18Ter)")
    assert v.pathogenicity == pytest.approx(0.6)  # a missense change's prior


def test_vep_pick_comes_before_mane_and_canonical_and_unmarked_transcripts_take_the_most_severe(db, tmp_path):
    from raretrace.genomics.annotation import annotate, schema_from_header
    from raretrace.genomics.vcf import header_infos

    schema = schema_from_header(header_infos(MARKED_CSQ_HEADER))

    def one(*entries):
        (ann,) = annotate(schema, {"CSQ": ",".join(entries)}, "C", ["T"], 1)
        return ann.consequence, ann.more_severe_elsewhere

    canonical = _marked("synonymous_variant", "ENST1", "c.102C>T", "p.Arg34=", canonical="YES")
    picked = _marked("missense_variant", "ENST3", "c.10C>T", "p.Arg4Cys", pick="1")
    lof = _marked("stop_gained", "ENST2", "c.52C>T", "p.Arg18Ter")
    nmd = _marked("stop_gained", "ENST4", "c.52C>T", "", biotype="nonsense_mediated_decay")
    assert one(canonical, picked)[0] == "missense_variant"  # --flag_pick: VEP's own choice, the user's order
    assert one(canonical, lof) == ("synonymous_variant", "stop gained on another protein-coding transcript: "
                                                         "ENST2:c.52C>T (PENST2:p.Arg18Ter)")  # fmt: skip
    assert one(canonical, nmd) == ("synonymous_variant", "")  # a non-coding transcript's stop is none to name
    # no transcript marked (VEP without --canonical/--mane, --pick not used): the most severe, as before
    unmarked = _marked("synonymous_variant", "ENST1", "c.102C>T", "p.Arg34=")
    assert one(unmarked, lof) == ("stop_gained", "")


def test_pm2_absent_needs_the_annotation_to_have_seen_the_record(db, fgfr2, tmp_path):
    recs = [record("10", fgfr2.exonic(2), "A", "G"),  # no CSQ on this record although the header has one
            record("1", 3000000, "T", "C", info="CSQ=C|missense_variant|MODERATE|GENEC|E3|||YES|||0.9|28")]
    result = load_genomics(write_plain(tmp_path / "pm2.vcf", vcf_text(recs, infos=(CSQ_HEADER,))), db)
    bare = result.genes["FGFR2"].variants[0]
    assert "PM2" not in codes(bare) and bare.population_af_text == "no data"
    assert next(c for c in result.genes["GENEC"].variants[0].criteria if c.code == "PM2").value == "absent"


def test_spliceai_info_without_csq_raises_an_intronic_variant(db, fgfr2, tmp_path):
    header = '##INFO=<ID=SpliceAI,Number=.,Type=String,Description="SpliceAI. Format: ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL|DP_AG|DP_AL|DP_DG|DP_DL">'
    pos = fgfr2.intronic(1, 20)
    recs = [record("10", pos, "A", "G", info="SpliceAI=G|FGFR2|0.00|0.00|0.92|0.01|5|-3|1|20")]
    v = load_genomics(write_plain(tmp_path / "sai.vcf", vcf_text(recs, infos=(header,))), db).genes["FGFR2"].variants[0]
    assert v.scores["SpliceAI"] == pytest.approx(0.92) and "PP3" in codes(v) and v.pathogenicity > 0.9


def test_snpeff_intergenic_entries_name_no_gene(db, tmp_path):
    ann = "A|intergenic_region|MODIFIER|GENEX-GENEY|E1-E2|intergenic_region|E1-E2|||n.5G>A||||||"
    recs = [record("2", 5000000, "G", "A", info=f"ANN={ann}")]
    result = load_genomics(write_plain(tmp_path / "ig.vcf", vcf_text(recs, infos=(ANN_HEADER,))), db)
    assert "GENEX-GENEY" not in result.genes


def test_non_finite_scores_are_ignored(db, tmp_path):
    recs = [record("1", 3000000, "T", "C", info="CSQ=C|missense_variant|MODERATE|GENEC|E3|||YES|||inf|nan")]
    result = load_genomics(write_plain(tmp_path / "inf.vcf", vcf_text(recs, infos=(CSQ_HEADER,))), db)
    assert result.genes["GENEC"].variants[0].scores == {}


def test_phase_sets_and_two_alt_alleles_decide_cis_and_trans(db, tmp_path):
    pah = gene(db, "PAH")
    a, b = pah.exonic(1), pah.exonic(3)
    ps = '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">'

    def summary(rows: list[str], name: str, infos: tuple[str, ...] = ()) -> str:
        text = vcf_text(rows, infos=infos).replace("##FORMAT=<ID=DP", ps + "\n##FORMAT=<ID=DP")
        result = load_genomics(write_plain(tmp_path / name, text), db)
        return result.genes["PAH"].genotype_summary

    same_block = [record("12", a, "C", "T", "1|0:100", fmt="GT:PS"), record("12", b, "G", "A", "0|1:100", fmt="GT:PS")]
    other_block = [record("12", a, "C", "T", "1|0:100", fmt="GT:PS"), record("12", b, "G", "A", "0|1:900", fmt="GT:PS")]
    assert "in trans" in summary(same_block, "same.vcf")
    assert "possible compound heterozygote" in summary(other_block, "other.vcf")
    both_alts = [record("12", a, "C", "T,G", "1/2")]
    assert "in trans" in summary(both_alts, "multi.vcf")


def test_gatk_physical_phasing_decides_cis_and_trans(db, tmp_path):
    # GATK's HaplotypeCaller leaves GT unphased (0/1) and writes the read-backed phase in PGT, the phased block in
    # PID: two variants of one read in cis were taken for a possible compound heterozygote, a full recessive fit.
    from raretrace.inheritance import fit_gene

    pah = gene(db, "PAH")
    a, b = sorted((pah.exonic(1), pah.exonic(3)))
    header = ('##FORMAT=<ID=PGT,Number=1,Type=String,Description="Physical phasing haplotype information">\n'
              '##FORMAT=<ID=PID,Number=1,Type=String,Description="Physical phasing ID information">')
    pid = f"{a}_C_T"

    def pah_gene(first: str, second: str, name: str, second_pid: str = pid, at: tuple[int, int] = (a, b)):
        rows = [record("12", at[0], "C", "T", f"0/1:{first}:{pid}", fmt="GT:PGT:PID"),
                record("12", at[1], "G", "A", f"0/1:{second}:{second_pid}", fmt="GT:PGT:PID")]  # fmt: skip
        text = vcf_text(rows).replace("##FORMAT=<ID=DP", header + "\n##FORMAT=<ID=DP")
        return load_genomics(write_plain(tmp_path / name, text), db).genes["PAH"]

    cis = pah_gene("0|1", "0|1", "cis.vcf")
    assert "(on one haplotype: in cis)" in cis.genotype_summary
    fit = fit_gene(cis, {"AR"}, None).fit
    assert not fit.compatible and "heterozygous variants only on one haplotype (in cis)" in fit.explanation
    assert cis.mode_scores["AR"] < 0.5
    trans = pah_gene("0|1", "1|0", "trans.vcf")
    assert "(compound heterozygote: in trans)" in trans.genotype_summary
    assert "two heterozygous variants (in trans)" in fit_gene(trans, {"AR"}, None).fit.explanation
    assert [v.call for v in trans.variants] == ["0/1", "0/1"]  # the call as written
    # in trans with a variant that looks pathogenic on its own (two canonical splice sites): PM3, as for a trio
    sites = pah_gene("0|1", "1|0", "sites.vcf", at=tuple(sorted((pah.intronic(1, 1), pah.intronic(3, 1)))))
    assert [[c.value for c in v.criteria if c.code == "PM3"] for v in sites.variants] == [
        [f"12:{sites.variants[1].pos} G>A (phased)"], [f"12:{sites.variants[0].pos} C>T (phased)"]]
    assert "PM3" not in {c.code for v in pah_gene("0|1", "0|1", "sites_cis.vcf", at=(sites.variants[0].pos,
                                                  sites.variants[1].pos)).variants for c in v.criteria}  # fmt: skip
    # phased blocks of different reads say nothing of each other
    apart = pah_gene("0|1", "0|1", "apart.vcf", second_pid=f"{b}_G_A")
    assert "possible compound heterozygote" in apart.genotype_summary
    # GATK 4.0 phased the GT itself but wrote no PS: its PID, not the whole chromosome, is the phase set
    for second_pid, shown in ((f"{b}_G_A", "possible compound heterozygote"), (pid, "(on one haplotype: in cis)")):
        rows = [record("12", a, "C", "T", f"0|1:0|1:{pid}", fmt="GT:PGT:PID"),
                record("12", b, "G", "A", f"0|1:0|1:{second_pid}", fmt="GT:PGT:PID")]  # fmt: skip
        text = vcf_text(rows).replace("##FORMAT=<ID=DP", header + "\n##FORMAT=<ID=DP")
        assert shown in load_genomics(write_plain(tmp_path / "gatk40.vcf", text), db).genes["PAH"].genotype_summary


def test_bundled_1000_genomes_frequencies_set_aside_common_coding_variants(db, tmp_path):
    from raretrace.genomics.gene_model import gene_index
    from raretrace.genomics.population import SOURCE_NAME, population_frequencies

    index = gene_index(db, "GRCh37")
    sites = sorted(population_frequencies("GRCh37", index).by_variant.items())

    def site(low: float, high: float):  # an SNV in an internal exon, so that it would compete without a frequency
        return next((k, af) for k, af in sites
                    if low <= af < high and len(k[2]) == len(k[3]) == 1 and gene_hit(index, k[0], k[1]))  # fmt: skip

    (chrom, pos, ref, alt), _af = site(0.2, 1.0)
    (chrom2, pos2, ref2, alt2), low_af = site(0.002, 0.005)
    other = next(x for x in "ACGT" if x not in (ref, alt))
    recs = [record(chrom, pos, ref, alt), record(chrom, pos, ref, other), record(chrom2, pos2, ref2, alt2)]
    result = load_genomics(write_plain(tmp_path / "kg.vcf", vcf_text(recs)), db)
    variants = {(v.pos, v.alt): v for g in result.genes.values() for v in g.variants}
    assert (pos, alt) not in variants  # common (> 20%): scores ~0 and is no candidate
    assert variants[(pos, other)].population_af is None  # another allele of the site is not the common one
    uncommon = variants[(pos2, alt2)]
    assert uncommon.population_af == pytest.approx(low_af) and uncommon.population_af_source == SOURCE_NAME
    assert uncommon.population_af_text.endswith("(1000 Genomes)") and not codes(uncommon) & {"PM2", "BA1", "BS1"}
    assert "no population frequency" not in " ".join(result.summary.warnings) or True


def gene_hit(index, chrom: str, pos: int) -> bool:
    code = index.code_of(chrom)
    regions = index.locate(np.array([code]), np.array([pos - 1]), np.array([pos]), np.array([False]))
    from raretrace.genomics.gene_model import EXONIC

    return bool(((regions.region == EXONIC) & ~regions.terminal_exon).any())


def test_the_command_line_chooses_the_filter_and_refuses_conflicting_builds(engine, fgfr2, tmp_path, capsys):
    import json

    from raretrace.cli import main

    recs = [record("10", fgfr2.exonic(2), "A", "G", filt="LowQual")]
    vcf = write_plain(tmp_path / "f.vcf", vcf_text(recs, build=None))  # no contig lengths: the build is declared
    case = tmp_path / "case.json"
    case.write_text(json.dumps({
        "id": "c", "phenotypicFeatures": [{"type": {"id": "HP:0001363"}}],
        "files": [{"uri": vcf.as_uri(), "fileAttributes": {"genomeAssembly": "GRCh37"}}]}))  # fmt: skip
    kb = str(engine.kb_path)

    def genes(*extra: str) -> list[str]:
        assert main(["--kb", kb, "analyze", str(case), "--json", *extra]) == 0
        return [g["id"] for g in json.loads(capsys.readouterr().out)["genes"] if g.get("variants")]

    assert "FGFR2" not in genes()  # LowQual fails the default filter
    assert "FGFR2" in genes("--filter", "PASS,LowQual") and "FGFR2" in genes("--filter", "any")
    assert main(["--kb", kb, "analyze", str(case), "--assembly", "GRCh38"]) == 2
    err = capsys.readouterr().err
    assert "conflicting genome builds" in err and "GRCh37" in err and "Traceback" not in err


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal (POSIX)")
def test_on_a_terminal_an_error_midway_through_the_vcf_starts_its_own_line(engine, fgfr2, tmp_path):
    # On a terminal the progress line is rewritten in place (no newline until 100%): an error while the VCF was
    # read (a damaged file, Ctrl-C) was written at the end of that line, "[ 40.0%] Reading ...   error: ...".
    import json
    import subprocess
    import sys

    good = [record("10", fgfr2.tx_start + 10 * i, "A", "G") for i in range(1, 9000)]  # past one progress step
    vcf = write_plain(tmp_path / "damaged.vcf", vcf_text(good + ["10\t123\t.\tA"] * 30))
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"id": "c", "phenotypicFeatures": [{"type": {"id": "HP:0001363"}}]}))
    leader, follower = os.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "raretrace", "--kb", str(engine.kb_path), "analyze", str(case),
                               "--vcf", str(vcf), "--assembly", "GRCh37"], stdout=subprocess.DEVNULL,
                              stderr=follower, timeout=300, check=False)  # fmt: skip
        os.close(follower)
        follower = -1
        seen = b""
        while chunk := _read_pty(leader):
            seen += chunk
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    assert proc.returncode == 2
    text = seen.decode()
    assert "records" in text  # the reading's progress was shown on the terminal
    (line,) = [x for x in text.replace("\r\n", "\n").split("\n") if "error:" in x]
    assert line.startswith("error: damaged.vcf: data line")


def _read_pty(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # Linux: the terminal's other end closed
        return b""


def test_a_deletion_across_an_exon_boundary_names_the_right_splice_site(db, fgfr2, tmp_path):
    assert fgfr2.strand == "-"  # the genomic start of an exon is its 3' end: the donor side
    start = fgfr2.exons[3][0]  # 0-based start of an internal exon
    left = record("10", start - 1, "ACGTA", "A")  # deletes the last intron base and the exon's first bases
    end = fgfr2.exons[3][1]
    right = record("10", end - 1, "ACGTA", "A")  # deletes across the exon's genomic end: the acceptor side
    result = load_genomics(write_plain(tmp_path / "b.vcf", vcf_text([left, right])), db)
    by_pos = {v.pos: v.consequence for v in result.genes["FGFR2"].variants}
    assert by_pos == {start - 1: "splice_donor_site", end - 1: "splice_acceptor_site"}


def test_a_case_with_a_vcf_and_no_features_ranks_genes_by_their_variants(engine, fgfr2, tmp_path):
    from raretrace.analysis import run_analysis
    from raretrace.case import Case, CaseFile

    stop = "T|stop_gained|HIGH|FGFR2|E1|NM_1.1:c.1000C>T|NP_1.1:p.Arg334Ter|YES|0.00001|pathogenic||40"
    recs = [record("10", fgfr2.exonic(2), "C", "T", info=f"CSQ={stop}"), record("10", fgfr2.exonic(3), "A", "G")]
    vcf = write_plain(tmp_path / "only.vcf", vcf_text(recs, infos=(CSQ_HEADER,)))
    result = run_analysis(engine, Case(id="no-features", files=(CaseFile(str(vcf)),)))
    assert result.genes[0].id == "FGFR2"
    assert any("no usable present features" in w for w in result.warnings)
    assert all(c.value == 0.0 for g in result.genes for c in g.contributions if c.group == "phenotype match")
    with pytest.raises(RareTraceError, match="or give a VCF"):
        run_analysis(engine, Case(id="nothing"))


def test_a_call_naming_an_allele_the_record_lacks_is_counted(db, fgfr2, tmp_path):
    recs = [record("10", fgfr2.exonic(2), "A", "G", "1/3")]
    result = load_genomics(write_plain(tmp_path / "odd.vcf", vcf_text(recs)), db)
    assert result.counts["unlisted_allele"] == 1
    assert any("allele their record does not list" in w for w in result.summary.warnings)



def test_clinvar_from_vep_custom_annotation_in_the_csq_is_read(db, tmp_path):
    # VEP's --custom ClinVar (short name ClinVar, field CLNSIG) writes ClinVar_CLNSIG into each CSQ entry; only the
    # cache's CLIN_SIG was read there, so a ClinVar-benign missense kept its REVEL score (0.8) and no BP6, and a
    # ClinVar-pathogenic one no PP5. The custom field, ClinVar's own for this allele, goes before the cache's.
    header = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
              'Format: Allele|Consequence|IMPACT|SYMBOL|Gene|CLIN_SIG|REVEL|ClinVar|ClinVar_CLNSIG">')
    entries = {"GENEBEN": "T|missense_variant|MODERATE|GENEBEN|E1||0.8|12345|Benign",
               "GENEPAT": "T|missense_variant|MODERATE|GENEPAT|E2||0.5|12346|Pathogenic/Likely_pathogenic",
               "GENEBOTH": "T|missense_variant|MODERATE|GENEBOTH|E3|pathogenic|0.8|12347|Benign",
               "GENECACHE": "T|missense_variant|MODERATE|GENECACHE|E4|pathogenic|0.5||"}
    recs = [record("1", 1000000 * (n + 1), "C", "T", info=f"CSQ={csq}") for n, csq in enumerate(entries.values())]
    result = load_genomics(write_plain(tmp_path / "custom.vcf", vcf_text(recs, infos=(header,))), db)
    assert "GENEBEN" not in result.genes and "GENEBOTH" not in result.genes  # benign: below the candidates
    pathogenic = result.genes["GENEPAT"].variants[0]
    assert pathogenic.clinvar == "pathogenic/likely pathogenic" and "PP5" in codes(pathogenic)
    assert pathogenic.pathogenicity >= 0.95
    assert "PP5" in codes(result.genes["GENECACHE"].variants[0])  # the cache's CLIN_SIG alone, as before
    from raretrace.genomics.annotation import annotate, schema_from_header
    from raretrace.genomics.vcf import header_infos

    (benign,) = annotate(schema_from_header(header_infos(header)), {"CSQ": entries["GENEBEN"]}, "C", ["T"], 1)
    assert benign.clinvar == "benign"

def test_calls_without_any_listed_alt_are_not_carriers(db, fgfr2, tmp_path):
    recs = [record("10", fgfr2.exonic(2), "A", "G", "3/3"),  # one ALT listed, neither allele is it
            record("10", fgfr2.exonic(3), "A", "G,T", "0/3")]  # two ALTs, the called one is not listed
    result = load_genomics(write_plain(tmp_path / "none.vcf", vcf_text(recs)), db)
    assert "FGFR2" not in result.genes and result.counts["unlisted_allele"] == 2


def test_pm2_absent_is_not_taken_from_a_record_level_note_of_a_record_without_csq(db, fgfr2, tmp_path):
    header = '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="ClinVar significance">'
    recs = [record("10", fgfr2.exonic(2), "A", "G", info="CLNSIG=Uncertain_significance")]
    result = load_genomics(write_plain(tmp_path / "cv.vcf", vcf_text(recs, infos=(CSQ_HEADER, header))), db)
    v = result.genes["FGFR2"].variants[0]
    assert "PM2" not in codes(v) and v.population_af_text == "no data"


def test_filter_values_are_read_as_vcf_writes_them_and_an_undeclared_one_is_reported(db, fgfr2, tmp_path):
    from raretrace.analysis import parse_filters

    assert parse_filters("pass;LowQual") == ("PASS", "LowQual") and parse_filters("any,PASS") is None
    recs = [record("10", fgfr2.exonic(2), "A", "G", filt="LowQual")]
    path = write_plain(tmp_path / "f.vcf", vcf_text(recs))
    result = load_genomics(path, db, filters=parse_filters("PASS,LowQal"))  # a typing slip
    assert any("LowQal are not declared" in w for w in result.summary.warnings)


def test_excluded_features_alone_with_a_vcf_rank_genes_by_their_variants(engine, fgfr2, tmp_path):
    from raretrace.analysis import run_analysis
    from raretrace.case import Case, CaseFile, Phenotype

    recs = [record("10", fgfr2.exonic(2), "A", "AT")]  # a frameshift-length insertion in FGFR2
    vcf = write_plain(tmp_path / "one.vcf", vcf_text(recs))
    case = Case(id="excluded-only", phenotypes=(Phenotype("HP:0000175", excluded=True),), files=(CaseFile(str(vcf)),))
    result = run_analysis(engine, case)
    assert result.genes[0].id == "FGFR2"
    assert any("no usable present features" in w for w in result.warnings)
    top = result.diseases[0]
    assert next(c.value for c in top.contributions if c.group == "phenotype match") == 0.0
    with pytest.raises(RareTraceError, match="no usable present HPO terms"):
        run_analysis(engine, Case(id="excluded-only-no-vcf", phenotypes=case.phenotypes))


def test_each_disease_is_fitted_and_scored_under_its_own_modes_of_inheritance(engine, tmp_path):
    from raretrace.analysis import run_analysis
    from raretrace.case import Case, CaseFile, Phenotype

    col7a1 = gene(engine.db, "COL7A1")  # dominant (OMIM:131750) and recessive (OMIM:226600) dystrophic EB
    vcf = write_plain(tmp_path / "het.vcf", vcf_text([record(col7a1.chrom, col7a1.exonic(5), "A", "AT", "0/1")]))
    case = Case(id="eb", phenotypes=(Phenotype("HP:0008066"), Phenotype("HP:0001072")), files=(CaseFile(str(vcf)),))
    result = run_analysis(engine, case, top=200)
    by_id = {h.id: h for h in result.diseases}
    dominant, recessive = by_id["OMIM:131750"], by_id["OMIM:226600"]

    def variant_part(h) -> float:
        return next(c.value for c in h.contributions if c.group == "variant evidence")

    assert variant_part(recessive) < variant_part(dominant)  # one heterozygous variant: a carrier, not affected
    assert dominant.inheritance.compatible is True and recessive.inheritance.compatible is False
    assert "Autosomal dominant" not in " ".join(recessive.inheritance.modes)


def test_without_present_features_the_variants_alone_rank_diseases_too(engine, fgfr2, tmp_path):
    from raretrace.analysis import run_analysis
    from raretrace.case import Case, CaseFile
    from raretrace.evidence import score_value

    vcf = write_plain(tmp_path / "one.vcf", vcf_text([record("10", fgfr2.exonic(2), "A", "AT")]))
    result = run_analysis(engine, Case(id="vcf-only", sex="MALE", files=(CaseFile(str(vcf)),)), top=10)
    assert all("FGFR2" in h.genes for h in result.diseases[:3])  # not the priors' favourites
    for h in result.diseases:
        assert all(c.value == 0.0 for c in h.contributions if c.group != "variant evidence")
    assert score_value(3.9512345e-06) == 3.95123e-06 and score_value(0.9999817) == 0.999982


# ------------------------------------------------------------- PVS1 strength, ClinVar conflicts, INFO floats, hg19 chrM

LOF_CSQ_HEADER = (
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
    'Format: Allele|Consequence|IMPACT|SYMBOL|Gene|BIOTYPE|EXON|HGVSc|HGVSp|CANONICAL|CLIN_SIG|REVEL|CADD_PHRED|'
    'LoF|LoF_filter|LoF_flags">'
)


def lof_csq(gene: str, consequence: str, biotype: str = "protein_coding", exon: str = "5/13", clinvar: str = "",
            revel: str = "", cadd: str = "", lof: str = "", lof_filter: str = "") -> str:  # fmt: skip
    return "|".join(["T", consequence, "HIGH", gene, "E" + gene, biotype, exon, "T1:c.100C>T", "", "YES", clinvar,
                     revel, cadd, lof, lof_filter, ""])  # fmt: skip


def pvs1(variant):
    return next((c for c in variant.criteria if c.code == "PVS1"), None)


def test_pvs1_needs_a_coding_transcript_and_is_strong_where_the_annotation_doubts_the_loss(db, tmp_path):
    entries = {
        "GENEHC": lof_csq("GENEHC", "stop_gained", lof="HC"),
        "GENELAST": lof_csq("GENELAST", "stop_gained", exon="13/13"),
        "GENELC": lof_csq("GENELC", "frameshift_variant", lof="LC", lof_filter="END_TRUNC"),
        "GENELNC": lof_csq("GENELNC", "splice_donor_variant&non_coding_transcript_variant", biotype="lncRNA",
                           exon=""),  # fmt: skip
        "GENESPLICE": lof_csq("GENESPLICE", "splice_donor_variant", exon="13/13"),  # splicing: no NMD question
    }
    recs = [record("1", 1000000 * (n + 1), "C", "T", info=f"CSQ={csq}") for n, csq in enumerate(entries.values())]
    result = load_genomics(write_plain(tmp_path / "lof.vcf", vcf_text(recs, infos=(LOF_CSQ_HEADER,))), db)
    hc, last, lc, splice = (result.genes[g].variants[0] for g in ("GENEHC", "GENELAST", "GENELC", "GENESPLICE"))
    assert (pvs1(hc).strength, pvs1(hc).value) == ("very_strong", "stop_gained")
    assert pvs1(splice).strength == "very_strong"
    assert pvs1(last).strength == "strong" and "last exon (13/13)" in pvs1(last).value
    assert "nonsense-mediated decay" in pvs1(last).value
    assert pvs1(lc).strength == "strong" and "LOFTEE LC (END_TRUNC)" in pvs1(lc).value
    # the doubted loss of function ranks below the confident one, still above a missense's prior
    assert hc.pathogenicity > last.pathogenicity == lc.pathogenicity >= 0.75
    # a splice donor change of a lncRNA (the gene's only transcript) is no loss of function: no PVS1, no LoF prior
    assert "GENELNC" not in result.genes  # a non-coding transcript change: below the candidate threshold
    from raretrace.genomics.annotation import annotate, schema_from_header
    from raretrace.genomics.vcf import header_infos

    schema = schema_from_header(header_infos(LOF_CSQ_HEADER))
    (lnc,) = annotate(schema, {"CSQ": entries["GENELNC"]}, "C", ["T"], 1)
    assert lnc.consequence == "non_coding_transcript_variant" and not lnc.lof_caution


LOFTEE_INFO_HEADER = LOF_CSQ_HEADER.replace("LoF|LoF_filter|LoF_flags", "LoF|LoF_filter|LoF_flags|LoF_info")


@pytest.mark.parametrize(("consequence", "info", "exon", "strength"), [
    ("stop_gained", "DIST_FROM_LAST_EXON:30&50_BP_RULE:FAIL", "12/13", "strong"),
    ("frameshift_variant", "DIST_FROM_LAST_EXON:12&50_BP_RULE:FAIL&PHYLOCSF_TOO_SHORT", "12/13", "strong"),
    ("stop_gained", "DIST_FROM_LAST_EXON:230&50_BP_RULE:PASS", "12/13", "very_strong"),
    ("splice_donor_variant", "50_BP_RULE:FAIL", "12/13", "very_strong"),  # splicing: no stop to escape decay
])  # fmt: skip
def test_loftee_50_bp_rule_fail_makes_pvs1_strong_as_in_the_last_exon(db, tmp_path, consequence, info, exon, strength):
    # ClinGen's PVS1 tree (Abou Tayoun 2018): a premature stop in the last 50 bp of the penultimate exon escapes
    # nonsense-mediated decay as one in the last exon does. LOFTEE calls it HC but says so in LoF_info (50_BP_RULE
    # FAIL); PVS1 stayed very strong. Label only: the pathogenicity is the confident loss of function's.
    csq = "|".join(["T", consequence, "HIGH", "GENEX", "EGENEX", "protein_coding", exon, "T1:c.100C>T", "", "YES",
                    "", "", "", "HC", "", "", info])  # fmt: skip
    plain = csq.rsplit("|", 1)[0] + "|"
    recs = [record("1", 1000000, "C", "T", info=f"CSQ={csq}"),
            record("1", 2000000, "C", "T", info=f"CSQ={plain.replace('GENEX', 'GENEY')}")]
    result = load_genomics(write_plain(tmp_path / "nmd.vcf", vcf_text(recs, infos=(LOFTEE_INFO_HEADER,))), db)
    v, same = result.genes["GENEX"].variants[0], result.genes["GENEY"].variants[0]
    assert pvs1(v).strength == strength and v.pathogenicity == same.pathogenicity
    if strength == "strong":
        assert pvs1(v).value == f"{consequence}; LOFTEE 50_BP_RULE:FAIL (within 50 bp of the last exon junction): " \
                                "may escape nonsense-mediated decay"


@pytest.mark.parametrize(("back", "strength"), [(0, "strong"), (49, "strong"), (50, "very_strong")])
def test_a_frameshift_in_the_last_50_bp_of_the_penultimate_exon_is_pvs1_strong(db, tmp_path, back, strength):
    # The gene model's coding bounds tell a frameshift; where it starts within the penultimate exon's last 50 bp its
    # stop lies there or in the last exon, and the transcript escapes nonsense-mediated decay (ClinGen's PVS1 tree).
    cftr = gene(db, "CFTR")  # plus strand, 27 exons: the penultimate is exons[-2]
    deleted = cftr.exons[-2][1] - 1 - back  # 0-based base deleted, `back` bases before the exon's 3' end
    vcf = write_plain(tmp_path / "fs.vcf", vcf_text([record("7", deleted, "GA", "G")]))
    v = load_genomics(vcf, db).genes["CFTR"].variants[0]
    assert v.consequence == "frameshift" and pvs1(v).strength == strength
    if strength == "strong":
        assert pvs1(v).value == (f"frameshift; in the last 50 bp of the penultimate exon ({back} bp before the last "
                                 "exon junction): may escape nonsense-mediated decay")
    # label only: the pathogenicity of a frameshift in an internal exon
    antepenultimate = cftr.exons[-3][1] - 1 - back
    other = load_genomics(write_plain(tmp_path / "fs3.vcf", vcf_text([record("7", antepenultimate, "GA", "G")])), db)
    assert v.pathogenicity == other.genes["CFTR"].variants[0].pathogenicity
    assert pvs1(other.genes["CFTR"].variants[0]).strength == "very_strong"


@pytest.mark.parametrize(("name", "chrom", "pos", "back"), [
    # CFTR (plus strand): the penultimate exon's last base, then the intron's +1; an insertion after the exon's last
    # base lies at its 3' edge, 0 bases of it after the insertion (one before that base, 1)
    ("plus, the donor's edge", "7", 117305618, 0),
    ("plus, one base in", "7", 117305617, 1),
    # POGZ (minus strand): the penultimate exon is 1:151379083-151379107, 25 bases; after its highest base comes the
    # intron's -1 (the acceptor), before its lowest the intron's +1 (the donor)
    ("minus, the acceptor's edge", "1", 151379107, 25),
    ("minus, the donor's edge", "1", 151379082, 0),
])  # fmt: skip
def test_an_insertion_at_the_penultimate_exons_edge_may_escape_nmd(db, tmp_path, name, chrom, pos, back):
    # An insertion between an exon's edge and its intron is the exon's (VEP; _place_intronic_insertions), and is read
    # as a frameshift there; the NMD note read the base after it, the intron's on the plus strand's donor side and
    # the minus strand's acceptor side, and was left out (PVS1 very strong). An insertion's tail is the bases after
    # it, on both strands.
    vcf = write_plain(tmp_path / "ins.vcf", vcf_text([record(chrom, pos, "G", "GA")]))
    (v,) = next(iter(load_genomics(vcf, db).genes.values())).variants
    assert v.consequence == "frameshift" and pvs1(v).strength == "strong", name
    assert pvs1(v).value == (f"frameshift; in the last 50 bp of the penultimate exon ({back} bp before the last exon "
                             "junction): may escape nonsense-mediated decay"), name


MAX_AF_CSQ_HEADER = (
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
    'Format: Allele|Consequence|IMPACT|SYMBOL|Gene|BIOTYPE|EXON|HGVSc|HGVSp|CANONICAL|gnomADe_AF|MAX_AF|MAX_AF_POPS">'
)


def _max_af_csq(global_af: str, max_af: str, pops: str, gene_symbol: str = "GENEAF") -> str:
    return "|".join(["T", "missense_variant", "MODERATE", gene_symbol, "E" + gene_symbol, "protein_coding", "5/13", "",
                     "", "YES", global_af, max_af, pops])  # fmt: skip


@pytest.mark.parametrize(("global_af", "max_af", "pops", "label", "value"), [
    # a founder population's maximum (Ashkenazi) above 5%, the global frequency 0.4%: BS1, both named
    ("0.004", "0.08", "gnomADe_ASJ", "BS1", "MAX_AF=0.08 (gnomADe_ASJ); gnomADe_AF=0.004"),
    ("0.004", "0.08", "gnomADe_FIN&gnomADg_AMI", "BS1", "MAX_AF=0.08 (gnomADe_FIN&gnomADg_AMI); gnomADe_AF=0.004"),
    # 1000 Genomes' superpopulations hold 1,006-1,322 alleles, under ClinGen's 2,000
    ("0.004", "0.08", "EAS", "BS1", "MAX_AF=0.08 (EAS); gnomADe_AF=0.004"),
    # a continental gnomAD population above 5% is BA1 whatever the global frequency
    ("0.004", "0.08", "gnomADe_AFR", "BA1", "MAX_AF=0.08 (gnomADe_AFR)"),
    # the global frequency itself above 5%: BA1 rests on it
    ("0.06", "0.08", "gnomADe_FIN", "BA1", "gnomADe_AF=0.06; MAX_AF=0.08 (gnomADe_FIN)"),
    # no other frequency to weigh: BA1, its population named
    ("", "0.08", "gnomADe_ASJ", "BA1", "MAX_AF=0.08 (gnomADe_ASJ)"),
])  # fmt: skip
def test_ba1_needs_more_than_a_founder_population_maximum(global_af, max_af, pops, label, value):
    # ClinGen SVI (Ghosh 2018): BA1 from a continental population of >= 2,000 alleles. VEP's MAX_AF is the maximum
    # over every population it knows, founder and small ones included: a variant at 8% among Ashkenazi Jews and 0.4%
    # worldwide was BA1 (stand-alone benign) with the value 'MAX_AF=0.08', its population unsaid. (Read from the
    # annotation and labelled as load does; such a common variant is no candidate today, its frequency factor 0.)
    from raretrace.genomics.annotation import annotate, schema_from_header
    from raretrace.genomics.interpret import SNV, criteria
    from raretrace.genomics.vcf import header_infos

    schema = schema_from_header(header_infos(MAX_AF_CSQ_HEADER))
    (ann,) = annotate(schema, {"CSQ": _max_af_csq(global_af, max_af, pops)}, "C", ["T"], 1)
    assert (ann.population_af, ann.af_source) == (0.08, "MAX_AF")  # the pathogenicity's frequency, as before
    found = criteria(consequence=ann.consequence, annotated=True, region=None, vclass=SNV, af=ann.population_af,
                     af_source=ann.af_source, af_field_present=True, clinvar="", scores={}, de_novo=None,
                     parents_text="", in_trans_with="", af_populations=ann.max_af_pops,
                     continental_af=ann.continental_af, continental_af_source=ann.continental_af_source)  # fmt: skip
    (frequency,) = [c for c in found if c.code in ("BA1", "BS1")]
    assert (frequency.code, frequency.value) == (label, value)
    if label == "BS1":
        assert "founder or small" in frequency.reason


def test_a_population_maximum_names_its_populations_in_the_label(db, tmp_path):
    # BS1 from VEP's MAX_AF at 1.5% said only 'MAX_AF=0.015': which population (here a founder one, with 0.04% in
    # gnomAD's exomes overall) is what a clinical scientist weighs BS1 by. The pathogenicity is unchanged.
    recs = [record("1", 1000000, "C", "T", info="CSQ=" + _max_af_csq("0.0004", "0.015", "gnomADe_ASJ")),
            record("1", 2000000, "C", "T", info="CSQ=" + _max_af_csq("0.0004", "0.015", "", "GENEAF2"))]
    result = load_genomics(write_plain(tmp_path / "af.vcf", vcf_text(recs, infos=(MAX_AF_CSQ_HEADER,))), db)
    v, unnamed = result.genes["GENEAF"].variants[0], result.genes["GENEAF2"].variants[0]
    (bs1,) = [c for c in v.criteria if c.code == "BS1"]
    assert bs1.value == "MAX_AF=0.015 (gnomADe_ASJ)" and v.pathogenicity == unnamed.pathogenicity
    assert [c.value for c in unnamed.criteria if c.code == "BS1"] == ["MAX_AF=0.015"]


@pytest.mark.parametrize(("pops", "label"), [("gnomADe_ASJ", "BS1"), ("", "BS1"), ("gnomADe_NFE", "BA1")])
def test_info_and_csq_frequencies_agree_on_ba1_and_bs1(db, fgfr2, tmp_path, pops, label):
    # The same numbers as INFO fields (bcftools +split-vep, vcfanno) and in VEP's CSQ: MAX_AF 8% (among Ashkenazi
    # Jews, or of populations unsaid) beside gnomAD's 0.4%. CSQ gave BS1 and ClinVar's pathogenic classification kept
    # the variant; INFO's MAX_AF, never weighed against the continental frequency, gave BA1 and set it aside. A maximum
    # over continental gnomAD populations is BA1 either way (no ClinVar keep: no candidate).
    infos = ('##INFO=<ID=MAX_AF,Number=A,Type=Float,Description="VEP MAX_AF">',
             '##INFO=<ID=MAX_AF_POPS,Number=A,Type=String,Description="VEP MAX_AF_POPS">',
             '##INFO=<ID=gnomADe_AF,Number=A,Type=Float,Description="gnomAD exomes AF">',
             '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="ClinVar significance">')  # fmt: skip
    by_info = record("10", fgfr2.exonic(3), "A", "G",
                     info="CLNSIG=Pathogenic;gnomADe_AF=0.004;MAX_AF=0.08" + (f";MAX_AF_POPS={pops}" if pops else ""))
    by_csq = record("1", 1000000, "C", "T", info="CLNSIG=Pathogenic;CSQ=" + _max_af_csq("0.004", "0.08", pops))
    result = load_genomics(write_plain(tmp_path / "ba1.vcf", vcf_text([by_csq, by_info], infos=(*infos, MAX_AF_CSQ_HEADER))), db)
    found = [result.genes[g].variants[0] for g in ("FGFR2", "GENEAF") if g in result.genes]
    if label == "BA1":
        assert not found
        return
    info_v, csq_v = found
    for v in found:
        (bs1,) = [c for c in v.criteria if c.code == "BS1"]
        assert "BA1" not in codes(v) and "PP5" in codes(v), v.gene
        assert bs1.value.startswith("MAX_AF=0.08" + (f" ({pops})" if pops else "") + "; gnomADe_AF=0.004")
    assert info_v.pathogenicity >= 0.5


CLINVAR_CSQ_HEADER = (
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
    'Format: Allele|Consequence|IMPACT|SYMBOL|Gene|BIOTYPE|HGVSc|HGVSp|CANONICAL|gnomADe_AF|MAX_AF|MAX_AF_POPS|'
    'ClinVar_CLNSIG|ClinVar_CLNREVSTAT">'
)


@pytest.mark.parametrize(("global_af", "max_af", "pops", "clinvar", "review", "kept"), [
    # GJB2 c.35delG, CFTR F508del: ~1-1.5% in Europeans
    ("0.006", "0.014", "gnomADe_NFE", "Pathogenic", "criteria_provided&_multiple_submitters&_no_conflicts", True),
    # a founder variant: 3% among Ashkenazi Jews, 0.03% worldwide; or above 5% there alone
    ("0.0003", "0.03", "gnomADe_ASJ", "Likely_pathogenic", "reviewed_by_expert_panel", True),
    ("0.004", "0.08", "gnomADe_ASJ", "Pathogenic", "criteria_provided&_single_submitter", True),
    ("0.006", "0.014", "gnomADe_NFE", "Pathogenic", "", True),  # no review status in the file: what it says
    # BA1 (above 5% in a continental population), no assertion criteria, or a conflicting ClinVar record: the frequency
    ("0.03", "0.06", "gnomADe_NFE", "Pathogenic", "reviewed_by_expert_panel", False),
    ("0.0003", "0.03", "gnomADe_ASJ", "Pathogenic", "no_assertion_criteria_provided", False),
    ("0.0003", "0.03", "gnomADe_ASJ", "Conflicting_classifications_of_pathogenicity",
     "criteria_provided&_conflicting_classifications", False),
])  # fmt: skip
def test_a_clinvar_pathogenic_variant_is_not_set_aside_by_a_frequency_below_ba1(db, tmp_path, global_af, max_af, pops,
                                                                                 clinvar, review, kept):  # fmt: skip
    # The frequency factor (Exomiser's, 0 from 2%) set aside a ClinVar pathogenic frameshift at 3% among Ashkenazi
    # Jews, and halved GJB2 c.35delG or CFTR F508del at 1.4%: disease alleles common in some population, and the cause
    # in many patients. Exomiser keeps ClinVar P/LP variants with assertion criteria whatever their frequency (its
    # whitelist); below BA1 RareTrace does the same, and says so.
    entry = "|".join(["-", "frameshift_variant", "HIGH", "GENECV", "EGENECV", "protein_coding", "T1:c.35del",
                      "P1:p.Gly12fs", "YES", global_af, max_af, pops, clinvar, review])  # fmt: skip
    vcf = write_plain(tmp_path / "cv.vcf", vcf_text([record("1", 1000000, "CG", "C", info=f"CSQ={entry}")],
                                                    infos=(CLINVAR_CSQ_HEADER,)))  # fmt: skip
    found = load_genomics(vcf, db).genes.get("GENECV")
    if not kept:
        assert found is None or found.variants[0].pathogenicity < 0.5
        return
    (v,) = found.variants
    assert v.pathogenicity == pytest.approx(1.0)  # a frameshift's prior, as if it were rare
    (pp5,) = [c for c in v.criteria if c.code == "PP5"]
    assert pp5.value.startswith(clinvar.lower().replace("_", " ")) and "below BA1" in pp5.value
    assert "does not lower its pathogenicity" in pp5.reason
    if review:
        assert f"({review.replace('&', ',').replace('_', ' ')})" in pp5.value
    else:
        assert "review status not stated" in pp5.reason
    if pops == "gnomADe_ASJ":  # the frequency is a founder population's maximum: said, with the worldwide one
        assert f"founder or small ones; gnomADe_AF={global_af}" in pp5.value
    # the frequency's own label is unchanged
    assert [c.code for c in v.criteria if c.code in ("BA1", "BS1")] == ["BS1"]


def test_a_record_level_clinvar_pathogenic_variant_keeps_its_pathogenicity_below_ba1(db, fgfr2, tmp_path):
    # A gene-model variant with ClinVar and gnomAD in INFO (bcftools annotate, SnpSift): the same rule
    header = ('##INFO=<ID=CLNSIG,Number=.,Type=String,Description="ClinVar significance">',
              '##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description="ClinVar review status">',
              '##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD frequency">')  # fmt: skip
    pos = fgfr2.exonic(2)
    result = {}
    for review in ("criteria_provided,_single_submitter", "no_assertion_criteria_provided"):
        rec = record("10", pos, "A", "G", info=f"CLNSIG=Pathogenic;CLNREVSTAT={review};gnomAD_AF=0.015")
        found = load_genomics(write_plain(tmp_path / f"{review}.vcf", vcf_text([rec], infos=header)), db).genes
        result[review] = found["FGFR2"].variants[0] if "FGFR2" in found else None
    kept = result["criteria_provided,_single_submitter"]
    assert kept.pathogenicity == pytest.approx(0.95)
    assert next(c for c in kept.criteria if c.code == "PP5").value == (
        "pathogenic (criteria provided, single submitter); kept at gnomAD_AF=0.015, below BA1")
    from raretrace.genomics.interpret import frequency_factor

    lowered = result["no_assertion_criteria_provided"]  # no star: the frequency lowers it, as before
    assert lowered.pathogenicity == pytest.approx(0.95 * frequency_factor(0.015), abs=1e-4)


def test_clingens_ba1_exception_list_is_bundled_placed_and_checked_on_both_builds(tmp_path):
    # ClinGen SVI's BA1 exception list (Ghosh 2018) was not bundled: HFE C282Y at 6% in Europeans was BA1 (stand-alone
    # benign), which ClinGen forbids for it. The list is placed on both builds by the bundled gene model and checked
    # against the bundled protein (models/build_ba1_exceptions.py): rebuilding gives the bundled file byte for byte.
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "ba1_exceptions.tsv"
    subprocess.run([sys.executable, str(root / "models" / "build_ba1_exceptions.py"), str(out)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    bundled = (root / "resources" / "ba1_exceptions.tsv").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == bundled
    rows = [line.split("\t") for line in bundled.splitlines() if not line.startswith(("#", "gene\t"))]
    placed = {(r[3], r[4]): (r[5], int(r[6]), r[7], r[8]) for r in rows if r[3]}
    # dbSNP's positions of the three the brief names (HFE C282Y and H63D, GJB2 V37I)
    assert placed[("rs1800562", "GRCh37")] == ("6", 26093141, "G", "A")
    assert placed[("rs1800562", "GRCh38")] == ("6", 26092913, "G", "A")
    assert placed[("rs1799945", "GRCh37")] == ("6", 26091179, "C", "G")
    assert placed[("rs1799945", "GRCh38")] == ("6", 26090951, "C", "G")
    assert placed[("rs72474224", "GRCh37")] == ("13", 20763612, "C", "T")
    assert placed[("rs72474224", "GRCh38")] == ("13", 20189473, "C", "T")
    assert sorted({(r[0], r[1]) for r in rows}) == [
        ("BTD", "c.1330G>C"), ("GJB2", "c.-23+1G>A"), ("GJB2", "c.109G>A"), ("HFE", "c.187C>G"), ("HFE", "c.845G>A"),
        ("MEFV", "c.1105C>T"), ("MEFV", "c.1223G>A"), ("PIBF1", "c.1214G>A")]  # fmt: skip
    assert "Left out: ACAD9 c.-44_-41dupTAAG" in bundled  # its VCF form needs reference bases no resource holds


def test_the_bundled_variant_tables_are_read_for_one_build_with_position_keys():
    # The BA1 exception list, the 1000 Genomes frequencies and the published variants are read by one reader:
    # each table keeps its own build's rows under the gene model's chromosome names, with position keys
    # (chromosome code << 32 | position) that prefilter a chunk. A small gene index: no knowledge base needed.
    from raretrace.genomics.ba1_exceptions import Ba1Exceptions
    from raretrace.genomics.gene_model import GeneIndex
    from raretrace.genomics.population import PopulationFrequencies
    from raretrace.genomics.published import PublishedVariants

    index = GeneIndex("GRCh37", [("A", "1", "+", 100, 200, "100", "200"), ("B", "6", "+", 100, 200, "100", "200")])
    one, six = index.code_of("1"), index.code_of("6")
    exceptions = Ba1Exceptions("GRCh37", index)
    assert exceptions.lookup("chr6", 26093141, "G", "A") == "HFE c.845G>A p.(Cys282Tyr)"
    assert exceptions.lookup("13", 20766921, "C", "T") == "GJB2 c.-23+1G>A"  # no protein change: no p.
    assert exceptions.lookup("6", 26092913, "G", "A") == ""  # its GRCh38 position
    assert len(exceptions.by_variant) == 8 and (six << 32 | 26093141) in exceptions.keys.tolist()
    assert (13 << 32 | 20766921) not in exceptions.keys.tolist() and 20766921 in exceptions.keys.tolist()  # chrom 0
    assert exceptions.keys.dtype == np.int64 and exceptions.keys.tolist() == sorted(set(exceptions.keys.tolist()))
    frequencies = PopulationFrequencies("GRCh37", index)
    assert frequencies.lookup("chr1", 69761, "A", "T") == pytest.approx(0.036741)
    assert frequencies.lookup("1", 69761, "A", "G") is None
    assert (one << 32 | 69761) in frequencies.keys.tolist() and len(frequencies.keys) <= len(frequencies.by_variant)
    # a chunk's records: those a table lists, by index (another ALT at a listed position is not listed)
    chunk = [("chr1", 69761, "A", "T"), ("1", 69761, "A", "G"), ("6", 26093141, "G", "A"), ("2", 5, "C", "T")]
    positions = np.array([(index.code_of(c.removeprefix("chr")) << 32) | p for c, p, _r, _a in chunk], dtype=np.int64)
    assert frequencies.listed(positions, chunk.__getitem__) == {0: pytest.approx(0.036741), 2: pytest.approx(0.01258)}
    assert exceptions.listed(positions, chunk.__getitem__) == {2: "HFE c.845G>A p.(Cys282Tyr)"}
    published = PublishedVariants("GRCh37", index)
    (found,) = published.lookup("chr1", 1167659, "A", "G", frozenset())
    assert (found.pmid, found.gene) == ("PMID:23664117", "B3GALT6")
    assert published.lookup("1", 1232279, "A", "G", frozenset()) == ()  # its GRCh38 position
    assert published.lookup("1", 1167659, "A", "G", frozenset({"PMID:23664117"})) == ()
    assert (one << 32 | 1167659) in published.keys.tolist()


def _hfe_c282y_csq(max_af: str, clinvar: str = "Pathogenic", alt: str = "A") -> str:
    return "CSQ=" + "|".join([alt, "missense_variant", "MODERATE", "HFE", "ENSG00000010704", "protein_coding",
                              "ENST00000357618:c.845G>A", "ENSP00000349437:p.Cys282Tyr", "YES", "0.03", max_af,
                              "gnomADe_NFE", clinvar, "criteria_provided&_multiple_submitters&_no_conflicts"])  # fmt: skip


@pytest.mark.parametrize(("build", "pos"), [("GRCh37", 26093141), ("GRCh38", 26092913)])
def test_a_variant_on_clingens_ba1_exception_list_is_not_ba1(db, tmp_path, build, pos):
    # HFE c.845G>A p.Cys282Tyr, homozygous in most of hereditary haemochromatosis, is at ~6% in gnomAD's
    # non-Finnish Europeans: BA1 set it aside (its ClinVar pathogenic classification no longer kept it), so a
    # haemochromatosis patient's cause was not among the candidates. ClinGen SVI lists it as an exception to BA1.
    recs = [record("6", pos, "G", "A", "1/1", info=_hfe_c282y_csq("0.06"))]
    result = load_genomics(write_plain(tmp_path / "hfe.vcf", vcf_text(recs, build=build, infos=(CLINVAR_CSQ_HEADER,))),
                           db)  # fmt: skip
    (v,) = result.genes["HFE"].variants
    assert v.pathogenicity == pytest.approx(0.95)  # kept by ClinVar, as a founder variant below BA1 is
    assert "BA1" not in codes(v)
    (bs1,) = [c for c in v.criteria if c.code == "BS1"]  # the frequency rule still gives BS1
    # the value (what the report and the evidence pane show, not the reason) says why it is not BA1
    assert bs1.value.startswith("MAX_AF=0.06 (gnomADe_NFE); BA1 not applied: on ClinGen SVI's BA1 exception list")
    assert "BA1 not applied: on ClinGen SVI's BA1 exception list (HFE c.845G>A p.(Cys282Tyr))" in bs1.reason
    (pp5,) = [c for c in v.criteria if c.code == "PP5"]
    assert "on ClinGen SVI's BA1 exception list" in pp5.value and "below BA1" not in pp5.value
    # another change at the same position is not on the list: BA1 sets it aside, as before
    other = record("6", pos, "G", "T", "1/1", info=_hfe_c282y_csq("0.06", alt="T"))
    vcf = write_plain(tmp_path / "other.vcf", vcf_text([other], build=build, infos=(CLINVAR_CSQ_HEADER,)))
    assert "HFE" not in load_genomics(vcf, db).genes


def test_a_listed_variant_with_only_the_bundled_frequency_is_not_ba1(db, tmp_path):
    # HFE c.187C>G p.His63Asp with ClinVar in INFO and no frequency of its own: the bundled 1000 Genomes frequency
    # (7.3%) made it BA1 and set it aside whatever ClinVar said.
    header = ('##INFO=<ID=CLNSIG,Number=.,Type=String,Description="ClinVar significance">',
              '##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description="ClinVar review status">')  # fmt: skip
    info = "CLNSIG=Pathogenic;CLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts"
    result = load_genomics(write_plain(tmp_path / "h63d.vcf", vcf_text([record("6", 26091179, "C", "G", "1/1", info=info)],
                                                                       infos=header)), db)  # fmt: skip
    (v,) = result.genes["HFE"].variants
    assert v.pathogenicity >= 0.95 and "BA1" not in codes(v)
    (bs1,) = [c for c in v.criteria if c.code == "BS1"]
    assert bs1.value.startswith("1000 Genomes (bundled)=0.07308; BA1 not applied: on ClinGen SVI's BA1 exception list")
    assert "BA1 not applied: on ClinGen SVI's BA1 exception list (HFE c.187C>G p.(His63Asp))" in bs1.reason


@pytest.mark.parametrize(("build", "pos"), [("GRCh37", 26093141), ("GRCh38", 26092913)])
@pytest.mark.parametrize("af", ["0.03", "0.06"])
def test_a_listed_variant_without_clinvar_is_not_set_aside_by_its_frequency(db, tmp_path, build, pos, af):
    # HFE C282Y homozygous, a gnomAD frequency in the file and no ClinVar: BA1 was not applied (the list), but the
    # frequency factor (Exomiser's, 0 from 2%) still set it aside, so haemochromatosis' commonest cause was no
    # candidate unless ClinVar was annotated too. The list's variants are pathogenic or uncertain whatever their
    # frequency: BS1 says the frequency, the variant stays.
    header = ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD frequency">',)
    rec = record("6", pos, "G", "A", "1/1", info=f"gnomAD_AF={af}")
    result = load_genomics(write_plain(tmp_path / "hfe.vcf", vcf_text([rec], build=build, infos=header)), db)
    (v,) = result.genes["HFE"].variants
    assert v.pathogenicity >= 0.5 and "BA1" not in codes(v)
    (bs1,) = [c for c in v.criteria if c.code == "BS1"]
    assert bs1.value.startswith(f"gnomAD_AF={af}; ") and "on ClinGen SVI's BA1 exception list" in bs1.value
    assert "HFE c.845G>A p.(Cys282Tyr)" in bs1.reason
    # another change at the same position is not on the list: the frequency sets it aside, as before
    other = record("6", pos, "G", "T", "1/1", info=f"gnomAD_AF={af}")
    vcf = write_plain(tmp_path / "other.vcf", vcf_text([other], build=build, infos=header))
    assert "HFE" not in load_genomics(vcf, db).genes


def test_ba1_is_not_applied_to_a_listed_variant_whatever_clinvar_says():
    from raretrace.genomics.interpret import SNV, criteria

    def frequency_labels(exception: str) -> list[tuple[str, str]]:
        found = criteria(consequence="missense_variant", annotated=True, region=None, vclass=SNV, af=0.073,
                         af_source="gnomAD_AF", af_field_present=True, clinvar="", scores={}, de_novo=None,
                         parents_text="", in_trans_with="", ba1_exception=exception)  # fmt: skip
        return [(c.code, c.reason) for c in found if c.code in ("BA1", "BS1")]

    assert frequency_labels("") == [("BA1", "allele frequency above 5%")]
    assert frequency_labels("HFE c.187C>G p.(His63Asp)") == [(
        "BS1", "allele frequency above 1%; BA1 not applied: on ClinGen SVI's BA1 exception list (HFE c.187C>G "
        "p.(His63Asp))")]  # fmt: skip


@pytest.mark.parametrize(("clinvar", "review", "explained"), [
    ("Pathogenic", "criteria_provided,_multiple_submitters,_no_conflicts", True),
    ("Likely_pathogenic", "", True),  # no review status in the file: kept, as clinvar_keeps says
    ("Pathogenic", "no_assertion_criteria_provided", False),  # not kept: the frequency lowers it, BS1 as it is
    ("", "", False),
])  # fmt: skip
def test_bs1_beside_a_clinvar_keep_says_why_both_appear(clinvar, review, explained):
    # CFTR F508del at 1.4% kept by ClinVar (PP5: 'kept at ..., below BA1') showed BS1 'allele frequency above 1%'
    # (strong benign) as if the two agreed: the label contradicted the keep without a word. BS1 stays (the frequency
    # is above the generic bound; ClinGen shows conflicting evidence), and says what weighs it.
    from raretrace.genomics.interpret import SNV, criteria

    found = criteria(consequence="frameshift_variant", annotated=True, region=None, vclass=SNV, af=0.014,
                     af_source="gnomADe_AF", af_field_present=True, clinvar=clinvar, clinvar_review=review, scores={},
                     de_novo=None, parents_text="", in_trans_with="")  # fmt: skip
    (bs1,) = [c for c in found if c.code == "BS1"]
    assert bs1.reason.startswith("allele frequency above 1%")
    said = "ClinVar's pathogenic classification keeps this variant (PP5)"
    assert (said in bs1.reason) == explained
    # the value is what the report and the evidence pane show (the reason only in a tooltip and the JSON)
    assert (bs1.value == "gnomADe_AF=0.014; 1% is a generic bound, and ClinVar's classification keeps it (PP5)") == explained
    if explained:
        assert "the generic bound" in bs1.reason and "the disorder allows" in bs1.reason
        (pp5,) = [c for c in found if c.code == "PP5"]
        assert "below BA1" in pp5.value


def test_pm2_says_its_threshold(db, tmp_path):
    # PM2 is set at one frequency whatever the gene's inheritance; 'ultra-rare' alone did not say which, and a
    # recessive gene's variant just above it gets none: the label states the bound it was judged by.
    recs = [record("1", 1000000, "C", "T", info="CSQ=" + _max_af_csq("0.00005", "0.00008", "gnomADe_NFE"))]
    v = load_genomics(write_plain(tmp_path / "pm2.vcf", vcf_text(recs, infos=(MAX_AF_CSQ_HEADER,))), db)
    (pm2,) = [c for c in v.genes["GENEAF"].variants[0].criteria if c.code == "PM2"]
    assert pm2.value == "MAX_AF=8e-05 (gnomADe_NFE)"
    assert pm2.reason == "ultra-rare in the population (at most 0.01%, the threshold for any inheritance)"


def test_a_homozygous_call_in_a_recessive_gene_is_pm3_supporting(db, tmp_path):
    # ClinGen SVI's PM3 (2019) counts a homozygous occurrence in an affected individual as 0.5 point (supporting); only
    # compound heterozygous calls had PM3. Without the parents one allele may be missing (a deletion): said.
    cftr, fg = gene(db, "CFTR"), gene(db, "FGFR2")
    af = ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD allele frequency">',)
    rare = "gnomAD_AF=0.0001"
    recs = [record("7", cftr.exonic(3), "C", "T", "1/1", info=rare), record("10", fg.exonic(2), "A", "G", "1/1", info=rare)]
    result = load_genomics(write_plain(tmp_path / "hom.vcf", vcf_text(recs, infos=af)), db)
    (pm3,) = [c for c in result.genes["CFTR"].variants[0].criteria if c.code == "PM3"]
    assert (pm3.label, pm3.value) == ("PM3 (supporting)",
                                      "homozygous; no parents' calls: a deletion of the other allele not excluded")
    assert "PM3" not in codes(result.genes["FGFR2"].variants[0])  # dominant disorders only: ACMG's PM3 is recessive
    het = load_genomics(write_plain(tmp_path / "het.vcf", vcf_text([record("7", cftr.exonic(3), "C", "T", "0/1",
                                                                           info=rare)], infos=af)), db)
    assert "PM3" not in codes(het.genes["CFTR"].variants[0])
    # no label without data: a homozygous call of unknown frequency (an unannotated exome's are mostly common
    # polymorphisms) is no PM3
    unknown = load_genomics(write_plain(tmp_path / "u.vcf", vcf_text([record("7", cftr.exonic(3), "C", "T", "1/1")])),
                            db)
    assert "PM3" not in codes(unknown.genes["CFTR"].variants[0])
    # in a trio, from both parents: the parents' calls in the value; one parent without it is no PM3 (inconsistent)
    both = [record("7", cftr.exonic(3), "C", "T", "0/1", "1/1", "0/1", info=rare)]
    trio = load_genomics(write_plain(tmp_path / "t.vcf", vcf_text(both, samples=TRIO, infos=af)), db,
                         ped=write_ped(tmp_path / "t.ped", TRIO_PED))
    assert [c.value for c in trio.genes["CFTR"].variants[0].criteria if c.code == "PM3"] == [
        "homozygous; father 0/1, mother 0/1"]
    one = [record("7", cftr.exonic(3), "C", "T", "0/0", "1/1", "0/1", info=rare)]
    odd = load_genomics(write_plain(tmp_path / "o.vcf", vcf_text(one, samples=TRIO, infos=af)), db,
                        ped=write_ped(tmp_path / "o.ped", TRIO_PED))
    assert "PM3" not in codes(odd.genes["CFTR"].variants[0])


def test_snpeff_loss_of_function_on_a_non_coding_transcript_or_in_the_last_exon(db, tmp_path):
    lnc = "T|splice_donor_variant&intron_variant|HIGH|GENELNC|G1|transcript|T1|lncRNA|1/3|n.100+1G>A||||||"
    processed = ("T|stop_gained|HIGH|GENEPT|G2|transcript|T2|processed_transcript|2/4|n.50C>T||||||,"
                 "T|stop_gained|HIGH|GENEPT|G2|transcript|T3|lncRNA|2/4|n.60C>T||||||")  # fmt: skip
    last = "T|stop_gained|HIGH|GENELAST|G3|transcript|T4|protein_coding|13/13|c.1300C>T|p.Gln434*|||||"
    internal = "T|stop_gained|HIGH|GENEINT|G4|transcript|T5|protein_coding|3/13|c.300C>T|p.Gln100*|||||"
    recs = [record("1", 1000000 * (n + 1), "C", "T", info=f"ANN={ann}")
            for n, ann in enumerate((lnc, processed, last, internal))]  # fmt: skip
    header = ANN_HEADER + '\n##INFO=<ID=LOF,Number=.,Type=String,Description="Predicted loss of function effects">'
    recs[3] = recs[3].replace("\tGT\t", ";LOF=(GENEINT|G4|1|1.00)\tGT\t")  # LOF without NMD: still very strong
    result = load_genomics(write_plain(tmp_path / "snpeff.vcf", vcf_text(recs, infos=(header,))), db)
    assert "GENELNC" not in result.genes and "GENEPT" not in result.genes
    assert pvs1(result.genes["GENEINT"].variants[0]).strength == "very_strong"
    last_v = result.genes["GENELAST"].variants[0]
    assert pvs1(last_v).strength == "strong" and "last exon (13/13)" in pvs1(last_v).value


def test_an_annotated_start_loss_is_pvs1_at_moderate_strength_at_most(db, tmp_path):
    # ClinGen SVI's PVS1 tree (Abou Tayoun 2018): an initiation codon variant is PVS1_Moderate at most, as the gene
    # model's own start codon change already was; VEP's and SnpEff's start_lost were labelled very strong.
    vep = record("1", 1000000, "C", "T", info="CSQ=" + lof_csq("GENEVEP", "start_lost", exon="1/13", lof="HC"))
    doubted = record("1", 2000000, "C", "T", info="CSQ=" + lof_csq("GENELC", "start_lost", exon="1/13", lof="LC"))
    snpeff = record("1", 3000000, "C", "T",
                    info="ANN=T|start_lost|HIGH|GENESNPEFF|G1|transcript|T1|protein_coding|1/9|c.2T>C|p.Met1?|||||")
    header = (LOF_CSQ_HEADER, ANN_HEADER)
    result = load_genomics(write_plain(tmp_path / "start.vcf", vcf_text([vep, doubted, snpeff], infos=header)), db)
    for symbol in ("GENEVEP", "GENELC", "GENESNPEFF"):
        lost = pvs1(result.genes[symbol].variants[0])
        assert (lost.strength, lost.label) == ("moderate", "PVS1 (moderate)"), symbol
        assert "initiation codon" in lost.reason
    assert "LOFTEE LC" in pvs1(result.genes["GENELC"].variants[0]).value


def test_conflicting_clinvar_values_are_neither_pathogenic_nor_benign(db, fgfr2, tmp_path):
    clnsig = '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="ClinVar clinical significance">'
    recs = [record("10", fgfr2.exonic(2), "A", "G", info="CLNSIG=Uncertain_significance/Pathogenic")]
    note = load_genomics(write_plain(tmp_path / "clnsig.vcf", vcf_text(recs, infos=(clnsig,))), db)
    bare = note.genes["FGFR2"].variants[0]
    assert "PP5" not in codes(bare) and bare.pathogenicity < 0.9
    values = {"GENEVUSP": "uncertain_significance&pathogenic", "GENECONF": "Conflicting_interpretations_of_pathogenicity",
              "GENEPLP": "pathogenic&likely_pathogenic", "GENEPB": "likely_benign&pathogenic"}  # fmt: skip
    recs = [record("1", 1000000 * (n + 1), "C", "T", info="CSQ=" + lof_csq(g, "missense_variant", clinvar=c,
                                                                           revel="0.5"))  # fmt: skip
            for n, (g, c) in enumerate(values.items())]
    result = load_genomics(write_plain(tmp_path / "clinvar.vcf", vcf_text(recs, infos=(LOF_CSQ_HEADER,))), db)
    plp = result.genes["GENEPLP"].variants[0]
    assert "PP5" in codes(plp) and plp.pathogenicity >= 0.95
    # ClinGen SVI retired PP5/BP6 (Biesecker 2018): the label says so rather than pass as current evidence
    assert "retired by ClinGen SVI" in next(c for c in plp.criteria if c.code == "PP5").reason
    for g in ("GENEVUSP", "GENECONF", "GENEPB"):
        v = result.genes[g].variants[0]
        assert not {"PP5", "BP6"} & codes(v) and v.pathogenicity == pytest.approx(0.5), g
    from raretrace.genomics.annotation import clinvar_class

    assert clinvar_class("uncertain_significance&pathogenic") == "conflicting"
    assert clinvar_class("Pathogenic/Likely_benign") == "conflicting"
    assert clinvar_class("Conflicting_interpretations_of_pathogenicity") == "conflicting"
    assert clinvar_class("conflicting_classifications_of_pathogenicity") == "conflicting"
    assert clinvar_class("pathogenic&likely_pathogenic") == "pathogenic"
    assert clinvar_class("Pathogenic/Likely_pathogenic|risk_factor") == "pathogenic"
    assert clinvar_class("Likely_pathogenic,_low_penetrance") == "pathogenic"
    assert clinvar_class("benign&likely_benign") == "benign"
    assert clinvar_class("drug_response") == clinvar_class(".") == ""


def test_pp3_is_not_added_to_pvs1_but_bp4_is_kept(db, tmp_path):
    recs = [
        record("1", 1000000, "C", "T", info="CSQ=" + lof_csq("GENECADD", "stop_gained", cadd="40")),
        record("1", 2000000, "C", "T", info="CSQ=" + lof_csq("GENEREVEL", "stop_gained", revel="0.9")),
        record("1", 3000000, "C", "T", info="CSQ=" + lof_csq("GENEBP4", "stop_gained", revel="0.1")),
        record("1", 4000000, "C", "T", info="CSQ=" + lof_csq("GENEMISS", "missense_variant", cadd="40")),
    ]
    result = load_genomics(write_plain(tmp_path / "pp3.vcf", vcf_text(recs, infos=(LOF_CSQ_HEADER,))), db)
    variant = {g: result.genes[g].variants[0] for g in ("GENECADD", "GENEREVEL", "GENEBP4", "GENEMISS")}
    assert "PVS1" in codes(variant["GENECADD"]) and "PP3" not in codes(variant["GENECADD"])
    assert "PVS1" in codes(variant["GENEREVEL"]) and "PP3" not in codes(variant["GENEREVEL"])
    # (a missense predictor says nothing of a stop gained: neither PP3 nor BP4 from it, test below)
    assert "PVS1" in codes(variant["GENEBP4"]) and "BP4" not in codes(variant["GENEBP4"])
    assert "PP3" in codes(variant["GENEMISS"])  # without PVS1, PP3 stands


SPLICE_CSQ_HEADER = (
    '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
    'Format: Allele|Consequence|IMPACT|SYMBOL|Gene|BIOTYPE|REVEL|CADD_PHRED|SpliceAI_pred_DS_AG|SpliceAI_pred_DS_AL|'
    'SpliceAI_pred_DS_DG|SpliceAI_pred_DS_DL">'
)


def test_missense_predictors_label_only_a_change_that_may_be_missense(db, fgfr2, tmp_path):
    # REVEL and CADD are calibrated on missense changes (Pejaver 2022). A score the file states for the record (dbNSFP
    # through SnpSift, another transcript's or gene's missense change) gave an intronic splice-region change of an
    # overlapping gene "PP3: missense predicted damaging", a VEP stop gained or splice site BP4 beside PVS1, and a
    # synonymous splice-region change PP3 from CADD; splicing is told by SpliceAI (ClinGen SVI splicing, Walker 2023).
    def vep(gene, consequence, revel="", cadd="", splice=""):
        return "|".join(["T", consequence, "", gene, "E" + gene, "protein_coding", revel, cadd, splice, "0", "0", "0"])

    revel = '##INFO=<ID=dbNSFP_REVEL_score,Number=.,Type=String,Description="REVEL score from dbNSFP">'
    snpeff = ("T|missense_variant|MODERATE|GENEMIS|G1|transcript|T1|protein_coding|3/9|c.300C>T|p.Arg100Cys|||||,"
              "T|splice_region_variant&intron_variant|LOW|GENEOVL|G2|transcript|T2|protein_coding|4/9|c.400+5G>A|||||")
    recs = [
        record("1", 1000000, "C", "T", info=f"dbNSFP_REVEL_score=0.9;ANN={snpeff}"),
        record("1", 2000000, "C", "T", info="CSQ=" + vep("GENESYN", "splice_region_variant&synonymous_variant",
                                                          cadd="30", splice="0.02")),
        record("1", 3000000, "C", "T", info="CSQ=" + vep("GENEDON", "splice_donor_variant", revel="0.1", cadd="15",
                                                          splice="0.05")),  # fmt: skip
        record("1", 4000000, "C", "T", info="CSQ=" + vep("GENEBEN", "missense_variant", revel="0.2", splice="0.05")),
    ]
    result = load_genomics(write_plain(tmp_path / "tools.vcf", vcf_text(recs, infos=(revel, ANN_HEADER,
                                                                                       SPLICE_CSQ_HEADER))), db)
    assert [(c.code, c.value) for c in result.genes["GENEMIS"].variants[0].criteria] == [("PP3", "REVEL=0.9")]
    assert not result.genes["GENEOVL"].variants[0].criteria
    synonymous = result.genes["GENESYN"].variants[0]
    assert [(c.code, c.value, c.reason) for c in synonymous.criteria] == [
        ("BP4", "SpliceAI=0.02", "predicted not to alter splicing")]
    assert codes(result.genes["GENEDON"].variants[0]) == {"PVS1"}
    assert [(c.code, c.value) for c in result.genes["GENEBEN"].variants[0].criteria] == [("BP4", "REVEL=0.2")]
    # the gene model: a splice site with a record-level REVEL, a missense change with it
    info = '##INFO=<ID=REVEL,Number=A,Type=Float,Description="REVEL score">'
    site, coding = fgfr2.intronic(4, 2), fgfr2.exonic(3)
    recs = sorted([record("10", site, "A", "G", info="REVEL=0.1"), record("10", coding, "A", "G", info="REVEL=0.95")])
    found = {v.pos: v for v in load_genomics(write_plain(tmp_path / "gm.vcf", vcf_text(recs, infos=(info,))),
                                             db).genes["FGFR2"].variants}  # fmt: skip
    assert codes(found[site]) == {"PVS1"} and "PP3" in codes(found[coding])


def test_bp4_from_a_missense_reading_at_an_exons_edge_needs_spliceai(db, tmp_path):
    # A missense change at an exon's last base (the donor's -1, a splice-region position) took BP4 (benign computational)
    # from its residue's low conservation, or from REVEL, with no splicing prediction at all; such a change may disrupt
    # splicing, which neither reads (ClinGen SVI: Pejaver 2022, Walker 2023). There BP4 needs SpliceAI's no-change.
    # CFTR's exon 2 ends at 7:117144417 (plus strand), FBN1's exon 57 at 15:48720543 (minus strand: its lowest base);
    # both residues (Arg55, Asp2333) are kept by 50-59% of homologues.
    spliceai = '##INFO=<ID=SpliceAI,Number=.,Type=String,Description="SpliceAI: ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL">'
    revel = '##INFO=<ID=REVEL,Number=A,Type=Float,Description="REVEL score">'

    def bp4(gene_symbol: str, rec: str) -> list[tuple[str, str]]:
        vcf = write_plain(tmp_path / "edge.vcf", vcf_text([rec], infos=(spliceai, revel)))
        (v,) = load_genomics(vcf, db).genes[gene_symbol].variants
        assert v.consequence == "missense"
        # the splice region is named beside the change, as VEP names it, so that BP4's absence has its reason in sight
        assert v.hgvs.endswith("; in a splice region (splice_region_variant): may alter splicing") == (
            v.pos != 117120182)
        return [(c.code, c.value) for c in v.criteria if c.code in ("BP4", "PP3")]

    not_conserved = [("BP4", "residue kept by under 60% of homologous proteins")]
    assert bp4("CFTR", record("7", 117144417, "G", "A")) == []
    assert bp4("FBN1", record("15", 48720543, "C", "T")) == []
    assert bp4("CFTR", record("7", 117144417, "G", "A", info="REVEL=0.1")) == []
    assert bp4("CFTR", record("7", 117144417, "G", "A", info="SpliceAI=A|CFTR|0.05|0.00|0.01|0.00")) == not_conserved
    assert bp4("CFTR", record("7", 117144417, "G", "A", info="REVEL=0.1;SpliceAI=A|CFTR|0.05|0|0|0")) == [
        ("BP4", "REVEL=0.1")]
    # SpliceAI between its thresholds (0.1-0.2) withholds BP4 from conservation as from REVEL, anywhere in the exon
    assert bp4("CFTR", record("7", 117144417, "G", "A", info="SpliceAI=A|CFTR|0.15|0|0|0")) == []
    assert bp4("CFTR", record("7", 117120182, "G", "A", info="SpliceAI=A|CFTR|0.15|0|0|0")) == []
    # away from the exon's edge (CFTR's Val12), no splicing prediction is needed, as before
    assert bp4("CFTR", record("7", 117120182, "G", "A")) == not_conserved
    # annotated: VEP's splice_region_variant beside the missense change says the same
    def vep(consequence: str, splice: str = "") -> str:
        return "CSQ=" + "|".join(["T", consequence, "", "GENEEDGE", "EGENEEDGE", "protein_coding", "0.1", "", splice,
                                  "", "", ""])  # fmt: skip

    recs = [record("1", 1000000, "C", "T", info=vep("missense_variant&splice_region_variant")),
            record("1", 2000000, "C", "T", info=vep("missense_variant&splice_region_variant", "0.02")),
            record("1", 3000000, "C", "T", info=vep("missense_variant"))]  # fmt: skip
    found = load_genomics(write_plain(tmp_path / "vep.vcf", vcf_text(recs, infos=(SPLICE_CSQ_HEADER,))), db).genes
    told = {v.pos: [c.code for c in v.criteria] for v in found["GENEEDGE"].variants}
    assert told == {1000000: [], 2000000: ["BP4"], 3000000: ["BP4"]}
    # and the file's splice_region_variant, which the consequence it ranks first leaves out, is named as the gene
    # model's is
    named = {v.pos: v.hgvs.endswith("in a splice region (splice_region_variant): may alter splicing")
             for v in found["GENEEDGE"].variants}  # fmt: skip
    assert named == {1000000: True, 2000000: True, 3000000: False}


PREDICTOR_CSQ_FIELDS = ("Allele", "Consequence", "IMPACT", "SYMBOL", "Gene", "BIOTYPE", "SIFT", "PolyPhen", "REVEL",
                        "BayesDel_addAF_score", "BayesDel_noAF_score", "ada_score", "rf_score", "SpliceAI_pred_DS_AG")


def test_a_calibrated_predictor_between_its_thresholds_is_not_overruled_by_conservation():
    # ClinGen (Pejaver 2022) takes one calibrated predictor as the in-silico line: BayesDel 0.0 reads indeterminate,
    # and the residue's conservation across homologues gave PP3 beside it
    from raretrace.genomics.gene_model import MISSENSE_CONSERVED
    from raretrace.genomics.interpret import SNV, criteria

    def told(scores):
        return [c.label for c in criteria(consequence="missense_variant", annotated=True, region=None, vclass=SNV,
                                          cds=MISSENSE_CONSERVED, af=None, af_source="", af_field_present=False,
                                          clinvar="", scores=scores, de_novo=None, parents_text="", in_trans_with="")]

    assert told({"BayesDel_noAF": 0.0}) == [] and told({}) == ["PP3"]


def test_bayesdel_dbscsnv_sift_and_polyphen_are_read_from_vep_snpsift_and_annovar(db, tmp_path):
    # VEP's dbNSFP and dbscSNV plugins write BayesDel_addAF_score/BayesDel_noAF_score and ada_score/rf_score, VEP's own
    # --sift b/--polyphen b 'deleterious(0.01)' and 'probably_damaging(0.998)'; SnpSift dbnsfp prefixes dbNSFP_, and
    # ANNOVAR's dbnsfp and dbscsnv11 databases write SIFT_score, Polyphen2_HVAR_score and dbscSNV_ADA_SCORE. None was
    # read: a missense change with BayesDel 0.55 (PP3 strong, Pejaver 2022) or a splice-region change dbscSNV calls
    # splice-altering had no label.
    header = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: '
              + "|".join(PREDICTOR_CSQ_FIELDS) + '">')  # fmt: skip

    def vep(gene: str, consequence: str = "missense_variant", **values: str) -> str:
        fixed = {"Allele": "T", "Consequence": consequence, "SYMBOL": gene, "Gene": "E" + gene,
                 "BIOTYPE": "protein_coding"}  # fmt: skip
        return "CSQ=" + "|".join((fixed | values).get(f, "") for f in PREDICTOR_CSQ_FIELDS)

    cases = {
        "GENEBD": vep("GENEBD", BayesDel_noAF_score="0.55", BayesDel_addAF_score="0.2"),  # noAF: the calibrated one
        "GENEBDA": vep("GENEBDA", BayesDel_addAF_score="0.3"),
        "GENEBDB": vep("GENEBDB", BayesDel_noAF_score="-0.4"),
        "GENEREV": vep("GENEREV", REVEL="0.2", BayesDel_noAF_score="0.45", SIFT="deleterious(0.01)",
                       PolyPhen="probably_damaging(0.998)"),  # REVEL stays preferred
        "GENESP": vep("GENESP", SIFT="deleterious(0.01)", PolyPhen="probably_damaging(0.998)"),
        "GENESPB": vep("GENESPB", SIFT="tolerated(0.4)", PolyPhen="benign(0.01)"),
        "GENESPX": vep("GENESPX", SIFT="deleterious(0.01)", PolyPhen="benign(0.1)"),  # they disagree: shown only
        "GENESPU": vep("GENESPU", SIFT="tolerated(0.5)", PolyPhen="unknown(0)"),  # PolyPhen made no prediction
        "GENEADA": vep("GENEADA", "splice_region_variant&intron_variant", ada_score="0.95", rf_score="0.8"),
        "GENEADR": vep("GENEADR", "splice_region_variant&intron_variant", ada_score="0.95", rf_score="0.3"),
        "GENEADS": vep("GENEADS", "splice_region_variant&intron_variant", ada_score="0.95", rf_score="0.9",
                       SpliceAI_pred_DS_AG="0.01"),  # SpliceAI, where given, decides splicing
    }  # fmt: skip
    recs = [record("1", 1000000 * (n + 1), "C", "T", info=info) for n, info in enumerate(cases.values())]
    result = load_genomics(write_plain(tmp_path / "pred.vcf", vcf_text(recs, infos=(header,))), db)
    told = {g: [(c.label, c.value) for c in result.genes[g].variants[0].criteria] for g in cases}
    assert told["GENEBD"] == [("PP3 (strong)", "BayesDel_noAF=0.55")]
    assert result.genes["GENEBD"].variants[0].scores == {"BayesDel_noAF": 0.55, "BayesDel_addAF": 0.2}
    assert told["GENEBDA"] == [("PP3 (moderate)", "BayesDel_addAF=0.3")]
    assert told["GENEBDB"] == [("BP4 (moderate)", "BayesDel_noAF=-0.4")]
    assert told["GENEREV"] == [("BP4", "REVEL=0.2")]
    assert told["GENESP"] == [("PP3", "SIFT=0.01 (deleterious); PolyPhen=0.998 (probably damaging)")]
    assert result.genes["GENESP"].variants[0].scores == {"SIFT": 0.01, "PolyPhen": 0.998}
    assert told["GENESPB"] == [("BP4", "SIFT=0.4 (tolerated); PolyPhen=0.01 (benign)")]
    assert told["GENESPX"] == [] and result.genes["GENESPX"].variants[0].scores == {"SIFT": 0.01, "PolyPhen": 0.1}
    assert told["GENESPU"] == [] and result.genes["GENESPU"].variants[0].scores == {"SIFT": 0.5}
    assert told["GENEADA"] == [("PP3", "dbscSNV ada=0.95, rf=0.8")]
    assert told["GENEADR"] == []
    assert told["GENEADS"] == [("BP4", "SpliceAI=0.01")]

    # SnpSift dbnsfp beside SnpEff's ANN, and ANNOVAR's columns
    snpsift = ('##INFO=<ID=dbNSFP_BayesDel_noAF_score,Number=A,Type=Float,Description="Field from dbNSFP">',
               '##INFO=<ID=dbNSFP_SIFT_score,Number=A,Type=Float,Description="Field from dbNSFP">',
               '##INFO=<ID=dbNSFP_Polyphen2_HVAR_score,Number=A,Type=Float,Description="Field from dbNSFP">')
    ann = "T|missense_variant|MODERATE|GENESS|G1|transcript|T1|protein_coding|3/9|c.300C>T|p.Arg100Cys|||||"
    rec = record("1", 1000000, "C", "T", info=f"dbNSFP_BayesDel_noAF_score=0.3;dbNSFP_SIFT_score=0.01;"
                                                f"dbNSFP_Polyphen2_HVAR_score=0.99;ANN={ann}")  # fmt: skip
    (v,) = load_genomics(write_plain(tmp_path / "ss.vcf", vcf_text([rec], infos=(*snpsift, ANN_HEADER))),
                         db).genes["GENESS"].variants  # fmt: skip
    assert [(c.label, c.value) for c in v.criteria] == [("PP3 (moderate)", "BayesDel_noAF=0.3")]
    assert v.scores == {"BayesDel_noAF": 0.3, "SIFT": 0.01, "PolyPhen": 0.99}
    databases = ("SIFT_score", "Polyphen2_HVAR_score", "dbscSNV_ADA_SCORE", "dbscSNV_RF_SCORE")
    recs = [record("1", 3000000, "T", "C", info=_annovar("exonic", "GENEAM", exonic="nonsynonymous_SNV",
                                                          aachange="GENEAM:NM_4:exon2:c.T7C:p.L3P", SIFT_score="0.02",
                                                          Polyphen2_HVAR_score="0.95")),
            record("1", 4000000, "G", "A", info=_annovar("splicing", "GENEAS", detail="NM_2:exon3:c.300+4G>A",
                                                          dbscSNV_ADA_SCORE="0.99", dbscSNV_RF_SCORE="0.9"))]  # fmt: skip
    infos = _annovar_header("refGene", databases=("gnomAD_exome_ALL", "ExAC_ALL", "1000g2015aug_all", "CLNSIG",
                                                  "CLNREVSTAT", "REVEL", "CADD_phred", "SIFT_pred", *databases))
    result = load_genomics(write_plain(tmp_path / "av.vcf", vcf_text(recs, infos=infos)), db)
    predicted = {g: [(c.label, c.value) for c in result.genes[g].variants[0].criteria if c.code in ("PP3", "BP4")]
                 for g in ("GENEAM", "GENEAS")}  # fmt: skip
    assert predicted == {"GENEAM": [("PP3", "SIFT=0.02 (deleterious); PolyPhen=0.95 (probably damaging)")],
                         "GENEAS": [("PP3", "dbscSNV ada=0.99, rf=0.9")]}  # fmt: skip


@pytest.mark.parametrize(
    ("scores", "label"),
    [({"REVEL": 0.95}, "PP3 (strong)"), ({"REVEL": 0.932}, "PP3 (strong)"), ({"REVEL": 0.8}, "PP3 (moderate)"),
     ({"REVEL": 0.7}, "PP3"), ({"REVEL": 0.644}, "PP3"), ({"REVEL": 0.5, "CADD": 35}, ""),
     ({"REVEL": 0.29}, "BP4"), ({"REVEL": 0.1}, "BP4 (moderate)"), ({"REVEL": 0.01}, "BP4 (strong)"),
     ({"CADD": 30}, "PP3 (moderate)"), ({"CADD": 26}, "PP3"), ({"CADD": 20}, "BP4"), ({"CADD": 12}, "BP4 (moderate)"),
     ({"REVEL": 0.1, "SpliceAI": 0.5}, "PP3"),  # a predicted splice change outweighs a benign missense score
     ({"BayesDel_noAF": 0.5}, "PP3 (strong)"), ({"BayesDel_noAF": 0.45}, "PP3 (moderate)"), ({"BayesDel_noAF": 0.27}, "PP3 (moderate)"),
     ({"BayesDel_noAF": 0.13}, "PP3"), ({"BayesDel_noAF": 0.1}, ""), ({"BayesDel_noAF": -0.18}, "BP4"),
     ({"BayesDel_noAF": -0.36}, "BP4 (moderate)"), ({"REVEL": 0.5, "BayesDel_noAF": 0.5}, ""),
     ({"BayesDel_addAF": 0.5, "CADD": 20}, "PP3 (strong)"), ({"CADD": 20, "SIFT": 0.0, "PolyPhen": 1.0}, "BP4")],
)
def test_pp3_and_bp4_take_the_calibrated_strength_of_the_score(scores, label):
    # ClinGen SVI (Pejaver 2022): REVEL >= 0.644 / 0.773 / 0.932 is PP3 supporting / moderate / strong, <= 0.290 /
    # 0.183 / 0.016 BP4 supporting / moderate / strong; CADD >= 25.3 / 28.1 and <= 22.7 / 17.3 supporting / moderate.
    # Every score was labelled supporting: REVEL 0.95 read as weak as 0.65.
    from raretrace.genomics.interpret import SNV, criteria

    found = criteria(consequence="missense_variant", annotated=True, region=None, vclass=SNV, af=None, af_source="",
                     af_field_present=False, clinvar="", scores=scores, de_novo=None, parents_text="",
                     in_trans_with="")  # fmt: skip
    assert [c.label for c in found] == ([label] if label else [])


@pytest.mark.parametrize(
    ("consequence", "annotated", "region", "vclass", "cds", "scores", "pm1"),
    [("protein_altering", False, EXONIC, 0, "PROTEIN_ALTERING", {}, True),
     ("missense_variant", True, None, 0, "NO_CDS", {"REVEL": 0.8}, True),
     ("frameshift", False, EXONIC, 2, "FRAMESHIFT", {}, False),  # PVS1 weighs where the loss lies
     ("stop_gained", False, EXONIC, 0, "STOP_GAINED", {}, False),
     ("splice_acceptor_site", False, 1, 0, "CODING", {}, False),
     ("splice_region", False, 2, 0, "NO_CDS", {}, False),  # intronic: no residue
     ("5_prime_UTR", False, EXONIC, 0, "UTR5", {}, False),
     ("missense_variant", True, None, 0, "NO_CDS", {"REVEL": 0.95}, False)],  # PP3 strong: PM1 would exceed strong
)
def test_pm1_near_a_published_variant_only_for_a_change_of_residues(consequence, annotated, region, vclass, cds,
                                                                    scores, pm1):  # fmt: skip
    # A variant within 10 bp of one reported causal was labelled PM1 whatever it was: beside PVS1 for a frameshift,
    # stop gained or splice site (counting the position twice), and for intronic and UTR changes, which alter no
    # amino acid of a hot spot or domain.
    from raretrace.genomics import gene_model
    from raretrace.genomics.interpret import criteria

    found = criteria(consequence=consequence, annotated=annotated, region=region, vclass=vclass,
                     cds=getattr(gene_model, cds), af=None, af_source="", af_field_present=False, clinvar="",
                     scores=scores, de_novo=None, parents_text="", in_trans_with="",
                     near_published="1 bp from 10:123256215 T>G (PMID:1)")  # fmt: skip
    assert ("PM1" in {c.code for c in found}) == pm1


def test_float_info_frequencies_are_read_as_written(db, fgfr2, tmp_path):
    import json

    header = '##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD allele frequency">'
    common, rare = fgfr2.exonic(2), fgfr2.exonic(3)
    recs = sorted([record("10", common, "A", "G", info="gnomAD_AF=0.01"),
                   record("10", rare, "A", "G", info="gnomAD_AF=1e-05")])  # fmt: skip
    result = load_genomics(write_plain(tmp_path / "f32.vcf", vcf_text(recs, infos=(header,))), db)
    by_pos = {v.pos: v for v in result.genes["FGFR2"].variants}
    assert by_pos[rare].population_af == 1e-05 and json.dumps(by_pos[rare].population_af) == "1e-05"
    # gnomAD_AF=0.01 is 1%, so BS1 (htslib's float32 gives 0.009999999776)
    assert by_pos[common].population_af == 0.01 and "BS1" in codes(by_pos[common])
    assert next(c for c in by_pos[common].criteria if c.code == "BS1").value == "gnomAD_AF=0.01"


@pytest.mark.parametrize("key", ["AF_grpmax", "AF_popmax", "faf95", "faf95_popmax", "fafmax_faf95_max",
                                 "gnomad_AF_grpmax", "gnomADg_AF_grpmax", "gnomADe_faf95", "gnomad_fafmax_faf95_max",
                                 "AF_grpmax_joint"])
def test_gnomads_group_maximum_and_filtering_frequencies_are_population_frequencies(db, fgfr2, tmp_path, key):
    # gnomAD v3/v4's INFO names, bare or as bcftools annotate prefixes them, were no frequency field: a variant at 8%
    # in gnomAD's largest group had no BA1, one at 1.2% no BS1 and the whole file no PM2. They are maxima over
    # continental, non-bottlenecked groups already: BA1 rests on them as they are (read in a CSQ as well).
    header = f'##INFO=<ID={key},Number=A,Type=Float,Description="gnomAD frequency">'
    common, frequent, rare, absent = fgfr2.exonic(2), fgfr2.exonic(3), fgfr2.exonic(4), fgfr2.exonic(5)
    recs = sorted([record("10", common, "A", "G", info=f"{key}=0.08"), record("10", frequent, "A", "G", info=f"{key}=0.012"),
                   record("10", rare, "A", "G", info=f"{key}=1e-05"), record("10", absent, "A", "G")])
    result = load_genomics(write_plain(tmp_path / "grpmax.vcf", vcf_text(recs, infos=(header,))), db)
    assert "population frequency" not in " ".join(result.summary.warnings)
    by_pos = {v.pos: v for v in result.genes["FGFR2"].variants}
    found = {pos: [(c.code, c.value) for c in by_pos[pos].criteria if c.code in ("BA1", "BS1", "PM2")]
             for pos in (frequent, rare, absent)}  # fmt: skip
    assert common not in by_pos  # BA1: set aside
    assert found == {frequent: [("BS1", f"{key}=0.012")], rare: [("PM2", f"{key}=1e-05")], absent: [("PM2", "absent")]}
    csq = (f'##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: '
           f'Allele|Consequence|IMPACT|SYMBOL|Gene|{key}">')
    rec = record("10", common, "A", "G", info="CSQ=G|missense_variant|MODERATE|FGFR2|ENSG1|0.012")
    (variant,) = load_genomics(write_plain(tmp_path / "csq.vcf", vcf_text([rec], infos=(csq,))), db).genes["FGFR2"].variants
    assert [(c.code, c.value) for c in variant.criteria if c.code in ("BS1", "PM2")] == [("BS1", f"{key}=0.012")]


@pytest.mark.parametrize(("af", "code"), [(0.0501, "BA1"), (0.05, "BS1"), (0.01, "BS1"), (0.0099, "")])
def test_ba1_is_above_five_percent(af, code):
    # BA1 is an allele frequency greater than 5% (Richards 2015; ClinGen SVI, Ghosh 2018): 5% itself was labelled
    # BA1 "allele frequency above 5%".
    from raretrace.genomics.interpret import SNV, criteria

    found = criteria(consequence="missense_variant", annotated=True, region=None, vclass=SNV, af=af,
                     af_source="gnomAD_AF", af_field_present=True, clinvar="", scores={}, de_novo=None,
                     parents_text="", in_trans_with="")  # fmt: skip
    assert [c.code for c in found] == ([code] if code else [])


def test_hg19_chrm_is_not_mapped_to_rcrs_mitochondrial_genes(db, fgfr2, tmp_path):
    contigs = tuple(f"##contig=<ID=chr{c},length={n}>" for c, n in CONTIG_LENGTHS["GRCh37"].items())
    recs = [record("chr10", fgfr2.exonic(2), "A", "G"), record("chrM", 3500, "G", "A", "1/1"),
            record("chrM", 8000, "G", "A", "0/1")]  # fmt: skip
    hg19 = vcf_text(recs, build=None, infos=(*contigs, "##contig=<ID=chrM,length=16571>"))
    result = load_genomics(write_plain(tmp_path / "hg19.vcf", hg19), db)
    assert "FGFR2" in result.genes and not any(g.startswith("MT-") for g in result.genes)
    assert ("chrM of this file is hg19's (16,571 bp), not the rCRS mitochondrial sequence: its 2 variants were not "
            "assigned to mitochondrial genes") in result.summary.warnings  # fmt: skip
    rcrs = load_genomics(write_plain(tmp_path / "rcrs.vcf", hg19.replace("length=16571", "length=16569")), db)
    assert "MT-ND1" in rcrs.genes and not any("hg19's" in w for w in rcrs.summary.warnings)


def test_criteria_show_a_strength_other_than_their_own_and_clinvar_says_conflicting():
    from raretrace.evidence import AcmgCriterion, Hypothesis, VariantEvidence
    from raretrace.gui.evidence_html import BREAK, hypothesis_html

    strong = AcmgCriterion("PVS1", "strong", "stop_gained; in the last exon (13/13)", "predicted loss of function")
    assert strong.label == "PVS1 (strong)"
    assert AcmgCriterion("PVS1", "very_strong", "x", "y").label == "PVS1"
    assert AcmgCriterion("PM2", "supporting", "x", "y").label == "PM2 (supporting)"
    assert AcmgCriterion("PS2", "strong", "x", "y").label == "PS2"
    v = VariantEvidence(chrom="10", pos=1, ref="C", alt="T", gene="FGFR2", genotype="het", consequence="stop_gained",
                        hgvs="NM_1:c.100C>T", clinvar="pathogenic/uncertain significance", criteria=(strong,))
    assert v.clinvar_text == "conflicting: pathogenic / uncertain significance"
    assert replace(v, clinvar="pathogenic/likely pathogenic").clinvar_text == "pathogenic / likely pathogenic"
    # (an HGVS name carries break points for a narrow pane, taken out of what is copied)
    html = hypothesis_html(Hypothesis(kind="gene", id="FGFR2", label="FGFR2", rank=1, score=0.5,
                                      variants=(v,))).replace(BREAK, "")
    for shown in (">ClinVar</th>", "conflicting: pathogenic / uncertain significance", "PVS1 (strong): stop_gained",
                  "stop gained", "NM_1:c.100C&gt;T"):
        assert shown in html, shown


@pytest.mark.parametrize(
    ("coding", "protein", "shown"),
    [("ENST1:c.350G>A", "ENSP1:p.Arg117His", "ENST1:c.350G>A (ENSP1:p.Arg117His)"),
     ("", "ENSP1:p.Arg117His", "ENSP1:p.Arg117His"),  # no bare brackets
     ("c.2991G>A", "p.Leu997%3D", "c.2991G>A (p.Leu997=)"),  # VEP's URI-escaped '='
     ("c.10delG", "", "c.10delG"), ("", "", "")],
)
def test_an_annotations_hgvs_reads_as_written(coding, protein, shown):
    from raretrace.genomics.annotation import hgvs_text

    assert hgvs_text(coding, protein) == shown


def test_a_cnv_callers_one_allele_call_is_read_by_its_copy_number(db, tmp_path):
    # GATK gCNV writes one allele whatever the ploidy (GT 1: <DEL>, 2: <DUP>) with the copy number in CN. A
    # heterozygous deletion (CN 1) of a recessive gene was read as hemizygous and fitted recessive inheritance in
    # full, as a homozygous deletion (CN 0) does.
    pah = gene(db, "PAH")
    start, end = pah.exons[3][0] - 100, pah.exons[5][1] + 100
    cn = '##FORMAT=<ID=CN,Number=1,Type=Integer,Description="Copy number">'
    alts = ('##ALT=<ID=DEL,Description="Deletion">', '##ALT=<ID=DUP,Description="Duplication">')

    def pah_call(gt: str, chrom: str = "12", symbol: str = "PAH", **kw):
        text = vcf_text([record(chrom, start, "N", "<DEL>,<DUP>", gt, fmt="GT:CN", info=f"END={end}", filt=".")],
                        infos=alts).replace("##FORMAT=<ID=DP", cn + "\n##FORMAT=<ID=DP")
        result = load_genomics(write_plain(tmp_path / "gcnv.vcf", text), db, **kw)
        return result, result.genes[symbol]

    result, one_lost = pah_call("1:1")
    assert one_lost.genotypes == ("het",) and one_lost.variants[0].call == "1"
    assert "copy number 1; PAH: exons" in one_lost.variants[0].hgvs
    assert one_lost.mode_scores["AR"] < 0.5 < one_lost.mode_scores["AD"]
    assert not any("haploid" in w for w in result.summary.warnings)
    _result, none_left = pah_call("1:0")
    assert none_left.genotypes == ("hom_alt",) and none_left.mode_scores["AR"] > 0.9
    assert pah_call("2:3")[1].genotypes == ("het",)
    # on a male's X one copy is expected: his deletion is hemizygous
    dmd = gene(db, "DMD")
    start, end = dmd.exons[10][0] - 100, dmd.exons[12][1] + 100
    assert pah_call("1:0", "X", "DMD", sex="MALE")[1].genotypes == ("hemizygous",)
    assert pah_call("1:1", "X", "DMD", sex="FEMALE")[1].genotypes == ("het",)


def test_a_copy_number_callers_deletion_is_read_as_a_deletion_with_its_copies(db, tmp_path):
    # DRAGEN writes its copy-number losses as ALT <DEL> with SVTYPE=CNV and GT './1', Canvas as <CNV> with the copy
    # number in CN. SVTYPE=CNV overrode the ALT's DEL: an exon's deletion scored 0.7 with no PVS1, and with CN 0
    # (both copies lost) it was heterozygous, so a recessive gene got only a single heterozygote's fit.
    pah = gene(db, "PAH")
    start, end = pah.exons[3][0] - 100, pah.exons[5][1] + 100
    cn = '##FORMAT=<ID=CN,Number=1,Type=Integer,Description="Copy number">'

    def call(alt: str, gt: str, svtype: str = "CNV"):
        rec = record("12", start, "N", alt, gt, fmt="GT:CN", info=f"SVTYPE={svtype};END={end}")
        text = vcf_text([rec]).replace("##FORMAT=<ID=DP", cn + "\n##FORMAT=<ID=DP")
        return load_genomics(write_plain(tmp_path / "cnv.vcf", text), db).genes["PAH"]

    for alt in ("<DEL>", "<CNV>"):
        one_lost, none_left = call(alt, "./1:1"), call(alt, "./1:0")
        assert one_lost.genotypes == ("het",) and none_left.genotypes == ("hom_alt",)
        for found in (one_lost, none_left):
            variant = found.variants[0]
            assert "PVS1" in codes(variant) and variant.pathogenicity >= 0.9 and variant.hgvs.startswith("DEL ")
        assert none_left.mode_scores["AR"] > 0.9 > one_lost.mode_scores["AR"]
    # CNVkit's two-allele calls agree with their CN; a gain stays a duplication
    assert call("<DEL>", "1/1:0", "DEL").genotypes == ("hom_alt",) and call("<DEL>", "0/1:1", "DEL").genotypes == ("het",)
    gain = call("<CNV>", "./1:3").variants[0]
    # (exons 4-6 whole: a tandem copy's PVS1, strong, test_a_duplication_of_whole_internal_coding_exons_..., not a loss's)
    assert gain.hgvs.startswith("DUP ") and all(c.strength == "strong" and "presumed in tandem" in c.value
                                                for c in gain.criteria if c.code == "PVS1")  # fmt: skip
    assert call("<DUP>", "./1:4").variants[0].hgvs.startswith("DUP ")


def test_copy_number_alleles_named_cn0_cn2_are_read_as_losses_and_gains(db, tmp_path):
    # 1000 Genomes phase 3 names a CNV's alleles by the copies on the haplotype: <CN0> none (a deletion), <CN2> and
    # up a gain, often as one multi-allelic SVTYPE=CNV record. They were read as copy-number changes of no direction
    # (0.7 for 'CN0', no PVS1) or, under SVTYPE=CNV, left so.
    pah = gene(db, "PAH")
    start, end = pah.exons[3][0] - 100, pah.exons[5][1] + 100

    def variants(alt: str, gt: str, info: str):
        rec = record("12", start, "N", alt, gt, info=f"{info}END={end}")
        return load_genomics(write_plain(tmp_path / "cn.vcf", vcf_text([rec])), db).genes["PAH"].variants

    for info in ("SVTYPE=CNV;", "SVTYPE=DEL;", ""):
        (loss,) = variants("<CN0>", "0|1", info)
        pvs1 = next(c for c in loss.criteria if c.code == "PVS1")
        assert loss.hgvs.startswith("DEL ") and pvs1.value.startswith("deletion of exons") and loss.pathogenicity >= 0.9
    both = {v.alt: v for v in variants("<CN0>,<CN2>,<CN3>", "1|2", "SVTYPE=CNV;")}
    assert both["<CN0>"].hgvs.startswith("DEL ") and both["<CN2>"].hgvs.startswith("DUP ")
    # one copy on a haplotype is the reference's: no direction told
    (one,) = variants("<CN1>", "0|1", "SVTYPE=CNV;")
    assert one.hgvs.startswith("CNV ") and "PVS1" not in codes(one)


def test_a_copy_number_stated_in_info_is_read_as_one_in_format(db, tmp_path):
    # Some CNV callers and converters (ExomeDepth's and ClinCNV's VCF exports, cn.MOPS) write the copy number in INFO,
    # not FORMAT. It was not read: a <CNV> with CN=0 stayed a copy-number change of no direction (0.7, no PVS1) and a
    # <DEL> with CN=0 was heterozygous, so a recessive gene got only a single heterozygote's fit.
    pah = gene(db, "PAH")
    start, end = pah.exons[3][0] - 100, pah.exons[5][1] + 100
    cn = '##INFO=<ID=CN,Number=1,Type=Integer,Description="Copy number">'

    def call(alt: str, gt: str, copies: int, samples: tuple[str, ...] = ("patient",)):
        rec = record("12", start, "N", alt, *([gt] * len(samples)), info=f"SVTYPE=CNV;END={end};CN={copies}")
        return load_genomics(write_plain(tmp_path / "infocn.vcf", vcf_text([rec], infos=(cn,), samples=samples)),
                             db, sample="patient").genes["PAH"]  # fmt: skip

    for alt in ("<DEL>", "<CNV>"):
        one_lost, none_left = call(alt, "./1", 1), call(alt, "./1", 0)
        assert one_lost.genotypes == ("het",) and none_left.genotypes == ("hom_alt",)
        for found in (one_lost, none_left):
            variant = found.variants[0]
            assert "PVS1" in codes(variant) and variant.hgvs.startswith("DEL ") and "copy number" in variant.hgvs
    gain = call("<CNV>", "./1", 3).variants[0]
    assert gain.hgvs.startswith("DUP ") and "copy number 3" in gain.hgvs
    # a record's INFO is every sample's: in a file of several samples it does not say the patient's copies
    several = call("<CNV>", "./1", 0, samples=("patient", "other")).variants[0]
    assert several.hgvs.startswith("CNV ") and "copy number" not in several.hgvs


def test_an_insertion_and_a_breakend_are_described_by_what_they_are(db, fgfr2, tmp_path):
    # Sniffles and Manta write an insertion as <INS> with its length in SVLEN, a breakend with its mate in the ALT.
    # Both were described as a one-base span ("INS 123263380-123263380 (1 bp; ...)"), a 300-bp insertion included.
    mate = '##INFO=<ID=MATEID,Number=.,Type=String,Description="Mate breakend">'
    recs = [record("10", fgfr2.exonic(8), "A", "<INS>", info="SVTYPE=INS;SVLEN=300"),
            record("10", fgfr2.exonic(10), "A", "<INS>", info="SVTYPE=INS"),
            record("10", fgfr2.exonic(6), "A", "]2:321681]A", info="SVTYPE=BND;MATEID=bnd_2")]  # fmt: skip
    result = load_genomics(write_plain(tmp_path / "ins.vcf", vcf_text(recs, infos=(mate,))), db)
    hgvs = {v.pos: v.hgvs for v in result.genes["FGFR2"].variants}
    assert hgvs[fgfr2.exonic(8)] == f"INS after {fgfr2.exonic(8)} (300 bp inserted; FGFR2: exon 10 of 18)"
    assert hgvs[fgfr2.exonic(10)].startswith(f"INS after {fgfr2.exonic(10)} (length not stated; FGFR2: exon ")
    assert hgvs[fgfr2.exonic(6)] == f"BND at {fgfr2.exonic(6)} (joined to 2:321681; FGFR2: exon 12 of 18)"


def test_a_symbolic_insertion_is_scored_as_the_same_insertion_written_out(db, fgfr2, tmp_path):
    # An <INS> adds bases at one point and removes none: the indel of its length, its bases not written. Inside a
    # coding exon it scored 0.5, as an inversion or a breakend, where the same insertion written out scores as a
    # frameshift (0.9) or an in-frame insertion (0.7); beside an intron it scored 0.1 where written out it is 0.05.
    bases = "ACGT" * 80

    def prior(alt: str, at: int, info: str = ".") -> float:
        result = load_genomics(write_plain(tmp_path / "ins.vcf", vcf_text([record("10", at, "A", alt, info=info)])), db)
        found = result.genes.get("FGFR2")
        return found.variants[0].pathogenicity if found else 0.0

    exon, intron = fgfr2.exonic(8), fgfr2.intronic(8, 500)
    for length in (301, 300):
        written = prior("A" + bases[:length], exon)
        assert prior("<INS>", exon, f"SVTYPE=INS;SVLEN={length}") == written
        assert prior("<INS>", intron, f"SVTYPE=INS;SVLEN={length}") == prior("A" + bases[:length], intron)
    assert prior("A" + bases[:301], exon) > prior("A" + bases[:300], exon) > 0.5
    # of unknown length, its frame cannot be told: an in-frame insertion, the lesser reading
    assert prior("<INS>", exon, "SVTYPE=INS") == prior("A" + bases[:300], exon)
    # MELT names the mobile element in SVTYPE (ALU, LINE1, SVA): still an insertion, not a span of SVLEN bases
    assert prior("<INS:ME:ALU>", exon, "SVTYPE=ALU;SVLEN=281") == prior("A" + bases[:281], exon)


def test_a_duplication_inside_one_coding_exon_is_the_insertion_it_presumes(db, fgfr2, tmp_path):
    # A <DUP> inside one coding exon scored 0.6 with no label, as a missense change. A tandem copy of exonic bases
    # inserts them after themselves: of a length not a multiple of 3 it shifts the frame, otherwise it adds residues.
    # ClinGen's PVS1 tree (Abou Tayoun 2018) takes a duplication presumed (not proven) in tandem that disrupts the
    # frame as PVS1 strong, one level below the same insertion written out; an in-frame one changes the protein's
    # length (PM4), as that insertion does.
    s, e = fgfr2.exons[8]  # exon 10 of 18, 152 coding bases

    def one(at: int, length: int, alt: str = "<DUP>"):
        info = f"SVTYPE=INS;SVLEN={length}" if alt == "<INS>" else f"SVTYPE=DUP;END={at + length}"
        rec = record("10", at, "N", alt, info=info)
        return load_genomics(write_plain(tmp_path / "dup.vcf", vcf_text([rec])), db).genes["FGFR2"].variants[0]

    shifted, inframe = one(s + 10, 31), one(s + 50, 30)
    assert shifted.consequence == "frameshift" and shifted.pathogenicity == one(s + 41, 31, "<INS>").pathogenicity
    pvs1 = next(c for c in shifted.criteria if c.code == "PVS1")
    assert pvs1.strength == "strong" and pvs1.value == "frameshift; 31-bp duplication inside a coding exon (exon 10 of 18), presumed in tandem"
    assert shifted.hgvs == f"DUP {s + 11}-{s + 41} (31 bp; FGFR2: part of exon 10 of 18 (31 of its 152 bp))"
    assert inframe.pathogenicity == one(s + 80, 30, "<INS>").pathogenicity > 0.6
    pm4 = next(c for c in inframe.criteria if c.code == "PM4")
    assert "duplication" in pm4.value and "presumed in tandem" in pm4.value and "PVS1" not in codes(inframe)
    # a duplication across an exon boundary is not read so: the copy's splicing is not known (whole exons: below)
    across = record("10", e - 10, "N", "<DUP>", info=f"SVTYPE=DUP;END={e + 21}")
    (dup,) = load_genomics(write_plain(tmp_path / "dup2.vcf", vcf_text([across])), db).genes["FGFR2"].variants
    assert dup.consequence == "structural" and "PVS1" not in codes(dup) and "PM4" not in codes(dup)


def test_a_duplication_of_whole_internal_coding_exons_is_the_tandem_copy_it_presumes(db, tmp_path):
    # A <DUP> of whole internal coding exons scored 0.6 with no label. ClinGen's PVS1 tree (Abou Tayoun 2018): an
    # intragenic duplication presumed in tandem whose coding length is no whole number of codons shifts the frame
    # (nonsense-mediated decay predicted): PVS1 strong, as a <DUP> inside one coding exon; an in-frame one adds
    # residues (PM4). The scores are that rule's: the frameshift's 0.9, the in-frame insertion's 0.7.
    cftr = gene(db, "CFTR")
    exon = lambda n: cftr.exons[n - 1]  # noqa: E731
    spans = {"exon12": (exon(12)[0] - 100, exon(12)[1] + 100),  # 95 coding bases: frameshift
             "exons11_12": (exon(11)[0] - 100, exon(12)[1] + 100),  # 287: frameshift
             "exon11": (exon(11)[0] - 100, exon(11)[1] + 100),  # 192: in frame
             "part": (exon(11)[0] - 50, exon(11)[0] + 30),  # ends inside the exon: not read so
             "last": (exon(27)[0] - 300, cftr.tx_end + 500),  # the last exon: the copy's place is past the gene
             "whole": (cftr.tx_start - 100, cftr.tx_end + 100)}  # fmt: skip

    def one(name: str):
        a, b = spans[name]
        rec = record("7", a, "N", "<DUP>", info=f"SVTYPE=DUP;END={b}")
        (dup,) = load_genomics(write_plain(tmp_path / f"{name}.vcf", vcf_text([rec])), db).genes["CFTR"].variants
        return dup

    for name in ("exon12", "exons11_12"):
        dup = one(name)
        pvs1 = next(c for c in dup.criteria if c.code == "PVS1")
        assert pvs1.strength == "strong" and dup.pathogenicity == pytest.approx(0.9), name
        assert "presumed in tandem" in pvs1.value and "not a whole number of codons" in pvs1.value
        assert "PM4" not in codes(dup)
    assert "exon 12 of 27: 95 coding bases" in one("exon12").criteria[0].value
    inframe = one("exon11")
    pm4 = next(c for c in inframe.criteria if c.code == "PM4")
    assert "PVS1" not in codes(inframe) and inframe.pathogenicity == pytest.approx(0.7)
    assert "exon 11 of 27: 192 coding bases" in pm4.value and "presumed in tandem" in pm4.value
    for name in ("part", "last", "whole"):
        dup = one(name)
        assert dup.pathogenicity == pytest.approx(0.6) and not codes(dup) & {"PVS1", "PM4"}, name


def test_a_duplication_of_part_of_an_exon_says_so(db, tmp_path):
    # 'DUP ... (50 bp; CFTR: exon 11 of 27)' read as a copy of the whole exon 11 (192 bp) where it holds its acceptor
    # and first 30 bases; a deletion has said 'part of' since 8a6fcfd, a duplication still named the exon whole
    cftr = gene(db, "CFTR")
    (s11, e11), (_s12, e12) = cftr.exons[10], cftr.exons[11]

    def one(a: int, b: int):
        rec = record("7", a, "N", "<DUP>", info=f"SVTYPE=DUP;END={b}")
        (dup,) = load_genomics(write_plain(tmp_path / "dup.vcf", vcf_text([rec])), db).genes["CFTR"].variants
        return dup

    assert one(s11 - 20, s11 + 30).hgvs == (f"DUP {s11 - 19}-{s11 + 30} (50 bp; CFTR: part of exon 11 of 27 (30 of its "
                                            "192 bp) across its exon-intron boundary (splice site))")
    assert one(s11 + 100, e12 + 10).hgvs.endswith("CFTR: exons 11-12 of 27 (exon 11 in part: 92 of its 192 bp))")
    inside = one(s11 + 20, s11 + 50)  # a tandem copy inside the exon: 'inside' says it is part of it, once
    assert inside.hgvs.endswith("(30 bp; CFTR: part of exon 11 of 27 (30 of its 192 bp))")
    assert [c.value for c in inside.criteria] == [
        "in-frame: 30-bp duplication inside a coding exon (exon 11 of 27), presumed in tandem; repeat region not "
        "checked"]
    assert one(s11 - 100, e11 + 100).hgvs.endswith("CFTR: exon 11 of 27)")  # the whole exon, as before


def test_a_symbolic_insertion_of_stated_length_is_labelled_and_judged_as_the_insertion_written_out(db, fgfr2, tmp_path):
    # A frameshift-length <INS> in a coding exon scored as a frameshift (0.9) but stayed "structural" with no PVS1,
    # and an in-frame one had no PM4, where the same insertions written out are a frameshift with PVS1 and an
    # in-frame indel with PM4. One of unknown length cannot be told and stays structural.
    bases = "ACGT" * 80
    exon = fgfr2.exonic(8)

    def one(alt: str, info: str = "."):
        rec = record("10", exon, "A", alt, info=info)
        return load_genomics(write_plain(tmp_path / "ins.vcf", vcf_text([rec])), db).genes["FGFR2"].variants[0]

    for length in (301, 300):
        written, symbolic = one("A" + bases[:length]), one("<INS>", f"SVTYPE=INS;SVLEN={length}")
        assert (symbolic.consequence, symbolic.pathogenicity) == (written.consequence, written.pathogenicity)
        assert [(c.code, c.strength) for c in symbolic.criteria] == [(c.code, c.strength) for c in written.criteria]
        assert symbolic.hgvs.startswith(f"INS after {exon} ({length} bp inserted")
    frameshift = one("<INS>", "SVTYPE=INS;SVLEN=301")
    assert frameshift.consequence == "frameshift" and "PVS1" in codes(frameshift)
    assert "PM4" in codes(one("<INS>", "SVTYPE=INS;SVLEN=300"))
    unknown = one("<INS>", "SVTYPE=INS")
    assert unknown.consequence == "structural" and not codes(unknown) & {"PVS1", "PM4"}


def test_gene_indexes_cached_in_an_older_format_are_removed_when_a_new_one_is_written(db, tmp_path, monkeypatch):
    # After an upgrade, the indexes of the old format (about 8 MB each) were left in the cache for ever.
    from raretrace.genomics import gene_model

    monkeypatch.setenv("RARETRACE_HOME", str(tmp_path))
    monkeypatch.setattr(gene_model, "_cache", {})
    cache = tmp_path / "cache"
    cache.mkdir()
    old = cache / f"gene-index-GRCh37-v{gene_model.INDEX_FORMAT - 1}-0123456789abcdef.npz"
    other = cache / f"gene-index-GRCh38-v{gene_model.INDEX_FORMAT}-0123456789abcdef.npz"  # another KB's, current
    old.write_bytes(b"x")
    other.write_bytes(b"x")
    gene_model.gene_index(db, "GRCh37")
    assert not old.exists() and other.exists()
    assert [p.name for p in cache.glob(f"gene-index-GRCh37-v{gene_model.INDEX_FORMAT}-*.npz")]


def test_a_qual_of_nan_or_infinity_is_no_quality_so_the_json_stays_json(db, fgfr2, tmp_path):
    # htslib reads QUAL "nan" and "inf" as floats: they reached `analyze --json` as NaN and Infinity, which
    # strict JSON parsers (JavaScript, Go, a LIMS) refuse, so the whole result was unreadable.
    recs = [record("10", fgfr2.exonic(k), "A", "G").replace("\t50\t", f"\t{qual}\t") for k, qual in
            ((2, "nan"), (3, "inf"), (4, "-inf"), (5, "37.5"))]  # fmt: skip
    result = load_genomics(write_plain(tmp_path / "q.vcf", vcf_text(recs)), db)
    quality = {v.pos: v.quality for v in result.genes["FGFR2"].variants}
    assert quality == {fgfr2.exonic(2): None, fgfr2.exonic(3): None, fgfr2.exonic(4): None, fgfr2.exonic(5): 37.5}
    json.dumps([asdict(v) for v in result.genes["FGFR2"].variants], allow_nan=False)


def test_a_missing_vcf_says_what_to_do(tmp_path):
    # "VCF file not found: PATH" gave no next step, as every error of the command line must
    from raretrace.genomics.vcf import sniff

    with pytest.raises(RareTraceError, match=r"^VCF file not found: .*moved.vcf.gz; check the path .*--vcf"):
        sniff(tmp_path / "moved.vcf.gz")


def test_a_sex_the_ped_alone_gives_is_the_analysis_sex_where_chrx_agrees(engine, tmp_path):
    # A phenopacket without sex and a PED giving the patient as female: the chrX genotypes were read as hers, yet the
    # ranking and the self-checks had no sex, so Duchenne muscular dystrophy (X-linked recessive) ranked first with
    # no caution, where the same case with its sex in the phenopacket ranks it lower and says why
    from raretrace.analysis import run_analysis
    from raretrace.case import Case, CaseFile, Phenotype

    dmd = gene(engine.db, "DMD")
    vcf = write_plain(tmp_path / "kid.vcf", vcf_text([record("X", dmd.exonic(20), "C", "T", "0/1")], samples=("kid",)))
    ped = write_ped(tmp_path / "kid.ped", ["F kid 0 0 2 2"])
    features = tuple(Phenotype(t) for t in ("HP:0003707", "HP:0003560", "HP:0003236", "HP:0003391"))
    case = Case(id="dmd", phenotypes=features, files=(CaseFile(str(vcf), sample="kid"),))
    from_ped = run_analysis(engine, case, ped=ped, top=10)
    given = run_analysis(engine, replace(case, sex="FEMALE"), top=10)
    assert (from_ped.sex, from_ped.sex_source) == ("FEMALE", "PED file")
    assert (given.sex, given.sex_source) == ("FEMALE", "case")
    assert from_ped.to_json()["sex_source"] == "PED file" and from_ped.sex_source_text == " (from the PED file)"
    assert [(h.id, h.score) for h in from_ped.diseases] == [(h.id, h.score) for h in given.diseases]
    duchenne = next(h for h in from_ped.diseases if h.id == "OMIM:310200")
    assert any(f.code == "sex" for f in duchenne.flags)
    # chrX calls of a male (every one haploid) against the PED's female: neither is trusted for the ranking
    recs = [record("X", dmd.exonic(20), "C", "T", "1"), record("X", dmd.exonic(30), "C", "T", "1")]
    write_plain(tmp_path / "kid.vcf", vcf_text(recs, samples=("kid",)))
    doubt = run_analysis(engine, case, ped=ped, top=10)
    assert (doubt.sex, doubt.sex_source) == (None, "")
    mix_up = next(w for w in doubt.warnings if "a sample mix-up, or an error in the PED file?" in w)
    assert doubt.to_json()["warning_details"][0] == {"severity": "attention", "message": mix_up}  # said first


def test_the_genomic_tables_leave_cyclic_collections_when_they_load(engine, tmp_path):
    # Read with the first VCF and kept for the process (gene model, bundled resources, modes of inheritance): every
    # collection of the oldest generation walked them, several times per exome analysis, with nothing to free
    import gc

    from raretrace.case import CaseFile, case_from_terms
    from raretrace.genomics import analyse_with_variants
    from raretrace.genomics.analysis import _modes_of
    from raretrace.genomics.ba1_exceptions import ba1_exceptions
    from raretrace.genomics.gene_model import gene_index
    from raretrace.genomics.population import population_frequencies
    from raretrace.genomics.published import published_variants
    from raretrace.inheritance import gene_modes

    vcf = write_plain(tmp_path / "one.vcf", vcf_text([record("7", 117120161, "C", "A")]))
    analyse_with_variants(engine.ranker, case_from_terms("genomic", ["HP:0001156"]), CaseFile(str(vcf)), top=5)
    index = gene_index(engine.db, "GRCh37")
    tables = [index, gene_modes(engine.db), _modes_of(engine.ranker)] + [
        table("GRCh37", index) for table in (published_variants, population_frequencies, ba1_exceptions)]
    kept = {id(t) for t in tables}
    assert not [o for o in gc.get_objects() if id(o) in kept]
