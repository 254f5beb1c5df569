"""The pictures of the evidence: match matrix and contribution bars, drawn from the evidence objects only."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from report_fixtures import PFEIFFER_EXCLUDED, PFEIFFER_PRESENT, evidence_result, many_features
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Rect, String
from reportlab.lib.pagesizes import A4, letter

from raretrace.case import case_from_terms
from raretrace.errors import RareTraceError
from raretrace.figures import (
    CONTRIBUTION_GROUPS,
    STATE_WORDS,
    cell_colour,
    contribution_bars,
    contribution_drawing,
    evidence_item,
    match_matrix,
    matrix_drawings,
    matrix_figure,
    matrix_legend,
    max_columns,
    save_figure,
    text_width,
    to_png,
    wrap_text,
)
from raretrace.report import MARGIN

# Blepharocheilodontic syndrome 2 (OMIM:617681), annotated NOT to have nail dysplasia (HP:0002164)
BCD2 = ["HP:0009804", "HP:0012905", "HP:0030001", "HP:0410030", "HP:0007651", "HP:0009743", "HP:0000698"]


@pytest.fixture(scope="module")
def pfeiffer(engine):
    return evidence_result(engine, "pfeiffer-1", PFEIFFER_PRESENT, PFEIFFER_EXCLUDED)


@pytest.fixture(scope="module", params=[(7, 3), (30, 10)], ids=["10-features", "40-features"])
def sized(engine, request):
    present, excluded = many_features(engine, *request.param)
    return evidence_result(engine, f"case-{sum(request.param)}", present, excluded)


def _json_at(doc: dict, path: str):
    node = doc
    for name, index in re.findall(r"(\w+)\[(\d+)\]", path):
        node = node[name][int(index)]
    return node


def test_matrix_cells_agree_with_the_evidence_json(pfeiffer):
    assert_cells_agree_with_json(pfeiffer, match_matrix(pfeiffer, 10))


def test_matrix_of_a_real_analysis_agrees_with_its_json(engine):
    result = engine.ranker.analyse(case_from_terms("pfeiffer", list(PFEIFFER_PRESENT), list(PFEIFFER_EXCLUDED)), top=10)
    m = match_matrix(result, 10)
    assert_cells_agree_with_json(result, m)
    assert {c.state for row in m.cells for c in row} >= {"exact", "ancestor"}
    for d in matrix_drawings(m, A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN - 80):
        assert_legible(d)


def test_a_present_feature_the_disease_is_annotated_not_to_have_is_a_conflict_cell(engine):
    result = engine.ranker.analyse(case_from_terms("bcd2", BCD2 + ["HP:0002164"]), top=10)
    m = match_matrix(result, 10)
    assert_cells_agree_with_json(result, m)
    c = [c.id for c in m.columns].index("OMIM:617681")
    assert m.cell([r.term for r in m.rows].index("HP:0002164"), c).state == "conflict"


def assert_cells_agree_with_json(result, m) -> None:
    """Each cell's state, ancestor, IC, frequency and references are those of the evidence item in the JSON."""
    doc = json.loads(json.dumps(result.to_json()))
    assert [c.id for c in m.columns] == [d["id"] for d in doc["diseases"][: len(m.columns)]]
    assert [r.term for r in m.rows] == [t["id"] for t in doc["present"]] + [t["id"] for t in doc["excluded"]]
    for r, row in enumerate(m.rows):
        for c, col in enumerate(m.columns):
            cell = m.cell(r, c)
            hyp = doc["diseases"][col.hypothesis]
            matched = {x["patient_term"]: x for x in hyp["matched"] if x["relation"] != "unmatched"}
            conflicts = [x for x in hyp["conflicts"] if x["patient_term"] == row.term]
            if cell.evidence is not None:
                item = _json_at(doc, cell.evidence.path)
                assert item["patient_term"] == row.term
                assert evidence_item(result, cell.evidence).patient_term == row.term
            negated = [x for x in hyp["negated"] if x["patient_term"] == row.term]
            if not row.excluded and negated:  # a present feature the disease is annotated not to have
                assert cell.state == "conflict" and cell.evidence.field == "negated"
                assert cell.disease_term == negated[0]["disease_term"]
                assert "annotated not to have" in cell.describe()
            elif row.excluded:
                assert (cell.state == "conflict") == bool(conflicts)
                if conflicts:
                    assert cell.evidence.field == "conflicts"
                    assert cell.disease_term in {x["disease_term"] for x in conflicts}
                    assert cell.also == len(conflicts) - 1
            elif row.term in matched:
                want = "exact" if matched[row.term]["relation"] == "exact" else "ancestor"
                assert cell.state == want
                assert cell.common_ancestor == matched[row.term]["common_ancestor"]
                assert cell.ic == pytest.approx(matched[row.term]["ic"])
                assert cell.frequency == matched[row.term]["frequency"]
                assert list(cell.references) == matched[row.term]["references"]
            else:
                assert cell.state == "not_annotated"
            assert 0.0 <= cell.strength <= 1.0


