"""SQLite files on disk, for the knowledge base (kb.py) and the case store (store.py) alike: recognising one whose
header is damaged by the table definitions still in its first pages, telling a full disk from other errors, and
why a file cannot be written (the case library of the KB, the case store), and opening one only to read."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

LOW_SPACE_BYTES = 1 << 20  # an I/O error with less free space than this on the file's disk is a full disk


def connect_read_only(path: Path, **kwargs) -> sqlite3.Connection:
    """A connection that only reads the SQLite file at `path`, opened by its file URI, in which a '#', '?' or '%' of
    the path is escaped, not read as the URI's parts ("kb#1.sqlite" opened a file "kb")."""
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, **kwargs)


def holds_table_definitions(path: Path, tables: Iterable[str], scan_bytes: int) -> bool:
    """Whether the first `scan_bytes` of the file hold a `CREATE TABLE` for every one of `tables` (named bare, as
    "name" or as [name], however the file was written): SQLite keeps its schema there, so a file whose header was
    overwritten is still recognised by it."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(scan_bytes)
    except OSError:
        return False
    forms = ('"{}"', "[{}]", "{} (", "{}(")
    return all(any(f"CREATE TABLE {form.format(name)}".encode() in start for form in forms) for name in tables)


def sqlite_error_name(exc: BaseException) -> str:
    """SQLite's name of the error (SQLITE_FULL, SQLITE_IOERR_WRITE ...), '' for other exceptions."""
    return str(getattr(exc, "sqlite_errorname", "") or "")


def disk_full(exc: BaseException, folder: Path) -> bool:
    """ENOSPC, SQLITE_FULL, or an I/O error (extending the -shm file, writing) on a disk with next to no free space
    left in `folder`."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    name, text = sqlite_error_name(exc), str(exc)
    if name == "SQLITE_FULL" or "database or disk is full" in text:
        return True
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        try:
            return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
        except OSError:
            return False
    return False


def read_only_file_system(path: Path) -> bool:
    """Whether `path` (a file or folder that exists) lies on a file system mounted read-only (a write-protected
    card, a read-only network share, a snapshot): there no permission the user can change makes it writable."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): not told apart from a read-only file
        return False


def why_not_writable(exc: BaseException, path: Path) -> str | None:
    """Why the SQLite file at `path` cannot be written (a full disk, a read-only folder, file or file system,
    side files that cannot be made), in plain words; None for other errors."""
    name, text = sqlite_error_name(exc), str(exc)
    if disk_full(exc, path.parent):
        return "the disk is full"
    if (name.startswith("SQLITE_READONLY") or "readonly database" in text) and read_only_file_system(path.parent):
        return "the file system is read-only"
    if name == "SQLITE_READONLY_DIRECTORY" or (
        (name.startswith("SQLITE_READONLY") or "readonly database" in text) and not os.access(path.parent, os.W_OK)
    ):
        return "its folder is read-only"
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return "the file or its file system is read-only"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return "its -wal/-shm side files cannot be created"
    return None
