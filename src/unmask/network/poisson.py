"""The upper tail of the Poisson distribution, in log space, for whole arrays at once.

``P(X >= k)`` for ``X ~ Poisson(lam)`` equals the regularised lower incomplete gamma function ``P(k, lam)``.
It is evaluated the classic way (Numerical Recipes, 6.2): by its power series where ``lam < k + 1`` (where the
p-values that matter live, down to 1e-300 and beyond, kept exact in log space) and by a continued fraction for
``Q = 1 - P`` elsewhere.  Both loops run on numpy arrays with a mask of the elements still converging.
"""

from __future__ import annotations

import numpy as np

_EPS = 1e-15
_TINY = 1e-300
_MAX_ITERATIONS = 100_000


def log10_poisson_sf(k: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """``log10 P(X >= k)`` for ``X ~ Poisson(lam)``, elementwise (``k`` whole numbers, ``lam >= 0``)."""
    k = np.asarray(k, dtype=np.int64)
    lam = np.maximum(np.asarray(lam, dtype=np.float64), _TINY)
    out = np.zeros(k.shape, dtype=np.float64)
    if k.size == 0:
        return out
    log_factorial = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, max(int(k.max()), 1) + 1)))])
    positive = k > 0
    series = positive & (lam < k + 1)
    fraction = positive & ~series
    out[series] = _log_series(k[series], lam[series], log_factorial) / np.log(10)
    out[fraction] = np.log1p(-_upper_by_fraction(k[fraction], lam[fraction], log_factorial)) / np.log(10)
    return out


def _log_series(a: np.ndarray, x: np.ndarray, log_factorial: np.ndarray) -> np.ndarray:
    """Natural log of P(a, x) = e^-x x^a / a! * sum_n x^n a! / (a+n)!, for x < a + 1."""
    term = np.ones_like(x)
    total = np.ones_like(x)
    active = np.arange(x.size)
    n = 0
    while active.size and n < _MAX_ITERATIONS:
        n += 1
        term[active] *= x[active] / (a[active] + n)
        total[active] += term[active]
        active = active[term[active] > total[active] * _EPS]
    return -x + a * np.log(x) - log_factorial[a] + np.log(total)


def _upper_by_fraction(a: np.ndarray, x: np.ndarray, log_factorial: np.ndarray) -> np.ndarray:
    """Q(a, x) = 1 - P(a, x) by the modified Lentz continued fraction, for x >= a + 1."""
    b = x + 1.0 - a
    c = np.full_like(x, 1.0 / _TINY)
    d = 1.0 / b
    h = d.copy()
    active = np.arange(x.size)
    i = 0
    while active.size and i < _MAX_ITERATIONS:
        i += 1
        an = -i * (i - a[active])
        b[active] += 2.0
        d_new = an * d[active] + b[active]
        d_new = np.where(np.abs(d_new) < _TINY, _TINY, d_new)
        c_new = b[active] + an / c[active]
        c_new = np.where(np.abs(c_new) < _TINY, _TINY, c_new)
        d[active] = 1.0 / d_new
        c[active] = c_new
        delta = d[active] * c_new
        h[active] *= delta
        active = active[np.abs(delta - 1.0) > _EPS]
    return np.exp(-x + a * np.log(x) - log_factorial[a - 1]) * h