def test_gene_matrix_points_into_the_gene_hypotheses(pfeiffer):
    m = match_matrix(pfeiffer, 5, kind="gene")
    assert [c.id for c in m.columns] == [g.id for g in pfeiffer.genes[:5]]
    doc = json.loads(json.dumps(pfeiffer.to_json()))
    refs = [cell.evidence for row in m.cells for cell in row if cell.evidence]
    assert refs and all(ref.group == "genes" for ref in refs)
    for ref in refs:
        assert _json_at(doc, ref.path)["patient_term"] == evidence_item(pfeiffer, ref).patient_term


def test_every_match_and_conflict_of_the_top_hypotheses_has_its_cell(pfeiffer):
    m = match_matrix(pfeiffer, 5)
    refs = {cell.evidence.path for row in m.cells for cell in row if cell.evidence}
    for c in range(5):
        h = pfeiffer.diseases[c]
        for i, x in enumerate(h.matched):
            if x.relation != "unmatched":
                assert f"diseases[{c}].matched[{i}]" in refs
        terms_with_conflict = {x.patient_term for x in h.conflicts}
        rows = [r for r, row in enumerate(m.rows) if row.term in terms_with_conflict]
        assert all(m.cell(r, c).state == "conflict" for r in rows)


def test_stronger_shared_features_are_darker_in_grey_print():
    def grey(colour):
        return 0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue

    for state in ("exact", "ancestor", "conflict"):
        levels = [grey(cell_colour(state, s / 10)) for s in range(11)]
        assert all(a > b for a, b in zip(levels, levels[1:], strict=False)), state


def _shapes(node, matrix=(1, 0, 0, 1, 0, 0)):
    """Every leaf shape with its accumulated transform."""
    if isinstance(node, Group):
        a = matrix
        b = node.transform
        m = (a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1], a[0] * b[2] + a[2] * b[3],
             a[1] * b[2] + a[3] * b[3], a[0] * b[4] + a[2] * b[5] + a[4], a[1] * b[4] + a[3] * b[5] + a[5])
        for child in node.contents:
            yield from _shapes(child, m)
    else:
        yield node, matrix


