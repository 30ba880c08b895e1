"""Mastodon statuses as the REST API returns them: a JSON array (``/api/v1/accounts/:id/statuses``, timelines,
search results) or JSON lines of statuses.  Servers that speak the same API (Pleroma, Akkoma, GoToSocial) read alike.

Ids.  Every ``id`` in the API is local to the server that answered (the same status or account has another id on
each server), so those ids cannot join exports made on two servers.  Instead:

* a post's id is the status ``uri``, its ActivityPub id, the same everywhere;
* an account's id is its address ``username@domain`` in lower case: ``acct``, which names the domain of remote
  accounts, completed for local ones with the host of the account's ``url``; mentions are completed the same way;
  the handle is ``username``;
* the local ids a status points with (``in_reply_to_id``, ``in_reply_to_account_id``, a shallow quote's
  ``quoted_status_id``) are translated through every status, account and mention of the same file, and kept as the
  local id when the file does not hold their target.

A status with ``reblog`` is a repost; the reblogged status is a context post.  ``quote`` (Mastodon 4.4: a state and
``quoted_status`` or ``quoted_status_id``; some servers give the quoted status itself) makes a quote.  ``content`` is
HTML: its text is the post text and its links, except mention and hashtag links, the URLs.  ``tags[].name`` are the
hashtags, ``application.name`` the client (present for the answering server's own statuses only).  Images, GIFs
and videos give media rows (a GIF or video by its preview image; audio is left out); ``account.avatar`` an
``avatar`` row.  ``account.bot`` and ``spoiler_text`` have no canonical column and are not kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from ..base import Reader, Sink, register
from ..jsonl import iter_json_lines, load_json_document
from ..sample import Sample, take_sample
from ..sources import Source
from ..values import (
    RECORD_ERRORS, BadValue, as_list, as_object, clean, domains_of, id_of, json_text, parse_int, parse_time,
    record_problem, required_id, strip_html, tags_of,
)

Json = dict[str, Any]
Record = tuple[int | None, Any, str | None]

PLATFORM = "mastodon"
MEDIA_KINDS = {"image": "image", "gifv": "video", "video": "video"}


@register
class MastodonStatuses(Reader):
    """Mastodon API statuses (a JSON array or JSON lines)."""

    name = "mastodon"
    platform = PLATFORM
    description = "Mastodon API statuses: a JSON array or JSON lines of statuses"
    required = ("uri", "content", "account.acct")

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        """Sure of a first status with ``uri``, ``content`` and an ``account`` that has an ``acct``."""
        return 0.0 if cls.missing(sample) else 0.95

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        """The status fields the first record lacks."""
        status = sample.json if isinstance(sample.json, dict) and not sample.columns else {}
        account = status.get("account")
        present = {*status, *(f"account.{key}" for key in account)} if isinstance(account, dict) else set(status)
        return [name for name in cls.required if name not in present]

    def read(self, source: Source, sink: Sink) -> None:
        """Read every status of ``source``, translating local ids through the whole file first."""
        if take_sample(source).json_lines:
            local = _LocalIds.of(value for _, value, problem in iter_json_lines(source) if problem is None)
            records: Iterable[Record] = iter_json_lines(source)
        else:
            records = list(_document_records(source))
            local = _LocalIds.of(value for _, value, problem in records if problem is None)
        for line, value, problem in records:
            if problem is not None:
                sink.reject(line, problem, value)
                continue
            try:
                rows = _status_rows(value, local)
            except RECORD_ERRORS as exc:
                sink.reject(line, record_problem(exc), json_text(value))
                continue
            sink.emit(line, **rows)


def _document_records(source: Source) -> Iterator[Record]:
    """The statuses of a JSON document, numbered from 1: the elements of an array, or the one status it is."""
    value, problem = load_json_document(source)
    if problem is not None:
        yield None, value, problem
    elif isinstance(value, list):
        yield from ((number, status, None) for number, status in enumerate(value, start=1))
    else:
        yield 1, value, None


@dataclass
class _LocalIds:
    """The answering server's local ids of statuses and accounts, with the global ids they stand for."""

    statuses: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, values: Iterable[object]) -> _LocalIds:
        """Collect the ids of every status, embedded status, account and mention (records of the wrong shape are
        skipped here and quarantined when read)."""
        ids = cls()
        for value in values:
            try:
                ids._add(value)
            except RECORD_ERRORS:
                continue
        return ids

    def _add(self, value: object) -> None:
        for status in (as_object(value), *_embedded(as_object(value))):
            self._put(self.statuses, status.get("id"), clean(status.get("uri")))
            account = as_object(status.get("account"))
            self._put(self.accounts, account.get("id"), _address(account.get("acct"), account.get("url")))
            for mention in map(as_object, as_list(status.get("mentions"))):
                self._put(self.accounts, mention.get("id"), _address(mention.get("acct"), mention.get("url")))

    @staticmethod
    def _put(table: dict[str, str], local_id: object, global_id: str | None) -> None:
        key = id_of(local_id)
        if key and global_id:
            table[key] = global_id

    def status(self, local_id: object) -> str | None:
        """The uri of a status given by local id; the local id itself when the file does not hold it."""
        key = id_of(local_id)
        return self.statuses.get(key, key) if key else None

    def account(self, local_id: object) -> str | None:
        """The address of an account given by local id; the local id itself when the file does not hold it."""
        key = id_of(local_id)
        return self.accounts.get(key, key) if key else None


def _status_rows(value: object, local: _LocalIds) -> Json:
    status = as_object(value)
    post, accounts, media = _status(status, local)
    context_posts = []
    for embedded in _embedded(status):
        embedded_post, embedded_accounts, embedded_media = _status(embedded, local)
        context_posts.append(embedded_post)
        accounts += embedded_accounts
        media += embedded_media
    return {"post": post, "context_posts": context_posts, "accounts": accounts, "media": media}


