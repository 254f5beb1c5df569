"""The printable PDF report: content a clinician can check, every page furnished, reproducible bytes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader
from report_fixtures import PFEIFFER_EXCLUDED, PFEIFFER_PRESENT, case_for, evidence_result, many_features

from raretrace.case import case_from_terms, load_phenopacket
from raretrace.errors import RareTraceError
from raretrace.paths import resources_dir
from raretrace.report import DISCLAIMER, MARGIN, format_age, render_report

DAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def pfeiffer(engine):
    return evidence_result(engine, "pfeiffer-1", PFEIFFER_PRESENT, PFEIFFER_EXCLUDED)


def _text(path) -> tuple[list[str], str]:
    pages = [p.extract_text() for p in PdfReader(path).pages]
    return pages, re.sub(r"\s+", " ", " ".join(pages))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("size, dims", [("A4", (595.28, 841.89)), ("Letter", (612.0, 792.0))])
def test_report_shows_inputs_top_diagnosis_with_its_pmids_versions_and_disclaimer(pfeiffer, tmp_path, size, dims):
    out = render_report(pfeiffer, case_for(pfeiffer), tmp_path / "r.pdf", page_size=size, clinician="Dr. A. Example",
                        date=DAY)
    reader = PdfReader(out)
    pages, text = _text(out)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(dims, abs=0.01)
    # every input feature, present and excluded, with its ID
    for term, label in pfeiffer.present + pfeiffer.excluded:
        assert term in text and label in text
    # the top diagnosis and every reference its evidence cites
    top = pfeiffer.diseases[0]
    assert top.id in text and top.label in text
    refs = {r for m in top.matched for r in m.references} | {r for c in top.conflicts for r in c.references}
    assert any(r.startswith("PMID:") for r in refs)
    for ref in refs:
        assert ref in text
    for value in pfeiffer.versions.values():
        assert value in text
    assert _flat(DISCLAIMER) in _flat(text)
    # the case header and the VCF identity
    for item in ("pfeiffer-1", "patient-7", "male", "2 years 6 months", "2026-11-27", "Dr. A. Example",
                 "pfeiffer_proband.vcf.gz", "GRCh38", "PROBAND"):
        assert item in text, item
    assert pfeiffer.vcf.sha256 in _flat(text)
    # the candidate variant with its ACMG criteria and values
    variant = top.variants[0]
    assert f"{variant.chrom}:{variant.pos}" in text  # as the VCF and the GUI write it
    for c in variant.criteria:
        assert c.code in text and c.value in _flat(text) or _flat(c.value) in _flat(text)
    # header and "page X of Y" on every page
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert "RareTrace" in page and "Case pfeiffer-1 · patient patient-7" in page
    assert "Phenotype-match matrix" in text and "Score contributions" in text
    # candidate genes, and a gene section for the gene with a variant
    assert "Candidate genes" in text and "FGFR2" in text
    assert "Evidence for each candidate gene not shown above" not in text  # FGFR2's variant is in its disease's
    # sources and licences of what the evidence cites
    assert "phenopacket-store" in text and _flat("CC BY 4.0") in _flat(text)
    assert _flat("Human Phenotype Ontology") in _flat(text)
    assert "Out of date" not in text


def test_a_report_of_an_edited_case_says_it_is_out_of_date(pfeiffer, tmp_path):
    from dataclasses import replace

    from raretrace.case import Phenotype

    case = case_for(pfeiffer)
    edited = replace(case, phenotypes=case.phenotypes + (Phenotype("HP:0000958", "Dry skin"),))
    _pages, text = _text(render_report(pfeiffer, edited, tmp_path / "stale.pdf", date=DAY, stale=True))
    assert "Out of date" in text and _flat("entered after this analysis") in _flat(text)


def test_report_of_a_real_analysis_of_a_published_phenopacket(engine, tmp_path):
    case = load_phenopacket(resources_dir() / "demo" / "demo_case.json")
    result = engine.ranker.analyse(case, top=10)
    out = render_report(result, case, tmp_path / "demo.pdf", page_size="Letter", date=DAY)
    pages, text = _text(out)
    for p in case.phenotypes:  # every input feature, as entered
        assert p.id in text, p.id
    for _term, label in result.present + result.excluded:
        assert label in text
    top = result.diseases[0]
    assert top.id in text and top.label in text
    refs = {r for m in top.matched for r in m.references} | {r for c in top.conflicts for r in c.references}
    refs |= {s.pmid for s in top.similar_cases}
    for ref in refs:
        assert ref in text, ref
    for value in result.versions.values():
        assert value in text
    assert _flat(DISCLAIMER) in _flat(text)
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))


def test_same_input_and_versions_give_the_same_bytes(pfeiffer, tmp_path):
    a = render_report(pfeiffer, case_for(pfeiffer), tmp_path / "a.pdf", date=DAY).read_bytes()
    b = render_report(pfeiffer, case_for(pfeiffer), tmp_path / "b.pdf", date=DAY).read_bytes()
    assert a == b
    other = replace(pfeiffer, versions={**pfeiffer.versions, "hpo_release": "2099-01-01"})
    c = render_report(other, case_for(other), tmp_path / "c.pdf", date=DAY).read_bytes()
    assert c != a


def test_the_pdf_properties_date_the_file_on_the_report_date(pfeiffer, tmp_path):
    # a records system files a PDF under its creation date: the report's, not reportlab's fixed 2000-01-01
    info = PdfReader(render_report(pfeiffer, case_for(pfeiffer), tmp_path / "r.pdf", date=DAY)).metadata
    assert info.creation_date.date() == DAY and info.modification_date.date() == DAY


def test_fonts_are_embedded_and_text_is_selectable(pfeiffer, tmp_path):
    out = render_report(pfeiffer, case_for(pfeiffer), tmp_path / "r.pdf", date=DAY)
    reader = PdfReader(out)
    fonts = {}
    for page in reader.pages:
        for name, ref in (page["/Resources"].get("/Font") or {}).items():
            fonts[name] = ref.get_object()
    assert fonts
    for font in fonts.values():
        descendants = font.get("/DescendantFonts")
        desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
        assert desc is not None and "/FontFile2" in desc.get_object(), f"{font.get('/BaseFont')} is not embedded"
        assert "/ToUnicode" in font  # text extracts as text
    assert "Broad thumb" in reader.pages[0].extract_text()


def test_text_stays_inside_the_page_margins(engine, tmp_path):
    present, excluded = many_features(engine, 30, 10)
    result = evidence_result(engine, "forty", present, excluded)
    for size in ("A4", "Letter"):
        out = render_report(result, case_for(result), tmp_path / f"{size}.pdf", page_size=size, date=DAY)
        reader = PdfReader(out)
        for page in reader.pages:
            width = float(page.mediabox.width)
            xs: list[float] = []

            def visit(text, cm, tm, font, size_, xs=xs):
                if text.strip():
                    xs.append(cm[4] + tm[4] * cm[0])

            page.extract_text(visitor_text=visit)
            assert xs and min(xs) >= MARGIN - 1 and max(xs) <= width - MARGIN + 1
        _, text = _text(out)
        for term in present + excluded:  # 40 features, all listed
            assert term in text


def test_phenotype_only_report_says_there_was_no_vcf(engine, tmp_path):
    result = evidence_result(engine, "no-vcf", PFEIFFER_PRESENT, PFEIFFER_EXCLUDED, with_vcf=False)
    _, text = _text(render_report(result, case_for(result), tmp_path / "r.pdf", top=3, date=DAY))
    assert "No VCF" in text and "phenotype-only" in text
    assert "Ranked differential: top 3 diagnoses" in text


def test_bad_options_are_one_line_errors(pfeiffer, tmp_path):
    with pytest.raises(RareTraceError, match="A4 or Letter"):
        render_report(pfeiffer, case_for(pfeiffer), tmp_path / "r.pdf", page_size="A3")
    with pytest.raises(RareTraceError, match="does not exist"):
        render_report(pfeiffer, case_for(pfeiffer), tmp_path / "missing" / "r.pdf")


def test_a_long_case_id_is_shortened_in_the_page_header_and_kept_whole_in_the_case_table(pfeiffer, tmp_path):
    # shortened at its end, the IDs of two patients of one publication ("PMID_38158857_Family_2_PATIENT_2" and
    # "..._Family_3_PATIENT_3") read the same on every page after the first: the ID keeps its start and its end
    long_id = "referral-" + "x" * 140 + "-sibling-2"
    result = replace(pfeiffer, case_id=long_id)
    pages, text = _text(render_report(result, case_for(result), tmp_path / "r.pdf", top=2, date=DAY))
    header = next(line for line in pages[1].splitlines() if line.startswith("Case referral-"))
    assert "…" in header
    assert header.endswith("-sibling-2 · patient patient-7 · 2026-11-27")  # the patient stays on every page
    assert long_id in _flat(text)


def test_a_phenopacket_store_case_id_and_its_patient_print_whole_in_the_page_header(pfeiffer, tmp_path):
    # 32 characters, and the patient's 18: the header had room for "PMID_38158857_Fa…" beside its title
    result = replace(pfeiffer, case_id="PMID_38158857_Family_2_PATIENT_2")
    case = replace(case_for(result), subject_id="Family 2 PATIENT 2")
    pages, _ = _text(render_report(result, case, tmp_path / "r.pdf", top=2, date=DAY))
    for page in pages:
        assert "Case PMID_38158857_Family_2_PATIENT_2 · patient Family 2 PATIENT 2 · 2026-11-27" in page.splitlines()


def test_a_long_patient_id_keeps_its_end_in_the_page_header(pfeiffer, tmp_path):
    result = replace(pfeiffer, case_id="PMID_38158857_Family_2_PATIENT_2-" + "y" * 60)
    case = replace(case_for(result), subject_id="Family 2 " + "z" * 80 + " PATIENT 2")
    pages, _ = _text(render_report(result, case, tmp_path / "r.pdf", top=2, date=DAY))
    header = next(line for line in pages[1].splitlines() if line.startswith("Case PMID_"))
    patient = header.split(" · patient ")[1]
    assert patient.startswith("Family 2 z") and "…" in patient and patient.endswith("PATIENT 2 · 2026-11-27"), header


def test_tabs_and_line_breaks_in_the_ids_print_as_spaces_in_the_page_header(pfeiffer, tmp_path):
    # pasted from a spreadsheet or a letter: drawn as they are, a tab and a line break were boxes on every page
    result = replace(pfeiffer, case_id="ref\t12\r\n2026")
    case = replace(case_for(result), subject_id="Zoë\nMüller-Łukasiewicz")
    pages, _ = _text(render_report(result, case, tmp_path / "r.pdf", top=2, date=DAY))
    for page in pages:
        assert "Case ref 12 2026 · patient Zoë Müller-Łukasiewicz · 2026-11-27" in page.splitlines()


def test_a_field_of_thousands_of_unbroken_characters_is_printed_shortened(pfeiffer, tmp_path):
    result = replace(pfeiffer, case_id="X" * 4000)
    case = replace(case_for(result), subject_id="S" * 3000)
    _, text = _text(render_report(result, case, tmp_path / "r.pdf", top=2, date=DAY, clinician="C" * 3000))
    flat = _flat(text)
    assert "(4,000characters)" in flat and "(3,000characters)" in flat and "X" * 4000 not in flat  # no spaces


def test_the_printed_date_follows_source_date_epoch(pfeiffer, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    _, text = _text(render_report(pfeiffer, case_for(pfeiffer), tmp_path / "r.pdf", top=2))
    assert "2023-11-14" in text


def test_ages_read_in_words():
    assert format_age("P2Y6M") == "2 years 6 months"
    assert format_age("P1Y") == "1 year"
    assert format_age("P3W2D") == "3 weeks 2 days"
    assert format_age(None) == "not recorded"
    assert format_age("adult") == "adult"
    # every duration the case reader accepts reads in words (one parser for both): decimals and a time part
    assert format_age("P1.5Y") == "1.5 years"
    assert format_age("P1Y2M3DT4H") == "1 year 2 months 3 days"


def test_variant_rows_name_the_chromosome_as_the_vcf_does_and_say_when_frequency_is_unknown():
    from raretrace.evidence import AcmgCriterion, VariantEvidence
    from raretrace.report import _variant_rows

    prefixed = VariantEvidence("chr12", 49033067, "G", "T", "KMT2D", "het", "exonic")
    bare = replace(prefixed, chrom="12", population_af=None,
                   criteria=(AcmgCriterion("PM2", "supporting", "absent", "not found in the population data"),))
    rows = _variant_rows([prefixed, bare])
    assert rows[0][1].startswith("chr12:49033067 G>T") and rows[1][1].startswith("12:49033067 G>T")
    assert (rows[0][4], rows[1][4]) == ("no data", "absent")


def test_the_criteria_values_print_whole_a_pmid_and_a_frequency(pfeiffer, tmp_path):
    from raretrace.evidence import AcmgCriterion

    reported = AcmgCriterion("PP5", "supporting", "PMID:12920066, PMID:24066033", "reported causal")
    common = AcmgCriterion("BS1", "strong", "1000 Genomes (bundled)=0.01537", "allele frequency above 1%")
    top = pfeiffer.diseases[0]
    variant = replace(top.variants[0], criteria=(reported, common))
    result = replace(pfeiffer, diseases=(replace(top, variants=(variant,)), *pfeiffer.diseases[1:]))
    for size in ("A4", "Letter"):
        pages, _ = _text(render_report(result, case_for(result), tmp_path / f"{size}.pdf", page_size=size, top=2,
                                       date=DAY))
        lines = "\n".join(pages)
        for word in ("PMID:12920066,", "PMID:24066033", "(bundled)=0.01537"):
            assert word in lines, word  # on one line: not broken mid-word


def test_predictor_names_too_wide_for_their_column_break_before_their_underscore(pfeiffer, tmp_path):
    # BayesDel_noAF, BayesDel_addAF and dbscSNV_ada are wider than the Scores column (and "BayesDel_noAF=0.31;"
    # than the criteria column, on A4 and Letter): reportlab broke them between any two letters, "BayesDe" over
    # "l_noAF", which reads as no predictor's name. Too wide to print whole, they break before their underscore.
    from raretrace.evidence import AcmgCriterion

    pp3 = AcmgCriterion("PP3", "moderate", "BayesDel_noAF=0.31", "missense predicted damaging")
    pm2 = AcmgCriterion("PM2", "supporting", "gnomADe_AF=2e-05", "ultra-rare in the population")
    top = pfeiffer.diseases[0]
    variant = replace(top.variants[0], criteria=(pp3, pm2), scores={"BayesDel_noAF": 0.31, "BayesDel_addAF": 0.2,
                                                                    "dbscSNV_ada": 0.95, "PolyPhen": 1.0})
    result = replace(pfeiffer, diseases=(replace(top, variants=(variant,)), *pfeiffer.diseases[1:]))
    for size in ("A4", "Letter"):
        pages, _ = _text(render_report(result, case_for(result), tmp_path / f"{size}.pdf", page_size=size, top=2,
                                       date=DAY))
        lines = [line for page in pages for line in page.splitlines()]
        for head in ("BayesDel", "dbscSNV"):  # the name's parts whole, each on one line
            assert all(line.count(head) == line.count(head[:5]) for line in lines if head[:5] in line), \
                [x for x in lines if head[:5] in x]


def test_a_large_familys_pp1_taller_than_a_page_runs_on_to_the_next(pfeiffer, tmp_path):
    # PP1 names every affected carrier and what each counts, in the criteria column: a dominant family of some 20
    # genotyped members made that one cell taller than a page, and no report could be written ('too large for one
    # page ... shorten it'), though nothing the clinician entered could be shortened
    from raretrace.evidence import AcmgCriterion

    calls = "; ".join(f"affected paternal first cousin III-{n} 0/1" for n in range(40))
    counts = ", ".join(f"paternal first cousin III-{n} 3" for n in range(40))
    pp1 = AcmgCriterion("PP1", "strong", f"{calls}; 25 informative meioses (by descent in the PED: {counts} each "
                        "alone)", "cosegregation with the disease in affected relatives")  # fmt: skip
    top = pfeiffer.diseases[0]
    variant = replace(top.variants[0], criteria=(pp1,))
    result = replace(pfeiffer, diseases=(replace(top, variants=(variant,)), *pfeiffer.diseases[1:]))
    _, text = _text(render_report(result, case_for(result), tmp_path / "r.pdf", top=2, date=DAY))
    assert "III-39 0/1; 25 informative meioses" in text and "III-39 3 each alone" in text


def _with_variants(result, variants):
    """`result` with its top disease's candidate variants replaced."""
    top = result.diseases[0]
    return replace(result, diseases=(replace(top, variants=tuple(variants)), *result.diseases[1:]))


