"""GA4GH Phenopacket v2: import -> export keeps every feature, exclusion, onset and file; the anonymised export
keeps no identifying field; everything written passes the official schema (the `phenopackets` package)."""

from __future__ import annotations

import json
import random
import tarfile
from dataclasses import replace
from pathlib import Path

import pytest
from google.protobuf import json_format
from phenopackets import Phenopacket

from raretrace.case import Phenotype, case_from_phenopacket, case_from_terms, load_phenopacket
from raretrace.errors import RareTraceError
from raretrace.phenopacket import differences, schema_problem, to_phenopacket, write_phenopacket
from raretrace.store import CaseStore


def rich_phenopacket() -> dict:
    """A phenopacket using every part RareTrace keeps: onsets of each kind, modifiers, severity, evidence, a trio
    VCF with a relative URI, subject fields the Case has no attribute for, measurements, answer fields."""
    return {
        "id": "MRN-4711-visit-3",
        "subject": {
            "id": "proband-4711",
            "dateOfBirth": "2015-03-02T00:00:00Z",
            "timeAtLastEncounter": {"age": {"iso8601duration": "P8Y2M"}},
            "vitalStatus": {"status": "ALIVE"},
            "sex": "FEMALE",
            "karyotypicSex": "XX",
            "taxonomy": {"id": "NCBITaxon:9606", "label": "Homo sapiens"},
        },
        "phenotypicFeatures": [
            {
                "type": {"id": "HP:0001250", "label": "Seizure"},
                "onset": {"ontologyClass": {"id": "HP:0003593", "label": "Infantile onset"}},
                "severity": {"id": "HP:0012828", "label": "Severe"},
                "modifiers": [{"id": "HP:0031796", "label": "Recurrent"}],
                "evidence": [
                    {
                        "evidenceCode": {"id": "ECO:0000033", "label": "author statement supported by traceable reference"},
                        "reference": {"id": "PMID:12345678", "description": "seen by Dr Who at the Leeds clinic"},
                    }
                ],
                "description": "first seizure at a birthday party in Leeds",
            },
            {"type": {"id": "HP:0004322", "label": "Short stature"}, "onset": {"age": {"iso8601duration": "P2Y"}}},
            {
                "type": {"id": "HP:0001263", "label": "Global developmental delay"},
                "onset": {"gestationalAge": {"weeks": 30, "days": 2}},
            },
            {"type": {"id": "HP:0000256", "label": "Macrocephaly"}, "excluded": True},
            {"type": {"id": "HP:0001627", "label": "Abnormal heart morphology"}, "excluded": True,
             "onset": {"ontologyClass": {"id": "HP:0003577", "label": "Congenital onset"}}},
        ],
        "measurements": [
            {
                "assay": {"id": "LOINC:8302-2", "label": "Body height"},
                "value": {"quantity": {"unit": {"id": "UCUM:cm", "label": "cm"}, "value": 112.5}},
                "timeObserved": {"timestamp": "2023-05-01T10:00:00Z"},
            }
        ],
        "files": [
            {
                "uri": "trio.vcf.gz",
                "individualToFileIdentifiers": {"proband-4711": "SAMPLE_P", "mother-4711": "SAMPLE_M"},
                "fileAttributes": {"genomeAssembly": "hg38", "fileFormat": "vcf"},
            }
        ],
        "interpretations": [{"id": "i1", "progressStatus": "SOLVED", "diagnosis": {"disease": {"id": "OMIM:100800"}}}],
        "diseases": [{"term": {"id": "OMIM:100800", "label": "Achondroplasia"}}],
        "metaData": {
            "created": "2024-01-02T03:04:05Z",
            "createdBy": "Dr. Example",
            "resources": [
                {"id": "hp", "name": "human phenotype ontology", "url": "http://purl.obolibrary.org/obo/hp.owl",
                 "version": "2024-04-26", "namespacePrefix": "HP", "iriPrefix": "http://purl.obolibrary.org/obo/HP_"}
            ],
            "phenopacketSchemaVersion": "2.0",
        },
    }


