"""What a cluster pushed and whom it went after, from the narratives stage.

``cluster_narratives`` (joined to ``narratives`` for their labels) and ``targets`` are shown as the stage wrote
them: every column but the cluster id, strongest rows first.  A table without a ``cluster_id`` column cannot be
split by cluster and is not shown per cluster.
"""

from __future__ import annotations

from typing import Any

import duckdb

from .tables import columns, dict_rows

MAX_ROWS = 10
RANK_COLUMNS = ("posts", "accounts", "share", "score", "count", "mentions", "replies")


def cluster_narratives(con: duckdb.DuckDBPyConnection, cluster_ids: list[int]) -> dict[int, list[dict[str, Any]]] | None:
    """Each cluster's narratives (with the ``narratives`` columns joined on ``narrative_id``); None if absent."""
    own = columns(con, "cluster_narratives")
    if "cluster_id" not in own:
        return None
    labels = [c for c in columns(con, "narratives") if c not in own]
    if "narrative_id" in own and labels and "narrative_id" in columns(con, "narratives"):
        source = ("(SELECT c.*, " + ", ".join(f'n."{c}"' for c in labels) +
                  " FROM cluster_narratives c LEFT JOIN narratives n USING (narrative_id))")
        names = own + labels
    else:
        source, names = "cluster_narratives", own
    return _per_cluster(con, source, names, cluster_ids)


def cluster_targets(con: duckdb.DuckDBPyConnection, cluster_ids: list[int]) -> dict[int, list[dict[str, Any]]] | None:
    """Each cluster's targets; None when ``targets`` is absent or not split by cluster."""
    names = columns(con, "targets")
    if "cluster_id" not in names:
        return None
    return _per_cluster(con, "targets", names, cluster_ids)


def _per_cluster(con: duckdb.DuckDBPyConnection, source: str, names: list[str],
                 cluster_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    shown = [n for n in names if n != "cluster_id"]
    rank = next((n for n in RANK_COLUMNS if n in shown), None)
    order = (f'"{rank}" DESC NULLS LAST, ' if rank else "") + ", ".join(f'"{n}"' for n in shown)
    select = ", ".join(f'"{n}"' for n in shown)
    rows = dict_rows(
        con,
        f"SELECT cluster_id AS _cluster, {select} FROM {source} "
        f"WHERE cluster_id IN (SELECT unnest(?)) "
        f"QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY {order}) <= {MAX_ROWS} "
        f"ORDER BY cluster_id, {order}",
        [cluster_ids],
    )
    result: dict[int, list[dict[str, Any]]] = {cid: [] for cid in cluster_ids}
    for row in rows:
        result[int(row.pop("_cluster"))].append(row)
    return result
