"""Realistic analysis results for the report and figure tests, made from the real knowledge base.

Until the ranker (raretrace.ranking) lands, `evidence_result` builds the evidence objects the way the ranker is
specified to: every match is a real MICA of the ontology, every frequency and reference a real row of
disease_annotations, every similar case a row of the shipped case library. Scores are simple sums (the tests check
rendering, never ranking quality).
"""

from __future__ import annotations

import csv
import gzip
import json
import math
from collections import defaultdict
from dataclasses import replace

from raretrace.case import Case, Phenotype
from raretrace.evidence import (
    AcmgCriterion,
    AnalysisResult,
    Contribution,
    ExcludedConflict,
    FeatureMatch,
    Flag,
    Hypothesis,
    InheritanceFit,
    SimilarCase,
    SuggestedFeature,
    VariantEvidence,
    VcfSummary,
)
from raretrace.paths import resources_dir

# A Pfeiffer-syndrome-like patient (FGFR2), typed as HPO IDs, with one unrelated finding and three exclusions.
PFEIFFER_PRESENT = (
    "HP:0011304",  # Broad thumb
    "HP:0010055",  # Broad hallux
    "HP:0001363",  # Craniosynostosis
    "HP:0000520",  # Proptosis
    "HP:0003041",  # Humeroradial synostosis
    "HP:0005347",  # Cartilaginous trachea
    "HP:0000316",  # Hypertelorism
    "HP:0000494",  # Downslanted palpebral fissures
    "HP:0000238",  # Hydrocephalus
    "HP:0001156",  # Brachydactyly
    "HP:0001250",  # Seizure
)
PFEIFFER_EXCLUDED = ("HP:0000175", "HP:0001061", "HP:0000752")  # Cleft palate, Acne, Hyperactivity


def _labels(engine, ids) -> tuple[tuple[str, str], ...]:
    ont = engine.ontology
    return tuple((t, ont.labels[ont.index[t]]) for t in ids)


def _annotations(db, disease_id: str):
    rows = db.execute(
        "SELECT id, hpo_id, reference, frequency, frequency_value, qualifier FROM disease_annotations "
        "WHERE disease_id = ? AND aspect = 'P' ORDER BY id",
        (disease_id,),
    ).fetchall()
    by_term: dict[str, list] = defaultdict(list)
    for r in rows:
        if r[5] != "NOT":
            by_term[r[1]].append(r)
    return by_term


def _freq(rows) -> tuple[float | None, str]:
    values = [r[4] for r in rows if r[4] is not None]
    texts = [r[3] for r in rows if r[3]]
    return (max(values) if values else None), (texts[0] if texts else "")


def _refs(rows) -> tuple[str, ...]:
    out: list[str] = []
    for r in rows:
        for ref in (r[2] or "").split(";"):
            if ref and ref not in out:
                out.append(ref)
    return tuple(out)


def _library(disease_ids: set[str]) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    path = resources_dir() / "case_library.tsv.gz"
    if not path.is_file():
        return found
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["disease_id"] in disease_ids:
                found[row["disease_id"]].append(row)
    return found