def test_the_acmg_criteria_print_across_the_table_under_their_variant(pfeiffer, tmp_path):
    # In a criteria column some 11% of the page wide, a family's PP1 (every affected carrier and what each counts)
    # printed one or two words a line: one variant's row ran over pages while its other cells held a few lines
    from raretrace.evidence import AcmgCriterion

    calls = "; ".join(f"affected paternal first cousin III-{n} 0/1" for n in range(12))
    pp1 = AcmgCriterion("PP1", "strong", f"{calls}; 9 informative meioses", "cosegregation with the disease")
    pm2 = AcmgCriterion("PM2", "supporting", "absent", "not found in the population data")
    variant = replace(pfeiffer.diseases[0].variants[0], criteria=(pm2, pp1))
    result = _with_variants(pfeiffer, [variant])
    for size in ("A4", "Letter"):
        pages, text = _text(render_report(result, case_for(result), tmp_path / f"{size}.pdf", page_size=size, top=2,
                                           date=DAY))
        lines = [line for page in pages for line in page.splitlines()]
        assert max(line.count("affected paternal first cousin III-") for line in lines) >= 3, size  # was none whole
        assert "PM2 (supporting): absent" in text and "9 informative meioses" in text


def _many_variants(result, n: int):
    """`n` candidate variants of the top disease's gene, each with its own position, VCF line and criteria."""
    from raretrace.evidence import AcmgCriterion

    base = result.diseases[0].variants[0]
    crit = (AcmgCriterion("PM2", "supporting", "gnomADe_AF=2e-05", "rare"),  # the first is each variant's own
            AcmgCriterion("PP3", "supporting", "REVEL=0.95", "predicted damaging"),
            AcmgCriterion("PP5", "supporting", "PMID:12920066, PMID:24066033", "reported causal"),
            AcmgCriterion("BS1", "strong", "1000 Genomes (bundled)=0.01537", "allele frequency above 1%"))
    return [replace(base, pos=base.pos + 1000 * i, record_line=1000 + i,
                    criteria=(replace(crit[0], value=f"gnomADe_AF={i + 1}e-06"), *crit[1: 1 + i % 4]),
                    hgvs=f"ENST00000358487.10:c.{900 + i}G>A (ENSP00000351276.6:p.Arg{300 + i}Gln)")
            for i in range(n)]


