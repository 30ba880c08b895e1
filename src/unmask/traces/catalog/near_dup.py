"""Near-duplicate text: accounts posting texts that are near-copies of each other within the text window.

Normalised texts are grouped by MinHash over character shingles (so it works unsegmented for Chinese) with LSH
banding and union-find (:mod:`unmask.traces.minhash`); the group of every text that has near-copies is kept in
``trace_near_dup_clusters(text_hash, cluster_id)`` for reports, and the group is the object.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from ..base import Trace, register
from ..minhash import near_duplicate_labels, signatures
from ..params import TraceParams
from ..texts import TEXTS, create_texts

CLUSTERS = "trace_near_dup_clusters"


@register
class NearDuplicate(Trace):
    """Object: the near-duplicate group (named by the hash of its first text), else the text's own hash."""

    name = "near_dup"
    description = "Posted near-duplicate texts (MinHash over character shingles) within the text window."

    def window(self, params: TraceParams) -> float:
        """Near-copies are pasted like copies: the text window."""
        return params.text_window_seconds

    def prepare(self, con: duckdb.DuckDBPyConnection, params: TraceParams) -> None:
        """Normalise the texts once per run (shared with co-post: :mod:`unmask.traces.texts`), group the distinct
        ones and store the groups with more than one."""
        create_texts(con, params)
        texts = con.sql(
            f"SELECT text_hash, MIN(text_key) AS text_key FROM {TEXTS} GROUP BY 1 ORDER BY 1"
        ).to_arrow_table()
        keys = texts.column("text_key").to_pylist()
        sig = signatures(keys, params.shingle_size, params.minhash_permutations, params.minhash_seed)
        labels = near_duplicate_labels(sig, params.minhash_bands, params.minhash_rows, params.near_dup_threshold)
        grouped = np.flatnonzero(np.bincount(labels, minlength=len(labels))[labels] > 1)
        hashes = texts.column("text_hash")
        clusters = pa.table({"text_hash": hashes.take(grouped), "cluster_id": hashes.take(labels[grouped])})
        con.execute(f"DROP TABLE IF EXISTS {CLUSTERS}")
        con.register("near_dup_clusters_arrow", clusters)
        con.execute(f"CREATE TABLE {CLUSTERS} AS SELECT text_hash, cluster_id FROM near_dup_clusters_arrow")
        con.unregister("near_dup_clusters_arrow")

    def actions_sql(self, params: TraceParams) -> str:
        """Every authored post with a long enough normalised text acts on its text's group."""
        return f"""
SELECT t.platform, t.account_id, COALESCE(c.cluster_id, t.text_hash) AS object_id, t.ts, t.post_id
FROM {TEXTS} t LEFT JOIN {CLUSTERS} c ON c.text_hash = t.text_hash"""
