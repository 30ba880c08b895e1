"""``analyze_faces``: profile photos of a workspace (or of a list of files) -> per-image and per-cluster evidence.

On a workspace it reads the avatar rows of ``media`` (``kind = 'avatar'`` with a ``local_path``) and
``accounts.avatar_path``, analyses each file once, and writes:

* ``faces``: one row per (platform, account_id, path) with the per-image columns of :mod:`.analyze`, plus
  ``reuse_group`` and ``reuse_accounts`` (how many accounts show the same or a near-same image);
* ``media.phash`` for avatar rows, so other traces can match shared images;
* ``face_clusters``: per cluster of ``account_scores`` (when that table exists) and for all accounts together,
  the share of faces at the template and the blend sharpness, with blend and montage PNGs in ``CASE/faces/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb
import pyarrow as pa
from PIL import Image

from ...db import has_table, scalar, store
from .analyze import FaceResult, analyze_paths, results_table
from .backends import Backend, get_backend
from .cluster import montage, summarise
from .images import LoadedImage, image_files, load_image
from .phash import near_duplicate_groups

FACES_DIR = "faces"
MAX_GROUP_IMAGES = 400
ALL_ACCOUNTS = "all"


def analyze_faces(
    con_or_paths: duckdb.DuckDBPyConnection | Iterable[Path | str] | Path | str,
    backend: str | Backend = "auto",
    on_image: Callable[[FaceResult], None] | None = None,
) -> pa.Table:
    """Analyse profile photos; returns one row per image (per account and image for a workspace).

    ``con_or_paths`` is an open workspace connection (results are also written to it, see the module text),
    a folder of images, or an iterable of image paths.  ``backend`` is ``auto``, ``dlib``, ``haar`` or a
    back-end instance.  Raises :class:`~.backends.FacesUnavailable` when no back end can run.
    """
    locator = get_backend(backend) if isinstance(backend, str) else backend
    if isinstance(con_or_paths, duckdb.DuckDBPyConnection):
        return _analyze_workspace(con_or_paths, locator, on_image)
    paths = image_files(con_or_paths) if isinstance(con_or_paths, (str, Path)) else list(con_or_paths)
    return results_table(analyze_paths(paths, locator, on_image))


def _analyze_workspace(con: duckdb.DuckDBPyConnection, locator: Backend,
                       on_image: Callable[[FaceResult], None] | None) -> pa.Table:
    case_dir = _case_dir(con)
    avatars = _avatars(con, case_dir)
    results = {r.path: r for r in analyze_paths(avatars.column("path").to_pylist(), locator, on_image)}
    per_image = results_table(results.values())
    con.register("_faces_images", per_image)
    con.register("_faces_avatars", avatars)
    con.execute(
        """
        CREATE OR REPLACE TABLE faces AS
        SELECT a.platform, a.account_id, a.media_id, i.*
        FROM _faces_avatars a JOIN _faces_images i USING (path)
        ORDER BY a.platform, a.account_id, i.path
        """
    )
    _add_reuse(con)
    con.execute(
        """
        UPDATE media SET phash = f.phash
        FROM (SELECT DISTINCT platform, media_id, account_id, phash FROM faces
              WHERE media_id IS NOT NULL AND phash IS NOT NULL) f
        WHERE media.kind = 'avatar' AND media.platform = f.platform AND media.media_id = f.media_id
          AND media.account_id = f.account_id
        """
    )
    con.unregister("_faces_images")
    con.unregister("_faces_avatars")
    _write_clusters(con, case_dir / FACES_DIR)
    return con.sql("SELECT * FROM faces ORDER BY platform, account_id, path").to_arrow_table()


def _case_dir(con: duckdb.DuckDBPyConnection) -> Path:
    path = scalar(con, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    return Path(path).parent if path else Path.cwd()


def _avatars(con: duckdb.DuckDBPyConnection, case_dir: Path) -> pa.Table:
    """Avatar files of the workspace: (platform, account_id, media_id, path), paths resolved and existing."""
    rows = con.execute(
        """
        SELECT platform, account_id, media_id, local_path, source_file FROM media
        WHERE kind = 'avatar' AND local_path IS NOT NULL AND local_path <> ''
        UNION
        SELECT platform, account_id, NULL, avatar_path, source_file FROM accounts
        WHERE avatar_path IS NOT NULL AND avatar_path <> ''
        ORDER BY 1, 2, 3 NULLS LAST, 4
        """
    ).fetchall()
    seen = set()
    records = []
    for platform, account_id, media_id, local_path, source_file in rows:
        path = str(_resolve(local_path, case_dir, source_file))
        if (platform, account_id, path) in seen:
            continue
        seen.add((platform, account_id, path))
        records.append({"platform": platform, "account_id": account_id, "media_id": media_id, "path": path})
    schema = pa.schema([("platform", pa.string()), ("account_id", pa.string()), ("media_id", pa.string()),
                        ("path", pa.string())])
    return pa.Table.from_pylist(records, schema=schema)


def _resolve(local_path: str, case_dir: Path, source_file: str | None) -> Path:
    """An absolute path as is; a relative one against the case folder, else the source file's folder."""
    path = Path(local_path)
    if path.is_absolute():
        return path
    candidates = [case_dir / path]
    if source_file:
        candidates.append(Path(source_file).parent / path)
    return next((c for c in candidates if c.exists()), candidates[0])


