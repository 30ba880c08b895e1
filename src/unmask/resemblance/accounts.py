"""Per-account values behind a fingerprint, computed once per workspace into temporary tables.

A fingerprint describes a set of accounts.  Every set-level feature is an average over the set's accounts of a
per-account value (each account counts once, however much it posted, so a few hyperactive accounts cannot make
a network look like something else), or a distribution over the set's accounts.  Computing the per-account
values once lets :mod:`.features` fingerprint hundreds of sets -- a detected cluster and the random sets it is
calibrated against -- with one query per family.

Temporary tables:

* ``rs_account``: one row per account (of ``accounts`` or of ``posts``), numbered by ``account_row`` (in key
  order): creation date, first post, followers, following, account language, posts, and the per-account averages
  ``links``, ``hashtags``, ``copypasta`` (NULL without own texts), ``claim_share`` (share of its posts with text
  matching a known claim; NULL without the narratives stage);
* ``rs_cells``: ``(cell, feature, category)``, every category of every shared feature, numbered;
* ``rs_shares``: ``(account_row, cell, share)``, each account's shares of its posts by ``hour_of_week``,
  ``post_kinds``, ``clients`` (category), ``post_languages``, ``narratives`` and ``claims``, and its one
  ``year_month`` of creation, ``account_languages`` and ``avatar_kinds`` (share 1); the shares of one account and
  feature add up to 1.  Integer keys keep the grouping of hundreds of random sets cheap.
"""

from __future__ import annotations

import duckdb

from ..db import has_table
from ..narratives.language import EXPORT_UNDETERMINED
from ..personas.clients import AUTOMATION, WEB_APP
from ..traces.normalize import authored_text_keys_sql
from ..traces.params import TraceParams

DEFAULT_AVATAR_SQL = ("(nullif(a.avatar_url, '') IS NULL AND nullif(a.avatar_path, '') IS NULL) "
                      "OR a.avatar_url ILIKE '%default_profile%'")
"""An account without a photo of its own: none at all, or the platform's default picture."""
SCRATCH_TABLES = ("rs_copypasta", "rs_claim_share", "rs_claim_posts", "rs_post_lang", "rs_clients", "rs_avatar",
                  "rs_counted")
COPYPASTA_ACCOUNTS = 2
"""A text is copypasta when at least this many accounts of the data posted it (after normalisation)."""


def prepare_accounts(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) ``rs_account``, ``rs_cells`` and ``rs_shares`` from the workspace's canonical tables
    (ingest keeps one ``accounts`` row per account)."""
    _copypasta(con)
    _claims(con)
    _post_languages(con)
    _client_categories(con)
    _avatars(con)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rs_account AS
        WITH p AS (SELECT platform, account_id, count(*) AS posts, min(created_at) AS first_post,
                          max(created_at) AS last_post,
                          avg(CASE WHEN len(coalesce(urls, [])) > 0 THEN 1.0 ELSE 0.0 END) AS links,
                          avg(len(coalesce(hashtags, []))) AS hashtags
                   FROM posts WHERE account_id IS NOT NULL GROUP BY ALL),
             a AS (SELECT platform, account_id, created_at, followers, following, {language_sql('lang')} AS lang,
                          handle, display_name
                   FROM accounts)
        SELECT platform, account_id, CAST(row_number() OVER (ORDER BY platform, account_id) AS INTEGER) AS account_row,
               a.created_at, a.followers, a.following, nullif(a.lang, '') AS lang,
               a.handle, a.display_name, coalesce(p.posts, 0) AS posts, p.first_post, p.last_post, p.links,
               p.hashtags,
               c.copypasta, cl.claim_share
        FROM a FULL JOIN p USING (platform, account_id)
        LEFT JOIN rs_copypasta c USING (platform, account_id) LEFT JOIN rs_claim_share cl USING (platform, account_id)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rs_counted AS
        WITH counted AS (
            SELECT platform, account_id, 'hour_of_week' AS feature, CAST(how AS VARCHAR) AS category, n
            FROM (SELECT platform, account_id, (isodow(created_at) - 1) * 24 + hour(created_at) AS how, count(*) AS n
                  FROM posts WHERE created_at IS NOT NULL GROUP BY ALL) hours
            UNION ALL
            SELECT platform, account_id, 'post_kinds', {_kind_sql()}, count(*) FROM posts GROUP BY ALL
            UNION ALL
            SELECT p.platform, p.account_id, 'clients', c.category, count(*)
            FROM posts p JOIN rs_clients c USING (client) GROUP BY ALL
            UNION ALL
            SELECT platform, account_id, 'post_languages', lang, n FROM rs_post_lang WHERE lang <> ''
            UNION ALL
            SELECT platform, account_id, 'narratives', narrative, count(*) FROM rs_claim_posts GROUP BY ALL
            UNION ALL
            SELECT platform, account_id, 'claims', narrative || '/' || claim, count(*) FROM rs_claim_posts GROUP BY ALL
            UNION ALL
            SELECT platform, account_id, 'year_month', strftime(created_at, '%Y-%m'), 1 FROM rs_account
            WHERE created_at IS NOT NULL
            UNION ALL
            SELECT platform, account_id, 'account_languages', lang, 1 FROM rs_account WHERE lang IS NOT NULL
            UNION ALL
            SELECT platform, account_id, 'avatar_kinds', avatar, 1 FROM rs_avatar WHERE avatar IS NOT NULL
        )
        SELECT * FROM counted
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rs_cells AS
        SELECT CAST(row_number() OVER (ORDER BY feature, category) AS INTEGER) AS cell, feature, category
        FROM (SELECT DISTINCT feature, category FROM rs_counted) cells
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rs_shares AS
        SELECT a.account_row, c.cell, n / sum(n) OVER (PARTITION BY a.account_row, c.feature) AS share
        FROM rs_counted r JOIN rs_account a USING (platform, account_id)
        JOIN rs_cells c ON c.feature = r.feature AND c.category IS NOT DISTINCT FROM r.category
    """)
    for name in SCRATCH_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {name}")


