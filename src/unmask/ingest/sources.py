"""Input files as readers see them: plain, gzip, zstd or zip members, found in folders.

A :class:`Source` hides the compression.  Row readers stream it with :meth:`Source.open_binary`; bulk readers
that hand the file to DuckDB or Arrow ask for :meth:`Source.plain_path`, which decompresses to a temporary file
only when the engine cannot read the compression itself.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import zstandard

READ_ERRORS = (EOFError, zlib.error, zstandard.ZstdError, gzip.BadGzipFile, zipfile.BadZipFile)
"""What reading a truncated or corrupt compressed stream raises."""

COMPRESSED_SUFFIXES = {".gz": "gzip", ".zst": "zstd", ".zstd": "zstd"}
DATA_SUFFIXES = {".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".parquet", ".pq"}


@dataclass(frozen=True)
class Source:
    """One input file, or one member of a zip archive."""

    path: Path
    member: str | None = None
    named: bool = True
    """True when the user named this file; False when it was found inside a folder or a zip archive."""

    @property
    def name(self) -> str:
        """The name shown in messages and stored as ``source_file``."""
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    @property
    def compression(self) -> str | None:
        """``gzip``, ``zstd`` or None, from the (member's) file name."""
        return COMPRESSED_SUFFIXES.get(Path(self.member or self.path.name).suffix.lower())

    @property
    def suffix(self) -> str:
        """The data suffix under any compression suffix, e.g. ``.csv`` for ``x.csv.gz``."""
        name = Path(self.member or self.path.name)
        if name.suffix.lower() in COMPRESSED_SUFFIXES:
            name = Path(name.stem)
        return name.suffix.lower()

    def open_binary(self) -> BinaryIO:
        """Open the decompressed bytes as a stream (the caller closes it)."""
        if self.member is not None:
            archive = zipfile.ZipFile(self.path)
            raw: BinaryIO = archive.open(self.member)  # type: ignore[assignment]
        else:
            raw = open(self.path, "rb")
        if self.compression == "gzip":
            return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
        if self.compression == "zstd":
            return zstandard.ZstdDecompressor().stream_reader(raw, closefd=True)  # type: ignore[return-value]
        return raw

    def head(self, size: int = 65536) -> bytes:
        """The first ``size`` decompressed bytes (fewer for a short or truncated file)."""
        with self.open_binary() as stream:
            chunks, remaining = [], size
            try:
                while remaining > 0:
                    chunk = stream.read(min(remaining, 4096))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    remaining -= len(chunk)
            except READ_ERRORS:
                pass
        return b"".join(chunks)

    @contextmanager
    def plain_path(self, engine_reads: tuple[str, ...] = ()) -> Iterator[Path]:
        """Yield a path an engine can open: the file itself when it is plain or its compression is in
        ``engine_reads``, otherwise a temporary decompressed copy removed afterwards."""
        if self.member is None and (self.compression is None or self.compression in engine_reads):
            yield self.path
            return
        with tempfile.TemporaryDirectory(prefix="unmask-") as tmp:
            target = Path(tmp) / f"data{self.suffix}"
            with self.open_binary() as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, length=1 << 20)
            yield target

    def sha256(self) -> str:
        """Hex SHA-256 of the stored bytes (the compressed file, or the zip member)."""
        digest = hashlib.sha256()
        if self.member is not None:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
        else:
            with open(self.path, "rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
        return digest.hexdigest()


def is_data_name(name: str) -> bool:
    """True when a file name looks like data (by suffix), so folder scans skip READMEs and licences."""
    path = Path(name)
    if path.name.startswith("."):
        return False
    suffix = path.suffix.lower()
    if suffix in COMPRESSED_SUFFIXES:
        suffix = Path(path.stem).suffix.lower()
    return suffix in DATA_SUFFIXES or path.suffix.lower() == ".zip"


def expand_inputs(paths: list[Path]) -> list[Source]:
    """Turn files, folders and zip archives into a sorted list of sources.

    Folders are walked recursively for data files; a zip archive yields each of its data members.
    A path that does not exist raises :class:`FileNotFoundError`.
    """
    sources: list[Source] = []
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder")
        files = sorted(p for p in path.rglob("*") if p.is_file() and is_data_name(p.name)) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() == ".zip":
                with zipfile.ZipFile(file) as archive:
                    members = sorted(m for m in archive.namelist() if not m.endswith("/") and is_data_name(m))
                sources.extend(Source(file, member, named=False) for member in members)
            else:
                sources.append(Source(file, named=file == path))
    return sources
