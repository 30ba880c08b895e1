"""X API v2 tweets as twarc2 writes them, and the twarc-csv CSV made from them.

Three shapes of the same tweets go through one mapping:

* twarc2 response pages, one per line: ``{"data": [tweets], "includes": {"users", "tweets", "media"}, "meta",
  "__twarc"}`` (a filtered-stream page holds a single tweet as ``data``).  Each tweet of ``data`` is one record,
  numbered with the page's line; the part of ``includes`` a tweet refers to goes with it;
* ``twarc2 flatten`` output: one tweet per line with ``author``, ``referenced_tweets[]``, ``attachments.media``
  and the mentioned users inlined;
* the twarc-csv CSV (``id, author_id, referenced_tweets.retweeted.id, author.username, entities.hashtags, ...``):
  its dotted columns are nested back into the flattened tweet they came from, its JSON-list columns decoded,
  its escaped newlines (``\\n``) restored.  Rows are read with :func:`unmask.ingest.bulk.load_csv`.

Referenced tweets present in the export become context posts; the users the export describes (authors, users
replied to, mentioned users) become accounts, each with an ``avatar`` media row.  Lines of user pages (``twarc2 users``,
``followers``) are account records.  A page that holds only API ``errors`` is quarantined with the API's reason;
an empty result page holds no records.

Mentions are account ids when the export has them (a username is resolved through the users at hand), else
lower-case usernames (twarc-csv keeps only ``@username``).  URL entities that link to the tweet's own media
(``media_key`` in JSON, a scheme-less ``pic.twitter.com/...`` in twarc-csv) are attachments, not shared links.
A long post's full text is ``note_tweet.text``.  A video's media row points at its preview image.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import orjson

from ...db import scalar
from ..base import Reader, Sink, register
from ..bulk import load_csv
from ..jsonl import iter_json_lines
from ..sample import Sample, take_sample
from ..sources import Source
from ..values import (
    RECORD_ERRORS, BadValue, as_list, as_object, clean, domains_of, handle_of, id_of, json_text, parse_bool, parse_int,
    parse_time, record_problem, required_id, tags_of,
)

Json = dict[str, Any]

PLATFORM = "twitter"
MEDIA_KINDS = {"photo": "image", "video": "video", "animated_gif": "video"}
PAGE_KEYS = ("includes", "meta", "__twarc", "matching_rules")
CSV_MARKERS = ("author.", "referenced_tweets.", "public_metrics.", "entities.")
CSV_JSON_COLUMNS = frozenset(
    {"entities.hashtags", "entities.mentions", "entities.urls", "attachments.media_keys", "attachments.media"}
)
CSV_REFERENCE_AUTHORS = {
    "retweeted": "retweeted_user_id", "quoted": "quoted_user_id", "replied_to": "in_reply_to_user_id",
}
CSV_CHUNK_LINES = 20_000


@register
class XApiV2(Reader):
    """X API v2 tweets: twarc2 JSON lines (response pages or flattened tweets) and twarc-csv CSV."""

    name = "x-v2"
    platform = PLATFORM
    description = "X API v2 tweets: twarc2 JSON lines (response pages or flattened tweets) or twarc-csv CSV"
    required = ("id", "text", "author_id")

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        """Sure of a twarc-csv header, a twarc2 page or a flattened v2 tweet."""
        if sample.columns:
            return 0.95 if _is_twarc_csv(sample.columns) else 0.0
        value = sample.json
        return 0.95 if isinstance(value, dict) and (_is_page(value) or _is_tweet(value)) else 0.0

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        """The CSV columns absent, or for JSON what the first line lacks to be a page or a tweet."""
        if sample.columns:
            return [name for name in cls.required if name not in sample.columns]
        return [] if cls.sniff(sample) else ["data (a twarc2 page) | id, text, author_id (a tweet)"]

    def read(self, source: Source, sink: Sink) -> None:
        """Read a twarc-csv file or twarc2 JSON lines."""
        sample = take_sample(source)
        if sample.columns:
            _read_csv(source, sample, sink)
        else:
            _read_json_lines(source, sink)


def _is_twarc_csv(columns: list[str]) -> bool:
    return all(name in columns for name in XApiV2.required) and any(c.startswith(CSV_MARKERS) for c in columns)


def _is_page(value: Json) -> bool:
    return isinstance(value.get("data"), (list, dict)) and any(key in value for key in PAGE_KEYS)


def _is_tweet(value: Json) -> bool:
    return "id" in value and "text" in value and ("author_id" in value or "author" in value) and "user" not in value


def _is_user(item: Json) -> bool:
    return "username" in item and "text" not in item


# --- reading ------------------------------------------------------------------------------------------------


def _read_json_lines(source: Source, sink: Sink) -> None:
    for line, value, problem in iter_json_lines(source):
        if problem is not None:
            sink.reject(line, problem, value)
        elif isinstance(value, dict) and "id" in value:
            _store(sink, line, value, _item_rows, value, None)
        else:
            _read_page(sink, line, value)


def _read_page(sink: Sink, line: int, page: object) -> None:
    """Each tweet (or user) of a page's ``data`` is a record; the page's ``includes`` are looked up for it."""
    data = page.get("data") if isinstance(page, dict) else None
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        reason = _why_no_data(page)
        if reason:
            sink.reject(line, reason, json_text(page))
        return
    try:
        includes = _Includes.of_page(page.get("includes"))  # type: ignore[union-attr]
    except RECORD_ERRORS as exc:
        for item in items:
            sink.reject(line, f"unreadable includes of the page: {record_problem(exc)}", json_text(item))
        return
    for item in items:
        _store(sink, line, item, _item_rows, item, includes)


def _why_no_data(value: object) -> str | None:
    """Why a line without tweets is quarantined; None for an empty result page, which holds no records."""
    if not isinstance(value, dict):
        return "not a JSON object"
    if "errors" in value:
        errors = value["errors"]
        first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
        return f"X API error response without data: {first.get('detail') or first.get('title') or errors}"
    if "data" in value:
        return "data is neither a list nor an object"
    return None if "meta" in value else "neither a tweet nor a twarc2 response page"


def _read_csv(source: Source, sample: Sample, sink: Sink) -> None:
    load_csv(sink, source, sample, "_x_v2_rows")
    for row in _table_rows(sink, "_x_v2_rows"):
        line = row.pop("_line")
        _store(sink, line, {k: v for k, v in row.items() if v}, _csv_rows, row)
    sink.con.execute("DROP TABLE _x_v2_rows")


def _table_rows(sink: Sink, table: str) -> Iterator[dict[str, Any]]:
    """The rows of a loaded CSV table in line order, fetched a chunk at a time (the sink shares the connection)."""
    last = scalar(sink.con, f"SELECT coalesce(max(_line), 0) FROM {table}")
    for start in range(0, last + 1, CSV_CHUNK_LINES):
        chunk = sink.con.execute(
            f"SELECT * FROM {table} WHERE _line >= ? AND _line < ? ORDER BY _line", [start, start + CSV_CHUNK_LINES]
        )
        names = [column[0] for column in chunk.description]
        rows = chunk.fetchall()  # all fetched before the sink uses the connection again
        yield from (dict(zip(names, row, strict=True)) for row in rows)


def _store(sink: Sink, line: int, raw: object, rows_of: Callable[..., Json], *args: Any) -> None:
    """Emit ``rows_of(*args)``, the rows of one record; or quarantine the record with the reason they could not be
    read."""
    try:
        rows = rows_of(*args)
    except RECORD_ERRORS as exc:
        sink.reject(line, record_problem(exc), json_text(raw))
        return
    sink.emit(line, **rows)


def _csv_rows(row: dict[str, Any]) -> Json:
    return _item_rows(_csv_tweet(row), None)


def _csv_tweet(row: dict[str, Any]) -> Json:
    """A twarc-csv row as the flattened tweet it was made from: dotted columns nested, JSON lists decoded."""
    tweet: Json = {}
    for column, value in row.items():
        if value:
            _nest(tweet, column.split("."), _csv_value(column, value))
    tweet["referenced_tweets"] = [
        {"type": kind, "id": row.get(f"referenced_tweets.{kind}.id"), "author_id": row.get(author_column)}
        for kind, author_column in CSV_REFERENCE_AUTHORS.items()
        if row.get(f"referenced_tweets.{kind}.id")
    ]
    if isinstance(tweet.get("text"), str):
        tweet["text"] = tweet["text"].replace("\\n", "\n")
    return tweet


def _nest(tree: Json, path: list[str], value: object) -> None:
    for part in path[:-1]:
        tree = tree.setdefault(part, {})
    tree[path[-1]] = value


def _csv_value(column: str, value: str) -> object:
    if column not in CSV_JSON_COLUMNS:
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise BadValue(f"{column} is not a JSON list: {value[:40]!r}") from exc


# --- mapping ------------------------------------------------------------------------------------------------


@dataclass
class _Includes:
    """The users, tweets and media tweets refer to, by id: a page's ``includes``, or what a flat tweet inlines."""

    users: dict[str, Json] = field(default_factory=dict)
    tweets: dict[str, Json] = field(default_factory=dict)
    media: dict[str, Json] = field(default_factory=dict)

    @classmethod
    def of_page(cls, block: object) -> _Includes:
        """The ``includes`` block of a response page."""
        block = as_object(block)
        return cls(_by(block.get("users"), "id"), _by(block.get("tweets"), "id"), _by(block.get("media"), "media_key"))

    @classmethod
    def inline(cls, tweet: Json) -> _Includes:
        """What a flattened tweet carries inside itself (twarc2 flatten, or a twarc-csv row)."""
        references = [ref for ref in as_list(tweet.get("referenced_tweets")) if isinstance(ref, dict) and "text" in ref]
        users = [
            tweet.get("author"), tweet.get("in_reply_to_user"), *(ref.get("author") for ref in references),
            *as_list(as_object(tweet.get("entities")).get("mentions")),
        ]
        media = [item for t in (tweet, *references) for item in as_list(as_object(t.get("attachments")).get("media"))]
        return cls(_by(users, "id"), _by(references, "id"), _by(media, "media_key"))

    @cached_property
    def ids_by_username(self) -> dict[str, str]:
        """User ids by lower-case username."""
        return {handle: user_id for user_id, user in self.users.items() if (handle := handle_of(user.get("username")))}

    def related_to(self, tweet: Json) -> _Includes:
        """The part of a page's includes one of its tweets refers to."""
        ref_ids = [ref_id for ref_id in _reference_ids(tweet) if ref_id in self.tweets]
        references = [self.tweets[ref_id] for ref_id in ref_ids]
        user_ids = [
            id_of(tweet.get("author_id")), id_of(tweet.get("in_reply_to_user_id")),
            *(id_of(ref.get("author_id")) for ref in references),
            *(_mention(mention, self) for mention in as_list(as_object(tweet.get("entities")).get("mentions"))),
        ]
        keys = [key for t in (tweet, *references) for key in _media_keys(t)]
        return _Includes(
            {i: self.users[i] for i in user_ids if i in self.users},
            {ref_id: self.tweets[ref_id] for ref_id in ref_ids},
            {k: self.media[k] for k in keys if k in self.media},
        )


