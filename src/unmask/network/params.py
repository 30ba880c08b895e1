"""The parameters of the coordination network, with the defaults the evaluation in ``eval/`` measured."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

COMMUNITY_METHODS = ("auto", "leiden", "louvain")


@dataclass(frozen=True)
class NetworkParams:
    """How account pairs are tested, kept and grouped.

    * ``alpha`` -- family-wise error rate of one run: the chance that any pair of independent accounts is kept.
      It is split evenly over the traces that produced candidate pairs, then over each trace's pairs (Bonferroni).
    * ``min_shared`` -- distinct objects a pair must share within the window to be tested at all; one shared
      object never counts (every pair acting on a single object has cosine 1.0).
    * ``method`` -- community detection: ``leiden`` (needs the optional ``unmask[leiden]`` extra), ``louvain``
      (networkx), or ``auto`` (Leiden when installed).
    * ``resolution`` -- modularity resolution; above 1 splits communities finer.
    * ``seed`` -- seed of the community detection.
    """

    alpha: float = 0.01
    min_shared: int = 2
    method: str = "auto"
    resolution: float = 1.0
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, not {self.alpha}")
        if self.min_shared < 2:
            raise ValueError(f"min_shared must be at least 2 (one shared object is never evidence), not {self.min_shared}")
        if self.method not in COMMUNITY_METHODS:
            raise ValueError(f"method must be one of {', '.join(COMMUNITY_METHODS)}, not {self.method!r}")
        if self.resolution <= 0:
            raise ValueError(f"resolution must be positive, not {self.resolution}")

    def as_dict(self) -> dict[str, Any]:
        """The parameters as a plain dict (for ``run.json``)."""
        return asdict(self)
