"""raretrace analyze | batch | report | demo."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from ..analysis import DEFAULT_FILTERS, parse_filters, run_analysis, vcf_of
from ..case import NOTE_KEY, Case, family_ped, kept_text, load_phenopacket, phenopacket_files
from ..errors import RareTraceError, on_one_line, safe_text
from ..evidence import FLAG_WORDS, AnalysisResult, Hypothesis, score_text
from ..inference import require_device
from ..outputs import not_overwriting_data
from ..paths import process_runs, synced
from ..sqlite_files import disk_full
from ..words import counted
from .common import (
    end_progress_line,
    engine,
    json_line,
    named_file,
    positive_int,
    print_json,
    replaceable_output,
    stderr_progress,
    warn,
)

# Hypotheses a PDF report holds at most: each takes a page or more (100 diseases and genes: about 150 pages, 6 s);
# every disease of the knowledge base (--top 99999) would lay out for minutes into thousands of pages
REPORT_MAX_TOP = 100


def report_top(text: str) -> int:
    """argparse type of report's --top: a whole number from 1 to REPORT_MAX_TOP."""
    value = positive_int(text)
    if value > REPORT_MAX_TOP:
        raise argparse.ArgumentTypeError(f"at most {REPORT_MAX_TOP} in a report, not {value}: each hypothesis takes "
                                         "a page or more (analyze --json and batch keep longer lists)")
    return value


class _Once(argparse.Action):
    """An option that names one file: given twice, it is an error, not the last one silently kept."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        if getattr(namespace, self.dest, None) is not None:
            parser.error(f"{option_string} given twice; one analysis reads one {self.dest.upper()} (the proband's; "
                         "parents' genotypes come from the same multi-sample file with --ped)")
        setattr(namespace, self.dest, values)


def _device(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                        help="where the models run (default auto: CUDA when usable, else CPU; cuda: an error when unusable)")


def filter_values(text: str) -> tuple[str, ...] | None:
    """--filter: comma-separated FILTER values accepted; 'any' accepts every record."""
    try:
        return parse_filters(text)
    except RareTraceError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--filter", dest="filters", type=filter_values, default=DEFAULT_FILTERS,
                        help="VCF FILTER values accepted, comma-separated ('any': all records; default: PASS and '.')")


PAGE_SIZES = ("A4", "Letter")


def page_size(text: str) -> str:
    """--page-size in any letter case ('a4', 'letter'), as paper sizes are typed; an unknown one is left for
    argparse's choices to refuse, naming the accepted values."""
    return next((size for size in PAGE_SIZES if size.lower() == text.lower()), text)


ASSEMBLY_HELP = "genome build of the VCF: GRCh37/hg19 or GRCh38/hg38 (default: the phenopacket's, else the VCF header's)"
SAMPLE_HELP = ("VCF sample of the proband (default: the phenopacket's, else the file's only sample or the PED's "
               "affected individual)")
PED_HELP = "PED file of the family in the VCF: parents (de novo calls, phase) and other relatives (segregation)"