def _item_rows(item: object, includes: _Includes | None) -> Json:
    """The rows of one record: a user, or a tweet with what it refers to."""
    item = as_object(item)
    if _is_user(item):
        return {"accounts": [_account(item)], "media": _avatar_rows(item)}
    found = includes.related_to(item) if includes is not None else _Includes.inline(item)
    references = list(found.tweets.values())
    users = list(found.users.values())
    return {
        "post": _post(item, found),
        "context_posts": [_post(ref, found) for ref in references],
        "accounts": [_account(user) for user in users],
        "media": [
            *(row for tweet in (item, *references) for row in _media_rows(tweet, found)),
            *(row for user in users for row in _avatar_rows(user)),
        ],
    }


def _post(tweet: Json, found: _Includes) -> Json:
    references = {ref.get("type"): ref for ref in as_list(tweet.get("referenced_tweets"))}
    entities = as_object(tweet.get("entities"))
    urls = _urls(entities)
    return {
        "platform": PLATFORM,
        "post_id": required_id(tweet.get("id"), "tweet id"),
        "account_id": required_id(_author_id(tweet), "author_id"),
        "created_at": parse_time(tweet.get("created_at")),
        "kind": _kind(references, tweet),
        "text": _text(tweet),
        "lang": clean(tweet.get("lang")),
        "reposted_post_id": _reference_id(references.get("retweeted")),
        "reposted_account_id": _reference_author(references.get("retweeted"), found),
        "reply_to_post_id": _reference_id(references.get("replied_to")),
        "reply_to_account_id": id_of(tweet.get("in_reply_to_user_id"))
        or _reference_author(references.get("replied_to"), found),
        "quoted_post_id": _reference_id(references.get("quoted")),
        "urls": urls,
        "domains": domains_of(urls),
        "hashtags": tags_of(t.get("tag") if isinstance(t, dict) else t for t in as_list(entities.get("hashtags"))),
        "mentions": [m for m in (_mention(mention, found) for mention in as_list(entities.get("mentions"))) if m],
        "media": _own_media_keys(tweet),
        "client": clean(tweet.get("source")),
    }