def write(tmp_path: Path, data: dict, name: str = "case.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_test_phenopacket_is_valid_by_the_official_schema():
    json_format.ParseDict(rich_phenopacket(), Phenopacket())
    assert schema_problem(rich_phenopacket()) is None


def test_round_trip_keeps_features_exclusions_onsets_and_files(tmp_path):
    original = rich_phenopacket()
    path = write(tmp_path, original)
    case = load_phenopacket(path)
    assert [p.onset for p in case.phenotypes] == ["HP:0003593", "P2Y", "HP:0034197", None, "HP:0003577"]
    assert [p.excluded for p in case.phenotypes] == [False, False, False, True, True]
    assert case.files[0].path == str(tmp_path / "trio.vcf.gz")
    assert case.files[0].sample == "SAMPLE_P" and case.files[0].assembly == "GRCh38"
    exported = to_phenopacket(case)
    assert differences(original, exported, tmp_path) == []
    assert schema_problem(exported) is None
    assert "interpretations" not in exported and "diseases" not in exported


def test_round_trip_through_the_store_is_lossless(tmp_path):
    original = rich_phenopacket()
    case = load_phenopacket(write(tmp_path, original))
    with CaseStore(tmp_path / "store" / "cases.sqlite") as store:
        store.save_case(case)
        loaded = store.load_case(case.id)
    assert loaded == case
    assert [p.details for p in loaded.phenotypes] == [p.details for p in case.phenotypes]
    assert differences(original, to_phenopacket(loaded), tmp_path) == []


def test_the_comparison_sees_a_lost_onset_or_modifier(tmp_path):
    original = rich_phenopacket()
    case = load_phenopacket(write(tmp_path, original))
    stripped = replace(case, phenotypes=tuple(replace(p, details=None) for p in case.phenotypes))
    diffs = differences(original, to_phenopacket(stripped), tmp_path)
    assert any("onset" in d for d in diffs)
    assert any("modifiers" in d for d in diffs)
    assert any("evidence" in d for d in diffs)


def test_edits_after_import_are_exported(tmp_path):
    case = load_phenopacket(write(tmp_path, rich_phenopacket()))
    seizure, stature, *rest = case.phenotypes
    edited = replace(
        case,
        phenotypes=(replace(seizure, onset="HP:0003577"), replace(stature, onset=None), *rest,
                    Phenotype("HP:0001252", "Hypotonia", source="typed")),
        files=(replace(case.files[0], assembly="GRCh37", sample="SAMPLE_P2"),),
        sex="MALE",
        age="P9Y",
    )
    out = to_phenopacket(edited)
    features = {f["type"]["id"]: f for f in out["phenotypicFeatures"]}
    assert features["HP:0001250"]["onset"] == {"ontologyClass": {"id": "HP:0003577"}}
    assert features["HP:0001250"]["modifiers"] == [{"id": "HP:0031796", "label": "Recurrent"}]
    assert "onset" not in features["HP:0004322"]
    assert features["HP:0001252"]["type"] == {"id": "HP:0001252", "label": "Hypotonia"}
    assert out["subject"]["sex"] == "MALE"
    assert out["subject"]["timeAtLastEncounter"] == {"age": {"iso8601duration": "P9Y"}}
    assert out["files"][0]["fileAttributes"] == {"genomeAssembly": "GRCh37", "fileFormat": "vcf"}
    assert out["files"][0]["individualToFileIdentifiers"]["proband-4711"] == "SAMPLE_P2"
    reread = case_from_phenopacket(out, tmp_path / "out.json")
    assert reread.files[0].sample == "SAMPLE_P2" and reread.files[0].assembly == "GRCh37"
    assert [p.onset for p in reread.phenotypes][:2] == ["HP:0003577", None]


def test_anonymised_export_leaves_out_identifying_fields(tmp_path):
    case = load_phenopacket(write(tmp_path, rich_phenopacket()))
    notes: list[str] = []
    out = to_phenopacket(case, anonymise=True, warnings=notes)
    assert schema_problem(out) is None
    text = json.dumps(out)
    for identifying in ("MRN-4711", "proband-4711", "mother-4711", "2015-03-02", "P8Y2M", "P2Y", "2023-05-01",
                        "2024-01-02", "Dr. Example", "Leeds", "Dr Who", str(tmp_path)):
        assert identifying not in text, identifying
    assert out["phenotypicFeatures"][0]["evidence"][0]["reference"] == {"id": "PMID:12345678"}  # the citation stays
    # VCF sample IDs name the genotype columns and stay; the export says so for each
    assert sum("'SAMPLE_P' is kept" in n or "'SAMPLE_M' is kept" in n for n in notes) == 2, notes
    assert out["subject"] == {"id": "subject", "sex": "FEMALE", "karyotypicSex": "XX",
                              "taxonomy": {"id": "NCBITaxon:9606", "label": "Homo sapiens"}}
    assert out["files"][0]["uri"] == "file-1.vcf.gz"  # a neutral name with the format suffixes
    assert out["files"][0]["individualToFileIdentifiers"] == {"subject": "SAMPLE_P", "individual-2": "SAMPLE_M"}
    ids = [f["type"]["id"] for f in out["phenotypicFeatures"]]
    assert ids == [p.id for p in case.phenotypes]
    # Ontology-class onsets are not identifying and stay; ages and gestational ages go.
    onsets = [f.get("onset") for f in out["phenotypicFeatures"]]
    assert onsets[0] == {"ontologyClass": {"id": "HP:0003593", "label": "Infantile onset"}}
    assert onsets[1] is None and onsets[2] is None
    assert to_phenopacket(case, anonymise=True)["id"] != out["id"]  # a fresh pseudonym every time
    reread = case_from_phenopacket(out)
    assert [(p.id, p.excluded) for p in reread.phenotypes] == [(p.id, p.excluded) for p in case.phenotypes]


def test_anonymised_export_leaves_out_identifying_file_names_and_file_descriptions(tmp_path):
    """Clinics name VCFs after the patient, and a file's attributes may describe it in free text: the anonymised
    export names each file neutrally (its format suffixes only), keeps only its format and genome build, says
    which name a copy to share should get, and still reads back as the same case."""
    data = {
        "id": "MRN-4471234",
        "subject": {"id": "John Smith", "dateOfBirth": "2015-03-04T00:00:00Z"},
        "phenotypicFeatures": [{"type": {"id": "HP:0001250", "label": "Seizure"}}],
        "files": [
            {"uri": (tmp_path / "Smith_John" / "John.Smith_MRN4471234.vcf.gz").as_uri(),
             "individualToFileIdentifiers": {"John Smith": "S1"},
             "fileAttributes": {"genomeAssembly": "GRCh38", "fileFormat": "vcf",
                                "description": "exome of John Smith, DOB 2015-03-04", "sequencedBy": "Dr Jones lab"}},
            {"uri": "s3://clinic-bucket/Smith_John/Smith.John.ped", "fileAttributes": {"fileFormat": "PED"}},
        ],
        "metaData": {"createdBy": "Dr Jones", "phenopacketSchemaVersion": "2.0", "resources": []},
    }
    case = load_phenopacket(write(tmp_path, data))
    notes: list[str] = []
    out = to_phenopacket(case, anonymise=True, new_id="anonymous-1", warnings=notes)
    assert schema_problem(out) is None
    text = json.dumps(out)
    for identifying in ("John", "Smith", "MRN", "2015", "Jones", "clinic-bucket", str(tmp_path)):
        assert identifying not in text, identifying
    assert out["files"][0] == {"uri": "file-1.vcf.gz", "individualToFileIdentifiers": {"subject": "S1"},
                               "fileAttributes": {"genomeAssembly": "GRCh38", "fileFormat": "vcf"}}
    assert out["files"][1] == {"uri": "file-2.ped", "fileAttributes": {"fileFormat": "PED"}}
    assert any("'John.Smith_MRN4471234.vcf.gz' is named 'file-1.vcf.gz'" in n for n in notes), notes
    assert case_from_phenopacket(out).files[0].assembly == "GRCh38"
    # the full export is unchanged: every attribute and the real file travel
    full = to_phenopacket(case)
    assert full["files"][0]["fileAttributes"]["description"] == "exome of John Smith, DOB 2015-03-04"
    assert full["files"][0]["uri"].endswith("John.Smith_MRN4471234.vcf.gz")


def test_a_case_typed_in_the_app_exports_with_labels_and_metadata():
    case = case_from_terms("typed-1", ["HP:0001250"], ["HP:0000256"], sex="MALE")
    out = to_phenopacket(case, labels={"HP:0001250": "Seizure"}.get, hpo_release="2025-01-16")
    assert schema_problem(out) is None
    assert out["phenotypicFeatures"] == [
        {"type": {"id": "HP:0001250", "label": "Seizure"}},
        {"type": {"id": "HP:0000256"}, "excluded": True},
    ]
    meta = out["metaData"]
    assert meta["phenopacketSchemaVersion"] == "2.0"
    assert meta["resources"][0]["namespacePrefix"] == "HP" and meta["resources"][0]["version"] == "2025-01-16"


def test_unknown_fields_are_read_but_left_out_of_an_export_with_a_warning(tmp_path):
    data = rich_phenopacket() | {"hospitalWard": "7B"}
    data["phenotypicFeatures"][0]["myNote"] = "x"
    case = load_phenopacket(write(tmp_path, data))
    assert "myNote" in case.phenotypes[0].details
    notes: list[str] = []
    out = to_phenopacket(case, warnings=notes)
    assert "hospitalWard" not in out and "myNote" not in out["phenotypicFeatures"][0]
    assert len(notes) == 1 and "does not define" in notes[0]
    assert schema_problem(out) is None


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["phenotypicFeatures"][0].__setitem__("excluded", "false"), "phenotypicFeatures[0].excluded"),
        (lambda d: d["subject"].__setitem__("sex", "F"), "sex"),
        (lambda d: d.__setitem__("id", 42), "id"),
        (lambda d: d["files"][0].__setitem__("fileAttributes", {"genomeAssembly": 38}), "fileAttributes"),
        (lambda d: d.__setitem__("phenotypicFeatures", {"type": "HP:0001250"}), "phenotypicFeatures"),
    ],
)
def test_wrong_types_are_rejected_in_one_line_naming_the_field(tmp_path, change, where):
    data = rich_phenopacket()
    change(data)
    with pytest.raises(RareTraceError) as err:
        load_phenopacket(write(tmp_path, data))
    message = str(err.value)
    assert "\n" not in message and where in message


