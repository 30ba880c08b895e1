"""Helpers for readers that load a whole table at once with DuckDB (large CSV and Parquet exports).

They read every column as text, send rows DuckDB cannot parse (bad quoting, wrong column count, invalid UTF-8)
to the quarantine with DuckDB's own line numbers and messages, and build SQL expressions that parse the values
the same way :mod:`unmask.ingest.values` does for row readers.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from ..db import scalar
from .base import Sink
from .sample import Sample
from .sources import Source
from .values import LANGUAGE_CODES, TIME_ZONE_OFFSETS

_scan_ids = itertools.count(1)


def sql_str(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def load_csv(sink: Sink, source: Source, sample: Sample, view: str, select: str = "*") -> None:
    """Create temp table ``view`` over a CSV/TSV source: the ``select`` list, computed while the file is parsed,
    plus ``_line`` (the record number, header = 1).  ``select`` is SQL over the file's columns, each read as text
    and named as in the header, lower-case (:func:`csv_columns`); by default every column as it is.  Rows that
    cannot be parsed (bad quoting, wrong column count, invalid UTF-8) are quarantined with their line and reason.

    DuckDB parses the file in parallel; a file its strict parser refuses as a whole (e.g. bare carriage
    returns inside unquoted fields) is read again by Python's csv module, record by record.
    """
    columns = csv_columns(sample)
    try:
        with source.plain_path(engine_reads=("gzip", "zstd")) as path:
            _duckdb_csv(sink, path, sample, columns, view, select)
    except (duckdb.InvalidInputException, duckdb.IOException):
        _python_csv(sink, source, sample, columns, view, select)


def csv_columns(sample: Sample) -> list[str]:
    """The column names :func:`load_csv` gives a CSV/TSV file: its header, with ``column<i>`` for blank names."""
    return [name or f"column{index}" for index, name in enumerate(sample.columns)]


def _duckdb_csv(sink: Sink, path: Path, sample: Sample, columns: list[str], view: str, select: str) -> None:
    scan = next(_scan_ids)
    rejects_table, rejects_scan = f"_rejects_{scan}", f"_rejects_scan_{scan}"
    types = ", ".join(f"{sql_str(c)}: 'VARCHAR'" for c in columns)
    try:
        sink.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {view} AS
            SELECT {select}
            FROM read_csv({sql_str(str(path))}, header = true, auto_detect = false, columns = {{{types}}},
                          delim = {sql_str(sample.delimiter)}, quote = '"', escape = '"',
                          strict_mode = true, store_rejects = true, rejects_table = {sql_str(rejects_table)},
                          rejects_scan = {sql_str(rejects_scan)}, max_line_size = 10000000)
            """
        )
        [(parsed, rejected)] = sink.con.execute(
            f"SELECT (SELECT count(*) FROM {view}), (SELECT count(*) FROM {rejects_table})"
        ).fetchall()
        if parsed == 0 and rejected == 0 and "\n" in sample.text.strip():
            raise duckdb.InvalidInputException("DuckDB read no record from a file that has some")
        _number_records(sink, rejects_table, view)
        sink.reject_sql(
            f"""
            SELECT line, min_by(error_type || ': ' || error_message, byte_position) AS reason,
                   min_by(csv_line, byte_position) AS raw
            FROM {rejects_table} GROUP BY line ORDER BY line
            """
        )
    finally:
        sink.con.execute(
            f"DROP TABLE IF EXISTS {rejects_table}; DROP TABLE IF EXISTS {rejects_scan}; "
            "DROP TABLE IF EXISTS _csv_parsed_before"
        )


