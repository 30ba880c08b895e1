"""Campaign accounts: made in a creation burst (or bought old and repurposed), with formulaic personas.

Personas write the campaign's posts, amplifiers mostly repost them, repurposed accounts are old accounts
that posted about other things in another language, went dormant, and came back for the campaign.  Their
old posts (before the window) are part of the output, as in a takedown archive.
"""

from __future__ import annotations

import numpy as np

from . import handles
from .events import Events
from .ids import IdMint, rng_for
from .scenarios import LANGS, CampaignSpec
from .text import Composer, random_rows
from .timing import DAY_MS, WorkWeek, date_ms, sample_times, weekday
from .world import ACCOUNT_LANGS, AVATAR_KINDS, CAMPAIGN, CLIENTS, ROLES, Accounts, World, new_accounts

FILLER_TOPICS = ("food", "travel", "pets", "music", "film", "fitness")
OLD_TOPICS = ("sports", "music", "food", "film", "travel")
REUSED_GROUPS_BASE = 10_000_000  # avatar group ids of campaigns start here (organic groups are celebrities)


def split_counts(n: int, shares: tuple[tuple[str, float], ...]) -> dict[str, int]:
    """Split ``n`` by ``shares`` into whole numbers that add up to ``n`` (largest remainders first)."""
    total = sum(w for _, w in shares)
    exact = [(name, n * w / total) for name, w in shares]
    counts = {name: int(x) for name, x in exact}
    rest = n - sum(counts.values())
    for name, x in sorted(exact, key=lambda e: int(e[1]) - e[1])[:rest]:
        counts[name] += 1
    return counts


def build_campaign(spec: CampaignSpec, number: int, start_ms: int, seed: int, book: handles.HandleBook,
                   topics: tuple[str, ...]) -> Accounts:
    """The accounts of campaign ``number``: personas, amplifiers and repurposed accounts, in that order."""
    rng = rng_for(seed, "campaign-accounts", number)
    roles = split_counts(spec.size, spec.roles)
    role = np.repeat([ROLES.index(r) for r in roles], list(roles.values())).astype(np.int8)
    n = spec.size
    repurposed = role == ROLES.index("repurposed")
    codes, weights = zip(*spec.languages)
    lang = rng.choice([LANGS.index(c) for c in codes], size=n, p=np.array(weights) / sum(weights)).astype(np.int8)
    week = WorkWeek(spec.schedule)
    offsets = np.full(n, spec.schedule.utc_offset_minutes)
    block = new_accounts(n, CAMPAIGN, lang, offsets, _created(rng, spec, week, repurposed))
    block.role, block.campaign = role, np.full(n, number, np.int16)
    block.account_lang[repurposed] = ACCOUNT_LANGS[spec.old_language]
    block.rate = spec.posts_per_account_day * rng.lognormal(0.0, 0.6, n)
    block.topics = rng.choice([topics.index(t) for t in FILLER_TOPICS], size=(n, 3)).astype(np.int8)
    zero = rng.random(n) < spec.zero_follower_share
    block.followers = np.where(zero, 0, rng.geometric(0.15, n)).astype(np.int64)
    block.followers[repurposed] = rng.lognormal(np.log(40), 1.0, int(repurposed.sum())).astype(np.int64)
    amplifier = role == ROLES.index("amplifier")
    block.following = np.where(amplifier, rng.integers(0, 80, n), rng.integers(20, 300, n)).astype(np.int64)
    block.client[:] = CLIENTS.index(spec.client)
    _avatars(rng, spec, number, block)
    _profiles(rng, spec, block, repurposed, book)
    return block


def _created(rng: np.random.Generator, spec: CampaignSpec, week: WorkWeek, repurposed: np.ndarray) -> np.ndarray:
    """Creation times: new accounts on working days of the burst, in office hours; repurposed ones years ago."""
    n = len(repurposed)
    days = date_ms(spec.created_from) + rng.integers(0, max(1, spec.created_days), n) * DAY_MS
    wd = weekday(days)
    days = np.where(wd >= 5, days + (7 - wd) * DAY_MS, days)  # operators do not work weekends
    created = sample_times(rng, days, np.full(n, week.offset), week.weights[:24])
    first, last = date_ms(f"{spec.repurposed_years[0]}-01-01"), date_ms(f"{spec.repurposed_years[1]}-12-31")
    old = rng.integers(first, last, n)
    return np.where(repurposed, old, created)


def _avatars(rng: np.random.Generator, spec: CampaignSpec, number: int, block: Accounts) -> None:
    kinds, weights = zip(*spec.avatars)
    chosen = rng.choice(len(kinds), size=len(block), p=np.array(weights) / sum(weights))
    block.avatar = np.array([AVATAR_KINDS.index(kinds[k]) for k in chosen], np.int8)
    reused = np.flatnonzero(block.avatar == AVATAR_KINDS.index("reused"))
    block.avatar_group[reused] = REUSED_GROUPS_BASE * (number + 1) + np.arange(len(reused)) // max(1, spec.reused_group)


def _profiles(rng: np.random.Generator, spec: CampaignSpec, block: Accounts, repurposed: np.ndarray,
              book: handles.HandleBook) -> None:
    styles, weights = zip(*spec.handles)
    style = rng.choice(len(styles), size=len(block), p=np.array(weights) / sum(weights))
    old_lang = spec.old_language
    for i, r in enumerate(random_rows(rng, len(block))):
        lang = old_lang if repurposed[i] else LANGS[block.lang[i]]
        if repurposed[i]:  # an ordinary person's account, bought or taken over
            name, handle = handles.organic_person(lang, r)
            block.bio[i] = handles.organic_bio(lang, r)
            block.location[i] = handles.location(lang, r)
        else:
            kind = styles[style[i]]
            if kind == "random":
                name, handle = handles.organic_person(lang, r)[0], handles.random_handle(r)
            elif kind == "formulaic":
                name, handle = handles.formulaic_person(lang, r)
            else:
                name, handle = handles.default_person(lang, r)
            block.bio[i] = handles.campaign_bio(lang, r) if r[11] % 4 else ""
            block.location[i] = handles.location(lang, r) if r[10] % 10 < 3 else ""
        block.name[i], block.handle[i] = name, book.claim(handle, r[3])


def history(world: World, number: int, composer: Composer, mint: IdMint) -> Events:
    """The old posts of a campaign's repurposed accounts: their former language and topics, then dormancy."""
    acc = world.accounts
    spec = world.scenario.campaigns[number]
    rng = rng_for(world.seed, "campaign-history", number)
    members = world.members(number)
    old = members[acc.role[members] == ROLES.index("repurposed")]
    if not len(old):
        return Events.empty()
    dormant_from = world.start_ms - 365 * DAY_MS - rng.integers(0, 300, len(old)) * DAY_MS
    begin = np.minimum(acc.created_ms[old] + rng.integers(0, 200, len(old)) * DAY_MS, dormant_from - 30 * DAY_MS)
    counts = 5 + rng.geometric(0.05, len(old))
    author = np.repeat(old, counts)
    lo, hi = np.repeat(begin, counts), np.repeat(dormant_from, counts)
    t = lo + (rng.random(len(author)) * (hi - lo)).astype(np.int64)
    topics = rng.choice(OLD_TOPICS, size=len(author))
    texts = [composer.organic(spec.old_language, topic, r) for topic, r in zip(topics, random_rows(rng, len(author)))]
    lang = np.full(len(author), LANGS.index(spec.old_language), np.int8)
    return Events.posts(mint, t, author, lang, [x[0] for x in texts], [x[1] for x in texts], [x[2] for x in texts],
                        [()] * len(author))