def test_written_exports_are_readable_by_this_user_only(tmp_path):
    case = case_from_terms("c1", ["HP:0001250"])
    path = write_phenopacket(to_phenopacket(case), tmp_path / "c1.json")
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_phenopacket(path).present[0].id == "HP:0001250"
    assert [p.name for p in tmp_path.iterdir()] == ["c1.json"]  # no temporary file left behind


def test_dev_phenopackets_round_trip_without_loss(shared_data):
    """A random sample of the dev phenopackets (all 7,571 run in the benchmark raretrace.bench.store)."""
    rng = random.Random(8)
    with tarfile.open(shared_data / "phenopackets-dev.tar.gz") as tar:
        members = [m for m in tar.getmembers() if m.name.endswith(".json")]
        for member in rng.sample(members, 150):
            original = json.loads(tar.extractfile(member).read())
            case = case_from_phenopacket(original, Path(member.name))
            assert differences(original, to_phenopacket(case), Path(member.name).parent) == [], member.name


@pytest.mark.parametrize(("subject", "mapping", "expected"), [
    ("P", {"P": "S1", "M": "S2"}, "S1"),  # the subject's own entry
    ("P", {"someone-else": "S2"}, None),  # another individual's sample is never the patient's
    ("", {"anyone": "S3"}, "S3"),  # no subject id: the lone entry
])
def test_the_vcf_sample_is_the_subjects_own(tmp_path, subject, mapping, expected):
    data = {"id": "c", "subject": {"id": subject} if subject else {},
            "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}],
            "files": [{"uri": "p.vcf", "individualToFileIdentifiers": mapping}]}
    assert load_phenopacket(write(tmp_path, data)).files[0].sample == expected


