"""raretrace bench [SECTION...] [--json OUT] [--quick] [--data DIR] | bench --list | bench --compare OLD.json
NEW.json | bench models --compare OLD.onnx NEW.onnx."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RareTraceError, safe_text
from ..paths import default_kb_path
from .common import existing_dir, positive_int, print_json, replaceable_output

if TYPE_CHECKING:
    from ..bench.runner import BenchContext

HELP_WIDTH = 79  # the epilog is pre-formatted (RawDescriptionHelpFormatter): readable in an 80-column terminal


def register(sub: argparse._SubParsersAction) -> None:
    bench = sub.add_parser(
        "bench", help="the project's own speed and accuracy benchmarks",
        description=textwrap.fill("Run benchmark sections (default: all) and print a table; --json saves the "
        "figures with the machine they ran on. `bench --compare OLD.json NEW.json` compares two saved runs; `bench "
        "models --compare OLD.onnx NEW.onnx` compares two disease-model versions per diagnosis on held-out "
        "published cases.", HELP_WIDTH),
        epilog=_sections_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    bench.add_argument("sections", nargs="*", metavar="SECTION", help="sections to run (default: all), or `models`")
    bench.add_argument("--list", action="store_true",
                       help="list the sections (or those named): what each measures, the data it needs and whether "
                       "that is found; runs nothing")  # fmt: skip
    bench.add_argument("--json", type=Path, metavar="OUT",
                       help="write the results (with machine info), or the comparison, to OUT (- for stdout)")
    bench.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"),
                       help="compare two saved runs (JSON), or with `models` two ONNX model files")  # fmt: skip
    bench.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the README)")
    bench.add_argument("--quick", action="store_true", help="fewer cases and repeats (a smoke run, not a record)")
    bench.add_argument("--cases", type=positive_int, help="at most N held-out cases for ranking, accuracy and models; simulated exomes for simexome (default 200)")
    bench.add_argument("--hpo3-cases", type=positive_int, default=300, help="held-out cases for the hpo3 comparison (300)")
    bench.add_argument("--data", type=existing_dir, metavar="DIR",
                       help="folder of the development data that sections need (see below; default "
                       "$RARETRACE_DEV_DATA, else ../shared/data beside the project)")  # fmt: skip
    bench.add_argument("--gold", type=Path, help="GSC+ gold file for the text section (default GSCplus_dev_gold.tsv in the data folder)")
    bench.add_argument("--sim-dir", type=Path, help="simulated exomes for simexome (models/simulate_exomes.py --out DIR; default $RARETRACE_BENCH_SIM_EXOMES or /tmp/sim_exomes)")
    bench.set_defaults(func=cmd_bench)


def _sections_epilog() -> str:
    """Each section's description, from runner.SECTIONS (one table, so help and sections cannot drift apart)."""
    from ..bench.runner import DEV_DATA_ENV, SECTIONS

    lines = ["sections (default: all; `bench --list` also says whether their data is found):"]
    width = max(len(name) for name in SECTIONS) + 3
    for name, section in SECTIONS.items():
        text = section.about + (f"; needs {', '.join(section.needs)}" if section.needs else "")
        # a no-break space keeps a target's comparison with its number ("<= 60 s"); textwrap splits on ASCII only
        text = text.replace("<= ", "<=\xa0").replace(">= ", ">=\xa0")
        lines += [line.replace("\xa0", " ") for line in textwrap.wrap(
            text, HELP_WIDTH, initial_indent=f"  {name}".ljust(width), subsequent_indent=" " * width,
            break_on_hyphens=False)]  # fmt: skip
    lines.append("")
    lines += textwrap.wrap(f"Development data (not shipped) is read from --data DIR, else ${DEV_DATA_ENV}, else "
                           "../shared/data beside the project; --gold replaces the GSC+ gold file only.", HELP_WIDTH)
    return "\n".join(lines)


