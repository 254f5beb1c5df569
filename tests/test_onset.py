"""The age a finding began, read from the note in the finding's own clause (text/onset.py), carried by the
extracted term and by `extract --json`."""

from __future__ import annotations

import json

import pytest
from cli_run import run_cli

from raretrace.text import Extractor
from raretrace.text.onset import CONGENITAL_ONSET

SEIZURE, HYPOTONIA, ATAXIA = "HP:0001250", "HP:0001252", "HP:0001251"


@pytest.fixture(scope="module")
def extractor(engine) -> Extractor:
    return engine.extractor


def onset(extractor: Extractor, text: str, term_id: str) -> str | None:
    (term,) = [t for t in extractor.extract(text) if t.id == term_id]
    return term.onset


@pytest.mark.parametrize(("text", "term_id", "expected"), [
    ("Seizures from 6 months.", SEIZURE, "P6M"),
    ("She has had seizures since the age of 2 years.", SEIZURE, "P2Y"),
    ("Onset of seizures at 3 years.", SEIZURE, "P3Y"),
    ("Seizures began at 8 months.", SEIZURE, "P8M"),
    ("Seizures starting at 6 weeks of age.", SEIZURE, "P6W"),
    ("Seizures began at three weeks.", SEIZURE, "P3W"),
    ("Seizure onset at 2 years 6 months.", SEIZURE, "P2Y6M"),
    ("She developed seizures at age 4, currently controlled on levetiracetam.", SEIZURE, "P4Y"),
    ("At 14 months she developed ataxia.", ATAXIA, "P14M"),
    ("At 14 months, he developed ataxia.", ATAXIA, "P14M"),
    ("Onset was at 6 weeks of age with seizures.", SEIZURE, "P6W"),
    ("Hypotonia noted at birth.", HYPOTONIA, CONGENITAL_ONSET),
    ("Hypotonia from birth.", HYPOTONIA, CONGENITAL_ONSET),
    ("Hypotonia has been present since birth.", HYPOTONIA, CONGENITAL_ONSET),
    ("Congenital hypotonia.", "HP:0001319", CONGENITAL_ONSET),  # (HPO: Neonatal hypotonia)
])
def test_the_onset_the_note_gives_a_finding_is_read(extractor, text, term_id, expected):
    assert onset(extractor, text, term_id) == expected


@pytest.mark.parametrize(("text", "term_id"), [
    ("Seizures were diagnosed at 5 years.", SEIZURE),  # the age at diagnosis
    ("Diagnosed at 5 years with seizures.", SEIZURE),
    ("At 5 years she had seizures on examination.", SEIZURE),  # an age at examination
    ("She presented with seizures at 5 years.", SEIZURE),  # the age at presentation
    ("Seizures at 3 years.", SEIZURE),  # an episode then, not said to be the first
    ("A 3-year-old girl with seizures.", SEIZURE),  # the patient's age now
    ("A girl aged 3 years with seizures.", SEIZURE),
    ("Hypotonia noted at 5 years.", HYPOTONIA),  # seen then, maybe there before
    ("Polyhydramnios from 20 weeks' gestation.", "HP:0001561"),  # a gestational age
    ("Polyhydramnios noted on the antenatal scan from 28 weeks.", "HP:0001561"),
    ("She developed ataxia in her teens.", ATAXIA),  # no single age nor HPO onset class
    ("At 14 months her brother developed seizures; she has ataxia.", ATAXIA),  # another person's clause
    ("Seizures, treated from 6 months.", SEIZURE),  # the treatment's start, after the finding's clause
    ("Ataxia and seizures from 6 months.", ATAXIA),  # the age follows another finding
])
def test_no_onset_where_the_note_gives_none_of_the_finding(extractor, text, term_id):
    assert onset(extractor, text, term_id) is None


@pytest.mark.parametrize("text", ["No seizures from 6 months.", "Her brother has had seizures from 6 months."])
def test_excluded_and_relatives_findings_get_no_onset(extractor, text):
    (term,) = [t for t in extractor.extract(text) if t.id == SEIZURE]
    assert (term.excluded or term.family) and term.onset is None


def test_extract_json_gives_the_onset_where_read(tmp_path, capsys, engine):
    note = tmp_path / "note.txt"
    note.write_text("Seizures from 6 months. Ataxia.", encoding="utf-8")
    assert run_cli(["extract", str(note), "--json"]) == 0
    terms = {t["id"]: t for t in json.loads(capsys.readouterr().out)}
    assert terms[SEIZURE]["onset"] == "P6M"
    assert "onset" not in terms[ATAXIA]  # optional: present only where read
