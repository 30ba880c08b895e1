"""Pairing actions into co-actions: the SQL every trace shares.

Each ``*_sql`` function takes ``source``, a table (or parenthesised query) of actions with the columns
``platform, account_id, object_id, ts, post_id``, and returns a portable SELECT of matched action pairs:
``platform, object_id, account_a, account_b, post_a, post_b, dt`` with ``account_a < account_b`` (``post_a`` is
``account_a``'s), each unordered pair of actions once, ``dt = |Δt|`` in seconds.

* :func:`window_matches_sql`: same object, ``|Δt| <= window``, via an exact time-bucketed equi-join.
* :func:`shared_matches_sql`: same object at any time, for objects few enough accounts share.
* :func:`overlap_matches_sql`: pairs of accounts whose object sets overlap (Jaccard) above a threshold,
  verified exactly among the candidates :func:`overlap_candidates` proposes (MinHash LSH, instead of comparing
  all pairs).
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .minhash import band_pairs, banding_for, estimated_jaccard, set_signatures, sorted_unique

# Float slack for thresholds computed in SQL (t * n), so a Jaccard exactly at the threshold is kept.
_EPS = "1e-9"
_JACCARD_BATCH = 20_000_000  # tokens of the pairs whose exact Jaccard is computed at once


def window_matches_sql(source: str, window: float, max_crowd: int | None = None) -> str:
    """Pairs of actions on the same object by different accounts with ``|Δt| <= window`` (boundary included).

    Time is cut into buckets ``b = floor(t / window)``; one side is replicated into ``b - 1, b, b + 1`` and the
    join runs on ``(platform, object, bucket)``.  Two actions within the window lie in the same or adjacent
    buckets, and exactly one replica carries the other's bucket, so the result is exact and has no duplicates,
    while a viral object is only joined bucket by bucket instead of all its actions with all.

    ``max_crowd`` bounds the cost on viral objects: an action is a *crowd action*, and pairs with nobody, when
    more than ``max_crowd`` actions on its object fall in its bucket and the two beside it (a superset of its
    window).  Acting on a post in the same minutes as hundreds of others is what a viral post draws; it says
    nothing about any one pair, and listing its pairs would cost the square of the crowd.  Campaigns are found
    by what they repeat in smaller groups and by the other traces.  None: every action pairs (the compatibility
    modes, which reproduce other tools exactly).  The matches stay at most ``max_crowd`` per action.
    """
    w = _number(window)
    paired = "timed"
    if max_crowd is not None:
        paired = f"""(
    SELECT timed.* FROM timed JOIN (
        SELECT platform, object_id, b FROM (
            SELECT platform, object_id, b, SUM(n) OVER (PARTITION BY platform, object_id ORDER BY b
                                                        RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS crowd
            FROM (SELECT platform, object_id, b, COUNT(*) AS n FROM timed GROUP BY platform, object_id, b) sizes
        ) neighbourhoods
        WHERE crowd <= {int(max_crowd)}
    ) calm ON timed.platform = calm.platform AND timed.object_id = calm.object_id AND timed.b = calm.b
)"""
    return f"""
WITH timed AS (
    SELECT platform, account_id, object_id, post_id, EPOCH(ts) AS t, CAST(FLOOR(EPOCH(ts) / {w}) AS BIGINT) AS b
    FROM {source} src
    WHERE ts IS NOT NULL
),
a AS (SELECT * FROM {paired} paired_actions),
r AS (
    SELECT a.platform, a.account_id, a.object_id, a.post_id, a.t, a.b + s.d AS b
    FROM a CROSS JOIN (VALUES (-1), (0), (1)) AS s(d)
)
SELECT a.platform, a.object_id, a.account_id AS account_a, r.account_id AS account_b,
       a.post_id AS post_a, r.post_id AS post_b, ABS(a.t - r.t) AS dt
FROM a JOIN r ON a.platform = r.platform AND a.object_id = r.object_id AND a.b = r.b
WHERE a.account_id < r.account_id AND ABS(a.t - r.t) <= {w}"""


def shared_matches_sql(source: str, max_accounts: int) -> str:
    """Pairs of accounts acting on the same object at any time, each account's first action per object.

    Objects shared by more than ``max_accounts`` accounts (default avatars, stock images) are skipped: they are
    no evidence and would make the result quadratic in their popularity.
    """
    return f"""
WITH first_actions AS ({_first_action_sql(source)}),
small AS (
    SELECT platform, object_id FROM first_actions
    GROUP BY platform, object_id
    HAVING COUNT(*) BETWEEN 2 AND {int(max_accounts)}
),
o AS (
    SELECT f.platform, f.account_id, f.object_id, f.post_id, f.ts
    FROM first_actions f JOIN small s ON f.platform = s.platform AND f.object_id = s.object_id
)
SELECT x.platform, x.object_id, x.account_id AS account_a, y.account_id AS account_b,
       x.post_id AS post_a, y.post_id AS post_b, ABS(EPOCH(x.ts) - EPOCH(y.ts)) AS dt
FROM o x JOIN o y ON x.platform = y.platform AND x.object_id = y.object_id AND x.account_id < y.account_id"""


def overlap_candidates(
    con: duckdb.DuckDBPyConnection, sets: str, table: str, min_objects: int, min_overlap: float, seed: int,
    max_partners: int | None = None,
) -> None:
    """Create temp table ``table(platform, account_a, account_b)``: pairs whose object sets overlap strongly.

    ``sets`` is a query of ``platform, account_id, object_id`` rows; accounts with at least ``min_objects``
    distinct objects take part.  Unlike prefix filtering this stays near-linear when the objects are few and
    common, as 30-minute time bins are (a month is only 1,440 bins, each shared by thousands of accounts):

    1. MinHash signatures of the object sets; pairs agreeing on a whole LSH band are candidates, banded by
       :func:`unmask.traces.minhash.banding_for` (a pair at Jaccard ``min_overlap`` shares no band with
       probability at most 1e-4; a more similar pair even less);
    2. candidates whose signatures estimate a Jaccard more than four standard errors below ``min_overlap`` go
       (a pair at the threshold, with probability 3e-5);
    3. the rest are checked exactly on their (hashed) object sets, so only pairs at or above the threshold
       reach the SQL that lists their shared objects;
    4. with ``max_partners``, a pair stays only when it is among the ``max_partners`` most similar partners of
       one of its two accounts (ties by position): a group of k accounts on one schedule is k² pairs, each
       listing hundreds of shared objects, while k·max_partners pairs still tie every member to the group.
    """
    grouped = con.sql(
        f"""SELECT platform, account_id, LIST_SORT(LIST(HASH(object_id))) AS tokens
            FROM (SELECT DISTINCT platform, account_id, object_id FROM ({sets}) s) objects
            GROUP BY platform, account_id
            HAVING COUNT(*) >= {int(min_objects)}
            ORDER BY platform, account_id"""
    ).to_arrow_table()
    lists = grouped.column("tokens").combine_chunks()
    sizes = pc.list_value_length(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    tokens = pc.list_flatten(lists).to_numpy()
    bands, rows = banding_for(min_overlap)
    sig = set_signatures(np.repeat(np.arange(len(sizes)), sizes), tokens, bands * rows, seed)
    a, b = band_pairs(sig, bands, rows)  # a < b, so account_a < account_b within a platform
    margin = 4 * math.sqrt(min_overlap * (1 - min_overlap) / (bands * rows))
    likely = estimated_jaccard(sig, a, b) >= min_overlap - margin - 1e-9
    a, b = a[likely], b[likely]
    jaccard = _exact_jaccard(tokens, np.cumsum(sizes) - sizes, sizes, a, b)
    similar = jaccard >= min_overlap - 1e-9
    a, b, jaccard = a[similar], b[similar], jaccard[similar]
    if max_partners is not None:
        kept = _closest_partners(a, b, jaccard, max_partners)
        a, b = a[kept], b[kept]
    platforms, accounts = grouped.column("platform"), grouped.column("account_id")
    pairs = pa.table({"platform": platforms.take(a), "account_a": accounts.take(a),
                      "platform_b": platforms.take(b), "account_b": accounts.take(b)})
    con.register("overlap_candidates_arrow", pairs)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT platform, account_a, account_b FROM overlap_candidates_arrow WHERE platform = platform_b"""
    )
    con.unregister("overlap_candidates_arrow")


