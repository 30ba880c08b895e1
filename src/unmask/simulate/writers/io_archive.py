"""Twitter Information Operations archive: ``*_tweets_csv_hashed.csv`` and ``*_users_csv_hashed.csv``.

As in the real releases: every field in double quotes; ``hashtags``, ``urls`` and ``user_mentions`` as
Python-list literals; ``tweet_time`` to the minute; ``is_retweet`` as ``True``/``False``; ``latitude`` and
``longitude`` ``absent``; the ids of accounts with fewer than 5,000 followers replaced by a salted SHA-256 in
base64 (44 characters), also where other tweets point at them (``retweet_userid``, ``in_reply_to_userid``,
``user_mentions``).  Real archives hold only the taken-down accounts; a simulated one holds the whole world.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..events import QUOTE, REPLY, REPOST, Events
from ..ids import io_hash, tco
from ..scenarios import LANGS
from ..timing import iso_strings
from ..world import CLIENTS, World
from . import Writer, rows
from .tweets import render

HASH_BELOW_FOLLOWERS = 5000
USER_COLUMNS = ("userid", "user_display_name", "user_screen_name", "user_reported_location",
                "user_profile_description", "user_profile_url", "follower_count", "following_count",
                "account_creation_date", "account_language")
TWEET_COLUMNS = ("tweetid", *USER_COLUMNS[:10], "tweet_language", "tweet_text", "tweet_time", "tweet_client_name",
                 "in_reply_to_userid", "in_reply_to_tweetid", "quoted_tweet_tweetid", "is_retweet", "retweet_userid",
                 "retweet_tweetid", "latitude", "longitude", "quote_count", "reply_count", "like_count",
                 "retweet_count", "hashtags", "urls", "user_mentions", "poll_choices")
_EMPTY = '"[]"'


def quote(value: str) -> str:
    """One CSV field as the releases write it: in double quotes, inner quotes doubled."""
    return '"' + value.replace('"', '""') + '"'


def csv_line(fields: tuple[str, ...] | list[str]) -> str:
    """A CSV record with every field quoted."""
    return ",".join(quote(v) for v in fields) + "\n"


class IOArchiveWriter(Writer):
    """Writes the tweets CSV as batches arrive and the users CSV at the end.

    Rows are formatted here rather than by :mod:`csv` (same bytes as ``csv.QUOTE_ALL``): the ten user fields
    repeated on every tweet are quoted once per account, which halves the time of a ten-million-row file.
    """

    name = "io-archive"
    platform = "twitter"

    def __init__(self, out_dir: Path, world: World):
        super().__init__(out_dir, world)
        self.tweets_path = out_dir / f"{self.stem}_tweets_csv_hashed.csv"
        self.users_path = out_dir / f"{self.stem}_users_csv_hashed.csv"
        self._file = open(self.tweets_path, "w", newline="", encoding="utf-8")
        self._file.write(csv_line(TWEET_COLUMNS))
        self._users = self._user_rows()
        self._user_cells = [csv_line(row)[:-1] for row in self._users]

    def _account_ids(self) -> list[str]:
        salt = hashlib.sha256(f"unmask-io-archive-{self.world.seed}".encode()).digest()
        acc = self.world.accounts
        return [io_hash(salt, str(uid)) if followers < HASH_BELOW_FOLLOWERS else str(uid)
                for uid, followers in zip(self.world.user_ids.tolist(), acc.followers.tolist())]

    def _user_rows(self) -> list[tuple[str, ...]]:
        acc = self.world.accounts
        created = iso_strings(acc.created_ms, "D")
        rows = []
        for i, uid in enumerate(self.world.user_ids.tolist()):
            url = tco(uid, 0) if acc.website[i] else ""
            rows.append((self.account_ids[i], acc.name[i], acc.handle[i], acc.location[i], acc.bio[i], url,
                         str(acc.followers[i]), str(acc.following[i]), created[i], acc.account_lang[i]))
        return rows

    def write(self, events: Events) -> None:
        """Append one tweet row per action."""
        acc, ids, cells = self.world.accounts, self.account_ids, self._user_cells
        handles, clients = acc.handle, [quote(CLIENTS[c]) for c in acc.client.tolist()]
        times = [t.replace("T", " ") for t in iso_strings(events.t, "m")]
        lines = []
        for row, time in zip(rows(events), times):
            kind, author, ref_author, ref_id = row.kind, row.author, row.ref_author, row.ref_id
            text, expanded, _ = render(kind, row.text, row.urls, row.link_key, row.post_id,
                                       handles[ref_author] if ref_author >= 0 else "", ref_id)
            mentions = [ids[m] for m in row.mentions]
            if kind == REPOST:
                mentions.insert(0, ids[ref_author])
            ref_user, ref_post = (ids[ref_author], str(ref_id)) if ref_author >= 0 else ("", "")
            reply, repost = kind == REPLY, kind == REPOST
            lines.append(
                f'"{row.post_id}",{cells[author]},"{LANGS[row.lang]}",{quote(text)},"{time}",{clients[author]},'
                f'"{ref_user if reply else ""}","{ref_post if reply else ""}","{ref_post if kind == QUOTE else ""}",'
                f'"{"True" if repost else "False"}","{ref_user if repost else ""}","{ref_post if repost else ""}",'
                f'"absent","absent","{row.quotes}","{row.replies}","{row.likes}","{row.reposts}",'
                f'{quote(repr(list(row.hashtags))) if row.hashtags else _EMPTY},'
                f'{quote(repr(expanded)) if expanded else _EMPTY},{quote(repr(mentions)) if mentions else _EMPTY},""\n'
            )
        self._file.write("".join(lines))
        self.posts_written += len(lines)

    def close(self) -> list[Path]:
        """Close the tweets file and write the users file (rows sorted by id)."""
        self._file.close()
        with open(self.users_path, "w", newline="", encoding="utf-8") as f:
            f.write(csv_line(USER_COLUMNS))
            f.writelines(csv_line(row) for row in sorted(self._users))
        return [self.tweets_path, self.users_path]
