"""The case store: lossless save/load, audit log, user-only files, analyses and re-analysis, crash safety."""

from __future__ import annotations

import getpass
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
from store_fixtures import hold_write_lock

from raretrace.case import Case, CaseFile, Phenotype, case_from_terms
from raretrace.errors import RareTraceError
from raretrace.evidence import AnalysisResult, Hypothesis
from raretrace.paths import sha256_file
from raretrace.store import CaseStore, StoreDamaged, compare_rankings, reanalyse


def _in_threads(target, args) -> None:
    """Run target(arg) for each arg at once, one thread each, and wait for all."""
    threads = [threading.Thread(target=target, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

def make_case(case_id: str = "case-1", vcf: Path | None = None) -> Case:
    return Case(
        id=case_id,
        subject_id="P1",
        sex="FEMALE",
        age="P4Y",
        phenotypes=(
            Phenotype("HP:0001250", "Seizure", onset="HP:0003593", source="typed",
                      details={"onset": {"ontologyClass": {"id": "HP:0003593", "label": "Infantile onset"}},
                               "modifiers": [{"id": "HP:0031796", "label": "Recurrent"}]}),
            Phenotype("HP:0004322", "Short stature", source="extracted"),
            Phenotype("HP:0000256", "Macrocephaly", excluded=True, source="imported"),
        ),
        files=(CaseFile(str(vcf), "GRCh38", "S1"),) if vcf else (),
        extra={"metaData": {"createdBy": "test"}},
    )


@pytest.fixture
def store(tmp_path):
    with CaseStore(tmp_path / "data" / "cases.sqlite") as s:
        yield s


def test_a_saved_case_loads_back_identical(store):
    case = make_case()
    assert store.save_case(case)
    loaded = store.load_case(case.id)
    assert loaded == case
    assert [p.details for p in loaded.phenotypes] == [p.details for p in case.phenotypes]
    assert [p.source for p in loaded.phenotypes] == ["typed", "extracted", "imported"]


def test_saving_an_unchanged_case_writes_nothing(store):
    case = make_case()
    store.save_case(case)
    before = store.conn.execute("PRAGMA data_version").fetchone()[0], len(store.audit(case.id))
    assert store.save_case(replace(case)) == []
    assert (store.conn.execute("PRAGMA data_version").fetchone()[0], len(store.audit(case.id))) == before


def test_every_change_is_audited_with_the_os_user(store):
    case = make_case()
    store.save_case(case, note="imported from a.json")
    seizure, stature, macro = case.phenotypes
    edited = replace(case, sex="MALE", phenotypes=(replace(seizure, onset="HP:0003577"), replace(macro, excluded=False),
                                                   Phenotype("HP:0001252", "Hypotonia")))
    changes = store.save_case(edited)
    assert "sex: FEMALE -> MALE" in changes
    assert "onset of HP:0001250: HP:0003593 -> HP:0003577" in changes
    assert "HP:0000256 Macrocephaly now present" in changes
    assert "added feature HP:0001252 Hypotonia" in changes
    assert "removed feature HP:0004322 Short stature" in changes
    log = store.audit(case.id)
    assert [e.action for e in log] == ["created", "updated"]
    assert "imported from a.json" in log[0].changes
    assert all(e.user == getpass.getuser() for e in log)
    assert log[0].at <= log[1].at


def test_store_files_are_readable_by_this_user_only(tmp_path):
    path = tmp_path / "new-folder" / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(make_case())
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        for p in path.parent.iterdir():  # the database and its -wal/-shm files
            assert p.stat().st_mode & 0o777 == 0o600, p.name
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_a_store_with_loose_permissions_is_tightened(tmp_path):
    path = tmp_path / "cases.sqlite"
    CaseStore(path).close()
    os.chmod(path, 0o644)
    CaseStore(path).close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_files_are_recorded_with_sha256_and_content_changes_are_audited(store, tmp_path):
    vcf = tmp_path / "p.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n")
    case = make_case(vcf=vcf)
    store.save_case(case)
    (stored,) = store.files(case.id)
    assert (stored.path, stored.sha256, stored.assembly, stored.sample) == (str(vcf), sha256_file(vcf), "GRCh38", "S1")
    assert store.save_case(case) == []
    vcf.write_text("##fileformat=VCFv4.2\n#CHROM\n")
    changes = store.save_case(case)
    assert len(changes) == 1 and changes[0].startswith("content of p.vcf changed")
    assert store.files(case.id)[0].sha256 == sha256_file(vcf)
    vcf.unlink()  # a file no longer reachable keeps the digest of what was recorded
    assert store.save_case(case) == []
    assert store.files(case.id)[0].sha256 is not None


def test_list_cases_searches_ids_and_feature_labels(store):
    store.save_case(make_case("alpha"))
    store.save_case(case_from_terms("beta_1", ["HP:0001263"]))
    assert [c.id for c in store.list_cases("seiz")] == ["alpha"]
    assert [c.id for c in store.list_cases("HP:0001263")] == ["beta_1"]
    assert [c.id for c in store.list_cases("a_1")] == ["beta_1"]  # `_` is not a wildcard
    summary = {c.id: c for c in store.list_cases()}["alpha"]
    assert (summary.present, summary.excluded, summary.files, summary.analyses) == (2, 1, 0, 0)


def test_list_cases_searches_names_and_notes_in_any_letter_case_of_any_script(store, tmp_path):
    # SQLite's LIKE folds ASCII letters only: 'ÉMILIE' found 'Émilie-1' but 'émilie' did not, nor 'ZOË' 'Zoë', nor
    # 'CAFÉ' a note's 'café-au-lait'; and a name typed decomposed (e + U+0301, as macOS may) missed the composed one
    store.save_case(replace(make_case("Émilie-1"), subject_id="Zoë Ångström",
                            extra={"raretraceNote": "Six café-au-lait macules."}))
    store.save_case(make_case("other"))
    for typed in ("émilie", "ÉMILIE", "Émilie", "e\u0301milie", "ZOË", "zoë ångström", "ÅNGSTRÖM", "CAFÉ-AU-LAIT"):
        assert [c.id for c in store.list_cases(typed)] == ["Émilie-1"], typed
    assert store.list_cases("émilie%") == [] and store.list_cases("é_ilie") == []  # still no wildcards
    with CaseStore(store.path) as second:  # another connection (each registers what the search needs)
        assert [c.id for c in second.list_cases("zoë")] == ["Émilie-1"]
    read_only = tmp_path / "ro.sqlite"
    with CaseStore(read_only) as s:
        s.save_case(replace(make_case("Zoë"), subject_id="Z"))
    os.chmod(read_only, 0o444)
    with CaseStore(read_only, create=False) as s:
        assert s.read_only and [c.id for c in s.list_cases("ZOË")] == ["Zoë"]


def test_delete_removes_the_case_but_the_audit_log_remembers(store):
    case = make_case()
    store.save_case(case)
    store.record_analysis(case.id, result(case, ["OMIM:1"]).to_json())
    assert store.delete_case(case.id)
    assert case.id not in store and store.analyses(case.id) == []
    assert store.audit(case.id)[-1].action == "deleted"
    with pytest.raises(RareTraceError, match="no case"):
        store.load_case(case.id)
    assert not store.delete_case(case.id)


def test_a_failed_save_leaves_the_previous_version(store):
    case = make_case()
    store.save_case(case)
    broken = replace(case, sex="MALE", phenotypes=(Phenotype("HP:0001250", details={"x": object()}),))
    with pytest.raises(TypeError):
        store.save_case(broken)
    assert store.load_case(case.id) == case
    assert len(store.audit(case.id)) == 1


def test_other_files_are_refused_as_stores(tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database at all " * 100)
    with pytest.raises(RareTraceError, match="not a RareTrace case store"):
        CaseStore(text)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(RareTraceError, match="not a RareTrace case store"):
        CaseStore(other)


def test_two_connections_save_at_the_same_time(tmp_path):
    path = tmp_path / "cases.sqlite"
    CaseStore(path).close()
    errors: list[BaseException] = []

    def saver(prefix: str) -> None:
        try:
            with CaseStore(path) as s:
                for n in range(25):
                    s.save_case(case_from_terms(f"{prefix}{n}", ["HP:0001250"]))
        except BaseException as exc:  # reported below
            errors.append(exc)

    _in_threads(saver, ("gui-", "cli-"))
    assert errors == []
    with CaseStore(path) as s:
        assert len(s.list_cases()) == 50


# -- analyses and re-analysis


def result(case: Case, disease_ids: list[str], genes: list[str] = (), release: str = "2025-01-16") -> AnalysisResult:
    diseases = tuple(
        Hypothesis("disease", d, f"Disease {d}", rank=n, score=1 / n) for n, d in enumerate(disease_ids, start=1)
    )
    gene_hyps = tuple(Hypothesis("gene", g, g, rank=n, score=1 / n) for n, g in enumerate(genes, start=1))
    return AnalysisResult(
        case_id=case.id,
        present=tuple((p.id, p.label) for p in case.present),
        excluded=tuple((p.id, p.label) for p in case.excluded),
        sex=case.sex, age=case.age, diseases=diseases, genes=gene_hyps, device="cpu",
        versions={"hpo_release": release, "raretrace": "0.1.0"},
    )


def test_analyses_are_stored_with_inputs_versions_and_evidence(store):
    case = make_case()
    store.save_case(case)
    first = store.record_analysis(case.id, result(case, ["OMIM:1", "OMIM:2"]).to_json())
    second = store.record_analysis(case.id, result(case, ["OMIM:2"]).to_json(), versions={"model": "m2"})
    stored = store.analyses(case.id)
    assert [a.id for a in stored] == [first, second]
    assert stored[0].versions == {"hpo_release": "2025-01-16", "raretrace": "0.1.0"}
    assert stored[1].versions == {"model": "m2"}
    assert stored[0].inputs["present"] == ["HP:0001250", "HP:0004322"]
    assert stored[0].inputs["excluded"] == ["HP:0000256"]
    assert stored[0].result["diseases"][0]["matched"] == []  # the evidence fields travel with the result
    assert store.latest_analysis(case.id).id == second
    assert store.analyses(case.id, with_results=False)[0].result is None
    assert store.audit(case.id)[-1].action == "analysed"
    assert store.list_cases()[0].analyses == 2


def test_list_cases_searches_the_note_and_the_genes_of_the_latest_analysis(store, tmp_path):
    """A clinician looks a case up by a word of its note or a gene its analysis ranked ("KMT2D")."""
    from raretrace.case import NOTE_KEY

    case = replace(make_case("kabuki-1"), extra={"metaData": {"createdBy": "test"}, NOTE_KEY: "Suspected Kabuki facies"})
    store.save_case(case)
    store.save_case(make_case("other"))
    assert [c.id for c in store.list_cases("kabuki facies")] == ["kabuki-1"]
    assert store.list_cases("createdBy") == []  # the note, not every phenopacket field kept with the case
    store.record_analysis(case.id, result(case, ["OMIM:147920"], genes=["KMT2D", "KDM6A"]).to_json())
    assert [c.id for c in store.list_cases("kmt2d")] == ["kabuki-1"]
    store.record_analysis(case.id, result(case, ["OMIM:1"], genes=["FGFR2"]).to_json())
    assert store.list_cases("KMT2D") == []  # the latest analysis's genes: an earlier one's are history
    assert [c.id for c in store.list_cases("FGFR2")] == ["kabuki-1"]


def test_the_genes_of_analyses_stored_by_an_earlier_raretrace_are_searched_too(tmp_path):
    path = tmp_path / "cases.sqlite"
    case = make_case()
    with CaseStore(path) as s:
        s.save_case(case)
        s.record_analysis(case.id, _bulky_result(case))
    conn = sqlite3.connect(path)  # as an earlier RareTrace left it: no genes column
    conn.execute("ALTER TABLE analyses DROP COLUMN genes")
    conn.commit()
    conn.close()
    genes = [g["id"] for g in _bulky_result(case)["genes"]]
    os.chmod(path, 0o444)  # read-only: searched as it is, without the genes
    with CaseStore(path) as s:
        assert s.read_only and s.list_cases(genes[0]) == [] and len(s.list_cases(case.id)) == 1
    os.chmod(path, 0o600)
    with CaseStore(path) as s:
        assert [c.id for c in s.list_cases(genes[-1])] == [case.id]


def test_the_latest_analysis_is_read_without_reading_the_earlier_ones(store):
    """The GUI asks for the latest analysis on the UI thread each time a case opens: only that row is read and
    decoded, however many earlier full results (hundreds of kilobytes each) the case holds. An earlier result that
    cannot be decoded shows it: it is never touched."""
    case = make_case()
    store.save_case(case)
    first = store.record_analysis(case.id, result(case, ["OMIM:1"]).to_json())
    second = store.record_analysis(case.id, result(case, ["OMIM:2"]).to_json())
    with store._lock:
        store.conn.execute("UPDATE analyses SET result = 'not JSON' WHERE id = ?", (first,))
    latest = store.latest_analysis(case.id)
    assert latest.id == second and latest.result["diseases"][0]["id"] == "OMIM:2"
    assert latest.inputs["present"] == ["HP:0001250", "HP:0004322"]
    assert store.latest_analysis("no-such-case") is None


def _bulky_result(case: Case) -> dict:
    """A result with evidence as real analyses carry it: many hypotheses, each with matched features."""
    data = result(case, [f"OMIM:{100000 + n}" for n in range(20)], [f"GENE{n}" for n in range(20)]).to_json()
    for h in data["diseases"] + data["genes"]:
        h["matched"] = [{"id": f"HP:{n:07d}", "label": f"Feature {n}", "frequency": "HP:0040283", "pmids": [n, n + 1]}
                        for n in range(40)]
    return json.loads(json.dumps(data))  # as read back: JSON lists, not tuples


def test_analysis_results_are_stored_compressed_and_read_back_whole(store):
    """Every analysis is kept with its full evidence (hundreds of kilobytes of JSON for a real case): stored
    compressed, so a clinic's store does not grow by the whole JSON per analysis."""
    case = make_case()
    store.save_case(case)
    data = _bulky_result(case)
    analysis = store.record_analysis(case.id, data)
    with store._lock:
        kind, size = store.conn.execute("SELECT typeof(result), length(result) FROM analyses WHERE id = ?",
                                        (analysis,)).fetchone()
    assert kind == "blob" and size * 5 < len(json.dumps(data, separators=(",", ":")))
    assert store.latest_analysis(case.id).result == data == store.analyses(case.id)[0].result
    assert store.analyses(case.id, with_results=False)[0].result is None


def _as_schema_1(path: Path, results: dict[int, dict]) -> None:
    """Make the store at `path` what RareTrace wrote before schema version 2: results as JSON text."""
    conn = sqlite3.connect(path)
    for analysis, data in results.items():
        conn.execute("UPDATE analyses SET result = ? WHERE id = ?", (json.dumps(data), analysis))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_a_store_of_schema_version_1_is_read_and_upgraded_in_place(tmp_path):
    path = tmp_path / "cases.sqlite"
    case = make_case()
    with CaseStore(path) as s:
        s.save_case(case)
        old = s.record_analysis(case.id, _bulky_result(case))
    _as_schema_1(path, {old: _bulky_result(case)})
    os.chmod(path, 0o444)  # an archived store of the earlier version, read-only: read as it is, not refused
    with CaseStore(path) as s:
        assert s.read_only and s.latest_analysis(case.id).result == _bulky_result(case)
        assert [c.analyses for c in s.list_cases()] == [1]
    os.chmod(path, 0o600)
    with CaseStore(path) as s:
        # opened, listed and a case saved: still version 1, so the RareTrace it came from opens it (a clinic can go
        # back after trying an update); opening it stamped it 2 at once, which that version refuses
        s.list_cases()
        s.save_case(replace(case, subject_id="P-1"))
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == 1
        new = s.record_analysis(case.id, result(case, ["OMIM:2"]).to_json())
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == 2  # it holds a compressed result now
        kinds = dict(s.conn.execute("SELECT id, typeof(result) FROM analyses"))
        assert kinds == {old: "blob", new: "blob"}  # the earlier result compressed with it (version 2 now), and read
        assert [a.result["diseases"][0]["id"] for a in s.analyses(case.id)] == ["OMIM:100000", "OMIM:2"]
        re = reanalyse(s, case.id, lambda c: result(c, ["OMIM:3"]))
        assert re.previous_analysis_id == new and {c.id for c in re.changes} == {"OMIM:2", "OMIM:3"}


def test_results_a_version_1_store_holds_as_text_are_compressed_once_it_is_version_2(tmp_path):
    """A store of schema version 1 holds each result as its whole JSON text (some nine times its compressed size),
    and upgrading kept them so for good: only VACUUM, which needs every window closed, could shrink it. Once the store
    is version 2 (the RareTrace of version 1 no longer opens it), a case's results are compressed when that case is
    next analysed or saved: read back the same, and the pages they free take the next analyses."""
    from raretrace.store import _unpack

    path = tmp_path / "cases.sqlite"
    a, b = make_case("case-a"), make_case("case-b")
    with CaseStore(path) as s:
        for c in (a, b):
            s.save_case(c)
        old = {s.record_analysis(c.id, _bulky_result(c)): _bulky_result(c) for c in (a, b) for _ in range(3)}
    _as_schema_1(path, old)
    damaged = max(old)  # a result that is not UTF-8: left as it is, and no save fails for it
    conn = sqlite3.connect(path)
    conn.execute("UPDATE analyses SET result = CAST(x'7bff7d' AS TEXT) WHERE id = ?", (damaged,))
    conn.commit()
    conn.close()

    def kinds(s: CaseStore, case: Case) -> dict[int, str]:
        return dict(s.conn.execute("SELECT id, typeof(result) FROM analyses WHERE case_id = ?", (case.id,)))

    with CaseStore(path) as s:
        s.save_case(replace(a, subject_id="A-1"))  # still version 1: left as written, for the RareTrace it came from
        assert set(kinds(s, a).values()) == set(kinds(s, b).values()) == {"text"}
        s.record_analysis(a.id, result(a, ["OMIM:2"]).to_json())  # now version 2
        assert set(kinds(s, a).values()) == {"blob"} and set(kinds(s, b).values()) == {"text"}
        s.save_case(b)  # unchanged: nothing is written
        assert set(kinds(s, b).values()) == {"text"}
        s.save_case(replace(b, subject_id="B-1"))
        assert kinds(s, b) == {i: "text" if i == damaged else "blob" for i in kinds(s, b)}
        for i, data in s.conn.execute("SELECT id, result FROM analyses WHERE id != ?", (damaged,)):
            assert i not in old or _unpack(data) == old[i]
        assert s.conn.execute("PRAGMA freelist_count").fetchone()[0] > 0
        pages = s.conn.execute("PRAGMA page_count").fetchone()[0]
        s.record_analysis(b.id, _bulky_result(b))
        assert s.conn.execute("PRAGMA page_count").fetchone()[0] == pages  # the store no longer grows
        assert s.integrity_check() == "ok"


def test_reanalysis_reports_new_removed_and_moved_hypotheses(store):
    case = make_case()
    store.save_case(case)
    store.record_analysis(case.id, result(case, ["OMIM:1", "OMIM:2", "OMIM:3"], ["FGFR2", "FGFR3"]).to_json())
    store.save_case(replace(case, phenotypes=case.phenotypes + (Phenotype("HP:0001252", "Hypotonia"),)))

    def current_engine(c: Case) -> AnalysisResult:
        return result(c, ["OMIM:2", "OMIM:1", "OMIM:4"], ["FGFR3", "FGFR2"], release="2025-06-01")

    re = reanalyse(store, case.id, current_engine)
    moves = {(c.kind, c.id): (c.status, c.old_rank, c.new_rank) for c in re.changes}
    assert moves == {
        ("disease", "OMIM:2"): ("moved", 2, 1),
        ("disease", "OMIM:1"): ("moved", 1, 2),
        ("disease", "OMIM:4"): ("new", None, 3),
        ("disease", "OMIM:3"): ("removed", 3, None),
        ("gene", "FGFR3"): ("moved", 2, 1),
        ("gene", "FGFR2"): ("moved", 1, 2),
    }
    assert re.versions_changed == {"hpo_release": ("2025-01-16", "2025-06-01")}
    assert any(line.startswith("present:") and "HP:0001252" in line for line in re.inputs_changed)
    assert re.analysis_id == store.latest_analysis(case.id).id
    again = reanalyse(store, case.id, current_engine)
    assert again.changes == () and again.versions_changed == {} and again.inputs_changed == ()


def test_first_analysis_has_nothing_to_compare(store):
    case = make_case()
    store.save_case(case)
    re = reanalyse(store, case.id, lambda c: result(c, ["OMIM:1"]))
    assert re.previous_analysis_id is None and re.changes == ()


def test_ranking_changes_outside_the_top_ranks_are_ignored():
    old = {"diseases": [{"id": f"D{n}", "rank": n} for n in range(1, 31)]}
    order = [*range(1, 25), 26, 25, 27, 28, 29, 30]
    new = {"diseases": [{"id": f"D{d}", "rank": rank} for rank, d in enumerate(order, start=1)]}
    assert compare_rankings(old, new, top=20) == []
    assert [c.id for c in compare_rankings(old, new, top=25)] == ["D26", "D25"]


# -- crash safety


def _expected(slot: int, version: int) -> Case:
    rng = random.Random(f"{slot}-{version}")
    terms = rng.sample(range(1, 9_999_999), 40)
    return Case(
        id=f"case-{slot}",
        subject_id=f"v{version}",
        sex=rng.choice(["MALE", "FEMALE"]),
        phenotypes=tuple(Phenotype(f"HP:{t:07d}", f"term {t}", excluded=rng.random() < 0.3) for t in terms),
        extra={"metaData": {"createdBy": "crash test", "version": version}},
    )


def _saver(path: Path, out_fd: int, seed: int) -> None:
    """Child process: save cases (new ones and new versions of old ones) until killed."""
    rng = random.Random(seed)
    store = CaseStore(path)
    os.write(out_fd, b"ready\n")
    while True:
        known = [c.id for c in store.list_cases()]
        if known and rng.random() < 0.4:
            slot = int(rng.choice(known).split("-")[1])
            version = int(store.load_case(f"case-{slot}").subject_id[1:]) + 1
        else:
            slot, version = rng.randrange(10**9), 1
        os.write(out_fd, f"begin {slot} {version}\n".encode())
        store.save_case(_expected(slot, version))
        os.write(out_fd, f"done {slot} {version}\n".encode())  # only once the commit has returned


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")
def test_sigkill_during_saves_loses_no_committed_case(tmp_path):
    path = tmp_path / "cases.sqlite"
    rng = random.Random(100)
    committed: dict[int, int] = {}  # slot -> last version reported committed
    in_flight: dict[int, set[int]] = {}  # slot -> versions whose save was cut short by the kill
    killed_mid_save = 0
    for run in range(100):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns into pytest
            try:
                os.close(read_fd)
                _saver(path, write_fd, seed=run)
            finally:
                os._exit(1)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as reader:
            assert reader.readline() == b"ready\n"
            time.sleep(rng.uniform(0.0, 0.04))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            lines = reader.read().decode().splitlines()
        for line in lines:
            what, slot, version = line.split()
            if what == "done":
                committed[int(slot)] = max(committed.get(int(slot), 0), int(version))
        if lines and lines[-1].startswith("begin"):
            _, slot, version = lines[-1].split()
            in_flight.setdefault(int(slot), set()).add(int(version))
            killed_mid_save += 1
    assert committed and killed_mid_save, "the kills must land both after and during saves"
    with CaseStore(path) as store:
        assert store.integrity_check() == "ok"
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for slot in committed.keys() | in_flight.keys():
            if slot not in committed and f"case-{slot}" not in store:
                continue  # a first save cut short: rolled back entirely
            loaded = store.load_case(f"case-{slot}")
            stored_version = int(loaded.subject_id[1:])
            # The last reported version, or a later save that committed just before its child was killed.
            assert stored_version in {committed.get(slot)} | in_flight.get(slot, set())
            assert loaded == _expected(slot, stored_version)
            assert store.audit(loaded.id)[0].action == "created"


def test_a_store_damaged_while_open_gives_one_clear_error(tmp_path):
    store = CaseStore(tmp_path / "cases.sqlite")
    store.save_case(Case(id="c1", phenotypes=(Phenotype("HP:0001250", "Seizure"),)))
    store.conn.execute("DROP TABLE phenotypes")  # what a damaged or replaced file looks like to SQLite
    for call in (lambda: store.load_case("c1"), lambda: store.list_cases("Seizure")):
        with pytest.raises(RareTraceError, match="cannot be used") as excinfo:
            call()
        assert "\n" not in str(excinfo.value)


def test_a_case_file_read_from_another_folder_is_one_change_not_an_addition_and_a_removal(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for folder in (a, b):
        (folder / "exome.vcf").write_text("##fileformat=VCFv4.2\n")
    store = CaseStore(tmp_path / "cases.sqlite")
    base = Case(id="c", phenotypes=(Phenotype("HP:0001250", "Seizure"),))
    store.save_case(replace(base, files=(CaseFile(str(a / "exome.vcf")),)))
    changes = store.save_case(replace(base, files=(CaseFile(str(b / "exome.vcf")),)))
    assert changes == [f"file exome.vcf now read from {b} (was {a})"]


# -- data safety: duplicated features, concurrent edits, imports over edited cases, read-only, full, damaged stores


def test_a_duplicated_feature_marked_excluded_is_saved(store):
    """Short stature listed twice (present, then excluded): marking the first one excluded is a change."""
    case = Case(id="dup2", phenotypes=(Phenotype("HP:0001250", "Seizure"), Phenotype("HP:0004322", "Short stature"),
                                       Phenotype("HP:0004322", "Short stature", excluded=True)))
    store.save_case(case)
    edited = replace(case, phenotypes=(case.phenotypes[0], replace(case.phenotypes[1], excluded=True),
                                       case.phenotypes[2]))
    assert store.save_case(edited) == ["HP:0004322 Short stature (feature 2) now excluded"]
    assert [(p.id, p.excluded) for p in store.load_case("dup2").phenotypes] == [
        ("HP:0001250", False), ("HP:0004322", True), ("HP:0004322", True)]
    assert store.save_case(replace(edited, phenotypes=edited.phenotypes[:2])) == [
        "removed excluded feature HP:0004322 Short stature (was feature 3)"]
    assert len(store.load_case("dup2").phenotypes) == 2


def test_an_unchanged_case_with_duplicated_features_logs_no_change(store):
    case = Case(id="dups", phenotypes=(Phenotype("HP:0004322", "Short stature"),
                                       Phenotype("HP:0004322", "Short stature", excluded=True),
                                       Phenotype("HP:0001250", "Seizure", onset="HP:0003593"),
                                       Phenotype("HP:0001250", "Seizure")))
    store.save_case(case)
    assert store.save_case(replace(case)) == []
    assert len(store.audit("dups")) == 1
    swapped = replace(case, phenotypes=(case.phenotypes[1], case.phenotypes[0], *case.phenotypes[2:]))
    assert store.save_case(swapped) == ["HP:0004322 Short stature (feature 1) now excluded",
                                        "HP:0004322 Short stature (feature 2) now present"]


def test_a_save_based_on_an_old_revision_is_refused_and_writes_nothing(tmp_path):
    from raretrace.store import StoreConflict

    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as window, CaseStore(path) as cli:
        window.save_case(make_case())
        case, revision = window.load_with_revision("case-1")
        assert revision == 1
        cli.save_case(replace(case, sex="MALE"))  # saved elsewhere meanwhile
        before = len(window.audit("case-1"))
        with pytest.raises(StoreConflict, match="revision 2.*revision 1") as excinfo:
            window.save_case(replace(case, age="P5Y"), expected_revision=revision)
        assert "case-1" in str(excinfo.value) and "\n" not in str(excinfo.value)
        assert (excinfo.value.expected, excinfo.value.stored) == (1, 2)
        stored = window.load_case("case-1")
        assert (stored.sex, stored.age, len(window.audit("case-1"))) == ("MALE", "P4Y", before)
        assert window.save_case(replace(stored, age="P5Y"), expected_revision=2) == ["age: P4Y -> P5Y"]
        with pytest.raises(StoreConflict):  # 0: the case must not be stored yet
            window.save_case(make_case(), expected_revision=0)
        assert window.save_case(make_case("new"), expected_revision=0)


def test_a_save_based_on_a_revision_of_a_case_deleted_meanwhile_is_refused_and_writes_nothing(tmp_path):
    # The save found no stored case and created it again as revision 1 ("created" in the audit log): a window still
    # showing a case deleted elsewhere (another window, `raretrace case delete`) silently undid the deletion
    from raretrace.store import StoreConflict

    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as window, CaseStore(path) as cli:
        window.save_case(make_case())
        case, revision = window.load_with_revision("case-1")
        assert cli.delete_case("case-1")
        with pytest.raises(StoreConflict, match="deleted elsewhere") as excinfo:
            window.save_case(replace(case, age="P5Y"), expected_revision=revision)
        assert (excinfo.value.expected, excinfo.value.stored, excinfo.value.deleted) == (1, 0, True)
        assert "case-1" in str(excinfo.value) and "\n" not in str(excinfo.value)
        assert "case-1" not in window and [e.action for e in window.audit("case-1")] == ["created", "deleted"]
        assert window.save_case(case, expected_revision=0)  # saved again knowingly, as a case not stored


def test_a_save_over_a_new_case_stored_under_the_id_of_one_deleted_meanwhile_is_refused(tmp_path):
    # Deleted elsewhere and imported again, the case was back at revision 1 under its ID: a window based on revision
    # 1 of the deleted case saved its version over the new one unasked (only the ID and the revision were compared)
    from raretrace.store import StoreConflict

    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as window, CaseStore(path) as cli:
        window.save_case(make_case())
        case, revision, creation = window.load_with_version("case-1")
        assert cli.delete_case("case-1")
        new = replace(make_case(), age="P9Y")
        cli.save_case(new, expected_revision=0)  # imported again
        assert cli.revision("case-1") == revision
        with pytest.raises(StoreConflict, match="a new case was stored under its ID") as excinfo:
            window.save_case(replace(case, age="P5Y"), expected_revision=revision, expected_creation=creation)
        conflict = excinfo.value
        assert conflict.recreated and not conflict.deleted and conflict.stored == 1 and "\n" not in str(conflict)
        assert conflict.creation == window.version("case-1")[1] != creation
        assert window.load_case("case-1") == new  # the new case stands
        # the case itself, saved elsewhere: a change, never a new case
        cli.save_case(replace(new, age="P10Y"), expected_revision=1)
        with pytest.raises(StoreConflict) as excinfo:
            window.save_case(new, expected_revision=1, expected_creation=conflict.creation)
        assert not excinfo.value.recreated and excinfo.value.creation == conflict.creation
        assert window.save_case(replace(new, age="P11Y"), expected_revision=2, expected_creation=conflict.creation)


def test_cases_stored_before_creation_tokens_are_told_apart_by_their_creation_time(tmp_path):
    # A store an earlier RareTrace wrote has no creation_token column: it is added (the schema version stays, so
    # that RareTrace still opens the store), its cases keep a marker (their creation time), and new cases get a token
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(make_case())
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE cases DROP COLUMN creation_token")
    conn.commit()
    created_at = conn.execute("SELECT created_at FROM cases").fetchone()[0]
    conn.close()
    os.chmod(path, 0o444)
    with CaseStore(path) as s:  # read-only: read as it is
        assert s.read_only and s.version("case-1") == (1, created_at)
    os.chmod(path, 0o600)
    with CaseStore(path) as s:
        assert s.version("case-1") == (1, created_at)
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == 2
        s.save_case(make_case("case-2"))
        token = s.version("case-2")[1]
        assert len(token) == 32 and token != s.conn.execute("SELECT created_at FROM cases WHERE id = 'case-2'").fetchone()[0]
    with CaseStore(path) as s:
        assert s.version("case-1") == (1, created_at) and s.version("case-2") == (1, token)
        assert s.version("nothing") is None


def test_an_analysis_of_a_case_deleted_while_it_ran_is_not_stored(tmp_path):
    # Recorded with the state taken when it started, it was stored under a case no longer there: the deletion
    # ("case and its analyses deleted") left an analysis of the patient behind, and the audit log an "analysed"
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as window, CaseStore(path) as cli:
        window.save_case(make_case())
        state = window.case_state("case-1")
        assert cli.delete_case("case-1")
        with pytest.raises(RareTraceError, match="deleted elsewhere while it was analysed"):
            window.record_analysis("case-1", {"diseases": []}, state=state)
        assert window.analyses("case-1") == [] and window.audit("case-1")[-1].action == "deleted"


def test_two_connections_editing_one_case_lose_no_edit(tmp_path):
    """The audit's two processes doing read-modify-write lost half their edits; with expected_revision none."""
    from raretrace.store import StoreConflict

    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(Case(id="shared"))
    errors: list[BaseException] = []
    conflicts = [0]

    def editor(tag: int) -> None:
        try:
            with CaseStore(path) as s:
                for n in range(30):
                    while True:
                        case, revision = s.load_with_revision("shared")
                        added = Phenotype(f"HP:{tag}{n:06d}", f"edit {tag}-{n}")
                        try:
                            s.save_case(replace(case, phenotypes=(*case.phenotypes, added)), expected_revision=revision)
                            break
                        except StoreConflict:
                            conflicts[0] += 1
        except BaseException as exc:  # reported below
            errors.append(exc)

    _in_threads(editor, (1, 2))
    assert errors == []
    with CaseStore(path) as s:
        assert len(s.load_case("shared").phenotypes) == 60
        assert s.revision("shared") == 61


def _cli(argv: list[str], capsys) -> tuple[int, str, str]:
    from raretrace.cli import main

    try:
        status = main(argv)
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def _packet(tmp_path: Path, features: list[tuple[str, bool]], name: str = "case-c.json") -> Path:
    import json

    path = tmp_path / name
    path.write_text(json.dumps({"id": "case-c", "subject": {"id": "P"}, "phenotypicFeatures": [
        {"type": {"id": i}, "excluded": x} if x else {"type": {"id": i}} for i, x in features]}))
    return path


def test_case_import_over_an_edited_case_is_refused_without_replace_and_keeps_the_note(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    path, store_path = _packet(tmp_path, [("HP:0001250", False)]), tmp_path / "s" / "cases.sqlite"
    assert _cli(["case", "--store", str(store_path), "import", str(path)], capsys)[0] == 0
    with CaseStore(store_path) as s:  # the clinician adds a feature and a note in the GUI
        case = s.load_case("case-c")
        s.save_case(replace(case, phenotypes=(*case.phenotypes, Phenotype("HP:0001263", "GDD", source="typed")),
                            extra={**case.extra, "raretraceNote": "EEG pending.", "raretraceRejected": [["HP:1", 0, 3]]}))
    status, out, err = _cli(["case", "--store", str(store_path), "import", str(path)], capsys)
    errors = [line for line in err.splitlines() if line.strip()]
    assert status == 2 and out == ""
    assert len(errors) == 1 and errors[0].startswith("error: ") and "--replace" in errors[0], err
    with CaseStore(store_path) as s:
        assert [p.id for p in s.load_case("case-c").phenotypes] == ["HP:0001250", "HP:0001263"]
    status, out, err = _cli(["case", "--store", str(store_path), "import", "--replace", str(path)], capsys)
    assert status == 0 and out.startswith("replaced"), out + err
    with CaseStore(store_path) as s:
        stored = s.load_case("case-c")
        assert [p.id for p in stored.phenotypes] == ["HP:0001250"]
        assert stored.extra["raretraceNote"] == "EEG pending."  # the note typed with the case stays
        assert stored.extra["raretraceRejected"] == [["HP:1", 0, 3]]
        assert "removed feature HP:0001263 GDD" in s.audit("case-c")[-1].changes  # the dropped edit is in the log
    # the same file again: unchanged, the note still kept
    status, out, _ = _cli(["case", "--store", str(store_path), "import", str(path)], capsys)
    assert status == 0 and out.startswith("unchanged")
    # several files: the differing one is skipped with a warning naming --replace, the others imported (status 0,
    # as batch: partial problems are counted warnings)
    other = _packet(tmp_path, [("HP:0000256", False)], name="other.json")
    other.write_text(other.read_text().replace('"case-c"', '"case-d"'))
    changed = _packet(tmp_path, [("HP:0004322", False)], name="changed.json")
    status, out, err = _cli(["case", "--store", str(store_path), "import", str(changed), str(other)], capsys)
    assert status == 0 and "imported   case-d" in out
    assert "error:" not in err and "warning: 1 of 2 files skipped" in err and "--replace" in err, err


def test_case_export_of_a_read_only_store_writes_the_phenopacket_and_warns(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    path = tmp_path / "ro" / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(make_case())
    os.chmod(path, 0o444)
    status, out, err = _cli(["case", "--store", str(path), "export", "case-1"], capsys)
    assert status == 0, err
    assert '"id": "case-1"' in out
    assert [line.split(":")[0] for line in err.splitlines() if line.strip()] == ["warning"]
    assert "read-only" in err
    status, _, err = _cli(["case", "--store", str(path), "export", "case-1", "--out", str(tmp_path / "c.json")], capsys)
    assert status == 0 and (tmp_path / "c.json").is_file() and "warning:" in err


@pytest.mark.parametrize("target", ["the case store", "a text file", "another patient's phenopacket"])
def test_case_export_never_writes_over_the_store_or_a_file_that_is_not_its_own_earlier_export(target, tmp_path, capsys,
                                                                                              monkeypatch):
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(make_case())
    out = path if target == "the case store" else tmp_path / "notes.txt"
    if target == "a text file":
        out.write_text("the clinic's notes\n")
    elif target != "the case store":  # another case's phenopacket
        out = tmp_path / "source.json"
        out.write_text(json.dumps({"id": "case-9", "subject": {"id": "P9"}}))
    before = out.read_bytes() if target != "the case store" else b""
    status, stdout, err = _cli(["case", "--store", str(path), "export", "case-1", "--out", str(out)], capsys)
    assert status == 2 and stdout == "", err
    assert err.count("\n") == 1 and err.startswith("error: ") and str(out) in err
    if target != "the case store":
        assert out.read_bytes() == before
    with CaseStore(path) as s:  # every stored case is still there
        assert s.load_case("case-1") == make_case()


def test_case_export_to_a_folder_or_into_a_missing_one_says_which(tmp_path, capsys, monkeypatch):
    # a folder as --out was called "not a regular file (a device, a pipe)"; a folder that does not exist was only
    # "No such file or directory", as if the store or the case were missing
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(make_case())
    status, _, err = _cli(["case", "--store", str(path), "export", "case-1", "--out", str(tmp_path)], capsys)
    assert status == 2 and err == f"error: {tmp_path} is a folder; give a file name for the phenopacket (JSON)\n"
    missing = tmp_path / "no such folder" / "c.json"
    status, _, err = _cli(["case", "--store", str(path), "export", "case-1", "--out", str(missing)], capsys)
    assert status == 2 and err.count("\n") == 1 and f"the folder {missing.parent} does not exist" in err, err


def test_case_export_replaces_an_earlier_export(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    path, out = tmp_path / "cases.sqlite", tmp_path / "case-1.json"
    with CaseStore(path) as s:
        s.save_case(make_case())
    for _ in range(2):
        status, _, err = _cli(["case", "--store", str(path), "export", "case-1", "--out", str(out)], capsys)
        assert status == 0, err
    assert '"id": "case-1"' in out.read_text(encoding="utf-8")


def test_an_anonymised_export_is_replaced_by_the_next_one_of_its_case_and_its_id_is_in_the_audit_log(
        tmp_path, capsys, monkeypatch):
    # Exporting a case anonymised again (after an edit) to the same file was refused: the file "holds the phenopacket
    # of another case (anonymous-...)", the random ID of its own earlier export, which nothing recorded; a reply about
    # that ID could not be traced back to the patient either
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    path, out = tmp_path / "cases.sqlite", tmp_path / "to-share.json"
    with CaseStore(path) as s:
        s.save_case(make_case())
        s.save_case(make_case("case-2"))
    ids = []
    for _ in range(2):
        status, _, err = _cli(["case", "--store", str(path), "export", "case-1", "--anonymise", "--out", str(out)],
                              capsys)
        assert status == 0, err
        ids.append(json.loads(out.read_text())["id"])
    with CaseStore(path) as s:
        logged = [c for e in s.audit("case-1") if e.action == "exported" for c in e.changes]
    assert logged == [f"anonymised phenopacket {i} written to {out}" for i in ids]
    before = out.read_bytes()  # neither the case's identifiable export nor another case's is written over it
    status, _, err = _cli(["case", "--store", str(path), "export", "case-1", "--out", str(out)], capsys)
    # its own anonymised copy, said so: "another case (anonymous-...)" sent the clinician looking for a case that
    # does not exist
    assert status == 2 and err.count("\n") == 1 and "another case" not in err, err
    assert f"holds this case's anonymised export ({ids[-1]})" in err and "--anonymise" in err, err
    status, _, err = _cli(["case", "--store", str(path), "export", "case-2", "--anonymise", "--out", str(out)], capsys)
    assert status == 2 and err.count("\n") == 1 and f"another case ({ids[-1]})" in err, err
    assert out.read_bytes() == before


def test_a_read_only_store_file_keeps_its_permissions_and_is_opened_read_only(tmp_path):
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(make_case())
    os.chmod(path, 0o444)  # the user made it read-only (an archive, a finished study)
    with CaseStore(path) as s:
        assert s.read_only and "read-only" in s.read_only
        assert s.load_case("case-1") == make_case()
        assert [c.id for c in s.list_cases()] == ["case-1"]
        with pytest.raises(RareTraceError, match="can only be read") as excinfo:
            s.save_case(make_case("case-2"))
        assert "\n" not in str(excinfo.value)
    assert path.stat().st_mode & 0o777 == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.sqlite"]  # no side files next to it
    os.chmod(path, 0o600)
    with CaseStore(path) as s:
        assert s.read_only is None and s.save_case(make_case("case-2"))


def _python_cli() -> list[str]:
    """`python -m raretrace` (run with `_env`, whose PYTHONPATH works from any folder)."""
    return [sys.executable, "-m", "raretrace"]


def _env(tmp_path: Path) -> dict[str, str]:
    import raretrace

    env = {k: v for k, v in os.environ.items() if k not in ("RARETRACE_KB", "RARETRACE_STORE")}
    env["PYTHONPATH"] = str(Path(raretrace.__file__).resolve().parents[1])
    env["RARETRACE_HOME"] = str(tmp_path / "home")
    return env


def _unprivileged() -> list[str]:
    """A command prefix under which file permissions apply (root's powers dropped), or skip."""
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None or subprocess.run([setpriv, "--bounding-set=-all", "--inh-caps=-all", "true"]).returncode:
        pytest.skip("running as root and cannot drop root's powers (setpriv)")
    return [setpriv, "--bounding-set=-all", "--inh-caps=-all"]


def test_a_store_in_a_read_only_folder_can_be_listed_shown_and_exported(tmp_path):
    prefix = _unprivileged()
    folder = tmp_path / "archive"
    with CaseStore(folder / "cases.sqlite") as s:
        s.save_case(make_case())
    packet = _packet(tmp_path, [("HP:0001250", False)])
    os.chmod(folder, 0o555)
    try:
        def run(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run([*prefix, *_python_cli(), "case", "--store", str(folder / "cases.sqlite"), *args],
                                  capture_output=True, text=True, env=_env(tmp_path), timeout=120)

        listed, shown, exported, imported = run("list"), run("show", "case-1"), run("export", "case-1"), run(
            "import", str(packet))
    finally:
        os.chmod(folder, 0o700)
    assert listed.returncode == 0 and listed.stdout.startswith("case-1"), listed.stderr
    assert shown.returncode == 0 and "HP:0001250" in shown.stdout, shown.stderr
    assert exported.returncode == 0 and '"id": "case-1"' in exported.stdout, exported.stderr
    assert exported.stderr.startswith("warning:") and "read-only" in exported.stderr
    assert imported.returncode == 2 and imported.stdout == ""
    assert imported.stderr.count("\n") == 1 and imported.stderr.startswith("error: ") and "read-only" in imported.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["cases.sqlite"]


def test_a_store_on_a_full_disk_can_be_read_and_says_the_disk_is_full(tmp_path):
    """A 700 KiB tmpfs, mounted in a user namespace, filled after the store was written."""
    unshare = shutil.which("unshare")
    if os.name != "posix" or unshare is None or subprocess.run(
            [unshare, "-Urm", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {tmp_path}"]).returncode:
        pytest.skip("needs unshare and a tmpfs mount in a user namespace")
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    packet = _packet(tmp_path, [("HP:0001250", False)])
    rt = " ".join([*_python_cli(), "case", "--store", str(disk / "cases.sqlite")])
    script = f"""
mount -t tmpfs -o size=700k tmpfs {disk} || exit 99
{rt} import {packet} > /dev/null 2>&1 || exit 98
dd if=/dev/zero of={disk}/filler bs=4k > /dev/null 2>&1
for what in list "export case-c" "import {packet}"; do
  name=$(echo $what | cut -d' ' -f1)
  {rt} $what > {out}/$name.out 2> {out}/$name.err; echo $? > {out}/$name.rc
done
rm {disk}/filler
{rt} import {packet} > {out}/after.out 2> {out}/after.err; echo $? > {out}/after.rc
"""
    proc = subprocess.run([unshare, "-Urm", "sh", "-c", script], env=_env(tmp_path), timeout=300)
    assert proc.returncode == 0

    result = partial(_shell_result, out)

    status, stdout, err = result("list")
    assert status == 0 and stdout.startswith("case-c"), err
    status, stdout, err = result("export")
    assert status == 0 and '"id": "case-c"' in stdout and "disk is full" in err, err
    status, stdout, err = result("import")
    assert status == 2 and err.count("\n") == 1 and "disk is full" in err, err
    status, stdout, err = result("after")  # space again: the store works as before
    assert status == 0 and stdout.startswith("unchanged"), err


def test_a_store_on_a_read_only_file_system_says_so_not_that_the_file_is_read_only(tmp_path):
    """A store on a write-protected card or a read-only share was said to be "the file is read-only", sending the
    user to the file's permissions, which cannot help. The folder is bind-mounted read-only in a user namespace."""
    unshare = shutil.which("unshare")
    if os.name != "posix" or unshare is None or subprocess.run(
            [unshare, "-Urm", "sh", "-c", f"mount --bind {tmp_path} {tmp_path}"]).returncode:
        pytest.skip("needs unshare and a bind mount in a user namespace")
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    with CaseStore(disk / "cases.sqlite") as s:
        s.save_case(make_case())
    packet = _packet(tmp_path, [("HP:0001250", False)])
    rt = " ".join([*_python_cli(), "case", "--store", str(disk / "cases.sqlite")])
    script = f"""
mount --bind {disk} {disk} && mount -o remount,bind,ro {disk} || exit 99
touch {disk}/probe 2> /dev/null && exit 98
for what in list "import {packet}"; do
  name=$(echo $what | cut -d' ' -f1)
  {rt} $what > {out}/$name.out 2> {out}/$name.err; echo $? > {out}/$name.rc
done
"""
    proc = subprocess.run([unshare, "-Urm", "sh", "-c", script], env=_env(tmp_path), timeout=300)
    assert proc.returncode == 0

    result = partial(_shell_result, out)

    status, stdout, err = result("list")
    assert status == 0 and stdout.startswith("case-1"), err
    status, stdout, err = result("import")
    assert status == 2 and err.count("\n") == 1 and err.startswith("error: "), err
    assert "the file system is read-only" in err and "the file is read-only" not in err, err
    assert sorted(p.name for p in disk.iterdir()) == ["cases.sqlite"]


def _shell_result(out: Path, name: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of the command a test's shell script ran as `name`, from the files it wrote."""
    return (int((out / f"{name}.rc").read_text()), (out / f"{name}.out").read_text(),
            (out / f"{name}.err").read_text())


def _damage(path: Path, pages: list[int], seed: int = 3) -> None:
    rng = random.Random(seed)
    page_size = 4096
    with open(path, "r+b") as fh:
        for page in pages:
            fh.seek(page * page_size)
            fh.write(rng.randbytes(page_size))


def test_a_store_whose_header_was_overwritten_reads_as_damaged_not_as_another_file(tmp_path, monkeypatch):
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        for n in range(20):
            s.save_case(_expected(n, 1))
    with open(path, "r+b") as fh:  # the file's first 100 bytes (SQLite's header) overwritten
        fh.write(random.Random(5).randbytes(100))
    damaged = path.read_bytes()
    with pytest.raises(StoreDamaged, match="is damaged"):
        CaseStore(path)
    (copy,) = tmp_path.glob("cases.sqlite.damaged-*")
    assert copy.read_bytes() == damaged == path.read_bytes()  # copied aside as found; the file itself untouched
    other = tmp_path / "other.sqlite"  # an SQLite file of another kind is still "not a case store"
    other.write_bytes(random.Random(6).randbytes(4096))
    with pytest.raises(RareTraceError, match="not a RareTrace case store"):
        CaseStore(other)


def test_a_damaged_store_is_copied_aside_and_refused_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        for n in range(150):
            s.save_case(_expected(n, 1))
        assert s.conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert not Path(f"{path}-wal").exists()
    pages = path.stat().st_size // 4096
    _damage(path, [pages // 3, pages // 3 + 1, pages // 2, pages // 2 + 5, 2 * pages // 3])
    damaged = path.read_bytes()
    packet = _packet(tmp_path, [("HP:0001250", False)])
    status, out, err = _cli(["case", "--store", str(path), "import", str(packet)], capsys)
    errors = [line for line in err.splitlines() if line.strip()]
    assert status == 2 and out == ""
    assert len(errors) == 1 and "is damaged" in errors[0] and "export the open case" not in errors[0], err
    (copy,) = tmp_path.glob("cases.sqlite.damaged-*")
    assert str(copy) in errors[0]
    assert copy.read_bytes() == damaged and copy.stat().st_mode & 0o777 == 0o600
    with pytest.raises(RareTraceError, match="is damaged"):  # again: the same copy, not one more
        CaseStore(path)
    assert list(tmp_path.glob("cases.sqlite.damaged-*")) == [copy]


def test_a_store_of_a_newer_raretrace_is_refused_and_left_as_it_was(tmp_path):
    # Refused ("written by a newer RareTrace"), the store was first switched to WAL: written to by the version that
    # says it cannot read it, in a journal mode the newer version may not have chosen
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(make_case())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(RareTraceError, match="written by a newer RareTrace"):
        CaseStore(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["cases.sqlite"]


def test_a_store_of_an_old_layout_is_refused_not_stamped_current(tmp_path):
    from raretrace.store import APPLICATION_ID

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE cases (id TEXT PRIMARY KEY, subject_id TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(RareTraceError, match=r"another layout.*cases\.sex") as excinfo:
        CaseStore(path)
    assert "\n" not in str(excinfo.value)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0  # not stamped
    assert [r[1] for r in conn.execute("PRAGMA table_info(cases)")] == ["id", "subject_id"]
    conn.close()
    # a current store that lost a column (edited by hand, or an older build) is refused too
    path = tmp_path / "v1.sqlite"
    CaseStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE cases DROP COLUMN revision")
    conn.commit()
    conn.close()
    with pytest.raises(RareTraceError, match=r"cases\.revision"):
        CaseStore(path)


@pytest.mark.parametrize("record", [True, False])
def test_reanalysis_notices_a_vcf_changed_on_disk_and_records_its_new_hash(store, tmp_path, record):
    vcf = tmp_path / "p.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n", encoding="utf-8")
    case = make_case(vcf=vcf)
    store.save_case(case)
    store.record_analysis(case.id, result(case, ["OMIM:1"]).to_json())
    vcf.write_text(vcf.read_text(encoding="utf-8") + "1\t100\t.\tA\tG\t50\tPASS\t.\n", encoding="utf-8")
    re = reanalyse(store, case.id, lambda c: result(c, ["OMIM:1"]), record=record)
    new = sha256_file(vcf)
    assert any(line.startswith("files:") and new in line for line in re.inputs_changed)
    if record:
        assert store.latest_analysis(case.id).inputs["files"][0]["sha256"] == new
        assert any("content of p.vcf changed" in line for e in store.audit(case.id) for line in e.changes)


def test_a_file_refused_as_a_store_keeps_its_content_and_permissions(tmp_path):
    victim = tmp_path / "victim.json"
    victim.write_text('{"id": "not a store"}\n')
    os.chmod(victim, 0o644)
    other = tmp_path / "other.sqlite"  # another program's SQLite database
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    os.chmod(other, 0o664)
    for path, mode in ((victim, 0o644), (other, 0o664)):
        before = path.read_bytes()
        with pytest.raises(RareTraceError, match="not a RareTrace case store"):
            CaseStore(path)
        assert path.read_bytes() == before and path.stat().st_mode & 0o777 == mode
    empty = tmp_path / "new.sqlite"  # an empty file becomes the store: private like a new one
    empty.touch(mode=0o644)
    os.chmod(empty, 0o644)
    CaseStore(empty).close()
    assert empty.stat().st_mode & 0o777 == 0o600


def test_a_missing_store_is_created_only_when_asked(tmp_path):
    path = tmp_path / "new" / "cases.sqlite"
    with pytest.raises(RareTraceError, match="no case store at .* yet"):
        CaseStore(path, create=False)
    assert not path.parent.exists()
    with CaseStore(path) as s:  # the default, as the window opens it: created on first use
        s.save_case(make_case())
    with CaseStore(path, create=False) as s:
        assert "case-1" in s


def test_reanalysis_never_writes_a_stale_copy_over_an_edit_saved_meanwhile(store, monkeypatch):
    from raretrace.store import StoreConflict

    case = make_case()
    store.save_case(case)
    load = store.load_case
    edited = replace(case, phenotypes=case.phenotypes + (Phenotype("HP:0001252", "Hypotonia"),))

    def load_then_someone_edits(case_id):
        stale = load(case_id)
        store.save_case(edited)  # the window saves an edit while the re-analysis is starting
        return stale

    monkeypatch.setattr(store, "load_case", load_then_someone_edits)
    with pytest.raises(StoreConflict):
        reanalyse(store, case.id, lambda c: result(c, ["OMIM:1"]))
    monkeypatch.undo()
    assert "HP:0001252" in [p.id for p in store.load_case(case.id).phenotypes]


def test_a_reanalysis_is_recorded_against_the_case_it_analysed_not_an_edit_saved_while_it_ran(tmp_path):
    # `case reanalyse` recorded its analysis with the case as stored when it ended: an edit the window saved while it
    # ran (minutes, with a genome) was credited to it, its inputs listing a feature it never ranked, and the case
    # list no longer said the case changed since its analysis
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(make_case())
    window = CaseStore(path)  # another process on the store

    def analyse_while_the_window_saves(case):
        stored, revision = window.load_with_revision(case.id)
        window.save_case(replace(stored, phenotypes=(*stored.phenotypes, Phenotype("HP:0001252", "Hypotonia"))),
                         expected_revision=revision)
        return result(case, ["OMIM:1"])

    with CaseStore(path) as s:
        outcome = reanalyse(s, "case-1", analyse_while_the_window_saves)
        (analysis,) = s.analyses("case-1")
        assert analysis.id == outcome.analysis_id and analysis.case_revision == 1
        assert "HP:0001252" not in analysis.inputs["present"]
        assert s.list_cases()[0].changed_since_analysis
    window.close()


def test_case_import_finds_the_files_batch_finds_and_reads_a_file_named_twice_once(tmp_path, capsys, monkeypatch):
    # case import kept its own file finder: a file named twice (its folder and itself, or a link to it) was read
    # again and said "unchanged", counted twice; batch's finder, shared now, lists it once and, as import's did,
    # passes over a folder whose name ends in .json (batch warned of it as a file that could not be read)
    from raretrace.case import phenopacket_files

    monkeypatch.delenv("RARETRACE_KB", raising=False)
    folder = tmp_path / "cases"
    folder.mkdir()
    path = _packet(folder, [("HP:0001250", False)])
    (folder / "link.json").symlink_to(path.name)
    (folder / "old.json").mkdir()
    assert phenopacket_files([folder, path]) == [path]
    status, out, err = _cli(["case", "--store", str(tmp_path / "cases.sqlite"), "import", str(folder), str(path)],
                            capsys)
    assert status == 0, err
    assert out.splitlines() == ["imported   case-c (1 present, 0 excluded, 0 files)"]
    assert "1 imported, 0 updated, 0 unchanged, 0 skipped" in err and "warning:" not in err, err
    missing = tmp_path / "missing"
    assert _cli(["case", "--store", str(tmp_path / "cases.sqlite"), "import", str(missing)], capsys)[2] == \
        f"error: no such file or folder: {missing}\n"


def test_folders_are_searched_for_json_files_in_any_letter_case(tmp_path, capsys, monkeypatch):
    # a folder of CASE.JSON files (as Windows tools and some exports name them) was "no phenopacket JSON files found"
    # to case import and batch, and a mixed folder lost those cases without a word
    from raretrace.case import phenopacket_files

    monkeypatch.delenv("RARETRACE_KB", raising=False)
    folder = tmp_path / "cases"
    (folder / "sub").mkdir(parents=True)
    upper = _packet(folder, [("HP:0001250", False)], name="A.JSON")
    mixed = _packet(folder / "sub", [("HP:0001250", False)], name="b.Json")
    mixed.write_text(mixed.read_text().replace('"case-c"', '"case-d"'))
    (folder / "notes.txt").write_text("not a phenopacket")
    (folder / "old.jsonl").write_text("{}")
    assert phenopacket_files([folder]) == [upper, mixed]
    status, out, err = _cli(["case", "--store", str(tmp_path / "cases.sqlite"), "import", str(folder)], capsys)
    assert status == 0, err
    assert [line.split()[1] for line in out.splitlines()] == ["case-c", "case-d"]


def test_hidden_files_in_a_folder_are_not_read_as_cases_but_one_named_is(tmp_path, capsys, monkeypatch):
    # A folder copied from a Mac holds AppleDouble files (._case.json, binary) beside each case, and a .Trashes
    # folder more: each was a "not UTF-8" warning, and the import of a good folder exited 2
    from raretrace.case import phenopacket_files

    monkeypatch.delenv("RARETRACE_KB", raising=False)
    folder = tmp_path / ".exports"  # a hidden folder named by the user is searched
    (folder / ".Trashes" / "501").mkdir(parents=True)
    good = _packet(folder, [("HP:0001250", False)], name="case-c.json")
    (folder / "._case-c.json").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(64))
    (folder / ".Trashes" / "501" / "deleted.json").write_text("{}")
    assert phenopacket_files([folder]) == [good]
    status, out, err = _cli(["case", "--store", str(tmp_path / "cases.sqlite"), "import", str(folder)], capsys)
    assert status == 0 and out.startswith("imported   case-c") and "warning:" not in err, err
    named = folder / ".Trashes" / "501" / "deleted.json"
    assert phenopacket_files([named]) == [named]  # a hidden file named by the user is read, as any file given


def test_case_import_says_a_solved_cases_diagnosis_is_not_stored(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    path = tmp_path / "solved.json"
    path.write_text(json.dumps({"id": "solved", "subject": {"id": "P"}, "phenotypicFeatures": [
        {"type": {"id": "HP:0001250"}}], "interpretations": [{"id": "i", "progressStatus": "SOLVED"}]}))
    status, _out, err = _cli(["case", "--store", str(tmp_path / "cases.sqlite"), "import", str(path)], capsys)
    assert status == 0 and "interpretations not stored" in err


def test_store_may_follow_the_action_as_well_as_precede_it(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(make_case())
    for argv in (["case", "--store", str(path), "list", "--json"], ["case", "list", "--json", "--store", str(path)]):
        status, out, err = _cli(argv, capsys)
        assert status == 0, err
        assert [c["id"] for c in json.loads(out)] == ["case-1"]


@pytest.fixture
def auckland(monkeypatch: pytest.MonkeyPatch):
    """The process's local time zone set to Pacific/Auckland (UTC+13 in December) for the test."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_store_times_are_shown_in_local_time(tmp_path, capsys, auckland):
    from raretrace.store import local_time

    # stored in UTC; a clinician in Auckland saved it at 02:14 on the 7th, their time
    assert local_time("2026-12-06T13:14:46.549Z") == "2026-12-07 02:14"
    assert local_time(None) == "" and local_time("") == ""
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(make_case())
        stamp = s.list_cases()[0].updated_at
    status, out, _ = _cli(["case", "--store", str(path), "list"], capsys)
    assert status == 0 and f"changed {local_time(stamp)}" in out


def test_case_show_gives_its_analyses_and_audit_log_in_local_time_as_list_does(tmp_path, capsys, auckland):
    # `case show` printed the stored UTC stamps ("2026-12-06T21:24:14.770Z") where `case list` and `case reanalyse`
    # give local time: in Auckland list said "analysed 2026-12-07" and show the same analysis on the 6th
    from raretrace.store import local_time

    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        case = make_case()
        s.save_case(case)
        s.record_analysis(case.id, result(case, ["OMIM:1"]).to_json())
        stamps = [a.created_at for a in s.analyses(case.id, with_results=False)] + [e.at for e in s.audit(case.id)]
    status, out, err = _cli(["case", "--store", str(path), "show", case.id], capsys)
    assert status == 0, err
    for stamp in stamps:
        assert stamp not in out and local_time(stamp) in out, out
    assert f"analysis 1  {local_time(stamps[0])}  by " in out
    status, out, _ = _cli(["case", "--store", str(path), "show", case.id, "--json"], capsys)
    assert json.loads(out)["analyses"][0]["at"] == stamps[0]  # the JSON keeps the exact UTC stamp


def test_case_show_gives_the_clinical_note_kept_with_the_case(tmp_path, capsys):
    # the note typed in the window (what `case list --search` finds a case by) was in neither the text nor the JSON
    # of `case show`, so a case found by a word of its note showed nothing of it
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(replace(make_case(), extra={"raretraceNote": "Seizures since 3 months.\nEEG pending."}))
        s.save_case(make_case("no-note"))
    status, out, err = _cli(["case", "--store", str(path), "show", "case-1"], capsys)
    assert status == 0, err
    assert "  note: Seizures since 3 months.\n        EEG pending.\n" in out, out
    status, out, _ = _cli(["case", "--store", str(path), "show", "case-1", "--json"], capsys)
    assert json.loads(out)["note"] == "Seizures since 3 months.\nEEG pending."
    status, out, _ = _cli(["case", "--store", str(path), "show", "no-note"], capsys)
    assert "  note:" not in out
    status, out, _ = _cli(["case", "--store", str(path), "show", "no-note", "--json"], capsys)
    assert json.loads(out)["note"] == ""


def test_case_show_gives_ages_and_onsets_in_words_as_the_window_and_the_report_do(tmp_path, capsys):
    # it printed "age P4Y" and "onset HP:0003593", where the window and the PDF say "4 years" and "Infantile onset"
    path = tmp_path / "cases.sqlite"
    case = make_case()
    case = replace(case, age="P2Y6M", phenotypes=(*case.phenotypes[:2], replace(case.phenotypes[2], onset="P1Y3M")))
    with CaseStore(path) as s:
        s.save_case(case)
        s.save_case(replace(make_case("no-age"), age=None))
    status, out, err = _cli(["case", "--store", str(path), "show", "case-1"], capsys)
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].endswith("  age 2 years 6 months") and "      HP:0001250  Seizure  Infantile onset  (typed)" in lines
    assert "  NOT HP:0000256  Macrocephaly  onset at 1 year 3 months  (imported)" in lines
    status, out, _ = _cli(["case", "--store", str(path), "show", "case-1", "--json"], capsys)
    shown = json.loads(out)
    assert shown["age"] == "P2Y6M" and shown["phenotypes"][0]["onset"] == "HP:0003593"  # the JSON as stored
    assert _cli(["case", "--store", str(path), "show", "no-age"], capsys)[1].splitlines()[0].endswith("  age -")


def test_case_reanalyse_says_the_device_it_ranked_on(engine, tmp_path, capsys):
    from raretrace.cli import main

    # the device of the new analysis was in neither the text nor the --json output of `case reanalyse` (CLI.md: the
    # device used is reported); a version only one of the two analyses has was shown as "None"
    path = tmp_path / "cases.sqlite"
    case = case_from_terms("re-1", ["HP:0001156", "HP:0001363"])
    with CaseStore(path) as s:
        s.save_case(case)
        s.record_analysis(case.id, result(case, ["OMIM:1"]).to_json(), {"device_note": "running on the CPU: test"})
    base = ["--kb", str(engine.kb_path), "case", "--store", str(path), "reanalyse", case.id, "--device", "cpu"]
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "  ranked on cpu\n" in out and "  version device_note: running on the CPU: test -> (none)" in out, out
    assert main([*base, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["device"] == "cpu"


def test_a_gestational_onset_stored_by_an_earlier_version_is_read_analysed_and_exported(tmp_path):
    """RareTrace before the gestational-age reader stored such a feature with no onset and the onset object in its
    details: read now, it must be the onset a fresh import gives (shown, analysed), and its export must still carry
    the gestational age (it was dropped: the export took the readable object for an onset cleared since)."""
    from raretrace.case import case_from_phenopacket
    from raretrace.phenopacket import to_phenopacket

    feature = {"type": {"id": "HP:0001250", "label": "Seizure"}, "onset": {"gestationalAge": {"weeks": 30, "days": 2}}}
    packet = {"id": "fetus-1", "subject": {"id": "F1"}, "phenotypicFeatures": [feature]}
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(case_from_phenopacket(packet))
    conn = sqlite3.connect(path)  # the row as the earlier version wrote it
    conn.execute("UPDATE phenotypes SET onset = NULL")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with CaseStore(path) as s:
        case = s.load_case("fetus-1")
        assert case.phenotypes[0].onset == case_from_phenopacket(packet).phenotypes[0].onset == "HP:0034197"
        assert s.case_state("fetus-1")[1]["onsets"] == {"HP:0001250": "HP:0034197"}
        assert to_phenopacket(case)["phenotypicFeatures"] == [feature]
        assert s.save_case(case) == []  # reading it so is no change of the case


def test_the_case_list_says_when_a_case_changed_after_its_latest_analysis(store, capsys):
    # "analysed" alone read as up to date for a case edited since (the GUI's list and `case list` alike)
    case = make_case()
    store.save_case(case)
    assert store.list_cases()[0].changed_since_analysis is False  # never analysed
    store.record_analysis(case.id, result(case, ["OMIM:1"]).to_json())
    store.save_case(case)  # saved again unchanged: no new revision
    assert store.list_cases()[0].changed_since_analysis is False
    store.save_case(replace(case, phenotypes=case.phenotypes + (Phenotype("HP:0001252", "Hypotonia"),)))
    summary = store.list_cases()[0]
    assert summary.changed_since_analysis is True and summary.to_json()["changed_since_analysis"] is True
    store.record_analysis(case.id, result(case, ["OMIM:1"]).to_json())
    assert store.list_cases()[0].changed_since_analysis is False


def test_case_reanalyse_reads_a_stored_trio_with_the_ped_kept_with_it(engine, tmp_path, capsys):
    # The window keeps a trio's PED with the case; `case reanalyse` ignored it, so the family VCF named no patient
    # (an error) where the window re-analyses the same stored case with the parents (de novo)
    from vcf_fixtures import record, vcf_text, write_ped, write_plain

    from raretrace.case import PED_KEY
    from raretrace.cli import main

    vcf = write_plain(tmp_path / "trio.vcf", vcf_text([record("10", 123256215, "T", "G", "0/1", "0/0", "0/0")],
                                                     samples=("kid", "dad", "mum")))
    ped = write_ped(tmp_path / "trio.ped", ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"])
    case = replace(case_from_terms("trio-1", ["HP:0001156", "HP:0001363"]),
                   files=(CaseFile(path=str(vcf), assembly="GRCh37"),), extra={PED_KEY: str(ped)})
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(case)
    base = ["--kb", str(engine.kb_path), "case", "--store", str(path), "reanalyse", case.id, "--device", "cpu"]
    assert main([*base, "--json"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    with CaseStore(path) as s:
        genes = s.latest_analysis(case.id).result["genes"]
    fgfr2 = next(g for g in genes if g["id"] == "FGFR2")
    assert any(v.get("de_novo") for v in fgfr2["variants"])
    ped.unlink()  # moved away since: named, not read as a singleton
    assert main(base) == 2
    err = capsys.readouterr().err  # what to do, in options `case reanalyse` has (it has no --ped)
    assert "PED file of case trio-1 is not found" in err and "--ped" not in err and "case import --replace" in err


def test_case_show_names_the_ped_kept_with_the_case(engine, tmp_path, capsys):
    # `case reanalyse` reads the case's VCF with the PED kept with it (PS2/PM6, phase, PP1/BS4 rest on it), yet
    # `case show`, text or JSON, listed the VCF only: nobody could tell which family a re-analysis would use
    from raretrace.case import PED_KEY
    from raretrace.cli import main

    ped = tmp_path / "trio.ped"
    ped.write_text("F dad 0 0 1 1\nF mum 0 0 2 1\nF kid dad mum 1 2\n", encoding="utf-8")
    trio = replace(case_from_terms("trio-3", ["HP:0001156"]), extra={PED_KEY: str(ped)})
    path = tmp_path / "cases.sqlite"
    with CaseStore(path) as s:
        s.save_case(trio)
        s.save_case(case_from_terms("single-1", ["HP:0001156"]))
    base = ["case", "--store", str(path), "show"]
    assert main([*base, "trio-3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ped"] == str(ped)
    assert main([*base, "trio-3"]) == 0
    assert f"  family PED {ped}" in capsys.readouterr().out.splitlines()
    assert main([*base, "single-1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ped"] == ""


def test_an_exported_trio_carries_its_ped_and_is_analysed_with_its_family_again(engine, tmp_path, capsys):
    # The PED kept with a trio case was left out of its exported phenopacket, so the export, analysed elsewhere or
    # imported again, named no patient in the family VCF or lost the parents (no de novo call)
    from vcf_fixtures import record, vcf_text, write_ped, write_plain

    from raretrace.case import PED_KEY, case_from_phenopacket
    from raretrace.cli import main
    from raretrace.phenopacket import to_phenopacket

    vcf = write_plain(tmp_path / "trio.vcf", vcf_text([record("10", 123256215, "T", "G", "0/1", "0/0", "0/0")],
                                                     samples=("kid", "dad", "mum")))
    ped = write_ped(tmp_path / "trio.ped", ["F dad 0 0 1 1", "F mum 0 0 2 1", "F kid dad mum 1 2"])
    case = replace(case_from_terms("trio-2", ["HP:0001156", "HP:0001363"]),
                   files=(CaseFile(path=str(vcf), assembly="GRCh37"),), extra={PED_KEY: str(ped)})
    packet = to_phenopacket(case)
    assert packet["files"][-1] == {"uri": ped.as_uri(), "fileAttributes": {"fileFormat": "PED"}}
    again = case_from_phenopacket(packet)
    assert again.extra[PED_KEY] == str(ped) and [f.path for f in again.files] == [str(vcf)]  # not a second file
    assert to_phenopacket(again)["files"] == packet["files"]  # and out again once

    exported = tmp_path / "trio-2.json"
    exported.write_text(json.dumps(packet))
    assert main(["--kb", str(engine.kb_path), "analyze", str(exported), "--json", "--device", "cpu"]) == 0
    out = json.loads(capsys.readouterr().out)
    fgfr2 = next(g for g in out["genes"] if g["id"] == "FGFR2")
    assert any(v.get("de_novo") for v in fgfr2["variants"])
    assert not any("files not used" in w for w in out["warnings"])
    assert out["vcf"]["ped"] == str(ped) and [(m["role"], m["sample"], m["affected"]) for m in out["vcf"]["family"]] \
        == [("patient", "kid", True), ("father", "dad", False), ("mother", "mum", False)]
    pdf = tmp_path / "trio.pdf"
    assert main(["--kb", str(engine.kb_path), "report", str(exported), "--out", str(pdf), "--device", "cpu"]) == 0
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "Family read patient kid (affected); father dad (unaffected); mother mum (unaffected)" in text

    warnings: list[str] = []
    anonymous = to_phenopacket(case, anonymise=True, warnings=warnings)
    assert anonymous["files"][-1] == {"uri": "file-2.ped", "fileAttributes": {"fileFormat": "PED"}}
    assert any("PED file names the family" in w for w in warnings)


def test_reads_never_wait_for_a_save_waiting_on_another_process(tmp_path):
    # The window reads the store on its own thread while its saves run on another: a save waiting for another
    # process's write transaction must not hold the window's reads up (up to the 30 s busy timeout).
    store = CaseStore(tmp_path / "cases.sqlite")
    case = make_case()
    store.save_case(case)
    holder = hold_write_lock(store.path)
    outcome: list[object] = []

    def save() -> None:
        try:
            outcome.append(store.save_case(replace(case, age="P5Y"), expected_revision=1))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcome.append(exc)

    saver = threading.Thread(target=save)
    try:
        saver.start()
        time.sleep(0.5)  # the save is now waiting for the other process's lock
        # read while the save still waits: before, these waited for it (the holder gives up after 60 s)
        assert case.id in store and store.revision(case.id) == 1
        assert store.load_with_revision(case.id) == (case, 1)
        assert [c.id for c in store.list_cases()] == [case.id] and store.latest_analysis(case.id) is None
        assert saver.is_alive() and not outcome
    finally:
        holder.communicate("commit\n", timeout=70)
        saver.join()
    assert outcome == [["age: P4Y -> P5Y"]] and store.revision(case.id) == 2
    store.close()


@pytest.mark.parametrize("how", ["deleted", "moved", "replaced"])
def test_a_save_to_a_store_file_deleted_moved_or_replaced_while_open_is_refused(tmp_path, how):
    # Written on, the old file would take the save where nobody finds it again: a deleted file's content goes when
    # the window closes; a moved one's new pages stay in a -wal file under the old name; a replaced one (a backup
    # restored, a synchronised folder) is no longer the store the command line and other windows use.
    path = tmp_path / "cases.sqlite"
    store = CaseStore(path)
    case = make_case()
    store.save_case(case)
    if how == "deleted":
        path.unlink()
    elif how == "moved":
        path.rename(tmp_path / "elsewhere.sqlite")
    else:
        shutil.copy(path, tmp_path / "restored.sqlite")
        os.replace(tmp_path / "restored.sqlite", path)
    with pytest.raises(RareTraceError, match=r"^could not write to the case store .*: its file was moved, replaced "
                                             r"or deleted since it was opened"):
        store.save_case(replace(case, age="P5Y"), expected_revision=1)
    with pytest.raises(RareTraceError, match="moved, replaced or deleted"):
        store.log_event(case.id, "exported", "phenopacket written to x.json")
    assert store.load_case(case.id) == case  # reading what it holds still works
    store.close()


def test_a_save_the_store_stays_locked_for_says_who_holds_it_and_that_nothing_was_saved(tmp_path, monkeypatch):
    import raretrace.store

    monkeypatch.setattr(raretrace.store, "BUSY_TIMEOUT_S", 0.2)  # the wait before giving up (30 s in use)
    store = CaseStore(tmp_path / "cases.sqlite")
    case = make_case()
    store.save_case(case)
    holder = hold_write_lock(store.path)
    try:
        with pytest.raises(RareTraceError) as excinfo:
            store.save_case(replace(case, age="P5Y"), expected_revision=1)
    finally:
        holder.communicate("commit\n", timeout=70)
    message = str(excinfo.value)
    assert "database is locked" not in message and "\n" not in message
    assert "another program" in message and "nothing was changed" in message and "try again" in message
    assert store.save_case(replace(case, age="P5Y"), expected_revision=1) == ["age: P4Y -> P5Y"]
    store.close()


def test_case_reanalyse_all_reanalyses_every_stored_case_and_marks_those_whose_first_hypothesis_changed(
        engine, tmp_path, capsys):
    # After a knowledge-base or model update a clinic re-analyses its cases: one command per case ID was the only
    # way, with no list of the cases whose first diagnosis changed; a case whose VCF is gone must not stop the rest
    from raretrace.cli import main

    path = tmp_path / "cases.sqlite"
    pfeiffer = case_from_terms("pfeiffer", ["HP:0001156", "HP:0001363", "HP:0011304", "HP:0010055"])
    gone = replace(case_from_terms("vcf-gone", ["HP:0001250"]),
                   files=(CaseFile(path=str(tmp_path / "moved.vcf.gz"), assembly="GRCh37"),))
    with CaseStore(path) as s:
        for case in (pfeiffer, gone, case_from_terms("never-analysed", ["HP:0000252"])):
            s.save_case(case)
        s.record_analysis("pfeiffer", {"diseases": [{"id": "OMIM:000001", "label": "Old first"}],
                                       "genes": [{"id": "OLD1", "label": "OLD1"}]})
    base = ["--kb", str(engine.kb_path), "case", "--store", str(path), "reanalyse"]
    assert main([*base, "--all", "--device", "cpu"]) == 0
    out, err = capsys.readouterr()
    assert "case vcf-gone not re-analysed" in err
    lines = out.splitlines()
    assert any(line.startswith("* pfeiffer: first disease OMIM:000001 -> ") for line in lines), out
    # a first analysis has nothing to compare with: no "0 change(s) within the top 10" as if it had been compared
    first = [line for line in lines if line.startswith("  never-analysed: first analysis: ")]
    assert len(first) == 1 and first[0].endswith("; nothing to compare with"), out
    assert lines[-1].startswith("2 case(s) re-analysed; 1 with another first disease or gene (*); 1 not re-analysed")
    with CaseStore(path) as s:
        assert len(s.analyses("pfeiffer")) == 2 and s.analyses("never-analysed")
    # run again: nothing changed since, so no case is marked
    assert main([*base, "--all", "--json", "--device", "cpu"]) == 0
    done = [x for x in json.loads(capsys.readouterr().out) if "error" not in x]
    assert len(done) == 2 and not any(x["first_changed"] for x in done)
    assert main([*base, "pfeiffer", "--all"]) == 2 and "not both" in capsys.readouterr().err
    assert main(base) == 2 and "or --all" in capsys.readouterr().err
    typo = tmp_path / "cases-typo.sqlite"  # a mistyped store: said, not created empty
    assert main(["--kb", str(engine.kb_path), "case", "--store", str(typo), "reanalyse", "--all"]) == 2
    assert not typo.exists() and capsys.readouterr().err.startswith("error: ")


def test_case_reanalyse_all_with_no_case_re_analysed_ends_with_one_error_line(engine, tmp_path, capsys):
    # every case failing (their VCFs moved away) exited 2 with warnings only: no `error:` line, as bad input has
    from raretrace.cli import main

    path = tmp_path / "cases.sqlite"
    gone = replace(case_from_terms("vcf-gone", ["HP:0001250"]),
                   files=(CaseFile(path=str(tmp_path / "moved.vcf.gz"), assembly="GRCh37"),))
    with CaseStore(path) as s:
        s.save_case(gone)
    for extra in ([], ["--json"]):
        assert main(["--kb", str(engine.kb_path), "case", "--store", str(path), "reanalyse", "--all", "--device",
                     "cpu", *extra]) == 2
        out, err = capsys.readouterr()
        errors = [line for line in err.splitlines() if line.startswith("error: ")]
        assert errors == ["error: none of the 1 stored case(s) could be re-analysed (see the warnings above)"], err
        assert "vcf-gone" in out  # the per-case lines (JSON too) are still printed


def test_a_phenopacket_giving_feature_ids_only_is_stored_with_their_labels_and_found_by_name(engine, tmp_path, capsys,
                                                                                            monkeypatch):
    # Features imported without a label were stored with an empty one: `case show` printed blanks and the case list
    # did not find the case by the feature's name (a search for craniosynostosis missed HP:0001363)
    from raretrace.cli import main

    monkeypatch.setenv("RARETRACE_KB", str(engine.kb_path))
    packet = tmp_path / "ids-only.json"
    packet.write_text(json.dumps({"id": "ids-only", "phenotypicFeatures": [
        {"type": {"id": "HP:0001363"}}, {"type": {"id": "HP:0000001"}, "excluded": True},
        {"type": {"id": "HP:9999999"}}]}))
    store = ["case", "--store", str(tmp_path / "cases.sqlite")]
    assert main([*store, "import", str(packet)]) == 0
    capsys.readouterr()
    with CaseStore(tmp_path / "cases.sqlite") as s:
        assert [p.label for p in s.load_case("ids-only").phenotypes] == ["Craniosynostosis", "All", ""]
        assert [c.id for c in s.list_cases("craniosynostosis")] == ["ids-only"]


def _gui_case(tmp_path: Path) -> Case:
    """A case as the window makes it: typed features (an onset picked), features taken from the clinical note (one
    finding rejected), a VCF chosen, the note kept with the case; no phenopacket details at all."""
    vcf = tmp_path / "exome.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n")
    return Case(
        id="gui-1", subject_id="P1", sex="FEMALE", age="P4Y",
        phenotypes=(
            Phenotype("HP:0001250", "Seizure", onset="HP:0003593", source="typed"),
            Phenotype("HP:0004322", "Short stature", source="extracted"),
            Phenotype("HP:0001263", "Global developmental delay", onset="P2Y", source="extracted"),
            Phenotype("HP:0000256", "Macrocephaly", excluded=True, source="typed"),
        ),
        files=(CaseFile(str(vcf), "GRCh38", "S1"),),
        extra={"raretraceNote": "Seizures since infancy, short. No macrocephaly.",
               "raretraceRejected": [["HP:0000252", 0, 8]]},
    )


def test_noted_relatives_findings_go_through_case_export_and_import(tmp_path, capsys, monkeypatch):
    # The relatives' findings the clinician noted (reviewed; not the patient's) were lost on `case export`: imported
    # into another store, the case showed them undecided, to review again. They travel as the rejections do, and
    # an import over the stored case from a file without them keeps the stored ones (keep_stored_note).
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    first, second, out = tmp_path / "a" / "cases.sqlite", tmp_path / "b" / "cases.sqlite", tmp_path / "gui-1.json"
    case = _gui_case(tmp_path)
    noted = [["HP:0000365", 30, 42]]
    with CaseStore(first) as s:
        s.save_case(replace(case, extra={**case.extra, "raretraceNoted": noted}))
    assert _cli(["case", "--store", str(first), "export", "gui-1", "--out", str(out)], capsys)[0] == 0
    assert "raretrace:noted-relative-findings" in out.read_text()
    status, stdout, err = _cli(["case", "--store", str(second), "import", str(out)], capsys)
    assert status == 0 and stdout.startswith("imported"), stdout + err
    with CaseStore(second) as s:
        back = s.load_case("gui-1")
    assert back.extra["raretraceNoted"] == noted
    assert back.extra["raretraceRejected"] == case.extra["raretraceRejected"]
    assert [p.id for p in back.phenotypes] == [p.id for p in case.phenotypes]  # none of them a relative's
    # the same case's file written before noted findings were kept: the stored noted findings stay
    packet = json.loads(out.read_text())
    packet["metaData"]["externalReferences"] = [r for r in packet["metaData"]["externalReferences"]
                                                if r["id"] != "raretrace:noted-relative-findings"]
    out.write_text(json.dumps(packet))
    status, stdout, err = _cli(["case", "--store", str(second), "import", str(out)], capsys)
    assert status == 0 and stdout.startswith("unchanged"), stdout + err
    with CaseStore(second) as s:
        assert s.load_case("gui-1").extra["raretraceNoted"] == noted


def test_a_case_imported_from_its_own_export_is_unchanged_and_keeps_its_markers(tmp_path, capsys, monkeypatch):
    # Importing a case's own export back was refused ("differs": features typed -> imported, details changed by the
    # onset object the export writes, the files entry and metaData it adds); with --replace the typed and extracted
    # markers were lost. The export of a stored case is that case: unchanged, nothing rewritten
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    store_path, out = tmp_path / "s" / "cases.sqlite", tmp_path / "gui-1.json"
    with CaseStore(store_path) as s:
        s.save_case(_gui_case(tmp_path))
        saved = s.load_case("gui-1")
    assert _cli(["case", "--store", str(store_path), "export", "gui-1", "--out", str(out)], capsys)[0] == 0
    status, stdout, err = _cli(["case", "--store", str(store_path), "import", str(out)], capsys)
    assert status == 0 and stdout == "unchanged  gui-1\n", stdout + err
    with CaseStore(store_path) as s:
        assert s.revision("gui-1") == 1
        assert s.load_case("gui-1") == saved
    # an edited copy of the export: the features it leaves as they were keep their markers; only the edit changes
    packet = json.loads(out.read_text())
    packet["phenotypicFeatures"].append({"type": {"id": "HP:0001252", "label": "Hypotonia"}})
    out.write_text(json.dumps(packet))
    status, stdout, err = _cli(["case", "--store", str(store_path), "import", "--replace", str(out)], capsys)
    assert status == 0 and stdout.startswith("replaced   gui-1: ") and "added feature HP:0001252" in stdout, err
    assert "source of" not in stdout and "details of" not in stdout and "fields changed" not in stdout, stdout
    with CaseStore(store_path) as s:
        stored = s.load_case("gui-1")
        assert [p.source for p in stored.phenotypes] == ["typed", "extracted", "extracted", "typed", "imported"]
        assert [p.details for p in stored.phenotypes[:4]] == [None] * 4
        assert stored.extra == saved.extra and stored.files == saved.files
        assert [c for c in s.audit("gui-1")[-1].changes if "feature" in c] == ["added feature HP:0001252 Hypotonia"]


def test_an_anonymised_export_imported_back_is_another_case_never_merged_into_the_patients(tmp_path, capsys,
                                                                                           monkeypatch):
    # An anonymised export is a copy to share, without the patient's identifiers: imported back it is a case of its
    # own (its random ID), and the patient's case is left as it was. Given the patient's case ID by hand, it differs
    # from it (no patient ID, no age, no VCF path): refused without --replace, never taken as the same case silently
    monkeypatch.delenv("RARETRACE_KB", raising=False)
    store_path, out = tmp_path / "s" / "cases.sqlite", tmp_path / "anon.json"
    with CaseStore(store_path) as s:
        s.save_case(_gui_case(tmp_path))
        saved = s.load_case("gui-1")
    assert _cli(["case", "--store", str(store_path), "export", "gui-1", "--anonymise", "--out", str(out)],
                capsys)[0] == 0
    status, stdout, err = _cli(["case", "--store", str(store_path), "import", str(out)], capsys)
    anonymous = json.loads(out.read_text())["id"]
    assert status == 0 and stdout.startswith(f"imported   {anonymous} "), stdout + err
    with CaseStore(store_path) as s:
        assert s.load_case("gui-1") == saved and s.revision("gui-1") == 1
    out.write_text(out.read_text().replace(anonymous, "gui-1"))
    status, stdout, err = _cli(["case", "--store", str(store_path), "import", str(out)], capsys)
    assert status == 2 and "subject id: P1 -> subject" in err, err
    with CaseStore(store_path) as s:
        assert s.load_case("gui-1") == saved and s.revision("gui-1") == 1


def test_the_case_import_summary_writes_every_count_alike():
    # "7571 imported, 0 updated, 0 unchanged, 0 skipped, 7,571 warnings": the warnings alone had thousands separators
    from raretrace.cli.case_cmds import import_summary

    assert import_summary(7571, 1200, 0, 1, 7571) == ("7,571 imported, 1,200 updated, 0 unchanged, 1 skipped, "
                                                       "7,571 warnings")
    assert import_summary(1, 0, 0, 0, 1) == "1 imported, 0 updated, 0 unchanged, 0 skipped, 1 warning"
