"""Reasons in words: what each flagged account and each cluster did, with the numbers behind the edges.

An account's reason for one trace uses only exact per-pair numbers (``trace_evidence`` keeps a few matches per
pair, so unions over it would undercount): how many significant partners it has in that trace, the most
distinct objects it shared with one of them, and the median time between the matched posts, e.g. "reposted the
same posts as 37 other accounts (up to 14 posts with one of them, median gap 8 s)".  Reasons are listed
strongest trace first (most partners, then most objects), after the partner test's reason when it flagged the
account ("had 70 surprising ties (p <= 0.001 each) where chance explains 23").
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

REASON_SEPARATOR = "; "


@dataclass(frozen=True)
class Phrase:
    """How one trace reads in a sentence: what the accounts did, the object noun, and whether gaps mean anything."""

    verb: str
    noun: tuple[str, str]
    timed: bool = True


PHRASES: dict[str, Phrase] = {
    "co_repost": Phrase("reposted the same posts", ("post", "posts")),
    "slow_repost": Phrase("amplified the same rarely reposted posts within a day", ("post", "posts")),
    "co_post": Phrase("posted identical text", ("distinct text", "distinct texts")),
    "near_dup": Phrase("posted near-identical text", ("distinct text", "distinct texts")),
    "co_link": Phrase("shared the same links", ("link", "links")),
    "co_domain": Phrase("linked to the same sites", ("site", "sites")),
    "co_hashtag": Phrase("used the same hashtag sequences", ("sequence", "sequences")),
    "co_reply": Phrase("replied to the same posts", ("post", "posts")),
    "co_mention": Phrase("mentioned the same accounts", ("account", "accounts")),
    "sync": Phrase("was active in the same time bins", ("bin", "bins"), timed=False),
    "shared_image": Phrase("posted the same images", ("image", "images")),
}


def phrase(trace: str) -> Phrase:
    """The phrase of ``trace``; a trace without one reads as sharing the same objects."""
    return PHRASES.get(trace, Phrase(f"shared the same objects ({trace})", ("object", "objects")))


def count(n: int, noun: tuple[str, str]) -> str:
    """``n`` with the right form of ``noun``: ``1 post``, ``14 posts``."""
    return f"{n:,} {noun[0] if n == 1 else noun[1]}"


def gap(seconds: float) -> str:
    """A time gap in the unit a reader expects: ``0 s``, ``20 s``, ``4 min``, ``2 h``, ``3 days``."""
    if seconds < 120:
        return f"{round(seconds)} s"
    if seconds < 2 * 3600:
        return f"{round(seconds / 60)} min"
    if seconds < 2 * 86400:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} days"


def describe(trace: str, partners: int, most_shared: int, median_gap: float) -> str:
    """One trace's reason for one account.

    e.g. ``reposted the same posts as 37 other accounts (up to 14 posts with one of them, median gap 8 s)``.
    """
    words = phrase(trace)
    timing = f", median gap {gap(median_gap)}" if words.timed else ""
    return (
        f"{words.verb} as {count(partners, ('other account', 'other accounts'))} "
        f"(up to {count(most_shared, words.noun)} with one of them{timing})"
    )


def ties(count_: int, expected: float, partner_p: float) -> str:
    """The partner test's reason, e.g. ``had 70 surprising ties (p <= 0.001 each) where chance explains 23``."""
    ties_ = count(count_, ("surprising tie", "surprising ties"))
    return f"had {ties_} (p <= {partner_p:g} each) where chance explains {expected:.2g}"


def account_reasons(con: duckdb.DuckDBPyConnection, partner_p: float | None) -> dict[tuple[str, str], str]:
    """Reasons of every account with an edge or a significant partner test, keyed by ``(platform, account_id)``.

    ``partner_p`` is None when there was no partner test (compatibility mode).
    """
    reasons: dict[tuple[str, str], list[str]] = {}
    if partner_p is not None:
        flagged = con.execute(
            "SELECT platform, account_id, ties, expected_ties FROM account_partners WHERE significant "
            "ORDER BY platform, account_id"
        ).fetchall()
        for platform, account_id, found, expected in flagged:
            reasons[(platform, account_id)] = [ties(found, expected, partner_p)]
    rows = con.execute(
        """
        WITH ends AS (
            SELECT platform, trace, source AS account_id, shared_objects, median_dt FROM network_edges
            UNION ALL
            SELECT platform, trace, target AS account_id, shared_objects, median_dt FROM network_edges
        )
        SELECT platform, account_id, trace, count(*) AS partners, max(shared_objects) AS most_shared,
               median(median_dt) AS median_gap
        FROM ends GROUP BY ALL
        ORDER BY platform, account_id, partners DESC, most_shared DESC, trace
        """
    ).fetchall()
    for platform, account_id, trace, partners, most_shared, median_gap in rows:
        reasons.setdefault((platform, account_id), []).append(describe(trace, partners, most_shared, median_gap))
    return {key: REASON_SEPARATOR.join(parts) for key, parts in reasons.items()}


def cluster_reasons(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """Reasons of every cluster: its coordinated pairs (backbone edges) and their density, then each trace's share.

    Reads ``account_scores.cluster_id``, so it runs after the accounts are scored.
    """
    rows = con.execute(
        """
        WITH inside AS (
            SELECT ma.cluster_id, e.trace, e.source, e.target, e.shared_objects
            FROM network_edges e
            JOIN account_scores ma ON ma.platform = e.platform AND ma.account_id = e.source
            JOIN account_scores mb ON mb.platform = e.platform AND mb.account_id = e.target
            WHERE ma.cluster_id = mb.cluster_id
        ), sizes AS (
            SELECT cluster_id, count(*) AS size FROM account_scores WHERE cluster_id IS NOT NULL GROUP BY ALL
        ), totals AS (
            SELECT cluster_id, count(DISTINCT (source, target)) AS pairs FROM inside GROUP BY ALL
        ), per_trace AS (
            SELECT cluster_id, trace, count(*) AS pairs, max(shared_objects) AS most_shared FROM inside GROUP BY ALL
        )
        SELECT cluster_id, s.size, t.pairs, p.trace, p.pairs, p.most_shared
        FROM per_trace p JOIN sizes s USING (cluster_id) JOIN totals t USING (cluster_id)
        ORDER BY cluster_id, p.pairs DESC, p.trace
        """
    ).fetchall()
    reasons: dict[int, list[str]] = {}
    for cluster_id, size, all_pairs, trace, pairs, most_shared in rows:
        if cluster_id not in reasons:
            coordinated = count(all_pairs, ("coordinated pair", "coordinated pairs"))
            share = all_pairs / (size * (size - 1) // 2)
            reasons[cluster_id] = [f"{size:,} accounts with {coordinated} ({share:.0%} of all possible pairs)"]
        noun = phrase(trace).noun
        reasons[cluster_id].append(f"{trace}: {count(pairs, ('pair', 'pairs'))}, up to {count(most_shared, noun)} shared")
    return {key: REASON_SEPARATOR.join(parts) for key, parts in reasons.items()}
