"""The printable PDF report of an analysis (reportlab): what the clinician files in the patient's record.

It renders the evidence objects of an AnalysisResult as they are (never recomputing from the knowledge base), with
the pictures of figures.py. Same result, case, options and date -> the same bytes: the PDF's creation date and ID
are fixed (reportlab's invariant mode) and the printed date comes from the caller or SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import _listWrapOn

from . import __version__
from .case import (
    NOT_RECORDED,
    NOTE_KEY,
    Case,
    age_words,
    encounter_stage,
    kept_text,
    onset_words,
    onsets_as_analysed,
)
from .errors import RareTraceError
from .evidence import (
    CANDIDATE_GENES_HEADING,
    CHECK_WORD,
    CONFLICTS_HEADING,
    CONTRIBUTION_MEANINGS,
    DIFFERENTIAL_HEADING,
    EVIDENCE_CODES,
    EXCLUDED_HEADING,
    FLAG_WORDS,
    NEGATED_HEADING,
    NO_CRITERION_MET,
    NO_SPECIFIC_MATCH_HEADING,
    PRESENT_HEADING,
    SUGGESTED_HEADING,
    UNEXPLAINED_HEADING,
    AnalysisResult,
    FeatureMatch,
    Hypothesis,
    VariantEvidence,
    conflicts_summary,
    frequency_words,
    modes_text,
    most_serious_first,
    needs_checking,
    no_specific_match_note,
    score_text,
    shown_alleles,
    sources_shown,
    version_name,
)
from .figures import (
    INK,
    MONO,
    MUTED,
    OI_BLUE,
    REPLACEMENT,
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    MatrixRows,
    can_print,
    contribution_bars,
    contribution_drawing,
    draw_text,
    fit_middle,
    font_runs,
    has_rtl,
    isolate,
    match_matrix,
    matrix_legend,
    max_columns,
    register_fonts,
    text_width,
)
from .paths import write_private

PAGE_SIZES = {"A4": A4, "LETTER": letter}
MARGIN = 18 * mm
DISCLAIMER = (
    "Decision support, not a diagnosis. RareTrace ranks hypotheses from the features and variants entered; a "
    "diagnosis needs a clinician's evaluation and, where indicated, confirmatory laboratory testing and genetic "
    "counselling."
)
STALE_WARNING = (
    "Out of date: the case was edited after this analysis. The ranking below is that of the features marked "
    "'Analysed: yes'; analyse the case again for a report of its current state."
)
SOURCES = (
    "Sources: the Human Phenotype Ontology (HPO) and its disease annotations of the release above (hpo.jax.org; "
    "diseases as OMIM, Orphanet and DECIPHER identifiers, with the PMIDs behind each annotation); similar published "
    "cases and variants reported causal from GA4GH phenopacket-store (Monarch Initiative, CC BY 4.0), each cited by "
    "its PMID; gene models GENCODE (via the SpliceAI package), their coding bounds from GENCODE release 19; "
    "protein changes and the conservation of residues among homologous proteins from UniProtKB/Swiss-Prot release "
    "2014_01 (The UniProt Consortium, CC BY 4.0); population frequencies, where the VCF gives none, 1000 Genomes "
    "phase 3 at 23,770 exome sites (via the peddy package)."
)
LIMITATIONS = (
    "The ranking is only as complete as the recorded features: absent or imprecise features lower the rank of the "
    "correct diagnosis, and features recorded as excluded count against diseases that usually have them.",
    "Disease knowledge comes from the HPO annotations and the published cases of the release named under Method; "
    "diseases described later, or with few published patients, may be missing or under-ranked.",
    "Scores are comparable only within this analysis; they are not probabilities of disease in the population.",
    "Variant evidence uses ACMG/AMP-style criteria computed from the data available offline; it is not a "
    "laboratory classification. A phenotype-only analysis cannot assess genotype or inheritance.",
    "Similar published cases share features with this patient; they do not confirm a diagnosis.",
)
# What the numbers of the ranking and the evidence mean, printed where the ranking starts: a score read as the
# probability of a diagnosis would overstate it (the model compares only the diseases it knows, on what was recorded).
SCORES_EXPLAINED = (
    "Reading the scores: a disease's score is its share of the ranking model's posterior, which adds up to 1 over "
    "all the diseases of the knowledge base. It says how much better this disease explains the recorded features "
    "than the others do, not the probability that the patient has it: a disease the knowledge base lacks, or "
    "findings not recorded, are outside it. A top score well below 1, or several close scores, means no single "
    "hypothesis stands out."
)
GENE_SCORES_PHENOTYPE = (
    "A gene's score is the sum of the scores of its diseases (at most 1); where a disease's published patients name "
    "its genes, a gene fewer of them carried takes a smaller part of that disease's score (a note says how much)."
)
GENE_SCORES_VCF = (
    "A gene's score combines its diseases' scores with its candidate variants' pathogenicity and inheritance fit, "
    "shared out so that the genes' scores add up to 1. Pathogenicity (0-1), in the variant tables: the score the "
    "gene ranking gives a variant from its predicted effect and, where the VCF has them, its population frequency, "
    "ClinVar and in-silico scores (0 benign, 1 pathogenic); it is not an ACMG/AMP classification."
)
SIMILARITY_EXPLAINED = (
    "Similarity of a published case (0-1): the overlap of its features with the patient's, including their "
    "ancestors in the ontology, rarer (more informative) features weighing more; 1 is the same features."
)
RELATION_WORDS = {
    "exact": "exact",
    "patient_more_specific": "patient's feature is more specific",
    "disease_more_specific": "disease feature is more specific",
    "common_ancestor": "through a common ancestor",
    "unmatched": "not matched",
}


# -- text helpers


format_age = age_words  # the report's name for it


def age_text(result: AnalysisResult, case: Case | None) -> str:
    """The patient's age as the report and its preview print it: the analysis's age in words, else an age the
    phenopacket gives as an onset class or a gestational age ("childhood, by 5 years")."""
    if result.age or case is None or not (stage := encounter_stage(case)):
        return format_age(result.age)
    return stage[1]


def report_date(given: dt.date | None = None) -> dt.date:
    """The date printed on the report: the caller's, else SOURCE_DATE_EPOCH (reproducible builds), else today."""
    if given is not None:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


