"""Pictures of the evidence: the phenotype-match matrix and the score-contribution bars.

The figure DATA (`match_matrix`, `contribution_bars`) is derived only from the evidence objects of an
AnalysisResult, never from the knowledge base, so the GUI (which draws the same data in Qt), the PDF report and the
exported SVG/PNG all show exactly what the text shows. The reportlab drawings are vector graphics that stay legible
in black-and-white print: every state has its own glyph and pattern as well as its colour, the colours are
Okabe-Ito (blue/orange, safe for red-green colour blindness) and the strength scale is monotonic in lightness.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from . import __version__
from .errors import RareTraceError
from .evidence import (
    CONTRIBUTION_MEANINGS,
    AnalysisResult,
    ExcludedConflict,
    FeatureMatch,
    Hypothesis,
    NegatedConflict,
    frequency_words,
)
from .paths import resources_dir, write_private

CellState = Literal["exact", "ancestor", "not_annotated", "conflict"]
EvidenceField = Literal["matched", "unexplained", "conflicts", "negated"]

# The five evidence groups of issue 10, in the order a clinician reads them.
CONTRIBUTION_GROUPS = (
    "phenotype match",
    "conflicting evidence",
    "similar published cases",
    "variant evidence",
    "inheritance fit",
)

STATE_WORDS: dict[str, str] = {
    "exact": "exact annotation",
    "ancestor": "matched through a common ancestor",
    "not_annotated": "not annotated / no conflict",
    "conflict": "conflict: excluded, or annotated absent",
}

# -- fonts: one registration shared by the figures and the report (string widths must use the PDF's font)

SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC, MONO = (
    "RT-Sans",
    "RT-Sans-Bold",
    "RT-Sans-Italic",
    "RT-Sans-BoldItalic",
    "RT-Mono",
)
_FONT_FILES = {
    SANS: ("DejaVuSansCondensed.ttf", "Vera.ttf"),
    SANS_BOLD: ("DejaVuSansCondensed-Bold.ttf", "VeraBd.ttf"),
    SANS_ITALIC: ("DejaVuSansCondensed-Oblique.ttf", "VeraIt.ttf"),
    SANS_BOLD_ITALIC: ("DejaVuSansCondensed-BoldOblique.ttf", "VeraBI.ttf"),
    MONO: ("DejaVuSansMono.ttf", "Vera.ttf"),  # reportlab ships no monospaced Vera
}


def font_path(name: str) -> Path:
    """The TTF file behind one of the report fonts (DejaVu from resources/fonts, else reportlab's Vera)."""
    bundled, fallback = _FONT_FILES[name]
    path = resources_dir() / "fonts" / bundled
    if path.is_file():
        return path
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts" / fallback
    if vera.is_file():
        return vera
    raise RareTraceError(f"report font {bundled} is missing from {path.parent}; reinstall RareTrace")


# Chinese, Japanese and Korean characters, which DejaVu lacks (a patient's or clinician's name, a note): printed
# in a fallback font rather than as boxes, the first of these that has the character (Droid Sans Fallback holds
# Han, kana and Latin; NanumSquare the Hangul syllables). They have no bold or italic: such runs print regular.
FALLBACKS = (("RT-Fallback", "DroidSansFallbackFull.ttf"), ("RT-Fallback-Hangul", "NanumSquareR.ttf"))


@cache
def register_fonts() -> None:
    """Register the embedded TTF fonts once per process (TTFs are embedded as subsets: text stays selectable)."""
    for name in _FONT_FILES:
        pdfmetrics.registerFont(TTFont(name, str(font_path(name))))
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC)
    for name, file in FALLBACKS:
        path = resources_dir() / "fonts" / file
        if path.is_file():
            pdfmetrics.registerFont(TTFont(name, str(path)))
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)


@cache
def _glyphs(font: str) -> frozenset[int]:
    register_fonts()
    try:
        return frozenset(pdfmetrics.getFont(font).face.charToGlyph)
    except KeyError:  # a fallback font that is not installed
        return frozenset()


def _font_for(char: str, font: str) -> str | None:
    """The font that prints the character: the given one, else the first fallback that has it; None if none has."""
    code = ord(char)
    if char.isspace() or code in _glyphs(font):
        return font
    return next((name for name, _ in FALLBACKS if code in _glyphs(name)), None)


def can_print(char: str, font: str = SANS) -> bool:
    """Whether the report prints the character as itself: in the font, or in a fallback font where it lacks it."""
    return _font_for(char, font) is not None


# What prints for a character no font has (an emoji): the replacement character, which every reader knows for "a
# character not shown", where the font's empty box (.notdef) looks like a printing fault and leaves no text behind.
REPLACEMENT = "\ufffd"


# -- right-to-left text (a Hebrew or Arabic name or note): reportlab sets characters left to right as stored, so
# a Hebrew name printed backwards and Arabic letters unjoined. A line is set for display here instead: a simplified
# Unicode bidirectional algorithm for a left-to-right document (no explicit embeddings), and Arabic letters in their
# joined forms (the presentation forms the report font has, told apart by their Unicode decompositions).

_MIRRORED = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))
_FORMS = ("isolated", "final", "initial", "medial")


def has_rtl(text: str) -> bool:
    """Whether the text holds right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko)."""
    return not text.isascii() and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


@cache
def _arabic_forms() -> tuple[dict[str, dict[str, str]], dict[str, tuple[str, ...]]]:
    """(letter -> its contextual forms by name, alef -> the lam-alef ligature's (isolated, final) forms)."""
    forms: dict[str, dict[str, str]] = {}
    lam_alef: dict[str, dict[str, str]] = {}
    for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)):
        tag, _, base = unicodedata.decomposition(chr(code)).partition(" ")
        form = tag.strip("<>")
        if form in _FORMS and " " not in base:
            forms.setdefault(chr(int(base, 16)), {}).setdefault(form, chr(code))
        elif form in _FORMS and base.startswith("0644 ") and base.count(" ") == 1:  # lam + an alef
            lam_alef.setdefault(chr(int(base[5:], 16)), {})[form] = chr(code)
    return forms, {a: (f["isolated"], f["final"]) for a, f in lam_alef.items() if {"isolated", "final"} <= set(f)}


