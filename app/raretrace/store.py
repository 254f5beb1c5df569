"""The local case store: one SQLite file (WAL) holding cases, their analyses and an audit log.

Tables: cases, phenotypes (present/excluded, onset, source typed|extracted|imported), files (path, SHA-256, build,
sample), analyses (inputs, versions, the full result with evidence as `AnalysisResult.to_json()`), audit (what
changed, when, by which OS user). Every save is one transaction, so a crash leaves either the old or the new case.
Reads never wait for a save (their own connection, WAL), even one waiting for another process's write lock.
The file is readable by this OS user only (patient data), and deleted content is overwritten (secure_delete).

The GUI autosaves through `save_case`, so an unchanged case costs only a few reads and writes nothing.
`save_case(..., expected_revision=N)` saves only over revision N of the case (StoreConflict otherwise), so two
windows or processes editing one case never silently overwrite each other's edits.
Opening checks the file (PRAGMA quick_check): a damaged store is copied aside and refused (StoreDamaged). A store
that cannot be written (a read-only file or folder, a full disk) is opened read-only: reading works, saving says why
not (`CaseStore.read_only`).
Nothing here imports the ranking: re-analysis takes the analysis as a function.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import getpass
import json
import os
import re
import secrets
import shutil
import sqlite3
import threading
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

import sqlite_utils

from .case import NOTE_KEY, Case, CaseFile, Phenotype, stored_onset
from .errors import RareTraceError
from .paths import data_dir, default_store_path, sha256_file
from .sqlite_files import (
    disk_full,
    holds_table_definitions,
    read_only_file_system,
    sqlite_error_name,
    why_not_writable,
)

# 2: an analysis's result is stored zlib-compressed (a BLOB); results of version 1 (JSON text) are read as they are.
SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 30  # how long a save waits for another process's write transaction before it fails
APPLICATION_ID = 0x52547263  # "RTrc": marks the file as a RareTrace case store


class StoreConflict(RareTraceError):
    """The case was saved elsewhere (another window or process) since the revision an edit was based on, or deleted
    there (`stored` 0, `deleted`), or deleted there and another case stored under its ID since (`recreated`: `stored`
    is the new case's revision, `creation` its creation marker)."""

    def __init__(self, case_id: str, expected: int, stored: int, recreated: bool = False,
                 creation: str | None = None) -> None:
        if recreated:
            message = (f"case {case_id!r} was deleted elsewhere and a new case was stored under its ID since revision "
                       f"{expected}, which this edit was based on; nothing was saved, so the new case stands")
        elif stored == 0:
            message = (f"case {case_id!r} was deleted elsewhere since revision {expected}, which this edit was based "
                       "on; nothing was saved, so the deletion stands")
        else:
            message = (f"case {case_id!r} was changed elsewhere: the store has revision {stored}, this edit was based "
                       f"on revision {expected}; nothing was saved (open the case again to see the stored version)")
        super().__init__(message)
        self.case_id, self.expected, self.stored = case_id, expected, stored
        self.recreated, self.creation = recreated, creation

    @property
    def deleted(self) -> bool:
        return self.stored == 0


class StoreDamaged(RareTraceError):
    """The store file is damaged (failed PRAGMA quick_check, or SQLite found it malformed while in use)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def local_time(stamp: str | None) -> str:
    """A stored time (UTC, ISO 8601) as the user reads it: "YYYY-MM-DD HH:MM" in the computer's time zone (in
    UTC the date itself can be a day off: a case changed at 02:14 in Auckland is stored as 13:14 the day before)."""
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:  # not written by this store: shown as it is
        return stamp[:16].replace("T", " ")
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def os_user() -> str:
    """The OS account that made a change (the audit log's `user`)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in this environment
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _unjson(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _pack(value: Any) -> bytes | None:
    """An analysis result as stored: its JSON, zlib-compressed. A full result with evidence is 70-700 KB of JSON
    (median 270 KB for real cases, top 20) and compresses about ninefold; each analysis is kept for good (the
    case's history), so the store grows by this much per analysis."""
    text = _json(value)
    return None if text is None else zlib.compress(text.encode("utf-8"), 6)


def _unpack(data: bytes | str | None) -> Any:
    """A stored result: compressed JSON (a BLOB), or JSON text as stores of schema version 1 hold it."""
    if data is None:
        return None
    if isinstance(data, str):
        return json.loads(data)
    return json.loads(zlib.decompress(data).decode("utf-8"))


_ANALYSIS_COLUMNS = "id, case_id, created_at, user, case_revision, inputs, versions"  # then the result


def _folded(text: str | None) -> str | None:
    """Text as a search compares it (the SQL function `folded`): composed (NFC) and case-folded in any script, as
    SQLite's LIKE folds only ASCII letters ('émilie' missed 'Émilie', 'ZOË' missed 'Zoë')."""
    return None if text is None else unicodedata.normalize("NFC", text).casefold()


def _with_search(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.create_function("folded", 1, _folded, deterministic=True)
    return conn


def _genes_text(result: Any) -> str:
    """The genes an analysis result ranked, as the case search matches them: symbols one per line, best first."""
    genes = (result or {}).get("genes") if isinstance(result, dict) else None
    return "\n".join(str(g.get("id", "")) for g in genes or () if isinstance(g, dict))


# A gene hypothesis as AnalysisResult.to_json writes it (asdict: kind, then id), found in the text of a stored result.
_GENE_HYPOTHESIS = re.compile(r'\{"kind":\s*"gene",\s*"id":\s*"((?:[^"\\]|\\.)*)"')


def _stored_genes(result: bytes | str | None) -> str:
    """_genes_text of a stored result (filling the column for analyses stored before it); "" for one that cannot
    be read (it is not read again at every opening). The gene hypotheses are found in the result's text: parsing a
    whole result (270 KB of JSON) took 13 ms, finding them 1-2 ms, for each analysed case once."""
    try:
        text = zlib.decompress(result).decode("utf-8") if isinstance(result, bytes) else result or ""
        found = [json.loads(f'"{g}"') for g in _GENE_HYPOTHESIS.findall(text)]
        return "\n".join(found) if found else _genes_text(json.loads(text) if text else None)
    except (ValueError, zlib.error):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return ""


def _stored_analysis(row: tuple) -> StoredAnalysis:
    """A row of _ANALYSIS_COLUMNS and the result (or NULL) as the analysis it stores."""
    i, c, at, u, rev, inp, ver, res = row
    return StoredAnalysis(i, c, at, u, rev, _unjson(inp) or {}, _unjson(ver) or {}, _unpack(res))


@dataclass(frozen=True, slots=True)
class CaseSummary:
    id: str
    subject_id: str
    sex: str | None
    age: str | None
    present: int
    excluded: int
    files: int
    analyses: int
    created_at: str
    updated_at: str
    last_analysed_at: str | None
    # the case changed after its latest analysis (its revision is newer than the one analysed)
    changed_since_analysis: bool = False

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class StoredFile:
    path: str
    sha256: str | None  # None when the file was never readable from this workstation
    assembly: str | None
    sample: str | None
    size: int | None


@dataclass(frozen=True, slots=True)
class StoredAnalysis:
    id: int
    case_id: str
    created_at: str
    user: str
    case_revision: int
    inputs: dict[str, Any]  # the case as analysed: features, sex, age, files with SHA-256
    versions: dict[str, Any]  # HPO release, models, RareTrace version
    result: dict[str, Any] | None  # AnalysisResult.to_json(); None when listed without results


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    case_id: str
    at: str
    user: str
    action: str  # created | updated | analysed | exported | deleted
    changes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RankChange:
    kind: str  # disease | gene
    id: str
    label: str
    status: str  # new | removed | moved
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None


@dataclass(frozen=True, slots=True)
class Reanalysis:
    case_id: str
    analysis_id: int | None  # the stored new analysis (None when not recorded)
    previous_analysis_id: int | None  # None: the case had never been analysed
    changes: tuple[RankChange, ...]  # hypotheses that entered, left or moved within the top ranks
    versions_changed: dict[str, tuple[Any, Any]]  # name -> (old, new)
    inputs_changed: tuple[str, ...]  # what changed in the case since the previous analysis
    result: dict[str, Any]
    previous: StoredAnalysis | None = None  # the analysis compared with, as stored (its result, when it ran)


_SCHEMA_SCAN_BYTES = 64 * 1024  # the schema of a case store fits in its first pages (4 KB each)
_SCHEMA = {
    "cases": (
        {
            "id": str, "subject_id": str, "sex": str, "age": str, "source_path": str, "extra": str,
            "created_at": str, "updated_at": str, "revision": int,
        },
        {"pk": "id", "not_null": {"subject_id", "extra", "created_at", "updated_at", "revision"}},
    ),
    "phenotypes": (
        {
            "case_id": str, "position": int, "term_id": str, "label": str, "excluded": int, "onset": str,
            "source": str, "details": str,
        },
        {
            "pk": ("case_id", "position"),
            "not_null": {"term_id", "label", "excluded", "source"},
            "foreign_keys": [("case_id", "cases", "id")],
        },
    ),
    "files": (
        {
            "case_id": str, "position": int, "path": str, "sha256": str, "assembly": str, "sample": str,
            "size": int, "mtime_ns": int, "details": str,
        },
        {"pk": ("case_id", "position"), "not_null": {"path"}, "foreign_keys": [("case_id", "cases", "id")]},
    ),
    "analyses": (
        {
            # result: zlib-compressed JSON (bytes); JSON text in stores written before schema version 2
            "id": int, "case_id": str, "created_at": str, "user": str, "case_revision": int, "inputs": str,
            "versions": str, "result": str,
        },
        {"pk": "id", "not_null": {"case_id", "created_at", "user"}, "foreign_keys": [("case_id", "cases", "id")]},
    ),
    # The audit log outlives deleted cases on purpose (who deleted what, and when), so it has no foreign key.
    "audit": (
        {"id": int, "case_id": str, "at": str, "user": str, "action": str, "changes": str},
        {"pk": "id", "not_null": {"case_id", "at", "user", "action", "changes"}},
    ),
}


def _made_read_only(path: Path) -> bool:
    """True when the user made the store file read-only (no write permission bit, or none for this user)."""
    return not path.stat().st_mode & 0o222 or not os.access(path, os.W_OK)


def _prepare_file(path: Path) -> None:
    """Create the store (and its folder, if new) readable by this OS user only. An existing file with loose
    permissions is tightened, unless the user made it read-only: its permissions are then left as they are (the
    store is opened read-only)."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process may have created it meanwhile
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return
    if _made_read_only(path) or (path.stat().st_size and not _looks_like_store(path)):
        return  # not a case store (nor an empty file, a new one): refused when opened, and left exactly as it was
    # SQLite gives the -wal and -shm files the permissions of the database; ones left by a read-only session are
    # made writable again, or the next save would fail. A read-only file system or another owner: left alone.
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            if p.exists() and p.stat().st_mode & 0o777 != 0o600:
                os.chmod(p, 0o600)


def _looks_like_store(path: Path) -> bool:
    """True when the file is a RareTrace case store, damaged or not: its header says so, or, with the header itself
    overwritten, the table definitions of a case store are still in the file's first pages (where SQLite keeps its
    schema)."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError:
        return False
    if header[:16] == b"SQLite format 3\x00" and header[68:72] == APPLICATION_ID.to_bytes(4, "big"):
        return True
    return holds_table_definitions(path, _SCHEMA, _SCHEMA_SCAN_BYTES)


def _file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path` now; None when there is none."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _one_line(text: str, limit: int = 160) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _write_error(exc: sqlite3.OperationalError, path: Path) -> str:
    """The reason of a failed write in plain words."""
    if disk_full(exc, path.parent):
        return "the disk is full; free some space and save again"
    if sqlite_error_name(exc).startswith("SQLITE_BUSY") or "database is locked" in str(exc):
        return (f"another program (another RareTrace window, a `raretrace case` command) kept it locked for more "
                f"than {BUSY_TIMEOUT_S:g} s; nothing was changed: try again once it has finished")
    return str(exc)


def _copy_private(src: Path, dst: Path) -> Path:
    """Copy `src` to a new file `dst` (or `dst-2`, ...) readable by this OS user only; the path written."""
    target, n = dst, 1
    while True:
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            n += 1
            target = dst.with_name(f"{dst.name}-{n}")
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            shutil.copyfileobj(inp, out)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def absent_store(path: str | Path | None = None) -> Path | None:
    """The store's path when no case store exists there yet (none is made until a case is saved: a new install's
    store holds no case), else None. A path below a file, where no store could ever be made, is an error."""
    target = Path(path) if path else default_store_path()
    if target.exists() or target.is_symlink():
        return None
    for folder in target.parents:  # the nearest existing folder above it must be one
        if folder.exists():
            if not folder.is_dir():
                raise RareTraceError(f"no case store can be at {target}: {folder} is a file, not a folder; "
                                     "check the path")
            break
    return target


class CaseStore:
    """The case store at `path` (default: the user data directory). Safe to share between threads. It (and its
    folder) is created on first use; with create=False (reading only: list, show, export) a missing store is an
    error instead (`case list` asks `absent_store` first: a store not made yet lists no case)."""

    def __init__(self, path: str | Path | None = None, create: bool = True) -> None:
        self.path = Path(path) if path else default_store_path()
        # Why the store is open read-only (a read-only file or folder, a full disk), or None when it can be written.
        self.read_only: str | None = None
        if self.path.is_dir():
            raise RareTraceError(f"case store {self.path} is a folder; give a file name such as cases.sqlite")
        if self.path.exists() and not self.path.is_file():  # SQLite would say "disk I/O error" of a write
            raise RareTraceError(f"case store {self.path} is not a file (a device or a pipe); give a file name such "
                                 "as cases.sqlite")
        if not create and not self.path.exists():
            raise RareTraceError(f"no case store at {self.path} yet; import a case first (`raretrace case import`), "
                                 "or check the path")
        try:
            _prepare_file(self.path)
        except OSError as exc:
            raise RareTraceError(f"cannot create the case store {self.path}: {exc.strerror or exc}") from exc
        # Two connections, so that reading never waits for a save: a save can wait up to BUSY_TIMEOUT_S for another
        # process's write transaction (a `raretrace case` command, another window), and in WAL mode a reader
        # needs no lock at all. `_lock` guards the reading connection, `_write_lock` the writing one (opened with
        # the first save); a thread in a write transaction reads through the writing one (`conn`).
        self._lock = threading.RLock()
        self._write_lock = threading.RLock()
        self._writing = threading.local()
        self._reader: sqlite3.Connection | None = None
        self._writer: sqlite3.Connection | None = None
        self._closed = False
        try:
            if _made_read_only(self.path):
                # (os.access says a file on a read-only file system is not writable, as one without write permission)
                self._open_read_only("the file system is read-only" if read_only_file_system(self.path)
                                     else "the file is read-only")
            else:
                try:
                    self._reader = self._connect()
                    self._open()
                except sqlite3.OperationalError as exc:
                    reason = why_not_writable(exc, self.path)
                    if reason is None:
                        raise
                    self._close_quietly()
                    self._open_read_only(reason)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):  # unreadable, locked, disk full: not a format problem
                self._close_quietly()
                full = " (the disk is full)" if disk_full(exc, self.path.parent) else ""
                raise RareTraceError(f"cannot open the case store {self.path}: {exc}{full}") from exc
            if self._looks_like_a_store():
                raise self._damaged(str(exc)) from exc  # copies the file aside first, then closes
            self._close_quietly()
            raise RareTraceError(f"{self.path} is not a RareTrace case store ({exc})") from exc
        except BaseException:
            self._close_quietly()
            raise

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection this thread reads through: the writing one inside a write transaction (it sees what the
        transaction wrote so far), else the reading one."""
        return getattr(self._writing, "conn", None) or self._reader

    def _connect(self) -> sqlite3.Connection:
        # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE ... COMMIT) around every save.
        return _with_search(sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S,
                                            check_same_thread=False))

    def _close_quietly(self) -> None:
        for conn in (self._writer, self._reader):
            if conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()

    def _open_read_only(self, reason: str) -> None:
        """Reopen for reading only: SQLite's read-only mode, or, where even that needs side files it cannot create
        (a read-only folder, a full disk), the file as immutable (what is still in a -wal file is then not seen)."""
        uri = self.path.absolute().as_uri()
        wal = Path(f"{self.path}-wal")
        last: sqlite3.OperationalError | None = None
        # Without a -wal file no process is writing the store: read it as immutable, which leaves no side files
        # behind (read-only mode would create -wal/-shm files, read-only too, next to a read-only store).
        for params in ("mode=ro", "immutable=1") if wal.exists() else ("immutable=1",):
            try:
                conn = sqlite3.connect(f"{uri}?{params}", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S,
                                       check_same_thread=False)
            except sqlite3.OperationalError as exc:
                last = exc
                continue
            try:
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError as exc:
                conn.close()
                last = exc
                continue
            if params == "immutable=1" and wal.is_file() and wal.stat().st_size:
                reason += f"; the latest changes, still in {wal.name}, are not shown"
            self._reader, self.read_only = _with_search(conn), reason
            self._open()
            return
        assert last is not None
        raise last

    def _looks_like_a_store(self) -> bool:
        """True when the file is a RareTrace case store (so an error reading it means damage): its header says so,
        or, with the header itself overwritten, the table definitions of a case store are still in the file's
        first pages (where SQLite keeps its schema)."""
        return _looks_like_store(self.path)

    def _damaged(self, detail: str) -> StoreDamaged:
        """Copy the damaged file (and its -wal) aside before anything else, close it, and say where the copy is."""
        copy, problem = self._earlier_copy(), ""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        for folder in self._copy_folders() if copy is None else []:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                copy = _copy_private(self.path, folder / f"{self.path.name}.damaged-{stamp}")
                wal = Path(f"{self.path}-wal")
                if wal.is_file() and wal.stat().st_size:
                    _copy_private(wal, Path(f"{copy}-wal"))
                break
            except OSError as exc:
                problem = exc.strerror or str(exc)
                copy = None
        self._close_quietly()
        kept = (f"a copy of it as found is in {copy}" if copy else
                f"no copy could be written ({problem}): copy the file yourself before anything else")
        return StoreDamaged(f"the case store {self.path} is damaged ({_one_line(detail, 100)}); {kept}; restore the "
                            "store from a backup, or move the file away to start a new store")

    def _copy_folders(self) -> list[Path]:
        """Where a damaged store is copied: its own folder, else the user data directory."""
        folders = [self.path.parent]
        with contextlib.suppress(OSError):
            folders.append(data_dir() / "damaged-stores")
        return folders

    def _earlier_copy(self) -> Path | None:
        """A copy made by an earlier attempt to open the store, when the store has not changed since (each attempt
        would otherwise copy it again)."""
        try:
            st = self.path.stat()
            for folder in self._copy_folders():
                for copy in sorted(folder.glob(f"{glob_escape(self.path.name)}.damaged-*")):
                    cs = copy.stat()
                    if not copy.name.endswith("-wal") and cs.st_size == st.st_size and cs.st_mtime_ns >= st.st_mtime_ns:
                        return copy
        except OSError:
            pass
        return None

    def _open(self) -> None:
        conn = self.conn
        self._identity = _file_identity(self.path)  # the file the connection has open (see _write)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
            raise sqlite3.DatabaseError("another kind of SQLite database")
        if tables:
            # Before anything that writes: a damaged store is copied aside as found and refused. Measured cost:
            # 500 cases (1.6 MB) 8 ms; with 1,000 analyses stored (260 MB) 60 ms, 0.4 s from a cold disk cache.
            rows = conn.execute("PRAGMA quick_check").fetchall()
            if [r[0] for r in rows] != ["ok"]:
                raise self._damaged("; ".join(str(r[0]) for r in rows[:3]))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:  # refused before anything is written to it (its journal mode included)
            raise RareTraceError(f"case store {self.path} was written by a newer RareTrace; update RareTrace")
        if not self.read_only:
            conn.execute("PRAGMA journal_mode = WAL")  # kept in the file: every connection to it uses WAL
        if version and self.read_only:
            # a store of an earlier schema version that cannot be written now: read as it is (this version reads
            # what every earlier one wrote), and upgraded when next opened writable
            self._check_columns()
        elif version == 1:
            # 1 -> 2: nothing to rewrite (results of version 1, JSON text, stay readable as they are); the store is
            # stamped 2 only with its first compressed result (record_analysis), so that until then the RareTrace
            # it came from still opens it: a clinic can go back after trying an update. From then on, a case's
            # text results are compressed as it is next saved or analysed (_compress_text_results)
            self._check_columns()
        elif version < SCHEMA_VERSION:
            if self.read_only:
                raise RareTraceError(f"the case store {self.path} cannot be set up: {self.read_only}")
            # Version 0 (new): create the tables
            with self._write():
                for name, (columns, options) in _SCHEMA.items():
                    self.db[name].create(columns, if_not_exists=True, **options)
                self._check_columns()  # tables of an older layout are refused, never stamped as current
                self.db["phenotypes"].create_index(["term_id"], if_not_exists=True)
                self.db["analyses"].create_index(["case_id"], if_not_exists=True)
                self.db["audit"].create_index(["case_id"], if_not_exists=True)
                self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # the writing connection
                self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        else:
            self._check_columns()
        self._mark_creations()
        self._index_genes()

    def _mark_creations(self) -> None:
        """cases.creation_token, a random token given to each case as it is first stored, so that a window can tell
        the case it read from a new case stored under the same ID after it was deleted (its revision starts at 1
        again). The column is added to a store an earlier RareTrace wrote, which reads and writes on without it (its
        new cases get none); a case without one is told by its creation time (`_CREATION`), never rewritten."""
        have = {r[1] for r in self.conn.execute("PRAGMA table_info(cases)")}
        self._has_creation_token = "creation_token" in have
        if self.read_only or self._has_creation_token:
            return
        with self._write():  # checked again under the write lock: another process may have just added it
            if "creation_token" not in {r[1] for r in self.conn.execute("PRAGMA table_info(cases)")}:
                self.conn.execute("ALTER TABLE cases ADD COLUMN creation_token TEXT")
        self._has_creation_token = True

    @property
    def _creation(self) -> str:
        """The SQL of a case's creation marker: its token, else (stored without one) its creation time."""
        return "COALESCE(creation_token, created_at)" if self._has_creation_token else "created_at"

    def _index_genes(self) -> None:
        """The genes each analysis ranked, as text in analyses.genes, so that the case search finds a case by a
        gene of its latest analysis without unpacking every stored result (hundreds of kilobytes each). The column
        is added to a store an earlier RareTrace wrote (which reads and writes on without it: nothing else
        changes), and filled for the analyses stored without it, once. A store that cannot be written is searched
        without it."""
        have = {r[1] for r in self.conn.execute("PRAGMA table_info(analyses)")}
        self._genes_indexed = "genes" in have
        if self.read_only:
            return
        if not self._genes_indexed:
            with self._write():  # checked again under the write lock: another process may have just added it
                if "genes" not in {r[1] for r in self.conn.execute("PRAGMA table_info(analyses)")}:
                    self.conn.execute("ALTER TABLE analyses ADD COLUMN genes TEXT")
            self._genes_indexed = True
        # each case's latest analysis is what the search reads (also one stored by an earlier RareTrace since)
        missing = self.conn.execute(
            "SELECT id, result FROM analyses a WHERE genes IS NULL AND id = "
            "(SELECT MAX(id) FROM analyses b WHERE b.case_id = a.case_id)").fetchall()
        if missing:
            with self._write():
                self.conn.executemany("UPDATE analyses SET genes = ? WHERE id = ?",
                                      [(_stored_genes(result), i) for i, result in missing])

    def _check_columns(self) -> None:
        """Every table has the columns this version reads and writes; else one clear error (nothing written)."""
        missing = []
        for name, (columns, _options) in _SCHEMA.items():
            have = {r[1] for r in self.conn.execute(f"PRAGMA table_info({name})")}
            missing += [f"{name}.{c}" for c in columns if c not in have]
        if missing:
            raise RareTraceError(
                f"the case store {self.path} has another layout than this RareTrace uses (missing "
                f"{', '.join(missing[:4])}{' ...' if len(missing) > 4 else ''}); open it with the RareTrace that "
                "wrote it and export its cases, or give another store with --store"
            )

    def close(self) -> None:
        with self._write_lock, self._lock:
            self._closed = True
            self._close_quietly()

    def require_writable(self) -> None:
        """Raise the one-line reason when the store is open read-only (before work whose result must be saved)."""
        if self.read_only:
            raise RareTraceError(f"the case store {self.path} can only be read ({self.read_only}); nothing was saved")

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _writing_connection(self) -> sqlite3.Connection:
        if self._writer is None:
            if self._closed:  # as the reading connection says once closed
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
            conn = self._connect()
            conn.execute("PRAGMA synchronous = FULL")  # a reported save survives power loss, not only a crash
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")
            self._writer, self.db = conn, sqlite_utils.Database(conn)
        return self._writer

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction; IMMEDIATE takes the write lock up front so concurrent savers wait, never deadlock.
        Must not be entered holding `_lock` (a waiting save would hold every read up)."""
        self.require_writable()
        with self._write_lock:
            conn = self._writing_connection()
            self._writing.conn = conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    if _file_identity(self.path) != self._identity:
                        # A save to the file as opened would go where nobody finds it: a deleted file's content
                        # goes with the last connection, a moved one's stays in a -wal file under the old name.
                        raise RareTraceError(
                            f"could not write to the case store {self.path}: its file was moved, replaced or deleted "
                            "since it was opened; nothing was saved (open the store again: restart RareTrace)"
                        )
                    yield
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:  # busy for BUSY_TIMEOUT_S, disk full, read-only file system
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise RareTraceError(
                    f"could not write to the case store {self.path}: {_write_error(exc, self.path)}"
                ) from exc
            finally:
                self._writing.conn = None

    def _audit(self, case_id: str, action: str, changes: list[str]) -> None:
        self.db["audit"].insert(
            {"case_id": case_id, "at": _now(), "user": os_user(), "action": action, "changes": _json(changes)}
        )

    # -- cases

    def __contains__(self, case_id: object) -> bool:
        with self._lock:
            return self.conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is not None

    def _read_case(self, case_id: str) -> Case | None:
        row = self.conn.execute(
            "SELECT id, subject_id, sex, age, source_path, extra FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        if row is None:
            return None
        phenotypes = []
        for t, lbl, x, o, s, d in self.conn.execute(
            "SELECT term_id, label, excluded, onset, source, details FROM phenotypes WHERE case_id = ? ORDER BY position",
            (case_id,),
        ):
            details = _unjson(d)
            phenotypes.append(Phenotype(id=t, label=lbl, excluded=bool(x), onset=stored_onset(o, details), source=s,
                                        details=details))
        files = tuple(
            CaseFile(path=p, assembly=a, sample=s, details=_unjson(d))
            for p, a, s, d in self.conn.execute(
                "SELECT path, assembly, sample, details FROM files WHERE case_id = ? ORDER BY position", (case_id,)
            )
        )
        return Case(
            id=row[0], subject_id=row[1], sex=row[2], age=row[3], source_path=row[4], extra=_unjson(row[5]) or {},
            phenotypes=tuple(phenotypes), files=files,
        )

    def file_differences(self, case: Case) -> list[str]:
        """What opening or importing a phenopacket file of a stored case's ID would change in the stored case, in
        words (empty: the same, or not stored). The file's own path is no change of substance (the same case copied
        or moved elsewhere)."""
        with self._lock:
            old = self._read_case(case.id)
            if old is None:
                return []
            case = replace(case, source_path=old.source_path)
            return _describe_changes(old, case, self._hashes(case.id), self._digests(case))

    def load_case(self, case_id: str) -> Case:
        with self._lock:
            case = self._read_case(case_id)
        if case is None:
            raise RareTraceError(f"no case {case_id!r} in the case store {self.path}; see `raretrace case list`")
        return case

    def load_with_revision(self, case_id: str) -> tuple[Case, int]:
        """The stored case and its revision, read in one snapshot: edit the case, then save it with
        `save_case(case, expected_revision=revision)` so that a save made elsewhere meanwhile is never overwritten."""
        case, revision, _creation = self.load_with_version(case_id)
        return case, revision

    def load_with_version(self, case_id: str) -> tuple[Case, int, str]:
        """The stored case, its revision and its creation marker, read in one snapshot: save the edited case with
        `save_case(case, expected_revision=revision, expected_creation=creation)`, so that neither a save made
        elsewhere meanwhile nor a new case stored under its ID after it was deleted is ever overwritten."""
        with self._lock:
            self.conn.execute("BEGIN")  # one read transaction: no other process's save falls between the two reads
            try:
                case = self._read_case(case_id)
                row = self._version(case_id)
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")
        if case is None or row is None:
            raise RareTraceError(f"no case {case_id!r} in the case store {self.path}; see `raretrace case list`")
        return case, *row

    def _version(self, case_id: str) -> tuple[int, str] | None:
        row = self.conn.execute(f"SELECT revision, {self._creation} FROM cases WHERE id = ?", (case_id,)).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def version(self, case_id: str) -> tuple[int, str] | None:
        """(revision, creation marker) of the case as stored now; None when it is not stored. A marker other than
        the one an edit read means the case was deleted and another stored under its ID since."""
        with self._lock:
            return self._version(case_id)

    def files(self, case_id: str) -> list[StoredFile]:
        with self._lock:
            rows = self.conn.execute(
                "SELECT path, sha256, assembly, sample, size FROM files WHERE case_id = ? ORDER BY position",
                (case_id,),
            ).fetchall()
        return [StoredFile(*row) for row in rows]

    def _digests(self, case: Case) -> dict[str, tuple[str | None, int | None, int | None]]:
        """SHA-256, size and mtime per file path; hashed again only when the file is new or changed on disk."""
        with self._lock:
            known = {
                p: (h, s, m)
                for p, h, s, m in self.conn.execute(
                    "SELECT path, sha256, size, mtime_ns FROM files WHERE case_id = ?", (case.id,)
                )
            }
        out: dict[str, tuple[str | None, int | None, int | None]] = {}
        for f in case.files:
            old = known.get(f.path, (None, None, None))
            try:
                st = os.stat(f.path)
            except OSError:  # moved or on a disk not mounted now: keep what was recorded
                out[f.path] = old
                continue
            if old[0] and old[1] == st.st_size and old[2] == st.st_mtime_ns:
                out[f.path] = old
                continue
            try:
                out[f.path] = (sha256_file(f.path), st.st_size, st.st_mtime_ns)
            except OSError:
                out[f.path] = old
        return out

    def save_case(self, case: Case, note: str | None = None, expected_revision: int | None = None,
                  expected_creation: str | None = None) -> list[str]:
        """Insert or update `case` in one transaction and log what changed; returns the changes (empty: unchanged).

        `note` (e.g. "imported from FILE") is added to the audit entry. `expected_revision`: the revision the edit
        was based on (from `revision()` when the case was loaded); when the stored case has another one (it was
        saved elsewhere meanwhile), StoreConflict is raised and nothing is written. 0 means "not stored yet".
        `expected_creation`: the creation marker read with that revision (`load_with_version`); a stored case with
        another one is a new case stored under the ID after the one edited was deleted (StoreConflict, `recreated`).
        """
        if not case.id or not case.id.strip():
            raise RareTraceError("a case needs an ID before it can be saved")
        digests = self._digests(case)  # hashing happens outside the write lock
        with self._lock:  # an unchanged case (most autosaves) is told by reading alone
            old = self._read_case(case.id)
            self._check_revision(case.id, expected_revision, old is not None, expected_creation)
            if old is not None and not _describe_changes(old, case, self._hashes(case.id), digests):
                return []
        with self._write():
            old = self._read_case(case.id)
            self._check_revision(case.id, expected_revision, old is not None, expected_creation)  # again, locked
            changes = _describe_changes(old, case, self._hashes(case.id), digests)
            if not changes:
                return []
            now = _now()
            revision = 1 if old is None else self.revision(case.id) + 1
            row = {
                "id": case.id, "subject_id": case.subject_id or "", "sex": case.sex, "age": case.age,
                "source_path": case.source_path, "extra": _json(case.extra or {}), "updated_at": now,
                "revision": revision,
            }
            if old is None:
                self.db["cases"].insert(row | {"created_at": now, "creation_token": secrets.token_hex(16)})
            else:
                self.db["cases"].update(case.id, row)
            self.db["phenotypes"].delete_where("case_id = ?", [case.id])
            self.db["phenotypes"].insert_all(
                {
                    "case_id": case.id, "position": n, "term_id": p.id, "label": p.label or "",
                    "excluded": int(p.excluded), "onset": p.onset, "source": p.source, "details": _json(p.details),
                }
                for n, p in enumerate(case.phenotypes)
            )
            self.db["files"].delete_where("case_id = ?", [case.id])
            self.db["files"].insert_all(
                {
                    "case_id": case.id, "position": n, "path": f.path, "sha256": digests[f.path][0],
                    "assembly": f.assembly, "sample": f.sample, "size": digests[f.path][1],
                    "mtime_ns": digests[f.path][2], "details": _json(f.details),
                }
                for n, f in enumerate(case.files)
            )
            self._audit(case.id, "created" if old is None else "updated", changes + ([note] if note else []))
            if old is not None and self.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                self._compress_text_results(case.id)
        return changes

    def _compress_text_results(self, case_id: str) -> None:
        """Compress the case's results that schema version 1 stored as JSON text, inside the caller's write
        transaction of a store stamped version 2 (until then the RareTrace it came from must still read them all).
        A store upgraded in place kept them so; a case at a time, as it is next saved or analysed, they shrink
        ninefold, their pages overwritten (secure_delete) and reused by the next analyses, with no wait for VACUUM
        (which needs every window closed). The stored bytes are compressed as they are: read back the same."""
        rows = self.conn.execute(  # as bytes: a damaged text (not UTF-8) must not fail the save; it is left as it is
            "SELECT id, CAST(result AS BLOB) FROM analyses WHERE case_id = ? AND typeof(result) = 'text'", (case_id,)
        ).fetchall()
        for analysis_id, raw in rows:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            self.conn.execute("UPDATE analyses SET result = ? WHERE id = ?", (zlib.compress(raw, 6), analysis_id))

    def _check_revision(self, case_id: str, expected: int | None, stored: bool, creation: str | None = None) -> None:
        """StoreConflict unless the case is stored at revision `expected` (0: not stored) and, given, with the
        creation marker `creation`. A case deleted since the revision the edit read is a conflict too: saved, it
        would come back unasked as a new case; so is a new case stored under its ID since (whatever its revision),
        which the save would overwrite."""
        if expected is None:
            return
        version = self._version(case_id) if stored else None
        revision = version[0] if version else 0
        if version and expected and creation is not None and version[1] != creation:
            raise StoreConflict(case_id, expected, revision, recreated=True, creation=version[1])
        if revision != expected:
            raise StoreConflict(case_id, expected, revision, creation=version[1] if version else None)

    def _hashes(self, case_id: str) -> dict[str, str | None]:
        return dict(self.conn.execute("SELECT path, sha256 FROM files WHERE case_id = ?", (case_id,)))

    def delete_case(self, case_id: str) -> bool:
        """Remove the case and its analyses (overwritten on disk); the audit log keeps that it was deleted."""
        with self._write():
            if self.conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                return False
            for table in ("analyses", "phenotypes", "files"):
                self.db[table].delete_where("case_id = ?", [case_id])
            self.db["cases"].delete(case_id)
            self._audit(case_id, "deleted", ["case and its analyses deleted"])
        return True

    def list_cases(self, search: str | None = None, case_id: str | None = None) -> list[CaseSummary]:
        """Cases, most recently changed first; `search` matches case/subject IDs, feature IDs or labels, the
        clinical note and the genes the latest analysis ranked; `case_id`: that case's summary alone (none if it is
        not stored)."""
        where, params = "", []
        if case_id is not None:
            where, params = "WHERE c.id = ?", [case_id]
        elif search and search.strip():
            text = search.strip()
            # LIKE ignores the case of ASCII letters; other text is compared folded (slower: only when typed)
            fold = not text.isascii()
            text = _folded(text) if fold else text
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

            def has(column: str) -> str:
                return f"{f'folded({column})' if fold else column} LIKE ? ESCAPE '\\'"

            note = f"json_extract(c.extra, '$.{NOTE_KEY}')"
            where = (
                f"WHERE {has('c.id')} OR {has('c.subject_id')} OR c.id IN "
                f"(SELECT case_id FROM phenotypes WHERE {has('term_id')} OR {has('label')})"
                # the note is read out of the case's JSON only where its text has the words at all
                f" OR ({has('c.extra')} AND {has(note)})"
            )
            params = [like] * 6
            if self._genes_indexed:
                where += (" OR c.id IN (SELECT a.case_id FROM analyses a WHERE a.genes LIKE ? ESCAPE '\\' AND a.id ="
                          " (SELECT MAX(b.id) FROM analyses b WHERE b.case_id = a.case_id))")
                params.append(like)
        sql = f"""
            SELECT c.id, c.subject_id, c.sex, c.age,
                (SELECT COUNT(*) FROM phenotypes p WHERE p.case_id = c.id AND NOT p.excluded),
                (SELECT COUNT(*) FROM phenotypes p WHERE p.case_id = c.id AND p.excluded),
                (SELECT COUNT(*) FROM files f WHERE f.case_id = c.id),
                (SELECT COUNT(*) FROM analyses a WHERE a.case_id = c.id),
                c.created_at, c.updated_at,
                (SELECT MAX(created_at) FROM analyses a WHERE a.case_id = c.id),
                c.revision > COALESCE((SELECT a.case_revision FROM analyses a WHERE a.case_id = c.id
                                       ORDER BY a.id DESC LIMIT 1), c.revision)
            FROM cases c {where} ORDER BY c.updated_at DESC, c.id"""
        with self._lock:
            try:
                return [CaseSummary(*row[:-1], changed_since_analysis=bool(row[-1]))
                        for row in self.conn.execute(sql, params)]
            except sqlite3.ProgrammingError as exc:  # closed by a quitting window while a refresh was queued
                raise RareTraceError("the case store is closed") from exc

    # -- analyses

    def _inputs(self, case_id: str, digests: dict[str, tuple] | None = None) -> dict[str, Any]:
        """The case's inputs as stored; `digests` (from _digests): the files' hashes as they are on disk now."""
        case = self._read_case(case_id)
        if case is None:
            raise RareTraceError(f"no case {case_id!r} in the case store {self.path}")
        hashes = self._hashes(case_id) if digests is None else {p: d[0] for p, d in digests.items()}
        return {
            "present": [p.id for p in case.present],
            "excluded": [p.id for p in case.excluded],
            "onsets": {p.id: p.onset for p in case.phenotypes if p.onset},
            "sex": case.sex,
            "age": case.age,
            "files": [
                {"path": f.path, "sha256": hashes.get(f.path), "assembly": f.assembly, "sample": f.sample}
                for f in case.files
            ],
        }

    def revision(self, case_id: str) -> int:
        """How many times the case has been saved with a change (1 when first saved)."""
        with self._lock:
            row = self.conn.execute("SELECT revision FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise RareTraceError(f"no case {case_id!r} in the case store {self.path}")
        return int(row[0])

    def case_state(self, case_id: str) -> tuple[int, dict[str, Any]]:
        """(revision, analysis inputs) of the case as stored now: taken when an analysis starts, so that edits
        saved while it runs are not credited to it."""
        with self._lock:
            return self.revision(case_id), self._inputs(case_id)

    def record_analysis(
        self, case_id: str, result_json: dict[str, Any], versions: dict[str, Any] | None = None,
        state: tuple[int, dict[str, Any]] | None = None,
    ) -> int:
        """Store an analysis of the case as it is now in the store (or as `state`, from `case_state` when the
        analysis started); returns its ID."""
        versions = dict(versions if versions is not None else result_json.get("versions") or {})
        with self._write():
            if state is not None and self.conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                # deleted while it ran: stored, it would outlive the deletion of the case and its analyses
                raise RareTraceError(f"case {case_id!r} was deleted elsewhere while it was analysed; the analysis "
                                     "was not stored")
            revision, inputs = state if state is not None else self.case_state(case_id)
            table = self.db["analyses"]
            table.insert(
                {
                    "case_id": case_id, "created_at": _now(), "user": os_user(), "case_revision": revision,
                    "inputs": _json(inputs), "versions": _json(versions), "result": _pack(result_json),
                } | ({"genes": _genes_text(result_json)} if self._genes_indexed else {})
            )
            analysis_id = int(table.last_pk)
            if self.conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:  # a version-1 store
                self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # it now holds a compressed result
            self._compress_text_results(case_id)
            diseases = result_json.get("diseases") or []
            top = f"; top disease {diseases[0].get('id')} {diseases[0].get('label', '')}".rstrip() if diseases else ""
            self._audit(case_id, "analysed", [f"analysis {analysis_id} stored ({len(diseases)} diseases{top})"])
        return analysis_id

    def analyses(self, case_id: str, with_results: bool = True) -> list[StoredAnalysis]:
        """Analyses of the case, oldest first."""
        result_col = "result" if with_results else "NULL"
        with self._lock:
            rows = self.conn.execute(
                f"SELECT {_ANALYSIS_COLUMNS}, {result_col} FROM analyses WHERE case_id = ? ORDER BY id", (case_id,)
            ).fetchall()
        return [_stored_analysis(row) for row in rows]

    def latest_analysis(self, case_id: str) -> StoredAnalysis | None:
        """The case's most recent analysis, with its result; only that one row is read and decoded (a case
        analysed many times holds as many full results, each some hundreds of kilobytes)."""
        with self._lock:
            row = self.conn.execute(
                f"SELECT {_ANALYSIS_COLUMNS}, result FROM analyses WHERE case_id = ? ORDER BY id DESC LIMIT 1",
                (case_id,),
            ).fetchone()
        return None if row is None else _stored_analysis(row)

    # -- audit

    def audit(self, case_id: str | None = None) -> list[AuditEntry]:
        """The audit log of one case (or of the whole store), oldest first."""
        sql = "SELECT id, case_id, at, user, action, changes FROM audit"
        params: list[str] = []
        if case_id is not None:
            sql += " WHERE case_id = ?"
            params.append(case_id)
        with self._lock:
            rows = self.conn.execute(sql + " ORDER BY id", params).fetchall()
        return [AuditEntry(i, c, at, u, a, tuple(_unjson(ch) or ())) for i, c, at, u, a, ch in rows]

    def log_event(self, case_id: str, action: str, detail: str) -> None:
        """Record an event that changes no data but matters for privacy, such as an export."""
        with self._write():
            self._audit(case_id, action, [detail])

    def integrity_check(self) -> str:
        with self._lock:
            return self.conn.execute("PRAGMA integrity_check").fetchone()[0]


def _store_errors(method: Callable[..., Any]) -> Callable[..., Any]:
    """SQLite errors of an open store (the file damaged or replaced while in use) as one clear RareTraceError."""

    @functools.wraps(method)
    def wrapper(self: CaseStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as exc:  # locked, disk full, a table gone
            raise RareTraceError(f"the case store {self.path} cannot be used ({_write_error(exc, self.path)})"
                                 ) from exc
        except sqlite3.DatabaseError as exc:  # malformed: the GUI adds its own advice (export the open case)
            raise StoreDamaged(f"the case store {self.path} cannot be used ({exc}); it may be damaged: copy the "
                               "file aside before anything else, and restore it from a backup") from exc

    return wrapper


for _name in ("__contains__", "file_differences", "load_case", "load_with_revision", "load_with_version", "version",
              "files", "save_case", "delete_case", "list_cases", "revision", "case_state", "record_analysis", "analyses", "latest_analysis", "audit", "log_event"):
    setattr(CaseStore, _name, _store_errors(getattr(CaseStore, _name)))


# -- what changed


def _term(p: Phenotype) -> str:
    return f"{p.id} {p.label}".rstrip()


def _feature_key(p: Phenotype) -> tuple[Any, ...]:
    """Everything of a feature that is stored (details as canonical JSON, so the key is hashable)."""
    details = json.dumps(p.details, sort_keys=True, ensure_ascii=False) if p.details else None
    return (p.id, bool(p.excluded), p.onset or None, p.label or "", p.source, details)


def _feature_changes(before: Phenotype, after: Phenotype, where: str = "") -> list[str]:
    """How one feature changed; `where` (" (feature 3)") tells features of the same ID apart."""
    out: list[str] = []
    name = f"{after.id}{where}"
    if before.excluded != after.excluded:
        out.append(f"{_term(after)}{where} now {'excluded' if after.excluded else 'present'}")
    if (before.onset or None) != (after.onset or None):
        out.append(f"onset of {name}: {before.onset or '-'} -> {after.onset or '-'}")
    if (before.label or "") != (after.label or ""):
        out.append(f"label of {name}: {before.label!r} -> {after.label!r}")
    if before.source != after.source:
        out.append(f"source of {name}: {before.source} -> {after.source}")
    if (before.details or None) != (after.details or None):
        out.append(f"details of {name} changed")
    return out


def _phenotype_changes(old: tuple[Phenotype, ...], new: tuple[Phenotype, ...]) -> list[str]:
    """The changes between two ordered feature lists; empty only when they are the same, feature by feature."""
    old_keys, new_keys = [_feature_key(p) for p in old], [_feature_key(p) for p in new]
    if old_keys == new_keys:
        return []
    out: list[str] = []
    repeated = len({p.id for p in old}) < len(old) or len({p.id for p in new}) < len(new)
    if not repeated:  # each ID once: changes by ID
        old_by_id = {p.id: p for p in old}
        new_ids = {p.id for p in new}
        for p in new:
            before = old_by_id.get(p.id)
            if before is None:
                out.append(f"added {'excluded ' if p.excluded else ''}feature {_term(p)}")
            else:
                out.extend(_feature_changes(before, p))
        out.extend(f"removed {'excluded ' if p.excluded else ''}feature {_term(p)}" for p in old if p.id not in new_ids)
        return out or ["feature order changed"]
    # The same ID more than once (e.g. present and excluded): features are lined up by ID and position, and each
    # compared with its counterpart, so no change is mistaken for none.
    matcher = difflib.SequenceMatcher(None, [p.id for p in old], [p.id for p in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
        for k in range(pairs):
            before, after = old[i1 + k], new[j1 + k]
            if _feature_key(before) == _feature_key(after):
                continue
            where = f" (feature {j1 + k + 1})"
            if before.id == after.id:
                out.extend(_feature_changes(before, after, where) or [f"feature {j1 + k + 1} {_term(after)} changed"])
            else:
                out.append(f"feature {j1 + k + 1}: {_term(before)} -> {_term(after)}")
        out.extend(f"removed {'excluded ' if p.excluded else ''}feature {_term(p)} (was feature {i1 + pairs + n + 1})"
                   for n, p in enumerate(old[i1 + pairs:i2]))
        out.extend(f"added {'excluded ' if p.excluded else ''}feature {_term(p)} (feature {j1 + pairs + n + 1})"
                   for n, p in enumerate(new[j1 + pairs:j2]))
    return out or ["features changed"]


def _file_key(f: CaseFile) -> tuple[Any, ...]:
    details = json.dumps(f.details, sort_keys=True, ensure_ascii=False) if f.details else None
    return (f.path, f.assembly, f.sample, details)


def _file_name(path: str) -> str:
    return Path(path).name or path or "(entry without uri)"


def _describe_changes(
    old: Case | None,
    new: Case,
    old_hashes: dict[str, str | None],
    digests: dict[str, tuple[str | None, int | None, int | None]],
) -> list[str]:
    """Human-readable changes from `old` (None: a new case) to `new`, for the audit log; empty when identical."""
    if old is None:
        present, excluded = len(new.present), len(new.excluded)
        return [f"case created with {present} present and {excluded} excluded features and {len(new.files)} files"]
    out: list[str] = []
    for name in ("subject_id", "sex", "age", "source_path"):
        before, after = getattr(old, name), getattr(new, name)
        if (before or None) != (after or None):
            out.append(f"{name.replace('_', ' ')}: {before or '-'} -> {after or '-'}")
    out.extend(_phenotype_changes(old.phenotypes, new.phenotypes))
    file_changes: list[str] = []
    old_files = {f.path: f for f in old.files}
    new_paths = {f.path for f in new.files}
    for f in new.files:
        name = _file_name(f.path)
        before = old_files.get(f.path)
        sha = digests.get(f.path, (None,))[0]
        if before is None:
            moved = next((q for q in old_files if q not in new_paths and Path(q).name == Path(f.path).name), None)
            if moved is not None and f.path:  # the same file name in another folder (another checkout, a moved folder)
                file_changes.append(f"file {name} now read from {Path(f.path).parent} (was {Path(moved).parent})")
                if old_hashes.get(moved) != sha:
                    file_changes.append(f"content of {name} changed (SHA-256 {(old_hashes.get(moved) or '-')[:12]} -> "
                                        f"{(sha or '-')[:12]})")
                continue
            file_changes.append(f"added file {name} ({f.assembly or 'build unknown'}, sample {f.sample or '-'}"
                                + (f", SHA-256 {sha[:12]}…)" if sha else ")"))
            continue
        if before.assembly != f.assembly:
            file_changes.append(f"genome build of {name}: {before.assembly or '-'} -> {f.assembly or '-'}")
        if before.sample != f.sample:
            file_changes.append(f"sample of {name}: {before.sample or '-'} -> {f.sample or '-'}")
        if old_hashes.get(f.path) != sha:
            file_changes.append(f"content of {name} changed (SHA-256 {(old_hashes.get(f.path) or '-')[:12]} -> "
                                f"{(sha or '-')[:12]})")
        if (before.details or None) != (f.details or None):
            file_changes.append(f"phenopacket entry of {name} changed")
    new_names = {Path(q).name for q in new_paths}
    file_changes.extend(f"removed file {_file_name(p)}" for p in old_files
                        if p not in new_paths and (not p or Path(p).name not in new_names))
    if not file_changes and [_file_key(f) for f in old.files] != [_file_key(f) for f in new.files]:
        # the same entries in another order, or an entry repeated (files without uri share the path "")
        same = sorted(map(repr, map(_file_key, old.files))) == sorted(map(repr, map(_file_key, new.files)))
        file_changes.append("file order changed" if same else "files changed")
    out.extend(file_changes)
    changed_extra = sorted(k for k in set(old.extra) | set(new.extra) if old.extra.get(k) != new.extra.get(k))
    if changed_extra:
        out.append("phenopacket fields changed: " + ", ".join(changed_extra))
    return out


# -- re-analysis


def _ranks(result: dict[str, Any], kind: str) -> dict[str, tuple[int, str, float | None]]:
    out: dict[str, tuple[int, str, float | None]] = {}
    for n, h in enumerate(result.get("diseases" if kind == "disease" else "genes") or [], start=1):
        key = str(h.get("id") or h.get("symbol") or "")
        if key and key not in out:
            out[key] = (int(h.get("rank") or n), str(h.get("label") or h.get("symbol") or ""), h.get("score"))
    return out


def compare_rankings(old: dict[str, Any], new: dict[str, Any], top: int = 20) -> list[RankChange]:
    """Hypotheses that entered, left or moved within the top `top` ranks, diseases then genes, by new rank."""
    changes: list[RankChange] = []
    for kind in ("disease", "gene"):
        before, after = _ranks(old, kind), _ranks(new, kind)
        found: list[RankChange] = []
        for key in before.keys() | after.keys():
            b, a = before.get(key), after.get(key)
            old_rank, new_rank = (b[0] if b else None), (a[0] if a else None)
            if min(r for r in (old_rank, new_rank) if r is not None) > top or old_rank == new_rank:
                continue
            status = "new" if b is None else "removed" if a is None else "moved"
            label = (a or b)[1]  # type: ignore[index]
            found.append(RankChange(kind, key, label, status, old_rank, new_rank, b[2] if b else None, a[2] if a else None))
        found.sort(key=lambda c: (c.new_rank is None, c.new_rank or 0, c.old_rank or 0))
        changes.extend(found)
    return changes


def reanalyse(
    store: CaseStore,
    case_id: str,
    analyse_fn: Callable[[Case], Any],
    top: int = 20,
    record: bool = True,
) -> Reanalysis:
    """Run the current analysis (`analyse_fn(case)` -> AnalysisResult or its JSON) on a stored case and say what
    changed against the last stored analysis: ranking, versions and the case's own inputs."""
    version = store.version(case_id)  # before the case is read: a save made in between is a conflict below
    if version is None:
        raise RareTraceError(f"no case {case_id!r} in the case store {store.path}")
    revision, creation = version
    case = store.load_case(case_id)
    if record:  # a file changed on disk since it was stored (a re-called VCF): its new SHA-256, in the audit log;
        # against the revision read, so an edit saved meanwhile (the window) is never written back over
        store.save_case(case, note="files read again before re-analysis", expected_revision=revision,
                        expected_creation=creation)
    digests = None if record else store._digests(case)  # not recorded: compare with the files as they are now
    with store._lock:  # the case as analysed: an edit saved while the analysis runs (the window) is not credited to it
        state = store.revision(case_id), store._inputs(case_id, digests)
    previous = store.latest_analysis(case_id)
    result = analyse_fn(case)
    result_json = result.to_json() if hasattr(result, "to_json") else dict(result)
    versions = dict(result_json.get("versions") or {})
    analysis_id = store.record_analysis(case_id, result_json, versions, state=state) if record else None
    if previous is None:
        return Reanalysis(case_id, analysis_id, None, (), {}, (), result_json)
    changes = compare_rankings(previous.result or {}, result_json, top)
    versions_changed = {
        k: (previous.versions.get(k), versions.get(k))
        for k in sorted(set(previous.versions) | set(versions))
        if previous.versions.get(k) != versions.get(k)
    }
    inputs_now = state[1]
    inputs_changed = tuple(
        f"{key}: {previous.inputs.get(key)!r} -> {inputs_now.get(key)!r}"
        for key in sorted(set(previous.inputs) | set(inputs_now))
        if previous.inputs.get(key) != inputs_now.get(key)
    )
    return Reanalysis(case_id, analysis_id, previous.id, tuple(changes), versions_changed, inputs_changed, result_json,
                      previous)
