"""Ingest: any supported export -> the canonical tables of a case workspace.

``ingest(paths, case_dir)`` expands folders and archives, detects each file's format, and loads each file in one
transaction (a file is either fully in the workspace with its ``ingest_log`` row, or not at all).  A file whose
bytes were ingested before is skipped, so re-ingesting never duplicates rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..db import scalar
from ..workspace import Workspace
from . import readers  # noqa: F401  (registers every reader)
from .base import READERS, FormatError, Reader, Sink
from .detect import choose_reader
from .load import create_stage, drop_stage, move_stage
from .sample import take_sample
from .sources import READ_ERRORS, Source, expand_inputs

__all__ = ["READERS", "FileResult", "FormatError", "ingest", "ingest_source"]


@dataclass
class FileResult:
    """What happened to one input file."""

    file: str
    format: str
    rows_read: int = 0
    rows_stored: int = 0
    rows_quarantined: int = 0
    seconds: float = 0.0
    skipped: str | None = None


def ingest(
    paths: list[Path] | list[str],
    case_dir: Path | str,
    fmt: str | None = None,
    mapping: Path | None = None,
    on_file: Callable[[Source, FileResult | None], None] | None = None,
    memory_limit: str | None = "2GB",
) -> list[FileResult]:
    """Ingest files, folders and archives into ``case_dir``'s workspace; returns one result per file.

    ``fmt`` forces a reader for every file; ``mapping`` (a TOML file) implies the generic reader.
    ``on_file`` is called before each file (with None) and after it (with its result), for progress display.
    ``memory_limit`` bounds DuckDB's memory while loading (it spills to disk beyond it), so multi-gigabyte
    files stream in bounded memory.
    Raises :class:`FormatError` for a named file that is not a known format or lacks required columns; such a
    file found inside a folder or archive is skipped, and its result says why.
    """
    sources = expand_inputs([Path(p) for p in paths])
    options = _load_mapping(mapping) if mapping else None
    if options is not None and fmt is None:
        fmt = "generic"
    results = []
    with Workspace(case_dir, memory_limit=memory_limit) as ws:
        for source in sources:
            if on_file:
                on_file(source, None)
            result = ingest_source(ws, source, fmt, options)
            results.append(result)
            if on_file:
                on_file(source, result)
    return results


def ingest_source(ws: Workspace, source: Source, fmt: str | None = None, options: dict | None = None) -> FileResult:
    """Ingest one source into an open workspace.

    The reader fills scratch staging tables (or stages views of its own scratch tables); moving the staged rows
    into the canonical tables and writing the ``ingest_log`` row happen in one transaction, so an interrupted
    ingest leaves no half-written file.
    """
    started = time.perf_counter()
    sample = take_sample(source)
    try:
        reader_cls = choose_reader(sample, fmt)
    except FormatError as exc:
        if source.named:
            raise
        return FileResult(source.name, "unknown", skipped=f"skipped, not a known format: {exc}")
    sha = source.sha256()
    already = scalar(ws.con, "SELECT file FROM ingest_log WHERE sha256 = ? LIMIT 1", [sha])
    if already:
        return FileResult(source.name, reader_cls.name, skipped=f"already ingested (as {already})")
    reader: Reader = reader_cls(options) if options is not None else reader_cls()  # type: ignore[call-arg]
    con = ws.con
    create_stage(con)
    sink = Sink(con, source)
    try:
        _read_all(reader, source, sink)
        sink.flush()
        con.execute("BEGIN TRANSACTION")
        try:
            duplicates = move_stage(con, source.name)
            result = FileResult(
                file=source.name,
                format=reader_cls.name,
                rows_read=sink.records_emitted + sink.records_rejected,
                rows_stored=sink.records_emitted - duplicates,
                rows_quarantined=sink.records_rejected + duplicates,
                seconds=round(time.perf_counter() - started, 3),
            )
            con.execute(
                "INSERT INTO ingest_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [result.file, sha, result.format, result.rows_read, result.rows_stored,
                 result.rows_quarantined, result.seconds, datetime.now().replace(microsecond=0)],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        sink.release()
        drop_stage(con)
    return result


def _read_all(reader: Reader, source: Source, sink: Sink) -> None:
    """Run the reader; a file that ends early keeps what was read and quarantines the unreadable rest."""
    try:
        reader.read(source, sink)
    except READ_ERRORS as exc:
        sink.reject(None, f"file is truncated or corrupt, reading stopped: {exc}")


def _load_mapping(path: Path) -> dict:
    import tomllib

    with open(path, "rb") as handle:
        return tomllib.load(handle)
