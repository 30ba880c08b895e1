"""64-bit perceptual hashes (pHash) and near-duplicate groups of images.

pHash: the image in grey at 32x32, its 2-D DCT, the 8x8 lowest frequencies, one bit per coefficient above their
median.  Resizing and recompression move few bits, so the same photo on several accounts stays within a small
Hamming distance (≤ 8 of 64 bits is the usual cut for "same or near-same image").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

import numpy as np
from PIL import Image

HASH_SIDE = 32
LOW = 8
NEAR_DUPLICATE_BITS = 8


def _dct_matrix(n: int) -> np.ndarray:
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    matrix = np.sqrt(2.0 / n) * np.cos(np.pi * (2 * i + 1) * k / (2 * n))
    matrix[0] /= np.sqrt(2.0)
    return matrix


_DCT = _dct_matrix(HASH_SIDE)


def phash(rgb: np.ndarray) -> str:
    """The 64-bit pHash of an RGB ``uint8`` image as 16 hex digits."""
    grey = Image.fromarray(rgb).convert("L").resize((HASH_SIDE, HASH_SIDE), Image.LANCZOS)
    pixels = np.asarray(grey, dtype=np.float64)
    low = (_DCT @ pixels @ _DCT.T)[:LOW, :LOW]
    bits = (low > np.median(low)).ravel()
    return f"{int(''.join('1' if b else '0' for b in bits), 2):016x}"


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex pHashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_duplicate_groups(hashes: Mapping[Hashable, str],
                          max_distance: int = NEAR_DUPLICATE_BITS) -> dict[Hashable, int]:
    """Group keys whose hashes are within ``max_distance`` bits (transitively); returns key -> group number.

    Equal hashes are merged first; candidates among distinct hashes come from ``max_distance + 1`` bands of
    the 64 bits (two hashes within the distance agree exactly on at least one band), then every candidate pair
    is checked.  Groups are numbered from 0 in the order of their smallest hash; singletons get a group too.
    """
    distinct = sorted(set(hashes.values()))
    parent = list(range(len(distinct)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    values = np.array([int(h, 16) for h in distinct], dtype=np.uint64)
    for band in _bands(max_distance + 1):
        buckets: dict[int, list[int]] = defaultdict(list)
        for index, value in enumerate(values.tolist()):
            buckets[value & band].append(index)
        for members in buckets.values():
            for a, b in _close_pairs(values, np.array(members), max_distance):
                root_a, root_b = find(a), find(b)
                if root_a != root_b:
                    parent[root_b] = root_a
    roots: dict[int, int] = {}
    number_of_hash = {}
    for position, value in enumerate(distinct):
        number_of_hash[value] = roots.setdefault(find(position), len(roots))
    return {key: number_of_hash[value] for key, value in hashes.items()}


def _close_pairs(values: np.ndarray, members: np.ndarray, max_distance: int, block: int = 512) -> list[tuple[int, int]]:
    """Pairs (i, j), i before j in ``members``, whose values differ in at most ``max_distance`` bits."""
    pairs = []
    for start in range(0, len(members) - 1, block):
        rows = members[start: start + block]
        cols = members[start + 1:]
        close = _popcount(values[rows][:, None] ^ values[cols][None, :]) <= max_distance
        for r, c in zip(*np.nonzero(close)):
            if c + 1 > r:
                pairs.append((int(rows[r]), int(cols[c])))
    return pairs


_BYTE_BITS = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def _popcount(values: np.ndarray) -> np.ndarray:
    as_bytes = values.astype(np.uint64).view(np.uint8).reshape(*values.shape, 8)
    return _BYTE_BITS[as_bytes].sum(axis=-1, dtype=np.int64)


def _bands(count: int) -> list[int]:
    edges = np.linspace(0, 64, count + 1).round().astype(int)
    return [((1 << int(hi)) - 1) ^ ((1 << int(lo)) - 1) for lo, hi in zip(edges[:-1], edges[1:])]
