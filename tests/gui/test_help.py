"""The Help menu: the user guide (F1), the keyboard shortcuts read from the window's actions, and the data sources
and licences, all offline and from files that ship with RareTrace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def win(window):
    window.ask_unsaved = lambda **_: "discard"
    return window


def _help_menu(window):
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.menu() and a.menu().title() == "&Help"]
    return menu


def test_the_help_menu_offers_the_guide_the_shortcuts_and_the_sources(win) -> None:
    names = [a.text().replace("&", "") for a in _help_menu(win).actions() if not a.isSeparator()]
    assert names == ["User guide", "Keyboard shortcuts", "Data sources and licences", "About RareTrace"]


def test_f1_opens_the_user_guide_which_names_every_tab_of_the_window(win, qtbot) -> None:
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    qtbot.keyClick(win, Qt.Key.Key_F1)
    page = win._help_pages.get("guide")
    assert page is not None and page.isVisible()
    text = page.text()
    tabs = [win.tabs.tabText(i).replace("&", "") for i in range(win.tabs.count())]
    assert tabs == ["Phenotypes", "Genomics", "Results", "Report"]
    for tab in tabs:  # the guide and the window stay in step
        assert re.search(rf"\b{tab}\b", text), tab
    # the validation figures of record, and what RareTrace is not
    for said in ("0.517", "0.664", "7,571", "0.788", "0.842", "1,434", "decision support, not a diagnosis"):
        assert said in text, said
    # a second F1 raises the page shown, not a second copy
    qtbot.keyClick(win, Qt.Key.Key_F1)
    assert win._help_pages["guide"] is page
    page.close()


def test_the_user_guide_ships_as_a_resource() -> None:
    from raretrace.gui.help import user_guide_path

    assert user_guide_path() == ROOT / "resources" / "help" / "user_guide.md"
    assert user_guide_path().read_text(encoding="utf-8").startswith("# RareTrace user guide")


def test_the_shortcuts_list_every_action_with_a_shortcut_in_native_text(win) -> None:
    dialog = win.show_shortcuts()
    rows = dialog.rows()
    shown = {(name, keys) for name, keys, _where in rows}
    assert ("Analyse", QKeySequence("Ctrl+R").toString(QKeySequence.SequenceFormat.NativeText)) in shown
    expected = set()
    for action in win.findChildren(QAction):
        if action.shortcuts() and action.text():
            first = action.shortcuts()[0].toString(QKeySequence.SequenceFormat.NativeText)  # the one menus show
            expected.add(action.text().replace("&", ""))
            assert any(name == action.text().replace("&", "") and keys.split(", ")[0] == first
                       for name, keys in shown), action.text()
    assert expected <= {name for name, _keys in shown}
    assert all("&" not in name for name, _keys, _where in rows)
    # the menus' actions say which menu holds them; a list's own keys name the list
    where = {name: w for name, _keys, w in rows}
    assert where["Analyse"] == "Analysis" and where["Undo"] == "Edit" and where["User guide"] == "Help"
    listed = [s for s in win.findChildren(QShortcut) if s.whatsThis()]
    assert listed and all((s.whatsThis(), s.key().toString(QKeySequence.SequenceFormat.NativeText)) in shown
                          for s in listed)
    assert ("Reject", "Terms found in the note") in {(name, w) for name, _keys, w in rows}
    assert ("Delete case…", "Cases") in {(name, w) for name, _keys, w in rows}  # the case list's Delete
    dialog.close()


def test_the_shortcuts_leave_out_keys_of_special_keyboards() -> None:
    from raretrace.gui.help import shortcut_text

    native = QKeySequence.SequenceFormat.NativeText
    keys = [QKeySequence("Ctrl+Z"), QKeySequence(Qt.Key.Key_F14), QKeySequence(Qt.Key.Key_Undo), QKeySequence("Esc"),
            QKeySequence("F1"), QKeySequence(Qt.Key.Key_OpenUrl)]
    assert shortcut_text(keys) == ", ".join(QKeySequence(k).toString(native) for k in ("Ctrl+Z", "Esc", "F1"))


def test_the_shortcuts_follow_a_shortcut_changed_at_run_time(win) -> None:
    win.analyse_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
    rows = win.show_shortcuts().rows()
    assert ("Analyse", QKeySequence("Ctrl+Shift+R").toString(QKeySequence.SequenceFormat.NativeText), "Analysis") in rows


def test_the_data_sources_page_states_the_sources_and_their_licences(win) -> None:
    page = win.show_data_sources()
    text = page.text()
    for said in ("CC BY 4.0", "GENCODE", "Human Phenotype Ontology", "phenopacket-store", "PMID", "Mondo",
                 "Swiss-Prot", "1000 Genomes", "MIT"):
        assert said in text, said
    assert f"HPO release {win.engine.hpo_release}" in text  # the release of the knowledge base in use
    # taken from the README and SOURCES.md, not restated in code
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "SpliceAI wheel on PyPI" in readme and "SpliceAI wheel on PyPI" in text
    assert "Bundled resources: sources and licences" in text
    page.close()


def test_help_pages_follow_no_link(win) -> None:
    for page in (win.show_user_guide(), win.show_data_sources()):
        assert not page.browser.openLinks() and not page.browser.openExternalLinks()
        page.close()


def test_a_missing_help_file_is_one_clear_error(win, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RARETRACE_RESOURCES", str(tmp_path))
    said = []
    win.show_error = said.append
    assert win.show_user_guide() is None
    assert len(said) == 1 and "user_guide.md" in said[0] and "\n" not in said[0]


def test_a_markdown_section_ends_at_the_next_heading_of_its_level() -> None:
    from raretrace.gui.help import markdown_section

    text = "# T\n\n## A\na\n### A1\nx\n## B\nb\n"
    assert markdown_section(text, "A") == "## A\na\n### A1\nx\n"
    assert markdown_section(text, "B") == "## B\nb\n"
    assert markdown_section(text, "C") == ""
