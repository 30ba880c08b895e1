"""Co-reply: accounts replying to the same post within the window (reply brigades)."""

from __future__ import annotations

from ..base import Trace, register
from ..normalize import AUTHORED
from ..params import TraceParams


@register
class CoReply(Trace):
    """Object: the post replied to."""

    name = "co_reply"
    description = "Replied to the same post within the window."

    def actions_sql(self, params: TraceParams) -> str:
        """Every authored reply acts on its target post."""
        return f"""
SELECT platform, account_id, reply_to_post_id AS object_id, created_at AS ts, post_id
FROM posts
WHERE reply_to_post_id IS NOT NULL AND {AUTHORED}"""
