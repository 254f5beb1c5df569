"""Knowledge base build, counts against the source files, ontology arrays and term search."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from raretrace.errors import RareTraceError
from raretrace.kb import build_kb, kb_info, open_kb, parse_frequency, shipped_hpo_dir


def _source_counts() -> dict:
    hpo = shipped_hpo_dir()
    terms = sum(1 for line in (hpo / "hp.obo").open(encoding="utf-8") if line.strip() == "[Term]")
    diseases: dict[str, set] = {}
    rows = 0
    with (hpo / "phenotype.hpoa").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or line.startswith("database_id"):
                continue
            rows += 1
            disease = line.split("\t", 1)[0]
            diseases.setdefault(disease.split(":")[0], set()).add(disease)
    genes = set()
    with (hpo / "genes_to_phenotype.txt").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            genes.add(line.split("\t", 1)[0])
    return {"terms": terms, "diseases": {k: len(v) for k, v in diseases.items()}, "rows": rows, "genes": len(genes)}


def test_counts_match_the_source_files(engine):
    info = kb_info(engine.db)
    source = _source_counts()
    assert info["terms"] == source["terms"]
    hpoa = {k: v for k, v in info["diseases_by_prefix"].items()}
    assert {k: hpoa.get(k, 0) for k in source["diseases"]} == source["diseases"]
    assert info["disease_annotations"] == source["rows"]
    assert info["genes"] == source["genes"]
    assert info["gene_models"]["GRCh37"] > 19000 and info["gene_models"]["GRCh38"] > 19000
    assert 18000 < info["coding_bounds"]["GRCh37"] < info["gene_models"]["GRCh37"]  # the bundled GENCODE 19 bounds
    assert 18000 < info["coding_bounds"]["GRCh38"] < info["gene_models"]["GRCh38"]
    assert 12000 < info["proteins"] < info["coding_bounds"]["GRCh37"]  # the bundled UniProt proteins that fit
    assert 12000 < info["conserved_proteins"] < info["proteins"]  # those with homologues in Swiss-Prot
    assert info["hpo_release"] == "2025-01-16"


def test_annotation_rows_keep_every_column(engine):
    row = engine.db.execute(
        "SELECT disease_id, qualifier, hpo_id, reference, evidence, frequency, frequency_value, aspect "
        "FROM disease_annotations WHERE disease_id = 'OMIM:619340' AND hpo_id = 'HP:0011097'"
    ).fetchone()
    assert row == ("OMIM:619340", "", "HP:0011097", "PMID:31675180", "PCS", "1/2", 0.5, "P")
    nots = engine.db.execute("SELECT COUNT(*) FROM disease_annotations WHERE qualifier = 'NOT'").fetchone()[0]
    assert nots > 0


def test_frequency_parsing():
    assert parse_frequency("HP:0040281") == pytest.approx(0.895)
    assert parse_frequency("3/4") == 0.75
    assert parse_frequency("25%") == 0.25
    assert parse_frequency("") is None
    assert parse_frequency("often") is None


def test_ontology_arrays_answer_graph_questions(engine):
    onto = engine.ontology
    seizure = onto.resolve("HP:0001250").index
    ancestors = {onto.ids[i] for i in onto.ancestors(seizure)}
    assert {"HP:0001250", "HP:0012638", "HP:0000707", "HP:0000118", "HP:0000001"} <= ancestors
    assert onto.ic[onto.index["HP:0000001"]] == pytest.approx(0.0)
    assert onto.ic[seizure] > onto.ic[onto.index["HP:0000707"]]
    focal = onto.resolve("HP:0007359").index  # Focal-onset seizure
    mica, ic = onto.mica(focal, seizure)
    assert onto.ids[mica] == "HP:0001250" and ic == pytest.approx(float(onto.ic[seizure]))
    assert onto.index["HP:0001250"] in set(onto.parents(focal).tolist())
    assert focal in set(onto.children(seizure).tolist())
    rows, cols = onto.ancestor_matrix_rows(np.array([seizure, focal]))
    assert set(cols[rows == 0].tolist()) == set(onto.ancestors(seizure).tolist())


def test_alternative_and_obsolete_ids_resolve_with_a_notice(engine):
    onto = engine.ontology
    alt, primary = engine.db.execute(
        "SELECT alt_id, term_id FROM alt_ids WHERE alt_id NOT IN (SELECT id FROM terms) LIMIT 1"
    ).fetchone()
    res = onto.resolve(alt)
    assert onto.ids[res.index] == primary and "alternative" in res.notice
    obsolete, replacement = engine.db.execute(
        "SELECT id, replaced_by FROM terms WHERE obsolete = 1 AND replaced_by IS NOT NULL "
        "AND replaced_by IN (SELECT id FROM terms WHERE obsolete = 0) LIMIT 1"
    ).fetchone()
    res = onto.resolve(obsolete)
    assert onto.ids[res.index] == replacement and "obsolete" in res.notice
    assert onto.resolve("HP:9999999").index is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [("short stature", "HP:0004322"), ("seizures", "HP:0001250"), ("HP:0000001", "HP:0000001"),
     ("hp_0001250", "HP:0001250"), ("microcefaly", "HP:0000252"), ("cleft pal", "HP:0000175"),
     # the OBO IRI that ontology browsers copy, which a phenopacket may give too (case.normalise_hpo_id)
     ("http://purl.obolibrary.org/obo/HP_0001250", "HP:0001250"),
     (" https://purl.obolibrary.org/obo/HP_0000252 ", "HP:0000252")],
)
def test_search_puts_the_intended_term_first(engine, query, expected):
    assert engine.search.search(query)[0].id == expected


def test_search_rejects_empty_and_unknown(engine):
    with pytest.raises(RareTraceError):
        engine.search.search("   ")
    with pytest.raises(RareTraceError):
        engine.search.search("HP:9999999")


def test_missing_or_corrupt_hpo_folder_is_a_one_line_error(tmp_path, kb_path):
    with pytest.raises(RareTraceError, match="not found"):
        build_kb(tmp_path / "kb.sqlite", tmp_path / "nope")
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in ("hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt"):
        (bad / name).write_text("garbage\n")
    with pytest.raises(RareTraceError):
        build_kb(tmp_path / "kb.sqlite", bad)
    assert not (tmp_path / "kb.sqlite").exists()
    cmd = [sys.executable, "-m", "raretrace", "--kb", str(kb_path), "kb", "build", "--hpo-dir", str(bad),
           "--out", str(tmp_path / "x.sqlite")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("error:")
    assert "Traceback" not in proc.stderr


def test_an_hpo_folder_that_is_a_device_is_said_to_be_no_folder_not_to_be_missing(tmp_path):
    # `kb build --hpo-dir /dev/null` said "HPO folder not found: /dev/null"
    import os

    from raretrace.kb import check_hpo_dir

    with pytest.raises(RareTraceError, match=f"^{os.devnull} is not a folder; give the folder that holds hp.obo"):
        check_hpo_dir(Path(os.devnull))


def test_cli_search_and_info(kb_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "raretrace", "--kb", str(kb_path), *a],  # noqa: E731
                                    capture_output=True, text=True)
    proc = run("terms", "search", "short stature", "--json")
    assert proc.returncode == 0 and '"HP:0004322"' in proc.stdout.split("\n")[2]
    proc = run("terms", "search", "")
    assert proc.returncode == 2 and proc.stderr.startswith("error:")
    proc = run("kb", "info")
    assert proc.returncode == 0 and "2025-01-16" in proc.stdout


def test_search_json_matched_is_the_label_or_synonym_that_matched_as_hpo_writes_it(engine):
    """CLI.md's `matched`: the name the hit was found by (a synonym for a synonym hit), not the query echoed back."""
    for query in ("short stature", "SHORT STATURE"):
        first = engine.search.search(query)[0].to_json()
        assert (first["id"], first["label"], first["matched"], first["score"]) == (
            "HP:0004322", "Short stature", "Short stature", 1.0)
    first = engine.search.search("small stature")[0].to_json()
    assert (first["id"], first["matched"]) == ("HP:0004322", "Small stature")


