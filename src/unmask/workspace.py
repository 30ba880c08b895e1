"""The case folder: ``CASE/workspace.duckdb`` holding the canonical tables, plus every output of a run."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import duckdb

from . import schema
from .db import scalar

WORKSPACE_FILE = "workspace.duckdb"


class Workspace:
    """An open case workspace.  Use as a context manager; tables are created on first open."""

    def __init__(self, case_dir: Path | str, read_only: bool = False, memory_limit: str | None = None):
        self.case_dir = Path(case_dir)
        if read_only and not (self.case_dir / WORKSPACE_FILE).exists():
            raise FileNotFoundError(f"{self.case_dir}: no {WORKSPACE_FILE} here (run `unmask ingest` first)")
        self.case_dir.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.case_dir / WORKSPACE_FILE), read_only=read_only)
        self.con.execute("SET TimeZone = 'UTC'")  # zone-less times in exports are read as UTC on every machine
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        if not read_only:
            self._create_tables()

    def _create_tables(self) -> None:
        for table in schema.CANONICAL:
            self.con.execute(schema.create_sql(table))

    def table(self, name: str) -> duckdb.DuckDBPyRelation:
        """A lazy DuckDB relation over one table (``.arrow()``, ``.df()`` and ``.pl()`` hand it over)."""
        return self.con.table(name)

    def counts(self) -> dict[str, int]:
        """Row counts of the canonical tables."""
        return {
            table: scalar(self.con, f'SELECT count(*) FROM "{table}"')
            for table in schema.CANONICAL
        }

    def close(self) -> None:
        """Checkpoint and close the database file."""
        self.con.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
