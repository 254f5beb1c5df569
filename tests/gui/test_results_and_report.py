"""Results and report panels render the evidence objects of an AnalysisResult: ranked lists, the evidence chain
with self-check flags, the match matrix (hover, click) and contribution bars, PNG/SVG export, PDF and print."""

from __future__ import annotations

import pytest
from conftest import as_shown
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QToolTip
from report_fixtures import PFEIFFER_EXCLUDED, PFEIFFER_PRESENT, case_for, evidence_result

from raretrace.case import case_from_terms

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def pfeiffer_result(engine):
    return evidence_result(engine, "pfeiffer-gui", PFEIFFER_PRESENT, PFEIFFER_EXCLUDED)


@pytest.fixture
def shown(window, pfeiffer_result):
    window.load_case(case_for(pfeiffer_result))
    window.document.set_result(pfeiffer_result)
    window.tabs.setCurrentWidget(window.results)
    return window


def test_ranked_lists_match_the_result(shown, pfeiffer_result):
    results = shown.results
    assert results.diseases.rowCount() == len(pfeiffer_result.diseases)
    for row, hyp in enumerate(pfeiffer_result.diseases):
        assert results.diseases.item(row, 0).text() == str(hyp.rank)
        assert hyp.label in results.diseases.item(row, 1).text()
        assert hyp.id in results.diseases.item(row, 1).toolTip()
    assert results.genes.rowCount() == len(pfeiffer_result.genes)
    flagged = next(h for h in pfeiffer_result.diseases if h.flags)
    row = pfeiffer_result.diseases.index(flagged)
    assert results.diseases.item(row, 4).text()  # the flags column is never empty for a flagged hypothesis


def test_the_flags_tooltip_reads_as_the_evidence_pane_does(window, pfeiffer_result):
    from dataclasses import replace

    from raretrace.evidence import Flag

    note = Flag("info", "omim_twin", "The same disease as OMIM:1 Test disease (Mondo).")
    warn = Flag("warning", "conflict", "Conflicts with an excluded feature.")
    hyp = replace(pfeiffer_result.diseases[0], flags=(warn, note))
    window.document.set_result(replace(pfeiffer_result, diseases=(hyp, *pfeiffer_result.diseases[1:])))
    cell = window.results.diseases.item(0, 4)
    assert cell.text() == "✖1 ℹ1"
    assert as_shown(cell.toolTip()) == f"✖ Warning: {warn.message}\nℹ Note: {note.message}"  # not "info: …"


def test_the_ranking_tooltips_show_a_label_of_markup_as_text(window, pfeiffer_result):
    """A case-derived disease's label comes from a collaborator's phenopacket; its flag quotes it: both are text
    in the ranking's tooltips, not HTML (an <img> loaded, <span> hiding words)."""
    from dataclasses import replace

    from raretrace.evidence import Flag

    odd = '<img src="x">Kabuki <span style="display:none">not</span> syndrome'
    flag = Flag("info", "case_derived", f"{odd} rests on published cases.")
    hyp = replace(pfeiffer_result.diseases[0], label=odd, flags=(flag,))
    window.document.set_result(replace(pfeiffer_result, diseases=(hyp, *pfeiffer_result.diseases[1:]),
                                       warnings=(f"sample {odd} read",)))
    results = window.results
    assert as_shown(results.diseases.item(0, 1).toolTip()).startswith(f"{odd} ({hyp.id})")
    assert as_shown(results.diseases.item(0, 4).toolTip()) == f"ℹ Note: {flag.message}"
    assert as_shown(results.banner.toolTip()) == f"sample {odd} read"


def test_selecting_a_hypothesis_shows_its_evidence_chain_and_flags(shown, pfeiffer_result):
    results = shown.results
    hyp = next(h for h in pfeiffer_result.diseases if h.flags and h.matched)
    index = pfeiffer_result.diseases.index(hyp)
    results.select_hypothesis(index)
    assert results.current is hyp
    text = results.evidence.toPlainText()
    assert hyp.label in text
    for flag in hyp.flags:
        assert flag.message in text
    for match in hyp.matched:
        assert match.patient_label in text
    for conflict in hyp.conflicts:
        assert conflict.disease_label in text
    for variant in hyp.variants:
        assert f"{variant.chrom}:{variant.pos}" in text
    bars = results.bars.bars
    assert {b.group: b.value for b in bars if b.available} == pytest.approx(
        {c.group: c.value for c in hyp.contributions}
    )


def test_matrix_cells_hover_and_click_open_their_evidence(shown, qtbot, pfeiffer_result):
    from raretrace.figures import evidence_item, match_matrix

    results = shown.results
    results.detail.setCurrentIndex(1)
    view = results.matrix
    expected = match_matrix(pfeiffer_result, top_n=results.columns.value())
    assert [c.id for c in view.matrix.columns] == [c.id for c in expected.columns]
    assert view.matrix.cells == expected.cells
    assert not view.grab().isNull()  # painting every state (a paint error fails the test)
    assert not results.bars.grab().isNull() and not results.legend.grab().isNull()
    r, c = next(
        (r, c) for r in range(len(expected.rows)) for c in range(len(expected.columns))
        if expected.cell(r, c).state == "exact"
    )
    centre = view.cell_rect(r, c).center()
    move = QMouseEvent(QMouseEvent.Type.MouseMove, centre, view.mapToGlobal(centre.toPoint()).toPointF(),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    view.mouseMoveEvent(move)
    cell = expected.cell(r, c)
    assert cell.describe() in QToolTip.text().replace("<br/>", "\n")
    assert cell.frequency is None or "frequency" in QToolTip.text()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre.toPoint())
    hyp_index = expected.columns[c].hypothesis
    assert results.current is pfeiffer_result.diseases[hyp_index]
    assert results.detail.currentIndex() == 0
    item = evidence_item(pfeiffer_result, cell.evidence)
    assert item.patient_label in results.picked.text()
    # clicking a column header selects that hypothesis too
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(int(view.cell_rect(0, 0).center().x()), 5))
    assert results.current is pfeiffer_result.diseases[expected.columns[0].hypothesis]


