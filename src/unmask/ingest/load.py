"""Moving one file's staged rows into the canonical tables, inside the file's transaction.

Primary posts whose id is already stored (or repeats within the file) are quarantined as duplicates, so that
``rows_read = rows_stored + rows_quarantined`` holds for every file.  Accounts met again are merged: a new
non-empty value replaces the stored one, except ``source_file``, which keeps where the account was first seen.
"""

from __future__ import annotations

import duckdb

from .. import schema
from ..db import scalar
from .base import STAGED, stage_table, staged


def create_stage(con: duckdb.DuckDBPyConnection) -> None:
    """Create empty staging tables for one file."""
    for table in STAGED:
        con.execute(f"DROP TABLE IF EXISTS {stage_table(table)}")
        con.execute(schema.create_sql(table, stage_table(table)))
    con.execute(f"ALTER TABLE {stage_table('posts')} ADD COLUMN _primary BOOLEAN")
    con.execute(f"DROP TABLE IF EXISTS {stage_table('quarantine')}")
    con.execute(f"CREATE TABLE {stage_table('quarantine')} (line BIGINT, reason VARCHAR, raw VARCHAR)")


def drop_stage(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the staging tables."""
    for table in (*STAGED, "quarantine"):
        con.execute(f"DROP TABLE IF EXISTS {stage_table(table)}")


def move_stage(con: duckdb.DuckDBPyConnection, file: str) -> int:
    """Move staged rows of ``file`` into the canonical tables; returns how many records were duplicates."""
    _find_known_posts(con)
    duplicates = _quarantine_duplicate_posts(con, file)
    _insert_new_posts(con, file)
    con.execute("DROP TABLE _repeated; DROP TABLE _stored")
    _merge_accounts(con, file)
    _insert_new_media(con, file)
    con.execute(
        "INSERT INTO quarantine SELECT ?, line, reason, raw FROM " + stage_table("quarantine") + " ORDER BY line",
        [file],
    )
    return duplicates


def _find_known_posts(con: duckdb.DuckDBPyConnection) -> None:
    """Temp tables ``_repeated``, the post ids staged more than once (with how many of the copies are primary),
    and ``_stored``, the staged post ids already in ``posts``; both are usually empty, or small."""
    staged_posts = staged("posts")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _repeated AS
        SELECT platform, post_id, count(*) FILTER (WHERE _primary) AS primaries
        FROM {staged_posts} GROUP BY platform, post_id HAVING count(*) > 1
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _stored AS
        SELECT DISTINCT platform, post_id FROM {staged_posts} s
        WHERE EXISTS (SELECT 1 FROM posts p WHERE p.platform = s.platform AND p.post_id = s.post_id)
        """
    )


def _quarantine_duplicate_posts(con: duckdb.DuckDBPyConnection, file: str) -> int:
    """Quarantine primary posts whose id is already stored or repeats an earlier one of the file; returns how many.

    Only ids that repeat in the file or are stored already can be duplicates, so only their rows are ranked.
    """
    same = "c.platform IS NOT DISTINCT FROM s.platform AND c.post_id IS NOT DISTINCT FROM s.post_id"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _duplicates AS
        WITH candidates AS (SELECT platform, post_id FROM _repeated WHERE primaries > 1 UNION SELECT * FROM _stored)
        SELECT s.post_id, s.source_line, s.text,
               CASE WHEN s._rank > 1 THEN 'repeated in this file' ELSE 'already stored' END AS why
        FROM (SELECT *, row_number() OVER (PARTITION BY platform, post_id ORDER BY source_line) AS _rank
              FROM {staged('posts')} s WHERE _primary AND EXISTS (SELECT 1 FROM candidates c WHERE {same})) s
        WHERE s._rank > 1 OR EXISTS (SELECT 1 FROM _stored k WHERE k.platform = s.platform AND k.post_id = s.post_id)
        """
    )
    con.execute(
        """
        INSERT INTO quarantine
        SELECT ?, source_line, 'duplicate post id ' || post_id || ' (' || why || ')', text
        FROM _duplicates ORDER BY source_line
        """,
        [file],
    )
    count = scalar(con, "SELECT count(*) FROM _duplicates")
    con.execute("DROP TABLE _duplicates")
    return int(count)


def _insert_new_posts(con: duckdb.DuckDBPyConnection, file: str) -> None:
    """Insert staged posts not stored yet, one row per id (a primary record wins over context copies).

    The filters are left out when nothing repeats or is stored already: the insert then runs in parallel.
    """
    staged_posts = staged("posts")
    first_copy = (
        f"(SELECT * FROM {staged_posts} QUALIFY row_number() OVER (PARTITION BY platform, post_id "
        f"ORDER BY _primary DESC, source_line) = 1)"
        if scalar(con, "SELECT count(*) FROM _repeated")
        else staged_posts
    )
    new = (
        "WHERE NOT EXISTS (SELECT 1 FROM _stored k WHERE k.platform = s.platform AND k.post_id = s.post_id)"
        if scalar(con, "SELECT count(*) FROM _stored")
        else ""
    )
    con.execute(
        f"INSERT INTO posts BY NAME SELECT * EXCLUDE (_primary) REPLACE (? AS source_file) FROM {first_copy} s {new}",
        [file],
    )


def _merge_accounts(con: duckdb.DuckDBPyConnection, file: str) -> None:
    accounts = staged("accounts")
    values = [c for c in schema.columns("accounts") if c not in ("platform", "account_id", "source_file")]
    merged = ", ".join(
        f"coalesce(max({c}) FILTER (WHERE _new), max({c}) FILTER (WHERE NOT _new)) AS {c}" for c in values
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _merged AS
        SELECT platform, account_id, {merged},
               coalesce(max(source_file) FILTER (WHERE NOT _new), ?) AS source_file
        FROM (
            SELECT *, true AS _new FROM {accounts} WHERE account_id IS NOT NULL
            UNION ALL BY NAME
            SELECT a.*, false AS _new FROM accounts a
            WHERE EXISTS (SELECT 1 FROM {accounts} s WHERE s.platform = a.platform AND s.account_id = a.account_id)
        )
        GROUP BY platform, account_id
        """,
        [file],
    )
    con.execute(
        "DELETE FROM accounts a WHERE EXISTS "
        "(SELECT 1 FROM _merged m WHERE m.platform = a.platform AND m.account_id = a.account_id)"
    )
    con.execute("INSERT INTO accounts BY NAME SELECT * FROM _merged ORDER BY platform, account_id")
    con.execute("DROP TABLE _merged")


def _insert_new_media(con: duckdb.DuckDBPyConnection, file: str) -> None:
    media = staged("media")
    keys = " AND ".join(f"m.{k} IS NOT DISTINCT FROM s.{k}" for k in schema.KEYS["media"])
    con.execute(
        f"""
        INSERT INTO media BY NAME
        SELECT DISTINCT ON (platform, media_id, account_id, post_id) * REPLACE (? AS source_file)
        FROM {media} s
        WHERE media_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM media m WHERE {keys})
        ORDER BY platform, media_id, account_id, post_id
        """,
        [file],
    )
