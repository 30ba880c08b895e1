"""Who a network attacks or amplifies: the accounts it replies to, mentions and reposts, and the people and
outlets it names, each with counts, example posts and the share of hostile posts.

Targets come from four offline sources:

1. **Accounts** it replies to, @-mentions (in its own posts) and reposts: ``kind = account``, or ``member`` when
   the account belongs to the same cluster (the network amplifying itself).
2. **Names from the claim library** (``[targets.<id>] names = [...]``), searched in the text of its own posts:
   ``kind`` as the library says (person, outlet, government...).
3. **Display names of the accounts it engages**, searched in text as well, so "Gao Wenming" in a post counts
   for ``@GaoWenmingLive``.
4. **Capitalised names** (two or three capitalised words, en and fr) that at least ``min_name_accounts`` of
   the cluster's accounts write: ``kind = name``.

A post is **hostile** when it holds a word of a small hostile lexicon (:data:`HOSTILE_TERMS`, en/zh/fr) or
matched a library claim whose polarity is ``attack``.  Limits: the lexicon sees words, not their target (a post
naming two people is hostile to both), nor negation, quotation or irony; it is a screen for reading, not a
verdict.

Each cluster keeps its ``max_targets`` most engaged targets, outside accounts before its own members.  Rows with
``cluster_id`` NULL describe the accounts outside every cluster, for comparison; they are kept only
for targets that some cluster has.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import duckdb
import pyarrow as pa

from ..parallel import map_chunks
from .claims import ClaimLibrary, hostile_claims
from .labels import stopwords
from .names import NameFinder
from .tables import count, write_table
from .text import has_cjk

HOSTILE_TERMS: dict[str, tuple[str, ...]] = {
    "en": ("liar", "liars", "lie", "lies", "lying", "fraud", "frauds", "fraudster", "swindler", "swindlers", "crook",
           "criminal", "fugitive", "clown", "puppet", "traitor", "traitors", "shameless", "shame", "disgrace",
           "disgusting", "scum", "rumour", "rumours", "rumor", "rumors", "smear", "smears", "fake", "forged",
           "hypocrite", "hypocrites", "hypocrisy", "propaganda", "thief", "scam", "scammer", "junk", "sold out"),
    "fr": ("menteur", "menteuse", "menteurs", "mensonge", "mensonges", "escroc", "escrocs", "fraude", "traître",
           "traîtres", "honteux", "honte", "pantin", "marionnette", "faux", "calomnie", "rumeur", "rumeurs",
           "hypocrite", "propagande", "criminel", "voleur", "arnaque", "imposteur"),
    "zh": ("骗子", "谎言", "撒谎", "造谣", "谣言", "抹黑", "小丑", "无耻", "可耻", "叛徒", "走狗", "汉奸", "伪造",
           "通缉", "诈骗", "逃犯", "卖国", "垃圾", "伪科学", "传声筒", "骗捐", "谎话"),
}
"""Words that frame a post as hostile, lower case; Chinese terms match anywhere, others as whole words."""

_NAME = re.compile(r"\b([A-Z][a-zà-ÿ]+(?:[- ][A-Z][a-zà-ÿ]+){1,2})\b")
_REPOSTS = "('repost', 'forward')"


def build_targets(con: duckdb.DuckDBPyConnection, library: ClaimLibrary, max_targets: int,
                  min_name_accounts: int, workers: int = 1) -> int:
    """Create table ``targets`` from ``nv_post_keys``, ``posts``, ``accounts`` and ``claim_matches``; returns rows.
    Names are searched for in the texts by ``workers`` processes."""
    _hostile_posts(con, library)
    _account_actions(con)
    _gazetteer(con, library, min_name_accounts, workers)
    _name_actions(con, workers)
    con.execute(f"""
        CREATE OR REPLACE TABLE targets AS
        WITH actions AS (
            SELECT a.*, coalesce(h.hostile, false) AS hostile
            FROM (SELECT * FROM nv_target_actions UNION ALL SELECT * FROM nv_name_actions) a
            LEFT JOIN nv_hostile h USING (platform, post_id)),
        per AS (
            SELECT cluster_id, target, min(kind) AS kind,
                   count(DISTINCT post_id) FILTER (WHERE how = 'mention') AS mentions,
                   count(DISTINCT post_id) FILTER (WHERE how = 'reply') AS replies,
                   count(DISTINCT post_id) FILTER (WHERE how = 'repost') AS reposts,
                   count(DISTINCT (platform, account_id)) AS accounts,
                   count(DISTINCT post_id) FILTER (WHERE how <> 'repost' AND hostile) /
                       greatest(count(DISTINCT post_id) FILTER (WHERE how <> 'repost'), 1) AS hostile_share
            FROM actions GROUP BY cluster_id, target),
        examples AS (
            SELECT cluster_id, target, list(post_id ORDER BY calm, post_id) AS example_post_ids FROM (
                SELECT cluster_id, target, post_id, calm,
                       row_number() OVER (PARTITION BY cluster_id, target ORDER BY calm, post_id) AS k
                FROM (SELECT DISTINCT cluster_id, target, post_id, NOT hostile AS calm FROM actions) distinct_posts
            ) ranked_posts
            WHERE k <= 3
            GROUP BY cluster_id, target),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY cluster_id
                                         ORDER BY kind = 'member', mentions + replies + reposts DESC, target) AS rank
            FROM per)
        SELECT r.cluster_id, r.target, r.kind, r.mentions, r.replies, r.reposts, r.accounts,
               round(r.hostile_share, 4) AS hostile_share, e.example_post_ids
        FROM ranked r
        LEFT JOIN examples e ON e.cluster_id IS NOT DISTINCT FROM r.cluster_id AND e.target = r.target
        WHERE (r.cluster_id IS NOT NULL AND r.rank <= {int(max_targets)})
           OR (r.cluster_id IS NULL AND r.target IN (SELECT target FROM ranked
                                                     WHERE cluster_id IS NOT NULL AND rank <= {int(max_targets)}))
        ORDER BY r.cluster_id NULLS LAST, r.kind = 'member', r.mentions + r.replies + r.reposts DESC, r.target""")
    for name in ("nv_hostile", "nv_target_actions", "nv_gazetteer", "nv_name_actions"):
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return count(con, "SELECT count(*) FROM targets")


def hostile_pattern() -> str:
    """One RE2 pattern that finds any hostile term in lower-cased text."""
    words = sorted({re.escape(t) for lang, terms in HOSTILE_TERMS.items() if lang != "zh" for t in terms},
                   key=lambda t: (-len(t), t))
    chinese = sorted(HOSTILE_TERMS["zh"], key=lambda t: (-len(t), t))
    return rf"(^|[^\p{{L}}\p{{N}}])({'|'.join(words)})([^\p{{L}}\p{{N}}]|$)|{'|'.join(chinese)}"


def _hostile_posts(con: duckdb.DuckDBPyConnection, library: ClaimLibrary) -> None:
    """``nv_hostile(platform, post_id, hostile)`` for the posts written by their account (not reposts); needs the
    ``claim_matches`` table of this run."""
    attack = sorted(hostile_claims(library))
    write_table(con, "nv_attack_claims", pa.table({"narrative": [a[0] for a in attack],
                                                   "claim": [a[1] for a in attack]}), temp=True)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE nv_hostile AS
        SELECT p.platform, p.post_id,
               regexp_matches(lower(p.text), '{_sql(hostile_pattern())}') OR c.post_id IS NOT NULL AS hostile
        FROM nv_post_keys p
        LEFT JOIN (SELECT DISTINCT platform, post_id FROM claim_matches
                   SEMI JOIN nv_attack_claims USING (narrative, claim)) c USING (platform, post_id)
        WHERE p.kind IS NULL OR p.kind NOT IN {_REPOSTS}""")
    con.execute("DROP TABLE nv_attack_claims")


