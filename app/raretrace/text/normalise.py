"""Words as the dictionary sees them: tokens with exact offsets, spelling and inflection folded away.

Two levels of equivalence, both built over the dictionary's own vocabulary:
- *fine* classes join inflections of one word (carcinoma/carcinomas, nevus/nevi, vertebra/vertebrae);
- *coarse* classes also join derivations and clinical equivalents (hypoplastic/hypoplasia, renal/kidney,
  anomaly/abnormality). Dictionary keys use coarse classes; fine classes break ties between names that fold
  to the same key (the closer wording wins).
A text word outside the vocabulary is mapped by the same rules (strip a plural, an -ed, ...) onto a vocabulary
word, so the rules only ever need to *reach* a known word, never to be a full morphology.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..paths import resources_dir

# A word: letters/digits (with combining accents, as in decomposed "Cafe\u0301"), inner apostrophes kept
# (Crohn's, patient's); everything else is a gap.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_CORE = rf"[^\W_]+(?:[{_MARKS}]+[^\W_]*)*"
WORD = re.compile(rf"{_CORE}(?:['’]{_CORE})*")
# The same words with the text before each: findall() yields (gap, word) pairs that tile the text exactly.
GAP_WORD = re.compile(rf"([\W_]*?)({_CORE}(?:['’]{_CORE})*)")
# The same words as split() separators: [gap, word, gap, word, ..., trailing gap], the pairs of GAP_WORD.findall
# found by one forward search per word (linear time, whatever follows the last word). Quantifiers are possessive:
# the classes they repeat are disjoint from what may follow, so nothing is ever given back.
_CORE_SPLIT = rf"[^\W_]++(?:[{_MARKS}]++[^\W_]*+)*+"
_WORD_SPLIT = rf"{_CORE_SPLIT}(?:['’]{_CORE_SPLIT})*+"
WORD_SPLIT = re.compile(f"({_WORD_SPLIT})")
# ASCII text has its own pattern with ASCII classes, which the engine tests from a bitmap rather than by Unicode
# category: in ASCII a word character (not "_") is [A-Za-z0-9], and no combining mark or "’" occurs. (Splitting at
# runs of single-spaced words and cutting the runs apart with str methods, as this did before, costs more on
# Python 3.11: the same on abstracts, ~13% more on clinical notes, which have more punctuation.)
_ASCII_WORD = r"[A-Za-z0-9]++(?:'[A-Za-z0-9]++)*+"
_ASCII_WORD_SPLIT = re.compile(f"({_ASCII_WORD})")


def split_words(text: str) -> list[str]:
    """[gap, word, gap, word, ..., trailing gap]: the words of text with what lies before each, tiling it exactly
    (WORD_SPLIT.split(text))."""
    return (_ASCII_WORD_SPLIT if text.isascii() else WORD_SPLIT).split(text)


# Gap characters: not word characters nor the combining marks a word may end in.
_GAP_RUN = re.compile(rf"(?:[^\w{_MARKS}]|_)*")


def words_end(text: str) -> int:
    """Index just past the text's last word (its trailing run of gap characters left out).

    GAP_WORD.findall(text, 0, words_end(text)) gives the same pairs as over the whole text, in linear time: over a
    trailing run with no word after it, the scan would try every start in the run, each time to its end.
    """
    n = len(text)
    size = 64
    while True:
        tail = text[max(0, n - size) :][::-1]  # the end of the text, reversed: its gap run comes first
        run = _GAP_RUN.match(tail).end()  # type: ignore[union-attr]
        if run < len(tail) or size >= n:
            return n - run
        size *= 2


# What lies between two words decides whether a phrase may run across it.
GAP_SPACE = 0  # whitespace or nothing
GAP_HYPHEN = 1  # pre-auricular, cafe-au-lait: also tried joined
GAP_COMMA = 2  # list separator (coordination)
GAP_SLASH = 3  # and/or, lip/palate: a coordinator
GAP_BREAK = 4  # brackets, quotes, other symbols: no phrase across it
GAP_SENTENCE = 5  # . ; : ! ? and line breaks: ends phrases and negation scope

_HYPHENS = "-\u2010\u2011"
_SENTENCE_CHARS = set(".;:!?\u2022")
# A line break ends a phrase: list items, table rows and headings stand on lines of their own (the extractor reads
# through the break of a long line of wrapped prose).
_LINE_BREAK_SET = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")


def classify_gap(gap: str) -> int:
    if not gap:
        return GAP_SPACE
    chars = set(gap)
    if chars & _LINE_BREAK_SET:
        return GAP_SENTENCE
    if gap.isspace():
        return GAP_COMMA if "\t" in gap else GAP_SPACE  # a TAB separates cells of a table or items of a list
    chars -= set(" \t")
    if chars & _SENTENCE_CHARS:
        return GAP_SENTENCE
    if gap in _HYPHENS:
        return GAP_HYPHEN
    if chars == {","}:
        return GAP_COMMA
    if chars == {"/"}:
        return GAP_SLASH
    if chars <= set(_HYPHENS + "\u2013\u2014") and gap.strip() != gap:
        return GAP_COMMA  # "fever - rash": a spaced dash separates like a comma
    return GAP_BREAK


_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")


def line_breaks(gap: str) -> int:
    """How many line breaks a gap holds (CRLF is one)."""
    return len(_LINE_BREAK.findall(gap))


# ------------------------------------------------------------------------------------------------ spelling

_ACCENT_FREE = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_OUR_WORDS = frozenset(["four", "hour", "your", "yours", "pour", "flour", "sour", "tour", "tours", "our", "ours", "dour", "contour", "contours", "hours"])
_SPELLING_WORDS = {
    "grey": "gray",
    "greyish": "grayish",
    "sulphate": "sulfate",
    "sulphur": "sulfur",
    "mould": "mold",
    "aluminium": "aluminum",
    "programme": "program",
    "plough": "plow",
    "manoeuvre": "maneuver",
    "tyre": "tire",
    "ageing": "aging",
    "vermillion": "vermilion",  # (HPO writes both: "Thin vermilion border", "Thin vermillion")
}
_RE_AE = re.compile(r"(?<=[a-z])ae(?=[a-z])|^ae(?=[a-z]{3})")
_RE_OE = re.compile(r"(?<=[a-z])oe(?=[a-z]{2})|^oe(?=[a-z]{3})|oea$|oeal$")
_RE_OUR = re.compile(r"our(?=$|s$|ed$|ing$|al$|ally$|ful$|less$|ite$|ites$|able$)")
_RE_ISE = re.compile(r"(?<=[a-z]{2})is(?=e$|ed$|es$|ing$|ation$|ations$|er$|ers$)")
_RE_YSE = re.compile(r"(?<=[a-z])ys(?=e$|ed$|es$|ing$)")
_RE_TRE = re.compile(r"(?<=[a-z]{2})([tb])re(s?)$")


def _oe(m: re.Match) -> str:
    return m.group(0).replace("oe", "e", 1)


def word_form(surface: str) -> str:
    """Case, accents, possessive 's and British spelling folded: 'Naevi' -> 'nevi', 'Tumours' -> 'tumors'."""
    w = surface.casefold()
    if not w.isascii():
        w = "".join(_ACCENT_FREE.get(c, c) for c in w)
        w = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    if "'" in w or "’" in w:
        w = w.replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        w = w.replace("'", "")
    if len(w) < 4 or not w.isalpha():
        return w
    w = _SPELLING_WORDS.get(w, w)
    if w.startswith("leuc"):
        w = "leuk" + w[4:]  # leucocytosis, leucopenia, leucodystrophy (British) -> leuk-
    if "ae" in w:
        w = _RE_AE.sub("e", w)
    if "oe" in w:
        w = _RE_OE.sub(_oe, w)
    if "our" in w and w not in _OUR_WORDS:
        w = _RE_OUR.sub("or", w)
    if "is" in w:
        w = _RE_ISE.sub("iz", w)
    if "ys" in w:
        w = _RE_YSE.sub("yz", w)
    if w.endswith(("tre", "bre", "tres", "bres")):
        w = _RE_TRE.sub(lambda m: m.group(1) + "er" + m.group(2), w)
    return w


