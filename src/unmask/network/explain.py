"""Reasons in words: what each flagged account and each cluster did, with the numbers behind the edges.

An account's reason for one trace counts its significant partners in that trace, the distinct objects it shared
with them within the window, and the longest gap between the matched posts, e.g. "reposted the same 14 posts
within 20 s of 37 other accounts".  Reasons are listed strongest trace first (most partners, then most objects).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

REASON_SEPARATOR = "; "


@dataclass(frozen=True)
class Phrase:
    """How one trace reads in a sentence: the verb phrase and the object noun (singular, plural)."""

    template: str
    noun: tuple[str, str]


GENERIC = Phrase("shared the same {objects} ({trace}) within {gap} with {partners}", ("object", "objects"))
PHRASES: dict[str, Phrase] = {
    "co_repost": Phrase("reposted the same {objects} within {gap} of {partners}", ("post", "posts")),
    "co_post": Phrase("posted identical text as {partners} ({objects}, within {gap})", ("distinct text", "distinct texts")),
    "co_text": Phrase("posted identical text as {partners} ({objects}, within {gap})", ("distinct text", "distinct texts")),
    "near_duplicate": Phrase("posted near-identical text as {partners} ({objects}, within {gap})", ("distinct text", "distinct texts")),
    "co_link": Phrase("shared the same {objects} within {gap} of {partners}", ("link", "links")),
    "co_domain": Phrase("linked to the same {objects} within {gap} of {partners}", ("site", "sites")),
    "co_hashtag": Phrase("used the same {objects} within {gap} of {partners}", ("hashtag", "hashtags")),
    "co_reply": Phrase("replied to the same {objects} within {gap} of {partners}", ("post", "posts")),
    "co_mention": Phrase("mentioned the same {objects} within {gap} of {partners}", ("account", "accounts")),
    "sync_activity": Phrase("was active in the same {objects} as {partners}", ("time bin", "time bins")),
    "shared_image": Phrase("posted the same {objects} within {gap} of {partners}", ("image", "images")),
}


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


def describe(trace: str, partners: int, objects: int, max_gap: float) -> str:
    """One trace's reason for one account, e.g. ``reposted the same 14 posts within 20 s of 37 other accounts``."""
    phrase = PHRASES.get(trace, GENERIC)
    return phrase.template.format(
        objects=count(objects, phrase.noun),
        partners=count(partners, ("other account", "other accounts")),
        gap=gap(max_gap),
        trace=trace,
    )


def account_reasons(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """Reasons of every account with a significant edge, keyed by ``(platform, account_id)``."""
    rows = con.execute(
        """
        WITH ends AS (
            SELECT platform, trace, source AS account_id, target AS partner FROM network_edges
            UNION ALL
            SELECT platform, trace, target AS account_id, source AS partner FROM network_edges
        ), partners AS (
            SELECT platform, trace, account_id, count(DISTINCT partner) AS partners FROM ends GROUP BY ALL
        ), evidence AS (
            SELECT e.platform, e.trace, e.account_a, e.account_b, e.object_id, abs(e.dt) AS dt
            FROM trace_evidence e
            SEMI JOIN network_edges n ON n.platform = e.platform AND n.trace = e.trace
                                     AND n.source = e.account_a AND n.target = e.account_b
        ), objects AS (
            SELECT platform, trace, account_id, count(DISTINCT object_id) AS objects, max(dt) AS max_gap FROM (
                SELECT platform, trace, account_a AS account_id, object_id, dt FROM evidence
                UNION ALL
                SELECT platform, trace, account_b AS account_id, object_id, dt FROM evidence
            ) GROUP BY ALL
        )
        SELECT p.platform, p.account_id, p.trace, p.partners, coalesce(o.objects, 0), coalesce(o.max_gap, 0)
        FROM partners p LEFT JOIN objects o USING (platform, trace, account_id)
        ORDER BY p.platform, p.account_id, p.partners DESC, o.objects DESC, p.trace
        """
    ).fetchall()
    reasons: dict[tuple[str, str], list[str]] = {}
    for platform, account_id, trace, partners, objects, max_gap in rows:
        reasons.setdefault((platform, account_id), []).append(describe(trace, partners, objects, float(max_gap)))
    return {key: REASON_SEPARATOR.join(parts) for key, parts in reasons.items()}


def cluster_reasons(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """Reasons of every cluster: its significant pairs and their density, then each trace's share of them.

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
            coordinated = count(all_pairs, ("significantly coordinated pair", "significantly coordinated pairs"))
            share = all_pairs / (size * (size - 1) // 2)
            reasons[cluster_id] = [f"{size:,} accounts with {coordinated} ({share:.0%} of all possible pairs)"]
        noun = PHRASES.get(trace, GENERIC).noun
        reasons[cluster_id].append(f"{trace}: {count(pairs, ('pair', 'pairs'))}, up to {count(most_shared, noun)} shared")
    return {key: REASON_SEPARATOR.join(parts) for key, parts in reasons.items()}
