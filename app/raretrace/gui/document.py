"""The open case as the window edits it: the core Case plus what the clinician typed around it.

Edits replace the frozen Case (dataclasses.replace) and emit signals; views redraw from the document and the
window autosaves it. An edit that changes the analysis input marks the last result as out of date. Because a Case
is immutable, undo and redo simply restore earlier Case values (features, exclusions, onsets, header, VCF) with the
decisions on the note's findings made by then; the note has its editor's own undo.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from ..case import Case, CaseFile, Phenotype, edit_words


def new_case_id(taken: Callable[[str], bool] = lambda _id: False) -> str:
    """A new case's key: the local time, with a suffix when that ID is taken (two cases in one second, or the hour
    that repeats when daylight saving ends)."""
    return unused_id(time.strftime("case-%Y%m%d-%H%M%S"), taken)


def unused_id(base: str, taken: Callable[[str], bool], sep: str = "-") -> str:
    """`base`, or `base{sep}2`, `base{sep}3`, ... : the first that is not taken."""
    found, n = base, 1
    while taken(found):
        n += 1
        found = f"{base}{sep}{n}"
    return found


T = TypeVar("T")
Span = tuple[str, int, int]  # a finding's term and its place in the note: (term, start, end)
Step = dict[Span, str | None]  # the decisions an Undo step changed, as they stand at its other end (None: undecided)
UNDO_DEPTH = 200
NOTE_MEMORY = 50  # note texts whose edits dropped decisions, remembered for the note editor's undo
# a decision on a note finding as Undo and Redo name it where it changes no feature (a relative's finding noted, a
# finding rejected that was never a feature)
DECISION_STEPS = {"noted": "note {} as a relative's finding", "rejected": "reject {} found in the note",
                  "accepted": "accept {} found in the note", "excluded": "accept {} as excluded"}


def shift_decisions(decisions: dict[Span, T], old: str, new: str) -> dict[Span, T]:
    """Decisions on note spans (term, start, end) moved with their words when the note is edited in one place (a
    keystroke, a paste, a deleted selection); a decision whose words were themselves edited is dropped (the finding
    is reviewed again). Linear in the note's length: it runs on every keystroke."""
    return split_decisions(decisions, edit_bounds(old, new))[0]


def split_decisions(decisions: dict[Span, T], bounds: tuple[int, int, int]) -> tuple[dict[Span, T], dict[Span, T]]:
    """(the decisions moved with their words by the edit `bounds`, those whose words it edited, where they were)."""
    moved, edited = {}, {}
    for (term, start, end), decision in decisions.items():
        span = shift_span(start, end, bounds)
        if span is None:
            edited[(term, start, end)] = decision
        else:
            moved[(term, *span)] = decision
    return moved, edited


def edit_bounds(old: str, new: str) -> tuple[int, int, int]:
    """(prefix, changed_end, shift) of an edit in one place: old[prefix:changed_end] became
    new[prefix:changed_end + shift]."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return prefix, len(old) - suffix, len(new) - len(old)


def shift_span(start: int, end: int, bounds: tuple[int, int, int]) -> tuple[int, int] | None:
    """The span [start, end) of the old text in the new one, or None when its words were edited."""
    prefix, changed_end, shift = bounds
    if end <= prefix:
        return start, end
    if start >= changed_end:
        return start + shift, end + shift
    return None


@dataclass(eq=False)
class EditedAway:
    """Decisions on words an edit of the note took out, kept with the text they stood in: the note editor's undo (or
    the same words typed again) brings that text back, and them with it. `steps`: the Undo and Redo steps' own
    decisions on those words (each step by identity: it moves between the two stacks as itself), so that the
    window's Undo meanwhile takes a decision back here, where it waits, and the text brings it back undone."""

    note: str
    decisions: dict[Span, str] = field(default_factory=dict)
    steps: list[tuple[Step, Step]] = field(default_factory=list)


