"""When a finding began, where the note says it plainly in the finding's own clause: "seizures from 6 months",
"seizures since the age of 2 years", "onset of seizures at 3 years", "seizures began at 8 months", "hypotonia noted
at birth", "congenital hypotonia", "at 14 months she developed ataxia", "onset was at 6 weeks with focal seizures".

An onset is an ISO 8601 age (P6M, P2Y, P6W), as case.parse_age writes a typed age, or HPO's Congenital onset
(HP:0003577) for a finding present at birth. Nothing else is read as onset: an age at diagnosis or at examination
("diagnosed at 5 years", "at 5 years she had a normal EEG"), the patient's age now ("a 3-year-old girl with
seizures"), a gestational age ("from 20 weeks' gestation"), a vague period ("in her teens": no single age or HPO
onset class), nor anything of an excluded finding or of a relative's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar

from ..case import age_in_years, parse_age
from .patient import _NUMBER_WORDS

CONGENITAL_ONSET = "HP:0003577"
_OLDEST = 120  # years: a larger number after "at" is no age ("at 250 ms")

_NUMBER = r"(?:\d{1,3}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + ")"
_UNIT = r"(?:years?|yrs?|months?|mos?|weeks?|wks?|days?)"
# an age as a note writes it: "6 months", "2 years 6 months", "the age of 2 (years)", "age 4", "birth"; never one
# followed by the gestation it counts ("20 weeks' gestation", "32 weeks of gestation")
_AGE = (rf"(?:(?P<birth>birth)|(?:the\s+)?age\s+(?:of\s+)?(?P<aged>{_NUMBER})(?:\s*(?P<aged_unit>{_UNIT}))?"
        rf"|(?P<n>{_NUMBER})[\s-]*(?P<unit>{_UNIT})(?:,?\s*(?:and\s+)?(?P<n2>{_NUMBER})[\s-]*(?P<unit2>{_UNIT}))?)"
        r"(?![\w/])(?!'?s?\s*(?:'\s*)?(?:of\s+)?(?:gestation|gestational|pregnancy|post-?menstrual|corrected|GA\b))"
        r"(?:\s+(?:of\s+age|old|of\s+life))?")
# words that say the finding started (an age after them is its onset); "noted", "present" say only that it was
# seen then, which is its onset only at birth
_STARTED = r"(?:began|begun|begin|beginning|started|starting|start|commenced|commencing|appeared|emerged|developed)"
_SEEN = r"(?:noted|noticed|observed|evident|apparent|present|recognised|recognized)"
_AUX = r"(?:\s+(?:has|have|had|was|were|been|being|is|are|first|initially|already))*"
# after the finding: "seizures from 6 months", "seizures began at 8 months", "hypotonia noted at birth",
# "seizures with onset at 3 years", "seizure onset at 3 years"
_AFTER = re.compile(
    rf"(?:{_AUX}\s+(?P<started>{_STARTED})|{_AUX}\s+(?P<seen>{_SEEN})|\s+(?:with\s+)?(?P<onset>onset)(?:\s+(?:was|is))?)?"
    rf"(?:\s+(?:first|initially))?\s+(?P<prep>from|since|at)\s+{_AGE}", re.IGNORECASE)
_FILLER = r"(?:(?!(?:and|or|with|but|no|not|without)\b)[\w-]+\s+){0,2}"  # words of the finding's name left unmatched
_SUBJECT = r"(?:he|she|they|the\s+(?:patient|child|proband|boy|girl|infant|baby))"
# before the finding: "onset of seizures", "she developed seizures" (with an age after), "congenital hypotonia"
_ONSET_OF = re.compile(rf"\b(?:onset|start|beginning)\s+of\s+(?:(?:her|his|their|the)\s+)?{_FILLER}\Z", re.IGNORECASE)
# ("presented with X at 5 years" is not among them: the age at presentation may be long after the onset)
_DEVELOPED = re.compile(rf"\b(?:developed|began\s+(?:having|to\s+have)|started\s+(?:having|to\s+have))\s+{_FILLER}\Z",
                        re.IGNORECASE)
_CONGENITAL = re.compile(r"(?<![a-z])congenital(?:ly)?\s+\Z", re.IGNORECASE)
# an age opening the finding's clause: "at 14 months(,) she developed ataxia", "onset was at 6 weeks with seizures"
_AGE_FIRST = re.compile(
    rf"(?:^|(?<=[\s(]))(?:at|from)\s+{_AGE},?\s+{_SUBJECT}\s+(?:developed|began\s+(?:having|to\s+have)"
    rf"|started\s+(?:having|to\s+have))\s+{_FILLER}\Z", re.IGNORECASE)
_ONSET_WITH = re.compile(rf"\bonset\s+(?:was\s+)?(?:at|from)\s+{_AGE},?\s+with\s+{_FILLER}\Z", re.IGNORECASE)
_AGE_FIRST_WORDS = ("develop", "hav", "with")
# words of a sentence about the pregnancy: a week there counts the gestation, not the patient's age
_PRENATAL = re.compile(r"gestation|pregnan|antenatal|prenatal|fetal|foetal|in utero|ultrasound|\bscans?\b",
                       re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?\n]")
_BEFORE_CHARS = 120
_AFTER_CHARS = 80

Term = TypeVar("Term")


def _age(m: re.Match[str]) -> str | None:
    """The age a match of _AGE names, as an ISO 8601 duration or CONGENITAL_ONSET; None when it is no age."""
    if m.group("birth"):
        return CONGENITAL_ONSET
    parts = ([(m.group("aged"), m.group("aged_unit") or "years")] if m.group("aged")
             else [(m.group("n"), m.group("unit"))] + ([(m.group("n2"), m.group("unit2"))] if m.group("n2") else []))
    iso = parse_age(" ".join(f"{_NUMBER_WORDS.get(n.lower(), n)} {unit}" for n, unit in parts))
    years = age_in_years(iso)
    return iso if years is not None and years <= _OLDEST else None


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or line) holding text[start:end]."""
    opened = max(text.rfind(c, 0, start) for c in ".;!?\n") + 1
    m = _SENTENCE_END.search(text, end)
    return text[opened : m.start() if m else len(text)]


