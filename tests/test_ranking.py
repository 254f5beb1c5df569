"""The disease/gene ranker: ONNX equals the reference computation, excluded features count, IDs, determinism."""

from __future__ import annotations

import html
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from raretrace.case import Case, Phenotype, case_from_terms
from raretrace.errors import RareTraceError
from raretrace.evidence import TWIN_GROUP, Hypothesis, source_text
from raretrace.ranking import FEATURES, GROUPS

MODELS = Path(__file__).resolve().parents[1] / "models"
PFEIFFER = ["HP:0001156", "HP:0001363", "HP:0011304", "HP:0010055"]


def test_onnx_output_equals_the_reference_computation(engine):
    pytest.importorskip("onnx")
    sys.path.insert(0, str(MODELS))
    from export import parameters, reference_logits

    ranker = engine.ranker
    params = parameters(ranker.model_path)
    cases = [case_from_terms("a", PFEIFFER), case_from_terms("b", ["HP:0001250", "HP:0001263"], ["HP:0000252"])]
    values = [ranker.features(ranker.patient(c)).values for c in cases]
    logits, posterior = ranker.score(values, twins=False)  # the ONNX model's own output
    merged, merged_post = ranker.score(values)  # each OMIM entry also scored by its Orphanet twin (twin_logits)
    for v, lg, post, lg2, post2 in zip(values, logits, posterior, merged, merged_post, strict=True):
        reference = reference_logits(v, params)
        ref_post = np.exp(reference - reference.max())
        ref_post /= ref_post.sum()
        assert np.allclose(lg, reference, atol=1e-3)
        assert np.allclose(post, ref_post, atol=1e-6)
        assert post.sum() == pytest.approx(1.0, abs=1e-4)
        ref_merged = ranker.twin_logits(v, reference, lambda rows: reference_logits(rows, params))
        assert np.allclose(lg2, ref_merged, atol=1e-3)
        assert post2.sum() == pytest.approx(1.0, abs=1e-4)


def _features_by_definition(ranker, patient) -> dict[str, np.ndarray]:
    """The evidence features computed term by term from their definitions, slowly: the check of the vectorised
    `Ranker.features` (dense rows near the root, rows reduced down the DAG, segment reductions per disease)."""
    from raretrace.ranking import EXCLUDED_CAP, LOG_NOISE

    onto, ic, n_d = ranker.onto, ranker.ic, len(ranker.profiles)
    lr = ranker.lr_by_term
    best_lr, resnik = [], []
    for t in patient.present.tolist():
        rows = lr[onto.ancestors(t)].toarray()
        best_lr.append(rows.max(axis=0) + LOG_NOISE)
        resnik.append(np.max((rows > 0) * ic[onto.ancestors(t)][:, None], axis=0))
    union = set(np.concatenate([onto.ancestors(t) for t in patient.present.tolist()]).tolist())
    direct = ranker.profiles.direct
    best_common = {t: max((ic[a] for a in onto.ancestors(t).tolist() if a in union), default=0.0)
                   for t in np.unique(direct.indices).tolist()}
    covered = np.array([sum(w * best_common[t] for t, w in zip(direct.indices[direct.indptr[d]:direct.indptr[d + 1]],
                                                             direct.data[direct.indptr[d]:direct.indptr[d + 1]],
                                                             strict=True))
                        for d in range(n_d)])  # annotations weighted by their frequency
    sims = ranker.features(patient).case_sims
    best, top3 = np.zeros(n_d), np.zeros(n_d)
    for d in np.unique(ranker.library_disease[ranker.library_disease >= 0]).tolist():
        own = np.sort(sims[ranker.library_disease == d])[::-1]
        best[d], top3[d] = own[0], own[:3].mean()
    # the patient's excluded features against those each published case records excluded: IC-weighted cosine of
    # the exact terms, the mean of the disease's best three (0 without excluded features or published cases)
    def weighted(terms) -> dict[int, float]:
        return {t: float(ic[t]) for t in terms}

    def best_three(query_terms, case_terms) -> np.ndarray:
        query = weighted(query_terms)
        sims = np.zeros(len(ranker.library))
        for i, c in enumerate(ranker.library):
            own = weighted({onto.resolve(t).index for t in case_terms(c)} - {None})
            dot = sum(w * own.get(t, 0.0) for t, w in query.items())
            norm = np.sqrt(sum(w * w for w in query.values()) * sum(w * w for w in own.values()))
            sims[i] = dot / norm if norm > 0 else 0.0
        top3 = np.zeros(n_d)
        for d in np.unique(ranker.library_disease[ranker.library_disease >= 0]).tolist():
            top3[d] = np.sort(sims[ranker.library_disease == d])[::-1][:3].mean()
        return top3

    excluded_top3 = best_three(patient.excluded.tolist(), lambda c: c.excluded)
    # every finding recorded either way, against every finding each published case records either way
    assessed_top3 = best_three(set(patient.present.tolist()) | set(patient.excluded.tolist()),
                               lambda c: (*c.present, *c.excluded))
    penalty = np.zeros(n_d)
    for t in patient.excluded.tolist():
        frequency = ranker.prop_by_term[t].toarray().ravel()
        penalty += np.where(frequency > 0, np.log(1.0 - EXCLUDED_CAP * frequency), 0.0)
    resnik = np.array(resnik)
    return {"lr_sum": np.sum(best_lr, axis=0), "resnik_mean": resnik.mean(axis=0),
            "specific_fraction": (resnik >= 0.7 * np.maximum(ic[patient.present], 1e-3)[:, None]).mean(axis=0),
            "coverage": covered / np.maximum(ranker.coverage_norm, 1e-6), "case_similarity_max": best,
            "case_similarity_top3": top3, "excluded_penalty": penalty, "excluded_case_similarity": excluded_top3,
            "assessed_case_similarity": assessed_top3}


def test_the_vectorised_features_equal_their_definitions(engine):
    ranker = engine.ranker
    kbg = ["HP:0000689", "HP:0001263", "HP:0004322", "HP:0000325", "HP:0000337"]  # KBG: many published cases
    cases = [case_from_terms("a", PFEIFFER), case_from_terms("b", ["HP:0001250", "HP:0001263"], ["HP:0000252"]),
             case_from_terms("c", kbg, ["HP:0001250", "HP:0000238"])]
    assert ranker._dense_slot.max() > 0  # the rows near the root are read from the dense copies
    for case in cases:
        patient = ranker.patient(case)
        values = ranker.features(patient).values
        for name, expected in _features_by_definition(ranker, patient).items():
            np.testing.assert_allclose(values[:, FEATURES.index(name)], expected, rtol=1e-5, atol=1e-6,
                                       err_msg=f"{case.id}: {name}")
    kbg_index = ranker.profiles.index["OMIM:148050"]
    assert ranker.case_counts[kbg_index] > 3  # the best three of many, not of all
    # published cases record seizures or hydrocephalus as absent too: the excluded features' similarity is at work
    assert values[:, FEATURES.index("excluded_case_similarity")].max() > 0


def test_cosines_read_by_column_equal_the_row_products_bit_for_bit(engine):
    """The excluded and assessed similarities read only the query terms' columns (`_exact_cosines`): each case's
    float32 sum is the sparse row product's (`_cosines`), bit for bit, so the ranking is the one it was."""
    from raretrace.ranking import _cosines, _exact_cosines

    ranker = engine.ranker
    nonzero = 0
    for terms in (["HP:0001250"], PFEIFFER, ["HP:0001250", "HP:0001263", "HP:0000252", "HP:0000238", "HP:0000325"]):
        idx = np.unique([ranker.onto.resolve(t).index for t in terms]).astype(np.int64)
        query = np.zeros(len(ranker.onto), dtype=np.float32)
        query[idx] = ranker.ic[idx]
        for rows, by_term in ((ranker.library_excluded, ranker._excluded_by_term),
                              (ranker.library_assessed, ranker._assessed_by_term)):
            expected = _cosines(rows, query)
            assert np.array_equal(_exact_cosines(by_term, idx, ranker.ic), expected)
            nonzero += int(np.count_nonzero(expected))
    assert nonzero > 0


def test_pfeiffer_phenotype_ranks_fgfr2_and_a_craniosynostosis_syndrome_high(engine):
    result = engine.ranker.analyse(case_from_terms("pfeiffer", PFEIFFER), top=10)
    genes = [h.id for h in result.genes]
    # four features, none of them excluded: Greig syndrome leads on them; FGFR2 is 4th since the thirty-fourth
    # session's model (0.046, 3rd at 0.013 before), and first with the Pfeiffer exome (tests/test_variants.py)
    assert "FGFR2" in genes[:5]
    labels = " ".join(h.label.lower() for h in result.diseases[:10])
    assert "pfeiffer" in labels or "apert" in labels or "crouzon" in labels


def test_an_excluded_feature_lowers_a_disease_that_has_it(engine):
    ranker = engine.ranker
    base = case_from_terms("x", ["HP:0001156", "HP:0001363"])
    top = ranker.analyse(base, top=1).diseases[0]
    # exclude the most frequent annotated feature of the top disease that the patient does not have
    feature = top.suggested[0].term
    with_exclusion = case_from_terms("y", ["HP:0001156", "HP:0001363"], [feature])
    d = ranker.profiles.index[top.id]
    before = ranker.score([ranker.features(ranker.patient(base)).values])[0][0][d]
    after = ranker.score([ranker.features(ranker.patient(with_exclusion)).values])[0][0][d]
    assert after < before
    conflicts = ranker.analyse(with_exclusion, top=50)
    hyp = next(h for h in conflicts.diseases if h.id == top.id)
    assert any(c.patient_term == feature for c in hyp.conflicts)


def test_unknown_and_obsolete_ids_are_warnings_not_crashes(engine):
    obsolete = engine.db.execute(
        "SELECT id FROM terms WHERE obsolete = 1 AND replaced_by IN (SELECT id FROM terms WHERE obsolete = 0)"
    ).fetchone()[0]
    case = Case("w", (Phenotype("HP:0001156"), Phenotype("HP:9999999"), Phenotype(obsolete)))
    result = engine.ranker.analyse(case, top=3)
    text = " ".join(result.warnings)
    assert "HP:9999999" in text and obsolete in text and "1 unknown" in text
    with pytest.raises(RareTraceError):
        engine.ranker.analyse(Case("empty", (Phenotype("HP:9999999"),)), top=3)


def test_a_warning_that_questions_the_case_is_marked_attention_and_said_first_alike_everywhere(engine):
    # The GUI's banner found the warnings that question the case by phrases of their text ("both present and
    # excluded", "sample mix-up" ...), which the PDF and the JSON did not share: a warning reworded, or a new one,
    # fell behind the notes in the banner alone. The core marks each warning with its severity.
    import copy
    import pickle

    from raretrace.evidence import most_serious_first, warning_severity

    case = Case("w", (Phenotype("HP:9999999"), Phenotype("HP:0001156"), Phenotype("HP:0001156", excluded=True)))
    result = engine.ranker.analyse(case, top=3)
    severities = {w: warning_severity(w) for w in result.warnings}
    contradiction = next(w for w in result.warnings if "both present and excluded" in w)
    assert severities[contradiction] == "attention"
    assert severities["1 unknown HPO term(s) ignored"] == "note"
    assert result.warnings.index(contradiction) > result.warnings.index("1 unknown HPO term(s) ignored")
    ordered = most_serious_first(result.warnings)
    assert ordered[0] == contradiction and ordered[1:] == [w for w in result.warnings if w != contradiction]
    out = json.loads(json.dumps(result.to_json()))
    assert out["warnings"] == list(result.warnings)  # the strings, in the engine's order, as before
    assert out["warning_details"] == [{"severity": warning_severity(w), "message": w} for w in ordered]
    assert out["warning_details"][0]["severity"] == "attention"
    assert all(d["severity"] == "note" for d in out["warning_details"][1:])
    for kept in (copy.deepcopy(contradiction), pickle.loads(pickle.dumps(contradiction))):  # a worker's copy
        assert kept == contradiction and warning_severity(kept) == "attention"


def test_an_excluded_feature_implied_by_a_present_one_is_dropped_with_a_warning(engine):
    # "Seizure" excluded while "Focal-onset seizure" is present: the exclusion was dropped without a word
    case = case_from_terms("c", ["HP:0007359", "HP:0001263"], excluded=["HP:0001250", "HP:0000252"])
    result = engine.ranker.analyse(case, top=3)
    assert [t for t, _ in result.excluded] == ["HP:0000252"]
    (said,) = [w for w in result.warnings if "implied by a more specific present feature" in w]
    assert said.startswith("1 excluded term(s)") and "Seizure (HP:0001250)" in said
    plain = engine.ranker.analyse(case_from_terms("c", ["HP:0007359", "HP:0001263"], excluded=["HP:0000252"]), top=3)
    assert [(h.id, h.score) for h in plain.diseases] == [(h.id, h.score) for h in result.diseases]  # ranking as before


