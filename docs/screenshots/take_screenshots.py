"""Take the README screenshots: the window at 1366x768 on a real case, one picture per panel.

    Xvfb :57 -screen 0 1366x768x24 &
    DISPLAY=:57 QT_QPA_PLATFORM=xcb python docs/screenshots/take_screenshots.py CASE.json VCF [OUT_DIR]

Uses a private settings file and case store (a temporary RARETRACE_HOME) and the KB of RARETRACE_KB or the default
location. The pictures are reduced to a 256-colour palette so that they stay small in the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOTE = (
    "Newborn boy with craniosynostosis, midface hypoplasia, proptosis and syndactyly of the hands and feet. "
    "No cleft palate. Possible hearing loss. His father has hypertension."
)


def main(case: str, vcf: str, out: Path) -> None:
    home = tempfile.mkdtemp(prefix="raretrace-shots-")
    os.environ.update(RARETRACE_HOME=home, RARETRACE_GUI_SETTINGS=str(Path(home) / "settings.ini"))
    from PIL import Image
    from PySide6.QtTest import QTest

    from raretrace.gui.app import create_application
    from raretrace.gui.main_window import MainWindow
    from raretrace.gui.settings_dialog import SettingsDialog

    app = create_application()
    window = MainWindow()
    window.setGeometry(0, 0, 1366, 768)
    window.show()
    out.mkdir(parents=True, exist_ok=True)

    def settle(seconds: float = 0.5) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            time.sleep(0.02)

    def wait(condition, timeout: float = 300) -> None:
        end = time.time() + timeout
        while not condition() and time.time() < end:
            settle(0.05)
        if window._errors:
            raise SystemExit(f"error in the window: {window._errors[-1]}")

    def shot(name: str) -> None:
        settle(0.8)
        path = out / f"{name}.png"
        if os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") == "xcb":
            subprocess.run(["import", "-window", "root", str(path)], check=True)  # popups included
        else:
            window.grab().save(str(path))
        Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)
        print(path, flush=True)

    window.start()
    wait(lambda: window.engine is not None and window.store is not None)
    wait(lambda: not window.runner.is_running("warm-up"))
    window.open_file(case)
    window.phenotypes.note.setPlainText(NOTE)
    wait(lambda: bool(window.phenotypes.found), 60)
    window.phenotypes.found_tree.setCurrentItem(window.phenotypes.found_tree.topLevelItem(1))
    shot("phenotypes")
    window.phenotypes.accept_all()
    window.activateWindow()
    window.phenotypes.search.setFocus()
    settle(0.3)
    QTest.keyClicks(window.phenotypes.search, "broad thu")
    settle(1.5)
    shot("hpo-search")
    window.phenotypes.completer.popup().hide()
    window.phenotypes.search.clear()
    window.tabs.setCurrentWidget(window.genomics)
    window.genomics.set_vcf_path(vcf)
    wait(lambda: window.genomics.sample.count() > 0, 60)
    window.genomics.load_vcf()
    wait(lambda: window.document.genomics is not None)
    window.genomics.path_filter.setValue(0.5)
    shot("genomics")
    window.genomics.path_filter.setValue(0.0)
    window.analyse()
    wait(lambda: window.document.result is not None)
    shot("results")
    window.results.lists.setCurrentIndex(1)  # genes: the variants and inheritance behind the top gene
    settle(0.5)
    window.results.evidence.scrollToAnchor("variants")
    shot("gene-evidence")
    window.results.lists.setCurrentIndex(0)
    window.results.detail.setCurrentIndex(1)
    shot("match-matrix")
    window.results.detail.setCurrentIndex(0)
    window.tabs.setCurrentWidget(window.report)
    shot("report")
    dialog = SettingsDialog(window)
    dialog.open()
    shot("settings")
    dialog.reject()
    window.close()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]) if len(sys.argv) > 3 else Path(__file__).parent)
