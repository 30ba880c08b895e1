"""Compatibility modes: the coordination networks of CooRTweet and the QUT toolkit, reproduced exactly.

``run_compat(con, "coortweet" | "qut", window, min_weight)`` reads one trace's actions (by default the reposts:
object = reposted post, content = the repost) from the canonical tables, applies the other tool's rules, leaves
``compat_pairs`` and ``compat_edges`` in the workspace and returns the tool's counts as a :class:`CompatResult`.
"""

from __future__ import annotations

import duckdb

from ..traces import TRACES, TraceParams
from . import coortweet, qut
from .result import EDGES_TABLE, PAIRS_TABLE, CompatResult

MODES = ("coortweet", "qut")

__all__ = ["EDGES_TABLE", "MODES", "PAIRS_TABLE", "CompatResult", "run_compat"]


def run_compat(
    con: duckdb.DuckDBPyConnection,
    mode: str,
    window: float,
    min_weight: int | None = None,
    *,
    trace: str = "co_repost",
    params: TraceParams = TraceParams(),
    min_participation: int = 2,
    edge_weight: float = 0.5,
    loops: bool = False,
) -> CompatResult:
    """Build ``mode``'s coordination network from ``trace``'s actions with co-action window ``window`` seconds.

    * ``coortweet``: ``min_participation`` and ``edge_weight`` as in ``detect_groups`` and
      ``generate_coordinated_network``; ``min_weight``, when given, replaces the quantile filter.
    * ``qut``: keep directed edges with ``weight >= min_weight`` (default 1); ``loops`` keeps self-loops.
    """
    if mode not in MODES:
        raise ValueError(f"unknown compat mode {mode!r}; known: {', '.join(MODES)}")
    if not window > 0:
        raise ValueError(f"window must be a positive number of seconds, got {window}")
    if trace not in TRACES:
        raise KeyError(f"unknown trace {trace!r}; known: {sorted(TRACES)}")
    source = TRACES[trace]()
    source.prepare(con, params)
    con.execute(f"CREATE OR REPLACE TEMP VIEW compat_actions AS {source.actions_sql(params)}")
    try:
        if mode == "coortweet":
            return coortweet.run(con, "compat_actions", window, min_participation, edge_weight, min_weight)
        return qut.run(con, "compat_actions", window, 1 if min_weight is None else min_weight, loops)
    finally:
        con.execute("DROP VIEW compat_actions")
