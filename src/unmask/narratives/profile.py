"""What each coordination cluster pushes that the others do not, and a narrative summary per cluster and account.

A cluster's narrative mix is compared with the **background**: the posts of accounts that are neither flagged
nor in a cluster.  Shares are taken over *assessed* posts (posts whose text was embedded), so the sampled
background gives unbiased shares.  Two measures per (cluster, narrative):

* ``lift``: the cluster's share over the background's (each smoothed by half a post);
* ``log_odds_z``: the log-odds ratio with an informative Dirichlet prior, divided by its standard error
  (Monroe, Colaresi & Quinn 2008, "Fightin' Words"), which stays sane for rare narratives: above 2 is a
  narrative the cluster pushes beyond chance, below -2 one it avoids.

``narrative_columns`` tells the analyze pipeline which columns to join into ``clusters.csv`` and ``accounts.csv``.
"""

from __future__ import annotations

import duckdb

from .tables import table_exists

PRIOR = 10.0
"""Total pseudo-count of the Dirichlet prior, spread over narratives in proportion to their overall share."""

COPYPASTA_ACCOUNTS = 3
"""A post is copypasta when at least this many accounts wrote its text (same key) themselves."""

_REPOSTS = "('repost', 'forward')"


def build_profiles(con: duckdb.DuckDBPyConnection, min_text_chars: int) -> None:
    """Create ``cluster_narratives``, ``cluster_narrative_summary`` and ``account_narratives``."""
    _cluster_narratives(con)
    _cluster_summary(con, min_text_chars)
    _account_narratives(con)


def narrative_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Columns to join into the analyze outputs: ``clusters`` (table ``cluster_narrative_summary``, key
    ``cluster_id``) and ``accounts`` (table ``account_narratives``, key ``platform, account_id``).

    Lists are empty when the narrative stage has not run on this workspace.
    """
    out: dict[str, list[str]] = {}
    for role, table, keys in (("clusters", "cluster_narrative_summary", {"cluster_id"}),
                              ("accounts", "account_narratives", {"platform", "account_id"})):
        if not table_exists(con, table):
            out[role] = []
            continue
        columns = con.execute(f'SELECT * FROM "{table}" LIMIT 0').description or []
        out[role] = [c[0] for c in columns if c[0] not in keys]
    return out


def _cluster_narratives(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""
        CREATE OR REPLACE TABLE cluster_narratives AS
        WITH assessed AS (
            SELECT p.cluster_id, t.narrative_id
            FROM nv_post_keys p JOIN nv_text_narrative t USING (key)
            WHERE p.cluster_id IS NOT NULL OR NOT p.flagged),
        totals AS (SELECT cluster_id, count(*) AS total FROM assessed GROUP BY cluster_id),
        counts AS (SELECT cluster_id, narrative_id, count(*) AS n FROM assessed
                   WHERE narrative_id IS NOT NULL GROUP BY cluster_id, narrative_id),
        background AS (SELECT c.narrative_id, c.n AS bg_n FROM counts c WHERE c.cluster_id IS NULL),
        bg_total AS (SELECT coalesce(max(total), 0) AS bg_total FROM totals WHERE cluster_id IS NULL),
        joined AS (
            SELECT c.cluster_id, c.narrative_id, c.n, t.total, coalesce(b.bg_n, 0) AS bg_n, g.bg_total,
                   {PRIOR} * (c.n + coalesce(b.bg_n, 0)) / (t.total + g.bg_total) AS a
            FROM counts c JOIN totals t USING (cluster_id) CROSS JOIN bg_total g
            LEFT JOIN background b USING (narrative_id)
            WHERE c.cluster_id IS NOT NULL)
        SELECT j.cluster_id, j.narrative_id, n.label, j.n AS posts, round(j.n / j.total, 4) AS share,
               CASE WHEN j.bg_total > 0 THEN round(j.bg_n / j.bg_total, 4) END AS background_share,
               CASE WHEN j.bg_total > 0
                    THEN round(((j.n + 0.5) / (j.total + 1)) / ((j.bg_n + 0.5) / (j.bg_total + 1)), 3) END AS lift,
               CASE WHEN j.bg_total > 0 THEN round(
                   (ln((j.n + j.a) / greatest(j.total + {PRIOR} - j.n - j.a, 1e-9))
                    - ln((j.bg_n + j.a) / greatest(j.bg_total + {PRIOR} - j.bg_n - j.a, 1e-9)))
                   / sqrt(1 / (j.n + j.a) + 1 / (j.bg_n + j.a)), 3) END AS log_odds_z
        FROM joined j JOIN narratives n USING (narrative_id)
        ORDER BY j.cluster_id, log_odds_z DESC NULLS LAST, posts DESC, j.narrative_id""")