def _join_arabic(text: str, font: str) -> str:
    """Arabic letters in the form their neighbours call for (the font's glyph for it; the letter where it has none)."""
    forms, lam_alef = _arabic_forms()
    have = _glyphs(font)

    def joining(c: str) -> str:  # D dual, R right, C join-causing, T transparent, U none (ArabicShaping.txt)
        if c in "\u0640\u200d":
            return "C"
        if c in forms:
            return "D" if {"initial", "medial"} & set(forms[c]) else "R"
        return "T" if unicodedata.category(c) in ("Mn", "Me", "Cf") and c != "\u200c" else "U"

    kinds = [joining(c) for c in text]

    def near(i: int, step: int) -> str:  # the joining type of the nearest letter that is not transparent
        i += step
        while 0 <= i < len(text) and kinds[i] == "T":
            i += step
        return kinds[i] if 0 <= i < len(text) else "U"

    out, i = [], 0
    while i < len(text):
        c, kind = text[i], kinds[i]
        after_joins = near(i, -1) in "DC"
        if c == "\u0644" and i + 1 < len(text) and text[i + 1] in lam_alef:  # lam then alef: one ligature
            glyph = lam_alef[text[i + 1]][after_joins]
            out.append(glyph if ord(glyph) in have else text[i : i + 2])
            i += 2
            continue
        if kind in "DR":
            before_joins = kind == "D" and near(i, 1) in "DRC"
            form = _FORMS[after_joins + 2 * before_joins]
            glyph = forms[c].get(form, c)
            c = glyph if ord(glyph) in have else c
        out.append(c)
        i += 1
    return "".join(out)


# Text between an isolate mark (LRI, RLI, FSI) and PDI, such as a typed field within a line, is set on its own (as
# left-to-right text) and then placed as one neutral piece; the marks themselves are not drawn.
_ISOLATE = re.compile("[\u2066-\u2068]([^\u2066-\u2069]*)\u2069?")


def isolate(text: str) -> str:
    """A typed field as a piece of a longer line (the running header's "Case ID · patient ID · date"): its
    right-to-left text then never draws the text beside it into its run."""
    return f"\u2068{text}\u2069" if has_rtl(text) else text


def visual(text: str, font: str = SANS) -> str:
    """One line in the order it is to be drawn left to right: right-to-left runs reversed (numbers within them
    still left to right, brackets mirrored, combining marks after their letter) and Arabic letters joined. Text
    without right-to-left letters is returned as it is."""
    if not has_rtl(text):
        return text
    text = _join_arabic(text, font)
    clusters: list[str] = []  # a letter with its combining marks, kept together when reversed
    isolated: set[int] = set()  # clusters that are a whole isolate, set on its own: a neutral here
    for n, part in enumerate(_ISOLATE.split(text)):
        if n % 2:
            isolated.add(len(clusters))
            clusters.append(visual(part, font))
            continue
        for c in part:
            if clusters and unicodedata.bidirectional(c) == "NSM" and len(clusters) - 1 not in isolated:
                clusters[-1] += c
            else:
                clusters.append(c)
    kinds = []
    for n, cl in enumerate(clusters):
        b = "ON" if n in isolated else unicodedata.bidirectional(cl[0])
        kind = "R" if b in ("R", "AL") else "L" if b == "L" else "N" if b in ("EN", "AN") else "O"
        if kind == "O" and b in ("CS", "ES", "ET") and 0 < n < len(clusters) - 1 and kinds[-1] == "N" and \
                unicodedata.bidirectional(clusters[n + 1][0]) in ("EN", "AN"):
            kind = "N"  # 3.5, 1,000, 10-12 within a number
        kinds.append(kind)
    strong = "L"  # a number after left-to-right letters is part of their run (rule W7)
    for n, kind in enumerate(kinds):
        if kind in "LR":
            strong = kind
        elif kind == "N" and strong == "L":
            kinds[n] = "L"
    levels = [{"L": 0, "R": 1, "N": 2}.get(k, -1) for k in kinds]
    n = 0
    while n < len(levels):  # neutrals between two right-to-left sides (numbers count so) are right to left
        if levels[n] >= 0:
            n += 1
            continue
        end = n
        while end < len(levels) and levels[end] < 0:
            end += 1
        rtl = n > 0 and levels[n - 1] > 0 and end < len(levels) and levels[end] > 0
        levels[n:end] = [1 if rtl else 0] * (end - n)
        n = end
    clusters = [_MIRRORED.get(cl, cl) if level % 2 else cl for cl, level in zip(clusters, levels, strict=True)]
    for level in (2, 1):  # rule L2: reverse each run at this level or higher, highest first
        n = 0
        while n < len(clusters):
            if levels[n] < level:
                n += 1
                continue
            end = n
            while end < len(clusters) and levels[end] >= level:
                end += 1
            clusters[n:end], levels[n:end] = clusters[n:end][::-1], levels[n:end][::-1]
            n = end
    return "".join(clusters)


def font_runs(text: str, font: str) -> list[tuple[str, str]]:
    """One line cut into (run, font) pieces, in the order drawn (`visual`): characters the font lacks go to the
    fallback font that has them, and one that no font has is REPLACEMENT (one for each such character, as
    unprintable_fields_warning counts them)."""
    if text.isascii():
        return [(text, font)] if text else []
    text = visual(text, font)
    runs: list[tuple[str, str]] = []
    for char in text:
        use = _font_for(char, font)
        if use is None:
            char, use = (REPLACEMENT if ord(REPLACEMENT) in _glyphs(font) else "?"), font
        if runs and runs[-1][1] == use:
            runs[-1] = (runs[-1][0] + char, use)
        else:
            runs.append((char, use))
    return runs


def text_width(text: str, font: str, size: float) -> float:
    register_fonts()
    return sum(pdfmetrics.stringWidth(run, run_font, size) for run, run_font in font_runs(text, font))


