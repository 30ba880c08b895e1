"""``simulate()``: build a world, run it day by day, stream the export, write the ground truth.

Generation runs one day ahead of writing: the actions of day ``d`` are generated (organic posts, campaign
actions, organic reactions), counted into their posts' engagement, and held with the later actions still
pending; everything before the start of day ``d`` is final and written.  Memory stays bounded by a few days
of actions whatever the length of the window.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .. import __version__
from . import campaigns
from .activity import OrganicPosts
from .avatars import write_avatars
from .events import POST, REPOST, Events
from .handles import HandleBook
from .ids import IdMint, rng_for
from .organic import OrganicBuilder
from .reactions import OrganicReactions
from .scenarios import Scenario, get_scenario
from .tactics import CampaignRunner
from .text import Composer
from .timing import date_ms
from .world import AVATAR_KINDS, ROLES, World, assemble
from .writers import Writer, writers

FORMATS = tuple(writers())
Progress = Callable[[str, int, int], None]
WRITE_SLICE = 20_000


@dataclass
class SimulationSummary:
    """What a simulation wrote."""

    out_dir: Path
    scenario: str
    format: str
    seed: int
    days: int
    accounts: int
    campaign_accounts: int
    posts: int
    files: list[Path] = field(default_factory=list)
    ground_truth: Path | None = None
    avatars: Path | None = None
    seconds: float = 0.0


def build_world(scenario: Scenario, seed: int, composer: Composer) -> World:
    """The accounts of ``scenario``: the organic population, then each campaign's members."""
    book = HandleBook()
    start = date_ms(scenario.start)
    organic = scenario.accounts - sum(c.size for c in scenario.campaigns)
    blocks = OrganicBuilder(scenario.organic, start, seed, book, composer).build(organic)
    blocks += [campaigns.build_campaign(spec, k, start, seed, book, composer.topics)
               for k, spec in enumerate(scenario.campaigns)]
    return assemble(scenario, seed, blocks)


def simulate(
    out_dir: Path,
    scenario: str = "demo",
    accounts: int | None = None,
    days: int | None = None,
    seed: int = 0,
    fmt: str = "io-archive",
    avatars: tuple[Path, Path] | None = None,
    *,
    progress: Progress | None = None,
) -> SimulationSummary:
    """Simulate scenario ``scenario`` (scaled to ``accounts`` / ``days``) and write it to ``out_dir``.

    Writes the export in format ``fmt`` (``io-archive``, ``x-v2`` or ``bluesky``), ``ground_truth.csv``,
    ``scenario.json`` and, with ``avatars=(FAKE_DIR, REAL_DIR)``, ``avatars/`` and ``avatars.csv``.  The same
    arguments always give byte-identical files.  ``progress(step, done, total)`` is called as days complete.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    started = time.perf_counter()
    spec = get_scenario(scenario).scaled(accounts, days)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = progress or (lambda step, done, total: None)
    report("building accounts", 0, 1)
    composer = Composer()
    world = build_world(spec, seed, composer)
    report("building accounts", 1, 1)
    writer = writers()[fmt](out_dir, world)
    _run(world, writer, composer, report)
    files = writer.close()
    present = writer.present()
    summary = SimulationSummary(
        out_dir=out_dir, scenario=spec.name, format=fmt, seed=seed, days=spec.days, accounts=int(present.sum()),
        campaign_accounts=int((world.accounts.campaign[present] >= 0).sum()), posts=writer.posts_written, files=files,
    )
    summary.ground_truth = write_ground_truth(out_dir / "ground_truth.csv", world, writer, present)
    if avatars is not None:
        report("writing avatars", 0, 1)
        summary.avatars = write_avatars(out_dir, world, writer.platform, writer.account_ids, present, *avatars)
        report("writing avatars", 1, 1)
    write_parameters(out_dir / "scenario.json", spec, seed, fmt, avatars)
    summary.seconds = time.perf_counter() - started
    return summary


def _run(world: World, writer: Writer, composer: Composer, report: Progress) -> None:
    mint = IdMint()
    organic = OrganicPosts(world, composer)
    reactions = OrganicReactions(world, world.scenario.organic, composer)
    runners = [CampaignRunner(world, k, composer) for k in range(len(world.scenario.campaigns))]
    history = Events.concat([campaigns.history(world, k, composer, mint) for k in range(len(runners))])
    _emit(writer, history.in_time_order())
    pending = Events.empty()
    days = world.scenario.days
    for day in range(days):
        own = organic.day(day, mint)
        campaign = Events.concat([r.day(day, own, mint) for r in runners])
        originals = Events.concat([own, campaign.take(campaign.kind == POST)])
        batch = Events.concat([own, campaign, reactions.day(day, originals, mint)])
        batch.count_engagement(batch)
        _likes(world, batch, day)
        batch = batch.take((batch.t >= world.start_ms) & (batch.t < world.end_ms))
        pending = Events.concat([pending, batch])
        final = pending.t < world.day_ms(day)
        _emit(writer, pending.take(final).in_time_order())
        pending = pending.take(~final)
        report("simulating days", day + 1, days)
    _emit(writer, pending.in_time_order())


def _emit(writer: Writer, events: Events) -> None:
    """Hand ``events`` to the writer in slices, so that its rows in memory stay few."""
    for start in range(0, len(events), WRITE_SLICE):
        writer.write(events.take(slice(start, start + WRITE_SLICE)))


def _likes(world: World, batch: Events, day: int) -> None:
    """Likes of each non-repost: a few per repost, plus some from the author's audience."""
    rng = rng_for(world.seed, "likes", day)
    own = batch.kind != REPOST
    audience = np.sqrt(world.accounts.followers[batch.author[own]]) / 8
    batch.likes[own] = batch.reposts[own] * rng.integers(1, 5, int(own.sum())) + rng.poisson(audience)


def write_ground_truth(path: Path, world: World, writer: Writer, present: np.ndarray) -> Path:
    """``ground_truth.csv``: one row per account in the export, with its campaign, role and avatar kind."""
    acc = world.accounts
    names = [c.id for c in world.scenario.campaigns]
    narratives = [";".join(c.narratives) for c in world.scenario.campaigns]
    rows = []
    for i in np.flatnonzero(present):
        k = int(acc.campaign[i])
        rows.append((writer.platform, writer.account_ids[i], names[k] if k >= 0 else "", ROLES[acc.role[i]],
                     AVATAR_KINDS[acc.avatar[i]], narratives[k] if k >= 0 else ""))
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(("platform", "account_id", "campaign_id", "role", "avatar_kind", "narrative_ids"))
        out.writerows(sorted(rows))
    return path


def write_parameters(path: Path, scenario: Scenario, seed: int, fmt: str, avatars: tuple[Path, Path] | None) -> Path:
    """``scenario.json``: every parameter of the run, enough to generate it again."""
    params = {
        "generator": f"unmask {__version__} simulate",
        "seed": seed,
        "format": fmt,
        "avatars": [str(p) for p in avatars] if avatars else None,
        "scenario": asdict(scenario),
    }
    path.write_text(json.dumps(params, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
