"""Free text -> HPO terms with exact character spans, negation, uncertainty and family attribution.

One pass over the words of the text: every run of dictionary words is looked up as a bag of word classes
(longest first), lists such as "short and broad thumbs" are expanded into their findings, abbreviations are
resolved (with the text's own definitions first), and each finding is assessed for negation, uncertainty
and who has it. Pure Python over precompiled dictionaries: no per-term regular expressions.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import re
import sqlite3
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from functools import partial
from itertools import accumulate, chain, compress
from operator import attrgetter

import numpy as np

from ..errors import RareTraceError
from ..kb import kb_identity
from ..ontology import Ontology
from ..paths import resources_dir
from .context import (
    CHILD_WORDS,
    COPULAS,
    KIN_QUALIFIERS,
    NEG_BOTH,
    NEG_POST,
    NEG_PRE,
    NEUTRAL_KINDS,
    NORMAL,
    PATIENT,
    POSSESSIVES,
    PSEUDO,
    RELATIVE,
    RELATIVE_FIRST_WORDS,
    SCOPE,
    SEX_WORDS,
    UNC_PRE,
    VERB,
    Assertion,
    Trigger,
    TriggerIndex,
    assess,
    others_pronouns,
    relatives_children,
)
from .dictionary import (
    CATEGORY_NAMES,
    CATEGORY_PHENOTYPE,
    QUALIFIER_PENALTY,
    SKIPPABLE,
    SPECIMEN_WORD,
    SPECIMENS,
    STOPWORDS,
    Dictionary,
    clinical_synonyms,
    csf_levels,
    level_key,
    load_dictionary,
    unspecified_specimen_levels,
)
from .measures import (
    LAB_NAME_WORDS,
    LIMITING_PARTS,
    MEASURE_OF,
    QUANTITY_NAMES,
    SEVERE_GRADES,
    earlier_verb,
    measured_findings,
    patient_years,
    walking_to_come,
)
from .normalise import (
    GAP_BREAK,
    GAP_COMMA,
    GAP_HYPHEN,
    GAP_SENTENCE,
    GAP_SLASH,
    GAP_SPACE,
    WORD,
    classify_gap,
    inflection_candidates,
    line_breaks,
    split_words,
    word_form,
)
from .onset import with_onsets
from .patient import patient_sex

STOP = -2
UNKNOWN = -1
MAX_WINDOW = 14  # words (stopwords and modifiers included) one phrase may span
_COORDINATORS = frozenset(("and", "or", "nor", "plus"))
# "micro- or macrocephaly": the marks that leave a prefix hanging, and the longest prefix read so
_HANGING_HYPHENS = frozenset(("-", "\u2010"))
_MAX_HANGING_PREFIX = 7
_AND_OR = frozenset(("and", "or"))
# Organ adjectives that also have a combining form: ocular/oculo-, cranial/cranio-, cardiac/cardio-.
_COMBINING_ENDINGS = ("ar", "al", "ic", "ac")
_SIDE_SKIPS = frozenset(("left", "right", "bilateral", "unilateral", "bilaterally", "unilaterally"))  # (SKIPPABLE's)
_QUANTIFIERS = frozenset(("multiple", "numerous", "many", "several", "few", "countless", "innumerable"))
# Words of a bracketed value beside the digits: "(2,340 U/L)", "(3.1 x ULN)", "(ref < 40)", "(-3.2 SD)".
_VALUE_WORDS = frozenset((
    "u", "l", "iu", "mu", "mmol", "umol", "µmol", "μmol", "nmol", "pmol", "mol", "meq", "mosm", "mg", "g", "dl", "ml",
    "ng", "pg", "ug", "µg", "μg", "mcg", "kg", "cm", "mm", "m", "s", "sec", "h", "hr", "min", "kpa", "mmhg", "bpm",
    "sd", "x", "×", "uln", "ref", "range", "normal", "times", "fold", "n", "nr", "reference", "per", "mm3", "z",
))


# A list item saying its specimen was not obtained ("CSF not sent", "CSF was not obtained") names no specimen.
_NOT_OBTAINED = frozenset(map(word_form, ("sent", "obtained", "obtainable", "done", "performed", "taken", "collected",
                                          "available", "examined", "analysed", "analyzed")))
_NEGATIONS_OF_AN_ITEM = frozenset(map(word_form, ("not", "no", "never", "cannot", "couldn't", "wasn't", "weren't")))
_UNOBTAINABLE = word_form("unobtainable")
_PARTICLES = frozenset(("out", "off", "up"))  # of phrasal verbs in HPO's names ("passing out", "throwing up")
_ITEM_NEGATIONS = frozenset(("not",))  # a list item's own negation: "forehead not prominent, not narrow"
# Adverbs that end a list item without ending the list: "face not broad overall and not triangular".
_ITEM_ADVERBS = frozenset(("overall", "throughout", "bilaterally", "either", "too"))


_UNREAD = object()
_BY_SEX = re.compile(r"(male|female) (.+)|(.+), (male|female)")


def _split_by_sex(ontology: Ontology) -> dict[int, dict[str, int]]:
    """Finding -> {"MALE": its male kind, "FEMALE": its female kind}, where HPO names the kinds by the finding's
    own label and a sex ("Infertility": Male infertility, Female infertility; "Ambiguous genitalia": Ambiguous
    genitalia, male). Not where HPO also splits the finding by another kind its name takes ("Hypogonadism":
    Hypogonadotropic hypogonadism too): there the sex is one way of many to classify it, and the finding as named
    is kept."""
    labels = ontology.labels
    by_label = {label.casefold(): idx for idx, label in enumerate(labels)}
    out: dict[int, dict[str, int]] = {}
    for idx, label in enumerate(labels):
        m = _BY_SEX.fullmatch(label.casefold())
        if m is None or ontology.obsolete[idx]:
            continue
        base = by_label.get(m.group(2) or m.group(3))
        if base is not None and base in ontology.parents(idx).tolist():
            out.setdefault(base, {})[(m.group(1) or m.group(4)).upper()] = idx
    for base, kinds in list(out.items()):
        name = labels[base].casefold()
        if any(name in labels[c].casefold() and c not in kinds.values() for c in ontology.children(base).tolist()):
            del out[base]
    return out


def too_broad_to_rule_out(ontology: Ontology) -> frozenset[int]:
    """The organ systems' abnormalities no statement of normal rules out (see _BROAD_TERMS): parents of many terms,
    annotated to more than _BROAD_SHARE of the diseases (information content below -ln(_BROAD_SHARE))."""
    terms = np.bincount(ontology.anc_idx, minlength=len(ontology))  # each term's descendants, itself included
    broad = (terms >= _BROAD_TERMS) & (ontology.ic < -math.log(_BROAD_SHARE)) & ontology.phenotypic
    return frozenset(np.flatnonzero(broad).tolist())


def _specimen_of_the_list(first: int, forms: list[str], gaps: list[int]) -> str | None:
    """The specimen named in an earlier item of the list whose later item begins at word `first` ("CSF glycine
    and serine", "CSF HVA, 5-HIAA and 5-MTHF": csf), else None. The items are a few words each, joined by commas
    or a coordinator."""
    k = first
    for _item in _LIST_ITEMS:
        item_end = k
        if k >= 2 and forms[k - 1] in _COORDINATORS and gaps[k] == GAP_SPACE and gaps[k - 1] in (GAP_SPACE, GAP_COMMA):
            j = k - 2  # " and serine", ", and serine"
        elif k >= 1 and gaps[k] == GAP_COMMA:
            j = k - 1
        else:
            return None
        for _word in range(_ITEM_WORDS):  # the item before, back from its last word
            if forms[j] in SPECIMENS:
                # "CSF not sent, glucose 1.8 mmol/L", "no CSF obtained, ...": no CSF, the blood's glucose
                said = forms[j - 1 if j and gaps[j] == GAP_SPACE else j : item_end]
                if not _NOT_OBTAINED.isdisjoint(said) and not _NEGATIONS_OF_AN_ITEM.isdisjoint(said) or (
                        _UNOBTAINABLE in said):
                    return None
                return SPECIMENS[forms[j]]
            if j == 0 or gaps[j] > GAP_HYPHEN or forms[j - 1] in _COORDINATORS:
                break  # its first word
            j -= 1
        else:
            return None  # no short item: a clause of its own
        k = j
    return None


def _at(forms: Sequence[str], words: Container[str], lo: int = 0, hi: int | None = None) -> Iterable[int]:
    """The indices lo <= i < hi (hi: len(forms)) whose form is one of `words`, ascending, found at C speed: for the
    loops that visit only a few words of the text (none of which changes a form it has yet to visit)."""
    stop = len(forms) if hi is None else hi
    return compress(range(lo, stop), map(words.__contains__, forms[lo:stop]))


def _masked(coarse: list[int], spans: Iterable[tuple[int, int]]) -> list[int]:
    """coarse with the words outside the (start, stop) spans read as unknown words, where runs stop: a second
    reading of a few words costs no second full pass."""
    out = [UNKNOWN] * len(coarse)
    for a, b in spans:
        a = max(0, a)
        out[a:b] = coarse[a:b]
    return out


def _compacted(kept: list[int], dropped: Container[int], gaps: list[int], *words: list) -> tuple[list[int], list[list]]:
    """The gaps and word lists of the `kept` words (ascending) read as one text: a plain space where only `dropped`
    words lay between two of them, a sentence's end where others did."""
    joined = []
    for i, k in enumerate(kept):
        previous = kept[i - 1] if i else k - 1
        if previous == k - 1:
            joined.append(gaps[k])
        else:
            joined.append(GAP_SPACE if all(m in dropped for m in range(previous + 1, k)) else GAP_SENTENCE)
    return joined, [[seq[k] for k in kept] for seq in words]


def _value_brackets(gap_texts: list[str], surfaces: list[str], coarse: list[int], opens: list[int]) -> list[range]:
    """The words of brackets that hold only a value and its unit, each between a dictionary word and a word that
    may go on with a name. opens: the words with a "(" before them."""
    out = []
    n = len(surfaces)
    for i in opens:
        if not i or coarse[i - 1] < 0:
            continue
        if not gap_texts[i].rstrip(" \t-+\u2212~<>=\u2264\u2265").endswith("("):  # (a sign may open it: "(-3 SD)")
            continue
        digits = False
        for m in range(i, min(n, i + 10)):
            gap = gap_texts[m]
            if m > i and ")" in gap:
                if gap.strip(" \t") == ")" and digits and coarse[m] != UNKNOWN:
                    out.append(range(i, m))
                break
            if (m > i and "(" in gap) or "\n" in gap:
                break
            word = surfaces[m]
            if any(ch.isdigit() for ch in word):
                digits = True
            elif word.casefold() not in _VALUE_WORDS and word.casefold() not in LAB_NAME_WORDS:
                break  # (an analyte's name may label each value: "transaminases (ALT 98, AST 112) raised")
    return out


# The prepositions of a complement that two coordinated findings share: "pain and swelling of both ankles".
_SHARED_COMPLEMENTS = frozenset(("of", "in"))
# Symptoms felt or seen at a place, which take the place of the finding after them ("pain and swelling of both
# ankles" is ankle pain); others ("hypotonia and weakness of the legs") are findings of their own.
_LOCATED_SYMPTOMS = frozenset(("pain", "ache", "aching", "swelling", "stiffness", "tenderness", "numbness",
                               "tingling", "redness", "weakness"))


# Words that may open a bracketed contrast inside a phrase before its "not": "a depressed (but not wide) nasal
# bridge", "a long (though not smooth) philtrum".
_CONTRAST_OPENERS = frozenset(("but", "though", "although", "yet", "and", "albeit"))


def _contrast_asides(gap_texts: list[str], forms: list[str], coarse: list[int], opens: list[int]) -> list[tuple[range, int]]:
    """Brackets inside a phrase that say what the finding is not: 'a depressed (but not wide) nasal bridge'.
    Each as (the bracket's words, the first word of what is denied); the bracket stands between two dictionary
    words, and what it denies is one or two of them. opens: the words with a "(" before them."""
    out = []
    n = len(forms)
    for i in opens:
        if not i or coarse[i - 1] < 0 or gap_texts[i].strip(" \t") != "(":
            continue
        k = i + (forms[i] in _CONTRAST_OPENERS)
        if k >= n or forms[k] != "not":
            continue
        for m in range(k + 2, min(n, k + 5)):
            if gap_texts[m].strip(" \t") == ")" and coarse[m] >= 0:
                if all(coarse[j] >= 0 for j in range(k + 1, m)):
                    out.append((range(i, m), k + 1))
                break
            if gap_texts[m].strip(" \t") not in ("", "-"):  # ("low-set" is two words)
                break
    return out


# A direction stated in brackets after laboratory values ("Mg 0.5 mmol/L (low)", "AST 98, ALT 132 U/L (all
# elevated)"), and the words that share it out over a list of them.
_BRACKET_DIRECTIONS = frozenset(("elevated", "raised", "high", "increased", "low", "decreased", "reduced"))
# ... or a verdict of normal ("Ferritin 40 ug/L (normal)", "ferritin 40, copper 14 (all normal)"): each value's
# name stated normal, ruled out as "ferritin was normal" is
_BRACKET_VERDICTS = _BRACKET_DIRECTIONS | {"normal"}
_BRACKET_DIRECTION_FORMS = frozenset(map(word_form, _BRACKET_VERDICTS))  # ("raised" is read "raized")
_SHARED_BY = frozenset(("all", "both", "each"))
_VALUE_UNITS = _VALUE_WORDS - {"normal", "range", "ref", "reference", "n", "nr", "sd", "z", "times", "fold", "uln"}
_NOT_A_NAME = _VALUE_UNITS | _COORDINATORS  # (the words before a name's: "... mmol/L and K 2.9")


# Values said in a word, before a bracketed direction: "Thyroglobulin undetectable (low)".
_WORD_VALUES = frozenset(("undetectable", "undetected", "unmeasurable", "unrecordable", "absent", "trace"))
# Directions of a change, as word forms: "raised" said of what follows it ("with raised T cells").
_DIRECTION_FORMS = frozenset(map(word_form, ("raised", "elevated", "increased", "high", "low", "decreased", "reduced")))
# Units read only in a value's unit, not as words of a name: "MCV 68 fL", "FVC 64% predicted".
_COUNT_UNITS = frozenset(("fl", "x10", "predicted"))


def _unit_word(surfaces: list[str], gap_texts: list[str], k: int) -> bool:
    """Whether word k is part of a value's unit, read back from its end: a unit's word, or the 10 and the exponent of
    a count ("x10^9/L", "x 10^9/L"); "predicted" only after a percentage ("64% predicted")."""
    word = surfaces[k].casefold()
    if word == "predicted":
        return gap_texts[k] == "% "
    if gap_texts[k] == "% ":
        return False
    if word in _VALUE_UNITS or word in _COUNT_UNITS:
        return True
    if word.isdigit() and gap_texts[k] == "^":  # the exponent: the 9 of "x10^9", its 10 read next
        return surfaces[k - 1].casefold() in ("x10", "10")
    return word == "10" and surfaces[k - 1].casefold() in ("x", "×") and k + 1 < len(gap_texts) and gap_texts[k + 1] == "^"


# The marks a verdict may follow after a dash, written after a value and its reference range: "CK 780 U/L (40-320) -
# raised", "Creatinine 68 umol/L - normal".
_VERDICT_DASHES = ("- ", "\u2013 ", "\u2014 ")
# What may end the clause of a verdict after a dash.
_VERDICT_ENDS = (".", ",", ";", "\n")


def _past_reference_range(gap_texts: list[str], surfaces: list[str], k: int) -> int:
    """The last word before a bracketed reference range that ends at word k ("(40-320)", "(<125)", "(ref 2.20-2.60)"),
    k itself where none does: the laboratory's range between a value and its verdict says nothing of either."""
    if k < 1 or not gap_texts[k + 1].startswith(")"):
        return k
    m, digits = k, False
    while m > 0:
        word = surfaces[m]
        if word[:1].isdigit():
            digits = True
        elif word.casefold() not in _VALUE_WORDS:
            return k
        gap = gap_texts[m]
        if "(" in gap:
            return m - 1 if digits and not gap.rstrip(" <>=\u2264\u2265").rstrip("(").strip() else k
        if gap.strip(" .,-\u2013<>") or "\n" in gap:
            return k
        m -= 1
    return k


def _directed_values(gap_texts: list[str], surfaces: list[str], coarse: list[int], opens: list[int],
                     tail: str, dashed: Sequence[int] = ()) -> list[tuple[list[tuple[int, int, int]], int]]:
    """Each bracket that holds only a direction after values: ([(first and last word of the analyte's name, last
    word of its value) per value], the direction's word). "(all elevated)", "(both low)" share it out over the list
    of values before it ("AST 98, ALT 132, ALP 210 U/L", "Na 128 and K 2.9 mmol/L"); a bare "(low)" is the value's
    right before it only. A name is up to three dictionary words, the value a number with its unit, or none: "Plasma
    ammonia, lactate and creatine kinase (all normal)" states each analyte normal as its value would (its last word
    then stands for the value's). `dashed`: the words after a dash, which may be a verdict written after the value
    and its clause ("ALP 245 U/L - raised"); a reference range may stand between either verdict and its value."""
    out = []
    n = len(surfaces)
    dashes = set(dashed)
    for i in chain(opens, dashed):
        dash = i in dashes
        if not i or not (gap_texts[i].endswith(_VERDICT_DASHES) if dash else gap_texts[i].endswith("(")) or (
                not surfaces[i - 1][-1:].isalnum()):
            continue
        shared = surfaces[i].casefold() in _SHARED_BY
        d = i + 1 if shared else i
        if d >= n or surfaces[d].casefold() not in _BRACKET_VERDICTS or (shared and gap_texts[d] != " "):
            continue
        after = (gap_texts[d + 1] if d + 1 < n else tail).lstrip(" ")
        if not (after == "" or after.startswith(_VERDICT_ENDS)) if dash else not after.startswith(")"):
            continue
        items: list[tuple[int, int, int]] = []
        k = _past_reference_range(gap_texts, surfaces, i - 1)
        while k >= 0:  # (a name without a value may open the text)
            end = k
            while k > 0 and gap_texts[k] in (" ", "/", "^", "/ ", " /", "% ") and _unit_word(surfaces, gap_texts, k):
                k -= 1  # the unit: "mmol/L", "U/L", "x10^9/L", "fL", "% predicted"
            if surfaces[k].isdigit():
                if k > 1 and gap_texts[k] in (".", ",") and surfaces[k - 1].isdigit():
                    k -= 1  # a decimal: "0.5", "2,9"
                if gap_texts[k].strip(" :=<>") or k == 0:
                    break
                last = first = k - 1
            elif k == end and k > 0 and gap_texts[k] == " " and surfaces[k].casefold() in _WORD_VALUES:
                last = first = k - 1  # a value said in a word: "Thyroglobulin undetectable (low)"
            elif surfaces[end].casefold() not in _NOT_A_NAME:
                last = first = end  # a name without a value: "lactate and CK (both normal)"
            else:
                break
            if coarse[last] < 0 or surfaces[last][:1].isdigit():
                break
            while (first > 0 and last - first < 2 and coarse[first - 1] >= 0 and (gap_texts[first] == " " or (
                    gap_texts[first] in ("/", ":") and surfaces[last].casefold() in _RATIO_WORDS))  # "lactate:pyruvate ratio"
                   and not surfaces[first - 1][:1].isdigit() and surfaces[first - 1].casefold() not in _NOT_A_NAME):
                first -= 1
            items.append((first, last, end))
            if not shared:
                break
            if gap_texts[first] == ", ":
                k = first - 1
            elif first > 1 and surfaces[first - 1].casefold() == "and" and gap_texts[first] == " " and (
                    gap_texts[first - 1] in (" ", ", ")):
                k = first - 2
            else:
                break
        if items and (not shared or len(items) > 1):
            out.append((items, d))
    return out


# Participles that report a finding stated as what something is: "was found to be dilated", "noted to be low set".
# Not "thought", "felt", "considered": those hedge it, and stay unread.
_REPORTED = frozenset(("found", "noted", "shown", "seen", "observed", "confirmed", "demonstrated", "documented",
                       "known", "proven", "proved"))


def _reported_to_be(forms: list[str], gaps: list[int]) -> list[range]:
    """The words "found to" of each "found to be" (any of _REPORTED), and "found not to" of each "found not to be"
    (its "not" an inline negation: see _reported_not), each after a plain space."""
    n = len(forms)
    out = []
    for k in _at(forms, _REPORTED, 0, n - 2):
        to = k + 2 if _reported_not(k + 1, forms) else k + 1
        if to + 1 < n and forms[to] == "to" and forms[to + 1] == "be" and all(
                gaps[j] == GAP_SPACE for j in range(k + 1, to + 2)):
            out.append(range(k, to + 1))
    return out


def _reported_not(i: int, forms: list[str]) -> bool:
    """Word i is the "not" of a "found not to be" ("the aortic root was found not to be dilated")."""
    return (forms[i] == "not" and i + 2 < len(forms) and forms[i - 1] in _REPORTED and forms[i + 1] == "to"
            and forms[i + 2] == "be")


def _gestation_at(k: int, forms: list[str], gaps: list[int]) -> int:
    """The last word of a gestational age in weeks that starts at word k ("34 weeks", "35+2 weeks", "29-week",
    "27 weeker", and the UK's "25/40" and "25+3/40": weeks of the forty), or -1."""
    n = len(forms)
    if not forms[k].isdigit():
        return -1
    u = k + 1
    if u + 1 < n and gaps[u] == GAP_BREAK and forms[u].isdigit() and int(forms[u]) < 7:
        u += 1  # the days: "35+2"
    if u >= n:
        return -1
    if forms[u] in _WEEKS and gaps[u] <= GAP_HYPHEN:
        return u
    if forms[u] == "40" and gaps[u] == GAP_SLASH:
        return u + 1 if u + 1 < n and forms[u + 1] in _WEEKS and gaps[u + 1] == GAP_SPACE else u
    return -1


def _before_stopwords(j: int, coarse: list[int], gaps: list[int]) -> int:
    """The word before word j and the stopwords right before it ("and [the] platelet count"); -1 if none."""
    p = j - 1
    while p >= 0 and coarse[p] == STOP and gaps[p + 1] == GAP_SPACE:
        p -= 1
    return p


def _opens_a_subject(j: int, forms: list[str], coarse: list[int], gaps: list[int]) -> bool:
    """Word j (past its determiners) opens its clause or follows a list's comma or coordinator."""
    p = _before_stopwords(j, coarse, gaps)
    return p < 0 or gaps[p + 1] >= GAP_COMMA or forms[p] in ("and", "or")


def _qualifier_brackets(gap_texts: list[str], gaps: list[int], coarse: list[int], opens: list[int],
                        trailing: str) -> list[range]:
    """The words of short brackets of dictionary words right after a dictionary word: 'hearing loss
    (sensorineural)'. opens: the words with a "(" before them; trailing: the text after the last word."""
    out = []
    n = len(coarse)
    for i in opens:
        if not i or coarse[i - 1] < 0 or gap_texts[i].strip(" \t") != "(":
            continue
        for m in range(i, min(n + 1, i + 4)):
            if m > i and (m == n or gaps[m] > GAP_COMMA or ")" in gap_texts[m]):  # (a comma may part the words)
                closing = gap_texts[m] if m < n else trailing
                if closing.lstrip(" \t").startswith(")") and "(" not in closing:
                    out.append(range(i, m))
                break
            if m == n:
                break
            if coarse[m] < 0 and coarse[m] != STOP:
                break
    return out


# Words that qualify a finding written before them after a comma, as list items in letters and tables are:
# "Intellectual disability, severe", "Hearing loss, sensorineural, bilateral", "Epilepsy, focal". Sides ("left",
# "right") are the one-sided reading's (_side_after). A closed list: a comma otherwise parts two findings.
_TRAILING_QUALIFIERS = frozenset((
    "mild", "moderate", "severe", "profound", "bilateral", "unilateral", "focal", "generalized", "sensorineural",
    "conductive", "mixed", "central", "peripheral", "congenital", "progressive", "proximal", "distal", "postaxial",
    "preaxial", "partial", "complete", "symmetric", "symmetrical", "asymmetric", "asymmetrical", "axial",
    "episodic", "intermittent", "absence", "myoclonic", "tonic", "atonic", "primary", "secondary", "global",
))


def _qualifiers_after_commas(gaps: list[int], forms: list[str], coarse: list[int], commas: list[int]) -> list[range]:
    """The words after a dictionary word and a comma that are all qualifiers and end the list item (the text, a
    sentence, a bracket or another comma follows): 'Intellectual disability, severe.' -> ['severe']. commas: the
    words with a comma before them."""
    out = []
    n = len(forms)
    for i in commas:
        if not i or coarse[i - 1] < 0 or forms[i] not in _TRAILING_QUALIFIERS:
            continue
        m = i + 1
        while m < n and m < i + 3 and gaps[m] in (GAP_SPACE, GAP_COMMA) and forms[m] in _TRAILING_QUALIFIERS:
            m += 1
        if forms[m - 1] in _GRADES:  # "ID, moderate to severe", "ID, moderate-severe": a range of grades is one
            m = _grade_range_after(m - 1, forms, gaps) + 1
        if m == n or gaps[m] in (GAP_COMMA, GAP_SENTENCE, GAP_BREAK):
            out.append(range(i, m))
    return out


# A numeral after "more than", "at least", "over" is a quantifier ("more than six CALMs": multiple); one alone is
# the writer's count, which the single finding keeps ("six cafe-au-lait macules").
_COUNTS = frozenset((
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty", "fifty", "hundred",
    *map(str, range(2, 101)),
))


def _more_than(k: int, forms: list[str]) -> bool:
    before = forms[k - 1] if k else ""
    return before in ("least", "over") or (before == "than" and k > 1 and forms[k - 2] in ("more", "greater"))


# Adverbs that sit between a copula and its predicate without changing the finding ("GGT is persistently elevated").
_TRANSPARENT_ADVERBS = frozenset(("also", "persistently", "still", "consistently", "repeatedly", "again", "now", "particularly",
                                  "especially", "notably", "quite", "rather", "somewhat",
                                  # how surely, not which finding: "speech is clearly delayed"
                                  "clearly", "definitely", "obviously", "distinctly", "noticeably", "unmistakably",
                                  # how it has changed, not which finding: "her gait is increasingly unsteady"
                                  "increasingly"))
# "normal hearing", "the kidneys were normal"; "unremarkable" only after its subject ("MRI was unremarkable").
# Verbs that link a finding's parts as a copula does: "the ears appear low set", "the face looks coarse", and those
# of a change, which names the finding it has come to ("her speech became slurred", "the gait has become unsteady")
_LINKING_VERBS = frozenset(("appear", "appears", "appeared", "seem", "seems", "seemed", "look", "looks", "looked",
                            "become", "becomes", "became"))
# The ends of the limbs, where a finding is its distal term ("vibration sense reduced at the toes"; see _at_distal_places)
_DISTALLY = frozenset(("distally",))
_DISTAL_PLACES = frozenset(("toes", "toe", "fingers", "fingertips", "feet", "halluces", "digits", *_DISTALLY))
# Words that place a statement in the central nervous system: the brain, or the imaging that shows it (an MRI shows
# the brain's or the cord's myelination, not a nerve's; see _in_the_cns)
_CNS_PLACES = frozenset(("brain", "cerebral", "cerebrum", "cranial", "mri", "neuroimaging"))
# Words that place a statement in the nerves too ("MRI of the brachial plexus"): a peripheral finding stays one
_NERVE_PLACES = frozenset(("nerve", "nerves", "neuropathy", "root", "roots", "plexus", "peripheral", "conduction"))
_PLACE_PREPOSITIONS = frozenset(("at", "in", "over", "of"))
# "Lactate remained raised": a linking verb too, but a word of a few names ("anterior fontanelle remains open")
_REMAIN = frozenset(("remain", "remains", "remained"))
# "ears that are low-set", "a palate, which is high": the relative pronoun before a copula (see _relative_as_copula)
_RELATIVES = frozenset(("which", "that"))
_DO = frozenset(("do", "does", "did"))
# "CK has been raised": the perfect tense of the copula (see _perfect_as_copula)
_HAVE = frozenset(("has", "have", "had"))
_NORMAL_WORDS = frozenset(("normal", "normally", "unremarkable"))
_AS_SO = frozenset(("as",))  # "IgG was normal, as were IgA and IgM": the verdict shared by what follows
_AS_WERE = frozenset(("was", "were", "is", "are"))
_GRADES = frozenset(("mild", "moderate", "severe", "profound"))  # of a finding, as HPO grades it


def _grade_range_before(k: int, forms: list[str], gaps: list[int]) -> int:
    """The word of the grade that opens a range of grades ending with word k's ("moderate to severe",
    "moderate-severe", "moderate-to-severe"), -1 if none; word k is a grade itself."""
    if k > 0 and gaps[k] == GAP_HYPHEN and forms[k - 1] in _GRADES:
        return k - 1
    if k > 1 and gaps[k] <= GAP_HYPHEN and forms[k - 1] == "to" and gaps[k - 1] <= GAP_HYPHEN and forms[k - 2] in _GRADES:
        return k - 2
    return -1


def _grade_range_after(k: int, forms: list[str], gaps: list[int]) -> int:
    """The word of the grade that closes a range of grades opened by word k ("moderate to severe"), else k."""
    for end in (k + 1, k + 2):
        if end < len(forms) and forms[end] in _GRADES and _grade_range_before(end, forms, gaps) == k:
            return end
    return k


def _item_ends(k: int, forms: list[str], gaps: list[int]) -> bool:
    """Whether word k ends a list item: the text ends, or a comma, a sentence's end or a bracket follows."""
    return k + 1 == len(forms) or gaps[k + 1] >= GAP_COMMA


# "normally" before a participle says one aspect of a part ("aligned", "spaced", "set", "positioned"); only these say
# its form, which "Abnormal X morphology" is about ("the fingers are normally formed")
_FORMED = frozenset(("formed", "shaped", "structured", "developed", "proportioned"))
_PARTICIPLE_ENDS = ("ed", "set")
# The prefixes of a finding's two opposite directions in HPO's names ("Overfolded helix", "Underfolded helix")
_OPPOSITE_PREFIXES = (("over", "under"), ("hyper", "hypo"), ("increased", "decreased"))
_ANTIBODY_WORDS = frozenset(("antibody", "antibodies", "autoantibody", "autoantibodies", "ana", "anca"))
# A finding named with a side or an age of onset is also reported without it (GSC+'s and clinicians' notes write
# "bilateral ptosis" for Ptosis as often as for Bilateral ptosis); the pairs named here as well. Not "recurrent":
# "Recurrent pharyngitis" is a finding of its own.
_SIDE_AND_AGE_WORDS = frozenset(("bilateral", "unilateral", "in", "infancy", "infantile", "muscular", "childhood"))
_ALSO_GENERAL = {"HP:0001348": "HP:0001347"}  # Brisk reflexes: Hyperreflexia
# What a statement of normal rules out where its "abnormal ..." term is broader than the clinician means: normal
# hearing rules out hearing impairment (Hearing abnormality holds hyperacusis and the like as well), a normal blood
# pressure hypertension, as a blood pressure within its centiles does (text/measures.py; Increased blood pressure
# holds portal hypertension as well, and diseases are annotated with Hypertension).

# A blood cell population said normal is its count ("CD3 T cells normal", "NK cells 0.31 x10^9/L (normal)"): that
# is what a blood count or flow cytometry reports. HPO files "Abnormal T cells" under the cells' morphology, which a
# note says of a film or a smear ("T cell morphology normal"): read so where such a word is named.
_CELL_COUNTS = {
    "HP:0004332": "HP:0040088",  # Abnormal lymphocyte morphology -> Abnormal lymphocyte count
    "HP:0002843": "HP:0011839",  # Abnormal T cell morphology -> Abnormal T cell count
    "HP:0002846": "HP:0010975",  # Abnormal B cell morphology -> Abnormal B cell count
    "HP:0012176": "HP:0040089",  # Abnormal natural killer cell morphology -> Abnormal natural killer cell count
    "HP:0001879": "HP:0020064",  # Abnormal eosinophil morphology -> Abnormal eosinophil count
    "HP:0012144": "HP:0012310",  # Abnormal monocyte morphology -> Abnormal monocyte count
}
_MORPHOLOGY_WORDS = frozenset(("morphology", "morphological", "morphologically", "film", "smear", "shape", "shapes",
                               "appearance", "appearances", "size", "sizes", "granules", "granulation", "inclusions"))

_NORMAL_RULES_OUT = {"HP:0000364": "HP:0000365", "HP:0000504": "HP:0000505",  # (and normal vision visual impairment)
                     "HP:0032263": "HP:0000822",
                     # normal growth, growth delay (as "growth was normal" reads in text/measures.py): Growth
                     # abnormality holds tall stature and obesity too, which a clinician's "normal growth" leaves open
                     "HP:0001507": "HP:0001510",
                     # normal renal function, renal insufficiency (as text/measures.py reads it): a normal eGFR says
                     # nothing of the tubules; "did not have normal renal function" is Abnormal renal physiology
                     "HP:0012211": "HP:0000083"}
# A statement of normal reads nothing where the abnormality it would rule out is a whole organ system's: a parent of
# _BROAD_TERMS terms or more, annotated to more than _BROAD_SHARE of the knowledge base's diseases ("normal skin":
# Abnormality of the skin; "normal eyes", "normal musculature"). The ranker lowers every disease annotated anywhere
# under an excluded term, and one look at an organ does not rule out its hundreds of findings; no reading is better
# than one that wrong. A rule that names the specific abnormality still reads it ("normal muscle strength": Muscle
# weakness, text/measures.py), and so does _NORMAL_RULES_OUT.
_BROAD_TERMS = 100
_BROAD_SHARE = 0.25
# An item of a list stated normal that HPO has no "abnormal ..." of, and what its normal rules out ("tone, power and
# reflexes were normal": no muscle weakness), as "power was normal" alone does (text/measures.py).
_NORMAL_WORDS_RULE_OUT = {"power": "HP:0001324", "strength": "HP:0001324"}  # Muscle weakness
# "... of normal thickness": the extremes a normal dimension rules out.
_DIMENSIONS = {"thickness": ("thin", "thick"), "width": ("narrow", "broad"), "size": ("small", "large", "enlarged"),
               "length": ("short", "long"), "calibre": ("narrow", "dilated", "attenuated"),
               "caliber": ("narrow", "dilated", "attenuated"), "breadth": ("narrow", "broad"),
               # a part's height ("a forehead of normal height": High forehead); the patient's is stature, read in
               # text/measures.py (no term names a high or low patient)
               "height": ("high", "low")}
_NORMAL_VERBS = frozenset(("was", "were", "is", "are", "appeared", "appear", "remained", "been"))  # "... were normal"
_WITHIN = frozenset(("within", "in"))  # "... (the) normal range"
# A statement of normal negated ("he is not cognitively normal", "does not have normal hearing", "no normal
# development", "copper was not within the normal range") says the opposite: the abnormality, never its exclusion.
_VERDICT_NEGATIONS = frozenset(map(word_form, ("not", "never", "no", "neither", "without", "isn't", "wasn't", "aren't", "weren't",
                                               "doesn't", "didn't", "don't", "hasn't", "hadn't", "haven't")))
# A negation after a statement of normal ("normal fetal movements were not felt"), and the words after it that say
# the normal was not perceived (its abnormality is present) or not examined (nothing is said)
_NEGATIONS_AFTER = frozenset(map(word_form, ("not", "never", "isn't", "wasn't", "aren't", "weren't", "hasn't",
                                             "haven't")))
_PERCEIVED = frozenset(map(word_form, ("felt", "seen", "present", "observed", "noted", "detected", "elicited",
                                       "elicitable", "appreciated", "found", "heard", "evident", "visible",
                                       "achieved", "attained", "reached")))
_NOT_EXAMINED = frozenset(map(word_form, ("done", "performed", "assessed", "tested", "checked", "examined", "reported",
                                          "documented", "recorded", "undertaken", "carried", "available")))
# Words after a statement of normal's verb that say it was written down ("normal hearing was documented")
_WRITTEN_DOWN = frozenset(("reported", "documented", "recorded", "confirmed", "demonstrated", "shown"))
# Nouns of absence that negate a statement of normal through "of" ("absence of normal hearing", "lack of ...")
_ABSENCES = frozenset(("absence", "lack"))
# Words between such a negation and its statement of normal ("not entirely normal", "never had a normal hearing test")
# ("did not reach normal milestones", "never achieved normal walking": a milestone's verb, as "have")
_BEFORE_A_VERDICT = frozenset(("have", "has", "had", "having", "be", "been", "a", "an", "the", "within", "in", "of",
                               "entirely", "completely", "totally", "fully", "quite", "always", "ever", "yet",
                               "cognitively", "developmentally", "neurologically", "neurodevelopmentally",
                               "reach", "reached", "achieve", "achieved", "attain", "attained"))
# How far back from a coordinator a negated statement of normal may begin ("normal speech development or normal ...")
_NORMAL_BEFORE_A_COORDINATOR = 4
_EITHER = frozenset(("or", "nor"))
_EXAMINATIONS = frozenset(("examination", "examinations", "exam", "exams"))  # "normal cardiac examination"
_EITHER_OR_BOTH = frozenset(("and", "or", "nor"))  # what joins subjects stated normal together
# A test's word after the first item of a list stated normal ("a normal hearing test or vision"): the next item is
# the list's, not the test's
_A_TEST = frozenset(("test", "tests", "testing", "screen", "screening", "assessment"))
# The verb a negation leans on, read into the span with it ("does not have", "has no"), so that no trigger of
# negation is left half inside it
_BEFORE_A_NEGATION = frozenset(("does", "did", "do", "has", "have", "had", "is", "was", "are", "were"))
# Words that limit a measure to a part of what it measures: "proximal power is normal" is not all the muscles'
_PART_QUALIFIERS = frozenset(("proximal", "proximally", "distal", "distally", "upper", "lower", "left", "right", "axial",
                              "truncal", "central", "peripheral"))
_ALL_OF_THEM = frozenset(("both", "all"))  # "semen volume and sperm concentration were both normal"
# "the EEG was also normal", "hearing is entirely normal": a word between the verb and its "normal" ("otherwise"
# left out: "the MRI was otherwise normal" says what it showed before)
_BETWEEN_VERB_AND_NORMAL = _ALL_OF_THEM | frozenset(("also", "again", "still", "entirely", "completely", "totally",
                                                    "likewise", "similarly", "quite", "perfectly"))
_COUNT_WORDS = frozenset(("multiple", "numerous"))  # the first word of HPO labels that count a finding
# Prematurity as clinicians write it: "born preterm", "premature infants", "born at 34 weeks".
PREMATURE_BIRTH = "HP:0001622"
# HPO's grades of prematurity by the completed weeks of gestation at birth: below 28 extremely, below 32 very
# preterm, below 37 moderate to late preterm birth.
PRETERM_GRADES = ((28, "HP:0025665"), (32, "HP:0025666"), (37, "HP:0025664"))
INABILITY_TO_WALK = "HP:0002540"
# The peripheral nervous system's findings (morphology, physiology): one read from words that do not say "peripheral"
# ("demyelination", a synonym of Peripheral demyelination) is the CNS's in a statement of the brain (_in_the_cns)
PERIPHERAL_NERVOUS_SYSTEM = ("HP:0000759", "HP:0032120")
# Diminished ability to concentrate: the mind's concentration, named by the word a laboratory uses for a measured
# amount ("sperm concentration", "zinc concentration"); see _a_measured_concentration
DIMINISHED_CONCENTRATION = "HP:0031987"
_CONCENTRATION = frozenset(("concentration", "concentrations"))
_ITEM_WORDS = 4  # words of a list's item, searched back for the specimen it names
_BLOOD_COUNT_WORD = re.compile(r"(?:cytosis|penia)$")  # "leukocytosis", "neutropenia": the blood's by the word
# White cell counts HPO names without their blood (Leukocytosis, Leukopenia): each specimen's own term, where HPO has
# one; in a specimen without one, none ("CSF white cell count was raised" is CSF pleocytosis, never Leukocytosis)
_COUNTS_BY_SPECIMEN = {"HP:0001974": {"csf": "HP:0012229", "urine": "HP:0012085"},  # CSF pleocytosis, Pyuria
                       "HP:0001882": {}}
_LAB_MEASURE_WORDS = ("concentration", "concentrations", "level", "levels")  # see Extractor._qualified_of
# "Development is normal", "normal milestones": no developmental delay (HPO has no "abnormal development" to negate).
_DELAYS = {"": "HP:0001263", "early": "HP:0001263", "motor": "HP:0001270", "speech": "HP:0000750",
           "language": "HP:0000750"}  # global developmental delay, motor delay, delayed speech and language
_DEVELOPMENT_WORDS = frozenset(("development", "milestones"))
# Body fluids other than blood, and the findings that are of the blood: "circulating ... concentration",
# "Hyperglycinemia", "Hypoglutaminemia".
_OTHER_FLUIDS = frozenset(("csf", "cerebrospinal", "urine", "urinary"))
_BLOOD_SAMPLES = frozenset(form for form, specimen in SPECIMENS.items() if specimen == "blood")
_BLOOD_LABEL = re.compile(r"\b(?:circulating|blood|serum|plasma)\b|\Bemia\b", re.IGNORECASE)
# The specimen a sentence's lead-in names ("Urine organic acids: elevated glutarate", "CSF analysis showed raised
# glycine", "Plasma amino acids: ..."), and the words after it that hand it on to the findings reported.
_REPORTING = frozenset(("showed", "shows", "show", "revealed", "reveals", "demonstrated", "demonstrates", "found",
                        "detected", "identified", "confirmed", "with"))
_LEAD_IN_REACH = 16  # words back from a finding to its sentence's specimen
_ITEM_DETERMINERS = frozenset(("the", "his", "her", "their"))  # "the eyebrows and the eyelashes"
_ARTICLES = _ITEM_DETERMINERS | {"a", "an"}  # what opens a noun phrase: "a normal epiglottis"
_POSSESSIVE_WORDS = frozenset(("his", "her", "their", "the", "its", "developmental"))
_PRETERM = frozenset(("preterm", "premature", "prematurely"))
_BIRTH = frozenset(("born", "birth", "births", "delivery", "delivered", "infant", "infants", "baby", "babies",
                    "neonate", "neonates", "newborn", "newborns", "twin", "twins"))  # fmt: skip
_WEEKS = frozenset(("week", "weeks", "wk", "wks", "weeker", "weekers"))
_BIRTH_KEYS = ("pret", "Pret", "premat", "Premat", "born", "Born", "deliver", "Deliver", "birth", "Birth", "ex-", "Ex-",
               "EX-", "term", "Term")
_BORN = frozenset(("born", "delivered", "birth", "delivery"))  # followed by the gestational age
# "ex-25 weeker", "an ex-30/40 baby" (UK): born at that gestation
_BIRTH_FORMS = _PRETERM | _BORN | {"ex", "term"}  # the words _premature_births starts from
TERM_WEEKS = 37  # born before 37 completed weeks of gestation is preterm (WHO)
# Born at this many weeks or more, and fewer than POST_TERM_WEEKS, is a full-term birth (ACOG: 39+0 on); 37 and 38 weeks
# are "early term", which a note may give as a near miss of prematurity, so they rule nothing out.
FULL_TERM_WEEKS = 39
POST_TERM_WEEKS = 45  # a gestation of more weeks than this is no birth's: read nothing from it
# A birth at term rules prematurity out: "born at term", "delivered at full term", "a term delivery"; "near term"
# may be a late preterm birth, "long-term" is no gestation, and "not born at term" says nothing clear.
_NOT_AT_TERM = frozenset(("near", "long", "short", "not", "never"))
# A line of wrapped prose: a line at least this long, without punctuation at its end, whose next line goes on in
# lower case, is read on across the line break (lists, tables and headings are not).
WRAPPED_LINE = 40
_LINE_END_HYPHENS = frozenset("-\u2010\u2011\u00ad")  # a word broken at the end of a line (soft hyphen too)
EPILEPTIFORM_ACTIVITY = "HP:0011182"  # Interictal epileptiform activity: what an "epileptic EEG" shows
ABSENCE_SEIZURE = "HP:0002121"  # "absence" here is a seizure type, not "absent"
CEREBRAL_WHITE_MATTER = "HP:0002500"  # Abnormal cerebral white matter morphology (see _white_matter_elsewhere)
# An innocent (functional, physiological) murmur is a normal flow sound, not the finding Heart murmur.
HEART_MURMUR = "HP:0030148"
# Abnormality of prenatal development or birth: the patient's, when said of the mother's pregnancy
PRENATAL = "HP:0001197"
_INNOCENT = frozenset(("innocent", "functional", "physiological", "physiologic", "benign"))
# Words that may close a sign's verdict: "Babinski sign negative bilaterally".
_SIDES_AFTER = frozenset(("bilaterally", "both", "throughout", "on", "left", "right", "today", "again"))
# What a part is said to be before what it is not: "palate normal, not high-arched", "sclerae white, not blue".
# The marks between a part said to be normal and what it is not: "palate normal, not high", "normal - neither thin"
_STATEMENT_DASHES = frozenset((",", "-", "\u2013", "\u2014"))
_SAID_BEFORE_NOT = frozenset(("normal", "white", "intact", "clear", "straight", "symmetrical", "symmetric", "preserved",
                              "fine", "unremarkable"))
# Tests whose names the dictionary reads as a finding (composed from "aciduria"): the words of their spans.
_TEST_NAMES = frozenset((("urine", "organic", "acid"), ("urinary", "organic", "acid"), ("urine", "organic", "acids"),
                         ("urinary", "organic", "acids")))
# Words that introduce a finding, not name one: "signs of heart failure", "symptoms of raised intracranial pressure".
# What a scan reports not seeing ("the corpus callosum was not visualised": see _unseen_structures), the words of the
# statement before it, and those after that say why it was not seen (then no absence is reported).
_UNSEEN = frozenset(("seen", "visualised", "visualized", "identified", "demonstrated", "visible", "detected", "imaged"))
_UNSEEN_AUXILIARIES = frozenset(("was", "were", "is", "are", "could", "can", "has", "have", "had"))
_SEEN_FOR_A_REASON = frozenset((
    "due", "because", "owing", "obscured", "gas", "habitus", "position", "positioning", "lie", "limited", "technically",
    "technical", "difficult", "removed", "resected", "cholecystectomy", "nephrectomy", "contracted", "fasting",
    "fasted", "today", "occasion", "yet", "early", "previously",
))
# Parts a scan often does not show though they are there: ovaries (small before puberty, after the menopause, deep
# in the pelvis) and testes (an undescended one is seen in neither the scrotum nor, often, the abdomen). Not seeing
# them is no aplasia; "absent" still says so ("ovaries absent on MRI").
_OFTEN_UNSEEN = frozenset(word_form(w) for w in ("ovary", "ovaries", "testis", "testes", "testicle", "testicles", "gonad",
                                                 "gonads"))
# Testes not found in the scrotum are undescended ("no testes were identified in the scrotum", "testes not palpable
# in the scrotum"): Cryptorchidism, whether a scan or a hand missed them there. Palpation words only here: a spleen
# "not palpable" is a normal one.
_TESTES = frozenset(word_form(w) for w in ("testis", "testes", "testicle", "testicles"))
_PALPATED = frozenset(("palpable", "palpated", "felt"))
_UNSEEN_OR_PALPATED = _UNSEEN | _PALPATED  # (the words _unseen_structures visits)
_SCROTUM = frozenset(map(word_form, ("scrotum", "scrota", "hemiscrotum", "hemiscrota", "scrotal")))
CRYPTORCHIDISM = "HP:0000028"
_ABSENCE_LABEL = re.compile(r"\b(?:absent|absence|aplasia|agenesis|aplastic|missing)\b", re.IGNORECASE)
_UNSEEN_DETERMINERS = frozenset(("the", "his", "her", "its", "a", "an", "both"))
# "present" as a verb after its subject ("patients present with ...", "present to clinic"), or going on to what the part
# is ("the thumb is present but short"): no statement that the part is there
_PRESENT_AS_A_VERB = frozenset(("with", "to", "as", "at", "in", "but", "late", "early"))
_PRESENT_AUXILIARIES = frozenset(("is", "are", "was", "were", "both", "all", "be", "been", "still", "clearly"))
_PREPOSITIONS = frozenset(("in", "of", "within", "at", "from", "on", "near", "behind", "to", "with", "into", "by",
                           "above", "below", "beside", "around", "between"))


def _unseen_subject(at: int, forms: list[str], coarse: list[int], gaps: list[int]) -> list[int]:
    """The words of the subject that ends before word `at` ("the left kidney" of "the left kidney was not seen"):
    dictionary words back to a determiner or the clause's start, at most five; none where the determiner follows a
    preposition ("the cyst in the left kidney was not seen": the kidney is no subject)."""
    subject: list[int] = []
    j = at - 1
    while j >= 0 and len(subject) < 5:
        if forms[j] in _UNSEEN_DETERMINERS:
            if j > 0 and gaps[j] == GAP_SPACE and forms[j - 1] in _PREPOSITIONS:
                return []
            break
        if coarse[j] < 0:
            return []
        subject.insert(0, j)
        if j == 0 or gaps[j] >= GAP_COMMA:
            break
        if gaps[j] != GAP_SPACE:
            return []
        j -= 1
    else:
        if j >= 0:
            return []
    return subject


def _in_the_scrotum(v: int, forms: list[str], gaps: list[int]) -> int:
    """The word that ends "in the scrotum" ("within either hemiscrotum", "in the scrotal sac") right after word v,
    or -1."""
    k = v + 1
    if k >= len(forms) or forms[k] not in ("in", "within") or gaps[k] != GAP_SPACE:
        return -1
    k += 1
    while k < len(forms) and forms[k] in ("the", "his", "either", "each", "both") and gaps[k] == GAP_SPACE:
        k += 1
    if k >= len(forms) or forms[k] not in _SCROTUM or gaps[k] != GAP_SPACE:
        return -1
    if forms[k] != "scrotal":
        return k
    return k + 1 if k + 1 < len(forms) and forms[k + 1] == "sac" and gaps[k + 1] == GAP_SPACE else -1


_SIGN_LABEL = re.compile(r"\bsign\b", re.IGNORECASE)  # a sign that is tested, and its result said: "Positive Romberg sign"
_SIGNS_OF = frozenset(("sign", "signs", "symptom", "symptoms"))
_SIGN_WORDS = frozenset(("sign", "signs"))
# Words between the murmur and its verdict: "the murmur was thought to be innocent", "a murmur, likely functional".
_TO_VERDICT = COPULAS | frozenset(("thought", "felt", "considered", "deemed", "judged", "likely", "probably",
                                    "most", "to", "sounds", "sounded", "clinically", "entirely", "an", "a"))  # fmt: skip
# Words a sentence does not end with: a line ending with one goes on in the next line, however short.
_GOES_ON = frozenset(("and", "or", "nor", "with", "without", "of", "the", "a", "an", "to", "for", "in", "on", "no",
                      "not", "but", "by", "at", "from", "as", "including", "especially", "mild", "severe"))  # fmt: skip
# "Seizures: none", "Hypotonia - absent", "Seizures? No", "Seizures<TAB>No": a finding answered after it.
_ANSWER_MARKS = frozenset(":?=-\u2010\u2011\u2013\u2014")
_ANSWERS_NO = frozenset(("no", "none", "nil", "absent", "negative", "neg", "denied", "denies", "n", "never"))
# Words that may follow an answer of none and say no more: "Seizures: none ever reported", "Spasms: never seen".
_ANSWER_NO_TAIL = frozenset(("ever", "reported", "recorded", "noted", "seen", "observed", "documented", "witnessed",
                             "described", "known", "to", "date", "so", "far", "yet"))
# Answers that leave the finding open: "Seizures: unknown", "Cataracts? Not known.", "Ataxia: not assessed".
_ANSWERS_UNKNOWN = frozenset(("unknown", "unclear", "uncertain", "unsure", "equivocal", "possible", "possibly",
                              "borderline", "query", "questionable", "na", "n/a"))
# ("Seizures: not documented": not written down is not absent)
_NOT_KNOWN = frozenset(("known", "assessed", "tested", "examined", "evaluated", "checked", "sure", "clear", "documented",
                        "recorded"))
# Answers that exclude whatever follows them: "VSD: excluded on echo", "Hypothyroidism: ruled out by TFTs".
_ANSWERS_EXCLUDED = frozenset(("excluded", "ruled"))
_ANSWER_WORDS = _ANSWERS_NO | _ANSWERS_UNKNOWN | _ANSWERS_EXCLUDED | {"not"}
_WH_WORDS = frozenset(("what", "why", "how", "which", "where", "when", "who", "whose"))
_ANSWERS_YES = frozenset(("yes", "present", "positive", "confirmed", "noted", "seen", "found", "y"))
_NOT_ANSWERS = frozenset(("present", "seen", "noted", "observed", "found", "detected", "identified"))
# Headings ("Family history:", "Mother:", "Plan:") that say whose a finding is, or that it is planned, not found.
_FAMILY_HEADINGS = frozenset(("family history", "family hx", "fam hx", "fh", "fhx", "family medical history",
                              "relevant family history", "family", "family background", "maternal side",
                              "paternal side", "maternal family", "paternal family", "mother side",
                              "father side", "maternal relatives", "paternal relatives"))  # fmt: skip
_PLAN_HEADINGS = frozenset(("plan", "management plan", "follow up plan", "management", "recommendations",
                            "recommendation", "recommended", "next steps", "suggested investigations",
                            # what is considered, as "the differential includes ..." says inline: hedged as a plan is
                            "differential", "differentials", "differential diagnosis", "differential diagnoses",
                            "differential dx", "ddx", "possible diagnoses", "diagnoses considered",
                            "diagnostic considerations", "differential diagnoses considered"))  # fmt: skip
_KIN_WORDS = frozenset(("maternal", "paternal", "older", "younger", "elder", "half", "twin", "the", "his", "her",
                        "patients", "patient",
                        # an age with the relative: "Sister (10 y): seizures", "Brother, aged 4: ..."
                        "y", "yo", "yr", "yrs", "year", "years", "old", "aged", "months", "month", "mo",
                        "affected"))  # fmt: skip
_RELATIVE_WORDS = frozenset(("mother", "father", "parent", "parents", "sister", "sisters", "brother", "brothers",
                             "sibling", "siblings", "sib", "sibs", "aunt", "aunts", "uncle", "uncles", "cousin", "cousins",
                             "grandmother", "grandfather", "grandparents", "niece", "nephew", "son", "daughter", "mum",
                             "dad", "twin", "stepbrother", "stepsister", "grandson", "granddaughter", "husband",
                             "wife"))  # fmt: skip
# People, not parts, before "with" and a finding ("a boy with short stature", "siblings with seizures")
_WITH_OWNERS = _RELATIVE_WORDS | frozenset((
    "patient", "patients", "child", "children", "boy", "boys", "girl", "girls", "infant", "infants", "baby", "babies",
    "neonate", "neonates", "newborn", "newborns", "toddler", "toddlers", "proband", "probands", "man", "men", "woman",
    "women", "individual", "individuals", "adult", "adults", "case", "cases", "family", "families", "subject",
    "subjects", "person", "people", "fetus", "fetuses", "twin", "twins",
))
# Headings that negate what they head: "Ruled out: cardiomyopathy.", "Excluded:\n- HCM".
_NEGATED_HEADINGS = frozenset(("ruled out", "excluded", "negative", "negative for", "absent", "not present",
                               "not found", "none of", "no evidence of", "denies", "denied", "features absent",
                               "absent features", "findings absent", "absent findings", "signs absent",
                               "pertinent negatives", "negatives", "excluded features", "features excluded",
                               "not observed", "features not present"))  # fmt: skip
# ... and the words a longer heading ends with to negate: "Dysmorphology checklist negative for:", "Cardiac causes
# ruled out:".
_NEGATED_HEADING_ENDS = (" negative for", " ruled out", " excluded", " absent", " not present", " not found",
                         " not seen", " not observed")
MAX_HEADING = 4  # words
# Longer headings that negate the list after them: "None of the following were present: seizures, ataxia."
_NEGATED_LONG_HEADINGS = frozenset(
    [f"none of the following {verb} {state}" for verb in ("were", "was")
     for state in ("present", "found", "observed", "noted", "seen", "reported")]
    + [f"the following {verb} {state}" for verb in ("were", "was")
       for state in ("absent", "excluded", "not present", "not found", "not seen", "not observed")]
    + ["none of the following"]
)
MAX_LONG_HEADING = 7
MAX_QUALIFIER = 8  # words of a bracket that qualifies a heading ("Seizures (during sleep at night): none")
_FULL_STOP = frozenset(".!?")
# Words after a normal finding that take part of it back: "MRI was unremarkable apart from mild ventriculomegaly".
_UNTIL = frozenset(("until", "till", "initially", "before"))  # "normal until 6 months": not now
_EXCEPT = frozenset(("except", "apart", "aside", "besides", "save", "barring", "excepting"))
# What an EEG shows: "epileptic" before one of these means "epileptiform" (see _epileptiform).
_EEG_NOUNS = frozenset(("discharge", "discharges", "activity", "activities", "abnormality", "abnormalities"))
_NAME_SEPARATORS = re.compile(r"[\s|,()/]+")
# A biopsy's bare "fibres" (see _fibres_of_a_muscle_biopsy): the words saying whose, a muscle's or a nerve's (or
# another tissue's), and the words saying a biopsy is reported.
_FIBRE_WORDS = frozenset(("fiber", "fibers"))
_BIOPSY_WORDS = frozenset(("biopsy", "biopsies", "histology", "histopathology", "histochemistry"))
_MUSCLE_CUES = frozenset(("muscle", "muscles", "myopathic", "quadriceps", "deltoid", "biceps", "gastrocnemius",
                          "vastus", "triceps", "tibialis"))
_OTHER_FIBRE_CUES = frozenset(("nerve", "nerves", "sural", "myelinated", "unmyelinated", "axon", "axons", "axonal",
                               "elastic", "collagen", "retinal", "corneal", "purkinje"))


@dataclass(frozen=True, slots=True)
class ExtractedTerm:
    """One mention of an HPO term in the text; start/end are str indices (text[start:end] == self.text)."""

    id: str
    label: str
    start: int
    end: int
    text: str
    excluded: bool = False  # negated: the finding is stated to be absent ("no seizures", "normal hearing")
    uncertain: bool = False  # hedged ("possible", "suspected")
    family: bool = False  # a relative's finding ("his mother has cataracts"), not the patient's
    # A broader finding named inside a longer match ("hearing loss" in "sensorineural hearing loss"), reported
    # only when asked (nested=True, the GSC+ annotation convention): the longer match implies it.
    broader: bool = False
    category: str = "phenotype"  # or "inheritance" / "onset" when those were asked for
    onset: str | None = None  # when the finding began, as the note says (text/onset.py): ISO 8601 age or HPO ID

    def to_json(self) -> dict:
        out = {
            "id": self.id,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "excluded": self.excluded,
            "uncertain": self.uncertain,
            "family": self.family,
            "broader": self.broader,
        }
        if self.category != "phenotype":
            out["category"] = self.category
        if self.onset:
            out["onset"] = self.onset
        return out


# ExtractedTerm's slot setters in field order: _new_term fills them directly. A frozen dataclass's __init__ sets each
# field through object.__setattr__, which costs twice as much as the whole object made so (same object, same fields).
_TERM_SETTERS = tuple(getattr(ExtractedTerm, f.name).__set__ for f in fields(ExtractedTerm))


def _new_term(id: str, label: str, start: int, end: int, text: str, excluded: bool, uncertain: bool, family: bool,
              broader: bool, category: str) -> ExtractedTerm:
    """ExtractedTerm(id, label, ..., category), built without its __init__ (see _TERM_SETTERS)."""
    term = object.__new__(ExtractedTerm)
    (s_id, s_label, s_start, s_end, s_text, s_excluded, s_uncertain, s_family, s_broader, s_category,
     s_onset) = _TERM_SETTERS
    s_id(term, id)
    s_label(term, label)
    s_start(term, start)
    s_end(term, end)
    s_text(term, text)
    s_excluded(term, excluded)
    s_uncertain(term, uncertain)
    s_family(term, family)
    s_broader(term, broader)
    s_category(term, category)
    s_onset(term, None)  # read after the negation, by with_onsets
    return term


_NOT_ASSERTED = Assertion()  # what assess finds in a sentence without asserting triggers (read only)


@dataclass(slots=True)
class _Candidate:
    first: int  # word index of the first word
    last: int  # word index of the last word (inclusive)
    term: int
    priority: int
    size: int  # dictionary words matched
    normal: bool = False  # "normal X" matched as the negation of "abnormal X"
    coordinated: bool = False
    broader: bool = False  # an ancestor of a longer match it lies inside
    opposite: bool = False  # "the seizures were not epileptic" read as Non-epileptic seizure: its "not" negates nothing
    unseen: bool = False  # "the corpus callosum was not seen" read as its absence: its "not" or "no" negates nothing
    denied_after: int = -1  # "(normal hearing), normal vision or normal growth were not seen": the last word of the
    # negation after the list, which said what the item is and negates nothing
    single: int = -1  # a plural read as its counting term ("lipomas": Multiple lipomas): the single finding's term
    general: int = -1  # a finding read as its one-sided term ("left ptosis": Unilateral ptosis): the term as named
    twin: int = -1  # a value stated normal: the other direction's term over the same words ("normal prolactin")
    value: bool = False  # read from a measured value ("glucose 1.8 mmol/L", "walked at 3 years"): see _measured
    carried: int = -1  # "(does not have normal hearing) or normal vision": the first word of the negation it shares
    hedged: bool = False  # "normal tone, power and reflexes were not seen": an item's abnormality, which of them unsure


# How far back from "not X" the subject of a predicate read as its "non" form may start ("the generalized tonic
# seizures were not epileptic").
_OPPOSITE_REACH = 8
_PRESENT_WORD = frozenset(("present",))  # (the one-word sets some loops visit: see _at)
_NORMAL_WORD = frozenset(("normal",))
_WITHOUT_WORD = frozenset(("without",))
_NOT_NEITHER = frozenset(("not", "neither"))  # (the words some loops of extract() visit: see _at)
_NOT_NEVER_NEITHER = _NOT_NEITHER | {"never"}
_NONE_WORD = frozenset(("none", "no"))
_SPACED_DASHES = frozenset(("-", "\u2013", "\u2014"))


def _a_headings_mark(gap: str, answer: str) -> bool:
    """The gap after a heading before its answer (none or no): a colon, or before "none" a dash set off by a space
    ("Seizures - none febrile", written as the colon is; not a word's own hyphen). A dash before "no" parts two
    statements more often than it answers a heading ("Pectus excavatum - no pectus carinatum")."""
    mark = gap.strip(" \t")
    return mark == ":" or (answer == "none" and mark in _SPACED_DASHES and gap[:1] in (" ", "\t"))


_BY_POSITION = attrgetter("first", "last")  # sort key of candidates: (first, last), without a lambda call
_TERM_OF = attrgetter("term")  # ("term in map(_TERM_OF, chosen)": any(c.term == term ...) without a generator)
# The loops of _coordinated (ranges made once: a range() call costs as much as a few steps of the loop).
_OWN_WORDS = range(3)  # words before a phrase that may still be its own, not a list item's
_LIST_ITEMS = range(5)  # items of a list, at most


class _Memo(dict):
    """key -> compute(key), computed once, so that `map(memo.__getitem__, keys)` looks keys up without a Python
    loop. Cleared when full: a long session's memory stays bounded."""

    __slots__ = ("_compute", "_limit")

    def __init__(self, compute, limit: int) -> None:
        super().__init__()
        self._compute = compute
        self._limit = limit

    def __missing__(self, key):
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._compute(key)
        return value


class Extractor:
    """Built once per KB (stored dictionary: ~0.2 s to load); extract() may be called from any thread.

    Every finding is reported once, as its longest, most specific match. nested=True also reports the broader
    terms named inside a longer phrase ("colitis" in "ulcerative colitis"), with broader=True: the GSC+
    annotation convention (`extract --broader`), not what a case needs. Relatives' findings are reported with
    family=True (not excluded): the reviewer decides, and the GUI does not add them to the case by default.
    """

    def __init__(
        self, db: sqlite3.Connection, ontology: Ontology, dictionary: Dictionary | None = None, *, nested: bool = False
    ) -> None:
        self.ontology = ontology
        self.nested = nested
        self.dictionary = dictionary or load_dictionary(db, ontology)
        d = self.dictionary
        self._entries = d.entries
        # the entries of one-word names by their key's only class (negative: see single_key), looked up per word
        self._one_word = {key[0]: hit for key, hit in d.entries.items() if len(key) == 1 and key[0] < 0}
        self._pairs = d.pairs
        self._base = Dictionary.PAIR_BASE
        self._vocab = d.vocab
        self._category = d.category
        self._abbreviations = d.abbreviations
        self._triggers = TriggerIndex()
        self._absent_speech = self.ontology.resolve("HP:0001344").index  # "no speech" (clinical_synonyms.tsv)
        self._poor_concentration = self.ontology.resolve(DIMINISHED_CONCENTRATION).index
        self._skip_forms = frozenset(word_form(w) for w in SKIPPABLE)
        # Copulas join a finding written as a statement: "liver enzymes were elevated", "the ears are low-set".
        # "atrophy of both the cerebrum and the cerebellum": "both" opens a list as "the" opens an item.
        self._stop_forms = frozenset(STOPWORDS) | COPULAS | _LINKING_VERBS | _TRANSPARENT_ADVERBS | {"both"}
        distal = d.vocab.lookup("distal")
        self._distal = distal[2] if distal else None
        cns = d.vocab.lookup("cns")
        self._cns = cns[2] if cns else None
        self._peripheral_nervous_system = [i for t in PERIPHERAL_NERVOUS_SYSTEM if (i := self.ontology.resolve(t).index) is not None]
        abn = d.vocab.lookup("abnormality")
        self._abnormal = abn[2] if abn else None
        inc = d.vocab.lookup("increased")  # "ammonia normal": HPO names only the raised value (Hyperammonemia)
        self._increased = inc[2] if inc else None
        dec = d.vocab.lookup("decreased")  # "semen volume normal": HPO names only the low value (Low semen volume)
        self._decreased = dec[2] if dec else None
        self._part_words = frozenset(found[2] for w in _PART_QUALIFIERS if (found := d.vocab.lookup(w)))
        index = ontology.index
        self._unqualified: dict[int, int] = {}  # term -> _unqualified_term(term), filled as terms are found
        self._implied_ids: dict[int, tuple[str, ...]] = {}  # term -> its ancestors' IDs (itself not), as found
        self._normal_rules_out = {index[a]: index[b] for a, b in _NORMAL_RULES_OUT.items() if a in index and b in index}
        self._cell_counts = {index[a]: index[b] for a, b in _CELL_COUNTS.items() if a in index and b in index}
        self._too_broad_to_rule_out = too_broad_to_rule_out(ontology)
        self._normal_words = {w: index[t] for w, t in _NORMAL_WORDS_RULE_OUT.items() if t in index}
        self._counts_by_specimen = {index[t]: {sp: index[o] for sp, o in by.items() if o in index}
                                    for t, by in _COUNTS_BY_SPECIMEN.items() if t in index}
        # "normal serum phosphate": the sample a laboratory value was measured in names no part of the finding
        self._samples = frozenset(found[2] for w in ("serum", "plasma") if (found := d.vocab.lookup(w)))
        # The sample a measure is taken from opens its subject with it: "serum sodium and potassium were normal"
        self._sample_words = self._samples | frozenset(
            found[2] for w in ("blood", "circulating") if (found := d.vocab.lookup(w)))
        # The measure a laboratory reports of a substance: "plasma zinc concentration" is the zinc HPO names
        self._measure_words = frozenset(found[2] for w in _LAB_MEASURE_WORDS if (found := d.vocab.lookup(w)))
        self._specimen_classes = frozenset(found[2] for w in (*SPECIMENS, "fluid") if (found := d.vocab.lookup(w)))
        # surface -> _word_info(surface); through a weak proxy, not the bound method: that would make a cycle, and
        # the engine's extractor is kept out of cyclic collections (raretrace.loaded), so only its reference count
        # frees it once let go (a knowledge base reloaded in the window)
        self._word_infos = _Memo(partial(Extractor._word_info, weakref.proxy(self)), 200_000)
        self._sorted_forms = sorted(d.vocab.forms)  # for "does any known word start with ..." (bisect)
        self._gap_kinds = _Memo(classify_gap, 10_000)  # gap text -> GAP_* kind
        self._plural_cache: dict[str, bool] = {}
        self._picks: dict[tuple, tuple] = {}  # (id(entry list), word forms, category) -> (entry list, _pick's answer)
        self._label_heads: dict[int, int] = {}  # term -> coarse class of its label's last word (-1: none)
        self._part_classes: frozenset[int] | None = None  # (see _parts)
        self._swapped_labels: dict[int, int] | None = None  # (see _sides_swapped)
        self._label_pairs: dict[int, tuple | None] = {}  # term -> its two-word label's word classes (see _a_part_of_the_head)
        self._multiple_class = -1
        self._counted, self._plural_names = self._counted_terms(db)
        self._synonyms = self._multiword_names(db)
        self._name_classes: dict[int, frozenset[int]] = {}  # term -> fine classes of its names' words
        self._premature = self.ontology.index.get(PREMATURE_BIRTH)
        self._cryptorchidism = self.ontology.index.get(CRYPTORCHIDISM)
        self._preterm_grades = [(weeks, ontology.index.get(t)) for weeks, t in PRETERM_GRADES]
        self._unable_to_walk = self.ontology.index.get(INABILITY_TO_WALK)
        # a value's finding -> the named finding it measures (measures.MEASURE_OF)
        self._measure_of = {index[v]: index[n] for v, n in MEASURE_OF.items() if v in index and n in index}
        self._severe_grades = frozenset(index[t] for t in SEVERE_GRADES if t in index)
        self._blood_findings: frozenset[int] | None = None  # read when a CSF or urine value asks (~35 ms)
        self._specimen_index: dict[tuple[str, str, str], int] | None = None  # (likewise: see _specimen_terms)
        self._unspecified: frozenset[int] | None = None  # (likewise: see _unspecified_levels)
        self._csf_levels: frozenset[int] | None = None  # (likewise: see _csf_level_terms)
        self._whole_sets: frozenset[int] | None = None  # (likewise: see _whole_set_absence)
        # the delay that normal development (of a kind: "motor milestones were normal") rules out
        self._delays = {kind: self.ontology.index.get(term) for kind, term in _DELAYS.items()}
        self._abbreviation_contexts = self._read_abbreviation_contexts()
        # the surfaces _by_context reads (its abbreviations and their plurals): most abbreviations have no context rule
        self._context_surfaces = frozenset(self._abbreviation_contexts) | {a + "s" for a in self._abbreviation_contexts}
        murmur = ontology.index.get(HEART_MURMUR)
        self._murmurs = frozenset(ontology.descendants(murmur).tolist()) if murmur is not None else frozenset()
        self._epileptiform_activity = ontology.index.get(EPILEPTIFORM_ACTIVITY)
        absence = ontology.index.get(ABSENCE_SEIZURE)
        self._absence_seizures = frozenset(ontology.descendants(absence).tolist()) if absence is not None else frozenset()
        white_matter = ontology.index.get(CEREBRAL_WHITE_MATTER)
        self._cerebral_white_matter = (frozenset(ontology.descendants(white_matter).tolist())
                                       if white_matter is not None else frozenset())
        # What a mother had in pregnancy is the patient's prenatal history ("the mother had polyhydramnios"): HPO
        # records it as the child's, not as a relative's finding.
        prenatal = ontology.index.get(PRENATAL)
        self._prenatal = frozenset(ontology.descendants(prenatal).tolist()) if prenatal is not None else frozenset()
        self._disease_names = _disease_names_of(db, d)  # (see _disease_name_start)
        self._by_sex = _split_by_sex(ontology)
        self._verbs_of_participles = _verbs_of_participles(d.vocab)

    # ------------------------------------------------------------------------------------------- public

    def extract(self, text: str, *, inheritance_onset: bool = False) -> list[ExtractedTerm]:
        """HPO terms mentioned in text, in order of appearance (phenotypes; plus inheritance/onset if asked)."""
        if not isinstance(text, str):
            raise RareTraceError("free text must be a string (decode files as UTF-8 first)")
        if not text or text.isspace():
            return []
        # One C-level split gives the words and the gaps before them; offsets follow from their lengths, and gap
        # kinds and word infos come from memos mapped at C speed. Each pass over all words costs, so the passes
        # after this one visit only `marks`, the words with more than a space before them.
        parts = split_words(text)
        if len(parts) == 1:
            return []
        gap_texts, surfaces = parts[0:-1:2], parts[1::2]
        gaps = list(map(self._gap_kinds.__getitem__, gap_texts))
        infos = list(map(self._word_infos.__getitem__, surfaces))
        offsets = list(accumulate(map(len, parts)))
        starts, ends = offsets[0:-1:2], offsets[1::2]
        n = len(starts)
        hpo_ids = _hpo_id_words(gap_texts, surfaces) if "HP:" in text or "hp:" in text else []
        for i in hpo_ids:
            gaps[i] = GAP_SPACE  # "HP:0001250" is one name, its colon no heading's mark
        marks = list(compress(range(n), gaps))  # gaps[i] != GAP_SPACE (0); gaps change only at these words
        marked: list[int] = []  # words after a sentence end worth a second look: line breaks, colons, "?"
        for i in marks:
            if gaps[i] == GAP_SENTENCE and gap_texts[i] != ". ":
                if gap_texts[i] == "." and surfaces[i][0].isdigit() and i and text[ends[i - 1] - 1].isdigit():
                    gaps[i] = GAP_BREAK  # a decimal point ("-2.8 SD"), not a sentence end
                elif gap_texts[i] == ":" and i and surfaces[i].isdigit() and surfaces[i - 1].isdigit():
                    gaps[i] = GAP_SPACE  # a ratio ("2:1 atrioventricular block", "1:40"), no heading's colon
                else:
                    marked.append(i)
        if marked:
            self._join_wrapped_lines(text, gap_texts, surfaces, starts, gaps, marked)
        forms_t, ones_t, coarse_t, skip, trigger_t, abbreviated, combining = zip(*infos, strict=True)
        forms, ones, coarse = list(forms_t), list(ones_t), list(coarse_t)
        hyphens = [i for i in marks if gaps[i] == GAP_HYPHEN]
        joined = self._join_hyphenated(forms, ones, coarse, gaps, hyphens) if hyphens else False
        if any(combining):
            joined = self._join_combining(forms, ones, coarse, gaps, combining) or joined
        if "-" in text:
            joined = self._hanging_prefixes(gap_texts, forms, ones, coarse, gaps, marks) or joined
        # The distinct word forms, as split and as read: "is X among the words" is asked of them, not of the list.
        split_forms = set(forms_t)
        present = set(forms) if joined else split_forms
        if "epileptic" in present:
            self._epileptiform(forms, ones, coarse, gaps)
            present = set(forms)
        if not _REMAIN.isdisjoint(present):
            self._remain_as_copula(forms, ones, coarse, gaps)
        if not _RELATIVES.isdisjoint(present):
            _relative_as_copula(forms, ones, coarse, gaps, self._verbs_of_participles)
        if not _FIBRE_WORDS.isdisjoint(present) and not _BIOPSY_WORDS.isdisjoint(present):
            self._fibres_of_a_muscle_biopsy(forms, ones, coarse, gaps)
        if not _PERFECT_LINKS.isdisjoint(present) and not _HAVE.isdisjoint(present):
            _perfect_as_copula(forms, ones, coarse, gaps)
        if "able" in present and ("not" in present or "never" in present):
            self._not_able_as_unable(forms, ones, coarse, gaps)
        if not _AS_RECURRENT.isdisjoint(present) and not _INFECTION_WORDS.isdisjoint(present):
            self._recurrent_infections(forms, ones, coarse, gaps)
        if not self._verbs_of_participles.keys().isdisjoint(present):
            self._finding_as_a_verb(forms, coarse, gaps)
        ratios = _ratios(forms, gaps, gap_texts, marks) if not _RATIO_WORDS.isdisjoint(present) else []

        # "the liver was not enlarged": the negation inside a statement is read through, and negates what it joins.
        negating = "not" in present or "never" in present or "neither" in present
        inline_negations = (  # ("the gait is neither steppage nor waddling", "saccades neither hypometric nor
            # hypermetric": "neither" as "not")
            [i for i in _at(forms, _NOT_NEVER_NEITHER, 1)
             if (forms[i - 1] in COPULAS or (forms[i] != "never" and _telegraphic_negation(i, forms, coarse, gaps))
                  or (forms[i - 1] in _HAVE and i + 1 < n and forms[i + 1] in _PERFECT_LINKS)  # "has not been raised"
                  or _reported_not(i, forms)
                  or (forms[i - 1] in _DO and i + 1 < n and forms[i + 1] in _LINKING_VERBS)  # "do not appear"
                  or _part_does_not(i, forms, coarse, gaps))]
            if negating else []
        )
        restated = False  # a part said normal, then what it is not: the same term may be read over both
        if negating and ("not" in present or "neither" in present):
            for i in _at(forms, _NOT_NEITHER, 1, n - 1):  # (the loop changes no form)
                if gaps[i] not in (GAP_COMMA, GAP_SENTENCE):
                    continue
                mark = gap_texts[i].strip()
                if mark in _STATEMENT_DASHES and i > 1 and forms[i - 1] in _SAID_BEFORE_NOT and (
                        _telegraphic_negation(i - 1, forms, coarse, gaps, after=False)
                        or (gap_texts[i - 1].strip() == ":" and _heading_start(i - 1, gaps) >= 0
                            and forms[i - 2] not in _EEG_WORDS)):  # ("EEG: normal, not epileptic": its recording)
                    # "Palate normal, not high-arched", "sclerae white, not blue", "corpus callosum normal - neither
                    # thin nor thick", "Skin: normal, not translucent": what the part is not, said of it (a short
                    # heading's colon read as the space it stands for)
                    gaps[i - 1] = gaps[i] = GAP_SPACE
                    ones[i - 1], coarse[i - 1] = None, STOP
                    inline_negations.append(i)
                elif mark in _STATEMENT_DASHES and i > 2 and gaps[i - 1] == GAP_SPACE and (
                        forms[i - 2] == "normally"
                        or forms[i - 1] == "normal" and forms[i - 2] in COPULAS
                        and _an_adjective_after_not(i, forms, coarse, gaps)) and _telegraphic_negation(
                        i - 2, forms, coarse, gaps, after=False):
                    # "Eyes normally spaced, neither close-set nor wide-set", "ears normally placed, not low-set": the
                    # part said normal in an adverb and its participle; "the uvula was normal, not bifid": with its
                    # verb; then what it is not
                    gaps[i] = GAP_SPACE
                    for k in (i - 2, i - 1):
                        ones[k], coarse[k] = None, STOP
                    inline_negations.append(i)
                    restated = True
                elif (mark in _STATEMENT_DASHES and i >= 2 and forms[i - 2] == "normal" and coarse[i - 1] >= 0
                      and gaps[i - 1] == GAP_SPACE and _an_adjective_after_not(i, forms, coarse, gaps)
                      and (i == 2 or gaps[i - 2] >= GAP_COMMA or forms[i - 3] in _ARTICLES)):
                    # "a normal epiglottis, not bifid": the part named after its "normal", then what it is not (read
                    # as "epiglottis not bifid")
                    gaps[i] = GAP_SPACE
                    ones[i - 2], coarse[i - 2] = None, STOP
                    inline_negations.append(i)
                    restated = True
                elif (mark == ":" and forms[i] in ("not", "neither") and forms[i + 1] not in _NOT_KNOWN
                      and forms[i - 1] not in _EEG_WORDS and _heading_answered_not(i, forms, coarse, gaps)):
                    inline_negations.append(i)  # "Liver: not enlarged": a short heading answered by what it is not
        if "none" in present or "no" in present:
            # "Seizures: none febrile, tonic or myoclonic", "Seizures: no febrile ...": a heading answered by none of
            # the kinds its list names, read as "Seizures: not febrile, ..." is (each kind with the heading ruled out);
            # "Seizures: none." and "none since March" stay the heading's own answer, the next line its own statement
            for i in _at(forms, _NONE_WORD, 1, n - 1):
                # (not where the answer names a finding itself: "Speech: no words", Absent speech)
                if (_a_headings_mark(gap_texts[i], forms[i]) and _heading_start(i, gaps) >= 0 and forms[i - 1] not in _EEG_WORDS
                        and not (i + 1 < n and tuple(sorted((coarse[i], coarse[i + 1]))) in self._entries)
                        and _heading_answered_not(i, forms, coarse, gaps)):
                    inline_negations.append(i)
        for i in inline_negations:
            ones[i], coarse[i] = None, STOP
            if forms[i - 1] in _DO:  # "the ears do not appear low set": "do" as a copula
                ones[i - 1], coarse[i - 1] = None, STOP
        if "but" in present and "present" in present:
            # "the left thumb is present but short": the statement is what the part is, read past "present but"
            # (only where one word ends the statement: "is present but the radius is absent" is two)
            for i in _at(forms, _PRESENT_WORD, 1, n - 2):
                if (forms[i + 1] == "but" and forms[i - 1] in COPULAS
                        and gaps[i + 1] == GAP_SPACE and gaps[i + 2] == GAP_SPACE and coarse[i + 2] >= 0
                        and (i + 3 == n or gaps[i + 3] != GAP_SPACE or forms[i + 3] in _COORDINATORS)):
                    ones[i], coarse[i] = None, STOP
                    ones[i + 1], coarse[i + 1] = None, STOP
        allowed = None if inheritance_onset else CATEGORY_PHENOTYPE
        numbered = not _NUMBERED_WORDS.isdisjoint(present)
        both_ways = (self._numerals_as_named(forms, ones, coarse, gaps, numbered)
                     if numbered or not _DIGITS.isdisjoint(present) else None)
        candidates = self._phrases(forms, ones, coarse, gaps, skip, allowed)
        if "left" in present and "right" in present:  # "shunting left to right" is no Right-to-left shunt, but
            # the term whose label has the sides the other way round (Left-to-right shunt: the same words' bag)
            sided = []
            for c in candidates:
                if self._sides_reversed(c, forms):
                    swapped = self._sides_swapped(c.term)
                    if swapped is None:
                        continue
                    c = replace(c, term=swapped)
                sided.append(c)
            candidates = sided
        # "renal pelvis" is a pelvis, not a Pelvic kidney (its words fold onto the label's, the other way round)
        candidates = [c for c in candidates if c.last != c.first + 1 or not self._a_part_of_the_head(c, forms, coarse, gaps)]
        if ratios:  # "FEV1/FVC ratio": one measure, neither "reduced FEV1" nor "reduced FVC"
            candidates = [c for c in candidates if not any(c.first <= k <= c.last < k + 2 for k in ratios)]
        if "without" in present:
            said_without, withouts = self._without_participles(forms, ones, coarse, gaps, skip, surfaces, allowed,
                                                               candidates)
            if said_without:
                candidates += said_without
                inline_negations = inline_negations + withouts  # (read as "not": what they span is ruled out)
        if both_ways:
            candidates += self._numerals_read_other_way(both_ways, forms, ones, coarse, gaps, skip, allowed)
        if numbered:  # "stage 1 ROP in zone 2": the stage's 1 is no zone's
            candidates = [c for c in candidates if not _numeral_astray(c, forms, coarse)]
        opens = [i for i in marks if "(" in gap_texts[i]] if "(" in text else []  # words after a "("
        values = _value_brackets(gap_texts, surfaces, coarse, opens) if opens else None
        if "be" in present and "to" in present and not _REPORTED.isdisjoint(present):
            # "the aortic root was found to be dilated": read as "was be dilated", the words of the report skipped
            # as a bracketed value's are (a phrase spans three function words at most; the report adds two)
            reports = _reported_to_be(forms, gaps)
            if reports:
                values = (values or []) + reports
        asides = _contrast_asides(gap_texts, forms, coarse, opens) if opens and "not" in present else None
        if asides:  # "a depressed (but not wide) nasal bridge": the phrase read without its aside, and the aside
            # with the phrase's head (ruled out by its "not", whose reach ends where the bracket closes)
            values = (values or []) + [r for r, _ in asides]
        if values:
            candidates += self._across_values(values, forms, ones, coarse, gaps, skip, allowed)
        if "negative" in present:
            candidates += self._negative_results(forms, ones, coarse, gaps, skip, allowed)
        qualifiers = _qualifier_brackets(gap_texts, gaps, coarse, opens, parts[-1]) if opens else []
        trailing = (_qualifiers_after_commas(gaps, forms, coarse, [i for i in marks if gaps[i] == GAP_COMMA])
                    if "," in text and not _TRAILING_QUALIFIERS.isdisjoint(present) else [])
        qualifiers += trailing
        if qualifiers:
            candidates += self._qualified(qualifiers, forms, ones, coarse, gaps, skip, allowed, candidates)
        if "\t" in text:
            candidates = self._tabs_inside_phrases(gap_texts, forms, ones, coarse, gaps, skip, allowed, candidates)
        if inline_negations:
            # "the liver was not enlarged and the spleen ...": the negated statement ends at the coordinator
            candidates = [c for c in candidates if not _past_negated_statement(c, inline_negations, forms)]
        # "Seizures: not epileptic" answers its heading as "the seizures were not epileptic" does: the mark stands
        # for the copula (only for the opposite reading; "Liver: not enlarged" stays what it was). With the words
        # from which the mark is read as a space: the "not", or a bracket that qualifies the heading before it
        # ("Seizures (sleep): not epileptic"). A mark, not a TAB alone.
        answered = (
            [(_qualifier_opening(gap_texts, i) or i, i) for i in marks if forms[i] in ("not", "never")
             and gaps[i] in (GAP_COMMA, GAP_SENTENCE) and gap_texts[i].strip()
             and _heading_answered(gap_texts, gaps, i)]
            if negating
            else []
        )
        if inline_negations or answered:
            candidates = self._opposite_predicates(
                inline_negations, answered, forms, ones, coarse, gaps, skip, allowed, candidates
            )
        if (not _UNSEEN.isdisjoint(present) or not _PALPATED.isdisjoint(present)) and ("no" in present or "not" in present):
            candidates += self._unseen_structures(forms, ones, coarse, gaps, skip, allowed)
        # the word after a short heading's colon -> the heading's first word ("Teeth: widely spaced")
        headed = {i: first for i in marks if ":" in gap_texts[i] and i > 0 and gap_texts[i].strip() == ":"
                  and (first := _heading_start(i, gaps)) >= 0}
        # "Ears, low-set.", "Forehead, broad.": an examination note's heading set off by a comma, its line no more
        # than the part and what is said of it, is read as the colon's
        comma_headed = {i: first for i in marks if gaps[i] == GAP_COMMA and gap_texts[i].strip() == ","
                        and (first := _heading_start(i, gaps)) >= 0 and ":" not in gap_texts[first]
                        and _said_to_its_end(i, gaps)} if "," in text else {}
        if comma_headed:  # a part, not a list's finding ("No seizures, marked hypotonia."): it names nothing alone
            comma_headed = {i: first for i, first in comma_headed.items()
                            if not any(first <= c.first < i for c in candidates)}
        if headed or comma_headed:
            candidates += self._heading_predicates(headed | comma_headed, forms, ones, coarse, gaps, skip, allowed,
                                                   candidates, abbreviated)
        if not _NORMAL_WORDS.isdisjoint(present):
            # "EEG (yesterday): normal": the heading before its bracket is what the answer is of (its first word in)
            qualified = {i: h for i in marks if gap_texts[i].strip() == "):" and (h := _qualifier_opening(gap_texts, i))
                         and _heading_start(h, gaps) >= 0} if opens else {}
            # ("Hearing, normal.": a comma heading answered as the colon's is)
            normals = self._normal_phrases(forms, coarse, gaps, allowed, headed | comma_headed, qualified)
            if restated:  # "the uvula was normal, not bifid": what it is not says more than its normal
                normals = [c for c in normals if not any(
                    d.first <= c.first and c.last < i <= d.last for d in candidates for i in inline_negations)]
            if "as" in present:
                normals += self._normal_as_were(forms, coarse, gaps, allowed)
            candidates += normals
        if self._poor_concentration is not None and not _CONCENTRATION.isdisjoint(present):
            # "sperm concentration was normal", "plasma zinc concentration": a measured quantity, not the mind's
            candidates = [c for c in candidates if c.term != self._poor_concentration
                          or not _a_measured_concentration(c, forms, gaps, self._stop_forms)]
        chosen = self._resolve(candidates, forms, gaps, coarse, allowed)
        if any(c.twin >= 0 for c in chosen):  # "prolactin was normal": neither raised nor low, over the same words
            chosen += [_Candidate(c.first, c.last, c.twin, c.priority, c.size, normal=True) for c in chosen if c.twin >= 0]
        if "normal" in present and not _DIMENSIONS.keys().isdisjoint(present):
            # (after the choice: both extremes are kept, over the same words)
            dimensions, predicates = self._normal_dimensions(forms, coarse, gaps, allowed)
            if dimensions:  # (what the part's earlier predicate says stays: "the fingers are slender and of ...")
                chosen = [c for c in chosen if c.last in predicates
                          or not any(d.first <= c.first and c.last <= d.last for d in dimensions)]
                chosen += dimensions
        if "present" in present:
            # (after the choice: "the corpus callosum is present" rules out its agenesis over the same words)
            there = self._present_structures(forms, ones, coarse, gaps, skip, allowed)
            if there:
                chosen = [c for c in chosen if not any(d.first <= c.first and c.last <= d.last for d in there)]
                chosen += there
        if inline_negations:
            chosen += self._subjects_of_negated_predicates(chosen, candidates, inline_negations)
        if self.nested:
            chosen += self._nested(chosen, candidates, forms)
        if "with" in present:
            chosen = self._with_its_finding(chosen, forms, ones, coarse, gaps, allowed)
        item_negations: list[int] = []  # "forehead not prominent, not narrow": the second item's own "not"
        subsumed: list[int] = []  # "pain and swelling of both ankles": Pain, read as Ankle pain
        chosen += self._coordinated(forms, coarse, gaps, allowed, chosen, item_negations, subsumed)
        if subsumed:
            chosen = [c for c in chosen if c.coordinated or c.last not in subsumed]
        if item_negations:
            inline_negations = inline_negations + item_negations
        if "and" in present or "or" in present:
            shared = self._shared_both_sides(forms, ones, coarse, gaps, skip, allowed, chosen)
            if shared:  # the shared modifier is the list's, not a finding of its own ("premature atrial and
                # ventricular contractions" is no Premature birth)
                chosen = [c for c in chosen if not any(s.first <= c.first and c.last < s.last for s in shared)]
                chosen += shared
        if "white" in present and any(c.coordinated and c.term in self._cerebral_white_matter for c in chosen):
            chosen = self._white_matter_of_named_places(chosen, forms)
        if "white" in present and not _NOT_CEREBRAL.isdisjoint(present):
            # (after the lists: "cerebellar white matter atrophy" is still read as Cerebellar atrophy)
            chosen = [c for c in chosen if c.term not in self._cerebral_white_matter
                      or not _white_matter_elsewhere(c.first, c.last, forms, gaps)]
        if trailing:  # "Hypotonia, mild, ptosis and microcephaly": "mild" ends the hypotonia item, no list's modifier
            chosen = [c for c in chosen if not any(r.start == c.first and c.last >= r.stop for r in trailing)]
        if values:
            chosen += self._across_values(values, forms, ones, coarse, gaps, skip, allowed, chosen)
        if asides:  # (after the choice: the phrase and its aside share their head)
            chosen += self._denied_in_asides(asides, forms, ones, coarse, gaps, skip, allowed)
        aside_words = {k for r, _ in asides for k in r} if asides else ()
        dashed = [i for i in marks if gap_texts[i].endswith(_VERDICT_DASHES)] if "- " in text or "\u2013 " in text or (
            "\u2014 " in text) else []
        if (opens or dashed) and not _BRACKET_DIRECTION_FORMS.isdisjoint(present):
            directed = _directed_values(gap_texts, surfaces, coarse, opens, parts[-1], dashed)
            if directed:
                chosen += self._bracketed_directions(directed, forms, ones, coarse, gaps, skip, allowed)
        if ("neither" in present or "not" in present) and not _GRADES.isdisjoint(present):
            chosen += self._grades_denied(chosen, forms, coarse, gaps, allowed)
        if len(_GRADES.intersection(present)) > 1:
            chosen += self._grade_ranges(chosen, forms, coarse, gaps, allowed)
        if "range" in present and not _GRADES.isdisjoint(present):
            for c in chosen:  # "intellectual disability in the moderate range": the grade's range is its name's
                if c.last + 1 < n and forms[c.last] in _GRADES and forms[c.last + 1] == "range" and gaps[c.last + 1] == GAP_SPACE:
                    c.last += 1
        if hpo_ids:
            chosen += self._named_by_id(hpo_ids, surfaces, chosen, allowed)
        if self._counted:
            chosen += self._counted_findings(chosen, forms, coarse, gaps, skip)
        cell_counts = self._cell_counts
        for c in chosen:  # (after every reading of a normal: the bracketed "(normal)" of a count's row too)
            if c.normal and c.term in cell_counts and _MORPHOLOGY_WORDS.isdisjoint(forms[c.first : c.last + 1]):
                c.term = cell_counts[c.term]  # "CD3 T cells normal": their count (see _CELL_COUNTS)
        # (the words first: without any of them there is nothing to find, and the test is cheaper than the text's)
        if self._premature is not None and not _BIRTH_FORMS.isdisjoint(present) and any(k in text for k in _BIRTH_KEYS):
            chosen += self._premature_births(forms, gaps, chosen)
        # sentence number of each word: the count of sentence ends up to it
        sentence_ends = [i for i in marks if gaps[i] == GAP_SENTENCE]
        sentence: list[int] = []
        for number, i in enumerate(sentence_ends):
            sentence += [number] * (i - len(sentence))
        sentence += [len(sentence_ends)] * (n - len(sentence))
        years = patient_years(text)  # the patient's age, read once for the note if asked
        measured = self._measured(text, starts, chosen, sentence, split_forms, gap_texts, gaps, years)  # (forms as split)
        for m in measured:
            if not m.normal and any(forms[k] in _VERDICT_NEGATIONS for k in range(m.first + 1, m.last + 1)):
                m.opposite = True  # "speech did not develop normally", "failed to pass the hearing screen": the
                # negation says what it is (measures._NOT_NORMAL), and negates nothing
        if measured and not _VERDICT_NEGATIONS.isdisjoint(present) and any(m.normal for m in measured):
            # "he is not normocephalic", "does not have full power": which extreme, or which way, the words do not
            # say; nothing is read, neither the statement's nor "normal" read over its words ("not normal fetal")
            negated = [m for m in measured if m.normal and _verdict_negated(m.first, m.last, forms, gaps, False) >= 0]
            # "normal fetal movements were not felt": the normal was not there, its abnormality is (where the
            # statement names one); "... were not reported", "a normal hearing test was not done": nothing is said
            unseen = []
            for m in measured:
                if m.normal and not any(m is x for x in negated):
                    end, perceived = _negated_after(m.last, forms, gaps)
                    listed = end < 0  # "normal hearing, normal speech development and normal vision were not seen"
                    if listed:
                        end, perceived = _list_negated_after(m.last, forms, gaps)
                    if end >= 0:
                        (unseen if perceived and sum(o.first == m.first and o.last == m.last for o in measured) == 1
                         else negated).append(m)
                        if listed:
                            m.denied_after = end  # (its span its own words, as the phrase rules read it)
                        else:
                            m.last = end
            if negated or unseen:
                # "did not have normal speech development", "did not have a normal hearing test": where the phrase
                # rules read the statement's own abnormality, present (the term it rules out, or the broader one
                # whose normal rules it out: a failed hearing test does not say which impairment), that reading
                # stands, its span to the statement's end; a statement of two directions, or a list's first item
                # ("a normal hearing test or vision": which of them?), reads nothing
                named = [c for c in chosen if c.opposite and not c.normal and any(
                    c.first <= m.first <= c.last and (c.term == m.term or self._normal_rules_out.get(c.term) == m.term)
                    and sum(o.first == m.first and o.last == m.last for o in measured) == 1
                    and self._alone_or_either(m, forms, coarse, gaps, allowed) for m in negated)]
                for c in named:
                    c.last = max([c.last] + [m.last for m in negated if c.first <= m.first <= c.last])
                chosen = [c for c in chosen if any(c is x for x in named) or not ((c.normal or c.opposite) and any(
                    c.first <= m.last and m.first <= c.last for m in negated + unseen))]
                measured = [m for m in measured if not any(m is x for x in negated)]
                for m in unseen:
                    m.normal, m.opposite = False, True  # (its negation says what it is, and negates nothing)
        if measured:
            # "Ears: normally set", "fetal movements were normal": what the statement rules out, not the abnormality
            # of the organ that "normal" read from its words (Abnormality of the ear, Abnormality of movement)
            stated = [(m.first, m.last) for m in measured if m.normal]
            if stated:
                chosen = [c for c in chosen if not (c.normal and any(c.first <= b and a <= c.last for a, b in stated))]
                # "weight gain satisfactory": a finding named inside the statement's words is what it says normal
                # (no Increased body weight), not a finding of the patient's
                chosen = [c for c in chosen if c.normal or not any(a <= c.first <= c.last <= b for a, b in stated)]
            chosen = [c for c in chosen if not any(m.term == c.term and m.first <= c.first <= c.last <= m.last
                                                   for m in measured)]
            graded = [m for m in measured if m.term in self._severe_grades and not m.normal]
            if graded:
                # "Length -5.6 SD - profoundly short for age": the words in the value's sentence restate the value,
                # whose grade (Severe short stature) says more than their Short stature
                chosen = [c for c in chosen if c.normal or not any(
                    sentence[c.first] == sentence[m.first] and c.term != m.term
                    and self.ontology.is_ancestor(c.term, m.term) for m in graded)]
            found = [m for m in measured if not m.normal]
            if found:
                # "CD4 T cells 15% of lymphocytes (low)": a broader finding read inside a value's own words (its
                # denominator's Lymphopenia) is the value's, which says which one
                chosen = [c for c in chosen if c.normal or not any(
                    m.first <= c.first <= c.last <= m.last and self.ontology.is_ancestor(c.term, m.term)
                    for m in found)]
            chosen += measured
        if self._unable_to_walk is not None and self._unable_to_walk in map(_TERM_OF, chosen):
            # "she doesn't walk yet", "a 3-year-old who cannot walk": late to walk (the milestone, read above), not unable
            to_come = walking_to_come(text, years)
            chosen = [c for c in chosen if c.term != self._unable_to_walk
                      or not any(a < ends[c.last] and starts[c.first] < b for a, b in to_come)]
        if not _LIMB_HEADING_WORDS.isdisjoint(present) and any(c.normal for c in chosen):
            # "Upper limbs - full power", "Arms: reflexes normal": normal there, not everywhere
            chosen = [c for c in chosen if not (c.normal and _under_a_limbs_heading(c.first, forms, gaps, gap_texts))]
        if any(abbreviated):
            expanded = self._abbreviations_in(
                text, surfaces, abbreviated, starts, ends, chosen, allowed, forms, sentence, coarse, gaps
            )
            if expanded and len(_GRADES.intersection(present)) > 1:
                expanded += self._grade_ranges(expanded, forms, coarse, gaps, allowed)  # "mild to moderate ID"
            if expanded and ("neither" in present or "not" in present) and not _GRADES.isdisjoint(present):
                expanded += self._grades_denied(expanded, forms, coarse, gaps, allowed)  # "severe ID, not mild"
            if any(e.last > e.first and forms[e.last] in _GRADES for e in expanded):
                # "ID, severe, and hypotonia": the grade after the abbreviation is its, no modifier of the next item
                chosen = [c for c in chosen if forms[c.first] not in _GRADES
                          or not any(e.first < c.first <= e.last for e in expanded)]
            chosen += expanded
        if measured and self._measure_of.keys() & {m.term for m in measured}:
            # "renal insufficiency (eGFR 38)", "CKD stage 3, eGFR 41": the value measures the finding named
            values = {id(m) for m in measured}
            chosen = [c for c in chosen if not (id(c) in values and c.term in self._measure_of and any(
                o is not c and sentence[o.first] == sentence[c.first] and o.normal == c.normal
                and self.ontology.is_ancestor(self._measure_of[c.term], o.term) for o in chosen))]
        if self._murmurs and not self._murmurs.isdisjoint([c.term for c in chosen]):
            chosen = [c for c in chosen if c.term not in self._murmurs or not _innocent(c, forms, gaps)]
        if not _DISEASE_HEADS.isdisjoint(present):  # "?PTEN hamartoma tumour syndrome": a disease's name, no finding
            chosen = [c for c in chosen if not _inside_a_disease_name(c, surfaces, forms, gaps)]
        if not _NAMED_BY.isdisjoint(present):  # "the epilepsy clinic", "skeletal dysplasia panel": a service or a
            # test, not a finding (nor "Psychiatrist in Intellectual Disability", a job's title)
            chosen = [c for c in chosen if not _inside_a_service_name(c, surfaces, forms, gaps)]
        if not _DIETS.isdisjoint(present):  # "a low-protein diet": the food's, not a blood level
            chosen = [c for c in chosen if not (forms[c.first] in _DIET_WAYS and c.last + 1 < n
                                                and forms[c.last + 1] in _DIETS and gaps[c.last + 1] <= GAP_HYPHEN)]
        if not _SALTS.isdisjoint(present):  # "increase sodium valproate": a drug, the salt's, not a blood level
            chosen = [c for c in chosen if not (c.last + 1 < n and forms[c.last + 1] in _SALTS
                                                and gaps[c.last + 1] <= GAP_HYPHEN)]
        if "organic" in present:  # "urine organic acids (showed ...)": the test, not an organic aciduria
            chosen = [c for c in chosen if tuple(f for f in forms[c.first : c.last + 1] if f) not in _TEST_NAMES]
        if not _OPPOSING_PREFIXES.isdisjoint(present):
            chosen = [c for c in chosen if not _opposed(c, forms, gaps)]
        if not _AIDS.isdisjoint(present):  # "SNHL; wears hearing aids": the aids say no more than the finding named
            aided = [c for c in chosen if forms[c.last] in _AIDS]
            chosen = [c for c in chosen if forms[c.last] not in _AIDS or not any(
                o.term == c.term or self.ontology.is_ancestor(c.term, o.term) for o in chosen if o not in aided)]
        if not _GIVEN_NAMES.isdisjoint(present):  # "Amelia is a 4-year-old girl": the patient, not absent limbs
            chosen = [c for c in chosen if not (c.first == c.last and forms[c.first] in _GIVEN_NAMES
                                                and _names_a_person(c.first, surfaces, forms, gaps))]
        if not _EVERYDAY_WORDS.isdisjoint(present):  # "this fits the diagnosis", "logistic regression"
            chosen = [c for c in chosen if not (c.first == c.last and forms[c.first] in _EVERYDAY_WORDS
                                                and _everyday_sense(c.first, forms, gaps))]
        if self._epileptiform_activity is not None and "epileptic" in present and not _EEG_WORDS.isdisjoint(present):
            # "the EEG was not epileptic" says what the recording showed, not whether the patient has seizures
            for c in chosen:
                if c.first == c.last and forms[c.first] == "epileptic" and _said_of_an_eeg(c.first, forms, gaps, gap_texts):
                    c.term = self._epileptiform_activity
        if len(chosen) > 1:  # "Paroxysmal AF": the same term over the same words, found by two paths, once
            seen: set[tuple[int, int, int]] = set()
            chosen = [c for c in chosen if not ((c.first, c.last, c.term) in seen or seen.add((c.first, c.last, c.term)))]
            if restated:  # "Ears normally placed, not low-set": Low-set ears once, over the whole statement
                longest = {}
                for c in chosen:
                    if c.last > longest.get((c.first, c.term), -1):
                        longest[c.first, c.term] = c.last
                chosen = [c for c in chosen if c.last == longest[c.first, c.term]]
        if self._distal is not None and not _DISTAL_PLACES.isdisjoint(present):
            self._at_distal_places(chosen, forms, coarse, gaps, allowed)
        if self._cns is not None and not _CNS_PLACES.isdisjoint(present):
            self._in_the_cns(chosen, forms, coarse, gaps, gap_texts, marks, allowed)
        if not _SIDES.isdisjoint(present):
            self._one_sided(chosen, forms, coarse, gaps, gap_texts, skip)
        chosen.sort(key=_BY_POSITION)

        if not chosen:
            return []
        # Context: sentences, triggers, then one assessment per finding against its sentence's triggers.
        bounds = [0] + [i for i in sentence_ends if i]  # first word of each sentence
        # per word: a phrase-breaking gap before it (>= GAP_BREAK), a comma before it, a plain space before it
        breaks, comma_before, apart = [False] * n, [False] * n, [True] * n
        for i in marks:
            gap = gaps[i]
            if gap:
                apart[i] = False
                if gap >= GAP_BREAK:
                    breaks[i] = True
                elif gap == GAP_COMMA:
                    comma_before[i] = True
        positions = list(compress(range(n), trigger_t))  # the words that may start a trigger
        if not marked:  # no layout to read (see _layout): only the sentences of findings need their triggers
            with_findings = {sentence[c.first] for c in chosen}
            positions = [i for i in positions if sentence[i] in with_findings]
        triggers = self._triggers.scan(forms, breaks, positions)
        if "increase" in present and "no" in present:
            triggers = self._no_increase_of_an_increase(triggers, chosen, forms)
        named = {c.first for c in chosen if forms[c.first] == "no" and c.last > c.first and c.last + 2 < n
                 and forms[c.last + 1] == "and" and gaps[c.last + 1] == GAP_SPACE}
        if named:  # "No speech and poor eye contact": a name that says "no" states a finding, not a negated list
            # (the "no" alone or ending a longer negation: "she has no speech and poor eye contact")
            triggers = [t for t in triggers if not (t.kind == NEG_PRE and t.end - 1 in named)]
        if "(" in text:  # "ptosis (no), hypotonia (yes)": a bracketed answer is of the finding before it only
            triggers = [t for t in triggers if not (
                t.kind == NEG_PRE and gap_texts[t.start].rstrip().endswith("(")
                and text[ends[t.end - 1] : ends[t.end - 1] + 3].lstrip().startswith(")"))]
        if ("she" in present or "he" in present) and not SEX_WORDS.isdisjoint(present):
            triggers = others_pronouns(forms, triggers)
        if not CHILD_WORDS.isdisjoint(present):  # "her aunt had a child with seizures": the aunt's child
            triggers = relatives_children(forms, triggers)
        by_sentence: dict[int, list] = {}
        asserting: set[int] = set()  # the sentences with a trigger that may assert something (see NEUTRAL_KINDS)
        for t in triggers:
            sid = sentence[t.start]
            by_sentence.setdefault(sid, []).append(t)
            if t.kind not in NEUTRAL_KINDS:
                asserting.add(sid)
        possessive = _Possessive(surfaces)
        # Sentences set apart by the layout: under a heading ("Family history:", "Mother:", "Plan:") or queried ("?ptosis").
        family_at, planned_at, queried_at, negated_at = (
            self._layout(bounds, gap_texts, forms, gaps, sentence, by_sentence, chosen, possessive)
            if marked
            else ({}, {}, {}, {})
        )
        first_word = {sentence[b]: b for b in bounds}
        # word i stands apart from the word before: a plain space, and no chosen phrase runs across ("absent seizures"
        # is read as a negation, not "Absent/hypoplastic thumbs" nor a term nested in "absent thumbs")
        for c in chosen:
            apart[c.first + 1 : c.last + 1] = [False] * (c.last - c.first)
        out: list[ExtractedTerm] = []
        said_in: list[int] = []  # the sentence of each term of out
        sex: str | None | object = _UNREAD  # the patient's, read where a finding HPO splits by sex asks
        # a diagnosis may be named as the patient's ("he has NF2", "diagnosed with NF1"): see _the_patients_diagnosis
        diagnosing = bool(self._disease_names) and ("diagnosed" in split_forms or not _HAVING_WORDS.isdisjoint(
            split_forms) and not _PATIENT_PRONOUNS.isdisjoint(split_forms))
        ids = self.ontology.ids
        labels = self.ontology.labels
        finding_starts = {c.first for c in chosen if not c.normal}  # (a statement of normal is no list item)
        # "(microcephaly, not macrocephaly) and short stature": a trigger inside brackets ends where they close
        bracket_ends = _bracket_ends(triggers, gap_texts, sentence, marks) if ")" in text else None
        if bracket_ends:
            for t in triggers:
                # "IV-1 (Hannah's son, 6) has seizures": a bracket right after a pedigree position says whose line
                # it is; the relative named in it is the subject of what follows, read from the bracket's end
                if t.kind == RELATIVE and t.start in bracket_ends:
                    f = first_word[sentence[t.start]]
                    if f + 2 <= t.start and _pedigree_position(forms, gaps, f, f + 3) and "(" in gap_texts[f + 2]:
                        _said_from(t, bracket_ends.pop(t.start) + 1, by_sentence[sentence[t.start]])
        if ")" in text or "-" in text:
            # "his cousin IV-1 (son of II-2, 6) has seizures": a pedigree position (and its bracket) after the
            # relative names them; what is said of them follows
            for t in triggers:
                k = t.end
                if t.kind == RELATIVE and k + 1 < n and _pedigree_position(forms, gaps, k, k + 3) and sentence[k + 1] == sentence[t.start]:
                    k += 2
                    if k < n and "(" in gap_texts[k]:
                        k = next((m for m in range(k + 1, min(n, k + 12)) if ")" in gap_texts[m]), k)
                    _said_from(t, k, by_sentence[sentence[t.start]])
        # (chosen is not empty here: each set is read, as a generator over chosen would, and tested at C speed)
        if not _OTHER_FLUIDS.isdisjoint(present) or (not _BLOOD_SAMPLES.isdisjoint(present) and not
                self._unspecified_levels().isdisjoint(map(_TERM_OF, chosen))) or not (
                self._csf_level_terms().isdisjoint(map(_TERM_OF, chosen))):
            chosen = self._in_their_specimen(chosen, forms, gaps, gap_texts, sentence)
        for c in chosen:
            sid = sentence[c.first]
            if sid not in asserting:
                a = _NOT_ASSERTED
            else:
                sentence_triggers = by_sentence[sid]
                if bracket_ends:
                    sentence_triggers = [t for t in sentence_triggers if bracket_ends.get(t.start, n) >= c.first]
                if asides:  # the aside's "not" denies its own words, not the phrase read across it
                    sentence_triggers = [t for t in sentence_triggers if not any(
                        c.first < r.start <= t.start < r.stop <= c.last for r, _ in asides)]
                if c.value and not c.normal:
                    # "CSF not sent, glucose 1.8 mmol/L", "no fever, glucose 1.8 mmol/L": a value states itself, no
                    # list item that a negation before a comma reaches
                    sentence_triggers = [t for t in sentence_triggers if not (
                        t.kind == NEG_PRE and t.end <= c.first and any(comma_before[t.end : c.first + 1]))]
                if c.carried >= 0:  # "does not have normal hearing or normal vision": the negation, and the "normal"
                    # it negates, said what the statement is; they exclude nothing after it
                    sentence_triggers = [t for t in sentence_triggers if not (
                        t.kind in (NEG_PRE, NEG_BOTH, NORMAL) and c.carried <= t.start and t.end <= c.first)]
                if c.denied_after >= 0:  # the negation after its list ("normal hearing, ... were not seen")
                    sentence_triggers = [t for t in sentence_triggers if not (
                        t.kind in (NEG_POST, NEG_BOTH) and c.last < t.start and t.end <= c.denied_after + 1)]
                a = assess(c.first, c.last + 1, sentence_triggers, sentence, forms, possessive, comma_before,
                           first_word[sid], apart, finding_starts)
            last = c.last
            while last + 1 < n and not forms[last + 1]:  # a compound's absorbed parts ("pre-auricular")
                last += 1
            start, end = starts[c.first], ends[last]
            if text[end : end + 1] in _AFTER_BRACKETED and text.count("(", start, end) > text.count(")", start, end):
                # "hearing loss (sensorineural)", "Wt 11.2 kg (2%)": the bracket read into the name, closed (with the
                # percent sign of a centile, no word, between)
                closing = _BRACKET_CLOSE.match(text, end)
                if closing is not None:
                    end = closing.end()
            excluded = a.excluded or c.normal or c.first <= negated_at.get(sid, -1) or (
                any(c.first < i < c.last and i not in aside_words for i in inline_negations)
                if inline_negations and not (c.opposite or c.unseen) else False
            )
            family = a.family or sid in family_at
            if family and a.family and _shared_after(last, forms, sentence):
                family = False  # "his mother has short stature, as does he"
            if not family and sid in asserting:
                family = _relatives_alone(c.first, last, by_sentence[sid], first_word[sid], forms, gaps, gap_texts, sentence)
            if not family and last + 1 < n and forms[last + 1] in _BEFORE_A_RELATIVE:
                family = _before_a_relative(c.first, last, forms, gaps, by_sentence.get(sid, ()))
            if not family and c.first and forms[c.first - 1] in _PARENTAL and gaps[c.first] == GAP_SPACE:
                family = True  # "maternal diabetes", "paternal epilepsy": the parent's (a pregnancy's: see below)
            asked = asked_open = False
            queried = False
            if not excluded and "(" in text[end : end + 3]:
                if _NONE_SIGNED.match(text, end) is not None:
                    excluded = True  # "seizures (-)", "ptosis (no)": a bracketed sign or answer of none
                else:
                    queried = _QUERY_SIGNED.match(text, end) is not None  # "hypotonia (?)", "ptosis (query)"
            if not excluded and not _MINUSES.isdisjoint(text[end : end + 4]) and _MINUS_AFTER.match(text, end):
                excluded = True  # "seizures -, ataxia +", "Ptosis: -": a sign of none standing alone
            if (not excluded and c.first and forms[c.first - 1] == "negative" and gaps[c.first] == GAP_SPACE and (
                    forms[last] in _SIGN_WORDS or last + 1 < n and forms[last + 1] in _SIGN_WORDS)):
                excluded = True  # "negative Gowers sign": a sign tested, as "Gowers sign negative" is below
            if last + 1 < n:
                k = last + 1
                if not excluded and (forms[k] == "0" or (forms[k] in _COUNT_LEAD and "0" in forms[k : k + 6])):
                    excluded = _NONE_COUNTED.match(text, end) is not None  # "ptosis (0/5)", "seen in 0 of 5"
                gap = gap_texts[k]
                bracket = "(" in gap  # (most gaps are a space: the tests that look into one are made only when they may hold)
                answer = _past_qualifier(gap_texts, gaps, k) if bracket else k  # "Seizures (sleep): none"
                if (not excluded and forms[k] == "negative" and gaps[k] == GAP_SPACE
                        and (k + 1 == n or gaps[k + 1] >= GAP_COMMA or forms[k + 1] in _SIDES_AFTER)):
                    excluded = True  # "Babinski sign negative", "Gowers sign negative bilaterally": a sign tested
                if (not excluded and forms[answer] in _UNMET_OPENERS and _criteria_unmet(forms, gaps, answer)
                        and _heading_answered(gap_texts, gaps, answer)):
                    excluded = True  # "Autism: does not meet criteria", "ADHD: criteria not met"
                if not excluded and gaps[k] == GAP_SLASH:
                    # "Atonic seizures/drop attacks: none": the answer after the heading's last item is each item's
                    answer = k
                    while answer < n and answer - k < _HEADING_LINE and gaps[answer] in (GAP_SPACE, GAP_SLASH):
                        answer += 1
                    if answer == n or answer - k == _HEADING_LINE:
                        answer = k
                if not excluded and forms[answer] in _ANSWER_WORDS:
                    if _answered_no(gap_texts, forms, gaps, answer):
                        excluded = True
                    elif _answered(gap_texts, forms, gaps, answer, _ANSWERS_UNKNOWN, _NOT_KNOWN):
                        asked_open = True
                if not family and bracket and self._relative_in_brackets(gap_texts, forms, k):
                    family = True
                # "Ptosis?" with no answer after it: asked, not found ("Ptosis? Yes." is found); a heading answered
                # by a query mark ("Ptosis: ?", "Hypotonia: ?mild") as well
                asked = "?" in gap and (gap.lstrip().startswith("?") or _QUERY_ANSWER.match(gap) is not None) and (
                    forms[k] not in _ANSWERS_YES)
            elif text[end:].lstrip().startswith("?") or _QUERY_ANSWER.match(text, end) is not None:
                asked = True
            if asked:  # "What causes his short stature?" takes the finding as given
                k0 = c.first
                while k0 > 0 and sentence[k0 - 1] == sid:
                    k0 -= 1
                asked = forms[k0] not in _WH_WORDS
            uncertain = (c.hedged or a.uncertain or sid in planned_at or c.first <= queried_at.get(sid, -1)
                         or (asked and not excluded) or asked_open or queried)
            if a.uncertain and not excluded and "if" in present and _safety_netting(c.first, forms, sentence,
                                                                                    by_sentence[sid]):
                continue  # "stop if any dizziness", "return if fever": advice for what may come, no finding
            if (excluded or uncertain) and _hereditary_form(c.first, forms_t, gaps):
                # "hereditary elliptocytosis was excluded", "?inherited thrombocytopenia": the heredity is ruled out or
                # queried, not the finding (HPO names Elliptocytosis "hereditary elliptocytosis" too), which the
                # work-up for it has ("spherocytes on the film; hereditary spherocytosis excluded")
                continue
            if (excluded or uncertain or sid in queried_at) and self._disease_names:
                # "?Cat eye syndrome", "neurofibromatosis type 1 was excluded": what is queried or ruled out is the
                # disease, not the finding its name holds (Iris coloboma, Neurofibroma), nor one after the query
                # mark's reach ("?Noonan syndrome with multiple lentigines").
                named_from = _disease_name_start(c.first, last, forms_t, gaps, self._disease_names)
                if named_from >= 0 and (excluded or uncertain or named_from <= queried_at[sid]):
                    continue
            elif (diagnosing and not _DIAGNOSING.isdisjoint(forms_t[max(first_word[sid], c.first - 4) : c.first])
                  and not _hereditary_form(c.first, forms_t, gaps)):
                # "He has neurofibromatosis type 2", "diagnosed with NF1 at 3": the patient's diagnosis names no finding
                # of theirs (NF2 is schwannomas; a child with NF1 may have no neurofibroma yet). Of patients in
                # general ("patients with NF2 had cataracts") the finding is kept, as GSC+ annotates abstracts. A
                # finding's inherited form is the finding with its cause ("he has hereditary spherocytosis", as HPO
                # names Elliptocytosis "hereditary elliptocytosis"; see _hereditary_form above): kept.
                named_from = _disease_name_start(c.first, last, forms_t, gaps, self._disease_names)
                if named_from >= 0 and _the_patients_diagnosis(named_from, forms_t, first_word[sid]):
                    continue
            if excluded and c.single >= 0:
                c.term = c.single  # "no joint contractures": not one, let alone several
            if excluded and c.general >= 0:
                c.term = c.general  # "no ptosis on the left": the finding ruled out as named, not a one-sided kind
            if not family and c.term in self._by_sex:
                # "Infertility" of a woman is HPO's Female infertility, "ambiguous genitalia" of a boy Ambiguous
                # genitalia, male: the finding HPO splits by sex, as the note's patient's (a relative's stays as named)
                if sex is _UNREAD:
                    sex = patient_sex(text)
                c.term = self._by_sex[c.term].get(sex, c.term)
            category = CATEGORY_NAMES[self._category.get(c.term, CATEGORY_PHENOTYPE)]
            if family and c.term in self._prenatal:
                words = forms[first_word[sid] : bisect_right(sentence, sid)]  # (its sentence: words in sentence order)
                if not _PREGNANCY_WORDS.isdisjoint(words) and not _own_birth(words):
                    family = False  # the mother's pregnancy: the patient's prenatal history ("her sister's" stays hers)
            if family and not (excluded or uncertain) and _the_patient_has_not(last, forms, sentence, finding_starts):
                # the patient's exclusion over the same words ("mother has scoliosis but he does not"), before the
                # relative's finding
                out.append(_new_term(ids[c.term], labels[c.term], start, end, text[start:end], True, False, False,
                                     c.broader, category))
                said_in.append(sid)
            out.append(_new_term(ids[c.term], labels[c.term], start, end, text[start:end], excluded, uncertain, family,
                                 c.broader, category))
            said_in.append(sid)
            if not excluded:
                general = c.general if c.general >= 0 else self._unqualified.get(c.term)
                if general is None:
                    general = self._unqualified[c.term] = self._unqualified_term(c.term)
                if general >= 0:  # "bilateral ptosis" says ptosis too, as the writer may have meant it
                    out.append(_new_term(ids[general], labels[general], start, end, text[start:end], excluded,
                                         uncertain, family, True, category))
                    said_in.append(sid)
        if len(out) > 1:
            out = self._without_contradictions(out, said_in, text)
        return with_onsets(text, out)

    def _without_contradictions(self, out: list[ExtractedTerm], said_in: list[int], text: str) -> list[ExtractedTerm]:
        """out less the patient's excluded terms that a present finding beside them implies.

        A patient with febrile seizures has seizures, one with a murmur an abnormal heart sound: "no afebrile
        seizures", "Heart sounds normal, soft systolic murmur" rule out less than the term they read as. In the
        same sentence the term itself too ("profound, not severe, intellectual disability"); in another sentence of
        the paragraph only a broader term ("Limbs: normal. Short 4th metacarpals"): the same term said absent in
        another sentence may be another time ("No microcephaly at birth. Now OFC < 0.4th centile."), as may any in
        another paragraph. A relative's findings are left alone (another relative may be meant).
        """
        excluded = [k for k, t in enumerate(out) if t.excluded and not t.family]
        if not excluded:
            return out
        present = [k for k, t in enumerate(out) if not (t.excluded or t.uncertain or t.family)]
        if not present:
            return out
        paragraphs = [m.end() for m in _BLANK_LINE.finditer(text)]  # where each paragraph after the first starts
        index, ancestors, ids = self.ontology.index, self.ontology.ancestors, self.ontology.ids
        implied_ids = self._implied_ids
        in_sentence: dict[int, set[str]] = {}  # sentence -> the ids its present findings imply (themselves included)
        in_paragraph: dict[int, set[str]] = {}  # paragraph -> the ids its present findings imply (themselves not)
        for k in present:
            t = out[k]
            term = index[t.id]
            implied = implied_ids.get(term)
            if implied is None:  # (read once per term: a walk over numpy integers costs each finding ~1 us per ancestor)
                implied = implied_ids[term] = tuple([ids[a] for a in ancestors(term) if a != term])
            in_sentence.setdefault(said_in[k], set()).update(implied, (t.id,))
            in_paragraph.setdefault(bisect_right(paragraphs, t.start), set()).update(implied)
        dropped = {k for k in excluded if out[k].id in in_sentence.get(said_in[k], ())
                   or out[k].id in in_paragraph.get(bisect_right(paragraphs, out[k].start), ())}
        return [t for k, t in enumerate(out) if k not in dropped] if dropped else out

    def _one_sided(self, chosen: list[_Candidate], forms: list[str], coarse: list[int], gaps: list[int],
                   gap_texts: list[str], skip) -> None:
        """'Left ptosis', 'right-sided cryptorchidism', 'renal agenesis on the left', 'microphthalmia (right)': one
        side named, the finding is HPO's one-sided term where it has one (Unilateral ptosis, ...); the term as named
        is kept in `general` and reported beside it as a broader term. Side words are skippable in names, so
        without this a side would be read past and the more specific term lost. Two sides ("left and right",
        "bilateral", "both") are not one."""
        unilateral = self._vocab.lookup("unilateral")
        if unilateral is None:
            return
        n = len(forms)
        for c in chosen:
            if c.normal or c.broader or c.opposite:
                continue
            span = range(c.first, c.last + 1)
            inside = [k for k in span if forms[k] in _SIDES]
            before = -1 if inside else _side_before(c.first, forms, gaps)
            side = inside[0] if inside else before
            if side < 0:
                side = _side_after(c.last, forms, gaps, gap_texts, n)
            if side < 0 or any(forms[k] in _TWO_SIDES for k in span) or _both_sides(side, forms, gaps):
                continue
            label_words = self.ontology.labels[c.term].casefold().split()
            if "left" in label_words or "right" in label_words:
                continue  # the side is part of the name ("Left ventricular hypertrophy")
            # The words as written first ("left hearing loss": Unilateral deafness's synonym), then the label's
            written = [coarse[k] for k in span if coarse[k] >= 0 and not skip[k]]
            labelled = self._label_classes(c.term) or []
            for classes, used in ((written, [forms[k] for k in span if coarse[k] >= 0 and not skip[k]]), (labelled, None)):
                if not classes:
                    continue
                hit = self._entries.get(tuple(sorted([*classes, unilateral[2]])))
                picked = self._pick(hit, [*used, "unilateral"] if used else None, CATEGORY_PHENOTYPE) if hit else None
                if picked is not None and picked[0] != c.term and self.ontology.is_ancestor(c.term, picked[0]):
                    c.general, c.term = c.term, picked[0]
                    if before >= 0:
                        c.first = before  # the side is part of what the one-sided term names ("left ptosis")
                    break

    def _at_distal_places(self, chosen: list[_Candidate], forms, coarse, gaps, allowed) -> None:
        """'Vibration sense reduced at the toes', 'reduced vibration sense distally': a finding at the ends of the
        limbs is its distal term (Impaired distal vibration sensation) where HPO names one under it: the finding's
        words with "distal" name it. A place with a term of its own ("at the ankles") is read inside the name."""
        n = len(forms)
        for c in chosen:
            k = c.last + 1
            if c.normal or k >= n or gaps[k] != GAP_SPACE:
                continue
            place = k
            if forms[k] in _PLACE_PREPOSITIONS:
                place = k + 1
                if place < n and forms[place] in _ITEM_DETERMINERS and gaps[place] == GAP_SPACE:
                    place += 1
                if place >= n or gaps[place] != GAP_SPACE:
                    continue
            if forms[place] not in (_DISTAL_PLACES if place > k else _DISTALLY):
                continue
            words = [j for j in range(c.first, c.last + 1) if coarse[j] >= 0]
            hit = self._entries.get(tuple(sorted([coarse[j] for j in words] + [self._distal])))
            picked = self._pick(hit, [forms[j] for j in words] + ["distal"], allowed) if hit is not None else None
            if picked is not None and picked[0] != c.term and self.ontology.is_ancestor(c.term, picked[0]):
                c.term, c.last = picked[0], place

    def _in_the_cns(self, chosen: list[_Candidate], forms, coarse, gaps, gap_texts, marks, allowed) -> None:
        """'MRI brain: delayed myelination', 'delayed myelination on MRI': a finding stated of the brain or of its
        imaging is its CNS term (Delayed CNS myelination, not Delayed myelination, which has a peripheral child too)
        where HPO names one under it: the finding's words with "CNS" name it. The statement runs past a heading's
        colon (on the line after it too) and a semicolon ("MRI: thin corpus callosum, delayed myelination; ...") to a
        full stop or a line's end."""
        n = len(forms)
        statement = [0] * n
        number = 0
        ends = [i for i in marks if gaps[i] == GAP_SENTENCE and ":" not in gap_texts[i] and (
            ";" not in gap_texts[i] or "\n" in gap_texts[i] or "\r" in gap_texts[i])]
        last = 0
        for i in ends:
            statement[last:i] = [number] * (i - last)
            number, last = number + 1, i
        statement[last:] = [number] * (n - last)
        said_of = {statement[i] for i, f in enumerate(forms) if f in _CNS_PLACES}
        of_nerves = {statement[i] for i, f in enumerate(forms) if f in _NERVE_PLACES}
        for c in chosen:
            if statement[c.first] not in said_of:
                continue
            words = [coarse[j] for j in range(c.first, c.last + 1) if coarse[j] >= 0]
            if self._cns in words:
                continue
            hit = self._entries.get(tuple(sorted([*words, self._cns])))
            used = [forms[j] for j in range(c.first, c.last + 1) if coarse[j] >= 0] + ["cns"]
            picked = self._pick(hit, used, allowed) if hit is not None else None
            if picked is not None and picked[0] != c.term and (self.ontology.is_ancestor(c.term, picked[0]) or (
                    statement[c.first] not in of_nerves
                    and any(self.ontology.is_ancestor(p, c.term) for p in self._peripheral_nervous_system))):
                # a term under it, or the CNS's where the words read a peripheral term: HPO lists "Demyelination"
                # as a synonym of Peripheral demyelination, but on an MRI it is CNS demyelination
                c.term = picked[0]

    def _unqualified_term(self, term: int) -> int:
        """The parent that term's name holds but for a side or an age ('Bilateral ptosis': Ptosis, 'Feeding
        difficulties in infancy': Feeding difficulties, 'Infantile muscular hypotonia': Hypotonia), or one of a
        few named pairs ('Brisk reflexes': Hyperreflexia); else -1."""
        ontology = self.ontology
        named = _ALSO_GENERAL.get(ontology.ids[term])
        if named is not None:
            return ontology.index.get(named, -1)
        words = set(ontology.labels[term].casefold().replace("-", " ").split())
        if words.isdisjoint(_SIDE_AND_AGE_WORDS):
            return -1
        for parent in ontology.parents(term).tolist():
            parent_words = set(ontology.labels[parent].casefold().replace("-", " ").split())
            if parent_words < words and (words - parent_words) <= _SIDE_AND_AGE_WORDS:
                return parent
        return -1

    def _across_values(self, values: list[range], forms, ones, coarse, gaps, skip, allowed,
                       chosen: list[_Candidate] | None = None, reach: int = MAX_WINDOW) -> list[_Candidate]:
        """'Creatine kinase (12,000 U/L) was raised', 'ALT (2,340 U/L) and AST (3,100 U/L) were raised': the
        names read as if the bracketed values (any words left out: `values`) were not there (with chosen: the lists
        sharing a head, as _coordinated reads them); only those that reach across a bracket are new. Only the words
        within `reach` of a bracket are read again."""
        n = len(forms)
        window: set[int] = set()
        for r in values:
            window.update(range(max(0, r.start - reach), min(n, r.stop + reach)))
        dropped = {k for r in values for k in r}
        kept = sorted(window - dropped)
        at = {k: i for i, k in enumerate(kept)}
        gaps, (forms, ones, coarse, skip) = _compacted(kept, dropped, gaps, forms, ones, coarse, skip)
        if chosen is None:
            found = self._phrases(forms, ones, coarse, gaps, skip, allowed)
        else:
            found = self._coordinated(forms, coarse, gaps, allowed, [
                replace(c, first=at[c.first], last=at[c.last]) for c in chosen if c.first in at and c.last in at])
        out = []
        for c in found:
            c.first, c.last = kept[c.first], kept[c.last]
            if any(c.first < r.start and r.stop <= c.last for r in values):
                out.append(c)
        return out

    def _denied_in_asides(self, asides: list[tuple[range, int]], forms, ones, coarse, gaps, skip,
                          allowed) -> list[_Candidate]:
        """'a depressed (but not wide) nasal bridge': the denied words read with the head after the bracket
        ("wide nasal bridge"); the bracket's "not" rules the finding out."""
        gaps = list(gaps)
        for r, _ in asides:
            gaps[r.stop] = GAP_SPACE
        window = _masked(coarse, ((denied, r.stop + MAX_WINDOW) for r, denied in asides))
        out = []
        for c in self._phrases(forms, ones, window, gaps, skip, allowed):
            if any(denied <= c.first < r.stop <= c.last for r, denied in asides):
                out.append(c)
        # the longest reading of each aside ("wide nasal bridge", not also "wide nose")
        return [c for c in out if not any(o.first == c.first and o.last > c.last for o in out)]

    def _bracketed_directions(self, directed: list[tuple[list[tuple[int, int, int]], int]], forms, ones, coarse,
                              gaps, skip, allowed) -> list[_Candidate]:
        """'Mg 0.5 mmol/L (low)', 'AST 98, ALT 132, ALP 210 U/L (all elevated)': each value's name read with the
        direction in brackets ("low Mg", "elevated ALT"), over the words of the value (the one next to the bracket
        up to the direction: the others' spans stay apart). `directed`: _directed_values'."""
        out = []
        for items, d in directed:
            if forms[d] == "normal":
                for nearest, (first, last, end) in enumerate(items):
                    # (the name's own gaps: the one before it is the list's comma)
                    found = self._abnormal_of(range(first, last + 1),
                                              lambda j, first=first: j > first and gaps[j] > GAP_HYPHEN, coarse, allowed)
                    if found is not None and found[0] == last:  # (the whole name, not a word of it)
                        (term, priority), twin = found[1], found[2]
                        out.append(_Candidate(first, end if nearest else d, term, priority, last - first + 1,
                                              normal=True, twin=twin))
                continue
            for nearest, (first, last, end) in enumerate(items):  # (the one nearest the bracket first)
                kept = [*range(first, last + 1), d]
                sub_gaps, (f, o, c, sk) = _compacted(kept, range(last + 1, d), gaps, forms, ones, coarse, skip)
                sub_gaps[-1] = GAP_SPACE  # (a name without a value right before the bracket: "lactate (raised)")
                found = [x for x in self._phrases(f, o, c, sub_gaps, sk, allowed)
                         if x.last == len(kept) - 1 and x.first < len(kept) - 1]
                best = min(found, key=lambda x: (x.first, -x.size, x.priority), default=None)
                if best is not None:
                    best.first, best.last = kept[best.first], end if nearest else d
                    out.append(best)
        return out

    def _negative_results(self, forms, ones, coarse, gaps, skip, allowed) -> list[_Candidate]:
        """'Antinuclear antibodies were negative', 'negative for GAD antibodies': HPO names the positive result
        ('... antibody positivity'); the name read with "positive" for "negative" is that finding, ruled out. So is
        a sign tested negative where HPO names it only with its result ('Romberg negative', 'negative Romberg':
        Positive Romberg sign): a sign's name and the result alone, the term's label a sign's."""
        n = len(forms)
        results = [k for k in range(n) if forms[k] == "negative"]
        antibodies = {k for k in results if any(forms[j] in _ANTIBODY_WORDS for j in range(max(0, k - 4), min(n, k + 5)))}
        info = self._word_infos["positive"]
        forms, ones, coarse, skip = list(forms), list(ones), list(coarse), list(skip)
        for k in results:
            forms[k], ones[k], coarse[k], skip[k] = info[0], info[1], info[2], info[3]
        window = _masked(coarse, ((k - MAX_WINDOW, k + MAX_WINDOW) for k in results))
        out = []
        labels = self.ontology.labels
        for c in self._phrases(forms, ones, window, gaps, skip, allowed):
            k = next((k for k in results if c.first <= k <= c.last), -1)
            if k >= 0 and (k in antibodies or (k in (c.first, c.last) and _SIGN_LABEL.search(labels[c.term]))):
                c.normal = True
                out.append(c)
        return out

    def _qualified(self, qualifiers: list[range], forms, ones, coarse, gaps, skip, allowed,
                   candidates: list[_Candidate]) -> list[_Candidate]:
        """'Hypotonia (central)', 'seizures (focal)', 'clinodactyly (5th fingers)': a finding and the words of the
        bracket right after it, read as one name where that names a more specific finding."""
        gaps = list(gaps)
        for r in qualifiers:
            for k in r:
                if gaps[k] == GAP_COMMA or k == r.start:
                    gaps[k] = GAP_SPACE
        window = _masked(coarse, ((r.start - MAX_WINDOW, r.stop) for r in qualifiers))  # the words near a bracket
        before = {}  # the last word before each bracket -> the terms of the findings ending there
        for c in candidates:
            before.setdefault(c.last, []).append(c.term)
        out = []
        for c in self._phrases(forms, ones, window, gaps, skip, allowed):
            r = next((r for r in qualifiers if c.first < r.start <= c.last < r.stop), None)
            if r is not None and any(self.ontology.is_ancestor(t, c.term) and t != c.term
                                     for t in before.get(r.start - 1, ())):
                c.last = r.stop - 1  # the whole bracket ("coloboma (iris, bilateral)")
                out.append(c)
        return out

    def _tabs_inside_phrases(self, gap_texts, forms, ones, coarse, gaps, skip, allowed, candidates):
        """A TAB separates two findings ("hypotonia<TAB>seizures"), but inside a phrase pasted from a PDF or a
        justified table ("Intellectual<TAB>disability") it is a space: a TAB after a word that ends no finding of its
        own is read as a space where that lets a phrase run across it."""
        n = len(forms)
        tabbed = [i for i in range(1, n) if gaps[i] == GAP_COMMA and "\t" in gap_texts[i] and gap_texts[i].isspace()]
        if not tabbed:
            return candidates
        lasts = {c.last for c in candidates}
        joined = [i for i in tabbed if i - 1 not in lasts]
        if not joined:
            return candidates
        for i in joined:
            gaps[i] = GAP_SPACE
        across = self._phrases(forms, ones, coarse, gaps, skip, allowed)
        spanned = {i for i in joined if any(c.first < i <= c.last for c in across)}
        for i in joined:
            if i not in spanned:
                gaps[i] = GAP_COMMA
        if not spanned:
            return candidates
        kept = [c for c in across if not any(c.first < i <= c.last and i not in spanned for i in joined)]
        return kept

    def _opposite_predicates(
        self, negations: list[int], answered: list[tuple[int, int]], forms: list[str], ones: list, coarse: list[int],
        gaps: list[int], skip: list, allowed, candidates: list[_Candidate],
    ) -> list[_Candidate]:
        """'The seizures were not epileptic' says the seizures are non-epileptic, not that there are none: where the
        subject and "non" + the predicate name a term together (Non-epileptic seizure), that term is read, present,
        over the statement. Else the statement stays negated ("the liver was not enlarged"). answered: negations
        right after a heading's mark ("Seizures: not epileptic"), read the same with the mark as a space, as (first
        word so read, negation): a bracket that qualifies the heading is read as stopwords ("Seizures (sleep): not
        epileptic")."""
        opposites = {}  # predicate word -> the word info of its "non" form
        for i in negations + [i for _, i in answered]:
            k = i + 1
            if k < len(forms) and gaps[k] == GAP_SPACE and coarse[k] >= 0:
                info = self._word_infos["non" + forms[k]]
                if info[2] >= 0:
                    opposites[k] = info
        if not opposites:
            return candidates
        # Read again only the few words up to each predicate (the rest masked as unknown words, where runs stop), so
        # a long note costs no second full pass; the caller's lists stay as read.
        forms, ones, skip = list(forms), list(ones), list(skip)
        masked = _masked(coarse, ((k - _OPPOSITE_REACH, k) for k in opposites))
        for k, info in opposites.items():  # (after every window: one may reach back over another predicate)
            forms[k], ones[k], masked[k], skip[k] = info[0], info[1], info[2], info[3]
        coarse = masked
        kept = None
        if answered:  # the heading's mark, its bracket and its "not" left out: the heading joins the predicate
            dropped = {k for h, i in answered for k in range(h, i + 1)}
            kept = [k for k in range(len(forms)) if k not in dropped]
            gaps, (forms, ones, coarse, skip) = _compacted(kept, dropped, gaps, forms, ones, coarse, skip)
        # the names that join the subject, before the negation, to the predicate's "non" form
        read = self._phrases(forms, ones, coarse, gaps, skip, allowed)
        if kept is not None:
            for c in read:
                c.first, c.last = kept[c.first], kept[c.last]
        read = [c for c in read if c.last in opposites and c.first < c.last - 1]
        if not read:
            return candidates
        for c in read:
            c.opposite = True
        ends = {c.last for c in read}
        return [c for c in candidates if not (c.last in ends and c.first < c.last - 1)] + read

    def _unseen_structures(self, forms, ones, coarse, gaps, skip, allowed) -> list[_Candidate]:
        """'No stomach bubble was seen', 'the corpus callosum was not visualised', 'left kidney not seen': a scan that
        does not show a part that is normally there reports its absence, an abnormal finding. Read so where "absent"
        and the whole subject name a term that is an absence (Absence of stomach bubble on fetal sonography,
        Agenesis of corpus callosum, Unilateral renal agenesis); a lesion not seen ("no cyst was seen") names no
        such term and stays a negation. Not where the sentence says why the part was not seen ("obscured by bowel
        gas", "post cholecystectomy") nor where an adverb hedges it ("not clearly seen")."""
        n = len(forms)
        absent = self._word_infos["absent"]
        if absent[2] < 0:
            return []
        out = []
        for v in _at(forms, _UNSEEN_OR_PALPATED, 2):
            if gaps[v] != GAP_SPACE:
                continue
            k = v - 1
            if forms[k] in ("be", "been") and gaps[k] == GAP_SPACE:
                k -= 1  # "could not be identified", "has not been seen"
            if forms[k] == "not":  # "the corpus callosum was not visualised", "left kidney not seen"
                at = k
                while at > 0 and forms[at - 1] in _UNSEEN_AUXILIARIES and gaps[at] == GAP_SPACE:
                    at -= 1
                subject = _unseen_subject(at, forms, coarse, gaps)
            else:  # "no stomach bubble (was) seen", "no corpus callosum could be identified"
                at = k + 1
                while at > 0 and forms[at - 1] in _UNSEEN_AUXILIARIES and gaps[at] == GAP_SPACE:
                    at -= 1
                no = next((j for j in range(at - 1, max(-1, at - 6), -1) if forms[j] == "no"), -1)
                if no < 0 or any(gaps[j] != GAP_SPACE for j in range(no + 1, at + 1)):
                    continue
                subject = list(range(no + 1, at))
                if not subject or any(coarse[j] < 0 for j in subject):
                    continue
            if not subject or gaps[at] != GAP_SPACE or _SEEN_FOR_A_REASON.intersection(
                    forms[m] for m in range(v + 1, min(n, v + 12)) if not any(gaps[j] == GAP_SENTENCE for j in range(v + 1, m + 1))):
                continue
            first = subject[0] if forms[k] == "not" else subject[0] - 1
            subject_forms = [forms[j] for j in subject]
            if not _TESTES.isdisjoint(subject_forms) and self._cryptorchidism is not None:
                scrotum = _in_the_scrotum(v, forms, gaps)
                if scrotum > 0:
                    out.append(_Candidate(first, scrotum, self._cryptorchidism, 0, scrotum - first + 1, unseen=True))
                    continue
            if forms[v] in _PALPATED or not _OFTEN_UNSEEN.isdisjoint(subject_forms):
                continue
            c = self._absence_of(subject, absent, forms, ones, coarse, skip, allowed)
            if c is not None:
                out.append(_Candidate(first, v, c.term, c.priority, c.size, unseen=True))
        return out

    def _absence_of(self, subject: list[int], absent, forms, ones, coarse, skip, allowed) -> _Candidate | None:
        """The absence term that the subject's words and "absent" read as one name, its words all in it ("left
        kidney" + absent: Unilateral renal agenesis), or None. A generic head ending the subject adds nothing to the
        part where HPO names it without ("the thyroid gland": Thyroid agenesis; "pituitary gland" as written)."""
        found = self._absence_read(subject, absent, forms, ones, coarse, skip, allowed)
        if found is None and len(subject) > 1 and forms[subject[-1]] in _GENERIC_HEADS:
            found = self._absence_read(subject[:-1], absent, forms, ones, coarse, skip, allowed)
        return found

    def _absence_read(self, subject: list[int], absent, forms, ones, coarse, skip, allowed) -> _Candidate | None:
        words = [forms[j] for j in subject] + [absent[0]]
        read = self._phrases(words, [ones[j] for j in subject] + [absent[1]], [coarse[j] for j in subject] + [absent[2]],
                             [GAP_SPACE] * len(words), [skip[j] for j in subject] + [absent[3]], allowed)
        named_from = next((m for m, j in enumerate(subject) if not skip[j]), 0)  # (a side may open it: "left")
        best = [c for c in read if c.first <= named_from and c.last == len(words) - 1
                and _ABSENCE_LABEL.search(self.ontology.labels[c.term])]
        return max(best, key=lambda c: (c.size, -c.priority)) if best else None

    def _present_structures(self, forms, ones, coarse, gaps, skip, allowed) -> list[_Candidate]:
        """'Both radii present', 'the thumbs are present bilaterally', 'a thyroid gland is present': a part said to be
        there rules out its absence, where the subject and "absent" read as one name of an absence term (Absent
        radius, Absent thumb, Thyroid agenesis), as _unseen_structures reads a part not seen. Not where "present"
        is a verb ("patients present with seizures"), goes on to what the part is ("present but short") or is
        negated ("no thumb was present", "not present")."""
        n = len(forms)
        absent = self._word_infos["absent"]
        if absent[2] < 0:
            return []
        out = []
        for v in _at(forms, _PRESENT_WORD, 1):
            if gaps[v] != GAP_SPACE:
                continue
            if v + 1 < n and gaps[v + 1] == GAP_SPACE and forms[v + 1] in _PRESENT_AS_A_VERB:
                continue
            at = v
            while at > 0 and gaps[at] == GAP_SPACE and forms[at - 1] in _PRESENT_AUXILIARIES:
                at -= 1  # "are (both) present"
            subject = _unseen_subject(at, forms, coarse, gaps)
            if not subject or gaps[at] != GAP_SPACE or any(forms[j] in _VERDICT_NEGATIONS for j in range(at, v)):
                continue
            before = subject[0] - 1
            if before >= 0 and forms[before] in _UNSEEN_DETERMINERS and gaps[subject[0]] == GAP_SPACE:
                before -= 1
            if before >= 0 and gaps[before + 1] == GAP_SPACE and forms[before] in _VERDICT_NEGATIONS:
                continue  # "no thumb present"
            c = self._absence_of(subject, absent, forms, ones, coarse, skip, allowed)
            if c is None:
                continue
            term = c.term
            if self._is_plural(forms[subject[-1]]):
                # "teeth present": some of a set may still be missing; only the absence of the whole set is ruled out
                term = self._whole_set_absence(term)
                if term < 0:
                    continue
            out.append(_Candidate(subject[0], v, term, c.priority, v - subject[0] + 1, normal=True))
        return out

    def _whole_set_absence(self, term: int) -> int:
        """For an absence term read from a plural part, the term that the whole set is absent where HPO names one
        ("Missing all teeth": Anodontia, under Tooth agenesis): that term if it is term's own or below it, -1 where
        term is one of its partial siblings (Selective tooth agenesis), else term (Absent radius: no such set)."""
        if self._whole_sets is None:
            whole: set[int] = set()
            with contextlib.suppress(sqlite3.Error):  # a KB without synonyms: labels only
                rows = self.ontology.db.execute("SELECT term_id, synonym FROM synonyms WHERE scope != 'BROAD'")
                for term_id, name in rows:
                    if " all " in f" {name.lower()} " and _ABSENCE_LABEL.search(name):
                        idx = self.ontology.resolve(term_id).index
                        if idx is not None:
                            whole.add(idx)
            whole.update(i for i, label in enumerate(self.ontology.labels)
                         if " all " in f" {label.lower()} " and _ABSENCE_LABEL.search(label))
            self._whole_sets = frozenset(whole)
        if not self._whole_sets:
            return term
        below = [w for w in self._whole_sets if w == term or self.ontology.is_ancestor(term, w)]
        if below:
            return below[0]
        if any(self.ontology.is_ancestor(p, w) for p in self.ontology.parents(term) for w in self._whole_sets):
            return -1
        return term

    def _in_their_specimen(self, chosen: list[_Candidate], forms, gaps, gap_texts, sentence) -> list[_Candidate]:
        """Findings of the blood read from an analyte measured in urine or CSF: the specimen's own term where HPO has
        one ("Urine organic acids: increased glutaric acid" is Glutaric aciduria, "CSF glycine raised" Increased CSF
        glycine concentration), else none ("CSF glutamine was low" is no hypoglutaminemia). The specimen is the word
        right before the analyte, or the nearest one before it in its sentence that a colon or a reporting verb
        hands on ("Urine organic acid analysis showed ..."); a blood sample nearer keeps the blood's term. A urine
        level read without its specimen (dictionary.unspecified_specimen_levels) is none where another is named
        ("plasma 3-hydroxyglutarate was raised": HPO names no blood level of it). A CSF level read without the CSF
        word (dictionary.csf_levels: "low HVA") is kept only where the CSF is named before it as above, or after
        it in its clause ("Low 5-HIAA and HVA in CSF"), which also names a blood finding's specimen. A later item
        of a list takes the specimen its first item names ("CSF glycine and serine were raised", "CSF HVA and
        5-HIAA were normal"). A blood level stated normal without a direction ("CSF: glycine normal": Abnormal
        circulating glycine concentration) rules out the specimen's raised and low levels."""
        out = []
        for c in chosen:
            blood = self._is_blood_finding(c.term)
            csf = not blood and c.term in self._csf_level_terms()
            if not blood and not csf and c.term not in self._unspecified_levels():
                out.append(c)
                continue
            specimen = None
            named = {SPECIMENS[forms[k]] for k in range(c.first, c.last + 1) if forms[k] in SPECIMENS}
            if any(forms[k].endswith("orrhachia") for k in range(c.first, c.last + 1)):
                named.add("csf")  # its specimen in its word: "Hypoglycorrhachia"
            if not blood and named:
                if ("csf" if csf else "urine") in named:
                    out.append(c)  # its specimen named in its words: "high urinary magnesium", "low CSF HVA"
                continue  # another's: "normal plasma lactate" rules out no low CSF lactate
            if c.first and forms[c.first - 1] in SPECIMENS:
                specimen = SPECIMENS[forms[c.first - 1]]
            else:
                handed = False
                for k in range(c.first - 1, max(-1, c.first - _LEAD_IN_REACH), -1):
                    gap = gap_texts[k + 1]
                    if ";" in gap or (sentence[k] != sentence[k + 1] and ":" not in gap):
                        break  # a clause or sentence of its own (a heading's colon hands its specimen on)
                    handed = handed or ":" in gap or forms[k + 1] in _REPORTING
                    if forms[k] in SPECIMENS:
                        specimen = SPECIMENS[forms[k]] if handed else None
                        break
            if specimen is None:
                specimen = _specimen_of_the_list(c.first, forms, gaps)
            # (not for a word naming its specimen itself: "Hypoglycemia and raised lactate in CSF", "Leukocytosis")
            if specimen is None and not any(forms[k] in SPECIMENS or SPECIMEN_WORD.search(forms[k])
                                            or _BLOOD_COUNT_WORD.search(forms[k]) for k in range(c.first, c.last + 1)):
                specimen = self._specimen_after(c.last, forms, gap_texts, sentence)  # ("low HVA in CSF")
            if csf:
                if specimen == "csf":
                    out.append(c)
                continue
            if not blood:
                if specimen in (None, "urine"):
                    out.append(c)
                continue
            if specimen is None or specimen == "blood":
                out.append(c)
                continue
            if c.term in self._counts_by_specimen:
                term = self._counts_by_specimen[c.term].get(specimen)
                if term is not None:
                    c.term = term
                    out.append(c)
                continue
            _, direction, analyte = self._specimen_key(c.term)
            term = self._specimen_terms().get((specimen, direction, analyte))
            if term is not None:
                c.term = term
                out.append(c)
            elif c.normal and not direction:  # "CSF: glycine normal": neither raised nor low there
                analyte = level_key(self.ontology.labels[c.term].removeprefix("Abnormal "))[2]
                either = [t for way in ("up", "down") if (t := self._specimen_terms().get((specimen, way, analyte)))]
                out += [replace(c, term=t) for t in either]
        return out

    @staticmethod
    def _specimen_after(last: int, forms, gap_texts, sentence) -> str | None:
        """The specimen "in" names after a finding in its clause, past a list of analytes ("low 5-HIAA and HVA in
        CSF", "raised glycine and serine in the cerebrospinal fluid"), else None."""
        for k in range(last + 1, min(len(forms), last + _LEAD_IN_REACH)):
            gap = gap_texts[k]
            if sentence[k] != sentence[last] or ";" in gap or "(" in gap:
                return None
            if forms[k] in SPECIMENS:
                named_in = forms[k - 1] == "in" or (forms[k - 1] == "the" and forms[k - 2] == "in")
                return SPECIMENS[forms[k]] if named_in else None
        return None

    def _csf_level_terms(self) -> frozenset[int]:
        """The CSF levels the dictionary reads without the CSF word (read when a note first asks)."""
        if self._csf_levels is None:
            self._csf_levels = csf_levels(self.ontology)
        return self._csf_levels

    def _specimen_key(self, term: int) -> tuple[str, str, str]:
        """(specimen, direction, analyte) of a laboratory finding: see dictionary.level_key."""
        return level_key(self.ontology.labels[term])

    def _specimen_terms(self) -> dict[tuple[str, str, str], int]:
        """(specimen, direction, analyte) -> the term, for the laboratory findings of urine and CSF (built when a
        note first asks: see _in_their_specimen). Where several terms share a key the first (lowest index) stays."""
        if self._specimen_index is None:
            index: dict[tuple[str, str, str], int] = {}
            for i, label in enumerate(self.ontology.labels):
                if self.ontology.obsolete[i] or not SPECIMEN_WORD.search(label.casefold()):
                    continue
                key = self._specimen_key(i)
                if key[0] in ("urine", "csf") and key[1] and key[2]:
                    index.setdefault(key, i)
            self._specimen_index = index
        return self._specimen_index

    def _unspecified_levels(self) -> frozenset[int]:
        """The urine levels the dictionary reads without their specimen (read when a note first asks, ~50 ms)."""
        if self._unspecified is None:
            self._unspecified = unspecified_specimen_levels(self.ontology)
        return self._unspecified

    def _is_blood_finding(self, term: int) -> bool:
        """A finding of the blood: 'circulating', 'blood', 'serum' or 'plasma' in its label, or an '-emia'."""
        if self._blood_findings is None:
            self._blood_findings = frozenset(i for i, label in enumerate(self.ontology.labels) if _BLOOD_LABEL.search(label))
        return term in self._blood_findings or term in self._counts_by_specimen

    def _heading_predicates(
        self, headed: dict[int, int], forms: list[str], ones: list, coarse: list[int], gaps: list[int], skip: list,
        allowed, candidates: list[_Candidate], abbreviated: Sequence[bool] = (),
    ) -> list[_Candidate]:
        """'Teeth: widely spaced', 'Ears: low set': a heading of one or two words that names a part, answered by
        what is said of it after the colon, as 'the teeth are widely spaced' is. The words up to a few after each
        such colon are read again with the colon as a space; a name found across it is kept where the words after
        the colon do not name the same term by themselves."""
        gaps = list(gaps)
        masked = _masked(coarse, ((first, i + _OPPOSITE_REACH) for i, first in headed.items()))
        for i in headed:
            gaps[i] = GAP_SPACE
        read = [c for c in self._phrases(forms, ones, masked, gaps, skip, allowed)
                if any(c.first < i <= c.last for i in headed)]
        if not read:
            return []
        inside = {(c.term, c.last) for c in candidates}
        # and not where the words after the colon begin a longer name of their own ("Face: narrow nose"), nor where
        # the answer is a "no" that negates the finding after it ("Speech: no dysarthria" is no "no speech"), nor
        # where its last word qualifies a name right after it ("Cardiac: small perimembranous VSD": the VSD is small)
        longest_from = _furthest_ends(candidates)
        return [c for c in read if (c.term, c.last) not in inside
                and not any(longest_from.get(k, -1) > c.last for i in headed if c.first < i <= c.last
                            for k in range(i, c.last + 1))
                and not (forms[c.last] == "no" and c.last + 1 in longest_from)
                and not _qualifies_next(c.last, forms, gaps, longest_from, abbreviated, self._stop_forms)]

    # ------------------------------------------------------------------------------------------- layout

    @staticmethod
    def _join_wrapped_lines(
        text: str, gap_texts: list[str], surfaces: list[str], starts: list[int], gaps: list[int], marked
    ) -> None:
        """A line break inside wrapped prose is read as a space (or as the comma before it): the next line goes on
        in lower case, and the line is long, or ends with a comma or a word that cannot end a sentence ("No
        seizures,\nhypotonia or microcephaly", "hypotonia and\nmicrocephaly"). A hyphen that ends a line inside a
        word, as text pasted from a PDF keeps it ("hypo-\ntonia"), joins its halves as a hyphen inside a line does."""
        for i in marked:
            gap = gap_texts[i]
            if not surfaces[i][:1].islower() or line_breaks(gap) != 1:
                continue
            rest = "".join(c for c in gap if not c.isspace())
            if rest in _LINE_END_HYPHENS and gap[0] == rest:
                gaps[i] = GAP_HYPHEN
                continue
            if rest not in ("", ","):
                continue
            gap_start = starts[i] - len(gap)
            line_start = max(text.rfind(c, 0, gap_start) for c in "\n\r\u2028\u2029\x0b\x0c\x85") + 1
            before = surfaces[i - 1].lower() if i else ""
            if gap_start - line_start >= WRAPPED_LINE or rest == "," or before in _GOES_ON:
                gaps[i] = GAP_COMMA if rest else GAP_SPACE

    def _layout(self, bounds, gap_texts, forms, gaps, sentence, by_sentence, chosen, possessive):
        """Sentences that the layout sets apart: ({sentence: True} under a family heading, the same under a plan
        heading, {sentence: last word} for a query mark before a sentence ('?ptosis', '? seizures'), {sentence:
        the sentence's length} under a negating heading ('Ruled out: cardiomyopathy.')).

        A heading is a sentence of a few words ending in a colon. "Family history:" and "Plan:" on a line of their
        own hold until a blank line or the next heading; with text after them on their line, to the end of the
        line ("Plan:") or of the sentence ("Family history: epilepsy; deafness.", "Ruled out: HCM." - a full
        stop, not a semicolon).
        A family section also ends at a sentence about the patient ("he", "the patient") and after a sentence
        naming no finding ("Family history: unremarkable."). "Mother: epilepsy." holds for one sentence.
        """
        family: dict[int, bool] = {}
        planned: dict[int, bool] = {}
        queried: dict[int, int] = {}
        negated: dict[int, int] = {}
        n = len(forms)
        spans = [(b, bounds[k + 1] if k + 1 < len(bounds) else n) for k, b in enumerate(bounds)]
        with_findings = {sentence[c.first] for c in chosen}
        section = None  # "family" / "plan" / "negated"
        heading_sid = -1  # the sentence of the section's heading
        section_inline = False  # the heading had text after it on its line: the section ends with the line
        label_next = False  # "Mother:": the next sentence is hers
        label_line = False  # "II-1 (mother):": a pedigree's line is hers to its end
        for first, end in spans:
            sid = sentence[first]
            gap = gap_texts[first]
            if label_line and line_breaks(gap):
                label_line = False
            mark = gap.rstrip()
            if mark.endswith("?") and (len(mark) >= 2 or first == 0):
                queried[sid] = min(end - 1, first + 2)
            if section is not None and first > 0:
                breaks = line_breaks(gap)
                if breaks >= 2 or (
                    section_inline and (breaks or (section in ("family", "negated") and _FULL_STOP & set(gap)))
                ):
                    section = None
            after = gap_texts[end] if end < n else ""
            pedigree = _pedigree_position(forms, gaps, first, end)
            if ":" in after and (end - first - pedigree <= MAX_HEADING or (
                    end - first <= MAX_LONG_HEADING and " ".join(forms[first:end]) in _NEGATED_LONG_HEADINGS)):
                # "Hannah's son:", "IV-1 (Hannah's son, 6):": someone's relative (the name is no word of the heading)
                kind = self._heading([forms[i] for i in range(first, end) if not (
                    i + 1 < end and forms[i + 1] in _RELATIVE_WORDS and possessive[i])])
                label_line = False
                if kind == "relative":
                    if line_breaks(after):
                        section, section_inline = "family", False
                    else:
                        label_next, label_line = True, bool(pedigree)
                elif kind is not None:
                    section, section_inline, heading_sid = kind, not line_breaks(after), sid
                else:
                    section = None
                continue
            if label_line and not label_next and any(
                    t.kind == PATIENT and not possessive[t.end - 1] for t in by_sentence.get(sid, ())):
                label_line = False  # "II-1 (mother): epilepsy. The patient has ptosis."
            if label_next or label_line:
                label_next = False
                family[sid] = True
                continue
            if section == "family":
                if any(t.kind == PATIENT and not possessive[t.end - 1] for t in by_sentence.get(sid, ())):
                    section = None
                    continue
                family[sid] = True
                if sid not in with_findings:
                    section = None
            elif section == "plan":
                planned[sid] = True
            elif section == "negated":
                # "Negative:\nseizures, ataxia\nHe has hypotonia.": an own-line heading negates the list lines under
                # it, not a statement about the patient or with a verb of its own ("On examination he has ptosis")
                # it, not a statement about the patient or with a verb of its own ("On examination he has ptosis");
                # so does an inline heading after its first sentence ("Ruled out: Marfan syndrome; he has tall stature.")
                if (not section_inline or sid > heading_sid + 1) and any(
                    t.kind == VERB or (t.kind == PATIENT and not possessive[t.end - 1]) for t in by_sentence.get(sid, ())
                ):
                    section = None
                    continue
                negated[sid] = n
        return family, planned, queried, negated

    def _relative_in_brackets(self, gap_texts: list[str], forms: list[str], k: int) -> bool:
        """'Epilepsy (mother)', 'Scoliosis (maternal aunt)': the relative named in brackets right after the finding."""
        if not gap_texts[k].rstrip().endswith("("):
            return False
        for m in range(k, min(len(forms), k + MAX_HEADING)):
            if m > k and gap_texts[m].strip():
                return False  # punctuation inside: not a bracketed name
            if m + 1 == len(forms) or gap_texts[m + 1].lstrip().startswith(")"):
                return self._heading(forms[k : m + 1]) == "relative"
        return False

    @staticmethod
    def _heading(words: list[str]) -> str | None:
        """'family' / 'plan' / 'negated' / 'relative' for a heading that says so, else None."""
        joined = " ".join(w for w in words if w)
        if joined in _NEGATED_HEADINGS or joined in _NEGATED_LONG_HEADINGS or joined.endswith(_NEGATED_HEADING_ENDS):
            return "negated"
        if joined in _FAMILY_HEADINGS:
            return "family"
        if joined in _PLAN_HEADINGS:
            return "plan"
        # (a pedigree's generation numeral is no word of the name: "II-1 (mother, 58):", "Brother (III-2):")
        rest = [w for w in words if w and w not in _KIN_WORDS and not w.isdigit() and w not in _ROMAN]
        # "Mother:", "Maternal aunt:", and a relative's relative: "Mother's sister:", "Maternal aunt's child:"
        if rest and rest[0] in _RELATIVE_WORDS and all(w in _RELATIVE_WORDS or w == "child" for w in rest[1:]):
            return "relative"
        return None

    # ------------------------------------------------------------------------------------------- words

    def _word_info(self, surface: str) -> tuple[str, list | None, int, bool, bool, bool, str]:
        """What the extractor needs of a word, computed once per distinct word: (form, the entry of the one-word
        names it is or None, coarse class, is a degree/side modifier, may start a context trigger, looks like an
        abbreviation, combining form when some dictionary word starts with it: 'ocular' -> 'oculo', else '')."""
        form = word_form(surface)
        trigger = self._triggers.starts(form)
        abbreviated = not surface[1:].islower() and _looks_abbreviated(surface)
        if form in self._stop_forms:
            return form, None, STOP, False, trigger, abbreviated, ""
        combining = self._combining_form(form)
        found = self._vocab.lookup(form)
        if found is None:
            return form, None, UNKNOWN, False, trigger, abbreviated, combining
        return form, self._one_word_entry(found), found[2], form in self._skip_forms, trigger, abbreviated, combining

    def _one_word_entry(self, found: tuple[int, int, int]):
        """The dictionary entry of the one-word names a word of classes `found` names (keyed apart, on the word's
        closer, medium class: see single_key), or None."""
        return self._one_word.get(-1 - found[1]) if found[1] >= 0 else None

    def _combining_form(self, form: str) -> str:
        if len(form) < 5 or not form.endswith(_COMBINING_ENDINGS):
            return ""
        stem = form[:-2] + "o"
        words = self._sorted_forms
        k = bisect_left(words, stem)
        return stem if k < len(words) and words[k].startswith(stem) else ""

    def _join_combining(self, forms, ones, coarse, gaps, combining) -> bool:
        """'ocular motor' -> 'oculomotor', 'cerebral spinal' -> 'cerebrospinal': an organ adjective written apart
        from the word it forms a compound with is read as the compound when the dictionary knows it. True when
        some words were joined."""
        joined = False
        n = len(forms)
        lookup = self._vocab.lookup
        for i in compress(range(n - 1), combining):  # the words with a combining form
            stem = combining[i]
            if gaps[i + 1] > GAP_HYPHEN or not forms[i + 1] or not forms[i]:
                continue
            found = lookup(stem + forms[i + 1])
            if found is None or found[0] < 0:  # only a real word (or its inflection), not a loose derivation
                continue
            if self._name_goes_on(i, forms, coarse, gaps):
                continue  # "renal tubular acidosis": the words apart go on into a name (not "renotubular")
            forms[i] = stem + forms[i + 1]
            ones[i] = self._one_word_entry(found)
            coarse[i] = found[2]
            forms[i + 1] = ""
            ones[i + 1], coarse[i + 1] = None, STOP  # absorbed: skipped like a stopword
            joined = True
        return joined

    def _hanging_prefixes(self, gap_texts, forms, ones, coarse, gaps, marks) -> bool:
        """'Micro- or macrocephaly', 'hypo- and hypertelorism', 'pre- and postnatal growth retardation': a prefix
        left hanging before a coordinator is the coordinated word with the prefix in place of its own, where the
        dictionary knows that word as a real word ("microcephaly"); the two are then read as a list. True when some
        prefix was read so."""
        n = len(forms)
        lookup = self._vocab.lookup
        expanded = False
        for i in marks:  # i: the coordinator after the "- " (a spaced dash reads as a comma)
            k = i - 1
            if (k < 0 or i + 1 >= n or gaps[i] != GAP_COMMA or gap_texts[i][:1] not in _HANGING_HYPHENS
                    or not gap_texts[i][1:].isspace() or forms[i] not in _COORDINATORS or gaps[i + 1] != GAP_SPACE):
                continue
            prefix, word = forms[k], forms[i + 1]
            if not (1 < len(prefix) <= _MAX_HANGING_PREFIX and prefix.isalpha()) or coarse[i + 1] < 0:
                continue
            # the word's own prefix is the shortest start that leaves a stem the hanging prefix makes a word of
            for cut in range(2, min(len(word) - 3, _MAX_HANGING_PREFIX + 1)):
                found = lookup(prefix + word[cut:])
                if found is not None and found[0] >= 0:
                    forms[k] = prefix + word[cut:]
                    ones[k], coarse[k] = self._one_word_entry(found), found[2]
                    gaps[i] = GAP_SPACE  # "microcephaly or macrocephaly": a list, not a break
                    expanded = True
                    break
        return expanded

    def _plural(self, form: str) -> bool:
        """A plural noun: the form less its "s" is a word of the dictionary ("knees", not "lens")."""
        return len(form) > 3 and form.endswith("s") and not form.endswith("ss") and (
            found := self._vocab.lookup(form[:-1])) is not None and found[0] >= 0

    def _name_goes_on(self, i: int, forms, coarse, gaps) -> bool:
        """Words i and i + 1 as written, with the word before or up to three after them in the same phrase, are a
        name of the dictionary."""
        n = len(forms)
        entries = self._entries
        for first in (i - 1, i):
            if first < 0 or coarse[first] < 0 or (first < i and gaps[i] != GAP_SPACE):
                continue
            classes = [coarse[k] for k in range(first, i + 2)]
            for j in range(i + 2, min(n, i + 5)):
                if gaps[j] != GAP_SPACE or coarse[j] == -1 or not forms[j]:
                    break
                if coarse[j] == STOP:
                    continue
                classes.append(coarse[j])
                if entries.get(tuple(sorted(classes))) is not None:
                    return True
        return False

    def _join_hyphenated(self, forms, ones, coarse, gaps, hyphens: list[int]) -> bool:
        """'pre-auricular' -> one word 'preauricular' when the dictionary knows it (first part keeps the class).
        hyphens: the words with a hyphen before them, in order. True when some words were joined."""
        any_joined = False
        n = len(forms)
        after = 0  # words before this one are part of a compound already tried
        for h in hyphens:  # each hyphen: the word before it starts a compound
            i = h - 1
            if i < after:
                continue
            j = i + 1
            while j + 1 < n and j - i < 3 and gaps[j + 1] == GAP_HYPHEN:
                j += 1
            for k in range(j, i, -1):
                joined = "".join(forms[i : k + 1])
                found = self._vocab.lookup(joined)
                if found is not None:
                    forms[i] = joined
                    ones[i] = self._one_word_entry(found)
                    coarse[i] = found[2]
                    for m in range(i + 1, k + 1):
                        forms[m] = ""
                        ones[m], coarse[m] = None, STOP  # absorbed: skipped like a stopword
                    any_joined = True
                    break
            after = j + 1
        return any_joined

    def _remain_as_copula(self, forms, ones, coarse, gaps) -> None:
        """'Lactate remained persistently raised': "remain" links a finding's parts as "was" does, so it is read as a
        stopword, as a copula is; where it is a word of a name with the words on both sides of it ("the anterior
        fontanelle remains open") it stays that name's word."""
        pairs, base = self._pairs, self._base
        n = len(forms)

        def paired(a: int, b: int) -> bool:
            ca, cb = coarse[a], coarse[b]
            return ca >= 0 and cb >= 0 and gaps[b] <= GAP_HYPHEN and (ca * base + cb if ca <= cb else cb * base + ca) in pairs

        for i in range(n):
            if forms[i] in _REMAIN and not (0 < i < n - 1 and paired(i - 1, i) and paired(i, i + 1)):
                ones[i], coarse[i] = None, STOP

    def _not_able_as_unable(self, forms, ones, coarse, gaps) -> None:
        """'He has never been able to walk', 'she was not able to sit': "not/never (been) able to" says "unable to",
        which names the inability ("unable to walk": Inability to walk) rather than negating a finding. The negation
        is read as "unable" and "able" as a stopword."""
        unable = self._word_infos["unable"]
        if unable[2] < 0:
            return
        n = len(forms)
        for i in range(n - 2):
            if forms[i] not in ("not", "never"):
                continue
            k = i + 1
            if forms[k] == "been" and gaps[k] == GAP_SPACE:
                k += 1
            if (k + 1 < n and forms[k] == "able" and forms[k + 1] == "to" and gaps[k] == GAP_SPACE
                    and gaps[k + 1] == GAP_SPACE):
                forms[i], ones[i], coarse[i] = unable[0], unable[1], unable[2]
                ones[k], coarse[k] = None, STOP

    def _recurrent_infections(self, forms, ones, coarse, gaps) -> None:
        """'repeated chest infections', 'catches viral infections very frequently': infections said to come often,
        before the noun or as an adverb after it (a degree word between allowed), are HPO's 'Recurrent ...
        infections'; the word is read as "recurrent" (HPO writes "Frequent" for only a few of them)."""
        recurrent = self._word_infos["recurrent"]
        if recurrent[2] < 0:
            return
        n = len(forms)
        for i in _at(forms, _AS_RECURRENT):
            after = i > 0 and gaps[i] == GAP_SPACE and (forms[i - 1] in _INFECTION_WORDS or (
                i > 1 and forms[i - 1] in _DEGREE_ADVERBS and gaps[i - 1] == GAP_SPACE and forms[i - 2] in _INFECTION_WORDS))
            before = False
            for j in range(i + 1, min(n, i + _INFECTION_REACH + 1)):
                if gaps[j] > GAP_HYPHEN:
                    break
                if forms[j] in _INFECTION_WORDS:
                    before = True
                    break
            if after or before:
                ones[i], coarse[i] = None, recurrent[2]

    def _finding_as_a_verb(self, forms, coarse, gaps) -> None:
        """'the fingers taper', 'her tibia bows': a finding HPO names by a participle (Tapered finger) said as its
        verb, with the part as the verb's subject just before it, is read as the participle. Only after a part
        the dictionary knows: "she tapers the dose" has a person for its subject, and names nothing."""
        verbs = self._verbs_of_participles
        for i in _at(forms, verbs.keys(), 1):
            participle = verbs[forms[i]]
            subject = i - 1 - (i > 1 and coarse[i - 1] == STOP and forms[i - 1] in _RELATIVES)  # "fingers that taper"
            if participle is not None and gaps[i] == GAP_SPACE and coarse[subject] >= 0 and coarse[i] == UNKNOWN:
                coarse[i] = participle  # (no one-word name: "taper" alone is no finding)

    def _fibres_of_a_muscle_biopsy(self, forms, ones, coarse, gaps) -> None:
        """'Muscle biopsy: angulated fibres, type 1 fibre predominance': a muscle biopsy's report leaves out the
        "muscle" of HPO's names (Angulated muscle fibers), so its bare "fibres" are read as "myofibres", the word the
        dictionary gives those names (dictionary.as_myofibres). The biopsy's tissue is the nearest cue before the
        word, in its sentence or the one before (a heading's line): "sural nerve biopsy: loss of myelinated fibres"
        stays a nerve's, as does a nerve biopsy after a muscle biopsy's sentence."""
        n = len(forms)
        for i in _at(forms, _FIBRE_WORDS):  # (the loop changes only the form at i, once read)
            if i and forms[i - 1] == "muscle" and gaps[i] <= GAP_HYPHEN:
                continue
            start, ends = i, 0  # the word's sentence and the one before
            while start > 0 and not (gaps[start] == GAP_SENTENCE and (ends := ends + 1) == 2):
                start -= 1
            end = i
            while end + 1 < n and gaps[end + 1] != GAP_SENTENCE:
                end += 1
            if _BIOPSY_WORDS.isdisjoint(forms[start : end + 1]):
                continue
            # the nearest cue before the word, else after it ("angulated fibres on a quadriceps biopsy")
            cue = next((forms[j] for j in range(i - 1, start - 1, -1) if forms[j] in _MUSCLE_CUES
                        or forms[j] in _OTHER_FIBRE_CUES), None) or next(
                (forms[j] for j in range(i + 1, end + 1) if forms[j] in _MUSCLE_CUES or forms[j] in _OTHER_FIBRE_CUES), None)
            if cue in _MUSCLE_CUES:
                info = self._word_infos["myo" + forms[i]]
                if info[2] >= 0:
                    forms[i], ones[i], coarse[i] = info[0], info[1], info[2]

    def _epileptiform(self, forms, ones, coarse, gaps) -> None:
        """'focal epileptic discharges' is what HPO names 'focal epileptiform discharges': before an EEG noun the
        two adjectives say the same, and only the second is in HPO's names (the EEG terms, 'multifocal', 'focal',
        'generalized', ...). Read so, the word no longer names Seizure alone ("no epileptic discharges")."""
        info = self._word_infos["epileptiform"]
        activity = self._word_infos["activity"]
        for i in range(len(forms) - 1):
            if forms[i] == "epileptic" and gaps[i + 1] == GAP_SPACE and forms[i + 1] in _EEG_NOUNS:
                forms[i], ones[i], coarse[i] = info[0], info[1], info[2]
                if forms[i + 1] in ("abnormality", "abnormalities"):  # no HPO name has "epileptiform abnormalities"
                    forms[i + 1], ones[i + 1], coarse[i + 1] = activity[0], activity[1], activity[2]

    # ----------------------------------------------------------------------------------------- phrases

    def _pick(self, hit, used: list[str] | None, allowed: int | None) -> tuple[int, int] | None:
        """The entry of a key that best fits the words used: same word forms, same inflection, then priority."""
        if used is not None and len(hit) > 1:
            # Which entry the words fit best depends on the entry list and the word forms alone: kept, as the word
            # infos are (the same phrases recur from note to note). The list is kept with its answer: its id is no
            # other list's while it is held.
            key = (id(hit), tuple(used), allowed)
            kept = self._picks.get(key)
            if kept is not None and kept[0] is hit:
                return kept[1]
            picked = self._pick_by_words(hit, used, allowed)
            if len(self._picks) >= 20_000:  # (a long session's memory stays bounded)
                self._picks.clear()
            self._picks[key] = (hit, picked)
            return picked
        for term, priority, _forms in hit:  # one entry, or no words to compare: the first of the category
            if allowed is None or self._category.get(term, CATEGORY_PHENOTYPE) == allowed:
                return term, priority
        return None

    def _pick_by_words(self, hit, used: list[str], allowed: int | None) -> tuple[int, int] | None:
        """_pick's choice among several entries, by the words used."""
        best = None
        best_score = None
        lookup = self._vocab.forms.get
        for rank, (term, priority, entry_forms) in enumerate(hit):
            if allowed is not None and self._category.get(term, CATEGORY_PHENOTYPE) != allowed:
                continue
            entry_fine = [lookup(f, (-1, -1))[0] for f in entry_forms]
            same = 0
            unmatched = []
            for f in used:
                cls = lookup(f)
                if cls is not None and cls[0] in entry_fine:
                    entry_fine.remove(cls[0])
                    same += 1
                else:
                    unmatched.append(f)
            # A word of the text and of the name with one stem, where an equivalence set joined them with a third
            # ("atrophy of the cerebrum": Cerebral atrophy, not Brain atrophy, though "cerebral" reads as "brain").
            stems = sum(1 for f in unmatched if len(f) > 5 and any(len(e) > 5 and e[:6] == f[:6] for e in entry_forms))
            # The name with the same words (inflection aside) first, then the better kind of name (label,
            # exact synonym); on a true tie the more general term, as the words say no more than that.
            score = (-same, -stems, priority, rank)
            if best_score is None or score < best_score:
                best, best_score = (term, priority), score
        return best

    def _numerals_as_named(self, forms, ones, coarse, gaps, numbered: bool) -> list[int]:
        """'ROP zone 2' as HPO names it, 'zone II'; 'stage II ROP' as 'stage 2': a numeral right after a numbered word
        is read in the other notation where no name has the numeral as written with that word, and one has the other.
        So is a number in digits after any other dictionary word that only the roman numeral goes on from ('Chiari 1
        malformation'). Returns the numerals after a numbered word that both notations go on from ('type 1': 'Chiari
        type I malformation', 'neurofibromatosis type 1'), to be read the other way as well."""
        pairs, base = self._pairs, self._base
        both: list[int] = []
        # (the numerals, found at C speed; the loop changes only the form at i, after reading it)
        at = list(_at(forms, _NUMERALS.keys() if numbered else _DIGITS, 1))
        for i in at:
            other = _NUMERALS.get(forms[i])
            if other is None or gaps[i] != GAP_SPACE or coarse[i - 1] < 0:
                continue
            named = forms[i - 1] in _NUMBERED_WORDS
            if not named and not forms[i].isdigit():
                continue
            info = self._word_infos[other]
            c = coarse[i - 1]
            if info[2] < 0 or min(c, info[2]) * base + max(c, info[2]) not in pairs:
                continue
            if coarse[i] < 0 or min(c, coarse[i]) * base + max(c, coarse[i]) not in pairs:
                forms[i], ones[i], coarse[i] = info[0], info[1], info[2]
            elif named:
                both.append(i)
        return both

    def _numerals_read_other_way(self, numerals: list[int], forms, ones, coarse, gaps, skip, allowed) -> list[_Candidate]:
        """The names the numerals (see _numerals_as_named) go on to when read in the other notation."""
        forms, ones, coarse = list(forms), list(ones), list(coarse)
        for i in numerals:
            info = self._word_infos[_NUMERALS[forms[i]]]
            forms[i], ones[i], coarse[i] = info[0], info[1], info[2]
        window = _masked(coarse, ((k - MAX_WINDOW, k + MAX_WINDOW) for k in numerals))
        return [c for c in self._phrases(forms, ones, window, gaps, skip, allowed)
                if any(c.first <= k <= c.last for k in numerals)]

    def _phrases(self, forms, ones, coarse, gaps, skip, allowed) -> list[_Candidate]:
        """Every run of dictionary words that names a term (as a bag of word classes), longest runs included.

        Stopwords inside a run are skipped ("hypoplasia of the radius"); degree and side words may sit inside
        a name without being part of it ("hypoplastic left kidney"). A run stops at punctuation, at an unknown
        word, or when its next word never occurs together with the words so far in any name.
        """
        entries_get = self._entries.get
        record = self._record
        pairs = self._pairs
        base = self._base
        n = len(coarse)
        out: list[_Candidate] = []
        for i, ci in enumerate(coarse):
            if ci < 0:
                continue
            after = i  # the window below starts after this word
            if skip[i]:
                core, core_idx, mods, mod_idx = [], [], [ci], [i]
            else:
                hit = ones[i]  # the entry of the one-word names the word is
                if hit is not None:
                    record(hit, [i], i, i, forms, allowed, out)
                # Most runs end at once: find the next word and give up early when it cannot follow.
                j = i + 1
                while j < n and coarse[j] == STOP and j - i <= 3 and gaps[j] <= GAP_HYPHEN:
                    j += 1
                if j >= n or gaps[j] > GAP_HYPHEN:
                    continue
                cj = coarse[j]
                if cj < 0 or (not skip[j] and (ci * base + cj if ci <= cj else cj * base + ci) not in pairs):
                    continue
                if skip[j]:
                    core, core_idx, mods, mod_idx = [ci], [i], [], []
                else:  # the word just tested joins the core as the loop below would add it; the loop goes on after it
                    core, core_idx, mods, mod_idx = [ci, cj], [i, j], [], []
                    hit = entries_get((ci, cj) if ci <= cj else (cj, ci))
                    if hit is not None:
                        record(hit, core_idx, i, j, forms, allowed, out)
                    after = j
            stops = 0
            for j in range(after + 1, i + MAX_WINDOW if i + MAX_WINDOW < n else n):  # (no min(): a call costs)
                if gaps[j] > GAP_HYPHEN:
                    break
                cj = coarse[j]
                if cj < 0:
                    if cj == STOP and stops < 3:
                        stops += 1
                        continue
                    break
                stops = 0
                if skip[j]:
                    if len(mods) >= 2:
                        break
                    mods.append(cj)
                    mod_idx.append(j)
                    if core:
                        hit = entries_get(tuple(sorted(core + mods)))
                        if hit is not None:
                            first = core_idx[0] if core_idx[0] < mod_idx[0] else mod_idx[0]
                            record(hit, core_idx + mod_idx, first, j, forms, allowed, out)
                    continue
                for a in core:
                    if (a * base + cj if a <= cj else cj * base + a) not in pairs:
                        break
                else:
                    core.append(cj)
                    core_idx.append(j)
                    # the core alone (modifiers inside it tolerated) unless a modifier opens the run, then
                    # the core with its modifiers
                    if not mods or mod_idx[0] > core_idx[0]:
                        if len(core) == 2:  # the usual key, sorted without sorted()'s cost
                            c1, c2 = core
                            hit = entries_get((c1, c2) if c1 <= c2 else (c2, c1))
                        else:
                            hit = entries_get(tuple(sorted(core)))
                        if hit is not None:
                            record(hit, core_idx, core_idx[0], j, forms, allowed, out)
                    if mods:
                        hit = entries_get(tuple(sorted(core + mods)))
                        if hit is not None:
                            first = core_idx[0] if core_idx[0] < mod_idx[0] else mod_idx[0]
                            record(hit, core_idx + mod_idx, first, j, forms, allowed, out)
                        elif len(mods) == 2 and forms[mod_idx[1]] in _SIDE_SKIPS and mod_idx[1] < core_idx[0]:
                            # "mild bilateral hearing impairment": the grade's name, the side inside it (unless the
                            # side is the name's own: "severe left ventricular hypertrophy")
                            hit = entries_get(tuple(sorted(core + mods[:1])))
                            if hit is not None and entries_get(tuple(sorted(core + mods[1:]))) is None:
                                record(hit, core_idx + mod_idx[:1], mod_idx[0], j, forms, allowed, out)
                    continue
                break
        return out

    def _without_participles(self, forms, ones, coarse, gaps, skip, surfaces, allowed,
                             candidates: list[_Candidate]) -> tuple[list[_Candidate], list[int]]:
        """'toes without overlapping', 'her toes are normally aligned without overlapping', 'ears without dysplastic
        features': a participle or an adjective (with a noun that adds nothing to it) after "without" that ends the
        statement says what its subject is not; the subject (a dictionary word a few words back in the statement)
        and the participle name the finding, over the whole statement, and the "without" words returned
        are read as an inline "not". A participle that names a finding alone ("without vomiting") is left to the
        negation "without" opens, and one before a noun ("without impaired awareness") qualifies that noun; a
        statement that is a finding itself ("muscle weakness without wasting") is not read so, as the finding it
        names would be lost inside the one ruled out."""
        out: list[_Candidate] = []
        at: list[int] = []
        n = len(forms)
        entries = self._entries
        for i in _at(forms, _WITHOUT_WORD, 1, n - 1):
            p = i + 1
            if (gaps[i] > GAP_COMMA or gaps[p] != GAP_SPACE or coarse[p] < 0 or skip[p]
                    or ones[p] is not None or not surfaces[p].endswith(_WITHOUT_ENDINGS)):
                continue
            end = p  # an adjective may take a noun that only says it is one ("ears without dysplastic features")
            if (p + 1 < n and gaps[p + 1] == GAP_SPACE and forms[p + 1] in _ASPECT_NOUNS
                    and surfaces[p].endswith(_ADJECTIVE_ENDINGS)):
                end = p + 1
            if end + 1 < n and gaps[end + 1] < GAP_COMMA and forms[end + 1] not in _COORDINATORS:
                continue
            for j in range(i - 1, max(-1, i - 6), -1):
                if gaps[j + 1] > (GAP_COMMA if j + 1 == i else GAP_HYPHEN):
                    break  # the statement's start
                a, b = coarse[j], coarse[p]
                hit = entries.get((a, b) if a <= b else (b, a)) if a >= 0 else None
                if hit is not None:
                    if any(c.first < i and c.last >= j for c in candidates):
                        break
                    found = len(out)
                    self._record(hit, [j, p], j, end, forms, allowed, out)
                    if len(out) > found:
                        at.append(i)
                    break
        return out, at

    def _record(self, hit, idx: list[int], first: int, last: int, forms, allowed, out: list[_Candidate]) -> None:
        """Appends the term entry `hit` names over words idx (first and last of them given: min() and max() cost)."""
        if len(hit) == 1:  # the common case, as _pick has it: one entry, no tie to break
            term, priority, _forms = hit[0]
            if allowed is not None and self._category.get(term, CATEGORY_PHENOTYPE) != allowed:
                return
        else:
            picked = self._pick(hit, [forms[k] for k in idx], allowed)
            if picked is None:
                return
            term, priority = picked
        if term in self._absence_seizures and any(forms[k] == "absent" for k in idx):
            return  # "seizures were absent" says there were none; "absent" never names an absence seizure
        if forms[first] in _PARTICLES and len(idx) > 1:
            return  # a phrasal verb's particle follows its verb: "pick out passing cars" is no "passing out"
        out.append(_Candidate(first, last, term, priority, len(idx)))

    def _normal_phrases(self, forms, coarse, gaps, allowed, headed: Container[int] = (),
                        qualified: dict[int, int] | None = None) -> list[_Candidate]:
        """'normal hearing', 'kidneys were normal', 'hearing normal', 'Hearing: normal' (headed: words after a
        heading's colon;
        qualified: after a bracket that qualifies the heading, to its first word: 'EEG (sleep): normal') -> the
        'abnormal ...' term, excluded (not when an exception follows: 'unremarkable apart
        from mild ventriculomegaly', 'normal until 6 months'). Called when one of _NORMAL_WORDS is among forms."""
        if self._abnormal is None:
            return []
        out: list[_Candidate] = []
        n = len(forms)

        def excepted(k: int) -> bool:
            return k < n and gaps[k] <= GAP_COMMA and (
                forms[k] in _EXCEPT or (forms[k] == "other" and k + 1 < n and forms[k + 1] == "than")
            )

        for i in _at(forms, _NORMAL_WORDS):
            form = forms[i]
            formed = False  # "normally formed": the statement runs to its participle
            if form == "normally" and i + 1 < n and gaps[i + 1] == GAP_SPACE and forms[i + 1].endswith(_PARTICIPLE_ENDS):
                if forms[i + 1] not in _FORMED:
                    # "toes are normally aligned", "normally spaced eyes": one aspect, not the part's form; ruled out
                    # where HPO names it abnormal ("normally folded helices": Abnormally folded helix)
                    aspect = self._abnormally_done(i, forms, coarse, gaps, allowed)
                    if aspect is not None:
                        out.append(aspect)
                    continue
                formed = True
            found = None
            if i + 1 < n and gaps[i + 1] == GAP_SPACE:
                found = self._normal_development(i + 1, forms, gaps, forward=True)  # "normal (motor) development"
            if found is None and form != "unremarkable":
                # (not past a place: "reflexes normal in the arms" says nothing of the arms)
                stop = next((k for k in range(i + 1, min(n, i + 6)) if forms[k] in _PLACES_IN), min(n, i + 6))
                found = self._abnormal_of(range(i + 1, stop), lambda j: gaps[j] > GAP_HYPHEN, coarse, allowed)
            if found is not None:
                j, (term, priority), other = found
                if j + 1 < n and f"{forms[j]} {forms[j + 1]}" in QUANTITY_NAMES:
                    continue  # "normal head circumference" is a measurement (text/measures.py), not a normal head
                if j + 1 < n and forms[j + 1] in _EXAMINATIONS and gaps[j + 1] == GAP_SPACE:
                    continue  # "normal cardiac examination": a listen and a look, no normal heart morphology
                items = [_Candidate(i, j, term, priority, j - i + 1, normal=True, twin=other)]
                # "normal tone, power and reflexes"; "a normal hearing test or vision": the list's items after the test
                tested = j + 1 if j + 1 < n and gaps[j + 1] == GAP_SPACE and forms[j + 1] in _A_TEST else j
                items += self._normal_items_after(tested, forms, coarse, gaps, allowed)
                if _limited_to_a_part(items[-1].last + 1, forms, gaps):
                    continue  # "normal power in the upper limbs": not all the muscles
                if not excepted(items[-1].last + 1):
                    out += _as_negated(items, forms, gaps)
                continue
            # "... kidneys were normal": look back over the words before the verb; "hearing normal", "Hearing:
            # normal": over those right before it (a noun, as a heading or a note's verbless statement)
            said = i - 1  # the word before "normal", past a joined word's absorbed parts ("CSF 5-HIAA normal")
            while said > 0 and not forms[said]:
                said -= 1
            verb = i - 1 if i >= 2 and forms[i - 1] in _NORMAL_VERBS else (
                i if i >= 1 and (gaps[i] == GAP_SPACE or i in headed) and coarse[said] >= 0 else -1)
            if (i >= 3 and forms[i - 1] in _BETWEEN_VERB_AND_NORMAL and forms[i - 2] in _NORMAL_VERBS
                    and gaps[i] == GAP_SPACE and gaps[i - 1] == GAP_SPACE):
                verb = i - 2  # "... were both normal", "the EEG was also normal": the subjects before the verb
            if qualified and i in qualified:
                verb = qualified[i]  # "EEG (yesterday): normal": the heading is read as it is without its bracket
            end = i + 1 if formed else i  # the statement's last word: "normal", its "limits", "normally formed"
            if i + 1 < n and forms[i + 1] in ("limits", "range") and gaps[i] == GAP_SPACE:
                # "ALT and AST (were) within normal limits", "serum copper was within (or in) the normal range"
                k = i - 2 if i >= 3 and forms[i - 1] == "the" and gaps[i - 1] == GAP_SPACE else i - 1
                if k >= 1 and forms[k] in _WITHIN:
                    verb = k - 1 if k >= 2 and forms[k - 1] in _NORMAL_VERBS else k
                    end = i + 1
            if verb < 0 and i >= 2 and forms[i - 1] in _VERDICT_NEGATIONS and gaps[i] == GAP_SPACE:
                verb = i  # "development was not normal": its verb is before the negation
            if verb > 1 and forms[verb - 1] in _VERDICT_NEGATIONS and gaps[verb] == GAP_SPACE:
                # "hearing was not normal", "has never been normal", "was not within normal limits": the subject is
                # before the negation and the verb it leans on (the statement read as its opposite: _as_negated)
                verb -= 1
                if forms[verb - 1] in _BEFORE_A_NEGATION and gaps[verb] == GAP_SPACE:
                    verb -= 1
            if (verb > 0 and not excepted(end + 1) and not (end + 1 < n and forms[end + 1] in _UNTIL)
                    and not _limited_to_a_part(end + 1, forms, gaps)):  # "power is normal in the upper limbs"
                found = self._normal_development(verb - 1, forms, gaps, forward=False)  # "his development is normal"
                if found is None:
                    found = self._abnormal_of(range(verb - 1, max(-1, verb - 6), -1),
                                              lambda j, verb=verb: gaps[j + 1] > GAP_HYPHEN and j + 1 < verb, coarse, allowed)
                last = end  # the span of the first subject runs to the verb's "normal"; of the others, their words
                said = len(out)
                while found is not None:
                    j, (term, priority), other = found
                    out.append(_Candidate(j, last, term, priority, last - j + 1, normal=True, twin=other))
                    # "the platelet count and bilirubin are normal": subjects joined before the verb share it
                    k = _before_stopwords(self._sample_before(j, coarse, gaps), coarse, gaps)  # "and the (serum) ..."
                    last = k - 1 if k >= 1 and forms[k] in ("and", "or") else k if gaps[k + 1] == GAP_COMMA else -1
                    found = self._abnormal_of(range(last, max(-1, last - 5), -1),
                                              lambda m, end=last: m < end and gaps[m + 1] > GAP_HYPHEN, coarse,
                                              allowed) if last >= 0 else None
                    if found is None and last >= 0 and forms[last] in self._normal_words:  # "tone, power and ..."
                        found = (last, (self._normal_words[forms[last]], 1), -1)
                    if found is None and last >= 0:  # "development and growth were normal"
                        found = self._normal_development(last, forms, gaps, forward=False)
                    if found is not None and not _opens_a_subject(self._sample_before(found[0], coarse, gaps), forms,
                                                                   coarse, gaps):
                        found = None  # "scars over the knees, and head shape is normal": a clause of its own
                out[said:] = _as_negated(out[said:], forms, gaps)
        for c in out:  # what the clinician means by normal ("normal hearing": no hearing impairment)
            if c.normal:  # (not normal hearing is a hearing abnormality, of any kind)
                c.term = self._normal_rules_out.get(c.term, c.term)
        too_broad = self._too_broad_to_rule_out  # "normal skin": nothing (see _BROAD_TERMS)
        return [c for c in out if not (c.normal and c.term in too_broad)]

    def _abnormally_done(self, i: int, forms, coarse, gaps, allowed) -> _Candidate | None:
        """'normally folded helices', 'the helices are normally folded': the "normally" of word i read as
        "abnormally" with its participle and the part in its clause, where the words name a term ("Abnormally folded
        helix"), ruled out; None where they name none or a negation comes before ("not normally folded")."""
        n = len(forms)
        if i and forms[i - 1] in _VERDICT_NEGATIONS:
            return None
        lo = i
        while lo > 0 and i - lo < 6 and gaps[lo] <= GAP_HYPHEN:
            lo -= 1
        hi = i + 2
        while hi < n and hi - i < 6 and gaps[hi] <= GAP_HYPHEN:
            hi += 1
        infos = [self._word_infos[forms[k]] for k in range(lo, hi)]
        infos[i - lo] = self._word_infos["abnormally"]
        classes = coarse[lo:hi]
        classes[i - lo] = infos[i - lo][2]
        read = self._phrases([x[0] for x in infos], [x[1] for x in infos], classes, gaps[lo:hi], [x[3] for x in infos],
                             allowed)
        # the term must name the part too: "abnormally pigmented" alone is the skin's (Abnormality of skin
        # pigmentation), not what "the gums are normally pigmented" says
        read = [c for c in read if c.first <= i - lo and c.last >= i + 1 - lo and (c.first < i - lo or c.last > i + 1 - lo)]
        if not read:
            return None
        c = max(read, key=lambda c: (c.size, -c.priority))
        term, twin = c.term, -1
        children = [int(k) for k in self.ontology.children(term)]
        if len(children) == 2:  # HPO splits it in its two directions (Overfolded and Underfolded helix): both ruled
            # out, as a part of normal size rules out both extremes
            first, second = (self.ontology.labels[k].casefold() for k in children)
            if any(first.startswith(a) and second.startswith(b) or first.startswith(b) and second.startswith(a)
                   for a, b in _OPPOSITE_PREFIXES):
                term, twin = children
        return _Candidate(c.first + lo, c.last + lo, term, c.priority, c.size, normal=True, twin=twin)

    def _alone_or_either(self, m: _Candidate, forms, coarse, gaps, allowed) -> bool:
        """A measured statement of normal (m) is no list's first item, or one of a list joined by "or" ("normal
        speech development or hearing": when negated, neither is normal)."""
        items = self._normal_items_after(m.last, forms, coarse, gaps, allowed)
        return not items or _either_list([m, *items], forms)

    def _normal_as_were(self, forms, coarse, gaps, allowed) -> list[_Candidate]:
        """'IgG was normal, as were IgA, IgM and IgE', '... within the normal range, as was the ferritin': the
        clause before the comma ends in a verdict of normal, which "as was/were" shares with the names after it (a
        list of them, each read as _normal_items_after reads one). Not after a verdict denied ('not normal')."""
        out: list[_Candidate] = []
        n = len(forms)
        for i in _at(forms, _AS_SO, 2, n - 2):
            if not (gaps[i] == GAP_COMMA and forms[i + 1] in _AS_WERE and gaps[i + 1] == gaps[i + 2] == GAP_SPACE):
                continue
            verdict = i - 1  # "normal", "unremarkable", or "within the normal range"
            if forms[verdict] == "range" and forms[verdict - 1] in ("normal", "reference") and verdict > 1:
                verdict -= 1
            if forms[verdict] not in _NORMAL_WORDS and forms[verdict] != "reference" or (
                    forms[verdict - 1] in _VERDICT_NEGATIONS or forms[verdict - 2] in _VERDICT_NEGATIONS):
                continue
            start = i + 2 + (forms[i + 2] in _ARTICLES and i + 3 < n and gaps[i + 3] == GAP_SPACE)
            end = start  # the first name, as a list's item: a word or two
            while end + 1 < n and end - start < 1 and gaps[end + 1] == GAP_SPACE and forms[end + 1] not in _ITEM_ENDS:
                end += 1
            found = self._abnormal_of(range(start, end + 1), lambda m: False, coarse, allowed)
            if found is None:
                continue
            last, (term, priority), other = found
            first = [_Candidate(start, last, term, priority, last - start + 1, normal=True, twin=other)]
            out += first + self._normal_items_after(last, forms, coarse, gaps, allowed)
        for c in out:  # ("as was vision": Visual impairment ruled out, as by "vision was normal")
            c.term = self._normal_rules_out.get(c.term, c.term)
        return out

    def _normal_items_after(self, j: int, forms, coarse, gaps, allowed) -> list[_Candidate]:
        """The next items of a list stated normal, after its first ended at word j ("normal tone(j), power and
        reflexes"): each a word or two that names its own finding with 'abnormal' (or is a _NORMAL_WORDS_RULE_OUT
        word), up to the first that does not ("normal tone, brisk reflexes": a finding of its own ends the list)."""
        out: list[_Candidate] = []
        n = len(forms)
        k = j + 1
        while k < n:
            if gaps[k] == GAP_COMMA:  # ", power" or ", and power"
                start = k + 1 if forms[k] in _COORDINATORS and k + 1 < n and gaps[k + 1] == GAP_SPACE else k
            elif gaps[k] == GAP_SPACE and forms[k] in _COORDINATORS and k + 1 < n and gaps[k + 1] == GAP_SPACE:
                start = k + 1  # " and reflexes"
            else:
                break
            end = start  # the item's words, up to the next item or what limits the statement ("in the arms")
            while end + 1 < n and gaps[end + 1] == GAP_SPACE and forms[end + 1] not in _ITEM_ENDS:
                end += 1
            # "normal hearing, vision and growth were not seen": the last item up to the negation after the list
            denied = next((e for e in range(start, min(end, start + 1) + 1) if _negated_after(e, forms, gaps)[0] >= 0),
                          -1)
            if denied >= 0:
                end = denied
            # "normal hearing, vision and growth were seen": the last item up to the verb that says them seen
            stated = -1 if denied >= 0 else next(
                (e for e in range(start, min(end, start + 1) + 1) if _stated_after(e, forms, gaps) >= 0), -1)
            if stated >= 0:
                end = stated
            if end - start > 1:
                break  # an item of more words: a phrase of its own
            found = self._abnormal_of(range(start, end + 1), lambda m: False, coarse, allowed)
            if found is None:  # "normal speech development or motor development"
                found = self._normal_development(start, forms, gaps, forward=True)
            other = -1
            if found is not None and found[0] == end:
                (term, priority), other = found[1:]
            elif start == end and forms[start] in self._normal_words:
                term, priority = self._normal_words[forms[start]], 1
            else:
                break
            out.append(_Candidate(start, end, term, priority, end - start + 1, normal=True, twin=other))
            k = end + 1
            if denied >= 0:
                return out  # (its negation after it: _as_negated reads the list)
            if stated >= 0:
                k = _stated_after(end, forms, gaps) + 1  # (the list ends its clause with its verb, or does not)
                break
        # The list ends its clause, or a part of the body limits it: "normal motor milestones, and speech and language
        # development has been age-appropriate", "a normal NK cell count, and lymphocyte proliferation in response to
        # PHA was impaired" are other clauses.
        if out and not (k >= n or gaps[k] >= GAP_COMMA or _limited_to_a_part(k, forms, gaps)):
            return []
        return out

    def _normal_dimensions(self, forms, coarse, gaps, allowed) -> tuple[list[_Candidate], set[int]]:
        """'The corpus callosum was of normal thickness', 'kidneys of normal size': the findings of either extreme
        (Thin and Thick corpus callosum; small and large kidneys) ruled out; with the words of an earlier predicate
        of the same subject ("the philtrum is well formed and of normal length"), which are read on their own."""
        out: list[_Candidate] = []
        predicates: set[int] = set()
        n = len(forms)
        for i in _at(forms, _NORMAL_WORD, 1, n - 1):
            if gaps[i + 1] != GAP_SPACE:
                continue
            if forms[i + 1] in _DIMENSIONS and forms[i - 1] == "of":  # "(was) of normal thickness"
                dimension, k = i + 1, i - 2
            elif forms[i + 1] == "in" and i + 2 < n and forms[i + 2] in _DIMENSIONS and forms[i - 1] in _NORMAL_VERBS:
                dimension, k = i + 2, i - 2  # "was normal in size"
            elif (forms[i + 1] in _DIMENSIONS and gaps[i] == GAP_SPACE
                  and (coarse[i - 1] >= 0 or forms[i - 1] in _NORMAL_VERBS)):
                # an examination's verbless shorthand, "jaw normal size", "penis is normal size", "mouth normal
                # width": the part is the words right before (not "normal size" alone, nor "of normal size" above)
                dimension, k = i + 1, i - 1
            else:
                continue
            if _verdict_negated(i, i, forms, gaps) >= 0:
                continue  # "the kidneys were not of normal size": small or large, the words do not say
            dimensions = [dimension]  # "of normal height and breadth", "of normal length, width and height"
            m = dimension + 1
            while m < n:
                if gaps[m] == GAP_COMMA and forms[m] in _DIMENSIONS:  # ", width"
                    dimensions.append(m)
                    m += 1
                elif (m + 1 < n and gaps[m] <= GAP_COMMA and forms[m] in ("and", "or") and gaps[m + 1] == GAP_SPACE
                      and forms[m + 1] in _DIMENSIONS):  # " and breadth"
                    dimensions.append(m + 1)
                    m += 2
                else:
                    break
            verb = _verb_of_a_second_predicate(k, forms, gaps)
            predicates.update(range(verb + 1, k))
            k = verb
            if k >= 0 and forms[k] in _NORMAL_VERBS:
                k -= 1
            subject: list[int] = []  # the words of what is measured, walking back
            while k >= 0 and len(subject) < 4 and gaps[k + 1] <= GAP_HYPHEN:
                if coarse[k] >= 0:
                    subject.append(k)
                elif coarse[k] != STOP:
                    break
                k -= 1
            classes = [coarse[j] for j in subject]
            last = dimensions[-1]
            for adjective in dict.fromkeys(a for d in dimensions for a in _DIMENSIONS[forms[d]]):
                found = self._vocab.lookup(adjective)
                for cut in range(len(classes)):  # the longest subject naming a finding with the adjective
                    hit = self._entries.get(tuple(sorted([found[2], *classes[: len(classes) - cut]]))) if found else None
                    picked = self._pick(hit, None, allowed) if hit else None
                    if picked is not None:
                        first = subject[len(classes) - cut - 1]
                        out.append(_Candidate(first, last, picked[0], picked[1], last + 1 - first, normal=True))
                        break
        return out, predicates

    def _named_by_id(self, hpo_ids: list[int], surfaces: list[str], chosen: list[_Candidate], allowed) -> list[_Candidate]:
        """Terms written as their HPO IDs ("Seizure (HP:0001250)", a list pasted from another tool): the ID's two
        words, "HP" and the number (the colon between them read as a space). An obsolete ID names its replacement;
        an unknown one nothing. Not where a name read already covers the words."""
        taken = {k for c in chosen for k in range(c.first, c.last + 1)}
        out = []
        for i in hpo_ids:
            term = self.ontology.resolve("HP:" + surfaces[i]).index
            if term is None or i in taken or i - 1 in taken or (
                    allowed is not None and self._category.get(term, CATEGORY_PHENOTYPE) != allowed):
                continue
            out.append(_Candidate(i - 1, i, term, 0, 2))
        return out

    def _normal_development(self, k: int, forms: list[str], gaps: list[int], forward: bool):
        """Word k begins (forward) or ends a statement of normal development: '(normal) motor milestones', '(his)
        development (was normal)' -> (its last or first word, (the delay it rules out, priority)), else None. Not
        development of an organ ('normal development of the kidneys') nor of another kind ('pubertal')."""
        n = len(forms)
        if forward:
            kind = forms[k] if forms[k] in _DELAYS and k + 1 < n and gaps[k + 1] == GAP_SPACE else ""
            word = k + 1 if kind else k
            if word >= n or forms[word] not in _DEVELOPMENT_WORDS or (word + 1 < n and forms[word + 1] == "of"):
                return None
            edge = word
        else:
            if forms[k] not in _DEVELOPMENT_WORDS:
                return None
            before = forms[k - 1] if k > 0 and gaps[k] == GAP_SPACE else ""
            kind = before if before in _DELAYS else ""
            if not kind and before and before not in _POSSESSIVE_WORDS and before not in _EITHER_OR_BOTH:
                return None  # "pubertal development was normal" (not "growth and development were normal")
            edge = k - 1 if kind else k
        term = self._delays.get(kind)
        return (edge, (term, 1), -1) if term is not None else None

    def _abnormal_of(self, positions: range, phrase_ends, coarse, allowed) -> tuple[int, tuple[int, int], int] | None:
        """The farthest word, walking `positions`, whose words with 'abnormal' name a term, and that term; else
        with 'increased' or 'decreased' ('ammonia normal' rules out Hyperammonemia, HPO having no abnormal ammonia;
        'semen volume normal' Low semen volume), and the opposite direction's term named by the same words where
        HPO has both (else -1). A direction read over more words wins over 'abnormal' read over fewer: in "sperm
        concentration was normal" the measure is the sperm's, not the concentration a patient may lack."""
        found = self._qualified_of(self._abnormal, positions, phrase_ends, coarse, allowed)
        best, other = found, -1
        raised = self._qualified_of(self._increased, positions, phrase_ends, coarse, allowed) if self._increased else None
        lowered = self._qualified_of(self._decreased, positions, phrase_ends, coarse, allowed) if self._decreased else None
        if lowered is not None and self._part_of_a_measure(lowered[0] + positions.step, positions, coarse):
            lowered = None  # "proximal power is normal": the power of some muscles, no muscle weakness ruled out
        for direction, opposite in ((raised, lowered), (lowered, raised)):
            if direction is not None and (best is None or _beyond(direction[0], best[0], positions) and not (
                    best is found and self.ontology.is_ancestor(found[1][0], direction[1][0])
                    and not self._only_a_specimen(found[0], positions, coarse)
                    and found[1][0] not in self._too_broad_to_rule_out)):
                # (the abnormal value of fewer words is kept where it holds the direction: "blood glucose normal"
                # rules out Abnormal blood glucose concentration, not only Hyperglycemia; not where its words
                # name only the specimen: "normal CSF lactate" is no normal CSF but its lactate; nor where it is
                # an organ system's, which no statement rules out: "normal muscle bulk" is no normal musculature)
                best = direction
                # the same words read the other way ("sperm count": low, none high): both ruled out
                other = opposite[1][0] if opposite is not None and opposite[0] == direction[0] else -1
        return (best[0], best[1], other) if best is not None else None

    def _only_a_specimen(self, j: int, positions: range, coarse) -> bool:
        """The words of the walk `positions` up to word j name only a specimen ("CSF", "cerebrospinal fluid")."""
        return all(coarse[m] < 0 or coarse[m] in self._specimen_classes
                   for m in positions[: positions.index(j) + 1])

    def _part_of_a_measure(self, k: int, positions: range, coarse) -> bool:
        """Word k, next on the walk after a measure's words, limits it to a part ("proximal", "upper")."""
        return k in positions and coarse[k] in self._part_words

    def _sample_before(self, j: int, coarse, gaps) -> int:
        """Word j's subject from the sample words right before it ("serum sodium" from "sodium")."""
        while j >= 1 and coarse[j - 1] in self._sample_words and gaps[j] == GAP_SPACE:
            j -= 1
        return j

    def _qualified_of(self, qualifier: int, positions: range, phrase_ends, coarse, allowed) -> tuple[int, tuple[int, int]] | None:
        """The farthest word, walking `positions`, whose words with the qualifier's class name a term, and that term.
        A measure word ("concentration", "level") that names no term with the others is read past: "plasma zinc
        concentration" is the zinc HPO names ("Abnormal blood zinc concentration", read as "abnormal zinc")."""
        bag = [qualifier]
        bare = None  # the bag without its measure words, once one is met
        found = None
        for j in positions:
            if phrase_ends(j):
                break
            cj = coarse[j]
            if cj == STOP or cj in self._samples:
                continue
            if cj < 0:
                break
            bag.append(cj)
            if cj in self._measure_words:
                bare = bag[:-1] if bare is None else bare
            elif bare is not None:
                bare.append(cj)
            hit = self._entries.get(tuple(sorted(bag)))
            if not hit and bare is not None and len(bare) > 1:
                hit = self._entries.get(tuple(sorted(bare)))
            if hit:
                picked = self._pick(hit, None, allowed)
                if picked:
                    found = (j, picked)
        return found

    def _with_its_finding(self, chosen: list[_Candidate], forms, ones, coarse, gaps, allowed) -> list[_Candidate]:
        """'Spermatozoa with short tails', 'sperm with abnormal heads': a part, then "with" and a finding of it, name
        together what neither names alone (Short sperm flagella), as "short tails of the spermatozoa" would. The
        part is one or two words right before "with", no person ("a boy with short stature"); where they name a
        finding themselves, the whole must be a kind of it ("cataract with cortical pulverulent opacities"). The
        finding runs up to four words after "with" and is not part of a longer phrase. The whole replaces what the
        words after "with" named alone."""
        n = len(forms)
        entries = self._entries
        pairs, base = self._pairs, self._base
        w = 0
        while True:
            try:  # (a scan in C: an abstract has a few "with" among hundreds of words)
                w = forms.index("with", w + 1)
            except ValueError:
                break
            if w + 1 >= n or gaps[w] != GAP_SPACE or gaps[w + 1] != GAP_SPACE:
                continue
            for size in (1, 2):
                words = [w - 1] if size == 1 else [w - 1, w - 2]  # the part's words, nearest first
                k = words[-1]
                if k < 0 or coarse[k] < 0 or forms[k] in _WITH_OWNERS or gaps[k + 1] > GAP_HYPHEN:
                    break
                after = []  # the finding's words after "with", stopwords skipped ("with the short tails")
                k = w + 1
                while k < n and len(after) < 4 and (k == w + 1 or gaps[k] <= GAP_HYPHEN):
                    if coarse[k] >= 0:
                        after.append(k)
                    elif coarse[k] != STOP:
                        break
                    k += 1
                if not after:
                    continue
                a, b = coarse[w - 1], coarse[after[0]]  # (in every key looked up below: no name holds both, no look-up)
                if (a * base + b if a <= b else b * base + a) not in pairs:
                    continue
                found = None
                for end in range(len(after), 0, -1):  # the longest finding first
                    used = sorted([*words, *after[:end]])
                    hit = entries.get(tuple(sorted(coarse[m] for m in used)))
                    picked = self._pick(hit, [forms[m] for m in used], allowed) if hit else None
                    if picked is not None:
                        found = (after[end - 1], picked, len(used))
                        break
                if found is None:
                    continue
                nxt = found[0] + 1
                if (found[0] == after[0] and forms[found[0]] in _DIRECTION_FORMS and nxt < n and gaps[nxt] == GAP_SPACE
                        and coarse[nxt] >= 0 and forms[nxt] not in _COORDINATORS):
                    continue  # "IgM with raised T and B cells": a bare direction after "with" is the next word's
                last, (term, priority), matched = found
                named = ones[w - 1] if size == 1 else entries.get(tuple(sorted(coarse[k] for k in words)))
                named = self._pick(named, [forms[k] for k in words], allowed) if named else None
                if named is not None and not self.ontology.is_ancestor(named[0], term):
                    continue  # a finding with another ("seizures with fever"), unless the whole is a kind of the first
                first = min(words)
                if any(c.first <= last < c.last or c.first < w + 1 <= c.last or c.term == term for c in chosen):
                    break  # the words after "with" are part of a longer phrase, or the whole was read already
                chosen = [c for c in chosen if not (w < c.first and c.last <= last)]
                chosen.append(_Candidate(first, last, term, priority, matched))
                break
        return chosen

    def _coordinated(self, forms, coarse, gaps, allowed, chosen: list[_Candidate],
                     negations: list[int] | None = None, subsumed: list[int] | None = None) -> list[_Candidate]:
        """Lists sharing a head or a modifier: 'short and broad thumbs', 'hypoplasia of the radius and ulna'.

        Each found phrase is the last (or first) item of a list; the other items are short runs of dictionary
        words that are not findings themselves. Each item is combined with the phrase's head; the new finding
        spans from the item to the phrase, so the reviewer sees the whole list. An item's own "not" ("forehead not
        prominent, not narrow") is appended to `negations`, so that the item's finding is read excluded. With
        `subsumed`, an item that is a finding of its own shares a complement too where that names a more specific
        finding ("pain and swelling of both ankles": Ankle pain); the item's last word is appended to `subsumed`, so
        that its broader reading (Pain) can be dropped.
        """
        out: list[_Candidate] = []
        entries = self._entries
        pairs, base = self._pairs, self._base
        plain = [c for c in chosen if not c.normal and not c.coordinated]
        ends = {c.last for c in plain}
        begins = {c.first for c in plain}
        n = len(forms)
        seen: set[tuple[int, int, int]] = set()  # (first, last, term) of chosen and added findings, filled when first added

        def add(first: int, last: int, hit, size: int, used: list[int], exclude: int) -> bool:
            """Records the finding that entry `hit` (of `size` words, `used`) names, unless it is `exclude`."""
            picked = self._pick(hit, [forms[k] for k in used] if len(hit) > 1 else None, allowed)
            if picked is None or picked[0] == exclude:
                return False
            if picked[0] in self._absence_seizures and any(forms[k] == "absent" for k in used):
                return False  # "absent seizures" are none, not absence seizures (as in _record)
            if not seen:
                seen.update((c.first, c.last, c.term) for c in chosen)
            key = (first, last, picked[0])
            if key not in seen:
                seen.add(key)
                out.append(_Candidate(first, last, picked[0], picked[1], size, coordinated=True))
            return True

        for p in plain:
            # The phrase's dictionary words and their classes, read when a list item is found (most phrases have
            # none). Without such words nothing is added: each loop below runs over them.
            idxs: list[int] | None = None
            classes: list[int] = []
            # Shared head on the right: "short and broad thumbs", "capsular, cortical, or mixed lens opacities".
            for own in _OWN_WORDS:
                start = p.first - own
                if start < 0 or (own and (coarse[start] == STOP or gaps[start + 1] > GAP_HYPHEN
                                          or forms[start] in _NO_MODIFIERS)):
                    break
                right = start
                for n_item in _LIST_ITEMS:
                    # (most words have no separator before them: the call only where one may be)
                    sep = right
                    if (own == 0 and n_item == 0 and right > 1 and forms[right - 1] in _ITEM_DETERMINERS
                            and forms[right - 2] in _COORDINATORS and gaps[right] == GAP_SPACE):
                        sep = right - 1  # "the eyebrows and the eyelashes are sparse": "the" begins the item after "and"
                    item_last = (
                        self._separator_before(sep, forms, gaps)
                        if gaps[sep] in (GAP_COMMA, GAP_SLASH) or forms[sep - 1] in _COORDINATORS
                        else None
                    )
                    if (item_last is None and n_item == 0 and not own and right > 0 and gaps[right] == GAP_SPACE
                            and forms[right - 1] not in _QUANTIFIERS  # counts: _counted_findings
                            and forms[right - 1] not in _NOT_A_NOUN  # "metacarpals with broad phalanges"
                            and forms[right - 1] not in _NO_MODIFIERS):
                        # Stacked modifiers share the head too: "low-set posteriorly rotated ears".
                        item_last = right - 1
                    while item_last is not None and item_last >= 0 and not forms[item_last]:
                        item_last -= 1  # the absorbed second part of a compound: "low-set" is read as "lowset"
                    if item_last is None or item_last < 0 or coarse[item_last] < 0:  # (no item: see _item_left)
                        break
                    item = self._item_left(item_last, forms, coarse, gaps)
                    # "pain and swelling of both ankles": a finding of its own before a head and its complement
                    own_finding = (item_last in ends and subsumed is not None and not own and not n_item
                                   and p.first < p.last and forms[p.first + 1] in _SHARED_COMPLEMENTS
                                   and forms[right - 1] in _COORDINATORS and forms[item_last] in _LOCATED_SYMPTOMS)
                    if not item or (item_last in ends and not own_finding) or forms[item_last] in _NORMAL_WORDS:
                        break  # a finding (or a statement: "swallow normal, no bulbar signs") of its own, no modifier
                    if forms[item[0]] in _SIDES and item[0] > 0 and forms[item[0] - 1] in _TOWARDS:
                        break  # "shunting left to right, and ventricular hypertrophy": a direction, no side of the head
                    if (item_last > 0 and forms[item_last - 1] in _ITEM_DETERMINERS and item_last + 1 < n
                            and (gaps[item_last + 1] == GAP_COMMA or (item_last > 1 and forms[item_last - 2] in _PREPOSITIONS))
                            and self._plural(forms[item_last])):
                        # "(up to) the knees, and pain ...", "signs in the legs and distal weakness": a noun of its
                        # own, not a modifier ("knee and hip pain")
                        break
                    item_classes = [coarse[k] for k in item]
                    if idxs is None:
                        idxs = [k for k in range(p.first, p.last + 1) if coarse[k] >= 0]
                        classes = [coarse[k] for k in idxs]
                    # Before each look-up one pair of its classes: the classes of every key occur in `pairs`. The
                    # pair (the cut's first class, the head's last) is the same whatever is dropped: tested once.
                    head = classes[-1] if classes else 0
                    cuts = [cut for cut, a in enumerate(item_classes)
                            if (a * base + head if a <= head else head * base + a) in pairs]
                    for drop in range(0, len(idxs) if cuts else 0):
                        found = False
                        for cut in cuts:
                            # The entry looked up first, the words it would be made of only for a hit.
                            hit = entries.get(tuple(sorted(item_classes[cut:] + classes[drop:])))
                            if hit is not None and add(item[cut], p.last, hit, len(item) - cut + len(idxs) - drop,
                                                       item[cut:] + idxs[drop:], p.term):
                                if own_finding:  # only a more specific reading of the item's own finding
                                    broader = [c.term for c in plain if c.last == item_last and c.first >= item[0]]
                                    if not all(t != out[-1].term and self.ontology.is_ancestor(t, out[-1].term)
                                               for t in broader):
                                        out.pop()
                                        continue
                                    subsumed.append(item_last)
                                found = True
                                break
                        if found:
                            break
                    right = item[0]
                if right != start:
                    break
            # Shared head on the left: "hypoplasia of the radius and ulna", "cleft lip and palate".
            left = p.last
            for _item in _LIST_ITEMS:
                while left + 1 < n and not forms[left + 1]:
                    left += 1  # past the absorbed part of a joined word: "low 5-HIAA and HVA" ("5hiaa", "")
                while left + 2 < n and forms[left + 1] in _ITEM_ADVERBS and gaps[left + 1] == GAP_SPACE:
                    left += 1  # "face not broad overall and not triangular": the adverb ends its item
                if left + 1 >= n or (gaps[left + 1] not in (GAP_COMMA, GAP_SLASH) and forms[left + 1] not in _COORDINATORS):
                    break  # no separator after it (see _separator_after)
                item_first = self._separator_after(left, forms, gaps, n)
                item_negation = -1
                while item_first is not None and item_first + 1 < n and (
                        forms[item_first] in self._skip_forms or forms[item_first] in _ITEM_NEGATIONS) and (
                        gaps[item_first + 1] == GAP_SPACE):
                    # "thickened and mildly stenotic": a degree or side word is no part of a name; "forehead not
                    # prominent, not narrow": an item's own "not" negates that item
                    if forms[item_first] in _ITEM_NEGATIONS:
                        item_negation = item_first
                    item_first += 1
                if item_first is None or item_first >= n or coarse[item_first] < 0:  # (no item: see _item_right)
                    break
                item = self._item_right(item_first, coarse, gaps, n)
                if not item or item_first in begins:
                    break
                item_classes = [coarse[k] for k in item]
                if idxs is None:
                    idxs = [k for k in range(p.first, p.last + 1) if coarse[k] >= 0]
                    classes = [coarse[k] for k in idxs]
                item_end = item[-1]
                # The shared words are the phrase's first ones ("hypoplasia of the radius"); after an item's own
                # "not" they may be its last ones too: "webbed neck, not short" says what the neck is not (Short
                # neck), as "neck webbed, not short" does. (Only then: "webbed neck, short" may be another item.)
                sides = (False, True) if item_negation >= 0 else (False,)
                for keep, suffix in ((keep, suffix) for suffix in sides for keep in range(len(idxs) - 1, 0, -1)):
                    found = False
                    shared = idxs[-keep:] if suffix else idxs[:keep]
                    shared_classes = classes[-keep:] if suffix else classes[:keep]
                    for cut in range(len(item), 0, -1):
                        if _adjective_of_next_noun(item[cut - 1], forms, gaps):
                            continue  # "a bifid epiglottis, and cranial MRI": the adjective is the MRI's
                        a, b = shared_classes[0], item_classes[cut - 1]  # (as on the right)
                        if (a * base + b if a <= b else b * base + a) not in pairs:
                            continue
                        hit = entries.get(tuple(sorted(shared_classes + item_classes[:cut])))
                        if hit is not None and add(p.first, item[cut - 1], hit, keep + cut, shared + item[:cut],
                                                   p.term):
                            found = True
                            if item_negation >= 0 and negations is not None:
                                negations.append(item_negation)  # (the finding spans it: excluded)
                            item_end = item[cut - 1]  # "elbows and knees": the next item starts after "elbows"
                            break
                    if found:
                        break
                left = item_end
        return out

    def _white_matter_of_named_places(self, chosen: list[_Candidate], forms: list[str]) -> list[_Candidate]:
        """'Deep and subcortical white matter hyperintensities': where a list of places shares the white matter head
        and a place names its own term (Deep cerebral white matter hyperintensities), the head read without a place
        (Hyperintensity of cerebral white matter) is not what the list says: each named place is, so it is dropped.
        A place that names the cerebral term itself keeps it ("subcortical white matter changes")."""
        ontology = self.ontology
        placed = [c for c in chosen if c.coordinated and c.term in self._cerebral_white_matter]
        return [p for p in chosen if p.coordinated or p.term not in self._cerebral_white_matter
                or forms[p.first] != "white"
                or not any(c.last == p.last and c.first < p.first and c.term != p.term
                           and ontology.is_ancestor(p.term, c.term) for c in placed)]

    def _shared_both_sides(self, forms, ones, coarse, gaps, skip, allowed, chosen: list[_Candidate]) -> list[_Candidate]:
        """'absent knee and ankle jerks', 'short 4th and 5th metacarpals': two one-word items between a modifier and
        a head that both share, where neither item with only one of them names anything (else _coordinated reads
        the list). Each item is read with the other and the coordinator left out; both readings must name a
        finding across the gap, or neither is kept ('broad forehead and nasal bridge' is _coordinated's)."""
        n = len(forms)
        coordinators = [k for k in compress(range(n), map(_AND_OR.__contains__, forms)) if 2 <= k < n - 2]
        if not coordinators:
            return []
        ends = {c.last for c in chosen}
        begins = {c.first for c in chosen}
        pairs, base = self._pairs, self._base

        def paired(a: int, b: int) -> bool:  # the two words' classes occur together in some dictionary name
            return (a * base + b if a <= b else b * base + a) in pairs

        out: list[_Candidate] = []
        for k in coordinators:
            # (the four gaps and classes tested one by one: no generator, no min() call; GAP_SPACE is 0)
            if (k - 1 in ends or k + 1 in begins
                    or gaps[k - 1] or gaps[k] or gaps[k + 1] or gaps[k + 2]
                    or coarse[k - 2] < 0 or coarse[k - 1] < 0 or coarse[k + 1] < 0 or coarse[k + 2] < 0
                    or not (paired(coarse[k - 1], coarse[k + 2]) and paired(coarse[k + 1], coarse[k + 2])
                            and paired(coarse[k - 2], coarse[k - 1]) and paired(coarse[k - 2], coarse[k + 1]))):
                continue
            # Read with one item and the coordinator left out, as a bracketed value is; a name must span modifier
            # to head (a few words either side hold any such name).
            readings = [[replace(c, coordinated=True) for c in self._across_values(
                [dropped], forms, ones, coarse, gaps, skip, allowed, reach=6) if c.first < k - 1 and c.last > k + 1]
                for dropped in (range(k - 1, k + 1), range(k, k + 2))]
            if all(readings):
                out += readings[0] + readings[1]
        return out

    @staticmethod
    def _separator_before(k: int, forms, gaps) -> int | None:
        """Index of the last word of the list item before word k, or None when no list separator precedes k."""
        j = k - 1
        if j < 0:
            return None
        if forms[j] in _COORDINATORS and gaps[k] <= GAP_HYPHEN:
            while j >= 0 and forms[j] in _COORDINATORS:
                if gaps[j] not in (0, GAP_COMMA, GAP_SLASH):
                    return None
                j -= 1
            return j
        if gaps[k] in (GAP_COMMA, GAP_SLASH):
            return j
        return None

    @staticmethod
    def _separator_after(k: int, forms, gaps, n: int) -> int | None:
        """Index of the first word of the list item after word k, or None."""
        j = k + 1
        if j >= n:
            return None
        if gaps[j] in (GAP_COMMA, GAP_SLASH) or (forms[j] in _COORDINATORS and gaps[j] <= GAP_HYPHEN):
            while j < n and forms[j] in _COORDINATORS:
                j += 1
                if j < n and gaps[j] not in (0, GAP_SLASH):
                    return None
            if j + 1 < n and forms[j] in _ITEM_DETERMINERS and forms[j - 1] in _COORDINATORS and gaps[j + 1] == GAP_SPACE:
                j += 1  # "atrophy of the cerebrum and the cerebellum": "the" begins the item after "and"
            return j
        return None

    @staticmethod
    def _item_left(last: int, forms, coarse, gaps) -> list[int]:
        """Up to three dictionary words ending at word `last`, within one phrase and after its list's coordinator
        (HPO names "and" in a few names: "deep and subcortical" are two items, each of them one word)."""
        if last < 0 or coarse[last] < 0:
            return []
        first = last
        while (first > 0 and last - first < 2 and gaps[first] <= GAP_HYPHEN and coarse[first - 1] >= 0
               and forms[first - 1] not in _COORDINATORS):
            first -= 1
        return list(range(first, last + 1))

    @staticmethod
    def _item_right(first: int, coarse, gaps, n: int) -> list[int]:
        """Up to three dictionary words starting at word `first`, within one phrase."""
        if first >= n or coarse[first] < 0:
            return []
        last = first
        while last + 1 < n and last - first < 2 and gaps[last + 1] <= GAP_HYPHEN and coarse[last + 1] >= 0:
            last += 1
        return list(range(first, last + 1))

    def _nested(self, chosen: list[_Candidate], candidates: list[_Candidate], forms: list[str]) -> list[_Candidate]:
        """Broader findings named inside a longer phrase ('colitis' in 'ulcerative colitis')."""
        out: list[_Candidate] = []
        ontology = self.ontology
        for outer in chosen:
            if outer.normal or outer.last == outer.first:
                continue
            inner = [
                c
                for c in candidates
                if outer.first <= c.first and c.last <= outer.last and (c.first, c.last) != (outer.first, outer.last)
                and c.term != outer.term and not c.normal
            ]
            inner.sort(key=lambda c: (-(c.last - c.first), c.first))
            taken: list[_Candidate] = []
            for c in inner:
                if any(c.first <= t.last and t.first <= c.last for t in taken):
                    continue
                rest = forms[outer.first : c.first] + forms[c.last + 1 : outer.last + 1]
                if all(f in _QUANTIFIERS or f in STOPWORDS for f in rest):
                    continue  # "multiple nevi" names the nevi counted, not a second (broader) finding
                if ontology.is_ancestor(c.term, outer.term):
                    taken.append(replace(c, broader=True))
            out += taken
        return out

    def _subjects_of_negated_predicates(
        self, chosen: list[_Candidate], candidates: list[_Candidate], negations: list[int]
    ) -> list[_Candidate]:
        """'Hearing loss was not progressive', 'the seizures were not febrile': the statement negates its predicate
        (Progressive hearing impairment, Febrile seizure: excluded), and its subject is itself a finding, stated
        present (Hearing impairment, Seizure): the longest finding before the negation that is a broader form of
        the negated term."""
        out: list[_Candidate] = []
        is_ancestor = self.ontology.is_ancestor
        for outer in chosen:
            if outer.opposite or outer.normal or outer.unseen:
                continue
            negation = next((i for i in negations if outer.first < i < outer.last), None)
            if negation is None:
                continue
            subjects = [c for c in candidates if outer.first <= c.first and c.last < negation - 1
                        and c.term != outer.term and not c.normal and is_ancestor(c.term, outer.term)]
            if subjects:
                out.append(max(subjects, key=lambda c: (c.last - c.first, -c.first)))
        return out

    # ------------------------------------------------------------------------------------------ measured

    def _measured(self, text: str, starts: list[int], chosen: list[_Candidate], sentence: list[int],
                  words: set[str], gap_texts: list[str], gaps: list[int],
                  years: Callable[[], float | None]) -> list[_Candidate]:
        """Growth in SD or centiles and milestones by age ("height 2.5 SD below the mean", "walked at 3 years");
        values within the limits rule their findings out (normal=True: reported excluded). Not across a line
        break that ends a line (a table's row, a list's item), only across one inside wrapped prose."""
        index = self.ontology.index
        out: list[_Candidate] = []
        for start, end, term_id, ruled_out in measured_findings(text, words, years):
            term = index.get(term_id)
            if term is None:
                continue
            first = bisect_left(starts, start)
            last = max(first, bisect_right(starts, end - 1) - 1)
            if first >= len(starts):
                continue
            if any(gaps[k] == GAP_SENTENCE and not gap_texts[k].strip() for k in range(first + 1, last + 1)):
                continue  # "Hearing test<TAB>Normal\nMRI brain<TAB>Ventriculomegaly": two rows, no normal MRI
            # Named as well in the same sentence ("moderate ID (IQ 45)"): once. In another sentence it is another
            # statement ("Her mother has short stature. Height -2.5 SD."; "No microcephaly at birth. Now OFC ...");
            # so is a value that says the opposite of the name ("her father has short stature, but she is of
            # normal height": the relative's finding and the patient's normal value are both kept).
            # (A name inside the value's own words is the value's: "5 ft 11 in tall (...), above the 99th centile".)
            sid = sentence[first]
            if not any(c.term == term and sentence[c.first] == sid and c.normal == ruled_out for c in out) and not any(
                    c.term == term and sentence[c.first] == sid and c.normal == ruled_out
                    and not first <= c.first <= c.last <= last for c in chosen):
                out.append(_Candidate(first, last, term, 1, last - first + 1, normal=ruled_out, value=True))
        return out

    # ------------------------------------------------------------------------------------------ prematurity

    def _premature_births(self, forms, gaps, chosen: list[_Candidate]) -> list[_Candidate]:
        """'born preterm', 'premature infants', 'born at 34 weeks (of gestation)', 'born at 25/40', 'an ex-27 weeker',
        'a 29-week preterm infant' -> Premature birth, or its grade where the gestational age is said (PRETERM_GRADES),
        once per mention; the dictionary already has 'premature birth' and 'preterm delivery'."""
        premature = self._premature
        grades = self._preterm_grades
        terms = {premature} | {t for _w, t in grades}
        taken = [(c.first, c.last) for c in chosen if c.term in terms]
        out: list[_Candidate] = []
        n = len(forms)

        def add(first: int, last: int, weeks: int | None = None) -> None:
            term = premature if weeks is None else next((t for w, t in grades if weeks < w), None)
            if term is not None and not any(first <= b and a <= last for a, b in taken):
                taken.append((first, last))
                out.append(_Candidate(first, last, term, 1, last - first + 1))

        def at_term(first: int, last: int) -> None:  # a birth at term: Premature birth ruled out
            if not (first and forms[first - 1] in _NOT_AT_TERM) and not any(first <= b and a <= last for a, b in taken):
                taken.append((first, last))
                out.append(_Candidate(first, last, premature, 1, last - first + 1, normal=True))

        for i, form in enumerate(forms):
            if form in _PRETERM:
                # the gestational age right before: "a 29-week preterm infant", "ex-25 week preterm"
                k = next((k for k in range(max(0, i - 4), i) if _gestation_at(k, forms, gaps) == i - 1), -1)
                if k >= 0 and 20 <= int(forms[k]) < TERM_WEEKS:
                    first = k - 1 if k and forms[k - 1] == "ex" and gaps[k] <= GAP_HYPHEN else k
                    last = i + 1 if i + 1 < n and forms[i + 1] in _BIRTH and gaps[i + 1] <= GAP_HYPHEN else i
                    add(first, last, int(forms[k]))
                elif i + 1 < n and forms[i + 1] in _BIRTH and gaps[i + 1] <= GAP_HYPHEN:
                    add(i, i + 1)
                elif i > 0 and forms[i - 1] in _BIRTH and gaps[i] <= GAP_HYPHEN:
                    add(i - 1, i)
            elif form == "ex":
                if (i + 1 < n and gaps[i + 1] <= GAP_HYPHEN and (unit := _gestation_at(i + 1, forms, gaps)) > 0
                        and 20 <= int(forms[i + 1]) < TERM_WEEKS):
                    add(i, unit, int(forms[i + 1]))
            elif form == "term":
                # "a term delivery", "a full-term baby" (a birth word after; "born at term" is read from "born")
                if (i + 1 < n and forms[i + 1] in _BIRTH and gaps[i + 1] <= GAP_HYPHEN
                        and not (i and forms[i - 1] in _NOT_AT_TERM and gaps[i] <= GAP_HYPHEN)):
                    at_term(i - 1 if i and forms[i - 1] == "full" and gaps[i] <= GAP_HYPHEN else i, i + 1)
            elif form in _BORN:
                # "born at term", "delivered at full term"
                if i + 2 < n and forms[i + 1] == "at" and gaps[i + 1] == gaps[i + 2] == GAP_SPACE and (
                        forms[i + 2] == "term" or forms[i + 2] == "full" and i + 3 < n and forms[i + 3] == "term"
                        and gaps[i + 3] <= GAP_HYPHEN):
                    at_term(i, i + 2 if forms[i + 2] == "term" else i + 3)
                    continue
                # the gestational age within a few words of the same clause: "born at a gestational age of 34 weeks"
                for k in range(i + 1, min(i + 8, n - 1)):
                    if gaps[k] >= GAP_COMMA:
                        break
                    unit = _gestation_at(k, forms, gaps)
                    if unit > 0:
                        if 20 <= int(forms[k]) < TERM_WEEKS:
                            add(i, unit, int(forms[k]))
                        elif FULL_TERM_WEEKS <= int(forms[k]) < POST_TERM_WEEKS:  # "born at 40 weeks": at term
                            at_term(i, unit)
                        break
                    if forms[k].isdigit():
                        break
        return out

    # ------------------------------------------------------------------------------------------ counted

    def _counted_terms(self, db: sqlite3.Connection) -> tuple[frozenset[int], dict[int, frozenset[str]]]:
        """Terms that count a finding ('Multiple lipomas', 'Numerous nevi'); and per term, the plural word forms
        in its own HPO names ('Cafe-au-lait macules' names Cafe-au-lait spot: that plural is not a count)."""
        multiple = self._vocab.lookup("multiple")
        if multiple is None:
            return frozenset(), {}
        self._multiple_class = multiple[2]
        labels = self.ontology.labels
        counted = frozenset(
            t
            for t, cat in self._category.items()
            if cat == CATEGORY_PHENOTYPE and labels[t].split(" ", 1)[0].casefold() in _COUNT_WORDS
        )
        # The findings a count could be made of: what each counting name names without its quantifier.
        rests = []
        for key, hit in self._entries.items():
            if multiple[2] in key and any(t in counted for t, _p, _f in hit):
                rest = list(key)
                rest.remove(multiple[2])
                rests.append(tuple(rest))
        singles = {r[0] for r in rests if len(r) == 1}
        medium = {m for _f, m, c in self._vocab.forms.values() if c in singles}
        findings = {t for r in rests if len(r) > 1 for t, _p, _f in self._entries.get(r, ())}
        findings.update(t for m in medium for t, _p, _f in self._entries.get((-1 - m,), ()))
        ids = self.ontology.ids
        plural_names: dict[int, set[str]] = {}
        for t in findings:
            names = [labels[t]]
            with contextlib.suppress(sqlite3.Error):  # a KB without synonyms: labels only
                names += [r[0] for r in db.execute("SELECT synonym FROM synonyms WHERE term_id = ?", (ids[t],))]
            for name in names:
                for w in name.replace("-", " ").split():
                    form = word_form(w)
                    if self._is_plural(form):
                        plural_names.setdefault(t, set()).add(form)
        return counted, {t: frozenset(f) for t, f in plural_names.items()}

    def _is_plural(self, form: str) -> bool:
        """'lipomas', 'nevi', 'exostoses', 'teeth': an inflected form of a known word (same fine class)."""
        cached = self._plural_cache.get(form)
        if cached is not None:
            return cached
        found = self._vocab.lookup(form)
        plural = False
        if found is not None and found[0] >= 0:
            for c in inflection_candidates(form):
                # not the Latin-adjective guesses: occult -> occulta, bifida -> bifid
                if c == form or c == form + "a" or (form.endswith("a") and c == form[:-1]):
                    continue
                other = self._vocab.forms.get(c)
                if other is not None and other[0] == found[0]:
                    plural = True
                    break
        if len(self._plural_cache) < 50_000:
            self._plural_cache[form] = plural
        return plural

    def _counted_findings(self, chosen: list[_Candidate], forms, coarse, gaps, skip) -> list[_Candidate]:
        """A plural finding is more than one: 'lipomas' -> Multiple lipomas, 'pulmonary cysts' -> Multiple
        pulmonary cysts, when HPO has such a counting term and does not itself give the single finding that
        plural as a name ('cafe-au-lait macules', 'renal cysts', 'nevi' stay single). After a quantifier the
        count is explicit: 'several large lipomas' -> Multiple lipomas, and for a head that is counted apart
        'numerous basal cell nevi' -> Numerous nevi besides the basal cell nevi. Numerals are not read as
        quantifiers: the writer gave the count, and the single finding keeps it."""
        out: list[_Candidate] = []
        entries = self._entries
        counted = self._counted
        plural_cache = self._plural_cache
        mult = self._multiple_class
        pairs, base = self._pairs, self._base
        for c in chosen:
            last = c.last
            if c.normal or c.term in counted or coarse[last] < 0:
                continue
            plural = plural_cache.get(forms[last])  # (_is_plural's own cache, read without a call)
            if plural is None:
                plural = self._is_plural(forms[last])
            if not plural:
                continue
            if not skip[last]:  # the last word ends every key looked up below: its pair with "multiple" first
                a, b = mult, coarse[last]
                if (a * base + b if a <= b else b * base + a) not in pairs:
                    continue
            if c.first == last:  # (the usual one-word finding, without a comprehension's cost)
                idx = [] if skip[last] else [last]
            else:
                idx = [k for k in range(c.first, last + 1) if coarse[k] >= 0 and not skip[k]]
            # A quantifier before the finding, with at most two of its modifiers between ("several large").
            quantifier = None
            k = c.first - 1
            while k >= 0 and c.first - k <= 3 and gaps[k + 1] <= GAP_HYPHEN:
                if forms[k] in _QUANTIFIERS or (forms[k] in _COUNTS and _more_than(k, forms)):
                    quantifier = k
                    break
                if coarse[k] < 0:
                    break
                k -= 1
            before = list(range(quantifier + 1, c.first)) if quantifier is not None else []
            words = before + idx
            if words:  # every key looked up below holds "multiple" and the last word: the pair must occur in a name
                a, b = mult, coarse[words[-1]]
                if (a * base + b if a <= b else b * base + a) not in pairs:
                    continue
            for cut in range(len(words) if quantifier is not None else 1):
                hit = entries.get(tuple(sorted([mult] + [coarse[k] for k in words[cut:]])))
                term = next((t for t, _p, _f in hit if t in counted), None) if hit else None
                if term is None:
                    continue
                if cut <= len(before):  # the count of the whole finding
                    if quantifier is not None or forms[last] not in self._plural_names.get(c.term, ()):
                        if quantifier is None:
                            c.single = c.term
                        c.term = term
                        if quantifier is not None:
                            c.first = quantifier
                elif quantifier is not None:  # of its head alone: a second finding, the counted one
                    out.append(_Candidate(quantifier, last, term, 1, len(words) - cut + 1))
                break
        return out

    # ------------------------------------------------------------------------------------------ resolve

    def _resolve(self, candidates: list[_Candidate], forms: list[str], gaps: list[int], coarse, allowed) -> list[_Candidate]:
        """Longest match wins; among equals the better name (label, exact synonym) and the earlier start.

        A phrase cut inside a hyphenated compound ("spina bifida at L5" of "at L5-S4") ranks below any phrase
        that ends at a word boundary, and a phrase ending on the adjective of a following noun ("hyperplasia
        of the mandibular" of "... mandibular coronoid processes") is about that noun: what it does say is that
        the organ is abnormal, so it backs off to the organ's abnormality when that is an ancestor of the term
        ("Abnormal mandible morphology", not Prognathism).
        """
        if not candidates:
            return []
        n = len(forms)
        # "absence of seizures" is the negation of Seizure, not an "absence seizure": drop a phrase that starts
        # at "absence of" when the words after "of" alone already name a finding ending at the same place.
        ends_after_of: set[tuple[int, int]] | None = None  # the spans of all candidates, made when first asked
        starts_after_of: dict[int, int] | None = None  # each first word's furthest candidate end, the same
        kept = []
        cut: set[int] = set()
        for c in candidates:
            if forms[c.first] in ("absence", "absent") and c.first + 1 < n and forms[c.first + 1] == "of":
                if ends_after_of is None:
                    ends_after_of = {(c.first, c.last) for c in candidates}
                if any((f, c.last) in ends_after_of for f in range(c.first + 2, c.last + 1)):
                    continue
            if forms[c.first] in _SIGNS_OF and c.last > c.first and any(
                    o.last == c.first and o.first < c.first for o in candidates):
                continue  # "pyramidal signs in the legs": the signs are a name's head, not an abnormality of the legs
            if forms[c.first] in _SIGNS_OF and c.first + 1 < n and forms[c.first + 1] == "of":
                # "signs of heart failure" names heart failure, not "signs of heart" (an abnormality of the heart):
                # drop a phrase that starts at "signs of" when a finding starts after "of" and ends beyond it
                if starts_after_of is None:
                    starts_after_of = _furthest_ends(candidates)
                if any(starts_after_of.get(f, -1) > c.last for f in range(c.first + 2, c.last + 1)):
                    continue
            if (
                c.term == self._absent_speech and forms[c.first] == "no" and c.last == c.first + 1 and c.last + 1 < n and gaps[c.last + 1] < GAP_COMMA
                and forms[c.last + 1] not in _AFTER_A_NEGATED_NAME
                and not (forms[c.last + 1] == "and" and c.last + 2 < n and forms[c.last + 2] not in _SPEECH_COMPANIONS)
            ):
                continue  # "no speech" names Absent speech where it ends: not "no speech therapy", "no speech or ..."
            if (c.term == self._absent_speech and forms[c.first] == "no" and forms[c.last] == "words"
                    and c.last + 1 < n and forms[c.last + 1] in ("at", "by")):
                continue  # "no words at 12 months" is an age's milestone (measures.py reads it), not absent speech
            if forms[c.last].endswith(_ADJECTIVE_ENDINGS) and _dangling_adjective(c.first, c.last, forms, gaps):
                c = self._organ_backoff(c, forms, gaps, coarse, allowed)
                if c is None:
                    continue
            if (c.last + 1 < n and gaps[c.last + 1] == GAP_HYPHEN and forms[c.last + 1]) or (
                    gaps[c.first] == GAP_HYPHEN and _grade_range_before(c.first, forms, gaps) < 0):
                cut.add(id(c))  # (the hyphen of a range of grades, "moderate-severe ID", joins no compound)
            kept.append(c)
        kept = self._drop_merged(kept, forms, coarse)
        if cut:
            kept.sort(key=lambda c: (id(c) in cut, -c.size, -(c.last - c.first), c.priority, c.first))
        else:  # (the same order: no phrase is cut)
            kept.sort(key=lambda c: (-c.size, -(c.last - c.first), c.priority, c.first))
        taken: list[_Candidate] = []
        used: set[int] = set()
        for c in kept:
            if c.first == c.last:  # (a one-word phrase: one word to test and take)
                if c.first in used:
                    continue
                used.add(c.first)
            else:
                span = range(c.first, c.last + 1)
                if not used.isdisjoint(span):
                    continue
                used.update(span)
            taken.append(c)
        return taken

    def _drop_merged(self, candidates: list[_Candidate], forms: list[str], coarse) -> list[_Candidate]:
        """Drop a phrase assembled from the words of two adjacent findings ("seizures hypotonia" is not an Atonic
        seizure, "cataract developmental delay" not a Developmental cataract).

        A phrase whose first words are a finding of their own, followed at once by the first word of another
        finding, is such a merger when that other finding runs on past the phrase (the phrase took only part of
        it), or when it ends with the phrase and the phrase has its head word first ("ataxia spasticity" for
        Spastic ataxia: English puts the head last; "atrophy of the kidney" has its "of" and is not juxtaposed).
        """
        if len(candidates) < 3:
            return candidates
        exact = {(c.first, c.last) for c in candidates if not c.normal}
        by_first: dict[int, list[_Candidate]] | None = None  # made when first asked: most texts never ask
        out = []
        for c in candidates:
            if c.normal or c.coordinated or c.last == c.first:
                out.append(c)
                continue
            merged = False
            for m in range(c.first, c.last):
                if (c.first, m) not in exact or not forms[m + 1] or coarse[m + 1] < 0:
                    continue
                if by_first is None:
                    by_first = {}
                    for other in candidates:
                        if not other.normal:
                            by_first.setdefault(other.first, []).append(other)
                for b in by_first.get(m + 1, ()):
                    if b.term == c.term or b.last < c.last:
                        continue
                    if b.last > c.last or self._head_first(c, forms, coarse) or not self._named_as_written(c, m, forms):
                        merged = True
                        break
                if merged:
                    break
            if not merged:
                out.append(c)
        return out

    def _multiword_names(self, db: sqlite3.Connection) -> dict[str, str]:
        """HPO ID -> its synonyms of two or more words (and the clinical ones), joined by '|'; read once (~0.05 s)."""
        names: dict[str, str] = {}
        with contextlib.suppress(sqlite3.Error):  # a KB without synonyms: labels only
            names = dict(db.execute("SELECT term_id, group_concat(synonym, '|') FROM synonyms"
                                    " WHERE synonym LIKE '% %' GROUP BY term_id"))
        for phrase, term_id in clinical_synonyms().items():
            names[term_id] = f"{names.get(term_id, '')}|{phrase}"
        return names

    def _named_as_written(self, c: _Candidate, m: int, forms: list[str]) -> bool:
        """Words c.first..m (a finding of their own) are written as in some name of c's term, not only folded onto
        it: "hypotonic seizures" names Atonic seizure, "hypotonia seizures" is two findings."""
        lookup = self._vocab.lookup
        names = self._name_classes.get(c.term)
        if names is None:
            text = self.ontology.labels[c.term] + "|" + self._synonyms.get(self.ontology.ids[c.term], "")
            # a hyphenated word as its parts and joined, as the text's words may be ("non-insulin", "preauricular")
            words = _NAME_SEPARATORS.split(text.replace("-", " ")) + _NAME_SEPARATORS.split(text.replace("-", ""))
            names = frozenset(found[0] for w in words if w and (found := lookup(word_form(w))))
            if len(self._name_classes) < 50_000:
                self._name_classes[c.term] = names
        return all((found := lookup(forms[k])) is None or found[0] in names for k in range(c.first, m + 1) if forms[k])

    def _sides_reversed(self, c: _Candidate, forms: list[str]) -> bool:
        """The phrase says "left" and "right" in the order opposite to its term's label's ("left to right" read as
        Right-to-left shunt): a direction, which the words' bag alone does not tell."""
        words = forms[c.first : c.last + 1]
        if "left" not in words or "right" not in words:
            return False
        label = re.findall(r"[a-z]+", self.ontology.labels[c.term].lower())
        if "left" not in label or "right" not in label:
            return False
        return (words.index("left") < words.index("right")) != (label.index("left") < label.index("right"))

    def _a_part_of_the_head(self, c: _Candidate, forms: list[str], coarse, gaps: list[int]) -> bool:
        """Two juxtaposed words name a part of the organ the term's label ends on, where the label places that organ
        in the part ("renal pelvis" for Pelvic kidney): the text's last word, the part, is its head, written as a
        noun where the label has the adjective; both words name parts ("cystic kidneys" is no cyst's kidney)."""
        if gaps[c.last] != GAP_SPACE or self._abnormal is None:
            return False
        pair = self._label_pairs.get(c.term, False)
        if pair is False:
            pair = None
            label = [f for f in map(word_form, self.ontology.labels[c.term].replace("-", " ").split()) if f not in STOPWORDS]
            if len(label) == 2 and (found := [self._vocab.lookup(f) for f in label]) and None not in found:
                pair = (found[0], found[1])
            if len(self._label_pairs) < 50_000:
                self._label_pairs[c.term] = pair
        if pair is None:
            return False
        modifier, head = pair
        if coarse[c.first] != head[2] or coarse[c.last] != modifier[2]:
            return False  # not the label's words the other way round
        part = self._vocab.lookup(forms[c.last])
        if part is None or part[0] == modifier[0]:
            return False  # the part written as in the label ("kidneys pelvic")
        return head[2] in self._parts() and modifier[2] in self._parts()

    def _parts(self) -> frozenset[int]:
        """Coarse classes of the body's parts: what HPO names with "abnormal" alone or in an "Abnormal ... morphology"
        of at most two words ("Abnormal renal pelvis morphology"); made when first asked (~15 ms)."""
        if self._part_classes is None:
            morphology = self._vocab.lookup("morphology")
            shape = morphology[2] if morphology else None
            abnormal = self._abnormal
            self._part_classes = frozenset(k for key in self._entries if abnormal in key and (
                len(key) == 2 or shape in key and len(key) <= 4) for k in key if k not in (abnormal, shape))
        return self._part_classes

    def _no_increase_of_an_increase(self, triggers: list[Trigger], chosen: list[_Candidate], forms: list[str]) -> list[Trigger]:
        """"no increase" says a course ("no increase in seizure frequency"), except of a finding that is itself an
        increase: "no increase in central nuclei", "no increase in CK" (its words read with the finding's) and "no
        increase in endomysial fibrosis" (Increased endomysial connective tissue) rule it out: the "no" negates."""
        out = []
        for t in triggers:
            k = t.end  # the word after "no increase"
            if t.kind == PSEUDO and t.end >= t.start + 2 and forms[k - 2] == "no" and forms[k - 1] == "increase" and any(
                    c.first == k - 1 or (c.first == k + 1 and forms[k] in ("in", "of") and self._an_increase(c.term))
                    for c in chosen if not c.normal):
                t = Trigger(NEG_PRE, t.start, k - 1)  # ("there was no increase": "there was no")
            out.append(t)
        return out

    def _an_increase(self, term: int) -> bool:
        """The term's label says an increase ("Increased endomysial connective tissue")."""
        first = self.ontology.labels[term].split(" ", 1)[0]
        found = self._vocab.lookup(word_form(first))
        return found is not None and found[2] == self._increased

    def _sides_swapped(self, term: int) -> int | None:
        """The term whose label is term's with "left" and "right" swapped (Right-to-left shunt: Left-to-right
        shunt), if HPO has it."""
        if self._swapped_labels is None:
            labels = {label.lower(): k for k, label in enumerate(self.ontology.labels)
                      if "left" in label.lower() and "right" in label.lower()}
            swap = {"left": "right", "right": "left"}
            self._swapped_labels = {k: other for label, k in labels.items()
                                    if (other := labels.get(re.sub(r"left|right", lambda m: swap[m.group()], label)))
                                    is not None}
        return self._swapped_labels.get(term)

    def _head_first(self, c: _Candidate, forms: list[str], coarse) -> bool:
        """The phrase's words are juxtaposed with the head of its term's label first ("seizures hypotonia")."""
        words = [k for k in range(c.first, c.last + 1) if forms[k]]
        if any(coarse[k] < 0 for k in words):
            return False  # stopwords between: "atrophy of the kidney"
        if len(forms[words[0]]) >= 5 and forms[words[0]].endswith(_ADJECTIVE_ENDINGS + ("ive",)):
            return False  # an adjective qualifies the noun after it: "eosinophilic colitis", "photosensitive skin rashes"
        head = self._label_heads.get(c.term)
        if head is None:
            head = -1
            content = [f for f in map(word_form, self.ontology.labels[c.term].replace("-", " ").replace(",", " ").split())
                       if f not in STOPWORDS]
            if len(content) > 1:  # a one-word label ("Migraine") says nothing of its synonyms' word order
                found = self._vocab.forms.get(content[-1])
                head = found[2] if found is not None else -1
            if len(self._label_heads) < 50_000:
                self._label_heads[c.term] = head
        return head >= 0 and coarse[words[0]] == head and coarse[words[-1]] != head

    def _organ_backoff(self, c: _Candidate, forms, gaps, coarse, allowed) -> _Candidate | None:
        """'hyperplasia of the mandibular coronoid processes' -> Abnormal mandible morphology over the whole
        phrase, when that term is an ancestor of what the words up to the adjective named; else None."""
        found = self._abnormal_of(range(c.last, c.last + 1), lambda _j: False, coarse, allowed)
        if found is None or not self.ontology.is_ancestor(found[1][0], c.term):
            return None
        last = c.last
        while (last + 1 < len(forms) and last - c.last < 3 and gaps[last + 1] == GAP_SPACE
               and forms[last + 1].isalpha() and forms[last + 1] not in _NOT_A_NOUN):
            last += 1  # the part of the organ the phrase is about
        return _Candidate(c.first, last, found[1][0], found[1][1] + QUALIFIER_PENALTY, c.size)

    # ------------------------------------------------------------------------------------- abbreviations

    def _read_abbreviation_contexts(self) -> dict[str, list[tuple[int, frozenset[str]]]]:
        """Ambiguous abbreviations read by the words around them (resources/text/abbreviation_contexts.tsv)."""
        path = resources_dir() / "text" / "abbreviation_contexts.tsv"
        out: dict[str, list[tuple[int, frozenset[str]]]] = {}
        if not path.is_file():
            return out
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("#", 1)[0].split("\t")
            if len(fields) < 3 or not fields[0].strip():
                continue
            term = self.ontology.resolve(fields[1].strip()).index
            if term is not None:
                cues = frozenset(word_form(w) for w in fields[2].split())
                out.setdefault(fields[0].strip(), []).append((term, cues))
        return out

    def _by_context(self, surface: str, k: int, forms: list[str], sentence: list[int], text: str, starts: list[int],
                    ends: list[int]) -> int | None:
        """The meaning of an ambiguous abbreviation that the other words of its sentence, the short heading it
        answers ("Echo: small ASD", "Development:\nDD") or, as a heading, its answer ("LD: moderate") point to."""
        readings = self._abbreviation_contexts.get(surface)
        if readings is None and surface.endswith("s"):
            readings = self._abbreviation_contexts.get(surface[:-1])
        if not readings:
            return None
        sid = sentence[k]
        first, last = k, k
        while first > 0 and sentence[first - 1] == sid:
            first -= 1
        while last + 1 < len(forms) and sentence[last + 1] == sid:
            last += 1
        gap = text[ends[first - 1] : starts[first]] if first > 0 else ""
        if gap.strip() == ":" and line_breaks(gap) <= 1:
            heading = first - 1
            while heading > 0 and sentence[heading - 1] == sentence[first - 1]:
                heading -= 1
            if first - heading <= MAX_HEADING:
                first = heading
        elif last + 1 < len(forms) and last - first < MAX_HEADING:
            gap = text[ends[last] : starts[last + 1]]
            if gap.strip() == ":" and line_breaks(gap) <= 1:  # "LD: moderate", "ASD:\nsecundum": the answer too
                answer = last + 1
                while last + 1 < len(forms) and sentence[last + 1] == sentence[answer]:
                    last += 1
        best = None
        best_distance = len(forms)
        for term, cues in readings:  # the nearest cue decides ("ID, ASD and a VSD"); a tie goes to the earlier line
            for i in range(first, last + 1):
                if i != k and forms[i] in cues and abs(i - k) < best_distance:
                    best, best_distance = term, abs(i - k)
        return best

    def _abbreviations_in(
        self, text, surfaces, abbreviated, starts, ends, chosen, allowed, forms, sentence, coarse, gaps
    ) -> list[_Candidate]:
        """Whole-word abbreviations: the text's own definitions ('... (SNHL)') first, then the known list. An
        ambiguous abbreviation whose sentence points to one meaning ('secundum ASD', 'renal AMLs') takes that
        meaning, whatever the text defined it as elsewhere."""
        local: dict[str, int] = {}
        blocked: set[str] = set()
        by_last: dict[int, _Candidate] | None = None  # the phrase ending at each word (built when needed)
        covered: dict[int, int] | None = None  # word -> last word of the found phrase it is in (built when needed)
        out: list[_Candidate] = []
        for k in compress(range(len(surfaces)), abbreviated):
            surface = surfaces[k]
            if k > 0 and "(" in text[ends[k - 1] : starts[k]] and text[ends[k] : ends[k] + 1] in (")", ";", ","):
                if by_last is None:
                    by_last = {c.last: c for c in chosen}
                c = by_last.get(k - 1)
                if c is not None:
                    local[surface] = c.term
                    local[surface + "s"] = c.term
                else:
                    blocked.add(surface)
                    blocked.add(surface + "s")
                continue
            term = (self._by_context(surface, k, forms, sentence, text, starts, ends)
                    if surface in self._context_surfaces else None)
            if term is None:
                term = local.get(surface)
            if term is None and surface not in blocked:
                term = self._abbreviations.get(surface)
                if term is None and surface.endswith("s") and surface[:-1] not in blocked:
                    term = self._abbreviations.get(surface[:-1])
            if term is None:
                continue
            if surface.rstrip("s") in _LABEL_ABBREVIATIONS and _labels_a_record(text, surfaces, starts, ends, k):
                continue  # "Patient ID: 123", "sample IDs": a record's label
            if _other_meaning(text, surfaces, starts, ends, forms, sentence, k):
                continue  # "AF 0.0003" (allele frequency), "AF soft" (anterior fontanelle), "Dr DD Smith"
            if allowed is not None and self._category.get(term, CATEGORY_PHENOTYPE) != allowed:
                continue
            if any(c.term == term and c.first <= k <= c.last for c in chosen):
                continue  # a name of the same finding holds it already ("Recurrent UTIs" is one of HPO's)
            first = k
            if k > 0 and coarse[k - 1] >= 0 and gaps[k] == GAP_SPACE:
                if covered is None:
                    covered = {i: c.last for c in chosen for i in range(c.first, c.last + 1)}
                # "moderate ID", "portal HTN", "pulmonary arterial HTN": the words before the abbreviation name a
                # longer term with its expansion, as they would with the expansion written out
                joined = self._joined(term, k, coarse, gaps, covered, allowed)
                if joined is not None:
                    term, first = joined
            last = k
            if first == k and k + 1 < len(forms) and coarse[k + 1] >= 0 and (
                    _item_ends(_grade_range_after(k + 1, forms, gaps), forms, gaps) and (
                        (gaps[k + 1] == GAP_SENTENCE and text[ends[k] : starts[k + 1]].strip() == ":"
                         and line_breaks(text[ends[k] : starts[k + 1]]) <= 1)
                        or (gaps[k + 1] == GAP_COMMA and forms[k + 1] in _TRAILING_QUALIFIERS))):
                # "LD: moderate", "ID, severe", as "Learning disability: moderate", "Intellectual disability, severe"
                # (a range after it, "ID, moderate to severe", is read as both grades by _grade_ranges)
                graded = self._graded(term, coarse[k + 1], allowed)
                if graded is not None:
                    term, last = graded, k + 1
            if (first == k and k > 0 and surface.endswith("s") and forms[k - 1] in _COUNTS and _more_than(k - 1, forms)
                  and gaps[k] == GAP_SPACE and self._counted):
                counted = self._counted_abbreviation(term)
                if counted is not None:
                    term, first = counted, k - 1
            out.append(_Candidate(first, last, term, 1, last - first + 1))
        return out

    def _grades_denied(self, chosen: list[_Candidate], forms, coarse, gaps, allowed) -> list[_Candidate]:
        """'Intellectual disability in the moderate range, neither mild nor severe', 'moderate hearing loss, not
        severe', 'severe intellectual disability, not in the mild or moderate range': each grade denied right after a finding, as that grade of the finding (of its ungraded parent where
        it is graded already), over the grade's word; the "neither", "nor" or "not" before it rules it out."""
        out: list[_Candidate] = []
        n = len(forms)
        for c in chosen:
            k = c.last + 1
            if k + 1 < n and forms[k] == "range" and gaps[k] == GAP_SPACE:  # "in the moderate range, ..."
                k += 1
            # (after a comma or in a bracket: "severe intellectual disability (not in the mild or moderate range)")
            if k + 1 >= n or gaps[k] not in (GAP_COMMA, GAP_BREAK) or forms[k] not in ("neither", "not"):
                continue
            grades = []
            k += 1
            while k + 1 < n and forms[k] in ("in", "within", "the") and gaps[k] == GAP_SPACE:
                k += 1  # "not in the mild or moderate range": the grades' range
            while k < n and gaps[k] == GAP_SPACE and forms[k] in _GRADES and coarse[k] >= 0:
                grades.append(k)
                k += 2  # the next grade after "nor" or "or"
                if k - 1 >= n or forms[k - 1] not in ("nor", "or") or gaps[k - 1] != GAP_SPACE:
                    break
            bases = [c.term, *self.ontology.parents(c.term).tolist()]
            for g in grades:
                term = next((t for t in (self._graded(b, coarse[g], allowed) for b in bases) if t is not None), None)
                if term is not None and term != c.term:
                    out.append(_Candidate(g, g, term, 1, 1))
        return out

    def _grade_ranges(self, chosen: list[_Candidate], forms, coarse, gaps, allowed) -> list[_Candidate]:
        """'moderate to severe intellectual disability', 'moderate-severe ID', 'intellectual disability in the
        moderate to severe range', 'Intellectual disability: moderate to severe': a range of two grades is both (as
        "moderate or severe" is read), the other grade of the finding (of its ungraded parent where it is graded)
        over the whole range, which the graded finding read after it takes into its span too. "From mild to severe"
        is a course, not a range: only the grade reached."""
        out: list[_Candidate] = []
        n = len(forms)
        for c in chosen:
            if c.normal:
                continue
            if forms[c.first] in _GRADES and (other := _grade_range_before(c.first, forms, gaps)) >= 0:
                first, last, others = other, c.last, (other,)  # "moderate to severe ID", "moderate-severe ID"
                own = c.first
            elif forms[c.last] in _GRADES and (other := next(
                    (k for k in (c.last + 1, c.last + 2) if k < n and forms[k] in _GRADES), -1)) >= 0 and (
                    _grade_range_before(other, forms, gaps) == c.last):
                first, last, others = c.first, other, (other,)  # "ID: moderate to severe", "... moderate to severe range"
                own = c.last
            elif forms[c.last] in _GRADES and (other := _grade_range_before(c.last, forms, gaps)) > c.first:
                # "ID, moderate to severe": a list item's qualifiers, read inside the finding's span; which grade
                # the finding took is not known here, so each grade's term is tried
                first, last, others = c.first, c.last, (other, c.last)
                own = -1
            else:
                continue
            if own >= 0 and (forms[other] == forms[own] or coarse[other] < 0):
                continue
            if other < c.first and other > 0 and forms[other - 1] == "from" and gaps[other] == GAP_SPACE:
                continue  # "from mild to severe hearing loss": the course's end
            # (the grandparents too: "mild to moderate sensorineural hearing loss" has no mild sensorineural term in
            # HPO, and Moderate sensorineural hearing impairment's parent Moderate hearing impairment is graded)
            parents = self.ontology.parents(c.term).tolist()
            bases = [c.term, *parents, *(g for p in parents for g in self.ontology.parents(p).tolist())]
            for other in others:
                if coarse[other] < 0 or (own < 0 and forms[others[0]] == forms[others[1]]):
                    continue
                term = next((t for t in (self._graded(b, coarse[other], allowed) for b in bases) if t is not None), None)
                if term is None or term == c.term:
                    continue
                out.append(_Candidate(first, last, term, c.priority, c.size, coordinated=True))
                c.last = last  # (the range read after the finding: each grade's span is the whole range)
        return out

    def _graded(self, term: int, grade: int, allowed) -> int | None:
        """The term that term's label and one more word (its answer after a colon) name, if another."""
        classes = self._label_classes(term)
        hit = self._entries.get(tuple(sorted(classes + [grade]))) if classes is not None else None
        picked = self._pick(hit, None, allowed) if hit else None
        return picked[0] if picked is not None and picked[0] != term else None

    def _label_classes(self, term: int) -> list[int] | None:
        """The dictionary word classes of term's label (stopwords left out); None if a word is not in it."""
        classes = []
        for w in self.ontology.labels[term].replace("-", " ").replace(",", " ").split():
            form = word_form(w)
            if form in STOPWORDS:
                continue
            found = self._vocab.forms.get(form)
            if found is None:
                return None
            classes.append(found[2])
        return classes

    def _counted_abbreviation(self, term: int) -> int | None:
        """The counting term of an abbreviated finding ('more than six CALMs': Multiple cafe-au-lait spots)."""
        classes = self._label_classes(term)
        hit = self._entries.get(tuple(sorted([self._multiple_class, *classes]))) if classes else None
        return next((t for t, _p, _f in hit if t in self._counted), None) if hit else None

    def _joined(self, term: int, k: int, coarse, gaps, covered: dict[int, int], allowed) -> tuple[int, int] | None:
        """(term, first word) of the longest name that up to three dictionary words before word k make with the
        words of term's label; None if they make none. Words of a finding of their own are not taken."""
        classes = self._label_classes(term)
        if classes is None:
            return None
        first = k
        while first > 0 and k - first < 3 and coarse[first - 1] >= 0 and gaps[first] <= GAP_HYPHEN and covered.get(first - 1, k) >= k:
            first -= 1
        for start in range(first, k):
            hit = self._entries.get(tuple(sorted(classes + coarse[start:k])))
            picked = self._pick(hit, None, allowed) if hit else None
            if picked is not None and picked[0] != term:
                return picked[0], start
        return None


# Words that, after "no speech and", make one noun of the two ("no speech and language concerns").
_SPEECH_COMPANIONS = frozenset(("language", "communication", "swallowing", "hearing", "therapy", "concerns"))
# Words that may follow "no speech" ("no speech at 3 years") without making it part of another noun.
_AFTER_A_NEGATED_NAME = frozenset(("at", "by", "yet", "until", "since", "aged", "from", "so", "as", "despite"))
# Relational adjectives ("mandibular", "renal", "cystic", "fibrous", "pituitary") cannot end a prepositional
# object: "of the mandibular" needs its noun. Generic heads add nothing ("of the pituitary gland").
_ADJECTIVE_ENDINGS = ("ar", "al", "ic", "ous", "ary")
# After "without", the words that say what their subject is not (_without_participles): participles ("toes without
# overlapping") and adjectives ("ears without dysplastic features", "kidneys without cystic change")
_WITHOUT_ENDINGS = ("ing", "ed", *_ADJECTIVE_ENDINGS)
# Nouns after an adjective that add nothing to it: "dysplastic features" says no more than "dysplastic"
_ASPECT_NOUNS = frozenset(("feature", "features", "change", "changes", "appearance", "appearances", "configuration"))
_GENERIC_HEADS = frozenset(("gland", "glands", "region", "regions", "area", "areas", "tissue", "tissues", "organ", "organs", "structure", "structures"))
_NOT_A_NOUN = STOPWORDS | _COORDINATORS | {"with", "without", "was", "were", "is", "are", "as", "than", "that", "which"}
# Words before a list's head that are no modifier of it, where "and" goes before them: "the aortic root and no aortic
# aneurysm", "hypotonic as an infant and remains hypotonic" (a negation or a verb begins a statement of its own)
_NO_MODIFIERS = frozenset(("no", "not", "never", "remains", "remain", "remained", "becomes", "became", "become",
                           *COPULAS, *_LINKING_VERBS))


# One side of the body, and what says both (see Extractor._one_sided).
_SIDES = frozenset(("left", "right", "leftsided", "rightsided"))  # (hyphenated "left-sided" is read joined)
_TOWARDS = frozenset(("to", "from", "towards"))  # before a side word, a direction: "left to right"
_TWO_SIDES = frozenset(("bilateral", "bilaterally", "both"))
_LEFT_AS_A_VERB = COPULAS | {"it", "which", "that", "he", "she", "they"}


_PLACES_IN = frozenset(("in", "on", "at"))
# A heading's words that limit the statements after it to some limbs ("Upper limbs:", "Left leg -"; not "Face:",
# whose normal findings are the face's own).
_LIMB_HEADING_WORDS = frozenset(("upper", "lower", "left", "right", "arm", "arms", "leg", "legs", "proximal", "distal"))
_DASHES = frozenset(("-", "\u2013", "\u2014"))
_HEADING_MARKS = _DASHES | {":"}
_DISTANCES = frozenset(("distally", "proximally"))
_ITEM_ENDS = _COORDINATORS | _PLACES_IN | _DISTANCES  # what ends an item of a list stated normal


_RATIO_WORDS = frozenset(("ratio", "ratios", "quotient"))


def _ratios(forms: list[str], gaps: list[int], gap_texts: list[str], marks: list[int]) -> list[int]:
    """'FEV1/FVC ratio', 'albumin/creatinine ratio', 'lactate:pyruvate ratio': a ratio of two measures is one
    measure, its slash no coordinator and its colon no sentence's mark (the gap is made a space, so HPO's "Reduced FEV1/FVC ratio" reads over it). The words before each
    such slash (the first measure's last word): a finding that ends on either measure is none of the ratio's."""
    out = []
    for i in marks:
        if (gaps[i] == GAP_SLASH or gap_texts[i] == ":") and i + 1 < len(forms) and forms[i + 1] in _RATIO_WORDS and gaps[i + 1] == GAP_SPACE:
            gaps[i] = GAP_SPACE
            out.append(i - 1)
    return out


def _a_measured_concentration(c: _Candidate, forms: list[str], gaps: list[int], stop_forms: Container[str]) -> bool:
    """The 'concentration' that names finding c is a measured amount: a word of its own right before it names what is
    measured ("sperm concentration", "plasma zinc concentration", "vitamin B12 concentration"), where the mind's is
    qualified by the name's own words ("poor concentration") or by none ("his concentration")."""
    for k in range(max(c.first, 1), c.last + 1):
        if forms[k] in _CONCENTRATION and gaps[k] == GAP_SPACE:
            before = forms[k - 1]
            return (k - 1 < c.first and before[:1].isalnum() and before not in stop_forms and before not in _NOT_A_NOUN
                    and before not in SKIPPABLE and before not in _NORMAL_WORDS)
    return False


def _beyond(j: int, k: int, positions: range) -> bool:
    """Word j lies farther than word k along a walk over `positions` (forwards or backwards)."""
    return j > k if positions.step > 0 else j < k


def _verb_of_a_second_predicate(k: int, forms: list[str], gaps: list[int]) -> int:
    """Word k ends what comes before "of normal <dimension>"; where that is "and" after an earlier predicate of the
    same clause ("the philtrum is well formed and of normal length"), the earlier verb, whose subject is measured as
    "the philtrum is of normal length" is; else k. Not across a break into another clause; an aside in brackets is
    the predicate's ("is well formed (not smooth) and of normal length")."""
    if k < 1 or forms[k] != "and" or gaps[k + 1] != GAP_SPACE:
        return k
    return earlier_verb(forms, k, _NORMAL_VERBS, lambda j: gaps[j + 1] > GAP_BREAK)


def _verdict_negated(first: int, last: int, forms: list[str], gaps: list[int], inside: bool = True) -> int:
    """The first word of a negation of the statement of normal over words first..last, inside it ("copper was not
    within the normal range") or right before it ("not cognitively normal", "does not have normal hearing", "no
    normal development"), with the verb it leans on; -1 where the statement is not negated ("no seizures and normal
    hearing": the negation is of another finding). inside=False: only before it (a statement that holds its own
    negation, "he is not short", is no statement of normal)."""
    if inside and any(forms[k] in _VERDICT_NEGATIONS for k in range(first + 1, last)):
        return first
    k = first - 1
    while k >= 0 and gaps[k + 1] == GAP_SPACE and forms[k] in _BEFORE_A_VERDICT:
        k -= 1
    if k > 0 and gaps[k + 1] == GAP_SPACE and forms[k] in _COORDINATORS:
        if forms[k] != "nor" and _a_verb_of_its_own(last + 1, forms, gaps):
            return -1  # "did not have normal hearing, and normal vision was documented": a clause of its own
        return k if _negation_carried(k, forms, gaps) >= 0 else -1  # (its span from the coordinator)
    if k == first - 1 and gaps[first] == GAP_COMMA and _a_list_of_normals_closes(last, forms, gaps):
        # "no normal hearing, (normal vision), or normal growth": its span from itself (the negation: _as_negated)
        return first if _negation_carried(first, forms, gaps) >= 0 else -1
    if k < 0 or gaps[k + 1] != GAP_SPACE or not (
            forms[k] in _VERDICT_NEGATIONS or forms[k] in _ABSENCES and forms[k + 1] == "of"):
        return -1
    if k > 0 and gaps[k] == GAP_SPACE and forms[k - 1] in _BEFORE_A_NEGATION:
        k -= 1
        if k > 0 and gaps[k] == GAP_SPACE and forms[k - 1] == "there":  # "there is no normal ..."
            k -= 1
    return k


def _a_verb_of_its_own(k: int, forms: list[str], gaps: list[int]) -> bool:
    """Word k, right after a statement of normal, is a verb that makes it a clause of its own ("normal vision was
    documented")."""
    return k < len(forms) and gaps[k] == GAP_SPACE and (forms[k] in _NORMAL_VERBS or forms[k] in _BEFORE_A_NEGATION)


def _negation_carried(k: int, forms: list[str], gaps: list[int]) -> int:
    """The first word of the negation of a statement of normal right before the coordinator at word k, which the
    statement of normal after it shares ("does not have normal hearing or normal vision", "neither normal hearing
    nor normal vision"); -1 where there is none ("no seizures and normal hearing": the negation is of another
    finding, and the coordinator joins a statement of its own). A comma may stand before the coordinator ("does not
    have normal hearing, or normal vision"), or in its place before a list's next item, word k (see
    _a_list_of_normals_closes)."""
    if k < 1 or gaps[k] not in (GAP_SPACE, GAP_COMMA):
        return -1
    for j in range(k - 1, max(-1, k - 1 - _NORMAL_BEFORE_A_COORDINATOR), -1):
        if forms[j] == "normal":
            negation = _verdict_negated(j, j, forms, gaps, False)  # ("no normal hearing or normal vision or ...")
            if negation == j:  # a list's item that shares the negation over its comma ("no normal hearing, normal ...")
                return _negation_carried(j, forms, gaps)
            return _negation_carried(negation, forms, gaps) if negation >= 0 and forms[negation] in _COORDINATORS \
                else negation
        if gaps[j] != GAP_SPACE:
            break
    return -1


def _a_list_of_normals_closes(last: int, forms: list[str], gaps: list[int]) -> bool:
    """The statement of normal over words ..last, after a comma, is an item of a list of statements of normal that
    goes on over commas to its coordinator ("no normal hearing, normal vision, or normal growth"), where each item
    shares the negation of the first; not where the list ends without one ("no normal hearing, normal vision": the
    second is said normal) or an item has a verb of its own ("..., normal vision was documented")."""
    item = last  # where the item being read begins (its own words: "normal speech development")
    for k in range(last + 1, len(forms)):
        if forms[k] in _COORDINATORS and gaps[k] in (GAP_SPACE, GAP_COMMA):
            return forms[k] == "nor" or not _a_clause_of_its_own(k + 1, forms, gaps)
        if gaps[k] == GAP_COMMA and forms[k] == "normal":
            item = k  # the next item
        elif gaps[k] != GAP_SPACE or _a_verb_of_its_own(k, forms, gaps) or k - item > _NORMAL_BEFORE_A_COORDINATOR:
            return False
    return False


# Words that open a clause of its own after a list's coordinator ("no normal hearing, normal vision, and he walks")
_A_CLAUSES_SUBJECT = frozenset(("he", "she", "they", "it", "there", "we", "this"))


def _a_clause_of_its_own(k: int, forms: list[str], gaps: list[int]) -> bool:
    """What follows a list's coordinator from word k is a clause of its own, not the list's last item: it opens with
    a subject ("and he walks") or its words run on to a verb ("and normal growth is documented"), so the items before
    the coordinator end a list said normal, as "no normal hearing, normal vision" does."""
    if k < len(forms) and forms[k] in _A_CLAUSES_SUBJECT:
        return True
    for j in range(k, min(len(forms), k + _NORMAL_BEFORE_A_COORDINATOR + 2)):
        if j > k and gaps[j] != GAP_SPACE:
            return False
        if _a_verb_of_its_own(j, forms, gaps) and j > k:
            return True
    return False


def _either_list(items: list[_Candidate], forms: list[str]) -> bool:
    """The items of a list stated normal are joined by "or" or "nor" ("normal speech development or hearing"), none by
    "and": its negation says that none is normal."""
    joins = [forms[k] for a, b in itertools.pairwise(items) for k in range(a.last + 1, b.first)]
    return "and" not in joins and not _EITHER.isdisjoint(joins)


def _as_negated(said: list[_Candidate], forms: list[str], gaps: list[int]) -> list[_Candidate]:
    """A statement of normal (its candidates: the first holds "normal", the others are its list's items) as read
    where it is negated: the abnormality it names, present, its span with the negation ("not cognitively normal":
    Cognitive impairment); nothing where the statement names two directions ("prolactin was not normal": raised or
    low?) or a list ("not normal tone, power and reflexes": which of them?). Unchanged where it is not negated."""
    if not said:
        return said
    c = said[0]
    negation = _verdict_negated(c.first, c.last, forms, gaps)
    if negation < 0:
        end, perceived = _negated_after(said[-1].last, forms, gaps)  # "normal reflexes were not elicited"
        if end < 0:
            # an item of a list of statements of normal that a negation after its last covers: read as that one is
            end, perceived = _list_negated_after(said[-1].last, forms, gaps)
            if end < 0:
                return said
            if not perceived or len(said) > 1 or c.twin >= 0:
                return []  # "normal hearing, normal vision and normal growth were not documented": nothing said
            c.normal, c.opposite, c.denied_after = False, True, end  # (its span its own words: the list's overlap)
            return said
        if perceived and len(said) > 1 and all(x.twin < 0 for x in said):
            # "normal tone, power and reflexes were not seen": one "normal" over bare nouns may say that none was
            # normal or only that not all were (which?): each item's abnormality, uncertain, for the clinician to
            # decide (each present where each has its own "normal": _list_negated_after)
            for x in said:
                x.normal, x.opposite, x.hedged, x.denied_after = False, True, True, end
            return said
        if not perceived or len(said) > 1 or c.twin >= 0:
            return []  # "a normal hearing test was not done": nothing is said of hearing
        c.last, c.normal, c.opposite = end, False, True
        return said
    # the negation of the statement before that it shares, over a coordinator ("(does not have normal hearing) or
    # normal vision") or a list's comma ("(no normal hearing), normal vision, or ..."): said with it, it negates nothing
    shared = -1
    if forms[negation] in _COORDINATORS:
        shared = _negation_carried(negation, forms, gaps)
    elif negation == c.first and gaps[c.first] == GAP_COMMA:
        shared = _negation_carried(c.first, forms, gaps)
    if len(said) > 1 and _either_list(said, forms) and all(x.twin < 0 for x in said):
        # "no normal speech development or motor development": neither is normal, each item's abnormality is there
        for x in said[1:]:
            x.normal, x.opposite, x.carried = False, True, negation if shared < 0 else shared
            if x.first > 0 and forms[x.first - 1] in _COORDINATORS:
                x.first -= 1  # (its span from the coordinator, a trigger of negation itself: "nor motor development")
    elif len(said) > 1 or c.twin >= 0:
        return []  # "not normal tone, power and reflexes": which of them?
    c.carried = shared
    c.first, c.normal, c.opposite = negation, False, True  # (its negation says what it is, and negates nothing)
    return said


def _negated_after(last: int, forms: list[str], gaps: list[int]) -> tuple[int, bool]:
    """(the last word of a negation right after a statement of normal over words ..last, whether it says the normal
    was not perceived): "(normal fetal movements) were not felt" (.., True), "(normal reflexes) not elicited", "(a
    normal hearing test) was not done" (.., False: nothing was examined); (-1, False) for any other words after it."""
    n = len(forms)
    k = last + 1
    if k < n and gaps[k] == GAP_SPACE and forms[k] in _BEFORE_A_NEGATION:
        k += 1
    if k >= n or gaps[k] != GAP_SPACE or forms[k] not in _NEGATIONS_AFTER:
        return -1, False
    k += 1
    if k < n and gaps[k] == GAP_SPACE and forms[k] in ("be", "been"):
        k += 1
    if k >= n or gaps[k] != GAP_SPACE:
        return -1, False
    if forms[k] in _PERCEIVED:
        return k, True
    if forms[k] in _NOT_EXAMINED:
        return k, False
    return -1, False


def _stated_after(last: int, forms: list[str], gaps: list[int]) -> int:
    """The last word of a verb right after a statement of normal over words ..last that says it was seen or written
    down: "(normal hearing, vision and growth) were seen", "have been noted", "was documented"; -1 for any other
    words after it."""
    n = len(forms)
    k = last + 1
    if k < n and gaps[k] == GAP_SPACE and forms[k] in _HAVE:
        k += 1  # "have been noted"
    if k + 1 >= n or gaps[k] != GAP_SPACE or forms[k] not in _NORMAL_VERBS or gaps[k + 1] != GAP_SPACE:
        return -1
    return k + 1 if forms[k + 1] in _PERCEIVED or forms[k + 1] in _WRITTEN_DOWN else -1


def _list_negated_after(last: int, forms: list[str], gaps: list[int]) -> tuple[int, bool]:
    """_negated_after for a statement of normal over words ..last that is an item of a list of statements of normal,
    each its own "normal", over commas to its coordinator, with the negation right after the last item: "(normal
    hearing), normal vision, or normal growth were not seen" (.., True), "(normal hearing) and normal vision were not
    documented" (.., False); (-1, False) for anything else ("normal hearing, normal vision, and seizures were not
    seen": the negation is of another finding)."""
    n = len(forms)
    k = last + 1
    while k < n:
        joined = forms[k] in _COORDINATORS and gaps[k] in (GAP_SPACE, GAP_COMMA)  # the last item is next
        if joined:
            k += 1
            if k >= n or gaps[k] != GAP_SPACE:
                return -1, False
        elif gaps[k] != GAP_COMMA:
            return -1, False
        if forms[k] != "normal":
            return -1, False
        j = k + 1  # the item's words after its "normal", up to its verb, if any
        while j < n and gaps[j] == GAP_SPACE and j - k <= _NORMAL_BEFORE_A_COORDINATOR and forms[j] not in _COORDINATORS:
            if forms[j] in _NEGATIONS_AFTER or _a_verb_of_its_own(j, forms, gaps):
                return _negated_after(j - 1, forms, gaps) if joined else (-1, False)
            j += 1
        if joined:
            return -1, False
        k = j
    return -1, False


def _limited_to_a_part(k: int, forms: list[str], gaps: list[int]) -> bool:
    """Word k (after a statement of normal) limits it to a part of the body ("in the upper limbs", "distally")."""
    n = len(forms)
    if k >= n or gaps[k] > GAP_COMMA or (gaps[k] == GAP_COMMA and forms[k] not in _DISTANCES):
        return False
    if forms[k] in _DISTANCES:
        return True
    if forms[k] not in _PLACES_IN:
        return False
    k += 1
    while k < n and gaps[k] == GAP_SPACE and forms[k] in _ITEM_DETERMINERS:
        k += 1
    return k < n and gaps[k] == GAP_SPACE and forms[k] in LIMITING_PARTS


def _under_a_limbs_heading(first: int, forms: list[str], gaps: list[int], gap_texts: list[str]) -> bool:
    """Word `first` is in a line's statement after a heading of limbs or a side ("Upper limbs - full power", "Arms:
    tone and power normal"), which limits what it says to them."""
    k = first
    while k > 0 and gaps[k] != GAP_SENTENCE and not (gaps[k] == GAP_COMMA and gap_texts[k].strip() in _DASHES):
        k -= 1
    if k == 0 or gap_texts[k].strip() not in _HEADING_MARKS:
        return False
    start = k - 1  # the heading: a word or a few, opening its line or sentence
    while start > 0 and gaps[start] == GAP_SPACE and k - start < 4:
        start -= 1
    if start > 0 and gaps[start] != GAP_SENTENCE:
        return False
    return not _LIMB_HEADING_WORDS.isdisjoint(forms[start:k])


def _side_before(first: int, forms: list[str], gaps: list[int]) -> int:
    """The side word right before a finding ("left ptosis", "right-sided ptosis"), or -1."""
    if first == 0 or gaps[first] > GAP_HYPHEN:
        return -1
    k = first - 1
    while k > 0 and not forms[k]:  # the absorbed part of a joined word ("left-sided" -> "leftsided", "")
        k -= 1
    if k > 0 and forms[k] == "left" and forms[k - 1] in _LEFT_AS_A_VERB:
        return -1  # "he was left deaf", "it left him blind": the verb, not a side
    return k if forms[k] in _SIDES else -1


def _side_after(last: int, forms: list[str], gaps: list[int], gap_texts: list[str], n: int) -> int:
    """The side right after a finding ("ptosis on the left", "cryptorchidism (right)", "ptosis, left"), or -1.
    The side must end the item ("ptosis, left" but not "ptosis, left ear normal")."""
    k = last + 1
    if k < n and forms[k] == "on" and gaps[k] == GAP_SPACE:
        k += 1
        if k < n and forms[k] == "the" and gaps[k] == GAP_SPACE:
            k += 1
    if k >= n or forms[k] not in _SIDES:
        return -1
    bracketed = gap_texts[k].strip() == "("
    if gaps[k] > GAP_COMMA and not bracketed:
        return -1
    side = k
    if k + 1 < n and forms[k + 1] == "side" and gaps[k + 1] == GAP_SPACE:
        k += 1  # "on the left side"
    while k + 1 < n and not forms[k + 1]:
        k += 1  # "(left-sided)", read as one word
    if k + 1 == n:
        return side
    if bracketed:
        return side if gap_texts[k + 1].lstrip().startswith(")") else -1
    return side if gaps[k + 1] > GAP_SPACE or forms[k + 1] in _COORDINATORS else -1


def _both_sides(side: int, forms: list[str], gaps: list[int]) -> bool:
    """'left and right', 'right > left', 'left or right': the side word pairs with the other side."""
    return any(0 <= k < len(forms) and forms[k] in _SIDES and abs(k - side) <= 2 and k != side
               for k in (side - 2, side - 1, side + 1, side + 2))


def _adjective_of_next_noun(last: int, forms: list[str], gaps: list[int]) -> bool:
    """True when word `last` is a relational adjective and the noun it qualifies follows ('cranial MRI')."""
    form = forms[last]
    if last + 1 >= len(forms) or len(form) < 5 or not form.endswith(_ADJECTIVE_ENDINGS) or gaps[last + 1] != GAP_SPACE:
        return False
    following = forms[last + 1]
    return following.isalpha() and following not in _NOT_A_NOUN and following not in _GENERIC_HEADS


def _dangling_adjective(first: int, last: int, forms: list[str], gaps: list[int]) -> bool:
    """True when a phrase ends '... of (the) ADJ' and a noun follows the adjective in the same phrase."""
    if not _adjective_of_next_noun(last, forms, gaps):
        return False
    k = last - 1
    while k > first and forms[k] in STOPWORDS and forms[k] != "of":
        k -= 1
    return k >= first and forms[k] == "of"


# Words between a finding's adjective and the relative it describes: "a deaf maternal uncle" (KIN_QUALIFIERS).
_BEFORE_A_RELATIVE = KIN_QUALIFIERS | RELATIVE_FIRST_WORDS
_DETERMINERS = frozenset(("a", "an", "the", "his", "her", "their", "two", "three", "both", "several", "many"))
_AFTER_A_RELATIVE = frozenset(("and", "or", "who", "whose", "with"))


def _before_a_relative(first: int, last: int, forms: list[str], gaps: list[int], triggers) -> bool:
    """'deaf parents', 'his deaf brother is well', 'an obese maternal aunt': the finding qualifies the relative named
    right after it. Not in telegraphic notes where the relative begins the next statement ("Hypotonia mum reports
    poor feeding", "Microcephaly parents normocephalic"), nor where the patient is named by the relation ("he is
    the hypotonic son of ...", "she is the preterm twin"). "Deaf mother with epilepsy" is the mother's: a
    telegraphic "Hypotonia mother with epilepsy" cannot be told from it by the words alone."""
    before = forms[first - 1] if first > 0 and gaps[first] == GAP_SPACE else ""
    determined = before in _DETERMINERS
    if determined and first > 1 and gaps[first - 1] == GAP_SPACE and forms[first - 2] in COPULAS or before in COPULAS:
        return False
    for k in range(last + 1, min(len(forms), last + 4)):
        if gaps[k] != GAP_SPACE:
            return False
        trigger = next((t for t in triggers if t.kind == RELATIVE and t.start == k), None)
        if forms[k] in _RELATIVE_WORDS or trigger is not None:
            end = trigger.end if trigger is not None else k + 1
            if end >= len(forms) or gaps[end] != GAP_SPACE or forms[end] in _AFTER_A_RELATIVE:
                return True  # the noun phrase ends with the relative
            return determined and forms[end] != "of"  # "his deaf brother is well"; not "the deaf son of"
        if forms[k] not in KIN_QUALIFIERS:
            return False
    return False


_EEG_WORDS = frozenset(("eeg", "eegs", "veeg", "electroencephalogram", "electroencephalograms", "electroencephalography"))
# People who may own an EEG ("the EEG of the patient") or be the subject said to be epileptic ("the infant was").
_EEG_OWNERS = frozenset((
    "patient", "child", "boy", "girl", "infant", "baby", "neonate", "newborn", "toddler", "proband", "man", "woman",
    "son", "daughter",
))
# Words that end the search for the subject of "... was (not) epileptic": another clause or subject begins there.
_NOT_EEG_SUBJECT = COPULAS | _COORDINATORS | _EEG_OWNERS | frozenset((
    "he", "she", "they", "who", "that",  # "EEG confirmed (that) the infant was epileptic"
))
# Between "of" and the owner of an EEG: "the EEG of our 3-year-old patient".
_BEFORE_OWNER = frozenset(("the", "this", "our", "his", "her", "their", "a", "an", "year", "old", "month"))
# Between a copula and its predicate: "was not clearly epileptic".
_BEFORE_PREDICATE = frozenset(("not", "never", "clearly", "definitely", "typically", "frankly")) | _TRANSPARENT_ADVERBS
# Between "has" and "been": "has not been", "has persistently been"
_PERFECT_LINKS = frozenset(("been", "become"))  # "has been", "has become": the "has" is no word of a name
_BEFORE_BEEN = frozenset(("not", "never", "always")) | _TRANSPARENT_ADVERBS


def _qualifies_next(last: int, forms: list[str], gaps: list[int], longest_from: dict[int, int],
                    abbreviated: Sequence[bool], stop_forms: Container[str]) -> bool:
    """Word `last` is an adjective of a name that begins one or two words on, in the same phrase ("small
    perimembranous VSD", "small muscular VSD"); a stop word between ends the phrase ("low set and rotated")."""
    n = len(gaps)
    for k in (last + 1, last + 2):
        if k >= n or gaps[k] != GAP_SPACE or forms[k] in stop_forms or forms[k] in _COORDINATORS:
            return False
        if k in longest_from or (k < len(abbreviated) and abbreviated[k]):
            return True
    return False


def _furthest_ends(candidates: Iterable[_Candidate]) -> dict[int, int]:
    """First word -> the last word of the longest candidate starting there."""
    out: dict[int, int] = {}
    for c in candidates:
        out[c.first] = max(out.get(c.first, -1), c.last)
    return out


def _bracket_ends(triggers, gap_texts: list[str], sentence: list[int], marks: list[int]) -> dict[int, int]:
    """Trigger start -> the last word inside the brackets it stands in, for triggers inside brackets that close
    in their sentence (a bracket opened after the trigger is read through: "no seizures (since 2) or ataxia").
    marks: the words whose gap is not a plain space (the only ones a bracket can stand before)."""
    at: list[int] = []  # the words with a bracket in the gap before them, and the depth from there on
    depths: list[int] = []
    d = 0
    for k in marks:
        gap = gap_texts[k]
        if "(" in gap or ")" in gap:
            d += gap.count("(") - gap.count(")")
            at.append(k)
            depths.append(d)
    out: dict[int, int] = {}
    if not at:
        return out
    for t in triggers:
        e = bisect_right(at, t.start) - 1
        inside = depths[e] if e >= 0 else 0
        if inside <= 0:
            continue  # (most triggers stand in no bracket)
        sid = sentence[t.start]
        for j in range(e + 1, len(at)):
            k = at[j]
            if sentence[k] != sid:
                break
            if depths[j] < inside:
                out[t.start] = k - 1
                break
    return out


def _an_adjective_after_not(i: int, forms: list[str], coarse: list[int], gaps: list[int]) -> bool:
    """Word i ("not") goes on to a dictionary word that says what a part is ("..., not bifid"), not to what was not
    perceived or examined ("a normal palate, not seen by ENT") nor to another subject ("..., not the uvula")."""
    return (i + 1 < len(forms) and gaps[i + 1] == GAP_SPACE and coarse[i + 1] >= 0
            and forms[i + 1] not in _PERCEIVED and forms[i + 1] not in _NOT_EXAMINED)


def _telegraphic_negation(i: int, forms: list[str], coarse: list[int], gaps: list[int], after: bool = True) -> bool:
    """'Philtrum not short', 'skin not hyperextensible', 'the nasal bridge not depressed': a note's statement
    without its copula. Word i ("not") follows a subject of one or two dictionary words that begins its phrase (a
    determiner may open it) and goes on to a dictionary word (after=False: word i may be anything, the subject is
    what is asked)."""
    n = len(forms)
    if after and (i + 1 >= n or gaps[i] != GAP_SPACE or gaps[i + 1] != GAP_SPACE or coarse[i + 1] < 0):
        return False
    if not after and gaps[i] != GAP_SPACE:
        return False
    for j in (i - 1, i - 2):
        if j < 0 or coarse[j] < 0 or any(gaps[m] != GAP_SPACE for m in range(j + 1, i)):
            return False
        if j > 0 and forms[j - 1] in _ITEM_DETERMINERS and gaps[j] == GAP_SPACE:
            j -= 1
        if j == 0 or gaps[j] >= GAP_COMMA or forms[j - 1] in _SUBJECT_AFTER:
            # ("No seizures and IgE not raised", "IgA and IgE not raised": a statement joined to what goes before)
            return True
    return False


# A coordinator before a copula-less statement's subject opens it as a comma would: "... and forehead not prominent".
_SUBJECT_AFTER = frozenset(("and", "but"))


def _heading_answered_not(i: int, forms: list[str], coarse: list[int], gaps: list[int]) -> bool:
    """Word i, the negation that answers a short heading ("Liver: not enlarged", "Seizures: none febrile"), read as a
    copula-less negation of what follows, the colon taken as the space it stands for; where it is none, the colon
    stays (gaps[i] as it was)."""
    gap = gaps[i]
    gaps[i] = GAP_SPACE
    if _telegraphic_negation(i, forms, coarse, gaps):
        return True
    gaps[i] = gap
    return False


def _said_of_an_eeg(k: int, forms: list[str], gaps: list[int], gap_texts: list[str]) -> bool:
    """'an epileptic EEG', 'the EEG was not epileptic', 'the sleep EEG recording was epileptic', 'EEG: normal, not
    epileptic': word k describes an EEG, right after it, as the predicate of a statement whose subject is one, or in
    what is written after an EEG heading."""
    n = len(forms)
    if k + 1 < n and gaps[k + 1] <= GAP_HYPHEN and forms[k + 1] in _EEG_WORDS:
        return True
    for m in range(k, max(0, k - 5), -1):  # the heading's mark (":", "-"), a few words back in the same statement
        mark = gap_texts[m].strip() if gaps[m] in (GAP_COMMA, GAP_SENTENCE) else ""
        if mark in _ANSWER_MARKS:
            return forms[m - 1] in _EEG_WORDS
        if mark[:1] == ")" and mark[1:].strip() in _ANSWER_MARKS:  # "EEG (sleep): ...": the heading's noun is
            # the word before the bracket that qualifies it
            opening = _qualifier_opening(gap_texts, m)
            if opening and forms[opening - 1] in _EEG_WORDS:
                return True
        if gaps[m] > GAP_COMMA or forms[m - 1] in _NOT_EEG_SUBJECT:
            break  # "EEG: normal. He is not epileptic": another statement, another subject
    j = k - 1
    while j >= 0 and k - j <= 3 and gaps[j + 1] == GAP_SPACE and forms[j] in _BEFORE_PREDICATE:
        j -= 1
    if j < 0 or gaps[j + 1] != GAP_SPACE or forms[j] not in COPULAS:
        return False
    if j > 0 and forms[j - 1] in _EEG_OWNERS:  # "the EEG of the patient was ...": the subject is the EEG, before
        # the phrase that says whose it is
        m = j - 2
        while m >= 0 and j - m <= 5 and (forms[m] in _BEFORE_OWNER or forms[m].isdigit()):
            m -= 1
        if m > 0 and forms[m] == "of" and all(g <= GAP_HYPHEN for g in gaps[m + 1 : j + 1]):
            j = m
    for m in range(j - 1, max(-1, j - 5), -1):  # the subject: a few words before the copula, in its phrase
        if m == j - 1 and forms[m] in ("which", "that") and m > 0 and gaps[m] <= GAP_COMMA:
            return forms[m - 1] in _EEG_WORDS  # "an EEG, which was not epileptic"
        if gaps[m + 1] > GAP_HYPHEN or forms[m] in _NOT_EEG_SUBJECT:
            return False
        if forms[m] in _EEG_WORDS:
            return True
    return False


# A prefix written apart that names the opposite or a mimic of the one word after it (the joined forms the
# dictionary knows, "nonsyndromic", "pseudohypoparathyroidism", are one word already).
_OPPOSING_PREFIXES = frozenset(("anti", "non", "pseudo"))


def _opposed(c: _Candidate, forms: list[str], gaps: list[int]) -> bool:
    """'anti-epileptic drugs', 'non epileptic events', 'pseudo-epileptic attacks', 'non-obese': no finding."""
    return (c.first == c.last and c.first > 0 and forms[c.first - 1] in _OPPOSING_PREFIXES
            and gaps[c.first] in (GAP_SPACE, GAP_HYPHEN))


def _innocent(c: _Candidate, forms: list[str], gaps: list[int]) -> bool:
    """'an innocent murmur', 'a functional ejection systolic murmur', 'the murmur was felt to be innocent'."""
    k = c.first - 1
    while k >= 0 and c.first - k <= 6 and gaps[k + 1] in (GAP_SPACE, GAP_HYPHEN, GAP_SLASH) and forms[k] not in _NOT_A_NOUN:
        if forms[k] in _INNOCENT:
            return True
        k -= 1
    k = c.last + 1
    while k < len(forms) and k - c.last <= 6 and gaps[k] <= GAP_COMMA:
        if forms[k] in _INNOCENT:
            # the verdict ends the statement: not "murmur, functional assessment pending"
            return k + 1 >= len(forms) or gaps[k + 1] > GAP_SPACE or forms[k + 1] in ("in", "and")
        if forms[k] not in _TO_VERDICT:
            return False
        k += 1
    return False


def _part_does_not(i: int, forms: list[str], coarse: list[int], gaps: list[int]) -> bool:
    """'The mitral valve does not prolapse', 'the ventricles do not dilate': word i ("not") after "does" whose subject
    is a part (a dictionary word, not a person: "the baby does not walk" names its own finding), before a dictionary
    word: the verb says the finding, negated, as "the mitral valve is not prolapsed" does."""
    if i < 2 or i + 1 >= len(forms) or forms[i] != "not" or forms[i - 1] not in _DO:
        return False
    subject = i - 2 - (i > 2 and coarse[i - 2] == STOP and forms[i - 2] in _RELATIVES)  # "toes that do not overlap"
    return (coarse[i + 1] >= 0 and coarse[subject] >= 0 and forms[subject] not in _WITH_OWNERS
            and gaps[i - 1] == gaps[i] == gaps[i + 1] == GAP_SPACE)


_AS_RECURRENT = frozenset(("frequent", "frequently", "recurrently", "repeated", "repeatedly"))
_INFECTION_WORDS = frozenset(("infection", "infections"))
_DEGREE_ADVERBS = frozenset(("very", "so", "quite", "rather", "extremely", "too", "fairly", "really"))
_INFECTION_REACH = 5  # words from "repeated" to its noun: "repeated upper respiratory tract infections"


def _verbs_of_participles(vocab) -> dict[str, int]:
    """The verb forms of the participles in HPO's names that the vocabulary does not know: 'taper', 'tapers' ->
    the coarse class of 'tapered' (likewise 'bows' of 'bowed', 'curves' of 'curved'), for _finding_as_a_verb."""
    out: dict[str, int] = {}
    for w, (_fine, _medium, coarse) in vocab.forms.items():
        if len(w) < 6 or not w.endswith("ed") or w.endswith("ied"):
            continue
        bases = [w[:-2], w[:-1]]  # tapered/taper, curved/curve
        if w[-3] == w[-4]:
            bases.append(w[:-3])  # webbed/web
        for base in bases:
            for verb in (base, base + "es" if base.endswith(("s", "sh", "ch", "x", "z")) else base + "s"):
                if vocab.lookup(verb) is None:
                    out.setdefault(verb, coarse)
    return out


def _perfect_as_copula(forms: list[str], ones: list, coarse: list[int], gaps: list[int]) -> None:
    """'Creatine kinase has been persistently raised', 'IgA had not been low': "has been" links a finding's parts as
    "was" does ("been" is a copula already); the "has" before it, or before "not been", is read as a stopword too, so
    the subject and its predicate make one name as they do across "was". So does "has become" ('her gait has become
    unsteady'), "become" being a linking verb."""
    n = len(forms)
    for i in _at(forms, _HAVE, 0, n - 1):
        k = i + 1
        while k < n - 1 and forms[k] in _BEFORE_BEEN and gaps[k] == GAP_SPACE:
            k += 1
        if forms[k] in _PERFECT_LINKS and all(g == GAP_SPACE for g in gaps[i + 1 : k + 1]):
            ones[i], coarse[i] = None, STOP


def _relative_as_copula(forms: list[str], ones: list, coarse: list[int], gaps: list[int], verbs: Container[str]) -> None:
    """'a forehead which is narrow', 'ears that are low-set', 'the palate, which is high and arched,': a relative
    clause whose copula follows the pronoun says of the noun before it what "the forehead is narrow" says; the
    pronoun is read as a stopword, and the comma before a non-restrictive one as a space, so the noun and the
    predicate make one name as they do across "is"."""
    n = len(forms)
    for i in _at(forms, _RELATIVES, 1, n - 1):
        if coarse[i - 1] < 0 or gaps[i] not in (GAP_SPACE, GAP_COMMA) or gaps[i + 1] != GAP_SPACE:
            continue
        if forms[i + 1] in COPULAS or forms[i + 1] in _LINKING_VERBS or (
                gaps[i] == GAP_SPACE and forms[i - 1] not in _WITH_OWNERS
                and (coarse[i + 1] >= 0 or forms[i + 1] in verbs or forms[i + 1] in _DO and forms[i + 2 : i + 3] == ["not"])):
            # (and a restrictive clause's verb that says the finding of a part, not a person: "fingers that taper",
            # "ears that protrude", "toes that do not overlap", as "the fingers taper" does; see _finding_as_a_verb)
            ones[i], coarse[i] = None, STOP
            gaps[i] = GAP_SPACE


def _past_negated_statement(c: _Candidate, negations: list[int], forms: list[str]) -> bool:
    """A phrase that runs from a negated statement over a coordinator into the next ('liver was not enlarged and
    the spleen')."""
    return any(c.first < i < c.last and any(forms[k] in _COORDINATORS for k in range(i + 1, c.last)) for i in negations)


def _qualifier_opening(gap_texts: list[str], m: int) -> int:
    """'EEG (sleep): ...': the first word inside a bracket that closes before word m (a few words back), else 0."""
    if not gap_texts[m].lstrip().startswith(")"):
        return 0
    return next((h for h in range(m - 1, max(0, m - MAX_QUALIFIER), -1) if gap_texts[h].rstrip().endswith("(")), 0)


def _past_qualifier(gap_texts: list[str], gaps: list[int], k: int) -> int:
    """'Seizures (sleep): none': the word after a short bracket that opens before word k, else k."""
    if not gap_texts[k].rstrip().endswith("("):
        return k
    for m in range(k + 1, min(len(gaps), k + MAX_QUALIFIER)):
        if gap_texts[m].lstrip().startswith(")"):
            return m
        if gaps[m] >= GAP_BREAK:
            break
    return k


# Words a heading's line may hold before its mark when its answer is on the next line ("Seizures (sleep):").
_HEADING_LINE = 6


def _heading_answered(gap_texts: list[str], gaps: list[int], k: int) -> bool:
    """Word k follows a heading's mark: 'Seizures: ', 'Seizures (sleep): ', 'Seizures<TAB>', or a ':' or '?'
    ending a short line of its own, the answer on the next ('Seizures:\nnot epileptic', 'Hypotonia:\n no')."""
    gap = gap_texts[k]
    mark = gap.strip(" \t\xa0")
    if mark[:1] == ")":  # a bracket that qualifies the heading ("Seizures (sleep): ...")
        mark = mark[1:].lstrip(" \t\xa0")
    breaks = line_breaks(mark)
    if not breaks:
        return mark in _ANSWER_MARKS or (not mark and "\t" in gap)
    # one line break, right after the mark (not a blank line, nor a bullet: "- none" heads its own item), and
    # the heading starts its line (or sentence) a few words back
    return (breaks == 1 and mark[0] in ":?" and mark[1:].isspace()
            and any(m == 0 or gaps[m] == GAP_SENTENCE for m in range(k - 1, max(-1, k - 1 - _HEADING_LINE), -1)))


def _answered_no(gap_texts, forms: list[str], gaps: list[int], k: int) -> bool:
    """'Seizures: none.', 'Hypotonia - absent', 'Seizures? No.', 'Seizures<TAB>No': word k answers the finding
    before it, and nothing more follows in its phrase ('VSD: excluded on echo': whatever follows)."""
    if forms[k] in _ANSWERS_EXCLUDED:
        return ((forms[k] == "excluded" or (k + 1 < len(forms) and forms[k + 1] == "out" and gaps[k + 1] == GAP_SPACE))
                and _heading_answered(gap_texts, gaps, k))
    return _answered(gap_texts, forms, gaps, k, _ANSWERS_NO, _NOT_ANSWERS)


def _answered(gap_texts, forms: list[str], gaps: list[int], k: int, words: frozenset[str],
              after_not: frozenset[str]) -> bool:
    """Word k, one of `words` or "not" and one of `after_not`, answers the heading before it, and nothing more
    follows in its phrase."""
    n = len(forms)
    if forms[k] in words:
        after = k + 1
        if words is _ANSWERS_NO:
            while after < n and forms[after] in _ANSWER_NO_TAIL and gaps[after] == GAP_SPACE:
                after += 1
    elif forms[k] == "not" and k + 1 < n and forms[k + 1] in after_not and gaps[k + 1] == GAP_SPACE:
        after = k + 2
    else:
        return False
    if after < n and gaps[after] < GAP_COMMA:
        return False
    if len(forms[k]) == 1 and after < n and gap_texts[after].strip()[:1] not in ("", ".", ",", ";"):
        return False  # a letter answers only alone ("Seizures: N."), not in "N/A" or "N = 3"
    return _heading_answered(gap_texts, gaps, k)


_UNMET_OPENERS = frozenset(("does", "did", "do", "not", "criteria"))
_UNMET = frozenset(("meet", "meets", "meeting", "fulfil", "fulfill", "fulfils", "fulfills", "fulfilling"))
_CRITERIA_WORDS = frozenset(("the", "diagnostic", "dsm", "dsm5", "5", "clinical", "full"))


def _criteria_unmet(forms: list[str], gaps: list[int], k: int) -> bool:
    """Words from k say that a finding's diagnostic criteria are not met: "does not meet (the diagnostic) criteria",
    "criteria (were) not met", each word of the phrase after a space alone."""
    n = len(forms)

    def words(k: int, count: int) -> list[str]:
        return [forms[j] for j in range(k, min(n, k + count)) if j == k or gaps[j] == GAP_SPACE]

    if forms[k] == "criteria":
        said = words(k, 4)
        return said[1:3] == ["not", "met"] or said[1:4] in (["were", "not", "met"], ["are", "not", "met"])
    if forms[k] != "not":
        k += 1
    said = words(k, 6)
    if len(said) < 3 or said[0] != "not" or said[1] not in _UNMET:
        return False
    rest = said[2:]
    while rest and rest[0] in _CRITERIA_WORDS:
        rest = rest[1:]
    # (the heading's criteria, not another finding's: "Autism: does not meet criteria for ADHD")
    return bool(rest) and rest[0] == "criteria" and rest[1:2] != ["for"]


# Words of a sentence that speaks of the mother or the pregnancy.
_MOTHER_WORDS = frozenset(("mother", "mum", "mom"))
_PARENTAL = frozenset(("maternal", "paternal"))  # right before a finding: the parent's
_PREGNANCY_WORDS = _MOTHER_WORDS | frozenset(("maternal", "pregnancy", "antenatal", "prenatal", "gestation"))


def _hpo_id_words(gap_texts: list[str], surfaces: list[str]) -> list[int]:
    """The words that are an HPO ID's number: "0001250" after "HP" and a colon alone ("HP:0001250")."""
    return [i for i in range(1, len(surfaces)) if gap_texts[i] == ":" and surfaces[i - 1] in ("HP", "hp")
            and len(surfaces[i]) == 7 and surfaces[i].isdigit()]


# Words a name numbers ("ROP zone I", "ROP stage 1", "Chiari type I malformation"), the numeral right after them.
_NUMBERED_WORDS = frozenset(("zone", "stage", "type", "grade", "class"))
_DIGITS = frozenset(("1", "2", "3", "4", "5"))
_NUMERALS = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v", "i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5"}


def _numeral_astray(c: _Candidate, forms: list[str], coarse: list[int]) -> bool:
    """A name with a numbered word whose numeral, in the text, does not follow it: "1 ROP in zone" (of "stage 1 ROP
    in zone 2") is no ROP zone I."""
    words = range(c.first, c.last + 1)
    if not any(forms[k] in _NUMBERED_WORDS for k in words):
        return False
    return any(coarse[k] >= 0 and (forms[k].isdigit() or forms[k] in _ROMAN)
               and (k == c.first or forms[k - 1] not in _NUMBERED_WORDS) for k in words)


def _said_from(t: Trigger, end: int, triggers: list[Trigger]) -> None:
    """The relative trigger t in its sentence's triggers read as ending at word `end`: what is said of them follows."""
    triggers[triggers.index(t)] = Trigger(t.kind, t.start, end)


def _pedigree_position(forms: list[str], gaps: list[int], first: int, end: int) -> int:
    """2 when a sentence opens with a pedigree position ("II-1 (mother, 58):", "III-2 brother:"), a generation's
    roman numeral and the person's number, which a heading may hold beyond its few words of name; else 0."""
    if end - first > 2 and forms[first] in _ROMAN and forms[first + 1].isdigit() and gaps[first + 1] == GAP_HYPHEN:
        return 2
    return 0


def _heading_start(i: int, gaps: list[int]) -> int:
    """The first word of a heading of one or two words at a sentence start whose colon is before word i, or -1."""
    if i == 1 or gaps[i - 1] == GAP_SENTENCE:
        return i - 1
    if gaps[i - 1] == GAP_SPACE and (i == 2 or gaps[i - 2] == GAP_SENTENCE):
        return i - 2
    return -1


_COMMA_HEADED_WORDS = 6  # words after a comma heading's comma: "Ears, low-set and posteriorly rotated."


def _said_to_its_end(i: int, gaps: list[int]) -> bool:
    """The words from word i on end their sentence within a few words, with no mark but a hyphen or a comma between
    them (a list of what is said: "Ears, low-set, posteriorly rotated.")."""
    for k in range(i + 1, min(len(gaps), i + _COMMA_HEADED_WORDS) + 1):
        if k == len(gaps) or gaps[k] == GAP_SENTENCE:
            return True
        if gaps[k] not in (GAP_SPACE, GAP_HYPHEN, GAP_COMMA):
            return False
    return False


def _own_birth(words: list[str]) -> bool:
    """'His mother was born prematurely', 'her mother, who was born at 30 weeks': the mother's own birth."""
    return any(w in _MOTHER_WORDS and "born" in words[i + 1 : i + 5] for i, w in enumerate(words))


# A count of none right after a finding: "ptosis (0/5)", "ptosis: 0/12", "ptosis was seen in 0 of 5 patients".
_NONE_COUNTED = re.compile(
    r"\s*[(:,]?\s*(?:(?:was|were)\s+)?(?:(?:seen|found|present|observed|reported|noted)\s+)?(?:in\s+)?"
    r"0\s*(?:/|of|out\s+of)\s*\d+(?!\s*[.,]\d)",
    re.IGNORECASE,
)
_QUERY_SIGNED = re.compile(r"\s*\(\s*(?:\?+|query|queried|\?\s*query|possible|possibly|probable|suspected|equivocal)"
                           r"\s*\?*\s*\)", re.IGNORECASE)
_QUERY_ANSWER = re.compile(r"[ \t]*[:=\-\u2013][ \t]*\?")  # "Ptosis: ?", "Hypotonia - ?mild"
_NONE_SIGNED = re.compile(r"\s*\(\s*(?:[-\u2212\u2013]|neg|negative|no|none|absent|nil)\s*\)", re.IGNORECASE)
# A minus sign alone after a finding (a table or checklist), before a comma, semicolon, full stop or the text's end
# (not a line end: "Hypotonia -\nno" may be a heading and a bulleted answer).
_MINUSES = frozenset("-\u2212\u2013")
_MINUS_AFTER = re.compile(r"[ \t]*:?[ \t]*[-\u2212\u2013][ \t]*(?:[,;]|\.(?:\s|$)|$(?![\r\n])"
                          # a line end inside a table of signs: the next line ends with one too ("Ataxia -\nPtosis +")
                          r"|(?=\r?\n[^\r\n]*\w[ \t]*:?[ \t]*[-+\u2212\u2013][ \t]*(?:\r?\n|$)))")
_COUNT_LEAD = frozenset(("was", "were", "seen", "found", "present", "observed", "reported", "noted", "in"))
# Words after a finding's name that make it the name of a service: "seen in the epilepsy clinic", "obesity service".
# Last words of a disease's name: "PTEN hamartoma tumour syndrome", "Shprintzen-Goldberg craniosynostosis syndrome".
_DISEASE_HEADS = frozenset(("syndrome", "syndromes", "disease", "complex"))
_NAME_REACH = 3  # words of a disease's name on either side of the finding inside it


def _proper_name(k: int, surfaces: list[str], gaps: list[int]) -> bool:
    """Word k names a gene or a person: "PTEN", "NF1"; "Goldberg" (capitalised, not the first word of a sentence)."""
    surface = surfaces[k]
    if surface.isupper() and len(surface) >= 2:
        return True
    return surface[:1].isupper() and k > 0 and gaps[k] != GAP_SENTENCE


def _inside_a_disease_name(c: _Candidate, surfaces: list[str], forms: list[str], gaps: list[int]) -> bool:
    """The finding's words are part of a disease's name: a gene or a person named before them and "syndrome",
    "disease" or "complex" after them ("PTEN hamartoma tumour syndrome is possible", "Shprintzen-Goldberg
    craniosynostosis syndrome was excluded"). The name says what is considered, not what the patient has (nor,
    negated, what the patient lacks). A finding whose own name ends in the head ("nephrotic syndrome") or with no
    such name before it ("a genetic epilepsy syndrome") is the patient's."""
    n = len(forms)
    k = c.last + 1
    while k < n and not forms[k]:  # a compound's absorbed parts
        k += 1
    head = None
    while k < n and k - c.last <= _NAME_REACH + 1 and gaps[k] in (GAP_SPACE, GAP_HYPHEN):
        if forms[k] in _DISEASE_HEADS:
            head = k
            break
        if forms[k] in _NOT_A_NOUN:
            return False  # "Noonan syndrome and ptosis": the name ended before the finding
        k += 1
    if head is None or surfaces[c.first].isupper():  # (capitals throughout name no gene: "A GENETIC EPILEPSY SYNDROME")
        return False
    k = c.first
    while k > 0 and c.first - k < _NAME_REACH and gaps[k] in (GAP_SPACE, GAP_HYPHEN):
        k -= 1
        if forms[k] in _NOT_A_NOUN:
            return False
        if _proper_name(k, surfaces, gaps):
            return True
    return False


# A disease's name as clinicians write it: the KB's label without a bracketed alias ("Angelman syndrome (Type 1)"),
# the commas of an inverted name ("Neurofibromatosis, type 1") or, for a numbered type, the number ("Noonan
# syndrome 1" is written "Noonan syndrome"); roman numerals read as digits ("type II" as "type 2").
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10"}
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")  # a paragraph's end
_AFTER_BRACKETED = (")", "%", " ")  # what may follow a span's last word inside a bracket it opens
_BRACKET_CLOSE = re.compile(r"[ \t]*%?[ \t]*\)")
_BRACKETED = re.compile(r"\([^()]*\)")


def _designation(form: str) -> bool:
    """A numbered type's designation: "1", "1a", "ii", "b" (not a word of the name)."""
    return form[:1].isdigit() or form in _ROMAN or len(form) == 1


# first form -> second form -> the names (as word forms) that start with those two
_DiseaseNames = dict[str, dict[str, tuple[tuple[str, ...], ...]]]
_disease_names_read: dict[tuple[str, str], _DiseaseNames] = {}  # (kb_identity, dictionary version) -> names


def _disease_names_of(db: sqlite3.Connection, dictionary: Dictionary) -> _DiseaseNames:
    """_disease_names, read once per knowledge base (kb_identity: a KB rebuilt in place has diseases of its own) and
    dictionary version: a second Extractor on the same KB (`extract --broader`, the text benchmark) takes the first
    one's. A KB with no file (in memory) is read each time."""
    kb = kb_identity(db)
    if kb is None:
        return _disease_names(db, dictionary.vocab)
    key = (kb, dictionary.version)
    found = _disease_names_read.get(key)
    if found is None:  # (two threads building an Extractor at once may both read it: the same names)
        found = _disease_names_read[key] = _disease_names(db, dictionary.vocab)
    return found


def _disease_names(db: sqlite3.Connection, vocab) -> _DiseaseNames:
    """The KB's disease names of two words or more that hold some dictionary word, as word forms keyed by their
    first form, then by their second: what _disease_name_start looks for around a finding (~0.1 s to read); a KB
    without diseases has none."""
    try:
        labels = [row[0] for row in db.execute("SELECT label FROM diseases WHERE label IS NOT NULL")]
    except sqlite3.Error:
        return {}
    forms_of: dict[str, tuple[str, bool]] = {}  # word -> (form, a dictionary word): labels share most words

    def read(text: str) -> tuple[list[str], bool]:
        words, known = [], False
        for w in WORD.findall(text):
            seen = forms_of.get(w)
            if seen is None:
                form = word_form(w)
                seen = forms_of[w] = (_ROMAN.get(form, form), vocab.lookup(form) is not None)
            words.append(seen[0])
            known = known or seen[1]
        return words, known

    names: set[tuple[str, ...]] = set()
    for label in labels:
        if "(" in label:
            label = _BRACKETED.sub(" ", label)
        words, known = read(label)
        if not known or len(words) < 2:  # (nothing a finding could be read from)
            continue
        names.add(tuple(words))
        if len(words) > 2 and _designation(words[-1]):  # "Noonan syndrome 1", "Neurofibromatosis, type 1"
            bare = words[:-1]
            if bare[-1] == "type":
                names.add(tuple(bare[:-1] + words[-1:]))  # "neurofibromatosis 1"
                bare = bare[:-1]
            if len(bare) >= 2:
                names.add(tuple(bare))
        if "," in label:  # OMIM's inverted names: "Hypercholesterolemia, familial, 1" is written "familial hyper..."
            head, qualifier = label.split(",")[:2]
            before, _known = read(qualifier)
            if 1 <= len(before) <= 3 and "type" not in before and not _designation(before[0]):
                names.add(tuple(before + read(head)[0]))
    # Keyed by the second word too: many names share their first ("autosomal": ~770 of them), and a name of one
    # word never runs past a finding (see _disease_name_start), so it is left out.
    by_first: dict[str, dict[str, list[tuple[str, ...]]]] = {}
    for name in names:
        if len(name) >= 2:
            by_first.setdefault(name[0], {}).setdefault(name[1], []).append(name)
    return {first: {second: tuple(group) for second, group in by_second.items()} for first, by_second in by_first.items()}


_NAME_GAPS = (GAP_SPACE, GAP_HYPHEN)
_LONGEST_DISEASE_NAME = 12  # words of a name searched back from a finding (longer ones are not written in notes)


def _disease_name_start(first: int, last: int, forms: Sequence[str], gaps: list[int],
                        names: _DiseaseNames) -> int:
    """The first word of a disease's name that runs past words first..last ("?Cat eye syndrome",
    "neurofibromatosis type 1"), or -1: forms are the words as split (not joined). A finding named by the whole
    name ("congenital nephrotic syndrome") is not inside it."""
    n = len(forms)
    for s in range(first, max(-1, first - _LONGEST_DISEASE_NAME), -1):
        if s < first and gaps[s + 1] not in _NAME_GAPS:
            break
        by_second = names.get(_ROMAN.get(forms[s], forms[s]))
        # (a name runs past word s: its second word follows at s + 1, as a name's words follow one another)
        if not by_second or s + 1 >= n or gaps[s + 1] not in _NAME_GAPS:
            continue
        found = by_second.get(_ROMAN.get(forms[s + 1], forms[s + 1]))
        if not found:
            continue
        for name in found:
            end = s + len(name)  # (exclusive)
            if end <= last or end > n or (s == first and end == last + 1):
                continue
            if _ROMAN.get(forms[end - 1], forms[end - 1]) != name[-1]:
                continue  # (its last word first: most names that share their first two words end otherwise)
            if all(_ROMAN.get(forms[k], forms[k]) == name[k - s] and (k == s or gaps[k] in _NAME_GAPS)
                   for k in range(s, end)):
                return s
    return -1


# Words that name a finding's cause as inherited ("congenital" says only when it began: "congenital cataract").
_HEREDITARY = frozenset(("hereditary", "inherited", "familial", "heritable"))


def _hereditary_form(first: int, forms: Sequence[str], gaps: list[int]) -> bool:
    """The finding at word first is named as its inherited form: "hereditary elliptocytosis", "inherited
    thrombocytopenia" (the word in the name or right before it)."""
    return forms[first] in _HEREDITARY or (first > 0 and gaps[first] in _NAME_GAPS and forms[first - 1] in _HEREDITARY)


_DIAGNOSING = frozenset(("has", "had", "with"))  # the word before a diagnosis: "he has", "diagnosed with"
_HAVING_WORDS = frozenset(("has", "had"))
_HAS_ADVERBS = frozenset(("also", "now", "known", "confirmed", "genetically"))  # "he also has", "she has known"


def _the_patients_diagnosis(s: int, forms: Sequence[str], sentence_start: int) -> bool:
    """The disease name at word s is the patient's diagnosis: "he (also) has X", "the patient had X", "(she was)
    diagnosed with X" (not "patients with X", "he has hypotonia and X": a list of findings)."""
    k = s - 1
    while k > sentence_start and forms[k] in _HAS_ADVERBS:
        k -= 1
    if k < sentence_start:
        return False
    if forms[k] == "with":
        return k > sentence_start and forms[k - 1] == "diagnosed"
    if forms[k] not in ("has", "had"):
        return False
    k -= 1
    while k > sentence_start and forms[k] in _HAS_ADVERBS:
        k -= 1
    return k >= sentence_start and forms[k] in _PATIENT_PRONOUNS


# What a patient is told to do should a finding come: "stop if any dizziness", "return if fever", "seek advice if
# seizures recur", "review sooner if ...". The "if" hedges what follows; the advice names no finding of the patient's.
_SAFETY_NETS = frozenset(("stop", "discontinue", "withhold", "return", "seek", "contact", "phone", "ring",
                          "attend", "sooner", "earlier"))
_SAFETY_NET_REACH = 4  # words from the advice to its "if": "seek medical advice if", "contact the team if"


def _safety_netting(first: int, forms: list[str], sentence: list[int], triggers: Sequence[Trigger]) -> bool:
    """The finding at word first is what an "if" of advice hedges ("stop if any dizziness")."""
    for t in triggers:
        if t.kind == UNC_PRE and forms[t.start] == "if" and t.end <= first and first - t.end <= SCOPE[UNC_PRE]:
            lo = max(0, t.start - _SAFETY_NET_REACH)
            if any(forms[k] in _SAFETY_NETS and sentence[k] == sentence[t.start] for k in range(lo, t.start)):
                return True
    return False


_SERVICES = frozenset((
    "clinic", "clinics", "service", "services", "team", "nurse", "nurses", "department", "ward", "specialist",
    "specialists", "consultant", "centre", "center", "mdt", "outpatients", "programme", "program", "society",
    "charity", "foundation", "association", "registry", "network", "support", "group", "groups", "aids",
))
# A test named by what it looks for: "skeletal dysplasia panel", "kidney disease gene panel".
_PANELS = frozenset(("panel", "panels"))
_PANEL_WORDS = frozenset(("gene", "genes", "genetic", "genetics", "multigene"))  # between the finding and "panel"
# Job titles named by a specialty: "Consultant Psychiatrist in Intellectual Disability", "Nurse Specialist in Epilepsy".
_JOB_TITLES = frozenset((
    "consultant", "consultants", "psychiatrist", "psychiatrists", "physician", "physicians", "specialist",
    "specialists", "nurse", "nurses", "professor", "lecturer", "fellow", "registrar", "paediatrician", "pediatrician",
    "neurologist", "psychologist", "therapist",
))
_NAMED_BY = _SERVICES | _PANELS | {"in"}
_NAME_AND = frozenset(("and",))
_TITLE_WORDS = 2  # capitalised words between "and" and the service: "Cleft Lip and Palate Service"


def _inside_a_service_name(c: _Candidate, surfaces: list[str], forms: list[str], gaps: list[int]) -> bool:
    """The finding's words name a service, a test or a job, not the patient's finding: a service or a panel after
    them ("the epilepsy clinic", "kidney disease gene panel"), a capitalised one after a coordinated name ("Cleft
    Lip and Palate Service": a letterhead), or a job's title before them ("Psychiatrist in Intellectual
    Disability")."""
    n = len(forms)
    k = c.last + 1
    while k < n and not forms[k]:  # a compound's absorbed parts
        k += 1
    if k < n and gaps[k] == GAP_SPACE:
        if forms[k] in _SERVICES:
            return True
        j = k
        while j < n and j - k < 2 and forms[j] in _PANEL_WORDS and gaps[j] == GAP_SPACE:
            j += 1
        if j < n and forms[j] in _PANELS and gaps[j] == GAP_SPACE:
            return True
        if forms[k] in _NAME_AND and surfaces[c.first][:1].isupper() and surfaces[c.last][:1].isupper():
            j = k + 1
            while j < n and j - k <= _TITLE_WORDS + 1 and gaps[j] == GAP_SPACE and surfaces[j][:1].isupper():
                if forms[j] in _SERVICES:
                    return j > k + 1
                j += 1
    return (c.first > 1 and forms[c.first - 1] == "in" and forms[c.first - 2] in _JOB_TITLES
            and gaps[c.first] == GAP_SPACE and gaps[c.first - 1] == GAP_SPACE)

# What a patient is given or eats, after a level's direction and analyte: "a low-protein diet", "a low phenylalanine
# formula", "high sodium intake" describe the food, not the blood's level (Hypoproteinemia, Hypophenylalaninemia).
_DIETS = frozenset(("diet", "diets", "formula", "formulas", "intake", "supplement", "supplements"))
_DIET_WAYS = frozenset(("low", "high", "reduced", "restricted", "increased", "decreased"))

# A drug named as a salt, after its metal ("sodium valproate", "potassium chloride"): no blood level of the metal.
_SALTS = frozenset(map(word_form, (
    "valproate", "chloride", "bicarbonate", "benzoate", "phenylbutyrate", "citrate", "carbonate", "gluconate",
    "phosphate", "sulphate", "sulfate", "picosulfate", "docusate", "fusidate", "cromoglicate", "oxybate", "alginate",
    "feredetate", "glycerophosphate", "aspartate", "polystyrene", "supplement", "supplements", "replacement",
)))

# The last words of names of aids that say a finding ("hearing aids", "cochlear implants": Hearing impairment).
_AIDS = frozenset(("aid", "aids", "implant", "implants"))
_DASHES = frozenset("-\u2013\u2014")
# "he does not", "she doesn't": the patient said apart from the relatives named before ("both sisters have
# scoliosis, he does not").
_PATIENT_PRONOUNS = frozenset(("he", "she", "patient", "proband"))
_DENYING = frozenset(("does", "did", "has", "had", "is", "was"))
_DENIED = frozenset(map(word_form, ("doesn't", "didn't", "hasn't", "hadn't", "isn't", "wasn't")))
_AS_DOES, _THE_PATIENT = _DENYING | {"do"}, _PATIENT_PRONOUNS | {"index"}  # "..., as does the proband"
_AS_OR_SO = frozenset(("as", "so"))  # "..., and so does he"


def _shared_after(last: int, forms: list[str], sentence: list[int]) -> bool:
    """'... as does the proband', '... as did he', '..., and so does he': the relatives' finding is the patient's
    too."""
    n = len(forms)
    for k in range(last + 1, min(n - 2, last + 6)):
        if sentence[k + 2] != sentence[last]:
            return False
        if forms[k] in _AS_OR_SO and forms[k + 1] in _AS_DOES:
            j = k + 2 + (forms[k + 2] in ("the", "our", "this"))
            return j < n and forms[j] in _THE_PATIENT
    return False


# "Father has polydactyly; the patient has none", "mother has scoliosis but he does not": the patient said apart
# from the relative's finding, without it.
_APART = frozenset(("but", "whereas", "while", "although", "though", "however"))
_PATIENT_WORDS = _PATIENT_PRONOUNS | {"child", "boy", "girl"}
_NONE_HAD = frozenset(("none", "neither"))
_OWNED_THE = frozenset(("the", "our", "this"))
_SAID_APART_REACH = 5  # words from the finding to the patient said apart
# Words that may end the denial ("he does not have it", "she has not been affected"); any other is a predicate of
# its own ("he does not walk").
_DENIAL_TAIL = frozenset(("have", "had", "it", "one", "them", "this", "either", "been", "affected", "show", "any", "so",
                          "such", "of", "these", "those", "signs", "feature", "features", "problem", "problems"))


def _the_patient_has_not(last: int, forms: list[str], sentence: list[int], finding_starts: Container[int]) -> bool:
    """'Father has polydactyly; the patient has none', 'mother has scoliosis but he does not (have it)', 'his
    brother had seizures, he has not': after the relative's finding (ending at word `last`), the patient is said,
    in its sentence or as the next one, not to have it."""
    n = len(forms)
    sid = sentence[last]
    for m in range(last + 1, min(n, last + 1 + _SAID_APART_REACH)):
        if m in finding_starts or sentence[m] > sid + 1 or sentence[m] > sid and sentence[m - 1] > sid:
            return False  # another finding, or past the next sentence's first words
        if forms[m] in _APART:
            continue
        j = m + (forms[m] in _OWNED_THE)
        if j + 2 >= n or forms[j] not in _PATIENT_WORDS or sentence[j + 1] != sentence[m]:
            if sentence[m] > sid:
                return False
            continue
        said = forms[j + 1]
        if said in _DENIED:
            p = j + 2
        elif said in _DENYING and forms[j + 2] == "not" or said in _HAVE and forms[j + 2] in _NONE_HAD:
            p = j + 3
        else:
            return False
        while p < n and sentence[p] == sentence[j]:
            if p in finding_starts or forms[p] not in _DENIAL_TAIL:
                return False  # "he does not have hypotonia", "he does not walk": a predicate of its own
            p += 1
        return True
    return False


def _relatives_alone(first: int, last: int, triggers, sentence_start: int, forms: list[str], gaps: list[int],
                     gap_texts: list[str], sentence: list[int]) -> bool:
    """A finding said of the relatives a sentence opens with: 'Mother - short stature.' (a relative heading its
    line with a dash, as with a colon), 'Both sisters have scoliosis, he does not.'"""
    relative = next((t for t in triggers if t.kind == RELATIVE and t.end <= first), None)
    if relative is None:
        return False
    if relative.start - sentence_start <= 2 and all(
            w in POSSESSIVES or w in KIN_QUALIFIERS or w == "the" for w in forms[sentence_start : relative.start]):
        k = relative.end
        spaced = k < len(forms) and gaps[k] == GAP_COMMA  # (a spaced dash reads as a comma)
        if k < len(forms) and "(" in gap_texts[k]:  # "Mother (35 y) - short stature"
            k = _past_qualifier(gap_texts, gaps, k)
            spaced = " " in gap_texts[k].partition(")")[2]
        if k <= first and spaced and not _DASHES.isdisjoint(gap_texts[k]):
            return True
    n = len(forms)
    k = last + 1
    while k < n and k - last <= 4 and sentence[k] == sentence[first]:
        if forms[k] in _PATIENT_PRONOUNS and k + 1 < n and sentence[k + 1] == sentence[first] and (
                forms[k + 1] in _DENIED or (forms[k + 1] in _DENYING and k + 2 < n and forms[k + 2] == "not")):
            return True
        k += 1
    return False


# One-word names with an everyday sense, read as the finding only where they cannot be that sense: (words before,
# words after) that make "fits" the verb ("this fits the diagnosis", "she fits criteria for") and "regression" the
# statistician's or a lesion's ("logistic regression", "regression analysis", "regression of the tumour"; its
# developmental sense names what regressed: "regression of skills"), and "aspiration" a procedure.
_EVERYDAY_SENSES = {
    "fits": (
        frozenset(("it", "this", "that", "which", "who", "what", "he", "she", "they", "also", "best", "well",
                   "closely", "neatly", "nicely", "still", "clearly", "perfectly", "partly", "partially", "only")),
        frozenset(("with", "the", "a", "an", "into", "within", "well", "best", "all", "both", "his", "her",
                   "their", "this", "that", "these", "those", "our", "its", "criteria", "neither", "either",
                   "none", "nicely", "perfectly", "closely", "neatly", "most", "some", "several", "many",
                   "clinical", "diagnostic")),
    ),
    "blind": (  # "double-blind trial", "colour blind", "a blind spot"
        frozenset(("double", "single", "triple", "colour", "color", "doubleblind", "singleblind")),
        frozenset(("spot", "spots", "study", "studies", "trial", "trials", "test", "testing", "loop", "ending",
                   "end", "review", "assessment", "assessor", "assessors", "fashion", "manner")),
    ),
    # a procedure's, not the lungs' ("fine-needle aspiration", "bone marrow aspiration", "aspiration cytology")
    "aspiration": (
        frozenset(("needle", "marrow", "suprapubic", "bladder", "joint", "cyst", "endotracheal", "tracheal",
                   "nasopharyngeal", "nasogastric", "vacuum", "manual", "sperm", "follicle", "follicular", "oocyte")),
        frozenset(("biopsy", "biopsies", "cytology", "needle", "aspirate")),
    ),
    # a defibrillator's ("two appropriate shocks", "ICD shocks", "shock delivered"), not circulatory shock
    **{word: (
        frozenset(("appropriate", "inappropriate", "icd", "device", "defibrillator", "aicd", "electric", "electrical",
                   "dc", "cardioversion", "discharged", "delivered", "received", "therapeutic", "internal", "external")),
        frozenset(("delivered", "therapy", "therapies", "from", "by", "terminated", "terminating", "treatment",
                   "treatments", "cardioversion")),
    ) for word in ("shock", "shocks")},
    "regression": (
        frozenset(("logistic", "linear", "multiple", "multivariate", "multivariable", "univariate", "univariable",
                   "cox", "poisson", "ordinal", "nonlinear", "polynomial", "quantile", "stepwise", "penalized",
                   "penalised", "lasso", "ridge", "tumor", "spontaneous", "partial", "complete", "lesion", "caudal")),
        frozenset(("analysis", "analyzes", "model", "models", "modeling", "modelling", "coefficient",
                   "coefficients", "line", "lines", "equation", "equations", "slope", "slopes", "tree", "trees",
                   "method", "methods", "estimate", "estimates", "to", "syndrome")),
    ),
}
# Verbs read as the finding only after the child they are said of ("he has regressed", "she then regressed"); the
# words of _EVERYDAY_SENSES' filter that are not its keys.
_SAID_OF_A_CHILD = {  # word -> (how many words back, the words one of which must be there)
    "regressed": (3, frozenset(("he", "she", "they", "child", "boy", "girl", "patient", "developmentally", "skills",
                            "development", "speech", "then", "subsequently", "later", "gradually", "progressively"))),
    # (just before: "he has not regressed" but not "he is 150 cm tall")
    "tall": (1, frozenset(("is", "was", "be", "are", "were", "very", "relatively", "unusually", "abnormally", "remains",
                       "remained", "grew", "become", "became", "being", "not", "neither", "nor"))),
    "pale": (1, frozenset(("is", "was", "be", "are", "were", "very", "looked", "looks", "appeared", "appears", "became",
                       "becomes", "looking", "not", "neither", "nor"))),
    # (not "irritable bowel", "an irritable cough"; "noted to be irritable" is the child's, as "seemed to be pale")
    "irritable": (1, frozenset(("is", "was", "be", "are", "were", "very", "extremely", "more", "often", "frequently",
                            "markedly", "persistently", "inconsolably", "became", "becomes", "been", "remains",
                            "remained", "appeared", "appears", "seemed", "seems", "not", "neither", "nor", "and",
                            "or", "being", "quite", "increasingly"))),
}
# What regressed, after "regression of": anything else is a lesion's ("regression of the haemangioma").
_REGRESSED = frozenset((
    "skills", "skill", "milestones", "speech", "language", "development", "motor", "abilities", "ability",
    "acquired", "previously", "developmental", "cognitive", "cognition", "walking", "words", "function",
    "functions", "social", "communication", "gait", "hand", "behavior", "play",
))


_EVERYDAY_WORDS = frozenset(_EVERYDAY_SENSES) | frozenset(_SAID_OF_A_CHILD)
# HPO names that are also given names: read as the person where the words around say a person is named.
_GIVEN_NAMES = frozenset(("amelia",))
_PERSON_AFTER_BE = frozenset(("a", "an", "born", "seen", "now", "reviewed", "referred", "here", "today", "aged"))
_PERSON_VERBS = frozenset(("presented", "presents", "attended", "attends", "returned", "returns", "was", "is"))
_NAMING_WORDS = frozenset(("named", "called", "daughter", "son", "sister", "brother", "patient", "child"))


def _names_a_person(k: int, surfaces: list[str], forms: list[str], gaps: list[int]) -> bool:
    """Word k, a finding's name that is also a given name, names a person: capitalised and possessive ("Amelia's
    mother"), the subject of "is a 4-year-old girl", "was born", "presented", "Amelia, a 4-year-old", or after
    "named", "daughter" ... The finding as a noun ("amelia of both arms", "Amelia of the upper limbs") stays."""
    if not surfaces[k][:1].isupper():
        return False
    if surfaces[k].endswith(("'s", "\u2019s")) or (k and forms[k - 1] in _NAMING_WORDS and gaps[k] == GAP_SPACE):
        return True
    nxt = forms[k + 1] if k + 1 < len(forms) else ""
    after = forms[k + 2] if k + 2 < len(forms) else ""
    if gaps[k + 1] == GAP_COMMA if k + 1 < len(forms) else False:
        return nxt in ("a", "an", "aged")  # "Amelia, a 4-year-old girl"
    if nxt in ("is", "was"):
        return after in _PERSON_AFTER_BE
    if nxt in ("has", "had"):  # "Amelia has ptosis"; not "Amelia has been noted"
        return after != "been"
    return nxt in _PERSON_VERBS - {"is", "was"}


def _everyday_sense(k: int, forms: list[str], gaps: list[int]) -> bool:
    """Word k (in _EVERYDAY_SENSES) is used in its everyday sense, by the words beside it."""
    if forms[k] in _SAID_OF_A_CHILD:  # "he has regressed" (not "the haemangioma regressed"), "he is tall"
        reach, said_after = _SAID_OF_A_CHILD[forms[k]]
        return said_after.isdisjoint(forms[max(0, k - reach) : k])
    before, after = _EVERYDAY_SENSES[forms[k]]
    if k > 0 and gaps[k] == GAP_SPACE and forms[k - 1] in before:
        return True
    if k + 1 < len(forms) and gaps[k + 1] == GAP_SPACE:
        following = forms[k + 1]
        if following in after:
            return True
        if following == "of" and forms[k] == "regression":
            objects = [f for f in forms[k + 2 : k + 5] if f not in _DETERMINERS]
            return not objects or objects[0] not in _REGRESSED
    return False


# Abbreviations of findings that also label a record ("Patient ID: 123"); _labels_a_record tells which.
_LABEL_ABBREVIATIONS = frozenset(("ID",))
_RECORD_WORDS = frozenset((
    "patient", "patients", "hospital", "nhs", "sample", "samples", "study", "lab", "laboratory", "record", "records",
    "case", "cases", "subject", "subjects", "specimen", "unit", "clinic", "mrn", "dna", "photo", "user",
    "unique", "national", "participant", "participants", "card", "staff", "gene", "variant", "accession", "omim",
    "orpha", "decipher", "clinvar", "dbsnp", "ensembl", "person", "user", "login",
))


_RECORD_FIELDS = frozenset(("name", "dob", "mrn", "nhs", "sex", "gender", "age", "date", "address", "number", "no", "hospital", "lab", "sample", "ward", "bed"))
_AFTER_A_RECORD_ID = frozenset((
    "number", "no", "nr", "code", "card", "badge", "verified", "checked", "confirmed", "dob", "band", "bracelet",
    "wristband", "tag", "label", "sticker", "documents", "document",
))
_SHOWING = frozenset(("showed", "show", "shows", "shown", "produced", "provided", "presented", "brought", "checked", "verified"))
_CODE_AFTER = re.compile(r"[ \t]*[:#=\-\u2013]?[ \t]*(\S+)")
_WORD_AFTER = re.compile(r"[ \t]+([A-Za-z]+)")
_COUNT = re.compile(r"\d{1,2}(?:st|nd|rd|th)?(?:/\d{1,2})?", re.IGNORECASE)


# places with white matter of their own, named before "white matter" or after it ("of the cerebellum")
_NOT_CEREBRAL = frozenset(("cerebellar", "cerebellum", "brainstem", "stem", "pontine", "pons", "midbrain",
                           "mesencephalic", "spinal", "cord", "infratentorial"))


def _white_matter_elsewhere(first: int, last: int, forms: list[str], gaps: list[int]) -> bool:
    """Whether a cerebral white matter term read over words first..last without "cerebral" (HPO's own "White matter
    hyperintensity", the names read without "cerebral") names white matter of another place: "cerebellar white
    matter atrophy", "hyperintensities in the white matter of the brainstem", "white matter atrophy in the pons"."""
    span = forms[first : last + 1]
    if "white" not in span or "cerebral" in span:
        return False
    w = first + span.index("white")
    if w and gaps[w] <= GAP_HYPHEN and forms[w - 1] in _NOT_CEREBRAL:
        # (but "cerebral and cerebellar white matter atrophy" names the cerebrum's too)
        return not (w > 2 and forms[w - 3] == "cerebral" and forms[w - 2] in _COORDINATORS)
    n = len(forms)
    for k in (w + 2, last + 1):  # after "white matter", after the whole name: "of/in/within (the) <place>"
        if k < n and gaps[k] <= GAP_HYPHEN and forms[k] in ("of", "in", "within"):
            k += 1
            if k < n and gaps[k] <= GAP_HYPHEN and forms[k] == "the":
                k += 1
            if k < n and gaps[k] <= GAP_HYPHEN and forms[k] in _NOT_CEREBRAL:
                return True
    return False


def _labels_a_record(text: str, surfaces: list[str], starts: list[int], ends: list[int], k: int) -> bool:
    """'Patient ID: 123', 'sample IDs', 'ID number', 'ID #12': the abbreviation labels a record, not a finding."""
    if surfaces[k].endswith("s"):
        return True  # "IDs" are identifiers; a plural of the finding is not written so
    before = surfaces[k - 1].lower() if k > 0 else ""
    if before in _RECORD_WORDS and not text[ends[k - 1] : starts[k]].strip():
        return True
    nxt = surfaces[k + 1].lower() if k + 1 < len(surfaces) else ""
    # "Name/ID/DOB": one of a record's fields joined by slashes
    if (k > 0 and text[ends[k - 1] : starts[k]].strip() == "/" and before in _RECORD_FIELDS) or (
        nxt and text[ends[k] : starts[k + 1]].strip() == "/" and nxt in _RECORD_FIELDS
    ):
        return True
    if nxt in _AFTER_A_RECORD_ID:
        return True  # "ID number", "ID verified at check-in", "ID and DOB confirmed"
    if nxt == "of" and before in ("the", "a", "an"):
        return True  # "the ID of the variant"
    if before in ("his", "her", "their", "your", "my") and k > 1 and surfaces[k - 2].lower() in _SHOWING:
        return True  # "Mother showed her ID at reception"
    if k + 2 < len(surfaces) and surfaces[k + 2].lower() in _AFTER_A_RECORD_ID and nxt in ("and", "&"):
        return True  # "ID and DOB confirmed"
    match = _CODE_AFTER.match(text, ends[k])
    if match is None:
        return False
    code = match.group(1).rstrip(".,;:)")
    if not any(ch.isdigit() for ch in code):
        return False
    # a count of people or a cause is the finding's: "ID - 2 affected brothers", "ID: 2 of 3 sibs", "ID 2nd to HIE"
    if _COUNT.fullmatch(code):
        word = _WORD_AFTER.match(text, match.end())
        return word is None or not word.group(1).islower()
    return True  # "ID: 4471", "ID: A123456", "ID: MRN-4471", "ID #12"


# Words of its sentence by which an abbreviation means something else than the finding: "AF" is the allele
# frequency of a variant report or the anterior fontanelle of an infant's examination.
_OTHER_MEANING_NEAR = {
    "AF": frozenset((
        "gnomad", "exac", "topmed", "allele", "alleles", "frequency", "frequencies", "maf", "population", "populations",
        "heterozygous", "homozygous", "variant", "variants", "fontanelle", "fontanelles", "fontanel", "fontanels",
        "suture", "sutures", "pf",
    )),
}
# Words right after it (within two words): "AF soft", "AF open and flat", "AF is bulging".
_OTHER_MEANING_NEXT = {
    "AF": frozenset(("soft", "flat", "bulging", "bulge", "tense", "full", "sunken", "depressed", "open", "closed", "patent",
                     "large", "small", "normal", "fingertip", "cm")),
    "DD": frozenset(("includes", "include", "included", "including", "of", "vs", "versus", "considered", "considerations",
                     "list")),
}
_TITLES = frozenset(("dr", "mr", "mrs", "ms", "miss", "prof", "professor", "doctor"))


def _other_meaning(text: str, surfaces: list[str], starts: list[int], ends: list[int], forms: list[str],
                   sentence: list[int], k: int) -> bool:
    """The abbreviation at word k means something else here: initials after a title ("Dr DD Smith"), a
    differential diagnosis ("DD includes Angelman syndrome"), an allele frequency ("AF 0.0003", "AF=0.01", "gnomAD
    AF") or the anterior fontanelle ("AF soft")."""
    if k > 0 and word_form(surfaces[k - 1]).rstrip(".") in _TITLES:
        return True
    key = surfaces[k].rstrip("s")
    nxt = _OTHER_MEANING_NEXT.get(key)
    if nxt is not None and any(
        sentence[m] == sentence[k] and forms[m] in nxt for m in range(k + 1, min(len(forms), k + 3))
    ):
        return True
    near = _OTHER_MEANING_NEAR.get(key)
    if near is None:
        return False
    after = text[ends[k] : ends[k] + 6].lstrip(" \t:=<>\u2264\u2265~(")
    if after[:1].isdigit() or (after[:1] == "." and after[1:2].isdigit()):
        return True  # a value: "AF 0.0003", "AF=0.01", "AF: 1/250000"
    sid = sentence[k]
    m = k
    while m > 0 and sentence[m - 1] == sid:
        m -= 1
    while m < len(forms) and sentence[m] == sid:
        if forms[m] in near:
            return True
        m += 1
    return False


def _looks_abbreviated(surface: str) -> bool:
    if len(surface) < 2 or len(surface) > 10:
        return False
    upper = sum(c.isupper() for c in surface)
    return upper >= 2 and upper >= len(surface) - 2


class _Possessive(Sequence):
    """possessive[i]: word i ends in 's ("the patient's mother"); computed only for the words asked about."""

    __slots__ = ("surfaces",)

    def __init__(self, surfaces: list[str]) -> None:
        self.surfaces = surfaces

    def __len__(self) -> int:
        return len(self.surfaces)

    def __getitem__(self, i):  # type: ignore[override]
        return self.surfaces[i].endswith(("'s", "’s"))
