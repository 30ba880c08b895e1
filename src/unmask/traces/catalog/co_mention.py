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
SELECT DISTINCT platform, account_id, mention AS object_id, ts, post_id FROM (
    SELECT platform, account_id, created_at AS ts, post_id, UNNEST(mentions) AS mention FROM posts WHERE {AUTHORED}
) mentions
WHERE mention <> ''"""