def test_ranking_is_deterministic(engine):
    case = case_from_terms("d", ["HP:0001250", "HP:0001263", "HP:0000252", "HP:0001252"])
    a = engine.ranker.analyse(case, top=30)
    b = engine.ranker.analyse(case, top=30)
    assert [h.to_json() for h in a.diseases] == [h.to_json() for h in b.diseases]
    assert [h.to_json() for h in a.genes] == [h.to_json() for h in b.genes]


def test_batch_equals_single_case_ranking(engine):
    cases = [case_from_terms("p", PFEIFFER), case_from_terms("s", ["HP:0001250", "HP:0001263"])]
    batch = engine.ranker.analyse_batch(cases, top=10)
    for case, res in zip(cases, batch, strict=True):
        single = engine.ranker.analyse(case, top=10, evidence=False)
        assert [h.id for h in single.diseases] == [h.id for h in res.diseases]
        assert res.device in ("cpu", "cuda")


def test_evidence_traces_to_knowledge_base_rows(engine):
    result = engine.ranker.analyse(case_from_terms("p", PFEIFFER), top=5)
    checked = 0
    for h in result.diseases:
        for m in h.matched:
            for row_id in m.annotation_ids:
                disease, hpo, ref = engine.db.execute(
                    "SELECT disease_id, hpo_id, reference FROM disease_annotations WHERE id = ?", (row_id,)
                ).fetchone()
                assert disease == h.id
                assert engine.ontology.resolve(hpo).index == engine.ontology.resolve(m.disease_term).index
                assert set(ref.split(";")) <= set(m.references)
                checked += 1
    assert checked > 0


def test_contributions_are_shapley_values_that_add_up_to_the_score(engine):
    ranker = engine.ranker
    case = case_from_terms("p", PFEIFFER)
    result = ranker.analyse(case, top=3)
    values = ranker.features(ranker.patient(case)).values
    logits = ranker.score([values])[0][0]
    for h in result.diseases:
        d = ranker.profiles.index[h.id]
        reference = ranker.score([ranker.reference_rows(values[d][None, :])])[0][0][0]
        assert {c.group for c in h.contributions} == set(GROUPS) | ({TWIN_GROUP} if ranker.twin_gain(values, d)
                                                                     is not None else set())  # fmt: skip
        assert sum(c.value for c in h.contributions) == pytest.approx(float(logits[d] - reference), abs=1e-3)
    assert len(FEATURES) == len(ranker.baseline)


def test_absent_conflicts_and_published_cases_contribute_nothing_and_conflicts_only_lower(engine):
    ranker = engine.ranker
    case = case_from_terms("p", PFEIFFER, excluded=["HP:0000486"])  # strabismus excluded
    values = ranker.features(ranker.patient(case)).values
    col = FEATURES.index
    rows = values[np.argsort(-ranker.score([values])[0][0])[:300]]
    for row, parts in zip(rows, ranker.group_contributions(rows), strict=True):
        by = {c.group: c.value for c in parts}
        conflicts = row[[col(n) for n in GROUPS["conflicting evidence"]]]
        if not conflicts.any():
            assert by["conflicting evidence"] == pytest.approx(0.0, abs=1e-5)
        assert by["conflicting evidence"] <= 1e-5
        if row[col("case_count")] == 0:
            assert by["similar published cases"] == pytest.approx(0.0, abs=1e-5)


def test_a_curated_disease_takes_the_features_its_published_patients_show(engine):
    from raretrace.library import LibraryCase
    from raretrace.ranking import Ranker

    # three published Pfeiffer patients: seizures in two (HPO does not annotate them), hearing loss in one
    def patient(n: int, extra: tuple[str, ...]) -> LibraryCase:
        return LibraryCase(case_id=f"c{n}", pmid=f"PMID:{n}", disease_id="OMIM:101600", disease_label="Pfeiffer",
                           genes=("FGFR2",), allelic_states=("heterozygous",), sex="MALE",
                           present=("HP:0001363",) + extra, excluded=(), cohort="FGFR2")

    library = [patient(1, ("HP:0001250",)), patient(2, ("HP:0001250", "HP:0000407")), patient(3, ())]
    ranker = Ranker(engine.db, engine.ontology, device="cpu", library=library)
    prof, onto = ranker.profiles, engine.ontology
    d = prof.index["OMIM:101600"]
    seizure, hearing = onto.index["HP:0001250"], onto.index["HP:0000407"]
    assert seizure in prof.case_features[d] and hearing not in prof.case_features[d]  # in 2 of 3; in 1 of 3
    assert prof.direct[d, seizure] == pytest.approx(2 / 3) and prof.direct[d, hearing] == 0
    bare = Ranker(engine.db, engine.ontology, device="cpu", library=[])
    assert bare.profiles.direct[d, seizure] == 0 and not bare.profiles.case_features
    # the evidence cites the published patients for it
    h = next(h for h in ranker.analyse(case_from_terms("p", PFEIFFER + ["HP:0001250"]), top=3).diseases
             if h.id == "OMIM:101600")
    m = next(m for m in h.matched if m.patient_term == "HP:0001250")
    assert m.frequency_text == "2/3 published cases" and set(m.references) == {"PMID:1", "PMID:2"}


def test_an_annotation_ruled_out_by_an_excluded_feature_is_not_also_shown_as_a_match(engine):
    from raretrace.demo import load_demo_case

    result = engine.ranker.analyse(load_demo_case(), top=5)  # ptosis excluded, strabismus present (Kabuki)
    for h in result.diseases:
        against = {c.disease_term for c in h.conflicts}
        assert not [m.patient_term for m in h.matched if m.disease_term in against], h.id


def test_an_annotation_without_frequency_is_shown_as_not_stated_and_never_as_most_patients(engine):
    from raretrace.evidence import NOT_STATED, frequency_words

    result = engine.ranker.analyse(case_from_terms("p", PFEIFFER, ["HP:0000486"]), top=20)
    rows = [m for h in result.diseases for m in h.matched] + [c for h in result.diseases for c in h.conflicts]
    unstated = [x for x in rows if x.frequency_text == NOT_STATED]
    assert unstated and all(frequency_words(x.frequency, x.frequency_text) == NOT_STATED for x in unstated)
    assert frequency_words(0.17, "HP:0040283") == "occasional (5-29%)"  # HPO's range, not the value scored with
    for h in result.diseases:
        flagged = " ".join(f.message for f in h.flags if f.code == "conflict")
        for c in h.conflicts:
            if c.frequency_text == NOT_STATED:
                assert c.patient_label not in flagged


def test_a_present_feature_the_disease_is_annotated_not_to_have_is_listed_flagged_and_counted(engine):
    # Blepharocheilodontic syndrome 2 (OMIM:617681): nail dysplasia annotated in 0/3 patients (PMID:28301459)
    bcd2 = ["HP:0009804", "HP:0012905", "HP:0030001", "HP:0410030", "HP:0007651", "HP:0009743", "HP:0000698"]
    ranker = engine.ranker
    with_nails = case_from_terms("with", bcd2 + ["HP:0002164"])
    result = ranker.analyse(with_nails, top=10)
    h = next(h for h in result.diseases if h.id == "OMIM:617681")
    (c,) = h.negated
    assert (c.patient_term, c.disease_term) == ("HP:0002164", "HP:0002164")
    assert c.references == ("PMID:28301459",) and c.annotation_ids and "0/3" in c.source_text
    assert any(f.code == "negated" and "Nail dysplasia" in f.message for f in h.flags)
    assert h.to_json()["negated"][0]["disease_term"] == "HP:0002164"
    conflicts = dict((x.group, x.value) for x in h.contributions)["conflicting evidence"]
    assert conflicts < 0
    # what the conflicts bar counts is what is listed: every listed hypothesis with the feature has the entry
    feats = ranker.features(ranker.patient(with_nails)).values
    col = FEATURES.index("negated_conflicts")
    for x in result.diseases:
        assert (feats[ranker.profiles.index[x.id], col] > 0) == bool(x.negated), x.id
    without = ranker.analyse(case_from_terms("without", bcd2), top=10)
    assert not next(h for h in without.diseases if h.id == "OMIM:617681").negated


def test_a_feature_the_disease_is_annotated_with_is_never_shown_unexplained(engine):
    # KBG syndrome (OMIM:148050): "Global developmental delay" from OMIM without a frequency, "Intellectual
    # disability" 7/7; the likelihood ratio reaches developmental delay best through their general common ancestor,
    # yet the evidence must show the annotation itself, not "unmatched"
    ranker, onto = engine.ranker, engine.ontology
    terms = ["HP:0001263", "HP:0001572", "HP:0004322", "HP:0000750"]
    result = ranker.analyse(case_from_terms("kbg", terms), top=len(ranker.profiles))
    h = next(h for h in result.diseases if h.id == "OMIM:148050")
    m = next(m for m in h.matched if m.patient_term == "HP:0001263")
    assert (m.relation, m.disease_term) == ("exact", "HP:0001263")
    for h in result.diseases[:30]:
        d = ranker.profiles.index[h.id]
        annotated = set(ranker.profiles.prop.getrow(d).indices.tolist())
        for u in h.unexplained:
            t = onto.resolve(u.patient_term).index
            assert t not in annotated, (h.id, u.patient_term)


def test_a_match_names_the_most_informative_term_it_shares_with_the_annotation(engine):
    # Kabuki syndrome 1 reaches Strabismus's likelihood ratio best through "Abnormal eye physiology" (its propagated
    # frequency is higher), yet the disease annotates Strabismus itself: the match is exact, at Strabismus's IC, not
    # an "exact" match at the ancestor's IC (1.10 for 2.22), which the weak-evidence check also reads
    ranker, onto = engine.ranker, engine.ontology
    case = json.loads((Path(__file__).resolve().parents[1] / "resources/demo/demo_case.json").read_text())
    terms = [f["type"]["id"] for f in case["phenotypicFeatures"] if not f.get("excluded")]
    result = ranker.analyse(case_from_terms("kabuki", terms), top=10)
    kabuki = next(h for h in result.diseases if h.id == "OMIM:147920")
    strabismus = next(m for m in kabuki.matched if m.patient_term == "HP:0000486")
    assert (strabismus.relation, strabismus.common_ancestor) == ("exact", "HP:0000486")
    assert strabismus.ic == pytest.approx(float(ranker.ic[onto.resolve("HP:0000486").index]))
    for h in result.diseases:
        for m in h.matched:
            t, a, x = (onto.resolve(i).index for i in (m.patient_term, m.disease_term, m.common_ancestor))
            shared = set(onto.ancestors(t).tolist()) & set(onto.ancestors(a).tolist())
            assert x in shared, (h.id, m.patient_term)
            assert m.ic == pytest.approx(float(ranker.ic[x]))
            assert m.ic >= max(float(ranker.ic[s]) for s in shared) - 1e-9, (h.id, m.patient_term)
            assert (m.relation == "exact") == (t == a)


def test_a_match_through_annotations_the_excluded_features_all_rule_out_says_so(engine):
    # "abnormal muscle tone" present, "hypotonia" excluded: a disease whose only muscle-tone annotation is hypotonia
    # still matches the present feature (the score counts it) and the match says it is ruled out
    onto = engine.ontology
    result = engine.ranker.analyse(case_from_terms("tone", ["HP:0003808", "HP:0001263", "HP:0000252"], ["HP:0001252"]),
                                   top=40)
    hypotonia = onto.resolve("HP:0001252").index
    flagged = [(h, m) for h in result.diseases for m in h.matched if m.ruled_out]
    assert flagged
    for h, m in flagged:
        assert m.patient_term == "HP:0003808"
        assert onto.is_ancestor(hypotonia, onto.resolve(m.disease_term).index), (h.id, m.disease_term)
        assert h.conflicts  # the conflict is listed beside it
    from raretrace.gui.evidence_html import hypothesis_html  # plain HTML, no Qt

    h, _m = flagged[0]
    assert "also ruled out by an excluded feature" in hypothesis_html(h)
    for h in result.diseases:
        for m in h.matched:
            if not m.ruled_out and m.disease_term:
                assert not onto.is_ancestor(hypotonia, onto.resolve(m.disease_term).index), (h.id, m.disease_term)