def test_open_rejects_a_file_that_is_not_a_kb(tmp_path):
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(RareTraceError):
        open_kb(bogus, build_if_missing=False)


@pytest.mark.parametrize("name", ["kb#1.sqlite", "what?.sqlite", "100%41.sqlite"])
def test_a_kb_whose_path_has_a_uri_character_opens_and_makes_no_stray_file(name, tmp_path, kb_path):
    # '#' and '?' in the path cut SQLite's URI short: the file "kb" was opened read-write (created empty) and the KB
    # said to be no knowledge base; '%41' was read as 'A'
    folder = tmp_path / "my kbs"
    folder.mkdir()
    (folder / name).symlink_to(kb_path)
    db = open_kb(folder / name, build_if_missing=False)
    try:
        assert db.execute("SELECT COUNT(*) FROM terms").fetchone()[0] > 10_000
    finally:
        db.close()
    assert sorted(p.name for p in folder.iterdir()) == [name]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my kbs"]


def test_kb_option_is_taken_before_or_after_the_command():
    from raretrace.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["--kb", "a.sqlite", "analyze", "case.json"]).kb == "a.sqlite"
    assert parser.parse_args(["analyze", "case.json", "--kb", "b.sqlite"]).kb == "b.sqlite"
    assert parser.parse_args(["kb", "info", "--kb", "c.sqlite"]).kb == "c.sqlite"
    assert parser.parse_args(["analyze", "case.json"]).kb is None


