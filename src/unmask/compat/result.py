"""What a compatibility run returns, and the tables it leaves in the workspace."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from ..traces.components import component_labels

PAIRS_TABLE = "compat_pairs"
"""Matched action pairs (``platform, object_id, account_a, account_b, post_a, post_b, dt``): the evidence."""

EDGES_TABLE = "compat_edges"
"""Account edges ``mode, platform, account_a, account_b, weight, kept``; ``kept`` marks the filtered graph."""


@dataclass(frozen=True)
class CompatResult:
    """The counts another tool reports for its coordination network, computed the way it computes them.

    ``pairs``/``accounts`` describe the detected co-actions before the tool's graph filter (CooRTweet: coordinated
    share pairs, the rows of ``detect_groups``; QUT: directed user edges).  ``nodes``/``edges``/``components``
    describe the filtered graph (the ``kept`` rows of :data:`EDGES_TABLE`; components are weakly connected).
    """

    mode: str
    window: float
    pairs: int
    accounts: int
    nodes: int
    edges: int
    components: int
    threshold: float | None = None
    pairs_table: str = PAIRS_TABLE
    edges_table: str = EDGES_TABLE


def kept_graph_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """``(nodes, edges, components)`` of the kept edges of :data:`EDGES_TABLE` (nodes are per platform)."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE compat_nodes AS
        SELECT platform, account_id, ROW_NUMBER() OVER () - 1 AS node FROM (
            SELECT platform, account_a AS account_id FROM {EDGES_TABLE} WHERE kept
            UNION SELECT platform, account_b FROM {EDGES_TABLE} WHERE kept
        ) ends"""
    )
    ends = con.execute(
        f"""SELECT a.node, b.node FROM {EDGES_TABLE} e
        JOIN compat_nodes a ON a.platform = e.platform AND a.account_id = e.account_a
        JOIN compat_nodes b ON b.platform = e.platform AND b.account_id = e.account_b
        WHERE e.kept"""
    ).fetchnumpy()
    nodes = con.execute("SELECT COUNT(*) FROM compat_nodes").fetchone()[0]  # type: ignore[index]
    con.execute("DROP TABLE compat_nodes")
    u, v = (np.asarray(column, dtype=np.int64) for column in ends.values())
    labels = component_labels(nodes, u, v)
    return nodes, len(u), int(np.count_nonzero(labels == np.arange(nodes)))


def pair_accounts(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Distinct accounts (per platform) appearing on either side of ``table``'s ``account_a, account_b``."""
    return con.execute(
        f"SELECT COUNT(*) FROM (SELECT platform, account_a FROM {table} UNION SELECT platform, account_b FROM {table})"
    ).fetchone()[0]  # type: ignore[index]
