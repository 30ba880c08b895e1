"""The posts behind the edges, as side-by-side pairs: the same copypasta, the same repost seconds apart.

For a cluster, the objects acted on by the most pairs inside it come first (the copypasta everyone posted
before a text two accounts shared), each shown by its fastest pair, up to a number per trace.  The evidence is
read twice, narrowly: once to count the pairs per object, once to fetch the fastest pair of the few objects
chosen; those pairs stay in the temporary table ``_report_evidence`` for the evidence export.  For one account
(the local UI), its fastest pairs come first.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from .model import EvidencePair, Post, Text
from .tables import has_table

# Both sides of a pair ``r`` of trace_evidence: account, handle, post, time, kind, text cut to $max_text, length.
PAIR_COLUMNS = """
       r.account_a, aa.handle, r.post_a, pa.created_at, pa.kind, left(pa.text, $max_text), length(pa.text),
       r.account_b, ab.handle, r.post_b, pb.created_at, pb.kind, left(pb.text, $max_text), length(pb.text)
"""
PAIR_JOINS = """
LEFT JOIN accounts aa ON aa.platform = r.platform AND aa.account_id = r.account_a
LEFT JOIN accounts ab ON ab.platform = r.platform AND ab.account_id = r.account_b
LEFT JOIN posts pa ON pa.platform = r.platform AND pa.post_id = r.post_a
LEFT JOIN posts pb ON pb.platform = r.platform AND pb.post_id = r.post_b
"""
CHOSEN_TABLE = "_report_evidence"
CHOOSE_SQL = f"""
CREATE OR REPLACE TEMP TABLE {CHOSEN_TABLE} AS
WITH members AS (
    SELECT platform, account_id, cluster_id FROM account_scores WHERE cluster_id IN (SELECT unnest($clusters))
), inside AS (
    SELECT ma.cluster_id, e.trace, e.object_id, e.dt
    FROM trace_evidence e
    JOIN members ma ON ma.platform = e.platform AND ma.account_id = e.account_a
    JOIN members mb ON mb.platform = e.platform AND mb.account_id = e.account_b AND mb.cluster_id = ma.cluster_id
), top_objects AS (
    SELECT cluster_id, trace, object_id, count(*) AS pairs_on_object,
           row_number() OVER (PARTITION BY cluster_id, trace ORDER BY count(*) DESC, min(dt), object_id) AS k
    FROM inside GROUP BY cluster_id, trace, object_id
    QUALIFY k <= $per_trace
), candidates AS (
    SELECT t.cluster_id, t.trace, t.object_id, t.pairs_on_object, t.k,
           struct_pack(e.platform, e.dt, e.account_a, e.account_b, e.post_a, e.post_b) AS pair,
           struct_pack(e.dt, e.account_a, e.account_b, e.post_a, e.post_b) AS speed
    FROM trace_evidence e
    JOIN top_objects t ON t.trace = e.trace AND t.object_id = e.object_id
    JOIN members ma ON ma.platform = e.platform AND ma.account_id = e.account_a AND ma.cluster_id = t.cluster_id
    JOIN members mb ON mb.platform = e.platform AND mb.account_id = e.account_b AND mb.cluster_id = t.cluster_id
)
SELECT cluster_id, trace, object_id, pairs_on_object, k, fastest.*
FROM (SELECT cluster_id, trace, object_id, pairs_on_object, k, arg_min(pair, speed) AS fastest
      FROM candidates GROUP BY cluster_id, trace, object_id, pairs_on_object, k)
"""
CLUSTER_SQL = f"""
SELECT r.cluster_id, r.trace, r.platform, r.object_id, r.dt, r.pairs_on_object, {PAIR_COLUMNS}
FROM {CHOSEN_TABLE} r {PAIR_JOINS}
ORDER BY r.cluster_id, r.trace, r.k
"""
ACCOUNT_SQL = f"""
WITH r AS (
    SELECT *, count(*) OVER (PARTITION BY trace, object_id) AS pairs_on_object FROM trace_evidence
    WHERE platform = $platform AND (account_a = $account OR account_b = $account)
)
SELECT NULL, r.trace, r.platform, r.object_id, r.dt, r.pairs_on_object, {PAIR_COLUMNS}
FROM r {PAIR_JOINS}
ORDER BY r.dt, r.trace, r.object_id, r.account_a, r.account_b, r.post_a, r.post_b
LIMIT $limit
"""


def evidence_pairs(con: duckdb.DuckDBPyConnection, cluster_ids: list[int], per_trace: int,
                   max_text: int) -> dict[int, list[EvidencePair]] | None:
    """Up to ``per_trace`` evidence pairs per trace of each cluster (kept in ``_report_evidence``); None when the
    workspace has no evidence."""
    if not (has_table(con, "trace_evidence") and has_table(con, "account_scores")):
        return None
    con.execute(CHOOSE_SQL, {"clusters": cluster_ids, "per_trace": per_trace})
    rows = con.execute(CLUSTER_SQL, {"max_text": max_text}).fetchall()
    pairs: dict[int, list[EvidencePair]] = {cid: [] for cid in cluster_ids}
    for row in rows:
        pairs[row[0]].append(_pair(row))
    return pairs


def account_evidence(con: duckdb.DuckDBPyConnection, platform: str, account_id: str, limit: int,
                     max_text: int) -> list[EvidencePair] | None:
    """The fastest ``limit`` evidence pairs of one account; None when the workspace has no evidence."""
    if not has_table(con, "trace_evidence"):
        return None
    rows = con.execute(ACCOUNT_SQL, {"platform": platform, "account": account_id, "limit": limit,
                                     "max_text": max_text}).fetchall()
    return [_pair(row) for row in rows]


def post(platform: str, account_id: str, handle: str | None, post_id: str | None, created_at: dt.datetime | None,
         kind: str | None, text: str | None, length: int | None) -> Post:
    """A post from a query row whose text was cut in SQL (``left(text, n)``, with ``length(text)``)."""
    shown = None if text is None else Text(text, (length or 0) - len(text))
    return Post(platform=platform, post_id=post_id, account_id=account_id, handle=handle, created_at=created_at,
                kind=kind, text=shown)


def _pair(row: tuple) -> EvidencePair:
    _, trace, platform, object_id, seconds, on_object = row[:6]
    return EvidencePair(trace=trace, platform=platform, object_id=object_id, dt=seconds, pairs_on_object=on_object,
                        a=post(platform, *row[6:13]), b=post(platform, *row[13:20]))
