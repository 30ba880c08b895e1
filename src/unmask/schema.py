"""The canonical tables every reader fills and every later stage reads.

Each table is an ordered list of ``(column, DuckDB type)`` pairs.  Ids are strings (hashed ids stay as they
are), every timestamp is a naive ``TIMESTAMP`` holding UTC, lists are ``VARCHAR[]``.

Conventions readers follow:

* ``hashtags`` are lower-case, without ``#``; ``domains`` are lower-case hosts without ``www.``;
* ``mentions`` hold the mentioned accounts' ids when the export gives ids, else their lower-case handles;
* ``kind`` of a post is one of :data:`POST_KINDS`, ``kind`` of a media row one of :data:`MEDIA_KINDS`.
"""

from __future__ import annotations

POST_KINDS = ("post", "repost", "reply", "quote", "forward")
MEDIA_KINDS = ("avatar", "image", "video")

ACCOUNTS: list[tuple[str, str]] = [
    ("platform", "VARCHAR"),
    ("account_id", "VARCHAR"),
    ("handle", "VARCHAR"),
    ("display_name", "VARCHAR"),
    ("bio", "VARCHAR"),
    ("location", "VARCHAR"),
    ("created_at", "TIMESTAMP"),
    ("followers", "BIGINT"),
    ("following", "BIGINT"),
    ("posts_count", "BIGINT"),
    ("lang", "VARCHAR"),
    ("avatar_url", "VARCHAR"),
    ("avatar_path", "VARCHAR"),
    ("verified", "BOOLEAN"),
    ("client", "VARCHAR"),
    ("source_file", "VARCHAR"),
]

POSTS: list[tuple[str, str]] = [
    ("platform", "VARCHAR"),
    ("post_id", "VARCHAR"),
    ("account_id", "VARCHAR"),
    ("created_at", "TIMESTAMP"),
    ("kind", "VARCHAR"),
    ("text", "VARCHAR"),
    ("lang", "VARCHAR"),
    ("reposted_post_id", "VARCHAR"),
    ("reposted_account_id", "VARCHAR"),
    ("reply_to_post_id", "VARCHAR"),
    ("reply_to_account_id", "VARCHAR"),
    ("quoted_post_id", "VARCHAR"),
    ("urls", "VARCHAR[]"),
    ("domains", "VARCHAR[]"),
    ("hashtags", "VARCHAR[]"),
    ("mentions", "VARCHAR[]"),
    ("media", "VARCHAR[]"),
    ("client", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("source_line", "BIGINT"),
]

MEDIA: list[tuple[str, str]] = [
    ("platform", "VARCHAR"),
    ("media_id", "VARCHAR"),
    ("account_id", "VARCHAR"),
    ("post_id", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("url", "VARCHAR"),
    ("local_path", "VARCHAR"),
    ("phash", "VARCHAR"),
    ("source_file", "VARCHAR"),
]

INGEST_LOG: list[tuple[str, str]] = [
    ("file", "VARCHAR"),
    ("sha256", "VARCHAR"),
    ("format", "VARCHAR"),
    ("rows_read", "BIGINT"),
    ("rows_stored", "BIGINT"),
    ("rows_quarantined", "BIGINT"),
    ("seconds", "DOUBLE"),
    ("ingested_at", "TIMESTAMP"),
]

QUARANTINE: list[tuple[str, str]] = [
    ("file", "VARCHAR"),
    ("line", "BIGINT"),
    ("reason", "VARCHAR"),
    ("raw", "VARCHAR"),
]

CANONICAL: dict[str, list[tuple[str, str]]] = {
    "accounts": ACCOUNTS,
    "posts": POSTS,
    "media": MEDIA,
    "ingest_log": INGEST_LOG,
    "quarantine": QUARANTINE,
}

KEYS: dict[str, tuple[str, ...]] = {
    "accounts": ("platform", "account_id"),
    "posts": ("platform", "post_id"),
    "media": ("platform", "media_id", "account_id", "post_id"),
}


def columns(table: str) -> list[str]:
    """Return the column names of canonical ``table`` in order."""
    return [name for name, _ in CANONICAL[table]]


def create_sql(table: str, name: str | None = None) -> str:
    """Return a ``CREATE TABLE IF NOT EXISTS`` statement for canonical ``table`` (optionally under ``name``)."""
    body = ", ".join(f'"{col}" {typ}' for col, typ in CANONICAL[table])
    return f'CREATE TABLE IF NOT EXISTS "{name or table}" ({body})'
