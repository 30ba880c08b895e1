"""Co-post: accounts posting the same text, after normalisation, within the text window (copypasta)."""

from __future__ import annotations

from ..base import Trace, register
from ..normalize import authored_text_keys_sql
from ..params import TraceParams


@register
class CoPost(Trace):
    """Object: the hash of the normalised text (see :func:`unmask.traces.normalize.text_key_sql`)."""

    name = "co_post"
    description = (
        "Posted the same text (ignoring case, links, mentions, punctuation, random suffixes) within the text window."
    )

    def window(self, params: TraceParams) -> float:
        """Copypasta is spread over longer spans than reposts: the text window."""
        return params.text_window_seconds

    def actions_sql(self, params: TraceParams) -> str:
        """Every authored post with a long enough normalised text acts on that text."""
        return f"""
SELECT platform, account_id, MD5(text_key) AS object_id, ts, post_id
FROM ({authored_text_keys_sql(params)}) texts"""