def test_a_case_derived_profile_names_the_published_cases_that_exclude_its_negated_feature(engine):
    ranker, onto = engine.ranker, engine.ontology
    prof = ranker.profiles
    d = next(d for d in range(len(prof)) if prof.source[d] != "hpoa" and prof.negated.indptr[d + 1] > prof.negated.indptr[d])
    negated = int(prof.negated.indices[prof.negated.indptr[d]])
    present = [onto.ids[int(t)] for t in prof.direct.getrow(d).indices[:4]] + [onto.ids[negated]]
    patient = ranker.patient(case_from_terms("derived", present))
    (c,) = [x for x in ranker._negated(d, patient) if x.disease_term == onto.ids[negated]]
    assert c.source_text.startswith("excluded in ") and "published cases" in c.source_text
    cases = [x for x in ranker.library if x.disease_id == prof.ids[d] and onto.ids[negated] in x.excluded]
    assert set(c.references) <= {x.pmid for x in cases} and c.references


def test_a_published_case_of_the_library_is_not_its_own_evidence(engine, tmp_path, capsys, monkeypatch):
    from collections import Counter

    from raretrace.analysis import run_analysis
    from raretrace.bench.accuracy import library_case_to_input
    from raretrace.cli import main

    library = engine.ranker.library
    papers: dict[str, set[str]] = {}
    for c in library:
        papers.setdefault(c.disease_id, set()).add(c.pmid)
    counts = Counter(c.pmid for c in library)
    # a patient of a paper with others, whose diagnosis other papers also report: similar cases exist either way
    own = next(c for c in library if len(papers[c.disease_id]) >= 3 and counts[c.pmid] >= 3 and len(c.present) >= 4)
    case, _truth = library_case_to_input(own)
    result = run_analysis(engine, case, top=10)
    cited = {s.pmid for h in result.diseases for s in h.similar_cases}
    assert cited and own.pmid not in cited  # not itself, nor the patients published with it
    assert any(own.pmid in w and "left out" in w for w in result.warnings)
    assert engine.ranker.library is library  # the session's ranker keeps its library
    # the same findings under a clinic's own ID: the published case is the closest similar case, as it should be
    clinic = run_analysis(engine, Case(id="clinic-17", phenotypes=case.phenotypes, sex=case.sex), top=10)
    best = max((s for h in clinic.diseases for s in h.similar_cases), key=lambda s: s.similarity)
    assert best.case_id == own.case_id and best.similarity == pytest.approx(1.0, abs=1e-4)
    assert not any("left out" in w for w in clinic.warnings)
    # `raretrace batch` ranks it the same way
    packet = tmp_path / "case.json"
    packet.write_text(json.dumps({"id": own.case_id, "phenotypicFeatures": [
        {"type": {"id": p.id}, **({"excluded": True} if p.excluded else {})} for p in case.phenotypes]}))
    out = tmp_path / "out.jsonl"
    assert main(["--kb", str(engine.kb_path), "batch", str(packet), "--out", str(out), "--device", "cpu"]) == 0
    row = json.loads(out.read_text())
    assert [d["id"] for d in row["diseases"][:5]] == [h.id for h in result.diseases[:5]]
    err = capsys.readouterr().err
    assert "left out" in err
    # papers are left out one after another (minutes for the whole development set): the progress says so
    from raretrace.cli import analysis_cmds

    monkeypatch.setattr(analysis_cmds, "PUBLICATIONS_PER_PROGRESS", 1)
    assert main(["--kb", str(engine.kb_path), "batch", str(packet), "--out", str(out), "--device", "cpu"]) == 0
    assert "[100.0%] published cases, each paper left out in turn: 1 of 1 papers" in capsys.readouterr().err


def test_a_feature_annotated_by_several_publications_shows_the_frequency_used_with_its_own_references(engine):
    # NF1 (OMIM:162200), inguinal freckling: seven rows, 151/357 ... 1/1; the ranking takes the largest (1/1, two
    # case reports), and the evidence cites those two, not all seven beside "1/1"
    ranker = engine.ranker
    rows = ranker.db.execute("SELECT frequency, reference, evidence FROM disease_annotations WHERE disease_id = "
                             "'OMIM:162200' AND hpo_id = 'HP:0030052'").fetchall()
    assert len(rows) >= 3 and len({f for f, _, _ in rows}) >= 3
    result = ranker.analyse(case_from_terms("nf1", ["HP:0030052", "HP:0007565", "HP:0009732"]), top=10)
    h = next(h for h in result.diseases if h.id == "OMIM:162200")
    (m,) = [m for m in h.matched if m.patient_term == "HP:0030052"]
    def share(f):
        return int(f.split("/")[0]) / int(f.split("/")[1])

    best = max(share(f) for f, _, _ in rows)
    assert m.frequency == pytest.approx(best)
    assert set(m.references) == {r for f, r, _ in rows if share(f) == best}
    assert len(m.annotation_ids) == len(m.references) < len(rows)
    # the evidence code of those rows, shown after the sources (PCS: a published clinical study)
    assert m.evidence == tuple(sorted({e for f, _, e in rows if share(f) == best})) == ("PCS",)
    from raretrace.gui.evidence_html import hypothesis_html

    assert source_text(m.references, m.evidence).endswith("(PCS)")
    assert "(PCS)" in hypothesis_html(h) and "PCS published clinical study" in hypothesis_html(h)


def test_an_excluded_feature_the_disease_is_annotated_in_no_patient_is_no_conflict(engine):
    ranker = engine.ranker
    # a curated disease-feature pair whose every row counts no patient with it ("0/20")
    disease, term = ranker.db.execute(
        "SELECT disease_id, hpo_id FROM disease_annotations WHERE aspect = 'P' GROUP BY disease_id, hpo_id "
        "HAVING max(coalesce(frequency_value, 1)) = 0 AND max(qualifier = 'NOT') = 0 AND count(*) = 1 "
        "ORDER BY disease_id LIMIT 1").fetchone()
    d = ranker.profiles.index[disease]
    present = [engine.ontology.ids[int(t)] for t in ranker.profiles.direct.getrow(d).indices[:6]]
    result = ranker.analyse(case_from_terms("zero", present, [term]), top=50)
    h = next(h for h in result.diseases if h.id == disease)
    assert term not in {c.disease_term for c in h.conflicts}  # the source agrees with the patient


def test_features_to_examine_next_are_not_ruled_out_and_rest_on_several_patients(engine):
    from raretrace.ranking import _several_patients

    onto = engine.ontology
    excluded = ["HP:0001288"]  # gait disturbance: gait ataxia and every other gait feature are ruled out
    result = engine.ranker.analyse(case_from_terms("gait", ["HP:0001251", "HP:0001249", "HP:0001250"], excluded),
                                   top=20)
    gait = onto.resolve("HP:0001288").index
    suggested = [s for h in result.diseases for s in h.suggested]
    assert suggested
    for s in suggested:
        assert not onto.is_ancestor(gait, onto.resolve(s.term).index), s.label
        assert _several_patients(s.frequency_text), s.frequency_text


def test_features_only_the_other_sex_can_have_are_not_suggested_to_examine(engine):
    from raretrace.ranking import SEX_SPECIFIC_ROOTS

    ranker, onto = engine.ranker, engine.ontology
    # a disease whose most frequent unrecorded features include male genital ones (Noonan-like: cryptorchidism)
    noonan = ["HP:0000316", "HP:0000508", "HP:0001631", "HP:0004322", "HP:0000465"]  # hypertelorism, ptosis, ASD,
    # short stature, webbed neck
    roots = {sex: [onto.resolve(t).index for t in ts] for sex, ts in SEX_SPECIFIC_ROOTS.items()}
    assert all(i is not None for ts in roots.values() for i in ts)

    def suggested_for(sex: str) -> list[str]:
        case = case_from_terms(sex, noonan)
        result = ranker.analyse(Case(id=sex, phenotypes=case.phenotypes, sex=sex), top=20)
        return [s.term for h in result.diseases for s in h.suggested]

    def male_only(term: str) -> bool:
        return any(onto.is_ancestor(r, onto.resolve(term).index) for r in roots["MALE"])

    assert any(male_only(t) for t in suggested_for("MALE"))  # cryptorchidism is worth examining in a boy
    assert not any(male_only(t) for t in suggested_for("FEMALE"))  # and never in a girl


def test_sperm_oocyte_and_sex_named_fertility_features_are_not_suggested_to_the_other_sex(engine):
    # HPO files these outside the genitalia and reproductive-physiology branches (germ cells, meiosis, "Decreased
    # fertility" for "Decreased fertility in females"): a girl with primary ciliary dyskinesia was told to examine
    # "Absent sperm flagella".
    ranker, prof, onto = engine.ranker, engine.ranker.profiles, engine.ontology
    sperm = onto.resolve("HP:0012863").index  # Abnormal male germ cell morphology
    female_fertility = onto.resolve("HP:0000868").index  # Decreased fertility in females

    def suggested(disease: str, sex: str) -> list[int]:
        d = prof.index[disease]
        terms = [onto.ids[int(t)] for t in prof.direct.getrow(d).indices[:6]]
        result = ranker.analyse(Case(id=sex, phenotypes=case_from_terms(sex, terms).phenotypes, sex=sex), top=30)
        h = next(h for h in result.diseases if h.id == disease)
        return [onto.resolve(s.term).index for s in h.suggested]

    pcd = suggested("OMIM:620438", "MALE")  # primary ciliary dyskinesia 51: sperm flagella worth examining in a man
    assert any(onto.is_ancestor(sperm, t) for t in pcd)
    assert not any(onto.is_ancestor(sperm, t) for t in suggested("OMIM:620438", "FEMALE"))
    # diethylstilbestrol syndrome (men exposed in utero have their own genital features)
    assert not any(onto.is_ancestor(female_fertility, t) for t in suggested("ORPHA:1916", "MALE"))


def test_a_female_patient_is_told_why_an_x_linked_recessive_disease_is_lowered(engine):
    ranker, prof = engine.ranker, engine.ranker.profiles
    d = next(d for d in range(len(prof)) if ranker.xlr_only[d] and prof.ids[d].startswith("OMIM:")
             and prof.direct.indptr[d + 1] - prof.direct.indptr[d] >= 8)
    terms = [engine.ontology.ids[int(t)] for t in prof.direct.getrow(d).indices[:8]]
    flags, conflicts = {}, {}
    for sex in ("FEMALE", "MALE"):
        case = case_from_terms(sex, terms)
        result = ranker.analyse(Case(id=sex, phenotypes=case.phenotypes, sex=sex), top=20)
        h = next(h for h in result.diseases if h.id == prof.ids[d])
        flags[sex] = [f for f in h.flags if f.code == "sex"]
        conflicts[sex] = {c.group: c.value for c in h.contributions}["conflicting evidence"]
    assert flags["MALE"] == [] and "X-linked recessive" in flags["FEMALE"][0].message
    # the lowering shows in the conflicts bar, which is therefore not named after excluded features alone
    assert conflicts["FEMALE"] < -0.1 and conflicts["MALE"] == pytest.approx(0.0, abs=1e-5)


@pytest.mark.parametrize(("name", "sex"), [
    ("Periodic fever, menstrual cycle-dependent", "FEMALE"),
    ("Premature ovarian failure 21", "FEMALE"),
    ("Wieacker-Wolff syndrome, female-restricted", "FEMALE"),
    ("Symptomatic form of fragile X syndrome in female carriers", "FEMALE"),
    ("Spermatogenic failure, X-linked, 8, susceptibility to", "MALE"),
    ("Male infertility with large-headed, multiflagellar, polyploid spermatozoa", "MALE"),  # "with": more of it
    ("Prostate cancer/brain cancer susceptibility", "MALE"),
    ("Persistent mullerian duct syndrome, types I and II", "MALE"),
    ("Non-syndromic posterior hypospadias", "MALE"),
    # named by a list of features, one of them of one sex: patients of both
    ("Hand-foot-uterus syndrome", None),
    ("Breast-Ovarian cancer, familial, susceptibility to, 1", None),
    ("Torticollis, keloids, cryptorchidism, and renal dysplasia", None),
    ("Deafness, sensorineural, and male infertility", None),
    ("Deafness-infertility syndrome", None),
    ("Leukoencephalopathy, progressive, with ovarian failure", None),
    ("Ophthalmoplegia, progressive, with scrotal tongue and mental deficiency", None),
    # differences of sex development: recorded as either sex
    ("Pseudovaginal perineoscrotal hypospadias", None),
    ("46,XX testicular difference of sex development", None),
    ("Pseudohermaphroditism, male, with gynecomastia", None),
])
def test_a_disease_name_says_when_only_one_sex_can_have_it(name, sex):
    from raretrace.kb import disease_sex_in_name

    assert disease_sex_in_name(name) == sex


