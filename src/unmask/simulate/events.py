"""A batch of simulated actions (posts, reposts, replies, quotes) as numpy columns.

Texts are stored the way Twitter shows them (mentions as ``@screen_name``) but without links: each writer
renders the links in its platform's style.  A repost carries the content of the post it reposts, so writers
never look anything up.  Object columns hold ``str`` and tuples, shared (not copied) between a post and its
reposts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .ids import IdMint

POST, REPOST, REPLY, QUOTE = 0, 1, 2, 3  # the canonical post kinds of the same names


def objects(values: Any, n: int | None = None) -> np.ndarray:
    """A 1-d object array of ``values`` (a list, or one value repeated ``n`` times); tuples stay elements."""
    if n is not None:
        out = np.empty(n, dtype=object)
        out.fill(values)
        return out
    values = list(values)
    return np.fromiter(values, dtype=object, count=len(values))


@dataclass
class Events:
    """Columns of one batch of actions; every column has the same length."""

    t: np.ndarray  # int64, ms since the epoch, UTC
    post_id: np.ndarray  # int64 snowflake
    author: np.ndarray  # int32 account index
    kind: np.ndarray  # int8, one of POST, REPOST, REPLY, QUOTE
    lang: np.ndarray  # int8 index into scenarios.LANGS
    text: np.ndarray  # object: str
    hashtags: np.ndarray  # object: tuple[str, ...] as written in the text, without '#'
    urls: np.ndarray  # object: tuple[str, ...] expanded URLs
    mentions: np.ndarray  # object: tuple[int, ...] indices of the accounts mentioned in the text
    ref_id: np.ndarray  # int64 reposted / replied-to / quoted post, 0 for none
    ref_author: np.ndarray  # int32, -1 for none
    ref_t: np.ndarray  # int64 time of the referenced post
    ref_text: np.ndarray  # object: text of the referenced post, or None
    link_key: np.ndarray  # int64 post whose short links the text shows (the original, for a repost)
    reposts: np.ndarray  # int32 engagement counts, filled in for originals
    replies: np.ndarray
    quotes: np.ndarray
    likes: np.ndarray

    def __len__(self) -> int:
        return len(self.t)

    @classmethod
    def empty(cls) -> Events:
        """A batch with no rows."""
        return cls.posts(IdMint(), np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int8), [], [], [], [])

    @classmethod
    def posts(
        cls,
        mint: IdMint,
        t: np.ndarray,
        author: np.ndarray,
        lang: np.ndarray,
        text: list[str],
        hashtags: list[tuple[str, ...]],
        urls: list[tuple[str, ...]],
        mentions: list[tuple[int, ...]],
        kind: int = POST,
        parents: Events | None = None,
        parent_idx: np.ndarray | None = None,
    ) -> Events:
        """Original posts, or replies / quotes (``kind``) to ``parents[parent_idx]``, with their own text."""
        n = len(t)
        t = np.asarray(t, dtype=np.int64)
        ids = mint.mint(t)
        ref = _references(n, parents, parent_idx)
        zeros = np.zeros(n, np.int32)
        return cls(
            t=t, post_id=ids, author=np.asarray(author, np.int32), kind=np.full(n, kind, np.int8),
            lang=np.asarray(lang, np.int8), text=objects(text), hashtags=objects(hashtags), urls=objects(urls),
            mentions=objects(mentions), **ref, link_key=ids, reposts=zeros, replies=zeros.copy(),
            quotes=zeros.copy(), likes=zeros.copy(),
        )

    @classmethod
    def reposts_of(cls, mint: IdMint, parents: Events, idx: np.ndarray, t: np.ndarray, author: np.ndarray) -> Events:
        """Reposts of ``parents[idx]`` by ``author`` at ``t``: they carry the parents' content."""
        n = len(t)
        t = np.asarray(t, dtype=np.int64)
        zeros = np.zeros(n, np.int32)
        return cls(
            t=t, post_id=mint.mint(t), author=np.asarray(author, np.int32), kind=np.full(n, REPOST, np.int8),
            lang=parents.lang[idx], text=parents.text[idx], hashtags=parents.hashtags[idx], urls=parents.urls[idx],
            mentions=parents.mentions[idx], **_references(n, parents, idx), link_key=parents.link_key[idx],
            reposts=zeros, replies=zeros.copy(), quotes=zeros.copy(), likes=zeros.copy(),
        )

    @classmethod
    def concat(cls, parts: list[Events]) -> Events:
        """One batch holding every row of ``parts`` in order."""
        parts = [p for p in parts if len(p)] or [cls.empty()]
        return cls(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)})

    def take(self, index: np.ndarray) -> Events:
        """The rows selected by an index array or boolean mask."""
        return Events(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def in_time_order(self) -> Events:
        """The rows sorted by time, then id."""
        return self.take(np.lexsort((self.post_id, self.t)))

    def count_engagement(self, reactions: Events) -> None:
        """Set reposts / replies / quotes of these posts from the rows of ``reactions`` that point at them."""
        order = np.argsort(self.post_id)
        sorted_ids = self.post_id[order]
        for kind, column in ((REPOST, self.reposts), (REPLY, self.replies), (QUOTE, self.quotes)):
            refs = reactions.ref_id[reactions.kind == kind]
            pos = np.searchsorted(sorted_ids, refs)
            pos = pos[(pos < len(sorted_ids)) & (sorted_ids[np.minimum(pos, len(sorted_ids) - 1)] == refs)]
            np.add.at(column, order[pos], 1)


def _references(n: int, parents: Events | None, idx: np.ndarray | None) -> dict[str, np.ndarray]:
    if parents is None or idx is None:
        return {"ref_id": np.zeros(n, np.int64), "ref_author": np.full(n, -1, np.int32),
                "ref_t": np.zeros(n, np.int64), "ref_text": objects(None, n)}
    return {"ref_id": parents.post_id[idx], "ref_author": parents.author[idx], "ref_t": parents.t[idx],
            "ref_text": parents.text[idx]}