def register(sub: argparse._SubParsersAction) -> None:
    analyze = sub.add_parser("analyze", aliases=["analyse"], help="rank diseases and genes for one case")
    analyze.add_argument("case", type=Path, help="GA4GH Phenopacket v2 JSON file")
    analyze.add_argument("--vcf", type=Path, action=_Once, help="the patient's VCF/BCF (overrides the phenopacket's files)")
    analyze.add_argument("--assembly", help=ASSEMBLY_HELP)
    analyze.add_argument("--sample", help=SAMPLE_HELP)
    analyze.add_argument("--ped", type=Path, action=_Once, help=PED_HELP)
    _filters(analyze)
    analyze.add_argument("--top", type=positive_int, default=10, help="diseases and genes shown (default 10)")
    analyze.add_argument("--json", action="store_true", help="full result with evidence and versions")
    _device(analyze)
    analyze.set_defaults(func=cmd_analyze)

    batch = sub.add_parser("batch", help="rank many phenopackets (files or folders) into JSON lines")
    batch.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="GA4GH Phenopacket v2 JSON files, or folders searched for .json files (any letter case)")
    batch.add_argument("--out", type=Path, required=True, metavar="RESULTS.jsonl",
                       help="results file: one JSON line per phenopacket (replaced only when the run completes; "
                            "'-': standard output, once the run completes)")
    batch.add_argument("--top", type=positive_int, default=10, help="diseases and genes kept per case (default 10)")
    batch.add_argument("--batch-size", type=positive_int, default=64,
                       help="cases read before they are ranked together (default 64; the model scores at most "
                            "32 at a time, so that memory stays bounded)")
    _device(batch)
    batch.set_defaults(func=cmd_batch)

    report = sub.add_parser("report", help="write the PDF report of one case")
    report.add_argument("case", type=Path, help="GA4GH Phenopacket v2 JSON file")
    report.add_argument("--vcf", type=Path, action=_Once, help="the patient's VCF/BCF (overrides the phenopacket's files)")
    report.add_argument("--assembly", help=ASSEMBLY_HELP)
    report.add_argument("--sample", help=SAMPLE_HELP)
    report.add_argument("--ped", type=Path, action=_Once, help=PED_HELP)
    _filters(report)
    report.add_argument("--out", type=Path, required=True, metavar="REPORT.pdf", help="the PDF file to write")
    report.add_argument("--top", type=report_top, default=10,
                        help=f"diseases and genes in the report (default 10, at most {REPORT_MAX_TOP})")
    report.add_argument("--page-size", type=page_size, choices=PAGE_SIZES, default="A4",
                        help="paper size: A4 or Letter, in any letter case (default A4)")
    report.add_argument("--clinician", default="", help="clinician's name printed on the report (default: a blank line to fill in)")
    _device(report)
    report.set_defaults(func=cmd_report)

    demo = sub.add_parser("demo", help="analyse the bundled demo case and write its PDF report")
    demo.add_argument("--out", type=Path, default=Path("raretrace-demo"), metavar="DIR",
                      help="folder for the demo's PDF report and result (default: raretrace-demo)")
    _device(demo)
    demo.set_defaults(func=cmd_demo)


def _analyse(args: argparse.Namespace, case: Case, vcf: Path | None, top: int) -> AnalysisResult:
    ped = getattr(args, "ped", None)
    if ped is None and (vcf is not None or case.vcf is not None):
        ped = family_ped(case)  # a trio's phenopacket (as RareTrace exports one) lists its PED among its files
    return run_analysis(engine(args), case, vcf=vcf, assembly=getattr(args, "assembly", None),
                        sample=getattr(args, "sample", None), ped=ped, top=top,
                        progress=stderr_progress, filters=getattr(args, "filters", DEFAULT_FILTERS))


