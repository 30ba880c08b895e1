"""MinHash and LSH banding: near-duplicate texts, and candidate pairs of similar sets.

Texts: MinHash over character shingles.  A copypasta cluster of k texts has k² pairs, so no step lists them:
each LSH bucket proposes only (first member, member) candidates, candidates are verified on their estimated
Jaccard similarity, and verified candidates are merged with union-find (:func:`near_duplicate_labels`).
Sets of integer tokens (an account's active time bins): :func:`set_signatures` and :func:`band_pairs`.
Everything is vectorised numpy and deterministic for a given seed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .components import component_labels

_POLY = np.uint64(0x100000001B3)  # multiplier of the rolling shingle hash and of band keys
# Texts per signature batch: their shingle hashes (a few MB) stay in cache through the hundred permutations; batches
# of 20,000 texts did not, and took 60% more time.
_BATCH = 5000
# Candidate pairs verified at once: batches of a million gathered 400 MB of signature rows into fresh memory each
# time, six times slower than small batches that reuse it.
_VERIFY_BATCH = 10_000


def shingle_hashes(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every ``size``-character shingle of every text, and each text's first shingle index.

    A text shorter than ``size`` is padded and forms a single shingle.
    """
    padded = [text if len(text) >= size else text.ljust(size, "\0") for text in texts]
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts_at = len(codes) - size + 1
    rolling = np.zeros(starts_at, dtype=np.uint64)
    for j in range(size):
        rolling = rolling * _POLY + codes[j : j + starts_at]
    counts = lengths - size + 1
    offsets = np.cumsum(counts) - counts
    text_starts = np.cumsum(lengths) - lengths
    positions = np.arange(counts.sum()) - np.repeat(offsets - text_starts, counts)
    return _mix(rolling[positions]), offsets


def signatures(texts: Sequence[str], shingle_size: int, permutations: int, seed: int) -> np.ndarray:
    """MinHash signatures of texts' shingle sets, one row of ``permutations`` uint32 values per text.

    The share of equal values in two rows estimates the Jaccard similarity of the two texts' shingle sets.
    """
    out = np.empty((len(texts), permutations), dtype=np.uint32)
    for start in range(0, len(texts), _BATCH):
        hashes, offsets = shingle_hashes(texts[start : start + _BATCH], shingle_size)
        out[start : start + len(offsets)] = _minhash(hashes, offsets, permutations, seed)
    return out


def set_signatures(owner: np.ndarray, token: np.ndarray, permutations: int, seed: int) -> np.ndarray:
    """MinHash signatures of sets of integer tokens given as rows ``(owner, token)``, sorted by owner.

    Returns one row of ``permutations`` values per distinct owner, in order.
    """
    return _minhash(_mix(np.asarray(token, dtype=np.uint64)), _group_starts(owner), permutations, seed)


def _group_starts(owner: np.ndarray) -> np.ndarray:
    """Indices where a new value starts in the sorted array ``owner`` (empty for an empty array)."""
    if len(owner) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])


def _minhash(hashes: np.ndarray, offsets: np.ndarray, permutations: int, seed: int) -> np.ndarray:
    """Per group of ``hashes`` (groups start at ``offsets``), the minimum under each of ``permutations`` hashes.

    The hash family is multiply-shift, ``(a·x + b) >> 32`` over 64-bit mixed hashes, with odd ``a`` and any ``b``
    drawn from ``seed``.
    """
    rng = np.random.default_rng(seed)
    mult = rng.integers(0, 2**64, size=permutations, dtype=np.uint64) | np.uint64(1)
    add = rng.integers(0, 2**64, size=permutations, dtype=np.uint64)
    out = np.empty((len(offsets), permutations), dtype=np.uint32)
    shift = np.uint64(32)
    for p in range(permutations if len(offsets) else 0):  # reduceat needs at least one group
        # The shift keeps order, so it applies to each group's minimum instead of to every hash: a pass less.
        out[:, p] = np.minimum.reduceat(hashes * mult[p] + add[p], offsets) >> shift
    return out