def test_a_variant_table_over_pages_repeats_its_header_at_the_top_of_each_and_keeps_rows_whole(pfeiffer, tmp_path):
    # With rows allowed to split (for a family's PP1 taller than a page) reportlab split whichever row a page ended
    # in: its start under a header row repeated in the middle of the page, its end on the next page
    variants = _many_variants(pfeiffer, 34)
    result = _with_variants(pfeiffer, variants)
    header = re.compile(r"Gene\s+Variant\s+Effect\s+Genotype")
    for size in ("A4", "Letter"):
        pages, _ = _text(render_report(result, case_for(result), tmp_path / f"{size}.pdf", page_size=size, top=1,
                                       date=DAY))
        pages = [" ".join(page.split()) for page in pages]
        for n, page in enumerate(pages, start=1):  # a header row starts the page or follows the table's heading
            for m in header.finditer(page):  # (or the line a page that continues a hypothesis section opens with)
                assert m.start() == 0 or re.search(r"(Candidate variants( \(\d+\))?|, continued) $", page[: m.start()]), \
                    (size, n, page[max(0, m.start() - 80): m.start()])
        for i, v in enumerate(variants):  # each row whole on one page, with its criteria
            on = [p for p in pages if f"{v.chrom}:{v.pos} " in p]
            assert on and all(f"line 1,{i:03d}" in p and f"={i + 1}e-06" in p for p in on), (size, i)


def _column_lines(path, start: str, end: str) -> list[list[str]]:
    """The lines printed at the left edge of the cell that starts with `start`, up to a line starting with `end`
    (one list a cell, in page order): a cell's lines as printed, wherever pypdf puts the other columns' text."""
    cells = []
    for page in PdfReader(path).pages:
        chunks: list[tuple[float, str]] = []
        page.extract_text(visitor_text=lambda t, cm, tm, font, size, c=chunks: c.append(
            (cm[4] + tm[4] * cm[0], t)) if t.strip() else None)
        lefts = {round(x) for x, t in chunks if t.startswith(start)}
        lines: list[str] = []
        for x, t in chunks:
            if round(x) not in lefts:
                continue
            if t.startswith(start):
                lines = []
                cells.append(lines)
            if t.startswith(end):
                lines = []
            elif cells and cells[-1] is lines:
                lines.append(t.strip())
    return cells


def test_hgvs_names_too_wide_for_their_column_break_after_the_transcript_never_mid_number(pfeiffer, tmp_path):
    # reportlab broke an HGVS name wider than the variant column between any two characters: "ENSP0000035016" over
    # "6.5:p.Lys282...", "c.845_850delin" over "sGGT...", which read as other numbers and names
    names = ["ENST00000358487.10:c.1750+5C>G", "NM_000141.5:c.1019A>G (NP_000132.3:p.Tyr340Cys)",
             "ENST00000357618.5:c.845_850delinsGGTACCAAGTTT (ENSP00000350166.5:p.Lys282_Ser284delinsArgTyrGlnVal)",
             "ENST00000358487.10:c.1019A>G (ENSP00000351276.6:p.Tyr340Cys)"]
    base = pfeiffer.diseases[0].variants[0]
    variants = [replace(base, pos=base.pos + 1000 * i, hgvs=name) for i, name in enumerate(names)]
    result = _with_variants(pfeiffer, variants)
    for size in ("A4", "Letter"):
        out = render_report(result, case_for(result), tmp_path / f"{size}.pdf", page_size=size, top=1, date=DAY)
        cells = _column_lines(out, f"{base.chrom}:", "ACMG/AMP criteria")
        assert len(cells) == 2 * len(names)  # the summary's table and the hypothesis'
        for v, lines in zip(variants * 2, cells, strict=True):
            printed, at = f"{v.where} {v.hgvs}", 0
            for line in lines:  # each line is the next part of the cell's text
                assert printed.startswith(line, at), (size, line, printed[at:])
                at += len(line)
                if at < len(printed) and printed[at] != " ":  # a word broken here
                    before, after, part = printed[at - 1], printed[at], line.rsplit(" ", 1)[-1]
                    assert not (re.match(r"[\d.]", before) and re.match(r"[\d.]", after)), (size, line)  # a number
                    # a transcript's name whole, its ":" ending the line (not "NM_000141.5:c.1019" over "A>G")
                    assert (":" in printed[:at].rsplit(" ", 1)[-1] or ":" not in printed[at:].split(" ", 1)[0]) and (
                        ":" not in part or part.endswith(":")), (size, line)
                at += printed[at: at + 1] == " "
            assert at == len(printed), (size, lines)
        # a name the column has room for is whole, whatever is on the line before it
        assert "ENST00000358487.10:c.1019A>G" in {line for lines in cells for line in lines}, size


def test_a_listed_gene_whose_disease_has_no_section_gets_its_own_with_its_pmids(engine, tmp_path):
    case = load_phenopacket(resources_dir() / "demo" / "demo_case.json")
    result = engine.ranker.analyse(case, top=20)
    shown = {h.id for h in result.diseases[:2]}
    outside = next(g for g in result.genes if g.diseases[0][0] not in shown and g.matched)
    result = replace(result, genes=(outside,) + tuple(g for g in result.genes if g is not outside))
    _pages, text = _text(render_report(result, case, tmp_path / "g.pdf", top=2, date=DAY))
    assert "Evidence for each candidate gene not shown above" in text
    for ref in {r for m in outside.matched for r in m.references}:
        assert ref in text, ref


def test_a_present_feature_the_disease_is_annotated_not_to_have_is_printed_with_its_source(engine, tmp_path):
    bcd2 = ["HP:0009804", "HP:0012905", "HP:0030001", "HP:0410030", "HP:0007651", "HP:0009743", "HP:0000698"]
    result = engine.ranker.analyse(case_from_terms("bcd2", bcd2 + ["HP:0002164"]), top=10)
    h = next(h for h in result.diseases if h.id == "OMIM:617681")
    assert h.negated
    _pages, text = _text(render_report(result, case_for(result), tmp_path / "bcd2.pdf", date=DAY))
    flat = _flat(text)
    assert _flat("present in the patient, annotated as absent in the disease") in flat
    assert _flat(f"not {h.negated[0].disease_label} ({h.negated[0].disease_term})") in flat
    assert "PMID:28301459" in text


def test_a_match_ruled_out_by_an_excluded_feature_says_so_in_the_report(engine, tmp_path):
    result = engine.ranker.analyse(case_from_terms("tone", ["HP:0003808", "HP:0001263", "HP:0000252"], ["HP:0001252"]),
                                   top=10)
    assert any(m.ruled_out for h in result.diseases for m in h.matched)
    _pages, text = _text(render_report(result, case_for(result), tmp_path / "tone.pdf", date=DAY))
    assert _flat("also ruled out by an excluded feature") in _flat(text)


def test_the_report_states_each_hypothesis_clinical_course_with_its_sources(engine, tmp_path):
    result = engine.ranker.analyse(case_from_terms("ataxia", ["HP:0001251", "HP:0002066", "HP:0001260"]), top=10)
    shown = [h for h in result.diseases if h.clinical_course]
    assert shown
    _pages, text = _text(render_report(result, case_for(result), tmp_path / "course.pdf", date=DAY))
    for h in shown[:3]:
        assert _flat("Clinical course (HPO): " + h.course_summary()) in _flat(text)


def test_the_report_cites_every_clinical_course_reference_its_course_line_leaves_out(engine, tmp_path):
    # the course line names three publications per onset class: the others are among the references cited
    from raretrace.evidence import ClinicalCourse

    result = engine.ranker.analyse(case_from_terms("ataxia", ["HP:0001251", "HP:0002066", "HP:0001260"]), top=1)
    refs = tuple(f"PMID:{90000001 + i}" for i in range(5))  # not cited by any feature: only the course cites them
    h = replace(result.diseases[0], clinical_course=(ClinicalCourse("HP:0003577", "Congenital onset", refs, ("PCS",)),))
    result = replace(result, diseases=(h,), genes=())
    _pages, text = _text(render_report(result, case_for(result), tmp_path / "course.pdf", date=DAY))
    assert _flat("Congenital onset [PMID:90000001, PMID:90000002, PMID:90000003 +2 (PCS)]") in _flat(text)
    cited = _flat(text)[_flat(text).index(_flat("References cited for this hypothesis")):]
    assert all(r in cited for r in refs)


def test_the_report_names_three_sources_a_row_as_the_evidence_pane_does_and_cites_them_all(engine, tmp_path):
    # a feature of Kabuki syndrome annotated by 11 publications: the PDF's row listed all 11 PMIDs where the GUI's
    # names three and "+8"; both show the evidence model's one list, the report's references cite every one
    from raretrace.evidence import ExcludedConflict, NegatedConflict, SuggestedFeature, sources_shown
    from raretrace.gui.evidence_html import hypothesis_html

    result = engine.ranker.analyse(case_from_terms("ataxia", ["HP:0001251", "HP:0002066", "HP:0001260"]), top=1)
    h = result.diseases[0]
    refs = {part: tuple(f"PMID:{90000000 + 100 * k + i}" for i in range(11))
            for k, part in enumerate(("matched", "conflicts", "negated", "suggested"))}
    h = replace(h, matched=(replace(h.matched[0], references=refs["matched"], evidence=("PCS",)), *h.matched[1:]),
                conflicts=(ExcludedConflict("HP:0001252", "Hypotonia", "HP:0001252", "Hypotonia", 0.9, "9/10",
                                            refs["conflicts"], evidence=("PCS",)),),
                negated=(NegatedConflict("HP:0000252", "Microcephaly", "HP:0000252", "Microcephaly", "NOT annotation",
                                         refs["negated"]),),
                suggested=(SuggestedFeature("HP:0001250", "Seizure", 0.5, "5/10", refs["suggested"],
                                            evidence=("PCS",)),))
    result = replace(result, diseases=(h,), genes=())
    _pages, text = _text(render_report(result, case_for(result), tmp_path / "refs.pdf", date=DAY))
    flat = _flat(text)
    tables, cited = flat.split(_flat("References cited for this hypothesis"))
    pane = hypothesis_html(h)
    for part, item in (("matched", h.matched[0]), ("conflicts", h.conflicts[0]), ("negated", h.negated[0]),
                       ("suggested", h.suggested[0])):
        shown = sources_shown(item)
        assert shown.startswith(", ".join(refs[part][:3]) + " +8"), shown
        assert _flat(shown) in tables and shown in pane, part
        assert refs[part][3] not in tables and refs[part][3] not in pane, part
        assert all(r in cited for r in refs[part]), part


