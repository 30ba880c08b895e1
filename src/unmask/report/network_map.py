"""The interactive network map: clustered accounts, their strongest ties, positions, colours and a legend.

Large cases stay usable: at most ``max_nodes`` accounts (highest coordination score first) and ``max_edges``
pairs (most significant first) are embedded, and the map says how many were left out.  Positions are computed
here, deterministically, so the browser only draws: each cluster is laid out on its own (a seeded
force-directed layout when small, a sunflower disc ordered by score when large), then the clusters are packed
in rows, strongest first, each with an area proportional to its size.  Dots shrink on maps of more than 2,000
accounts (down to a third of their size), so dense clusters keep their shape.
"""

from __future__ import annotations

import math

import duckdb
import networkx as nx

from ..network.fusion import node_id
from .accounts import ORDER, select_accounts
from .model import AccountRow, ClusterView, NetworkMap, ReportOptions
from .tables import has_table, scalar
from .verdicts import Verdicts

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22",
           "#393b79", "#637939", "#843c39")
OTHER_COLOUR = "#8a94a6"
SPRING_MAX = 300
GAP = 1.5
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
CARD_REASON_CHARS = 300
FULL_SIZE_NODES = 2_000
MIN_SCALE = 0.35

EDGES_SQL = f"""
WITH chosen AS (
    SELECT platform, account_id FROM account_scores WHERE cluster_id IS NOT NULL
    ORDER BY {ORDER} LIMIT $max_nodes
), pairs AS (
    SELECT platform, source, target, 1 - product(1 - least(greatest(weight, 0), 1)) AS weight,
           max(significance) AS significance
    FROM network_edges GROUP BY platform, source, target
)
SELECT p.platform, p.source, p.target, p.weight FROM pairs p
SEMI JOIN chosen a ON a.platform = p.platform AND a.account_id = p.source
SEMI JOIN chosen b ON b.platform = p.platform AND b.account_id = p.target
ORDER BY p.significance DESC, p.weight DESC, p.platform, p.source, p.target
LIMIT $max_edges
"""


def network_map(con: duckdb.DuckDBPyConnection, verdicts: Verdicts, views: list[ClusterView],
                options: ReportOptions) -> NetworkMap | None:
    """The map of every clustered account; None when the network stage has not run."""
    if not (has_table(con, "account_scores") and has_table(con, "network_edges")):
        return None
    accounts = select_accounts(con, verdicts, where="cluster_id IS NOT NULL", limit=options.max_nodes,
                               max_text=CARD_REASON_CHARS)
    index = {a.key: i for i, a in enumerate(accounts)}
    rows = con.execute(EDGES_SQL, {"max_nodes": options.max_nodes, "max_edges": options.max_edges}).fetchall()
    edges = [[index[node_id(p, s)], index[node_id(p, t)], round(float(w), 4)] for p, s, t, w in rows]
    colours: dict[int | None, str] = {view.cluster_id: PALETTE[rank] for rank, view in enumerate(views[: len(PALETTE)])}
    positions = layout(accounts, edges)
    scale = node_scale(len(accounts))
    nodes = [_node(a, positions[i], colours.get(a.cluster_id, OTHER_COLOUR), scale) for i, a in enumerate(accounts)]
    return NetworkMap(
        nodes=nodes,
        edges=edges,
        legend=_legend(views, colours),
        nodes_total=int(scalar(con, "SELECT count(*) FROM account_scores WHERE cluster_id IS NOT NULL") or 0),
        edges_total=int(scalar(con, "SELECT count(*) FROM (SELECT DISTINCT platform, source, target "
                                    "FROM network_edges)") or 0),
    )


