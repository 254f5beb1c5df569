"""The case store: lossless save/load, audit log, user-only files, analyses and re-analysis, crash safety."""

from __future__ import annotations

import getpass
import os
import random
import signal
import sqlite3
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from raretrace.case import Case, CaseFile, Phenotype, case_from_terms
from raretrace.errors import RareTraceError
from raretrace.evidence import AnalysisResult, Hypothesis
from raretrace.paths import sha256_file
from raretrace.store import CaseStore, compare_rankings, reanalyse


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

    threads = [threading.Thread(target=saver, args=(p,)) for p in ("gui-", "cli-")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
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
