"""Wording shared by the command line and the window (core: no Qt)."""

from __future__ import annotations

import re


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 record', '2 records', '1,204 records': a count with its noun in the number it takes."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def tidy_name(name: str) -> str:
    """A name as a source wrote it, as it is displayed: one space between words, none before a comma, semicolon,
    colon, full stop or closing bracket nor after an opening one. HPO's disease names keep their sources' typos
    ("Autoimmune polyendocrinopathy syndrome , type I"); the knowledge base keeps them as released (IDs and names
    are looked up as released), the evidence shows them tidied."""
    text = " ".join(name.split())
    text = re.sub(r" (?=[,;:.)\]])", "", text)
    text = re.sub(r"(?<=[(\[]) ", "", text)
    # a comma run into the next word ("deletions,autosomal dominant", sixteen HPO names); not between letters or
    # numbers of a chemical name ("N,N-dimethylglycine", "2,4-dienoyl")
    text = re.sub(r"(?<=[a-z]),(?=[a-z]{3})", ", ", text)
    # OMIM's brackets (a non-disease: "[Apolipoprotein A-II deficiency]") with the opening one lost, as a published
    # case's diagnosis has it: printed "deficiency]", a stray mark
    if text.endswith("]") and text.count("]") > text.count("["):
        text = "[" + text
    return text