MODELS_ABOUT = ("two disease-model files compared per diagnosis on held-out published cases: "
                "`bench models --compare OLD.onnx NEW.onnx`")


def _section_list(names: list[str], ctx: BenchContext) -> str:
    """One line per section: name, what it measures, and for each thing it needs where it is or why not found."""
    from ..bench.runner import SECTIONS

    width = max(len(name) for name in SECTIONS) + 1
    lines = []
    for name in names:
        if name == "models":  # not a section of a run, but named as one (`bench models --compare`)
            lines.append(f"{name:<{width}} {MODELS_ABOUT}; needs no other data")
            continue
        section = SECTIONS[name]
        needs = [f"needs {need}: " + (ctx.missing(need) or f"found ({ctx.locate(need)})") for need in section.needs]
        lines.append("; ".join([f"{name:<{width}} {section.about}", *(needs or ["needs no other data"])]))
    return "\n".join(lines)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _results(table: str, data: dict, json_out: Path | None, what: str) -> None:
    """The table on stdout; with --json the data too: to OUT (checked before the work), or with `--json -` on
    stdout as JSON and the table on stderr."""
    to_stdout = str(json_out) == "-"
    print(table, file=sys.stderr if to_stdout else sys.stdout)
    if to_stdout:
        print_json(data)
    elif json_out:
        from ..bench.runner import save_results

        save_results(data, json_out)
        print(f"\n{what} written to {safe_text(json_out)}")


def _context(args: argparse.Namespace) -> BenchContext:
    from ..bench import runner

    ctx = runner.BenchContext(kb_path=Path(args.kb) if args.kb else default_kb_path(), quick=args.quick,
                              cases=args.cases, hpo3_cases=max(1, args.hpo3_cases),
                              data=runner.dev_data_dir(args.data), gold=args.gold, log=_log)  # fmt: skip
    if args.sim_dir:
        ctx.sim_dir = args.sim_dir
    return ctx


def cmd_bench(args: argparse.Namespace) -> int:
    from ..bench import runner

    sections = list(args.sections)
    if args.list:
        if args.compare or args.json or args.markdown:
            raise RareTraceError("--list runs nothing: it takes section names, --data, --gold and --sim-dir only")
        runner.check_sections([s for s in sections if s != "models"])
        print(_section_list(sections or list(runner.SECTIONS), _context(args)))
        return 0
    if "models" in sections:
        if sections != ["models"] or not args.compare:
            raise RareTraceError("use `raretrace bench models --compare OLD.onnx NEW.onnx` (models alone)")
        if args.markdown:
            raise RareTraceError("--markdown applies to a benchmark run or `bench --compare OLD.json NEW.json`, "
                                 "not to `bench models --compare`")
    elif args.compare and sections:
        raise RareTraceError("--compare OLD.json NEW.json takes no sections")
    to_stdout = str(args.json) == "-"
    if args.json and not to_stdout:
        # before the benchmarks run, not after; never over a file that is not an earlier bench result, nor over
        # one of the runs or models compared (an earlier result itself)
        replaceable_output(Path(args.json), "benchmark result (JSON)", tuple(args.compare or ()))
    if args.compare and not sections:
        old, new = (runner.load_results(p) for p in args.compare)
        comparison = runner.compare_results(old, new, *args.compare)
        _results(runner.format_comparison(comparison, markdown=args.markdown), comparison, args.json, "comparison")
        return 0
    ctx = _context(args)
    if sections == ["models"]:
        out = runner.compare_models(ctx, *args.compare)
        saved = {"models_compare": out, "machine": runner.machine_info(), "sections": {}}
        _results(runner.format_model_comparison(out), saved, args.json, "results")
        return 0
    results = runner.run_benchmarks(sections or list(runner.SECTIONS), ctx)
    table = runner.format_markdown(results) if args.markdown else runner.format_table(results)
    _results(table, results, args.json, "results")
    failed = [name for name, out in results["sections"].items() if "error" in out]
    return 1 if failed and len(failed) == len(results["sections"]) else 0
