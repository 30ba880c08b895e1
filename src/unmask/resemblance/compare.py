"""How much one fingerprint resembles another: a similarity in [0, 1] per feature, per family and overall, and
the features that match and differ, in words.

A family's similarity is the mean of the similarities of the features both fingerprints have; the overall
similarity is the mean over the families both have.  A family only one side has is *missing*: it is reported,
and it neither raises nor lowers the similarity.  Each kind of feature (see :mod:`.families`) has one similarity:

* distributions and the hour-of-week vector: the share they have in common, 1 - total variation distance (1 for
  the same shares, 0 for disjoint ones; a category a few accounts of a small cluster happen to have costs only
  its share);
* shares: 1 - |asin(sqrt(a)) - asin(sqrt(b))| / scale, with the scale in radians;
* counts and quantiles of counts: 1 - |log10(1 + a) - log10(1 + b)| / scale (mean over quantiles);
* ratio quantiles: the same on log10(a); numbers: linear; UTC offsets: hours around the day.

Similarity says that two networks *resemble* each other in the measured features.  It is not attribution: an
unrelated operation with the same habits scores as high.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .families import FAMILIES, FEATURES, Family, Feature
from .fingerprint import Fingerprint

MATCHING = 0.85
"""A feature at or above this similarity is listed as matching."""
DIFFERING = 0.5
"""A feature below this similarity is listed as differing."""
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FEATURES_OF = {family.name: tuple(f for f in FEATURES if f.family == family.name) for family in FAMILIES}


@dataclass(frozen=True)
class FeatureSimilarity:
    """One feature both fingerprints have, how similar it is, and the two values in words."""

    family: str
    feature: str
    similarity: float
    words: str


@dataclass(frozen=True)
class Comparison:
    """A fingerprint (the subject) compared with a reference."""

    subject: str
    reference: str
    similarity: float | None
    families: dict[str, float] = field(default_factory=dict)
    features: tuple[FeatureSimilarity, ...] = ()
    missing: tuple[str, ...] = ()

    def matching(self, limit: int = 5) -> list[str]:
        """The most similar features at or above :data:`MATCHING`, in words, most similar first."""
        kept = sorted((f for f in self.features if f.similarity >= MATCHING), key=lambda f: (-f.similarity, f.words))
        return [f.words for f in kept[:limit]]

    def differing(self, limit: int = 5) -> list[str]:
        """The least similar features below :data:`DIFFERING`, in words, least similar first."""
        kept = sorted((f for f in self.features if f.similarity < DIFFERING), key=lambda f: (f.similarity, f.words))
        return [f.words for f in kept[:limit]]


def compare(subject: Fingerprint, reference: Fingerprint) -> Comparison:
    """Compare ``subject`` with ``reference`` family by family; ``similarity`` is None when they share no family."""
    features: list[FeatureSimilarity] = []
    families: dict[str, float] = {}
    for family, pairs in _shared(subject, reference):
        found = [_feature_similarity(feature, mine, theirs) for feature, mine, theirs in pairs]
        families[family.name] = round(sum(f.similarity for f in found) / len(found), 4)
        features.extend(found)
    overall = round(sum(families.values()) / len(families), 4) if families else None
    missing = [f"{family.label}: not in {_side_without(family, subject)} (needs {family.needs})"
               for family in FAMILIES if (family.name in subject.families) != (family.name in reference.families)]
    return Comparison(subject.name, reference.name, overall, families, tuple(features), tuple(missing))


def _side_without(family: Family, subject: Fingerprint) -> str:
    return "the reference" if family.name in subject.families else subject.name or "this set"


def similarity(subject: Fingerprint, reference: Fingerprint) -> float | None:
    """The overall similarity of :func:`compare`, without putting the features into words (for the hundreds of
    random sets a cluster is calibrated against)."""
    families = [round(sum(round(feature_similarity(feature, mine, theirs), 4) for feature, mine, theirs in pairs)
                      / len(pairs), 4)
                for _, pairs in _shared(subject, reference)]
    return round(sum(families) / len(families), 4) if families else None


def _shared(subject: Fingerprint, reference: Fingerprint) -> list[tuple[Family, list[tuple[Feature, Any, Any]]]]:
    """The families both fingerprints have, each with its features both have: (feature, subject's, reference's)."""
    shared = []
    for family in FAMILIES:
        mine, theirs = subject.families.get(family.name), reference.families.get(family.name)
        if mine is None or theirs is None:
            continue
        pairs = [(f, mine[f.name], theirs[f.name]) for f in _FEATURES_OF[family.name]
                 if f.name in mine and f.name in theirs]
        if pairs:
            shared.append((family, pairs))
    return shared


def rank(subject: Fingerprint, references: Sequence[Fingerprint]) -> list[Comparison]:
    """``subject`` compared with every reference, most similar first (references sharing no family last)."""
    comparisons = [compare(subject, reference) for reference in references]
    return sorted(comparisons, key=lambda c: (c.similarity is None, -(c.similarity or 0.0), c.reference))


def feature_similarity(feature: Feature, a: Any, b: Any) -> float:
    """The similarity in [0, 1] of two values of ``feature``."""
    return _SIMILARITY[feature.kind](a, b, feature.scale)


def _feature_similarity(feature: Feature, a: Any, b: Any) -> FeatureSimilarity:
    words = f"{feature.label}: {describe(feature, a)} vs {describe(feature, b)}"
    return FeatureSimilarity(feature.family, feature.name, round(feature_similarity(feature, a, b), 4), words)


def _overlap(a: Mapping[str, float] | Sequence[float], b: Mapping[str, float] | Sequence[float],
             _scale: float) -> float:
    """The share two distributions have in common: the sum of the smaller share of each category (each side is
    first scaled to add up to 1), i.e. 1 - total variation distance.  Two sequences pair up by position."""
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        p, q = _as_mapping(a), _as_mapping(b)
        total_p, total_q = sum(p.values()), sum(q.values())
        if total_p <= 0 or total_q <= 0:
            return 1.0 if total_p == total_q else 0.0
        return min(1.0, sum(min(share / total_p, q.get(k, 0.0) / total_q) for k, share in p.items()))
    return _vector_overlap(np.maximum(np.asarray(a, dtype=np.float64), 0.0),
                           np.maximum(np.asarray(b, dtype=np.float64), 0.0))


def _vector_overlap(p: np.ndarray, q: np.ndarray) -> float:
    """:func:`_overlap` of two non-negative vectors, in numpy; ``cumsum`` adds in order, as ``sum`` does, so the
    result is the same to the last bit."""
    total_p, total_q = float(np.cumsum(p)[-1]) if len(p) else 0.0, float(np.cumsum(q)[-1]) if len(q) else 0.0
    if total_p <= 0 or total_q <= 0:
        return 1.0 if total_p == total_q else 0.0
    size = min(len(p), len(q))
    return min(1.0, float(np.cumsum(np.minimum(p[:size] / total_p, q[:size] / total_q))[-1]) if size else 0.0)


def _as_mapping(values: Mapping[str, float] | Sequence[float]) -> dict[str, float]:
    if isinstance(values, Mapping):
        return {str(k): max(0.0, float(v)) for k, v in values.items()}
    return {str(i): max(0.0, float(v)) for i, v in enumerate(values)}


def _linear(distance: float, scale: float) -> float:
    return max(0.0, 1.0 - distance / scale)


def _share_similarity(a: float, b: float, scale: float) -> float:
    def angle(x: float) -> float:
        return math.asin(math.sqrt(min(1.0, max(0.0, float(x)))))
    return _linear(abs(angle(a) - angle(b)), scale)


def _count_similarity(a: float, b: float, scale: float) -> float:
    return _linear(abs(math.log10(1.0 + max(0.0, a)) - math.log10(1.0 + max(0.0, b))), scale)


def _quantiles_similarity(transform: Callable[[float], float]) -> Callable[[Sequence[float], Sequence[float], float], float]:
    def similarity(a: Sequence[float], b: Sequence[float], scale: float) -> float:
        pairs = list(zip(a, b))
        if not pairs:
            return 0.0
        return _linear(sum(abs(transform(x) - transform(y)) for x, y in pairs) / len(pairs), scale)
    return similarity


def _utc_offset_similarity(a: float, b: float, scale: float) -> float:
    gap = abs(float(a) - float(b)) % 24
    return _linear(min(gap, 24 - gap), scale)


_SIMILARITY: dict[str, Callable[[Any, Any, float], float]] = {
    "distribution": _overlap,
    "vector": _overlap,
    "share": _share_similarity,
    "count_quantiles": _quantiles_similarity(lambda x: math.log10(1.0 + max(0.0, x))),
    "ratio_quantiles": _quantiles_similarity(lambda x: math.log10(max(x, 1e-6))),
    "count": _count_similarity,
    "number": lambda a, b, scale: _linear(abs(float(a) - float(b)), scale),
    "utc_offset": _utc_offset_similarity,
}


def describe(feature: Feature, value: Any) -> str:
    """A feature's value in a few words (the largest shares of a distribution, the median of quantiles...)."""
    kind = feature.kind
    if kind == "distribution":
        top = sorted(value.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        return ", ".join(f"{k} {v:.0%}" for k, v in top) or "none"
    if kind == "vector":
        return _describe_week(value)
    if kind == "share":
        return f"{value:.0%}"
    if kind in ("count_quantiles", "ratio_quantiles"):
        middle = value[len(value) // 2]
        return f"median {_number(middle)} ({_number(value[0])}-{_number(value[-1])})"
    if kind == "utc_offset":
        return f"UTC{int(value):+d}"
    return _number(value)


def _describe_week(shares: Sequence[float]) -> str:
    by_hour = [sum(shares[day * 24 + hour] for day in range(7)) for hour in range(24)]
    busiest = sorted(range(24), key=lambda h: (-by_hour[h], h))[:3]
    weekdays = sum(shares[: 5 * 24]) / (sum(shares) or 1.0)
    peak = max(range(len(shares)), key=lambda i: (shares[i], -i))
    return (f"busiest UTC hours {', '.join(f'{h:02d}' for h in sorted(busiest))}, peak {WEEKDAYS[peak // 24]} "
            f"{peak % 24:02d}:00, weekdays {weekdays:.0%}")


def _number(value: float) -> str:
    value = float(value)
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2g}" if value < 10 else f"{value:.1f}"
