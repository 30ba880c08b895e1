"""Account-level quality measures shared by the evaluation scripts (numpy only, no model library)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Quality:
    """How a flag and a score separate the positives (coordinated accounts) from the rest."""

    accounts: int
    positives: int
    flagged: int
    true_positives: int
    auc: float

    @property
    def precision(self) -> float:
        """Share of flagged accounts that are positives (1.0 when nothing is flagged)."""
        return self.true_positives / self.flagged if self.flagged else 1.0

    @property
    def recall(self) -> float:
        """Share of positives that are flagged."""
        return self.true_positives / self.positives if self.positives else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def flagged_per_10k(self) -> float:
        """Flagged accounts per 10,000 accounts (the false-positive rate when there are no positives)."""
        return 10_000 * self.flagged / self.accounts if self.accounts else 0.0


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve: the chance that a random positive outscores a random negative (ties count half)."""
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=bool)
    positives, negatives = int(labels.sum()), int((~labels).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    start = 0
    while start < len(scores):  # average ranks over ties
        end = start
        while end + 1 < len(scores) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start:end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def quality(scores: np.ndarray, flagged: np.ndarray, labels: np.ndarray) -> Quality:
    """Quality of ``flagged`` and ``scores`` against boolean ``labels``, one entry per account."""
    labels = np.asarray(labels, dtype=bool)
    flagged = np.asarray(flagged, dtype=bool)
    return Quality(len(labels), int(labels.sum()), int(flagged.sum()), int((flagged & labels).sum()),
                   roc_auc(scores, labels))


def purity(clusters: list[object], classes: list[object]) -> float:
    """Share of clustered accounts whose class is their cluster's majority class."""
    members: dict[object, Counter[object]] = {}
    for cluster, label in zip(clusters, classes):
        members.setdefault(cluster, Counter())[label] += 1
    total = sum(sum(counter.values()) for counter in members.values())
    return sum(counter.most_common(1)[0][1] for counter in members.values()) / total if total else float("nan")
