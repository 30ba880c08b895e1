"""The trace SQL on other engines: every statement of every trace transpiles to Spark SQL, with DuckDB's meaning."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from unmask.cli import app
from unmask.engines import DuckDBEngine, open_engine, selected_traces
from unmask.engines.transpile import spark_type, to_spark
from unmask.traces import TRACES, TraceParams
from unmask.traces.run import trace_statements


@pytest.mark.parametrize("name", sorted(TRACES))
def test_every_statement_of_every_trace_transpiles(name: str) -> None:
    statements = trace_statements(TRACES[name](), TraceParams())
    spark = [to_spark(statement) for statement in statements]
    insert_actions, matches, pairs, evidence, drop = spark
    assert insert_actions[0].startswith("INSERT INTO trace_actions")
    assert matches[-1].startswith(f"CACHE TABLE {name}_matches AS ")  # materialised once, read twice
    assert pairs[0].startswith("INSERT INTO trace_pairs") and evidence[0].startswith("INSERT INTO trace_evidence")
    assert drop == [f"UNCACHE TABLE IF EXISTS {name}_matches", f"DROP VIEW IF EXISTS {name}_matches"]
    joined = " ".join(sql for group in spark for sql in group).upper()
    assert "UNIX_TIMESTAMP" not in joined and "EPOCH(" not in joined  # seconds keep their microseconds
    assert "UNNEST" not in joined and "TIMESTAMP_NTZ" in joined


def test_epoch_keeps_microseconds() -> None:
    (sql,) = to_spark("SELECT EPOCH(ts) AS t FROM posts")
    assert sql == "SELECT UNIX_MICROS(CAST(ts AS TIMESTAMP_LTZ)) / 1e6 AS t FROM posts"


def test_null_order_is_duckdbs() -> None:
    (sql,) = to_spark("SELECT ROW_NUMBER() OVER (ORDER BY dt, post_id) AS k FROM m")
    assert "ORDER BY dt NULLS LAST, post_id NULLS LAST" in sql  # DuckDB sorts NULLs last; Spark first


def test_created_tables_are_distributed_by_the_pair_key() -> None:
    key = ("platform", "account_a", "account_b")
    *_, cached = to_spark("CREATE TEMP TABLE m AS SELECT platform, x AS account_a, y AS account_b, dt FROM t", key)
    assert cached == ("CACHE TABLE m AS SELECT * FROM (SELECT platform, x AS account_a, y AS account_b, dt FROM t) "
                      "AS clustered DISTRIBUTE BY platform, account_a, account_b")
    *_, other = to_spark("CREATE TEMP TABLE n AS SELECT platform, account_id FROM t", key)
    assert other == "CACHE TABLE n AS SELECT platform, account_id FROM t"  # without the key: as it was


def test_renamed_tables_are_read_and_written_under_their_new_names() -> None:
    (sql,) = to_spark("INSERT INTO trace_pairs SELECT a FROM m SEMI JOIN (SELECT a FROM trace_pairs) p ON p.a = m.a",
                      tables={"trace_pairs": "trace_pairs__co_post"})
    assert sql == ("INSERT INTO trace_pairs__co_post SELECT a FROM m "
                   "SEMI JOIN (SELECT a FROM trace_pairs__co_post) AS p ON p.a = m.a")


def test_types() -> None:
    assert [spark_type(t) for t in ("VARCHAR", "TIMESTAMP", "BIGINT", "DOUBLE", "VARCHAR[]")] == [
        "STRING", "TIMESTAMP_NTZ", "BIGINT", "DOUBLE", "ARRAY<STRING>"]


def test_engine_choice(tmp_path) -> None:
    assert isinstance(open_engine("duckdb", tmp_path), DuckDBEngine)
    with pytest.raises(ValueError, match="unknown engine 'dask'"):
        open_engine("dask", tmp_path)
    with pytest.raises(KeyError, match="co_nothing"):
        selected_traces(["co_repost", "co_nothing"])
    assert selected_traces(None) == list(TRACES)


def test_cli_rejects_unknown_engine(tmp_path) -> None:
    result = CliRunner().invoke(app, ["analyze", "--out", str(tmp_path / "case"), "--engine", "dask"])
    assert result.exit_code == 2 and "--engine must be one of duckdb, spark" in result.output
