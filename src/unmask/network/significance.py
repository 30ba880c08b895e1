"""Significance: how surprising is it that two accounts acted on the same objects within the window?

A raw co-occurrence count is not evidence.  Chance pairs grow with volume, hyperactive accounts meet everybody,
everyone who reposts a viral post in its first minute shares it with thousands, and the followers of one account
repost its posts within seconds of each other because they are notified together.  Each candidate pair of
``trace_pairs`` is therefore filtered, tested and weighted, per trace:

**Eligibility and the count tested.**  A pair is tested only when it shared at least ``min_shared`` distinct
objects *from at least ``min_shared`` distinct sources*, and the count it is tested on is its number of distinct
sources (at most its shared objects).  The source of an object is the account it came from: the author of the
reposted or replied-to post when the posts say so, otherwise whichever account acted on it first.  Fans who repost
every post of their celebrity within seconds, or syndication accounts repeating one outlet's headlines, share many
objects but few sources: following one account explains them, and one source is one piece of evidence.  Sources
are counted over the matches ``trace_evidence`` keeps (``max_evidence_per_pair``), so the count is a lower bound
and the test conservative.  Acting on a single object together (cosine 1.0) is never evidence.

**Surprise against an analytic null (the test).**  Let ``s_ab`` be the distinct objects that ``a`` and ``b``
shared within the window, ``E_a = sum_b s_ab`` the co-actor slots around ``a``'s actions (how many accounts
acted near it, object by object: large for anyone in a viral crowd), ``k_b`` the actions of ``b`` and ``K`` the
actions of the whole trace.  If accounts acted independently, each slot around ``a`` would be filled by an account
in proportion to how often it acts, so ``b`` fills ``E_a k_b / (K - k_a)`` of them on average; averaging the two
directions gives the expectation ``lam_ab``.  Under independence the shared count is close to
Poisson(``lam_ab``), and the p-value is its upper tail.  A hyperactive ``b`` (large ``k_b``: also one who links the
same popular site fifty times) and a viral-crowd ``a`` (large ``E_a``) both raise ``lam_ab``, so they need many
more shared objects before they look coordinated; a quiet group that keeps acting together on unpopular objects
does not.

Every pair of accounts of a trace is a test, not only the candidates: a pair was screened out *because* it shared
too little, so correcting for the candidates alone would let the screen pick its own winners (a trace with a
hundred candidates among five thousand accounts would get a threshold a hundred thousand times too lenient).  The
run's error rate ``alpha`` is split evenly over the traces with tested pairs and then over each trace's
``N (N - 1) / 2`` pairs of its ``N`` accounts (Bonferroni), so the threshold tightens as the data grows, which is
exactly the volume problem, and a trace with millions of pairs cannot drown a small one.  ``significance`` is ``-log10`` of
the adjusted p-value: at least ``-log10(alpha)`` (2 for the default 0.01) means significant.  (A false discovery
rate over pairs would not do: with a large campaign present it admits ``alpha`` times thousands of chance pairs,
hundreds of innocent accounts.  Weaker pairs still count through the partner test of :mod:`.partners`.)

Why analytic and not a time-shuffled null: it needs no second pair join per shuffle (the join dominates the run
time at tens of millions of actions), it resolves p-values far below what any number of shuffles could
(1e-30 and smaller for real campaigns), and ``eval/`` measures its calibration directly on the simulator's
organic-only world, where every kept pair is a false positive.

**Overlap weight (the strength).**  The edge weight is the cosine of TF-IDF account vectors (Pacheco et al.
2021) restricted to the objects the pair shared within the window: ``w_ao = (1 + ln n_ao) * ln(N / df_o)``
with ``n_ao`` a's actions on ``o``, ``N`` the trace's accounts and ``df_o`` the accounts acting on ``o``.  The IDF
term makes viral objects count little, the sublinear term and the norm over *all* of an account's objects make a
hyperactive account's overlap with anyone small.  It is the share of the two accounts' behaviour that is
joint, in [0, 1]; it drives community detection and the fused weight, never the decision to keep an edge.
(``trace_evidence`` holds a pair's fastest matches only; the dot product over the objects held is scaled to all
``shared_objects``.)
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
    """How many pairs one trace tested and found significant."""

    trace: str
    tested: int
    significant: int


def score_pairs(con: duckdb.DuckDBPyConnection, params: NetworkParams) -> list[TraceTests]:
    """Create table ``pair_significance``: every eligible pair, with its surprise and weight.

    Reads ``trace_actions``, ``trace_pairs``, ``trace_evidence`` and ``posts``, and leaves the null model's
    per-account statistics in ``account_activity`` (see :func:`account_activity`).  Columns: the ``trace_pairs``
    columns, then ``sources`` (distinct sources of the shared objects, at least), ``expected`` (shared objects
    expected by chance), ``log10_p`` (unadjusted), ``significance`` (``-log10`` of the Bonferroni-adjusted
    p-value), ``weight`` (windowed TF-IDF cosine) and ``significant``.
    """
    account_activity(con)
    _sources(con, params.min_shared)
    _candidates(con, params.min_shared)
    _weights(con)
    candidates = con.sql(f"SELECT * FROM _candidates ORDER BY {PAIR_KEY}").to_arrow_table()
    con.register("_scored", _with_significance(candidates))
    con.execute(
        f"""
        CREATE OR REPLACE TABLE pair_significance AS
        SELECT s.*, coalesce(w.weight, 0.0) AS weight, s.significance >= {-math.log10(params.alpha)!r} AS significant
        FROM _scored s LEFT JOIN _weights w USING ({PAIR_KEY})
        ORDER BY {PAIR_KEY}
        """
    )
    con.unregister("_scored")
    for table in ("_pair_sources", "_candidates", "_weights"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    rows = con.execute(
        "SELECT trace, count(*), count(*) FILTER (WHERE significant) FROM pair_significance GROUP BY trace ORDER BY trace"
    ).fetchall()
    return [TraceTests(trace, tested, kept) for trace, tested, kept in rows]


def account_activity(con: duckdb.DuckDBPyConnection) -> None:
    """Create table ``account_activity``: per trace and account, the null model's actions ``k`` and slots ``E``."""
    con.execute(
        """
        CREATE OR REPLACE TABLE account_activity AS
        WITH slots AS (
            SELECT trace, platform, account_id, sum(shared_objects) AS slots FROM (
                SELECT trace, platform, account_a AS account_id, shared_objects FROM trace_pairs
                UNION ALL
                SELECT trace, platform, account_b AS account_id, shared_objects FROM trace_pairs
            ) GROUP BY ALL
        )
        SELECT a.trace, a.platform, a.account_id, a.actions, coalesce(s.slots, 0) AS slots
        FROM (SELECT trace, platform, account_id, count(*) AS actions FROM trace_actions GROUP BY ALL) a
        LEFT JOIN slots s USING (trace, platform, account_id)
        ORDER BY a.trace, a.platform, a.account_id
        """
    )


