"""Any CSV/TSV, Parquet or JSON-lines file, read through a mapping file (``unmask ingest --map mapping.toml``).

The mapping names, for each canonical field, the column that holds it::

    platform = "telegram"              # the platform of every row (default "unknown")

    [columns]                          # canonical field = column (CSV header, Parquet column, or JSON key;
    account_id = "user"                #   a dotted path such as "user.id" reaches into nested JSON objects)
    created_at = "ts"                  # required, like account_id
    post_id = "msg_id"                 # optional: else derived from the row (see below)
    text = "body"
    reposted_post_id = "fwd_id"        # the shared post; or object_id = "shared_thing" for any shared object
    urls = "links"                     # a list literal (['a', 'b'] or ["a", "b"]) or items split by blanks/commas
    hashtags = "tags"
    handle = "username"

    [options]
    time_format = "%d/%m/%Y %H:%M"     # strptime codes; with %z or %Z in it the times carry their own zone
    timezone = "Europe/Berlin"         # the zone of times written without one (default UTC)

Column names match case-insensitively, JSON keys exactly.  Fields of ``[columns]``:

* Posts: ``account_id`` and ``created_at`` (required); ``post_id``; ``text``; ``lang`` (a code or a language
  name); ``kind`` (values ``post``, ``repost``, ``reply``, ``quote`` or ``forward``); ``reposted_post_id`` or
  ``object_id`` (the same field: the id of what the row shares, a post, URL or anything else);
  ``reposted_account_id``; ``reply_to_post_id``; ``reply_to_account_id``; ``quoted_post_id``; ``urls``;
  ``hashtags``; ``mentions``; ``client``.
* Accounts: ``handle``, ``display_name``, ``followers``, ``following`` (each account keeps the values of its
  latest row).

Without a ``kind`` column (or where it is empty), a row is a ``repost`` when it shares something, a ``reply``
when it answers a post, a ``quote`` when it quotes one, else a ``post``.  Without ``urls``, ``hashtags`` or
``mentions`` columns these come from the text.  Without ``post_id`` the id is the MD5 of the row's mapped
values (the time as UTC, then the other fields in the order listed above), with ``-2``, ``-3``, ... appended
to later exact repeats in file order.

Times without ``time_format`` may be ISO 8601 (with or without a zone), ``YYYY-MM-DD HH:MM[:SS]``,
``MM/DD/YYYY HH:MM``, Twitter's ``Wed May 15 16:00:19 +0000 2019`` or unix seconds/milliseconds; ``timezone``
applies to those written without a zone.  A row without an account id or post id, with a time, kind or list
that does not parse, is quarantined with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import orjson
import pyarrow as pa

from ...schema import POST_KINDS
from ..base import FormatError, Reader, Sink, register
from ..bulk import (
    quote_ident,
    reject_problems,
    sql_any_list,
    sql_digest,
    sql_domains,
    sql_hashtags_in,
    sql_int,
    sql_language,
    sql_list_ok,
    sql_mentions_in,
    sql_str,
    sql_time,
    sql_urls_in,
    sql_with_ordinal,
    table_rows,
)
from ..jsonl import iter_json_lines
from ..sample import Sample, take_sample
from ..sources import Source

POST_FIELDS = (
    "account_id", "created_at", "post_id", "text", "lang", "kind", "reposted_post_id", "object_id",
    "reposted_account_id", "reply_to_post_id", "reply_to_account_id", "quoted_post_id", "urls", "hashtags",
    "mentions", "client",
)
ACCOUNT_FIELDS = ("handle", "display_name", "followers", "following")
REQUIRED = ("account_id", "created_at")
OPTIONS = ("time_format", "timezone")
LIST_FIELDS = ("urls", "hashtags", "mentions")
ZONED = r"(Z|[+-]\d{2}(:?\d{2})?)$|^\d{9,13}(\.\d+)?$|[+-]\d{4} \d{4}$"
"""Times that carry their own zone: an ISO offset or Z, unix seconds, Twitter's ``+0000 2019``."""
BATCH_ROWS = 50_000