# -- the clinical note, paths, files RareTrace cannot read, blank IDs


def test_the_clinical_note_travels_in_the_export_and_comes_back(tmp_path):
    case = load_phenopacket(write(tmp_path, rich_phenopacket()))
    note = "Mother reports absence seizures since age 2; EEG pending.\nFather: short stature."
    noted = replace(case, extra={**case.extra, "raretraceNote": note, "raretraceRejected": [["HP:0001250", 16, 24]]})
    notes: list[str] = []
    out = to_phenopacket(noted, warnings=notes)
    assert notes == [] and schema_problem(out) is None  # valid, and nothing left out
    refs = out["metaData"]["externalReferences"]
    assert refs[0] == {"id": "raretrace:note", "description": note}
    path = write_phenopacket(out, tmp_path / "exported.json")
    back = load_phenopacket(path)
    assert back.extra["raretraceNote"] == note
    assert back.extra["raretraceRejected"] == [["HP:0001250", 16, 24]]
    assert "externalReferences" not in back.extra["metaData"]  # kept once, under its own key
    assert differences(out, to_phenopacket(back), tmp_path) == []
    with CaseStore(tmp_path / "cases.sqlite") as store:  # export -> import -> store -> export
        store.save_case(back)
        assert to_phenopacket(store.load_case(back.id)) == out
    anonymous = json.dumps(to_phenopacket(noted, anonymise=True))
    assert "EEG pending" not in anonymous and "raretrace:note" not in anonymous  # free text stays out


def test_noted_relatives_findings_travel_beside_the_rejected_ones(tmp_path):
    # A relative's finding the clinician accepted is "noted": reviewed, never a feature of the patient. The export
    # left it out, and the case read back showed it undecided, counted again as left to review. It now travels as
    # the rejections do, in its own externalReferences entry; a file written before has none and reads as before.
    case = load_phenopacket(write(tmp_path, rich_phenopacket()))
    note = "Seizures. His father has hearing loss."
    kept = replace(case, extra={**case.extra, "raretraceNote": note, "raretraceRejected": [["HP:0001250", 0, 8]],
                                "raretraceNoted": [["HP:0000365", 25, 37]]})
    out = to_phenopacket(kept)
    assert schema_problem(out) is None and "raretraceNoted" not in out
    refs = out["metaData"]["externalReferences"]
    assert [r["id"] for r in refs] == ["raretrace:note", "raretrace:rejected-note-findings",
                                       "raretrace:noted-relative-findings"]
    assert refs[2]["description"] == '[["HP:0000365",25,37]]'
    back = load_phenopacket(write_phenopacket(out, tmp_path / "exported.json"))
    assert back.extra["raretraceNoted"] == [["HP:0000365", 25, 37]]
    assert back.extra["raretraceRejected"] == [["HP:0001250", 0, 8]]
    assert "externalReferences" not in back.extra["metaData"]
    assert back.phenotypes == case.phenotypes  # the father's hearing loss is no feature of the patient
    with CaseStore(tmp_path / "cases.sqlite") as store:  # export -> import -> store -> export
        store.save_case(back)
        assert store.load_case(back.id).extra["raretraceNoted"] == [["HP:0000365", 25, 37]]
        assert to_phenopacket(store.load_case(back.id)) == out
    assert "noted-relative" not in json.dumps(to_phenopacket(kept, anonymise=True))  # with the note's offsets
    # an export written before noted findings were kept: read as it was, its relatives' findings undecided
    refs.pop()
    older = load_phenopacket(write_phenopacket(out, tmp_path / "older.json"))
    assert "raretraceNoted" not in older.extra and older.extra["raretraceRejected"] == [["HP:0001250", 0, 8]]


def test_other_external_references_are_kept_beside_the_note(tmp_path):
    data = rich_phenopacket()
    data["metaData"]["externalReferences"] = [{"id": "PMID:30808312", "description": "case report"}]
    case = load_phenopacket(write(tmp_path, data))
    assert differences(data, to_phenopacket(case), tmp_path) == []
    out = to_phenopacket(replace(case, extra={**case.extra, "raretraceNote": "typed"}))
    assert [r["id"] for r in out["metaData"]["externalReferences"]] == ["PMID:30808312", "raretrace:note"]


