"""Bluesky Jetstream JSON lines: one event per line, ``{did, time_us, kind: commit|identity|account, ...}``.

Every line is one record.  What it becomes:

* an ``app.bsky.feed.post`` record (created or updated) -> a post ``at://{did}/app.bsky.feed.post/{rkey}`` by the
  DID: its ``text``; facets give hashtags (``#tag``, plus the record's extra ``tags``), URLs (``#link``) and
  mentions (``#mention``, as DIDs); ``reply.parent`` makes it a reply to that URI and to the DID in it; an embedded
  post (``app.bsky.embed.record``, ``recordWithMedia``) makes it a quote; an external link card adds its URI to the
  URLs; images and a video give media rows (id: the blob's CID, so re-uploads of one file share it; URL: Bluesky's
  CDN, a video by its thumbnail); ``langs[0]`` is the language;
* an ``app.bsky.feed.repost`` record -> a repost ``at://{did}/app.bsky.feed.repost/{rkey}`` of ``subject.uri``, whose
  author is the DID in that URI;
* an ``app.bsky.actor.profile`` record -> the account: ``displayName``, ``description``, ``createdAt`` and the
  avatar (also an ``avatar`` media row);
* an ``identity`` event -> the account's handle;
* every post and repost also gives its author's account (the DID), so the accounts table lists every actor;
* anything else (likes, follows, blocks, lists and other collections, deletions, ``account`` status events) is a
  valid event the canonical tables do not hold: it is emitted without rows, so it counts as stored.

Times come from the record's ``createdAt``, which the client writes: when it is missing or unparsable a post takes
the time Jetstream saw the event (``time_us``), a profile none.  The account id is the DID.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from ..base import Reader, Sink, register
from ..jsonl import iter_json_lines
from ..sample import Sample
from ..sources import Source
from ..values import (
    RECORD_ERRORS, BadValue, as_list, as_object, clean, domains_of, id_of, json_text, parse_int, parse_time,
    record_problem, required_id, tags_of,
)

Json = dict[str, Any]

PLATFORM = "bluesky"
POST, REPOST, PROFILE = "app.bsky.feed.post", "app.bsky.feed.repost", "app.bsky.actor.profile"
FACET = "app.bsky.richtext.facet#"
EMBED_RECORD, EMBED_RECORD_WITH_MEDIA = "app.bsky.embed.record", "app.bsky.embed.recordWithMedia"
EMBED_IMAGES, EMBED_VIDEO, EMBED_EXTERNAL = "app.bsky.embed.images", "app.bsky.embed.video", "app.bsky.embed.external"
IMAGE_CDN, VIDEO_CDN = "https://cdn.bsky.app/img", "https://video.bsky.app/watch"
NO_LISTS = {"urls": [], "domains": [], "hashtags": [], "mentions": [], "media": []}


@register
class BlueskyJetstream(Reader):
    """Bluesky Jetstream events: posts, reposts, profiles and handles."""

    name = "bluesky-jetstream"
    platform = PLATFORM
    description = "Bluesky Jetstream JSON lines (commit, identity and account events)"
    required = ("did", "time_us", "kind")

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        """Sure of a first line carrying ``did``, ``time_us`` and ``kind``."""
        return 0.0 if cls.missing(sample) else 0.95

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        """The Jetstream keys the first line lacks."""
        keys = sample.json.keys() if isinstance(sample.json, dict) and not sample.columns else ()
        return [name for name in cls.required if name not in keys]

    def read(self, source: Source, sink: Sink) -> None:
        """Read every event of ``source``."""
        for line, value, problem in iter_json_lines(source):
            if problem is not None:
                sink.reject(line, problem, value)
                continue
            try:
                rows = _event_rows(value)
            except RECORD_ERRORS as exc:
                sink.reject(line, record_problem(exc), json_text(value))
                continue
            sink.emit(line, **rows)


def _event_rows(value: object) -> Json:
    event = as_object(value)
    did = required_id(event.get("did"), "did")
    kind = event.get("kind")
    if kind == "commit":
        return _commit_rows(did, as_object(event.get("commit")), event.get("time_us"))
    if kind == "identity":
        handle = clean(as_object(event.get("identity")).get("handle"))
        return {"accounts": [{"platform": PLATFORM, "account_id": did, "handle": handle}]} if handle else {}
    if kind == "account":
        return {}
    raise BadValue(f"unknown Jetstream event kind {kind!r}")


def _commit_rows(did: str, commit: Json, time_us: object) -> Json:
    operation, collection = commit.get("operation"), commit.get("collection")
    if operation == "delete":
        return {}
    if operation not in ("create", "update"):
        raise BadValue(f"unknown commit operation {operation!r}")
    record = as_object(commit.get("record"))
    if collection == POST:
        return _post_rows(did, required_id(commit.get("rkey"), "commit.rkey"), record, time_us)
    if collection == REPOST:
        return _repost_rows(did, required_id(commit.get("rkey"), "commit.rkey"), record, time_us)
    if collection == PROFILE:
        return _profile_rows(did, record)
    return {}


def _post_rows(did: str, rkey: str, record: Json, time_us: object) -> Json:
    post_id = f"at://{did}/{POST}/{rkey}"
    features = [
        as_object(feature)
        for facet in as_list(record.get("facets"))
        for feature in as_list(as_object(facet).get("features"))
    ]
    embed = as_object(record.get("embed"))
    parent = _uri(as_object(record.get("reply")).get("parent"))
    quoted = _quoted_uri(embed)
    urls = list(dict.fromkeys([*_facet_values(features, "link", "uri"), *_link_card_uri(embed)]))
    media = _media_rows(did, post_id, embed)
    langs = as_list(record.get("langs"))
    post = {
        "platform": PLATFORM,
        "post_id": post_id,
        "account_id": did,
        "created_at": _client_time(record.get("createdAt")) or _time_us(time_us),
        "kind": "reply" if parent else "quote" if quoted else "post",
        "text": _text(record),
        "lang": clean(langs[0]) if langs else None,
        "reply_to_post_id": parent,
        "reply_to_account_id": _did_in(parent),
        "quoted_post_id": quoted,
        "urls": urls,
        "domains": domains_of(urls),
        "hashtags": tags_of([*_facet_values(features, "tag", "tag"), *as_list(record.get("tags"))]),
        "mentions": _facet_values(features, "mention", "did"),
        "media": [row["media_id"] for row in media],
    }
    return {"post": post, "accounts": [_author(did)], "media": media}


def _repost_rows(did: str, rkey: str, record: Json, time_us: object) -> Json:
    subject = _uri(record.get("subject"))
    if not subject:
        raise BadValue("repost without subject.uri")
    post = {
        "platform": PLATFORM,
        "post_id": f"at://{did}/{REPOST}/{rkey}",
        "account_id": did,
        "created_at": _client_time(record.get("createdAt")) or _time_us(time_us),
        "kind": "repost",
        "reposted_post_id": subject,
        "reposted_account_id": _did_in(subject),
        **NO_LISTS,
    }
    return {"post": post, "accounts": [_author(did)]}


def _author(did: str) -> Json:
    """The account row every post and repost brings: the DID alone (profiles and identity events fill it in)."""
    return {"platform": PLATFORM, "account_id": did}


def _profile_rows(did: str, record: Json) -> Json:
    cid = _blob_cid(record.get("avatar"))
    avatar_url = f"{IMAGE_CDN}/avatar/plain/{did}/{cid}@jpeg" if cid else None
    account = {
        "platform": PLATFORM,
        "account_id": did,
        "display_name": clean(record.get("displayName")),
        "bio": clean(record.get("description")),
        "created_at": _client_time(record.get("createdAt")),
        "avatar_url": avatar_url,
    }
    media = [{"platform": PLATFORM, "media_id": cid, "account_id": did, "kind": "avatar", "url": avatar_url}]
    return {"accounts": [account], "media": media if cid else []}


def _text(record: Json) -> str | None:
    text = record.get("text")
    if text is not None and not isinstance(text, str):
        raise BadValue(f"text is a JSON {type(text).__name__}, not a string")
    return text or None


def _facet_values(features: list[Json], feature: str, key: str) -> list[str]:
    """The ``key`` of every facet feature of type ``#feature`` (``tag``, ``link`` or ``mention``)."""
    return [value for f in features if f.get("$type") == FACET + feature and (value := clean(f.get(key)))]


