"""Where RareTrace keeps and finds its files (one place, so the GUI, CLI and bundle agree)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "RareTrace"


# A wheel carries resources/ and the ONNX models inside the package (setup.py copies them there).
INSTALLED_DATA = Path(__file__).resolve().parent / "_data"


def _project_root() -> Path:
    # PyInstaller unpacks data next to the executable (sys._MEIPASS); a source/editable install has app/raretrace.
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def _data_root() -> Path:
    """The folder holding resources/ and models/: the bundle's, an installed wheel's, or the source tree's."""
    if not getattr(sys, "_MEIPASS", None) and INSTALLED_DATA.is_dir():
        return INSTALLED_DATA
    return _project_root()


def resources_dir() -> Path:
    return Path(os.environ.get("RARETRACE_RESOURCES", _data_root() / "resources"))


def models_dir() -> Path:
    return Path(os.environ.get("RARETRACE_MODELS", _data_root() / "models"))


def help_dir() -> Path:
    """The user guide and other help pages shown by the application's Help menu."""
    return resources_dir() / "help"


def readme_path() -> Path:
    """The README, which travels with the data (setup.py, the bundle's spec): its data sources and licences section
    is shown under Help, so the statement of record is written once."""
    return _data_root() / "README.md"


def data_dir() -> Path:
    path = Path(os.environ.get("RARETRACE_HOME", platformdirs.user_data_dir(APP_NAME, appauthor=False)))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_kb_path() -> Path:
    env = os.environ.get("RARETRACE_KB")
    return Path(env) if env else data_dir() / "knowledge.sqlite"


def default_store_path() -> Path:
    env = os.environ.get("RARETRACE_STORE")
    return Path(env) if env else data_dir() / "cases.sqlite"


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks (VCFs can be large)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def synced(path: Path) -> None:
    """Force a file's written bytes to disk (before it is renamed over an earlier one: a power cut after the rename
    must find the new file whole, not empty). Raises OSError."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def process_runs(pid: int) -> bool:
    """Whether process `pid` runs on this machine, asked before a leftover temporary file named with it is removed:
    another user's process runs too (it cannot be signalled or opened, but it runs). PIDs naming no single process
    (0, negative) and any unexpected error count as running, so nothing of a live process is ever removed."""
    if pid <= 0:
        return True
    try:
        if sys.platform == "win32":
            return _windows_process_runs(pid)
        os.kill(pid, 0)  # signal 0 only asks, on POSIX; on Windows os.kill would end the process
    except ProcessLookupError:
        return False
    except Exception:  # PermissionError: another user's; OverflowError: a PID no system gives; anything else: doubt
        return True
    return True


def _windows_process_runs(pid: int) -> bool:
    import ctypes
    from ctypes import wintypes

    process_query_limited_information, still_active, error_invalid_parameter = 0x1000, 259, 87
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:  # no such process is ERROR_INVALID_PARAMETER; access denied (another user's) and the rest: runs
        return ctypes.get_last_error() != error_invalid_parameter
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active  # an ended process whose handle another holds open reads as ended
    finally:
        kernel32.CloseHandle(handle)


def write_private(path: Path, data: bytes) -> None:
    """Write a file of patient data readable by this OS user only, whole or not at all: through a new temporary file
    beside it (O_EXCL, a random name, so a file or link already at that name, another account's in a shared folder,
    is never written through), renamed into place, removed on any error. Raises OSError."""
    import secrets

    if os.path.exists(path) and not os.path.isfile(path):  # the rename would put the file in place of the node
        raise OSError(errno.EEXIST, "it exists and is not a regular file (a device, a pipe)", str(path))
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the rename: a power cut after it must not leave an empty file
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):  # on a read-only disk the clean-up fails too; the first error is the one
            tmp.unlink(missing_ok=True)
        raise