def _account_actions(con: duckdb.DuckDBPyConnection) -> None:
    """``nv_target_actions``: one row per (post, engaged account, how) with the account shown as ``@handle``."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE nv_target_actions AS
        WITH acts AS (
            SELECT p.platform, p.post_id, p.account_id, p.reply_to_account_id AS engaged, 'reply' AS how
            FROM posts p WHERE p.reply_to_account_id IS NOT NULL AND p.reply_to_account_id <> p.account_id
            UNION ALL
            SELECT p.platform, p.post_id, p.account_id, unnest(p.mentions) AS engaged, 'mention' AS how
            FROM posts p WHERE (p.kind IS NULL OR p.kind NOT IN {_REPOSTS}) AND len(p.mentions) > 0
            UNION ALL
            SELECT p.platform, p.post_id, p.account_id, p.reposted_account_id AS engaged, 'repost' AS how
            FROM posts p WHERE p.kind IN {_REPOSTS} AND p.reposted_account_id IS NOT NULL
        ),
        resolved AS (
            SELECT acts.*, coalesce(byid.account_id, byhandle.account_id) AS engaged_id,
                   coalesce(byid.handle, byhandle.handle) AS handle
            FROM acts
            LEFT JOIN accounts byid ON byid.platform = acts.platform AND byid.account_id = acts.engaged
            LEFT JOIN (SELECT platform, lower(handle) AS lhandle, any_value(account_id) AS account_id,
                              any_value(handle) AS handle FROM accounts WHERE handle IS NOT NULL GROUP BY ALL) byhandle
                   ON byid.account_id IS NULL AND byhandle.platform = acts.platform
                  AND byhandle.lhandle = lower(acts.engaged)
        )
        SELECT r.platform, r.post_id, r.account_id, me.cluster_id,
               CASE WHEN r.handle IS NOT NULL THEN '@' || r.handle ELSE r.engaged END AS target,
               CASE WHEN me.cluster_id IS NOT NULL AND them.cluster_id = me.cluster_id THEN 'member' ELSE 'account' END
                   AS kind,
               r.how, r.engaged_id
        FROM resolved r
        LEFT JOIN nv_accounts me ON me.platform = r.platform AND me.account_id = r.account_id
        LEFT JOIN nv_accounts them ON them.platform = r.platform AND them.account_id = r.engaged_id""")


