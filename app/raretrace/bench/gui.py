"""Desktop application start-up: seconds from launching `raretrace-gui` until the window is shown with the event
loop idle (interactive), and until the knowledge base is loaded in the background (KB ready).

Each run is a fresh process (offscreen Qt, private settings and case store), so the figures include the Python
interpreter, the imports and the first paint — what a clinician waits for.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..paths import default_kb_path

TARGET_INTERACTIVE_S = 1.5


def _one_start(kb_path: Path, case: str | None, timeout: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="raretrace-gui-bench-") as home:
        env = dict(os.environ)
        env.update(
            QT_QPA_PLATFORM=env.get("RARETRACE_BENCH_QPA", "offscreen"),
            RARETRACE_HOME=home,
            RARETRACE_KB=str(kb_path),
            RARETRACE_GUI_SETTINGS=str(Path(home) / "settings.ini"),
            RARETRACE_GUI_STARTUP_PROBE="1",
        )
        cmd = [sys.executable, "-m", "raretrace.gui.app"] + ([case] if case else [])
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        marks: dict[str, float] = {}
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                name, _, value = line.strip().partition(" ")
                if name in ("interactive", "kb_ready"):
                    marks[name + "_in_process_s"] = float(value)
                    marks[name + "_s"] = time.perf_counter() - started
                if "kb_ready_s" in marks or time.perf_counter() - started > timeout:
                    break
        finally:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if "interactive_s" not in marks:
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"the GUI did not start: {err.strip().splitlines()[-1] if err.strip() else proc.returncode}")
        return marks


def bench_startup(kb_path: str | Path | None = None, runs: int = 5, case: str | None = None, timeout: float = 120.0) -> dict:
    """Median (and worst) start-up times over `runs` fresh processes, with a built KB."""
    kb = Path(kb_path) if kb_path else default_kb_path()
    if not kb.is_file():
        raise FileNotFoundError(f"no knowledge base at {kb}; build it first (`raretrace kb build`)")
    _one_start(kb, case, timeout)  # warm the OS file cache, as on a clinician's second start of the day
    samples = [_one_start(kb, case, timeout) for _ in range(runs)]
    out: dict[str, object] = {"runs": runs, "kb": str(kb), "case": case, "target_interactive_s": TARGET_INTERACTIVE_S}
    for key in ("interactive_s", "kb_ready_s"):
        values = [s[key] for s in samples if key in s]
        if values:
            out[f"{key.removesuffix('_s')}_median_s"] = round(statistics.median(values), 3)
            out[f"{key.removesuffix('_s')}_max_s"] = round(max(values), 3)
    out["meets_target"] = out.get("interactive_median_s", 1e9) <= TARGET_INTERACTIVE_S
    return out


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(bench_startup(runs=int(sys.argv[1]) if len(sys.argv) > 1 else 5), indent=2))