# -- styles


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=SANS, fontSize=8.5, leading=11, textColor=INK, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.2),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9.2),
        "tight": ParagraphStyle("tight", base, fontSize=6.8, leading=8.4),
        "cellb": ParagraphStyle("cellb", base, fontName=SANS_BOLD, fontSize=7.5, leading=9.2),
        "mono": ParagraphStyle("mono", base, fontName=MONO, fontSize=7, leading=9, wordWrap="CJK"),
        "head": ParagraphStyle("head", base, fontName=SANS_BOLD, fontSize=7.5, leading=9.2, textColor=colors.white),
        "title": ParagraphStyle("title", base, fontName=SANS_BOLD, fontSize=16, leading=20, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=9.5, leading=12, textColor=MUTED, spaceAfter=6),
        "h1": ParagraphStyle("h1", base, fontName=SANS_BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4,
                             textColor=OI_BLUE, keepWithNext=1),
        "h2": ParagraphStyle("h2", base, fontName=SANS_BOLD, fontSize=10, leading=13, spaceBefore=8, spaceAfter=3,
                             keepWithNext=1),
        "h3": ParagraphStyle("h3", base, fontName=SANS_BOLD, fontSize=8.5, leading=11, spaceBefore=6, spaceAfter=2,
                             keepWithNext=1),
        "para": ParagraphStyle("para", base, fontSize=7.5, leading=9.5, spaceBefore=4),
        "intro": ParagraphStyle("intro", base, fontSize=7.5, leading=9.5, spaceBefore=4, keepWithNext=1),
        # the line atop a page a hypothesis section continues on (_RunningSection)
        "continued": ParagraphStyle("continued", base, fontName=SANS_ITALIC, fontSize=7.5, leading=9.5,
                                    textColor=MUTED, spaceAfter=2),
        "note": ParagraphStyle("note", base, fontName=SANS_ITALIC, fontSize=7.5, leading=9.5, textColor=MUTED),
        "disclaimer": ParagraphStyle("disclaimer", base, fontName=SANS_BOLD, fontSize=9, leading=12,
                                     borderColor=INK, borderWidth=1, borderPadding=6, backColor=colors.HexColor("#FFF4E0"),
                                     leftIndent=6, rightIndent=6,  # the box on the margins
                                     spaceBefore=6, spaceAfter=10),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text, style)


def _warning(warning: str) -> str:
    """A warning as a Paragraph's text: one that questions the reading of the case led by a bold "Check:" (a word,
    so that it reads without colour too), as the GUI's banner and the preview mark it."""
    lead = f'<font color="{WARNING_INK}"><b>{CHECK_WORD}</b></font> ' if needs_checking(warning) else ""
    return lead + _e(warning)


def _e(text: object) -> str:
    """Text escaped for a Paragraph, its CJK runs (which the report font lacks) set in the fallback font."""
    text = str(text)
    if text.isascii():
        return escape(text)
    return "".join(escape(run) if font == SANS else f'<font face="{font}">{escape(run)}</font>'
                   for run, font in font_runs(text, SANS))


def _e_wrapped(text: object, style: ParagraphStyle, width: float) -> str:
    """_e of a typed field or note line that may hold right-to-left text: such text is broken into lines of the
    width here, in reading order, and each line set for display (set for display as a whole and then wrapped, a
    right-to-left run over two lines would print its end on the first)."""
    text = str(text)
    if not has_rtl(text):
        return _e(text)
    lines, line = [], ""
    for word in text.split(" "):
        longer = f"{line} {word}" if line else word
        if line and text_width(longer, style.fontName, style.fontSize) > width:
            lines.append(line)
            longer = word
        line = longer
    return "<br/>".join(_e(x) for x in [*lines, line])


WARNING_INK = "#7F1D1D"  # the word that marks a warning to check (the GUI's warning red)
RULE = colors.HexColor("#B0B0B0")  # the line under each row
SHADES = (colors.white, colors.HexColor("#F3F3F3"))  # every other row shaded
_TABLE_STYLE = (
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#3A3A3A")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("FONT", (0, 0), (-1, -1), SANS, 7.5),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
)


def _table(header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[float], st: dict,
           mono_cols: Sequence[int] = ()) -> Table:
    """A table whose cells wrap (Paragraphs), whose header repeats on each page and which never exceeds its widths."""
    data: list[list[object]] = [[_p(_e(h), st["head"]) for h in header]]
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if isinstance(value, Flowable):
                cells.append(value)
            else:
                cells.append(_p(_e(value) if value is not None else "", st["mono"] if i in mono_cols else st["cell"]))
        data.append(cells)
    t = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle([*_TABLE_STYLE, ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                           ("ROWBACKGROUNDS", (0, 1), (-1, -1), SHADES)]))
    return t


def _widen(widths: Sequence[float], col: int, donor: int, texts: Iterable[str], font: str, size: float,
           keep: float) -> list[float]:
    """`widths` with column `col` made wide enough for its longest word (a gene symbol, a case ID: never broken
    mid-word where there is room), the room taken from column `donor`, which keeps at least `keep` points."""
    out = list(widths)
    need = max((text_width(w, font, size) for t in texts for w in t.split()), default=0.0) + 6.5  # cell padding
    extra = min(need - out[col], out[donor] - keep)
    if extra > 0:
        out[col] += extra
        out[donor] -= extra
    return out