def print_ranking(result: AnalysisResult, top: int) -> None:
    note = result.versions.get("device_note")
    # the noun takes the nearer count's number: "2 present, 1 excluded feature"; what the case, its VCF, PED and the
    # case library name (IDs, file and sample names, disease labels) is escaped (safe_text), each line one line
    print(f"Case {safe_text(result.case_id)}: {len(result.present)} present, "
          f"{counted(len(result.excluded), 'excluded feature')}; device {result.device}{f' ({note})' if note else ''}; "
          f"HPO {result.versions.get('hpo_release')}")
    if result.vcf:
        print(f"VCF {safe_text(result.vcf.path)} ({safe_text(result.vcf.assembly)}, "
              f"sample {safe_text(result.vcf.sample)}, "
              f"{counted(result.vcf.records, 'record')}, {counted(result.vcf.variants_kept, 'variant allele')} kept)")
        if result.vcf.family:
            print(f"Family ({safe_text(result.vcf.ped or 'PED')}): {on_one_line(result.vcf.family_text())}")
        if result.vcf.parentage:  # the trio's origins (inherited, in trans, de novo) rest on it
            print(result.vcf.parentage[:1].upper() + result.vcf.parentage[1:])
    print("\nDiseases")
    for h in result.diseases[:top]:
        source = "" if h.source == "hpoa" else "  [from published cases]"
        genes = f"  ({safe_text(h.genes_text())})" if h.genes else ""
        print(f"{h.rank:>3}. {score_text(h.score):>6}  {safe_text(h.id):<14} {safe_text(h.label)}{genes}{source}"
              f"{_self_checks(h)}")
    if any(h.flags for h in result.diseases[:top]):
        print("     (self-check messages: --json, the PDF report or the application)")
    print("\nGenes")
    for h in result.genes[:top]:
        variants = f"  {len(h.variants)} candidate variant{'s' if len(h.variants) > 1 else ''}" if h.variants else ""
        disease = safe_text(h.diseases[0][1]) if h.diseases else ""
        print(f"{h.rank:>3}. {score_text(h.score):>6}  {safe_text(h.id):<10} {disease}{variants}")


def _self_checks(h: Hypothesis) -> str:
    """'  [1 warning, 2 notes]': the hypothesis's self-check flags counted, most serious first ('' without)."""
    shown = [f"{n} {FLAG_WORDS[level].lower()}{'s' if n > 1 else ''}" for level, n in h.flag_counts()]
    return f"  [{', '.join(shown)}]" if shown else ""


def cmd_analyze(args: argparse.Namespace) -> int:
    case = load_phenopacket(args.case)
    result = _analyse(args, case, args.vcf, max(1, args.top))
    for w in result.warnings:
        warn(w)
    if args.json:
        print_json(result.to_json())
    else:
        print_ranking(result, args.top)
    return 0


PUBLICATIONS_PER_PROGRESS = 50