def draw_text(canvas: Any, x: float, y: float, text: str, font: str, size: float, *, right: bool = False) -> None:
    """canvas.drawString (or drawRightString, with `right`) that prints each run in the font that has it."""
    if right:
        x -= text_width(text, font, size)
    for run, run_font in font_runs(text, font):
        canvas.setFont(run_font, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, run_font, size)
    canvas.setFont(font, size)


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis so that it fits the width."""
    if text_width(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…" if lo else ""


def fit_middle(text: str, font: str, size: float, width: float) -> str:
    """The text, cut in the middle with an ellipsis so that it fits the width: an ID keeps its start and its end,
    where IDs of one family or publication differ ("PMID_38158857_Fa…" named patient 2 and patient 3 alike)."""
    if text_width(text, font, size) <= width:
        return text

    def cut(k: int) -> str:
        head = (k + 1) // 2
        return text[:head].rstrip() + "…" + text[len(text) - (k - head):].lstrip() if k else "…"

    lo, hi = 0, len(text) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(cut(mid), font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return cut(lo) if lo else ""


def wrap_text(text: str, font: str, size: float, width: float, max_lines: int = 2) -> list[str]:
    """Greedy word wrap to at most max_lines lines; what does not fit ends in an ellipsis."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and text_width(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
    return [fit_text(line, font, size, width) for line in lines]


# -- palette (Okabe-Ito) and the strength scale

OI_BLUE = colors.HexColor("#0072B2")
OI_VERMILLION = colors.HexColor("#D55E00")
OI_ORANGE = colors.HexColor("#E69F00")
OI_SKY = colors.HexColor("#56B4E9")
GRID = colors.HexColor("#9A9A9A")
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
PALE = colors.HexColor("#F4F4F4")

_MATCH_LIGHT = (0.87, 0.93, 0.98)
_MATCH_DARK = (0.03, 0.19, 0.42)
_CONFLICT_LIGHT = (0.99, 0.86, 0.74)
_CONFLICT_DARK = (0.63, 0.22, 0.0)


def _lerp(a: tuple[float, float, float], b: tuple[float, float, float], t: float) -> Color:
    t = min(1.0, max(0.0, t))
    return Color(*(x + (y - x) * t for x, y in zip(a, b, strict=True)))


def cell_colour(state: str, strength: float) -> Color:
    """Fill of a matrix cell: lightness falls monotonically with strength, so grey print keeps the order."""
    if state in ("exact", "ancestor"):
        return _lerp(_MATCH_LIGHT, _MATCH_DARK, 0.15 + 0.85 * strength)
    if state == "conflict":
        return _lerp(_CONFLICT_LIGHT, _CONFLICT_DARK, 0.25 + 0.75 * strength)
    return colors.white


def _luminance(c: Color) -> float:
    return 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue


def ink_on(c: Color) -> Color:
    """Black or white, whichever reads on the fill."""
    return colors.white if _luminance(c) < 0.45 else INK


# -- figure data


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """Where a cell's evidence lives: result.<group>[hypothesis].<field>[item] (and the same path in the JSON)."""

    group: Literal["diseases", "genes"]
    hypothesis: int
    field: EvidenceField
    item: int

    @property
    def path(self) -> str:
        return f"{self.group}[{self.hypothesis}].{self.field}[{self.item}]"


@dataclass(frozen=True, slots=True)
class MatrixRow:
    term: str
    label: str
    excluded: bool


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    rank: int
    id: str
    label: str
    score: float
    hypothesis: int  # index in result.diseases / result.genes


@dataclass(frozen=True, slots=True)
class MatrixCell:
    row: int
    column: int
    state: CellState
    strength: float  # 0..1: IC of the shared feature (relative to this matrix) or, for a conflict, its frequency
    relation: str = ""  # the FeatureMatch relation behind an exact/ancestor cell
    disease_term: str | None = None
    disease_label: str | None = None
    common_ancestor: str | None = None
    common_ancestor_label: str | None = None
    ic: float = 0.0
    frequency: float | None = None
    frequency_text: str = ""
    references: tuple[str, ...] = ()
    evidence: EvidenceRef | None = None
    also: int = 0  # further conflicts of the same excluded feature (the strongest is shown)

    def describe(self) -> str:
        """One line for a tooltip or a screen reader: what the cell means, with the annotated frequency."""
        freq = frequency_words(self.frequency, self.frequency_text)
        if self.state == "exact":
            text = f"Exact annotation {self.disease_term} {self.disease_label}; IC {self.ic:.2f}"
        elif self.state == "ancestor":
            text = (
                f"Matched {self.disease_term} {self.disease_label} through {self.common_ancestor} "
                f"{self.common_ancestor_label}; IC {self.ic:.2f}"
            )
        elif self.state == "conflict" and self.relation == "negated":
            text = f"Conflict: present in the patient, but the disease is annotated not to have {self.disease_term} " \
                   f"{self.disease_label} ({self.frequency_text})"
            if self.references:
                text += "; " + ", ".join(self.references)
            return text
        elif self.state == "conflict":
            text = f"Conflict: excluded in the patient, but the disease has {self.disease_term} {self.disease_label}"
            if self.also:
                text += f" (+{self.also} more)"
        else:
            return "Not annotated for this hypothesis (no match, no conflict)"
        text += f"; annotated frequency {freq}"
        if self.references:
            text += "; " + ", ".join(self.references)
        return text


@dataclass(frozen=True, slots=True)
class MatchMatrix:
    kind: Literal["disease", "gene"]
    rows: tuple[MatrixRow, ...]
    columns: tuple[MatrixColumn, ...]
    cells: tuple[tuple[MatrixCell, ...], ...]  # cells[row][column]

    def cell(self, row: int, column: int) -> MatrixCell:
        return self.cells[row][column]

    @property
    def n_present(self) -> int:
        return sum(1 for r in self.rows if not r.excluded)


# HPO's frequency terms (a fixed part of the ontology's design, not knowledge-base content)

