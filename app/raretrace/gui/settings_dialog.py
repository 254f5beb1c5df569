"""Settings: device, knowledge base (location, rebuild from an HPO release folder, add phenopackets to the case
library) and report defaults. Rebuilding and adding run on a worker with progress; the KB is reloaded after."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from ..analysis import filters_text, parse_filters
from ..errors import RareTraceError
from ..words import counted
from .colours import CAUTION, tone
from .file_types import PHENOPACKETS, SHOW_NAMES
from .preferences import DEVICES, PAGE_SIZES

if TYPE_CHECKING:
    from ..library import LibraryAddition
    from .main_window import MainWindow

WARNINGS_SHOWN = 3  # of the warnings of phenopackets added to the case library; the rest are in the tooltip
DEVICE_WORDS = {"auto": "Automatic (GPU when available)", "cpu": "CPU", "cuda": "GPU (CUDA)"}
# the dialog's tasks that Stop ends: (Stop's accessible name, what the dialog says once stopped)
STOPPABLE = {
    "rebuild-kb": ("Stop the knowledge-base rebuild", "Rebuild stopped; the previous knowledge base is kept."),
    "add-library": ("Stop adding phenopackets to the case library",
                    "Adding stopped; nothing was added to the case library."),
}


def rebuild_kb(out: str, hpo_dir: str, ctx: Any) -> tuple[str, list[str]]:
    """(the KB built, what the build did with annotations to obsolete or unknown terms, as `kb build` warns).
    Stopped at its next step when the user cancels: the build then removes its temporary file, the old KB stays."""
    from ..errors import Cancelled
    from ..kb import build_kb, build_warnings

    def progress(message: str, fraction: float) -> None:
        # 1.0 is said once the new KB has replaced the old: too late to stop, and "the previous one is kept" untrue
        if ctx.cancelled() and fraction < 1.0:
            raise Cancelled("knowledge-base rebuild stopped; the previous knowledge base is kept")
        ctx.progress(message, fraction)

    path = build_kb(Path(out), Path(hpo_dir), progress=progress)
    ctx.keep_result()  # in place: a Stop pressed since the build's last step is reported as a rebuild
    return str(path), build_warnings(path)


def add_to_library(kb_path: str, paths: list[str], ctx: Any) -> LibraryAddition:
    """(added, already in the library and replaced, files skipped, warnings), as `raretrace case library add`
    counts them. Stopped before each file and before the cases are committed, in one transaction: a stop adds
    nothing."""
    from ..library import add_to_case_library

    outcome = add_to_case_library(Path(kb_path), [Path(p) for p in paths], progress=ctx.progress, cancel=ctx.cancelled)
    ctx.keep_result()  # committed: a Stop pressed since its last check must not report "nothing was added"
    return outcome


def knowledge_summary(engine: Any, warning_colour: str = "#7a4b00") -> str:
    """Release and case-library lines for the dialog, with the warnings the status bar refers to "(see Settings)"
    (a KB an earlier RareTrace built, an old HPO release) in `warning_colour`, one that reads on the dialog's
    palette."""
    from ..kb import outdated_build_warning, release_age_days, stale_release_warning

    if engine is None:
        return "The knowledge base is not loaded."
    prov = engine.provenance
    release = prov.get("hpo_release") or "unknown"
    lines = [f"HPO release {release} (built {(prov.get('built_at') or '?')[:10]})"]
    if prov.get("case_library_cases"):
        lines.append(
            f"Case library: {int(prov['case_library_cases']):,} published cases, "
            f"updated {(prov.get('case_library_updated') or '?')[:10]}"
        )
    outdated = outdated_build_warning(prov)
    if outdated:  # what it means and how to rebuild, in the words the command line uses
        lines.append(f"<span style='color:{warning_colour}'><b>▲ Warning:</b> {escape(outdated)}.</span>")
    if stale_release_warning(release):
        months = (release_age_days(release) or 0) // 30
        lines.append(
            f"<span style='color:{warning_colour}'><b>▲ Warning:</b> the HPO release {release} is {months} months old; "
            "rebuild the knowledge base from a newer HPO release folder (below).</span>"
        )
    return "<br/>".join(lines)


class SettingsDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.prefs = window.prefs
        self.setWindowTitle("RareTrace settings")
        self.setObjectName("settingsDialog")
        layout = QVBoxLayout(self)

        analysis = QGroupBox("Analysis")
        form = QFormLayout(analysis)
        self.device = QComboBox()
        self.device.setAccessibleName("Device for the ranking model")
        for d in DEVICES:
            self.device.addItem(DEVICE_WORDS[d], d)
        self.device.setCurrentIndex(max(0, self.device.findData(window.device)))
        form.addRow("Device", self.device)
        layout.addWidget(analysis)

        kb = QGroupBox("Knowledge base")
        kb_layout = QVBoxLayout(kb)
        row = QHBoxLayout()
        self.kb_path = QLineEdit(window.kb_path or "")
        self.kb_path.setAccessibleName("Knowledge base file")
        default = str(window.engine.kb_path) if window.engine is not None else "the user data directory"
        self.kb_path.setPlaceholderText(f"default: {default}")
        browse = QPushButton("Browse…")
        browse.setAccessibleName("Choose the knowledge base file")
        browse.clicked.connect(self._browse_kb)
        row.addWidget(QLabel("File"))
        row.addWidget(self.kb_path, 1)
        row.addWidget(browse)
        kb_layout.addLayout(row)
        self.kb_info = QLabel(knowledge_summary(window.engine, tone(window, CAUTION)))
        self.kb_info.setObjectName("kbInfo")
        self.kb_info.setWordWrap(True)
        kb_layout.addWidget(self.kb_info)
        actions = QHBoxLayout()
        self.rebuild_button = QPushButton("Rebuild from an HPO release folder…")
        self.rebuild_button.setAccessibleName("Rebuild the knowledge base from an HPO release folder")
        self.rebuild_button.setToolTip("A folder with hp.obo, phenotype.hpoa and genes_to_phenotype.txt from hpo.jax.org")
        self.rebuild_button.clicked.connect(lambda: self.rebuild())
        self.library_button = QPushButton("Add phenopackets to the case library…")
        self.library_button.setAccessibleName("Add solved phenopackets to the case library")
        self.library_button.clicked.connect(lambda: self.add_phenopackets())
        self.stop_button = QPushButton("Stop")  # ends the rebuild or the adding, whichever runs
        self.stop_button.setAccessibleName(STOPPABLE["rebuild-kb"][0])
        self.stop_button.clicked.connect(lambda: self.window_.runner.cancel(self._task))
        self.stop_button.hide()
        self._task = "rebuild-kb"  # the last task started here, which Stop ends while it runs
        actions.addWidget(self.rebuild_button)
        actions.addWidget(self.stop_button)
        actions.addWidget(self.library_button)
        actions.addStretch(1)
        kb_layout.addLayout(actions)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Knowledge base update progress")
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.status = QLabel("")
        self.status.setObjectName("kbStatus")
        self.status.setWordWrap(True)
        kb_layout.addWidget(self.progress)
        kb_layout.addWidget(self.status)
        layout.addWidget(kb)

        report = QGroupBox("Report defaults")
        rform = QFormLayout(report)
        self.page_size = QComboBox()
        self.page_size.addItems(PAGE_SIZES)
        self.page_size.setCurrentText(self.prefs.page_size)
        self.page_size.setAccessibleName("Page size")
        self.top_n = QSpinBox()
        self.top_n.setRange(1, 50)
        self.top_n.setValue(self.prefs.top_n)
        self.top_n.setAccessibleName("Hypotheses in the report")
        self.clinician = QLineEdit(self.prefs.clinician)
        self.clinician.setAccessibleName("Clinician name")
        rform.addRow("Page size", self.page_size)
        rform.addRow("Hypotheses in the report", self.top_n)
        rform.addRow("Clinician", self.clinician)
        layout.addWidget(report)

        variants = QGroupBox("Variants")
        vform = QFormLayout(variants)
        self.filters = QLineEdit(filters_text(self.prefs.vcf_filters))
        self.filters.setAccessibleName("VCF FILTER values accepted")
        self.filters.setToolTip("Comma-separated FILTER values whose records are read, e.g. PASS,. or PASS,LowQual; "
                                "'any' reads every record")
        vform.addRow("FILTER values accepted", self.filters)
        layout.addWidget(variants)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # roomy for the knowledge base's path, as a starting size: a fixed minimum overrode the width the layout
        # needs, and a large system font cut the knowledge base's buttons
        self.resize(max(620, self.sizeHint().width()), self.sizeHint().height())

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a line shown, hidden or reworded
            self._fit_height()
        return handled

    def _fit_height(self) -> None:
        """Taller where the wrapped lines need it at this width: a dialog keeps its height when the progress bar, the
        step and Stop show, and the layout squeezed the release's warning and the step to a line, cutting them
        (seen at 13 pt on a 1024×768 screen). Qt's minimum height does not count lines that wrap."""
        layout = self.layout()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        if needed > self.height():
            self.resize(self.width(), needed)

    def _target_kb(self) -> str:
        if self.kb_path.text().strip():
            return self.kb_path.text().strip()
        if self.window_.engine is not None:
            return str(self.window_.engine.kb_path)
        from ..paths import default_kb_path

        return str(default_kb_path())

    def _browse_kb(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Knowledge base file", self._target_kb(), "RareTrace knowledge base (*.sqlite)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.kb_path.setText(path)

    def _busy(self, busy: bool, text: str = "") -> None:
        if not busy:
            self.stop_button.hide()
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        for w in (self.rebuild_button, self.library_button, self.buttons):
            w.setEnabled(not busy)
        if text:
            self.status.setText(text)

    def _progress(self, message: str, fraction: float) -> None:
        self.status.setText(message)
        self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 1000))

    def _failed(self, message: str) -> None:
        self._busy(False, f"Failed: {message}")
        self.window_.show_error(message)

    def _start(self, name: str, text: str, fn: Callable[[Any], Any], on_done: Callable[[Any], None]) -> None:
        """Run `fn` (one of STOPPABLE) on a worker with progress and Stop, the dialog's other buttons disabled."""
        self._busy(True, text)
        self._task = name
        self.stop_button.setAccessibleName(STOPPABLE[name][0])
        self.window_.runner.start(name, fn, on_done=on_done, on_failed=self._failed, on_cancelled=self._stopped,
                                  on_progress=self._progress)
        self.stop_button.show()

    def rebuild(self, hpo_dir: str | None = None) -> None:
        """Build the KB at the chosen location from an official HPO release folder, then reload it."""
        from ..kb import check_kb_target

        try:
            # before the folder is chosen: a folder, the case store or a document there is never replaced
            check_kb_target(Path(self._target_kb()))
        except RareTraceError as exc:
            self._failed(str(exc))
            return
        self.status.setText("")  # an earlier refusal no longer applies
        if hpo_dir is None:
            hpo_dir = QFileDialog.getExistingDirectory(self, "HPO release folder (hp.obo, phenotype.hpoa, genes_to_phenotype.txt)")
            if not hpo_dir:
                return
        out = self._target_kb()
        self._start("rebuild-kb", f"Building the knowledge base from {hpo_dir}…",
                    lambda ctx: rebuild_kb(out, hpo_dir, ctx), self._rebuilt)

    def _stopped(self) -> None:
        self._busy(False, STOPPABLE[self._task][1])

    def _rebuilt(self, built: tuple[str, list[str]]) -> None:
        path, notes = built
        self._busy(False, f"Knowledge base rebuilt at {path}; reloading it." + "".join(f"\n{n}." for n in notes))
        self.kb_path.setText(path)
        self.window_.prefs.kb_path = path
        self.window_.engine_ready.connect(self._reloaded)
        self.window_.reload_engine(kb_path=path)

    def _reloaded(self, engine: Any) -> None:
        self.window_.engine_ready.disconnect(self._reloaded)
        self.kb_info.setText(knowledge_summary(engine, tone(self, CAUTION)))

    def add_phenopackets(self, paths: list[str] | None = None) -> None:
        """Add solved phenopackets (files, or a folder) to the case library of the KB, then reload it."""
        if paths is None:
            files, _ = QFileDialog.getOpenFileNames(self, "Phenopackets to add to the case library", "", PHENOPACKETS,
                                                    options=SHOW_NAMES)
            paths = files
            if not paths:
                return
        kb_path = self._target_kb()
        self._start("add-library", f"Adding {counted(len(paths), 'phenopacket')} to the case library…",
                    lambda ctx: add_to_library(kb_path, paths, ctx), self._added)

    def _added(self, outcome: LibraryAddition) -> None:
        added, already, warnings = outcome.added, outcome.already, outcome.warnings
        text = f"{counted(added, 'case')} added to the case library"
        if already:  # "0 cases added" alone read as if nothing had happened
            text += f"; {already} already in it, replaced by the file's version"
        # each warning says what it is: a file skipped, or a note on a case added (a diagnosis ID HPO lacks); all
        # were called "files skipped"
        text += "".join(f"\n{w}" for w in warnings[:WARNINGS_SHOWN])
        if len(warnings) > WARNINGS_SHOWN:  # a folder of many files: the dialog stays on the screen
            text += f"\n… and {len(warnings) - WARNINGS_SHOWN} more (hover to read all)"
        self._busy(False, text)
        self.status.setToolTip("\n".join(warnings) if len(warnings) > WARNINGS_SHOWN else "")
        self.window_.engine_ready.connect(self._reloaded)
        self.window_.reload_engine()

    def reject(self) -> None:
        # Escape and the title bar's close button wait, as Cancel (disabled) does, while the knowledge base is
        # rebuilt or cases are added: closed then, the work went on unseen and its outcome (the build's warnings, the
        # files skipped) was said in a hidden dialog. Stop ends either.
        if self.buttons.isEnabled():
            super().reject()

    def accept(self) -> None:
        prefs = self.prefs
        try:
            filters = parse_filters(self.filters.text())
        except RareTraceError as exc:
            self.window_.show_error(f"FILTER values: {exc}")
            return
        if filters != prefs.vcf_filters:
            prefs.vcf_filters = filters
            self.window_.document.forget_variants()  # read with the old filter: read again when next needed
        device = self.device.currentData()
        kb_path = self.kb_path.text().strip()
        changed_engine = device != self.window_.device or (kb_path or None) != (self.window_.kb_path or None)
        prefs.device = device
        prefs.kb_path = kb_path
        prefs.page_size = self.page_size.currentText()
        prefs.top_n = self.top_n.value()
        prefs.clinician = self.clinician.text()
        self.window_.report.apply_defaults()
        if changed_engine:
            self.window_.reload_engine(kb_path=kb_path, device=device)
        super().accept()

