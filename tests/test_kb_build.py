"""Building the KB from a damaged or unusual HPO release folder: a clear one-line error (exit status 2) that keeps
the working KB and never replaces the user's own files; layouts that carry the same data are read. Every case uses
the tiny release of mini_release (a build takes about a second)."""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from mini_release import write_release

from raretrace.errors import RareTraceError
from raretrace.kb import build_kb, kb_info, open_kb, provenance, read_genes_to_phenotype, read_hpoa

HEADER = ("database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\t"
          "aspect\tbiocuration")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "raretrace", *args], capture_output=True, text=True)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def release(tmp_path: Path) -> Path:
    return write_release(tmp_path / "hpo")


@pytest.fixture
def good_kb(tmp_path: Path) -> Path:
    return build_kb(tmp_path / "kb.sqlite", write_release(tmp_path / "hpo-good"))


def _assert_refused(good_kb: Path, release: Path, *words: str) -> None:
    """The build fails with one error line naming the problem, exit 2, and the working KB is untouched."""
    before = good_kb.read_bytes()
    proc = _run("kb", "build", "--hpo-dir", str(release), "--out", str(good_kb))
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error")]
    assert proc.returncode == 2, proc.stderr
    assert len(errors) == 1 and "internal error" not in errors[0] and "Traceback" not in proc.stderr
    for word in words:
        assert word in errors[0], errors[0]
    assert good_kb.read_bytes() == before
    assert not list(good_kb.parent.glob("*.building-*"))


# ------------------------------------------------------------------------------------- never replace user files


@pytest.mark.parametrize("kind", ["case store", "text"])
def test_build_refuses_to_replace_a_file_that_is_not_a_knowledge_base(kind, release, tmp_path):
    target = tmp_path / ("cases.sqlite" if kind == "case store" else "notes.txt")
    if kind == "case store":
        db = sqlite3.connect(target)
        db.execute("CREATE TABLE cases (id TEXT PRIMARY KEY, data TEXT)")
        db.execute("INSERT INTO cases VALUES ('c1', '{}')")
        db.commit()
        db.close()
    else:
        target.write_text("clinic notes\n")
    before = target.read_bytes()
    proc = _run("kb", "build", "--hpo-dir", str(release), "--out", str(target))
    assert proc.returncode == 2 and "is not a RareTrace knowledge base" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert target.read_bytes() == before
    with pytest.raises(RareTraceError, match="not a RareTrace knowledge base"):
        build_kb(target, release)  # the GUI's path: build_kb itself refuses
    assert target.read_bytes() == before


def test_a_damaged_knowledge_base_is_rebuilt_in_place_as_the_error_opening_it_advises(good_kb, release):
    with good_kb.open("r+b") as handle:  # SQLite's header overwritten: no longer readable as a database
        handle.write(b"\0" * 100)
    with pytest.raises(RareTraceError, match="kb build"):
        open_kb(good_kb)
    proc = _run("kb", "build", "--hpo-dir", str(release), "--out", str(good_kb))
    assert proc.returncode == 0, proc.stderr
    assert open_kb(good_kb).execute("SELECT COUNT(*) FROM diseases").fetchone()[0] > 0


def test_build_replaces_an_older_knowledge_base_and_refuses_a_folder(good_kb, release, tmp_path):
    _edit(release / "phenotype.hpoa", "Alpha syndrome", "Alpha syndrome renamed")
    build_kb(good_kb, release)
    assert open_kb(good_kb).execute("SELECT label FROM diseases WHERE id = 'OMIM:100100'").fetchone()[0] == \
        "Alpha syndrome renamed"
    with pytest.raises(RareTraceError, match="is a folder"):
        build_kb(tmp_path, release)


# ------------------------------------------------------------------------------------ phenotype.hpoa columns


def test_hpoa_columns_are_read_by_header_name(release, tmp_path):
    path = release / "phenotype.hpoa"
    lines = path.read_text(encoding="utf-8").splitlines()
    h = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    header = lines[h].split("\t")
    order = [header.index(c) for c in ("frequency", "onset")]  # swapped
    rows = []
    for line in lines[h:]:
        fields = line.split("\t")
        fields[order[0]], fields[order[1]] = fields[order[1]], fields[order[0]]
        fields.insert(4, "hpo_label" if line is lines[h] else "a label")  # an extra column in the middle
        rows.append("\t".join(fields))
    path.write_text("\ufeff" + "\n".join(lines[:h] + rows) + "\n", encoding="utf-8")  # with a BOM
    meta, parsed = read_hpoa(path)
    assert meta["version"] == "2026-10-01"
    first = parsed[0]
    assert (first["database_id"], first["hpo_id"], first["reference"], first["frequency"], first["aspect"]) == \
        ("OMIM:100100", "HP:0001250", "PMID:101000", "HP:0040281", "P")
    assert first["onset"] == ""


