"""raretrace case import|export|list|show|delete: the local case store."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..case import (
    NOTE_KEY,
    PED_KEY,
    Case,
    age_words,
    family_ped,
    keep_stored_note,
    kept_text,
    load_phenopacket,
    onset_words,
    phenopacket_files,
    with_labels,
)
from ..errors import RareTraceError, VcfNotFound, escaped, on_one_line, safe_text
from ..outputs import phenopacket_target
from ..paths import default_kb_path
from ..phenopacket import NEVER_KEPT, schema_problem, to_phenopacket, write_phenopacket
from ..store import CaseStore, StoreConflict, absent_store, local_time, reanalyse
from ..words import counted
from .common import case_id_arg, engine, positive_int, print_json, stderr_progress, warn

if TYPE_CHECKING:
    from ..evidence import AnalysisResult


def register(sub: argparse._SubParsersAction) -> None:
    case = sub.add_parser("case", help="the local case store: import, export, list, show, delete, reanalyse; the case "
                                          "library")
    case.add_argument("--store", type=Path, help="case store file (default: $RARETRACE_STORE or the user data directory)")
    actions = case.add_subparsers(dest="case_command", metavar="ACTION")
    actions.required = True

    imp = actions.add_parser("import", help="add or update cases from GA4GH Phenopacket v2 JSON files or folders")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="phenopacket JSON files, or folders of them")
    imp.add_argument(
        "--replace", action="store_true",
        help="replace a stored case that differs from its file (edits made since are dropped; the audit log keeps "
             "them); without it such a file is refused",
    )
    imp.set_defaults(func=cmd_import)

    exp = actions.add_parser("export", help="write a stored case as a GA4GH Phenopacket v2 JSON file")
    exp.add_argument("case_id", metavar="ID", type=case_id_arg, help="the stored case's ID")
    exp.add_argument("--out", help="output file (default: standard output)")
    exp.add_argument(
        "--anonymise", "--anonymize", action="store_true",
        help="leave out identifying fields: case and subject IDs, dates, ages, free text, file paths and names "
             "(files get neutral names, e.g. file-1.vcf.gz; VCF sample IDs are kept)",
    )
    exp.set_defaults(func=cmd_export)

    lst = actions.add_parser("list", help="stored cases, most recently changed first")
    lst.add_argument("--search", help="match case or subject IDs, HPO IDs or feature labels, the clinical note, or "
                     "the genes of the latest analysis")
    lst.add_argument("--json", action="store_true", help="print a JSON list of the cases")
    lst.set_defaults(func=cmd_list)

    show = actions.add_parser("show", help="one stored case: features, clinical note, files, analyses and audit log")
    show.add_argument("case_id", metavar="ID", type=case_id_arg, help="the stored case's ID")
    show.add_argument("--json", action="store_true", help="print the case as one JSON object")
    show.set_defaults(func=cmd_show)
    delete = actions.add_parser("delete", help="remove a stored case and its analyses (the audit log keeps that it "
                                "was deleted); asks first on a terminal")
    delete.add_argument("case_id", metavar="ID", type=case_id_arg, help="the stored case's ID")
    delete.add_argument("--yes", action="store_true",
                        help="delete without asking (required where there is no terminal to ask on, as in a script)")
    delete.set_defaults(func=cmd_delete)
    rean = actions.add_parser("reanalyse", aliases=["reanalyze"],
                              help="re-run a stored case with the current knowledge base and models; show what changed")
    rean.add_argument("case_id", metavar="ID", type=case_id_arg, nargs="?", help="the stored case's ID")
    rean.add_argument("--all", action="store_true",
                      help="every stored case (after a knowledge-base or model update): one line each, the cases "
                           "whose first disease or gene changed marked, and a summary")
    rean.add_argument("--top", type=positive_int, default=10, help="compare the ranking within these top ranks (default 10)")
    rean.add_argument("--no-save", action="store_true", help="do not store the new analysis")
    rean.add_argument("--json", action="store_true",
                      help="print the changes and the new ranking as JSON (with --all: a list, one summary per case)")
    rean.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                      help="where the models run (default auto: CUDA when usable, else CPU; cuda: an error when unusable)")
    rean.set_defaults(func=cmd_reanalyse)
    library = actions.add_parser("library", help="the case library of published, solved cases (ranking evidence)")
    library_actions = library.add_subparsers(dest="library_command", metavar="ACTION")
    library_actions.required = True
    add = library_actions.add_parser("add", help="add solved phenopackets (files or folders) to the case library")
    add.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                     help="solved phenopacket JSON files (with a diagnosis), or folders of them")
    add.set_defaults(func=cmd_library_add)
    for action in (imp, exp, lst, show, delete, rean):  # `case list --store F` as users type it, as well as `case --store F list`
        action.add_argument("--store", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _store(args: argparse.Namespace, create: bool = True) -> CaseStore:
    """The case store; actions that only read it or a case already in it (list, show, export, reanalyse) never
    create one."""
    return CaseStore(getattr(args, "store", None), create=create)


def _ontology():
    """The KB's ontology when a KB exists; importing never builds one."""
    path = default_kb_path()
    if not path.is_file():
        return None
    from ..engine import Engine

    return Engine(path).ontology


