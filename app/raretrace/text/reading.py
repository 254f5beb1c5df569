"""Reading free text from files and streams: UTF-8 (or UTF-16 with a byte-order mark) text; binary input refused
with one clear line."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from ..errors import RareTraceError

# Control characters that never occur in text (tab, newlines, vertical tab and form feed, escape are allowed: Word
# writes its manual line breaks as a vertical tab and page breaks as a form feed; both read as line breaks).
_BINARY = set(range(0, 32)) - {9, 10, 11, 12, 13, 27}


def decode_text(data: bytes, source: str) -> str:
    """Bytes -> str; a binary or non-UTF-8 payload is a RareTraceError naming the source."""
    if not data:
        return ""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte-order mark (Windows Notepad's "Unicode")
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise RareTraceError(f"{source} is damaged UTF-16 text; save it as UTF-8 plain text") from None
    elif b"\x00" in data[:65536]:
        raise RareTraceError(f"{source} is a binary file, not text; give a plain-text (UTF-8) file")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RareTraceError(
                f"{source} is not UTF-8 text (undecodable byte at offset {exc.start}); save it as UTF-8 plain text"
            ) from None
    sample = text[:65536]
    if sample and sum(ord(c) in _BINARY for c in sample) > max(2, len(sample) // 100):
        raise RareTraceError(f"{source} looks like a binary file, not text; give a plain-text (UTF-8) file")
    return text


MAX_TEXT_BYTES = 20_000_000  # clinical notes and abstracts are kilobytes; this is far beyond any of them


def read_capped(handle: BinaryIO, source: str) -> bytes:
    """At most MAX_TEXT_BYTES from a file, a pipe or a device (no size to check beforehand, maybe no end): one byte
    more is read to tell a longer input, which is refused."""
    data = handle.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise RareTraceError(f"{source} is larger than {MAX_TEXT_BYTES // 1_000_000} MB; give the clinical text "
                             "itself, not a whole record or a binary file")
    return data


def read_text(path: Path | str) -> str:
    """A text file's content; missing, unreadable, binary or non-UTF-8 files raise RareTraceError."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = read_capped(handle, str(path))
    except FileNotFoundError:
        raise RareTraceError(f"file not found: {path}") from None
    except IsADirectoryError:
        raise RareTraceError(f"{path} is a folder; give a text file") from None
    except OSError as exc:
        raise RareTraceError(f"cannot read {path}: {exc.strerror or exc}") from None
    return decode_text(data, str(path))
