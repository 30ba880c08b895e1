"""Telegram Desktop's JSON export (``result.json``): one chat, or a whole account (``chats.list[]``).

Every message of every chat is a record, numbered from 1 in document order (that number is its ``line``).

* ``type: message`` becomes a post: ``post_id`` = ``{chat id}/{message id}``, the account its ``from_id``
  (``user123``, ``channel456``; a channel's own posts carry the channel's id), ``display_name`` its ``from``.
  ``kind`` is ``forward`` when ``forwarded_from`` is set: ``reposted_account_id`` is ``forwarded_from_id`` when
  the export has it, else the lower-case ``forwarded_from`` name (older exports give no id), and
  ``reposted_post_id`` is the text's ``text:`` id (:func:`values.text_object_id`; the export does not name the
  original message), so forwards of one text share one object.  ``kind`` is ``reply`` when
  ``reply_to_message_id`` is set (``reply_to_post_id`` in the same chat; its author when that message is in
  the export).  Links (``link`` and ``text_link`` entities), hashtags and mentions (``@handle`` lower-case, or
  ``user{id}`` for ``mention_name``) come from ``text_entities`` (from the entities inside ``text`` in older
  exports).  ``photo`` becomes a media row of kind ``image``, a video ``file`` one of kind ``video``, with
  ``local_path`` the file resolved against the export folder (empty when the export left the file out).
* ``type: service`` (joins, pins, title changes) is a valid record the canonical tables have no place for: it
  is counted as stored without a post; its actor is kept as an account.
* Times: ``date_unixtime`` (UTC) when present; otherwise ``date``, which is the local time of the machine that
  made the export, stored as it is, because the export does not say which zone that was.

A channel chat also gives an account for the channel (``channel{id}``, named as the chat).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

import orjson

from ..base import Reader, Sink, register
from ..jsonl import load_json_document
from ..sample import Sample
from ..sources import Source
from ..values import BadValue, clean, domains_of, parse_time, text_object_id

PLATFORM = "telegram"
VIDEO_MEDIA = ("video_file", "video_message", "animation")


@register
class TelegramExport(Reader):
    """A Telegram Desktop JSON export: every message of every chat, as described in the module's documentation."""

    name = "telegram"
    platform = PLATFORM
    description = "Telegram Desktop export (result.json): one chat, or a full account (chats.list)"
    required = ("messages | chats.list",)

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        doc = sample.json
        if not isinstance(doc, dict) or sample.json_lines:
            return 0.0
        if "messages" in doc and {"type", "id"} & set(doc):
            return 0.95
        return 0.9 if {"chats", "personal_information"} & set(doc) else 0.0

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        return [] if cls.sniff(sample) > 0 else list(cls.required)

    def read(self, source: Source, sink: Sink) -> None:
        doc, problem = load_json_document(source)
        if problem:
            sink.reject(None, problem, doc)
            return
        folder = _export_folder(source)
        line = 0
        for chat in _chats(doc):
            messages = chat.get("messages") if isinstance(chat.get("messages"), list) else []
            authors = {m["id"]: m.get("from_id") for m in messages
                       if isinstance(m, dict) and isinstance(m.get("id"), int)}
            sink.context(accounts=_chat_accounts(chat))
            for message in messages:
                line += 1
                try:
                    _emit(sink, line, chat, message, authors, folder)
                except BadValue as exc:
                    sink.reject(line, str(exc), orjson.dumps(message).decode("utf-8", errors="replace"))


def _chats(doc: Any) -> Iterator[dict[str, Any]]:
    """The chats of a one-chat export (the document itself) or of a full export (``chats`` and ``left_chats``)."""
    if not isinstance(doc, dict):
        return
    if "messages" in doc:
        yield doc
        return
    for key in ("chats", "left_chats"):
        section = doc.get(key)
        chats = section.get("list") if isinstance(section, dict) else None
        for chat in chats if isinstance(chats, list) else []:
            if isinstance(chat, dict):
                yield chat


def _export_folder(source: Source) -> str:
    """The folder paths in the export are relative to: that of ``result.json`` (``archive.zip!folder`` in a zip)."""
    if source.member is not None:
        return f"{source.path}!{PurePosixPath(source.member).parent}"
    return str(source.path.resolve().parent)


def _chat_accounts(chat: dict[str, Any]) -> list[dict[str, Any]]:
    """A channel is itself an account: the one its posts come from."""
    if "channel" not in str(chat.get("type", "")) or chat.get("id") is None:
        return []
    return [{"platform": PLATFORM, "account_id": f"channel{chat['id']}", "display_name": clean(chat.get("name"))}]