def _embedded(status: Json) -> list[Json]:
    """The statuses a status embeds (the reblogged and the quoted one), and the ones those embed."""
    found: list[Json] = []
    pending = [status]
    while pending:
        current = pending.pop()
        for inner in (current.get("reblog"), _quoted_status(current)):
            if inner is not None:
                found.append(as_object(inner))
                pending.append(as_object(inner))
    return found


def _quoted_status(status: Json) -> object:
    """The quoted status when the status embeds it: Mastodon's ``quote.quoted_status``, or ``quote`` itself on
    servers that put the status there."""
    quote = as_object(status.get("quote"))
    if "state" in quote:
        return quote.get("quoted_status")
    return quote if "uri" in quote else None


def _status(status: Json, local: _LocalIds) -> tuple[Json, list[Json], list[Json]]:
    """One status's post, its author's account, and its media and avatar rows."""
    account = _account(as_object(status.get("account")))
    post_id = required_id(status.get("uri"), "uri")
    reblog = status.get("reblog")
    quoted = _quoted_id(status, local)
    urls = _links(status.get("content"))
    media = _media_rows(status, account["account_id"], post_id)
    post = {
        "platform": PLATFORM,
        "post_id": post_id,
        "account_id": account["account_id"],
        "created_at": parse_time(status.get("created_at")),
        "kind": "repost" if reblog else "reply" if status.get("in_reply_to_id") else "quote" if quoted else "post",
        "text": strip_html(_html(status.get("content"))) or None,
        "lang": clean(status.get("language")),
        "reposted_post_id": required_id(as_object(reblog).get("uri"), "reblog.uri") if reblog else None,
        "reposted_account_id": _account_id(as_object(as_object(reblog).get("account"))) if reblog else None,
        "reply_to_post_id": local.status(status.get("in_reply_to_id")),
        "reply_to_account_id": local.account(status.get("in_reply_to_account_id")),
        "quoted_post_id": quoted,
        "urls": urls,
        "domains": domains_of(urls),
        "hashtags": tags_of(as_object(tag).get("name") for tag in as_list(status.get("tags"))),
        "mentions": [
            _address(m.get("acct"), m.get("url"), "mention") for m in map(as_object, as_list(status.get("mentions")))
        ],
        "media": [row["media_id"] for row in media],
        "client": clean(as_object(status.get("application")).get("name")),
    }
    return post, [account], [*media, *_avatar_rows(account)]


def _quoted_id(status: Json, local: _LocalIds) -> str | None:
    quoted = _quoted_status(status)
    if quoted is not None:
        return required_id(as_object(quoted).get("uri"), "quote uri")
    return local.status(as_object(status.get("quote")).get("quoted_status_id"))


def _media_rows(status: Json, account_id: str, post_id: str) -> list[Json]:
    rows = []
    for attachment in map(as_object, as_list(status.get("media_attachments"))):
        kind, media_id = MEDIA_KINDS.get(attachment.get("type")), id_of(attachment.get("id"))
        if kind and media_id:
            shown = ("url", "remote_url") if kind == "image" else ("preview_url", "url")
            url = next((found for key in shown if (found := clean(attachment.get(key)))), None)
            rows.append({"platform": PLATFORM, "media_id": media_id, "account_id": account_id, "post_id": post_id,
                         "kind": kind, "url": url})
    return rows


def _account(account: Json) -> Json:
    return {
        "platform": PLATFORM,
        "account_id": _account_id(account),
        "handle": clean(account.get("username")),
        "display_name": clean(account.get("display_name")),
        "bio": strip_html(_html(account.get("note"))) or None,
        "created_at": parse_time(account.get("created_at")),
        "followers": parse_int(account.get("followers_count")),
        "following": parse_int(account.get("following_count")),
        "posts_count": parse_int(account.get("statuses_count")),
        "avatar_url": clean(account.get("avatar")),
    }


def _avatar_rows(account: Json) -> list[Json]:
    url = account["avatar_url"]
    if not url:
        return []
    return [{"platform": PLATFORM, "media_id": url, "account_id": account["account_id"], "kind": "avatar", "url": url}]


def _account_id(account: Json) -> str:
    return _address(account.get("acct"), account.get("url"), "account")


def _address(acct: object, url: object, what: str = "account") -> str:
    """``username@domain`` in lower case: ``acct`` when it names the domain, else completed with the host of ``url``."""
    name = required_id(acct, f"{what}.acct").lstrip("@")
    if "@" not in name:
        host = urlsplit(clean(url) or "").hostname
        if not host:
            raise BadValue(f"{what}.acct {name!r} names no domain and {what}.url no host")
        name = f"{name}@{host}"
    return name.lower()


def _html(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise BadValue(f"HTML field is a JSON {type(value).__name__}, not a string")
    return value


def _links(content: object) -> list[str]:
    """The targets of the links in a status's HTML, without mention and hashtag links, each once."""
    parser = _LinkParser()
    parser.feed(_html(content) or "")
    parser.close()
    return list(dict.fromkeys(parser.urls))


class _LinkParser(HTMLParser):
    """Collects ``<a href>`` targets that are web links and not mentions or hashtags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep the target of an ``<a>`` that is neither a mention nor a hashtag."""
        if tag != "a":
            return
        found = dict(attrs)
        href = clean(found.get("href"))
        if not href or not href.lower().startswith(("http://", "https://")):
            return
        classes, rel = (found.get("class") or "").split(), (found.get("rel") or "").split()
        if "mention" not in classes and "hashtag" not in classes and "tag" not in rel:
            self.urls.append(href)
