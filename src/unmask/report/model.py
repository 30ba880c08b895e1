"""The report model: what the report, the exports and the local UI show, gathered once from the workspace.

Plain data only: :mod:`.collect` fills it from the workspace, :mod:`.html`, :mod:`.markdown` and :mod:`.stix`
render it.  Text fields hold hostile text exactly as collected; every renderer escapes it for its own format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .disarm import TechniqueUse
from .verdicts import Status, Verdicts

TLP_LEVELS = ("clear", "green", "amber", "red")


@dataclass(frozen=True)
class ReportOptions:
    """How much the report embeds, and its marking.

    * ``max_nodes`` / ``max_edges`` -- accounts and pairs drawn on the network map (strongest first);
    * ``max_clusters`` -- clusters given a full section (strongest first; the rest are listed in a table);
    * ``max_accounts`` -- rows of each cluster's accounts table;
    * ``evidence_per_trace`` -- side-by-side post pairs per trace and cluster;
    * ``max_text`` -- characters of a post or bio shown before it is cut (exports keep the full text);
    * ``tlp`` -- the Traffic Light Protocol marking of the report and the STIX bundle.
    """

    max_nodes: int = 20_000
    max_edges: int = 30_000
    max_clusters: int = 40
    max_accounts: int = 200
    evidence_per_trace: int = 4
    max_text: int = 1_500
    tlp: str = "amber"

    def __post_init__(self) -> None:
        if self.tlp not in TLP_LEVELS:
            raise ValueError(f"tlp must be one of {', '.join(TLP_LEVELS)}, not {self.tlp!r}")
        for name in ("max_nodes", "max_edges", "max_clusters", "max_accounts", "evidence_per_trace", "max_text"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")


@dataclass(frozen=True)
class Text:
    """Hostile text cut to a length for display: ``shown`` and how many characters were left out."""

    shown: str
    left_out: int = 0


@dataclass
class Summary:
    """The case at a glance."""

    case_name: str
    files: list[dict[str, Any]]
    platforms: list[dict[str, Any]]
    first_post: dt.datetime | None
    last_post: dt.datetime | None
    accounts: int
    posts: int
    quarantined: int
    flagged: int
    clusters: int
    pairs: int
    confidence: dict[str, int]
    verdicts: dict[str, int]


@dataclass
class AccountRow:
    """One account as the tables and the map card show it."""

    platform: str
    account_id: str
    handle: str | None
    display_name: str | None
    bio: Text | None
    created_at: dt.datetime | None
    followers: int | None
    posts: int
    cluster_id: int | None
    coordination_score: float | None
    flagged: bool
    reasons: list[str]
    persona_score: float | None = None
    persona_reasons: list[str] = field(default_factory=list)
    status: Status = field(default_factory=Status)

    @property
    def key(self) -> str:
        """The account's node id on the map and in the graph files (``platform:account_id``)."""
        return f"{self.platform}:{self.account_id}"


@dataclass(frozen=True)
class Post:
    """A post as evidence shows it (one side of a pair, a search hit, an account's timeline)."""

    platform: str
    post_id: str | None
    account_id: str
    handle: str | None
    created_at: dt.datetime | None
    kind: str | None
    text: Text | None


@dataclass(frozen=True)
class EvidencePair:
    """Two posts of two accounts that acted on the same object, ``dt`` seconds apart."""

    trace: str
    platform: str
    object_id: str
    dt: float | None
    pairs_on_object: int
    a: Post
    b: Post


@dataclass
class Activity:
    """A cluster's posting over time: per time bin and kind, per hour of week (in UTC, and in the zone whose
    office week fits best: ``utc_offset`` hours, with correlation ``zone_fit``), and accounts per creation bin."""

    bin_unit: str
    timeline: list[tuple[dt.date, str, int]]
    hour_of_week_utc: list[list[int]]
    utc_offset: int | None
    zone_fit: float | None
    hour_of_week_local: list[list[int]] | None
    creation_unit: str
    creation: list[tuple[dt.date, int]]


@dataclass(frozen=True)
class Faces:
    """A cluster's face outputs (images as ``data:`` URIs) and the counts behind them."""

    montage: str | None
    blend: str | None
    analysed: int
    ai_faces: int
    reused: int


@dataclass(frozen=True)
class Omitted:
    """A section left out, and why (a stage not run, a table missing)."""

    section: str
    reason: str


@dataclass
class ClusterView:
    """One cluster: the row of the clusters table, and when detailed, everything its section shows."""

    cluster_id: int
    size: int
    platforms: list[str]
    score: float
    confidence: str
    pairs: int
    density: float | None
    traces: list[str]
    reasons: list[str]
    status: Status
    detailed: bool = False
    techniques: list[TechniqueUse] = field(default_factory=list)
    accounts: list[AccountRow] = field(default_factory=list)
    accounts_left_out: int = 0
    evidence: list[EvidencePair] = field(default_factory=list)
    activity: Activity | None = None
    faces: Faces | None = None
    narratives: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The neutral name used everywhere: ``C3``."""
        return f"C{self.cluster_id}"


@dataclass
class NetworkMap:
    """What the interactive map draws: nodes with positions and card data, the strongest edges, a legend."""

    nodes: list[dict[str, Any]]
    edges: list[list[Any]]
    legend: list[dict[str, Any]]
    nodes_total: int
    edges_total: int

    @property
    def nodes_left_out(self) -> int:
        """Accounts not drawn because of the node cap."""
        return self.nodes_total - len(self.nodes)

    @property
    def edges_left_out(self) -> int:
        """Pairs not drawn because of the edge cap."""
        return self.edges_total - len(self.edges)


@dataclass
class Methods:
    """Every parameter and threshold behind the report, and the software that produced it."""

    run: list[tuple[str, str]]
    report: list[tuple[str, str]]
    rules: list[tuple[str, str, str]]
    software: list[tuple[str, str]]
    inputs: list[dict[str, Any]]


@dataclass
class Report:
    """Everything the report shows."""

    options: ReportOptions
    summary: Summary
    clusters: list[ClusterView]
    network: NetworkMap | None
    methods: Methods
    verdicts: Verdicts
    omitted: list[Omitted]

    @property
    def detailed(self) -> list[ClusterView]:
        """The clusters given a full section."""
        return [c for c in self.clusters if c.detailed]

    @property
    def listed_only(self) -> list[ClusterView]:
        """The clusters beyond ``max_clusters``, shown in the overview table only."""
        return [c for c in self.clusters if not c.detailed]
