"""User preferences and window state in QSettings (organisation "RareTrace", application "RareTrace"), in a file
readable by this OS user only (it lists recently opened case files).

RARETRACE_GUI_SETTINGS names an INI file to use instead of the platform's store (tests and portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "RareTrace"
APPLICATION = "RareTrace"
DEVICES = ("auto", "cpu", "cuda")
PAGE_SIZES = ("A4", "Letter")
MAX_RECENT = 10


def private_settings_file(path: Path) -> None:
    """Make the settings file readable by this OS user only before Qt first writes it: it holds the recent files
    and the last folder (paths that often name the patient), the clinician's name and the knowledge base's path.
    Qt would create it (and its folder) with the umask's mode, world-readable under the usual 022; it rewrites the
    file through QSaveFile, which keeps the mode of the file it replaces, so a file made 0600 here stays 0600.
    A new folder is made 0700; an existing file with looser permissions is tightened. Failures (a read-only
    folder, another owner) leave it to Qt, which then reports its own status."""
    try:
        folder = path.parent
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
            os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        elif path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
    except OSError:
        pass


class Preferences:
    def __init__(self, path: str | os.PathLike | None = None) -> None:
        path = path or os.environ.get("RARETRACE_GUI_SETTINGS")
        if path:
            self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self.qsettings = QSettings(ORGANISATION, APPLICATION)
        if self.qsettings.format() != QSettings.Format.NativeFormat or os.name != "nt":  # a file, not the registry
            private_settings_file(Path(self.qsettings.fileName()))

    def _get(self, key: str, default: str = "") -> str:
        value = self.qsettings.value(key, default)
        return default if value is None else str(value)

    def _set(self, key: str, value: object) -> None:
        self.qsettings.setValue(key, value)

    # -- analysis

    @property
    def device(self) -> str:
        value = self._get("analysis/device", "auto")
        return value if value in DEVICES else "auto"

    @device.setter
    def device(self, value: str) -> None:
        self._set("analysis/device", value if value in DEVICES else "auto")

    @property
    def kb_path(self) -> str:
        """Empty: the default location ($RARETRACE_KB or the user data directory)."""
        return self._get("analysis/kb_path", "")

    @kb_path.setter
    def kb_path(self, value: str) -> None:
        self._set("analysis/kb_path", value)

    # -- report defaults

    @property
    def page_size(self) -> str:
        value = self._get("report/page_size", "A4")
        return value if value in PAGE_SIZES else "A4"

    @page_size.setter
    def page_size(self, value: str) -> None:
        self._set("report/page_size", value)

    @property
    def top_n(self) -> int:
        try:
            return max(1, min(100, int(self._get("report/top_n", "10"))))
        except ValueError:
            return 10

    @top_n.setter
    def top_n(self, value: int) -> None:
        self._set("report/top_n", int(value))

    @property
    def clinician(self) -> str:
        return self._get("report/clinician", "")

    @clinician.setter
    def clinician(self, value: str) -> None:
        self._set("report/clinician", value)

    # -- files

    @property
    def recent_files(self) -> list[str]:
        value = self.qsettings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent(self, path: str | Path) -> None:
        path = str(path)
        recent = [p for p in self.recent_files if p != path]
        self._set("files/recent", [path, *recent][:MAX_RECENT])

    @property
    def vcf_filters(self) -> tuple[str, ...] | None:
        """FILTER values of the VCF accepted when reading variants (None: every record)."""
        from ..analysis import DEFAULT_FILTERS, parse_filters
        from ..errors import RareTraceError

        try:
            return parse_filters(self._get("variants/filters", ",".join(DEFAULT_FILTERS)))
        except RareTraceError:
            return DEFAULT_FILTERS

    @vcf_filters.setter
    def vcf_filters(self, value: tuple[str, ...] | None) -> None:
        from ..analysis import filters_text

        self._set("variants/filters", filters_text(value))

    @property
    def last_dir(self) -> str:
        return self._get("files/last_dir", str(Path.home()))

    @last_dir.setter
    def last_dir(self, value: str) -> None:
        self._set("files/last_dir", value)

    # -- window

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self.qsettings.value("window/geometry"), self.qsettings.value("window/state")

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._set("window/geometry", geometry)
        self._set("window/state", state)

    def sync(self) -> None:
        self.qsettings.sync()
