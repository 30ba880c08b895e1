"""The reviewed tables, each as CSV (spreadsheet-safe, via :func:`unmask.exports.csv.write_csv`) and Parquet.

* ``accounts`` -- every account: profile, post count, cluster, scores, reasons, persona signals, verdict, notes;
* ``clusters`` -- every cluster: size, score, confidence, traces, DISARM codes, reasons, verdict, notes;
* ``edges`` -- every significant (pair, trace) of ``network_edges``;
* ``evidence`` -- the posts behind the edges, with full text, times and both accounts' handles;
* ``verdicts`` -- the analyst's log as recorded.

A table whose source is missing is not written.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..exports.csv import write_csv
from .accounts import ORDER, accounts_sql
from .model import ClusterView
from .tables import has_table
from .verdicts import Verdicts

Atomic = Callable[[Path, Callable[[Path], Any]], None]

EDGES_SQL = "SELECT * FROM network_edges ORDER BY ALL"
EVIDENCE_SQL = """
SELECT s.cluster_id, e.trace, e.platform, e.object_id, e.dt,
       e.account_a, aa.handle AS handle_a, e.post_a, pa.created_at AS time_a, pa.text AS text_a,
       e.account_b, ab.handle AS handle_b, e.post_b, pb.created_at AS time_b, pb.text AS text_b
FROM trace_evidence e
LEFT JOIN account_scores s ON s.platform = e.platform AND s.account_id = e.account_a
LEFT JOIN accounts aa ON aa.platform = e.platform AND aa.account_id = e.account_a
LEFT JOIN accounts ab ON ab.platform = e.platform AND ab.account_id = e.account_b
LEFT JOIN posts pa ON pa.platform = e.platform AND pa.post_id = e.post_a
LEFT JOIN posts pb ON pb.platform = e.platform AND pb.post_id = e.post_b
ORDER BY e.platform, e.account_a, e.account_b, e.trace, e.object_id, e.post_a, e.post_b
"""
VERDICTS_SQL = ('SELECT * FROM verdicts '
                'ORDER BY "at", platform NULLS FIRST, account_id NULLS FIRST, cluster_id NULLS FIRST')


def write_tables(con: duckdb.DuckDBPyConnection, clusters: list[ClusterView], verdicts: Verdicts, out: Path,
                 atomic: Atomic) -> dict[str, Path]:
    """Write each table as ``NAME.csv`` and ``NAME.parquet`` into ``out``; returns the files by name."""
    tables = {"accounts": accounts_table(con, verdicts), "clusters": clusters_table(clusters)}
    if has_table(con, "network_edges"):
        tables["edges"] = con.sql(EDGES_SQL).to_arrow_table()
    if has_table(con, "trace_evidence") and has_table(con, "account_scores"):
        tables["evidence"] = con.sql(EVIDENCE_SQL).to_arrow_table()
    if has_table(con, "verdicts"):
        tables["verdicts"] = con.sql(VERDICTS_SQL).to_arrow_table()
    files: dict[str, Path] = {}
    for name, table in tables.items():
        files[f"{name}_csv"] = out / f"{name}.csv"
        files[f"{name}_parquet"] = out / f"{name}.parquet"
        atomic(files[f"{name}_csv"], partial(write_csv, data=table))
        atomic(files[f"{name}_parquet"], partial(pq.write_table, table, compression="zstd"))
    return files


def accounts_table(con: duckdb.DuckDBPyConnection, verdicts: Verdicts) -> pa.Table:
    """Every account with its scores, reasons, persona signals, and the analyst's verdict and notes."""
    keys = sorted(verdicts.accounts)
    statuses = [verdicts.accounts[key] for key in keys]
    con.register("_report_verdicts", pa.table({
        "platform": pa.array([k[0] for k in keys], pa.string()),
        "account_id": pa.array([k[1] for k in keys], pa.string()),
        "verdict": pa.array([s.verdict for s in statuses], pa.string()),
        "notes": pa.array([[v.note for v in s.notes] for s in statuses], pa.list_(pa.string())),
    }))
    try:
        return con.sql(
            f"SELECT a.*, v.verdict, coalesce(v.notes, []) AS notes FROM ({accounts_sql(con)}) a "
            f"LEFT JOIN _report_verdicts v USING (platform, account_id) ORDER BY {ORDER}"
        ).to_arrow_table()
    finally:
        con.unregister("_report_verdicts")


def clusters_table(clusters: list[ClusterView]) -> pa.Table:
    """Every cluster with its confidence, DISARM technique ids, reasons, verdict and notes."""
    return pa.table({
        "cluster_id": pa.array([c.cluster_id for c in clusters], pa.int64()),
        "label": pa.array([c.label for c in clusters], pa.string()),
        "size": pa.array([c.size for c in clusters], pa.int64()),
        "platforms": pa.array([c.platforms for c in clusters], pa.list_(pa.string())),
        "score": pa.array([c.score for c in clusters], pa.float64()),
        "confidence": pa.array([c.confidence for c in clusters], pa.string()),
        "pairs": pa.array([c.pairs for c in clusters], pa.int64()),
        "density": pa.array([c.density for c in clusters], pa.float64()),
        "traces": pa.array([c.traces for c in clusters], pa.list_(pa.string())),
        "disarm": pa.array([[t.technique.id for t in c.techniques] for c in clusters], pa.list_(pa.string())),
        "reasons": pa.array([c.reasons for c in clusters], pa.list_(pa.string())),
        "verdict": pa.array([c.status.verdict for c in clusters], pa.string()),
        "notes": pa.array([[v.note for v in c.status.notes] for c in clusters], pa.list_(pa.string())),
    })
