"""Moving tables between the workspace and Parquet files, the format every engine reads and writes."""

from __future__ import annotations

from pathlib import Path

import duckdb


def export_table(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> Path:
    """Write workspace table ``table`` to the Parquet file ``path`` (streamed, in bounded memory); returns it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT * FROM \"{table}\") TO '{_quoted(path)}' (FORMAT parquet)")
    return path


def table_oids(con: duckdb.DuckDBPyConnection) -> set[tuple[str, int]]:
    """``(name, oid)`` of every table of the workspace, temporary ones included (a recreated table has a new oid)."""
    return set(con.execute("SELECT table_name, table_oid FROM duckdb_tables()").fetchall())


def append_parquet(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], folder: Path) -> None:
    """Append the rows of every Parquet file in ``folder`` to workspace table ``table`` (its ``columns``, by name).

    A folder without Parquet files (an engine that wrote no rows) adds nothing.
    """
    if not any(folder.glob("*.parquet")):
        return
    names = ", ".join(f'"{column}"' for column in columns)
    con.execute(f"INSERT INTO \"{table}\" ({names}) SELECT {names} FROM read_parquet('{_quoted(folder)}/*.parquet')")


def _quoted(path: Path) -> str:
    """A path inside a SQL string literal."""
    return str(path.resolve()).replace("'", "''")