def cmd_batch(args: argparse.Namespace) -> int:
    files = phenopacket_files(args.paths)
    require_device(args.device)  # before --out's folder is made: a refused run leaves no empty folder behind
    to_stdout = str(args.out) == "-"  # the lines on standard output, as `case export --out -` writes there
    if not to_stdout:
        replaceable_output(args.out, "results (JSON lines)", tuple(files))
    eng = engine(args)
    ranker = eng.ranker
    ranker.model  # noqa: B018 (loaded now: a device that cannot run it is said before any file is read)
    failed = written = 0
    case_warnings = CaseWarnings(shared=ranker.release_warning)
    started = time.time()
    ids: dict[str, int] = {}  # lines written per case ID: a skipped file writes none, so it repeats no ID
    # Written to a private temporary file beside --out and renamed at the end: an earlier results file stays whole
    # until a new one is complete, and an interrupted run leaves its lines under OUT.partial, said as such.
    # For standard output (no folder of the user's named), a private file in the system's temporary folder, removed
    # at the end; the lines are printed whole and in the input's order once all are ranked, after the warnings.
    folder = Path(tempfile.gettempdir()) if to_stdout else args.out.parent
    prefix = _temporary_prefix("raretrace-batch" if to_stdout else args.out.name)
    _remove_leftovers(folder, "raretrace-batch" if to_stdout else args.out.name)
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    ordered: Path | None = None  # the lines in the input's order, when they were written in another

    def not_written(exc: OSError) -> RareTraceError:
        """A results file that cannot be written (a full disk, a quota) said in one line, with what became of --out
        (the OSError alone names no file and blames the path's permissions)."""
        why = "the disk is full" if disk_full(exc, folder) else (exc.strerror or str(exc)).lower()
        if to_stdout:
            return RareTraceError(f"cannot write the results to a temporary file in {folder}: {why}; nothing was "
                                  "written; free some space there or set TMPDIR to another folder")
        kept = f"{args.out} is unchanged" if args.out.exists() else f"{args.out} was not written"
        return RareTraceError(f"cannot write the results to {args.out}: {why}; {kept}; free some space or choose "
                              "another folder")

    try:
        with _closed_quietly_on_error(os.fdopen(fd, "w+b")) as out:
            pending: list[Case] = []
            pending_at: list[int] = []  # each pending case's place among the input files
            # published cases of the library, by publication: each paper is left out once for all its cases
            # (building a ranker without it takes ~0.3 s), after the other cases; their lines are put back in the
            # input's order at the end
            published: dict[str, list[tuple[int, Case]]] = {}
            # (input place, offset, length) of every line written, to write them in the input's order at the end
            spans: list[tuple[int, int, int]] = []

            def write(result: AnalysisResult, at: int) -> None:
                nonlocal written
                case_warnings.add(result.case_id, result.warnings)
                ids[result.case_id] = ids.get(result.case_id, 0) + 1
                # the file too: IDs may repeat, and a skipped file writes no line, so the order alone cannot tell
                fields = {"id": result.case_id, "file": str(files[at - 1])} | result.batch_json()
                line = json_line(fields)
                spans.append((at, out.tell(), len(line)))
                try:
                    out.write(line)
                except OSError as exc:
                    raise not_written(exc) from exc
                written += 1

            def flush() -> None:
                for result, at in zip(ranker.analyse_batch(pending, top=args.top), pending_at, strict=True):
                    write(result, at)
                pending.clear()
                pending_at.clear()

            for n, file in enumerate(files, start=1):
                try:
                    case = load_phenopacket(file)
                    if vcf_of(case, None, None, None) is not None:
                        flush()
                        write(_analyse(args, case, None, args.top), n)
                    elif not case.phenotypes:
                        raise RareTraceError(f"{file}: no phenotypic features")
                    else:
                        ranker.usable_patient(case)  # all terms unknown: skipped, not ranked on priors
                        if own := eng.own_publication(case):  # a published case of the library: without its paper
                            published.setdefault(own, []).append((n, case))
                        else:
                            pending.append(case)
                            pending_at.append(n)
                            if len(pending) >= args.batch_size:
                                flush()
                except RareTraceError as exc:
                    failed += 1
                    message = str(exc)  # which file, when the message does not say (case IDs may repeat)
                    warn(message if str(file) in message else f"{file}: {message}")
                if n % 500 == 0:  # the share of cases ranked (published ones wait for their paper's turn, below)
                    stderr_progress(f"{n} of {len(files)} files read", (written + failed) / len(files))
            flush()
            for k, (own, group) in enumerate(published.items(), start=1):
                cases = [c for _, c in group]
                for result, (at, _) in zip(eng.ranker_for(cases[0]).analyse_batch(cases, top=args.top), group,
                                           strict=True):
                    write(replace(result, warnings=(*result.warnings, eng.own_publication_note(result.case_id, own))),
                          at)
                if k % PUBLICATIONS_PER_PROGRESS == 0 or (k == len(published) >= PUBLICATIONS_PER_PROGRESS):
                    # each paper's patients are ranked with the paper left out (~0.3 s a paper): minutes for the
                    # whole development set, so say how far it is
                    stderr_progress(f"published cases, each paper left out in turn: {k} of {len(published)} papers",
                                    (written + failed) / len(files))
            try:
                out.flush()  # here, not when the file is closed, so that a failed write is said as one
                ordered = _in_input_order(out, spans, folder, prefix + "ordered.")
            except OSError as exc:
                raise not_written(exc) from exc
        if ordered is not None:
            os.replace(ordered, tmp)
        case_warnings.report()
        repeated = {i: k for i, k in ids.items() if k > 1}
        if repeated:
            shown = ", ".join(f"{i} ({k}x)" for i, k in list(repeated.items())[:5])
            warn(f"{len(repeated)} case ID(s) occur in more than one file, so their lines share an id: {shown}")
        if written == 0:
            raise RareTraceError(f"no case could be ranked ({failed} skipped, see the warnings above); "
                                 + ("nothing was written" if to_stdout else f"{args.out} was not written"))
        if to_stdout:
            sys.stdout.flush()
            with tmp.open("rb") as lines:
                shutil.copyfileobj(lines, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            tmp.unlink()
        else:
            try:
                synced(tmp)
            except OSError as exc:
                raise not_written(exc) from exc
            os.replace(tmp, args.out)  # last: a Ctrl-C before it finds the lines whole in tmp, and keeps them
    except KeyboardInterrupt:
        if ordered is not None:
            ordered.unlink(missing_ok=True)
        if to_stdout:  # no file to keep them in: standard output has some of the lines or none
            tmp.unlink(missing_ok=True)
            warn(f"interrupted: {written} of {len(files)} cases were ranked; the results on standard output are "
                 "incomplete")
            raise
        partial = args.out.with_name(args.out.name + ".partial")
        kept = f"{args.out} is unchanged" if args.out.exists() else f"{args.out} was not written"
        if written == 0:  # no line to keep: an earlier run's OUT.partial is not replaced by an empty file
            tmp.unlink(missing_ok=True)
            warn(f"interrupted before any case was ranked; {kept}")
            raise
        os.replace(tmp, partial)
        warn(f"interrupted: {written} of {len(files)} cases were ranked; their lines are in {partial} (incomplete); "
             f"{kept}")
        raise
    except BaseException:
        for leftover in (tmp, ordered):
            if leftover is not None:
                leftover.unlink(missing_ok=True)
        raise
    note = f" ({ranker.model.note})" if ranker.model.note else ""  # why not CUDA, as analyze says it
    summary = (f"{counted(written, 'case')} ranked on {ranker.device}{note} in {time.time() - started:.1f} s -> "
               f"{'standard output' if to_stdout else args.out}"
               + (f"; {failed} skipped (see warnings)" if failed else ""))  # fmt: skip
    end_progress_line()
    print(on_one_line(summary), file=sys.stderr)
    return 0


def _this_host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:63] or "host"


