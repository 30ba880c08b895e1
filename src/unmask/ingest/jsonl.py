"""Reading JSON exports record by record: JSON lines, or one JSON document (an array or an object).

:func:`iter_json_lines` yields ``(line, value, problem)``: ``problem`` is None for a good record, else the
reason to quarantine it (a line that does not parse, invalid UTF-8, a line cut short), and ``value`` is then
the raw bytes to keep in the quarantine.  :func:`load_json_document` parses a whole document or says why not;
readers number the records of a document from 1 in document order and use that number as their ``line``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from .sources import Source


def iter_json_lines(source: Source) -> Iterator[tuple[int, Any, str | None]]:
    """Yield one record per non-blank line of a JSON-lines source."""
    with source.open_binary() as stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            try:
                yield number, orjson.loads(raw), None
            except orjson.JSONDecodeError as exc:
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    yield number, raw, "invalid UTF-8"
                    continue
                reason = "line does not parse as JSON" if raw.endswith(b"\n") else "last line cut short (truncated file?)"
                yield number, raw, f"{reason}: {exc}"


def load_json_document(source: Source) -> tuple[Any, str | None]:
    """Parse a whole JSON document; returns ``(value, None)`` or ``(raw head, reason)`` when it does not parse."""
    with source.open_binary() as stream:
        data = stream.read()
    try:
        return orjson.loads(data), None
    except orjson.JSONDecodeError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return data[:2000], "invalid UTF-8 in JSON document"
        return data[:2000], f"JSON document does not parse (truncated or corrupt?): {exc}"