def test_the_report_says_once_under_the_first_contributions_what_each_group_contains(engine, tmp_path):
    # "prior" (+4 for a Diamond-Blackfan anaemia entry, -1.46 for Kabuki syndrome in the demo) was explained nowhere
    # a clinician reads: a legend under the first hypothesis' bars says what every group drawn contains
    from raretrace.evidence import CONTRIBUTION_MEANINGS, TWIN_GROUP
    from raretrace.ranking import GROUPS
    from raretrace.report import continued_line

    assert set(GROUPS) | {"variant evidence", "inheritance fit", "other candidate variants", TWIN_GROUP} \
        == set(CONTRIBUTION_MEANINGS)
    result = engine.ranker.analyse(case_from_terms("ataxia", ["HP:0001251", "HP:0002066", "HP:0001260"]), top=3)
    assert all(any(c.group == "prior" for c in h.contributions) for h in result.diseases)
    _pages, text = _text(render_report(result, case_for(result), tmp_path / "legend.pdf", date=DAY))
    flat = _flat(text)
    for h in result.diseases:  # the titles atop the pages a section continues on
        flat = flat.replace(_flat(continued_line(h)), "")
    assert flat.count(_flat("What the score contributions contain")) == 1
    legend = flat[flat.index(_flat("What the score contributions contain")):]
    first, second = (flat.rindex(_flat(f"{h.rank}. {h.label} ({h.id})")) for h in result.diseases[:2])
    assert first < flat.index(_flat("What the score contributions contain")) < second
    for group in ("phenotype match", "conflicting evidence", "similar published cases", "prior", "variant evidence"):
        assert _flat(f"{group}: {CONTRIBUTION_MEANINGS[group]}") in legend, group
    assert _flat("whether it is a DECIPHER entry or an Orphanet entry") in legend


def test_a_variant_meeting_no_acmg_criterion_says_why_in_the_report(pfeiffer, tmp_path):
    from raretrace.evidence import NO_CRITERION_MET

    h = next(h for h in pfeiffer.diseases if h.variants)
    bare = replace(h.variants[0], criteria=())
    result = replace(pfeiffer, diseases=(replace(h, rank=1, variants=(bare,)),), genes=())
    _pages, text = _text(render_report(result, case_for(result), tmp_path / "none.pdf", date=DAY))
    assert _flat(f"ACMG/AMP criteria: {NO_CRITERION_MET}") in _flat(text)
    assert NO_CRITERION_MET == "none met with the data available"


def test_chinese_japanese_and_korean_text_prints_in_the_fallback_font(tmp_path, capsys, engine):
    """DejaVu has no CJK glyphs: a patient or clinician named in Chinese printed as boxes on every page. Such runs
    are set in the bundled Droid Sans Fallback, in the running header as in the body, and nothing is warned."""
    import json

    from raretrace.cli import main
    from raretrace.figures import FALLBACKS, font_runs
    from raretrace.report import unprintable_fields_warning

    assert font_runs("Dr 王小明 김민준", "RT-Sans") == [("Dr ", "RT-Sans"), ("王小明", FALLBACKS[0][0]), (" ", "RT-Sans"),
                                                     ("김민준", FALLBACKS[1][0])]
    assert unprintable_fields_warning("例-1", "患者 김민준", "Dr 王", note="さくら") is None
    case = tmp_path / "c.json"
    case.write_text(json.dumps({"id": "病例-1", "subject": {"id": "患者"},
                                "phenotypicFeatures": [{"type": {"id": "HP:0001156"}}, {"type": {"id": "HP:0004322"}}]}),
                    encoding="utf-8")
    out = tmp_path / "r.pdf"
    assert main(["report", str(case), "--out", str(out), "--clinician", "Dr 王", "--device", "cpu"]) == 0
    assert "cannot print" not in capsys.readouterr().err
    reader = PdfReader(out)
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("DroidSansFallback" in f for f in fonts)  # the embedded subset, by its PostScript name
    pages = [page.extract_text().replace("\n", "") for page in reader.pages]  # runs of each font come apart
    assert all("Case 病例-1 · patient 患者 · " in text for text in pages)  # the running header
    assert "Dr 王" in pages[0]


def test_characters_no_report_font_has_are_warned_about_once(tmp_path, capsys, engine):
    import json

    from raretrace.cli import main
    from raretrace.report import unprintable_fields_warning

    assert unprintable_fields_warning("ünïcødé-ça", "Pädiatrie 3", "Dr. Ødegård") is None  # Latin prints
    warning = unprintable_fields_warning("例-🧬", "患者", "Dr 🙂")
    assert warning == ("the report font cannot print 2 character(s) of the case ID/clinician (🧬🙂): "
                       "each prints as \ufffd (U+FFFD)")
    case = tmp_path / "c.json"
    case.write_text(json.dumps({"id": "病例-🧬", "subject": {"id": "pt1"}, "raretraceNote": "Family 👨‍👩‍👧 🙂 none",
                                "phenotypicFeatures": [{"type": {"id": "HP:0001156"}}, {"type": {"id": "HP:0004322"}}]}),
                    encoding="utf-8")
    out = tmp_path / "r.pdf"
    assert main(["report", str(case), "--out", str(out), "--clinician", "Dr 🙂", "--device", "cpu"]) == 0
    err = capsys.readouterr().err
    assert err.count("the report font cannot print") == 1
    assert "6 character(s) of the case ID/clinician/clinical note (🧬🙂👨👩👧): each prints as \ufffd (U+FFFD)" in err
    # as the warning says, on the page: one replacement character for each, never an empty box that leaves no text
    pages = [page.extract_text().replace("\n", "") for page in PdfReader(out).pages]
    assert all("Case 病例-\ufffd · patient pt1 · " in text for text in pages)  # the running header
    assert "Dr \ufffd" in pages[0]
    # on the clinical note's page (the report's length decides whether the limitations follow on another)
    assert "Family \ufffd\u200d\ufffd\u200d\ufffd \ufffd none" in next(t for t in pages if "Clinical note" in t)


def test_a_note_the_font_cannot_print_and_right_to_left_text_are_warned_about():
    from raretrace.report import unprintable_fields_warning

    # the clinical note is printed in the report too: its characters no font has are boxes there as well
    assert unprintable_fields_warning("c1", "p1", "", note="Mother: 王小明 🙂") == (
        "the report font cannot print 1 character(s) of the clinical note (🙂): each prints as \ufffd (U+FFFD)")
    # Hebrew and Arabic have glyphs but are laid out left to right, letter by letter: a name prints reversed
    assert unprintable_fields_warning("c1", "שלום כהן", "د. مريم") is None  # prints as it reads (figures.visual)
    assert unprintable_fields_warning("c1", "Zoë Ελένη Иван", "Dr. Ødegård", note="e\u0301 café") is None


def test_right_to_left_text_prints_in_reading_order_with_arabic_letters_joined(tmp_path, capsys, engine):
    """reportlab sets characters left to right as they are stored: a Hebrew name printed backwards ("ןהכ הרש") and
    Arabic letters each alone and in reverse, in the case table, the running header and the clinical note (the
    export only warned). Each line is now set for display, and a wrapped note line keeps its words in order."""
    import json
    import unicodedata

    from raretrace.cli import main
    from raretrace.figures import font_runs, isolate, visual

    assert visual("שרה כהן 123") == "123 ןהכ הרש"
    assert visual("patient שרה כהן said (twice) 3.5") == "patient ןהכ הרש said (twice) 3.5"
    assert visual("ספר (2) עמ 3.5") == "3.5 מע (2) רפס"  # numbers left to right, brackets mirrored
    assert visual("\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd") == "\u05dd\u05d5\u05b9\u05dc\u05e9\u05b8\u05c1"  # points stay
    # with their letter (shalom)
    assert visual("د. مريم") == "\ufee2\ufef3\ufeae\ufee3 .\ufea9"  # joined forms: final, medial, medial, initial
    assert visual("لا") == "\ufefb" and visual("Zoë Ελένη 12") == "Zoë Ελένη 12"
    # the running header: each ID set on its own, not drawing the separators and the date into its run
    header = f"Case {isolate('תיק-7')} · patient {isolate('שרה כהן 123')} · 2026-11-27"
    assert font_runs(header, "RT-Sans") == [("Case 7-קית · patient 123 ןהכ הרש · 2026-11-27", "RT-Sans")]
    note = " ".join(["ראשון", *["אמצע"] * 40, "אחרון"])
    case = tmp_path / "c.json"
    case.write_text(json.dumps({"id": "תיק-7", "subject": {"id": "שרה כהן"}, "raretraceNote": note,
                                "phenotypicFeatures": [{"type": {"id": "HP:0001156"}}, {"type": {"id": "HP:0004322"}}]}),
                    encoding="utf-8")
    out = tmp_path / "r.pdf"
    assert main(["report", str(case), "--out", str(out), "--clinician", "د. مريم", "--device", "cpu"]) == 0
    assert "cannot print" not in capsys.readouterr().err
    # pypdf reads right-to-left glyphs back into the order typed: what prints reversed reads reversed here
    pages = [unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(out).pages]
    assert "שרה כהן" in pages[0] and "د. مريم" in pages[0]
    note_page = next(t for t in pages if "Clinical note" in t)  # not always the last: the limitations follow it
    lines = note_page[note_page.index("Clinical note"):].splitlines()
    assert lines[1].startswith("ראשון אמצע") and lines[2].endswith("אמצע אחרון")


