"""Stored cases for the case-list tests (open mark, menu, deletion): made through the window as a clinician would,
and the list waited for until every save and relisting has landed."""

from __future__ import annotations

from raretrace.gui.case_list import CASE_ROLE

CRANIO, SHORT = ("HP:0001363", "Craniosynostosis"), ("HP:0004322", "Short stature")


def settled(window, qtbot, rows: int) -> None:
    """Wait until no save or case-list read is running and the list shows `rows` cases."""
    qtbot.waitUntil(lambda: not window.saver.active and not window.runner.is_running("list-cases")
                    and not any(n.startswith("list-case") for n in window.runner.active)
                    and window.cases.list.count() == rows, timeout=15000)


def store_two_cases(window, qtbot, first_subject: str = "") -> tuple[str, str]:
    """Two stored cases (craniosynostosis, with `first_subject` as its patient ID; short stature); the second is
    open."""
    ids = []
    for term, subject in ((CRANIO, first_subject), (SHORT, "")):
        window.new_case()
        window.document.add_phenotype(*term)
        if subject:
            window.document.set_header(subject_id=subject)
        window.autosave()
        ids.append(window.document.case.id)
    settled(window, qtbot, 2)
    return ids[0], ids[1]


def row(window, case_id: str):
    """The case list's item of a case."""
    lst = window.cases.list
    return next(lst.item(i) for i in range(lst.count()) if lst.item(i).data(CASE_ROLE) == case_id)
