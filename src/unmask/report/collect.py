"""Gather the report model from a workspace: summary, clusters, network map, methods, verdicts.

``collect`` only reads.  Every section whose tables are missing is left out with a note saying which stage
would produce it, so a report can be written at any point of an investigation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from .clusters import CONFIDENCE_BANDS, cluster_views, detail_clusters
from .methods import methods, read_run
from .model import ClusterView, Omitted, Report, ReportOptions, Summary
from .network_map import network_map
from .tables import dict_rows, has_table, scalar
from .verdicts import DECISIONS, Verdicts, load

PLATFORMS_SQL = """
SELECT platform, count(*) AS posts, count(DISTINCT account_id) AS accounts, min(created_at) AS first,
       max(created_at) AS last
FROM posts GROUP BY platform ORDER BY platform
"""


def collect(con: duckdb.DuckDBPyConnection, case_dir: Path | str, options: ReportOptions | None = None,
            run: dict[str, Any] | None = None) -> Report:
    """The report model of the workspace open on ``con``; ``run`` defaults to ``CASE/run.json``."""
    case_dir = Path(case_dir)
    options = options or ReportOptions()
    verdicts = load(con)
    views = cluster_views(con, verdicts)
    omitted = detail_clusters(con, case_dir, views, verdicts, options)
    if not views:
        omitted.insert(0, Omitted("Clusters", "no clusters table (run `unmask analyze`)"))
    network = network_map(con, verdicts, views, options)
    if network is None:
        omitted.insert(0, Omitted("Network map", "no account_scores or network_edges table (run `unmask analyze`)"))
    return Report(
        options=options,
        summary=summary(con, case_dir, views, verdicts),
        clusters=views,
        network=network,
        methods=methods(con, read_run(case_dir) if run is None else run, options),
        verdicts=verdicts,
        omitted=omitted,
    )


def summary(con: duckdb.DuckDBPyConnection, case_dir: Path, views: list[ClusterView], verdicts: Verdicts) -> Summary:
    """The case at a glance: files, platforms, period, counts, networks by confidence, verdicts."""
    platforms = dict_rows(con, PLATFORMS_SQL)
    scored = has_table(con, "account_scores")
    files = dict_rows(
        con, "SELECT file, format, rows_read, rows_stored, rows_quarantined FROM ingest_log ORDER BY file"
    ) if has_table(con, "ingest_log") else []
    return Summary(
        case_name=case_dir.resolve().name,
        files=files,
        platforms=platforms,
        first_post=min((p["first"] for p in platforms if p["first"]), default=None),
        last_post=max((p["last"] for p in platforms if p["last"]), default=None),
        accounts=int(scalar(con, "SELECT count(*) FROM account_scores" if scored else
                            "SELECT count(*) FROM accounts") or 0),
        posts=int(scalar(con, "SELECT count(*) FROM posts") or 0),
        quarantined=int(scalar(con, "SELECT count(*) FROM quarantine") or 0) if has_table(con, "quarantine") else 0,
        flagged=int(scalar(con, "SELECT count(*) FROM account_scores WHERE flagged") or 0) if scored else 0,
        clusters=len(views),
        pairs=int(scalar(con, "SELECT count(*) FROM (SELECT DISTINCT platform, source, target FROM network_edges)")
                  or 0) if has_table(con, "network_edges") else 0,
        confidence={name: sum(1 for v in views if v.confidence == name) for name, _ in CONFIDENCE_BANDS},
        verdicts={verdict: verdicts.count(verdict) for verdict in DECISIONS},
    )
