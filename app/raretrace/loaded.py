"""Tables loaded once per process (ontology, annotations and case library, term index, text dictionary, gene model
and the genomic resources read with it), kept out of Python's cyclic garbage collection as soon as they load."""

from __future__ import annotations

import gc
from typing import TypeVar

T = TypeVar("T")


def kept_out_of_collections(table: T) -> T:
    """`table`, just loaded, and what exists with it, left out of Python's cyclic garbage collection: each loader of
    a table kept for the process calls this once, when it has loaded. Every collection of the oldest generation
    walked those tables (about 110,000 objects after an exome), 0.1-0.2 s each and several per exome analysis,
    finding nothing to free (measured: an exome analysis 0.9-1.1 s, 0.55-0.7 s once frozen; the window's thread
    stood still meanwhile). Frozen objects are still freed when no longer referenced. Garbage in reference cycles
    is collected first, so none is frozen; once the first tables are frozen that collection walks only what came
    since. Not called per analysis: once the tables are frozen, a full collection after each one is a cost with
    nothing more to keep out."""
    gc.collect()
    gc.freeze()
    return table
