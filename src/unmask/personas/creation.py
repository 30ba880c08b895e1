"""Creation bursts: days, weeks or months on which far more accounts were created than the data's baseline.

The baseline is robust: the mean number of accounts created per period over the whole span of creation dates
(periods with none included), after dropping the busiest 5 % of periods, so the bursts themselves do not raise
it.  A period is a burst when its count is at least :data:`MIN_BURST` and three times the baseline, and its
Poisson tail ``P(X >= count)`` times the number of periods (a Bonferroni correction) is below
:data:`MAX_PROBABILITY`.

Inside a cluster (``account_scores.cluster_id``, when the coordination stage has run) the test is against the
whole data instead: a cluster of n accounts is expected to have ``n * share_of_week`` accounts created in a week;
a cluster whose members were created together far beyond that gets ``cluster_creation_burst``.
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pyarrow as pa

from ..network.poisson import log10_poisson_sf
from ..db import has_table, scalar

UNITS = ("day", "week", "month")
ACCOUNT_UNITS = ("day", "week")
MIN_BURST = 5
MIN_CLUSTER_BURST = 3
MAX_PROBABILITY = 1e-3
TRIM_SHARE = 0.05

BURSTS_SCHEMA = pa.schema([
    ("unit", pa.string()), ("period_start", pa.date32()), ("accounts", pa.int64()), ("baseline", pa.float64()),
    ("log10_p", pa.float64()), ("share_of_accounts", pa.float64()),
])


def creation_bursts(con: duckdb.DuckDBPyConnection, units: tuple[str, ...] = UNITS) -> pa.Table:
    """Bursts of account creation per unit (``day``, ``week``, ``month``) in the workspace's ``accounts``."""
    total = scalar(con, "SELECT count(*) FROM accounts WHERE created_at IS NOT NULL")
    records = []
    for unit in units:
        counts = _period_counts(con, unit)
        if not counts:
            continue
        starts, values = zip(*counts)
        observed = np.array(values, dtype=np.int64)
        baseline = robust_baseline(observed)
        log_p = log10_poisson_sf(observed, np.full(observed.shape, baseline)) + math.log10(len(observed))
        for start, count, lp in zip(starts, observed.tolist(), log_p.tolist()):
            if count >= max(MIN_BURST, 3 * baseline) and lp < math.log10(MAX_PROBABILITY):
                records.append({"unit": unit, "period_start": start, "accounts": count, "baseline": round(baseline, 4),
                                "log10_p": round(lp, 2), "share_of_accounts": round(count / total, 4)})
    return pa.Table.from_pylist(records, schema=BURSTS_SCHEMA)


def robust_baseline(counts: np.ndarray) -> float:
    """Mean count per period after dropping the busiest :data:`TRIM_SHARE` of periods (at least one)."""
    ordered = np.sort(counts)
    keep = len(ordered) - max(1, math.ceil(TRIM_SHARE * len(ordered))) if len(ordered) > 1 else 1
    return float(ordered[:keep].mean())


def _period_counts(con: duckdb.DuckDBPyConnection, unit: str) -> list[tuple[object, int]]:
    """(period start, accounts created) for every period from the first to the last creation date."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    step = {"day": "1 day", "week": "7 days", "month": "1 month"}[unit]
    return con.execute(
        f"""
        WITH c AS (SELECT CAST(date_trunc('{unit}', created_at) AS DATE) AS p, count(*) AS n
                   FROM accounts WHERE created_at IS NOT NULL GROUP BY p),
             span AS (SELECT CAST(unnest(generate_series(min(p), max(p), INTERVAL '{step}')) AS DATE) AS p FROM c)
        SELECT span.p, coalesce(c.n, 0) FROM span LEFT JOIN c USING (p) ORDER BY span.p
        """
    ).fetchall()


def account_bursts(con: duckdb.DuckDBPyConnection, bursts: pa.Table) -> dict[tuple[str, str], str]:
    """(platform, account_id) -> description of the day or week burst the account was created in."""
    con.register("_persona_bursts", bursts)
    rows = con.execute(
        f"""
        SELECT a.platform, a.account_id,
               string_agg(b.unit || ' of ' || strftime(b.period_start, '%Y-%m-%d') || ': ' || b.accounts
                          || ' accounts created vs ' || round(b.baseline, 2) || ' expected', '; '
                          ORDER BY b.unit) AS burst
        FROM accounts a JOIN _persona_bursts b
          ON b.unit IN {ACCOUNT_UNITS} AND CAST(date_trunc(b.unit, a.created_at) AS DATE) = b.period_start
        GROUP BY ALL
        """
    ).fetchall()
    con.unregister("_persona_bursts")
    return {(platform, account_id): burst for platform, account_id, burst in rows}


def cluster_bursts(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """(platform, account_id) -> description of a creation-week burst inside the account's cluster.

    Empty when the workspace has no ``account_scores`` table yet.
    """
    if not has_table(con, "account_scores"):
        return {}
    rows = con.execute(
        """
        WITH a AS (SELECT a.platform, a.account_id, CAST(date_trunc('week', a.created_at) AS DATE) AS week,
                          CAST(s.cluster_id AS VARCHAR) AS cluster_id
                   FROM accounts a LEFT JOIN account_scores s USING (platform, account_id)
                   WHERE a.created_at IS NOT NULL),
             total AS (SELECT count(*) AS n FROM a),
             weeks AS (SELECT week, count(*) / any_value(total.n) AS share FROM a, total GROUP BY week),
             sizes AS (SELECT cluster_id, count(*) AS size FROM a WHERE cluster_id IS NOT NULL GROUP BY cluster_id),
             cells AS (SELECT cluster_id, week, count(*) AS k FROM a WHERE cluster_id IS NOT NULL GROUP BY ALL)
        SELECT cells.cluster_id, cells.week, cells.k, sizes.size * weeks.share AS expected,
               count(*) OVER () AS tests
        FROM cells JOIN sizes USING (cluster_id) JOIN weeks USING (week)
        ORDER BY cells.cluster_id, cells.week
        """
    ).fetchall()
    if not rows:
        return {}
    k = np.array([r[2] for r in rows], dtype=np.int64)
    expected = np.array([r[3] for r in rows], dtype=np.float64)
    log_p = log10_poisson_sf(k, expected) + math.log10(rows[0][4])
    hits = [
        (cluster, week, int(count), float(exp))
        for (cluster, week, count, exp, _), lp in zip(rows, log_p.tolist())
        if count >= MIN_CLUSTER_BURST and lp < math.log10(MAX_PROBABILITY)
    ]
    if not hits:
        return {}
    con.register("_persona_cluster_bursts", pa.table({
        "cluster_id": [h[0] for h in hits], "week": [h[1] for h in hits],
        "label": [f"cluster {h[0]}: {h[2]} accounts created in the week of {h[1]:%Y-%m-%d} vs {h[3]:.2f} expected"
                  for h in hits],
    }))
    accounts = con.execute(
        """
        SELECT a.platform, a.account_id, b.label FROM accounts a
        JOIN account_scores s USING (platform, account_id)
        JOIN _persona_cluster_bursts b ON CAST(s.cluster_id AS VARCHAR) = b.cluster_id
         AND CAST(date_trunc('week', a.created_at) AS DATE) = b.week
        """
    ).fetchall()
    con.unregister("_persona_cluster_bursts")
    return {(platform, account_id): label for platform, account_id, label in accounts}
