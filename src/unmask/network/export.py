"""The network's tables in the case folder: accounts, clusters and edges as CSV, the evidence behind every edge.

Every file is written in a fixed row order, so the same workspace and options give the same bytes.  The Gephi
graphs (``network.gexf``, ``network.graphml``) are written with the report, which adds every later column.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..exports.csv import write_csv
from . import NetworkResult

ACCOUNTS_SQL = """
SELECT platform, account_id, handle, cluster_id, coordination_score, flagged, reasons FROM account_scores
"""
ACCOUNTS_ORDER = "coordination_score DESC, platform, account_id"
CLUSTERS_SQL = """
SELECT cluster_id, size, platforms, score, pairs, density, traces, reasons FROM clusters
"""
CLUSTERS_ORDER = "cluster_id"

ACCOUNT_EXTRAS = {
    "persona_signals": """SELECT platform, account_id, persona_score, persona_flagged, persona_reasons, utc_offset,
                                 office_share, created_in_burst, ai_face_score, avatar_reuse_accounts
                          FROM persona_signals""",
    "account_narratives": "SELECT * FROM account_narratives",
}
"""Later stages' per-account columns joined onto accounts.csv when their table exists (keyed by platform, account_id)."""

CLUSTER_EXTRAS = {
    "face_clusters": """SELECT TRY_CAST(cluster_id AS BIGINT) AS cluster_id, template_share AS face_template_share,
                               blend_sharpness AS face_blend_sharpness
                        FROM face_clusters WHERE TRY_CAST(cluster_id AS BIGINT) IS NOT NULL""",
    "cluster_narrative_summary": "SELECT * FROM cluster_narrative_summary",
    "resemblance": """SELECT cluster_id, reference AS resembles, similarity AS resemblance,
                             percentile AS resemblance_percentile
                      FROM resemblance WHERE rank = 1""",
}
"""Later stages' per-cluster columns joined onto clusters.csv when their table exists (keyed by cluster_id)."""
EDGES_SQL = """
SELECT platform, source, target, trace, weight, shared_objects, significance, co_actions, min_dt, median_dt,
       expected
FROM network_edges ORDER BY platform, source, target, trace
"""
EVIDENCE_SQL = """
SELECT e.trace, e.platform, e.account_a, e.account_b, e.object_id, e.dt,
       e.post_a, pa.created_at AS time_a, pa.text AS text_a,
       e.post_b, pb.created_at AS time_b, pb.text AS text_b
FROM {source} e
SEMI JOIN network_edges n ON n.platform = e.platform AND n.trace = e.trace
                         AND n.source = e.account_a AND n.target = e.account_b
LEFT JOIN posts pa ON pa.platform = e.platform AND pa.post_id = e.post_a
LEFT JOIN posts pb ON pb.platform = e.platform AND pb.post_id = e.post_b
ORDER BY e.platform, e.account_a, e.account_b, e.trace, e.object_id, e.post_a, e.post_b
"""


def export_network(con: duckdb.DuckDBPyConnection, network: NetworkResult, out: Path) -> dict[str, Path]:
    """Write accounts.csv, clusters.csv, edges.csv and evidence.parquet to ``out``.

    The evidence is the posts behind every edge, read from ``network.evidence`` (``trace_evidence`` normally).
    """
    files = {
        "accounts": out / "accounts.csv",
        "clusters": out / "clusters.csv",
        "edges": out / "edges.csv",
        "evidence": out / "evidence.parquet",
    }
    accounts = with_extras(con, ACCOUNTS_SQL, ACCOUNT_EXTRAS, "platform, account_id", ACCOUNTS_ORDER)
    write_csv(files["accounts"], con.sql(accounts).to_arrow_table())
    clusters = with_extras(con, CLUSTERS_SQL, CLUSTER_EXTRAS, "cluster_id", CLUSTERS_ORDER)
    write_csv(files["clusters"], con.sql(clusters).to_arrow_table())
    write_csv(files["edges"], con.sql(EDGES_SQL).to_arrow_table())
    evidence = EVIDENCE_SQL.format(source=network.evidence)
    con.execute(f"COPY ({evidence}) TO '{_sql_path(files['evidence'])}' (FORMAT parquet, COMPRESSION zstd)")
    return files


def with_extras(con: duckdb.DuckDBPyConnection, base: str, extras: dict[str, str], keys: str, order: str) -> str:
    """SQL for ``base`` with the columns of every extra whose table exists, joined on ``keys``, in ``order``."""
    present = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    joins = "".join(
        f" LEFT JOIN ({sql}) AS {name} USING ({keys})" for name, sql in extras.items() if name in present
    )
    return f"SELECT * FROM ({base}) AS base{joins} ORDER BY {order}"


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
