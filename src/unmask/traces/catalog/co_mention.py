"""Co-mention: accounts mentioning the same account within the window (targeted harassment, tagging)."""

from __future__ import annotations

from ..base import Trace, register
from ..normalize import AUTHORED
from ..params import TraceParams


@register
class CoMention(Trace):
    """Object: the mentioned account (its id, or its lower-case handle when the export has no ids)."""

    name = "co_mention"
    description = "Mentioned the same account within the window."

    def actions_sql(self, params: TraceParams) -> str:
        """Every authored post acts once on each account it mentions."""
        return f"""
SELECT DISTINCT p.platform, p.account_id, m.mention AS object_id, p.created_at AS ts, p.post_id
FROM posts p CROSS JOIN UNNEST(p.mentions) AS m(mention)
WHERE {AUTHORED} AND m.mention <> ''"""