def _match_cell(r: int, c: int, m: FeatureMatch, ref: EvidenceRef, ic_ref: float) -> MatrixCell:
    state: CellState = "exact" if m.relation == "exact" else "ancestor"
    return MatrixCell(
        row=r,
        column=c,
        state=state,
        strength=min(1.0, m.ic / ic_ref) if ic_ref > 0 else 0.0,
        relation=m.relation,
        disease_term=m.disease_term,
        disease_label=m.disease_label,
        common_ancestor=m.common_ancestor,
        common_ancestor_label=m.common_ancestor_label,
        ic=m.ic,
        frequency=m.frequency,
        frequency_text=m.frequency_text,
        references=m.references,
        evidence=ref,
    )


def _conflict_cell(r: int, c: int, found: list[tuple[int, ExcludedConflict]], group: str, h: int) -> MatrixCell:
    # The strongest conflict (highest annotated frequency; unknown frequency counts as usual) represents the cell.
    i, x = max(found, key=lambda p: (1.0 if p[1].frequency is None else p[1].frequency, -p[0]))
    return MatrixCell(
        row=r,
        column=c,
        state="conflict",
        strength=1.0 if x.frequency is None else x.frequency,
        disease_term=x.disease_term,
        disease_label=x.disease_label,
        frequency=x.frequency,
        frequency_text=x.frequency_text,
        references=x.references,
        evidence=EvidenceRef(group, h, "conflicts", i),  # type: ignore[arg-type]
        also=len(found) - 1,
    )


def _negated_cell(r: int, c: int, i: int, x: NegatedConflict, group: str, h: int) -> MatrixCell:
    # a present feature the disease is annotated not to have: a definite conflict, whatever else it matches
    return MatrixCell(row=r, column=c, state="conflict", strength=1.0, relation="negated", disease_term=x.disease_term,
                      disease_label=x.disease_label, frequency=0.0, frequency_text=x.source_text,
                      references=x.references, evidence=EvidenceRef(group, h, "negated", i))  # type: ignore[arg-type]


def match_matrix(result: AnalysisResult, top_n: int = 10, kind: Literal["disease", "gene"] = "disease") -> MatchMatrix:
    """Rows = the patient's features (present, then excluded), columns = the top N hypotheses.

    A present feature is `exact` or `ancestor` when the hypothesis' evidence matched it, else `not_annotated`;
    an excluded feature is `conflict` when the hypothesis lists it among its conflicts, else `not_annotated`; a present
    feature the hypothesis is annotated not to have is a `conflict` too.
    Strength of a match is the information content of the shared feature relative to the most informative match in
    the matrix; strength of a conflict is how often the disease has the feature.
    """
    group: Literal["diseases", "genes"] = "diseases" if kind == "disease" else "genes"
    hyps = (result.diseases if kind == "disease" else result.genes)[: max(0, top_n)]
    rows = tuple(MatrixRow(t, lbl, False) for t, lbl in result.present) + tuple(
        MatrixRow(t, lbl, True) for t, lbl in result.excluded
    )
    ic_ref = max((m.ic for h in hyps for m in h.matched if m.relation != "unmatched"), default=0.0)
    columns = []
    grid: list[list[MatrixCell]] = [[] for _ in rows]
    for c, h in enumerate(hyps):
        columns.append(MatrixColumn(h.rank, h.id, h.label, h.score, c))
        matched = {m.patient_term: i for i, m in enumerate(h.matched) if m.relation != "unmatched"}
        unexplained = {m.patient_term: i for i, m in enumerate(h.unexplained)}
        conflicts: dict[str, list[tuple[int, ExcludedConflict]]] = {}
        for i, x in enumerate(h.conflicts):
            conflicts.setdefault(x.patient_term, []).append((i, x))
        negated = {}
        for i, x in enumerate(h.negated):
            negated.setdefault(x.patient_term, i)
        for r, row in enumerate(rows):
            if not row.excluded and row.term in negated:
                i = negated[row.term]
                cell = _negated_cell(r, c, i, h.negated[i], group, c)
            elif row.excluded:
                if row.term in conflicts:
                    cell = _conflict_cell(r, c, conflicts[row.term], group, c)
                else:
                    cell = MatrixCell(r, c, "not_annotated", 0.0)
            elif row.term in matched:
                i = matched[row.term]
                cell = _match_cell(r, c, h.matched[i], EvidenceRef(group, c, "matched", i), ic_ref)
            elif row.term in unexplained:
                cell = MatrixCell(r, c, "not_annotated", 0.0, evidence=EvidenceRef(group, c, "unexplained", unexplained[row.term]))
            else:
                cell = MatrixCell(r, c, "not_annotated", 0.0)
            grid[r].append(cell)
    return MatchMatrix(kind, rows, tuple(columns), tuple(tuple(g) for g in grid))


def evidence_item(result: AnalysisResult, ref: EvidenceRef) -> FeatureMatch | ExcludedConflict | NegatedConflict:
    """The evidence object a cell points to (what the GUI opens when the cell is clicked)."""
    hyps = result.diseases if ref.group == "diseases" else result.genes
    return getattr(hyps[ref.hypothesis], ref.field)[ref.item]


@dataclass(frozen=True, slots=True)
class ContributionBar:
    group: str
    value: float
    available: bool  # False: the hypothesis has no such evidence (e.g. no VCF): drawn as `note`, not as zero
    note: str = "no data"
    meaning: str = ""  # what the group contains (evidence.CONTRIBUTION_MEANINGS): the GUI's tooltip