def test_a_disease_only_the_other_sex_can_have_is_held_down_and_says_why(engine):
    # "Periodic fever, menstrual cycle-dependent" (HTR1A): HPO gives it no sex, and a man with its features had it
    # first at 0.97 with no word of the conflict
    ranker, prof = engine.ranker, engine.ranker.profiles
    terms = ["HP:0001945", "HP:0002076", "HP:0003118"]  # fever, migraine, increased circulating cortisol
    flags, conflicts, scores = {}, {}, {}
    for sex in ("FEMALE", "MALE"):
        result = ranker.analyse(Case(id=sex, phenotypes=case_from_terms(sex, terms).phenotypes, sex=sex), top=20)
        h = next(h for h in result.diseases if h.id == "OMIM:614674")
        flags[sex] = [f.message for f in h.flags if f.code == "sex"]
        conflicts[sex] = {c.group: c.value for c in h.contributions}["conflicting evidence"]
        scores[sex] = h.score
    assert flags["FEMALE"] == [] and conflicts["FEMALE"] == pytest.approx(0.0, abs=1e-5)
    assert len(flags["MALE"]) == 1 and "Only affects females" in flags["MALE"][0] and "patient is male" in flags["MALE"][0]
    assert conflicts["MALE"] < -1.0 and scores["MALE"] < scores["FEMALE"]
    # the same for a man's disease in a woman, and one flag, not also the X-linked recessive caution
    d = prof.index["OMIM:309120"]  # Spermatogenic failure, X-linked 2
    assert ranker.sex_limited[d][0] == "MALE" and ranker.xlr_only[d]
    h = Hypothesis(kind="disease", id=prof.ids[d], label=prof.labels[d], rank=1, score=0.5,
                   inheritance_modes=("X-linked recessive inheritance",))
    said = [f.message for f in ranker.disease_checks(h, "FEMALE", None) if f.code == "sex"]
    assert len(said) == 1 and said[0].startswith("Only affects males")
    assert not [f for f in ranker.disease_checks(h, "MALE", None) if f.code == "sex"]


def test_a_gene_whose_diseases_only_the_other_sex_can_have_says_so_as_they_do(engine, tmp_path):
    # HTR1A's one disease, "Periodic fever, menstrual cycle-dependent", carried the sex flag for a man, while the gene
    # row beside it, ranked first on its score, carried none (with or without a VCF)
    from vcf_fixtures import gene, record, vcf_text, write_plain

    from raretrace.analysis import run_analysis
    from raretrace.case import CaseFile

    ranker = engine.ranker
    terms = ["HP:0001945", "HP:0002076", "HP:0003118"]  # fever, migraine, increased circulating cortisol
    htr1a = gene(engine.db, "HTR1A")
    vcf = write_plain(tmp_path / "htr1a.vcf", vcf_text([record(htr1a.chrom, htr1a.exonic(0), "A", "AT", "0/1")]))
    for sex in ("MALE", "FEMALE"):
        case = Case(id=sex, phenotypes=case_from_terms(sex, terms).phenotypes, sex=sex)
        with_vcf = replace(case, files=(CaseFile(str(vcf)),))
        for result in (ranker.analyse(case, top=20), run_analysis(engine, with_vcf, top=20)):
            h = next(h for h in result.genes if h.id == "HTR1A")
            said = [f.message for f in h.flags if f.code == "sex"]
            if sex == "FEMALE":
                assert said == []
            else:
                assert said == ["Only affects females (its one disease, Periodic fever, menstrual cycle-dependent: as "
                                "its name says), and the patient is male: that disease's score, from which the gene's "
                                "phenotype score comes, is lowered for it (part of the conflicts)."]
    # a gene with a disease of either sex as well says nothing; one with several limited ones names them
    prof = ranker.profiles
    mixed = next(g for g, ds in enumerate(ranker.gene_diseases) if len(ds) > 1
                 and any(int(d) in ranker.sex_limited for d in ds) and any(int(d) not in ranker.sex_limited for d in ds))
    assert not ranker.gene_sex_limit_flags(mixed, "MALE") + ranker.gene_sex_limit_flags(mixed, "FEMALE")
    g = ranker.gene_index["AMH"]  # persistent Müllerian duct syndrome: OMIM's and Orphanet's entries
    (flag,) = ranker.gene_sex_limit_flags(g, "FEMALE")
    assert flag.message.startswith(f"Only affects males (each of its {len(ranker.gene_diseases[g])} diseases, ")
    assert all(prof.labels[int(d)] in flag.message for d in ranker.gene_diseases[g])
    assert not ranker.gene_sex_limit_flags(g, "MALE") and not ranker.gene_sex_limit_flags(g, None)


def test_a_disease_names_first_the_gene_its_published_patients_carry(engine):
    # Kabuki syndrome 1 was shown as "(KDM6A, KMT2D)": HPO links it to both, alphabetically, while its published
    # patients carry KMT2D (KDM6A is Kabuki syndrome 2's gene)
    ranker = engine.ranker
    result = ranker.analyse(case_from_terms("kabuki", ["HP:0000637", "HP:0002553", "HP:0000437", "HP:0005338"]), top=10)
    prof = ranker.profiles
    kabuki = prof.index["OMIM:147920"]
    assert set(prof.genes[kabuki]) == {"KMT2D", "KDM6A"}
    assert ranker.disease_genes[kabuki] == ("KMT2D", "KDM6A")
    shown = {h.id: h.genes for h in result.diseases}
    assert shown["OMIM:147920"] == ("KMT2D", "KDM6A")
    # every disease lists the same genes, most carried first, then alphabetically
    for d, genes in enumerate(ranker.disease_genes):
        assert sorted(genes) == sorted(prof.genes[d])
        counts = [ranker._gene_carriers.get((d, g), 0) for g in genes]
        assert [(-c, g) for c, g in zip(counts, genes, strict=True)] == sorted(
            (-c, g) for c, g in zip(counts, genes, strict=True))


def test_a_variant_in_a_gene_whose_diseases_only_the_other_sex_can_have_counts_as_no_mode_fitting(engine, tmp_path):
    # A man's frameshift in HTR1A (its one disease, a menstrual cycle-dependent periodic fever) took its full variant
    # evidence: the phenotype floor makes the held-down disease score no matter, so HTR1A ranked second among the
    # genes of the bundled Kabuki demo, above genes of diseases the patient could have
    from vcf_fixtures import gene, record, vcf_text, write_plain

    from raretrace.analysis import run_analysis
    from raretrace.case import CaseFile
    from raretrace.inheritance import INCOMPATIBLE_FACTOR, VARIANT_WEIGHT

    terms = ["HP:0001945", "HP:0002076", "HP:0003118"]  # fever, migraine, increased circulating cortisol
    htr1a = gene(engine.db, "HTR1A")
    vcf = write_plain(tmp_path / "htr1a.vcf", vcf_text([record(htr1a.chrom, htr1a.exonic(0), "A", "AT", "0/1")]))
    seen = {}
    for sex in ("MALE", "FEMALE", "UNKNOWN_SEX"):
        case = Case(id=sex, phenotypes=case_from_terms(sex, terms).phenotypes, sex=sex, files=(CaseFile(str(vcf)),))
        result = run_analysis(engine, case, top=20)
        h = next(h for h in result.genes if h.id == "HTR1A")
        parts = {c.group: c.value for c in h.contributions}
        seen[sex] = (h.inheritance, parts, h.score)
        disease = next(d for d in result.diseases if d.id == "OMIM:614674")
        seen[sex] += ({c.group: c.value for c in disease.contributions}, disease.inheritance)
    fit, parts, score, disease_parts, disease_fit = seen["MALE"]
    evidence = parts["variant evidence"]
    assert evidence > 0.5 * VARIANT_WEIGHT  # a frameshift: a strong variant
    assert parts["inheritance fit"] == pytest.approx(-(1 - INCOMPATIBLE_FACTOR) * evidence, abs=1e-3)
    assert fit.compatible is False and fit.explanation.startswith(
        "Its diseases only affect females, and the patient is male: its variant evidence counts a tenth")
    assert disease_fit.compatible is False and "only affect females" in disease_fit.explanation
    for sex in ("FEMALE", "UNKNOWN_SEX"):  # a woman's, or a patient of no stated sex, keeps it whole
        fit, parts, other_score, other_disease_parts, disease_fit = seen[sex]
        assert parts["variant evidence"] == evidence and parts["inheritance fit"] == 0.0
        assert fit.compatible is True and "only affect" not in fit.explanation and "only affect" not in disease_fit.explanation
        assert other_score > score
    assert (sum(v for k, v in disease_parts.items() if k != "prior")
            < sum(v for k, v in seen["FEMALE"][3].items() if k != "prior"))


def test_a_gene_whose_disease_only_the_other_sex_can_have_says_so(engine):
    # A man with ovarian failure: BMP15 ranked first among the genes (its score its diseases', Ovarian dysgenesis 2
    # held down for the patient's sex) and showed that disease's evidence with no word of the conflict, which its
    # row in the diseases' table and the disease's own section gave
    ranker = engine.ranker
    terms = ["HP:0008209", "HP:0000815", "HP:0000869"]  # premature ovarian insufficiency, hypergonadotropic ...
    for sex in ("MALE", "FEMALE"):
        result = ranker.analyse(Case(id=sex, phenotypes=case_from_terms(sex, terms).phenotypes, sex=sex), top=20)
        gene = next(h for h in result.genes if h.id == "BMP15")
        disease = next(h for h in result.diseases if h.id == gene.diseases[0][0])
        said = [f.message for f in gene.flags if f.code == "sex"]
        if sex == "FEMALE":
            assert said == []
            continue
        assert [f.message for f in disease.flags if f.code == "sex"]
        # BMP15 has a disease of either sex too, so the flag is its best disease's, named
        assert len(said) == 1 and said[0].startswith(f"{disease.label}: only affects females"), said
        assert ranker.gene_checks(gene, ranker.gene_index["BMP15"], sex, None) == gene.flags


def test_which_diseases_only_one_sex_can_have(engine):
    ranker, prof = engine.ranker, engine.ranker.profiles

    def limited(disease: str) -> str | None:
        return (ranker.sex_limited.get(prof.index[disease]) or (None,))[0]

    assert limited("OMIM:616814") == "FEMALE"  # preimplantation embryonic lethality 1: only female features
    assert limited("OMIM:400043") == "MALE"  # deafness, Y-linked 1
    assert limited("OMIM:617565") is None  # Perrault syndrome 6: 6 of 7 features female, deafness in both sexes
    assert limited("OMIM:614337") is None  # Lynch syndrome 4: endometrial and colorectal cancer
    assert limited("OMIM:400044") is None  # 46XY sex reversal 1: Y-linked, patients are women
    assert limited("OMIM:615542") is None  # testicular anomalies ...: ambiguous genitalia, recorded as either sex
    assert limited("ORPHA:983") is None  # testicular regression syndrome: female genital features too
    # a few hundred diseases at most, and no published patient of the library is of the other sex
    counts = {sex: sum(1 for s, _why in ranker.sex_limited.values() if s == sex) for sex in ("FEMALE", "MALE")}
    assert 50 <= counts["FEMALE"] <= 300 and 50 <= counts["MALE"] <= 300, counts
    other = [(c.case_id, c.disease_id, c.sex) for c in ranker.all_library
             if (d := prof.index.get(c.disease_id)) in ranker.sex_limited
             and c.sex in ("FEMALE", "MALE") and c.sex != ranker.sex_limited[d][0]]
    assert other == []


