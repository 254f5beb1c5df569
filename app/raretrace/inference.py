"""The one place that picks the ONNX execution provider and runs the exported models.

`--device auto` uses CUDA when onnxruntime can (after `onnxruntime.preload_dlls()`, which loads the CUDA/cuDNN
libraries shipped in pip wheels), else the CPU; `cuda` insists and fails clearly without a GPU; `cpu` never
touches CUDA. The device actually used is what the session reports, and every result carries it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import RareTraceError

DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class Model:
    name: str
    path: Path
    session: object  # onnxruntime.InferenceSession
    device: str  # "cuda" or "cpu"
    version: str  # first 12 hex digits of the file's SHA-256
    note: str = ""  # why CUDA was not used, when it was asked for or auto-detected

    def run(self, inputs: dict[str, np.ndarray]) -> list[np.ndarray]:
        return self.session.run(None, inputs)


def _nvidia_driver_present() -> bool:
    """An NVIDIA driver is loadable (no driver: no GPU, and no CUDA probing with its noisy failures)."""
    import ctypes

    try:
        ctypes.CDLL("libcuda.so.1" if os.name != "nt" else "nvcuda.dll")
    except OSError:
        return False
    return True


def _cuda_available(ort) -> tuple[bool, str]:
    if "CUDAExecutionProvider" not in ort.get_available_providers():
        return False, "this onnxruntime has no CUDA provider"
    if not _nvidia_driver_present():
        return False, "no NVIDIA GPU driver found"
    preload = getattr(ort, "preload_dlls", None)
    if preload is not None:
        messages = io.StringIO()
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(messages):
                warnings.simplefilter("ignore")
                preload()
        except Exception as exc:  # missing CUDA libraries: fall back to the CPU
            return False, f"CUDA libraries could not be loaded ({exc.__class__.__name__})"
        if "Failed to load" in messages.getvalue():
            return False, "CUDA/cuDNN libraries are missing (install onnxruntime-gpu's CUDA 13 dependencies)"
    return True, ""


def require_device(device: str) -> None:
    """Refuse at once a `cuda` that onnxruntime cannot use, so that a command says it before it makes an output
    folder or reads its input; `load_model` checks again, and still refuses a GPU session that fails to start."""
    if device != "cuda":
        return
    import onnxruntime as ort

    usable, why = _cuda_available(ort)
    if not usable:
        raise RareTraceError(_no_cuda(why))


def _no_cuda(why: str) -> str:
    return f"CUDA requested but onnxruntime cannot use a GPU here ({why}); use --device cpu"


def _threads() -> int:
    """RARETRACE_THREADS: onnxruntime's threads per model call (0 or unset: its default, one per physical core)."""
    text = os.environ.get("RARETRACE_THREADS", "").strip() or "0"
    if not text.isdigit():
        raise RareTraceError(f"RARETRACE_THREADS must be a whole number of threads (0: one per CPU core), not {text!r}")
    return int(text)


def load_model(path: Path, device: str = "auto", name: str | None = None) -> Model:
    import onnxruntime as ort

    if device not in DEVICES:
        raise RareTraceError(f"unknown device {device!r}; use auto, cpu or cuda")
    if not path.is_file():
        raise RareTraceError(f"model file {path} is missing; reinstall RareTrace or run `make models`")
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = _threads()
    note = ""
    providers = ["CPUExecutionProvider"]
    if device in ("auto", "cuda"):
        usable, why = _cuda_available(ort)
        if usable:
            providers = ["CUDAExecutionProvider", "CPUExecutionProvider"]
        elif device == "cuda":
            raise RareTraceError(_no_cuda(why))
        else:
            note = f"running on the CPU: {why}"
    try:
        session = ort.InferenceSession(str(path), sess_options=options, providers=providers)
    except Exception as exc:
        if providers[0] == "CPUExecutionProvider":
            raise RareTraceError(f"cannot load model {path.name}: {exc}".splitlines()[0]) from exc
        if device == "cuda":
            raise RareTraceError(f"CUDA requested but the GPU session failed: {exc}".splitlines()[0]) from exc
        session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
        note = "CUDA session failed; running on the CPU"
    used = "cuda" if session.get_providers()[0] == "CUDAExecutionProvider" else "cpu"
    if device == "cuda" and used != "cuda":
        raise RareTraceError("CUDA requested but onnxruntime fell back to the CPU; use --device cpu or auto")
    if used != "cuda" and providers[0] == "CUDAExecutionProvider":  # asked for, and dropped without an error
        note = note or ("running on the CPU: onnxruntime could not start CUDA (a driver too old for its CUDA, or "
                        "CUDA/cuDNN libraries missing)")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return Model(name or path.stem, path, session, used, digest, note)
