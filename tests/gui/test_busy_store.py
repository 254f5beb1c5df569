"""Leaving a case (another case, New case, closing the window, quitting) while another program holds the case
store's write lock: the window keeps responding while it waits for the case's save, the clinician may stay on the
case or export it instead, and no edit is lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog
from store_fixtures import hold_write_lock

pytestmark = pytest.mark.gui

FIRST, SECOND = ("HP:0001363", "Craniosynostosis"), ("HP:0010055", "Broad hallux")


def _stored_ids(window, case_id: str) -> list[str]:
    return [p.id for p in window.store.load_case(case_id).phenotypes]


def _stored_case(window, qtbot) -> str:
    """A new case with one feature, saved: its ID."""
    window.new_case()
    window.document.add_phenotype(*FIRST)
    window.autosave()
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    return window.document.case.id


@pytest.fixture
def busy(window, qtbot):
    """A stored case whose latest edit's save waits for another process's write lock: (case ID, release)."""
    case_id = _stored_case(window, qtbot)
    holder = hold_write_lock(window.store.path)
    window.document.add_phenotype(*SECOND)
    window.autosave()  # waits for the other process's lock (30 s before it gives up)

    def release() -> None:
        if holder.returncode is None:
            holder.communicate("commit\n", timeout=70)

    yield case_id, release
    release()
    qtbot.waitUntil(lambda: not window.saver.active, timeout=40000)


def _in_the_wait(window, *acts) -> list[str]:
    """Call each act(dialog) in turn once the window shows that it waits for the save, from its event loop (a
    window that blocks while it waits never gets there); the list receives each dialog's text."""
    seen: list[str] = []
    todo, handled = list(acts), []
    tries = [400]  # gives up after about 20 s, the test then fails on `seen`

    def check() -> None:
        shown = [d for d in window.findChildren(QDialog, "saveWaitDialog") if d.isVisible()]
        dialog = next((d for d in shown if not any(d is h for h in handled)), None)
        if dialog is not None:
            handled.append(dialog)
            seen.append(dialog.text())
            todo.pop(0)(dialog)
        if todo and tries[0]:
            tries[0] -= 1
            QTimer.singleShot(50, check)

    QTimer.singleShot(0, check)
    return seen


@pytest.mark.parametrize("leave", ["new case", "close", "quit"])
def test_leaving_a_case_while_the_store_is_busy_keeps_the_window_responding_and_cancel_stays(window, qtbot, busy,
                                                                                            leave):
    # The window waited for the save in a blocked event loop: for up to 30 s it neither drew nor took a click,
    # and the clinician could neither stay on the case nor export it until the store gave up.
    case_id, release = busy
    window.SAVE_WAIT_MS = 10000  # before: the blocked wait ran this long, then asked
    asked = []
    window.ask_unsaved = lambda **kw: asked.append(kw) or "cancel"
    seen = _in_the_wait(window, lambda dialog: dialog.reject())
    {"new case": window.new_case, "close": window.close, "quit": window.quit_action.trigger}[leave]()
    assert len(seen) == 1 and case_id in seen[0] and "another program" in seen[0]
    assert asked == [] and window.isVisible()
    assert window.document.case.id == case_id  # Cancel: still on the case, with the edit the store has not got
    assert [p.id for p in window.document.case.phenotypes] == [FIRST[0], SECOND[0]]
    release()
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    assert _stored_ids(window, case_id) == [FIRST[0], SECOND[0]] and not window.unsaved_work()


def test_leaving_a_case_goes_on_once_the_other_program_lets_the_save_through(window, qtbot, busy):
    case_id, release = busy
    window.ask_unsaved = lambda **_: pytest.fail("asked although the save reached the store")
    seen = _in_the_wait(window, lambda _dialog: release())
    window.new_case()
    assert len(seen) == 1 and window.document.case.id != case_id
    assert _stored_ids(window, case_id) == [FIRST[0], SECOND[0]]


def test_export_instead_writes_the_case_and_leaves_it(window, qtbot, busy, tmp_path):
    import json

    case_id, release = busy
    window.ask_unsaved = lambda **_: pytest.fail("asked although the case was exported")
    out = tmp_path / "kept.json"
    real_export = window.export_phenopacket
    window.export_phenopacket = lambda path=None: real_export(str(out))  # the file dialog's answer
    seen = _in_the_wait(window, lambda dialog: dialog.export_button.click())
    window.new_case()
    assert len(seen) == 1 and window.document.case.id != case_id
    assert [f["type"]["id"] for f in json.loads(out.read_text())["phenotypicFeatures"]] == [FIRST[0], SECOND[0]]
    release()  # the save still waiting goes through once the other program is done
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    assert _stored_ids(window, case_id) == [FIRST[0], SECOND[0]]


