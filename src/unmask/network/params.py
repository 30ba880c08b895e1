"""The parameters of the coordination network, with the defaults the evaluation in ``eval/`` measured."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

COMMUNITY_METHODS = ("auto", "leiden", "louvain", "components")


@dataclass(frozen=True)
class NetworkParams:
    """How account pairs are tested, kept and grouped.

    * ``alpha`` -- family-wise error rate of one run, for each of its two tests: the chance that any pair of
      independent accounts is kept (Bonferroni over every tested pair, split evenly over the traces), and the
      chance that any independent account has too many surprising partners (Bonferroni over the accounts).
    * ``partner_p`` -- a pair whose p-value is at most this is a *surprising partner*; an account with more
      surprising partners than chance allows is flagged even when no single pair is significant on its own.
    * ``min_shared`` -- distinct objects, from as many distinct sources, a pair must share within the window to be
      tested at all; one shared object never counts (every pair acting on a single object has cosine 1.0).
    * ``supporting`` -- traces whose significant pairs corroborate an edge but never make one: synchronised
      schedules are as typical of honest automation (weather, alert and news bots) as of campaigns.
    * ``method`` -- community detection: ``leiden`` (needs the optional ``unmask[leiden]`` extra), ``louvain``
      (networkx), ``auto`` (Leiden when installed), or ``components`` (connected components of the backbone).
    * ``resolution`` -- modularity resolution; above 1 splits communities finer.
    * ``seed`` -- seed of the community detection.
    """

    alpha: float = 0.01
    partner_p: float = 1e-3
    min_shared: int = 2
    supporting: tuple[str, ...] = ("sync",)
    method: str = "auto"
    resolution: float = 1.0
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, not {self.alpha}")
        if not 0 < self.partner_p < 1:
            raise ValueError(f"partner_p must be between 0 and 1, not {self.partner_p}")
        if self.min_shared < 2:
            raise ValueError(f"min_shared must be at least 2 (one shared object is never evidence), not {self.min_shared}")
        if self.method not in COMMUNITY_METHODS:
            raise ValueError(f"method must be one of {', '.join(COMMUNITY_METHODS)}, not {self.method!r}")
        if self.resolution <= 0:
            raise ValueError(f"resolution must be positive, not {self.resolution}")

    def as_dict(self) -> dict[str, Any]:
        """The parameters as a plain dict (for ``run.json``)."""
        return {**asdict(self), "supporting": list(self.supporting)}