def _fields(pairs: Sequence[tuple[str, object]], width: float, st: dict, columns: int = 2) -> Table:
    """Label/value pairs laid out in columns (the case header)."""
    rows, row = [], []
    w = width / columns  # each value's column is w * 0.68 wide, less its padding
    for label, value in pairs:
        row += [_p(_e(label), st["cellb"]),
                value if isinstance(value, Flowable) else _p(_e_wrapped(value, st["cell"], w * 0.68 - 6), st["cell"])]
        if len(row) == 2 * columns:
            rows.append(row)
            row = []
    if row:
        rows.append(row + [""] * (2 * columns - len(row)))
    t = Table(rows, colWidths=[w * 0.32, w * 0.68] * columns, hAlign="LEFT")
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), SANS, 7.5),
        ("BOX", (0, 0), (-1, -1), 0.6, INK),
        ("LINEBELOW", (0, 0), (-1, -2), 0.3, colors.HexColor("#B0B0B0")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


# -- keeping headings with what follows them


class _KeepWithStart(KeepTogether):
    """The group reportlab makes of a keepWithNext heading (or headings) and the flowable after it: the headings stay
    with the START of that flowable, not all of it. reportlab's own KeepTogether moves the heading and the whole
    table to the next page when the table does not fit the rest of the page (a page left mostly blank); here a
    table (or the match matrix) that does not fit is split under its heading if its header and at least MIN_ROWS
    of its rows fit (a paragraph: at least two lines); otherwise, or when what follows cannot split (a figure), all
    of it moves on together. Each part of a table has its header row (repeatRows) and whole rows only."""

    # Two, not three: with three, a heading whose header and two rows fit moved on with its whole table and left up
    # to a quarter of the page blank (the demo's match matrix on A4, its candidate variants on Letter)
    MIN_ROWS = 2

    def split(self, avail_w, avail_h):
        *lead, last = self._content
        if lead and isinstance(last, (Table, Paragraph, _MatrixPart)):
            if getattr(self, "_wrapInfo", None) != (avail_w, avail_h):
                self.wrap(avail_w, avail_h)
            if avail_h < self._H:  # it does not fit here
                lead_h = _listWrapOn(lead, avail_w, self.canv)[1]
                gap = max(lead[-1].getSpaceAfter(), last.getSpaceBefore())
                room = avail_h - lead[0].getSpaceBefore() - lead_h - gap - 1
                if isinstance(last, _MatrixPart):
                    parts = last.split_keeping(room, self.MIN_ROWS) if room > 0 else []
                else:
                    parts = last.splitOn(self.canv, avail_w, room) if room > 0 else []
                if len(parts) > 1 and self._enough(last, parts[0]):
                    return lead + parts
        return super().split(avail_w, avail_h)

    @classmethod
    def _enough(cls, whole: Flowable, first: Flowable) -> bool:
        if isinstance(whole, Table):
            header = whole.repeatRows if isinstance(whole.repeatRows, int) else len(whole.repeatRows)
            body = len(whole._cellvalues) - header
            # never one row alone under a heading (a variant's facts and its criteria line are two); a table of two
            # rows is kept whole
            return len(first._cellvalues) - header >= min(cls.MIN_ROWS, body)
        # a Paragraph splits only where at least two lines stay (its style's allowOrphans=0), a matrix only where
        # its first part keeps MIN_ROWS rows (_MatrixPart.split_keeping)
        return True


class _MatrixPart(Flowable):
    """Rows [start, stop) of the phenotype-match matrix under its column labels, with the legend after them when
    `legend` is given (the last part). It splits between rows as a table does: the part that fits the room left
    and the rest (which keeps the legend), so a tall matrix starts where the text before it ends rather than on a
    new page, and the legend is never on a page without the matrix. Each part keeps at least MIN_ROWS rows (all
    of them, for a shorter matrix): no page starts or ends the matrix with a few stray rows."""

    MIN_ROWS = 3
    GAP = 8.0  # between the last rows and the legend

    def __init__(self, rows: MatrixRows, start: int, stop: int, legend: Drawing | None) -> None:
        super().__init__()
        self.rows, self.start, self.stop, self.legend = rows, start, stop, legend
        self.width = rows.width
        self.height = self._height(stop)

    def _height(self, stop: int) -> float:
        tail = self.GAP + self.legend.height if self.legend is not None and stop == self.stop else 0.0
        return self.rows.height(self.start, stop) + tail

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, avail_w: float, avail_h: float) -> list[Flowable]:
        return self.split_keeping(avail_h, self.MIN_ROWS)

    def split_keeping(self, avail_h: float, first_rows: int) -> list[Flowable]:
        """The part that fits `avail_h` with at least `first_rows` rows and the rest (which keeps MIN_ROWS rows and
        the legend), or [] when there is too little room. Under its heading (_KeepWithStart) the matrix's first part
        may keep as few rows as a table's under its heading: with three, the demo's matrix (its column labels alone
        122 pt) moved on whole from a page with room for its labels and two rows, leaving a third of it blank."""
        total = self.stop - self.start
        rest = min(self.MIN_ROWS, total)
        least = min(first_rows, total)
        cut = self.start
        for end in range(self.start + 1, self.stop - rest + 1):  # the rest keeps `rest` rows and the legend
            if self._height(end) > avail_h:
                break
            cut = end
        if cut - self.start < least:
            return []  # too little room here: the whole part goes to the next page
        return [_MatrixPart(self.rows, self.start, cut, None), _MatrixPart(self.rows, cut, self.stop, self.legend)]

    def draw(self) -> None:
        # the rows first, then the legend: the order a reader of the PDF's text (or a screen reader) meets them
        below = self.legend.height + self.GAP if self.legend is not None else 0.0
        self.rows.drawing(self.start, self.stop).drawOn(self.canv, 0, below)
        if self.legend is not None:
            self.legend.drawOn(self.canv, 0, 0)


class _RunningSection(Flowable):
    """Sets (or, with no line, clears) the line that opens each page a hypothesis section continues on: placed after
    the section's title and after its last part. reportlab sets a doc's page-top flowables at the start of every
    page; this sets them when it is drawn (where the layout places it), not when it is measured."""

    _ZEROSIZE = True  # placed even at the very foot of a full page, never moved on by itself
    locChanger = 1  # never grouped with a heading before it (keepWithNext)

    def __init__(self, line: Paragraph | None) -> None:
        super().__init__()
        self.line = line
        self.width = self.height = 0

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._doctemplate._pageTopFlowables = [self.line] if self.line is not None else []


# -- page furniture: header and "page X of Y" on every page


