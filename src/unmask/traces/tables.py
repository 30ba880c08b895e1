"""The three output tables of the traces, and the SQL that fills them from a trace's matched action pairs."""

from __future__ import annotations

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


def create_tables(con: duckdb.DuckDBPyConnection, fresh: bool) -> None:
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

    Distinct objects are counted from distinct ``(pair, object)`` rows and joined back: a separate grouping is
    about twice as fast in DuckDB as ``COUNT(DISTINCT ...)`` next to the other aggregates.
    """
    return f"""
INSERT INTO trace_pairs
SELECT '{trace}', g.platform, g.account_a, g.account_b, g.co_actions, s.shared_objects, g.min_dt, g.median_dt
FROM (
    SELECT platform, account_a, account_b, COUNT(*) AS co_actions, MIN(dt) AS min_dt, MEDIAN(dt) AS median_dt
    FROM {matches}
    GROUP BY platform, account_a, account_b
) g JOIN (
    SELECT platform, account_a, account_b, COUNT(*) AS shared_objects
    FROM (SELECT DISTINCT platform, account_a, account_b, object_id FROM {matches}) pair_objects
    GROUP BY platform, account_a, account_b
) s ON g.platform = s.platform AND g.account_a = s.account_a AND g.account_b = s.account_b"""


def evidence_sql(trace: str, matches: str, per_pair: int) -> str:
    """Keep the ``per_pair`` fastest matched posts of every pair sharing at least two objects in ``trace_evidence``
    (after :func:`pairs_sql`).

    One shared object is never evidence (the network stage tests only pairs sharing two or more), and most pairs of
    a large data set share just one, so theirs are not kept.  Pairs with at most ``per_pair`` matches keep them
    all; only the others are ranked (by ``dt``, then ids, so ties are cut the same way every run).
    """
    cap = int(per_pair)
    pair = f"""
    FROM {matches} m JOIN trace_pairs p
      ON p.trace = '{trace}' AND p.platform = m.platform AND p.account_a = m.account_a AND p.account_b = m.account_b
         AND p.shared_objects >= 2"""
    return f"""
INSERT INTO trace_evidence
SELECT '{trace}', m.platform, m.account_a, m.account_b, m.object_id, m.post_a, m.post_b, m.dt{pair}
WHERE p.co_actions <= {cap}
UNION ALL
SELECT '{trace}', platform, account_a, account_b, object_id, post_a, post_b, dt FROM (
    SELECT m.platform, m.account_a, m.account_b, m.object_id, m.post_a, m.post_b, m.dt,
           ROW_NUMBER() OVER (PARTITION BY m.platform, m.account_a, m.account_b
                              ORDER BY m.dt, m.object_id, m.post_a, m.post_b) AS k{pair}
    WHERE p.co_actions > {cap}
) ranked_matches
WHERE k <= {cap}"""
