"""What the UI's pages ask the workspace beyond the report model: search, and one account's posts.

Search is a case-insensitive substring match (DuckDB ``contains``, so ``%`` and ``_`` in a query are literal);
the query only ever travels as a parameter.
"""

from __future__ import annotations

import duckdb

from ..accounts import select_accounts
from ..evidence import post
from ..model import AccountRow, Post
from ..verdicts import Verdicts

SEARCH_LIMIT = 50
POSTS_LIMIT = 100
MAX_QUERY = 200

ACCOUNT_MATCH = ("contains(lower(coalesce(handle, '')), ?) OR contains(lower(coalesce(display_name, '')), ?) "
                 "OR lower(account_id) = ?")
POSTS_SQL = """
SELECT p.platform, p.account_id, a.handle, p.post_id, p.created_at, p.kind, left(p.text, ?), length(p.text)
FROM posts p LEFT JOIN accounts a ON a.platform = p.platform AND a.account_id = p.account_id
WHERE {where}
ORDER BY p.created_at DESC NULLS LAST, p.platform, p.post_id
LIMIT ?
"""


def normalise_query(query: str) -> str:
    """The search text as matched: trimmed, lower-case, without a leading ``@``, at most 200 characters."""
    return query.strip().lower().removeprefix("@")[:MAX_QUERY]


def search_accounts(con: duckdb.DuckDBPyConnection, verdicts: Verdicts, query: str) -> list[AccountRow]:
    """Accounts whose handle or name contains ``query``, or whose id is ``query`` (strongest first)."""
    q = normalise_query(query)
    if not q:
        return []
    return select_accounts(con, verdicts, where=ACCOUNT_MATCH, params=[q, q, q], limit=SEARCH_LIMIT, max_text=300)


def search_posts(con: duckdb.DuckDBPyConnection, query: str, max_text: int = 400) -> list[Post]:
    """Posts whose text contains ``query`` (newest first)."""
    q = normalise_query(query)
    if not q:
        return []
    sql = POSTS_SQL.format(where="contains(lower(p.text), ?)")
    return [post(*row) for row in con.execute(sql, [max_text, q, SEARCH_LIMIT]).fetchall()]


def account_posts(con: duckdb.DuckDBPyConnection, platform: str, account_id: str, max_text: int = 1_500) -> list[Post]:
    """One account's newest posts."""
    sql = POSTS_SQL.format(where="p.platform = ? AND p.account_id = ?")
    return [post(*row) for row in con.execute(sql, [max_text, platform, account_id, POSTS_LIMIT]).fetchall()]