def contribution_bars(hypothesis: Hypothesis) -> tuple[ContributionBar, ...]:
    """The score's contributions in the five groups of issue 10 (then any other group the ranker reports)."""
    given: dict[str, float] = {}
    for c in hypothesis.contributions:
        given[c.group] = given.get(c.group, 0.0) + c.value
    # A gene ranked with a VCF scores its phenotype side as one number (its diseases' posterior), into which
    # conflicts and similar published cases already went: say so rather than "no data".
    folded = hypothesis.kind == "gene" and "variant evidence" in given and given.get("phenotype match", 0.0) != 0.0
    note = {g: "counted in phenotype match" for g in ("conflicting evidence", "similar published cases")
            if folded}  # fmt: skip
    if hypothesis.kind == "disease" and "variant evidence" in given and "inheritance fit" not in given:
        note["inheritance fit"] = "counted in variant evidence"  # a disease takes its gene's combined factor
    bars = [ContributionBar(g, given.get(g, 0.0), g in given, note.get(g, "no data"), CONTRIBUTION_MEANINGS.get(g, ""))
            for g in CONTRIBUTION_GROUPS]
    bars += [ContributionBar(g, v, True, meaning=CONTRIBUTION_MEANINGS.get(g, ""))
             for g, v in given.items() if g not in CONTRIBUTION_GROUPS]
    return tuple(bars)


# -- drawings


def _drawing(width: float, height: float) -> Drawing:
    # the PDF renderer would otherwise select Helvetica (not embedded) as the drawing's initial font
    return Drawing(width, height, initialFontName=SANS, initialFontSize=7)


def _string(x: float, y: float, text: str, font: str, size: float, fill: Color = INK, anchor: str = "start") -> String:
    return String(x, y, text, fontName=font, fontSize=size, fillColor=fill, textAnchor=anchor)


def _hatch(x: float, y: float, w: float, h: float, step: float, colour: Color, width: float = 0.5) -> Group:
    """Diagonal hatching clipped to a rectangle (computed, so SVG/PNG need no clipping support)."""
    g = Group()
    k = -h
    while k < w:
        # the line y' = x' - k inside [0,w]x[0,h]
        x0, y0 = max(k, 0.0), max(-k, 0.0)
        x1 = min(w, h + k)
        y1 = x1 - k
        if x1 > x0:
            g.add(Line(x + x0, y + y0, x + x1, y + y1, strokeColor=colour, strokeWidth=width))
        k += step
    return g


def _glyph(state: str, cx: float, cy: float, size: float, fill: Color) -> Group:
    """The state's shape, drawn in the ink that reads on the fill: ● exact, ○ ancestor, – none, ✕ conflict."""
    g = Group()
    ink = ink_on(fill)
    r = size * 0.28
    if state == "exact":
        g.add(Circle(cx, cy, r, fillColor=ink, strokeColor=ink, strokeWidth=0.5))
    elif state == "ancestor":
        g.add(Circle(cx, cy, r, fillColor=None, strokeColor=ink, strokeWidth=max(0.9, size * 0.08)))
    elif state == "conflict":
        d = size * 0.26
        w = max(1.2, size * 0.12)
        g.add(Line(cx - d, cy - d, cx + d, cy + d, strokeColor=ink, strokeWidth=w, strokeLineCap=1))
        g.add(Line(cx - d, cy + d, cx + d, cy - d, strokeColor=ink, strokeWidth=w, strokeLineCap=1))
    else:
        d = size * 0.12
        g.add(Line(cx - d, cy, cx + d, cy, strokeColor=GRID, strokeWidth=0.6))
    return g


def _cell_shape(state: str, strength: float, x: float, y: float, w: float, h: float) -> Group:
    g = Group()
    fill = cell_colour(state, strength)
    g.add(Rect(x, y, w, h, fillColor=fill, strokeColor=GRID, strokeWidth=0.35))
    if state == "conflict":
        # hatching half-way between fill and ink: visible in grey print, yet quieter than the cross on top
        ink = ink_on(fill)
        g.add(_hatch(x, y, w, h, max(3.0, w / 4), _lerp(fill.rgb(), ink.rgb(), 0.45), 0.35))
    g.add(_glyph(state, x + w / 2, y + h / 2, min(w, h), fill))
    return g


@dataclass(frozen=True, slots=True)
class MatrixStyle:
    font_size: float = 7.0
    id_font_size: float = 6.0
    max_col_width: float = 24.0
    min_col_width: float = 13.0
    min_row_height: float = 12.0
    header_max: float = 120.0  # height of the rotated column labels
    label_share: float = 0.42  # at most this share of the width for the row labels


@dataclass(frozen=True, slots=True)
class _Layout:
    label_w: float
    id_w: float
    col_w: float
    header_h: float
    row_lines: tuple[tuple[str, ...], ...]
    row_h: tuple[float, ...]
    col_labels: tuple[str, ...]