def _numbered_canvas(case_id: str, subject_id: str, date_text: str, page_width: float,
                     page_height: float) -> type[Canvas]:
    # one line drawn as it is (not a Paragraph): a tab or line break typed in an ID would print as a box
    case_id, subject_id = " ".join(case_id.split()), " ".join(subject_id.split())

    class NumberedCanvas(Canvas):
        """Keeps every page until the end so the footer can say 'page X of Y'."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            # the PDF's creation date is the printed one (invariant mode would say 2000-01-01): still reproducible
            self.setDateFormatter(lambda *_: f"D:{date_text.replace('-', '')}000000+00'00'")

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int) -> None:
            self.saveState()
            top = page_height - MARGIN + 6 * mm
            self.setFont(SANS_BOLD, 8)
            self.setFillColor(INK)
            # short, to leave the case and patient IDs their room: they are what identifies a loose page
            left = "RareTrace differential (decision support)"
            self.drawString(MARGIN, top, left)
            self.setFont(SANS, 8)
            room = page_width - 2 * MARGIN - text_width(left, SANS_BOLD, 8) - 12
            # the patient on every page (a loose page must still say whose it is), shortened only if it must be
            # (each ID isolated: its right-to-left text would take the separators and the date into its run)
            suffix = (f" · patient {isolate(subject_id)}" if subject_id else "") + f" · {date_text}"
            if text_width(f"Case {case_id}{suffix}", SANS, 8) > room and subject_id:
                suffix = f" · patient {isolate(fit_middle(subject_id, SANS, 8, room / 3))} · {date_text}"
            shown = fit_middle(case_id, SANS, 8, room - text_width(f"Case {suffix}", SANS, 8))
            draw_text(self, page_width - MARGIN, top, f"Case {isolate(shown)}{suffix}", SANS, 8, right=True)
            self.setStrokeColor(INK)
            self.setLineWidth(0.5)
            self.line(MARGIN, top - 3, page_width - MARGIN, top - 3)
            bottom = MARGIN - 9 * mm
            self.line(MARGIN, bottom + 9, page_width - MARGIN, bottom + 9)
            self.setFont(SANS, 7)
            self.setFillColor(MUTED)
            self.drawString(MARGIN, bottom, "Decision support, not a diagnosis.")
            self.setFillColor(INK)
            self.setFont(SANS, 8)
            self.drawRightString(page_width - MARGIN, bottom, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas


# -- sections


def _case_section(result: AnalysisResult, case: Case, st: dict, width: float, clinician: str, date_text: str) -> list:
    pairs = [
        ("Case ID", _printable(result.case_id)),
        ("Patient ID", _printable(case.subject_id) or NOT_RECORDED),
        ("Sex", result.sex_text),
        ("Age", age_text(result, case)),
        ("Report date", date_text),
        ("Clinician", _printable(clinician) or "_______________________"),
    ]
    return [_p("Case", st["h1"]), _fields(pairs, width, st)]


PRINTED_FIELD_CHARS = 300  # a field longer than this (a pasted document, not an ID) is shortened on the page


def _printable(text: str | None) -> str:
    """A typed field as the report prints it: whole up to PRINTED_FIELD_CHARS, else its start and end around "…"
    (a table cell cannot span pages, so a field of thousands of unbroken characters could not be laid out)."""
    text = text or ""
    if len(text) <= PRINTED_FIELD_CHARS:
        return text
    return f"{text[:200]} … {text[-60:]} ({len(text):,} characters)"


def _inputs_section(result: AnalysisResult, case: Case, st: dict, width: float, stale: bool = False) -> list:
    out: list = [_p("Inputs", st["h1"])]
    analysed = {t for t, _ in result.present} | {t for t, _ in result.excluded}
    labels = dict(result.present) | dict(result.excluded)
    onsets = onsets_as_analysed(case.phenotypes, result.replaced)  # (one entered with an alternative ID: the term's)
    replaced = dict(result.replaced)

    # the analysis says which present feature stands for each one it left out as implied; nothing else is noted
    covered = {term: (label, by) for term, label, by in result.covered}
    not_used = ("no: entered after this analysis, or replaced, unknown or implied by a more specific feature"
                if stale else "no: unknown, or implied by a present feature (see notes)")

    def rows(entered: Sequence, analysed_terms: Sequence[tuple[str, str]]) -> list[list[str]]:
        out_rows = []
        seen = set()
        for term, label in analysed_terms:
            seen.add(term)
            out_rows.append([term, label, onset_words(onsets.get(term)), "yes"])
        for p in entered:  # input terms the analysis did not use as given (alternative IDs, obsolete, ancestors)
            if p.id not in seen and p.id not in analysed:
                current = replaced.get(p.id, p.id)
                if current in analysed:
                    why = f"as {current}, its current ID"
                elif current in covered and not p.excluded:
                    by = covered[current][1]
                    why = f"no: implied by the more specific {labels.get(by, '')} ({by})"
                else:
                    why = not_used
                label = p.label or labels.get(current) or covered.get(current, ("",))[0]
                out_rows.append([p.id, label, onset_words(p.onset), why])
        return out_rows

    # the onset column holds "at 11 years 11 months" and most HPO onset classes ("Late first trimester onset") on one
    # line: at 0.12 of the width nearly every onset broke over two lines and doubled its row's height
    w = [width * 0.14, width * 0.46, width * 0.18, width * 0.22]
    present_rows = rows(case.present, result.present)
    excluded_rows = rows(case.excluded, result.excluded)
    header = ["HPO ID", "Feature", "Onset", "Analysed"]
    if not any(row[2] for row in present_rows + excluded_rows):
        # no feature has an onset (most cases): an empty column read as if onsets had been left out of the report
        header, w = ["HPO ID", "Feature", "Analysed"], [w[0], w[1] + w[2], w[3]]
        present_rows = [[r[0], r[1], r[3]] for r in present_rows]
        excluded_rows = [[r[0], r[1], r[3]] for r in excluded_rows]
    out.append(_p(f"{PRESENT_HEADING} ({len(present_rows)})", st["h3"]))
    out.append(_table(header, present_rows, w, st, mono_cols=(0,)) if present_rows
               else _p("None recorded.", st["note"]))
    out.append(_p(f"{EXCLUDED_HEADING} ({len(excluded_rows)})", st["h3"]))
    out.append(_table(header, excluded_rows, w, st, mono_cols=(0,)) if excluded_rows
               else _p("None recorded.", st["note"]))
    out.append(_p("Sequencing data", st["h3"]))
    if result.vcf is None:
        out.append(_p("No VCF: phenotype-only analysis (no variant or inheritance evidence).", st["note"]))
    else:
        v = result.vcf
        pairs = [
            ("VCF file", Path(v.path).name),
            ("Genome build", v.assembly),
            ("SHA-256", _p(_e(v.sha256), st["mono"])),
            ("Sample", v.sample),
            ("Records read", f"{v.records:,}"),
            ("Variant alleles kept", f"{v.variants_kept:,}"),
        ]
        if v.family:  # de novo calls, phase and segregation rest on these individuals and their status
            pairs += [("PED file", Path(v.ped).name if v.ped else "—"), ("Family read", v.family_text())]
        if v.parentage:
            pairs.append(("Parentage", v.parentage.removeprefix("parentage ")))
        out.append(_fields(pairs, width, st))
        if v.warnings:
            out.append(_p("VCF notes: " + "; ".join(_warning(w) for w in most_serious_first(v.warnings)), st["note"]))
    return out


def _method_section(result: AnalysisResult, st: dict, width: float) -> list:
    text = (
        "Each disease of the knowledge base is compared with the patient's present and excluded features: every "
        "present feature is matched to the disease's annotated features through their most informative common "
        "ancestor in the Human Phenotype Ontology (information content, IC, in nats), weighted by the annotated "
        "frequency; excluded features the disease usually has count against it; similarity to published patients "
        "and, with a VCF, variant and inheritance evidence are added. Each evidence group's contribution to the score "
        "is shown for every hypothesis, with the source annotations (PMID, OMIM, ORPHA) behind each match. "
        "Contributions are in log-odds units against an average disease, so they add up to the differences between "
        "hypotheses; a feature's own value (its log likelihood ratio) is on another scale and is shown only to rank "
        "the features within a hypothesis. The prior is what a disease's entry carries before any feature: how "
        "fully it is annotated, whether it is known only from published cases, and its source (DECIPHER entries, and Orphanet "
        "entries of a disease or gene an OMIM entry describes, rank below the OMIM entry, as published diagnoses use "
        "OMIM; Orphanet entries with no OMIM counterpart are scored as any disease). A feature annotated "
        "by several publications takes the largest frequency reported, shown with the publications that report it "
        "(their patient counts added where several report it: 1/1 and 2/2 are shown as 3/3). "
        "Evidence codes after the sources: " + "; ".join(f"{k} {v}" for k, v in EVIDENCE_CODES.items()) + "."
    )
    versions = dict(result.versions)
    versions.setdefault("device", result.device)
    rows = [[version_name(k), v] for k, v in versions.items()]
    return [
        _p("Method and versions", st["h1"]),
        _p(_e(text), st["body"]),
        _p(_e(SOURCES), st["small"]),
        Spacer(1, 4),
        # a few rows, kept whole: split, its last row or two stood under a repeated header on the next page
        KeepTogether(_table(["Component", "Version"], rows, [width * 0.3, width * 0.7], st)),
    ]


def _differential_table(hyps: Sequence[Hypothesis], st: dict, width: float) -> Table:
    genes_table = bool(hyps) and hyps[0].kind == "gene"
    rows = []
    for h in hyps:
        evidence = f"{len(h.matched)} / {len(h.unexplained)} / {len(h.conflicts) + len(h.negated)}"
        flags = " ".join(f"{FLAG_WORDS.get(f.level, f.level)}: {f.message}" for f in h.flags) or "—"  # sentences
        if genes_table:
            what = "; ".join(f"{lbl} ({i})" for i, lbl in h.diseases[:3])
            if len(h.diseases) > 3:
                what += f"; and {len(h.diseases) - 3} more"
            rows.append([str(h.rank), h.id, what, score_text(h.score), evidence, flags])
        else:
            rows.append([str(h.rank), h.id, h.label, h.genes_text(), score_text(h.score), evidence, flags])
    if genes_table:
        header = ["#", "Gene", "Associated diseases", "Score", "Matched / unexplained / conflicts", "Self-check"]
        w = [0.04, 0.10, 0.41, 0.07, 0.11, 0.27]
    else:
        header = ["#", "ID", "Disease", "Genes", "Score", "Matched / unexplained / conflicts", "Self-check"]
        w = [0.04, 0.13, 0.27, 0.11, 0.07, 0.11, 0.27]
    return _table(header, rows, [width * x for x in w], st, mono_cols=(1,))


def _figure_section(result: AnalysisResult, st: dict, width: float, top: int) -> list:
    n = min(top, len(result.diseases), max_columns(width))
    if n == 0 or not (result.present or result.excluded):
        return []
    m = match_matrix(result, n)
    intro: list = [
        _p("Phenotype-match matrix", st["h1"]),
        _p(_e(
            "Rows are the patient's features (present, then excluded); columns the top hypotheses by rank. "
            "Each cell shows how the feature relates to that diagnosis; darker means a more specific shared feature "
            "(or, for a conflict, a feature the disease more often has). The glyphs keep the states apart in "
            "black-and-white print."
        ), ParagraphStyle("matrix_intro", st["small"], keepWithNext=1, spaceAfter=4)),  # with the matrix's start
    ]
    # one flowable that splits between rows where the page ends, under the heading (a keepWithNext group)
    return [*intro, _MatrixPart(MatrixRows(m, width), 0, len(m.rows), matrix_legend(m, width))]


def _matched_table(matches: Sequence[FeatureMatch], st: dict, width: float) -> Table:
    rows = []
    for m in matches:
        how = RELATION_WORDS.get(m.relation, m.relation)
        if m.relation != "exact" and m.common_ancestor:
            how += f": {m.common_ancestor_label} ({m.common_ancestor})"
        if m.ruled_out:
            how += "; also ruled out by an excluded feature"
        rows.append([
            f"{m.patient_label} ({m.patient_term})",
            f"{m.disease_label} ({m.disease_term})" if m.disease_term else "",
            how,
            f"{m.ic:.2f}",
            frequency_words(m.frequency, m.frequency_text),
            sources_shown(m) or "—",
        ])
    w = [0.2, 0.2, 0.22, 0.06, 0.12, 0.2]
    return _table(["Patient feature", "Disease feature", "Shared feature", "IC", "Frequency", "References"],
                  rows, [width * x for x in w], st)


def _variant_rows(variants: Iterable[VariantEvidence]) -> list[list[str]]:
    """Each variant's facts, one cell a column of VARIANT_HEADER (its criteria: _criteria_markup)."""
    rows = []
    for v in variants:
        scores = ", ".join(f"{k} {val:g}" for k, val in sorted(v.scores.items()))
        af = v.population_af_text
        where = v.where  # as the VCF names the chromosome (1 or chr1)
        line = f"{v.record_line:,}" if v.record_line else ""
        rows.append([
            v.gene,
            f"{where}\n{shown_alleles(v.hgvs)}".strip(),  # an HGVS name may write out a large insertion
            v.consequence.replace("_", " "),
            v.genotype_text + (f" ({v.call})" if v.call else "") + (f", {v.origin_text}" if v.origin_text else ""),
            af,
            v.clinvar_text or "—",
            scores or "—",
            f"{v.pathogenicity:.2f}",
            "\n".join(x for x in (f"FILTER {v.filter}" if v.filter else "", f"line {line}" if line else "") if x),
        ])
    return rows


