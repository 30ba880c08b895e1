"""Synchronised activity: accounts active in the same time bins (Pacheco et al. 2021, 30-minute bins).

Bins are objects; a bin is shared by thousands of ordinary accounts, so pairs are not every two accounts active
in one bin but pairs whose whole sets of active bins overlap strongly (Jaccard >= ``sync_min_overlap``).  MinHash
LSH over the bin sets proposes candidates (:func:`unmask.traces.matching.overlap_candidates`), and each
candidate's overlap is then counted exactly.

Accounts active in more than ``sync_max_active_share`` of the bins the data spans (from its 1st to its 99th
percentile of active bins, so a few years-old posts of repurposed accounts do not stretch it) are left out of the pairing
(their actions stay): two independent accounts active in a share p of the bins have Jaccard p / (2 - p), so
round-the-clock accounts look synchronised with each other by chance alone (0.8 at p = 0.89), and their pairs,
each sharing a thousand bins, would swamp the evidence.  Round-the-clock activity is itself a persona signal.
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
        """Propose candidate pairs from the bin sets of accounts that are not active round the clock
        (temp table ``trace_sync_candidates``)."""
        overlap_candidates(con, _pairable_bins_sql(params), CANDIDATES, params.sync_min_bins,
                           params.sync_min_overlap, params.minhash_seed, params.sync_max_partners)

    def matches_sql(self, source: str, params: TraceParams) -> str:
        """Shared bins of candidate pairs with enough bins and an overlap verified exactly."""
        return overlap_matches_sql(source, CANDIDATES, params.sync_min_bins, params.sync_min_overlap)


def _binned_posts_sql(params: TraceParams) -> str:
    """Posts with ``bin`` (the start of their time bin in seconds since 1970) and ``object_id``, its text."""
    seconds = int(params.sync_bin_minutes) * 60
    return f"""
SELECT platform, account_id, post_id, created_at, bin, CAST(bin AS VARCHAR) AS object_id FROM (
    SELECT platform, account_id, post_id, created_at,
           CAST(FLOOR(EPOCH(created_at) / {seconds}) * {seconds} AS BIGINT) AS bin
    FROM posts
    WHERE created_at IS NOT NULL
) timed"""


def _pairable_bins_sql(params: TraceParams) -> str:
    """Distinct ``platform, account_id, object_id`` bins of accounts active in at most the allowed share of the
    bins their platform's data spans (every account's when the share is 1)."""
    seconds = int(params.sync_bin_minutes) * 60
    share = float(params.sync_max_active_share)
    return f"""
WITH bins AS (SELECT DISTINCT platform, account_id, bin, object_id FROM ({_binned_posts_sql(params)}) b),
spans AS (
    SELECT platform, (QUANTILE_DISC(bin, 0.99) - QUANTILE_DISC(bin, 0.01)) / {seconds} + 1 AS bins
    FROM bins GROUP BY platform
),
active AS (
    SELECT platform, account_id, COUNT(*) AS bins FROM bins GROUP BY platform, account_id
)
SELECT b.platform, b.account_id, b.object_id
FROM bins b
JOIN active a ON a.platform = b.platform AND a.account_id = b.account_id
JOIN spans s ON s.platform = b.platform
WHERE a.bins <= {share!r} * s.bins OR {share!r} >= 1"""
