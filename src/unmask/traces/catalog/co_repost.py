"""Co-repost: accounts reposting the same post within the window (the classic co-retweet trace)."""

from __future__ import annotations

from ..base import Trace, register
from ..params import TraceParams


@register
class CoRepost(Trace):
    """Object: the reposted post."""

    name = "co_repost"
    description = "Reposted the same post within the window."

    def actions_sql(self, params: TraceParams) -> str:
        """Every repost (and forward) acts on the post it reposts."""
        return """
SELECT platform, account_id, reposted_post_id AS object_id, created_at AS ts, post_id
FROM posts
WHERE reposted_post_id IS NOT NULL"""
