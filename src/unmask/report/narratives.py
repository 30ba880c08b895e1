"""What a cluster pushed and whom it went after, from the narratives stage.

Reads ``cluster_narratives`` (with the languages, known claims and an example from ``narratives``) and
``targets``, and turns each row into display columns with a header a reader understands, strongest rows first.
A column the workspace lacks is left out; a table without ``cluster_id`` is not shown per cluster.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb

from .tables import columns, dict_rows

MAX_ROWS = 10
EXAMPLE_CHARS = 200

Field = tuple[str, str, Callable[[Any], Any]]


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _times(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}\u00d7"


def _listed(value: list | None) -> str:
    return ", ".join(str(v) for v in value or [])


def _first(value: list | None) -> str:
    text = str(value[0]) if value else ""
    return text if len(text) <= EXAMPLE_CHARS else text[:EXAMPLE_CHARS] + "…"


def _same(value: Any) -> Any:
    return value


NARRATIVE_FIELDS: tuple[Field, ...] = (
    ("label", "Narrative", _same),
    ("posts", "Posts", _same),
    ("share", "Share of the network's posts", _pct),
    ("background_share", "Share among other accounts", _pct),
    ("lift", "Lift", _times),
    ("languages", "Languages", _listed),
    ("claims", "Known claims", _listed),
    ("examples", "Example", _first),
)
NARRATIVE_DETAILS = ("languages", "claims", "examples")
TARGET_FIELDS: tuple[Field, ...] = (
    ("target", "Target", _same),
    ("kind", "Kind", _same),
    ("accounts", "Accounts of the network", _same),
    ("mentions", "Mentions", _same),
    ("replies", "Replies", _same),
    ("reposts", "Reposts", _same),
    ("hostile_share", "Hostile share", _pct),
)


def cluster_narratives(con: duckdb.DuckDBPyConnection,
                       cluster_ids: list[int]) -> dict[int, list[dict[str, Any]]] | None:
    """Each cluster's narratives as display rows (most posts first); None when the stage has not run."""
    own = columns(con, "cluster_narratives")
    if "cluster_id" not in own:
        return None
    details = [c for c in NARRATIVE_DETAILS if c in columns(con, "narratives") and c not in own]
    if details and "narrative_id" in own:
        source = ("(SELECT c.*, " + ", ".join(f'n."{c}"' for c in details) +
                  " FROM cluster_narratives c LEFT JOIN narratives n USING (narrative_id))")
        present = own + details
    else:
        source, present = "cluster_narratives", own
    return _per_cluster(con, source, present, NARRATIVE_FIELDS, ("posts", "share"), cluster_ids)


def cluster_targets(con: duckdb.DuckDBPyConnection, cluster_ids: list[int]) -> dict[int, list[dict[str, Any]]] | None:
    """Each cluster's targets as display rows (most accounts first); None when the stage has not run."""
    present = columns(con, "targets")
    if "cluster_id" not in present:
        return None
    return _per_cluster(con, "targets", present, TARGET_FIELDS, ("accounts", "replies", "mentions"), cluster_ids)


def _per_cluster(con: duckdb.DuckDBPyConnection, source: str, present: list[str], fields: tuple[Field, ...],
                 rank: tuple[str, ...], cluster_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    shown = [f for f in fields if f[0] in present]
    if not shown:
        return {cid: [] for cid in cluster_ids}
    order = ", ".join([f'"{c}" DESC NULLS LAST' for c in rank if c in present] + [f'"{shown[0][0]}"'])
    select = ", ".join(f'"{name}"' for name, _, _ in shown)
    rows = dict_rows(
        con,
        f"SELECT cluster_id, {select} FROM {source} "
        f"WHERE cluster_id IN (SELECT unnest(?)) "
        f"QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY {order}) <= {MAX_ROWS} "
        f"ORDER BY cluster_id, {order}",
        [cluster_ids],
    )
    result: dict[int, list[dict[str, Any]]] = {cid: [] for cid in cluster_ids}
    for row in rows:
        result[int(row["cluster_id"])].append({header: show(row[name]) for name, header, show in shown})
    return result
