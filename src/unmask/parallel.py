"""Pure-Python work over many items on every core, for code that holds the interpreter lock (fastText, regular
expressions over millions of texts), where threads would take turns instead of running side by side.

Workers are forked: they inherit the caller's loaded models and lookup tables without pickling them, and touch
nothing else of the parent (its DuckDB threads are not copied).  Spawned workers would have to re-import the
caller's main script, which breaks scripts without an ``if __name__ == "__main__"`` guard.  Where fork is not
available, or the items are too few to pay for starting the workers, the work runs in the calling process.
Results come back in the order of the items, so they do not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 50_000
"""Items from which the work is split between processes (starting them takes about a second)."""
CHUNKS_PER_WORKER = 4
"""Chunks per worker: several, so that a worker with a slow chunk does not leave the other waiting long."""

_task: Callable[[Sequence], list] | None = None


def map_chunks(task: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item], workers: int,
               min_items: int = MIN_ITEMS) -> list[Result]:
    """``task`` applied to consecutive chunks of ``items`` in ``workers`` forked processes, the results joined in
    order: the same list as ``task(items)`` when ``task`` treats each item on its own.  ``task`` may be a bound
    method or a closure (it is inherited by the workers, not pickled); its results must pickle."""
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return task(items)
    size = -(-len(items) // (CHUNKS_PER_WORKER * workers))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_set_task, initargs=(task,)) as pool:
        return [result for chunk in pool.map(_run_task, chunks) for result in chunk]


def _set_task(task: Callable[[Sequence], list]) -> None:
    """Make ``task`` the one :func:`_run_task` runs, in a worker process."""
    global _task
    _task = task


def _run_task(chunk: Sequence) -> list:
    assert _task is not None, "the pool's initializer sets the task"
    return _task(chunk)