def _number_records(sink: Sink, rejects_table: str, view: str) -> None:
    """Give each parsed row its record number in the file (``_line``, header = 1).

    DuckDB numbers rejected records but not parsed ones; parsed rows keep file order (their ``rowid``), so the
    n-th parsed row is record ``n + 1`` plus the number of rejected records that come before it.
    """
    sink.con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _csv_parsed_before AS
        SELECT line - 1 - row_number() OVER (ORDER BY line) AS parsed
        FROM (SELECT DISTINCT line FROM {rejects_table})
        """
    )
    sink.con.execute(f"ALTER TABLE {view} ADD COLUMN _line BIGINT")
    if not scalar(sink.con, "SELECT count(*) FROM _csv_parsed_before"):
        sink.con.execute(f"UPDATE {view} SET _line = rowid + 2")
        return
    before = f"(SELECT count(*) FROM _csv_parsed_before b WHERE b.parsed <= {view}.rowid)"
    sink.con.execute(f"UPDATE {view} SET _line = {view}.rowid + 2 + {before}")


def _python_csv(sink: Sink, source: Source, sample: Sample, columns: list[str], view: str, select: str) -> None:
    records = "_csv_records"
    fields = ", ".join(f"{quote_ident(c)} VARCHAR" for c in columns)
    sink.con.execute(f"CREATE OR REPLACE TEMP TABLE {records} ({fields}, _line BIGINT)")
    schema = pa.schema([*(pa.field(c, pa.string()) for c in columns), pa.field("_line", pa.int64())])
    batch: list[list[str | int]] = []
    try:
        with source.open_binary() as raw, io.TextIOWrapper(
            raw, encoding="utf-8", errors="surrogateescape", newline=""
        ) as text:
            for line, row, problem in iter_csv(text, sample.delimiter, len(columns)):
                if problem:
                    sink.reject(line, problem, sample.delimiter.join(row))
                    continue
                batch.append([*row, line])
                if len(batch) >= 50_000:
                    _append_rows(sink, records, schema, batch)
    finally:  # a truncated stream raises mid-file: keep the records read before it
        _append_rows(sink, records, schema, batch)
        _select_records(sink, records, view, select)


def _select_records(sink: Sink, records: str, view: str, select: str) -> None:
    """Create ``view`` from the Python parser's ``records`` (text columns and ``_line``) as :func:`load_csv` says."""
    sink.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {view} AS SELECT {select} FROM (SELECT * EXCLUDE (_line) FROM {records})"
    )
    sink.con.execute(f"ALTER TABLE {view} ADD COLUMN _line BIGINT")
    sink.con.execute(f"UPDATE {view} SET _line = r._line FROM {records} r WHERE r.rowid = {view}.rowid")
    sink.con.execute(f"DROP TABLE {records}")


def iter_csv(text: io.TextIOBase, delimiter: str, width: int) -> Iterator[tuple[int, list[str], str | None]]:
    """Yield ``(record, fields, problem)`` for every record after the header (records are numbered like DuckDB
    numbers them: the header is 1; they equal line numbers unless a field holds a newline).  ``problem`` is None
    for a good record, else the reason to quarantine it (bad quoting, wrong column count, invalid UTF-8)."""
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    record = 0
    while True:
        record += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield record, [], f"bad CSV quoting near line {reader.line_num}: {exc}"
            continue
        if record == 1 or not row:
            continue
        if len(row) != width:
            yield record, row, f"expected {width} columns, found {len(row)}"
        elif any(_has_surrogate(field) for field in row):
            yield record, [f.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for f in row], "invalid UTF-8"
        else:
            yield record, row, None


def _has_surrogate(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text) if not text.isascii() else False


def _append_rows(sink: Sink, view: str, schema: pa.Schema, batch: list[list[str | int]]) -> None:
    if not batch:
        return
    table = pa.Table.from_arrays([pa.array(column) for column in zip(*batch)], schema=schema)
    sink.con.register("_csv_batch", table)
    try:
        sink.con.execute(f"INSERT INTO {view} SELECT * FROM _csv_batch")
    finally:
        sink.con.unregister("_csv_batch")
    batch.clear()


def quote_ident(name: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def col(sample: Sample, name: str, default: str = "NULL") -> str:
    """SQL for a text column trimmed to NULL when empty, or ``default`` when the file lacks the column."""
    if name not in sample.columns:
        return default
    return f"nullif(trim(\"{name}\"), '')"


TIME_LAYOUTS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%m/%d/%Y %H:%M",
                "%m/%d/%Y %H:%M:%S")
"""The layouts :func:`sql_time` tries first, in turn (a text fits at most one of them)."""
_TIME_SHAPES = {"____-__-__ __:__:__": 0, "____-__-__ __:__": 1, "____-__-__T__:__:__": 2, "____-__-__": 3}
"""``LIKE`` shapes of common layouts (index into :data:`TIME_LAYOUTS`): :func:`sql_time` tries a text of such a
shape against its layout first, as none of the layouts before it fits; a failed ``try_strptime`` is slow."""