def test_hpoa_of_the_pre_2021_layout_is_read(release):
    path = release / "phenotype.hpoa"
    old = "#DatabaseID\tDiseaseName\tQualifier\tHPO_ID\tReference\tEvidence\tOnset\tFrequency\tSex\tModifier\tAspect\tBiocuration"
    _edit(path, HEADER, old)
    _meta, rows = read_hpoa(path)
    assert rows[0]["database_id"] == "OMIM:100100" and rows[0]["hpo_id"] == "HP:0001250"
    assert len(rows) == 14


def test_hpoa_lacking_a_column_names_it_and_the_expected_header(good_kb, release):
    _edit(release / "phenotype.hpoa", "\tfrequency\t", "\tfreq\t")
    _assert_refused(good_kb, release, "lacks the column(s) frequency", "database_id disease_name qualifier")


# ------------------------------------------------------------------------------------ truncated or empty files


@pytest.mark.parametrize("cut", ["in a middle column", "in the last column"])
def test_a_truncated_hpoa_is_refused(good_kb, release, cut):
    path = release / "phenotype.hpoa"
    text = path.read_text(encoding="utf-8")
    end = text.index("OMIM:100300") + 40 if cut == "in a middle column" else text.index("test[", text.index("OMIM:100300"))
    path.write_text(text[:end], encoding="utf-8")
    _assert_refused(good_kb, release, "truncated")


def test_an_hpoa_cut_at_a_line_boundary_is_refused_by_its_stated_disease_counts(good_kb, release):
    # a cut between lines leaves a well-formed file: only the header's "[N: OMIM; ...]" shows diseases are missing
    path = release / "phenotype.hpoa"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert '[' in lines[0] and "OMIM" in lines[0]
    last = lines[-1].split("\t")[0]
    path.write_text("".join(x for x in lines if not x.startswith(last + "\t")), encoding="utf-8")
    _assert_refused(good_kb, release, "truncated", "OMIM")


def test_a_short_row_is_refused_with_its_line_number(good_kb, release):
    path = release / "phenotype.hpoa"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = "\t".join(lines[5].split("\t")[:6])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _assert_refused(good_kb, release, "line 6", "6 columns")


@pytest.mark.parametrize("name", ["phenotype.hpoa", "genes_to_phenotype.txt"])
def test_a_header_only_file_is_refused(good_kb, release, name):
    path = release / name
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if line.startswith(("#", "database_id", "ncbi_gene_id"))) + "\n")
    _assert_refused(good_kb, release, name, "only its header")


def test_blank_lines_make_no_disease(release, tmp_path):
    path = release / "phenotype.hpoa"
    _edit(path, "\nOMIM:100200", "\n\n\r\nOMIM:100200")
    kb = build_kb(tmp_path / "kb-blank.sqlite", release)
    assert kb_info(open_kb(kb))["diseases_by_prefix"] == {"OMIM": 4}


def test_a_truncated_genes_to_phenotype_is_refused(good_kb, release):
    path = release / "genes_to_phenotype.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex("\t", 0, len(text) - 20)], encoding="utf-8")
    _assert_refused(good_kb, release, "genes_to_phenotype.txt is truncated")


# ----------------------------------------------------------------------------------- encodings, IDs, disk full


def test_genes_to_phenotype_with_a_bom_and_curie_gene_ids_is_read(release):
    path = release / "genes_to_phenotype.txt"
    text = path.read_text(encoding="utf-8").replace("\n101\t", "\nNCBIGene:101\t")
    path.write_text("\ufeff" + text, encoding="utf-8")
    rows = read_genes_to_phenotype(path)
    assert rows[0]["ncbi_gene_id"] == "101" and rows[0]["gene_symbol"] == "GENEA"
    assert {r["ncbi_gene_id"] for r in rows} == {"101", "102", "103", "104"}


def test_a_latin1_file_is_named(good_kb, release):
    path = release / "phenotype.hpoa"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Beta syndrome", "Bêta syndrome").encode("latin-1"))
    _assert_refused(good_kb, release, "phenotype.hpoa is not UTF-8")


