"""X API v2 as twarc2 saves it: one JSON response page per line.

Each page holds up to 100 tweets in ``data``, the authors, referenced and mentioned accounts in
``includes.users``, the referenced tweets in ``includes.tweets``, then ``meta`` and twarc's ``__twarc``.
Pages follow each other in time order (a search run by twarc2 would go newest first).  Only accounts that
post or are pointed at appear, as in a real collection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import orjson

from ..events import QUOTE, REPLY, REPOST, Events
from ..ids import tco
from ..scenarios import LANGS
from ..text import token
from ..timing import iso_strings
from ..world import AVATAR_KINDS, CLIENTS, World
from . import Row, Writer, rows
from .tweets import render

PAGE = 100
TWARC_VERSION = "2.14.0"
REFERENCE_TYPES = {REPOST: "retweeted", QUOTE: "quoted", REPLY: "replied_to"}
DEFAULT_IMAGE = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"


class XV2Writer(Writer):
    """Streams pages of tweets with their expansions."""

    name = "x-v2"
    platform = "twitter"

    def __init__(self, out_dir: Path, world: World):
        super().__init__(out_dir, world)
        self.path = out_dir / f"{self.stem}_twarc2.jsonl"
        self._file = open(self.path, "wb")
        self._pending: list[tuple[dict[str, Any], list[int], dict[str, Any] | None]] = []
        self._seen = np.zeros(world.size, bool)
        self._users: dict[int, dict[str, Any]] = {}
        self._created = iso_strings(world.accounts.created_ms, "ms")
        self._clients = [CLIENTS[c] for c in world.accounts.client.tolist()]
        self._pages = 0
        start, end = iso_strings(np.array([world.start_ms, world.end_ms]), "s")
        self._url = ("https://api.twitter.com/2/tweets/search/all?expansions=author_id%2Creferenced_tweets.id%2C"
                     "entities.mentions.username%2Cin_reply_to_user_id&max_results=100"
                     f"&start_time={start}Z&end_time={end}Z")
        self._retrieved = iso_strings(np.array([world.end_ms + 86_400_000]), "s")[0] + "+00:00"

    def _account_ids(self) -> list[str]:
        return [str(uid) for uid in self.world.user_ids.tolist()]

    def present(self) -> np.ndarray:
        """Accounts that appear in some page's ``includes.users``."""
        return self._seen.copy()

    def write(self, events: Events) -> None:
        """Add tweets; full pages are written once the next page has begun."""
        created = iso_strings(events.t, "ms")
        ref_created = iso_strings(events.ref_t, "ms")
        for row, made, ref_made in zip(rows(events), created, ref_created):
            self._pending.append(self._tweet(row, made + "Z", ref_made + "Z"))
            if len(self._pending) > PAGE:
                self._flush(self._pending[:PAGE], last=False)
                del self._pending[:PAGE]
        self.posts_written += len(events)

    def close(self) -> list[Path]:
        """Write the last page and close the file."""
        if self._pending:
            self._flush(self._pending, last=True)
        self._file.close()
        return [self.path]

    def _tweet(self, row: Row, created: str,
               ref_created: str) -> tuple[dict[str, Any], list[int], dict[str, Any] | None]:
        acc, ids = self.world.accounts, self.account_ids
        kind, author, ref_author, post_id, ref_id = row.kind, row.author, row.ref_author, row.post_id, row.ref_id
        ref_handle = acc.handle[ref_author] if ref_author >= 0 else ""
        text, expanded, short = render(kind, row.text, row.urls, row.link_key, post_id, ref_handle, ref_id)
        mentioned = ([ref_author] if kind == REPOST else []) + list(row.mentions)
        tweet: dict[str, Any] = {
            "id": str(post_id), "text": text, "author_id": ids[author], "created_at": created,
            "conversation_id": str(ref_id if kind == REPLY else post_id), "lang": LANGS[row.lang],
            "source": self._clients[author],
            "public_metrics": {"retweet_count": row.reposts, "reply_count": row.replies, "like_count": row.likes,
                               "quote_count": row.quotes},
            "edit_history_tweet_ids": [str(post_id)],
        }
        entities = self._entities(text, row.hashtags, mentioned, short, expanded)
        if entities:
            tweet["entities"] = entities
        included = None
        if kind in REFERENCE_TYPES:
            tweet["referenced_tweets"] = [{"type": REFERENCE_TYPES[kind], "id": str(ref_id)}]
            included = self._referenced(row, ref_created)
        if kind == REPLY:
            tweet["in_reply_to_user_id"] = ids[ref_author]
        users = [author] + ([ref_author] if ref_author >= 0 else []) + list(row.mentions)
        return tweet, users, included

    def _referenced(self, row: Row, created: str) -> dict[str, Any]:
        """The tweet a retweet, reply or quote points at, as ``includes.tweets`` shows it."""
        if row.kind == REPOST:  # a retweet carries the original's content
            text, expanded, short = render(0, row.text, row.urls, row.link_key, row.ref_id, "", 0)
            entities = self._entities(text, row.hashtags, list(row.mentions), short, expanded)
        else:
            text, entities = row.ref_text, {}
        tweet: dict[str, Any] = {"id": str(row.ref_id), "text": text, "author_id": self.account_ids[row.ref_author],
                                 "created_at": created, "conversation_id": str(row.ref_id)}
        if entities:
            tweet["entities"] = entities
        return tweet

    def _entities(self, text: str, hashtags: tuple[str, ...], mentioned: list[int], short: list[str],
                  expanded: list[str]) -> dict[str, Any]:
        entities: dict[str, Any] = {}
        acc = self.world.accounts
        tags = []
        cursor = 0
        for tag in hashtags:
            start = text.find("#" + tag, cursor)
            if start >= 0:
                tags.append({"start": start, "end": start + len(tag) + 1, "tag": tag})
                cursor = start + len(tag) + 1
        if tags:
            entities["hashtags"] = tags
        mentions = []
        cursor = 0
        for m in mentioned:
            start = text.find("@" + acc.handle[m], cursor)
            if start >= 0:
                end = start + len(acc.handle[m]) + 1
                mentions.append({"start": start, "end": end, "username": acc.handle[m], "id": self.account_ids[m]})
                cursor = end
        if mentions:
            entities["mentions"] = mentions
        urls = []
        for link, full in zip(short, expanded):
            start = text.find(link)
            if start >= 0:
                display = full.split("://", 1)[-1]
                urls.append({"start": start, "end": start + len(link), "url": link, "expanded_url": full,
                             "display_url": display if len(display) <= 26 else display[:25] + "…"})
        if urls:
            entities["urls"] = urls
        return entities

    def _user(self, i: int) -> dict[str, Any]:
        if i not in self._users:
            acc = self.world.accounts
            uid = int(self.world.user_ids[i])
            image = DEFAULT_IMAGE
            if AVATAR_KINDS[acc.avatar[i]] != "none":
                image = f"https://pbs.twimg.com/profile_images/{uid % 10**18}/{token(uid & 0x3FFFFFFF, 8)}_normal.jpg"
            user: dict[str, Any] = {
                "id": self.account_ids[i], "name": acc.name[i], "username": acc.handle[i],
                "created_at": self._created[i] + "Z",
                "description": acc.bio[i], "profile_image_url": image,
                "public_metrics": {"followers_count": int(acc.followers[i]), "following_count": int(acc.following[i]),
                                   "tweet_count": int(acc.statuses[i]), "listed_count": int(acc.followers[i] // 400)},
                "verified": bool(acc.verified[i]), "protected": False,
            }
            if acc.location[i]:
                user["location"] = acc.location[i]
            if acc.website[i]:
                user["url"] = tco(uid, 0)
            self._users[i] = user
        return self._users[i]

    def _flush(self, page: list[tuple[dict[str, Any], list[int], dict[str, Any] | None]], last: bool) -> None:
        users = list(dict.fromkeys(u for _, us, _ in page for u in us))
        self._seen[users] = True
        referenced = list({t["id"]: t for _, _, t in page if t is not None}.values())
        ids = [int(t["id"]) for t, _, _ in page]
        meta: dict[str, Any] = {"newest_id": str(max(ids)), "oldest_id": str(min(ids)), "result_count": len(page)}
        self._pages += 1
        if not last:
            meta["next_token"] = token(self._pages * 7919 + self.world.seed, 32).lower()
        response: dict[str, Any] = {"data": [t for t, _, _ in page],
                                    "includes": {"users": [self._user(u) for u in users]}}
        if referenced:
            response["includes"]["tweets"] = referenced
        response["meta"] = meta
        response["__twarc"] = {"url": self._url, "version": TWARC_VERSION, "retrieved_at": self._retrieved}
        self._file.write(orjson.dumps(response) + b"\n")
