"""Words that name a narrative: class-based TF-IDF (c-TF-IDF) over its texts, Chinese segmented with jieba.

The weight of term ``t`` in narrative ``c`` is ``tf(t, c) / words(c) * log(1 + A / f(t))``: how much of the
narrative's text the term is, times how rare it is across all narratives and the texts outside them (``A`` is
the mean number of words per class, ``f(t)`` the term's count over all classes).  Every distinct text counts
once, so one copypasta posted a thousand times does not drown the other wordings.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .text import has_cjk

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]{2}", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff]")

_FRENCH = frozenset("""
au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me même mes
moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre
vous est sont été être avoir ont fait plus très tout tous toute toutes comme aussi bien encore alors donc car si
sans sous chez entre vers après avant depuis pendant cela ça ceci celui celle ceux celles quand rien peu trop
""".split())
_CHINESE = frozenset("""
的 了 是 在 和 有 我 你 他 她 它 们 我们 你们 他们 这 那 这个 那个 就 都 也 还 又 要 会 能 说 对 把 被 让 给 与 及
而 但 却 就是 不是 没有 什么 怎么 为什么 因为 所以 如果 已经 一个 一些 自己 这样 那样 还是 或者 以及 可以 这些 那些
""".split())
_PLATFORM = frozenset({"rt", "amp", "http", "https", "www", "com", "via"})


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Stop words of en (scikit-learn's list), fr and zh, and platform noise (rt, amp, https)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _FRENCH | _CHINESE | _PLATFORM


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202 - jieba has no type stubs
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokens(text: str) -> list[str]:
    """Content words of ``text``: lower-case words of 2+ letters, Chinese segmented by jieba; no stop words."""
    stop = stopwords()
    if has_cjk(text):
        words = [w.strip().lower() for w in _jieba().lcut(text)]
        words = [w for w in words if (len(w) >= 2 and _HAN.search(w)) or _WORD.fullmatch(w)]
    else:
        words = [w.lower() for w in _WORD.findall(text)]
    return [w for w in words if w not in stop and len(w) >= 2]


def class_tfidf(texts: Sequence[str], classes: np.ndarray, top: int) -> dict[int, list[str]]:
    """The ``top`` terms of each class >= 0 (class -1, texts outside every narrative, only informs the rarity)."""
    counts: dict[int, Counter[str]] = {}
    for text, label in zip(texts, classes.tolist(), strict=True):
        counts.setdefault(label, Counter()).update(tokens(text))
    totals: Counter[str] = Counter()
    for counter in counts.values():
        totals.update(counter)
    mean_words = float(np.mean([sum(c.values()) for c in counts.values()])) if counts else 0.0
    out: dict[int, list[str]] = {}
    for label, counter in counts.items():
        if label < 0:
            continue
        words = sum(counter.values()) or 1
        scored = sorted(counter, key=lambda t: (-counter[t] / words * np.log1p(mean_words / totals[t]), t))
        out[label] = scored[:top]
    return out


def label_of(terms: Sequence[str], size: int = 4) -> str:
    """A narrative's label: its first ``size`` terms."""
    return " · ".join(terms[:size]) if terms else "(no words)"
