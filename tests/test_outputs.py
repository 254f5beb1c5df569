"""Which existing files an export may replace (raretrace.outputs): RareTrace's own earlier PDF report or PNG figure,
never a PDF or PNG it did not write (a referral letter, a scanned pedigree, a lab report kept beside the case)."""

from __future__ import annotations

import io
import json

import pytest
from cli_run import run_cli
from PIL import Image
from report_fixtures import PFEIFFER_EXCLUDED, PFEIFFER_PRESENT, case_for, evidence_result
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.pdfgen.canvas import Canvas

from raretrace.errors import RareTraceError
from raretrace.figures import save_figure
from raretrace.outputs import not_overwriting_data


def _letter(path, producer: str = "Clinic letters (reportlab)") -> bytes:
    """A PDF written by another program (here also through reportlab, as many are)."""
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    canvas.setProducer(producer)
    canvas.drawString(72, 720, "Referral letter: please see P-17")
    canvas.save()
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


def _scan(path) -> bytes:
    """A PNG written by another program (a scanned pedigree)."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, format="PNG")
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


def test_a_pdf_that_raretrace_did_not_write_is_never_replaced(tmp_path):
    letter = tmp_path / "letter.pdf"
    before = _letter(letter)
    with pytest.raises(RareTraceError, match="is a PDF that RareTrace did not write"):
        not_overwriting_data(letter, "PDF report")
    # a producer that only starts like RareTrace's, deeper in the file: still another program's
    _letter(letter, "Not RareTrace (reportlab)")
    with pytest.raises(RareTraceError, match="is a PDF that RareTrace did not write"):
        not_overwriting_data(letter, "PDF report")
    letter.write_bytes(before)
    text = tmp_path / "notes.pdf"
    text.write_text("typed notes\n")
    with pytest.raises(RareTraceError, match="is not a PDF report"):
        not_overwriting_data(text, "PDF report")


def test_a_png_that_raretrace_did_not_write_is_never_replaced_and_its_own_figure_is(tmp_path):
    scan = tmp_path / "pedigree.png"
    _scan(scan)
    with pytest.raises(RareTraceError, match="is a PNG image that RareTrace did not write"):
        not_overwriting_data(scan, "figure (PNG)")
    drawing = Drawing(40, 40)
    drawing.add(Rect(2, 2, 20, 20))
    figure = save_figure(drawing, tmp_path / "figure.png")
    assert not_overwriting_data(figure, "figure (PNG)") == figure


def test_raretraces_own_report_is_replaced(engine, tmp_path):
    from raretrace.report import render_report

    result = evidence_result(engine, "own-report", PFEIFFER_PRESENT, PFEIFFER_EXCLUDED, top=3)
    report = render_report(result, case_for(result), tmp_path / "report.pdf")
    assert not_overwriting_data(report, "PDF report") == report


def test_the_report_command_refuses_a_pdf_it_did_not_write_in_one_line(tmp_path, capsys):
    case = tmp_path / "c.json"
    case.write_text(json.dumps({"id": "c", "subject": {"id": "c"},
                                "phenotypicFeatures": [{"type": {"id": "HP:0001363"}}]}))
    letter = tmp_path / "letter.pdf"
    before = _letter(letter)
    assert run_cli(["report", str(case), "--out", str(letter), "--device", "cpu"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert letter.read_bytes() == before
    assert len(err) == 1 and f"{letter} exists and is a PDF that RareTrace did not write" in err[0], err