def test_a_latin1_hp_obo_is_named_with_its_line(good_kb, release):
    # pronto's own error for it was "TypeError: expected path or binary file handle"
    path = release / "hp.obo"
    text = path.read_text(encoding="utf-8").replace("name: Microcephaly", "name: Microcéphalie")
    path.write_bytes(text.encode("latin-1"))
    line = text[: text.index("Microcéphalie")].count("\n") + 1
    _assert_refused(good_kb, release, "hp.obo is not UTF-8 text", f"(line {line})")


def test_an_hp_obo_lacking_a_term_it_names_says_it_is_incomplete(good_kb, release):
    # hp.obo cut at the end of a stanza reads as well formed; what shows it is a parent named but not defined
    # (pronto's own error was "KeyError: 'HP:0000707'")
    path = release / "hp.obo"
    text = path.read_text(encoding="utf-8")
    start = text.index("[Term]\nid: HP:0000707\n")
    path.write_text(text[:start] + text[text.index("[Term]", start + 1):], encoding="utf-8")
    _assert_refused(good_kb, release, "names the term HP:0000707 but does not define it", "incomplete")


def test_an_error_page_saved_as_hp_obo_is_not_an_obo_file(good_kb, release):
    (release / "hp.obo").write_text("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head></html>\n")
    _assert_refused(good_kb, release, "hp.obo is not an OBO file")


def test_an_unreadable_hp_obo_is_named_as_unreadable(release, monkeypatch):
    """pronto takes a path it cannot open for a URL ("unknown url type"); the error says it cannot be read."""
    from raretrace.kb import parse_obo

    real_open = Path.open

    def refused(self: Path, *args, **kwargs):
        if self.name == "hp.obo":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refused)
    with pytest.raises(RareTraceError, match=r"cannot read .*hp\.obo: Permission denied"):
        parse_obo(release / "hp.obo")


def test_a_full_disk_says_so_and_keeps_the_old_kb(good_kb, release, monkeypatch):
    import raretrace.kb as kb

    before = good_kb.read_bytes()

    def full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(kb, "put_array", full)
    with pytest.raises(RareTraceError, match="disk is full.*old knowledge base is kept"):
        build_kb(good_kb, release)
    assert good_kb.read_bytes() == before
    assert not list(good_kb.parent.glob("*.building-*"))


# ------------------------------------------------------------------------------------------- temporary files


def test_stale_temporary_files_are_removed_and_the_new_one_is_private(release, tmp_path):
    out = tmp_path / "kb.sqlite"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"kb.sqlite.building-{dead.pid}"
    stale.write_bytes(b"x" * 1000)
    running = tmp_path / f"kb.sqlite.building-{os.getppid()}"  # a live process: maybe a build in progress
    running.write_bytes(b"y")
    modes = []

    def progress(_message: str, _fraction: float) -> None:
        tmp = out.with_name(f"kb.sqlite.building-{os.getpid()}")
        if tmp.exists():
            modes.append(tmp.stat().st_mode & 0o777)

    build_kb(out, release, progress=progress)
    assert not stale.exists() and running.exists()
    assert modes and set(modes) == {0o600}


# -------------------------------------------------------------------------------------- terms, names, info