def layout(accounts: list[AccountRow], edges: list[list]) -> list[tuple[float, float]]:
    """Positions of ``accounts`` (indexed as in ``edges``): each cluster laid out alone, then packed in rows."""
    groups: dict[int | None, list[int]] = {}
    for i, account in enumerate(accounts):
        groups.setdefault(account.cluster_id, []).append(i)
    inside: dict[int | None, list[tuple[int, int, float]]] = {key: [] for key in groups}
    for a, b, weight in edges:
        if accounts[a].cluster_id == accounts[b].cluster_id:
            inside[accounts[a].cluster_id].append((a, b, weight))
    discs = [(members, _disc(members, inside[key])) for key, members in groups.items()]
    discs.sort(key=lambda item: (-len(item[0]), item[0][0]))
    positions: list[tuple[float, float]] = [(0.0, 0.0)] * len(accounts)
    for (members, local), (cx, cy, radius) in zip(discs, _pack([math.sqrt(len(m)) for m, _ in discs]), strict=True):
        for i in members:
            x, y = local[i]
            positions[i] = (round(cx + x * radius, 3), round(cy + y * radius, 3))
    return positions


def _disc(members: list[int], edges: list[tuple[int, int, float]]) -> dict[int, tuple[float, float]]:
    """Positions of one cluster within the unit disc."""
    if len(members) == 1:
        return {members[0]: (0.0, 0.0)}
    if len(members) <= SPRING_MAX:
        graph: nx.Graph = nx.Graph()
        graph.add_nodes_from(members)
        graph.add_weighted_edges_from(edges)
        raw = {n: (float(p[0]), float(p[1])) for n, p in nx.spring_layout(graph, seed=0, iterations=60).items()}
    else:
        raw = {n: (math.sqrt(k + 0.5) * math.cos(k * GOLDEN_ANGLE), math.sqrt(k + 0.5) * math.sin(k * GOLDEN_ANGLE))
               for k, n in enumerate(members)}
    reach = max(math.hypot(x, y) for x, y in raw.values()) or 1.0
    return {n: (x / reach, y / reach) for n, (x, y) in raw.items()}


def _pack(radii: list[float]) -> list[tuple[float, float, float]]:
    """Centres of discs of ``radii`` (largest first) placed left to right in rows of a roughly square block."""
    area = sum((2 * r + GAP) ** 2 for r in radii)
    width = max(max(radii, default=1.0) * 2 + GAP, math.sqrt(area) * 1.2)
    placed, x, y, row_height = [], 0.0, 0.0, 0.0
    for r in radii:
        diameter = 2 * r + GAP
        if x > 0 and x + diameter > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        placed.append((x + diameter / 2, -(y + diameter / 2), r))
        x += diameter
        row_height = max(row_height, diameter)
    return placed


def node_scale(count: int) -> float:
    """How much to shrink dots on a map of ``count`` accounts so that dense clusters stay legible."""
    return min(1.0, max(MIN_SCALE, math.sqrt(FULL_SIZE_NODES / max(count, 1))))


def _node(account: AccountRow, position: tuple[float, float], colour: str, scale: float) -> dict:
    score = account.coordination_score or 0.0
    return {
        "id": account.key,
        "x": position[0],
        "y": position[1],
        "size": round((3 + 9 * score * score) * scale, 2),
        "color": colour,
        "label": account.handle or account.account_id,
        "cluster": account.cluster_id,
        "card": {
            "handle": account.handle,
            "name": account.display_name,
            "platform": account.platform,
            "account_id": account.account_id,
            "created": account.created_at.date().isoformat() if account.created_at else None,
            "followers": account.followers,
            "posts": account.posts,
            "score": round(score, 3),
            "persona_score": None if account.persona_score is None else round(account.persona_score, 3),
            "reasons": [r[:CARD_REASON_CHARS] for r in account.reasons],
            "verdict": account.status.verdict,
        },
    }


def _legend(views: list[ClusterView], colours: dict[int | None, str]) -> list[dict]:
    legend = [{"label": f"C{v.cluster_id}", "cluster": v.cluster_id, "color": colours[v.cluster_id], "size": v.size}
              for v in views if v.cluster_id in colours]
    rest = sum(v.size for v in views if v.cluster_id not in colours)
    if rest:
        legend.append({"label": "other clusters", "cluster": None, "color": OTHER_COLOUR, "size": rest})
    return legend