# ----------------------------------------------------------------------------------------------- inflection

_IRREGULAR = {
    "teeth": "tooth",
    "feet": "foot",
    "children": "child",
    "women": "woman",
    "men": "man",
    "mice": "mouse",
    "lice": "louse",
    "geese": "goose",
    "viscera": "viscus",
    "corpora": "corpus",
    "femora": "femur",
    "crura": "crus",
    "testes": "testis",
    "ova": "ovum",
    "epididymides": "epididymis",
    "calcanei": "calcaneus",
    "phenomena": "phenomenon",
    "criteria": "criterion",
    "bacteria": "bacterium",
    "diverticula": "diverticulum",
    "pili": "pilus",
    "cilia": "cilium",
    "data": "datum",
    "media": "media",  # otitis media is not a 'medium'
    "lymphomata": "lymphoma",
    "lentigines": "lentigo",
    "canthi": "canthus",
    "hallux": "hallux",
    "halluces": "hallux",
    "pollices": "pollex",
}


def inflection_candidates(w: str) -> list[str]:
    """Base forms a word might be an inflection of, most likely first (only those in the vocabulary count)."""
    out: list[str] = []
    irregular = _IRREGULAR.get(w)
    if irregular:
        return [irregular]
    n = len(w)
    if n < 4:
        return out
    if w.endswith("ies"):
        out.append(w[:-3] + "y")
    if w.endswith("ices"):
        out += [w[:-4] + "ex", w[:-4] + "ix"]
    if w.endswith("nges"):
        out.append(w[:-3] + "x")
    if w.endswith("ses"):
        out.append(w[:-2] + "is")
    elif w.endswith(("yzes", "izes")):  # a Greek plural the -yse/-ise fold changed: epiphyses, crises
        out.append(w[:-3] + "sis")
    if w.endswith("ves"):
        out.append(w[:-1])  # "nerves", "valves": no English plural adds "es" to a "v" ("hives" is no plural of "HIV")
    elif w.endswith("es"):
        out += [w[:-1], w[:-2]]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        out.append(w[:-1])
    if w.endswith("ata"):
        out.append(w[:-2])
    if w.endswith("ina"):
        out.append(w[:-3] + "en")
    if w.endswith("ae"):
        out.append(w[:-1])
    if w.endswith("i"):
        out += [w[:-1] + "us", w[:-1] + "um"]
    if w.endswith("a"):
        out += [w[:-1] + "um", w[:-1] + "on"]
        if n >= 6:
            out.append(w[:-1])
    if n >= 5 and w.isalpha():
        out.append(w + "a")  # Latin adjectives agree with their noun: occult -> (spina bifida) occulta
    return [c for c in out if len(c) >= 3]