def sql_time(expr: str) -> str:
    """SQL parsing ``expr`` as a UTC timestamp in the layouts exports use; NULL when none fits."""
    shaped = " ".join(
        f"WHEN {expr} LIKE '{shape}' THEN try_strptime({expr}, '{TIME_LAYOUTS[index]}')"
        for shape, index in _TIME_SHAPES.items()
    )
    layouts = ", ".join(f"'{layout}'" for layout in TIME_LAYOUTS)
    return (
        f"coalesce(CASE {shaped} END, try_strptime({expr}, [{layouts}]),"
        f" try_cast(try_strptime({expr}, '%a %b %d %H:%M:%S %z %Y') AT TIME ZONE 'UTC' AS TIMESTAMP),"
        f" try_cast(try_cast({expr} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP),"
        f" CASE WHEN regexp_full_match({expr}, '\\d{{9,13}}(\\.\\d+)?') THEN"
        f" make_timestamp(CAST(CAST({expr} AS DOUBLE) * CASE WHEN CAST({expr} AS DOUBLE) > 1e11 THEN 1000"
        f" ELSE 1000000 END AS BIGINT)) END)"
    )


def sql_int(expr: str) -> str:
    """SQL parsing a count (``12``, ``12.0``) as BIGINT; NULL when it is not a number."""
    return f"try_cast(try_cast({expr} AS DOUBLE) AS BIGINT)"


def sql_most_common(expr: str) -> str:
    """SQL aggregate: the most frequent non-NULL value of ``expr`` in the group, ties going to the greatest value.

    Unlike DuckDB's ``mode``, whose pick among equally frequent values depends on thread timing, this gives the
    same answer on every run."""
    return f"list_max(list_transform(map_entries(histogram({expr})), lambda e: {{'n': e.value, 'v': e.key}})).v"


def sql_list(expr: str) -> str:
    """SQL parsing a Python-list literal of strings (``['a', "b's"]``) into ``VARCHAR[]``: the texts within
    pairs of quotes.  Without double quotes, these are every second piece between single quotes, found without
    the slower regular expression."""
    quoted = f"list_transform(regexp_extract_all({expr}, '''[^'']*''|\"[^\"]*\"'), lambda s: s[2:-2])"
    single = f"list_slice(string_split({expr}, ''''), 2, -2, 2)"
    return f"coalesce(CASE WHEN contains({expr}, '\"') THEN {quoted} ELSE {single} END, CAST([] AS VARCHAR[]))"


def sql_list_ok(expr: str) -> str:
    """SQL true when ``expr`` is empty or shaped like a list literal."""
    return f"({expr} IS NULL OR trim({expr}) LIKE '[%]')"


def sql_domains(urls_expr: str) -> str:
    """SQL for the sorted distinct lower-case hosts (without ``www.``) of a ``VARCHAR[]`` of URLs."""
    return (
        f"list_sort(list_distinct(list_filter(list_transform({urls_expr}, lambda u: "
        f"regexp_extract(lower(u), '^[a-z][a-z0-9+.-]*://(?:www\\.)?([^/:?#]+)', 1)), lambda h: h <> '')))"
    )


def col_like(sample: Sample, name: str) -> str | None:
    """The header column called ``name`` (lower-case), else the first one that starts with it (exports append
    notes to some headers, e.g. CrowdTangle's ``Overperforming Score (weighted ...)``); None when absent."""
    if name in sample.columns:
        return name
    return next((c for c in sample.columns if c.startswith(name)), None)


def reject_problems(sink: Sink, table: str) -> int:
    """Quarantine the rows of ``table`` whose ``_problem`` (the reason) is set, with their ``_line`` and ``_raw``."""
    return sink.reject_sql(
        f"SELECT _line AS line, _problem AS reason, _raw AS raw FROM {table} WHERE _problem IS NOT NULL ORDER BY _line"
    )