def test_descendants_are_the_terms_reached_through_children(engine):
    onto = engine.ontology
    for term in ("HP:0002121", "HP:0001250", "HP:0000478"):  # absence seizure, seizure, abnormality of the eye
        start = onto.index[term]
        seen, todo = {start}, [start]
        while todo:
            for c in onto.children(todo.pop()).tolist():
                if c not in seen:
                    seen.add(c)
                    todo.append(c)
        assert onto.descendants(start).tolist() == sorted(seen)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("oesophageal atresia", "HP:0002032"), ("haematuria", "HP:0000790"), ("haemangioma", "HP:0001028"),
     ("oesophageal atr", "HP:0002032"), ("anaemia", "HP:0001903")],
)
def test_search_finds_british_spellings_of_american_names(engine, query, expected):
    """HPO writes American spelling and lists a British synonym for only some terms: "oesophageal atresia" found
    nothing, "haematuria" only through the typo fallback. The query's spelling is folded as the note extractor's."""
    first = engine.search.search(query)[0]
    assert first.id == expected
    if query != "oesophageal atr":  # a name still being typed is a prefix match
        assert first.score >= 0.9


@pytest.mark.parametrize(
    ("query", "expected"),
    [("ID", "HP:0001249"), ("HTN", "HP:0000822"), ("TOF", "HP:0001636"), ("droopy eyelids", "HP:0000508"),
     ("droopy eyel", "HP:0000508"), ("small head", "HP:0000252")],
)
def test_search_knows_the_clinical_names_the_note_extractor_knows(engine, query, expected):
    """The curated abbreviations and everyday names that find a term in a note (resources/text) find it in the
    picker too: "ID" offered Idiosyncratic gesture, "HTN" and "TOF" nothing, "droopy eyelids" Dermatochalasis."""
    first = engine.search.search(query)[0]
    assert first.id == expected


def test_search_offers_each_reading_of_an_ambiguous_abbreviation_and_hpo_names_first(engine):
    assert {"HP:0000175", "HP:0100021"} <= {h.id for h in engine.search.search("CP", limit=5)}
    # a curated name ranks below HPO's own names (1.0 label, 0.95 exact synonym), as in the note dictionary
    for query, matched in (("seizure", "Seizure"), ("ASD", "ASD"), ("GDD", "GDD")):
        first = engine.search.search(query)[0]
        assert first.matched == matched and first.score >= 0.95


