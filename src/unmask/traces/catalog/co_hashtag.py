"""Co-hashtag: accounts using the same sequence of hashtags within the window (Pacheco et al. 2021)."""

from __future__ import annotations

from ..base import Trace, register
from ..normalize import AUTHORED
from ..params import TraceParams


@register
class CoHashtag(Trace):
    """Object: the post's hashtags in order, joined by spaces; a sequence needs ``min_hashtags`` tags."""

    name = "co_hashtag"
    description = "Used the same sequence of hashtags within the window."

    def actions_sql(self, params: TraceParams) -> str:
        """Every authored post with enough hashtags acts on their sequence."""
        return f"""
SELECT platform, account_id, ARRAY_TO_STRING(hashtags, ' ') AS object_id, created_at AS ts, post_id
FROM posts
WHERE {AUTHORED} AND ARRAY_LENGTH(hashtags) >= {int(params.min_hashtags)}"""