def sql_hashtags_in(expr: str) -> str:
    """SQL for the hashtags in a text, lower-case, without ``#`` (as :func:`values.hashtags_in`; marks such as
    Devanagari vowel signs stay in the tag).  A blank is put before the text so the pattern needs no ``^``
    alternative, which makes RE2 several times slower; texts without ``#`` skip the pattern."""
    found = (
        f"regexp_extract_all(' ' || {expr}, '[^\\p{{L}}\\p{{N}}_&]#([\\p{{L}}\\p{{N}}\\p{{M}}_]+)', 1)"
    )
    return f"CASE WHEN contains({expr}, '#') THEN list_transform({found}, lambda h: lower(h)) ELSE []::VARCHAR[] END"


def sql_mentions_in(expr: str) -> str:
    """SQL for the mentioned handles in a text, lower-case, without ``@``, at most 30 characters
    (as :func:`values.mentions_in`); texts without ``@`` skip the pattern."""
    found = f"regexp_extract_all(' ' || {expr}, '[^\\p{{L}}\\p{{N}}_@]@([\\p{{L}}\\p{{N}}_]+)', 1)"
    mentions = f"list_transform({found}, lambda h: lower(left(h, 30)))"
    return f"CASE WHEN contains({expr}, '@') THEN {mentions} ELSE []::VARCHAR[] END"


def sql_urls_in(expr: str) -> str:
    """SQL for the URLs in a text with trailing punctuation dropped (as :func:`values.urls_in`)."""
    return (
        f"list_transform(regexp_extract_all(coalesce({expr}, ''), '(?i)https?://[^\\s<>\"'']+'), "
        f"lambda u: regexp_replace(u, '[.,;:!?)\\]}}]+$', ''))"
    )


def sql_text_object_id(expr: str) -> str:
    """SQL for :func:`values.text_object_id`: ``text:`` + MD5 of the lower-cased, blank-collapsed text (the
    regular expression and the trim only run on texts with a blank to collapse or trim: they are slow)."""
    odd = ("'  '", "chr(9)", "chr(10)", "chr(12)", "chr(13)")
    ends = (f"starts_with({expr}, ' ')", f"ends_with({expr}, ' ')")
    untidy = " OR ".join([*(f"contains({expr}, {b})" for b in odd), *ends])
    tidy = f"CASE WHEN {untidy} THEN trim(regexp_replace({expr}, '\\s+', ' ', 'g')) ELSE {expr} END"
    return f"'text:' || md5(lower({tidy}))"


def sql_digest(parts: list[str]) -> str:
    """SQL for the MD5 of several values joined by a unit separator (NULL counts as empty)."""
    return "md5(concat_ws(chr(31), " + ", ".join(f"coalesce(CAST({p} AS VARCHAR), '')" for p in parts) + "))"


def sql_with_ordinal(digest: str, order: str = "_line") -> str:
    """SQL for a stable id from a :func:`sql_digest` column: the digest, with ``-2``, ``-3``, ... appended to the
    second and later rows sharing it in ``order`` (a window expression: keep its input narrow)."""
    ordinal = f"row_number() OVER (PARTITION BY {digest} ORDER BY {order})"
    return f"{digest} || CASE WHEN {ordinal} > 1 THEN '-' || {ordinal} ELSE '' END"


def sql_epoch(expr: str) -> str:
    """SQL parsing unix seconds of any size, with fractions (``0``, ``1606451170.518101``) as a UTC timestamp;
    NULL when it is not a number or falls outside the years 1 to 9999."""
    seconds = f"try_cast({expr} AS DOUBLE)"
    return (
        f"CASE WHEN {seconds} BETWEEN -62135596800 AND 253402300799 "
        f"THEN make_timestamp(CAST({seconds} * 1000000 AS BIGINT)) END"
    )


def sql_any_list(expr: str) -> str:
    """SQL parsing a list literal (Python or JSON), or a string of items separated by blanks or commas, into
    ``VARCHAR[]`` (as :func:`values.parse_list`); :func:`sql_list_ok` tells whether a bracketed one is well formed."""
    return (
        f"CASE WHEN starts_with(trim(coalesce({expr}, '')), '[') THEN {sql_list(expr)} "
        f"ELSE list_filter(regexp_split_to_array(trim(coalesce({expr}, '')), '[\\s,]+'), lambda s: s <> '') END"
    )


