"""One process-wide entry point to the loaded knowledge: KB connection, ontology, search, extractor, ranker.

The CLI and the GUI both hold an Engine; each part is loaded on first use and kept (loading is the slow part).
"""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .kb import Progress, open_kb, provenance
from .loaded import kept_out_of_collections
from .ontology import Ontology
from .paths import default_kb_path
from .search import TermSearch

if TYPE_CHECKING:
    import sqlite3

    from .case import Case
    from .ranking import Ranker


class Engine:
    def __init__(self, kb_path: Path | str | None = None, device: str = "auto", progress: Progress | None = None,
                 exclude_pmids: frozenset[str] = frozenset()):
        self.kb_path = Path(kb_path) if kb_path else default_kb_path()
        self.device = device
        # publications left out of the case library and the published-variant lookup (the demo's own paper)
        self.exclude_pmids = exclude_pmids
        self.progress = progress
        self._lock = threading.RLock()
        self._own_ranker: tuple[str, Ranker] | None = None  # (publication, ranker without it): see ranker_for
        self._own_lock = threading.Lock()

    @cached_property
    def db(self) -> sqlite3.Connection:
        with self._lock:
            return open_kb(self.kb_path, progress=self.progress)

    @cached_property
    def ontology(self) -> Ontology:
        with self._lock:
            return kept_out_of_collections(Ontology(self.db))

    @cached_property
    def search(self) -> TermSearch:
        with self._lock:
            return kept_out_of_collections(TermSearch(self.db, self.ontology))

    @cached_property
    def extractor(self):
        from .text import Extractor

        with self._lock:
            return kept_out_of_collections(Extractor(self.db, self.ontology))

    @cached_property
    def provenance(self) -> dict[str, str]:
        return provenance(self.db)

    @property
    def hpo_release(self) -> str:
        return self.provenance.get("hpo_release", "")

    @cached_property
    def ranker(self):
        from .ranking import Ranker

        with self._lock:
            ranker = Ranker(self.db, self.ontology, device=self.device, exclude_pmids=self.exclude_pmids)
            return kept_out_of_collections(ranker)

    @cached_property
    def _library_pmids(self) -> dict[str, str]:
        """Published case ID -> its publication, for every case of the library (left out or not), and the bundled
        demo case, a published patient under another ID."""
        from .demo import DEMO_CASE_ID, DEMO_PMIDS

        known = dict(self.db.execute("SELECT case_id, pmid FROM library_cases"))
        demo_paper = next(iter(DEMO_PMIDS))
        if demo_paper in known.values():
            known[DEMO_CASE_ID] = demo_paper
        return known

    def own_publication(self, case: Case) -> str | None:
        """The publication of a case that is itself a published case of the library (by its phenopacket ID), unless
        it is already left out. Such a case must not be its own evidence: not its own similar case, not a patient
        of the disease profiles it is ranked against, not its own published variant."""
        pmid = self._library_pmids.get(case.id)
        return pmid if pmid and pmid not in self.exclude_pmids else None

    def exclusions_for(self, case: Case) -> frozenset[str]:
        """The publications left out for this case: the session's (the demo's paper) and the case's own."""
        own = self.own_publication(case)
        return self.exclude_pmids | {own} if own else self.exclude_pmids

    def ranker_for(self, case: Case) -> Ranker:
        """The ranker for this case: the session's, or, for a published case of the library, one whose library
        lacks the case's publication, as in validation (built once per publication in a row, ~0.3 s; the model
        is shared). A clinic's own patients are never in the library and always get the session's ranker."""
        own = self.own_publication(case)
        if own is None:
            return self.ranker
        from .ranking import Ranker

        # The loaded parts first, outside any lock of ours: on Python 3.11 a cached_property takes its own lock
        # before its getter takes self._lock, so holding self._lock here while another thread (the window's
        # warm-up) builds the ranker would deadlock.
        base, db, ontology = self.ranker, self.db, self.ontology
        with self._own_lock:
            if self._own_ranker is None or self._own_ranker[0] != own:
                ranker = Ranker(db, ontology, device=self.device, library=base.all_library,
                                exclude_pmids=self.exclude_pmids | {own})
                ranker.share_model(base)
                self._own_ranker = (own, kept_out_of_collections(ranker))  # freed by reference count when replaced
            return self._own_ranker[1]

    @staticmethod
    def own_publication_note(case_id: str, pmid: str) -> str:
        return (f"{case_id} is a published patient of the case library: its publication ({pmid}) is left out of the "
                "case library (similar cases, features of published patients) and of the published variants for "
                "this analysis, so that the patient is not evidence for their own diagnosis; HPO's curated "
                "annotations may still cite it")