def test_a_phenopacket_read_from_a_relative_path_stores_absolute_paths(tmp_path, monkeypatch):
    folder = tmp_path / "pp2"
    folder.mkdir()
    (folder / "patient.vcf").write_text("##fileformat=VCFv4.2\n")
    write(folder, {"id": "relvcf", "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}],
                   "files": [{"uri": "patient.vcf"}, {"uri": "file:sub/report.pdf"}]})
    monkeypatch.chdir(tmp_path)
    case = load_phenopacket("pp2/case.json")
    assert case.source_path == str(folder / "case.json")
    assert [f.path for f in case.files] == [str(folder / "patient.vcf"), str(folder / "sub" / "report.pdf")]
    with CaseStore(tmp_path / "cases.sqlite") as store:
        store.save_case(case)
        monkeypatch.chdir(folder)  # another working directory: the VCF is still found
        stored = store.load_case("relvcf")
        assert Path(stored.vcf.path).is_file()
        assert store.files("relvcf")[0].sha256 is not None
    out = to_phenopacket(stored)
    assert [f["uri"] for f in out["files"]] == ["patient.vcf", "file:sub/report.pdf"]  # written as they came


def test_file_entries_without_uri_or_not_on_this_computer_are_kept(tmp_path):
    data = rich_phenopacket()
    data["files"] += [
        {"fileAttributes": {"fileFormat": "VCF", "description": "exome, awaiting upload"}},
        {"uri": "s3://bucket/bam/x.bam", "fileAttributes": {"fileFormat": "BAM"}},
        {"uri": "https://example.org/trio.cram", "individualToFileIdentifiers": {"proband-4711": "P"}},
    ]
    case = load_phenopacket(write(tmp_path, data))
    assert [f.path for f in case.files][1:] == ["", "s3://bucket/bam/x.bam", "https://example.org/trio.cram"]
    assert [f.local for f in case.files] == [True, False, False, False]
    assert case.vcf.path == str(tmp_path / "trio.vcf.gz")
    with CaseStore(tmp_path / "cases.sqlite") as store:
        store.save_case(case)
        stored = store.load_case(case.id)
        assert store.save_case(replace(stored)) == []
    assert stored == case
    assert differences(data, to_phenopacket(stored), tmp_path) == []
    anonymous = to_phenopacket(stored, anonymise=True)
    assert [f.get("uri") for f in anonymous["files"]] == ["file-1.vcf.gz", None, "file-3.bam", "file-4.cram"]
    assert "bucket" not in json.dumps(anonymous) and "awaiting upload" not in json.dumps(anonymous)


def test_files_not_on_this_computer_are_skipped_by_analysis_unless_they_are_the_vcf(tmp_path, engine):
    from raretrace.analysis import run_analysis

    data = {"id": "remote", "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}],
            "files": [{"uri": "s3://bucket/bam/x.bam"}, {"fileAttributes": {"fileFormat": "VCF"}}]}
    result = run_analysis(engine, load_phenopacket(write(tmp_path, data)), top=3)
    assert any("2 of the phenopacket's files not read" in w and "s3://bucket/bam/x.bam" in w
               for w in result.warnings), result.warnings
    data["files"].append({"uri": "s3://bucket/vcf/trio.vcf.gz"})
    case = load_phenopacket(write(tmp_path, data))
    with pytest.raises(RareTraceError, match="not local") as excinfo:
        run_analysis(engine, case, top=3)
    assert "\n" not in str(excinfo.value)
    from vcf_fixtures import vcf_text

    vcf = tmp_path / "local.vcf"
    vcf.write_text(vcf_text(["10\t123256215\t.\tT\tG\t50\tPASS\t.\tGT\t0/1"]))
    result = run_analysis(engine, case, vcf=vcf, assembly="GRCh37", top=3)  # --vcf instead: the analysis runs
    assert any("3 of the phenopacket's files not read" in w for w in result.warnings)


@pytest.mark.parametrize("blank", ["   ", "\t\n", ""])
def test_a_blank_case_id_falls_back_to_the_file_name(tmp_path, blank):
    data = rich_phenopacket() | {"id": blank}
    case = load_phenopacket(write(tmp_path, data, "visit-3.json"))
    assert case.id == "visit-3"
    assert load_phenopacket(write(tmp_path, rich_phenopacket() | {"id": "  MRN-1 "})).id == "MRN-1"