def test_only_an_orphanet_entry_of_a_disease_or_gene_omim_describes_is_held_down_and_says_so(engine):
    ranker, prof = engine.ranker, engine.ranker.profiles
    column = ranker.features(ranker.patient(case_from_terms("p", PFEIFFER))).values[:, FEATURES.index("orphanet")]
    orpha = [d for d, i in enumerate(prof.ids) if i.startswith("ORPHA:")]
    twins = [d for d in orpha if prof.ids[d] in ranker.omim_twins]
    # Mondo's exact matches give about half of HPO's Orphanet entries an OMIM twin; the others are scored as any
    assert 0.3 * len(orpha) < len(twins) < 0.7 * len(orpha)
    of_genes = [d for d in orpha if prof.ids[d] in ranker.omim_of_genes]
    assert set(np.flatnonzero(column).tolist()) == set(twins) | set(of_genes) and not set(twins) & set(of_genes)
    assert all(set(prof.genes[d]) & set(prof.genes[prof.index[o]]) for d in of_genes
               for o in ranker.omim_of_genes[prof.ids[d]])
    assert all(t.startswith("OMIM:") and t in prof.index for d in twins for t in ranker.omim_twins[prof.ids[d]])
    assert ranker.omim_twins["ORPHA:5"] == ("OMIM:609016",)  # LCHAD deficiency

    def own_features(d: int, within: set[int] | None = None) -> Case:
        row = prof.direct.getrow(d)
        top = [int(t) for t in row.indices[np.argsort(-row.data, kind="stable")] if within is None or t in within]
        return case_from_terms(prof.ids[d], [engine.ontology.ids[t] for t in top[:8]])

    # a pair annotated alike: the features both entries have rank the OMIM entry first, and the Orphanet one says why
    def shared(d: int) -> set[int]:
        (omim,) = ranker.omim_twins[prof.ids[d]]
        return set(prof.direct.getrow(d).indices.tolist()) & set(prof.direct.getrow(prof.index[omim]).indices.tolist())

    pairs = [d for d in twins if len(ranker.omim_twins[prof.ids[d]]) == 1 and len(shared(d)) >= 8][:20]
    flagged = []
    for d in pairs:
        (omim,) = ranker.omim_twins[prof.ids[d]]
        result = ranker.analyse(own_features(d, shared(d)), top=50)
        ranks = {h.id: h.rank for h in result.diseases}
        assert ranks.get(omim, 51) < ranks.get(prof.ids[d], 51)
        flagged += [(omim, f) for h in result.diseases if h.id == prof.ids[d] for f in h.flags if f.code == "omim_twin"]
    assert flagged and all(omim in f.message and "Mondo" in f.message for omim, f in flagged)
    # an Orphanet entry no OMIM entry describes is found from its own features, with no such flag
    lone = next(d for d in orpha if column[d] == 0 and prof.direct.indptr[d + 1] - prof.direct.indptr[d] >= 12)
    found = ranker.analyse(own_features(lone), top=10).diseases
    assert prof.ids[lone] in [h.id for h in found[:3]]
    assert not [f for h in found for f in h.flags if h.id == prof.ids[lone] and f.code in ("omim_twin", "omim_gene")]


def test_an_orphanet_entry_of_many_genes_names_three_in_its_flag_as_the_gene_columns_do(engine):
    ranker, prof = engine.ranker, engine.ranker.profiles
    many = max(ranker.omim_of_genes, key=lambda d: (len(prof.genes[prof.index[d]]), d))
    # the genes OMIM entries cover, three of them named
    covered = {g for i, gs in zip(prof.ids, prof.genes, strict=True) if i.startswith("OMIM:") for g in gs}
    genes = [g for g in prof.genes[prof.index[many]] if g in covered]
    assert len(genes) > 3
    (flag,) = ranker.twin_flags(many)
    assert flag.code == "omim_gene" and f"{', '.join(genes[:3])} and {len(genes) - 3} more" in flag.message
    assert genes[3] not in flag.message.split("(")[0]  # the whole list is in the hypothesis's genes, not here


def test_a_held_down_orphanet_entry_still_says_why_when_a_vcf_is_analysed(engine):
    from raretrace.analysis import run_analysis
    from raretrace.demo import load_demo_case

    case = load_demo_case()  # Kabuki syndrome with the demo exome: Orphanet's Kabuki syndrome (KDM6A, KMT2D) 31st
    assert case.vcf is not None
    result = run_analysis(engine, case, top=50)
    assert result.vcf is not None
    held = [h for h in result.diseases if h.id in engine.ranker.omim_twins or h.id in engine.ranker.omim_of_genes]
    assert held
    for h in held:
        assert [f.code for f in h.flags if f.code in ("omim_twin", "omim_gene")] == [
            f.code for f in engine.ranker.twin_flags(h.id)], h.id


def test_published_patients_with_a_more_specific_form_count_for_a_feature(engine):
    from raretrace.library import LibraryCase

    def patient(n, present):
        return LibraryCase(f"c{n}", "PMID:1", "OMIM:999001", "Test disease", ("GENE1",), (), "MALE", present, (), "x")

    # motor delay (HP:0001270) recorded in one patient, its more specific form "delayed ability to walk"
    # (HP:0031936) in two others: all three have motor delay
    library = [patient(1, ("HP:0001270",)), patient(2, ("HP:0031936",)), patient(3, ("HP:0031936", "HP:0001250"))]
    from raretrace.ranking import Ranker

    ranker = Ranker(engine.db, engine.ontology, device="cpu", library=library)
    d = ranker.profiles.index["OMIM:999001"]
    motor = engine.ontology.resolve("HP:0001270").index
    assert ranker.profiles.direct[d, motor] == pytest.approx(1.0)
    n, counts = ranker._published_term_pmids(d, excluded=False)
    assert n == 3 and len(counts[motor]) == 3


def test_a_gene_hypothesis_lists_every_disease_of_the_gene(engine):
    ranker = engine.ranker
    many = max(range(len(ranker.gene_symbols)), key=lambda g: (len(ranker.gene_diseases[g]), -g))
    assert len(ranker.gene_diseases[many]) > 5
    d = int(ranker.gene_diseases[many][0])
    terms = [engine.ontology.ids[int(t)] for t in ranker.profiles.direct.getrow(d).indices[:6]]
    result = ranker.analyse(case_from_terms("many", terms), top=200)
    h = next(h for h in result.genes if h.id == ranker.gene_symbols[many])
    assert len(h.to_json()["diseases"]) == len(ranker.gene_diseases[many])


def test_each_hypothesis_says_how_many_published_patients_share_how_many_features(engine):
    from raretrace.analysis import run_analysis
    from raretrace.demo import DEMO_PMIDS, load_demo_case
    from raretrace.gui.evidence_html import hypothesis_html  # plain HTML, no Qt

    case = load_demo_case()  # opened as a file, not through --demo: still recognised as the published patient it is
    result = run_analysis(engine, replace(case, files=()), top=5)
    assert any("left out" in w for w in result.warnings)
    h = next(h for h in result.diseases if h.id == "OMIM:147920")  # Kabuki syndrome 1, with many published patients
    assert not next(x for x in result.diseases if not x.similar_cases).published_summary()
    published = [c for c in engine.ranker.library if c.disease_id == h.id and c.pmid not in DEMO_PMIDS]
    assert h.published_cases == len(published) and h.published_papers == len({c.pmid for c in published})
    shared = [len(s.shared_terms) for s in h.similar_cases]
    text = h.published_summary()
    assert text.startswith(f"{len(published)} published patients with this diagnosis ({h.published_papers} ")
    assert text.endswith(f"{shared[-1]} of this patient's features") and len(shared) == 3
    assert h.to_json()["published_summary"] == text and html.escape(text) in hypothesis_html(h)


@pytest.mark.parametrize("iso, years", [("P2Y6M", 2.5), ("P10W", 70 / 365.25), ("P3D", 3 / 365.25), ("P1Y", 1.0),
                                        ("P0.5Y", 0.5), (None, None), ("", None), ("2 years", None)])
def test_ages_in_iso_8601_read_as_years(iso, years):
    from raretrace.case import age_in_years

    assert age_in_years(iso) == (None if years is None else pytest.approx(years))


def test_the_clinical_course_is_shown_and_a_patient_younger_than_its_onset_flagged(engine):
    from raretrace.gui.evidence_html import hypothesis_html

    ranker, prof, db = engine.ranker, engine.ranker.profiles, engine.db
    # a disease HPO annotates with adult onset only (no earlier onset class), with enough features to rank
    adult = {d for (d,) in db.execute("SELECT disease_id FROM disease_annotations WHERE aspect = 'C' AND hpo_id = "
                                      "'HP:0003581' AND COALESCE(qualifier, '') != 'NOT'")}
    earlier = {d for (d,) in db.execute("SELECT disease_id FROM disease_annotations WHERE aspect = 'C' AND hpo_id "
                                        "IN ('HP:0003577', 'HP:0003623', 'HP:0003593', 'HP:0011463', 'HP:0003621')")}
    d = next(prof.index[i] for i in sorted(adult - earlier) if i.startswith("OMIM:") and i in prof.index
             and prof.direct.indptr[prof.index[i] + 1] - prof.direct.indptr[prof.index[i]] >= 8)
    terms = [engine.ontology.ids[int(t)] for t in prof.direct.getrow(d).indices[:8]]
    flags, shown = {}, {}
    for age in ("P2Y", "P30Y", None):
        result = ranker.analyse(Case(id="onset", phenotypes=case_from_terms("x", terms).phenotypes, age=age), top=20)
        h = next(h for h in result.diseases if h.id == prof.ids[d])
        flags[age] = [f for f in h.flags if f.code == "onset"]
        shown[age] = h
    assert flags["P30Y"] == [] and flags[None] == []
    assert "adult onset" in flags["P2Y"][0].message and "this patient's age (2 years)" in flags["P2Y"][0].message
    h = shown["P2Y"]
    assert "HP:0003581" in [c.term for c in h.clinical_course]
    adult_refs = {r for (ref,) in db.execute("SELECT reference FROM disease_annotations WHERE disease_id = ? AND "
                                             "hpo_id = 'HP:0003581'", (h.id,)) for r in ref.split(";")}
    course = next(c for c in h.clinical_course if c.term == "HP:0003581")
    assert set(course.references) == adult_refs
    # its sources written as every annotation's are: "Adult onset [PMID:1, PMID:2, PMID:3 +2 (PCS)]"
    assert f"Adult onset [{source_text(course.references, course.evidence, limit=3)}]" in h.course_summary()
    assert h.to_json()["course_summary"] == h.course_summary()
    assert html.escape(h.course_summary(), quote=False) in hypothesis_html(h)


def test_the_clinical_course_line_names_a_few_publications_per_onset_class_and_the_json_keeps_them_all():
    # Kabuki syndrome 1's course listed 6 PMIDs for congenital onset, 4 for neonatal ... (16 for one onset class of
    # OMIM:162000): the onset classes, which are what a clinician reads, were lost among them
    from raretrace.evidence import ClinicalCourse, Hypothesis

    congenital = tuple(f"PMID:{n}" for n in (24019847, 27922244, 29914387, 31846209, 32083401, 35060672))
    course = (ClinicalCourse("HP:0003577", "Congenital onset", congenital, ("PCS",)),
              ClinicalCourse("HP:0003623", "Neonatal onset", ("PMID:27991736",), ("PCS",)),
              ClinicalCourse("HP:0003677", "Slowly progressive", ("OMIM:147920",), ("TAS",)))
    h = Hypothesis(kind="disease", id="OMIM:147920", label="Kabuki Syndrome 1", rank=1, score=0.9,
                   clinical_course=course)
    assert h.course_summary() == ("Congenital onset [PMID:24019847, PMID:27922244, PMID:29914387 +3 (PCS)]; "
                                  "Neonatal onset [PMID:27991736 (PCS)]; Slowly progressive [OMIM:147920 (TAS)]")
    assert json.loads(json.dumps(h.to_json()))["clinical_course"][0]["references"] == list(congenital)


def test_a_disease_with_an_early_onset_class_is_not_flagged_for_a_young_patient(engine):
    from raretrace.evidence import ClinicalCourse, Hypothesis
    from raretrace.ranking import self_check

    both = (ClinicalCourse("HP:0003593", "Infantile onset"), ClinicalCourse("HP:0003581", "Adult onset"))
    h = Hypothesis(kind="disease", id="OMIM:1", label="x", rank=1, score=0.5, clinical_course=both)
    assert not [f for f in self_check(h, None, (1.0, "age")) if f.code == "onset"]
    late = replace(h, clinical_course=both[1:])
    assert [f.code for f in self_check(late, None, (1.0, "age")) if f.code == "onset"] == ["onset"]
    assert not [f for f in self_check(late, None, (16.0, "age")) if f.code == "onset"]
    assert not [f for f in self_check(late, None, None) if f.code == "onset"]


def test_the_patients_onset_is_the_earliest_of_age_and_feature_onsets():
    from raretrace.case import earliest_onset

    def case(age, *onsets):
        return Case(id="x", age=age, phenotypes=tuple(Phenotype("HP:0001251", onset=o) for o in onsets)
                    + (Phenotype("HP:0001250", excluded=True, onset="HP:0003577"),))  # excluded: not an onset

    assert earliest_onset(case(None)) is None
    assert earliest_onset(case("P30Y")) == (30.0, "this patient's age (30 years)")
    assert earliest_onset(case("P30Y", "HP:0011463")) == (5.0, "the onset of this patient's features (by 5 years)")
    assert earliest_onset(case("P30Y", "P2Y6M", "HP:0011463")) == (
        2.5, "the onset of this patient's features (at 2.5 years)")
    assert earliest_onset(case(None, "HP:0003577"))[1] == "the onset of this patient's features (at birth or before)"
    assert earliest_onset(case("P30Y", "HP:0003674")) == (30.0, "this patient's age (30 years)")  # no class bound
    assert earliest_onset(case("P10D"))[1] == "this patient's age (10 days)"
    assert earliest_onset(case("P3M"))[1] == "this patient's age (3 months)"
    assert earliest_onset(case("P1Y"))[1] == "this patient's age (1 year)"


