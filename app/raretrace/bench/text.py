"""Free-text benchmarks: GSC+ document-level precision/recall/F1, clinical-style notes (bundled), and extraction
speed after load.

GSC+ gold file format (as distributed with PhenoTagger): blocks separated by a blank line; each block is the
PubMed id, the abstract text, then one `start<TAB>end<TAB>mention<TAB>HP:id` line per gold mention. A document's
prediction is the set of HPO IDs extracted and not excluded; gold IDs are mapped to the current release
(alternative/obsolete IDs resolved) before comparing.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import RareTraceError
from ..ontology import Ontology
from ..text import Extractor


@dataclass(frozen=True, slots=True)
class GoldDocument:
    id: str
    text: str
    mentions: tuple[tuple[int, int, str, str], ...]  # (start, end, mention, HPO ID)


def read_gold(path: Path | str) -> list[GoldDocument]:
    """GSC+-style gold TSV -> documents; a malformed file is a RareTraceError naming the line."""
    path = Path(path)
    if not path.is_file():
        raise RareTraceError(f"gold file not found: {path}")
    docs: list[GoldDocument] = []
    blocks = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n\n")
    line_no = 1
    for block in blocks:
        lines = block.split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
            line_no += 1
        if not lines:
            line_no += block.count("\n") + 2
            continue
        if len(lines) < 2:
            raise RareTraceError(f"{path}:{line_no}: a document needs an id line and a text line")
        mentions = []
        for k, line in enumerate(lines[2:], start=line_no + 2):
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) != 4 or not fields[0].isdigit() or not fields[1].isdigit():
                raise RareTraceError(f"{path}:{k}: expected 'start<TAB>end<TAB>mention<TAB>HP:id'")
            mentions.append((int(fields[0]), int(fields[1]), fields[2], fields[3].strip()))
        docs.append(GoldDocument(lines[0].strip(), lines[1], tuple(mentions)))
        line_no += block.count("\n") + 2
    if not docs:
        raise RareTraceError(f"{path} holds no documents")
    return docs


def canonical_id(ontology: Ontology, term_id: str) -> str:
    """The current ID of a gold term (alternative and obsolete IDs resolved); unknown IDs stay as written."""
    res = ontology.resolve(term_id)
    return ontology.ids[res.index] if res.index is not None else term_id


def gold_ids(doc: GoldDocument, ontology: Ontology) -> set[str]:
    return {canonical_id(ontology, hpo) for *_span, hpo in doc.mentions}


def gsc_document_scores(extractor: Extractor, ontology: Ontology, gold_path: Path | str) -> dict:
    """Micro- and macro-averaged document-level precision/recall/F1 of the extracted (not excluded) HPO IDs."""
    docs = read_gold(gold_path)
    tp = fp = fn = 0
    macro_f1 = []
    per_document = []
    for doc in docs:
        predicted = {t.id for t in extractor.extract(doc.text) if not t.excluded}
        gold = gold_ids(doc, ontology)
        d_tp, d_fp, d_fn = len(predicted & gold), len(predicted - gold), len(gold - predicted)
        tp, fp, fn = tp + d_tp, fp + d_fp, fn + d_fn
        p, r, f = _prf(d_tp, d_fp, d_fn)
        macro_f1.append(f)
        per_document.append({"id": doc.id, "tp": d_tp, "fp": d_fp, "fn": d_fn, "f1": round(f, 4)})
    precision, recall, f1 = _prf(tp, fp, fn)
    return {
        "documents": len(docs),
        "gold_ids": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "macro_f1": round(sum(macro_f1) / len(macro_f1), 4),
        "per_document": per_document,
    }


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    # An empty prediction on an empty gold set is perfect; otherwise the usual definitions.
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if not fp else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def extraction_speed(
    extractor: Extractor, texts: list[str], seconds: float = 3.0, repeats: int = 3
) -> dict:
    """Abstracts per second after load: best of `repeats` timed passes of at least `seconds` / repeats each.

    Both wall-clock and CPU-time rates are given: on a shared machine the CPU-time rate is what one core does.
    """
    if not texts:
        raise RareTraceError("no texts to time")
    for text in texts:  # warm the per-word caches, as a long-running GUI/CLI session would have them
        extractor.extract(text)
    best_wall = best_cpu = 0.0
    total_docs = 0
    slice_seconds = max(seconds / max(repeats, 1), 0.05)
    for _ in range(max(repeats, 1)):
        done = 0
        wall0, cpu0 = time.perf_counter(), time.process_time()
        while True:
            for text in texts:
                extractor.extract(text)
            done += len(texts)
            wall = time.perf_counter() - wall0
            if wall >= slice_seconds:
                break
        cpu = max(time.process_time() - cpu0, 1e-9)
        best_wall = max(best_wall, done / wall)
        best_cpu = max(best_cpu, done / cpu)
        total_docs += done
    chars = sum(len(t) for t in texts) / len(texts)
    return {
        "abstracts_per_second": round(best_wall, 1),
        "abstracts_per_cpu_second": round(best_cpu, 1),
        "documents_timed": total_docs,
        "mean_characters": round(chars, 1),
    }


def note_comparison(extractor: Extractor, ontology: Ontology, note: dict) -> dict[str, tuple[set[str], set[str]]]:
    """One clinical note's (predicted, gold) HPO ID sets for "present", "patient" and "excluded"."""
    terms = extractor.extract(note["text"])
    gold_present = {canonical_id(ontology, t) for t in note["present"]}
    gold_excluded = {canonical_id(ontology, t) for t in note["excluded"]}
    return {
        "present": ({t.id for t in terms if not t.excluded}, gold_present),
        "patient": ({t.id for t in terms if not t.excluded and not t.family}, gold_present),
        "excluded": ({t.id for t in terms if t.excluded}, gold_excluded),
    }


