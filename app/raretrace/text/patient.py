"""What a clinical note says of the patient's own age and sex: "a 7-year-old girl", "7 yo M", "a boy aged 4
years", "Sex: female", "Age: 18 months". The case header offers them where its fields are empty, and warns where they
contradict what the case records (note_contradictions).

A relative's age is never the patient's: "her 5-year-old sister", "his brother, a 12-year-old boy" are skipped.
The first statement about the patient wins (a note introduces the patient before the history).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..case import SEX_WORDS, age_in_years, age_words, duration_parts, parse_age

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20,
}
_FEMALE = frozenset(("girl", "female", "woman", "lady", "daughter", "f"))
_MALE = frozenset(("boy", "male", "man", "gentleman", "son", "m"))
_PERSON = frozenset(("infant", "baby", "child", "toddler", "patient", "proband", "neonate", "newborn", "adolescent",
                     "teenager")) | ((_FEMALE | _MALE) - {"f", "m"})
# words just before an age that make it another person's ("her 5-year-old sister", "whose 3-year-old")
_OWNERS = frozenset(("his", "her", "their", "whose", "its", "my", "our", "your"))
# words just before an age that make it an age in the history, not now ("from 2 years old", "when he was 3")
_IN_THE_HISTORY = frozenset(("at", "since", "from", "until", "till", "by", "before", "after", "was", "were", "of"))
_RELATIVES = frozenset((
    "sister", "brother", "sibling", "siblings", "mother", "father", "parent", "parents", "cousin", "aunt", "uncle",
    "grandmother", "grandfather", "grandparent", "twin", "niece", "nephew", "stepbrother", "stepsister",
))
_NUMBER = r"(?P<n>\d{1,3}(?:[.,]\d)?|" + "|".join(_NUMBER_WORDS) + ")"
AGE_UNITS = r"(?:years?|yrs?|months?|mos?|weeks?|wks?|days?)"  # the units of an age in words (also onset, measures)
_UNIT = rf"(?P<unit>{AGE_UNITS})"
_NOUN = r"(?P<noun>[a-z]+)"
# years before the months of "a 4 year 6 month old girl" (read alone, the months made her 6 months old)
_LEAD = r"(?:(?P<n0>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")[\s-]*(?P<unit0>years?|yrs?)[\s,-]*(?:and\s+)?)?"
# "a 7-year-old girl", "7 year old boy", "seven-year-old", "7yo F", "7 y/o male", "18-month-old infant"
_YEARS_OLD = re.compile(
    rf"\b{_LEAD}{_NUMBER}[\s-]*(?:{_UNIT}[\s-]*old|(?P<yo>yo|y/o|y\.o\.?))(?![a-z])(?:[\s,]+{_NOUN})?",
    re.IGNORECASE)
# "a girl aged 7 years", "the patient, aged 18 months"
_AGED = re.compile(rf"\b{_NOUN},?\s+aged\s+{_NUMBER}\s*{_UNIT}\b", re.IGNORECASE)
# "Aged 3 weeks, ...", "Age 2 months." opening the note, a sentence or a line: the patient's, as a field's ("at 3
# weeks of age" is an age in the history, not read here)
_AGED_OPENING = re.compile(rf"(?:^|(?<=[.;!?\n]))\s*aged?\s+{_NUMBER}\s*{_UNIT}\b", re.IGNORECASE)
_SEX_FIELD = re.compile(r"\b(?:sex|gender)\s*[:=]\s*(?P<sex>female|male|f|m)\b", re.IGNORECASE)
# "Age: 4 y", "AGE: 4 yrs 3 mths", "Age: 18/12" (the UK's months; "6/52" weeks): a field holds an age as the
# header's Age box takes it, the short units too, which prose would misread ("4 y" is no age in running text)
_FIELD_PART = r"(?:\d{1,3}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + r")\s*(?:years?|yrs?|y|months?|mths?|mos?|m|weeks?|wks?|w|days?|d)\b\.?"
_AGE_FIELD = re.compile(rf"\bage\s*[:=]\s*(?P<value>{_FIELD_PART}(?:,?\s*(?:and\s+)?{_FIELD_PART})*|\d{{1,2}}/(?:12|52)\b)",
                        re.IGNORECASE)
_FIELD_NUMBER = re.compile(r"[a-z]+(?=\s*(?:years?|yrs?|y|months?|mths?|mos?|m|weeks?|wks?|w|days?|d)\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StatedPatient:
    """The patient's age (ISO 8601 duration) and sex (a phenopacket Sex name) as the note states them."""

    age: str | None = None
    sex: str | None = None
    sex_said: str | None = field(default=None, compare=False)  # the note's words for the sex ("girl", "Sex: F")


def _sex(word: str | None) -> str | None:
    word = (word or "").lower()
    return "FEMALE" if word in _FEMALE else "MALE" if word in _MALE else None