def test_case_import_of_a_blank_id_stores_the_case_under_the_file_name(tmp_path, capsys, monkeypatch):
    from raretrace.cli import main

    monkeypatch.delenv("RARETRACE_KB", raising=False)
    path = write(tmp_path, {"id": "   ", "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}]}, "blank.json")
    assert main(["case", "--store", str(tmp_path / "cases.sqlite"), "import", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("imported   blank") and "no phenopacket id; stored as 'blank'" in err


def test_a_vcf_is_found_by_its_declared_file_format_and_unused_files_are_named(tmp_path, engine):
    from raretrace.analysis import run_analysis

    (tmp_path / "sample123").write_text("not read here")
    (tmp_path / "reads.bam").write_text("not read here")
    packet = {"id": "files-case", "subject": {"id": "P1"},
              "phenotypicFeatures": [{"type": {"id": "HP:0001156"}}, {"type": {"id": "HP:0001363"}}],
              "files": [{"uri": "reads.bam", "fileAttributes": {"fileFormat": "BAM"}},
                        {"uri": "sample123", "fileAttributes": {"fileFormat": "VCF", "genomeAssembly": "GRCh38"}}]}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(packet))
    case = load_phenopacket(path)
    assert case.vcf is not None and Path(case.vcf.path).name == "sample123" and case.vcf.assembly == "GRCh38"
    # phenotype only (the VCF not wanted): both files are said to be unused, by name
    without = replace(case, files=case.files[:1])
    warnings = run_analysis(engine, without, top=5).warnings
    assert any("1 of the phenopacket's files not used (none is named or declared (fileFormat) a VCF/BCF): "
               in w and "reads.bam" in w for w in warnings), warnings


def test_ages_typed_in_words_become_iso_durations_and_onsets_read_in_words():
    from raretrace.case import onset_words, parse_age

    assert parse_age("4 years 6 months") == parse_age("4y 6m") == parse_age("p4y6m") == "P4Y6M"
    assert parse_age("18 months") == "P18M" and parse_age("3 weeks") == "P3W" and parse_age("4.5 years") == "P4.5Y"
    assert parse_age("4 years and 6 months") == "P4Y6M"
    for bad in ("", "4", "about four", "4 years 4 years", "4 parsecs"):
        assert parse_age(bad) is None, bad
    assert onset_words("HP:0003577") == "Congenital onset"
    assert onset_words("P2Y10M") == "at 2 years 10 months"
    assert onset_words(None) == ""


@pytest.mark.parametrize("data, words", [
    ({"id": "a", "phenotypicFeatures": {"type": {"id": "HP:0001250"}}}, "phenotypicFeatures must be a list [...], not an object"),
    ({"id": "a", "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}], "files": "x.vcf"}, "files must be a list [...], not a string"),
    ({"id": "a", "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}, {"type": {"id": 1250}}]},
     "phenotypic feature 2: type.id must be a string such as HP:0001250, not a number"),
])
def test_a_wrongly_shaped_part_is_named_in_words_not_in_the_schema_readers_terms(data, words):
    from raretrace.errors import RareTraceError

    with pytest.raises(RareTraceError) as info:
        case_from_phenopacket(data)
    assert words in str(info.value) and "repeated field" not in str(info.value) and "\n" not in str(info.value)


# -- other GA4GH messages and Phenopacket v1: a one-line error, never a silent misreading


def test_a_phenopacket_v1_is_refused_not_read_with_its_negated_findings_as_present(tmp_path):
    # v2's reader ignores unknown fields: v1's "negated": true would be dropped and the absent finding ranked present
    data = {"id": "v1", "subject": {"id": "p", "sex": "MALE"},
            "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}, {"type": {"id": "HP:0000252"}, "negated": True}]}
    with pytest.raises(RareTraceError, match=r'v1\'s "negated" \(phenotypic feature 2\).*convert it to v2') as exc:
        load_phenopacket(write(tmp_path, data))
    assert "\n" not in str(exc.value)
    v1 = {"id": "v1", "subject": {"id": "p", "ageAtCollection": {"age": "P3Y"}},
          "phenotypicFeatures": [{"type": {"id": "HP:0001250"}, "classOfOnset": {"id": "HP:0003577"}}],
          "htsFiles": [{"uri": "file:///x.vcf", "htsFormat": "VCF", "genomeAssembly": "GRCh38"}]}
    with pytest.raises(RareTraceError, match=r'v1\'s "htsFiles" and 2 more v1 field'):
        load_phenopacket(write(tmp_path, v1))


@pytest.mark.parametrize(("data", "words"), [
    ({"id": "fam", "proband": rich_phenopacket(), "relatives": [], "pedigree": {"persons": []}},
     "it is a GA4GH Family"),
    ({"id": "cohort", "members": [rich_phenopacket(), rich_phenopacket()]}, "it is a GA4GH Cohort of 2 member"),
    ([rich_phenopacket(), rich_phenopacket()], "the top level is a list of 2 item"),
])
def test_a_family_a_cohort_or_a_list_is_named_as_such(tmp_path, data, words):
    # a Family was read as a phenopacket without features: "no usable present HPO terms", of a case that has them
    path = tmp_path / "message.json"
    path.write_text(json.dumps(data))
    with pytest.raises(RareTraceError, match=words) as exc:
        load_phenopacket(path)
    assert "\n" not in str(exc.value)


def test_hpo_ids_written_otherwise_are_read_as_hpo_writes_them(tmp_path, engine):
    from raretrace.case import earliest_onset, onset_words

    # a lower-case onset class was not an onset at all (no onset self-check, shown as "hp:0003577"), and a lower-case
    # feature ID was listed twice in the report: analysed as HP:0001250 without its onset, and "not analysed"
    data = {"id": "ids", "phenotypicFeatures": [
        {"type": {"id": "hp:0001250"}, "onset": {"ontologyClass": {"id": "hp:0003577"}}},
        {"type": {"id": " HP_0001263 "}},
        {"type": {"id": "http://purl.obolibrary.org/obo/HP_0000252"}, "excluded": True},
        {"type": {"id": "MONDO:0007739"}},
    ]}
    case = load_phenopacket(write(tmp_path, data))
    assert [p.id for p in case.phenotypes] == ["HP:0001250", "HP:0001263", "HP:0000252", "MONDO:0007739"]
    assert case.phenotypes[0].onset == "HP:0003577"
    assert onset_words(case.phenotypes[0].onset) == "Congenital onset"
    assert earliest_onset(case) == (0.0, "the onset of this patient's features (at birth or before)")
    assert engine.ontology.resolve("http://purl.obolibrary.org/obo/HP_0001250").index is not None
    exported = to_phenopacket(case)
    assert exported["phenotypicFeatures"][0]["onset"] == {"ontologyClass": {"id": "hp:0003577"}}  # kept as read
    assert schema_problem(exported) is None


@pytest.mark.parametrize(("given", "read"), [("female", "FEMALE"), (" Male ", "MALE"), (1, "FEMALE"), (2, "MALE"),
                                             (3, "OTHER_SEX"), (0, "UNKNOWN_SEX")])
def test_a_sex_in_another_case_or_as_protobufs_number_is_read(tmp_path, given, read):
    # "female" was an error, and 1 (protobuf's JSON form of FEMALE, valid by the official schema) too
    data = {"id": "s", "subject": {"id": "p", "sex": given}, "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}]}
    case = load_phenopacket(write(tmp_path, data))
    assert case.sex == read
    assert to_phenopacket(case)["subject"]["sex"] == read
    with pytest.raises(RareTraceError, match="subject.sex 'F' .* is not one of"):
        load_phenopacket(write(tmp_path, data | {"subject": {"id": "p", "sex": "F"}}))


@pytest.mark.parametrize(("given", "build"), [("GRCh37.p13", "GRCh37"), ("GRCh38.p14", "GRCh38"), ("37", "GRCh37"),
                                              ("38", "GRCh38"), ("hs37d5", "GRCh37"), ("hg19", "GRCh37")])
def test_a_genome_build_with_its_patch_or_as_a_number_is_read(tmp_path, given, build):
    # a patch release keeps its build's coordinates; "GRCh37.p13" and "37" were "unknown genome build" errors
    data = {"id": "b", "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}],
            "files": [{"uri": "p.vcf", "fileAttributes": {"genomeAssembly": given}}]}
    assert load_phenopacket(write(tmp_path, data)).files[0].assembly == build


def test_a_vcf_whose_sample_the_phenopacket_gives_to_another_individual_is_analysed_with_a_warning(tmp_path, engine):
    from vcf_fixtures import vcf_text

    from raretrace.analysis import run_analysis

    # the file's only sample is the mother's by individualToFileIdentifiers, or keyed by an ID other than the
    # subject's (a tool keying it by the phenopacket's ID): analysed, as before, but no longer without a word
    (tmp_path / "mother.vcf").write_text(vcf_text(["10\t123256215\t.\tT\tG\t50\tPASS\t.\tGT\t0/1"], samples=("M1",)))
    data = {"id": "m", "subject": {"id": "proband"}, "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}],
            "files": [{"uri": "mother.vcf", "individualToFileIdentifiers": {"mother": "M1"},
                       "fileAttributes": {"genomeAssembly": "GRCh37"}}]}
    case = load_phenopacket(write(tmp_path, data))
    result = run_analysis(engine, case, top=3)
    assert result.vcf.sample == "M1"
    (note,) = [w for w in result.warnings if "individualToFileIdentifiers" in w]
    assert "('mother': 'M1') names no sample of the subject 'proband'" in note and "--sample" in note
    chosen = run_analysis(engine, case, sample="M1", top=3)  # chosen knowingly: no warning
    assert chosen.vcf.sample == "M1" and not any("individualToFileIdentifiers" in w for w in chosen.warnings)
    data["files"][0].pop("individualToFileIdentifiers")  # nothing said about the file's sample: its only one
    plain = run_analysis(engine, load_phenopacket(write(tmp_path, data)), top=3)
    assert plain.vcf.sample == "M1" and not any("individualToFileIdentifiers" in w for w in plain.warnings)


def test_a_sample_the_phenopacket_names_and_the_vcf_lacks_is_an_error_naming_where_it_came_from(tmp_path, engine):
    from vcf_fixtures import vcf_text

    from raretrace.analysis import run_analysis

    vcf = tmp_path / "trio.vcf"
    vcf.write_text(vcf_text(["10\t123256215\t.\tT\tG\t50\tPASS\t.\tGT\t0/1\t0/0"], samples=("KID", "MUM")))
    data = {"id": "p1", "subject": {"id": "p1"}, "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}],
            "files": [{"uri": vcf.name, "individualToFileIdentifiers": {"p1": "PROBAND"},
                       "fileAttributes": {"genomeAssembly": "GRCh37", "fileFormat": "VCF"}}]}
    case = load_phenopacket(write(tmp_path, data))
    with pytest.raises(RareTraceError) as excinfo:
        run_analysis(engine, case, top=3)
    message = str(excinfo.value)
    assert "'PROBAND' (named by the phenopacket's individualToFileIdentifiers) is not in trio.vcf" in message
    assert "KID" in message and "\n" not in message
    with pytest.raises(RareTraceError, match=r"'DAD' \(named by --sample\)"):
        run_analysis(engine, case, sample="DAD", top=3)
    assert run_analysis(engine, case, sample="KID", top=3).vcf.sample == "KID"


@pytest.mark.parametrize(("weeks", "term"), [(6, "HP:0011460"), (10, "HP:0011461"), (12, "HP:0034199"),
                                             (22, "HP:0034198"), (30, "HP:0034197")])
def test_a_feature_onset_given_as_a_gestational_age_is_its_prenatal_onset_class(tmp_path, weeks, term):
    from raretrace.case import earliest_onset

    onset = {"gestationalAge": {"weeks": weeks, "days": 2}}
    data = {"id": "ga", "phenotypicFeatures": [{"type": {"id": "HP:0001561"}, "onset": onset}]}
    case = load_phenopacket(write(tmp_path, data))
    assert case.phenotypes[0].onset == term  # it was read as no onset: blank in the report, not in the onset check
    assert earliest_onset(case) == (0.0, "the onset of this patient's features (at birth or before)")
    assert to_phenopacket(case)["phenotypicFeatures"][0]["onset"] == onset  # exported as it was written


@pytest.mark.parametrize(
    ("time", "by", "words"),
    [({"ontologyClass": {"id": "HP:0011463", "label": "Childhood onset"}}, 5.0, "childhood, by 5 years"),
     ({"ontologyClass": {"id": "HP:0003581"}}, None, "adult, from 16 years"),  # no upper end: not used as a bound
     ({"gestationalAge": {"weeks": 22, "days": 3}}, 0.0, "a fetus at 22+3 weeks of gestation")],
)
def test_an_age_at_the_last_encounter_given_as_a_stage_is_read(tmp_path, time, by, words):
    from raretrace.case import earliest_onset, encounter_stage

    data = {"id": "s", "subject": {"id": "s", "timeAtLastEncounter": time},
            "phenotypicFeatures": [{"type": {"id": "HP:0001250"}}]}
    case = load_phenopacket(write(tmp_path, data))
    assert case.age is None and encounter_stage(case) == (by, words)
    # it bounds the onset check as an ISO age does (it was read as no age at all: 41 dev phenopackets give one so)
    assert earliest_onset(case) == (None if by is None else (by, f"this patient's age ({words})"))
    assert to_phenopacket(case)["subject"]["timeAtLastEncounter"] == time  # exported as written


@pytest.mark.parametrize(("encoding", "said"), [("utf-16", "looks like UTF-16"), ("latin-1", "Latin-1")])
def test_a_phenopacket_not_in_utf8_is_named_for_what_it_is(tmp_path, encoding, said):
    # It is a text file (the message said it was not), only not UTF-8: say which encoding and how to fix it.
    from raretrace.errors import RareTraceError

    path = tmp_path / "case.json"
    path.write_bytes(json.dumps({"id": "Zoë", "subject": {"id": "Zoë"}}, ensure_ascii=False).encode(encoding))
    with pytest.raises(RareTraceError) as err:
        load_phenopacket(path)
    assert said in str(err.value) and "save it again as UTF-8" in str(err.value)


def test_an_edit_of_a_case_is_named_in_a_clinicians_words():
    """What Undo and Redo say they undo: the one edit between two versions of a case."""
    from raretrace.case import Case, CaseFile, edit_words

    seizure = Phenotype("HP:0001250", "Seizure")
    base = Case(id="c", phenotypes=(seizure,))
    assert edit_words(base, base) == ""
    assert edit_words(base, replace(base, phenotypes=())) == "remove feature Seizure"
    assert edit_words(replace(base, phenotypes=()), base) == "add feature Seizure"
    excluded = replace(base, phenotypes=(replace(seizure, excluded=True),))
    assert edit_words(base, excluded) == "exclude Seizure"
    assert edit_words(excluded, base) == "mark Seizure present"
    assert edit_words(base, replace(base, phenotypes=(replace(seizure, onset="HP:0003593"),))) == "set onset of Seizure"
    assert edit_words(base, replace(base, phenotypes=(Phenotype("HP:0000252"),))).startswith("add feature HP:0000252")
    assert edit_words(base, replace(base, sex="FEMALE")) == "set sex to female"
    assert edit_words(replace(base, sex="FEMALE"), base) == "clear sex"
    assert edit_words(base, replace(base, age="P4Y6M")) == "set age to 4 years 6 months"
    assert edit_words(base, replace(base, subject_id="P-5")) == "set patient ID to P-5"
    vcf = replace(base, files=(CaseFile("/data/patient.vcf.gz"),))
    assert edit_words(base, vcf) == "load VCF patient.vcf.gz"
    assert edit_words(vcf, base) == "remove VCF patient.vcf.gz"
    assert edit_words(vcf, replace(base, files=(CaseFile("/data/other.vcf"),))) == "load VCF other.vcf"
    both = replace(base, sex="MALE", age="P2Y")
    assert edit_words(base, both) == "set sex to male and 1 more change"
