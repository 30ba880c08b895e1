"""Every trace query is plain SQL that sqlglot transpiles to Spark SQL (a later issue runs them on PySpark)."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot.errors import ErrorLevel

from unmask.traces import TRACES, TraceParams
from unmask.traces.tables import evidence_sql, insert_actions_sql, pairs_sql, trace_source

PARAMS = TraceParams()


def to_spark(sql: str) -> str:
    (spark,) = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=ErrorLevel.RAISE)
    return spark


@pytest.mark.parametrize("name", sorted(TRACES))
def test_trace_queries_transpile_to_spark(name):
    trace = TRACES[name]()
    actions = to_spark(trace.actions_sql(PARAMS))
    matches = to_spark(trace.matches_sql(trace_source(name), PARAMS))
    assert actions.upper().startswith("SELECT") and matches.upper().startswith("WITH")
    assert "EPOCH(" not in matches.upper()  # DuckDB's EPOCH became Spark's UNIX_TIMESTAMP


@pytest.mark.parametrize("statement", [
    insert_actions_sql("co_repost", TRACES["co_repost"]().actions_sql(PARAMS)),
    pairs_sql("co_repost", "trace_matches"),
    evidence_sql("co_repost", "trace_matches", 10),
])
def test_shared_statements_transpile_to_spark(statement):
    assert to_spark(statement).upper().startswith("INSERT INTO")
