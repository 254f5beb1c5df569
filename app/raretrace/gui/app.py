"""Start the desktop application: `raretrace gui [CASE]`, `raretrace-gui [CASE] [--demo]`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ..errors import RareTraceError
from ..paths import resources_dir

STARTUP_PROBE = "RARETRACE_GUI_STARTUP_PROBE"  # set by bench/gui.py: print timings and quit
# The window's own default is the Settings choice, not the command line's plain "auto".
DEVICE_HELP = "where the models run (default: the Settings choice, auto unless changed: CUDA when usable, else CPU)"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="raretrace-gui", description="RareTrace desktop application")
    parser.add_argument("case", nargs="?", help="a phenopacket JSON file (or a VCF) to open")
    parser.add_argument("--demo", action="store_true", help="open the bundled demo case")
    parser.add_argument("--kb", help="knowledge base file (default: $RARETRACE_KB or the user data directory)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), help=DEVICE_HELP)
    return parser.parse_args(argv)


def create_application(argv: Sequence[str] | None = None):
    """The QApplication with RareTrace's names (QSettings uses them) and high-DPI behaviour."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    from .preferences import APPLICATION, ORGANISATION

    app = QApplication.instance()
    if app is None:
        # Fractional scale factors (125 %, 150 %) are used as they are, so text and figures stay sharp.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication([sys.argv[0], *(argv or [])])
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__import__("raretrace").__version__)
    QGuiApplication.setDesktopFileName("raretrace")
    icon = resources_dir() / "icons" / "raretrace.png"  # title bar and task switcher (the bundle's own is separate)
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def run(case: str | None = None, *, demo: bool = False, kb: str | None = None, device: str | None = None) -> int:
    started = time.perf_counter()
    if kb:
        os.environ["RARETRACE_KB"] = kb
    exclude: frozenset[str] = frozenset()
    if demo:
        from ..demo import DEMO_PMIDS, demo_case_path

        case = str(demo_case_path())
        exclude = DEMO_PMIDS
        if not Path(case).is_file():
            raise RareTraceError(f"the bundled demo case is missing ({case}); reinstall RareTrace")
    app = create_application()
    from .errors import install_excepthook
    from .main_window import MainWindow

    window = MainWindow(kb_path=kb, device=device, exclude_pmids=exclude)
    install_excepthook(lambda: window)
    window.show()
    if case and not case.lower().endswith((".json",)):
        window.start()
        window.open_path(case)
    else:
        window.start(case, analyse=demo)
    if os.environ.get(STARTUP_PROBE):
        _probe(window, started)
    return app.exec()


def _probe(window, started: float) -> None:
    """For the startup benchmark: report when the window is shown and idle, and when the KB is ready; then quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    marks: dict[str, float] = {}

    def interactive() -> None:
        marks["interactive"] = time.perf_counter() - started
        print(f"interactive {marks['interactive']:.4f}", flush=True)

    def ready(_engine) -> None:
        marks["kb_ready"] = time.perf_counter() - started
        print(f"kb_ready {marks['kb_ready']:.4f}", flush=True)
        QTimer.singleShot(0, QApplication.quit)

    # Two passes of the event loop: the first delivers the show/expose/paint events, the second finds it idle.
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, interactive))
    window.engine_ready.connect(ready)


def no_display_reason(env: dict[str, str] | None = None, platform: str | None = None) -> str:
    """Why the window cannot open here ('' when it can): on Linux, Qt's default platform needs an X11 or Wayland
    display and, without one, aborts the process with six lines of its own instead of an error."""
    env = dict(os.environ) if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM", "xcb").split(":")[0] not in ("xcb", "wayland"):
        return ""
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return ""
    return ("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); run it on the desktop, or "
            "use `raretrace demo --out DIR` or `raretrace report` for a PDF")


def missing_library_reason(plugin: Path | None = None) -> str:
    """Why Qt's X11 platform plugin cannot load ('' when it can): it needs system libraries (libxcb-icccm4,
    libxcb-keysyms1, libxcb-cursor0 ...) that a desktop has and a bare server may lack, and without them Qt aborts the
    process with a page of its own. Loading the plugin as Qt would names the first missing one."""
    import ctypes
    import importlib.util

    if plugin is None:
        spec = importlib.util.find_spec("PySide6")
        if spec is None or not spec.submodule_search_locations:
            return ""
        plugin = Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if not plugin.is_file():
            return ""  # another PySide6 layout: Qt says what it lacks
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        missing = str(exc).split(":")[0].strip()
        name = Path(missing).name
        hint = ""
        if ".so." in name:  # libxcb-icccm.so.4 is Debian's and Ubuntu's libxcb-icccm4
            stem, version = name.split(".so.", 1)
            hint = f" (Debian/Ubuntu: apt-get install {stem}{'-' if stem[-1].isdigit() else ''}{version.split('.')[0]})"
        return (f"the window cannot open: Qt's X11 plugin needs the system library {name}, which is not installed"
                f"{hint}; or use `raretrace demo --out DIR` or `raretrace report` for a PDF")
    return ""


def window_problem() -> str:
    """Why the window cannot open on this machine, as one line ('' when it can)."""
    reason = no_display_reason()
    if reason or not sys.platform.startswith("linux") or os.environ.get("WAYLAND_DISPLAY"):
        return reason
    if os.environ.get("QT_QPA_PLATFORM", "xcb").split(":")[0] != "xcb":
        return ""
    return missing_library_reason()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    problem = window_problem()
    if problem:  # `raretrace-gui` on a machine without a display or Qt's X11 libraries: one line, not Qt's abort
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        return run(args.case, demo=args.demo, kb=args.kb, device=args.device)
    except RareTraceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
