"""Slow co-repost: accounts amplifying the same little-reposted post within a day (dripped amplification).

Careful operators drip their reposts of a seed over hours instead of bursting them, so co-repost's one-minute
window never sees them.  Widening that window for every post would pair each viral post's crowd with itself;
instead this trace keeps only posts that at most ``slow_max_reposters`` accounts repost, where a repeated meeting
of the same two accounts is rare by chance, and pairs their actions within ``slow_window_seconds``.  Each object
then has at most ``slow_max_reposters + 1`` actors, so the matches stay linear in the actions.

The post's author (when the data holds the post) acts on it too, at the time of posting: personas reposting each
other's seeds meet there.  The significance test counts a pair's distinct sources, and the author is its post's
source, so the posts of the pair's own two accounts add at most two to the count: an author and a loyal
reposter (one source) are never tested on that alone.
"""

from __future__ import annotations

from ..base import Trace, register
from ..params import TraceParams
from .co_repost import CoRepost


@register
class SlowRepost(Trace):
    """Object: a post that at most ``slow_max_reposters`` accounts repost."""

    name = "slow_repost"
    description = "Posted or reposted the same rarely reposted post within the slow window (a day)."

    def window(self, params: TraceParams) -> float:
        """Dripped reposts spread over hours and the operators' working days: the slow window."""
        return params.slow_window_seconds

    def actions_sql(self, params: TraceParams) -> str:
        """Every repost of a little-reposted post, and the post itself, act on that post."""
        reposts = CoRepost().actions_sql(params)
        return f"""
SELECT a.platform, a.account_id, a.object_id, a.ts, a.post_id FROM (
    SELECT platform, account_id, object_id, ts, post_id FROM ({reposts}) reposts
    UNION ALL
    SELECT platform, account_id, post_id AS object_id, created_at AS ts, post_id FROM posts
) a JOIN (
    SELECT platform, reposted_post_id AS object_id FROM posts
    WHERE reposted_post_id IS NOT NULL
    GROUP BY platform, reposted_post_id
    HAVING COUNT(DISTINCT account_id) <= {int(params.slow_max_reposters)}
) little_reposted ON a.platform = little_reposted.platform AND a.object_id = little_reposted.object_id"""