def _closest_partners(a: np.ndarray, b: np.ndarray, similarity: np.ndarray, k: int) -> np.ndarray:
    """Mask of the pairs ``(a[i], b[i])`` that are among the ``k`` most similar partners of ``a[i]`` or ``b[i]``
    (ties broken by the partner's index, so the result is deterministic)."""
    owner, partner = np.concatenate([a, b]), np.concatenate([b, a])
    pair = np.concatenate([np.arange(len(a)), np.arange(len(a))])
    order = np.lexsort((partner, -np.concatenate([similarity, similarity]), owner))
    sorted_owner = owner[order]
    starts = np.flatnonzero(np.r_[True, sorted_owner[1:] != sorted_owner[:-1]]) if len(order) else order
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    kept = np.zeros(len(a), dtype=bool)
    kept[pair[order[rank < k]]] = True
    return kept


def _exact_jaccard(
    tokens: np.ndarray, starts: np.ndarray, sizes: np.ndarray, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """Jaccard of the sorted token sets ``tokens[starts[i] : starts[i] + sizes[i]]`` of each pair ``(a, b)``.

    Vectorised over pairs, a batch of about :data:`_JACCARD_BATCH` tokens at a time: tokens become dense ranks,
    each pair's two sets become keys ``pair * ranks + rank`` (sorted, as the sets are), and the common tokens are
    the first set's keys found among the second's.
    """
    distinct = sorted_unique(tokens)
    ranks = np.searchsorted(distinct, tokens).astype(np.int64)
    span = max(len(distinct), 1)
    out = np.empty(len(a), dtype=np.float64)
    load = np.cumsum(sizes[a] + sizes[b])
    begin = 0
    while begin < len(a):
        done = int(load[begin - 1]) if begin else 0
        end = max(begin + 1, int(np.searchsorted(load, done + _JACCARD_BATCH, side="right")))
        pair = np.arange(end - begin, dtype=np.int64)
        x_pair, x_rank = _members(ranks, starts, sizes, a[begin:end], pair)
        y_pair, y_rank = _members(ranks, starts, sizes, b[begin:end], pair)
        x_key, y_key = x_pair * span + x_rank, y_pair * span + y_rank
        found = y_key[np.searchsorted(y_key, x_key).clip(max=len(y_key) - 1)] == x_key
        common = np.bincount(x_pair[found], minlength=len(pair))
        out[begin:end] = common / (sizes[a[begin:end]] + sizes[b[begin:end]] - common)
        begin = end
    return out


def _members(
    ranks: np.ndarray, starts: np.ndarray, sizes: np.ndarray, owners: np.ndarray, pair: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The tokens of the sets ``owners`` side by side: each token's pair index and its rank."""
    counts = sizes[owners]
    first = np.cumsum(counts) - counts
    position = np.arange(int(counts.sum())) - np.repeat(first - starts[owners], counts)
    return np.repeat(pair, counts), ranks[position]


def overlap_matches_sql(source: str, candidates: str, min_objects: int, min_overlap: float) -> str:
    """The shared objects of the ``candidates`` pairs whose object sets have Jaccard ``>= min_overlap``.

    Both accounts need at least ``min_objects`` objects; the overlap is counted exactly on the full sets (of the
    candidates' accounts only, so few candidates make this cheap).  Each candidate lists both accounts' objects
    and keeps those listed twice: two joins on the account alone, so no plan can join the two accounts' actions
    on the object first (every pair of accounts active in a popular bin).
    """
    t = _number(min_overlap)
    members = f"""(
    SELECT s.platform, s.account_id, s.object_id, s.post_id, s.ts FROM {source} s
    JOIN (SELECT platform, account_a AS account_id FROM {candidates}
          UNION SELECT platform, account_b FROM {candidates}) c
      ON s.platform = c.platform AND s.account_id = c.account_id
)"""
    return f"""
WITH first_actions AS ({_first_action_sql(members)}),
sizes AS (
    SELECT platform, account_id, COUNT(*) AS n FROM first_actions
    GROUP BY platform, account_id
    HAVING COUNT(*) >= {int(min_objects)}
),
sized AS (
    SELECT c.platform, c.account_a, c.account_b, a.n AS n_a, b.n AS n_b
    FROM {candidates} c
    JOIN sizes a ON a.platform = c.platform AND a.account_id = c.account_a
    JOIN sizes b ON b.platform = c.platform AND b.account_id = c.account_b
    WHERE b.n >= {t} * a.n - {_EPS} AND a.n >= {t} * b.n - {_EPS}
),
sides AS (
    SELECT c.platform, c.account_a, c.account_b, c.n_a, c.n_b, f.object_id,
           f.post_id AS post_a, CAST(NULL AS VARCHAR) AS post_b, f.ts AS ts_a, CAST(NULL AS TIMESTAMP) AS ts_b
    FROM sized c JOIN first_actions f ON f.platform = c.platform AND f.account_id = c.account_a
    UNION ALL
    SELECT c.platform, c.account_a, c.account_b, c.n_a, c.n_b, f.object_id,
           CAST(NULL AS VARCHAR), f.post_id, CAST(NULL AS TIMESTAMP), f.ts
    FROM sized c JOIN first_actions f ON f.platform = c.platform AND f.account_id = c.account_b
),
shared AS (
    SELECT platform, object_id, account_a, account_b, n_a, n_b, MAX(post_a) AS post_a, MAX(post_b) AS post_b,
           ABS(EPOCH(MAX(ts_a)) - EPOCH(MAX(ts_b))) AS dt
    FROM sides
    GROUP BY platform, object_id, account_a, account_b, n_a, n_b
    HAVING COUNT(*) = 2
),
similar_pairs AS (
    SELECT platform, account_a, account_b FROM shared
    GROUP BY platform, account_a, account_b, n_a, n_b
    HAVING COUNT(*) >= {t} * (n_a + n_b - COUNT(*)) - {_EPS}
)
SELECT s.platform, s.object_id, s.account_a, s.account_b, s.post_a, s.post_b, s.dt
FROM shared s JOIN similar_pairs m
  ON s.platform = m.platform AND s.account_a = m.account_a AND s.account_b = m.account_b"""


def _first_action_sql(source: str) -> str:
    """Each account's earliest action per object (ties broken by post id), so objects form a set per account."""
    return f"""
    SELECT platform, account_id, object_id, post_id, ts FROM (
        SELECT s.platform, s.account_id, s.object_id, s.post_id, s.ts,
               ROW_NUMBER() OVER (PARTITION BY s.platform, s.account_id, s.object_id ORDER BY s.ts, s.post_id) AS k
        FROM {source} s
    ) ranked_actions
    WHERE k = 1"""


def _number(value: float) -> str:
    """A SQL numeric literal for a finite parameter value."""
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"not a finite number: {value!r}")
    return repr(number)
