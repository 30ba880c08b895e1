"""Shared image: accounts using the same picture (same perceptual hash), as a post image or an avatar."""

from __future__ import annotations

from ..base import Trace, register
from ..matching import shared_matches_sql
from ..params import TraceParams


@register
class SharedImage(Trace):
    """Object: the image's perceptual hash (``media.phash``); avatars have no time, so no window applies."""

    name = "shared_image"
    description = "Used the same image (equal perceptual hash) in posts or as avatar."
    windowed = False

    def actions_sql(self, params: TraceParams) -> str:
        """Every media row with a perceptual hash acts on it, dated by its post when it has one."""
        return """
SELECT m.platform, COALESCE(m.account_id, p.account_id) AS account_id, LOWER(m.phash) AS object_id,
       p.created_at AS ts, m.post_id
FROM media m LEFT JOIN posts p ON p.platform = m.platform AND p.post_id = m.post_id
WHERE m.phash IS NOT NULL AND m.phash <> ''"""

    def matches_sql(self, source: str, params: TraceParams) -> str:
        """Pairs of accounts using one image at any time, for images few enough accounts use."""
        return shared_matches_sql(source, params.max_object_accounts)
