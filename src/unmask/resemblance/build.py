"""Reference fingerprints from takedown data: a whole release, or one per label of a ``--group-by`` column.

``build_fingerprints(paths, name)`` ingests the files (any format ``unmask ingest`` reads) into a temporary
workspace, which is deleted afterwards, and fingerprints its accounts; ``fingerprint_workspace`` does the same
on a workspace that is already open.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb

from ..ingest import ingest
from ..workspace import Workspace
from .accounts import drop_accounts, prepare_accounts
from .fingerprint import Fingerprint, fingerprint_sets
from .labels import account_labels


def build_fingerprints(
    paths: Sequence[Path | str],
    name: str,
    group_by: str | None = None,
    fmt: str | None = None,
    description: str = "",
) -> list[Fingerprint]:
    """Fingerprints of the accounts in ``paths``: one named ``name``, or with ``group_by`` one per label, named
    ``"{name} {label}"``.  Raises ``FormatError`` / ``FileNotFoundError`` for unreadable inputs and
    ``ValueError`` for a ``group_by`` column found nowhere."""
    with tempfile.TemporaryDirectory(prefix="unmask-fingerprint-") as tmp:
        ingest([Path(p) for p in paths], tmp, fmt=fmt)
        with Workspace(tmp) as ws:
            ws.con.execute("SET enable_progress_bar = false")
            return fingerprint_workspace(ws.con, name, group_by, [Path(p) for p in paths], description)


def fingerprint_workspace(
    con: duckdb.DuckDBPyConnection,
    name: str,
    group_by: str | None = None,
    label_paths: Sequence[Path] = (),
    description: str = "",
) -> list[Fingerprint]:
    """Fingerprints of a workspace's accounts (see :func:`build_fingerprints`), sorted by name; labels for
    ``group_by`` come from the accounts table or the files ``label_paths``.  Accounts without a label are left out."""
    prepare_accounts(con)
    try:
        accounts = [tuple(row) for row in con.execute(
            "SELECT platform, account_id FROM rs_account ORDER BY ALL").fetchall()]
        if group_by:
            labels = account_labels(con, label_paths, group_by)
            groups: dict[str, list[tuple[str, str]]] = {}
            for key in accounts:
                if key in labels:
                    groups.setdefault(labels[key], []).append(key)
            names = {label: f"{name} {label}" for label in groups}
        else:
            groups, names = {name: accounts}, {name: name}
        sources = [{"format": fmt, "sha256": sha} for fmt, sha in con.execute(
            "SELECT format, sha256 FROM ingest_log ORDER BY format, sha256").fetchall()]
        fingerprints = fingerprint_sets(con, groups, names, description, sources)
    finally:
        drop_accounts(con)
    return sorted(fingerprints.values(), key=lambda f: f.name)
