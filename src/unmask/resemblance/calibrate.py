"""How unusual a similarity is: the same comparison made for random sets of ordinary accounts of the same size.

A similarity of 0.8 means little on its own: every English-language set of accounts resembles every
English-language reference in its languages.  So each cluster is compared with sets of the same size drawn at
random from a pool of ordinary accounts of the same case (by default the accounts the coordination stage did not
flag, with at least one post): the same data, the same families, only the coordination removed.  The
*percentile* of a cluster's similarity is the share of those random sets that resemble the reference less
(ties count half).  A pool smaller than :data:`POOL_FACTOR` times the cluster gives no calibration: its random
sets would mostly be the same accounts.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np

from .compare import similarity
from .features import AccountKey
from .fingerprint import Fingerprint, fingerprint_sets

NULL_SAMPLES = 100
POOL_FACTOR = 2


def random_sets(pool: Sequence[AccountKey], size: int, samples: int, seed: int) -> dict[str, list[AccountKey]]:
    """``samples`` sets of ``size`` accounts drawn without replacement from ``pool`` (sorted first, so the draw
    depends only on the pool's contents and the seed); named ``null-<size>-<i>``."""
    ordered = sorted(pool)
    rng = np.random.default_rng([seed, size])
    return {f"null-{size}-{i}": [ordered[j] for j in sorted(rng.choice(len(ordered), size=size, replace=False))]
            for i in range(samples)}


def null_similarities(
    con: duckdb.DuckDBPyConnection,
    pool: Sequence[AccountKey],
    sizes: Sequence[int],
    references: Sequence[Fingerprint],
    samples: int = NULL_SAMPLES,
    seed: int = 0,
) -> dict[tuple[int, str], np.ndarray]:
    """(set size, reference name) -> similarities of ``samples`` random sets of that size to that reference.

    Sizes whose pool is too small (see :data:`POOL_FACTOR`) are left out; random sets sharing no family with a
    reference are left out of its array.  Needs :func:`~.accounts.prepare_accounts` to have run on ``con``.
    """
    groups: dict[str, list[AccountKey]] = {}
    for size in sorted(set(sizes)):
        if len(pool) >= POOL_FACTOR * size:
            groups.update(random_sets(pool, size, samples, seed))
    fingerprints = fingerprint_sets(con, groups)
    found: dict[tuple[int, str], list[float]] = {}
    for group in sorted(fingerprints, key=_group_order):
        size = int(group.split("-")[1])
        for reference in references:
            value = similarity(fingerprints[group], reference)
            if value is not None:
                found.setdefault((size, reference.name), []).append(value)
    return {key: np.array(values) for key, values in found.items()}


def percentile(similarity: float, null: np.ndarray) -> float | None:
    """The percentage of ``null`` below ``similarity`` (ties count half); None for an empty null."""
    if len(null) == 0:
        return None
    below = float(np.sum(null < similarity)) + 0.5 * float(np.sum(null == similarity))
    return round(100.0 * below / len(null), 1)


def statement(subject: str, reference: str, similarity: float | None, rank: float | None, null: np.ndarray,
              pool_label: str) -> str:
    """One sentence on how ``subject`` resembles ``reference`` and how unusual that is against the null."""
    if similarity is None:
        return f"{subject} shares no measured family with {reference}: no resemblance can be stated."
    base = f"{subject} resembles {reference} with similarity {similarity:.2f}"
    if rank is None:
        return (f"{base}; not calibrated: too few {pool_label} to draw random sets of its size. "
                f"Resemblance is not attribution.")
    typical = float(np.median(null))
    if rank >= 95:
        judged = f"closer than {rank:.0f}% of {len(null)} random same-size sets of {pool_label} (median {typical:.2f})"
    else:
        judged = (f"no closer than random same-size sets of {pool_label} ({rank:.0f}th percentile of {len(null)}, "
                  f"median {typical:.2f})")
    return f"{base}, {judged}. Resemblance is not attribution."


def _group_order(group: str) -> tuple[int, int]:
    _, size, index = group.split("-")
    return int(size), int(index)
