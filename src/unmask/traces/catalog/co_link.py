"""Co-link: accounts sharing the same link, after normalisation, within the window."""

from __future__ import annotations

from ..base import Trace, register
from ..normalize import AUTHORED, url_keys_sql
from ..params import TraceParams


@register
class CoLink(Trace):
    """Object: the normalised URL (see :func:`unmask.traces.normalize.url_keys_sql`)."""

    name = "co_link"
    description = "Shared the same link (ignoring scheme, www, tracking parameters, trailing slash) within the window."

    def actions_sql(self, params: TraceParams) -> str:
        """Every authored post acts once on each distinct normalised link it carries."""
        links = f"""(
    SELECT platform, account_id, created_at AS ts, post_id, UNNEST(urls) AS url FROM posts WHERE {AUTHORED}
) links"""
        return f"""
SELECT DISTINCT platform, account_id, url_key AS object_id, ts, post_id
FROM ({url_keys_sql(links)}) keyed_links
WHERE url_key <> ''"""