def test_a_matrix_cell_reads_in_full_with_a_rare_frequency_and_a_label_of_markup(shown, qtbot, pfeiffer_result):
    """A frequency under 1% ("2/470 (<1%)") and a disease label that a collaborator's phenopacket gave with markup
    characters (a case-derived profile) are text in the cell's tooltip and in the line over the evidence, not HTML
    that cuts the line short or formats it."""
    from dataclasses import replace

    hyp = pfeiffer_result.diseases[0]
    odd = '<img src="x"><b>Pfeiffer</b> & <a href="file:///etc/passwd">co</a>'
    match = replace(hyp.matched[0], frequency=2 / 470, frequency_text="2/470")
    hyp = replace(hyp, label=odd, matched=(match, *hyp.matched[1:]))
    shown.document.set_result(replace(pfeiffer_result, diseases=(hyp, *pfeiffer_result.diseases[1:])))
    results = shown.results
    results.detail.setCurrentIndex(1)
    view = results.matrix
    r = next(i for i, row in enumerate(view.matrix.rows) if row.term == match.patient_term)
    cell = view.matrix.cell(r, 0)
    assert "(<1%)" in cell.describe()
    centre = view.cell_rect(r, 0).center()
    move = QMouseEvent(QMouseEvent.Type.MouseMove, centre, view.mapToGlobal(centre.toPoint()).toPointF(),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    view.mouseMoveEvent(move)
    tip = as_shown(QToolTip.text())
    assert odd in tip and cell.describe() in tip
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre.toPoint())
    picked = as_shown(results.picked.text())
    assert odd in picked and picked.endswith(cell.describe())


def test_matrix_and_bars_export_as_png_and_svg(shown, qtbot, tmp_path):
    results = shown.results
    results.select_hypothesis(0)
    png, svg = tmp_path / "matrix.png", tmp_path / "bars.svg"
    with qtbot.waitSignal(results.message, timeout=30000):
        results.export_figure("matrix", str(png))
    with qtbot.waitSignal(results.message, timeout=30000):
        results.export_figure("bars", str(svg))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "Score contributions" in text


def test_report_preview_export_and_print(shown, qtbot, tmp_path, pfeiffer_result):
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    report = shown.report
    shown.tabs.setCurrentWidget(report)
    preview = report.preview.toPlainText()
    assert pfeiffer_result.case_id in preview and pfeiffer_result.diseases[0].label in preview
    report.clinician.setText("Dr C. Example")
    report.clinician.editingFinished.emit()
    shown.document.set_note("Referred for tall stature; father similar.")
    report.refresh()
    out = tmp_path / "report.pdf"
    with qtbot.waitSignal(report.exported, timeout=60000) as written:
        report.export(str(out))
    assert written.args[0] == str(out)
    pdf_text = "".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert pfeiffer_result.diseases[0].id in pdf_text and "Dr C. Example" in pdf_text
    assert "Referred for tall stature" in pdf_text  # the clinical note, as the preview shows it
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert report.print_report(printer)
    printed_text = "".join(p.extract_text() for p in PdfReader(str(printed)).pages)
    assert pfeiffer_result.diseases[0].id in printed_text and "HP:0001250" in printed_text
    flat = " ".join(printed_text.split())
    # what the PDF says of itself, the printout says too: decision support, not a diagnosis, and its limitations
    assert flat.count("Decision support, not a diagnosis") >= 2 and "Limitations" in flat
    assert "Referred for tall stature" in flat


def test_stale_results_are_marked_after_an_edit(shown):
    shown.document.add_phenotype("HP:0000256", "Macrocephaly")
    assert shown.document.result_stale
    assert "out of date" in shown.results.banner.text() and not shown.results.banner.isHidden()
    assert "analyse again" in shown.report.preview.toPlainText().lower()


def test_a_present_feature_the_disease_is_annotated_not_to_have_is_shown_and_its_cell_opens_it(window, engine, qtbot):
    bcd2 = ["HP:0009804", "HP:0012905", "HP:0030001", "HP:0410030", "HP:0007651", "HP:0009743", "HP:0000698"]
    result = engine.ranker.analyse(case_from_terms("bcd2-gui", bcd2 + ["HP:0002164"]), top=10)
    window.load_case(case_for(result))
    window.document.set_result(result)
    results = window.results
    index = next(i for i, h in enumerate(result.diseases) if h.id == "OMIM:617681")
    results.select_hypothesis(index)
    text = results.evidence.toPlainText()
    assert "Conflicts: present in the patient, annotated as absent in the disease (1)" in text
    assert "not Nail dysplasia" in text and "PMID:28301459" in text
    results.detail.setCurrentIndex(1)
    view = results.matrix
    m = view.matrix
    r = [row.term for row in m.rows].index("HP:0002164")
    c = next(c for c, col in enumerate(m.columns) if col.id == "OMIM:617681")
    assert m.cell(r, c).state == "conflict" and m.cell(r, c).evidence.field == "negated"
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.cell_rect(r, c).center().toPoint())
    assert results.current.id == "OMIM:617681" and results.detail.currentIndex() == 0
    assert "annotated not to have" in results.picked.text()