def drop_accounts(con: duckdb.DuckDBPyConnection) -> None:
    """Drop ``rs_account``, ``rs_cells`` and ``rs_shares`` (when a caller keeps using the connection for other work)."""
    for name in ("rs_account", "rs_cells", "rs_shares"):
        con.execute(f"DROP TABLE IF EXISTS {name}")


def language_sql(column: str) -> str:
    """SQL for a language tag's primary subtag, lower case (``zh-CN`` -> ``zh``); '' for "no language" codes and
    for anything that is not a 2- or 3-letter code (a mis-mapped column must not carry text into a fingerprint)."""
    undetermined = ", ".join(f"'{code}'" for code in sorted(EXPORT_UNDETERMINED))
    code = f"split_part(lower(replace(trim(coalesce({column}, '')), '_', '-')), '-', 1)"
    return (f"CASE WHEN {code} IN ({undetermined}) OR NOT regexp_full_match({code}, '[a-z]{{2,3}}') THEN '' "
            f"ELSE {code} END")


def client_category(client: str | None) -> str | None:
    """The normalised category of a client app name: web, android, iphone, automation or other."""
    if client is None or not client.strip():
        return None
    name = client.strip()
    if AUTOMATION.search(name):
        return "automation"
    if WEB_APP.match(name):
        return "web"
    lowered = name.lower()
    if "android" in lowered:
        return "android"
    if any(word in lowered for word in ("iphone", "ipad", "ios")):
        return "iphone"
    return "other"


def _kind_sql() -> str:
    return ("CASE WHEN kind IN ('repost', 'forward') THEN 'repost' WHEN kind IN ('reply', 'quote') THEN kind "
            "ELSE 'post' END")


