"""CSV export that spreadsheets cannot turn into formulas.

Every CSV that unmask writes goes through :func:`write_csv`.  Text cells that start with ``= + - @`` (or a tab or
carriage return, which some spreadsheets strip before reading a formula) get a single quote in front, so a
hostile handle such as ``=HYPERLINK(...)`` is shown as text instead of being run.  Numbers are written as
numbers; floats are rounded to a fixed number of significant digits so that the same run gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def neutralise(text: str) -> str:
    """Prefix a single quote to text a spreadsheet would read as a formula; other text is returned unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any, float_digits: int = 6) -> str:
    """Format one value as CSV cell text: empty for null, ``true``/``false``, rounded floats, joined lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.{float_digits}g}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return neutralise(LIST_SEPARATOR.join(cell(item, float_digits) for item in value))
    return neutralise(str(value))


def write_csv(path: Path | str, data: pa.Table | pa.RecordBatchReader, float_digits: int = 6) -> int:
    """Write an Arrow table (or a stream of record batches) to ``path`` as UTF-8 CSV; returns the row count."""
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([neutralise(name) for name in data.schema.names])
        for record in _records(data):
            writer.writerow([cell(value, float_digits) for value in record])
            rows += 1
    return rows


def _records(data: pa.Table | pa.RecordBatchReader) -> Iterator[Iterable[Any]]:
    batches = data.to_batches() if isinstance(data, pa.Table) else data
    for batch in batches:
        columns = [column.to_pylist() for column in batch.columns]
        yield from zip(*columns)
