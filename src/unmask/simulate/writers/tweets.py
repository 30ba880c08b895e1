"""Tweet text as Twitter stores it, shared by the Twitter formats: links as t.co, retweets as ``RT @user:``."""

from __future__ import annotations

from ..events import QUOTE, REPOST
from ..ids import tco


def render(kind: int, text: str, urls: tuple[str, ...], link_key: int, post_id: int, ref_handle: str,
           ref_id: int) -> tuple[str, list[str], list[str]]:
    """The displayed text, the expanded URLs and their t.co links of one tweet.

    A quote tweet ends with a link to the quoted status; a retweet shows the original's text and links after
    ``RT @handle:``.
    """
    if not urls and kind != QUOTE and kind != REPOST:
        return text, [], []
    expanded = list(urls)
    short = [tco(link_key, k) for k in range(len(urls))]
    if kind == QUOTE:
        expanded.append(f"https://twitter.com/{ref_handle}/status/{ref_id}")
        short.append(tco(post_id, len(urls)))
    body = text + "".join(" " + s for s in short)
    if kind == REPOST:
        body = f"RT @{ref_handle}: {body}"
    return body, expanded, short
