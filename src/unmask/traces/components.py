"""Connected components of large edge lists in numpy (union-find by label propagation with pointer jumping)."""

from __future__ import annotations

import numpy as np


def component_labels(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Label each node ``0..n-1`` of the undirected graph with edges ``(u[i], v[i])`` by the smallest node of
    its connected component.

    Every round hooks both ends of each edge to the smaller label, then every label jumps to its label's label.
    Labels only decrease and ``label[i] <= i`` holds throughout, so the round that changes nothing is the fixed
    point: both ends of every edge agree and every label points at itself, the component's smallest node.
    """
    label = np.arange(n, dtype=np.int64)
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    while len(u):
        low = np.minimum(label[u], label[v])
        hooked = label.copy()
        np.minimum.at(hooked, u, low)
        np.minimum.at(hooked, v, low)
        hooked = hooked[hooked]
        if np.array_equal(hooked, label):
            break
        label = hooked
    return label