def _body_fill(page, page_height: float) -> float:
    """How far down the page body its lowest line of text reaches (0: empty, 1: to the bottom margin)."""
    ys: list[float] = []

    def visit(text, cm, tm, font, size_):
        if text.strip():
            ys.append(cm[5] + tm[5] * cm[3])

    page.extract_text(visitor_text=visit)
    body = [y for y in ys if MARGIN - 2 <= y <= page_height - MARGIN]  # not the running header or footer
    return (page_height - MARGIN - min(body)) / (page_height - 2 * MARGIN) if body else 0.0


def test_a_heading_keeps_the_start_of_a_long_table_and_no_page_is_left_mostly_blank(pfeiffer, tmp_path):
    # Each hypothesis' matched-features table is longer than a page: reportlab's keepWithNext moved the heading and
    # the whole table to the next page, leaving most of the page under the hypothesis' self-check blank. The
    # heading must stay with the start of the table, which splits with its header row repeated.
    hyps = tuple(replace(h, matched=h.matched * 4) for h in pfeiffer.diseases[:3])
    result = replace(pfeiffer, diseases=hyps, genes=())
    out = render_report(result, case_for(result), tmp_path / "long.pdf", top=3, date=DAY)
    reader = PdfReader(out)
    height = float(reader.pages[0].mediabox.height)
    pages = [p.extract_text() for p in reader.pages]
    first = next(n for n, text in enumerate(pages) if "Evidence for each hypothesis" in text)
    for n in range(first, len(pages) - 1):  # the hypotheses' pages, all but the last of the report
        assert _body_fill(reader.pages[n], height) > 0.6, f"page {n + 1} of {len(pages)} is mostly blank"
    starts = [n for n, text in enumerate(pages) for _ in range(text.count("Matched features ("))]
    assert len(starts) == len(hyps)
    for n in starts:
        after = pages[n].split("Matched features (", 1)[1]
        assert "Patient feature" in after  # the table's header row with its heading
        assert re.search(r"\(HP:\d{7}\)", after.split("Patient feature", 1)[1])  # and a first row
        assert "Patient feature" in pages[n + 1]  # the table goes on there under its header, repeated