def test_a_published_patient_opened_as_a_file_reads_the_leave_out_first_and_tiny_scores_show(window, engine, qtbot):
    from dataclasses import replace

    from raretrace.analysis import run_analysis
    from raretrace.demo import load_demo_case
    from raretrace.gui.evidence_html import hypothesis_html, result_html

    case = replace(load_demo_case(), files=())
    result = run_analysis(engine, case, top=20)
    result = replace(result, warnings=(*result.warnings, "one more", "and another"))  # more than the banner shows
    window.load_case(case)
    window.document.set_result(result)
    banner = window.results.banner
    assert "published patient of the case library" in banner.summary.text()  # the banner's one line
    assert "and another" in banner.toolTip() and "and another" in banner.full.text()  # all, on hover and on demand
    assert "HPO's curated annotations" in banner.full.text()  # an apostrophe, not an entity QLabel shows as such
    tiny = next(h for h in result.diseases if h.score < 0.0005)  # "<0.001" must not read as an HTML tag
    assert "&lt;0.001" in hypothesis_html(tiny) and "&lt;0.001" in result_html(result)
    preview = result_html(result)  # the warnings under their own heading; flags by level, not a bare count
    assert preview.index("Notes on the input") < preview.index("published patient of the case library")
    flagged = next(h for h in result.diseases[:10] if h.flags)
    from raretrace.gui.evidence_html import flag_text

    assert flag_text(flagged) and f"<td>{flag_text(flagged)}</td>" in preview
    # a disease with several genes does not squeeze the names: the genes column is capped, the list in its tooltip
    table = window.results.diseases
    assert table.columnWidth(3) <= 11 * table.fontMetrics().averageCharWidth() + 16
    many = next(r for r in range(table.rowCount()) if "…" in table.item(r, 3).text() or "," in table.item(r, 3).text())
    assert table.item(many, 3).toolTip().count(",") >= table.item(many, 3).text().count(",")


def _trio_variants():
    """Variants as a trio exome gives them: a de novo call, an origin the parents leave open, a long indel, long HGVS,
    several ACMG criteria, a conflicting ClinVar significance."""
    from raretrace.evidence import AcmgCriterion, VariantEvidence

    criteria = (AcmgCriterion("PS2", "strong", "de novo (both parents' calls confirm it)", "de novo"),
                AcmgCriterion("PM2", "supporting", "absent from gnomAD", "rare"),
                AcmgCriterion("PP3", "supporting", "REVEL 0.91, CADD 28.4", "in silico"))
    return (
        VariantEvidence("10", 123256215, "T", "G", "FGFR2", "het", "missense_variant",
                        hgvs="NM_000141.5:c.1019A>G p.(Tyr340Cys)", clinvar="pathogenic/likely pathogenic",
                        criteria=criteria, pathogenicity=0.94, record_line=1_205_054, de_novo=True, call="0/1"),
        VariantEvidence("10", 123279677, "GACCTTGAGGACCTTGAGGACCTTGAGGAC", "G", "FGFR2", "het", "frameshift_variant",
                        hgvs="NM_000141.5:c.755_783delGTCCTCAAGGTCCTCAAGGTCCTCAAGGT p.(Ser252TrpfsTer31)",
                        population_af=0.000012, population_af_source="gnomAD_AF",
                        clinvar="pathogenic/uncertain significance", criteria=criteria[1:], pathogenicity=0.88,
                        record_line=1_205_099, origin_note="the father's call has too few reads to tell", call="0/1"),
        VariantEvidence("X", 153296777, "C", "T", "FGFR2", "hemizygous", "splice_region_variant",
                        hgvs="ENST00000358487.10:c.940-2A>G", pathogenicity=0.41, record_line=2_000_017, call="1"),
    )


def _lines_of(browser, text: str) -> int:
    """On how many lines of the laid-out evidence `text` (within one block) is drawn."""
    block = browser.document().find(text).block()
    layout, start = block.layout(), browser.document().find(text).selectionStart() - block.position()
    first = layout.lineForTextPosition(start).lineNumber()
    last = layout.lineForTextPosition(start + len(text) - 1).lineNumber()
    return last - first + 1


def test_the_evidence_pane_fits_its_width_with_a_variants_table(shown, qtbot, pfeiffer_result):
    """At 1366x768 the evidence of a hypothesis with variants never scrolls sideways (Qt's 100%-wide tables came out
    a pixel or two wider than the pane), and a coordinate is not broken across lines."""
    from dataclasses import replace

    results = shown.results
    split = results.detail.parentWidget()
    while not hasattr(split, "setSizes"):
        split = split.parentWidget()
    with_variants = next(i for i, h in enumerate(pfeiffer_result.genes) if h.variants)
    trio = replace(pfeiffer_result.genes[with_variants], variants=_trio_variants())
    bar = results.evidence.horizontalScrollBar()
    total = sum(split.sizes())
    for width in (*range(560, 760, 9), 700):  # the pane at 1366 wide, give or take a dragged splitter
        split.setSizes([total - width, width])
        for show in (lambda: results.select_hypothesis(with_variants, "gene"), lambda: results.show_hypothesis(trio, 0)):
            show()
            qtbot.wait(5)
            assert bar.maximum() == 0, (width, results.current.variants[0].pos)
            assert _lines_of(results.evidence, f"{results.current.variants[0].chrom}:{results.current.variants[0].pos}") == 1
    from raretrace.gui.evidence_html import as_copied

    text = as_copied(results.evidence.toPlainText())  # without the names' break points and word joiners
    for v in trio.variants:  # nothing cut: every fact stays in the pane (and in the printed preview)
        assert f"{v.chrom}:{v.pos}" in text and v.ref in text and v.hgvs in text
        assert all(c.value in text for c in v.criteria) and v.genotype_with_origin in text
    assert "the father's call has too few reads to tell" in text and "1,205,054" in text