def _age(number: str, unit: str) -> str | None:
    value = _NUMBER_WORDS.get(number.lower(), number.replace(",", "."))
    return parse_age(f"{value} {unit}")


# The note's title line names the patient in a clinic's shorthand: "Paediatric neurology – 1 year 8 months, female",
# "Hepatology clinic - girl, 4 years 6 months", "Neurology outpatient note - 34M", "Renal clinic - male patient". An
# age there stands after a dash, colon, comma or bracket (not "from 2 years") and ends its part of the line.
TITLE_CHARS = 120
_SEX_WORD = r"(?:girl|boy|female|male|woman|man)"
_TITLE_AGE = re.compile(
    rf"(?:^|[-\u2013\u2014:,(])\s*(?P<value>{_FIELD_PART}(?:,?\s*(?:and\s+)?{_FIELD_PART})*)"
    rf"(?:\s+old)?\s*(?=$|[,.;)]|[-\u2013\u2014]|{_SEX_WORD}\b)", re.IGNORECASE)
_TITLE_AGE_SEX = re.compile(r"(?:^|[-\u2013\u2014:,(]|\s)\s*(?P<n>\d{1,3})\s?(?P<sex>[MF])\b")  # "34M", "7 F"
_TITLE_SEX = re.compile(rf"\b{_SEX_WORD}\b", re.IGNORECASE)


def _title(text: str) -> tuple[str | None, str | None, str | None]:
    """The age and sex the note's first line, when short, gives the patient, and the words that give the sex (each
    may be None)."""
    line = text.lstrip().split("\n", 1)[0]
    words = re.findall(r"[a-z]+", line.lower())
    if len(line) > TITLE_CHARS or not _RELATIVES.isdisjoint(words):
        return None, None, None
    m = _TITLE_AGE_SEX.search(line)
    if m is not None:
        return f"P{int(m.group('n'))}Y", _sex(m.group("sex")), m.group(0).lstrip(" -\u2013\u2014:,(")
    said = _TITLE_SEX.findall(line)
    sexes = {_sex(w) for w in said}
    m = None if "age" in words else _TITLE_AGE.search(line)  # ("Age: 4 y", "Bone age: 4 years": fields, read as such)
    sex = sexes.pop() if len(sexes) == 1 else None
    return _field_age(m.group("value")) if m else None, sex, said[0] if sex else None


def _field_age(value: str) -> str | None:
    """An Age field's value ("4 yrs 3 mths", "six years", "18/12") as an ISO 8601 duration."""
    if "/" in value:
        number, per = value.split("/")
        return f"P{int(number)}{'M' if per == '12' else 'W'}"
    value = _FIELD_NUMBER.sub(lambda m: str(_NUMBER_WORDS.get(m.group().lower(), m.group())), value)
    return parse_age(re.sub(r"mths?\b", "months", value, flags=re.IGNORECASE))


# words before "age:" that make it no age of the patient now ("Bone age: 4 y", "Mother's age: 34 years")
_OTHER_AGES = frozenset(("bone", "skeletal", "dental", "height", "developmental", "mental", "gestational", "gestation",
                         "corrected", "maternal", "paternal", "parental", "parents")) | _RELATIVES


def _anothers_age_field(text: str, start: int) -> bool:
    before = re.findall(r"[a-z]+(?:'s)?", text[max(0, start - 20) : start].lower())
    if not before:
        return False
    word = before[-1].removesuffix("'s")
    return word in _OTHER_AGES or (before[-1].endswith("'s") and word not in _PERSON)


def _not_the_patients_age(text: str, start: int) -> bool:
    """The words just before an age at `start` make it another person's ("her 5-year-old", "his sister, a
    7-year-old") or an age in the history ("seizures from 2 years old", "when he was 3 years old")."""
    before = re.findall(r"[a-z']+", text[max(0, start - 40) : start].lower())
    if not before:
        return False
    if before[-1] in _OWNERS or before[-1] in _IN_THE_HISTORY:
        return True
    return before[-1] in ("a", "an") and not _RELATIVES.isdisjoint(before[-3:])


# A note introduces its patient at the start; reading no further keeps this quick on every keystroke of a long
# letter (about 8 ms for 20,000 characters; a whole 1 MB paste took 0.45 s).
READ_CHARS = 20_000