def _quoted_uri(embed: Json) -> str | None:
    """The post an embed quotes (feeds, lists and other embedded records are not quotes)."""
    if embed.get("$type") == EMBED_RECORD:
        reference = embed.get("record")
    elif embed.get("$type") == EMBED_RECORD_WITH_MEDIA:
        reference = as_object(embed.get("record")).get("record")
    else:
        return None
    uri = _uri(reference)
    return uri if uri and f"/{POST}/" in uri else None


def _link_card_uri(embed: Json) -> list[str]:
    if embed.get("$type") == EMBED_RECORD_WITH_MEDIA:
        embed = as_object(embed.get("media"))
    uri = clean(as_object(embed.get("external")).get("uri")) if embed.get("$type") == EMBED_EXTERNAL else None
    return [uri] if uri else []


def _media_rows(did: str, post_id: str, embed: Json) -> list[Json]:
    """A row per embedded image or video blob, on its own or next to a quoted post."""
    if embed.get("$type") == EMBED_RECORD_WITH_MEDIA:
        embed = as_object(embed.get("media"))
    if embed.get("$type") == EMBED_IMAGES:
        blobs = [("image", as_object(image).get("image")) for image in as_list(embed.get("images"))]
    elif embed.get("$type") == EMBED_VIDEO:
        blobs = [("video", embed.get("video"))]
    else:
        return []
    rows = []
    for kind, blob in blobs:
        cid = _blob_cid(blob)
        if cid:
            url = (f"{IMAGE_CDN}/feed_fullsize/plain/{did}/{cid}@jpeg" if kind == "image"
                   else f"{VIDEO_CDN}/{quote(did, safe='')}/{cid}/thumbnail.jpg")
            rows.append({"platform": PLATFORM, "media_id": cid, "account_id": did, "post_id": post_id,
                         "kind": kind, "url": url})
    return rows


def _blob_cid(blob: object) -> str | None:
    """The CID of a blob: ``ref.$link``, or ``cid`` in blobs written before the current blob format."""
    blob = as_object(blob)
    return id_of(as_object(blob.get("ref")).get("$link")) or id_of(blob.get("cid"))


def _uri(reference: object) -> str | None:
    return clean(as_object(reference).get("uri"))


def _did_in(uri: str | None) -> str | None:
    """The repository (account) of an ``at://`` URI."""
    if not uri or not uri.startswith("at://"):
        return None
    return uri[len("at://"):].split("/", 1)[0] or None


def _client_time(value: object) -> datetime | None:
    """A time written by the client; None when missing or unparsable."""
    try:
        return parse_time(value)  # type: ignore[arg-type]
    except BadValue:
        return None


def _time_us(value: object) -> datetime | None:
    micros = parse_int(value)  # type: ignore[arg-type]
    return parse_time(micros / 1_000_000) if micros is not None else None
