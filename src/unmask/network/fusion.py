"""Fusion: one account network across every trace, keeping each trace's evidence on the edge.

The backbone is the set of pairs that are significant in at least one trace (see :mod:`.significance`); a pair
that is not significant in any trace is not an edge, however often its accounts met.  Table ``network_edges``
holds one row per (pair, trace) that is significant, so nothing of the per-trace evidence is lost.  The graph
built from it has one edge per pair, with the per-trace values as ``{trace}_weight``, ``{trace}_shared_objects``
and ``{trace}_significance`` and two fused values:

* ``weight`` = ``1 - prod(1 - w_t)`` over the pair's significant traces (a noisy-or of the overlap weights:
  in [0, 1], never below the strongest single trace, higher when independent traces agree);
* ``significance`` = the largest per-trace significance (the adjusted p-values already pay for testing every
  trace, so the strongest trace is the pair's evidence).
"""

from __future__ import annotations

import duckdb
import networkx as nx

def node_id(platform: str, account_id: str) -> str:
    """The graph node of an account: ``platform:account_id`` (ids are unique within a platform only)."""
    return f"{platform}:{account_id}"


def fuse(con: duckdb.DuckDBPyConnection) -> int:
    """Create table ``network_edges`` (one row per significant pair and trace); returns the number of pairs."""
    con.execute(
        """
        CREATE OR REPLACE TABLE network_edges AS
        SELECT platform, account_a AS source, account_b AS target, trace, weight, shared_objects, co_actions,
               min_dt, median_dt, expected, significance
        FROM pair_significance WHERE significant
        ORDER BY platform, source, target, trace
        """
    )
    return con.execute("SELECT count(*) FROM (SELECT DISTINCT platform, source, target FROM network_edges)").fetchone()[0]  # type: ignore[index]


def build_graph(con: duckdb.DuckDBPyConnection) -> nx.Graph:
    """The fused account graph of ``network_edges``, built in sorted order so that it is the same every run."""
    graph = nx.Graph()
    rows = con.execute(
        """
        SELECT e.platform, e.source, e.target, e.trace, e.weight, e.shared_objects, e.significance,
               sa.handle, ta.handle
        FROM network_edges e
        LEFT JOIN accounts sa ON sa.platform = e.platform AND sa.account_id = e.source
        LEFT JOIN accounts ta ON ta.platform = e.platform AND ta.account_id = e.target
        ORDER BY e.platform, e.source, e.target, e.trace
        """
    ).fetchall()
    for platform, source, target, trace, weight, shared, significance, source_handle, target_handle in rows:
        a, b = node_id(platform, source), node_id(platform, target)
        for node, account_id, handle in ((a, source, source_handle), (b, target, target_handle)):
            if node not in graph:
                graph.add_node(node, platform=platform, account_id=account_id, label=handle or account_id)
        if not graph.has_edge(a, b):
            graph.add_edge(a, b, weight=0.0, significance=significance, traces="")
        edge = graph.edges[a, b]
        edge["weight"] = 1.0 - (1.0 - edge["weight"]) * (1.0 - weight)
        edge["significance"] = max(edge["significance"], significance)
        edge["traces"] = f"{edge['traces']},{trace}" if edge["traces"] else trace
        edge[f"{trace}_weight"] = weight
        edge[f"{trace}_shared_objects"] = shared
        edge[f"{trace}_significance"] = significance
    return graph