def _temporary_prefix(out_name: str) -> str:
    """The start of the name of a batch's temporary files for `out_name`: hidden, with the writer's process ID and
    host, so that a later run can tell the files of a run killed outright (kill -9, a power cut: no clean-up ran)
    from those of a run still writing."""
    return f".{out_name}.{os.getpid()}@{_this_host()}."


def _remove_leftovers(folder: Path, out_name: str) -> list[Path]:
    """Remove (and return) the temporary files of earlier batches writing `out_name` in `folder` whose process no
    longer runs: incomplete lines of patient data nobody will finish. Files of a live process, of another host (a
    shared folder: its processes cannot be seen from here) or named otherwise are left alone."""
    named = re.compile(rf"\.{re.escape(out_name)}\.(\d+)@([A-Za-z0-9-]+)\.(?:ordered\.)?[a-z0-9_]+\.tmp")
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        found = named.fullmatch(entry.name)
        if not found or found.group(2) != _this_host() or process_runs(int(found.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    if removed:
        warn(f"removed {counted(len(removed), 'temporary file')} of patient data left in {folder} by a batch run "
             f"that was killed before it could clean up ({', '.join(p.name for p in removed[:3])})")
    return removed


@contextlib.contextmanager
def _closed_quietly_on_error(handle: BinaryIO) -> Iterator[BinaryIO]:
    """`handle`, closed at the end; after an error, closed without a second error from the lines it still buffers
    (on a full disk they cannot be written either: the first error is the one to say)."""
    try:
        yield handle
    except BaseException:
        with contextlib.suppress(OSError):
            handle.close()
        raise
    handle.close()


def _in_input_order(out: BinaryIO, spans: list[tuple[int, int, int]], folder: Path,
                    prefix: str = ".ordered.") -> Path | None:
    """The lines of the results file `out` (binary, readable) copied in the input's order, one line at a time (a
    batch of many cases needs no more memory than one line), into a new private file in `folder` (the results' own,
    so patient data stays where the user put it), returned; None when already in order. `out` is only read: a
    Ctrl-C during the copy leaves every line written whole there (the copy is removed)."""
    order = sorted(spans)
    if order == spans:
        return None
    out.flush()
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as copy:
            for _, offset, length in order:
                out.seek(offset)
                copy.write(out.read(length))
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


class CaseWarnings:
    """Warnings of a batch's cases, printed with their case (the first MAX_SHOWN) and counted; a warning every
    case shares (the HPO release's age) once."""

    MAX_SHOWN = 20

    def __init__(self, shared: str | None) -> None:
        self.shared = shared
        self.lines: list[str] = []
        self.cases = 0

    def add(self, case_id: str, warnings: tuple[str, ...]) -> None:
        own = [w for w in warnings if w != self.shared]
        if own:
            self.cases += 1
            # a warning that starts with its case's ID (a published patient's) names it once, not "X: X is ..."
            self.lines.extend(w if w.startswith(f"{case_id} ") else f"{case_id}: {w}" for w in own)

    def report(self) -> None:
        if self.shared:
            warn(self.shared)
        for line in self.lines[: self.MAX_SHOWN]:
            warn(line)
        if len(self.lines) > self.MAX_SHOWN:
            warn(f"{counted(len(self.lines) - self.MAX_SHOWN, 'more warning')} not shown "
                 f"({counted(len(self.lines), 'warning')} on {counted(self.cases, 'case')} in all)")


def cmd_report(args: argparse.Namespace) -> int:
    from ..report import render_report, unprintable_fields_warning

    case = load_phenopacket(args.case)
    require_device(args.device)  # before --out's folder is made: a refused run leaves no empty folder behind
    # before the analysis: never write over the case, its VCF or another file that is not a report
    replaceable_output(named_file(args.out, "PDF report"), "PDF report", (args.case, *([args.vcf] if args.vcf else [])))
    result = _analyse(args, case, args.vcf, max(args.top, 20))
    for w in result.warnings:
        warn(w)
    if boxes := unprintable_fields_warning(case.id, case.subject_id, args.clinician, kept_text(case, NOTE_KEY)):
        warn(boxes)
    path = render_report(result, case, args.out, page_size=args.page_size, top=args.top, clinician=args.clinician)
    print(f"report written to {safe_text(path)}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ..demo import DEMO_PMIDS, run_demo

    if args.out.exists() and not args.out.is_dir():
        raise RareTraceError(f"{args.out} is a file; give a folder for the demo's report and result")
    require_device(args.device)  # before the folder is made: a refused run leaves no empty folder behind
    for name, kind in (("demo_report.pdf", "PDF report"), ("demo_result.json", "result (JSON)")):
        try:  # the folder may hold the user's own file of that name: it is never replaced by the demo's
            not_overwriting_data(args.out / name, kind)
        except RareTraceError as exc:
            raise RareTraceError(f"{exc} (the demo writes {name} there), or give another folder with --out") from None
    try:
        args.out.mkdir(parents=True, exist_ok=True)  # before the analysis, not after it
    except OSError as exc:
        raise RareTraceError(f"cannot create the folder {args.out}: {exc.strerror or exc}") from None
    if not os.access(args.out, os.W_OK):  # an existing read-only folder: said before the analysis, not after it
        raise RareTraceError(f"cannot write to {args.out}: permission denied")
    result, report = run_demo(engine(args, DEMO_PMIDS), args.out, progress=stderr_progress)
    print_ranking(result, 5)
    print(f"\nreport written to {safe_text(report)}; the result with its evidence (JSON) to "
          f"{safe_text(report.parent / 'demo_result.json')}")
    return 0
