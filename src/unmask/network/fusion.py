"""Fusion: one account network across every trace, keeping each trace's evidence on the edge.

The backbone is the set of pairs that are significant in at least one decisive trace (see :mod:`.significance`;
supporting traces such as synchronised activity only corroborate), plus the surprising ties between accounts
that the partner test flagged (:mod:`.partners`); a pair that is neither is not an edge, however often its
accounts met.  Table ``network_edges`` holds one row per kept (pair, trace), so nothing of the per-trace evidence
is lost.  The graph built from it has one edge per pair, with the per-trace values as ``{trace}_weight``,
``{trace}_shared_objects`` and ``{trace}_significance`` and two fused values:

* ``weight`` = ``1 - prod(1 - w_t)`` over the pair's kept traces (a noisy-or of the overlap weights: in [0, 1],
  never below the strongest single trace, higher when independent traces agree);
* ``significance`` = the largest per-trace significance (the adjusted p-values already pay for testing every
  pair of every trace, so the strongest trace is the pair's evidence).
"""

from __future__ import annotations

import math

import duckdb
import networkx as nx

from .params import NetworkParams


def node_id(platform: str, account_id: str) -> str:
    """The graph node of an account: ``platform:account_id`` (ids are unique within a platform only)."""
    return f"{platform}:{account_id}"


def fuse(con: duckdb.DuckDBPyConnection, params: NetworkParams) -> None:
    """Create table ``network_edges``: one row per kept pair and trace.

    A (pair, trace) row is kept when it is significant on its own, or when it is a surprising tie
    (``p <= partner_p``) between two accounts that the partner test flagged.  A pair is an edge when one of its
    kept rows belongs to a trace not in ``params.supporting``; its supporting rows are kept alongside.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TABLE network_edges AS
        WITH flagged AS (
            SELECT platform, account_id FROM account_partners WHERE significant
        ), kept AS (
            SELECT p.* FROM pair_significance p
            WHERE p.significant OR (
                p.log10_p <= {math.log10(params.partner_p)!r}
                AND EXISTS (SELECT 1 FROM flagged f WHERE f.platform = p.platform AND f.account_id = p.account_a)
                AND EXISTS (SELECT 1 FROM flagged f WHERE f.platform = p.platform AND f.account_id = p.account_b))
        )
        SELECT platform, account_a AS source, account_b AS target, trace, weight, shared_objects, co_actions,
               min_dt, median_dt, expected, significance
        FROM kept k
        WHERE EXISTS (
            SELECT 1 FROM kept d
            WHERE d.platform = k.platform AND d.account_a = k.account_a AND d.account_b = k.account_b
              AND NOT list_contains($supporting, d.trace))
        ORDER BY platform, source, target, trace
        """,
        {"supporting": list(params.supporting)},
    )


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
            graph.add_edge(a, b, weight=0.0, traces="")
        edge = graph.edges[a, b]
        edge["weight"] = 1.0 - (1.0 - edge["weight"]) * (1.0 - weight)
        edge["traces"] = f"{edge['traces']},{trace}" if edge["traces"] else trace
        edge[f"{trace}_weight"] = weight
        edge[f"{trace}_shared_objects"] = shared
        if significance is not None:  # compatibility mode has none
            edge["significance"] = max(edge.get("significance", significance), significance)
            edge[f"{trace}_significance"] = significance
    return graph