def _copypasta(con: duckdb.DuckDBPyConnection) -> None:
    """``rs_copypasta``: per account, the share of its own long-enough texts that other accounts posted too.

    The texts' normal forms are the objects of the co-post trace when it has run (``analyze`` runs it with the
    default text parameters, the only ones its command line offers), else they are computed here.
    """
    if has_table(con, "trace_actions") and con.execute(
            "SELECT 1 FROM trace_actions WHERE trace = 'co_post' LIMIT 1").fetchall():
        keys = "SELECT platform, account_id, object_id AS text_key FROM trace_actions WHERE trace = 'co_post'"
    else:
        keys = authored_text_keys_sql(TraceParams())
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rs_copypasta AS
        WITH k AS ({keys}),
             shared AS (SELECT text_key FROM k GROUP BY text_key
                        HAVING count(DISTINCT (platform, account_id)) >= {COPYPASTA_ACCOUNTS})
        SELECT k.platform, k.account_id, avg(CASE WHEN s.text_key IS NULL THEN 0.0 ELSE 1.0 END) AS copypasta
        FROM k LEFT JOIN shared s USING (text_key) GROUP BY ALL
    """)


def _post_languages(con: duckdb.DuckDBPyConnection) -> None:
    """``rs_post_lang(platform, account_id, lang, n)``: each account's posts by language, detected by the narratives
    stage when it ran, else the export's (counted per tag first, so each distinct tag is parsed once)."""
    if has_table(con, "post_language"):
        tags = "SELECT p.platform, p.account_id, l.lang FROM posts p JOIN post_language l USING (platform, post_id)"
    else:
        tags = "SELECT platform, account_id, lang FROM posts"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rs_post_lang AS
        SELECT platform, account_id, {language_sql('lang')} AS lang, CAST(sum(n) AS BIGINT) AS n
        FROM (SELECT platform, account_id, lang, count(*) AS n FROM ({tags}) tagged GROUP BY ALL) counted
        GROUP BY ALL""")


def _client_categories(con: duckdb.DuckDBPyConnection) -> None:
    """``rs_clients(client, category)``: every distinct client name of the posts and its category."""
    names = [name for (name,) in con.execute(
        "SELECT DISTINCT client FROM posts WHERE nullif(trim(client), '') IS NOT NULL ORDER BY client").fetchall()]
    con.execute("CREATE OR REPLACE TEMP TABLE rs_clients (client VARCHAR, category VARCHAR)")
    if names:
        con.executemany("INSERT INTO rs_clients VALUES (?, ?)", [(name, client_category(name)) for name in names])


def _claims(con: duckdb.DuckDBPyConnection) -> None:
    """``rs_claim_posts`` (one row per post and matched claim) and ``rs_claim_share`` (per account: the share
    of its posts with text that match any claim); empty when the narratives stage has not run."""
    if has_table(con, "claim_matches"):
        con.execute("""
            CREATE OR REPLACE TEMP TABLE rs_claim_posts AS
            SELECT DISTINCT p.platform, p.account_id, p.post_id, m.narrative, m.claim
            FROM claim_matches m JOIN posts p USING (platform, post_id)""")
        con.execute("""
            CREATE OR REPLACE TEMP TABLE rs_claim_share AS
            SELECT p.platform, p.account_id,
                   avg(CASE WHEN c.post_id IS NULL THEN 0.0 ELSE 1.0 END) AS claim_share
            FROM posts p LEFT JOIN (SELECT DISTINCT platform, post_id FROM rs_claim_posts) c
              USING (platform, post_id)
            WHERE p.text IS NOT NULL GROUP BY ALL""")
    else:
        con.execute("""CREATE OR REPLACE TEMP TABLE rs_claim_posts (platform VARCHAR, account_id VARCHAR,
                       post_id VARCHAR, narrative VARCHAR, claim VARCHAR)""")
        con.execute("""CREATE OR REPLACE TEMP TABLE rs_claim_share (platform VARCHAR, account_id VARCHAR,
                       claim_share DOUBLE)""")


def _avatars(con: duckdb.DuckDBPyConnection) -> None:
    """``rs_avatar(platform, account_id, avatar)``: the kind of each account's profile photo, from the faces stage.

    One kind per account, the first that applies: ``ai_face_template`` (eyes at the StyleGAN/FFHQ template),
    ``reused`` (the same or a near-same image on two or more accounts), ``face``, ``no_face`` (an image without a
    face: cartoons, logos); ``none`` for an account with no photo or the platform's default one.  NULL (left
    out) for an account whose photo was not analysed.  Empty when the faces stage has not run.
    """
    if not has_table(con, "faces"):
        con.execute("CREATE OR REPLACE TEMP TABLE rs_avatar (platform VARCHAR, account_id VARCHAR, avatar VARCHAR)")
        return
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rs_avatar AS
        WITH f AS (SELECT platform, account_id, bool_or(flagged) AS template, max(reuse_accounts) AS reuse,
                          bool_or(face_found) AS face
                   FROM faces WHERE NOT coalesce(skipped, false) GROUP BY ALL)
        SELECT a.platform, a.account_id,
               CASE WHEN f.account_id IS NOT NULL THEN
                        CASE WHEN f.template THEN 'ai_face_template' WHEN f.reuse >= 2 THEN 'reused'
                             WHEN f.face THEN 'face' ELSE 'no_face' END
                    WHEN {DEFAULT_AVATAR_SQL} THEN 'none' END AS avatar
        FROM accounts a LEFT JOIN f USING (platform, account_id)""")
