"""The network for Gephi, with every attribute: ``exports/network.gexf`` and ``exports/network.graphml``.

The graph is the network stage's fused graph (:func:`unmask.network.fusion.build_graph`: per-trace weight,
shared objects and significance on every edge), with each account's profile, scores, reasons, persona signals,
cluster confidence and the analyst's verdicts added to its node.  Hostile text is made XML-safe (characters
XML 1.0 forbids are written as visible ``\\uXXXX`` escapes; the writers escape the rest), and empty values are
left out rather than written as empty strings, so Gephi types each column from its values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx

from ..network.export import write_gexf
from ..network.fusion import build_graph
from .accounts import select_accounts
from .clusters import cluster_views
from .tables import has_table
from .verdicts import load

XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LIST_SEPARATOR = "; "


def enriched_graph(con: duckdb.DuckDBPyConnection) -> nx.Graph:
    """The fused account graph with every account and cluster attribute on its nodes (empty without edges)."""
    if not has_table(con, "network_edges"):
        return nx.Graph()
    graph = build_graph(con)
    verdicts = load(con)
    clusters = {view.cluster_id: view for view in cluster_views(con, verdicts)}
    for account in select_accounts(con, verdicts, where="flagged OR cluster_id IS NOT NULL"):
        if account.key not in graph:
            continue
        cluster = clusters.get(account.cluster_id) if account.cluster_id is not None else None
        graph.nodes[account.key].update({
            "handle": account.handle,
            "display_name": account.display_name,
            "created_at": account.created_at.isoformat(sep=" ") if account.created_at else None,
            "followers": account.followers,
            "posts": account.posts,
            "cluster_id": account.cluster_id,
            "coordination_score": account.coordination_score,
            "flagged": account.flagged,
            "reasons": LIST_SEPARATOR.join(account.reasons),
            "persona_score": account.persona_score,
            "persona_reasons": LIST_SEPARATOR.join(account.persona_reasons),
            "verdict": account.status.verdict,
            "notes": LIST_SEPARATOR.join(v.note for v in account.status.notes),
            "cluster_confidence": cluster.confidence if cluster else None,
            "cluster_verdict": cluster.status.verdict if cluster else None,
        })
    for _, data in graph.nodes(data=True):
        _scrub(data)
    for _, _, data in graph.edges(data=True):
        _scrub(data)
    renamed = {node: xml_safe(node) for node in graph if xml_safe(node) != node}
    return nx.relabel_nodes(graph, renamed) if renamed else graph


def write_graphs(con: duckdb.DuckDBPyConnection, out: Path, atomic: Callable[[Path, Callable[[Path], Any]], None]
                 ) -> dict[str, Path]:
    """Write ``network.gexf`` and ``network.graphml`` into ``out`` through ``atomic``; returns them by name."""
    graph = enriched_graph(con)
    files = {"gexf": out / "network.gexf", "graphml": out / "network.graphml"}
    atomic(files["gexf"], lambda path: write_gexf(graph, path))
    atomic(files["graphml"], lambda path: nx.write_graphml(graph, path))
    return files


def xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold (control characters, lone surrogates) as ``\\uXXXX``."""
    return XML_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _scrub(data: dict[str, Any]) -> None:
    """Drop empty attribute values and make text values XML-safe, in place."""
    for key in [k for k, v in data.items() if v is None or v == ""]:
        del data[key]
    for key, value in data.items():
        if isinstance(value, str):
            data[key] = xml_safe(value)
