"""Scores: each account's and each cluster's coordination score in [0, 1], the flag, and the reasons.

An account has two kinds of evidence, each a family-wise adjusted p-value: its most significant pair of a decisive
trace (:mod:`.significance`) and its count of surprising ties (:mod:`.partners`).  With ``q`` the smaller of the
two, its score is ``alpha / (alpha + q)``: 0.5 exactly at the run's significance threshold, towards 1 as the
evidence gets stronger (0.91 at ten times below the threshold, 0.99 at a hundred), towards 0 below it, and 0 for
an account that never shared ``min_shared`` objects with anyone.  Scores rank every account, flagged or not, which
is what ROC curves in ``eval/`` need.  ``flagged`` is true exactly when the score is at least 0.5; flagged accounts
with an edge in the backbone get a cluster.

A cluster's score is the median of its members' scores: one outlying member cannot carry a cluster.
"""

from __future__ import annotations

import math

import duckdb
import pyarrow as pa

from .explain import account_reasons, cluster_reasons
from .params import NetworkParams


def significance_evidence_sql(params: NetworkParams) -> str:
    """Per account: ``alpha / (alpha + q)`` for the stronger of its best pair and its partner test, and the flag.

    Pairs of supporting traces are left out: they cannot flag an account on their own.
    """
    threshold = -math.log10(params.alpha)
    supporting = ", ".join("'" + name.replace("'", "''") + "'" for name in params.supporting) or "NULL"
    return f"""
        WITH decisive AS (
            SELECT * FROM pair_significance WHERE trace NOT IN ({supporting})
        ), ends AS (
            SELECT platform, account_a AS account_id, significance FROM decisive
            UNION ALL
            SELECT platform, account_b AS account_id, significance FROM decisive
            UNION ALL
            SELECT platform, account_id, significance FROM account_partners WHERE ties > 0
        ), best AS (
            SELECT platform, account_id, max(significance) AS significance FROM ends GROUP BY ALL
        )
        SELECT platform, account_id,
               1.0 / (1.0 + pow(10.0, least({threshold!r} - significance, 300.0))) AS coordination_score,
               significance >= {threshold!r} AS flagged
        FROM best
    """


def score_accounts(
    con: duckdb.DuckDBPyConnection, clusters: dict[tuple[str, str], int], evidence_sql: str, partner_p: float | None
) -> int:
    """Create table ``account_scores`` for every account of the workspace; returns how many are flagged.

    ``clusters`` maps ``(platform, account_id)`` to the cluster id found by community detection; ``evidence_sql``
    gives ``platform, account_id, coordination_score, flagged`` for accounts with any evidence (see
    :func:`significance_evidence_sql`); accounts without a row score 0.  ``partners`` counts an account's
    neighbours in the backbone; ``partner_p`` words the partner test's reason (None: no partner test).
    """
    membership = pa.table({
        "platform": pa.array([key[0] for key in clusters], pa.string()),
        "account_id": pa.array([key[1] for key in clusters], pa.string()),
        "cluster_id": pa.array(list(clusters.values()), pa.int64()),
    })
    reasons = account_reasons(con, partner_p)
    reason_table = pa.table({
        "platform": pa.array([key[0] for key in reasons], pa.string()),
        "account_id": pa.array([key[1] for key in reasons], pa.string()),
        "reasons": pa.array(list(reasons.values()), pa.string()),
    })
    con.register("_membership", membership)
    con.register("_reasons", reason_table)
    con.execute(
        f"""
        CREATE OR REPLACE TABLE account_scores AS
        WITH universe AS (
            SELECT platform, account_id FROM accounts
            UNION
            SELECT platform, account_id FROM posts WHERE account_id IS NOT NULL
        ), evidence AS ({evidence_sql}
        ), partners AS (
            SELECT platform, account_id, count(DISTINCT partner) AS partners FROM (
                SELECT platform, source AS account_id, target AS partner FROM network_edges
                UNION ALL
                SELECT platform, target AS account_id, source AS partner FROM network_edges
            ) GROUP BY ALL
        )
        SELECT u.platform, u.account_id, a.handle, m.cluster_id,
               coalesce(e.coordination_score, 0.0) AS coordination_score,
               coalesce(e.flagged, false) AS flagged,
               coalesce(n.partners, 0) AS partners,
               coalesce(r.reasons, '') AS reasons
        FROM universe u
        LEFT JOIN accounts a USING (platform, account_id)
        LEFT JOIN _membership m USING (platform, account_id)
        LEFT JOIN evidence e USING (platform, account_id)
        LEFT JOIN partners n USING (platform, account_id)
        LEFT JOIN _reasons r USING (platform, account_id)
        ORDER BY coordination_score DESC, u.platform, u.account_id
        """
    )
    con.unregister("_membership")
    con.unregister("_reasons")
    return con.execute("SELECT count(*) FROM account_scores WHERE flagged").fetchone()[0]  # type: ignore[index]


def score_clusters(con: duckdb.DuckDBPyConnection) -> int:
    """Create table ``clusters`` (size, significant pairs inside, density, score, reasons); returns how many."""
    reasons = cluster_reasons(con)
    con.register("_cluster_reasons", pa.table({
        "cluster_id": pa.array(list(reasons), pa.int64()),
        "reasons": pa.array(list(reasons.values()), pa.string()),
    }))
    con.execute(
        """
        CREATE OR REPLACE TABLE clusters AS
        WITH members AS (
            SELECT cluster_id, count(*) AS size, string_agg(DISTINCT platform, ',' ORDER BY platform) AS platforms,
                   median(coordination_score) AS score
            FROM account_scores WHERE cluster_id IS NOT NULL GROUP BY cluster_id
        ), pairs AS (
            SELECT ma.cluster_id, count(DISTINCT (e.platform, e.source, e.target)) AS pairs,
                   string_agg(DISTINCT e.trace, ',' ORDER BY e.trace) AS traces
            FROM network_edges e
            JOIN account_scores ma ON ma.platform = e.platform AND ma.account_id = e.source
            JOIN account_scores mb ON mb.platform = e.platform AND mb.account_id = e.target
            WHERE ma.cluster_id = mb.cluster_id
            GROUP BY ma.cluster_id
        )
        SELECT m.cluster_id, m.size, m.platforms, m.score, coalesce(p.pairs, 0) AS pairs,
               CASE WHEN m.size > 1 THEN coalesce(p.pairs, 0) / (m.size * (m.size - 1) / 2) ELSE 0.0 END AS density,
               coalesce(p.traces, '') AS traces, coalesce(r.reasons, '') AS reasons
        FROM members m LEFT JOIN pairs p USING (cluster_id) LEFT JOIN _cluster_reasons r USING (cluster_id)
        ORDER BY m.cluster_id
        """
    )
    con.unregister("_cluster_reasons")
    return con.execute("SELECT count(*) FROM clusters").fetchone()[0]  # type: ignore[index]
