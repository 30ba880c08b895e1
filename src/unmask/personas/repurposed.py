"""Repurposed accounts: an old account, a long silence, then a burst of posts in a new language.

Operations buy or take over aged accounts so that their personas look established; the trace this leaves is a
gap of at least :data:`MIN_DORMANT_DAYS` between two posts, at least :data:`MIN_BURST_POSTS` posts after it, and
the main language after the gap differing from the main language before it (language tags folded to their
primary subtag, ``zh-cn`` -> ``zh``; ``und`` and empty tags ignored).  Without a language change, or without
language tags, the silence and the burst alone are weak evidence: people do come back to old accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

MIN_DORMANT_DAYS = 180
MIN_BURST_POSTS = 20
MIN_BEFORE_POSTS = 3


@dataclass(frozen=True)
class RepurposedSignals:
    """The longest silence of an account and what came before and after it."""

    dormant_days: int
    resumed_at: str
    posts_after: int
    lang_before: str | None
    lang_after: str | None
    account_age_days: int | None
    dormant_then_burst: bool
    repurposed: bool


def repurposed_signals(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], RepurposedSignals]:
    """Signals for every account whose longest gap between posts is at least :data:`MIN_DORMANT_DAYS`."""
    rows = con.execute(
        f"""
        WITH gaps AS (SELECT platform, account_id, created_at,
                             created_at - lag(created_at) OVER (PARTITION BY platform, account_id ORDER BY created_at)
                                 AS gap
                      FROM posts WHERE created_at IS NOT NULL),
             cut AS (SELECT platform, account_id, arg_max(created_at, (gap, created_at)) AS resumed_at,
                            max(gap) AS gap FROM gaps WHERE gap IS NOT NULL GROUP BY ALL
                     HAVING max(gap) >= INTERVAL {MIN_DORMANT_DAYS} DAY),
             sides AS (SELECT p.platform, p.account_id, p.created_at >= cut.resumed_at AS after,
                              nullif(nullif(split_part(lower(coalesce(p.lang, '')), '-', 1), ''), 'und') AS lang
                       FROM posts p JOIN cut USING (platform, account_id) WHERE p.created_at IS NOT NULL),
             langs AS (SELECT platform, account_id, after, lang, count(*) AS n FROM sides
                       WHERE lang IS NOT NULL GROUP BY ALL),
             main AS (SELECT platform, account_id, arg_max(lang, (n, lang)) FILTER (WHERE NOT after) AS before,
                             arg_max(lang, (n, lang)) FILTER (WHERE after) AS after
                      FROM langs GROUP BY ALL),
             counts AS (SELECT platform, account_id, count(*) FILTER (WHERE after) AS n_after,
                               count(*) FILTER (WHERE NOT after) AS n_before FROM sides GROUP BY ALL)
        SELECT cut.platform, cut.account_id, datediff('day', cut.resumed_at - cut.gap, cut.resumed_at),
               cut.resumed_at, counts.n_after, counts.n_before, main.before, main.after,
               datediff('day', a.created_at, cut.resumed_at)
        FROM cut JOIN counts USING (platform, account_id)
        LEFT JOIN main USING (platform, account_id)
        LEFT JOIN accounts a USING (platform, account_id)
        ORDER BY cut.platform, cut.account_id
        """
    ).fetchall()
    out = {}
    for platform, account_id, days, resumed, after, before, lang_before, lang_after, age in rows:
        burst = after >= MIN_BURST_POSTS and before >= MIN_BEFORE_POSTS
        switched = bool(lang_before and lang_after and lang_before != lang_after)
        out[(platform, account_id)] = RepurposedSignals(
            dormant_days=int(days), resumed_at=f"{resumed:%Y-%m-%d}", posts_after=int(after),
            lang_before=lang_before, lang_after=lang_after, account_age_days=age,
            dormant_then_burst=burst, repurposed=burst and switched,
        )
    return out
