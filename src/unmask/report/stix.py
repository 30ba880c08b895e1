"""``exports/stix-bundle.json``: the findings as a STIX 2.1 bundle (built and validated with ``stix2``).

Per cluster that the analyst has not dismissed:

* a ``campaign`` named neutrally ("Coordinated network C3 (unmask)"), with first and last post seen;
* a ``user-account`` observable per flagged member (dismissed accounts are left out);
* an ``observed-data`` grouping those accounts, and a ``sighting`` of the campaign backed by it;
* a ``uses`` relationship to an ``attack-pattern`` per DISARM technique its evidence supports (external
  reference: source ``DISARM`` and the technique id);
* a ``note`` per analyst verdict that carries text.

A ``report`` object lists everything; every object carries the chosen TLP marking and is created by an
``identity`` for the tool.  Ids are UUIDv5 of the case's input hashes and the object's key, and timestamps are
the latest ingest or verdict time, so the same case gives the same bundle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

import duckdb
import stix2

from .. import __version__
from .disarm import TechniqueUse
from .model import ClusterView, Report
from .tables import has_table, scalar

TLP = {"clear": stix2.TLP_WHITE, "green": stix2.TLP_GREEN, "amber": stix2.TLP_AMBER, "red": stix2.TLP_RED}
CONFIDENCE = {"high": 85, "medium": 50, "low": 15}
MAX_COUNT = 999_999_999
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

MEMBERS_SQL = """
SELECT s.cluster_id, s.platform, s.account_id, a.handle, a.display_name, a.created_at
FROM account_scores s LEFT JOIN accounts a ON a.platform = s.platform AND a.account_id = s.account_id
WHERE s.cluster_id IN (SELECT unnest($clusters)) AND s.flagged ORDER BY s.cluster_id, s.platform, s.account_id
"""
SEEN_SQL = """
SELECT s.cluster_id, min(p.created_at), max(p.created_at), count(*)
FROM posts p JOIN account_scores s ON s.platform = p.platform AND s.account_id = p.account_id
WHERE s.cluster_id IN (SELECT unnest($clusters)) AND p.created_at IS NOT NULL
GROUP BY s.cluster_id
"""
Member = tuple[str, str, str | None, str | None, dt.datetime | None]


def bundle_json(con: duckdb.DuckDBPyConnection, report: Report) -> str:
    """The bundle serialised as indented JSON (non-ASCII as ``\\u`` escapes).

    ``stix2``'s own ``pretty`` ordering takes seconds per hundred objects, so the indentation is plain JSON's.
    """
    return build_bundle(con, report).serialize(indent=2) + "\n"


def build_bundle(con: duckdb.DuckDBPyConnection, report: Report) -> stix2.Bundle:
    """The STIX 2.1 bundle of ``report`` (see the module text)."""
    clusters = [c for c in report.clusters if c.status.verdict != "dismissed"]
    builder = _Builder(con, report, [c.cluster_id for c in clusters])
    for cluster in clusters:
        builder.add_cluster(cluster)
    return builder.finish()


class _Builder:
    """Accumulates the objects of one bundle with deterministic ids and timestamps; the posting period and the
    flagged members of the clusters in ``cluster_ids`` are read at once."""

    def __init__(self, con: duckdb.DuckDBPyConnection, report: Report, cluster_ids: list[int]):
        self.report = report
        args = {"clusters": cluster_ids}
        self.seen: dict[int, tuple[dt.datetime | None, dt.datetime | None, int]] = {}
        self.members: dict[int, list[Member]] = {}
        if cluster_ids:
            self.seen = {cid: (first, last, n) for cid, first, last, n in con.execute(SEEN_SQL, args).fetchall()}
            for cid, *member in con.execute(MEMBERS_SQL, args).fetchall():
                self.members.setdefault(cid, []).append(tuple(member))
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"unmask:{_case_key(con, report.summary.case_name)}")
        self.stamp = _stamp(con)
        self.marking = TLP[report.options.tlp]
        self.identity = stix2.Identity(
            id=self.id("identity", "unmask"), name="unmask (automated coordination analysis)",
            identity_class="system", description=f"unmask {__version__}", **self.common(),
        )
        self.objects: list[Any] = [self.identity]
        self.patterns: dict[str, stix2.AttackPattern] = {}
        self.dismissed_clusters = sum(1 for c in report.clusters if c.status.verdict == "dismissed")

    def id(self, kind: str, key: str) -> str:
        """A deterministic STIX id for object ``kind`` identified by ``key`` within this case."""
        return f"{kind}--{uuid.uuid5(self.namespace, f'{kind}:{key}')}"

    def common(self) -> dict[str, Any]:
        """Timestamps and marking shared by every domain and relationship object."""
        return {"created": self.stamp, "modified": self.stamp, "object_marking_refs": [self.marking]}

    def add_cluster(self, cluster: ClusterView) -> None:
        """Add a cluster's campaign, accounts, observation, techniques and notes."""
        first, last, posts = self.seen.get(cluster.cluster_id, (None, None, 0))
        seen = {"first_seen": _utc(first), "last_seen": _utc(last)} if first and last else {}
        campaign = stix2.Campaign(
            id=self.id("campaign", str(cluster.cluster_id)), name=f"Coordinated network {cluster.label} (unmask)",
            description=_describe(cluster), confidence=CONFIDENCE[cluster.confidence],
            created_by_ref=self.identity.id, **seen, **self.common(),
        )
        self.objects.append(campaign)
        accounts = self.accounts(cluster)
        if accounts and first and last:
            observed = stix2.ObservedData(
                id=self.id("observed-data", str(cluster.cluster_id)), first_observed=_utc(first),
                last_observed=_utc(last), number_observed=min(max(posts, 1), MAX_COUNT),
                object_refs=[a.id for a in accounts], created_by_ref=self.identity.id, **self.common(),
            )
            sighting = stix2.Sighting(
                id=self.id("sighting", str(cluster.cluster_id)), sighting_of_ref=campaign.id,
                observed_data_refs=[observed.id], first_seen=_utc(first), last_seen=_utc(last),
                count=min(max(posts, 1), MAX_COUNT), created_by_ref=self.identity.id, **self.common(),
            )
            self.objects += [*accounts, observed, sighting]
        for use in cluster.techniques:
            self.objects.append(stix2.Relationship(
                id=self.id("relationship", f"{cluster.cluster_id}:uses:{use.technique.id}"),
                relationship_type="uses", source_ref=campaign.id, target_ref=self.pattern(use).id,
                description=use.evidence, created_by_ref=self.identity.id, **self.common(),
            ))
        for k, verdict in enumerate(cluster.status.notes):
            self.objects.append(stix2.Note(
                id=self.id("note", f"{cluster.cluster_id}:{k}:{verdict.at.isoformat()}"),
                abstract=f"Analyst verdict: {verdict.verdict}", content=verdict.note, authors=["analyst"],
                object_refs=[campaign.id], created_by_ref=self.identity.id, **self.common(),
            ))

    def accounts(self, cluster: ClusterView) -> list[stix2.UserAccount]:
        """``user-account`` observables of the cluster's flagged members, without dismissed accounts."""
        result = []
        verdicts = self.report.verdicts
        for platform, account_id, handle, name, created in self.members.get(cluster.cluster_id, []):
            if verdicts.account(platform, account_id).verdict == "dismissed":
                continue
            values = {"user_id": account_id, "account_login": handle, "account_type": platform.lower(),
                      "display_name": name, "account_created": _utc(created) if created else None}
            result.append(stix2.UserAccount(object_marking_refs=[self.marking],
                                            **{k: v for k, v in values.items() if v is not None}))
        return result

    def pattern(self, use: TechniqueUse) -> stix2.AttackPattern:
        """The ``attack-pattern`` of a DISARM technique, created on first use."""
        technique = use.technique
        if technique.id not in self.patterns:
            self.patterns[technique.id] = stix2.AttackPattern(
                id=self.id("attack-pattern", technique.id), name=technique.name,
                external_references=[stix2.ExternalReference(source_name="DISARM", external_id=technique.id)],
                created_by_ref=self.identity.id, **self.common(),
            )
            self.objects.append(self.patterns[technique.id])
        return self.patterns[technique.id]

    def finish(self) -> stix2.Bundle:
        """The bundle: every object, then the report listing them."""
        summary = self.report.summary
        left_out = (f" {self.dismissed_clusters} network(s) dismissed by the analyst are left out."
                    if self.dismissed_clusters else "")
        report = stix2.Report(
            id=self.id("report", "summary"), name=f"Coordinated networks in case {summary.case_name} (unmask)",
            description=(f"{summary.clusters} coordinated network(s) among {summary.accounts} accounts and "
                         f"{summary.posts} posts. Coordination is evidence of a network, not of who runs it; "
                         f"resemblance is not attribution.{left_out}"),
            report_types=["campaign", "observed-data"], published=self.stamp,
            object_refs=[obj.id for obj in self.objects], created_by_ref=self.identity.id, **self.common(),
        )
        return stix2.Bundle(self.marking, *self.objects, report,
                            id=f"bundle--{uuid.uuid5(self.namespace, 'bundle')}")


