"""The DuckDB engine: the traces run inside the workspace itself (the default, out-of-core on one machine)."""

from __future__ import annotations

import duckdb

from ..traces import TraceParams, TraceStats, run_traces
from .base import Engine


class DuckDBEngine(Engine):
    """Runs the trace SQL on the workspace's own connection (its ``memory_limit`` applies; DuckDB spills)."""

    name = "duckdb"

    def run_traces(
        self, con: duckdb.DuckDBPyConnection, params: TraceParams = TraceParams(), names: list[str] | None = None
    ) -> dict[str, TraceStats]:
        """Compute the traces in place with :func:`unmask.traces.run_traces`."""
        return run_traces(con, params, names)
