"""The bundled demo case (resources/demo): a published Kabuki syndrome patient (PMID:25896430, phenopacket-store,
CC BY 4.0) with a synthetic exome made by models/make_demo.py. Used by `raretrace demo`, the GUI's --demo and
the packaging check.

The demo patient is one of the published cases of the case library: runs of the demo leave its publication out
of the library and of the published-variant lookup (`DEMO_PMIDS`), so that the patient is never its own similar
case nor cites its own paper for its variant, as a new patient would not."""

from __future__ import annotations

import json
from pathlib import Path

from .analysis import run_analysis
from .case import Case, load_phenopacket
from .engine import Engine
from .evidence import AnalysisResult
from .kb import Progress
from .paths import resources_dir, write_private

DEMO_PMIDS = frozenset({"PMID:25896430"})
# The demo case's phenopacket ID (models/make_demo.py): opened as a file (analyze, File > Open) rather than through
# --demo, it is still recognised as the published patient it is (Engine.own_publication)
DEMO_CASE_ID = "demo-kabuki-PMID_25896430_Patient_7"


def demo_case_path() -> Path:
    return resources_dir() / "demo" / "demo_case.json"


def load_demo_case() -> Case:
    return load_phenopacket(demo_case_path())


def run_demo(engine: Engine, out_dir: Path, progress: Progress | None = None) -> tuple[AnalysisResult, Path]:
    from .report import render_report

    case = load_demo_case()
    result = run_analysis(engine, case, top=20, progress=progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    # (a published patient's, but written as every result is: by this user only)
    write_private(out_dir / "demo_result.json",
                  (json.dumps(result.to_json(), indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    report = render_report(result, case, out_dir / "demo_report.pdf", top=10)
    return result, report