class Mapping:
    """A checked mapping file: the platform, canonical field -> column, and the time options."""

    def __init__(self, options: dict[str, Any] | None):
        if options is None:
            raise FormatError("the generic format needs a mapping file: unmask ingest --map mapping.toml FILE")
        _no_unknown("mapping", options, ("platform", "columns", "options"))
        columns = options.get("columns")
        if not isinstance(columns, dict) or not all(isinstance(v, str) and v.strip() for v in columns.values()):
            raise FormatError("the mapping needs a [columns] table of field = \"column name\"")
        _no_unknown("[columns]", columns, POST_FIELDS + ACCOUNT_FIELDS)
        absent = [field for field in REQUIRED if field not in columns]
        if absent:
            raise FormatError(f"the mapping's [columns] must name {', '.join(absent)}")
        if "reposted_post_id" in columns and "object_id" in columns:
            raise FormatError("the mapping names both reposted_post_id and object_id: they are the same field")
        settings = options.get("options", {})
        if not isinstance(settings, dict):
            raise FormatError("[options] must be a table")
        _no_unknown("[options]", settings, OPTIONS)
        if not all(isinstance(value, str) and value.strip() for value in settings.values()):
            raise FormatError("the mapping's [options] take text values, e.g. timezone = \"Europe/Berlin\"")
        self.platform = str(options.get("platform", "unknown"))
        self.columns = {field: name.strip() for field, name in columns.items()}
        if "object_id" in self.columns:
            self.columns["reposted_post_id"] = self.columns.pop("object_id")
        self.time_format: str | None = settings.get("time_format")
        self.timezone: str | None = settings.get("timezone")

    def missing(self, found: list[str], exact: bool = False) -> list[str]:
        """Mapped columns not among ``found`` (compared lower-case unless ``exact``), as ``field = "column"``."""
        fold = (lambda name: name) if exact else str.lower
        present = {fold(name) for name in found}
        return [f'{field} = "{name}"' for field, name in self.columns.items() if fold(name) not in present]


def _no_unknown(where: str, table: dict[str, Any], known: tuple[str, ...]) -> None:
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise FormatError(f"unknown key(s) in the mapping's {where}: {', '.join(unknown)}; known: {', '.join(known)}")


@register
class GenericMapped(Reader):
    """Any tabular or JSON-lines file read through a mapping file; never chosen by sniffing."""

    name = "generic"
    platform = "any"
    description = "any CSV/TSV, Parquet or JSON-lines file, with a TOML mapping of its columns (--map)"
    required = ("a mapping file (--map) naming account_id and created_at",)

    def __init__(self, options: dict[str, Any] | None = None):
        self.mapping = Mapping(options)

    @classmethod
    def sniff(cls, sample: Sample) -> float:
        return 0.0  # only chosen with --map or --format generic

    @classmethod
    def missing(cls, sample: Sample) -> list[str]:
        return []  # the columns depend on the mapping, which read() checks

    def read(self, source: Source, sink: Sink) -> None:
        sample = take_sample(source)
        found = _found_columns(sample)
        missing = self.mapping.missing(found, exact=sample.json_lines)
        if missing:
            raise FormatError(
                f"{source.name}: not readable with this mapping: missing {', '.join(missing)}; "
                f"found {', '.join(found[:40]) or 'no columns'}"
            )
        _check_time_options(sink.con, self.mapping)
        with _loaded(sink, source, sample, self.mapping):
            sink.con.execute(f"CREATE OR REPLACE TEMP TABLE _generic_rows AS {_rows_sql(self.mapping)}")
        reject_problems(sink, "_generic_rows")
        sink.con.execute("CREATE OR REPLACE TEMP VIEW _generic_good AS "
                         "SELECT * FROM _generic_rows WHERE _problem IS NULL")
        sink.stage_sql("posts", _posts_sql(self.mapping))
        sink.stage_sql("accounts", _accounts_sql(self.mapping), primary=False)
        sink.con.execute("DROP VIEW _generic_good; DROP TABLE _generic_rows")


def _found_columns(sample: Sample) -> list[str]:
    """The columns a file offers: its header or Parquet schema, or the keys (and dotted paths) of its first
    JSON line."""
    if sample.json_lines and isinstance(sample.json, dict):
        return list(_paths(sample.json))
    return sample.columns


def _paths(value: dict[str, Any], prefix: str = "") -> Iterator[str]:
    for key, item in value.items():
        yield f"{prefix}{key}"
        if isinstance(item, dict):
            yield from _paths(item, f"{prefix}{key}.")


