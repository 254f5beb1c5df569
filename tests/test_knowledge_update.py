"""Knowledge freshness: a KB rebuilt from another HPO release folder is used by ranking, search and extraction,
and published cases added to the case library become rankable, cited diseases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from mini_release import write_release

from raretrace.case import case_from_terms
from raretrace.engine import Engine
from raretrace.kb import build_kb, kb_info, stale_release_warning
from raretrace.library import add_phenopackets


@pytest.fixture(scope="module")
def mini_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_release(tmp_path_factory.mktemp("hpo-2026"))
    return build_kb(tmp_path_factory.mktemp("kb") / "mini.sqlite", folder)


def test_a_newer_release_is_picked_up_by_search_ranking_and_extraction(mini_kb):
    engine = Engine(mini_kb, device="cpu")
    info = kb_info(engine.db)
    assert info["hpo_release"] == "2026-10-01" and info["terms"] == 16
    assert engine.search.search("glimmering retinal speckles")[0].id == "HP:0099901"
    hit = engine.search.search("HP:0099902")[0]
    assert hit.id == "HP:0099901" and "obsolete" in hit.notice
    result = engine.ranker.analyse(case_from_terms("new", ["HP:0099901", "HP:0000252"]), top=3)
    assert result.diseases[0].id == "OMIM:621999"
    assert result.genes[0].id == "GENED"
    assert result.versions["hpo_release"] == "2026-10-01"
    terms = engine.extractor.extract("The child has glimmering retinal speckles but no seizures.")
    found = {(t.id, t.excluded) for t in terms}
    assert ("HP:0099901", False) in found and ("HP:0001250", True) in found


def test_stale_release_warning():
    assert stale_release_warning("2025-01-16", today=1795000000.0)  # November 2026
    assert stale_release_warning("2026-10-01", today=1795000000.0) is None


def _phenopacket(case_id: str, pmid: str, disease: tuple[str, str], gene: str, features: list[str]) -> dict:
    return {
        "id": case_id,
        "subject": {"id": "P1", "sex": "FEMALE"},
        "phenotypicFeatures": [{"type": {"id": f, "label": ""}} for f in features],
        "interpretations": [{"id": "i", "progressStatus": "SOLVED", "diagnosis": {
            "disease": {"id": disease[0], "label": disease[1]},
            "genomicInterpretations": [{"subjectOrBiosampleId": "P1", "interpretationStatus": "CAUSATIVE",
                                        "variantInterpretation": {"variationDescriptor": {
                                            "id": "v", "geneContext": {"valueId": "HGNC:1", "symbol": gene},
                                            "allelicState": {"id": "GENO:0000136", "label": "homozygous"}}}}]}}],
        "metaData": {"externalReferences": [{"id": pmid}]},
    }


def test_library_add_makes_a_new_disease_rankable_with_citations(kb_path, tmp_path):
    # The real KB: the mini release annotates almost nothing, so every library disease would be case-derived there.
    kb = tmp_path / "kb.sqlite"
    kb.write_bytes(kb_path.read_bytes())
    folder = tmp_path / "cases"
    folder.mkdir()
    for n in range(3):
        data = _phenopacket(f"case{n}", f"PMID:9990{n}", ("OMIM:622000", "Macro-brachy syndrome"), "GENEX",
                            ["HP:0000256", "HP:0001156", "HP:0004322"][: 2 + (n % 2)])
        (folder / f"case{n}.json").write_text(json.dumps(data))
    (folder / "unsolved.json").write_text(json.dumps({"id": "u", "phenotypicFeatures": []}))
    before = int(kb_info(Engine(kb).db)["case_library"]["cases"])
    added, warnings = add_phenopackets(kb, [folder])
    assert added == 3 and len(warnings) == 2 and "no diagnosis" in warnings[0]
    assert "OMIM:622000" in warnings[1] and "newer than the HPO release" in warnings[1]  # a typo would look the same
    engine = Engine(kb, device="cpu")
    assert int(kb_info(engine.db)["case_library"]["cases"]) == before + 3
    # among the first ten for its patients' own three (generic) features, beside Hypochondroplasia and Robinow
    # syndromes that HPO annotates with them (its rank is the model's: 2nd with the model of the twenty-eighth
    # session, 8th with the retrained one, which ranks case-derived diagnoses of fold 0 no worse: recall@1 0.056 -> 0.064)
    result = engine.ranker.analyse(case_from_terms("q", ["HP:0000256", "HP:0001156", "HP:0004322"]), top=10)
    new = next(h for h in result.diseases if h.id == "OMIM:622000")
    assert new.source == "case_library" and new.genes == ("GENEX",)
    assert any(f.code == "case_derived" for f in new.flags)
    assert {"PMID:99900", "PMID:99901", "PMID:99902"} & {r for m in new.matched for r in m.references}
    assert all(c.pmid.startswith("PMID:999") for c in new.similar_cases)


def test_library_add_from_the_command_line(mini_kb, tmp_path):
    kb = tmp_path / "kb.sqlite"
    kb.write_bytes(mini_kb.read_bytes())
    case = tmp_path / "c.json"
    case.write_text(json.dumps(_phenopacket("c", "PMID:1", ("OMIM:622001", "X syndrome"), "GENEY", ["HP:0000256"])))
    proc = subprocess.run([sys.executable, "-m", "raretrace", "--kb", str(kb), "case", "library", "add", str(case)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    info = subprocess.run([sys.executable, "-m", "raretrace", "--kb", str(kb), "kb", "info", "--json"],
                          capture_output=True, text=True)
    sources = json.loads(info.stdout)["case_library"]["sources"]  # a list, not JSON inside a string
    assert "1 phenopackets" in sources[-1]["source"]


def test_a_rebuilt_library_with_the_same_cases_is_the_same_library(tmp_path):
    """Re-analysis compares the versions an analysis names: a KB rebuilt at another time from the same release and
    library must name the same case library, and a case added must change it."""
    folder = write_release(tmp_path / "hpo")
    first = build_kb(tmp_path / "a.sqlite", folder)
    second = build_kb(tmp_path / "b.sqlite", folder)
    case = case_from_terms("q", ["HP:0000256"])
    one = Engine(first, device="cpu").ranker.analyse(case, top=1).versions["case_library"]
    two = Engine(second, device="cpu").ranker.analyse(case, top=1).versions["case_library"]
    assert one == two and "content " in one
    data = _phenopacket("c", "PMID:1", ("OMIM:622001", "X syndrome"), "GENEY", ["HP:0000256"])
    (tmp_path / "c.json").write_text(json.dumps(data))
    add_phenopackets(second, [tmp_path / "c.json"])
    assert Engine(second, device="cpu").ranker.analyse(case, top=1).versions["case_library"] != one


def test_library_add_skips_a_malformed_phenopacket_with_a_warning(mini_kb, tmp_path):
    """A collaborator's folder with one broken file (a diagnosis given as a string, a label as an object, a PMID as a
    number) adds the sound cases and names each broken one, instead of stopping on an internal error."""
    kb = tmp_path / "kb.sqlite"
    kb.write_bytes(mini_kb.read_bytes())
    folder = tmp_path / "cases"
    folder.mkdir()
    good = _phenopacket("good", "PMID:1", ("OMIM:622001", "X syndrome"), "GENEY", ["HP:0000256"])
    (folder / "good.json").write_text(json.dumps(good))
    broken = {
        "string-diagnosis": {**good, "id": "b1", "interpretations": [{"diagnosis": "OMIM:622001"}]},
        "object-label": {**good, "id": "b2", "interpretations": [{"diagnosis": {
            "disease": {"id": "OMIM:622001", "label": {"text": "X"}}}}]},
        "numeric-pmid": {**good, "id": "b3", "metaData": {"externalReferences": [{"id": 1}]}},
        "string-gene": {**good, "id": "b4", "interpretations": [{"diagnosis": {
            "disease": {"id": "OMIM:622001"}, "genomicInterpretations": [
                {"variantInterpretation": {"variationDescriptor": {"geneContext": "GENEY"}}}]}}]},
    }
    for name, data in broken.items():
        (folder / f"{name}.json").write_text(json.dumps(data))
    added, warnings = add_phenopackets(kb, [folder])
    assert added == 1
    skipped = [w for w in warnings if "not a valid phenopacket" in w]
    assert sorted(Path(w.split(":")[0]).stem for w in skipped) == sorted(broken)


def test_a_knowledge_base_an_earlier_raretrace_built_is_named_as_such(tmp_path):
    """A KB built by earlier build code opens (same schema) but holds what that version derived; the analyses, `kb
    info` and the window say so, and a rebuild mends it."""
    import sqlite3

    from raretrace.kb import BUILD_LOGIC, outdated_build_warning

    kb = build_kb(tmp_path / "kb.sqlite", write_release(tmp_path / "hpo"))
    case = case_from_terms("q", ["HP:0000256"])
    assert not any("earlier RareTrace" in w for w in Engine(kb, device="cpu").ranker.analyse(case, top=1).warnings)
    conn = sqlite3.connect(kb)
    with conn:
        conn.execute("DELETE FROM provenance WHERE key = 'build_logic'")  # as the builds before the marker wrote it
    conn.close()
    warnings = Engine(kb, device="cpu").ranker.analyse(case, top=1).warnings
    assert any("built by an earlier RareTrace" in w and "raretrace kb build" in w for w in warnings)
    proc = subprocess.run([sys.executable, "-m", "raretrace", "--kb", str(kb), "kb", "info"], capture_output=True,
                          text=True)
    assert proc.returncode == 0 and "built by an earlier RareTrace" in proc.stderr
    assert outdated_build_warning({"build_logic": str(BUILD_LOGIC)}) is None
    assert outdated_build_warning({"build_logic": str(BUILD_LOGIC - 1)}) is not None


def test_a_knowledge_base_rebuilt_in_place_gives_its_own_modes_of_inheritance_and_disease_names(tmp_path, monkeypatch):
    # The window rebuilds the knowledge base where it is (Settings, an HPO release folder) and reloads it; the modes
    # of inheritance, read once per KB file, went on answering from the previous build for the rest of the session
    import mini_release

    from raretrace.inheritance import gene_modes

    kb = tmp_path / "knowledge.sqlite"
    build_kb(kb, write_release(tmp_path / "first"))
    first = Engine(kb, device="cpu")
    assert gene_modes(first.db)["GENED"] == {"AR"} and "speckled" in first.extractor._disease_names
    renamed = [(disease, "Glimmering retina syndrome", gene, gene_id, features, "HP:0000006")
               for disease, _label, gene, gene_id, features, _moi in mini_release.DISEASES if gene == "GENED"]
    monkeypatch.setattr(mini_release, "DISEASES", mini_release.DISEASES[:-1] + renamed)
    build_kb(kb, write_release(tmp_path / "second"))
    second = Engine(kb, device="cpu")
    assert gene_modes(second.db)["GENED"] == {"AD"}
    assert list(second.extractor._disease_names) == ["glimmering"]