def test_the_evidence_breaks_no_word_or_number_at_1366_px_and_stacks_what_its_tables_cannot_fit(
        shown, qtbot, pfeiffer_result):
    # At 1366x768 the evidence pane (about 700 px, give or take a dragged split) kept Qt's default wrap: where a
    # column was squeezed, a word or number broke anywhere, LLRs "+4.4|4" at 744 px, "…c.10|19A>G" and
    # "…_|Case_Description" at 684, "Acrocephalopolysyndactyly" split inside. Words now break between them only
    # (HGVS names and case IDs at their own break points), and a pane too narrow for a hypothesis's tables, whose
    # columns are then as wide as their longest words, stacks their rows instead of scrolling sideways.
    from dataclasses import replace

    from conftest import broken_words

    results = shown.results
    split = results.detail.parentWidget()
    while not hasattr(split, "setSizes"):
        split = split.parentWidget()
    gene = next(h for h in pfeiffer_result.genes if h.variants)
    with_cases = next(h for h in pfeiffer_result.diseases if h.similar_cases)
    acro = replace(with_cases, label="Acrocephalopolysyndactyly type V",
                   similar_cases=tuple(replace(s, disease_label="Acrocephalopolysyndactyly type V")
                                       for s in with_cases.similar_cases))
    hyps = (*pfeiffer_result.diseases[:5], acro, gene, replace(gene, variants=_trio_variants()))
    bar = results.evidence.horizontalScrollBar()
    total = sum(split.sizes())
    stacked = set()
    for width in (*range(540, 800, 12), 684, 744):
        split.setSizes([total - width, width])
        for hyp in hyps:
            results.show_hypothesis(hyp, 0)
            qtbot.wait(5)
            doc = results.evidence.document()
            assert broken_words(doc) == [], (width, hyp.label, broken_words(doc))
            assert bar.maximum() == 0, (width, hyp.label, bar.maximum())
            if results.evidence.narrow:
                stacked.add(hyp.label)
    split.setSizes([total - 714, 714])  # the pane as a 1366-px window opens: every hypothesis in its tables
    for hyp in hyps:
        results.show_hypothesis(hyp, 0)
        qtbot.wait(5)
        assert not results.evidence.narrow, hyp.label
    assert stacked  # the narrowest panes stacked some


def test_an_hgvs_protein_name_keeps_p_with_its_bracket_and_is_copied_as_written(qtbot):
    # Unicode allows a break before "(" after "p.", so in a squeezed column "NM_000141.5:c.1019A>G p.(Tyr340Cys)"
    # wrapped as "p." over "(Tyr340Cys)". A word joiner holds them together; it is not copied.
    from raretrace.evidence import Hypothesis, VariantEvidence
    from raretrace.gui.evidence_html import hypothesis_html
    from raretrace.gui.text_view import WordBrowser

    names = ("NM_000141.5:c.1019A>G p.(Tyr340Cys)", "p.(Ter1481Serext*?) on UniProt P13569",
             "p.[(Ala5Val;Arg6Ter or Trp)] on UniProt P13569")
    browser = WordBrowser()
    qtbot.addWidget(browser)
    browser.show()
    ends_p = []
    for hgvs in names:
        v = VariantEvidence("10", 123279677, "T", "C", "FGFR2", "het", "missense_variant", hgvs, pathogenicity=0.6)
        hyp = Hypothesis(kind="gene", id="FGFR2", label="FGFR2", rank=1, score=0.5, variants=(v,))
        for width in range(160, 420, 6):
            browser.resize(width, 400)
            browser.show_fitted(lambda narrow, hyp=hyp: hypothesis_html(hyp, narrow=narrow))
            doc = browser.document()
            doc.size()  # laid out
            block = doc.begin()
            while block.isValid():
                layout, text = block.layout(), block.text()
                for n in range(layout.lineCount()):
                    line = layout.lineAt(n)
                    if text[line.textStart(): line.textStart() + line.textLength()].rstrip().endswith("p."):
                        ends_p.append((hgvs, width))
                block = block.next()
        browser.selectAll()
        assert hgvs in browser.createMimeDataFromSelection().text()  # as written: no joiner, no break point
    assert ends_p == []


def test_the_variant_headers_never_break_inside_a_word(shown, qtbot, pfeiffer_result):
    """Where long HGVS names (Ensembl's, with versions) take the room, Qt kept the columns' shares and broke the
    last header, "Path.", into "Pat" over "h."."""
    from dataclasses import replace

    from raretrace.evidence import AcmgCriterion, VariantEvidence
    from raretrace.gui.evidence_html import VARIANT_COLUMNS

    results = shown.results
    split = results.detail.parentWidget()
    while not hasattr(split, "setSizes"):
        split = split.parentWidget()
    cftr = tuple(VariantEvidence("7", pos, "G", "A", "CFTR", "het", "missense_variant",
                                 hgvs=f"ENST00000003084.6:c.{n}G>A (ENSP00000003084.6:p.Arg117His)",
                                 population_af=0.003, population_af_source="MAX_AF", clinvar="pathogenic",
                                 criteria=(AcmgCriterion("PP3", "moderate", "BayesDel_noAF=0.45", "damaging"),),
                                 pathogenicity=0.95, record_line=4, inherited_from="from the mother")
                 for n, pos in ((350, 117171029), (1521, 117199644)))
    gene = replace(next(h for h in pfeiffer_result.genes if h.variants), variants=cftr)
    total = sum(split.sizes())
    tabled = 0
    for width in range(560, 760, 20):
        split.setSizes([total - width, width])
        results.show_hypothesis(gene, 0)
        qtbot.wait(5)
        if results.evidence.narrow:  # too narrow for the table's words: stacked, each header on a line of its own
            continue
        tabled += 1
        for header, _share in VARIANT_COLUMNS:
            assert _lines_of(results.evidence, header.split()[-1]) == 1, (width, header)
    assert tabled >= 5


