"""Narratives from text vectors, in three deterministic steps.

1. **Wording groups**: HDBSCAN (scikit-learn) on a PCA projection of the unit vectors finds dense groups: the
   variants of one claim in one language (openers, closers, hashtags around the same sentence).  A text HDBSCAN
   leaves alone but that ``copy_min_accounts`` accounts posted is a group of its own: one copypasta can be a
   whole narrative even though it is a single distinct text.
2. **Narratives**: groups are merged by average-linkage clustering of their centroids at cosine
   ``merge_similarity``.  Centroids average out the wording around a claim, which is what lets the English,
   Chinese and French versions of one claim meet: single texts across languages are about as similar as two
   different claims in one language, group centroids are not (measured in ``eval/results/narratives.md``).
3. **Bridges across languages**: a narrative written mostly in one language joins one written mostly in
   another when each is the other's most similar narrative in that language (mutual nearest neighbours, the
   criterion of bitext mining) and their centroids reach ``bridge_similarity``.  Campaign hashtags, openers and
   closers are language-bound, so the two halves of one claim often stay apart after step 2.
4. **Assignment**: every other text joins the narrative whose centroid it is most similar to, if that cosine
   reaches ``assign_similarity``; the rest stay outside every narrative.

Step 1 takes HDBSCAN's leaf clusters, the finest stable ones: "excess of mass" selection returns one cluster
holding all of the organic chatter.

PCA is only there to keep HDBSCAN fast (its cost grows steeply with dimensions); centroids and similarities use
the full vectors.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NOISE = -1


@dataclass(frozen=True)
class ClusterParams:
    """Parameters of :func:`cluster_texts` (see the module docstring)."""

    merge_similarity: float
    bridge_similarity: float
    assign_similarity: float
    pca_dims: int = 16
    min_cluster_size: int | None = None
    min_samples: int | None = None
    copy_min_accounts: int = 5
    seed: int = 0
    workers: int = 1  # threads for HDBSCAN's nearest-neighbour queries (exact: the result does not depend on it)


@dataclass
class Clustering:
    """A narrative index per text (``NOISE`` for none), the cosine to its narrative's centroid, the centroids."""

    labels: np.ndarray
    similarity: np.ndarray
    centroids: np.ndarray