def _emit(sink: Sink, line: int, chat: dict[str, Any], message: Any, authors: dict[Any, Any], folder: str) -> None:
    """Store one message: a post with its account and media, or a service message without a post."""
    if not isinstance(message, dict):
        raise BadValue("message is not a JSON object")
    if chat.get("id") is None:
        raise BadValue("chat has no id")
    if not isinstance(message.get("id"), int):
        raise BadValue("missing message id")
    kind = message.get("type", "message")
    if kind == "service":
        actor = clean(message.get("actor_id"))
        accounts = [{"platform": PLATFORM, "account_id": actor, "display_name": clean(message.get("actor"))}]
        sink.emit(line, accounts=accounts if actor else [])
        return
    if kind != "message":
        raise BadValue(f"unknown message type {str(kind)[:40]!r}")
    post = _post(chat, message, authors)
    account = {"platform": PLATFORM, "account_id": post["account_id"], "display_name": clean(message.get("from"))}
    media = _media(message, post, folder)
    sink.emit(line, post={**post, "media": [m["media_id"] for m in media] or None}, accounts=[account], media=media)


def _post(chat: dict[str, Any], message: dict[str, Any], authors: dict[Any, Any]) -> dict[str, Any]:
    """The canonical post of a message (without media)."""
    chat_id = chat["id"]
    text = _text(message.get("text"))
    urls, hashtags, mentions = _entities(message)
    forwarded = "forwarded_from" in message or "forwarded_from_id" in message
    reply_to = message.get("reply_to_message_id")
    if reply_to is not None and not isinstance(reply_to, int):
        raise BadValue(f"unreadable reply_to_message_id {str(reply_to)[:40]!r}")
    return {
        "platform": PLATFORM,
        "post_id": f"{chat_id}/{message['id']}",
        "account_id": _author(chat, message),
        "created_at": _time(message),
        "kind": "forward" if forwarded else "reply" if reply_to is not None else "post",
        "text": text,
        "reposted_post_id": text_object_id(text) if forwarded and text.strip() else None,
        "reposted_account_id": _forwarded_account(message) if forwarded else None,
        "reply_to_post_id": f"{chat_id}/{reply_to}" if reply_to is not None else None,
        "reply_to_account_id": clean(authors.get(reply_to)) if reply_to is not None else None,
        "urls": urls,
        "domains": sorted(domains_of(urls)),
        "hashtags": hashtags,
        "mentions": mentions,
    }


def _author(chat: dict[str, Any], message: dict[str, Any]) -> str:
    author = clean(message.get("from_id"))
    if author:
        return author
    if "channel" in str(chat.get("type", "")):
        return f"channel{chat['id']}"
    raise BadValue("missing from_id")


def _time(message: dict[str, Any]) -> Any:
    """UTC from ``date_unixtime``; else ``date`` as written (the exporting machine's local time)."""
    value = message.get("date_unixtime") or message.get("date")
    created = parse_time(value if isinstance(value, (str, int, float)) else None)
    if created is None:
        raise BadValue("missing date")
    return created


def _forwarded_account(message: dict[str, Any]) -> str | None:
    account = clean(message.get("forwarded_from_id"))
    if account:
        return account
    name = clean(message.get("forwarded_from"))
    return name.lower() if name else None


def _text(value: Any) -> str:
    """Plain text of ``text``: a string, or a list of strings and ``{type, text}`` entities."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in value
                       if isinstance(part, (str, dict)))
    return ""


def _entities(message: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """``(urls, hashtags, mentions)`` from ``text_entities``, or the entities inside ``text`` (older exports)."""
    entities = message.get("text_entities")
    if not isinstance(entities, list):
        entities = message.get("text") if isinstance(message.get("text"), list) else []
    urls: list[str] = []
    hashtags: list[str] = []
    mentions: list[str] = []
    for entity in entities:
        if not isinstance(entity, dict):
            continue
        kind, text = entity.get("type"), str(entity.get("text") or "")
        if kind == "link" and text:
            urls.append(text)
        elif kind == "text_link" and clean(entity.get("href")):
            urls.append(str(entity["href"]).strip())
        elif kind == "hashtag" and text.lstrip("#"):
            hashtags.append(text.lstrip("#").lower())
        elif kind == "mention" and text.lstrip("@"):
            mentions.append(text.lstrip("@").lower())
        elif kind == "mention_name":
            user = entity.get("user_id")
            mentions.append(f"user{user}" if user is not None else text.lower())
    return urls, hashtags, mentions


def _media(message: dict[str, Any], post: dict[str, Any], folder: str) -> list[dict[str, Any]]:
    """Media rows for the message's photo and video file."""
    found = []
    if isinstance(message.get("photo"), str):
        found.append(("photo", "image", message["photo"]))
    if isinstance(message.get("file"), str) and message.get("media_type") in VIDEO_MEDIA:
        found.append(("video", "video", message["file"]))
    return [
        {
            "platform": PLATFORM,
            "media_id": f"{post['post_id']}/{name}",
            "account_id": post["account_id"],
            "post_id": post["post_id"],
            "kind": kind,
            "local_path": None if path.startswith("(") else f"{folder}/{path}",
        }
        for name, kind, path in found
    ]
