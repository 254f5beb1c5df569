"""Entry point of the desktop bundle (both executables run this script).

`raretrace-gui [CASE] [--demo]` opens the window (the demo case with --demo). `raretrace` is the command line of
CLI.md; `raretrace --demo [--out DIR]` runs the bundled demo case headless and writes its PDF report (the packaging
check uses it with QT_QPA_PLATFORM=offscreen).

On first start the prebuilt knowledge base shipped inside the bundle is copied to the user's data directory, where
it stays writable (case library additions, a rebuild from a newer HPO release replaces it there).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from pathlib import Path


def _schema(path: Path) -> str | None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM provenance WHERE key = 'schema_version'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def install_bundled_kb() -> None:
    """Copy the bundled KB to the default location when none is there (or the one there is of another schema)."""
    bundled = Path(getattr(sys, "_MEIPASS", "")) / "kb" / "knowledge.sqlite"
    if not getattr(sys, "frozen", False) or not bundled.is_file() or os.environ.get("RARETRACE_KB"):
        return
    from raretrace.paths import default_kb_path

    target = default_kb_path()
    if target.exists():
        if _schema(target) == _schema(bundled):
            return
        os.replace(target, target.with_name(target.name + ".previous"))  # a KB of an older RareTrace version
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".copying")
    shutil.copyfile(bundled, partial)
    os.replace(partial, target)


def main() -> int:
    try:
        install_bundled_kb()
    except OSError as exc:
        print(f"error: cannot install the bundled knowledge base ({exc}); set RARETRACE_KB or RARETRACE_HOME",
              file=sys.stderr)
        return 2
    args = sys.argv[1:]
    if Path(sys.executable).stem.lower() == "raretrace-gui":
        from raretrace.gui.app import main as gui_main

        return gui_main(args)
    from raretrace.cli import main as cli_main

    if args and args[0] == "--demo":
        return cli_main(["demo", *args[1:]])
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