def clinical_note_scores(extractor: Extractor, ontology: Ontology, path: Path | str) -> dict:
    """Micro-averaged P/R/F1 on clinical-style notes (JSON lines: text, present and excluded HPO IDs), per `set`.

    "present" scores what the evaluation counts (every term extracted and not excluded, a relative's included);
    "patient" leaves out the terms flagged as a relative's; "excluded" scores the negated findings.
    """
    path = Path(path)
    if not path.is_file():
        raise RareTraceError(f"clinical notes not found: {path}")

    notes = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts: dict[str, dict[str, list[int]]] = {}
    for note in notes:
        found = note_comparison(extractor, ontology, note)
        for group in {note.get("set", "all"), "all"}:  # a note without a set counts once
            by_kind = counts.setdefault(group, {k: [0, 0, 0] for k in found})
            for kind, (predicted, gold) in found.items():
                c = by_kind[kind]
                c[0] += len(predicted & gold)
                c[1] += len(predicted - gold)
                c[2] += len(gold - predicted)
    out: dict = {}
    for group, by_kind in counts.items():
        out[group] = {}
        for kind, (tp, fp, fn) in by_kind.items():
            precision, recall, f1 = _prf(tp, fp, fn)
            out[group][kind] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
    return {"notes": len(notes), **out}


def notes_to_diagnosis(engine, path: Path | str, limit: int | None = None) -> dict:
    """From the clinic note to the diagnosis: each bundled note's case ranked from the findings extracted from its
    note (the patient's, stated or negated; uncertain ones left out, as the GUI leaves them unticked) and from its
    gold features, with the case's own publication left out of the case library (Engine.ranker_for). Recall@1/@3/@10
    of the case's diagnosis (the library's record of it, used only to score), per note set and in all."""
    from ..case import Case, Phenotype

    path = Path(path)
    if not path.is_file():
        raise RareTraceError(f"clinical notes not found: {path}")
    notes = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    library = engine.db.execute("SELECT case_id, disease_id, pmid FROM library_cases").fetchall()
    diagnosis = {case_id: disease_id for case_id, disease_id, _ in library}
    publication = {case_id: pmid for case_id, _, pmid in library}
    notes = sorted((n for n in notes if n["id"] in diagnosis), key=lambda n: (publication[n["id"]], n["id"]))
    if limit is not None:
        notes = notes[:: max(1, len(notes) // limit)][:limit]
    extractor = engine.extractor
    ranks: dict[str, dict[str, list[int]]] = {}
    started = time.perf_counter()
    for note in notes:
        gold = tuple(Phenotype(t) for t in note["present"]) + tuple(Phenotype(t, excluded=True) for t in note["excluded"])
        found = tuple(Phenotype(t.id, excluded=t.excluded, source="extracted") for t in extractor.extract(note["text"])
                      if not t.family and not t.uncertain)
        for reading, phenotypes in (("gold", gold), ("extracted", found)):
            case = Case(id=note["id"], phenotypes=phenotypes)
            if not any(not p.excluded for p in phenotypes):
                rank = 0  # nothing to rank on: a miss
            else:
                result = engine.ranker_for(case).analyse(case, top=10, evidence=False)
                ids = [h.id for h in result.diseases]
                rank = ids.index(diagnosis[note["id"]]) + 1 if diagnosis[note["id"]] in ids else 0
            for group in (note.get("set", "all"), "all"):
                ranks.setdefault(group, {}).setdefault(reading, []).append(rank)
    out: dict = {"notes": len(notes), "seconds": round(time.perf_counter() - started, 1)}
    for group, by_reading in ranks.items():
        out[group] = {reading: {f"recall@{k}": round(sum(1 for r in found if 0 < r <= k) / len(found), 4)
                                for k in (1, 3, 10)} for reading, found in by_reading.items()}
        out[group]["notes"] = len(by_reading["gold"])
    return out


def text_benchmark(engine, gold_path: Path | str, seconds: float = 3.0) -> dict:
    """Everything `raretrace bench` reports for free text: load time, GSC+ scores, speed."""
    started = time.perf_counter()
    ontology = engine.ontology
    loaded_ontology = time.perf_counter()
    extractor = Extractor(engine.db, ontology)
    loaded = time.perf_counter()
    scores = gsc_document_scores(extractor, ontology, gold_path)
    # GSC+ also annotates the broader finding inside a longer one ("colitis" in "ulcerative colitis"); the
    # product reports the longest, most specific match (`extract --broader` adds those), scored separately.
    nested = Extractor(engine.db, ontology, extractor.dictionary, nested=True)
    nested_scores = gsc_document_scores(nested, ontology, gold_path)
    speed = extraction_speed(extractor, [d.text for d in read_gold(gold_path)], seconds=seconds)
    return {
        "load_seconds": round(loaded - loaded_ontology, 3),
        "ontology_seconds": round(loaded_ontology - started, 3),
        "gsc": {k: v for k, v in scores.items() if k != "per_document"},
        "gsc_with_broader_terms": {k: v for k, v in nested_scores.items() if k != "per_document"},
        "per_document": scores["per_document"],
        "speed": speed,
    }
