"""The three output tables of the traces, and the SQL that fills them from a trace's matched action pairs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

TRACE_ACTIONS: list[tuple[str, str]] = [
    ("trace", "VARCHAR"),
    ("platform", "VARCHAR"),
    ("account_id", "VARCHAR"),
    ("object_id", "VARCHAR"),
    ("ts", "TIMESTAMP"),
    ("post_id", "VARCHAR"),
]

TRACE_PAIRS: list[tuple[str, str]] = [
    ("trace", "VARCHAR"),
    ("platform", "VARCHAR"),
    ("account_a", "VARCHAR"),
    ("account_b", "VARCHAR"),
    ("co_actions", "BIGINT"),
    ("shared_objects", "BIGINT"),
    ("min_dt", "DOUBLE"),
    ("median_dt", "DOUBLE"),
]

TRACE_EVIDENCE: list[tuple[str, str]] = [
    ("trace", "VARCHAR"),
    ("platform", "VARCHAR"),
    ("account_a", "VARCHAR"),
    ("account_b", "VARCHAR"),
    ("object_id", "VARCHAR"),
    ("post_a", "VARCHAR"),
    ("post_b", "VARCHAR"),
    ("dt", "DOUBLE"),
]

TABLES: dict[str, list[tuple[str, str]]] = {
    "trace_actions": TRACE_ACTIONS,
    "trace_pairs": TRACE_PAIRS,
    "trace_evidence": TRACE_EVIDENCE,
}


@contextmanager
def trace_run(con: duckdb.DuckDBPyConnection, fresh: bool) -> Iterator[None]:
    """One run of traces: the trace tables are created on the way in (``fresh`` drops earlier ones first: a run of
    every trace), and the temporary tables the traces' prepare steps made (normalised texts, link keys: gigabytes at
    ten million posts) are dropped on the way out, so that no later run reads them and no later stage carries them."""
    before = _temporary_tables(con)
    _create_tables(con, fresh)
    try:
        yield
    finally:
        for name in sorted(_temporary_tables(con) - before):
            con.execute(f"DROP TABLE IF EXISTS temp.main.{name}")


def _temporary_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()}


def _create_tables(con: duckdb.DuckDBPyConnection, fresh: bool) -> None:
    """Create the trace tables; ``fresh`` drops earlier ones first (a run of every trace)."""
    for table, cols in TABLES.items():
        if fresh:
            con.execute(f"DROP TABLE IF EXISTS {table}")
        body = ", ".join(f"{col} {typ}" for col, typ in cols)
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({body})")


def clear_trace(con: duckdb.DuckDBPyConnection, trace: str) -> None:
    """Delete one trace's rows from every trace table (before it is recomputed)."""
    for table in TABLES:
        con.execute(f"DELETE FROM {table} WHERE trace = ?", [trace])


def insert_actions_sql(trace: str, actions: str) -> str:
    """INSERT one trace's actions query into ``trace_actions``."""
    return f"""
INSERT INTO trace_actions
SELECT '{trace}', platform, account_id, object_id, CAST(ts AS TIMESTAMP), post_id
FROM ({actions}) AS trace_query
WHERE account_id IS NOT NULL AND object_id IS NOT NULL"""


def trace_source(trace: str) -> str:
    """One trace's actions as a relation the matching SQL can read."""
    return f"(SELECT platform, account_id, object_id, ts, post_id FROM trace_actions WHERE trace = '{trace}')"


def pairs_sql(trace: str, matches: str) -> str:
    """Aggregate matched action pairs into one ``trace_pairs`` row per unordered account pair.

    Matches are grouped per (pair, object), then per pair: ``shared_objects`` counts the objects, ``min_dt`` is
    the fastest gap and ``median_dt`` the median over the shared objects of the pair's fastest gap on each (what
    "reposted the same posts within a median of 20 s" means).  One pipeline of two groupings and no join back: at
    ten million posts a join of two pair-level aggregates spilled over 50 GB in DuckDB.
    """
    key = "platform, account_a, account_b"
    return f"""
INSERT INTO trace_pairs
SELECT '{trace}', {key}, SUM(n) AS co_actions, COUNT(*) AS shared_objects, MIN(dt) AS min_dt, MEDIAN(dt) AS median_dt
FROM (SELECT {key}, object_id, COUNT(*) AS n, MIN(dt) AS dt FROM {matches} GROUP BY {key}, object_id) pair_objects
GROUP BY {key}"""


def evidence_sql(trace: str, matches: str, per_pair: int) -> str:
    """Keep the ``per_pair`` fastest matched posts of every pair sharing at least two objects in ``trace_evidence``
    (after :func:`pairs_sql`).

    One shared object is never evidence (the network stage tests only pairs sharing two or more), and most pairs of
    a large data set share just one, so theirs are not kept: a semi-join on those pairs, then one ranking of their
    matches (by ``dt``, then ids, so ties are cut the same way every run).  One pass over the matches: Spark, whose
    matches are distributed by pair, ranks them where they are, with no join back to the pairs' rows.
    """
    key = "platform, account_a, account_b"
    return f"""
INSERT INTO trace_evidence
SELECT '{trace}', {key}, object_id, post_a, post_b, dt FROM (
    SELECT m.platform, m.account_a, m.account_b, m.object_id, m.post_a, m.post_b, m.dt,
           ROW_NUMBER() OVER (PARTITION BY m.platform, m.account_a, m.account_b
                              ORDER BY m.dt, m.object_id, m.post_a, m.post_b) AS k
    FROM {matches} m SEMI JOIN (
        SELECT {key} FROM trace_pairs WHERE trace = '{trace}' AND shared_objects >= 2
    ) p ON p.platform = m.platform AND p.account_a = m.account_a AND p.account_b = m.account_b
) ranked_matches
WHERE k <= {int(per_pair)}"""
