"""Texts as the narrative stage sees them: a copypasta key per post, a readable form to embed, Chinese normalised.

Two forms of every post text:

* the **key** (SQL, vectorised in DuckDB): the co-post trace's normal form (lower case; links, @mentions and
  punctuation gone; trailing random tokens gone, see :func:`unmask.traces.normalize.text_key_sql`), with trailing
  numbers and short letter-digit tokens dropped as well, then Traditional Chinese converted to Simplified.  Posts
  with one key are one text: it is embedded once and every copy gets its narrative.
* the **readable** form (Python, only for the texts that are embedded): the original with the retweet prefix,
  links, @mentions, ``#`` signs and the trailing random tokens removed, case and punctuation kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..traces.normalize import text_key_sql
from ..traces.params import TraceParams

_TAIL_SQL = r"( ([0-9]+|[a-z0-9]*([a-z][0-9]|[0-9][a-z])[a-z0-9]*))+$"
"""Trailing numbers and letter-digit tokens: the random strings appended to copypasta that the co-post key keeps."""

CJK_SQL = r"\p{Han}"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RETWEET = re.compile(r"^RT @[\w.]+:?\s*")
_LINK = re.compile(r"(https?://|www\.)\S+")
_MENTION = re.compile(r"@[\w.]+")
_SPACE = re.compile(r"\s+")
_HASHTAG_TAIL = re.compile(r"(\s*[#＃][^\s#＃]+)+\s*$")
MIN_BODY_CHARS = 30
_TAIL = re.compile(r"(\s+(\d+|(?=\w*[A-Za-z])(?=\w*\d)\w{2,12}|[^\w\s]{1,6}))+$")


def key_sql(column: str) -> str:
    """SQL for the copypasta key of a text column (before Chinese normalisation, which happens in Python)."""
    base = text_key_sql(column, TraceParams())
    return f"TRIM(REGEXP_REPLACE({base}, '{_TAIL_SQL}', '', 'g'))"


def has_cjk(text: str) -> bool:
    """True when ``text`` contains Chinese characters."""
    return _CJK.search(text) is not None


@lru_cache(maxsize=1)
def _converter():  # noqa: ANN202 - opencc has no type stubs
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with Traditional Chinese characters converted to Simplified (OpenCC t2s); other text unchanged."""
    return _converter().convert(text) if has_cjk(text) else text


def readable(text: str) -> str:
    """The form of a post that is embedded: no retweet prefix, links, @mentions or random tail; Simplified.

    A run of hashtags at the end goes when at least :data:`MIN_BODY_CHARS` characters of text remain, a Chinese
    character counting as three (campaign tags are language-bound and pull one claim's English and Chinese
    versions apart); otherwise, and for hashtags inside the text, only the ``#`` goes.
    """
    text = _RETWEET.sub("", text)
    text = _LINK.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    text = _TAIL.sub("", text).strip()
    body = _TAIL.sub("", _HASHTAG_TAIL.sub("", text)).strip()
    if len(body) + 2 * len(_CJK.findall(body)) >= MIN_BODY_CHARS:
        text = body
    text = text.replace("#", " ").replace("＃", " ")
    return to_simplified(_SPACE.sub(" ", text).strip())
