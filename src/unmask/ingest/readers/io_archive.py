"""Twitter Information Operations archive: the tweets CSV and the users CSV.

Columns are matched by header name, so the 30- and 31-column releases, hashed and unhashed ids, and trimmed
derivatives (files that keep only some columns, e.g. ``user_screen_name`` without ``userid``) all read.
List fields (``hashtags``, ``urls``, ``user_mentions``) are Python-list literals; ``tweet_text`` may hold
newlines inside quotes.  Files can be gigabytes, so DuckDB parses the whole file and computes the posts' fields
in one pass; the posts are staged as a view of that table, so they are copied once, into ``posts``.
"""

from __future__ import annotations

from ..base import Reader, Sink, register
from ..bulk import (
    col,
    csv_columns,
    load_csv,
    quote_ident,
    sql_domains,
    sql_int,
    sql_list,
    sql_list_ok,
    sql_most_common,
    sql_time,
)
from ..sample import Sample, take_sample
from ..sources import Source

POST_FIELDS = (  # a record's post fields, except ``domains`` and ``source_line``
    "platform", "post_id", "account_id", "created_at", "kind", "text", "lang", "reposted_post_id",
    "reposted_account_id", "reply_to_post_id", "reply_to_account_id", "quoted_post_id", "urls", "hashtags",
    "mentions", "client",
)
USER_COLUMNS = (
    "user_display_name", "user_screen_name", "user_reported_location", "user_profile_description",
    "follower_count", "following_count", "account_creation_date", "account_language",
)


def _account_id(sample: Sample) -> str:
    return f"coalesce({col(sample, 'userid')}, {col(sample, 'user_screen_name')})"


def _account_select(sample: Sample, rows: str, account_id: str, client: str) -> str:
    """SQL giving one canonical account row per id from ``rows``, which carry the user columns as the file has
    them; ``account_id`` and ``client`` are SQL for a row's account id and tweet client.

    Accounts repeat their values on every tweet, so each distinct set of an account's values is parsed once; the
    client is the account's most frequent one.
    """
    c = lambda name: col(sample, name)  # noqa: E731
    values = [f"{account_id} AS account_id", *(quote_ident(name) for name in USER_COLUMNS if name in sample.columns)]
    return f"""
        SELECT 'twitter' AS platform, account_id,
               max({c('user_screen_name')}) AS handle,
               max({c('user_display_name')}) AS display_name,
               max({c('user_profile_description')}) AS bio,
               max({c('user_reported_location')}) AS location,
               min({sql_time(c('account_creation_date'))}) AS created_at,
               max({sql_int(c('follower_count'))}) AS followers,
               max({sql_int(c('following_count'))}) AS following,
               max({c('account_language')}) AS lang,
               any_value(clients.client) AS client
        FROM (SELECT DISTINCT {', '.join(values)} FROM {rows})
        JOIN (SELECT {account_id} AS account_id, {sql_most_common(client)} AS client FROM {rows} GROUP BY ALL) clients
          USING (account_id)
        WHERE account_id IS NOT NULL GROUP BY account_id
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
        sink.hold("_io_parsed")
        load_csv(sink, source, sample, "_io_parsed", _parsed_select(sample))
        sink.reject_sql(
            f"SELECT _line AS line, _problem AS reason, {_raw_json(sample)} AS raw "
            "FROM _io_parsed WHERE _problem IS NOT NULL"
        )
        sink.stage_view(
            "posts",
            f"SELECT {', '.join(POST_FIELDS)}, {sql_domains('urls')} AS domains, _line AS source_line "
            "FROM _io_parsed WHERE _problem IS NULL",
        )
        valid = "(SELECT * FROM _io_parsed WHERE _problem IS NULL)"
        sink.stage_sql("accounts", _account_select(sample, valid, "account_id", "client"), primary=False)


def _parsed_select(sample: Sample) -> str:
    """SQL computed while the tweets CSV is parsed: each record's :data:`POST_FIELDS`, the columns its account is
    built from (as they are), ``_problem`` (why the record cannot be stored, else NULL) and, for such a record,
    ``_raw`` (its fields as a list: :func:`_raw_json` names them)."""
    c = lambda name: col(sample, name)  # noqa: E731
    columns = csv_columns(sample)
    lists_ok = " AND ".join(sql_list_ok(c(name)) for name in ("hashtags", "urls", "user_mentions"))
    retweet = f"lower(coalesce({c('is_retweet')}, '')) IN ('true', '1', 'yes')"
    user_columns = "".join(f"{quote_ident(name)}, " for name in USER_COLUMNS if name in sample.columns)
    return f"""
        'twitter' AS platform, {c('tweetid')} AS post_id, {_account_id(sample)} AS account_id,
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
        {c('tweet_client_name')} AS client, {user_columns}
        CASE WHEN {c('tweetid')} IS NULL THEN 'missing tweetid'
             WHEN {_account_id(sample)} IS NULL THEN 'missing userid and user_screen_name'
             WHEN created_at IS NULL THEN 'unparsable tweet_time ' || coalesce({c('tweet_time')}, '(empty)')
             WHEN NOT ({lists_ok}) THEN 'unparsable list in hashtags, urls or user_mentions'
        END AS _problem,
        CASE WHEN _problem IS NOT NULL THEN [{', '.join(map(quote_ident, columns))}] END AS _raw
    """


def _raw_json(sample: Sample) -> str:
    """SQL for a refused record as JSON: its fields by column name, then ``_line``."""
    fields = [f"{quote_ident(name)} := _raw[{i}]" for i, name in enumerate(csv_columns(sample), start=1)]
    return f"CAST(to_json(struct_pack({', '.join(fields)}, _line := _line)) AS VARCHAR)"


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
                _account_id(sample),
                c("tweet_client_name"),
            ),
        )
        sink.con.execute("DROP TABLE _io_users")
