"""Each coordination cluster of a case compared with every reference of a library, calibrated against random
sets of the case's ordinary accounts.

``compare_clusters(con, library_dir, out_dir)`` reads ``account_scores`` (written by ``unmask analyze``) and
writes table ``resemblance`` and ``out_dir/resemblance.csv``: one row per (cluster, reference), the references
of a cluster ranked by similarity, with

``cluster_id, size, rank, reference, similarity, percentile, null_median, families, matching, differing,
missing, statement``

where ``percentile`` places the similarity among random same-size sets of unflagged accounts with posts
(:mod:`.calibrate`), ``families`` names the families compared, ``matching`` / ``differing`` the features in
words (cluster value vs reference value), ``missing`` the families only one side has, and ``statement`` says it
in a sentence.  The wording is "resembles": a resemblance is not attribution.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ..db import has_table, store
from ..exports.csv import write_csv
from .accounts import drop_accounts, prepare_accounts
from .calibrate import NULL_SAMPLES, null_similarities, percentile, statement
from .compare import rank
from .fingerprint import Fingerprint, fingerprint_sets
from .library import load_library

CSV_NAME = "resemblance.csv"
POOL_LABEL = "this case's unflagged accounts"
SCHEMA = pa.schema([
    ("cluster_id", pa.int64()), ("size", pa.int64()), ("rank", pa.int64()), ("reference", pa.string()),
    ("similarity", pa.float64()), ("percentile", pa.float64()), ("null_median", pa.float64()),
    ("families", pa.list_(pa.string())), ("matching", pa.list_(pa.string())), ("differing", pa.list_(pa.string())),
    ("missing", pa.list_(pa.string())), ("statement", pa.string()),
])


@dataclass
class ResemblanceResult:
    """What :func:`compare_clusters` wrote."""

    rows: pa.Table
    clusters: int
    references: int
    csv: Path | None = None


def compare_clusters(
    con: duckdb.DuckDBPyConnection,
    library_dir: Path | str | None = None,
    out_dir: Path | str | None = None,
    samples: int = NULL_SAMPLES,
    seed: int = 0,
) -> ResemblanceResult:
    """Rank every reference of the library (default: the shipped one) for every cluster of ``account_scores``,
    store table ``resemblance`` and, with ``out_dir``, write ``resemblance.csv`` there.

    Raises ``ValueError`` when the workspace has no ``account_scores`` (run ``unmask analyze`` first) and
    :class:`~.library.LibraryError` for a folder that is not a reference library.
    """
    if not has_table(con, "account_scores"):
        raise ValueError("no account_scores in this workspace: run `unmask analyze` first")
    references = load_library(library_dir)
    prepare_accounts(con)
    try:
        clusters = _clusters(con)
        fingerprints = fingerprint_sets(con, {str(c): keys for c, keys in clusters.items()},
                                        {str(c): f"cluster {c}" for c in clusters})
        pool = [tuple(row) for row in con.execute("""
            SELECT s.platform, s.account_id FROM account_scores s JOIN rs_account a USING (platform, account_id)
            WHERE NOT s.flagged AND a.posts > 0 ORDER BY ALL""").fetchall()]
        null = null_similarities(con, pool, [len(keys) for keys in clusters.values()], references, samples, seed)
    finally:
        drop_accounts(con)
    records = []
    for cluster_id, keys in clusters.items():
        fingerprint = fingerprints.get(str(cluster_id))
        if fingerprint is not None:
            records += _rows(cluster_id, len(keys), fingerprint, references, null)
    table = pa.Table.from_pylist(records, schema=SCHEMA)
    store(con, "resemblance", table)
    result = ResemblanceResult(table, len(clusters), len(references))
    if out_dir is not None:
        result.csv = Path(out_dir) / CSV_NAME
        write_csv(result.csv, table, float_digits=4)
    return result


def _clusters(con: duckdb.DuckDBPyConnection) -> dict[int, list[tuple[str, str]]]:
    rows = con.execute("""SELECT cluster_id, platform, account_id FROM account_scores
                          WHERE cluster_id IS NOT NULL ORDER BY ALL""").fetchall()
    out: dict[int, list[tuple[str, str]]] = {}
    for cluster_id, platform, account_id in rows:
        out.setdefault(int(cluster_id), []).append((platform, account_id))
    return out


def _rows(cluster_id: int, size: int, fingerprint: Fingerprint, references: list[Fingerprint],
          null: dict[tuple[int, str], np.ndarray]) -> list[dict]:
    rows = []
    for position, comparison in enumerate(rank(fingerprint, references), start=1):
        sample = null.get((size, comparison.reference), np.array([]))
        rank_value = percentile(comparison.similarity, sample) if comparison.similarity is not None else None
        rows.append({
            "cluster_id": cluster_id, "size": size, "rank": position, "reference": comparison.reference,
            "similarity": comparison.similarity, "percentile": rank_value,
            "null_median": round(float(np.median(sample)), 4) if len(sample) else None,
            "families": list(comparison.families), "matching": comparison.matching(),
            "differing": comparison.differing(), "missing": list(comparison.missing),
            "statement": statement(fingerprint.name, comparison.reference, comparison.similarity, rank_value,
                                   sample, POOL_LABEL),
        })
    return rows
