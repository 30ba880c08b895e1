"""Behavioural traces: account × object actions, co-acting account pairs, and the posts behind each pair.

``run_traces(con)`` reads the canonical ``posts``, ``media`` and ``accounts`` tables and (re)creates
``trace_actions``, ``trace_pairs`` and ``trace_evidence`` (columns in :mod:`unmask.traces.tables`).  Each trace
is one module in :mod:`unmask.traces.catalog`, registered in :data:`TRACES` by :func:`register`.
"""

from __future__ import annotations

from . import catalog  # noqa: F401  (registers the built-in traces)
from .base import TRACES, Trace, register
from .params import TraceParams
from .run import TraceStats, run_trace, run_traces

__all__ = ["TRACES", "Trace", "TraceParams", "TraceStats", "register", "run_trace", "run_traces"]
