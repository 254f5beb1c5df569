"""Free text -> HPO terms: dictionary-based concept recognition with exact spans, negation and attribution.

    from raretrace.text import Extractor, ExtractedTerm
    terms = Extractor(db, ontology).extract("No seizures; short and broad thumbs.")

Family findings ("his mother has cataracts") are returned with family=True and excluded=False: they are
reported, flagged, so the reviewer decides (the GUI does not add them to the case by default).
"""

from .extractor import ExtractedTerm, Extractor
from .reading import read_text

__all__ = ["ExtractedTerm", "Extractor", "read_text"]
