"""The trace SQL, written once in DuckDB's dialect, as the Spark SQL that does the same (with sqlglot).

sqlglot's duckdb → spark transpiler does nearly all of it (``UNNEST`` → ``EXPLODE``, list functions, null
ordering, ``TIMESTAMP`` → ``TIMESTAMP_NTZ``).  Three things are adjusted here, the first two so that Spark gives
the same values, the third so that it gives them sooner:

* ``EPOCH(ts)`` is seconds *with* microseconds in DuckDB, while sqlglot's ``UNIX_TIMESTAMP`` drops the
  fraction; it becomes ``UNIX_MICROS(CAST(ts AS TIMESTAMP_LTZ)) / 1e6``, the same double (the engine's session
  time zone is UTC, so the cast keeps the instant).
* A statement list materialises intermediate results with ``CREATE [OR REPLACE] [TEMP] TABLE name AS ...``.
  Spark has no temp tables, so such a table becomes a cached temporary view (``CACHE TABLE name AS ...``:
  computed once, spilled to disk when memory runs short), and ``DROP TABLE name`` drops that view.  Statement
  lists therefore drop only tables they created themselves.
* Such a cached table is hash-distributed by ``cluster_by`` (the engine passes the pair key ``platform, account_a,
  account_b``) when it has those columns: the statements that read it group, join and rank by that key, and a
  table already distributed by it needs no shuffle of its rows for any of them (one shuffle instead of one per
  aggregate, join and window).  The distribution changes where rows are computed, never the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlglot
from sqlglot import exp
from sqlglot.dialects.spark import Spark
from sqlglot.errors import ErrorLevel


def _epoch(generator: Spark.Generator, expression: exp.TimeToUnix) -> str:
    return f"UNIX_MICROS(CAST({generator.sql(expression, 'this')} AS TIMESTAMP_LTZ)) / 1e6"


class UnmaskSpark(Spark):
    """Spark SQL with DuckDB's ``EPOCH`` semantics (fractional seconds)."""

    class Generator(Spark.Generator):
        """Spark's generator with the ``EPOCH`` rewrite."""

        TRANSFORMS = {**Spark.Generator.TRANSFORMS, exp.TimeToUnix: _epoch}


def to_spark(statement: str, cluster_by: Sequence[str] = (), tables: Mapping[str, str] | None = None) -> list[str]:
    """The Spark SQL statements (one or a few, to run in order) doing what one DuckDB ``statement`` does; a table
    it creates is distributed by the columns ``cluster_by`` when it has them all, and the tables named in
    ``tables`` are read and written under the names they map to.

    Raises ``sqlglot.errors.ParseError`` for SQL sqlglot cannot read and ``UnsupportedError`` for a construct
    it cannot express in Spark SQL, so a non-portable trace query fails loudly instead of running differently.
    """
    tree = sqlglot.parse_one(statement, read="duckdb")
    for table in tree.find_all(exp.Table):
        if tables and table.name in tables:
            table.set("this", exp.to_identifier(tables[table.name]))
    if isinstance(tree, exp.Create) and tree.expression is not None:
        name, query = _spark(tree.this), _spark(tree.expression)
        if cluster_by and set(cluster_by) <= set(tree.expression.named_selects):
            query = f"SELECT * FROM ({query}) AS clustered DISTRIBUTE BY {', '.join(cluster_by)}"
        return [f"UNCACHE TABLE IF EXISTS {name}", f"DROP VIEW IF EXISTS {name}", f"CACHE TABLE {name} AS {query}"]
    if isinstance(tree, exp.Drop) and (tree.kind or "").upper() == "TABLE":
        names = [_spark(table) for table in tree.args["tables"]]
        return [sql for name in names for sql in (f"UNCACHE TABLE IF EXISTS {name}", f"DROP VIEW IF EXISTS {name}")]
    return [_spark(tree)]


def spark_type(duckdb_type: str) -> str:
    """The Spark SQL type of a DuckDB column type (``VARCHAR`` → ``STRING``, ``TIMESTAMP`` → ``TIMESTAMP_NTZ``)."""
    return exp.DataType.build(duckdb_type, dialect="duckdb").sql(dialect=UnmaskSpark)


def _spark(tree: exp.Expression) -> str:
    return tree.sql(dialect=UnmaskSpark, unsupported_level=ErrorLevel.RAISE)
