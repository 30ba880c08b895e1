"""The trace plugin interface and its registry.

A trace is a small class: a name, a description, whether it is windowed, and an ``actions`` query that turns the
canonical tables into the bipartite account × object incidence (one row per action).  Pairing the actions is
shared machinery (:mod:`unmask.traces.matching`); a trace only picks how its actions pair up.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import ClassVar

import duckdb

from .matching import window_matches_sql
from .params import TraceParams

TRACES: dict[str, type[Trace]] = {}


def register(cls: type[Trace]) -> type[Trace]:
    """Class decorator adding a trace to :data:`TRACES` under its ``name``."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", cls.name):
        raise ValueError(f"trace name {cls.name!r} must be a lower-case identifier")
    if cls.name in TRACES:
        raise ValueError(f"trace {cls.name!r} is registered twice")
    TRACES[cls.name] = cls
    return cls


class Trace(ABC):
    """One behavioural trace: which objects accounts act on, and which pairs of actions count as co-actions."""

    name: ClassVar[str]
    description: ClassVar[str]
    windowed: ClassVar[bool] = True

    @abstractmethod
    def actions_sql(self, params: TraceParams) -> str:
        """A portable SELECT of ``platform, account_id, object_id, ts, post_id``: one row per action."""

    def window(self, params: TraceParams) -> float:
        """The co-action window in seconds (used when the trace is windowed)."""
        return params.window_seconds

    def prepare(self, con: duckdb.DuckDBPyConnection, params: TraceParams) -> None:
        """Build helper tables the actions query reads; most traces need none."""

    def matches_sql(self, source: str, params: TraceParams) -> str:
        """The matched action pairs of ``source`` (a table of actions); by default the exact windowed join."""
        return window_matches_sql(source, self.window(params), params.max_crowd)
