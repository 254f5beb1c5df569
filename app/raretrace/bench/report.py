"""Speed and size of the PDF report and of the evidence figures, for analyses the caller has already made.

The analysis itself is timed elsewhere; here only rendering counts: what a clinician waits for after pressing
Export, and what the GUI waits for when it exports the match matrix as PNG/SVG.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..case import Case
from ..evidence import AnalysisResult
from ..figures import match_matrix, matrix_figure, to_png, to_svg
from ..report import render_report


def bench_report(pairs: Sequence[tuple[AnalysisResult, Case]], *, top: int = 10, page_size: str = "A4") -> dict[str, Any]:
    """Render each analysis' report and matrix; returns seconds (median, max), pages and bytes."""
    from pypdf import PdfReader

    seconds, pages, sizes, png_s, svg_s = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (result, case) in enumerate(pairs):
            out = Path(tmp) / f"{n}.pdf"
            started = time.perf_counter()
            render_report(result, case, out, top=top, page_size=page_size)
            seconds.append(time.perf_counter() - started)
            pages.append(len(PdfReader(out).pages))
            sizes.append(out.stat().st_size)
            fig = matrix_figure(match_matrix(result, min(top, 10)))
            started = time.perf_counter()
            to_png(fig, dpi=150)
            png_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            to_svg(fig)
            svg_s.append(time.perf_counter() - started)

    def median(xs: list[float]) -> float:
        s = sorted(xs)
        return s[len(s) // 2] if s else 0.0

    return {
        "reports": len(seconds),
        "page_size": page_size,
        "top": top,
        "report_seconds_median": round(median(seconds), 3),
        "report_seconds_max": round(max(seconds, default=0.0), 3),
        "pages_median": median([float(p) for p in pages]),
        "bytes_median": int(median([float(s) for s in sizes])),
        "matrix_png_seconds_median": round(median(png_s), 3),
        "matrix_svg_seconds_median": round(median(svg_s), 3),
    }
