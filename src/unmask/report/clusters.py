"""Clusters: the overview row of each with its DISARM techniques, and the full section of the strongest ones.

Confidence in words follows the cluster score (the median of its members' coordination scores, where 0.5 is
the run's significance threshold, 0.91 ten times below it and 0.99 a hundred times below): ``high`` from 0.99,
``medium`` from 0.9, ``low`` below.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from .accounts import select_accounts, split_reasons
from .activity import cluster_activity
from .disarm import ClusterFacts, TraceFacts, techniques
from .evidence import evidence_pairs
from .faces import cluster_faces
from .model import ClusterView, Omitted, ReportOptions
from .narratives import cluster_narratives, cluster_targets
from .tables import columns, has_table
from .verdicts import Verdicts

CONFIDENCE_BANDS = (("high", 0.99), ("medium", 0.9), ("low", 0.0))
TEMPLATE_SIGNALS = ("bio_templated", "name_templated", "name_formulaic", "bio_generated")
AUTOMATION_SIGNALS = ("client_automation", "active_24_7", "seconds_regular")
OPTIONAL_COLUMNS = {"platforms": "VARCHAR", "pairs": "BIGINT", "density": "DOUBLE", "traces": "VARCHAR",
                    "reasons": "VARCHAR"}

TRACES_SQL = """
SELECT ma.cluster_id, e.trace, count(*), median(e.median_dt)
FROM network_edges e
JOIN account_scores ma ON ma.platform = e.platform AND ma.account_id = e.source
JOIN account_scores mb ON mb.platform = e.platform AND mb.account_id = e.target
WHERE ma.cluster_id = mb.cluster_id AND ma.cluster_id IN (SELECT unnest($clusters))
GROUP BY ALL ORDER BY ALL
"""


def confidence(score: float | None) -> str:
    """``high``, ``medium`` or ``low`` for a cluster score (see the module text)."""
    value = score or 0.0
    return next(name for name, floor in CONFIDENCE_BANDS if value >= floor)


def cluster_views(con: duckdb.DuckDBPyConnection, verdicts: Verdicts) -> list[ClusterView]:
    """Every cluster of table ``clusters``, strongest first (score, then size); empty when there is none."""
    present = set(columns(con, "clusters"))
    if not {"cluster_id", "size", "score"} <= present:
        return []
    optional = ", ".join(
        f'"{name}"' if name in present else f"NULL::{kind} AS {name}" for name, kind in OPTIONAL_COLUMNS.items()
    )
    rows = con.execute(
        f"SELECT cluster_id, size, score, {optional} FROM clusters "
        "ORDER BY score DESC NULLS LAST, size DESC, cluster_id"
    ).fetchall()
    return [
        ClusterView(
            cluster_id=int(cid), size=int(size), score=float(score or 0.0), confidence=confidence(score),
            platforms=[p for p in (platforms or "").split(",") if p], pairs=int(pairs or 0), density=density,
            traces=[t for t in (traces or "").split(",") if t], reasons=split_reasons(reasons),
            status=verdicts.cluster(int(cid)),
        )
        for cid, size, score, platforms, pairs, density, traces, reasons in rows
    ]


def detail_clusters(con: duckdb.DuckDBPyConnection, case_dir: Path, views: list[ClusterView], verdicts: Verdicts,
                    options: ReportOptions) -> list[Omitted]:
    """Fill every cluster's activity, faces and DISARM techniques, and the accounts, evidence and narratives of
    the first ``options.max_clusters``; returns the sections left out for want of a table."""
    ids = [view.cluster_id for view in views]
    if not ids:
        return []
    if not has_table(con, "account_scores"):
        return [Omitted("Cluster sections", "the clusters table has no account_scores beside it (re-run "
                        "`unmask analyze`)")]
    chosen = ids[: options.max_clusters]
    omitted: list[Omitted] = []
    activity = cluster_activity(con, ids)
    faces = cluster_faces(con, case_dir, ids, embed=set(chosen))
    if faces is None:
        omitted.append(Omitted("Face montages and average-face blends",
                               "the profile photos have not been analysed (no face_clusters table; run "
                               "`unmask faces CASE/`)"))
    trace_facts = _trace_facts(con, ids)
    persona = _persona_facts(con, ids)
    for view in views:
        view.activity = activity[view.cluster_id]
        view.faces = (faces or {}).get(view.cluster_id)
        templated, automated = persona.get(view.cluster_id, (0, 0))
        view.techniques = techniques(_facts(view, trace_facts.get(view.cluster_id, {}), templated, automated))
    members = select_accounts(con, verdicts, where="cluster_id IN (SELECT unnest(?))", params=[chosen],
                              per_cluster=options.max_accounts, max_text=options.max_text)
    evidence = evidence_pairs(con, chosen, options.evidence_per_trace, options.max_text)
    if evidence is None:
        omitted.append(Omitted("Evidence posts", "the workspace has no trace_evidence table (run `unmask analyze`)"))
    narratives = cluster_narratives(con, chosen)
    targets = cluster_targets(con, chosen)
    if narratives is None and targets is None:
        omitted.append(Omitted("Narratives and targets",
                               "the narratives stage has not run (no cluster_narratives or targets table)"))
    for view in views[: options.max_clusters]:
        cid = view.cluster_id
        view.detailed = True
        view.accounts = [a for a in members if a.cluster_id == cid]
        view.accounts_left_out = max(0, view.size - len(view.accounts))
        view.evidence = (evidence or {}).get(cid, [])
        view.narratives = (narratives or {}).get(cid, [])
        view.targets = (targets or {}).get(cid, [])
    return omitted


def _trace_facts(con: duckdb.DuckDBPyConnection, ids: list[int]) -> dict[int, dict[str, TraceFacts]]:
    if not (has_table(con, "network_edges") and has_table(con, "account_scores")):
        return {}
    facts: dict[int, dict[str, TraceFacts]] = {}
    for cid, trace, pairs, median_gap in con.execute(TRACES_SQL, {"clusters": ids}).fetchall():
        facts.setdefault(cid, {})[trace] = TraceFacts(pairs, median_gap)
    return facts


def _persona_facts(con: duckdb.DuckDBPyConnection, ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per cluster: members with a template signal, and members with an automation signal (persona stage)."""
    present = set(columns(con, "persona_signals"))
    if not {"platform", "account_id"} <= present or not has_table(con, "account_scores"):
        return {}

    def any_of(signals: tuple[str, ...]) -> str:
        fired = [f"coalesce(p.{name}, false)" for name in signals if name in present]
        return " OR ".join(fired) if fired else "false"

    rows = con.execute(
        f"SELECT s.cluster_id, count(*) FILTER (WHERE {any_of(TEMPLATE_SIGNALS)}), "
        f"count(*) FILTER (WHERE {any_of(AUTOMATION_SIGNALS)}) "
        "FROM account_scores s JOIN persona_signals p ON p.platform = s.platform AND p.account_id = s.account_id "
        "WHERE s.cluster_id IN (SELECT unnest(?)) GROUP BY ALL",
        [ids],
    ).fetchall()
    return {cid: (templated, automated) for cid, templated, automated in rows}


def _facts(view: ClusterView, traces: dict[str, TraceFacts], templated: int, automated: int) -> ClusterFacts:
    hourly = [sum(day[hour] for day in view.activity.hour_of_week_utc) for hour in range(24)] if view.activity else []
    return ClusterFacts(
        members=view.size,
        platforms=max(1, len(view.platforms)),
        traces=traces,
        avatars_analysed=view.faces.analysed if view.faces else 0,
        ai_faces=view.faces.ai_faces if view.faces else 0,
        reused_avatars=view.faces.reused if view.faces else 0,
        templated=templated,
        automated=automated,
        hourly_posts=hourly,
    )