def max_columns(width: float, style: MatrixStyle = MatrixStyle()) -> int:
    """How many hypotheses fit side by side at this width."""
    id_w = text_width("HP:0000000", MONO, style.id_font_size) + 6
    label_min = min(120.0, width * style.label_share)
    return max(1, int((width - label_min - id_w) // style.min_col_width))


def _layout(m: MatchMatrix, width: float, style: MatrixStyle) -> _Layout:
    n = len(m.columns)
    if n > max_columns(width, style):
        raise RareTraceError(
            f"the match matrix cannot show {n} hypotheses in {width:.0f} pt; show at most {max_columns(width, style)}"
        )
    fs = style.font_size
    id_w = text_width("HP:0000000", MONO, style.id_font_size) + 6
    col_w = min(style.max_col_width, max(style.min_col_width, (width * (1 - style.label_share) - id_w) / max(n, 1)))
    label_w = width - id_w - n * col_w
    if label_w < 60:
        raise RareTraceError(f"the match matrix needs a wider page than {width:.0f} pt")
    lead = fs * 1.2
    lines = tuple(tuple(wrap_text(r.label or r.term, SANS, fs, label_w - 6, 2)) for r in m.rows)
    row_h = tuple(max(style.min_row_height, len(ls) * lead + 3) for ls in lines)
    col_labels = tuple(f"{c.rank}  {c.label or c.id}" for c in m.columns)
    needed = max((text_width(t, SANS, fs) for t in col_labels), default=0.0) + 6
    header_h = min(style.header_max, max(40.0, needed))
    col_labels = tuple(fit_text(t, SANS, fs, header_h - 6) for t in col_labels)
    return _Layout(label_w, id_w, col_w, header_h, lines, row_h, col_labels)


def _row_pages(m: MatchMatrix, lay: _Layout, max_height: float | None, fixed: float, section_h: float) -> list[list[int]]:
    """Split rows into as few pages as fit max_height, balanced so that no page holds only a few stray rows."""
    pages = _greedy_pages(m, lay, max_height, fixed, section_h)
    if max_height is None or len(pages) < 2:
        return pages
    lo, hi = fixed + max(lay.row_h) + section_h, max_height
    for _ in range(30):
        mid = (lo + hi) / 2
        if len(_greedy_pages(m, lay, mid, fixed, section_h)) == len(pages):
            hi = mid
        else:
            lo = mid
    return _greedy_pages(m, lay, hi, fixed, section_h)


def _greedy_pages(m: MatchMatrix, lay: _Layout, max_height: float | None, fixed: float, section_h: float) -> list[list[int]]:
    pages: list[list[int]] = [[]]
    used = fixed
    for r, row in enumerate(m.rows):
        starts = not pages[-1] or m.rows[pages[-1][-1]].excluded != row.excluded
        need = lay.row_h[r] + (section_h if starts else 0)
        if max_height is not None and pages[-1] and used + need > max_height:
            pages.append([])
            used = fixed
            need = lay.row_h[r] + section_h
        pages[-1].append(r)
        used += need
    return pages


class MatrixRows:
    """The matrix laid out at one width and drawn a run of rows at a time, each under the column labels: the report
    splits it where a page ends (as a table), `matrix_drawings` at a fixed height per page."""

    def __init__(self, m: MatchMatrix, width: float, style: MatrixStyle = MatrixStyle()) -> None:
        register_fonts()
        self.matrix, self.width, self.style = m, width, style
        self.layout = _layout(m, width, style)
        self.section_h = style.font_size * 1.6 + 4
        self.fixed = self.layout.header_h + 2  # the column labels, on every part

    def _blocks(self, start: int, stop: int) -> list[tuple[str, int, float]]:
        """The section headings and rows of rows[start:stop], top to bottom, with their heights."""
        rows = self.matrix.rows
        blocks: list[tuple[str, int, float]] = []
        prev_excluded: bool | None = None
        for r in range(start, stop):
            if rows[r].excluded != prev_excluded:
                blocks.append(("section", r, self.section_h))
                prev_excluded = rows[r].excluded
            blocks.append(("row", r, self.layout.row_h[r]))
        return blocks

    def height(self, start: int, stop: int) -> float:
        """The height of the drawing of rows[start:stop]."""
        return math.ceil(self.fixed + sum(b[2] for b in self._blocks(start, stop)))

    def drawing(self, start: int, stop: int) -> Drawing:
        """Rows[start:stop] under the column labels (a section heading says '— continued' where it goes on)."""
        m, lay, style, width = self.matrix, self.layout, self.style, self.width
        fs = style.font_size
        blocks = self._blocks(start, stop)
        height = self.height(start, stop)
        d = _drawing(width, height)
        grid_x = lay.label_w + lay.id_w
        top = height - lay.header_h
        for c, text in enumerate(lay.col_labels):
            cx = grid_x + (c + 0.5) * lay.col_w
            g = Group(_string(0, 0, text, SANS, fs))
            g.translate(cx + fs * 0.35, top + 3)
            g.rotate(90)
            d.add(g)
        y = top
        for kind, r, h in blocks:
            y -= h
            row = m.rows[r]
            if kind == "section":
                n = sum(1 for x in m.rows if x.excluded == row.excluded)
                title = "Excluded in the patient" if row.excluded else "Present in the patient"
                continued = r != next(i for i, x in enumerate(m.rows) if x.excluded == row.excluded)
                d.add(_string(0, y + 4, f"{title} ({n}){' — continued' if continued else ''}", SANS_BOLD, fs))
                d.add(Line(0, y + 1.5, width, y + 1.5, strokeColor=INK, strokeWidth=0.6))
                continue
            lines = lay.row_lines[r]
            lead = fs * 1.2
            ty = y + h / 2 + (len(lines) - 1) * lead / 2 - fs * 0.35
            for line in lines:
                d.add(_string(2, ty, line, SANS, fs))
                ty -= lead
            d.add(_string(lay.label_w + 2, y + h / 2 - style.id_font_size * 0.35, row.term, MONO, style.id_font_size, MUTED))
            for c in range(len(m.columns)):
                cell = m.cells[r][c]
                d.add(_cell_shape(cell.state, cell.strength, grid_x + c * lay.col_w, y, lay.col_w, h))
        return d


def matrix_drawings(
    m: MatchMatrix, width: float, max_height: float | None = None, style: MatrixStyle = MatrixStyle()
) -> list[Drawing]:
    """The matrix as one drawing per page (column labels repeated on each); max_height None: a single drawing."""
    parts = MatrixRows(m, width, style)
    pages = _row_pages(m, parts.layout, max_height, parts.fixed, parts.section_h)
    return [parts.drawing(rows[0], rows[-1] + 1) if rows else parts.drawing(0, 0) for rows in pages]


def matrix_legend(m: MatchMatrix, width: float, font_size: float = 7.0) -> Drawing:
    """The key to glyphs, the strength scale and the column numbers (full hypothesis names)."""
    register_fonts()
    fs = font_size
    sw = 12.0
    lead = fs * 1.45
    items = [("exact", 0.9), ("ancestor", 0.5), ("not_annotated", 0.0), ("conflict", 0.8)]
    # glyph key: two columns
    col_w = width / 2
    key_lines = []
    for c in m.columns:
        key_lines.extend(wrap_text(f"{c.rank}   {c.id}  {c.label}", SANS, fs, width - 4, 1))
    height = math.ceil(2 * (sw + 4) + (sw + 10) + len(key_lines) * lead + 12 + fs * 0.5)
    d = _drawing(width, height)
    y = height - sw - 2
    for i, (state, strength) in enumerate(items):
        x = (i % 2) * col_w
        yy = y - (i // 2) * (sw + 4)
        d.add(_cell_shape(state, strength, x, yy, sw, sw))
        d.add(_string(x + sw + 4, yy + sw / 2 - fs * 0.35, fit_text(STATE_WORDS[state], SANS, fs, col_w - sw - 8), SANS, fs))
    y -= 2 * (sw + 4) - 2
    # strength scale: five steps for matches and for conflicts
    label = "weaker → stronger (IC of the shared feature; for conflicts, how often the disease has it)"
    steps = 5
    for s in range(steps):
        t = s / (steps - 1)
        d.add(Rect(s * sw, y - sw, sw, sw * 0.5, fillColor=cell_colour("exact", t), strokeColor=GRID, strokeWidth=0.3))
        d.add(Rect(s * sw, y - sw * 0.5, sw, sw * 0.5, fillColor=cell_colour("conflict", t), strokeColor=GRID, strokeWidth=0.3))
    d.add(_string(steps * sw + 4, y - sw / 2 - fs * 0.35, fit_text(label, SANS, fs, width - steps * sw - 6), SANS, fs))
    y -= sw + 10
    d.add(_string(0, y, "Columns:", SANS_BOLD, fs))
    for line in key_lines:
        y -= lead
        d.add(_string(2, y, line, SANS, fs))
    return d


def matrix_figure(m: MatchMatrix, width: float = 520.0, style: MatrixStyle = MatrixStyle()) -> Drawing:
    """The whole matrix with its legend as one drawing (for SVG/PNG export from the GUI)."""
    grid = matrix_drawings(m, width, None, style)[0]
    legend = matrix_legend(m, width, style.font_size)
    gap = 10.0
    d = _drawing(width, grid.height + gap + legend.height)
    top = Group(*grid.contents)
    top.translate(0, legend.height + gap)
    d.add(top)
    d.add(Group(*legend.contents))
    return d


def contribution_drawing(
    bars: Sequence[ContributionBar], width: float = 260.0, scale: float | None = None, font_size: float = 7.0
) -> Drawing:
    """Horizontal bars around zero: support solid blue to the right, evidence against hatched orange to the left."""
    register_fonts()
    fs = font_size
    row_h = max(11.0, fs * 1.7)
    label_w = min(width * 0.45, max(text_width(b.group, SANS, fs) for b in bars) + 8) if bars else 60
    value_w = text_width("−00.00", SANS, fs) + 4
    height = math.ceil(len(bars) * row_h + fs * 1.6 + 4)
    d = _drawing(width, height)
    vals = [b.value for b in bars if b.available]
    big = scale if scale and scale > 0 else max([abs(v) for v in vals] + [1e-9])
    neg = any(v < 0 for v in vals)
    plot_x0 = label_w + (value_w if neg else 0)
    plot_x1 = width - value_w
    zero = plot_x0 + (plot_x1 - plot_x0) * (0.5 if neg else 0.0)
    half = (plot_x1 - zero) if not neg else (plot_x1 - plot_x0) / 2
    top = height - fs * 1.6 - 2
    d.add(_string(0, height - fs - 1, "Score contributions (log-odds)", SANS_BOLD, fs))  # the unit: see Method
    for i, b in enumerate(bars):
        y = top - (i + 1) * row_h
        d.add(_string(0, y + row_h / 2 - fs * 0.35, fit_text(b.group, SANS, fs, label_w - 6), SANS, fs))
        if not b.available:
            d.add(_string(zero + 3, y + row_h / 2 - fs * 0.35, b.note, SANS_ITALIC, fs, MUTED))
            continue
        length = half * min(1.0, abs(b.value) / big)
        bh = row_h * 0.62
        by = y + (row_h - bh) / 2
        text = f"{b.value:+.2f}".replace("-", "−")
        if b.value >= 0:
            d.add(Rect(zero, by, length, bh, fillColor=OI_BLUE, strokeColor=INK, strokeWidth=0.4))
            d.add(_string(zero + length + 2, y + row_h / 2 - fs * 0.35, text, SANS, fs))
        else:
            d.add(Rect(zero - length, by, length, bh, fillColor=OI_ORANGE, strokeColor=INK, strokeWidth=0.4))
            d.add(_hatch(zero - length, by, length, bh, 3.0, INK, 0.4))
            d.add(_string(zero - length - 2, y + row_h / 2 - fs * 0.35, text, SANS, fs, anchor="end"))
    d.add(Line(zero, top, zero, top - len(bars) * row_h, strokeColor=INK, strokeWidth=0.6))
    return d


# -- export (SVG is reportlab's own renderer; PNG is rasterised here with Pillow, no Cairo needed)


_SVG_FONTS = {
    SANS_BOLD_ITALIC: "'DejaVu Sans Condensed', 'DejaVu Sans', sans-serif; font-weight: bold; font-style: italic",
    SANS_BOLD: "'DejaVu Sans Condensed', 'DejaVu Sans', sans-serif; font-weight: bold",
    SANS_ITALIC: "'DejaVu Sans Condensed', 'DejaVu Sans', sans-serif; font-style: italic",
    SANS: "'DejaVu Sans Condensed', 'DejaVu Sans', sans-serif",
    MONO: "'DejaVu Sans Mono', monospace",
}


def to_svg(drawing: Drawing) -> str:
    """SVG text of a drawing; the fonts are named by family (DejaVu) so that viewers find them."""
    from reportlab.graphics import renderSVG

    register_fonts()
    svg = renderSVG.drawToString(drawing)
    for name, family in _SVG_FONTS.items():
        svg = svg.replace(f"font-family: {name};", f"font-family: {family};")
    return svg


def _matrix_mult(a: Sequence[float], b: Sequence[float]) -> tuple[float, ...]:
    return (
        a[0] * b[0] + a[2] * b[1],
        a[1] * b[0] + a[3] * b[1],
        a[0] * b[2] + a[2] * b[3],
        a[1] * b[2] + a[3] * b[3],
        a[0] * b[4] + a[2] * b[5] + a[4],
        a[1] * b[4] + a[3] * b[5] + a[5],
    )


def _walk(node: object, m: tuple[float, ...]) -> Iterable[tuple[object, tuple[float, ...]]]:
    if isinstance(node, Group):
        mm = _matrix_mult(m, node.transform)
        for child in node.contents:
            yield from _walk(child, mm)
    else:
        yield node, m


def to_png(drawing: Drawing, dpi: float = 150.0) -> bytes:
    """Rasterise a drawing made by this module (rects, lines, circles, text) to PNG bytes, marked as RareTrace's
    (a "Software" text chunk: an export replaces an earlier figure of its own, never another PNG; outputs.py)."""
    from PIL import Image, ImageDraw, ImageFont
    from PIL.PngImagePlugin import PngInfo

    register_fonts()
    ss = 3  # supersampling for smooth shapes; text is drawn at the final resolution's multiple as well
    k = dpi / 72.0 * ss
    w, h = max(1, math.ceil(drawing.width * dpi / 72.0)), max(1, math.ceil(drawing.height * dpi / 72.0))
    img = Image.new("RGB", (w * ss, h * ss), "white")
    draw = ImageDraw.Draw(img)
    H = h * ss

    def pt(m: Sequence[float], x: float, y: float) -> tuple[float, float]:
        X = m[0] * x + m[2] * y + m[4]
        Y = m[1] * x + m[3] * y + m[5]
        return X * k, H - Y * k

    def rgb(c: Color | None) -> tuple[int, int, int] | None:
        if c is None:
            return None
        return tuple(int(round(255 * v)) for v in (c.red, c.green, c.blue))  # type: ignore[return-value]

    fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}
    for node, m in _walk(drawing, (1, 0, 0, 1, 0, 0)):
        scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
        if isinstance(node, Rect):
            corners = [pt(m, node.x, node.y), pt(m, node.x + node.width, node.y),
                       pt(m, node.x + node.width, node.y + node.height), pt(m, node.x, node.y + node.height)]
            sw = int(round(node.strokeWidth * k * scale)) if node.strokeColor is not None else 0
            draw.polygon(corners, fill=rgb(node.fillColor), outline=rgb(node.strokeColor) if sw else None, width=max(sw, 1) if sw else 0)
        elif isinstance(node, Line):
            a, b = pt(m, node.x1, node.y1), pt(m, node.x2, node.y2)
            draw.line([a, b], fill=rgb(node.strokeColor), width=max(1, int(round(node.strokeWidth * k * scale))))
        elif isinstance(node, PolyLine):
            p = node.points
            draw.line([pt(m, p[i], p[i + 1]) for i in range(0, len(p), 2)], fill=rgb(node.strokeColor),
                      width=max(1, int(round(node.strokeWidth * k * scale))))
        elif isinstance(node, Circle):
            cx, cy = pt(m, node.cx, node.cy)
            r = node.r * k * scale
            sw = int(round(node.strokeWidth * k * scale)) if node.strokeColor is not None else 0
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rgb(node.fillColor),
                         outline=rgb(node.strokeColor) if sw else None, width=sw)
        elif isinstance(node, String):
            size = max(1, int(round(node.fontSize * k * scale)))
            key = (node.fontName, size)
            if key not in fonts:
                fonts[key] = ImageFont.truetype(str(font_path(node.fontName)), size)
            font = fonts[key]
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}.get(node.textAnchor, "ls")
            angle = math.degrees(math.atan2(m[1], m[0]))
            x, y = pt(m, node.x, node.y)
            if abs(angle) < 0.01:
                draw.text((x, y), node.text, font=font, fill=rgb(node.fillColor), anchor=anchor)
            elif abs(angle - 90) < 0.01:
                # column labels: a tight tile turned a quarter (exact and fast, unlike a free rotation)
                tw, th = int(font.getlength(node.text)) + 4, int(size * 1.6) + 4
                ax = {"ls": 2, "ms": tw / 2, "rs": tw - 2}[anchor]
                ay = int(size * 1.2) + 2
                tile = Image.new("L", (tw, th), 0)
                ImageDraw.Draw(tile).text((ax, ay), node.text, font=font, fill=255, anchor=anchor)
                tile = tile.transpose(Image.Transpose.ROTATE_90)  # (x, y) -> (y, tw - x)
                ink = Image.new("RGB", tile.size, rgb(node.fillColor) or (0, 0, 0))
                img.paste(ink, (int(round(x - ay)), int(round(y - (tw - ax)))), tile)
            else:
                side = int(2 * (font.getlength(node.text) + size * 2))
                tile = Image.new("L", (side, side), 0)
                ImageDraw.Draw(tile).text((side / 2, side / 2), node.text, font=font, fill=255, anchor=anchor)
                tile = tile.rotate(angle, resample=Image.BICUBIC, center=(side / 2, side / 2))
                ink = Image.new("RGB", (side, side), rgb(node.fillColor) or (0, 0, 0))
                img.paste(ink, (int(round(x - side / 2)), int(round(y - side / 2))), tile)
    img = img.resize((w, h), Image.LANCZOS)
    buf = io.BytesIO()
    info = PngInfo()
    info.add_text("Software", f"RareTrace {__version__}")
    img.save(buf, format="PNG", dpi=(dpi, dpi), pnginfo=info)
    return buf.getvalue()


def save_figure(drawing: Drawing, path: str | Path, dpi: float = 150.0) -> Path:
    """Write a drawing as .svg or .png (chosen by the file's suffix).

    A figure of a case is patient data (its features, the case ID), so it is written as the PDF report and the
    exported phenopacket are: readable by this OS user only, beside the target and renamed (never half a file),
    the temporary file removed on any error."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        data = to_svg(drawing).encode("utf-8")
    elif suffix == ".png":
        data = to_png(drawing, dpi)
    else:
        raise RareTraceError(f"cannot export a figure as {suffix or 'a file without suffix'}; use .svg or .png")
    try:
        write_private(path, data)
    except OSError as exc:
        raise RareTraceError(f"cannot write the figure to {path}: {exc.strerror or exc}") from exc
    return path
