"""HPO term search: exact label, exact synonym, prefix, token match (British spelling too), then a typo-tolerant fallback."""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass

from .errors import RareTraceError
from .ontology import Ontology
from .text.dictionary import abbreviation_readings, clinical_synonyms, curated_abbreviations
from .text.normalise import word_form

HPO_ID = re.compile(r"^\s*(?:(?:https?://purl\.obolibrary\.org/obo/)?HP[:_]?)?(\d{7})\s*$", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A name found only through the query's spelling folded (oesophageal -> esophageal) counts as an exact synonym would.
SPELLING_WEIGHT = 0.95
# The clinical names RareTrace curates for notes (resources/text: "ID", "HTN", "droopy eyelids") rank below HPO's
# own names, as in the note dictionary: an HPO name wins a tie.
CURATED_SCORE = 0.9
MAX_TYPO_READINGS = 6  # full-text queries a misspelt query may cost, its closest readings first


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    label: str
    matched: str
    score: float
    notice: str | None = None

    def to_json(self) -> dict:
        out = {"id": self.id, "label": self.label, "matched": self.matched, "score": round(self.score, 4)}
        if self.notice:
            out["notice"] = self.notice
        return out


def normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


class TermSearch:
    """Loaded once per process; each query is a dictionary look-up plus one FTS5 query."""

    def __init__(self, db: sqlite3.Connection, ontology: Ontology) -> None:
        self.db = db
        self.ontology = ontology
        self.exact: dict[str, list[tuple[str, str, float]]] = defaultdict(list)  # norm -> (id, matched, score)
        vocabulary: set[str] = set()
        for name, term_id, kind in db.execute("SELECT name, term_id, kind FROM term_fts"):
            norm = normalise(name)
            score = 1.0 if kind == "label" else 0.95 if kind == "synonym:EXACT" else 0.9
            self.exact[norm].append((term_id, name, score))
            vocabulary.update(norm.split())
        self.vocabulary_by_initial: dict[str, list[str]] = defaultdict(list)
        for word in vocabulary:
            self.vocabulary_by_initial[word[0]].append(word)
        self.vocabulary = vocabulary
        self.most_words = max((len(n.split()) for n in self.exact), default=0)  # in the longest name
        # Not in the KB's full-text index: found here by the whole name, a phrase also by a prefix of it (an
        # abbreviation is typed whole: "S" is no start of "SUA").
        self.curated: list[tuple[str, str, str, bool]] = []  # (norm, term id, name, prefix found)
        abbreviations = [*curated_abbreviations().items(), *abbreviation_readings()]
        for names, prefix in ((abbreviations, False), (clinical_synonyms().items(), True)):
            for name, term_id in names:
                idx, norm = ontology.resolve(term_id).index, normalise(name)
                if idx is not None and norm:
                    self.curated.append((norm, ontology.ids[idx], name, prefix))

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        if not query or not query.strip():
            raise RareTraceError("empty search query; type a clinical word, a phrase or an HPO ID")
        m = HPO_ID.match(query)
        if m:
            return [self._by_id("HP:" + m.group(1))]
        norm = normalise(query)
        if not norm:
            raise RareTraceError(f"no searchable words in {query!r}; type a clinical word or an HPO ID")
        if len(set(norm.split())) > self.most_words:
            # No name holds all these words (a note pasted into the search box), and looking them up took seconds,
            # on the GUI's own thread when Enter is pressed before the suggestions come back.
            return []
        hits: dict[str, SearchHit] = {}
        self._find(hits, norm, weight=1.0)
        # HPO spells the American way and gives a British synonym for only some terms ("Oedema", but none for
        # Esophageal atresia): the query is also looked up in the spelling the note extractor folds text to.
        # Only added: the folding is for matching, and may not be a word HPO uses ("exercise" -> "exercize").
        folded = " ".join(word_form(w) for w in norm.split())
        if folded != norm:
            self._find(hits, folded, weight=SPELLING_WEIGHT)
        if not hits:
            # A misspelt word may be as close to several words ("smll": small, smell): the closest reading is
            # looked up, and those with one word read otherwise, a little lower by how much less close it is.
            words = norm.split()
            options = [self._closest(w) or [(w, 1.0)] for w in words]
            closest = [opts[0][0] for opts in options]
            readings = [(1.0, closest)] + sorted(
                ((c / opts[0][1], [*closest[:i], w, *closest[i + 1:]])
                 for i, opts in enumerate(options) for w, c in opts[1:]), key=lambda r: -r[0])
            for share, fixed in readings[:MAX_TYPO_READINGS]:
                if fixed != words:
                    self._fts(hits, fixed, weight=0.7 * share, query_norm=" ".join(fixed))
        ranked = sorted(hits.values(), key=lambda h: (-h.score, len(h.label), h.id))
        return ranked[:limit]

    # -- helpers

    def _find(self, hits: dict[str, SearchHit], norm: str, weight: float) -> None:
        for term_id, matched, score in self.exact.get(norm, ()):
            self._keep(hits, term_id, matched, score * weight)
        self._fts(hits, norm.split(), weight=weight, query_norm=norm)
        for name_norm, term_id, name, prefix in self.curated:
            if name_norm == norm:
                self._keep(hits, term_id, name, CURATED_SCORE * weight)
            elif prefix and name_norm.startswith(norm):
                self._keep(hits, term_id, name, _name_score(name_norm, norm, 0.85, label=False) * weight)

    def _by_id(self, term_id: str) -> SearchHit:
        res = self.ontology.resolve(term_id)
        if res.index is None:
            raise RareTraceError(f"unknown HPO ID {term_id}: {res.notice}")
        idx = res.index
        return SearchHit(self.ontology.ids[idx], self.ontology.labels[idx], term_id, 1.0, res.notice)

    def _keep(self, hits: dict[str, SearchHit], term_id: str, matched: str, score: float) -> None:
        idx = self.ontology.index.get(term_id)
        if idx is None:
            return
        if not self.ontology.phenotypic[idx]:
            score *= 0.97  # phenotypic abnormalities first, inheritance/onset terms still findable
        old = hits.get(term_id)
        if old is None or score > old.score:
            hits[term_id] = SearchHit(term_id, self.ontology.labels[idx], matched, score)

    def _fts(self, hits: dict[str, SearchHit], words: list[str], weight: float, query_norm: str) -> None:
        if not words:
            return
        expr = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
        try:
            rows = self.db.execute(
                "SELECT name, term_id, kind FROM term_fts WHERE term_fts MATCH ? ORDER BY bm25(term_fts) LIMIT 300",
                (expr.strip(),),
            ).fetchall()
        except sqlite3.OperationalError:
            return
        for name, term_id, kind in rows:
            norm = normalise(name)
            if norm == query_norm:
                base = 1.0 if kind == "label" else 0.95
            elif norm.startswith(query_norm):
                base = 0.85
            else:
                base = 0.75
            self._keep(hits, term_id, name, _name_score(norm, query_norm, base, label=kind == "label") * weight)

    def _closest(self, word: str) -> list[tuple[str, float]]:
        """Vocabulary words close to an unknown word, closest first, with their similarity (0..1)."""
        if word in self.vocabulary or len(word) < 4:
            return []
        candidates = [w for w in self.vocabulary_by_initial.get(word[0], ()) if abs(len(w) - len(word)) <= 2]
        found = difflib.get_close_matches(word, candidates, n=3, cutoff=0.75)
        return [(w, difflib.SequenceMatcher(None, w, word).ratio()) for w in found]


def _name_score(name_norm: str, query_norm: str, base: float, *, label: bool) -> float:
    # Shorter names that the query covers more fully are the more likely intent.
    coverage = min(len(query_norm) / max(len(name_norm), 1), 1.0)
    return base * (0.6 + 0.4 * coverage) * (1.0 if label else 0.98)
