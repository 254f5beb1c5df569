"""When a finding began, where the note says it plainly in the finding's own clause: "seizures from 6 months",
"seizures since the age of 2 years", "onset of seizures at 3 years", "seizures began at 8 months", "hypotonia noted
at birth", "congenital hypotonia", "at 14 months she developed ataxia", "onset was at 6 weeks with focal seizures".

An onset is an ISO 8601 age (P6M, P2Y, P6W), as case.parse_age writes a typed age, or HPO's Congenital onset
(HP:0003577) for a finding present at birth, or another of HPO's onset classes (under HP:0003674 Onset) where the
note names the period in words: "seizures from infancy", "began in infancy", "with onset in infancy" (Infantile),
"from the neonatal period", "neonatal-onset seizures" (Neonatal), "childhood-onset ataxia", "ataxia since early
childhood" (Childhood: HPO has no Early childhood onset, and its Childhood onset, 1 to 5 years, holds it),
"juvenile-onset", "adult-onset" (Juvenile, Adult), "detected prenatally", "seen on prenatal ultrasound" (Antenatal).
A time phrase opening the sentence or clause gives its onset to the findings of that clause: "Since 6 months,
seizures", "From 6 months of age, seizures and hypotonia were noted" (not to a later clause, a finding with a time
of its own, or one said to change then: "Since 6 months, seizures have decreased"); one opened by "at" an age ("in",
"during" a period) only where the clause says the finding began then: "At 6 months, seizures began", "At the age of
2 years, ataxia appeared", "In infancy, seizures began", "At birth, hypotonia was noted" (as "noted at birth").
Nothing else is read as onset: an age at diagnosis or at examination ("diagnosed at 5 years", "at 5 years she had a
normal EEG", "At 5 years, ataxia was noted", "diagnosed in childhood"), an age at presentation ("At 6 months, she
presented with seizures"), the patient's age now ("a 3-year-old girl with seizures"), a gestational age
("from 20 weeks' gestation"), a finding seen or had in a period ("hypotonia noted in infancy", "feeding difficulties
in infancy": it may have begun earlier, or be an episode then), a vague period ("late childhood", "early-onset",
"late-onset": no single age or HPO onset class), adolescence ("adolescent-onset", "since adolescence", "in her
teens", "teenage-onset": 10 to 19 years straddles HPO's Juvenile onset, 5 to 15 years, and Adult onset, 16 years or
later, and no class of the release holds it), an onset the matched term names itself ("neonatal
seizures" is HPO's Neonatal seizure), nor anything of an excluded finding or of a relative's.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from ..case import age_in_years, parse_age
from .patient import _NUMBER_WORDS, AGE_UNITS

CONGENITAL_ONSET = "HP:0003577"
ANTENATAL_ONSET = "HP:0030674"
NEONATAL_ONSET = "HP:0003623"
INFANTILE_ONSET = "HP:0003593"
CHILDHOOD_ONSET = "HP:0011463"
JUVENILE_ONSET = "HP:0003621"
ADULT_ONSET = "HP:0003581"
PEDIATRIC_ONSET = "HP:0410280"
_OLDEST = 120  # years: a larger number after "at" is no age ("at 250 ms")

_NUMBER = r"(?:\d{1,3}(?:[.,]\d)?|" + "|".join(_NUMBER_WORDS) + ")"  # "1,5 years": a decimal comma
_UNIT = AGE_UNITS
# an age as a note writes it: "6 months", "2 years 6 months", "the age of 2 (years)", "age 4", "birth"; never one
# followed by the gestation it counts ("20 weeks' gestation", "32 weeks of gestation")
_AGE = (rf"(?:(?P<birth>birth)|(?:the\s+)?age\s+(?:of\s+)?(?P<aged>{_NUMBER})(?:\s*(?P<aged_unit>{_UNIT}))?"
        rf"|(?P<n>{_NUMBER})[\s-]*(?P<unit>{_UNIT})(?:,?\s*(?:and\s+)?(?P<n2>{_NUMBER})[\s-]*(?P<unit2>{_UNIT}))?)"
        r"(?![\w/])(?!'?s?\s*(?:'\s*)?(?:of\s+)?(?:gestation|gestational|pregnancy|post-?menstrual|corrected|GA\b))"
        r"(?:\s+(?:of\s+age|old|of\s+life))?"
        # nor a time counted from an event or back from now ("6 months of treatment", "2 weeks after vaccination",
        # "6 months post-op", "6 months ago"): no age of the patient ("6 months after birth" is one)
        r"(?:(?<=birth)|(?!\s+(?:ago|later|earlier|before|prior|into|post(?!-?natal)|after\s+(?!birth\b)"
        r"|of\s+(?!age\b|life\b))))")
# a period of life that is one HPO onset class (_PERIOD_ONSETS); "late childhood" (HPO's Childhood ends at 5
# years, a clinician's may not), "adolescence" (10-19 years: Juvenile ends at 15, Adult begins at 16), "early life"
# are none
_PERIOD = (r"(?P<period>(?:early\s+|late\s+)?infancy|the\s+first\s+year\s+of\s+life|(?:early\s+)?childhood"
           r"|(?:the\s+)?(?:early\s+)?(?:neonatal|newborn)\s+period|the\s+first\s+(?:month|(?:few\s+)?weeks)\s+of\s+life"
           r"|(?:early\s+|young\s+)?adulthood|adult\s+life)\b")
_PERIOD_ONSETS = (("infan", INFANTILE_ONSET), ("year", INFANTILE_ONSET), ("child", CHILDHOOD_ONSET),
                  ("adult", ADULT_ONSET), ("period", NEONATAL_ONSET), ("life", NEONATAL_ONSET))
# the words before "-onset" that name one onset class: "childhood-onset ataxia", "ataxia of adult onset"
_CLASS_WORDS = {"congenital": CONGENITAL_ONSET, "prenatal": ANTENATAL_ONSET, "antenatal": ANTENATAL_ONSET,
                "fetal": ANTENATAL_ONSET, "foetal": ANTENATAL_ONSET, "neonatal": NEONATAL_ONSET,
                "infantile": INFANTILE_ONSET, "infant": INFANTILE_ONSET, "infancy": INFANTILE_ONSET,
                "childhood": CHILDHOOD_ONSET, "early childhood": CHILDHOOD_ONSET, "juvenile": JUVENILE_ONSET,
                "pediatric": PEDIATRIC_ONSET, "paediatric": PEDIATRIC_ONSET, "adult": ADULT_ONSET,
                "adulthood": ADULT_ONSET}
_CLASS = r"(?P<cls>early[\s-]+childhood|" + "|".join(w for w in _CLASS_WORDS if " " not in w) + ")"
# words of a class in the matched term's name or the note's words for it: the term names its onset itself
# ("Neonatal seizure", "Infantile spasms", "growth restricted in utero"), which is not repeated
_NAMED = {CONGENITAL_ONSET: ("congenital",), ANTENATAL_ONSET: ("natal", "fetal", "foetal", "utero", "intrauterine"),
          NEONATAL_ONSET: ("neonat", "newborn"), INFANTILE_ONSET: ("infan",), CHILDHOOD_ONSET: ("child",),
          JUVENILE_ONSET: ("juvenile",), PEDIATRIC_ONSET: ("pediatric", "paediatric"), ADULT_ONSET: ("adult",)}
# words that say the finding started (an age after them is its onset); "noted", "present" say only that it was
# seen then, which is its onset only at birth
_STARTED = r"(?:began|begun|begin|beginning|started|starting|start|commenced|commencing|appeared|emerged|developed)"
_SEEN = r"(?:noted|noticed|observed|evident|apparent|present|recognised|recognized)"
_AUX = r"(?:\s+(?:has|have|had|was|were|been|being|is|are|first|initially|already))*"
# after the finding: "seizures from 6 months", "seizures began at 8 months", "hypotonia noted at birth",
# "seizures with onset at 3 years", "seizure onset at 3 years", "seizures (onset in infancy)", "seizures since
# infancy", "seizures began in early childhood"
_AFTER = re.compile(
    rf"(?:{_AUX}\s+(?P<started>{_STARTED})|{_AUX}\s+(?P<seen>{_SEEN})"
    rf"|\s*[(,]?\s*(?:with\s+)?(?P<onset>onset)(?:\s+(?:was|is))?)?"
    # (after a colon or in brackets too: "seizures: from 6 months", "seizures (since infancy)")
    rf"(?:\s+(?:first|initially))?(?:\s*[:(]\s*|\s+)(?P<prep>from|since|at|in|during)\s+(?:{_AGE}|{_PERIOD})",
    re.IGNORECASE)
# the end of a range after the onset's age ("from 6 months to 3 years of treatment"): a time that is no age there
# (_AGE's events) counts the range's start from the same event
_RANGE_TO = r"\s*(?:to|until|till|through|-|\u2013)\s*"
_RANGE_END_TIME = re.compile(rf"{_RANGE_TO}{_NUMBER}[\s-]*{_UNIT}\b", re.IGNORECASE)
_RANGE_END_AGE = re.compile(rf"{_RANGE_TO}{_AGE}", re.IGNORECASE)
_FILLER = r"(?:(?!(?:and|or|with|but|no|not|without)\b)[\w-]+\s+){0,2}"  # words of the finding's name left unmatched
_SUBJECT = r"(?:he|she|they|the\s+(?:patient|child|proband|boy|girl|infant|baby))"
# before the finding: "onset of seizures", "she developed seizures" (with an age after), "congenital hypotonia"
_ONSET_OF = re.compile(rf"\b(?:onset|start|beginning)\s+of\s+(?:(?:her|his|their|the)\s+)?{_FILLER}\Z", re.IGNORECASE)
# ("presented with X at 5 years" is not among them: the age at presentation may be long after the onset)
_DEVELOPED = re.compile(rf"\b(?:developed|began\s+(?:having|to\s+have)|started\s+(?:having|to\s+have))\s+{_FILLER}\Z",
                        re.IGNORECASE)
_CONGENITAL = re.compile(r"(?<![a-z])congenital(?:ly)?\s+\Z", re.IGNORECASE)
# an age or period opening the finding's clause: "at 14 months(,) she developed ataxia", "in infancy he developed
# seizures", "since childhood he has had night blindness", "onset was at 6 weeks (in infancy) with seizures"
_AGE_FIRST = re.compile(
    rf"(?:^|(?<=[\s(]))(?:(?:at|from)\s+{_AGE}|(?:in|from|since|during)\s+{_PERIOD}),?\s+{_SUBJECT}\s+"
    rf"(?:developed|began\s+(?:having|to\s+have)|started\s+(?:having|to\s+have))\s+{_FILLER}\Z", re.IGNORECASE)
_SINCE_FIRST = re.compile(
    rf"(?:^|(?<=[\s(]))(?:since|from)\s+(?:{_AGE}|{_PERIOD}),?\s+{_SUBJECT}\s+(?:has|have)\s+had\s+"
    rf"(?:(?:an?|the)\s+)?{_FILLER}\Z", re.IGNORECASE)
# a time phrase opening the finding's sentence or clause, the findings after it in that clause: "Since 6 months,
# seizures", "From 6 months of age, seizures and hypotonia were noted"; none counted from an event ("since starting
# valproate", "six months after vaccination": _AGE)
_FRONTED = re.compile(rf"(?:since|from)\s+(?:{_AGE}|{_PERIOD})", re.IGNORECASE)
# "at" an age ("in", "during" a period) opening it gives the onset only to a finding the clause says began then
# ("At 6 months, seizures began"): otherwise it is the age at examination or presentation ("At 5 years, she had
# seizures", "At 5 years, ataxia was noted")
_FRONTED_AT = re.compile(rf"(?:at\s+{_AGE}|(?:in|during)\s+{_PERIOD})", re.IGNORECASE)
_OPENERS = ("since", "from", "at", "in", "during")  # the first words of _FRONTED and _FRONTED_AT
_OPENER_FIRST = frozenset("sSfFaAiIdD")  # (most clauses open with another letter: one look then)
# words between the "at" phrase and its finding, or between the finding and its verb of starting, that give the
# finding a verb of its own, or another subject: "At 5 years, she had seizures", "..., MRI showed atrophy, and
# seizures began" (the atrophy was seen then), "At 6 months, she presented with seizures"
_AT_OWN_VERB = re.compile(
    r"\b(?:she|he|they|her|his|their|patient|child|proband|was|were|is|are|has|have|had|been|be|being|noted"
    r"|noticed|seen|observed|found|diagnosed|presented|presenting|showed|shown|revealed|demonstrated|examination"
    r"|exam|with|without|no|not|mother|father|brother|sister|sibling|parent)\b", re.IGNORECASE)
# after the finding: its verb of starting, maybe after other findings of the list ("seizures and hypotonia began");
# at birth a verb of being seen does as well ("At birth, hypotonia was noted": _AFTER's rule)
_VERB_END = re.compile(r",|\b(?:and|but|which|who|while|whereas)\b", re.IGNORECASE)  # the verb's own words end there
_BEGAN_AFTER = re.compile(
    rf"(?P<list>(?:\s*,)?\s+(?:and|or)\s+[\w-]+(?:\s+[\w-]+){{0,3}}?)?{_AUX}\s+(?:first\s+|initially\s+)?"
    rf"(?:(?P<started>{_STARTED})|(?P<seen>{_SEEN}))\b", re.IGNORECASE)
# words between the phrase and the finding that open another clause or time ("..., but later hypotonia", "...,
# then at 2 years ataxia"), or make the finding what a treatment is for
_FRONTED_BREAK = re.compile(
    rf"[.;:!?\n()\[\]]|\b(?:but|whereas|while|although|though|however|then|later|subsequently|until|till|after"
    rf"|before|when|since|from|at|in|during|by|treated|treatment|for|which|who)\b|\b{_NUMBER}[\s-]*{_UNIT}\b", re.IGNORECASE)
# an aside right after the time phrase saying the finding went on, or grew, from then: "From 2 years, and
# increasingly since, she had falls", "Since infancy, and more often ever since, seizures" (its "since" no new time)
_CONTINUED_SINCE = re.compile(
    r"\s*,\s*and\s+(?:(?:increasingly|progressively|steadily|more|much|so|often|frequently|markedly|especially"
    r"|particularly|worse|ever)\s+){1,3}since\s*,", re.IGNORECASE)
# a time of the finding's own after it, before the next comma: "..., and ataxia at 3 years", "hypotonia later"
_FRONTED_OWN_TIME = re.compile(rf"\b(?:{_NUMBER}[\s-]*{_UNIT}|birth|infancy|childhood|adulthood|neonatal|later|then"
                               rf"|subsequently)\b", re.IGNORECASE)
# words after the finding, in its clause, that say what changed then, not that it began: "Since 6 months, seizures
# have decreased", "From 2 years, her seizures were controlled"
_FRONTED_CHANGED = re.compile(
    r"\b(?:improv|worsen|resolv|decreas|increas|reduc|lessen|controll|stopp|ceas|subsid|remitt|recurr|return|persist"
    r"|continu|better|worse|respond|treated|again|free|fewer|more\s+frequent|less)", re.IGNORECASE)
_ONSET_WITH = re.compile(rf"\bonset\s+(?:was\s+)?(?:(?:at|from)\s+{_AGE}|(?:in|during)\s+{_PERIOD}),?\s+with\s+"
                         rf"{_FILLER}\Z", re.IGNORECASE)
_AGE_FIRST_WORDS = ("develop", "hav", "had", "with")
# A word each match of _AGE_FIRST, _ONSET_WITH, _SINCE_FIRST holds (in an ASCII text, where IGNORECASE finds only
# what lower() does): without one, the search over the 120 characters before the finding is skipped.
_AGE_FIRST_NEEDS = ("developed", "began", "started")
_ONSET_WITH_NEEDS = "onset"
_SINCE_FIRST_NEEDS = "had"
# an onset class named as such, before or after the finding: "childhood-onset ataxia", "adult onset diabetes
# mellitus", "ataxia of juvenile onset", "ataxia (childhood onset)"; never "childhood-onset epilepsy with ataxia"
# (the onset is the epilepsy's) nor "ataxia with childhood-onset seizures"
_CLASS_BEFORE = re.compile(rf"(?<![\w-]){_CLASS}[\s-]+onset\s+{_FILLER}\Z", re.IGNORECASE)
_CLASS_AFTER = re.compile(
    rf"\s*(?:\(\s*|,\s*|\s(?:of|with)\s+(?:an?\s+)?){_CLASS}[\s-]+onset\b"
    r"(?=[ \t]*(?:[)\],.;:!?\n]|\Z)|\s+(?:and|but|which|that|in|at|from|since)\b)", re.IGNORECASE)
# a finding seen before birth began before it: "hydronephrosis detected prenatally", "cysts seen on the 20-week
# scan", "prenatal ultrasound showed hydronephrosis", "antenatally an increased nuchal translucency"
_BEFORE_BIRTH = (r"(?:prenatally|antenatally|in\s+utero|before\s+birth|on\s+(?:(?:the|a|an)\s+)?"
                 r"(?:(?:routine|second[\s-]trimester|third[\s-]trimester|\d{1,2}[\s-]*weeks?['’]?)\s+)?"
                 r"(?:prenatal|antenatal|fetal|foetal|obstetric|anomaly|\d{1,2}[\s-]*weeks?['’]?)\s+"
                 r"(?:ultrasound|ultrasonography|sonography|scans?|US|MRI|imaging|echo\w*))\b")
_SEEN_BEFORE_BIRTH = r"(?:detected|diagnosed|identified|seen|noted|noticed|found|observed|visuali[sz]ed|shown|reported|documented|visible|evident|apparent|present)"
_PRENATAL_AFTER = re.compile(rf"{_AUX}(?:\s+{_SEEN_BEFORE_BIRTH})?\s+{_BEFORE_BIRTH}", re.IGNORECASE)
_PRENATAL_BEFORE = re.compile(
    rf"(?:(?<![\w-])(?:prenatally|antenatally|in\s+utero)[\s,-]+(?:{_SEEN_BEFORE_BIRTH}\s+)?"
    rf"|(?<![\w-])(?:prenatal|antenatal|fetal|foetal|obstetric|anomaly)\s+(?:ultrasound|ultrasonography|sonography"
    rf"|scans?|MRI|imaging|echo\w*)\s+(?:(?:had|has)\s+)?(?:showed|shown|revealed|detected|demonstrated|identified"
    rf"|found)\s+)(?:(?:an?|the)\s+)?{_FILLER}\Z", re.IGNORECASE)
_PRENATAL_WORDS = ("natal", "utero", "fetal", "foetal", "obstetric", "anomaly")
# A word every match of _PRENATAL_AFTER and _PRENATAL_BEFORE holds (_BEFORE_BIRTH's, and _PRENATAL_WORDS): a text
# without any of them has no finding seen before birth, and the two patterns are not tried for each of its findings.
_BEFORE_BIRTH_KEYS = (*_PRENATAL_WORDS, "birth", "week")
# words of a sentence about the pregnancy: a week there counts the gestation, not the patient's age
_PRENATAL = re.compile(r"gestation|pregnan|antenatal|prenatal|fetal|foetal|in utero|ultrasound|\bscans?\b",
                       re.IGNORECASE)
# a negation the extractor reads as a finding now past ("no seizures since the age of 2 years": she had them
# before): the age or period then says when it stopped, not when it began
_STOPPED = re.compile(r"(?<![\w-])(?:no|not|nor|without|never|free\s+of)\s+(?:(?:further|more|new|any)\s+)?\Z",
                      re.IGNORECASE)
# the finding as what a treatment or a visit is for: "worn glasses for short-sightedness since childhood", "treated
# for seizures from 6 months" say when the treatment began, the finding maybe long before
_FOR = re.compile(rf"\bfor\s+(?:(?:her|his|their|the)\s+)?{_FILLER}\Z", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?\n]")
_BEFORE_CHARS = 120
_AFTER_CHARS = 80

Term = TypeVar("Term")


@dataclass(frozen=True, slots=True)
class _Lowered:
    """An ASCII text lowered once, for the substring tests that decide whether a pattern may match at all before it
    is tried: in ASCII, what IGNORECASE matches is what lower() finds, at the same offsets (elsewhere Python's
    IGNORECASE also matches "\u0130", "\u0131", "\u017f", "\u212a" to ASCII letters, and lower() may change lengths)."""

    text: str
    onset: bool  # "onset" in it: the word _CLASS_BEFORE's and _CLASS_AFTER's matches hold
    prenatal: bool  # one of _BEFORE_BIRTH_KEYS in it: _PRENATAL_AFTER, _PRENATAL_BEFORE may match


def _lowered(text: str) -> _Lowered | None:
    """The text's _Lowered, None where it is not ASCII."""
    if not text.isascii():
        return None
    low = text.lower()
    return _Lowered(low, "onset" in low, any(map(low.__contains__, _BEFORE_BIRTH_KEYS)))