def test_variant_headers_are_short_and_say_what_they_stand_for(shown, pfeiffer_result):
    from PySide6.QtGui import QTextCursor

    from raretrace.gui.evidence_html import VARIANT_HEADERS

    results = shown.results
    results.select_hypothesis(next(i for i, h in enumerate(pfeiffer_result.genes) if h.variants), "gene")
    doc = results.evidence.document()
    for short, meaning in VARIANT_HEADERS.items():
        if short == "ACMG":  # the criteria have a line of their own under each variant, saying so
            assert "ACMG/AMP criteria:" in doc.toPlainText()
            continue
        found = doc.find(short)
        assert not found.isNull(), short
        cursor = QTextCursor(doc)
        cursor.setPosition(found.selectionStart() + 1)
        assert cursor.charFormat().toolTip() == meaning
        assert _lines_of(results.evidence, short) == 1


def test_tab_leaves_the_ranking_for_the_evidence_and_arrows_move_through_the_hypotheses(shown, qtbot, pfeiffer_result):
    # Tab stepped cell by cell through the ranking (5 columns x 20 rows), so the evidence pane after it was out of
    # a keyboard user's reach
    results = shown.results
    table = results.diseases
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert results.current is pfeiffer_result.diseases[table.item(1, 0).data(Qt.ItemDataRole.UserRole + 1)]
    chain = []
    for _ in range(4):
        qtbot.keyClick(shown.focusWidget() or shown, Qt.Key.Key_Tab)
        chain.append(shown.focusWidget())
    assert chain[0] is not table
    assert results.evidence in chain


def test_after_analysing_the_keyboard_is_on_the_ranking_unless_a_header_field_is_being_typed_in(window, qtbot):
    window.new_case()
    for term_id, label in (("HP:0001250", "Seizure"), ("HP:0000252", "Microcephaly")):
        window.document.add_phenotype(term_id, label)
    window.activateWindow()
    window.phenotypes.focus_search()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.document.result is not None, timeout=120000)
    results = window.results
    # the page with the focus was hidden: it landed on the Diseases/Genes tab bar, a Tab away from the ranking
    assert window.focusWidget() is results.diseases
    qtbot.keyClick(results.diseases, Qt.Key.Key_Down)
    assert results.current is window.document.result.diseases[1]

    first = window.document.result
    window.header.subject.setFocus()
    window.analyse()
    qtbot.waitUntil(lambda: window.document.result is not first, timeout=120000)
    assert window.focusWidget() is window.header.subject  # not taken from a field the clinician is typing in


def test_evidence_figures_and_flags_stay_readable_under_a_dark_desktop_palette(shown, pfeiffer_result):
    from palette_checks import contrast, dark_desktop, drawn_contrast
    from PySide6.QtGui import QPalette

    results = shown.results
    with dark_desktop():
        results.show_result()
        results.select_hypothesis(0)
        # the score bars and the matrix legend drew dark grey text on the dark window (contrast 1.4)
        assert drawn_contrast(results.bars) >= 4.5
        results.detail.setCurrentIndex(1)
        assert drawn_contrast(results.legend) >= 4.5
        # the evidence is styled like the printed report (grey headings, pale table shading): it keeps its page
        page = results.evidence.palette()
        heading = next(b for b in _blocks(results.evidence.document()) if b.text() == "Score contributions")
        assert contrast(heading.charFormat().foreground().color(), page.color(QPalette.ColorRole.Base)) >= 4.5
        assert contrast(page.color(QPalette.ColorRole.Text), "#eef0f3") >= 4.5  # its table headings' shading
        preview = shown.report.preview.palette()
        assert contrast(preview.color(QPalette.ColorRole.Text), preview.color(QPalette.ColorRole.Base)) >= 4.5
        assert preview.color(QPalette.ColorRole.Base).lightness() > 200
        # a warning's flag in the ranking was dark red on the dark table
        flagged = next(row for row in range(results.diseases.rowCount())
                       if "✖" in results.diseases.item(row, 4).text())
        results.result = None  # the ranking filled again under the palette in force
        results.show_result()
        cell = results.diseases.item(flagged, 4)
        assert contrast(cell.foreground().color(), results.diseases.palette().color(QPalette.ColorRole.Base)) >= 4.5


def _blocks(document):
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def test_exporting_a_report_whose_patient_id_the_font_cannot_print_says_so(shown, qtbot, tmp_path):
    # the command line warns of boxes in the PDF; the application, where clinicians export reports, must too
    shown.header.subject.setText("Zoë 🧬")  # emoji: neither the report font nor its CJK fallback has them
    shown.header.subject.setModified(True)
    shown.header.subject.editingFinished.emit()
    report = shown.report
    with qtbot.waitSignal(report.exported, timeout=60000):
        report.export(str(tmp_path / "report.pdf"))
    assert "cannot print 1 character(s) of the patient ID (🧬)" in report.status.text()


def test_a_feature_to_examine_next_shows_its_sources_as_in_the_report(shown, pfeiffer_result):
    from raretrace.evidence import SUGGESTED_HEADING, source_text

    results = shown.results
    hyp = next(h for h in pfeiffer_result.diseases if any(s.references for s in h.suggested))
    results.select_hypothesis(pfeiffer_result.diseases.index(hyp))
    text = results.evidence.toPlainText().split(SUGGESTED_HEADING, 1)[1]
    for s in hyp.suggested:  # the PDF prints each one's PMIDs and evidence code; the pane cited none
        assert source_text(s.references, s.evidence, limit=3) in text, s.label


def test_the_preview_says_how_many_genes_of_a_disease_it_leaves_out(pfeiffer_result):
    from dataclasses import replace

    from raretrace.gui.evidence_html import result_html

    many = replace(pfeiffer_result.diseases[0], genes=("FGFR2", "FGFR1", "TWIST1", "FGFR3", "TCF12"))
    preview = result_html(replace(pfeiffer_result, diseases=(many, *pfeiffer_result.diseases[1:])))
    assert "<td>FGFR2, FGFR1, TWIST1 and 2 more</td>" in preview  # the PDF's words; the preview is also printed