def _kind(references: dict[Any, Json], tweet: Json) -> str:
    if "retweeted" in references:
        return "repost"
    if "replied_to" in references or tweet.get("in_reply_to_user_id"):
        return "reply"
    return "quote" if "quoted" in references else "post"


def _text(tweet: Json) -> str | None:
    note = tweet.get("note_tweet")
    text = note.get("text") if isinstance(note, dict) and note.get("text") else tweet.get("text")
    if text is not None and not isinstance(text, str):
        raise BadValue(f"text is a JSON {type(text).__name__}, not a string")
    return text or None


def _urls(entities: Json) -> list[str]:
    """Expanded URLs of the URL entities, without the links to the tweet's own media."""
    urls = []
    for entry in as_list(entities.get("urls")):
        if isinstance(entry, dict):
            url = None if "media_key" in entry else clean(entry.get("expanded_url")) or clean(entry.get("url"))
        else:
            url = clean(entry)
            url = url if url and url.lower().startswith(("http://", "https://")) else None
        if url:
            urls.append(url)
    return urls


def _mention(mention: object, found: _Includes) -> str | None:
    """A mention as an account id when known, else as a lower-case username."""
    if isinstance(mention, dict):
        known, handle = id_of(mention.get("id")), handle_of(mention.get("username"))
    else:
        known, handle = None, handle_of(mention)
    return known or (found.ids_by_username.get(handle) if handle else None) or handle


