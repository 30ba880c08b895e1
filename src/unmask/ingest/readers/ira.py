"""FiveThirtyEight / Clemson Internet Research Agency tweets: the CSV release and the same data as Parquet.

CSV columns: ``external_author_id, author, content, region, language, publish_date ("10/1/2017 19:58"),
harvested_date, following, followers, updates, post_type, account_type, retweet, account_category,
new_june_2018, alt_external_id, tweet_id, article_url, tco1_step1, tco2_step1, tco3_step1``.  The Parquet copy
names the handle ``author_id``, types ``publish_date`` as a timestamp and has no ``tweet_id``, no
``alt_external_id`` and no URL columns.  Timestamps are taken as UTC (the release gives minutes, no zone).

How rows map:

* **Accounts**: ``account_id`` is the lower-case ``author`` handle, ``handle`` the handle as written.  The
  ``external_author_id`` is not used: the release rounded many ids through a float (``906000000000000000``),
  so 417 of the 2,839 accounts share one of 46 ids with others; one rule for every file keeps the
  CSV, the Parquet and any slice of them on the same ids.  ``followers``, ``following`` and ``posts_count``
  (``updates``) are the values at the account's latest tweet; ``lang`` its most frequent tweet language.
* **Posts**: ``post_id`` is ``tweet_id`` when the row has one; otherwise the MD5 of (lower-case author,
  ``publish_date`` as ``YYYY-MM-DD HH:MM:SS``, ``content``), with ``-2``, ``-3``, ... appended to the second and
  later exact repeats in file order (the Parquet holds 22,945 such repeats).  ``language`` names become ISO
  codes.  ``kind`` is ``quote`` for ``post_type`` Q / QUOTE_TWEET, ``repost`` for ``retweet = 1``, R / RETWEET
  or a text starting ``RT @handle``, else ``post``.
* **Retweets**: ``reposted_account_id`` is the lower-case handle after ``RT @`` (which is also the account id
  when that account is in the data); ``reposted_post_id`` is the original tweet when the data holds it (that
  handle's earliest non-retweet whose text equals the text after the ``RT @handle:`` prefix, compared lower-case
  with blanks collapsed), else ``text:`` + MD5 of that normalised text (:func:`values.text_object_id`), so that
  retweets of one text share one object.  Most retweets in the release carry the original's text without the
  prefix: their original author is unknown and ``reposted_account_id`` stays empty.
* **Links, tags, mentions**: ``urls`` are the expanded ``tco1_step1..tco3_step1`` when present, else the links
  in the text (the Parquet only has ``t.co`` links, so its ``domains`` are ``t.co``); hashtags and mentions
  (lower-case handles) come from the text.

The labels (``account_category``, ``account_type``, ``region``, ``new_june_2018``) are research coding, not
canonical fields: they stay out of the workspace; evaluations read them from the release itself.
"""

from __future__ import annotations

from ..base import Reader, Sink, register
from ..bulk import (
    col,
    reject_problems,
    sql_digest,
    sql_domains,
    sql_hashtags_in,
    sql_int,
    sql_language,
    sql_mentions_in,
    sql_most_common,
    sql_str,
    sql_text_object_id,
    sql_time,
    sql_urls_in,
    sql_with_ordinal,
    table_rows,
)
from ..sample import Sample, take_sample
from ..sources import Source

TEXT_COLUMNS = (
    "author", "content", "language", "publish_date", "following", "followers", "updates", "post_type",
    "retweet", "tweet_id", "tco1_step1", "tco2_step1", "tco3_step1",
)
RT_PREFIX = r"^RT @([A-Za-z0-9_]{1,15}):?\s*(.*)$"
CHUNK_ROWS = 500_000
"""Posts are staged in slices of this many rows: one INSERT holds its rows in memory until it ends."""


def _author_column(sample: Sample) -> str | None:
    return next((name for name in ("author", "author_id") if name in sample.columns), None)


@register
class IRATweets(Reader):
    """The IRA tweets release, CSV or Parquet: see the module's documentation for how rows map."""

    name = "ira-tweets"
    platform = "twitter"
    description = "FiveThirtyEight / Clemson IRA tweets (CSV release, or the same columns as Parquet)"
    required = ("author | author_id", "content", "publish_date")

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        if cls.missing(sample):
            return 0.0
        markers = {"account_category", "external_author_id", "harvested_date", "retweet"} & set(sample.columns)
        return 0.9 if len(markers) >= 2 else 0.0

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        needed = [] if _author_column(sample) else ["author | author_id"]
        return needed + [c for c in ("content", "publish_date") if c not in sample.columns]

    def read(self, source: Source, sink: Sink) -> None:
        sample = take_sample(source)
        con = sink.con
        with table_rows(sink, source, sample, "_ira_file"):
            con.execute(f"CREATE OR REPLACE TEMP VIEW _ira_checked AS {_checked_sql(sample)}")
            reject_problems(sink, "_ira_checked")
            con.execute(f"CREATE OR REPLACE TEMP TABLE _ira_ids AS {_ids_sql()}")
            con.execute(f"CREATE OR REPLACE TEMP TABLE _ira_links AS {_links_sql()}")
            last = con.execute("SELECT coalesce(max(_line), 0) FROM _ira_file").fetchone()[0]  # type: ignore[index]
            for first in range(0, last + 1, CHUNK_ROWS):
                sink.stage_sql("posts", _posts_sql(first, first + CHUNK_ROWS))
            sink.stage_sql("accounts", _accounts_sql(), primary=False)
            con.execute("DROP TABLE _ira_links; DROP TABLE _ira_ids; DROP VIEW _ira_checked")