def _sql_map(mapping: dict[str, str] | dict[str, int]) -> str:
    items = ", ".join(f"{sql_str(k)}: {sql_str(v) if isinstance(v, str) else v}" for k, v in mapping.items())
    return f"MAP {{{items}}}"


def sql_language(expr: str) -> str:
    """SQL turning a language name (``Russian``, ``Farsi (Persian)``) or code (``en``, ``zh-TW``) into a lower-case
    code; NULL for names not in :data:`values.LANGUAGE_CODES` (e.g. ``LANGUAGE UNDEFINED``)."""
    return (
        f"coalesce({_sql_map(LANGUAGE_CODES)}[lower(trim({expr}))], CASE WHEN "
        f"regexp_full_match(lower(trim({expr})), '[a-z]{{2,3}}(-[a-z]{{2,4}})?') THEN lower(trim({expr})) END)"
    )


def sql_zoned_time(expr: str) -> str:
    """SQL parsing ``YYYY-MM-DD HH:MM[:SS]`` followed by a zone: an abbreviation of
    :data:`values.TIME_ZONE_OFFSETS` (``2021-03-01 14:03:05 EST``), or an offset (``+0100``, ``UTC-05:00``), or
    nothing (taken as UTC); gives naive UTC, NULL when the layout or the zone is unknown."""
    layout = r"^(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2})?)\s*(.*)$"
    parts = f"regexp_extract(trim({expr}), {sql_str(layout)}, ['local', 's', 'zone'])"
    local = f"try_strptime(replace({parts}.local, 'T', ' '), ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M'])"
    zone = f"upper({parts}.zone)"
    offset = f"regexp_extract({zone}, '^(?:UTC|GMT)?([+-])(0?\\d|1[0-4]):?([0-5]\\d)?$', ['sign', 'h', 'm'])"
    minutes = (
        f"CASE WHEN {zone} = '' THEN 0 WHEN {offset}.sign <> '' THEN "
        f"(CASE WHEN {offset}.sign = '-' THEN -1 ELSE 1 END) * (CAST({offset}.h AS INTEGER) * 60 "
        f"+ coalesce(try_cast(nullif({offset}.m, '') AS INTEGER), 0)) "
        f"ELSE {_sql_map(TIME_ZONE_OFFSETS)}[{zone}] END"
    )
    return f"CAST({local} - to_minutes(CAST({minutes} AS BIGINT)) AS TIMESTAMP)"


@contextmanager
def table_rows(sink: Sink, source: Source, sample: Sample, view: str) -> Iterator[None]:
    """Within the ``with`` block, ``view`` holds the rows of a CSV/TSV (via :func:`load_csv`) or Parquet source:
    every column as text named by its lower-case header, plus ``_line`` (for Parquet the row number from 1).

    Parquet lists, structs and maps become JSON text (which :func:`sql_any_list` reads), zoned timestamps
    naive UTC text; the Parquet file is scanned where it lies, once per query that reads ``view``.
    """
    if not sample.is_parquet:
        load_csv(sink, source, sample, view)
        try:
            yield
        finally:
            sink.con.execute(f"DROP TABLE IF EXISTS {view}")
        return
    with source.plain_path() as path:
        scan = f"read_parquet({sql_str(str(path))}, file_row_number = true)"
        described = sink.con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
        fields = [_parquet_text(name, typ) for name, typ, *_ in described if name != "file_row_number"]
        select = f"SELECT {', '.join(fields)}, file_row_number + 1 AS _line FROM {scan}"
        sink.con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {select}")
        try:
            yield
        finally:
            sink.con.execute(f"DROP VIEW IF EXISTS {view}")


def _parquet_text(name: str, typ: str) -> str:
    """SQL turning one Parquet column into text named by its lower-case, stripped name."""
    column = quote_ident(name)
    if typ.endswith("]") or typ.startswith(("STRUCT", "MAP", "UNION")):
        value = f"CAST(to_json({column}) AS VARCHAR)"
    elif typ == "TIMESTAMP WITH TIME ZONE":
        value = f"CAST(timezone('UTC', {column}) AS VARCHAR)"
    else:
        value = f"CAST({column} AS VARCHAR)"
    return f"{value} AS {quote_ident(name.strip().lower())}"