def _trio_case(engine, tmp_path, extra: int):
    """The demo patient with `extra` more Kabuki syndrome features, and a trio: the demo exome with parents' columns
    (each of the proband's heterozygous variants from one parent or de novo, a homozygous one from both) and a PED."""
    import gzip

    from raretrace.case import Phenotype

    case = load_phenopacket(resources_dir() / "demo" / "demo_case.json")
    have = {p.id for p in case.phenotypes}
    terms = [t for (t,) in engine.db.execute(
        "SELECT DISTINCT hpo_id FROM disease_annotations WHERE disease_id = 'OMIM:147920' AND aspect = 'P' AND "
        "qualifier IS NOT 'NOT' ORDER BY hpo_id") if t not in have and t in engine.ontology.index][:extra]
    assert len(terms) == extra
    case = replace(case, phenotypes=case.phenotypes + tuple(Phenotype(t) for t in terms), files=())
    lines = []
    with gzip.open(resources_dir() / "demo" / "demo_exome.vcf.gz", "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle.read().splitlines()):
            fields = line.split("\t")
            if line.startswith("##"):
                lines.append(line)
            elif line.startswith("#"):
                lines.append("\t".join([*fields[:9], "PATIENT7", "FATHER", "MOTHER"]))
            else:
                parents = ("0/1", "0/1") if fields[9] == "1/1" else (("0/1", "0/0"), ("0/0", "0/1"), ("0/0", "0/0"))[n % 3]
                lines.append("\t".join([*fields[:10], *parents]))
    vcf = tmp_path / "trio.vcf"
    vcf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ped = tmp_path / "trio.ped"
    ped.write_text("F1 FATHER 0 0 1 1\nF1 MOTHER 0 0 2 1\nF1 PATIENT7 FATHER MOTHER 1 2\n", encoding="utf-8")
    return case, vcf, ped


@pytest.mark.parametrize("extra", [15, 25, 40])
def test_a_trio_reports_tall_matrix_starts_where_there_is_room_and_keeps_its_legend(engine, tmp_path, extra):
    # After the candidate-variants table of a trio, a matrix taller than the rest of the page moved whole to the
    # next page (a page left up to three quarters blank), and its legend could land alone on a page after it. The
    # matrix must start in the room left, go on under its repeated column labels, and end with its legend.
    from raretrace.analysis import run_analysis
    from raretrace.figures import match_matrix, max_columns

    case, vcf, ped = _trio_case(engine, tmp_path, extra)
    result = run_analysis(engine, case, vcf=vcf, sample="PATIENT7", assembly="GRCh38", ped=ped, top=10)
    # the parents' genotypes were read (the exome's variants are random: a de novo one may rank by gene only)
    assert any(v.origin_text for h in (*result.diseases, *result.genes) for v in h.variants)
    out = render_report(result, case, tmp_path / "trio.pdf", date=DAY)
    reader = PdfReader(out)
    height = float(reader.pages[0].mediabox.height)
    pages = [p.extract_text() for p in reader.pages]
    start = next(n for n, text in enumerate(pages) if "Phenotype-match matrix" in text)
    legend = next(n for n, text in enumerate(pages) if "Columns:" in text)
    assert legend > start  # the matrix and its legend are taller than the room left where the matrix starts
    assert _body_fill(reader.pages[start - 1], height) > 0.6, "the page before the matrix is mostly blank"
    width = float(reader.pages[0].mediabox.width) - 2 * MARGIN
    rows = match_matrix(result, min(10, len(result.diseases), max_columns(width))).rows
    first_column = re.compile(rf"\b1\s+{re.escape(result.diseases[0].label[:12])}")  # its rotated label
    for n in range(start, legend + 1):  # every part of the matrix under its column labels
        assert first_column.search(pages[n]), f"page {n + 1}: no column labels"
    # the legend is on the page of the matrix's last rows, after them
    assert "Columns:" in pages[legend].split(rows[-1].term, 1)[-1]
    assert rows[-1].term in pages[legend]


def test_a_feature_entered_with_an_alternative_id_keeps_its_onset_on_the_row_analysed(engine, tmp_path):
    import json

    from raretrace.analysis import run_analysis

    data = {"id": "alt", "phenotypicFeatures": [
        {"type": {"id": "HP:0004715"}, "onset": {"ontologyClass": {"id": "HP:0003577"}}},  # alt ID of HP:0000003
        {"type": {"id": "HP:0001250"}}, {"type": {"id": "HP:0000252"}}]}
    (tmp_path / "alt.json").write_text(json.dumps(data))
    case = load_phenopacket(tmp_path / "alt.json")
    result = run_analysis(engine, case, top=3)
    assert result.replaced == (("HP:0004715", "HP:0000003"),)
    assert result.to_json()["replaced_terms"] == [{"entered": "HP:0004715", "analysed_as": "HP:0000003"}]
    _, text = _text(render_report(result, case, tmp_path / "r.pdf", top=3, date=DAY))
    analysed = text.index("HP:0000003")
    # the analysed row carries the onset entered with the alternative ID, and the entered row says what it became
    assert "Congenital onset" in text[analysed: text.index("HP:0004715")]
    assert "as HP:0000003, its current ID" in text
    assert "HP:0004715 Multicystic kidney dysplasia" in text  # named as the term it was analysed as (blank before)


def test_a_feature_implied_by_a_more_specific_one_is_named_with_the_feature_that_stands_for_it(engine, tmp_path):
    import json

    from raretrace.analysis import run_analysis

    # a phenopacket without labels: Brachycephaly and Proptosis are implied by Brachyturricephaly and Shallow orbits
    data = {"id": "implied", "phenotypicFeatures": [{"type": {"id": t}} for t in (
        "HP:0000248", "HP:0000244", "HP:0000520", "HP:0000586", "HP:0001250")]}
    (tmp_path / "implied.json").write_text(json.dumps(data))
    case = load_phenopacket(tmp_path / "implied.json")
    result = run_analysis(engine, case, top=3)
    assert result.to_json()["covered_terms"] == [
        {"id": "HP:0000248", "label": "Brachycephaly", "covered_by": "HP:0000244"},
        {"id": "HP:0000520", "label": "Proptosis", "covered_by": "HP:0000586"}]
    assert not any("HP:0000248" in w for w in result.warnings)  # no note to see: the row itself says why
    _, text = _text(render_report(result, case, tmp_path / "r.pdf", top=3, date=DAY))
    inputs = text[text.index("Features present"): text.index("Features excluded")]
    # named, and said what stands for it (an empty name and "see notes" with no note about it before)
    assert "HP:0000248 Brachycephaly no: implied by the more specific Brachyturricephaly (HP:0000244)" in inputs
    assert "HP:0000520 Proptosis no: implied by the more specific Shallow orbits (HP:0000586)" in inputs
    assert "see notes" not in inputs


def test_each_onset_in_the_inputs_table_prints_on_one_line(engine, tmp_path):
    import json

    from raretrace.analysis import run_analysis

    onsets = {"HP:0001250": {"ontologyClass": {"id": "HP:0003577"}},  # Congenital onset
              "HP:0000252": {"ontologyClass": {"id": "HP:0011463"}},  # Childhood onset
              "HP:0001263": {"ontologyClass": {"id": "HP:0003621"}},  # Juvenile onset
              "HP:0004322": {"age": {"iso8601duration": "P11Y11M"}}}
    data = {"id": "onsets", "phenotypicFeatures": [{"type": {"id": t}, "onset": o} for t, o in onsets.items()]}
    (tmp_path / "onsets.json").write_text(json.dumps(data))
    case = load_phenopacket(tmp_path / "onsets.json")
    result = run_analysis(engine, case, top=3)
    for size in ("A4", "Letter"):
        pages, _ = _text(render_report(result, case, tmp_path / "r.pdf", top=3, date=DAY, page_size=size))
        lines = pages[0].splitlines()
        # each onset one line of its cell (broken over two, every row with an onset took twice the height)
        for words in ("Congenital onset", "Childhood onset", "Juvenile onset", "at 11 years 11 months"):
            assert any(words in line for line in lines), (size, words)


def test_an_age_given_as_an_onset_class_is_printed_in_words(engine, tmp_path):
    import json

    from raretrace.analysis import run_analysis

    data = {"id": "stage", "subject": {"id": "s", "timeAtLastEncounter": {"ontologyClass": {"id": "HP:0011463"}}},
            "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}, {"type": {"id": "HP:0000252"}}]}
    (tmp_path / "stage.json").write_text(json.dumps(data))
    case = load_phenopacket(tmp_path / "stage.json")
    _, text = _text(render_report(run_analysis(engine, case, top=3), case, tmp_path / "r.pdf", top=3, date=DAY))
    assert "Age childhood, by 5 years" in text  # it was "not recorded"


def test_the_report_is_written_through_a_new_private_file_only(pfeiffer, tmp_path):
    """The PDF went through `.NAME.<pid>.tmp`, opened without O_EXCL: a file already at that predictable name (in
    a shared folder, another account's, or a link) was written through, the patient's report landing in a file
    its owner can read. The temporary file is now always a new one: whatever sits at the old name is untouched,
    the report is 0600 whatever the umask, and nothing is left beside it."""
    import os

    decoy = tmp_path / f".r.pdf.{os.getpid()}.tmp"
    decoy.write_text("someone else's file")
    decoy.chmod(0o644)
    mask = os.umask(0o022)
    try:
        out = render_report(pfeiffer, case_for(pfeiffer), tmp_path / "r.pdf", date=DAY)
    finally:
        os.umask(mask)
    assert decoy.read_text() == "someone else's file" and decoy.stat().st_mode & 0o777 == 0o644
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [decoy.name, "r.pdf"]


def test_the_demo_writes_its_result_and_report_for_this_user_only(engine, tmp_path):
    from raretrace.demo import run_demo

    result, report = run_demo(engine, tmp_path / "demo")
    written = tmp_path / "demo" / "demo_result.json"
    assert result.diseases and report.read_bytes().startswith(b"%PDF")
    assert written.read_text(encoding="utf-8").startswith("{")
    # (the JSON was written 0644 beside a 0600 report; both now go through paths.write_private)
    assert {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "demo").iterdir()} == {
        "demo_result.json": 0o600, "demo_report.pdf": 0o600}


def test_the_report_says_what_its_scores_mean_where_the_ranking_starts(engine, pfeiffer, tmp_path):
    # A clinician filing "0.994" must read it as a share of the ranking, not a probability of the diagnosis; the
    # variant table's pathogenicity and the published cases' similarity are numbers too.
    _, text = _text(render_report(pfeiffer, case_for(pfeiffer), tmp_path / "vcf.pdf", date=DAY))
    flat = _flat(text)
    ranking = flat.index(_flat("Ranked differential"))
    meaning = flat.index(_flat("adds up to 1 over all the diseases of the knowledge base"))
    assert ranking < meaning < flat.index(_flat("Candidate genes"))
    for words in ("not the probability that the patient has it", "no single hypothesis stands out",
                  "shared out so that the genes' scores add up to 1", "Pathogenicity (0-1)",
                  "not an ACMG/AMP classification", "Similarity of a published case"):
        assert _flat(words) in flat, words
    # phenotype only: a gene's score is its diseases' (no variant weighs in), and no variant table to explain
    alone = evidence_result(engine, "no-vcf", PFEIFFER_PRESENT, PFEIFFER_EXCLUDED, with_vcf=False)
    flat = _flat(_text(render_report(alone, case_for(alone), tmp_path / "pheno.pdf", date=DAY))[1])
    assert _flat("A gene's score is the sum of the scores of its diseases") in flat
    assert _flat("shared out") not in flat and _flat("Pathogenicity (0-1)") not in flat


def test_the_sources_credit_the_protein_data_the_variant_evidence_cites(pfeiffer, tmp_path):
    # The variant tables print "p.(...) on UniProt P21802" and residues "kept by ... homologous proteins
    # (Swiss-Prot)": UniProt's data is CC BY 4.0 (attribution required), and a lab checks which releases were used.
    flat = _flat(_text(render_report(pfeiffer, case_for(pfeiffer), tmp_path / "r.pdf", date=DAY))[1])
    assert _flat("UniProtKB/Swiss-Prot release 2014_01 (The UniProt Consortium, CC BY 4.0)") in flat
    assert _flat("coding bounds from GENCODE release 19") in flat


def test_the_first_page_names_the_model_and_device_even_when_the_inputs_fill_it(engine, tmp_path):
    # 60 features push "Method and versions" past page 1; a first page filed alone must still say what ranked them
    present, excluded = many_features(engine, 60, 8)
    case = case_from_terms("long", list(present), list(excluded))
    result = engine.ranker.analyse(case, top=3)
    pages, _ = _text(render_report(result, case, tmp_path / "r.pdf", top=3, date=DAY))
    first = _flat(pages[0])
    assert _flat("Method and versions") not in first
    for words in (f"HPO release {result.versions['hpo_release']}", f"disease ranking model {result.versions['disease_ranker']}",
                  f"device {result.device}"):
        assert _flat(words) in first, words


def test_a_rare_or_near_universal_count_never_reads_as_none_or_all():
    from raretrace.evidence import frequency_words

    # OMIM:175100's hepatoblastoma is annotated 2/470: "(0%)" beside it would read as HPO's "excluded (0%)"
    assert frequency_words(2 / 470, "2/470") == "2/470 (<1%)"
    assert frequency_words(199 / 200, "199/200") == "199/200 (>99%)"  # not "(100%)", which reads as obligate
    assert frequency_words(0.0, "0/3") == "0/3 (0%)" and frequency_words(1.0, "3/3") == "3/3 (100%)"
    assert frequency_words(5 / 6, "5/6") == "5/6 (83%)"


def test_a_gene_scored_on_another_fit_than_its_printed_disease_gets_its_own_section(pfeiffer, tmp_path):
    # BRCA1 scored as dominant on one variant while its disease printed above (Fanconi anaemia) says recessive on two:
    # the report printed no section for the gene, so the fit behind its score was nowhere in it
    from raretrace.evidence import InheritanceFit
    from raretrace.report import genes_with_own_section

    result = pfeiffer
    gene = result.genes[0]
    disease = next(h for h in result.diseases if h.id == gene.diseases[0][0])
    assert disease.inheritance is not None and gene not in genes_with_own_section(result.diseases, result.genes)
    other = InheritanceFit(("Autosomal recessive inheritance",), "2 heterozygous candidate variants", True,
                           "Autosomal recessive inheritance fits: two heterozygous variants (phase unknown)")
    scored = replace(gene, inheritance=other)
    result = replace(result, genes=(scored, *result.genes[1:]))
    assert genes_with_own_section(result.diseases, result.genes)[0] is scored
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(
        render_report(result, case_for(result), tmp_path / "r.pdf", top=10)).pages).split())
    own = text[text.index("Evidence for each candidate gene not shown above"):]
    assert own.startswith(f"Evidence for each candidate gene not shown above 1. {scored.id} score")
    assert "two heterozygous variants (phase unknown)" in own


def test_the_inheritance_fit_reads_as_sentences(pfeiffer, tmp_path):
    # the fit's explanation, lower-case as the evidence pane shows it on a line of its own, followed a full stop in
    # the report: "Genotype: no candidate variant. none of the patient's variants ..."
    from raretrace.evidence import InheritanceFit

    fit = InheritanceFit(("Autosomal dominant inheritance",), "no candidate variant", None,
                         "none of the patient's variants (if any) in this gene is a candidate for the disease")
    top = replace(pfeiffer.diseases[0], inheritance=fit)
    result = replace(pfeiffer, diseases=(top, *pfeiffer.diseases[1:]))
    _, text = _text(render_report(result, case_for(result), tmp_path / "r.pdf", top=1, date=DAY))
    assert "Genotype: no candidate variant. None of the patient's variants (if any)" in text
    assert "is a candidate for the disease. " in text  # its last sentence ended too (none before)


