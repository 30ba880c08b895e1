"""The normalised texts of authored posts, computed once per run and shared by the text traces.

Normalising every text is the costliest step of the identical-text (``co_post``) and near-duplicate
(``near_dup``) traces; both read :data:`TEXTS`, which the first of them to run creates.  The table is temporary
and :func:`unmask.traces.tables.trace_run` drops it when the run ends, so a run never reads texts of earlier
posts or parameters.
"""

from __future__ import annotations

import duckdb

from .normalize import authored_text_keys_sql
from .params import TraceParams

TEXTS = "trace_texts"
"""``platform, account_id, ts, post_id, text_key, text_hash``: one row per authored post with a long enough
normalised text ``text_key`` (``text_hash`` is its MD5)."""


def create_texts(con: duckdb.DuckDBPyConnection, params: TraceParams) -> None:
    """Create :data:`TEXTS` unless this run already has (DuckDB skips the query when the table exists)."""
    con.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {TEXTS} AS SELECT platform, account_id, ts, post_id, text_key, "
        f"MD5(text_key) AS text_hash FROM ({authored_text_keys_sql(params)}) keyed_texts"
    )

