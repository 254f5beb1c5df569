"""HTML for the evidence chain of a hypothesis and for the report preview (shown in QTextBrowser).

It only formats the evidence objects of raretrace.evidence, the same ones the PDF report renders; it computes
nothing. Links (`evidence:…`) let the window jump to a feature, a variant or a published case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from ..case import Case
from ..evidence import (
    CANDIDATE_GENES_HEADING,
    CHECK_WORD,
    CONFLICTS_HEADING,
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
    ExcludedConflict,
    FeatureMatch,
    Flag,
    Hypothesis,
    NegatedConflict,
    SuggestedFeature,
    VariantEvidence,
    conflicts_summary,
    frequency_words,
    modes_text,
    most_serious_first,
    needs_checking,
    no_specific_match_note,
    score_text,
    sources_shown,
    version_name,
)
from ..words import counted

LLR_NOTE = ("LLR: log likelihood ratio, how much more likely the patient's feature is with this disease than "
            "without it (+2.3 is 10 times as likely; 0 no support; negative counts against it).")
# A feature "not explained" may still count a little for a disease: its best match is an ancestor too general to
# explain it (ranking.MIN_MATCH_IC), such as "Abnormality of the face", which the disease's annotations make likelier.
UNEXPLAINED_POSITIVE_NOTE = ("A positive LLR here comes through an ancestor too general to count as an explanation "
                             "(e.g. Abnormality of the face), which the disease's annotations still make a little "
                             "more likely; it is counted in the score as shown.")
FLAG_STYLE = {  # symbol + word (evidence.FLAG_WORDS) + colour, so the level reads without colour too
    "info": ("ℹ", FLAG_WORDS["info"], "#1f4e79", "#e8f1fb"),
    "caution": ("▲", FLAG_WORDS["caution"], "#7a4b00", "#fff4d6"),
    "warning": ("✖", FLAG_WORDS["warning"], "#7f1d1d", "#fde8e8"),
}
RELATION_WORDS = {
    "exact": "exact annotation",
    "patient_more_specific": "patient's term is more specific",
    "disease_more_specific": "disease's term is more specific",
    "common_ancestor": "related through a common ancestor",
    "unmatched": "not annotated",
}

CSS = """
body { font-family: sans-serif; }
h2 { margin: 2px 0 4px 0; }
h3 { margin: 10px 0 3px 0; color: #333; }
table { border-collapse: collapse; }
td, th { padding: 2px 6px; vertical-align: top; }
th { text-align: left; background: #eef0f3; }
.muted { color: #555; }
.flag { padding: 4px 6px; margin: 2px 0; }
.num { text-align: right; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.criteria { margin: 0 0 4px 0; padding: 2px 6px; }
.nomatch { background: #fff4e0; padding: 4px 6px; }
"""
# A narrow pane (about 250 px at 13 pt on a 1024-px screen, beside the ranked lists) has no room for a table's
# columns: Qt squeezed them to a few letters and broke the words ("Pat/ien/t fea/tur/e", "+1./13"). There each row is
# stacked (its first cell on a line of its own, then each other cell under it after its header) and the title is a
# size smaller, so that a disease's name breaks between words only.
NARROW_CSS = "h2 { font-size: large; }"
# Where a sequence or an HGVS name may break in a narrow pane (breaking only between words, it would run off the
# pane's edge): a zero-width space, which the pane takes out of what is copied
BREAK = "\u200b"
# Unicode allows a break before "(" after "p." (UAX #14), so an HGVS protein name wrapped as "p." over "(Tyr340Cys)":
# a word joiner holds them together, and is taken out of what is copied as the break points are
JOIN = "\u2060"
SEQUENCE_RUN = 10
# Qt lays a table of width 100% out a pixel or two wider than the page at many widths (it rounds the column widths
# up): the evidence pane would scroll sideways for nothing. 99% leaves room for that rounding.
TABLE_WIDTH = "99%"
# The variant tables' short headers and what they stand for, shown on hover (here and on the Genomics tab)
VARIANT_HEADERS = {
    "Pop. AF": "Population allele frequency (from the VCF's annotation, or the bundled 1000 Genomes sites)",
    "ACMG": "ACMG/AMP criteria the variant meets, with the evidence behind each",
    "Path.": "Pathogenicity: the variant's score from 0 (benign) to 1 (pathogenic) used to rank the genes",
}
# A header cut short for a column's width, said whole where a stacked row has the room
STACKED_HEADERS = {"Path.": "Pathogenicity"}
# The evidence pane is ~650 pixels wide at 1366x768: six columns, in shares of the width that keep a coordinate, an
# HGVS transcript and "heterozygous" whole (Qt would give each column the same share and break the wordy ones); the
# ACMG criteria take a line of their own under each variant.
VARIANT_COLUMNS = (("Variant", 19), ("Gene, effect", 25), ("Genotype", 17), ("Pop. AF", 14), ("ClinVar", 16),
                   ("Path.", 9))
SHORT_ALLELES = 12  # REF and ALT longer than this together: the coordinate and the alleles go on lines of their own


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _freq(frequency: float | None, text: str) -> str:
    return _e(frequency_words(frequency, text))


def _refs(item: FeatureMatch | ExcludedConflict | NegatedConflict | SuggestedFeature) -> str:
    return _e(sources_shown(item))  # as the PDF's tables show them


def flag_text(hyp: Hypothesis) -> str:
    """The self-check flags in a few characters, by level ("✖1 ▲1"), for tables."""
    return " ".join(f"{FLAG_STYLE[level][0]}{n}" for level, n in hyp.flag_counts())


def flag_label(flag: Flag) -> str:
    """The level as symbol and word ("ℹ Note"), as the evidence pane heads each flag."""
    sym, word, _fg, _bg = FLAG_STYLE.get(flag.level, FLAG_STYLE["info"])
    return f"{sym} {word}"


def flags_html(hyp: Hypothesis) -> str:
    rows = []
    for flag in hyp.flags:
        _sym, _word, fg, bg = FLAG_STYLE.get(flag.level, FLAG_STYLE["info"])
        rows.append(
            f'<table width="{TABLE_WIDTH}" cellspacing="0"><tr><td class="flag" style="color:{fg}; background:{bg}">'
            f"<b>{flag_label(flag)}:</b> {_e(flag.message)} <span class='muted'>[{_e(flag.code)}]</span></td></tr></table>"
        )
    return "".join(rows)


def _head(headers: Iterable[str], widths: Iterable[int] = ()) -> str:
    """The header row; `widths` are the columns' shares of the width in percent, and their short headers never
    wrap (Qt keeps to the shares before the words: "Path." broke into "Pat" over "h." where an HGVS name took the
    room); an abbreviation gets a tooltip."""
    shares = list(widths)
    return "<tr>" + "".join(
        "<th" + (" class=nowrap" if shares else "")
        + (f' width="{shares[i]}%"' if i < len(shares) else "")
        + (f' title="{_e(VARIANT_HEADERS[h])}"' if h in VARIANT_HEADERS else "")
        + f">{_e(h)}</th>"
        for i, h in enumerate(headers)
    ) + "</tr>"


def _table(headers: list[str], rows: list[list[str]], numeric: Iterable[int] = ()) -> str:
    numeric = set(numeric)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{c}</td>' for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f'<table width="{TABLE_WIDTH}" border="0">{_head(headers)}{body}</table>'


def _stacked(headers: list[str], rows: list[list[str]], titles: list[list[str]] | None = None) -> str:
    """The rows of a table for a narrow pane: each row's first cell on a line of its own in bold (or its `titles`,
    lines of their own), each other cell on a line under it after its header; every other row shaded, so that one
    row's lines read together. Paragraphs, not a table of one column: a word longer than the pane (a disease's name,
    a case's ID) runs past its edge on its own line, where in a table it widened every row past the edge."""
    out = []
    for i, row in enumerate(rows):
        shade = "background-color:#f4f6f9; " if i % 2 else ""
        lines = titles[i] if titles else [f"<b>{row[0]}</b>"]
        for head, cell in zip(headers[1:], row[1:], strict=True):
            if cell:
                tip = f' title="{_e(VARIANT_HEADERS[head])}"' if head in VARIANT_HEADERS else ""
                lines.append(f"<span class='muted'{tip}>{_e(STACKED_HEADERS.get(head, head))}:</span> {cell}")
        out.extend(f'<p style="{shade}margin: {4 if n == 0 else 0}px 0 0 0">{line}</p>' for n, line in enumerate(lines))
    return "".join(out)


def _rows(headers: list[str], rows: list[list[str]], numeric: Iterable[int] = (), narrow: bool = False) -> str:
    """A table, or in a narrow pane its rows stacked."""
    return _stacked(headers, rows) if narrow else _table(headers, rows, numeric)


def as_copied(text: str) -> str:
    """`text` of the evidence as copied: without its break points (BREAK) and word joiners (JOIN)."""
    return text.replace(BREAK, "").replace(JOIN, "")


def _breakable(text: str) -> str:
    """`text` with break points after each colon ("NM_000141.5:" over "c.1019A>G") and around every SEQUENCE_RUN bases
    of a longer run of bases (a deletion's), a transcript's or a protein's name kept whole ("p." joined to its
    "(" or "[")."""
    def split(m: re.Match[str]) -> str:
        run = m[0]
        return (BREAK if m.start() else "") + BREAK.join(run[i:i + SEQUENCE_RUN] for i in range(0, len(run), SEQUENCE_RUN))

    text = re.sub(r"\bp\.(?=[(\[])", "p." + JOIN, text.replace(":", ":" + BREAK))
    return re.sub(rf"[ACGTNacgtn]{{{SEQUENCE_RUN + 1},}}", split, text)


def _variant_cell(v: VariantEvidence) -> str:
    """Where the variant is, a link to it on the Genomics tab. The coordinate never breaks across lines (a broken
    position reads as another number); long alleles (indels) wrap on a line of their own; the VCF record below."""
    link = f'<a href="evidence:variant:{_e(v.chrom)}:{v.pos}">'
    alleles = _e(v.change)
    if len(v.ref) + len(v.alt) <= SHORT_ALLELES:
        cell = f"<div class=nowrap>{link}{_e(v.chrom)}:{v.pos} {alleles}</a></div>"
    else:
        cell = f"<div class=nowrap>{link}{_e(v.chrom)}:{v.pos}</a></div><div>{link}{_e(_breakable(v.change))}</a></div>"
    if v.record_line:
        cell += f"<div class=muted>VCF record {v.record_line:,}</div>"
    return cell


def _variant_table(variants: Iterable[VariantEvidence], narrow: bool = False) -> str:
    """One row of facts per variant, then each variant's ACMG/AMP criteria with their evidence, named by its
    coordinate (a column of their own would squeeze the others in the narrow pane); every other variant shaded, its
    row and its criteria alike, so the pairs read together. The criteria are paragraphs of the pane, not rows of the
    table: the table may be wider than a narrow pane (about 250 px at 13 pt on a 1024-px screen; its columns keep a
    coordinate whole), and criteria across it ran off the pane's edge, a family's PP1 read only by scrolling
    sideways line by line. `narrow`: each variant stacked, its criteria last (_stacked)."""
    rows, criteria, stacked, titles = [], [], [], []
    for i, v in enumerate(variants):
        row_shade, para_shade = (' bgcolor="#f4f6f9"', ' style="background-color:#f4f6f9"') if i % 2 else ("", "")
        hgvs = _breakable(v.hgvs)
        cells = [
            _variant_cell(v),
            f"<b>{_e(v.gene)}</b> {_e(v.consequence.replace('_', ' '))}"
            + (f"<br><span class='muted'>{_e(hgvs)}</span>" if v.hgvs and v.hgvs != v.consequence else ""),
            _e(v.genotype_with_origin),
            _e(v.population_af_text),
            _e(v.clinvar_text) or "—",
            f"{v.pathogenicity:.2f}",
        ]
        met = " · ".join(f"{_e(c.label)}: {_e(c.value)}" for c in v.criteria) or NO_CRITERION_MET
        stacked.append([*cells, met])
        link = f'<a href="evidence:variant:{_e(v.chrom)}:{v.pos}">'  # its coordinate unbroken: no break point in it
        titles.append([f"{link}{_e(v.chrom)}:{v.pos}</a> {link}{_e(_breakable(v.change))}</a>"]
                      + ([f"<span class='muted'>VCF record {v.record_line:,}</span>"] if v.record_line else []))
        cells[5] = f"<div class=nowrap>{cells[5]}</div>"
        rows.append(f"<tr{row_shade}>"
                    + "".join(f"<td{' class=num' if k == 5 else ''}>{c}</td>" for k, c in enumerate(cells)) + "</tr>")
        link = f'<a href="evidence:variant:{_e(v.chrom)}:{v.pos}">{_e(v.where)}</a>'
        criteria.append(f"<p class=criteria{para_shade}>"
                        f"{link} <span class='muted'>ACMG/AMP criteria:</span> {met}</p>")
    names, widths = zip(*VARIANT_COLUMNS, strict=True)
    if narrow:
        return _stacked([*names, "ACMG/AMP criteria"], stacked, titles)
    return f'<table width="{TABLE_WIDTH}" border="0">{_head(names, widths)}{"".join(rows)}</table>{"".join(criteria)}'


def hypothesis_html(hyp: Hypothesis, *, heading: bool = True, narrow: bool = False) -> str:
    """The whole evidence chain of one hypothesis, in the order a clinician checks it; `narrow`: for a pane too narrow
    for the tables' columns, each row stacked (NARROW_CSS)."""
    out: list[str] = []
    if heading:
        ident = hyp.id if hyp.kind == "disease" else f"gene {hyp.id}"
        out.append(f"<h2>{hyp.rank}. {_e(hyp.label)}</h2><div class='muted'>{_e(ident)} · score {_e(score_text(hyp.score))}")
        if hyp.source == "case_library":
            out.append(" · <b>rests on published cases, not on curated HPO annotations</b>")
        out.append("</div>")
    if hyp.genes:
        out.append(f"<div>Genes: {', '.join(_e(g) for g in hyp.genes)}</div>")
    if hyp.diseases:
        out.append(
            "<div>Diseases: " + "; ".join(f"{_e(label)} ({_e(did)})" for did, label in hyp.diseases[:8])
            + (f" +{len(hyp.diseases) - 8}" if len(hyp.diseases) > 8 else "") + "</div>"
        )
    if hyp.inheritance_modes:
        out.append(f"<div>Inheritance: {_e(modes_text(hyp.inheritance_modes))}</div>")  # "autosomal dominant"
    if hyp.clinical_course:
        out.append(f"<div>Clinical course (HPO): {_e(hyp.course_summary())}</div>")
    if hyp.flags:
        out.append("<h3>Self-checks</h3>" + flags_html(hyp))
    if hyp.contributions:
        # the bars' groups, in the bars' order, with the same words where a group has no number of its own
        from ..figures import contribution_bars  # reportlab's drawing module: loaded when first needed

        # what each group contains on hover over its name, as the chart's rows and the PDF's legend say it (the tip
        # as markup, which Qt wraps: a plain one ran wider than the screen)
        rows = [[f'<span title="{_e(f"<b>{_e(b.group)}</b><br>{_e(b.meaning)}")}">{_e(b.group)}</span>' if b.meaning
                 else _e(b.group),
                 f"{b.value:+.2f}" if b.available else f"<span class='muted'>{_e(b.note)}</span>"]
                for b in contribution_bars(hyp)]
        out.append("<h3>Score contributions</h3>" + _table(["Evidence group", "Contribution"], rows, numeric=[1])
                   + "<div class='muted'>Point at a group for what it contains.</div>")
    if hyp.matched:
        rows = [
            [
                f'<a name="matched-{_e(m.patient_term)}"></a>'
                f'<a href="evidence:feature:{_e(m.patient_term)}">{_e(m.patient_label)}</a>',
                _e(RELATION_WORDS.get(m.relation, m.relation))
                + (f": {_e(m.disease_label)}" if m.disease_label and m.relation != "exact" else "")
                + (
                    f" <span class='muted'>via {_e(m.common_ancestor_label)}, IC {m.ic:.1f}</span>"
                    if m.relation == "common_ancestor" and m.common_ancestor_label
                    else ""
                )
                + (" <span class='muted'>(also ruled out by an excluded feature)</span>" if m.ruled_out else ""),
                _freq(m.frequency, m.frequency_text),
                _refs(m),
                f"{m.contribution:+.2f}",
            ]
            for m in hyp.matched
        ]
        codes = sorted({c for x in (*hyp.matched, *hyp.conflicts, *hyp.suggested) for c in x.evidence})
        legend = "; ".join(f"{c} {EVIDENCE_CODES.get(c, c)}" for c in codes)
        out.append(
            f"<h3>Matched features ({len(hyp.matched)})</h3>"
            + _rows(["Patient feature", "How it matches", "Frequency", "Source", "LLR"], rows, numeric=[4], narrow=narrow)
            + f"<div class='muted'>{LLR_NOTE}</div>"
            + (f"<div class='muted'>Evidence codes: {_e(legend)}</div>" if legend else "")
        )
    if hyp.unexplained:
        rows = [
            [f'<a name="unexplained-{_e(m.patient_term)}"></a>{_e(m.patient_label)}', _e(m.patient_term), f"{m.contribution:+.2f}"]
            for m in hyp.unexplained
        ]
        out.append(
            f"<h3>{UNEXPLAINED_HEADING} ({len(hyp.unexplained)})</h3>"
            + _rows(["Patient feature", "HPO", "LLR"], rows, numeric=[2], narrow=narrow)
            + (f"<div class='muted'>{UNEXPLAINED_POSITIVE_NOTE}</div>"
               if any(m.contribution > 0 for m in hyp.unexplained) else "")
        )
    if hyp.conflicts:
        rows = [
            [
                f'<a name="conflicts-{_e(c.patient_term)}"></a>{_e(c.patient_label)}',
                _e(c.disease_label),
                _freq(c.frequency, c.frequency_text),
                _refs(c),
                f"{c.contribution:+.2f}",
            ]
            for c in hyp.conflicts
        ]
        out.append(
            f"<h3>{CONFLICTS_HEADING} ({len(hyp.conflicts)})</h3><div>{_e(conflicts_summary(hyp))}</div>"
            + _rows(["Excluded in patient", "Disease feature", "Frequency", "Source", "LLR"], rows, numeric=[4], narrow=narrow)
        )
    if hyp.negated:
        rows = [
            [
                f'<a name="negated-{_e(c.patient_term)}"></a>{_e(c.patient_label)}',
                f"not {_e(c.disease_label)}",
                _e(c.source_text),
                _refs(c),
            ]
            for c in hyp.negated
        ]
        out.append(
            f"<h3>{NEGATED_HEADING} ({len(hyp.negated)})</h3>"
            + _rows(["Present in patient", "Disease annotation", "How it is known", "Source"], rows, narrow=narrow)
        )
    if hyp.variants:
        out.append(f"<a name='variants'></a><h3>Variants ({len(hyp.variants)})</h3>" + _variant_table(hyp.variants, narrow))
    if hyp.inheritance is not None:
        fit = hyp.inheritance
        verdict = fit.verdict
        modes = modes_text(fit.modes) or "not annotated"
        out.append(
            "<h3>Inheritance</h3>"
            f"<div>{_e(modes[:1].upper() + modes[1:])}: <b>{verdict}</b> — {_e(fit.genotype_summary)}</div>"
            f"<div class='muted'>{_e(fit.explanation)}</div>"
        )
    if hyp.similar_cases:
        rows = [
            [
                # a published case: cited by its PMID beside it, nothing more to open offline; its ID may break at
                # its underscores in a narrow pane ("PMID_40557693_Case_Description_Patient_1")
                _e(s.case_id.replace("_", "_" + BREAK)),
                _e(s.pmid),
                f"{_e(s.disease_label)} ({_e(s.disease_id)})",
                _e(s.gene or "—"),
                _e(s.shared_text(limit=4)),
                f"{s.similarity:.2f}",
            ]
            for s in hyp.similar_cases
        ]
        out.append(
            f"<h3>Similar published cases ({len(hyp.similar_cases)})</h3>"
            + f"<div>{_e(hyp.published_summary())}.</div>"
            + _rows(["Case", "PMID", "Diagnosis", "Gene", "Shared features", "Similarity"], rows, numeric=[5], narrow=narrow)
        )
    if hyp.suggested:
        # with its sources, as the PDF prints them: a frequency with nothing behind it cannot be checked
        rows = [[_e(s.label), _e(s.term), _freq(s.frequency, s.frequency_text), _refs(s)]
                for s in hyp.suggested]
        out.append(
            f"<h3>{SUGGESTED_HEADING}</h3>"
            + _rows(["Feature not recorded", "HPO", "Frequency in disease", "Source"], rows, narrow=narrow)
        )
    css = CSS + NARROW_CSS if narrow else CSS
    return f"<html><head><style>{css}</style></head><body>{''.join(out)}</body></html>"


def warning_html(warning: str) -> str:
    """A warning as listed: one that questions the reading of the case led by a bold "Check:" (a word, so that it
    reads without colour too), as the PDF and the GUI's banner mark it."""
    ink = FLAG_STYLE["warning"][2]
    lead = f"<b style='color:{ink}'>{CHECK_WORD}</b> " if needs_checking(warning) else ""
    return lead + _e(warning)


def result_html(
    result: AnalysisResult,
    *,
    top_n: int = 10,
    clinician: str = "",
    note: str = "",
    stale: bool = False,
    subject_id: str = "",
    case: Case | None = None,
    narrow: bool = False,
) -> str:
    """The report preview: inputs, versions, then the ranked hypotheses with their evidence. `case`: the case the
    report is of (an age its phenopacket gives only as an onset class is printed from it); `narrow`: the hypotheses'
    rows stacked, for a preview too narrow for their tables (hypothesis_html)."""
    # the report's own wording (imported late: reportlab is slow)
    from ..report import DISCLAIMER, GENE_SECTIONS_HEADING, LIMITATIONS, age_text, genes_with_own_section

    disclaimer = f"<p style='background:#eef2f7; padding:4px'><b>{_e(DISCLAIMER)}</b></p>"
    out = [f"<h1>RareTrace report — {_e(result.case_id)}</h1>", disclaimer]
    if stale:
        out.append(
            "<p style='color:#7a4b00; background:#fff4d6'><b>▲ The case changed after this analysis; "
            "analyse again (Ctrl+R) before exporting.</b></p>"
        )
    meta = [
        ("Case", _e(result.case_id) + (f" · patient {_e(subject_id)}" if subject_id else "")),
        ("Sex", _e(result.sex_text)),  # the PDF's wording and rows: "not recorded" is no "unknown" sex
        ("Age", _e(age_text(result, case))),
        ("Clinician", _e(clinician) or "—"),
        ("Device", _e(result.device)),
    ]
    for key, value in sorted(result.versions.items()):
        if key != "device":
            meta.append((version_name(key), _e(value)))
    if result.vcf:
        v = result.vcf
        counts = f"{counted(v.records, 'record')}, {counted(v.variants_kept, 'variant allele')} kept"
        meta.append(("VCF", f"{_e(v.path)} · {_e(v.assembly)} · sample {_e(v.sample)} · {counts}"))
        if v.family:
            meta.append(("Family", f"{_e(v.family_text())}{f' · PED {_e(v.ped)}' if v.ped else ''}"))
        if v.parentage:
            meta.append(("Parentage", _e(v.parentage.removeprefix("parentage "))))
    out.append(_table(["", ""], [[f"<b>{k}</b>", v] for k, v in meta]).replace("<tr><th></th><th></th></tr>", ""))
    out.append(  # the PDF's headings (evidence.PRESENT_HEADING ...), so that the preview reads as what it prints
        f"<h3>{PRESENT_HEADING} ({len(result.present)})</h3><div>"
        + ("; ".join(f"{_e(label)} ({_e(tid)})" for tid, label in result.present) or "none")
        + f"</div><h3>{EXCLUDED_HEADING} ({len(result.excluded)})</h3><div>"
        + ("; ".join(f"{_e(label)} ({_e(tid)})" for tid, label in result.excluded) or "none")
        + "</div>"
    )
    if result.warnings:  # a heading of their own: they are about the whole analysis, not the excluded features
        out.append("<h2>Notes on the input</h2>" + "".join(f"<div>• {warning_html(w)}</div>"
                                                          for w in most_serious_first(result.warnings)))
    if result.diseases:
        rows = [
            [str(h.rank), _e(h.label), _e(h.id), _e(h.genes_text()), _e(score_text(h.score)),
             _e(flag_text(h) or "—")]
            for h in result.diseases[:top_n]
        ]
        nothing = no_specific_match_note(result)  # the PDF's box, in its place
        out.append(f"<h2>{_e(DIFFERENTIAL_HEADING.format(n=len(rows)))}</h2>"
                   + (f"<p class='nomatch'><b>{NO_SPECIFIC_MATCH_HEADING}</b> {_e(nothing)}</p>" if nothing else "")
                   + _table(["#", "Disease", "ID", "Genes", "Score", "Flags"], rows, numeric=[4]))
    if result.genes:
        # without a VCF no variant was looked for: "—" as on the Genes tab, not a count of 0 found
        rows = [[str(h.rank), _e(h.id), _e(score_text(h.score)), str(len(h.variants)) if result.vcf else "—"]
                for h in result.genes[:top_n]]
        out.append(f"<h2>{_e(CANDIDATE_GENES_HEADING.format(n=len(rows)))}</h2>" + _table(["#", "Gene", "Score", "Variants"], rows, numeric=[2, 3]))
    # the hypotheses the PDF gives a section, in its order: a listed gene only where no disease shows its evidence
    own = genes_with_own_section(result.diseases[:top_n], result.genes[:top_n])
    for hyp in (*result.diseases[:top_n], *own):
        if own and hyp is own[0]:
            out.append(f"<hr/><h2>{_e(GENE_SECTIONS_HEADING)}</h2>")
        body = hypothesis_html(hyp, narrow=narrow)
        out.append("<hr/>" + body.split("<body>", 1)[1].rsplit("</body>", 1)[0])
    if note:
        out.append("<hr/><h3>Clinical note</h3><pre style='white-space: pre-wrap'>" + _e(note) + "</pre>")
    out.append("<hr/><h2>Limitations</h2>" + "".join(f"<div>• {_e(x)}</div>" for x in LIMITATIONS) + disclaimer)
    return f"<html><head><style>{CSS}</style></head><body>{''.join(out)}</body></html>"
