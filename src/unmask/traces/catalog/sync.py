"""Synchronised activity: accounts active in the same time bins (Pacheco et al. 2021, 30-minute bins).

Bins are objects; a bin is shared by thousands of ordinary accounts, so pairs are not every two accounts active
in one bin but pairs whose whole sets of active bins overlap strongly (Jaccard >= ``sync_min_overlap``).  MinHash
LSH over the bin sets proposes candidates (:func:`unmask.traces.matching.overlap_candidates`), and each
candidate's overlap is then counted exactly.
"""

from __future__ import annotations

import duckdb

from ..base import Trace, register
from ..matching import overlap_candidates, overlap_matches_sql
from ..params import TraceParams

CANDIDATES = "trace_sync_candidates"


@register
class Sync(Trace):
    """Object: the bin's start in seconds since 1970; one action per account and bin (its first post there)."""

    name = "sync"
    description = "Active in nearly the same set of 30-minute time bins."
    windowed = False

    def actions_sql(self, params: TraceParams) -> str:
        """Each account acts once on every bin it posted in."""
        return f"""
SELECT platform, account_id, object_id, ts, post_id FROM (
    SELECT platform, account_id, object_id, created_at AS ts, post_id,
           ROW_NUMBER() OVER (PARTITION BY platform, account_id, object_id ORDER BY created_at, post_id) AS k
    FROM ({_binned_posts_sql(params)}) binned
) ranked_bins
WHERE k = 1"""

    def prepare(self, con: duckdb.DuckDBPyConnection, params: TraceParams) -> None:
        """Propose candidate pairs from the accounts' bin sets (temp table ``trace_sync_candidates``)."""
        overlap_candidates(con, _binned_posts_sql(params), CANDIDATES, params.sync_min_bins,
                           params.sync_min_overlap, params.minhash_seed)

    def matches_sql(self, source: str, params: TraceParams) -> str:
        """Shared bins of candidate pairs with enough bins and an overlap verified exactly."""
        return overlap_matches_sql(source, CANDIDATES, params.sync_min_bins, params.sync_min_overlap)


def _binned_posts_sql(params: TraceParams) -> str:
    """Posts with ``object_id`` = the start of their time bin, in seconds since 1970."""
    seconds = int(params.sync_bin_minutes) * 60
    return f"""
SELECT platform, account_id, post_id, created_at,
       CAST(CAST(FLOOR(EPOCH(created_at) / {seconds}) * {seconds} AS BIGINT) AS VARCHAR) AS object_id
FROM posts
WHERE created_at IS NOT NULL"""