def _criteria_markup(v: VariantEvidence) -> str:
    """The ACMG/AMP criteria a variant meets, as the line under its row prints them: each code in bold, as the
    separator between criteria (a value may hold "; " itself: BS4 names each affected non-carrier)."""
    met = " · ".join(f"<b>{_e(c.code)}</b> ({_e(c.strength.replace('_', ' '))}): {_e(c.value)}" for c in v.criteria)
    return f'<font color="{MUTED.hexval().replace("0x", "#")}">ACMG/AMP criteria:</font> {met or NO_CRITERION_MET}'


# Column widths hold each header's longest word and the longest words of the columns' vocabularies (no word is
# broken, on A4 or Letter): "Pathogenicity", "heterozygous", "inconsistency:", "synonymous", ClinVar's
# "interpretations", a VCF line number "12,345,678"; the variant column a coordinate and most transcripts' HGVS
# whole. The gene and scores columns widen for a longer symbol or predictor's name (_variant_table). The ACMG/AMP
# criteria print on a line of their own under each variant's row, across the table: in a column of their own a
# family's PP1 (every affected carrier and its meioses) or a PP5's PMIDs printed a word or two a line.
VARIANT_HEADER = ["Gene", "Variant", "Effect", "Genotype", "Population AF", "ClinVar", "Scores",
                  "Pathogenicity (0-1)", "VCF record"]
VARIANT_WIDTHS = [0.065, 0.246, 0.092, 0.104, 0.10, 0.105, 0.085, 0.12, 0.083]


def _break_at_underscores(text: str, room: float, font: str, size: float) -> str:
    """`text` with each word wider than `room` broken before an underscore ("BayesDel" over "_noAF=0.31;"), the
    last one whose part before it fits: reportlab breaks a word too wide between any two letters, and "BayesDe"
    over "l_noAF" reads as no predictor's name. The table has no room for every predictor's name whole."""
    out = []
    for word in text.split(" "):
        parts = []
        while "_" in word[1:] and text_width(word, font, size) > room:
            cuts = [i for i, c in enumerate(word) if c == "_" and i]
            cut = max((i for i in cuts if text_width(word[:i], font, size) <= room), default=cuts[0])
            parts.append(word[:cut])
            word = word[cut:]
        out.append("\n".join([*parts, word]))
    return " ".join(out)


def _break_hgvs(text: str, room: float, font: str, size: float) -> str:
    """`text` with each word wider than `room` (an HGVS name) broken where it reads: after the transcript's ":"
    ("ENST00000357618.5:" over "c.845G>A"), else at a number's edge ("c.845_850" over "delinsGGTACC"), else
    between letters (a long allele), never inside a number nor after "NM_"; each time at the last such point whose
    part fits. reportlab breaks a word too wide between any two characters: "ENSP0000035016" over "6.5:p.Lys282"
    reads as other numbers."""
    def number(c: str) -> bool:
        return c.isdigit() or c in ".,"

    out = []
    for word in text.replace("\n", "\n ").split(" "):  # a line's last word ends at its line break
        parts = []
        while text_width(word.rstrip("\n"), font, size) > room:
            ok = [i for i in range(1, len(word)) if not (number(word[i - 1]) and number(word[i]))
                  and word[i - 1] not in "_(>" and word[i] not in ":),;>"]
            fits = [i for i in ok if text_width(word[:i], font, size) <= room]
            tiers = ([i for i in fits if word[i - 1] == ":"],
                     [i for i in fits if word[i - 1].isdigit() != word[i].isdigit()], fits)
            cut = next((max(tier) for tier in tiers if tier), 0)
            if not cut:
                break  # no sensible point fits: reportlab breaks it
            parts.append(word[:cut])
            word = word[cut:]
        out.append("\n".join([*parts, word]))
    return " ".join(out).replace("\n ", "\n")


