"""Tables written by DuckDB itself, streamed from a query to disk: Parquet, and CSV that spreadsheets cannot run.

Python never holds the rows, so a table of a hundred million rows writes in bounded memory, on every core.  The
CSV follows :mod:`unmask.exports.csv` cell for cell, as SQL: text (and each joined list) that starts with one of
its ``FORMULA_STARTS`` gets a single quote in front, floats keep its significant digits (NaN is empty), lists are
joined with its ``LIST_SEPARATOR``, times are ISO with a space, booleans ``true``/``false``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from duckdb.sqltypes import DuckDBPyType

from ..exports.csv import FORMULA_STARTS, LIST_SEPARATOR, neutralise

FLOAT_DIGITS = 6


def write_parquet(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> None:
    """Stream the rows of ``sql`` (in its order) into a zstd-compressed Parquet file at ``path``."""
    con.execute(f"COPY ({sql}) TO {literal(str(path))} (FORMAT parquet, COMPRESSION zstd)")


def write_csv(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> None:
    """Stream the rows of ``sql`` (in its order) into a UTF-8 CSV at ``path``, every cell spreadsheet-safe."""
    relation = con.sql(sql)
    cells = ", ".join(
        f"{csv_cell(identifier(name), kind)} AS {identifier(neutralise(name))}"
        for name, kind in zip(relation.columns, relation.types, strict=True)
    )
    con.execute(f"COPY (SELECT {cells} FROM ({sql})) TO {literal(str(path))} (FORMAT csv, HEADER true)")


def parquet_scan(path: Path) -> str:
    """SQL reading the Parquet file at ``path`` in its row order."""
    return f"read_parquet({literal(str(path))})"


def csv_cell(expression: str, kind: DuckDBPyType) -> str:
    """SQL for the CSV text of ``expression`` of type ``kind`` (see the module text); NULL stays NULL (empty)."""
    if kind.id == "varchar":
        return formula_safe(expression)
    if kind.id in ("double", "float"):
        return f"CASE WHEN NOT isnan({expression}) THEN format('{{:.{FLOAT_DIGITS}g}}', {expression}) END"
    if kind.id == "list":
        item = csv_cell("item", dict(kind.children)["child"])
        joined = f"array_to_string(list_transform({expression}, lambda item: coalesce({item}, '')), " \
                 f"{literal(LIST_SEPARATOR)})"
        return formula_safe(joined)
    if kind.id == "timestamp":
        return (f"CASE WHEN microsecond({expression}) % 1000000 = 0 THEN strftime({expression}, '%Y-%m-%d %H:%M:%S') "
                f"ELSE strftime({expression}, '%Y-%m-%d %H:%M:%S.%f') END")
    if kind.id in ("struct", "map", "union", "blob"):
        return formula_safe(f"CAST({expression} AS VARCHAR)")
    return expression


def formula_safe(expression: str) -> str:
    """SQL for the text ``expression`` with a quote in front when it starts like a formula."""
    starts = ", ".join(literal(start) for start in FORMULA_STARTS)
    return f"CASE WHEN left({expression}, 1) IN ({starts}) THEN '''' || {expression} ELSE {expression} END"


def literal(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