def test_the_sex_caution_follows_the_modes_words_not_one_spelling_of_its_label():
    from raretrace.evidence import Hypothesis
    from raretrace.ranking import self_check

    for label in ("X-linked recessive inheritance", "X-linked recessive"):  # a release may reword the label
        h = Hypothesis(kind="disease", id="OMIM:1", label="x", rank=1, score=0.5, inheritance_modes=(label,))
        assert [f.code for f in self_check(h, "FEMALE") if f.code == "sex"] == ["sex"]
        assert not [f for f in self_check(h, "MALE") if f.code == "sex"]
    both = Hypothesis(kind="disease", id="OMIM:1", label="x", rank=1, score=0.5,
                      inheritance_modes=("X-linked dominant inheritance", "X-linked recessive inheritance"))
    assert not [f for f in self_check(both, "FEMALE") if f.code == "sex"]


def test_the_text_ranking_counts_each_hypothesis_self_checks(engine, capsys):
    from raretrace.case import load_phenopacket
    from raretrace.cli.analysis_cmds import print_ranking
    from raretrace.paths import resources_dir

    case = load_phenopacket(resources_dir() / "demo" / "demo_case.json")
    result = engine.ranker.analyse(case, top=10)  # phenotype only: the ranker reads no VCF
    print_ranking(result, 10)
    lines = capsys.readouterr().out.splitlines()
    for h in result.diseases:
        line = next(x for x in lines if f" {h.id} " in x and h.label in x)
        warnings = sum(1 for f in h.flags if f.level == "warning")
        assert (f"[{warnings} warning" in line) == (warnings > 0), line
        assert line.endswith("]") == bool(h.flags) or h.source != "hpoa"
    assert any("1 warning" in x for x in lines if "Kabuki" in x)  # its excluded hypotonia and feeding difficulties
    assert "self-check messages: --json" in "\n".join(lines)


def test_a_case_derived_disease_takes_the_mode_its_name_states(engine):
    # Published patients curated with one heterozygous variant each (one of a compound heterozygote's two, say)
    # must not turn "..., autosomal recessive" into a dominant disease: the name states the mode, as for a curated
    # entry HPO annotates none for; the allelic states decide only where the name states none.
    from raretrace.kb import disease_inheritance
    from raretrace.library import LibraryCase
    from raretrace.profiles import infer_inheritance

    het = [LibraryCase(f"c{i}", "PMID:1", "OMIM:999999", "Microcephaly 99, primary, autosomal recessive", ("G",),
                       ("heterozygous",), "FEMALE", ("HP:0000252",), (), "") for i in range(2)]
    assert infer_inheritance(het) == ("HP:0000006",)  # what the states alone say
    prof = engine.ranker.profiles
    derived = [d for d in range(len(prof)) if prof.source[d] == "case_library"]
    named = [d for d in derived if disease_inheritance(prof.labels[d], None)]
    assert named
    for d in named:
        assert prof.inheritance[d] == disease_inheritance(prof.labels[d], None), (prof.ids[d], prof.labels[d])
    # where the shipped library shows it: a recessive microcephaly whose five patients are curated heterozygous
    if "OMIM:621507" in prof.index:
        d = prof.index["OMIM:621507"]
        assert "autosomal recessive" in prof.labels[d].lower()
        assert engine.ranker._mode_labels(prof.inheritance[d]) == ("Autosomal recessive inheritance",)


def test_the_case_derived_self_check_claims_no_more_than_the_release_tells(engine):
    # The HPO release does not annotate a case-derived disease; that does not make the disease newer than the
    # release (OMIM:610549 was described decades before it): the flag says what is known.
    prof, ranker = engine.ranker.profiles, engine.ranker
    d = next(d for d in range(len(prof)) if prof.source[d] == "case_library")
    terms = [engine.ontology.ids[int(t)] for t in prof.direct.getrow(d).indices[:4]]
    patient = ranker.patient(case_from_terms("derived", terms))
    from raretrace.evidence import Hypothesis

    h = ranker._disease_evidence(Hypothesis(kind="disease", id=prof.ids[d], label=prof.labels[d], rank=1, score=0.0,
                                            source="case_library"), d, patient, ranker.features(patient))
    (flag,) = [f for f in h.flags if f.code == "case_derived"]
    assert "newer than" not in flag.message
    assert "does not annotate this disease" in flag.message
    n = len(h.similar_cases)
    assert f"{n} similar {'case' if n == 1 else 'cases'} shown" in flag.message


def test_an_annotated_frequency_is_cited_only_to_publications_that_state_it(engine):
    # HPO annotates Alzheimer disease-4's memory impairment thrice: 2/5 (PMID:9007102), 1/1 (PMID:30104866) and 2/2
    # (PMID:12925374). The largest frequency, 100%, is stated by two publications with different counts: the
    # evidence showed the first row's "1/1" and cited PMID:12925374 for it, which reports 2/2.
    from raretrace.ranking import _stated_frequency

    ranker = engine.ranker
    memory = engine.ontology.resolve("HP:0002354").index
    if "OMIM:606889" in ranker.profiles.index:
        (a,) = [a for a in ranker._disease_annotations(ranker.profiles.index["OMIM:606889"]) if a["term"] == memory]
        assert a["frequency"] == 1.0 and a["frequency_text"] == "3/3"
        assert a["references"] == ("PMID:12925374", "PMID:30104866")
    # KB rows: (id, hpo_id, frequency, frequency_value, reference, qualifier, evidence, sex)
    one, two = (1, "HP:1", "1/1", 1.0, "PMID:1", "", "PCS", ""), (2, "HP:1", "2/2", 1.0, "PMID:2", "", "PCS", "")
    assert _stated_frequency([one, two]) == ("3/3", [one, two])
    assert _stated_frequency([one]) == ("1/1", [one])
    # 50% stated by one publication and assumed for one stating none: cited to the one that states it
    unstated, half = (3, "HP:1", "", None, "PMID:3", "", "PCS", ""), (4, "HP:1", "5/10", 0.5, "PMID:4", "", "PCS", "")
    assert _stated_frequency([unstated, half]) == ("5/10", [half])
    assert _stated_frequency([unstated]) == ("not stated", [unstated])
    # a frequency term beside a count of the same value: the count, only with its own publication
    obligate = (5, "HP:1", "HP:0040280", 1.0, "PMID:5", "", "PCS", "")
    assert _stated_frequency([obligate, one]) == ("1/1", [one])
    assert _stated_frequency([obligate]) == ("HP:0040280", [obligate])
    # counts are added across distinct publications only: a statement annotated twice counts once (HPO has 1/1 by
    # PMID:28619360 twice for CDG IIh's scoliosis), and one publication's two counts are not added up
    again = (6, "HP:1", "1/1", 1.0, "PMID:1", "", "PCS", "")
    assert _stated_frequency([one, again]) == ("1/1", [one, again])
    cohort, subset = (7, "HP:1", "38/38", 1.0, "PMID:7", "", "PCS", ""), (8, "HP:1", "5/5", 1.0, "PMID:7", "", "PCS", "")
    assert _stated_frequency([subset, cohort]) == ("38/38", [cohort])
    assert _stated_frequency([one, cohort, subset])[0] == "38/38"


@pytest.mark.parametrize(
    ("ics", "words"),
    [((), "none of the patient's features matches a feature annotated for this disease."),
     ((1.0, 2.0), "no specific feature match; 2 matches on features common to many diseases (IC below 3)."),
     ((1.0,), "no specific feature match; 1 match on features common to many diseases (IC below 3)."),
     ((4.0,), "only 1 specific feature match; no other match."),
     ((4.0, 1.0, 2.0),
      "only 1 specific feature match; the other 2 matches on features common to many diseases (IC below 3)."),
     ((4.0, 1.0), "only 1 specific feature match; the other 1 match on features common to many diseases (IC below 3).")],
)
def test_the_weak_evidence_check_counts_general_matches_apart_from_the_specific_one(ics, words):
    from raretrace.evidence import FeatureMatch, Hypothesis
    from raretrace.ranking import self_check

    matched = tuple(FeatureMatch(f"HP:{i:07d}", "x", "exact", ic=ic) for i, ic in enumerate(ics))
    h = Hypothesis(kind="disease", id="OMIM:1", label="x", rank=1, score=0.5, matched=matched)
    (flag,) = [f for f in self_check(h) if f.code == "weak_evidence"]
    assert flag.message.endswith(words)


@pytest.mark.parametrize("kind", ["disease", "gene"])
def test_the_weak_evidence_check_says_once_that_nothing_matches(kind):
    # HTR1A in the demo, a gene none of whose diseases' features the patient has: the flag read "no specific feature
    # match; no match at all", the same thing twice
    from raretrace.evidence import FeatureMatch, Hypothesis
    from raretrace.ranking import self_check

    unexplained = (FeatureMatch("HP:0000252", "Microcephaly", "unmatched"),)
    h = Hypothesis(kind=kind, id="HTR1A" if kind == "gene" else "OMIM:1", label="x", rank=2, score=0.01,
                   unexplained=unexplained)
    (flag,) = [f for f in self_check(h) if f.code == "weak_evidence"]
    annotated = "this disease" if kind == "disease" else "this gene's diseases"
    assert flag.message == ("Rests on weak evidence: none of the patient's features matches a feature annotated "
                            f"for {annotated}."), flag.message
    assert flag.message.count("match") == 1


def test_the_weak_evidence_check_does_not_call_an_exact_match_on_a_common_feature_a_match_through_general_terms():
    # White-Sutton syndrome for a child with intellectual disability, autism, speech and global delay: four exact
    # matches, shown as "exact", on features many diseases share; the flag said they matched "through general terms"
    from raretrace.evidence import FeatureMatch, Hypothesis
    from raretrace.ranking import self_check

    matched = (FeatureMatch("HP:0000729", "Autistic behavior", "exact", "HP:0000729", ic=3.03),
               FeatureMatch("HP:0001249", "Intellectual disability", "exact", "HP:0001249", ic=1.34),
               FeatureMatch("HP:0001263", "Global developmental delay", "exact", "HP:0001263", ic=1.53))
    h = Hypothesis(kind="disease", id="OMIM:616364", label="White-Sutton syndrome", rank=1, score=0.1, matched=matched)
    (flag,) = [f for f in self_check(h) if f.code == "weak_evidence"]
    assert "through general terms" not in flag.message
    assert flag.message.endswith("the other 2 matches on features common to many diseases (IC below 3).")


def test_self_check_messages_count_in_words_not_with_plural_brackets():
    # read in the PDF's self-check column and the GUI alike: "1 match(es)", "1 similar case(s) shown" and "1 of the
    # patient's features are not explained" are not how a clinical report counts
    from raretrace.evidence import ExcludedConflict, FeatureMatch, Hypothesis, NegatedConflict
    from raretrace.ranking import self_check

    def flags(n: int) -> str:
        conflicts = tuple(ExcludedConflict(f"HP:{i:07d}", f"excluded {i}", f"HP:{i:07d}", f"excluded {i}", 0.9, "9/10")
                          for i in range(n))
        negated = tuple(NegatedConflict(f"HP:{i:07d}", f"present {i}", f"HP:{i:07d}", f"present {i}")
                        for i in range(n))
        unexplained = tuple(FeatureMatch(f"HP:1{i:06d}", f"unexplained {i}", "unmatched") for i in range(n))
        h = Hypothesis(kind="disease", id="OMIM:1", label="x", rank=1, score=0.1, source="case_library",
                       conflicts=conflicts, negated=negated, unexplained=unexplained)
        return " ".join(f.message for f in self_check(h))

    one, two = flags(1), flags(2)
    for text in (one, two):
        assert "(s)" not in text and "(es)" not in text, text
    assert "Conflicts with an excluded feature that at least half" in one
    assert "Conflicts with excluded features that at least half" in two
    assert "The patient has a feature this disease is annotated not to have" in one
    assert "The patient has features this disease is annotated not to have" in two
    assert "1 of the patient's features is not explained" in one
    assert "2 of the patient's features are not explained" in two
    assert "0 similar cases shown" in one


