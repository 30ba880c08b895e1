"""A cluster's profile-photo evidence from the persona stage: montage, average-face blend, counts.

Reads ``face_clusters`` (one row per cluster, with the PNG paths it wrote under ``CASE/faces/``) and ``faces``
(per avatar, with ``reuse_accounts``: how many accounts show the same or a near-same image).  Images are
embedded as ``data:`` URIs so the report stays one file; only PNG files inside the case folder are read.
"""

from __future__ import annotations

import base64
from pathlib import Path

import duckdb

from .model import Faces
from .tables import has_columns, has_table

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_IMAGE_BYTES = 8 * 1024 * 1024

CLUSTERS_SQL = """
SELECT CAST(cluster_id AS VARCHAR), faces, template_matches, blend_png, montage_png FROM face_clusters
WHERE CAST(cluster_id AS VARCHAR) IN (SELECT CAST(unnest($clusters) AS VARCHAR))
"""
REUSED_SQL = """
SELECT s.cluster_id, count(DISTINCT (f.platform, f.account_id))
FROM faces f JOIN account_scores s ON s.platform = f.platform AND s.account_id = f.account_id
WHERE s.cluster_id IN (SELECT unnest($clusters)) AND f.reuse_accounts > 1
GROUP BY ALL
"""


def cluster_faces(con: duckdb.DuckDBPyConnection, case_dir: Path, cluster_ids: list[int],
                  embed: set[int]) -> dict[int, Faces] | None:
    """The face evidence of each cluster that has any, with images for the clusters in ``embed`` only;
    None when the persona stage has not run."""
    if not has_table(con, "face_clusters"):
        return None
    args = {"clusters": cluster_ids}
    reused: dict[int, int] = {}
    if has_columns(con, "faces", "platform", "account_id", "reuse_accounts") and has_table(con, "account_scores"):
        reused = dict(con.execute(REUSED_SQL, args).fetchall())
    result = {}
    for name, found, matches, blend_png, montage_png in con.execute(CLUSTERS_SQL, args).fetchall():
        cid = int(name)
        result[cid] = Faces(
            montage=png_data_uri(case_dir, montage_png) if cid in embed else None,
            blend=png_data_uri(case_dir, blend_png) if cid in embed else None,
            analysed=found or 0,
            ai_faces=matches or 0,
            reused=reused.get(cid, 0),
        )
    return result


def png_data_uri(case_dir: Path, recorded: str | None) -> str | None:
    """The PNG at ``recorded`` as a ``data:`` URI, if it lies inside the case folder (or its ``faces/``)."""
    if not recorded:
        return None
    root = case_dir.resolve()
    for candidate in (Path(recorded), root / "faces" / Path(recorded).name):
        path = (root / candidate).resolve()
        if path.is_relative_to(root) and path.is_file() and path.stat().st_size <= MAX_IMAGE_BYTES:
            data = path.read_bytes()
            if data.startswith(PNG_MAGIC):
                return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return None
