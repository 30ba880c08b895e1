"""The coordination network: significance against a null model, fusion, communities, explained scores.

``run_network(con, params)`` reads the trace tables (``trace_actions``, ``trace_pairs``, ``trace_evidence``) and
writes, in order of the method's steps:

1. ``pair_significance`` -- every pair sharing ``min_shared`` objects, tested against chance (:mod:`.significance`);
2. ``network_edges`` -- the significant (pair, trace) rows, the backbone (:mod:`.fusion`);
3. communities of the fused backbone (:mod:`.communities`);
4. ``account_scores`` and ``clusters`` -- scores in [0, 1], flags and reasons in words (:mod:`.scores`,
   :mod:`.explain`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import networkx as nx

from .communities import detect_communities, leiden_available, resolve_method
from .fusion import build_graph, fuse, node_id
from .params import NetworkParams
from .scores import score_accounts, score_clusters
from .significance import TraceTests, score_pairs

__all__ = [
    "NetworkParams", "NetworkResult", "TraceTests", "build_graph", "detect_communities", "fuse", "leiden_available",
    "node_id", "resolve_method", "run_network", "score_accounts", "score_clusters", "score_pairs",
]


@dataclass
class NetworkResult:
    """What one run of the network stage found."""

    graph: nx.Graph
    tests: list[TraceTests] = field(default_factory=list)
    method: str = ""
    edges: int = 0
    clusters: int = 0
    flagged: int = 0


def run_network(con: duckdb.DuckDBPyConnection, params: NetworkParams) -> NetworkResult:
    """Test every pair, keep the significant ones, find communities, and score and explain accounts and clusters."""
    tests = score_pairs(con, params)
    edges = fuse(con)
    graph = build_graph(con)
    membership = detect_communities(graph, params)
    clusters = {(graph.nodes[n]["platform"], graph.nodes[n]["account_id"]): c for n, c in membership.items()}
    flagged = score_accounts(con, params, clusters)
    found = score_clusters(con)
    _annotate(graph, con)
    return NetworkResult(graph, tests, resolve_method(params.method), edges, found, flagged)


def _annotate(graph: nx.Graph, con: duckdb.DuckDBPyConnection) -> None:
    """Copy each node's cluster id and coordination score onto the graph, for Gephi."""
    rows = con.execute(
        "SELECT platform, account_id, cluster_id, coordination_score FROM account_scores WHERE cluster_id IS NOT NULL"
    ).fetchall()
    for platform, account_id, cluster_id, score in rows:
        node = graph.nodes[node_id(platform, account_id)]
        node["cluster_id"] = cluster_id
        node["coordination_score"] = score
