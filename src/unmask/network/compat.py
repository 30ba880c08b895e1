"""Compatibility mode: CooRTweet's or the QUT toolkit's network, written out like unmask's own.

``unmask analyze --compat coortweet|qut --window N --min-weight N`` replaces the traces and the significance test
by the other tool's rules (:mod:`unmask.compat` reproduces its numbers).  The tool's kept edges become
``network_edges``, one undirected row per pair: ``co_actions`` is the tool's edge weight (for QUT's directed
graph, the larger of the two directions), ``weight`` that weight over the largest one, ``significance`` empty.
Groups are the connected components of the kept graph, as both tools report them, and an account's score is its
strongest edge weight relative to the largest.  These are raw counts: none of the normalisation of the default
mode applies, which is the point of comparing.
"""

from __future__ import annotations

import duckdb

from ..compat import EDGES_TABLE, PAIRS_TABLE, run_compat
from ..compat.result import CompatResult

COMPAT_TRACE = "co_repost"
EVIDENCE_SOURCE = f"(SELECT '{COMPAT_TRACE}' AS trace, * FROM {PAIRS_TABLE})"
WEIGHT_EVIDENCE_SQL = """
    WITH ends AS (
        SELECT platform, source AS account_id, weight FROM network_edges
        UNION ALL
        SELECT platform, target AS account_id, weight FROM network_edges
    )
    SELECT platform, account_id, max(weight) AS coordination_score, true AS flagged FROM ends GROUP BY ALL
"""


def fuse_compat(con: duckdb.DuckDBPyConnection, mode: str, window: float, min_weight: int | None) -> CompatResult:
    """Run the other tool on the reposts and turn its kept edges into ``network_edges``."""
    result = run_compat(con, mode, window, min_weight, trace=COMPAT_TRACE)
    for stale in ("pair_significance", "account_partners"):
        con.execute(f"DROP TABLE IF EXISTS {stale}")
    con.execute(
        f"""
        CREATE OR REPLACE TABLE network_edges AS
        WITH kept AS (
            SELECT platform, least(account_a, account_b) AS source, greatest(account_a, account_b) AS target,
                   max(weight) AS tool_weight
            FROM {EDGES_TABLE} WHERE kept AND account_a <> account_b GROUP BY ALL
        ), matches AS (
            SELECT platform, account_a AS source, account_b AS target, count(DISTINCT object_id) AS shared_objects,
                   min(dt) AS min_dt, median(dt) AS median_dt
            FROM {PAIRS_TABLE} GROUP BY ALL
        )
        SELECT k.platform, k.source, k.target, '{COMPAT_TRACE}' AS trace,
               k.tool_weight / max(k.tool_weight) OVER () AS weight, m.shared_objects,
               CAST(NULL AS DOUBLE) AS significance, k.tool_weight AS co_actions, m.min_dt, m.median_dt,
               CAST(NULL AS DOUBLE) AS expected
        FROM kept k LEFT JOIN matches m USING (platform, source, target)
        ORDER BY k.platform, k.source, k.target
        """
    )
    return result
