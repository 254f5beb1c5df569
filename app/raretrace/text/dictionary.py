"""The concept dictionary: every HPO name folded to a bag of word classes, ready for look-up.

Built from the KB's labels and synonyms (phenotypic abnormalities; inheritance and onset terms are kept apart
as a second category). Each name becomes a *key*: the sorted coarse word classes of its content words, so word
order ("hypoplasia of the radius" / "radius hypoplasia"), inflection and spelling no longer matter. Names are
also composed from their ancestors' synonyms ("cortical cataract" + Cataract's "lens opacity" -> "cortical
lens opacity"). Compiling takes a few seconds, so a KB build step stores the result; an older KB without it
still works (compiled once per process, slower start).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sqlite3
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..kb import BUILD_STEPS, MODE_OF_INHERITANCE, PHENOTYPIC_ABNORMALITY, Progress
from ..ontology import Ontology
from ..paths import resources_dir
from .normalise import (
    GAP_HYPHEN,
    Vocabulary,
    equivalents_path,
    read_word_sets,
    tokenize,
    word_form,
)

# Bump when the compiled format or the folding rules change: a stored dictionary of another version is ignored.
# The stored version also carries a digest of the curated word lists (compiled_version), so editing one of them
# recompiles without a bump.
DICTIONARY_VERSION = "39"
COMPILED_FROM = ("blocked_names.txt", "abbreviations.tsv", "clinical_synonyms.tsv", "word_equivalents.txt",
                 "analyte_abbreviations.tsv")
ONSET = "HP:0003674"

CATEGORY_PHENOTYPE = 0
CATEGORY_INHERITANCE = 1
CATEGORY_ONSET = 2
CATEGORY_NAMES = ("phenotype", "inheritance", "onset")

# Function words dropped from names and skipped inside text phrases ("hypoplasia of the radius").
STOPWORDS = frozenset(["of", "the", "a", "an", "in", "on", "at", "to", "by", "for", "from", "its", "their", "his", "her", "into"])
# Degree and side words that may sit inside a phrase without being part of the name ("hypoplastic left kidney").
SKIPPABLE = frozenset(
    ["left", "right", "bilateral", "unilateral", "bilaterally", "unilaterally", "mild", "mildly", "moderate", "moderately", "severe", "severely", "marked", "markedly", "profound", "profoundly", "significant", "significantly", "slight", "slightly", "very", "extremely",
     "diffusely"]  # how widely, not which finding: "kidneys diffusely hyperechogenic"
)
MAX_KEY = 8  # content words in the longest name worth matching in prose
MAX_COMPOSE_DISTANCE = 3  # how far up the ontology a name's head may borrow synonyms

PRIORITY = {"label": 0, "EXACT": 1, "RELATED": 2, "NARROW": 2}
# A BROAD synonym names more than its term ("Birthmark" for Cafe-au-lait spot, "Bloody stool" for Bloody diarrhea):
# text that uses it does not state the term, so it is not matched.
UNMATCHED_SCOPES = frozenset(["BROAD"])
COMPOSED_PENALTY = 2
# A leading extent word may be left out by the writer; such a shortened name ranks below any real name.
EXTENT_WORDS = frozenset(("localized", "generalized", "diffuse"))
QUALIFIER_PENALTY = 3


@dataclass
class Dictionary:
    """Compiled look-up structures; immutable once built, shared by every extraction."""

    vocab: Vocabulary
    # key (sorted coarse classes) -> [(term index, priority, the name's word forms)], best first; the forms
    # break ties when several terms fold to one key (kept only for such keys)
    entries: dict[tuple[int, ...], list[tuple[int, int, tuple[str, ...]]]]
    pairs: set[int]  # coarse classes that occur together in some name: c1 * PAIR_BASE + c2 (c1 <= c2)
    abbreviations: dict[str, int]  # case-sensitive whole-word abbreviation -> term index
    category: dict[int, int]  # term index -> CATEGORY_*
    depth: dict[int, int] = field(default_factory=dict)
    version: str = field(default_factory=lambda: compiled_version())

    PAIR_BASE = 1 << 20

    def coarse(self, word: str) -> int:
        found = self.vocab.lookup(word_form(word))
        return found[2] if found else -1

    # -- storage (one compressed blob in the KB: integer arrays plus a little JSON; decodes in ~0.1 s)

    def to_blob(self) -> bytes:
        keys = list(self.entries)
        best = [self.entries[k][0] for k in keys]
        multi = {str(i): [[t, p, list(f)] for t, p, f in self.entries[k]] for i, k in enumerate(keys) if len(self.entries[k]) > 1}
        cats = sorted(self.category.items())
        arrays = [
            np.array([c for k in keys for c in k], dtype=np.int32),
            np.array([len(k) for k in keys], dtype=np.int8),
            np.array([t for t, _p, _f in best], dtype=np.int32),
            np.array([p for _t, p, _f in best], dtype=np.int8),
            np.array(sorted(self.pairs), dtype=np.int64),
            np.array([k for k, _v in cats], dtype=np.int32),
            np.array([v for _k, v in cats], dtype=np.int8),
        ]
        payload = {
            "version": self.version,
            "forms": self.vocab.forms,
            "multi": multi,
            "abbreviations": self.abbreviations,
            "arrays": [[str(a.dtype), len(a)] for a in arrays],
        }
        body = json.dumps(payload, separators=(",", ":")).encode()
        parts = [len(body).to_bytes(8, "little"), body] + [a.tobytes() for a in arrays]
        return zlib.compress(b"".join(parts), 3)

    @classmethod
    def from_blob(cls, blob: bytes) -> Dictionary | None:
        raw = zlib.decompress(blob)
        n = int.from_bytes(raw[:8], "little")
        payload = json.loads(raw[8 : 8 + n])
        if payload.get("version") != compiled_version():
            return None
        arrays = []
        pos = 8 + n
        for dtype, count in payload["arrays"]:
            arr = np.frombuffer(raw, dtype=dtype, count=count, offset=pos)
            pos += arr.nbytes
            arrays.append(arr.tolist())
        key_flat, key_len, best_term, best_priority, pairs, cat_terms, cat_values = arrays
        multi = payload["multi"]
        entries: dict[tuple[int, ...], list[tuple[int, int, tuple[str, ...]]]] = {}
        pos = 0
        for i, length in enumerate(key_len):
            key = tuple(key_flat[pos : pos + length])
            pos += length
            alternatives = multi.get(str(i)) if len(multi) else None
            if alternatives is None:
                entries[key] = [(best_term[i], best_priority[i], ())]
            else:
                entries[key] = [(t, p, tuple(f)) for t, p, f in alternatives]
        return cls(
            vocab=Vocabulary({w: (v[0], v[1], v[2]) for w, v in payload["forms"].items()}),
            entries=entries,
            pairs=set(pairs),
            abbreviations=payload["abbreviations"],
            category=dict(zip(cat_terms, cat_values, strict=True)),
        )


def single_key(medium: int) -> tuple[int]:
    """Key of a one-word name: its medium class, kept apart from the coarse keys of longer names."""
    return (-1 - medium,)


# ------------------------------------------------------------------------------------------------- names


def _read_list(path: Path) -> list[str]:
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.startswith("#") else ""
        if line:
            out.append(line)
    return out


def blocked_names() -> set[str | tuple[str, str]]:
    """Names never matched: a name alone (for every term), or (name, HPO ID) where a line gives the term after a TAB
    (the name is kept for other terms: "weakness" names Muscle weakness in clinic notes, not Asthenia)."""
    out: set[str | tuple[str, str]] = set()
    for line in _read_list(_text_dir() / "blocked_names.txt"):
        name, _, term_id = line.partition("\t")
        forms = " ".join(word_form(s) for _a, _b, s, _g in tokenize(name))
        out.add((forms, term_id.strip()) if term_id.strip() else forms)
    return out


def curated_abbreviations() -> dict[str, str]:
    return _read_pairs("abbreviations.tsv")


def abbreviation_readings() -> list[tuple[str, str]]:
    """(abbreviation, HPO ID) for each reading of the ambiguous abbreviations of abbreviation_contexts.tsv."""
    return [(f[0].strip(), f[1].strip()) for line in _read_list(_text_dir() / "abbreviation_contexts.tsv")
            if len(f := line.split("\t")) >= 2]


def clinical_synonyms() -> dict[str, str]:
    """Everyday clinical names HPO lacks ("droopy eyelids" -> Ptosis): phrase -> HPO ID."""
    return _read_pairs("clinical_synonyms.tsv")


def analyte_abbreviations() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """The word forms of an analyte's name as HPO writes it -> those of the abbreviations reports write for it
    ("homovanillic acid" -> "HVA", "5-hydroxyindolacetic acid" -> "5-HIAA"; analyte_abbreviations.tsv). Each form
    of the name (hyphenated words apart or joined) takes each form of the abbreviation."""
    out: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for line in _read_list(_text_dir() / "analyte_abbreviations.tsv"):
        short, _, name = line.partition("\t")
        for long_forms in name_variants(name.strip()):
            out[tuple(long_forms)] += [tuple(f) for f in name_variants(short.strip())]
    return dict(out)


def _with_abbreviated_analyte(words: tuple[str, ...], abbreviated: dict[tuple[str, ...], list[tuple[str, ...]]],
                              firsts: frozenset[str]) -> list[tuple[str, ...]]:
    """A name with its analyte's name replaced by each of the analyte's abbreviations ("decreased csf homovanillic
    acid" -> "decreased csf hva"); [] where it names no abbreviated analyte."""
    out = []
    for k, word in enumerate(words):
        if word not in firsts:
            continue
        for long_forms, shorts in abbreviated.items():
            if words[k : k + len(long_forms)] == long_forms:
                out += [(*words[:k], *short, *words[k + len(long_forms) :]) for short in shorts]
    return out


def _read_pairs(name: str) -> dict[str, str]:
    out = {}
    for line in _read_list(_text_dir() / name):
        fields = line.split("\t")
        if len(fields) >= 2:
            out[fields[0].strip()] = fields[1].strip()
    return out


def _text_dir() -> Path:
    return resources_dir() / "text"


@functools.cache
def compiled_version() -> str:
    """DICTIONARY_VERSION and a digest of the word lists the dictionary is compiled from (read once a run)."""
    digest = hashlib.sha256()
    for name in COMPILED_FROM:
        path = _text_dir() / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"") + b"\0")
    return f"{DICTIONARY_VERSION}.{digest.hexdigest()[:12]}"


