"""Pure-Python work over many items on every core, for code that holds the interpreter lock (fastText, regular
expressions over millions of texts), where threads would take turns instead of running side by side.

Workers are forked: they inherit the caller's loaded models and lookup tables without pickling them, and touch
nothing else of the parent (its DuckDB threads are not copied).  Spawned workers would have to re-import the
caller's main script, which breaks scripts without an ``if __name__ == "__main__"`` guard.  Off Linux (macOS
system libraries are not safe to use after a fork, Windows has none), or when the items are too few to pay for
starting the workers, the work runs in the calling process.  Results come back in the order of the items.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 50_000
"""Items from which the work is split between processes (cheap items: starting workers and sending results back
has a cost)."""
CHUNKS_PER_WORKER = 4
"""Chunks per worker: several, so that a worker with a slow chunk does not leave the other waiting long."""

_task: Callable[[Sequence], list] | None = None
_items: Sequence = ()


def map_chunks(task: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item], workers: int,
               min_items: int = MIN_ITEMS) -> list[Result]:
    """``task`` applied to consecutive chunks of ``items`` in ``workers`` forked processes, the results joined in
    order: the same list as ``task(items)`` when ``task`` treats each item on its own.  ``task`` may be a bound
    method or a closure, and neither it nor the items are pickled (the workers inherit them and are sent only
    where their chunk starts and ends); the results must pickle."""
    if workers < 2 or len(items) < min_items or not sys.platform.startswith("linux"):
        return task(items)
    size = -(-len(items) // (CHUNKS_PER_WORKER * workers))
    bounds = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    gc.freeze()  # a worker's garbage collector would otherwise visit, and so copy, every page of the parent's heap
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_set_task, initargs=(task, items)) as pool:
            return [result for chunk in pool.map(_run_task, bounds) for result in chunk]
    finally:
        gc.unfreeze()


def _set_task(task: Callable[[Sequence], list], items: Sequence) -> None:
    """Make ``task`` and ``items`` the ones :func:`_run_task` uses, in a worker process."""
    global _task, _items
    _task, _items = task, items


def _run_task(bounds: tuple[int, int]) -> list:
    assert _task is not None, "the pool's initializer sets the task"
    start, stop = bounds
    return _task(_items[start:stop])
