"""Running traces: actions, then the shared pairing, then pairs and evidence, one trace at a time."""

from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb

from .base import TRACES, Trace
from .params import TraceParams
from .tables import clear_trace, evidence_sql, insert_actions_sql, pairs_sql, trace_run, trace_source


@dataclass(frozen=True)
class TraceStats:
    """What one trace produced, and how long it took."""

    trace: str
    actions: int
    accounts: int
    objects: int
    pairs: int
    evidence: int
    seconds: float


def run_traces(
    con: duckdb.DuckDBPyConnection, params: TraceParams = TraceParams(), names: list[str] | None = None
) -> dict[str, TraceStats]:
    """Compute traces from the canonical tables into ``trace_actions``, ``trace_pairs`` and ``trace_evidence``.

    ``names`` picks traces (default: every registered one, and the trace tables are recreated); when given, only
    those traces' rows are replaced.  The near-duplicate trace also leaves ``trace_near_dup_clusters``
    (``text_hash, cluster_id`` of every text that has near-copies).  Returns per-trace statistics in run order.
    """
    selected = list(TRACES) if names is None else list(names)
    unknown = [name for name in selected if name not in TRACES]
    if unknown:
        raise KeyError(f"unknown trace(s) {unknown}; known: {sorted(TRACES)}")
    with trace_run(con, fresh=names is None):
        return {name: run_trace(con, TRACES[name](), params) for name in selected}


def run_trace(con: duckdb.DuckDBPyConnection, trace: Trace, params: TraceParams) -> TraceStats:
    """Recompute one trace's rows in the trace tables, inside a :func:`unmask.traces.tables.trace_run`."""
    started = time.perf_counter()
    clear_trace(con, trace.name)
    trace.prepare(con, params)
    for statement in trace_statements(trace, params):
        con.execute(statement)
    return trace_stats(con, trace.name, time.perf_counter() - started)


def trace_statements(trace: Trace, params: TraceParams) -> list[str]:
    """The SQL of one trace after its ``prepare`` step, in run order (portable DuckDB SQL, also run on Spark).

    Actions into ``trace_actions``, matched pairs into a temp table (named after the trace, so that an engine can
    run several traces at once), pairs into ``trace_pairs``, evidence into ``trace_evidence``, and the temp table
    dropped.
    """
    matches = f"{trace.name}_matches"
    return [
        insert_actions_sql(trace.name, trace.actions_sql(params)),
        f"CREATE OR REPLACE TEMP TABLE {matches} AS {trace.matches_sql(trace_source(trace.name), params)}",
        pairs_sql(trace.name, matches),
        evidence_sql(trace.name, matches, params.max_evidence_per_pair),
        f"DROP TABLE {matches}",
    ]


def trace_stats(con: duckdb.DuckDBPyConnection, name: str, seconds: float) -> TraceStats:
    """What the trace tables hold for trace ``name``, with the ``seconds`` it took."""

    def count(query: str) -> int:
        return con.execute(f"SELECT COUNT(*) FROM ({query})", [name]).fetchone()[0]  # type: ignore[index]

    return TraceStats(
        name,
        actions=count("SELECT trace FROM trace_actions WHERE trace = ?"),
        accounts=count("SELECT DISTINCT platform, account_id FROM trace_actions WHERE trace = ?"),
        objects=count("SELECT DISTINCT platform, object_id FROM trace_actions WHERE trace = ?"),
        pairs=count("SELECT trace FROM trace_pairs WHERE trace = ?"),
        evidence=count("SELECT trace FROM trace_evidence WHERE trace = ?"),
        seconds=round(seconds, 3),
    )