def test_obsolete_terms_are_remapped_and_unknown_ones_counted(release, tmp_path):
    path = release / "phenotype.hpoa"
    text = path.read_text(encoding="utf-8")
    extra = ["OMIM:100200\tBeta syndrome\t\tHP:0099902\tPMID:1\tPCS\t\t\t\t\tP\tHPO:test",
             "OMIM:100200\tBeta syndrome\t\tHP:9999999\tPMID:1\tPCS\t\t\t\t\tP\tHPO:test"]
    path.write_text(text + "\n".join(extra) + "\n", encoding="utf-8")
    out = tmp_path / "kb.sqlite"
    proc = _run("kb", "build", "--hpo-dir", str(release), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "1 annotation to obsolete terms counted for their replacements" in proc.stderr
    assert "1 annotation to terms not in hp.obo ignored" in proc.stderr
    db = open_kb(out)
    prov = provenance(db)
    assert (prov["hpoa_obsolete_remapped"], prov["hpoa_unknown_terms"]) == ("1", "1")
    # Beta syndrome now counts for the replacement term: 2 diseases (with Speckled retina syndrome)
    assert db.execute("SELECT n_diseases FROM terms WHERE id = 'HP:0099901'").fetchone()[0] == 2
    assert db.execute("SELECT n_annotations FROM diseases WHERE id = 'OMIM:100200'").fetchone()[0] == 3


def test_kb_info_shows_the_hpoa_version_and_an_absolute_source(release, tmp_path):
    _edit(release / "phenotype.hpoa", "#version: 2026-10-01", "#version: 2026-10-02")
    out = tmp_path / "kb.sqlite"
    proc = subprocess.run([sys.executable, "-m", "raretrace", "kb", "build", "--hpo-dir", "hpo", "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    info = _run("--kb", str(out), "kb", "info")
    assert "2026-10-01   (phenotype.hpoa 2026-10-02;" in info.stdout
    assert f"Source            {release.resolve()}" in info.stdout


def test_the_fullest_spelling_of_a_disease_name_is_kept(release, tmp_path):
    path = release / "phenotype.hpoa"
    lines = path.read_text(encoding="utf-8").splitlines()
    # the truncated spelling comes first and outnumbers the full one, as for OMIM:617425 in the 2025 release
    lines = [line.replace("Alpha syndrome", "Alpha syndrom") if n in (3, 4) else line for n, line in enumerate(lines)]
    lines = [line.replace("Beta syndrome", "Beta Syndrome") if n == 7 else line for n, line in enumerate(lines)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = open_kb(build_kb(tmp_path / "kb.sqlite", release))
    labels = dict(db.execute("SELECT id, label FROM diseases"))
    assert labels["OMIM:100100"] == "Alpha syndrome"
    assert labels["OMIM:100200"] == "Beta syndrome"  # 2 to 1


# ----------------------------------------------------------------------------------------------- gz and empty


def test_a_gzipped_release_is_read(release, tmp_path):
    for name in ("hp.obo", "phenotype.hpoa"):
        with gzip.open(release / f"{name}.gz", "wb") as handle:
            handle.write((release / name).read_bytes())
        (release / name).unlink()
    db = open_kb(build_kb(tmp_path / "kb.sqlite", release))
    assert kb_info(db)["diseases"] == 4 and kb_info(db)["hpo_release"] == "2026-10-01"


def test_a_file_compressed_or_not_whatever_its_name_is_read(release, tmp_path):
    # a browser saves a gzip download without its .gz, or decompresses one and keeps the .gz: the content decides
    packed = gzip.compress((release / "phenotype.hpoa").read_bytes())
    (release / "phenotype.hpoa").write_bytes(packed)
    (release / "genes_to_phenotype.txt").rename(release / "genes_to_phenotype.txt.gz")  # plain text named .gz
    db = open_kb(build_kb(tmp_path / "kb.sqlite", release))
    assert kb_info(db)["diseases"] == 4 and kb_info(db)["gene_disease_links"] == 4


def test_an_ontology_in_json_rather_than_obo_is_named(good_kb, release):
    (release / "hp.obo").unlink()
    (release / "hp.json").write_text('{"graphs": []}\n')
    _assert_refused(good_kb, release, "has the ontology as hp.json, but RareTrace reads hp.obo")


def test_an_empty_obo_says_it_is_empty(good_kb, release):
    (release / "hp.obo").write_bytes(b"")
    _assert_refused(good_kb, release, "hp.obo is empty")


def test_a_rebuild_keeps_the_cases_added_to_the_case_library(good_kb, release, tmp_path):
    import json

    from raretrace.library import add_to_case_library

    case = {"id": "added-1", "subject": {"id": "P1"}, "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}],
            "interpretations": [{"id": "i", "progressStatus": "SOLVED", "diagnosis": {
                "disease": {"id": "OMIM:100100", "label": "Alpha syndrome"}}}],
            "metaData": {"externalReferences": [{"id": "PMID:99999"}]}}
    path = tmp_path / "added.json"
    path.write_text(json.dumps(case))
    count = "SELECT COUNT(*) FROM library_cases"
    shipped = open_kb(good_kb).execute(count).fetchone()[0]
    assert add_to_case_library(good_kb, [path]).added == 1
    messages = []
    build_kb(good_kb, release, progress=lambda m, _f: messages.append(m))  # a newer release, the same file
    db = open_kb(good_kb)
    assert db.execute(count).fetchone()[0] == shipped + 1
    assert db.execute("SELECT pmid FROM library_cases WHERE case_id = 'added-1'").fetchone()[0] == "PMID:99999"
    assert any("Kept the 1 case(s)" in m for m in messages)
    fresh = build_kb(tmp_path / "other.sqlite", release)  # a build elsewhere carries nothing over
    assert open_kb(fresh).execute(count).fetchone()[0] == shipped


# ------------------------------------------------------------------------------------------ which release


def test_a_rebuild_from_an_older_release_says_so(good_kb, release):
    # the clinic's KB is of 2026-10-01; a folder of an older release replaced it without a word
    older = write_release(release.parent / "hpo-2025", release="2025-03-01")
    proc = _run("kb", "build", "--hpo-dir", str(older), "--out", str(good_kb))
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning")]
    assert any("HPO release 2025-03-01 is older than the release 2026-10-01 of the knowledge base it replaced" in w
               for w in warnings), proc.stderr
    assert kb_info(open_kb(good_kb))["hpo_release"] == "2025-03-01"  # built all the same: it may be meant
    proc = _run("kb", "build", "--hpo-dir", str(release), "--out", str(good_kb))  # newer again: no such warning
    assert proc.returncode == 0 and "older than" not in proc.stderr


def test_an_annotation_file_cut_short_at_a_line_says_so(good_kb, release, tmp_path):
    # An interrupted copy ending at a line boundary parses cleanly; only the drop against the replaced build shows.
    build_kb(good_kb, release)
    cut = tmp_path / "cut"
    shutil.copytree(release, cut)
    g2p = cut / "genes_to_phenotype.txt"
    lines = g2p.read_text().splitlines(keepends=True)
    g2p.write_text("".join(lines[: len(lines) // 2]))
    proc = _run("kb", "build", "--hpo-dir", str(cut), "--out", str(good_kb))
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning") and "cut short" in line]
    assert len(warnings) == 1 and "genes_to_phenotype.txt has" in warnings[0], proc.stderr
    proc = _run("kb", "build", "--hpo-dir", str(release), "--out", str(good_kb))  # whole again: no warning
    assert proc.returncode == 0 and "cut short" not in proc.stderr


def test_a_folder_mixing_releases_says_so(release, tmp_path):
    # phenotype.hpoa names the hp.obo release it was made from; an hp.obo of another release beside it is a mix
    _edit(release / "phenotype.hpoa", "#version: 2026-10-01",
          "#version: 2026-10-01\n#hpo-version: http://purl.obolibrary.org/obo/hp/releases/2026-09-01/hp.json")
    proc = _run("kb", "build", "--hpo-dir", str(release), "--out", str(tmp_path / "kb.sqlite"))
    assert proc.returncode == 0, proc.stderr
    assert ("warning: hp.obo is of the HPO release 2026-10-01 but phenotype.hpoa was made from the release "
            "2026-09-01") in proc.stderr
    _edit(release / "phenotype.hpoa", "releases/2026-09-01", "releases/2026-10-01")
    proc = _run("kb", "build", "--hpo-dir", str(release), "--out", str(tmp_path / "kb.sqlite"))
    assert proc.returncode == 0 and "mixes" not in proc.stderr and "older" not in proc.stderr


def test_a_refused_build_into_a_new_folder_leaves_no_empty_folder(release, tmp_path):
    path = release / "phenotype.hpoa"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = "\t".join(lines[5].split("\t")[:6])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "new-folder" / "kb.sqlite"
    with pytest.raises(RareTraceError):
        build_kb(target, release)
    # left there, the empty folder made a later `--kb new-folder/kb.sqlite` build a KB instead of saying it is missing
    assert not target.parent.exists()


def test_a_temporary_file_named_with_an_impossible_pid_stays_and_does_not_stop_the_build(release, tmp_path):
    # os.kill raised OverflowError for such a PID: the build stopped with a traceback before it began
    out = tmp_path / "kb.sqlite"
    odd = tmp_path / "kb.sqlite.building-99999999999"
    odd.write_bytes(b"z")
    assert build_kb(out, release) == out
    assert odd.read_bytes() == b"z"


def test_a_leftover_that_cannot_be_removed_does_not_stop_the_build(release, tmp_path):
    # the clean-up is a courtesy: a folder named like a leftover (or, on Windows, a file another program holds
    # open) stopped the build with "Is a directory"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = tmp_path / f"kb.sqlite.building-{dead.pid}"
    (folder / "inside").mkdir(parents=True)
    out = tmp_path / "kb.sqlite"
    assert build_kb(out, release) == out
    assert (folder / "inside").is_dir()
