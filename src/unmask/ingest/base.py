"""The reader plugin interface and the sink readers write canonical rows into.

A reader is a class registered with :func:`register`.  It says how sure it is that a file is its format
(:meth:`Reader.sniff`), which fields it needs (:attr:`Reader.required`), and turns one source into canonical rows
by calling the :class:`Sink`: one :meth:`Sink.emit` or :meth:`Sink.reject` per record of the file, so that every
record read is either stored or quarantined with its line and reason.  Readers of large tabular formats stage
whole tables at once with :meth:`Sink.stage_sql` (or, without copying the rows, :meth:`Sink.stage_view`) and
:meth:`Sink.reject_sql`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import duckdb
import pyarrow as pa

from .. import schema
from ..db import scalar
from .sample import Sample
from .sources import Source


class FormatError(Exception):
    """A file that cannot be read at all: unknown format, or required columns missing."""


class Reader(ABC):
    """One export format."""

    name: ClassVar[str]
    platform: ClassVar[str]
    description: ClassVar[str]
    required: ClassVar[tuple[str, ...]] = ()

    @classmethod
    @abstractmethod
    def sniff(cls, sample: Sample) -> float:
        """How sure this reader is that ``sample`` is its format, from 0 (not at all) to 1."""

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        """Required fields absent from the sample (header readers check columns; others override)."""
        return [name for name in cls.required if name not in sample.columns]

    @abstractmethod
    def read(self, source: Source, sink: Sink) -> None:
        """Read every record of ``source`` into ``sink``."""


READERS: dict[str, type[Reader]] = {}


def register(reader: type[Reader]) -> type[Reader]:
    """Class decorator adding a reader to the registry under its ``name``."""
    if reader.name in READERS:
        raise ValueError(f"two readers are named {reader.name!r}")
    READERS[reader.name] = reader
    return reader


STAGED = ("accounts", "posts", "media")
FLUSH_ROWS = 50_000


def stage_table(table: str) -> str:
    """Name of the staging table that holds ``table``'s rows of the file being ingested."""
    return f"_stage_{table}"


def staged(table: str) -> str:
    """Name of the view of every staged row of ``table``: its staging table plus the staged views' rows
    (made by :meth:`Sink.flush`)."""
    return f"_staged_{table}"


def _arrow_schema(table: str) -> pa.Schema:
    types = {
        "VARCHAR": pa.string(),
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "TIMESTAMP": pa.timestamp("us"),
        "VARCHAR[]": pa.list_(pa.string()),
    }
    fields = [pa.field(name, types[typ]) for name, typ in schema.CANONICAL[table]]
    if table == "posts":
        fields.append(pa.field("_primary", pa.bool_()))
    return pa.schema(fields)


