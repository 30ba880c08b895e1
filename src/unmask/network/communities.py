"""Communities of the fused backbone: Leiden when installed, networkx Louvain otherwise; seeded and repeatable.

Community detection runs on the significance backbone only (never on raw co-occurrence weights, which lump
organic heavy users together), weighted by the fused overlap weight.  Both methods optimise modularity with the
configured resolution.  Leiden (``igraph`` + ``leidenalg``, GPL, installed with ``pip install unmask[leiden]``)
guarantees connected communities; Louvain (networkx) is the always-available fallback.  Nodes and edges are fed
in sorted order and the generator is seeded, so the same backbone always gives the same communities.
``components`` (connected components, as Pacheco et al. and CooRTweet report them) is the third method.

Cluster ids are numbered from 1 by decreasing size, ties broken by the smallest member, so they do not depend on
the method's internal labels.
"""

from __future__ import annotations

import importlib.util

import networkx as nx

from .params import NetworkParams


def leiden_available() -> bool:
    """Whether the optional Leiden back end (``igraph`` and ``leidenalg``) is installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("igraph", "leidenalg"))


def resolve_method(method: str) -> str:
    """The method that will actually run: ``auto`` becomes ``leiden`` when installed, else ``louvain``."""
    if method == "auto":
        return "leiden" if leiden_available() else "louvain"
    if method == "leiden" and not leiden_available():
        raise RuntimeError("Leiden needs the optional extra: pip install 'unmask[leiden]' (igraph, leidenalg; GPL)")
    return method


def detect_communities(graph: nx.Graph, params: NetworkParams) -> dict[str, int]:
    """Map every node of ``graph`` to its cluster id (1 = the largest community)."""
    nodes = sorted(graph.nodes)
    if not nodes:
        return {}
    method = resolve_method(params.method)
    if method == "leiden":
        groups = _leiden(graph, nodes, params)
    elif method == "louvain":
        groups = _louvain(graph, nodes, params)
    else:
        groups = [list(component) for component in nx.connected_components(graph)]
    ordered = sorted((sorted(group) for group in groups), key=lambda members: (-len(members), members[0]))
    return {node: number for number, members in enumerate(ordered, start=1) for node in members}


def _sorted_edges(graph: nx.Graph) -> list[tuple[str, str, float]]:
    return sorted((min(a, b), max(a, b), float(data["weight"])) for a, b, data in graph.edges(data=True))


def _leiden(graph: nx.Graph, nodes: list[str], params: NetworkParams) -> list[list[str]]:
    import igraph
    import leidenalg

    index = {node: i for i, node in enumerate(nodes)}
    edges = _sorted_edges(graph)
    ig = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b, _ in edges])
    partition = leidenalg.find_partition(
        ig,
        leidenalg.RBConfigurationVertexPartition,
        weights=[w for _, _, w in edges],
        resolution_parameter=params.resolution,
        n_iterations=-1,
        seed=params.seed,
    )
    return [[nodes[i] for i in community] for community in partition]


def _louvain(graph: nx.Graph, nodes: list[str], params: NetworkParams) -> list[list[str]]:
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_weighted_edges_from(_sorted_edges(graph))
    found = nx.community.louvain_communities(ordered, weight="weight", resolution=params.resolution, seed=params.seed)
    return [list(group) for group in found]