def onset_of(text: str, start: int, end: int) -> str | None:
    """The onset the note gives the finding at text[start:end], in its own clause; None where it gives none."""
    before = text[max(0, start - _BEFORE_CHARS) : start]
    found = text[start:end]
    if found[:10].lower() == "congenital" or _CONGENITAL.search(before, len(before) - 14):
        return CONGENITAL_ONSET
    # (the words before an age-first clause's finding are checked first: the search costs, on every finding)
    m = None
    if any(w in before[-60:].lower() for w in _AGE_FIRST_WORDS):
        m = _AGE_FIRST.search(before) or _ONSET_WITH.search(before)
    if m is None:
        m = _AFTER.match(text, end, min(len(text), end + _AFTER_CHARS))
        if m is None or (m.group("prep").lower() == "at" and not (m.group("birth") or m.group("started")
                         or m.group("onset") or _ONSET_OF.search(before) or _DEVELOPED.search(before))):
            # "from", "since" say when it began; "at" only with a word of starting ("began at", "onset of ...
            # at", "developed ... at") or at birth: "seizures at 3 years", "diagnosed at 3 years" may be later
            return None
    if not m.group("birth") and _PRENATAL.search(_sentence(text, start, end)):
        return None  # "polyhydramnios from 28 weeks" on a scan: an age of the pregnancy, not of the patient
    return _age(m)


def with_onsets(text: str, terms: Sequence[Term]) -> list[Term]:
    """The terms, each of the patient's present findings with the onset the note gives it (ExtractedTerm.onset)."""
    out: list[Any] = list(terms)
    for k, t in enumerate(out):
        if t.excluded or t.family:
            continue
        onset = onset_of(text, t.start, t.end)
        if onset is not None:
            out[k] = replace(t, onset=onset)
    return out
