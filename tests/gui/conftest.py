"""Fixtures for the desktop application tests: offscreen Qt, private settings and case store, small VCFs.

The window reuses the session's real Engine (the same knowledge base the core tests use) instead of loading a
second copy; everything else (store, search, extraction, VCF reading, ranking, report) really runs.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported by pytest-qt

pytest.importorskip("pytestqt")

GRCH37_CHR10 = 135534747
GRCH37_CHR1 = 249250621


@pytest.fixture(autouse=True)
def gui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb_path: Path) -> Path:
    """QSettings, the case store, the knowledge base and the user's configuration folder (XDG_CONFIG_HOME, where Qt
    keeps what it remembers of dialogs) of each test live in its own temporary folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("RARETRACE_GUI_SETTINGS", str(home / "settings.ini"))
    monkeypatch.setenv("RARETRACE_STORE", str(home / "cases.sqlite"))
    monkeypatch.setenv("RARETRACE_KB", str(kb_path))
    return home


@pytest.fixture
def window(qtbot, engine):
    from raretrace.gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.start(engine=engine)
    qtbot.waitUntil(lambda: win.engine is not None and win.store is not None, timeout=30000)
    yield win
    win.close()


def vcf_text(records: list[tuple[str, int, str, str, str]], sample: str = "proband") -> str:
    """A minimal single-sample VCF (GRCh37 contig lengths in the header) with (chrom, pos, ref, alt, GT) records."""
    lines = [
        "##fileformat=VCFv4.2",
        f"##contig=<ID=1,length={GRCH37_CHR1}>",
        f"##contig=<ID=10,length={GRCH37_CHR10}>",
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", sample]),
    ]
    for chrom, pos, ref, alt, gt in records:
        lines.append("\t".join([chrom, str(pos), ".", ref, alt, "50", "PASS", ".", "GT", gt]))
    return "\n".join(lines) + "\n"


@pytest.fixture
def small_vcf(tmp_path: Path) -> Path:
    """Three variants: FGFR2 (the Pfeiffer exome's spiked variant, het), PTEN's c.389G>A (p.Arg130Gln) on chr10,
    MTHFR's common c.665C>T on chr1."""
    path = tmp_path / "patient.vcf"
    path.write_text(
        vcf_text(
            [
                ("1", 11856378, "G", "A", "0/1"),
                ("10", 89692905, "G", "A", "0/1"),
                ("10", 123256215, "T", "G", "0/1"),
            ]
        )
    )
    return path


@pytest.fixture
def large_vcf(tmp_path: Path) -> Path:
    """Enough records (many read chunks) that loading is still running when the user presses Cancel."""
    path = tmp_path / "large.vcf.gz"
    records = [("1", 1_000_000 + 40 * i, "A", "G", "0/1") for i in range(120_000)]
    with gzip.open(path, "wt") as handle:
        handle.write(vcf_text(records))
    return path


def as_shown(text: str, plain: bool = False) -> str:
    """What Qt shows of a label's or tooltip's text: rendered as HTML when it looks like markup (`plain`: a label
    set to plain text)."""
    from PySide6.QtGui import Qt as QtGuiQt  # QtGui's Qt has mightBeRichText
    from PySide6.QtGui import QTextDocument

    if plain or not QtGuiQt.mightBeRichText(text):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def broken_words(document) -> list[str]:
    """The words of the laid-out evidence that a line break cuts inside ("Pat|ien|t", "+1.|13"): each line after a
    block's first must start where the text may break (Qt's own line-break rule: after a space, a hyphen, a
    zero-width space), not inside a word as Qt's default wrap breaks one that is wider than its line or column. Qt
    also breaks at any space, where that rule would not ("pathogenic / likely": before the slash): a word is whole
    there too."""
    from PySide6.QtCore import QTextBoundaryFinder

    broken = []
    block = document.begin()
    while block.isValid():  # every paragraph, table cells included
        text, layout = block.text(), block.layout()
        finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
        for n in range(1, layout.lineCount()):
            start = layout.lineAt(n).textStart()
            finder.setPosition(start)
            if not finder.isAtBoundary() and not text[start - 1].isspace():
                broken.append(f"{text[max(0, start - 12):start]}|{text[start:start + 12]}")
        block = block.next()
    return broken