def cluster_texts(vectors: np.ndarray, copies: np.ndarray, langs: Sequence[str], params: ClusterParams) -> Clustering:
    """Group unit ``vectors`` (one per distinct text; ``copies`` = accounts that wrote each, ``langs`` = their
    languages) into narratives.

    Linear algebra runs on one BLAS thread: the result then does not depend on the thread count, and a busy
    machine does not make OpenBLAS threads spin against each other (PCA became 20x slower that way).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _cluster(vectors, copies, np.asarray(langs, dtype=object), params)


def _cluster(vectors: np.ndarray, copies: np.ndarray, langs: np.ndarray, params: ClusterParams) -> Clustering:
    groups = wording_groups(vectors, copies, params)
    if not groups:
        return Clustering(np.full(len(vectors), NOISE), np.zeros(len(vectors)), np.zeros((0, vectors.shape[1])))
    group_narrative = merge_groups(vectors, groups, params.merge_similarity)
    labels = np.full(len(vectors), NOISE)
    for group, narrative in zip(groups, group_narrative, strict=True):
        labels[group] = narrative
    labels = bridge_languages(vectors, labels, langs, params.bridge_similarity)
    centroids = _centroids(vectors, [np.flatnonzero(labels == n) for n in range(labels.max() + 1)])
    similarity = vectors @ centroids.T
    best = similarity.argmax(axis=1)
    joins = (labels == NOISE) & (similarity[np.arange(len(vectors)), best] >= params.assign_similarity)
    labels[joins] = best[joins]
    own = np.where(labels == NOISE, 0.0, similarity[np.arange(len(vectors)), np.maximum(labels, 0)])
    return Clustering(labels, own, centroids)


def wording_groups(vectors: np.ndarray, copies: np.ndarray, params: ClusterParams) -> list[np.ndarray]:
    """Indices of each dense group (HDBSCAN) and of each much-copied text left outside them."""
    n = len(vectors)
    if n == 0:
        return []
    min_size = params.min_cluster_size or int(np.clip(round(n / 500), 3, 10))
    min_samples = params.min_samples or max(2, min_size // 2)
    labels = np.full(n, NOISE)
    if n >= min_size:
        labels = _hdbscan(_project(vectors, params.pca_dims, params.seed), min_size, min_samples, params.workers)
    groups = [np.flatnonzero(labels == g) for g in range(labels.max() + 1)]
    copied = np.flatnonzero((labels == NOISE) & (copies >= params.copy_min_accounts))
    return groups + [np.array([i]) for i in copied]


def merge_groups(vectors: np.ndarray, groups: list[np.ndarray], merge_similarity: float) -> np.ndarray:
    """The narrative index of each group: average linkage of group centroids, cut at ``merge_similarity``."""
    if len(groups) == 1:
        return np.zeros(1, dtype=np.int64)
    from sklearn.cluster import AgglomerativeClustering

    merged = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1.0 - merge_similarity
    ).fit_predict(_centroids(vectors, groups))
    # Number narratives by their first group, so that the numbering does not depend on scikit-learn's.
    order = {label: i for i, label in enumerate(dict.fromkeys(merged.tolist()))}
    return np.array([order[label] for label in merged], dtype=np.int64)


def bridge_languages(vectors: np.ndarray, labels: np.ndarray, langs: np.ndarray, bridge_similarity: float
                     ) -> np.ndarray:
    """Join narratives of different main languages that are mutual nearest neighbours at ``bridge_similarity``."""
    count = int(labels.max()) + 1
    if count < 2:
        return labels
    members = [np.flatnonzero(labels == n) for n in range(count)]
    main = np.array([Counter(langs[m].tolist()).most_common(1)[0][0] for m in members], dtype=object)
    centroids = _centroids(vectors, members)
    similarity = centroids @ centroids.T
    parent = list(range(count))

    def root(n: int) -> int:
        while parent[n] != n:
            n = parent[n]
        return n

    for lang in sorted(set(main.tolist())):
        inside, outside = np.flatnonzero(main == lang), np.flatnonzero(main != lang)
        for a in inside:
            for other in sorted(set(main[outside].tolist())):
                candidates = np.flatnonzero(main == other)
                b = candidates[similarity[a, candidates].argmax()]
                if similarity[a, b] >= bridge_similarity and inside[similarity[b, inside].argmax()] == a:
                    parent[root(int(b))] = root(int(a))
    roots = {r: i for i, r in enumerate(dict.fromkeys(root(n) for n in range(count)))}
    return np.array([roots[root(int(n))] if n != NOISE else NOISE for n in labels])


def _project(vectors: np.ndarray, dims: int, seed: int) -> np.ndarray:
    from sklearn.decomposition import PCA

    dims = min(dims, vectors.shape[1], len(vectors) - 1)
    if dims < 2:
        return vectors
    projected = PCA(n_components=dims, svd_solver="covariance_eigh", random_state=seed).fit_transform(
        vectors.astype(np.float64))
    norms = np.linalg.norm(projected, axis=1, keepdims=True)
    return projected / np.where(norms > 0, norms, 1.0)


def _hdbscan(points: np.ndarray, min_size: int, min_samples: int, workers: int) -> np.ndarray:
    from sklearn.cluster import HDBSCAN

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return HDBSCAN(min_cluster_size=min_size, min_samples=min(min_samples, len(points) - 1),
                       cluster_selection_method="leaf", copy=True, n_jobs=workers).fit_predict(points)


def _centroids(vectors: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    centroids = np.stack([vectors[g].mean(axis=0) for g in groups])
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    return centroids / np.where(norms > 0, norms, 1.0)
