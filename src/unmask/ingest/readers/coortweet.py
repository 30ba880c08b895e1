"""CooRTweet's input tables (CSV or Parquet): the 4-column share table and the multi-object post table.

**Shares** (``object_id, account_id, content_id, timestamp_share``, unix seconds): each row is one account
sharing one object (in the package's examples, retweeting a tweet).  It becomes a post of kind ``repost`` with
``post_id = content_id`` and ``reposted_post_id = object_id``.  A share whose ``content_id`` repeats (the same
tweet sharing a second object) is quarantined as a duplicate post id by the ingest core.

**Multi-object posts** (``account_id, post_id, url_id, hashtag_id, domain_id, phash_id, timestamp``, as the
package's ``german_elections`` data): one row per post and shared object, so a post with three images has three
rows.  Rows of one post merge into one post of kind ``post``: ``url_id`` values go to ``urls``, ``domain_id`` to
``domains``, ``hashtag_id`` to ``hashtags`` (the anonymised ids, kept as text), and each ``phash_id`` to
``media`` plus a media row (kind ``image``, ``media_id`` and ``phash`` = the id).  A row repeating an earlier
row exactly is quarantined; a row adding objects to its post counts as stored.

Both: the platform comes from the account id's prefix (``fb_`` Facebook, ``tw_`` Twitter, else ``unknown``);
account ids keep their prefix; each account gets an accounts row (the tables carry no profile fields).
"""

from __future__ import annotations

from ..base import Reader, Sink, register
from ..bulk import col, quote_ident, reject_problems, sql_epoch, table_rows
from ..sample import Sample, take_sample
from ..sources import Source

OBJECT_COLUMNS = ("url_id", "hashtag_id", "domain_id", "phash_id")


def _platform(account: str) -> str:
    """SQL for the platform named by an account id's prefix."""
    return (
        f"CASE WHEN starts_with({account}, 'fb_') THEN 'facebook' "
        f"WHEN starts_with({account}, 'tw_') THEN 'twitter' ELSE 'unknown' END"
    )


def _problem(sample: Sample, ids: tuple[str, ...], time_column: str) -> str:
    """SQL naming the first thing wrong with a row (a missing id, an unreadable time), NULL for a good row."""
    checks = [f"WHEN {col(sample, name)} IS NULL THEN 'missing {name}'" for name in ids]
    time = col(sample, time_column)
    checks.append(f"WHEN {sql_epoch(time)} IS NULL THEN 'unparsable {time_column} ' || coalesce({time}, '(empty)')")
    return f"CASE {' '.join(checks)} END"


def _stage_accounts(sink: Sink, rows: str) -> None:
    sink.stage_sql(
        "accounts",
        f"SELECT DISTINCT {_platform('account_id')} AS platform, account_id FROM {rows} ORDER BY ALL",
        primary=False,
    )


@register
class CooRTweetShares(Reader):
    """CooRTweet's share table: each row one account sharing one object, stored as a repost of it."""

    name = "coortweet"
    platform = "any"
    description = "CooRTweet share table: object_id, account_id, content_id, timestamp_share (unix seconds)"
    required = ("object_id", "account_id", "content_id", "timestamp_share")

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        return 0.95 if not cls.missing(sample) else 0.0

    def read(self, source: Source, sink: Sink) -> None:
        sample = take_sample(source)
        c = lambda name: col(sample, name)  # noqa: E731
        with table_rows(sink, source, sample, "_coortweet_file"):
            sink.con.execute(
                f"""
                CREATE OR REPLACE TEMP TABLE _coortweet_rows AS
                SELECT {c('object_id')} AS object_id, {c('account_id')} AS account_id,
                       {c('content_id')} AS content_id, {sql_epoch(c('timestamp_share'))} AS created_at, _line,
                       {_problem(sample, ('object_id', 'account_id', 'content_id'), 'timestamp_share')} AS _problem,
                       concat_ws(',', object_id, account_id, content_id, timestamp_share) AS _raw
                FROM _coortweet_file
                """
            )
        reject_problems(sink, "_coortweet_rows")
        sink.stage_sql(
            "posts",
            f"""
            SELECT {_platform('account_id')} AS platform, content_id AS post_id, account_id, created_at,
                   'repost' AS kind, object_id AS reposted_post_id, _line AS source_line
            FROM _coortweet_rows WHERE _problem IS NULL
            """,
        )
        _stage_accounts(sink, "(SELECT * FROM _coortweet_rows WHERE _problem IS NULL)")
        sink.con.execute("DROP TABLE _coortweet_rows")