def _rows_sql(sample: Sample) -> str:
    """SELECT of the columns the reader uses, as text trimmed to NULL when empty or absent (the tweet text
    stays as written), from the loaded file."""
    names = {c: c for c in TEXT_COLUMNS} | {"author": _author_column(sample) or "author"}
    fields = ", ".join(f"{col(sample, names[c])} AS {c}" for c in TEXT_COLUMNS if c != "content")
    return f"SELECT {fields}, content, _line FROM _ira_file"


def _checked_sql(sample: Sample) -> str:
    """The rows with their parsed time, account id, kind and ``RT @handle:`` parts, and why a row is refused."""
    rt = f"regexp_extract(coalesce(content, ''), {sql_str(RT_PREFIX)}, ['handle', 'text'], 's')"
    return f"""
        SELECT *, CASE WHEN upper(coalesce(post_type, '')) IN ('Q', 'QUOTE_TWEET') THEN 'quote'
                       WHEN {sql_int('retweet')} = 1 OR upper(coalesce(post_type, '')) IN ('R', 'RETWEET')
                            OR _rt.handle <> '' THEN 'repost'
                       ELSE 'post' END AS kind,
               lower(nullif(_rt.handle, '')) AS rt_handle,
               CASE WHEN _rt.handle <> '' THEN _rt.text ELSE coalesce(content, '') END AS original_text
        FROM (
            SELECT *, {sql_time('publish_date')} AS created_at, lower(author) AS account_id, {rt} AS _rt,
                   CASE WHEN author IS NULL THEN 'missing author'
                        WHEN {sql_time('publish_date')} IS NULL
                        THEN 'unparsable publish_date ' || coalesce(publish_date, '(empty)') END AS _problem,
                   concat_ws(',', author, publish_date, content) AS _raw
            FROM ({_rows_sql(sample)}))
    """


def _ids_sql() -> str:
    """Post ids of the good rows: ``tweet_id``, else the digest of author, time and text with its repeat ordinal."""
    digest = sql_digest(["account_id", "strftime(created_at, '%Y-%m-%d %H:%M:%S')", "content"])
    return f"""
        SELECT _line, coalesce(tweet_id, {sql_with_ordinal('_digest')}) AS post_id
        FROM (SELECT _line, tweet_id, {digest} AS _digest FROM _ira_checked WHERE _problem IS NULL)
    """


def _links_sql() -> str:
    """For retweets whose ``RT @handle`` account is in the data: that account's earliest earlier non-retweet
    with the same normalised text."""
    return f"""
        WITH retweets AS (
            SELECT _line, created_at, rt_handle, {sql_text_object_id('original_text')} AS text_id
            FROM _ira_checked WHERE _problem IS NULL AND kind = 'repost' AND rt_handle IS NOT NULL
        ),
        originals AS (
            SELECT i.post_id, c.account_id, c.created_at, {sql_text_object_id('c.content')} AS text_id
            FROM _ira_checked c JOIN _ira_ids i USING (_line)
            WHERE c._problem IS NULL AND c.kind <> 'repost'
              AND c.account_id IN (SELECT rt_handle FROM retweets)
        )
        SELECT r._line, arg_min(o.post_id, o.created_at) AS original_id
        FROM retweets r JOIN originals o
          ON o.account_id = r.rt_handle AND o.text_id = r.text_id AND o.created_at <= r.created_at
        GROUP BY r._line
    """


def _posts_sql(first: int, end: int) -> str:
    """SELECT of canonical posts from the good rows numbered ``first <= _line < end``."""
    expanded = "list_distinct(list_filter([tco1_step1, tco2_step1, tco3_step1], lambda u: u IS NOT NULL))"
    urls = f"CASE WHEN len({expanded}) > 0 THEN {expanded} ELSE {sql_urls_in('content')} END"
    return f"""
        SELECT 'twitter' AS platform, i.post_id, c.account_id, c.created_at, c.kind, c.content AS text,
               {sql_language('c.language')} AS lang,
               CASE WHEN c.kind = 'repost'
                    THEN coalesce(l.original_id, {sql_text_object_id('c.original_text')}) END AS reposted_post_id,
               CASE WHEN c.kind = 'repost' THEN c.rt_handle END AS reposted_account_id,
               {urls} AS urls, {sql_domains(urls)} AS domains,
               {sql_hashtags_in('c.content')} AS hashtags, {sql_mentions_in('c.content')} AS mentions,
               c._line AS source_line
        FROM _ira_checked c
        JOIN (SELECT * FROM _ira_ids WHERE _line >= {first} AND _line < {end}) i USING (_line)
        LEFT JOIN _ira_links l USING (_line)
        WHERE c._problem IS NULL AND c._line >= {first} AND c._line < {end}
    """


def _accounts_sql() -> str:
    """SELECT of one account per author: handle and counts at its latest tweet (the later line on a tie), its most
    frequent tweet language."""
    return f"""
        SELECT 'twitter' AS platform, account_id, arg_max(author, (created_at, _line)) AS handle,
               arg_max({sql_int('followers')}, (created_at, _line)) AS followers,
               arg_max({sql_int('following')}, (created_at, _line)) AS following,
               arg_max({sql_int('updates')}, (created_at, _line)) AS posts_count,
               {sql_most_common(sql_language('language'))} AS lang
        FROM _ira_checked WHERE _problem IS NULL GROUP BY account_id
    """
