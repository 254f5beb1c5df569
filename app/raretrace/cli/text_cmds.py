"""`raretrace extract`: free text -> HPO terms with spans and negation (shapes in CLI.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..case import onset_words
from ..errors import RareTraceError, safe_text
from .common import engine, json_text, print_json, warn


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="free text -> HPO terms with spans and negation",
        description=(
            "Find HPO terms in clinical free text (a UTF-8 file, or standard input with '-' or no FILE). "
            "Negated findings are reported with excluded=true; hedged ones with uncertain=true; a relative's "
            "findings with family=true. Each finding is its longest, most specific match; --broader also reports "
            "the broader terms named inside a match ('hearing loss' in 'sensorineural hearing loss'), broader=true."
        ),
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="text file(s); '-' or nothing reads standard input")
    output = p.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print a JSON list of terms")
    output.add_argument("--jsonl", action="store_true", help="one JSON line per file: {\"file\", \"terms\": [...]}")
    p.add_argument(
        "--broader",
        action="store_true",
        help="also report the broader terms named inside a longer match (broader=true; GSC+ annotation convention)",
    )
    p.add_argument(
        "--inheritance-onset",
        action="store_true",
        help="also report mode-of-inheritance and onset terms (category field)",
    )
    p.set_defaults(func=run_extract)


def _read(name: str) -> str:
    from ..text.reading import decode_text, read_capped, read_text

    if name == "-":
        if sys.stdin is None:
            raise RareTraceError("no standard input to read; give a text FILE")
        return decode_text(read_capped(sys.stdin.buffer, "standard input"), "standard input")
    return read_text(name)


def run_extract(args: Any) -> int:
    files: list[str] = list(args.files)
    if args.jsonl:
        if not files:
            raise RareTraceError("--jsonl needs one or more FILEs (one JSON line is written per file)")
        if files.count("-") > 1:  # the second read would find it at its end: an empty note's line, no warning
            raise RareTraceError("'-' (standard input) given more than once; it can be read only once, so give it once")
        return _run_jsonl(args, files)
    if len(files) > 1:
        raise RareTraceError("give one FILE (or use --jsonl FILE... for several)")
    name = files[0] if files else "-"
    if name == "-" and sys.stdin is not None and sys.stdin.isatty():
        raise RareTraceError("no input: give a text FILE, or pipe text into `raretrace extract -`")
    text = _read(name)
    terms = _extractor(args).extract(text, inheritance_onset=args.inheritance_onset)
    if args.json:
        print_json([t.to_json() for t in terms])
        return 0
    if not terms:
        print("no HPO terms found")
        return 0
    for t in terms:
        flags = [f for f, on in (
            ("excluded", t.excluded), ("uncertain", t.uncertain), ("family", t.family), ("broader", t.broader)
        ) if on]
        if t.category != "phenotype":
            flags.append(t.category)
        if t.onset:  # "Congenital onset", "onset at 6 months" (the words the GUI's Onset column uses)
            words = onset_words(t.onset)
            flags.append(words if words.endswith("onset") else f"onset {words}")
        mark = "-" if t.excluded else "+"
        suffix = f"  [{', '.join(flags)}]" if flags else ""
        print(f"{mark} {t.id}  {safe_text(t.label):<45} {t.start}-{t.end} \"{safe_text(t.text)}\"{suffix}")
    return 0


def _extractor(args: Any) -> Any:
    eng = engine(args)
    if not args.broader:
        return eng.extractor
    from ..text import Extractor

    return Extractor(eng.db, eng.ontology, eng.extractor.dictionary, nested=True)


def _run_jsonl(args: Any, files: list[str]) -> int:
    extractor = _extractor(args)
    failed = 0
    for name in files:
        try:
            text = _read(name)
        except RareTraceError as exc:
            failed += 1
            warn(str(exc))
            line: dict[str, Any] = {"file": name, "error": str(exc), "terms": []}
        else:
            terms = extractor.extract(text, inheritance_onset=args.inheritance_onset)
            line = {"file": name, "terms": [t.to_json() for t in terms]}
        sys.stdout.write(json_text(line) + "\n")
    if failed:
        if failed == len(files):
            raise RareTraceError(f"none of the {failed} file(s) could be read as text")
        warn(f"{failed} of {len(files)} file(s) skipped (see the warnings above)")
    return 0