def _gazetteer(con: duckdb.DuckDBPyConnection, library: ClaimLibrary, min_name_accounts: int, workers: int) -> None:
    """``nv_gazetteer(name, target, kind)``: library names, display names of engaged accounts, capitalised names."""
    entries: dict[str, tuple[str, str]] = {}
    for target in library.targets.values():
        for name in target.names:
            entries.setdefault(name.lower(), (target.names[0], target.kind))
    engaged = con.execute("""
        SELECT DISTINCT t.target, a.display_name FROM nv_target_actions t
        JOIN accounts a ON a.platform = t.platform AND a.account_id = t.engaged_id
        WHERE t.cluster_id IS NOT NULL AND t.kind = 'account' AND a.display_name IS NOT NULL
        ORDER BY t.target, a.display_name""").fetchall()
    for target, display in engaged:
        if _usable_name(display):
            entries.setdefault(display.strip().lower(), (target, "account"))
    for name in capitalised_names(con, min_name_accounts, workers):
        entries.setdefault(name.lower(), (name, "name"))
    names = sorted(entries)
    write_table(con, "nv_gazetteer", pa.table({
        "name": names, "target": [entries[n][0] for n in names], "kind": [entries[n][1] for n in names]}), temp=True)


def capitalised_names(con: duckdb.DuckDBPyConnection, min_accounts: int, workers: int = 1) -> list[str]:
    """Capitalised two- and three-word names written by at least ``min_accounts`` accounts of one cluster
    (searched by ``workers`` processes)."""
    rows = con.execute(f"""
        SELECT cluster_id, platform, account_id, text FROM nv_post_keys
        WHERE cluster_id IS NOT NULL AND (kind IS NULL OR kind NOT IN {_REPOSTS})
        ORDER BY platform, post_id""").fetchall()
    stop = stopwords()

    def names_in(chunk: Sequence[tuple[int, str, str, str]]) -> list[tuple[int, str, str, str]]:
        return [(cluster_id, name, platform, account_id) for cluster_id, platform, account_id, text in chunk
                for name in set(_NAME.findall(text))
                if not any(word.lower() in stop for word in re.split(r"[- ]", name))]

    writers: dict[tuple[int, str], set[tuple[str, str]]] = defaultdict(set)
    for cluster_id, name, platform, account_id in map_chunks(names_in, rows, workers):
        writers[(cluster_id, name)].add((platform, account_id))
    return sorted({name for (_, name), accounts in writers.items() if len(accounts) >= min_accounts})


def _name_actions(con: duckdb.DuckDBPyConnection, workers: int) -> None:
    """``nv_name_actions``: one row per (post, gazetteer target named in its text), as mentions."""
    finder = NameFinder(n for (n,) in con.execute("SELECT name FROM nv_gazetteer ORDER BY name").fetchall())
    texts = con.execute(f"""
        SELECT DISTINCT text, lower(text) FROM nv_post_keys
        WHERE kind IS NULL OR kind NOT IN {_REPOSTS}""").fetchall()

    def names_in(rows: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(text, name) for text, lowered in rows for name in dict.fromkeys(finder.find(text, lowered))]

    hits = map_chunks(names_in, texts, workers)
    write_table(con, "nv_name_hits", pa.table({"text": pa.array([h[0] for h in hits], pa.string()),
                                               "name": pa.array([h[1] for h in hits], pa.string())}), temp=True)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE nv_name_actions AS
        SELECT DISTINCT p.platform, p.post_id, p.account_id, p.cluster_id, g.target, g.kind, 'mention' AS how,
               NULL::VARCHAR AS engaged_id
        FROM nv_post_keys p JOIN nv_name_hits h USING (text) JOIN nv_gazetteer g ON g.name = lower(h.name)
        WHERE p.kind IS NULL OR p.kind NOT IN {_REPOSTS}""")
    con.execute("DROP TABLE nv_name_hits")


def _usable_name(name: str) -> bool:
    """A display name specific enough to search for: two words, or two Chinese characters."""
    name = name.strip()
    return (has_cjk(name) and len(name) >= 2) or len(name.split()) >= 2


def _sql(text: str) -> str:
    return text.replace("'", "''")