def _describe(cluster: ClusterView) -> str:
    parts = [f"Accounts that acted together more often than chance allows (unmask cluster {cluster.label}: "
             f"{cluster.size} accounts, cluster score {cluster.score:.3f}, {cluster.confidence} confidence)."]
    parts += [f"{reason}." for reason in cluster.reasons]
    if cluster.status.verdict:
        parts.append(f"Analyst verdict: {cluster.status.verdict}.")
    parts.append("Coordination is evidence of a network, not of who runs it.")
    return " ".join(parts)


def _case_key(con: duckdb.DuckDBPyConnection, case_name: str) -> str:
    """The sha256 of the case's sorted input hashes (its name when nothing was ingested)."""
    hashes = [row[0] for row in con.execute(
        "SELECT DISTINCT sha256 FROM ingest_log WHERE sha256 IS NOT NULL ORDER BY 1").fetchall()
    ] if has_table(con, "ingest_log") else []
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest() if hashes else case_name


def _stamp(con: duckdb.DuckDBPyConnection) -> dt.datetime:
    """The latest ingest or verdict time (the epoch for an empty workspace)."""
    times = []
    if has_table(con, "ingest_log"):
        times.append(scalar(con, "SELECT max(ingested_at) FROM ingest_log"))
    if has_table(con, "verdicts"):
        times.append(scalar(con, 'SELECT max("at") FROM verdicts'))
    known = [_utc(t) for t in times if t is not None]
    return max(known, default=EPOCH)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