def _labeller(ontology):
    """Labels for features recorded without one (only for current terms: an ID never gets another term's label)."""
    return None if ontology is None else ontology.current_label


def _release(ontology) -> str | None:
    if ontology is None:
        return None
    row = ontology.db.execute("SELECT value FROM provenance WHERE key = 'hpo_release'").fetchone()
    return row[0] if row else None


def _term_warnings(case: Case, ontology) -> list[str]:
    if ontology is None:
        return []
    unknown, notices = [], []
    for p in case.phenotypes:
        resolution = ontology.resolve(p.id)
        if resolution.index is None:
            unknown.append(p.id)
        elif resolution.notice:
            notices.append(resolution.notice)
    out = []
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        out.append(f"{len(unknown)} unknown HPO ID(s) kept but not used for ranking: {shown}")
    if notices:
        out.append(f"{len(notices)} HPO ID(s) will be read as their current term: " + "; ".join(notices[:3]))
    return out


class _Differs(RareTraceError):
    """The file's case differs from the stored case of its ID, and --replace was not given."""


def _replacing(store: CaseStore, case: Case) -> tuple[Case, int, str | None, list[str]]:
    """(the case to save, the stored revision and creation marker it replaces, what it would change in the stored
    case). The stored note and the note findings rejected and noted are kept as the GUI keeps them
    (`keep_stored_note`); a file read from another path is no change of substance."""
    if case.id not in store:
        return case, 0, None, []
    stored, revision, creation = store.load_with_version(case.id)
    case = keep_stored_note(case, stored)
    return case, revision, creation, store.file_differences(case)