def _variant_table(variants: Sequence[VariantEvidence], st: dict, width: float) -> Table:
    """One row of facts per variant and, under it, its criteria across the table (from the variant column: the
    gene column stays an index); each variant's rows shaded alike, a line under the pair."""
    rows = _variant_rows(variants)
    font, size = st["tight"].fontName, st["tight"].fontSize
    widths = _widen([width * x for x in VARIANT_WIDTHS], 0, 1, (r[0] for r in rows), font, size, keep=width * 0.2)
    # the predictors' names at least up to their underscore ("BayesDel"), as _break_at_underscores breaks them
    widths = _widen(widths, 6, 1, (r[6].replace("_", " _") for r in rows), font, size, keep=width * 0.2)
    # a line break inside a cell: Paragraph needs <br/>; predictors' names are in the scores column, HGVS names
    # in the variant column
    data: list[list[object]] = [[_p(_e(h), st["head"]) for h in VARIANT_HEADER]]
    style: list[tuple] = list(_TABLE_STYLE)
    across = sum(widths[1:]) - 6  # the criteria's width, less the cell's padding
    for n, (v, r) in enumerate(zip(variants, rows, strict=True)):
        top = len(data)
        breaks = {1: _break_hgvs, 6: _break_at_underscores}  # the variant and the scores columns
        data.append([_p("<br/>".join(_e(x) for x in (breaks[i](str(c), w - 6.5, font, size) if i in breaks
                                                     else str(c)).split("\n")), st["tight"])
                     for i, (c, w) in enumerate(zip(r, widths, strict=True))])
        data += [["", part] + [""] * (len(widths) - 2)
                 for part in _parts(_p(_criteria_markup(v), st["tight"]), across, CRITERIA_ROW_MOST)]
        last = len(data) - 1
        style += [*(("SPAN", (1, k), (-1, k)) for k in range(top + 1, last + 1)),
                  ("TOPPADDING", (0, top + 1), (-1, last), 0),
                  *([("BOTTOMPADDING", (0, top + 1), (-1, last - 1), 0)] if last > top + 1 else []),
                  ("NOSPLIT", (0, top), (-1, top + 1)),  # a variant's row never on a page without its criteria
                  ("BACKGROUND", (0, top), (-1, last), SHADES[n % 2]), ("LINEBELOW", (0, last), (-1, last), 0.3, RULE)]
    # Pages break between rows only. reportlab's split within a row (splitInRow) split whichever row a page ended
    # in, its start under the header row repeated in the middle of the page; and it splits a cell spanning columns
    # as if it were one column wide. A criteria line taller than CRITERIA_ROW_MOST (a large family's PP1) is
    # printed as several rows instead, which may go on over pages.
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


CRITERIA_ROW_MOST = 100.0  # points: a variant's row and its criteria's first part always fit a page, A4 or Letter


def _parts(para: Paragraph, width: float, most: float) -> list[Paragraph]:
    """`para` as consecutive paragraphs `width` wide, each at most `most` high (split between its lines)."""
    parts: list[Paragraph] = []
    while para.wrap(width, most)[1] > most:
        pieces = para.split(width, most)
        if len(pieces) < 2:
            break
        parts.append(pieces[0])
        para = pieces[1]
    return [*parts, para]


def _hypothesis_section(h: Hypothesis, st: dict, width: float, bar_scale: float, lead: Sequence = (),
                        legend: str = "") -> list:
    """`lead`: flowables that go with the start of the section (the heading of the sections that follow); `legend`:
    what the contribution groups contain, printed under the bars (the first section's)."""
    title = section_title(h)
    facts = [f"score {score_text(h.score)}"]
    if h.genes and h.kind == "disease":
        facts.append("genes " + ", ".join(h.genes))
    if h.inheritance_modes:
        facts.append("inheritance: " + modes_text(h.inheritance_modes))  # "autosomal dominant", said once
    if h.source == "case_library":
        facts.append("profile from published cases only")
    head: list = [_p(_e(title), st["h2"]), _p(_e(" · ".join(facts)), st["small"])]
    if h.kind == "gene" and h.diseases:
        head.append(_p("Diseases: " + _e("; ".join(f"{i} {lbl}" for i, lbl in h.diseases)), st["small"]))
    if h.clinical_course:
        head.append(_p("Clinical course (HPO): " + _e(h.course_summary()), st["small"]))
    flags = [
        _p(f"<b>{FLAG_WORDS.get(f.level, f.level)}:</b> {_e(f.message)}", st["body"]) for f in h.flags
    ] or [_p("Self-check: no concerns raised.", st["small"])]
    bars = contribution_drawing(contribution_bars(h), width * 0.55, scale=bar_scale)
    side = Table([[flags, bars]], colWidths=[width * 0.43, width * 0.57], hAlign="LEFT", spaceBefore=3)
    side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), SANS, 7.5), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))
    # A section starts on a new page only when less than 120 pt are left; its title stays with its facts (score,
    # genes, course) and the headings leading to it, never alone. The self-check and bars (90-120 pt) and the
    # bars' legend (110 pt) follow on the next page when they do not fit: kept with the title, they moved the whole
    # block on and left up to 150 pt of a page blank (the demo's first disease and first gene sections).
    # A page the section runs on to opens with its title and "continued": its tables and bars otherwise name no
    # hypothesis (set after the title, so not on the title's page; cleared after the section's last part)
    out: list = [CondPageBreak(120), KeepTogether([*lead, *head]),
                 _RunningSection(_p(_e(continued_line(h)), st["continued"])), side]
    if legend:
        out.append(_p(legend, st["small"]))
    out.append(_p(f"Matched features ({len(h.matched)})", st["h3"]))
    out.append(_matched_table(h.matched, st, width) if h.matched else _p("None.", st["note"]))
    if h.unexplained:
        text = ", ".join(f"{m.patient_label} ({m.patient_term})" for m in h.unexplained)
        out.append(_p(f"<b>{UNEXPLAINED_HEADING} ({len(h.unexplained)}):</b> {_e(text)}", st["para"]))
    if h.conflicts:
        out.append(_p(f"{CONFLICTS_HEADING} ({len(h.conflicts)})", st["h3"]))
        out.append(_p(_e(conflicts_summary(h)), st["intro"]))  # what the count counts, beside the warning's few
        rows = [[f"{c.patient_label} ({c.patient_term})", f"{c.disease_label} ({c.disease_term})",
                 frequency_words(c.frequency, c.frequency_text), sources_shown(c) or "—"] for c in h.conflicts]
        out.append(_table(["Excluded feature", "Disease feature", "Frequency", "References"], rows,
                          [width * x for x in (0.28, 0.32, 0.16, 0.24)], st))
    if h.negated:
        out.append(_p(f"{NEGATED_HEADING} ({len(h.negated)})",
                      st["h3"]))
        rows = [[f"{c.patient_label} ({c.patient_term})", f"not {c.disease_label} ({c.disease_term})", c.source_text,
                 sources_shown(c) or "—"] for c in h.negated]
        out.append(_table(["Present feature", "Disease annotation", "How it is known", "References"], rows,
                          [width * x for x in (0.28, 0.32, 0.16, 0.24)], st))
    if h.suggested:
        out.append(_p(SUGGESTED_HEADING, st["h3"]))
        rows = [[f"{s.label} ({s.term})", frequency_words(s.frequency, s.frequency_text), sources_shown(s) or "—"]
                for s in h.suggested]
        out.append(_table(["Feature", "Frequency", "References"], rows, [width * x for x in (0.5, 0.2, 0.3)], st))
    if h.inheritance is not None:
        fit = h.inheritance
        verdict = fit.verdict
        modes = modes_text(fit.modes) or "not annotated"
        said = fit.explanation[:1].upper() + fit.explanation[1:]  # a sentence here, after the genotype's
        said += "" if said.endswith((".", "?", "!")) else "."  # and ended as one: the references' line follows
        out.append(_p(
            f"<b>Inheritance fit:</b> {verdict}. Modes: {_e(modes)}. Genotype: {_e(fit.genotype_summary)}. "
            f"{_e(said)}", st["para"]))
    if h.variants:
        out.append(_p(f"Candidate variants ({len(h.variants)})", st["h3"]))
        out.append(_variant_table(h.variants, st, width))
    if h.similar_cases:
        out.append(_p(f"Similar published cases ({len(h.similar_cases)})", st["h3"]))
        out.append(_p(_e(h.published_summary()) + ".", st["intro"]))
        rows = [[s.case_id, s.pmid, f"{s.disease_label} ({s.disease_id})", s.gene or "—", f"{s.similarity:.2f}",
                 s.shared_text() or "—"] for s in h.similar_cases]
        widths = _widen([width * x for x in (0.16, 0.13, 0.22, 0.08, 0.09, 0.32)], 0, 5, (r[0] for r in rows),
                        st["cell"].fontName, st["cell"].fontSize, keep=width * 0.2)
        out.append(_table(["Case", "PMID", "Diagnosis", "Gene", "Similarity", "Shared features"], rows, widths, st))
    refs = _references(h)
    if refs:
        out.append(_p(f"<b>References cited for this hypothesis:</b> {_e(', '.join(refs))}", st["para"]))
    out.append(_RunningSection(None))
    return out


