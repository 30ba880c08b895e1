"""The engine interface: where the trace SQL runs.

Every engine computes the same trace tables from the same canonical tables.  The workspace (DuckDB) holds the
canonical tables before a run and receives ``trace_actions``, ``trace_pairs`` and ``trace_evidence`` after it,
so the stages that follow (significance, communities, scores, report) do not know which engine ran.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import ClassVar

import duckdb

from ..traces import TRACES, TraceParams, TraceStats


class Engine(ABC):
    """Runs the traces of a workspace; use as a context manager so that its resources are released."""

    name: ClassVar[str]

    @abstractmethod
    def run_traces(
        self, con: duckdb.DuckDBPyConnection, params: TraceParams = TraceParams(), names: list[str] | None = None
    ) -> dict[str, TraceStats]:
        """Compute traces ``names`` (all when None) from the canonical tables of workspace ``con`` into its trace
        tables, with the same result as :func:`unmask.traces.run_traces`; returns per-trace statistics."""

    def close(self) -> None:
        """Release what the engine holds (nothing by default)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def selected_traces(names: list[str] | None) -> list[str]:
    """The traces a run computes, in run order: ``names``, or every registered trace.  Raises ``KeyError``."""
    selected = list(TRACES) if names is None else list(names)
    unknown = [name for name in selected if name not in TRACES]
    if unknown:
        raise KeyError(f"unknown trace(s) {unknown}; known: {sorted(TRACES)}")
    return selected