def _check_time_options(con: duckdb.DuckDBPyConnection, mapping: Mapping) -> None:
    """Refuse a ``time_format`` or ``timezone`` DuckDB does not know, before reading anything."""
    try:
        if mapping.time_format:
            con.execute("SELECT try_strptime('', ?)", [mapping.time_format]).fetchall()
        if mapping.timezone:
            con.execute("SELECT timezone(?, TIMESTAMP '2000-01-01')", [mapping.timezone]).fetchall()
    except duckdb.Error as exc:
        raise FormatError(f"the mapping's [options] do not work: {str(exc).splitlines()[0]}") from exc


@contextmanager
def _loaded(sink: Sink, source: Source, sample: Sample, mapping: Mapping) -> Iterator[None]:
    """Within the block, ``_generic_file`` holds the file's rows as text plus ``_line``."""
    if not sample.json_lines:
        if sample.json is not None:
            raise FormatError(
                f"{source.name}: the generic format reads CSV, TSV, Parquet or JSON lines, not a JSON document"
            )
        with table_rows(sink, source, sample, "_generic_file"):
            yield
        return
    _load_json_lines(sink, source, sorted({name.lower(): name for name in mapping.columns.values()}.items()))
    try:
        yield
    finally:
        sink.con.execute("DROP TABLE IF EXISTS _generic_file")


def _load_json_lines(sink: Sink, source: Source, columns: list[tuple[str, str]]) -> None:
    """Load the mapped keys of every JSON line as text (lists and objects as JSON); quarantine bad lines."""
    schema = pa.schema([*(pa.field(key, pa.string()) for key, _ in columns), pa.field("_line", pa.int64())])
    names = ", ".join(f"NULL::VARCHAR AS {quote_ident(key)}" for key, _ in columns)
    sink.con.execute(f"CREATE OR REPLACE TEMP TABLE _generic_file AS SELECT {names}, 0::BIGINT AS _line WHERE false")
    batch: list[dict[str, Any]] = []
    for line, value, problem in iter_json_lines(source):
        if problem or not isinstance(value, dict):
            sink.reject(line, problem or "line is not a JSON object", value if problem else orjson.dumps(value))
            continue
        batch.append({key: _as_text(_lookup(value, path)) for key, path in columns} | {"_line": line})
        if len(batch) >= BATCH_ROWS:
            _append(sink, schema, batch)
    _append(sink, schema, batch)


def _lookup(value: dict[str, Any], path: str) -> Any:
    """The value at a key, or at a dotted path into nested objects; a key holding dots wins over a path."""
    if path in value:
        return value[path]
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)  # type: ignore[assignment]
    return value


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return orjson.dumps(value).decode("utf-8")


def _append(sink: Sink, schema: pa.Schema, batch: list[dict[str, Any]]) -> None:
    if not batch:
        return
    sink.con.register("_generic_batch", pa.Table.from_pylist(batch, schema=schema))
    try:
        sink.con.execute("INSERT INTO _generic_file SELECT * FROM _generic_batch")
    finally:
        sink.con.unregister("_generic_batch")
    batch.clear()


def _time_sql(expr: str, mapping: Mapping) -> str:
    """SQL for a mapped time as naive UTC: with ``time_format``, or the layouts of :func:`bulk.sql_time`;
    times written without a zone are read in ``timezone``."""
    if mapping.time_format:
        parsed = f"try_strptime({expr}, {sql_str(mapping.time_format)})"
        if "%z" in mapping.time_format or "%Z" in mapping.time_format:
            return f"CAST(timezone('UTC', {parsed}) AS TIMESTAMP)"
        return _localised(parsed, mapping)
    naive = f"coalesce(try_cast({expr} AS TIMESTAMP), {sql_time(expr)})"
    zoned = f"regexp_matches(trim({expr}), {sql_str(ZONED)})"
    return f"CASE WHEN {zoned} THEN {sql_time(expr)} ELSE {_localised(naive, mapping)} END"


def _localised(naive: str, mapping: Mapping) -> str:
    if not mapping.timezone:
        return naive
    return f"CAST(timezone('UTC', timezone({sql_str(mapping.timezone)}, {naive})) AS TIMESTAMP)"