class CaseDocument(QObject):
    changed = Signal()  # anything typed or chosen: the window autosaves
    undo_changed = Signal()  # what Undo/Redo can do now
    header_changed = Signal()
    phenotypes_changed = Signal()
    note_changed = Signal()
    genomics_changed = Signal()
    result_changed = Signal()

    def __init__(self, case: Case | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case or Case(id=new_case_id())
        self.note = ""
        self.decisions: dict[tuple[str, int, int], str] = {}  # (term, start, end) in the note -> accepted|excluded|rejected|noted
        self.ped_path: str | None = None
        self.genomics: Any = None  # raretrace.variants result for the chosen VCF
        self.result: Any = None  # raretrace.evidence.AnalysisResult
        self.result_stale = False
        self.store_key: Any = None  # the case store's key once saved
        self.dirty = False
        self.input_edits = 0  # edits of what the analysis reads (an analysis started earlier is out of date)
        self._undo: list[Case] = []
        self._redo: list[Case] = []
        # per entry of _undo/_redo (same positions): the note's decisions the step changed, each as it stands at the
        # other end of the step (None: undecided), so that the step back restores them (a rejection redone stays
        # rejected; a relative's finding noted, which changes no feature, is a step of its own) and leaves every
        # other decision as it is now. Their spans move with each edit of the note, as the decisions' own do: moved
        # at Undo time by one difference of the texts, a sentence typed at the start and one at the end left no
        # span between them, and the step took back nothing of its decisions
        self._undo_decisions: list[Step] = []
        self._redo_decisions: list[Step] = []
        self._term_labels: dict[str, str] = {}  # the labels of the terms decided on, for naming a decision's step
        self._dropped: list[EditedAway] = []  # decisions on words edited out of the note, latest last
        self._grouped: bool | None = None  # inside one_step(): whether its first edit was remembered yet

    # -- undo and redo

    def _remember(self) -> None:
        """Called just before an edit replaces self.case."""
        if self._grouped:  # a later edit of the same action: undone with its first
            return
        if self._grouped is not None:
            self._grouped = True
        self._undo.append(self.case)
        self._undo_decisions.append({})
        del self._undo[:-UNDO_DEPTH]
        del self._undo_decisions[:-UNDO_DEPTH]
        self._redo.clear()
        self._redo_decisions.clear()  # undo_changed follows with the edit (_edited), once the edit can be named

    @contextmanager
    def one_step(self) -> Iterator[None]:
        """The edits made inside are one step for Undo and Redo: one action of the clinician's (accepting all the
        note's findings, removing the features selected) is taken back whole, and named by its first edit."""
        if self._grouped is not None:  # already within one
            yield
            return
        self._grouped = False
        try:
            yield
        finally:
            self._grouped = None

    def rename(self, case_id: str) -> None:
        """The case goes on under another ID (saved as a copy beside a version saved elsewhere): undo and redo stay
        within it rather than bring the old ID back."""
        self.case = replace(self.case, id=case_id)
        self._undo = [replace(c, id=case_id) for c in self._undo]
        self._redo = [replace(c, id=case_id) for c in self._redo]
        self.header_changed.emit()

    def reset_history(self) -> None:
        """Another case is opened: undo does not cross cases."""
        self._undo.clear()
        self._redo.clear()
        self._undo_decisions.clear()
        self._redo_decisions.clear()
        self._dropped.clear()
        self._term_labels.clear()
        self.undo_changed.emit()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_text(self) -> str:
        """The edit Undo would undo, in words ("remove feature Seizure"); "" when there is none to name."""
        if not self._undo:
            return ""
        changes = [(k, now) for k, back, now in self._changes(self._undo_decisions[-1]) if back != now]
        return edit_words(self._undo[-1], self.case) or self._decision_words(changes)

    @property
    def redo_text(self) -> str:
        """The edit Redo would make again, in words; "" when there is none to name."""
        if not self._redo:
            return ""
        changes = [(k, again) for k, again, now in self._changes(self._redo_decisions[-1]) if again != now]
        return edit_words(self.case, self._redo[-1]) or self._decision_words(changes)

    def _changes(self, step: Step) -> list[tuple[Span, str | None, str | None]]:
        """(span, at the step's other end, now) of each decision of `step`: in the note, and on words edited out of
        it, where they wait for the note editor's undo (the step is named and taken back all the same)."""
        out = [(k, d, self.decisions.get(k)) for k, d in step.items()]
        for away in self._dropped:
            out += [(k, d, away.decisions.get(k)) for held, kept in away.steps if held is step for k, d in kept.items()]
        return out

    def _decision_words(self, changes: list[tuple[Span, str | None]]) -> str:
        """A step that changed only decisions on the note's findings, in words ("note Seizure as a relative's
        finding"), from (span, the decision it makes); several are named by the first and counted, as edit_words
        does."""
        said = [DECISION_STEPS[d].format(self._term_labels.get(k[0], k[0])) if d in DECISION_STEPS
                else f"clear the decision on {self._term_labels.get(k[0], k[0])}"
                for k, d in sorted(changes, key=lambda c: c[0])]
        if len(said) > 1:
            return f"{said[0]} and {len(said) - 1} more change{'s' if len(said) > 2 else ''}"
        return said[0] if said else ""

    def undo(self) -> bool:
        return self._step(self._undo, self._redo, self._undo_decisions, self._redo_decisions)

    def redo(self) -> bool:
        return self._step(self._redo, self._undo, self._redo_decisions, self._undo_decisions)

    def _step(self, source: list[Case], target: list[Case], source_decisions: list[tuple[str, dict]],
              target_decisions: list[tuple[str, dict]]) -> bool:
        if not source:
            return False
        target.append(self.case)
        old, restored = self.case, source.pop()
        step = source_decisions.pop() if source_decisions else {}
        if restored.vcf is not None and old.vcf is not None and restored.vcf.path == old.vcf.path:
            # the same VCF: its build and sample as chosen now stay (they are not steps of their own)
            restored = replace(restored, files=old.files)
        self.case = restored
        # the decisions the step changed come back as they stood with the restored case; the others stay as they
        # are (one the note editor's undo brought back is not lost). The step goes to the other stack as itself,
        # holding what it changed back
        now = {k: self.decisions.get(k) for k in step}
        self.decisions = {k: d for k, d in {**self.decisions, **step}.items() if d is not None}
        step.clear()
        step.update(now)
        # its decisions on words the note lost meanwhile (the note editor's undo took them) change where they
        # wait: taken back there, they came back made with the words, and Redo had nothing of them left to redo
        for away in self._dropped:
            for held, kept in away.steps:
                if held is step:
                    for k, d in list(kept.items()):
                        kept[k] = away.decisions.pop(k, None)
                        if d is not None:
                            away.decisions[k] = d
        target_decisions.append(step)
        if old.files != self.case.files:
            self.genomics = None
            self.genomics_changed.emit()
        self.header_changed.emit()
        self.phenotypes_changed.emit()
        self._edited(analysis_input=restored != old)  # a decision alone changes nothing the analysis reads
        return True

    # -- what the user edits

    def _edited(self, *, analysis_input: bool = True) -> None:
        self.dirty = True
        if analysis_input:
            self.input_edits += 1
            self.mark_stale()
        self.changed.emit()
        self.undo_changed.emit()  # what Undo and Redo would do, and how they name it, may have changed

    def mark_stale(self) -> None:
        if self.result is not None and not self.result_stale:
            self.result_stale = True
            self.result_changed.emit()

    def set_header(self, subject_id: str | None = None, sex: str | None = None, age: str | None = None) -> None:
        """Patient ID, sex and age; the case ID itself is fixed (it is the case's key in the store)."""
        updates: dict[str, Any] = {}
        if subject_id is not None and subject_id.strip() != self.case.subject_id:
            updates["subject_id"] = subject_id.strip()
        if sex is not None and (sex or None) != self.case.sex:
            updates["sex"] = sex or None
        if age is not None and (age.strip() or None) != self.case.age:
            updates["age"] = age.strip() or None
        if updates:
            self._remember()
            self.case = replace(self.case, **updates)
            self.header_changed.emit()
            self._edited(analysis_input="sex" in updates or "age" in updates)

    def phenotype(self, term_id: str) -> Phenotype | None:
        return next((p for p in self.case.phenotypes if p.id == term_id), None)

    def add_phenotype(self, term_id: str, label: str, *, excluded: bool = False, source: str = "typed",
                      onset: str | None = None) -> bool:
        """Add a term or update its present/excluded state; False when nothing changed. `onset` (read from the
        note) is a present feature's onset where it has none: one already set, by hand or from the note, is kept."""
        old = self.phenotype(term_id)
        onset = None if excluded else onset
        if old is not None:
            changed = old.excluded != excluded and self.set_excluded(term_id, excluded)
            if onset and not old.onset:
                changed = self.set_onset(term_id, onset) or changed
            return changed
        pheno = Phenotype(id=term_id, label=label, excluded=excluded, source=source, onset=onset)
        self._remember()
        self.case = replace(self.case, phenotypes=(*self.case.phenotypes, pheno))
        self.phenotypes_changed.emit()
        self._edited()
        return True

    def _update_phenotype(self, term_id: str, **changes: Any) -> bool:
        old = self.phenotype(term_id)
        if old is None or all(getattr(old, k) == v for k, v in changes.items()):
            return False
        phenos = [replace(p, **changes) if p.id == term_id else p for p in self.case.phenotypes]
        self._remember()
        self.case = replace(self.case, phenotypes=tuple(phenos))
        self.phenotypes_changed.emit()
        self._edited()
        return True

    def set_excluded(self, term_id: str, excluded: bool) -> bool:
        return self._update_phenotype(term_id, excluded=excluded)

    def set_onset(self, term_id: str, onset: str | None) -> bool:
        old = self.phenotype(term_id)
        if old is None or (old.onset or None) == (onset or None):
            return False
        # The onset object read from the file is no longer this feature's onset: the store would read a cleared
        # gestational onset back from it (case.stored_onset), and the export writes the new onset from scratch.
        details = {k: v for k, v in (old.details or {}).items() if k != "onset"} or None
        return self._update_phenotype(term_id, onset=onset or None, details=details)

    def remove_phenotype(self, term_id: str) -> bool:
        phenos = tuple(p for p in self.case.phenotypes if p.id != term_id)
        if len(phenos) == len(self.case.phenotypes):
            return False
        self._remember()
        self.case = replace(self.case, phenotypes=phenos)
        self.phenotypes_changed.emit()
        self._edited()
        return True

    def set_note(self, text: str) -> None:
        if text == self.note:
            return
        # decisions, and the Undo and Redo steps' own, follow their words when text is typed before or around them;
        # an edit of the decided words drops them, kept with the text they stood in: the note editor's undo (a
        # letter pasted over the note by mistake, then Ctrl+Z) brings the same text back, and they come back with it
        steps = [step for step in (*self._undo_decisions, *self._redo_decisions) if step]
        if self.decisions or steps:
            bounds = edit_bounds(self.note, text)
            self.decisions, edited = split_decisions(self.decisions, bounds)
            away = EditedAway(self.note, edited)
            for step in steps:
                moved, gone = split_decisions(step, bounds)
                step.clear()
                step.update(moved)  # in place: the step is itself wherever it is held
                if gone:
                    away.steps.append((step, gone))
            if away.decisions or away.steps:
                self._dropped.append(away)
                del self._dropped[:-NOTE_MEMORY]
        for n in range(len(self._dropped) - 1, -1, -1):  # the latest first
            earlier = self._dropped[n]
            if earlier.note == text:
                # brought back once: what is dropped again is kept anew, as it stands then
                del self._dropped[n]
                # decisions made since stand; the earlier ones are restored beside them
                self.decisions = {**earlier.decisions, **self.decisions}
                for step, kept in earlier.steps:
                    step.update({k: d for k, d in kept.items() if k not in step})
                break
        self.note = text
        self.note_changed.emit()
        self._edited(analysis_input=False)

    def decide(self, term_id: str, start: int, end: int, decision: str, label: str = "") -> None:
        """The clinician's decision on a note finding: a step for Undo (with the feature it adds or removes, inside
        one_step), also where it changes no feature, so that Ctrl+Z takes back the last decision, not an earlier
        feature edit."""
        key = (term_id, start, end)
        if label:
            self._term_labels[term_id] = label
        before = self.decisions.get(key)
        if before == decision:
            return
        self._remember()
        self._undo_decisions[-1].setdefault(key, before)  # the step's entry (the first of one_step's edits)
        self.decisions = {**self.decisions, key: decision}
        self._edited(analysis_input=False)

    # -- genomics

    @property
    def vcf(self) -> CaseFile | None:
        return self.case.vcf

    def set_vcf(self, path: str | None, assembly: str | None = None, sample: str | None = None) -> None:
        others = tuple(f for f in self.case.files if f is not self.case.vcf)
        files = others + ((CaseFile(path=path, assembly=assembly, sample=sample),) if path else ())
        if files != self.case.files:
            if (self.case.vcf.path if self.case.vcf else None) != path:
                self._remember()  # a new or removed VCF; its build and sample, read from it, are part of that step
            self.case = replace(self.case, files=files)
            self.genomics = None
            self.genomics_changed.emit()
            self._edited()

    def set_ped(self, path: str | None) -> None:
        if (path or None) != self.ped_path:
            self.ped_path = path or None
            # the variants were read with the old PED (de novo calls, segregation): read again with this one
            self.forget_variants()
            self._edited()

    def genomics_matches(self, genomics: Any) -> bool:
        """True when `genomics` (a VCF read earlier) was read from the case's VCF as it is now: same file, build and
        sample. A read that finished after the file, build or sample changed must never stand for the new one."""
        vcf = self.case.vcf
        summary = getattr(genomics, "summary", None)
        if vcf is None or summary is None or summary.path != vcf.path:
            return False
        return (vcf.sample in (None, summary.sample)) and (vcf.assembly in (None, summary.assembly))

    def current_genomics(self) -> Any:
        """The VCF as read for this case now, or None (then the analysis reads it)."""
        return self.genomics if self.genomics is not None and self.genomics_matches(self.genomics) else None

    def forget_variants(self) -> None:
        """The VCF must be read again (the FILTER setting changed); a result based on it is out of date."""
        if self.genomics is not None:
            self.genomics = None
            self.genomics_changed.emit()
            self.mark_stale()

    def set_genomics(self, genomics: Any) -> None:
        self.genomics = genomics
        self.genomics_changed.emit()
        if self.result is not None and not self.result_stale:
            self.result_stale = True
            self.result_changed.emit()

    # -- results

    def set_result(self, result: Any) -> None:
        self.result = result
        self.result_stale = False
        self.result_changed.emit()
        self.changed.emit()
