"""Export formats of the simulator: each writer streams time-ordered batches of actions to its files.

A writer names every account as the export does (:attr:`Writer.account_ids`: hashed ids, numeric ids,
DIDs), so the ground truth can use exactly the ids found in the data, and says which accounts appear in the
export at all (:meth:`Writer.present`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import ClassVar, NamedTuple

import numpy as np

from ..events import Events
from ..world import World


class Row(NamedTuple):
    """One action with plain Python values (see :class:`~unmask.simulate.events.Events` for the columns)."""

    t: int
    post_id: int
    author: int
    kind: int
    lang: int
    text: str
    hashtags: tuple[str, ...]
    urls: tuple[str, ...]
    mentions: tuple[int, ...]
    ref_id: int
    ref_author: int
    ref_t: int
    ref_text: str | None
    link_key: int
    reposts: int
    replies: int
    quotes: int
    likes: int


def rows(events: Events) -> Iterator[Row]:
    """The actions of a batch one by one, as plain Python values (fast to format)."""
    return map(Row._make, zip(*(getattr(events, f.name).tolist() for f in fields(events))))


class Writer(ABC):
    """One export format."""

    name: ClassVar[str]
    platform: ClassVar[str]

    def __init__(self, out_dir: Path, world: World):
        self.out_dir, self.world = out_dir, world
        self.stem = f"sim_{world.scenario.name}"
        self.account_ids = self._account_ids()
        self.posts_written = 0

    @abstractmethod
    def _account_ids(self) -> list[str]:
        """The id of each account as this export shows it."""

    @abstractmethod
    def write(self, events: Events) -> None:
        """Append a time-ordered batch of actions."""

    @abstractmethod
    def close(self) -> list[Path]:
        """Finish the files; returns their paths."""

    def present(self) -> np.ndarray:
        """Which accounts appear in the export (all, unless the format only lists accounts that act)."""
        return np.ones(self.world.size, bool)


def writers() -> dict[str, type[Writer]]:
    """The writer class of each format name."""
    from .bluesky import BlueskyWriter
    from .io_archive import IOArchiveWriter
    from .x_v2 import XV2Writer

    return {w.name: w for w in (IOArchiveWriter, XV2Writer, BlueskyWriter)}
