"""The coordination network: significance against a null model, fusion, communities, explained scores.

``run_network(con, params)`` reads the trace tables (``trace_actions``, ``trace_pairs``, ``trace_evidence``) and
writes, in order of the method's steps:

1. ``pair_significance`` -- every pair sharing ``min_shared`` objects, tested against chance (:mod:`.significance`);
2. ``account_partners`` -- every account, tested for more surprising partners than chance allows (:mod:`.partners`);
3. ``network_edges`` -- the significant (pair, trace) rows and the partner ties, the backbone (:mod:`.fusion`);
4. communities of the fused backbone (:mod:`.communities`);
5. ``account_scores`` and ``clusters`` -- scores in [0, 1], flags and reasons in words (:mod:`.scores`,
   :mod:`.explain`).

``run_compat_network`` builds step 3 with CooRTweet's or the QUT toolkit's rules instead (:mod:`.compat`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import duckdb
import networkx as nx

from ..compat.result import CompatResult
from .communities import detect_communities, leiden_available, resolve_method
from .compat import EVIDENCE_SOURCE, WEIGHT_EVIDENCE_SQL, fuse_compat
from .fusion import build_graph, fuse, node_id
from .params import NetworkParams
from .partners import score_partners
from .scores import score_accounts, score_clusters, significance_evidence_sql
from .significance import TraceTests, score_pairs

__all__ = [
    "NetworkParams", "NetworkResult", "TraceTests", "build_graph", "detect_communities", "fuse", "leiden_available",
    "node_id", "resolve_method", "run_compat_network", "run_network", "score_accounts", "score_clusters",
    "score_pairs", "score_partners",
]


@dataclass
class NetworkResult:
    """What one run of the network stage found, and where the posts behind its edges are (``evidence``)."""

    graph: nx.Graph
    method: str
    evidence: str = "trace_evidence"
    tests: list[TraceTests] = field(default_factory=list)
    edges: int = 0
    clusters: int = 0
    flagged: int = 0


def run_network(con: duckdb.DuckDBPyConnection, params: NetworkParams) -> NetworkResult:
    """Test every pair, keep the significant ones, find communities, and score and explain accounts and clusters."""
    tests = score_pairs(con, params)
    score_partners(con, params)
    fuse(con, params)
    result = group_and_score(con, params, significance_evidence_sql(params), params.partner_p)
    result.tests = tests
    return result


def run_compat_network(
    con: duckdb.DuckDBPyConnection, mode: str, window: float, min_weight: int | None, params: NetworkParams
) -> tuple[NetworkResult, CompatResult]:
    """CooRTweet's or QUT's network on the reposts, grouped into connected components and scored by raw weight."""
    compat = fuse_compat(con, mode, window, min_weight)
    result = group_and_score(con, replace(params, method="components"), WEIGHT_EVIDENCE_SQL, None)
    result.evidence = EVIDENCE_SOURCE
    return result, compat


def group_and_score(
    con: duckdb.DuckDBPyConnection, params: NetworkParams, evidence_sql: str, partner_p: float | None
) -> NetworkResult:
    """From ``network_edges``: the fused graph, its communities, account and cluster scores, annotated nodes."""
    graph = build_graph(con)
    membership = detect_communities(graph, params)
    clusters = {(graph.nodes[n]["platform"], graph.nodes[n]["account_id"]): c for n, c in membership.items()}
    flagged = score_accounts(con, clusters, evidence_sql, partner_p)
    found = score_clusters(con)
    _annotate(graph, con)
    return NetworkResult(graph, resolve_method(params.method), edges=graph.number_of_edges(), clusters=found,
                         flagged=flagged)


def _annotate(graph: nx.Graph, con: duckdb.DuckDBPyConnection) -> None:
    """Copy each node's cluster id and coordination score onto the graph, for Gephi."""
    rows = con.execute(
        "SELECT platform, account_id, cluster_id, coordination_score FROM account_scores WHERE cluster_id IS NOT NULL"
    ).fetchall()
    for platform, account_id, cluster_id, score in rows:
        node = graph.nodes[node_id(platform, account_id)]
        node["cluster_id"] = cluster_id
        node["coordination_score"] = score
