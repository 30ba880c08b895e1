"""Twitter API v1.1 JSON: tweets and user objects, as JSON lines, a JSON array, or concatenated objects.

A tweet gives a post from ``id_str``, ``created_at`` (``Wed May 15 16:00:19 +0000 2019``, else ``timestamp_ms``),
the text of ``extended_tweet.full_text``, ``full_text`` or ``text``, and ``entities`` (``hashtags[text]``,
``urls[expanded_url]``, ``user_mentions[id_str]``; ``extended_entities.media`` for photos and videos, a video by its
thumbnail); ``source`` is an HTML link whose text is the client.  ``retweeted_status`` makes it a repost and
``quoted_status`` a quote: the embedded originals become context posts, every ``user`` an account with an
``avatar`` media row.  A retweet's copy of the original's media stays with the original.

Hashed releases (the OSoMe samples of Pacheco et al.) rename fields with ``_h`` (hashed ids, handles and URLs;
a hashed URL keeps its host) and ``_m`` (texts whose mentions are hashed), and write ``""`` for null: every field is
read from its plain name first, then from those.  Their files are pretty-printed objects one after another; such a
file is read value by value, each record numbered by the line it starts on (a value that does not parse is
quarantined and reading resumes at the next line starting with ``{``).  A JSON array is read element by element,
numbered from 1, so a truncated array keeps the elements before the cut.

User records: a bare user object, or ``{"created_at", "user"}`` without a tweet id (the Bot Repository's
``*_tweets.json``, whose ``created_at`` is the collection time), give one account.  Stream notices (``delete``,
``limit``, ...) are valid records that hold nothing canonical: emitted without rows.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

from ..base import Reader, Sink, register
from ..jsonl import iter_json_lines
from ..sample import Sample, take_sample
from ..sources import Source
from ..values import (
    RECORD_ERRORS, BadValue, as_list, as_object, clean, domains_of, handle_of, id_of, json_text, parse_bool,
    parse_int, parse_time, record_problem, required_id, strip_html, tags_of,
)

Json = dict[str, Any]
Record = tuple[int | None, Any, str | None]

PLATFORM = "twitter"
MEDIA_KINDS = {"photo": "image", "video": "video", "animated_gif": "video"}
STREAM_NOTICES = frozenset(
    {"delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect", "warning"}
)
MARKERS = frozenset({
    "user", "id_str", "id_str_h", "id_h", "full_text", "text_m", "extended_tweet", "retweeted_status", "truncated",
    "is_quote_status", "retweet_count", "favorite_count", "in_reply_to_status_id_str", "timestamp_ms", "entities",
    "screen_name", "followers_count", "friends_count", "statuses_count",
})
OTHER_FORMATS = frozenset({"author_id", "account", "did", "data"})

ID = ("id_str", "id", "id_str_h", "id_h")
SCREEN_NAME = ("screen_name", "screen_name_h")
NAME = ("name", "name_h")
DESCRIPTION = ("description", "description_m")
TEXT = ("full_text", "text", "text_m")
REPLY_STATUS = (
    "in_reply_to_status_id_str", "in_reply_to_status_id", "in_reply_to_status_id_str_h", "in_reply_to_status_id_h"
)
REPLY_USER = ("in_reply_to_user_id_str", "in_reply_to_user_id", "in_reply_to_user_id_str_h", "in_reply_to_user_id_h")
QUOTED_ID = ("quoted_status_id_str", "quoted_status_id", "quoted_status_id_str_h", "quoted_status_id_h")
URL = ("expanded_url", "url", "expanded_url_h", "url_h")
MEDIA_URL = ("media_url_https", "media_url", "media_url_https_h", "media_url_h")
AVATAR = ("profile_image_url_https", "profile_image_url", "profile_image_url_https_h", "profile_image_url_h")

_DECODER = json.JSONDecoder()
_BLANKS = re.compile(r"[ \t\r\n]*")


@register
class TwitterV1(Reader):
    """Twitter API v1.1 tweets and user objects (hashed OSoMe releases and Bot Repository user files included)."""

    name = "twitter-v1"
    platform = PLATFORM
    description = "Twitter API v1.1 JSON: tweets or user objects as JSON lines, a JSON array or concatenated objects"
    required = ("id_str | id | user",)

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        """Sure of a record with a v1.1 ``user`` object (an empty one is a nested object the sample cut off);
        fairly sure of several v1.1 field names."""
        value = sample.json
        if sample.columns or not isinstance(value, dict) or OTHER_FORMATS & value.keys():
            return 0.0
        user = value.get("user")
        if isinstance(user, dict) and (not user or _first(user, SCREEN_NAME) is not None):
            return 0.9
        return 0.85 if len(MARKERS & value.keys()) >= 3 else 0.0

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        """Nothing when the first record looks like v1.1, else what a v1.1 record needs."""
        return [] if cls.sniff(sample) else list(cls.required)

    def read(self, source: Source, sink: Sink) -> None:
        """Read every tweet or user record of ``source``."""
        records = iter_json_lines(source) if take_sample(source).json_lines else _document_records(source)
        for line, value, problem in records:
            if problem is not None:
                sink.reject(line, problem, value)
                continue
            try:
                rows = _record_rows(value)
            except RECORD_ERRORS as exc:
                sink.reject(line, record_problem(exc), json_text(value))
                continue
            sink.emit(line, **rows)


# --- JSON that is not JSON lines ----------------------------------------------------------------------------


def _document_records(source: Source) -> Iterator[Record]:
    """Records of a file that is not JSON lines: the elements of an array, or values one after another."""
    with source.open_binary() as stream:
        data = stream.read()
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        yield None, data[:2000], f"invalid UTF-8 in JSON document: {exc}"
        return
    start = _skip_blanks(text, 0)
    if text.startswith("[", start):
        yield from _array_elements(text, start + 1)
    else:
        yield from _concatenated_values(text, start)


def _array_elements(text: str, pos: int) -> Iterator[Record]:
    """The elements of the array opened just before ``pos``, numbered from 1; reading stops at a broken one."""
    pos = _skip_blanks(text, pos)
    if text.startswith("]", pos):
        return
    for number in itertools.count(1):
        try:
            value, pos = _DECODER.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = f"array element {number} does not parse, reading stopped (truncated or corrupt file?): {_why(exc)}"
            yield number, text[pos:pos + 2000], reason
            return
        yield number, value, None
        pos = _skip_blanks(text, pos)
        if text.startswith("]", pos):
            return
        if not text.startswith(",", pos):
            yield number + 1, text[pos:pos + 2000], f"expected ',' or ']' after array element {number}, reading stopped"
            return
        pos = _skip_blanks(text, pos + 1)


def _concatenated_values(text: str, pos: int) -> Iterator[Record]:
    """JSON values one after another, each numbered by the line it starts on; a broken one is skipped up to the
    next line that starts with ``{``."""
    line = 1 + text.count("\n", 0, pos)
    while pos < len(text):
        try:
            value, end = _DECODER.raw_decode(text, pos)
            problem = None
        except (json.JSONDecodeError, RecursionError) as exc:
            end = _next_object_start(text, pos)
            value, problem = text[pos:end], f"JSON value does not parse: {_why(exc)}"
        yield line, value, problem
        following = _skip_blanks(text, end)
        line += text.count("\n", pos, following)
        pos = following


def _why(exc: json.JSONDecodeError | RecursionError) -> str:
    return exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"


def _next_object_start(text: str, pos: int) -> int:
    found = text.find("\n{", pos + 1)
    return len(text) if found < 0 else found + 1


def _skip_blanks(text: str, pos: int) -> int:
    return _BLANKS.match(text, pos).end()  # type: ignore[union-attr]


# --- mapping ------------------------------------------------------------------------------------------------


def _record_rows(value: object) -> Json:
    """The rows of one record: a tweet with what it embeds, a user object, or nothing for a stream notice."""
    record = as_object(value)
    if _first(record, SCREEN_NAME) is not None:
        return _user_rows(record)
    if _first(record, ID) is not None:
        return _tweet_rows(record)
    if isinstance(record.get("user"), dict):
        return _user_rows(record["user"])
    if STREAM_NOTICES & record.keys():
        return {}
    raise BadValue("neither a tweet (no id_str or id) nor a user object")


def _user_rows(user: Json) -> Json:
    account = _account(user)
    return {"accounts": [account], "media": _avatar_rows(account)}


def _tweet_rows(tweet: Json) -> Json:
    post, accounts, media = _tweet(tweet)
    context_posts = []
    for embedded in _embedded(tweet):
        embedded_post, embedded_accounts, embedded_media = _tweet(embedded)
        context_posts.append(embedded_post)
        accounts += embedded_accounts
        media += embedded_media
    return {"post": post, "context_posts": context_posts, "accounts": accounts, "media": media}


def _embedded(tweet: Json) -> list[Json]:
    """The tweets a tweet embeds (the retweeted and the quoted one), and the ones those embed."""
    found: list[Json] = []
    pending = [tweet]
    while pending:
        current = pending.pop()
        for key in ("retweeted_status", "quoted_status"):
            if current.get(key) is not None:
                inner = as_object(current[key])
                found.append(inner)
                pending.append(inner)
    return found


def _tweet(tweet: Json) -> tuple[Json, list[Json], list[Json]]:
    """One tweet's post, its author's account, and its media and avatar rows."""
    user = tweet.get("user")
    if not isinstance(user, dict):
        raise BadValue("tweet without a user object")
    account = _account(user)
    post_id = required_id(_first(tweet, ID), "tweet id")
    extended = as_object(tweet.get("extended_tweet"))
    entities = as_object(extended.get("entities") or tweet.get("entities"))
    repost = tweet.get("retweeted_status") is not None
    media = [] if repost else _media_rows(_media_entries(tweet, extended, entities), account["account_id"], post_id)
    urls = [url for entry in as_list(entities.get("urls")) if (url := clean(_first(as_object(entry), URL)))]
    post = {
        "platform": PLATFORM,
        "post_id": post_id,
        "account_id": account["account_id"],
        "created_at": parse_time(tweet.get("created_at")) or parse_time(tweet.get("timestamp_ms")),
        "kind": _kind(tweet),
        "text": _text(tweet, extended),
        "lang": clean(tweet.get("lang")),
        "reposted_post_id": _embedded_id(tweet.get("retweeted_status")),
        "reposted_account_id": _embedded_author(tweet.get("retweeted_status")),
        "reply_to_post_id": id_of(_first(tweet, REPLY_STATUS)),
        "reply_to_account_id": id_of(_first(tweet, REPLY_USER)),
        "quoted_post_id": _embedded_id(tweet.get("quoted_status")) or id_of(_first(tweet, QUOTED_ID)),
        "urls": urls,
        "domains": domains_of(urls),
        "hashtags": tags_of(as_object(tag).get("text") for tag in as_list(entities.get("hashtags"))),
        "mentions": [m for m in (_mention(as_object(m)) for m in as_list(entities.get("user_mentions"))) if m],
        "media": [row["media_id"] for row in media],
        "client": strip_html(clean(tweet.get("source"))) or None,
    }
    return post, [account], [*media, *_avatar_rows(account)]


def _kind(tweet: Json) -> str:
    if tweet.get("retweeted_status") is not None:
        return "repost"
    if _first(tweet, REPLY_STATUS) is not None or _first(tweet, REPLY_USER) is not None:
        return "reply"
    if tweet.get("quoted_status") is not None or _first(tweet, QUOTED_ID) is not None:
        return "quote"
    return "post"


def _text(tweet: Json, extended: Json) -> str | None:
    text = extended.get("full_text") or _first(tweet, TEXT)
    if text is not None and not isinstance(text, str):
        raise BadValue(f"text is a JSON {type(text).__name__}, not a string")
    return text


def _embedded_id(embedded: object) -> str | None:
    return id_of(_first(as_object(embedded), ID))


def _embedded_author(embedded: object) -> str | None:
    return id_of(_first(as_object(as_object(embedded).get("user")), ID))


def _mention(mention: Json) -> str | None:
    return id_of(_first(mention, ID)) or handle_of(_first(mention, SCREEN_NAME))


def _media_entries(tweet: Json, extended: Json, entities: Json) -> list[Any]:
    """``extended_entities.media`` (every photo) when present, else ``entities.media`` (the first one only)."""
    holder = extended.get("extended_entities") or tweet.get("extended_entities") or entities
    return as_list(as_object(holder).get("media"))


def _media_rows(entries: list[Any], account_id: str, post_id: str) -> list[Json]:
    rows = []
    for entry in map(as_object, entries):
        kind, media_id = MEDIA_KINDS.get(entry.get("type")), id_of(_first(entry, ID))
        if kind and media_id:
            rows.append({"platform": PLATFORM, "media_id": media_id, "account_id": account_id, "post_id": post_id,
                         "kind": kind, "url": clean(_first(entry, MEDIA_URL))})
    return rows


def _account(user: Json) -> Json:
    return {
        "platform": PLATFORM,
        "account_id": required_id(_first(user, ID), "user id"),
        "handle": clean(_first(user, SCREEN_NAME)),
        "display_name": clean(_first(user, NAME)),
        "bio": clean(_first(user, DESCRIPTION)),
        "location": clean(user.get("location")),
        "created_at": parse_time(user.get("created_at")),
        "followers": parse_int(user.get("followers_count")),
        "following": parse_int(user.get("friends_count")),
        "posts_count": parse_int(user.get("statuses_count")),
        "lang": clean(user.get("lang")),
        "avatar_url": clean(_first(user, AVATAR)),
        "verified": parse_bool(user.get("verified")),
    }


def _avatar_rows(account: Json) -> list[Json]:
    url = account["avatar_url"]
    if not url:
        return []
    return [{"platform": PLATFORM, "media_id": url, "account_id": account["account_id"], "kind": "avatar", "url": url}]


def _first(obj: Json, keys: tuple[str, ...]) -> Any:
    """The value of the first of ``keys`` present and not empty (hashed releases write ``""`` for null)."""
    return next((obj[key] for key in keys if obj.get(key) not in (None, "")), None)