def _field(mapping: Mapping, field: str) -> str:
    """SQL for a mapped field of the loaded file: trimmed to NULL when empty (the text as written), NULL when
    the mapping does not name it."""
    name = mapping.columns.get(field)
    if name is None:
        return "NULL"
    column = quote_ident(name.lower())
    return column if field == "text" else f"nullif(trim({column}), '')"


def _rows_sql(mapping: Mapping) -> str:
    """Every row with the mapped fields (NULL when not mapped), its time parsed, and its problem."""
    names = [n for n in (*POST_FIELDS, *ACCOUNT_FIELDS) if n not in ("object_id", "created_at")]
    selected = ", ".join(f"{_field(mapping, name)} AS {name}" for name in names)
    lists = [n for n in LIST_FIELDS if n in mapping.columns]
    lists_ok = " AND ".join(f"(NOT starts_with({n}, '[') OR {sql_list_ok(n)})" for n in lists)
    kinds = ", ".join(sql_str(k) for k in POST_KINDS)
    checks = [
        "WHEN account_id IS NULL THEN 'missing account_id'",
        "WHEN post_id IS NULL THEN 'missing post_id'" if "post_id" in mapping.columns else "",
        "WHEN created_at IS NULL THEN 'unparsable created_at ' || coalesce(_created_raw, '(empty)')",
        f"WHEN lower(kind) NOT IN ({kinds}) THEN 'unknown kind ' || kind",
        f"WHEN NOT ({lists_ok}) THEN 'unparsable list in {', '.join(lists)}'" if lists else "",
    ]
    return f"""
        SELECT *, CASE {' '.join(c for c in checks if c)} END AS _problem
        FROM (
            SELECT *, {_time_sql('_created_raw', mapping)} AS created_at,
                   concat_ws(',', account_id, _created_raw, post_id, left(text, 200)) AS _raw
            FROM (SELECT {selected}, {_field(mapping, 'created_at')} AS _created_raw, _line FROM _generic_file))
    """


def _posts_sql(mapping: Mapping) -> str:
    """Canonical posts from the good rows."""
    mapped = [f for f in (*POST_FIELDS, *ACCOUNT_FIELDS) if f in mapping.columns and f not in ("created_at", "post_id")]
    digest = sql_digest(["created_at", *mapped])
    urls = "_urls"
    return f"""
        SELECT {sql_str(mapping.platform)} AS platform, coalesce(post_id, {sql_with_ordinal('_digest')}) AS post_id,
               account_id, created_at,
               coalesce(lower(kind), CASE WHEN reposted_post_id IS NOT NULL THEN 'repost'
                                          WHEN reply_to_post_id IS NOT NULL THEN 'reply'
                                          WHEN quoted_post_id IS NOT NULL THEN 'quote' ELSE 'post' END) AS kind,
               text, {sql_language('lang')} AS lang, reposted_post_id, reposted_account_id, reply_to_post_id,
               reply_to_account_id, quoted_post_id, {urls} AS urls, {sql_domains(urls)} AS domains,
               {_list_or_text(mapping, 'hashtags', sql_hashtags_in('text'), "lower(ltrim(x, '#'))")} AS hashtags,
               {_list_or_text(mapping, 'mentions', sql_mentions_in('text'), "lower(ltrim(x, '@'))")} AS mentions,
               client, _line AS source_line
        FROM (SELECT *, {digest} AS _digest,
                     {_list_or_text(mapping, 'urls', sql_urls_in('text'), 'x')} AS _urls
              FROM _generic_good)
    """


def _list_or_text(mapping: Mapping, field: str, from_text: str, item: str) -> str:
    """SQL for a list field: the mapped column's items (each passed through ``item`` of ``x``), else from the text."""
    if field not in mapping.columns:
        return from_text
    return f"list_transform({sql_any_list(field)}, lambda x: {item})"


def _accounts_sql(mapping: Mapping) -> str:
    return f"""
        SELECT {sql_str(mapping.platform)} AS platform, account_id, arg_max(handle, created_at) AS handle,
               arg_max(display_name, created_at) AS display_name,
               arg_max({sql_int('followers')}, created_at) AS followers,
               arg_max({sql_int('following')}, created_at) AS following
        FROM _generic_good GROUP BY account_id ORDER BY account_id
    """