def _sources(con: duckdb.DuckDBPyConnection, min_shared: int) -> None:
    """Distinct sources of the evidence objects of every pair sharing ``min_shared`` objects."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _pair_sources AS
        WITH shared AS (
            SELECT DISTINCT e.trace, e.platform, e.account_a, e.account_b, e.object_id
            FROM trace_evidence e
            SEMI JOIN (SELECT {PAIR_KEY} FROM trace_pairs WHERE shared_objects >= {int(min_shared)}) p
                 USING ({PAIR_KEY})
        ), objects AS (
            SELECT DISTINCT trace, platform, object_id FROM shared
        ), origin AS (
            SELECT o.trace, o.platform, o.object_id,
                   CASE WHEN count(p.reposted_account_id) = count(*) AND count(DISTINCT p.reposted_account_id) = 1
                        THEN min(p.reposted_account_id)
                        WHEN count(p.reply_to_account_id) = count(*) AND count(DISTINCT p.reply_to_account_id) = 1
                        THEN min(p.reply_to_account_id) END AS named,
                   first(a.account_id ORDER BY a.ts, a.account_id) AS first_actor
            FROM objects o
            JOIN trace_actions a USING (trace, platform, object_id)
            LEFT JOIN posts p ON p.platform = a.platform AND p.post_id = a.post_id
            GROUP BY o.trace, o.platform, o.object_id
        ), source AS (
            SELECT g.trace, g.platform, g.object_id, coalesce(g.named, author.account_id, g.first_actor) AS source
            FROM origin g
            LEFT JOIN posts author ON author.platform = g.platform AND author.post_id = g.object_id
        )
        SELECT s.trace, s.platform, s.account_a, s.account_b, count(DISTINCT src.source) AS sources
        FROM shared s JOIN source src USING (trace, platform, object_id)
        GROUP BY ALL
        """
    )


