"""Significance: how surprising is it that two accounts acted on the same objects within the window?

A raw co-occurrence count is not evidence.  Chance pairs grow with volume, hyperactive accounts meet everybody,
and everyone who reposts a viral post in its first minute shares it with thousands.  Each candidate pair of
``trace_pairs`` is therefore scored twice, per trace:

**Surprise against an analytic null (the test).**  Let ``s_ab`` be the distinct objects that ``a`` and ``b``
shared within the window, ``E_a = sum_b s_ab`` the co-actor slots around ``a``'s actions (how many accounts
acted near it, object by object: large for anyone in a viral crowd), ``d_b`` the distinct objects ``b`` acted
on, and ``D`` the sum of ``d`` over every account of the trace.  If accounts acted independently, each slot
around ``a`` would be filled by an account in proportion to its activity, so ``b`` fills
``E_a d_b / (D - d_a)`` of them on average; averaging the two directions gives the expectation ``lam_ab``.
Under independence ``s_ab`` is close to Poisson(``lam_ab``), and the p-value is its upper tail.  A hyperactive
``b`` (large ``d_b``) and a viral-crowd ``a`` (large ``E_a``) both raise ``lam_ab``, so they need many more shared
objects before they look coordinated; a quiet group that keeps acting together on unpopular objects does not.
Every candidate pair is a test: the run's error rate ``alpha`` is split evenly over the traces with candidates
and then over each trace's pairs (Bonferroni), so the threshold tightens as the data grows, which is exactly the
volume problem.  ``significance`` is ``-log10`` of the adjusted p-value: at least ``-log10(alpha)`` (2 for the
default 0.01) means significant.

Why analytic and not a time-shuffled null: it needs no second pair join per shuffle (the join dominates the run
time at tens of millions of actions), it is exact to compute for p-values far below any number of shuffles could
resolve (1e-30 and smaller for real campaigns), and ``eval/`` measures its calibration directly on the
simulator's organic-only world, where every kept pair is a false positive.

**Overlap weight (the strength).**  The edge weight is the cosine of TF-IDF account vectors (Pacheco et al.
2021) restricted to the objects the pair shared within the window: ``w_ao = (1 + ln n_ao) * ln(N / df_o)``
with ``n_ao`` a's actions on ``o``, ``N`` the trace's accounts and ``df_o`` the accounts acting on ``o``.  The IDF
term makes viral objects count little, the sublinear term and the norm over *all* of an account's objects make a
hyperactive account's overlap with anyone small.  It is the share of the two accounts' behaviour that is
joint, in [0, 1]; it drives community detection and the fused weight, never the decision to keep an edge.

Pairs sharing fewer than ``min_shared`` distinct objects are not tested: acting on a single object together gives
cosine 1.0 and is never evidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from .params import NetworkParams
from .poisson import log10_poisson_sf

PAIR_KEY = "trace, platform, account_a, account_b"


@dataclass(frozen=True)
class TraceTests:
    """How many pairs one trace tested and kept."""

    trace: str
    tested: int
    significant: int


def score_pairs(con: duckdb.DuckDBPyConnection, params: NetworkParams) -> list[TraceTests]:
    """Create table ``pair_significance``: every pair sharing ``min_shared`` objects, with its surprise and weight.

    Reads ``trace_actions``, ``trace_pairs`` and ``trace_evidence``.  Columns: the ``trace_pairs`` columns, then
    ``expected`` (shared objects expected by chance), ``log10_p`` (unadjusted), ``significance`` (``-log10`` of
    the Bonferroni-adjusted p-value), ``weight`` (windowed TF-IDF cosine) and ``significant``.
    """
    _account_statistics(con)
    _candidates(con, params.min_shared)
    _weights(con)
    candidates = con.sql(f"SELECT * FROM _candidates ORDER BY {PAIR_KEY}").to_arrow_table()
    con.register("_scored", _with_significance(candidates))
    con.execute(
        f"""
        CREATE OR REPLACE TABLE pair_significance AS
        SELECT s.* EXCLUDE (expected_raw), s.expected_raw AS expected, coalesce(w.weight, 0.0) AS weight,
               s.significance >= {-math.log10(params.alpha)!r} AS significant
        FROM _scored s LEFT JOIN _weights w USING ({PAIR_KEY})
        ORDER BY {PAIR_KEY}
        """
    )
    con.unregister("_scored")
    for table in ("_activity", "_crowd", "_candidates", "_weights"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    rows = con.execute(
        "SELECT trace, count(*), count(*) FILTER (WHERE significant) FROM pair_significance GROUP BY trace ORDER BY trace"
    ).fetchall()
    return [TraceTests(trace, tested, kept) for trace, tested, kept in rows]


def _account_statistics(con: duckdb.DuckDBPyConnection) -> None:
    """Per account and trace: distinct objects ``d`` and co-actor slots ``E``."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _activity AS
        SELECT trace, platform, account_id, count(DISTINCT object_id) AS objects
        FROM trace_actions GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _crowd AS
        SELECT trace, platform, account_id, sum(shared_objects) AS slots FROM (
            SELECT trace, platform, account_a AS account_id, shared_objects FROM trace_pairs
            UNION ALL
            SELECT trace, platform, account_b AS account_id, shared_objects FROM trace_pairs
        ) GROUP BY ALL
        """
    )


def _candidates(con: duckdb.DuckDBPyConnection, min_shared: int) -> None:
    """Pairs with at least ``min_shared`` shared objects, with the expectation ``lam`` under independence."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _candidates AS
        WITH totals AS (
            SELECT trace, platform, sum(objects) AS total FROM _activity GROUP BY ALL
        )
        SELECT p.trace, p.platform, p.account_a, p.account_b, p.co_actions, p.shared_objects, p.min_dt, p.median_dt,
               0.5 * (ca.slots * db.objects / greatest(t.total - da.objects, 1)
                    + cb.slots * da.objects / greatest(t.total - db.objects, 1)) AS expected_raw,
               count(*) OVER (PARTITION BY p.trace) AS tests
        FROM trace_pairs p
        JOIN totals t USING (trace, platform)
        JOIN _activity da ON da.trace = p.trace AND da.platform = p.platform AND da.account_id = p.account_a
        JOIN _activity db ON db.trace = p.trace AND db.platform = p.platform AND db.account_id = p.account_b
        JOIN _crowd ca ON ca.trace = p.trace AND ca.platform = p.platform AND ca.account_id = p.account_a
        JOIN _crowd cb ON cb.trace = p.trace AND cb.platform = p.platform AND cb.account_id = p.account_b
        WHERE p.shared_objects >= {int(min_shared)}
        """
    )


def _weights(con: duckdb.DuckDBPyConnection) -> None:
    """Windowed TF-IDF cosine of each candidate pair, over the objects it shared within the window."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _weights AS
        WITH counts AS (
            SELECT trace, platform, account_id, object_id, count(*) AS n FROM trace_actions GROUP BY ALL
        ), df AS (
            SELECT trace, platform, object_id, count(*) AS accounts FROM counts GROUP BY ALL
        ), population AS (
            SELECT trace, platform, count(*) AS accounts FROM _activity GROUP BY ALL
        ), tfidf AS (
            SELECT c.trace, c.platform, c.account_id, c.object_id,
                   (1 + ln(c.n)) * ln(p.accounts / df.accounts) AS w
            FROM counts c JOIN df USING (trace, platform, object_id) JOIN population p USING (trace, platform)
        ), norms AS (
            SELECT trace, platform, account_id, sqrt(sum(w * w)) AS norm FROM tfidf GROUP BY ALL
        ), shared AS (
            SELECT DISTINCT e.trace, e.platform, e.account_a, e.account_b, e.object_id
            FROM trace_evidence e
            SEMI JOIN _candidates c USING (trace, platform, account_a, account_b)
        )
        SELECT s.trace, s.platform, s.account_a, s.account_b,
               CASE WHEN max(na.norm) > 0 AND max(nb.norm) > 0
                    THEN round(least(sum(wa.w * wb.w) / (max(na.norm) * max(nb.norm)), 1.0), 12) ELSE 0.0 END AS weight
        FROM shared s
        JOIN tfidf wa ON wa.trace = s.trace AND wa.platform = s.platform
                     AND wa.account_id = s.account_a AND wa.object_id = s.object_id
        JOIN tfidf wb ON wb.trace = s.trace AND wb.platform = s.platform
                     AND wb.account_id = s.account_b AND wb.object_id = s.object_id
        JOIN norms na ON na.trace = s.trace AND na.platform = s.platform AND na.account_id = s.account_a
        JOIN norms nb ON nb.trace = s.trace AND nb.platform = s.platform AND nb.account_id = s.account_b
        GROUP BY s.trace, s.platform, s.account_a, s.account_b
        """
    )


def _with_significance(candidates: pa.Table) -> pa.Table:
    """Add ``log10_p`` and the Bonferroni-adjusted ``significance`` to the candidate pairs."""
    shared = candidates.column("shared_objects").to_numpy()
    expected = candidates.column("expected_raw").to_numpy()
    log10_p = log10_poisson_sf(shared, expected)
    traces = candidates.column("trace").to_pylist()
    tests = candidates.column("tests").to_numpy().astype(np.float64)
    traces_tested = max(len(set(traces)), 1)
    significance = -(log10_p + np.log10(tests) + math.log10(traces_tested))
    return candidates.drop_columns(["tests"]).append_column("log10_p", pa.array(log10_p)).append_column(
        "significance", pa.array(significance)
    )
