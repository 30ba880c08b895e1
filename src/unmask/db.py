"""Small workspace helpers: scalar queries that leave the connection free, table checks, storing Arrow tables."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The first value of the first row of a query (the whole result is fetched, so the connection is free)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """True when table ``name`` exists in the workspace's current schema."""
    return bool(scalar(
        con, "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = current_schema()",
        [name],
    ))


def store(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Create or replace workspace table ``name`` with the rows of an Arrow table."""
    view = f"_unmask_store_{name}"
    con.register(view, table)
    try:
        con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM "{view}"')
    finally:
        con.unregister(view)