def cmd_import(args: argparse.Namespace) -> int:
    files = phenopacket_files(args.paths)
    ontology = _ontology()
    failed = imported = updated = unchanged = warnings = 0
    refused: list[str] = []
    with _store(args) as store:
        store.require_writable()
        for path in files:
            try:
                case = with_labels(load_phenopacket(path), _labeller(ontology))  # found by name in the case list
                raw = json.loads(path.read_text(encoding="utf-8-sig"))
                case, revision, creation, differs = _replacing(store, case)
                if differs and not getattr(args, "replace", False):
                    shown = "; ".join(differs[:2]) + (" ..." if len(differs) > 2 else "")
                    raise _Differs(f"case {case.id!r} is already in the case store and {path.name} differs from it "
                                   f"({shown}); use --replace to replace the stored case")
            except RareTraceError as exc:
                if len(files) == 1:
                    raise
                warn(f"skipped: {exc}")
                failed += 1
                if isinstance(exc, _Differs):
                    refused.append(path.name)
                continue
            notes = _term_warnings(case, ontology)
            remote = [f.path or "(an entry without uri)" for f in case.files if not f.local]
            if remote:
                notes.append(f"{len(remote)} file(s) not on this computer ({', '.join(remote[:2])}"
                             f"{' ...' if len(remote) > 2 else ''}): kept with the case, not read by an analysis")
            if not str(raw.get("id") or "").strip():
                notes.append(f"no phenopacket id; stored as {case.id!r} (the file name)")
            strict = schema_problem(raw)
            if strict:
                notes.append(f"not strictly Phenopacket v2 ({strict}); stored as read, but a phenopacket export "
                             "leaves out what the schema does not define")
            answer = [k for k in NEVER_KEPT if raw.get(k)]
            if answer:  # a solved case's diagnosis never reaches ranking, so it is not stored either
                notes.append(f"{' and '.join(answer)} not stored (never used for ranking, absent from an export; "
                             "keep the file for them)")
            for note in notes:
                warn(f"{path.name}: {note}")
            warnings += len(notes)
            existed = bool(revision)
            try:
                # Saved only over the revision compared above: a window or process that saved the case meanwhile
                # is never overwritten unseen.
                changes = store.save_case(case, note=f"{'replaced by' if differs else 'imported from'} "
                                                     f"{case.source_path or path}",
                                          expected_revision=revision, expected_creation=creation)
            except StoreConflict as exc:
                if len(files) == 1:
                    raise
                warn(f"skipped {path.name}: {exc}")
                failed += 1
                continue
            if not changes:
                unchanged += 1
                print(f"unchanged  {safe_text(case.id)}")
            elif existed:
                updated += 1
                print(f"{'replaced ' if differs else 'updated  '}  {safe_text(case.id)}: "
                      + "; ".join(map(safe_text, changes[:3])) + (" ..." if len(changes) > 3 else ""))
            else:
                imported += 1
                print(f"imported   {safe_text(case.id)} ({len(case.present)} present, {len(case.excluded)} "
                      f"excluded, {counted(len(case.files), 'file')})")
        # As batch and extract --jsonl: files skipped among others imported are counted warnings (status 0); none
        # imported is bad input (status 2, one error line)
        one = len(refused) == 1
        also = (f"; {len(refused):,} {'differs from its' if one else 'differ from their'} stored case: use --replace "
                f"to replace {'it' if one else 'them'}" if refused else "")
        if failed and failed < len(files):
            warn(f"{failed:,} of {counted(len(files), 'file')} skipped (see the warnings above){also}")
        print(f"{import_summary(imported, updated, unchanged, failed, warnings)}; store {safe_text(store.path)}",
              file=sys.stderr)
    if failed and failed == len(files):
        raise RareTraceError(f"none of the {counted(len(files), 'file')} could be imported (see the warnings above)"
                             f"{also}")
    return 0


def import_summary(imported: int, updated: int, unchanged: int, skipped: int, warnings: int) -> str:
    """The counts of a `case import`, every one with thousands separators ("7,571 imported, ... 7,571 warnings")."""
    return (f"{imported:,} imported, {updated:,} updated, {unchanged:,} unchanged, {skipped:,} skipped, "
            f"{counted(warnings, 'warning')}")