@pytest.mark.parametrize(
    ("query", "expected"),
    [("smll cerebral cortex", "HP:0002472"), ("early bading", "HP:0002234"),
     ("cervical spnial cord atrophy", "HP:0010873"), ("receptive apahsia", "HP:0033848")],
)
def test_search_typo_tries_the_other_close_words_when_the_closest_finds_nothing(engine, query, expected):
    """A misspelt word may be as close to several words ("smll": smell, small); only the first was tried, so
    "smll cerebral cortex" found nothing. The close words are tried best first until a name matches."""
    assert engine.search.search(query)[0].id == expected


def test_search_of_a_pasted_note_runs_no_full_text_query(engine):
    """A note pasted into the search box (10 kB) was looked up word by word, typo readings included: seconds, on
    the GUI's thread when Enter beat the suggestions. No name has that many distinct words: nothing matches."""
    note = ("Seven year old boy with global developmental delay, seizures from infancy, short stature and "
            "microcephaly; mother reports feeding difficulties, recurrent chest infections and a heart murmur. ")
    queries: list[str] = []
    engine.db.set_trace_callback(queries.append)
    try:
        assert engine.search.search(note * 50) == []
        assert engine.search.search("seizures")[0].id == "HP:0001250"
    finally:
        engine.db.set_trace_callback(None)
    assert sum("MATCH" in q for q in queries) == 1  # the one of "seizures"


def test_a_rebuild_keeps_the_added_library_cases_of_a_kb_whose_path_has_a_hash(tmp_path):
    # the previous KB "kb#2.sqlite" was opened as "kb" (a new empty file): the cases `case library add` had put in
    # were lost to the rebuild without a word
    import json
    import sqlite3

    from raretrace.library import LIBRARY_COLUMNS, carry_over_additions

    schema = (f"CREATE TABLE library_cases ({', '.join(f'{c} TEXT' for c in LIBRARY_COLUMNS)}, UNIQUE(case_id, pmid));"
              "CREATE TABLE provenance (key TEXT PRIMARY KEY, value TEXT);")
    previous = tmp_path / "kb#2.sqlite"
    with contextlib.closing(sqlite3.connect(previous)) as old:
        old.executescript(schema)
        old.execute("INSERT INTO provenance VALUES ('case_library_sources', ?)", (json.dumps([{}, {}]),))
        old.execute(f"INSERT INTO library_cases ({', '.join(LIBRARY_COLUMNS)}) VALUES "
                    f"({', '.join('?' * len(LIBRARY_COLUMNS))})", ("mine-1", "PMID:1", *("x",) * 8))
        old.commit()
    new = sqlite3.connect(":memory:")
    new.executescript(schema)
    assert carry_over_additions(new, previous) == 1
    assert new.execute("SELECT case_id FROM library_cases").fetchall() == [("mine-1",)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb#2.sqlite"]


def test_a_kb_of_this_version_that_lacks_a_table_is_one_error_line_not_an_internal_error(tmp_path, capsys,
                                                                                        monkeypatch):
    # `kb info` of such a file said "internal error (OperationalError: no such table: ...)" with status 1
    import sqlite3

    from cli_run import run_cli

    from raretrace.kb import SCHEMA_VERSION

    damaged = tmp_path / "damaged.sqlite"
    with contextlib.closing(sqlite3.connect(damaged)) as db:
        db.execute("CREATE TABLE provenance (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO provenance VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        db.commit()
    monkeypatch.setenv("RARETRACE_KB", str(damaged))  # as --kb does, and put back after the test
    for command in (["kb", "info"], ["terms", "search", "seizure"]):
        assert run_cli(command) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: knowledge base {damaged} is damaged: it lacks the table(s) alt_ids, ") and \
            err.count("\n") == 1, err
