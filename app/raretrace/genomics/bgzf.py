"""Writing BGZF (bgzip) files without htslib's command-line tools: blocked gzip that htslib reads and indexes."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from .vcf import BGZF_EOF

BLOCK_DATA = 65280  # bytes of uncompressed data per block (bgzip's own choice; the limit is 64 KiB)


class BgzfWriter:
    """`with BgzfWriter(path) as out: out.write(b"...")`; ends the file with the BGZF end-of-file block."""

    def __init__(self, path: str | Path, level: int = 6) -> None:
        self._handle = open(path, "wb")  # noqa: SIM115 - closed by close()/__exit__
        self._buffer = bytearray()
        self._level = level

    def write(self, data: bytes | str) -> None:
        self._buffer += data.encode() if isinstance(data, str) else data
        while len(self._buffer) >= BLOCK_DATA:
            self._block(bytes(self._buffer[:BLOCK_DATA]))
            del self._buffer[:BLOCK_DATA]

    def _block(self, data: bytes) -> None:
        compressor = zlib.compressobj(self._level, zlib.DEFLATED, -15)
        payload = compressor.compress(data) + compressor.flush()
        header = b"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00BC\x02\x00"
        size = len(header) + 2 + len(payload) + 8
        self._handle.write(header + struct.pack("<H", size - 1) + payload)
        self._handle.write(struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data)))

    def close(self) -> None:
        if self._handle.closed:
            return
        if self._buffer:
            self._block(bytes(self._buffer))
            self._buffer.clear()
        self._handle.write(BGZF_EOF)
        self._handle.close()

    def __enter__(self) -> BgzfWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
