"""Co-link: accounts sharing the same link, after normalisation, within the window."""

from __future__ import annotations

import duckdb

from ..base import Trace, register
from ..normalize import AUTHORED, url_keys_sql
from ..params import TraceParams

LINKS = "co_link_keys"  # temporary: every link of an authored post with its normal form


@register
class CoLink(Trace):
    """Object: the normalised URL (see :func:`unmask.traces.normalize.url_keys_sql`)."""

    name = "co_link"
    description = "Shared the same link (ignoring scheme, www, tracking parameters, trailing slash) within the window."

    def prepare(self, con: duckdb.DuckDBPyConnection, params: TraceParams) -> None:
        """Normalise every link once into ``LINKS``.

        In one query, DuckDB copies the normal form's expression into every filter on it that it pushes down (the
        non-empty check, the insert's IS NOT NULL), so each link was normalised more than once (the actions took
        three times as long).
        """
        links = f"""(
    SELECT platform, account_id, created_at AS ts, post_id, UNNEST(urls) AS url FROM posts WHERE {AUTHORED}
) links"""
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {LINKS} AS "
            f"SELECT platform, account_id, ts, post_id, url_key FROM ({url_keys_sql(links)}) keyed_links"
        )

    def actions_sql(self, params: TraceParams) -> str:
        """Every authored post acts once on each distinct normalised link it carries."""
        return f"""
SELECT DISTINCT platform, account_id, url_key AS object_id, ts, post_id
FROM {LINKS}
WHERE url_key <> ''"""
