"""While another program holds the case store's write lock, the window keeps responding and no edit is lost."""

from __future__ import annotations

import pytest
from store_fixtures import hold_write_lock

pytestmark = pytest.mark.gui

FIRST = ("HP:0001363", "Craniosynostosis")


def test_an_export_while_the_store_is_busy_is_logged_once_the_other_program_is_done(window, qtbot, monkeypatch,
                                                                                     tmp_path):
    # The export's audit entry was written on the window's thread: the window froze for as long as the other
    # program held the store (up to 30 s), and then the entry was dropped, unlogged.
    import raretrace.store

    monkeypatch.setattr(raretrace.store, "BUSY_TIMEOUT_S", 3)  # the wait before giving up (30 s in use)
    window.new_case()
    window.document.add_phenotype(*FIRST)
    window.autosave()
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    case_id = window.document.case.id
    holder = hold_write_lock(window.store.path)
    try:
        assert window.export_phenopacket(str(tmp_path / "out.json"))
    finally:
        holder.communicate("commit\n", timeout=70)
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    assert [e.action for e in window.store.audit(case_id)] == ["created", "exported"]