def adjective_candidates(w: str) -> list[str]:
    """The disorder a clinical adjective names: hypoplastic/hypoplasia, atrophic/atrophy, obese/obesity."""
    out: list[str] = []
    if len(w) < 5:
        return out
    if w.endswith("astic"):
        out.append(w[:-4] + "sia")
    if w.endswith("otic") or w.endswith("ytic"):
        out.append(w[:-3] + "sis")
    if w.endswith("etic"):
        out += [w[:-3] + "sis", w[:-3] + "sia"]
    if w.endswith("ptic"):
        out += [w[:-3] + "sy", w[:-3] + "sia"]  # epileptic/epilepsy, narcoleptic/narcolepsy
    if w.endswith("ic"):
        out += [w[:-1] + "a", w[:-2] + "y"]
    if w.endswith("ity") and len(w) >= 7:
        out += [w[:-3], w[:-3] + "e"]
    return [c for c in out if len(c) >= 4]


# Words the derivation rules would take for another word: "several" is not "severe".
_NOT_DERIVED = frozenset(("several",))
# Nouns whose verb is another finding's word: "he developed cataracts" is no Developmental (congenital) cataract.
_NO_SHARED_STEM = frozenset(("development", "developments", "developmental"))


def derivation_candidates(w: str) -> list[str]:
    """Looser derivations, used only inside multi-word names: renal/-, mandibular/mandible, enlarged/-ment."""
    out: list[str] = []
    if len(w) < 5 or w in _NOT_DERIVED or w in _NO_SHARED_STEM:
        return out
    if w.endswith("ed"):
        out += [w[:-2], w[:-1]]
        if len(w) > 5 and w[-3] == w[-4]:
            out.append(w[:-3])
    if w.endswith("ing"):
        out += [w[:-3], w[:-3] + "e"]
        if len(w) > 6 and w[-4] == w[-5]:
            out.append(w[:-4])
    if w.endswith("ic"):
        out += [w[:-1] + "s", w[:-2]]  # pelvic/pelvis, cystic/cyst
    if w.endswith("atic"):
        out.append(w[:-3] + "s")
    if w.endswith("ical"):
        out += [w[:-4] + "ex", w[:-4] + "ix", w[:-2]]
    if w.endswith("ular"):
        out += [w[:-4] + "le", w[:-2] + "e", w[:-4]]
    if w.endswith("ar"):
        out += [w[:-1], w[:-2] + "a"]
    if w.endswith("ial"):
        out += [w[:-3] + "y", w[:-3] + "ium", w[:-2] + "um"]
    if w.endswith("al"):
        out += [w[:-2] + "a", w[:-2] + "um", w[:-2] + "us", w[:-2] + "e", w[:-2] + "on"]
    if w.endswith("ian"):
        out += [w[:-3] + "y", w[:-2]]
    if w.endswith("ous"):
        out += [w[:-3] + "y", w[:-3] + "ia", w[:-3]]
    if w.endswith(("ened", "ening")):
        stem = w[:-4] if w.endswith("ened") else w[:-5]
        out += [stem, stem + "e"]
    if w.endswith("ment"):
        out += [w[:-4], w[:-4] + "d"]
    if w.endswith("ation") and len(w) >= 9:
        out += [w[:-5] + "e", w[:-5] + "ed", w[:-3] + "ed"]
    if w.endswith("ication"):
        out.append(w[:-7] + "ied")
    if w.endswith("ion") and len(w) >= 7:
        out += [w[:-3] + "e", w[:-3] + "ed"]
    if w.endswith("al") and len(w) >= 8:
        out.append(w[:-2])
    if w.endswith("ness"):
        out.append(w[:-4])
    if w.endswith("cient"):
        out.append(w[:-1] + "cy")  # deficient/deficiency, insufficient/insufficiency
    return [c for c in out if len(c) >= 4]