def test_a_warning_that_questions_the_case_reads_check_in_bold_in_the_notes_and_the_vcf_notes(engine, tmp_path):
    # A warning that questions the reading of the case (a feature both present and excluded, a sample mix-up) was
    # only listed first under "Notes on the input" and "VCF notes": it read like the notes about skipped IDs. It is
    # led by a bold "Check:" (a word: it reads without colour, as the GUI's banner and the preview mark it).
    from raretrace.analysis import run_analysis
    from raretrace.case import Case, Phenotype
    from raretrace.evidence import attention

    case = Case("check", (Phenotype("HP:9999999"), Phenotype("HP:0001156"), Phenotype("HP:0001156", excluded=True),
                          Phenotype("HP:0001363")))
    result = run_analysis(engine, case, top=3)
    contradiction = next(w for w in result.warnings if "both present and excluded" in w)
    unknown = next(w for w in result.warnings if "unknown HPO term" in w)
    out = render_report(result, case, tmp_path / "r.pdf", top=3, date=DAY)
    _, text = _text(out)
    notes = text[text.index("Notes on the input"):]
    assert notes.index(f"• Check: {contradiction[:40]}") < notes.index(f"• {unknown}")
    assert text.count("Check:") == 1  # the note is not marked
    bold: list[str] = []
    for page in PdfReader(out).pages:
        page.extract_text(visitor_text=lambda t, cm, tm, font, size: bold.append(t) if font and "Bold" in
                          str(font.get("/BaseFont", "")) and "Check:" in t else None)
    assert bold
    # the VCF's own warnings, on their line under "Sequencing data", alike
    pfeiffer = evidence_result(engine, "pfeiffer-check", PFEIFFER_PRESENT, PFEIFFER_EXCLUDED)
    mix_up = attention("samples proband and father have identical genotypes at 412 sites: a sample mix-up?")
    vcf = replace(pfeiffer.vcf, warnings=("3 records skipped", mix_up))
    _, text = _text(render_report(replace(pfeiffer, vcf=vcf), case_for(pfeiffer), tmp_path / "v.pdf", top=3, date=DAY))
    assert f"VCF notes: Check: {mix_up[:30]}" in text and "Check: 3 records" not in text


SECTION_BREAK_MOST = 120  # points: the CondPageBreak before a hypothesis section; less is left when it moves on


def _blank_below(page) -> tuple[float, str]:
    """(points left blank between a page's last line and its foot, the first line of its body) of a PDF page."""
    height = float(page.mediabox.height)
    chunks: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        y = cm[5] + tm[5] * cm[3]
        if text.strip() and MARGIN - 2 <= y <= height - MARGIN + 2:  # the body, not the running header or footer
            chunks.append((y, cm[4] + tm[4] * cm[0], text.strip()))

    page.extract_text(visitor_text=visit)
    first = min(chunks, key=lambda c: (-round(c[0]), c[1]))[2]
    return min(c[0] for c in chunks) - MARGIN, first


def test_a_hypothesis_section_starts_where_the_page_before_ends_unless_little_room_is_left(kb_path, tmp_path):
    """The demo's report left 150 pt (a fifth of the page) blank before its first disease section and before its
    first gene section: each title was kept with its self-check, score bars (and the bars' legend) and the whole
    block moved to the next page. A section moves on only with less than SECTION_BREAK_MOST points left; its title
    stays with its facts and the rest runs on."""
    from raretrace.demo import DEMO_PMIDS, run_demo
    from raretrace.engine import Engine
    from raretrace.report import GENE_SECTIONS_HEADING, genes_with_own_section

    result, report = run_demo(Engine(kb_path, device="cpu", exclude_pmids=DEMO_PMIDS), tmp_path)  # as `raretrace demo`
    diseases = result.diseases[:10]
    titles = [f"{h.rank}. {h.label} ({h.id})" for h in diseases]
    titles += [f"{g.rank}. {g.id}" for g in genes_with_own_section(diseases, result.genes[:10])]
    headings = ("Evidence for each hypothesis", GENE_SECTIONS_HEADING)
    pages = [_blank_below(p) for p in PdfReader(report).pages]
    breaks = 0
    for n, ((blank, _), (_, first)) in enumerate(zip(pages, pages[1:], strict=False), start=1):
        if first in headings or any(t.startswith(first) and len(first) > 4 for t in titles):
            breaks += 1
            # measured from the last line's baseline: its descent and a table cell's padding under it (a few
            # points) are no room left to the layout (the demo's page 8 measured 120.2 for less than 120 left)
            assert blank < SECTION_BREAK_MOST, f"page {n} left {blank:.0f} pt blank before {first!r}"
    assert breaks  # the check ran: some sections do start a page (the demo's has several)
    # the report holds every section, in order, once
    flat = _flat(" ".join(p.extract_text() for p in PdfReader(report).pages))
    assert [flat.index(_flat(t)) for t in titles] == sorted(flat.index(_flat(t)) for t in titles)


@pytest.fixture(scope="module")
def demo(kb_path):
    """The demo's analysis and case, as `raretrace demo` makes them."""
    from raretrace.analysis import run_analysis
    from raretrace.demo import DEMO_PMIDS, load_demo_case
    from raretrace.engine import Engine

    case = load_demo_case()
    return run_analysis(Engine(kb_path, device="cpu", exclude_pmids=DEMO_PMIDS), case, top=20), case


def _body_text(page) -> str:
    """The text of a page's body (not its running header or footer), top line first, without white space."""
    height = float(page.mediabox.height)
    chunks: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        y = cm[5] + tm[5] * cm[3]
        if text.strip() and MARGIN - 2 <= y <= height - MARGIN + 2:
            chunks.append((y, cm[4] + tm[4] * cm[0], text))

    page.extract_text(visitor_text=visit)
    return _flat("".join(c[2] for c in sorted(chunks, key=lambda c: (-round(c[0]), c[1]))))


@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_each_page_a_hypothesis_section_continues_on_opens_with_its_title_and_continued(demo, tmp_path, size):
    """A section's self-check, bars and tables that ran on to the next page named no hypothesis there: the page
    began with "Score contributions" or "Matched features (5)" of a section begun on the page before. Each such
    page opens with "3. Kabuki syndrome 1 (OMIM:147920), continued"; a page a section starts on, or the
    Limitations, does not."""
    from raretrace.report import GENE_SECTIONS_HEADING, continued_line, genes_with_own_section, section_title

    result, case = demo
    diseases = result.diseases[:10]
    sections = [*diseases, *genes_with_own_section(diseases, result.genes[:10])]
    titles = [_flat(section_title(h)) for h in sections]
    lines = [_flat(continued_line(h)) for h in sections]
    assert lines[0] == _flat(f"1. {diseases[0].label} ({diseases[0].id}), continued")
    pages = [_body_text(p) for p in PdfReader(render_report(result, case, tmp_path / "r.pdf", page_size=size,
                                                            top=10, date=DAY)).pages]
    current, continued = None, 0  # the section a page starts in
    for n, text in enumerate(pages, start=1):
        if current is not None and not text.startswith((titles[current + 1:current + 2] or ["-"])[0]) \
                and not text.startswith((_flat(GENE_SECTIONS_HEADING), "Clinicalnote", "Limitations")):
            assert text.startswith(lines[current]), f"page {n} ({size}) opens {text[:60]!r}"
            assert not text[len(lines[current]):].startswith(tuple(titles)), f"page {n} ({size})"
            continued += 1
        else:
            assert not any(text.startswith(line) for line in lines), f"page {n} ({size}) opens {text[:60]!r}"
        for i, title in enumerate(titles):  # the last section begun on this page
            if title in text:
                current = i
        if "Limitations" in text[text.find(titles[current]) if current is not None else 0:]:
            current = None
    assert continued >= 5  # the demo's sections run on to several pages


def _heading_and_table_pages(room: float, rows: int) -> list[str]:
    """The text of each page of a little document: a block leaving `room` points of the first page, then a
    heading (kept with what follows, as the report's) over a table of `rows` rows of 40 points each."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

    from raretrace.report import _KeepWithStart, _styles, _table

    st = _styles()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN, keepTogetherClass=_KeepWithStart)
    width, height = A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN
    doc.addPageTemplates([PageTemplate(frames=[Frame(MARGIN, MARGIN, width, height, 0, 0, 0, 0)])])
    tall = "<br/>".join(["line"] * 4)  # 4 lines of 9.2 pt and the cell's padding: 40.8 pt
    table = _table(["Case", "Shared features"], [[f"row-{i}", Paragraph(tall, st["cell"])] for i in range(1, rows + 1)],
                   [width * 0.3, width * 0.7], st)
    doc.build([Spacer(1, height - room), Paragraph("Similar published cases (3)", st["h3"]), table])
    return [p.extract_text() for p in PdfReader(io.BytesIO(buffer.getvalue())).pages]


def test_a_table_keeps_two_rows_with_its_heading_where_they_fit(tmp_path):
    """The demo's similar published cases (three rows of 55 pt) moved whole to the next page with their heading on
    Letter, leaving a third of the page blank: a table starts under its heading where two rows fit (a longer one
    too: it needed three, and left up to a quarter of a page blank). A heading never stays with fewer (one row of
    three, or of two, or of five moves on with it)."""
    two_fit = 19 + 15 + 2 * 41 + 8  # the heading, the header row, two rows, a little
    pages = _heading_and_table_pages(two_fit, 3)
    assert len(pages) == 2 and "row-2" in pages[0] and "row-3" in pages[1] and "Case" in pages[1]
    pages = _heading_and_table_pages(two_fit, 2)  # two rows of two: they fit whole
    assert "row-2" in pages[0]
    pages = _heading_and_table_pages(two_fit - 41, 3)  # only one row fits: all of it moves on
    assert "Similar published" not in pages[0] and "row-1" in pages[1]
    pages = _heading_and_table_pages(two_fit, 5)  # a longer table: two rows here, the rest under its header
    assert "row-2" in pages[0] and "row-3" not in pages[0] and pages[1].lstrip().startswith("Case")
    pages = _heading_and_table_pages(two_fit - 41, 5)  # only one row fits: all of it moves on
    assert "Similar published" not in pages[0] and "row-1" in pages[1]


def _top_line_y(page) -> float:
    """The baseline of the first line of a page's body (not its running header)."""
    height = float(page.mediabox.height)
    ys: list[float] = []
    page.extract_text(visitor_text=lambda t, cm, tm, font, size: ys.append(cm[5] + tm[5] * cm[3])
                      if t.strip() and cm[5] + tm[5] * cm[3] <= height - MARGIN + 2 else None)
    return max(ys)


