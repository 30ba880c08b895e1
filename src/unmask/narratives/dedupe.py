"""From posts to distinct texts: one key per post, one row per key, and the keys worth embedding.

The model is the slow part (about 100 texts a second), so every distinct text is embedded once: copypasta
with random tails, reposts (which carry the original's text) and Traditional/Simplified twins share one key.
When there are more distinct texts than the budget, the texts of flagged accounts go first (most-posted
first) and the rest of the budget is a deterministic sample (by md5 of the key) of the other accounts' texts, so
background shares are estimated without bias.  Texts not embedded get no narrative.

Temporary tables (dropped at the end of a run): ``nv_accounts``, ``nv_post_keys``, ``nv_keys``.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from .options import NarrativeOptions
from .tables import count, table_exists
from .text import CJK_SQL, key_sql, readable, to_simplified

REPOST_KINDS = "('repost', 'forward')"


@dataclass
class TextSet:
    """The distinct texts chosen for embedding, sorted by key; arrays are aligned."""

    keys: list[str]
    texts: list[str]  # readable form that is embedded
    langs: list[str]  # detected language
    posts: np.ndarray  # posts sharing the key
    authors: np.ndarray  # accounts that wrote it themselves (not reposts)
    flagged: np.ndarray  # bool: some flagged account posted it

    def __len__(self) -> int:
        return len(self.keys)


def build_keys(con: duckdb.DuckDBPyConnection) -> int:
    """Create ``nv_accounts``, ``nv_post_keys`` (every post with text, keyed) and ``nv_keys``; returns #keys."""
    _create_accounts(con)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE nv_raw_keys AS
        SELECT p.platform, p.post_id, p.account_id, p.kind, p.lang, p.created_at, p.text,
               {key_sql('p.text')} AS raw_key,
               coalesce(a.flagged, false) AS flagged, a.cluster_id
        FROM posts p LEFT JOIN nv_accounts a USING (platform, account_id)
        WHERE p.text IS NOT NULL""")
    cjk = con.execute(
        f"SELECT DISTINCT raw_key FROM nv_raw_keys WHERE regexp_matches(raw_key, '{CJK_SQL}') ORDER BY raw_key"
    ).fetchall()
    pairs = [(raw, simple) for (raw,) in cjk if (simple := to_simplified(raw)) != raw]
    mapping = pa.table({"raw_key": pa.array([p[0] for p in pairs], pa.string()),
                        "key": pa.array([p[1] for p in pairs], pa.string())})
    con.register("nv_key_map_arrow", mapping)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE nv_post_keys AS
        SELECT r.* EXCLUDE (raw_key), coalesce(m.key, r.raw_key) AS key
        FROM nv_raw_keys r LEFT JOIN nv_key_map_arrow m USING (raw_key)""")
    con.unregister("nv_key_map_arrow")
    con.execute("DROP TABLE nv_raw_keys")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE nv_keys AS
        SELECT key, count(*) AS posts,
               count(DISTINCT (platform, account_id)) FILTER (WHERE kind IS NULL OR kind NOT IN {REPOST_KINDS})
                   AS authors,
               bool_or(flagged) AS flagged,
               arg_min(text, post_id) AS sample_text
        FROM nv_post_keys GROUP BY key""")
    return count(con, "SELECT count(*) FROM nv_keys")


def choose_texts(con: duckdb.DuckDBPyConnection, options: NarrativeOptions) -> TextSet:
    """The distinct texts to embed within the budget (see the module docstring), sorted by key; needs the
    languages of the keys (``nv_key_language``)."""
    flagged_any = count(con, "SELECT count(*) FROM nv_keys WHERE flagged")
    background = options.max_background_texts if flagged_any else options.max_texts
    campaign = options.max_texts - background if flagged_any else 0
    long_enough = f"length(key) >= {int(options.min_text_chars)}"
    rows = con.execute(f"""
        SELECT key, sample_text, posts, authors, flagged, coalesce(lang, 'und') FROM (
            (SELECT * FROM nv_keys WHERE flagged AND {long_enough} ORDER BY posts DESC, md5(key) LIMIT {campaign})
            UNION ALL
            (SELECT * FROM nv_keys WHERE NOT flagged AND {long_enough} ORDER BY md5(key) LIMIT {background})
        ) LEFT JOIN nv_key_language USING (key) ORDER BY key""").fetchall()
    return TextSet(
        keys=[r[0] for r in rows],
        texts=[readable(r[1]) or r[0] for r in rows],
        langs=[r[5] for r in rows],
        posts=np.array([r[2] for r in rows], dtype=np.int64),
        authors=np.array([r[3] for r in rows], dtype=np.int64),
        flagged=np.array([r[4] for r in rows], dtype=bool),
    )


def drop_temp_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temporary tables of a run."""
    for name in ("nv_post_keys", "nv_keys", "nv_accounts", "nv_key_language", "nv_text_narrative",
                 "nv_text_claims"):
        con.execute(f"DROP TABLE IF EXISTS {name}")


def _create_accounts(con: duckdb.DuckDBPyConnection) -> None:
    """``nv_accounts(platform, account_id, cluster_id, flagged)`` from the coordination scores, if there are any."""
    if table_exists(con, "account_scores"):
        con.execute("""CREATE OR REPLACE TEMP TABLE nv_accounts AS
                       SELECT platform, account_id, cluster_id, coalesce(flagged, false) AS flagged
                       FROM account_scores""")
    else:
        con.execute("""CREATE OR REPLACE TEMP TABLE nv_accounts
                       (platform VARCHAR, account_id VARCHAR, cluster_id BIGINT, flagged BOOLEAN)""")