def _box(points, m):
    xs = [m[0] * x + m[2] * y + m[4] for x, y in points]
    ys = [m[1] * x + m[3] * y + m[5] for x, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def _text_boxes(drawing: Drawing):
    """Bounding boxes of the text as drawn (font metrics: descent 0.25 em, ascent 0.8 em), rotations applied."""
    out = []
    for node, m in _shapes(drawing):
        if isinstance(node, String):
            w = text_width(node.text, node.fontName, node.fontSize)
            x0 = node.x - {"start": 0, "middle": w / 2, "end": w}[node.textAnchor]
            y0, y1 = node.y - 0.22 * node.fontSize, node.y + 0.78 * node.fontSize
            out.append((node.text, _box([(x0, y0), (x0 + w, y0), (x0, y1), (x0 + w, y1)], m)))
    return out


def _rect_boxes(drawing: Drawing):
    return [_box([(n.x, n.y), (n.x + n.width, n.y + n.height)], m) for n, m in _shapes(drawing) if isinstance(n, Rect)]


def _overlap(a, b, tol=0.2) -> bool:
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


def assert_legible(d: Drawing) -> None:
    texts = _text_boxes(d)
    rects = _rect_boxes(d)
    for text, box in texts:
        assert box[0] >= -0.01 and box[2] <= d.width + 0.01, f"{text!r} runs off the side: {box}"
        assert box[1] >= -0.01 and box[3] <= d.height + 0.01, f"{text!r} runs off the top/bottom: {box}"
        for r in rects:
            assert not _overlap(box, r), f"{text!r} overlaps a cell or swatch"
    for i, (ta, a) in enumerate(texts):
        for tb, b in texts[i + 1 :]:
            assert not _overlap(a, b), f"{ta!r} overlaps {tb!r}"


@pytest.mark.parametrize("page", [A4, letter], ids=["A4", "Letter"])
def test_matrix_labels_never_overlap_or_run_off_the_page(sized, page):
    width, height = page[0] - 2 * MARGIN, page[1] - 2 * MARGIN
    m = match_matrix(sized, 10)
    pages = matrix_drawings(m, width, max_height=height - 80)
    assert sum(1 for r in m.rows) == len(sized.present) + len(sized.excluded)
    for d in pages:
        assert d.width <= width and d.height <= height - 80
        assert_legible(d)
    # every row appears exactly once across the pages, under its own label (or its wrapped/shortened start)
    drawn = [t for d in pages for t, _ in _text_boxes(d)]
    assert sum(1 for t in drawn if re.fullmatch(r"HP:\d{7}", t)) == len(m.rows)
    assert_legible(matrix_legend(m, width))
    if len(m.rows) >= 40:
        assert len(pages) >= 1
    # the cells are at least as wide as the text is tall: glyphs and rotated labels have room
    cell_rects = [r for r in _rect_boxes(pages[0]) if r[2] - r[0] < 30]
    assert min(r[2] - r[0] for r in cell_rects) >= 7.0


def test_forty_features_split_over_pages_when_the_page_is_short(engine):
    present, excluded = many_features(engine, 30, 10)
    m = match_matrix(evidence_result(engine, "forty", present, excluded), 10)
    pages = matrix_drawings(m, 480, max_height=300)
    assert len(pages) >= 2
    assert all(d.height <= 300 for d in pages)
    sizes = [sum(1 for t, _ in _text_boxes(d) if re.fullmatch(r"HP:\d{7}", t)) for d in pages]
    assert sum(sizes) == 40 and max(sizes) - min(sizes) <= 6  # balanced, no page of stray rows


def test_long_labels_wrap_within_their_column():
    label = "Partial duplication of the distal phalanx of the 3rd finger with an unusually long description"
    lines = wrap_text(label, "RT-Sans", 7, 120, 2)
    assert len(lines) == 2
    assert all(text_width(line, "RT-Sans", 7) <= 120 for line in lines)
    assert lines[-1].endswith("…")
    assert wrap_text("Seizure", "RT-Sans", 7, 120, 2) == ["Seizure"]


def test_too_many_hypotheses_for_the_width_is_a_clear_error(pfeiffer):
    m = match_matrix(pfeiffer, 10)
    with pytest.raises(RareTraceError, match="at most"):
        matrix_drawings(m, 200)
    assert max_columns(480) >= 10


def test_contribution_bars_follow_the_hypothesis_contributions(pfeiffer):
    for h in pfeiffer.diseases[:5]:
        bars = contribution_bars(h)
        given = {c.group: c.value for c in h.contributions}
        assert tuple(b.group for b in bars[: len(CONTRIBUTION_GROUPS)]) == CONTRIBUTION_GROUPS
        for b in bars:
            assert b.available == (b.group in given)
            assert b.value == pytest.approx(given.get(b.group, 0.0))
        d = contribution_drawing(bars, 260)
        assert_legible(d)
        labels = [t for t, _ in _text_boxes(d)]
        assert "no data" in labels or len(given) >= len(CONTRIBUTION_GROUPS)
        # negative evidence (conflicts) is hatched as well as coloured: lines inside its bar
        negative = [b for b in bars if b.available and b.value < 0]
        lines = [n for n, _ in _shapes(d) if isinstance(n, Line)]
        assert len(lines) >= 1 + (3 if negative else 0)


def test_states_have_distinct_glyphs_for_black_and_white_print(pfeiffer):
    m = match_matrix(pfeiffer, 10)
    assert {c.state for row in m.cells for c in row} == set(STATE_WORDS)
    shapes = [n for n, _ in _shapes(matrix_legend(m, 400))]
    assert any(isinstance(n, Circle) and n.fillColor is not None for n in shapes)  # exact: a dot
    assert any(isinstance(n, Circle) and n.fillColor is None for n in shapes)  # common ancestor: a ring
    assert sum(isinstance(n, Line) for n in shapes) >= 5  # conflict: a cross on hatching; not annotated: a dash


def test_matrix_exports_as_svg_and_png(pfeiffer, tmp_path):
    from PIL import Image

    fig = matrix_figure(match_matrix(pfeiffer, 10), 520)
    svg = save_figure(fig, tmp_path / "matrix.svg")
    root = ET.parse(svg).getroot()
    texts = "".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    assert pfeiffer.diseases[0].label in texts and PFEIFFER_PRESENT[0] in texts
    assert "RT-Sans" not in svg.read_text()  # fonts named by family so viewers find them
    png = save_figure(fig, tmp_path / "matrix.png", dpi=100)
    img = Image.open(png)
    assert img.size == (round(fig.width * 100 / 72 + 0.49), round(fig.height * 100 / 72 + 0.49))
    colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 20  # cells, glyphs and text were drawn, not a blank page
    bars = to_png(contribution_drawing(contribution_bars(pfeiffer.diseases[0])), dpi=72)
    assert Image.open(io.BytesIO(bars)).format == "PNG"
    with pytest.raises(RareTraceError, match="svg or .png"):
        save_figure(fig, tmp_path / "matrix.jpg")


def test_gene_bars_with_a_vcf_say_where_conflicts_and_published_cases_went(pfeiffer):
    from dataclasses import replace

    from raretrace.evidence import Contribution

    gene = replace(pfeiffer.genes[0], contributions=(Contribution("phenotype match", 2.0),
                                                     Contribution("variant evidence", 5.5),
                                                     Contribution("inheritance fit", 0.0)))  # fmt: skip
    notes = {b.group: b.note for b in contribution_bars(gene) if not b.available}
    assert notes == {"conflicting evidence": "counted in phenotype match",
                     "similar published cases": "counted in phenotype match"}  # fmt: skip
    labels = [t for t, _ in _text_boxes(contribution_drawing(contribution_bars(gene), 260))]
    assert "counted in phenotype match" in labels and "no data" not in labels


def test_disease_bars_with_a_vcf_say_where_the_inheritance_fit_went(pfeiffer):
    from dataclasses import replace

    from raretrace.evidence import Contribution

    parts = ("phenotype match", "conflicting evidence", "similar published cases", "prior", "variant evidence")
    disease = replace(pfeiffer.diseases[0], contributions=tuple(Contribution(g, 1.0) for g in parts))
    notes = {b.group: b.note for b in contribution_bars(disease) if not b.available}
    assert notes == {"inheritance fit": "counted in variant evidence"}


def test_an_exported_figure_is_readable_by_this_user_only(tmp_path):
    """A figure of a case (its features, its ID) is patient data, like the PDF and the phenopacket: 0600 whatever
    the umask, also when it replaces an earlier export, and no temporary file is left beside it."""
    import os

    from raretrace.figures import SANS, register_fonts

    register_fonts()
    fig = Drawing(200, 60)
    fig.add(String(10, 20, "case MRN-4711: Craniosynostosis", fontName=SANS))
    earlier = tmp_path / "matrix.png"
    earlier.write_bytes(b"an earlier export")
    earlier.chmod(0o644)
    mask = os.umask(0o022)
    try:
        written = [save_figure(fig, tmp_path / "matrix.svg"), save_figure(fig, earlier, dpi=72)]
    finally:
        os.umask(mask)
    for path in written:
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert "MRN-4711" in written[0].read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["matrix.png", "matrix.svg"]
    with pytest.raises(RareTraceError, match="cannot write the figure"):
        save_figure(fig, tmp_path / "no such folder" / "matrix.svg")


def test_the_contribution_bars_say_their_unit(pfeiffer):
    # "+12.93" alone (on a report page, or the figure exported from the GUI) reads as a score or a percentage
    labels = [t for t, _ in _text_boxes(contribution_drawing(contribution_bars(pfeiffer.diseases[0]), 260))]
    assert "Score contributions (log-odds)" in labels


def test_fit_middle_keeps_the_start_and_the_end_of_a_text_within_the_width():
    from raretrace.figures import SANS, fit_middle, text_width

    text = "PMID_38158857_Family_2_PATIENT_2"
    assert fit_middle(text, SANS, 8, 1000) == text
    for width in (40, 60, 80, 100):
        shown = fit_middle(text, SANS, 8, width)
        assert text_width(shown, SANS, 8) <= width and "…" in shown
        head, tail = shown.split("…")
        assert text.startswith(head) and text.endswith(tail) and head and tail
    assert fit_middle(text, SANS, 8, 1) == ""
