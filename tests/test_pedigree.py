"""PED files as clinics and PLINK write them, and how their individuals are matched to a VCF's samples. PEDs and
VCFs are made here."""

from __future__ import annotations

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
