"""Partners: an account with more surprising partners than chance allows is coordinated, even when no pair is.

A large campaign whose members each join only a share of its actions (each repost burst drawing a tenth of the
network, say) gives every pair of members two or three shared objects: after correcting for every pair of
accounts no single pair is significant, yet every member has dozens of partners that are each surprising at
``p <= partner_p``.  A *surprising tie* is one (trace, partner) with ``p <= partner_p`` in a decisive trace.

Each other account of a trace is a surprising tie with probability at most ``partner_p`` (p-values are at most
uniform, and pairs that never became candidates have p = 1), so an account active in traces ``t`` has at most
Poisson(``partner_p * sum_t (N_t - 1)``) surprising ties, ``N_t`` being the accounts of trace ``t``.  The account's
p-value is the upper tail of that Poisson at its observed count, and Bonferroni over the accounts makes the test
family-wise: ``significance`` is ``-log10`` of the adjusted p-value, significant from ``-log10(alpha)``.

The bound is loose on purpose.  The exact expectation under the pair null (each partner's chance of sharing two
objects, capped at ``partner_p``) is ten times smaller, and with it ``eval/`` found organic accounts of interest
communities (fans, language groups), whose ties the pair null understates, flagged at 96 per 10,000; with the
bound, none.
"""

from __future__ import annotations

import math

import duckdb
import pyarrow as pa

from .params import NetworkParams
from .poisson import log10_poisson_sf


def score_partners(con: duckdb.DuckDBPyConnection, params: NetworkParams) -> int:
    """Create table ``account_partners`` (ties, expected ties, significance per account); returns how many are significant.

    Reads ``pair_significance`` and ``account_activity``; traces in ``params.supporting`` are left out.
    """
    ties = con.sql(
        f"""
        WITH decisive AS (
            SELECT trace, platform, account_id FROM account_activity WHERE NOT list_contains($supporting, trace)
        ), population AS (
            SELECT trace, platform, count(*) AS accounts FROM decisive GROUP BY ALL
        ), exposure AS (
            SELECT d.platform, d.account_id, sum(p.accounts - 1) AS others
            FROM decisive d JOIN population p USING (trace, platform) GROUP BY ALL
        ), ties AS (
            SELECT platform, account_id, count(*) AS ties FROM (
                SELECT trace, platform, account_a AS account_id FROM pair_significance
                WHERE log10_p <= {math.log10(params.partner_p)!r} AND NOT list_contains($supporting, trace)
                UNION ALL
                SELECT trace, platform, account_b AS account_id FROM pair_significance
                WHERE log10_p <= {math.log10(params.partner_p)!r} AND NOT list_contains($supporting, trace)
            ) GROUP BY ALL
        )
        SELECT e.platform, e.account_id, coalesce(t.ties, 0) AS ties,
               {params.partner_p!r} * e.others AS expected_ties
        FROM exposure e LEFT JOIN ties t USING (platform, account_id)
        ORDER BY e.platform, e.account_id
        """,
        params={"supporting": list(params.supporting)},
    ).to_arrow_table()
    con.register("_partners", _with_significance(ties))
    con.execute(
        f"""
        CREATE OR REPLACE TABLE account_partners AS
        SELECT *, significance >= {-math.log10(params.alpha)!r} AS significant FROM _partners
        ORDER BY platform, account_id
        """
    )
    con.unregister("_partners")
    return con.execute("SELECT count(*) FROM account_partners WHERE significant").fetchone()[0]  # type: ignore[index]


def _with_significance(ties: pa.Table) -> pa.Table:
    """Add ``log10_p`` of each account's tie count and its Bonferroni-adjusted ``significance``."""
    log10_p = log10_poisson_sf(ties.column("ties").to_numpy(), ties.column("expected_ties").to_numpy())
    adjust = math.log10(max(ties.num_rows, 1))
    return ties.append_column("log10_p", pa.array(log10_p)).append_column("significance", pa.array(-(log10_p + adjust)))