def stated_patient(text: str) -> StatedPatient:
    """The patient's age and sex as the note states them in its first READ_CHARS characters (either may be None)."""
    text = text[:READ_CHARS]
    # (where, age, sex, the words giving the sex) of each statement about the patient
    found: list[tuple[int, str | None, str | None, str | None]] = []
    for m in _YEARS_OLD.finditer(text):
        noun = (m.group("noun") or "").lower()
        if noun in _RELATIVES or _not_the_patients_age(text, m.start()):
            continue
        # a single letter is a sex only right after "yo" ("7yo F"), not after "year-old"
        said_sex = _sex(noun) if noun not in ("f", "m") or m.group("yo") else None
        age = _age(m.group("n"), m.group("unit") or "years")
        if m.group("n0") and m.group("unit"):
            years = _age(m.group("n0"), "years")
            age = years + age[1:] if years and age and "Y" not in age else age  # P4Y + P6M: P4Y6M
        found.append((m.start(), age, said_sex, noun and m.group("noun")))
    for m in _AGED.finditer(text):
        noun = m.group("noun").lower()
        if noun in _PERSON and not _not_the_patients_age(text, m.start()):
            found.append((m.start(), _age(m.group("n"), m.group("unit")), _sex(noun), m.group("noun")))
    found += [(m.start(), _age(m.group("n"), m.group("unit")), None, None) for m in _AGED_OPENING.finditer(text)]
    found += [(m.start(), None, _sex(m.group("sex")), m.group(0)) for m in _SEX_FIELD.finditer(text)]
    found += [(m.start(), _field_age(m.group("value")), None, None) for m in _AGE_FIELD.finditer(text)
              if not _anothers_age_field(text, m.start())]
    age, sex, sex_said = _title(text)
    for _where, said_age, said_sex, words in sorted(found, key=lambda f: f[0]):
        age = age or said_age
        if sex is None and said_sex is not None:
            sex, sex_said = said_sex, words
    return StatedPatient(age=age, sex=sex, sex_said=sex_said)


# a sentence opening on the patient's pronoun ("She and her husband have been trying ...", "He is attending with ...")
_OPENING_PRONOUN = re.compile(r"(?:^|[.!?:]\s+|\n\s*)(He|She)\b")
_WORD = re.compile(r"[a-z]+")


def patient_sex(text: str) -> str | None:
    """The patient's sex ("MALE", "FEMALE" or None): as the note states it (stated_patient), else the pronoun of
    the first sentence that opens on "He" or "She" where no relative is named before it (a note speaks of its
    patient first; "Mother reports ... She is worried" may be the mother)."""
    sex = stated_patient(text).sex
    if sex is not None:
        return sex
    text = text[:READ_CHARS]
    m = _OPENING_PRONOUN.search(text)
    if m is None or not _RELATIVES.isdisjoint(_WORD.findall(text[: m.start()].lower())):
        return None
    return "MALE" if m.group(1) == "He" else "FEMALE"


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Where the note and the case disagree on the patient: `what` ("sex" or "age"), the note's value in words,
    the note's own words for it (or None), and the value the case records, in words."""

    what: str
    note: str
    said: str | None
    recorded: str

    def noted(self) -> str:
        """The note's value with its words: 'female ("girl")'."""
        return self.note + (f" (\u201c{self.said}\u201d)" if self.said else "")

    def message(self) -> str:
        """'The note says female ("girl"); the case records male'."""
        return contradictions_said([self])


# The note may be a letter from before or after the encounter whose age the case records: ages this close (in
# years) beyond what each states are no contradiction ("4 years 6 months" in the note, 5 years recorded).
AGE_LEEWAY_YEARS = 1.0
# the part of a year the finest unit of an age stands for: "3 years" is 3 to 4 years, "18 months" 18 to 19 months
_UNIT_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}


def _age_span(iso: str) -> tuple[float, float] | None:
    """The ages in years an ISO 8601 age stands for, [from, to): its value up to one of its finest unit."""
    parts, years = duration_parts(iso), age_in_years(iso)
    if not parts or years is None:
        return None
    return years, years + _UNIT_YEARS[list(parts)[-1]]


def note_contradictions(stated: StatedPatient, sex: str | None, age: str | None) -> list[Contradiction]:
    """Where what the note states of the patient contradicts the sex and age (ISO 8601) the case records: male
    against female, and an age more than AGE_LEEWAY_YEARS outside what the other gives ("3-year-old" is 3 to 4
    years: a recorded 4 years 6 months agrees, 5 years does not). Nothing is contradicted where either side is empty, and a sex recorded as
    other or unknown is not contradicted by the note's (the clinician chose it). The recorded value is never
    changed here: the clinician decides which is right."""
    found = []
    if stated.sex and sex and {stated.sex, sex} == {"MALE", "FEMALE"}:
        found.append(Contradiction("sex", SEX_WORDS[stated.sex], stated.sex_said, SEX_WORDS[sex]))
    if stated.age and age:
        said, recorded = _age_span(stated.age), _age_span(age)
        leeway = AGE_LEEWAY_YEARS
        if said and recorded and not (said[0] < recorded[1] + leeway and recorded[0] < said[1] + leeway):
            found.append(Contradiction("age", age_words(stated.age), None, age_words(age)))
    return found


def contradictions_said(found: list[Contradiction]) -> str:
    """Contradictions in one sentence: 'The note says female ("girl") and 3 years; the case records male and 5
    years' ('' for none)."""
    if not found:
        return ""
    return (f"The note says {' and '.join(c.noted() for c in found)}; "
            f"the case records {' and '.join(c.recorded for c in found)}")
