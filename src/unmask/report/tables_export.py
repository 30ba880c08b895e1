"""The reviewed tables, each as CSV (spreadsheet-safe) and Parquet, streamed by DuckDB (:mod:`.sql_export`).

* ``accounts`` -- every account: profile, post count, cluster, scores, reasons, persona signals, verdict, notes;
* ``clusters`` -- every cluster: size, score, confidence, traces, DISARM codes, reasons, verdict, notes;
* ``edges`` -- every significant (pair, trace) of ``network_edges``;
* ``evidence`` -- the evidence pairs the report shows (:mod:`.evidence`), with full texts, times and handles; the
  co-actions behind every significant pair are ``CASE/evidence.parquet``, written by ``unmask analyze`` (tens of
  millions of rows on a case of ten million posts: copying them again would cost minutes and gigabytes);
* ``verdicts`` -- the analyst's log as recorded.

A table whose source is missing is not written.  Each query runs once: its Parquet file is written first, and
the CSV is read back from it in the same order.  The analyst's verdicts and the clusters' report columns
(confidence, DISARM codes) are computed in Python, one row per reviewed account or cluster, and joined in
DuckDB from two small registered tables (:func:`reviewed`), so no table row passes through Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .accounts import ORDER, accounts_sql
from .evidence import CHOSEN_TABLE, PAIR_JOINS
from .model import ClusterView
from .sql_export import parquet_scan, write_csv, write_parquet
from .tables import has_table
from .verdicts import Verdicts

Atomic = Callable[[Path, Callable[[Path], Any]], None]

VERDICT_VIEW = "_report_account_verdicts"
CLUSTER_VIEW = "_report_clusters"
EDGES_SQL = "SELECT * FROM network_edges ORDER BY ALL"
EVIDENCE_SQL = f"""
SELECT r.cluster_id, r.trace, r.k AS "rank", r.pairs_on_object, r.platform, r.object_id, r.dt,
       r.account_a, aa.handle AS handle_a, r.post_a, pa.created_at AS time_a, pa.text AS text_a,
       r.account_b, ab.handle AS handle_b, r.post_b, pb.created_at AS time_b, pb.text AS text_b
FROM {CHOSEN_TABLE} r {PAIR_JOINS}
ORDER BY r.cluster_id, r.trace, r.k
"""
VERDICTS_SQL = ('SELECT * FROM verdicts '
                'ORDER BY "at", platform NULLS FIRST, account_id NULLS FIRST, cluster_id NULLS FIRST')
CLUSTERS_SQL = f"SELECT * EXCLUDE (rank) FROM {CLUSTER_VIEW} ORDER BY rank"


def write_tables(con: duckdb.DuckDBPyConnection, out: Path, atomic: Atomic) -> dict[str, Path]:
    """Write each table as ``NAME.csv`` and ``NAME.parquet`` into ``out``; returns the files by name.

    Needs the views of :func:`reviewed`.
    """
    tables = {"accounts": accounts_export_sql(con), "clusters": CLUSTERS_SQL}
    if has_table(con, "network_edges"):
        tables["edges"] = EDGES_SQL
    if has_table(con, CHOSEN_TABLE):
        tables["evidence"] = EVIDENCE_SQL
    if has_table(con, "verdicts"):
        tables["verdicts"] = VERDICTS_SQL
    files: dict[str, Path] = {}
    for name, sql in tables.items():
        parquet = files[f"{name}_parquet"] = out / f"{name}.parquet"
        files[f"{name}_csv"] = out / f"{name}.csv"
        atomic(parquet, partial(write_parquet, con, sql))
        atomic(files[f"{name}_csv"], partial(write_csv, con, f"SELECT * FROM {parquet_scan(parquet)}"))
    return files


@contextmanager
def reviewed(con: duckdb.DuckDBPyConnection, clusters: list[ClusterView], verdicts: Verdicts) -> Iterator[None]:
    """Register the analyst's account verdicts and every cluster's report row as two views for the exports."""
    con.register(VERDICT_VIEW, verdict_table(verdicts))
    con.register(CLUSTER_VIEW, clusters_table(clusters))
    try:
        yield
    finally:
        con.unregister(VERDICT_VIEW)
        con.unregister(CLUSTER_VIEW)


def accounts_export_sql(con: duckdb.DuckDBPyConnection, ordered: bool = True) -> str:
    """Every account with its scores, reasons, persona signals, and the analyst's verdict and notes, strongest
    first unless not ``ordered`` (needs :func:`reviewed`)."""
    sql = (f"SELECT a.*, v.verdict, coalesce(v.notes, []) AS notes FROM ({accounts_sql(con)}) a "
           f"LEFT JOIN {VERDICT_VIEW} v USING (platform, account_id)")
    return f"{sql} ORDER BY {ORDER}" if ordered else sql


def verdict_table(verdicts: Verdicts) -> pa.Table:
    """One row per account the analyst reviewed: its verdict and notes."""
    keys = sorted(verdicts.accounts)
    statuses = [verdicts.accounts[key] for key in keys]
    return pa.table({
        "platform": pa.array([k[0] for k in keys], pa.string()),
        "account_id": pa.array([k[1] for k in keys], pa.string()),
        "verdict": pa.array([s.verdict for s in statuses], pa.string()),
        "notes": pa.array([[v.note for v in s.notes] for s in statuses], pa.list_(pa.string())),
    })


def clusters_table(clusters: list[ClusterView]) -> pa.Table:
    """Every cluster with its confidence, DISARM technique ids, reasons, verdict and notes (``rank``: the report's
    order, strongest first)."""
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
        "rank": pa.array(range(len(clusters)), pa.int64()),
    })
