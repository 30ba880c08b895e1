"""What format detection looks at: the head of a file, its header row, its first JSON value."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import orjson

from .sources import Source

HEAD_BYTES = 1 << 16


@dataclass
class Sample:
    """The first bytes of a source, decoded and pre-parsed the ways readers sniff for.

    ``columns`` holds the header row's names stripped and lower-cased (CSV/TSV) or the Parquet schema's names;
    ``json`` holds the first JSON value when the head parses as JSON lines or a whole JSON document,
    ``json_lines`` whether the file is one JSON value per line.
    """

    source: Source
    text: str = ""
    columns: list[str] = field(default_factory=list)
    delimiter: str = ","
    json: Any = None
    json_lines: bool = False
    is_parquet: bool = False

    def has_columns(self, *names: str) -> bool:
        """True when every name is among the header columns."""
        present = set(self.columns)
        return all(name in present for name in names)


def take_sample(source: Source) -> Sample:
    """Read the head of ``source`` and pre-parse it for sniffing."""
    head = source.head(HEAD_BYTES)
    sample = Sample(source)
    if head.startswith(b"PAR1"):
        sample.is_parquet = True
        sample.columns = _parquet_columns(source)
        return sample
    sample.text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = sample.text.lstrip()
    if stripped.startswith(("{", "[")):
        sample.json, sample.json_lines = _first_json(stripped)
    else:
        sample.columns, sample.delimiter = _header(sample.text)
    return sample


def _parquet_columns(source: Source) -> list[str]:
    import pyarrow.parquet as pq

    with source.plain_path() as path:
        return [name.strip().lower() for name in pq.read_schema(path).names]


def _header(text: str) -> tuple[list[str], str]:
    first_line = text.split("\n", 1)[0].rstrip("\r")
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        row = next(csv.reader(io.StringIO(first_line), delimiter=delimiter))
    except (csv.Error, StopIteration):
        return [], delimiter
    return [name.strip().lower() for name in row], delimiter


def _first_json(text: str) -> tuple[Any, bool]:
    """Return the first JSON value and whether the file is JSON lines; (None, False) when nothing parses."""
    first_line = text.split("\n", 1)[0]
    try:
        value = orjson.loads(first_line)
        if isinstance(value, dict) and "\n" in text:
            return value, True
    except orjson.JSONDecodeError:
        pass
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return _first_array_element(text), False
    if isinstance(value, list):
        return (value[0] if value else None), False
    return value, False


def _first_array_element(text: str) -> Any:
    """The first element of a JSON array whose head was cut off, found by raw decoding."""
    import json

    if not text.startswith("["):
        return _leading_object_keys(text)
    try:
        value, _ = json.JSONDecoder().raw_decode(text[1:].lstrip())
    except json.JSONDecodeError:
        return None
    return value


def _leading_object_keys(text: str) -> Any:
    """For a cut-off JSON object, the scalar members before the first long array, enough to sniff by key."""
    import json

    decoder = json.JSONDecoder()
    keys: dict[str, Any] = {}
    pos = 1
    while True:
        try:
            key, pos = decoder.raw_decode(text, text.index('"', pos))
            pos = text.index(":", pos) + 1
            while text[pos].isspace():
                pos += 1
            if text[pos] in "[{":
                keys[key] = ... if text[pos] == "[" else {}
                return keys
            value, pos = decoder.raw_decode(text, pos)
            keys[key] = value
            pos = text.index(",", pos) + 1
        except (ValueError, IndexError):
            return keys or None