class Sink:
    """Collects one source's canonical rows in staging tables and counts its records.

    Counting rule: every record of the file is passed to exactly one of :meth:`emit` or :meth:`reject`
    (or counted in bulk by :meth:`stage_sql` / :meth:`reject_sql`).  Rows given as ``context`` (an original
    post embedded in a retweet, the users of an ``includes`` block) are stored too but are not records.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, source: Source):
        self.con = con
        self.source = source
        self.records_emitted = 0
        self.records_rejected = 0
        self._rows: dict[str, list[dict[str, Any]]] = {table: [] for table in STAGED}
        self._rejects: list[dict[str, Any]] = []
        self._schemas = {table: _arrow_schema(table) for table in STAGED}
        self._views: dict[str, list[str]] = {table: [] for table in STAGED}
        self._held: list[str] = []

    def emit(
        self,
        line: int | None,
        post: Mapping[str, Any] | None = None,
        accounts: Iterable[Mapping[str, Any]] = (),
        media: Iterable[Mapping[str, Any]] = (),
        context_posts: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        """Store one record: at most one primary post, plus any accounts, media and context posts."""
        self.records_emitted += 1
        if post is not None:
            self._add("posts", {**post, "source_line": line, "_primary": True})
        for row in context_posts:
            self._add("posts", {**row, "source_line": line, "_primary": False})
        for row in accounts:
            self._add("accounts", row)
        for row in media:
            self._add("media", row)

    def context(self, accounts: Iterable[Mapping[str, Any]] = (), posts: Iterable[Mapping[str, Any]] = ()) -> None:
        """Store supporting rows that are not records of the file (e.g. ``includes.users``)."""
        for row in accounts:
            self._add("accounts", row)
        for row in posts:
            self._add("posts", {**row, "_primary": False})

    def reject(self, line: int | None, reason: str, raw: str | bytes | None = None) -> None:
        """Quarantine one record with its line and the reason it could not be stored."""
        self.records_rejected += 1
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", errors="replace")
        self._rejects.append({"line": line, "reason": reason, "raw": raw[:10_000] if raw else raw})
        if len(self._rejects) >= FLUSH_ROWS:
            self._flush_rejects()

    def stage_sql(self, table: str, select_sql: str, primary: bool = True) -> int:
        """Stage the rows of a SELECT whose columns are named like ``table``'s; returns how many.

        Staged primary posts, and the rows of accounts-only tables, count as records.
        """
        before = self._count(stage_table(table))
        self.con.execute(f"INSERT INTO {stage_table(table)} BY NAME ({_with_primary(table, select_sql, primary)})")
        added = self._count(stage_table(table)) - before
        if primary:
            self.records_emitted += added
        return added

    def stage_view(self, table: str, select_sql: str, primary: bool = True) -> int:
        """Stage the rows of a SELECT like :meth:`stage_sql`, without copying them: the SELECT is read again when
        the file moves into the canonical tables, so the temp tables it reads must last until then (:meth:`hold`).
        """
        added = self._count(f"({select_sql})")
        self._views[table].append(_with_primary(table, select_sql, primary))
        if primary:
            self.records_emitted += added
        return added

    def hold(self, table: str) -> None:
        """Keep temp table ``table`` (read by a staged view) until :meth:`release`, then drop it."""
        self._held.append(table)

    def release(self) -> None:
        """Drop the staged views and the tables held for them (after the file moved, or failed to)."""
        for table in STAGED:
            self.con.execute(f"DROP VIEW IF EXISTS {staged(table)}")
        for table in self._held:
            self.con.execute(f"DROP TABLE IF EXISTS {table}")
        self._held.clear()

    def reject_sql(self, select_sql: str) -> int:
        """Quarantine the rows of a SELECT with columns ``line, reason, raw``; returns how many."""
        self._flush_rejects()
        before = self._count(stage_table("quarantine"))
        self.con.execute(f"INSERT INTO {stage_table('quarantine')} BY NAME ({select_sql})")
        added = self._count(stage_table("quarantine")) - before
        self.records_rejected += added
        return added

    def flush(self) -> None:
        """Write buffered rows to the staging tables and create the views of every staged row (:func:`staged`)."""
        for table in STAGED:
            self._flush(table)
            parts = [f"SELECT * FROM {stage_table(table)}", *self._views[table]]
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {staged(table)} AS {' UNION ALL BY NAME '.join(parts)}")
        self._flush_rejects()

    def _add(self, table: str, row: Mapping[str, Any]) -> None:
        rows = self._rows[table]
        rows.append(row)  # type: ignore[arg-type]
        if len(rows) >= FLUSH_ROWS:
            self._flush(table)

    def _flush(self, table: str) -> None:
        rows = self._rows[table]
        if not rows:
            return
        batch = pa.Table.from_pylist(rows, schema=self._schemas[table])
        self._insert_arrow(stage_table(table), batch)
        rows.clear()

    def _flush_rejects(self) -> None:
        if not self._rejects:
            return
        batch = pa.Table.from_pylist(
            self._rejects, schema=pa.schema([("line", pa.int64()), ("reason", pa.string()), ("raw", pa.string())])
        )
        self._insert_arrow(stage_table("quarantine"), batch)
        self._rejects.clear()

    def _insert_arrow(self, target: str, batch: pa.Table) -> None:
        self.con.register("_sink_batch", batch)
        try:
            self.con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM _sink_batch")
        finally:
            self.con.unregister("_sink_batch")

    def _count(self, table: str) -> int:
        return scalar(self.con, f"SELECT count(*) FROM {table}")


def _with_primary(table: str, select_sql: str, primary: bool) -> str:
    """The SELECT with posts marked primary (records of the file) or not (context)."""
    extra = f", {str(primary).lower()} AS _primary" if table == "posts" else ""
    return f"SELECT *{extra} FROM ({select_sql})"