def section_title(h: Hypothesis) -> str:
    """A hypothesis section's title: "3. Kabuki syndrome 1 (OMIM:147920)", a gene's "1. KMT2D"."""
    return f"{h.rank}. {h.label} ({h.id})" if h.kind == "disease" else f"{h.rank}. {h.id}"


def continued_line(h: Hypothesis) -> str:
    """The line atop each further page of a hypothesis section: "3. Kabuki syndrome 1 (OMIM:147920), continued"
    (with the ID: the demo lists an OMIM and an Orphanet Kabuki syndrome)."""
    return f"{section_title(h)}, continued"


def contributions_legend(hyps: Sequence[Hypothesis]) -> str:
    """What each contribution group drawn for `hyps` contains, as markup for one paragraph (CONTRIBUTION_MEANINGS,
    the GUI's tooltips): "<b>Score contributions</b> ...: <b>phenotype match</b>: how well ...; <b>prior</b>: ..."."""
    drawn = {b.group for h in hyps for b in contribution_bars(h)}
    said = [f"<b>{_e(group)}</b>: {_e(meaning)}" for group, meaning in CONTRIBUTION_MEANINGS.items() if group in drawn]
    return f"<b>What the score contributions contain</b> (log-odds): {'; '.join(said)}." if said else ""


def _references(h: Hypothesis) -> list[str]:
    refs: list[str] = []
    # the clinical course's too: its line names only a few per class
    for items in (h.matched, h.conflicts, h.negated, h.suggested, h.clinical_course):
        for x in items:
            refs.extend(r for r in x.references if r not in refs)
    refs.extend(s.pmid for s in h.similar_cases if s.pmid and s.pmid not in refs)
    return refs


GENE_SECTIONS_HEADING = "Evidence for each candidate gene not shown above"


def genes_with_own_section(diseases: Sequence[Hypothesis], genes: Sequence[Hypothesis]) -> list[Hypothesis]:
    """The listed genes whose evidence the listed diseases' sections do not show, in rank order: the report and its
    preview give each its own section. A gene's phenotype evidence is its best disease's, and a disease section
    shows its gene's variants: a gene needs its own only when neither is shown (so every listed gene's evidence is
    in the report), or when the gene's inheritance fit is not its disease's (BRCA1 scored as dominant on one
    variant, its printed Fanconi anaemia as recessive on two)."""
    printed = {h.id: h for h in diseases}
    variants_shown = {v.gene for h in diseases for v in h.variants}

    def other_fit(g: Hypothesis) -> bool:
        shown = printed[g.diseases[0][0]].inheritance
        return g.inheritance is not None and g.inheritance.compatible is not None and (
            shown is None or (shown.compatible, shown.explanation) != (g.inheritance.compatible, g.inheritance.explanation))

    return [g for g in genes if (g.diseases and g.diseases[0][0] not in printed)
            or (g.variants and g.id not in variants_shown) or (g.diseases and other_fit(g))]  # fmt: skip


def _all_variants(hyps: Iterable[Hypothesis]) -> list[VariantEvidence]:
    seen, out = set(), []
    for h in hyps:
        for v in h.variants:
            key = (v.chrom, v.pos, v.ref, v.alt, v.gene)
            if key not in seen:
                seen.add(key)
                out.append(v)
    return out


def _printable_note(line: str) -> str:
    """A line of the note as printed: a run of unbroken characters longer than a line could not be laid out."""
    return " ".join(w if len(w) <= 80 else " ".join(w[i : i + 80] for i in range(0, len(w), 80)) for w in line.split(" "))