@register
class CooRTweetObjects(Reader):
    """CooRTweet's multi-object post table: rows of one post merge into a post with its objects."""

    name = "coortweet-objects"
    platform = "any"
    description = "CooRTweet multi-object posts: account_id, post_id, timestamp and url/hashtag/domain/phash ids"
    required = ("account_id", "post_id", "timestamp", "url_id | hashtag_id | domain_id | phash_id")

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        return 0.9 if not cls.missing(sample) else 0.0

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        needed = [name for name in ("account_id", "post_id", "timestamp") if name not in sample.columns]
        if not set(OBJECT_COLUMNS) & set(sample.columns):
            needed.append("url_id | hashtag_id | domain_id | phash_id")
        return needed

    def read(self, source: Source, sink: Sink) -> None:
        sample = take_sample(source)
        with table_rows(sink, source, sample, "_objects_file"):
            sink.con.execute(f"CREATE OR REPLACE TEMP TABLE _objects_rows AS {_object_rows_sql(sample)}")
        con = sink.con
        sink.reject_sql(
            """
            SELECT _line AS line, coalesce(_problem, 'repeats line ' || _first_line || ' exactly') AS reason,
                   _raw AS raw
            FROM _objects_rows WHERE _problem IS NOT NULL OR _line <> _first_line ORDER BY _line
            """
        )
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _objects_good AS
            SELECT *, min(_line) OVER (PARTITION BY platform, post_id, account_id, created_at) AS _post_line
            FROM _objects_rows WHERE _problem IS NULL AND _line = _first_line
            """
        )
        sink.stage_sql("posts", _merged_posts_sql())
        sink.stage_sql(
            "media",
            """
            SELECT DISTINCT platform, phash_id AS media_id, account_id, post_id, 'image' AS kind, phash_id AS phash
            FROM _objects_good WHERE phash_id IS NOT NULL ORDER BY ALL
            """,
            primary=False,
        )
        merged = con.execute("SELECT _line FROM _objects_good WHERE _line <> _post_line ORDER BY _line").fetchall()
        for (line,) in merged:
            sink.emit(line)  # a row that only adds objects to the post of an earlier row
        _stage_accounts(sink, "_objects_good")
        con.execute("DROP TABLE _objects_good; DROP TABLE _objects_rows")


def _object_rows_sql(sample: Sample) -> str:
    """The rows as typed values, each with its problem and the first line of its exact repeats."""
    c = lambda name: col(sample, name)  # noqa: E731
    objects = ", ".join(f"{c(name)} AS {name}" for name in OBJECT_COLUMNS)
    key = ", ".join(["account_id", "post_id", "created_at", *OBJECT_COLUMNS])
    return f"""
        SELECT *, min(_line) OVER (PARTITION BY {key}, _problem) AS _first_line
        FROM (
            SELECT {_platform(c('account_id'))} AS platform, {c('account_id')} AS account_id,
                   {c('post_id')} AS post_id, {sql_epoch(c('timestamp'))} AS created_at, {objects}, _line,
                   {_problem(sample, ('account_id', 'post_id'), 'timestamp')} AS _problem,
                   concat_ws(',', {', '.join(_present(sample))}) AS _raw
            FROM _objects_file)
    """


def _present(sample: Sample) -> list[str]:
    """The table's columns this reader knows, as quoted identifiers, for the quarantine's raw text."""
    known = ("account_id", "post_id", "timestamp", *OBJECT_COLUMNS)
    return [quote_ident(name) for name in known if name in sample.columns]


def _merged_posts_sql() -> str:
    """One post per (platform, post id, account, time), with the objects of all its rows."""
    def objects(name: str) -> str:
        return f"coalesce(list_sort(list_distinct(list({name}) FILTER (WHERE {name} IS NOT NULL))), [])"

    return f"""
        SELECT platform, post_id, account_id, created_at, 'post' AS kind,
               {objects('url_id')} AS urls, {objects('domain_id')} AS domains, {objects('hashtag_id')} AS hashtags,
               {objects('phash_id')} AS media, _post_line AS source_line
        FROM _objects_good GROUP BY platform, post_id, account_id, created_at, _post_line
    """
