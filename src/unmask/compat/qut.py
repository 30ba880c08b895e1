"""QUT Digital Observatory coordination-network-toolkit 1.5.2 (``compute_co_retweet_parallel`` and friends).

The toolkit's network is directed: the weight of user A → user B is the number of A's messages that some
message of B matches (same object, ``|Δt| <= time_window``, inclusive).  Every message matches itself, so each
user has a self-loop weighing its number of messages; its graph loader leaves loops out unless asked.  The only
filter is ``weight >= min_edge_weight``.
"""

from __future__ import annotations

import duckdb

from ..traces.matching import window_matches_sql
from .result import EDGES_TABLE, PAIRS_TABLE, CompatResult, kept_graph_counts


def run(
    con: duckdb.DuckDBPyConnection, actions: str, window: float, min_weight: int = 1, loops: bool = False
) -> CompatResult:
    """Reproduce the toolkit's network on the table ``actions``; ``loops`` keeps self-loops in the graph."""
    con.execute(
        f"""CREATE OR REPLACE TABLE {PAIRS_TABLE} AS
        SELECT * FROM ({window_matches_sql(actions, window)}) m"""
    )
    self_loops = (
        f"""UNION ALL
        SELECT platform, account_id, account_id, COUNT(DISTINCT post_id) FROM {actions}
        WHERE ts IS NOT NULL GROUP BY platform, account_id"""
        if loops
        else ""
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE {EDGES_TABLE} AS
        SELECT 'qut' AS mode, platform, account_a, account_b, weight, weight >= {int(min_weight)} AS kept FROM (
            SELECT platform, account_a, account_b, COUNT(DISTINCT post_a) AS weight FROM {PAIRS_TABLE}
            GROUP BY platform, account_a, account_b
            UNION ALL
            SELECT platform, account_b, account_a, COUNT(DISTINCT post_b) FROM {PAIRS_TABLE}
            GROUP BY platform, account_a, account_b
            {self_loops}
        ) directed"""
    )
    nodes, edges, components = kept_graph_counts(con)
    return CompatResult("qut", window, edges, nodes, nodes, edges, components)
