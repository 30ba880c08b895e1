"""CooRTweet 2.x: ``detect_groups(time_window, min_participation)`` then ``generate_coordinated_network(edge_weight)``.

Its steps, as its R source does them:

1. keep accounts with at least ``min_participation`` shares;
2. pair every two shares of one object within ``time_window`` seconds (inclusive), dropping loops (same account,
   same content, or a content that is the object itself);
3. participation: an account takes part when at least ``min_participation`` of its shares are in a pair; keep the
   pairs in which either account takes part (these rows are the "coordinated pairs");
4. the edge weight of two accounts is their number of pairs; the filtered graph keeps edges whose weight is
   strictly above the ``edge_weight`` quantile of all weights (R's default type-7 quantile).
"""

from __future__ import annotations

import duckdb

from ..traces.matching import window_matches_sql
from .result import EDGES_TABLE, PAIRS_TABLE, CompatResult, kept_graph_counts, pair_accounts


def run(
    con: duckdb.DuckDBPyConnection,
    actions: str,
    window: float,
    min_participation: int = 2,
    edge_weight: float = 0.5,
    min_weight: int | None = None,
) -> CompatResult:
    """Reproduce CooRTweet on the table ``actions`` (one row per share: object, account, content = post, time).

    ``min_weight``, when given, replaces the quantile filter by ``weight >= min_weight``.
    """
    if not 0 <= edge_weight <= 1:
        raise ValueError(f"edge_weight must be between 0 and 1, got {edge_weight}")
    participation = int(min_participation)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE compat_active AS
        SELECT a.platform, a.account_id, a.object_id, a.ts, a.post_id FROM {actions} a
        JOIN (SELECT platform, account_id FROM {actions} GROUP BY platform, account_id
              HAVING COUNT(*) >= {participation}) k
          ON a.platform = k.platform AND a.account_id = k.account_id"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE compat_matches AS
        SELECT * FROM ({window_matches_sql('compat_active', window)}) m
        WHERE post_a <> post_b AND object_id <> post_a AND object_id <> post_b"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE compat_participants AS
        SELECT x.platform, x.account_id FROM compat_active x
        JOIN (SELECT platform, post_a AS post_id FROM compat_matches
              UNION SELECT platform, post_b FROM compat_matches) c
          ON x.platform = c.platform AND x.post_id = c.post_id
        GROUP BY x.platform, x.account_id
        HAVING COUNT(*) >= {participation}"""
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE {PAIRS_TABLE} AS
        SELECT m.* FROM compat_matches m
        WHERE EXISTS (SELECT 1 FROM compat_participants p
                      WHERE p.platform = m.platform AND p.account_id IN (m.account_a, m.account_b))"""
    )
    for table in ("compat_active", "compat_matches", "compat_participants"):
        con.execute(f"DROP TABLE {table}")
    threshold = None
    if min_weight is None:
        threshold = con.execute(
            f"SELECT QUANTILE_CONT(w, {float(edge_weight)!r}) FROM "
            f"(SELECT COUNT(*) AS w FROM {PAIRS_TABLE} GROUP BY platform, account_a, account_b)"
        ).fetchone()[0]  # type: ignore[index]
    keep = f"COUNT(*) >= {int(min_weight)}" if min_weight is not None else f"COUNT(*) > {float(threshold or 0)!r}"
    con.execute(
        f"""CREATE OR REPLACE TABLE {EDGES_TABLE} AS
        SELECT 'coortweet' AS mode, platform, account_a, account_b, COUNT(*) AS weight, {keep} AS kept
        FROM {PAIRS_TABLE} GROUP BY platform, account_a, account_b"""
    )
    pairs = con.execute(f"SELECT COUNT(*) FROM {PAIRS_TABLE}").fetchone()[0]  # type: ignore[index]
    nodes, edges, components = kept_graph_counts(con)
    return CompatResult(
        "coortweet", window, pairs, pair_accounts(con, PAIRS_TABLE), nodes, edges, components, threshold
    )