def _candidates(con: duckdb.DuckDBPyConnection, min_shared: int) -> None:
    """Eligible pairs, with the expectation ``lam`` of shared objects under independence."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _candidates AS
        WITH totals AS (
            SELECT trace, platform, sum(actions) AS total, count(*) AS accounts FROM account_activity GROUP BY ALL
        )
        SELECT p.trace, p.platform, p.account_a, p.account_b, p.co_actions, p.shared_objects, p.min_dt, p.median_dt,
               s.sources, t.accounts * (t.accounts - 1) / 2 AS family,
               0.5 * (ca.slots * cb.actions / greatest(t.total - ca.actions, 1)
                    + cb.slots * ca.actions / greatest(t.total - cb.actions, 1)) AS expected
        FROM trace_pairs p
        JOIN _pair_sources s USING ({PAIR_KEY})
        JOIN totals t USING (trace, platform)
        JOIN account_activity ca ON ca.trace = p.trace AND ca.platform = p.platform AND ca.account_id = p.account_a
        JOIN account_activity cb ON cb.trace = p.trace AND cb.platform = p.platform AND cb.account_id = p.account_b
        WHERE p.shared_objects >= {int(min_shared)} AND s.sources >= {int(min_shared)}
        """
    )


def _weights(con: duckdb.DuckDBPyConnection) -> None:
    """Windowed TF-IDF cosine of each candidate pair, over the objects it shared within the window.

    ``trace_evidence`` keeps only the fastest matches of a pair, so the dot product is summed over the shared
    objects it holds and scaled up by ``shared_objects / objects held`` (exact whenever all are held).  Sums run
    on decimals: a parallel sum of doubles adds in a different order each run, which changed the 12th digit of
    some IRA weights from one run to the next.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _weights AS
        WITH counts AS (
            SELECT trace, platform, account_id, object_id, count(*) AS n FROM trace_actions GROUP BY ALL
        ), df AS (
            SELECT trace, platform, object_id, count(*) AS accounts FROM counts GROUP BY ALL
        ), population AS (
            SELECT trace, platform, count(*) AS accounts FROM account_activity GROUP BY ALL
        ), tfidf AS (
            SELECT c.trace, c.platform, c.account_id, c.object_id,
                   (1 + ln(c.n)) * ln(p.accounts / df.accounts) AS w
            FROM counts c JOIN df USING (trace, platform, object_id) JOIN population p USING (trace, platform)
        ), norms AS (
            SELECT trace, platform, account_id, sqrt(sum((w * w)::DECIMAL(38, 18))::DOUBLE) AS norm
            FROM tfidf GROUP BY ALL
        ), shared AS (
            SELECT DISTINCT e.trace, e.platform, e.account_a, e.account_b, e.object_id
            FROM trace_evidence e SEMI JOIN _candidates c USING ({PAIR_KEY})
        ), dots AS (
            SELECT s.trace, s.platform, s.account_a, s.account_b, sum((wa.w * wb.w)::DECIMAL(38, 18))::DOUBLE AS dot,
                   count(*) AS held
            FROM shared s
            JOIN tfidf wa ON wa.trace = s.trace AND wa.platform = s.platform
                         AND wa.account_id = s.account_a AND wa.object_id = s.object_id
            JOIN tfidf wb ON wb.trace = s.trace AND wb.platform = s.platform
                         AND wb.account_id = s.account_b AND wb.object_id = s.object_id
            GROUP BY ALL
        )
        SELECT d.trace, d.platform, d.account_a, d.account_b,
               CASE WHEN na.norm > 0 AND nb.norm > 0
                    THEN round(least(d.dot * c.shared_objects / d.held / (na.norm * nb.norm), 1.0), 12)
                    ELSE 0.0 END AS weight
        FROM dots d
        JOIN _candidates c USING ({PAIR_KEY})
        JOIN norms na ON na.trace = d.trace AND na.platform = d.platform AND na.account_id = d.account_a
        JOIN norms nb ON nb.trace = d.trace AND nb.platform = d.platform AND nb.account_id = d.account_b
        """
    )


def _with_significance(candidates: pa.Table) -> pa.Table:
    """Add ``log10_p`` and ``significance`` (``-log10`` of the Bonferroni-adjusted p-value, split per trace)."""
    tested = np.minimum(candidates.column("shared_objects").to_numpy(), candidates.column("sources").to_numpy())
    log10_p = log10_poisson_sf(tested, candidates.column("expected").to_numpy())
    traces = len(set(candidates.column("trace").to_pylist()))
    log10_family = np.log10(np.maximum(candidates.column("family").to_numpy(), 1.0) * max(traces, 1))
    scored = candidates.drop_columns(["family"])
    return scored.append_column("log10_p", pa.array(log10_p)).append_column(
        "significance", pa.array(-(log10_p + log10_family))
    )