def _reference_ids(tweet: Json) -> list[str]:
    return [ref_id for ref in as_list(tweet.get("referenced_tweets")) if (ref_id := id_of(as_object(ref).get("id")))]


def _reference_id(reference: Json | None) -> str | None:
    return id_of(reference.get("id")) if reference else None


def _reference_author(reference: Json | None, found: _Includes) -> str | None:
    """The author of a referenced tweet: from the tweet when the export has it, else from the reference."""
    if not reference:
        return None
    tweet = found.tweets.get(id_of(reference.get("id")) or "", reference)
    return _author_id(tweet) or id_of(reference.get("author_id"))


def _author_id(tweet: Json) -> str | None:
    return id_of(tweet.get("author_id")) or id_of(as_object(tweet.get("author")).get("id"))


def _media_keys(tweet: Json) -> list[str]:
    return [key for key in map(id_of, as_list(as_object(tweet.get("attachments")).get("media_keys"))) if key]


def _own_media_keys(tweet: Json) -> list[str]:
    """The media a tweet itself attaches: none for a retweet (twarc-csv copies the original's into it)."""
    retweet = any(as_object(ref).get("type") == "retweeted" for ref in as_list(tweet.get("referenced_tweets")))
    return [] if retweet else _media_keys(tweet)


def _media_rows(tweet: Json, found: _Includes) -> list[Json]:
    """One row per attached photo, video or GIF the export describes (a video by its preview image)."""
    rows = []
    for key in _own_media_keys(tweet):
        media = found.media.get(key, {})
        kind = MEDIA_KINDS.get(media.get("type"))
        if kind:
            rows.append({
                "platform": PLATFORM, "media_id": key, "post_id": id_of(tweet.get("id")), "kind": kind,
                "account_id": _author_id(tweet),
                "url": clean(media.get("url")) or clean(media.get("preview_image_url")),
            })
    return rows


def _account(user: Json) -> Json:
    metrics = as_object(user.get("public_metrics"))
    return {
        "platform": PLATFORM,
        "account_id": required_id(user.get("id"), "user id"),
        "handle": clean(user.get("username")),
        "display_name": clean(user.get("name")),
        "bio": clean(user.get("description")),
        "location": clean(user.get("location")),
        "created_at": parse_time(user.get("created_at")),
        "followers": parse_int(metrics.get("followers_count")),
        "following": parse_int(metrics.get("following_count")),
        "posts_count": parse_int(metrics.get("tweet_count")),
        "avatar_url": clean(user.get("profile_image_url")),
        "verified": parse_bool(user.get("verified")),
    }


def _avatar_rows(user: Json) -> list[Json]:
    url = clean(user.get("profile_image_url"))
    if not url:
        return []
    return [{"platform": PLATFORM, "media_id": url, "account_id": id_of(user.get("id")), "kind": "avatar", "url": url}]


def _by(items: object, key: str) -> dict[str, Json]:
    """Objects of a list by their ``key`` (objects without it, and other items, are left out)."""
    return {
        item_id: item for item in as_list(items) if isinstance(item, dict) and (item_id := id_of(item.get(key)))
    }
