"""CrowdTangle CSV exports (archived since the 2024 shutdown): Facebook pages and groups, and Instagram.

Headers are matched by name, then by prefix, because some carry notes (``Overperforming Score (weighted  —
Likes 1x ...)``).  ``Post Created`` is printed in the dashboard's time zone with its abbreviation
(``2021-03-01 14:03:05 EST``); it is converted to UTC with :data:`values.TIME_ZONE_OFFSETS` (a value without a
zone is taken as UTC, an unknown abbreviation quarantines the row).  Posts are of kind ``post``: the exports
do not say which posts share another post.

**Facebook** (``Page Name, User Name, Facebook Id, Page Category, Page Admin Top Country, Page Description,
Page Created, Likes at Posting, Followers at Posting, Post Created, ..., URL, Message, Link, Final Link, ...``):
the account is ``Facebook Id`` (handle ``User Name``, display name ``Page Name``, bio ``Page Description``,
location ``Page Admin Top Country``, ``created_at`` from ``Page Created``); ``text`` is ``Message``.

**Instagram** (``Account, User Name, Followers at Posting, Post Created, ..., URL, Link, Photo, Title,
Description, ...``): no account id is exported, so the account is the lower-case ``User Name`` (display name
``Account``); ``text`` is ``Description`` (``Title`` when it is empty); ``Photo`` becomes a media row of kind
``image`` (``media_id`` = post id + ``/photo``, its ``url`` the photo link).

Both: ``post_id`` is the id in the post's ``URL`` (``/posts/ID``, ``/permalink/ID``, ``/videos/ID``,
``/photos/.../ID``, ``story_fbid=ID``, Instagram ``/p/CODE``), else the account id + ``_`` + the UTC time as
``YYYYMMDDTHHMMSS``.  ``urls`` are the shared link (``Final Link``, else ``Link``; not when it is the post's
own URL or, on Instagram, an instagram.com link) and the links in the text; hashtags and mentions come from the
text.  ``followers`` is ``Followers at Posting`` at the account's latest post.  ``Image Text`` (text read from
the image), ``Link Text`` and the interaction counts are not canonical fields and are not kept.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import ClassVar

from ..base import Reader, Sink, register
from ..bulk import (
    col,
    col_like,
    quote_ident,
    reject_problems,
    sql_domains,
    sql_hashtags_in,
    sql_int,
    sql_mentions_in,
    sql_str,
    sql_urls_in,
    sql_zoned_time,
    table_rows,
)
from ..sample import Sample, take_sample
from ..sources import Source

POST_ID_PATTERNS = (
    r"/posts/([A-Za-z0-9]+)",
    r"/permalink/([0-9]+)",
    r"/videos/(?:[^/?#]+/)?([0-9]+)",
    r"/photos/(?:[^/?#]+/)?([0-9]+)",
    r"[?&]story_fbid=([0-9]+)",
    r"instagram\.com/(?:p|reel|tv)/([A-Za-z0-9_-]+)",
)


Column = Callable[[str], str]
"""Gives the SQL for a header (matched by name or prefix)."""


def _as_written(sample: Sample, name: str) -> str:
    """SQL for a text column exactly as written (NULL when the export lacks it)."""
    header = col_like(sample, name)
    return quote_ident(header) if header else "NULL"


class CrowdTangleCSV(Reader):
    """What the Facebook and Instagram exports share; subclasses say where the account and the text are."""

    account_header: ClassVar[str]
    markers: ClassVar[tuple[str, ...]]

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        return 0.9 if all(col_like(sample, name) for name in cls.markers) else 0.0

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        return [name for name in cls.required if not col_like(sample, name)]

    def read(self, source: Source, sink: Sink) -> None:
        sample = take_sample(source)
        with table_rows(sink, source, sample, "_ct_file"):
            sink.con.execute(f"CREATE OR REPLACE TEMP TABLE _ct_rows AS {self._rows_sql(sample)}")
        reject_problems(sink, "_ct_rows")
        sink.con.execute("CREATE OR REPLACE TEMP VIEW _ct_good AS SELECT * FROM _ct_rows WHERE _problem IS NULL")
        sink.stage_sql("posts", _posts_sql(self.platform))
        sink.stage_sql("media", _media_sql(self.platform), primary=False)
        sink.stage_sql("accounts", _accounts_sql(self.platform), primary=False)
        sink.con.execute("DROP VIEW _ct_good; DROP TABLE _ct_rows")

    def _rows_sql(self, sample: Sample) -> str:
        """The rows in canonical terms, each with the first thing wrong with it (NULL for a good row)."""
        c = lambda name: col(sample, col_like(sample, name) or name)  # noqa: E731
        fields = self._fields(c, lambda name: _as_written(sample, name))
        created = sql_zoned_time(c("post created"))
        link = f"coalesce({c('final link')}, {c('link')})"
        from_url = [f"nullif(regexp_extract(url, {sql_str(p)}, 1), '')" for p in POST_ID_PATTERNS]
        fallback = "account_id || '_' || strftime(created_at, '%Y%m%dT%H%M%S')"
        return f"""
            SELECT *, coalesce({', '.join(from_url)}, {fallback}) AS post_id,
                   CASE WHEN account_id IS NULL THEN 'missing {self.account_header}'
                        WHEN created_at IS NULL THEN 'unparsable Post Created ' || coalesce(_post_created, '(empty)')
                        END AS _problem
            FROM (
                SELECT {fields}, {created} AS created_at, {c('post created')} AS _post_created,
                       {sql_int(f"replace({c('followers at posting')}, ',', '')")} AS followers,
                       {c('url')} AS url, {self._shared_link(link, c('url'))} AS link, _line,
                       concat_ws(',', {c(self.account_header.lower())}, {c('post created')}, {c('url')}) AS _raw
                FROM _ct_file)
        """

    @abstractmethod
    def _fields(self, c: Column, text: Column) -> str:
        """SQL for ``account_id, handle, display_name, bio, location, account_created_at, text, photo`` given
        ``c`` (a column trimmed, NULL when empty) and ``text`` (a column as written)."""

    def _shared_link(self, link: str, url: str) -> str:
        """SQL for the link a post shares, or NULL when the export's link is the post itself."""
        return f"CASE WHEN {link} IS DISTINCT FROM {url} THEN {link} END"


