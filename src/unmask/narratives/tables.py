"""The tables the narrative stage writes into ``CASE/workspace.duckdb``, and small helpers to write them.

| table | one row per | columns |
|---|---|---|
| ``post_language`` | post with text | platform, post_id, lang, confidence, source (text, export, none) |
| ``narratives`` | narrative | narrative_id, label, size, texts, accounts, flagged_share, copypasta_share, languages[], top_terms[], examples[], example_post_ids[], claims[] |
| ``post_narrative`` | post in a narrative | platform, post_id, narrative_id, similarity |
| ``claim_matches`` | post matching a known claim | platform, post_id, narrative, claim, similarity, matched_wording |
| ``targets`` | (cluster, target) | cluster_id, target, kind, mentions, replies, reposts, accounts, hostile_share, example_post_ids[] |
| ``cluster_narratives`` | (cluster, narrative) | cluster_id, narrative_id, label, posts, share, background_share, lift, log_odds_z |
| ``cluster_narrative_summary`` | cluster | cluster_id, languages[], copypasta_share, narratives[], claims[], targets[] |
| ``account_narratives`` | account with text | platform, account_id, languages[], top_narrative, narrative_share, claim_posts, top_claim |

``cluster_id`` is the coordination cluster of ``account_scores``; NULL stands for the accounts outside every
cluster (the background).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """True when a table or view called ``name`` exists (temporary ones included)."""
    tables = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchall()
    views = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND NOT internal", [name]).fetchall()
    return bool(tables[0][0] or views[0][0])


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """The single integer a ``SELECT count(*) ...`` query returns (fetched completely, as DuckDB asks)."""
    return int(con.execute(sql).fetchall()[0][0])


def write_table(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table, temp: bool = False) -> None:
    """Create or replace table ``name`` with the rows of Arrow table ``data``."""
    view = f"_arrow_{name}"
    con.register(view, data)
    try:
        con.execute(f'CREATE OR REPLACE {"TEMP " if temp else ""}TABLE "{name}" AS SELECT * FROM "{view}"')
    finally:
        con.unregister(view)