def _line_y(page, text: str) -> float:
    """The baseline of the first line of `page` that starts with `text`."""
    ys: list[float] = []
    page.extract_text(visitor_text=lambda t, cm, tm, font, size: ys.append(cm[5] + tm[5] * cm[3])
                      if t.strip().startswith(text) else None)
    return max(ys)


@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_a_long_table_or_the_matrix_starts_under_its_heading_where_two_rows_fit(demo, tmp_path, size):
    """The demo's match matrix (on A4) and its candidate variants (on Letter) moved whole to the next page with their
    heading when their heading, header and first two rows fitted but not three: a third (a quarter) of a page left
    blank. Each starts where its heading and first two rows fit, and goes on over pages under its header (the
    matrix's column labels) repeated; a variant's row and its criteria (its table's first two rows) stay together."""
    from raretrace.figures import match_matrix, max_columns
    from raretrace.report import _all_variants

    result, case = demo
    reader = PdfReader(render_report(result, case, tmp_path / "r.pdf", page_size=size, top=10, date=DAY))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    width = float(reader.pages[0].mediabox.width) - 2 * MARGIN
    rows = match_matrix(result, min(10, len(result.diseases), max_columns(width))).rows
    variants = _all_variants([*result.diseases[:10], *result.genes[:10]])
    blocks = (  # heading, the start of its third row's text, its header's text, the text of its end
        ("Phenotype-match matrix", rows[2].term, re.compile(rf"\b1 {re.escape(result.diseases[0].label[:12])}"),
         "Columns:"),
        ("Candidate variants", variants[1].where, re.compile(r"Gene Variant Effect Genotype"),
         f"{variants[-1].where} "),
    )
    assert len(variants) >= 10 and len(rows) > 10  # each longer than a page's room
    split = 0
    for heading, third, header, end_text in blocks:
        start = next(n for n, text in enumerate(pages) if re.search(rf"(^| ){heading}( [A-Z]|$)", text))
        end = next(n for n, text in enumerate(pages) if n >= start and end_text in text)
        page = reader.pages[start]
        if _top_line_y(page) - _line_y(page, heading) < 2 and start > 0:  # the heading opens its page
            # the page before had no room for its heading, header and first two rows (less than down to the third)
            # (and the space a heading keeps above it, which it drops atop a page: the h1 style's 10 pt at most)
            needed = _top_line_y(page) - _line_y(page, third) + 10
            blank, _ = _blank_below(reader.pages[start - 1])
            assert blank < needed, f"{size}: {heading!r} moved on from page {start} leaving {blank:.0f} pt blank " \
                f"(its heading and two rows take less than {needed:.0f} pt)"
        split += end > start
        for n in range(start, end + 1):
            assert header.search(pages[n]), f"{size}: page {n + 1} has part of {heading!r} without its header"
    # at least one goes on over pages on A4, so the headers' check reads a continuation (on Letter, whether one does
    # follows the demo's layout above them)
    assert split or size != "A4"


def test_the_versions_table_names_its_components_in_words_and_is_not_split_over_pages(engine, tmp_path):
    # it printed the result's keys ("hpo release", "device note"), and with 6 to 8 features its last rows stood alone
    # on the next page under a repeated header
    for n in range(4, 11):
        present, excluded = many_features(engine, n, 0)
        result = evidence_result(engine, f"versions-{n}", present, excluded, top=1)
        result = replace(result, versions={**result.versions, "device_note": "running on the CPU"})
        pages, text = _text(render_report(result, case_for(result), tmp_path / f"r{n}.pdf", top=1, date=DAY))
        assert sum(len(re.findall(r"Component\s*Version", page)) for page in pages) == 1, n
        assert "HPO release" in text and "Device note running on the CPU" in text
        assert "hpo release" not in text and "device note" not in text and "hpo_release" not in text


def test_the_inputs_tables_have_an_onset_column_only_when_a_feature_has_an_onset(pfeiffer, tmp_path):
    # with no onset recorded (most cases) the column stood empty beside every feature, as if left out of the report
    header = re.compile(r"HPO ID\s*Feature\s*(Onset\s*)?Analysed")
    case = case_for(pfeiffer)
    pages, _ = _text(render_report(pfeiffer, case, tmp_path / "none.pdf", top=1, date=DAY))
    headers = [m.group(0) for page in pages for m in header.finditer(page)]
    assert len(headers) >= 2 and not any("Onset" in h for h in headers), headers
    first = case.phenotypes[0]
    with_onset = replace(case, phenotypes=(replace(first, onset="HP:0003577"), *case.phenotypes[1:]))
    pages, text = _text(render_report(pfeiffer, with_onset, tmp_path / "onset.pdf", top=1, date=DAY))
    headers = [m.group(0) for page in pages for m in header.finditer(page)]
    assert len(headers) >= 2 and all("Onset" in h for h in headers), headers  # both tables alike
    assert "Congenital onset" in text


def test_modes_of_inheritance_read_once_in_running_text_in_the_report_and_the_evidence_pane(engine, tmp_path):
    # the summary line under each hypothesis read "inheritance Autosomal dominant inheritance": the HPO term's label
    # after the word it already holds. Said once, the PDF and the GUI alike; the JSON keeps the HPO labels.
    from raretrace.gui.evidence_html import hypothesis_html

    case = case_from_terms("ad-modes", ["HP:0011304", "HP:0010055", "HP:0001363", "HP:0001156"])
    result = engine.ranker.analyse(case, top=5)
    top = result.diseases[0]
    assert "Autosomal dominant inheritance" in top.inheritance_modes  # FGFR2's Pfeiffer syndrome
    _, text = _text(render_report(result, case, tmp_path / "r.pdf", top=5, date=DAY))
    assert "inheritance Autosomal" not in text and "Autosomal dominant inheritance" not in text
    assert "inheritance: autosomal dominant" in text
    pane = hypothesis_html(top)
    assert "Inheritance: autosomal dominant" in pane and "dominant inheritance" not in pane
    assert list(result.to_json()["diseases"][0]["inheritance_modes"]) == list(top.inheritance_modes)  # HPO labels


def test_mode_words_drop_the_word_inheritance_and_keep_the_capitals_of_names():
    from raretrace.evidence import mode_words, modes_text

    assert mode_words("Autosomal dominant inheritance") == "autosomal dominant"
    assert mode_words("X-linked recessive inheritance") == "X-linked recessive"
    assert mode_words("Semidominant mode of inheritance") == "semidominant"
    assert mode_words("Autosomal dominant inheritance with maternal imprinting") == (
        "autosomal dominant with maternal imprinting")
    assert mode_words("Mendelian inheritance") == "Mendelian"
    assert modes_text(["Autosomal dominant inheritance", "Sporadic"]) == "autosomal dominant, sporadic"


def test_the_conflicts_say_what_their_count_counts_and_how_many_the_warning_names(engine, tmp_path):
    # "Conflicts (8)" counted every excluded feature the disease is annotated with, the warning beside it only those
    # at least half of its patients have (3): each now says what it counts, the PDF, the GUI and the flag alike
    from raretrace.evidence import ExcludedConflict, conflicts_summary
    from raretrace.gui.evidence_html import hypothesis_html

    result = evidence_result(engine, "conflicts", PFEIFFER_PRESENT, PFEIFFER_EXCLUDED)
    h = result.diseases[0]
    common = ExcludedConflict("HP:9000001", "Often seen", "HP:9000001", "Often seen", 0.9, "9/10")
    rare = ExcludedConflict("HP:9000002", "Seldom seen", "HP:9000002", "Seldom seen", 0.1, "1/10")
    again = replace(rare, patient_term="HP:9000003", patient_label="Also seldom seen")
    from raretrace.ranking import self_check

    h = replace(h, conflicts=(common, rare, again), flags=())
    h = replace(h, flags=self_check(h))
    said = conflicts_summary(h)
    assert said == ("3 excluded features the disease is annotated with; 1 of them in at least half of its "
                    "patients: Often seen.")
    (warning,) = [f.message for f in h.flags if f.code == "conflict"]  # the same one named, the same selection
    assert warning.endswith("at least half of patients with it have: Often seen.")
    assert said in hypothesis_html(h)
    result = replace(result, diseases=(h, *result.diseases[1:]))
    _, text = _text(render_report(result, case_for(result), tmp_path / "r.pdf", top=3, date=DAY))
    assert said in text
    assert conflicts_summary(replace(h, conflicts=(rare,))) == (
        "1 excluded feature the disease is annotated with; none of it in at least half of its patients (no warning).")


def test_a_ranking_with_no_specific_match_says_so_above_the_differential(engine, tmp_path):
    # only "Phenotypic abnormality": every row said "rests on weak evidence" for itself, and nothing said that the
    # whole ranking rests on no match, nor what to do about it
    from raretrace.gui.evidence_html import result_html

    case = case_from_terms("nothing", ["HP:0000118"])
    result = engine.ranker.analyse(case, top=10)
    out = render_report(result, case, tmp_path / "r.pdf", date=DAY)
    pages, text = _text(out)
    said = "the ranking rests on no specific feature match"
    assert said in text and "Record more specific findings" in text
    start = text.index("Ranked differential")
    assert start < text.index(said) < text.index("Reading the scores")  # at the top of the differential
    assert said in result_html(result, case=case)
    # a case with specific matches gets no such statement
    pfeiffer_case = case_from_terms("specific", ["HP:0011304", "HP:0010055", "HP:0001363"])
    specific = engine.ranker.analyse(pfeiffer_case, top=10)
    _, text = _text(render_report(specific, pfeiffer_case, tmp_path / "s.pdf", date=DAY))
    assert said not in text and said not in result_html(specific, case=pfeiffer_case)