def banding_for(threshold: float, miss: float = 1e-4, max_rows: int = 10) -> tuple[int, int]:
    """``(bands, rows)`` for which a pair with Jaccard ``threshold`` shares no band with probability <= ``miss``.

    Rows are picked so that ``threshold ** rows`` is about 1/3 (fewer chance candidates with longer bands), then
    just enough bands: ``(1 - threshold ** rows) ** bands <= miss``.  More similar pairs are missed even less.
    """
    rows = max(1, min(max_rows, round(math.log(1 / 3) / math.log(threshold)) if threshold < 1 else max_rows))
    agree = threshold**rows
    bands = 1 if agree >= 1 else math.ceil(math.log(miss) / math.log(1 - agree))
    return bands, rows


def band_pairs(sig: np.ndarray, bands: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``i < j`` of signatures equal on all ``rows`` values of at least one band, each pair once.

    This lists all pairs inside each bucket, so it suits sets whose true matches are the wanted output (a group
    of k synchronised accounts is k² pairs of evidence); near-duplicate texts use :func:`near_duplicate_labels`.
    """
    n = len(sig)
    left, right = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for band in range(bands):
        keys = _band_keys(sig[:, band * rows : (band + 1) * rows])
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        opens = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
        bucket = np.cumsum(opens) - 1
        start = np.flatnonzero(opens)
        size = np.diff(np.r_[start, n])
        later = (start + size)[bucket] - np.arange(n) - 1  # members after each one in its bucket
        first = np.repeat(np.arange(n), later)
        step = np.arange(len(first)) - np.repeat(np.cumsum(later) - later, later) + 1
        a, b = order[first], order[first + step]
        left.append(np.minimum(a, b))
        right.append(np.maximum(a, b))
    codes = sorted_unique(np.concatenate(left) * max(n, 1) + np.concatenate(right))
    return codes // max(n, 1), codes % max(n, 1)


def near_duplicate_labels(sig: np.ndarray, bands: int, rows: int, threshold: float) -> np.ndarray:
    """Group texts by near-duplication: each text's label is the smallest index in its group.

    Texts sharing all ``rows`` values of some band are candidates; in each band bucket every member is checked
    against the bucket's first member only (linear in the bucket's size), kept when the estimated Jaccard is at
    least ``threshold``, and kept candidates are merged transitively.
    """
    n = len(sig)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    firsts, members = [], []
    for band in range(bands):
        keys = _band_keys(sig[:, band * rows : (band + 1) * rows])
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        opens = np.ones(n, dtype=bool)
        opens[1:] = sorted_keys[1:] != sorted_keys[:-1]
        bucket_first = order[np.maximum.accumulate(np.where(opens, np.arange(n), 0))]
        firsts.append(bucket_first[~opens])
        members.append(order[~opens])
    codes = sorted_unique(np.concatenate(firsts) * n + np.concatenate(members))
    first, member = codes // n, codes % n
    keep = estimated_jaccard(sig, first, member) >= threshold - 1e-9
    return component_labels(n, first[keep], member[keep])


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, in increasing order: ``np.unique`` by sorting.

    numpy 2's ``np.unique`` hashes integer arrays first, which is about thirty times slower than sorting on tens of
    millions of candidate pair codes (86 s against 3 s for 40 million).
    """
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def estimated_jaccard(sig: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The Jaccard similarity of rows ``a[i]`` and ``b[i]`` estimated from their signatures."""
    out = np.empty(len(a), dtype=np.float64)
    for start in range(0, len(a), _VERIFY_BATCH):
        part = slice(start, start + _VERIFY_BATCH)
        out[part] = np.count_nonzero(sig[a[part]] == sig[b[part]], axis=1) / sig.shape[1]
    return out


def _band_keys(block: np.ndarray) -> np.ndarray:
    keys = np.zeros(len(block), dtype=np.uint64)
    for column in block.T:
        keys = keys * _POLY + column.astype(np.uint64)
    return _mix(keys)


def _mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: spreads every input bit over the whole word."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))
