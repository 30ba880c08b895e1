"""What the workspace holds: which tables and columns exist, and rows as dicts (with :mod:`unmask.db`'s checks).

The report reads tables that other stages write; any of them may be absent (a stage not run yet, an older
workspace), so every section asks here first and is omitted with a note when its table is missing.
"""

from __future__ import annotations

from typing import Any

import duckdb

from ..db import has_table, scalar

__all__ = ["columns", "dict_rows", "has_columns", "has_table", "scalar"]


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The column names of ``table`` in order (empty when it does not exist)."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? "
        "ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [row[0] for row in rows]


def has_columns(con: duckdb.DuckDBPyConnection, table: str, *names: str) -> bool:
    """Whether ``table`` exists and has every column in ``names``."""
    present = set(columns(con, table))
    return bool(present) and all(name in present for name in names)


def dict_rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Run ``sql`` and return its rows as dicts keyed by column name."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
