"""Choosing the reader for a file: by its content, or as the user says with ``--format``."""

from __future__ import annotations

from .base import READERS, FormatError, Reader
from .sample import Sample


def choose_reader(sample: Sample, fmt: str | None = None) -> type[Reader]:
    """Return the reader for ``sample``: the named one (checked for its required fields) or the best sniffer.

    Raises :class:`FormatError` naming the file, the columns found and the columns needed.
    """
    name = sample.source.name
    if fmt is not None:
        if fmt not in READERS:
            raise FormatError(f"{name}: unknown format {fmt!r}; known formats: {', '.join(sorted(READERS))}")
        reader = READERS[fmt]
        missing = reader.missing(sample)
        if missing:
            raise FormatError(
                f"{name}: not readable as {fmt}: missing {', '.join(missing)}; found {_found(sample)}; "
                f"{fmt} needs {', '.join(reader.required)}"
            )
        return reader
    scored = sorted(((reader.sniff(sample), reader.name) for reader in READERS.values()), reverse=True)
    best_score, best_name = scored[0]
    if best_score <= 0:
        raise FormatError(
            f"{name}: unknown format; found {_found(sample)}. "
            f"Formats and the fields they need: {_needs()}. Use --format, or --map for a generic file."
        )
    reader = READERS[best_name]
    missing = reader.missing(sample)
    if missing:
        raise FormatError(
            f"{name}: looks like {best_name} but lacks {', '.join(missing)}; found {_found(sample)}; "
            f"{best_name} needs {', '.join(reader.required)}"
        )
    return reader


def _found(sample: Sample) -> str:
    if sample.columns:
        return "columns " + ", ".join(sample.columns[:40])
    if isinstance(sample.json, dict):
        return "JSON keys " + ", ".join(list(sample.json)[:40])
    if sample.text:
        return f"text starting {sample.text[:60]!r}"
    return "no readable content"


def _needs() -> str:
    return "; ".join(f"{name}: {', '.join(reader.required)}" for name, reader in sorted(READERS.items()))