def _hypothesis(engine, disease_id: str, present, excluded, library, with_variant: bool):
    db, ont = engine.db, engine.ontology
    label, inh_json = db.execute("SELECT label, inheritance FROM diseases WHERE id = ?", (disease_id,)).fetchone()
    by_term = _annotations(db, disease_id)
    ann_idx = {t: ont.index[t] for t in by_term if t in ont.index}
    matched, unexplained = [], []
    for term, plabel in present:
        pi = ont.index[term]
        best = None
        for dterm, ai in ann_idx.items():
            anc, ic = ont.mica(pi, ai)
            if best is None or ic > best[2] + 1e-9:
                best = (dterm, anc, ic)
        if best is None or best[2] < 1.5:
            unexplained.append(FeatureMatch(term, plabel, "unmatched"))
            continue
        dterm, anc, ic = best
        ai = ann_idx[dterm]
        relation = (
            "exact" if ai == pi else "patient_more_specific" if anc == ai else "disease_more_specific" if anc == pi
            else "common_ancestor"
        )
        rows = by_term[dterm]
        freq, ftext = _freq(rows)
        matched.append(
            FeatureMatch(term, plabel, relation, dterm, ont.labels[ai], ont.ids[anc], ont.labels[anc], ic, freq, ftext,
                         _refs(rows), tuple(r[0] for r in rows), contribution=ic)
        )
    conflicts = []
    for term, plabel in excluded:
        ei = ont.index[term]
        for dterm, ai in ann_idx.items():
            if ont.is_ancestor(ei, ai):
                rows = by_term[dterm]
                freq, ftext = _freq(rows)
                if freq is None or freq >= 0.3:
                    conflicts.append(ExcludedConflict(term, plabel, dterm, ont.labels[ai], freq, ftext, _refs(rows),
                                                      tuple(r[0] for r in rows), -2.0 * (freq or 0.8)))
    seen = {m.disease_term for m in matched}
    suggested = []
    for dterm, rows in by_term.items():
        freq, ftext = _freq(rows)
        if dterm not in seen and dterm in ann_idx and (freq is None or freq >= 0.5):
            suggested.append(SuggestedFeature(dterm, ont.labels[ann_idx[dterm]], freq, ftext, _refs(rows),
                                              tuple(r[0] for r in rows)))
    suggested.sort(key=lambda s: (-(s.frequency or 0.8), -float(ont.ic[ont.index[s.term]])))
    similar = []
    patient_terms = {t for t, _ in present}
    for row in library.get(disease_id, [])[:3]:
        shared = tuple(t for t in row["present"].split(",") if t in patient_terms)
        similar.append(SimilarCase(row["case_id"], row["pmid"], disease_id, row["disease_label"],
                                   (row["genes"].split(",")[0] or None) if row["genes"] else None, shared,
                                   tuple(ont.labels[ont.index[t]] for t in shared if t in ont.index),
                                   len(shared) / max(1, len(patient_terms))))
    genes = tuple(g for (g,) in db.execute(
        "SELECT DISTINCT gene_symbol FROM gene_diseases WHERE disease_id = ? ORDER BY gene_symbol", (disease_id,)))
    modes = tuple(ont.labels[ont.index[t]] for t in json.loads(inh_json or "[]") if t in ont.index)
    variants: tuple[VariantEvidence, ...] = ()
    inheritance = InheritanceFit(modes, "no VCF", None, "Phenotype-only analysis: no genotype to compare.")
    variant_score = 0.0
    if with_variant and "FGFR2" in genes:
        chrom, starts = db.execute(
            "SELECT chrom, exon_starts FROM gene_models WHERE build = 'GRCh38' AND symbol = 'FGFR2'").fetchone()
        pos = int(starts.split(",")[9]) + 141  # inside exon 10 (0-based start + offset, reported 1-based)
        variants = (
            VariantEvidence(
                chrom, pos, "T", "C", "FGFR2", "het", "missense_variant", "NM_000141.5:c.1019A>G p.(Tyr340Cys)",
                population_af=None, clinvar="Pathogenic", scores={"REVEL": 0.91, "CADD": 27.4},
                criteria=(
                    AcmgCriterion("PM2", "moderate", "absent from gnomAD", "Not seen in population controls"),
                    AcmgCriterion("PP3", "supporting", "REVEL 0.91", "Computational evidence supports a deleterious effect"),
                    AcmgCriterion("PP5", "supporting", "ClinVar: Pathogenic", "Reputable source reports it pathogenic"),
                ),
                pathogenicity=0.94, quality=812.0, record_line=3, sample="PROBAND", de_novo=True,
            ),
        )
        inheritance = InheritanceFit(modes, "1 heterozygous variant", True,
                                     "A heterozygous variant fits autosomal dominant inheritance.")
        variant_score = 3.1
    pheno = sum(m.contribution for m in matched)
    conflict = sum(c.contribution for c in conflicts)
    similar_score = sum(s.similarity for s in similar)
    contributions = (
        Contribution("phenotype match", pheno),
        Contribution("conflicting evidence", conflict),
        Contribution("similar published cases", similar_score),
    ) + ((Contribution("variant evidence", variant_score), Contribution("inheritance fit", 0.5)) if variants else ())
    flags = []
    if sum(1 for m in matched if m.ic >= 4.0) < 2:
        flags.append(Flag("caution", "weak_phenotype", "Rests on few or only generic feature matches."))
    if conflicts:
        flags.append(Flag("warning", "conflicts", f"{len(conflicts)} excluded feature(s) are usual in this disease."))
    total = pheno + conflict + similar_score + variant_score
    return Hypothesis(
        "disease", disease_id, label, 0, total, genes=genes, inheritance_modes=modes, matched=tuple(matched),
        unexplained=tuple(unexplained), conflicts=tuple(conflicts), suggested=tuple(suggested[:5]),
        similar_cases=tuple(similar), inheritance=inheritance, variants=variants, contributions=contributions,
        flags=tuple(flags),
    )