def _story(result: AnalysisResult, case: Case, st: dict, width: float, top: int, clinician: str,
           date_text: str, stale: bool = False, note: str = "") -> list:
    story: list = [
        _p("Rare-disease differential diagnosis report", st["title"]),
        # what produced the ranking, on the first page (a long feature list pushes "Method and versions" on)
        _p(_e(" · ".join([f"RareTrace {result.versions.get('raretrace', __version__)}",
                          f"HPO release {result.versions.get('hpo_release', 'unknown')}",
                          *([f"disease ranking model {result.versions['disease_ranker']}"]  # as the table names it
                            if result.versions.get("disease_ranker") else []),
                          f"device {result.versions.get('device', result.device)}"])), st["subtitle"]),
        _p(_e(DISCLAIMER), st["disclaimer"]),
    ]
    if stale:
        story.append(_p(_e(STALE_WARNING), st["disclaimer"]))
    story += _case_section(result, case, st, width, clinician, date_text)
    story += _inputs_section(result, case, st, width, stale)
    shown = set(result.vcf.warnings) if result.vcf else set()  # already listed under "VCF notes"
    notes = [w for w in most_serious_first(result.warnings) if w not in shown]  # as the GUI's banner orders them
    if notes:  # next to the inputs they are about (unknown or obsolete IDs, the release's age)
        story += [_p("Notes on the input", st["h3"])] + [_p("• " + _warning(n), st["small"]) for n in notes]
    story += _method_section(result, st, width)
    diseases = result.diseases[:top]
    genes = result.genes[:top]
    story += [CondPageBreak(150), _p(DIFFERENTIAL_HEADING.format(n=len(diseases)), st["h1"])]
    nothing = no_specific_match_note(result)
    if nothing:  # for the ranking as a whole, before its rows each say it for themselves
        story.append(_p(f"<b>{NO_SPECIFIC_MATCH_HEADING}</b> {_e(nothing)}", st["disclaimer"]))
    if diseases:
        meaning = [SCORES_EXPLAINED, GENE_SCORES_VCF if result.vcf is not None else GENE_SCORES_PHENOTYPE]
        if any(h.similar_cases for h in (*diseases, *genes)):
            meaning.append(SIMILARITY_EXPLAINED)
        story.append(_p(_e(" ".join(meaning)), st["intro"]))
    story.append(_differential_table(diseases, st, width) if diseases else _p("No diagnosis ranked.", st["note"]))
    if genes:
        story += [_p(CANDIDATE_GENES_HEADING.format(n=len(genes)), st["h2"]), _differential_table(genes, st, width)]
    variants = _all_variants(list(diseases) + list(genes))
    story.append(_p("Candidate variants", st["h2"]))
    if variants:
        story.append(_variant_table(variants, st, width))
    elif result.vcf is None:
        story.append(_p("No VCF was given: no variant evidence.", st["note"]))
    else:
        story.append(_p("No candidate variant in the genes of the top hypotheses.", st["note"]))
    story += _figure_section(result, st, width, top)
    bar_scale = max((abs(c.value) for h in diseases for c in h.contributions), default=1.0)
    own = genes_with_own_section(diseases, genes)
    legend = contributions_legend([*diseases, *own])  # once, under the first section's bars
    if diseases:
        lead = [_p("Evidence for each hypothesis", st["h1"])]
        for h in diseases:
            story += _hypothesis_section(h, st, width, bar_scale, lead, legend)
            lead, legend = [], ""
    if own:
        lead = [_p(GENE_SECTIONS_HEADING, st["h1"])]
        gene_scale = max((abs(c.value) for g in own for c in g.contributions), default=1.0)
        for g in own:
            story += _hypothesis_section(g, st, width, gene_scale, lead, legend)
            lead, legend = [], ""
    if note and note.strip():  # the clinician's own words, as the preview shows them
        story += [CondPageBreak(120), _p("Clinical note", st["h1"])]
        story += [_p(_e_wrapped(_printable_note(line), st["body"], width) or "&nbsp;", st["body"])
                  for line in note.strip().splitlines()]
    story += [CondPageBreak(180), _p("Limitations", st["h1"])]
    story += [_p("• " + _e(x), st["body"]) for x in LIMITATIONS]
    story.append(_p(_e(DISCLAIMER), st["disclaimer"]))
    return story


def unprintable_fields_warning(case_id: str, subject_id: str, clinician: str, note: str = "") -> str | None:
    """The warning to give when the report cannot print typed text as it reads: characters of the case ID, patient
    ID, clinician or clinical note that neither its font nor the CJK fallback font has (emoji, for one: each prints
    as figures.REPLACEMENT). None when all prints as typed (right-to-left text too: figures.visual sets it)."""
    fields, chars = [], []
    for name, text in (("case ID", case_id), ("patient ID", subject_id), ("clinician", clinician),
                       ("clinical note", note)):
        lacking = [c for c in text or "" if not can_print(c)]
        if lacking:
            fields.append(name)
            chars += lacking
    if not chars:
        return None
    return (f"the report font cannot print {len(chars)} character(s) of the {'/'.join(fields)} ({_sample(chars)}): "
            f"each prints as {REPLACEMENT} (U+FFFD)")


def _sample(chars: list[str]) -> str:
    shown = "".join(dict.fromkeys(chars))
    return shown if len(shown) <= 12 else shown[:12] + "…"


def render_report(
    result: AnalysisResult,
    case: Case,
    out: Path | str,
    *,
    page_size: str = "A4",
    top: int = 10,
    clinician: str = "",
    date: dt.date | None = None,
    stale: bool = False,
    note: str | None = None,
) -> Path:
    """Write the PDF report of an analysis; returns its path. page_size: "A4" or "Letter".

    `stale`: the case was edited after this analysis (the GUI exports what was analysed and says so). `note`: the
    clinical note to print (default: the one stored with the case)."""
    size = PAGE_SIZES.get(page_size.upper())
    if size is None:
        raise RareTraceError(f"unknown page size {page_size!r}; use A4 or Letter")
    if top < 1:
        raise RareTraceError("--top must be at least 1")
    out = Path(out)
    if out.parent and not out.parent.exists():
        raise RareTraceError(f"cannot write the report: folder {out.parent} does not exist")
    st = _styles()
    date_text = report_date(date).isoformat()
    page_w, page_h = size
    width, height = page_w - 2 * MARGIN, page_h - 2 * MARGIN
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=f"RareTrace report — case {result.case_id}", author=f"RareTrace {__version__}",
        subject="Rare-disease differential diagnosis (decision support, not a diagnosis)",
        creator=f"RareTrace {__version__}", producer=f"RareTrace {__version__} (reportlab)", invariant=1,
        lang="en", initialFontName=SANS, initialFontSize=8.5, initialLeading=11, keepTogetherClass=_KeepWithStart,
    )
    # the body spans the margins exactly, as the running header and the tables and figures (drawn `width` wide)
    frame = Frame(MARGIN, MARGIN, width, height, leftPadding=0, rightPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    if note is None:  # the note typed with the case travels in its phenopacket
        note = kept_text(case, NOTE_KEY)
    story = _story(result, case, st, width, top, clinician, date_text, stale, note)
    try:
        doc.build(story, canvasmaker=_numbered_canvas(result.case_id, case.subject_id, date_text, page_w, page_h))
    except LayoutError as exc:  # an input too large for a page (one cell taller than the page); nothing is written
        raise RareTraceError(f"cannot lay out the report: a part of the case is too large for one page "
                             f"({str(exc).splitlines()[0][:80]}); shorten it and try again") from exc
    # Patient data: readable by this user only; written beside the target and renamed, so a reader never sees
    # half a report. The temporary file is a new one (O_EXCL, a random name): a file or link already at its name
    # (another account's, in a shared folder) is never opened and written through.
    try:
        write_private(out, buffer.getvalue())
    except OSError as exc:
        raise RareTraceError(f"cannot write the report to {out}: {exc.strerror or exc}") from exc
    return out