def test_the_preview_shows_the_gene_sections_the_pdf_prints(engine, tmp_path):
    from dataclasses import replace

    from pypdf import PdfReader

    from raretrace.demo import load_demo_case
    from raretrace.gui.evidence_html import result_html
    from raretrace.report import GENE_SECTIONS_HEADING, genes_with_own_section, render_report

    case = load_demo_case()
    result = engine.ranker.analyse(case, top=20)
    shown = result.diseases[:3]
    outside = [g for g in result.genes if g.diseases and g.diseases[0][0] not in {h.id for h in shown}]
    # a gene ranked 7th whose disease is not listed: its evidence is in the PDF, so it is in the preview
    genes = (*[g for g in result.genes if g not in outside[:1]][:6], outside[0])
    result = replace(result, diseases=shown, genes=tuple(replace(g, rank=i) for i, g in enumerate(genes, 1)))
    own = genes_with_own_section(result.diseases, result.genes)
    assert result.genes[6] in own
    preview = result_html(result, top_n=10)
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(render_report(result, case, tmp_path / "r.pdf",
                                                                                top=10)).pages).split())
    assert GENE_SECTIONS_HEADING in preview and GENE_SECTIONS_HEADING in pdf
    for g in result.genes:
        assert (f"gene {g.id} · score" in preview) == (g in own), g.id


def test_the_preview_heads_the_features_and_rankings_as_the_pdf_does(qapp, pfeiffer_result, tmp_path):
    """The preview said "Present features" and "Ranked diseases" where the PDF it previews prints "Features present in
    the patient (3)" and "Ranked differential: top 3 diagnoses": one report, one wording, counts included."""
    from pypdf import PdfReader

    from raretrace.gui.evidence_html import result_html
    from raretrace.report import render_report

    case = case_for(pfeiffer_result)
    preview = " ".join(as_shown(result_html(pfeiffer_result, case=case, top_n=3)).split())
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(render_report(pfeiffer_result, case, tmp_path / "r.pdf",
                                                                                top=3)).pages).split())
    n_present, n_excluded = len(pfeiffer_result.present), len(pfeiffer_result.excluded)
    for heading in (f"Features present in the patient ({n_present})", f"Features excluded in the patient ({n_excluded})",
                    "Ranked differential: top 3 diagnoses", "Candidate genes: top 3"):
        assert heading in preview and heading in pdf, heading
    assert "Ranked diseases" not in preview and "Present features" not in preview