def _may_follow(first: str) -> bool:
    """Whether a match of _AFTER may begin with `first`, the character after a finding, in a text without "onset"
    (only its "onset" reading begins with a comma or a letter: ", with onset at 3 years"): whitespace, "(" or ":"."""
    return first.isspace() or first == "(" or first == ":"


def _may_stop(tail: str) -> bool:
    """Whether the lowered 20 characters before a finding hold a word every _STOPPED match holds (no, not, nor,
    without, never, free of)."""
    return "no" in tail or "without" in tail or "never" in tail or "free" in tail


def _age(m: re.Match[str]) -> str | None:
    """The age a match of _AGE names, as an ISO 8601 duration or CONGENITAL_ONSET; None when it is no age."""
    if m.group("birth"):
        return CONGENITAL_ONSET
    parts = ([(m.group("aged"), m.group("aged_unit") or "years")] if m.group("aged")
             else [(m.group("n"), m.group("unit"))] + ([(m.group("n2"), m.group("unit2"))] if m.group("n2") else []))
    iso = parse_age(" ".join(f"{_NUMBER_WORDS.get(n.lower(), n.replace(',', '.'))} {unit}" for n, unit in parts))
    years = age_in_years(iso)
    return iso if years is not None and years <= _OLDEST else None


def _sentence_end(text: str, end: int) -> int:
    """Where the sentence (or line) that goes on at text[end] ends."""
    m = _SENTENCE_END.search(text, end)
    return m.start() if m else len(text)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or line) holding text[start:end]."""
    opened = max(text.rfind(c, 0, start) for c in ".;!?\n") + 1
    return text[opened : _sentence_end(text, end)]


def _counted_from_an_event(text: str, at: int) -> bool:
    """Whether a range begun by the age before text[at] ends in a time that is no age ("from 6 months to 3 years of
    treatment": months of treatment, so its start counts from the same event)."""
    return bool(_RANGE_END_TIME.match(text, at)) and not _RANGE_END_AGE.match(text, at)


def _onset(m: re.Match[str]) -> str | None:
    """The onset a match of _AGE or _PERIOD names: an age, CONGENITAL_ONSET, or the period's HPO onset class."""
    period = m.groupdict().get("period")
    if period:
        return next(onset for word, onset in _PERIOD_ONSETS if word in period.lower())
    return _age(m)


def _age_or_period(text: str, start: int, end: int, before: str, lowered: _Lowered | None = None) -> str | None:
    """The age, or the period of life in words ("from infancy"), the note gives the finding at text[start:end].
    `lowered`: the text's _Lowered, where it is ASCII (its slices are before's words lowered, not lowered again)."""
    # (the words before an age-first clause's finding are checked first: the search costs, on every finding)
    m = None
    if any(map((lowered.text[max(0, start - 60) : start] if lowered is not None else before[-60:].lower()).__contains__,
               _AGE_FIRST_WORDS)):  # (lowered once, not once per word)
        if lowered is not None or before.isascii():  # the words each search needs first ("with" alone opens most)
            low = lowered.text[max(0, start - _BEFORE_CHARS) : start] if lowered is not None else before.lower()
            m = ((_AGE_FIRST.search(before) if any(map(low.__contains__, _AGE_FIRST_NEEDS)) else None)
                 or (_ONSET_WITH.search(before) if _ONSET_WITH_NEEDS in low else None)
                 or (_SINCE_FIRST.search(before) if _SINCE_FIRST_NEEDS in low else None))
        else:
            m = _AGE_FIRST.search(before) or _ONSET_WITH.search(before) or _SINCE_FIRST.search(before)
    if m is None:
        if lowered is not None and not lowered.onset and not _may_follow(text[end : end + 1]):
            return None  # (_AFTER cannot match: see _may_follow)
        m = _AFTER.match(text, end, min(len(text), end + _AFTER_CHARS))
        if m is None:
            return None
        prep, period = m.group("prep").lower(), m.group("period")
        if (period and prep == "at") or (not period and prep in ("in", "during")):
            return None  # "at infancy", "in 6 months" ("in 6 months' time") are no onset
        if prep != "from" and prep != "since" and not (m.group("birth") or m.group("started") or m.group("onset")
                                                       or _ONSET_OF.search(before) or _DEVELOPED.search(before)):
            # "from", "since" say when it began; "at", "in" only with a word of starting ("began at", "onset of
            # ... in", "developed ... at") or at birth: "seizures at 3 years", "diagnosed at 3 years", "seizures
            # in infancy", "hypotonia noted in infancy" may be later than it began, or an episode then
            return None
        if prep in ("from", "since") and not (m.group("started") or m.group("onset")) and _FOR.search(before):
            return None
        if _counted_from_an_event(text, m.end()):
            return None  # "seizures from 6 months to 3 years of treatment": months of treatment, not of age
    if not (m.group("birth") or m.groupdict().get("period")) and _PRENATAL.search(_sentence(text, start, end)):
        return None  # "polyhydramnios from 28 weeks" on a scan: an age of the pregnancy, not of the patient
    return _onset(m)


def _opener(text: str, j: int) -> int:
    """The index of the first word of the clause beginning at text[j] (after spaces) where it is one of _OPENERS,
    else -1."""
    n = len(text)
    while j < n and text[j] in " \t":
        j += 1
    if j < n and text[j] in _OPENER_FIRST and text[j : j + 7].lower().split(None, 1)[0] in _OPENERS:
        return j
    return -1


def _fronted_openers(text: str) -> list[int]:
    """Where the text's sentences or clauses opened by "since", "from", "at", "in" or "during" begin (the word's
    index), in order: a few searches for the sentence and clause ends, not a regex over the whole text, which would
    cost each note more than its onsets do ("at" and "in" are too common inside words to search for themselves)."""
    out = [j] if (j := _opener(text, 0)) >= 0 else []
    for c in ".;:!?\n":
        k = text.find(c)
        while k >= 0:
            if (j := _opener(text, k + 1)) >= 0:
                out.append(j)
            k = text.find(c, k + 1)
    out.sort()
    return out


def _fronted(text: str, opened: int, start: int, end: int) -> str | None:
    """The onset a time phrase opening the clause at `opened` gives the finding at text[start:end] in it ("Since 6
    months, seizures and hypotonia"): an age or period counted from birth, nothing else of the clause between them
    but other findings and the subject's words ("she has had"), and no change said of it after ("have decreased")."""
    m = _FRONTED.match(text, opened, start)
    if m is None:
        return _fronted_at(text, opened, start, end)
    if _counted_from_an_event(text, m.end()):
        return None  # "from 6 months to 3 years of treatment": months of treatment
    after = _RANGE_END_AGE.match(text, m.end(), start)  # "from 6 months to 2 years, seizures": its start
    opened_at = after.end() if after else m.end()
    aside = _CONTINUED_SINCE.match(text, opened_at, start)
    between = text[aside.end() if aside else opened_at : start]
    if _FRONTED_BREAK.search(between):
        return None
    closed_at = _sentence_end(text, end)
    if _FRONTED_CHANGED.search(text, end, closed_at):
        return None
    return _fronted_onset(text, m, start, end, closed_at)


def _fronted_onset(text: str, m: re.Match[str], start: int, end: int, closed_at: int) -> str | None:
    """The onset of a fronted time phrase `m` for the finding at text[start:end] (its sentence ending at
    `closed_at`), unless the finding has a time of its own before the next comma ("From 6 months, seizures were
    noted, and ataxia at 3 years"; "At 6 months, hypotonia was noted and seizures began at 2 years") or the age is
    one of the pregnancy ("from 28 weeks, polyhydramnios")."""
    comma = text.find(",", end, closed_at)
    if _FRONTED_OWN_TIME.search(text, end, comma if comma >= 0 else closed_at):
        return None
    if not (m.group("birth") or m.group("period")) and _PRENATAL.search(_sentence(text, start, end)):
        return None
    return _onset(m)


def _fronted_at(text: str, opened: int, start: int, end: int) -> str | None:
    """The onset an "at <age>" ("in <period>") phrase opening the clause at `opened` gives the finding at
    text[start:end] in it, where the clause says the finding began then: "At 6 months, seizures began", "At 14
    months, developed ataxia", "At 2 years, onset of ataxia"; never an age at presentation or examination ("At 6
    months, she presented with seizures", "At 5 years, ataxia was noted", "At 5 years, she had seizures")."""
    m = _FRONTED_AT.match(text, opened, start)
    if m is None:
        return None
    between = text[m.end() : start]
    if _FRONTED_BREAK.search(between):
        return None
    closed_at = _sentence_end(text, end)
    if _DEVELOPED.search(between) or _ONSET_OF.search(between):
        verb_end = end  # "At 14 months, developed ataxia": the verb before it, with no subject of its own
    else:
        if _AT_OWN_VERB.search(between):
            return None
        began = _BEGAN_AFTER.match(text, end, closed_at)
        if began is None or not (began.group("started") or (began.group("seen") and m.group("birth"))):
            return None
        listed = began.group("list") or ""
        if _FRONTED_BREAK.search(listed) or _AT_OWN_VERB.search(listed):
            return None  # "..., she had seizures and ataxia began": ataxia's verb, not the seizures'
        verb_end = began.end()
    # what it did then, in the verb's own words: "At 2 years, seizures started again", "began to decrease" (not
    # what a further verb says: "began and were treated with valproate")
    said = _VERB_END.search(text, verb_end, min(closed_at, verb_end + 30))
    if _FRONTED_CHANGED.search(text, end, said.start() if said else min(closed_at, verb_end + 30)):
        return None
    return _fronted_onset(text, m, start, end, closed_at)


def _onset_class(text: str, end: int, before: str, lowered: _Lowered | None = None) -> str | None:
    """The onset class the note names for the finding ending at `end`: "childhood-onset ataxia", "ataxia of adult
    onset", "hydronephrosis detected prenatally". `lowered`: the text's _Lowered, where it is ASCII."""
    if lowered is not None and not lowered.onset and not lowered.prenatal:
        return None  # (none of the words every match below holds: the usual note, tested once for all its findings)
    if "onset" in before[-40:].lower() and (m := _CLASS_BEFORE.search(before)):
        return _CLASS_WORDS[re.sub(r"[\s-]+", " ", m.group("cls").lower())]
    after = text[end : end + _AFTER_CHARS]
    if "onset" in after.lower() and (m := _CLASS_AFTER.match(after)):
        return _CLASS_WORDS[re.sub(r"[\s-]+", " ", m.group("cls").lower())]
    if lowered is not None and not lowered.prenatal:
        return None
    if _PRENATAL_AFTER.match(after) or (any(map(before[-60:].lower().__contains__, _PRENATAL_WORDS))
                                        and _PRENATAL_BEFORE.search(before)):
        return ANTENATAL_ONSET
    return None


def onset_of(text: str, start: int, end: int, label: str = "", openers: Sequence[int] | None = None,
             lowered: _Lowered | None = None) -> str | None:
    """The onset the note gives the finding at text[start:end] (HPO's `label`), in its own clause; None where it
    gives none. `openers`: _fronted_openers(text), and `lowered`: _lowered(text), where a caller has them for all
    the text's findings."""
    before = text[max(0, start - _BEFORE_CHARS) : start]
    found = text[start:end]
    # (in ASCII the word each pattern needs is looked for first, in the lowered text: a test costs less than a search)
    if found[:10].lower() == "congenital" or (
            (lowered is None or "congenital" in lowered.text[max(0, start - 14) : start])
            and _CONGENITAL.search(before, len(before) - 14)):
        return CONGENITAL_ONSET
    if (lowered is None or _may_stop(lowered.text[max(0, start - 20) : start])) and _STOPPED.search(
            before, len(before) - 20):
        return None
    onset = _age_or_period(text, start, end, before, lowered) or _onset_class(text, end, before, lowered)
    if onset is None:
        if openers is None:
            openers = _fronted_openers(text)
        k = bisect_left(openers, start) - 1  # the last clause before the finding opened by a time word
        if k >= 0 and openers[k] >= start - _BEFORE_CHARS and not _FOR.search(before):  # ("..., treated for seizures")
            onset = _fronted(text, openers[k], start, end)
        if onset is None:
            return None
    named = f"{found} {label}".lower()
    if onset in _NAMED and onset != CONGENITAL_ONSET and any(w in named for w in _NAMED[onset]):
        return None  # "neonatal seizures from the neonatal period": HPO's Neonatal seizure says so itself
    return onset


def with_onsets(text: str, terms: Sequence[Term]) -> list[Term]:
    """The terms, each of the patient's present findings with the onset the note gives it (ExtractedTerm.onset)."""
    out: list[Any] = list(terms)
    openers = _fronted_openers(text)
    lowered = _lowered(text)
    for k, t in enumerate(out):
        if t.excluded or t.family:
            continue
        onset = onset_of(text, t.start, t.end, t.label, openers, lowered)
        if onset is not None:
            out[k] = replace(t, onset=onset)
    return out
