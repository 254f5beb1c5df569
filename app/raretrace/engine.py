"""One process-wide entry point to the loaded knowledge: KB connection, ontology, search, extractor, ranker.

The CLI and the GUI both hold an Engine; each part is loaded on first use and kept (loading is the slow part).
"""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .kb import Progress, open_kb, provenance
from .ontology import Ontology
from .paths import default_kb_path
from .search import TermSearch

if TYPE_CHECKING:
    import sqlite3


class Engine:
    def __init__(self, kb_path: Path | str | None = None, device: str = "auto", progress: Progress | None = None,
                 exclude_pmids: frozenset[str] = frozenset()):
        self.kb_path = Path(kb_path) if kb_path else default_kb_path()
        self.device = device
        # publications left out of the case library and the published-variant lookup (the demo's own paper)
        self.exclude_pmids = exclude_pmids
        self.progress = progress
        self._lock = threading.RLock()

    @cached_property
    def db(self) -> sqlite3.Connection:
        with self._lock:
            return open_kb(self.kb_path, progress=self.progress)

    @cached_property
    def ontology(self) -> Ontology:
        with self._lock:
            return Ontology(self.db)

    @cached_property
    def search(self) -> TermSearch:
        with self._lock:
            return TermSearch(self.db, self.ontology)

    @cached_property
    def extractor(self):
        from .text import Extractor

        with self._lock:
            return Extractor(self.db, self.ontology)

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
            return Ranker(self.db, self.ontology, device=self.device, exclude_pmids=self.exclude_pmids)