def _add_reuse(con: duckdb.DuckDBPyConnection) -> None:
    """Add ``reuse_group`` and ``reuse_accounts`` to ``faces`` from near-duplicate pHash groups."""
    rows = con.execute("SELECT DISTINCT path, phash FROM faces WHERE phash IS NOT NULL").fetchall()
    groups = near_duplicate_groups({path: hashed for path, hashed in rows})
    con.register("_faces_groups", pa.table({"path": list(groups), "reuse_group": list(groups.values())}))
    con.execute(
        """
        CREATE OR REPLACE TABLE faces AS
        WITH g AS (SELECT f.*, g.reuse_group FROM faces f LEFT JOIN _faces_groups g USING (path))
        SELECT g.*, CASE WHEN reuse_group IS NULL THEN NULL ELSE
               count(DISTINCT (platform, account_id)) OVER (PARTITION BY reuse_group) END AS reuse_accounts
        FROM g ORDER BY platform, account_id, path
        """
    )
    con.unregister("_faces_groups")


def _write_clusters(con: duckdb.DuckDBPyConnection, out_dir: Path) -> None:
    """Write ``face_clusters`` and each group's blend and montage PNGs (all accounts, then each cluster)."""
    groups: list[tuple[str, list[tuple[str, bool, bool]]]] = [(ALL_ACCOUNTS, _group_rows(con, None))]
    if has_table(con, "account_scores"):
        cluster_ids = [r[0] for r in con.execute(
            "SELECT DISTINCT CAST(cluster_id AS VARCHAR) FROM account_scores WHERE cluster_id IS NOT NULL ORDER BY 1"
        ).fetchall()]
        groups += [(cluster, _group_rows(con, cluster)) for cluster in cluster_ids]
    records = []
    for name, rows in groups:
        if not rows:
            continue
        records.append(_group_record(name, rows, out_dir))
    schema = pa.schema([
        ("cluster_id", pa.string()), ("accounts", pa.int64()), ("images", pa.int64()), ("faces", pa.int64()),
        ("template_matches", pa.int64()), ("template_share", pa.float64()), ("blend_sharpness", pa.float64()),
        ("blend_png", pa.string()), ("montage_png", pa.string()),
    ])
    store(con, "face_clusters", pa.Table.from_pylist(records, schema=schema))


def _group_rows(con: duckdb.DuckDBPyConnection, cluster: str | None) -> list[tuple[str, bool, bool]]:
    """(path, face_found, flagged) of one usable image per account of a cluster (or of all accounts)."""
    where = "" if cluster is None else (
        "WHERE (f.platform, f.account_id) IN (SELECT platform, account_id FROM account_scores "
        "WHERE CAST(cluster_id AS VARCHAR) = $cluster)"
    )
    sql = f"""
        SELECT path, face_found, flagged FROM (
            SELECT f.*, row_number() OVER (PARTITION BY platform, account_id ORDER BY path) AS n
            FROM faces f {where}) WHERE n = 1 AND NOT skipped
        ORDER BY path LIMIT {MAX_GROUP_IMAGES}
    """
    return con.execute(sql, {} if cluster is None else {"cluster": cluster}).fetchall()


def _group_record(name: str, rows: list[tuple[str, bool, bool]], out_dir: Path) -> dict:
    loaded = [(load_image(path), face, flag) for path, face, flag in rows]
    usable = [(image, face, flag) for image, face, flag in loaded if isinstance(image, LoadedImage)]
    images = [image for image, _, _ in usable]
    summary, blended = summarise(images, [f for _, f, _ in usable], [g for _, _, g in usable])
    record = {"cluster_id": name, "accounts": len(rows), **vars(summary), "blend_png": None, "montage_png": None}
    if images and blended is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
        blend_path, montage_path = out_dir / f"cluster_{stem}_blend.png", out_dir / f"cluster_{stem}_montage.png"
        Image.fromarray(blended).save(blend_path)
        montage(images, [g for _, _, g in usable]).save(montage_path)
        record["blend_png"], record["montage_png"] = str(blend_path), str(montage_path)
    return record