def derivation_stems(w: str) -> list[str]:
    """Shared stems that join derived forms neither of which is the other's base (impaired/impairment)."""
    out: list[str] = []
    if len(w) < 7 or w in _NO_SHARED_STEM:
        return out

    def stem(base: str, *endings: str) -> None:
        if len(base) >= 4:
            out.extend(base + e for e in endings)

    if w.endswith("ied"):
        stem(w[:-3], "y")
    elif w.endswith("ed"):
        stem(w[:-2], "", "e")
        if w[-3] == w[-4]:
            stem(w[:-3], "")
    if w.endswith("ing"):
        stem(w[:-3], "", "e")
        if w[-4] == w[-5]:
            stem(w[:-4], "")
    if w.endswith("ment"):
        stem(w[:-4], "")
    if w.endswith("ication"):
        stem(w[:-7], "y")
    if w.endswith("ation"):
        stem(w[:-5], "", "e")
    elif w.endswith("ion"):
        stem(w[:-3], "", "e")
    if w.endswith("ity"):
        stem(w[:-3], "", "e")
    if w.endswith("ness"):
        stem(w[:-4], "")
    return ["#" + c for c in out]


# ------------------------------------------------------------------------------------------------ resources


def read_word_sets(path: Path) -> list[list[str]]:
    """A resource file of equivalent words: one set per line, words separated by spaces; '#' comments."""
    sets: list[list[str]] = []
    if not path.is_file():
        return sets
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            sets.append([word_form(w) for w in line.split()])
    return sets