def test_closing_after_export_instead_waits_for_the_save_and_cancel_keeps_the_window(window, qtbot, busy, tmp_path):
    # Exported, the case may go, but its save still waits for the other program: the store closes after it (it
    # may still reach the store), the window drawing meanwhile; Cancel keeps the window open
    case_id, release = busy
    window.ask_unsaved = lambda **_: pytest.fail("asked although the case was exported")
    real_export = window.export_phenopacket
    window.export_phenopacket = lambda path=None: real_export(str(tmp_path / "kept.json"))
    seen = _in_the_wait(window, lambda dialog: dialog.export_button.click(), lambda dialog: dialog.reject())
    window.close()
    assert len(seen) == 2 and "closing the window" in seen[1] and window.isVisible()
    assert window.document.case.id == case_id and (tmp_path / "kept.json").is_file()
    seen = _in_the_wait(window, lambda dialog: dialog.export_button.click(), lambda _dialog: release())
    window.close()
    assert len(seen) == 2 and not window.isVisible() and window.store is None
    from raretrace.store import CaseStore

    with CaseStore(tmp_path / "home" / "cases.sqlite") as store:
        assert [p.id for p in store.load_case(case_id).phenotypes] == [FIRST[0], SECOND[0]]


def test_an_export_while_the_store_is_busy_is_logged_once_the_other_program_is_done(window, qtbot, monkeypatch,
                                                                                     tmp_path):
    # The export's audit entry was written on the window's thread: the window froze for as long as the other
    # program held the store (up to 30 s), and then the entry was dropped, unlogged.
    import raretrace.store

    monkeypatch.setattr(raretrace.store, "BUSY_TIMEOUT_S", 3)  # the wait before giving up (30 s in use)
    case_id = _stored_case(window, qtbot)
    holder = hold_write_lock(window.store.path)
    try:
        assert window.export_phenopacket(str(tmp_path / "out.json"))
    finally:
        holder.communicate("commit\n", timeout=70)
    qtbot.waitUntil(lambda: not window.saver.active, timeout=10000)
    assert [e.action for e in window.store.audit(case_id)] == ["created", "exported"]


def test_closing_while_an_analysis_waits_for_the_busy_store_closes_once_its_save_is_through(window, qtbot, busy,
                                                                                             gui_home):
    # The analysis is recorded with the case as saved for it, which waits for the other program: closing waits
    # for that save with the window drawing, and the analysis, if it finished, is credited with what it analysed
    from raretrace.store import CaseStore

    case_id, release = busy
    window.analyse()
    seen = _in_the_wait(window, lambda _dialog: release())
    window.close()
    assert len(seen) == 1 and not window.isVisible() and window.store is None
    with CaseStore(gui_home / "cases.sqlite") as store:
        assert [p.id for p in store.load_case(case_id).phenotypes] == [FIRST[0], SECOND[0]]
        assert all(a.inputs["present"] == [FIRST[0], SECOND[0]] for a in store.analyses(case_id))



def _writing(store) -> bool:
    """A thread of the window is in (or waiting for) a write transaction on the store."""
    if store._write_lock.acquire(blocking=False):  # the main thread: free, or only ever held by another thread
        store._write_lock.release()
        return False
    return True


def test_closing_while_an_analysis_is_recorded_in_the_busy_store_says_so_and_waits_with_the_window_drawing(
        window, qtbot, gui_home):
    # An analysis of an unchanged case is recorded once it is ranked; another program held the store then, so the
    # record waited for its lock (up to BUSY_TIMEOUT_S). Closing froze the window without a word for as long: it
    # waited 5 s for the analysis, then closing the store waited for the record's lock.
    from raretrace.store import CaseStore

    window.ask_unsaved = lambda **_: "discard"
    case_id = _stored_case(window, qtbot)
    holder = hold_write_lock(window.store.path)
    try:
        window.analyse()  # the case as saved is unchanged: only its record needs the lock
        qtbot.waitUntil(lambda: _writing(window.store), timeout=30000)
        seen = _in_the_wait(window, lambda dialog: dialog.reject(),
                            lambda _dialog: holder.communicate("commit\n", timeout=70))
        window.close()
        assert len(seen) == 1 and "analysis" in seen[0] and "closing the window" in seen[0]
        assert window.isVisible() and window.store is not None  # Cancel: the window stays, its store open
        window.close()
    finally:
        if holder.returncode is None:
            holder.communicate("commit\n", timeout=70)
    assert len(seen) == 2 and not window.isVisible() and window.store is None
    with CaseStore(gui_home / "cases.sqlite") as store:
        assert [a.inputs["present"] for a in store.analyses(case_id)] == [[FIRST[0]]]


def test_a_file_given_at_start_up_opens_once_a_wait_for_the_busy_store_is_over(window, qtbot, busy, engine,
                                                                              tmp_path):
    # `raretrace gui case.json` opens the file once the knowledge base is loaded; when that came while the window
    # waited for a save (the clinician had typed into the first case and pressed New case, the store busy), leaving
    # the first case for the file was refused as "already being left" and the file never opened, without a word.
    import json

    case_id, release = busy
    window.ask_unsaved = lambda **_: "discard"
    path = tmp_path / "given.json"
    path.write_text(json.dumps({"id": "given-on-the-command-line",
                                "phenotypicFeatures": [{"type": {"id": "HP:0001250", "label": "Seizure"}}]}))

    def kb_loaded_meanwhile(_dialog) -> None:
        window._pending_open = ("file", str(path))  # as start(path) left it for when the KB is loaded
        window._engine_loaded(engine)
        release()

    seen = _in_the_wait(window, kb_loaded_meanwhile)
    window.new_case()
    assert len(seen) == 1
    qtbot.waitUntil(lambda: window.document.case.id == "given-on-the-command-line", timeout=10000)
    assert [p.id for p in window.document.case.phenotypes] == ["HP:0001250"]
    assert _stored_ids(window, case_id) == [FIRST[0], SECOND[0]]