@register
class CrowdTangleFacebook(CrowdTangleCSV):
    """CrowdTangle export of Facebook pages or groups: the account is the page's or group's Facebook Id."""

    name = "crowdtangle-facebook"
    platform = "facebook"
    description = "CrowdTangle CSV export of Facebook pages or groups"
    required = ("facebook id", "post created")
    account_header = "Facebook Id"
    markers = ("facebook id", "post created", "page name")

    def _fields(self, c: Column, text: Column) -> str:
        return f"""
            {c('facebook id')} AS account_id, {c('user name')} AS handle, {c('page name')} AS display_name,
            {c('page description')} AS bio, {c('page admin top country')} AS location,
            {sql_zoned_time(c('page created'))} AS account_created_at, {text('message')} AS text, NULL AS photo
        """


@register
class CrowdTangleInstagram(CrowdTangleCSV):
    """CrowdTangle export of Instagram accounts: the account is the lower-case user name."""

    name = "crowdtangle-instagram"
    platform = "instagram"
    description = "CrowdTangle CSV export of Instagram accounts"
    required = ("user name", "post created")
    account_header = "User Name"
    markers = ("account", "user name", "post created", "photo")

    def _fields(self, c: Column, text: Column) -> str:
        return f"""
            lower({c('user name')}) AS account_id, {c('user name')} AS handle, {c('account')} AS display_name,
            NULL AS bio, NULL AS location, NULL::TIMESTAMP AS account_created_at,
            coalesce(nullif(trim({text('description')}), ''), {c('title')}) AS text, {c('photo')} AS photo
        """

    def _shared_link(self, link: str, url: str) -> str:
        own = f"regexp_matches(lower({link}), '^https?://(www\\.)?instagram\\.com/')"
        return f"CASE WHEN {link} IS DISTINCT FROM {url} AND NOT {own} THEN {link} END"


def _posts_sql(platform: str) -> str:
    urls = "list_distinct(list_filter(list_concat([link], _text_urls), lambda u: u IS NOT NULL))"
    return f"""
        SELECT {sql_str(platform)} AS platform, post_id, account_id, created_at, 'post' AS kind, text,
               {urls} AS urls, {sql_domains(urls)} AS domains, {sql_hashtags_in('text')} AS hashtags,
               {sql_mentions_in('text')} AS mentions,
               CASE WHEN photo IS NOT NULL THEN [post_id || '/photo'] END AS media, _line AS source_line
        FROM (SELECT *, {sql_urls_in('text')} AS _text_urls FROM _ct_good)
    """


def _media_sql(platform: str) -> str:
    return f"""
        SELECT {sql_str(platform)} AS platform, post_id || '/photo' AS media_id, account_id, post_id,
               'image' AS kind, photo AS url
        FROM _ct_good WHERE photo IS NOT NULL
    """


def _accounts_sql(platform: str) -> str:
    return f"""
        SELECT {sql_str(platform)} AS platform, account_id, arg_max(handle, created_at) AS handle,
               arg_max(display_name, created_at) AS display_name, arg_max(bio, created_at) AS bio,
               arg_max(location, created_at) AS location, min(account_created_at) AS created_at,
               arg_max(followers, created_at) AS followers
        FROM _ct_good GROUP BY account_id ORDER BY account_id
    """