def equivalents_path() -> Path:
    return resources_dir() / "text" / "word_equivalents.txt"


# ----------------------------------------------------------------------------------------------- vocabulary


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def add(self, x: str) -> None:
        self.parent.setdefault(x, x)

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The shorter (usually the base) form names the class; ties alphabetically, so builds are stable.
            if (len(rb), rb) < (len(ra), ra):
                ra, rb = rb, ra
            self.parent[rb] = ra


class Vocabulary:
    """Every word form the dictionary knows, with its three classes; text words are mapped onto it.

    fine: inflection only (carcinoma/carcinomas); medium: also clinical adjectives (hypotonic/hypotonia,
    obese/obesity), used for one-word names; coarse: also looser derivations and clinical equivalents
    (renal/kidney, enlarged/enlargement, anomaly/abnormality), used for names of two words or more.
    """

    def __init__(self, forms: dict[str, tuple[int, int, int]]) -> None:
        self.forms = forms  # word form -> (fine, medium, coarse)
        self._cache: dict[str, tuple[int, int, int] | None] = {}

    @classmethod
    def build(cls, words: Iterable[str], equivalents: Iterable[Iterable[str]] = ()) -> Vocabulary:
        vocab = set(words)
        equivalents = [list(s) for s in equivalents]
        for group in equivalents:
            vocab.update(group)
        ordered = sorted(vocab)
        fine = _UnionFind()
        for w in ordered:
            fine.add(w)
        for w in ordered:
            for c in inflection_candidates(w):
                if c in vocab:
                    fine.union(w, c)
                    break
        medium = _UnionFind()
        coarse = _UnionFind()
        for w in ordered:
            medium.add(w)
            coarse.add(w)
        for w in ordered:
            medium.union(w, fine.find(w))
            coarse.union(w, fine.find(w))
        for w in ordered:
            for c in adjective_candidates(w):
                if c in vocab:
                    medium.union(w, c)
                    coarse.union(w, c)
                    break
        for w in ordered:
            coarse.union(w, medium.find(w))
            for c in derivation_candidates(w):
                if c in vocab:
                    coarse.union(w, c)
                    break
            for stem in derivation_stems(w):
                coarse.add(stem)
                coarse.union(w, stem)
        for group in equivalents:
            for other in group[1:]:
                coarse.union(group[0], other)
        ids: list[dict[str, int]] = [{}, {}, {}]
        forms: dict[str, tuple[int, int, int]] = {}
        for w in ordered:  # virtual '#stems' only link classes; they are not words
            f = ids[0].setdefault(fine.find(w), len(ids[0]))
            m = ids[1].setdefault(medium.find(w), len(ids[1]))
            c = ids[2].setdefault(coarse.find(w), len(ids[2]))
            forms[w] = (f, m, c)
        return cls(forms)

    def lookup(self, form: str) -> tuple[int, int, int] | None:
        """(fine, medium, coarse) class of a word form, reaching a vocabulary word by the same rules if needed.

        A word reached only through a loose derivation keeps its coarse class alone (fine and medium -1), so
        it can be part of a longer name but never names a finding by itself ("slowly" is not "slowness").
        """
        found = self.forms.get(form)
        if found is not None:
            return found
        cached = self._cache.get(form, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        result = None
        for c in inflection_candidates(form) + adjective_candidates(form):
            result = self.forms.get(c)
            if result is not None:
                break
        if result is None:
            for c in derivation_candidates(form):
                hit = self.forms.get(c)
                if hit is not None:
                    result = (-1, -1, hit[2])
                    break
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[form] = result
        return result


def tokenize(text: str) -> list[tuple[int, int, str, int]]:
    """(start, end, surface, gap-before class) for every word; offsets are str indices into text."""
    out = []
    prev = 0
    gap_cache: dict[str, int] = {}
    for m in WORD.finditer(text):
        start, end = m.span()
        gap = text[prev:start]
        kind = gap_cache.get(gap)
        if kind is None:
            kind = gap_cache[gap] = classify_gap(gap)
        out.append((start, end, m.group(), kind))
        prev = end
    return out