def evidence_result(engine, case_id: str, present_ids, excluded_ids, *, top: int = 10, with_vcf: bool = True,
                    candidates: int = 25) -> AnalysisResult:
    """An AnalysisResult whose evidence is drawn from the KB for the diseases sharing most of the patient's terms."""
    db = engine.db
    present, excluded = _labels(engine, present_ids), _labels(engine, excluded_ids)
    marks = ",".join("?" * len(present_ids))
    ids = [d for (d,) in db.execute(
        f"SELECT disease_id FROM disease_annotations WHERE hpo_id IN ({marks}) AND aspect = 'P' "
        "GROUP BY disease_id ORDER BY COUNT(DISTINCT hpo_id) DESC, disease_id LIMIT ?",
        (*present_ids, candidates))]
    library = _library(set(ids))
    hyps = [_hypothesis(engine, d, present, excluded, library, with_vcf) for d in ids]
    hyps.sort(key=lambda h: (-h.score, h.id))
    top_score = hyps[0].score if hyps else 1.0
    ranked = tuple(
        replace(h, rank=i + 1, score=0.05 + 0.9 / (1 + math.exp(-(h.score - top_score) / 4)))
        for i, h in enumerate(hyps[:top])
    )
    genes = []
    for symbol in sorted({g for h in ranked for g in h.genes}, key=lambda g: min(h.rank for h in ranked if g in h.genes)):
        of_gene = [h for h in ranked if symbol in h.genes]
        best = of_gene[0]
        variants = tuple(v for v in best.variants if v.gene == symbol)
        genes.append(Hypothesis(
            "gene", symbol, symbol, len(genes) + 1, best.score, genes=(symbol,),
            diseases=tuple((h.id, h.label) for h in of_gene), inheritance_modes=best.inheritance_modes,
            matched=best.matched, unexplained=best.unexplained, conflicts=best.conflicts,
            inheritance=best.inheritance if variants else None, variants=variants,
            contributions=best.contributions if variants else best.contributions[:3], flags=best.flags))
    vcf = (
        VcfSummary("/data/cases/pfeiffer_proband.vcf.gz", "9f2c4b0e5d6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c",
                   "GRCh38", "PROBAND", 1843, 212, ("3 records with FILTER not PASS were skipped",))
        if with_vcf else None
    )
    prov = engine.provenance
    return AnalysisResult(
        case_id=case_id, present=present, excluded=excluded, sex="MALE", age="P2Y6M",
        diseases=ranked, genes=tuple(genes[:top]), device="cpu",
        versions={"raretrace": "0.1.0", "hpo_release": prov.get("hpo_release", ""),
                  "phenotype_model": "fixture (no model)", "device": "cpu"},
        warnings=("HP:0000000 is not an HPO term in this release (1 input term skipped)",), vcf=vcf, seconds=0.42,
    )


def case_for(result: AnalysisResult, vcf_path: str | None = None) -> Case:
    phenos = tuple(Phenotype(t, lbl) for t, lbl in result.present) + tuple(
        Phenotype(t, lbl, excluded=True) for t, lbl in result.excluded)
    return Case(id=result.case_id, phenotypes=phenos, sex=result.sex, age=result.age, subject_id="patient-7")


def many_features(engine, n_present: int, n_excluded: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A patient with many features: Apert syndrome's annotations present, Crouzon-only ones excluded."""
    db, ont = engine.db, engine.ontology

    def terms(d):
        return [t for (t,) in db.execute(
            "SELECT DISTINCT hpo_id FROM disease_annotations WHERE disease_id = ? AND aspect = 'P' AND "
            "qualifier IS NOT 'NOT' ORDER BY hpo_id", (d,)) if t in ont.index]

    apert = terms("OMIM:101200")
    extra = [t for d in ("OMIM:101600", "OMIM:123500", "OMIM:101400") for t in terms(d) if t not in apert]
    present = tuple(dict.fromkeys(apert + extra))[:n_present]
    excluded = tuple(t for t in dict.fromkeys(extra[::-1]) if t not in present)[:n_excluded]
    assert len(present) == n_present and len(excluded) == n_excluded
    return present, excluded