def test_the_preview_prints_an_age_given_as_an_onset_class_as_the_pdf_does(window, engine, tmp_path):
    import json

    from raretrace.analysis import run_analysis
    from raretrace.case import load_phenopacket

    data = {"id": "stage", "subject": {"id": "s", "timeAtLastEncounter": {"ontologyClass": {"id": "HP:0011463"}}},
            "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}, {"type": {"id": "HP:0000252"}}]}
    (tmp_path / "stage.json").write_text(json.dumps(data))
    case = load_phenopacket(tmp_path / "stage.json")
    window.load_case(case)
    window.document.set_result(run_analysis(engine, case, top=3))
    assert "childhood, by 5 years" in window.report.preview.toPlainText()  # it said "not recorded"


@pytest.mark.parametrize("sex, source, words", [(None, "", "not recorded"), ("UNKNOWN_SEX", "case", "unknown"),
                                                 ("FEMALE", "PED file", "female (from the PED file)")])
def test_the_preview_words_the_sex_as_the_pdf_does(qapp, pfeiffer_result, tmp_path, sex, source, words):
    """A sex the case does not give read "unknown, not recorded" in the preview (its sex and age in one row, an absent
    sex worded as a sex recorded as unknown) and "not recorded" in the PDF: one evidence model, one wording."""
    from dataclasses import replace

    from pypdf import PdfReader

    from raretrace.gui.evidence_html import result_html
    from raretrace.report import render_report

    result = replace(pfeiffer_result, sex=sex, sex_source=source, age=None)
    case = replace(case_for(result), sex=sex)
    preview = as_shown(result_html(result, case=case))
    pdf = " ".join(PdfReader(render_report(result, case, tmp_path / "r.pdf", top=3)).pages[0].extract_text().split())
    assert f"Sex {words} Age not recorded" in " ".join(preview.split())
    assert f"Sex {words} " in pdf and "Age not recorded" in pdf


def test_a_phenotype_only_analysis_shows_no_variant_count_for_its_genes(window, engine):
    # "0" read as "no variant found" where no VCF was ever looked at (the evidence says "no data")
    from raretrace.analysis import run_analysis
    from raretrace.case import case_from_terms

    case = case_from_terms("pheno-only", ["HP:0001156", "HP:0001363", "HP:0011304"])
    window.load_case(case)
    window.document.set_result(run_analysis(engine, case, top=5))
    genes = window.results.genes
    assert genes.rowCount() and all(genes.item(row, 3).text() == "—" for row in range(genes.rowCount()))
    assert "No VCF" in genes.item(0, 3).toolTip()
    # the report preview's gene table says the same as the Genes tab (it said 0 variants)
    from raretrace.gui.evidence_html import result_html

    table = result_html(window.document.result).split("<h2>Candidate genes: top 5</h2>", 1)[1].split("</table>", 1)[0]
    rows = table.split("<tr>")[2:]  # after the header row
    assert rows and all(row.endswith("<td class=num>—</td></tr>") for row in rows), rows[:2]


def test_a_not_explained_feature_that_still_counts_says_why(pfeiffer_result):
    # "Wide nasal bridge +0.68" under "Not explained" read as a contradiction: the LLR comes through an ancestor too
    # general to explain the feature, which the disease's annotations still make likelier
    from dataclasses import replace

    from raretrace.evidence import FeatureMatch
    from raretrace.gui.evidence_html import UNEXPLAINED_POSITIVE_NOTE, hypothesis_html

    hyp = pfeiffer_result.diseases[0]
    counted = FeatureMatch("HP:0000431", "Wide nasal bridge", "unmatched", contribution=0.68)
    against = FeatureMatch("HP:0000431", "Wide nasal bridge", "unmatched", contribution=-4.6)
    assert UNEXPLAINED_POSITIVE_NOTE in hypothesis_html(replace(hyp, unexplained=(counted,)))
    assert UNEXPLAINED_POSITIVE_NOTE not in hypothesis_html(replace(hyp, unexplained=(against,)))


def test_a_warning_that_questions_the_case_reads_check_in_a_red_banner_and_in_the_preview(window, engine, qtbot):
    # A warning that questions the reading of the case (here a feature both present and excluded) was only listed
    # first: the banner stayed the notes' yellow with their ⚠, and the preview listed it as one of them. It reads
    # "Check: …" in the banner's line, its full list and its tooltip, and bold in the preview, as in the PDF; the
    # banner turns red with a ✖ (a sign and a word, not colour alone).
    from raretrace.analysis import run_analysis
    from raretrace.case import Case, Phenotype
    from raretrace.gui.evidence_html import result_html

    case = Case("check", (Phenotype("HP:9999999"), Phenotype("HP:0001156"), Phenotype("HP:0001156", excluded=True),
                          Phenotype("HP:0001363")))
    result = run_analysis(engine, case, top=3)
    contradiction = next(w for w in result.warnings if "both present and excluded" in w)
    unknown = next(w for w in result.warnings if "unknown HPO term" in w)
    window.load_case(case)
    window.document.set_result(result)
    window.tabs.setCurrentWidget(window.results)
    banner = window.results.banner
    qtbot.waitUntil(banner.isVisible)
    n = len(result.warnings)

    def shade() -> tuple[int, int, int]:
        colour = banner.grab().toImage().pixelColor(2, 2)
        return colour.red(), colour.green(), colour.blue()

    assert banner.summary.text() == f"✖ {n} warnings: Check: {contradiction}"
    assert f"Check: {contradiction}" in as_shown(banner.toolTip())
    assert f"Check: {contradiction}" in banner.summary.accessibleDescription()
    red, green, blue = shade()
    assert red > green + 10 and red > blue + 10 and abs(green - blue) < 12  # red-tinted, not the notes' yellow
    banner.toggle.click()
    assert f"• Check: {contradiction}" in banner.full.text() and f"• {unknown}" in banner.full.text()
    assert banner.full.text().count("Check:") == 1 and banner.summary.text() == f"✖ {n} warnings:"
    preview = result_html(result)
    notes = preview[preview.index("Notes on the input"):]
    assert "<b style='color:#7f1d1d'>Check:</b> " in notes and notes.count("Check:") == 1
    assert notes.index("Check:") < notes.index(unknown)
    # notes alone: yellow, ⚠, no "Check:"
    window.document.set_result(replace_warnings(result, (unknown,)))
    qtbot.wait(20)
    assert banner.summary.text() == f"⚠ Warning: {unknown}" and "Check:" not in banner.text()
    red, green, blue = shade()
    assert red > blue + 20 and green > blue + 20  # yellow
    assert "Check:" not in result_html(replace_warnings(result, (unknown,)))


def replace_warnings(result, warnings):
    from dataclasses import replace

    return replace(result, warnings=warnings)


def test_a_variant_meeting_no_acmg_criterion_says_why_in_the_evidence_pane():
    from dataclasses import replace

    from raretrace.evidence import Hypothesis
    from raretrace.gui.evidence_html import as_copied, hypothesis_html

    variant = replace(_trio_variants()[2], criteria=())
    h = Hypothesis(kind="gene", id="FGFR2", label="FGFR2", rank=1, score=0.5, variants=(variant,))
    text = as_shown(as_copied(hypothesis_html(h)))
    assert "ACMG/AMP criteria: none met with the data available" in text


def test_each_score_contribution_says_on_hover_what_it_contains(window, engine, qtbot):
    # "prior" (+4 for a Diamond-Blackfan anaemia entry, -1.46 for Kabuki syndrome in the demo) was explained nowhere
    # a clinician reads: the chart's rows and the evidence pane's table name what each group contains on hover
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication

    from raretrace.evidence import CONTRIBUTION_MEANINGS

    result = engine.ranker.analyse(case_from_terms("ataxia", ["HP:0001251", "HP:0002066", "HP:0001260"]), top=3)
    window.load_case(case_for(result))
    window.document.set_result(result)
    window.tabs.setCurrentWidget(window.results)
    results = window.results
    results.select_hypothesis(0)
    assert any(c.group == "prior" for c in result.diseases[0].contributions)
    bars = results.bars
    row = [b.group for b in bars.bars].index("prior")
    tip = bars.tip_at(int((row + 1.5) * bars._row_h()))
    assert tip.startswith("<b>prior: ") and "DECIPHER" in tip and "Orphanet" in tip and "HPO annotates" in tip
    pane = results.evidence
    cursor = pane.document().find("prior")
    while not cursor.isNull() and not cursor.charFormat().toolTip():
        cursor = pane.document().find("prior", cursor)
    assert "HPO annotates" in cursor.charFormat().toolTip()
    pane.resize(700, 900)
    pane.setTextCursor(cursor)
    pane.ensureCursorVisible()
    at = pane.cursorRect(cursor).center()
    QApplication.sendEvent(pane.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, pane.viewport().mapToGlobal(at)))
    assert QToolTip.isVisible() and "published diagnoses use OMIM IDs" in QToolTip.text()
    for group in ("phenotype match", "conflicting evidence", "similar published cases"):
        assert CONTRIBUTION_MEANINGS[group] in as_shown(bars.tip_at(
            int(([b.group for b in bars.bars].index(group) + 1.5) * bars._row_h())))