def cmd_export(args: argparse.Namespace) -> int:
    ontology = _ontology()
    with _store(args, create=False) as store:
        case = store.load_case(args.case_id)
        to_file = bool(args.out and args.out != "-")
        if to_file:  # refused before anything is said about the phenopacket it would have written
            # Never written over the case store it reads, the KB or any other file that is not a JSON object
            # (an earlier export), another case's phenopacket, nor (identifiable) the case's anonymised copy.
            phenopacket_target(Path(args.out), case.id, store, anonymise=args.anonymise,
                               update="export with --anonymise to update it")
        notes: list[str] = []
        packet = to_phenopacket(
            case, anonymise=args.anonymise, labels=_labeller(ontology), hpo_release=_release(ontology), warnings=notes
        )
        for note in notes:
            warn(note)
        # the anonymised copy's random ID, in the patient's audit log: a reply about it can be traced back here
        kind = f"anonymised phenopacket {packet['id']}" if args.anonymise else "phenopacket"
        # The phenopacket is written first; an audit entry the store cannot take (read-only, disk full) is a warning.
        if to_file:
            try:
                written = write_phenopacket(packet, args.out)
            except OSError as exc:
                why = (f"the folder {Path(args.out).parent} does not exist" if not Path(args.out).parent.is_dir()
                       else exc.strerror or exc)
                raise RareTraceError(f"cannot write {args.out}: {why}") from exc
            where = str(written)
            print(on_one_line(f"{kind} of {safe_text(case.id)} written to {written}"), file=sys.stderr)
        else:
            print_json(packet)
            sys.stdout.flush()
            where = "standard output"
        try:
            store.log_event(case.id, "exported", f"{kind} written to {where}")
        except RareTraceError as exc:
            warn(f"the export is not in the case's audit log: {exc}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    if absent := absent_store(getattr(args, "store", None)):
        # nothing stored yet (a new install) lists nothing, and creates nothing; the path is named for a typo'd --store
        print(f"no case store at {absent} yet, so no cases; `raretrace case import` creates it", file=sys.stderr)
        if args.json:
            print_json([])
        return 0
    with _store(args, create=False) as store:
        cases = store.list_cases(args.search)
    if args.json:
        print_json([c.to_json() for c in cases])
        return 0
    if not cases:
        print("no cases" + (f" matching {args.search!r}" if args.search else ""))
        return 0
    for c in cases:
        analysed = (f"analysed {local_time(c.last_analysed_at)[:10]}"
                    + (" (changed since)" if c.changed_since_analysis else "")) if c.last_analysed_at else "not analysed"
        print(f"{safe_text(c.id)}  {safe_text(c.sex or '-')}  {safe_text(c.age or '-')}  {c.present} present, "
              f"{c.excluded} excluded, {counted(c.files, 'file')}  changed {local_time(c.updated_at)}  {analysed}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete a stored case: with --yes, or once confirmed on a terminal; 1 when the answer there is not yes."""
    with _store(args, create=False) as store:
        store.require_writable()
        found = store.list_cases(case_id=args.case_id)
        if not found:
            raise RareTraceError(f"no case {args.case_id!r} in the case store {store.path}; see `raretrace case list`")
        c = found[0]
        if not args.yes:
            if sys.stdin is None or not sys.stdin.isatty():  # a script: nobody to ask, and nothing deleted unasked
                raise RareTraceError(f"case {c.id!r} not deleted: there is no terminal to confirm on; add --yes to "
                                     "delete it")
            who = f"patient {safe_text(c.subject_id)}" if c.subject_id and c.subject_id != c.id else "no patient ID"
            print(f"Delete case {safe_text(c.id)} ({who}): {c.present} present and {c.excluded} excluded features, "
                  f"{counted(c.files, 'file reference')} and {counted(c.analyses, 'analysis', 'analyses')}, from "
                  f"{safe_text(store.path)}?\nThis cannot be undone (the audit log keeps only that it was deleted); keep "
                  f"a copy first with `raretrace case export {safe_text(c.id)} --out FILE`.", file=sys.stderr)
            print("Type yes to delete it: ", end="", file=sys.stderr, flush=True)
            answer = sys.stdin.readline()  # Ctrl-C: "interrupted", status 130, as everywhere
            if answer.strip().lower() not in ("y", "yes"):
                print(f"case {safe_text(c.id)} not deleted", file=sys.stderr)
                return 1
        if not store.delete_case(c.id):  # deleted elsewhere meanwhile
            raise RareTraceError(f"no case {c.id!r} in the case store {store.path} any more (deleted elsewhere)")
    print(f"deleted    {safe_text(c.id)} ({counted(c.analyses, 'analysis', 'analyses')}); the audit log keeps that it "
          "was deleted")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _store(args, create=False) as store:
        case = store.load_case(args.case_id)
        files = store.files(case.id)
        analyses = store.analyses(case.id, with_results=False)
        audit = store.audit(case.id)
    ped = kept_text(case, PED_KEY)  # the family `case reanalyse` reads the VCF with
    note = kept_text(case, NOTE_KEY)  # the clinical note the window keeps with the case (and `list --search` reads)
    if args.json:
        print_json({
            "id": case.id,
            "subject_id": case.subject_id,
            "sex": case.sex,
            "age": case.age,
            "phenotypes": [
                {"id": p.id, "label": p.label, "excluded": p.excluded, "onset": p.onset, "source": p.source}
                for p in case.phenotypes
            ],
            "files": [{"path": f.path, "sha256": f.sha256, "assembly": f.assembly, "sample": f.sample} for f in files],
            "ped": ped,
            "note": note,
            "analyses": [{"id": a.id, "at": a.created_at, "user": a.user, "versions": a.versions} for a in analyses],
            "audit": [{"at": e.at, "user": e.user, "action": e.action, "changes": list(e.changes)} for e in audit],
        })
        return 0
    # ages and onsets in words, as the window and the PDF report give them (the JSON keeps the stored values)
    age = age_words(case.age) if case.age else "-"
    # each value of the file or the store escaped (safe_text): a line break or an escape in it stays on its line
    print(f"Case {safe_text(case.id)}  subject {safe_text(case.subject_id or '-')}  sex {safe_text(case.sex or '-')}  "
          f"age {safe_text(age)}")
    for p in case.phenotypes:
        onset = onset_words(p.onset)
        onset = f"  {onset if 'onset' in onset.lower() else f'onset {onset}'}" if onset else ""
        print(f"  {'NOT ' if p.excluded else '    '}{safe_text(p.id)}  {safe_text(p.label)}{safe_text(onset)}  "
              f"({safe_text(p.source)})")
    if note:  # the clinician's text, whole: its own lines kept, each escaped, none shortened
        print("  note: " + "\n        ".join(map(escaped, note.strip().splitlines())))
    for f in files:
        print(f"  file {safe_text(f.path or '(entry without uri)')}  {safe_text(f.assembly or 'build ?')}  "
              f"sample {safe_text(f.sample or '-')}  SHA-256 {safe_text(f.sha256 or 'not read')}")
    if ped:
        print(f"  family PED {safe_text(ped)}")
    # local time, as `case list` and `case reanalyse` say it (the JSON keeps the exact UTC stamps)
    for a in analyses:
        print(f"  analysis {a.id}  {local_time(a.created_at)}  by {safe_text(a.user)}")
    for e in audit:
        print(f"  {local_time(e.at)}  {safe_text(e.user)}  {safe_text(e.action)}: "
              + "; ".join(map(safe_text, e.changes)))
    return 0


def _ped_if_vcf(case: Case) -> str | None:
    """The case's kept PED where its VCF is analysed with it (a case whose VCF was removed is ranked on phenotype)."""
    # `case reanalyse` has no --ped: a stored case takes another PED from the window or a phenopacket listing it
    remedy = "choose it again in the application, or `raretrace case import --replace` a phenopacket listing it"
    return family_ped(case, remedy) if case.vcf is not None else None


def _analysed_again(args: argparse.Namespace, store: CaseStore, top: int) -> Callable[[Case], AnalysisResult]:
    """How `case reanalyse` ranks a stored case again (with the PED kept with it, deep enough to compare the top
    ranks); a store that can only be read is refused first unless --no-save."""
    from ..analysis import run_analysis

    if not args.no_save and store.read_only:
        raise RareTraceError(f"the case store {store.path} can only be read ({store.read_only}); use --no-save "
                             "to re-analyse without storing the analysis")
    eng = engine(args)

    def analysed(case: Case) -> AnalysisResult:
        try:
            return run_analysis(eng, case, top=max(top, 20), ped=_ped_if_vcf(case))
        except VcfNotFound as exc:  # its advice (--vcf) is analyze's: reanalyse takes the VCF stored with the case
            raise RareTraceError(
                f"VCF file not found: {exc.path}; the case's VCF may have been moved or renamed since it was stored: "
                f"export the case (`raretrace case export {case.id} --out FILE`), correct the VCF's uri in FILE and "
                "import it again with `raretrace case import --replace FILE`, or choose the VCF again on the "
                "Genomics tab of the application") from exc

    return analysed


def cmd_reanalyse(args: argparse.Namespace) -> int:
    if args.all == bool(args.case_id):
        raise RareTraceError("give a stored case's ID or --all (every stored case), not both"
                             if args.all else "give the stored case's ID to re-analyse, or --all for every case")
    if args.all:
        return _reanalyse_all(args)
    top = max(1, args.top)
    with _store(args, create=False) as store:  # a store not made yet holds no case to re-analyse
        analyse = _analysed_again(args, store, top)
        outcome = reanalyse(store, args.case_id, analyse, top=top, record=not args.no_save)
    previous = outcome.previous
    for w in outcome.result.get("warnings") or []:
        warn(w)
    if args.json:
        print_json({
            "id": outcome.case_id,
            "analysis_id": outcome.analysis_id,
            "previous_analysis_id": outcome.previous_analysis_id,
            "changes": [
                {"kind": c.kind, "id": c.id, "label": c.label, "status": c.status, "old_rank": c.old_rank,
                 "new_rank": c.new_rank, "old_score": c.old_score, "new_score": c.new_score}
                for c in outcome.changes
            ],
            "versions_changed": {k: list(v) for k, v in outcome.versions_changed.items()},
            "inputs_changed": list(outcome.inputs_changed),
            "device": outcome.result.get("device"),
            "diseases": [{"id": h.get("id"), "label": h.get("label"), "score": h.get("score")}
                         for h in outcome.result.get("diseases", [])[:top]],
            "genes": [{"symbol": h.get("symbol") or h.get("id"), "score": h.get("score")}
                      for h in outcome.result.get("genes", [])[:top]],
        })
        return 0
    saved = f"stored as analysis {outcome.analysis_id}" if outcome.analysis_id else "not stored"
    if previous is None:
        print(f"{safe_text(outcome.case_id)}: first analysis ({saved}); nothing to compare with")
    else:
        print(f"{safe_text(outcome.case_id)}: compared with analysis {previous.id} of "
              f"{local_time(previous.created_at)} ({saved})")
    device, note = outcome.result.get("device"), (outcome.result.get("versions") or {}).get("device_note")
    print(f"  ranked on {device}{f' ({note})' if note else ''}")
    # the versions and rankings compared come from the store, which another program may have written
    for name, (old, new) in outcome.versions_changed.items():  # a version only one analysis has: "(none)"
        print(f"  version {safe_text(name)}: {'(none)' if old is None else safe_text(old)} -> "
              f"{'(none)' if new is None else safe_text(new)}")
    for line in outcome.inputs_changed:
        print(f"  case changed since: {safe_text(line)}")
    for c in outcome.changes:
        old = f"#{c.old_rank}" if c.old_rank else "not listed"
        new = f"#{c.new_rank}" if c.new_rank else "not listed"
        print(f"  {c.kind:<7} {safe_text(c.id):<14} {safe_text(c.label[:50]):<50} {old} -> {new}  ({c.status})")
    if previous is not None and not outcome.changes:
        print(f"  no change within the top {top}")
    top_disease = (outcome.result.get("diseases") or [{}])[0]
    if top_disease:
        print(f"  top disease now: {safe_text(top_disease.get('id'))} {safe_text(top_disease.get('label', ''))}")
    return 0


def _first(result: dict, kind: str) -> str:
    hyps = result.get(kind) or []
    return str(hyps[0].get("id") or hyps[0].get("symbol") or "") if hyps else ""


def _reanalyse_all(args: argparse.Namespace) -> int:
    """Periodic re-analysis: every stored case ranked again with the current knowledge base and models, each
    compared with its last analysis. A case that cannot be analysed (its VCF moved away) is a warning and the others
    go on; the cases whose first disease or gene changed are the ones a clinician re-reads."""
    top = max(1, args.top)
    lines, failed, changed = [], 0, 0
    with _store(args, create=False) as store:  # a store not made yet holds no case to re-analyse
        analyse = _analysed_again(args, store, top)
        ids = [c.id for c in store.list_cases()]
        if not ids:
            raise RareTraceError(f"the case store {store.path} holds no case")
        for n, case_id in enumerate(ids, start=1):
            print(f"re-analysing {n}/{len(ids)}: {safe_text(case_id)}", file=sys.stderr)
            try:
                outcome = reanalyse(store, case_id, analyse, top=top, record=not args.no_save)
            except (RareTraceError, StoreConflict) as exc:
                failed += 1
                warn(f"case {case_id} not re-analysed: {exc}")
                lines.append({"id": case_id, "error": str(exc)})
                continue
            new = outcome.result
            previous = outcome.previous
            old = previous.result if previous is not None and previous.result else None
            first = {kind: (_first(old, kind) if old else None, _first(new, kind)) for kind in ("diseases", "genes")}
            moved = old is not None and any(a != b for a, b in first.values())
            changed += moved
            lines.append({"id": case_id, "analysis_id": outcome.analysis_id,
                          "previous_analysis_id": outcome.previous_analysis_id, "first_changed": moved,
                          "changes": len(outcome.changes), "first_disease": list(first["diseases"]),
                          "first_gene": list(first["genes"])})
    if args.json:
        print_json(lines)
        if 0 < failed < len(lines):  # the text summary's count, said where JSON output says it (batch, extract --jsonl)
            warn(f"{failed:,} of {counted(len(lines), 'stored case')} not re-analysed (see the warnings above)")
    else:
        for line in lines:
            case_id = safe_text(line["id"])
            if "error" in line:
                print(f"  {case_id}: not re-analysed (see the warning)")
                continue
            # the first ones before come from the store, which another program may have written
            (d_old, d_new), (g_old, g_new) = ((safe_text(before or "-"), safe_text(now or "-"))
                                              for before, now in (line["first_disease"], line["first_gene"]))
            mark = "*" if line["first_changed"] else " "
            if line["previous_analysis_id"] is None:  # no ranking before it: no change to count
                print(f"{mark} {case_id}: first analysis: {d_new} / {g_new}; nothing to compare with")
                continue
            if line["first_changed"]:
                what = f"first disease {d_old} -> {d_new}, first gene {g_old} -> {g_new}"
            else:
                what = f"first disease {d_new}, first gene {g_new} as before"
            print(f"{mark} {case_id}: {what}; {line['changes']} change(s) within the top {top}")
        done = len(lines) - failed
        print(f"{done:,} case(s) re-analysed{'' if not args.no_save else ' (not stored)'}; {changed:,} with another "
              f"first disease or gene (*){f'; {failed:,} not re-analysed' if failed else ''}. "
              "raretrace case reanalyse ID shows one case's changes.")
    if failed == len(lines):  # bad input's status, and its one error line
        raise RareTraceError(f"none of the {failed:,} stored case(s) could be re-analysed (see the warnings above)")
    return 0


def cmd_library_add(args: argparse.Namespace) -> int:
    from ..kb import open_kb
    from ..library import add_to_case_library

    kb = default_kb_path()
    open_kb(kb, progress=stderr_progress).close()  # builds it first when missing; checks it is a KB
    outcome = add_to_case_library(kb, args.paths, progress=stderr_progress)
    for message in outcome.warnings:  # files skipped, and notes on cases added: not counted as skipped
        warn(message)
    skipped = f"{counted(outcome.skipped, 'file')} skipped"
    if not outcome.added and not outcome.already:
        raise RareTraceError(f"no case was added to the case library ({skipped}, see the warnings above)")
    print(f"{counted(outcome.added, 'case')} added to the case library of {safe_text(kb)}"
          + (f"; {outcome.already} already in it (replaced by the file's version)" if outcome.already else "")
          + (f"; {skipped} (see the warnings above)" if outcome.skipped else ""))
    return 0
