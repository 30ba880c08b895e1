"""Twitter Information Operations archive: the tweets CSV and the users CSV.

Columns are matched by header name, so the 30- and 31-column releases, hashed and unhashed ids, and trimmed
derivatives (files that keep only some columns, e.g. ``user_screen_name`` without ``userid``) all read.
List fields (``hashtags``, ``urls``, ``user_mentions``) are Python-list literals; ``tweet_text`` may hold
newlines inside quotes.  Files can be gigabytes, so the whole file is parsed by DuckDB in one pass.
"""

from __future__ import annotations

from ..base import Reader, Sink, register
from ..bulk import col, load_csv, sql_domains, sql_int, sql_list, sql_list_ok, sql_time
from ..sample import Sample, take_sample
from ..sources import Source

USER_COLUMNS = (
    "user_display_name", "user_screen_name", "user_reported_location", "user_profile_description",
    "follower_count", "following_count", "account_creation_date", "account_language",
)


def _account_id(sample: Sample) -> str:
    return f"coalesce({col(sample, 'userid')}, {col(sample, 'user_screen_name')})"


def _account_select(sample: Sample, source_rows: str) -> str:
    """SQL giving one canonical account row per id from rows carrying the user columns."""
    client = f"mode({col(sample, 'tweet_client_name')})" if "tweet_client_name" in sample.columns else "NULL"
    return f"""
        SELECT 'twitter' AS platform, {_account_id(sample)} AS account_id,
               max({col(sample, 'user_screen_name')}) AS handle,
               max({col(sample, 'user_display_name')}) AS display_name,
               max({col(sample, 'user_profile_description')}) AS bio,
               max({col(sample, 'user_reported_location')}) AS location,
               min({sql_time(col(sample, 'account_creation_date'))}) AS created_at,
               max({sql_int(col(sample, 'follower_count'))}) AS followers,
               max({sql_int(col(sample, 'following_count'))}) AS following,
               max({col(sample, 'account_language')}) AS lang,
               {client} AS client
        FROM {source_rows} GROUP BY ALL HAVING account_id IS NOT NULL
    """


@register
class IOArchiveTweets(Reader):
    name = "io-archive-tweets"
    platform = "twitter"
    description = "Twitter Information Operations archive, tweets CSV (30/31 columns, hashed or not)"
    required = ("tweetid", "tweet_time", "tweet_text", "userid | user_screen_name")

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        return 0.9 if sample.has_columns("tweetid", "tweet_time", "tweet_text") else 0.0

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        needed = [c for c in ("tweetid", "tweet_time", "tweet_text") if c not in sample.columns]
        if "userid" not in sample.columns and "user_screen_name" not in sample.columns:
            needed.append("userid | user_screen_name")
        return needed

    def read(self, source: Source, sink: Sink) -> None:
        sample = take_sample(source)
        load_csv(sink, source, sample, "_io_rows")
        c = lambda name: col(sample, name)  # noqa: E731
        lists_ok = " AND ".join(sql_list_ok(c(name)) for name in ("hashtags", "urls", "user_mentions"))
        retweet = f"lower(coalesce({c('is_retweet')}, '')) IN ('true', '1', 'yes')"
        sink.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _io_parsed AS
            SELECT 'twitter' AS platform, {c('tweetid')} AS post_id, {_account_id(sample)} AS account_id,
                   {sql_time(c('tweet_time'))} AS created_at,
                   CASE WHEN {retweet} OR {c('retweet_tweetid')} IS NOT NULL THEN 'repost'
                        WHEN {c('in_reply_to_tweetid')} IS NOT NULL OR {c('in_reply_to_userid')} IS NOT NULL THEN 'reply'
                        WHEN {c('quoted_tweet_tweetid')} IS NOT NULL THEN 'quote' ELSE 'post' END AS kind,
                   tweet_text AS text, {c('tweet_language')} AS lang,
                   {c('retweet_tweetid')} AS reposted_post_id, {c('retweet_userid')} AS reposted_account_id,
                   {c('in_reply_to_tweetid')} AS reply_to_post_id, {c('in_reply_to_userid')} AS reply_to_account_id,
                   {c('quoted_tweet_tweetid')} AS quoted_post_id,
                   {sql_list(c('urls'))} AS urls,
                   list_transform({sql_list(c('hashtags'))}, lambda h: lower(ltrim(h, '#'))) AS hashtags,
                   {sql_list(c('user_mentions'))} AS mentions,
                   {c('tweet_client_name')} AS client, _line AS source_line,
                   CASE WHEN {c('tweetid')} IS NULL THEN 'missing tweetid'
                        WHEN {_account_id(sample)} IS NULL THEN 'missing userid and user_screen_name'
                        WHEN created_at IS NULL THEN 'unparsable tweet_time ' || coalesce({c('tweet_time')}, '(empty)')
                        WHEN NOT ({lists_ok}) THEN 'unparsable list in hashtags, urls or user_mentions'
                   END AS _problem
            FROM _io_rows r
            """
        )
        sink.reject_sql(
            "SELECT p.source_line AS line, p._problem AS reason, CAST(to_json(r) AS VARCHAR) AS raw "
            "FROM _io_parsed p JOIN _io_rows r ON r._line = p.source_line WHERE p._problem IS NOT NULL"
        )
        sink.stage_sql(
            "posts",
            f"SELECT * EXCLUDE (_problem), {sql_domains('urls')} AS domains FROM _io_parsed WHERE _problem IS NULL",
        )
        valid_rows = "(SELECT * FROM _io_rows r SEMI JOIN _io_parsed p ON p.source_line = r._line AND p._problem IS NULL)"
        sink.stage_sql("accounts", _account_select(sample, valid_rows), primary=False)
        sink.con.execute("DROP TABLE _io_rows; DROP TABLE _io_parsed")


@register
class IOArchiveUsers(Reader):
    name = "io-archive-users"
    platform = "twitter"
    description = "Twitter Information Operations archive, users CSV"
    required = ("userid", "user_screen_name", "account_creation_date")

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        if sample.has_columns(*cls.required) and "tweetid" not in sample.columns:
            return 0.9
        return 0.0

    def read(self, source: Source, sink: Sink) -> None:
        sample = take_sample(source)
        load_csv(sink, source, sample, "_io_users")
        c = lambda name: col(sample, name)  # noqa: E731
        sink.reject_sql(
            f"""
            SELECT _line AS line, CASE WHEN {c('userid')} IS NULL THEN 'missing userid'
                   ELSE 'unparsable account_creation_date ' || {c('account_creation_date')} END AS reason,
                   CAST(to_json(r) AS VARCHAR) AS raw
            FROM _io_users r
            WHERE {c('userid')} IS NULL
               OR ({c('account_creation_date')} IS NOT NULL AND {sql_time(c('account_creation_date'))} IS NULL)
            """
        )
        sink.stage_sql(
            "accounts",
            _account_select(
                sample,
                f"""(SELECT * FROM _io_users WHERE {c('userid')} IS NOT NULL AND ({c('account_creation_date')} IS NULL
                     OR {sql_time(c('account_creation_date'))} IS NOT NULL))""",
            ),
        )
        sink.con.execute("DROP TABLE _io_users")