def _is_abbreviation(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return " " not in name and len(letters) >= 2 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


def name_variants(name: str) -> list[list[str]]:
    """Word forms of a name: as written, hyphenated words joined, and without a one-word parenthesis
    ("Basic (constant) esotropia", "Skin cancer (non-melanoma)"); longer ones disambiguate and stay."""
    variants = []
    texts = [name]
    if "(" in name and ")" in name:
        inside = name[name.index("(") + 1 : name.index(")")]
        if len(inside.split()) == 1:
            bare = (name[: name.index("(")] + " " + name[name.index(")") + 1 :]).strip()
            if bare:
                texts.append(bare)
    for text in texts:
        toks = tokenize(text)
        forms = [word_form(s) for _s, _e, s, _g in toks]
        variants.append(forms)
        if any(g == GAP_HYPHEN for *_x, g in toks[1:]):
            joined: list[str] = []
            for (_s, _e, _surface, gap), form in zip(toks, forms, strict=True):
                if joined and gap == GAP_HYPHEN:
                    joined[-1] += form
                else:
                    joined.append(form)
            variants.append(joined)
    return variants


def select_terms(ontology: Ontology) -> dict[int, int]:
    """Term index -> category, for the terms free text may name."""
    selected: dict[int, int] = {}
    onset = ontology.index.get(ONSET)
    excluded = {ontology.index.get(t) for t in (PHENOTYPIC_ABNORMALITY, MODE_OF_INHERITANCE, ONSET)}
    for idx, branch in enumerate(ontology.branch):
        if ontology.obsolete[idx] or idx in excluded:
            continue
        if branch == "phenotypic_abnormality":
            selected[idx] = CATEGORY_PHENOTYPE
        elif branch == "inheritance":
            selected[idx] = CATEGORY_INHERITANCE
        elif onset is not None and onset in ontology.ancestors(idx):
            selected[idx] = CATEGORY_ONSET
    return selected


# An obsolete name of two findings ("Low-set, posteriorly rotated ears", "Bilateral cleft lip and palate") was split
# in two terms; its replacement is only one of them, so the name would lose the other.
_COMPOUND = re.compile(r",|/| and | or | with |\(")


def _current_name(label: str) -> str:
    """'obsolete Hypotrichosis', 'Thin fingernail (obsolete)' -> the name as it was used."""
    label = label.removeprefix("obsolete ").removesuffix(" (obsolete)")
    return label.strip()


_LAB_MEASURES = frozenset(("concentration", "concentrations", "level", "levels", "activity", "count"))
_LAB_SAMPLES = frozenset(("circulating", "blood", "serum", "plasma"))
_CONCENTRATION_WORDS = frozenset(("concentration", "concentrations", "level", "levels"))  # not a count or activity
_NOT_A_SAMPLE = frozenset(("cell", "cells", "vessel", "vessels", "pressure", "flow", "group", "volume", "cellular", "gas"))
_LAB_DIRECTIONS = frozenset(("decreased", "increased", "elevated", "reduced", "abnormal", "low", "high"))
# The directions a level changes in (not "abnormal", which "normal X" reads in its kinds)
_LAB_CHANGES = (_LAB_DIRECTIONS - {"abnormal"}) | {"raised", "absent"}
_NOT_A_SUBSTANCE = frozenset(("white", "red", "drug", "drugs", "cation", "anion", "o2", "sugar"))


_ACID_WORD = re.compile(r"[a-z]+ic\b")


def _salt_or_acid(content: tuple[str, ...], known: set[str]) -> tuple[str, ...] | None:
    """The name with its acid as the salt ("glutaric acid" -> "glutarate", "3-hydroxybutyric acid" ->
    "3-hydroxybutyrate"), or its salt as the acid ("lactate" -> "lactic acid"): laboratories report an organic or
    amino acid by either. A salt becomes an acid only where some name has that "-ic" word ("lactic acidosis"), so
    "palate" or "moderate" never do; None where the name has neither form."""
    for k, word in enumerate(content):
        if word.endswith("ic") and len(word) > 4 and k + 1 < len(content) and content[k + 1] == "acid":
            return (*content[:k], word[:-2] + "ate", *content[k + 2 :])
    for k, word in enumerate(content):
        if word.endswith("ate") and len(word) > 5 and word[:-3] + "ic" in known:
            return (*content[:k], word[:-3] + "ic", "acid", *content[k + 1 :])
    return None


_FIBRE_FORMS = frozenset(("fiber", "fibers"))


def as_myofibres(content: tuple[str, ...]) -> tuple[str, ...] | None:
    """A name's "(skeletal) muscle fiber(s)" as the one word "myofiber(s)" ("Angulated muscle fibers": "angulated
    myofibres"), the word the extractor also reads a muscle biopsy's bare "fibres" as; None where the name has none."""
    for k in range(len(content) - 1):
        if content[k] == "muscle" and content[k + 1] in _FIBRE_FORMS:
            first = k - 1 if k and content[k - 1] == "skeletal" else k
            return (*content[:first], "myo" + content[k + 1], *content[k + 2 :])
    return None


_URINE_WORDS = ("urine", "urinary")
# "Urine organic acids" is the test, not an Organic aciduria ("urine organic acids were normal" rules nothing out)
_TEST_PANELS = frozenset(("organic",))
_CSF_WORDS = (("csf",), ("cerebrospinal", "fluid"))


def _as_specimen_written(content: tuple[str, ...]) -> list[tuple[tuple[str, ...], int]]:
    """A urine or CSF finding's name as reports write it: "Methylmalonic aciduria" is "increased urinary
    methylmalonic acid" / "... in urine" / "urinary excretion of ... increased" (a name's words are matched as a bag),
    "Increased urinary taurine" also "increased urine taurine", "Increased CSF glycine concentration" "... in
    cerebrospinal fluid"; an "-ic" word left without its "acid" ("Elevated urine 3-hydroxyglutaric level") gets it,
    so the salt is read too. Each with the priority steps it takes below the name; [] where the name is of neither
    specimen."""
    words = list(content)
    for k, word in enumerate(words):  # "X aciduria", "Oroticaciduria": X acid, raised, in the urine
        if word == "aciduria" and k and words[k - 1] not in _TEST_PANELS:
            words[k : k + 1] = ["acid", "urinary"]
        elif word.endswith("icaciduria") and len(word) > 12:
            words[k : k + 1] = [word[:-8], "acid", "urinary"]
        else:
            continue
        if _LAB_DIRECTIONS.isdisjoint(words):
            words.insert(0, "increased")
        break
    k = next((k for k, w in enumerate(words) if _ACID_WORD.fullmatch(w)), None)
    if k is not None and (k + 1 == len(words) or words[k + 1] != "acid"):
        words.insert(k + 1, "acid")
    out: list[tuple[str, ...]] = []
    if not _URINE_WORDS_SET.isdisjoint(words):
        bare = [w for w in words if w not in _URINE_WORDS_SET]
        for sample in _URINE_WORDS:
            out.append(((*bare, sample), 1))
            if "excretion" not in bare:
                out.append(((*bare, sample, "excretion"), 1))
    elif "csf" in words or {"cerebrospinal", "fluid"} <= set(words):
        bare = [w for w in words if w not in ("csf", "cerebrospinal", "fluid")]
        out.extend(((*bare, *sample), 1) for sample in _CSF_WORDS)
    return [(w, extra) for w, extra in out if w != content]


_URINE_WORDS_SET = frozenset(_URINE_WORDS)

# The specimens laboratory findings are named in, and the words of a level's name that are neither its analyte nor
# its direction (see level_key).
SPECIMENS = {"urine": "urine", "urinary": "urine", "csf": "csf", "cerebrospinal": "csf", "plasma": "blood",
             "serum": "blood", "blood": "blood"}
SPECIMEN_WORD = re.compile(r"\b(?:urine|urinary|circulating|blood|serum|plasma|csf|cerebrospinal)\b|\B(?:a?emia|uria|orrhachia)\b")
_UP_WORDS = frozenset(("increased", "elevated", "high", "raised"))
_DOWN_WORDS = frozenset(("decreased", "reduced", "low"))
_LEVEL_WORDS = frozenset(("concentration", "concentrations", "level", "levels", "in", "of", "fluid", "excretion", "the"))
_A_LEVEL = re.compile(r"\b(?:concentrations?|levels?)\b")
# An analyte HPO names by another stem in one specimen: glucose is glyc-emia in the blood, glyc-orrhachia in the
# CSF ("Hypoglycorrhachia"), glycos-uria in the urine
_ANALYTE_STEMS = {"glyc": "glucose", "glycos": "glucose"}


def level_key(label: str) -> tuple[str, str, str]:
    """(specimen, direction, analyte) of a laboratory finding's label: "Methylmalonic acidemia" (blood, up,
    methylmalonicacid), "Glutaric aciduria" (urine, up, glutaricacid), "Increased CSF glycine concentration"
    (csf, up, glycin); an acid and its salt one analyte, "-emia" the blood's, "-uria" the urine's, "-orrhachia" the
    CSF's ("Hypoglycorrhachia": csf, down, glucos, as "Hypoglycemia" is blood, down, glucos)."""
    specimen = direction = ""
    analyte = []
    for word in label.casefold().replace(",", " ").split():
        if word in SPECIMENS or word == "circulating":
            specimen = SPECIMENS.get(word, "blood")
        elif word in _UP_WORDS or word in _DOWN_WORDS:
            direction = "up" if word in _UP_WORDS else "down"
        elif word not in _LEVEL_WORDS:
            for suffix, fluid in (("aemia", "blood"), ("emia", "blood"), ("uria", "urine"), ("orrhachia", "csf")):
                if word.endswith(suffix) and len(word) > len(suffix) + 2:
                    specimen, word = fluid, word[: -len(suffix)]
                    direction = direction or "up"
                    for prefix, way in (("hyper", "up"), ("hypo", "down")):
                        if word.startswith(prefix):
                            word, direction = word[len(prefix) :], way
                    break
            analyte.append(word)
    name = "".join(analyte).replace("-", "")
    name = _ANALYTE_STEMS.get(name, name)
    if name.endswith("ate"):
        name = name[:-3] + "icacid"  # glutarate: glutaric acid
    elif name.endswith("ic"):
        name += "acid"  # "Elevated urine 3-hydroxyglutaric level"
    return specimen, direction, name.removesuffix("e")  # glycine, "hyperglycin-emia"


_EITHER_WAY = ("increased", "decreased", "abnormal")  # (the first is what the others are read against)
# What a urine test measures that is no analyte's level: "Decreased urine output", "Increased urine neutrophil count"
_NOT_A_LEVEL = frozenset(("output", "volume", "osmolality", "count", "counts", "response", "cell", "cells", "flow",
                          "frequency", "urgency", "retention", "incontinence", "stream", "mucus"))


_EMIA_LEVEL = re.compile(r"(hyper|hypo)([a-z]+?)a?emia")
_ABNORMAL_BLOOD_LEVEL = re.compile(r"abnormal (?:circulating|blood) ([a-z ]+?) (?:concentration|level)")
_STORED_IN_A_TISSUE = re.compile(r"([a-z]+)(?:-laden| (?:accumulation|deposits?|storage|droplets|inclusions))\b")
_SAME_ANALYTE_STEM = 5  # letters an "-emia" word's stem shares with the analyte's name, at least


def blood_levels_by_their_analyte(ontology: Ontology) -> list[tuple[int, str]]:
    """(term, name) for each "-emia" level HPO files under its analyte's "Abnormal circulating X concentration":
    the raised or low concentration of that analyte, named as HPO names its other levels ("Hypermethioninemia":
    "Increased circulating methionine concentration", read as "methionine elevated"; "Hypoproteinemia": "total
    protein low"; "Hyperhomocystinemia" under homocysteine, the analyte laboratories measure). Only where the
    stem is the analyte's own (not "Hyperuricemia" under nucleobases, nor "Hypoxemia" under oxygen)."""
    out = []
    for idx, label in enumerate(ontology.labels):
        if ontology.obsolete[idx] or not label.endswith("emia"):
            continue
        m = _EMIA_LEVEL.fullmatch(label.casefold())
        if m is None:
            continue
        for parent in ontology.parents(idx):
            pm = _ABNORMAL_BLOOD_LEVEL.fullmatch(ontology.labels[int(parent)].casefold())
            if pm is None:
                continue
            stem, analyte = m.group(2), pm.group(1)
            shared = len(os.path.commonprefix((stem, analyte)))
            if shared >= _SAME_ANALYTE_STEM and shared >= min(len(stem), len(analyte)) - 2:
                out.append((idx, "Increased" if m.group(1) == "hyper" else "Decreased", analyte))
    # an analyte HPO also names stored in a tissue ("Increased intramyocellular lipid droplets", "Lipid accumulation
    # in hepatocytes") is no blood level when said alone: "increased lipid" in a muscle biopsy is the muscle's
    stored = {m.group(1) for label in ontology.labels for m in _STORED_IN_A_TISSUE.finditer(label.casefold())}
    return [(idx, f"{way} circulating {analyte} concentration") for idx, way, analyte in out if analyte not in stored]


def unspecified_specimen_levels(ontology: Ontology) -> frozenset[int]:
    """The urine levels that a note need not give the urine for: HPO names their analyte's level (either way, or
    abnormal) in the urine only, neither in the blood nor in CSF nor without a specimen ("Elevated urine
    3-hydroxyglutaric level": "raised 3-hydroxyglutarate" is that finding, the analyte measured in urine). Where HPO
    names the blood's too ("Elevated circulating glutaric acid concentration", Glutaric aciduria) a level without
    its specimen stays the name it reads (the blood's)."""
    specimens: dict[str, set[str]] = defaultdict(set)
    urine: list[tuple[int, str]] = []
    for idx, label in enumerate(ontology.labels):
        if ontology.obsolete[idx]:
            continue
        folded = label.casefold()
        specimen_named = SPECIMEN_WORD.search(folded) is not None
        if not specimen_named and not _A_LEVEL.search(folded):
            continue  # not a level (a level named without its specimen: "Increased C-peptide level")
        specimen, direction, analyte = level_key(label)
        if not analyte:
            continue
        specimens[analyte].add(specimen if specimen_named else "")
        if specimen == "urine" and direction and _NOT_A_LEVEL.isdisjoint(folded.split()):
            urine.append((idx, analyte))
    return frozenset(idx for idx, analyte in urine if specimens[analyte] == {"urine"})


def csf_levels(ontology: Ontology) -> frozenset[int]:
    """The CSF levels, raised or low, of an analyte ("Decreased CSF homovanillic acid concentration"; not a cell
    count, an antibody or a ratio): the dictionary also reads them without the CSF word ("low HVA") where no other
    name says those words, and the extractor keeps such a reading only where the note names the CSF (a lead-in,
    "... in CSF" after a list)."""
    out = []
    for idx, label in enumerate(ontology.labels):
        folded = label.casefold()
        # (level_key reads the CSF only from these words: the other labels' keys, ~45 ms, need not be read)
        if ontology.obsolete[idx] or not ("csf" in folded or "cerebrospinal" in folded or "orrhachia" in folded):
            continue
        specimen, direction, analyte = level_key(label)
        if specimen == "csf" and direction and analyte and _NOT_A_LEVEL.isdisjoint(folded.split()):
            out.append(idx)
    return frozenset(out)


_CSF_WORDS_SET = frozenset(w for words in _CSF_WORDS for w in words)


def compile_dictionary(db: sqlite3.Connection, ontology: Ontology, progress: Progress | None = None) -> Dictionary:
    started = time.time()
    selected = select_terms(ontology)
    blocked = blocked_names()
    names: dict[int, list[tuple[str, int]]] = defaultdict(list)  # term -> [(name, priority)]
    abbreviations: dict[str, int] = {}
    for idx in selected:
        names[idx].append((ontology.labels[idx], 0))
    # An obsolete term's names still name its replacement ("Psychomotor retardation" is Global developmental
    # delay, "Hypotrichosis" Sparse hair): older papers and letters use them. Below every current name.
    replaced: dict[int, int] = {}
    for idx, term_id in enumerate(ontology.ids):
        if ontology.obsolete[idx]:
            res = ontology.resolve(term_id)
            name = _current_name(ontology.labels[idx])
            if (res.index is not None and selected.get(res.index) == CATEGORY_PHENOTYPE and name[:1].isalpha()
                    and not _COMPOUND.search(name)):
                replaced[idx] = res.index
                names[res.index].append((name, PRIORITY["RELATED"]))
    for term_id, synonym, scope, _typ in db.execute("SELECT term_id, synonym, scope, type FROM synonyms"):
        idx = ontology.index.get(term_id)
        if idx in replaced:
            if scope == "EXACT" and not _is_abbreviation(synonym) and not _COMPOUND.search(synonym):
                names[replaced[idx]].append((synonym, PRIORITY["RELATED"]))
            continue
        if idx is None or idx not in selected or scope in UNMATCHED_SCOPES:
            continue
        if _is_abbreviation(synonym):
            # Short HPO abbreviations are too ambiguous in prose (CP, RA, BPD); longer ones are distinctive.
            if len(synonym) >= 4 and synonym.isalnum():
                abbreviations.setdefault(synonym, idx)
            continue
        names[idx].append((synonym, PRIORITY.get(scope, 3)))
    for phrase, term_id in clinical_synonyms().items():
        res = ontology.resolve(term_id)
        if res.index is not None and res.index in selected:
            names[res.index].append((phrase, PRIORITY["RELATED"]))
    for abbr, term_id in curated_abbreviations().items():
        res = ontology.resolve(term_id)
        if res.index is not None and res.index in selected:
            abbreviations[abbr] = res.index
    for idx, name in blood_levels_by_their_analyte(ontology):
        if idx in selected:
            names[idx].append((name, PRIORITY["RELATED"]))

    # Word forms of every name, then the word classes over that vocabulary.
    tokenised: dict[int, list[tuple[list[str], int]]] = defaultdict(list)
    # the urine levels read without their specimen (see unspecified_specimen_levels): term -> [(name, priority)],
    # each taken only where no other name says it
    unspecified = unspecified_specimen_levels(ontology)
    specimen_left_out: dict[int, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
    in_csf = csf_levels(ontology)  # (likewise the CSF levels, kept by the extractor where the CSF is named)
    csf_left_out: dict[int, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
    vocabulary: set[str] = set()
    abbreviated = analyte_abbreviations()
    firsts = frozenset(long_forms[0] for long_forms in abbreviated)
    acid_words = {word_form(w) for term_names in names.values() for name, _p in term_names
                  for w in _ACID_WORD.findall(name.casefold())}  # "lactic", "glutaric": _salt_or_acid's
    for idx, term_names in names.items():
        seen = set()
        term_id = ontology.ids[idx]
        for name, priority in term_names:
            for forms in name_variants(name):
                key = " ".join(forms)
                if key in blocked or (key, term_id) in blocked:
                    continue
                content = tuple(f for f in forms if f not in STOPWORDS)
                variants = [(content, priority)]
                if len(content) > 1 and content[0] in EXTENT_WORDS and content[1] != "onset":
                    # "Localized skin lesion" is also what "skin lesions" names when no term says just that
                    # (not "Generalized-onset seizure": there the word qualifies the onset)
                    variants.append((content[1:], priority + QUALIFIER_PENALTY))
                if len(content) > 2 and content[-1] in _LAB_MEASURES and not _LAB_SAMPLES.isdisjoint(content):
                    # a laboratory finding as it is written: "Decreased circulating IgG concentration" is
                    # "decreased IgG" ("low IgG", "raised IgE" by the word classes), "Abnormal blood phosphate
                    # concentration" "abnormal phosphate" ("normal serum phosphate" rules it out)
                    lab = tuple(f for k, f in enumerate(content[:-1])
                                if f not in _LAB_SAMPLES or content[k + 1] in _NOT_A_SAMPLE)  # "plasma cell count"
                    if len(lab) > 1 and lab[-1] not in _NOT_A_SUBSTANCE:  # not "high white (blood count)"
                        variants.append((lab, priority + QUALIFIER_PENALTY))
                        # and with the sample named ("low serum magnesium"; a name's words are matched as a bag)
                        variants.extend(((*lab, sample), priority + QUALIFIER_PENALTY) for sample in ("serum", "plasma"))
                        if content[-1] in _CONCENTRATION_WORDS:
                            # a measure word kept, with or without the sample: "serum ferritin concentration was
                            # increased", "elevated serum levels of creatine kinase", "IgA concentration was low"
                            variants.extend(((*lab, *sample, measure), priority + QUALIFIER_PENALTY)
                                            for sample in ((), ("serum",), ("plasma",))
                                            for measure in ("concentration", "level"))
                elif (len(content) > 2 and content[0] in _LAB_CHANGES and content[-1] in _CONCENTRATION_WORDS
                        and content[-2] not in _LAB_MEASURES and content[-2] not in _NOT_A_SUBSTANCE):
                    # a level named without a blood sample word ("Increased C-peptide level", "Increased CSF glycine
                    # concentration") is also its analyte alone: "a raised C-peptide", "CSF glycine elevated" (not
                    # "Abnormal prolactin level": "prolactin was normal" rules out the raised and the low value)
                    variants.append((content[:-1], priority + QUALIFIER_PENALTY))
                elif (len(content) == 3 and content[0] in _LAB_DIRECTIONS and content[1] in ("serum", "plasma", "blood")
                        and content[2] not in _NOT_A_SUBSTANCE):
                    # "Decreased serum estradiol" (no measure word) is "low estradiol" too
                    variants.append(((content[0], content[2]), priority + QUALIFIER_PENALTY))
                if len(content) > 2 and content[0] == "abnormal" and content[-1] == "morphology":
                    # a radiologist's "abnormal appearance of the corpus callosum" (Abnormal corpus callosum morphology)
                    variants.append((content[:-1] + ("appearance",), priority + QUALIFIER_PENALTY))
                if len(content) > 2 and content[-2:] == ("facial", "features"):
                    # a dysmorphologist's "features" are facial: "coarse features", "dysmorphic features"
                    variants.append((content[:-2] + ("features",), priority + QUALIFIER_PENALTY))
                if len(content) > 2 and content[-1] == "mri" and content[0] != "abnormal":
                    # the MRI report names no MRI: "hyperintensities in the cerebral white matter" (Hyperintensity
                    # of cerebral white matter on MRI); not where the MRI is the finding ("Abnormal cardiac MRI"
                    # without it is any abnormal heart, "abnormal cardiac position" among them)
                    variants.append((content[:-1], priority + QUALIFIER_PENALTY))
                if "cerebral" in content and "cerebral white matter" in " ".join(content):
                    # white matter is the cerebrum's unless named otherwise, as HPO's own "Deep white matter
                    # hypodensities" says: "white matter atrophy", "deep white matter hyperintensities"
                    variants.extend((tuple(f for f in words if f != "cerebral"), prio + QUALIFIER_PENALTY)
                                    for words, prio in list(variants))
                for words, prio in list(variants):
                    variants.extend((other, prio + extra) for other, extra in _as_specimen_written(words))
                if "muscle" in content and not _FIBRE_FORMS.isdisjoint(content):
                    for words, prio in list(variants):
                        other = as_myofibres(words)
                        if other is not None:
                            variants.append((other, prio))
                            vocabulary.update(other)
                if idx in unspecified and level_key(name)[2] == level_key(ontology.labels[idx])[2]:
                    # (a name of the label's analyte: "Increased urinary calcium" is not Hypercalciuria's "calci")
                    for words, prio in variants:
                        if not _URINE_WORDS_SET.isdisjoint(words):
                            bare = tuple(w for w in words if w not in _URINE_WORDS_SET and w != "excretion")
                            other = _salt_or_acid(bare, acid_words)
                            specimen_left_out[idx] += [(w, prio + QUALIFIER_PENALTY) for w in (bare, other) if w]
                            vocabulary.update(other or ())
                if not firsts.isdisjoint(content):
                    for words, prio in list(variants):  # the analyte as its abbreviation: "low CSF HVA"
                        for other in _with_abbreviated_analyte(words, abbreviated, firsts):
                            variants.append((other, prio + 1))
                            vocabulary.update(other)
                if idx in in_csf and level_key(name)[2] == level_key(ontology.labels[idx])[2]:
                    csf_left_out[idx] += [(tuple(w for w in words if w not in _CSF_WORDS_SET), prio + QUALIFIER_PENALTY)
                                          for words, prio in variants if not _CSF_WORDS_SET.isdisjoint(words)]
                for words, prio in list(variants):
                    other = _salt_or_acid(words, acid_words)
                    if other is not None:  # the same analyte, just below the name as written
                        variants.append((other, prio + 1))
                        vocabulary.update(other)
                for words, prio in variants:
                    if not words or words in seen or len(words) > MAX_KEY:
                        continue
                    if len(words) == 1 and (len(words[0]) <= 3 or not words[0].isalpha()):
                        continue  # "S4", "PD": far more often something else in prose
                    seen.add(words)
                    tokenised[idx].append((list(words), prio))
                vocabulary.update(content)
    vocab = Vocabulary.build(vocabulary, read_word_sets(equivalents_path()))
    if progress:
        progress("Text dictionary: word classes", 0.3)

    def classes(forms: list[str]) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        """(look-up key, coarse bag) of a name; None if a word is outside the vocabulary."""
        found = [vocab.forms.get(f) for f in forms]
        if any(x is None for x in found):
            return None
        bag = tuple(sorted(x[2] for x in found))  # type: ignore[index]
        return (single_key(found[0][1]) if len(found) == 1 else bag), bag  # type: ignore[index]

    # key -> {(term, the name's sorted word forms): best priority}
    entries: dict[tuple[int, ...], dict[tuple[int, tuple[str, ...]], int]] = defaultdict(dict)

    def add(key: tuple[int, ...], forms: tuple[str, ...], idx: int, priority: int) -> None:
        slot = entries[key]
        old = slot.get((idx, forms))
        if old is None or priority < old:
            slot[(idx, forms)] = priority

    bags: dict[int, list[tuple[tuple[int, ...], tuple[str, ...], int]]] = {}
    for idx, items in tokenised.items():
        term_bags = []
        for forms, priority in items:
            found = classes(forms)
            if found is None:
                continue
            sorted_forms = tuple(sorted(forms))
            add(found[0], sorted_forms, idx, priority)
            term_bags.append((found[1], sorted_forms, priority))
        bags[idx] = term_bags
    # A urine level read without its specimen where no other name says those words in any direction: "low
    # chloride" names Hypochloremia, so "raised chloride" is no Hyperchloriduria (HPO's stems differ: chlor-emia,
    # chlorid-uria), nor "increased neutrophil count" a urine's.
    for idx, items in specimen_left_out.items():
        for words, priority in items:
            way = next((k for k, w in enumerate(words) if w in _LAB_CHANGES), None)
            if way is None or not 1 < len(words) <= MAX_KEY:
                continue
            keys = [classes([*words[:way], other, *words[way + 1 :]]) for other in _EITHER_WAY]
            if any(key is None or any(t not in unspecified for t, _f in entries.get(key[0], ())) for key in keys):
                continue
            add(keys[0][0], tuple(sorted(words)), idx, priority)  # type: ignore[index]

    # A CSF level without the CSF word where no other name says those words in that direction ("low HVA": HPO has
    # a raised blood HVA, no low one; "low glycine" stays Hypoglycinemia, a lead-in makes it the CSF's).
    for idx, items in csf_left_out.items():
        for words, priority in items:
            if not 1 < len(words) <= MAX_KEY or _LAB_CHANGES.isdisjoint(words):
                continue
            key = classes(list(words))
            if key is None or any(t not in in_csf for t, _f in entries.get(key[0], ())):
                continue
            add(key[0], tuple(sorted(words)), idx, priority)

    # Compose: a name containing an ancestor's name also exists with that ancestor's other names in its place.
    for idx, term_bags in bags.items():
        anc = ontology.ancestors(idx)
        for a in anc[1:]:
            a = int(a)
            head_bags = bags.get(a)
            if not head_bags or len(head_bags) < 2:
                continue
            if not _within(ontology, idx, a, MAX_COMPOSE_DISTANCE):
                continue
            for key, _fine, priority in term_bags:
                key_set = set(key)
                for head_key, _hf, head_priority in head_bags:
                    if len(head_key) >= len(key) or not set(head_key) <= key_set or head_priority > 1:
                        continue
                    rest = list(key)
                    try:
                        for c in head_key:
                            rest.remove(c)
                    except ValueError:  # the head repeats a word the name has once
                        continue
                    for other_key, _other_fine, other_priority in head_bags:
                        if other_key == head_key or other_priority > 1:
                            continue
                        new_key = tuple(sorted(rest + list(other_key)))
                        if len(new_key) > MAX_KEY:
                            continue
                        add(new_key, (), idx, max(priority, other_priority) + COMPOSED_PENALTY)
    if progress:
        progress("Text dictionary: composed names", 0.7)

    depth = {idx: len(ontology.ancestors(idx)) for idx in selected}
    final: dict[tuple[int, ...], list[tuple[int, int, tuple[str, ...]]]] = {}
    pairs: set[int] = set()
    base = Dictionary.PAIR_BASE
    for key, slot in entries.items():
        ranked = sorted(slot.items(), key=lambda kv: (kv[1], selected[kv[0][0]], depth[kv[0][0]], kv[0]))
        if len({t for (t, _f), _p in ranked}) == 1:
            (t, _f), p = ranked[0]
            final[key] = [(t, p, ())]
        else:
            final[key] = [(t, p, f) for (t, f), p in ranked]
        if len(key) > 1:
            for i, a in enumerate(key):
                for b in key[i:]:
                    pairs.add(a * base + b)
    if progress:
        progress(f"Text dictionary ready ({len(final)} keys, {time.time() - started:.1f} s)", 1.0)
    return Dictionary(
        vocab=vocab,
        entries=final,
        pairs=pairs,
        abbreviations=abbreviations,
        category=selected,
        depth=depth,
    )


def _within(ontology: Ontology, idx: int, ancestor: int, distance: int) -> bool:
    frontier = {idx}
    for _ in range(distance):
        frontier = {int(p) for t in frontier for p in ontology.parents(t)}
        if ancestor in frontier:
            return True
    return False


# ----------------------------------------------------------------------------------------------- KB storage

TABLE = "text_dictionary"


def store_dictionary(db: sqlite3.Connection, dictionary: Dictionary) -> None:
    db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (version TEXT PRIMARY KEY, data BLOB)")
    db.execute(f"DELETE FROM {TABLE}")
    db.execute(f"INSERT INTO {TABLE}(version, data) VALUES (?, ?)", (dictionary.version, dictionary.to_blob()))


def load_dictionary(db: sqlite3.Connection, ontology: Ontology) -> Dictionary:
    """The stored dictionary when the KB has a current one, else compiled now."""
    try:
        row = db.execute(f"SELECT data FROM {TABLE} WHERE version = ?", (compiled_version(),)).fetchone()
    except sqlite3.OperationalError:
        row = None
    if row is not None:
        found = Dictionary.from_blob(row[0])
        if found is not None:
            return found
    compiled = compile_dictionary(db, ontology)
    _store_when_writable(db, compiled)
    return compiled


def _store_when_writable(db: sqlite3.Connection, dictionary: Dictionary) -> None:
    """A KB built by an earlier RareTrace holds a dictionary of another version: store the one compiled now, so
    only the first start after an update compiles it (seconds). The KB is read through a read-only connection;
    this writes through one of its own, and a KB that cannot be written (read-only file, locked) keeps its own."""
    try:
        path = next((row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"), "")
    except sqlite3.Error:
        return
    if not path:
        return
    try:
        writer = sqlite3.connect(path, timeout=1.0)
        try:
            with writer:
                store_dictionary(writer, dictionary)
        finally:
            writer.close()
    except sqlite3.Error:
        pass  # not writable here: compiled again next time, with the same result


def build_text_dictionary_step(db: sqlite3.Connection, progress: Progress) -> None:
    """KB build step: compile the free-text dictionary once and store it."""
    store_dictionary(db, compile_dictionary(db, Ontology(db), progress))


# kb.STEP_MODULES lists this module, so every KB build stores the compiled dictionary.
if build_text_dictionary_step not in BUILD_STEPS:
    BUILD_STEPS.append(build_text_dictionary_step)
