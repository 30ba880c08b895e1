"""The QUT coordination-network-toolkit's CSV input.

Columns: ``message_id, user_id, username, repost_id, reply_id, message, timestamp, urls``.  ``timestamp`` is
seconds, fractions allowed; the toolkit only needs them consistent, so small values (``0``, ``59``) are read
as seconds after 1970-01-01 UTC.  ``urls`` is space-separated as the toolkit documents, or a list literal as
its own fixtures write it.  The format names no platform: posts and accounts get platform ``unknown``.

A row with ``repost_id`` is a ``repost`` of that message, one with ``reply_id`` a ``reply``, else a ``post``;
when the reposted or replied-to message is in the file, its author fills ``reposted_account_id`` /
``reply_to_account_id``.  Hashtags and mentions (lower-case handles) come from ``message``.
"""

from __future__ import annotations

from ..base import Reader, Sink, register
from ..bulk import (
    col,
    reject_problems,
    sql_any_list,
    sql_domains,
    sql_epoch,
    sql_hashtags_in,
    sql_list_ok,
    sql_mentions_in,
    table_rows,
)
from ..sample import Sample, take_sample
from ..sources import Source

COLUMNS = ("message_id", "user_id", "username", "repost_id", "reply_id", "message", "timestamp", "urls")


@register
class QUTMessages(Reader):
    """The QUT toolkit's message CSV: posts, reposts and replies with their links."""

    name = "qut"
    platform = "unknown"
    description = "QUT coordination-network-toolkit CSV (message_id, user_id, ..., timestamp in seconds, urls)"
    required = ("message_id", "user_id", "message", "timestamp")

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        return 0.95 if sample.has_columns(*COLUMNS) else 0.0

    def read(self, source: Source, sink: Sink) -> None:
        sample = take_sample(source)
        with table_rows(sink, source, sample, "_qut_file"):
            sink.con.execute(f"CREATE OR REPLACE TEMP TABLE _qut_rows AS {_rows_sql(sample)}")
        reject_problems(sink, "_qut_rows")
        sink.con.execute("CREATE OR REPLACE TEMP VIEW _qut_good AS SELECT * FROM _qut_rows WHERE _problem IS NULL")
        sink.stage_sql("posts", _posts_sql())
        sink.stage_sql(
            "accounts",
            "SELECT 'unknown' AS platform, user_id AS account_id, arg_max(username, created_at) AS handle "
            "FROM _qut_good GROUP BY user_id ORDER BY user_id",
            primary=False,
        )
        sink.con.execute("DROP VIEW _qut_good; DROP TABLE _qut_rows")


def _rows_sql(sample: Sample) -> str:
    """The rows with typed values and the first thing wrong with each (NULL for a good row)."""
    c = lambda name: col(sample, name)  # noqa: E731
    return f"""
        SELECT {c('message_id')} AS message_id, {c('user_id')} AS user_id, {c('username')} AS username,
               {c('repost_id')} AS repost_id, {c('reply_id')} AS reply_id, message,
               {sql_epoch(c('timestamp'))} AS created_at, {sql_any_list(c('urls'))} AS urls, _line,
               CASE WHEN {c('message_id')} IS NULL THEN 'missing message_id'
                    WHEN {c('user_id')} IS NULL THEN 'missing user_id'
                    WHEN {sql_epoch(c('timestamp'))} IS NULL
                    THEN 'unparsable timestamp ' || coalesce({c('timestamp')}, '(empty)')
                    WHEN starts_with({c('urls')}, '[') AND NOT {sql_list_ok(c('urls'))}
                    THEN 'unparsable list in urls' END AS _problem,
               concat_ws(',', message_id, user_id, timestamp, message) AS _raw
        FROM _qut_file
    """


def _posts_sql() -> str:
    """Canonical posts, with the authors of reposted and replied-to messages found in the file."""
    return f"""
        SELECT 'unknown' AS platform, m.message_id AS post_id, m.user_id AS account_id, m.created_at,
               CASE WHEN m.repost_id IS NOT NULL THEN 'repost' WHEN m.reply_id IS NOT NULL THEN 'reply'
                    ELSE 'post' END AS kind,
               m.message AS text, m.repost_id AS reposted_post_id, reposted.user_id AS reposted_account_id,
               m.reply_id AS reply_to_post_id, replied.user_id AS reply_to_account_id,
               m.urls, {sql_domains('m.urls')} AS domains, {sql_hashtags_in('m.message')} AS hashtags,
               {sql_mentions_in('m.message')} AS mentions, m._line AS source_line
        FROM _qut_good m
        LEFT JOIN (SELECT message_id, min(user_id) AS user_id FROM _qut_good GROUP BY message_id) reposted
               ON reposted.message_id = m.repost_id
        LEFT JOIN (SELECT message_id, min(user_id) AS user_id FROM _qut_good GROUP BY message_id) replied
               ON replied.message_id = m.reply_id
        ORDER BY m._line
    """
