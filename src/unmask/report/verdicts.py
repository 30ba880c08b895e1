"""The analyst's verdicts on accounts and clusters, kept in the workspace across re-runs of the analysis.

Table ``verdicts`` is an append-only log: one row per decision, ``verdict`` one of :data:`VERDICTS`
(``note`` records a remark without deciding).  An account's status is its latest ``confirmed`` or ``dismissed``
row; every row with text keeps its note.

Cluster ids are renumbered when the analysis is re-run, so a cluster verdict stores its members as they were
(``members``, ``platform:account_id`` strings).  On reading, it is carried to the current cluster holding a
majority of those members; a verdict whose members no longer hold a majority anywhere is kept as *unmatched*
and listed in the report rather than pinned to the wrong cluster.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import duckdb

from ..network.fusion import node_id
from .tables import has_table, scalar

VERDICTS = ("confirmed", "dismissed", "note")
DECISIONS = ("confirmed", "dismissed")
MAX_NOTE = 10_000

CREATE_SQL = """
CREATE TABLE IF NOT EXISTS verdicts (
    platform VARCHAR, account_id VARCHAR, cluster_id BIGINT, members VARCHAR[],
    verdict VARCHAR NOT NULL, note VARCHAR, "at" TIMESTAMP NOT NULL
)
"""


@dataclass(frozen=True)
class Verdict:
    """One recorded decision or note.  ``overlap`` is how many of a cluster verdict's members are in the
    cluster it is shown on now (equal to ``len(members)`` when the cluster did not change)."""

    verdict: str
    note: str
    at: dt.datetime
    platform: str | None = None
    account_id: str | None = None
    cluster_id: int | None = None
    members: tuple[str, ...] = ()
    overlap: int = 0

    @property
    def carried(self) -> bool:
        """Whether this cluster verdict was recorded on a cluster that has changed since."""
        return self.cluster_id is not None and self.overlap != len(self.members)


@dataclass
class Status:
    """Where an account or cluster stands: the latest decision, and every verdict in the order recorded."""

    history: list[Verdict] = field(default_factory=list)

    @property
    def verdict(self) -> str | None:
        """The latest ``confirmed`` or ``dismissed``; None when only notes were recorded."""
        decisions = [v for v in self.history if v.verdict in DECISIONS]
        return decisions[-1].verdict if decisions else None

    @property
    def notes(self) -> list[Verdict]:
        """The verdicts that carry text, oldest first."""
        return [v for v in self.history if v.note]


@dataclass
class Verdicts:
    """Every verdict of a workspace, keyed to today's accounts and clusters."""

    accounts: dict[tuple[str, str], Status] = field(default_factory=dict)
    clusters: dict[int, Status] = field(default_factory=dict)
    unmatched: list[Verdict] = field(default_factory=list)

    def account(self, platform: str, account_id: str) -> Status:
        """The status of one account (empty when nothing was recorded)."""
        return self.accounts.get((platform, account_id), Status())

    def cluster(self, cluster_id: int) -> Status:
        """The status of one current cluster (empty when nothing was recorded)."""
        return self.clusters.get(cluster_id, Status())

    def count(self, verdict: str) -> int:
        """How many accounts and clusters currently stand at ``verdict``."""
        statuses = [*self.accounts.values(), *self.clusters.values()]
        return sum(1 for status in statuses if status.verdict == verdict)


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create table ``verdicts`` when it does not exist (re-running the analysis never drops it)."""
    con.execute(CREATE_SQL)


def record_account(con: duckdb.DuckDBPyConnection, platform: str, account_id: str, verdict: str, note: str = "",
                   at: dt.datetime | None = None) -> Verdict:
    """Record a verdict on one account of the workspace; raises ValueError for an unknown account or verdict."""
    _check(verdict, note)
    known = scalar(con, "SELECT count(*) FROM accounts WHERE platform = ? AND account_id = ?", [platform, account_id])
    if not known and not _scored(con, platform, account_id):
        raise ValueError(f"no account {account_id!r} on {platform!r} in this workspace")
    entry = Verdict(verdict, note.strip(), at or _now(), platform=platform, account_id=account_id)
    ensure_table(con)
    con.execute(
        "INSERT INTO verdicts VALUES (?, ?, NULL, [], ?, ?, ?)",
        [platform, account_id, entry.verdict, entry.note, entry.at],
    )
    return entry


def record_cluster(con: duckdb.DuckDBPyConnection, cluster_id: int, verdict: str, note: str = "",
                   at: dt.datetime | None = None) -> Verdict:
    """Record a verdict on a current cluster, with its members as they are now; raises ValueError if unknown."""
    _check(verdict, note)
    members = _members(con).get(cluster_id)
    if not members:
        raise ValueError(f"no cluster {cluster_id} in this workspace")
    entry = Verdict(verdict, note.strip(), at or _now(), cluster_id=cluster_id, members=tuple(members),
                    overlap=len(members))
    ensure_table(con)
    con.execute(
        "INSERT INTO verdicts VALUES (NULL, NULL, ?, ?, ?, ?, ?)",
        [cluster_id, list(entry.members), entry.verdict, entry.note, entry.at],
    )
    return entry


def load(con: duckdb.DuckDBPyConnection) -> Verdicts:
    """Read every verdict, carrying cluster verdicts to the clusters their members form today."""
    result = Verdicts()
    if not has_table(con, "verdicts"):
        return result
    rows = con.execute(
        "SELECT platform, account_id, cluster_id, members, verdict, note, \"at\" FROM verdicts "
        "ORDER BY \"at\", verdict, platform NULLS FIRST, account_id NULLS FIRST, cluster_id NULLS FIRST"
    ).fetchall()
    membership = {member: cid for cid, members in _members(con).items() for member in members}
    for platform, account_id, cluster_id, members, verdict, note, at in rows:
        if cluster_id is None:
            entry = Verdict(verdict, note or "", at, platform=platform, account_id=account_id)
            result.accounts.setdefault((platform, account_id), Status()).history.append(entry)
            continue
        recorded = tuple(members or ())
        current, overlap = _majority(recorded, membership)
        entry = Verdict(verdict, note or "", at, cluster_id=cluster_id, members=recorded, overlap=overlap)
        if current is None:
            result.unmatched.append(entry)
        else:
            result.clusters.setdefault(current, Status()).history.append(entry)
    return result


def _majority(members: tuple[str, ...], membership: dict[str, int]) -> tuple[int | None, int]:
    """The current cluster holding more than half of ``members``, and how many of them it holds."""
    counts = Counter(membership[m] for m in members if m in membership)
    if not counts:
        return None, 0
    cluster_id, overlap = min(counts.items(), key=lambda item: (-item[1], item[0]))
    return (cluster_id, overlap) if 2 * overlap > len(members) else (None, overlap)


def _members(con: duckdb.DuckDBPyConnection) -> dict[int, list[str]]:
    if not has_table(con, "account_scores"):
        return {}
    rows = con.execute(
        "SELECT cluster_id, platform, account_id FROM account_scores WHERE cluster_id IS NOT NULL "
        "ORDER BY cluster_id, platform, account_id"
    ).fetchall()
    members: dict[int, list[str]] = {}
    for cluster_id, platform, account_id in rows:
        members.setdefault(cluster_id, []).append(node_id(platform, account_id))
    return members


def _scored(con: duckdb.DuckDBPyConnection, platform: str, account_id: str) -> bool:
    if not has_table(con, "account_scores"):
        return False
    return bool(scalar(
        con, "SELECT count(*) FROM account_scores WHERE platform = ? AND account_id = ?", [platform, account_id]
    ))


def _check(verdict: str, note: str) -> None:
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    if verdict == "note" and not note.strip():
        raise ValueError("a note needs text")
    if len(note) > MAX_NOTE:
        raise ValueError(f"a note holds at most {MAX_NOTE:,} characters")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