def _cluster_summary(con: duckdb.DuckDBPyConnection, min_text_chars: int) -> None:
    con.execute(f"""
        CREATE OR REPLACE TABLE cluster_narrative_summary AS
        WITH clusters AS (SELECT DISTINCT cluster_id FROM nv_accounts WHERE cluster_id IS NOT NULL),
        langs AS (
            SELECT p.cluster_id, l.lang, count(*) AS n, sum(count(*)) OVER (PARTITION BY p.cluster_id) AS total
            FROM nv_post_keys p JOIN post_language l USING (platform, post_id)
            WHERE p.cluster_id IS NOT NULL GROUP BY p.cluster_id, l.lang),
        copies AS (
            SELECT p.cluster_id,
                   avg(CASE WHEN k.authors >= {COPYPASTA_ACCOUNTS} AND length(p.key) >= {int(min_text_chars)}
                       THEN 1.0 ELSE 0.0 END) AS copypasta_share
            FROM nv_post_keys p JOIN nv_keys k USING (key)
            WHERE p.cluster_id IS NOT NULL AND (p.kind IS NULL OR p.kind NOT IN {_REPOSTS})
            GROUP BY p.cluster_id),
        pushed AS (
            SELECT cluster_id, list(printf('%s (%s, lift %.1f)', label, narrative_id, coalesce(lift, 0))
                                    ORDER BY log_odds_z DESC NULLS LAST, posts DESC, narrative_id)[1:3] AS narratives
            FROM cluster_narratives WHERE coalesce(log_odds_z, 3) > 2 GROUP BY cluster_id),
        claims AS (
            SELECT cluster_id, list(printf('%s/%s (%d)', narrative, claim, n) ORDER BY n DESC, narrative, claim)[1:3]
                       AS claims
            FROM (SELECT p.cluster_id, m.narrative, m.claim, count(*) AS n
                  FROM claim_matches m JOIN nv_post_keys p USING (platform, post_id)
                  WHERE p.cluster_id IS NOT NULL GROUP BY ALL) GROUP BY cluster_id),
        targeted AS (
            SELECT cluster_id, list(printf('%s (%d, %.0f%% hostile)', target, mentions + replies + reposts,
                                           100 * hostile_share)
                                    ORDER BY mentions + replies + reposts DESC, target)[1:3] AS targets
            FROM targets WHERE cluster_id IS NOT NULL AND kind <> 'member' GROUP BY cluster_id)
        SELECT c.cluster_id,
               (SELECT list(printf('%s %.0f%%', lang, 100 * n / total) ORDER BY n DESC, lang)[1:3]
                FROM langs l WHERE l.cluster_id = c.cluster_id) AS languages,
               round(coalesce(cp.copypasta_share, 0), 4) AS copypasta_share,
               coalesce(pu.narratives, []) AS narratives, coalesce(cl.claims, []) AS claims,
               coalesce(tg.targets, []) AS targets
        FROM clusters c
        LEFT JOIN copies cp USING (cluster_id) LEFT JOIN pushed pu USING (cluster_id)
        LEFT JOIN claims cl USING (cluster_id) LEFT JOIN targeted tg USING (cluster_id)
        ORDER BY c.cluster_id""")


def _account_narratives(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE OR REPLACE TABLE account_narratives AS
        WITH lang_counts AS (
            SELECT p.platform, p.account_id, l.lang, count(*) AS n
            FROM nv_post_keys p JOIN post_language l USING (platform, post_id) GROUP BY ALL),
        langs AS (
            SELECT platform, account_id,
                   list(printf('%s %.0f%%', lang, 100 * n / total) ORDER BY n DESC, lang)[1:2] AS languages
            FROM (SELECT *, sum(n) OVER (PARTITION BY platform, account_id) AS total FROM lang_counts)
            GROUP BY platform, account_id),
        narrative_counts AS (
            SELECT p.platform, p.account_id, t.narrative_id, count(*) AS n
            FROM nv_post_keys p JOIN nv_text_narrative t USING (key) GROUP BY ALL),
        top_narrative AS (
            SELECT platform, account_id,
                   arg_max(narrative_id, (n, narrative_id)) FILTER (WHERE narrative_id IS NOT NULL) AS narrative_id,
                   coalesce(max(n) FILTER (WHERE narrative_id IS NOT NULL), 0) / sum(n) AS narrative_share
            FROM narrative_counts GROUP BY platform, account_id),
        claim_counts AS (
            SELECT p.platform, p.account_id, m.narrative || '/' || m.claim AS claim, count(*) AS n
            FROM claim_matches m JOIN nv_post_keys p USING (platform, post_id) GROUP BY ALL),
        claims AS (
            SELECT c.platform, c.account_id, arg_max(c.claim, (c.n, c.claim)) AS top_claim,
                   any_value(d.claim_posts) AS claim_posts
            FROM claim_counts c JOIN (
                SELECT p.platform, p.account_id, count(DISTINCT p.post_id) AS claim_posts
                FROM claim_matches m JOIN nv_post_keys p USING (platform, post_id) GROUP BY ALL
            ) d USING (platform, account_id)
            GROUP BY c.platform, c.account_id)
        SELECT l.platform, l.account_id, l.languages,
               CASE WHEN t.narrative_id IS NOT NULL THEN n.label || ' (' || t.narrative_id || ')' END AS top_narrative,
               round(t.narrative_share, 4) AS narrative_share,
               coalesce(c.claim_posts, 0) AS claim_posts, c.top_claim
        FROM langs l
        LEFT JOIN top_narrative t USING (platform, account_id)
        LEFT JOIN narratives n ON n.narrative_id = t.narrative_id
        LEFT JOIN claims c USING (platform, account_id)
        ORDER BY l.platform, l.account_id""")
