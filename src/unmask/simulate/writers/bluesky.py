"""Bluesky as a Jetstream consumer saves it: one JSON event per line.

The file opens with an ``identity`` event (the handle) and an ``app.bsky.actor.profile`` commit for every
account, stamped just before the window, then the ``app.bsky.feed.post`` and ``app.bsky.feed.repost``
commits in time order.  Mentions, links and hashtags are facets with UTF-8 byte offsets; replies point at
their parent by URI and CID; quotes embed the quoted record.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from ..events import QUOTE, REPLY, REPOST, Events
from ..ids import LOW_BITS, cid, did_plc, tid
from ..scenarios import LANGS
from ..timing import iso_strings
from ..world import AVATAR_KINDS, NEWS, World
from . import Row, Writer, rows

POST = "app.bsky.feed.post"
REPOST_COLLECTION = "app.bsky.feed.repost"
PROFILE = "app.bsky.actor.profile"
LINK_TEXT = 26  # links show as their host and path, cut with an ellipsis
RELAY_LAG_US = 400_000  # Jetstream sees a record a moment after its creation


class BlueskyWriter(Writer):
    """Streams Jetstream events."""

    name = "bluesky"
    platform = "bluesky"

    def __init__(self, out_dir: Path, world: World):
        super().__init__(out_dir, world)
        self.path = out_dir / f"{self.stem}_jetstream.jsonl"
        self.handles = [self._handle(i) for i in range(world.size)]
        self._file = open(self.path, "wb")
        self._profiles_written = False
        self._last_us = 0

    def _account_ids(self) -> list[str]:
        salt = hashlib.sha256(f"unmask-bluesky-{self.world.seed}".encode()).digest()
        return [did_plc(salt, i) for i in range(self.world.size)]

    def _handle(self, i: int) -> str:
        acc = self.world.accounts
        if acc.kind[i] == NEWS:  # outlets verify their own domain as handle
            return acc.website[i].split("://", 1)[-1].removeprefix("www.")
        return acc.handle[i].lower().replace("_", "-").strip("-") + ".bsky.social"

    def _write_profiles(self) -> None:
        """Identity and profile events of every account, just before the window (after older history)."""
        self._profiles_written = True
        acc = self.world.accounts
        created = iso_strings(acc.created_ms, "ms")
        order = sorted(range(self.world.size), key=lambda i: self.account_ids[i])
        base_ms = self.world.start_ms - 3_600_000
        stamps = iso_strings(base_ms + 2 * np.arange(len(order)), "ms")
        for k, i in enumerate(order):
            did, time_us, stamp = self.account_ids[i], (base_ms + 2 * k) * 1000, stamps[k] + "Z"
            identity = {"did": did, "time_us": time_us, "kind": "identity",
                        "identity": {"did": did, "handle": self.handles[i], "seq": 1_000_000 + k, "time": stamp}}
            record: dict[str, Any] = {"$type": PROFILE, "displayName": acc.name[i], "description": acc.bio[i],
                                      "createdAt": created[i] + "Z"}
            avatar = AVATAR_KINDS[acc.avatar[i]]
            if avatar != "none":
                record["avatar"] = {"$type": "blob", "ref": {"$link": cid(f"{did}/avatar")},
                                    "mimeType": "image/png" if avatar == "cartoon" else "image/jpeg",
                                    "size": 20_000 + (k * 7919) % 40_000}
            profile = self._commit(did, time_us + 1000, PROFILE, "self", record, tid(time_us + 1000, k))
            self._file.write(orjson.dumps(identity) + b"\n" + orjson.dumps(profile) + b"\n")
            self._last_us = max(self._last_us, time_us + 1000)

    @staticmethod
    def _commit(did: str, time_us: int, collection: str, rkey: str, record: dict[str, Any], rev: str) -> dict[str, Any]:
        return {"did": did, "time_us": time_us, "kind": "commit",
                "commit": {"rev": rev, "operation": "create", "collection": collection, "rkey": rkey, "record": record,
                           "cid": cid(f"at://{did}/{collection}/{rkey}")}}

    @staticmethod
    def _record_key(post_id: int, t_ms: int) -> tuple[int, str]:
        """A post's creation time in microseconds and its record key (a TID of that time)."""
        low = post_id & LOW_BITS
        micros = t_ms * 1000 + low % 1000
        return micros, tid(micros, low >> 12)

    def _uri(self, author: int, post_id: int, t_ms: int) -> tuple[str, str]:
        _, rkey = self._record_key(post_id, t_ms)
        uri = f"at://{self.account_ids[author]}/{POST}/{rkey}"
        return uri, cid(uri)

    def write(self, events: Events) -> None:
        """One commit event per post or repost."""
        if not self._profiles_written and len(events) and events.t[-1] >= self.world.start_ms:
            self._write_profiles()
        created = iso_strings(events.t, "ms")
        lines = []
        for row, made in zip(rows(events), created):
            micros, rkey = self._record_key(row.post_id, row.t)
            time_us = self._last_us = max(self._last_us + 1, micros + RELAY_LAG_US)
            if row.kind == REPOST:
                uri, ref_cid = self._uri(row.ref_author, row.ref_id, row.ref_t)
                record: dict[str, Any] = {"$type": REPOST_COLLECTION, "subject": {"uri": uri, "cid": ref_cid},
                                          "createdAt": made + "Z"}
                collection = REPOST_COLLECTION
            else:
                record, collection = self._post(row, made + "Z"), POST
            did = self.account_ids[row.author]
            commit = self._commit(did, time_us, collection, rkey, record, tid(time_us, row.author))
            lines.append(orjson.dumps(commit))
        if lines:
            self._file.write(b"\n".join(lines) + b"\n")
        self.posts_written += len(events)

    def _post(self, row: Row, created: str) -> dict[str, Any]:
        acc = self.world.accounts
        text = row.text
        for m in row.mentions:
            text = text.replace("@" + acc.handle[m], "@" + self.handles[m], 1)
        shown = []
        for url in row.urls:
            host_path = url.split("://", 1)[-1]
            shown.append(host_path if len(host_path) <= LINK_TEXT else host_path[: LINK_TEXT - 1] + "…")
        text = text + "".join(" " + s for s in shown)
        record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": created, "langs": [LANGS[row.lang]]}
        facets = self._facets(text, row.hashtags, row.mentions, shown, row.urls)
        if facets:
            record["facets"] = facets
        if row.kind in (REPLY, QUOTE):
            uri, parent_cid = self._uri(row.ref_author, row.ref_id, row.ref_t)
            ref = {"uri": uri, "cid": parent_cid}
            if row.kind == REPLY:
                record["reply"] = {"root": ref, "parent": ref}
            else:
                record["embed"] = {"$type": "app.bsky.embed.record", "record": ref}
        return record

    def _facets(self, text: str, hashtags: tuple[str, ...], mentions: tuple[int, ...], shown: list[str],
                urls: tuple[str, ...]) -> list[dict[str, Any]]:
        data = text.encode()
        facets = []

        def add(needle: str, feature: dict[str, Any], cursor: int) -> int:
            raw = needle.encode()
            start = data.find(raw, cursor)
            if start < 0:
                return cursor
            facets.append({"index": {"byteStart": start, "byteEnd": start + len(raw)}, "features": [feature]})
            return start + len(raw)

        cursor = 0
        for m in mentions:
            mention = {"$type": "app.bsky.richtext.facet#mention", "did": self.account_ids[m]}
            cursor = add("@" + self.handles[m], mention, cursor)
        cursor = 0
        for tag in hashtags:
            cursor = add("#" + tag, {"$type": "app.bsky.richtext.facet#tag", "tag": tag}, cursor)
        cursor = 0
        for label, url in zip(shown, urls):
            cursor = add(label, {"$type": "app.bsky.richtext.facet#link", "uri": url}, cursor)
        facets.sort(key=lambda f: f["index"]["byteStart"])
        return facets

    def close(self) -> list[Path]:
        """Close the file (after the profiles, should the window hold no post)."""
        if not self._profiles_written:
            self._write_profiles()
        self._file.close()
        return [self.path]