@pytest.mark.parametrize("code", ["conflict", "negated"])
def test_a_conflict_flag_naming_three_features_says_how_many_more_there_are(code):
    # a congenital disorder of glycosylation against a patient with four of its frequent features excluded: the
    # flag named three as if they were all; the most frequent are named, each feature once
    from raretrace.evidence import ExcludedConflict, Hypothesis, NegatedConflict
    from raretrace.ranking import self_check

    features = [("HP:0000252", "Microcephaly", "2/3"), ("HP:0001250", "Seizure", "4/4"),
                ("HP:0001252", "Hypotonia", "4/4"), ("HP:0011968", "Feeding difficulties", "3/3")]
    if code == "conflict":
        items = {"conflicts": tuple(ExcludedConflict(t, lbl, t, lbl, int(f[0]) / int(f[2]), f) for t, lbl, f in features)}
        expected = "Seizure, Hypotonia, Feeding difficulties and 1 more."
    else:
        items = {"negated": tuple(NegatedConflict(t, lbl, t, lbl, "NOT annotation") for t, lbl, _ in features)
                 + (NegatedConflict("HP:0001250", "Seizure", "HP:0012638", "Abnormal nervous system physiology"),)}
        expected = "Microcephaly, Seizure, Hypotonia and 1 more."
    h = Hypothesis(kind="disease", id="OMIM:612015", label="CDG In", rank=1, score=0.1, **items)
    (flag,) = [f for f in self_check(h) if f.code == code]
    assert flag.message.endswith(expected), flag.message


def test_the_published_cases_sentence_agrees_in_number_with_one_similar_case():
    from raretrace.evidence import Hypothesis, SimilarCase

    one = SimilarCase("c1", "PMID:1", "OMIM:1", "x", None, (), (), 0.1)
    h = Hypothesis(kind="disease", id="OMIM:1", label="x", rank=1, score=0.5, published_cases=1, published_papers=1,
                   similar_cases=(one,))
    assert h.published_summary().endswith("; the most similar shares none of this patient's features exactly, "
                                          "only related ones")
    two = Hypothesis(kind="disease", id="OMIM:1", label="x", rank=1, score=0.5, published_cases=2,
                     published_papers=1, similar_cases=(one, one))
    assert "; the most similar share none" in two.published_summary()


def test_many_alternative_ids_are_named_three_and_counted_beyond(engine):
    from raretrace.case import case_from_terms

    ranker = engine.ranker_for(case_from_terms("x", ["HP:0001250"]))
    alternatives = [a for a, current in sorted(ranker.onto.alt_ids.items()) if ranker.onto.phenotypic[
        ranker.onto.index[current]]][:6]
    patient = ranker.patient(case_from_terms("alts", alternatives))
    assert len(patient.replaced) == 6
    analysed = {ranker.onto.ids[t] for t in patient.present}
    assert analysed and analysed <= {current for _, current in patient.replaced}  # all analysed, as their current IDs
    named = [w for w in patient.warnings if "alternative ID" in w and w.startswith("HP:")]
    assert len(named) == 3  # one line each for the first three, then a count: an old case does not flood the output
    assert any(w.startswith("3 more term(s) entered with an obsolete or alternative ID") for w in patient.warnings)


def _broken_models(folder: Path) -> dict[str, Path]:
    """Models that load in onnxruntime but cannot rank this version's features of this KB's diseases."""
    onnx = pytest.importorskip("onnx")
    sys.path.insert(0, str(MODELS))
    from export import export_scorer, parameters

    source = MODELS / "disease_ranker.onnx"
    p, names = parameters(source), list(FEATURES)
    made = {}

    def exported(name: str, features: list[str], **changed) -> None:
        q = {**p, **changed}
        made[name] = folder / name / "disease_ranker.onnx"
        export_scorer(made[name], features, q["mean"], q["scale"], q["W1"], q["b1"], q["w2"], q["b2"],
                      q["w_linear"], {})

    k = len(names) - 1
    exported("fewer-features", names[:k], mean=p["mean"][:k], scale=p["scale"][:k], W1=p["W1"][:k],
             w_linear=p["w_linear"][:k])
    exported("reordered-features", names[::-1])
    exported("damaged-weights", names, scale=np.zeros_like(p["scale"]))  # NaN and infinite scores
    model = onnx.load(str(source))  # a fixed disease count of another knowledge base
    model.graph.input[0].type.tensor_type.shape.dim[2].dim_value = 100
    made["other-diseases"] = folder / "other-diseases" / "disease_ranker.onnx"
    made["other-diseases"].parent.mkdir()
    onnx.save(model, str(made["other-diseases"]))
    return made