def _pdf_words(path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages).split())


def test_the_pdf_takes_the_patient_id_still_being_typed_in_the_header(shown, qtbot, tmp_path):
    # typed, Enter not pressed, then Ctrl+E: the report printed the ID the case had before, as analysing would not
    shown.header.subject.setText("MRN-4471")
    shown.header.subject.setModified(True)
    out = tmp_path / "report.pdf"
    with qtbot.waitSignal(shown.report.exported, timeout=60000):
        shown.report.export(str(out))
    assert shown.document.case.subject_id == "MRN-4471"
    assert "MRN-4471" in _pdf_words(out)


def test_the_preview_and_printout_follow_the_header_and_the_clinician_being_typed(shown, qtbot, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    report = shown.report
    shown.header.subject.setText("MRN-5590")
    shown.header.subject.setModified(True)
    shown.header.subject.editingFinished.emit()  # Enter: the case has the ID, the preview showed the old one
    assert "MRN-5590" in report.preview.toPlainText()
    report.clinician.setText("Dr Q. Typed")  # still in the field when Print is chosen
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert report.print_report(printer)
    printed = _pdf_words(tmp_path / "printed.pdf")
    assert "Dr Q. Typed" in printed and "MRN-5590" in printed


def test_the_report_tab_says_nothing_of_the_previous_cases_export(shown, qtbot, tmp_path):
    """'Export failed: …' or 'Report written to …case-A….pdf' under case B's report read as said of case B."""
    from raretrace.case import Case

    report = shown.report
    hint = report.status.text()
    with qtbot.waitSignal(report.failed, timeout=60000):
        report.export(str(tmp_path / "no such folder" / "report.pdf"))
    assert report.status.text().startswith("Export failed")
    shown.load_case(Case(id="case-another-patient"))
    assert report.status.text() == hint



def test_an_export_ending_after_another_case_opened_says_nothing_under_its_report(shown, qtbot, tmp_path,
                                                                                   pfeiffer_result, monkeypatch):
    """An export still being written when another case is opened: its 'Report written to …' (or 'Export failed')
    came after the reset and stood under the new case's report as said of it."""
    from raretrace.case import Case

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    shown.ask_unsaved = lambda **_: "discard"
    report = shown.report
    hint = report.status.text()
    for target, signal in ((tmp_path / "case-a.pdf", report.exported),
                           (tmp_path / "no such folder" / "case-a.pdf", report.failed)):
        shown.load_case(case_for(pfeiffer_result))
        shown.document.set_result(pfeiffer_result)
        with qtbot.waitSignal(signal, timeout=60000):
            report.export(str(target))
            shown.load_case(Case(id="case-another-patient"))  # before the worker's outcome reaches the window
        assert report.status.text() == hint, report.status.text()
    assert (tmp_path / "case-a.pdf").is_file()  # the export itself went on


def test_no_score_contributions_heading_without_a_hypothesis_shown(window, qtbot, pfeiffer_result, tmp_path,
                                                                   monkeypatch):
    # The reopened case's Results pane showed a bold "Score contributions" over an empty strip before any
    # analysis: a chart that seemed to have failed to draw. The evidence pane's hint says what to do instead.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    window.ask_unsaved = lambda **_: "discard"
    results = window.results
    window.tabs.setCurrentWidget(results)
    assert not results.bars.isVisible()  # nothing computed yet
    assert "No analysis yet" in results.evidence.toPlainText()
    window.load_case(case_for(pfeiffer_result))
    window.document.set_result(pfeiffer_result)
    window.tabs.setCurrentWidget(results)
    assert results.current is not None and results.bars.isVisible() and results.bars.bars
    window.new_case()  # another case: its result is none, and so are the bars
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    window.tabs.setCurrentWidget(results)
    assert results.current is None and not results.bars.isVisible()


def test_tab_leaves_the_report_preview_at_once_and_the_keyboard_still_scrolls_it(shown, qtbot):
    # The preview's links (the evidence's features and variants) open nothing there, yet each was a Tab stop: a
    # keyboard user pressed Tab 93 times (the demo case) to get past the preview to the case list and Analyse.
    report = shown.report
    shown.tabs.setCurrentWidget(report)
    preview = report.preview
    assert "<a " in preview.toHtml()  # the evidence's links are there
    preview.setFocus()
    qtbot.keyClick(preview, Qt.Key.Key_Tab)
    assert shown.focusWidget() is not preview
    preview.setFocus()
    bar = preview.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    qtbot.keyClick(preview, Qt.Key.Key_PageDown)
    assert bar.value() > 0


def test_a_ranking_with_no_specific_match_says_so_above_the_ranked_lists(window, engine, shown):
    # only "Phenotypic abnormality" entered: each row's flag said it for itself; the view now says it once, above the
    # lists, as the PDF does above its differential, and a result with specific matches takes it away
    result = engine.ranker.analyse(case_from_terms("nothing-gui", ["HP:0000118"]), top=10)
    window.load_case(case_for(result))
    window.document.set_result(result)
    note = window.results.no_match
    assert note.isVisibleTo(window.results)
    assert "rests on no specific feature match" in note.text() and "Record more specific findings" in note.text()
    assert "rests on no specific feature match" in window.report.preview.toPlainText()
    specific = engine.ranker.analyse(case_from_terms("specific-gui", ["HP:0011304", "HP:0010055", "HP:0001363"]))
    window.load_case(case_for(specific))
    window.document.set_result(specific)
    assert not note.isVisibleTo(window.results) and not note.text()