def test_a_model_that_does_not_fit_is_refused_when_loaded_in_one_line(engine, tmp_path, capsys, monkeypatch):
    from raretrace.cli import main
    from raretrace.ranking import Ranker

    # these gave onnxruntime's multi-line InvalidArgument at the first case ("internal error", exit 1), or, for
    # reordered features or damaged weights, a ranking with no disease in it (NaN scores sort nowhere), exit 0
    models = _broken_models(tmp_path)
    for name, path in models.items():
        ranker = Ranker(engine.db, engine.ontology, device="cpu", model_path=path, library=engine.ranker.all_library)
        with pytest.raises(RareTraceError, match="does not fit this version of RareTrace") as caught:
            ranker.model  # noqa: B018
        assert "\n" not in str(caught.value), name
    assert engine.ranker.model.device == "cpu"  # the shipped model fits
    packet = tmp_path / "case.json"
    packet.write_text(json.dumps({"id": "c", "phenotypicFeatures": [{"type": {"id": t}} for t in PFEIFFER]}))
    monkeypatch.setenv("RARETRACE_MODELS", str(models["damaged-weights"].parent))
    out = tmp_path / "out.jsonl"
    assert main(["--kb", str(engine.kb_path), "batch", str(packet), "--out", str(out), "--device", "cpu"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: the ranking model") and not out.exists()


def test_a_disease_of_many_genes_says_how_many_the_line_leaves_out(engine, capsys):
    from dataclasses import replace

    from raretrace.case import load_phenopacket
    from raretrace.cli.analysis_cmds import print_ranking
    from raretrace.paths import resources_dir

    result = engine.ranker.analyse(load_phenopacket(resources_dir() / "demo" / "demo_case.json"), top=3)
    many = replace(result.diseases[0], genes=("KMT2D", "KDM6A", "RAP1A", "RAP1B", "HNRNPK"))
    print_ranking(replace(result, diseases=(many, *result.diseases[1:])), 3)
    line = next(x for x in capsys.readouterr().out.splitlines() if many.id in x)
    assert "(KMT2D, KDM6A, RAP1A and 2 more)" in line  # as the PDF says it, not three genes read as all


def test_the_engine_tables_leave_cyclic_collections_when_they_load_and_an_analysis_freezes_nothing(kb_path):
    # Every collection of the oldest generation walked the engine's tables (~110,000 objects), 0.1-0.2 s several
    # times per exome analysis with nothing to free, the window's thread standing still meanwhile. They are frozen
    # once, as they load: a full collection and freeze after every analysis was a cost of its own.
    import gc
    import weakref

    from raretrace.analysis import run_analysis
    from raretrace.engine import Engine

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # garbage in a reference cycle when the tables load: collected, never frozen
    gone = weakref.ref(a)
    del a, b
    fresh = Engine(kb_path, device="cpu")
    ranker = fresh.ranker
    assert gone() is None
    assert not any(o is ranker or o is ranker.library for o in gc.get_objects())
    case = case_from_terms("frozen", ["HP:0001156", "HP:0001363"])
    run_analysis(fresh, case, top=5)  # the model loads with the first
    frozen = gc.get_freeze_count()
    run_analysis(fresh, case, top=5)
    assert gc.get_freeze_count() == frozen


def test_an_engine_let_go_frees_its_tables_though_they_are_kept_out_of_cyclic_collections(kb_path):
    # Frozen tables are freed only by their reference counts: the extractor's memo of its own bound method made a
    # cycle that no collection would ever look at again, so each knowledge base reloaded in the window (a rebuild,
    # phenopackets added to the library) kept the last one's extractor and ontology: ~95 MB each time
    import weakref

    from raretrace.engine import Engine

    fresh = Engine(kb_path, device="cpu")
    tables = {name: weakref.ref(getattr(fresh, name)) for name in ("ontology", "search", "extractor", "ranker")}
    del fresh
    assert [name for name, table in tables.items() if table() is not None] == []


@pytest.mark.parametrize("raw, shown", [
    ("Autoimmune polyendocrinopathy syndrome , type I, with or without reversible metaphyseal dysplasia",
     "Autoimmune polyendocrinopathy syndrome, type I, with or without reversible metaphyseal dysplasia"),
    ("Spastic  paraplegia 4 ; dominant ", "Spastic paraplegia 4; dominant"),
    ("Deafness ( autosomal recessive ) .", "Deafness (autosomal recessive)."),
    ("Chromosome 1p36 deletion syndrome", "Chromosome 1p36 deletion syndrome"),
    ("Progressive external ophthalmoplegia with mitochondrial DNA deletions,autosomal dominant, 6",
     "Progressive external ophthalmoplegia with mitochondrial DNA deletions, autosomal dominant, 6"),
    ("N,N-dimethylglycine dehydrogenase deficiency", "N,N-dimethylglycine dehydrogenase deficiency"),
    ("2,4-Dienoyl-CoA reductase deficiency", "2,4-Dienoyl-CoA reductase deficiency"),
    ("Apolipoprotein A-II deficiency] ", "[Apolipoprotein A-II deficiency]"),
    ("[Bilirubin, serum level of, QTL1]", "[Bilirubin, serum level of, QTL1]"),
])
def test_a_source_names_spacing_typos_are_tidied_for_display(raw, shown):
    from raretrace.words import tidy_name

    assert tidy_name(raw) == shown


def test_disease_names_read_from_the_knowledge_base_are_shown_tidied_and_their_ids_kept(engine):
    # HPO copies OMIM:240300's name with a space before a comma; the hypothesis, its published cases' diagnosis and
    # every renderer showed "syndrome , type I". Tidied once where the names are read; the KB and the ID unchanged.
    (raw,) = engine.db.execute("SELECT label FROM diseases WHERE id = 'OMIM:240300'").fetchone()
    assert "syndrome , type I" in raw
    result = engine.ranker.analyse(case_from_terms("apeced", ["HP:0008209", "HP:0002024", "HP:0002582", "HP:0001096",
                                                              "HP:0000829", "HP:0002960"]), top=3)
    h = next(h for h in result.diseases if h.id == "OMIM:240300")
    expected = "Autoimmune polyendocrinopathy syndrome, type I, with or without reversible metaphyseal dysplasia"
    assert h.label == expected
    assert h.similar_cases and {s.disease_label for s in h.similar_cases if s.disease_id == h.id} == {expected}
    assert all(lbl == expected for g in result.genes for did, lbl in g.diseases if did == h.id)


def test_excluded_features_recorded_absent_in_a_diseases_published_patients_are_shown_and_counted(engine):
    from raretrace.library import LibraryCase
    from raretrace.ranking import Ranker

    # two published Pfeiffer patients recorded without microcephaly and seizures; one without hearing loss
    def patient(n: int, excluded: tuple[str, ...]) -> LibraryCase:
        return LibraryCase(case_id=f"c{n}", pmid=f"PMID:{n}", disease_id="OMIM:101600", disease_label="Pfeiffer",
                           genes=("FGFR2",), allelic_states=("heterozygous",), sex="MALE",
                           present=("HP:0001363",), excluded=excluded, cohort="FGFR2")

    library = [patient(1, ("HP:0000252", "HP:0001250")), patient(2, ("HP:0000252", "HP:0001250")),
               patient(3, ("HP:0000365",))]
    ranker = Ranker(engine.db, engine.ontology, device="cpu", library=library)
    d, col = ranker.profiles.index["OMIM:101600"], FEATURES.index("excluded_case_similarity")

    def similarity(excluded: list[str]) -> float:
        return float(ranker.features(ranker.patient(case_from_terms("p", PFEIFFER, excluded))).values[d, col])

    # the best three cases' cosines, averaged: 1, 1 and 0 for the same two absent features
    assert similarity(["HP:0000252", "HP:0001250"]) == pytest.approx(2 / 3, abs=1e-5)
    assert 0 < similarity(["HP:0000252", "HP:0000478"]) < similarity(["HP:0000252", "HP:0001250"])
    assert similarity([]) == 0 and similarity(["HP:0000478"]) == 0  # none recorded, none shared
    other = ranker.profiles.index["OMIM:123500"]  # Crouzon syndrome: no published case in this library
    values = ranker.features(ranker.patient(case_from_terms("p", PFEIFFER, ["HP:0000252"]))).values
    assert values[other, col] == 0
    # the evidence names the absent features the published patients share, in GUI, PDF and JSON alike
    result = ranker.analyse(case_from_terms("p", PFEIFFER, ["HP:0000252", "HP:0001250"]), top=20)
    h = next(h for h in result.diseases if h.id == "OMIM:101600")
    first = h.similar_cases[0]
    assert set(first.shared_absent_terms) == {"HP:0000252", "HP:0001250"}
    assert "also without Microcephaly" in first.shared_text()


def test_findings_assessed_in_a_diseases_published_patients_count_whether_present_or_absent(engine):
    from raretrace.library import LibraryCase
    from raretrace.ranking import Ranker

    # one published Pfeiffer patient has seizures, another is recorded without them; neither mentions hearing
    def patient(n: int, present: tuple[str, ...], excluded: tuple[str, ...]) -> LibraryCase:
        return LibraryCase(case_id=f"c{n}", pmid=f"PMID:{n}", disease_id="OMIM:101600", disease_label="Pfeiffer",
                           genes=("FGFR2",), allelic_states=("heterozygous",), sex="MALE",
                           present=present, excluded=excluded, cohort="FGFR2")

    library = [patient(1, ("HP:0001363", "HP:0001250"), ()), patient(2, ("HP:0001363",), ("HP:0001250",))]
    ranker = Ranker(engine.db, engine.ontology, device="cpu", library=library)
    d, col = ranker.profiles.index["OMIM:101600"], FEATURES.index("assessed_case_similarity")

    def assessed(present: list[str], excluded: list[str]) -> float:
        return float(ranker.features(ranker.patient(case_from_terms("p", present, excluded))).values[d, col])

    # craniosynostosis present and seizures absent: both assessed in both published patients, whichever way
    both = assessed(["HP:0001363"], ["HP:0001250"])
    assert both == pytest.approx(assessed(["HP:0001363", "HP:0001250"], []), abs=1e-6)
    assert 0.99 < both <= 1.0 + 1e-6
    # hearing loss recorded absent was assessed in neither: it lowers the similarity, and alone gives none
    assert assessed(["HP:0001363"], ["HP:0001250", "HP:0000365"]) < both
    assert assessed([], ["HP:0000365"]) == 0
    other = ranker.profiles.index["OMIM:123500"]  # Crouzon syndrome: no published case in this library
    assert ranker.features(ranker.patient(case_from_terms("p", ["HP:0001363"], ["HP:0001250"]))).values[other, col] == 0
    # the evidence shows the finding recorded the other way beside the shared ones, in GUI, PDF and JSON alike
    result = ranker.analyse(case_from_terms("p", ["HP:0001363"], ["HP:0001250"]), top=20)
    shown = {s.case_id: s for s in next(h for h in result.diseases if h.id == "OMIM:101600").similar_cases}
    assert shown["c1"].published_with_terms == ("HP:0001250",) and shown["c2"].published_with_terms == ()
    assert shown["c1"].published_without_terms == () and shown["c2"].shared_absent_terms == ("HP:0001250",)
    assert shown["c1"].shared_text().endswith("; but with Seizure")
    # the other way: this patient has seizures, the second published patient is recorded without them
    result = ranker.analyse(case_from_terms("p", ["HP:0001363", "HP:0001250"]), top=20)
    shown = {s.case_id: s for s in next(h for h in result.diseases if h.id == "OMIM:101600").similar_cases}
    assert shown["c2"].published_without_terms == ("HP:0001250",) and shown["c2"].published_with_terms == ()
    assert shown["c2"].shared_text().endswith("; but without Seizure")


def test_a_published_patient_recorded_without_a_finding_its_own_features_imply_has_it_not_differs(engine):
    from raretrace.library import LibraryCase
    from raretrace.ranking import Ranker

    # a curation slip in the library: focal-onset seizures recorded, and Seizure recorded absent. A patient's own
    # such pair is read as present (Ranker.patient); the published one's was shown as both shared and different
    # ("Seizure; but without Seizure"), and as sharing this patient's absent seizures
    library = [LibraryCase(case_id="c1", pmid="PMID:1", disease_id="OMIM:101600", disease_label="Pfeiffer",
                           genes=("FGFR2",), allelic_states=("heterozygous",), sex="MALE",
                           present=("HP:0001363", "HP:0007359"), excluded=("HP:0001250", "HP:0000252"),
                           cohort="FGFR2")]
    ranker = Ranker(engine.db, engine.ontology, device="cpu", library=library)

    def shown(present: list[str], excluded: list[str]):
        result = ranker.analyse(case_from_terms("p", present, excluded), top=20)
        return next(h for h in result.diseases if h.id == "OMIM:101600").similar_cases[0]

    with_seizures = shown(["HP:0001363", "HP:0001250"], ["HP:0000252"])
    assert "HP:0001250" in with_seizures.shared_terms and with_seizures.published_without_terms == ()
    assert with_seizures.shared_text() == "Seizure, Craniosynostosis; also without Microcephaly"
    # this patient has none: the published one has them, as its focal-onset seizures say
    without_seizures = shown(["HP:0001363"], ["HP:0001250", "HP:0000252"])
    assert without_seizures.shared_absent_terms == ("HP:0000252",)
    assert without_seizures.published_with_terms == ("HP:0001250",)


def test_holding_publications_out_of_hpo_annotations_removes_only_the_rows_citing_them(engine):
    from raretrace.profiles import load_profiles
    from raretrace.ranking import Ranker

    db, onto = engine.db, engine.ontology
    # a disease annotated from several publications: one feature only one of them states, one that others state too
    rows = db.execute("SELECT disease_id, hpo_id, reference FROM disease_annotations WHERE aspect = 'P' AND "
                      "reference LIKE 'PMID:%' AND (qualifier IS NULL OR qualifier = '') ORDER BY id").fetchall()
    refs: dict[tuple[str, str], set[str]] = {}
    for disease, term, ref in rows:
        refs.setdefault((disease, term), set()).add(ref)
    by_disease: dict[str, list[tuple[str, set[str]]]] = {}
    for (disease, term), cited in refs.items():
        by_disease.setdefault(disease, []).append((term, cited))
    disease, pmid, only, shared = next(
        (d, p, o, s) for d, terms in by_disease.items() for o, c in terms if len(c) == 1 for p in c
        for s, c2 in terms if p in c2 and len(c2) > 1 and o != s and onto.resolve(s).index != onto.resolve(o).index)
    standard = load_profiles(db, onto, [])
    held_out = load_profiles(db, onto, [], exclude_references=frozenset({pmid}))
    d, t_only, t_shared = standard.index[disease], onto.resolve(only).index, onto.resolve(shared).index
    assert standard.direct[d, t_only] > 0 and standard.direct[d, t_shared] > 0
    assert held_out.direct[d, t_only] == 0  # stated by the held-out publication alone
    assert held_out.direct[d, t_shared] > 0  # another publication states it too
    assert held_out.direct.nnz < standard.direct.nnz
    # the ranker holds them out only when asked: its case library exclusion alone leaves HPO's annotations whole
    library = [c for c in engine.ranker.all_library if c.pmid != pmid]
    plain = Ranker(db, onto, device="cpu", library=library, exclude_pmids=frozenset({pmid}))
    strict = Ranker(db, onto, device="cpu", library=library, exclude_pmids=frozenset({pmid}), hold_out_annotations=True)
    assert plain.profiles.direct[d, t_only] > 0 and strict.profiles.direct[d, t_only] == 0


def test_a_gene_the_diseases_published_patients_do_not_carry_takes_a_smaller_part_of_its_score(engine):
    # HPO links Kabuki syndrome 1 to KDM6A beside KMT2D; each took the disease's whole posterior, and KDM6A, which also
    # takes Kabuki syndrome 2's, ranked first for a patient of Kabuki syndrome 1 whose published patients carry KMT2D
    from raretrace.bench.accuracy import library_case_to_input
    from raretrace.ranking import Ranker

    ranker = engine.ranker
    d = ranker.profiles.index["OMIM:147920"]
    kmt2d, kdm6a = ranker.gene_index["KMT2D"], ranker.gene_index["KDM6A"]
    carriers = sum("KMT2D" in c.genes for c in ranker.library if c.disease_id == "OMIM:147920")
    assert carriers > 10 and not any("KDM6A" in c.genes for c in ranker.library if c.disease_id == "OMIM:147920")
    assert ranker.gene_matrix[kmt2d, d] == 1.0
    assert ranker.gene_matrix[kdm6a, d] == pytest.approx(0.5 / (carriers + 0.5))
    assert ranker.gene_matrix[kdm6a, ranker.profiles.index["OMIM:300867"]] == 1.0  # Kabuki syndrome 2: its own gene
    # without published patients each gene takes the whole posterior, as HPO gives no way to tell them apart
    bare = Ranker(engine.db, engine.ontology, device="cpu", library=[])
    d, kmt2d, kdm6a = bare.profiles.index["OMIM:147920"], bare.gene_index["KMT2D"], bare.gene_index["KDM6A"]
    assert bare.gene_matrix[kdm6a, d] == bare.gene_matrix[kmt2d, d] == 1.0
    # a published patient of Kabuki syndrome 1, ranked with a library lacking their publication
    patient = next(c for c in ranker.all_library if c.case_id == "PMID_25142838_P1")
    case, _truth = library_case_to_input(patient)
    own = engine.ranker_for(case)
    result = own.analyse(case, top=5)
    assert result.diseases[0].id == "OMIM:147920"
    assert [h.id for h in result.genes[:2]] == ["KMT2D", "KDM6A"]
    (flag,) = [f for f in result.genes[1].flags if f.code == "gene_share"]
    share = own.gene_matrix[own.gene_index["KDM6A"], own.profiles.index["OMIM:147920"]]
    assert share < 0.05 and flag.level == "info"
    assert flag.message.startswith(f"Takes {share:.0%} of Kabuki Syndrome 1's score: none of its ")
    assert "carried a causal variant in KDM6A (by gene: KMT2D " in flag.message
    assert not [f for f in result.genes[0].flags if f.code == "gene_share"]


def test_a_gene_s_share_in_words_is_never_zero_percent():
    # a disease with 200 published patients of one gene leaves another gene 0.25%, which printed as "Takes 0% of"
    from raretrace.ranking import share_text

    assert [share_text(x) for x in (0.5, 0.0108, 0.5 / 200.5, 0.0001)] == ["50%", "1%", "less than 1%", "less than 1%"]


def test_an_omim_entry_is_also_scored_by_its_orphanet_twins_description(engine):
    # OMIM:612164 (developmental and epileptic encephalopathy 4, STXBP1) and ORPHA:599373 (STXBP1-related
    # encephalopathy) are one disease in Mondo; a patient with features only Orphanet annotates fits it too.
    ranker = engine.ranker
    prof = ranker.profiles
    omim, orpha = prof.index["OMIM:612164"], prof.index["ORPHA:599373"]
    assert orpha in ranker._twins_of[omim] and ranker.is_orpha[orpha] == 1
    only = sorted(set(prof.direct[orpha].indices.tolist()) - set(prof.direct[omim].indices.tolist()),
                  key=lambda i: (-ranker.ic[i], i))[:5]
    terms = ["HP:0001250", *(ranker.onto.ids[i] for i in only)]
    case = case_from_terms("p", terms)
    values = ranker.features(ranker.patient(case)).values
    raw = ranker.score([values], twins=False)[0][0]
    merged = ranker.score([values])[0][0]
    # the twin scored without its hold-down, and added as a second description of the same disease
    rows = np.array(values[[omim, orpha]], dtype=np.float32)
    rows[1, FEATURES.index("orphanet")] = 0.0
    own, twin = ranker.model.run({"features": np.ascontiguousarray(rows.T)[None]})[0][0]
    assert merged[omim] == pytest.approx(float(np.logaddexp(own, twin)), abs=1e-4)
    assert merged[orpha] == pytest.approx(float(raw[orpha]), abs=1e-4)  # the twin itself stays held down
    assert int(np.sum(merged > merged[omim])) < int(np.sum(raw > raw[omim]))  # the OMIM entry ranks higher
    # an entry without a twin keeps its own score
    alone = next(d for d in range(len(prof)) if prof.ids[d].startswith("OMIM:") and d not in ranker._twins_of)
    assert merged[alone] == pytest.approx(float(raw[alone]), abs=1e-4)
    # and the evidence says what the twin added, so that the contributions still add up to the score
    h = next(h for h in ranker.analyse(case, top=len(prof)).diseases if h.id == "OMIM:612164")
    gain = [c.value for c in h.contributions if c.group == TWIN_GROUP]
    assert gain == [pytest.approx(float(merged[omim] - raw[omim]), abs=1e-3)] and gain[0] > 0
    said = [f.message for f in h.flags if f.code == "orphanet_description"]
    assert len(said) == 1 and "ORPHA:599373 STXBP1-related encephalopathy" in said[0] and f"{gain[0]:+.2f}" in said[0]
